#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Anti-spoofing in the switch, frame by frame: with spoofchk on (the default) a VF may
# send only from its primary MAC or an address of its unicast list (a macvlan's MAC),
# and only on VLANs in its filter; behind a port VLAN it may not tag at all. What is refused is dropped and counted in tx_spoofed; with spoofchk off it
# passes. SPOOF_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=spoof-$$
VLAN_CASES=${SPOOF_CASES:-}
NCASES=8
FORGED=02:00:00:5a:66:66
MV_MAC=02:00:00:5a:00:42

# spoof FRAME...: VF 0 sends each FRAME (DST/SRC/MARKER[/VID]) to VF 1, which listens;
# SPOOFED is how much VF 0's tx_spoofed moved
spoof()
{
	local s0 s1

	s0=$(hw_stat "$PF" 0 tx_spoofed) || fail "no tx_spoofed" || return 1
	probe "$@" || return 1
	s1=$(hw_stat "$PF" 0 tx_spoofed)
	SPOOFED=$((s1 - s0))
}

# spoofed N: N frames were dropped as spoofed
spoofed()
{
	[ "$SPOOFED" = "$1" ] || fail "tx_spoofed moved by $SPOOFED, not $1"
}

# A forged source and a group VF 0 joined (IPv4 all-hosts: in its filter, but no
# source) are dropped; its own MAC passes
test_mac_spoof()
{
	local m1=${MAC[1]}

	spoof "$m1/$FORGED/forged" "$m1/01:00:5e:00:00:01/mcast-src" "$m1/${MAC[0]}/own" &&
		unseen forged && unseen mcast-src && seen own && spoofed 2
}

test_mac_spoof_off()
{
	ip link set dev "$PFDEV" vf 0 spoofchk off || fail "spoofchk off refused" || return 1
	vf_info 0 | grep -q "spoof checking off" || fail "ip link: $(vf_info 0)" || return 1
	spoof "${MAC[1]}/$FORGED/forged" && seen forged && spoofed 0 || return 1
	ip link set dev "$PFDEV" vf 0 spoofchk on || return 1
	spoof "${MAC[1]}/$FORGED/forged2" && unseen forged2 && spoofed 1
}

# VF 1 has VLAN 200; VF 0 may tag 200 only once it has the VLAN itself
test_vlan_spoof()
{
	add 1 200 && tables 1 200 || return 1
	spoof "${MAC[1]}/${MAC[0]}/tagged/200" && unseen tagged && spoofed 1 || return 1
	add 0 200 && tables 0 200 || fail "VF 0 has no VLAN 200 filter" || return 1
	spoof "${MAC[1]}/${MAC[0]}/tagged-ok/200" && seen tagged-ok && spoofed 0
}

test_vlan_spoof_off()
{
	add 1 200 && tables 1 200 && ip link set dev "$PFDEV" vf 0 spoofchk off || return 1
	spoof "${MAC[1]}/${MAC[0]}/tagged/200" && seen tagged && spoofed 0
}

# An extra unicast address on VF 0 (bridge fdb add ... self puts it in the netdev's
# unicast list, as a macvlan does): the PF adds it to the switch's filter, so it may be
# a source, and VF 0 stays out of promiscuous mode; once it is gone, it may not
test_uc_addr()
{
	bridge -n "$NS1" fdb add "$MV_MAC" dev "${DEV[0]}" self permanent ||
		fail "cannot add $MV_MAC to VF 0's unicast list" || return 1
	wait_for 10 hw_has_mac 0 "$MV_MAC" ||
		fail "the switch does not filter on $MV_MAC: $(cat "$(hw_dbg "$PF" 0)/macs")" ||
		return 1
	grep -q "^$MV_MAC active" "$(vf_dbg "${VFP[0]}")/addrs" ||
		fail "VF 0's list: $(cat "$(vf_dbg "${VFP[0]}")/addrs")" || return 1
	! ip -n "$NS1" link show dev "${DEV[0]}" | grep -q PROMISC ||
		fail "the address put VF 0 in promiscuous mode" || return 1
	spoof "${MAC[1]}/$MV_MAC/extra" && seen extra && spoofed 0 || return 1
	bridge -n "$NS1" fdb del "$MV_MAC" dev "${DEV[0]}" self || return 1
	wait_for 10 eval '! hw_has_mac 0 "$MV_MAC"' ||
		fail "the switch still filters on $MV_MAC after it went" || return 1
	spoof "${MAC[1]}/$MV_MAC/gone" && unseen gone && spoofed 1
}

# refused_vf0 WHAT ARGS...: ip link set PF vf 0 ARGS fails and VF 0's line stays
refused_vf0()
{
	local what=$1 before

	shift
	before=$(vf_info 0)
	! ip link set dev "$PFDEV" vf 0 "$@" 2>/dev/null || fail "$what accepted" || return 1
	[ "$(vf_info 0)" = "$before" ] || fail "$what changed VF 0: $(vf_info 0)"
}

# Behind port VLAN 300 with priority 5, VF 0 may not tag: the switch tags for it, with
# that priority. VID 4095, qos 8, qos without a VLAN and 802.1ad are refused.
test_port_vlan()
{
	local before

	refused_vf0 "vlan 4095" vlan 4095 && refused_vf0 "qos 8" vlan 300 qos 8 &&
		refused_vf0 "qos without a VLAN" vlan 0 qos 3 &&
		refused_vf0 "802.1ad" vlan 300 proto 802.1ad || return 1
	add 1 300 && tables 1 300 || return 1
	before=$(vf_stat "${VFP[0]}" recoveries) || return 1
	ip link set dev "$PFDEV" vf 0 vlan 300 qos 5 || fail "port VLAN refused" || return 1
	vf_info 0 | grep -q "vlan 300, qos 5" || fail "ip link: $(vf_info 0)" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" recoveries "$before" &&
		vf_up 0 || fail "VF 0 did not come back with its port VLAN" || return 1
	# untagged from VF 0 reaches VF 1 tagged 300, priority 5
	spoof "${MAC[1]}/${MAC[0]}/self-tagged/300" "${MAC[1]}/${MAC[0]}/untagged" &&
		unseen self-tagged && seen untagged && spoofed 1 || return 1
	seen "untagged@300.5" || fail "not tagged VLAN 300 priority 5" || return 1
	# the priority alone changes without a reset
	before=$(hw_stat "$PF" 0 resets)
	ip link set dev "$PFDEV" vf 0 vlan 300 qos 2 && spoof "${MAC[1]}/${MAC[0]}/qos2" &&
		seen "qos2@300.2" || fail "qos 2 did not take" || return 1
	[ "$(hw_stat "$PF" 0 resets)" = "$before" ] || fail "a change of qos reset VF 0"
}

suite_begin "$NCASES"
vcase "spoofchk: a forged source MAC is dropped and counted" test_mac_spoof
vcase "spoofchk off: the forged MAC passes; on again: dropped" test_mac_spoof_off
vcase "spoofchk: a tag of a VLAN the VF lacks is dropped, of its own passes" test_vlan_spoof
vcase "spoofchk off: any VLAN passes" test_vlan_spoof_off
vcase "spoofchk: an address of the unicast list passes while it is there" test_uc_addr
vcase "port VLAN: the switch tags with its priority, drops what the VF tags" test_port_vlan
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
