#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VF VLAN filter state machine (ADD -> ADDING -> ACTIVE -> REMOVE -> REMOVING), end
# to end: two VFs, each in its own namespace, get 802.1Q devices made, deleted, raced,
# flapped, reset (VF FLR, PF FLR, PF link flap: the card's physical link, driver
# unbind/bind), moved between namespaces and pinged over. After each step the invariant
# must hold once the VF's list is quiet: the VLAN devices the user has == the VF
# driver's list == the PF driver's table == the switch's table. Also covered: the
# untrusted limit of 8 (and its log line), isolation between VLANs and anti-spoof in the
# switch (raw tagged frames), port VLANs, the PF's fault knobs (rejected, dropped,
# delayed and stale replies), the gaps iavf admits (a reset resurrecting a deleted
# filter, delete-then-add at the limit, a rejected V1 ADD), the V1 protocol, how many
# VLAN messages down/up and a trusted VF's 4094 VLANs take, and a clean kernel log.
#
# The 52 cases up to the first dmesg check cover iavf's VLAN filter states and replies
# (add, delete, down/up, reset, limit, trust); the fault:, v2:, gap:, v1: and msgs: cases
# come after.
#
# Traffic is IPv6 on 2001:db8:VID::/64 per VLAN (see vlan_lib.sh). VLAN_TRUSTED_VIDS
# (default 4094) sets how many VLANs the trusted VF case makes; VLAN_CASES=REGEX runs a
# subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

MAX_VLANS=8
# a reply held back for a case to see the request in flight: under the VF's 5 s op
# timeout, and written 0 (which sends it) as soon as the case has seen it
REPLY_HOLD_MS=4000
TRUSTED_VIDS=${VLAN_TRUSTED_VIDS:-4094}
TAG=vlan_state-$$

# --- state: ------------------------------------------------------------------------------

test_basic()
{
	add 0 100 || return 1
	inv 0 100 && inv 1 "" || return 1
	del 0 100 || return 1
	inv 0 ""
}

test_eight()
{
	local vids

	range 101 108
	vids=$RANGE
	# shellcheck disable=SC2086
	add 0 $vids || return 1
	inv 0 "$vids" || return 1
	# shellcheck disable=SC2086
	del 0 $vids || return 1
	inv 0 ""
}

# test_persist_updown N: N VLANs stay ACTIVE (and in the tables) while down and after up
test_persist_updown()
{
	local vids

	range 101 $((100 + $1))
	vids=$RANGE
	# shellcheck disable=SC2086
	add 0 $vids || return 1
	inv 0 "$vids" || return 1
	vf_down 0 || return 1
	inv 0 "$vids" || fail "filters did not stay in place while ${DEV[0]} was down" || return 1
	vf_up 0 || return 1
	inv 0 "$vids"
}

test_rapid_same()
{
	local i seq=()

	for ((i = 0; i < 100; i++)); do
		seq+=(add 100 del 100)
	done
	ops 0 "${seq[@]}" || return 1
	inv 0 ""
}

# vf0_state_is VID STATE: VLAN VID is in STATE in VF 0's list
vf0_state_is()
{
	[ "$(vlan_vf_state "${VFP[0]}" "$1")" = "$2" ]
}

# The PF holds its replies for 3 s (under the VF's 5 s timeout): the DEL of VLAN 100
# waits in REMOVING, and the add comes then. The VF keeps the entry REMOVING (the
# reply decides), and when the DEL's reply comes it sends the ADD again: VLAN 100
# ends ACTIVE everywhere, after one more VLAN add message. The DEL goes out once the
# VF's request before it, if any, has its (held) reply: REMOVING within two delays.
test_add_during_remove()
{
	local i adds

	add 0 100 && inv 0 100 || return 1
	pf_knob "$PF" 0 reply_delay_ms 3000 || return 1
	del 0 100 || return 1
	wait_for 8 vf0_state_is 100 REMOVING ||
		fail "VLAN 100 never reached REMOVING: $(vlan_vf_list "${VFP[0]}")" || return 1
	vf_stat_get "${VFP[0]}" vlan_add || return 1
	adds=$STAT
	add 0 100 || fail "add while the DEL was pending failed" || return 1
	echo "VF list with the DEL pending and VLAN 100 added again: $(vlan_vf_list "${VFP[0]}")"
	vf0_state_is 100 REMOVING || fail "the add did not wait for the DEL's reply" || return 1
	pf_knob "$PF" 0 reply_delay_ms 0 || return 1
	inv 0 100 || return 1
	vf_stat_above "${VFP[0]}" vlan_add "$adds" ||
		fail "no VLAN add after the DEL's reply: the switch would have lost VLAN 100" ||
		return 1
	# and back to back at full speed
	for i in 1 2 3 4 5; do
		del 0 100 && add 0 100 || fail "del+add round $i failed" || return 1
	done
	inv 0 100
}

test_bulk8()
{
	local vids

	range 101 108
	vids=$RANGE
	# shellcheck disable=SC2086
	vlan_batch "$NS1" "${DEV[0]}" add $vids || fail "batch add of 8 VLANs failed" || return 1
	inv 0 "$vids" || return 1
	# shellcheck disable=SC2086
	vlan_batch "$NS1" "${DEV[0]}" del $vids || fail "batch delete of 8 VLANs failed" ||
		return 1
	inv 0 ""
}

test_rapid_updown()
{
	local i

	add 0 100 && inv 0 100 || return 1
	for ((i = 1; i <= 20; i++)); do
		ipq "$NS1" link set dev "${DEV[0]}" down &&
			ipq "$NS1" link set dev "${DEV[0]}" up || fail "flap $i failed: $IPQ" ||
			return 1
	done
	vf_up 0 || return 1
	inv 0 100
}

test_add_while_down()
{
	vf_down 0 && add 0 100 || return 1
	inv 0 100 || fail "VLAN added while down is not in place" || return 1
	vf_up 0 || return 1
	inv 0 100
}

test_remove_while_down()
{
	add 0 100 200 && inv 0 "100 200" || return 1
	vf_down 0 && del 0 100 || return 1
	inv 0 200 || fail "VLAN removed while down is still in place" || return 1
	vf_up 0 || return 1
	inv 0 200
}

test_down_remove_up()
{
	add 0 100 && inv 0 100 || return 1
	# no waiting between the steps
	vf_down 0 && del 0 100 && vf_up 0 || return 1
	inv 0 ""
}

test_add_many_while_down()
{
	local vids

	range 101 105
	vids=$RANGE
	vf_down 0 || return 1
	# shellcheck disable=SC2086
	add 0 $vids || return 1
	vf_up 0 || return 1
	inv 0 "$vids"
}

