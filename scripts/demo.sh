#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pidfd_mod demo, run inside the QEMU guest (busybox sh, as root) by
# `make run`, and as a test by `make check`.  It plays the argument of the
# 2019 proposal this module implements:
#
#   1. a container: a new pid namespace with its own procfs;
#   2. a pidfd opened by the process's INNER pid, through the namespace's
#      file, like openat() relative to a directory fd;
#   3. the pidfd translated race-free into the container's procfs (and the
#      host's), and `status` read through the directory fd;
#   4. the process killed through the pidfd, reaped, and its inner number
#      handed to a newcomer;
#   5. the OLD pidfd refusing to signal or translate the newcomer (ESRCH),
#      which stays alive;
#   6. `pidfdctl wait` on a process that is not the caller's child.
#
# Every step prints its commands and their output, checks the outcome and
# reports one TAP line; the exit status is 1 if any step did not behave as
# printed.  Needs /dev/pidfd, pidfdctl in PATH, and busybox unshare and
# nsenter.  Usage: demo.sh
set -u

D=${PIDFD_MOD_DEMO_DIR:-/tmp/pidfd_mod-demo}

# --- Step helpers ---------------------------------------------------------
# begin TITLE; then any number of `show CMD...` with want_rc / want_out /
# want_not; then end, which prints "ok N - TITLE" or "not ok N - TITLE".

begin() {
	title=$1
	step_failed=0
	echo
	echo "== $title"
}

note() {
	echo "   $*"
}

# The arguments as a shell would need them typed.
quoted() {
	q=''
	for a in "$@"; do
		case $a in
		''|*[!A-Za-z0-9_./:=+,@%-]*) a="'$a'" ;;
		esac
		q="$q${q:+ }$a"
	done
	printf '%s\n' "$q"
}

# show CMD...: print the command, run it, print its output and status.
show() {
	show_as "$(quoted "$@")" "$@"
}

# show_as TEXT CMD...: the same, printing TEXT as the command.
show_as() {
	echo "\$ $1"
	shift
	"$@" >"$D/out" 2>&1
	rc=$?
	sed 's/^/    /' "$D/out"
	[ $rc = 0 ] || echo "    (exit status $rc)"
	return 0
}

bad() {
	echo "    # NOT AS EXPECTED: $*"
	step_failed=1
}

want_rc() {
	[ "$rc" = "$1" ] || bad "exit status $rc, expected $1"
}

# want_out REGEX: the last command's output has a line matching REGEX.
want_out() {
	grep -Eq -- "$1" "$D/out" || bad "no output line matches /$1/"
}

want_not() {
	! grep -Eq -- "$1" "$D/out" || bad "an output line matches /$1/"
}

check() {
	"$@" || bad "check failed: $*"
}

end() {
	n=$(($(cat "$D/n") + 1))
	echo $n >"$D/n"
	if [ $step_failed = 0 ]; then
		echo "ok $n - $title"
	else
		echo "not ok $n - $title"
		echo 1 >"$D/failed"
	fi
}

# wait_for CONDITION...: up to 10 s.
wait_for() {
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		usleep 100000
	done
}

# The first child of process $1, via /proc/$1/task/$1/children.
child_of() {
	c=''
	read -r c _ <"/proc/$1/task/$1/children" 2>/dev/null
	[ -n "$c" ] && echo "$c"
}

# The number of process $1 (outer pid) in the innermost namespace.
inner_pid() {
	sed -n 's/^NSpid:.*[[:space:]]\([0-9][0-9]*\)$/\1/p' "/proc/$1/status"
}

# The numeric entries of a procfs directory: its processes.
pids_in() {
	ls "$1" | grep -E '^[0-9]+$'
}

gone() {
	[ ! -d "/proc/$1" ]
}

# runs DIR NAME: the process of procfs directory DIR has exec'd NAME.
runs() {
	r=''
	read -r r 2>/dev/null <"$1/comm"
	[ "$r" = "$2" ]
}

