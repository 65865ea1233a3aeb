#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The PF's teardown paths against pending work, under stress, for a bounded time.
# Background actors change the eswitch mode (legacy <-> switchdev), the VF count (0 ->
# 2 -> 0 -> 4 -> 0, and N -> M, which must be refused), VF trust (resets the PF makes,
# announced), reload the PF (devlink dev reload, driver_reinit: an operation boundary
# of its own) and send VIRTCHNL_OP_RESET_VF as VF 0 and VF 1 (the card's mbx_inject, as
# devlink.sh does: resets a VF asks for, which the PF finishes from its work queue),
# while wq_delay_ms holds every work item back before it tries the devlink lock, so
# that work is pending whenever SR-IOV is enabled or disabled (operation boundaries of
# the work queue). Then the same actors with the PF unbound and bound again, then with
# the modules unloaded and loaded again (rmmod simnic_vf simnic_pf, modprobe), with
# work pending at each teardown. Each case runs for STRESS_SECONDS and at least two
# rounds of its main actor (VF count, unbind or rmmod). Every operation runs under
# timeout; its refusals must be the documented ones, which are counted and printed;
# anything else, an actor that never succeeded, or actors that stop making progress
# (stuck in the kernel) fails the case, the last with the kernel stacks of the tasks
# in D state, without hanging the suite.
# After that the device still works: two VFs get netdevs and ping each other across
# namespaces (vf_pair.sh), and the modules unload. What the shell cannot see (lockdep,
# KASAN, hung tasks, kmemleak) the kernel log shows: the last case and vmrun's scan of
# the guest's log judge it.
#
# STRESS_SECONDS (default 20): how long each of the three stress cases runs at least.
# On an idle machine the suite takes a few minutes; under TCG on a machine shared with
# other VMs each operation is much slower and the cases last until their main actors
# have done two rounds.
# STRESS_OP_TIMEOUT (default 90): the longest one operation may take, and the longest
# the actors may go without beginning one. A task blocked for 60 s makes the debug
# kernel report a hung task first, and vmrun fail the run. STRESS_WQ_DELAY_MS
# (default 1000): wq_delay_ms during the stress.
# STRESS_CASES=REGEX runs a subset (the others are reported as skipped).

dir=$(dirname "$0")
source "$dir/lib.sh"
source "$dir/vlan_lib.sh"
source "$dir/vf_pair.sh"

DBG=/sys/kernel/debug
CASES=${STRESS_CASES:-}
NCASES=6
STRESS_SECONDS=${STRESS_SECONDS:-20}
OP_TIMEOUT=${STRESS_OP_TIMEOUT:-90}
WQ_DELAY=${STRESS_WQ_DELAY_MS:-1000}
TAG=teardown-stress-$$
ST=$(mktemp -d /tmp/teardown_stress.XXXXXX)
ACTORS=()	# the actors of the case running (in its shell): see start
END=0		# when its actors stop
GONE=""		# set: the PF may be unbound or unloaded while they run
MAIN_VFS=""	# set: the VF count actor is the main one (see actor_running)

# The documented refusals, as LABEL=REGEX on what the tool prints (see act)
R_BLOCKED='EBUSY, SR-IOV being changed=VFs are being enabled or disabled.*Device or resource busy'
R_NM='EBUSY, N -> M=Device or resource busy'
R_NOVF='EINVAL, no such VF=RTNETLINK answers: Invalid argument'
R_VF_OFF='ENODEV, VF not enabled=No such device'
R_MBX_FULL='ENOSPC, mailbox full=No space left on device'
R_RELOADING='EBUSY, PF down for a reload=Device or resource busy'
# between the halves of a reload (which makes the PF netdev again), or while the PF
# is unbound or its module unloaded
R_NO_PFDEV='ENODEV, no PF netdev=Cannot find device|No such device'
# only while the PF is unbound or its module unloaded
R_NO_DEVLINK='ENODEV, no devlink instance=No such device'
R_NO_DRIVER='ENOENT, no PF driver=No such file or directory'
# trust in switchdev mode (as ice: the representor is the policy)
R_SWITCHDEV='EOPNOTSUPP, switchdev mode=Operation not supported'

