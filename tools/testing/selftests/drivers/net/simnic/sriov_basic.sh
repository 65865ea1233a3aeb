#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The walking skeleton, end to end: load simnic, enable two VFs, move each into its own
# network namespace, address them, ping both ways and to the PF, check the data path is
# multi-queue and the counters moved, refuse N -> M, disable the VFs and unload in both
# orders the module dependencies allow while traffic runs.

dir=$(dirname "$0")
source "$dir/lib.sh"

NS1=simnic-b1-$$
NS2=simnic-b2-$$
PF=""
PFDEV=""

cleanup()
{
	ns_del "$NS1" 2>/dev/null
	ns_del "$NS2" 2>/dev/null
	[ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs"
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

# Enable 2 VFs and bring each up in its own namespace with an address
setup_vfs()
{
	local i ns pci dev

	echo 2 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
	ns_del "$NS1" 2>/dev/null
	ns_del "$NS2" 2>/dev/null
	ip netns add "$NS1" && ip netns add "$NS2" || return 1
	for i in 0 1; do
		ns=$NS1
		[ "$i" = 1 ] && ns=$NS2
		pci=$(vf_pci "$PF" "$i")
		wait_for 30 pci_netdev "$pci" >/dev/null || fail "VF $i ($pci) has no netdev" || return 1
		dev=$(pci_netdev "$pci")
		ip link set dev "$dev" netns "$ns" || return 1
		ip -n "$ns" addr add "192.0.2.$((i + 1))/24" dev "$dev" || return 1
		ip -n "$ns" link set dev "$dev" up || return 1
		wait_for 30 operstate_up "$ns" "$dev" || fail "VF $i: no carrier" || return 1
	done
}

# pci_dev_of VENDOR DEVICE: the first PCI function with those IDs, in PCIDEV (no process)
pci_dev_of()
{
	local d v i

	for d in /sys/bus/pci/devices/*; do
		read -r v <"$d/vendor" && read -r i <"$d/device" || continue
		[ "$v" = "$1" ] && [ "$i" = "$2" ] && { PCIDEV=${d##*/}; return 0; }
	done
	return 1
}

# drv_is PCI DRIVER: PCI is bound to DRIVER (no process)
drv_is()
{
	[ -e "/sys/bus/pci/drivers/$2/$1" ]
}

# What udev does for a new PCI function (its kmod builtin loads the modules the
# uevent's MODALIAS names), done by hand: the guests have no udev. simnic_hw alone
# makes the card; its PF's modalias loads simnic_pf, which binds; a VF's loads
# simnic_vf, which binds. The modules are whatever modprobe finds for this kernel (the
# DKMS package's, where make check installed it).
test_alias()
{
	local alias pf vf

	modprobe simnic_hw || fail "modprobe simnic_hw failed" || return 1
	wait_for 10 pci_dev_of 0x1234 0x5a01 || fail "no PF (1234:5a01) after simnic_hw" ||
		return 1
	pf=$PCIDEV
	[ ! -d /sys/module/simnic_pf ] || fail "simnic_pf was already loaded" || return 1
	read -r alias <"/sys/bus/pci/devices/$pf/modalias" || return 1
	modprobe "$alias" || fail "modprobe $alias failed" || return 1
	wait_for 10 drv_is "$pf" simnic_pf || fail "PF $pf not bound to simnic_pf by $alias" ||
		return 1
	echo 1 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || fail "cannot enable a VF" ||
		return 1
	vf=$(vf_pci "$pf" 0)
	[ ! -d /sys/module/simnic_vf ] || fail "simnic_vf was already loaded" || return 1
	read -r alias <"/sys/bus/pci/devices/$vf/modalias" || return 1
	modprobe "$alias" || fail "modprobe $alias failed" || return 1
	wait_for 10 drv_is "$vf" simnic_vf || fail "VF $vf not bound to simnic_vf by $alias" ||
		return 1
	echo "simnic_pf $(modinfo -F version simnic_pf) and simnic_vf" \
		"$(modinfo -F version simnic_vf) from $(modinfo -n simnic_vf | sed 's|/simnic_vf.ko.*||')"
	echo 0 >"/sys/bus/pci/devices/$pf/sriov_numvfs" && simnic_unload ||
		fail "cannot disable the VF and unload" || return 1
}

