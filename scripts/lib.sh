# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the front ends (scripts/check.sh, scripts/run.sh, scripts/longrun.sh,
# scripts/bench.sh) share.  Sourced, never run, right after
# `set -eu -o pipefail`:
#
#	. "$(dirname "$0")/lib.sh"
#
# Sets $me (the script's name, for messages) and $top (the tree), and
# changes to $top.

me=$(basename "$0")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2

# die MESSAGE...: bad settings or arguments; exit status 2.
die() {
	echo "$me: $*" >&2
	exit 2
}

# use_cache: the cache of builds and logs (scripts/kernels.sh cache) in
# $cache and the exported PIDFD_MOD_CACHE, locked on fd 9.  Runs sharing a
# cache would overwrite each other's builds and logs, so a second run waits
# for the first; closing fd 9 (exec 9>&-) lets the next one go.
use_cache() {
	PIDFD_MOD_CACHE=$(scripts/kernels.sh cache)
	export PIDFD_MOD_CACHE
	cache=$PIDFD_MOD_CACHE
	exec 9>"$cache/.check.lock"
	if ! flock -n 9; then
		echo "$me: waiting for another run using $cache"
		flock 9
	fi
}

# parse_kernels DEFAULT...: the kernels of PIDFD_MOD_KERNELS (DEFAULT when
# unset) in the array $kernels, each known to scripts/kernels.sh and named
# once.
parse_kernels() {
	local known k
	known=$(scripts/kernels.sh list)
	kernels=()
	for k in ${PIDFD_MOD_KERNELS:-$*}; do
		case " $known " in
		*" $k "*) ;;
		*) die "PIDFD_MOD_KERNELS: unknown kernel '$k' (known: $known)" ;;
		esac
		case " ${kernels[*]-} " in
		*" $k "*) die "PIDFD_MOD_KERNELS: '$k' is listed twice" ;;
		esac
		kernels+=("$k")
	done
	[ ${#kernels[@]} -gt 0 ] || die "PIDFD_MOD_KERNELS names no kernel"
}

# whole_number NAME VALUE MIN MAX: die unless VALUE, the setting NAME, is
# a whole number from MIN to MAX.
whole_number() {
	case $2 in
	'' | *[!0-9]*) die "$1 must be a whole number from $3 to $4, not '$2'" ;;
	esac
	{ [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; } ||
		die "$1 must be a whole number from $3 to $4, not '$2'"
}

# kernel_build NAME: build, or find built, kernel NAME and the module for
# it (scripts/kernels.sh); set bz, ko and release, or say why not and fail.
kernel_build() {
	local out

	if ! out=$(scripts/kernels.sh build "$1"); then
		echo "FAIL $1: kernel or module unavailable (see above)"
		return 1
	fi
	# shellcheck disable=SC2034 # the caller's
	read -r bz _ ko release _ <<<"$(tail -n 1 <<<"$out")"
}

# build_bench: build tools/bench/pidfd_bench in the cache (use_cache) and
# set bench to its path.
build_bench() {
	local userdir=$cache/build/user

	bench=$userdir/tools/bench/pidfd_bench
	echo "== userspace: make $bench"
	make --no-print-directory -s -C "$top" "$bench" O="$userdir" ||
		die "building the benchmark failed"
}

# provision [ARG...]: scripts/provision.sh with ARGs, and with the debug
# kernels among $kernels (parse_kernels) to build.
provision() {
	local k args=("$@")

	for k in "${kernels[@]}"; do
		case $k in
		debug) args+=(--debug-kernel=6.12) ;;
		debug-*) args+=("--debug-kernel=${k#debug-}") ;;
		esac
	done
	scripts/provision.sh ${args[@]+"${args[@]}"}
}

# boot_guest NAME BZIMAGE INITRD LOGDIR TIMEOUT APPEND: boot a guest with
# its console and results logs in LOGDIR, and QEMU's exit status in $rc.
# A kernel that dies or hangs before /init has started never saw the
# module: that is the emulator's or the kernel's flake, so it gets one
# more boot.  Everything later counts.
boot_guest() {
	local name=$1 bz=$2 initrd=$3 logdir=$4 timeout=$5 append=$6 attempt
	for attempt in 1 2; do
		rc=0
		scripts/qemu.sh --kernel "$bz" --initrd "$initrd" \
			--console "$logdir/console.log" --results "$logdir/results.log" \
			--timeout "$timeout" \
			--boot-marker 'pidfd_mod-init: start' --boot-timeout 300 \
			--append "$append" || rc=$?
		if [ $attempt = 2 ] || [ $rc = 124 ] ||
		   grep -q 'pidfd_mod-init: start' "$logdir/console.log" 2>/dev/null; then
			return 0
		fi
		mv "$logdir/console.log" "$logdir/console.boot-failure.log"
		echo "== $name: the kernel died or hung (qemu rc=$rc) before /init started; booting once more. Its last words ($logdir/console.boot-failure.log):"
		tail -n 8 "$logdir/console.boot-failure.log" | sed 's/^/    | /'
	done
}
