#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the build and the QEMU test loop need, from Debian's
# archive only.  Idempotent: packages already present are not touched, and
# nothing is printed unless something is installed or fails.
#
# Usage: scripts/provision.sh [--debug-kernel[=SERIES]]... [--bench]
#   --debug-kernel=SERIES  also what a debug kernel built from Debian's
#                          linux-source-SERIES needs (6.12 or 6.1; plain
#                          --debug-kernel is 6.12)
#   --bench                also what make bench needs (gnuplot for the plot)
set -eu

pkgs="gcc make libc6-dev qemu-system-x86 busybox-static cpio xz-utils kmod dkms
      linux-image-amd64 linux-headers-amd64
      linux-image-6.12-amd64 linux-headers-6.12-amd64 apparmor
      procps python3-minimal"
# apparmor is only where scripts/mkinitramfs.sh copies apparmor_parser from,
# for the guest's LSM tests (tests/lsm.c).  Installing it changes nothing
# here: its maintainer scripts load profiles only if this kernel has
# AppArmor enabled, and then only Debian's own few (lsb_release,
# nvidia_modprobe, man), as on any Debian 12 system that has it.
# procps (pidwait) and python3-minimal are unmodified programs that use
# pidfds, which the guest runs under libpidfd_mod.so (tests/preload.c).
# A debug kernel is built from Debian's source package; checkpatch and
# sparse come with it for `make lint`.
pkgs_debug="flex bison bc libelf-dev libssl-dev dwarves sparse perl python3"
# make bench draws docs/performance-scaling.svg with gnuplot (no X11).
pkgs_bench="gnuplot-nox"

want=$pkgs
debug=
for arg in "$@"; do
	case $arg in
	--bench)
		case " $want " in
		*" $pkgs_bench "*) ;;
		*) want="$want $pkgs_bench" ;;
		esac
		continue
		;;
	--debug-kernel) series=6.12 ;;
	--debug-kernel=6.12 | --debug-kernel=6.1) series=${arg#--debug-kernel=} ;;
	*) echo "provision.sh: unknown argument '$arg' (expected --debug-kernel[=6.12|6.1] or --bench)" >&2
	   exit 2 ;;
	esac
	[ -n "$debug" ] || want="$want $pkgs_debug"
	debug=1
	case " $want " in
	*" linux-source-$series "*) ;;
	*) want="$want linux-source-$series" ;;
	esac
done

missing=
for p in $want; do
	if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "provision.sh: missing packages:$missing; run as root or install them" >&2
	exit 1
fi

echo "provision: installing$missing"
export DEBIAN_FRONTEND=noninteractive INITRD=No
# A stale package list gives 404s for rotated kernel ABI packages.
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