test_load()
{
	simnic_load || return 1
	wait_for 10 simnic_pf_pci >/dev/null || fail "no PF bound to simnic_pf" || return 1
	PF=$(simnic_pf_pci)
	lspci -s "$PF" -n | grep -q '1234:5a01' || fail "PF $PF has the wrong IDs" || return 1
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_totalvfs")" = 8 ] ||
		fail "sriov_totalvfs is not 8"
}

test_vf_macs()
{
	local i pci dev want got

	for i in 0 1; do
		pci=$(vf_pci "$PF" "$i")
		[ "$(basename "$(readlink "/sys/bus/pci/devices/$pci/driver")")" = simnic_vf ] ||
			fail "VF $i not bound to simnic_vf" || return 1
		lspci -s "$pci" -n | grep -q '1234:5a02' || fail "VF $i has the wrong IDs" || return 1
		dev=$(vf_netdev_in_ns "$([ "$i" = 0 ] && echo "$NS1" || echo "$NS2")" "$pci")
		got=$(ip -n "$([ "$i" = 0 ] && echo "$NS1" || echo "$NS2")" -o link show dev "$dev" |
		      grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
		want=$(ip -o link show dev "$PFDEV" | grep -o "vf $i *link/ether [0-9a-f:]*" |
		       awk '{print $4}')
		echo "VF $i: $dev has $got, PF assigned $want"
		[ -n "$want" ] && [ "$got" = "$want" ] || fail "VF $i MAC mismatch" || return 1
		# locally administered unicast, as the PF assigns by default
		[ $(( 0x${got%%:*} & 3 )) = 2 ] || fail "VF $i MAC not locally administered unicast"
	done
}

ping_ok()
{
	local out

	out=$(ip netns exec "$1" ping -c 3 -i 0.2 -W 2 "$2" 2>&1)
	echo "$out" | tail -n 2
	echo "$out" | grep -q ' 0% packet loss'
}

test_ping_vf_to_vf()
{
	ping_ok "$NS1" 192.0.2.2 && ping_ok "$NS2" 192.0.2.1
}

test_ping_pf()
{
	ip addr add 192.0.2.254/24 dev "$PFDEV" && ip link set dev "$PFDEV" up || return 1
	wait_for 10 operstate_up "" "$PFDEV" || fail "PF has no carrier" || return 1
	ping_ok "$NS1" 192.0.2.254 || return 1
	ping -c 3 -i 0.2 -W 2 192.0.2.2 | grep -q ' 0% packet loss' || fail "PF -> VF 1 ping"
}

test_multiqueue_counters()
{
	local dev pci nq before after

	pci=$(vf_pci "$PF" 0)
	dev=$(vf_netdev_in_ns "$NS1" "$pci")
	nq=$(ip netns exec "$NS1" ls "/sys/class/net/$dev/queues" | grep -c '^tx-')
	echo "$dev has $nq tx queues on $(nproc) CPUs"
	[ "$nq" = "$(( $(nproc) < 4 ? $(nproc) : 4 ))" ] || fail "expected min(CPUs, 4) queues" || return 1
	before=$(ip -n "$NS1" -s -j link show dev "$dev" | grep -o '"rx":{"bytes":[0-9]*,"packets":[0-9]*' |
		 grep -o '[0-9]*$')
	ping_ok "$NS2" 192.0.2.1 >/dev/null || return 1
	after=$(ip -n "$NS1" -s -j link show dev "$dev" | grep -o '"rx":{"bytes":[0-9]*,"packets":[0-9]*' |
		grep -o '[0-9]*$')
	echo "rx packets $before -> $after"
	[ "$after" -ge $((before + 3)) ] || fail "rx counters did not move"
}

test_numvfs_busy()
{
	local out

	# the builtin echo writes the file; what it says on stderr is the refusal
	# shellcheck disable=SC2116
	if out=$(echo 3 2>&1 >"/sys/bus/pci/devices/$PF/sriov_numvfs"); then
		fail "2 -> 3 VFs was accepted"
		return 1
	fi
	echo "$out"
	echo "$out" | grep -q 'busy' || fail "2 -> 3 VFs: expected EBUSY" || return 1
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 2 ] || fail "VF count changed"
}

