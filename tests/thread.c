// SPDX-License-Identifier: GPL-2.0
/*
 * Thread fds (PIDFD_MOD_THREAD) and the signal scopes: which thread a
 * signal lands on, caller-supplied siginfo, kill(2) permissions for every
 * scope, thread exit (poll, ESRCH, fdinfo, tid reuse) and the /proc
 * directory of a thread.
 *
 * Every scenario that native pidfds can express runs twice: against
 * /dev/pidfd, and as <name>_native against pidfd_open(2) and
 * pidfd_send_signal(2) with the same inputs and the same expected
 * observations.  The native half needs Linux 6.9 (PIDFD_THREAD,
 * PIDFD_SIGNAL_*); on older kernels it is skipped, or run for the process-fd
 * default scope only, and says so.
 *
 * Targets are forked multi-threaded processes whose signal handler records,
 * in shared memory, which thread handled what (signal, gettid(), si_code,
 * si_pid, si_uid, si_value).  Threads poll a per-thread command block to
 * change their signal mask or to exit.
 */
#include <pthread.h>
#include <time.h>

#include "util.h"

/* Delivery through send_sig_info() needs unchecked_signals: the thread-scope and siginfo matrix compares delivery itself. */
USE_UNCHECKED_SIGNALS()

/* The two implementations under comparison. */

struct impl {
	const char *name;
	int native;
	int (*open)(pid_t pid, unsigned int flags);
	int (*send)(int fd, int sig, siginfo_t *info, unsigned int flags);
};

static int mod_open(pid_t pid, unsigned int flags)
{
	return pidfd_mod_open(pid, -1, flags);
}

static int mod_send(int fd, int sig, siginfo_t *info, unsigned int flags)
{
	return pidfd_mod_send_signal(fd, sig, info, flags);
}

static int native_open(pid_t pid, unsigned int flags)
{
	return sys_pidfd_open(pid, flags);
}

static int native_send(int fd, int sig, siginfo_t *info, unsigned int flags)
{
	return sys_pidfd_send_signal(fd, sig, info, flags);
}

static const struct impl impl_mod = {
	"pidfd_mod", 0, mod_open, mod_send,
};

static const struct impl impl_native = {
	"native", 1, native_open, native_send,
};

#define NEED_THREAD	1	/* pidfd_open(PIDFD_THREAD) */
#define NEED_SCOPE	2	/* pidfd_send_signal(PIDFD_SIGNAL_*) */

/* Which native features in @needs this kernel lacks (Linux < 6.9). */
static int native_lacks(int needs)
{
	int missing = 0, fd;

	if (needs & NEED_THREAD) {
		fd = sys_pidfd_open(getpid(), PIDFD_THREAD);
		if (fd < 0)
			missing |= NEED_THREAD;
		else
			close(fd);
	}
	if (needs & NEED_SCOPE) {
		fd = sys_pidfd_open(getpid(), 0);
		if (fd >= 0) {
			if (sys_pidfd_send_signal(fd, 0, NULL,
						  PIDFD_SIGNAL_THREAD) < 0 &&
			    errno == EINVAL)
				missing |= NEED_SCOPE;
			close(fd);
		}
	}
	return missing;
}

static int impl_lacks(const struct impl *im, int needs)
{
	return im->native ? native_lacks(needs) : 0;
}

static const char *lack_text(int missing)
{
	switch (missing) {
	case NEED_THREAD:
		return "pidfd_open(PIDFD_THREAD) fails with EINVAL";
	case NEED_SCOPE:
		return "pidfd_send_signal(PIDFD_SIGNAL_*) fails with EINVAL";
	default:
		return "pidfd_open(PIDFD_THREAD) and pidfd_send_signal(PIDFD_SIGNAL_*) fail with EINVAL";
	}
}

/* A native half that cannot run at all on this kernel. */
static void require(const struct impl *im, int needs)
{
	int missing = impl_lacks(im, needs);

	if (missing)
		SKIP("native half not run: %s on this kernel (native since Linux 6.9); the /dev/pidfd half is the case without _native",
		     lack_text(missing));
}

/* A native half that ran only the calls this kernel supports. */
static void partial(int missing)
{
	if (missing && !th_failed)
		SKIP("native half ran only the process-fd default scope: %s on this kernel (native since Linux 6.9)",
		     lack_text(missing));
}

/* Small helpers */

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Check the result of a call: 0 when @want is 0, else -1 with errno @want
 * and no new fd (the lowest free fd number @nf did not move).
 */
static void check_ret(const char *file, int line, const char *ctx,
		      const char *expr, int r, int e, int want, int nf)
{
	int nf2 = next_fd();

	if (!want && r != 0)
		th_diag("%s:%d: %s: %s: want 0, got %d/%s", file, line, ctx,
			expr, r, r == -1 ? strerror(e) : "no error");
	else if (want && (r != -1 || e != want))
		th_diag("%s:%d: %s: %s: want -1/%s, got %d/%s", file, line,
			ctx, expr, strerror(want), r,
			r == -1 ? strerror(e) : "no error");
	else if (want && nf2 != nf)
		th_diag("%s:%d: %s: %s: fd leaked (lowest free fd %d, was %d)",
			file, line, ctx, expr, nf2, nf);
	else
		return;
	th_failed = 1;
	/* An open that should have failed: do not let it skew later cases. */
	if (want && r > 2)
		close(r);
}

/* The control device is opened on first use: not a leak of the call. */
#define EXPECT_CALL(ctx, want, expr)					\
	do {								\
		int __nf, __r, __e;					\
		pidfd_mod_dev();					\
		__nf = next_fd();					\
		errno = 0;						\
		__r = (expr);						\
		__e = errno;						\
		check_ret(__FILE__, __LINE__, ctx, #expr, __r, __e,	\
			  want, __nf);					\
	} while (0)

/* A siginfo as sigqueue(3) would build it. */
static void make_info(siginfo_t *si, int sig, int code, int value)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = getpid();
	si->si_uid = getuid();
	si->si_value.sival_int = value;
}

/* A hex field ("SigPnd", "ShdPnd") of /proc/TGID/task/TID/status. */
static unsigned long long task_hex(pid_t tgid, pid_t tid, const char *key)
{
	char path[64], v[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", tgid, tid);
	if (read_line_at(AT_FDCWD, path, key, v, sizeof(v)))
		return ~0ULL;
	return strtoull(v, NULL, 16);
}

/* The state letter of /proc/TGID/task/TID/stat, or 0. */
static char task_state(pid_t tgid, pid_t tid)
{
	char path[64], state[8];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", tgid, tid);
	if (read_stat_field_at(AT_FDCWD, path, 3, state, sizeof(state)))
		return 0;
	return state[0];
}

/* Wait until thread @tid of @tgid is released (tgkill finds nothing). */
static int wait_thread_gone(pid_t tgid, pid_t tid, int ms)
{
	for (;;) {
		if (sys_tgkill(tgid, tid, 0) < 0 && errno == ESRCH)
			return 1;
		if (ms-- <= 0)
			return 0;
		sleep_ms(1);
	}
}

#define SIGBIT(s)	(1ULL << ((s) - 1))

/* Target processes */

#define MAXTHR	6
#define MAXREC	32

enum tgt_mode {
	TGT_SAME_PGRP,	/* stay in the test's process group */
	TGT_OWN_PGRP,	/* lead a new process group */
	TGT_JOIN_PGRP,	/* join the group led by tgt::pgrp */
	TGT_SETSID,	/* lead a new session */
};

struct rec {
	int done, sig, tid, code, pid, uid, value;
};

struct tgt {
	/* set by the controller before the target starts */
	int nthr;
	uid_t uid;
	enum tgt_mode mode;
	pid_t pgrp;
	/* set by the target */
	pid_t pid;
	pid_t tid[MAXTHR];
	int started;
	/* commands to thread i */
	unsigned long long mask[MAXTHR];	/* signals it blocks */
	int want[MAXTHR], applied[MAXTHR];	/* mask generation */
	int quit[MAXTHR];
	int exit_delay_ms[MAXTHR];
	/* signals handled, in order */
	int nrec;
	struct rec rec[MAXREC];
	/* controller only */
	int reaped;
};

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

static struct tgt *tgt_self;

static void tgt_handler(int sig, siginfo_t *si, void *uc)
{
	struct tgt *t = tgt_self;
	int i = __atomic_fetch_add(&t->nrec, 1, __ATOMIC_SEQ_CST);

	(void)uc;
	if (i >= MAXREC)
		return;
	t->rec[i].sig = sig;
	t->rec[i].tid = sys_gettid();
	t->rec[i].code = si->si_code;
	t->rec[i].pid = si->si_pid;
	t->rec[i].uid = si->si_uid;
	t->rec[i].value = si->si_value.sival_int;
	STORE(t->rec[i].done, 1);
}

static void tgt_apply_mask(struct tgt *t, int i)
{
	sigset_t set;
	int s;

	sigemptyset(&set);
	for (s = 1; s <= 64; s++)
		if (t->mask[i] & SIGBIT(s))
			sigaddset(&set, s);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
}

static void tgt_loop(struct tgt *t, int i)
{
	for (;;) {
		int w = LOAD(t->want[i]);

		if (w != LOAD(t->applied[i])) {
			tgt_apply_mask(t, i);
			STORE(t->applied[i], w);
		}
		if (LOAD(t->quit[i])) {
			sleep_ms(t->exit_delay_ms[i]);
			return;
		}
		usleep(3000);
	}
}

static void *tgt_thread(void *arg)
{
	struct tgt *t = tgt_self;
	int i = (int)(long)arg;

	STORE(t->tid[i], sys_gettid());
	tgt_apply_mask(t, i);
	__atomic_fetch_add(&t->started, 1, __ATOMIC_SEQ_CST);
	tgt_loop(t, i);
	return NULL;
}

static void tgt_child(struct tgt *t, pid_t parent)
{
	struct sigaction sa = {
		.sa_sigaction = tgt_handler,
		.sa_flags = SA_SIGINFO,
	};
	sigset_t all;
	pthread_t th;
	int i;

	tgt_self = t;
	switch (t->mode) {
	case TGT_SAME_PGRP:
		break;
	case TGT_OWN_PGRP:
		if (setpgid(0, 0))
			_exit(3);
		break;
	case TGT_JOIN_PGRP:
		if (setpgid(0, t->pgrp))
			_exit(3);
		break;
	case TGT_SETSID:
		if (setsid() < 0)
			_exit(3);
		break;
	}
	if (t->uid && drop_to_uid(t->uid))
		_exit(3);
	/* After the uid change, which clears it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);

	/* Threads start with everything blocked, then set their own mask. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	t->pid = getpid();
	STORE(t->tid[0], sys_gettid());
	for (i = 1; i < t->nthr; i++)
		if (pthread_create(&th, NULL, tgt_thread, (void *)(long)i))
			_exit(3);
	tgt_apply_mask(t, 0);
	__atomic_fetch_add(&t->started, 1, __ATOMIC_SEQ_CST);
	tgt_loop(t, 0);
	/* The leader leaves; the process lives on in its other threads. */
	pthread_exit(NULL);
}

static struct tgt *tgt_new(int nthr, uid_t uid, enum tgt_mode mode)
{
	struct tgt *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED)
		TH_FAIL(1, "mmap: %s", strerror(errno));
	t->nthr = nthr;
	t->uid = uid;
	t->mode = mode;
	return t;
}

static void tgt_start(struct tgt *t)
{
	pid_t parent = getpid(), pid;
	int ms;

	pid = fork_child();
	if (pid == 0)
		tgt_child(t, parent);
	for (ms = 0; LOAD(t->started) < t->nthr; ms++) {
		if (ms > 10000 || waitpid(pid, NULL, WNOHANG) == pid)
			TH_FAIL(1, "target %d did not start", pid);
		sleep_ms(1);
	}
	ASSERT_EQ(pid, t->pid);
}

/* A started target of @nthr threads (thread 0 is the leader). */
static struct tgt *tgt_spawn(int nthr, uid_t uid, enum tgt_mode mode)
{
	struct tgt *t = tgt_new(nthr, uid, mode);

	tgt_start(t);
	return t;
}

