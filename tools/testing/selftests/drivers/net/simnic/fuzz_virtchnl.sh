#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile VF fuzzes the PF's virtchnl. VF 0's driver is unbound and the test plays
# VF 0 through the card's debugfs: mbx_inject sends a message to the PF as VF 0 would,
# mbx_reply takes the PF's answer. From a seed (FUZZ_SEED, printed: the same seed sends
# the same messages), FUZZ_MESSAGES messages (default 600), each a message the PF
# knows with one thing made wrong, in every state a VF goes through: before VERSION,
# before GET_VF_RESOURCES, with VLAN V2 and with VLAN V1 (and RSS) negotiated, under a
# port VLAN, under a MAC the host set and in switchdev mode. What is made wrong: the
# length, an element count that disagrees with it, the VSI, queue and vector IDs,
# queue and vector maps, ring sizes and frame sizes out of range, VLAN IDs 4095 and
# above, TPIDs, priorities and inner tags, the ethertypes of the VLAN tag offloads,
# zero, broadcast, multicast, listed and taken MACs, more VLANs or MACs than an
# untrusted VF may have, promiscuous flags, RSS key and table sizes and table entries,
# and opcodes the VF may not send. (virtchnl has no request IDs to replay: a VF has
# one request in flight.)
#
# Every message must be answered with the status ice answers it with, counted once in
# the PF's refusals (debugfs simnic_pf/<PF>/vf0/refusals) under the check it was made
# to fail, and change nothing: VF 0's and VF 1's VLAN and MAC tables in the PF and the
# switch, VF 0's queues and RSS. Halfway, VF 1 (with its driver) adds a VLAN, which
# must reach the switch. Afterwards VF 0's driver is bound again and VF 0 works: a
# VLAN, traffic.
# FUZZ_CASES=REGEX runs a subset.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=fuzz-$$
VLAN_CASES=${FUZZ_CASES:-}
NCASES=5
FUZZ_SEED=${FUZZ_SEED:-$((SRANDOM % 32768))}
FUZZ_MESSAGES=${FUZZ_MESSAGES:-600}

# virtchnl opcodes, capabilities and statuses (include/linux/avf/virtchnl.h)
OP_VERSION=1 OP_RESET_VF=2 OP_GET_RES=3 OP_CFG_QUEUES=6 OP_IRQ_MAP=7 OP_ENABLE_QUEUES=8
OP_DISABLE_QUEUES=9 OP_ADD_ETH=10 OP_DEL_ETH=11 OP_ADD_VLAN=12 OP_DEL_VLAN=13
OP_PROMISC=14 OP_GET_STATS=15 OP_EVENT=17 OP_VLAN2_CAPS=51 OP_ADD_VLAN2=52
OP_DEL_VLAN2=53 OP_RSS_KEY=23 OP_RSS_LUT=24 OP_ENA_STRIP2=54 OP_DIS_STRIP2=55
OP_ENA_INSERT2=56 OP_DIS_INSERT2=57
CAP_L2=$((1 << 0)) CAP_ADV_LINK=$((1 << 7)) CAP_VLAN2=$((1 << 15)) CAP_VLAN=$((1 << 16))
CAP_RSS=$((1 << 19))
ERR_PARAM=-5 ERR_NO_MEMORY=-18 ERR_NOT_SUPPORTED=-64

# The status of each refusal path, as the PF answers it (simnic_pf_refusals[])
declare -A STATUS_OF=(
	[not_allowed]=$ERR_NOT_SUPPORTED [malformed]=$ERR_PARAM
	[vlan_port_vlan]=$ERR_NOT_SUPPORTED [vlan_limit]=$ERR_NO_MEMORY
	[mac_primary_admin]=$ERR_NOT_SUPPORTED [mac_unicast_admin]=$ERR_NOT_SUPPORTED
	[mac_limit]=$ERR_NO_MEMORY [promisc_switchdev]=$ERR_NOT_SUPPORTED
	[promisc_untrusted]=$ERR_NOT_SUPPORTED
)
declare -A REF PREV HIT
INJ="" REPLY="" REFUSALS=""
NQ=0		# VF 0's queue pairs, from its resources
EVENTS=0	# events the PF sent VF 0 (link changes, resets impending)
SENT=0		# fuzzed messages sent
SNAP=""		# the tables that must not change

# --- the wire: little-endian fields appended to HX -------------------------------------

h8()
{
	printf -v _h '%02x' $(($1 & 255))
	HX+=$_h
}

h16()
{
	printf -v _h '%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255))
	HX+=$_h
}

h32()
{
	printf -v _h '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) \
		$(($1 >> 24 & 255))
	HX+=$_h
}

