#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a test (it asserts nothing about time): where sriov_numvfs N -> 0
# spends its time. With BENCH_VFS VFs (64 by default) negotiated and idle, the disable
# runs under the function_graph tracer, limited (set_ftrace_filter) to the functions
# of the teardown that wait: the drivers' remove and free paths, the PCI core's, the
# netdev core's unregistering, devlink's, and the RCU waits. Prints the disable's
# time, then each function's summed duration and call count, longest first (a
# function's time includes the traced functions it called):
#
#   scripts/vmrun -- tools/testing/selftests/drivers/net/simnic/bench_teardown.sh

MAXVFS=${BENCH_VFS:-64}
FUNCS="simnic_pf_sriov_configure simnic_pf_sriov_disable pci_iov_remove_virtfn
device_release_driver simnic_vf_remove simnic_hw_free_irq simnic_vf_devlink_unregister
devlink_unregister unregister_netdevice_many netdev_run_todo free_netdev device_del
msleep synchronize_rcu synchronize_rcu_expedited synchronize_net rcu_barrier
wait_for_completion cancel_delayed_work_sync cancel_work_sync"
T=/sys/kernel/tracing

dir=$(dirname "$0")
# shellcheck source=lib.sh
source "$dir/lib.sh"
# shellcheck source=bench_lib.sh
source "$dir/bench_lib.sh"

no_vfs()
{
	[ ! -e "/sys/bus/pci/devices/$PF/virtfn0" ]
}

all_settled()
{
	local i

	for ((i = 0; i < MAXVFS; i++)); do
		vf_settled "$(vf_pci "$PF" "$i")" || return 1
	done
}

require_root_and_tools
[ -d "$T/events" ] || mount -t tracefs nodev "$T" ||
	{ echo "bench_teardown: no tracefs"; exit 1; }
grep -qw function_graph "$T/available_tracers" ||
	{ echo "bench_teardown: no function_graph tracer"; exit 1; }
simnic_unload && simnic_load total_vfs="$MAXVFS" && wait_for 10 simnic_pf_pci >/dev/null ||
	{ echo "bench_teardown: cannot load simnic with total_vfs=$MAXVFS"; exit 1; }
PF=$(simnic_pf_pci)
echo "$MAXVFS" >"/sys/bus/pci/devices/$PF/sriov_numvfs" && wait_for 120 all_settled ||
	{ echo "bench_teardown: $MAXVFS VFs did not negotiate"; exit 1; }

echo 0 >"$T/tracing_on"
echo function_graph >"$T/current_tracer"
echo 1 >"$T/options/funcgraph-tail"
: >"$T/set_ftrace_filter"
for f in $FUNCS; do
	echo "$f" >>"$T/set_ftrace_filter" 2>/dev/null || echo "(no $f to trace)"
done
: >"$T/trace"
echo 1 >"$T/tracing_on"
t0=$EPOCHREALTIME
echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" && wait_for 120 no_vfs ||
	{ echo "bench_teardown: the VFs did not go"; exit 1; }
echo "sriov_numvfs $MAXVFS -> 0: $(ms_since "$t0") ms, traced"
echo 0 >"$T/tracing_on"

# " 0) $ 6579799 us  |      simnic_pf_sriov_disable [simnic_pf]();" or
# " 0) + 93.707 us   |    } /* simnic_pf_wq_queue [simnic_pf] */": name and time
slurp "$T/trace"
awk -F'|' '
	/^#/ || !/ (us|ms) +\|/ { next }
	{
		split($1, t, " ")
		for (i = 1; i <= length(t); i++)
			if (t[i] ~ /^[0-9.]+$/ && (t[i + 1] == "us" || t[i + 1] == "ms"))
				d = t[i] * (t[i + 1] == "ms" ? 1000 : 1)
		f = $2
		sub(/^ *(\} \/\* *)?/, "", f)
		sub(/ *(\*\/|\(\);) *$/, "", f)
		sum[f] += d
		n[f]++
	}
	END { for (f in sum) printf "%10.1f ms %5d x %s\n", sum[f] / 1000, n[f], f }
' <<<"$SLURP" | sort -rn
echo nop >"$T/current_tracer"
