#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Anti-spoofing in the switch, frame by frame: with spoofchk on (the default) a VF may
# send only from a MAC the PF gave it or it registered (its primary MAC, the unicast
# list: a macvlan's MAC), and only on VLANs in its filter; behind a port VLAN it may not
# tag at all. What is refused is dropped and counted in tx_spoofed; with spoofchk off it
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

# spoof_try NAME SRC [VID]: VF 0 sends frame NAME to VF 1 from SRC (tagged VID); VF 1
# listens on its netdev; SPOOFED is how much tx_spoofed of VF 0 moved
spoof_try()
{
	local s0 s1

	s0=$(hw_stat "$PF" 0 tx_spoofed) || fail "no tx_spoofed" || return 1
	rx_start 1 "${DEV[1]}" || return 1
	tx 0 "${MAC[1]}" "$2" "$1" ${3:+"$3"} || return 1
	s1=$(hw_stat "$PF" 0 tx_spoofed)
	SPOOFED=$((s1 - s0))
	rx_end
}

test_mac_spoof()
{
	spoof_try forged "$FORGED" || return 1
	unseen forged || return 1
	[ "$SPOOFED" = 1 ] || fail "tx_spoofed moved by $SPOOFED, not 1" || return 1
	# a group VF 0 joined (IPv4 all-hosts) is in its filter, but is no source
	spoof_try mcast-src 01:00:5e:00:00:01 && unseen mcast-src && [ "$SPOOFED" = 1 ] ||
		fail "a multicast source passed" || return 1
	spoof_try own "${MAC[0]}" && seen own && [ "$SPOOFED" = 0 ] ||
		fail "VF 0's own MAC was refused"
}

test_mac_spoof_off()
{
	ip link set dev "$PFDEV" vf 0 spoofchk off || fail "spoofchk off refused" || return 1
	vf_info 0 | grep -q "spoof checking off" || fail "ip link: $(vf_info 0)" || return 1
	spoof_try forged "$FORGED" && seen forged && [ "$SPOOFED" = 0 ] ||
		fail "with spoofchk off the forged frame did not pass uncounted" || return 1
	ip link set dev "$PFDEV" vf 0 spoofchk on || return 1
	spoof_try forged2 "$FORGED" && unseen forged2 && [ "$SPOOFED" = 1 ] ||
		fail "spoofchk on again did not drop it"
}

# VF 1 has VLAN 200; VF 0 may tag 200 only once it has the VLAN itself
test_vlan_spoof()
{
	add 1 200 && tables 1 200 || return 1
	spoof_try tagged "${MAC[0]}" 200 && unseen tagged || return 1
	[ "$SPOOFED" = 1 ] || fail "tx_spoofed moved by $SPOOFED, not 1" || return 1
	add 0 200 && tables 0 200 || fail "VF 0 has no VLAN 200 filter" || return 1
	spoof_try tagged-ok "${MAC[0]}" 200 && seen tagged-ok && [ "$SPOOFED" = 0 ] ||
		fail "a VLAN of VF 0's filter was refused"
}

test_vlan_spoof_off()
{
	add 1 200 && tables 1 200 && ip link set dev "$PFDEV" vf 0 spoofchk off || return 1
	spoof_try tagged "${MAC[0]}" 200 && seen tagged && [ "$SPOOFED" = 0 ] ||
		fail "with spoofchk off, a tag of a VLAN VF 0 lacks did not pass"
}

# A macvlan on VF 0: its MAC joins the VF's unicast list, so the PF adds it to the
# switch's filter and it may be a source; once the macvlan goes, it may not
test_macvlan()
{
	local mv=mv-$$

	ip -n "$NS1" link add link "${DEV[0]}" name "$mv" address "$MV_MAC" type macvlan \
		mode bridge || fail "cannot make a macvlan" || return 1
	ip -n "$NS1" link set dev "$mv" up || return 1
	wait_for 10 hw_has_mac 0 "$MV_MAC" ||
		fail "the switch does not filter on $MV_MAC: $(cat "$(hw_dbg "$PF" 0)/macs")" ||
		return 1
	grep -q "^$MV_MAC active" "$(vf_dbg "${VFP[0]}")/addrs" ||
		fail "VF 0's list: $(cat "$(vf_dbg "${VFP[0]}")/addrs")" || return 1
	ip netns exec "$NS1" ip link show dev "${DEV[0]}" | grep -q PROMISC &&
		fail "the macvlan put VF 0 in promiscuous mode" && return 1
	spoof_try macvlan "$MV_MAC" && seen macvlan && [ "$SPOOFED" = 0 ] ||
		fail "the macvlan's MAC was refused as a source" || return 1
	ip -n "$NS1" link del dev "$mv" || return 1
	wait_for 10 eval '! hw_has_mac 0 "$MV_MAC"' ||
		fail "the switch still filters on $MV_MAC after the macvlan went" || return 1
	spoof_try gone "$MV_MAC" && unseen gone && [ "$SPOOFED" = 1 ] ||
		fail "the old macvlan MAC still passes"
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
	spoof_try self-tagged "${MAC[0]}" 300 && unseen self-tagged || return 1
	[ "$SPOOFED" = 1 ] || fail "tx_spoofed moved by $SPOOFED, not 1" || return 1
	# untagged from VF 0 reaches VF 1 tagged 300: the receiver sees it on VF 1
	spoof_try untagged "${MAC[0]}" && seen untagged && [ "$SPOOFED" = 0 ] ||
		fail "an untagged frame behind the port VLAN did not pass" || return 1
	seen "untagged@300.5" || fail "not tagged VLAN 300 priority 5" || return 1
	# the priority alone changes without a reset
	before=$(hw_stat "$PF" 0 resets)
	ip link set dev "$PFDEV" vf 0 vlan 300 qos 2 && spoof_try qos2 "${MAC[0]}" &&
		seen "qos2@300.2" || fail "qos 2 did not take" || return 1
	[ "$(hw_stat "$PF" 0 resets)" = "$before" ] || fail "a change of qos reset VF 0"
}

require_root_and_tools
ktap_plan $NCASES
kmsg_mark "$TAG"
if ! setup; then
	for ((k = 0; k < NCASES; k++)); do
		ktap_result "setup" "$KSFT_FAIL"
	done
	ktap_finish
fi
vcase "spoofchk: a forged source MAC is dropped and counted" test_mac_spoof
vcase "spoofchk off: the forged MAC passes; on again: dropped" test_mac_spoof_off
vcase "spoofchk: a tag of a VLAN the VF lacks is dropped, of its own passes" test_vlan_spoof
vcase "spoofchk off: any VLAN passes" test_vlan_spoof_off
vcase "spoofchk: a macvlan's MAC passes while the macvlan exists" test_macvlan
vcase "port VLAN: the switch tags with its priority, drops what the VF tags" test_port_vlan
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
