#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run:   boot the stock 6.12 kernel in QEMU with the module loaded,
#             print what /dev/pidfd offers (`pidfdctl features`) and play
#             the demo (scripts/demo.sh); exit 0 only if every demo step
#             behaved as it printed.
# make shell: the same guest with an interactive busybox shell on the
#             terminal; the tests are in /tests, the tools in /bin.  Leave
#             with `reboot -f` (or Ctrl-A X, which stops QEMU at once).
#
# Usage: scripts/run.sh [--shell]
#
# Environment:
#   PIDFD_MOD_RUN_KERNEL  the kernel to boot (default 6.12; see
#                         scripts/kernels.sh list)
#   PIDFD_MOD_TIMEOUT     time limit of `make run` in seconds (default 300)
#   PIDFD_MOD_APPEND      extra kernel command line arguments
#   PIDFD_MOD_CACHE, PIDFD_MOD_ACCEL, PIDFD_MOD_QEMU_MEM, PIDFD_MOD_QEMU_SMP:
#                         see scripts/check.sh and scripts/qemu.sh
set -eu -o pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=run
case $# in
0) ;;
1)
	case $1 in
	--shell) mode=shell ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (expected --shell or nothing)" ;;
	esac
	;;
*) die "too many arguments (expected --shell or nothing)" ;;
esac

k=${PIDFD_MOD_RUN_KERNEL:-6.12}
known=$(scripts/kernels.sh list)
case " $known " in
*" $k "*) ;;
*) die "PIDFD_MOD_RUN_KERNEL: unknown kernel '$k' (known: $known)" ;;
esac
timeout=${PIDFD_MOD_TIMEOUT:-300}
case $timeout in
''|*[!0-9]*|0) die "PIDFD_MOD_TIMEOUT must be a positive number of seconds, not '$timeout'" ;;
esac

case $k in
debug) scripts/provision.sh --debug-kernel=6.12 ;;
debug-*) scripts/provision.sh "--debug-kernel=${k#debug-}" ;;
*) scripts/provision.sh ;;
esac
# Build under the lock `make check` takes, boot without it.
use_cache
userdir=$cache/build/user
make --no-print-directory -s -C "$top" tests tools O="$userdir" ||
	{ echo "$me: building the userspace tests and tools failed" >&2; exit 1; }
out=$(scripts/kernels.sh build "$k") || exit 1
read -r bz _ ko release kunit_ko <<<"$(tail -n 1 <<<"$out")"

logdir=$cache/logs/run
mkdir -p "$logdir"
initrd=$logdir/initramfs.cpio
img_args=(-o "$initrd" --ko "$ko")
# Not loaded by the guest in these modes; there to be loaded by hand in
# `make shell` on a kernel with KUnit.
[ -z "$kunit_ko" ] || img_args+=(--kunit-ko "$kunit_ko")
for src in tests/*.c; do
	[ -f "$src" ] && img_args+=(--test "$userdir/tests/$(basename "$src" .c)")
done
for src in tests/*.sh scripts/demo.sh; do
	[ -f "$src" ] && img_args+=(--test "$top/$src")
done
for src in tools/*.c; do
	[ -f "$src" ] && img_args+=(--tool "$userdir/tools/$(basename "$src" .c)")
done
img_args+=(--tool "$userdir/tools/bench/pidfd_bench")
scripts/mkinitramfs.sh "${img_args[@]}"
exec 9>&-

if [ "$mode" = shell ]; then
	echo "$me: booting $release with pidfd_mod loaded; 'reboot -f' leaves, Ctrl-A X stops QEMU"
	exec scripts/qemu.sh --interactive --kernel "$bz" --initrd "$initrd" \
		--append "pidfd_mod_mode=shell ${PIDFD_MOD_APPEND:-}"
fi

token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$me: booting $release with pidfd_mod loaded"
rc=0
scripts/qemu.sh --kernel "$bz" --initrd "$initrd" \
	--console "$logdir/console.log" --results "$logdir/results.log" \
	--timeout "$timeout" \
	--append "pidfd_mod_mode=run pidfd_mod_token=$token ${PIDFD_MOD_APPEND:-}" ||
	rc=$?

# The output of the features and demo steps, and any failure.
results=$(tr -d '\r' <"$logdir/results.log" 2>/dev/null || true)
# step_output NAME: what step NAME printed, if it ended with rc=0.
step_output() {
	awk -v name="$1" '$0 == "### end step " name " rc=0" { ok = 1; exit }
		$0 == "### step " name { on = 1; next }
		/^### / { on = 0 }
		on { out = out $0 "\n" }
		END { if (ok) printf "%s", out }' <<<"$results"
}
features=$(step_output features)
demo=$(step_output demo)
if [ -n "$features" ] && [ -n "$demo" ] &&
   grep -qx "PIDFD_MOD_GUEST_DONE $token" <<<"$results"; then
	echo "/dev/pidfd on $release:"
	awk '{ print "  " $0 }' <<<"$features"
	echo
	echo "The demo (scripts/demo.sh) on $release:"
	awk '{ print "  " $0 }' <<<"$demo"
	exit 0
fi
echo "$me: the guest did not finish cleanly, or the demo failed (qemu rc=$rc); results port:" >&2
awk '{ print "  | " $0 }' <<<"$results" >&2
echo "$me: last console lines ($logdir/console.log):" >&2
tail -n 30 "$logdir/console.log" 2>/dev/null | sed 's/^/  | /' >&2
exit 1
