// SPDX-License-Identifier: GPL-2.0
/*
 * pidfd_bench: the /dev/pidfd commands against the native calls and
 * userspace idioms of the same meaning, in one run of one kernel.
 *
 * Every row is a pair: A (the module) and B (its reference), timed in
 * batches of the same number of calls, interleaved A, B, A, B, ... so that
 * drift and noise of the machine fall on both.  Each repetition gives one
 * ratio A/B; a row reports the median ratio, its interquartile range and
 * its min-max over the repetitions, with the median nanoseconds per call
 * of each side beside it (for reference only: absolute times under an
 * emulator on a shared host are not stable, ratios are).
 *
 * Output is TAP with one case ("bench runs and prints every row"), the
 * rows as comment lines, tab-separated:
 *
 *   # row ID UNIT TARGET REPS MEDIAN Q1 Q3 MIN MAX A B LABEL-A | LABEL-B
 *
 * UNIT is "ns" (A and B per call), "B" (bytes per fd) or "x" (A and B are
 * ratios themselves); TARGET is "<=X", ">=X" or "-".  scripts/bench.sh
 * turns them into docs/performance.md.
 *
 * Usage: pidfd_bench [--quick] [--threads-only] [--reps N] [--batch-ms MS]
 *   --quick       few repetitions, small batches, and at most 1,000
 *                 pidfds open: proves that every row runs (make check),
 *                 the numbers mean little
 *   --threads-only  only the two-thread rows (scripts/bench.sh runs them
 *                 in a guest of their own, on multi-threaded TCG)
 *   --reps N      repetitions per row (default 21, quick 3)
 *   --batch-ms MS target duration of one timed batch (default 10, quick 1)
 * PIDFD_BENCH_QUICK=1, PIDFD_BENCH_THREADS_ONLY=1 and PIDFD_BENCH_REPS=N
 * in the environment do the same as the options (the guest gets them from
 * the kernel command line).
 *
 *        pidfd_bench --trace-list | --trace-one NAME
 *   --trace-list  the calls make profile traces: "NAME FUNCTIONS" lines
 *   --trace-one   one call of NAME under the tracer set up by the caller
 *                 (scripts/profile.sh; see trace_one())
 *
 * Needs root in the guest for RLIMIT_NOFILE, /proc/slabinfo, the module's
 * debugfs files and its unchecked_signals parameter.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pidfd_mod_user.h"

#define RECORDS_FILE	"/sys/kernel/debug/pidfd_mod/records"
#define UNCHECKED_PARAM	"/sys/module/pidfd_mod/parameters/unchecked_signals"
#define MAX_REPS	1000
#define SCALE_HOSTS	64

static int reps = 21;
static long batch_ns = 10 * 1000 * 1000L;
static int quick;
static int threads_only;
static int nrows;
/*
 * Every row: exit probe, floor, 3 OPEN, 4 signal, 2 PROCFD, 2 info, poll,
 * 6 threads, 4 levels x 3 operations x 3 scaling rows, memory.
 */
#define NROWS 57

/* --- Errors -------------------------------------------------------------- */

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("not ok 1 bench runs and prints every row # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (after %d rows)\n", nrows);
	fflush(stdout);
	exit(1);
}

#define CHECK(cond, what)						\
	do {								\
		if (!(cond))						\
			fail("%s: %s", what, strerror(errno));		\
	} while (0)

/* --- Native calls ---------------------------------------------------------- */

static int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(SYS_pidfd_open, pid, flags);
}

static int sys_pidfd_send_signal(int pidfd, int sig, unsigned int flags)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, flags);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* --- Targets --------------------------------------------------------------- */

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * A child that takes SIGUSR1 with a handler and otherwise sleeps; it dies
 * with the benchmark.  Returns once the handler is installed.
 */
static pid_t spawn_sleeper(void)
{
	int p[2];
	pid_t pid;
	char c;

	CHECK(pipe(p) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1,
					.sa_flags = SA_RESTART };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigaction(SIGUSR1, &sa, NULL);
		close(p[0]);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1, "sleeper start");
	close(p[0]);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* --- Statistics and rows ----------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of sorted @v[n], interpolated. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

