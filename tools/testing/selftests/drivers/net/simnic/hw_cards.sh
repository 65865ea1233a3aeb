#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# simnic_hw's own controls: module parameters, and adding and removing cards at run time
# through /sys/devices/simnic/{new_card,del_card,cards}. Bad input gets an error and
# changes nothing. A card of 256 VFs, E810's maximum, works end to end.

dir=$(dirname "$0")
source "$dir/lib.sh"

SYS=/sys/devices/simnic

NSA=hw-cards-a-$$
NSB=hw-cards-b-$$

cleanup()
{
	ns_del "$NSA" 2>/dev/null
	ns_del "$NSB" 2>/dev/null
	simnic_unload 2>/dev/null
}
trap cleanup EXIT

cards() { cat "$SYS/cards"; }

# write FILE VALUE: print the error write(2) gave, fail if it succeeded
write_fails()
{
	local out

	# the builtin echo writes the file; what it says on stderr is the refusal
	# shellcheck disable=SC2116
	if out=$(echo "$2" 2>&1 >"$1"); then
		fail "writing '$2' to $1 succeeded"
		return 1
	fi
	echo "$2 -> ${out##*: }"
	[ -z "${3:-}" ] || echo "$out" | grep -q "$3" || fail "expected '$3'"
}

test_bad_params()
{
	local p

	for p in "num_cards=17" "total_vfs=0" "total_vfs=257" "pci_domain=-2"; do
		kmsg_mark "hw-cards-$$-$p"
		modprobe simnic_hw "$p" 2>/dev/null && { rmmod simnic_hw; fail "loaded with $p"; return 1; }
		[ ! -d /sys/module/simnic_hw ] || fail "simnic_hw left loaded after $p" || return 1
		# the refusal of this value, logged after this attempt began
		kmsg_since "hw-cards-$$-$p" | grep -q "simnic_hw: $p: " ||
			fail "no log line for $p" || return 1
	done
}

test_params()
{
	modprobe simnic_hw num_cards=2 total_vfs=3 || return 1
	cards
	[ "$(cards | wc -l)" = 2 ] || fail "expected 2 cards" || return 1
	for d in $(cards | awk '{print $2}'); do
		[ "$(cat "/sys/bus/pci/devices/$d/sriov_totalvfs")" = 3 ] ||
			fail "$d: sriov_totalvfs is not 3" || return 1
	done
	# two cards, two distinct private domains above 0xffff
	[ "$(cards | awk '{print $2}' | cut -d: -f1 | sort -u | wc -l)" = 2 ] || fail "shared domain" ||
		return 1
	rmmod simnic_hw
}

# pci_domain: card N's PF is at (pci_domain + N):00:00.0, four hex digits as tools
# that parse DDDD:BB:DD.F expect, for the cards made at load and at run time alike
test_pci_domain()
{
	local got

	modprobe simnic_hw num_cards=2 pci_domain=0x5a00 || return 1
	echo 9 >"$SYS/new_card" || return 1
	cards
	got=$(cards | awk '{printf "%s %s,", $1, $2}')
	[ "$got" = "0 5a00:00:00.0,1 5a01:00:00.0,9 5a09:00:00.0," ] ||
		fail "cards are at '$got'" || return 1
	lspci -s 5a09:00:00.0 -n | grep -q "1234:5a01" ||
		fail "lspci -s 5a09:00:00.0 does not show the PF" || return 1
	rmmod simnic_hw
}

# A pci_domain another host bridge has: simnic_hw refuses to load, names the domain
# and its owner, and leaves nothing behind
test_pci_domain_taken()
{
	local dev dom=""

	# the domain of the machine's own first PCI device
	for dev in /sys/bus/pci/devices/*; do
		dom=${dev##*/}
		dom=${dom%%:*}
		break
	done
	[ -n "$dom" ] || fail "this machine has no PCI device" || return 1
	kmsg_mark "hw-cards-$$-taken"
	if modprobe simnic_hw pci_domain="0x$dom"; then
		rmmod simnic_hw
		fail "loaded into domain $dom, which the machine's PCI has"
		return 1
	fi
	[ ! -d /sys/module/simnic_hw ] || fail "simnic_hw left loaded" || return 1
	[ ! -e "$SYS" ] || fail "$SYS left behind" || return 1
	kmsg_since "hw-cards-$$-taken" | grep "simnic_hw: card 0: PCI domain $dom is taken by pci$dom:" ||
		fail "no log line naming domain $dom and its owner"
}

test_new_del_card()
{
	local pf

	modprobe simnic_hw || return 1
	echo "7 5" >"$SYS/new_card" || return 1
	pf=$(cards | awk '$1 == 7 {print $2}')
	[ -n "$pf" ] || fail "card 7 not listed" || return 1
	[ "$(cat "/sys/bus/pci/devices/$pf/sriov_totalvfs")" = 5 ] || fail "card 7 totalvfs" || return 1
	lspci -D -n | grep -q "^$pf .*1234:5a01" || fail "lspci does not show $pf" || return 1
	echo 7 >"$SYS/del_card" || return 1
	[ ! -e "/sys/bus/pci/devices/$pf" ] || fail "$pf still present" || return 1
	[ "$(cards | wc -l)" = 1 ] || fail "card count"
}

