// SPDX-License-Identifier: GPL-2.0
/*
 * PIDFD_MOD_IOC_SEND_SIGNAL under LSM policies, compared with the native
 * calls of the same meaning on the same kernel.  tests/signal.c and
 * tests/thread.c compare the two without any policy; here the caller is
 * confined, so a signal the kernel's own checks would refuse must not get
 * through the module.
 *
 * Policies (struct policy):
 *   AppArmor profiles, loaded with apparmor_parser and entered by writing
 *   "changeprofile NAME" to the caller's own attr file, each allowing some
 *   signals to unconfined processes and some (or none) to itself; one of
 *   them also for a caller of another uid than the target's, where kill(2)'s
 *   credential rule refuses first.  The stock kernels and the debug kernel
 *   have AppArmor, so its absence is a failure.
 *   Landlock signal scoping (LANDLOCK_SCOPE_SIGNAL, Linux 6.12): the caller
 *   in a new domain, the other target outside it.  Skipped before 6.12.
 *
 * One case per policy, scope and siginfo or not.  Scopes: flags 0 on a
 * process fd, flags 0 on a thread fd, PIDFD_MOD_SIGNAL_THREAD, _THREAD_GROUP
 * and _PROCESS_GROUP; with a siginfo, it is one with si_code SI_QUEUE, as
 * sigqueue(3) builds.  Each case sends 0, SIGCONT, SIGKILL, SIGTERM and
 * SIGRTMIN+1 to another process and to the caller itself, every call from a
 * fresh caller to a fresh target, through
 *   - the module,
 *   - the classic syscall: kill(2), tgkill(2), killpg(3) for the group,
 *     rt_sigqueueinfo(2) and rt_tgsigqueueinfo(2) with a siginfo (the
 *     process-group target is alone in its group, so rt_sigqueueinfo(2) to
 *     it means the same),
 *   - native pidfd_send_signal(2) with the same flags, where the kernel has
 *     them (thread fds and PIDFD_SIGNAL_* since Linux 6.9).
 * Targets count in shared memory what their handlers take (SIGCONT,
 * SIGRTMIN+1); SIGKILL and SIGTERM keep their default action, so taking
 * them is dying of them.
 *
 * What must hold, per signal and target, against each native call:
 *   1. where the native call fails, the module fails too, and the target
 *      did not get the signal (is alive, for SIGKILL and SIGTERM);
 *   2. where the module returns 0, the native call did;
 *   3. where the module sends through a call that runs kill(2)'s checks for
 *      the real signal (no siginfo and a thread-group or process-group
 *      scope, or signal 0), its result is the native one exactly;
 *   4. elsewhere the module returns the native result or EOPNOTSUPP, and
 *      EOPNOTSUPP only where kill(2)'s credential rule passes (it must come
 *      after the checks kill(2) makes before the LSM's);
 * and every call, native or not, returned 0 exactly when the target got the
 * signal.  Each violation is one "# MISMATCH" line naming the row.
 *
 * All of this is about the module's default, unchecked_signals off.  The
 * last case turns it on, which the README documents as bypassing the LSMs,
 * and requires the matrix to report the bypass: the proof that it can fail.
 *
 * Thousands of short-lived processes, each entering a profile: on the debug
 * kernel under a loaded host this program alone has taken over ten minutes.
 * time-limit: 600
 */
#include <sys/utsname.h>
#include <linux/types.h>

#include "util.h"

#define LSM_AA_PARSER	"/sbin/apparmor_parser"
#define LSM_SECFS	"/sys/kernel/security"
#define LSM_AA_PROFILES	LSM_SECFS "/apparmor/profiles"

/* The kernel's SIGRTMIN: glibc keeps the first real-time signals to itself. */
#define LSM_KERNEL_SIGRTMIN	32
/* Sent by the unconfined test to a target to flush what is queued for it. */
#define LSM_MARKER	SIGUSR2

/* Landlock's ABI 6, defined here for headers older than Linux 6.12. */
struct lsm_landlock_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net;
	__u64 scoped;
};

#define LSM_LANDLOCK_CREATE_RULESET_VERSION	(1U << 0)
#define LSM_LANDLOCK_SCOPE_SIGNAL		(1ULL << 1)
#define LSM_LANDLOCK_SIGNAL_ABI			6

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_restrict_self	446
#endif

/* The policies */

enum policy_kind {
	POL_APPARMOR,
	POL_LANDLOCK,
};

struct policy {
	const char *name;
	enum policy_kind kind;
	const char *profile;	/* AppArmor */
	uid_t uid;		/* the caller's; targets are root */
};

/*
 * The profiles, rtmin+N being the kernel's real-time signal N (SIGRTMIN+1
 * of glibc).  Each lets unconfined processes signal it, so that the test
 * can always end its callers.  Rules for a peer name the signals a profile
 * may send to such a peer; a profile that names no rule for its own peer
 * may not signal itself.
 */