# hz N: N zero bytes
hz()
{
	printf -v _h '%*s' $((2 * $1)) ''
	HX+=${_h// /0}
}

# hmac MAC: six bytes
hmac()
{
	HX+=${1//:/}
}

# rnd N: a number below N, in R (from the seeded RANDOM)
rnd()
{
	R=$(((RANDOM << 15 | RANDOM) % $1))
}

# u16 OFF / u32 OFF: the field at byte OFF of the answer's payload
u16()
{
	echo $((16#${R_HEX:2 * $1 + 2:2}${R_HEX:2 * $1:2}))
}

u32()
{
	echo $((16#${R_HEX:2 * $1 + 6:2}${R_HEX:2 * $1 + 4:2}${R_HEX:2 * $1 + 2:2}${R_HEX:2 * $1:2}))
}

# --- playing VF 0 ---------------------------------------------------------------------

# vc_send OP [HEX]: VF 0 sends OP with the payload HEX (none: empty)
vc_send()
{
	if [ -n "${2:-}" ]; then
		echo "$1 hex:$2" >"$INJ"
	else
		echo "$1 0" >"$INJ"
	fi || fail "mbx_inject refused opcode $1 with $((${#2} / 2)) bytes"
}

# vc_answer: the PF's next message to VF 0 that is not an event, in R_OP R_RET R_LEN
# R_HEX. An event has opcode 17 and status 0; the refusal of a message of opcode 17
# (VF 0 may not send events) has opcode 17 and status -64.
vc_answer()
{
	local deadline=$((SECONDS + 10))

	while :; do
		slurp "$REPLY"
		if [ -n "$SLURP" ]; then
			R_HEX=""
			read -r R_OP R_RET R_LEN R_HEX <<<"$SLURP"
			[ "$R_OP $R_RET" = "$OP_EVENT 0" ] || return 0
			EVENTS=$((EVENTS + 1))
			continue
		fi
		[ "$SECONDS" -lt "$deadline" ] || fail "no answer from the PF in 10 s" || return 1
		nap 0.002
	done
}

# negotiate CAPS: VF 0 agrees on version 1.1 and gets its resources, asking for CAPS;
# NQ is its queue pairs, GOT its capabilities. Retried while a reset is pending.
negotiate()
{
	local tries

	for ((tries = 0; tries < 100; tries++)); do
		HX=""
		h32 1
		h32 1
		vc_send "$OP_VERSION" "$HX" && vc_answer || return 1
		if [ "$R_OP $R_RET" != "$OP_VERSION 0" ]; then
			nap 0.05
			continue
		fi
		HX=""
		h32 "$1"
		vc_send "$OP_GET_RES" "$HX" && vc_answer || return 1
		[ "$R_OP $R_RET" = "$OP_GET_RES 0" ] || continue
		NQ=$(u16 2)
		GOT=$(u32 8)
		[ "$(u16 20)" = 1 ] && [ "$NQ" -gt 0 ] ||
			fail "resources: VSI $(u16 20), $NQ queue pairs" || return 1
		return 0
	done
	fail "VF 0 never got its resources: the last answer was $R_OP $R_RET"
}

# reset_sent: VF 0 asks for a reset (no answer) and waits until the device has reset
# it. The reset purges VF 0's mailbox: a message sent before the PF took the request
# would be lost, unanswered (as iavf, which waits for the reset before it talks again).
reset_sent()
{
	hw_stat_get "$PF" 0 resets || fail "no reset count for VF 0" || return 1
	vc_send "$OP_RESET_VF" || return 1
	wait_for 10 hw_stat_at_least "$PF" 0 resets $((STAT + 1)) ||
		fail "VF 0 was not reset within 10 s"
}

# vf0_reset: VF 0 asks for a reset, then negotiates with CAPS
vf0_reset()
{
	reset_sent && negotiate "$1"
}

# reset_done: the reset VF 0 asked for is over: a VERSION too short is malformed
# (refused by the validator), no longer not allowed (the reset pending)
reset_done()
{
	local deadline=$((SECONDS + 10))

	while :; do
		vc_send "$OP_VERSION" 000000 && vc_answer || return 1
		[ "$R_RET" != "$ERR_PARAM" ] || return 0
		[ "$SECONDS" -lt "$deadline" ] || fail "VF 0's reset did not end: $R_OP $R_RET" ||
			return 1
		nap 0.05
	done
}

# play_vf0: VF 0's driver unbound, what it left in the mailbox read, and the test is
# VF 0: it resets and negotiates VLAN V2
play_vf0()
{
	local hw0 hw1 pf0 pf1

	hw0=$(hw_dbg "$PF" 0) hw1=$(hw_dbg "$PF" 1) pf0=$(pf_dbg "$PF" 0) pf1=$(pf_dbg "$PF" 1)
	INJ=$hw0/mbx_inject
	REPLY=$hw0/mbx_reply
	REFUSALS=$pf0/refusals
	SNAP_FILES=("$pf0/vlans" "$pf1/vlans" "$hw0"/{vlans,macs,queues,rss} "$hw1"/{vlans,macs})
	# a driver holds VF 0: its mailbox is its own
	! cat "$REPLY" 2>/dev/null || fail "mbx_reply read with VF 0's driver bound" || return 1
	echo "${VFP[0]}" >/sys/bus/pci/drivers/simnic_vf/unbind ||
		fail "cannot unbind VF 0" || return 1
	slurp "$REPLY"
	while [ -n "$SLURP" ]; do
		slurp "$REPLY"
	done
	vf0_reset $((CAP_L2 | CAP_ADV_LINK | CAP_VLAN | CAP_VLAN2))
}

# refusals_get: REF[PATH] = VF 0's refusals by path; PATHS the paths in their order
refusals_get()
{
	local n v

	REF=()
	PATHS=()
	slurp "$REFUSALS"
	while read -r n v; do
		[ -z "$n" ] || { REF[$n]=$v; PATHS+=("$n"); }
	done <<<"$SLURP"
	[ ${#REF[@]} -gt 0 ] || fail "no refusals for VF 0"
}

# snap: what no fuzzed message may change (the files of SNAP_FILES), in SNAP
snap()
{
	local f

	SNAP=""
	for f in "${SNAP_FILES[@]}"; do
		slurp "$f"
		SNAP+="${f##*simnic_}: $SLURP"$'\n'
	done
}

# phase_begin NAME: the tables and refusals from which the phase's messages are judged
phase_begin()
{
	local n

	PHASE=$1
	snap
	BEFORE=$SNAP
	refusals_get || return 1
	PREV=()
	for n in "${!REF[@]}"; do
		PREV[$n]=${REF[$n]}
	done
}

# fuzz_one: VF 0 sends OP with HX, made to fail the check WANT. The answer must be
# WANT's status, WANT's count must move by one and no other, and nothing may change.
fuzz_one()
{
	local n moved="" st=${STATUS_OF[$WANT]:-$ERR_PARAM}

	SENT=$((SENT + 1))
	vc_send "$OP" "$HX" && vc_answer || { fuzz_dump; return 1; }
	refusals_get || return 1
	for n in "${!REF[@]}"; do
		[ "${REF[$n]}" = "${PREV[$n]:-0}" ] || moved+=" $n+$((REF[$n] - ${PREV[$n]:-0}))"
		PREV[$n]=${REF[$n]}
	done
	if [ "$moved" != " $WANT+1" ] || [ "$R_OP $R_RET" != "$OP $st" ]; then
		fuzz_dump
		fail "refused by:${moved:- nothing}, answered $R_OP $R_RET; wanted $WANT, $OP $st"
		return 1
	fi
	snap
	if [ "$SNAP" != "$BEFORE" ]; then
		fuzz_dump
		fail "the message changed the tables:"$'\n'"$SNAP"$'\n'"was:"$'\n'"$BEFORE"
		return 1
	fi
	HIT[$WANT]=$((${HIT[$WANT]:-0} + 1))
}

fuzz_dump()
{
	echo "seed $FUZZ_SEED, message $SENT ($PHASE): opcode $OP, ${#HX} hex digits," \
	     "made to fail $WANT ($KIND): ${HX:0:160}"
}

# --- the messages: a valid one of each opcode with one thing made wrong ----------------

# set16 OFF V: the u16 at byte OFF of HX set to V; get16 OFF: it, in G
set16()
{
	local old=$HX

	HX=""
	h16 "$2"
	HX=${old:0:$((2 * $1))}$HX${old:$((2 * $1 + 4))}
}

get16()
{
	G=$((16#${HX:2 * $1 + 2:2}${HX:2 * $1:2}))
}

# spoil_len CNT: HX's length made wrong, or (CNT >= 0) its element count, the u16 at
# byte CNT, made to disagree with the length. Either fails the validator.
spoil_len()
{
	local len=$((${#HX} / 2)) d

	WANT=malformed
	if [ "$1" -ge 0 ]; then
		rnd 2
		if [ "$R" = 0 ]; then
			KIND=count
			get16 "$1"
			rnd 4
			case $R in
			0) d=0 ;;
			3) d=$((G > 1 ? G - 1 : G + 4)) ;;
			*) d=$((G + R)) ;;
			esac
			set16 "$1" "$d"
			return
		fi
	fi
	KIND=length
	rnd 40
	d=$((R + 1))
	rnd 2
	if [ "$R" = 0 ] && [ "$len" -gt 0 ]; then
		[ "$d" -le "$len" ] || d=$len
		HX=${HX:0:$((2 * (len - d)))}
	else
		hz "$d"
	fi
}

# pick ADD DEL NADD NDEL: in the caller's OP, ADD or DEL; in its n, 1 to 4 elements,
# and in k one of them; in its kind, one of NADD kinds for ADD, of NDEL for DEL
pick()
{
	rnd 2
	OP=$((R ? $2 : $1))
	rnd 4
	n=$((R + 1))
	rnd "$n"
	k=$R
	rnd $((OP == $1 ? $3 : $4))
	kind=$R
}

# vsi_bad: in V, a VSI that is not VF 0's (1)
vsi_bad()
{
	rnd 65535
	V=$((R + 2 > 65535 ? 0 : R + 2))
}

# CONFIG_VSI_QUEUES: N pairs and room for one more; pair K made wrong
m_cfg_queues()
{
	local n k i v=1 rxv rxq txv txq ring txring pkt buf kind

	OP=$OP_CFG_QUEUES
	rnd "$NQ"
	n=$((R + 1))
	rnd "$n"
	k=$R
	rnd 7
	kind=$R
	case $kind in
	1) WANT=qcfg_vsi KIND=vsi; vsi_bad; v=$V ;;
	2) WANT=qcfg_count KIND=queue_pairs; rnd $((17 - NQ)); n=$((NQ + 1 + R)); k=-1 ;;
	3) WANT=qcfg_ids KIND=queue_ids ;;
	4) WANT=qcfg_ring_len KIND=ring_len ;;
	5) WANT=qcfg_max_frame KIND=max_pkt_size ;;
	6) WANT=qcfg_buf KIND=databuffer_size ;;
	esac
	HX=""
	h16 "$v"; h16 "$n"; h32 0
	for ((i = 0; i < n; i++)); do
		rxv=1 rxq=$i txv=1 txq=$i ring=512 txring=512 pkt=1518 buf=2048
		if [ "$i" = "$k" ]; then
			case $kind in
			3)
				rnd 4
				case $R in
				0) vsi_bad; rxv=$V ;;
				1) vsi_bad; txv=$V ;;
				2) rxq=$((i + 1)) ;;
				3) txq=$((i + 1)) ;;
				esac
				;;
			4)
				rnd 4
				case $R in
				0) rnd 64; ring=$R ;;
				1) rnd 100000; ring=$((4097 + R)) ;;
				2) rnd 64; txring=$R ;;
				3) rnd 61439; txring=$((4097 + R)) ;;	# a u16
				esac
				;;
			5)
				rnd 2
				if [ "$R" = 0 ]; then rnd 63; pkt=$((R + 1)); else rnd 100000; pkt=$((9729 + R)); fi
				;;
			6)
				# below ice's 1024, above its 16 KiB - 128 (VF 0 does not
				# ask for whole GSO frames: 65536 is refused too)
				rnd 2
				if [ "$R" = 0 ]; then rnd 1023; buf=$((R + 1)); else rnd 100000; buf=$((16257 + R)); fi
				;;
			esac
		fi
		# txq: vsi, queue, ring_len, headwb, two addresses; rxq: vsi, queue,
		# ring_len, hdr_size, splithdr, databuffer_size, max_pkt_size, the rest
		h16 "$txv"; h16 "$txq"; h16 "$txring"; h16 0; hz 16
		h16 "$rxv"; h16 "$rxq"; h32 "$ring"; h16 0; h16 0; h32 "$buf"; h32 "$pkt"; hz 20
	done
	hz 64
	[ "$kind" != 0 ] || spoil_len 2
}

