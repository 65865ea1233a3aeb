#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Resets, with VLANs configured and traffic running: VF FLR, PF FLR, resets the PF makes
# and announces (trust changes, all VFs at once), resets the VF asks for (ethtool
# --reset), and the VF's own reset when the PF stops answering, with its backoff. Each
# event runs RESET_LOOPS times (default 20) while VF 0 pings VF 1 over VLAN 100, then
# the VLAN invariant (user == VF list == PF table == switch) must hold on both VFs,
# pings must pass both ways, and the device must have made exactly the resets the
# event implies. Then events during VLAN churn and events racing each other, and at the
# end the modules must unload with a clean kernel log.
#
# simnic_vf is loaded with op_timeout_ms=1000 so that the timeout cases take seconds;
# RESET_CASES=REGEX runs a subset (the others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

LOOPS=${RESET_LOOPS:-20}
TAG=reset-$$
export SIMNIC_VF_OPTS="op_timeout_ms=1000"
VLAN_CASES=${RESET_CASES:-}

# --- the loops ------------------------------------------------------------------------------

# test_loop HOW: LOOPS times HOW with traffic, then everything is back
test_loop()
{
	local k r0 r1 n0=0 n1=0 a0 a1 s0

	loop_setup || return 1
	r0=$(resets 0) && r1=$(resets 1) || return 1
	a0=$(vf_stat "${VFP[0]}" resets_announced)
	a1=$(vf_stat "${VFP[1]}" resets_announced)
	s0=$(vf_stat "${VFP[0]}" self_resets)
	traffic_start || return 1
	for ((k = 1; k <= LOOPS; k++)); do
		case $1 in
		vf_flr)
			flr 0 || break
			n0=$((n0 + 1))
			;;
		pf_flr)
			pf_flr "$PF" && vfs_back || break
			n0=$((n0 + 1)) n1=$((n1 + 1))
			;;
		trust)
			trust 0 "$( ((k % 2)) && echo on || echo off)" || break
			n0=$((n0 + 1))
			;;
		all_vfs)
			all_vfs_reset || break
			n0=$((n0 + 1)) n1=$((n1 + 1))
			;;
		ethtool)
			vf_requests_reset 0 || break
			n0=$((n0 + 1))
			;;
		esac
	done
	traffic_stop || return 1
	[ "$k" -gt "$LOOPS" ] || fail "$1 $k of $LOOPS failed" || return 1
	echo "$LOOPS x $1"
	after_loop "$VIDS0" 100 "$r0" "$r1" "$n0" "$n1" || return 1
	case $1 in
	pf_flr | all_vfs)
		vf_stat_above "${VFP[0]}" resets_announced "$a0" &&
			vf_stat_above "${VFP[1]}" resets_announced "$a1" ||
			fail "the resets were not announced to the VFs"
		;;
	ethtool)
		[ "$(vf_stat "${VFP[0]}" self_resets)" = $((s0 + LOOPS)) ] ||
			fail "self_resets $s0 -> $(vf_stat "${VFP[0]}" self_resets), expected +$LOOPS"
		;;
	esac
}

# all_vfs_reset: the PF resets all its VFs at once (announced), as after a change of
# its own configuration; wait until both have recovered
all_vfs_reset()
{
	local b0 b1

	b0=$(vf_stat "${VFP[0]}" recoveries) && b1=$(vf_stat "${VFP[1]}" recoveries) || return 1
	echo 1 >"$VLAN_DBG/simnic_pf/$PF/reset_vfs" || fail "cannot write reset_vfs" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" recoveries "$b0" &&
		wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[1]}" recoveries "$b1" ||
		fail "not both VFs recovered from the reset of all VFs" || return 1
	vfs_back
}

# vf_requests_reset IDX: VF IDX asks the PF for a reset (ethtool --reset dedicated) and
# recovers from it
vf_requests_reset()
{
	local b

	b=$(vf_stat "${VFP[$1]}" recoveries) || return 1
	nsq "${NS[$1]}" ethtool --reset "${DEV[$1]}" dedicated ||
		fail "ethtool --reset ${DEV[$1]} dedicated failed: $NSQ" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[$1]}" recoveries "$b" ||
		fail "VF $1 did not recover from the reset it asked for" || return 1
	vf_up "$1"
}

# --- timeouts ---------------------------------------------------------------------------

# One reply lost: the VF times out, resets itself, and recovers with what it had plus
# the VLAN whose reply was lost
test_timeout_once()
{
	local r0 s0 t0

	loop_setup || return 1
	r0=$(resets 0) && s0=$(vf_stat "${VFP[0]}" self_resets) &&
		t0=$(vf_stat "${VFP[0]}" timeouts) || return 1
	pf_knob "$PF" 0 drop_replies 1 || return 1
	add 0 108 || return 1
	wait_for 20 vf_stat_above "${VFP[0]}" self_resets "$s0" ||
		fail "VF 0 did not reset itself after a lost reply" || return 1
	vf_up 0 || return 1
	inv 0 "$VIDS0 108" && ping_both 100 || return 1
	echo "timeouts $t0 -> $(vf_stat "${VFP[0]}" timeouts)," \
	     "self_resets $s0 -> $(vf_stat "${VFP[0]}" self_resets), device resets $r0 -> $(resets 0)"
	[ "$(resets 0)" = $((r0 + 1)) ] || fail "expected exactly one device reset"
}

