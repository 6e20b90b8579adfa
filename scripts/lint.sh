#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict and sparse on the module sources.
#
#   1. checkpatch.pl --strict --no-tree -f, from the debug kernel's pristine
#      source, on *.c, pidfd_mod.h, compat/*.h, kunit/*.[ch] and
#      uapi/linux/pidfd_mod.h.  The uapi header is checked under its in-tree
#      name include/uapi/linux/pidfd_mod.h, so checkpatch applies its uapi
#      rules (no BIT(), __u32 types, ...) exactly as it would in the kernel.
#      Ignored message types, each with its justification, are listed in
#      docs/lint-exceptions.md and nowhere else.
#   2. sparse (C=2) and compiler/modpost warnings: the module, and with it
#      the module of the KUnit suites (the debug kernel has KUnit), is built
#      against the debug kernel tree from a scratch copy of the sources
#      under the cache directory, so the repository is not touched.  Every
#      source file must have been checked.
#
# Output (stdout) is TAP: "1..2", "ok 1 checkpatch" or "not ok 1 checkpatch",
# "ok 2 sparse" or "not ok 2 sparse", findings as "# " lines, and a one-line
# summary last.  Exit status 0 only when there is no finding at all.
#
# Environment: PIDFD_MOD_CACHE (default /var/cache/pidfd_mod), passed on to
# scripts/debug-kernel.sh, which builds the debug kernel on first use.
set -eu

me=lint.sh
if [ $# -ne 0 ]; then
	echo "$me: takes no arguments (usage: scripts/lint.sh, or make lint)" >&2
	exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${PIDFD_MOD_CACHE:-/var/cache/pidfd_mod}
exceptions=$repo/docs/lint-exceptions.md
work=$cache/lint

case $cache in
/*) ;;
*) echo "$me: PIDFD_MOD_CACHE must be an absolute path, not '$cache'" >&2; exit 2 ;;
esac

diag() {
	sed 's/^/# /'
}

echo "1..2"

# --- Sources ---------------------------------------------------------------
cd "$repo"
files=
for f in *.c pidfd_mod.h compat/*.h kunit/*.c kunit/*.h uapi/linux/pidfd_mod.h; do
	[ -f "$f" ] && files="$files $f"
done
if [ ! -f pidfd_mod.c ] || [ ! -f Kbuild ]; then
	echo "not ok 1 checkpatch # pidfd_mod.c or Kbuild missing in $repo"
	echo "not ok 2 sparse # pidfd_mod.c or Kbuild missing in $repo"
	echo "lint: FAIL (no module sources)"
	exit 1
fi

# Serialise runs sharing a cache: they share $work.
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	echo "$me: cache directory $cache is not writable; run as root or set PIDFD_MOD_CACHE" >&2
	exit 2
fi
exec 8>"$cache/.lint.lock"
flock 8

# --- 1. checkpatch -----------------------------------------------------------
cp_ok=0
cp_summary=
if ! src=$("$repo/scripts/debug-kernel.sh" --source | tail -n1) || [ ! -x "$src/scripts/checkpatch.pl" ]; then
	echo "not ok 1 checkpatch # kernel source (checkpatch.pl) unavailable, see above"
	cp_ok=1
	cp_summary="checkpatch unavailable"
else
	checkpatch=$src/scripts/checkpatch.pl
	known_types=$("$checkpatch" --list-types 2>/dev/null | awk '{print $NF}')

	# Exceptions: "- `TYPE`: why" (all files) or "- `TYPE` in `glob`: why"
	# (files matching the glob, relative to the repository).
	ex_types=()
	ex_globs=()
	bad=
	if [ -f "$exceptions" ]; then
		while IFS= read -r line; do
			case $line in
			'- `'*) ;;
			*) continue ;;
			esac
			if [[ $line =~ ^-\ \`([A-Z0-9_]+)\`(\ in\ \`([^\`]+)\`)?:\ +[^[:space:]] ]]; then
				type=${BASH_REMATCH[1]}
				glob=${BASH_REMATCH[3]:-*}
				if ! printf '%s\n' "$known_types" | grep -qx "$type"; then
					bad="$bad
unknown checkpatch type in $exceptions: $type"
				fi
				ex_types+=("$type")
				ex_globs+=("$glob")
			else
				bad="$bad
malformed entry in $exceptions (want: - \`TYPE\` [in \`glob\`]: justification): $line"
			fi
		done <"$exceptions"
	fi

	stage=$work/checkpatch
	rm -rf "$stage"
	mkdir -p "$stage"
	findings=0
	nfiles=0
	used=" "
	out=
	for f in $files; do
		# Where the file would live in a kernel tree.
		case $f in
		uapi/*) as=include/$f ;;
		*) as=$f ;;
		esac
		mkdir -p "$stage/$(dirname "$as")"
		cp "$f" "$stage/$as"
		ignore=
		for i in "${!ex_types[@]}"; do
			# shellcheck disable=SC2053 # the glob is meant to match
			[[ $f == ${ex_globs[i]} ]] && ignore="$ignore,${ex_types[i]}"
		done
		run() {
			(cd "$stage" && "$checkpatch" --strict --no-tree --quiet --show-types \
				--no-summary "$@" -f "$as" 2>&1) | sed "s|$as|$f|g" || true
		}
		res=$(run ${ignore:+--ignore "${ignore#,}"})
		n=$(printf '%s\n' "$res" | grep -cE '^(ERROR|WARNING|CHECK):' || true)
		if [ "$n" != 0 ]; then
			findings=$((findings + n))
			nfiles=$((nfiles + 1))
			out="$out$res
"
		fi
		# Which exceptions this file actually needs.
		if [ -n "$ignore" ]; then
			for t in $(run | sed -nE 's/^(ERROR|WARNING|CHECK):([A-Z0-9_]+):.*/\2/p' | sort -u); do
				used="$used$t "
			done
		fi
	done
	for t in $(printf '%s\n' "${ex_types[@]}" | sort -u); do
		case $used in
		*" $t "*) ;;
		*) bad="$bad