static const char lsm_aa_text[] =
	"profile pidfd_mod_sig_some flags=(attach_disconnected) {\n"
	"  file,\n"
	"  capability,\n"
	"  signal (receive) peer=unconfined,\n"
	"  signal (send) set=(exists, cont, rtmin+%1$d) peer=unconfined,\n"
	"  signal (send, receive) peer=pidfd_mod_sig_some,\n"
	"}\n"
	"profile pidfd_mod_sig_noself flags=(attach_disconnected) {\n"
	"  file,\n"
	"  capability,\n"
	"  signal (receive) peer=unconfined,\n"
	"  signal (send) set=(exists, kill) peer=unconfined,\n"
	"}\n"
	"profile pidfd_mod_sig_noexists flags=(attach_disconnected) {\n"
	"  file,\n"
	"  capability,\n"
	"  signal (receive) peer=unconfined,\n"
	"  signal (send) set=(cont, kill, term, rtmin+%1$d) peer=unconfined,\n"
	"  signal (send, receive) set=(exists, cont, rtmin+%1$d) peer=pidfd_mod_sig_noexists,\n"
	"}\n";

static const char *const lsm_aa_names[] = {
	"pidfd_mod_sig_some",
	"pidfd_mod_sig_noself",
	"pidfd_mod_sig_noexists",
};

/* Signals to unconfined: 0, SIGCONT, SIGRTMIN+1.  To itself: all. */
static const struct policy pol_aa_some = {
	"aa_some", POL_APPARMOR, "pidfd_mod_sig_some", 0,
};

/* To unconfined: 0, SIGKILL.  To itself: none, not even 0. */
static const struct policy pol_aa_noself = {
	"aa_noself", POL_APPARMOR, "pidfd_mod_sig_noself", 0,
};

/*
 * To unconfined: all but 0, the one a signal-0 probe would be judged by.
 * To itself: 0, SIGCONT, SIGRTMIN+1.
 */
static const struct policy pol_aa_noexists = {
	"aa_noexists", POL_APPARMOR, "pidfd_mod_sig_noexists", 0,
};

/* aa_some for a caller of another uid: only SIGCONT passes kill(2)'s rule. */
static const struct policy pol_aa_some_uid = {
	"aa_some_uid", POL_APPARMOR, "pidfd_mod_sig_some", TEST_UID,
};

/* A Landlock domain scoped for signals: itself only. */
static const struct policy pol_landlock = {
	"landlock", POL_LANDLOCK, NULL, 0,
};

/* The scopes */

enum scope_kind {
	SK_GROUP,	/* kill(2) */
	SK_THREAD,	/* tgkill(2) */
	SK_PGRP,	/* killpg(3) */
};

struct scope {
	const char *name;
	enum scope_kind kind;
	int thread_fd;		/* the pidfds are thread fds */
	unsigned int flags;	/* module and native pidfd_send_signal() */
};

enum scope_id {
	SC_PROCFD,
	SC_THREADFD,
	SC_THREAD,
	SC_GROUP,
	SC_PGRP,
};

static const struct scope scopes[] = {
	[SC_PROCFD] = { "flags 0 on a process fd", SK_GROUP, 0, 0 },
	[SC_THREADFD] = { "flags 0 on a thread fd", SK_THREAD, 1, 0 },
	[SC_THREAD] = { "PIDFD_MOD_SIGNAL_THREAD", SK_THREAD, 0,
			PIDFD_MOD_SIGNAL_THREAD },
	[SC_GROUP] = { "PIDFD_MOD_SIGNAL_THREAD_GROUP", SK_GROUP, 0,
		       PIDFD_MOD_SIGNAL_THREAD_GROUP },
	[SC_PGRP] = { "PIDFD_MOD_SIGNAL_PROCESS_GROUP", SK_PGRP, 0,
		      PIDFD_MOD_SIGNAL_PROCESS_GROUP },
};

/* The calls compared */

enum impl {
	IM_MOD,
	IM_CLASSIC,
	IM_PIDFD,
	IM_NR,
};

/* One row of the matrix. */
struct row {
	const struct policy *pol;
	enum scope_id sc;
	int info;
	int sig;
	int self;
};

static const char *impl_name(const struct row *r, enum impl im)
{
	switch (im) {
	case IM_MOD:
		return "module";
	case IM_PIDFD:
		return "pidfd_send_signal";
	default:
		break;
	}
	switch (scopes[r->sc].kind) {
	case SK_THREAD:
		return r->info ? "rt_tgsigqueueinfo" : "tgkill";
	case SK_PGRP:
		return r->info ? "rt_sigqueueinfo" : "killpg";
	default:
		return r->info ? "rt_sigqueueinfo" : "kill";
	}
}

static const int lsm_sigs_fixed[] = { 0, SIGCONT, SIGKILL, SIGTERM };
#define LSM_NSIGS	5

