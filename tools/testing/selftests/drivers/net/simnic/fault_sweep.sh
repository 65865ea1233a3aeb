#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Injected failures, each in turn, through simnic's own fault knobs (debugfs
# simnic_pf/fail_step, simnic_vf/fail_register and simnic_vf/fail_queues): enabling
# SR-IOV in the device (pci_enable_sriov()), each representor of a change to switchdev
# mode (the first, then the second), the switch into switchdev mode once the
# representors are made, the PF netdev and the misc vector of a devlink reload, the
# VF's netdev registration, and the VF's queue configuration after an FLR and after a
# servicing of the card (which the VF's watchdog retries). The operation must fail with
# the injected error and leave nothing half set up (no VF, PF debugfs directory,
# representor, devlink port or PF netdev too many), or, for a step that is retried, end
# with one netdev and working queues; the same operation then succeeds, and the VFs
# pass traffic.
# kmemleak scans after the suite (run_all.sh, on the debug kernel).
# FAULT_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=fault-$$
VLAN_CASES=${FAULT_CASES:-}
NCASES=11
FSTEP=$VLAN_DBG/simnic_pf/fail_step
FREG=$VLAN_DBG/simnic_vf/fail_register
FQUEUES=$VLAN_DBG/simnic_vf/fail_queues
SWID=""

# arm STEP N [COUNT]: the Nth call of the PF's STEP from now, and the COUNT - 1 after
# it, fail with -ENOMEM
arm()
{
	echo "$*" >"$FSTEP" || fail "fail_step refused '$*'"
}

# fired: every failure armed has happened; disarm: no more
fired()
{
	slurp "$FSTEP"
	[ "$SLURP" = $'none 0 0\n' ]
}

disarm()
{
	echo none >"$FSTEP"
}

# vf_dirs: the PF's debugfs directories of VFs, in N
vf_dirs()
{
	local d

	N=0
	for d in "$VLAN_DBG/simnic_pf/$PF"/vf*; do
		[ -d "$d" ] && N=$((N + 1))
	done
}

# nreprs: the representors of the PF's switch, in N
nreprs()
{
	local r

	N=0
	while read -r r; do
		[ -z "$r" ] || N=$((N + 1))
	done <<<"$(reprs)"
}

# vf_ports: the devlink ports of flavour pcivf, in N
vf_ports()
{
	N=$(devlink port show | grep -c "flavour pcivf")
}

numvfs_is()
{
	slurp "/sys/bus/pci/devices/$PF/sriov_numvfs"
	[ "$SLURP" = "$1"$'\n' ]
}

# pair_back: both VFs with netdevs in their namespaces, passing traffic untagged
pair_back()
{
	local i

	for i in 0 1; do
		VFP[i]=$(vf_pci "$PF" "$i") && DEV[i]="" && vf_ensure "$i" || return 1
	done
	ip -n "$NS1" -6 addr replace "$(vlan_addr 0 1)/64" dev "${DEV[0]}" nodad &&
		ip -n "$NS2" -6 addr replace "$(vlan_addr 0 2)/64" dev "${DEV[1]}" nodad &&
		wait_ping6 "$NS1" "${DEV[0]}" "$(vlan_addr 0 2)" "${MAC[1]}"
}

# pci_enable_sriov() fails: sriov_numvfs 2 is refused with its error and leaves no VF,
# no PF debugfs directory of one; the same write then enables 2 VFs
test_sriov()
{
	local rc=0

	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot disable SR-IOV" ||
		return 1
	sriov_fails || rc=1
	# whatever happened, the 2 VFs the other cases want
	numvfs_is 2 || echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || rc=1
	pair_back || rc=1
	return "$rc"
}

