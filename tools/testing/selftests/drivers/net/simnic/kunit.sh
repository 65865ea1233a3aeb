#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites of simnic_pf and simnic_vf. They are only in the modules of
# build/kunit (make modules-kunit: the debug kernel, -DSIMNIC_KUNIT), not in those the
# other tests load, as they would run at every load. This test puts the build/kunit
# modules (or those in KUNIT_MODS=DIR, the directory holding hw/, pf/ and vf/) in place
# of the ordinary ones (insmod from the repository, which the VM shares at the same
# path), and the suites run as they load. One result per suite, read from
# debugfs (/sys/kernel/debug/kunit/SUITE/results): ok only if KUnit says the suite
# passed. Then it unloads them, so that the next test loads the ordinary modules.
# Every suite expected is listed here, so one that stops being built or run fails, and
# so does every suite if build/kunit is missing. A kernel without KUnit (the distro
# kernel) skips the whole test, and so does an installed copy of it (run_kselftest.sh)
# when KUNIT_MODS does not say where KUnit builds of the modules are.

dir=$(dirname "$0")
source "$dir/lib.sh"

KUNIT_DIR=/sys/kernel/debug/kunit
# the repository's top, if this runs from one: this is tools/testing/selftests/drivers/net/simnic
top=$(cd "$dir/../../../../../.." && pwd)
in_repo=0
[ ! -d "$top/drivers/net/ethernet/simnic" ] || in_repo=1
: "${KUNIT_MODS:=$top/build/kunit/drivers/net/ethernet/simnic}"
SUITES=(
	simnic_hw_rss		# the switch's Toeplitz hash: Microsoft's RSS vectors
	simnic_pf_allowlist	# which opcodes a VF may send, by state and capability
	simnic_pf_vc_queues	# CONFIG_VSI_QUEUES, CONFIG_IRQ_MAP, queue select checks
	simnic_pf_mbx		# mailbox flood detection and penalty
	simnic_pf_vlan		# VLAN V1/V2 filter list checks, per-VF limit
	simnic_vf_vlan		# the VF's VLAN filter state machine and messages
)

cleanup()
{
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

# kunit_mods_fit: the three build/kunit modules are there and built for this kernel;
# says what to do otherwise
kunit_mods_fit()
{
	local m vermagic kver

	for m in hw/simnic_hw pf/simnic_pf vf/simnic_vf; do
		[ -e "$KUNIT_MODS/$m.ko" ] || {
			echo "build/kunit missing: make modules-kunit ($KUNIT_MODS/$m.ko)"
			return 1
		}
	done
	read -r vermagic _ < <(modinfo -F vermagic "$KUNIT_MODS/pf/simnic_pf.ko")
	read -r kver </proc/sys/kernel/osrelease
	[ "$vermagic" = "$kver" ] || {
		echo "build/kunit is for kernel ${vermagic:-?}, this is $kver: make modules-kunit"
		return 1
	}
}

# kunit_load: the build/kunit modules in place of the ordinary ones, in simnic_load's
# order and with its parameters; the suites run as simnic_pf and simnic_vf load
kunit_load()
{
	# shellcheck disable=SC2086
	simnic_unload &&
		insmod "$KUNIT_MODS/hw/simnic_hw.ko" &&
		insmod "$KUNIT_MODS/pf/simnic_pf.ko" &&
		insmod "$KUNIT_MODS/vf/simnic_vf.ko" ${SIMNIC_VF_OPTS:-}
}

# suite_ok NAME: the suite ran and passed; print its failing cases otherwise. Builtins
# only: under TCG with KASAN every exec costs.
suite_ok()
{
	local r="$KUNIT_DIR/$1/results" line verdict="" cases=0 passed=0 diag=()
	local re_case='^ +(not )?ok [0-9]+ ' re_suite="^(not )?ok [0-9]+ (- )?$1( |$)"

	[ -r "$r" ] || fail "no results in $r: suite $1 not built or not run" || return 1
	slurp "$r"
	while IFS= read -r line; do
		if [[ $line =~ $re_case ]]; then
			cases=$((cases + 1))
			if [[ $line =~ ^\ +ok ]]; then
				passed=$((passed + 1))
			else
				diag+=("${line#"${line%%[! ]*}"}")
			fi
		elif [[ $line =~ $re_suite ]]; then
			verdict=$line
		elif [[ $line =~ ^\ +#\ .*(FAILED|Expected|==|!=|\ is\ ) ]]; then
			diag+=("  ${line#"${line%%[! ]*}"}")
		fi
	done <<<"$SLURP"
	echo "$1: $passed of the $cases case results in its log passed"
	case "$verdict" in
	"ok "*"# SKIP"*)
		fail "suite $1 skipped: $verdict"
		;;
	"ok "*)
		[ "$cases" -gt 0 ] || fail "suite $1 has no cases" || return 1
		return 0
		;;
	"")
		fail "suite $1 has no verdict (did it finish?)"
		;;
	*)
		fail "$verdict"
		;;
	esac
	# KUnit keeps a short log per case in debugfs; the kernel log has all of it
	[ ${#diag[@]} = 0 ] || printf '%s\n' "${diag[@]}"
	echo "the kernel log has KUnit's full report of suite $1"
	return 1
}

require_root_and_tools
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# skip_all WHY: one result, a skip, for the runners that count them; exit 4 (ktap_finish)
skip_all()
{
	ktap_plan 1
	ktap_note "SKIP: $1"
	ktap_result "kunit: simnic KUnit suites ($1)" "$KSFT_SKIP"
	ktap_finish
}

[ -d "$KUNIT_DIR" ] ||
	skip_all "$KUNIT_DIR missing: this kernel has no KUnit (CONFIG_KUNIT_DEBUGFS)"
# outside the repository, only where the user says the KUnit builds are
[ "$in_repo" = 1 ] || [ -d "$KUNIT_MODS" ] ||
	skip_all "no KUnit builds of the modules: build them in simnic's repository (make modules-kunit) and set KUNIT_MODS=DIR"

ktap_plan ${#SUITES[@]}
t0=$SECONDS
# the suites run as the modules load: the build/kunit ones, loaded afresh
why=""
if ! msg=$(kunit_mods_fit); then
	why=$msg
elif ! kunit_load; then
	why="the build/kunit modules did not load"
fi
if [ -n "$why" ]; then
	ktap_note "$why"
	for s in "${SUITES[@]}"; do
		ktap_result "kunit: $s ($why)" "$KSFT_FAIL"
	done
	ktap_finish
fi
for s in "${SUITES[@]}"; do
	run_test "kunit: $s" suite_ok "$s"
done
# the next test loads the ordinary modules (modprobe): these must go
if ! simnic_unload; then
	ktap_note "the build/kunit modules did not unload"
	ktap_fail=$((ktap_fail + 1))
fi
ktap_note "the build/kunit modules loaded, their suites read and unloaded in $((SECONDS - t0)) s"
ktap_finish
