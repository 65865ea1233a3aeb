#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host's control plane, each setting proven by traffic: ip link set PF vf N mac,
# max_tx_rate/min_tx_rate, and the VF counters of ip -s link show PF. Bad values are
# refused with an error and change nothing. And the PF's defences against a hostile
# VF (played through the card's debugfs mbx_inject): messages outside the VF's
# allowlist or malformed are refused, a mailbox flood rate-limits the VF alone.
# HOST_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=host-$$
VLAN_CASES=${HOST_CASES:-}
NCASES=11
ADMIN_MAC=02:00:00:5a:00:01

# vf_mac_is IDX MAC: VF IDX's netdev has MAC
vf_mac_is()
{
	[ "$(dev_mac "${NS[$1]}" "${DEV[$1]}")" = "$2" ]
}

# pf_vf_mac IDX: the MAC the PF shows for VF IDX
pf_vf_mac()
{
	[[ $(vf_info "$1") =~ link/ether\ ([0-9a-f:]+) ]] && echo "${BASH_REMATCH[1]}"
}

# refused WHAT CMD...: CMD fails and VF 0's line in ip link show stays the same
refused()
{
	local what=$1 before

	shift
	before=$(vf_info 0)
	! "$@" 2>/dev/null || fail "$what accepted" || return 1
	[ "$(vf_info 0)" = "$before" ] || fail "$what changed VF 0: $(vf_info 0)"
}

# The host gives VF 0 a MAC: the VF takes it through a reset, the switch filters on it,
# and the VFs reach each other with it
test_mac()
{
	local before

	before=$(vf_stat "${VFP[0]}" recoveries) || return 1
	ip link set dev "$PFDEV" vf 0 mac "$ADMIN_MAC" || fail "mac refused" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" recoveries "$before" &&
		wait_for 10 vf_mac_is 0 "$ADMIN_MAC" ||
		fail "VF 0 has $(dev_mac "$NS1" "${DEV[0]}"), not $ADMIN_MAC" || return 1
	[ "$(pf_vf_mac 0)" = "$ADMIN_MAC" ] || fail "ip link shows $(pf_vf_mac 0)" || return 1
	grep -qx "$ADMIN_MAC" "$(hw_dbg "$PF" 0)/macs" ||
		fail "the switch filters on $(cat "$(hw_dbg "$PF" 0)/macs")" || return 1
	vf_up 0 && vf_ensure 0 && l3 100 && ping_both 100
}

# Multicast, a bad VF index: refused, nothing changes. Zero gives the VF a random MAC.
test_mac_bad()
{
	local m

	refused "a multicast MAC" ip link set dev "$PFDEV" vf 0 mac 01:00:5e:00:00:01 &&
		refused "VF 9 (of 2)" ip link set dev "$PFDEV" vf 9 mac "$ADMIN_MAC" || return 1
	ip link set dev "$PFDEV" vf 0 mac "$ADMIN_MAC" && wait_for 30 vf_mac_is 0 "$ADMIN_MAC" ||
		fail "the admin MAC did not come" || return 1
	ip link set dev "$PFDEV" vf 0 mac 00:00:00:00:00:00 || fail "zero refused" || return 1
	wait_for 30 eval '[ "$(pf_vf_mac 0)" != "$ADMIN_MAC" ]' || fail "zero kept the MAC" ||
		return 1
	m=$(pf_vf_mac 0)
	wait_for 30 vf_mac_is 0 "$m" || fail "VF 0 did not take $m" || return 1
	vf_up 0 && vf_ensure 0 && l3 100 && ping_both 100
}

