#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernels the QEMU tests run on, and the module built for each.
#
#   scripts/kernels.sh list            the known kernel names
#   scripts/kernels.sh cache           the cache directory in use
#   scripts/kernels.sh resolve NAME    last stdout line: BZIMAGE KDIR
#   scripts/kernels.sh build NAME      last stdout line:
#                                      BZIMAGE KDIR KO RELEASE [KUNIT_KO]
#
# Names:
#   6.1    Debian's linux-image-amd64 / linux-headers-amd64
#   6.12   Debian's linux-image-6.12-amd64 / linux-headers-6.12-amd64
#   debug      the sanitizer/lockdep/KUnit kernel of scripts/debug-kernel.sh,
#              built from Debian's linux-source-6.12
#   debug-6.1  the same, built from Debian's linux-source-6.1: the module's
#              code for kernels without native thread pidfds runs there
#
# A stock kernel's release is read from its metapackage's dependency, so
# whatever ABI the archive currently carries is used; image and headers must
# name the same release.
#
# `build` copies the module sources into $PIDFD_MOD_CACHE/build/NAME and runs
# `make -C KDIR M=... W=1 modules` there.  Any compiler, kernel-doc or modpost
# warning fails the build.  A build is reused while the sources, the kernel
# tree and the compiler are unchanged.  KO is pidfd_mod.ko; KUNIT_KO, the
# module of the KUnit suites, is there only for a kernel with KUnit (the
# debug kernels), for which Kbuild builds it.
#
# Progress and errors go to stderr.
set -eu -o pipefail

me=kernels.sh
top=$(cd "$(dirname "$0")/.." && pwd)
names="6.1 6.12 debug debug-6.1"

die() {
	echo "$me: $*" >&2
	exit 1
}

usage() {
	echo "usage: scripts/$me list | cache | resolve NAME | build NAME   (NAME: ${names// /, })" >&2
	exit 2
}

# The cache directory: $PIDFD_MOD_CACHE if it can be written, else
# $HOME/.cache/pidfd_mod.
cache_dir() {
	local want=${PIDFD_MOD_CACHE:-/var/cache/pidfd_mod}

	if mkdir -p "$want" 2>/dev/null && [ -w "$want" ]; then
		(cd "$want" && pwd)
		return
	fi
	local alt=${HOME:?HOME is not set}/.cache/pidfd_mod
	mkdir -p "$alt" || die "cannot create cache directory $alt"
	echo "$me: $want is not writable; using $alt" >&2
	(cd "$alt" && pwd)
}

check_name() {
	case " $names " in
	*" $1 "*) ;;
	*) echo "$me: unknown kernel '$1' (known: $names)" >&2; exit 2 ;;
	esac
}

# The package a metapackage depends on whose name starts with $2.
meta_dep() {
	local meta=$1 prefix=$2 deps dep

	deps=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null) ||
		die "package $meta is not installed (run scripts/provision.sh)"
	for dep in ${deps//,/ }; do
		case $dep in
		"$prefix"*) echo "$dep"; return ;;
		esac
	done
	die "$meta does not depend on any $prefix* package (Depends: $deps)"
}

installed() {
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

resolve_stock() {
	local name=$1 suffix image headers release hrelease bz kdir

	case $name in
	6.1) suffix= ;;
	6.12) suffix=-6.12 ;;
	esac
	image=$(meta_dep "linux-image$suffix-amd64" linux-image-)
	headers=$(meta_dep "linux-headers$suffix-amd64" linux-headers-)
	release=${image#linux-image-}
	hrelease=${headers#linux-headers-}
	[ "$release" = "$hrelease" ] ||
		die "$name: linux-image$suffix-amd64 wants $release but linux-headers$suffix-amd64 wants $hrelease; install matching versions of both"
	case $release in
	"$name".*) ;;
	*) die "$name: linux-image$suffix-amd64 now points at $release, not a $name kernel" ;;
	esac
	installed "$image" || die "$name: $image is not installed (run scripts/provision.sh)"
	installed "$headers" || die "$name: $headers is not installed (run scripts/provision.sh)"
	bz=/boot/vmlinuz-$release
	kdir=/usr/src/linux-headers-$release
	[ -f "$bz" ] || die "$name: $bz not found although $image is installed"
	[ -f "$kdir/Makefile" ] || die "$name: no kernel build tree at $kdir"
	echo "$bz $kdir"
}

# The source package a debug kernel is built from.
debug_source_pkg() {
	case $1 in
	debug) echo linux-source-6.12 ;;
	debug-*) echo "linux-source-${1#debug-}" ;;
	esac
}