sriov_fails()
{
	local out

	arm sriov 1 || return 1
	if out=$( { echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs"; } 2>&1); then
		disarm
		fail "sriov_numvfs 2 succeeded with pci_enable_sriov() failing"
		return 1
	fi
	fired || fail "nothing was injected" || return 1
	disarm
	echo "refused: ${out##*: }"
	[[ $out == *"Cannot allocate memory"* ]] || fail "not the injected -ENOMEM" || return 1
	numvfs_is 0 || fail "sriov_numvfs reads $SLURP" || return 1
	vf_dirs
	[ "$N" = 0 ] || fail "$N VF directories left in the PF's debugfs" || return 1
	[ ! -e "/sys/bus/pci/devices/$PF/virtfn0" ] || fail "VF 0 exists" || return 1
	echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "the retry failed" || return 1
	vf_dirs
	[ "$N" = 2 ] || fail "$N VF directories in the PF's debugfs"
}

# switchdev_fails STEP N REASON: with the Nth call of STEP failing, the change to
# switchdev mode is refused with REASON, the eswitch stays in legacy mode, and no
# representor or VF port is left
switchdev_fails()
{
	local out

	arm "$1" "$2" || return 1
	if out=$(devlink dev eswitch set "pci/$PF" mode switchdev 2>&1); then
		disarm
		fail "switchdev mode with $1 $2 failing"
		return 1
	fi
	fired || fail "$1 $2 was not made to fail: $out" || return 1
	disarm
	echo "$1 $2 failing: $out"
	[[ $out == *"$3"* ]] || fail "not refused with '$3'" || return 1
	mode_is legacy || fail "the eswitch is not in legacy mode" || return 1
	nreprs
	[ "$N" = 0 ] || fail "$N representors left" || return 1
	vf_ports
	[ "$N" = 0 ] || fail "$N VF ports left"
}

# Each representor of 2 fails in turn; the VFs still pass traffic. Then switchdev mode
# comes with both, and goes.
test_reprs()
{
	local k

	SWID=$(cat "/sys/class/net/$PFDEV/phys_switch_id") || return 1
	for k in 1 2; do
		switchdev_fails repr "$k" "cannot create the VF representors" && pair_back ||
			return 1
	done
	set_mode switchdev || return 1
	nreprs
	[ "$N" = 2 ] || fail "$N representors, not 2" || return 1
	vf_ports
	[ "$N" = 2 ] || fail "$N VF ports, not 2" || return 1
	set_mode legacy && pair_back
}

# switchdev mode, with the switch refusing it once both representors are made: the
# change is refused, both representors go, and the eswitch stays in legacy mode
test_switch()
{
	SWID=$(cat "/sys/class/net/$PFDEV/phys_switch_id") || return 1
	switchdev_fails switchdev 1 "the switch refused switchdev mode" &&
		set_mode switchdev && set_mode legacy && pair_back
}

# VF 0's netdev cannot be registered three times in a row: the watchdog retries, and
# VF 0 ends with one netdev, which passes traffic
test_vf_register()
{
	local m=$TAG-register n log f

	echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/unbind || fail "cannot unbind VF 0" ||
		return 1
	kmsg_mark "$m"
	echo 3 >"$FREG" || fail "fail_register refused 3" || return 1
	echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/bind ||
		{ echo 0 >"$FREG"; fail "VF 0's probe failed"; return 1; }
	wait_for 30 eval 'slurp "$FREG"; [ "$SLURP" = $'"'"'0\n'"'"' ]' ||
		{ echo 0 >"$FREG"; fail "the registration was not tried 3 times"; return 1; }
	wait_for 30 pci_netdev "${VFP[0]}" >/dev/null || fail "VF 0 has no netdev" || return 1
	n=0
	for f in "/sys/bus/pci/devices/${VFP[0]}"/net/*; do
		[ -e "$f" ] && n=$((n + 1))
	done
	[ "$n" = 1 ] || fail "VF 0 has $n netdevs" || return 1
	log=$(kmsg_since "$m")
	n=$(grep -c "cannot register netdev, retrying" <<<"$log")
	[ "$n" = 3 ] || fail "$n registrations failed, not 3" || return 1
	echo "3 registrations failed, the 4th made $(pci_netdev "${VFP[0]}")"
	pair_back
}

# reload_fails STEP REASON: a devlink reload with STEP failing fails with REASON and
# leaves the PF down: what would reset a VF (reset_vfs) is refused as busy. The next
# reload brings the PF netdev, its uplink port and the VFs back, and they pass traffic.
reload_fails()
{
	local out

	arm "$1" 1 || return 1
	if out=$(devlink dev reload "pci/$PF" action driver_reinit 2>&1); then
		disarm
		fail "the reload succeeded with $1 failing"
		return 1
	fi
	fired || fail "$1 was not made to fail: $out" || return 1
	echo "$1 failing: $out"
	[[ $out == *"$2"* ]] || fail "not refused with '$2'" || return 1
	if out=$( { echo 1 >"$VLAN_DBG/simnic_pf/$PF/reset_vfs"; } 2>&1); then
		fail "reset_vfs taken with the PF down"
		return 1
	fi
	[[ $out == *"Device or resource busy"* ]] || fail "reset_vfs: $out" || return 1
	[ "$1" != uplink ] || uplink_gone || return 1
	out=$(devlink dev reload "pci/$PF" action driver_reinit 2>&1) ||
		fail "the second reload failed: $out" || return 1
	PFDEV=$(pci_netdev "$PF") || fail "no PF netdev after the second reload" || return 1
	devlink port show "pci/$PF/0" | grep -q "netdev $PFDEV flavour physical" ||
		fail "the uplink port is not on $PFDEV" || return 1
	pair_back
}

# uplink_gone: no PF netdev and no uplink port are left
uplink_gone()
{
	local f

	for f in "/sys/bus/pci/devices/$PF"/net/*; do
		[ ! -e "$f" ] || fail "the PF netdev ${f##*/} is left" || return 1
	done
	! devlink port show "pci/$PF/0" >/dev/null 2>&1 || fail "the uplink port is left"
}

# devlink reload, with the PF netdev failing to come back
test_reload_uplink()
{
	reload_fails uplink "cannot create the PF netdev: the PF stays down"
}

# devlink reload, with the misc vector failing to come back
test_reload_vector()
{
	reload_fails misc_vector "cannot get the misc vector: the PF stays down"
}

# queues_fail N WHAT CMD...: with the next N queue configurations of a VF failing, CMD
# resets VF 0 (WHAT says how); each VF's watchdog retries until the knob is spent, and
# both VFs pass traffic
queues_fail()
{
	local n=$1 what=$2 m=$TAG-queues-$2 log k

	shift 2
	kmsg_mark "$m"
	echo "$n" >"$FQUEUES" || fail "fail_queues refused $n" || return 1
	"$@" || { echo 0 >"$FQUEUES"; return 1; }
	wait_for 30 eval 'slurp "$FQUEUES"; [ "$SLURP" = $'"'"'0\n'"'"' ]' ||
		{ echo 0 >"$FQUEUES"; fail "the queue configuration was not tried $n times"; return 1; }
	log=$(kmsg_since "$m")
	k=$(grep -c "fault injection: the queue configuration fails" <<<"$log")
	[ "$k" = "$n" ] || fail "$k queue configurations failed, not $n" || return 1
	echo "$what: $n queue configurations failed, then the VFs configured their queues"
	pair_back
}

# VF 0's FLR, with its first 3 queue configurations after it failing
test_vf_reset()
{
	queues_fail 3 "VF 0's FLR" vf_reset0
}

vf_reset0()
{
	echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" || fail "VF 0's FLR refused"
}

# a servicing of the card, with 4 queue configurations of the VFs after it failing
test_service()
{
	queues_fail 4 "servicing" serviced_now
}

# serviced_now: the card away for 200 ms, and back
serviced_now()
{
	local s

	echo 200 >"$VLAN_DBG/simnic_hw/$PF/service" || fail "cannot start a servicing" ||
		return 1
	wait_for 30 eval 'read -r s _ <"$VLAN_DBG/simnic_hw/$PF/service" && [ "$s" = ready ]' ||
		fail "the card is not back from its servicing"
}

# The knob takes the steps it knows with counts of 1 to 1000, and nothing else; it
# reads back what is armed
test_knob()
{
	local w

	for w in bogus "sriov 0" "sriov 1001" "sriov x" "sriov 1 0" "sriov 1 1 1"; do
		! echo "$w" 2>/dev/null >"$FSTEP" || fail "fail_step took '$w'" || return 1
	done
	fired || fail "fail_step reads $SLURP" || return 1
	for w in sriov repr switchdev uplink misc_vector; do
		arm "$w" 2 3 && slurp "$FSTEP" && [ "$SLURP" = "$w 2 3"$'\n' ] &&
			disarm && fired || fail "fail_step reads $SLURP" || return 1
	done
}

suite_begin "$NCASES"
vcase "knob: fail_step takes its steps and counts, nothing else" test_knob
vcase "sriov: pci_enable_sriov() fails; nothing is left, the retry enables" test_sriov
vcase "eswitch: each representor fails in turn; legacy mode, no representor left" test_reprs
vcase "eswitch: the switch refuses switchdev mode; the representors go" test_switch
vcase "vf: the netdev registration fails 3 times; the watchdog makes one" test_vf_register
vcase "reload: the PF netdev fails; the PF stays down, the next reload works" test_reload_uplink
vcase "reload: the misc vector fails; the PF stays down, the next reload works" test_reload_vector
vcase "vf reset: 3 queue configurations fail after an FLR; the watchdog retries" test_vf_reset
vcase "servicing: 4 queue configurations fail after it; the VFs retry" test_service
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
