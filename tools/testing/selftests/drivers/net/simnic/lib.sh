#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the simnic selftests: KTAP output, waiting for conditions, finding
# the PF and its VFs. Source it; do not run it.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_planned=0
ktap_num=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_plan()
{
	ktap_planned=$1
	echo "TAP version 13"
	echo "1..$1"
}

ktap_note()
{
	echo "# $*"
}

# ktap_result NAME RC: RC 0 passes, 4 skips, anything else fails
ktap_result()
{
	local name=$1 rc=$2

	ktap_num=$((ktap_num + 1))
	case "$rc" in
	0) echo "ok $ktap_num $name"; ktap_pass=$((ktap_pass + 1)) ;;
	"$KSFT_SKIP") echo "ok $ktap_num $name # SKIP"; ktap_skip=$((ktap_skip + 1)) ;;
	*) echo "not ok $ktap_num $name"; ktap_fail=$((ktap_fail + 1)) ;;
	esac
}

# run_test NAME FUNCTION [ARG...]: run one case, with its output as KTAP comments,
# and what it cost: seconds, and processes (under TCG a process costs 50 ms on the
# distro kernel and 260 ms on the debug kernel, an `ip` call three times that)
run_test()
{
	local name=$1 out rc l t0=$SECONDS f0
	shift
	forks_now
	f0=$FORKS
	out=$("$@" 2>&1)
	rc=$?
	[ -z "$out" ] || while IFS= read -r l; do
		echo "# $l"
	done <<<"$out"
	# a case's shell that died says nothing itself: say it for it
	[ "$rc" -le 128 ] || echo "# the case's shell ended on signal $((rc - 128))"
	forks_now
	echo "# took $((SECONDS - t0)) s, $((FORKS - f0)) processes"
	ktap_result "$name" "$rc"
	return 0
}