# CONFIG_IRQ_MAP: N vector maps and room for one more; map K made wrong
m_irq_map()
{
	local n k i v vec rxm txm kind

	OP=$OP_IRQ_MAP
	rnd $((NQ + 1))
	n=$((R + 1))
	rnd "$n"
	k=$R
	rnd 5
	kind=$R
	case $kind in
	1) WANT=irq_vsi KIND=vsi ;;
	2) WANT=irq_vector KIND=vector_id ;;
	3) WANT=irq_queues KIND=queue_map ;;
	4) WANT=irq_unconfigured KIND=unconfigured_queue ;;
	esac
	# no queue beyond 16 to map when VF 0 has all 16
	[ "$kind" != 3 ] || [ "$NQ" -lt 16 ] || { kind=2 WANT=irq_vector KIND=vector_id; }
	HX=""
	h16 "$n"
	for ((i = 0; i < n; i++)); do
		rnd $((NQ + 1))
		v=1 vec=$R rxm=0 txm=0
		if [ "$i" = "$k" ]; then
			case $kind in
			1) vsi_bad; v=$V ;;
			2) rnd $((65535 - NQ)); vec=$((NQ + 1 + R)) ;;
			3)
				rnd $((16 - NQ))
				rxm=$((1 << (NQ + R)))
				rnd 2
				[ "$R" = 0 ] || { txm=$rxm; rxm=0; }
				;;
			4)
				rnd "$NQ"
				rxm=$((1 << R))
				rnd 2
				[ "$R" = 0 ] || { txm=$rxm; rxm=0; }
				;;
			esac
		fi
		h16 "$v"; h16 "$vec"; h16 "$rxm"; h16 "$txm"; h16 0; h16 0
	done
	hz 12
	[ "$kind" != 0 ] || spoil_len 0
}

