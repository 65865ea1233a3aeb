#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Injected failures, each in turn, through the kernel's fail_function (debugfs
# fail_function, CONFIG_FAIL_FUNCTION: the debug kernel) and the steps simnic marks with
# ALLOW_ERROR_INJECTION: enabling SR-IOV in the device (simnic_pf_sriov_hw_enable), each
# representor of a change to switchdev mode (simnic_pf_repr_add, the first and the
# second), and the VF's netdev registration (simnic_vf_netdev_register, which the
# watchdog retries). The operation must fail with the injected error and leave nothing
# half set up (no VF, PF debugfs directory, representor or devlink port too many), or,
# for a step that is retried, end with one netdev; the same operation then succeeds,
# and the VFs pass traffic. kmemleak scans after the suite (run_all.sh).
# FAULT_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=fault-$$
VLAN_CASES=${FAULT_CASES:-}
NCASES=6
FF=$VLAN_DBG/fail_function
SWID=""

# inject FN K ERRNO [TIMES]: the K-th call of FN from now, and the TIMES - 1 (default
# 0) after it, return ERRNO instead of running
inject()
{
	echo >"$FF/inject"
	echo "$1" >"$FF/inject" ||
		fail "cannot inject into $1: not in $VLAN_DBG/error_injection/list" || return 1
	# retval takes a u64 (simple_attr_write()): the errno in two's complement
	printf '%#x\n' "$3" >"$FF/$1/retval" && echo 100 >"$FF/probability" &&
		echo 1 >"$FF/interval" && echo "${4:-1}" >"$FF/times" &&
		echo "$2" >"$FF/space" && echo 0 >"$FF/verbose" ||
		fail "cannot set up the injection into $1"
}

# injected: every failure injected has happened; uninject: no more
injected()
{
	slurp "$FF/times"
	[ "$SLURP" = $'0\n' ]
}

uninject()
{
	echo 0 >"$FF/times"
	echo >"$FF/inject"
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

	inject simnic_pf_sriov_hw_enable 1 -12 || { uninject; return 1; }
	if out=$( { echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs"; } 2>&1); then
		uninject
		fail "sriov_numvfs 2 succeeded with pci_enable_sriov() failing"
		return 1
	fi
	injected || fail "nothing was injected" || return 1
	uninject
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

# repr_fails K: representor K of 2 fails: the change to switchdev mode is refused with
# its error, the eswitch stays in legacy mode, no representor or VF port is left, and
# the VFs still pass traffic
repr_fails()
{
	local out

	inject simnic_pf_repr_add "$1" -12 || { uninject; return 1; }
	if out=$(devlink dev eswitch set "pci/$PF" mode switchdev 2>&1); then
		uninject
		fail "switchdev mode with representor $1 failing"
		return 1
	fi
	injected || fail "representor $1 was not made to fail: ${out}" || return 1
	uninject
	echo "representor $1 failing: $out"
	[[ $out == *"cannot create the VF representors"* ]] || fail "no reason given" ||
		return 1
	mode_is legacy || fail "the eswitch is not in legacy mode" || return 1
	nreprs
	[ "$N" = 0 ] || fail "$N representors left" || return 1
	vf_ports
	[ "$N" = 0 ] || fail "$N VF ports left" || return 1
	pair_back
}

# Each representor fails in turn; then switchdev mode comes with both, and goes
test_reprs()
{
	SWID=$(cat "/sys/class/net/$PFDEV/phys_switch_id") || return 1
	repr_fails 1 && repr_fails 2 || return 1
	set_mode switchdev || return 1
	nreprs
	[ "$N" = 2 ] || fail "$N representors, not 2" || return 1
	vf_ports
	[ "$N" = 2 ] || fail "$N VF ports, not 2" || return 1
	set_mode legacy && pair_back
}

# VF 0's netdev cannot be registered three times in a row: the watchdog retries, and
# VF 0 ends with one netdev, which passes traffic
test_vf_register()
{
	local m=$TAG-register n log f

	echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/unbind || fail "cannot unbind VF 0" ||
		return 1
	kmsg_mark "$m"
	inject simnic_vf_netdev_register 1 -12 3 || { uninject; return 1; }
	echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/bind || { uninject; fail "VF 0's probe failed"; return 1; }
	wait_for 30 injected || { uninject; fail "the registration was not tried 3 times"; return 1; }
	uninject
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

# simnic's steps are among the functions fail_function can fail
test_injectable()
{
	local f re

	slurp "$VLAN_DBG/error_injection/list"
	for f in simnic_pf_sriov_hw_enable simnic_pf_repr_add simnic_vf_netdev_register; do
		# "NAME [MODULE]<tab>TYPE" (lib/error-inject.c)
		re="(^|"$'\n'")$f \\[simnic_[pv]f\\]"$'\t'"ERRNO"
		[[ $SLURP =~ $re ]] ||
			fail "$f is not injectable" || return 1
	done
	echo "the three steps are injectable"
}

# a kernel without CONFIG_FAIL_FUNCTION (Debian's) has nothing to inject with: one
# result, a skip, for the runners that count them (make check runs this suite on the
# debug kernel only)
require_root_and_tools
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -d "$FF" ]; then
	ktap_plan 1
	ktap_note "SKIP: no $FF: this kernel has no CONFIG_FAIL_FUNCTION"
	ktap_result "fault_sweep: injected failures" "$KSFT_SKIP"
	ktap_finish
fi

suite_begin "$NCASES"
vcase "injectable: simnic's steps are in the kernel's error injection list" test_injectable
vcase "sriov: pci_enable_sriov() fails; nothing is left, the retry enables" test_sriov
vcase "eswitch: each representor fails in turn; legacy mode, no representor left" test_reprs
vcase "vf: the netdev registration fails 3 times; the watchdog makes one" test_vf_register
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
