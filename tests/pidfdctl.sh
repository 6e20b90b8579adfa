#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tools/pidfdctl in the guest (busybox sh, root, /dev/pidfd
# loaded): each case runs pidfdctl and checks its exit status, stdout and
# stderr, including every usage and errno path, and parses --json output
# back with json_flat (a small JSON parser in awk) to check its fields.
# Output: TAP 13.
set -u

T=$(mktemp -d /tmp/pidfdctl-test.XXXXXX) || exit 1
PIDFDCTL=${PIDFDCTL:-pidfdctl}
n=0
nfail=0
kids=''

# The plan comes first, so that a run which stops early is seen to be
# short: keep it equal to the number of tc_end below (a loop counts once
# per pass).
PLAN=91
echo "TAP version 13"
echo "1..$PLAN"

# --- Case helpers -----------------------------------------------------------
# tc NAME; then `run RC CMD...` and checks; then tc_end.

tc() {
	name=$1
	failed=0
	diag=''
}

fail() {
	failed=1
	diag="$diag
# $name: $*"
}

# run RC CMD...: run CMD, keep stdout in $T/out and stderr in $T/err,
# expect exit status RC.
run() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	last="$*"
	[ "$rc" = "$want" ] || fail "'$last' exited with $rc, expected $want"
}

# out REGEX / err REGEX: a line of stdout / stderr matches the ERE.
out() {
	grep -Eq -- "$1" "$T/out" || fail "stdout of '$last' has no line matching /$1/"
}

err() {
	grep -Eq -- "$1" "$T/err" || fail "stderr of '$last' has no line matching /$1/"
}

no_out() {
	[ ! -s "$T/out" ] || fail "'$last' wrote to stdout"
}

no_err() {
	[ ! -s "$T/err" ] || fail "'$last' wrote to stderr"
}

# Every error message names pidfdctl and the subcommand; usage errors end
# with a pointer to --help.
usage_err() {
	no_out
	err "$1"
	err "^Try 'pidfdctl( [a-z]+)? --help'\\.\$"
}

# json: stdout must be one valid JSON object; flatten it into $T/json as
# "path=value" lines (.a.b[0]=1, strings quoted).
json() {
	if ! json_flat <"$T/out" >"$T/json" 2>"$T/json.err"; then
		fail "stdout of '$last' is not one single-line JSON object: $(cat "$T/json.err")"
		return
	fi
	case $(head -c 1 "$T/out") in
	"{") ;;
	*) fail "stdout of '$last' is not a JSON object" ;;
	esac
}

# jv PATH VALUE: the flattened JSON has PATH=VALUE exactly.
jv() {
	grep -Fqx -- "$1=$2" "$T/json" ||
		fail "JSON of '$last' lacks $1=$2 (has: $(tr '\n' ' ' <"$T/json"))"
}

tc_end() {
	n=$((n + 1))
	if [ $failed = 0 ]; then
		echo "ok $n $name"
	else
		nfail=$((nfail + 1))
		echo "not ok $n $name"
		printf '%s\n' "$diag" | sed '/^$/d'
		sed 's/^/#   stdout: /' "$T/out"
		sed 's/^/#   stderr: /' "$T/err"
	fi
}

# A JSON parser: validates one line holding one JSON value and prints each
# scalar as path=value.  Exit status 1 on any syntax error.
json_flat() {
	awk '
	function die(m) { print "JSON error: " m " at offset " pos >"/dev/stderr"; bad = 1; exit 1 }
	function ch() { return substr(s, pos, 1) }
	function ws() { while (ch() == " " || ch() == "\t") pos++ }
	function val(path,   c) {
		ws()
		c = ch()
		if (c == "{") obj(path)
		else if (c == "[") arr(path)
		else if (c == "\"") print path "=\"" str() "\""
		else lit(path)
	}
	function obj(path,   k, c) {
		pos++
		ws()
		if (ch() == "}") { pos++; return }
		for (;;) {
			ws()
			if (ch() != "\"") die("expected a key")
			k = str()
			ws()
			if (ch() != ":") die("expected :")
			pos++
			val(path "." k)
			ws()
			c = ch()
			pos++
			if (c == "}") return
			if (c != ",") die("expected , or }")
		}
	}
	function arr(path,   i, c) {
		pos++
		ws()
		if (ch() == "]") { pos++; return }
		for (i = 0; ; i++) {
			val(path "[" i "]")
			ws()
			c = ch()
			pos++
			if (c == "]") return
			if (c != ",") die("expected , or ]")
		}
	}
	function str(   o, c) {
		pos++
		o = ""
		for (;;) {
			c = ch()
			if (c == "") die("unterminated string")
			pos++
			if (c == "\"") return o
			if (c == "\\") {
				c = ch()
				pos++
				if (c == "u") { pos += 4; c = "?" }
				else if (c == "n") c = "\\n"
				else if (c == "t") c = "\\t"
				else if (c != "\"" && c != "\\" && c != "/") die("bad escape")
			} else if (c < " ") {
				die("control character in string")
			}
			o = o c
		}
	}
	function lit(path,   t) {
		t = substr(s, pos)
		if (match(t, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/) ||
		    match(t, /^(true|false|null)/)) {
			print path "=" substr(t, 1, RLENGTH)
			pos += RLENGTH
		} else {
			die("bad value")
		}
	}
	{ nl++; s = $0 }
	END {
		if (bad) exit 1
		if (nl != 1) die(nl " lines instead of 1")
		pos = 1
		val("")
		ws()
		if (pos <= length(s)) die("trailing characters")
	}'
}