# ENABLE_QUEUES, DISABLE_QUEUES
m_queues()
{
	local v=1 rx tx kind

	rnd 2
	OP=$((R ? OP_DISABLE_QUEUES : OP_ENABLE_QUEUES))
	rnd $(((1 << NQ) - 1))
	rx=$((R + 1))
	rnd $((1 << NQ))
	tx=$R
	rnd 4
	kind=$R
	case $kind in
	1) WANT=qsel_vsi KIND=vsi; vsi_bad; v=$V ;;
	2) WANT=qsel_none KIND=no_queues; rx=0 tx=0 ;;
	3)
		WANT=qsel_range KIND=queue_beyond
		rnd $((32 - NQ))
		rx=$((rx | 1 << (NQ + R)))
		;;
	esac
	HX=""
	h16 "$v"; h16 0; h32 "$rx"; h32 "$tx"
	[ "$kind" != 0 ] || spoil_len -1
}

m_stats()
{
	OP=$OP_GET_STATS
	HX=""
	rnd 2
	if [ "$R" = 0 ]; then
		h16 1; h16 0; h32 0; h32 0
		spoil_len -1
	else
		WANT=stats_vsi KIND=vsi
		vsi_bad
		h16 "$V"; h16 0; h32 0; h32 0
	fi
}

