#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Present the rows of tools/bench/pidfd_bench, as scripts/bench.sh saves
# them in docs/bench/KERNEL.tsv (a "# kernel NAME RELEASE DATE REPS ACCEL" line,
# then one line per row: ID UNIT TARGET REPS MEDIAN Q1 Q3 MIN MAX A B
# "LABEL-A | LABEL-B").
#
#   scripts/bench-report.sh --table FILE.tsv
#       a plain table on stdout
#   scripts/bench-report.sh --doc DOC.md --plot PLOT.svg [FILE.tsv...]
#       rewrite in DOC.md the section of each kernel, between the lines
#       "<!-- bench KERNEL begin -->" and "<!-- bench KERNEL end -->"
#       (added before "<!-- bench sections end -->", or at the end, if
#       missing), and draw the scaling rows of all of them into PLOT.svg
#       with gnuplot; the files default to docs/bench/*.tsv
#
# Each row is judged against its target on its median ratio: "met" or
# "NOT met"; rows without a target are references.
set -eu -o pipefail

me=bench-report.sh
top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: scripts/$me --table FILE.tsv | --doc DOC.md --plot PLOT.svg [FILE.tsv...]" >&2
	exit 2
}

die() {
	echo "$me: $*" >&2
	exit 1
}

# verdict(TARGET, MEDIAN): "met", "NOT met", or "" for no target.
verdict_awk='
	function verdict(target, med,   op, x) {
		if (target == "-")
			return ""
		op = target; sub(/[0-9.]+$/, "", op)
		x = substr(target, length(op) + 1) + 0
		if ((op == "<=" && med <= x) || (op == "<" && med < x) ||
		    (op == ">=" && med >= x) || (op == ">" && med > x))
			return "met"
		return "NOT met"
	}'

# The rows of a TSV file as a table: markdown (md=1) or plain text.
# Verdicts: a target such as "<=1.10" against the median ratio.
format_rows() {
	local file=$1 md=$2

	awk -F '\t' -v md="$md" '
	function human(v, unit) {
		if (unit == "B")
			return sprintf("%.0f B", v)
		if (v >= 1e6)
			return sprintf("%.2f ms", v / 1e6)
		if (v >= 1e4)
			return sprintf("%.1f us", v / 1e3)
		return sprintf("%.0f ns", v)
	}
'"$verdict_awk"'
	/^# kernel\t/ { next }
	/^#/ || NF < 12 { next }
	{
		split($12, l, / \| /)
		tgt = ($3 == "-" ? "" : $3)
		v = verdict($3, $5)
		if (md)
			printf "| %s | %s | %s | **%.2f** | %.2f-%.2f | %.2f-%.2f | %s | %s | %s %s |\n",
				$1, l[1], l[2], $5, $6, $7, $8, $9,
				human($10, $2), human($11, $2), tgt, v
		else
			printf "%-22s %7.2f  %5.2f-%-5.2f %5.2f-%-6.2f %10s %10s  %-7s %-8s %s | %s\n",
				$1, $5, $6, $7, $8, $9, human($10, $2),
				human($11, $2), tgt, v, l[1], l[2]
	}' "$file"
}

header_of() {
	sed -n '1s/^# kernel\t//p' "$1"
}

table() {
	local file=$1 name release date reps

	[ -f "$file" ] || die "$file not found"
	IFS=$'\t' read -r name release date reps <<<"$(header_of "$file")"
	[ -n "${name:-}" ] || die "$file has no '# kernel' line"
	echo "$name ($release, $date, $reps repetitions): A/B median, IQR, min-max, A, B per call, target"
	printf '%-22s %7s  %-11s %-12s %10s %10s  %-16s %s\n' row A/B IQR min-max A B target "A | B"
	format_rows "$file" 0
}

# The markdown section of one kernel.
section() {
	local file=$1 name release date reps accel note=''

	IFS=$'\t' read -r name release date reps accel <<<"$(header_of "$file")"
	case $name in
	debug | debug-*) note=' -- a DEBUG kernel (KASAN, lockdep, ...): not a measure of the stock kernels' ;;
	esac
	echo "<!-- bench $name begin -->"
	echo "### $name: $release$note"
	echo
	if [ -n "${accel:-}" ]; then
		echo "Measured $date by \`make bench\`, $reps interleaved repetitions per row;"
		echo "QEMU -accel $accel."
	else
		echo "Measured $date by \`make bench\`, $reps interleaved repetitions per row."
	fi
	echo "A/B is the median ratio of the repetitions, with its interquartile"
	echo "range and min-max; A and B are median times per call (bytes per fd for"
	echo "memory), for reference only."
	echo
	echo "| row | A (module) | B (reference) | A/B | IQR | min-max | A | B | target |"
	echo "|---|---|---|---|---|---|---|---|---|"
	format_rows "$file" 1
	echo "<!-- bench $name end -->"
}