test_double_add()
{
	add 0 100 && inv 0 100 || return 1
	! add 0 100 || fail "a second ${DEV[0]}.100 was accepted" || return 1
	! ip -n "$NS1" link add link "${DEV[0]}" name dup100 type vlan id 100 2>/dev/null ||
		fail "a second device for VID 100 was accepted" || return 1
	# exactly one entry for 100 everywhere
	inv 0 100 || return 1
	del 0 100 || return 1
	inv 0 ""
}

test_double_remove()
{
	add 0 100 && inv 0 100 || return 1
	del 0 100 || return 1
	! del 0 100 || fail "the second delete of VLAN 100 succeeded" || return 1
	inv 0 ""
}

test_interleaved()
{
	add 0 101 && add 1 201 && add 0 102 && del 0 101 && add 1 202 && del 1 201 &&
		add 0 103 && del 0 102 && add 1 203 && del 1 202 && add 0 104 && del 0 103 ||
		return 1
	inv 0 104 && inv 1 203
}

test_readd_loop()
{
	local i seq=()

	add 0 100 200 && inv 0 "100 200" || return 1
	for ((i = 0; i < 50; i++)); do
		seq+=(del 100 add 100)
	done
	ops 0 "${seq[@]}" || return 1
	inv 0 "100 200"
}

test_fill_stress()
{
	local r vids

	range 101 $((100 + MAX_VLANS))
	vids=$RANGE
	for r in 1 2 3; do
		# shellcheck disable=SC2086
		add 0 $vids || fail "round $r: could not fill to $MAX_VLANS" || return 1
		inv 0 "$vids" || return 1
		# shellcheck disable=SC2086
		del 0 $vids || return 1
	done
	inv 0 ""
}

# test_edge_vid VID: VID works, filters and traffic
test_edge_vid()
{
	l3 "$1" || return 1
	inv2 "$1" || return 1
	ping_both "$1" || return 1
	if [ "$1" = 4094 ]; then
		! add 0 4095 || fail "VID 4095 accepted" || return 1
	fi
	del 0 "$1" && del 1 "$1" || return 1
	inv2 ""
}

# par add|del IDX VID...: one ip per VID, all at once; fails if any of them failed
par()
{
	local op=$1 i=$2 v p pids=() bad=0

	shift 2
	for v in "$@"; do
		"$op" "$i" "$v" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || bad=$((bad + 1))
	done
	[ "$bad" = 0 ] || fail "$bad of $# parallel ${op}s failed"
}

test_concurrent_adds()
{
	par add 0 101 102 103 104 && inv 0 "101 102 103 104"
}

test_concurrent_dels()
{
	add 0 101 102 103 104 && inv 0 "101 102 103 104" || return 1
	par del 0 101 102 103 104 && inv 0 ""
}

# 200 random adds and deletes over 5 VIDs, back to back in one `ip -force -batch`: an
# add of a missing VID and a delete of a present one must succeed; the others must fail
# (EEXIST, ENODEV), and ip names the lines that failed.
# A delete of an absent VID never reaches the driver, but ip looks the missing name up
# with an ioctl and the kernel runs modprobe for it twice (dev_load()): about 120
# processes here, 40 s on the debug kernel. With kernel.modprobe empty, request_module()
# fails at once without a process (kmod.c), so it is empty for the batch only.
test_storm()
{
	local i v op present failed=() ops=() have=() want="" bad=0 l mp

	RANDOM=2002
	for ((i = 0; i < 200; i++)); do
		v=$((101 + RANDOM % 5))
		if ((RANDOM % 2)); then
			op=add
		else
			op=del
		fi
		ops+=("$op $v")
	done
	read -r mp </proc/sys/kernel/modprobe || fail "kernel.modprobe unreadable" || return 1
	echo >/proc/sys/kernel/modprobe || fail "cannot empty kernel.modprobe" || return 1
	while read -r l; do
		[[ $l =~ ^Command\ failed\ -:([0-9]+) ]] && failed[BASH_REMATCH[1]]=1
	done < <(for ((i = 0; i < 200; i++)); do
			# shellcheck disable=SC2086
			vlan_cmd "${DEV[0]}" ${ops[i]}
		 done | ip -n "$NS1" -force -batch - 2>&1 >/dev/null)
	echo "$mp" >/proc/sys/kernel/modprobe || fail "cannot restore kernel.modprobe" ||
		return 1
	for ((i = 0; i < 200; i++)); do
		# shellcheck disable=SC2086 # an operation and a VID
		set -- ${ops[i]}
		v=$2
		present=${have[v]:-0}
		# an add must work exactly when v is absent, a delete exactly when present
		if [[ ($1 == add && $present == 1) || ($1 == del && $present == 0) ]]; then
			[ -n "${failed[i + 1]:-}" ] && continue
		else
			[ -z "${failed[i + 1]:-}" ] && { have[v]=$((1 - present)); continue; }
		fi
		echo "op $((i + 1)): $1 $v went the wrong way (present: $present)"
		bad=$((bad + 1))
	done
	for v in 101 102 103 104 105; do
		[ "${have[v]:-0}" = 0 ] || want="$want $v"
	done
	echo "after the storm: {${want# }}"
	[ "$bad" = 0 ] || fail "$bad of 200 operations had the wrong outcome" || return 1
	inv 0 "$want"
}

# the log line when an untrusted VF hits its limit: from simnic_vf, names 8 and trust
limit_logged()
{
	kmsg_since "$1" | grep 'simnic_vf' | sed 's/^.*simnic_vf [^ ]* //' | grep -i 'trust' |
		grep -qw "$MAX_VLANS"
}

test_over_limit()
{
	local vids

	range 101 $((100 + MAX_VLANS))
	vids=$RANGE
	kmsg_mark "$TAG-limit"
	# shellcheck disable=SC2086
	add 0 $vids || fail "could not fill to $MAX_VLANS" || return 1
	! add 0 109 || fail "VLAN $((MAX_VLANS + 1)) was accepted by an untrusted VF" || return 1
	! vlan_exists "$NS1" "${DEV[0]}" 109 || fail "${DEV[0]}.109 exists after the error" ||
		return 1
	wait_for 5 limit_logged "$TAG-limit" ||
		fail "no simnic_vf log line naming the limit $MAX_VLANS and trust" || return 1
	kmsg_since "$TAG-limit" | grep 'simnic_vf' | grep -i trust | tail -n 1
	inv 0 "$vids" && inv 1 ""
}

# --- reset: ---------------------------------------------------------------------------

