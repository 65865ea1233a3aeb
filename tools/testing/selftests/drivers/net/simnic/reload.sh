#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devlink dev reload of the PF (action driver_reinit) and the eswitch mode at init.
# First the module parameter eswitch_mode: a bad value fails the load with a log line,
# switchdev brings the PF up in switchdev mode (representors for the VFs enabled
# later). Then, with two VFs in their namespaces (vf_pair.sh), VLANs on both, a MAC
# the host set on VF 0 and traffic: reloads after which both VFs recover with their
# VLANs (user == VF list == PF table == switch) and MACs and pass traffic, counted in
# devlink's reload stats; refused reloads (another action, a limit, a namespace, the
# card being serviced) that change nothing; work waiting in the PF's work queue
# dropped as stale by the reload; a reload in switchdev mode that makes the
# representors again; the driverinit param
# eswitch_switchdev_at_init applied by a reload, both ways.
# RELOAD_LOOPS (default 3) reloads in the loop; RELOAD_CASES=REGEX runs a subset (the
# others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

LOOPS=${RELOAD_LOOPS:-3}
TAG=reload-$$
VLAN_CASES=${RELOAD_CASES:-}
NCASES=10
PY="/usr/bin/python3 -SI"
BR=snrl$$
NSX=simnic-rlx-$$
PARAM=eswitch_switchdev_at_init
VF0_MAC=02:00:00:5a:00:01
SWID=""

# vf_pair.sh's cleanup, and what the cases here may leave behind
reload_cleanup()
{
	ip link del "$BR" 2>/dev/null
	ns_del "$NSX" 2>/dev/null
	if [ -n "$PF" ] && [ -e "$VLAN_DBG/simnic_pf/$PF/wq_delay_ms" ]; then
		echo 0 >"$VLAN_DBG/simnic_pf/$PF/wq_delay_ms"
		devlink dev eswitch set "pci/$PF" mode legacy 2>/dev/null
	fi
	cleanup
}
trap reload_cleanup EXIT

# --- devlink ------------------------------------------------------------------------------

# do_reload: devlink dev reload of the PF, which must say it re-initialised the driver
do_reload()
{
	local out

	out=$(devlink dev reload "pci/$PF" action driver_reinit 2>&1) ||
		fail "devlink dev reload failed: $out" || return 1
	[[ $out == *driver_reinit* ]] ||
		fail "the reload did not report driver_reinit performed: $out" || return 1
	# the reload made the PF netdev again, with the lowest free ethN name
	pf_ids || fail "no PF netdev after the reload"
}

# uplink_is NETDEV: devlink's port 0 of the PF is the physical uplink, on NETDEV
uplink_is()
{
	local p

	p=$(devlink port show "pci/$PF/0") || fail "no uplink port" || return 1
	echo "$p"
	[[ $p == "pci/$PF/0: type eth netdev $1 flavour physical port 0 "* ]] ||
		fail "the uplink port is not on $1"
}

# reload_count: driver_reinit reloads of the PF, from devlink's stats (devlink -s dev
# show), whatever the JSON's nesting
reload_count()
{
	devlink -s -j dev show "pci/$PF" | $PY -c '
import json, sys

def find(o, k):
    if isinstance(o, dict):
        if k in o:
            return o[k]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v, k)
            if r is not None:
                return r
    return None

r = find(find(find(json.load(sys.stdin), "reload"), "driver_reinit"), "unspecified")
if not isinstance(r, int):
    sys.exit(1)
print(r)
'
}

# param_is true|false: the driverinit value of eswitch_switchdev_at_init
param_is()
{
	[[ $(devlink dev param show "pci/$PF" name "$PARAM") =~ cmode\ driverinit\ value\ ([a-z]+) ]] &&
		[ "${BASH_REMATCH[1]}" = "$1" ]
}

param_set()
{
	devlink dev param set "pci/$PF" name "$PARAM" value "$1" cmode driverinit ||
		fail "cannot set $PARAM to $1"
}

# repr_ifindexes: "NAME:IFINDEX ..." of the representors, to tell the same netdevs
repr_ifindexes()
{
	local n pn out=""

	while read -r n pn; do
		out+="$n:$(cat "/sys/class/net/$n/ifindex") "
	done < <(reprs)
	echo "$out"
}

