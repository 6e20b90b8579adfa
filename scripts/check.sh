#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build the module for every test kernel, boot each kernel in
# QEMU with the module and the userspace tests, and judge the results.
#
#   1. scripts/provision.sh installs what is missing (--debug-kernel=SERIES
#      for each debug kernel wanted);
#   2. the userspace tests and tools are built once, statically;
#   3. per kernel: scripts/kernels.sh finds (or, for the debug kernels,
#      builds) the kernel and builds the module against it with every
#      warning an error (and, for a kernel with KUnit, the module of the
#      KUnit suites);
#      scripts/mkinitramfs.sh packs busybox, the modules, the tests and
#      scripts/guest-init.sh; scripts/qemu.sh boots it under TCG;
#      scripts/parse-results.sh counts the TAP and KUnit cases and adds a
#      failure for each missed step, crash, hang, leak or console report,
#      program killed at its time limit, KUnit suite or case count that
#      differs from kunit/*.c (scripts/kunit-suites.sh), and skip that
#      tests/expected-skips does not expect (scripts/expected-skips.sh);
#      one kernel (6.12 if tested, else the first stock one) also runs
#      make bench's benchmark once, briefly (tools/bench/bench-quick.sh);
#   4. host-side checks, counted like a kernel's cases: scripts/ko-check.sh
#      (no test code in pidfd_mod.ko, the suites in pidfd_mod_kunit.ko),
#      scripts/lint.sh (with the 6.12 debug kernel) and scripts/dkms-check.sh
#      (`dkms build` of the shipped sources for each stock kernel); their
#      skips too must be expected (kernel name "host");
#   5. a table per kernel, the seconds and cases of every test program on
#      every kernel, then one last line: "N passed, N failed, N skipped".
#
# A kernel that dies, or hangs for 300 s, before the guest's /init starts
# (the module is not loaded yet) is booted once more; the first console
# log is kept as console.boot-failure.log.  Any later crash, hang or
# report counts.
#
# Exit status: 0 when nothing failed, 1 otherwise, 2 for bad settings.
#
# Environment:
#   PIDFD_MOD_KERNELS     kernels to test (default "6.1 6.12 debug debug-6.1"); e.g.
#                         "6.1 6.12" for the stock kernels only,
#                         "debug-6.1" for the 6.1 debug one
#   PIDFD_MOD_CACHE       cache for builds and logs (default
#                         /var/cache/pidfd_mod, else $HOME/.cache/pidfd_mod)
#   PIDFD_MOD_TIMEOUT     QEMU time limit per kernel in seconds (default
#                         1200, 2700 for the debug kernels): a whole run on
#                         a loaded host, with one test program hung until
#                         its own limit
#   PIDFD_MOD_TEST_LIMIT  time limit of each test program in the guest, in
#                         seconds (default 300, 600 on a debug kernel, or
#                         what the program declares: a line
#                         "time-limit: SECONDS" in its source gives its
#                         limit on a stock kernel, twice that on a debug
#                         one); a program still running at its limit is
#                         killed, counted as a failure, and the next runs
#   PIDFD_MOD_GUEST_HOOK  a shell script run in the guest after the module is
#                         loaded and before the tests (setup, tracing, fault
#                         injection); its failure is a failed step
#   PIDFD_MOD_APPEND      extra kernel command line arguments; NAME=VALUE
#                         words (no dot in NAME) become the environment of
#                         the guest's /init and so of every test program,
#                         e.g. PIDFD_MOD_FUZZ_SEED=7 (see tests/fuzz.c)
#   PIDFD_MOD_TESTS       only these test programs (names of tests/*.c
#                         without .c; default all), for long runs of one
#                         program (make stress, make fuzz)
#   PIDFD_MOD_ACCEL, PIDFD_MOD_QEMU_MEM, PIDFD_MOD_QEMU_SMP: see scripts/qemu.sh
#
# Logs of the last run of each kernel: $PIDFD_MOD_CACHE/logs/<kernel>/
# (console.log, results.log, verdict.log with the table of programs).
set -eu -o pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "no arguments expected (settings come from the environment; see the top of scripts/$me)"

