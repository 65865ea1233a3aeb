#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VLAN helpers of the simnic selftests, on top of lib.sh (source that first): where the
# drivers' debugfs tables and counters are, making and removing VLAN devices, the
# three-way invariant (what the user asked for == the VF driver's list == the PF
# driver's table == what the switch enforces), IPv6 pings over a VLAN, raw tagged
# frames, the PF's fault knobs, resets and the kernel log. Source it; do not run it.
#
# Addressing: VLAN VID carries 2001:db8:VID::/64 (VID 0: untagged, 2001:db8:0::/64), so
# every VLAN has its own documentation subnet. Pings use permanent neighbour entries,
# so they depend on the VLAN filters under test and not on IPv6 multicast (ND).

VLAN_DBG=${VLAN_DBG:-/sys/kernel/debug}
# Every VLAN device made here is in this interface group, so one `ip link del group`
# removes them all in a single batch
VLAN_GROUP=${VLAN_GROUP:-99}
# Seconds for a VF's list to go quiet and the tables to agree
VLAN_SETTLE=${VLAN_SETTLE:-15}
# Seconds for a ping over a VLAN to get through
VLAN_PING_WAIT=${VLAN_PING_WAIT:-20}
# Seconds for a VF to come back after a reset
VLAN_RESET_WAIT=${VLAN_RESET_WAIT:-30}

# --- debugfs -----------------------------------------------------------------------

# vf_dbg VFPCI: the VF driver's directory for a VF
vf_dbg()
{
	echo "$VLAN_DBG/simnic_vf/$1"
}

# pf_dbg PF IDX: the PF driver's directory for VF IDX
pf_dbg()
{
	echo "$VLAN_DBG/simnic_pf/$1/vf$2"
}

# hw_dbg PF IDX: the switch's directory for VF IDX
hw_dbg()
{
	echo "$VLAN_DBG/simnic_hw/$1/vf$2"
}

# The paths above are spelled out in the helpers below rather than taken from $(vf_dbg
# ...): every $(...) is a process, and these run in the polls of every case.

# vf_stat VFPCI NAME: a virtchnl message counter of the VF driver (total, vlan_add, ...)
vf_stat()
{
	_stat_of "$VLAN_DBG/simnic_vf/$1/vc_stats" "$2"
}

# vf_stat_get VFPCI NAME: vf_stat's count in STAT, without a process
vf_stat_get()
{
	stat_get "$VLAN_DBG/simnic_vf/$1/vc_stats" "$2"
}

# hw_stat PF IDX NAME: a switch counter of VF IDX (tx_spoofed, rx_vlan_filtered, ...)
hw_stat()
{
	_stat_of "$VLAN_DBG/simnic_hw/$1/vf$2/stats" "$3"
}

# hw_stat_get PF IDX NAME: hw_stat's count in STAT, without a process
hw_stat_get()
{
	stat_get "$VLAN_DBG/simnic_hw/$1/vf$2/stats" "$3"
}

# vf_stat_above VFPCI NAME N: the counter is above N
vf_stat_above()
{
	vf_stat_get "$1" "$2" && [ "$STAT" -gt "$3" ]
}

# hw_stat_at_least PF IDX NAME N: the switch counter is at least N
hw_stat_at_least()
{
	hw_stat_get "$1" "$2" "$3" && [ "$STAT" -ge "$4" ]
}

# carrier_up NS DEV: DEV has carrier now (LOWER_UP) and its operstate says so
carrier_up()
{
	ipq "$1" link show dev "$2" &&
		[[ $IPQ == *[\<,]LOWER_UP[,\>]* && $IPQ == *" state UP "* ]]
}

# vlan_msgs VFPCI: VLAN messages the VF has sent (vlan_add + vlan_del)
vlan_msgs()
{
	local a

	vf_stat_get "$1" vlan_add || return 1
	a=$STAT
	vf_stat_get "$1" vlan_del || return 1
	echo $((a + STAT))
}