static double median_of(const double *v, int n)
{
	double s[MAX_REPS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return quantile(s, n, 0.5);
}

/*
 * Print one row from the per-repetition values of A and B: ratio[i] =
 * a[i] / b[i].
 */
static void row(const char *id, const char *unit, const char *target,
		const char *label_a, const char *label_b,
		const double *a, const double *b, int n)
{
	double r[MAX_REPS];
	int i;

	for (i = 0; i < n; i++)
		r[i] = b[i] > 0 ? a[i] / b[i] : 0;
	qsort(r, n, sizeof(*r), cmp_double);
	printf("# row\t%s\t%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%s | %s\n",
	       id, unit, target, n, quantile(r, n, 0.5), quantile(r, n, 0.25),
	       quantile(r, n, 0.75), r[0], r[n - 1], median_of(a, n),
	       median_of(b, n), label_a, label_b);
	fflush(stdout);
	nrows++;
}

/* An operation, run @n times on @ctx; it fails the run on an error. */
typedef void (*op_fn)(void *ctx, long n);

static uint64_t time_op(op_fn fn, void *ctx, long n)
{
	uint64_t t0 = now_ns();

	fn(ctx, n);
	return now_ns() - t0;
}

/* Calls per batch: enough for A to take batch_ns. */
static long calibrate(op_fn fn, void *ctx)
{
	long n = 4;

	for (;;) {
		uint64_t t = time_op(fn, ctx, n);

		long want;

		if (t >= (uint64_t)batch_ns || n >= (1L << 24))
			return n;
		/* Aim 10% past the target, at least doubling. */
		want = t ? (long)(n * (double)batch_ns / t * 1.1) : n * 16;
		n = want > 2 * n ? want : 2 * n;
	}
}

/* Time A and B, interleaved, reps times, in ns per call. */
static void measure(op_fn a, void *actx, op_fn b, void *bctx,
		    double *ta, double *tb)
{
	long n = calibrate(a, actx);
	int i;

	time_op(b, bctx, n / 4 + 1);		/* warm B up as well */
	for (i = 0; i < reps; i++) {
		ta[i] = (double)time_op(a, actx, n) / n;
		tb[i] = (double)time_op(b, bctx, n) / n;
	}
}

static void ab_row(const char *id, const char *target,
		   const char *label_a, op_fn a, void *actx,
		   const char *label_b, op_fn b, void *bctx)
{
	double ta[MAX_REPS], tb[MAX_REPS];

	measure(a, actx, b, bctx, ta, tb);
	row(id, "ns", target, label_a, label_b, ta, tb, reps);
}

/* --- Operations ---------------------------------------------------------------- */

struct tgt {
	pid_t pid;
	int mfd;		/* a module pidfd of it */
	int nfd;		/* a native pidfd of it */
	int nsfd;		/* /proc/self/ns/pid */
	int procroot;		/* /proc */
	char name[16];		/* "PID" */
	char status[32];	/* "PID/status" */
	int sig;
	unsigned int flags;
};

static void op_open_mod(void *c, long n)
{
	struct tgt *t = c;

	while (n--) {
		int fd = pidfd_mod_open(t->pid, -1, 0);

		CHECK(fd >= 0, "PIDFD_MOD_IOC_OPEN");
		close(fd);
	}
}

static void op_open_mod_ns(void *c, long n)
{
	struct tgt *t = c;

	while (n--) {
		int fd = pidfd_mod_open(t->pid, t->nsfd, 0);

		CHECK(fd >= 0, "PIDFD_MOD_IOC_OPEN with an nsfd");
		close(fd);
	}
}

static void op_open_native(void *c, long n)
{
	struct tgt *t = c;

	while (n--) {
		int fd = sys_pidfd_open(t->pid, 0);

		CHECK(fd >= 0, "pidfd_open");
		close(fd);
	}
}

static void op_signal_mod(void *c, long n)
{
	struct tgt *t = c;

	while (n--)
		CHECK(pidfd_mod_send_signal(t->mfd, t->sig, NULL, t->flags) == 0,
		      "PIDFD_MOD_IOC_SEND_SIGNAL");
}

static void op_signal_native(void *c, long n)
{
	struct tgt *t = c;

	while (n--)
		CHECK(sys_pidfd_send_signal(t->nfd, t->sig, 0) == 0,
		      "pidfd_send_signal");
}

static void op_tgkill(void *c, long n)
{
	struct tgt *t = c;

	while (n--)
		CHECK(syscall(SYS_tgkill, t->pid, t->pid, t->sig) == 0, "tgkill");
}

static void op_procfd_mod(void *c, long n)
{
	struct tgt *t = c;

	while (n--) {
		int fd = pidfd_mod_procfd_open(t->procroot, t->mfd, 0);

		CHECK(fd >= 0, "PIDFD_MOD_IOC_PROCFD");
		close(fd);
	}
}

/* The racy idiom: open /proc/N, check that N is alive, by number. */
static void op_procfd_racy(void *c, long n)
{
	struct tgt *t = c;

	while (n--) {
		int fd = openat(t->procroot, t->name,
				O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		CHECK(fd >= 0, "openat /proc/N");
		CHECK(kill(t->pid, 0) == 0, "kill(N, 0)");
		close(fd);
	}
}

/* Race-free in userspace: open /proc/N, then prove the pidfd still alive. */
static void op_procfd_safe(void *c, long n)
{
	struct tgt *t = c;

	while (n--) {
		int fd = openat(t->procroot, t->name,
				O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		CHECK(fd >= 0, "openat /proc/N");
		CHECK(sys_pidfd_send_signal(t->nfd, 0, 0) == 0,
		      "pidfd_send_signal(pidfd, 0)");
		close(fd);
	}
}

static void op_info_mod(void *c, long n)
{
	struct tgt *t = c;
	struct pidfd_mod_info info;

	while (n--)
		CHECK(pidfd_mod_info(t->mfd, -1, &info) == 0 &&
		      info.pid == t->pid, "PIDFD_MOD_IOC_INFO");
}

static void op_get_info_mod(void *c, long n)
{
	struct tgt *t = c;
	struct pidfd_info info;

	while (n--)
		CHECK(pidfd_mod_get_info(t->mfd, PIDFD_INFO_PID | PIDFD_INFO_CREDS,
					 &info) == 0 &&
		      info.pid == (__u32)t->pid, "PIDFD_GET_INFO");
}

/* The value of status field @key ("PPid:"), or -1. */
static long status_field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/*
 * The same numbers from /proc/N/status: pid, tgid, ppid, process group,
 * session (NSpgid/NSsid, the innermost), uid and gid.
 */
static void op_info_status(void *c, long n)
{
	struct tgt *t = c;
	char buf[4096];

	while (n--) {
		int fd = openat(t->procroot, t->status, O_RDONLY | O_CLOEXEC);
		ssize_t len;
		long v = 0;

		CHECK(fd >= 0, "open /proc/N/status");
		len = read(fd, buf, sizeof(buf) - 1);
		CHECK(len > 0, "read /proc/N/status");
		close(fd);
		buf[len] = 0;
		v += status_field(buf, "\nPid:");
		v += status_field(buf, "\nTgid:");
		v += status_field(buf, "\nPPid:");
		v += status_field(buf, "\nNSpgid:");
		v += status_field(buf, "\nNSsid:");
		v += status_field(buf, "\nUid:");
		v += status_field(buf, "\nGid:");
		CHECK(v > 0, "parse /proc/N/status");
	}
}

static void op_features(void *c, long n)
{
	struct pidfd_mod_features f;

	(void)c;
	while (n--)
		CHECK(pidfd_mod_features(&f) == 0, "PIDFD_MOD_IOC_FEATURES");
}

static void op_getppid(void *c, long n)
{
	(void)c;
	while (n--)
		syscall(SYS_getppid);
}

/* --- Module state ---------------------------------------------------------------- */

/* exit_probe_attached from the module's debugfs records file, or -1. */
static int exit_probe_attached(void)
{
	char buf[256];
	FILE *f = fopen(RECORDS_FILE, "r");
	int v = -1;

	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "exit_probe_attached: %d", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void wait_probe(int want)
{
	int i;

	for (i = 0; i < 500; i++) {
		int v = exit_probe_attached();

		if (v < 0)
			fail("cannot read exit_probe_attached from %s", RECORDS_FILE);
		if (v == want)
			return;
		usleep(20000);
	}
	fail("the exit probe is still %s after 10 s",
	     want ? "detached" : "attached");
}

static void set_unchecked(int on)
{
	int fd = open(UNCHECKED_PARAM, O_WRONLY | O_CLOEXEC);

	CHECK(fd >= 0, "open " UNCHECKED_PARAM);
	CHECK(write(fd, on ? "Y" : "N", 1) == 1, "write " UNCHECKED_PARAM);
	close(fd);
}

/* --- Rows ------------------------------------------------------------------------ */

static void tgt_init(struct tgt *t, pid_t pid)
{
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->mfd = -1;
	t->nfd = sys_pidfd_open(pid, 0);
	CHECK(t->nfd >= 0, "pidfd_open");
	t->nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	CHECK(t->nsfd >= 0, "open /proc/self/ns/pid");
	t->procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(t->procroot >= 0, "open /proc");
	snprintf(t->name, sizeof(t->name), "%d", pid);
	snprintf(t->status, sizeof(t->status), "%d/status", pid);
}

/*
 * A new sleeper with no pidfd of either kind open: each OPEN of it makes
 * the module's record, each pidfd_open() (from 6.9) its pidfs dentry.
 */
static void tgt_init_cold(struct tgt *t)
{
	tgt_init(t, spawn_sleeper());
	close(t->nfd);
	t->nfd = -1;
}

static void tgt_open_mod(struct tgt *t)
{
	t->mfd = pidfd_mod_open(t->pid, -1, 0);
	CHECK(t->mfd >= 0, "PIDFD_MOD_IOC_OPEN");
}

static void tgt_fini(struct tgt *t)
{
	if (t->mfd >= 0)
		close(t->mfd);
	if (t->nfd >= 0)
		close(t->nfd);
	close(t->nsfd);
	close(t->procroot);
}

/*
 * Fork, exit and reap @n children: the cost of an exit with the module's
 * sched_process_exit probe attached (A) or not (B).
 */
static void op_fork_exit(void *c, long n)
{
	(void)c;
	while (n--) {
		pid_t pid = fork();

		CHECK(pid >= 0, "fork");
		if (pid == 0)
			_exit(0);
		CHECK(waitpid(pid, NULL, 0) == pid, "waitpid");
	}
}

static void row_exit_probe(void)
{
	double ta[MAX_REPS], tb[MAX_REPS];
	long n;
	int i;

	/* Nothing of the module may be open now, or the probe stays. */
	wait_probe(0);
	n = calibrate(op_fork_exit, NULL);
	for (i = 0; i < reps; i++) {
		pid_t holder = spawn_sleeper();
		int fd = pidfd_mod_open(holder, -1, 0);

		CHECK(fd >= 0, "PIDFD_MOD_IOC_OPEN");
		wait_probe(1);
		ta[i] = (double)time_op(op_fork_exit, NULL, n) / n;
		/* Gone with its record (kept until the reap on some kernels). */
		close(fd);
		reap(holder);
		wait_probe(0);
		tb[i] = (double)time_op(op_fork_exit, NULL, n) / n;
	}
	row("exit-probe", "ns", "-", "fork+exit+wait, exit probe attached",
	    "the same, probe detached", ta, tb, reps);
}

/*
 * Poll wakeup latency at exit: from a child's last instruction before
 * _exit() to the return of its parent's poll() on a pidfd of it.  Both
 * kinds of pidfd are open on every child, so the exits cost the same; only
 * the one polled differs.
 */
static double poll_latency(int use_mod, volatile uint64_t *stamp)
{
	char path[64], st[512];
	int p[2], mfd, nfd;
	struct pollfd pfd;
	uint64_t t1;
	pid_t pid, parent = getpid();

	CHECK(pipe(p) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		char c;

		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		/* Exit only once the parent sleeps in poll(). */
		snprintf(path, sizeof(path), "/proc/%d/stat", parent);
		for (;;) {
			int fd = open(path, O_RDONLY);
			ssize_t len = fd >= 0 ? read(fd, st, sizeof(st) - 1) : -1;
			char *s;

			if (fd >= 0)
				close(fd);
			if (len <= 0)
				_exit(1);
			st[len] = 0;
			s = strrchr(st, ')');
			if (s && s[1] == ' ' && s[2] == 'S')
				break;
		}
		*stamp = now_ns();
		_exit(0);
	}
	close(p[0]);
	mfd = pidfd_mod_open(pid, -1, 0);
	CHECK(mfd >= 0, "PIDFD_MOD_IOC_OPEN");
	nfd = sys_pidfd_open(pid, 0);
	CHECK(nfd >= 0, "pidfd_open");
	pfd.fd = use_mod ? mfd : nfd;
	pfd.events = POLLIN;
	CHECK(write(p[1], "x", 1) == 1, "write");
	CHECK(poll(&pfd, 1, 10000) == 1, "poll on a pidfd");
	t1 = now_ns();
	close(p[1]);
	close(mfd);
	close(nfd);
	CHECK(waitpid(pid, NULL, 0) == pid, "waitpid");
	return (double)(t1 - *stamp);
}

static void row_poll(void)
{
	double ta[MAX_REPS], tb[MAX_REPS];
	volatile uint64_t *stamp;
	int i, j, k = quick ? 1 : 3;

	stamp = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(stamp != MAP_FAILED, "mmap");
	poll_latency(1, stamp);		/* warm up */
	for (i = 0; i < reps; i++) {
		ta[i] = tb[i] = 0;
		for (j = 0; j < k; j++) {
			ta[i] += poll_latency(1, stamp) / k;
			tb[i] += poll_latency(0, stamp) / k;
		}
	}
	munmap((void *)stamp, 4096);
	row("poll-exit", "ns", "<=1.10", "poll() wakeup at exit, module fd",
	    "native pidfd", ta, tb, reps);
}

/* --- Two threads ---------------------------------------------------------------- */

struct pair {
	op_fn fn;
	void *ctx;
	long n;
	pthread_barrier_t go, done;
	int stop;
};

static void *pair_thread(void *arg)
{
	struct pair *p = arg;

	for (;;) {
		pthread_barrier_wait(&p->go);
		if (p->stop)
			return NULL;
		p->fn(p->ctx, p->n);
		pthread_barrier_wait(&p->done);
	}
}

/*
 * Throughput of two threads against one: A is one thread doing 2n calls,
 * B two threads doing n each at once, so A/B is the speedup.
 */
static void row_threads(const char *id, const char *label, op_fn fn,
			void *ctx)
{
	double ta[MAX_REPS], tb[MAX_REPS];
	struct pair p = { .fn = fn, .ctx = ctx };
	pthread_t th;
	char la[128];
	int i;

	p.n = calibrate(fn, ctx);
	pthread_barrier_init(&p.go, NULL, 2);
	pthread_barrier_init(&p.done, NULL, 2);
	errno = pthread_create(&th, NULL, pair_thread, &p);
	CHECK(errno == 0, "pthread_create");
	for (i = 0; i < reps; i++) {
		uint64_t t0;

		ta[i] = (double)time_op(fn, ctx, 2 * p.n);
		t0 = now_ns();
		pthread_barrier_wait(&p.go);
		fn(ctx, p.n);
		pthread_barrier_wait(&p.done);
		tb[i] = (double)(now_ns() - t0);
	}
	p.stop = 1;
	pthread_barrier_wait(&p.go);
	pthread_join(th, NULL);
	pthread_barrier_destroy(&p.go);
	pthread_barrier_destroy(&p.done);
	snprintf(la, sizeof(la), "%s: 1 thread, time for 2n calls", label);
	row(id, "ns", strncmp(id, "threads-", 8) == 0 && strstr(id, "-mod") ?
	    ">=1.80" : "-", la, "2 threads, n calls each", ta, tb, reps);
}

#define NROWS_THREADS 6

/* @cold has no pidfd of either kind open, @t one of each. */
static void rows_threads(struct tgt *cold, struct tgt *t)
{
	row_threads("threads-open-mod", "OPEN+close", op_open_mod, cold);
	row_threads("threads-open-native", "pidfd_open+close", op_open_native,
		    cold);
	row_threads("threads-signal0-mod", "SEND_SIGNAL(0)", op_signal_mod, t);
	row_threads("threads-signal0-native", "pidfd_send_signal(0)",
		    op_signal_native, t);
	row_threads("threads-procfd-mod", "PROCFD+close", op_procfd_mod, t);
	row_threads("threads-procfd-racy", "racy /proc idiom", op_procfd_racy,
		    t);
}

/* --- Open pidfds: scaling and memory --------------------------------------------- */

struct fdset {
	int *fds;
	int n;
};

/* Open @n pidfds (module or native) spread over @hosts. */
static void fdset_open(struct fdset *s, int n, int mod, const pid_t *hosts,
		       int nhosts)
{
	int i;

	s->fds = realloc(s->fds, (size_t)(s->n + n) * sizeof(int));
	CHECK(s->fds != NULL, "realloc");
	for (i = 0; i < n; i++) {
		pid_t pid = hosts[(s->n + i) % nhosts];
		int fd = mod ? pidfd_mod_open(pid, -1, 0) : sys_pidfd_open(pid, 0);

		CHECK(fd >= 0, mod ? "PIDFD_MOD_IOC_OPEN (scaling)" :
				     "pidfd_open (scaling)");
		s->fds[s->n + i] = fd;
	}
	s->n += n;
}

static void fdset_close(struct fdset *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		close(s->fds[i]);
	s->n = 0;
}

static void raise_nofile(rlim_t want)
{
	struct rlimit rl;

	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0, "getrlimit");
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit(RLIMIT_NOFILE)");
}

/*
 * The scaling rows time each operation, module and reference, in this
 * process, which holds N pidfds of each kind, and in a worker forked
 * before they were opened, which holds one of each: four batches per
 * repetition, interleaved, so that the cost at N over the cost at 1 is a
 * ratio of the same run like every other.
 */
static const struct scale_op {
	const char *id;
	op_fn a, b;
	const char *la, *lb;
} scale_ops[] = {
	{ "open", op_open_mod, op_open_native, "OPEN+close",
	  "pidfd_open+close" },
	{ "signal0", op_signal_mod, op_signal_native, "SEND_SIGNAL(0)",
	  "pidfd_send_signal(0)" },
	{ "procfd", op_procfd_mod, op_procfd_racy, "PROCFD+close",
	  "racy /proc idiom" },
};
#define NSCALE_OPS 3
#define NLEVELS 4

struct worker {
	pid_t pid;
	int req;		/* to the worker: struct worker_req */
	int res;		/* from it: the nanoseconds of the batch */
};

struct worker_req {
	int op;			/* index into scale_ops, B side if negative */
	long n;
};

static void worker_start(struct worker *w, struct tgt *t)
{
	int req[2], res[2];

	CHECK(pipe(req) == 0 && pipe(res) == 0, "pipe");
	w->pid = fork();
	CHECK(w->pid >= 0, "fork");
	if (w->pid == 0) {
		struct worker_req r;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(req[1]);
		close(res[0]);
		while (read(req[0], &r, sizeof(r)) == sizeof(r)) {
			const struct scale_op *o = &scale_ops[r.op < 0 ? -r.op - 1 : r.op];
			uint64_t ns = time_op(r.op < 0 ? o->b : o->a, t, r.n);

			if (write(res[1], &ns, sizeof(ns)) != sizeof(ns))
				_exit(1);
		}
		_exit(0);
	}
	close(req[0]);
	close(res[1]);
	w->req = req[1];
	w->res = res[0];
}

/* Time scale_ops[op] (its reference if @ref) in the worker. */
static double worker_time(struct worker *w, int op, int ref, long n)
{
	struct worker_req r = { .op = ref ? -op - 1 : op, .n = n };
	uint64_t ns;

	CHECK(write(w->req, &r, sizeof(r)) == sizeof(r), "write to the worker");
	if (read(w->res, &ns, sizeof(ns)) != sizeof(ns))
		fail("the scaling worker died");
	return (double)ns;
}

static void worker_stop(struct worker *w)
{
	close(w->req);
	close(w->res);
	CHECK(waitpid(w->pid, NULL, 0) == w->pid, "waitpid (worker)");
}

static void scale_level(struct tgt *t, struct worker *w, int level, int top)
{
	double ta[MAX_REPS], tb[MAX_REPS], tc[MAX_REPS], td[MAX_REPS];
	char id[64], la[128], lb[128];
	int i, r;

	for (i = 0; i < NSCALE_OPS; i++) {
		const struct scale_op *o = &scale_ops[i];
		long n = calibrate(o->a, t);

		/* Warm up B here, and both in the worker (copy-on-write). */
		time_op(o->b, t, n / 4 + 1);
		worker_time(w, i, 0, n / 4 + 1);
		worker_time(w, i, 1, n / 4 + 1);
		for (r = 0; r < reps; r++) {
			ta[r] = (double)time_op(o->a, t, n) / n;
			tb[r] = (double)time_op(o->b, t, n) / n;
			tc[r] = worker_time(w, i, 0, n) / n;
			td[r] = worker_time(w, i, 1, n) / n;
		}
		snprintf(id, sizeof(id), "scale-%s-%d", o->id, level);
		snprintf(la, sizeof(la), "%s, %d pidfds of each kind open",
			 o->la, level);
		row(id, "ns", "-", la, o->lb, ta, tb, reps);
		snprintf(id, sizeof(id), "flat-%s-mod-%d", o->id, level);
		snprintf(lb, sizeof(lb), "the same with 1 open");
		row(id, "ns", top ? "<=1.10" : "-", la, lb, ta, tc, reps);
		snprintf(id, sizeof(id), "flat-%s-ref-%d", o->id, level);
		snprintf(la, sizeof(la), "%s, %d pidfds of each kind open",
			 o->lb, level);
		row(id, "ns", "-", la, lb, tb, td, reps);
	}
}

static void rows_scaling(struct tgt *t, const pid_t *hosts)
{
	/* Quick: the same rows, fewer fds, less for the guest to free after. */
	static const int full[NLEVELS] = { 1, 1000, 10000, 100000 };
	static const int small[NLEVELS] = { 1, 10, 100, 1000 };
	const int *levels = quick ? small : full;
	struct fdset ms = { 0 }, ns = { 0 };
	struct worker w;
	int l;

	raise_nofile(2 * levels[NLEVELS - 1] + 1000);
	worker_start(&w, t);
	for (l = 0; l < NLEVELS; l++) {
		/* The target's own two pidfds are the first of each kind. */
		int more = levels[l] - 1 - ms.n;

		fdset_open(&ms, more, 1, hosts, SCALE_HOSTS);
		fdset_open(&ns, more, 0, hosts, SCALE_HOSTS);
		scale_level(t, &w, levels[l], l == NLEVELS - 1);
	}
	worker_stop(&w);
	fdset_close(&ms);
	fdset_close(&ns);
	free(ms.fds);
	free(ns.fds);
}

/* Bytes of slab in use: the active objects of every cache times their size. */
static double slab_bytes(void)
{
	char line[512], name[128];
	unsigned long active, total, size;
	double sum = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	CHECK(f != NULL, "open /proc/slabinfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lu %lu %lu", name, &active, &total,
			   &size) == 4)
			sum += (double)active * size;
	fclose(f);
	return sum;
}

static double memory_per_fd(int mod, pid_t pid, int n)
{
	struct fdset s = { 0 };
	double before, after;

	before = slab_bytes();
	fdset_open(&s, n, mod, &pid, 1);
	after = slab_bytes();
	fdset_close(&s);
	free(s.fds);
	/* Freed files may wait for an RCU grace period. */
	usleep(quick ? 20000 : 100000);
	return (after - before) / n;
}

static void row_memory(pid_t pid)
{
	double ta[MAX_REPS], tb[MAX_REPS];
	int i, n = quick ? 2000 : 100000;
	char la[128];

	raise_nofile(n + 1000);
	memory_per_fd(1, pid, n / 10);		/* warm the caches up */
	memory_per_fd(0, pid, n / 10);
	for (i = 0; i < reps; i++) {
		ta[i] = memory_per_fd(1, pid, n);
		tb[i] = memory_per_fd(0, pid, n);
	}
	snprintf(la, sizeof(la), "slab bytes per module pidfd, %d open", n);
	row("memory", "B", "<=1.00", la, "per native pidfd", ta, tb, reps);
}

/* --- One traced call (make profile) ------------------------------------------------- */

#define TRACEFS		"/sys/kernel/tracing"
#define TRACE_WARMUP	1000

/*
 * The calls scripts/profile.sh traces, in pairs (module, reference), with
 * the functions at which its function_graph view starts (set_graph_function):
 * the system call entries, and task_work_run, where close() leaves the
 * final fput() of a file for the return to userspace.
 */
static const struct trace_case {
	const char *name;
	const char *entries;
	op_fn op;
	int thread;		/* SEND_SIGNAL with PIDFD_MOD_SIGNAL_THREAD */
	int cold;		/* on a target of which no pidfd is open */
} trace_cases[] = {
	{ "floor-mod", "__x64_sys_ioctl", op_features, 0, 0 },
	{ "floor-ref", "__x64_sys_getppid", op_getppid, 0, 0 },
	{ "signal0-mod", "__x64_sys_ioctl", op_signal_mod, 0, 0 },
	{ "signal0-ref", "__x64_sys_pidfd_send_signal", op_signal_native, 0, 0 },
	{ "signal0-thread-mod", "__x64_sys_ioctl", op_signal_mod, 1, 0 },
	{ "signal0-thread-ref", "__x64_sys_tgkill", op_tgkill, 0, 0 },
	{ "open-shared-mod", "__x64_sys_ioctl __x64_sys_close task_work_run",
	  op_open_mod, 0, 0 },
	{ "open-shared-ref", "__x64_sys_pidfd_open __x64_sys_close task_work_run",
	  op_open_native, 0, 0 },
	{ "open-mod", "__x64_sys_ioctl __x64_sys_close task_work_run",
	  op_open_mod, 0, 1 },
	{ "open-ref", "__x64_sys_pidfd_open __x64_sys_close task_work_run",
	  op_open_native, 0, 1 },
};

static void trace_list(void)
{
	size_t i;

	for (i = 0; i < sizeof(trace_cases) / sizeof(trace_cases[0]); i++)
		printf("%s %s\n", trace_cases[i].name, trace_cases[i].entries);
}

static int trace_open(const char *file)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	CHECK(fd >= 0, path);
	return fd;
}

static void trace_write(int fd, const char *s, const char *what)
{
	CHECK(write(fd, s, strlen(s)) == (ssize_t)strlen(s), what);
}

/*
 * Make exactly one call of case @name between tracing_on=1 and
 * tracing_on=0, after TRACE_WARMUP untraced ones, on CPU 0 and with this
 * process as set_ftrace_pid.  The tracer and its filters are the caller's
 * (scripts/guest-init.sh, pidfd_mod_mode=profile).  The target is a
 * sleeper of which one pidfd of each kind is open, as in the signal0 and
 * open-shared rows, or for a cold case none, as in the open row.
 */
static int trace_one(const char *name)
{
	const struct trace_case *c = NULL;
	struct tgt t;
	cpu_set_t cpus;
	char buf[32];
	size_t i;
	int on, pidf, marker;

	for (i = 0; i < sizeof(trace_cases) / sizeof(trace_cases[0]); i++)
		if (!strcmp(trace_cases[i].name, name))
			c = &trace_cases[i];
	if (!c) {
		fprintf(stderr, "pidfd_bench: unknown trace case '%s' (see --trace-list)\n",
			name);
		return 2;
	}
	CHECK(pidfd_mod_dev() >= 0, "open " PIDFD_MOD_DEVICE);
	if (c->cold) {
		tgt_init_cold(&t);
	} else {
		tgt_init(&t, spawn_sleeper());
		tgt_open_mod(&t);
	}
	if (c->thread)
		t.flags = PIDFD_MOD_SIGNAL_THREAD;

	/* One CPU: the graph of one call stays in one per-CPU buffer. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CHECK(sched_setaffinity(0, sizeof(cpus), &cpus) == 0, "sched_setaffinity");
	pidf = trace_open("set_ftrace_pid");
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	trace_write(pidf, buf, "write set_ftrace_pid");
	close(pidf);
	on = trace_open("tracing_on");
	trace_write(on, "0", "write tracing_on");
	marker = trace_open("trace_marker");

	c->op(&t, TRACE_WARMUP);
	trace_write(on, "1", "write tracing_on");
	/*
	 * The first event after tracing_on=1 pays for the ring buffer's
	 * time extend and page setup: let a marker take that, not the call.
	 */
	trace_write(marker, "pidfd_bench: the call", "write trace_marker");
	c->op(&t, 1);
	trace_write(on, "0", "write tracing_on");
	close(on);
	close(marker);

	reap(t.pid);
	tgt_fini(&t);
	printf("# traced one call of %s (%s) after %d untraced\n", c->name,
	       c->entries, TRACE_WARMUP);
	return 0;
}

/* --- Main --------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: pidfd_bench [--quick] [--threads-only] [--reps N] [--batch-ms MS]\n"
		"       pidfd_bench --trace-list | --trace-one NAME\n");
	exit(2);
}

/* A whole number in [min, max] from @s, or exit with an error naming @what. */
static long parse_num(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "pidfd_bench: %s must be a whole number from %ld to %ld, not '%s'\n",
			what, min, max, s);
		exit(2);
	}
	return v;
}

