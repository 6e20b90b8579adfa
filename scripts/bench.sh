#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot each kernel in QEMU with the module loaded, run
# tools/bench/pidfd_bench in the guest, and turn its rows into a table per
# kernel, docs/bench/KERNEL.tsv, the measured sections of
# docs/performance.md and the plot docs/performance-scaling.svg
# (scripts/bench-report.sh).
#
# The guest is the one of make check (scripts/mkinitramfs.sh,
# scripts/qemu.sh, scripts/guest-init.sh in pidfd_mod_mode=bench): the
# benchmark is its only program, and its output comes back over the
# results port like a test's.  Every figure is a ratio of two things timed
# in the same guest run, interleaved; see the top of
# tools/bench/pidfd_bench.c.
#
# Exit status: 0 when every kernel's run printed every row, 1 otherwise,
# 2 for bad settings.
#
# Environment:
#   PIDFD_MOD_KERNELS   kernels to measure (default "6.1 6.12"); a debug
#                       kernel ("debug", "debug-6.1") may be added, and its
#                       section says it is one (sanitizers and lockdep make
#                       it no measure of the stock kernels)
#   PIDFD_BENCH_REPS    repetitions per row (default 21, at least 15)
#   PIDFD_MOD_CACHE     cache for builds and logs, as for make check
#   PIDFD_MOD_TIMEOUT   QEMU time limit per kernel in seconds (default 2400)
#   PIDFD_MOD_ACCEL     QEMU accelerator of the benchmark (default
#                       tcg,thread=single, as make check: the vCPUs take
#                       turns on one host thread, so that a process runs
#                       as fast on either)
#   PIDFD_BENCH_THREADS_ACCEL
#                       accelerator of the two-thread rows, which run in a
#                       second guest of their own (default tcg,thread=multi:
#                       each vCPU on a host thread, so that two guest
#                       threads run at once; "" runs them in the first
#                       guest instead)
#   PIDFD_MOD_QEMU_MEM, PIDFD_MOD_QEMU_SMP: see scripts/qemu.sh (the
#                       two-thread rows need 2 vCPUs)
#
# Logs: $PIDFD_MOD_CACHE/logs/bench-KERNEL/ (console.log, results.log), and
# bench-KERNEL-threads/ for the two-thread rows' guest.
set -eu -o pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "no arguments expected (settings come from the environment; see the top of scripts/$me)"

parse_kernels 6.1 6.12

reps=${PIDFD_BENCH_REPS:-21}
whole_number PIDFD_BENCH_REPS "$reps" 15 1000
timeout=${PIDFD_MOD_TIMEOUT:-2400}
accel=${PIDFD_MOD_ACCEL:-tcg,thread=single}
threads_accel=${PIDFD_BENCH_THREADS_ACCEL-tcg,thread=multi}
for a in "$accel" "$threads_accel"; do
	case $a in
	'' | tcg | tcg,* | kvm | kvm,*) ;;
	*) die "PIDFD_MOD_ACCEL and PIDFD_BENCH_THREADS_ACCEL must be tcg[,options] or kvm[,options], not '$a'" ;;
	esac
done
[ -n "$accel" ] || die "PIDFD_MOD_ACCEL must not be empty"
case $timeout in
*[!0-9]* | 0) die "PIDFD_MOD_TIMEOUT must be a positive number of seconds, not '$timeout'" ;;
esac

provision --bench

# make check and make bench share the module builds of the cache.
use_cache

build_bench

