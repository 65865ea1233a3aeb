#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VF's ethtool, as an iavf user expects, and its MTU, each proven by traffic or by
# counters: -i, -g/-G ring sizes (the switch's rx rings, and the tx rings a max_tx_rate
# fills), -l/-L channels (the switch's
# enabled queues, the per-queue counters), -x/-X RSS (the switch's choice of rx queue,
# flow by flow), -S (the PF's counters of the VF and the rings'), -k and -K (TCP
# streams, whole or segmented by the switch), msglvl (the link
# messages), ip link set mtu. Bad values are refused and
# change nothing. ETHTOOL_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=ethtool-$$
VLAN_CASES=${ETHTOOL_CASES:-}
NCASES=17
RING_MIN=64
RING_MAX=4096
RING_DEFAULT=512
MSG_DEFAULT=0x00000007	# drv probe link
CH_DEFAULT=""		# the channels VF 0 starts with
RESTORE=""		# what the case changed, for eth_case to put back

# A shell in each VF's namespace for the whole run, fed through FIFOs: under TCG
# `ip netns exec` (ip, its mounts, then the command) costs more than the command, and
# ethtool cannot reach into a namespace by itself
NSH_IN=("" "")
NSH_OUT=("" "")
NSH_PID=("" "")
NSH_DIR=""

nsh_start()
{
	local i fd

	NSH_DIR=$(mktemp -d) || return 1
	for i in 0 1; do
		mkfifo "$NSH_DIR/in$i" "$NSH_DIR/out$i" || return 1
		ip netns exec "${NS[i]}" bash <"$NSH_DIR/in$i" >"$NSH_DIR/out$i" 2>&1 &
		NSH_PID[i]=$!
		exec {fd}>"$NSH_DIR/in$i"
		NSH_IN[i]=$fd
		exec {fd}<"$NSH_DIR/out$i"
		NSH_OUT[i]=$fd
	done
}

# nsh_stop: the shells end, before the namespaces go. Each holds the other's input
# open (inherited), so none would see the end of its input: they are told to go.
nsh_stop()
{
	local i fd

	for i in 0 1; do
		fd=${NSH_IN[i]}
		[ -z "$fd" ] || exec {fd}>&-
		fd=${NSH_OUT[i]}
		[ -z "$fd" ] || exec {fd}<&-
		NSH_IN[i]=""
		NSH_OUT[i]=""
	done
	for i in 0 1; do
		[ -z "${NSH_PID[i]}" ] || { kill "${NSH_PID[i]}"; wait "${NSH_PID[i]}"; } 2>/dev/null
		NSH_PID[i]=""
	done
	[ -z "$NSH_DIR" ] || rm -rf "$NSH_DIR"
	NSH_DIR=""
}

# nsh IDX COMMAND: the shell COMMAND (a string) in VF IDX's namespace; its output
# (stdout and stderr) here, its exit status returned. The end of the output is marked
# with a tag of this call, so what an earlier caller left unread is skipped; callers
# read the whole output all the same (parse $(nsh ...), not a pipe they may close).
nsh()
{
	local i=$1 l tag="@@nsh-$BASHPID-$RANDOM"

	[ -n "${NSH_IN[i]}" ] || { echo "no shell in ${NS[i]}"; return 1; }
	printf '{ %s\n} </dev/null 2>&1; r=$?; echo; echo "%s $r"\n' "$2" "$tag" >&"${NSH_IN[i]}"
	# a bounded wait: a command that hangs fails its case, not the whole run
	while IFS= read -r -t 120 l <&"${NSH_OUT[i]}"; do
		if [[ $l == "$tag "* ]]; then
			return "${l#"$tag "}"
		fi
		[[ -z $l || $l == @@nsh-* ]] || printf '%s\n' "$l"
	done
	return 1
}

# et IDX OPTION [ARG...]: ethtool OPTION DEV ARG... for VF IDX, in its namespace
et()
{
	local i=$1 o=$2

	shift 2
	nsh "$i" "ethtool $o ${DEV[i]} $*"
}

# rings IDX: "RX/TX", the ring lengths ethtool -g shows as current
rings()
{
	local k v out rx="" cur=""

	out=$(et "$1" -g) || return 1
	while read -r k v; do
		[ "$k" != Current ] || cur=1
		[ -n "$cur" ] || continue
		case $k in
		RX:) rx=$v ;;
		TX:) echo "$rx/$v"; return 0 ;;
		esac
	done <<<"$out"
	return 1
}

