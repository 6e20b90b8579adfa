#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the built modules themselves, on the host: the KUnit suites must be
# in pidfd_mod_kunit.ko and nothing of them in pidfd_mod.ko.
#
# Usage: scripts/ko-check.sh NAME=KO[,KUNIT_KO]...
#   NAME      the kernel (a name of scripts/kernels.sh list)
#   KO        pidfd_mod.ko built for it
#   KUNIT_KO  pidfd_mod_kunit.ko, when the kernel has KUnit
#
# Output: TAP, per kernel
#   no-test-code-NAME  pidfd_mod.ko has no symbol or section whose name
#                      contains "kunit" (such as .kunit_test_suites) and
#                      imports no namespace; without KUNIT_KO it exports
#                      nothing either (EXPORT_SYMBOL_IF_KUNIT() is empty on
#                      a kernel without KUnit)
#   kunit-module-NAME  (with KUNIT_KO) pidfd_mod_kunit.ko has the suites
#                      (.kunit_test_suites), depends on pidfd_mod and imports
#                      EXPORTED_FOR_KUNIT_TESTING
# with the reasons of a failing case as "# " lines.  Exit status 1 if any
# case failed, 2 for bad usage.
set -u -o pipefail

me='ko-check.sh'

usage() {
	echo "usage: scripts/$me NAME=KO[,KUNIT_KO]..." >&2
	exit 2
}

[ $# -gt 0 ] || usage
for t in nm readelf modinfo; do
	command -v "$t" >/dev/null || { echo "$me: $t not found" >&2; exit 2; }
done

echo "TAP version 13"
n=0 failed=0
why=()
result() {
	n=$((n + 1))
	if [ ${#why[@]} = 0 ]; then
		echo "ok $n $1"
	else
		failed=1
		echo "not ok $n $1"
		printf '%s\n' "${why[@]}" | sed 's/^/# /'
	fi
	why=()
}

# sections KO: the section names of a module, one a line.
sections() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p'
}

for arg in "$@"; do
	case $arg in
	?*=?*) ;;
	*) usage ;;
	esac
	name=${arg%%=*}
	mods=${arg#*=}
	ko=${mods%%,*}
	kunit_ko=
	[ "$mods" = "$ko" ] || kunit_ko=${mods#*,}

	if [ ! -f "$ko" ]; then
		why+=("$ko not found")
	elif ! syms=$(nm "$ko") || [ -z "$syms" ]; then
		why+=("nm $ko listed no symbols")
	else
		bad=$(grep -i kunit <<<"$syms" || true)
		[ -z "$bad" ] || why+=("pidfd_mod.ko has KUnit symbols:" "$bad")
		secs=$(sections "$ko")
		bad=$(grep -i kunit <<<"$secs" || true)
		[ -z "$bad" ] || why+=("pidfd_mod.ko has KUnit sections:" "$bad")
		bad=$(modinfo -F import_ns "$ko")
		[ -z "$bad" ] || why+=("pidfd_mod.ko imports namespaces: $bad")
		if [ -z "$kunit_ko" ] && grep -qx '__ksymtab.*' <<<"$secs"; then
			why+=("pidfd_mod.ko exports symbols although the kernel has no KUnit:"
			      "$(sed -n 's/.* __ksymtab_\(.*\)/\1/p' <<<"$syms" | xargs)")
		fi
	fi
	result "no-test-code-$name"

	[ -n "$kunit_ko" ] || continue
	if [ ! -f "$kunit_ko" ]; then
		why+=("$kunit_ko not found")
	else
		sections "$kunit_ko" | grep -qx '\.kunit_test_suites' ||
			why+=("pidfd_mod_kunit.ko has no .kunit_test_suites section")
		modinfo -F depends "$kunit_ko" | tr ',' '\n' | grep -qx pidfd_mod ||
			why+=("pidfd_mod_kunit.ko does not depend on pidfd_mod")
		modinfo -F import_ns "$kunit_ko" | grep -qx EXPORTED_FOR_KUNIT_TESTING ||
			why+=("pidfd_mod_kunit.ko does not import EXPORTED_FOR_KUNIT_TESTING")
	fi
	result "kunit-module-$name"
done

echo "1..$n"
exit $failed
