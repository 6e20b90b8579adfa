#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one kernel and initramfs in QEMU, with the console on the first
# serial port and the guest's results port on the second.  The guest ends
# with `reboot -f`; reboot=t, panic=-1 and -no-reboot turn that, and any
# panic, into a QEMU exit.  A hang ends at the timeout.  no_timer_check
# skips the early check that the timer interrupt arrives in time, which
# under TCG on a busy host fails now and then ("IO-APIC + timer doesn't
# work!", a panic) although the timer works.
#
# The results port also carries the host's clock to the guest: a line with
# the seconds since the epoch, once a second.  The guest's time limits of
# its test programs go by it: a guest clock can run several times too
# slow under TCG on a loaded host (a kernel without HPET or ACPI counts
# jiffies, and loses the ticks its vCPU does not get to run).
#
# Usage: scripts/qemu.sh --kernel BZIMAGE --initrd CPIO
#            (--console FILE --results FILE --timeout SECS | --interactive)
#            [--boot-marker TEXT --boot-timeout SECS] [--append 'KERNEL ARGS']
#
# --boot-marker: if TEXT has not appeared on the console within the
# --boot-timeout, the boot is taken as hung and QEMU is stopped then.
#
# Exit status: QEMU's, 124 when the timeout ended it, 125 when the boot
# marker did not come in time.
#
# Environment:
#   PIDFD_MOD_ACCEL     QEMU -accel value (default tcg,thread=single).
#                       Multi-threaded TCG (plain "tcg") is faster with
#                       several vCPUs, but stock 6.12 kernels then sometimes
#                       die at boot with "Oops: int3" in patched kernel text
#                       (about 1 boot in 15 measured); one thread running
#                       the vCPUs in turn has not shown it.  "kvm" is
#                       opt-in: it does not work on every machine.
#   PIDFD_MOD_QEMU_MEM  guest memory (default 1G)
#   PIDFD_MOD_QEMU_SMP  guest CPUs (default 2)
set -eu

me=qemu.sh

usage() {
	echo "usage: scripts/$me --kernel BZIMAGE --initrd CPIO (--console FILE --results FILE --timeout SECS | --interactive) [--boot-marker TEXT --boot-timeout SECS] [--append ARGS]" >&2
	exit 2
}

die() {
	echo "$me: $*" >&2
	exit 2
}

kernel='' initrd='' console='' results='' timeout='' append='' interactive=''
boot_marker='' boot_timeout=''
while [ $# -gt 0 ]; do
	case $1 in
	--kernel|--initrd|--console|--results|--timeout|--append|--boot-marker|--boot-timeout)
		[ $# -ge 2 ] || usage
		v=$2
		case $1 in
		--kernel) kernel=$v ;;
		--initrd) initrd=$v ;;
		--console) console=$v ;;
		--results) results=$v ;;
		--timeout) timeout=$v ;;
		--append) append=$v ;;
		--boot-marker) boot_marker=$v ;;
		--boot-timeout) boot_timeout=$v ;;
		esac
		shift 2
		;;
	--interactive) interactive=1; shift ;;
	-h|--help) usage ;;
	*) echo "$me: unknown argument '$1'" >&2; usage ;;
	esac
done
{ [ -n "$kernel" ] && [ -n "$initrd" ]; } || usage
[ -f "$kernel" ] || die "kernel image $kernel not found"
[ -f "$initrd" ] || die "initramfs $initrd not found"
if [ -z "$interactive" ]; then
	{ [ -n "$console" ] && [ -n "$results" ] && [ -n "$timeout" ]; } || usage
	case $timeout in
	''|*[!0-9]*|0) die "timeout must be a positive number of seconds, not '$timeout'" ;;
	esac
fi
if [ -n "$boot_marker" ]; then
	[ -z "$interactive" ] || usage
	case $boot_timeout in
	''|*[!0-9]*|0) die "--boot-timeout must be a positive number of seconds, not '$boot_timeout'" ;;
	esac
fi

accel=${PIDFD_MOD_ACCEL:-tcg,thread=single}
mem=${PIDFD_MOD_QEMU_MEM:-1G}
smp=${PIDFD_MOD_QEMU_SMP:-2}
case $accel in
tcg|tcg,*|kvm|kvm,*) ;;
*) die "PIDFD_MOD_ACCEL must be tcg[,options] or kvm[,options], not '$accel'" ;;
esac
case $smp in
''|*[!0-9]*|0) die "PIDFD_MOD_QEMU_SMP must be a positive number, not '$smp'" ;;
esac

command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 not found; install qemu-system-x86 (scripts/provision.sh)"

# QEMU option values escape a comma by doubling it.
qarg() {
	printf '%s' "${1//,/,,}"
}

args=(
	-accel "$accel" -m "$mem" -smp "$smp,sockets=$smp"
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 reboot=t panic=-1 no_timer_check $append"
)

if [ -n "$interactive" ]; then
	# Console and monitor share the terminal: Ctrl-A X quits QEMU,
	# Ctrl-C goes to the guest.
	exec qemu-system-x86_64 "${args[@]}" \
		-chardev stdio,id=con,mux=on,signal=off \
		-serial chardev:con -mon chardev=con,mode=readline \
		-serial null
fi

rm -f "$console" "$results"
# The results port is a pipe chardev: QEMU writes what the guest sends to
# res.out, which cat copies to the results log, and reads res.in, which
# the clock writes to.  QEMU opens both FIFOs read-write, so neither side
# waits for the other to open them.
fifos=$(mktemp -d "${TMPDIR:-/tmp}/pidfd_mod-qemu.XXXXXX")
copier='' clock=''
cleanup() {
	[ -z "$clock" ] || kill "$clock" 2>/dev/null || true
	[ -z "$copier" ] || kill "$copier" 2>/dev/null || true
	rm -rf "$fifos"
}
trap cleanup EXIT
mkfifo "$fifos/res.in" "$fifos/res.out"
cat "$fifos/res.out" >"$results" &
copier=$!
(
	trap 'exit 0' PIPE TERM
	while date +%s; do
		sleep 1
	done
) >"$fifos/res.in" 2>/dev/null &
clock=$!
rc=0
timeout --kill-after=10 "$timeout" qemu-system-x86_64 "${args[@]}" \
	-chardev "file,id=con,path=$(qarg "$console")" \
	-chardev "pipe,id=res,path=$(qarg "$fifos/res")" \
	-serial chardev:con -serial chardev:res \
	-monitor none </dev/null &
qpid=$!
if [ -n "$boot_marker" ]; then
	waited=0
	while kill -0 "$qpid" 2>/dev/null &&
	      ! grep -qF -- "$boot_marker" "$console" 2>/dev/null; do
		if [ "$waited" -ge "$boot_timeout" ]; then
			# timeout(1) passes the signal on to QEMU.
			kill "$qpid" 2>/dev/null || true
			wait "$qpid" || true
			exit 125
		fi
		sleep 1
		waited=$((waited + 1))
	done
fi
wait "$qpid" || rc=$?
# timeout(1) reports 124, or 137 when it had to kill after the grace time.
[ $rc != 137 ] || rc=124
# With QEMU gone the copier reads the end of res.out; it has the whole
# results log when it exits.  (If QEMU never opened the FIFOs, cat still
# waits for a writer: open one to let it go.)
if [ -d "/proc/$copier" ]; then
	: >"$fifos/res.out" &
	opener=$!
	wait "$copier" 2>/dev/null || true
	kill "$opener" 2>/dev/null || true
	wait "$opener" 2>/dev/null || true
fi
copier=''
exit $rc
