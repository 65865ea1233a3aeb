#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seeded chaos: with two VFs in their namespaces (vf_pair.sh) and a ping running
# between them the whole time, a random sequence of the events simnic has, drawn from a
# seed, each followed by a wait for quiescence (both VFs negotiated again after the
# device's latest reset of them, with carrier) and the checks that must hold at every
# quiescent point:
#
#  - the VLAN invariant of each VF: its VLAN devices == the VF driver's list == the
#    PF's table == the switch's table == what this script asked for (an add the rules
#    forbid fails and leaves nothing);
#  - traffic: VF 0 reaches VF 1 over every VLAN both have, and untagged when their port
#    VLANs are the same; it does not when their port VLANs differ, nor over a VLAN only
#    VF 0 has (one such check a step: each costs a second and a half);
#  - the host's settings as set (trust, spoofchk, port VLAN, MAC), and the MAC the VF
#    uses is the one the host gave it;
#  - the packet counters of both VF netdevs (ip -s) only grow: the events here keep
#    the netdev, whose counters outlive resets and queue changes;
#  - the ping of the traffic is still running (what it lost is reported, not judged).
#
# The event families: VF FLR, PF FLR, reset of all VFs (reset_vfs), servicing of the
# card, a VF reconfiguration event, the physical link out and back, trust on/off,
# spoofchk on/off, port VLAN set/changed/cleared, the VF's MAC set by the host, VLAN
# churn on a VF (adds and deletes, at and beyond the untrusted limit of 8, and behind a
# port VLAN, where adds must fail), MTU, ethtool -L and -G, the eswitch to switchdev
# and back to legacy, devlink dev reload, simnic_vf unbound from a VF and bound again,
# sriov_numvfs 2 -> 0 -> 2 (after 2 -> 3, refused). The last two make the VFs'
# netdevs anew: their VLAN devices go, and their counters start again.
#
# Two more families. netns: a VF's netdev moves into a new namespace and, after the
# checks there, back (see "namespace moves" below for what Linux does then); half
# the time the VF has an FLR while it is away. burst: 2 or 3 events of different
# families of BURST_FAMILIES start at once, in the background, and the checks wait
# once for all of them to be over (see draw_burst for the pairs left out, and why).
#
# Two choices keep the model exact: a port VLAN is set only on a VF without VLAN
# devices (the event deletes them first), and trust goes off only on a VF with at most
# 8 (the event deletes the highest first): what the drivers do with VLAN devices beyond
# what the new settings allow is not documented yet.
#
# CHAOS_SEED (default: random) seeds the choice of events and their arguments: the
# same seed gives the same sequence of events (their timing may differ). CHAOS_SECONDS
# (default 60) bounds the time new events may start; CHAOS_EVENTS (default no limit)
# bounds their number; CHAOS_FAMILIES (a regex) draws only from the families it
# matches, to chase a failure (the same seed and families draw the same sequence). A
# failure prints the seed, the step and the event log so far. CHAOS_FAMILIES does not
# filter what a burst draws from.

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

TAG=chaos-$$
CHAOS_SEED=${CHAOS_SEED:-$((SRANDOM % 32768))}
CHAOS_SECONDS=${CHAOS_SECONDS:-60}
CHAOS_EVENTS=${CHAOS_EVENTS:-0}
NCASES=3
# the VIDs the churn draws from (more than the untrusted limit) and the port VLANs,
# apart from them so that a port VLAN never meets a VLAN device of the other VF
VID_POOL=(100 101 102 103 104 105 106 107 108 109 110 111)
PVIDS=(300 301)
MTUS=(1280 1500 3000 9000)
RINGS=(64 256 512 1024 4096)
UNTRUSTED_MAX=8
# what each event may draw from, by weight: the cheap ones more often
# (port VLANs and trust twice, so that what one event sets another soon takes back)
FAMILIES=(vf_flr vf_flr pf_flr reset_vfs service reconfig link trust trust spoofchk pvid
	  pvid mac vlan vlan vlan vlan mtu channels rings eswitch reload rebind numvfs netns
	  burst burst)
# what a burst draws its events from: the disruptive events that wait for nothing but
# their own start (each family at most once a burst)
BURST_FAMILIES=(vf_flr pf_flr reset_vfs service link trust vlan mtu channels)
# the namespace a VF's netdev visits (netns)
NSX=simnic-x-$$
if [ -n "${CHAOS_FAMILIES:-}" ]; then
	for f in "${FAMILIES[@]}"; do
		[[ $f =~ $CHAOS_FAMILIES ]] && keep+=("$f")
	done
	FAMILIES=("${keep[@]}")
	[ "${#FAMILIES[@]}" -gt 0 ] ||
		{ echo "# CHAOS_FAMILIES=$CHAOS_FAMILIES matches no family"; exit "$KSFT_FAIL"; }
fi
EVLOG=$(mktemp /tmp/simnic-chaos.XXXXXX)
COUNTS=$(mktemp /tmp/simnic-chaos.XXXXXX)

chaos_cleanup()
{
	rm -f "$EVLOG" "$COUNTS"
	ns_del "$NSX" 2>/dev/null
	cleanup
}
trap chaos_cleanup EXIT

# --- the model: what the host and the VFs' users have asked for -----------------------

VL=("" "")		# each VF's VLAN devices (a set: ascending VIDs)
LNS=("$NS1" "$NS2")	# the namespace each VF's netdev is in (its VLAN devices are in NS)
PVID=(0 0)
TRUST=(off off)
SPOOF=(on on)
HMAC=("" "")		# the MAC the host set ("" none)
RXP=(0 0)		# packet counters at the last quiescent point
TXP=(0 0)
CH_MAX=1

