#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile PF against the VF driver. The PF's fault knob forge (debugfs
# simnic_pf/<PF>/vf0/forge, simnic_pf_forge.c) forges what it sends VF 0: resources
# granting 0xffff of everything and every capability, VLAN capabilities offering every
# ethertype and 0xffff filters, replies to GET_STATS that answer another opcode, are cut
# short, padded long or fail with a status virtchnl does not define, events of unknown
# kinds and link speeds no link has. VF 0 must take no more than it asked for or can
# use, say so in its log, recover (by a reset where the exchange is lost), and pass
# traffic afterwards. Bad words in forge are refused and change nothing.
# HOSTILE_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=hostile-$$
VLAN_CASES=${HOSTILE_CASES:-}
NCASES=8
OP_GET_STATS=15

# in_ns IDX CMD...: CMD in VF IDX's namespace
in_ns()
{
	local i=$1

	shift
	ip netns exec "${NS[i]}" "$@"
}

# max_combined: the combined channels VF 0 may have, as ethtool -l shows them
max_combined()
{
	local l

	while read -r l; do
		[[ $l == Combined:* ]] || continue
		echo "${l##*[[:space:]]}"
		return 0
	done < <(in_ns 0 ethtool -l "${DEV[0]}")
	return 1
}

# logged MARK TEXT...: each TEXT is in the kernel log since MARK
logged()
{
	local log t

	log=$(kmsg_since "$1")
	shift
	for t in "$@"; do
		[[ $log == *"$t"* ]] || fail "not logged: $t" || return 1
		echo "logged: $t"
	done
}

# forge_is WORDS: what the knob reads
forge_is()
{
	slurp "$(pf_dbg "$PF" 0)/forge"
	[ "$SLURP" = "$1"$'\n' ]
}

# The resources grant 0xffff queue pairs, vectors, VSIs and MTU, and every capability:
# VF 0 takes the capabilities it asked for and at most 16 queue pairs, and works. The
# next reset negotiates honestly: 4 queue pairs.
test_resources()
{
	local m=$TAG-res n

	kmsg_mark "$m"
	pf_knob "$PF" 0 forge resources && flr 0 || return 1
	forge_is "none 0 0" || fail "the forged resources were not sent: forge reads $SLURP" ||
		return 1
	logged "$m" "PF granted capabilities this VF did not ask for" \
		"PF offers 65535 queue pairs: this VF takes 16" || return 1
	n=$(max_combined) && [ "$n" = 16 ] || fail "ethtool -l: at most $n combined" || return 1
	vf_proto_is "${VFP[0]}" v2 || fail "VF 0 does not use VLAN V2" || return 1
	l3 100 && ping_both 100 || return 1
	flr 0 || return 1
	n=$(max_combined) && [ "$n" = 4 ] ||
		fail "after an honest negotiation: at most $n combined, not 4" || return 1
	echo "ethtool -l: at most 16 combined with the forged resources, 4 after"
}

# The VLAN capabilities offer 65535 filters and every ethertype: VF 0 counts on 4094 at
# most, and its VLANs work
test_vlan_caps()
{
	local m=$TAG-caps

	kmsg_mark "$m"
	pf_knob "$PF" 0 forge vlan_caps && flr 0 || return 1
	forge_is "none 0 0" || fail "the forged capabilities were not sent" || return 1
	logged "$m" "PF offers 65535 VLAN filters: there are 4094 VLANs" || return 1
	vf_stat_get "${VFP[0]}" vlan_max && [ "$STAT" = 4094 ] ||
		fail "VF 0 counts on $STAT VLAN filters" || return 1
	l3 100 && ping_both 100 && inv 0 100
}

# stats_forged KIND: the next reply to GET_STATS is forged KIND; ethtool -S on VF 0
# asks for one
stats_forged()
{
	pf_knob "$PF" 0 forge "$1 1 $OP_GET_STATS" || return 1
	in_ns 0 ethtool -S "${DEV[0]}" >/dev/null || fail "ethtool -S failed" || return 1
	wait_for 10 forge_is "none 0 0" || fail "no GET_STATS reply forged: forge reads $SLURP"
}

