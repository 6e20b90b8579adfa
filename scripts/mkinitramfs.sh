#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs of the QEMU test guest: static busybox with its applet
# links in /bin, scripts/guest-init.sh as /init, the module as
# /lib/modules/pidfd_mod.ko (and the module of its KUnit suites, if given,
# as /lib/modules/pidfd_mod_kunit.ko), test programs and scripts in /tests,
# tools in /bin, the time limits of the test programs (a file of
# "NAME SECONDS" lines, see scripts/guest-init.sh) as /etc/test-limits,
# the LD_PRELOAD library as /lib/libpidfd_mod.so, and programs of the host
# at their own paths with the shared libraries they need: /sbin/apparmor_parser
# (tests/lsm.c loads its AppArmor profiles with it), and two unmodified
# Debian programs that use pidfds, procps's /usr/bin/pidwait and
# /usr/bin/python3, which tests/preload.c runs under the library.  A
# dynamically linked test program or tool gets its libraries too.
# The archive is an uncompressed cpio (newc), which every kernel with
# initramfs support unpacks, and which boots faster under TCG than a
# compressed one.  Root is not needed: the device nodes the kernel wants
# before /init runs come from a small archive written here by hand.
#
# Usage: scripts/mkinitramfs.sh -o OUT.cpio --ko pidfd_mod.ko
#            [--kunit-ko pidfd_mod_kunit.ko] [--test BIN]... [--tool BIN]...
#            [--hook SCRIPT] [--limits FILE] [--preload-lib libpidfd_mod.so]
set -eu

me=mkinitramfs.sh
top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: scripts/$me -o OUT.cpio --ko MODULE.ko [--kunit-ko MODULE.ko] [--test BIN]... [--tool BIN]... [--hook SCRIPT] [--limits FILE] [--preload-lib libpidfd_mod.so]" >&2
	exit 2
}

out='' ko='' kunit_ko='' hook='' limits='' preload_lib=''
tests=() tools=()
while [ $# -gt 0 ]; do
	case $1 in
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--ko) [ $# -ge 2 ] || usage; ko=$2; shift 2 ;;
	--kunit-ko) [ $# -ge 2 ] || usage; kunit_ko=$2; shift 2 ;;
	--test) [ $# -ge 2 ] || usage; tests+=("$2"); shift 2 ;;
	--tool) [ $# -ge 2 ] || usage; tools+=("$2"); shift 2 ;;
	--hook) [ $# -ge 2 ] || usage; hook=$2; shift 2 ;;
	--limits) [ $# -ge 2 ] || usage; limits=$2; shift 2 ;;
	--preload-lib) [ $# -ge 2 ] || usage; preload_lib=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "$me: unknown argument '$1'" >&2; usage ;;
	esac
done
{ [ -n "$out" ] && [ -n "$ko" ]; } || usage

die() {
	echo "$me: $*" >&2
	exit 1
}

busybox=/bin/busybox
[ -x "$busybox" ] || die "$busybox not found; install busybox-static (scripts/provision.sh)"
if readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	die "$busybox is dynamically linked; install busybox-static instead of busybox"
fi
[ -f "$ko" ] || die "module $ko not found"
[ -z "$kunit_ko" ] || [ -f "$kunit_ko" ] || die "module $kunit_ko not found"
[ -z "$hook" ] || [ -f "$hook" ] || die "hook script $hook not found"
[ -z "$limits" ] || [ -f "$limits" ] || die "time limits $limits not found"
[ -z "$preload_lib" ] || [ -f "$preload_lib" ] || die "library $preload_lib not found"
# Host programs, each with the package that ships it.
host_progs="/sbin/apparmor_parser:apparmor /usr/bin/pidwait:procps /usr/bin/python3:python3-minimal"
for hp in $host_progs; do
	[ -x "${hp%%:*}" ] || die "${hp%%:*} not found; install ${hp#*:} (scripts/provision.sh)"
done
for f in ${tests[@]+"${tests[@]}"} ${tools[@]+"${tools[@]}"}; do
	if [ ! -f "$f" ] || [ ! -x "$f" ]; then
		die "$f is not an executable file"
	fi
done

stage=$(mktemp -d "${TMPDIR:-/tmp}/pidfd_mod-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,dev,etc,lib/modules,proc,root,sys,tests,tmp}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$top/scripts/guest-init.sh" "$stage/init"
install -m 0644 "$ko" "$stage/lib/modules/pidfd_mod.ko"
[ -z "$kunit_ko" ] || install -m 0644 "$kunit_ko" "$stage/lib/modules/pidfd_mod_kunit.ko"
# The shared libraries and the loader ldd names for the dynamically linked
# program $1, copied at the same paths; nothing for a static one.
install_libs() {
	local prog=$1 libs lib

	readelf -l "$prog" 2>/dev/null | grep -q 'program interpreter' || return 0
	libs=$(ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }') ||
		die "ldd $prog failed"
	[ -n "$libs" ] || die "ldd found no libraries for $prog"
	for lib in $libs; do
		[ -f "$lib" ] || die "$prog needs $lib, which does not exist"
		[ -e "$stage$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
	done
}

for f in ${tests[@]+"${tests[@]}"}; do
	install -m 0755 "$f" "$stage/tests/"
	install_libs "$f"
done
for f in ${tools[@]+"${tools[@]}"}; do
	install -m 0755 "$f" "$stage/bin/"
	install_libs "$f"
done
[ -z "$hook" ] || install -m 0755 "$hook" "$stage/hook"
[ -z "$limits" ] || install -m 0644 "$limits" "$stage/etc/test-limits"
if [ -n "$preload_lib" ]; then
	install -m 0755 "$preload_lib" "$stage/lib/libpidfd_mod.so"
	install_libs "$preload_lib"
fi

# Host programs at their own paths (python3 is a link to python3.X).
for hp in $host_progs; do
	prog=${hp%%:*}
	install -D -m 0755 "$(readlink -f "$prog")" "$stage$prog"
	install_libs "$prog"
done
# python3 imports its codecs before running anything (its other modules,
# the builtin ones tests/preload.c uses aside, stay out of the guest).
pylib=/usr/lib/$(basename "$(readlink -f /usr/bin/python3)")
for f in __init__ aliases utf_8 ascii latin_1; do
	[ -f "$pylib/encodings/$f.py" ] || die "$pylib/encodings/$f.py not found; install python3-minimal (scripts/provision.sh)"
	install -D -m 0644 "$pylib/encodings/$f.py" "$stage$pylib/encodings/$f.py"
done

# One newc header for an entry without data (a directory or a device node).
# Fields: ino mode uid gid nlink mtime filesize devmajor devminor
# rdevmajor rdevminor namesize check, then the name, NUL-padded to 4 bytes.
cpio_entry() {
	local name=$1 mode=$2 rmaj=$3 rmin=$4 ino=$5
	local namesize=$(( ${#name} + 1 ))
	local pad=$(( (4 - (110 + namesize) % 4) % 4 ))

	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$mode" 0 0 1 0 0 0 0 "$rmaj" "$rmin" "$namesize" 0
	printf '%s\0' "$name"
	[ $pad = 0 ] || head -c "$pad" /dev/zero
}

tmp=$out.tmp
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) >"$tmp"
# The kernel opens /dev/console for /init before any devtmpfs exists.
# Archives may be concatenated; the later entries are added to the tree.
{
	cpio_entry dev $((0040755)) 0 0 1
	cpio_entry dev/console $((0020600)) 5 1 2
	cpio_entry TRAILER!!! 0 0 0 0
} >>"$tmp"
mv "$tmp" "$out"