# --- Settings ---------------------------------------------------------------
parse_kernels 6.1 6.12 debug debug-6.1

if [ -n "${PIDFD_MOD_TIMEOUT:-}" ]; then
	case $PIDFD_MOD_TIMEOUT in
	*[!0-9]*|0) die "PIDFD_MOD_TIMEOUT must be a positive number of seconds, not '$PIDFD_MOD_TIMEOUT'" ;;
	esac
fi
if [ -n "${PIDFD_MOD_TEST_LIMIT:-}" ]; then
	case $PIDFD_MOD_TEST_LIMIT in
	*[!0-9]*|0) die "PIDFD_MOD_TEST_LIMIT must be a positive number of seconds, not '$PIDFD_MOD_TEST_LIMIT'" ;;
	esac
fi
skips_list=$top/tests/expected-skips
[ -f "$skips_list" ] || die "no list of expected skips ($skips_list)"
only_tests=${PIDFD_MOD_TESTS:-}
for t in $only_tests; do
	[ -f "tests/$t.c" ] || die "PIDFD_MOD_TESTS: no test program '$t' (tests/$t.c)"
done
hook=${PIDFD_MOD_GUEST_HOOK:-}
if [ -n "$hook" ]; then
	[ -f "$hook" ] || die "PIDFD_MOD_GUEST_HOOK: $hook is not a file"
	hook=$(cd "$(dirname "$hook")" && pwd)/$(basename "$hook")
fi

# --- Provisioning and cache ---------------------------------------------------
# shellcheck disable=SC2119 # provision's only arguments here: the debug kernels
provision

use_cache

run_start=$(date +%s)
total_pass=0 total_fail=0 total_skip=0
rows=()
# "KERNEL PROGRAM PASSED FAILED SKIPPED SECS LIMIT RESULT" for every program
# on every kernel, from the verdicts, for the table at the end.
program_rows=()
# NAME=KO[,KUNIT_KO] of every kernel whose modules were built, for
# scripts/ko-check.sh.
built=()

# Failures outside any kernel's run (userspace build).
global_fail() {
	echo "FAIL $*"
	total_fail=$((total_fail + 1))
}

# --- Userspace tests and tools -----------------------------------------------
userdir=$cache/build/user
tests=() test_names=() test_srcs=() tools=()
user_ok=0
echo "== userspace: make tests tools O=$userdir"
if make --no-print-directory -s -C "$top" tests tools O="$userdir" >"$cache/user-build.log" 2>&1; then
	user_ok=1
	for src in tests/*.c; do
		[ -f "$src" ] || continue
		n=$(basename "$src" .c)
		if [ -n "$only_tests" ]; then
			case " $only_tests " in
			*" $n "*) ;;
			*) continue ;;
			esac
		fi
		tests+=("$userdir/tests/$n")
		test_names+=("$n")
		test_srcs+=("$src")
	done
	# Shell tests (tests/*.sh, such as the pidfdctl tests) and the demo
	# run in the guest like the programs, under their file names; a run
	# limited by PIDFD_MOD_TESTS leaves them out.
	if [ -z "$only_tests" ]; then
		for src in tests/*.sh scripts/demo.sh; do
			[ -f "$src" ] || continue
			tests+=("$top/$src")
			test_names+=("$(basename "$src")")
			test_srcs+=("$src")
		done
	fi
	for src in tools/*.c; do
		[ -f "$src" ] || continue
		tools+=("$userdir/tools/$(basename "$src" .c)")
	done
	tools+=("$userdir/tools/bench/pidfd_bench")
	[ ${#tests[@]} -gt 0 ] || global_fail "tests: no test programs (tests/*.c)"
else
	sed 's/^/    | /' "$cache/user-build.log"
	global_fail "userspace: make tests tools failed (log: $cache/user-build.log)"
fi

# The suites and case counts every run of pidfd_mod_kunit.ko must report.
kunit_suites=''
kunit_suites_err=''
if compgen -G 'kunit/*.c' >/dev/null; then
	if ! kunit_suites=$(scripts/kunit-suites.sh 2>&1); then
		kunit_suites_err=$kunit_suites
		kunit_suites=''
	fi
	kunit_suites=$(awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }' <<<"$kunit_suites")
fi

# is_debug NAME: a debug kernel (sanitizers, fault injection, KUnit).
is_debug() {
	case $1 in
	debug | debug-*) return 0 ;;
	*) return 1 ;;
	esac
}

# limit_of SRC KERNEL: the time limit of the test program built from SRC
# on KERNEL.
limit_of() {
	local src=$1 k=$2 l

	if [ -n "${PIDFD_MOD_TEST_LIMIT:-}" ]; then
		echo "$PIDFD_MOD_TEST_LIMIT"
		return
	fi
	l=$(sed -n 's/.*time-limit: *\([0-9][0-9]*\).*/\1/p' "$src" | head -n 1)
	l=${l:-300}
	! is_debug "$k" || l=$((l * 2))
	echo "$l"
}