ktap_finish()
{
	rm -f /tmp/simnic-ipq.$$.*
	if [ "$ktap_num" != "$ktap_planned" ]; then
		echo "# planned $ktap_planned tests, ran $ktap_num"
		ktap_fail=$((ktap_fail + 1))
	fi
	echo "# totals: pass:$ktap_pass fail:$ktap_fail skip:$ktap_skip"
	[ "$ktap_fail" = 0 ] || exit $KSFT_FAIL
	[ "$ktap_pass" != 0 ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}

# nap SECONDS: sleep without starting a process (a read that times out on a pipe nobody
# writes to). Under TCG with KASAN every exec costs a tenth of a second or more, so the
# helpers here avoid them where a builtin does the job.
nap()
{
	[ -n "${_nap_fd:-}" ] || exec {_nap_fd}<> <(:)
	read -r -t "$1" -u "$_nap_fd" _
	return 0
}

# range A B: the integers A to B, space-separated, in RANGE (seq without a process)
range()
{
	local i

	RANGE=""
	for ((i = $1; i <= $2; i++)); do
		RANGE+="${RANGE:+ }$i"
	done
}

# wait_for SECONDS COMMAND [ARG...]: poll COMMAND until it succeeds or time runs out
wait_for()
{
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		nap 0.1
	done
}

fail()
{
	echo "FAIL: $*"
	return 1
}

# slurp FILE: FILE's contents in SLURP ("" if it cannot be read), in one read to the
# end. Never read a live debugfs file with `while read ...; done <FILE`: bash seeks back
# after each line on a seekable file, and a seq_file is made anew at every seek, so a
# counter that has gained a digit meanwhile shifts what follows: lines come out cut, or
# empty. (An empty name as the key of an associative array ended host_config.sh's flood
# case silently, with status 1, in some runs of one kernel or the other.)
slurp()
{
	SLURP=""
	IFS= read -r -d '' SLURP 2>/dev/null <"$1"
	return 0
}

# forks_now: the processes created since boot, in FORKS (builtins only)
forks_now()
{
	local k v

	slurp /proc/stat
	while read -r k v; do
		[ "$k" != processes ] || { FORKS=$v; return 0; }
	done <<<"$SLURP"
	FORKS=0
}

# stat_get FILE NAME: the count on the line "NAME <count>" of FILE, in STAT; fails if
# none. No process: for polls (wait_for) and loops.
stat_get()
{
	local n v

	STAT=""
	slurp "$1"
	while read -r n v; do
		[ "$n" != "$2" ] || { STAT=$v; return 0; }
	done <<<"$SLURP"
	return 1
}

# _stat_of FILE NAME: stat_get's count, printed
_stat_of()
{
	stat_get "$1" "$2" && echo "$STAT"
}

# wq_stat NAME: a counter of the work queue of the PF $PF (its debugfs wq)
wq_stat()
{
	_stat_of "/sys/kernel/debug/simnic_pf/$PF/wq" "$1"
}

# --- ip without a process per call ----------------------------------------------------
#
# Under TCG on the debug kernel an `ip` process costs about 0.4 s, and nearly all of it is
# the loading of ip and its eight shared libraries (`ip -V` costs as much as
# `ip link show lo`); the netlink request itself costs about 12 ms. So ipq sends ip
# commands to a long-lived `ip -n NS -o -d -s -force -batch -` per namespace, one at a
# time, each followed by a line that ip refuses, "zzend<N>": the answer to that line
# ('Object "zzend<N>" is unknown') on ip's stderr says the command is done, and a
# "Command failed" before it says the command failed. ip's stdout goes to a file, read
# in one go (bash reads a pipe a byte at a time), and emptied after each command.
#
# ip remembers the index of every device name it has met, for as long as it runs, and
# a device made anew (a VLAN deleted and added again, a VF's netdev after unbind and
# bind) gets a new index: so before a command that names a device, the server dumps the
# links (which makes it remember the current index of each name) and ipq checks that
# each name it is given is there. A device that has taken over the index of one ip
# remembers by another name (a VF's netdev moved into a namespace keeps its index) can
# still leave ip with an old index for a name: a command that names devices that are
# there and fails for want of one goes once more, to a new server.
#
# A server belongs to the shell that started it ($BASHPID) and ends with it; a subshell
# (each case runs in one) starts its own, since it may run beside its parent. `ip -n NS`
# has entered NS for good: a server whose process is not in the namespace now named NS
# is replaced, and ns_del ends every process in NS before it deletes the name, since a
# process keeps its namespace, and the VFs in it, alive.

IPQ_OPTS="-o -d -s"
declare -A _ipq_in=() _ipq_err=() _ipq_pid=() _ipq_file=()
_ipq_owner=""
_ipq_n=0

# _ipq_stop KEY: end this shell's server for KEY (a namespace, "." for this one)
_ipq_stop()
{
	local pid=${_ipq_pid[$1]} fin=${_ipq_in[$1]} ferr=${_ipq_err[$1]}

	exec {fin}>&- {ferr}<&-
	kill "$pid" 2>/dev/null
	unset "_ipq_pid[$1]" "_ipq_in[$1]" "_ipq_err[$1]" "_ipq_file[$1]"
}

# _ipq_spawn KEY CMD...: start CMD as this shell's server for KEY. It reads commands
# from a pipe this shell writes; its stdout goes to the server's file, its stderr comes
# back on a pipe (where the end of each command is marked).
_ipq_spawn()
{
	local key=$1 file fin ferr fd

	shift
	file=/tmp/simnic-ipq.$$.$BASHPID.${#_ipq_pid[@]}
	: >"$file" || return 1
	# a pipe, opened for reading and writing: the server reads it, this shell writes
	exec {fin}<> <(:)
	exec {ferr}< <(
		for fd in "${_ipq_in[@]}" "${_ipq_err[@]}"; do
			exec {fd}>&-
		done
		exec "$@" <"/dev/fd/$fin" {fin}>&- 2>&1 >>"$file"
	)
	_ipq_pid[$key]=$!
	_ipq_in[$key]=$fin
	_ipq_err[$key]=$ferr
	_ipq_file[$key]=$file
}

# _ipq_start KEY NS: an ip server in namespace NS ("" for this one)
_ipq_start()
{
	# shellcheck disable=SC2086 # IPQ_OPTS is a list of options
	_ipq_spawn "$1" ip ${2:+-n "$2"} $IPQ_OPTS -force -batch -
}

# _ipq_fresh KEY NS: drop what cannot serve this shell: the servers of the shell this
# one was forked from, or a server for KEY that has ended or is not in NS
_ipq_fresh()
{
	local pid fd

	if [ "$_ipq_owner" != "$BASHPID" ]; then
		for fd in "${_ipq_in[@]}" "${_ipq_err[@]}"; do
			exec {fd}>&-
		done
		_ipq_in=() _ipq_err=() _ipq_pid=() _ipq_file=()
		_ipq_owner=$BASHPID
		return 0
	fi
	pid=${_ipq_pid[$1]}
	[ -n "$pid" ] || return 0
	# (a server that has ended may be a zombie yet, which has no exe)
	if ! [ -e "/proc/$pid/exe" ] ||
	   { [ -n "$2" ] && ! [ "/proc/$pid/ns/net" -ef "/run/netns/$2" ]; }; then
		_ipq_stop "$1"
	fi
}

# _ipq_do KEY CMD...: one command through the server for KEY: its stdout in IPQ, its
# stderr in IPQ_ERR; fails if ip refused it
_ipq_do()
{
	local key=$1 l rc=0 end

	shift
	_ipq_n=$((_ipq_n + 1))
	end="Object \"zzend$_ipq_n\" is unknown, try \"ip help\"."
	printf '%s\nzzend%s\n' "$*" "$_ipq_n" >&"${_ipq_in[$key]}"
	IPQ_ERR=""
	while IFS= read -r l <&"${_ipq_err[$key]}"; do
		case $l in
		"$end")
			# and its own "Command failed"
			read -r l <&"${_ipq_err[$key]}"
			IPQ=""
			IFS= read -r -d '' IPQ <"${_ipq_file[$key]}"
			: >"${_ipq_file[$key]}"
			return $rc
			;;
		"Command failed -:"*) rc=1 ;;
		*) IPQ_ERR+=$l$'\n' ;;
		esac
	done
	# ip ended: the command made it exit (one it cannot parse)
	_ipq_stop "$key"
	IPQ=""
	return 1
}

