#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The eswitch in switchdev mode: a devlink port of flavour pcivf and a representor
# netdev per VF (phys_port_name pf0vfN, the uplink's switch ID), no VEB in the switch
# (two VFs cannot reach each other until a Linux bridge over their representors
# switches for them, and the representors count what goes through), back to legacy
# (the representors gone, the VEB forwarding again), representors for VFs enabled in
# switchdev mode (made from the PF's work queue) and gone with them, a mode change
# refused while the card is serviced or with a mode that does not exist, and the PF's
# removal (rmmod) in switchdev mode with VFs bound.
#
# The representor is the policy point, as on ice: in switchdev mode the VFs get no
# anti-spoof, MAC or VLAN filters, port VLAN, promiscuous modes or VLAN capabilities,
# so a VLAN-aware bridge over the representors learns and ages every source MAC the
# VFs' hosts use (a macvlan behind VF 0, a bridge with a host behind VF 1), carries
# each VLAN only where its ports are members, floods unknown unicast and unregistered
# multicast to every representor, and tc flower with mirred redirect forwards between
# representors; the representors count what the VFs count. What ice refuses of
# `ip link set PF vf N ...` (trust) is refused, what it accepts (spoofchk, vlan, mac)
# is kept and applied again in legacy mode, where anti-spoof and the VLAN filters are
# back.
#
# Three VFs, each in its own namespace, with 192.0.2.1 to 192.0.2.3 (VF 1's on the
# bridge in its namespace); IPv4 only (IPv6 off, so that nothing is sent unasked).
# SWITCHDEV_CASES=REGEX runs a subset (the others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"

DBG=/sys/kernel/debug
CASES=${SWITCHDEV_CASES:-}
NCASES=14
NVFS=3
NS=("simnic-sd0-$$" "simnic-sd1-$$" "simnic-sd2-$$")
NSH="simnic-sdh-$$"	# the host behind VF 1's bridge
BR=snbr$$
TAG=switchdev-$$
ESWITCH_MODE="/usr/bin/python3 -SI $dir/eswitch_mode.py"
RAWFRAME="/usr/bin/python3 -SI $dir/rawframe.py"
PF=""
PFDEV=""
SWID=""
REP=("" "" "")	# their representors
DEV=("" "" "")	# the VFs' netdevs, in their namespaces
MV_MAC=02:5a:5d:00:00:0b	# the macvlan on VF 0
HOST_MAC=02:5a:5d:00:00:0c	# the host behind VF 1's bridge
VF2_MAC=02:5a:5d:00:00:2a	# the MAC the host gives VF 2 in switchdev mode