# --- Processes to point at --------------------------------------------------

# spawn: a sleep whose parent is a throwaway shell that reaps it the moment
# it dies; its pid in $p.
spawn() {
	rm -f "$T/pid"
	sh -c "sleep 1000 & echo \$! >$T/pid.tmp; mv $T/pid.tmp $T/pid; wait" \
		</dev/null >/dev/null 2>&1 &
	kids="$kids $!"
	i=0
	while [ ! -s "$T/pid" ] && [ $i -lt 100 ]; do
		usleep 50000
		i=$((i + 1))
	done
	p=$(cat "$T/pid")
	# The pid is known before the child has exec'd sleep.
	wait_asleep "$p"
}

# wait_asleep PID: until PID has exec'd sleep and sleeps in it (state S),
# up to 10 s: sleep runs for a moment after the exec before it sleeps.
wait_asleep() {
	i=0
	while [ $i -lt 200 ]; do
		ws_comm=''
		ws_state=''
		read -r ws_comm 2>/dev/null <"/proc/$1/comm"
		read -r _ _ ws_state _ 2>/dev/null <"/proc/$1/stat"
		[ "$ws_comm" = sleep ] && [ "$ws_state" = S ] && return 0
		usleep 50000
		i=$((i + 1))
	done
	return 1
}

# wait_gone PID: until /proc/PID is gone (exited and reaped), up to 10 s.
wait_gone() {
	i=0
	while [ -d "/proc/$1" ] && [ $i -lt 200 ]; do
		usleep 50000
		i=$((i + 1))
	done
	[ ! -d "/proc/$1" ]
}

# A pid that no process has: one that has just been reaped.
dead_pid() {
	keep=${p:-}
	spawn
	kill -KILL "$p"
	wait_gone "$p"
	dead=$p
	p=$keep
}

# kill_when_waited SIG N PID: in the background, once a pidfdctl child of
# ours holds N pidfds of the module (it waits on them), send SIG to PID.
kill_when_waited() {
	(
		i=0
		while [ "$(waiter_pidfds)" -lt "$2" ] && [ $i -lt 500 ]; do
			usleep 20000
			i=$((i + 1))
		done
		kill "-$1" "$3"
	) &
	kids="$kids $!"
}

# How many pidfds of the module our pidfdctl children hold.  Forks as
# little as it can: on a debug kernel a scan of every process is too slow.
waiter_pidfds() {
	c=0
	now=''
	read -r now 2>/dev/null <"/proc/$$/task/$$/children"
	for k in $now; do
		comm=''
		read -r comm 2>/dev/null <"/proc/$k/comm"
		[ "$comm" = pidfdctl ] || continue
		for f in "/proc/$k/fd/"*; do
			[ "$(readlink "$f" 2>/dev/null)" = 'anon_inode:[pidfd_mod]' ] &&
				c=$((c + 1))
		done
	done
	echo "$c"
}

cleanup() {
	for k in $kids; do
		kill -KILL "$k" 2>/dev/null
	done
	[ -n "${C:-}" ] && kill -KILL "$C" 2>/dev/null
	wait 2>/dev/null
	grep -q " $T/proc " /proc/mounts && umount "$T/proc"
	rm -rf "$T"
}
trap cleanup EXIT

# --- Help and usage ----------------------------------------------------------

tc help
run 0 "$PIDFDCTL" --help
for c in open kill proc wait info translate features; do out "^  $c( |\$)"; done
no_err
tc_end

for c in open kill proc wait info translate features; do
	tc "help_$c"
	run 0 "$PIDFDCTL" help "$c"
	out "^usage: pidfdctl $c "
	out '^  -j, --json$'
	out '^  -h, --help$'
	cp "$T/out" "$T/help1"
	run 0 "$PIDFDCTL" "$c" --help
	cmp -s "$T/out" "$T/help1" || fail "'pidfdctl $c --help' differs from 'pidfdctl help $c'"
	tc_end
done

tc help_options_listed
run 0 "$PIDFDCTL" help kill
for o in '--ns FILE' --thread '--fd N' '--signal SIG' '--scope SCOPE'; do out "^  (-., )?$o\$"; done
run 0 "$PIDFDCTL" help wait
for o in '--timeout SECONDS' --any --all; do out "^  (-., )?$o\$"; done
run 0 "$PIDFDCTL" help proc
out '^  -r, --proc-root DIR$'
run 0 "$PIDFDCTL" help translate
for o in '--from FILE' '--to FILE' --tgid; do out "^  (-., )?$o\$"; done
run 0 "$PIDFDCTL" help info
for o in '--ns FILE' --thread '--fd N'; do out "^  (-., )?$o\$"; done
tc_end

tc usage_no_command
run 2 "$PIDFDCTL"
usage_err '^pidfdctl: missing command$'
tc_end