# ipq NS CMD...: `ip -n NS -o -d -s CMD...` (NS "" for this namespace) through a
# server; its stdout and stderr in IPQ; fails if ip refused CMD (or a device it names
# does not exist). No argument of CMD may contain a space.
ipq()
{
	local ns=$1 key=${1:-.} w prev="" names=() l n k=0 rc

	shift
	_ipq_fresh "$key" "$ns"
	[ -n "${_ipq_pid[$key]}" ] || _ipq_start "$key" "$ns" || return 1
	# the devices it names: after "dev", and the parent of "link add link PARENT"
	for w in "$@"; do
		if [ "$prev" = dev ] || { [ "$prev" = link ] && [ "$k" -gt 1 ]; }; then
			names+=("$w")
		fi
		prev=$w
		k=$((k + 1))
	done
	if [ "${#names[@]}" -gt 0 ]; then
		_ipq_do "$key" link show || { IPQ+=$IPQ_ERR; return 1; }
		for n in "${names[@]}"; do
			while read -r l; do
				[[ $l == [0-9]*": $n"[@:]* ]] || continue
				# `link show dev NAME` is answered from the dump
				[ "$*" != "link show dev $n" ] || { IPQ=$l$'\n'; return 0; }
				continue 2
			done <<<"$IPQ"
			IPQ="Cannot find device \"$n\""$'\n'
			return 1
		done
	fi
	_ipq_do "$key" "$@"
	rc=$?
	if [ "$rc" != 0 ] && [ "${#names[@]}" -gt 0 ] &&
	   [[ $IPQ_ERR == *"No such device"* ]]; then
		_ipq_stop "$key"
		_ipq_start "$key" "$ns" || return 1
		_ipq_do "$key" "$@"
		rc=$?
	fi
	IPQ+=$IPQ_ERR
	return $rc
}

# _nsq_start KEY NS: a shell in namespace NS, for nsq
_nsq_start()
{
	_ipq_spawn "$1" ip netns exec "$2" bash --norc --noprofile
}

# nsq NS CMD [ARG...]: `ip netns exec NS CMD ARG...`, run by a long-lived shell in NS
# (what ipq does for ip, for any command: the ip process of each `ip netns exec`
# costs as much as one of ip's own); CMD's output (stdout and stderr) in NSQ, its status
# returned. CMD's standard input is /dev/null.
# shellcheck disable=SC2034 # NSQ is for the caller
nsq()
{
	local key="sh:$1" l

	_ipq_fresh "$key" "$1"
	[ -n "${_ipq_pid[$key]}" ] || _nsq_start "$key" "$1" || return 1
	shift
	_ipq_n=$((_ipq_n + 1))
	printf '%q ' "$@" >&"${_ipq_in[$key]}"
	printf '</dev/null 2>&1; echo "zzend%s $?" >&2\n' "$_ipq_n" >&"${_ipq_in[$key]}"
	while IFS= read -r l <&"${_ipq_err[$key]}"; do
		[[ $l == "zzend$_ipq_n "* ]] || continue
		NSQ=""
		IFS= read -r -d '' NSQ <"${_ipq_file[$key]}"
		: >"${_ipq_file[$key]}"
		return "${l##* }"
	done
	_ipq_stop "$key"
	NSQ="the shell in namespace $1 has ended"
	return 1
}

