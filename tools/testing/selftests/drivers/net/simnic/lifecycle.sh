#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The card's life beyond resets, with VLANs configured and traffic running: servicing
# (the card goes away and comes back blank), VF reconfiguration events, the physical
# link going away, probes that fail at each step, and hot-remove (sriov_numvfs 0, VF
# unbind, PF unbind, module unload) while traffic passes and requests are in flight.
# After each event the VLAN invariant (user == VF list == PF table == switch) must hold,
# pings must pass both ways, and the stages a user watches (recovering, recovered,
# failed) must be the ones the event implies. The loops run LIFECYCLE_LOOPS times
# (default 20); LIFECYCLE_CASES=REGEX runs a subset (the others are reported as
# skipped). The last case unloads the modules under traffic.
#
# simnic_vf is loaded with op_timeout_ms=1000 and recovery_timeout_ms=2000, so that a
# servicing of 4 s is a recovery reported failed and then recovered.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

LOOPS=${LIFECYCLE_LOOPS:-20}
TAG=lifecycle-$$
export SIMNIC_VF_OPTS="op_timeout_ms=1000 recovery_timeout_ms=2000"
VLAN_CASES=${LIFECYCLE_CASES:-}
NCASES=17

# --- the card's own events ------------------------------------------------------------

hw_card()
{
	echo "$VLAN_DBG/simnic_hw/$PF"
}

# service MS: the card goes away for MS ms
service()
{
	echo "$1" >"$(hw_card)/service" || fail "cannot start a servicing of $1 ms"
}

# service_back: the card ends its servicing now (a case starts a long one, and ends
# it when it has tried what it must try while the card is away, however slow the kernel)
service_back()
{
	echo back >"$(hw_card)/service" || fail "the card was not away any more"
}

card_ready()
{
	local s

	read -r s _ <"$(hw_card)/service" && [ "$s" = ready ]
}

# serviced MS: a servicing of MS ms, and both VFs back after it
serviced()
{
	service "$1" && wait_for 30 card_ready && vfs_back
}

# recovery_is IDX STAGE: VF IDX's recovery stage (vc_stats) is STAGE
recovery_is()
{
	[ "$(vf_stat "${VFP[$1]}" recovery)" = "$2" ]
}

# health IDX: "STATE ERRORS" of VF IDX's devlink health reporter "recovery"
health()
{
	local l

	l=$(devlink health show "pci/${VFP[$1]}" reporter recovery 2>&1) &&
		[[ $l =~ state\ ([a-z]+)\ error\ ([0-9]+) ]] || fail "devlink health: $l" || return 1
	echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

# health_is IDX STATE ERRORS
health_is()
{
	[ "$(health "$1")" = "$2 $3" ]
}

# reconfig IDX: the card raises a reconfiguration event on VF IDX
reconfig()
{
	echo 1 >"$(hw_dbg "$PF" "$1")/reconfig" || fail "cannot raise a reconfiguration on VF $1"
}

# reconfigured IDX N: VF IDX has re-created itself N times or more and is back
reconfigured()
{
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[$1]}" recreations $(($2 - 1)) ||
		fail "VF $1 was not re-created" || return 1
	vfs_back
}

# logged TAG TEXT N: the kernel log after mark TAG has N lines or more with TEXT
logged()
{
	local n

	n=$(kmsg_since "$1" | grep -cF "$2")
	[ "$n" -ge "$3" ] || fail "the log has $n lines with '$2', expected $3 or more"
}

# in_flight IDX: VF IDX has a VLAN request in flight: the PF holds its replies for
# 800 ms (less than the VF's op timeout, so that traffic keeps flowing)
in_flight()
{
	pf_knob "$PF" "$1" reply_delay_ms 800 && add "$1" 108 &&
		wait_for 10 vlan_vf_state_is "${VFP[$1]}" 108 ADDING
}

vlan_vf_state_is()
{
	[ "$(vlan_vf_state "$1" "$2")" = "$3" ]
}

# --- servicing --------------------------------------------------------------------------

