#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What each VF receives, frame by frame: unicast only to the VF it is addressed to,
# multicast only to the VFs that joined the group, all-multicast and promiscuous mode
# only for a trusted VF, the untrusted limit of 18 MAC addresses, and VF netdevs that
# move between namespaces. ISOLATION_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=isolation-$$
VLAN_CASES=${ISOLATION_CASES:-}
NCASES=10
GROUP=01:00:5e:01:02:03
UNKNOWN=02:00:00:5a:99:99

# to1 MARKER DST: VF 0 sends MARKER to DST, VF 1 listening; RX_SEEN is what VF 1 got
to1()
{
	probe "$2/${MAC[0]}/$1"
}

# Unicast for VF 1 reaches VF 1 and not the PF; unicast for nobody reaches neither
test_unicast()
{
	local vf1=${MAC[1]}/${MAC[0]}/for-vf1 nobody=$UNKNOWN/${MAC[0]}/for-nobody

	# the PF listens; the end frame is a broadcast, which it gets
	probe_at - "$PFDEV" ff:ff:ff:ff:ff:ff "$vf1" "$nobody" &&
		unseen for-vf1 && unseen for-nobody || return 1
	probe "$vf1" "$nobody" && seen for-vf1 && unseen for-nobody
}

# vf_addr_is IDX MAC STATE: VF IDX's list has MAC in STATE
vf_addr_is()
{
	grep -qx "$2 $3" "$(vf_dbg "${VFP[$1]}")/addrs"
}

# A unicast address belongs to one function: VF 0 cannot add VF 1's MAC to its
# unicast list and so take VF 1's traffic
test_unicast_taken()
{
	local rc=0

	bridge -n "$NS1" fdb add "${MAC[1]}" dev "${DEV[0]}" self permanent ||
		fail "cannot add VF 1's MAC to VF 0's list" || return 1
	wait_for 10 vf_addr_is 0 "${MAC[1]}" refused ||
		fail "VF 0's list: $(cat "$(vf_dbg "${VFP[0]}")/addrs")" || rc=1
	! hw_has_mac 0 "${MAC[1]}" || fail "the switch gave VF 0 VF 1's MAC" || rc=1
	[ "$rc" = 0 ] && probe "${MAC[1]}/${MAC[0]}/for-vf1" && seen for-vf1 || rc=1
	bridge -n "$NS1" fdb del "${MAC[1]}" dev "${DEV[0]}" self || rc=1
	return "$rc"
}

# An untrusted VF whose MAC the host set may add no unicast address (multicast yes)
test_admin_mac()
{
	local extra=02:00:00:5a:00:43 before rc=0

	before=$(vf_stat "${VFP[1]}" recoveries) || return 1
	ip link set dev "$PFDEV" vf 1 mac 02:00:00:5a:00:02 &&
		wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[1]}" recoveries "$before" &&
		vf_up 1 || fail "VF 1 did not take the host's MAC" || return 1
	bridge -n "$NS2" fdb add "$extra" dev "${DEV[1]}" self permanent || return 1
	wait_for 10 vf_addr_is 1 "$extra" refused ||
		fail "VF 1's list: $(cat "$(vf_dbg "${VFP[1]}")/addrs")" || rc=1
	! hw_has_mac 1 "$extra" || fail "the switch has $extra for VF 1" || rc=1
	bridge -n "$NS2" fdb del "$extra" dev "${DEV[1]}" self || rc=1
	before=$(vf_stat "${VFP[1]}" recoveries)
	ip link set dev "$PFDEV" vf 1 mac 00:00:00:00:00:00 &&
		wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[1]}" recoveries "$before" ||
		fail "VF 1 did not go back to a random MAC" || rc=1
	return "$rc"
}

# A multicast group reaches VF 1 once it joins, and is counted as filtered before
test_multicast()
{
	local f0

	f0=$(hw_stat "$PF" 1 rx_mac_filtered) || fail "no rx_mac_filtered" || return 1
	to1 not-joined "$GROUP" && unseen not-joined || return 1
	# at least: the VFs' own neighbour discovery may be filtered meanwhile too
	hw_stat_at_least "$PF" 1 rx_mac_filtered $((f0 + 1)) ||
		fail "rx_mac_filtered is still $f0" || return 1
	ip -n "$NS2" maddr add "$GROUP" dev "${DEV[1]}" || fail "cannot join $GROUP" || return 1
	wait_for 10 hw_has_mac 1 "$GROUP" || fail "the switch does not filter on $GROUP" ||
		return 1
	to1 joined "$GROUP" && seen joined || return 1
	ip -n "$NS2" maddr del "$GROUP" dev "${DEV[1]}" || return 1
	wait_for 10 eval '! hw_has_mac 1 "$GROUP"' || fail "$GROUP stays after leaving" ||
		return 1
	to1 left "$GROUP" && unseen left
}