# Replies to GET_STATS cut short, padded long, failing with status -1000: VF 0 keeps
# its counters where the reply is unusable and says so, takes the long one, and is not
# reset; its counters then count pings
test_replies()
{
	local m=$TAG-replies rec before after

	rec=$(vf_stat "${VFP[0]}" recoveries) || return 1
	kmsg_mark "$m"
	stats_forged short && stats_forged long && stats_forged status || return 1
	logged "$m" "no counters from the PF: status 0, 48 bytes" \
		"no counters from the PF: status -1000, 96 bytes" || return 1
	[ "$(vf_stat "${VFP[0]}" recoveries)" = "$rec" ] || fail "VF 0 was reset" || return 1
	before=$(in_ns 0 ethtool -S "${DEV[0]}" | awk '$1 == "rx_unicast:" { print $2 }')
	untagged_ping || return 1
	after=$(in_ns 0 ethtool -S "${DEV[0]}" | awk '$1 == "rx_unicast:" { print $2 }')
	[ -n "$before" ] && [ "$after" -gt "$before" ] ||
		fail "rx_unicast did not count the pings: $before, then $after" || return 1
	echo "rx_unicast $before, then $after"
}

# untagged_ping: VF 0 and VF 1 reach each other untagged
untagged_ping()
{
	ip -n "$NS1" -6 addr replace "$(vlan_addr 0 1)/64" dev "${DEV[0]}" nodad &&
		ip -n "$NS2" -6 addr replace "$(vlan_addr 0 2)/64" dev "${DEV[1]}" nodad ||
		fail "cannot address the VFs" || return 1
	wait_ping6 "$NS1" "${DEV[0]}" "$(vlan_addr 0 2)" "${MAC[1]}"
}

# The reply to GET_STATS answers another opcode: VF 0 ignores it, the request times out
# and VF 0 resets itself, then works
test_wrong_opcode()
{
	local m=$TAG-opcode rec

	rec=$(vf_stat "${VFP[0]}" recoveries) || return 1
	kmsg_mark "$m"
	stats_forged opcode || return 1
	logged "$m" "unexpected reply to opcode 1015" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" recoveries "$rec" ||
		fail "VF 0 did not recover" || return 1
	logged "$m" "PF did not answer opcode 15" "asking the PF to reset this VF" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" && vf_ensure 0 && untagged_ping
}

# Events of an unknown kind are ignored, said once each; a link speed of 0xfffffff0
# Mbps shows as unknown, with the link up; an FLR brings the real speed back
test_events()
{
	local m=$TAG-events out

	kmsg_mark "$m"
	pf_knob "$PF" 0 forge "event 3" && pf_knob "$PF" 0 forge "link_speed 2" || return 1
	wait_for 10 eval '[[ $(in_ns 0 ethtool "${DEV[0]}") == *"Speed: Unknown!"* ]]' ||
		fail "VF 0 shows $(in_ns 0 ethtool "${DEV[0]}" | grep Speed)" || return 1
	out=$(in_ns 0 ethtool "${DEV[0]}")
	[[ $out == *"Link detected: yes"* ]] || fail "VF 0's link is down" || return 1
	logged "$m" "PF event 1000 unknown: ignored" \
		"PF reported a link speed of 4294967280 Mbps: shown as unknown" || return 1
	untagged_ping && flr 0 || return 1
	out=$(in_ns 0 ethtool "${DEV[0]}")
	[[ $out =~ Speed:\ ([0-9]+)Mb/s ]] || fail "VF 0 shows no speed after its FLR" ||
		return 1
	echo "after the FLR: ${BASH_REMATCH[0]}"
}

# Words forge does not take: refused, and nothing is pending
test_forge_bad()
{
	local w

	for w in bogus "short 0" "short 1001" "short x" "short 1 x" "short 1 15 9"; do
		! echo "$w" 2>/dev/null >"$(pf_dbg "$PF" 0)/forge" ||
			fail "forge took '$w'" || return 1
	done
	forge_is "none 0 0" || fail "forge reads $SLURP" || return 1
	pf_knob "$PF" 0 forge "long 3 15" && forge_is "long 3 15" &&
		pf_knob "$PF" 0 forge none && forge_is "none 0 0" ||
		fail "forge reads $SLURP" || return 1
}

suite_begin "$NCASES"
vcase "resources: 0xffff of everything and every capability; VF 0 takes what it asked" test_resources
vcase "vlan_caps: 65535 filters and every ethertype; VF 0 counts on 4094" test_vlan_caps
vcase "replies: GET_STATS short, long, undefined status; VF 0 keeps working" test_replies
vcase "replies: GET_STATS answering another opcode; VF 0 resets itself" test_wrong_opcode
vcase "events: unknown kinds ignored, a nonsense speed shown unknown" test_events
vcase "forge: bad words refused, nothing pending" test_forge_bad
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