resolve_debug() {
	local name=$1 script=$top/scripts/debug-kernel.sh out last bz kdir extra pkg

	pkg=$(debug_source_pkg "$name")
	[ -f "$script" ] ||
		die "$name: the debug kernel is unavailable: scripts/debug-kernel.sh does not exist"
	out=$(mktemp)
	# shellcheck disable=SC2064
	trap "rm -f '$out'" EXIT
	echo "$me: $name: running scripts/debug-kernel.sh for $pkg" >&2
	# Its progress goes to the terminal; its last stdout line is the answer.
	local run=("$script")
	[ -x "$script" ] || run=(bash "$script")
	if ! PIDFD_MOD_CACHE=$(cache_dir) PIDFD_MOD_SOURCE_PKG=$pkg "${run[@]}" | tee "$out" >&2; then
		die "$name: scripts/debug-kernel.sh failed"
	fi
	last=$(tail -n 1 "$out")
	read -r bz kdir extra <<<"$last" || true
	{ [ -n "$bz" ] && [ -n "$kdir" ] && [ -z "${extra:-}" ]; } ||
		die "$name: scripts/debug-kernel.sh's last line should be 'BZIMAGE KDIR', not '$last'"
	[ -f "$bz" ] || die "$name: kernel image $bz not found"
	[ -f "$kdir/Makefile" ] || die "$name: no kernel build tree at $kdir"
	echo "$bz $kdir"
}

resolve() {
	case $1 in
	debug | debug-*) resolve_debug "$1" ;;
	*) resolve_stock "$1" ;;
	esac
}

# The release a bzImage was built as: the x86 boot header holds at 0x20e
# the offset (minus 0x200) of a string that starts with the release.
bzimage_release() {
	local off

	off=$(od -An -t u2 -j 526 -N 2 "$1" | tr -d ' ')
	[ -n "$off" ] || return 0
	dd if="$1" bs=1 skip=$((off + 512)) count=128 2>/dev/null |
		tr '\0' '\n' | head -n 1 | cut -d ' ' -f 1
}

# The release modules built against a tree will claim in their vermagic.
# (include/config/kernel.release is not always the same: Debian's 6.1
# headers have the upstream version there.)
kdir_release() {
	local f=$1/include/generated/utsrelease.h

	[ -f "$f" ] || die "$f not found; is $1 a prepared kernel build tree?"
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$f"
}

# Whether the kernel built in $1 has KUnit, so that Kbuild builds the
# suites' module for it.
kdir_has_kunit() {
	grep -qE '^CONFIG_KUNIT=[ym]$' "$1/include/config/auto.conf" 2>/dev/null
}

build() {
	local name=$1 cache bz kdir release bzrel bdir stamp f rc kunit
	local srcs=()

	f=$(resolve "$name") || exit 1
	read -r bz kdir <<<"$f"
	release=$(kdir_release "$kdir")
	bzrel=$(bzimage_release "$bz")
	[ -z "$bzrel" ] || [ "$bzrel" = "$release" ] ||
		die "$name: $bz is release $bzrel but $kdir is $release; the module would not load"

	cache=$(cache_dir)
	bdir=$cache/build/$name

	cd "$top"
	[ -f pidfd_mod.c ] || die "pidfd_mod.c not found in $top"
	for f in Kbuild *.c *.h compat uapi kunit; do
		[ -e "$f" ] && srcs+=("$f")
	done
	stamp=$(
		echo "kdir $kdir $release"
		sha256sum "$top/scripts/$me"
		ls -l --time-style=+%s "$kdir/Module.symvers" "$kdir/.config" 2>/dev/null || true
		${CC:-gcc} --version | head -n 1
		find "${srcs[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
	)
	stamp=$(sha256sum <<<"$stamp" | cut -d ' ' -f 1)
	kunit=
	if kdir_has_kunit "$kdir"; then
		kunit=$bdir/pidfd_mod_kunit.ko
	fi
	if [ -f "$bdir/pidfd_mod.ko" ] && { [ -z "$kunit" ] || [ -f "$kunit" ]; } &&
	   [ "$(cat "$bdir/.pidfd_mod-stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$me: $name: module up to date ($bdir/pidfd_mod.ko)" >&2
		echo "$bz $kdir $bdir/pidfd_mod.ko $release${kunit:+ $kunit}"
		return
	fi

	rm -rf "$bdir"
	mkdir -p "$bdir"
	cp -r "${srcs[@]}" "$bdir/"
	echo "$me: $name: building module against $release" >&2
	rc=0
	make -C "$kdir" M="$bdir" W=1 modules >"$bdir/build.log" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		cat "$bdir/build.log" >&2
		die "$name: module build failed (log: $bdir/build.log)"
	fi
	# -Werror does not reach modpost or kernel-doc; the log does.
	if grep -E 'warning:|WARNING:' "$bdir/build.log" >/dev/null; then
		cat "$bdir/build.log" >&2
		die "$name: module build has warnings, which are errors here (log: $bdir/build.log)"
	fi
	[ -f "$bdir/pidfd_mod.ko" ] || die "$name: the build made no pidfd_mod.ko (log: $bdir/build.log)"
	[ -z "$kunit" ] || [ -f "$kunit" ] ||
		die "$name: the kernel has KUnit but the build made no pidfd_mod_kunit.ko (log: $bdir/build.log)"
	echo "$stamp" >"$bdir/.pidfd_mod-stamp"
	echo "$bz $kdir $bdir/pidfd_mod.ko $release${kunit:+ $kunit}"
}

[ $# -ge 1 ] || usage
case $1 in
list) [ $# = 1 ] || usage; echo "$names" ;;
cache) [ $# = 1 ] || usage; cache_dir ;;
resolve) [ $# = 2 ] || usage; check_name "$2"; resolve "$2" ;;
build) [ $# = 2 ] || usage; check_name "$2"; build "$2" ;;
-h|--help) usage ;;
*) echo "$me: unknown command '$1'" >&2; usage ;;
esac