/* Environment variable @name, if set and not empty: 0 or 1 into @flag. */
static int env_flag(const char *name, int *flag)
{
	const char *v = getenv(name);

	if (!v || !*v)
		return 0;
	if (strcmp(v, "0") && strcmp(v, "1")) {
		fprintf(stderr, "pidfd_bench: %s must be 0 or 1, not '%s'\n",
			name, v);
		return -1;
	}
	*flag = v[0] == '1';
	return 0;
}

int main(int argc, char **argv)
{
	const char *env_reps = getenv("PIDFD_BENCH_REPS");
	const char *opt_reps = NULL, *opt_batch = NULL;
	pid_t hosts[SCALE_HOSTS];
	struct tgt t, sig, cold;
	struct utsname u;
	int i;

	if (env_flag("PIDFD_BENCH_QUICK", &quick) ||
	    env_flag("PIDFD_BENCH_THREADS_ONLY", &threads_only))
		return 2;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			opt_reps = argv[++i];
		} else if (!strcmp(argv[i], "--threads-only")) {
			threads_only = 1;
		} else if (!strcmp(argv[i], "--batch-ms") && i + 1 < argc) {
			opt_batch = argv[++i];
		} else if (!strcmp(argv[i], "--trace-list") && argc == 2) {
			trace_list();
			return 0;
		} else if (!strcmp(argv[i], "--trace-one") && argc == 3) {
			setvbuf(stdout, NULL, _IOLBF, 0);
			return trace_one(argv[2]);
		} else {
			fprintf(stderr, "pidfd_bench: unknown argument '%s'\n", argv[i]);
			usage();
		}
	}
	if (quick) {
		reps = 3;
		batch_ns = 1000 * 1000L;
	}
	if (env_reps && *env_reps)
		reps = parse_num("PIDFD_BENCH_REPS", env_reps, 1, MAX_REPS);
	if (opt_reps)
		reps = parse_num("--reps", opt_reps, 1, MAX_REPS);
	if (opt_batch)
		batch_ns = parse_num("--batch-ms", opt_batch, 1, 10000) * 1000000L;

	setvbuf(stdout, NULL, _IOLBF, 0);
	uname(&u);
	printf("1..1\n");
	printf("# pidfd_bench on %s: %d repetitions per row, batches of %ld ms%s%s\n",
	       u.release, reps, batch_ns / 1000000, quick ? " (quick)" : "",
	       threads_only ? " (two-thread rows only)" : "");
	CHECK(pidfd_mod_dev() >= 0, "open " PIDFD_MOD_DEVICE);

	if (threads_only) {
		tgt_init_cold(&cold);
		tgt_init(&t, spawn_sleeper());
		tgt_open_mod(&t);
		rows_threads(&cold, &t);
		reap(t.pid);
		tgt_fini(&t);
		reap(cold.pid);
		tgt_fini(&cold);
		if (nrows != NROWS_THREADS)
			fail("%d rows, not %d", nrows, NROWS_THREADS);
		printf("ok 1 bench runs and prints every row # %d rows\n", nrows);
		return 0;
	}

	/* First, while no pidfd of the module exists anywhere. */
	row_exit_probe();

	ab_row("floor", "-", "FEATURES ioctl", op_features, NULL,
	       "getppid()", op_getppid, NULL);

	/* The OPEN target has no other pidfd of either kind. */
	tgt_init_cold(&cold);
	/* The other rows' target holds one of each kind all along. */
	tgt_init(&t, spawn_sleeper());
	tgt_open_mod(&t);

	ab_row("open", "<=1.10", "OPEN(nsfd -1)+close", op_open_mod, &cold,
	       "pidfd_open+close", op_open_native, &cold);
	ab_row("open-ns", "<=1.10", "OPEN(nsfd)+close", op_open_mod_ns, &cold,
	       "pidfd_open+close", op_open_native, &cold);
	ab_row("open-shared", "<=1.10",
	       "OPEN(nsfd -1)+close, another pidfd of each kind open",
	       op_open_mod, &t, "pidfd_open+close", op_open_native, &t);

	ab_row("signal0", "<=1.05", "SEND_SIGNAL(0)", op_signal_mod, &t,
	       "pidfd_send_signal(0)", op_signal_native, &t);
	tgt_init(&sig, t.pid);
	sig.mfd = t.mfd;
	sig.sig = SIGUSR1;
	ab_row("signal-usr1", "<=1.05", "SEND_SIGNAL(SIGUSR1), handler",
	       op_signal_mod, &sig, "pidfd_send_signal(SIGUSR1)",
	       op_signal_native, &sig);
	sig.sig = 0;
	sig.flags = PIDFD_MOD_SIGNAL_THREAD;
	ab_row("signal0-thread", "<=1.05", "SEND_SIGNAL(0), thread scope",
	       op_signal_mod, &sig, "tgkill(0)", op_tgkill, &sig);
	/* Thread-directed real signals need unchecked_signals=1 (README). */
	set_unchecked(1);
	sig.sig = SIGUSR1;
	ab_row("signal-usr1-thread", "<=1.05",
	       "SEND_SIGNAL(SIGUSR1), thread scope, unchecked_signals=1",
	       op_signal_mod, &sig, "tgkill(SIGUSR1)", op_tgkill, &sig);
	set_unchecked(0);
	sig.mfd = -1;
	tgt_fini(&sig);

	ab_row("procfd", "<=1.00", "PROCFD+close", op_procfd_mod, &t,
	       "openat(/proc, N)+kill(N, 0)+close (racy)", op_procfd_racy, &t);
	ab_row("procfd-safe", "<1.00", "PROCFD+close", op_procfd_mod, &t,
	       "openat(/proc, N)+pidfd_send_signal(0)+close (race-free)",
	       op_procfd_safe, &t);

	ab_row("info", "<=0.25", "INFO", op_info_mod, &t,
	       "read+parse /proc/N/status", op_info_status, &t);
	ab_row("get-info", "<=0.25", "PIDFD_GET_INFO (PID|CREDS) on a module fd",
	       op_get_info_mod, &t, "read+parse /proc/N/status",
	       op_info_status, &t);

	row_poll();

	rows_threads(&cold, &t);

	for (i = 0; i < SCALE_HOSTS; i++)
		hosts[i] = spawn_sleeper();
	rows_scaling(&t, hosts);
	row_memory(hosts[0]);
	for (i = 0; i < SCALE_HOSTS; i++)
		reap(hosts[i]);

	reap(t.pid);
	tgt_fini(&t);
	reap(cold.pid);
	tgt_fini(&cold);
	/* Leave the module as found: no record, the exit probe detached. */
	wait_probe(0);
	if (nrows != NROWS)
		fail("%d rows, not %d", nrows, NROWS);
	printf("ok 1 bench runs and prints every row # %d rows\n", nrows);
	return 0;
}