# timeouts_reached VFPCI N: the VF has counted N timeouts or more
timeouts_reached()
{
	local t

	t=$(vf_stat "$1" timeouts) && [ "$t" -ge "$2" ]
}

# The PF answers nothing for 12 op timeouts: without backoff the VF would reset 12
# times; with a backoff doubling from 1 s it resets 4 or 5 times. Then the PF answers
# again and the VF recovers without help.
test_timeout_backoff()
{
	local s0 t0 s1 n=12

	loop_setup || return 1
	s0=$(vf_stat "${VFP[0]}" self_resets) && t0=$(vf_stat "${VFP[0]}" timeouts) || return 1
	pf_knob "$PF" 0 drop_replies 100000 || return 1
	add 0 108 || return 1
	wait_for 60 timeouts_reached "${VFP[0]}" $((t0 + n)) ||
		fail "VF 0 counted $(($(vf_stat "${VFP[0]}" timeouts) - t0)) timeouts in 60 s, expected $n" ||
		return 1
	s1=$(vf_stat "${VFP[0]}" self_resets)
	echo "$n timeouts in a row: $((s1 - s0)) self-resets"
	pf_knob "$PF" 0 drop_replies 0 || return 1
	[ $((s1 - s0)) -ge 3 ] && [ $((s1 - s0)) -le 5 ] ||
		fail "expected 3 to 5 self-resets (backoff 1, 2, 4, 8 s), got $((s1 - s0))" || return 1
	VLAN_SETTLE=40 inv 0 "$VIDS0 108" && vf_up 0 && ping_both 100
}

# --- events during churn and racing each other ---------------------------------------------

# test_during_churn HOW: HOW (vf_flr, pf_flr, trust) while both VFs add and delete
# VLANs; afterwards each VF's tables equal what its user has
test_during_churn()
{
	local i pids=() seq=() k

	l3 100 && ping_both 100 || return 1
	for ((k = 0; k < 10; k++)); do
		seq+=(add 201 add 202 add 203 del 202 del 201 add 204 del 203 del 204)
	done
	for i in 0 1; do
		ops "$i" "${seq[@]}" >/dev/null 2>&1 &
		pids+=($!)
	done
	case $1 in
	vf_flr) echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" ;;
	pf_flr) pf_flr "$PF" ;;
	trust) ip link set dev "$PFDEV" vf 0 trust on ;;
	esac || fail "$1 failed" || return 1
	for i in 0 1; do
		wait "${pids[i]}" || echo "VF $i: a VLAN operation failed during the $1"
	done
	vfs_back || return 1
	VLAN_SETTLE=30 inv 0 && VLAN_SETTLE=30 inv 1 || return 1
	echo "after: VF 0 {$(vlan_user_set "$NS1" "${DEV[0]}")}, VF 1 {$(vlan_user_set "$NS2" "${DEV[1]}")}"
	ping_both 100
}

# test_race A B: events A and B at the same time, then everything is back
test_race()
{
	local pid

	loop_setup || return 1
	case $1 in
	vf_flr) echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" & ;;
	ethtool) ip netns exec "$NS1" ethtool --reset "${DEV[0]}" dedicated >/dev/null & ;;
	esac
	pid=$!
	case $2 in
	pf_flr) pf_flr "$PF" ;;
	vf_flr) echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" ;;
	all_vfs) echo 1 >"$VLAN_DBG/simnic_pf/$PF/reset_vfs" ;;
	esac || fail "$2 failed" || return 1
	wait "$pid" || echo "$1 failed (it may lose the race)"
	vfs_back || return 1
	VLAN_SETTLE=30 inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# --- the module parameter ---------------------------------------------------------------

# op_timeout_ms outside 100-60000 (or not a number) is refused at load, with a log line
test_param()
{
	vf_param_check op_timeout_ms 100 60000
}

# --- the end ------------------------------------------------------------------------------


require_root_and_tools
ktap_plan 18
kmsg_mark "$TAG"
run_test "param: op_timeout_ms out of range is refused at load" test_param
if ! setup; then
	for ((k = 0; k < 17; k++)); do
		ktap_result "setup" "$KSFT_FAIL"
	done
	ktap_finish
fi
echo "# $LOOPS iterations per loop"
vcase "loop: VF FLR with 7 VLANs and traffic" test_loop vf_flr
vcase "loop: PF FLR with VLANs and traffic" test_loop pf_flr
vcase "loop: trust changes (announced resets) with traffic" test_loop trust
vcase "loop: PF resets all VFs at once with traffic" test_loop all_vfs
vcase "loop: VF asks for a reset (ethtool --reset) with traffic" test_loop ethtool
vcase "timeout: a lost reply makes the VF reset itself" test_timeout_once
vcase "timeout: a VF that keeps timing out backs off" test_timeout_backoff
vcase "churn: VF FLR during VLAN churn on both VFs" test_during_churn vf_flr
vcase "churn: PF FLR during VLAN churn on both VFs" test_during_churn pf_flr
vcase "churn: trust change during VLAN churn on both VFs" test_during_churn trust
vcase "race: VF FLR and PF FLR" test_race vf_flr pf_flr
vcase "race: ethtool reset and VF FLR" test_race ethtool vf_flr
vcase "race: VF FLR and reset of all VFs" test_race vf_flr all_vfs
vcase "race: ethtool reset and PF FLR" test_race ethtool pf_flr
vcase "race: ethtool reset and reset of all VFs" test_race ethtool all_vfs
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload after all of it" pair_unload
ktap_finish