# rnd N: a number below N, in R (from the seeded RANDOM)
rnd()
{
	R=$(((RANDOM << 15 | RANDOM) % $1))
}

# nvids IDX: the number of VLANs of VF IDX, in N
nvids()
{
	local -a w

	read -r -a w <<<"${VL[$1]}"
	N=${#w[@]}
}

# has IDX VID: VF IDX has VID
has()
{
	[[ " ${VL[$1]} " == *" $2 "* ]]
}

# --- events --------------------------------------------------------------------------

# recovered_by COUNTER IDXS CMD...: CMD makes each VF of IDXS ("0", "1", "0 1") bump
# COUNTER of its vc_stats (recoveries, recreations): wait until they have, and until
# both VFs are back. The counter is taken before CMD, so a reset that ends before the
# wait begins is still seen.
recovered_by()
{
	local what=$1 i b=() idx

	read -r -a idx <<<"$2"
	shift 2
	for i in "${idx[@]}"; do
		vf_stat_get "${VFP[i]}" "$what" || fail "no $what in vc_stats" || return 1
		b[i]=$STAT
	done
	"$@" || return 1
	for i in "${idx[@]}"; do
		wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[i]}" "$what" "${b[i]}" ||
			fail "VF $i: $what stays ${b[i]} after $*" || return 1
	done
	vfs_back
}

# poke FILE VALUE: VALUE written to a knob
poke()
{
	echo "$2" >"$1" || fail "cannot write $2 to $1"
}

# host IDX SETTING...: ip link set PF vf IDX SETTING...
host()
{
	ipq "" link set dev "$PFDEV" vf "$@" || fail "vf $* refused: $IPQ"
}

# svc MS: the card goes away for MS ms and comes back
svc()
{
	local s=""

	echo "$1" >"$VLAN_DBG/simnic_hw/$PF/service" || fail "cannot service the card" ||
		return 1
	wait_for 30 eval '{ read -r s _ <"$VLAN_DBG/simnic_hw/$PF/service"; [ "$s" = ready ]; }' ||
		fail "the card is not back from servicing"
}

# eswitch_round_trip: switchdev (every VF reset), then legacy again (reset again)
eswitch_round_trip()
{
	recovered_by recoveries "0 1" set_mode switchdev &&
		recovered_by recoveries "0 1" set_mode legacy
}

# reload: devlink dev reload, which makes the PF netdev anew (PFDEV may change)
reload()
{
	local out

	out=$(devlink dev reload "pci/$PF" action driver_reinit 2>&1) ||
		fail "devlink dev reload: $out" || return 1
	wait_for 10 pci_netdev "$PF" >/dev/null || fail "no PF netdev after the reload" ||
		return 1
	PFDEV=$(pci_netdev "$PF")
}

# vlan_new IDX VID: VID on VF IDX, up, with its address (refusals are the caller's)
vlan_new()
{
	add "$1" "$2" || return 1
	vlan_l3 "${NS[$1]}" "${DEV[$1]}" "$2" $(($1 + 1)) || fail "cannot address VLAN $2"
}

# vlan_refused IDX VID WHY: the add of VID must fail with WHY (ip's words for the
# errno) and leave no device
vlan_refused()
{
	vlan_cmd_get "${DEV[$1]}" add "$2"
	# shellcheck disable=SC2086 # VCMD is a command
	! ipq "${NS[$1]}" $VCMD ||
		fail "VF $1 (trust ${TRUST[$1]}, pvid ${PVID[$1]}) took VLAN $2" || return 1
	[[ $IPQ == *"$3"* ]] || fail "VLAN $2 of VF $1 refused with '${IPQ%$'\n'}', not '$3'" ||
		return 1
	! vlan_exists "${NS[$1]}" "${DEV[$1]}" "$2" || fail "VLAN $2 of VF $1 left after its refusal"
}

# vlans_keep IDX N: VF IDX keeps its N lowest VLANs, the others deleted (before an
# event that the model does not follow a VF into with more); DROPPED: those deleted
vlans_keep()
{
	local -a w
	local i=$1 v

	read -r -a w <<<"${VL[i]}"
	DROPPED=${w[*]:$2}
	for v in $DROPPED; do
		del "$i" "$v" || return 1
	done
	VL[i]=${w[*]:0:$2}
}

# fresh IDX: VF IDX has a new netdev: in its namespace, up, with its untagged address;
# no VLAN devices (they went with the old one), and counters that start again from 0
# (the only place where they may go back)
fresh()
{
	local i=$1

	VL[i]=""
	RXP[i]=0
	TXP[i]=0
	vf_ensure "$i" && vlan_l3 "${NS[i]}" "${DEV[i]}" 0 $((i + 1)) ||
		fail "VF $i: no new netdev ready"
}

# rebind IDX: simnic_vf unbound from VF IDX and bound again (vf_ensure binds it)
rebind()
{
	poke /sys/bus/pci/drivers/simnic_vf/unbind "${VFP[$1]}" && fresh "$1" && vfs_back
}

