#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, not a test (it asserts nothing about time): the data path and the VF count.
# veth, measured in the same run, is the limit of an in-kernel software path:
# - TCP from VF 0 to VF 1 (iperf3, BENCH_SECONDS), against a veth pair, and with the
#   VFs' offloads off (scatter-gather, checksums, TSO, rx-gro-hw), to show what they
#   bring;
# - UDP of 64-byte frames (18 bytes of payload over IPv4), packets per second received,
#   against a veth pair;
# - the same UDP with 2 flows, each sender on its own CPU, over 2 queue pairs (ethtool
#   -L combined 2 on both VFs; each flow from a source port RSS puts on its own ring)
#   against 1;
# - sriov_numvfs 0 -> BENCH_VFS (64 by default, the card loaded with total_vfs so)
#   until every VF has its netdev, and BENCH_VFS -> 0; the kernel memory each idle VF
#   costs (slab, vmalloc, per-CPU and kernel stacks from /proc/meminfo, the difference
#   over the enable divided by the VF count).
# Every figure is the median of BENCH_ROUNDS runs (3 by default); each run is printed.
# The result lines (bench|...) are what scripts/bench gathers into its table. Run it in
# a guest: scripts/vmrun -- tools/testing/selftests/drivers/net/simnic/bench_datapath.sh

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/bench_lib.sh"
source "$dir/vf_pair.sh"

ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-5}
MAXVFS=${BENCH_VFS:-64}
NSA=bench-veth-a-$$
NSB=bench-veth-b-$$
IPERF=$(mktemp -d /tmp/bench_datapath.XXXXXX)

bench_cleanup()
{
	ns_del "$NSA" 2>/dev/null
	ns_del "$NSB" 2>/dev/null
	rm -rf "$IPERF"
	cleanup
}
trap bench_cleanup EXIT

# listening NS PORT: an iperf3 server listens on PORT in NS
listening()
{
	[ -n "$(ip netns exec "$1" ss -ltnH "sport = :$2")" ]
}

# iperf SERVER_NS ADDR CLIENT_NS FLOWS ARGS...: FLOWS iperf3 clients at once, each on
# its own port and CPU, for SECS seconds with ARGS, flow N from source port CPORT[N]
# if set; their JSON reports in $IPERF/client.N
iperf()
{
	local srv=$1 addr=$2 cli=$3 flows=$4 k pids=() cport

	shift 4
	for ((k = 0; k < flows; k++)); do
		ip netns exec "$srv" iperf3 -s -1 -p $((5201 + k)) >/dev/null 2>&1 &
		pids+=($!)
	done
	for ((k = 0; k < flows; k++)); do
		wait_for 10 listening "$srv" $((5201 + k)) || { kill "${pids[@]}"; return 1; }
	done
	for ((k = 0; k < flows; k++)); do
		cport=()
		[ -z "${CPORT[k]:-}" ] || cport=(--cport "${CPORT[k]}")
		ip netns exec "$cli" taskset -c $((k % $(nproc))) iperf3 -c "$addr" \
			-p $((5201 + k)) "${cport[@]}" -t "$SECS" -J "$@" >"$IPERF/client.$k" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
}