# mode_case FLAG STAT DST: FLAG (allmulticast or promisc) on VF 1 is refused with a
# message while untrusted, and the frame to DST stays filtered; trusted, the switch
# sets STAT and the frame arrives; off again, it is filtered again
mode_case()
{
	local flag=$1 stat=$2 dst=$3 mark=mode-$$-$1

	kmsg_mark "$mark"
	ip -n "$NS2" link set dev "${DEV[1]}" "$flag" on || fail "$flag on failed" || return 1
	wait_for 10 eval 'kmsg_since "$mark" | grep -q "the PF refused .* mode.*trust"' ||
		fail "no message about the refusal" || return 1
	kmsg_since "$mark" | grep "refused"
	hw_stat_is 1 "$stat" 0 || fail "the switch set $stat for an untrusted VF" || return 1
	to1 untrusted "$dst" && unseen untrusted || return 1
	trust 1 on && wait_for 10 hw_stat_is 1 "$stat" 1 ||
		fail "trusted, VF 1 has no $stat in the switch" || return 1
	to1 trusted "$dst" && seen trusted || return 1
	ip -n "$NS2" link set dev "${DEV[1]}" "$flag" off &&
		wait_for 10 hw_stat_is 1 "$stat" 0 || fail "$flag off did not reach the switch" ||
		return 1
	to1 off "$dst" && unseen off
}

test_allmulti()
{
	mode_case allmulticast allmulti "$GROUP"
}

test_promisc()
{
	mode_case promisc promisc "$UNKNOWN"
}

# macs IDX: the switch's MAC filters of VF IDX
macs()
{
	wc -l <"$(hw_dbg "$PF" "$1")/macs"
}

# vf_addrs_settled IDX: nothing of VF IDX's lists waits for the PF
vf_addrs_settled()
{
	! grep -Eq " (add|adding|remove|removing)$" "$(vf_dbg "${VFP[$1]}")/addrs"
}

# 20 more groups on untrusted VF 1: the switch has 18 addresses for it and VF 1 says
# which it could not have; trusted, it has them all; untrusted again, 18
test_limit()
{
	local i n want mark=limit-$$ rc=0

	kmsg_mark "$mark"
	# one ip per group: ip -batch takes only the first maddr of a batch
	for i in $(seq 10 29); do
		ip -n "$NS2" maddr add "01:00:5e:00:10:$i" dev "${DEV[1]}" ||
			fail "cannot join group $i" || return 1
	done
	wait_for 20 vf_addrs_settled 1 || fail "VF 1's list does not settle" || rc=1
	want=$((1 + $(wc -l <"$(vf_dbg "${VFP[1]}")/addrs")))
	n=$(macs 1)
	echo "untrusted: the switch has $n addresses of the $want VF 1 wants"
	[ "$n" = 18 ] || fail "not 18" || rc=1
	kmsg_since "$mark" | grep -m1 "refused address .*18 MAC addresses.*trust" ||
		fail "no message about the limit" || rc=1
	if [ "$rc" = 0 ]; then
		trust 1 on && wait_for 20 eval '[ "$(macs 1)" = "$want" ]' ||
			fail "trusted: $(macs 1) addresses, not $want" || rc=1
		trust 1 off && wait_for 20 eval '[ "$(macs 1)" = 18 ]' ||
			fail "untrusted again: $(macs 1) addresses, not 18" || rc=1
	fi
	for i in $(seq 10 29); do
		ip -n "$NS2" maddr del "01:00:5e:00:10:$i" dev "${DEV[1]}" || rc=1
	done
	wait_for 20 eval '[ "$(macs 1)" -lt 18 ] && vf_addrs_settled 1' ||
		fail "the groups do not go" || rc=1
	return "$rc"
}

# VF 1 moves to a new namespace and back. Its VLAN device stays where it was made, on
# top of it (the kernel deletes uppers only when the netdev goes), so the VLAN filter
# stays and VLAN 100 keeps working; untagged, VF 1 works in the new namespace.
test_netns()
{
	local ns3=simnic-v3-$$ rc=0

	l3 100 && ping_both 100 || return 1
	ns_add "$ns3" || return 1
	ip -n "$NS2" link set dev "${DEV[1]}" netns "$ns3" || fail "cannot move VF 1" || rc=1
	if [ "$rc" = 0 ]; then
		ip -n "$ns3" link set dev "${DEV[1]}" up && wait_for 30 carrier_up "$ns3" "${DEV[1]}" &&
			vlan_l3 "$ns3" "${DEV[1]}" 0 2 && vlan_l3 "$NS1" "${DEV[0]}" 0 1 &&
			vlan_wait_ping "$NS1" "${DEV[0]}" 0 2 "${MAC[1]}" ||
			fail "VF 1 does not work untagged in $ns3" || rc=1
		tables 1 100 && ping_both 100 || fail "VLAN 100 in $NS2 broke" || rc=1
	fi
	ip -n "$ns3" link set dev "${DEV[1]}" netns "$NS2" || fail "cannot move VF 1 back" || rc=1
	ns_del "$ns3"
	[ "$rc" = 0 ] && vf_ensure 1 && ping_both 100
}

suite_begin "$NCASES"
vcase "unicast: a frame reaches the VF it is for, unknown unicast nobody" test_unicast
vcase "unicast: a VF cannot take another VF's MAC" test_unicast_taken
vcase "unicast: an untrusted VF with the host's MAC may add no other" test_admin_mac
vcase "multicast: a group reaches a VF once it joins, not after it leaves" test_multicast
vcase "allmulticast: refused for an untrusted VF, granted to a trusted one" test_allmulti
vcase "promisc: refused for an untrusted VF, a trusted one gets unknown unicast" test_promisc
vcase "limit: an untrusted VF has 18 MAC addresses, a trusted one all it wants" test_limit
vcase "netns: a VF moves to another namespace and back, its VLAN device stays" test_netns
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
