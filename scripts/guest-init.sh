#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the QEMU test guest (busybox sh), installed by mkinitramfs.sh.
#
# Kernel messages and this script's progress go to the console (ttyS0).
# Everything the host judges goes to the results port (ttyS1), framed:
#
#   ### info release=<uname -r>
#   ### step <name>             output of one checked step
#   ### end step <name> rc=<rc>
#   ### kunit-available         the kernel has /sys/kernel/debug/kunit
#   ### kunit <suite>           /sys/kernel/debug/kunit/<suite>/results,
#   ### end kunit <suite>       after insmod of pidfd_mod_kunit.ko
#   ### test <name>             TAP output of /tests/<name>
#   ### end <name> rc=<rc> secs=<elapsed> limit=<limit>[ killed[ stuck]]
#   ### kmemleak                /sys/kernel/debug/kmemleak after rmmod
#   ### end kmemleak
#   PIDFD_MOD_GUEST_DONE <token>
#
# The token line is written last, so a crash, hang or missed step leaves it
# out and the host counts the run as failed.  The token itself comes from the
# kernel command line (pidfd_mod_token=), fresh for every boot.
#
# Every test program runs under a time limit: its line in /etc/test-limits
# ("NAME SECONDS", "* SECONDS" for the others; written by the host), else
# 300 s, in seconds of the host's clock, which scripts/qemu.sh sends over
# the results port once a second (the guest's own clock can run several
# times too slow on a loaded host; it is used only when the host sends
# nothing).  A program still running at its limit is stopped with
# everything it started (its session and its descendants), its end line
# says "killed" ("killed stuck" if it did not die within 10 s of SIGKILL,
# as a task stuck in the kernel would not), and the next program runs.
#
# pidfd_mod_mode= on the command line selects what happens after the module
# is loaded: check (default, the test suite), bench (the programs in /tests,
# which `make bench` fills with the benchmark, then rmmod: no KUnit, hook or
# unload cycles), profile (ftrace function_graph captures of single calls
# of /tests/pidfd_bench --trace-one for `make profile`, see profile()
# below, then rmmod), run (print `pidfdctl features` and play the demo,
# /tests/demo.sh) or shell (an interactive shell on the console).

PATH=/bin
export PATH
umask 022

KO=/lib/modules/pidfd_mod.ko
KUNIT_KO=/lib/modules/pidfd_mod_kunit.ko
DEV=/dev/pidfd
KMEMLEAK=/sys/kernel/debug/kmemleak
KUNIT=/sys/kernel/debug/kunit
RESULTS=/dev/ttyS1
LIMITS=/etc/test-limits

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Reopen the console through devtmpfs, whatever the kernel gave /init.
exec </dev/console >/dev/console 2>&1
# The tests read the module's debugfs files, KUnit and kmemleak report
# there: a failed mount is a failed step (check_debugfs, below).
debugfs_err=$(mount -t debugfs debugfs /sys/kernel/debug 2>&1)
# The LSMs' files (the active list, AppArmor's policy interface).
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /dev/shm 2>/dev/null

