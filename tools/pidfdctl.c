// SPDX-License-Identifier: GPL-2.0
/*
 * pidfdctl: command-line access to /dev/pidfd.
 *
 *	pidfdctl open PID [--ns FILE] [--thread] [-- CMD [ARG]...]
 *	pidfdctl kill PID|--fd N [--ns FILE] [--thread] [--signal SIG]
 *		      [--scope thread|group|pgrp]
 *	pidfdctl proc PID|--fd N [--ns FILE] [--thread] [--proc-root DIR]
 *		      [-- CMD [ARG]...]
 *	pidfdctl wait PID...|--fd N... [--ns FILE] [--thread]
 *		      [--timeout SECONDS] [--any|--all]
 *	pidfdctl info PID|--fd N [--ns FILE] [--thread]
 *	pidfdctl translate NUM [--from FILE] [--to FILE] [--tgid]
 *	pidfdctl features
 *
 * Every subcommand takes --json (one single-line JSON object on stdout)
 * and --help.  Each subcommand is one entry in pidfdctl_cmds[]: a name, a
 * usage line, a summary, the options it accepts, its long help and a
 * function.  Options are parsed by one table-driven parser; a pidfd opened
 * here is always opened by pidfdctl_get_pidfd() and every ioctl goes
 * through the wrappers of pidfd_mod_user.h.
 *
 * Exit status (see docs/pidfdctl.1): 0 success, 1 the operation failed
 * (wait: the timeout expired), 2 bad usage, 3 wait: an operation failed;
 * open/proc with a CMD: the command's status, 126/127 when it cannot run.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/wait.h>

#include "pidfd_mod_user.h"

#define PIDFDCTL_EXIT_FAIL	1
#define PIDFDCTL_EXIT_TIMEOUT	1
#define PIDFDCTL_EXIT_USAGE	2
#define PIDFDCTL_EXIT_WAIT_FAIL	3
#define PIDFDCTL_EXIT_NOEXEC	126
#define PIDFDCTL_EXIT_NOTFOUND	127

/* The fd a command run by `open ... -- CMD` or `proc ... -- CMD` gets. */
#define PIDFDCTL_CHILD_FD	3
#define PIDFDCTL_MAX_TARGETS	256

static const char *pidfdctl_prog = "pidfdctl";

/* --- Options ----------------------------------------------------------- */

enum pidfdctl_opt_id {
	OPT_HELP	= 1 << 0,
	OPT_JSON	= 1 << 1,
	OPT_NS		= 1 << 2,
	OPT_THREAD	= 1 << 3,
	OPT_FD		= 1 << 4,
	OPT_SIGNAL	= 1 << 5,
	OPT_SCOPE	= 1 << 6,
	OPT_PROC_ROOT	= 1 << 7,
	OPT_TIMEOUT	= 1 << 8,
	OPT_ANY		= 1 << 9,
	OPT_ALL		= 1 << 10,
	OPT_FROM	= 1 << 11,
	OPT_TO		= 1 << 12,
	OPT_TGID	= 1 << 13,
};

struct pidfdctl_opt {
	enum pidfdctl_opt_id id;
	const char *name;	/* long name, without "--" */
	char shortname;		/* 0 for none */
	const char *arg;	/* argument name, NULL for a flag */
	const char *help;
};

static const struct pidfdctl_opt pidfdctl_opts[] = {
	{ OPT_NS, "ns", 'n', "FILE",
	  "look PID up in the pid namespace of FILE (e.g. /proc/PID/ns/pid)\n"
	  "instead of your own; it must be yours or a descendant of it" },
	{ OPT_THREAD, "thread", 't', NULL,
	  "PID is a thread id: open a thread fd that pins that one thread" },
	{ OPT_FD, "fd", 0, "N",
	  "use the pidfd already open as file descriptor N (as passed by\n"
	  "`pidfdctl open PID -- CMD`) instead of opening one by PID" },
	{ OPT_SIGNAL, "signal", 's', "SIG",
	  "signal name (TERM, SIGTERM, RTMIN+1) or number; 0 only checks\n"
	  "that the process exists and may be signalled (default TERM)" },
	{ OPT_SCOPE, "scope", 0, "SCOPE",
	  "thread, group (the thread group) or pgrp (the process group the\n"
	  "process leads); default: the pidfd's own, thread for a thread fd" },
	{ OPT_PROC_ROOT, "proc-root", 'r', "DIR",
	  "the root of the procfs instance to translate into (default /proc);\n"
	  "the directory is numbered in that procfs's pid namespace" },
	{ OPT_TIMEOUT, "timeout", 'T', "SECONDS",
	  "give up after SECONDS (decimal fractions allowed; 0 polls once)" },
	{ OPT_ANY, "any", 0, NULL, "return as soon as one process has exited" },
	{ OPT_ALL, "all", 0, NULL,
	  "return when every process has exited (the default)" },
	{ OPT_FROM, "from", 'f', "FILE",
	  "NUM is a number in the pid namespace of FILE (default: yours)" },
	{ OPT_TO, "to", 0, "FILE",
	  "give its number in the pid namespace of FILE (default: yours)" },
	{ OPT_TGID, "tgid", 0, NULL,
	  "NUM is a thread id: give the id of its thread group" },
	{ OPT_JSON, "json", 'j', NULL,
	  "print the result as one single-line JSON object" },
	{ OPT_HELP, "help", 'h', NULL, "show this help" },
};

#define PIDFDCTL_NOPTS	(sizeof(pidfdctl_opts) / sizeof(pidfdctl_opts[0]))

struct pidfdctl_args {
	const struct pidfdctl_cmd *cmd;
	unsigned int seen;		/* OPT_* given */
	bool json;
	const char *ns;
	bool thread;
	int fds[PIDFDCTL_MAX_TARGETS];	/* --fd */
	int nfds;
	int sig;
	const char *signame;
	unsigned int scope;
	const char *scopename;
	const char *proc_root;
	long long timeout_ms;		/* -1: none */
	bool any;
	const char *from, *to;		/* translate: namespace files */
	bool tgid;
	char **pos;			/* positional arguments */
	int npos;
	pid_t pids[PIDFDCTL_MAX_TARGETS];	/* pos[], parsed */
	char **exec_argv;		/* after "--", NULL if none */
};

struct pidfdctl_cmd {
	const char *name;
	const char *args;	/* usage of the arguments */
	const char *summary;
	unsigned int opts;	/* OPT_* accepted besides --help and --json */
	int min_pos, max_pos;	/* positional arguments (PIDs) */
	bool exec;		/* accepts -- CMD [ARG]... */
	const char *help;	/* the long description */
	int (*fn)(struct pidfdctl_args *a);
	bool ns_with_fd;	/* --ns also applies to --fd N */
};

static const char *pidfdctl_cmdname = "";

__attribute__((format(printf, 1, 2)))
static int pidfdctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", pidfdctl_prog);
	if (*pidfdctl_cmdname)
		fprintf(stderr, "%s: ", pidfdctl_cmdname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (*pidfdctl_cmdname)
		fprintf(stderr, "\nTry '%s %s --help'.\n", pidfdctl_prog,
			pidfdctl_cmdname);
	else
		fprintf(stderr, "\nTry '%s --help'.\n", pidfdctl_prog);
	return PIDFDCTL_EXIT_USAGE;
}

/* --- Errors: the failing call, the errno's name and what it means ---------- */

/* "ESRCH" for ESRCH: glibc's own table (2.32), NULL for an unknown errno. */
static const char *pidfdctl_errno_name(int err)
{
	return strerrorname_np(err);
}

enum pidfdctl_call {
	CALL_DEV,		/* open(/dev/pidfd) */
	CALL_NSFILE,		/* open(--ns FILE) */
	CALL_PROCROOT,		/* open(--proc-root DIR) */
	CALL_OPEN,		/* PIDFD_MOD_IOC_OPEN */
	CALL_OPEN_NS,		/* PIDFD_MOD_IOC_OPEN with a namespace */
	CALL_PROCFD,
	CALL_SIGNAL,
	CALL_SIGNAL_PGRP,
	CALL_INFO,		/* PIDFD_MOD_IOC_INFO */
	CALL_GET_INFO,		/* PIDFD_GET_INFO on the pidfd */
	CALL_TRANSLATE,
	CALL_TRANSLATE_TGID,
	CALL_FD,		/* fcntl(--fd N) */
	CALL_OTHER,
};