/* Make thread @i block exactly @mask, and wait until it has. */
static void tgt_set_mask(struct tgt *t, int i, unsigned long long mask)
{
	int w, ms;

	t->mask[i] = mask;
	w = __atomic_add_fetch(&t->want[i], 1, __ATOMIC_SEQ_CST);
	for (ms = 0; LOAD(t->applied[i]) != w; ms++) {
		if (ms > 5000)
			TH_FAIL(1, "thread %d did not apply its mask", t->tid[i]);
		sleep_ms(1);
	}
}

static void tgt_reset(struct tgt *t)
{
	int i;

	for (i = 0; i < MAXREC; i++)
		STORE(t->rec[i].done, 0);
	STORE(t->nrec, 0);
}

/* Whether @n signals have been handled in @t within @ms. */
static int tgt_wait(struct tgt *t, int n, int ms)
{
	for (;;) {
		int i, all = LOAD(t->nrec) >= n;

		for (i = 0; all && i < n; i++)
			all = LOAD(t->rec[i].done);
		if (all)
			return 1;
		if (ms-- <= 0)
			return 0;
		sleep_ms(1);
	}
}

static void tgt_stop(struct tgt *t)
{
	if (!t->reaped)
		kill_reap(t->pid);
	munmap(t, sizeof(*t));
}

/* What a handled signal must look like. */
struct want {
	int sig;
	pid_t tid;	/* the thread that must handle it; 0: any */
	pid_t not_tid;	/* a thread that must not; 0: none */
	int code;
	pid_t pid;
	int uid;
	int value;
	int check_value;
};

/* Exactly one signal arrives in @t, as @w says. */
static void expect_one(const char *ctx, struct tgt *t, const struct want *w)
{
	struct rec *r = &t->rec[0];
	int i, mine = 0;

	if (!tgt_wait(t, 1, 3000)) {
		TH_FAIL(0, "%s: signal %d not handled by target %d", ctx,
			w->sig, t->pid);
		return;
	}
	sleep_ms(20);
	if (LOAD(t->nrec) != 1)
		TH_FAIL(0, "%s: %d signals handled, want 1", ctx,
			LOAD(t->nrec));
	for (i = 0; i < t->nthr; i++)
		mine |= r->tid == t->tid[i];
	if (r->sig != w->sig)
		TH_FAIL(0, "%s: signal %d handled, want %d", ctx, r->sig,
			w->sig);
	if (!mine || (w->tid && r->tid != w->tid) ||
	    (w->not_tid && r->tid == w->not_tid))
		TH_FAIL(0, "%s: handled by thread %d, want %d%s%d", ctx,
			r->tid, w->tid, w->not_tid ? ", not " : "",
			w->not_tid);
	if (r->code != w->code)
		TH_FAIL(0, "%s: si_code %d, want %d", ctx, r->code, w->code);
	if (r->pid != w->pid || r->uid != w->uid)
		TH_FAIL(0, "%s: si_pid/si_uid %d/%d, want %d/%d", ctx, r->pid,
			r->uid, w->pid, w->uid);
	if (w->check_value && r->value != w->value)
		TH_FAIL(0, "%s: si_value %#x, want %#x", ctx, r->value,
			w->value);
}

/* No signal arrives in @t within @ms. */
static void expect_none(const char *ctx, struct tgt *t, int ms)
{
	sleep_ms(ms);
	if (LOAD(t->nrec))
		TH_FAIL(0, "%s: signal %d handled by thread %d (si_code %d), want none",
			ctx, t->rec[0].sig, t->rec[0].tid, t->rec[0].code);
}

/* Whether @sig is pending for thread @i alone (not process-wide). */
static void expect_pending_on(const char *ctx, struct tgt *t, int i, int sig)
{
	unsigned long long thr = task_hex(t->pid, t->tid[i], "SigPnd");
	unsigned long long shd = task_hex(t->pid, t->tid[i], "ShdPnd");

	if (thr == ~0ULL || !(thr & SIGBIT(sig)) || (shd & SIGBIT(sig)))
		TH_FAIL(0, "%s: want signal %d pending on thread %d only: SigPnd %llx ShdPnd %llx",
			ctx, sig, t->tid[i], thr, shd);
}

/* Run @fn in a new thread of this process and wait for it. */
static void run_in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, fn, arg));
	ASSERT_EQ(0, pthread_join(th, NULL));
}

/* Signal scopes */

enum where { AT_ANY, AT_T, AT_LEADER };

struct scope {
	const char *name;
	int thread_fd;		/* through thread 1's thread fd */
	unsigned int flags;
	enum where where;	/* who handles it when all threads accept it */
	int code;		/* si_code the kernel fills in */
	int needs;		/* native features it needs */
};

static const struct scope scopes[] = {
	{ "process fd, default scope", 0, 0, AT_ANY, SI_USER, 0 },
	{ "thread fd, default scope", 1, 0, AT_T, SI_TKILL, NEED_THREAD },
	{ "process fd, SIGNAL_THREAD", 0, PIDFD_SIGNAL_THREAD, AT_LEADER,
	  SI_TKILL, NEED_SCOPE },
	{ "thread fd, SIGNAL_THREAD", 1, PIDFD_SIGNAL_THREAD, AT_T, SI_TKILL,
	  NEED_THREAD | NEED_SCOPE },
	{ "process fd, SIGNAL_THREAD_GROUP", 0, PIDFD_SIGNAL_THREAD_GROUP,
	  AT_ANY, SI_USER, NEED_SCOPE },
	{ "thread fd, SIGNAL_THREAD_GROUP", 1, PIDFD_SIGNAL_THREAD_GROUP,
	  AT_ANY, SI_USER, NEED_THREAD | NEED_SCOPE },
	{ "process fd, SIGNAL_PROCESS_GROUP", 0, PIDFD_SIGNAL_PROCESS_GROUP,
	  AT_ANY, SI_USER, NEED_SCOPE },
};

#define NSCOPES	((int)(sizeof(scopes) / sizeof(scopes[0])))

/* The fds of a target a scenario signals through. */
struct tfds {
	const struct impl *im;
	struct tgt *t;
	int missing;	/* native features this kernel lacks */
	int proc;	/* process fd of the target */
	int thr;	/* thread fd of thread 1, -1 without NEED_THREAD */
};

static void tfds_open(struct tfds *f, const struct impl *im, struct tgt *t)
{
	f->im = im;
	f->t = t;
	f->missing = impl_lacks(im, NEED_THREAD | NEED_SCOPE);
	f->proc = im->open(t->pid, 0);
	ASSERT_GE(f->proc, 0);
	f->thr = -1;
	if (!(f->missing & NEED_THREAD)) {
		f->thr = im->open(t->tid[1], PIDFD_THREAD);
		ASSERT_GE(f->thr, 0);
	}
}

static void tfds_close(struct tfds *f)
{
	close(f->proc);
	if (f->thr >= 0)
		close(f->thr);
}

/* Whether scope @s can be run with @f; the fd to signal through. */
static int scope_fd(const struct tfds *f, const struct scope *s)
{
	if (s->needs & f->missing)
		return -1;
	return s->thread_fd ? f->thr : f->proc;
}

static pid_t scope_tid(const struct tgt *t, const struct scope *s)
{
	switch (s->where) {
	case AT_T:
		return t->tid[1];
	case AT_LEADER:
		return t->tid[0];
	default:
		return 0;
	}
}

/*
 * Open
 */

static void open_thread_non_leader_run(const struct impl *im)
{
	struct tgt *t;
	struct want w;
	int fd, fl, i;

	require(im, NEED_THREAD);
	t = tgt_spawn(3, 0, TGT_OWN_PGRP);

	fd = im->open(t->tid[1], PIDFD_THREAD);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(t->tid[1], fdinfo_key(fd, "Pid"));
	fl = fcntl(fd, F_GETFL);
	EXPECT_EQ(O_RDWR, fl & O_ACCMODE);
	EXPECT_TRUE(fl & O_EXCL);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));

	/* It names that thread: every thread accepts SIGUSR1, T handles it. */
	for (i = 0; i < 3; i++) {
		tgt_reset(t);
		ASSERT_EQ(0, im->send(fd, SIGUSR1, NULL, 0));
		w = (struct want){ SIGUSR1, t->tid[1], 0, SI_TKILL, getpid(),
				   0, 0, 0 };
		expect_one("thread fd of a non-leader", t, &w);
	}
	close(fd);
	tgt_stop(t);
}

TEST(open_thread_fd_of_non_leader)
{
	open_thread_non_leader_run(&impl_mod);
}

TEST(open_thread_fd_of_non_leader_native)
{
	open_thread_non_leader_run(&impl_native);
}

static void open_thread_leader_run(const struct impl *im)
{
	struct tgt *t;
	struct want w;
	int fd, pfd;

	require(im, NEED_THREAD);
	t = tgt_spawn(2, 0, TGT_OWN_PGRP);

	fd = im->open(t->pid, PIDFD_THREAD);
	ASSERT_GE(fd, 0);
	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);
	EXPECT_EQ(t->pid, fdinfo_key(fd, "Pid"));
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_EXCL);
	EXPECT_TRUE(!(fcntl(pfd, F_GETFL) & O_EXCL));

	/*
	 * The leader blocks SIGUSR1, thread 1 accepts it.  Through the
	 * process fd it goes to thread 1; through the leader's thread fd it
	 * waits for the leader.
	 */
	tgt_set_mask(t, 0, SIGBIT(SIGUSR1));
	tgt_reset(t);
	ASSERT_EQ(0, im->send(pfd, SIGUSR1, NULL, 0));
	w = (struct want){ SIGUSR1, t->tid[1], 0, SI_USER, getpid(), 0, 0, 0 };
	expect_one("process fd, leader blocks", t, &w);

	tgt_reset(t);
	ASSERT_EQ(0, im->send(fd, SIGUSR1, NULL, 0));
	expect_none("leader's thread fd, leader blocks", t, 150);
	expect_pending_on("leader's thread fd", t, 0, SIGUSR1);
	tgt_set_mask(t, 0, 0);
	w = (struct want){ SIGUSR1, t->tid[0], 0, SI_TKILL, getpid(), 0, 0,
			   0 };
	expect_one("leader's thread fd, leader unblocks", t, &w);

	close(fd);
	close(pfd);
	tgt_stop(t);
}

TEST(open_thread_fd_of_leader)
{
	open_thread_leader_run(&impl_mod);
}

TEST(open_thread_fd_of_leader_native)
{
	open_thread_leader_run(&impl_native);
}

/* Native on 6.1 and 6.12 alike (ENOENT only from 6.15). */
static void open_without_flag_run(const struct impl *im)
{
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	int fd;

	EXPECT_CALL("non-leader tid, no flag", EINVAL, im->open(t->tid[1], 0));
	EXPECT_CALL("non-leader tid, NONBLOCK", EINVAL,
		    im->open(t->tid[1], O_NONBLOCK));
	/* The same number is fine as a thread, and the leader as a process. */
	fd = im->open(t->pid, 0);
	EXPECT_GE(fd, 0);
	close(fd);
	tgt_stop(t);
}

TEST(open_non_leader_without_thread_flag_einval)
{
	open_without_flag_run(&impl_mod);
}

TEST(open_non_leader_without_thread_flag_einval_native)
{
	open_without_flag_run(&impl_native);
}

static void open_nonblock_run(const struct impl *im)
{
	struct tgt *t;
	int fd, fl;

	require(im, NEED_THREAD);
	t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	fd = im->open(t->tid[1], PIDFD_THREAD | O_NONBLOCK);
	ASSERT_GE(fd, 0);
	fl = fcntl(fd, F_GETFL);
	EXPECT_TRUE(fl & O_NONBLOCK);
	EXPECT_TRUE(fl & O_EXCL);
	EXPECT_EQ(O_RDWR, fl & O_ACCMODE);
	EXPECT_EQ(t->tid[1], fdinfo_key(fd, "Pid"));
	close(fd);
	tgt_stop(t);
}

TEST(open_thread_fd_nonblock)
{
	open_nonblock_run(&impl_mod);
}

TEST(open_thread_fd_nonblock_native)
{
	open_nonblock_run(&impl_native);
}