# The VF changes its own MAC: the PF moves the switch's filter, and traffic follows
test_vf_mac()
{
	local new=02:00:00:5a:00:77 m

	# A MAC the host set (an earlier case may have) forbids an untrusted VF to change
	# its own: zero takes the host's claim back, and the VF gets a random MAC
	ip link set dev "$PFDEV" vf 0 mac 00:00:00:00:00:00 || fail "zero refused" || return 1
	wait_for 30 eval '[ "$(pf_vf_mac 0)" != "$ADMIN_MAC" ]' && m=$(pf_vf_mac 0) &&
		wait_for 30 vf_mac_is 0 "$m" && vf_up 0 || fail "VF 0 did not get a MAC of its own" ||
		return 1
	ip -n "$NS1" link set dev "${DEV[0]}" address "$new" || fail "VF 0 cannot change its MAC" ||
		return 1
	grep -qx "$new" "$(hw_dbg "$PF" 0)/macs" ||
		fail "the switch filters on $(cat "$(hw_dbg "$PF" 0)/macs")" || return 1
	[ "$(pf_vf_mac 0)" = "$new" ] || fail "ip link shows $(pf_vf_mac 0)" || return 1
	vf_ensure 0 && l3 100 && ping_both 100 || return 1
	# and it stays across a reset
	flr 0 && vf_mac_is 0 "$new" || fail "after an FLR VF 0 has $(dev_mac "$NS1" "${DEV[0]}")"
}

# With the host's MAC, an untrusted VF may not change it (a clear error, nothing
# changes); trusted, it may
test_vf_mac_admin()
{
	local new=02:00:00:5a:00:78 m=$TAG-admin out

	ip link set dev "$PFDEV" vf 0 mac "$ADMIN_MAC" && wait_for 30 vf_mac_is 0 "$ADMIN_MAC" &&
		vf_up 0 || fail "the admin MAC did not come" || return 1
	kmsg_mark "$m"
	if out=$(ip -n "$NS1" link set dev "${DEV[0]}" address "$new" 2>&1); then
		fail "an untrusted VF replaced the host's MAC" || return 1
	fi
	echo "refused: $out"
	vf_mac_is 0 "$ADMIN_MAC" && [ "$(pf_vf_mac 0)" = "$ADMIN_MAC" ] ||
		fail "the MAC changed anyway" || return 1
	kmsg_since "$m" | grep -q "the host set this VF's MAC; ask it for 'trust on'" ||
		fail "no message for the user" || return 1
	trust 0 on || return 1
	ip -n "$NS1" link set dev "${DEV[0]}" address "$new" ||
		fail "a trusted VF cannot change the MAC" || return 1
	[ "$(pf_vf_mac 0)" = "$new" ] && vf_ensure 0 && l3 100 && ping_both 100
}

# blast IDX SECONDS [GAP_MS [SNDBUF]]: udp_blast.py from VF IDX to the other VF over
# VLAN 100 for SECONDS; prints "DATAGRAMS MILLISECONDS IDLE". A guest's process pauses
# when its vCPU or the process is not running: under TCG beside another guest, for
# whole tens of milliseconds.
blast()
{
	ip netns exec "${NS[$1]}" "$dir/udp_blast.py" "2001:db8:100::$((2 - $1))" "$2" \
		"${3:-0}" "${4:-0}"
}

# max_tx_rate 1 Mb/s against a sender that offers more (the debug kernel's sender,
# beside another guest, offers under 3 Mb/s): what the switch lets through (tx_bytes,
# counted as frames leave the tx ring) over the sending time is the rate, within
# [0.8, 1.1] of the limit plus one bucket (the switch's token bucket holds 10 ms of the
# rate, at least two 9728-byte frames: 19456 bytes). The rest waits in the tx ring
# (tx_held) and the sender is held back: nothing is lost, every datagram sent arrives.
# The lower bound counts only the time the sender offered: a pause longer than the
# bucket lasts (155 ms at 1 Mb/s) loses the rate's tokens past it, as a real shaper
# does, and a guest pauses when the host runs something else. The sender's send buffer
# is small (32 KiB, 14 datagrams: 164 ms of the rate), so that its waits for room
# (half of it) stay below that and only real pauses count. One ping at a time passes;
# with no limit nothing is held. A TCP stream passes under the limit
# (tso_under_limit).
RATE_MBPS=1
RATE_BUCKET=19456

