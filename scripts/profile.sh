#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make profile: where the time of a module call goes, against the native
# call of the same meaning, as ftrace's function_graph tracer sees one
# call of each.  docs/performance.md measures the ratios; this shows the
# call trees behind them.
#
# The guest is the one of make bench (scripts/guest-init.sh in
# pidfd_mod_mode=profile): for each case of `pidfd_bench --trace-list`,
# pidfd_bench --trace-one makes 1000 untraced calls, then exactly one
# with tracing on, pinned to CPU 0 and filtered to its own pid; the guest
# sends the trace file back over the results port.  Each call is captured
# PIDFD_PROFILE_REPS times in two views:
#
#   full   the function_graph from the system call entry down
#          (set_graph_function), with the duration of every function
#   entry  the entry functions alone (set_ftrace_filter), whose durations
#          carry no tracer cost for the functions below them
#
# The pairs (module, reference):
#
#   floor           FEATURES ioctl            getppid()
#   signal0         SEND_SIGNAL(0)            pidfd_send_signal(pidfd, 0)
#   signal0-thread  SEND_SIGNAL(0), thread    tgkill(pid, pid, 0)
#   open            the same, on a process of which no pidfd is open
#   open-shared     OPEN(nsfd -1) + close     pidfd_open() + close
#                   (on a process with one pidfd of each kind open; the
#                   trees include task_work_run, where close() leaves the
#                   final fput() on kernels that defer it, such as 6.1)
#
# The report gives, per pair, the medians over the captures: the time of
# the call (the sum of its entries), in both views; each entry's direct
# children side by side, module against reference; the functions found
# only on the module's side; and the module's own functions.  Under TCG
# every duration is inflated and noisy, and in the full view each traced
# function adds the tracer's own cost to its callers, so a path of many
# small functions looks dearer than it is: compare the full view's
# shares, and the entry view's totals.
#
# Exit status: 0 when every kernel gave every capture, 1 otherwise, 2 for
# bad settings.
#
# Environment:
#   PIDFD_MOD_KERNELS   kernels to profile (default "6.12"; "6.1" works too)
#   PIDFD_PROFILE_REPS  captures of each call in each view (default 5,
#                       1 to 50)
#   PIDFD_MOD_CACHE     cache for builds and logs, as for make check
#   PIDFD_MOD_TIMEOUT   QEMU time limit per kernel in seconds (default 900)
#   PIDFD_MOD_ACCEL, PIDFD_MOD_QEMU_MEM, PIDFD_MOD_QEMU_SMP: see
#                       scripts/qemu.sh
#
# Logs: $PIDFD_MOD_CACHE/logs/profile-KERNEL/: console.log, results.log,
# NAME-VIEW-REP.trace for each capture, and summary.txt, the report.
set -eu -o pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "no arguments expected (settings come from the environment; see the top of scripts/$me)"

parse_kernels 6.12

reps=${PIDFD_PROFILE_REPS:-5}
whole_number PIDFD_PROFILE_REPS "$reps" 1 50
timeout=${PIDFD_MOD_TIMEOUT:-900}
case $timeout in
'' | *[!0-9]* | 0) die "PIDFD_MOD_TIMEOUT must be a positive number of seconds, not '$timeout'" ;;
esac

# shellcheck disable=SC2119 # provision's only arguments here: the debug kernels
provision

use_cache

build_bench

# The pairs, in the order of the report: ID, title, module case, reference
# case (the names of pidfd_bench --trace-list).
pairs="floor|FEATURES ioctl vs getppid()|floor-mod|floor-ref
signal0|SEND_SIGNAL(0) vs pidfd_send_signal(pidfd, 0)|signal0-mod|signal0-ref
signal0-thread|SEND_SIGNAL(0), thread scope vs tgkill(pid, pid, 0)|signal0-thread-mod|signal0-thread-ref
open-shared|OPEN(nsfd -1) + close vs pidfd_open() + close, one pidfd of each kind open|open-shared-mod|open-shared-ref
open|OPEN(nsfd -1) + close vs pidfd_open() + close, no pidfd open|open-mod|open-ref"