exception $t in $exceptions matches nothing any more: remove it" ;;
		esac
	done

	[ -n "$out" ] && printf '%s' "$out" | diag
	[ -n "$bad" ] && printf '%s\n' "${bad#?}" | diag
	nbad=$(printf '%s' "$bad" | grep -c . || true)
	if [ "$findings" = 0 ] && [ "$nbad" = 0 ]; then
		echo "ok 1 checkpatch"
		cp_summary="checkpatch clean"
	else
		echo "not ok 1 checkpatch # $findings findings in $nfiles files${bad:+, $nbad exception-list problems}"
		cp_ok=1
		cp_summary="checkpatch $findings findings${bad:+ + $nbad exception-list problems}"
	fi
fi

# --- 2. sparse ---------------------------------------------------------------
sp_ok=0
if ! command -v sparse >/dev/null; then
	echo "not ok 2 sparse # sparse not installed; run scripts/provision.sh --debug-kernel"
	sp_ok=1
	sp_summary="sparse unavailable"
elif ! kernel=$("$repo/scripts/debug-kernel.sh" | tail -n1) || [ -z "$kernel" ]; then
	echo "not ok 2 sparse # debug kernel unavailable, see above"
	sp_ok=1
	sp_summary="sparse unavailable"
else
	kdir=${kernel#* }
	copy=$work/module
	rm -rf "$copy"
	mkdir -p "$copy"
	tar -C "$repo" -cf - --exclude=./.git --exclude=./build --exclude=./docs \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.order' --exclude='*.symvers' . |
		tar -C "$copy" -xf -
	log=$work/sparse.log
	rc=0
	make -C "$kdir" M="$copy" C=2 modules >"$log" 2>&1 || rc=$?
	sed -i "s|$copy/||g" "$log"
	warnings=$(grep -E ': (warning|error):|^(WARNING|ERROR): ' "$log" || true)
	nw=$(printf '%s' "$warnings" | grep -c . || true)
	nchecked=$(grep -c '^  CHECK ' "$log" || true)
	# Every C source, the KUnit suites' included, went through sparse.
	unchecked=
	for f in *.c kunit/*.c; do
		[ -f "$f" ] || continue
		grep -qE "^  CHECK +$f\$" "$log" || unchecked="$unchecked $f"
	done
	if [ "$rc" != 0 ]; then
		tail -n 30 "$log" | diag
		echo "not ok 2 sparse # module build failed (exit $rc), log in $log"
		sp_ok=1
		sp_summary="sparse: build failed"
	elif [ "$nchecked" = 0 ]; then
		tail -n 30 "$log" | diag
		echo "not ok 2 sparse # sparse did not run, log in $log"
		sp_ok=1
		sp_summary="sparse did not run"
	elif [ -n "$unchecked" ]; then
		grep '^  CHECK ' "$log" | diag
		echo "not ok 2 sparse # not checked:$unchecked, log in $log"
		sp_ok=1
		sp_summary="sparse missed$unchecked"
	elif [ "$nw" != 0 ]; then
		printf '%s\n' "$warnings" | diag
		echo "not ok 2 sparse # $nw warnings in $nchecked files"
		sp_ok=1
		sp_summary="sparse $nw warnings"
	else
		echo "ok 2 sparse"
		sp_summary="sparse clean ($nchecked files)"
	fi
fi

if [ "$cp_ok" = 0 ] && [ "$sp_ok" = 0 ]; then
	echo "lint: PASS ($cp_summary, $sp_summary)"
	exit 0
fi
echo "lint: FAIL ($cp_summary, $sp_summary)"
exit 1
