#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every simnic selftest (TEST_PROGS of the Makefile, or those named) in this
# kernel, one KTAP document per test, and print a summary line per test:
#
#   # selftest: NAME exit RC seconds S forks F scan K
#
# RC is the test's exit status; S its wall seconds; F the processes the kernel created
# meanwhile (the "processes" line of /proc/stat), which under TCG is most of what a
# test costs; K the seconds of the kmemleak scans after it ("-" where kmemleak is off).
# Only exit 0 passes: a test that skipped itself (4, KSFT_SKIP) did not test what it
# names, and here that is a failure.
#
# A test still running after the settings file's timeout (or SELFTEST_TIMEOUT seconds)
# is killed and fails with exit 124; 15 s before that, what each process of the machine
# is doing is printed, "# stuck in NAME: PID STATE WCHAN COMMAND", with the kernel
# stack of each process in uninterruptible sleep (D), so that a hang can be told from a
# test waiting on itself.
#
# Where kmemleak is on, it scans after each test, in the background while the next
# test runs; a test's summary line comes when the scan after it is done, after the
# next test's output. kmemleak reports an object only on a scan that finds it
# unreferenced and unchanged since the scan before, and only once it is 5 s old
# (MSECS_MIN_AGE in mm/kmemleak.c): so two scans, starting 5 s after the test ended,
# and one more once the next test has ended where they reported anything (leak_confirm:
# a scan beside a test that loads or unloads modules can report an object nothing
# leaked).
# They may report an object the next test allocated in its first seconds: each
# object goes to the test that was running when it was allocated (its jiffies
# against the jiffies at each test's end). Each line of a report is printed here and
# into the kernel log, prefixed "kmemleak after NAME:", and fails test NAME; an
# object allocated before the first test ("kmemleak before the tests:") is in the
# kernel log too, which fails the guest (scripts/vmrun).
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$dir/lib.sh"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || read -r -a tests <<<"$(sed -n 's/^TEST_PROGS := //p' "$dir/Makefile")"
read -r limit <<<"$(sed -n 's/^timeout=//p' "$dir/settings")"
limit=${SELFTEST_TIMEOUT:-$limit}
kml=/sys/kernel/debug/kmemleak

# jiffies_now: the kernel's jiffies, in JIFFIES (from /proc/timer_list: no process);
# "" where it cannot be read, and a report then goes to the test it came after
jiffies_now()
{
	JIFFIES=""
	slurp /proc/timer_list
	[[ $SLURP =~ jiffies:\ ([0-9]+) ]] && JIFFIES=${BASH_REMATCH[1]}
	[ -n "$JIFFIES" ] ||
		echo "# no jiffies in /proc/timer_list: kmemleak reports go to the test before"
}

# leak_scan: 5 s after a test ended, two kmemleak scans; prints "scan SECONDS", then
# the report (leak_confirm clears it)
leak_scan()
{
	local t1

	nap 5
	t1=$SECONDS
	echo scan >"$kml"
	echo scan >"$kml"
	slurp "$kml"
	echo "scan $((SECONDS - t1))"
	printf '%s' "$SLURP"
}

# leak_confirm: the scans ran beside the next test, and a list it changed under
# kmemleak's feet can hide an object from a whole scan. Each module that uses a
# static call puts its own entry in front of the key's list, whose last entry is
# vmlinux's (kernel/static_call_inline.c), and takes it out when it goes: a scan that
# read the key while a module's entry was first, and came to that entry after the
# module had gone, sees nothing point to vmlinux's, and reports it. (Seen once: after
# switchdev.sh, the scan ran while reload.sh unloaded the simnic modules.) Where the
# scans reported anything, scan once more now, with no test running, and keep what is
# still unreferenced, which a real leak stays; kmemleak shows only those. Then clear
# for the next scans.
leak_confirm()
{
	local -a lines

	mapfile -t lines <"$SCAN_OUT"
	if [ "${#lines[@]}" -gt 1 ]; then
		echo scan >"$kml"
		slurp "$kml"
		{ echo "${lines[0]}"; printf '%s' "$SLURP"; } >"$SCAN_OUT"
	fi
	echo clear >"$kml"
}