stress_cleanup()
{
	local f

	# actors left running (by a case that did not get to join them) stop
	touch "$ST/stop"
	for f in "$ST"/*.doing; do
		[ -e "$f" ] && wait_for 10 test -e "${f%.doing}.done"
	done
	# a write stuck in the kernel would take the rest of the cleanup with it
	if [ -e "$ST/wedged" ]; then
		rm -rf "$ST"
		return
	fi
	rm -rf "$ST"
	[ -n "$PF" ] && [ -e "$DBG/simnic_pf/$PF/wq_delay_ms" ] &&
		echo 0 >"$DBG/simnic_pf/$PF/wq_delay_ms"
	[ -n "$PF" ] && [ -d /sys/module/simnic_pf ] &&
		devlink dev eswitch set "pci/$PF" mode legacy 2>/dev/null
	cleanup
}
trap stress_cleanup EXIT

# --- actors ----------------------------------------------------------------------------

# The case's main actor (the VF count, unbind, rmmod) runs until END and for at least
# its minimum of rounds (under TCG on a busy machine STRESS_SECONDS may not be enough
# for one), then says it is done; the others run until then.
actor_running()
{
	[ ! -e "$ST/stop" ] && [ ! -e "$ST/main.done" ]
}

# trust_done: in the case that wants them (test_stress, whose main actor is the VF
# count), the trust actor has made a trust change each way (in switchdev mode trust
# is refused, and the mode actor keeps the eswitch there half the time: a starved
# guest may have had no turn in legacy mode by END)
trust_done()
{
	[ -z "$MAIN_VFS" ] || [[ " ${ACTORS[*]} " != *" trust "* ]] ||
		{ [ -e "$ST/trust-on.ok" ] && [ -e "$ST/trust-off.ok" ]; }
}

# main_running ROUND MIN: until END and for at least MIN rounds, and on (for at most
# OP_TIMEOUT more seconds) until the trust actor has made its changes
main_running()
{
	[ ! -e "$ST/stop" ] && { [ "$SECONDS" -lt "$END" ] || [ "$1" -lt "$2" ] ||
		{ ! trust_done && [ "$SECONDS" -lt $((END + OP_TIMEOUT)) ]; }; }
}

count()
{
	COUNT[$1]=$((${COUNT[$1]:-0} + 1))
}

# unexpected WHAT: an error no document promises; the case fails
unexpected()
{
	echo "$*" >>"$ST/$ACTOR.err"
}

# act OP [LABEL=REGEX]... -- COMMAND [ARG...]: one operation of an actor, under timeout.
# It succeeds (counted as "OP: ok"), or it is refused in a documented way (what it
# printed matches a REGEX: counted as "OP: refused (LABEL)"), or neither: an error
# nobody promised, or no return within OP_TIMEOUT, which is unexpected. Returns 0, 2
# for a refusal, 1 for the rest. A command stuck in the kernel where no signal reaches
# it keeps even timeout waiting: join sees that.
act()
{
	local op=$1 rule out rc
	local -a rules=()

	shift
	while [ "$1" != -- ]; do
		rules+=("$1")
		shift
	done
	shift
	echo "$op: $*" >"$ST/$ACTOR.doing"
	out=$(timeout -k 5 "$OP_TIMEOUT" "$@" 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then
		count "$op: ok"
		return 0
	fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		unexpected "$op: '$*' did not return within ${OP_TIMEOUT}s"
		return 1
	fi
	for rule in "${rules[@]}"; do
		if [[ $out =~ ${rule#*=} ]]; then
			count "$op: refused (${rule%%=*})"
			return 2
		fi
	done
	unexpected "$op: '$*': exit $rc: ${out//$'\n'/ | }"
	return 1
}

# The eswitch flips between switchdev and legacy; a mode refused is asked for again.
# Documented refusal: -EBUSY with the extack that VFs are being enabled or disabled
# (the block guard); with the PF gone, no devlink instance.
actor_mode()
{
	local m=switchdev

	while actor_running; do
		if act "mode $m" "$R_BLOCKED" ${GONE:+"$R_NO_DEVLINK"} -- \
			devlink dev eswitch set "pci/$PF" mode "$m"; then
			if [ "$m" = switchdev ]; then m=legacy; else m=switchdev; fi
		fi
		nap 0.1
	done
}

# VFs enabled and disabled: 2, then 4, each time through 0. In between, unless the PF
# may go, N -> M, which must be refused with -EBUSY (accepted, it fails the case), and
# VF 0 asks for a reset just before the disable, held 5 * WQ_DELAY ms (longer than the
# disable takes, as a rule), so that work is pending when its generation bump comes.
# With the PF gone: -ENOENT, no driver to ask.
actor_vfs()
{
	local f=/sys/bus/pci/devices/$PF/sriov_numvfs n=2 cur r=0

	while if [ -n "$MAIN_VFS" ]; then main_running "$r" 2; else actor_running; fi; do
		r=$((r + 1))
		read -r cur <"$f"
		if [ "$cur" = 0 ]; then
			act "vfs 0 -> N" ${GONE:+"$R_NO_DRIVER"} -- tee "$f" <<<"$n"
			n=$((6 - n))
		else
			if [ -z "$GONE" ]; then
				if act "vfs N -> M" "$R_NM" -- tee "$f" <<<"$((6 - cur))"; then
					unexpected "vfs $cur -> $((6 - cur)) accepted"
				fi
				echo $((5 * WQ_DELAY)) >"$DBG/simnic_pf/$PF/wq_delay_ms"
				inject_reset && wait_for 2 wq_busy
			fi
			act "vfs N -> 0" ${GONE:+"$R_NO_DRIVER"} -- tee "$f" <<<0
			[ -n "$GONE" ] || echo "$WQ_DELAY" >"$DBG/simnic_pf/$PF/wq_delay_ms"
		fi
		nap 0.3
	done
}

# Trust on and off for VF 0 and VF 1 in turn: each change is a reset the PF makes.
# Documented refusals: -EINVAL for a VF that does not exist, -EBUSY after a reload
# made the PF netdev again and before the PF is back, -EOPNOTSUPP in switchdev mode;
# between the two halves of a reload, or with the PF gone, no netdev.
actor_trust()
{
	local vf=0 t=on dev

	while actor_running; do
		dev=$(pci_netdev "$PF")
		if [ -z "$dev" ]; then
			count "trust: no PF netdev"
			nap 0.2
			continue
		fi
		# a change refused in a documented way (switchdev mode, no VF) is asked
		# for again, so that each is made once the eswitch is back in legacy
		if ! act "trust $t" "$R_NOVF" "$R_RELOADING" "$R_NO_PFDEV" "$R_SWITCHDEV" -- \
			ip link set dev "$dev" vf "$vf" trust "$t"; then
			nap 0.2
			continue
		fi
		: >"$ST/trust-$t.ok"
		if [ "$vf" = 1 ]; then
			if [ "$t" = on ]; then t=off; else t=on; fi
		fi
		vf=$((1 - vf))
		nap 0.2
	done
}

# devlink dev reload of the PF, again and again: the PF's function down and back with
# its VFs, and the work queued before it made stale. Documented refusal: -EBUSY with the
# extack that VFs are being enabled or disabled (the block guard); with the PF gone, no
# devlink instance.
actor_reload()
{
	while actor_running; do
		act reload "$R_BLOCKED" ${GONE:+"$R_NO_DEVLINK"} -- \
			devlink dev reload "pci/$PF" action driver_reinit
		nap 0.5
	done
}

# VF 0 and VF 1 in turn ask for a reset (RESET_VF in their mailbox): the PF's service
# task has the device reset the VF and queues the rest on the work queue. Documented
# refusals: -ENODEV for a VF not enabled, -ENOSPC for a full mailbox.
actor_reset()
{
	local vf=0

	while actor_running; do
		act "reset request" "$R_VF_OFF" "$R_MBX_FULL" -- \
			tee "$DBG/simnic_hw/$PF/vf$vf/mbx_inject" <<<"2 0 1"
		vf=$((1 - vf))
		nap 0.3
	done
}

# wq_pending_get: the items of the PF's work queue queued and neither run nor dropped
# yet, in PENDING (builtins only: what it says is still true when the caller acts)
wq_pending_get()
{
	local n v q=0 d=0 s=0

	[ -r "$DBG/simnic_pf/$PF/wq" ] || return 1
	slurp "$DBG/simnic_pf/$PF/wq"
	while read -r n v; do
		case $n in
		queued) q=$v ;;
		done) d=$v ;;
		stale) s=$v ;;
		esac
	done <<<"$SLURP"
	PENDING=$((q - d - s))
}

wq_drained()
{
	wq_pending_get && [ "$PENDING" = 0 ]
}

wq_busy()
{
	wq_pending_get && [ "$PENDING" -gt 0 ]
}

inject_reset()
{
	echo "2 0 1" 2>/dev/null >"$DBG/simnic_hw/$PF/vf0/mbx_inject"
}

# hold_work ROUND: once the PF is bound (again), hold its work back, WQ_DELAY ms in odd
# rounds and 2 s in even ones (a worker still asleep when the teardown comes, or one
# trying the devlink lock, or done); make work pending (VF 0 asks for a reset, once
# the VF count actor has enabled VFs) and say in PENDING how much there is, as seen
# just before the caller's teardown. A reset the VF count actor's next change made
# stale (or ran before it was seen) is asked for again, a few times.
hold_work()
{
	local f=$DBG/simnic_pf/$PF/wq_delay_ms d=$WQ_DELAY k

	wait_for 30 test -e "$f" || { unexpected "the PF did not come back"; return 1; }
	[ $(($1 % 2)) = 1 ] || d=2000
	echo "$d" >"$f" || { unexpected "cannot set wq_delay_ms"; return 1; }
	# let the other actors work on this instance of the PF
	nap 1
	PENDING=0
	for ((k = 0; k < 5; k++)); do
		wait_for 10 inject_reset && wait_for 2 wq_busy && return 0
	done
	return 0
}

# teardown_logged MARK: the PF's teardown since MARK destroyed its work queue (the log
# line of simnic_pf_wq_destroy(), which says what it ran and dropped)
teardown_logged()
{
	local l

	l=$(kmsg_since "$1" | grep "simnic_pf $PF: work queue gone:" | tail -n 1)
	[ -n "$l" ] || { unexpected "no 'work queue gone' after $1"; return 1; }
	echo "${l#*] }"
}

# The PF unbound and bound again, with work pending, for as long as the others run
actor_unbind()
{
	local r=0 t0

	while main_running "$r" 2; do
		r=$((r + 1))
		hold_work "$r" || break
		kmsg_mark "$TAG-unbind-$r"
		t0=$SECONDS
		act unbind -- tee /sys/bus/pci/drivers/simnic_pf/unbind <<<"$PF" || break
		echo "unbind $r: $((SECONDS - t0)) s with ${PENDING:-?} items pending; $(teardown_logged "$TAG-unbind-$r")"
		[ "${PENDING:-0}" -le 0 ] || count "teardowns with work pending"
		act bind -- tee /sys/bus/pci/drivers/simnic_pf/bind <<<"$PF" || break
	done
}

# The modules unloaded (the VF driver first: its VFs ask for resets as they go) and
# loaded again, with work pending, for as long as the others run
actor_rmmod()
{
	local r=0 t0

	while main_running "$r" 2; do
		r=$((r + 1))
		hold_work "$r" || break
		kmsg_mark "$TAG-rmmod-$r"
		t0=$SECONDS
		act rmmod -- rmmod simnic_vf simnic_pf || break
		echo "rmmod $r: $((SECONDS - t0)) s with ${PENDING:-?} items pending; $(teardown_logged "$TAG-rmmod-$r")"
		[ "${PENDING:-0}" -le 0 ] || count "teardowns with work pending"
		act "modprobe simnic_pf" -- modprobe simnic_pf || break
		# shellcheck disable=SC2086
		act "modprobe simnic_vf" -- modprobe simnic_vf ${SIMNIC_VF_OPTS:-} || break
	done
}

# start MAIN ACTOR...: run each actor_ACTOR in the background, its output, counts and
# errors in files of $ST, never on the case's output (which run_test reads to its end:
# a stuck actor holding it would hang the suite). MAIN's end ends the others.
start()
{
	local a

	ACTORS=("$@")
	rm -f "$ST"/*
	for a in "$@"; do
		(
			ACTOR=$a
			declare -gA COUNT=()
			"actor_$a"
			for k in "${!COUNT[@]}"; do
				printf '%s\t%s\n' "$k" "${COUNT[$k]}"
			done >"$ST/$a.counts"
			[ "$a" != "$1" ] || touch "$ST/main.done"
			touch "$ST/$a.done"
		) >"$ST/$a.log" 2>&1 &
	done
}

# d_stacks: the kernel stack of every task in uninterruptible sleep: where what is
# stuck is stuck
d_stacks()
{
	local p s

	for p in /proc/[0-9]*; do
		read -r s 2>/dev/null <"$p/stat" || continue
		s=${s##*) }
		[ "${s%% *}" = D ] || continue
		echo "task ${p#/proc/} ($(cat "$p/comm" 2>/dev/null)) in D state:"
		sed 's/^/    /' "$p/stack" 2>/dev/null
	done
}

# progress: since the last look, an actor began an operation or finished
progress()
{
	local a p=1

	for a in "${ACTORS[@]}"; do
		if [ "$ST/$a.doing" -nt "$ST/look" ] || [ "$ST/$a.done" -nt "$ST/look" ]; then
			p=0
		fi
	done
	touch "$ST/look"
	return "$p"
}

all_done()
{
	local a

	for a in "${ACTORS[@]}"; do
		[ -e "$ST/$a.done" ] || return 1
	done
}

# join: wait for the actors to stop, for as long as they make progress: under TCG on a
# busy machine one operation of the debug kernel can take tens of seconds, so no fixed
# deadline would tell slow from stuck. None beginning an operation for OP_TIMEOUT
# seconds (timeout ends any operation that sleeps killably before that) means that
# one is stuck where no signal reaches it: a write stuck in the kernel, a deadlock.
# Say which, and where the tasks in D state are. The suite does not wait for them;
# later cases fail at once (the PF is wedged) instead of hanging.
join()
{
	local a last=$SECONDS rc=0

	touch "$ST/look"
	until all_done; do
		! progress || last=$SECONDS
		[ $((SECONDS - last)) -le "$OP_TIMEOUT" ] || break
		nap 1
	done
	all_done && return 0
	for a in "${ACTORS[@]}"; do
		[ -e "$ST/$a.done" ] && continue
		echo "actor $a is stuck in: $(cat "$ST/$a.doing" 2>/dev/null)"
		rc=1
	done
	touch "$ST/wedged"
	d_stacks | head -n 200
	report
	return "$rc"
}

# report: each actor's counts; any unexpected error fails the case
report()
{
	local a rc=0

	for a in "${ACTORS[@]}"; do
		echo "$a:"
		sort "$ST/$a.counts" 2>/dev/null | sed 's/^/    /'
		sed 's/^/    /' "$ST/$a.log"
		if [ -s "$ST/$a.err" ]; then
			echo "  unexpected:"
			head -n 20 "$ST/$a.err" | sed 's/^/    /'
			rc=1
		fi
	done
	return "$rc"
}

# did ACTOR OP [MIN]: ACTOR counted OP at least MIN times (1): it was not starved
did()
{
	local k v

	slurp "$ST/$1.counts"
	while IFS=$'\t' read -r k v; do
		[ "$k" != "$2" ] || [ "$v" -lt "${3:-1}" ] || return 0
	done <<<"$SLURP"
	fail "$1 never did '$2' (${3:-1} times): starved, or the PF refused it for good"
}

# wedged_check: no earlier case left an operation stuck in the kernel
wedged_check()
{
	[ ! -e "$ST/wedged" ] || fail "an earlier case left an operation stuck in the kernel"
}

# eswitch_follows: the eswitch knows of as many VFs as there are, and has as many
# representors (pcivf ports) in switchdev mode, none in legacy
eswitch_follows()
{
	local n ports want

	read -r n <"/sys/bus/pci/devices/$PF/sriov_numvfs"
	[ "$(wq_stat eswitch_vfs)" = "$n" ] || return 1
	want=0
	mode_is switchdev && want=$n
	ports=$(devlink port show | grep -c "^pci/$PF/.*flavour pcivf")
	[ "$ports" = "$want" ]
}

# quiet: with work no longer held back, the queue drains and the eswitch follows the
# VFs there are
quiet()
{
	echo 0 >"$DBG/simnic_pf/$PF/wq_delay_ms" || return 1
	wait_for 30 wq_drained ||
		fail "the work queue does not drain: $(tr '\n' ' ' <"$DBG/simnic_pf/$PF/wq")" ||
		return 1
	wait_for 10 eswitch_follows && return 0
	fail "the eswitch does not follow the VFs: $(tr '\n' ' ' <"$DBG/simnic_pf/$PF/wq")," \
		"$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs") VFs"
	devlink dev eswitch show "pci/$PF"
	devlink port show
	return 1
}

# --- cases ------------------------------------------------------------------------------

# The eswitch mode, the VF count, trust, reloads and reset requests against each other,
# with the work queue held back; the PF stays. Fails on: an operation refused other than
# as documented (a mode change refused with the guard not held: a leaked block guard
# refuses every one; a VF enable or disable that fails; N -> M accepted); an operation
# that does not return (a deadlock of the devlink lock against the work queue,
# or the guard and the lock); an actor that never succeeded (starved for the whole
# run); no work dropped as stale (nothing was ever pending across a boundary: the
# case would prove nothing); after it, a queue that does not drain, or an eswitch that
# does not know the VFs there are or lacks their representors (an update lost).
test_stress()
{
	local s0

	wedged_check && pf_up || return 1
	s0=$(wq_stat stale) || fail "no wq in debugfs" || return 1
	echo "$WQ_DELAY" >"$DBG/simnic_pf/$PF/wq_delay_ms" || return 1
	GONE=""
	MAIN_VFS=1
	END=$((SECONDS + STRESS_SECONDS))
	start vfs mode trust reload reset
	join || return 1
	report || return 1
	did mode "mode switchdev: ok" && did mode "mode legacy: ok" && did reload "reload: ok" &&
		did vfs "vfs 0 -> N: ok" && did vfs "vfs N -> 0: ok" &&
		did vfs "vfs N -> M: refused (EBUSY, N -> M)" && did trust "trust on: ok" &&
		did trust "trust off: ok" && did reset "reset request: ok" || return 1
	quiet || return 1
	echo "work queue: $(tr '\n' ' ' <"$DBG/simnic_pf/$PF/wq")"
	[ "$(wq_stat stale)" -gt "$s0" ] || fail "no work was dropped as stale"
}

# The same actors, and the PF unbound and bound again with work pending each time.
# Fails on, besides the above: an unbind or bind that fails or does not return (the
# teardown waiting for a worker that waits for the devlink lock the teardown holds);
# a teardown that did not log destroying its queue; no teardown with work pending
# (nothing tested); after it, the PF not back or its eswitch not following the VFs.
test_unbind()
{
	wedged_check && pf_up || return 1
	GONE=1
	MAIN_VFS=""
	END=$((SECONDS + STRESS_SECONDS))
	start unbind mode vfs trust reload reset
	join || return 1
	report || return 1
	did unbind "unbind: ok" 2 && did unbind "bind: ok" 2 &&
		did unbind "teardowns with work pending" || return 1
	pf_up && quiet
}

# The same with the modules unloaded and loaded again. Fails as test_unbind, for
# rmmod and modprobe: a module that does not unload (in use: a reference left by
# the teardown) or does not load again (something of the last instance left, as a
# debugfs directory or a devlink instance).
test_rmmod()
{
	wedged_check && pf_up || return 1
	GONE=1
	MAIN_VFS=""
	END=$((SECONDS + STRESS_SECONDS))
	start rmmod mode vfs trust reload reset
	join || return 1
	report || return 1
	did rmmod "rmmod: ok" 2 && did rmmod "modprobe simnic_pf: ok" 2 &&
		did rmmod "modprobe simnic_vf: ok" 2 &&
		did rmmod "teardowns with work pending" || return 1
	pf_up && quiet
}

# After all that, the device works: legacy mode, 2 VFs get netdevs, each in its
# namespace with 2001:db8::1 and ::2, and they ping each other (vf_pair.sh). Fails
# if the PF or the VF driver was left in a state from which VFs do not come up or
# do not pass traffic.
test_works()
{
	wedged_check && pf_up && set_mode legacy || return 1
	echo 0 >"$DBG/simnic_pf/$PF/wq_delay_ms" || return 1
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || fail "cannot disable VFs" ||
		return 1
	setup && l3 0 && ping_both 0
}

# The modules unload (pair_unload): fails on a reference the stress leaked
test_unload()
{
	wedged_check && pf_up && pair_unload
}

require_root_and_tools
command -v devlink >/dev/null || { echo "# SKIP: devlink (iproute2) missing"; exit "$KSFT_SKIP"; }
command -v timeout >/dev/null || { echo "# SKIP: timeout (coreutils) missing"; exit "$KSFT_SKIP"; }
ktap_plan $NCASES
echo "# STRESS_SECONDS=$STRESS_SECONDS STRESS_OP_TIMEOUT=$OP_TIMEOUT STRESS_WQ_DELAY_MS=$WQ_DELAY"
simnic_unload 2>/dev/null
kmsg_mark "$TAG"
selected_case "stress: eswitch mode, VF count, trust, reload, VF resets, work held" test_stress
selected_case "stress: PF unbind and bind with work pending" test_unbind
selected_case "stress: rmmod and modprobe with work pending" test_rmmod
selected_case "after: 2 VFs get netdevs and ping each other" test_works
selected_case "unload: the modules go" test_unload
selected_case "dmesg: no call traces / BUGs / stalls" dmesg_clean
ktap_finish