# CONFIG_RSS_KEY, CONFIG_RSS_LUT (VLAN V1 phase, which negotiates RSS): ice's 52-byte
# key or 64-entry table, each message one byte longer than its count says, as
# virtchnl's one-element arrays count; the length, the VSI, the key or table size (the
# length to match) or a table entry naming a queue VF 0 was not given made wrong
m_rss()
{
	local v=1 n k kind i bad=-1

	pick "$OP_RSS_KEY" "$OP_RSS_LUT" 3 4
	n=52
	[ "$OP" = "$OP_RSS_KEY" ] || n=64
	case $kind in
	1)
		WANT=rss_vsi KIND=vsi
		vsi_bad
		v=$V
		;;
	2)
		WANT=rss_key_len KIND=size
		[ "$OP" = "$OP_RSS_KEY" ] || WANT=rss_lut_len
		rnd 128
		n=$((R + 1 == n ? n + 1 : R + 1))
		;;
	3)
		WANT=rss_lut_queue KIND=queue
		rnd "$n"
		bad=$R
		;;
	esac
	HX=""
	h16 "$v"; h16 "$n"
	for ((i = 0; i < n; i++)); do
		if [ "$OP" = "$OP_RSS_KEY" ]; then
			h8 $((RANDOM & 255))
		elif [ "$i" = "$bad" ]; then
			rnd $((256 - NQ))
			h8 $((NQ + R))
		else
			rnd "$NQ"
			h8 "$R"
		fi
	done
	h8 0
	[ "$kind" != 0 ] || spoil_len -1
}

# ADD_ETH_ADDR, DEL_ETH_ADDR: N addresses and room for one more. $ADMIN set: the host
# set VF 0's MAC, and VF 0 is not trusted.
m_eth()
{
	local n k i v=1 kind type addr

	pick "$OP_ADD_ETH" "$OP_DEL_ETH" 7 3
	case $kind in
	1) WANT=mac_vsi KIND=vsi; vsi_bad; v=$V ;;
	2) WANT=mac_addr KIND=zero_or_broadcast ;;
	3) WANT=mac_primary_mcast KIND=primary_multicast; n=1 k=0 ;;
	4)
		KIND=taken WANT=mac_taken
		[ -z "$ADMIN" ] || WANT=mac_unicast_admin
		;;
	5)
		KIND=primary_taken n=1 k=0 WANT=mac_primary_taken
		[ -z "$ADMIN" ] || WANT=mac_primary_admin
		;;
	6) WANT=mac_limit KIND=over_the_limit; rnd 20; n=$((18 + R)) k=-1 ;;
	esac
	HX=""
	h16 "$v"; h16 "$n"
	rnd 256
	for ((i = 0; i < n; i++)); do
		# distinct multicast addresses, legacy or extra
		printf -v addr '01:00:5e:%02x:%02x:%02x' $((R & 127)) $((i >> 8)) $((i & 255))
		type=$((RANDOM & 1 ? 2 : 0))
		if [ "$i" = "$k" ]; then
			case $kind in
			2)
				addr=00:00:00:00:00:00
				((RANDOM & 1)) || addr=ff:ff:ff:ff:ff:ff
				;;
			3) type=1 ;;
			4) addr=${MAC[1]} ;;
			5) addr=${MAC[1]} type=1 ;;
			esac
		fi
		hmac "$addr"; h8 "$type"; h8 0
	done
	hz 8
	[ "$kind" != 0 ] || spoil_len 2
}

# CONFIG_PROMISCUOUS_MODE. $SWITCHDEV set: the eswitch is in switchdev mode, where
# no mode is supported (the representor sees every frame anyway)
m_promisc()
{
	local v=1 flags=0 kind

	OP=$OP_PROMISC
	rnd 4
	kind=$R
	case $kind in
	1) WANT=promisc_vsi KIND=vsi; vsi_bad; v=$V ;;
	2) WANT=promisc_flags KIND=unknown_flags; rnd 16383; flags=$(((R + 1) << 2 | RANDOM & 3)) ;;
	3) WANT=promisc_untrusted KIND=untrusted; rnd 3; flags=$((R + 1)) ;;
	esac
	if [ -n "$SWITCHDEV" ] && [ "$kind" = 3 ]; then
		WANT=promisc_switchdev KIND=switchdev
		rnd 4
		flags=$R
	fi
	HX=""
	h16 "$v"; h16 "$flags"
	[ "$kind" != 0 ] || spoil_len -1
}

