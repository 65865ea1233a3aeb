#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a test (it asserts nothing about time): how long after a servicing of
# the card begins are all of its 8 VFs recovered (negotiated again, carrier up)? Each
# round takes the card away for BENCH_AWAY_MS (default 100) and times, from the write,
# until every VF is back. The baseline, in the same run, is the same measurement for a
# reset of all 8 VFs by the PF (no servicing): what recovery costs without the card
# going away. Prints every round and the medians. Run it in a guest:
# scripts/vmrun -- tools/testing/selftests/drivers/net/simnic/bench_service.sh

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/bench_lib.sh"

ROUNDS=${BENCH_ROUNDS:-10}
AWAY=${BENCH_AWAY_MS:-100}
NVF=8
VFS=()
NETDEVS=()

# all_back: every VF has negotiated again after its latest reset and has carrier
all_back()
{
	local i c

	for ((i = 0; i < NVF; i++)); do
		vf_settled "${VFS[i]}" || return 1
		read -r c <"/sys/class/net/${NETDEVS[i]}/carrier" 2>/dev/null && [ "$c" = 1 ] ||
			return 1
	done
}

# timed CMD...: run CMD, then print the ms until all VFs are back (at most 60 s)
timed()
{
	local t0=$EPOCHREALTIME deadline=$((SECONDS + 60))

	"$@" || return 1
	# the write resets the VFs at once (servicing) or before it returns (reset_vfs)
	until all_back; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		nap 0.005
	done
	ms_since "$t0"
}

service()
{
	echo "$AWAY" >"$VLAN_DBG/simnic_hw/$PF/service"
}

reset_all()
{
	echo 1 >"$VLAN_DBG/simnic_pf/$PF/reset_vfs"
}

require_root_and_tools
trap 'echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" 2>/dev/null; simnic_unload' EXIT
# shellcheck disable=SC2119 # no parameters for simnic_hw
simnic_load && wait_for 10 simnic_pf_pci >/dev/null || { echo "cannot load simnic"; exit 1; }
PF=$(simnic_pf_pci)
echo "$NVF" >"/sys/bus/pci/devices/$PF/sriov_numvfs" || { echo "cannot enable $NVF VFs"; exit 1; }
for ((i = 0; i < NVF; i++)); do
	VFS[i]=$(vf_pci "$PF" "$i")
	wait_for 30 pci_netdev "${VFS[i]}" >/dev/null || { echo "VF $i has no netdev"; exit 1; }
	NETDEVS[i]=$(pci_netdev "${VFS[i]}")
	ip link set dev "${NETDEVS[i]}" up || exit 1
done
wait_for 30 all_back || { echo "the VFs did not come up"; exit 1; }

base=() svc=()
for ((r = 1; r <= ROUNDS; r++)); do
	base+=("$(timed reset_all)") && [ -n "${base[-1]}" ] || { echo "round $r: reset failed"; exit 1; }
	svc+=("$(timed service)") && [ -n "${svc[-1]}" ] || { echo "round $r: servicing failed"; exit 1; }
	echo "round $r: reset of all VFs ${base[-1]} ms, servicing ($AWAY ms away) to all $NVF VFs recovered ${svc[-1]} ms"
done
b=$(median "${base[@]}")
s=$(median "${svc[@]}")
echo "median of $ROUNDS: reset of all $NVF VFs $b ms; servicing ($AWAY ms away) to all $NVF VFs recovered $s ms; ratio $(awk -v s="$s" -v b="$b" 'BEGIN { printf "%.1f", s / (b ? b : 1) }')"
bench_result "servicing to $NVF VFs recovered" "$s" ms "reset of all $NVF VFs" "$b"
