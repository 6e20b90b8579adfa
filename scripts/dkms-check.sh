#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prove that DKMS can build the module from what `make dkms-install` ships:
# for each named stock kernel, `dkms add` and `dkms build` into a throwaway
# DKMS tree, then check that the built module claims that kernel's release.
# Nothing is left in /usr/src, /var/lib/dkms or /lib/modules: the source
# tree, the DKMS tree and the signing key DKMS makes all live in a temporary
# directory removed on exit, so reruns start from scratch.
#
# Usage: scripts/dkms-check.sh NAME...   (NAME: 6.1, 6.12; see kernels.sh)
#
# Output: TAP, one case per kernel ("ok N dkms-build-6.1"), with the build
# log of a failing one as "# " lines.  Exit status 1 if any case failed.
set -u -o pipefail

me=dkms-check.sh
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

[ $# -gt 0 ] || { echo "usage: scripts/$me NAME..." >&2; exit 2; }
command -v dkms >/dev/null || { echo "$me: dkms not found; install it (scripts/provision.sh)" >&2; exit 1; }

version=$(cat VERSION) || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pidfd_mod-dkms.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# DKMS makes a signing key where these point if none exists; keep it here.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
dkms_args=(--sourcetree "$tmp/src" --dkmstree "$tmp/dkms" --installtree "$tmp/lib-modules")
mkdir -p "$tmp/src" "$tmp/dkms" "$tmp/lib-modules"

echo "TAP version 13"
n=0 failed=0
result() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n $2"
	else
		failed=1
		echo "not ok $n $2"
		shift 2
		[ $# = 0 ] || echo "# $*"
		[ ! -s "$tmp/log" ] || tail -n 40 "$tmp/log" | sed 's/^/#   /'
	fi
}

# The sources, exactly as `make dkms-install` copies them.
added=0
if make --no-print-directory -s dkms-source DKMS_SOURCE_TREE="$tmp/src" DESTDIR= >"$tmp/log" 2>&1 &&
   dkms add "${dkms_args[@]}" -m pidfd_mod -v "$version" >>"$tmp/log" 2>&1; then
	added=1
fi
[ $added = 1 ] || result fail dkms-add "make dkms-source or dkms add failed"

for name in "$@"; do
	case $name in
	debug | debug-*) continue ;;	# not an installed kernel: nothing for DKMS
	esac
	: >"$tmp/log"
	if [ $added = 0 ]; then
		result fail "dkms-build-$name" "not built: dkms add failed"
		continue
	fi
	if ! out=$(scripts/kernels.sh resolve "$name" 2>"$tmp/log"); then
		result fail "dkms-build-$name" "kernel $name not found"
		continue
	fi
	read -r _ kdir <<<"$(tail -n 1 <<<"$out")"
	release=${kdir#/usr/src/linux-headers-}
	if [ ! -e "/lib/modules/$release/build" ]; then
		result fail "dkms-build-$name" "/lib/modules/$release/build is missing (linux-headers-$release)"
		continue
	fi
	if ! dkms build "${dkms_args[@]}" -m pidfd_mod -v "$version" -k "$release" >"$tmp/log" 2>&1; then
		cat "$tmp/dkms/pidfd_mod/$version/build/make.log" >>"$tmp/log" 2>/dev/null
		result fail "dkms-build-$name" "dkms build -k $release failed"
		continue
	fi
	ko=$(find "$tmp/dkms/pidfd_mod/$version/$release" -name 'pidfd_mod.ko*' -path '*/module/*' | head -n 1)
	if [ -z "$ko" ]; then
		result fail "dkms-build-$name" "dkms build -k $release left no pidfd_mod.ko"
		continue
	fi
	vermagic=$(modinfo -F vermagic "$ko" 2>>"$tmp/log")
	case "$vermagic " in
	"$release "*) result ok "dkms-build-$name" ;;
	*) result fail "dkms-build-$name" "$ko has vermagic '$vermagic', not $release" ;;
	esac
done

echo "1..$n"
exit $failed