# The rows with a target, one column per kernel: the markdown section
# "targets".  A row that times a module call against a native call or
# idiom, with an upper target, also gets its parity ratio:
# (B + floor A - floor B) / B, the ratio it would have if the module's
# work cost what the native side's does and only the way in differed
# (the floor row's A and B medians of the same run).  A parity above the
# target means no module reached through an ioctl can meet it.  A
# two-thread row gets the speedup of its reference beside it: what the
# kernel and the emulator allow the same calls without the module.
targets() {
	local f names=()

	for f in "$@"; do
		names+=("$(header_of "$f" | cut -f 1)")
	done
	echo "<!-- bench targets begin -->"
	printf '| row | target |'
	printf ' %s |' "${names[@]}"
	echo
	printf '|---|---|'
	printf -- '---|%.0s' "${names[@]}"
	echo
	awk -F '\t' "$verdict_awk"'
	FNR == 1 { nf++ }
	/^#/ || NF < 12 { next }
	$1 == "floor" { fa[nf] = $10; fb[nf] = $11 }
	{ all[nf, $1] = $5 }
	$3 == "-" { next }
	{
		if (!($1 in seen)) {
			seen[$1] = 1
			id[++n] = $1
			tgt[$1] = $3
		}
		med[nf, $1] = $5
		b[nf, $1] = $11
		unit[nf, $1] = $2
	}
	END {
		for (i = 1; i <= n; i++) {
			line = "| " id[i] " | " tgt[id[i]] " |"
			for (k = 1; k <= nf; k++) {
				if (!((k, id[i]) in med)) {
					line = line " - |"
					continue
				}
				cell = sprintf("%.2f %s", med[k, id[i]],
					       verdict(tgt[id[i]], med[k, id[i]]))
				if (unit[k, id[i]] == "ns" && tgt[id[i]] ~ /^</ &&
				    id[i] !~ /^(flat-|poll-)/ && (k in fa) &&
				    b[k, id[i]] > 0)
					cell = cell sprintf(" (parity %.2f)",
						(b[k, id[i]] + fa[k] - fb[k]) / b[k, id[i]])
				op = id[i]
				if (sub(/^threads-/, "", op) && sub(/-mod$/, "", op)) {
					if ((k, "threads-" op "-native") in all)
						ref = all[k, "threads-" op "-native"]
					else if ((k, "threads-" op "-racy") in all)
						ref = all[k, "threads-" op "-racy"]
					else
						ref = ""
					if (ref != "")
						cell = cell sprintf(" (native %.2f)", ref)
				}
				line = line " " cell " |"
			}
			print line
		}
	}' "$@"
	echo "<!-- bench targets end -->"
}

# replace DOC NAME FILE: put FILE in place of DOC's lines from
# "<!-- bench NAME begin -->" to "<!-- bench NAME end -->", or before
# "<!-- bench sections end -->", or at the end.
replace() {
	local doc=$1 name=$2 sec=$3 tmp

	tmp=$(mktemp)
	if grep -qxF "<!-- bench $name begin -->" "$doc"; then
		awk -v b="<!-- bench $name begin -->" -v e="<!-- bench $name end -->" \
			-v sec="$sec" '
			$0 == b { while ((getline l < sec) > 0) print l; skip = 1; next }
			$0 == e { skip = 0; next }
			!skip' "$doc" >"$tmp"
	elif grep -qxF '<!-- bench sections end -->' "$doc"; then
		awk -v sec="$sec" '
			$0 == "<!-- bench sections end -->" {
				while ((getline l < sec) > 0) print l
				print ""
			}
			{ print }' "$doc" >"$tmp"
	else
		{ cat "$doc"; echo; cat "$sec"; } >"$tmp"
	fi
	cat "$tmp" >"$doc"
	rm -f "$tmp"
}