mode=check
token=
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	pidfd_mod_mode=*) mode=${arg#pidfd_mod_mode=} ;;
	pidfd_mod_token=*) token=${arg#pidfd_mod_token=} ;;
	esac
done

say() {
	echo "pidfd_mod-init: $*"
}

say "start: kernel $(uname -r), mode $mode"

if [ -c "$RESULTS" ]; then
	stty -F "$RESULTS" raw -echo 2>/dev/null
	exec 3>"$RESULTS"
	# The host's clock, kept in /tmp/.host-time by shell builtins only:
	# nothing forks once a second beside the tests.
	while read -r t; do
		echo "$t" >/tmp/.host-time
	done <"$RESULTS" >/dev/null 2>&1 &
else
	say "no results port $RESULTS; the host will see no results"
	exec 3>/dev/null
fi

res() {
	printf '%s\n' "$*" >&3
}

# step NAME CMD...: run a checked step, output and exit status framed on
# the results port and summarised on the console.
step() {
	name=$1
	shift
	res "### step $name"
	"$@" >/tmp/step.out 2>&1
	rc=$?
	cat /tmp/step.out >&3
	res "### end step $name rc=$rc"
	if [ $rc = 0 ]; then
		say "step $name: ok"
	else
		say "step $name: FAILED (rc=$rc)"
		cat /tmp/step.out
	fi
	return $rc
}

check_dev() {
	if [ ! -e "$DEV" ]; then
		echo "$DEV does not exist"
		return 1
	fi
	if [ ! -c "$DEV" ]; then
		echo "$DEV is not a character device"
		ls -l "$DEV"
		return 1
	fi
	m=$(stat -c %a "$DEV")
	if [ "$m" != 666 ]; then
		echo "$DEV has mode $m, want 666"
		return 1
	fi
	ls -l "$DEV"
}

check_debugfs() {
	if ! grep -q '^debugfs /sys/kernel/debug debugfs ' /proc/mounts; then
		echo "debugfs is not mounted on /sys/kernel/debug: ${debugfs_err:-mount gave no reason}"
		return 1
	fi
	echo "debugfs on /sys/kernel/debug"
}

# KUnit writes each suite's results to $KUNIT/<suite>/results: without
# them the suites cannot be judged.
check_kunit_debugfs() {
	check_debugfs || return 1
	if [ ! -d "$KUNIT" ]; then
		echo "$KUNIT does not exist: the kernel has no KUnit results in debugfs (CONFIG_KUNIT_DEBUGFS)"
		return 1
	fi
	echo "$KUNIT exists"
}

# Seconds since the epoch by the host's clock, or by the guest's if the
# host sends none.  A read between the clock's truncation of the file and
# its write finds it empty: read again.  Only a ten-digit number is a time:
# the first line on the port can lose its head to the guest's serial setup
# (a start time of 796022197 made a program take 10^9 s).
now() {
	if [ -f /tmp/.host-time ]; then
		for try in 1 2 3; do
			t=''
			read -r t </tmp/.host-time
			case $t in
			[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])
				echo "$t"
				return
				;;
			esac
		done
	fi
	date +%s
}

# The time limit in seconds of test program $1.
limit_of() {
	l=''
	if [ -f "$LIMITS" ]; then
		l=$(awk -v n="$1" '$1 == n { l = $2 } $1 == "*" && d == "" { d = $2 }
			END { print (l != "" ? l : d) }' "$LIMITS")
	fi
	case $l in
	''|*[!0-9]*) echo 300 ;;
	*) echo "$l" ;;
	esac
}

# The processes of the test program $1, a session leader (run_test):
# the members of its session and its descendants (a descendant that left
# the session with setsid() is still found through its parent, if that is
# alive).  Never this shell.
members() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" -v self="$$" '
	{
		# pid (comm) state ppid pgrp session ...; comm may hold anything.
		if (!match($0, /^.*\) /))
			next
		split(substr($0, RLENGTH + 1), f, " ")
		pid = $1 + 0
		ppid[pid] = f[2]
		if (f[4] == root || pid == root)
			in_set[pid] = 1
	}
	END {
		do {
			grew = 0
			for (p in ppid)
				if (!(p in in_set) && (ppid[p] in in_set)) {
					in_set[p] = 1
					grew = 1
				}
		} while (grew)
		for (p in in_set)
			if (p != 1 && p != self && (p in ppid))
				print p
	}'
}

# Stop test program $1 and everything it started: SIGSTOP whatever is
# found until nothing new turns up (a stopped process can neither fork nor
# exit, so no child escapes to init), then SIGKILL all of it.
stop_program() {
	all=''
	r=0
	while [ $r -lt 20 ]; do
		new=''
		for p in $(members "$1"); do
			case " $all " in
			*" $p "*) ;;
			*) new="$new $p" ;;
			esac
		done
		[ -n "$new" ] || break
		kill -STOP $new 2>/dev/null
		all="$all$new"
		r=$((r + 1))
	done
	[ -z "$all" ] || kill -KILL $all 2>/dev/null
}