tc usage_unknown_command
run 2 "$PIDFDCTL" frobnicate 1
usage_err "^pidfdctl: unknown command 'frobnicate'\$"
tc_end

tc usage_help_unknown_command
run 2 "$PIDFDCTL" help frobnicate
usage_err "unknown command 'frobnicate'"
tc_end

tc usage_unknown_global_option
run 2 "$PIDFDCTL" --frob
usage_err "^pidfdctl: unknown option '--frob'\$"
tc_end

tc usage_unknown_option
run 2 "$PIDFDCTL" kill 1 --bogus
usage_err "^pidfdctl: kill: unknown option '--bogus'\$"
run 2 "$PIDFDCTL" open 1 --signal 9
usage_err "^pidfdctl: open: unknown option '--signal'\$"
run 2 "$PIDFDCTL" wait 1 -x
usage_err "^pidfdctl: wait: unknown option '-x'\$"
tc_end

tc usage_missing_pid
for c in open kill proc wait info; do
	run 2 "$PIDFDCTL" "$c"
	usage_err "^pidfdctl: $c: missing PID\$"
done
run 2 "$PIDFDCTL" translate
usage_err "^pidfdctl: translate: missing NUM\$"
run 2 "$PIDFDCTL" translate 0
usage_err "^pidfdctl: translate: '0' is not a NUM \\(a positive decimal number\\)\$"
tc_end

tc usage_bad_pid
for bad in 0 -5 12x '' ' 1' 1.5 2147483648 99999999999999999999; do
	run 2 "$PIDFDCTL" open "$bad"
	case $bad in
	-5) usage_err "unknown option '-5'" ;;
	*) usage_err "^pidfdctl: open: '$bad' is not a PID \\(a positive decimal number\\)\$" ;;
	esac
done
tc_end

tc usage_extra_argument
run 2 "$PIDFDCTL" open 1 2
usage_err "^pidfdctl: open: unexpected argument '2'\$"
run 2 "$PIDFDCTL" features now
usage_err "^pidfdctl: features: unexpected argument 'now'\$"
tc_end

tc usage_missing_option_argument
run 2 "$PIDFDCTL" open 1 --ns
usage_err "^pidfdctl: open: option '--ns' needs an argument \\(FILE\\)\$"
run 2 "$PIDFDCTL" kill 1 -s
usage_err "option '-s' needs an argument \\(SIG\\)"
tc_end

tc usage_option_twice
run 2 "$PIDFDCTL" kill 1 --signal 1 --signal 2
usage_err "^pidfdctl: kill: --signal given twice\$"
tc_end

tc usage_flag_with_value
run 2 "$PIDFDCTL" open 1 --json=yes
usage_err "option '--json' takes no argument"
tc_end

tc usage_bad_signal
for s in FOO SIGFOO 65 -1 9x RTMIN+99; do
	run 2 "$PIDFDCTL" kill 1 --signal "$s"
	usage_err "^pidfdctl: kill: --signal: unknown signal '$(printf '%s' "$s" | sed 's/+/\\+/')'"
done
tc_end

tc usage_bad_scope
run 2 "$PIDFDCTL" kill 1 --scope session
usage_err "^pidfdctl: kill: --scope: 'session' is not thread, group or pgrp\$"
tc_end

tc usage_bad_timeout
for s in x -1 1.2.3 . 1. .5 86401 1e3; do
	run 2 "$PIDFDCTL" wait 1 --timeout "$s"
	usage_err "^pidfdctl: wait: --timeout: '$s' is not a number of seconds"
done
tc_end

tc usage_any_and_all
run 2 "$PIDFDCTL" wait 1 --any --all
usage_err "^pidfdctl: wait: --any and --all exclude each other\$"
tc_end

tc usage_bad_fd
run 2 "$PIDFDCTL" kill --fd x
usage_err "^pidfdctl: kill: --fd: 'x' is not a file descriptor number\$"
run 2 "$PIDFDCTL" kill 1 --fd 3
usage_err "give either PIDs or --fd, not both"
run 2 "$PIDFDCTL" kill --fd 3 --ns /proc/1/ns/pid
usage_err "--ns and --thread apply to a PID, not to --fd"
run 2 "$PIDFDCTL" kill --fd 3 --fd 4
usage_err "--fd given more than once"
run 2 "$PIDFDCTL" info --fd 3 --thread
usage_err "^pidfdctl: info: --thread applies to a PID, not to --fd\$"
run 2 "$PIDFDCTL" translate 1 --fd 3
usage_err "^pidfdctl: translate: unknown option '--fd'\$"
run 2 "$PIDFDCTL" translate 1 --from
usage_err "option '--from' needs an argument \\(FILE\\)"
run 2 "$PIDFDCTL" translate 1 --to ''
usage_err "^pidfdctl: translate: --to: empty file name\$"
tc_end

tc usage_dashdash
run 2 "$PIDFDCTL" kill 1 -- true
usage_err "'--' is not expected: kill runs no command"
run 2 "$PIDFDCTL" open 1 --
usage_err "missing command after '--'"
tc_end

# --- features ------------------------------------------------------------------