# do_reset HOW N: vf_flr (VF 0), pf_flap or pf_flr, N times; then wait for the VFs
# do_reset HOW N: N resets of kind HOW (vf_flr: VF 0; pf_flap, pf_flr); the device
# must count exactly the VF resets that HOW implies (an FLR of the PF resets both VFs in
# the device, a link flap none), each once. The PF announces the resets an FLR of the
# PF brings (RESET_IMPENDING; at least the first of N back to back reaches an active
# VF), and not the VF's own FLR.
do_reset()
{
	local before0 before1 r0 r1 a0 a1 k want0=0 want1=0

	before0=$(vf_stat "${VFP[0]}" vlan_add)
	before1=$(vf_stat "${VFP[1]}" vlan_add)
	r0=$(hw_stat "$PF" 0 resets) && r1=$(hw_stat "$PF" 1 resets) ||
		fail "no resets counter in the switch's stats" || return 1
	a0=$(vf_stat "${VFP[0]}" resets_announced) && a1=$(vf_stat "${VFP[1]}" resets_announced) ||
		fail "no resets_announced in vc_stats" || return 1
	case $1 in
	vf_flr)
		flr 0 "$2" || return 1
		want0=$2
		;;
	pf_flap)
		link_flap "$2" || return 1
		vfs_back || return 1
		;;
	pf_flr)
		for ((k = 0; k < $2; k++)); do
			pf_flr "$PF" || return 1
		done
		vfs_back || return 1
		want0=$2 want1=$2
		;;
	esac
	echo "$1 x$2: VLAN add messages VF 0 $before0 -> $(vf_stat "${VFP[0]}" vlan_add)," \
	     "VF 1 $before1 -> $(vf_stat "${VFP[1]}" vlan_add)"
	[ "$(hw_stat "$PF" 0 resets)" = $((r0 + want0)) ] &&
		[ "$(hw_stat "$PF" 1 resets)" = $((r1 + want1)) ] ||
		fail "device resets: VF 0 $r0 -> $(hw_stat "$PF" 0 resets), VF 1 $r1 ->" \
		     "$(hw_stat "$PF" 1 resets); expected +$want0 and +$want1" || return 1
	echo "announced: VF 0 $a0 -> $(vf_stat "${VFP[0]}" resets_announced)," \
	     "VF 1 $a1 -> $(vf_stat "${VFP[1]}" resets_announced)"
	if [ "$1" = pf_flr ]; then
		vf_stat_above "${VFP[0]}" resets_announced "$a0" &&
			vf_stat_above "${VFP[1]}" resets_announced "$a1" ||
			fail "the PF's FLR was not announced to both VFs"
	else
		[ "$(vf_stat "${VFP[0]}" resets_announced)" = "$a0" ] ||
			fail "VF 0 read an announcement of a reset nobody announced"
	fi
}

# test_reset HOW COUNT [N]: COUNT VLANs on both VFs survive HOW (N times)
test_reset()
{
	local vids

	range 101 $((100 + $2))
	vids=$RANGE
	# shellcheck disable=SC2086
	add 0 $vids && add 1 $vids || return 1
	inv2 "$vids" || return 1
	do_reset "$1" "${3:-1}" || return 1
	inv2 "$vids"
}

test_flr_race()
{
	local pci=${VFP[0]} pid v fails=0 want

	add 0 100 && inv 0 100 || return 1
	(
		for k in 1 2 3; do
			echo 1 >"/sys/bus/pci/devices/$pci/reset" || exit 1
		done
	) &
	pid=$!
	for v in 101 102 103 104 105 106; do
		add 0 "$v" || fails=$((fails + 1))
	done
	for v in 101 103 105; do
		del 0 "$v" || fails=$((fails + 1))
	done
	wait "$pid" || fail "an FLR was refused" || return 1
	echo "$fails VLAN operations failed during the FLRs"
	vf_up 0 || return 1
	VLAN_SETTLE=30 inv 0 || return 1
	want=$(vlan_user_set "$NS1" "${DEV[0]}")
	echo "VLANs after the race: {$want}"
	# one more, clean, reset brings back exactly those
	flr 0 || return 1
	inv 0 "$want" && inv 1 ""
}

test_unbind_bind()
{
	local pci=${VFP[0]}

	add 0 100 200 && inv 0 "100 200" || return 1
	echo "$pci" >/sys/bus/pci/drivers/simnic_vf/unbind || fail "unbind refused" || return 1
	[ -z "$(ip -n "$NS1" -o link show type vlan)" ] ||
		fail "VLAN devices left in $NS1 after unbind" || return 1
	echo "after unbind: PF table {$(vlan_pf_set "$PF" 0)}, switch {$(vlan_hw_set "$PF" 0)}"
	echo "$pci" >/sys/bus/pci/drivers/simnic_vf/bind || fail "bind refused" || return 1
	vf_ensure 0 || return 1
	echo "new netdev ${DEV[0]}"
	inv 0 "" || fail "filters of the unbound driver survived into the new one" || return 1
	l3 100 && add 0 200 || return 1
	inv 0 "100 200" && inv 1 100 || return 1
	ping_both 100
}

# --- ping: ---------------------------------------------------------------------------

test_ping_basic()
{
	l3 100 && ping_both 100 || return 1
	inv2 100
}

test_ping_five()
{
	local v

	for v in 101 102 103 104 105; do
		l3 "$v" || return 1
	done
	for v in 101 102 103 104 105; do
		ping_both "$v" || return 1
	done
	inv2 "101 102 103 104 105"
}

test_ping_updown()
{
	l3 100 && ping_both 100 || return 1
	vf_down 0 || return 1
	vlan_no_ping "$NS2" "${DEV[1]}" 100 1 "${MAC[0]}" || fail "VF 0 answered while down" ||
		return 1
	vf_up 0 && ping_both 100 || return 1
	inv2 100
}

test_ping_flaps()
{
	local i

	l3 100 && ping_both 100 || return 1
	for ((i = 1; i <= 10; i++)); do
		ipq "$NS1" link set dev "${DEV[0]}" down &&
			ipq "$NS1" link set dev "${DEV[0]}" up || fail "flap $i failed: $IPQ" ||
			return 1
	done
	vf_up 0 && ping_both 100 || return 1
	inv2 100
}

# test_ping_reset HOW: traffic over VLAN 100 survives HOW
test_ping_reset()
{
	l3 100 && ping_both 100 || return 1
	do_reset "$1" 1 || return 1
	ping_both 100 || return 1
	inv2 100
}

# ping_bg OUTFILE VID COUNT: COUNT pings from VF 0 to VF 1 over VID at 5 per second
ping_bg()
{
	ip netns exec "$NS1" ping -6 -c "$3" -i 0.2 -w 60 "$(vlan_addr "$2" 2)" >"$1" 2>&1
}

# ping_all_back OUTFILE COUNT: the background ping got all its answers
ping_all_back()
{
	local got

	got=$(ping_count "$(cat "$1")")
	tail -n 2 "$1"
	[ "${got:-0}" = "$2" ] || fail "${got:-0} of $2 pings over VLAN 100 answered"
}