# split_traces RESULTS LOGDIR: each capture of the results log into
# LOGDIR/NAME-VIEW-REP.trace; prints "NAME VIEW REP RC" per capture.
split_traces() {
	awk -v dir="$2" '
	/^### trace / {
		rc = $6
		sub(/^rc=/, "", rc)
		out = dir "/" $3 "-" $4 "-" $5 ".trace"
		printf "" >out
		print $3, $4, $5, rc
		next
	}
	/^### end trace$/ { if (out != "") close(out); out = ""; next }
	out != "" { print >>out }
	' "$1"
}

# parse_trace FILE ENTRIES: one line per function call in a function_graph
# trace (funcgraph-tail), "DEPTH<TAB>NAME<TAB>MICROSECONDS<TAB>PARENT", in
# order of return, of the trees whose root is one of ENTRIES (a space
# separated list); the roots have depth 0 and parent "-".  Other trees,
# such as the end of the write that switched tracing on, are left out.
parse_trace() {
	awk -v entries="$2" '
	BEGIN {
		n = split(entries, e, " ")
		for (i = 1; i <= n; i++)
			want[e[i]] = 1
	}
	function dur(s) {
		if (match(s, /[0-9]+(\.[0-9]+)? us/))
			return substr(s, RSTART, RLENGTH - 3) + 0
		return -1
	}
	function emit(depth, name, us) {
		tree = tree sprintf("%d\t%s\t%.3f\t%s\n", depth, name, us,
				    depth ? stack[depth] : "-")
		if (depth == 0) {
			if (name in want)
				printf "%s", tree
			tree = ""
		}
	}
	/^#/ || index($0, "|") == 0 { next }
	{
		bar = index($0, "|")
		left = substr($0, 1, bar - 1)
		f = substr($0, bar + 1)
		sub(/^ +/, "", f)
		sub(/ +$/, "", f)
		if (f ~ /^}/) {
			if (sp == 0)
				next
			name = stack[sp--]
			emit(sp, name, dur(left))
		} else if (f ~ /\) \{$/) {
			# "name [module]() {": the name alone
			name = f
			sub(/ ?(\[[^]]*\])?\(.*$/, "", name)
			stack[++sp] = name
		} else if (f ~ /\);$/) {
			name = f
			sub(/ ?(\[[^]]*\])?\(.*$/, "", name)
			emit(sp, name, dur(left))
		}
	}' "$1"
}