tc features_text
run 0 "$PIDFDCTL" features
out '^device: /dev/pidfd$'
out '^abi_version: 1$'
out '^commands: 0xff FEATURES OPEN PROCFD SEND_SIGNAL INFO TRANSLATE OPEN_ID IMPORT$'
out '^accepts: 0xf MODULE NATIVE PROC_DIR SELF$'
out '^open_flags: 0x[0-9a-f]+ NONBLOCK THREAD$'
out '^send_signal_flags: 0x7 SIGNAL_THREAD SIGNAL_THREAD_GROUP SIGNAL_PROCESS_GROUP$'
out '^settings: 0x0$'
no_err
tc_end

tc features_json
run 0 "$PIDFDCTL" features --json
json
jv .device '"/dev/pidfd"'
jv .abi_version 1
jv .commands.mask 255
jv '.commands.names[7]' '"IMPORT"'
jv .accepts.mask 15
jv '.commands.names[3]' '"SEND_SIGNAL"'
jv '.commands.names[4]' '"INFO"'
jv '.commands.names[5]' '"TRANSLATE"'
jv '.commands.names[6]' '"OPEN_ID"'
jv '.open_flags.names[1]' '"THREAD"'
jv .send_signal_flags.mask 7
jv .settings.mask 0
tc_end

# --- open ------------------------------------------------------------------------

spawn
tc open_text
run 0 "$PIDFDCTL" open "$p"
out '^pidfd: [0-9]+$'
out "^pid: $p\$"
out "^Pid: $p\$"
out "^NSpid: $p\$"
no_err
tc_end

tc open_json
run 0 "$PIDFDCTL" open "$p" --json
json
jv .pid "$p"
jv .Pid "$p"
jv '.NSpid[0]' "$p"
jv .ns null
jv .thread false
grep -Eq '^\.pidfd=[0-9]+$' "$T/json" || fail "no numeric .pidfd"
tc_end

tc open_thread
run 0 "$PIDFDCTL" open "$p" --thread --json
json
jv .thread true
jv .Pid "$p"
run 0 "$PIDFDCTL" open -t "$p"
out "^tid: $p\$"
tc_end

tc open_own_ns_file
run 0 "$PIDFDCTL" open "$p" --ns /proc/self/ns/pid
out "^pid: $p in /proc/self/ns/pid\$"
out "^Pid: $p\$"
tc_end

tc open_esrch
dead_pid
run 1 "$PIDFDCTL" open "$dead"
no_out
err "^pidfdctl: open: PIDFD_MOD_IOC_OPEN\\(pid $dead\\): ESRCH: no process has that number"
tc_end

tc open_ns_not_pidns_einval
run 1 "$PIDFDCTL" open "$p" --ns /proc/self/ns/mnt
no_out
err "^pidfdctl: open: PIDFD_MOD_IOC_OPEN\\(pid $p, ns /proc/self/ns/mnt\\): EINVAL: not a pid namespace visible to you"
run 1 "$PIDFDCTL" open "$p" --ns /proc/self/status
err 'EINVAL: not a pid namespace visible to you'
tc_end

tc open_ns_missing_file
run 1 "$PIDFDCTL" open "$p" --ns /nonexistent/ns
no_out
err "^pidfdctl: open: open\\(--ns /nonexistent/ns\\): ENOENT: no such namespace file"
tc_end

tc open_exec_fd3
run 0 "$PIDFDCTL" open "$p" -- sh -c 'readlink /proc/self/fd/3; echo "env=$PIDFDCTL_PIDFD"; cat /proc/self/fdinfo/3'
out '^anon_inode:\[pidfd_mod\]$'
out '^env=3$'
out "^Pid:[[:space:]]+$p\$"
tc_end

tc open_exec_fd3_usable
run 0 "$PIDFDCTL" open "$p" -- "$PIDFDCTL" kill --fd 3 --signal 0
out "^sent 0 to fd 3 \\(scope group\\)\$"
tc_end

tc open_exec_status
run 7 "$PIDFDCTL" open "$p" -- sh -c 'exit 7'
run 127 "$PIDFDCTL" open "$p" -- /nonexistent/cmd
err "^pidfdctl: open: execvp\\(/nonexistent/cmd\\): ENOENT"
run 1 "$PIDFDCTL" open "$dead" -- true
err 'ESRCH'
tc_end

# --- kill ------------------------------------------------------------------------

tc kill_signal_0
run 0 "$PIDFDCTL" kill "$p" --signal 0
out "^sent 0 to pid $p \\(scope group\\)\$"
no_err
[ -d "/proc/$p" ] || fail "signal 0 killed $p"
tc_end

tc kill_json
run 0 "$PIDFDCTL" kill "$p" --signal sigcont --json
json
jv .pid "$p"
jv .signal '"SIGCONT"'
jv .signo 18
jv .scope '"group"'
jv .sent true
tc_end

tc kill_scope_thread
run 0 "$PIDFDCTL" kill "$p" --scope thread --signal 0
out "scope thread"
run 0 "$PIDFDCTL" kill "$p" --thread --signal 0
out "^sent 0 to pid $p \\(scope thread\\)\$"
tc_end