# numvfs: SR-IOV off and on again with 2 VFs (after 2 -> 3, which must fail with
# EBUSY): new VFs, with the host's defaults, new netdevs
numvfs()
{
	local f=/sys/bus/pci/devices/$PF/sriov_numvfs i out

	out=$( (echo 3 >"$f") 2>&1) && fail "sriov_numvfs 2 -> 3 taken" && return 1
	[[ $out == *"Device or resource busy"* ]] || fail "sriov_numvfs 2 -> 3: $out" ||
		return 1
	poke "$f" 0 && poke "$f" 2 || return 1
	for i in 0 1; do
		VFP[i]=$(vf_pci "$PF" "$i") || fail "no VF $i" || return 1
		PVID[i]=0 TRUST[i]=off SPOOF[i]=on HMAC[i]=""
		fresh "$i" || return 1
	done
	vfs_back
}

# --- namespace moves (netns) -------------------------------------------------------------
#
# What Linux does when a netdev changes namespace (ip link set DEV netns NS): it goes
# down and loses its addresses (the notifiers of an unregistration run); its 802.1Q
# devices stay in the namespace it left (vlan_device_event() ignores NETDEV_UNREGISTER
# unless the device is really going), so the VF keeps their VLAN filters; they go down
# with it (NETDEV_DOWN) and come up with it (NETDEV_UP), and carry traffic with their
# lower device in another namespace. The netdev is the same one, and so are its
# counters. Meanwhile LNS has the namespace the VF's netdev is in, which the checks
# use for it and for untagged traffic; its VLAN devices are still used in NS.

# away_get IDX: the VIDs of the 802.1Q devices in NS[IDX] on top of VF IDX's netdev
# while that is in LNS[IDX], in VSET, and those of them that are up, in AWAY_UP. ip
# names such a lower device by its index in its namespace (VLAN@ifN), and that
# namespace by its name (link-netns NAME) or by its id in NS[IDX] (link-netnsid N),
# which `ip netns list-id` names: a new ip each time, since a namespace of the same
# name made anew has a new id, and ipq's servers keep the names they have looked up.
away_get()
{
	local -a vids=() up=()
	local i=$1 l re links id=none

	ipq "${LNS[i]}" link show dev "${DEV[i]}" && [[ $IPQ =~ ^([0-9]+): ]] || return 1
	re="^[0-9]+: [^@]+@if${BASH_REMATCH[1]}: "
	ipq "${NS[i]}" link show type vlan || return 1
	links=$IPQ
	if [[ $links == *"@if${BASH_REMATCH[1]}: "* ]]; then
		l=$(ip -n "${NS[i]}" netns list-id)
		[[ $l =~ nsid\ ([0-9]+)\ \(iproute2\ netns\ name:\ "${LNS[i]}"\) ]] ||
			{ IPQ="$l"$'\n'"$links"; return 1; }
		id=${BASH_REMATCH[1]}
	fi
	re+=".* link-netns(id $id| ${LNS[i]}) .* 802\\.1Q id ([0-9]+) "
	IPQ=$links
	while read -r l; do
		[[ $l =~ $re ]] || continue
		vids[BASH_REMATCH[2]]=1
		[[ $l != *[\<,]UP[,\>]* ]] || up[BASH_REMATCH[2]]=1
	done <<<"$IPQ"
	VSET="${!vids[*]}"
	AWAY_UP="${!up[*]}"
}

# _away_consistent IDX WANT: one look at the VLAN invariant of VF IDX while its netdev
# is away: its VLAN devices, the VF's list, the PF's and the switch's tables are WANT
_away_consistent()
{
	local u

	away_get "$1" || return 1
	u=$VSET
	vlan_set_get "$2"
	[ "$u" = "$VSET" ] && _vlan_tables_are "${VFP[$1]}" "$PF" "$1" "$2"
}

# inv_away IDX WANT: within VLAN_SETTLE seconds, _away_consistent
inv_away()
{
	wait_for "$VLAN_SETTLE" _away_consistent "$@" && return 0
	away_get "$1"
	fail "VF $1 (its netdev in ${LNS[$1]}): VLAN state disagrees after ${VLAN_SETTLE}s"
	printf '  %-30s %s\n' "VLAN devices in ${NS[$1]}:" "${VSET:-(none)}" \
		"VF list (${VFP[$1]}):" "$(vlan_vf_list "${VFP[$1]}")" \
		"PF table (vf$1):" "$(vlan_pf_set "$PF" "$1")" \
		"switch table (vf$1):" "$(vlan_hw_set "$PF" "$1")" \
		"expected:" "${2:-(none)}"
	return 1
}

# just_moved NS IDX FROM: VF IDX's netdev is in NS as a move leaves it: down, without
# a global address, and not in FROM, the namespace it left
just_moved()
{
	local i=$2

	ipq "$1" link show dev "${DEV[i]}" || fail "VF $i: ${DEV[i]} not in $1: $IPQ" ||
		return 1
	[[ $IPQ != *[\<,]UP[,\>]* ]] || fail "VF $i: ${DEV[i]} up in $1 after the move" ||
		return 1
	ipq "$1" addr show dev "${DEV[i]}" scope global || fail "addr show: $IPQ" || return 1
	[[ $IPQ != *inet* ]] || fail "VF $i: ${DEV[i]} kept an address in $1: $IPQ" ||
		return 1
	! vf_dev_get "$3" "${VFP[i]}" || fail "VF $i: its netdev $VFDEV is still in $3"
}