# report_pair LOGDIR ID TITLE MOD REF: the report of one pair from its
# captures in LOGDIR.
report_pair() {
	local logdir=$1 id=$2 title=$3 mod=$4 ref=$5 side name view f entries
	{
		for side in mod ref; do
			if [ $side = mod ]; then name=$mod; else name=$ref; fi
			for view in full entry; do
				entries=$(awk -v n="$name" '$1 == n { $1 = ""; print }' \
					"$logdir/cases.txt")
				for f in "$logdir/$name-$view"-*.trace; do
					[ -f "$f" ] || continue
					f=${f%.trace}
					parse_trace "$f.trace" "$entries" |
						sed "s/^/$side\t$view\t${f##*-}\t/"
				done
			done
		done
	} | awk -F '\t' -v id="$id" -v title="$title" -v mod="$mod" -v ref="$ref" '
	function median(list,   n, v, i, j, t) {
		n = split(list, v, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		if (n == 0)
			return -1
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	function fmt(x) { return x < 0 ? "-" : sprintf("%.2f", x) }
	# The difference of @a and @b, "-" when either is missing.
	function diff(a, b) { return a < 0 || b < 0 ? "-" : sprintf("%.2f", a - b) }
	# Add @v to key @k of side @s in capture @r (summed per capture).
	function add(s, k, r, v) {
		if (!((s, k, r) in val)) {
			keys[s, k] = keys[s, k] " " r
			val[s, k, r] = 0
		}
		val[s, k, r] += v
	}
	# The median over the captures of side @s of key @k, a capture
	# without the key counting as 0; -1 if no capture has it.
	function med(s, k,   n, i, list, r) {
		if (!((s, k) in keys))
			return -1
		list = ""
		for (r = 1; r <= nrep[s]; r++)
			list = list " " (((s, k, r) in val) ? val[s, k, r] : 0)
		return median(list)
	}
	function present(s, k,   n, a) {
		if (!((s, k) in keys))
			return 0
		return split(keys[s, k], a, " ")
	}
	{
		side = $1; view = $2; rep = $3 + 0; depth = $4; fn = $5; us = $6; parent = $7
		if (view == "entry") {
			if (depth == 0)
				add(side, "E-TOTAL", rep, us)
			if (rep > nrep_e[side])
				nrep_e[side] = rep
			next
		}
		if (rep > nrep[side])
			nrep[side] = rep
		if (depth == 0) {
			# The entries, in order of first appearance: slot 1, 2, ...
			if (!((side, fn) in slot)) {
				slot[side, fn] = ++nslot[side]
				slotname[side, nslot[side]] = fn
			}
			add(side, "TOTAL", rep, us)
			add(side, "S" slot[side, fn], rep, us)
			add(side, "SELF" slot[side, fn], rep, us)
		} else if (depth == 1) {
			# A child returns before its entry, which has no slot
			# yet: counted at the end.
			pend[side, rep, ++npend[side, rep]] = parent SUBSEP fn SUBSEP us
		}
		any[side, fn] = 1
		add(side, "F" fn, rep, us)
		add(side, "COUNT", rep, 1)
		if (fn ~ /^pidfd_mod_/)
			own[fn] = 1
	}
	END {
		# Depth-1 children, now that every entry has its slot.
		split("mod ref", sides, " ")
		for (si = 1; si <= 2; si++) {
			side = sides[si]
			for (rep = 1; rep <= nrep[side]; rep++)
				for (i = 1; i <= npend[side, rep]; i++) {
					split(pend[side, rep, i], p, SUBSEP)
					s = slot[side, p[1]]
					add(side, "C" s SUBSEP p[2], rep, p[3])
					add(side, "SELF" s, rep, -p[3])
					if (!((s, p[2]) in childseen)) {
						childseen[s, p[2]] = 1
						children[s] = children[s] " " p[2]
					}
				}
		}
		printf "\n== %s: %s\n", id, title
		printf "   module: %s, %d captures; reference: %s, %d captures; microseconds, medians\n\n",
			mod, nrep["mod"], ref, nrep["ref"]
		printf "   %-44s %10s %10s %10s\n", "", "module", "reference", "difference"
		tm = med("mod", "TOTAL"); tr = med("ref", "TOTAL")
		printf "   %-44s %10s %10s %10s\n", "call, full view (sum of the entries)",
			fmt(tm), fmt(tr), diff(tm, tr)
		cm = med("mod", "COUNT"); cr = med("ref", "COUNT")
		printf "   %-44s %10d %10d %10d\n", "functions traced in the call, full view",
			cm, cr, cm - cr
		em = med("mod", "E-TOTAL"); er = med("ref", "E-TOTAL")
		printf "   %-44s %10s %10s %10s\n", "call, entry view (entries alone traced)",
			fmt(em), fmt(er), diff(em, er)
		ns = nslot["mod"] > nslot["ref"] ? nslot["mod"] : nslot["ref"]
		for (s = 1; s <= ns; s++) {
			a = med("mod", "S" s); b = med("ref", "S" s)
			printf "\n   %-44s %10s %10s %10s\n",
				slotname["mod", s] (slotname["mod", s] != slotname["ref", s] ? " | " slotname["ref", s] : ""),
				fmt(a), fmt(b), diff(a, b)
			a = med("mod", "SELF" s); b = med("ref", "SELF" s)
			printf "     %-42s %10s %10s\n", "(self)", fmt(a), fmt(b)
			n = split(children[s], c, " ")
			for (i = 1; i <= n; i++) {
				k = "C" s SUBSEP c[i]
				a = med("mod", k); b = med("ref", k)
				mark = ""
				if (present("mod", k) && present("mod", k) < nrep["mod"] ||
				    present("ref", k) && present("ref", k) < nrep["ref"])
					mark = sprintf(" (in %d/%d, %d/%d)", present("mod", k),
						nrep["mod"], present("ref", k), nrep["ref"])
				printf "     %-42s %10s %10s%s\n", c[i], fmt(a), fmt(b), mark
			}
		}
		printf "\n   only on the module side (any depth; inclusive, nested ones included in their callers):\n"
		for (k in any) {
			split(k, p, SUBSEP)
			if (p[1] == "mod" && !(("ref", p[2]) in any))
				only[p[2]] = med("mod", "F" p[2])
		}
		n = 0
		for (f in only)
			ol[++n] = sprintf("%10.2f  %s", only[f], f)
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && ol[j - 1] < ol[j]; j--) {
				t = ol[j]; ol[j] = ol[j - 1]; ol[j - 1] = t
			}
		for (i = 1; i <= n && i <= 40; i++)
			printf "     %s\n", ol[i]
		if (n > 40)
			printf "     ... %d more\n", n - 40
		printf "\n   the module'\''s own functions (inclusive):\n"
		n = 0
		for (f in own)
			ol2[++n] = sprintf("%10.2f  %s", med("mod", "F" f), f)
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && ol2[j - 1] < ol2[j]; j--) {
				t = ol2[j]; ol2[j] = ol2[j - 1]; ol2[j - 1] = t
			}
		for (i = 1; i <= n; i++)
			printf "     %s\n", ol2[i]
		if (n == 0)
			printf "     (none traced)\n"
	}'
}

