#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two VFs of the first simnic PF, each in its own namespace, for the suites that drive
# them (vlan_state.sh, reset.sh): setup and cleanup, shorthands by VF index for VLANs,
# the invariant, pings, resets and host settings, and vcase, which runs one KTAP case
# with both VFs ready before and clean after. Source it after lib.sh and vlan_lib.sh;
# do not run it. Callers set nothing; setup fills PF, PFDEV, VFP, DEV and MAC.

NS1=simnic-v1-$$
NS2=simnic-v2-$$
PF=""
PFDEV=""
NS=("$NS1" "$NS2")
VFP=("" "")	# PCI address of VF 0 and VF 1
DEV=("" "")	# their netdevs (in NS1 and NS2)
MAC=("" "")
NSVLANS=()	# the VLAN devices vf_ensure saw in the VF's namespace
# What case_cleanup left ready: "DEV[*] MAC[*]" after a cleanup that passed, "" when a
# case has begun since (cases run in subshells: a file carries it to the next case)
PAIR_CLEAN=$(mktemp /tmp/simnic-pair.XXXXXX)

cleanup()
{
	rm -f "$PAIR_CLEAN"
	ns_del "$NS1" 2>/dev/null
	ns_del "$NS2" 2>/dev/null
	[ -n "$PF" ] && [ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs"
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

# --- the two VFs -------------------------------------------------------------------------

ns_add()
{
	ns_del "$1" 2>/dev/null
	ip netns add "$1" || return 1
	ipq "$1" link set dev lo up
	# no DAD waits, and addresses stay when a VLAN device goes down with its VF
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.keep_addr_on_down=1
}

# vf_ensure IDX: VF IDX bound, its netdev in its namespace, up with carrier; sets
# DEV[IDX] and MAC[IDX] (in the calling shell), and NSVLANS to the VLAN devices it saw
# in the namespace outside VLAN_GROUP
vf_ensure()
{
	local i=$1 ns=${NS[$1]} pci=${VFP[$1]} dev l n mac=""

	# The common case in one look at the namespace's links: DEV[IDX] is this VF's
	# netdev, up, with carrier
	NSVLANS=()
	if [ -n "${DEV[i]}" ] && ipq "$ns" link show; then
		while read -r l; do
			[[ $l =~ ^[0-9]+:\ ([^:@]+)[:@] ]] || continue
			n=${BASH_REMATCH[1]}
			if [[ $l == *" vlan protocol "* ]]; then
				# those of VLAN_GROUP go by the group
				[[ $l == *" group $VLAN_GROUP "* ]] || NSVLANS+=("$n")
			elif [ "$n" = "${DEV[i]}" ] &&
			     [[ $l == *" state UP "* && $l == *" parentdev $pci "* &&
				$l =~ link/ether\ ([0-9a-f:]+) ]]; then
				mac=${BASH_REMATCH[1]}
			fi
		done <<<"$IPQ"
		if [ -n "$mac" ]; then
			MAC[i]=$mac
			return 0
		fi
	fi
	if [ ! -e "/sys/bus/pci/devices/$pci/driver" ]; then
		echo "$pci" >/sys/bus/pci/drivers/simnic_vf/bind || fail "cannot bind VF $i" ||
			return 1
	fi
	vf_dev_get "$ns" "$pci"
	# shellcheck disable=SC2153 # set by vf_dev_get
	dev=$VFDEV
	if [ -z "$dev" ]; then
		wait_for 30 pci_netdev "$pci" >/dev/null || fail "VF $i ($pci) has no netdev" ||
			return 1
		dev=$(pci_netdev "$pci")
		ipq "" link set dev "$dev" netns "$ns" ||
			fail "cannot move $dev to $ns: $IPQ" || return 1
	fi
	ipq "$ns" link set dev "$dev" up || fail "cannot bring $dev up: $IPQ" || return 1
	wait_for 30 operstate_up "$ns" "$dev" || fail "VF $i ($dev): no carrier" || return 1
	DEV[i]=$dev
	dev_mac_get "$ns" "$dev"
	MAC[i]=$MACQ
}

setup()
{
	local i

	# shellcheck disable=SC2119
	simnic_load || fail "cannot load simnic" || return 1
	wait_for 10 simnic_pf_pci >/dev/null || fail "no PF bound to simnic_pf" || return 1
	PF=$(simnic_pf_pci)
	wait_for 10 pci_netdev "$PF" >/dev/null || fail "PF $PF has no netdev" || return 1
	PFDEV=$(pci_netdev "$PF")
	ip link set dev "$PFDEV" up || return 1
	echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot enable 2 VFs" || return 1
	for i in 0 1; do
		ns_add "${NS[i]}" || fail "cannot make namespace ${NS[i]}" || return 1
		VFP[i]=$(vf_pci "$PF" "$i")
		vf_ensure "$i" || return 1
		vlan_debugfs_check "$PF" "$i" "${VFP[i]}" || return 1
	done
	echo "PF $PFDEV ($PF); VF 0 ${DEV[0]} (${VFP[0]}) in $NS1; VF 1 ${DEV[1]} (${VFP[1]}) in $NS2"
}

# --- shorthands for VF IDX ----------------------------------------------------------------

# _each_vid FN IDX VID...: FN NS DEV VID for VF IDX and each VID, stopping at a failure
_each_vid()
{
	local fn=$1 i=$2 v

	shift 2
	for v in "$@"; do
		"$fn" "${NS[i]}" "${DEV[i]}" "$v" || return 1
	done
}

# add IDX VID... / del IDX VID...: make or delete the VLAN devices, one ip each
add()
{
	_each_vid vlan_add "$@"
}

del()
{
	_each_vid vlan_del "$@"
}

# ops IDX add|del VID [add|del VID]...: the VLAN operations, in order, as fast as
# netlink takes them (one `ip -batch`, no process per operation); fails at the first
# that fails
ops()
{
	local i=$1

	shift
	while [ $# -ge 2 ]; do
		vlan_cmd "${DEV[i]}" "$1" "$2"
		shift 2
	done | ip -n "${NS[i]}" -batch - || fail "a VLAN operation failed (see above)"
}

# inv IDX [WANT]: the invariant for VF IDX
inv()
{
	vlan_invariant "${NS[$1]}" "${DEV[$1]}" "${VFP[$1]}" "$PF" "$1" "${@:2}"
}

# inv2 [WANT]: the invariant for both VFs
inv2()
{
	inv 0 "$@" && inv 1 "$@"
}

# tables IDX WANT: the VF's list, the PF's and the switch's tables are WANT
tables()
{
	vlan_tables "${VFP[$1]}" "$PF" "$1" "$2"
}

# vf_up IDX / vf_down IDX
vf_up()
{
	ipq "${NS[$1]}" link set dev "${DEV[$1]}" up ||
		fail "cannot bring ${DEV[$1]} up: $IPQ" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[$1]}" ||
		fail "VF $1 has not negotiated again after its last reset" || return 1
	wait_for 30 carrier_up "${NS[$1]}" "${DEV[$1]}" || fail "${DEV[$1]}: no carrier"
}

vf_down()
{
	ipq "${NS[$1]}" link set dev "${DEV[$1]}" down ||
		fail "cannot take ${DEV[$1]} down: $IPQ"
}

# flr IDX [N]
flr()
{
	vf_flr "${NS[$1]}" "${DEV[$1]}" "${VFP[$1]}" "${2:-1}"
}

# both VFs up again after a reset of the PF
vfs_back()
{
	wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" &&
		wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[1]}" &&
		wait_for "$VLAN_RESET_WAIT" carrier_up "$NS1" "${DEV[0]}" &&
		wait_for "$VLAN_RESET_WAIT" carrier_up "$NS2" "${DEV[1]}" ||
		fail "VFs not up again after the PF reset"
}

# link_flap [N]: the card's physical link out and back, N times (default 1). Each time
# both VFs lose carrier before the link comes back: the PF's link-down event reached
# them. (`ip link set PF down` would not: the PF netdev's state is not the port's.)
link_flap()
{
	local k link=$VLAN_DBG/simnic_hw/$PF/link

	for ((k = 1; k <= ${1:-1}; k++)); do
		echo 0 >"$link" || fail "cannot take the card's link out" || return 1
		if ! wait_for 10 carrier_down "$NS1" "${DEV[0]}" ||
		   ! wait_for 10 carrier_down "$NS2" "${DEV[1]}"; then
			echo 1 >"$link"
			fail "flap $k: a VF kept its carrier with the card's link out"
			return 1
		fi
		echo 1 >"$link" || fail "cannot put the card's link back" || return 1
	done
}

# msgs IDX: VLAN messages VF IDX has sent
msgs()
{
	vlan_msgs "${VFP[$1]}"
}

# l3 VID: VID on both VFs (made if missing) with 2001:db8:VID::1 (VF 0) and ::2 (VF 1)
l3()
{
	local i

	for i in 0 1; do
		vlan_exists "${NS[i]}" "${DEV[i]}" "$1" || add "$i" "$1" || return 1
		vlan_l3 "${NS[i]}" "${DEV[i]}" "$1" $((i + 1)) ||
			fail "cannot address VLAN $1 on VF $i" || return 1
	done
}

# ping_both VID: VF 0 and VF 1 reach each other over VID
ping_both()
{
	vlan_wait_ping "$NS1" "${DEV[0]}" "$1" 2 "${MAC[1]}" &&
		vlan_wait_ping "$NS2" "${DEV[1]}" "$1" 1 "${MAC[0]}"
}

# vf_info IDX: the PF netdev's line about VF IDX
vf_info()
{
	local l

	ipq "" link show dev "$PFDEV" || return 1
	# one line (ip -o): its parts end in backslashes
	while read -r l; do
		[[ ! $l =~ ^vf\ $1\  ]] || { echo "$l"; return 0; }
	done <<<"${IPQ//\\/$'\n'}"
	return 1
}

# proto IDX v1|v2: make VF IDX use that VLAN protocol (PF offer + VF FLR)
proto()
{
	local v1=0

	vf_proto_is "${VFP[$1]}" "$2" && return 0
	[ "$2" = v2 ] || v1=1
	pf_knob "$PF" "$1" vlan_v1 "$v1" || return 1
	flr "$1" || return 1
	wait_for 20 vf_proto_is "${VFP[$1]}" "$2" ||
		fail "VF $1 negotiated $(cat "$(vf_dbg "${VFP[$1]}")/vlan_proto"), not $2" || return 1
	vf_up "$1"
}

# host_defaults: no port VLAN, spoofchk on, trust off, link state auto, no rate limits
# for both VFs
host_defaults()
{
	local l i

	ipq "" link show dev "$PFDEV" || return 0
	while read -r l; do
		[[ $l =~ ^vf\ ([01])\  ]] || continue
		i=${BASH_REMATCH[1]}
		if [[ $l =~ ,\ vlan\ [1-9] ]]; then
			ipq "" link set dev "$PFDEV" vf "$i" vlan 0
		fi
		if [[ $l == *"spoof checking off"* ]]; then
			ipq "" link set dev "$PFDEV" vf "$i" spoofchk on
		fi
		if [[ $l == *"trust on"* ]]; then
			ipq "" link set dev "$PFDEV" vf "$i" trust off
		fi
		if [[ $l == *"link-state enable"* || $l == *"link-state disable"* ]]; then
			ipq "" link set dev "$PFDEV" vf "$i" state auto
		fi
		if [[ $l == *"_tx_rate "* ]]; then
			ipq "" link set dev "$PFDEV" vf "$i" min_tx_rate 0 max_tx_rate 0
		fi
	done <<<"${IPQ//\\/$'\n'}"
	return 0
}

# After each case: faults off, host settings back, no VLAN devices nor addresses, and
# both VFs' tables empty. A case that leaves a VF's state inconsistent fails here.
case_cleanup()
{
	local i n rc=0

	for i in 0 1; do
		pf_faults_off "$PF" "$i"
	done
	# a case that failed with the card away for servicing (lifecycle.sh): back now
	echo back >"$VLAN_DBG/simnic_hw/$PF/service" 2>/dev/null
	host_defaults
	for i in 0 1; do
		vf_ensure "$i" || rc=1
		# The VLAN devices (of VLAN_GROUP, and the others vf_ensure saw), the
		# VF's global addresses and its permanent neighbours. Never a name that
		# may be gone: ip looks a missing name up with an ioctl, and the kernel
		# runs modprobe twice for it (dev_load)
		ipq "${NS[i]}" link del group "$VLAN_GROUP"
		for n in "${NSVLANS[@]}"; do
			ipq "${NS[i]}" link del dev "$n"
		done
		ipq "${NS[i]}" addr flush dev "${DEV[i]}" scope global
		ipq "${NS[i]}" neigh flush dev "${DEV[i]}" nud permanent
	done
	for i in 0 1; do
		inv "$i" "" && continue
		echo "cleanup: VF $i does not return to no VLANs; rebinding its driver"
		rc=1
		echo "${VFP[i]}" >/sys/bus/pci/drivers/simnic_vf/unbind
		vf_ensure "$i" && inv "$i" "" >/dev/null || echo "cleanup: VF $i still not clean"
	done
	[ "$rc" != 0 ] || echo "${DEV[*]} ${MAC[*]}" >"$PAIR_CLEAN"
	return "$rc"
}

vlan_case()
{
	local rc clean=""

	# Both VFs ready: as the last case_cleanup left them, if nothing has run since
	# (one look fewer per VF), or seen to be
	read -r clean 2>/dev/null <"$PAIR_CLEAN"
	: >"$PAIR_CLEAN"
	[ "$clean" = "${DEV[*]} ${MAC[*]}" ] || { vf_ensure 0 && vf_ensure 1; } || return 1
	"$@"
	rc=$?
	case_cleanup || rc=1
	return "$rc"
}

# suite_begin NCASES: the start of a suite over the VF pair: root and tools, the KTAP
# plan, a kernel log mark ($TAG), the setup; if that fails, NCASES failures and the end
suite_begin()
{
	local k

	require_root_and_tools
	ktap_plan "$1"
	kmsg_mark "$TAG"
	setup && return 0
	for ((k = 0; k < $1; k++)); do
		ktap_result "setup" "$KSFT_FAIL"
	done
	ktap_finish
}

# case_skipped NAME: VLAN_CASES=REGEX runs only the cases whose names match,
# VLAN_SKIP=REGEX all but those that match; true (and NAME reported as skipped) for
# the others
case_skipped()
{
	if { [ -n "${VLAN_CASES:-}" ] && ! [[ $1 =~ $VLAN_CASES ]]; } ||
	   { [ -n "${VLAN_SKIP:-}" ] && [[ $1 =~ $VLAN_SKIP ]]; }; then
		ktap_result "$1" "$KSFT_SKIP"
		return 0
	fi
	return 1
}

# vcase NAME FUNCTION [ARG...]: one KTAP case, with the VFs ready before and clean after
# (unless case_skipped)
vcase()
{
	local name=$1

	shift
	case_skipped "$name" || run_test "$name" vlan_case "$@"
}

# trust IDX on|off: set VF IDX's trust, which resets the VF; wait until it has recovered
# (its recovery counter moved) and is up again
trust()
{
	local before ann

	before=$(vf_stat "${VFP[$1]}" recoveries) || fail "no recoveries in vc_stats" ||
		return 1
	ann=$(vf_stat "${VFP[$1]}" resets_announced)
	ipq "" link set dev "$PFDEV" vf "$1" trust "$2" || fail "trust $2 refused: $IPQ" ||
		return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[$1]}" recoveries "$before" ||
		fail "VF $1 did not recover from the reset of trust $2" || return 1
	vf_stat_above "${VFP[$1]}" resets_announced "$ann" ||
		fail "the reset of trust $2 was not announced to VF $1" || return 1
	vf_up "$1"
}