# pf_knob PF IDX NAME [VALUE]: read, or write, a fault knob of the PF driver for VF IDX
pf_knob()
{
	local f=$VLAN_DBG/simnic_pf/$1/vf$2/$3

	if [ $# -lt 4 ]; then
		cat "$f"
	else
		echo "$4" >"$f" || fail "cannot write $4 to $f"
	fi
}

# pf_faults_off PF IDX: every fault knob of VF IDX back to its default (vlan_v1 excepted:
# changing the protocol takes a VF reset, see vf_proto_set)
pf_faults_off()
{
	local d=$VLAN_DBG/simnic_pf/$1/vf$2 k v want

	for k in reject_add reject_del reply_delay_ms drop_replies reply_after_reset \
		 reject_status; do
		want=0
		[ $k != reject_status ] || want=-5
		v=""
		read -r v 2>/dev/null <"$d/$k"
		[ "$v" = "$want" ] || echo "$want" 2>/dev/null >"$d/$k"
	done
	v=""
	read -r v 2>/dev/null <"$d/forge"
	[ -z "$v" ] || [ "$v" = "none 0 0" ] || echo none 2>/dev/null >"$d/forge"
	return 0
}

# vlan_debugfs_check PF IDX VFPCI: the files the VLAN tests read all exist
vlan_debugfs_check()
{
	local f ok=0

	for f in "$(vf_dbg "$3")"/{vlans,vlan_proto,vc_stats} \
		 "$(pf_dbg "$1" "$2")"/{vlans,reject_add,reject_del,reject_status,reply_delay_ms} \
		 "$(pf_dbg "$1" "$2")"/{drop_replies,reply_after_reset,vlan_v1} \
		 "$(hw_dbg "$1" "$2")"/{vlans,stats}; do
		[ -e "$f" ] || { echo "missing $f"; ok=1; }
	done
	return $ok
}

# --- VLAN devices --------------------------------------------------------------------

# vf_dev_get NS VFPCI: the netdev of a VF in namespace NS (by the parent device that
# `ip -d` shows), in VFDEV
vf_dev_get()
{
	local l

	VFDEV=""
	ipq "$1" link show || return 1
	while read -r l; do
		if [[ $l =~ ^[0-9]+:\ ([^:@]+)[:@].*\ parentdev\ ([^ ]+) && ${BASH_REMATCH[2]} == "$2" ]]
		then
			VFDEV=${BASH_REMATCH[1]}
			return 0
		fi
	done <<<"$IPQ"
	return 1
}

# vf_dev NS VFPCI: vf_dev_get's netdev, printed
vf_dev()
{
	vf_dev_get "$@" && echo "$VFDEV"
}

# dev_mac_get NS DEV: DEV's MAC address, in MACQ
dev_mac_get()
{
	MACQ=""
	ipq "$1" link show dev "$2" && [[ $IPQ =~ link/ether\ ([0-9a-f:]+) ]] &&
		MACQ=${BASH_REMATCH[1]}
}

# dev_mac NS DEV: dev_mac_get's address, printed
dev_mac()
{
	dev_mac_get "$@" && echo "$MACQ"
}

# dev_rx_packets_get NS DEV: DEV's received packets, in RXQ (the counter `ip -s` shows)
dev_rx_packets_get()
{
	RXQ=""
	ipq "$1" link show dev "$2" &&
		[[ $IPQ =~ RX:\ +bytes\ +packets[^\\]*\\\ +[0-9]+\ +([0-9]+) ]] &&
		RXQ=${BASH_REMATCH[1]}
}

# dev_rx_packets NS DEV: dev_rx_packets_get's count, printed
dev_rx_packets()
{
	dev_rx_packets_get "$@" && echo "$RXQ"
}

# vlan_name DEV VID: DEV's VLAN device for VID, DEV itself for VID 0. DEV is cut to 10
# characters so that DEV.VID fits in IFNAMSIZ.
vlan_name()
{
	if [ "$2" = 0 ]; then
		echo "$1"
	else
		echo "${1:0:10}.$2"
	fi
}

# vlan_cmd_get DEV add|del VID: the ip command (without "ip") that makes DEV.VID in
# VLAN_GROUP, or deletes it, in VCMD; the one place that spells it, for single calls and
# batches (the name is vlan_name's, computed here without a subshell)
vlan_cmd_get()
{
	local name=${1:0:10}.$3

	if [ "$2" = add ]; then
		VCMD="link add link $1 name $name group $VLAN_GROUP type vlan id $3"
	else
		VCMD="link del dev $name"
	fi
}

# vlan_cmd DEV add|del VID: vlan_cmd_get's command, printed (for batches)
vlan_cmd()
{
	vlan_cmd_get "$@"
	echo "$VCMD"
}

# vlan_add NS DEV VID: create DEV.VID; on failure print ip's answer and fail
vlan_add()
{
	local out

	vlan_cmd_get "$2" add "$3"
	# shellcheck disable=SC2086
	ipq "$1" $VCMD && return 0
	echo "ip link add $2 VID $3: ${IPQ:-failed}"
	return 1
}

# vlan_del NS DEV VID: delete DEV.VID; on failure print ip's answer and fail
vlan_del()
{
	local out

	vlan_cmd_get "$2" del "$3"
	# shellcheck disable=SC2086
	ipq "$1" $VCMD && return 0
	echo "ip link del $2 VID $3: ${IPQ:-failed}"
	return 1
}

# vlan_exists NS DEV VID: DEV.VID is in NS. Asked of the list of NS's links, not
# by name: ip and ethtool look a name up with an ioctl, and for a name that does not
# exist the kernel runs modprobe twice ("netdev-NAME" and "NAME", dev_load()), each a
# process, which the debug kernel makes cost most of a second.
vlan_exists()
{
	local name=${2:0:10}.$3 l

	[ "$3" != 0 ] || name=$2
	ipq "$1" link show || return 1
	while read -r l; do
		[[ $l != [0-9]*": $name"[@:]* ]] || return 0
	done <<<"$IPQ"
	return 1
}

# vlan_batch NS DEV add|del VID...: one `ip -batch` for all VIDs, stopping at the first
# error (one netlink request per VID, but no process per VID)
vlan_batch()
{
	local ns=$1 dev=$2 op=$3 v

	shift 3
	for v in "$@"; do
		vlan_cmd "$dev" "$op" "$v"
	done | ip -n "$ns" -batch -
}

# --- the four sets and the invariant ---------------------------------------------------

# Sets are printed as ascending, space-separated VIDs (empty: nothing). They are built
# with bash alone (an indexed array lists its indices in ascending order): these run in
# every poll of every invariant, and a process costs a lot on the debug kernel.

# Each set has a form that leaves it in VSET (_get), for the polls: no process; and one
# that prints it, for messages and the cases.

# _vlan_lines_get FILE [STATE]: the first word of each line of FILE (of those whose
# second word is STATE), as a set in VSET; fails if FILE cannot be read
_vlan_lines_get()
{
	local -a lines vids=()
	local l w

	VSET=""
	mapfile -t lines 2>/dev/null <"$1" || return 1
	for l in "${lines[@]}"; do
		w=${l%% *}
		[ -n "$w" ] || continue
		[ -z "${2:-}" ] || [ "${l#* }" = "$2" ] || continue
		vids[w]=1
	done
	VSET="${!vids[*]}"
}

# _vlan_lines FILE [STATE]: _vlan_lines_get's set, printed
_vlan_lines()
{
	_vlan_lines_get "$@" && echo "$VSET"
}

# vlan_set_get VID...: a set from words (newlines, spaces, any order), in VSET
vlan_set_get()
{
	local -a vids=()
	local v

	# shellcheck disable=SC2048 # sets come as one word or several
	for v in $*; do
		vids[v]=1
	done
	VSET="${!vids[*]}"
}

# vlan_set_of VID...: vlan_set_get's set, printed
vlan_set_of()
{
	vlan_set_get "$@"
	echo "$VSET"
}

# vlan_user_get NS DEV: VIDs of the 802.1Q devices on top of DEV in NS, in VSET
vlan_user_get()
{
	local -a vids=()
	local l re="^[0-9]+: [^@]+@$2: .* 802\\.1Q id ([0-9]+) "

	ipq "$1" link show type vlan
	while read -r l; do
		[[ $l =~ $re ]] && vids[BASH_REMATCH[1]]=1
	done <<<"$IPQ"
	VSET="${!vids[*]}"
}

# vlan_user_set NS DEV: vlan_user_get's set, printed
vlan_user_set()
{
	vlan_user_get "$@"
	echo "$VSET"
}

# vlan_vf_set VFPCI [STATE]: VIDs of the VF driver's list (those in STATE only)
vlan_vf_set()
{
	_vlan_lines "$VLAN_DBG/simnic_vf/$1/vlans" "${2:-}"
}

# vlan_vf_list VFPCI: the VF driver's list as "vid:STATE ..." (for messages)
vlan_vf_list()
{
	local -a lines
	local l out=""

	mapfile -t lines 2>/dev/null <"$VLAN_DBG/simnic_vf/$1/vlans"
	for l in "${lines[@]}"; do
		out+="${out:+ }${l/ /:}"
	done
	echo "$out"
}

# vlan_vf_state VFPCI VID: the state of VID in the VF's list (nothing if absent)
vlan_vf_state()
{
	local v st

	slurp "$VLAN_DBG/simnic_vf/$1/vlans"
	while read -r v st; do
		[ "$v" != "$2" ] || { echo "$st"; return 0; }
	done <<<"$SLURP"
}

# _vlan_file_set FILE: the VIDs of a table (a missing file never equals a real set)
_vlan_file_set()
{
	_vlan_lines "$1" || { echo "(missing)"; return 1; }
}

# vlan_pf_set PF IDX: the PF driver's table for VF IDX
vlan_pf_set()
{
	_vlan_file_set "$VLAN_DBG/simnic_pf/$1/vf$2/vlans"
}

# vlan_hw_set PF IDX: the switch's table for VF IDX
vlan_hw_set()
{
	_vlan_file_set "$VLAN_DBG/simnic_hw/$1/vf$2/vlans"
}

# vlan_quiet VFPCI: the VF's list is readable and every filter in it is ACTIVE
vlan_quiet()
{
	local -a lines
	local l

	mapfile -t lines 2>/dev/null <"$VLAN_DBG/simnic_vf/$1/vlans" || return 1
	for l in "${lines[@]}"; do
		[ -z "$l" ] || [ "${l#* }" = ACTIVE ] || return 1
	done
}

# _abbrev SET: a set for a message, shortened when long
_abbrev()
{
	echo "$1" | awk '{
		if (NF <= 24) {
			print (NF ? $0 : "(none)")
			next
		}
		s = ""
		for (i = 1; i <= 12; i++)
			s = s $i " "
		printf "%s... %s %s %s (%d in all)\n", s, $(NF - 2), $(NF - 1), $NF, NF
	}'
}