cleanup()
{
	ip link del "$BR" 2>/dev/null
	ns_del "${NS[0]}" 2>/dev/null
	ns_del "${NS[1]}" 2>/dev/null
	ns_del "${NS[2]}" 2>/dev/null
	ns_del "$NSH" 2>/dev/null
	[ -n "$PF" ] && devlink dev eswitch set "pci/$PF" mode legacy 2>/dev/null
	[ -n "$PF" ] && [ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs"
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

# up: the modules loaded, the PF bound with its netdev up
up()
{
	pf_up || return 1
	# shellcheck disable=SC2034 # reprs (lib.sh) reads it
	SWID=$(cat "/sys/class/net/$PFDEV/phys_switch_id") || fail "no switch id" || return 1
	ip link set dev "$PFDEV" up
}

numvfs()
{
	cat "/sys/bus/pci/devices/$PF/sriov_numvfs"
}

# set_vfs N: N VFs (0 first if another number is enabled)
set_vfs()
{
	[ "$(numvfs)" = "$1" ] && return 0
	if [ "$(numvfs)" != 0 ]; then
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot disable VFs" ||
			return 1
	fi
	[ "$1" = 0 ] || echo "$1" >"/sys/bus/pci/devices/$PF/sriov_numvfs" ||
		fail "cannot enable $1 VFs"
}

# repr_of N: the representor of VF N
repr_of()
{
	local n pn

	while read -r n pn; do
		[ "$pn" != "pf0vf$1" ] || { echo "$n"; return 0; }
	done < <(reprs)
	return 1
}

# cnt DEV NAME: a counter of DEV (in this namespace)
cnt()
{
	local v

	read -r v <"/sys/class/net/$1/statistics/$2" && echo "$v"
}

# ns_quiet NS: IPv6 off in NS, for the devices there and those to come
ns_quiet()
{
	ip netns exec "$1" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 &&
		echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'
}

# vfs_in_ns: the VFs bound, each in its namespace, up with 192.0.2.(N+1)/24 (VF 1's
# on its bridge once test_learning has made one); DEV[] their netdevs
vfs_in_ns()
{
	local i pci dev

	for ((i = 0; i < NVFS; i++)); do
		pci=$(vf_pci "$PF" "$i") || fail "no VF $i" || return 1
		dev=$(vf_dev "${NS[i]}" "$pci" 2>/dev/null)
		if [ -z "$dev" ]; then
			ns_del "${NS[i]}" 2>/dev/null
			ip netns add "${NS[i]}" && ns_quiet "${NS[i]}" || return 1
			ip -n "${NS[i]}" link set dev lo up
			wait_for 30 pci_netdev "$pci" >/dev/null ||
				fail "VF $i ($pci) has no netdev" || return 1
			dev=$(pci_netdev "$pci")
			ip link set dev "$dev" netns "${NS[i]}" || return 1
			ip -n "${NS[i]}" addr add "192.0.2.$((i + 1))/24" dev "$dev" || return 1
		fi
		DEV[i]=$dev
		ip -n "${NS[i]}" link set dev "$dev" up || return 1
		wait_for 30 operstate_up "${NS[i]}" "$dev" || fail "VF $i ($dev): no carrier" ||
			return 1
	done
}

# reps_up: REP[] the representors, up, IPv6 off (nothing sent on them unasked)
reps_up()
{
	local i

	for ((i = 0; i < NVFS; i++)); do
		REP[i]=$(repr_of "$i") || fail "no representor pf0vf$i" || return 1
		echo 1 >"/proc/sys/net/ipv6/conf/${REP[i]}/disable_ipv6" &&
			ip link set dev "${REP[i]}" up || return 1
	done
}

# vf_cnt I NAME: a counter of VF I's netdev (in its namespace), in STAT
vf_cnt()
{
	nsq "${NS[$1]}" eval "read -r v </sys/class/net/${DEV[$1]}/statistics/$2; echo \$v" &&
		STAT=${NSQ%$'\n'}
}

# hw_is I NAME VALUE: the switch's stats of VF I say NAME VALUE
hw_is()
{
	stat_get "$DBG/simnic_hw/$PF/vf$1/stats" "$2" && [ "$STAT" = "$3" ] ||
		fail "switch, VF $1: $2 is ${STAT:-missing}, not $3"
}

# fdb_has MAC REP: the bridge learned MAC on REP (a dynamic entry)
fdb_has()
{
	[[ $(bridge fdb show br "$BR" brport "$2") == *"$1 "*master* ]]
}

# ping_from NS ADDR COUNT: COUNT pings from NS to ADDR, one second each at most
ping_from()
{
	ip netns exec "$1" ping -q -c "$3" -i 0.2 -W 1 "$2" >/dev/null 2>&1
}

# ping01 COUNT: VF 0 pings VF 1 (its address, on VF 1 or the bridge in its namespace)
ping01()
{
	ping_from "${NS[0]}" 192.0.2.2 "$1"
}

# switchdev with 3 VFs: one pcivf port per VF with its representor, the uplink's
# switch ID and pf0vfN as port name
test_reprs()
{
	local ports i r

	set_vfs "$NVFS" && vfs_in_ns || return 1
	nreprs_is 0 || fail "representors in legacy mode: $(reprs)" || return 1
	set_mode switchdev || return 1
	mode_is switchdev || fail "the eswitch does not say switchdev" || return 1
	reprs
	nreprs_is "$NVFS" || fail "not $NVFS representors" || return 1
	ports=$(devlink port show)
	echo "$ports"
	for ((i = 0; i < NVFS; i++)); do
		r=$(repr_of "$i") || fail "no representor pf0vf$i" || return 1
		[[ $ports == *"pci/$PF/$((i + 1)): type eth netdev $r flavour pcivf controller 0 pfnum 0 vfnum $i "* ]] ||
			fail "no pcivf port $((i + 1)) with $r" || return 1
		ethtool -i "$r" | grep -q '^driver: simnic_pf' || fail "$r: not simnic_pf" ||
			return 1
	done
	[ "$(grep -c "^pci/$PF/" <<<"$ports")" = $((NVFS + 1)) ] ||
		fail "not the uplink and $NVFS VF ports"
}

# No VEB: VF 0 cannot reach VF 1, and what it sends arrives on its representor
test_no_veb()
{
	local rx0

	set_mode switchdev && vfs_in_ns && reps_up || return 1
	rx0=$(cnt "${REP[0]}" rx_packets)
	! ping01 3 || fail "VF 0 reached VF 1 without a bridge" || return 1
	echo "${REP[0]}: rx_packets $rx0 -> $(cnt "${REP[0]}" rx_packets)"
	[ "$(cnt "${REP[0]}" rx_packets)" -gt "$rx0" ] ||
		fail "what VF 0 sent did not reach its representor"
}

# The VFs were reset into the switchdev policy: no VLAN capability (filtering off,
# fixed), and nothing of the legacy policy in the switch or the PF's tables
test_policy_off()
{
	local i pci k

	set_mode switchdev && vfs_in_ns || return 1
	for ((i = 0; i < NVFS; i++)); do
		pci=$(vf_pci "$PF" "$i")
		wait_for 30 vf_settled "$pci" || fail "VF $i not back from its reset" || return 1
		vf_proto_is "$pci" off ||
			fail "VF $i: VLAN protocol $(cat "$(vf_dbg "$pci")/vlan_proto"), not off" ||
			return 1
		k=$(ip netns exec "${NS[i]}" ethtool -k "${DEV[i]}" | grep rx-vlan-filter:)
		echo "VF $i: $k"
		[[ $k == *"rx-vlan-filter: off [fixed]"* ]] ||
			fail "VF $i: VLAN filtering not off and fixed" || return 1
		hw_is "$i" spoofchk 0 && hw_is "$i" vlan_pruning 0 && hw_is "$i" pvid 0 ||
			return 1
		[ -z "$(cat "$DBG/simnic_hw/$PF/vf$i/macs")" ] ||
			fail "VF $i: MAC filters in the switch: $(cat "$DBG/simnic_hw/$PF/vf$i/macs")" ||
			return 1
		vlan_tables "$pci" "$PF" "$i" "" || return 1
	done
	ip link show "$PFDEV" | grep 'vf '
}

# bridge_stream: 2 MiB over TCP from VF 0 to VF 1 across the bridge arrive intact; VF
# 0 sent TSO frames (fewer than the switch counts on the wire), and its representor
# took each frame the wire would carry (the switch segments for representors)
bridge_stream()
{
	local out=/tmp/switchdev-$$-stream sent got t0 r0 x0 t r x

	stat_get "$DBG/simnic_hw/$PF/vf0/stats" tx_packets && t0=$STAT || return 1
	r0=$(cnt "${REP[0]}" rx_packets) && vf_cnt 0 tx_packets && x0=$STAT || return 1
	ip netns exec "${NS[1]}" "$dir/tcp_stream.py" listen 192.0.2.2 5001 >"$out" &
	wait_for 10 grep -q listening "$out" || fail "no listener" || return 1
	sent=$(ip netns exec "${NS[0]}" "$dir/tcp_stream.py" send 192.0.2.2 5001 2097152) ||
		fail "send: $sent" || return 1
	wait_for 30 eval '[ "$(wc -l <"$out")" -ge 2 ]' || fail "nothing arrived" || return 1
	got=$(tail -n 1 "$out")
	rm -f "$out"
	echo "sent $sent, arrived $got"
	[ "$got" = "$sent" ] || fail "the stream arrived damaged or short" || return 1
	# the representor's count may trail the switch's by what is in flight
	wait_for 5 eval 'stat_get "$DBG/simnic_hw/$PF/vf0/stats" tx_packets &&
		[ "$(cnt "${REP[0]}" rx_packets)" = $((r0 + STAT - t0)) ]'
	t=$((STAT - t0)) r=$(($(cnt "${REP[0]}" rx_packets) - r0))
	vf_cnt 0 tx_packets && x=$((STAT - x0)) || return 1
	echo "VF 0 sent $x frames, $t on the wire; ${REP[0]} took $r"
	[ "$r" = "$t" ] || fail "${REP[0]} took $r frames, not $t" || return 1
	[ "$x" -lt "$t" ] || fail "VF 0 sent no TSO frame"
}

# A VLAN-aware bridge over the representors switches: the ping passes, and the
# representors count frames in both directions; a TCP stream passes, segmented for the
# representor
test_bridge()
{
	local i rx tx

	set_mode switchdev && vfs_in_ns && reps_up || return 1
	for i in 0 1; do
		rx[i]=$(cnt "${REP[i]}" rx_packets)
		tx[i]=$(cnt "${REP[i]}" tx_packets)
	done
	ip link add name "$BR" type bridge vlan_filtering 1 ||
		fail "cannot make a bridge" || return 1
	echo 1 >"/proc/sys/net/ipv6/conf/$BR/disable_ipv6" || return 1
	for ((i = 0; i < NVFS; i++)); do
		ip link set dev "${REP[i]}" master "$BR" || fail "cannot enslave ${REP[i]}" ||
			return 1
	done
	ip link set dev "$BR" up || return 1
	wait_for 20 ping01 1 || fail "VF 0 cannot reach VF 1 over the bridge" || return 1
	ping01 5 || fail "pings lost over the bridge" || return 1
	for i in 0 1; do
		echo "${REP[i]}: rx ${rx[i]} -> $(cnt "${REP[i]}" rx_packets)," \
			"tx ${tx[i]} -> $(cnt "${REP[i]}" tx_packets)"
		[ "$(cnt "${REP[i]}" rx_packets)" -ge $((rx[i] + 5)) ] &&
			[ "$(cnt "${REP[i]}" tx_packets)" -ge $((tx[i] + 5)) ] ||
			fail "${REP[i]} did not count the pings" || return 1
	done
	bridge_stream
}

# The bridge learns every source MAC the VFs' hosts use, and ages them: a macvlan on
# VF 0 (192.0.2.11), and a host (192.0.2.12) behind a bridge in VF 1's namespace
test_learning()
{
	local mv=mv$$ vbr=vbr$$ mac1

	set_mode switchdev && vfs_in_ns && reps_up || return 1
	kmsg_mark "$TAG-promisc"
	ip -n "${NS[0]}" link add link "${DEV[0]}" name "$mv" address "$MV_MAC" \
		type macvlan mode bridge &&
		ip -n "${NS[0]}" addr add 192.0.2.11/24 dev "$mv" &&
		ip -n "${NS[0]}" link set dev "$mv" up || fail "cannot make the macvlan" ||
		return 1
	# VF 1 into a bridge that keeps its MAC and takes its address, a host behind it
	mac1=$(dev_mac "${NS[1]}" "${DEV[1]}")
	ip netns add "$NSH" && ns_quiet "$NSH" || return 1
	ip -n "${NS[1]}" link add name "$vbr" address "$mac1" type bridge &&
		ip -n "${NS[1]}" link add name hv type veth peer name h0 netns "$NSH" &&
		ip -n "${NS[1]}" link set dev hv master "$vbr" up &&
		ip -n "${NS[1]}" addr del 192.0.2.2/24 dev "${DEV[1]}" &&
		ip -n "${NS[1]}" link set dev "${DEV[1]}" master "$vbr" &&
		ip -n "${NS[1]}" addr add 192.0.2.2/24 dev "$vbr" &&
		ip -n "${NS[1]}" link set dev "$vbr" up &&
		ip -n "$NSH" link set dev h0 address "$HOST_MAC" &&
		ip -n "$NSH" addr add 192.0.2.12/24 dev h0 &&
		ip -n "$NSH" link set dev h0 up || fail "cannot make the bridge behind VF 1" ||
		return 1
	wait_for 20 ping_from "${NS[0]}" 192.0.2.12 1 ||
		fail "the macvlan on VF 0 cannot reach the host behind VF 1" || return 1
	ping01 2 || fail "VF 0 cannot reach VF 1's bridge" || return 1
	bridge fdb show br "$BR" | grep -v permanent
	fdb_has "$MV_MAC" "${REP[0]}" || fail "the macvlan's MAC not learned on ${REP[0]}" ||
		return 1
	fdb_has "$HOST_MAC" "${REP[1]}" ||
		fail "the MAC of the host behind VF 1 not learned on ${REP[1]}" || return 1
	# nothing more is sent from either: both age out, in 3 s once the ageing time is
	# that short (set only now: a guest short of CPU can take longer than 3 s from the
	# last ping to the look at the table)
	ip link set dev "$BR" type bridge ageing_time 300 || return 1
	wait_for 30 eval '! fdb_has "$MV_MAC" "${REP[0]}" && ! fdb_has "$HOST_MAC" "${REP[1]}"' ||
		fail "learned MACs did not age out: $(bridge fdb show br "$BR" | grep -v permanent)" ||
		return 1
	echo "both aged out"
	ip link set dev "$BR" type bridge ageing_time 30000
}

# Per-port VLANs on the bridge carry each VID where its ports are members and nowhere
# else: VF 0 and VF 2 each have VLANs 10 and 20, and ${REP[2]} is a member of 10 only.
# The VFs filter nothing (their tables stay empty).
test_bridge_vlans()
{
	local i v

	set_mode switchdev && vfs_in_ns && reps_up || return 1
	for i in 0 2; do
		for v in 10 20; do
			ip -n "${NS[i]}" link add link "${DEV[i]}" name "v$v" type vlan id "$v" ||
				fail "VF $i: cannot add VLAN $v" || return 1
			ip -n "${NS[i]}" link set dev "v$v" up || return 1
		done
		ip -n "${NS[i]}" addr add "198.51.100.$((i + 1))/24" dev v10 &&
			ip -n "${NS[i]}" addr add "203.0.113.$((i + 1))/24" dev v20 || return 1
	done
	bridge vlan add dev "${REP[0]}" vid 10 && bridge vlan add dev "${REP[0]}" vid 20 &&
		bridge vlan add dev "${REP[2]}" vid 10 || fail "cannot add bridge VLANs" ||
		return 1
	bridge vlan show
	wait_for 20 ping_from "${NS[0]}" 198.51.100.3 1 ||
		fail "VLAN 10 does not carry VF 0 to VF 2" || return 1
	ping_from "${NS[0]}" 198.51.100.3 3 || fail "pings lost on VLAN 10" || return 1
	! ping_from "${NS[0]}" 203.0.113.3 3 ||
		fail "VLAN 20 reached VF 2, whose representor is not a member" || return 1
	echo "VLAN 10 carries VF 0 to VF 2; VLAN 20 does not"
	for i in 0 2; do
		vlan_tables "$(vf_pci "$PF" "$i")" "$PF" "$i" "" || return 1
	done
}

# Unknown unicast and unregistered multicast from VF 0 flood to the other
# representors and their VFs, and the representors count what the VFs count. It runs
# before test_bridge_vlans: the IGMP reports of the VLAN devices that case makes would
# still be on their way here (the counters are compared frame for frame)
# flood_counts: in FC, VF 0's tx and its representor's rx, then for VFs 1 and 2 the
# VF's rx and its representor's tx; read until two reads half a second apart agree, so
# that no frame is on its way between a VF and its representor (an IGMP report, say)
flood_counts()
{
	local prev="" now="" i try

	for ((try = 0; try < 40; try++)); do
		vf_cnt 0 tx_packets || return 1
		now="$STAT $(cnt "${REP[0]}" rx_packets)"
		for i in 1 2; do
			vf_cnt "$i" rx_packets || return 1
			now+=" $STAT $(cnt "${REP[i]}" tx_packets)"
		done
		if [ "$now" = "$prev" ]; then
			read -r -a FC <<<"$now"
			return 0
		fi
		prev=$now
		nap 0.5
	done
	fail "the counters never held still: $now"
}

test_flood()
{
	local out i before

	set_mode switchdev && vfs_in_ns && reps_up || return 1
	flood_counts || return 1
	before=("${FC[@]}")
	out=$($RAWFRAME probe "${NS[1]},${NS[2]}" "${DEV[1]},${DEV[2]}" "${NS[0]}" "${DEV[0]}" \
		"02:5a:5d:00:00:99/$MV_MAC/uu" "01:00:5e:7f:00:01/$MV_MAC/mc" \
		"ff:ff:ff:ff:ff:ff/$MV_MAC/end" 2>&1)
	# shellcheck disable=SC2086 # one line
	echo "received:" $out
	for i in 0 1; do
		grep -qx "$i:uu" <<<"$out" && grep -qx "$i:mc" <<<"$out" &&
			grep -qx "$i:end" <<<"$out" || fail "not flooded to VF $((i + 1))" || return 1
	done
	flood_counts || return 1
	echo "VF 0 sent $((FC[0] - before[0])), ${REP[0]} received $((FC[1] - before[1]))"
	[ $((FC[0] - before[0])) = $((FC[1] - before[1])) ] && [ $((FC[0] - before[0])) -ge 3 ] ||
		fail "${REP[0]} counts otherwise than VF 0" || return 1
	for i in 1 2; do
		echo "${REP[i]} sent $((FC[2 * i + 1] - before[2 * i + 1]))," \
		     "VF $i received $((FC[2 * i] - before[2 * i]))"
		[ $((FC[2 * i] - before[2 * i])) = $((FC[2 * i + 1] - before[2 * i + 1])) ] &&
			[ $((FC[2 * i] - before[2 * i])) -ge 3 ] ||
			fail "${REP[i]} counts otherwise than VF $i" || return 1
	done
}

# tc flower on the representors' ingress, mirred redirect to the other one: forwards
# without the bridge
test_tc_redirect()
{
	local i mac0 mac1 st

	set_mode switchdev && vfs_in_ns && reps_up || return 1
	mac0=$(dev_mac "${NS[0]}" "${DEV[0]}") && mac1=$(dev_mac "${NS[1]}" "${DEV[1]}") ||
		return 1
	for i in 0 1; do
		ip link set dev "${REP[i]}" nomaster && tc qdisc add dev "${REP[i]}" clsact ||
			fail "cannot set up ${REP[i]}" || return 1
	done
	tc filter add dev "${REP[0]}" ingress protocol all flower src_mac "$mac0" \
		action mirred egress redirect dev "${REP[1]}" &&
		tc filter add dev "${REP[1]}" ingress protocol all flower src_mac "$mac1" \
		action mirred egress redirect dev "${REP[0]}" ||
		fail "cannot add the flower filters" || return 1
	wait_for 20 ping01 1 || fail "VF 0 cannot reach VF 1 through tc" || return 1
	ping01 3 || fail "pings lost through tc" || return 1
	for i in 0 1; do
		st=$(tc -s filter show dev "${REP[i]}" ingress)
		echo "$st" | grep -E 'not_in_hw|Sent'
		[[ $st =~ Sent\ [0-9]+\ bytes\ ([0-9]+)\ pkt ]] && [ "${BASH_REMATCH[1]}" -ge 4 ] ||
			fail "${REP[i]}: the filter did not count the pings" || return 1
	done
	for i in 0 1; do
		tc qdisc del dev "${REP[i]}" clsact && ip link set dev "${REP[i]}" master "$BR" ||
			return 1
	done
	! ping01 1 || return 0
	wait_for 20 ping01 1 || fail "the bridge does not switch again"
}

# ip link set PF vf N ... in switchdev mode: trust is refused, spoofchk, vlan and mac
# are kept (not applied); VF 1's promiscuous request (its bridge) was refused once
test_host_settings()
{
	local out n

	set_mode switchdev && vfs_in_ns || return 1
	if out=$(ip link set dev "$PFDEV" vf 0 trust on 2>&1); then
		fail "trust accepted in switchdev mode"
		return 1
	fi
	echo "trust on: $out"
	dmesg | tail -n 5 | grep 'forbidden in switchdev mode' ||
		fail "no message for the refused trust" || return 1
	ip link set dev "$PFDEV" vf 2 spoofchk off && ip link set dev "$PFDEV" vf 2 vlan 30 &&
		ip link set dev "$PFDEV" vf 2 mac "$VF2_MAC" ||
		fail "spoofchk, vlan or mac refused in switchdev mode" || return 1
	out=$(ip link show dev "$PFDEV" | grep 'vf 2 ')
	echo "$out"
	[[ $out == *"$VF2_MAC brd "*", vlan 30,"*"spoof checking off"* ]] ||
		fail "the settings are not kept" || return 1
	wait_for 30 eval '[ "$(dev_mac "${NS[2]}" "${DEV[2]}")" = "$VF2_MAC" ]' ||
		fail "VF 2 did not take its new MAC" || return 1
	hw_is 2 spoofchk 0 && hw_is 2 pvid 0 || return 1
	[ -z "$(cat "$DBG/simnic_hw/$PF/vf2/macs")" ] || fail "MAC filters for VF 2" || return 1
	vf_proto_is "$(vf_pci "$PF" 2)" off || fail "VF 2 got VLAN capabilities" || return 1
	# its bridge made VF 1 all-multicast, then promiscuous: each asked for once (a
	# VF that retried would have asked every watchdog run since)
	out=$(kmsg_since "$TAG-promisc")
	n=$(grep -c "VF 1: promiscuous modes are not supported in switchdev mode" <<<"$out")
	echo "VF 1's requests refused: $n"
	grep "refused .* mode (status" <<<"$out"
	[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "VF 1 asked $n times, not once per mode" ||
		return 1
	[ "$(grep -c "refused .* mode (status.*as in switchdev mode" <<<"$out")" = "$n" ] ||
		fail "VF 1 did not say once per refusal why it has no such mode"
}

# Back to legacy: the representors and their ports go (the bridge loses its ports);
# the VFs' VLAN filters are back (the three tables agree with their VLAN devices),
# anti-spoof drops the host behind VF 1 again, the settings kept are applied, and the
# VEB forwards between the VFs
test_legacy()
{
	local ports sp i pci

	set_mode legacy || return 1
	nreprs_is 0 || fail "representors left: $(reprs)" || return 1
	ports=$(devlink port show)
	echo "$ports"
	[ "$(grep -c "^pci/$PF/" <<<"$ports")" = 1 ] || fail "ports other than the uplink" ||
		return 1
	ip link del "$BR" 2>/dev/null
	vfs_in_ns || return 1
	pci=$(vf_pci "$PF" 0)
	wait_for 30 vf_settled "$pci" && vf_proto_is "$pci" v2 ||
		fail "VF 0 has no VLAN filters again" || return 1
	vlan_invariant "${NS[0]}" "${DEV[0]}" "$pci" "$PF" 0 "10 20" || return 1
	echo "VF 0: VLANs 10 and 20 in its list, the PF's table and the switch's"
	wait_for 20 ping01 1 || fail "VF 0 cannot reach VF 1 through the VEB" || return 1
	ping01 3 || fail "pings lost through the VEB" || return 1
	hw_is 1 spoofchk 1 && hw_is 1 vlan_pruning 1 || return 1
	stat_get "$DBG/simnic_hw/$PF/vf1/stats" tx_spoofed && sp=$STAT
	! ping_from "$NSH" 192.0.2.1 2 ||
		fail "the host behind VF 1 passed anti-spoof" || return 1
	stat_get "$DBG/simnic_hw/$PF/vf1/stats" tx_spoofed
	echo "VF 1: tx_spoofed $sp -> $STAT"
	[ "$STAT" -gt "$sp" ] || fail "anti-spoof dropped nothing of VF 1's" || return 1
	# VF 2: what the host set in switchdev mode
	wait_for 30 vf_settled "$(vf_pci "$PF" 2)" || fail "VF 2 not back" || return 1
	hw_is 2 spoofchk 0 && hw_is 2 pvid 30 || return 1
	grep -qx "$VF2_MAC" "$DBG/simnic_hw/$PF/vf2/macs" ||
		fail "VF 2's MAC not in the switch" || return 1
	vf_proto_is "$(vf_pci "$PF" 2)" none || fail "VF 2 is not behind its port VLAN" ||
		return 1
	ip link set dev "$PFDEV" vf 2 vlan 0 && ip link set dev "$PFDEV" vf 2 spoofchk on ||
		return 1
	for i in 0 2; do
		ip -n "${NS[i]}" link del v10 && ip -n "${NS[i]}" link del v20 || return 1
	done
}

# In switchdev mode, VFs disabled take their representors with them, and VFs enabled
# get theirs (from the work queue, a moment later)
test_vfs_later()
{
	set_vfs 2 && set_mode switchdev && nreprs_is 2 || fail "no representors" || return 1
	set_vfs 0 || return 1
	nreprs_is 0 || fail "representors left without VFs: $(reprs)" || return 1
	set_vfs 2 || return 1
	wait_for 20 nreprs_is 2 || fail "no representors for the new VFs: $(reprs)" ||
		return 1
	reprs
	[ "$(wq_stat eswitch_vfs)" = 2 ] || fail "the eswitch does not know of 2 VFs"
}

# A mode that does not exist (by name to the devlink tool, by number to the kernel),
# and any change while the card is serviced, are refused; nothing changes
test_refused()
{
	local before after out rc

	set_mode switchdev || return 1
	before=$(devlink port show; reprs)
	! devlink dev eswitch set "pci/$PF" mode bogus 2>/dev/null ||
		fail "mode bogus accepted" || return 1
	# the devlink tool refuses that name itself: send the kernel a raw mode 7
	# shellcheck disable=SC2086
	out=$($ESWITCH_MODE "pci/$PF" 7)
	rc=$?
	echo "$out"
	[ "$rc" = 1 ] || fail "mode 7 not refused (exit $rc)" || return 1
	mode_is switchdev || fail "mode 7 changed the mode" || return 1
	kmsg_mark "$TAG-service"
	# away until told to come back: the refusal below must come while the card is
	# still away, however slow the kernel (the debug kernel, a loaded host)
	echo 60000 >"$DBG/simnic_hw/$PF/service" || fail "cannot start a servicing" ||
		return 1
	wait_for 5 eval 'kmsg_since "$TAG-service" | grep -q "device servicing"' ||
		fail "the PF did not see the servicing" || return 1
	if out=$(devlink dev eswitch set "pci/$PF" mode legacy 2>&1); then
		fail "legacy accepted while servicing"
		return 1
	fi
	echo "while servicing: $out"
	[[ $out == *serviced* ]] || fail "no extack message" || return 1
	mode_is switchdev || fail "the mode changed" || return 1
	after=$(devlink port show; reprs)
	[ "$before" = "$after" ] || fail "changed: $after" || return 1
	echo back >"$DBG/simnic_hw/$PF/service" || fail "the card came back by itself" ||
		return 1
	wait_for 30 eval 'kmsg_since "$TAG-service" | grep -q "device back"' ||
		fail "the card did not come back" || return 1
	set_mode legacy && set_mode switchdev && nreprs_is 2 ||
		fail "no mode change after the servicing"
}

# rmmod simnic_pf in switchdev mode with both VFs bound and a bridge over their
# representors: the representors, the VFs and the PF go, without a splat
test_unload()
{
	local t0 s

	set_mode switchdev && wait_for 30 pci_netdev "$(vf_pci "$PF" 1)" >/dev/null ||
		fail "VF 1 not bound" || return 1
	ip link add name "$BR" type bridge 2>/dev/null
	ip link set dev "$(repr_of 0)" master "$BR" && ip link set dev "$(repr_of 1)" master "$BR" ||
		return 1
	kmsg_mark "$TAG-unload"
	t0=$SECONDS
	timeout 60 rmmod simnic_pf || fail "rmmod simnic_pf failed or hung" || return 1
	echo "rmmod took $((SECONDS - t0)) s"
	nreprs_is 0 || fail "representors left" || return 1
	ip link del "$BR" 2>/dev/null
	simnic_unload || fail "the modules do not unload" || return 1
	if s=$(kmsg_splats "$TAG-unload"); then
		echo "$s" | head -n 20
		return 1
	fi
	PF=""
}

devlink_suite_begin "$NCASES"
selected_case "switchdev: a pcivf port and a representor per VF" test_reprs
selected_case "switchdev: no VEB, VF to VF fails without a bridge" test_no_veb
selected_case "switchdev: VFs reset with no anti-spoof, filters or VLAN caps" test_policy_off
selected_case "switchdev: a bridge over the representors switches" test_bridge
selected_case "switchdev: the bridge learns and ages the VFs' hosts' MACs" test_learning
selected_case "switchdev: unknown unicast and multicast flood, counters match" test_flood
selected_case "switchdev: bridge VLANs carry each VID only to members" test_bridge_vlans
selected_case "switchdev: tc flower mirred redirect between representors" test_tc_redirect
selected_case "switchdev: trust refused, spoofchk/vlan/mac kept, no promisc" test_host_settings
selected_case "legacy: filters, anti-spoof and settings back, the VEB forwards" test_legacy
selected_case "switchdev: VFs disabled and enabled take and get representors" test_vfs_later
selected_case "eswitch: bad mode and change while serviced refused" test_refused
selected_case "unload: rmmod simnic_pf in switchdev mode with VFs" test_unload
selected_case "unload: nothing left" eval '[ ! -d /sys/module/simnic_pf ]'
ktap_finish