# ADD_VLAN_V2, DEL_VLAN_V2: N filters; filter K made wrong. $PVID set: the host set a
# port VLAN, and every well-formed list is refused.
m_vlan2()
{
	local n k i v=1 kind itci itpid otci otpid

	pick "$OP_ADD_VLAN2" "$OP_DEL_VLAN2" 5 4
	# under a port VLAN, what passes the list's checks is refused for the port VLAN
	[ -z "$PVID" ] || { rnd 3; [ "$R" = 0 ] && [ "$kind" != 4 ] || kind=5; }
	case $kind in
	1) WANT=vlan2_vport KIND=vport; vsi_bad; v=$V ;;
	2) WANT=vlan2_tag KIND=tag ;;
	3) WANT=vlan2_vid KIND=vid_4095 ;;
	4) WANT=vlan_limit KIND=over_the_limit; rnd 30; n=$((9 + R)) k=-1 ;;
	5) WANT=vlan_port_vlan KIND=under_port_vlan ;;
	esac
	HX=""
	h16 "$v"; h16 "$n"; hz 4
	rnd 4000
	for ((i = 0; i < n; i++)); do
		itci=0 itpid=0 otci=$((1 + (R + i) % 4094)) otpid=$((0x8100))
		if [ "$i" = "$k" ]; then
			case $kind in
			2)
				rnd 4
				case $R in
				0) rnd 4095; itci=$((R + 1)) ;;
				1) itpid=$((0x8100)) ;;
				2) otpid=$((RANDOM & 1 ? 0x88a8 : 0x9100)) ;;
				3) rnd 15; otci=$((otci | (R + 1) << 12)) ;;
				esac
				;;
			3) otci=4095 ;;
			esac
		fi
		h16 "$itci"; h16 0; h16 "$itpid"; h16 0
		h16 "$otci"; h16 0; h16 "$otpid"; h16 0
		hz 16
	done
	[ "$kind" != 0 ] || spoil_len 2
}

# {ENABLE,DISABLE}_VLAN_{STRIPPING,INSERTION}_V2: the vport or the ethertypes made
# wrong (only the outer 802.1Q tag is offered), or the length. $PVID set: every
# well-formed setting is refused for the port VLAN.
m_vlan_offload()
{
	local v=1 kind outer=1 inner=0

	rnd 4
	OP=$((OP_ENA_STRIP2 + R))
	rnd 3
	kind=$R
	[ -z "$PVID" ] || { rnd 3; [ "$R" = 0 ] || kind=3; }
	case $kind in
	1) WANT=vlan2_offload_vport KIND=vport; vsi_bad; v=$V ;;
	2)
		WANT=vlan2_offload_tag KIND=ethertype
		# VIRTCHNL_VLAN_ETHERTYPE_8100 is bit 0, 88A8 bit 1, 9100 bit 2
		rnd 4
		case $R in
		0) outer=$((RANDOM & 1 ? 2 : 4)) ;;
		1) outer=$((1 | 2 << (RANDOM & 1))) ;;
		2) outer=0 ;;
		3) inner=1 ;;
		esac
		;;
	3) WANT=vlan_port_vlan KIND=under_port_vlan ;;
	esac
	HX=""
	h32 "$outer"; h32 "$inner"; h16 "$v"; hz 6
	[ "$kind" != 0 ] || spoil_len -1
}

# ADD_VLAN, DEL_VLAN (V1): N VIDs and room for one more; VID K made wrong
m_vlan1()
{
	local n k i v=1 kind vid

	pick "$OP_ADD_VLAN" "$OP_DEL_VLAN" 4 3
	case $kind in
	1) WANT=vlan_vsi KIND=vsi; vsi_bad; v=$V ;;
	2) WANT=vlan_vid KIND=vid_4095_and_above ;;
	3) WANT=vlan_limit KIND=over_the_limit; rnd 30; n=$((9 + R)) k=-1 ;;
	esac
	HX=""
	h16 "$v"; h16 "$n"
	rnd 4000
	for ((i = 0; i < n; i++)); do
		vid=$((1 + (R + i) % 4094))
		if [ "$i" = "$k" ] && [ "$kind" = 2 ]; then
			rnd 61441
			vid=$((4095 + R))
		fi
		h16 "$vid"
	done
	hz 2
	[ "$kind" != 0 ] || spoil_len 2
}

# m_fixed OPS: one of OPS (VERSION, RESET_VF, GET_VF_RESOURCES, GET_OFFLOAD_VLAN_V2_CAPS),
# of a wrong length
m_fixed()
{
	local ops

	read -r -a ops <<<"$1"

	rnd ${#ops[@]}
	OP=${ops[R]}
	HX=""
	case $OP in
	"$OP_VERSION") h32 1; h32 1 ;;
	"$OP_GET_RES") h32 "$CAPS" ;;
	esac
	spoil_len -1
}

# An opcode VF 0 may not send now (ALLOWED: the ones it may), with a few bytes
m_not_allowed()
{
	local n

	while :; do
		rnd 8
		if [ "$R" = 0 ]; then
			rnd 1000000000
			OP=$((R + 200))
		else
			rnd 130
			OP=$R
		fi
		[[ " $ALLOWED " != *" $OP "* ]] && break
	done
	WANT=not_allowed KIND=opcode
	rnd 65
	n=$R
	HX=""
	while ((n-- > 0)); do
		h8 $((RANDOM & 255))
	done
}

# --- the phases ------------------------------------------------------------------------