/* SIGRTMIN is not a constant in glibc. */
static int lsm_sig(int i)
{
	return i < 4 ? lsm_sigs_fixed[i] : SIGRTMIN + 1;
}

static const char *sig_name(int sig)
{
	static char buf[16];

	switch (sig) {
	case 0:
		return "0";
	case SIGCONT:
		return "SIGCONT";
	case SIGKILL:
		return "SIGKILL";
	case SIGTERM:
		return "SIGTERM";
	default:
		if (sig == SIGRTMIN + 1)
			return "SIGRTMIN+1";
		snprintf(buf, sizeof(buf), "%d", sig);
		return buf;
	}
}

static const char *err_name(int err)
{
	static char buf[4][24];
	static int n;
	const char *s;

	if (!err)
		return "0";
	s = strerrorname_np(err);
	if (s)
		return s;
	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "errno %d", err);
	return buf[n];
}

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)
#define INC(x)		__atomic_add_fetch(&(x), 1, __ATOMIC_SEQ_CST)

/* Shared by the test, one target and one caller: one per call. */
struct lsm_shm {
	/* the target */
	int ready;
	int count[65];		/* handled, per signal */
	int gen;		/* returns from pause() */
	int marker_gen;		/* gen when the marker was handled */
	int marker_seen;
	/* the caller */
	int started;		/* about to call */
	int returned;		/* the call returned */
	int ret, err;
	char msg[256];		/* why the caller could not call */
};

/* What one call did. */
struct result {
	int err;	/* 0: returned 0 (or killed its caller), else errno */
	int delivered;	/* the target took the signal */
	int alive;	/* the target lives after the call */
	int other;	/* a signal the row did not send was handled */
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Whether the running kernel is at least @maj.@min. */
static int kernel_at_least(int maj, int min)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return 0;
	return a > maj || (a == maj && b >= min);
}

static const char *kernel_release(void)
{
	static struct utsname u;

	if (uname(&u))
		return "?";
	return u.release;
}

/* The whole of a small file, NUL-terminated; -1 if unreadable. */
static int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1 &&
	       (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return 0;
}

