#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hold one kernel's skipped cases to the list of expected skips
# (tests/expected-skips).  Each line of the list is
#
#   KERNELS  NAME  REASON...
#
# KERNELS is a kernel name (scripts/kernels.sh list, or "host" for the
# host-side checks) or a comma-separated list of them; NAME is
# PROGRAM/CASE for a TAP case, PROGRAM alone for a program that skipped
# everything (plan 1..0), kunit/SUITE/CASE for a KUnit case.  Both may be
# globs: "*" matches any run of characters ("/" and spaces included), "?"
# one character.  REASON is free text and required.  "#" starts a comment
# line.
#
# Usage: scripts/expected-skips.sh --kernel NAME --ran 'PROGRAM ...'
#            [--debug] LIST <OUTCOMES
#
# OUTCOMES: one line per case, "STATUS<TAB>NAME[<TAB>REASON]", STATUS
# pass, fail or skip.  --ran names the programs this run ran (kunit for
# the KUnit suites): a line of the list whose PROGRAM did not run is not
# looked at.  --debug: NAME is a debug kernel, where faults and the KUnit
# suites must never skip; a line that would let them is an error, unless
# it names one case exactly (no glob) for that kernel alone (no other
# kernel on the line): a case the kernel itself cannot run.
#
# Output, one line each:
#   FAIL skip NAME: ...               a skip no line of the list expects
#   FAIL expected-skips:N: ...        a malformed or forbidden line
#   NOTE expected-skips:N: ...        a line that matched no skip in this
#                                     run: the cases it names now pass, or
#                                     no such case ran (gone or renamed)
# and last "counts UNEXPECTED INVALID".  Exit status 0 when both are 0.
set -eu -o pipefail

me=expected-skips.sh

usage() {
	echo "usage: scripts/$me --kernel NAME --ran 'PROGRAM ...' [--debug] LIST <OUTCOMES" >&2
	exit 2
}

kernel='' ran='' debug=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--ran) [ $# -ge 2 ] || usage; ran=$2; shift 2 ;;
	--debug) debug=1; shift ;;
	-h|--help) usage ;;
	-*) echo "$me: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
[ $# = 1 ] && [ -n "$kernel" ] || usage
list=$1
[ -f "$list" ] || { echo "$me: no list $list" >&2; exit 2; }

awk -v kernel="$kernel" -v ran="$ran" -v debug="$debug" -v list="$list" -v listname="${list##*/}" '
# A glob as an anchored regular expression: * and ? are wildcards,
# everything else stands for itself.
function glob_re(g,   re, i, c) {
	re = "^"
	for (i = 1; i <= length(g); i++) {
		c = substr(g, i, 1)
		if (c == "*")
			re = re ".*"
		else if (c == "?")
			re = re "."
		else if (c ~ /[A-Za-z0-9_ -]/)
			re = re c
		else if (c == "\\" || c == "^")
			re = re "\\" c
		else
			re = re "[" c "]"
	}
	return re "$"
}
function gmatch(g, s) {
	return s ~ glob_re(g)
}
function invalid(n, msg) {
	printf "FAIL expected-skips:%d: %s\n", n, msg
	ninvalid++
}
BEGIN {
	nran = split(ran, ranv, " ")
	n = 0
	while ((getline line < list) > 0) {
		n++
		sub(/\r$/, "", line)
		if (line ~ /^[ \t]*(#|$)/)
			continue
		nf = split(line, f, /[ \t]+/)
		if (f[1] == "") {
			invalid(n, "a line must start with the kernel names, not with white space")
			continue
		}
		if (nf < 3) {
			invalid(n, "want KERNELS NAME REASON, got \"" line "\"")
			continue
		}
		# Does it apply to this kernel?
		nk = split(f[1], ks, ",")
		applies = 0
		for (i = 1; i <= nk; i++)
			if (ks[i] != "" && gmatch(ks[i], kernel))
				applies = 1
		if (!applies)
			continue
		pat = f[2]
		prog = pat
		sub(/\/.*$/, "", prog)
		# Only lines for the programs that ran.
		inscope = 0
		for (i = 1; i <= nran; i++)
			if (gmatch(prog, ranv[i]))
				inscope = 1
		# On a debug kernel faults and KUnit cases always run, but
		# for one that this very kernel cannot run, named exactly
		# for it alone.
		if (debug && (gmatch(prog, "faults") || gmatch(prog, "kunit")) &&
		    (f[1] != kernel || pat ~ /[*?]/)) {
			invalid(n, "\"" f[1] " " pat "\" would let faults or KUnit cases skip on " kernel ", a debug kernel, where they must always run (but for a case named exactly, for that kernel alone)")
			continue
		}
		if (!inscope)
			continue
		ne++
		e_line[ne] = n
		e_kern[ne] = f[1]
		e_pat[ne] = pat
		e_re[ne] = glob_re(pat)
		e_skip[ne] = e_pass[ne] = e_other[ne] = 0
	}
	close(list)
	FS = "\t"
}
{
	status = $1
	name = $2
	reason = $3
	hit = 0
	for (i = 1; i <= ne; i++) {
		if (name !~ e_re[i])
			continue
		if (status == "skip") {
			e_skip[i]++
			hit = 1
		} else if (status == "pass") {
			e_pass[i]++
		} else {
			e_other[i]++
		}
	}
	if (status == "skip" && !hit) {
		nunexpected++
		printf "FAIL skip %s: not an expected skip on %s (%s)%s\n", name, kernel,
			listname, reason != "" ? ": " reason : ""
	}
}
END {
	for (i = 1; i <= ne; i++) {
		if (e_skip[i])
			continue
		if (e_pass[i])
			printf "NOTE expected-skips:%d: \"%s %s\" skipped nothing on %s; %d case(s) it names passed: drop the line if that is for good\n",
				e_line[i], e_kern[i], e_pat[i], kernel, e_pass[i]
		else if (e_other[i])
			printf "NOTE expected-skips:%d: \"%s %s\" skipped nothing on %s; the case(s) it names failed\n",
				e_line[i], e_kern[i], e_pat[i], kernel
		else
			printf "NOTE expected-skips:%d: \"%s %s\" names no case that ran on %s (gone or renamed?)\n",
				e_line[i], e_kern[i], e_pat[i], kernel
	}
	printf "counts %d %d\n", nunexpected, ninvalid
	exit (nunexpected + ninvalid) > 0
}
'