tc kill_scope_pgrp_empty_esrch
run 1 "$PIDFDCTL" kill "$p" --scope pgrp --signal 0
no_out
err "PIDFD_MOD_IOC_SEND_SIGNAL\\(pid $p, 0, scope pgrp\\): ESRCH: .*process group is empty"
tc_end

tc kill_scope_pgrp
setsid sleep 1000 </dev/null >/dev/null 2>&1 &
g=$!
kids="$kids $g"
i=0
while [ "$(sed 's/^.*) . [0-9]* \([0-9]*\) .*/\1/' "/proc/$g/stat")" != "$g" ] &&
	[ $i -lt 200 ]; do
	usleep 50000
	i=$((i + 1))
done
pgrp=$(sed 's/^.*) . [0-9]* \([0-9]*\) .*/\1/' "/proc/$g/stat")
[ "$pgrp" = "$g" ] || fail "setsid sleep ($g) is not a group leader (pgrp $pgrp)"
run 0 "$PIDFDCTL" kill "$g" --scope pgrp --signal KILL
out "^sent SIGKILL to pid $g \\(scope pgrp\\)\$"
# Not left to sleep 1000 s if the signal was not sent.
[ "$rc" = 0 ] || kill -KILL "$g"
wait "$g"
[ $? = 137 ] || fail "the group leader did not die of SIGKILL"
tc_end

tc kill_term_by_number
spawn
run 0 "$PIDFDCTL" kill "$p" --signal 15
out "^sent SIGTERM to pid $p "
wait_gone "$p" || fail "$p still there after SIGTERM"
tc_end

tc kill_default_term
spawn
run 0 "$PIDFDCTL" kill "$p"
out "^sent SIGTERM to pid $p "
wait_gone "$p" || fail "$p still there after SIGTERM"
tc_end

tc kill_esrch_open
run 1 "$PIDFDCTL" kill "$dead"
no_out
err "^pidfdctl: kill: PIDFD_MOD_IOC_OPEN\\(pid $dead\\): ESRCH"
tc_end

tc kill_esrch_held_fd
spawn
run 1 "$PIDFDCTL" open "$p" -- sh -c "kill -KILL $p
	i=0; while [ -d /proc/$p ] && [ \$i -lt 200 ]; do usleep 50000; i=\$((i + 1)); done
	exec $PIDFDCTL kill --fd 3 --signal 0"
no_out
err "^pidfdctl: kill: PIDFD_MOD_IOC_SEND_SIGNAL\\(fd 3, 0, scope group\\): ESRCH: the process has exited \\(or was reaped\\)"
tc_end

tc kill_fd_proc_dir
spawn
run 0 sh -c "exec $PIDFDCTL kill --fd 3 --signal TERM 3</proc/$p"
out '^sent SIGTERM to fd 3 \(scope group\)$'
wait_gone "$p" || fail "pid $p is still there"
tc_end

tc kill_fd_not_open
run 1 "$PIDFDCTL" kill --fd 9
no_out
err "^pidfdctl: kill: --fd 9: EBADF: that file descriptor is not open\$"
tc_end

tc kill_fd_not_pidfd
run 1 "$PIDFDCTL" kill --fd 0
no_out
err "^pidfdctl: kill: PIDFD_MOD_IOC_SEND_SIGNAL\\(fd 0, SIGTERM, scope group\\): EBADF: not a pidfd \\(of /dev/pidfd or native\\) nor a /proc/PID directory, or /dev/pidfd is not open for writing\$"
tc_end

tc kill_eperm
spawn
# su needs a user database; the guest has none of its own.
made_passwd=0
if [ ! -e /etc/passwd ]; then
	printf 'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n' >/etc/passwd
	made_passwd=1
fi
run 1 su -s /bin/sh nobody -c "exec $PIDFDCTL kill $p --signal 0"
[ $made_passwd = 0 ] || rm -f /etc/passwd
no_out
err "^pidfdctl: kill: PIDFD_MOD_IOC_SEND_SIGNAL\\(pid $p, 0, scope group\\): EPERM: you may not signal that process \\(kill\\(2\\) permission rules\\)\$"
tc_end

# --- proc ------------------------------------------------------------------------

spawn
tc proc_text
run 0 "$PIDFDCTL" proc "$p"
out "^path: /proc/$p\$"
out '^Name: sleep$'
out "^Pid: $p\$"
out "^Tgid: $p\$"
out '^PPid: [0-9]+$'
no_err
tc_end

tc proc_json
run 0 "$PIDFDCTL" proc "$p" --json
json
jv .path "\"/proc/$p\""
jv .status.Name '"sleep"'
jv .status.Pid "$p"
grep -Eq '^\.status\.State="S \(sleeping\)"$' "$T/json" || fail "no .status.State"
tc_end

tc proc_thread
run 0 "$PIDFDCTL" proc "$p" --thread
out "^path: /proc/$p/task/$p\$"
tc_end

tc proc_exec
run 0 "$PIDFDCTL" proc "$p" -- sh -c 'pwd; readlink /proc/self/fd/3; echo "env=$PIDFDCTL_PROCFD"; grep ^Name: status'
out "^/proc/$p\$"
out '^env=3$'
out '^Name:[[:space:]]+sleep$'
tc_end

