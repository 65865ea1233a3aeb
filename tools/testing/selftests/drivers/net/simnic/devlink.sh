#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PF's devlink instance and its work queue: devlink dev info (driver, serial from
# the card's permanent MAC, firmware from the card), the uplink port with the PF's
# netdev, the eswitch in legacy mode, a mode that does not exist refused with nothing
# changed (switchdev.sh has switchdev mode); the health reporter "mailbox" (errors of a
# hostile VF, its dump and diagnose, recovery, auto_recover and grace_period, a flood);
# the resets a VF asks for, which the PF finishes from its work queue; and
# teardown (PF unbind, rmmod) while work waits for the devlink lock, which must end at
# once and cleanly. Cheap by design: one card, one VF, one namespace for the VF's
# traffic after a recovery.
# DEVLINK_CASES=REGEX runs a subset (the others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"

DBG=/sys/kernel/debug
CASES=${DEVLINK_CASES:-}
NCASES=15
PF=""
PFDEV=""
VFP=""
NS=simnic-health-$$
FLOOD_PID=""

cleanup()
{
	[ -z "$FLOOD_PID" ] || kill "$FLOOD_PID" 2>/dev/null
	ns_del "$NS" 2>/dev/null
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
	pf_up || return 1
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
	local before after out rc

	before=$(devlink port show; devlink dev eswitch show "pci/$PF")
	# the devlink tool refuses a name it does not know itself: send the kernel a raw
	# mode 7 (eswitch_mode.py), which must refuse it
	out=$(/usr/bin/python3 -SI "$dir/eswitch_mode.py" "pci/$PF" 7)
	rc=$?
	echo "$out"
	[ "$rc" = 1 ] || fail "mode 7 not refused (exit $rc)" || return 1
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

# --- the health reporter "mailbox" -------------------------------------------------

HEALTH_GRACE=10000	# SIMNIC_PF_HEALTH_GRACE_MS

# flat TEXT: TEXT on one line, words separated by single spaces
flat()
{
	local -a w

	read -r -d '' -a w <<<"$1"
	echo "${w[*]}"
}

# health: `devlink health show` of the reporter, one line, in HSTATE, HERR, HREC
# (error and recover counts), HGRACE, HAUTO
health()
{
	local out

	out=$(devlink health show "pci/$PF" reporter mailbox 2>&1) || return 1
	out=$(flat "$out")
	# last_dump_date and last_dump_time come before grace_period once there is a dump
	[[ $out =~ reporter\ mailbox\ state\ ([a-z]+)\ error\ ([0-9]+)\ recover\ ([0-9]+)\ .*grace_period\ ([0-9]+)\ auto_recover\ ([a-z]+) ]] ||
		{ echo "unexpected: $out"; return 1; }
	HSTATE=${BASH_REMATCH[1]}
	HERR=${BASH_REMATCH[2]}
	HREC=${BASH_REMATCH[3]}
	HGRACE=${BASH_REMATCH[4]}
	HAUTO=${BASH_REMATCH[5]}
}

# health_is STATE ERRORS RECOVERS: the reporter shows exactly these
health_is()
{
	health && [ "$HSTATE" = "$1" ] && [ "$HERR" = "$2" ] && [ "$HREC" = "$3" ]
}

# health_dump, health_diagnose: the reporter's output, on one line
health_dump()
{
	local out

	out=$(devlink health dump show "pci/$PF" reporter mailbox) || return 1
	flat "$out"
}

health_diagnose()
{
	local out

	out=$(devlink health diagnose "pci/$PF" reporter mailbox) || return 1
	flat "$out"
}

health_set()
{
	devlink health set "pci/$PF" reporter mailbox "$@" || fail "health set $* refused"
}

# inject MSG: a message to the PF as if VF 0 had sent it ("OPCODE LEN [COUNT]")
inject()
{
	echo "$1" >"$DBG/simnic_hw/$PF/vf0/mbx_inject" || fail "mbx_inject refused '$1'"
}

# The device's count of VF 0's resets: it moves as the PF resets the VF, at once
hw_vf_resets()
{
	_stat_of "$DBG/simnic_hw/$PF/vf0/stats" resets
}

# mbx_stat NAME: a counter of VF 0's mailbox as the PF sees it
mbx_stat()
{
	_stat_of "$DBG/simnic_pf/$PF/vf0/mbx_stats" "$1"
}

# The VF's netdev in $NS with 192.0.2.2, the PF's with 192.0.2.254
vf_ns_up()
{
	local vdev

	vf_ns_down
	vdev=$(pci_netdev "$VFP") || fail "the VF has no netdev" || return 1
	ip netns add "$NS" && ip link set dev "$vdev" netns "$NS" &&
		ip -n "$NS" addr add 192.0.2.2/24 dev "$vdev" &&
		ip -n "$NS" link set dev "$vdev" up || fail "cannot move $vdev to $NS" || return 1
	ip addr replace 192.0.2.254/24 dev "$PFDEV" && ip link set dev "$PFDEV" up ||
		fail "cannot address $PFDEV" || return 1
	VFDEV=$vdev
}

# Back to this namespace, for the cases that follow
vf_ns_down()
{
	[ -z "${VFDEV:-}" ] || ip -n "$NS" link set dev "$VFDEV" netns 1 2>/dev/null
	ns_del "$NS" 2>/dev/null
	ip addr del 192.0.2.254/24 dev "$PFDEV" 2>/dev/null
	wait_for 10 pci_netdev "$VFP" >/dev/null
}

vf_pings()
{
	ip netns exec "$NS" ping -c 1 -W 1 192.0.2.254 >/dev/null 2>&1
}

# The reporter is there after probe, healthy, with nothing counted; diagnose has the
# counters and VF 0
test_health_probe()
{
	local d

	health_is healthy 0 0 || fail "not healthy with no error: $HSTATE $HERR $HREC" ||
		return 1
	[ "$HGRACE" = "$HEALTH_GRACE" ] && [ "$HAUTO" = true ] ||
		fail "grace_period $HGRACE auto_recover $HAUTO" || return 1
	d=$(health_diagnose) || fail "diagnose failed" || return 1
	echo "diagnose: $d"
	[[ $d == *"errors: refused: 0 malformed: 0 flood: 0 send_failed: 0 "* ]] ||
		fail "errors counted" || return 1
	[[ $d =~ vfs:\ vf:\ 0\ received:\ [1-9][0-9]*\ refused:\ 0\ malformed:\ 0\ floods:\ 0\ send_failed:\ 0\ limited:\ false\ offender:\ false ]] ||
		fail "VF 0 missing or not clean"
}

# With auto_recover off, VF 0 sends a malformed VERSION (3 bytes), then an opcode that
# does not exist: each is an error (the count moves, the reporter stays in error), and
# the dump made with each report names it as its trigger, with VF and opcode; the
# ring of messages has both, the diagnosis counts both and marks VF 0
test_health_errors()
{
	local e d

	health_set auto_recover false grace_period 0 || return 1
	devlink health dump clear "pci/$PF" reporter mailbox || fail "dump clear failed" ||
		return 1
	health || return 1
	e=$HERR
	inject "1 3" || return 1
	wait_for 10 health_is error $((e + 1)) "$HREC" ||
		fail "malformed: state $HSTATE, $HERR errors (was $e)" || return 1
	d=$(health_dump) || fail "dump show failed" || return 1
	echo "dump: $d"
	[[ $d =~ trigger:\ time_ns:\ [0-9]+\ vf:\ 0\ opcode:\ 1\ op:\ VERSION\ len:\ 3\ verdict:\ malformed\ virtchnl_status:\ -[0-9]+ ]] ||
		fail "the dump does not name the malformed VERSION of VF 0" || return 1
	devlink health dump clear "pci/$PF" reporter mailbox || return 1
	inject "9999 16" || return 1
	wait_for 10 health_is error $((e + 2)) "$HREC" ||
		fail "refused: state $HSTATE, $HERR errors (was $e)" || return 1
	d=$(health_dump) || fail "dump show failed" || return 1
	echo "dump: $d"
	[[ $d =~ trigger:\ time_ns:\ [0-9]+\ vf:\ 0\ opcode:\ 9999\ op:\ unknown\ len:\ 16\ verdict:\ refused\ events: ]] ||
		fail "the dump does not name the refused opcode 9999 of VF 0" || return 1
	[[ $d =~ messages:.*vf:\ 0\ opcode:\ 1\ op:\ VERSION\ len:\ 3\ verdict:\ malformed.*vf:\ 0\ opcode:\ 9999\ op:\ unknown\ len:\ 16\ verdict:\ refused ]] ||
		fail "the ring does not have both messages, in order" || return 1
	d=$(health_diagnose) || return 1
	echo "diagnose: $d"
	[[ $d =~ errors:\ refused:\ [1-9][0-9]*\ malformed:\ [1-9] ]] || fail "not counted" ||
		return 1
	[[ $d =~ vf:\ 0\ .*\ offender:\ true ]] || fail "VF 0 not marked"
}

# VF 0 in error (from the case above, or made so here): devlink health recover resets
# it (the device counts the reset, the PF logs it) and the reporter is healthy; the VF
# comes back and passes traffic. A second recover changes nothing.
test_health_recover()
{
	local r hw d n0

	health || return 1
	if [ "$HSTATE" != error ]; then
		health_set auto_recover false && inject "1 3" &&
			wait_for 10 eval 'health && [ "$HSTATE" = error ]' ||
			fail "cannot put the reporter in error" || return 1
	fi
	vf_ns_up || return 1
	wait_for 30 vf_pings || fail "no traffic before the recovery" || return 1
	r=$(vf_recoveries) && hw=$(hw_vf_resets) || fail "no VF stats" || return 1
	health || return 1
	n0=$HREC
	devlink health recover "pci/$PF" reporter mailbox || fail "recover failed" || return 1
	health_is healthy "$HERR" $((n0 + 1)) ||
		fail "after recover: $HSTATE, $HREC recoveries (was $n0)" || return 1
	[ "$(hw_vf_resets)" -gt "$hw" ] || fail "VF 0 was not reset" || return 1
	wait_for 30 vf_recovered_since "$r" && wait_for 30 vf_settled "$VFP" ||
		fail "VF 0 did not come back" || return 1
	wait_for 30 vf_pings || fail "no traffic after the recovery" || return 1
	echo "VF 0 reset and passing traffic again"
	d=$(health_diagnose) || return 1
	echo "diagnose: $d"
	[[ $d =~ full_recoveries:\ [1-9][0-9]*\ vfs_reset:\ [1-9] ]] || fail "not counted" ||
		return 1
	[[ $d =~ vf:\ 0\ .*\ offender:\ false ]] || fail "VF 0 still marked" || return 1
	hw=$(hw_vf_resets)
	devlink health recover "pci/$PF" reporter mailbox || fail "second recover failed" ||
		return 1
	health_is healthy "$HERR" $((n0 + 1)) && [ "$(hw_vf_resets)" = "$hw" ] ||
		fail "the second recover did something: $HSTATE, $HREC" || return 1
	vf_ns_down
}

# auto_recover on, grace_period 0: an error is recovered at once (the reporter is
# healthy, the recover count moves) and no VF is reset (the PF contained it). With a
# grace period of a minute, the next error is not recovered: the reporter stays in
# error until devlink health recover, which resets VF 0.
test_health_auto()
{
	local e n hw r

	health_set auto_recover true grace_period 0 || return 1
	health || return 1
	[ "$HSTATE" = healthy ] || fail "not healthy to begin with" || return 1
	e=$HERR n=$HREC
	hw=$(hw_vf_resets) || return 1
	inject "1 3" || return 1
	wait_for 10 health_is healthy $((e + 1)) $((n + 1)) ||
		fail "not recovered: $HSTATE, $HERR errors, $HREC recoveries" || return 1
	[ "$(hw_vf_resets)" = "$hw" ] || fail "the automatic recovery reset the VF" || return 1
	echo "auto_recover: recovered, VF not reset"
	health_set grace_period 60000 || return 1
	inject "9999 8" || return 1
	wait_for 10 eval 'health && [ "$HERR" = $((e + 2)) ]' || fail "no error" || return 1
	health_is error $((e + 2)) $((n + 1)) ||
		fail "within the grace period: $HSTATE, $HREC recoveries" || return 1
	echo "grace_period: the second error left in error"
	r=$(vf_recoveries) || return 1
	devlink health recover "pci/$PF" reporter mailbox || fail "recover failed" || return 1
	health_is healthy $((e + 2)) $((n + 2)) || fail "recover: $HSTATE" || return 1
	[ "$(hw_vf_resets)" -gt "$hw" ] || fail "VF 0 was not reset" || return 1
	wait_for 30 vf_recovered_since "$r" && wait_for 30 vf_settled "$VFP" ||
		fail "VF 0 did not come back" || return 1
	health_set grace_period "$HEALTH_GRACE" auto_recover true
}

# flood_loop: full mailboxes of an unknown opcode from VF 0, until killed (at most
# 3000 rounds), no process per round
flood_loop()
{
	local f=$DBG/simnic_hw/$PF/vf0/mbx_inject i

	for ((i = 0; i < 3000; i++)); do
		echo "9999 8 64" >"$f" 2>/dev/null
		nap 0.01
	done
}

# VF 0 floods (auto_recover off): hundreds of refused messages are a handful of
# reports (at most one per 200 ms) and the flood is counted; devlink health recover,
# while the flood goes on, lifts VF 0's rate limit and resets it; once the flood
# stops, VF 0 negotiates again and passes traffic
test_health_flood()
{
	local e r0 t0 d l0 l1 rc=0 pat="VF 0: mailbox recovery: flood rate limit lifted"

	health_set auto_recover false grace_period 0 || return 1
	health || return 1
	e=$HERR
	r0=$(mbx_stat refused) || fail "no mailbox stats" || return 1
	l0=$(dmesg | grep -c "$pat")
	vf_ns_up || return 1
	t0=$SECONDS
	flood_loop >/dev/null 2>&1 &
	FLOOD_PID=$!
	{
		wait_for 20 eval '[ "$(mbx_stat limited)" = yes ]' || fail "VF 0 not rate-limited"
	} && {
		health || fail "no health"
	} && {
		echo "flood: $(($(mbx_stat refused) - r0)) refused, $((HERR - e)) reports in $((SECONDS - t0 + 1)) s"
		[ $((HERR - e)) -le $((5 * (SECONDS - t0 + 1) + 2)) ] || fail "a report storm"
	} && {
		d=$(health_diagnose) && [[ $d =~ flood:\ [1-9] ]] || fail "the flood not counted"
	} && {
		devlink health recover "pci/$PF" reporter mailbox || fail "recover failed"
	} || rc=1
	kill "$FLOOD_PID" 2>/dev/null
	wait "$FLOOD_PID" 2>/dev/null
	FLOOD_PID=""
	[ "$rc" = 0 ] || { vf_ns_down; return 1; }
	l1=$(dmesg | grep -c "$pat")
	[ "$l1" -gt "$l0" ] || fail "the rate limit was not lifted" || return 1
	d=$(health_diagnose)
	echo "diagnose: $d"
	[[ $d =~ limits_lifted:\ [1-9] ]] || fail "no limit lifted counted" || return 1
	# the flood went on after the recovery: it may be limited again, until it is over
	wait_for 15 eval '[ "$(mbx_stat limited)" = no ]' || fail "VF 0 still limited" ||
		return 1
	wait_for 30 vf_settled "$VFP" || fail "VF 0 did not negotiate again" || return 1
	wait_for 30 vf_pings || fail "no traffic after the flood" || return 1
	vf_ns_down
	health_clear
}

# With no VF driver to read VF 0's mailbox, the PF's replies fill it (64 messages):
# the replies that follow are lost (-ENOSPC), counted as send_failed, errors in the
# ring. Then the VF driver is bound again and the VF works.
test_health_send_failed()
{
	local rc=0

	health_lost_replies || rc=1
	# bound again whatever happened, for the cases that follow
	if [ ! -e "/sys/bus/pci/devices/$VFP/driver" ]; then
		echo "$VFP" >/sys/bus/pci/drivers/simnic_vf/bind || fail "cannot bind VF 0" ||
			rc=1
	fi
	wait_for 30 pci_netdev "$VFP" >/dev/null && wait_for 30 vf_settled "$VFP" ||
		fail "VF 0 does not come back" || rc=1
	health_clear || rc=1
	return "$rc"
}

health_lost_replies()
{
	local f0 rx d

	health_set auto_recover false grace_period 0 || return 1
	echo "$VFP" >/sys/bus/pci/drivers/simnic_vf/unbind || fail "cannot unbind VF 0" ||
		return 1
	f0=$(mbx_stat send_failed) || fail "no send_failed in mbx_stats" || return 1
	# shellcheck disable=SC2034 # used by the evals below
	rx=$(mbx_stat received) || return 1
	# 40 and 40 more, each with its reply: the mailbox to the PF holds 64. The VF
	# may be in a reset the unbind started, its mailbox closed for a moment.
	wait_for 10 eval 'echo "9999 0 40" >"$DBG/simnic_hw/$PF/vf0/mbx_inject"' 2>/dev/null &&
		wait_for 10 eval '[ "$(mbx_stat received)" -ge $((rx + 40)) ]' &&
		inject "9999 0 40" &&
		wait_for 10 eval '[ "$(mbx_stat received)" -ge $((rx + 80)) ]' ||
		fail "the messages were not served" || return 1
	echo "send_failed: $(mbx_stat send_failed) (was $f0)"
	[ "$(mbx_stat send_failed)" -ge $((f0 + 16)) ] || fail "lost replies not counted" ||
		return 1
	wait_for 10 eval 'health && [ "$HSTATE" = error ]' || fail "no error" || return 1
	d=$(health_diagnose) || return 1
	echo "diagnose: $d"
	[[ $d =~ send_failed:\ [1-9][0-9]*\ reports: ]] || fail "not counted as errors" ||
		return 1
	# a dump of the ring as it is now, not the one stored at the first report
	devlink health dump clear "pci/$PF" reporter mailbox || return 1
	d=$(health_dump) || return 1
	[[ $d =~ vf:\ 0\ opcode:\ 9999\ op:\ unknown\ len:\ 0\ verdict:\ send_failed\ errno:\ -28 ]] ||
		fail "the ring has no lost reply: $d"
}

# health_clear: the reporter healthy, VF 0 back, the defaults
health_clear()
{
	health || return 1
	if [ "$HSTATE" != healthy ]; then
		devlink health recover "pci/$PF" reporter mailbox || return 1
		wait_for 30 vf_settled "$VFP" || fail "VF 0 did not negotiate again" || return 1
	fi
	health_set auto_recover true grace_period "$HEALTH_GRACE"
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
selected_case "health: the mailbox reporter, healthy after probe" test_health_probe
selected_case "health: malformed and refused messages are errors, the dump names them" test_health_errors
selected_case "health: recover resets the offending VF, which passes traffic" test_health_recover
selected_case "health: auto_recover contains an error, grace_period holds the next" test_health_auto
selected_case "health: a flood is a few reports; recover lifts its rate limit" test_health_flood
selected_case "health: replies lost to a full mailbox are errors" test_health_send_failed
selected_case "wq: VF resets through the work queue" test_vf_reset
selected_case "teardown: SR-IOV disabled with work waiting" test_teardown_sriov
selected_case "teardown: unbind with work waiting for the lock" test_teardown_unbind
selected_case "teardown: rmmod with work waiting for the lock" test_teardown_rmmod
selected_case "unload: the modules go" simnic_unload
ktap_finish