pf_ids()
{
	PF=$(simnic_pf_pci) && PFDEV=$(pci_netdev "$PF") &&
		SWID=$(cat "/sys/class/net/$PFDEV/phys_switch_id")
}

wq_stat()
{
	_stat_of "$VLAN_DBG/simnic_pf/$PF/wq" "$1"
}

# --- the module parameter ---------------------------------------------------------------

# eswitch_mode takes legacy or switchdev only: anything else fails the load, with a
# log line, and leaves nothing loaded; legacy is taken
test_param_bad()
{
	local v

	simnic_unload && modprobe simnic_hw || fail "cannot load simnic_hw" || return 1
	for v in bogus "" SWITCHDEV 1; do
		kmsg_mark "$TAG-param-$v"
		if modprobe simnic_pf "eswitch_mode=$v" 2>/dev/null; then
			rmmod simnic_pf
			fail "simnic_pf loaded with eswitch_mode='$v'"
			return 1
		fi
		[ ! -d /sys/module/simnic_pf ] || fail "simnic_pf stayed loaded" || return 1
		kmsg_since "$TAG-param-$v" | grep -F "eswitch_mode must be legacy or switchdev" ||
			fail "no log line for eswitch_mode='$v'" || return 1
	done
	modprobe simnic_pf eswitch_mode=legacy || fail "eswitch_mode=legacy refused" || return 1
	[ "$(cat /sys/module/simnic_pf/parameters/eswitch_mode)" = legacy ] ||
		fail "eswitch_mode reads $(cat /sys/module/simnic_pf/parameters/eswitch_mode)" ||
		return 1
	wait_for 10 pf_ids || fail "no PF" || return 1
	mode_is legacy && param_is false || fail "not legacy, or $PARAM not false" || return 1
	simnic_unload || fail "the modules do not unload"
}

# eswitch_mode=switchdev: the PF comes up in switchdev mode with the driverinit param
# true, and VFs enabled get their representors
test_param_switchdev()
{
	simnic_unload && modprobe simnic_hw && modprobe simnic_pf eswitch_mode=switchdev &&
		modprobe simnic_vf || fail "cannot load with eswitch_mode=switchdev" || return 1
	[ "$(cat /sys/module/simnic_pf/parameters/eswitch_mode)" = switchdev ] ||
		fail "eswitch_mode does not read switchdev" || return 1
	wait_for 10 pf_ids || fail "no PF" || return 1
	devlink dev eswitch show "pci/$PF"
	mode_is switchdev || fail "the PF did not come up in switchdev mode" || return 1
	param_is true || fail "$PARAM is not true" || return 1
	nreprs_is 0 || fail "representors without VFs: $(reprs)" || return 1
	echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot enable 2 VFs" ||
		return 1
	wait_for 20 nreprs_is 2 || fail "not 2 representors: $(reprs)" || return 1
	reprs
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
	nreprs_is 0 || fail "representors left: $(reprs)" || return 1
	simnic_unload || fail "the modules do not unload"
	PF=""
}

# --- reloads with two VFs -------------------------------------------------------------

# the host's MAC on VF 0, taken through a reset
vf0_admin_mac()
{
	local r

	r=$(vf_stat "${VFP[0]}" recoveries) || return 1
	ip link set dev "$PFDEV" vf 0 mac "$VF0_MAC" || fail "cannot set VF 0's MAC" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" recoveries "$r" ||
		fail "VF 0 did not recover from its MAC change" || return 1
	vf_up 0 && vf_ensure 0 || return 1
	[ "${MAC[0]}" = "$VF0_MAC" ] || fail "VF 0 has MAC ${MAC[0]}, not $VF0_MAC"
}