tc proc_root_not_procfs_einval
run 1 "$PIDFDCTL" proc "$p" --proc-root /tmp
no_out
err "^pidfdctl: proc: PIDFD_MOD_IOC_PROCFD\\(pid $p, /tmp\\): EINVAL: not the root directory of a procfs instance\$"
run 1 "$PIDFDCTL" proc "$p" --proc-root /proc/self
err 'EINVAL: not the root directory of a procfs instance'
tc_end

tc proc_root_missing
run 1 "$PIDFDCTL" proc "$p" --proc-root /nonexistent
no_out
err "^pidfdctl: proc: open\\(--proc-root /nonexistent\\): ENOENT: no such directory\$"
run 1 "$PIDFDCTL" proc "$p" --proc-root /proc/self/status
err "ENOTDIR: not a directory"
tc_end

tc proc_esrch_held_fd
spawn
run 1 "$PIDFDCTL" open "$p" -- sh -c "kill -KILL $p
	i=0; while [ -d /proc/$p ] && [ \$i -lt 200 ]; do usleep 50000; i=\$((i + 1)); done
	exec $PIDFDCTL proc --fd 3"
no_out
err "^pidfdctl: proc: PIDFD_MOD_IOC_PROCFD\\(fd 3, /proc\\): ESRCH: the process has exited and was reaped"
tc_end

tc proc_fd_not_pidfd
run 1 "$PIDFDCTL" proc --fd 0
err "EBADF: not a pidfd \\(of /dev/pidfd or native\\)"
tc_end

# --- info --------------------------------------------------------------------------

# field N of /proc/PID/stat (after the command name): 4 ppid, 5 pgrp, 6 session
stat_field() {
	sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f$(($2 - 2))
}

spawn
tc info_text
run 0 "$PIDFDCTL" info "$p"
out "^pid: $p\$"
out "^tgid: $p\$"
out "^ppid: $(stat_field "$p" 4)\$"
out "^pgid: $(stat_field "$p" 5)\$"
out "^sid: $(stat_field "$p" 6)\$"
out '^state: alive$'
out "^NSpid: $p\$"
out "^uid: $(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$p/status")\$"
out "^gid: $(sed -n 's/^Gid:[[:space:]]*//p' "/proc/$p/status")\$"
no_err
grep -q '^ns:' "$T/out" && fail "an ns: line without --ns"
tc_end

tc info_json
run 0 "$PIDFDCTL" info "$p" --json
json
jv .pid "$p"
jv .tgid "$p"
jv .ppid "$(stat_field "$p" 4)"
jv .state '"alive"'
jv '.NSpid[0]' "$p"
jv .ns null
jv .thread false
jv '.uid[0]' 0
jv '.gid[3]' 0
grep -Eq '^\.cgroupid=([0-9]+|null)$' "$T/json" || fail "no .cgroupid"
tc_end

tc info_thread
run 0 "$PIDFDCTL" info "$p" --thread
out "^tid: $p\$"
out "^tgid: $p\$"
run 0 "$PIDFDCTL" info -t "$p" --json
json
jv .thread true
jv .pid "$p"
tc_end

tc info_zombie
rm -f "$T/zpid" "$T/zgo"
# The child exits once its shell has become sleep, which never reaps it;
# a child that exited first could be reaped by the shell itself.
sh -c "sh -c 'while [ ! -e $T/zgo ]; do usleep 20000; done' &
	echo \$! >$T/zpid; exec sleep 1000" </dev/null >/dev/null 2>&1 &
zp=$!
kids="$kids $zp"
i=0
while [ ! -s "$T/zpid" ] && [ $i -lt 100 ]; do usleep 50000; i=$((i + 1)); done
z=$(cat "$T/zpid")
wait_asleep "$zp"
: >"$T/zgo"
i=0
while ! grep -q '^State:.*Z' "/proc/$z/status" 2>/dev/null && [ $i -lt 100 ]; do usleep 50000; i=$((i + 1)); done
run 0 "$PIDFDCTL" info "$z"
out '^state: zombie$'
out "^pid: $z\$"
out "^ppid: $zp\$"
kill -KILL "$zp"
tc_end

tc info_reaped_held_fd
spawn
run 0 "$PIDFDCTL" open "$p" -- sh -c "kill -KILL $p
	i=0; while [ -d /proc/$p ] && [ \$i -lt 200 ]; do usleep 50000; i=\$((i + 1)); done
	exec $PIDFDCTL info --fd 3"
out '^state: reaped$'
out '^exit: killed by SIGKILL$'
out '^id: [1-9][0-9]*$'
no_err
tc_end

tc info_esrch_open
dead_pid
run 1 "$PIDFDCTL" info "$dead"
no_out
err "^pidfdctl: info: PIDFD_MOD_IOC_OPEN\\(pid $dead\\): ESRCH"
tc_end

tc info_fd_not_pidfd
run 1 "$PIDFDCTL" info --fd 0
no_out
err "^pidfdctl: info: PIDFD_MOD_IOC_INFO\\(fd 0\\): EBADF: not a pidfd \\(of /dev/pidfd or native\\)\$"
run 1 "$PIDFDCTL" info --fd 9
err "^pidfdctl: info: --fd 9: EBADF: that file descriptor is not open\$"
tc_end

