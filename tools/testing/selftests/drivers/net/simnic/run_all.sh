#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every simnic selftest (TEST_PROGS of the Makefile, or those named) in this
# kernel, one KTAP document per test, and print a summary line per test. A test that
# exits 4 (KSFT_SKIP) was skipped, which is not a failure.
dir=$(cd "$(dirname "$0")" && pwd)
tests=("$@")
[ ${#tests[@]} -gt 0 ] || read -r -a tests <<<"$(sed -n 's/^TEST_PROGS := //p' "$dir/Makefile")"
rc=0
for t in "${tests[@]}"; do
	echo "# selftest: $t"
	timeout "$(sed -n 's/^timeout=//p' "$dir/settings")" "$dir/$t"
	r=$?
	echo "# selftest: $t exit $r"
	[ $r = 0 ] || [ $r = 4 ] || rc=1
done
exit $rc