doc() {
	local doc=$1 plot=$2 f name tmp sec
	shift 2
	local files=("$@")

	[ ${#files[@]} -gt 0 ] || die "no measurements to report (docs/bench/*.tsv)"
	[ -f "$doc" ] || printf '# Performance\n\n<!-- bench sections end -->\n' >"$doc"
	for f in "${files[@]}"; do
		[ -f "$f" ] || die "$f not found"
		IFS=$'\t' read -r name _ <<<"$(header_of "$f")"
		[ -n "${name:-}" ] || die "$f has no '# kernel' line"
		sec=$(mktemp)
		section "$f" >"$sec"
		replace "$doc" "$name" "$sec"
		rm -f "$sec"
	done
	sec=$(mktemp)
	targets "${files[@]}" >"$sec"
	replace "$doc" targets "$sec"
	rm -f "$sec"
	plot "$plot" "${files[@]}"
	echo "$me: wrote $doc and $plot"
}

# The scaling rows of each kernel, one panel each: the time per call with N
# pidfds of each kind open over the time with one (a same-run ratio), for
# N = 1 ... 100,000.
plot() {
	local out=$1 f name release n=0 dir script
	shift

	command -v gnuplot >/dev/null ||
		die "gnuplot not found; install gnuplot-nox (scripts/provision.sh --bench)"
	dir=$(mktemp -d)
	script=$dir/plot.gp
	{
		echo "set terminal svg size $((480 * $#)),420 dynamic font 'sans,11'"
		echo "set output '$out'"
		echo "set multiplot layout 1,$#"
		echo "set logscale x"
		echo "set xrange [0.5:200000]"
		echo "set xtics ('1' 1, '1k' 1000, '10k' 10000, '100k' 100000)"
		echo "set yrange [0:*]"
		echo "set arrow from 0.5,1.1 to 200000,1.1 nohead dt 3 lc rgb '#777777'"
		echo "set key bottom left opaque font ',9'"
		echo "set grid"
		echo "set xlabel 'pidfds of each kind already open'"
		echo "set ylabel 'time per call / time with 1 open (median)'"
	} >"$script"
	for f in "$@"; do
		IFS=$'\t' read -r name release _ <<<"$(header_of "$f")"
		n=$((n + 1))
		# level, then the cost at that level over the cost with one
		# pidfd open, module and reference, of open, signal0, procfd
		awk -F '\t' '$1 ~ /^flat-/ {
				split($1, p, "-"); lv[p[4]] = 1; r[p[2], p[3], p[4]] = $5
			}
			END {
				for (l in lv)
					printf "%s %s %s %s %s %s %s\n", l,
						r["open", "mod", l], r["open", "ref", l],
						r["signal0", "mod", l], r["signal0", "ref", l],
						r["procfd", "mod", l], r["procfd", "ref", l]
			}' "$f" | sort -n >"$dir/$n.dat"
		[ -s "$dir/$n.dat" ] || die "$f has no scaling rows"
		cat >>"$script" <<EOF
set title '$name ($release)'
plot '$dir/$n.dat' using 1:2 with linespoints lw 2 lc rgb '#1f77b4' title 'OPEN+close', \\
     '' using 1:3 with linespoints dt 2 lc rgb '#1f77b4' title 'pidfd\\_open+close', \\
     '' using 1:4 with linespoints lw 2 lc rgb '#d62728' title 'SEND\\_SIGNAL(0)', \\
     '' using 1:5 with linespoints dt 2 lc rgb '#d62728' title 'pidfd\\_send\\_signal(0)', \\
     '' using 1:6 with linespoints lw 2 lc rgb '#2ca02c' title 'PROCFD+close', \\
     '' using 1:7 with linespoints dt 2 lc rgb '#2ca02c' title 'racy /proc idiom'
EOF
	done
	echo "unset multiplot" >>"$script"
	gnuplot "$script" || die "gnuplot failed (script kept in $dir)"
	rm -rf "$dir"
}

[ $# -ge 1 ] || usage
case $1 in
--table)
	[ $# = 2 ] || usage
	table "$2"
	;;
--doc)
	{ [ $# -ge 4 ] && [ "$3" = --plot ]; } || usage
	d=$2 p=$4
	shift 4
	if [ $# = 0 ]; then
		shopt -s nullglob
		set -- "$top"/docs/bench/*.tsv
	fi
	doc "$d" "$p" "$@"
	;;
-h | --help) usage ;;
*) echo "$me: unknown argument '$1'" >&2; usage ;;
esac
