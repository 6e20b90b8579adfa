#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs of the QEMU test guest: static busybox with its applet
# links in /bin, scripts/guest-init.sh as /init, the module as
# /lib/modules/pidfd_mod.ko (and the module of its KUnit suites, if given,
# as /lib/modules/pidfd_mod_kunit.ko), test programs and scripts in /tests,
# tools in /bin, the time limits of the test programs (a file of
# "NAME SECONDS" lines, see scripts/guest-init.sh) as /etc/test-limits,
# and the host's /sbin/apparmor_parser with the shared
# libraries it needs (tests/lsm.c loads its AppArmor profiles with it).
# The archive is an uncompressed cpio (newc), which every kernel with
# initramfs support unpacks, and which boots faster under TCG than a
# compressed one.  Root is not needed: the device nodes the kernel wants
# before /init runs come from a small archive written here by hand.
#
# Usage: scripts/mkinitramfs.sh -o OUT.cpio --ko pidfd_mod.ko
#            [--kunit-ko pidfd_mod_kunit.ko] [--test BIN]... [--tool BIN]...
#            [--hook SCRIPT] [--limits FILE]
set -eu

me=mkinitramfs.sh
top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: scripts/$me -o OUT.cpio --ko MODULE.ko [--kunit-ko MODULE.ko] [--test BIN]... [--tool BIN]... [--hook SCRIPT] [--limits FILE]" >&2
	exit 2
}

out='' ko='' kunit_ko='' hook='' limits=''
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
aa_parser=/sbin/apparmor_parser
[ -x "$aa_parser" ] || die "$aa_parser not found; install apparmor (scripts/provision.sh)"
[ -z "$hook" ] || [ -f "$hook" ] || die "hook script $hook not found"
[ -z "$limits" ] || [ -f "$limits" ] || die "time limits $limits not found"
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
for f in ${tests[@]+"${tests[@]}"}; do
	install -m 0755 "$f" "$stage/tests/"
done
for f in ${tools[@]+"${tools[@]}"}; do
	install -m 0755 "$f" "$stage/bin/"
done
[ -z "$hook" ] || install -m 0755 "$hook" "$stage/hook"
[ -z "$limits" ] || install -m 0644 "$limits" "$stage/etc/test-limits"

# apparmor_parser is dynamically linked: copy the libraries and the loader
# ldd names, at the same paths.
install -D -m 0755 "$aa_parser" "$stage/sbin/apparmor_parser"
libs=$(ldd "$aa_parser" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }') ||
	die "ldd $aa_parser failed"
[ -n "$libs" ] || die "ldd found no libraries for $aa_parser"
for lib in $libs; do
	[ -f "$lib" ] || die "$aa_parser needs $lib, which does not exist"
	install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
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