# The state letter of process $1 (R, S, D, Z, ...), empty if it is gone.
proc_state() {
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	s=${s##*) }
	echo "${s%% *}"
}

# A trapped signal interrupts the wait builtin: the watchdog sends SIGUSR1
# when a killed program does not die.
trap : USR1

# run_test NAME PATH: run one test program in its own session, its TAP
# framed on the results port with its exit status, elapsed seconds and
# time limit; a watchdog stops it at the limit.
run_test() {
	name=$1
	limit=$(limit_of "$name")
	say "test $name (limit $limit s)"
	res "### test $name"
	rm -f /tmp/.test-killed /tmp/.test-stuck
	start=$(now)
	(cd /tmp && exec setsid "$2") >&3 2>&1 </dev/null &
	pid=$!
	# The watchdog looks every 5 s of the guest's clock (which can run
	# slow, so it may look a few seconds after the limit).
	(
		while [ $(($(now) - start)) -lt "$limit" ]; do
			sleep 5
		done
		: >/tmp/.test-killed
		stop_program "$pid"
		i=0
		while [ $i -lt 10 ]; do
			case $(proc_state "$pid") in
			'' | Z) exit 0 ;;
			esac
			sleep 1
			i=$((i + 1))
		done
		: >/tmp/.test-stuck
		kill -USR1 $$
	) &
	watchdog=$!
	while :; do
		wait "$pid" 2>/dev/null
		rc=$?
		# Reaped, or given up on; otherwise a stray signal interrupted
		# the wait.
		{ [ -e "/proc/$pid" ] && [ ! -e /tmp/.test-stuck ]; } || break
	done
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	secs=$(($(now) - start))
	if [ -e /tmp/.test-killed ]; then
		stuck=''
		[ ! -e /tmp/.test-stuck ] || stuck=' stuck'
		# It may have been stopped in the middle of a line.
		res ""
		res "### end $name rc=$rc secs=$secs limit=$limit killed$stuck"
		say "test $name: KILLED at its time limit of $limit s (rc=$rc)$stuck"
	else
		res "### end $name rc=$rc secs=$secs limit=$limit"
		say "test $name: rc=$rc in $secs s"
	fi
}

# Both must fail when the module is gone: a stale device node or module
# entry means the exit path missed something.
check_gone() {
	rc=0
	if [ -e "$DEV" ]; then
		echo "$DEV still exists after rmmod"
		rc=1
	fi
	if [ -e /sys/module/pidfd_mod ]; then
		echo "/sys/module/pidfd_mod still exists after rmmod"
		rc=1
	fi
	return $rc
}

# insmod/rmmod cycles of pidfd_mod.ko alone (PIDFD_MOD_UNLOAD_CYCLES from
# the kernel command line, default 20), after every test program: each load
# must give the device, rmmod must be refused while a process holds
# /dev/pidfd, and after each unload nothing may be left to open.
unload_loop() {
	n=${PIDFD_MOD_UNLOAD_CYCLES:-20}
	case $n in
	''|*[!0-9]*) echo "PIDFD_MOD_UNLOAD_CYCLES='$n' is not a number"; return 2 ;;
	esac
	i=0
	while [ "$i" -lt "$n" ]; do
		i=$((i + 1))
		insmod "$KO" || { echo "cycle $i: insmod failed"; return 1; }
		check_dev >/dev/null || { echo "cycle $i: no usable $DEV"; return 1; }
		if [ "$i" = 1 ]; then
			sleep 30 4<"$DEV" &
			holder=$!
			j=0
			while [ ! -e "/proc/$holder/fd/4" ] && [ $j -lt 200 ]; do
				sleep 0.05
				j=$((j + 1))
			done
			if rmmod pidfd_mod 2>/dev/null; then
				echo "cycle $i: rmmod succeeded while a process held $DEV"
				kill "$holder"
				return 1
			fi
			kill "$holder"
			wait "$holder" 2>/dev/null
		fi
		rmmod pidfd_mod || { echo "cycle $i: rmmod failed"; return 1; }
		check_gone || { echo "cycle $i: left behind after rmmod"; return 1; }
		if msg=$( (exec 4<"$DEV") 2>&1 ); then
			echo "cycle $i: $DEV could be opened after rmmod"
			return 1
		fi
		case $msg in
		*[Nn]"o such file"*) ;;
		*) echo "cycle $i: opening $DEV after rmmod: $msg, want ENOENT"; return 1 ;;
		esac
	done
	echo "$n insmod/rmmod cycles"
}

finish() {
	res "PIDFD_MOD_GUEST_DONE $token"
	# Closing the port waits until the UART has sent everything.
	exec 3>&-
	sync
	sleep 1
	say "done"
	reboot -f
	# reboot -f does not return; if it ever did, do not let init exit
	# (that is a panic with a misleading message).
	while :; do sleep 60; done
}