# run_pass KERNEL LOGDIR ACCEL EXTRA: boot KERNEL's benchmark guest under
# -accel ACCEL with EXTRA on its command line; set section to the
# program's part of the results port, or say what went wrong and fail.
run_pass() {
	local k=$1 logdir=$2 a=$3 extra=$4 token problem=''

	mkdir -p "$logdir"
	rm -f "$logdir"/{console,results}.log
	token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	PIDFD_MOD_ACCEL=$a boot_guest "$k" "$bz" "$initrd" "$logdir" "$timeout" \
		"pidfd_mod_mode=bench pidfd_mod_token=$token PIDFD_BENCH_REPS=$reps $extra"

	section=$(awk '/^### test pidfd_bench$/ { on = 1; next }
		on && /^### end pidfd_bench / { print; exit }
		on { print }' "$logdir/results.log")
	if ! grep -q "^PIDFD_MOD_GUEST_DONE $token\$" "$logdir/results.log"; then
		problem="the guest did not finish (qemu rc=$rc)"
	elif ! grep -q '^ok 1 bench runs and prints every row' <<<"$section"; then
		problem=$(grep -m 1 '^not ok' <<<"$section" || echo "the benchmark did not report")
	elif ! grep -q '^### end pidfd_bench rc=0 ' <<<"$section"; then
		problem="the benchmark exited with $(grep -o 'rc=[0-9]*' <<<"$section" | tail -n 1)"
	elif grep -nE 'Oops|BUG:|WARNING:|general protection|Call Trace:' \
		"$logdir/console.log" >/dev/null; then
		problem="the console has a kernel report"
	fi
	[ -z "$problem" ] && return 0
	echo "FAIL $k: $problem"
	echo "   logs: $logdir/console.log $logdir/results.log"
	tail -n 20 <<<"$section" | sed 's/^/    | /'
	return 1
}

mkdir -p docs/bench
failed=0
for k in "${kernels[@]}"; do
	logdir=$cache/logs/bench-$k
	kernel_build "$k" || { failed=1; continue; }
	initrd=$cache/build/$k/bench.cpio
	limits=$cache/build/$k/bench-limits
	# The guest's limit for the program; a debug kernel runs slower.
	case $k in
	debug | debug-*) echo "pidfd_bench $((timeout - 120))" >"$limits" ;;
	*) echo "pidfd_bench $((timeout * 3 / 4))" >"$limits" ;;
	esac
	scripts/mkinitramfs.sh -o "$initrd" --ko "$ko" --test "$bench" \
		--limits "$limits" || die "could not build the initramfs for $k"

	echo "== $k: booting $release for the benchmark ($reps repetitions per row, -accel $accel, timeout $timeout s)"
	if [ -n "$threads_accel" ]; then
		run_pass "$k" "$logdir" "$accel" "" || { failed=1; continue; }
		rows=$(sed -n 's/^# row\t//p' <<<"$section")
		echo "== $k: booting $release again for the two-thread rows (-accel $threads_accel)"
		run_pass "$k" "$logdir-threads" "$threads_accel" PIDFD_BENCH_THREADS_ONLY=1 ||
			{ failed=1; continue; }
		# The second guest's two-thread rows in place of the first's.
		rows=$(awk -F '\t' 'NR == FNR { t[++n] = $0; next }
			/^threads-/ { if (!done) for (i = 1; i <= n; i++) print t[i]; done = 1; next }
			{ print }' <(sed -n 's/^# row\t//p' <<<"$section") - <<<"$rows")
		what="$accel; two-thread rows: $threads_accel"
	else
		run_pass "$k" "$logdir" "$accel" "" || { failed=1; continue; }
		rows=$(sed -n 's/^# row\t//p' <<<"$section")
		what=$accel
	fi

	{
		printf '# kernel\t%s\t%s\t%s\t%s\t%s\n' "$k" "$release" \
			"$(date -u +%Y-%m-%d)" "$reps" "$what"
		echo "$rows"
	} >"docs/bench/$k.tsv"
	echo "== $k: $(grep -vc "^#" "docs/bench/$k.tsv") rows in docs/bench/$k.tsv"
	scripts/bench-report.sh --table "docs/bench/$k.tsv"
done

scripts/bench-report.sh --doc docs/performance.md --plot docs/performance-scaling.svg
exit $failed