test_ping_stable_churn()
{
	local out pid v nops=0 bad=0

	l3 100 && ping_both 100 || return 1
	out=$(mktemp)
	ping_bg "$out" 100 30 &
	pid=$!
	# churn other VIDs for as long as the ping runs
	while kill -0 "$pid" 2>/dev/null; do
		for v in 101 102 103 104 105 106 107; do
			add 0 "$v" || bad=$((bad + 1))
		done
		for v in 101 102 103 104 105 106 107; do
			del 0 "$v" || bad=$((bad + 1))
		done
		nops=$((nops + 14))
	done
	wait "$pid"
	echo "$nops operations on VIDs 101-107 during the ping, $bad failed"
	ping_all_back "$out" 30 || { rm -f "$out"; return 1; }
	rm -f "$out"
	[ "$bad" = 0 ] || fail "VLAN operations failed" || return 1
	inv2 100
}

test_ping_three_updown()
{
	local v

	for v in 101 102 103; do
		l3 "$v" && ping_both "$v" || return 1
	done
	vf_down 0 && vf_down 1 && vf_up 0 && vf_up 1 || return 1
	for v in 101 102 103; do
		ping_both "$v" || return 1
	done
	inv2 "101 102 103"
}

# churn IDX VID...: 5 rounds of adding and deleting VIDs on VF IDX; prints "failed=N"
churn()
{
	local i=$1 r v bad=0

	shift
	for r in 1 2 3 4 5; do
		for v in "$@"; do
			add "$i" "$v" || bad=$((bad + 1))
		done
		for v in "$@"; do
			del "$i" "$v" || bad=$((bad + 1))
		done
	done
	echo "failed=$bad"
}