# make profile: each case of `pidfd_bench --trace-list` ("NAME FUNCTIONS"),
# PIDFD_PROFILE_REPS times (kernel command line, default 5) in each of two
# views: "full", the function_graph of the call from its FUNCTIONS
# (set_graph_function) down, and "entry", FUNCTIONS alone
# (set_ftrace_filter too), whose durations carry none of the tracer's cost
# for the functions below.  Interrupts are left out of the graph
# (funcgraph-irqs 0), not out of the durations.  Each capture goes to the
# results port as
#
#   ### trace NAME VIEW REP rc=RC
#   <the trace file>
#   ### end trace
#
# pidfd_bench pins itself to CPU 0, sets itself as set_ftrace_pid and
# switches tracing_on around its one call.
TRACEFS=/sys/kernel/tracing

trace_setup() {
	if [ ! -f "$TRACEFS/current_tracer" ] &&
	   ! mount -t tracefs tracefs "$TRACEFS"; then
		echo "cannot mount tracefs on $TRACEFS"
		return 1
	fi
	if ! grep -qw function_graph "$TRACEFS/available_tracers"; then
		echo "the kernel has no function_graph tracer: $(cat "$TRACEFS/available_tracers")"
		return 1
	fi
	echo 0 >"$TRACEFS/tracing_on" || return 1
	echo nop >"$TRACEFS/current_tracer" || return 1
	for o in funcgraph-irqs:0 funcgraph-tail:1 funcgraph-duration:1 \
		 funcgraph-overhead:1 funcgraph-cpu:1 funcgraph-proc:0 \
		 funcgraph-abstime:0 function-fork:0; do
		f=$TRACEFS/options/${o%:*}
		if [ -f "$f" ]; then
			echo "${o#*:}" >"$f" || return 1
		fi
	done
	echo 4096 >"$TRACEFS/buffer_size_kb" || return 1
	/tests/pidfd_bench --trace-list >/tmp/trace-cases || return 1
	# A system call without arguments has its __x64_sys_ entry only as an
	# alias of __do_sys_ (SYSCALL_DEFINE0), and ftrace knows one name
	# per address: take whichever of the names it has.
	: >/tmp/trace-list
	while read -r tc_name tc_fns; do
		tc_found=''
		for tc_fn in $tc_fns; do
			tc_base=${tc_fn#__x64_sys_}
			tc_got=''
			for tc_try in "$tc_fn" "__do_sys_$tc_base" "__ia32_sys_$tc_base"; do
				if grep -qx "$tc_try" "$TRACEFS/available_filter_functions"; then
					tc_got=$tc_try
					break
				fi
			done
			if [ -z "$tc_got" ]; then
				echo "$tc_name: $tc_fn is not in available_filter_functions"
				return 1
			fi
			tc_found="$tc_found $tc_got"
		done
		echo "$tc_name$tc_found" >>/tmp/trace-list
	done </tmp/trace-cases
	cat /tmp/trace-list
	read -r clock <"$TRACEFS/trace_clock"
	echo "tracer ready: trace_clock $clock, $(nproc) CPUs"
}

# trace_capture NAME VIEW REP FUNCTIONS...: one capture, with the tracer
# already running in VIEW.
trace_capture() {
	tc_name=$1 tc_view=$2 tc_rep=$3
	shift 3
	echo "$*" >"$TRACEFS/set_graph_function"
	: >"$TRACEFS/set_ftrace_pid"
	: >"$TRACEFS/trace"
	/tests/pidfd_bench --trace-one "$tc_name" >/tmp/trace-one.out 2>&1 </dev/null
	tc_rc=$?
	echo 0 >"$TRACEFS/tracing_on"
	res "### trace $tc_name $tc_view $tc_rep rc=$tc_rc"
	cat "$TRACEFS/trace" >&3
	[ $tc_rc = 0 ] || cat /tmp/trace-one.out >&3
	res "### end trace"
	[ $tc_rc = 0 ] || say "trace $tc_name $tc_view $tc_rep: FAILED (rc=$tc_rc)"
}

# Switching the tracer on patches every traceable function (set_ftrace_filter
# empty) or only the entries: once per view, as it is slow under TCG; the
# graph filter changes per capture.
profile() {
	n=${PIDFD_PROFILE_REPS:-5}
	case $n in
	'' | *[!0-9]*) n=5 ;;
	esac
	say "profile: $n captures of each call in each view"
	pr_all=$(cut -d' ' -f2- /tmp/trace-list | tr ' ' '\n' | sort -u | tr '\n' ' ')
	for pr_view in full entry; do
		echo 0 >"$TRACEFS/tracing_on"
		echo nop >"$TRACEFS/current_tracer"
		if [ $pr_view = full ]; then
			: >"$TRACEFS/set_ftrace_filter"
		else
			echo "$pr_all" >"$TRACEFS/set_ftrace_filter"
		fi
		echo function_graph >"$TRACEFS/current_tracer"
		echo 0 >"$TRACEFS/tracing_on"
		pr_r=1
		while [ $pr_r -le "$n" ]; do
			while read -r pr_name pr_fns; do
				# shellcheck disable=SC2086 # FUNCTIONS are words
				trace_capture "$pr_name" "$pr_view" "$pr_r" $pr_fns
			done </tmp/trace-list
			pr_r=$((pr_r + 1))
		done
	done
	echo nop >"$TRACEFS/current_tracer"
	: >"$TRACEFS/set_ftrace_pid"
	: >"$TRACEFS/set_ftrace_filter"
	: >"$TRACEFS/set_graph_function"
	say "profile: done"
}