ALLOWED_RESET="$OP_VERSION $OP_RESET_VF"
ALLOWED_VERSION="$ALLOWED_RESET $OP_GET_RES"
ALLOWED_ACTIVE="$ALLOWED_VERSION $OP_CFG_QUEUES $OP_IRQ_MAP $OP_ENABLE_QUEUES \
$OP_DISABLE_QUEUES $OP_GET_STATS $OP_ADD_ETH $OP_DEL_ETH $OP_PROMISC"
ALLOWED_V2="$ALLOWED_ACTIVE $OP_VLAN2_CAPS $OP_ADD_VLAN2 $OP_DEL_VLAN2 $OP_ENA_STRIP2 \
$OP_DIS_STRIP2 $OP_ENA_INSERT2 $OP_DIS_INSERT2"
ALLOWED_V1="$ALLOWED_ACTIVE $OP_ADD_VLAN $OP_DEL_VLAN $OP_RSS_KEY $OP_RSS_LUT"
FIXED_V2="$OP_VERSION $OP_RESET_VF $OP_GET_RES $OP_VLAN2_CAPS"
FIXED_V1="$OP_VERSION $OP_RESET_VF $OP_GET_RES"
CAPS_V2=$((CAP_L2 | CAP_ADV_LINK | CAP_VLAN | CAP_VLAN2))
CAPS_V1=$((CAP_L2 | CAP_ADV_LINK | CAP_VLAN | CAP_RSS))

# fuzz_active N: N messages to a VF with resources, of every kind; VLANs of the flavour
# negotiated ($VLAN: 1 or 2, and FIXED the opcodes of fixed length it may send)
fuzz_active()
{
	local i

	for ((i = 0; i < $1; i++)); do
		rnd 10
		# with RSS negotiated, one in ten of the VLAN picks is an RSS message
		[ $((CAPS & CAP_RSS)) = 0 ] || [ "$R" != 7 ] || { rnd 2; R=$((R ? 7 : 10)); }
		case $R in
		10) m_rss ;;
		0) m_cfg_queues ;;
		1) m_irq_map ;;
		2) m_queues ;;
		3) m_stats ;;
		4) m_eth ;;
		5) m_promisc ;;
		6) if [ "$VLAN" = 2 ]; then m_vlan2; else m_vlan1; fi ;;
		7) if [ "$VLAN" = 2 ]; then m_vlan_offload; else m_vlan1; fi ;;
		8) m_fixed "$FIXED" ;;
		9) m_not_allowed ;;
		esac
		fuzz_one || return 1
	done
}

# vc_ok OP: VF 0 sends OP with HX, which the PF carries out
vc_ok()
{
	vc_send "$1" "$HX" && vc_answer || return 1
	[ "$R_OP $R_RET" = "$1 0" ] || fail "opcode $1 answered $R_OP $R_RET" || return 1
}

# primary_listed: VF 0 adds a unicast address to its list, then asks for it as its
# primary MAC, which is refused (it would be in the list twice), and deletes it
primary_listed()
{
	local u=02:00:00:5a:00:0a

	HX=""
	h16 1; h16 1; hmac "$u"; h8 2; h8 0; hz 8
	vc_ok "$OP_ADD_ETH" || return 1
	snap
	BEFORE=$SNAP
	OP=$OP_ADD_ETH WANT=mac_primary_listed KIND=primary_in_list
	HX=""
	h16 1; h16 1; hmac "$u"; h8 1; h8 0; hz 8
	fuzz_one || return 1
	HX=""
	h16 1; h16 1; hmac "$u"; h8 2; h8 0; hz 8
	vc_ok "$OP_DEL_ETH" || return 1
	snap
	BEFORE=$SNAP
}

# in_switch IDX VID: the switch filters VID for VF IDX
in_switch()
{
	slurp "$(hw_dbg "$PF" "$1")/vlans"
	[[ $'\n'$SLURP == *$'\n'$2$'\n'* ]]
}

# The card's mailbox reader refuses a VF its driver holds; the test plays VF 0: a reset,
# VERSION, GET_VF_RESOURCES with VLAN V2, GET_STATS, each answered
test_reply()
{
	play_vf0 || return 1
	echo "VF 0: $NQ queue pairs, capabilities $(printf '%#x' "$GOT")"
	[ $((GOT & CAP_VLAN2)) != 0 ] && [ $((GOT & CAP_VLAN)) = 0 ] ||
		fail "asked for VLAN V2 and V1, got $(printf '%#x' "$GOT")" || return 1
	HX=""
	h16 1; h16 0; h32 1; h32 1
	vc_send "$OP_GET_STATS" "$HX" && vc_answer || return 1
	[ "$R_OP $R_RET" = "$OP_GET_STATS 0" ] && [ "$R_LEN" -gt 0 ] ||
		fail "GET_STATS answered $R_OP $R_RET, $R_LEN bytes" || return 1
	echo "GET_STATS: $R_LEN bytes; $EVENTS events from the PF"
}