# netns_trip IDX [flr]: VF IDX's netdev moves into NSX, comes up there with its
# untagged address (and has an FLR there, with flr), passes every check of a quiescent
# point there, and comes home the same way
netns_trip()
{
	local i=$1

	ns_add "$NSX" || fail "cannot make namespace $NSX" || return 1
	ipq "${NS[i]}" link set dev "${DEV[i]}" netns "$NSX" ||
		fail "cannot move ${DEV[i]} to $NSX: $IPQ" || return 1
	LNS[i]=$NSX
	just_moved "$NSX" "$i" "${NS[i]}" || return 1
	# its VLAN devices stayed where they were, down with it, and its filters with them
	away_get "$i" || fail "VF $i: no ${DEV[i]} in $NSX, or no id of it in ${NS[i]}: $IPQ" ||
		return 1
	[ "$VSET" = "${VL[i]}" ] && [ -z "$AWAY_UP" ] ||
		fail "VF $i: VLAN devices {$VSET} in ${NS[i]}, {$AWAY_UP} of them up," \
		     "after the move; expected {${VL[i]}}, none up; ip says: ${IPQ:0:600}" ||
		return 1
	vlan_tables "${VFP[i]}" "$PF" "$i" "${VL[i]}" || return 1
	ipq "$NSX" link set dev "${DEV[i]}" up || fail "cannot bring ${DEV[i]} up: $IPQ" ||
		return 1
	wait_for "$VLAN_RESET_WAIT" carrier_up "$NSX" "${DEV[i]}" ||
		fail "VF $i: no carrier in $NSX" || return 1
	vlan_l3 "$NSX" "${DEV[i]}" 0 $((i + 1)) || fail "cannot address ${DEV[i]} in $NSX" ||
		return 1
	away_get "$i" && [ "$AWAY_UP" = "${VL[i]}" ] ||
		fail "VF $i: of its VLAN devices {${VL[i]}}, {$AWAY_UP} came up with it" ||
		return 1
	if [ "${2:-}" = flr ]; then
		vf_flr "$NSX" "${DEV[i]}" "${VFP[i]}" || return 1
	fi
	quiescent || return 1
	ipq "$NSX" link set dev "${DEV[i]}" netns "${NS[i]}" ||
		fail "cannot move ${DEV[i]} back to ${NS[i]}: $IPQ" || return 1
	LNS[i]=${NS[i]}
	just_moved "${NS[i]}" "$i" "$NSX" || return 1
	ns_del "$NSX" || fail "cannot delete $NSX" || return 1
	vf_ensure "$i" && vlan_l3 "${NS[i]}" "${DEV[i]}" 0 $((i + 1)) ||
		fail "VF $i: not ready at home" || return 1
	vfs_back
}

# netns_home: a VF that a failure left in NSX goes home, for the cleanup
netns_home()
{
	local i

	for i in 0 1; do
		[ "${LNS[i]}" = "${NS[i]}" ] && continue
		ip -n "$NSX" link set dev "${DEV[i]}" netns "${NS[i]}"
		LNS[i]=${NS[i]}
	done
	ns_del "$NSX" 2>/dev/null
}

# --- bursts --------------------------------------------------------------------------

# burst_fire EVENT: start EVENT (of a burst, with its VLAN churn planned: +VID add,
# -VID delete, =VID skipped) and return once it has started, not recovered. mtu and
# channels return 3 when refused as busy: the VF is recovering from a reset, which
# they may meet.
burst_fire()
{
	local -a a
	local i v

	read -r -a a <<<"$1"
	i=${a[1]:-}
	case ${a[0]} in
	vf_flr) poke "/sys/bus/pci/devices/${VFP[i]}/reset" 1 ;;
	pf_flr) pf_flr "$PF" ;;
	reset_vfs) poke "$VLAN_DBG/simnic_pf/$PF/reset_vfs" 1 ;;
	service) poke "$VLAN_DBG/simnic_hw/$PF/service" "$i" ;;
	link) link_flap 1 ;;
	trust) host "$i" trust "${a[2]}" ;;
	vlan)
		for v in "${a[@]:2}"; do
			case $v in
			+*) vlan_new "$i" "${v#+}" || return 1 ;;
			-*) del "$i" "${v#-}" || return 1 ;;
			esac
		done
		;;
	mtu)
		ipq "${NS[i]}" link set dev "${DEV[i]}" mtu "${a[2]}" && return 0
		[[ $IPQ != *"Device or resource busy"* ]] || return 3
		fail "mtu ${a[2]}: $IPQ"
		;;
	channels)
		nsq "${NS[i]}" ethtool -L "${DEV[i]}" combined "${a[2]}" && return 0
		[[ $NSQ != *"Device or resource busy"* ]] || return 3
		fail "ethtool -L combined ${a[2]}: $NSQ"
		;;
	esac
}

# mtu_get IDX / channels_get IDX: VF IDX's MTU, or its combined channels, in R
mtu_get()
{
	ipq "${NS[$1]}" link show dev "${DEV[$1]}" && [[ $IPQ =~ \ mtu\ ([0-9]+)\  ]] ||
		fail "no MTU for ${DEV[$1]}: $IPQ" || return 1
	R=${BASH_REMATCH[1]}
}

channels_get()
{
	nsq "${NS[$1]}" ethtool -l "${DEV[$1]}" &&
		[[ $NSQ =~ Current\ hardware\ settings:.*Combined:[[:space:]]+([0-9]+) ]] ||
		fail "no channels for ${DEV[$1]}: $NSQ" || return 1
	R=${BASH_REMATCH[1]}
}

