#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a debug kernel (KUnit, KASAN, UBSAN, lockdep, kmemleak, fault
# injection) once and cache it.  The kernel is one of Debian's
# linux-source-<series> packages configured as `make ARCH=x86_64 tinyconfig`
# plus scripts/debug.config, shared by every series, and
# scripts/debug-<series>.config where that series needs more.
#
# Usage: scripts/debug-kernel.sh            build if needed
#        scripts/debug-kernel.sh --source   only extract the pristine source
#        scripts/debug-kernel.sh --cached   never build: the result if the
#                                           current kernel is built, else
#                                           exit status 1 and no output
#
# The last line on stdout is the result, everything else goes to stderr:
#   build:     "<path to bzImage> <kernel build tree>"  (the tree is a KDIR:
#              make -C <tree> M=<module dir> modules)
#   --source:  "<pristine kernel source tree>"           (has checkpatch.pl)
#
# Cache layout under ${PIDFD_MOD_CACHE:-/var/cache/pidfd_mod}:
#   src-<package version>/<top dir>  pristine source, shared by all builds
#   debug-<hash>/build               O= build tree (the KDIR)
#   debug-<hash>/build.log           full build output
#   debug-<hash>/ok                  stamp, written last
# <hash> covers the source package and its version, the option lines of the
# fragments, the compiler and LOGIC_VERSION below, so changing any of them
# builds a new kernel (comments in the fragments do not).  Old
# debug-* directories are not removed automatically.
#
# Environment:
#   PIDFD_MOD_CACHE       cache directory (default /var/cache/pidfd_mod)
#   PIDFD_MOD_SOURCE_PKG  Debian source package (default linux-source-6.12;
#                         scripts/kernels.sh sets it from the kernel's name)
#   PIDFD_MOD_JOBS        parallel jobs (default: nproc)
set -eu

# Bump when the way the kernel is configured or built changes.
LOGIC_VERSION=1

me=debug-kernel.sh
die() {
	echo "$me: error: $*" >&2
	exit 1
}
say() {
	echo "$me: $*" >&2
}

mode=build
case $# in
0) ;;
1)
	case $1 in
	--source) mode=source ;;
	--cached) mode=cached ;;
	-h | --help)
		sed -n '4,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
		exit 0
		;;
	*)
		echo "$me: unknown argument '$1' (expected --source, --cached, --help or nothing)" >&2
		exit 2
		;;
	esac
	;;
*)
	echo "$me: too many arguments (expected --source, --cached, --help or nothing)" >&2
	exit 2
	;;
esac