# tso_under_limit: 256 KiB over TCP (TSO on) from VF 0 to VF 1 under the limit arrive
# intact, and what the switch passed stays within the rate over the stream's time plus
# a bucket and one 64 KiB TSO frame (which may go when the bucket is full, owing the
# rest). TCP sizes its TSO frames to its pacing rate, so at 1 Mb/s they stay small.
# tso_stream_state: what the switch and both sockets say of a stream that did not end
tso_stream_state()
{
	local i

	for i in 0 1; do
		echo "VF $i switch: $(tr '\n' ' ' <"$VLAN_DBG/simnic_hw/$PF/vf$i/stats")"
		echo "VF $i sockets: $(ip netns exec "${NS[$i]}" ss -tinm 2>&1 | tr '\n' ' ')"
	done
}

tso_under_limit()
{
	local out=/tmp/host-config-$$-stream b0 t0 ms sent got bytes hi lpid

	hw_stat_get "$PF" 0 tx_bytes && b0=$STAT || return 1
	ip netns exec "${NS[1]}" "$dir/tcp_stream.py" listen 2001:db8:100::2 5001 >"$out" 2>&1 &
	lpid=$!
	wait_for 10 grep -q listening "$out" || fail "no listener" || return 1
	t0=${EPOCHREALTIME/./}
	if ! sent=$(ip netns exec "${NS[0]}" "$dir/tcp_stream.py" send 2001:db8:100::2 5001 \
		    262144 2>&1) ||
	   ! wait_for 70 eval '! kill -0 $lpid 2>/dev/null'; then
		kill "$lpid" 2>/dev/null
		wait "$lpid"
		tso_stream_state
		fail "the stream did not complete: sender: $sent; receiver: $(cat "$out")"
		rm -f "$out"
		return 1
	fi
	wait "$lpid"
	ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
	got=$(tail -n 1 "$out")
	rm -f "$out"
	hw_stat_get "$PF" 0 tx_bytes && bytes=$((STAT - b0)) || return 1
	hi=$((RATE_MBPS * 125 * ms * 11 / 10 + RATE_BUCKET + 65536))
	echo "TCP under the limit: sent $sent, arrived $got in $ms ms; the switch passed" \
	     "$bytes bytes, at most $hi expected"
	[ "$got" = "$sent" ] || fail "the stream arrived damaged or short" || return 1
	[ "$bytes" -le "$hi" ] || fail "the switch passed $bytes bytes, more than $hi"
}