# burst: the events of BURST, all started at once; then one wait until the VFs are
# back from them all (the card back, the VFs that had a reset recovered from it,
# both settled with carrier); the model follows. OUTCOME: VLANs deleted before trust
# went off, the churn as done, and mtu or channels refused as busy.
burst()
{
	local -a a pid=() rec=(0 0) before=() was=()
	local k i v rc bad=0 card=0 plan

	# first, as for trust alone, the VLANs beyond 8 of a VF whose trust goes off
	for k in "${!BURST[@]}"; do
		read -r -a a <<<"${BURST[k]}"
		[ "${a[0]} ${a[2]:-}" = "trust off" ] || continue
		vlans_keep "${a[1]}" "$UNTRUSTED_MAX" || return 1
		[ -z "$DROPPED" ] || OUTCOME+=" (deleted $DROPPED first)"
	done
	for k in "${!BURST[@]}"; do
		read -r -a a <<<"${BURST[k]}"
		i=${a[1]:-}
		case ${a[0]} in
		pf_flr | reset_vfs) rec=(1 1) ;;
		service) rec=(1 1) card=1 ;;
		trust) rec[i]=1 ;;
		vlan)
			plan=""
			for v in "${a[@]:2}"; do
				if has "$i" "$v"; then
					VSET=" ${VL[i]} "
					vlan_set_get "${VSET/ $v / }"
					plan+=" -$v"
				else
					nvids "$i"
					if [ "$N" -ge "$UNTRUSTED_MAX" ]; then
						plan+=" =$v"
						continue
					fi
					vlan_set_get "${VL[i]} $v"
					plan+=" +$v"
				fi
				VL[i]=$VSET
			done
			BURST[k]="vlan $i$plan"
			OUTCOME+=" vlan $i:$plan"
			;;
		mtu) mtu_get "$i" || return 1; was[k]=$R ;;
		channels) channels_get "$i" || return 1; was[k]=$R ;;
		esac
	done
	for i in 0 1; do
		vf_stat_get "${VFP[i]}" recoveries || fail "no recoveries in vc_stats" || return 1
		before[i]=$STAT
	done
	for k in "${!BURST[@]}"; do
		burst_fire "${BURST[k]}" &
		pid[k]=$!
	done
	for k in "${!BURST[@]}"; do
		wait "${pid[k]}"
		rc=$?
		read -r -a a <<<"${BURST[k]}"
		if [ "$rc" = 3 ]; then
			OUTCOME+=" ${a[0]} ${a[1]} busy"
		elif [ "$rc" != 0 ]; then
			echo "burst: ${BURST[k]} failed ($rc)"
			bad=1
		fi
		[ "$rc" != 0 ] || [ "${a[0]}" != trust ] || TRUST[a[1]]=${a[2]}
		was[k]="${was[k]:-} $rc"
	done
	[ "$bad" = 0 ] || return 1
	if [ "$card" = 1 ]; then
		wait_for 30 eval '{ read -r v _ <"$VLAN_DBG/simnic_hw/$PF/service"; [ "$v" = ready ]; }' ||
			fail "the card is not back from servicing" || return 1
	fi
	for i in 0 1; do
		[ "${rec[i]}" = 1 ] || continue
		wait_for "$VLAN_RESET_WAIT" vf_stat_above "${VFP[i]}" recoveries "${before[i]}" ||
			fail "VF $i: recoveries stays ${before[i]} after the burst" || return 1
	done
	vfs_back || return 1
	# what mtu and channels left: the new value if taken, the old one if refused
	for k in "${!BURST[@]}"; do
		read -r -a a <<<"${BURST[k]}"
		read -r v rc <<<"${was[k]}"
		case ${a[0]} in
		mtu) mtu_get "${a[1]}" || return 1 ;;
		channels) channels_get "${a[1]}" || return 1 ;;
		*) continue ;;
		esac
		[ "$rc" = 0 ] || a[2]=$v
		[ "$R" = "${a[2]}" ] ||
			fail "VF ${a[1]}: ${a[0]} $R after ${BURST[k]} (exit $rc), expected ${a[2]}" ||
			return 1
	done
}

# --- the step: draw, log, apply ---------------------------------------------------------

# draw: the next event, from the seeded RANDOM and the model only, into EV (the words
# logged) and FAM (its family); for a burst, its events in BURST. Nothing else may touch
# RANDOM between two draws.
draw()
{
	rnd "${#FAMILIES[@]}"
	FAM=${FAMILIES[R]}
	if [ "$FAM" = burst ]; then
		draw_burst
	else
		draw_event "$FAM"
	fi
}