# channels IDX: "MAX NOW", the combined channels ethtool -l shows
channels()
{
	local l out max=""

	out=$(et "$1" -l) || return 1
	while read -r l; do
		[[ $l == Combined:* ]] || continue
		if [ -z "$max" ]; then
			max=${l##*[[:space:]]}
		else
			echo "$max ${l##*[[:space:]]}"
			return 0
		fi
	done <<<"$out"
	return 1
}

# mask N: the queue bitmap of N queues, as the switch's debugfs prints it
mask()
{
	printf '0x%x\n' $(((1 << $1) - 1))
}

# hw_queues_are IDX N [LEN]: the switch has VF IDX's queues 0..N-1 enabled (rx and tx)
# and no other, each rx ring with LEN descriptors
hw_queues_are()
{
	local f q len en

	f="$(hw_dbg "$PF" "$1")/queues"
	[ "$(_stat_of "$f" rxq_enabled)" = "$(mask "$2")" ] &&
		[ "$(_stat_of "$f" txq_enabled)" = "$(mask "$2")" ] || return 1
	[ -n "${3:-}" ] || return 0
	slurp "$f"
	while read -r q _ len _ _ _ en _; do
		[[ $q == q* && $en == 1 ]] || continue
		[ "$len" = "$3" ] || return 1
	done <<<"$SLURP"
}

hw_queues_show()
{
	head -n 2 "$(hw_dbg "$PF" "$1")/queues" | tr '\n' ' '
	grep ' enabled 1 ' "$(hw_dbg "$PF" "$1")/queues" | head -n 4 | tr '\n' ' '
}

# es_snap IDX: ethtool -S of VF IDX into ES[name]=value
declare -A ES
es_snap()
{
	local k v out

	ES=()
	out=$(et "$1" -S) || return 1
	while read -r k v; do
		[ -z "$v" ] || ES[${k%:}]=$v
	done <<<"$out"
	[ ${#ES[@]} -gt 0 ]
}

# es_sum REGEX: the sum of the ES counters whose names match
es_sum()
{
	local k n=0

	for k in "${!ES[@]}"; do
		[[ ! $k =~ $1 ]] || n=$((n + ES[$k]))
	done
	echo "$n"
}

# dev_stat IDX NAME: a counter of VF IDX's netdev
dev_stat()
{
	nsh "$1" "echo \$(</sys/class/net/${DEV[$1]}/statistics/$2)"
}

# Untagged IPv6 between the VFs: 2001:db8:e7::1 (VF 0) and ::2 (VF 1), permanent
# neighbours
plain_addr()
{
	echo "2001:db8:e7::$1"
}

plain_l3()
{
	local i

	for i in 0 1; do
		ip -n "${NS[i]}" -6 addr replace "$(plain_addr $((i + 1)))/64" dev "${DEV[i]}" \
			nodad || fail "cannot address VF $i" || return 1
	done
}

# ping_once IDX: one ping from VF IDX to the other, untagged (the neighbour set again:
# going down flushes it)
ping_once()
{
	local o=$((1 - $1))

	nsh "$1" "ip -6 neigh replace $(plain_addr $((o + 1))) lladdr ${MAC[o]} nud permanent \
		dev ${DEV[$1]}; ping -6 -q -c 1 -W 1 $(plain_addr $((o + 1))) >/dev/null"
}

# plain_ping IDX: VF IDX reaches the other VF within VLAN_PING_WAIT
plain_ping()
{
	wait_for "$VLAN_PING_WAIT" ping_once "$1" >/dev/null ||
		fail "VF $1 does not reach VF $((1 - $1)) within ${VLAN_PING_WAIT}s"
}

plain_ping_both()
{
	plain_ping 0 && plain_ping 1
}

# pings IDX N [ARG...]: N pings from VF IDX to the other, 10 ms apart, all answered
pings()
{
	local i=$1 n=$2 out

	shift 2
	out=$(nsh "$i" "ping -6 -q -c $n -i 0.01 -W 2 $* $(plain_addr $((2 - i)))") ||
		fail "pings from VF $i: $(echo "$out" | tail -n 2)" || return 1
	echo "$out" | grep -E 'packets transmitted'
}

# carrier IDX [!=]: VF IDX's netdev has carrier and its operstate says so (with !=,
# not), read by builtins in its namespace's shell
carrier()
{
	local f=/sys/class/net/${DEV[$1]}

	nsh "$1" "{ [ \"\$(<$f/carrier)/\$(<$f/operstate)\" ${2:-=} 1/up ]; } 2>/dev/null"
}

# vf_back IDX: VF IDX up with carrier again (after its queues were reconfigured)
vf_back()
{
	wait_for 30 carrier "$1" || fail "VF $1: no carrier"
}

# eth_restore: what RESTORE names back to its default: the MTU of both VFs, VF 1's
# rx offloads, the rest of VF 0
eth_restore()
{
	local i rc=0

	if [[ $RESTORE == *mtu* ]]; then
		for i in 0 1; do
			ip -n "${NS[i]}" link set dev "${DEV[i]}" mtu 1500 || rc=1
		done
	fi
	if [[ $RESTORE == *rate* ]]; then
		ip link set dev "$PFDEV" vf 0 max_tx_rate 0 || rc=1
	fi
	if [[ $RESTORE == *rings* ]]; then
		et 0 -G rx "$RING_DEFAULT" tx "$RING_DEFAULT" || rc=1
	fi
	if [[ $RESTORE == *rss* ]]; then
		et 0 -X default || rc=1
	fi
	if [[ $RESTORE == *channels* ]]; then
		et 0 -L combined "$CH_DEFAULT" || rc=1
	fi
	if [[ $RESTORE == *offloads* ]]; then
		et 1 -K rx on rx-gro-hw on || rc=1
	fi
	if [[ $RESTORE == *vlan* ]]; then
		for i in 0 1; do
			vlan_del "${NS[i]}" "${DEV[i]}" 100 >/dev/null
			et "$i" -K rxvlan on txvlan on || rc=1
		done
	fi
	if [[ $RESTORE == *msglvl* ]]; then
		et 0 -s msglvl "$MSG_DEFAULT" || rc=1
		host_defaults	# link-state auto
	fi
	[ "$rc" = 0 ] || echo "cleanup: cannot restore $RESTORE"
	RESTORE=""
	return "$rc"
}

# eth_case FN: run FN with both VFs up (and addressed since setup), then put back
# what it changed. Lighter than vcase, whose VLAN checks these cases do not need:
# they are about queues, which the VLAN suites prove apart. Every exec counts under
# TCG, so each case restores only what it names in RESTORE.
eth_case()
{
	local rc

	vf_ensure 0 && vf_ensure 1 || return 1
	RESTORE=""
	"$@"
	rc=$?
	eth_restore || rc=1
	return "$rc"
}

# ecase NAME FUNCTION: one KTAP case; ETHTOOL_CASES=REGEX runs only the cases whose
# names match, the others are reported as skipped
ecase()
{
	local name=$1

	shift
	case_skipped "$name" || run_test "$name" eth_case "$@"
}

# -i: the driver, its version (the module's, as modinfo reads it), the VF's PCI address
test_drvinfo()
{
	local out drv ver bus mver

	out=$(et 0 -i) || fail "ethtool -i failed" || return 1
	echo "$out" | head -n 5
	drv=$(echo "$out" | sed -n 's/^driver: //p')
	ver=$(echo "$out" | sed -n 's/^version: //p')
	bus=$(echo "$out" | sed -n 's/^bus-info: //p')
	[ "$drv" = simnic_vf ] || fail "driver '$drv'" || return 1
	mver=$(modinfo -F version simnic_vf)
	[ -n "$ver" ] && [ "$ver" = "$mver" ] ||
		fail "version '$ver', the module's is '$mver'" || return 1
	[ "$bus" = "${VFP[0]}" ] || fail "bus-info '$bus', the VF is ${VFP[0]}" || return 1
	plain_ping_both
}

# -G on a running VF: the switch's rx rings take the new length, traffic passes; on a
# VF that is down, the length is used when it comes up
test_rings()
{
	local n r

	RESTORE=rings
	n=$CH_DEFAULT
	r=$(rings 0)
	[ "$r" = "$RING_DEFAULT/$RING_DEFAULT" ] || fail "default rings $r" || return 1
	hw_queues_are 0 "$n" "$RING_DEFAULT" || fail "switch: $(hw_queues_show 0)" || return 1
	et 0 -G rx 128 tx 256 || fail "-G rx 128 tx 256 refused" || return 1
	r=$(rings 0)
	[ "$r" = 128/256 ] || fail "-g shows $r" || return 1
	wait_for 10 hw_queues_are 0 "$n" 128 || fail "switch: $(hw_queues_show 0)" || return 1
	echo "running, rx 128: $(hw_queues_show 0)"
	vf_back 0 && plain_ping_both || return 1
	# down: stored, used at the next up
	vf_down 0 && wait_for 10 hw_queues_are 0 0 || fail "queues stay enabled when down" ||
		return 1
	et 0 -G rx "$RING_MIN" tx "$RING_MAX" || fail "-G rx $RING_MIN tx $RING_MAX refused while down" ||
		return 1
	vf_up 0 && wait_for 10 hw_queues_are 0 "$n" "$RING_MIN" ||
		fail "after up, switch: $(hw_queues_show 0)" || return 1
	echo "down, rx $RING_MIN, up: $(hw_queues_show 0)"
	plain_ping_both
}

# txq_of IDX Q: VF IDX's tx ring Q as the switch has it, in TXQ_LEN (descriptors),
# TXQ_USED (in use now) and TXQ_PEAK (most in use at once since configured)
txq_of()
{
	local q len used peak

	slurp "$(hw_dbg "$PF" "$1")/queues"
	while read -r q _ len _ _ _ used _ peak _; do
		[ "$q" = "txq$2" ] || continue
		TXQ_LEN=$len TXQ_USED=$used TXQ_PEAK=$peak
		return 0
	done <<<"$SLURP"
	return 1
}

# qdisc_drops IDX: what VF IDX's root qdisc dropped so far, in DROPS
qdisc_drops()
{
	local out

	out=$(nsh "$1" "tc -s qdisc show dev ${DEV[$1]}") || return 1
	[[ $out =~ \(dropped\ ([0-9]+), ]] || fail "tc -s qdisc: $out" || return 1
	DROPS=${BASH_REMATCH[1]}
}

# tx_ring_fill LEN: with one queue pair and a tx ring of LEN, 2 s of UDP from VF 0
# to VF 1 under a 1 Mb/s max_tx_rate (the debug kernel's sender, beside another
# guest, offers under 3 Mb/s). The rate holds frames in the ring; VF 0 stops
# its queue when fewer than 18 descriptors (the largest frame's) are free, the qdisc
# holds what comes meanwhile, and the socket's send buffer holds the sender back.
# Every datagram sent arrives but for what the qdisc dropped (fq_codel drops what
# waits too long). Sets STOPPED and BUSY (ethtool -S, what the run added) and
# TXQ_PEAK.
tx_ring_fill()
{
	local len=$1 r0 n st0 bu0 dr0

	et 0 -G tx "$len" || fail "-G tx $len refused" || return 1
	wait_for 10 eval 'txq_of 0 0 && [ "$TXQ_LEN" = "$len" ]' ||
		fail "the switch's tx ring 0 has ${TXQ_LEN:-no} descriptors, not $len" || return 1
	vf_back 0 && plain_ping_both || return 1
	es_snap 0 && qdisc_drops 0 || return 1
	st0=${ES[tx_stopped]} bu0=${ES[tx_busy]} dr0=$DROPS
	hw_stat_get "$PF" 1 rx_packets && r0=$STAT || return 1
	read -r n _ < <(nsh 0 "$dir/udp_blast.py $(plain_addr 2) 2") || return 1
	[ "${n:-0}" -gt 0 ] || fail "nothing sent" || return 1
	# the ring and the qdisc drain at the rate: all but the qdisc's drops arrive, and
	# the ring's descriptors all come back
	wait_for 30 eval 'qdisc_drops 0 && hw_stat_get "$PF" 1 rx_packets &&
			  [ $((STAT - r0 + DROPS - dr0)) -ge "$n" ]' ||
		fail "$((STAT - r0)) of $n datagrams arrived, $((DROPS - dr0)) dropped by the" \
		     "qdisc" || return 1
	wait_for 10 eval 'txq_of 0 0 && [ "$TXQ_USED" = 0 ]' ||
		fail "$TXQ_USED descriptors still in use" || return 1
	es_snap 0 || return 1
	STOPPED=$((ES[tx_stopped] - st0)) BUSY=$((ES[tx_busy] - bu0))
	echo "tx ring of $len: $n datagrams sent, $((STAT - r0)) arrived, $((DROPS - dr0))" \
	     "dropped by the qdisc; at most $TXQ_PEAK descriptors in use; the queue stopped" \
	     "$STOPPED times, $BUSY frames busy"
	[ "$BUSY" = 0 ] || fail "$BUSY frames found the ring full: the queue stopped late"
}

# -G tx: the length of the tx rings, which the rate fills: at most that many
# descriptors in use, the queue stopped in time; a longer ring holds more
test_tx_ring()
{
	RESTORE="channels rings rate"
	et 0 -L combined 1 || fail "-L combined 1 refused" || return 1
	ip link set dev "$PFDEV" vf 0 max_tx_rate 1 || fail "max_tx_rate 1 refused" || return 1
	tx_ring_fill "$RING_MIN" || return 1
	[ "$TXQ_PEAK" -le "$RING_MIN" ] && [ "$TXQ_PEAK" -gt $((RING_MIN - 18)) ] ||
		fail "$TXQ_PEAK descriptors in use at most, not $((RING_MIN - 17)) to $RING_MIN" ||
		return 1
	[ "$STOPPED" -gt 0 ] || fail "the queue never stopped" || return 1
	tx_ring_fill "$RING_DEFAULT" || return 1
	[ "$TXQ_PEAK" -gt "$RING_MIN" ] ||
		fail "$TXQ_PEAK descriptors in use at most: the longer ring held no more" || return 1
}

# An FLR while the rate holds frames in the ring: the PF's queue disable flushes
# them (the switch counts them dropped) and completes their descriptors; the VF's
# count of its ring starts afresh, so the ring fills and drains after as before
test_tx_ring_flr()
{
	local dr0 used

	RESTORE="channels rings rate"
	et 0 -L combined 1 || fail "-L combined 1 refused" || return 1
	ip link set dev "$PFDEV" vf 0 max_tx_rate 1 || fail "max_tx_rate 1 refused" || return 1
	et 0 -G tx "$RING_MIN" || fail "-G tx $RING_MIN refused" || return 1
	wait_for 10 eval 'txq_of 0 0 && [ "$TXQ_LEN" = "$RING_MIN" ]' ||
		fail "the switch's tx ring 0 has ${TXQ_LEN:-no} descriptors" || return 1
	vf_back 0 && plain_ping_both || return 1
	hw_stat_get "$PF" 0 tx_dropped && dr0=$STAT || return 1
	nsh 0 "$dir/udp_blast.py $(plain_addr 2) 3 >/dev/null &" || return 1
	# more than a frame's worst case held: the rate is what empties the ring
	if ! wait_for 10 eval 'txq_of 0 0 && [ "$TXQ_USED" -gt 18 ]'; then
		nsh 0 wait
		fail "the ring never held more than ${TXQ_USED:-no} descriptors" || return 1
	fi
	used=$TXQ_USED
	echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" || fail "VF 0's FLR refused" || return 1
	nsh 0 wait || return 1
	wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" && vf_back 0 || return 1
	hw_stat_get "$PF" 0 tx_dropped || return 1
	echo "$used descriptors in use at the FLR; the switch dropped $((STAT - dr0)) frames"
	[ "$STAT" -gt "$dr0" ] || fail "the FLR dropped nothing the ring held" || return 1
	tx_ring_fill "$RING_MIN" || return 1
	[ "$STOPPED" -gt 0 ] || fail "the queue never stopped after the FLR"
}

# Below the minimum and above the maximum: refused (below with the driver's message),
# nothing changes in ethtool -g or in the switch
test_rings_bad()
{
	local out v r

	for v in "rx $((RING_MIN - 1))" "tx 0" "rx $((RING_MAX + 1))"; do
		# shellcheck disable=SC2086
		if out=$(et 0 -G $v 2>&1); then
			RESTORE=rings
			fail "-G $v accepted" || return 1
		fi
		echo "-G $v: $(echo "$out" | head -n 1)"
		[[ $v == *$((RING_MAX + 1)) ]] || [[ $out == *"at least $RING_MIN descriptors"* ]] ||
			fail "no message naming the minimum" || return 1
	done
	r=$(rings 0)
	[ "$r" = "$RING_DEFAULT/$RING_DEFAULT" ] || fail "-g shows $r" || return 1
	hw_queues_are 0 "$CH_DEFAULT" "$RING_DEFAULT" || fail "switch: $(hw_queues_show 0)" ||
		return 1
	plain_ping_both
}

# -L combined 1: the switch enables queue 0 only, and every frame VF 0 sends and gets
# is on ring 0; -L combined max: the switch enables them all, traffic passes
test_channels()
{
	local max now q rest

	RESTORE=channels
	read -r max now < <(channels 0) || fail "no ethtool -l" || return 1
	echo "max combined $max, now $now"
	[ "$max" = 4 ] || fail "max combined $max, the PF grants 4 (vf_queues)" || return 1
	et 0 -L combined 1 || fail "-L combined 1 refused" || return 1
	read -r _ now < <(channels 0)
	[ "$now" = 1 ] || fail "-l shows $now" || return 1
	wait_for 10 hw_queues_are 0 1 || fail "switch: $(hw_queues_show 0)" || return 1
	vf_back 0 && plain_ping 0 || return 1
	es_snap 0 || return 1
	rest=$(es_sum '^(tx|rx)-[1-9][0-9]*\.packets$')
	q=$(es_sum '^tx-0\.packets$')
	pings 0 20 || return 1
	es_snap 0 || return 1
	echo "ring 0 tx +$(($(es_sum '^tx-0\.packets$') - q)), rings 1-: $rest -> $(es_sum '^(tx|rx)-[1-9][0-9]*\.packets$')"
	[ $(($(es_sum '^tx-0\.packets$') - q)) -ge 20 ] || fail "ring 0 did not send the pings" ||
		return 1
	[ "$(es_sum '^(tx|rx)-[1-9][0-9]*\.packets$')" = "$rest" ] ||
		fail "rings other than 0 moved with one channel" || return 1
	et 0 -L combined "$max" || fail "-L combined $max refused" || return 1
	wait_for 10 hw_queues_are 0 "$max" || fail "switch: $(hw_queues_show 0)" || return 1
	echo "combined $max: $(hw_queues_show 0)"
	vf_back 0 && plain_ping_both && pings 0 20
}

# -L combined 0, above the max, rx-only: refused, nothing changes
test_channels_bad()
{
	local ch v

	ch=$(channels 0) || return 1
	for v in "combined 0" "combined $((${ch% *} + 1))" "rx 1"; do
		# shellcheck disable=SC2086
		if et 0 -L $v 2>/dev/null; then
			RESTORE=channels
			fail "-L $v accepted" || return 1
		fi
	done
	[ "$(channels 0)" = "$ch" ] || fail "-l shows $(channels 0), was $ch" || return 1
	hw_queues_are 0 "$CH_DEFAULT" || fail "switch: $(hw_queues_show 0)" || return 1
	plain_ping_both
}

# -S: after N pings the PF's counters of VF 0 grew by N or more, as the switch counts,
# broadcast and multicast by kind, and nothing the switch never counts is shown; the
# rings' counters add up to the netdev's (read between two ethtool -S)
test_stats()
{
	local n=50 tu ru t1 t2 nt r1 r2 nr bc mc

	plain_ping_both || return 1
	es_snap 0 || fail "no ethtool -S" || return 1
	[ -n "${ES[tx_unicast]:-}" ] && [ -n "${ES[rx_unicast]:-}" ] &&
		[ -n "${ES[tx-0.packets]:-}" ] || fail "ethtool -S lacks counters" || return 1
	tu=${ES[tx_unicast]}
	ru=${ES[rx_unicast]}
	pings 0 "$n" || return 1
	es_snap 0 || return 1
	echo "PF's counters: tx_unicast +$((ES[tx_unicast] - tu)), rx_unicast +$((ES[rx_unicast] - ru)) after $n pings"
	[ $((ES[tx_unicast] - tu)) -ge "$n" ] && [ $((ES[rx_unicast] - ru)) -ge "$n" ] ||
		fail "the PF's counters grew by less than $n" || return 1
	[ "${ES[tx_unicast]}" -le "$(hw_stat "$PF" 0 tx_packets)" ] ||
		fail "tx_unicast ${ES[tx_unicast]} above the switch's tx_packets" || return 1
	# broadcast and multicast by kind: 2 broadcast frames and 1 multicast one
	bc=${ES[tx_broadcast]} mc=${ES[tx_multicast]}
	probe "ff:ff:ff:ff:ff:ff/${MAC[0]}/b1" "ff:ff:ff:ff:ff:ff/${MAC[0]}/b2" \
		"01:00:5e:7f:00:01/${MAC[0]}/m1" || return 1
	es_snap 0 || return 1
	echo "tx_broadcast +$((ES[tx_broadcast] - bc)), tx_multicast +$((ES[tx_multicast] - mc))"
	[ $((ES[tx_broadcast] - bc)) -ge 2 ] && [ $((ES[tx_multicast] - mc)) -ge 1 ] ||
		fail "broadcast or multicast sent not counted by kind" || return 1
	[ -z "${ES[rx_unknown_protocol]:-}" ] && [ -z "${ES[tx_errors]:-}" ] ||
		fail "counters the switch never counts are shown" || return 1
	t1=$(es_sum '^tx-[0-9]+\.packets$')
	r1=$(es_sum '^rx-[0-9]+\.packets$')
	nt=$(dev_stat 0 tx_packets) && nr=$(dev_stat 0 rx_packets) || return 1
	es_snap 0 || return 1
	t2=$(es_sum '^tx-[0-9]+\.packets$')
	r2=$(es_sum '^rx-[0-9]+\.packets$')
	echo "rings tx $t1..$t2 netdev $nt; rings rx $r1..$r2 netdev $nr"
	[ "$t1" -le "$nt" ] && [ "$nt" -le "$t2" ] && [ "$r1" -le "$nr" ] && [ "$nr" -le "$r2" ] ||
		fail "the rings' counters do not add up to the netdev's"
}

# rss_x: VF 0's RSS table and key as ethtool -x shows them, in RSS_LUT (entries,
# space-separated) and RSS_KEY (hex, no colons)
rss_x()
{
	local out l in=""

	RSS_X=$(et 0 -x) || return 1
	out=$RSS_X
	RSS_LUT="" RSS_KEY=""
	while read -r l; do
		case $in/$l in
		*/*indirection\ table*) in=lut ;;
		*/RSS\ hash\ key:) in=key ;;
		*/RSS\ hash\ function:*) in="" ;;
		lut/[0-9]*:*) RSS_LUT+=" ${l#*:}" ;;
		key/*:*) RSS_KEY=${l//:/} ;;
		esac
	done <<<"$out"
	read -ra l <<<"$RSS_LUT"
	RSS_LUT=${l[*]}
	[ ${#l[@]} = 64 ] && [ ${#RSS_KEY} = 104 ]
}

# rss_hw_is LUT [KEY]: the switch has VF 0's table LUT (and key KEY)
rss_hw_is()
{
	slurp "$(hw_dbg "$PF" 0)/rss"
	[[ $SLURP == "key "*$'\n'"lut $1"$'\n' ]] &&
		{ [ -z "${2:-}" ] || [[ $SLURP == "key $2"$'\n'* ]]; }
}

# rx_rings: VF 0's rx-N.packets, space-separated, in RX
rx_rings()
{
	local q

	es_snap 0 || return 1
	RX=""
	for ((q = 0; q < CH_DEFAULT; q++)); do
		RX+="${ES[rx-$q.packets]:-0} "
	done
}

# flows N P: P datagrams on each of N flows from VF 1 to VF 0; each rx ring of VF 0
# must take what the Toeplitz hash of the switch's key and table (computed apart, by
# rss_flows.py) sends it, and no other frame
flows()
{
	local before exp q n got lut re

	rx_rings || return 1
	read -ra before <<<"$RX"
	# the namespace's shell has no debugfs: the switch's key and table as arguments
	slurp "$(hw_dbg "$PF" 0)/rss"
	re=$'^key ([0-9a-f]+)\nlut ([0-9 ]+)\n$'
	[[ $SLURP =~ $re ]] ||
		fail "the switch has ${SLURP:-no table}" || return 1
	lut=${BASH_REMATCH[2]}
	exp=$(nsh 1 "$dir/rss_flows.py ${BASH_REMATCH[1]} ${lut// /,} $(plain_addr 2) \
		$(plain_addr 1) $1 $2") || fail "rss_flows.py: $exp" || return 1
	declare -A want=()
	while read -r q n; do
		want[$q]=$n
	done <<<"$exp"
	rx_rings || return 1
	read -ra got <<<"$RX"
	for ((q = 0; q < CH_DEFAULT; q++)); do
		n=$((got[q] - before[q]))
		echo "ring $q: ${want[$q]:-0} expected, +$n"
		[ "$n" = "${want[$q]:-0}" ] || fail "ring $q took $n frames" || return 1
	done
}

# -x, -X: the table spread over the channels (2 on 2 CPUs) and the key the switch has;
# a table that sends every flow to ring 1, then one over 2 rings with a key of ours, each frame on
# the ring the Toeplitz hash names; a hash function other than Toeplitz refused; the
# channels not below what the table names; an FLR keeps both; default follows -L
test_rss()
{
	local i lut="" key k out w

	RESTORE=rss
	plain_ping_both || return 1
	rss_x || fail "ethtool -x: no 64-entry table and 52-byte key: $RSS_X" || return 1
	for ((i = 0; i < 64; i++)); do
		lut+="$((i % CH_DEFAULT)) "
	done
	[ "$RSS_LUT" = "${lut% }" ] || fail "table $RSS_LUT" || return 1
	wait_for 10 rss_hw_is "$RSS_LUT" "$RSS_KEY" ||
		fail "the switch has ${SLURP:-no table}, ethtool -x $RSS_LUT" || return 1
	echo "default: key ${RSS_KEY:0:16}..., table spread over $CH_DEFAULT rings"

	[ "$CH_DEFAULT" -ge 2 ] || fail "VF 0 has $CH_DEFAULT channel" || return 1
	w="0 1"
	for ((i = 2; i < CH_DEFAULT; i++)); do
		w+=" 0"
	done
	et 0 -X weight "$w" || fail "-X weight $w refused" || return 1
	lut=""
	for ((i = 0; i < 64; i++)); do
		lut+="1 "
	done
	wait_for 10 rss_hw_is "${lut% }" || fail "the switch has $SLURP" || return 1
	flows 8 5 || return 1

	key=""
	for ((i = 0; i < 52; i++)); do
		printf -v k '%02x' $(((i * 37 + 11) & 255))
		key+=":$k"
	done
	et 0 -X equal 2 hkey "${key#:}" || fail "-X equal 2 hkey refused" || return 1
	rss_x && [ "$RSS_KEY" = "${key//:/}" ] || fail "ethtool -x key $RSS_KEY" || return 1
	wait_for 10 rss_hw_is "$RSS_LUT" "$RSS_KEY" || fail "the switch has $SLURP" || return 1
	flows 16 3 || return 1

	out=$(et 0 -X hfunc xor 2>&1) && fail "-X hfunc xor accepted" && return 1
	echo "hfunc xor: $(echo "$out" | tail -n 1)"
	et 0 -L combined 1 2>/dev/null && RESTORE+=" channels" &&
		fail "-L combined 1 accepted under a table naming ring 1" && return 1

	echo 1 >"/sys/bus/pci/devices/${VFP[0]}/reset" || fail "VF 0's FLR refused" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" && vf_back 0 || return 1
	wait_for 10 rss_hw_is "$RSS_LUT" "$RSS_KEY" ||
		fail "after an FLR the switch has ${SLURP:-no table}" || return 1
	echo "after an FLR: the same key and table"

	et 0 -X default && RESTORE=channels && et 0 -L combined 2 ||
		fail "-X default, -L combined 2 refused" || return 1
	lut=""
	for ((i = 0; i < 64; i++)); do
		lut+="$((i % 2)) "
	done
	wait_for 10 rss_hw_is "${lut% }" "$RSS_KEY" || fail "the switch has $SLURP" || return 1
	vf_back 0 && plain_ping_both
}

# -k: VLAN filtering on and fixed, tag stripping and insertion on and the user's to
# turn off: what was negotiated (VLAN V2, whose caps offer both with TOGGLE). That the
# switch filters as the VF asks is vlan_state.sh's to prove.
test_features()
{
	local out f

	out=$(et 0 -k) || return 1
	for f in "rx-vlan-filter: on [fixed]" "rx-vlan-offload: on" "tx-vlan-offload: on"; do
		echo "$out" | grep -qxF "$f" || fail "ethtool -k: no '$f'" || return 1
		echo "$f"
	done
	vf_proto_is "${VFP[0]}" v2 || fail "VLAN protocol $(cat "$(vf_dbg "${VFP[0]}")/vlan_proto")"
}

# hw_vlan_offload IDX STRIP INSERT: the switch strips and inserts VF IDX's tags as
# told (1/0)
hw_vlan_offload()
{
	local k v s="" i=""

	slurp "$(hw_dbg "$PF" "$1")/stats"
	while read -r k v; do
		case $k in
		vlan_strip) s=$v ;;
		vlan_insert) i=$v ;;
		esac
	done <<<"$SLURP"
	[ "$s/$i" = "$2/$3" ]
}

# vlan_tags IDX: VF IDX's tags inserted and stripped by the switch, in INS and STR
vlan_tags()
{
	hw_stat_get "$PF" "$1" tx_vlan_inserted && INS=$STAT &&
		hw_stat_get "$PF" "$1" rx_vlan_stripped && STR=$STAT
}

# vlan_pings N ON: N pings from VF 0 to VF 1 over VLAN 100, all answered; the switch
# inserted VF 0's tags and stripped VF 1's (and back) if ON is 1, none if 0
vlan_pings()
{
	local n=$1 on=$2 i0 s0 i1 s1 out

	vlan_tags 0 && i0=$INS s0=$STR && vlan_tags 1 && i1=$INS s1=$STR || return 1
	out=$(nsh 0 "ping -6 -q -c $n -i 0.01 -W 2 $(vlan_addr 100 2)") ||
		fail "pings over VLAN 100: $(echo "$out" | tail -n 2)" || return 1
	vlan_tags 0 && i0=$((INS - i0)) s0=$((STR - s0)) || return 1
	vlan_tags 1 && i1=$((INS - i1)) s1=$((STR - s1)) || return 1
	echo "$n pings over VLAN 100, offloads $on: VF 0 $i0 tags inserted, $s0 stripped;" \
	     "VF 1 $i1 inserted, $s1 stripped"
	if [ "$on" = 1 ]; then
		[ "$i0" -ge "$n" ] && [ "$s1" -ge "$n" ] && [ "$i1" -ge "$n" ] &&
			[ "$s0" -ge "$n" ] || fail "the switch did not strip and insert them"
	else
		[ "$i0$s0$i1$s1" = 0000 ] || fail "tags offloaded with the offloads off"
	fi
}

# -K rxvlan/txvlan: on, the switch inserts what VLAN devices send and strips what
# they get, and pings pass; off, the VFs tag in software, the switch offloads
# nothing, and pings pass all the same
test_vlan_offloads()
{
	local i

	RESTORE=vlan
	for i in 0 1; do
		vlan_add "${NS[i]}" "${DEV[i]}" 100 && vlan_l3 "${NS[i]}" "${DEV[i]}" 100 $((i + 1)) &&
			ipq "${NS[i]}" neigh replace "$(vlan_addr 100 $((2 - i)))" \
				lladdr "${MAC[1 - i]}" nud permanent dev "${DEV[i]:0:10}.100" ||
			return 1
		wait_for 10 hw_vlan_offload "$i" 1 1 || fail "VF $i: the switch offloads nothing" ||
			return 1
	done
	wait_for "$VLAN_PING_WAIT" nsh 0 "ping -6 -q -c 1 -W 1 $(vlan_addr 100 2) >/dev/null" ||
		fail "no answer over VLAN 100" || return 1
	vlan_pings 20 1 || return 1
	for i in 0 1; do
		et "$i" -K rxvlan off txvlan off || fail "VF $i: -K rxvlan off txvlan off refused" ||
			return 1
		wait_for 10 hw_vlan_offload "$i" 0 0 || fail "VF $i: the switch still offloads" ||
			return 1
	done
	vlan_pings 20 0
}

# frames_segs: what VF 1 received, in FRAMES (its rings' frames, ethtool -S) and SEGS
# (the frames the wire would carry, the switch's count)
frames_segs()
{
	local k v

	es_snap 1 || return 1
	FRAMES=$(es_sum '^rx-[0-9]+\.packets$')
	SEGS=""
	slurp "$(hw_dbg "$PF" 1)/stats"
	while read -r k v; do
		[ "$k" != rx_packets ] || SEGS=$v
	done <<<"$SLURP"
	[ -n "$SEGS" ]
}

# stream WHOLE|SEGMENTED: 4 MiB over TCP from VF 0 to VF 1 arrive intact (the digests
# of what was sent and what arrived agree). WHOLE: VF 1 took fewer frames than the
# wire's, its rings got TSO frames whole; SEGMENTED: as many, the switch segmented.
stream()
{
	local out=/tmp/$TAG-stream f0 s0 sent got df ds

	rm -f "$out"
	frames_segs || return 1
	f0=$FRAMES s0=$SEGS
	nsh 1 "$dir/tcp_stream.py listen $(plain_addr 2) 5001 >$out &" || return 1
	wait_for 10 grep -q listening "$out" || fail "no listener" || return 1
	sent=$(nsh 0 "$dir/tcp_stream.py send $(plain_addr 2) 5001 4194304") ||
		fail "send: $sent" || return 1
	wait_for 30 eval '[ "$(wc -l <"$out")" -ge 2 ]' || fail "nothing arrived" || return 1
	got=$(tail -n 1 "$out")
	echo "sent $sent, arrived $got"
	[ "$got" = "$sent" ] || fail "the stream arrived damaged or short" || return 1
	# a frame still on a ring is in the switch's count only: wait for the rings
	if [ "$1" = SEGMENTED ]; then
		wait_for 5 eval 'frames_segs && [ $((FRAMES - f0)) = $((SEGS - s0)) ]'
	else
		frames_segs
	fi || return 1
	df=$((FRAMES - f0)) ds=$((SEGS - s0))
	echo "$1: VF 1 took $df frames for $ds on the wire"
	if [ "$1" = SEGMENTED ]; then
		[ "$df" = "$ds" ] || fail "the switch did not segment"
	else
		[ $((df * 2)) -lt "$ds" ] || fail "TSO frames did not arrive whole"
	fi
}

# features FEATURE...: each line is in VF 1's ethtool -k
features()
{
	local out f

	out=$(et 1 -k) || return 1
	out=${out//$'\t'/}	# the features under a group are indented
	for f in "$@"; do
		grep -qxF "$f" <<<"$out" || fail "ethtool -k: no '$f'" || return 1
	done
}

# offloads: SG, checksum, TSO and rx-gro-hw on by default; TSO frames reach VF 1
# whole; with rx-gro-hw off the switch segments them; without rx-checksumming the
# core turns rx-gro-hw off too, and the stack verifies the checksums the switch filled
test_offloads()
{
	RESTORE=offloads
	features "scatter-gather: on" "tx-checksum-ip-generic: on" \
		 "tcp-segmentation-offload: on" "rx-checksumming: on" "rx-gro-hw: on" ||
		return 1
	plain_ping_both && stream WHOLE || return 1
	et 1 -K rx-gro-hw off || fail "rx-gro-hw off refused" || return 1
	features "rx-gro-hw: off" && vf_back 1 && plain_ping_both && stream SEGMENTED ||
		return 1
	et 1 -K rx off rx-gro-hw on || fail "rx off refused" || return 1
	features "rx-checksumming: off" "rx-gro-hw: off [requested on]" && vf_back 1 &&
		plain_ping_both && stream SEGMENTED
}

# link_msgs MARK: VF 0's link messages logged since MARK
link_msgs()
{
	kmsg_since "$1" | grep -E "simnic_vf ${VFP[0]} .*link (up|down)"
}

# flap MARK: the host takes VF 0's link down and back (VF 0 sees its carrier go and
# come)
flap()
{
	ip link set dev "$PFDEV" vf 0 state disable || return 1
	wait_for 10 carrier 0 != || fail "VF 0 kept its carrier" ||
		return 1
	ip link set dev "$PFDEV" vf 0 state auto || return 1
	vf_back 0
}

# msglvl: VF 0's message level, as ethtool shows it
msglvl()
{
	local out

	out=$(nsh 0 "ethtool ${DEV[0]}") &&
		[[ $out =~ Current\ message\ level:\ ([^ ]+) ]] && echo "${BASH_REMATCH[1]}"
}

# msglvl: link off silences VF 0's link messages, link on brings them back
test_msglevel()
{
	local m=$TAG-msg lvl

	RESTORE=msglvl
	lvl=$(msglvl)
	[ "$lvl" = "$MSG_DEFAULT" ] || fail "default message level '$lvl'" || return 1
	et 0 -s msglvl link off || fail "msglvl link off refused" || return 1
	lvl=$(msglvl)
	[ "$lvl" = 0x00000003 ] || fail "message level $lvl after link off" || return 1
	kmsg_mark "$m-off"
	flap || return 1
	! link_msgs "$m-off" || fail "link messages with msglvl link off" || return 1
	et 0 -s msglvl link on || fail "msglvl link on refused" || return 1
	kmsg_mark "$m-on"
	flap || return 1
	wait_for 5 eval 'link_msgs "$m-on" | grep -q "link up"' || fail "no link messages" ||
		return 1
	link_msgs "$m-on"
	link_msgs "$m-on" | grep -q "link down" || fail "no link down message"
}

# mtu 9000 on both VFs: 8000-byte pings that may not fragment pass the switch; a
# receiver back at 1500 gets no frame longer than that, and the drops are counted
test_mtu()
{
	local i b0 out o d

	RESTORE=mtu
	plain_ping_both || return 1
	if out=$(nsh 0 "ping -6 -c 1 -W 1 -s 8000 -M do $(plain_addr 2)"); then
		fail "an 8000-byte ping passed at MTU 1500" || return 1
	fi
	ip -n "$NS1" -d link show dev "${DEV[0]}" | grep -q "maxmtu 9000" ||
		fail "maxmtu is not the PF's 9000: $(ip -n "$NS1" -d link show dev "${DEV[0]}")" ||
		return 1
	for i in 0 1; do
		ip -n "${NS[i]}" link set dev "${DEV[i]}" mtu 9000 ||
			fail "VF $i: mtu 9000 refused" || return 1
	done
	vf_back 0 && vf_back 1 && plain_ping_both || return 1
	b0=$(hw_stat "$PF" 0 tx_bytes)
	pings 0 5 -s 8000 -M "do" || return 1
	echo "the switch carried $(($(hw_stat "$PF" 0 tx_bytes) - b0)) bytes from VF 0"
	[ $(($(hw_stat "$PF" 0 tx_bytes) - b0)) -ge $((5 * 8048)) ] ||
		fail "the switch did not carry 5 frames of 8000 bytes" || return 1
	pings 1 5 -s 8000 -M "do" || return 1
	# the receiver's MTU holds: back at 1500, VF 1's queues take no 3000-byte frame;
	# the switch drops them and counts them (rx_oversize; rx_discards in ethtool -S)
	ip -n "$NS2" link set dev "${DEV[1]}" mtu 1500 && vf_back 1 || return 1
	o=$(hw_stat "$PF" 1 rx_oversize) && es_snap 1 && d=${ES[rx_discards]} || return 1
	if out=$(nsh 0 "ping -6 -q -c 3 -i 0.2 -W 1 -s 3000 -M do $(plain_addr 2)"); then
		fail "3000-byte pings reached VF 1 at MTU 1500" || return 1
	fi
	es_snap 1 || return 1
	echo "VF 1 at MTU 1500: rx_oversize $o -> $(hw_stat "$PF" 1 rx_oversize), rx_discards $d -> ${ES[rx_discards]}"
	[ $(($(hw_stat "$PF" 1 rx_oversize) - o)) -ge 3 ] && [ $((ES[rx_discards] - d)) -ge 3 ] ||
		fail "the oversize frames were not counted" || return 1
	pings 0 3 -s 1400 -M "do"
}

# mtu 9001 and more: refused with the core's message, the MTU stays, traffic passes
test_mtu_bad()
{
	local out v

	RESTORE=mtu
	ip -n "$NS1" link set dev "${DEV[0]}" mtu 9000 || fail "mtu 9000 refused" || return 1
	for v in 9001 9710 65535; do
		if out=$(ip -n "$NS1" link set dev "${DEV[0]}" mtu "$v" 2>&1); then
			fail "mtu $v accepted" || return 1
		fi
		echo "mtu $v: $out"
		[[ $out == *"mtu greater than device maximum"* ]] || fail "no clear error" || return 1
	done
	[ "$(nsh 0 "echo \$(</sys/class/net/${DEV[0]}/mtu)")" = 9000 ] ||
		fail "the MTU changed" || return 1
	ip -n "$NS2" link set dev "${DEV[1]}" mtu 9000 &&
		vf_back 0 && vf_back 1 && plain_ping_both && pings 0 3 -s 8000 -M "do"
}

suite_begin "$NCASES"
trap 'nsh_stop; cleanup' EXIT
nsh_start || ktap_note "cannot start the namespaces' shells"
read -r _ CH_DEFAULT < <(channels 0)
plain_l3 || ktap_note "cannot address the VFs"
ecase "drvinfo: ethtool -i names the driver, its version and the PCI address" test_drvinfo
ecase "rings: -G sets the switch's rx rings, running or down, traffic passes" test_rings
ecase "rings: below the minimum or above the maximum refused, nothing changes" test_rings_bad
ecase "rings: -G tx bounds what the rate holds; a full ring stops the queue" test_tx_ring
ecase "rings: an FLR flushes what the rate holds; the queue passes traffic after" \
	test_tx_ring_flr
ecase "channels: -L combined 1 uses ring 0 only, the maximum all" test_channels
ecase "channels: 0, above the maximum and rx-only refused, nothing changes" test_channels_bad
ecase "rss: -x shows the table and key; -X sends each flow where Toeplitz says" test_rss
ecase "stats: -S has the PF's counters by kind and the rings', which add up" test_stats
ecase "features: -k shows VLAN filtering fixed on, VLAN tag offloads on" test_features
ecase "vlan offloads: the switch strips and inserts tags; -K off, the VF tags itself" \
	test_vlan_offloads
ecase "offloads: TSO frames arrive whole with rx-gro-hw, segmented without" test_offloads
ecase "msglvl: link off silences the link messages, link on brings them back" test_msglevel
ecase "mtu: 9000 passes 8000-byte pings; the receiver's MTU holds" test_mtu
ecase "mtu: above the PF's 9000 refused, nothing changes" test_mtu_bad
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
nsh_stop
run_test "unload: the modules unload" pair_unload
ktap_finish