# LOOPS servicings of 300 ms with traffic: every time the PF quiesces and rebuilds, both
# VFs recover, and each says so
test_service_loop()
{
	local k r0 r1 m=$TAG-svc

	loop_setup || return 1
	r0=$(resets 0) && r1=$(resets 1) || return 1
	kmsg_mark "$m"
	traffic_start || return 1
	for ((k = 1; k <= LOOPS; k++)); do
		serviced 300 || break
	done
	traffic_stop || return 1
	[ "$k" -gt "$LOOPS" ] || fail "servicing $k of $LOOPS failed" || return 1
	echo "$LOOPS servicings"
	after_loop "$VIDS0" 100 "$r0" "$r1" "$LOOPS" "$LOOPS" || return 1
	recovery_is 0 recovered && recovery_is 1 recovered ||
		fail "recovery stages: $(vf_stat "${VFP[0]}" recovery), $(vf_stat "${VFP[1]}" recovery)" ||
		return 1
	[[ $(health 0) == "healthy "* && $(health 1) == "healthy "* ]] ||
		fail "devlink health: $(health 0), $(health 1)" || return 1
	logged "$m" "device servicing: PF and 2 VFs quiesced" "$LOOPS" &&
		logged "$m" "PF and 2 VFs rebuilt" "$LOOPS" &&
		logged "$m" "recovered in" $((2 * LOOPS))
}

# busy CMD...: CMD fails within 10 s (does not hang)
busy()
{
	local rc

	timeout 10 "$@" 2>&1
	rc=$?
	[ "$rc" != 124 ] || fail "'$*' hung" || return 1
	[ "$rc" != 0 ] || fail "'$*' succeeded while the card was away"
}

# What a user does while the card is away is refused at once with a message, or (a new
# VLAN) taken and applied once the card is back; nothing hangs, nothing changes
test_service_busy()
{
	local m=$TAG-busy

	loop_setup || return 1
	kmsg_mark "$m"
	ip -n "$NS1" link set dev "${DEV[0]}" down || return 1
	service 60000 || return 1
	wait_for 10 recovery_is 0 recovering || fail "VF 0 is not recovering" || return 1
	busy ip -n "$NS1" link set dev "${DEV[0]}" up &&
		busy ip link set dev "$PFDEV" vf 0 trust on &&
		busy bash -c "echo 1 >$VLAN_DBG/simnic_pf/$PF/reset_vfs" &&
		busy ip netns exec "$NS2" ethtool --reset "${DEV[1]}" dedicated || return 1
	add 1 108 || fail "a VLAN added while the card is away is refused" || return 1
	logged "$m" "the device is being serviced: try again when it is back" 2 &&
		logged "$m" "cannot open: the VF is recovering from a reset, try again" 1 &&
		logged "$m" "cannot reset now" 1 || return 1
	service_back && wait_for 30 card_ready && wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" &&
		vf_up 0 && vfs_back || return 1
	vf_info 0 | grep -q "trust off" || fail "trust changed: $(vf_info 0)" || return 1
	inv 0 "$VIDS0" && inv 1 "100 108" && ping_both 100
}