# draw_event FAMILY [burst]: an event of FAMILY and its arguments, into EV. In a burst
# (see draw_burst) VLAN churn has no "fill" and goes to a VF without a port VLAN.
draw_event()
{
	local i v k n cur

	rnd 2
	i=$R
	case $1 in
	vf_flr | reconfig | rebind)
		EV="$1 $i"
		;;
	pf_flr | reset_vfs | link | eswitch | reload | numvfs)
		EV=$1
		;;
	netns)
		# half the time, an FLR of the VF while its netdev is away
		rnd 2
		EV="netns $i"
		[ "$R" = 0 ] || EV+=" flr"
		;;
	service)
		rnd 15
		EV="service $((100 * (R + 1)))"
		;;
	trust)
		[ "${TRUST[i]}" = on ] && EV="trust $i off" || EV="trust $i on"
		;;
	spoofchk)
		[ "${SPOOF[i]}" = on ] && EV="spoofchk $i off" || EV="spoofchk $i on"
		;;
	pvid)
		# none: one of the two; one: mostly none (a VF behind a port VLAN has
		# no VLANs of its own and talks to no VF outside it), else the other
		cur=${PVID[i]}
		rnd 4
		if [ "$cur" = 0 ]; then
			v=${PVIDS[R % 2]}
		elif [ "$R" != 0 ]; then
			v=0
		else
			v=$((PVIDS[0] + PVIDS[1] - cur))
		fi
		EV="pvid $i $v"
		;;
	mac)
		rnd 4
		if [ "$R" = 0 ] && [ -n "${HMAC[i]}" ]; then
			EV="mac $i 00:00:00:00:00:00"
		else
			rnd 256
			v=$(printf '02:00:00:5a:%02x:%02x' "$R" "$i")
			[ "$v" != "${HMAC[i]}" ] || v=$(printf '02:00:00:5a:%02x:%02x' $(((R + 1) % 256)) "$i")
			EV="mac $i $v"
		fi
		;;
	vlan)
		# 1 in 4: "fill", the VIDs of the pool VF i lacks added in order until one
		# is refused (at the untrusted limit, or behind a port VLAN); else 1 to 4
		# VIDs of the pool, each added if VF i lacks it, deleted if it has it
		if [ -z "${2:-}" ]; then
			rnd 4
			[ "$R" != 0 ] || { EV="vlan $i fill"; return 0; }
		elif [ "${PVID[i]}" != 0 ]; then
			i=$((1 - i))
		fi
		rnd 4
		n=$((R + 1))
		EV="vlan $i"
		for ((k = 0; k < n; k++)); do
			rnd "${#VID_POOL[@]}"
			EV+=" ${VID_POOL[R]}"
		done
		;;
	mtu)
		rnd 4
		EV="mtu $i ${MTUS[R]}"
		;;
	channels)
		rnd "$CH_MAX"
		EV="channels $i $((R + 1))"
		;;
	rings)
		rnd "${#RINGS[@]}"
		EV="rings $i ${RINGS[R]}"
		;;
	esac
}

# draw_burst: 2 or 3 events of different families of BURST_FAMILIES, in BURST; EV is
# "burst: EVENT + EVENT...". Left out, because the model could not tell what they do:
#  - servicing with a trust change or reset_vfs: both are refused (-EBUSY) while the
#    card is away, and whether it is when they run is a matter of timing (a refused
#    trust change would also change what the seed draws next);
#  - VLAN churn behind a port VLAN: until it is ready again after a reset, the VF
#    takes an add it refuses once ready (-EOPNOTSUPP), and drops the filter when it
#    learns it has no VLAN filters (simnic_vf_vlan_fit()): so no churn on such a VF;
#  - VLAN churn beyond 8 VLANs and "fill": from the PF's answer with its resources to
#    the one with its VLAN capabilities, the VF's limit is 0 (none: vlan_max in
#    vc_stats), so it takes adds beyond 8, and drops those filters once it knows the
#    limit: so in a burst, churn adds only while the VF has fewer than 8 VLANs,
#    trusted or not, and skips the others ("=VID" in the log).
draw_burst()
{
	local n f e fams=" "

	rnd 2
	n=$((R + 2))
	BURST=()
	while [ "${#BURST[@]}" -lt "$n" ]; do
		rnd "${#BURST_FAMILIES[@]}"
		f=${BURST_FAMILIES[R]}
		[[ $fams != *" $f "* ]] || continue
		case "$f$fams" in
		service*" trust "* | service*" reset_vfs "* | trust*" service "* | \
		reset_vfs*" service "*)
			continue
			;;
		esac
		[ "$f" != vlan ] || [ "${PVID[0]}" = 0 ] || [ "${PVID[1]}" = 0 ] || continue
		draw_event "$f" burst
		BURST+=("$EV")
		fams+="$f "
	done
	EV="burst: ${BURST[0]}"
	for e in "${BURST[@]:1}"; do
		EV+=" + $e"
	done
}

# vlan_toggle IDX VID: VID added to VF IDX if it lacks it (or refused, where the rules
# forbid it: behind a port VLAN with EOPNOTSUPP, at the untrusted limit with ENOSPC),
# deleted if it has it; what
# happened appended to OUTCOME
vlan_toggle()
{
	local i=$1 v=$2

	if has "$i" "$v"; then
		del "$i" "$v" || return 1
		VSET=" ${VL[i]} "
		vlan_set_get "${VSET/ $v / }"
		VL[i]=$VSET
		OUTCOME+=" -$v"
		return 0
	fi
	nvids "$i"
	if [ "${PVID[i]}" != 0 ]; then
		vlan_refused "$i" "$v" "Operation not supported" || return 1
		OUTCOME+=" !$v"
		return 0
	fi
	if [ "${TRUST[i]}" = off ] && [ "$N" -ge "$UNTRUSTED_MAX" ]; then
		vlan_refused "$i" "$v" "No space left on device" || return 1
		OUTCOME+=" !$v"
		return 0
	fi
	vlan_new "$i" "$v" || return 1
	vlan_set_get "${VL[i]} $v"
	VL[i]=$VSET
	OUTCOME+=" +$v"
}