# write_limits KERNEL FILE: the time limit of every test program on KERNEL,
# as /etc/test-limits of the guest ("NAME SECONDS").
write_limits() {
	local k=$1 out=$2 i
	: >"$out"
	for i in "${!test_names[@]}"; do
		echo "${test_names[$i]} $(limit_of "${test_srcs[$i]}" "$k")" >>"$out"
	done
}

# The benchmark of make bench (tools/bench/pidfd_bench) is no test, but
# it runs once, briefly, on one kernel to prove it works: 6.12 if it is
# tested, else the first stock kernel; not in a run limited by
# PIDFD_MOD_TESTS.  Its one case is whether every row ran.
bench_src=tools/bench/bench-quick.sh
bench_kernel=''
if [ -z "$only_tests" ]; then
	case " ${kernels[*]} " in
	*" 6.12 "*) bench_kernel=6.12 ;;
	*)
		for k in "${kernels[@]}"; do
			if ! is_debug "$k"; then
				bench_kernel=$k
				break
			fi
		done
		;;
	esac
fi

# --- One kernel ---------------------------------------------------------------
# Sets k_release, k_pass, k_fail, k_skip.
run_kernel() {
	local k=$1 logdir=$cache/logs/$1 out bz ko kunit_ko initrd timeout token rc attempt
	local img_args=() verdict_args=() limits names=()

	k_release=- k_pass=0 k_fail=0 k_skip=0
	mkdir -p "$logdir"
	rm -f "$logdir"/{console,console.boot-failure,results,verdict}.log

	if ! out=$(scripts/kernels.sh build "$k"); then
		echo "FAIL $k: kernel or module unavailable (see above)"
		k_fail=1
		return
	fi
	read -r bz _ ko k_release kunit_ko <<<"$(tail -n 1 <<<"$out")"
	built+=("$k=$ko${kunit_ko:+,$kunit_ko}")
	if [ $user_ok = 0 ]; then
		echo "FAIL $k: not booted: the userspace build failed"
		k_fail=1
		return
	fi

	initrd=$cache/build/$k/initramfs.cpio
	limits=$cache/build/$k/test-limits
	write_limits "$k" "$limits"
	img_args=(-o "$initrd" --ko "$ko" --limits "$limits"
		--preload-lib "$userdir/tools/libpidfd_mod.so")
	[ -z "$kunit_ko" ] || img_args+=(--kunit-ko "$kunit_ko")
	for f in ${tests[@]+"${tests[@]}"}; do img_args+=(--test "$f"); done
	names=(${test_names[@]+"${test_names[@]}"})
	if [ "$k" = "$bench_kernel" ]; then
		img_args+=(--test "$top/$bench_src")
		names+=("$(basename "$bench_src")")
		echo "$(basename "$bench_src") $(limit_of "$bench_src" "$k")" >>"$limits"
	fi
	for f in ${tools[@]+"${tools[@]}"}; do img_args+=(--tool "$f"); done
	[ -z "$hook" ] || img_args+=(--hook "$hook")
	if ! scripts/mkinitramfs.sh "${img_args[@]}"; then
		echo "FAIL $k: could not build the initramfs"
		k_fail=1
		return
	fi

	if is_debug "$k"; then
		timeout=${PIDFD_MOD_TIMEOUT:-2700}
	else
		timeout=${PIDFD_MOD_TIMEOUT:-1200}
	fi
	token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	echo "== $k: booting $k_release (timeout $timeout s)"
	boot_guest "$k" "$bz" "$initrd" "$logdir" "$timeout" \
		"pidfd_mod_mode=check pidfd_mod_token=$token ${PIDFD_MOD_APPEND:-}"

	verdict_args=(--token "$token" --kernel "$k" --release "$k_release"
		--tests "${names[*]-}" --skips "$skips_list"
		--qemu-rc "$rc" --timeout "$timeout")
	! is_debug "$k" || verdict_args+=(--debug)
	# pidfd_mod_kunit.ko is built where the kernel has KUnit; its every
	# run must then report all the suites of kunit/*.c.
	[ -z "$kunit_ko" ] || verdict_args+=(--kunit-suites "$kunit_suites")
	scripts/parse-results.sh "${verdict_args[@]}" \
		"$logdir/results.log" "$logdir/console.log" >"$logdir/verdict.log" || true
	# FAIL and NOTE lines with their context; the table of programs goes
	# to the summary.
	sed -n '/^programs on /q; s/^FAIL /FAIL '"$k"': /; s/^NOTE /NOTE '"$k"': /; p' "$logdir/verdict.log"
	while read -r line; do
		program_rows+=("$k $line")
	done < <(sed -n '/^programs on /,/^counts /{/^    [^ ]/p}' "$logdir/verdict.log" | sed 1d)
	read -r _ k_pass k_fail k_skip <<<"$(tail -n 1 "$logdir/verdict.log")"
	case "$k_pass $k_fail $k_skip" in
	*[!0-9\ ]*|*"  "*|" "*|*" ")
		echo "FAIL $k: scripts/parse-results.sh gave no counts (see $logdir/verdict.log)"
		k_pass=0 k_fail=1 k_skip=0
		;;
	esac
	if [ -n "$kunit_ko" ] && [ -z "$kunit_suites" ]; then
		echo "FAIL $k: kunit: no suite to expect: scripts/kunit-suites.sh found none in kunit/*.c${kunit_suites_err:+ ($kunit_suites_err)}"
		k_fail=$((k_fail + 1))
	fi
	if [ "$k_fail" != 0 ]; then
		echo "   $k logs: $logdir/console.log"
		echo "   $k       $logdir/results.log"
	fi
}