# Away for longer than the VFs' recovery timeout: they say the recovery failed, go on
# trying, and recover once the card is back
test_service_failed()
{
	local m=$TAG-failed f0 h0

	loop_setup || return 1
	f0=$(vf_stat "${VFP[0]}" recovery_failures) && h0=$(health 0) || return 1
	h0=${h0#* }
	health_is 0 healthy "$h0" || fail "devlink health before: $(health 0)" || return 1
	kmsg_mark "$m"
	service 60000 || return 1
	wait_for 10 health_is 0 error "$h0" || fail "devlink health while recovering: $(health 0)" ||
		return 1
	wait_for 10 recovery_is 0 failed && wait_for 10 recovery_is 1 failed ||
		fail "the VFs did not report the recovery failed" || return 1
	health_is 0 error $((h0 + 1)) || fail "devlink health after the failure: $(health 0)" ||
		return 1
	logged "$m" "recovery failed: not back 2000 ms after the reset; still trying" 2 &&
		logged "$m" "the PF is not ready: looking again every 1000 ms" 2 || return 1
	service_back && wait_for 30 card_ready && vfs_back || return 1
	recovery_is 0 recovered && recovery_is 1 recovered ||
		fail "not recovered after the card came back" || return 1
	logged "$m" "after it was reported failed" 2 || return 1
	[ "$(vf_stat "${VFP[0]}" recovery_failures)" = $((f0 + 1)) ] ||
		fail "recovery_failures $f0 -> $(vf_stat "${VFP[0]}" recovery_failures)" || return 1
	health_is 0 healthy $((h0 + 1)) || fail "devlink health after: $(health 0)" || return 1
	devlink health diagnose "pci/${VFP[0]}" reporter recovery | grep -q "stage: recovered" ||
		fail "devlink health diagnose: $(devlink health diagnose "pci/${VFP[0]}" reporter recovery)" ||
		return 1
	inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# A VF FLR and a PF FLR while the card is away: the resets count, the PF rebuilds the
# VFs once, when the card is back
test_service_flr()
{
	local r0 r1

	loop_setup || return 1
	r0=$(resets 0) && r1=$(resets 1) || return 1
	service 60000 || return 1
	echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" || fail "VF FLR refused" || return 1
	pf_flr "$PF" || return 1
	service_back && wait_for 30 card_ready || return 1
	after_loop "$VIDS0" 100 "$r0" "$r1" 3 2
}

# SR-IOV disabled, then the PF unbound, each while the card is away: both finish (the
# VFs go without a PF to talk to), enabling VFs meanwhile is refused, and everything
# comes back once the card is.
test_service_remove()
{
	local how

	for how in numvfs pf; do
		loop_setup && service 60000 || return 1
		case $how in
		numvfs) timeout 60 bash -c "echo 0 >/sys/bus/pci/devices/$PF/sriov_numvfs" ;;
		pf) timeout 60 bash -c "echo $PF >/sys/bus/pci/drivers/simnic_pf/unbind" ;;
		esac || fail "$how failed or hung during servicing" || return 1
		[ ! -e "/sys/bus/pci/devices/${VFP[0]}" ] || fail "the VFs stayed ($how)" || return 1
		if [ "$how" = numvfs ]; then
			busy bash -c "echo 2 >/sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
		fi
		service_back && wait_for 30 card_ready && pf_back || return 1
		vf_ensure 0 && vf_ensure 1 || return 1
	done
	loop_setup
}

# --- reconfiguration --------------------------------------------------------------------

# LOOPS reconfiguration events with traffic: each time the VF is re-created (the netdev
# stays, with its MAC, VLANs and queue count) and traffic flows again
test_reconfig_loop()
{
	local k c0 q0 i0 r0 r1

	loop_setup || return 1
	c0=$(vf_stat "${VFP[0]}" recreations) && q0=$(vf_stat "${VFP[0]}" queue_pairs) || return 1
	i0=$(ip netns exec "$NS1" cat "/sys/class/net/${DEV[0]}/ifindex")
	r0=$(resets 0) && r1=$(resets 1) || return 1
	traffic_start || return 1
	for ((k = 1; k <= LOOPS; k++)); do
		reconfig 0 && reconfigured 0 $((c0 + k)) || break
	done
	traffic_stop || return 1
	[ "$k" -gt "$LOOPS" ] || fail "reconfiguration $k of $LOOPS failed" || return 1
	echo "$LOOPS reconfigurations: recreations $c0 -> $(vf_stat "${VFP[0]}" recreations)"
	after_loop "$VIDS0" 100 "$r0" "$r1" "$LOOPS" 0 || return 1
	[ "$(vf_stat "${VFP[0]}" queue_pairs)" = "$q0" ] ||
		fail "queue pairs $q0 -> $(vf_stat "${VFP[0]}" queue_pairs)" || return 1
	[ "$(ip netns exec "$NS1" cat "/sys/class/net/${DEV[0]}/ifindex")" = "$i0" ] &&
		[ "$(dev_mac "$NS1" "${DEV[0]}")" = "${MAC[0]}" ] ||
		fail "the netdev or its MAC changed"
}