# vlan_show NS DEV VFPCI PF IDX [WANT]: print the four sets (and the expected one)
vlan_show()
{
	printf '  %-30s %s\n' "user ($2 in $1):" "$(_abbrev "$(vlan_user_set "$1" "$2")")" \
		"VF list ($3):" "$(_abbrev "$(vlan_vf_list "$3")")" \
		"PF table (vf$5):" "$(_abbrev "$(vlan_pf_set "$4" "$5")")" \
		"switch table (vf$5):" "$(_abbrev "$(vlan_hw_set "$4" "$5")")"
	[ $# -lt 6 ] || printf '  %-30s %s\n' "expected:" "$(_abbrev "$(vlan_set_of "$6")")"
}

# _vlan_consistent NS DEV VFPCI PF IDX [WANT]: one look at the invariant (one process:
# the ip that lists the VLAN devices)
_vlan_consistent()
{
	local u

	vlan_quiet "$3" || return 1
	vlan_user_get "$1" "$2"
	u=$VSET
	_vlan_lines_get "$VLAN_DBG/simnic_vf/$3/vlans" && [ "$u" = "$VSET" ] || return 1
	_vlan_lines_get "$VLAN_DBG/simnic_pf/$4/vf$5/vlans" && [ "$u" = "$VSET" ] || return 1
	_vlan_lines_get "$VLAN_DBG/simnic_hw/$4/vf$5/vlans" && [ "$u" = "$VSET" ] || return 1
	vlan_quiet "$3" || return 1
	[ $# -lt 6 ] || { vlan_set_get "$6"; [ "$u" = "$VSET" ]; }
}

# vlan_invariant NS DEV VFPCI PF IDX [WANT]: within VLAN_SETTLE seconds the VF's list is
# quiet (every filter ACTIVE) and the VLAN devices on DEV == the VF's list == the PF's
# table == the switch's table (== WANT, a list of VIDs, when given; "" is the empty set)
vlan_invariant()
{
	wait_for "$VLAN_SETTLE" _vlan_consistent "$@" && return 0
	if vlan_quiet "$3"; then
		fail "VLAN state of VF $5 ($3) disagrees after ${VLAN_SETTLE}s"
	else
		fail "VLAN list of VF $5 ($3) not quiet after ${VLAN_SETTLE}s"
	fi
	vlan_show "$@"
	return 1
}

# _vlan_tables_are VFPCI PF IDX WANT: quiet, and the VF's list == PF == switch == WANT
_vlan_tables_are()
{
	local w

	vlan_set_get "$4"
	w=$VSET
	vlan_quiet "$1" &&
		_vlan_lines_get "$VLAN_DBG/simnic_vf/$1/vlans" && [ "$VSET" = "$w" ] &&
		_vlan_lines_get "$VLAN_DBG/simnic_pf/$2/vf$3/vlans" && [ "$VSET" = "$w" ] &&
		_vlan_lines_get "$VLAN_DBG/simnic_hw/$2/vf$3/vlans" && [ "$VSET" = "$w" ]
}

# vlan_tables VFPCI PF IDX WANT: like vlan_invariant, without the user's set (for the
# cases where the user's view and the device legitimately differ)
vlan_tables()
{
	wait_for "$VLAN_SETTLE" _vlan_tables_are "$@" && return 0
	fail "VF $3 ($1): tables are not {$(vlan_set_of "$4")} after ${VLAN_SETTLE}s"
	printf '  %-30s %s\n' "VF list ($1):" "$(_abbrev "$(vlan_vf_list "$1")")" \
		"PF table (vf$3):" "$(_abbrev "$(vlan_pf_set "$2" "$3")")" \
		"switch table (vf$3):" "$(_abbrev "$(vlan_hw_set "$2" "$3")")"
	return 1
}

# --- IPv6 over a VLAN --------------------------------------------------------------------

# vlan_addr VID HOST: HOST's address in VLAN VID's subnet
vlan_addr()
{
	echo "2001:db8:$1::$2"
}

# vlan_l3 NS DEV VID HOST: bring DEV.VID up with address HOST in VID's subnet (names
# and addresses as vlan_name and vlan_addr make them, spelled out: no subshells)
vlan_l3()
{
	local d=${2:0:10}.$3

	[ "$3" != 0 ] || d=$2
	ipq "$1" link set dev "$d" up &&
		ipq "$1" addr replace "2001:db8:$3::$4/64" dev "$d" nodad ||
		{ echo "${IPQ%$'\n'}"; return 1; }
}

# ping6_once NS IFACE ADDR MAC: one ping from NS to ADDR, out of IFACE, where ADDR is MAC
# (a permanent neighbour: set again each time, as going down flushes it)
ping6_once()
{
	ipq "$1" neigh replace "$3" lladdr "$4" nud permanent dev "$2"
	nsq "$1" ping -6 -q -c 1 -W 2 "$3"
}

# wait_ping6 NS IFACE ADDR MAC: ADDR answers within VLAN_PING_WAIT seconds
wait_ping6()
{
	wait_for "$VLAN_PING_WAIT" ping6_once "$@" && return 0
	fail "no answer from $3 out of $2 in $1 within ${VLAN_PING_WAIT}s"
	ip netns exec "$1" ping -6 -c 1 -W 2 "$3" 2>&1 | tail -n 2 | sed 's/^/  /'
	ip -n "$1" -6 -br addr show dev "$2" 2>&1 | sed 's/^/  /'
	ip -n "$1" -br link show dev "$2" 2>&1 | sed 's/^/  /'
	return 1
}

# no_ping6 NS IFACE ADDR MAC: three pings to ADDR all go unanswered (and could be sent)
no_ping6()
{
	local out rc

	ipq "$1" neigh replace "$3" lladdr "$4" nud permanent dev "$2"
	nsq "$1" ping -6 -c 3 -i 0.2 -W 1 "$3"
	rc=$?
	out=$NSQ
	case $rc in
	1)
		return 0
		;;
	0)
		fail "$3 answered out of $2 in $1, expected silence"
		;;
	*)
		fail "ping from $1 to $3 could not run (rc $rc)"
		;;
	esac
	echo "$out" | tail -n 3 | sed 's/^/  /'
	return 1
}