for k in "${kernels[@]}"; do
	start=$(date +%s)
	run_kernel "$k"
	secs=$(($(date +%s) - start))
	echo "== $k: $k_pass passed, $k_fail failed, $k_skip skipped in $secs s"
	rows+=("$(printf '%-9s %-24s %7s %7s %8s %6s' "$k" "$k_release" "$k_pass" "$k_fail" "$k_skip" "${secs}s")")
	total_pass=$((total_pass + k_pass))
	total_fail=$((total_fail + k_fail))
	total_skip=$((total_skip + k_skip))
done

# --- Host-side checks ----------------------------------------------------------
# host_tap NAME CMD...: run a host-side check that prints TAP ("ok N name",
# "not ok N name") and count its cases like a kernel's.  A check that
# reports no case, or fails without a "not ok", counts as one failure.
host_tap() {
	local name=$1 log=$cache/logs/host-$1.log pass fail skip rc=0
	local start es_out es_unexpected es_invalid

	shift
	start=$(date +%s)
	echo "== $name: $*"
	"$@" >"$log" 2>&1 || rc=$?
	pass=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ') || true
	skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log" | tr -d ' ') || true
	fail=$(grep -cE '^not ok [0-9]+' "$log" | tr -d ' ') || true
	pass=$((pass - skip))
	if [ $rc != 0 ] && [ "$fail" = 0 ]; then
		echo "FAIL $name: exited $rc without a failing case (log: $log)"
		fail=1
	elif [ $((pass + fail + skip)) = 0 ]; then
		echo "FAIL $name: reported no case (log: $log)"
		fail=1
	fi
	# Its skips are held to tests/expected-skips like a kernel's, under
	# the kernel name "host".
	if [ "$skip" != 0 ]; then
		es_out=$(awk -v p="$name" '/^ok [0-9]+ .*# *SKIP/ {
				n = $0; r = $0
				sub(/^ok [0-9]+ *(- )?/, "", n); sub(/ *#.*$/, "", n)
				sub(/^.*# *SKIP */, "", r)
				printf "skip\t%s/%s\t%s\n", p, n, r
			}' "$log" |
			scripts/expected-skips.sh --kernel host --ran "$name" "$skips_list") || true
		sed '$d; s/^FAIL /FAIL host: /; s/^NOTE /NOTE host: /' <<<"$es_out"
		read -r _ es_unexpected es_invalid <<<"$(tail -n 1 <<<"$es_out")"
		case "$es_unexpected $es_invalid" in
		*[!0-9\ ]*|" "*|*" ") es_unexpected=0 es_invalid=1 ;;
		esac
		fail=$((fail + es_unexpected + es_invalid))
		skip=$((skip - es_unexpected))
	fi
	if [ "$fail" != 0 ]; then
		grep -E '^not ok|^# ' "$log" | sed "s/^/    $name| /" | head -n 40
		echo "   $name log: $log"
	fi
	rows+=("$(printf '%-9s %-24s %7s %7s %8s %6s' "$name" "(host)" "$pass" "$fail" "$skip" "$(($(date +%s) - start))s")")
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
}