# --- Phase 2: runs with the OLD pidfd of the victim as fd 3 -----------------
held_phase() {
	begin "kill the process through the pidfd and let it be reaped"
	note "the pidfd opened by inner pid $N is fd 3 of this shell (pidfdctl open $N --ns $NS -- sh ...)"
	show ls -l /proc/self/fd/3
	want_out 'anon_inode:\[pidfd_mod\]'
	show pidfdctl kill --fd 3 --signal KILL
	want_rc 0
	want_out 'sent SIGKILL to fd 3'
	show pidfdctl wait --fd 3 --timeout 10
	want_rc 0
	want_out 'fd 3 exited'
	# Its parent (nsenter) reaps it.
	check wait_for gone "$V"
	show_as "ls $D/proc | grep -E '^[0-9]+\$'" pids_in "$D/proc"
	want_not "^$N\$"
	end

	begin "recycle inner pid $N: a newcomer gets the same number"
	note "inside the namespace: echo $((N - 1)) > /proc/sys/kernel/ns_last_pid; tail -f /dev/null &"
	rm -f "$D/newpid"
	nsenter -t "$C" -p -- sh -c "echo $((N - 1)) >/proc/sys/kernel/ns_last_pid || exit 1
		tail -f /dev/null &
		echo \$! >$D/newpid.tmp
		mv $D/newpid.tmp $D/newpid
		wait" </dev/null >"$D/recycle.log" 2>&1 &
	check wait_for test -s "$D/newpid"
	[ ! -s "$D/recycle.log" ] || sed 's/^/    /' "$D/recycle.log"
	NEW=$(cat "$D/newpid" 2>/dev/null)
	note "the newcomer's inner pid: $NEW"
	[ "$NEW" = "$N" ] || bad "the newcomer got inner pid $NEW, not $N"
	check wait_for runs "$D/proc/$N" tail
	show pidfdctl proc "$N" --ns "$NS" --proc-root "$D/proc"
	want_rc 0
	want_out '^Name: tail$'
	want_out "^Pid: $N\$"
	end

	begin "the OLD pidfd refuses to signal the newcomer (ESRCH)"
	show pidfdctl kill --fd 3 --signal KILL
	want_rc 1
	want_out 'ESRCH: the process has exited'
	note "the newcomer with the same number is untouched:"
	show pidfdctl kill "$N" --ns "$NS" --signal 0
	want_rc 0
	want_out "sent 0 to pid $N"
	end

	begin "the OLD pidfd refuses to translate to the newcomer's /proc (ESRCH)"
	show pidfdctl proc --fd 3 --proc-root "$D/proc"
	want_rc 1
	want_out 'ESRCH: the process has exited and was reaped'
	note "while a plain path lookup of $D/proc/$N finds the newcomer (the racy way):"
	show grep '^Name:' "$D/proc/$N/status"
	want_rc 0
	want_out 'Name:[[:space:]]*tail'
	end
}

if [ "${1:-}" = --held-pidfd ]; then
	# Re-entered by `pidfdctl open ... --` with the state in the environment.
	held_phase
	exit 0