/*
 * Where signals land
 */

/*
 * Every thread accepts SIGUSR1 and SIGUSR2, so a process-directed signal
 * goes to the leader (it gets the first chance); a thread fd's signal must
 * still be handled by its own thread.
 */
static void directed_run(const struct impl *im)
{
	struct tgt *t;
	struct want w;
	siginfo_t si;
	int fd[4], pfd, rep, i;
	char ctx[128];

	require(im, NEED_THREAD);
	t = tgt_spawn(4, 0, TGT_OWN_PGRP);

	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);
	tgt_reset(t);
	ASSERT_EQ(0, im->send(pfd, SIGUSR1, NULL, 0));
	w = (struct want){ SIGUSR1, t->tid[0], 0, SI_USER, getpid(), 0, 0, 0 };
	expect_one("premise: a process-directed signal goes to the leader",
		   t, &w);

	for (i = 1; i < 4; i++) {
		fd[i] = im->open(t->tid[i], PIDFD_THREAD);
		ASSERT_GE(fd[i], 0);
	}
	for (rep = 0; rep < 3; rep++) {
		for (i = 1; i < 4; i++) {
			snprintf(ctx, sizeof(ctx), "round %d, thread %d", rep,
				 i);
			tgt_reset(t);
			ASSERT_EQ(0, im->send(fd[i], SIGUSR1, NULL, 0));
			w = (struct want){ SIGUSR1, t->tid[i], 0, SI_TKILL,
					   getpid(), 0, 0, 0 };
			expect_one(ctx, t, &w);

			snprintf(ctx, sizeof(ctx),
				 "round %d, thread %d, SI_QUEUE siginfo", rep,
				 i);
			tgt_reset(t);
			make_info(&si, SIGUSR2, SI_QUEUE, 0x100 * rep + i);
			ASSERT_EQ(0, im->send(fd[i], SIGUSR2, &si, 0));
			w = (struct want){ SIGUSR2, t->tid[i], 0, SI_QUEUE,
					   getpid(), 0, 0x100 * rep + i, 1 };
			expect_one(ctx, t, &w);
		}
	}
	for (i = 1; i < 4; i++)
		close(fd[i]);
	close(pfd);
	tgt_stop(t);
}

TEST(thread_fd_signal_handled_by_that_thread)
{
	directed_run(&impl_mod);
}

TEST(thread_fd_signal_handled_by_that_thread_native)
{
	directed_run(&impl_native);
}

/* T blocks the signal, all others accept it: it waits for T. */
static void directed_blocked_run(const struct impl *im)
{
	struct tgt *t;
	struct want w;
	siginfo_t si;
	int fd;

	require(im, NEED_THREAD);
	t = tgt_spawn(3, 0, TGT_OWN_PGRP);
	fd = im->open(t->tid[1], PIDFD_THREAD);
	ASSERT_GE(fd, 0);

	tgt_set_mask(t, 1, SIGBIT(SIGUSR1));
	tgt_reset(t);
	ASSERT_EQ(0, im->send(fd, SIGUSR1, NULL, 0));
	expect_none("thread fd, T blocks", t, 150);
	expect_pending_on("thread fd, T blocks", t, 1, SIGUSR1);
	tgt_set_mask(t, 1, 0);
	w = (struct want){ SIGUSR1, t->tid[1], 0, SI_TKILL, getpid(), 0, 0, 0 };
	expect_one("thread fd, T unblocks", t, &w);

	tgt_set_mask(t, 1, SIGBIT(SIGUSR1));
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 77);
	ASSERT_EQ(0, im->send(fd, SIGUSR1, &si, 0));
	expect_none("thread fd with siginfo, T blocks", t, 150);
	expect_pending_on("thread fd with siginfo", t, 1, SIGUSR1);
	tgt_set_mask(t, 1, 0);
	w = (struct want){ SIGUSR1, t->tid[1], 0, SI_QUEUE, getpid(), 0, 77,
			   1 };
	expect_one("thread fd with siginfo, T unblocks", t, &w);

	close(fd);
	tgt_stop(t);
}

TEST(thread_fd_signal_waits_for_blocking_thread)
{
	directed_blocked_run(&impl_mod);
}

TEST(thread_fd_signal_waits_for_blocking_thread_native)
{
	directed_blocked_run(&impl_native);
}

/* SIGNAL_THREAD through a process fd: the leader, and only the leader. */
static void scope_thread_run(const struct impl *im)
{
	struct tgt *t;
	struct want w;
	siginfo_t si;
	int pfd;

	require(im, NEED_SCOPE);
	t = tgt_spawn(3, 0, TGT_OWN_PGRP);
	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);

	tgt_reset(t);
	ASSERT_EQ(0, im->send(pfd, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
	w = (struct want){ SIGUSR1, t->tid[0], 0, SI_TKILL, getpid(), 0, 0, 0 };
	expect_one("SIGNAL_THREAD, all accept", t, &w);

	tgt_set_mask(t, 0, SIGBIT(SIGUSR1));
	tgt_reset(t);
	ASSERT_EQ(0, im->send(pfd, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
	expect_none("SIGNAL_THREAD, leader blocks", t, 150);
	expect_pending_on("SIGNAL_THREAD, leader blocks", t, 0, SIGUSR1);
	tgt_set_mask(t, 0, 0);
	expect_one("SIGNAL_THREAD, leader unblocks", t, &w);

	tgt_set_mask(t, 0, SIGBIT(SIGUSR1));
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x5151);
	ASSERT_EQ(0, im->send(pfd, SIGUSR1, &si, PIDFD_SIGNAL_THREAD));
	expect_none("SIGNAL_THREAD with siginfo, leader blocks", t, 150);
	expect_pending_on("SIGNAL_THREAD with siginfo", t, 0, SIGUSR1);
	tgt_set_mask(t, 0, 0);
	w = (struct want){ SIGUSR1, t->tid[0], 0, SI_QUEUE, getpid(), 0,
			   0x5151, 1 };
	expect_one("SIGNAL_THREAD with siginfo, leader unblocks", t, &w);

	close(pfd);
	tgt_stop(t);
}

TEST(signal_thread_on_process_fd_is_leader_only)
{
	scope_thread_run(&impl_mod);
}

TEST(signal_thread_on_process_fd_is_leader_only_native)
{
	scope_thread_run(&impl_native);
}

/*
 * SIGNAL_THREAD_GROUP through the thread fd of T, which blocks the signal:
 * a process-directed signal, so another thread takes it.
 */
static void scope_group_run(const struct impl *im, int with_info)
{
	struct tgt *t;
	struct want w;
	siginfo_t si;
	int fd;

	require(im, NEED_THREAD | NEED_SCOPE);
	t = tgt_spawn(3, 0, TGT_OWN_PGRP);
	fd = im->open(t->tid[1], PIDFD_THREAD);
	ASSERT_GE(fd, 0);
	tgt_set_mask(t, 1, SIGBIT(SIGUSR1));

	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x7a7a);
	ASSERT_EQ(0, im->send(fd, SIGUSR1, with_info ? &si : NULL,
			      PIDFD_SIGNAL_THREAD_GROUP));
	w = (struct want){ SIGUSR1, 0, t->tid[1],
			   with_info ? SI_QUEUE : SI_USER, getpid(), 0,
			   0x7a7a, with_info };
	expect_one(with_info ? "SIGNAL_THREAD_GROUP with siginfo, T blocks" :
			       "SIGNAL_THREAD_GROUP, T blocks", t, &w);
	EXPECT_EQ(0, task_hex(t->pid, t->tid[1], "SigPnd") & SIGBIT(SIGUSR1));

	close(fd);
	tgt_stop(t);
}

TEST(signal_thread_group_on_thread_fd_reaches_group)
{
	scope_group_run(&impl_mod, 0);
}

TEST(signal_thread_group_on_thread_fd_reaches_group_native)
{
	scope_group_run(&impl_native, 0);
}

TEST(signal_thread_group_siginfo_on_thread_fd_reaches_group)
{
	scope_group_run(&impl_mod, 1);
}

TEST(signal_thread_group_siginfo_on_thread_fd_reaches_group_native)
{
	scope_group_run(&impl_native, 1);
}

/*
 * The default scope of a process fd with siginfo: process-directed too
 * (the leader blocks, thread 1 takes it).  Native since 5.1.
 */
static void procfd_info_group_run(const struct impl *im)
{
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	struct want w;
	siginfo_t si;
	int pfd = im->open(t->pid, 0);

	ASSERT_GE(pfd, 0);
	tgt_set_mask(t, 0, SIGBIT(SIGUSR1));
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x4242);
	ASSERT_EQ(0, im->send(pfd, SIGUSR1, &si, 0));
	w = (struct want){ SIGUSR1, t->tid[1], 0, SI_QUEUE, getpid(), 0,
			   0x4242, 1 };
	expect_one("process fd with siginfo, leader blocks", t, &w);
	EXPECT_EQ(0, task_hex(t->pid, t->pid, "SigPnd") & SIGBIT(SIGUSR1));
	close(pfd);
	tgt_stop(t);
}

TEST(process_fd_siginfo_reaches_group)
{
	procfd_info_group_run(&impl_mod);
}

TEST(process_fd_siginfo_reaches_group_native)
{
	procfd_info_group_run(&impl_native);
}

/*
 * A group-wide signal with siginfo while every thread blocks it: the kernel
 * queues it on the shared queue, where whichever thread unblocks it first
 * takes it.  send_sig_info() can only queue on one thread, which would keep
 * it from the thread that unblocks, so the module refuses it (EOPNOTSUPP)
 * and nothing is left pending anywhere.
 */
TEST(group_siginfo_all_threads_block_refused)
{
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	siginfo_t si;
	int i, pfd = pidfd_mod_open(t->pid, -1, 0);

	ASSERT_GE(pfd, 0);
	for (i = 0; i < 2; i++)
		tgt_set_mask(t, i, SIGBIT(SIGUSR1));
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x4343);
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(pfd, SIGUSR1, &si, 0));
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(pfd, SIGUSR1, &si,
				  PIDFD_MOD_SIGNAL_THREAD_GROUP));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, task_hex(t->pid, t->tid[i], "SigPnd") &
			     SIGBIT(SIGUSR1));
		EXPECT_EQ(0, task_hex(t->pid, t->tid[i], "ShdPnd") &
			     SIGBIT(SIGUSR1));
	}
	tgt_set_mask(t, 1, 0);
	expect_none("refused group siginfo, thread 1 unblocks", t, 150);
	close(pfd);
	tgt_stop(t);
}

/* The native reference: pending on the shared queue, taken on unblock. */
TEST(group_siginfo_all_threads_block_native)
{
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	struct want w;
	siginfo_t si;
	int i, pfd = sys_pidfd_open(t->pid, 0);

	ASSERT_GE(pfd, 0);
	for (i = 0; i < 2; i++)
		tgt_set_mask(t, i, SIGBIT(SIGUSR1));
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x4343);
	ASSERT_EQ(0, sys_pidfd_send_signal(pfd, SIGUSR1, &si, 0));
	EXPECT_NE(0, task_hex(t->pid, t->tid[1], "ShdPnd") & SIGBIT(SIGUSR1));
	tgt_set_mask(t, 1, 0);
	w = (struct want){ SIGUSR1, t->tid[1], 0, SI_QUEUE, getpid(), 0,
			   0x4343, 1 };
	expect_one("native group siginfo, thread 1 unblocks", t, &w);
	close(pfd);
	tgt_stop(t);
}