# leak_owner JIFFIES NAME: the test that was running at JIFFIES, in OWNER: NAME,
# whose scan is being read, or the one after it (CUR); "" before the first test.
# NAME where a jiffies is missing.
leak_owner()
{
	local end=${END_JIFFIES[$2]:-}

	OWNER=$2
	[ -n "$1" ] || return 0
	if [ -n "$START_JIFFIES" ] && [ "$1" -lt "$START_JIFFIES" ]; then
		OWNER=""
	elif [ -n "$end" ] && [ "$1" -gt "$end" ]; then
		OWNER=$CUR
	fi
}

# leak_report NAME: print the report of the scan after test NAME, each object's lines
# as "kmemleak after OWNER: ..." (and into the kernel log), marking OWNER in LEAKED;
# SCAN_SECS the scan's seconds
leak_report()
{
	local -a lines block=()
	local l l2 who j=""

	mapfile -t lines <"$SCAN_OUT"
	SCAN_SECS=${lines[0]#scan }
	# a block: "unreferenced object ...", then indented lines, one with "jiffies N"
	for l in "${lines[@]:1}" "unreferenced object (end)"; do
		if [[ $l == "unreferenced object "* ]] && [ ${#block[@]} -gt 0 ]; then
			leak_owner "$j" "$1"
			who="before the tests"
			if [ -n "$OWNER" ]; then
				LEAKED[$OWNER]=1
				who="after $OWNER"
			fi
			for l2 in "${block[@]}"; do
				echo "# kmemleak $who: $l2"
				echo "kmemleak $who: $l2" >/dev/kmsg
			done
			block=()
			j=""
		fi
		[ -n "$l" ] || continue
		[[ $l =~ jiffies\ ([0-9]+) ]] && j=${BASH_REMATCH[1]}
		block+=("$l")
	done
}

# summary NAME RC SECONDS FORKS: the test's summary line; where kmemleak is on, once
# the scans after it (scan_start) are done
declare -A LEAKED=() END_JIFFIES=()
PENDING=()
CUR=""
summary()
{
	local name=$1 r=$2 secs=$3 forks=$4

	SCAN_SECS=-
	if [ -n "$SCAN_PID" ]; then
		wait "$SCAN_PID"
		SCAN_PID=""
		leak_confirm
		leak_report "$name"
	fi
	if [ -n "${LEAKED[$name]:-}" ]; then
		echo "# selftest: $name leaked memory (kmemleak)"
		[ "$r" != 0 ] || r=$KSFT_FAIL
	fi
	echo "# selftest: $name exit $r seconds $secs forks $forks scan $SCAN_SECS"
	[ "$r" = 0 ] || rc=1
}

# scan_start: the scans after the test that just ended, in the background, into
# SCAN_OUT
SCAN_PID=""
SCAN_OUT=$(mktemp)
scan_start()
{
	leak_scan >"$SCAN_OUT" 2>&1 &
	SCAN_PID=$!
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
START_JIFFIES=""
if [ -w "$kml" ]; then
	jiffies_now
	START_JIFFIES=$JIFFIES
fi
for t in "${tests[@]}"; do
	echo "# selftest: $t"
	CUR=$t
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
	if [ ! -w "$kml" ]; then
		summary "$t" "$r" $((SECONDS - t0)) $((FORKS - f0))
		continue
	fi
	jiffies_now
	END_JIFFIES[$t]=$JIFFIES
	# the test before this one, its scan done by now or soon
	[ ${#PENDING[@]} = 0 ] || summary "${PENDING[@]}"
	PENDING=("$t" "$r" $((SECONDS - t0)) $((FORKS - f0)))
	scan_start
done
[ ${#PENDING[@]} = 0 ] || summary "${PENDING[@]}"
rm -f "$SCAN_OUT"
exit $rc