test_ping_parallel_churn()
{
	local tmp p pids=()

	l3 100 && ping_both 100 || return 1
	tmp=$(mktemp -d)
	ping_bg "$tmp/ping" 100 30 &
	pids+=($!)
	churn 0 101 102 103 104 >"$tmp/c0" 2>&1 &
	pids+=($!)
	churn 1 201 202 203 204 >"$tmp/c1" 2>&1 &
	pids+=($!)
	for p in "${pids[@]}"; do
		wait "$p"
	done
	if ! grep -qx 'failed=0' "$tmp/c0" || ! grep -qx 'failed=0' "$tmp/c1"; then
		cat "$tmp/c0" "$tmp/c1"
		rm -rf "$tmp"
		fail "VLAN operations failed during the parallel churn"
		return 1
	fi
	ping_all_back "$tmp/ping" 30 || { rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"
	inv2 100 && ping_both 100
}

test_ping_after_churn()
{
	local r i seq=()

	for ((r = 1; r <= 20; r++)); do
		seq+=(add 101 add 102 del 101 del 102)
	done
	for i in 0 1; do
		ops "$i" "${seq[@]}" || return 1
	done
	l3 101 && l3 102 || return 1
	ping_both 101 && ping_both 102 || return 1
	inv2 "101 102"
}

# VF 0 to init_net and back: the kernel keeps VLAN devices in place when their lower
# device changes namespace (they are re-made if not), and the VF keeps their filters
test_ping_ns_moves()
{
	local k dev want

	l3 100 && ping_both 100 || return 1
	for k in 1 2 3; do
		dev=${DEV[0]}
		ip -n "$NS1" link set dev "$dev" netns 1 || fail "cannot move $dev out" || return 1
		want=""
		! vlan_exists "$NS1" "$dev" 100 || want=100
		tables 0 "$want" || fail "round $k: filters changed while $dev was in init_net" ||
			return 1
		ip link set dev "$dev" netns "$NS1" || fail "cannot move $dev back" || return 1
		vf_ensure 0 || return 1
		if [ -z "$want" ]; then
			echo "round $k: the move deleted the VLAN device; making it again"
			l3 100 || return 1
		fi
		inv 0 100 || fail "round $k" || return 1
		ping_both 100 || fail "round $k" || return 1
	done
	inv 1 100
}

test_ping_all_pf_flap()
{
	local v vids="101 102 103 104 105"

	for v in $vids; do
		l3 "$v" || return 1
	done
	ping_both 101 || return 1
	do_reset pf_flap 1 || return 1
	for v in $vids; do
		ping_both "$v" || return 1
	done
	inv2 "$vids"
}

# Two VLANs both VFs have, and two that only one VF has: 130 on VF 0 and 140 on VF 1,
# both with addresses of 130's subnet. The switch must not deliver 130 to VF 1 nor 140
# to VF 0, and must count the frames it keeps back.
test_ping_isolation()
{
	local f0 f1 d1

	l3 110 && l3 120 || return 1
	ping_both 110 && ping_both 120 || return 1
	add 0 130 && add 1 140 || return 1
	vlan_l3 "$NS1" "${DEV[0]}" 130 1 || return 1
	d1=$(vlan_name "${DEV[1]}" 140)
	ip -n "$NS2" link set dev "$d1" up &&
		ip -n "$NS2" -6 addr add "$(vlan_addr 130 2)/64" dev "$d1" nodad || return 1
	inv 0 "110 120 130" && inv 1 "110 120 140" || return 1
	f0=$(hw_stat "$PF" 0 rx_vlan_filtered) && f1=$(hw_stat "$PF" 1 rx_vlan_filtered) ||
		fail "no rx_vlan_filtered counter" || return 1
	vlan_no_ping "$NS1" "${DEV[0]}" 130 2 "${MAC[1]}" ||
		fail "VLAN 130 from VF 0 reached VF 1's VLAN 140" || return 1
	no_ping6 "$NS2" "$d1" "$(vlan_addr 130 1)" "${MAC[0]}" ||
		fail "VLAN 140 from VF 1 reached VF 0's VLAN 130" || return 1
	wait_for 5 hw_stat_at_least "$PF" 1 rx_vlan_filtered $((f1 + 3)) ||
		fail "VF 1 rx_vlan_filtered $f1 -> $(hw_stat "$PF" 1 rx_vlan_filtered), expected +3" ||
		return 1
	wait_for 5 hw_stat_at_least "$PF" 0 rx_vlan_filtered $((f0 + 3)) ||
		fail "VF 0 rx_vlan_filtered $f0 -> $(hw_stat "$PF" 0 rx_vlan_filtered), expected +3" ||
		return 1
	echo "rx_vlan_filtered: VF 0 $f0 -> $(hw_stat "$PF" 0 rx_vlan_filtered)," \
	     "VF 1 $f1 -> $(hw_stat "$PF" 1 rx_vlan_filtered)"
	ping_both 110 && ping_both 120
}

# dev_rx_at_least NS DEV N
dev_rx_at_least()
{
	dev_rx_packets_get "$1" "$2" && [ "$RXQ" -ge "$3" ]
}

# Tagged frames VF 0 sends for a VID it has no filter for are dropped by anti-spoof and
# never reach VF 1, which has that VID; once VF 0 has the filter they get through.
test_ping_spoofchk()
{
	local s0 s1 r0 r1 d1

	command -v python3 >/dev/null || { echo "SKIP: python3 missing"; return "$KSFT_SKIP"; }
	ip link set dev "$PFDEV" vf 0 spoofchk on || fail "spoofchk on refused" || return 1
	vf_info 0
	vf_up 0 || return 1
	l3 100 && ping_both 100 || return 1
	add 1 150 || return 1
	d1=$(vlan_name "${DEV[1]}" 150)
	ip -n "$NS2" link set dev "$d1" up || return 1
	inv 0 100 && inv 1 "100 150" || return 1
	s0=$(hw_stat "$PF" 0 tx_spoofed) || fail "no tx_spoofed counter" || return 1
	r0=$(dev_rx_packets "$NS2" "$d1")
	vlan_send_raw "$NS1" "${DEV[0]}" 150 10 "${MAC[1]}" || fail "raw send failed" || return 1
	wait_for 5 hw_stat_at_least "$PF" 0 tx_spoofed $((s0 + 10)) ||
		fail "tx_spoofed $s0 -> $(hw_stat "$PF" 0 tx_spoofed), expected +10" || return 1
	r1=$(dev_rx_packets "$NS2" "$d1")
	[ "$r1" = "$r0" ] || fail "$((r1 - r0)) spoofed frames reached $d1" || return 1
	# with the filter, the same frames are legitimate
	add 0 150 && inv 0 "100 150" || return 1
	s1=$(hw_stat "$PF" 0 tx_spoofed)
	vlan_send_raw "$NS1" "${DEV[0]}" 150 10 "${MAC[1]}" || fail "raw send failed" || return 1
	wait_for 5 dev_rx_at_least "$NS2" "$d1" $((r1 + 10)) ||
		fail "$d1 rx $r1 -> $(dev_rx_packets "$NS2" "$d1"), expected +10" || return 1
	[ "$(hw_stat "$PF" 0 tx_spoofed)" = "$s1" ] ||
		fail "legitimate tagged frames counted as spoofed" || return 1
	echo "tx_spoofed $s0 -> $s1; $d1 rx $r0 -> $(dev_rx_packets "$NS2" "$d1")"
	ping_both 100
}

# no_ping_untagged: VF 0 gets no answer from VF 1 untagged (now)
no_ping_untagged()
{
	vlan_no_ping "$NS1" "${DEV[0]}" 0 2 "${MAC[1]}" >/dev/null
}

test_ping_pvid()
{
	local i

	for i in 0 1; do
		vlan_l3 "${NS[i]}" "${DEV[i]}" 0 $((i + 1)) || return 1
	done
	ping_both 0 || fail "no untagged traffic to begin with" || return 1
	ip link set dev "$PFDEV" vf 0 vlan 100 && ip link set dev "$PFDEV" vf 1 vlan 100 ||
		fail "cannot set port VLAN 100" || return 1
	vf_info 0
	vf_info 1
	vf_up 0 && vf_up 1 || return 1
	ping_both 0 || fail "port VLAN 100 on both VFs" || return 1
	ip link set dev "$PFDEV" vf 1 vlan 200 || fail "cannot set port VLAN 200" || return 1
	vf_up 1 || return 1
	wait_for 20 no_ping_untagged || fail "port VLANs 100 and 200 still talk" || return 1
	vlan_no_ping "$NS1" "${DEV[0]}" 0 2 "${MAC[1]}" || return 1
	ip link set dev "$PFDEV" vf 0 vlan 0 && ip link set dev "$PFDEV" vf 1 vlan 0 ||
		fail "cannot clear the port VLANs" || return 1
	vf_up 0 && vf_up 1 || return 1
	ping_both 0 || fail "untagged traffic after clearing the port VLANs" || return 1
	inv2 ""
}

# test_dmesg TAG: no splat in the kernel log since mark TAG
test_dmesg()
{
	local out

	out=$(kmsg_splats "$1")
	[ -z "$out" ] && return 0
	echo "$out" | head -n 30
	fail "the kernel log has warnings, BUGs, traces or stalls"
}

# --- fault: --------------------------------------------------------------------------

test_fault_reject_del()
{
	add 0 100 && inv 0 100 || return 1
	pf_knob "$PF" 0 reject_del 1 || return 1
	del 0 100 || return 1
	# the user's device is gone, the filter is not: the one deliberate gap between the
	# user's set and the device's
	tables 0 100 || fail "a rejected DEL did not leave VLAN 100 ACTIVE and in place" ||
		return 1
	[ -z "$(vlan_user_set "$NS1" "${DEV[0]}")" ] || fail "VLAN device still there" ||
		return 1
	[ "$(pf_knob "$PF" 0 reject_del)" = 0 ] || fail "reject_del was not used" || return 1
	add 0 100 || fail "re-adding VLAN 100 over its ACTIVE filter failed" || return 1
	inv 0 100 || return 1
	del 0 100 || return 1
	inv 0 ""
}

# Under V2 the VF knows its limit and queues an add without waiting for the PF (that is
# what lets it batch); a refusal then comes back after ip returned. The VF must log it,
# free the entry (not leave it ADDING) and program nothing. V1 has its own case (gap:).
test_fault_reject_add()
{
	kmsg_mark "$TAG-reject-add"
	pf_knob "$PF" 0 reject_add 1 || return 1
	add 0 100 || fail "the V2 add failed at once: the VF should have queued it" || return 1
	wait_for 10 knob_is 0 reject_add 0 || fail "reject_add was not used" || return 1
	wait_for 10 refused_logged "$TAG-reject-add" ||
		fail "no log line about the refused add" || return 1
	[ -z "$(vlan_vf_state "${VFP[0]}" 100)" ] ||
		fail "VF list keeps 100 as $(vlan_vf_state "${VFP[0]}" 100)" || return 1
	tables 0 "" || fail "a refused add left something programmed" || return 1
	# The user's device has no filter behind it: deleting it must change nothing
	del 0 100 || return 1
	inv 0 "" || return 1
	add 0 100 || fail "the next add failed" || return 1
	inv 0 100
}

refused_logged()
{
	kmsg_since "$1" | grep simnic_vf | grep -q "PF refused to add VLAN 100"
}

knob_is()
{
	[ "$(pf_knob "$PF" "$1" "$2")" = "$3" ]
}

test_fault_drop_reply()
{
	local before t0 rc want=""

	before=$(vf_stat "${VFP[0]}" vlan_add)
	pf_knob "$PF" 0 drop_replies 1 || return 1
	t0=$SECONDS
	add 0 100
	rc=$?
	echo "add with a dropped reply: rc $rc after $((SECONDS - t0))s"
	[ "$rc" != 0 ] || want=100
	wait_for 10 knob_is 0 drop_replies 0 || fail "no reply was dropped" || return 1
	VLAN_SETTLE=20 inv 0 "$want" || return 1
	echo "converged after $((SECONDS - t0))s, vlan_add $before -> $(vf_stat "${VFP[0]}" vlan_add)"
}

test_fault_delay_churn()
{
	local t0

	pf_knob "$PF" 0 reply_delay_ms 300 || return 1
	t0=$SECONDS
	add 0 101 && add 0 102 && add 0 103 && del 0 102 && add 0 104 && del 0 101 &&
		add 0 105 && del 0 103 && add 0 106 && del 0 104 ||
		fail "an operation failed with 300 ms replies" || return 1
	echo "10 operations in $((SECONDS - t0))s"
	VLAN_SETTLE=20 inv 0 "105 106" || return 1
	pf_knob "$PF" 0 reply_delay_ms 0 || return 1
	inv 0 "105 106"
}

test_fault_reply_after_reset()
{
	local rc

	l3 100 && ping_both 100 || return 1
	pf_knob "$PF" 0 reply_after_reset 1 || return 1
	add 0 101
	rc=$?
	echo "add with its reply held until the reset: rc $rc; VF list $(vlan_vf_list "${VFP[0]}")"
	wait_for 10 knob_is 0 reply_after_reset 0 || fail "no reply was held" || return 1
	flr 0 || return 1
	VLAN_SETTLE=20 inv 0 || return 1
	echo "after the reset: {$(vlan_user_set "$NS1" "${DEV[0]}")}"
	vlan_user_set "$NS1" "${DEV[0]}" | grep -qw 100 || fail "VLAN 100 lost" || return 1
	inv 1 100 && ping_both 100
}

# test_fault_delay_link: with replies delayed, a reset's renegotiation ends with the
# PF's LINK_CHANGE. It must reach the VF after the capabilities that say how to read it
# (the advanced speed format); read before them, the speed comes out unknown.
test_fault_delay_link()
{
	local speed

	pf_knob "$PF" 0 reply_delay_ms 300 || return 1
	flr 0 || return 1
	pf_knob "$PF" 0 reply_delay_ms 0 || return 1
	speed=$(ip netns exec "$NS1" ethtool "${DEV[0]}" | sed -n 's/^[[:space:]]*Speed: //p')
	echo "VF 0 link speed after the reset: $speed"
	[ "$speed" = 10000Mb/s ] || fail "expected 10000Mb/s, the PF's link speed"
}

# --- v2: ---------------------------------------------------------------------------------

test_v2_default()
{
	local i

	for i in 0 1; do
		echo "VF $i: vlan_proto $(cat "$(vf_dbg "${VFP[i]}")/vlan_proto")," \
		     "vlan_v1 $(pf_knob "$PF" "$i" vlan_v1)"
		vf_proto_is "${VFP[i]}" v2 || fail "VF $i does not use V2" || return 1
		knob_is "$i" vlan_v1 N || fail "vlan_v1 is on for VF $i" || return 1
	done
}

# --- gap: ------------------------------------------------------------------------------

# the VF's list shows VID on its way out (REMOVE or REMOVING)
vf_removing()
{
	case $(vlan_vf_state "$1" "$2") in
	REMOVE | REMOVING) return 0 ;;
	*) return 1 ;;
	esac
}

