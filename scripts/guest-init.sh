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
#   ### end <name> rc=<rc>
#   ### kmemleak                /sys/kernel/debug/kmemleak after rmmod
#   ### end kmemleak
#   PIDFD_MOD_GUEST_DONE <token>
#
# The token line is written last, so a crash, hang or missed step leaves it
# out and the host counts the run as failed.  The token itself comes from the
# kernel command line (pidfd_mod_token=), fresh for every boot.
#
# pidfd_mod_mode= on the command line selects what happens after the module
# is loaded: check (default, the test suite), run (print `pidfdctl
# features` and play the demo, /tests/demo.sh) or shell (an interactive
# shell on the console).

PATH=/bin
export PATH
umask 022

KO=/lib/modules/pidfd_mod.ko
KUNIT_KO=/lib/modules/pidfd_mod_kunit.ko
DEV=/dev/pidfd
KMEMLEAK=/sys/kernel/debug/kmemleak
KUNIT=/sys/kernel/debug/kunit
RESULTS=/dev/ttyS1

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
check) ;;
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
	name=${t##*/}
	say "test $name"
	res "### test $name"
	(cd /tmp && "$t") >&3 2>&1 </dev/null
	rc=$?
	res "### end $name rc=$rc"
	say "test $name: rc=$rc"
done

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
