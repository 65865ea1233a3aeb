#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the benchmarks share: times, medians, and the result lines that scripts/bench
# gathers into its table. Benchmarks print numbers; none asserts a time.

# ms_since T0: milliseconds from EPOCHREALTIME T0 to now
ms_since()
{
	local now=$EPOCHREALTIME

	echo $(( (${now/./} - ${1/./}) / 1000 ))
}

# median N...: the median of the numbers (the lower middle one of an even count)
median()
{
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# bench_result WHAT VALUE UNIT [BASELINE NAME VALUE]: one line of scripts/bench's table,
# "bench|WHAT|VALUE|UNIT|BASELINE NAME|BASELINE VALUE|RATIO", the ratio VALUE over the
# baseline's, measured in the same run
bench_result()
{
	local ratio=""

	[ -z "${5:-}" ] || ratio=$(awk -v a="$2" -v b="$5" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
	echo "bench|$1|$2|$3|${4:-}|${5:-}|$ratio"
}
