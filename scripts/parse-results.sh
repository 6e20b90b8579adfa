#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Judge one guest run from its two logs: the results port (framed sections
# written by scripts/guest-init.sh) and the console.
#
# Usage: scripts/parse-results.sh --token TOKEN [--kernel NAME] [--debug]
#            [--release RELEASE] [--tests 'NAME ...'] [--skips LIST]
#            [--kunit-suites 'SUITE=CASES ...'] [--qemu-rc RC]
#            [--timeout SECS] RESULTS.log CONSOLE.log
#
# Output: one "FAIL <name>: <reason>" line per failing result, each followed
# by "    | " context lines; "NOTE ..." lines for the list of expected skips
# (see below); a table of the test programs ("programs on ...": passed,
# failed and skipped cases, seconds, time limit, result of each); then a
# last line "counts PASSED FAILED SKIPPED".  Exit status 0 when FAILED is
# 0, else 1; 2 for bad usage.
#
# What counts:
#   TAP (tests/*): every "ok"/"not ok" line of a test section is a case;
#     "ok N name # SKIP" is skipped, neither passed nor failed.  The plan
#     (1..N) must come before the first case, and the cases must match it.
#     A program that exits non-zero without any "not ok" line (it
#     crashed), that prints no plan or a plan after its cases, whose result
#     count differs from its plan, that the guest killed at its time limit,
#     or whose section never ends is a failure of its own.  A plan of 1..0
#     skips the whole program, named by the program alone.
#   KUnit (--kunit-suites, from scripts/kunit-suites.sh): every case-level
#     result line of a suite, indented by exactly four spaces in the
#     debugfs results file, is one case.  A parameterised case counts once,
#     by its case-level line (its parameters, nested deeper, are not
#     counted; a failing parameter fails the case).  The suite line at
#     indent 0 is not a case, but a failing suite without a failing case is
#     a failure.  Every listed suite must report exactly its number of
#     cases, and no other pidfd_mod suite may report.  Every load of the
#     suites' module runs them all and prints KTAP on the console: each
#     run found there must be complete, its case count right and (beyond
#     the first, whose cases the debugfs results count) its cases must
#     pass; every suite must have run as often as the others.
#   Skips (--skips LIST, see scripts/expected-skips.sh): a skipped case or
#     program the list does not expect for --kernel is a failure instead
#     of a skip; on a debug kernel (--debug) faults and KUnit cases may
#     never skip.  A line of the list that skipped nothing is a NOTE.
#   Each of these is one failing result: a missing completion token (crash,
#   panic or timeout), a booted release other than RELEASE, a failed guest
#   step (debugfs, insmod, device node, rmmod, ...), test programs that did
#   not run, a kmemleak report, and each incident the console gate finds.
set -eu -o pipefail

me=parse-results.sh
top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: scripts/$me --token TOKEN [--kernel NAME] [--debug] [--release REL] [--tests 'NAME ...'] [--skips LIST] [--kunit-suites 'SUITE=CASES ...'] [--qemu-rc RC] [--timeout SECS] RESULTS.log CONSOLE.log" >&2
	exit 2
}

token='' kernel='' debug=0 release='' tests='' skips='' suites='' qemu_rc=0 timeout=''
while [ $# -gt 0 ]; do
	case $1 in
	--token|--kernel|--release|--tests|--skips|--kunit-suites|--qemu-rc|--timeout)
		[ $# -ge 2 ] || usage
		case $1 in
		--token) token=$2 ;;
		--kernel) kernel=$2 ;;
		--release) release=$2 ;;
		--tests) tests=$2 ;;
		--skips) skips=$2 ;;
		--kunit-suites) suites=$2 ;;
		--qemu-rc) qemu_rc=$2 ;;
		--timeout) timeout=$2 ;;
		esac
		shift 2
		;;
	--debug) debug=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) echo "$me: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