# --- traffic, counters and the state the loops start from ----------------------------------

# the VLANs of every case: VF 0 has 7 (100 and 101-106: one below the limit, for the
# cases that add one more), VF 1 has 100, both address 100
range 100 106
VIDS0=$RANGE
loop_setup()
{
	range 101 106
	# shellcheck disable=SC2086
	add 0 $RANGE && l3 100 && inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# traffic_start: VF 0 pings VF 1 over VLAN 100, 5 a second, until traffic_stop; returns
# once two pings have been answered. (A command started with & by a shell without job
# control ignores SIGINT until it sets a handler of its own: ping has set its handler
# once it has sent, and only then can traffic_stop end it with SIGINT, which makes it
# print its statistics.)
traffic_start()
{
	TRAFFIC_OUT=$(mktemp)
	ip netns exec "$NS1" ping -6 -i 0.2 -W 1 "$(vlan_addr 100 2)" >"$TRAFFIC_OUT" 2>&1 &
	TRAFFIC_PID=$!
	wait_for 10 traffic_flowing && return 0
	kill -KILL "$TRAFFIC_PID" 2>/dev/null
	wait "$TRAFFIC_PID" 2>/dev/null
	fail "no traffic over VLAN 100: $(cat "$TRAFFIC_OUT")"
	rm -f "$TRAFFIC_OUT"
	return 1
}

# traffic_flowing: the ping of traffic_start has had 2 answers or more
traffic_flowing()
{
	local l n=0

	slurp "$TRAFFIC_OUT"
	while read -r l; do
		[[ $l != *" bytes from "* ]] || n=$((n + 1))
	done <<<"$SLURP"
	[ "$n" -ge 2 ]
}

# traffic_stop: end the ping and say how many of its pings were answered (resets lose
# some: that is reported, not judged; ping_both after the loop judges). Fails if the
# ping does not end on SIGINT within 5 s (it is killed then).
traffic_stop()
{
	local rc=0

	kill -INT "$TRAFFIC_PID" 2>/dev/null
	# (an ended child stays a zombie, without exe, until it is waited for)
	if ! wait_for 5 eval '! [ -e "/proc/$TRAFFIC_PID/exe" ]'; then
		kill -KILL "$TRAFFIC_PID" 2>/dev/null
		rc=1
	fi
	wait "$TRAFFIC_PID" 2>/dev/null
	echo "traffic during the loop: $(grep -E 'packets transmitted' "$TRAFFIC_OUT")"
	rm -f "$TRAFFIC_OUT"
	[ "$rc" = 0 ] || fail "the traffic's ping did not end on SIGINT"
}

# resets IDX: the device's count of resets of VF IDX
resets()
{
	hw_stat "$PF" "$1" resets
}

# after_loop WANT0 WANT1 R0 R1 N0 N1: both VFs are back with their VLANs and pass
# traffic, and the device reset VF 0 N0 times and VF 1 N1 times since counts R0 and R1
after_loop()
{
	local r0 r1

	vfs_back || return 1
	inv 0 "$1" && inv 1 "$2" && ping_both 100 || return 1
	r0=$(resets 0) && r1=$(resets 1) || fail "no reset counts" || return 1
	echo "device resets: VF 0 +$((r0 - $3)), VF 1 +$((r1 - $4))"
	[ $((r0 - $3)) = "$5" ] && [ $((r1 - $4)) = "$6" ] ||
		fail "expected VF 0 +$5 and VF 1 +$6 resets"
}

# vf_param_check PARAM MIN MAX: simnic_vf refuses PARAM below MIN, above MAX, not a
# number or empty, at load and with a log line naming the range; it takes MIN
vf_param_check()
{
	local p=$1 v

	for v in $(($2 - 1)) $(($3 + 1)) abc ""; do
		kmsg_mark "param-$$-$p-$v"
		if modprobe simnic_vf "$p=$v" 2>/dev/null; then
			rmmod simnic_vf
			fail "simnic_vf loaded with $p='$v'" || return 1
		fi
		[ ! -d /sys/module/simnic_vf ] || fail "simnic_vf stayed loaded" || return 1
		kmsg_since "param-$$-$p-$v" | grep -F "$p must be $2 to $3" ||
			fail "no log line for $p='$v'" || return 1
	done
	modprobe simnic_vf "$p=$2" && [ "$(cat "/sys/module/simnic_vf/parameters/$p")" = "$2" ] ||
		fail "$p=$2 not taken" || return 1
	rmmod simnic_vf
}

# dmesg_clean: no warning, BUG, call trace, stall or hung task since mark TAG
dmesg_clean()
{
	local s

	s=$(kmsg_splats "$TAG") || return 0
	echo "$s" | head -n 20
	return 1
}

# pair_unload: everything the drivers allocated is given back: the modules unload
pair_unload()
{
	ns_del "$NS1" && ns_del "$NS2" || return 1
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot disable SR-IOV" ||
		return 1
	simnic_unload || fail "the modules do not unload"
	PF=""
}

# --- raw frames (rawframe.py): what the switch lets through, proven frame by frame ------

RAWFRAME="/usr/bin/python3 -SI $(dirname "${BASH_SOURCE[0]}")/rawframe.py"

# probe_at RXNS RXDEV ENDDST FRAME...: VF 0 sends each FRAME (DST/SRC/MARKER[/VID]) and
# then an end frame to ENDDST, all in one process; RXDEV in RXNS ("-": this namespace)
# listens. RX_SEEN is the markers it received; the end frame must be among them.
probe_at()
{
	local rxns=$1 rxdev=$2 end=$3

	shift 3
	# shellcheck disable=SC2086
	RX_SEEN=$($RAWFRAME probe "$rxns" "$rxdev" "$NS1" "${DEV[0]}" "$@" \
		"$end/${MAC[0]}/end" 2>&1)
	# shellcheck disable=SC2086 # one line
	echo "received:" $RX_SEEN
	grep -qx end <<<"$RX_SEEN" || fail "the end frame did not arrive"
}

# probe FRAME...: VF 0 sends each FRAME to VF 1, which listens on its netdev
probe()
{
	probe_at "$NS2" "${DEV[1]}" "${MAC[1]}" "$@"
}

# seen MARKER / unseen MARKER: in RX_SEEN or not
seen()
{
	grep -qx "$1" <<<"$RX_SEEN" || fail "frame $1 did not arrive"
}

unseen()
{
	! grep -qx "$1" <<<"$RX_SEEN" || fail "frame $1 arrived"
}

# hw_has_mac IDX MAC: the switch filters on MAC for VF IDX
hw_has_mac()
{
	grep -qx "$2" "$(hw_dbg "$PF" "$1")/macs"
}

# hw_stat_is IDX NAME N
hw_stat_is()
{
	[ "$(hw_stat "$PF" "$1" "$2")" = "$3" ]
}