# apply: the event EV, then wait until both VFs are back; the model follows it.
# OUTCOME: what the event did beyond its words (VLANs deleted first, adds refused)
apply()
{
	local -a a
	local i v

	read -r -a a <<<"$EV"
	i=${a[1]:-}
	OUTCOME=""
	case $FAM in
	vf_flr) flr "$i" ;;
	pf_flr) recovered_by recoveries "0 1" pf_flr "$PF" ;;
	reset_vfs) recovered_by recoveries "0 1" poke "$VLAN_DBG/simnic_pf/$PF/reset_vfs" 1 ;;
	service) recovered_by recoveries "0 1" svc "$i" ;;
	reconfig) recovered_by recreations "$i" poke "$VLAN_DBG/simnic_hw/$PF/vf$i/reconfig" 1 ;;
	link) link_flap 1 && vfs_back ;;
	eswitch) eswitch_round_trip ;;
	reload) recovered_by recoveries "0 1" reload ;;
	rebind) rebind "$i" ;;
	numvfs) numvfs ;;
	netns) netns_trip "$i" "${a[2]:-}" ;;
	burst) burst ;;
	trust)
		if [ "${a[2]}" = off ]; then
			vlans_keep "$i" "$UNTRUSTED_MAX" || return 1
			[ -z "$DROPPED" ] || OUTCOME=" (deleted $DROPPED first)"
		fi
		trust "$i" "${a[2]}" || return 1
		TRUST[i]=${a[2]}
		;;
	spoofchk)
		host "$i" spoofchk "${a[2]}" || return 1
		SPOOF[i]=${a[2]}
		;;
	pvid)
		if [ "${a[2]}" != 0 ]; then
			vlans_keep "$i" 0 || return 1
			[ -z "$DROPPED" ] || OUTCOME=" (deleted $DROPPED first)"
		fi
		recovered_by recoveries "$i" host "$i" vlan "${a[2]}" || return 1
		PVID[i]=${a[2]}
		;;
	mac)
		recovered_by recoveries "$i" host "$i" mac "${a[2]}" || return 1
		HMAC[i]=${a[2]#00:00:00:00:00:00}
		;;
	vlan)
		if [ "${a[2]}" = fill ]; then
			for v in "${VID_POOL[@]}"; do
				! has "$i" "$v" || continue
				vlan_toggle "$i" "$v" || return 1
				[[ $OUTCOME != *!* ]] || break
			done
		else
			for v in "${a[@]:2}"; do
				vlan_toggle "$i" "$v" || return 1
			done
		fi
		OUTCOME=" ->$OUTCOME"
		;;
	mtu)
		ipq "${NS[i]}" link set dev "${DEV[i]}" mtu "${a[2]}" ||
			fail "mtu ${a[2]} refused: $IPQ" || return 1
		vfs_back
		;;
	channels)
		nsq "${NS[i]}" ethtool -L "${DEV[i]}" combined "${a[2]}" ||
			fail "ethtool -L combined ${a[2]}: $NSQ" || return 1
		vfs_back
		;;
	rings)
		nsq "${NS[i]}" ethtool -G "${DEV[i]}" rx "${a[2]}" tx "${a[2]}" ||
			fail "ethtool -G ${a[2]}: $NSQ" || return 1
		vfs_back
		;;
	esac
}

# --- the checks at a quiescent point ------------------------------------------------

# reach VID [no]: VF 0 reaches VF 1 over VID (0: untagged), or with "no", does not.
# Both sides get the other's MAC as a permanent neighbour first (a carrier loss flushes
# them, a MAC change makes them wrong), so that only the switch decides.
reach()
{
	local n0=$NS1 n1=$NS2

	# untagged, from the namespaces the netdevs are in; tagged, from their VLAN devices'
	[ "$1" != 0 ] || { n0=${LNS[0]}; n1=${LNS[1]}; }
	_vlan_dev "${DEV[1]}" "$1"
	ipq "$n1" neigh replace "2001:db8:$1::1" lladdr "${MAC[0]}" nud permanent dev "$VDEV"
	if [ "${2:-}" = no ]; then
		vlan_no_ping "$n0" "${DEV[0]}" "$1" 2 "${MAC[1]}"
	else
		vlan_wait_ping "$n0" "${DEV[0]}" "$1" 2 "${MAC[1]}"
	fi
}

# host_as_set IDX: the PF reports VF IDX's settings as the model has them, and the VF
# uses the MAC the host gave it
host_as_set()
{
	local i=$1 l

	l=$(vf_info "$i") || fail "no vf $i line for $PFDEV" || return 1
	[[ $l == *"spoof checking ${SPOOF[i]}"* && $l == *"trust ${TRUST[i]}"* ]] &&
		if [ "${PVID[i]}" = 0 ]; then
			! [[ $l =~ ,\ vlan\ [1-9] ]]
		else
			[[ $l == *", vlan ${PVID[i]}"* ]]
		fi &&
		{ [ -z "${HMAC[i]}" ] || [[ $l == *"link/ether ${HMAC[i]} "* ]]; } ||
		fail "VF $i: expected spoofchk ${SPOOF[i]}, trust ${TRUST[i]}, pvid ${PVID[i]}," \
		     "mac ${HMAC[i]:-any}; the PF says: $l" || return 1
	[ -z "${HMAC[i]}" ] || [ "${MAC[i]}" = "${HMAC[i]}" ] ||
		fail "VF $i uses ${MAC[i]}, the host set ${HMAC[i]}"
}

# counters_grow IDX: VF IDX's packet counters (ip -s) are not below the last ones
counters_grow()
{
	local i=$1 rx tx

	ipq "${LNS[i]}" link show dev "${DEV[i]}" || fail "no ${DEV[i]}: $IPQ" || return 1
	[[ $IPQ =~ RX:\ +bytes\ +packets[^\\]*\\\ +[0-9]+\ +([0-9]+) ]] && rx=${BASH_REMATCH[1]} &&
		[[ $IPQ =~ TX:\ +bytes\ +packets[^\\]*\\\ +[0-9]+\ +([0-9]+) ]] &&
		tx=${BASH_REMATCH[1]} || fail "no counters for ${DEV[i]}: $IPQ" || return 1
	[ "$rx" -ge "${RXP[i]}" ] && [ "$tx" -ge "${TXP[i]}" ] ||
		fail "VF $i counters went back: rx ${RXP[i]} -> $rx, tx ${TXP[i]} -> $tx" || return 1
	RXP[i]=$rx
	TXP[i]=$tx
}

