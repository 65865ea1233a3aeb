#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a test (it asserts nothing about time): how long after a VF FLR does
# traffic flow again, with 8 VLANs on the VF? VF 0 has VLANs 100-107 and pings VF 1 over
# VLAN 100; each round FLRs VF 0 and times, from the FLR write, the first ping that is
# answered (pings of 200 ms timeout, back to back). The baseline is the same
# measurement without the FLR: the cost of one answered ping. Prints every round and the
# medians. Run it in a guest: scripts/vmrun -- tools/testing/selftests/drivers/net/simnic/bench_reset.sh

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/bench_lib.sh"
source "$dir/vf_pair.sh"

ROUNDS=${BENCH_ROUNDS:-10}

# until_ping: ping VF 1 over VLAN 100 until one is answered (at most 60 s)
until_ping()
{
	local addr deadline=$((SECONDS + 60))

	addr=$(vlan_addr 100 2)
	until ip netns exec "$NS1" ping -6 -c 1 -W 0.2 "$addr" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		ip -n "$NS1" -6 neigh replace "$addr" lladdr "${MAC[1]}" nud permanent \
			dev "$(vlan_name "${DEV[0]}" 100)" 2>/dev/null
	done
}

require_root_and_tools
setup >/dev/null || { echo "setup failed"; exit 1; }
# shellcheck disable=SC2046
add 0 $(seq 101 107) && l3 100 && inv 0 "$(seq 100 107)" && ping_both 100 ||
	{ echo "VLAN setup failed"; exit 1; }

base=() flr=()
for ((r = 1; r <= ROUNDS; r++)); do
	t0=$EPOCHREALTIME
	until_ping || { echo "round $r: no ping"; exit 1; }
	base+=("$(ms_since "$t0")")
	t0=$EPOCHREALTIME
	echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" || { echo "FLR refused"; exit 1; }
	until_ping || { echo "round $r: traffic did not come back in 60 s"; exit 1; }
	flr+=("$(ms_since "$t0")")
	echo "round $r: baseline ${base[-1]} ms, VF FLR to traffic ${flr[-1]} ms"
	inv 0 "$(seq 100 107)" >/dev/null || { echo "round $r: VLANs not back"; exit 1; }
done
b=$(median "${base[@]}")
f=$(median "${flr[@]}")
echo "median of $ROUNDS: baseline (one answered ping) $b ms; VF FLR to traffic with 8 VLANs $f ms; ratio $(awk -v f="$f" -v b="$b" 'BEGIN { printf "%.1f", f / (b ? b : 1) }')"
bench_result "VF FLR to traffic, 8 VLANs" "$f" ms "one answered ping" "$b"
