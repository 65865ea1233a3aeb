#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The eswitch in switchdev mode: a devlink port of flavour pcivf and a representor
# netdev per VF (phys_port_name pf0vfN, the uplink's switch ID), no VEB in the switch
# (two VFs cannot reach each other until a Linux bridge over their representors
# switches for them, and the representors count what goes through), back to legacy
# (the representors gone, the VEB forwarding again), representors for VFs enabled in
# switchdev mode (made from the PF's work queue) and gone with them, a mode change
# refused while the card is serviced or with a mode that does not exist, and the PF's
# removal (rmmod) in switchdev mode with VFs bound. Two VFs, each in its own
# namespace, with 192.0.2.1 and 192.0.2.2.
# SWITCHDEV_CASES=REGEX runs a subset (the others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"

DBG=/sys/kernel/debug
CASES=${SWITCHDEV_CASES:-}
NCASES=8
NS=("simnic-sd0-$$" "simnic-sd1-$$")
BR=snbr$$
TAG=switchdev-$$
ESWITCH_MODE="/usr/bin/python3 -SI $dir/eswitch_mode.py"
PF=""
PFDEV=""
SWID=""
REP=("" "")	# their representors

cleanup()
{
	ip link del "$BR" 2>/dev/null
	ns_del "${NS[0]}" 2>/dev/null
	ns_del "${NS[1]}" 2>/dev/null
	[ -n "$PF" ] && devlink dev eswitch set "pci/$PF" mode legacy 2>/dev/null
	[ -n "$PF" ] && [ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs"
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

# up: the modules loaded, the PF bound with its netdev up
up()
{
	pf_up || return 1
	# shellcheck disable=SC2034 # reprs (lib.sh) reads it
	SWID=$(cat "/sys/class/net/$PFDEV/phys_switch_id") || fail "no switch id" || return 1
	ip link set dev "$PFDEV" up
}

numvfs()
{
	cat "/sys/bus/pci/devices/$PF/sriov_numvfs"
}

# set_vfs N: N VFs (0 first if another number is enabled)
set_vfs()
{
	[ "$(numvfs)" = "$1" ] && return 0
	if [ "$(numvfs)" != 0 ]; then
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot disable VFs" ||
			return 1
	fi
	[ "$1" = 0 ] || echo "$1" >"/sys/bus/pci/devices/$PF/sriov_numvfs" ||
		fail "cannot enable $1 VFs"
}

# repr_of N: the representor of VF N
repr_of()
{
	local n pn

	while read -r n pn; do
		[ "$pn" != "pf0vf$1" ] || { echo "$n"; return 0; }
	done < <(reprs)
	return 1
}

# cnt DEV NAME: a counter of DEV (in this namespace)
cnt()
{
	local v

	read -r v <"/sys/class/net/$1/statistics/$2" && echo "$v"
}

# vfs_in_ns: VF 0 and VF 1 bound, each in its namespace, up with 192.0.2.(N+1)/24
vfs_in_ns()
{
	local i pci dev

	for i in 0 1; do
		pci=$(vf_pci "$PF" "$i") || fail "no VF $i" || return 1
		dev=$(vf_dev "${NS[i]}" "$pci" 2>/dev/null)
		if [ -z "$dev" ]; then
			ns_del "${NS[i]}" 2>/dev/null
			ip netns add "${NS[i]}" || return 1
			ip -n "${NS[i]}" link set dev lo up
			wait_for 30 pci_netdev "$pci" >/dev/null ||
				fail "VF $i ($pci) has no netdev" || return 1
			dev=$(pci_netdev "$pci")
			ip link set dev "$dev" netns "${NS[i]}" || return 1
			ip -n "${NS[i]}" addr add "192.0.2.$((i + 1))/24" dev "$dev" || return 1
		fi
		ip -n "${NS[i]}" link set dev "$dev" up || return 1
		wait_for 30 operstate_up "${NS[i]}" "$dev" || fail "VF $i ($dev): no carrier" ||
			return 1
	done
}

# ping01 COUNT: VF 0 pings VF 1 COUNT times, one second each at most
ping01()
{
	ip netns exec "${NS[0]}" ping -q -c "$1" -i 0.2 -W 1 192.0.2.2 >/dev/null 2>&1
}

# switchdev with 2 VFs: one pcivf port per VF with its representor, the uplink's
# switch ID and pf0vfN as port name
test_reprs()
{
	local ports i r

	set_vfs 2 && vfs_in_ns || return 1
	nreprs_is 0 || fail "representors in legacy mode: $(reprs)" || return 1
	set_mode switchdev || return 1
	mode_is switchdev || fail "the eswitch does not say switchdev" || return 1
	reprs
	nreprs_is 2 || fail "not 2 representors" || return 1
	ports=$(devlink port show)
	echo "$ports"
	for i in 0 1; do
		r=$(repr_of "$i") || fail "no representor pf0vf$i" || return 1
		REP[i]=$r
		[[ $ports == *"pci/$PF/$((i + 1)): type eth netdev $r flavour pcivf controller 0 pfnum 0 vfnum $i "* ]] ||
			fail "no pcivf port $((i + 1)) with $r" || return 1
		ethtool -i "$r" | grep -q '^driver: simnic_pf' || fail "$r: not simnic_pf" ||
			return 1
	done
	[ "$(grep -c "^pci/$PF/" <<<"$ports")" = 3 ] || fail "not the uplink and 2 VF ports"
}

# No VEB: VF 0 cannot reach VF 1, and what it sends arrives on its representor
test_no_veb()
{
	local rx0

	set_mode switchdev && vfs_in_ns || return 1
	REP[0]=$(repr_of 0) && REP[1]=$(repr_of 1) || fail "no representors" || return 1
	ip link set dev "${REP[0]}" up && ip link set dev "${REP[1]}" up || return 1
	rx0=$(cnt "${REP[0]}" rx_packets)
	! ping01 3 || fail "VF 0 reached VF 1 without a bridge" || return 1
	echo "${REP[0]}: rx_packets $rx0 -> $(cnt "${REP[0]}" rx_packets)"
	[ "$(cnt "${REP[0]}" rx_packets)" -gt "$rx0" ] ||
		fail "what VF 0 sent did not reach its representor"
}

# A Linux bridge over the two representors switches: the ping passes, and both
# representors count frames in both directions
test_bridge()
{
	local i rx tx

	set_mode switchdev && vfs_in_ns || return 1
	REP[0]=$(repr_of 0) && REP[1]=$(repr_of 1) || fail "no representors" || return 1
	for i in 0 1; do
		rx[i]=$(cnt "${REP[i]}" rx_packets)
		tx[i]=$(cnt "${REP[i]}" tx_packets)
	done
	ip link add name "$BR" type bridge || fail "cannot make a bridge" || return 1
	for i in 0 1; do
		ip link set dev "${REP[i]}" master "$BR" && ip link set dev "${REP[i]}" up ||
			fail "cannot enslave ${REP[i]}" || return 1
	done
	ip link set dev "$BR" up || return 1
	wait_for 20 ping01 1 || fail "VF 0 cannot reach VF 1 over the bridge" || return 1
	ping01 5 || fail "pings lost over the bridge" || return 1
	for i in 0 1; do
		echo "${REP[i]}: rx ${rx[i]} -> $(cnt "${REP[i]}" rx_packets)," \
			"tx ${tx[i]} -> $(cnt "${REP[i]}" tx_packets)"
		[ "$(cnt "${REP[i]}" rx_packets)" -ge $((rx[i] + 5)) ] &&
			[ "$(cnt "${REP[i]}" tx_packets)" -ge $((tx[i] + 5)) ] ||
			fail "${REP[i]} did not count the pings" || return 1
	done
}

# Back to legacy: the representors and their ports go (the bridge loses its ports),
# and the VEB forwards between the VFs again
test_legacy()
{
	local ports

	set_mode legacy || return 1
	nreprs_is 0 || fail "representors left: $(reprs)" || return 1
	ports=$(devlink port show)
	echo "$ports"
	[ "$(grep -c "^pci/$PF/" <<<"$ports")" = 1 ] || fail "ports other than the uplink" ||
		return 1
	ip link del "$BR" 2>/dev/null
	vfs_in_ns || return 1
	wait_for 20 ping01 1 || fail "VF 0 cannot reach VF 1 through the VEB" || return 1
	ping01 3 || fail "pings lost through the VEB"
}

# In switchdev mode, VFs disabled take their representors with them, and VFs enabled
# get theirs (from the work queue, a moment later)
test_vfs_later()
{
	set_vfs 2 && set_mode switchdev && nreprs_is 2 || fail "no representors" || return 1
	set_vfs 0 || return 1
	nreprs_is 0 || fail "representors left without VFs: $(reprs)" || return 1
	set_vfs 2 || return 1
	wait_for 20 nreprs_is 2 || fail "no representors for the new VFs: $(reprs)" ||
		return 1
	reprs
	[ "$(wq_stat eswitch_vfs)" = 2 ] || fail "the eswitch does not know of 2 VFs"
}

# A mode that does not exist (by name to the devlink tool, by number to the kernel),
# and any change while the card is serviced, are refused; nothing changes
test_refused()
{
	local before after out rc

	set_mode switchdev || return 1
	before=$(devlink port show; reprs)
	! devlink dev eswitch set "pci/$PF" mode bogus 2>/dev/null ||
		fail "mode bogus accepted" || return 1
	# the devlink tool refuses that name itself: send the kernel a raw mode 7
	# shellcheck disable=SC2086
	out=$($ESWITCH_MODE "pci/$PF" 7)
	rc=$?
	echo "$out"
	[ "$rc" = 1 ] || fail "mode 7 not refused (exit $rc)" || return 1
	mode_is switchdev || fail "mode 7 changed the mode" || return 1
	kmsg_mark "$TAG-service"
	# away until told to come back: the refusal below must come while the card is
	# still away, however slow the kernel (the debug kernel, a loaded host)
	echo 60000 >"$DBG/simnic_hw/$PF/service" || fail "cannot start a servicing" ||
		return 1
	wait_for 5 eval 'kmsg_since "$TAG-service" | grep -q "device servicing"' ||
		fail "the PF did not see the servicing" || return 1
	if out=$(devlink dev eswitch set "pci/$PF" mode legacy 2>&1); then
		fail "legacy accepted while servicing"
		return 1
	fi
	echo "while servicing: $out"
	[[ $out == *serviced* ]] || fail "no extack message" || return 1
	mode_is switchdev || fail "the mode changed" || return 1
	after=$(devlink port show; reprs)
	[ "$before" = "$after" ] || fail "changed: $after" || return 1
	echo back >"$DBG/simnic_hw/$PF/service" || fail "the card came back by itself" ||
		return 1
	wait_for 30 eval 'kmsg_since "$TAG-service" | grep -q "device back"' ||
		fail "the card did not come back" || return 1
	set_mode legacy && set_mode switchdev && nreprs_is 2 ||
		fail "no mode change after the servicing"
}

# rmmod simnic_pf in switchdev mode with both VFs bound and a bridge over their
# representors: the representors, the VFs and the PF go, without a splat
test_unload()
{
	local t0 s

	set_mode switchdev && wait_for 30 pci_netdev "$(vf_pci "$PF" 1)" >/dev/null ||
		fail "VF 1 not bound" || return 1
	ip link add name "$BR" type bridge 2>/dev/null
	ip link set dev "$(repr_of 0)" master "$BR" && ip link set dev "$(repr_of 1)" master "$BR" ||
		return 1
	kmsg_mark "$TAG-unload"
	t0=$SECONDS
	timeout 60 rmmod simnic_pf || fail "rmmod simnic_pf failed or hung" || return 1
	echo "rmmod took $((SECONDS - t0)) s"
	nreprs_is 0 || fail "representors left" || return 1
	ip link del "$BR" 2>/dev/null
	simnic_unload || fail "the modules do not unload" || return 1
	if s=$(kmsg_splats "$TAG-unload"); then
		echo "$s" | head -n 20
		return 1
	fi
	PF=""
}

devlink_suite_begin "$NCASES"
selected_case "switchdev: a pcivf port and a representor per VF" test_reprs
selected_case "switchdev: no VEB, VF to VF fails without a bridge" test_no_veb
selected_case "switchdev: a bridge over the representors switches" test_bridge
selected_case "legacy: representors gone, the VEB forwards again" test_legacy
selected_case "switchdev: VFs disabled and enabled take and get representors" test_vfs_later
selected_case "eswitch: bad mode and change while serviced refused" test_refused
selected_case "unload: rmmod simnic_pf in switchdev mode with VFs" test_unload
selected_case "unload: nothing left" eval '[ ! -d /sys/module/simnic_pf ]'
ktap_finish