# LOOPS reloads with VLANs, the host's MAC on VF 0 and traffic: each time both VFs are
# reset once (announced) and recover; then their VLANs, MACs and traffic are back,
# the PF netdev is a new one on the uplink port (a driver_reinit makes it again, as
# ice and mlx5 do), down as a new netdev is, and devlink counted LOOPS reloads
test_reload_loop()
{
	local k r0 r1 a0 a1 c0 c1 mac1 pfidx

	# the MAC first: the pings of loop_setup give both sides permanent neighbours
	vf0_admin_mac && loop_setup || return 1
	mac1=${MAC[1]}
	pfidx=$(cat "/sys/class/net/$PFDEV/ifindex")
	r0=$(resets 0) && r1=$(resets 1) || return 1
	a0=$(vf_stat "${VFP[0]}" resets_announced)
	a1=$(vf_stat "${VFP[1]}" resets_announced)
	c0=$(reload_count) || fail "no reload stats in devlink -s dev show" || return 1
	traffic_start || return 1
	for ((k = 1; k <= LOOPS; k++)); do
		do_reload && vfs_back || break
	done
	traffic_stop || return 1
	[ "$k" -gt "$LOOPS" ] || fail "reload $k of $LOOPS failed" || return 1
	after_loop "$VIDS0" 100 "$r0" "$r1" "$LOOPS" "$LOOPS" || return 1
	vf_stat_above "${VFP[0]}" resets_announced "$a0" &&
		vf_stat_above "${VFP[1]}" resets_announced "$a1" ||
		fail "the reloads' resets were not announced to the VFs" || return 1
	vf_ensure 0 && vf_ensure 1 || return 1
	echo "MACs: VF 0 ${MAC[0]}, VF 1 ${MAC[1]}; $(vf_info 0)"
	[ "${MAC[0]}" = "$VF0_MAC" ] && [ "${MAC[1]}" = "$mac1" ] ||
		fail "the VFs' MACs changed (VF 1 had $mac1)" || return 1
	vf_info 0 | grep -q "link/ether $VF0_MAC" || fail "the PF lost VF 0's MAC" || return 1
	[ "$(cat "/sys/class/net/$PFDEV/ifindex")" != "$pfidx" ] ||
		fail "the PF netdev was not made again" || return 1
	[ "$(cat "/sys/class/net/$PFDEV/operstate")" = down ] ||
		fail "the new PF netdev is $(cat "/sys/class/net/$PFDEV/operstate"), not down" ||
		return 1
	uplink_is "$PFDEV" || return 1
	c1=$(reload_count)
	echo "devlink reload stats, driver_reinit: $c0 -> $c1"
	[ "$c1" = $((c0 + LOOPS)) ] || fail "expected $((c0 + LOOPS)) reloads counted"
}

# nothing_changed R0 R1 C0 REC0: no VF reset, no reload counted, no recovery since
nothing_changed()
{
	[ "$(resets 0)" = "$1" ] && [ "$(resets 1)" = "$2" ] ||
		fail "a VF was reset: $1 $2 -> $(resets 0) $(resets 1)" || return 1
	[ "$(reload_count)" = "$3" ] || fail "a reload was counted" || return 1
	[ "$(vf_stat "${VFP[0]}" recoveries)" = "$4" ] || fail "VF 0 went through a recovery"
}

# refused ARGS...: devlink dev reload pci/PF ARGS fails; its output in REFUSAL
refused()
{
	if REFUSAL=$(devlink dev reload "pci/$PF" "$@" 2>&1); then
		fail "reload $* accepted"
		return 1
	fi
	echo "reload $*: $REFUSAL"
}