/* SIGNAL_PROCESS_GROUP: every member of the group the fd's pid leads. */
static void pgrp_members_run(const struct impl *im)
{
	struct tgt *m[3];
	struct want w;
	siginfo_t si;
	int fd, i, pass;
	char ctx[96];

	require(im, NEED_SCOPE);
	m[0] = tgt_spawn(2, 0, TGT_OWN_PGRP);
	for (i = 1; i < 3; i++) {
		m[i] = tgt_new(2, 0, TGT_JOIN_PGRP);
		m[i]->pgrp = m[0]->pid;
		tgt_start(m[i]);
		ASSERT_EQ(m[0]->pid, getpgid(m[i]->pid));
	}
	catch_sig(SIGUSR1);	/* this process is not in that group */
	fd = im->open(m[0]->pid, 0);
	ASSERT_GE(fd, 0);

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < 3; i++)
			tgt_reset(m[i]);
		make_info(&si, SIGUSR1, SI_QUEUE, 0x3300 + pass);
		ASSERT_EQ(0, im->send(fd, SIGUSR1, pass ? &si : NULL,
				      PIDFD_SIGNAL_PROCESS_GROUP));
		for (i = 0; i < 3; i++) {
			snprintf(ctx, sizeof(ctx), "member %d%s", i,
				 pass ? ", SI_QUEUE siginfo" : "");
			w = (struct want){ SIGUSR1, 0, 0,
					   pass ? SI_QUEUE : SI_USER, getpid(),
					   0, 0x3300 + pass, pass };
			expect_one(ctx, m[i], &w);
		}
	}
	EXPECT_EQ(0, got_sig);
	close(fd);
	for (i = 0; i < 3; i++)
		tgt_stop(m[i]);
}

TEST(signal_process_group_reaches_every_member)
{
	pgrp_members_run(&impl_mod);
}

TEST(signal_process_group_reaches_every_member_native)
{
	pgrp_members_run(&impl_native);
}

/*
 * An invalid signal number is EINVAL on every delivery path: the thread
 * scope, a siginfo to a process or thread, and a process group with a
 * siginfo, as natively (after ESRCH, before permission).
 */
static void invalid_sig_run(const struct impl *im)
{
	static const int bad[] = { 65, -1, 1000 };
	struct tgt *t;
	siginfo_t si;
	int pfd, tfd;
	unsigned int i;

	require(im, NEED_THREAD | NEED_SCOPE);
	t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	pfd = im->open(t->pid, 0);
	tfd = im->open(t->tid[1], PIDFD_THREAD);
	ASSERT_GE(pfd, 0);
	ASSERT_GE(tfd, 0);
	tgt_reset(t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_ERRNO(EINVAL, im->send(tfd, bad[i], NULL, 0));
		EXPECT_ERRNO(EINVAL, im->send(pfd, bad[i], NULL,
					      PIDFD_SIGNAL_THREAD));
		make_info(&si, bad[i], SI_QUEUE, 1);
		EXPECT_ERRNO(EINVAL, im->send(pfd, bad[i], &si, 0));
		EXPECT_ERRNO(EINVAL, im->send(tfd, bad[i], &si, 0));
		EXPECT_ERRNO(EINVAL, im->send(pfd, bad[i], &si,
					      PIDFD_SIGNAL_PROCESS_GROUP));
	}
	expect_none("invalid signals", t, 100);
	close(tfd);
	close(pfd);
	tgt_stop(t);
}

TEST(invalid_signal_every_path_einval)
{
	invalid_sig_run(&impl_mod);
}

TEST(invalid_signal_every_path_einval_native)
{
	invalid_sig_run(&impl_native);
}

/*
 * A process group whose members differ in permission, signalled by an
 * unprivileged caller: kill(2)'s partial-success rule gives 0 when any
 * member took the signal (only those it may signal get it), EPERM when
 * none may.  With and without a siginfo.
 */
struct pgrp_perm {
	const struct impl *im;
	int fd, with_info, want_err;
};

static void pgrp_perm_send(void *arg)
{
	struct pgrp_perm *p = arg;
	siginfo_t *info = NULL, si;

	make_info(&si, SIGUSR1, SI_QUEUE, 0x66);
	if (p->with_info)
		info = &si;
	if (p->want_err)
		EXPECT_ERRNO(p->want_err, p->im->send(p->fd, SIGUSR1, info,
						      PIDFD_SIGNAL_PROCESS_GROUP));
	else
		EXPECT_EQ(0, p->im->send(p->fd, SIGUSR1, info,
					 PIDFD_SIGNAL_PROCESS_GROUP));
}

static void pgrp_mixed_perm_run(const struct impl *im)
{
	struct pgrp_perm p = { .im = im };
	struct tgt *own, *root, *lone;
	int gfd, lfd;

	require(im, NEED_SCOPE);
	own = tgt_spawn(2, TEST_UID, TGT_OWN_PGRP);
	root = tgt_new(2, 0, TGT_JOIN_PGRP);
	root->pgrp = own->pid;
	tgt_start(root);
	ASSERT_EQ(own->pid, getpgid(root->pid));
	lone = tgt_spawn(1, 0, TGT_OWN_PGRP);
	gfd = im->open(own->pid, 0);
	lfd = im->open(lone->pid, 0);
	ASSERT_GE(gfd, 0);
	ASSERT_GE(lfd, 0);

	for (p.with_info = 0; p.with_info < 2; p.with_info++) {
		tgt_reset(own);
		tgt_reset(root);
		p.fd = gfd;
		p.want_err = 0;
		run_as(TEST_UID, pgrp_perm_send, &p);
		if (!tgt_wait(own, 1, 3000) || own->rec[0].sig != SIGUSR1)
			TH_FAIL(0, "%s: the member of the caller's uid did not get SIGUSR1",
				p.with_info ? "siginfo" : "no siginfo");
		expect_none("the root member", root, 150);

		/* A group of none it may signal. */
		tgt_reset(lone);
		p.fd = lfd;
		p.want_err = EPERM;
		run_as(TEST_UID, pgrp_perm_send, &p);
		expect_none("a group of root only", lone, 150);
	}
	close(lfd);
	close(gfd);
	tgt_stop(lone);
	tgt_stop(root);
	tgt_stop(own);
}

TEST(signal_process_group_mixed_permission)
{
	pgrp_mixed_perm_run(&impl_mod);
}

TEST(signal_process_group_mixed_permission_native)
{
	pgrp_mixed_perm_run(&impl_native);
}

/*
 * SIGNAL_PROCESS_GROUP is process-directed in each member: the member's
 * leader blocks the signal, its other thread takes it.
 */
static void pgrp_directed_run(const struct impl *im, int with_info)
{
	struct tgt *t;
	struct want w;
	siginfo_t si;
	int fd;

	require(im, NEED_SCOPE);
	t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	fd = im->open(t->pid, 0);
	ASSERT_GE(fd, 0);
	tgt_set_mask(t, 0, SIGBIT(SIGUSR1));
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x6161);
	ASSERT_EQ(0, im->send(fd, SIGUSR1, with_info ? &si : NULL,
			      PIDFD_SIGNAL_PROCESS_GROUP));
	w = (struct want){ SIGUSR1, t->tid[1], 0,
			   with_info ? SI_QUEUE : SI_USER, getpid(), 0, 0x6161,
			   with_info };
	expect_one(with_info ? "SIGNAL_PROCESS_GROUP with siginfo, leader blocks" :
			       "SIGNAL_PROCESS_GROUP, leader blocks", t, &w);
	EXPECT_EQ(0, task_hex(t->pid, t->pid, "SigPnd") & SIGBIT(SIGUSR1));
	close(fd);
	tgt_stop(t);
}

TEST(signal_process_group_is_process_directed)
{
	pgrp_directed_run(&impl_mod, 0);
}

TEST(signal_process_group_is_process_directed_native)
{
	pgrp_directed_run(&impl_native, 0);
}

TEST(signal_process_group_siginfo_is_process_directed)
{
	pgrp_directed_run(&impl_mod, 1);
}

TEST(signal_process_group_siginfo_is_process_directed_native)
{
	pgrp_directed_run(&impl_native, 1);
}

/*
 * No group is led by the fd's pid: a process in this test's group (not
 * its leader), and a non-leader thread.  ESRCH, nothing sent anywhere, not
 * even to the target's real group (this process).
 */