test_rate()
{
	local b0 b1 h0 h1 h2 r0 r1 n ms idle bytes lo hi gap

	l3 100 && ping_both 100 || return 1
	ip link set dev "$PFDEV" vf 0 max_tx_rate "$RATE_MBPS" ||
		fail "max_tx_rate $RATE_MBPS refused" || return 1
	vf_info 0 | grep -q "max_tx_rate ${RATE_MBPS}Mbps" || fail "ip link shows: $(vf_info 0)" ||
		return 1
	hw_stat_get "$PF" 0 tx_bytes && b0=$STAT && hw_stat_get "$PF" 0 tx_held && h0=$STAT &&
		hw_stat_get "$PF" 1 rx_packets && r0=$STAT || return 1
	# how long the bucket lasts at the rate: RATE_MBPS * 125 bytes per ms
	gap=$((RATE_BUCKET / (RATE_MBPS * 125)))
	read -r n ms idle < <(blast 0 3 "$gap" 16384)
	hw_stat_get "$PF" 0 tx_bytes && b1=$STAT && hw_stat_get "$PF" 0 tx_held &&
		h1=$STAT || return 1
	[ -n "$ms" ] && [ "$ms" -gt 0 ] || fail "the sender did not run" || return 1
	[ $((ms - idle)) -ge 500 ] ||
		fail "the sender offered for $((ms - idle)) of $ms ms: too little to measure" ||
		return 1
	bytes=$((b1 - b0))
	# bytes the limit lets through in ms milliseconds: RATE_MBPS * 1000 / 8 per ms
	lo=$((RATE_MBPS * 125 * (ms - idle) * 8 / 10))
	hi=$((RATE_MBPS * 125 * ms * 11 / 10 + RATE_BUCKET))
	echo "limited to $RATE_MBPS Mb/s: $n datagrams sent in $ms ms (paused past" \
	     "the bucket's $gap ms for $idle ms); the switch passed $bytes bytes" \
	     "($((bytes * 8 / ms)) kb/s) and held $((h1 - h0)) frames; expected $lo to" \
	     "$hi bytes"
	[ "$h1" -gt "$h0" ] || fail "the sender never exceeded the limit: nothing measured" ||
		return 1
	[ "$bytes" -ge "$lo" ] && [ "$bytes" -le "$hi" ] ||
		fail "the switch passed $bytes bytes, not $lo to $hi" || return 1
	# what the ring still holds drains at the rate; then all of it has arrived
	wait_for 30 hw_stat_at_least "$PF" 1 rx_packets $((r0 + n)) ||
		fail "$((STAT - r0)) of $n datagrams arrived" || return 1
	ping_both 100 || fail "single pings do not pass under the limit" || return 1
	tso_under_limit || return 1
	ip link set dev "$PFDEV" vf 0 max_tx_rate 0 || return 1
	# what the stream's late frames were held for, from before the limit went
	hw_stat_get "$PF" 0 tx_held && h1=$STAT || return 1
	read -r n ms _ < <(blast 0 1)
	hw_stat_get "$PF" 0 tx_held && h2=$STAT || return 1
	echo "unlimited: $n datagrams sent in $ms ms, $((h2 - h1)) held by the rate"
	[ "$h2" = "$h1" ] || fail "frames held with no limit"
}

# Rates beyond the link, min above max, a bad VF: refused, nothing changes
test_rate_bad()
{
	refused "max_tx_rate 10001 on a 10000 Mb/s link" \
		ip link set dev "$PFDEV" vf 0 max_tx_rate 10001 &&
		refused "min_tx_rate 200 above max_tx_rate 100" \
		ip link set dev "$PFDEV" vf 0 min_tx_rate 200 max_tx_rate 100 &&
		refused "VF 9 (of 2)" ip link set dev "$PFDEV" vf 9 max_tx_rate 100 || return 1
	ip link set dev "$PFDEV" vf 0 min_tx_rate 100 max_tx_rate 200 &&
		vf_info 0 | grep -q "max_tx_rate 200Mbps, min_tx_rate 100Mbps" ||
		fail "valid rates: $(vf_info 0)" || return 1
	ip link set dev "$PFDEV" vf 0 min_tx_rate 0 max_tx_rate 0
}

# vf_counters IDX: "rx_bytes rx_packets tx_bytes tx_packets" of VF IDX in ip -s link show
vf_counters()
{
	ip -s link show dev "$PFDEV" | awk -v vf="$1" '
		$1 == "vf" { cur = ($2 == vf) }
		cur && $1 == "RX:" { getline; rb = $1; rp = $2 }
		cur && $1 == "TX:" { getline; print rb, rp, $1, $2; exit }'
}

# hw_counters IDX: the same four counters as the switch counts them
hw_counters()
{
	echo "$(hw_stat "$PF" "$1" rx_bytes) $(hw_stat "$PF" "$1" rx_packets)" \
	     "$(hw_stat "$PF" "$1" tx_bytes) $(hw_stat "$PF" "$1" tx_packets)"
}

# between LOW VALUE HIGH: each of the four numbers of VALUE is within LOW and HIGH's
between()
{
	local -a lo v hi
	local i

	read -r -a lo <<<"$1"
	read -r -a v <<<"$2"
	read -r -a hi <<<"$3"

	for i in 0 1 2 3; do
		[ "${lo[i]}" -le "${v[i]}" ] && [ "${v[i]}" -le "${hi[i]}" ] || return 1
	done
}