test_gap_no_resurrect()
{
	local pid before

	# 100 gives the FLR a replay to wait for; 102 is deleted with its DEL still pending
	add 0 100 101 102 && inv 0 "100 101 102" || return 1
	pf_knob "$PF" 0 reply_delay_ms "$REPLY_HOLD_MS" || return 1
	del 0 102 &
	pid=$!
	wait_for 10 vf_removing "${VFP[0]}" 102 || fail "the DEL of 102 was never pending" ||
		{ wait "$pid"; return 1; }
	echo "before the FLR: $(vlan_vf_list "${VFP[0]}")"
	before=$(vf_stat "${VFP[0]}" vlan_add)
	echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" || fail "FLR refused" ||
		{ wait "$pid"; return 1; }
	pf_knob "$PF" 0 reply_delay_ms 0
	wait "$pid" || fail "the delete failed" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" vlan_add "$before" ||
		fail "no replay after the FLR" || return 1
	vf_up 0 || return 1
	VLAN_SETTLE=20 inv 0 "100 101"
}

test_gap_limit_del_add()
{
	local pid vids

	range 101 $((100 + MAX_VLANS))
	vids=$RANGE
	# shellcheck disable=SC2086
	add 0 $vids && inv 0 "$vids" || return 1
	# the DEL's reply held until the add is made (released by writing 0), for less
	# than the VF's 5 s op timeout: a guest starved for a second (SCHED_IDLE beside
	# the debug guest) must not miss the DEL in flight
	pf_knob "$PF" 0 reply_delay_ms "$REPLY_HOLD_MS" || return 1
	del 0 108 &
	pid=$!
	wait_for 10 vf_removing "${VFP[0]}" 108 || fail "the DEL of 108 was never pending" ||
		{ pf_knob "$PF" 0 reply_delay_ms 0; wait "$pid"; return 1; }
	add 0 109 || fail "add at the limit while a DEL was pending failed" ||
		{ pf_knob "$PF" 0 reply_delay_ms 0; wait "$pid"; return 1; }
	pf_knob "$PF" 0 reply_delay_ms 0 || return 1
	wait "$pid" || fail "the delete failed" || return 1
	range 101 107
	VLAN_SETTLE=20 inv 0 "$RANGE 109"
}

test_gap_v1_reject()
{
	proto 0 v1 || return 1
	pf_knob "$PF" 0 reject_add 1 || return 1
	! add 0 100 || fail "V1 add succeeded although the PF rejected it" || return 1
	[ -z "$(vlan_vf_state "${VFP[0]}" 100)" ] ||
		fail "VF list keeps 100 as $(vlan_vf_state "${VFP[0]}" 100)" || return 1
	inv 0 "" || return 1
	add 0 100 || fail "the next V1 add failed" || return 1
	inv 0 100
	# VF 0 stays on V1 for the v1: cases
}

# --- v1: ------------------------------------------------------------------------------

test_v1_basic()
{
	proto 0 v1 || return 1
	l3 100 && inv 0 100 || return 1
	ping_both 100 || return 1
	del 0 100 || return 1
	inv 0 ""
}