repo=$(cd "$(dirname "$0")/.." && pwd)
fragment=$repo/scripts/debug.config
cache=${PIDFD_MOD_CACHE:-/var/cache/pidfd_mod}
pkg=${PIDFD_MOD_SOURCE_PKG:-linux-source-6.12}
series=${pkg#linux-source-}
# Options one series needs beyond, or instead of, the shared fragment.
extra=$repo/scripts/debug-$series.config
[ -f "$extra" ] || extra=
jobs=${PIDFD_MOD_JOBS:-$(nproc)}

case $cache in
/*) ;;
"") die "PIDFD_MOD_CACHE is empty" ;;
*) die "PIDFD_MOD_CACHE must be an absolute path, not '$cache'" ;;
esac
case $jobs in
'' | *[!0-9]* | 0) die "PIDFD_MOD_JOBS must be a positive integer, not '$jobs'" ;;
esac
[ -r "$fragment" ] || die "config fragment $fragment is missing"
case $pkg in
linux-source-[0-9]*.[0-9]*) ;;
*) die "PIDFD_MOD_SOURCE_PKG must be a linux-source-<series> package, not '$pkg'" ;;
esac
[ "$(uname -m)" = x86_64 ] || die "the debug kernel is built for x86_64 only (this host: $(uname -m))"

# --- The source package -----------------------------------------------------
hint="install it with: scripts/provision.sh --debug-kernel=$series"
pkgver=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null) || pkgver=
case $pkgver in
"installed "*) pkgver=${pkgver#installed } ;;
*)
	[ "$mode" != cached ] || exit 1
	if [ -z "$pkgver" ]; then
		die "package $pkg is not installed; $hint"
	fi
	die "package $pkg is not (fully) installed; $hint"
	;;
esac
srcbase=$cache/src-$(printf '%s' "$pkgver" | tr -c 'A-Za-z0-9.+_-' '_')
hash=$({
	echo "logic $LOGIC_VERSION"
	echo "package $pkg $pkgver"
	gcc --version | head -n1
	# Only the option lines: comments do not change the kernel.
	grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$fragment"
	if [ -n "$extra" ]; then
		echo "fragment $(basename "$extra")"
		grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$extra"
	fi
} | sha256sum | cut -c1-16)
dir=$cache/debug-$hash
kdir=$dir/build
bzimage=$kdir/arch/x86/boot/bzImage
log=$dir/build.log

built() {
	[ -f "$dir/ok" ] && [ -f "$bzimage" ] && [ -f "$kdir/Module.symvers" ] &&
		[ -f "$srcbase/ok" ]
}
if [ "$mode" = cached ]; then
	built || exit 1
	echo "$bzimage $kdir"
	exit 0
fi

tarball=$(dpkg-query -L "$pkg" | grep -E '^/usr/src/[^/]+\.tar\.(xz|gz|bz2)$' | head -n1)
[ -n "$tarball" ] || die "package $pkg ships no source tarball under /usr/src"
[ -r "$tarball" ] || die "$tarball (from $pkg) is missing; reinstall $pkg"

# Results are published by writing a stamp last, so readers need no lock
# (and no write access); producers of the same result take a lock and wait
# for each other.
lock() {
	if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
		die "cache directory $cache is not writable; run as root or set PIDFD_MOD_CACHE"
	fi
	exec 9>"$1"
	if ! flock -n 9; then
		say "waiting for another debug-kernel.sh ($1)"
		flock 9
	fi
}

[ -f "$srcbase/ok" ] || lock "$srcbase.lock"
if [ ! -f "$srcbase/ok" ]; then
	say "extracting $tarball into $srcbase"
	rm -rf "$srcbase" "$srcbase.tmp"
	mkdir -p "$srcbase.tmp"
	tar -C "$srcbase.tmp" -xf "$tarball" ||
		die "could not extract $tarball into $srcbase.tmp"
	top=$(ls "$srcbase.tmp")
	if [ "$(printf '%s\n' "$top" | wc -l)" != 1 ] || [ ! -f "$srcbase.tmp/$top/Makefile" ]; then
		die "$tarball does not hold a single kernel source directory"
	fi
	echo "$top" >"$srcbase.tmp/ok"
	mv "$srcbase.tmp" "$srcbase"
fi
src=$srcbase/$(cat "$srcbase/ok")
if [ ! -f "$src/Makefile" ] || [ ! -x "$src/scripts/checkpatch.pl" ]; then
	die "source tree $src is incomplete; remove $srcbase and retry"
fi

if [ "$mode" = source ]; then
	echo "$src"
	exit 0
fi

# --- The build ---------------------------------------------------------------
for tool in gcc make flex bison bc perl; do
	command -v "$tool" >/dev/null || die "'$tool' not found; $hint"
done
[ -f /usr/include/libelf.h ] || die "libelf headers missing (libelf-dev); $hint"
[ -f /usr/include/openssl/ssl.h ] || die "OpenSSL headers missing (libssl-dev); $hint"

if built; then
	echo "$bzimage $kdir"
	exit 0
fi

lock "$dir.lock"
if built; then
	echo "$bzimage $kdir"
	exit 0
fi
mkdir -p "$kdir"
: >"$log"
start=$(date +%s)
say "building the debug kernel in $dir ($jobs jobs, log in $log)"

kmake() {
	make -C "$src" O="$kdir" ARCH=x86_64 "$@" >>"$log" 2>&1
}
fail() {
	echo "$me: error: $*; last lines of $log:" >&2
	{
		grep -E ': (error|fatal error):|\*\*\*' "$log" | tail -n 20
		echo "---"
		tail -n 40 "$log"
	} | sed 's/^/    /' >&2
	exit 1
}

rm -f "$dir/ok"
kmake tinyconfig || fail "make tinyconfig failed"
(cd "$kdir" && "$src/scripts/kconfig/merge_config.sh" -m -O "$kdir" \
	"$kdir/.config" "$fragment" ${extra:+"$extra"}) >>"$log" 2>&1 ||
	fail "merging $fragment ${extra:+and $extra }failed"
kmake olddefconfig || fail "make olddefconfig failed"

# Every option line must have survived olddefconfig: "=value" lines
# verbatim, "is not set" lines as the absence of a value.  A line of the
# series' fragment replaces the shared fragment's line for the same option.
declare -A want=()
order=()
for f in "$fragment" ${extra:+"$extra"}; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*} ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			;;
		"" | "#"*) continue ;;
		*) fail "cannot parse line in $f: '$line'" ;;
		esac
		[ -n "${want[$sym]+set}" ] || order+=("$sym")
		want[$sym]=$line
	done <"$f"
done
missing=
for sym in "${order[@]}"; do
	line=${want[$sym]}
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$kdir/.config" ||
			missing="$missing
    want: $line    got: $(grep -E "^(# )?$sym[= ]" "$kdir/.config" || echo 'absent (unknown symbol or unmet dependencies)')"
		;;
	*)
		grep -q "^$sym=" "$kdir/.config" &&
			missing="$missing
    want: $line    got: $(grep "^$sym=" "$kdir/.config")"
		;;
	esac
done
if [ -n "$missing" ]; then
	echo "$me: error: options in $(basename "$fragment")${extra:+ and $(basename "$extra")} did not survive olddefconfig:$missing" >&2
	echo "$me: fix their dependencies in the fragments (see $kdir/.config)" >&2
	exit 1
fi

kmake -j"$jobs" bzImage modules || fail "kernel build failed"
kmake modules_prepare || fail "make modules_prepare failed"
[ -f "$bzimage" ] || fail "the build produced no $bzimage"
[ -f "$kdir/Module.symvers" ] || fail "the build produced no Module.symvers"

echo "$bzimage $kdir" >"$dir/ok.tmp"
mv "$dir/ok.tmp" "$dir/ok"
say "debug kernel built in $(($(date +%s) - start)) s: $(du -h "$bzimage" | cut -f1) bzImage, $(make -s -C "$src" O="$kdir" ARCH=x86_64 kernelrelease 2>/dev/null)"
echo "$bzimage $kdir"
