#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PF's devlink instance and its work queue: devlink dev info (driver, serial from
# the card's permanent MAC, firmware from the card), the uplink port with the PF's
# netdev, the eswitch in legacy mode, a mode that does not exist refused with nothing
# changed (switchdev.sh has switchdev mode); the resets a VF asks for, which the PF finishes from its work queue; and
# teardown (PF unbind, rmmod) while work waits for the devlink lock, which must end at
# once and cleanly. Cheap by design: one card, one VF, no namespaces.
# DEVLINK_CASES=REGEX runs a subset (the others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"

DBG=/sys/kernel/debug
CASES=${DEVLINK_CASES:-}
NCASES=9
PF=""
PFDEV=""
VFP=""

cleanup()
{
	[ -n "$PF" ] && [ -e "$DBG/simnic_pf/$PF/wq_delay_ms" ] &&
		echo 0 >"$DBG/simnic_pf/$PF/wq_delay_ms"
	[ -n "$PF" ] && [ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs"
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

# up: the modules loaded, the PF bound with its netdev and one VF with its netdev
up()
{
	[ -d /sys/module/simnic_pf ] || simnic_load || fail "cannot load simnic" || return 1
	wait_for 10 simnic_pf_pci >/dev/null || fail "no PF bound to simnic_pf" || return 1
	PF=$(simnic_pf_pci)
	wait_for 10 pci_netdev "$PF" >/dev/null || fail "PF $PF has no netdev" || return 1
	PFDEV=$(pci_netdev "$PF")
	if [ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 0 ]; then
		echo 1 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot enable a VF" ||
			return 1
	fi
	VFP=$(vf_pci "$PF" 0) || fail "no VF 0" || return 1
	wait_for 30 pci_netdev "$VFP" >/dev/null || fail "VF $VFP has no netdev" || return 1
}

# vf_recoveries: how often the VF came back from a reset
vf_recoveries()
{
	_stat_of "$DBG/simnic_vf/$VFP/vc_stats" recoveries
}

vf_recovered_since()
{
	local r

	r=$(vf_recoveries) && [ "$r" -gt "$1" ]
}

# dev info: the driver, the serial (the permanent MAC of the card, in hex), the
# firmware version the card reports, the ASIC id (the PCI device ID)
test_info()
{
	local info serial perm

	info=$(devlink dev info "pci/$PF") || fail "devlink dev info failed" || return 1
	echo "$info"
	[[ $info == *"driver simnic_pf"* ]] || fail "no driver name" || return 1
	perm=$(ethtool -P "$PFDEV" | sed -n 's/^Permanent address: //p')
	serial=${perm//:/}
	[[ $info == *"serial_number $serial"* ]] ||
		fail "serial is not the permanent MAC $perm" || return 1
	[[ $info == *"asic.id 5a01"* ]] || fail "no asic.id 5a01" || return 1
	[[ $info =~ running[^a-z]*fw\ 1\.4\.2 ]] || fail "no running fw 1.4.2" || return 1
}

# port show: the uplink, physical, port 0, with the PF's netdev; its phys_port_name and
# the switch ID (the permanent MAC) reach the netdev
test_port()
{
	local ports sw perm

	ports=$(devlink port show) || fail "devlink port show failed" || return 1
	echo "$ports"
	[[ $ports == *"pci/$PF/0: type eth netdev $PFDEV flavour physical port 0"* ]] ||
		fail "no uplink port with $PFDEV" || return 1
	[ "$(grep -c "^pci/$PF/" <<<"$ports")" = 1 ] || fail "ports other than the uplink" ||
		return 1
	[ "$(cat "/sys/class/net/$PFDEV/phys_port_name")" = p0 ] ||
		fail "phys_port_name is not p0" || return 1
	sw=$(cat "/sys/class/net/$PFDEV/phys_switch_id")
	perm=$(ethtool -P "$PFDEV" | sed -n 's/^Permanent address: //p')
	[ "$sw" = "${perm//:/}" ] || fail "switch id $sw is not the permanent MAC" || return 1
}

test_eswitch_show()
{
	local out

	out=$(devlink dev eswitch show "pci/$PF") || fail "eswitch show failed" || return 1
	echo "$out"
	[[ $out == *"mode legacy"* ]] || fail "not legacy"
}

# A mode that does not exist is refused, and nothing changes: still legacy, the same
# ports, the VF still there
test_eswitch_bad()
{
	local before after

	before=$(devlink port show; devlink dev eswitch show "pci/$PF")
	! devlink dev eswitch set "pci/$PF" mode bogus 2>/dev/null ||
		fail "mode bogus accepted" || return 1
	devlink dev eswitch set "pci/$PF" mode legacy || fail "legacy (no change) refused" ||
		return 1
	after=$(devlink port show; devlink dev eswitch show "pci/$PF")
	[ "$before" = "$after" ] || fail "changed: $after" || return 1
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 1 ] || fail "the VF went"
}

# The VF asks for resets (ethtool --reset): the PF finishes each from its work queue,
# and the VF comes back each time
test_vf_reset()
{
	local k r q0 d0 vdev

	vdev=$(pci_netdev "$VFP")
	q0=$(wq_stat queued) && d0=$(wq_stat "done") || fail "no wq stats" || return 1
	for k in 1 2 3; do
		r=$(vf_recoveries) || fail "no VF stats" || return 1
		ethtool --reset "$vdev" dedicated >/dev/null || fail "ethtool --reset failed" ||
			return 1
		wait_for 30 vf_recovered_since "$r" || fail "VF did not recover ($k)" || return 1
	done
	cat "$DBG/simnic_pf/$PF/wq"
	[ "$(wq_stat eswitch_vfs)" = 1 ] || fail "the eswitch does not know of the VF" ||
		return 1
	[ "$(wq_stat queued)" -ge $((q0 + 3)) ] && [ "$(wq_stat "done")" -ge $((d0 + 3)) ] ||
		fail "the resets did not go through the work queue"
}

# pending_resets N: with every work item held back wq_delay_ms (20 s, or until a
# generation bump) before it tries the devlink lock, N reset requests (VIRTCHNL_OP_RESET_VF, put in VF 0's mailbox by
# the card's mbx_inject, so that no VF driver is needed) queue N items, the first of
# them asleep at once. Use N=1: the device's reset of the VF empties the VF's mailbox,
# so requests queued behind the first may be lost.
pending_resets()
{
	local want

	# shellcheck disable=SC2034 # used by the eval below
	want=$(($(wq_stat queued) + $1))
	echo 20000 >"$DBG/simnic_pf/$PF/wq_delay_ms" || return 1
	echo "2 0 $1" >"$DBG/simnic_hw/$PF/vf0/mbx_inject" || fail "mbx_inject refused" ||
		return 1
	wait_for 5 eval '[ "$(wq_stat queued)" -ge "$want" ]' || fail "no work queued"
}

# stale_dropped: the last teardown dropped the waiting work as stale (its log line)
stale_dropped()
{
	local l

	l=$(dmesg | grep "simnic_pf $PF: work queue gone:" | tail -n 1)
	echo "${l#*] }"
	[[ $l =~ ,\ ([0-9]+)\ dropped\ as\ stale ]] && [ "${BASH_REMATCH[1]}" -ge 1 ] ||
		fail "no work was dropped as stale"
}

# Teardown with work waiting for the devlink lock. The worker below waits up to 20 s
# (wq_delay_ms) once started, then wants the devlink lock, while the PF's remove
# holds that lock, bumps the generation (which ends the worker's wait) and destroys
# the queue (which waits for the worker). A worker that took the lock with a plain
# devl_lock() would block for ever and the remove with it: the unbind would never
# return (timeout cannot kill a write stuck in the kernel; the VM's timeout or the
# hung-task detector ends the run). It ends in seconds only because the worker,
# failing devl_trylock(), sees the generation the teardown bumped and gives up. How we
# know: with devl_lock() in place of the trylock loop of simnic_pf_wq_work(), this
# case hung until the VM was killed after 90 s. A bump that did not wake the worker
# would keep the teardown waiting out the 20 s: "too slow" below.
# SR-IOV disabled while a reset the VF asked for waits in the queue: the disable is an
# operation boundary, the work is dropped as stale, the eswitch learns 0 VFs through
# the queue, and a new VF works
test_teardown_sriov()
{
	local s0 t0=$SECONDS

	# shellcheck disable=SC2034 # used by the eval below
	s0=$(wq_stat stale)
	pending_resets 1 || return 1
	timeout 30 sh -c "echo 0 >/sys/bus/pci/devices/$PF/sriov_numvfs" ||
		fail "disabling SR-IOV hung or failed" || return 1
	echo "disabling took $((SECONDS - t0)) s"
	echo 0 >"$DBG/simnic_pf/$PF/wq_delay_ms"
	wait_for 10 eval '[ "$(wq_stat stale)" -gt "$s0" ]' ||
		fail "the waiting work was not dropped as stale" || return 1
	wait_for 10 eval '[ "$(wq_stat eswitch_vfs)" = 0 ]' ||
		fail "the eswitch still knows of a VF" || return 1
	cat "$DBG/simnic_pf/$PF/wq"
	up && wait_for 10 eval '[ "$(wq_stat eswitch_vfs)" = 1 ]' ||
		fail "the eswitch does not know of the new VF" || return 1
	test_vf_reset >/dev/null
}

test_teardown_unbind()
{
	local t0=$SECONDS

	pending_resets 1 || return 1
	timeout 30 sh -c "echo $PF >/sys/bus/pci/drivers/simnic_pf/unbind" ||
		fail "unbind hung or failed" || return 1
	echo "unbind took $((SECONDS - t0)) s"
	[ $((SECONDS - t0)) -lt 15 ] || fail "unbind too slow" || return 1
	stale_dropped || return 1
	echo "$PF" >/sys/bus/pci/drivers/simnic_pf/bind || fail "cannot bind again" || return 1
	up
}

# The same through rmmod simnic_pf (module unload), the VF driver gone first
test_teardown_rmmod()
{
	local t0

	rmmod simnic_vf || fail "cannot remove simnic_vf" || return 1
	t0=$SECONDS
	pending_resets 1 || return 1
	timeout 30 rmmod simnic_pf || fail "rmmod hung or failed" || return 1
	echo "rmmod took $((SECONDS - t0)) s"
	[ $((SECONDS - t0)) -lt 15 ] || fail "rmmod too slow" || return 1
	stale_dropped || return 1
	simnic_unload && up
}

devlink_suite_begin "$NCASES"
selected_case "info: driver, serial, firmware" test_info
selected_case "port: the uplink with the PF's netdev" test_port
selected_case "eswitch: legacy" test_eswitch_show
selected_case "eswitch: a bad mode refused, nothing changes" test_eswitch_bad
selected_case "wq: VF resets through the work queue" test_vf_reset
selected_case "teardown: SR-IOV disabled with work waiting" test_teardown_sriov
selected_case "teardown: unbind with work waiting for the lock" test_teardown_unbind
selected_case "teardown: rmmod with work waiting for the lock" test_teardown_rmmod
selected_case "unload: the modules go" simnic_unload
ktap_finish