test_bad_card_input()
{
	local before

	before=$(cards)
	write_fails "$SYS/new_card" "0" "File exists" || return 1
	write_fails "$SYS/new_card" "3 257" "out of range" || return 1
	write_fails "$SYS/new_card" "3 0" "out of range" || return 1
	write_fails "$SYS/new_card" "x" "Invalid argument" || return 1
	write_fails "$SYS/new_card" "3 4 5" "Invalid argument" || return 1
	write_fails "$SYS/del_card" "42" "No such file" || return 1
	write_fails "$SYS/del_card" "-1" "Invalid argument" || return 1
	[ "$(cards)" = "$before" ] || fail "cards changed"
}

test_del_card_with_vfs()
{
	local pf

	modprobe simnic_pf && modprobe simnic_vf || return 1
	echo "2 2" >"$SYS/new_card" || return 1
	pf=$(cards | awk '$1 == 2 {print $2}')
	wait_for 10 test -e "/sys/bus/pci/drivers/simnic_pf/$pf" || fail "PF not bound" || return 1
	echo 2 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || return 1
	wait_for 30 pci_netdev "$(vf_pci "$pf" 1)" >/dev/null || fail "VF 1 has no netdev" || return 1
	# Removing the card unbinds the PF driver, which disables SR-IOV first
	echo 2 >"$SYS/del_card" || return 1
	[ ! -e "/sys/bus/pci/devices/$pf" ] || fail "$pf still present" || return 1
	! compgen -G "/sys/bus/pci/drivers/simnic_vf/${pf%%:*}:*" >/dev/null ||
		fail "VFs still bound"
}

# vf_netdevs PF N: every one of the first N VFs of PF has its netdev
vf_netdevs()
{
	local f n=0

	for f in "/sys/bus/pci/devices/$1"/virtfn*/net/*; do
		[ -e "$f" ] && n=$((n + 1))
	done
	[ "$n" = "$2" ]
}

# vf_up PCI NS ADDR: the VF's netdev in NS, up, at ADDR/24
vf_up()
{
	local dev

	dev=$(pci_netdev "$1") || fail "VF $1 has no netdev" || return 1
	ip netns add "$2" && ip link set dev "$dev" netns "$2" &&
		ip -n "$2" addr add "$3/24" dev "$dev" && ip -n "$2" link set dev "$dev" up
}

# 256 VFs, E810's maximum: VF 254 is the last function of bus 00 (routing ID 255,
# 00:1f.7), VF 255 the first of bus 01, which the PCI core adds for it; every VF gets
# its netdev, the first and the last pass traffic, and disabling them removes bus 01
test_max_vfs()
{
	local pf dom t0

	simnic_unload && simnic_load total_vfs=256 && wait_for 10 simnic_pf_pci >/dev/null ||
		return 1
	pf=$(simnic_pf_pci)
	dom=${pf%%:*}
	[ "$(cat "/sys/bus/pci/devices/$pf/sriov_totalvfs")" = 256 ] ||
		fail "sriov_totalvfs is not 256" || return 1
	t0=$SECONDS
	echo 256 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || fail "cannot enable 256 VFs" ||
		return 1
	wait_for 300 vf_netdevs "$pf" 256 || fail "not every VF has a netdev" || return 1
	echo "256 VF netdevs after $((SECONDS - t0)) s"
	[ "$(vf_pci "$pf" 254)" = "$dom:00:1f.7" ] && [ "$(vf_pci "$pf" 255)" = "$dom:01:00.0" ] ||
		fail "VF 254 at $(vf_pci "$pf" 254), VF 255 at $(vf_pci "$pf" 255)" || return 1
	[ -e "/sys/class/pci_bus/$dom:01" ] || fail "no bus $dom:01" || return 1
	vf_up "$(vf_pci "$pf" 0)" "$NSA" 192.0.2.1 && vf_up "$(vf_pci "$pf" 255)" "$NSB" 192.0.2.2 ||
		return 1
	wait_for 30 ip netns exec "$NSA" ping -c 1 -W 1 192.0.2.2 >/dev/null ||
		fail "VF 0 cannot reach VF 255" || return 1
	ip netns exec "$NSB" ping -c 3 -i 0.2 -W 2 192.0.2.1 || fail "VF 255 cannot reach VF 0" ||
		return 1
	t0=$SECONDS
	echo 0 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || fail "cannot disable the VFs" || return 1
	echo "256 VFs disabled in $((SECONDS - t0)) s"
	[ ! -e "/sys/bus/pci/devices/$pf/virtfn0" ] && [ ! -e "/sys/class/pci_bus/$dom:01" ] ||
		fail "VFs or bus $dom:01 left behind" || return 1
	ns_del "$NSA" && ns_del "$NSB" && simnic_unload
}

require_root_and_tools
simnic_unload 2>/dev/null
ktap_plan 8
run_test "params: out-of-range values refuse to load" test_bad_params
run_test "params: num_cards and total_vfs" test_params
run_test "params: pci_domain places the cards' domains" test_pci_domain
run_test "params: a taken pci_domain refuses to load, naming its owner" test_pci_domain_taken
run_test "cards: new_card and del_card" test_new_del_card
run_test "cards: bad input changes nothing" test_bad_card_input
run_test "cards: del_card with VFs bound" test_del_card_with_vfs
run_test "max: 256 VFs, the last on the next bus number, pass traffic" test_max_vfs
ktap_finish