fi
[ $# = 0 ] || { echo "usage: demo.sh" >&2; exit 2; }

# --- Phase 1 ----------------------------------------------------------------
cleanup() {
	[ -n "${C:-}" ] && [ -d "/proc/$C" ] && kill -KILL "$C" 2>/dev/null
	[ -n "${U:-}" ] && wait "$U" 2>/dev/null
	[ -n "${NSE:-}" ] && wait "$NSE" 2>/dev/null
	grep -q " $D/proc " /proc/mounts && umount "$D/proc"
}

umount "$D/proc" 2>/dev/null
rm -rf "$D"
mkdir -p "$D/proc" || exit 1
echo 0 >"$D/n"
echo 0 >"$D/failed"
# Every step is one case: 5 here, 4 with the held pidfd, 2 after it.  The
# plan comes first, so that a demo which stops early is seen to be short.
HELD_STEPS=4
PLAN=11
echo "TAP version 13"
echo "1..$PLAN"
echo "# pidfd_mod demo on $(uname -r)"

begin "the module is loaded"
show pidfdctl features
want_rc 0
want_out '^commands: .* OPEN PROCFD SEND_SIGNAL'
end

begin "a container: a new pid namespace with its own procfs at $D/proc"
note "unshare -p -f sh -c 'mount -t proc proc $D/proc; exec sleep 100000' &"
unshare -p -f sh -c "mount -t proc proc $D/proc && touch $D/ready; exec sleep 100000" \
	</dev/null >/dev/null 2>&1 &
U=$!
check wait_for test -e "$D/ready"
C=$(child_of "$U")
NS=/proc/$C/ns/pid
note "the container's init: pid $C outside, namespace file $NS"
show grep -E '^(Name|NSpid):' "/proc/$C/status"
want_out "^NSpid:[[:space:]]+$C[[:space:]]+1\$"
show_as "ls $D/proc | grep -E '^[0-9]+\$'" pids_in "$D/proc"
want_out '^1$'
end

begin "a process in the container"
note "nsenter -t $C -p -- sleep 100000 &"
nsenter -t "$C" -p -- sleep 100000 </dev/null >/dev/null 2>&1 &
NSE=$!
check wait_for child_of "$NSE" >/dev/null
V=$(child_of "$NSE")
check wait_for runs "/proc/$V" sleep
N=$(inner_pid "$V")
note "outside it is pid $V, inside it is pid $N"
show grep -E '^(Name|NSpid):' "/proc/$V/status"
want_out "^NSpid:[[:space:]]+$V[[:space:]]+$N\$"
end

begin "open a pidfd by the INNER pid $N through the namespace file"
show pidfdctl open "$N" --ns "$NS"
want_rc 0
want_out "^Pid: $V\$"
want_out "^NSpid: $V[[:space:]]+$N\$"
note "the same number in our own namespace is another process, or none:"
show pidfdctl open "$N"
[ "$N" != "$V" ] || bad "inner and outer pid are the same"
want_not "^Pid: $V\$"
end

begin "translate the pidfd race-free into the container's procfs"
show pidfdctl proc "$N" --ns "$NS" --proc-root "$D/proc"
want_rc 0
want_out "^path: $D/proc/$N\$"
want_out '^Name: sleep$'
want_out "^Pid: $N\$"
note "and into the host's /proc, where the same process has another number:"
show pidfdctl proc "$N" --ns "$NS"
want_rc 0
want_out "^path: /proc/$V\$"
want_out "^Pid: $V\$"
end

export D N V C NS
echo
note "\$ pidfdctl open $N --ns $NS -- sh $0 --held-pidfd"
before=$(cat "$D/n")
pidfdctl open "$N" --ns "$NS" -- sh "$0" --held-pidfd
rc=$?
# The steps that did not run, each as a failed one: the count stays that
# of the plan.
held=$(($(cat "$D/n") - before))
while [ "$held" -lt $HELD_STEPS ]; do
	held=$((held + 1))
	begin "step $held of the steps that hold the old pidfd"
	bad "not run: pidfdctl open ... -- sh $0 --held-pidfd exited with $rc"
	end
done
if [ $rc != 0 ]; then
	echo "# pidfdctl open ... -- sh $0 --held-pidfd exited with $rc"
	echo 1 >"$D/failed"
fi
NEW=$(cat "$D/newpid" 2>/dev/null)

begin "wait for the exit of a process that is not our child"
note "pid $NEW in the container is a child of a shell in the container"
show pidfdctl wait "$NEW" --ns "$NS" --timeout 0.5
want_rc 1
want_out "pid $NEW still running"
note "in 1 s, in the background: pidfdctl kill $NEW --ns $NS"
(sleep 1; pidfdctl kill "$NEW" --ns "$NS" >/dev/null) &
K=$!
show pidfdctl wait "$NEW" --ns "$NS" --timeout 10
want_rc 0
want_out "pid $NEW exited \\(killed by SIGTERM\\)"
wait $K
end

begin "tear the container down: SIGKILL its init through a pidfd, wait for it"
show pidfdctl open 1 --ns "$NS" -- sh -c 'pidfdctl kill --fd 3 --signal KILL && exec pidfdctl wait --fd 3 --timeout 10'
want_rc 0
want_out '^sent SIGKILL to fd 3 '
want_out '^fd 3 exited \(killed by SIGKILL\)$'
wait "$U" 2>/dev/null
wait "$NSE" 2>/dev/null
check wait_for gone "$C"
umount "$D/proc" || bad "umount $D/proc"
C='' U='' NSE=''
end

cleanup
n=$(cat "$D/n")
echo
if [ "$n" != $PLAN ]; then
	echo "# demo: $n steps, but the plan says $PLAN"
	exit 1
fi
if [ "$(cat "$D/failed")" != 0 ]; then
	echo "# demo: some steps did not behave as printed"
	exit 1
fi
echo "# demo: all $n steps behaved as printed"
exit 0