# tcp_mbits SERVER_NS ADDR CLIENT_NS: TCP throughput received, in Mbit/s
tcp_mbits()
{
	iperf "$1" "$2" "$3" 1 || return 1
	python3 -c 'import json, sys
print("%.0f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' \
		"$IPERF/client.0"
}

# udp_kpps SERVER_NS ADDR CLIENT_NS FLOWS: 64-byte UDP frames received per second, in
# thousands, over FLOWS flows together
udp_kpps()
{
	iperf "$1" "$2" "$3" "$4" -u -b 0 -l 18 || return 1
	python3 -c 'import json, sys
pps = 0
for f in sys.argv[1:]:
    s = json.load(open(f))["end"]["sum"]
    pps += (s["packets"] - s["lost_packets"]) / s["seconds"]
print("%.1f" % (pps / 1000))' "$IPERF"/client.*
}

# veth_setup: a veth pair between two namespaces, 198.51.100.1 and .2
veth_setup()
{
	ns_add "$NSA" && ns_add "$NSB" &&
		ip -n "$NSA" link add vb0 type veth peer name vb1 netns "$NSB" &&
		ip -n "$NSA" addr add 198.51.100.1/24 dev vb0 &&
		ip -n "$NSB" addr add 198.51.100.2/24 dev vb1 &&
		ip -n "$NSA" link set vb0 up && ip -n "$NSB" link set vb1 up &&
		wait_for 10 ip netns exec "$NSA" ping -c 1 -W 1 198.51.100.2 >/dev/null
}

# vf_addrs: VF 0 and VF 1 at 192.0.2.1 and .2
vf_addrs()
{
	ip -n "$NS1" addr add 192.0.2.1/24 dev "${DEV[0]}" &&
		ip -n "$NS2" addr add 192.0.2.2/24 dev "${DEV[1]}" &&
		wait_for 10 ip netns exec "$NS1" ping -c 1 -W 1 192.0.2.2 >/dev/null
}

# channels N: both VFs on N queue pairs, passing traffic again; CPORT: for each of N
# flows to VF 1, a source port whose flow VF 1's RSS puts on ring N (the switch's key
# and table)
channels()
{
	local re k from

	ip netns exec "$NS1" ethtool -L "${DEV[0]}" combined "$1" &&
		ip netns exec "$NS2" ethtool -L "${DEV[1]}" combined "$1" &&
		vf_ensure 0 && vf_ensure 1 &&
		wait_for 10 ip netns exec "$NS1" ping -c 1 -W 1 192.0.2.2 >/dev/null || return 1
	re=$'^key ([0-9a-f]+)\nlut ([0-9 ]+)\n$'
	wait_for 10 eval 'slurp "$(hw_dbg "$PF" 1)/rss" && [[ $SLURP =~ $re ]]' || return 1
	CPORT=()
	from=40000
	for ((k = 0; k < $1; k++)); do
		CPORT+=("$("$dir/rss_flows.py" port "${BASH_REMATCH[1]}" \
			"$(tr ' ' , <<<"${BASH_REMATCH[2]}")" 192.0.2.1 192.0.2.2 $((5201 + k)) "$k" \
			"$from")") || return 1
		from=$((CPORT[k] + 1))	# each flow its own source port
	done
}

# offloads on|off: both VFs' offloads (what the stack does in software stays), then
# traffic again
offloads()
{
	local i

	for i in 0 1; do
		ip netns exec "${NS[i]}" ethtool -K "${DEV[i]}" sg "$1" tx "$1" tso "$1" \
			rx "$1" rx-gro-hw "$1" >/dev/null && vf_ensure "$i" || return 1
	done
	wait_for 10 ip netns exec "$NS1" ping -c 1 -W 1 192.0.2.2 >/dev/null
}

# kmem_kib: the kernel's slab, vmalloc, per-CPU and stack memory, in KiB
kmem_kib()
{
	awk '/^(Slab|VmallocUsed|Percpu|KernelStack):/ { t += $2 } END { print t }' /proc/meminfo
}

# vf_netdevs: how many VFs of the PF have a netdev, in N
vf_netdevs()
{
	local f

	N=0
	for f in "/sys/bus/pci/devices/$PF"/virtfn*/net/*; do
		[ -e "$f" ] && N=$((N + 1))
	done
}

all_netdevs()
{
	vf_netdevs
	[ "$N" = "$MAXVFS" ]
}

no_vfs()
{
	[ ! -e "/sys/bus/pci/devices/$PF/virtfn0" ]
}

# --- the data path -------------------------------------------------------------------

require_root_and_tools
command -v iperf3 >/dev/null || { echo "bench_datapath: needs iperf3 (scripts/install-deps)"; exit 1; }
setup >/dev/null && vf_addrs && veth_setup || { echo "setup failed"; exit 1; }

tcp=() tcpv=() udp=() udpv=() q1=() q2=()
for ((r = 1; r <= ROUNDS; r++)); do
	tcp+=("$(tcp_mbits "$NS2" 192.0.2.2 "$NS1")") && [ -n "${tcp[-1]}" ] &&
		tcpv+=("$(tcp_mbits "$NSB" 198.51.100.2 "$NSA")") && [ -n "${tcpv[-1]}" ] &&
		udp+=("$(udp_kpps "$NS2" 192.0.2.2 "$NS1" 1)") && [ -n "${udp[-1]}" ] &&
		udpv+=("$(udp_kpps "$NSB" 198.51.100.2 "$NSA" 1)") && [ -n "${udpv[-1]}" ] ||
		{ echo "round $r: iperf3 failed"; cat "$IPERF"/client.*; exit 1; }
	echo "round $r: TCP simnic ${tcp[-1]} Mbit/s, veth ${tcpv[-1]} Mbit/s; 64-byte UDP simnic ${udp[-1]} kpps, veth ${udpv[-1]} kpps"
done
tcpo=()
offloads off || { echo "cannot turn the VFs' offloads off"; exit 1; }
for ((r = 1; r <= ROUNDS; r++)); do
	tcpo+=("$(tcp_mbits "$NS2" 192.0.2.2 "$NS1")") && [ -n "${tcpo[-1]}" ] ||
		{ echo "round $r: iperf3 failed"; cat "$IPERF"/client.*; exit 1; }
	echo "round $r: TCP simnic, VF offloads off, ${tcpo[-1]} Mbit/s"
done
offloads on || { echo "cannot turn the VFs' offloads on"; exit 1; }
for ((r = 1; r <= ROUNDS; r++)); do
	channels 1 && q1+=("$(udp_kpps "$NS2" 192.0.2.2 "$NS1" 2)") && [ -n "${q1[-1]}" ] &&
		channels 2 && q2+=("$(udp_kpps "$NS2" 192.0.2.2 "$NS1" 2)") && [ -n "${q2[-1]}" ] ||
		{ echo "round $r: the queue runs failed"; cat "$IPERF"/client.*; exit 1; }
	echo "round $r: 64-byte UDP, 2 flows: 1 queue pair ${q1[-1]} kpps, 2 queue pairs ${q2[-1]} kpps"
done
bench_result "TCP VF to VF, iperf3 ${SECS} s" "$(median "${tcp[@]}")" Mbit/s veth \
	"$(median "${tcpv[@]}")"
bench_result "TCP VF to VF, VF offloads off" "$(median "${tcpo[@]}")" Mbit/s \
	"offloads on" "$(median "${tcp[@]}")"
bench_result "UDP 64-byte frames received" "$(median "${udp[@]}")" kpps veth \
	"$(median "${udpv[@]}")"
bench_result "UDP 64-byte, 2 flows, 2 queue pairs" "$(median "${q2[@]}")" kpps \
	"1 queue pair" "$(median "${q1[@]}")"

# --- the VF count ----------------------------------------------------------------------

ns_del "$NS1"
ns_del "$NS2"
echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" && simnic_unload &&
	simnic_load total_vfs="$MAXVFS" && wait_for 10 simnic_pf_pci >/dev/null ||
	{ echo "cannot load simnic with total_vfs=$MAXVFS"; exit 1; }
PF=$(simnic_pf_pci)
up=() down=() mem=()
for ((r = 1; r <= ROUNDS; r++)); do
	k0=$(kmem_kib)
	t0=$EPOCHREALTIME
	echo "$MAXVFS" >"/sys/bus/pci/devices/$PF/sriov_numvfs" &&
		wait_for 120 all_netdevs || { echo "round $r: $N of $MAXVFS VF netdevs"; exit 1; }
	up+=("$(ms_since "$t0")")
	for ((i = 0; i < MAXVFS; i++)); do
		wait_for 60 vf_settled "$(vf_pci "$PF" "$i")" ||
			{ echo "round $r: VF $i has not negotiated"; exit 1; }
	done
	mem+=("$(( ($(kmem_kib) - k0) / MAXVFS ))")
	t0=$EPOCHREALTIME
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" && wait_for 120 no_vfs ||
		{ echo "round $r: the VFs did not go"; exit 1; }
	down+=("$(ms_since "$t0")")
	echo "round $r: sriov_numvfs 0 -> $MAXVFS ${up[-1]} ms, $MAXVFS -> 0 ${down[-1]} ms, ${mem[-1]} KiB per idle VF"
done
bench_result "sriov_numvfs 0 -> $MAXVFS, every VF netdev" "$(median "${up[@]}")" ms
bench_result "sriov_numvfs $MAXVFS -> 0" "$(median "${down[@]}")" ms
bench_result "kernel memory per idle VF" "$(median "${mem[@]}")" KiB