struct pidfdctl_errtext {
	enum pidfdctl_call call;
	int err;
	const char *text;
};

/* What the module's errnos (uapi/linux/pidfd_mod.h) mean, per call. */
static const struct pidfdctl_errtext pidfdctl_errtexts[] = {
	{ CALL_DEV, ENOENT, "there is no /dev/pidfd: the pidfd_mod module is not loaded (modprobe pidfd_mod)" },
	{ CALL_DEV, ENODEV, "/dev/pidfd has no driver: the pidfd_mod module is not loaded" },
	{ CALL_DEV, ENXIO, "/dev/pidfd has no driver: the pidfd_mod module is not loaded" },
	{ CALL_DEV, EACCES, "you may not open /dev/pidfd (it should be mode 0666)" },
	{ CALL_NSFILE, ENOENT, "no such namespace file (the process may have exited)" },
	{ CALL_NSFILE, EACCES, "you may not open that namespace file" },
	{ CALL_PROCROOT, ENOENT, "no such directory" },
	{ CALL_PROCROOT, ENOTDIR, "not a directory" },
	{ CALL_OPEN, ESRCH, "no process has that number (it has exited, or was reaped, or never existed)" },
	{ CALL_OPEN, EINVAL, "that number is a thread that is not a thread-group leader (use --thread), or is used only as a process group or session id" },
	{ CALL_OPEN_NS, ESRCH, "no process has that number in that pid namespace (it has exited, or was reaped, or never existed)" },
	{ CALL_OPEN_NS, EINVAL, "not a pid namespace visible to you (neither yours nor a descendant of it), or the number is a non-leader thread (use --thread)" },
	{ CALL_OPEN_NS, EBADF, "the namespace file descriptor is not open for reading" },
	{ CALL_PROCFD, ESRCH, "the process has exited and was reaped; its number may now belong to another process" },
	{ CALL_PROCFD, ENOENT, "the process is not visible in that procfs instance (another pid namespace)" },
	{ CALL_PROCFD, EINVAL, "not the root directory of a procfs instance" },
	{ CALL_PROCFD, EXDEV, "the process directory is covered by a mount stacked on the procfs" },
	{ CALL_PROCFD, EACCES, "the procfs refuses you that directory (hidepid or permissions)" },
	{ CALL_PROCFD, EBADF, "not a pidfd (of /dev/pidfd or native)" },
	{ CALL_SIGNAL, ESRCH, "the process has exited (or was reaped); nothing was signalled" },
	{ CALL_SIGNAL, EPERM, "you may not signal that process (kill(2) permission rules)" },
	{ CALL_SIGNAL, EINVAL, "invalid signal number, or the process is outside your pid namespace hierarchy" },
	{ CALL_SIGNAL, EBADF, "not a pidfd (of /dev/pidfd or native) nor a /proc/PID directory, or /dev/pidfd is not open for writing" },
	{ CALL_SIGNAL, EOPNOTSUPP, "thread-directed signals cannot be checked against LSM policy by a module, so they are refused (an administrator may load pidfd_mod with unchecked_signals=1 to allow them without that check)" },
	{ CALL_SIGNAL, EACCES, "a security policy (LSM) forbids that signal" },
	{ CALL_SIGNAL_PGRP, ESRCH, "the process has exited (or was reaped), or its process group is empty; nothing was signalled" },
	{ CALL_SIGNAL_PGRP, EPERM, "you may not signal that process group (kill(2) permission rules)" },
	{ CALL_SIGNAL_PGRP, EINVAL, "invalid signal number, or the process is outside your pid namespace hierarchy" },
	{ CALL_SIGNAL_PGRP, EBADF, "not a pidfd (of /dev/pidfd or native) nor a /proc/PID directory, or /dev/pidfd is not open for writing" },
	{ CALL_SIGNAL_PGRP, EACCES, "a security policy (LSM) forbids that signal" },
	{ CALL_INFO, ESRCH, "the process has exited and was reaped; its number may now belong to another process" },
	{ CALL_INFO, EBADF, "not a pidfd (of /dev/pidfd or native)" },
	{ CALL_INFO, EINVAL, "not a pid namespace visible to you (neither yours nor a descendant of it)" },
	{ CALL_GET_INFO, ESRCH, "the process has exited and was reaped" },
	{ CALL_TRANSLATE, ESRCH, "no process, process group or session has that number in the source pid namespace" },
	{ CALL_TRANSLATE, ENOENT, "that number's process is not visible in the target pid namespace" },
	{ CALL_TRANSLATE, EINVAL, "not a pid namespace visible to you (neither yours nor a descendant of it)" },
	{ CALL_TRANSLATE_TGID, ESRCH, "no thread has that number in the source pid namespace" },
	{ CALL_TRANSLATE_TGID, ENOENT, "that thread's process is not visible in the target pid namespace" },
	{ CALL_TRANSLATE_TGID, EINVAL, "not a pid namespace visible to you (neither yours nor a descendant of it)" },
	{ CALL_FD, EBADF, "that file descriptor is not open" },
	{ CALL_OTHER, 0, NULL },
};

static const char *pidfdctl_errno_text(enum pidfdctl_call call, int err)
{
	const struct pidfdctl_errtext *t;

	for (t = pidfdctl_errtexts; t->text; t++)
		if (t->call == call && t->err == err)
			return t->text;
	if (err == ENOTTY && call >= CALL_OPEN && call < CALL_FD)
		return "the module does not know this command (an older pidfd_mod?)";
	return strerror(err);
}