# quiescent: every check of the top of this file
quiescent()
{
	local i v only=""

	# the traffic's ping runs through every event: it stays in NS1, and while VF 0's
	# netdev is away (netns) what it sends finds no route and counts as lost
	[ -z "${TRAFFIC_PID:-}" ] || [ -e "/proc/$TRAFFIC_PID/exe" ] ||
		fail "the traffic's ping has ended: $(tail -n 3 "$TRAFFIC_OUT")" || return 1
	for i in 0 1; do
		if [ "${LNS[i]}" = "${NS[i]}" ]; then
			vf_ensure "$i" && inv "$i" "${VL[i]}" || return 1
		else
			wait_for "$VLAN_RESET_WAIT" carrier_up "${LNS[i]}" "${DEV[i]}" ||
				fail "VF $i: no carrier in ${LNS[i]}" || return 1
			inv_away "$i" "${VL[i]}" || return 1
		fi
		host_as_set "$i" && counters_grow "$i" || return 1
	done
	for v in ${VL[0]}; do
		if has 1 "$v"; then
			reach "$v" || return 1
		else
			only=${only:-$v}
		fi
	done
	if [ "${PVID[0]}" = "${PVID[1]}" ]; then
		reach 0 || fail "no untagged traffic with port VLANs ${PVID[*]}" || return 1
	else
		reach 0 no || fail "untagged traffic across port VLANs ${PVID[*]}" || return 1
	fi
	[ -z "$only" ] || reach "$only" no || fail "VLAN $only reached a VF without it"
}

# --- the case ------------------------------------------------------------------------

# chaos_fail STEP: what it takes to replay the failure
chaos_fail()
{
	echo "chaos FAILED at step $1: CHAOS_SEED=$CHAOS_SEED; the events so far:"
	sed 's/^/  /' "$EVLOG"
	return 1
}

test_chaos()
{
	local -A count=()
	local k=0 end=$((SECONDS + CHAOS_SECONDS)) i f l rc=0

	RANDOM=$CHAOS_SEED
	: >"$EVLOG"
	for i in 0 1; do
		vlan_l3 "${NS[i]}" "${DEV[i]}" 0 $((i + 1)) || return 1
	done
	nsq "$NS1" ethtool -l "${DEV[0]}" && [[ $NSQ =~ Combined:[[:space:]]+([0-9]+) ]] ||
		fail "no channels from ethtool -l: $NSQ" || return 1
	CH_MAX=${BASH_REMATCH[1]}
	quiescent || return 1
	# the traffic that runs through every event (traffic_stop ends it): VF 0 pings VF
	# 1 untagged, 5 a second; what it lost is reported, not judged
	TRAFFIC_OUT=$(mktemp)
	ip netns exec "$NS1" ping -6 -i 0.2 -W 1 2001:db8:0::2 >"$TRAFFIC_OUT" 2>&1 &
	TRAFFIC_PID=$!
	# ping gives up at its start if it finds no route (connect: Network is
	# unreachable): the first event may take VF 0's netdev only once it has begun
	wait_for 10 traffic_flowing || fail "no traffic: $(cat "$TRAFFIC_OUT")" || rc=1
	while [ "$rc" = 0 ] && [ "$SECONDS" -lt "$end" ] &&
	      { [ "$CHAOS_EVENTS" = 0 ] || [ "$k" -lt "$CHAOS_EVENTS" ]; }; do
		k=$((k + 1))
		draw
		echo "step $k: $EV" >>"$EVLOG"
		apply || rc=1
		[ -z "$OUTCOME" ] || echo "  $OUTCOME" >>"$EVLOG"
		[ "$rc" = 0 ] || break
		count[$FAM]=$((${count[$FAM]:-0} + 1))
		quiescent || { rc=1; break; }
	done

	traffic_stop || rc=1
	[ "$rc" = 0 ] || { netns_home; chaos_fail "$k"; return 1; }
	# no VLANs left for case_cleanup to take away with the host's settings
	vlans_keep 0 0 && vlans_keep 1 0 && inv 0 "" && inv 1 "" || return 1
	l=""
	for f in "${!count[@]}"; do
		l+=" $f ${count[$f]}"
	done
	echo "$k events in $CHAOS_SECONDS s (CHAOS_SEED=$CHAOS_SEED):$l" >"$COUNTS"
	echo "the events:"
	sed 's/^/  /' "$EVLOG"
	# the flow moved through it all, and the last quiescent point saw it
	[ "${TXP[0]}" -gt 0 ] || fail "VF 0 sent nothing"
}

suite_begin "$NCASES"
ktap_note "chaos: CHAOS_SEED=$CHAOS_SEED CHAOS_SECONDS=$CHAOS_SECONDS" \
	  "CHAOS_EVENTS=$CHAOS_EVENTS CHAOS_FAMILIES=${CHAOS_FAMILIES:-}"
vcase "chaos: seeded events with traffic, invariants at every quiescent point" test_chaos
l=""
read -r l 2>/dev/null <"$COUNTS"
ktap_note "chaos: ${l:-no count: the chaos case failed (CHAOS_SEED=$CHAOS_SEED)}"
run_test "dmesg: no call traces / BUGs / stalls" dmesg_clean
run_test "unload: the modules unload after all of it" pair_unload
ktap_finish