[ $# = 2 ] || usage
[ -n "$token" ] || { echo "$me: --token is required" >&2; usage; }
if [ -n "$skips" ] && [ -z "$kernel" ]; then
	echo "$me: --skips needs --kernel" >&2
	usage
fi
results=$1
console=$2
[ -e "$results" ] || : >"$results"
[ -e "$console" ] || : >"$console"

work=$(mktemp -d "${TMPDIR:-/tmp}/pidfd_mod-verdict.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Every case as "STATUS<TAB>NAME<TAB>REASON", for the list of skips.
outcomes=$work/outcomes
# One line per test program: "NAME PASSED FAILED SKIPPED SECS LIMIT RESULT".
programs=$work/programs
: >"$outcomes"
: >"$programs"

# --- What both awk programs below share -------------------------------------
# A failing result, the name of a TAP result line, whether it is a skip (or
# a TODO) and the reason its SKIP directive gives, and the suites wanted.
tap_awk='
function fail(name, reason) {
	nfail++
	printf "FAIL %s: %s\n", name, reason
}
function tap_name(line) {
	sub(/^ *(not )?ok [0-9]+ *(- )?/, "", line)
	sub(/ *#.*$/, "", line)
	return line
}
function is_skip(line) {
	return line ~ /# *([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])/
}
function skip_directive(line) {
	if (!sub(/^.*# *[Ss][Kk][Ii][Pp] */, "", line))
		line = ""
	return line
}
# want_cases[SUITE] = CASES from "SUITE=CASES ..."; returns how many.
function want_suites_parse(list,   n, i, ws, kv) {
	n = split(list, ws, " ")
	for (i = 1; i <= n; i++) {
		split(ws[i], kv, "=")
		want_cases[kv[1]] = kv[2] + 0
	}
	return n
}
'

# --- The results port ------------------------------------------------------
results_out=$(awk -v token="$token" -v want_release="$release" \
	-v want_tests="$tests" -v want_suites="$suites" \
	-v qemu_rc="$qemu_rc" -v timeout="$timeout" -v console="$console" \
	-v outcomes="$outcomes" -v programs="$programs" "$tap_awk"'
function ctx(line) {
	printf "    | %s\n", line
}
# The last lines of the current section, for context.
function keep(line) {
	buf[nbuf % 30] = line
	nbuf++
}
function dump(   i, from) {
	from = nbuf > 30 ? nbuf - 30 : 0
	for (i = from; i < nbuf; i++)
		ctx(buf[i % 30])
	nbuf = 0
}
function outcome(status, case_name, reason) {
	printf "%s\t%s\t%s\n", status, case_name, reason >outcomes
}
function open_section(kind, n) {
	sec = kind
	name = n
	nbuf = 0
	plan = ""
	nres = 0
	nnotok = 0
	suite = ""
	p_pass = p_fail = p_skip = 0
	p_bad = ""
	skip_why = ""
}
# One row of the programs table.
function program_row(secs, limit, result) {
	printf "%s %d %d %d %s %s %s\n", name, p_pass, p_fail, p_skip, secs,
		limit, result >programs
}
# A section whose end marker never came: the guest died inside it.
function unterminated() {
	if (sec == "test") {
		fail("test " name, "output ended inside the program (guest crashed or hung)")
		ran[name] = 1
		p_fail++
		program_row("-", "-", "unfinished")
	} else if (sec == "step") {
		fail("step " name, "never finished (guest crashed or hung)")
	} else if (sec == "kunit") {
		fail("kunit " name, "results ended early")
	} else if (sec == "kmemleak") {
		fail("kmemleak", "report ended early")
	}
	dump()
	sec = ""
}
# The reason a skipped result gives: its directive, else the last
# "# SKIP ..." line before it (the test harness prints it there).
function skip_reason(line,   r) {
	r = skip_directive(line)
	if (r == "")
		r = skip_why
	skip_why = ""
	return r
}
# One result line of a case in a test or KUnit section: passed, failed or
# skipped, as CASE_NAME in the outcomes and as FAIL_NAME in a failure.
function tap_case(line, case_name, fail_name) {
	nres++
	if (is_skip(line)) {
		nskip++
		p_skip++
		outcome("skip", case_name, skip_reason(line))
	} else if (line ~ /^ *not ok/) {
		nnotok++
		p_fail++
		fail(fail_name, "not ok")
		outcome("fail", case_name, "")
		dump()
	} else {
		npass++
		p_pass++
		outcome("pass", case_name, "")
	}
	# What came before an "ok" is no context for a later failure.
	if (line ~ /^ *ok/)
		nbuf = 0
}
BEGIN {
	sec = ""
	npass = nfail = nskip = 0
	done = 0
	nwant_suites = want_suites_parse(want_suites)
}
{ sub(/\r$/, "") }

# --- section ends -----------------------------------------------------------
sec == "step" && index($0, "### end step " name " rc=") == 1 {
	rc = substr($0, length("### end step " name " rc=") + 1)
	if (rc != "0") {
		fail("step " name, "failed (rc=" rc ")")
		dump()
	}
	sec = ""
	next
}
sec == "test" && index($0, "### end " name " rc=") == 1 {
	# rc=RC secs=N limit=L [killed [stuck]]
	n = split(substr($0, length("### end " name " ") + 1), kv, " ")
	rc = secs = limit = "-"
	killed = stuck = 0
	for (i = 1; i <= n; i++) {
		if (kv[i] ~ /^rc=/) rc = substr(kv[i], 4)
		else if (kv[i] ~ /^secs=/) secs = substr(kv[i], 6)
		else if (kv[i] ~ /^limit=/) limit = substr(kv[i], 7)
		else if (kv[i] == "killed") killed = 1
		else if (kv[i] == "stuck") stuck = 1
	}
	ran[name] = 1
	result = "ok"
	if (killed) {
		fail("test " name, "killed at its time limit of " limit " s, after " nres " of " (plan == "" ? "?" : plan) " cases (hung?)" (stuck ? "; it did not die within 10 s of SIGKILL (stuck in the kernel?)" : ""))
		dump()
		result = "killed"
	} else if (plan == "") {
		fail("test " name, "printed no TAP plan (rc=" rc ")")
		dump()
		result = "no-plan"
	} else if (nres != plan) {
		fail("test " name, "planned " plan " cases but reported " nres " (rc=" rc ")")
		dump()
		result = "short"
	} else if (rc != "0" && nnotok == 0) {
		fail("test " name, "exited with rc=" rc " but reported no failing case (crashed?)")
		dump()
		result = "crashed"
	} else if (plan == 0) {
		# 1..0: the whole program skipped, judged by the list of skips.
		nskip++
		p_skip++
		outcome("skip", name, skip_all)
		result = "skipped"
	} else if (nnotok > 0) {
		result = "failed"
	}
	if (result != "ok" && result != "failed" && result != "skipped")
		p_fail++
	if (p_bad != "" && (result == "ok" || result == "skipped"))
		result = p_bad
	program_row(secs, limit, result)
	sec = ""
	next
}
sec == "kunit" && $0 == "### end kunit " name {
	if (nwant_suites && !(name in want_cases)) {
		fail("kunit " name, "reported, but no such suite is registered in kunit/*.c")
	} else if (nwant_suites) {
		got_suite[name]++
		if (plan != want_cases[name] || nres != want_cases[name]) {
			fail("kunit " name, "planned " (plan == "" ? "no" : plan) " cases and reported " nres ", kunit/*.c has " want_cases[name])
			dump()
		}
	} else if (plan != "" && nres != plan) {
		fail("kunit " name, "planned " plan " cases but reported " nres)
		dump()
	}
	if (suite == "not ok" && nnotok == 0) {
		fail("kunit " name, "the suite failed without a failing case")
		dump()
	}
	if (suite == "")
		fail("kunit " name, "no suite result line")
	sec = ""
	next
}
sec == "kmemleak" && $0 == "### end kmemleak" {
	if (nleak > 0) {
		fail("kmemleak", nleak " unreferenced object(s) after the tests and rmmod")
		for (i = 1; i <= nleakl && i <= 40; i++)
			ctx(leak[i])
		if (nleakl > 40)
			ctx("... (" nleakl - 40 " more lines in the results log)")
	}
	sec = ""
	next
}
sec != "" && /^### / {
	unterminated()
}

# --- inside sections ----------------------------------------------------------
sec == "step" { keep($0); next }

sec == "test" && /^(not )?ok [0-9]/ {
	tap_case($0, name "/" tap_name($0), name "/" tap_name($0))
	next
}
sec == "test" && /^1\.\.[0-9]+/ {
	if (plan != "") {
		fail("test " name, "a second plan: " $0)
		dump()
		p_fail++
		p_bad = "bad-plan"
	} else if (nres > 0) {
		fail("test " name, "the plan (" $0 ") comes after " nres " cases: it must come first")
		dump()
		p_fail++
		p_bad = "late-plan"
	}
	plan = substr($0, 4) + 0
	skip_all = skip_directive($0)
	next
}
sec == "test" && /^Bail out!/ {
	fail("test " name, $0)
	dump()
	p_fail++
	p_bad = "bailed-out"
	next
}
sec == "test" && /^# *SKIP/ {
	skip_why = $0
	sub(/^# *SKIP */, "", skip_why)
}
sec == "test" { keep($0); next }

sec == "kunit" && /^    (not )?ok [0-9]/ {
	tap_case($0, "kunit/" name "/" tap_name($0), "kunit " name "/" tap_name($0))
	next
}
sec == "kunit" && /^    1\.\.[0-9]+/ {
	plan = substr($0, 8) + 0
	next
}
sec == "kunit" && /^not ok [0-9]/ { suite = "not ok"; next }
sec == "kunit" && /^ok [0-9]/ { suite = "ok"; next }
sec == "kunit" { keep($0); next }

sec == "kmemleak" {
	if ($0 ~ /^unreferenced object/)
		nleak++
	leak[++nleakl] = $0
	next
}

# --- top level ---------------------------------------------------------------
/^### info release=/ { booted = substr($0, 18); next }
/^### step / { open_section("step", substr($0, 10)); next }
/^### test / { open_section("test", substr($0, 10)); next }
/^### kunit-available$/ { kunit_available = 1; next }
/^### kunit / { open_section("kunit", substr($0, 11)); nsuites++; next }
/^### kmemleak$/ { open_section("kmemleak", ""); nleak = nleakl = 0; next }
$0 == "PIDFD_MOD_GUEST_DONE " token { done = 1; next }
{ keep($0) }

END {
	if (sec != "")
		unterminated()
	if (want_release != "" && booted != "" && booted != want_release)
		fail("guest", "booted kernel " booted ", expected " want_release)
	nwant = split(want_tests, wt, " ")
	missing = ""
	nmissing = 0
	for (i = 1; i <= nwant; i++) {
		if (!(wt[i] in ran)) {
			missing = missing " " wt[i]
			nmissing++
		}
	}
	if (nmissing > 0)
		fail("tests", nmissing " of " nwant " test programs did not run:" missing)
	# Every suite of kunit/*.c, once, from debugfs.
	for (s in want_cases) {
		if (!(s in got_suite))
			fail("kunit " s, "no results in /sys/kernel/debug/kunit" (kunit_available ? "" : ", which the guest did not find") " (kunit/*.c has the suite, with " want_cases[s] " cases)")
		else if (got_suite[s] > 1)
			fail("kunit " s, "results read " got_suite[s] " times")
	}
	if (!done) {
		if (qemu_rc == 124)
			fail("guest", "timed out after " timeout " s without finishing (hang?)")
		else if (qemu_rc == 125)
			fail("guest", "the kernel did not start /init within the boot limit (hung at boot?)")
		else
			fail("guest", "ended without the completion token (crash or panic; qemu rc=" qemu_rc ")")
		# What the console said last.
		n = 0
		while ((getline l < console) > 0)
			tail[n++ % 20] = l
		for (i = n > 20 ? n - 20 : 0; i < n; i++)
			ctx(tail[i % 20])
	}
	printf "counts %d %d %d\n", npass, nfail, nskip
}
' "$results")

# --- KUnit runs on the console ----------------------------------------------
# Every load of pidfd_mod_kunit.ko (the guest's, and any other, by a hook or
# a test) runs every suite and prints its KTAP on the console, behind
# printk's timestamps:
#       # Subtest: SUITE          (indent 4: a suite run starts)
#       1..N
#       ok N CASE [# SKIP ...]    (indent 4: one case; deeper: parameters)
#   ok N SUITE                    (indent 0: the run's result)
# The first run is the guest's own, whose cases the debugfs results count;
# every run must be complete, and every later one must pass as well.
kunit_out="counts 0 0 0"
if [ -n "$suites" ]; then
	kunit_out=$(awk -v want_suites="$suites" -v outcomes="$outcomes" "$tap_awk"'
function run_name() {
	return "kunit " cur " (console run " runs[cur] ")"
}
function close_run(result,   r) {
	r = run_name()
	if (result == "")
		fail(r, "ended without its suite result line after " nres " cases (the load died, or the console lost lines)")
	else if (plan != want_cases[cur] || nres != want_cases[cur])
		fail(r, "planned " (plan == "" ? "no" : plan) " cases and reported " nres ", kunit/*.c has " want_cases[cur])
	else if (result == "not ok" && nnotok == 0)
		fail(r, "the suite failed without a failing case")
	cur = ""
}
BEGIN {
	want_suites_parse(want_suites)
	for (s in want_cases)
		runs[s] = 0
	cur = ""
}
{
	sub(/\r$/, "")
	# printk: "[    1.234567] " and maybe a caller id "[    T1] ".
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "")
	sub(/^\[ *[TC][0-9]+\] /, "")
}
/^    # Subtest: pidfd_mod/ {
	s = $0
	sub(/^    # Subtest: /, "", s)
	sub(/[ \t]+$/, "", s)
	if (cur != "")
		close_run("")
	if (!(s in want_cases)) {
		fail("kunit " s, "ran (console), but no such suite is registered in kunit/*.c")
		next
	}
	cur = s
	runs[cur]++
	plan = ""
	nres = nnotok = 0
	next
}
cur == "" { next }
/^    1\.\.[0-9]+/ { plan = substr($0, 8) + 0; next }
/^    (not )?ok [0-9]/ {
	nres++
	c = "kunit/" cur "/" tap_name($0)
	status = is_skip($0) ? "skip" : $0 ~ /^    not ok/ ? "fail" : "pass"
	if (status == "fail")
		nnotok++
	if (runs[cur] > 1) {
		if (status == "fail")
			fail(run_name() " " tap_name($0), "not ok")
		why = status == "skip" ? skip_directive($0) : ""
		printf "%s\t%s\t%s(console run %d)\n", status, c,
			why == "" ? "" : why " ", runs[cur] >>outcomes
	}
	next
}
/^(not )?ok [0-9]/ {
	if (tap_name($0) == cur)
		close_run($0 ~ /^not ok/ ? "not ok" : "ok")
	next
}
END {
	if (cur != "")
		close_run("")
	first = ""
	for (s in want_cases) {
		if (runs[s] == 0)
			fail("kunit " s, "never ran: no KTAP of it on the console")
		if (first == "")
			first = s
		else if (runs[s] != runs[first])
			uneven = 1
	}
	if (uneven) {
		msg = ""
		for (s in want_cases)
			msg = msg " " s "=" runs[s]
		fail("kunit", "the suites ran unevenly (each load runs them all):" msg)
	}
	printf "counts 0 %d 0\n", nfail
}
' "$console")
fi

# --- The console gate ------------------------------------------------------
# Reports the kernel prints for bugs, whoever caused them.  Case-sensitive
# on purpose: boot messages such as "kasan: KernelAddressSanitizer
# initialized" or "MAX_LOCKDEP_KEYS" must not match.
gate='Oops|BUG:|WARNING:|Call Trace|KASAN|UBSAN|kernel BUG|Kernel panic|'
gate+='general protection fault|possible recursive locking|circular locking|'
gate+='inconsistent lock state|lockdep|DEBUG_LOCKS_WARN_ON|'
gate+='suspicious RCU usage|detected stall|blocked for more than|'
gate+='sleeping function called from invalid context|'
gate+='list_add corruption|list_del corruption|refcount_t:|'
gate+='suspected memory leak|unreferenced object'
# Lines that contain a gate word but are no report.
benign='Command line:|Lock dependency validator|RCU lockdep checking is enabled'
# A failure forced through fault injection (failslab, fail_page_alloc, ...)
# prints a stack trace on purpose: its "Call Trace" is not a report.
injected='FAULT_INJECTION: forcing a failure'

console_out=$(awk -v gate="$gate" -v benign="$benign" -v injected="$injected" '
function ctx(line) {
	printf "    | %s\n", line
}
{
	sub(/\r$/, "")
	line[NR] = $0
	if ($0 ~ injected)
		quiet_trace = NR + 60
	if ($0 ~ gate && $0 !~ benign &&
	    !(NR <= quiet_trace && $0 ~ /Call Trace/))
		hit[++nhit] = NR
}
END {
	n = 0
	last = 0
	for (i = 1; i <= nhit; i++) {
		h = hit[i]
		# A report spans several lines: one incident per window.
		if (last && h <= last)
			continue
		n++
		l = line[h]
		sub(/^\[ *[0-9.]+\] /, "", l)
		printf "FAIL console: %s\n", l
		from = h > 3 ? h - 3 : 1
		last = h + 30
		if (n > 5) {
			continue
		}
		for (j = from; j <= last && j <= NR; j++)
			ctx(line[j])
	}
	if (n > 5)
		printf "    (context shown for the first 5 of %d console incidents)\n", n
	printf "counts 0 %d 0\n", n
}
' "$console")

# --- Skips against the list ---------------------------------------------------
skips_out="counts 0 0"
if [ -n "$skips" ]; then
	ran_progs=$tests
	[ -z "$suites" ] || ran_progs+=" kunit"
	es_args=(--kernel "$kernel" --ran "$ran_progs")
	[ $debug = 0 ] || es_args+=(--debug)
	# A case seen twice (a KUnit case in debugfs and on the console) is
	# one case.
	skips_out=$(sort -u -t "$(printf '\t')" -k1,2 "$outcomes" | "$top/scripts/expected-skips.sh" "${es_args[@]}" "$skips") || true
	case $(tail -n 1 <<<"$skips_out") in
	"counts "[0-9]*" "[0-9]*) ;;
	*) skips_out="FAIL expected-skips: scripts/expected-skips.sh failed:
$(sed 's/^/    | /' <<<"$skips_out")
counts 0 1" ;;
	esac
fi

printf '%s\n' "$results_out" | sed '$d'
printf '%s\n' "$kunit_out" | sed '$d'
printf '%s\n' "$console_out" | sed '$d'
printf '%s\n' "$skips_out" | sed '$d'
read -r _ p1 f1 s1 <<<"$(printf '%s\n' "$results_out" | tail -n 1)"
read -r _ p2 f2 s2 <<<"$(printf '%s\n' "$kunit_out" | tail -n 1)"
read -r _ p3 f3 s3 <<<"$(printf '%s\n' "$console_out" | tail -n 1)"
read -r _ unexpected invalid <<<"$(printf '%s\n' "$skips_out" | tail -n 1)"

# The table of programs.  An unexpected skip is a failure of its program.
# The KUnit row counts the debugfs results.
kunit_row=''
if [ -n "$suites" ]; then
	kunit_row=$(awk -F '\t' '$2 ~ /^kunit\// { n[$1]++ }
		END { printf "kunit %d %d %d - - -\n", n["pass"], n["fail"], n["skip"] }' \
		<(awk -F '\t' '$3 !~ /\(console run [0-9]+\)$/' "$outcomes"))
fi
echo "programs on ${release:-the guest} (cases passed, failed, skipped; seconds; time limit):"
# A skip found only in a later KUnit run on the console was not counted
# as a skip: it only adds a failure.
unexpected_lines=$(printf '%s\n' "$skips_out" | grep '^FAIL skip ' || true)
console_unexpected=$(grep -cE '\(console run [0-9]+\)$' <<<"$unexpected_lines" || true)
{ cat "$programs"; [ -z "$kunit_row" ] || echo "$kunit_row"; } |
awk -v unexpected="$(grep -vE '\(console run [0-9]+\)$' <<<"$unexpected_lines" | sed -n 's/^FAIL skip \([^/:]*\).*/\1/p' | tr '\n' ' ')" \
	-v console_unexpected="$(grep -E '\(console run [0-9]+\)$' <<<"$unexpected_lines" | sed -n 's/^FAIL skip \([^/:]*\).*/\1/p' | tr '\n' ' ')" '
BEGIN {
	n = split(unexpected, u, " ")
	for (i = 1; i <= n; i++)
		moved[u[i]]++
	n = split(console_unexpected, u, " ")
	for (i = 1; i <= n; i++)
		added[u[i]]++
	printf "    %-20s %7s %7s %7s %7s %7s  %s\n", "program", "passed", "failed", "skipped", "secs", "limit", "result"
}
{
	p = $2; f = $3; s = $4; r = $7
	if (($1 in moved) || ($1 in added)) {
		f += moved[$1] + added[$1]
		s -= moved[$1]
		if (r == "ok" || r == "skipped" || r == "-")
			r = "unexpected-skip"
	}
	printf "    %-20s %7d %7d %7d %7s %7s  %s\n", $1, p, f, s, $5, $6, r
}'

fail=$((f1 + f2 + f3 + unexpected + invalid))
skip=$((s1 + s2 + s3 - (unexpected - console_unexpected)))
echo "counts $((p1 + p2 + p3)) $fail $skip"
[ $fail = 0 ]
