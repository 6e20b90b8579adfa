#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites the module of the suites must report, read from their
# sources: one line "SUITE CASES" per suite registered with
# kunit_test_suites() (or kunit_test_suite()), CASES being the number of
# KUNIT_CASE*() entries of its case array.  A parameterised case counts
# once, as KUnit reports it at case level.  This is the one place the
# expected suites come from: scripts/parse-results.sh holds every run of
# the suites to it.
#
# Usage: scripts/kunit-suites.sh [FILE.c...]   (default kunit/*.c)
#
# Exit status 1, with the reason on stderr, when a registered suite, its
# name or its case array cannot be found, or a case array is empty.
set -eu -o pipefail

me=kunit-suites.sh
top=$(cd "$(dirname "$0")/.." && pwd)

if [ $# = 0 ]; then
	shopt -s nullglob
	set -- "$top"/kunit/*.c
	[ $# -gt 0 ] || exit 0
fi

awk -v me="$me" '
function err(msg) {
	printf "%s: %s\n", me, msg >"/dev/stderr"
	bad = 1
}
# Strip comments that start and end on one line.
{ gsub(/\/\*.*\*\//, ""); sub(/\/\/.*$/, "") }

# static struct kunit_case ARRAY[] = { KUNIT_CASE...(...), ..., {} };
/^[ \t]*(static[ \t]+)?struct[ \t]+kunit_case[ \t]+[A-Za-z0-9_]+[ \t]*\[\][ \t]*=/ {
	arr = $0
	sub(/^.*kunit_case[ \t]+/, "", arr)
	sub(/[ \t]*\[.*$/, "", arr)
	ncases[arr] = 0
	in_arr = 1
}
in_arr {
	line = $0
	while (match(line, /KUNIT_CASE[A-Z_]*[ \t]*\(/)) {
		ncases[arr]++
		line = substr(line, RSTART + RLENGTH)
	}
	if ($0 ~ /^[ \t]*};/)
		in_arr = 0
	next
}

# static struct kunit_suite VAR = { .name = "...", .test_cases = ARRAY, };
/^[ \t]*(static[ \t]+)?struct[ \t]+kunit_suite[ \t]+[A-Za-z0-9_]+[ \t]*=/ {
	var = $0
	sub(/^.*kunit_suite[ \t]+/, "", var)
	sub(/[ \t]*=.*$/, "", var)
	in_suite = 1
}
in_suite {
	if (match($0, /\.name[ \t]*=[ \t]*"[^"]*"/)) {
		s = substr($0, RSTART, RLENGTH)
		sub(/^[^"]*"/, "", s)
		sub(/"$/, "", s)
		sname[var] = s
	}
	if (match($0, /\.test_cases[ \t]*=[ \t]*[A-Za-z0-9_]+/)) {
		s = substr($0, RSTART, RLENGTH)
		sub(/^.*=[ \t]*/, "", s)
		scases[var] = s
	}
	if ($0 ~ /^[ \t]*};/)
		in_suite = 0
	next
}

# kunit_test_suites(&a, &b, ...); possibly over several lines.
/^[ \t]*kunit_test_suites?[ \t]*\(/ { in_reg = 1 }
in_reg {
	line = $0
	sub(/^[ \t]*kunit_test_suites?[ \t]*\(/, "", line)
	while (match(line, /[A-Za-z0-9_]+/)) {
		reg[++nreg] = substr(line, RSTART, RLENGTH)
		line = substr(line, RSTART + RLENGTH)
	}
	if ($0 ~ /\)[ \t]*;/)
		in_reg = 0
	next
}

END {
	for (i = 1; i <= nreg; i++) {
		v = reg[i]
		if (!(v in sname)) {
			err("suite " v " is registered but its definition (struct kunit_suite " v " with .name) was not found")
			continue
		}
		if (!(v in scases) || !(scases[v] in ncases)) {
			err("suite " sname[v] ": its case array was not found")
			continue
		}
		if (ncases[scases[v]] == 0) {
			err("suite " sname[v] ": no KUNIT_CASE entry in " scases[v])
			continue
		}
		if (sname[v] in seen) {
			err("suite " sname[v] " is registered twice")
			continue
		}
		seen[sname[v]] = 1
		printf "%s %d\n", sname[v], ncases[scases[v]]
	}
	exit bad
}
' "$@"