failed=0
for k in "${kernels[@]}"; do
	logdir=$cache/logs/profile-$k
	mkdir -p "$logdir"
	rm -f "$logdir"/{console,results}.log "$logdir"/*.trace "$logdir/summary.txt"
	kernel_build "$k" || { failed=1; continue; }
	initrd=$cache/build/$k/profile.cpio
	scripts/mkinitramfs.sh -o "$initrd" --ko "$ko" --test "$bench" ||
		die "could not build the initramfs for $k"

	token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	echo "== $k: booting $release for the profile ($reps captures per call and view, timeout $timeout s)"
	start=$SECONDS
	boot_guest "$k" "$bz" "$initrd" "$logdir" "$timeout" \
		"pidfd_mod_mode=profile pidfd_mod_token=$token PIDFD_PROFILE_REPS=$reps"

	problem=''
	captures=$(split_traces "$logdir/results.log" "$logdir")
	want=$(($(awk -F '|' 'END { print NR }' <<<"$pairs") * 2 * 2 * reps))
	if ! grep -q "^PIDFD_MOD_GUEST_DONE $token\$" "$logdir/results.log"; then
		problem="the guest did not finish (qemu rc=$rc)"
	elif setup=$(awk '/^### step trace-setup$/ { on = 1; next }
		on && /^### end step trace-setup / { print; exit }
		on { print }' "$logdir/results.log") &&
		! grep -q '^### end step trace-setup rc=0$' <<<"$setup"; then
		problem="the tracer could not be set up: $(head -n 1 <<<"$setup")"
	elif bad=$(awk '$4 != 0' <<<"$captures") && [ -n "$bad" ]; then
		problem="$(wc -l <<<"$bad") captures failed, the first: $(head -n 1 <<<"$bad")"
	elif [ "$(grep -c . <<<"$captures")" != "$want" ]; then
		problem="$(grep -c . <<<"$captures") captures, not $want"
	elif grep -nE 'Oops|BUG:|WARNING:|general protection|Call Trace:' \
		"$logdir/console.log" >/dev/null; then
		problem="the console has a kernel report"
	fi
	if [ -n "$problem" ]; then
		echo "FAIL $k: $problem"
		echo "   logs: $logdir/console.log $logdir/results.log"
		tail -n 20 "$logdir/console.log" | sed 's/^/    | /'
		failed=1
		continue
	fi

	# The cases with the entry names the guest's ftrace knows.
	sed -n '/^### step trace-setup$/,/^### end step trace-setup/p' \
		"$logdir/results.log" | grep -v '^###' | grep -v '^tracer ready' \
		>"$logdir/cases.txt"
	{
		echo "# make profile: $k, $release, $(date -u +%Y-%m-%d), $reps captures per call and view"
		while IFS='|' read -r id title mod ref; do
			report_pair "$logdir" "$id" "$title" "$mod" "$ref"
		done <<<"$pairs"
	} >"$logdir/summary.txt"
	cat "$logdir/summary.txt"
	echo
	echo "== $k: $(grep -c . <<<"$captures") captures in $logdir (NAME-VIEW-REP.trace), this report in $logdir/summary.txt; $((SECONDS - start)) s in QEMU"
done
exit $failed