res "### info release=$(uname -r)"
step debugfs check_debugfs

if [ -e "$KMEMLEAK" ]; then
	# Only leaks from here on are of interest: drop what boot left.
	echo scan=off >"$KMEMLEAK" 2>/dev/null
	echo clear >"$KMEMLEAK"
fi

# Everything after this line on the console is the module's business.
say "insmod $KO"
if ! step insmod insmod "$KO"; then
	say "module not loaded; skipping everything that needs it"
	finish
fi
step devnode check_dev

case $mode in
shell)
	say "interactive shell; leave with 'reboot -f'"
	setsid cttyhack sh
	finish
	;;
run)
	step features pidfdctl features
	cat /tmp/step.out
	# The demo (scripts/demo.sh), its transcript on the console too.
	say "demo"
	step demo /tests/demo.sh
	[ $? != 0 ] || cat /tmp/step.out
	step rmmod rmmod pidfd_mod
	finish
	;;
profile)
	if step trace-setup trace_setup; then
		profile
	fi
	step rmmod rmmod pidfd_mod
	finish
	;;
check | bench) ;;
*)
	say "unknown pidfd_mod_mode=$mode"
	res "### step mode"
	res "unknown pidfd_mod_mode=$mode"
	res "### end step mode rc=2"
	finish
	;;
esac

# The KUnit suites are a module of their own, which uses pidfd_mod's
# internal functions: loaded after pidfd_mod.ko, they run inside its insmod
# and their results live in debugfs until its rmmod, which must come before
# pidfd_mod.ko can be unloaded.  The host packs the module only for a
# kernel with KUnit, and then holds the run to every suite's results: a
# missing debugfs or KUnit results directory is a failed step.
[ ! -d "$KUNIT" ] || res "### kunit-available"
if [ -f "$KUNIT_KO" ] && step kunit-debugfs check_kunit_debugfs; then
	if step kunit-insmod insmod "$KUNIT_KO"; then
		for d in "$KUNIT"/pidfd_mod*; do
			[ -f "$d/results" ] || continue
			suite=${d##*/}
			say "kunit suite $suite"
			res "### kunit $suite"
			cat "$d/results" >&3
			res "### end kunit $suite"
		done
		step kunit-rmmod rmmod pidfd_mod_kunit
	fi
fi

# An optional hook from the host (PIDFD_MOD_GUEST_HOOK), run before the
# tests: extra setup, tracing, or fault injection.
if [ -x /hook ]; then
	step hook /hook
fi

for t in /tests/*; do
	{ [ -f "$t" ] && [ -x "$t" ]; } || continue
	run_test "${t##*/}" "$t"
done

if [ "$mode" = bench ]; then
	step rmmod rmmod pidfd_mod
	finish
fi

# Unload, load and unload again: the exit path must leave nothing behind
# that stops the next load.  A failed step ends the chain.
step rmmod rmmod pidfd_mod &&
	step gone check_gone &&
	step insmod-again insmod "$KO" &&
	step devnode-again check_dev &&
	step rmmod-again rmmod pidfd_mod &&
	step gone-again check_gone &&
	step unload-loop unload_loop

if [ -e "$KMEMLEAK" ]; then
	# kmemleak only reports objects older than 5 s, and an object can
	# need a second scan to be found unreferenced.
	sleep 5
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	res "### kmemleak"
	cat "$KMEMLEAK" >&3
	res "### end kmemleak"
fi

finish
