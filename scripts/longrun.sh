#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress / make fuzz: one long run of tests/stress.c or tests/fuzz.c in
# QEMU on one kernel, through scripts/check.sh (PIDFD_MOD_TESTS selects the
# program, PIDFD_MOD_APPEND hands the settings to the guest, whose /init
# passes them on as environment).
#
# Usage: scripts/longrun.sh stress [CYCLES] [SECONDS]
#        scripts/longrun.sh fuzz [SEED] [SECONDS]
# Empty arguments take the defaults:
#   stress: CYCLES=10000 pid-reuse cycles, SECONDS=120 s of thread storm,
#           and 200 insmod/rmmod cycles after it
#   fuzz:   SEED from the clock (printed), SECONDS=600
#
# Environment:
#   KERNEL (or PIDFD_MOD_KERNELS)  the kernel: default "debug" when the
#       6.12 debug kernel has been built in the cache, else "6.12"; any
#       name of scripts/kernels.sh list, e.g. "debug-6.1"
#   PIDFD_MOD_CACHE, PIDFD_MOD_QEMU_*: as for make check
# The QEMU time limit is derived from the settings, and the program's own
# time limit in the guest from that: 300 s less, for booting, the KUnit
# suites and the insmod/rmmod cycles after it.
set -eu -o pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# number NAME VALUE MIN MAX
number() {
	case $2 in
	'' | *[!0-9]*) die "$1 must be a whole number, not '$2'" ;;
	esac
	[ ${#2} -le 18 ] || die "$1=$2 is too large (at most $4)"
	if [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
		die "$1=$2 is out of range ($3..$4)"
	fi
}

[ $# -ge 1 ] || die "usage: scripts/$me stress [CYCLES] [SECONDS] | fuzz [SEED] [SECONDS]"
what=$1
shift

cache=${PIDFD_MOD_CACHE:-/var/cache/pidfd_mod}
kernel=${KERNEL:-${PIDFD_MOD_KERNELS:-}}
if [ -z "$kernel" ]; then
	if PIDFD_MOD_CACHE=$cache PIDFD_MOD_SOURCE_PKG=linux-source-6.12 \
		scripts/debug-kernel.sh --cached >/dev/null 2>&1; then
		kernel=debug
	else
		kernel=6.12
	fi
fi
case " $(scripts/kernels.sh list) " in
*" $kernel "*) ;;
*) die "KERNEL: unknown kernel '$kernel' (known: $(scripts/kernels.sh list))" ;;
esac

case $what in
stress)
	[ $# -le 2 ] || die "stress takes at most CYCLES and SECONDS"
	cycles=${1:-10000}
	seconds=${2:-120}
	number CYCLES "$cycles" 1 50000
	number SECONDS "$seconds" 1 2000
	# At most 400 cases of at most 20 s.  The stock kernels run 20+
	# cycles/s: 150 per case, 250 beyond 30,000 cycles.  The debug kernels
	# run about 3 cycles/s: 40 per case, so at most 15,000 cycles.
	per=150
	[ "$cycles" -le 30000 ] || per=250
	case $kernel in
	debug | debug-*)
		per=40
		[ "$cycles" -le 15000 ] ||
			die "CYCLES=$cycles is too many for a debug kernel (at most 15000; about 3 cycles/s)"
		;;
	esac
	append="PIDFD_MOD_STRESS_CYCLES=$cycles PIDFD_MOD_STRESS_SECONDS=$seconds"
	append+=" PIDFD_MOD_STRESS_CYCLES_PER_CASE=$per PIDFD_MOD_UNLOAD_CYCLES=200"
	# Up to 20 s per case plus boot, the unload loop and slack.
	timeout=$((600 + (cycles / per + 1) * 22 + seconds * 3 / 2))
	;;
fuzz)
	[ $# -le 2 ] || die "fuzz takes at most SEED and SECONDS"
	seed=${1:-$(( $(date +%s) % 1000000007 ))}
	seconds=${2:-600}
	number SEED "$seed" 0 999999999999999999
	number SECONDS "$seconds" 1 1280
	append="PIDFD_MOD_FUZZ_SEED=$seed PIDFD_MOD_FUZZ_SECONDS=$seconds PIDFD_MOD_FUZZ_ITERS=0"
	timeout=$((600 + seconds * 3 / 2))
	;;
*)
	die "unknown run '$what' (stress or fuzz)"
	;;
esac

echo "$me: $what on $kernel: $append (QEMU limit $timeout s, $what's limit $((timeout - 300)) s)"
rc=0
PIDFD_MOD_KERNELS=$kernel PIDFD_MOD_TESTS=$what PIDFD_MOD_TIMEOUT=$timeout \
	PIDFD_MOD_TEST_LIMIT=$((timeout - 300)) \
	PIDFD_MOD_APPEND="${PIDFD_MOD_APPEND:+$PIDFD_MOD_APPEND }$append" \
	scripts/check.sh || rc=$?
log=$(scripts/kernels.sh cache)/logs/$kernel/results.log
echo "$me: rates and seeds from $log:"
grep -E '^# (round|fuzz:|pid reuse|storm|cycles)' "$log" | tail -n 12 || true
exit $rc