# replies FILE N: the ping writing to FILE has seen at least N replies
replies()
{
	[ "$(grep -c 'bytes from' "$1" 2>/dev/null)" -ge "$2" ]
}

# Traffic in the background, from both namespaces, while $@ runs. It acts only once
# replies come back both ways, so the action really happens under traffic.
with_traffic()
{
	local p1 p2 rc log1 log2

	log1=$(mktemp) && log2=$(mktemp) || return 1
	ip netns exec "$NS1" stdbuf -oL ping -i 0.01 -W 1 192.0.2.2 >"$log1" 2>&1 &
	p1=$!
	ip netns exec "$NS2" stdbuf -oL ping -i 0.01 -W 1 192.0.2.1 >"$log2" 2>&1 &
	p2=$!
	if wait_for 60 replies "$log1" 5 && wait_for 60 replies "$log2" 5; then
		"$@"
		rc=$?
	else
		fail "no background traffic: $(tail -n 3 "$log1" "$log2")"
		rc=1
	fi
	kill "$p1" "$p2" 2>/dev/null
	wait "$p1" "$p2" 2>/dev/null
	rm -f "$log1" "$log2"
	return "$rc"
}

no_vfs_left()
{
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 0 ] &&
		! compgen -G '/sys/bus/pci/drivers/simnic_vf/*:*' >/dev/null
}

test_disable_under_traffic()
{
	with_traffic sh -c "echo 0 > /sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
	no_vfs_left || fail "VFs remain after sriov_numvfs=0" || return 1
	! ns_simnic_netdevs "$NS1" | grep -q . || fail "VF netdev left in $NS1"
}

test_unload_vf_first()
{
	setup_vfs || return 1
	with_traffic rmmod simnic_vf || return 1
	[ ! -d /sys/module/simnic_vf ] || return 1
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" && rmmod simnic_pf && rmmod simnic_hw
}

test_unload_pf_first()
{
	simnic_load || return 1
	wait_for 10 simnic_pf_pci >/dev/null || return 1
	PF=$(simnic_pf_pci)
	setup_vfs || return 1
	# PF removal disables SR-IOV, which removes the VFs from under simnic_vf
	with_traffic rmmod simnic_pf || return 1
	compgen -G '/sys/bus/pci/drivers/simnic_vf/*:*' >/dev/null && fail "VFs still bound" &&
		return 1
	rmmod simnic_vf && rmmod simnic_hw
}

require_root_and_tools
simnic_unload 2>/dev/null
ktap_plan 11
run_test "load: simnic_hw alone; simnic_pf and simnic_vf load by their PCI aliases" test_alias
run_test "load: PF bound, 8 VFs supported" test_load
PF=$(simnic_pf_pci)
PFDEV=$(pci_netdev "$PF")
run_test "setup: 2 VFs up in their own namespaces" setup_vfs
run_test "vf: MAC assigned by the PF, bound by simnic_vf" test_vf_macs
run_test "ping: VF to VF both ways" test_ping_vf_to_vf
run_test "ping: PF to VF and back" test_ping_pf
run_test "datapath: multi-queue and counted" test_multiqueue_counters
run_test "sriov: 2 -> 3 VFs refused with EBUSY" test_numvfs_busy
run_test "sriov: disable VFs under traffic" test_disable_under_traffic
run_test "unload: simnic_vf first, then pf, hw, under traffic" test_unload_vf_first
run_test "unload: simnic_pf first with VFs enabled, under traffic" test_unload_pf_first
ktap_finish