/* Whether the comma-separated @list has @word. */
static int list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	while (p && *p) {
		if (!strncmp(p, word, wl) &&
		    (p[wl] == ',' || p[wl] == '\n' || p[wl] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

/* The active LSMs, as the kernel lists them; fails the case if it cannot. */
static void lsm_active(char *buf, size_t len)
{
	if (read_text(LSM_SECFS "/lsm", buf, len))
		TH_FAIL(1, "cannot read %s/lsm (%s): is securityfs mounted there?",
			LSM_SECFS, strerror(errno));
}

/* AppArmor */

/* Whether every profile is loaded and enforced. */
static int aa_loaded(void)
{
	static char buf[16384];
	char want[128];
	unsigned int i;

	if (read_text(LSM_AA_PROFILES, buf, sizeof(buf)))
		return 0;
	for (i = 0; i < sizeof(lsm_aa_names) / sizeof(lsm_aa_names[0]); i++) {
		snprintf(want, sizeof(want), "%s (enforce)\n", lsm_aa_names[i]);
		if (!strstr(buf, want))
			return 0;
	}
	return 1;
}

/* Run apparmor_parser on @file; its output in @out.  Returns its status. */
static int aa_parse(const char *file, char *out, size_t len)
{
	int p[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork_child();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		/*
		 * No parser.conf and no cache: the features are the running
		 * kernel's, read from securityfs.
		 */
		execl(LSM_AA_PARSER, "apparmor_parser", "--config-file=/dev/null",
		      "--replace", "--skip-cache", "--abort-on-error", file,
		      (char *)NULL);
		printf("exec %s: %s\n", LSM_AA_PARSER, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	while ((size_t)got < len - 1 &&
	       (n = read(p[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	return status;
}

/*
 * AppArmor must be active (all kernels under test have it), and the
 * profiles loaded: the first case to need them loads them.
 */
static void aa_require(void)
{
	char lsm[512], text[4096], out[4096], file[] = "/tmp/pidfd_mod_lsm.XXXXXX";
	int fd, n, status;

	lsm_active(lsm, sizeof(lsm));
	if (!list_has(lsm, "apparmor"))
		TH_FAIL(1, "AppArmor is not active on %s (%s/lsm: %s); the kernels under test all have it",
			kernel_release(), LSM_SECFS, strtok(lsm, "\n"));
	if (aa_loaded())
		return;
	if (access(LSM_AA_PARSER, X_OK))
		TH_FAIL(1, "%s: %s (scripts/mkinitramfs.sh copies it from the apparmor package)",
			LSM_AA_PARSER, strerror(errno));
	n = snprintf(text, sizeof(text), lsm_aa_text,
		     SIGRTMIN + 1 - LSM_KERNEL_SIGRTMIN);
	ASSERT_TRUE(n > 0 && (size_t)n < sizeof(text));
	fd = mkstemp(file);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(n, write(fd, text, n));
	close(fd);
	status = aa_parse(file, out, sizeof(out));
	unlink(file);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		th_diag("apparmor_parser output:\n%s", out);
		TH_FAIL(1, "apparmor_parser failed (status %#x) on:\n%s",
			status, text);
	}
	if (!aa_loaded()) {
		th_diag("apparmor_parser output:\n%s", out);
		TH_FAIL(1, "the profiles are not all in %s after loading them",
			LSM_AA_PROFILES);
	}
}

/*
 * Enter AppArmor profile @name at once (aa_change_profile(3) without
 * libapparmor).  The attr file of the LSM is preferred to the shared one.
 */
static int aa_enter(const char *name, char *msg, size_t len)
{
	static const char *const files[] = {
		"/proc/self/attr/apparmor/current",
		"/proc/self/attr/current",
	};
	char cmd[128], now[128];
	unsigned int i;
	int fd = -1, n;

	for (i = 0; i < 2 && fd < 0; i++)
		fd = open(files[i], O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, len, "open %s: %s", files[1], strerror(errno));
		return -1;
	}
	i--;
	n = snprintf(cmd, sizeof(cmd), "changeprofile %s", name);
	if (write(fd, cmd, n) != n) {
		snprintf(msg, len, "write '%s' to %s: %s", cmd, files[i],
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (read_text(files[i], now, sizeof(now)) ||
	    strncmp(now, name, strlen(name)) || now[strlen(name)] != ' ') {
		snprintf(msg, len, "after changeprofile %s, %s reads '%.100s'",
			 name, files[i], now);
		return -1;
	}
	return 0;
}

/* Landlock */

static int ll_abi(void)
{
	return syscall(SYS_landlock_create_ruleset, NULL, 0,
		       LSM_LANDLOCK_CREATE_RULESET_VERSION);
}

/*
 * Landlock's signal scoping must be there from Linux 6.12 on (the stock
 * and debug configs have Landlock); before, the case is skipped.
 */
static void ll_require(void)
{
	char lsm[512], has[64];
	int abi = ll_abi(), e = errno;

	if (abi >= LSM_LANDLOCK_SIGNAL_ABI)
		return;
	if (abi < 0)
		snprintf(has, sizeof(has), "no Landlock (%s)", strerror(e));
	else
		snprintf(has, sizeof(has), "Landlock ABI %d", abi);
	if (!kernel_at_least(6, 12))
		SKIP("Landlock signal scoping (LANDLOCK_SCOPE_SIGNAL, ABI %d) needs Linux 6.12; %s has %s",
		     LSM_LANDLOCK_SIGNAL_ABI, kernel_release(), has);
	lsm_active(lsm, sizeof(lsm));
	TH_FAIL(1, "Landlock ABI %d on %s (%s), want %d or later; %s/lsm: %s",
		abi, kernel_release(), abi < 0 ? strerror(e) : "too old",
		LSM_LANDLOCK_SIGNAL_ABI, LSM_SECFS, strtok(lsm, "\n"));
}

/* Put the caller in a new Landlock domain that scopes signals. */
static int ll_enter(char *msg, size_t len)
{
	struct lsm_landlock_ruleset_attr attr = {
		.scoped = LSM_LANDLOCK_SCOPE_SIGNAL,
	};
	int fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(msg, len, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		snprintf(msg, len, "landlock_create_ruleset(scoped = LANDLOCK_SCOPE_SIGNAL): %s",
			 strerror(errno));
		return -1;
	}
	if (syscall(SYS_landlock_restrict_self, fd, 0)) {
		snprintf(msg, len, "landlock_restrict_self: %s",
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Targets */

static struct lsm_shm *lsm_target_shm;

static void lsm_handler(int sig)
{
	struct lsm_shm *m = lsm_target_shm;

	if (sig > 0 && sig <= 64)
		INC(m->count[sig]);
	if (sig == LSM_MARKER) {
		STORE(m->marker_gen, LOAD(m->gen));
		INC(m->marker_seen);
	}
}

/*
 * Count SIGCONT, SIGRTMIN+1 and the marker; SIGTERM and SIGKILL kill.
 * Nothing blocked.
 */
static void lsm_catch(struct lsm_shm *m)
{
	struct sigaction sa = { .sa_handler = lsm_handler };
	sigset_t none;

	lsm_target_shm = m;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCONT, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	sigaction(LSM_MARKER, &sa, NULL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Another process: root, unconfined, leading a process group of its own. */
static pid_t lsm_spawn_target(struct lsm_shm *m)
{
	pid_t pid;
	int ms;

	pid = fork_child();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (setpgid(0, 0))
			_exit(3);
		lsm_catch(m);
		STORE(m->ready, 1);
		for (;;) {
			pause();
			INC(m->gen);
		}
	}
	for (ms = 0; !LOAD(m->ready); ms++) {
		if (ms > 10000 || waitpid(pid, NULL, WNOHANG) == pid)
			TH_FAIL(1, "target %d did not start", pid);
		sleep_ms(1);
	}
	return pid;
}

/*
 * Let target @t take everything queued for it so far: it handles a marker
 * sent now in the same return to user mode as those or later, and returns
 * from pause() only after every handler of that return.  Returns 1 if it
 * died (reaped, status in *@status), 0 once quiet.
 *
 * A marker that arrives between pause() returning and the next call is
 * handled there, and that pause() then waits for another signal: send the
 * marker again every 100 ms until one wakes a pause().
 */
static int lsm_quiesce(struct lsm_shm *m, pid_t t, int *status)
{
	int seen = LOAD(m->marker_seen), ms;

	for (ms = 0; ms < 10000; ms++) {
		int err = 0;

		if (ms % 100 == 0 && kill(t, LSM_MARKER))
			err = errno;
		if (waitpid(t, status, WNOHANG) == t)
			return 1;
		if (err)
			TH_FAIL(1, "marker to target %d: %s", t, strerror(err));
		if (LOAD(m->marker_seen) > seen &&
		    LOAD(m->gen) > LOAD(m->marker_gen))
			return 0;
		sleep_ms(1);
	}
	TH_FAIL(1, "target %d did not handle the marker", t);
	return -1;
}

/* Callers */

static void lsm_make_info(siginfo_t *si, int sig)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_QUEUE;
	si->si_pid = getpid();
	si->si_uid = getuid();
	si->si_value.sival_int = 0x15a;
}

static int lsm_enter(const struct policy *pol, char *msg, size_t len)
{
	if (become_uid(pol->uid, msg, len))
		return -1;
	switch (pol->kind) {
	case POL_APPARMOR:
		return aa_enter(pol->profile, msg, len);
	case POL_LANDLOCK:
		return ll_enter(msg, len);
	}
	return -1;
}

/* @im's call for row @r, to @tgt through @fd. */
static int lsm_call(const struct row *r, enum impl im, int fd, pid_t tgt,
		    siginfo_t *si)
{
	const struct scope *sc = &scopes[r->sc];

	switch (im) {
	case IM_MOD:
		return pidfd_mod_send_signal(fd, r->sig, si, sc->flags);
	case IM_PIDFD:
		return sys_pidfd_send_signal(fd, r->sig, si, sc->flags);
	default:
		break;
	}
	switch (sc->kind) {
	case SK_THREAD:
		/* The target is single-threaded: its leader is its thread. */
		return si ? sys_rt_tgsigqueueinfo(tgt, tgt, r->sig, si) :
			    sys_tgkill(tgt, tgt, r->sig);
	case SK_PGRP:
		return si ? sys_rt_sigqueueinfo(tgt, r->sig, si) :
			    kill(-tgt, r->sig);
	default:
		return si ? sys_rt_sigqueueinfo(tgt, r->sig, si) :
			    kill(tgt, r->sig);
	}
}

/* Open the pidfd @im needs for @pid (-1 for the classic calls). */
static int lsm_open(const struct row *r, enum impl im, pid_t pid)
{
	int thread = scopes[r->sc].thread_fd;

	switch (im) {
	case IM_MOD:
		return pidfd_mod_open(pid, -1, thread ? PIDFD_MOD_THREAD : 0);
	case IM_PIDFD:
		return sys_pidfd_open(pid, thread ? PIDFD_THREAD : 0);
	default:
		return -2;
	}
}

/* In a caller: enter the policy, make the call, record it, exit. */
static void lsm_caller(const struct row *r, enum impl im, int fd, pid_t tgt,
		       struct lsm_shm *m)
{
	siginfo_t si;
	int ret, e;

	if (lsm_enter(r->pol, m->msg, sizeof(m->msg)))
		_exit(2);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (r->info)
		lsm_make_info(&si, r->sig);
	STORE(m->started, 1);
	errno = 0;
	ret = lsm_call(r, im, fd, tgt, r->info ? &si : NULL);
	e = errno;
	m->ret = ret;
	m->err = e;
	STORE(m->returned, 1);
	_exit(0);
}

/* The caller's record of a call that returned. */
static void lsm_returned(const struct row *r, enum impl im,
			 struct lsm_shm *m, struct result *res)
{
	if (m->ret != 0 && m->ret != -1)
		TH_FAIL(1, "%s returned %d", impl_name(r, im), m->ret);
	res->err = m->ret ? m->err : 0;
	if (m->ret && !m->err)
		TH_FAIL(1, "%s returned -1 with errno 0", impl_name(r, im));
}

static int lsm_catchable(int sig)
{
	return sig == SIGCONT || sig == SIGRTMIN + 1;
}

/* Whether a target handled anything but @sig and the marker. */
static int lsm_other(struct lsm_shm *m, int sig)
{
	int s;

	for (s = 1; s <= 64; s++)
		if (s != sig && s != LSM_MARKER && LOAD(m->count[s]))
			return 1;
	return 0;
}

/* One call from a fresh caller in the policy to another, fresh process. */
static void lsm_attempt_other(const struct row *r, enum impl im,
			      struct result *res)
{
	struct lsm_shm *m;
	pid_t t, k;
	int fd, status, died;

	m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(m != MAP_FAILED);
	t = lsm_spawn_target(m);
	fd = lsm_open(r, im, t);
	if (fd == -1)
		TH_FAIL(1, "opening a pidfd of %d for the %s: %s", t,
			impl_name(r, im), strerror(errno));
	k = fork_child();
	if (k == 0)
		lsm_caller(r, im, fd, t, m);
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(k, waitpid(k, &status, 0));
	if (!WIFEXITED(status) || WEXITSTATUS(status) || !LOAD(m->returned))
		TH_FAIL(1, "caller for the %s ended with status %#x: %s",
			impl_name(r, im), status,
			m->msg[0] ? m->msg : "(no message)");
	lsm_returned(r, im, m, res);

	died = lsm_quiesce(m, t, &status);
	if (died) {
		if (!WIFSIGNALED(status) || WTERMSIG(status) != r->sig)
			TH_FAIL(1, "target %d ended with status %#x after the %s's %s",
				t, status, impl_name(r, im), sig_name(r->sig));
		res->delivered = 1;
		res->alive = 0;
	} else {
		res->delivered = lsm_catchable(r->sig) && LOAD(m->count[r->sig]);
		res->alive = 1;
		kill_reap(t);
	}
	res->other = lsm_other(m, r->sig);
	munmap(m, sizeof(*m));
}

/* One call from a fresh caller in the policy to itself. */
static void lsm_attempt_self(const struct row *r, enum impl im,
			     struct result *res)
{
	struct lsm_shm *m;
	int status, fd;
	pid_t k;

	m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(m != MAP_FAILED);
	k = fork_child();
	if (k == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* Alone in its process group, for the process-group scope. */
		if (setpgid(0, 0)) {
			snprintf(m->msg, sizeof(m->msg), "setpgid: %s",
				 strerror(errno));
			_exit(2);
		}
		lsm_catch(m);
		fd = lsm_open(r, im, getpid());
		if (fd == -1) {
			snprintf(m->msg, sizeof(m->msg),
				 "opening a pidfd of itself for the %s: %s",
				 impl_name(r, im), strerror(errno));
			_exit(2);
		}
		lsm_caller(r, im, fd, getpid(), m);
	}
	ASSERT_EQ(k, waitpid(k, &status, 0));
	if (WIFEXITED(status) && !WEXITSTATUS(status) && LOAD(m->returned)) {
		lsm_returned(r, im, m, res);
		/* Handled before the call returned to the caller. */
		res->delivered = lsm_catchable(r->sig) && LOAD(m->count[r->sig]);
		res->alive = 1;
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == r->sig &&
		   !lsm_catchable(r->sig) && LOAD(m->started) &&
		   !LOAD(m->returned)) {
		/* It killed itself: the call did not return, but succeeded. */
		res->err = 0;
		res->delivered = 1;
		res->alive = 0;
	} else {
		TH_FAIL(1, "caller for the %s to itself ended with status %#x: %s",
			impl_name(r, im), status,
			m->msg[0] ? m->msg : "(no message)");
	}
	res->other = lsm_other(m, r->sig);
	munmap(m, sizeof(*m));
}

/* Judging */

static void lsm_row_text(const struct row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %s, %s, %s to %s", r->pol->name,
		 scopes[r->sc].name, r->info ? "SI_QUEUE siginfo" : "no siginfo",
		 sig_name(r->sig), r->self ? "itself" : "another process");
}

/* Violations found; while lsm_expect_mismatch, they are what is wanted. */
static int lsm_mismatches;
static int lsm_expect_mismatch;

#define MISMATCH(r, ...)						\
	do {								\
		char __row[256], __what[320];				\
		lsm_row_text(r, __row, sizeof(__row));			\
		snprintf(__what, sizeof(__what), __VA_ARGS__);		\
		th_diag("%s %s: %s", lsm_expect_mismatch ?		\
			"expected violation:" : "MISMATCH", __row, __what); \
		lsm_mismatches++;					\
		if (!lsm_expect_mismatch)				\
			th_failed = 1;					\
	} while (0)

/* A call's result agrees with what its target saw. */
static void lsm_check_effect(const struct row *r, enum impl im,
			     const struct result *res)
{
	const char *n = impl_name(r, im);

	if (res->other)
		MISMATCH(r, "%s: the target handled a signal the row did not send",
			 n);
	if (!r->sig) {
		if (!res->alive || res->delivered)
			MISMATCH(r, "%s: signal 0 changed the target", n);
		return;
	}
	if (!res->err && !res->delivered)
		MISMATCH(r, "%s returned 0 but the target did not get the signal",
			 n);
	if (res->err && res->delivered)
		MISMATCH(r, "%s failed with %s but the target got the signal%s",
			 n, err_name(res->err), res->alive ? "" : " and died");
}

/* Whether kill(2)'s credential rule refuses the row (targets are root). */
static int lsm_cred_refuses(const struct row *r)
{
	return !r->self && r->pol->uid != 0 && r->sig != SIGCONT;
}

/*
 * Whether the module must match the native call exactly: it sends through
 * kill_pid() or kill_pgrp() with the real signal (no siginfo, group or
 * process-group scope), or only checks (signal 0).
 */
static int lsm_exact(const struct row *r)
{
	return r->sig == 0 ||
	       (!r->info && scopes[r->sc].kind != SK_THREAD);
}

static void lsm_judge(const struct row *r, const struct result *res,
		      const int *have)
{
	const struct result *m = &res[IM_MOD];
	int cred = lsm_cred_refuses(r), im;

	lsm_check_effect(r, IM_MOD, m);
	for (im = IM_CLASSIC; im < IM_NR; im++) {
		const struct result *n = &res[im];
		const char *nn = impl_name(r, im);

		if (!have[im])
			continue;
		lsm_check_effect(r, im, n);
		if (cred && n->err != EPERM)
			MISMATCH(r, "%s gave %s where kill(2)'s credential rule refuses (want EPERM)",
				 nn, err_name(n->err));
		if (lsm_exact(r)) {
			if (m->err != n->err)
				MISMATCH(r, "module %s, %s %s: must be equal on this path",
					 err_name(m->err), nn, err_name(n->err));
			continue;
		}
		if (n->err && !m->err)
			MISMATCH(r, "module 0, %s %s: the module sent what the native call refuses",
				 nn, err_name(n->err));
		else if (m->err && m->err != n->err && m->err != EOPNOTSUPP)
			MISMATCH(r, "module %s, %s %s: want the native result or EOPNOTSUPP",
				 err_name(m->err), nn, err_name(n->err));
		else if (m->err == EOPNOTSUPP && cred)
			MISMATCH(r, "module EOPNOTSUPP, %s %s: the credential check comes first (want EPERM)",
				 nn, err_name(n->err));
	}
}

/* unchecked_signals, as FEATURES reports it: 0, 1, or -1 on error. */
static int lsm_unchecked(void)
{
	struct pidfd_mod_features f;

	if (pidfd_mod_features(&f))
		return -1;
	return !!(f.settings & PIDFD_MOD_SETTING_UNCHECKED_SIGNALS);
}

/*
 * Programs that set unchecked_signals clear it when they exit.  Should one
 * not have, the first case reports it, and this program clears it for its
 * own cases (and again when it exits, after the last case set it).
 */
static int lsm_unchecked_at_start = -1;
static pid_t lsm_main_pid;

static void lsm_clear_unchecked(void)
{
	if (getpid() == lsm_main_pid)
		set_unchecked_signals(0);
}

__attribute__((constructor)) static void lsm_start(void)
{
	lsm_main_pid = getpid();
	lsm_unchecked_at_start = lsm_unchecked();
	if (lsm_unchecked_at_start == 1)
		set_unchecked_signals(0);
	atexit(lsm_clear_unchecked);
}

/* The policy is usable, and the module in its default setting. */
static void lsm_setup(const struct policy *pol, int *have, enum scope_id sc)
{
	switch (pol->kind) {
	case POL_APPARMOR:
		aa_require();
		break;
	case POL_LANDLOCK:
		ll_require();
		break;
	}
	ASSERT_GE(pidfd_mod_dev(), 0);
	if (lsm_unchecked() != 0)
		TH_FAIL(1, "unchecked_signals is not off (FEATURES: %d)",
			lsm_unchecked());
	have[IM_MOD] = have[IM_CLASSIC] = 1;
	have[IM_PIDFD] = sc == SC_PROCFD || native_has_pidfd_scopes();
}

/* Every call of row @r, each from a fresh caller; judged. */
static void lsm_row(const struct row *r, const int *have,
		    struct result *res)
{
	int im;

	memset(res, 0, IM_NR * sizeof(*res));
	for (im = 0; im < IM_NR; im++) {
		if (!have[im])
			continue;
		if (r->self)
			lsm_attempt_self(r, im, &res[im]);
		else
			lsm_attempt_other(r, im, &res[im]);
	}
	lsm_judge(r, res, have);
}

/* One case: a policy, a scope, with or without siginfo. */
static void lsm_case(const struct policy *pol, enum scope_id sc, int info)
{
	int have[IM_NR];
	char line[512];
	int self, i, im;
	size_t o;

	lsm_setup(pol, have, sc);
	if (!have[IM_PIDFD])
		th_diag("native pidfd_send_signal() not compared: %s needs Linux 6.9 (this is %s)",
			scopes[sc].thread_fd ? "PIDFD_THREAD" : "PIDFD_SIGNAL_*",
			kernel_release());

	for (self = 0; self < 2; self++) {
		o = snprintf(line, sizeof(line), "to %s (module",
			     self ? "itself" : "another process");
		for (im = IM_CLASSIC; im < IM_NR; im++) {
			struct row r0 = { pol, sc, info, 1, self };

			if (have[im])
				o += snprintf(line + o, sizeof(line) - o, "/%s",
					      impl_name(&r0, im));
		}
		o += snprintf(line + o, sizeof(line) - o, "):");
		for (i = 0; i < LSM_NSIGS; i++) {
			struct row r = { pol, sc, info, lsm_sig(i), self };
			struct result res[IM_NR];

			lsm_row(&r, have, res);
			o += snprintf(line + o, sizeof(line) - o, " %s %s",
				      sig_name(r.sig), err_name(res[IM_MOD].err));
			for (im = IM_CLASSIC; im < IM_NR; im++)
				if (have[im])
					o += snprintf(line + o, sizeof(line) - o,
						      "/%s", err_name(res[im].err));
			if (o >= sizeof(line))
				o = sizeof(line) - 1;
		}
		th_diag("%s", line);
	}
}

/* The module's default */

TEST(unchecked_signals_off)
{
	ASSERT_GE(pidfd_mod_dev(), 0);
	if (lsm_unchecked_at_start < 0)
		TH_FAIL(1, "PIDFD_MOD_IOC_FEATURES failed at start");
	if (lsm_unchecked_at_start)
		TH_FAIL(0, "unchecked_signals was on when this program started: a program before it left it so");
	EXPECT_EQ(0, lsm_unchecked());
}

/* The policies are in force */

TEST(apparmor_profiles_enforced)
{
	char msg[256];
	int status;
	pid_t pid;

	aa_require();
	/*
	 * A confined process cannot send what its profile leaves out;
	 * AppArmor answers EACCES.
	 */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pid_t parent = getppid();

		if (aa_enter(pol_aa_noself.profile, msg, sizeof(msg)))
			TH_FAIL(1, "%s", msg);
		EXPECT_ERRNO(EACCES, kill(getpid(), 0));
		EXPECT_EQ(0, kill(parent, 0));
		EXPECT_ERRNO(EACCES, kill(parent, SIGCONT));
		_exit(th_failed);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(landlock_signal_scope_enforced)
{
	char msg[256];
	int status;
	pid_t pid;

	ll_require();
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pid_t parent = getppid();

		if (ll_enter(msg, sizeof(msg)))
			TH_FAIL(1, "%s", msg);
		EXPECT_EQ(0, kill(getpid(), 0));
		EXPECT_ERRNO(EPERM, kill(parent, 0));
		_exit(th_failed);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* The matrix: one case per policy, scope and siginfo */

#define LSM_CASE(pol, sc, scname)					\
	TEST(pol##_##scname)						\
	{								\
		lsm_case(&pol_##pol, sc, 0);				\
	}								\
	TEST(pol##_##scname##_siginfo)					\
	{								\
		lsm_case(&pol_##pol, sc, 1);				\
	}

#define LSM_POLICY(pol)							\
	LSM_CASE(pol, SC_PROCFD, procfd)				\
	LSM_CASE(pol, SC_THREADFD, threadfd)				\
	LSM_CASE(pol, SC_THREAD, thread)				\
	LSM_CASE(pol, SC_GROUP, group)					\
	LSM_CASE(pol, SC_PGRP, pgrp)

LSM_POLICY(aa_some)
LSM_POLICY(aa_noself)
LSM_POLICY(aa_noexists)
LSM_POLICY(aa_some_uid)
LSM_POLICY(landlock)

/*
 * With unchecked_signals on, thread-directed signals get only kill(2)'s
 * credential rule, no LSM (README, Security): a SIGKILL that
 * pidfd_mod_sig_some forbids reaches another process through the thread
 * scope, while tgkill(2) is refused.  The judge must report that, or the
 * matrix above could not fail.
 */
TEST(unchecked_signals_bypass_is_reported)
{
	struct row r = { &pol_aa_some, SC_THREAD, 0, SIGKILL, 0 };
	struct result res[IM_NR];
	int have[IM_NR];

	lsm_setup(r.pol, have, r.sc);
	ASSERT_EQ(0, set_unchecked_signals(1));
	lsm_expect_mismatch = 1;
	lsm_row(&r, have, res);
	lsm_expect_mismatch = 0;
	ASSERT_EQ(0, set_unchecked_signals(0));
	if (!res[IM_MOD].delivered || res[IM_CLASSIC].err != EACCES)
		TH_FAIL(0, "with unchecked_signals on, module %s (target %s), tgkill %s: want the module to kill and tgkill to fail with EACCES",
			err_name(res[IM_MOD].err),
			res[IM_MOD].delivered ? "killed" : "alive",
			err_name(res[IM_CLASSIC].err));
	if (!lsm_mismatches)
		TH_FAIL(0, "the judge reported no violation for a module that sent what tgkill refuses");
}