test_v1_fill()
{
	local vids

	proto 0 v1 || return 1
	range 101 $((100 + MAX_VLANS))
	vids=$RANGE
	# shellcheck disable=SC2086
	add 0 $vids || fail "could not fill to $MAX_VLANS under V1" || return 1
	! add 0 109 || fail "VLAN $((MAX_VLANS + 1)) accepted under V1" || return 1
	inv 0 "$vids"
}

test_v1_updown()
{
	local vids m0 m1

	proto 0 v1 || return 1
	range 101 105
	vids=$RANGE
	# shellcheck disable=SC2086
	add 0 $vids && inv 0 "$vids" || return 1
	m0=$(msgs 0)
	vf_down 0 && vf_up 0 || return 1
	inv 0 "$vids" || return 1
	m1=$(msgs 0)
	echo "VLAN messages across down/up: $m0 -> $m1"
	[ "$m0" = "$m1" ] || fail "down/up sent VLAN messages under V1"
}

test_v1_flr()
{
	local vids="101 102 103"

	proto 0 v1 || return 1
	# shellcheck disable=SC2086
	add 0 $vids && inv 0 "$vids" || return 1
	flr 0 || return 1
	inv 0 "$vids" || return 1
	vf_proto_is "${VFP[0]}" v1 || fail "the FLR changed the protocol" || return 1
	# back to V2: the same filters are replayed with V2 messages
	proto 0 v2 || return 1
	inv 0 "$vids"
}

# --- trust: ---------------------------------------------------------------------------

# test_trust_off PROTO: a trusted VF with 12 VLANs loses its trust. It keeps the 8
# added first in its list, the PF's table and the switch, says why in the kernel log,
# and traffic flows on a VLAN it kept but not on one it dropped.
test_trust_off()
{
	local all kept v tag=trust-$1-$$

	range 100 111
	all=$RANGE
	range 100 $((100 + MAX_VLANS - 1))
	kept=$RANGE
	proto 0 "$1" && trust 0 on || return 1
	[ "$1" = v1 ] || [ "$(vf_stat "${VFP[0]}" vlan_max)" -gt "$MAX_VLANS" ] ||
		fail "trusted VF 0 is offered $(vf_stat "${VFP[0]}" vlan_max) VLANs" || return 1
	# shellcheck disable=SC2086
	add 0 $all && inv 0 "$all" || return 1
	l3 107 && l3 108 && ping_both 108 || return 1
	kmsg_mark "$tag"
	trust 0 off || return 1
	tables 0 "$kept" || return 1
	if [ "$1" = v2 ]; then
		kmsg_since "$tag" | grep -F "allows this VF $MAX_VLANS VLAN filters: dropped the 4 added last (VLAN 108 ... VLAN 111)" ||
			fail "no log line about the 4 dropped VLANs" || return 1
	else
		for v in 108 109 110 111; do
			kmsg_since "$tag" | grep -F "PF refused VLAN $v:" ||
				fail "no log line about VLAN $v" || return 1
		done
	fi
	vlan_wait_ping "$NS1" "${DEV[0]}" 107 2 "${MAC[1]}" || return 1
	vlan_no_ping "$NS1" "${DEV[0]}" 108 2 "${MAC[1]}" || return 1
	[ "$1" = v2 ] || proto 0 v2
}

# --- msgs: ---------------------------------------------------------------------------

test_msgs_updown()
{
	local v a0 a1 m0 m1 vids

	proto 0 v2 || return 1
	range 101 $((100 + MAX_VLANS))
	vids=$RANGE
	for v in $vids; do
		a0=$(vf_stat "${VFP[0]}" vlan_add)
		add 0 "$v" || return 1
		# the VF sends from its watchdog: count once the PF has answered, not
		# while this add's message may still be on its way
		wait_for "$VLAN_SETTLE" vlan_quiet "${VFP[0]}" ||
			fail "VID $v: the VF's list is not quiet after ${VLAN_SETTLE}s" ||
			return 1
		a1=$(vf_stat "${VFP[0]}" vlan_add)
		echo "VID $v: $((a1 - a0)) VLAN add message(s)"
		[ $((a1 - a0)) -le 1 ] || fail "one VLAN took $((a1 - a0)) messages" || return 1
	done
	inv 0 "$vids" || return 1
	m0=$(msgs 0)
	vf_down 0 && vf_up 0 || return 1
	inv 0 "$vids" || return 1
	m1=$(msgs 0)
	echo "VLAN messages (vlan_add + vlan_del) across down/up with $MAX_VLANS VLANs: $m0 -> $m1"
	[ "$m0" = "$m1" ] || fail "down/up sent $((m1 - m0)) VLAN messages"
}

# A trusted VF takes every VID, as a trunk port of a VLAN-aware bridge does: one
# `bridge vlan add ... vid 2-4094` has the bridge add each VID to the port (its
# ndo_vlan_rx_add_vid), 4093 calls under one hold of the RTNL. The VF batches its
# adds: a message goes when it is full, after a pause in the adds, or when its oldest
# add has waited a second; without batching it would send 4093. One message per ten
# VLANs is the bound. Then the range goes the same way, and the bridge.
test_msgs_trusted()
{
	local before a0 a1 t0 t1 n=$TRUSTED_VIDS br=snbr$$

	proto 0 v2 || return 1
	add 0 1 && inv 0 1 || return 1
	before=$(vf_stat "${VFP[0]}" vlan_add)
	ip link set dev "$PFDEV" vf 0 trust on || fail "trust on refused" || return 1
	# the trust change resets the VF, which replays VID 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" vlan_add "$before" ||
		fail "no replay after trust on" || return 1
	vf_up 0 && inv 0 1 || return 1
	vf_info 0
	# in VLAN_GROUP: case_cleanup deletes the bridge with the VLAN devices
	ip -n "$NS1" link add name "$br" group "$VLAN_GROUP" type bridge vlan_filtering 1 \
		vlan_default_pvid 0 && ip -n "$NS1" link set dev "${DEV[0]}" master "$br" ||
		fail "cannot put VF 0 in a VLAN-aware bridge" || return 1
	a0=$(vf_stat "${VFP[0]}" vlan_add)
	t0=$(date +%s%N)
	bridge -n "$NS1" vlan add dev "${DEV[0]}" vid "2-$n" ||
		fail "a trusted VF did not take VIDs 2-$n" || return 1
	t1=$(date +%s%N)
	VLAN_SETTLE=120 tables 0 "$(seq 1 "$n")" || return 1
	a1=$(vf_stat "${VFP[0]}" vlan_add)
	echo "VIDs 2-$n: $(((t1 - t0) / 1000000)) ms, $((a1 - a0)) VLAN add messages"
	[ $((a1 - a0)) -le $(((n - 1) / 10)) ] ||
		fail "$((a1 - a0)) messages for $((n - 1)) VLANs" || return 1
	t0=$(date +%s%N)
	bridge -n "$NS1" vlan del dev "${DEV[0]}" vid "2-$n" ||
		fail "cannot delete VIDs 2-$n" || return 1
	t1=$(date +%s%N)
	VLAN_SETTLE=120 tables 0 1 || return 1
	echo "deleting them: $(((t1 - t0) / 1000000)) ms"
	ip -n "$NS1" link del dev "$br" || fail "cannot delete the bridge" || return 1
	inv 0 1 || return 1
	ip link set dev "$PFDEV" vf 0 trust off || fail "trust off refused" || return 1
	vf_up 0
}