# A reconfiguration while the card is away: the VF backs off until the PF is ready
test_reconfig_not_ready()
{
	local m=$TAG-notready c0

	loop_setup || return 1
	c0=$(vf_stat "${VFP[0]}" recreations) || return 1
	kmsg_mark "$m"
	service 2500 && reconfig 0 || return 1
	wait_for 30 card_ready && reconfigured 0 $((c0 + 1)) || return 1
	logged "$m" "reconfiguration event: re-creating the VF" 1 &&
		logged "$m" "the PF is not ready: looking again every 1000 ms" 1 &&
		inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# A second event while the VF is negotiating after the first (the PF holds its replies):
# the VF sees both and ends negotiated after the second
test_reconfig_twice()
{
	local e0 c0 t0 m=$TAG-twice

	loop_setup || return 1
	e0=$(vf_stat "${VFP[0]}" reconfigs) && c0=$(vf_stat "${VFP[0]}" recreations) &&
		t0=$(vf_stat "${VFP[0]}" total) || return 1
	kmsg_mark "$m"
	pf_knob "$PF" 0 reply_delay_ms 1000 && reconfig 0 || return 1
	wait_for 10 vf_stat_above "${VFP[0]}" total "$t0" ||
		fail "VF 0 did not begin negotiating" || return 1
	reconfig 0 && pf_knob "$PF" 0 reply_delay_ms 0 || return 1
	reconfigured 0 $((c0 + 1)) || return 1
	[ "$(vf_stat "${VFP[0]}" reconfigs)" = $((e0 + 2)) ] ||
		fail "reconfigs $e0 -> $(vf_stat "${VFP[0]}" reconfigs): an event was lost" || return 1
	logged "$m" "reconfiguration event: re-creating the VF" 2 &&
		inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# --- the physical link ------------------------------------------------------------------

link_carrier_is()
{
	[ "$(ip netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = "$3" ]
}

# cable 0|1: the physical link of the card
cable()
{
	echo "$1" >"$(hw_card)/link" || fail "cannot set the link to $1"
}

# carriers C0 C1: VF 0's carrier becomes C0 and VF 1's C1
carriers()
{
	wait_for 10 link_carrier_is "$NS1" "${DEV[0]}" "$1" &&
		wait_for 10 link_carrier_is "$NS2" "${DEV[1]}" "$2" ||
		fail "carriers $(ip netns exec "$NS1" cat "/sys/class/net/${DEV[0]}/carrier")," \
		     "$(ip netns exec "$NS2" cat "/sys/class/net/${DEV[1]}/carrier"), expected $1, $2"
}

# state IDX auto|enable|disable: the host forces VF IDX's link (or not)
state()
{
	ip link set dev "$PFDEV" vf "$1" state "$2" || fail "state $2 refused" || return 1
	vf_info "$1" | grep -q "link-state $2" || fail "ip link shows: $(vf_info "$1")"
}

# The cable out and in 5 times: the PF and both VFs lose carrier and get it back. Then
# the host's link state: disable takes VF 0's link away with the cable in, enable gives
# both VFs a link with the cable out (they reach each other through the card's switch),
# auto follows the cable again. A bad VF index changes nothing.
test_link()
{
	local k

	loop_setup || return 1
	for ((k = 1; k <= 5; k++)); do
		cable 0 && carriers 0 0 || return 1
		[ "$(cat "/sys/class/net/$PFDEV/carrier")" = 0 ] || fail "PF kept carrier" || return 1
		ip netns exec "$NS1" ethtool "${DEV[0]}" | grep -q "Link detected: no" ||
			fail "ethtool reports a link" || return 1
		cable 1 && vfs_back || return 1
	done
	ping_both 100 || return 1
	state 0 disable && carriers 0 1 || return 1
	vlan_no_ping "$NS2" "${DEV[1]}" 100 1 "${MAC[0]}" || fail "VF 1 reaches VF 0 with its link disabled" ||
		return 1
	state 0 enable && state 1 enable && cable 0 && carriers 1 1 || return 1
	ping_both 100 || fail "no traffic between VFs with their links enabled" || return 1
	state 0 auto && state 1 auto && carriers 0 0 && cable 1 && vfs_back || return 1
	! ip link set dev "$PFDEV" vf 9 state disable 2>/dev/null ||
		fail "state of VF 9 (of 2) taken" || return 1
	vf_info 0 | grep -q "link-state auto" && vf_info 1 | grep -q "link-state auto" ||
		fail "link states changed: $(vf_info 0); $(vf_info 1)" || return 1
	ping_both 100
}

# --- probes that fail -------------------------------------------------------------------

# probe_fails DRV PCI STEP: with step STEP failing, binding DRV to PCI fails and leaves
# nothing: no driver, no netdev, no debugfs directory; the knob was used up
probe_fails()
{
	local d=$1 pci=$2 s=$3

	echo "$s" >"$VLAN_DBG/$d/fail_probe" || return 1
	if echo "$pci" >"/sys/bus/pci/drivers/$d/bind" 2>/dev/null; then
		fail "$d bound to $pci with step $s failing" || return 1
	fi
	[ ! -e "/sys/bus/pci/devices/$pci/driver" ] || fail "$pci has a driver" || return 1
	[ ! -d "/sys/bus/pci/devices/$pci/net" ] || [ -z "$(ls "/sys/bus/pci/devices/$pci/net")" ] ||
		fail "$pci has a netdev" || return 1
	[ ! -e "$VLAN_DBG/$d/$pci" ] || fail "$d left its debugfs directory" || return 1
	! devlink dev show "pci/$pci" >/dev/null 2>&1 || fail "$d left a devlink instance" ||
		return 1
	[ "$(cat "$VLAN_DBG/$d/fail_probe")" = 0 ] || fail "step $s was not reached"
}

# The VF's probe fails at each step (buffer, PCI enable, function, vector, devlink) and
# leaves nothing behind; a failed netdev registration is retried; then the VF works
test_probe_vf()
{
	local s m=$TAG-vfprobe

	echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/unbind || return 1
	kmsg_mark "$m"
	for s in 1 2 3 4 5; do
		probe_fails simnic_vf "${VFP[0]}" "$s" || return 1
	done
	logged "$m" "simnic_vf: fault injection: probe step" 5 || return 1
	echo 6 >"$VLAN_DBG/simnic_vf/fail_probe" &&
		echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/bind || return 1
	wait_for 30 pci_netdev "${VFP[0]}" >/dev/null || fail "no netdev after a retry" || return 1
	logged "$m" "cannot register netdev, retrying" 1 || return 1
	vf_ensure 0 && vf_ensure 1 && l3 100 && ping_both 100
}

# The PF's probe fails at each step (buffer, PCI enable, function, MAC, netdev, vector,
# uplink port, devlink params, health reporter) and leaves nothing behind; then the PF
# works
test_probe_pf()
{
	local s

	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" &&
		echo "$PF" >/sys/bus/pci/drivers/simnic_pf/unbind || return 1
	for s in 1 2 3 4 5 6 7 8 9; do
		probe_fails simnic_pf "$PF" "$s" || return 1
	done
	pf_back
}

# pf_back: the PF bound, its netdev up under the same name, 2 VFs
pf_back()
{
	[ -e "/sys/bus/pci/devices/$PF/driver" ] ||
		echo "$PF" >/sys/bus/pci/drivers/simnic_pf/bind || fail "cannot bind the PF" || return 1
	wait_for 10 pci_netdev "$PF" >/dev/null || fail "the PF has no netdev" || return 1
	[ "$(pci_netdev "$PF")" = "$PFDEV" ] ||
		fail "the PF's netdev is $(pci_netdev "$PF") now, not $PFDEV" || return 1
	ip link set dev "$PFDEV" up &&
		echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot enable 2 VFs again"
}

# --- hot-remove ---------------------------------------------------------------------------

# removed HOW: HOW (numvfs, vf, pf) while VF 0 pings VF 1 and has a request in flight;
# the VF goes, its netdev and debugfs with it, and the switch forgets it. A VF has no
# PCI "remove" file (the PCI core hides it for virtual functions: only disabling
# SR-IOV removes them), so "vf" unbinds its driver, the way a VF leaves a host.
test_removed()
{
	local left

	if [ "$1" = vf ] && [ -e "/sys/bus/pci/devices/${VFP[0]}/remove" ]; then
		fail "this kernel offers a remove file for VFs: test it" || return 1
	fi
	loop_setup || return 1
	traffic_start || return 1
	in_flight 0 || return 1
	case $1 in
	numvfs) timeout 60 bash -c "echo 0 >/sys/bus/pci/devices/$PF/sriov_numvfs" ;;
	vf) timeout 60 bash -c "echo ${VFP[0]} >/sys/bus/pci/drivers/simnic_vf/unbind" ;;
	pf) timeout 60 bash -c "echo $PF >/sys/bus/pci/drivers/simnic_pf/unbind" ;;
	esac || fail "removal ($1) failed or hung" || return 1
	traffic_stop || return 1
	if [ "$1" = vf ]; then
		[ ! -e "/sys/bus/pci/devices/${VFP[0]}/driver" ] || fail "VF 0 still bound" ||
			return 1
	else
		[ ! -e "/sys/bus/pci/devices/${VFP[0]}" ] || fail "VF 0 is still there" || return 1
	fi
	[ ! -e "$(vf_dbg "${VFP[0]}")" ] || fail "VF 0's debugfs is still there" || return 1
	# (a namespace may hold fallback tunnel devices of its own: only ours count)
	left=$(ip -n "$NS1" -o link show | grep -E "^[0-9]+: ${DEV[0]:0:10}[.:@]")
	[ -z "$left" ] || fail "VF 0 left a netdev: $left" || return 1
	[ -z "$(cat "$(hw_dbg "$PF" 0)/vlans")" ] ||
		fail "the switch still has VLAN filters of VF 0" || return 1
	# a removed VF function leaves its host-set MAC in the PF; a disabled VF nothing
	[ "$1" = vf ] || [ -z "$(cat "$(hw_dbg "$PF" 0)/macs")" ] ||
		fail "the switch still has MAC filters of VF 0" || return 1
	if [ "$1" = vf ]; then
		inv 1 100 || return 1
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
	fi
	pf_back
}

