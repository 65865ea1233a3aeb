#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a test (it asserts nothing about time): what the calls the selftests
# make cost in this guest, per call: a process (fork and exec of /bin/true, from the 9p
# root and from tmpfs), a subshell ($(...) of a builtin), an `ip` call, `ip -n` into a
# namespace, `ip -V` (ip's loading alone), a command through lib.sh's ip server (ipq)
# and its shell in a namespace (nsq), `ip netns exec`, ethtool, devlink, python3, a
# ping, a builtin read of a /proc file, and 20000 turns of a bash loop as the baseline
# of pure user space. Under
# TCG a process costs milliseconds on the distro kernel and several times that on the
# debug kernel; the ratios between kernels, or between boot parameters, are the point:
#
#   scripts/vmrun --kernel debug -- tools/testing/selftests/drivers/net/simnic/bench_costs.sh
#   scripts/vmrun --kernel debug --append kmemleak=off -- .../bench_costs.sh

# ms T0 T1 N: milliseconds per call of N calls from EPOCHREALTIME T0 to T1, 0.1 ms
ms()
{
	local us=$(( ${2/./} - ${1/./} ))

	printf '%d.%d' $((us / $3 / 1000)) $((us / $3 / 100 % 10))
}

# bench NAME N COMMAND...: run COMMAND N times, print ms per call
bench()
{
	local name=$1 n=$2 t0 k
	shift 2

	t0=$EPOCHREALTIME
	for ((k = 0; k < n; k++)); do
		"$@" >/dev/null 2>&1
	done
	printf '%-28s %8s ms\n' "$name" "$(ms "$t0" "$EPOCHREALTIME" "$n")"
}

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

subshell() { _=$(:); }
read_proc() { read -r _ </proc/loadavg; }
loop() { local k; for ((k = 0; k < 20000; k++)); do :; done; }

ns=bench-costs-$$
ip netns add "$ns" || exit 1
trap 'ns_del "$ns"' EXIT
cp /bin/true /dev/shm/bench-true
echo "kernel $(uname -r); boot parameters: $(tr ' ' '\n' </proc/cmdline |
	grep -vE '^(simnic\.|console=|rdinit=|panic=|printk\.|hung_task|softlockup)' | tr '\n' ' ')"
bench "exec /bin/true (9p)" 200 /bin/true
bench "exec true (tmpfs)" 200 /dev/shm/bench-true
bench "subshell \$(:)" 200 subshell
bench "ip link show lo" 50 ip link show lo
bench "ip -n NS link show lo" 50 ip -n "$ns" link show lo
bench "ip -V" 50 ip -V
ipq "$ns" link show dev lo
bench "ipq NS link show dev lo" 50 ipq "$ns" link show dev lo
bench "ipq NS link set dev lo up" 50 ipq "$ns" link set dev lo up
nsq "$ns" /bin/true
bench "nsq NS /bin/true" 50 nsq "$ns" /bin/true
bench "ip netns exec NS true" 20 ip netns exec "$ns" true
bench "ethtool -i lo" 20 ethtool -i lo
bench "devlink dev" 20 devlink dev
bench "python3 -SI -c pass" 10 python3 -SI -c pass
bench "ping -c1 127.0.0.1" 10 ping -c 1 -W 1 127.0.0.1
bench "read -r x </proc/loadavg" 1000 read_proc
bench "bash loop, 20000 turns" 1 loop