tc info_fd_ns_not_pidns_einval
spawn
run 1 "$PIDFDCTL" open "$p" -- "$PIDFDCTL" info --fd 3 --ns /proc/self/ns/mnt
no_out
err "^pidfdctl: info: PIDFD_MOD_IOC_INFO\\(fd 3, ns /proc/self/ns/mnt\\): EINVAL: not a pid namespace visible to you"
run 1 "$PIDFDCTL" info --fd 0 --ns /nonexistent/ns
err "^pidfdctl: info: open\\(--ns /nonexistent/ns\\): ENOENT: no such namespace file"
tc_end

# --- translate ---------------------------------------------------------------------

tc translate_own
run 0 "$PIDFDCTL" translate "$p"
out "^number: $p\$"
out '^from: your pid namespace$'
out '^to: your pid namespace$'
out "^pid: $p\$"
no_err
run 0 "$PIDFDCTL" translate "$p" --from /proc/self/ns/pid --to /proc/self/ns/pid --json
json
jv .number "$p"
jv .from '"/proc/self/ns/pid"'
jv .to '"/proc/self/ns/pid"'
jv .tgid false
jv .result "$p"
tc_end

tc translate_tgid
run 0 "$PIDFDCTL" translate "$p" --tgid
out "^tgid: $p\$"
run 0 "$PIDFDCTL" translate "$p" --tgid --json
json
jv .tgid true
jv .result "$p"
tc_end

tc translate_esrch
dead_pid
run 1 "$PIDFDCTL" translate "$dead"
no_out
err "^pidfdctl: translate: PIDFD_MOD_IOC_TRANSLATE\\($dead, from yours, to yours\\): ESRCH: no process, process group or session has that number in the source pid namespace\$"
run 1 "$PIDFDCTL" translate "$dead" --tgid
err "^pidfdctl: translate: PIDFD_MOD_IOC_TRANSLATE\\($dead, from yours, to yours, TGID\\): ESRCH: no thread has that number"
tc_end

tc translate_not_pidns_einval
run 1 "$PIDFDCTL" translate "$p" --from /proc/self/ns/mnt
no_out
err "^pidfdctl: translate: PIDFD_MOD_IOC_TRANSLATE\\($p, from /proc/self/ns/mnt, to yours\\): EINVAL: not a pid namespace visible to you"
run 1 "$PIDFDCTL" translate "$p" --to /proc/self/ns/mnt
err 'EINVAL: not a pid namespace visible to you'
run 1 "$PIDFDCTL" translate "$p" --to /nonexistent/ns
err "^pidfdctl: translate: open\\(--to /nonexistent/ns\\): ENOENT: no such namespace file"
tc_end

# --- A child pid namespace with its own procfs ----------------------------------

mkdir -p "$T/proc"
unshare -p -f sh -c "mount -t proc proc $T/proc && touch $T/ready; exec sleep 1000" \
	</dev/null >/dev/null 2>&1 &
kids="$kids $!"
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 200 ]; do usleep 50000; i=$((i + 1)); done
read -r C _ <"/proc/$!/task/$!/children"
# It is known before it has exec'd sleep: wait for that.
wait_asleep "$C"
NS=/proc/$C/ns/pid

tc ns_open_inner_pid
run 0 "$PIDFDCTL" open 1 --ns "$NS" --json
json
jv .pid 1
jv .Pid "$C"
jv '.NSpid[0]' "$C"
jv '.NSpid[1]' 1
jv .ns "\"$NS\""
tc_end

tc ns_proc_inner_procfs
run 0 "$PIDFDCTL" proc 1 --ns "$NS" --proc-root "$T/proc"
out "^path: $T/proc/1\$"
out '^Pid: 1$'
out '^PPid: 0$'
out '^Name: sleep$'
tc_end

tc ns_proc_not_visible_enoent
spawn
run 1 "$PIDFDCTL" proc "$p" --proc-root "$T/proc"
no_out
err "^pidfdctl: proc: PIDFD_MOD_IOC_PROCFD\\(pid $p, $T/proc\\): ENOENT: the process is not visible in that procfs instance"
tc_end

tc ns_open_esrch
run 1 "$PIDFDCTL" open 4000000 --ns "$NS"
err "^pidfdctl: open: PIDFD_MOD_IOC_OPEN\\(pid 4000000, ns $NS\\): ESRCH: no process has that number in that pid namespace"
tc_end

tc ns_ancestor_einval
run 1 nsenter -t "$C" -p -- "$PIDFDCTL" open 1 --ns /proc/1/ns/pid
no_out
err "^pidfdctl: open: PIDFD_MOD_IOC_OPEN\\(pid 1, ns /proc/1/ns/pid\\): EINVAL: not a pid namespace visible to you"
tc_end

tc ns_info_inner
run 0 "$PIDFDCTL" info 1 --ns "$NS" --json
json
jv .pid 1
jv .ppid 0
jv '.NSpid[0]' 1
jv .ns "\"$NS\""
run 0 "$PIDFDCTL" info "$C"
out "^pid: $C\$"
out "^NSpid: $C	1\$"
run 0 "$PIDFDCTL" open 1 --ns "$NS" -- "$PIDFDCTL" info --fd 3 --ns "$NS"
out '^pid: 1$'
out "^ns: $NS\$"
tc_end