mkdir -p "$cache/logs"
# pidfd_mod.ko of each kernel holds no test code; the suites are in
# pidfd_mod_kunit.ko where the kernel has KUnit (ok no-test-code-6.1, ...).
if [ ${#built[@]} -gt 0 ]; then
	host_tap ko scripts/ko-check.sh "${built[@]}"
fi
# sparse builds against the (6.12) debug kernel's tree.
case " ${kernels[*]} " in
*" debug "*) host_tap lint scripts/lint.sh ;;
*) echo "== lint: not run (it needs the 6.12 debug kernel's tree; PIDFD_MOD_KERNELS has no 'debug')" ;;
esac
# DKMS builds the shipped sources for each stock kernel under test
# (ok dkms-build-6.1, ...), in a throwaway DKMS tree.
dkms_kernels=()
for k in "${kernels[@]}"; do
	case $k in
	debug | debug-*) ;;
	*) dkms_kernels+=("$k") ;;
	esac
done
if [ ${#dkms_kernels[@]} -gt 0 ]; then
	host_tap dkms scripts/dkms-check.sh "${dkms_kernels[@]}"
fi

# The test programs: seconds and cases (passed/failed/skipped) on each
# kernel, and what went wrong with a program that did not end well.  Each
# kernel's verdict.log has the same table in full.
if [ ${#program_rows[@]} -gt 0 ]; then
	echo
	echo "seconds and cases (passed/failed/skipped) of each test program:"
	printf '%s\n' "${program_rows[@]}" | awk -v kernels="${kernels[*]}" '
	{
		if (!($2 in seen)) {
			seen[$2] = 1
			prog[++np] = $2
		}
		cell = ($6 == "-" ? "" : $6 "s ") $3 "/" $4 "/" $5
		if ($8 != "ok" && $8 != "-")
			cell = cell " " $8
		c[$1, $2] = cell
	}
	END {
		nk = split(kernels, k, " ")
		w = 22
		line = sprintf("%-14s", "program")
		for (j = 1; j <= nk; j++)
			line = line sprintf(" %-" w "s", k[j])
		sub(/ +$/, "", line)
		print line
		for (i = 1; i <= np; i++) {
			line = sprintf("%-14s", prog[i])
			for (j = 1; j <= nk; j++)
				line = line sprintf(" %-" w "s", ((k[j], prog[i]) in c) ? c[k[j], prog[i]] : "-")
			sub(/ +$/, "", line)
			print line
		}
	}'
fi

echo
printf '%-9s %-24s %7s %7s %8s %6s\n' kernel release passed failed skipped time
printf '%s\n' "${rows[@]}"
echo "(total $(($(date +%s) - run_start)) s; logs in $cache/logs)"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