# ns_del NS: delete namespace NS, after ending every process in it (this shell's ip
# server there too)
ns_del()
{
	local pid

	if [ "$_ipq_owner" = "$BASHPID" ]; then
		[ -z "${_ipq_pid[$1]:-}" ] || _ipq_stop "$1"
		[ -z "${_ipq_pid[sh:$1]:-}" ] || _ipq_stop "sh:$1"
	fi
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
	ip netns del "$1"
}

# selected_case NAME FUNCTION [ARG...]: run_test, unless $CASES (a regex) is set and
# NAME does not match it: then NAME is reported as skipped
selected_case()
{
	local name=$1

	shift
	if [ -n "${CASES:-}" ] && ! [[ $name =~ $CASES ]]; then
		ktap_result "$name" "$KSFT_SKIP"
		return 0
	fi
	run_test "$name" "$@"
}

# devlink_suite_begin NCASES: the start of a suite of the PF's devlink: root and tools
# (devlink too), the KTAP plan, the modules loaded afresh and the suite's up(); if that
# fails, what it said, NCASES failures and the end
devlink_suite_begin()
{
	local k out

	require_root_and_tools
	command -v devlink >/dev/null ||
		{ echo "# SKIP: devlink (iproute2) missing"; exit "$KSFT_SKIP"; }
	ktap_plan "$1"
	simnic_unload 2>/dev/null
	out=$(mktemp) || exit "$KSFT_FAIL"
	if up >"$out" 2>&1; then
		rm -f "$out"
		return 0
	fi
	sed 's/^/# /' "$out"
	rm -f "$out"
	for ((k = 0; k < $1; k++)); do
		ktap_result "setup" "$KSFT_FAIL"
	done
	ktap_finish
}

require_root_and_tools()
{
	local t

	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root"; exit $KSFT_SKIP; }
	for t in ip ethtool ping lspci modprobe; do
		command -v "$t" >/dev/null || { echo "# SKIP: $t missing"; exit $KSFT_SKIP; }
	done
	modinfo simnic_hw >/dev/null 2>&1 || { echo "# SKIP: simnic modules not installed"; exit $KSFT_SKIP; }
}

# simnic_load [simnic_hw PARAM...]: load the three modules; SIMNIC_VF_OPTS are the
# parameters of simnic_vf (op_timeout_ms=...)
# shellcheck disable=SC2120 # the suites that need parameters pass them
simnic_load()
{
	# shellcheck disable=SC2086
	modprobe simnic_hw "$@" && modprobe simnic_pf && modprobe simnic_vf ${SIMNIC_VF_OPTS:-}
}

simnic_unload()
{
	local m

	for m in simnic_vf simnic_pf simnic_hw; do
		if [ -d /sys/module/$m ]; then
			rmmod $m || return 1
		fi
	done
}

# The PCI address of the first card's PF
simnic_pf_pci()
{
	local d

	for d in /sys/bus/pci/drivers/simnic_pf/*:00:00.0; do
		[ -e "$d" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# pf_up: the modules loaded (if simnic_pf is not), the first card's PF bound with its
# netdev; sets PF and PFDEV (in the calling shell)
pf_up()
{
	# shellcheck disable=SC2119
	[ -d /sys/module/simnic_pf ] || simnic_load || fail "cannot load simnic" || return 1
	wait_for 10 simnic_pf_pci >/dev/null || fail "no PF bound to simnic_pf" || return 1
	PF=$(simnic_pf_pci)
	# the PCI core reads the PF's SR-IOV capability only with CONFIG_PCI_IOV
	[ -e "/sys/bus/pci/devices/$PF/sriov_totalvfs" ] || {
		echo "SKIP: $PF has no sriov_totalvfs: this kernel has no SR-IOV (CONFIG_PCI_IOV)"
		exit "$KSFT_SKIP"
	}
	wait_for 10 pci_netdev "$PF" >/dev/null || fail "PF $PF has no netdev" || return 1
	# shellcheck disable=SC2034 # for the caller
	PFDEV=$(pci_netdev "$PF")
}

# mode_is MODE: the eswitch of PF $PF reports MODE
mode_is()
{
	[[ $(devlink dev eswitch show "pci/$PF") == *"mode $1"* ]]
}

# set_mode MODE: the eswitch of PF $PF in MODE (legacy or switchdev)
set_mode()
{
	mode_is "$1" || devlink dev eswitch set "pci/$PF" mode "$1" ||
		fail "eswitch mode $1 refused"
}

# reprs: "NETDEV PORTNAME" of every representor of the switch $SWID (a pfNvfM port
# name). Builtins only: under TCG every process costs.
reprs()
{
	local n sw pn

	for n in /sys/class/net/*; do
		read -r sw 2>/dev/null <"$n/phys_switch_id" || continue
		[ "$sw" = "$SWID" ] || continue
		read -r pn 2>/dev/null <"$n/phys_port_name" || continue
		[[ $pn != pf*vf* ]] || echo "${n##*/} $pn"
	done
}