# ip -s link show PF reports VF 0's counters as the switch counts them (read between
# two reads of the switch: the VF may send a neighbour solicitation meanwhile), and
# they move with traffic
test_stats()
{
	local a b h1 h2 tp0 tp

	l3 100 && ping_both 100 || return 1
	a=$(vf_counters 0) && [ -n "$a" ] || fail "no VF counters in ip -s link show" || return 1
	ip netns exec "$NS1" ping -6 -q -c 20 -i 0.01 "$(vlan_addr 100 2)" >/dev/null ||
		fail "pings lost" || return 1
	h1=$(hw_counters 0) && b=$(vf_counters 0) && h2=$(hw_counters 0) || return 1
	read -r _ _ _ tp0 <<<"$a"
	read -r _ _ _ tp <<<"$b"
	echo "VF 0 before: $a; after: $b; the switch: $h1 / $h2"
	[ $((tp - tp0)) -ge 20 ] || fail "tx_packets moved by $((tp - tp0)), expected 20 or more" ||
		return 1
	between "$h1" "$b" "$h2" || fail "ip shows $b, the switch $h1 then $h2"
}

# inject IDX MSG: MSG (see mbx_inject in simnic.rst) goes to the PF as if VF IDX sent it
inject()
{
	echo "$2" >"$(hw_dbg "$PF" "$1")/mbx_inject" || fail "mbx_inject refused '$2'"
}

# The helpers below run in polls on the debug kernel, where a process costs a lot:
# they use builtins only and return results in variables.

# mbx IDX: MBX[NAME] = each counter of the PF's mbx_stats for VF IDX
declare -A MBX
mbx()
{
	local n v

	MBX=()
	slurp "$VLAN_DBG/simnic_pf/$PF/vf$1/mbx_stats"
	while read -r n v; do
		[ -z "$n" ] || MBX[$n]=$v
	done <<<"$SLURP"
	[ -n "${MBX[received]:-}" ] || fail "no mbx_stats for VF $1"
}

# mbx_is IDX NAME VALUE
mbx_is()
{
	mbx "$1" && [ "${MBX[$2]}" = "$3" ]
}

# vf_state IDX: STATE = what the host, the PF and the switch hold for VF IDX
vf_state()
{
	local d

	STATE="$(vf_info "$1")"
	for d in "$VLAN_DBG/simnic_pf/$PF/vf$1/vlans" "$(hw_dbg "$PF" "$1")"/{vlans,macs}; do
		slurp "$d"
		STATE+=" | $SLURP"
	done
}

# in_switch IDX VID: the switch filters VID for VF IDX
in_switch()
{
	slurp "$(hw_dbg "$PF" "$1")/vlans"
	[[ $'\n'$SLURP == *$'\n'$2$'\n'* ]]
}

# untagged: both VFs address their netdev, 2001:db8::1 and ::2 (a process each)
untagged()
{
	ip -n "$NS1" -6 addr replace "$(vlan_addr 0 1)/64" dev "${DEV[0]}" nodad &&
		ip -n "$NS2" -6 addr replace "$(vlan_addr 0 2)/64" dev "${DEV[1]}" nodad ||
		fail "cannot address the VFs"
}

# ping_from IDX: VF IDX reaches the other VF untagged (the answer comes back: traffic
# passes both ways)
ping_from()
{
	local o=$((1 - $1))

	wait_ping6 "${NS[$1]}" "${DEV[$1]}" "$(vlan_addr 0 $((o + 1)))" "${MAC[o]}"
}