# Another action, a limit, a namespace: refused, and nothing changes
test_reload_refused()
{
	local r0 r1 c0 rec0

	loop_setup || return 1
	r0=$(resets 0) && r1=$(resets 1) && c0=$(reload_count) &&
		rec0=$(vf_stat "${VFP[0]}" recoveries) || return 1
	refused action fw_activate || return 1
	refused action driver_reinit limit no_reset || return 1
	refused limit no_reset || return 1
	ip netns add "$NSX" || return 1
	refused netns "$NSX" || return 1
	[[ $REFUSAL == *namespace* ]] || fail "no message about the namespace" || return 1
	ns_del "$NSX"
	nothing_changed "$r0" "$r1" "$c0" "$rec0" || return 1
	devlink dev show "pci/$PF" >/dev/null || fail "the devlink instance went" || return 1
	inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# While the card is serviced: refused with -EBUSY and a message, nothing changes; once
# it is back, a reload works. The card stays away 20 s: the checks before the reload
# take some 3 s, and a guest starved beside another has taken over 8.
test_reload_serviced()
{
	local r0 r1 c0 rec0

	loop_setup || return 1
	kmsg_mark "$TAG-service"
	echo 20000 >"$VLAN_DBG/simnic_hw/$PF/service" || fail "cannot start a servicing" ||
		return 1
	wait_for 5 eval 'kmsg_since "$TAG-service" | grep -q "device servicing"' ||
		fail "the PF did not see the servicing" || return 1
	r0=$(resets 0) && r1=$(resets 1) && c0=$(reload_count) &&
		rec0=$(vf_stat "${VFP[0]}" recoveries) || return 1
	refused action driver_reinit || return 1
	[[ $REFUSAL == *serviced* ]] || fail "no message about the servicing" || return 1
	nothing_changed "$r0" "$r1" "$c0" "$rec0" || return 1
	wait_for 40 eval 'kmsg_since "$TAG-service" | grep -q "device back"' ||
		fail "the card did not come back" || return 1
	vfs_back && do_reload && vfs_back || return 1
	inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# A reset VF 0 asked for (RESET_VF put in its mailbox) waits in the PF's work queue
# (wq_delay_ms) when the reload comes: the reload makes it stale and it is dropped,
# not run against the PF rebuilt
test_reload_pending_work()
{
	local s0 d0 q

	loop_setup || return 1
	# shellcheck disable=SC2034 # s0 and q are used by the evals below
	s0=$(wq_stat stale) && d0=$(wq_stat "done") && q=$(wq_stat queued) || return 1
	echo 5000 >"$VLAN_DBG/simnic_pf/$PF/wq_delay_ms" || return 1
	echo "2 0 1" >"$VLAN_DBG/simnic_hw/$PF/vf0/mbx_inject" || fail "mbx_inject refused" ||
		return 1
	wait_for 5 eval '[ "$(wq_stat queued)" -gt "$q" ]' || fail "no work queued" || return 1
	do_reload || return 1
	echo 0 >"$VLAN_DBG/simnic_pf/$PF/wq_delay_ms"
	wait_for 15 eval '[ "$(wq_stat stale)" -gt "$s0" ]' ||
		fail "the waiting work was not dropped as stale" || return 1
	cat "$VLAN_DBG/simnic_pf/$PF/wq"
	[ "$(wq_stat "done")" = "$d0" ] || fail "work queued before the reload ran after it" ||
		return 1
	vfs_back && inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# unfiltered: in switchdev mode the VFs filter no VLAN (switchdev.sh): their lists and
# the PF's and switch's tables are empty, and their VLAN devices are all still there
unfiltered()
{
	local i

	for i in 0 1; do
		tables "$i" "" || return 1
	done
	[ "$(vlan_user_set "$NS1" "${DEV[0]}")" = "$(vlan_set_of "$VIDS0")" ] &&
		[ "$(vlan_user_set "$NS2" "${DEV[1]}")" = 100 ] ||
		fail "VLAN devices lost in switchdev mode"
}

# switchdev mode with a bridge over the representors: a reload keeps the mode and
# makes the representors again (new netdevs, the same port names and devlink ports,
# out of the bridge, as the devlink core wants no port left across a driver_reinit);
# back in the bridge, VF 0 reaches VF 1 through it on VLAN 100, which the VFs do not
# filter in switchdev mode; back in legacy, their filters are back
test_reload_switchdev()
{
	local before after i

	loop_setup || return 1
	pf_ids && set_mode switchdev && wait_for 10 nreprs_is 2 || fail "no 2 representors" ||
		return 1
	ip link add name "$BR" type bridge || return 1
	while read -r i _; do
		ip link set dev "$i" master "$BR" && ip link set dev "$i" up || return 1
	done < <(reprs)
	ip link set dev "$BR" up || return 1
	ping_both 100 || fail "no traffic over the bridge before the reload" || return 1
	before=$(repr_ifindexes)
	do_reload && vfs_back || return 1
	after=$(repr_ifindexes)
	echo "representors: $before-> $after"
	mode_is switchdev || fail "the reload left switchdev mode" || return 1
	nreprs_is 2 || fail "not 2 representors after the reload" || return 1
	for i in $before; do
		[[ " $after" != *" $i "* ]] || fail "representor ${i%:*} was not made again" ||
			return 1
	done
	[ "$(bridge link show | grep -c "master $BR")" = 0 ] ||
		fail "a port of the bridge outlived its representor" || return 1
	for i in 0 1; do
		devlink port show "pci/$PF/$((i + 1))" | grep -q " flavour pcivf .* vfnum $i " ||
			fail "no pcivf port for VF $i" || return 1
	done
	uplink_is "$PFDEV" || return 1
	while read -r i _; do
		ip link set dev "$i" master "$BR" && ip link set dev "$i" up || return 1
	done < <(reprs)
	unfiltered && ping_both 100 || return 1
	ip link del "$BR"
	set_mode legacy && vfs_back && inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# The driverinit param: true is applied by the next reload (not before), switchdev
# with a representor per VF and no VLAN filters; false and a reload bring legacy
# back, the VLAN filters with it, and the VEB forwards again
test_reload_param()
{
	loop_setup && pf_ids || return 1
	mode_is legacy && param_is false || fail "not legacy with $PARAM false" || return 1
	param_set true || return 1
	param_is true && mode_is legacy && nreprs_is 0 ||
		fail "setting the param changed the mode before a reload" || return 1
	do_reload || return 1
	mode_is switchdev || fail "the reload did not apply $PARAM true" || return 1
	wait_for 10 nreprs_is 2 || fail "not 2 representors: $(reprs)" || return 1
	reprs
	vfs_back && unfiltered || return 1
	param_set false && do_reload || return 1
	mode_is legacy || fail "the reload did not apply $PARAM false" || return 1
	nreprs_is 0 || fail "representors left: $(reprs)" || return 1
	vfs_back && inv 0 "$VIDS0" && inv 1 100 && ping_both 100
}

# After each reload case: the eswitch back to legacy, no bridge, no delay
rcase_body()
{
	local rc

	"$@"
	rc=$?
	ip link del "$BR" 2>/dev/null
	echo 0 >"$VLAN_DBG/simnic_pf/$PF/wq_delay_ms"
	mode_is legacy || devlink dev eswitch set "pci/$PF" mode legacy || rc=1
	if vf_info 0 | grep -q "link/ether $VF0_MAC"; then
		ip link set dev "$PFDEV" vf 0 mac 00:00:00:00:00:00 &&
			wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" || rc=1
	fi
	return "$rc"
}

rcase()
{
	local name=$1

	shift
	vcase "$name" rcase_body "$@"
}

require_root_and_tools
command -v devlink >/dev/null || { echo "# SKIP: devlink (iproute2) missing"; exit "$KSFT_SKIP"; }
ktap_plan $NCASES
kmsg_mark "$TAG"
if case_skipped "param: a bad eswitch_mode is refused at load"; then :; else
	run_test "param: a bad eswitch_mode is refused at load" test_param_bad
fi
if case_skipped "param: eswitch_mode=switchdev comes up in switchdev"; then :; else
	run_test "param: eswitch_mode=switchdev comes up in switchdev" test_param_switchdev
fi
simnic_unload 2>/dev/null
if ! setup; then
	for ((k = 2; k < NCASES; k++)); do
		ktap_result "setup" "$KSFT_FAIL"
	done
	ktap_finish
fi
echo "# $LOOPS reloads in the loop"
rcase "reload: VFs with VLANs, MAC and traffic recover, counted" test_reload_loop
rcase "reload: other actions, limits and netns refused, nothing changes" test_reload_refused
rcase "reload: refused while the card is serviced" test_reload_serviced
rcase "reload: work waiting in the queue is dropped as stale" test_reload_pending_work
rcase "reload: switchdev makes the representors again" test_reload_switchdev
rcase "reload: driverinit $PARAM switches the mode" test_reload_param
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload after all of it" pair_unload
ktap_finish