static void pgrp_empty_run(const struct impl *im)
{
	struct tgt *t;
	siginfo_t si;
	int pfd, tfd;

	require(im, NEED_THREAD | NEED_SCOPE);
	t = tgt_spawn(2, 0, TGT_SAME_PGRP);
	catch_sig(SIGUSR1);
	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);
	tfd = im->open(t->tid[1], PIDFD_THREAD);
	ASSERT_GE(tfd, 0);

	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 1);
	EXPECT_CALL("non-leader process", ESRCH,
		    im->send(pfd, SIGUSR1, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_CALL("non-leader process, siginfo", ESRCH,
		    im->send(pfd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_CALL("non-leader process, signal 0", ESRCH,
		    im->send(pfd, 0, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_CALL("thread fd", ESRCH,
		    im->send(tfd, SIGUSR1, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_CALL("thread fd, siginfo", ESRCH,
		    im->send(tfd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	expect_none("empty group", t, 100);
	EXPECT_EQ(0, got_sig);
	/* The target itself is there and may be signalled. */
	EXPECT_CALL("process itself", 0, im->send(pfd, 0, NULL, 0));

	close(pfd);
	close(tfd);
	tgt_stop(t);
}

TEST(signal_process_group_empty_esrch)
{
	pgrp_empty_run(&impl_mod);
}

TEST(signal_process_group_empty_esrch_native)
{
	pgrp_empty_run(&impl_native);
}

/*
 * The group leader is reaped, a member lives on: the process is gone
 * (ESRCH), the group it led is not.
 */
static void pgrp_reaped_leader_run(const struct impl *im)
{
	struct tgt *l, *m;
	struct want w;
	siginfo_t si;
	int fd;

	require(im, NEED_SCOPE);
	l = tgt_spawn(2, 0, TGT_OWN_PGRP);
	m = tgt_new(2, 0, TGT_JOIN_PGRP);
	m->pgrp = l->pid;
	tgt_start(m);
	fd = im->open(l->pid, 0);
	ASSERT_GE(fd, 0);
	kill_reap(l->pid);
	l->reaped = 1;

	tgt_reset(m);
	EXPECT_CALL("reaped leader, default scope", ESRCH,
		    im->send(fd, SIGUSR1, NULL, 0));
	EXPECT_CALL("reaped leader, SIGNAL_THREAD", ESRCH,
		    im->send(fd, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
	expect_none("reaped leader", m, 50);

	EXPECT_CALL("reaped leader, SIGNAL_PROCESS_GROUP", 0,
		    im->send(fd, SIGUSR1, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	w = (struct want){ SIGUSR1, 0, 0, SI_USER, getpid(), 0, 0, 0 };
	expect_one("member of a reaped leader's group", m, &w);

	tgt_reset(m);
	make_info(&si, SIGUSR1, SI_QUEUE, 0x1d1d);
	EXPECT_CALL("reaped leader, SIGNAL_PROCESS_GROUP, siginfo", 0,
		    im->send(fd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	w = (struct want){ SIGUSR1, 0, 0, SI_QUEUE, getpid(), 0, 0x1d1d, 1 };
	expect_one("member of a reaped leader's group, siginfo", m, &w);

	/* The last member goes too: the group is empty. */
	kill_reap(m->pid);
	m->reaped = 1;
	EXPECT_CALL("group gone, SIGNAL_PROCESS_GROUP", ESRCH,
		    im->send(fd, SIGUSR1, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_CALL("group gone, SIGNAL_PROCESS_GROUP, siginfo", ESRCH,
		    im->send(fd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_CALL("group gone, signal 0", ESRCH,
		    im->send(fd, 0, NULL, PIDFD_SIGNAL_PROCESS_GROUP));

	close(fd);
	tgt_stop(m);
	tgt_stop(l);
}

TEST(signal_process_group_after_leader_reaped)
{
	pgrp_reaped_leader_run(&impl_mod);
}

TEST(signal_process_group_after_leader_reaped_native)
{
	pgrp_reaped_leader_run(&impl_native);
}

/* More than one scope flag: EINVAL before anything else is looked at. */
static void multi_scope_run(const struct impl *im)
{
	static const unsigned int combos[] = {
		PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP,
		PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_PROCESS_GROUP,
		PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP,
		PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP |
			PIDFD_SIGNAL_PROCESS_GROUP,
	};
	struct tgt *t;
	siginfo_t si;
	void *bad = unmapped_page();
	char ctx[64];
	int fd, i;

	require(im, NEED_SCOPE);
	ASSERT_TRUE(bad != NULL);
	t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	fd = im->open(t->pid, 0);
	ASSERT_GE(fd, 0);
	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 1);
	for (i = 0; i < 4; i++) {
		snprintf(ctx, sizeof(ctx), "flags %#x", combos[i]);
		EXPECT_CALL(ctx, EINVAL, im->send(fd, SIGUSR1, NULL, combos[i]));
		EXPECT_CALL(ctx, EINVAL, im->send(fd, 0, NULL, combos[i]));
		EXPECT_CALL(ctx, EINVAL, im->send(fd, SIGUSR1, &si, combos[i]));
		/* Checked before the siginfo is read, and before the fd. */
		EXPECT_CALL(ctx, EINVAL, im->send(fd, SIGUSR1, bad, combos[i]));
		EXPECT_CALL(ctx, EINVAL, im->send(-1, SIGUSR1, NULL, combos[i]));
	}
	expect_none("several scope flags", t, 100);
	close(fd);
	tgt_stop(t);
}

TEST(signal_several_scope_flags_einval)
{
	multi_scope_run(&impl_mod);
}

TEST(signal_several_scope_flags_einval_native)
{
	multi_scope_run(&impl_native);
}

/*
 * siginfo
 */

/* A caller-supplied siginfo arrives verbatim, in every scope. */
struct info_ctx {
	const struct impl *im;
	struct tfds f;
};

static void info_verbatim_caller(void *arg)
{
	struct info_ctx *c = arg;
	struct tgt *t = c->f.t;
	struct want w;
	siginfo_t si;
	char ctx[128];
	int i, fd;

	for (i = 0; i < NSCOPES; i++) {
		fd = scope_fd(&c->f, &scopes[i]);
		if (fd < 0)
			continue;
		snprintf(ctx, sizeof(ctx), "%s: %s", c->im->name,
			 scopes[i].name);
		tgt_reset(t);
		make_info(&si, SIGRTMIN, SI_QUEUE, 0x5a5a0000 + i);
		/* Whatever the sender claims: the kernel checks only si_code. */
		si.si_pid = 4242 + i;
		si.si_uid = 4343 + i;
		EXPECT_CALL(ctx, 0, c->im->send(fd, SIGRTMIN, &si,
						scopes[i].flags));
		w = (struct want){ SIGRTMIN, scope_tid(t, &scopes[i]), 0,
				   SI_QUEUE, 4242 + i, 4343 + i,
				   0x5a5a0000 + i, 1 };
		expect_one(ctx, t, &w);
	}
}

static void info_verbatim_run(const struct impl *im)
{
	struct info_ctx c = { .im = im };
	struct tgt *t = tgt_spawn(2, TEST_UID, TGT_OWN_PGRP);

	tfds_open(&c.f, im, t);
	run_as(TEST_UID, info_verbatim_caller, &c);
	tfds_close(&c.f);
	tgt_stop(t);
	partial(c.f.missing);
}

TEST(siginfo_queue_arrives_verbatim)
{
	info_verbatim_run(&impl_mod);
}

TEST(siginfo_queue_arrives_verbatim_native)
{
	info_verbatim_run(&impl_native);
}

/*
 * Without siginfo the kernel fills it in: SI_TKILL for a thread, SI_USER
 * otherwise, si_pid the caller's tgid (sent here from a non-leader thread),
 * si_uid the caller's uid.
 */
static void *kernel_info_thread(void *arg)
{
	struct info_ctx *c = arg;
	struct tgt *t = c->f.t;
	struct want w;
	char ctx[128];
	int i, fd;

	ASSERT_TRUE(sys_gettid() != getpid());
	for (i = 0; i < NSCOPES; i++) {
		fd = scope_fd(&c->f, &scopes[i]);
		if (fd < 0)
			continue;
		snprintf(ctx, sizeof(ctx), "%s: %s", c->im->name,
			 scopes[i].name);
		tgt_reset(t);
		EXPECT_CALL(ctx, 0, c->im->send(fd, SIGUSR2, NULL,
						scopes[i].flags));
		w = (struct want){ SIGUSR2, scope_tid(t, &scopes[i]), 0,
				   scopes[i].code, getpid(), TEST_UID, 0, 0 };
		expect_one(ctx, t, &w);
	}
	return NULL;
}

static void kernel_info_caller(void *arg)
{
	run_in_thread(kernel_info_thread, arg);
}

static void kernel_info_run(const struct impl *im)
{
	struct info_ctx c = { .im = im };
	struct tgt *t = tgt_spawn(2, TEST_UID, TGT_OWN_PGRP);

	tfds_open(&c.f, im, t);
	run_as(TEST_UID, kernel_info_caller, &c);
	tfds_close(&c.f);
	tgt_stop(t);
	partial(c.f.missing);
}

TEST(siginfo_filled_in_by_kernel)
{
	kernel_info_run(&impl_mod);
}

TEST(siginfo_filled_in_by_kernel_native)
{
	kernel_info_run(&impl_native);
}

/*
 * Refused siginfo to another process: si_signo != sig (EINVAL, before the
 * si_code check), si_code >= 0 or SI_TKILL (EPERM, even for root), in
 * every scope; nothing is delivered.
 */
static void info_refused_run(const struct impl *im)
{
	static const int codes[] = { SI_USER, 1, SI_KERNEL, SI_TKILL };
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	struct tfds f;
	siginfo_t si;
	char ctx[128];
	int i, j, fd;

	tfds_open(&f, im, t);
	tgt_reset(t);
	for (i = 0; i < NSCOPES; i++) {
		fd = scope_fd(&f, &scopes[i]);
		if (fd < 0)
			continue;
		snprintf(ctx, sizeof(ctx), "%s, si_signo != sig",
			 scopes[i].name);
		make_info(&si, SIGUSR2, SI_QUEUE, 1);
		EXPECT_CALL(ctx, EINVAL, im->send(fd, SIGUSR1, &si,
						  scopes[i].flags));
		make_info(&si, SIGUSR2, SI_USER, 1);
		EXPECT_CALL(ctx, EINVAL, im->send(fd, SIGUSR1, &si,
						  scopes[i].flags));
		make_info(&si, SIGUSR1, SI_QUEUE, 1);
		EXPECT_CALL(ctx, EINVAL, im->send(fd, 0, &si,
						  scopes[i].flags));
		for (j = 0; j < 4; j++) {
			snprintf(ctx, sizeof(ctx), "%s, si_code %d",
				 scopes[i].name, codes[j]);
			make_info(&si, SIGUSR1, codes[j], 1);
			EXPECT_CALL(ctx, EPERM, im->send(fd, SIGUSR1, &si,
							 scopes[i].flags));
		}
	}
	expect_none("refused siginfo", t, 100);
	tfds_close(&f);
	tgt_stop(t);
	partial(f.missing);
}

TEST(siginfo_refused_to_another_process)
{
	info_refused_run(&impl_mod);
}

TEST(siginfo_refused_to_another_process_native)
{
	info_refused_run(&impl_native);
}

/*
 * To yourself any si_code goes, as long as the fd's pid is the calling
 * thread's own and the scope is at most the thread group.
 */
struct self_ctx {
	const struct impl *im;
	int pfd;	/* process fd of this process (the leader's pid) */
	int leader_tfd;	/* thread fd of the leader */
	pid_t worker;	/* tid of the second thread */
	int worker_tfd;
};

static void wait_got(int sig)
{
	int ms;

	for (ms = 0; got_sig != sig && ms < 2000; ms++)
		sleep_ms(1);
}

static void *self_worker(void *arg)
{
	struct self_ctx *c = arg;
	siginfo_t si;

	c->worker = sys_gettid();
	c->worker_tfd = c->im->open(c->worker, PIDFD_THREAD);
	ASSERT_GE(c->worker_tfd, 0);

	/* Its own thread fd: allowed, handled right here. */
	got_sig = 0;
	make_info(&si, SIGUSR1, SI_USER, 21);
	EXPECT_CALL("worker, own thread fd, SI_USER", 0,
		    c->im->send(c->worker_tfd, SIGUSR1, &si, 0));
	wait_got(SIGUSR1);
	EXPECT_EQ(SIGUSR1, got_sig);
	EXPECT_EQ(c->worker, got_tid);
	EXPECT_EQ(SI_USER, got_code);
	EXPECT_EQ(21, got_value);

	got_sig = 0;
	make_info(&si, SIGUSR1, SI_TKILL, 22);
	EXPECT_CALL("worker, own thread fd, SI_TKILL", 0,
		    c->im->send(c->worker_tfd, SIGUSR1, &si, 0));
	wait_got(SIGUSR1);
	EXPECT_EQ(c->worker, got_tid);
	EXPECT_EQ(SI_TKILL, got_code);

	/* The process fd names the leader's pid, not this thread's. */
	got_sig = 0;
	make_info(&si, SIGUSR1, SI_USER, 23);
	EXPECT_CALL("worker, process fd, SI_USER", EPERM,
		    c->im->send(c->pfd, SIGUSR1, &si, 0));
	EXPECT_CALL("worker, leader's thread fd, SI_USER", EPERM,
		    c->im->send(c->leader_tfd, SIGUSR1, &si, 0));
	sleep_ms(50);
	EXPECT_EQ(0, got_sig);
	return NULL;
}

static void self_run(const struct impl *im)
{
	struct self_ctx c = { .im = im };
	static const unsigned int flags[] = {
		0, PIDFD_SIGNAL_THREAD, PIDFD_SIGNAL_THREAD_GROUP,
	};
	siginfo_t si;
	char ctx[64];
	int i;

	require(im, NEED_THREAD | NEED_SCOPE);
	catch_sig(SIGUSR1);
	c.pfd = im->open(getpid(), 0);
	ASSERT_GE(c.pfd, 0);
	c.leader_tfd = im->open(getpid(), PIDFD_THREAD);
	ASSERT_GE(c.leader_tfd, 0);

	for (i = 0; i < 3; i++) {
		snprintf(ctx, sizeof(ctx), "own process fd, flags %#x",
			 flags[i]);
		got_sig = 0;
		make_info(&si, SIGUSR1, SI_USER, 10 + i);
		EXPECT_CALL(ctx, 0, im->send(c.pfd, SIGUSR1, &si, flags[i]));
		wait_got(SIGUSR1);
		EXPECT_EQ(SIGUSR1, got_sig);
		EXPECT_EQ(SI_USER, got_code);
		EXPECT_EQ(10 + i, got_value);
	}
	got_sig = 0;
	make_info(&si, SIGUSR1, SI_TKILL, 14);
	EXPECT_CALL("own leader thread fd, SI_TKILL", 0,
		    im->send(c.leader_tfd, SIGUSR1, &si, 0));
	wait_got(SIGUSR1);
	EXPECT_EQ(SI_TKILL, got_code);
	EXPECT_EQ(14, got_value);

	run_in_thread(self_worker, &c);

	close(c.worker_tfd);
	close(c.pfd);
	close(c.leader_tfd);
}

TEST(siginfo_any_code_to_yourself)
{
	self_run(&impl_mod);
}

TEST(siginfo_any_code_to_yourself_native)
{
	self_run(&impl_native);
}

/*
 * The worker thread sends SI_USER to the main thread's thread fd: not
 * itself, so EPERM.
 */
static void *self_other_thread_worker(void *arg)
{
	struct self_ctx *c = arg;
	siginfo_t si;

	make_info(&si, SIGUSR1, SI_USER, 1);
	EXPECT_CALL("worker to the leader's thread fd", EPERM,
		    c->im->send(c->leader_tfd, SIGUSR1, &si, 0));
	make_info(&si, SIGUSR1, SI_QUEUE, 2);
	EXPECT_CALL("worker to the leader's thread fd, SI_QUEUE", 0,
		    c->im->send(c->leader_tfd, SIGUSR1, &si, 0));
	return NULL;
}

/*
 * SIGNAL_PROCESS_GROUP to your own group: si_code >= 0 or SI_TKILL is
 * refused even though the fd is your own (native: type > PIDTYPE_TGID);
 * SI_QUEUE goes.  The harness makes this process its group's leader.
 */
static void self_pgrp_run(const struct impl *im)
{
	struct self_ctx c = { .im = im };
	siginfo_t si;

	require(im, NEED_THREAD | NEED_SCOPE);
	ASSERT_EQ(getpid(), getpgrp());
	catch_sig(SIGUSR1);
	c.pfd = im->open(getpid(), 0);
	ASSERT_GE(c.pfd, 0);
	c.leader_tfd = im->open(getpid(), PIDFD_THREAD);
	ASSERT_GE(c.leader_tfd, 0);

	got_sig = 0;
	make_info(&si, SIGUSR1, SI_TKILL, 1);
	EXPECT_CALL("own group, SI_TKILL", EPERM,
		    im->send(c.pfd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	make_info(&si, SIGUSR1, SI_USER, 2);
	EXPECT_CALL("own group, SI_USER", EPERM,
		    im->send(c.pfd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	make_info(&si, SIGUSR1, SI_KERNEL, 3);
	EXPECT_CALL("own group, SI_KERNEL", EPERM,
		    im->send(c.pfd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	sleep_ms(50);
	EXPECT_EQ(0, got_sig);

	make_info(&si, SIGUSR1, SI_QUEUE, 4);
	EXPECT_CALL("own group, SI_QUEUE", 0,
		    im->send(c.pfd, SIGUSR1, &si, PIDFD_SIGNAL_PROCESS_GROUP));
	wait_got(SIGUSR1);
	EXPECT_EQ(SIGUSR1, got_sig);
	EXPECT_EQ(SI_QUEUE, got_code);
	EXPECT_EQ(4, got_value);

	/* Another thread of this process is not "yourself" either. */
	got_sig = 0;
	run_in_thread(self_other_thread_worker, &c);
	wait_got(SIGUSR1);
	EXPECT_EQ(SIGUSR1, got_sig);
	EXPECT_EQ(2, got_value);
	EXPECT_EQ(getpid(), got_tid);

	close(c.pfd);
	close(c.leader_tfd);
}

TEST(siginfo_process_group_to_yourself_eperm)
{
	self_pgrp_run(&impl_mod);
}

TEST(siginfo_process_group_to_yourself_eperm_native)
{
	self_pgrp_run(&impl_native);
}

/*
 * An unreadable siginfo: EFAULT.  Only sizeof(struct kernel_siginfo) (48
 * bytes) is read for a known layout, the whole siginfo_t for an unknown
 * one.
 */
static void info_efault_run(const struct impl *im)
{
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	void *bad = unmapped_page();
	siginfo_t si, *edge;
	struct tfds f;
	struct want w;
	char ctx[128];
	int i, fd;

	ASSERT_TRUE(bad != NULL);
	edge = edge_of_page(48);
	ASSERT_TRUE(edge != NULL);
	tfds_open(&f, im, t);
	for (i = 0; i < NSCOPES; i++) {
		fd = scope_fd(&f, &scopes[i]);
		if (fd < 0)
			continue;
		snprintf(ctx, sizeof(ctx), "%s, unmapped siginfo",
			 scopes[i].name);
		tgt_reset(t);
		EXPECT_CALL(ctx, EFAULT, im->send(fd, SIGUSR1, bad,
						  scopes[i].flags));
		EXPECT_CALL(ctx, EFAULT, im->send(fd, 0, bad,
						  scopes[i].flags));
		EXPECT_CALL(ctx, EFAULT, im->send(fd, SIGUSR1,
						  (siginfo_t *)8,
						  scopes[i].flags));

		/* Unknown layout: the 80 bytes after the first 48 are read. */
		snprintf(ctx, sizeof(ctx), "%s, unknown si_code at a page end",
			 scopes[i].name);
		make_info(&si, SIGUSR1, -8, 1);
		memcpy(edge, &si, 48);
		EXPECT_CALL(ctx, EFAULT, im->send(fd, SIGUSR1, edge,
						  scopes[i].flags));
		expect_none(ctx, t, 50);

		/* Known layout: 48 readable bytes are enough. */
		snprintf(ctx, sizeof(ctx), "%s, SI_QUEUE at a page end",
			 scopes[i].name);
		make_info(&si, SIGUSR1, SI_QUEUE, 0x600 + i);
		memcpy(edge, &si, 48);
		EXPECT_CALL(ctx, 0, im->send(fd, SIGUSR1, edge,
					     scopes[i].flags));
		w = (struct want){ SIGUSR1, scope_tid(t, &scopes[i]), 0,
				   SI_QUEUE, getpid(), 0, 0x600 + i, 1 };
		expect_one(ctx, t, &w);
	}
	tfds_close(&f);
	tgt_stop(t);
	partial(f.missing);
}

TEST(siginfo_bad_pointer_efault)
{
	info_efault_run(&impl_mod);
}

TEST(siginfo_bad_pointer_efault_native)
{
	info_efault_run(&impl_native);
}

/*
 * An si_code of unknown layout with non-zero bytes past the first 48:
 * E2BIG, before the si_code permission check; all-zero goes through.
 */
static void info_e2big_run(const struct impl *im)
{
	struct tgt *t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	struct tfds f;
	struct want w;
	siginfo_t si;
	char ctx[128];
	int i, fd;

	tfds_open(&f, im, t);
	for (i = 0; i < NSCOPES; i++) {
		fd = scope_fd(&f, &scopes[i]);
		if (fd < 0)
			continue;
		tgt_reset(t);
		snprintf(ctx, sizeof(ctx), "%s, si_code -8, byte 64 set",
			 scopes[i].name);
		make_info(&si, SIGUSR1, -8, 1);
		((char *)&si)[64] = 1;
		EXPECT_CALL(ctx, E2BIG, im->send(fd, SIGUSR1, &si,
						 scopes[i].flags));
		make_info(&si, SIGUSR1, -8, 1);
		((char *)&si)[sizeof(si) - 1] = 1;
		EXPECT_CALL(ctx, E2BIG, im->send(fd, SIGUSR1, &si,
						 scopes[i].flags));
		snprintf(ctx, sizeof(ctx),
			 "%s, si_code 100 (would be EPERM), byte 64 set",
			 scopes[i].name);
		make_info(&si, SIGUSR1, 100, 1);
		((char *)&si)[64] = 1;
		EXPECT_CALL(ctx, E2BIG, im->send(fd, SIGUSR1, &si,
						 scopes[i].flags));
		snprintf(ctx, sizeof(ctx), "%s, si_code 100, zero tail",
			 scopes[i].name);
		make_info(&si, SIGUSR1, 100, 1);
		EXPECT_CALL(ctx, EPERM, im->send(fd, SIGUSR1, &si,
						 scopes[i].flags));
		expect_none(ctx, t, 50);

		snprintf(ctx, sizeof(ctx), "%s, si_code -8, zero tail",
			 scopes[i].name);
		make_info(&si, SIGUSR1, -8, 0x800 + i);
		EXPECT_CALL(ctx, 0, im->send(fd, SIGUSR1, &si,
					     scopes[i].flags));
		w = (struct want){ SIGUSR1, scope_tid(t, &scopes[i]), 0, -8,
				   getpid(), 0, 0x800 + i, 1 };
		expect_one(ctx, t, &w);

		/* A known layout: the tail is not looked at. */
		tgt_reset(t);
		snprintf(ctx, sizeof(ctx), "%s, SI_QUEUE, byte 64 set",
			 scopes[i].name);
		make_info(&si, SIGUSR1, SI_QUEUE, 0x900 + i);
		((char *)&si)[64] = 1;
		EXPECT_CALL(ctx, 0, im->send(fd, SIGUSR1, &si,
					     scopes[i].flags));
		w = (struct want){ SIGUSR1, scope_tid(t, &scopes[i]), 0,
				   SI_QUEUE, getpid(), 0, 0x900 + i, 1 };
		expect_one(ctx, t, &w);
	}
	tfds_close(&f);
	tgt_stop(t);
	partial(f.missing);
}

TEST(siginfo_unknown_layout_e2big)
{
	info_e2big_run(&impl_mod);
}

TEST(siginfo_unknown_layout_e2big_native)
{
	info_e2big_run(&impl_native);
}

/*
 * kill(2) permissions, for every scope, with and without siginfo.
 */
struct perm_row {
	const char *name;
	uid_t caller, target;
	enum tgt_mode mode;
	int sig;
	int err;
};

static const struct perm_row perm_rows[] = {
	{ "unprivileged to root", TEST_UID, 0, TGT_OWN_PGRP, SIGUSR1, EPERM },
	{ "same uid", TEST_UID, TEST_UID, TGT_OWN_PGRP, SIGUSR1, 0 },
	{ "root to another uid", 0, TEST_UID, TGT_OWN_PGRP, SIGUSR1, 0 },
	{ "unprivileged to another uid", TEST_UID, TEST_UID2, TGT_OWN_PGRP,
	  SIGUSR1, EPERM },
	{ "SIGCONT to another uid, same session", TEST_UID, TEST_UID2,
	  TGT_OWN_PGRP, SIGCONT, 0 },
	{ "SIGCONT to root, same session", TEST_UID, 0, TGT_OWN_PGRP, SIGCONT,
	  0 },
	{ "SIGCONT to another uid, other session", TEST_UID, TEST_UID2,
	  TGT_SETSID, SIGCONT, EPERM },
};

struct perm_ctx {
	const struct perm_row *row;
	struct tfds f;
};

static void perm_caller(void *arg)
{
	struct perm_ctx *c = arg;
	const struct perm_row *row = c->row;
	struct tgt *t = c->f.t;
	struct want w;
	siginfo_t si;
	char ctx[192];
	int i, info, fd;

	for (i = 0; i < NSCOPES; i++) {
		fd = scope_fd(&c->f, &scopes[i]);
		if (fd < 0)
			continue;
		for (info = 0; info < 2; info++) {
			snprintf(ctx, sizeof(ctx), "%s: %s: %s, %s",
				 c->f.im->name, row->name, scopes[i].name,
				 info ? "SI_QUEUE siginfo" : "no siginfo");
			tgt_reset(t);
			make_info(&si, row->sig, SI_QUEUE, 0x2000 + 2 * i + info);
			EXPECT_CALL(ctx, row->err,
				    c->f.im->send(fd, row->sig,
						  info ? &si : NULL,
						  scopes[i].flags));
			if (row->err) {
				expect_none(ctx, t, 100);
				continue;
			}
			w = (struct want){ row->sig, scope_tid(t, &scopes[i]),
					   0, info ? SI_QUEUE : scopes[i].code,
					   getpid(), getuid(),
					   0x2000 + 2 * i + info, info };
			expect_one(ctx, t, &w);
		}
		/*
		 * Signal 0 probes the same permission, without the SIGCONT
		 * exception (every SIGCONT row crosses uids).
		 */
		snprintf(ctx, sizeof(ctx), "%s: %s: %s, signal 0",
			 c->f.im->name, row->name, scopes[i].name);
		EXPECT_CALL(ctx, row->sig == SIGCONT ? EPERM : row->err,
			    c->f.im->send(fd, 0, NULL, scopes[i].flags));
	}
}

static void perm_run(const struct impl *im, int n)
{
	const struct perm_row *row = &perm_rows[n];
	struct perm_ctx c = { .row = row };
	struct tgt *t = tgt_spawn(2, row->target, row->mode);

	tfds_open(&c.f, im, t);
	run_as(row->caller, perm_caller, &c);
	tfds_close(&c.f);
	tgt_stop(t);
	partial(c.f.missing);
}

TEST(perm_unprivileged_to_root_eperm)
{
	perm_run(&impl_mod, 0);
}

TEST(perm_unprivileged_to_root_eperm_native)
{
	perm_run(&impl_native, 0);
}

TEST(perm_same_uid_allowed)
{
	perm_run(&impl_mod, 1);
}

TEST(perm_same_uid_allowed_native)
{
	perm_run(&impl_native, 1);
}

TEST(perm_root_to_other_uid_allowed)
{
	perm_run(&impl_mod, 2);
}

TEST(perm_root_to_other_uid_allowed_native)
{
	perm_run(&impl_native, 2);
}

TEST(perm_unprivileged_to_other_uid_eperm)
{
	perm_run(&impl_mod, 3);
}

TEST(perm_unprivileged_to_other_uid_eperm_native)
{
	perm_run(&impl_native, 3);
}

TEST(perm_sigcont_same_session_allowed)
{
	perm_run(&impl_mod, 4);
}

TEST(perm_sigcont_same_session_allowed_native)
{
	perm_run(&impl_native, 4);
}

TEST(perm_sigcont_to_root_same_session_allowed)
{
	perm_run(&impl_mod, 5);
}

TEST(perm_sigcont_to_root_same_session_allowed_native)
{
	perm_run(&impl_native, 5);
}

TEST(perm_sigcont_other_session_eperm)
{
	perm_run(&impl_mod, 6);
}

TEST(perm_sigcont_other_session_eperm_native)
{
	perm_run(&impl_native, 6);
}

/*
 * Thread exit
 */

/*
 * A poll that is already waiting wakes when the thread exits, while the
 * process lives on; once the thread is released, POLLHUP too.
 */
static void exit_poll_run(const struct impl *im)
{
	struct tgt *t;
	int pfd, fd, i, rev, woke = 0;
	long t0, el;

	require(im, NEED_THREAD);
	t = tgt_spawn(4, 0, TGT_OWN_PGRP);
	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);

	for (i = 1; i < 4 && !woke; i++) {
		fd = im->open(t->tid[i], PIDFD_THREAD);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(0, poll_fd(fd, 0));

		t->exit_delay_ms[i] = 300;
		STORE(t->quit[i], 1);
		t0 = now_ms();
		rev = poll_fd(fd, 8000);
		el = now_ms() - t0;
		/*
		 * poll() looks once more when it times out, so POLLIN alone
		 * does not prove a wakeup: it must come well before that.
		 */
		if (!(rev & POLLIN) || el >= 4000)
			TH_FAIL(1, "thread %d exited: poll() revents %#x after %ld ms (timeout 8000): not woken",
				t->tid[i], rev, el);
		/* The process is alive, and its fd not readable. */
		EXPECT_EQ(0, kill(t->pid, 0));
		EXPECT_EQ(0, poll_fd(pfd, 0));
		ASSERT_TRUE(wait_thread_gone(t->pid, t->tid[i], 5000));
		EXPECT_EQ(POLLIN | POLLHUP, poll_fd(fd, 0));
		close(fd);
		if (el >= 150)
			woke = 1;
		else
			th_diag("thread %d exited before poll() slept (%ld ms); again with the next",
				t->tid[i], el);
	}
	EXPECT_TRUE(woke);
	EXPECT_EQ(0, poll_fd(pfd, 0));
	close(pfd);
	tgt_stop(t);
}

TEST(thread_fd_poll_wakes_on_thread_exit)
{
	exit_poll_run(&impl_mod);
}

TEST(thread_fd_poll_wakes_on_thread_exit_native)
{
	exit_poll_run(&impl_native);
}

/* After the thread is gone: ESRCH in every scope, fdinfo Pid -1. */
static void after_exit_run(const struct impl *im)
{
	struct tgt *t;
	siginfo_t si;
	char ctx[128];
	pid_t tid;
	int fd, pfd, i;

	require(im, NEED_THREAD | NEED_SCOPE);
	t = tgt_spawn(3, 0, TGT_OWN_PGRP);
	tid = t->tid[1];
	fd = im->open(tid, PIDFD_THREAD);
	ASSERT_GE(fd, 0);
	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);
	EXPECT_EQ(tid, fdinfo_key(fd, "Pid"));

	STORE(t->quit[1], 1);
	ASSERT_TRUE(wait_thread_gone(t->pid, tid, 5000));

	tgt_reset(t);
	make_info(&si, SIGUSR1, SI_QUEUE, 1);
	for (i = 0; i < NSCOPES; i++) {
		if (!scopes[i].thread_fd)
			continue;
		snprintf(ctx, sizeof(ctx), "%s, thread gone", scopes[i].name);
		EXPECT_CALL(ctx, ESRCH, im->send(fd, SIGUSR1, NULL,
						 scopes[i].flags));
		EXPECT_CALL(ctx, ESRCH, im->send(fd, 0, NULL, scopes[i].flags));
		EXPECT_CALL(ctx, ESRCH, im->send(fd, SIGUSR1, &si,
						 scopes[i].flags));
	}
	EXPECT_CALL("thread fd, SIGNAL_PROCESS_GROUP, thread gone", ESRCH,
		    im->send(fd, SIGUSR1, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	expect_none("thread gone", t, 100);

	EXPECT_EQ(-1, fdinfo_key(fd, "Pid"));
	EXPECT_EQ(-1, fdinfo_key(fd, "NSpid"));
	EXPECT_EQ(POLLIN | POLLHUP, poll_fd(fd, 0));
	EXPECT_CALL("open the gone tid", ESRCH, im->open(tid, PIDFD_THREAD));
	/* The process is untouched. */
	EXPECT_CALL("process fd", 0, im->send(pfd, 0, NULL, 0));
	EXPECT_EQ(0, poll_fd(pfd, 0));

	if (!im->native) {
		int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		ASSERT_GE(proc, 0);
		EXPECT_CALL("PROCFD, thread gone", ESRCH,
			    pidfd_mod_procfd_open(proc, fd, 0));
		close(proc);
	}
	close(fd);
	close(pfd);
	tgt_stop(t);
}

TEST(thread_fd_after_thread_exit_esrch)
{
	after_exit_run(&impl_mod);
}

TEST(thread_fd_after_thread_exit_esrch_native)
{
	after_exit_run(&impl_native);
}

/*
 * The leader exits first: its thread fd, like the process fd, does not
 * report until the whole group has exited; a signal to it is accepted (a
 * zombie) and reaches no other thread.
 */
static void leader_first_run(const struct impl *im)
{
	struct tgt *t;
	struct want w;
	int lfd, pfd, tfd, ms, rev;
	long t0, el;

	require(im, NEED_THREAD);
	t = tgt_spawn(2, 0, TGT_OWN_PGRP);
	lfd = im->open(t->pid, PIDFD_THREAD);
	ASSERT_GE(lfd, 0);
	pfd = im->open(t->pid, 0);
	ASSERT_GE(pfd, 0);
	tfd = im->open(t->tid[1], PIDFD_THREAD);
	ASSERT_GE(tfd, 0);

	STORE(t->quit[0], 1);
	for (ms = 0; task_state(t->pid, t->pid) != 'Z'; ms++) {
		ASSERT_TRUE(ms < 5000);
		sleep_ms(1);
	}
	EXPECT_EQ(0, poll_fd(lfd, 200));
	EXPECT_EQ(0, poll_fd(pfd, 0));
	EXPECT_EQ(0, poll_fd(tfd, 0));

	tgt_reset(t);
	EXPECT_CALL("exited leader's thread fd", 0,
		    im->send(lfd, SIGUSR1, NULL, 0));
	expect_none("exited leader's thread fd", t, 150);
	EXPECT_CALL("process fd, leader exited", 0,
		    im->send(pfd, SIGUSR2, NULL, 0));
	w = (struct want){ SIGUSR2, t->tid[1], 0, SI_USER, getpid(), 0, 0, 0 };
	expect_one("process fd, leader exited", t, &w);

	/* The last thread leaves: the group is done, a zombie. */
	STORE(t->quit[1], 1);
	t0 = now_ms();
	rev = poll_fd(lfd, 8000);
	el = now_ms() - t0;
	if (!(rev & POLLIN) || el >= 4000)
		TH_FAIL(0, "group exited: leader's thread fd revents %#x after %ld ms (timeout 8000): not woken",
			rev, el);
	EXPECT_EQ(POLLIN, poll_fd(pfd, 1000));
	EXPECT_TRUE(poll_fd(tfd, 1000) & POLLIN);
	/* A zombie accepts signals and drops them; once reaped, ESRCH. */
	EXPECT_CALL("zombie, leader's thread fd", 0,
		    im->send(lfd, SIGUSR1, NULL, 0));
	EXPECT_CALL("zombie, process fd", 0, im->send(pfd, SIGUSR1, NULL, 0));
	EXPECT_CALL("zombie, thread fd of the released thread", ESRCH,
		    im->send(tfd, SIGUSR1, NULL, 0));
	ASSERT_EQ(t->pid, waitpid(t->pid, NULL, 0));
	t->reaped = 1;
	EXPECT_EQ(POLLIN | POLLHUP, poll_fd(lfd, 0));
	EXPECT_EQ(POLLIN | POLLHUP, poll_fd(pfd, 0));
	EXPECT_CALL("reaped, leader's thread fd", ESRCH,
		    im->send(lfd, SIGUSR1, NULL, 0));
	EXPECT_CALL("reaped, process fd", ESRCH,
		    im->send(pfd, SIGUSR1, NULL, 0));
	EXPECT_EQ(-1, fdinfo_key(lfd, "Pid"));

	close(lfd);
	close(pfd);
	close(tfd);
	tgt_stop(t);
}

TEST(leader_thread_fd_waits_for_whole_group)
{
	leader_first_run(&impl_mod);
}

TEST(leader_thread_fd_waits_for_whole_group_native)
{
	leader_first_run(&impl_native);
}

/*
 * Without native thread fds (before Linux 6.9), the module's probes on
 * sched_process_exit and sched_process_exec run only while a thread fd
 * exists anywhere: the first one attaches them, and they are detached a
 * second after the last one is closed (unless another is opened by then).
 * The module's debugfs file counts the thread fds and every run of each
 * probe, so exits that the exit probe does not count show it detached.
 * Attached again by a new thread fd, the probes still wake a poller that
 * is already waiting.
 */
#define THREAD_PROBES	"/sys/kernel/debug/pidfd_mod/thread_probes"
#define GATE_EXITS	20
#define DETACH_MS	5000	/* the module detaches after 1 s */

static long probes_key(const char *key)
{
	return read_key_at(AT_FDCWD, THREAD_PROBES, key);
}

/* How often the exit probe ran while GATE_EXITS children exited. */
static long exit_probe_runs(void)
{
	long before = probes_key("exit_probe_calls");
	pid_t pid;
	int i;

	ASSERT_GE(before, 0);
	for (i = 0; i < GATE_EXITS; i++) {
		pid = spawn_exiter(0);
		ASSERT_GE(pid, 0);
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
	return probes_key("exit_probe_calls") - before;
}

/*
 * Attached, the probe counts every one of the exits.  Detached, it counts
 * none; another task of the system may exit meanwhile, so one of three
 * rounds must count nothing.
 */
static void expect_probes(const char *ctx, long fds)
{
	long runs = 0;
	int round, ms;

	EXPECT_EQ(fds, probes_key("thread_fds"));
	for (ms = 0; !fds && probes_key("probes_attached") && ms < DETACH_MS;
	     ms += 10)
		sleep_ms(10);
	EXPECT_EQ(fds > 0, probes_key("probes_attached"));
	if (fds) {
		runs = exit_probe_runs();
		if (runs < GATE_EXITS)
			TH_FAIL(0, "%s: the exit probe ran %ld times for %d exits: not attached",
				ctx, runs, GATE_EXITS);
		else
			th_diag("%s: the exit probe ran %ld times for %d exits",
				ctx, runs, GATE_EXITS);
		return;
	}
	for (round = 0; round < 3; round++) {
		runs = exit_probe_runs();
		if (!runs) {
			th_diag("%s: detached after %d ms; the exit probe did not run for %d exits",
				ctx, ms, GATE_EXITS);
			return;
		}
	}
	TH_FAIL(0, "%s: the exit probe ran %ld times for %d exits: attached",
		ctx, runs, GATE_EXITS);
}

TEST(thread_probes_attached_only_while_thread_fds_exist)
{
	struct tgt *t;
	int pfd, fd1, fd2, fd, i, rev, woke = 0;
	long t0, el;

	if (!native_lacks(NEED_THREAD))
		SKIP("this kernel has native thread fds (PIDFD_THREAD, Linux 6.9): the module attaches no probes and has no %s",
		     THREAD_PROBES);
	if (access(THREAD_PROBES, R_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(THREAD_PROBES, R_OK))
		TH_FAIL(1, "%s: %s", THREAD_PROBES, strerror(errno));

	t = tgt_spawn(5, 0, TGT_OWN_PGRP);
	expect_probes("no thread fd", 0);
	pfd = pidfd_mod_open(t->pid, -1, 0);
	ASSERT_GE(pfd, 0);
	expect_probes("a process fd only", 0);

	fd1 = pidfd_mod_open(t->tid[1], -1, PIDFD_MOD_THREAD);
	ASSERT_GE(fd1, 0);
	expect_probes("first thread fd", 1);
	fd2 = pidfd_mod_open(t->tid[2], -1, PIDFD_MOD_THREAD);
	ASSERT_GE(fd2, 0);
	expect_probes("second thread fd", 2);
	close(fd1);
	expect_probes("first thread fd closed", 1);
	close(fd2);
	expect_probes("last thread fd closed", 0);

	for (i = 3; i < 5 && !woke; i++) {
		fd = pidfd_mod_open(t->tid[i], -1, PIDFD_MOD_THREAD);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(1, probes_key("probes_attached"));
		EXPECT_EQ(0, poll_fd(fd, 0));

		t->exit_delay_ms[i] = 300;
		STORE(t->quit[i], 1);
		t0 = now_ms();
		rev = poll_fd(fd, 8000);
		el = now_ms() - t0;
		if (!(rev & POLLIN) || el >= 4000)
			TH_FAIL(1, "attached again: thread %d exited: poll() revents %#x after %ld ms (timeout 8000): not woken",
				t->tid[i], rev, el);
		close(fd);
		if (el >= 150)
			woke = 1;
		else
			th_diag("thread %d exited before poll() slept (%ld ms); again with the next",
				t->tid[i], el);
	}
	EXPECT_TRUE(woke);
	expect_probes("attached again, then closed", 0);
	close(pfd);
	tgt_stop(t);
}

/*
 * The tid is reused: in a new pid namespace (this process becomes its
 * parent), the namespace's init makes a thread, opens its thread fd, lets
 * the thread exit and forks a process with the same number.  The old fd
 * must not reach the newcomer, in any scope.
 */
static void *reuse_thread(void *arg)
{
	volatile int *quit = arg;

	while (!*quit)
		sleep_ms(2);
	return NULL;
}

static pid_t reuse_tid;

static void *reuse_tid_thread(void *arg)
{
	reuse_tid = sys_gettid();
	return reuse_thread(arg);
}

static void reuse_in_ns(void *arg)
{
	const struct impl *im = arg;
	static volatile int quit;
	siginfo_t si;
	pthread_t th;
	pid_t b;
	int fd, nfd, proc, i, status;
	char ctx[96];

	ASSERT_EQ(1, getpid());
	ASSERT_EQ(0, pthread_create(&th, NULL, reuse_tid_thread,
				    (void *)&quit));
	while (!LOAD(reuse_tid))
		sleep_ms(1);
	fd = im->open(reuse_tid, PIDFD_THREAD);
	ASSERT_GE(fd, 0);
	/* /proc here is the parent namespace's: the outer number. */
	EXPECT_TRUE(fdinfo_key(fd, "Pid") > reuse_tid);

	quit = 1;
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_TRUE(wait_thread_gone(1, reuse_tid, 5000));

	/*
	 * tgkill() finds no task once the thread is detached from its
	 * struct pid, a moment before the number is freed: until then the
	 * number is taken (EEXIST).
	 */
	for (i = 0; (b = clone3_set_tid(reuse_tid, 0)) < 0 && errno == EEXIST &&
		    i < 5000; i++)
		sleep_ms(1);
	ASSERT_GE(b, 0);
	if (b == 0) {
		/* The newcomer: SIGUSR1 and SIGTERM would kill it. */
		setpgid(0, 0);
		for (;;)
			pause();
	}
	ASSERT_EQ(reuse_tid, b);
	while (getpgid(b) != b)
		sleep_ms(1);

	make_info(&si, SIGUSR1, SI_QUEUE, 1);
	for (i = 0; i < NSCOPES; i++) {
		if (!scopes[i].thread_fd)
			continue;
		snprintf(ctx, sizeof(ctx), "%s, tid reused", scopes[i].name);
		EXPECT_CALL(ctx, ESRCH, im->send(fd, SIGUSR1, NULL,
						 scopes[i].flags));
		EXPECT_CALL(ctx, ESRCH, im->send(fd, 0, NULL, scopes[i].flags));
		EXPECT_CALL(ctx, ESRCH, im->send(fd, SIGUSR1, &si,
						 scopes[i].flags));
	}
	/* The newcomer leads a group with that number; not the old pid's. */
	EXPECT_CALL("SIGNAL_PROCESS_GROUP, tid reused", ESRCH,
		    im->send(fd, SIGTERM, NULL, PIDFD_SIGNAL_PROCESS_GROUP));
	EXPECT_EQ(-1, fdinfo_key(fd, "Pid"));
	if (!im->native) {
		proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ASSERT_GE(proc, 0);
		EXPECT_CALL("PROCFD, tid reused", ESRCH,
			    pidfd_mod_procfd_open(proc, fd, 0));
		close(proc);
	}

	sleep_ms(100);
	EXPECT_EQ(0, waitpid(b, &status, WNOHANG));

	/* The number itself now opens the newcomer. */
	nfd = im->open(reuse_tid, 0);
	ASSERT_GE(nfd, 0);
	EXPECT_CALL("fresh fd of the newcomer", 0, im->send(nfd, 0, NULL, 0));
	close(nfd);
	close(fd);
	kill_reap(b);
}

static void reuse_run(const struct impl *im)
{
	require(im, NEED_THREAD | NEED_SCOPE);
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	/* The child is the init of the new pid namespace. */
	run_as(0, reuse_in_ns, (void *)im);
}

TEST(thread_fd_after_tid_reuse_esrch)
{
	reuse_run(&impl_mod);
}

TEST(thread_fd_after_tid_reuse_esrch_native)
{
	reuse_run(&impl_native);
}

/*
 * /proc and fdinfo
 */

/* PROCFD of a thread fd is that procfs's TGID/task/TID directory. */
TEST(procfd_of_thread_fd_is_task_dir)
{
	struct tgt *t = tgt_spawn(3, 0, TGT_OWN_PGRP);
	struct stat a, b;
	char path[64];
	int proc, fd, dir, i;

	proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(proc, 0);
	for (i = 0; i < 3; i++) {
		fd = pidfd_mod_open(t->tid[i], -1, PIDFD_MOD_THREAD);
		ASSERT_GE(fd, 0);
		dir = pidfd_mod_procfd_open(proc, fd, 0);
		ASSERT_GE(dir, 0);
		EXPECT_EQ(t->tid[i], read_key_at(dir, "status", "Pid"));
		EXPECT_EQ(t->pid, read_key_at(dir, "status", "Tgid"));
		/* A task directory has no task/ of its own; /proc/TID has. */
		EXPECT_ERRNO(ENOENT, faccessat(dir, "task", F_OK, 0));
		snprintf(path, sizeof(path), "/proc/%d/task/%d", t->pid,
			 t->tid[i]);
		ASSERT_EQ(0, fstat(dir, &a));
		ASSERT_EQ(0, stat(path, &b));
		EXPECT_EQ(b.st_ino, a.st_ino);
		EXPECT_EQ(b.st_dev, a.st_dev);
		EXPECT_EQ(FD_CLOEXEC, fcntl(dir, F_GETFD));
		close(dir);
		close(fd);
	}

	/* The process fd of the same pid: /proc/TGID itself. */
	fd = pidfd_mod_open(t->pid, -1, 0);
	ASSERT_GE(fd, 0);
	dir = pidfd_mod_procfd_open(proc, fd, 0);
	ASSERT_GE(dir, 0);
	EXPECT_EQ(0, faccessat(dir, "task", F_OK, 0));
	EXPECT_EQ(t->pid, read_key_at(dir, "status", "Pid"));
	close(dir);
	close(fd);
	close(proc);
	tgt_stop(t);
}

/*
 * In a child pid namespace with its own procfs: the directory and fdinfo
 * are numbered in the namespace of the procfs they are read through.
 */
static void *ns_thread(void *arg)
{
	volatile long *out = arg;

	out[0] = sys_gettid();
	out[1] = read_key_at(AT_FDCWD, "/proc/thread-self/status", "Pid");
	while (!out[2])
		sleep_ms(2);
	return NULL;
}

static void procfd_ns_in_ns(void *unused)
{
	(void)unused;
	static volatile long th_out[3];
	char mnt[] = "/tmp/thread-proc-XXXXXX", path[96], line[64], want[64];
	long outer_pid;
	pthread_t th;
	int inner, outer, fd, dir;

	ASSERT_EQ(1, getpid());
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	/* Keep the new procfs mount out of the parent's namespace. */
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	ASSERT_TRUE(mkdtemp(mnt) != NULL);
	ASSERT_EQ(0, mount("proc", mnt, "proc", 0, NULL));
	outer_pid = read_key_at(AT_FDCWD, "/proc/self/status", "Pid");
	ASSERT_GT(outer_pid, 1);

	ASSERT_EQ(0, pthread_create(&th, NULL, ns_thread, (void *)th_out));
	while (!th_out[1])
		sleep_ms(1);
	ASSERT_GT(th_out[0], 1);
	ASSERT_GT(th_out[1], outer_pid);

	fd = pidfd_mod_open(th_out[0], -1, PIDFD_MOD_THREAD);
	ASSERT_GE(fd, 0);
	inner = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(inner, 0);
	outer = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(outer, 0);

	dir = pidfd_mod_procfd_open(inner, fd, 0);
	ASSERT_GE(dir, 0);
	EXPECT_EQ(th_out[0], read_key_at(dir, "status", "Pid"));
	EXPECT_EQ(1, read_key_at(dir, "status", "Tgid"));
	EXPECT_ERRNO(ENOENT, faccessat(dir, "task", F_OK, 0));
	close(dir);

	dir = pidfd_mod_procfd_open(outer, fd, 0);
	ASSERT_GE(dir, 0);
	EXPECT_EQ(th_out[1], read_key_at(dir, "status", "Pid"));
	EXPECT_EQ(outer_pid, read_key_at(dir, "status", "Tgid"));
	EXPECT_ERRNO(ENOENT, faccessat(dir, "task", F_OK, 0));
	close(dir);

	/* fdinfo through either procfs. */
	snprintf(path, sizeof(path), "%s/self/fdinfo/%d", mnt, fd);
	EXPECT_EQ(th_out[0], read_key_at(AT_FDCWD, path, "Pid"));
	EXPECT_EQ(th_out[1], fdinfo_key(fd, "Pid"));
	ASSERT_EQ(0, fdinfo_line(fd, "NSpid", line, sizeof(line)));
	snprintf(want, sizeof(want), "\t%ld\t%ld", th_out[1], th_out[0]);
	EXPECT_EQ(0, strcmp(line, want));

	th_out[2] = 1;
	pthread_join(th, NULL);
	close(fd);
	close(inner);
	close(outer);
	umount(mnt);
	rmdir(mnt);
}

TEST(procfd_of_thread_fd_in_child_pidns_procfs)
{
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	/* The child is the init of the new pid namespace. */
	run_as(0, procfd_ns_in_ns, NULL);
}

/* fdinfo of a thread fd: the tid, for the leader and the others. */
static void fdinfo_run(const struct impl *im)
{
	struct tgt *t;
	char line[64], want[64];
	int fd, i;

	require(im, NEED_THREAD);
	t = tgt_spawn(3, 0, TGT_OWN_PGRP);
	for (i = 0; i < 3; i++) {
		fd = im->open(t->tid[i], PIDFD_THREAD);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(t->tid[i], fdinfo_key(fd, "Pid"));
		ASSERT_EQ(0, fdinfo_line(fd, "NSpid", line, sizeof(line)));
		snprintf(want, sizeof(want), "\t%d", t->tid[i]);
		EXPECT_EQ(0, strcmp(line, want));
		close(fd);
	}
	fd = im->open(t->pid, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(t->pid, fdinfo_key(fd, "Pid"));
	close(fd);
	tgt_stop(t);
}

TEST(fdinfo_of_thread_fd_shows_tid)
{
	fdinfo_run(&impl_mod);
}

TEST(fdinfo_of_thread_fd_shows_tid_native)
{
	fdinfo_run(&impl_native);
}