# VF 0 (VLAN V2 negotiated) sends an unknown opcode, a VLAN V1 ADD of VLAN 200, a
# VERSION and a VLAN V2 ADD of bad lengths: each is refused, counted and logged; VF 0's
# state does not change, and it passes traffic (untagged: no VLAN needed, and quicker).
# Garbage in mbx_inject is refused.
test_hostile()
{
	local m=$TAG-hostile r0 i0 inj before log pat

	slurp "$(vf_dbg "${VFP[0]}")/vlan_proto"
	[ "$SLURP" = $'v2\n' ] || proto 0 v2 || return 1
	mbx 0 || return 1
	r0=${MBX[refused]}
	i0=${MBX[invalid]}
	vf_state 0
	before=$STATE
	inj=$(_stat_of "$(hw_dbg "$PF" 0)/mbx" injected) || fail "no mbx in the card's debugfs" ||
		return 1
	for pat in "12 nonsense" "12 hex:0g" "12 5000" "12 8 0" "12 8 1 2" "x 8"; do
		! echo "$pat" >"$VLAN_DBG/simnic_hw/$PF/vf0/mbx_inject" 2>/dev/null ||
			fail "mbx_inject took '$pat'" || return 1
	done
	[ "$(_stat_of "$(hw_dbg "$PF" 0)/mbx" injected)" = "$inj" ] ||
		fail "garbage in mbx_inject reached the mailbox" || return 1
	kmsg_mark "$m"
	# vsi_id 1, one element, VID 200 (0xc8), little endian
	inject 0 "9999 16 random" && inject 0 "12 hex:01000100c800" && inject 0 "1 3" &&
		inject 0 "52 3" || return 1
	wait_for 10 mbx_is 0 refused $((r0 + 2)) && wait_for 10 mbx_is 0 invalid $((i0 + 2)) ||
		fail "refused ${MBX[refused]} (was $r0), invalid ${MBX[invalid]} (was $i0)" ||
		return 1
	log=$(kmsg_since "$m")
	for pat in "opcode 9999 \(unknown\) refused: not allowed" \
		   "opcode 12 \(ADD_VLAN\) refused: not allowed" \
		   "opcode 1 \(VERSION\) refused: malformed, length 3" \
		   "opcode 52 \(ADD_VLAN_V2\) refused: malformed, length 3"; do
		[[ $log =~ VF\ 0:\ $pat ]] || fail "not logged: VF 0: $pat" || return 1
		echo "logged: ${BASH_REMATCH[0]}"
	done
	vf_state 0
	[ "$STATE" = "$before" ] || fail "VF 0 changed: $STATE; was $before" || return 1
	untagged && ping_from 0
}

# inject_loop IDX PID: full mailboxes of an unknown opcode from VF IDX, until killed,
# 3000 rounds, or the shell PID (the case's) is gone; with no process per round
inject_loop()
{
	local f i

	f=$(hw_dbg "$PF" "$1")/mbx_inject
	for ((i = 0; i < 3000; i++)); do
		kill -0 "$2" 2>/dev/null || break
		echo "9999 8 64" >"$f" 2>/dev/null
		nap 0.01
	done
}

