#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every simnic selftest (TEST_PROGS of the Makefile, or those named) in this
# kernel, one KTAP document per test, and print a summary line per test:
#
#   # selftest: NAME exit RC seconds S forks F
#
# RC is the test's exit status; S its wall seconds; F the processes the kernel created
# meanwhile (the "processes" line of /proc/stat), which under TCG is most of what a
# test costs. Only exit 0 passes: a test that skipped itself (4, KSFT_SKIP) did not
# test what it names, and here that is a failure.
#
# Where kmemleak is on, it scans after each test; what it reports is printed here and
# in the kernel log, each line prefixed "kmemleak after NAME:", and fails the test.
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$dir/lib.sh"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || read -r -a tests <<<"$(sed -n 's/^TEST_PROGS := //p' "$dir/Makefile")"
read -r -a limit <<<"$(sed -n 's/^timeout=//p' "$dir/settings")"
kml=/sys/kernel/debug/kmemleak

# forks_now: the processes created since boot, in FORKS (builtins only)
forks_now()
{
	local k v

	slurp /proc/stat
	while read -r k v; do
		[ "$k" != processes ] || { FORKS=$v; return 0; }
	done <<<"$SLURP"
	FORKS=0
}

# leak_scan NAME: a kmemleak scan; true when it found nothing. kmemleak reports only
# objects older than 5 s (MSECS_MIN_AGE in mm/kmemleak.c), so what the test allocated
# last is given that long first, and the report is cleared for the next test.
leak_scan()
{
	local line found=1

	nap 6
	echo scan >"$kml"
	slurp "$kml"
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		found=0
		echo "# kmemleak after $1: $line"
		echo "kmemleak after $1: $line" >/dev/kmsg
	done <<<"$SLURP"
	echo clear >"$kml"
	[ "$found" = 1 ]
}

rc=0
for t in "${tests[@]}"; do
	echo "# selftest: $t"
	forks_now
	f0=$FORKS
	t0=$SECONDS
	timeout "${limit[0]}" "$dir/$t"
	r=$?
	forks_now
	if [ -w "$kml" ] && ! leak_scan "$t"; then
		echo "# selftest: $t leaked memory (kmemleak)"
		[ "$r" != 0 ] || r=$KSFT_FAIL
	fi
	echo "# selftest: $t exit $r seconds $((SECONDS - t0)) forks $((FORKS - f0))"
	[ $r = 0 ] || rc=1
done
exit $rc