tc ns_info_not_visible_zero
spawn
run 0 "$PIDFDCTL" open "$p" -- "$PIDFDCTL" info --fd 3 --ns "$NS" --json
json
jv .pid 0
jv .tgid 0
jv .state '"alive"'
grep -q '^\.NSpid\[' "$T/json" && fail "an NSpid entry for a process not visible there"
tc_end

tc ns_translate
run 0 "$PIDFDCTL" translate "$C" --to "$NS"
out '^pid: 1$'
out "^to: $NS\$"
run 0 "$PIDFDCTL" translate 1 --from "$NS" --json
json
jv .result "$C"
jv .from "\"$NS\""
jv .to null
tc_end

tc ns_translate_enoent
run 1 "$PIDFDCTL" translate "$p" --to "$NS"
no_out
err "^pidfdctl: translate: PIDFD_MOD_IOC_TRANSLATE\\($p, from yours, to $NS\\): ENOENT: that number's process is not visible in the target pid namespace\$"
run 1 "$PIDFDCTL" translate 4000000 --from "$NS"
err 'ESRCH: no process, process group or session has that number'
tc_end

tc ns_translate_ancestor_einval
run 1 nsenter -t "$C" -p -- "$PIDFDCTL" translate 1 --from /proc/1/ns/pid
no_out
err "^pidfdctl: translate: PIDFD_MOD_IOC_TRANSLATE\\(1, from /proc/1/ns/pid, to yours\\): EINVAL: not a pid namespace visible to you"
tc_end

tc ns_kill_and_wait_inner_init
run 0 "$PIDFDCTL" open 1 --ns "$NS" -- sh -c "$PIDFDCTL kill --fd 3 --signal KILL && exec $PIDFDCTL wait --fd 3 --timeout 10"
out '^sent SIGKILL to fd 3 \(scope group\)$'
out '^fd 3 exited \(killed by SIGKILL\)$'
wait_gone "$C" || fail "the namespace's init $C is still there"
tc_end

# --- wait ------------------------------------------------------------------------

tc wait_timeout
spawn
run 1 "$PIDFDCTL" wait "$p" --timeout 0.2
out "^pid $p still running\$"
err "^pidfdctl: wait: timed out after 0\\.200s\$"
tc_end

tc wait_timeout_zero
run 1 "$PIDFDCTL" wait "$p" --timeout 0
out "^pid $p still running\$"
tc_end

tc wait_non_child
q=$p
kill_when_waited TERM 1 "$q"
run 0 "$PIDFDCTL" wait "$q" --timeout 10
out "^pid $q exited \\(killed by SIGTERM\\)\$"
no_err
tc_end

tc wait_any
spawn
a=$p
spawn
b=$p
kill_when_waited TERM 2 "$b"
run 0 "$PIDFDCTL" wait "$a" "$b" --any --timeout 10
out "^pid $b exited \\(killed by SIGTERM\\)\$"
grep -q "^pid $a exited" "$T/out" && fail "pid $a reported as exited"
[ -d "/proc/$a" ] || fail "pid $a is gone"
tc_end

tc wait_all_json
kill_when_waited TERM 1 "$a"
run 0 "$PIDFDCTL" wait "$a" --all --timeout 10 --json
json
jv '.exited[0]' "$a"
jv .timed_out false
jv .by '"pid"'
jv '.exits[0].target' "$a"
jv '.exits[0].exit.signal' '"TERM"'
jv '.exits[0].exit.code' null
tc_end

tc wait_all_timeout_json
spawn
a=$p
spawn
b=$p
kill_when_waited TERM 2 "$b"
run 1 "$PIDFDCTL" wait "$a" "$b" --timeout 5 --json
json
jv '.exited[0]' "$b"
jv '.running[0]' "$a"
jv .timed_out true
tc_end

tc wait_esrch_exit_3
run 3 "$PIDFDCTL" wait "$a" "$dead" --timeout 1
no_out
err "^pidfdctl: wait: PIDFD_MOD_IOC_OPEN\\(pid $dead\\): ESRCH"
tc_end

tc wait_fd
run 0 "$PIDFDCTL" open "$a" -- sh -c "kill -TERM $a; exec $PIDFDCTL wait --fd 3 --timeout 10"
out '^fd 3 exited \(killed by SIGTERM\)$'
run 3 "$PIDFDCTL" wait --fd 9
err "EBADF: that file descriptor is not open"
tc_end

tc no_device_enoent
run 1 unshare -m sh -c "mount -t tmpfs none /dev && exec $PIDFDCTL features"
no_out
err "^pidfdctl: features: open\\(/dev/pidfd\\): ENOENT: there is no /dev/pidfd: the pidfd_mod module is not loaded"
tc_end

if [ "$n" != "$PLAN" ]; then
	echo "# ran $n cases, but the plan says $PLAN: update PLAN"
	exit 1
fi
[ $nfail = 0 ]