# VF 0 floods its mailbox: the PF reports it and rate-limits VF 0 alone. Meanwhile VF 1
# adds a VLAN (a round trip through the PF) in bounded time and both pass traffic. When
# the flood stops and the penalty is over, the PF resets VF 0, which works again: adds
# a VLAN (a round trip) and passes traffic. The penalty is held at 60 s during the
# flood: the injector is a shell loop, and a guest starved of CPU for more than the
# default 1 s would let one flood end and the next one begin.
test_flood()
{
	local m=$TAG-flood f0 f1 rec t pid log rc=0 self=$BASHPID
	local penalty=$VLAN_DBG/simnic_pf/$PF/mbx_penalty_ms p0

	untagged && mbx 1 || return 1
	f1=${MBX[floods]}
	mbx 0 || return 1
	f0=${MBX[floods]}
	rec=$(vf_stat "${VFP[0]}" recoveries) || return 1
	slurp "$penalty" && p0=${SLURP%$'\n'} || return 1
	# more than 10 minutes is refused and changes nothing
	! echo 600001 2>/dev/null >"$penalty" && slurp "$penalty" && [ "$SLURP" = "$p0"$'\n' ] ||
		fail "mbx_penalty_ms took 600001, reads $SLURP" || return 1
	echo 60000 >"$penalty" || fail "cannot set mbx_penalty_ms" || return 1
	kmsg_mark "$m"
	# its output goes nowhere: holding the case's output pipe open, it would keep
	# run_test waiting to the end of its 3000 rounds if the case ended early. $self,
	# not $BASHPID: the words of a command run with & are expanded in the child.
	inject_loop 0 "$self" >/dev/null 2>&1 &
	pid=$!
	echo "VF 0 floods (pid $pid): it had ${MBX[received]} messages, $f0 floods"
	{
		wait_for 10 mbx_is 0 limited yes ||
			fail "VF 0 not rate-limited: ${MBX[received]} received"
	} && {
		echo "VF 0 rate-limited at ${MBX[received]} messages"
		t=$SECONDS
		add 1 200 && wait_for 10 in_switch 1 200 ||
			fail "VF 1's VLAN 200 did not reach the switch during the flood"
	} && {
		echo "VF 1 added VLAN 200 in $((SECONDS - t)) s during the flood"
		ping_from 1 || fail "no traffic during the flood"
	} && {
		mbx_is 0 limited yes || fail "the flood ended before VF 1 was done: too short"
	} || rc=1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# the flood has stopped: the default penalty has run out since its last message
	echo "$p0" >"$penalty" || fail "cannot set mbx_penalty_ms back to $p0" || rc=1
	[ "$rc" = 0 ] || return 1
	wait_for 15 mbx_is 0 limited no || fail "VF 0 still limited" || return 1
	echo "VF 0: ${MBX[flood_dropped]} messages dropped by the PF"
	[ "${MBX[flood_dropped]}" -gt 0 ] || fail "nothing dropped" || return 1
	[ "${MBX[floods]}" = $((f0 + 1)) ] || fail "floods ${MBX[floods]}, was $f0" || return 1
	mbx 1 && [ "${MBX[floods]}" = "$f1" ] && [ "${MBX[limited]}" = no ] ||
		fail "VF 1 limited too" || return 1
	echo "VF 1: peak ${MBX[peak]} messages in a window, max_queued ${MBX[max_queued]}"
	log=$(kmsg_since "$m")
	[[ $log =~ VF\ 0:\ mailbox\ flood\ \([0-9]+\ messages\ in\ [0-9]+\ ms\):\ rate-limited\ for\ [0-9]+\ ms ]] ||
		fail "the flood was not reported" || return 1
	echo "logged: ${BASH_REMATCH[0]}"
	[[ $log =~ VF\ 0:\ mailbox\ flood\ over\ after\ [^$'\n']* ]] ||
		fail "the end of the flood was not reported" || return 1
	echo "logged: ${BASH_REMATCH[0]}"
	wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[0]}" recoveries "$rec" ||
		fail "VF 0 was not reset after the flood" || return 1
	wait_for "$VLAN_RESET_WAIT" vf_settled "${VFP[0]}" && add 0 200 &&
		wait_for 10 in_switch 0 200 || fail "VF 0 cannot add a VLAN after the flood" ||
		return 1
	ping_from 0
}

suite_begin "$NCASES"
vcase "mac: the host sets a VF's MAC, which passes traffic" test_mac
vcase "mac: multicast and bad VF refused, zero gives a random MAC" test_mac_bad
vcase "mac: the VF changes its own MAC" test_vf_mac
vcase "mac: an untrusted VF keeps the host's MAC, a trusted one may change it" test_vf_mac_admin
vcase "rate: max_tx_rate holds a sender to the limit, not single pings or TCP" test_rate
vcase "rate: beyond the link, min above max and a bad VF are refused" test_rate_bad
vcase "stats: ip -s link show PF has each VF's counters" test_stats
vcase "mbx: hostile messages are refused, counted, logged; nothing changes" test_hostile
vcase "mbx: a flood rate-limits the flooding VF; the other keeps working" test_flood
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