# --- the end ------------------------------------------------------------------------------

test_param()
{
	vf_param_check recovery_timeout_ms 1000 3600000
}

# The modules unload while the VFs are up, VF 0 pings VF 1 and has a request in flight
test_unload()
{
	vf_ensure 0 && vf_ensure 1 && loop_setup || return 1
	traffic_start || return 1
	in_flight 0 || return 1
	timeout 60 rmmod simnic_vf && timeout 60 rmmod simnic_pf && timeout 60 rmmod simnic_hw ||
		fail "the modules do not unload" || return 1
	traffic_stop || return 1
	PF=""
	ns_del "$NS1" && ns_del "$NS2"
}

require_root_and_tools
ktap_plan $NCASES
kmsg_mark "$TAG"
run_test "param: recovery_timeout_ms out of range is refused at load" test_param
if ! setup; then
	for ((k = 1; k < NCASES; k++)); do
		ktap_result "setup" "$KSFT_FAIL"
	done
	ktap_finish
fi
echo "# $LOOPS iterations per loop"
vcase "service: servicing loop with VLANs and traffic" test_service_loop
vcase "service: ip, ethtool and sysfs during servicing" test_service_busy
vcase "service: longer than the recovery timeout: failed, then recovered" test_service_failed
vcase "service: VF FLR and PF FLR during servicing" test_service_flr
vcase "service: SR-IOV disabled and PF unbound during servicing" test_service_remove
vcase "reconfig: reconfiguration loop with traffic" test_reconfig_loop
vcase "reconfig: while the PF is not ready" test_reconfig_not_ready
vcase "reconfig: an event during re-creation is not lost" test_reconfig_twice
vcase "link: physical link out and back, forced link states" test_link
vcase "probe: VF probe fails at each step and unwinds" test_probe_vf
vcase "probe: PF probe fails at each step and unwinds" test_probe_pf
vcase "remove: sriov_numvfs 0 with traffic and a request in flight" test_removed numvfs
vcase "remove: VF driver unbind with traffic and a request in flight" test_removed vf
vcase "remove: PF unbind with traffic and a request in flight" test_removed pf
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
if [ -z "${VLAN_CASES:-}" ] || [[ "unload" =~ $VLAN_CASES ]]; then
	run_test "unload: the modules unload with traffic and a request in flight" test_unload
else
	ktap_result "unload: the modules unload with traffic and a request in flight" "$KSFT_SKIP"
fi
ktap_finish