# nreprs_is N: the switch $SWID has N representors
nreprs_is()
{
	local l n=0

	while read -r l; do
		n=$((n + 1))
	done < <(reprs)
	[ "$n" = "$1" ]
}

# vf_settled VFPCI: the VF has negotiated again after the device's latest reset of it
# (a fact of the driver, unlike operstate, which linkwatch updates up to a second late)
vf_settled()
{
	local n v dev="" ready=""

	slurp "/sys/kernel/debug/simnic_vf/$1/vc_stats"
	while read -r n v; do
		case $n in
		device_resets) dev=$v ;;
		ready_after_reset) ready=$v ;;
		esac
	done <<<"$SLURP"
	[ -n "$dev" ] && [ "$dev" = "$ready" ]
}

# netdev of a PCI function, when it has one (not a representor)
pci_netdev()
{
	local n p

	for n in /sys/bus/pci/devices/"$1"/net/*; do
		[ -e "$n" ] || continue
		# a VF's representor (switchdev mode) hangs off the PF's device too
		p=""
		read -r p 2>/dev/null <"$n/phys_port_name"
		[[ $p == pf*vf* ]] && continue
		echo "${n##*/}"
		return 0
	done
	return 1
}

# The PCI address of VF N of PF $1
vf_pci()
{
	local p

	p=$(cd -P "/sys/bus/pci/devices/$1/virtfn$2" 2>/dev/null && pwd) || return 1
	echo "${p##*/}"
}

# The name of the netdev of VF N in any namespace (by its PCI address)
vf_netdev_in_ns()
{
	local ns=$1 pci=$2 n

	for n in $(ip netns exec "$ns" ls /sys/class/net); do
		if [ "$(ip netns exec "$ns" ethtool -i "$n" 2>/dev/null |
			sed -n 's/^bus-info: //p')" = "$pci" ]; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

# operstate_up NS DEV: DEV in NS ("" for this one) is up with carrier
operstate_up()
{
	ipq "$1" link show dev "$2" && [[ $IPQ == *" state UP "* ]]
}

# The netdevs in namespace $1 that a simnic driver owns
ns_simnic_netdevs()
{
	local n

	for n in $(ip netns exec "$1" ls /sys/class/net); do
		ip netns exec "$1" ethtool -i "$n" 2>/dev/null | grep -q '^driver: simnic_' &&
			echo "$n"
	done
}

# --- the kernel log --------------------------------------------------------------------

# What in the kernel log fails a run
KMSG_SPLAT='Call Trace|(^|[^A-Za-z_])BUG([: ]|$)|WARNING:|Oops|stall|hung task|hung_task|blocked for more than|soft lockup|circular locking|KASAN|UBSAN'

# kmsg_mark TAG: put a mark in the kernel log
kmsg_mark()
{
	echo "simnic-selftest: mark $1" >/dev/kmsg
}

# kmsg_since TAG: the kernel log after mark TAG (all of it if the mark scrolled away,
# since everything left is then newer)
kmsg_since()
{
	dmesg | awk -v m="simnic-selftest: mark $1" '
		{ l[NR] = $0 }
		index($0, m) { s = NR }
		END { for (i = s + 1; i <= NR; i++) print l[i] }'
}

# kmsg_splats TAG: print the warnings, BUGs, call traces, stalls and hung tasks logged
# after mark TAG; succeeds if there are any
kmsg_splats()
{
	kmsg_since "$1" | grep -E "$KMSG_SPLAT"
}