/* "pidfdctl: CMD: CALL: ENAME: meaning", errno preserved. */
__attribute__((format(printf, 3, 4)))
static void pidfdctl_error(enum pidfdctl_call call, int err,
			   const char *fmt, ...)
{
	const char *name = pidfdctl_errno_name(err);
	va_list ap;

	fprintf(stderr, "%s: %s: ", pidfdctl_prog, pidfdctl_cmdname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (name)
		fprintf(stderr, ": %s: %s\n", name,
			pidfdctl_errno_text(call, err));
	else
		fprintf(stderr, ": errno %d: %s\n", err,
			pidfdctl_errno_text(call, err));
	errno = err;
}

/* Opening /dev/pidfd is the first thing every wrapper does. */
static void pidfdctl_ioctl_error(enum pidfdctl_call call, const char *what)
{
	int err = errno;

	if (pidfd_mod_dev() < 0)
		pidfdctl_error(CALL_DEV, err, "open(%s)", PIDFD_MOD_DEVICE);
	else
		pidfdctl_error(call, err, "%s", what);
}

/* --- Parsing ------------------------------------------------------------ */

/* A non-negative decimal integer with no sign, space or junk. */
static bool pidfdctl_parse_uint(const char *s, long long max, long long *out)
{
	long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static bool pidfdctl_parse_pid(const char *s, pid_t *pid)
{
	long long v;

	if (!pidfdctl_parse_uint(s, INT_MAX, &v) || v == 0)
		return false;
	*pid = (pid_t)v;
	return true;
}

/* SECONDS[.FRACTION] to milliseconds (at most a day). */
static bool pidfdctl_parse_timeout(const char *s, long long *ms)
{
	long long secs = 0, frac = 0, scale = 1000;
	const char *dot = strchr(s, '.');
	char ip[16];
	size_t n = dot ? (size_t)(dot - s) : strlen(s);

	if (n == 0 || n >= sizeof(ip))
		return false;
	memcpy(ip, s, n);
	ip[n] = 0;
	if (!pidfdctl_parse_uint(ip, 86400, &secs))
		return false;
	if (dot) {
		const char *f = dot + 1;

		if (!*f)
			return false;
		for (; *f; f++) {
			if (*f < '0' || *f > '9')
				return false;
			scale /= 10;
			frac += (*f - '0') * scale;
		}
	}
	*ms = secs * 1000 + frac;
	return true;
}

/*
 * Signal names are glibc's (sigabbrev_np(), 2.32): "TERM", "POLL" for
 * SIGIO.  The other traditional names are accepted as input too.
 */
static const struct {
	int sig;
	const char *name;
} pidfdctl_signal_aliases[] = {
	{ SIGIO, "IO" }, { SIGIOT, "IOT" }, { SIGCLD, "CLD" },
};

/* The name of @sig for output ("SIGTERM", "SIGRTMIN+2", "0"). */
static void pidfdctl_signal_name(int sig, char *buf, size_t len)
{
	const char *name = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

	if (name)
		snprintf(buf, len, "SIG%s", name);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, len, "%d", sig);
}

/* The number of the classic signal named @s ("TERM"), 0 if none. */
static int pidfdctl_signal_number(const char *s)
{
	const char *name;
	size_t i;
	int sig;

	for (sig = 1; sig < SIGRTMIN; sig++) {
		name = sigabbrev_np(sig);
		if (name && !strcasecmp(s, name))
			return sig;
	}
	for (i = 0; i < sizeof(pidfdctl_signal_aliases) /
		    sizeof(pidfdctl_signal_aliases[0]); i++)
		if (!strcasecmp(s, pidfdctl_signal_aliases[i].name))
			return pidfdctl_signal_aliases[i].sig;
	return 0;
}

/* TERM, SIGTERM, sigterm, 15, RTMIN, RTMIN+N, RTMAX-N. */
static bool pidfdctl_parse_signal(const char *s, int *sig)
{
	long long v;

	if (*s >= '0' && *s <= '9') {
		if (!pidfdctl_parse_uint(s, SIGRTMAX, &v))
			return false;
		*sig = (int)v;
		return true;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	*sig = pidfdctl_signal_number(s);
	if (*sig)
		return true;
	if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		bool max = !strncasecmp(s, "RTMAX", 5);
		int base = max ? SIGRTMAX : SIGRTMIN;

		s += 5;
		v = 0;
		if (*s) {
			if (*s != (max ? '-' : '+') ||
			    !pidfdctl_parse_uint(s + 1, SIGRTMAX, &v))
				return false;
		}
		base = max ? base - (int)v : base + (int)v;
		if (base < SIGRTMIN || base > SIGRTMAX)
			return false;
		*sig = base;
		return true;
	}
	return false;
}

static const struct pidfdctl_opt *pidfdctl_find_opt(const char *name,
						     size_t len, char shortname)
{
	size_t i;

	for (i = 0; i < PIDFDCTL_NOPTS; i++) {
		const struct pidfdctl_opt *o = &pidfdctl_opts[i];

		if (shortname ? o->shortname == shortname :
		    strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	}
	return NULL;
}

static int pidfdctl_set_opt(struct pidfdctl_args *a,
			    const struct pidfdctl_opt *o, const char *val)
{
	long long v;

	if (o->id != OPT_FD && o->arg && (a->seen & o->id))
		return pidfdctl_usage_error("--%s given twice", o->name);
	a->seen |= o->id;
	switch (o->id) {
	case OPT_HELP:
		break;
	case OPT_JSON:
		a->json = true;
		break;
	case OPT_NS:
		if (!*val)
			return pidfdctl_usage_error("--ns: empty file name");
		a->ns = val;
		break;
	case OPT_THREAD:
		a->thread = true;
		break;
	case OPT_FD:
		if (!pidfdctl_parse_uint(val, INT_MAX, &v))
			return pidfdctl_usage_error("--fd: '%s' is not a file descriptor number",
						    val);
		if (a->nfds == PIDFDCTL_MAX_TARGETS)
			return pidfdctl_usage_error("more than %d processes",
						    PIDFDCTL_MAX_TARGETS);
		a->fds[a->nfds++] = (int)v;
		break;
	case OPT_SIGNAL:
		if (!pidfdctl_parse_signal(val, &a->sig))
			return pidfdctl_usage_error("--signal: unknown signal '%s' (a name such as TERM or SIGKILL, or a number 0-%d)",
						    val, SIGRTMAX);
		a->signame = val;
		break;
	case OPT_SCOPE:
		if (!strcmp(val, "thread"))
			a->scope = PIDFD_MOD_SIGNAL_THREAD;
		else if (!strcmp(val, "group"))
			a->scope = PIDFD_MOD_SIGNAL_THREAD_GROUP;
		else if (!strcmp(val, "pgrp"))
			a->scope = PIDFD_MOD_SIGNAL_PROCESS_GROUP;
		else
			return pidfdctl_usage_error("--scope: '%s' is not thread, group or pgrp",
						    val);
		a->scopename = val;
		break;
	case OPT_PROC_ROOT:
		if (!*val)
			return pidfdctl_usage_error("--proc-root: empty directory name");
		a->proc_root = val;
		break;
	case OPT_TIMEOUT:
		if (!pidfdctl_parse_timeout(val, &a->timeout_ms))
			return pidfdctl_usage_error("--timeout: '%s' is not a number of seconds (such as 5 or 0.5, at most 86400)",
						    val);
		break;
	case OPT_ANY:
		a->any = true;
		break;
	case OPT_ALL:
		a->any = false;
		break;
	case OPT_FROM:
	case OPT_TO:
		if (!*val)
			return pidfdctl_usage_error("--%s: empty file name",
						    o->name);
		if (o->id == OPT_FROM)
			a->from = val;
		else
			a->to = val;
		break;
	case OPT_TGID:
		a->tgid = true;
		break;
	}
	return 0;
}

/*
 * Options may come before or after the positional arguments; "--" ends
 * them, and what follows is the command to run for subcommands that take
 * one.  Returns 0, or the exit status of a usage error.
 */
static int pidfdctl_parse(const struct pidfdctl_cmd *cmd, int argc,
			  char **argv, struct pidfdctl_args *a)
{
	unsigned int allowed = cmd->opts | OPT_HELP | OPT_JSON;
	/* What the positional arguments are called in the usage line. */
	const char *noun = strncmp(cmd->args, "NUM", 3) ? "PID" : "NUM";
	int i, rc;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->sig = SIGTERM;
	a->timeout_ms = -1;
	a->proc_root = "/proc";
	a->pos = calloc(argc + 1, sizeof(*a->pos));
	if (!a->pos) {
		perror(pidfdctl_prog);
		return PIDFDCTL_EXIT_FAIL;
	}

	for (i = 1; i < argc; i++) {
		const struct pidfdctl_opt *o = NULL;
		const char *arg = argv[i], *val = NULL, *eq = NULL;

		if (!strcmp(arg, "--")) {
			if (!cmd->exec)
				return pidfdctl_usage_error("'--' is not expected: %s runs no command",
							    cmd->name);
			if (i + 1 >= argc)
				return pidfdctl_usage_error("missing command after '--'");
			a->exec_argv = argv + i + 1;
			break;
		}
		if (arg[0] != '-' || !arg[1]) {
			a->pos[a->npos++] = (char *)arg;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			o = pidfdctl_find_opt(arg + 2,
					      eq ? (size_t)(eq - arg - 2) :
					      strlen(arg + 2), 0);
			if (eq)
				val = eq + 1;
		} else if (!arg[2]) {
			o = pidfdctl_find_opt(NULL, 0, arg[1]);
		}
		if (!o || !(allowed & o->id)) {
			if (eq)
				return pidfdctl_usage_error("unknown option '%.*s'",
							    (int)(eq - arg), arg);
			return pidfdctl_usage_error("unknown option '%s'", arg);
		}
		if (o->arg && !val) {
			if (i + 1 >= argc)
				return pidfdctl_usage_error("option '%s' needs an argument (%s)",
							    arg, o->arg);
			val = argv[++i];
		} else if (!o->arg && val) {
			return pidfdctl_usage_error("option '--%s' takes no argument",
						    o->name);
		}
		rc = pidfdctl_set_opt(a, o, val);
		if (rc)
			return rc;
	}

	if (a->seen & OPT_HELP)
		return 0;
	if ((a->seen & OPT_ANY) && (a->seen & OPT_ALL))
		return pidfdctl_usage_error("--any and --all exclude each other");
	if (a->nfds) {
		if (a->npos)
			return pidfdctl_usage_error("give either PIDs or --fd, not both");
		if ((a->seen & OPT_THREAD) && cmd->ns_with_fd)
			return pidfdctl_usage_error("--thread applies to a PID, not to --fd");
		if (a->seen & (OPT_NS | OPT_THREAD) && !cmd->ns_with_fd)
			return pidfdctl_usage_error("--ns and --thread apply to a PID, not to --fd");
		if (a->nfds > 1 && cmd->max_pos == 1)
			return pidfdctl_usage_error("--fd given more than once");
		return 0;
	}
	if (a->npos < cmd->min_pos)
		return pidfdctl_usage_error("missing %s", noun);
	if (a->npos > cmd->max_pos)
		return pidfdctl_usage_error("unexpected argument '%s'",
					    a->pos[cmd->max_pos]);
	if (a->npos > PIDFDCTL_MAX_TARGETS)
		return pidfdctl_usage_error("more than %d processes",
					    PIDFDCTL_MAX_TARGETS);
	for (i = 0; i < a->npos; i++) {
		if (!pidfdctl_parse_pid(a->pos[i], &a->pids[i]))
			return pidfdctl_usage_error("'%s' is not a %s (a positive decimal number)",
						    a->pos[i], noun);
	}
	return 0;
}

/* --- JSON output ---------------------------------------------------------- */

static void pidfdctl_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The numbers of a "NSpid:\t1\t2" value as a JSON array. */
static void pidfdctl_json_numlist(const char *s)
{
	bool first = true;

	putchar('[');
	while (*s) {
		char *end;
		long v;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		v = strtol(s, &end, 10);
		if (end == s)
			break;
		printf("%s%ld", first ? "" : ",", v);
		first = false;
		s = end;
	}
	putchar(']');
}

/* --- Shared steps ----------------------------------------------------------- */

/* The --ns file, opened once: -2 before, -1 when none was given. */
static int pidfdctl_nsfd = -2;

/* Sets *@nsfd to the --ns file (or -1); -1 after printing why not. */
static int pidfdctl_get_nsfd(struct pidfdctl_args *a, int *nsfd)
{
	if (pidfdctl_nsfd == -2 && a->ns) {
		int fd = open(a->ns, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			pidfdctl_error(CALL_NSFILE, errno, "open(--ns %s)",
				       a->ns);
			return -1;
		}
		pidfdctl_nsfd = fd;
	} else if (pidfdctl_nsfd == -2) {
		pidfdctl_nsfd = -1;
	}
	*nsfd = pidfdctl_nsfd;
	return 0;
}

/*
 * The pidfd of target @i: the --fd given, or one opened by PID (in --ns).
 * Returns the fd, or -1 after printing why.
 */
static int pidfdctl_get_pidfd(struct pidfdctl_args *a, int i)
{
	unsigned int flags = a->thread ? PIDFD_MOD_THREAD : 0;
	pid_t pid = a->pids[i];
	char what[128];
	int fd, nsfd;

	if (a->nfds) {
		if (fcntl(a->fds[i], F_GETFD) < 0) {
			pidfdctl_error(CALL_FD, errno, "--fd %d", a->fds[i]);
			return -1;
		}
		return a->fds[i];
	}
	if (pidfdctl_get_nsfd(a, &nsfd) < 0)
		return -1;
	fd = pidfd_mod_open(pid, nsfd, flags);
	if (fd < 0) {
		if (a->ns)
			snprintf(what, sizeof(what),
				 "PIDFD_MOD_IOC_OPEN(pid %d, ns %s%s)", pid,
				 a->ns, a->thread ? ", THREAD" : "");
		else
			snprintf(what, sizeof(what),
				 "PIDFD_MOD_IOC_OPEN(pid %d%s)", pid,
				 a->thread ? ", THREAD" : "");
		pidfdctl_ioctl_error(a->ns ? CALL_OPEN_NS : CALL_OPEN, what);
	}
	return fd;
}

/* The label of target @i for messages: "pid 7" or "fd 3". */
static const char *pidfdctl_label(struct pidfdctl_args *a, int i)
{
	static char buf[32];

	if (a->nfds)
		snprintf(buf, sizeof(buf), "fd %d", a->fds[i]);
	else
		snprintf(buf, sizeof(buf), "pid %d", a->pids[i]);
	return buf;
}

/* The value of "Key:" in a /proc-style file of lines, or NULL. */
static char *pidfdctl_field(const char *text, const char *key, char *buf,
			    size_t len)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			const char *v = p + klen + 1, *end;
			size_t n;

			while (*v == ' ' || *v == '\t')
				v++;
			end = strchr(v, '\n');
			n = end ? (size_t)(end - v) : strlen(v);
			if (n >= len)
				n = len - 1;
			memcpy(buf, v, n);
			buf[n] = 0;
			return buf;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* Read a small file (relative to @dirfd) whole, NUL-terminated. */
static int pidfdctl_read_file(int dirfd, const char *path, char *buf,
			      size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (off < len - 1) {
		n = read(fd, buf + off, len - 1 - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		off += n;
	}
	buf[off] = 0;
	close(fd);
	return 0;
}

/*
 * Run @argv with @fd as fd 3 (close-on-exec cleared).  Does not return:
 * the exit status is the command's, or 126/127 when it cannot be run.
 */
static int pidfdctl_exec(struct pidfdctl_args *a, int fd, int cwdfd)
{
	char num[16];

	if (cwdfd >= 0 && fchdir(cwdfd) < 0) {
		pidfdctl_error(CALL_OTHER, errno, "fchdir(the process directory)");
		return PIDFDCTL_EXIT_FAIL;
	}
	if (fd != PIDFDCTL_CHILD_FD) {
		if (dup2(fd, PIDFDCTL_CHILD_FD) < 0) {
			pidfdctl_error(CALL_OTHER, errno, "dup2(%d, %d)", fd,
				       PIDFDCTL_CHILD_FD);
			return PIDFDCTL_EXIT_FAIL;
		}
		close(fd);
	} else if (fcntl(fd, F_SETFD, 0) < 0) {
		pidfdctl_error(CALL_OTHER, errno, "fcntl(%d, F_SETFD, 0)", fd);
		return PIDFDCTL_EXIT_FAIL;
	}
	snprintf(num, sizeof(num), "%d", PIDFDCTL_CHILD_FD);
	setenv(a->cmd->name[0] == 'p' ? "PIDFDCTL_PROCFD" : "PIDFDCTL_PIDFD",
	       num, 1);
	fflush(NULL);
	execvp(a->exec_argv[0], a->exec_argv);
	pidfdctl_error(CALL_OTHER, errno, "execvp(%s)", a->exec_argv[0]);
	return errno == ENOENT ? PIDFDCTL_EXIT_NOTFOUND : PIDFDCTL_EXIT_NOEXEC;
}

/* --- open ----------------------------------------------------------------- */

static int pidfdctl_open(struct pidfdctl_args *a)
{
	char fdinfo[64], info[512], pidv[64], nspid[256];
	int fd;

	fd = pidfdctl_get_pidfd(a, 0);
	if (fd < 0)
		return PIDFDCTL_EXIT_FAIL;
	if (pidfdctl_nsfd >= 0)
		close(pidfdctl_nsfd);
	if (a->exec_argv)
		return pidfdctl_exec(a, fd, -1);

	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	if (pidfdctl_read_file(AT_FDCWD, fdinfo, info, sizeof(info)) < 0) {
		pidfdctl_error(CALL_OTHER, errno, "read(%s)", fdinfo);
		return PIDFDCTL_EXIT_FAIL;
	}
	if (!pidfdctl_field(info, "Pid", pidv, sizeof(pidv)))
		strcpy(pidv, "?");
	if (!pidfdctl_field(info, "NSpid", nspid, sizeof(nspid)))
		strcpy(nspid, pidv);

	if (a->json) {
		printf("{\"pidfd\":%d,\"pid\":%d,\"ns\":", fd, a->pids[0]);
		if (a->ns)
			pidfdctl_json_str(a->ns);
		else
			fputs("null", stdout);
		printf(",\"thread\":%s,\"Pid\":%s,\"NSpid\":",
		       a->thread ? "true" : "false", pidv);
		pidfdctl_json_numlist(nspid);
		printf("}\n");
	} else {
		printf("pidfd: %d\n", fd);
		printf("%s: %d%s%s\n", a->thread ? "tid" : "pid", a->pids[0],
		       a->ns ? " in " : "", a->ns ? a->ns : "");
		printf("Pid: %s\n", pidv);
		printf("NSpid: %s\n", nspid);
	}
	return 0;
}

/* --- kill ------------------------------------------------------------------ */

static int pidfdctl_kill(struct pidfdctl_args *a)
{
	const char *scope = a->scopename ? a->scopename :
			    a->thread ? "thread" : "group";
	char signame[32], what[160];
	int fd;

	fd = pidfdctl_get_pidfd(a, 0);
	if (fd < 0)
		return PIDFDCTL_EXIT_FAIL;
	pidfdctl_signal_name(a->sig, signame, sizeof(signame));
	if (pidfd_mod_send_signal(fd, a->sig, NULL, a->scope) < 0) {
		snprintf(what, sizeof(what),
			 "PIDFD_MOD_IOC_SEND_SIGNAL(%s, %s, scope %s)",
			 pidfdctl_label(a, 0), signame, scope);
		pidfdctl_ioctl_error(a->scope == PIDFD_MOD_SIGNAL_PROCESS_GROUP ?
				     CALL_SIGNAL_PGRP : CALL_SIGNAL, what);
		return PIDFDCTL_EXIT_FAIL;
	}
	if (a->json) {
		if (a->nfds)
			printf("{\"fd\":%d,\"signal\":", a->fds[0]);
		else
			printf("{\"pid\":%d,\"signal\":", a->pids[0]);
		pidfdctl_json_str(signame);
		printf(",\"signo\":%d,\"scope\":\"%s\",\"sent\":true}\n",
		       a->sig, scope);
	} else {
		printf("sent %s to %s%s%s (scope %s)\n", signame,
		       pidfdctl_label(a, 0), a->ns ? " in " : "",
		       a->ns ? a->ns : "", scope);
	}
	return 0;
}

/* --- proc ------------------------------------------------------------------ */

static int pidfdctl_proc(struct pidfdctl_args *a)
{
	static const char *const keys[] = { "Name", "State", "Tgid", "Pid",
					    "PPid", NULL };
	char link[64], path[PATH_MAX], status[4096], val[256], what[160];
	int fd, root, dir, i;
	ssize_t n;

	fd = pidfdctl_get_pidfd(a, 0);
	if (fd < 0)
		return PIDFDCTL_EXIT_FAIL;
	root = open(a->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		pidfdctl_error(CALL_PROCROOT, errno, "open(--proc-root %s)",
			       a->proc_root);
		return PIDFDCTL_EXIT_FAIL;
	}
	dir = pidfd_mod_procfd_open(root, fd, 0);
	if (dir < 0) {
		snprintf(what, sizeof(what), "PIDFD_MOD_IOC_PROCFD(%s, %s)",
			 pidfdctl_label(a, 0), a->proc_root);
		pidfdctl_ioctl_error(CALL_PROCFD, what);
		return PIDFDCTL_EXIT_FAIL;
	}
	close(root);
	if (a->exec_argv)
		return pidfdctl_exec(a, dir, dir);

	snprintf(link, sizeof(link), "/proc/self/fd/%d", dir);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0) {
		pidfdctl_error(CALL_OTHER, errno, "readlink(%s)", link);
		return PIDFDCTL_EXIT_FAIL;
	}
	path[n] = 0;
	if (pidfdctl_read_file(dir, "status", status, sizeof(status)) < 0) {
		pidfdctl_error(CALL_OTHER, errno, "read(%s/status)", path);
		return PIDFDCTL_EXIT_FAIL;
	}

	if (a->json) {
		printf("{\"path\":");
		pidfdctl_json_str(path);
		printf(",\"status\":{");
		for (i = 0; keys[i]; i++) {
			if (!pidfdctl_field(status, keys[i], val, sizeof(val)))
				continue;
			printf("%s\"%s\":", i ? "," : "", keys[i]);
			if (i >= 2)
				printf("%s", val);
			else
				pidfdctl_json_str(val);
		}
		printf("}}\n");
	} else {
		printf("path: %s\n", path);
		for (i = 0; keys[i]; i++)
			if (pidfdctl_field(status, keys[i], val, sizeof(val)))
				printf("%s: %s\n", keys[i], val);
	}
	return 0;
}

/* --- exit statuses ---------------------------------------------------------- */

/* The wait(2) status @st in words: "exit code 3", "killed by SIGTERM". */
static void pidfdctl_status_text(int st, char *buf, size_t len)
{
	const char *sig;

	if (WIFEXITED(st)) {
		snprintf(buf, len, "exit code %d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		sig = sigabbrev_np(WTERMSIG(st));
		if (sig)
			snprintf(buf, len, "killed by SIG%s%s", sig,
				 WCOREDUMP(st) ? " (core dumped)" : "");
		else
			snprintf(buf, len, "killed by signal %d%s",
				 WTERMSIG(st),
				 WCOREDUMP(st) ? " (core dumped)" : "");
	} else {
		snprintf(buf, len, "status %#x", st);
	}
}

/* {"status":S,"code":C|null,"signal":"NAME"|null,"core":B} */
static void pidfdctl_status_json(int st)
{
	const char *sig;

	printf("{\"status\":%d,\"code\":", st);
	if (WIFEXITED(st)) {
		printf("%d,\"signal\":null,\"core\":false}", WEXITSTATUS(st));
		return;
	}
	printf("null,\"signal\":");
	sig = WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : NULL;
	if (sig)
		pidfdctl_json_str(sig);
	else
		fputs("null", stdout);
	printf(",\"core\":%s}",
	       WIFSIGNALED(st) && WCOREDUMP(st) ? "true" : "false");
}

/*
 * The exit status of the process (thread) of pidfd @fd, which has exited:
 * 0 if known.  A child's is known from the zombie state on; anyone else's
 * from the reap (before it, only the parent may read it), so wait for its
 * parent to reap it, up to 2 s.
 */
static int pidfdctl_exit_status(int fd, int *st)
{
	struct pidfd_mod_info i;
	int tries;

	for (tries = 0; tries < 200; tries++) {
		if (pidfd_mod_info(fd, -1, &i) < 0)
			return -1;
		if (i.valid & PIDFD_MOD_INFO_EXIT) {
			*st = i.exit_code;
			return 0;
		}
		usleep(10000);
	}
	return -1;
}

/* --- wait ------------------------------------------------------------------ */

static long long pidfdctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void pidfdctl_json_targets(struct pidfdctl_args *a, const bool *pick,
				  bool want, int n)
{
	bool first = true;
	int i;

	putchar('[');
	for (i = 0; i < n; i++) {
		if (pick[i] != want)
			continue;
		if (a->nfds)
			printf("%s%d", first ? "" : ",", a->fds[i]);
		else
			printf("%s%d", first ? "" : ",", a->pids[i]);
		first = false;
	}
	putchar(']');
}

static int pidfdctl_wait(struct pidfdctl_args *a)
{
	int n = a->nfds ? a->nfds : a->npos;
	struct pollfd pfd[PIDFDCTL_MAX_TARGETS];
	bool exited[PIDFDCTL_MAX_TARGETS] = { false };
	bool known[PIDFDCTL_MAX_TARGETS] = { false };
	int status[PIDFDCTL_MAX_TARGETS], fds[PIDFDCTL_MAX_TARGETS], nknown;
	long long deadline = -1;
	int i, left = n, done = 0;

	for (i = 0; i < n; i++) {
		pfd[i].fd = pidfdctl_get_pidfd(a, i);
		if (pfd[i].fd < 0)
			return PIDFDCTL_EXIT_WAIT_FAIL;
		fds[i] = pfd[i].fd;
		pfd[i].events = POLLIN;
	}
	if (a->timeout_ms >= 0)
		deadline = pidfdctl_now_ms() + a->timeout_ms;

	for (;;) {
		int wait_ms = -1, rc;

		if (deadline >= 0) {
			long long rest = deadline - pidfdctl_now_ms();

			wait_ms = rest > 0 ? (int)rest : 0;
		}
		rc = poll(pfd, n, wait_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			pidfdctl_error(CALL_OTHER, errno, "poll(%d pidfds)", n);
			return PIDFDCTL_EXIT_WAIT_FAIL;
		}
		for (i = 0; i < n; i++) {
			if (exited[i] || !pfd[i].revents)
				continue;
			if (pfd[i].revents & (POLLERR | POLLNVAL)) {
				pidfdctl_error(CALL_OTHER, EBADF,
					       "poll(%s): revents 0x%x",
					       pidfdctl_label(a, i),
					       pfd[i].revents);
				return PIDFDCTL_EXIT_WAIT_FAIL;
			}
			exited[i] = true;
			pfd[i].fd = -1;	/* poll ignores it from now on */
			left--;
			done++;
			known[i] = !pidfdctl_exit_status(fds[i], &status[i]);
			if (a->json)
				continue;
			if (known[i]) {
				char st[64];

				pidfdctl_status_text(status[i], st, sizeof(st));
				printf("%s exited (%s)\n", pidfdctl_label(a, i),
				       st);
			} else {
				printf("%s exited\n", pidfdctl_label(a, i));
			}
		}
		if (left == 0 || (a->any && done > 0) || rc == 0)
			break;
	}
	fflush(stdout);

	if (a->json) {
		printf("{\"exited\":");
		pidfdctl_json_targets(a, exited, true, n);
		printf(",\"running\":");
		pidfdctl_json_targets(a, exited, false, n);
		printf(",\"exits\":[");
		for (i = 0, nknown = 0; i < n; i++) {
			if (!known[i])
				continue;
			printf("%s{\"target\":%d,\"exit\":", nknown++ ? "," : "",
			       a->nfds ? a->fds[i] : a->pids[i]);
			pidfdctl_status_json(status[i]);
			putchar('}');
		}
		putchar(']');
		printf(",\"by\":\"%s\",\"timed_out\":%s}\n",
		       a->nfds ? "fd" : "pid",
		       (left && !(a->any && done)) ? "true" : "false");
	} else if (left && !(a->any && done)) {
		for (i = 0; i < n; i++)
			if (!exited[i])
				printf("%s still running\n",
				       pidfdctl_label(a, i));
		fflush(stdout);
		fprintf(stderr, "%s: wait: timed out after %lld.%03llds\n",
			pidfdctl_prog, a->timeout_ms / 1000,
			a->timeout_ms % 1000);
	}
	if (left == 0 || (a->any && done))
		return 0;
	return PIDFDCTL_EXIT_TIMEOUT;
}

/* --- info ------------------------------------------------------------------ */

static const char *pidfdctl_state_name(__u32 state)
{
	switch (state) {
	case PIDFD_MOD_STATE_ALIVE:
		return "alive";
	case PIDFD_MOD_STATE_ZOMBIE:
		return "zombie";
	case PIDFD_MOD_STATE_REAPED:
		return "reaped";
	}
	return "unknown";
}

/*
 * PIDFD_GET_INFO on @fd; a native pidfd of a kernel without it (before
 * 6.13) answers ENOTTY, so ask a pidfd of the module for the same process.
 */
static int pidfdctl_get_info(int fd, struct pidfd_info *gi)
{
	int mfd, ret;

	if (!pidfd_mod_get_info(fd, 0, gi))
		return 0;
	if (errno != ENOTTY)
		return -1;
	mfd = pidfd_mod_import(fd, 0);
	if (mfd < 0)
		return -1;
	ret = pidfd_mod_get_info(mfd, 0, gi);
	close(mfd);
	return ret;
}

/* "r e s fs" ids as the Uid:/Gid: lines of /proc/PID/status, or JSON. */
static void pidfdctl_print_ids(bool json, const char *key, __u32 r, __u32 e,
			       __u32 s, __u32 fs)
{
	if (json)
		printf(",\"%s\":[%u,%u,%u,%u]", key, r, e, s, fs);
	else
		printf("%s: %u\t%u\t%u\t%u\n", key, r, e, s, fs);
}

static int pidfdctl_info(struct pidfdctl_args *a)
{
	struct pidfd_mod_info i;
	struct pidfd_info gi;
	bool creds = true, thread;
	char what[160];
	unsigned int k;
	int fd, nsfd;

	fd = pidfdctl_get_pidfd(a, 0);
	if (fd < 0 || pidfdctl_get_nsfd(a, &nsfd) < 0)
		return PIDFDCTL_EXIT_FAIL;
	thread = fcntl(fd, F_GETFL) & PIDFD_MOD_THREAD;
	if (pidfd_mod_info(fd, nsfd, &i) < 0) {
		snprintf(what, sizeof(what), "PIDFD_MOD_IOC_INFO(%s%s%s)",
			 pidfdctl_label(a, 0), a->ns ? ", ns " : "",
			 a->ns ? a->ns : "");
		pidfdctl_ioctl_error(CALL_INFO, what);
		return PIDFDCTL_EXIT_FAIL;
	}
	/*
	 * Credentials, as you see them: none for a process you cannot see,
	 * nor for one that has been reaped.
	 */
	if (i.state == PIDFD_MOD_STATE_REAPED) {
		creds = false;
	} else if (pidfdctl_get_info(fd, &gi) < 0) {
		if (errno != EREMOTE) {
			snprintf(what, sizeof(what), "PIDFD_GET_INFO(%s)",
				 pidfdctl_label(a, 0));
			pidfdctl_error(CALL_GET_INFO, errno, "%s", what);
			return PIDFDCTL_EXIT_FAIL;
		}
		creds = false;
	}

	if (a->json) {
		printf("{\"pid\":%d,\"tgid\":%d,\"ppid\":%d,\"pgid\":%d,\"sid\":%d,\"state\":\"%s\",\"NSpid\":[",
		       i.pid, i.tgid, i.ppid, i.pgid, i.sid,
		       pidfdctl_state_name(i.state));
		for (k = 0; k < i.nspid_count; k++)
			printf("%s%d", k ? "," : "", i.nspid[k]);
		printf("],\"ns\":");
		if (a->ns)
			pidfdctl_json_str(a->ns);
		else
			fputs("null", stdout);
		printf(",\"thread\":%s", thread ? "true" : "false");
		if (creds) {
			pidfdctl_print_ids(true, "uid", gi.ruid, gi.euid,
					   gi.suid, gi.fsuid);
			pidfdctl_print_ids(true, "gid", gi.rgid, gi.egid,
					   gi.sgid, gi.fsgid);
		} else {
			printf(",\"uid\":null,\"gid\":null");
		}
		if (creds && (gi.mask & PIDFD_INFO_CGROUPID))
			printf(",\"cgroupid\":%llu",
			       (unsigned long long)gi.cgroupid);
		else
			printf(",\"cgroupid\":null");
		printf(",\"id\":%llu,\"exit\":", (unsigned long long)i.id);
		if (i.valid & PIDFD_MOD_INFO_EXIT)
			pidfdctl_status_json(i.exit_code);
		else
			fputs("null", stdout);
		printf("}\n");
		return 0;
	}

	if (i.state == PIDFD_MOD_STATE_REAPED) {
		char st[64];

		pidfdctl_status_text(i.exit_code, st, sizeof(st));
		printf("state: reaped\nexit: %s\nid: %llu\n", st,
		       (unsigned long long)i.id);
		return 0;
	}

	if (a->ns)
		printf("ns: %s\n", a->ns);
	printf("%s: %d\n", thread ? "tid" : "pid", i.pid);
	printf("tgid: %d\nppid: %d\npgid: %d\nsid: %d\nstate: %s\nNSpid:",
	       i.tgid, i.ppid, i.pgid, i.sid, pidfdctl_state_name(i.state));
	for (k = 0; k < i.nspid_count; k++)
		printf("%s%d", k ? "\t" : " ", i.nspid[k]);
	printf("\n");
	if (creds) {
		pidfdctl_print_ids(false, "uid", gi.ruid, gi.euid, gi.suid,
				   gi.fsuid);
		pidfdctl_print_ids(false, "gid", gi.rgid, gi.egid, gi.sgid,
				   gi.fsgid);
		if (gi.mask & PIDFD_INFO_CGROUPID)
			printf("cgroupid: %llu\n",
			       (unsigned long long)gi.cgroupid);
	}
	printf("id: %llu\n", (unsigned long long)i.id);
	if (i.valid & PIDFD_MOD_INFO_EXIT) {
		char st[64];

		pidfdctl_status_text(i.exit_code, st, sizeof(st));
		printf("exit: %s\n", st);
	}
	return 0;
}

/* --- translate ------------------------------------------------------------- */

/* Open the namespace file of --@opt, or give -1 for none. */
static int pidfdctl_open_nsfile(const char *opt, const char *file, int *fd)
{
	*fd = -1;
	if (!file)
		return 0;
	*fd = open(file, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		pidfdctl_error(CALL_NSFILE, errno, "open(--%s %s)", opt, file);
		return -1;
	}
	return 0;
}

static int pidfdctl_translate(struct pidfdctl_args *a)
{
	unsigned int flags = a->tgid ? PIDFD_MOD_TRANSLATE_TGID : 0;
	const char *own = "your pid namespace";
	int from, to;
	char what[PATH_MAX * 2 + 64];
	pid_t nr;

	if (pidfdctl_open_nsfile("from", a->from, &from) < 0 ||
	    pidfdctl_open_nsfile("to", a->to, &to) < 0)
		return PIDFDCTL_EXIT_FAIL;
	nr = pidfd_mod_translate(a->pids[0], from, to, flags);
	if (nr < 0) {
		snprintf(what, sizeof(what),
			 "PIDFD_MOD_IOC_TRANSLATE(%d, from %s, to %s%s)",
			 a->pids[0], a->from ? a->from : "yours",
			 a->to ? a->to : "yours", a->tgid ? ", TGID" : "");
		pidfdctl_ioctl_error(a->tgid ? CALL_TRANSLATE_TGID :
				     CALL_TRANSLATE, what);
		return PIDFDCTL_EXIT_FAIL;
	}

	if (a->json) {
		printf("{\"number\":%d,\"from\":", a->pids[0]);
		if (a->from)
			pidfdctl_json_str(a->from);
		else
			fputs("null", stdout);
		printf(",\"to\":");
		if (a->to)
			pidfdctl_json_str(a->to);
		else
			fputs("null", stdout);
		printf(",\"tgid\":%s,\"result\":%d}\n",
		       a->tgid ? "true" : "false", nr);
	} else {
		printf("number: %d\nfrom: %s\nto: %s\n%s: %d\n", a->pids[0],
		       a->from ? a->from : own, a->to ? a->to : own,
		       a->tgid ? "tgid" : "pid", nr);
	}
	return 0;
}

/* --- features ---------------------------------------------------------------- */

struct pidfdctl_bit {
	uint64_t mask;
	const char *name;
};

static const struct pidfdctl_bit pidfdctl_cmd_bits[] = {
	{ 1ULL << PIDFD_MOD_CMD_FEATURES, "FEATURES" },
	{ 1ULL << PIDFD_MOD_CMD_OPEN, "OPEN" },
	{ 1ULL << PIDFD_MOD_CMD_PROCFD, "PROCFD" },
	{ 1ULL << PIDFD_MOD_CMD_SEND_SIGNAL, "SEND_SIGNAL" },
	{ 1ULL << PIDFD_MOD_CMD_INFO, "INFO" },
	{ 1ULL << PIDFD_MOD_CMD_TRANSLATE, "TRANSLATE" },
	{ 1ULL << PIDFD_MOD_CMD_OPEN_ID, "OPEN_ID" },
	{ 1ULL << PIDFD_MOD_CMD_IMPORT, "IMPORT" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_accept_bits[] = {
	{ PIDFD_MOD_ACCEPT_MODULE, "MODULE" },
	{ PIDFD_MOD_ACCEPT_NATIVE, "NATIVE" },
	{ PIDFD_MOD_ACCEPT_PROC_DIR, "PROC_DIR" },
	{ PIDFD_MOD_ACCEPT_SELF, "SELF" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_open_bits[] = {
	{ PIDFD_MOD_NONBLOCK, "NONBLOCK" },
	{ PIDFD_MOD_THREAD, "THREAD" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_signal_bits[] = {
	{ PIDFD_MOD_SIGNAL_THREAD, "SIGNAL_THREAD" },
	{ PIDFD_MOD_SIGNAL_THREAD_GROUP, "SIGNAL_THREAD_GROUP" },
	{ PIDFD_MOD_SIGNAL_PROCESS_GROUP, "SIGNAL_PROCESS_GROUP" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_setting_bits[] = {
	{ PIDFD_MOD_SETTING_UNCHECKED_SIGNALS, "UNCHECKED_SIGNALS" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_no_bits[] = {
	{ 0, NULL }
};

/*
 * "label: 0xMASK NAME NAME ..." (bits without a name print as hex), or with
 * --json ",\"label\":{\"mask\":N,\"names\":[...]}".
 */
static void pidfdctl_print_mask(bool json, const char *label, uint64_t mask,
				const struct pidfdctl_bit *bits)
{
	uint64_t rest = mask;
	bool first = true;

	if (json)
		printf(",\"%s\":{\"mask\":%" PRIu64 ",\"names\":[", label, mask);
	else
		printf("%s: 0x%" PRIx64, label, mask);
	for (; bits->name; bits++) {
		if (mask & bits->mask) {
			if (json)
				printf("%s\"%s\"", first ? "" : ",", bits->name);
			else
				printf(" %s", bits->name);
			first = false;
			rest &= ~bits->mask;
		}
	}
	if (json) {
		printf("]}");
		return;
	}
	if (rest && rest != mask)
		printf(" 0x%" PRIx64, rest);
	printf("\n");
}

static int pidfdctl_features(struct pidfdctl_args *a)
{
	struct pidfd_mod_features f;

	if (pidfd_mod_features(&f) < 0) {
		pidfdctl_ioctl_error(CALL_OTHER, "PIDFD_MOD_IOC_FEATURES");
		return PIDFDCTL_EXIT_FAIL;
	}

	if (a->json)
		printf("{\"device\":\"%s\",\"size\":%" PRIu32
		       ",\"abi_version\":%" PRIu32,
		       PIDFD_MOD_DEVICE, f.size, f.abi_version);
	else
		printf("device: %s\nsize: %" PRIu32 "\nabi_version: %" PRIu32 "\n",
		       PIDFD_MOD_DEVICE, f.size, f.abi_version);
	pidfdctl_print_mask(a->json, "commands", f.cmds, pidfdctl_cmd_bits);
	pidfdctl_print_mask(a->json, "open_flags", f.open_flags,
			    pidfdctl_open_bits);
	pidfdctl_print_mask(a->json, "procfd_flags", f.procfd_flags,
			    pidfdctl_no_bits);
	pidfdctl_print_mask(a->json, "send_signal_flags", f.send_signal_flags,
			    pidfdctl_signal_bits);
	pidfdctl_print_mask(a->json, "settings", f.settings,
			    pidfdctl_setting_bits);
	pidfdctl_print_mask(a->json, "accepts", f.accepts,
			    pidfdctl_accept_bits);
	if (a->json)
		printf("}\n");
	return 0;
}

/* --- The table and main ------------------------------------------------------ */

static const struct pidfdctl_cmd pidfdctl_cmds[] = {
	{ "open", "PID [--ns FILE] [--thread] [-- CMD [ARG]...]",
	  "open a pidfd for PID and print what it refers to, or run CMD with it as fd 3",
	  OPT_NS | OPT_THREAD, 1, 1, true,
	  "Opens a pidfd for PID, looked up in the pid namespace of --ns FILE\n"
	  "(default: yours), and prints its fd number and the Pid: and NSpid:\n"
	  "lines of its fdinfo: the number in your namespace, then in each\n"
	  "namespace below.  A pidfd lives only as long as the process holding\n"
	  "it, so with '-- CMD' pidfdctl instead runs CMD with the pidfd as fd 3\n"
	  "(close-on-exec cleared, $PIDFDCTL_PIDFD=3); use it with --fd 3:\n"
	  "    pidfdctl open 42 -- sh -c 'pidfdctl kill --fd 3'\n"
	  "Exit status: 0, 1 when the pidfd cannot be opened, 2 bad usage;\n"
	  "with CMD, CMD's status (126/127 when it cannot be run).",
	  pidfdctl_open, false },
	{ "kill", "PID|--fd N [--ns FILE] [--thread] [--signal SIG] [--scope SCOPE]",
	  "send a signal through a pidfd: it never hits a recycled pid",
	  OPT_NS | OPT_THREAD | OPT_FD | OPT_SIGNAL | OPT_SCOPE, 1, 1, false,
	  "Opens a pidfd for PID (or takes --fd N) and sends SIG through it.\n"
	  "Once a pidfd is open the signal can only reach that process: if it\n"
	  "has exited, the call fails with ESRCH even when its number has been\n"
	  "given to another process.\n"
	  "Exit status: 0 sent, 1 not sent, 2 bad usage.",
	  pidfdctl_kill, false },
	{ "proc", "PID|--fd N [--ns FILE] [--thread] [--proc-root DIR] [-- CMD [ARG]...]",
	  "open the process's /proc directory race-free and print its status",
	  OPT_NS | OPT_THREAD | OPT_FD | OPT_PROC_ROOT, 1, 1, true,
	  "Translates the pidfd into its directory in the procfs mounted at DIR\n"
	  "(default /proc), numbered in that procfs's pid namespace; prints the\n"
	  "directory's path and the Name, State, Tgid, Pid and PPid lines of\n"
	  "'status' read through it.  A process that has been reaped is refused\n"
	  "(ESRCH) even if its number now belongs to another.  With '-- CMD',\n"
	  "runs CMD in that directory with its fd as fd 3 ($PIDFDCTL_PROCFD=3):\n"
	  "    pidfdctl proc 42 -- cat status\n"
	  "Exit status: 0, 1 failed, 2 bad usage; with CMD, CMD's status.",
	  pidfdctl_proc, false },
	{ "wait", "PID...|--fd N... [--ns FILE] [--thread] [--timeout SECONDS] [--any|--all]",
	  "wait for processes to exit, children or not (poll on pidfds)",
	  OPT_NS | OPT_THREAD | OPT_FD | OPT_TIMEOUT | OPT_ANY | OPT_ALL,
	  1, PIDFDCTL_MAX_TARGETS, false,
	  "Opens a pidfd for each PID (or takes each --fd N) and polls them\n"
	  "until all (--all, the default) or one (--any) of the processes have\n"
	  "exited, printing 'pid N exited (STATUS)' for each as it does, with\n"
	  "the status its parent gets: 'exit code C' or 'killed by SIGNAME'.\n"
	  "They need not be children of pidfdctl; nothing is reaped.\n"
	  "Exit status: 0 they exited, 1 the timeout expired first (the ones\n"
	  "still running are printed), 2 bad usage, 3 an operation failed (a\n"
	  "PID has no process: it exited before pidfdctl could open it).",
	  pidfdctl_wait, false },
	{ "info", "PID|--fd N [--ns FILE] [--thread]",
	  "show what a pidfd refers to: numbers, state, credentials, id, exit",
	  OPT_NS | OPT_THREAD | OPT_FD, 1, 1, false,
	  "Opens a pidfd for PID (or takes --fd N) and prints its pid (tid for\n"
	  "a thread fd), thread group, parent, process group and session ids as\n"
	  "seen in the pid namespace of --ns FILE (default: yours; 0 where not\n"
	  "visible there), its state (alive, or zombie: exited, not reaped),\n"
	  "its numbers from that namespace down (NSpid), and, unless it is\n"
	  "outside your pid namespace hierarchy, its real, effective, saved and\n"
	  "filesystem uids and gids as seen in your user namespace and its\n"
	  "cgroup id; its id (never another process's) and, once it has exited,\n"
	  "its exit status.  With --fd, --ns names only the namespace to number\n"
	  "it in.  Of a process reaped while --fd N was held: state, exit, id.\n"
	  "Exit status: 0, 1 failed, 2 bad usage.",
	  pidfdctl_info, true },
	{ "translate", "NUM [--from FILE] [--to FILE] [--tgid]",
	  "translate a pid number from one pid namespace to another",
	  OPT_FROM | OPT_TO | OPT_TGID, 1, 1, false,
	  "Prints the number that NUM, a pid in the pid namespace of --from FILE,\n"
	  "has in the pid namespace of --to FILE (either default: yours; both\n"
	  "must be yours or descendants of it).  NUM may be a process's or a\n"
	  "thread's id, or that of a process group or session; with --tgid it\n"
	  "must be a thread's, and the id of its thread group is given.\n"
	  "    pidfdctl translate 1 --from /proc/4242/ns/pid\n"
	  "Exit status: 0, 1 failed (ESRCH: no such number in the source;\n"
	  "ENOENT: not visible in the target), 2 bad usage.",
	  pidfdctl_translate, false },
	{ "features", "",
	  "print the ABI version, commands and flags the module supports",
	  0, 0, 0, false,
	  "Asks /dev/pidfd what this build of the module supports.\n"
	  "Exit status: 0, 1 the device cannot be used, 2 bad usage.",
	  pidfdctl_features, false },
};

static const size_t pidfdctl_ncmds =
	sizeof(pidfdctl_cmds) / sizeof(pidfdctl_cmds[0]);

static void pidfdctl_help(FILE *out)
{
	size_t i;

	fprintf(out, "usage: %s COMMAND [ARGS]\n\ncommands:\n", pidfdctl_prog);
	for (i = 0; i < pidfdctl_ncmds; i++)
		fprintf(out, "  %s%s%s\n      %s\n", pidfdctl_cmds[i].name,
			*pidfdctl_cmds[i].args ? " " : "",
			pidfdctl_cmds[i].args, pidfdctl_cmds[i].summary);
	fprintf(out,
		"\nEvery command takes --json (one single-line JSON object) and --help.\n"
		"'%s help COMMAND' or '%s COMMAND --help' describes one.\n"
		"\noptions:\n  -h, --help\n      show this help\n"
		"\nExit status: 0 success, 1 the operation failed (wait: timed out),\n"
		"2 bad usage, 3 wait: an operation failed.  See pidfdctl(1).\n",
		pidfdctl_prog, pidfdctl_prog);
}

static void pidfdctl_cmd_help(const struct pidfdctl_cmd *c, FILE *out)
{
	unsigned int allowed = c->opts | OPT_JSON | OPT_HELP;
	size_t i;

	fprintf(out, "usage: %s %s [--json]%s%s\n\n%s\n\noptions:\n",
		pidfdctl_prog, c->name, *c->args ? " " : "", c->args, c->help);
	for (i = 0; i < PIDFDCTL_NOPTS; i++) {
		const struct pidfdctl_opt *o = &pidfdctl_opts[i];
		const char *h;

		if (!(allowed & o->id))
			continue;
		fprintf(out, "  ");
		if (o->shortname)
			fprintf(out, "-%c, ", o->shortname);
		fprintf(out, "--%s%s%s\n", o->name, o->arg ? " " : "",
			o->arg ? o->arg : "");
		for (h = o->help; h;) {
			const char *nl = strchr(h, '\n');

			fprintf(out, "      %.*s\n",
				nl ? (int)(nl - h) : (int)strlen(h), h);
			h = nl ? nl + 1 : NULL;
		}
	}
}

static const struct pidfdctl_cmd *pidfdctl_find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < pidfdctl_ncmds; i++)
		if (!strcmp(name, pidfdctl_cmds[i].name))
			return &pidfdctl_cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct pidfdctl_cmd *c;
	struct pidfdctl_args a;
	int rc;

	if (argc < 2)
		return pidfdctl_usage_error("missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		if (argc > 2)
			return pidfdctl_usage_error("unexpected argument '%s'",
						    argv[2]);
		pidfdctl_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc == 2) {
			pidfdctl_help(stdout);
			return 0;
		}
		if (argc > 3)
			return pidfdctl_usage_error("help: unexpected argument '%s'",
						    argv[3]);
		c = pidfdctl_find_cmd(argv[2]);
		if (!c)
			return pidfdctl_usage_error("help: unknown command '%s'",
						    argv[2]);
		pidfdctl_cmd_help(c, stdout);
		return 0;
	}
	if (argv[1][0] == '-')
		return pidfdctl_usage_error("unknown option '%s'", argv[1]);
	c = pidfdctl_find_cmd(argv[1]);
	if (!c)
		return pidfdctl_usage_error("unknown command '%s'", argv[1]);

	pidfdctl_cmdname = c->name;
	rc = pidfdctl_parse(c, argc - 1, argv + 1, &a);
	if (rc)
		return rc;
	if (a.seen & OPT_HELP) {
		pidfdctl_cmd_help(c, stdout);
		return 0;
	}
	rc = c->fn(&a);
	if (fflush(stdout) != 0 && !rc) {
		pidfdctl_error(CALL_OTHER, errno, "write(stdout)");
		rc = PIDFDCTL_EXIT_FAIL;
	}
	return rc;
}