require_root_and_tools
modprobe 8021q 2>/dev/null || { echo "# SKIP: no 8021q"; exit $KSFT_SKIP; }
simnic_unload 2>/dev/null
kmsg_mark "$TAG-start"
ktap_plan 71
log=$(mktemp)
setup >"$log" 2>&1
rc=$?
sed 's/^/# /' "$log"
rm -f "$log"
[ $rc = 0 ] || { echo "Bail out! setup failed"; exit $KSFT_FAIL; }

vcase "state: basic add/remove" test_basic
vcase "state: 8 VLANs add/remove" test_eight
vcase "state: VLAN persists across down/up" test_persist_updown 1
vcase "state: 5 VLANs persist across down/up" test_persist_updown 5
vcase "state: rapid add/del same VLAN x100" test_rapid_same
vcase "state: add during remove (REMOVING race)" test_add_during_remove
vcase "state: bulk 8 add then remove" test_bulk8
vcase "state: 20x rapid down/up with VLAN" test_rapid_updown
vcase "state: add VLAN while down" test_add_while_down
vcase "state: remove VLAN while down" test_remove_while_down
vcase "state: down -> remove -> up" test_down_remove_up
vcase "state: add VLANs while down, verify all after up" test_add_many_while_down
vcase "state: double add same VLAN (8021q refuses it, one filter)" test_double_add
vcase "state: double remove same VLAN (8021q refuses it)" test_double_remove
vcase "state: interleaved add/remove different VIDs" test_interleaved
vcase "state: remove+re-add loop x50" test_readd_loop
vcase "state: stress 8 VLANs (fill to max)" test_fill_stress
vcase "state: VLAN VID 1 (common edge case)" test_edge_vid 1
vcase "state: VLAN VID 4094 (max)" test_edge_vid 4094
vcase "state: concurrent VLAN adds (4 parallel)" test_concurrent_adds
vcase "state: concurrent VLAN deletes (4 parallel)" test_concurrent_dels
vcase "state: add/del storm (200 ops, 5 VIDs)" test_storm
vcase "state: over-limit VLAN rejected, existing survive" test_over_limit
vcase "reset: VLANs recover after VF PCI FLR" test_reset vf_flr 2
vcase "reset: 5 VLANs recover after VF PCI FLR" test_reset vf_flr 5
vcase "reset: rapid VF resets x5 with VLANs" test_reset vf_flr 3 5
vcase "reset: VLANs survive PF link flap" test_reset pf_flap 2
vcase "reset: 5 VLANs survive PF link flap" test_reset pf_flap 5
vcase "reset: VLANs survive 3x PF link flap" test_reset pf_flap 2 3
vcase "reset: VLANs survive PF PCI FLR" test_reset pf_flr 2
vcase "reset: all 8 VLANs recover after VF FLR" test_reset vf_flr "$MAX_VLANS"
vcase "reset: all 8 VLANs survive PF link flap" test_reset pf_flap "$MAX_VLANS"
vcase "reset: all 8 VLANs survive PF PCI FLR" test_reset pf_flr "$MAX_VLANS"
vcase "reset: FLR during VLAN add/del (race)" test_flr_race
vcase "reset: VF driver unbind/bind cycle" test_unbind_bind
vcase "ping: basic VLAN traffic" test_ping_basic
vcase "ping: 5 VLANs simultaneously" test_ping_five
vcase "ping: survives VF down/up" test_ping_updown
vcase "ping: survives 10x rapid VF flap" test_ping_flaps
vcase "ping: survives VF PCI FLR" test_ping_reset vf_flr
vcase "ping: survives PF link flap" test_ping_reset pf_flap
vcase "ping: survives PF PCI FLR" test_ping_reset pf_flr
vcase "ping: stable while adding/removing other VLANs" test_ping_stable_churn
vcase "ping: all 3 VLANs work after down/up" test_ping_three_updown
vcase "ping: parallel VLAN churn from both VFs" test_ping_parallel_churn
vcase "ping: VLANs work after rapid add/del churn" test_ping_after_churn
vcase "ping: VLANs survive repeated NS move cycle" test_ping_ns_moves
vcase "ping: all VLANs survive PF link flap" test_ping_all_pf_flap
vcase "ping: VLAN isolation (no cross-VLAN leakage)" test_ping_isolation
vcase "ping: traffic works with spoofchk enabled" test_ping_spoofchk
vcase "ping: port VLAN (PF-assigned pvid)" test_ping_pvid
run_test "dmesg: no call traces / BUGs / stalls" test_dmesg "$TAG-start"
kmsg_mark "$TAG-extra"
vcase "fault: rejected DEL keeps the filter ACTIVE and in hardware" test_fault_reject_del
vcase "fault: rejected ADD is not left ADDING" test_fault_reject_add
vcase "fault: dropped reply recovers" test_fault_drop_reply
vcase "fault: delayed replies under churn" test_fault_delay_churn
vcase "fault: reply delivered after reset is ignored" test_fault_reply_after_reset
vcase "fault: link event is not read before delayed capabilities" test_fault_delay_link
vcase "v2: vlan_proto reads v2 by default" test_v2_default
vcase "gap: reset does not resurrect a deleted VLAN" test_gap_no_resurrect
vcase "gap: delete-then-add at the limit succeeds" test_gap_limit_del_add
vcase "gap: rejected V1 ADD does not stay ADDING" test_gap_v1_reject
vcase "v1: basic add/remove" test_v1_basic
vcase "v1: 8 VLANs fill, over-limit rejected" test_v1_fill
vcase "v1: VLANs persist across down/up" test_v1_updown
vcase "v1: VLANs survive VF FLR, then back to v2" test_v1_flr
vcase "trust: trust off keeps the 8 oldest of 12 VLANs (v2)" test_trust_off v2
vcase "trust: trust off keeps 8 of 12 VLANs (v1)" test_trust_off v1
vcase "msgs: ifdown/ifup with 8 VLANs sends 0 VLAN messages" test_msgs_updown
vcase "msgs: trusted VF takes 4094 VLANs in few messages" test_msgs_trusted
run_test "dmesg: no call traces / BUGs / stalls in the extra cases" test_dmesg "$TAG-extra"
ktap_finish
