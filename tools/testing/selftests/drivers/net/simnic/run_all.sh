#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every simnic selftest (TEST_PROGS of the Makefile, or those named) in this
# kernel, one KTAP document per test, and print a summary line per test:
#
#   # selftest: NAME exit RC seconds S forks F scan K
#
# RC is the test's exit status; S its wall seconds; F the processes the kernel created
# meanwhile (the "processes" line of /proc/stat), which under TCG is most of what a
# test costs; K the seconds of the kmemleak scan after it (included in S; "-" where
# kmemleak is off). Only exit 0 passes: a test that skipped itself (4, KSFT_SKIP) did not
# test what it names, and here that is a failure.
#
# A test still running after the settings file's timeout (or SELFTEST_TIMEOUT seconds)
# is killed and fails with exit 124; 15 s before that, what each process of the machine
# is doing is printed, "# stuck in NAME: PID STATE WCHAN COMMAND", with the kernel
# stack of each process in uninterruptible sleep (D), so that a hang can be told from a
# test waiting on itself.
#
# Where kmemleak is on, it scans after each test; what it reports is printed here and
# in the kernel log, each line prefixed "kmemleak after NAME:", and fails the test.
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$dir/lib.sh"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || read -r -a tests <<<"$(sed -n 's/^TEST_PROGS := //p' "$dir/Makefile")"
read -r limit <<<"$(sed -n 's/^timeout=//p' "$dir/settings")"
limit=${SELFTEST_TIMEOUT:-$limit}
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

# stuck_dump NAME: every user process: pid, state, where it sleeps, its command line;
# the kernel stack of those in D state
stuck_dump()
{
	local p argv st wchan l

	for p in /proc/[0-9]*; do
		argv=()
		mapfile -d '' -t argv 2>/dev/null <"$p/cmdline"
		# (kernel threads have none)
		[ "${#argv[@]}" -gt 0 ] || continue
		slurp "$p/stat"
		st=${SLURP##*) }
		st=${st%% *}
		slurp "$p/wchan"
		wchan=${SLURP:--}
		echo "# stuck in $1: ${p#/proc/} $st $wchan ${argv[*]}"
		[ "$st" = D ] || continue
		slurp "$p/stack"
		while IFS= read -r l; do
			[ -z "$l" ] || echo "# stuck in $1:     $l"
		done <<<"$SLURP"
	done
}

rc=0
for t in "${tests[@]}"; do
	echo "# selftest: $t"
	forks_now
	f0=$FORKS
	t0=$SECONDS
	( nap $((limit > 30 ? limit - 15 : limit)); stuck_dump "$t" ) &
	watch=$!
	timeout "$limit" "$dir/$t"
	r=$?
	kill "$watch" 2>/dev/null
	wait "$watch"
	forks_now
	scan=-
	if [ -w "$kml" ]; then
		t1=$SECONDS
		if ! leak_scan "$t"; then
			echo "# selftest: $t leaked memory (kmemleak)"
			[ "$r" != 0 ] || r=$KSFT_FAIL
		fi
		scan=$((SECONDS - t1))
	fi
	echo "# selftest: $t exit $r seconds $((SECONDS - t0)) forks $((FORKS - f0)) scan $scan"
	[ $r = 0 ] || rc=1
done
exit $rc