# The hostile VF's messages, phase by phase (see the top of this file)
test_fuzz()
{
	local m=$FUZZ_MESSAGES i n hit=0 missed=""

	RANDOM=$FUZZ_SEED
	echo "FUZZ_SEED=$FUZZ_SEED FUZZ_MESSAGES=$m"
	ADMIN="" PVID="" SWITCHDEV="" VLAN=2 CAPS=$CAPS_V2 FIXED=$FIXED_V2
	play_vf0 || return 1

	# before VERSION: only VERSION and RESET_VF, and those well formed
	reset_sent && reset_done || return 1
	phase_begin "before VERSION" || return 1
	for ((i = 0; i < m / 12; i++)); do
		ALLOWED=$ALLOWED_RESET
		rnd 3
		if [ "$R" = 0 ]; then m_fixed "$ALLOWED_RESET"; else m_not_allowed; fi
		fuzz_one || return 1
	done
	# before GET_VF_RESOURCES
	HX=""
	h32 1
	h32 1
	vc_send "$OP_VERSION" "$HX" && vc_answer || return 1
	[ "$R_OP $R_RET" = "$OP_VERSION 0" ] || fail "VERSION answered $R_RET" || return 1
	phase_begin "before GET_VF_RESOURCES" || return 1
	for ((i = 0; i < m / 12; i++)); do
		ALLOWED=$ALLOWED_VERSION
		rnd 3
		if [ "$R" = 0 ]; then m_fixed "$ALLOWED_VERSION"; else m_not_allowed; fi
		fuzz_one || return 1
	done

	# VLAN V2; halfway, VF 1 adds a VLAN through the PF
	negotiate "$CAPS" || return 1
	phase_begin "VLAN V2" || return 1
	ALLOWED=$ALLOWED_V2
	fuzz_active $((m / 4)) || return 1
	add 1 200 && wait_for 10 in_switch 1 200 ||
		fail "VF 1's VLAN 200 did not reach the switch during the fuzzing" || return 1
	echo "VF 1 added VLAN 200 after $SENT messages"
	snap
	BEFORE=$SNAP
	fuzz_active $((m / 4)) || return 1
	primary_listed || return 1

	# VLAN V1
	VLAN=1 CAPS=$CAPS_V1 FIXED=$FIXED_V1
	vf0_reset "$CAPS" || return 1
	[ $((GOT & CAP_VLAN)) != 0 ] && [ $((GOT & CAP_VLAN2)) = 0 ] &&
		[ $((GOT & CAP_RSS)) != 0 ] ||
		fail "asked for VLAN V1 and RSS, got $(printf '%#x' "$GOT")" || return 1
	phase_begin "VLAN V1" || return 1
	ALLOWED=$ALLOWED_V1
	fuzz_active $((m / 6)) || return 1

	# under a port VLAN: no VLAN filter for the VF, however well formed
	VLAN=2 CAPS=$CAPS_V2 FIXED=$FIXED_V2 PVID=7
	ip link set dev "$PFDEV" vf 0 vlan "$PVID" || fail "cannot set port VLAN $PVID" ||
		return 1
	negotiate "$CAPS" || return 1
	phase_begin "port VLAN $PVID" || return 1
	ALLOWED=$ALLOWED_V2
	for ((i = 0; i < m / 12; i++)); do
		if ((i & 1)); then m_vlan_offload; else m_vlan2; fi
		fuzz_one || return 1
	done
	PVID=""
	ip link set dev "$PFDEV" vf 0 vlan 0 || fail "cannot clear the port VLAN" || return 1

	# the host set VF 0's MAC: no other unicast address for it, primary or not
	ADMIN=02:00:00:5a:00:09
	ip link set dev "$PFDEV" vf 0 mac "$ADMIN" || fail "cannot set VF 0's MAC" || return 1
	negotiate "$CAPS" || return 1
	phase_begin "MAC set by the host" || return 1
	for ((i = 0; i < m / 12; i++)); do
		m_eth
		fuzz_one || return 1
	done
	ADMIN=""
	ip link set dev "$PFDEV" vf 0 mac 00:00:00:00:00:00 ||
		fail "cannot give VF 0 a random MAC" || return 1

	# switchdev mode, which resets every VF: no promiscuous mode at all. Last: back in
	# legacy mode VF 1's driver restores its VLAN, which changes the tables.
	SWITCHDEV=1
	set_mode switchdev && negotiate "$CAPS" || return 1
	[ $((GOT & (CAP_VLAN | CAP_VLAN2))) = 0 ] ||
		fail "VLAN capabilities in switchdev mode: $(printf '%#x' "$GOT")" || return 1
	phase_begin "switchdev" || return 1
	for ((i = 0; i < m / 24; i++)); do
		m_promisc
		fuzz_one || return 1
	done
	SWITCHDEV=""
	set_mode legacy || return 1

	for n in "${PATHS[@]}"; do
		if [ -n "${HIT[$n]:-}" ]; then
			hit=$((hit + 1))
			echo "refused by $n: ${HIT[$n]}"
		else
			missed+=" $n"
		fi
	done
	echo "$SENT messages, $hit of ${#REF[@]} refusal paths hit; not hit:${missed:- none}"
	echo "$EVENTS events from the PF"
}

# VF 0's driver, bound again after the fuzzing (by the case cleanup), negotiates and
# passes traffic on a VLAN
test_after()
{
	l3 100 && ping_both 100
}

suite_begin "$NCASES"
vcase "reply: the test plays VF 0, its driver unbound; the PF answers" test_reply
vcase "fuzz: each hostile message is refused as ice refuses it; nothing changes" test_fuzz
vcase "fuzz: VF 0, its driver bound again, passes traffic on a VLAN" test_after
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload" pair_unload
ktap_finish