# _vlan_dev DEV VID: vlan_name's name, in VDEV, without a subshell
_vlan_dev()
{
	VDEV=${1:0:10}.$2
	[ "$2" != 0 ] || VDEV=$1
}

# vlan_ping NS DEV VID HOST MAC: one ping over DEV.VID to HOST (whose MAC is MAC)
vlan_ping()
{
	_vlan_dev "$2" "$3"
	ping6_once "$1" "$VDEV" "2001:db8:$3::$4" "$5"
}

# vlan_wait_ping NS DEV VID HOST MAC: HOST answers over DEV.VID within VLAN_PING_WAIT s
vlan_wait_ping()
{
	_vlan_dev "$2" "$3"
	wait_ping6 "$1" "$VDEV" "2001:db8:$3::$4" "$5"
}

# vlan_no_ping NS DEV VID HOST MAC: HOST does not answer over DEV.VID
vlan_no_ping()
{
	_vlan_dev "$2" "$3"
	no_ping6 "$1" "$VDEV" "2001:db8:$3::$4" "$5"
}

# ping_count OUTPUT: how many replies a ping reported
ping_count()
{
	echo "$1" | sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# vlan_send_raw NS DEV VID COUNT DSTMAC: send COUNT 64-byte frames tagged VID (ethertype
# 0x88b5, local experimental) to DSTMAC from DEV's MAC, through an AF_PACKET socket
vlan_send_raw()
{
	ip netns exec "$1" python3 -c '
import socket, struct, sys
dev, vid, n, dst = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open("/sys/class/net/%s/address" % dev) as f:
    src = f.read().strip()
frame = (bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", "")) +
         struct.pack("!HHH", 0x8100, vid, 0x88b5) + bytes(46))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for _ in range(n):
    s.send(frame)
' "$2" "$3" "$4" "$5"
}

# --- resets --------------------------------------------------------------------------------

# vf_flr NS DEV VFPCI [N]: N (default 1) FLRs of the VF back to back; then, if the VF
# tracks filters, wait until it has sent a VLAN add after the last FLR (the replay: the PF
# forgets a VF's filters when the VF resets), and until DEV is up again
vf_flr()
{
	local n=${4:-1} k before tracked

	_vlan_lines_get "$VLAN_DBG/simnic_vf/$3/vlans"
	tracked=$VSET
	for ((k = 1; k <= n; k++)); do
		if [ "$k" = "$n" ]; then
			vf_stat_get "$3" vlan_add || fail "$3: no vlan_add in vc_stats" || return 1
			before=$STAT
		fi
		echo 1 >"/sys/bus/pci/devices/$3/reset" ||
			fail "FLR $k of VF $3 refused" || return 1
	done
	wait_for "$VLAN_RESET_WAIT" vf_settled "$3" ||
		fail "VF $3 has not negotiated again after its FLR" || return 1
	if [ -n "$tracked" ]; then
		wait_for "$VLAN_RESET_WAIT" vf_stat_above "$3" vlan_add "$before" ||
			fail "VF $3 sent no VLAN add after its FLR (vlan_add stays $before): no replay" ||
			return 1
	fi
	wait_for "$VLAN_RESET_WAIT" carrier_up "$1" "$2" || fail "$2 not up after FLR"
}

# pf_flr PF: FLR of the PF (and so of all its VFs)
pf_flr()
{
	echo 1 >"/sys/bus/pci/devices/$1/reset" || fail "FLR of PF $1 refused"
}

# carrier_down NS DEV: DEV has no carrier (no LOWER_UP)
carrier_down()
{
	ipq "$1" link show dev "$2" && [[ $IPQ != *[\<,]LOWER_UP[,\>]* ]]
}

# vf_proto_is VFPCI PROTO: the VF negotiated VLAN protocol PROTO (v1, v2, none)
vf_proto_is()
{
	local p=""

	read -r p 2>/dev/null <"$VLAN_DBG/simnic_vf/$1/vlan_proto"
	[ "$p" = "$2" ]
}
