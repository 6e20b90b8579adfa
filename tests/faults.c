// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection with fail-nth: for n = 1, 2, ... the n-th fault site the
 * calling thread reaches fails (slab allocations through failslab, user
 * copies through fail_usercopy) until the call runs through without
 * reaching the n-th site.
 *
 * Every ioctl's success path, one call shape per case.  Each injected
 * failure must give a documented errno for the command (tests/errtab.h) or
 * a correct success, leave no fd behind (the lowest free fd is unchanged),
 * and leave the module working.  Injection must also be seen to work: at
 * least one injected failure must change the call's result, and the first
 * ones must be the sites known to be there, with their errnos (the copy of
 * the argument: EFAULT; the anon inode file of OPEN: ENOMEM; the queue
 * entry of an RT signal: EAGAIN; ...).  A call shape that no injection
 * changes fails: it means fail-nth no longer reaches the module.
 *
 * The guest's final rmmod and kmemleak scan show that no reference or
 * allocation was lost.
 *
 * Needs CONFIG_FAULT_INJECTION (/proc/thread-self/fail-nth) and
 * CONFIG_FAILSLAB with debugfs (/sys/kernel/debug/failslab).  Stock kernels
 * have neither and every case is skipped, saying why; on the debug kernel
 * (the one with kmemleak) their absence is a failure.
 */
#include "util.h"
#include "errtab.h"

/* Delivery through send_sig_info() needs unchecked_signals: fault sites on every delivery path. */
USE_UNCHECKED_SIGNALS()

#define DEBUGFS		"/sys/kernel/debug"
#define FAILNTH		"/proc/thread-self/fail-nth"
#define FAILSLAB	DEBUGFS "/failslab"
#define KMEMLEAK	DEBUGFS "/kmemleak"
#define MAX_N		3000
#define MAX_SEQ		64	/* injected failures kept, in order */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

/*
 * The debug kernel is the one with kmemleak.  It is built with fault
 * injection, so there a missing piece of it is a failure, never a skip.
 */
static int debug_kernel(void)
{
	return access(KMEMLEAK, F_OK) == 0;
}

#define NO_INJECTION(...)						\
	do {								\
		if (debug_kernel())					\
			TH_FAIL(1, "debug kernel (%s exists), but " __VA_ARGS__); \
		SKIP(__VA_ARGS__);					\
	} while (0)

/* Skip unless fail-nth and failslab are there; configure failslab. */
static int setup(void)
{
	int fd;

	fd = open(FAILNTH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		NO_INJECTION("%s: %s (kernel without CONFIG_FAULT_INJECTION)",
			     FAILNTH, strerror(errno));
	if (access(FAILSLAB, F_OK))
		NO_INJECTION("%s: %s (kernel without CONFIG_FAILSLAB or debugfs)",
			     FAILSLAB, strerror(errno));
	/*
	 * GFP_KERNEL allocations are exempt by default; the module's are
	 * GFP_KERNEL.  Probability stays 0, so only fail-nth injects, and
	 * only in this thread.  One console line per failure, no stack.
	 */
	if (write_str(FAILSLAB "/ignore-gfp-wait", "N") ||
	    write_str(FAILSLAB "/verbose", "1"))
		NO_INJECTION("cannot configure %s: %s", FAILSLAB, strerror(errno));
	write_str(DEBUGFS "/fail_usercopy/verbose", "1");
	return fd;
}

/* Arm: the @n-th fault site from now fails. */
static void arm(int fd, int n)
{
	char b[16];

	snprintf(b, sizeof(b), "%d", n);
	if (pwrite(fd, b, strlen(b), 0) < 0)
		TH_FAIL(1, "writing %s: %s", FAILNTH, strerror(errno));
}

/*
 * Disarm and report whether a fault was injected: the counter reached 0.
 * Reading and writing copy to and from user space, themselves fault sites
 * while the counter runs: a read that fails with EFAULT means the counter
 * was 1 (the call did not reach the n-th site) and is 0 now; a reset that
 * fails with EFAULT took the counter from 1 to 0, which is the reset.
 */
static int disarm(int fd)
{
	char b[16] = "";
	ssize_t r = pread(fd, b, sizeof(b) - 1, 0);
	int injected = r > 0 && atoi(b) == 0;

	if (r < 0 && errno != EFAULT)
		TH_FAIL(1, "reading %s: %s", FAILNTH, strerror(errno));
	if (pwrite(fd, "0", 1, 0) < 0 && errno != EFAULT)
		TH_FAIL(1, "resetting %s: %s", FAILNTH, strerror(errno));
	return injected;
}

/* Append printf-style text to a fixed buffer, truncating quietly. */
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t off = strlen(buf);
	va_list ap;

	if (off + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
}

/* --- The ioctls ------------------------------------------------------------ */

/* A fault site whose injected failure is known to change the result. */
struct site {
	int err;
	const char *what;
};

struct op {
	const char *name;
	int cmd;
	int makes_fd;
	int (*run)(void);
	/*
	 * The first injected failures that change the result, in order
	 * (sites an injected failure does not change, such as kmemleak's
	 * own bookkeeping, are not in the list); ends with { 0 }.
	 */
	const struct site *expect;
};

static int procroot = -1, target_fd = -1, self_fd = -1, thread_fd = -1;
static int nsfd = -1;
static pid_t target;

static int op_features(void)
{
	struct pidfd_mod_features f;

	return pidfd_mod_features(&f);
}

static int op_open(void)
{
	return pidfd_mod_open(target, -1, 0);
}

static int op_open_thread(void)
{
	return pidfd_mod_open(target, -1, PIDFD_MOD_THREAD | PIDFD_MOD_NONBLOCK);
}

static int op_open_nsfd(void)
{
	return pidfd_mod_open(target, nsfd, 0);
}

static int op_procfd(void)
{
	return pidfd_mod_procfd_open(procroot, target_fd, 0);
}

static int op_procfd_thread(void)
{
	return pidfd_mod_procfd_open(procroot, thread_fd, 0);
}

static int op_signal(void)
{
	return pidfd_mod_send_signal(target_fd, SIGUSR1, NULL, 0);
}

static int op_signal_thread(void)
{
	return pidfd_mod_send_signal(target_fd, SIGUSR1, NULL,
				     PIDFD_MOD_SIGNAL_THREAD);
}

static int op_signal_info(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR2;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 7;
	/* To ourselves: the only target a caller-built siginfo may have. */
	return pidfd_mod_send_signal(self_fd, SIGUSR2, &si, 0);
}

static int op_signal_rt(void)
{
	return pidfd_mod_send_signal(target_fd, SIGRTMIN + 1, NULL,
				     PIDFD_MOD_SIGNAL_THREAD);
}

/* Every command first copies its argument in (pidfd_mod_copy_ucmd()). */
#define ARG_IN	{ EFAULT, "copy of the argument structure" }

static const struct site expect_features[] = {
	ARG_IN,
	{ EFAULT, "copy of the result to the caller" },
	{ 0 }
};

static const struct site expect_open[] = {
	ARG_IN,
	{ ENOMEM, "the anon inode file's dentry (anon_inode_getfile)" },
	{ 0 }
};

static const struct site expect_procfd[] = {
	ARG_IN,
	{ ENOMEM, "the name file_open_root() walks (getname_kernel)" },
	{ 0 }
};

/*
 * A signal below SIGRTMIN without a caller's siginfo is delivered even
 * when its queue entry cannot be allocated (the kernel drops only the
 * siginfo): the argument copy is the one site that fails the call.
 */
static const struct site expect_signal[] = {
	ARG_IN,
	{ 0 }
};

static const struct site expect_signal_info[] = {
	ARG_IN,
	{ EFAULT, "copy of the caller's siginfo" },
	{ 0 }
};

static const struct site expect_signal_rt[] = {
	ARG_IN,
	{ EAGAIN, "the queue entry of a real-time signal (__sigqueue_alloc)" },
	{ 0 }
};

/* Take whatever signals ops sent to us. */
static void drain(void)
{
	struct timespec ts = { 0, 0 };
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	while (sigtimedwait(&s, NULL, &ts) > 0)
		;
}

static void setup_targets(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	target = fork();
	ASSERT_GE(target, 0);
	if (target == 0) {
		sigset_t all;

		/* Blocked signals stay queued: every RT one takes a sigqueue. */
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	target_fd = pidfd_mod_open(target, -1, 0);
	thread_fd = pidfd_mod_open(target, -1, PIDFD_MOD_THREAD);
	self_fd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(procroot, 0);
	ASSERT_GE(nsfd, 0);
	ASSERT_GE(target_fd, 0);
	ASSERT_GE(thread_fd, 0);
	ASSERT_GE(self_fd, 0);
}

/*
 * Run @op with n = 1.. injected, until it runs through without reaching
 * the n-th site, then check what the failures were.
 */
static void inject(const struct op *op)
{
	int fd = setup(), n, hist[ERRTAB_MAXERR] = { 0 }, tolerated = 0;
	int undocumented = 0, e, r, injected = 0, failed = 0, i;
	int seq[MAX_SEQ], nseq = 0;
	char line[400] = "", trace[1024] = "";

	ASSERT_EQ(errtab_load(), 0);
	setup_targets();
	for (n = 1; n <= MAX_N; n++) {
		int before = next_fd();

		arm(fd, n);
		errno = 0;
		r = op->run();
		e = errno;
		injected = disarm(fd);
		drain();
		if (r >= 0) {
			if (op->makes_fd) {
				int fl = fcntl(r, F_GETFD);

				if (fl < 0 || !(fl & FD_CLOEXEC))
					TH_FAIL(0, "%s, fault %d: fd %d is not an open close-on-exec fd",
						op->name, n, r);
				close(r);
			} else if (r) {
				TH_FAIL(0, "%s, fault %d: returned %d", op->name, n, r);
			}
			if (!injected)
				break;		/* ran through: every site covered */
			tolerated++;
			append(trace, sizeof(trace), " %d:ok", n);
		} else {
			if (!injected)
				TH_FAIL(0, "%s: failed with %s without an injected fault (n=%d)",
					op->name, strerror(e), n);
			else if (nseq < MAX_SEQ)
				seq[nseq++] = e;
			failed++;
			append(trace, sizeof(trace), " %d:%s", n, errtab_name(e));
			if (e > 0 && e < ERRTAB_MAXERR)
				hist[e]++;
			if (!errtab_ok(op->cmd, e)) {
				undocumented++;
				th_diag("%s, fault %d: errno %s (%d) is not documented for %s (allowed: %s)",
					op->name, n, errtab_name(e), e,
					errtab_cmd_names[op->cmd], errtab_describe(op->cmd));
			}
		}
		if (next_fd() != before)
			TH_FAIL(0, "%s, fault %d: fd leak (next free fd %d, was %d)",
				op->name, n, next_fd(), before);
	}
	if (n > MAX_N)
		TH_FAIL(0, "%s: still failing after %d injected faults", op->name, MAX_N);
	append(line, sizeof(line),
	       "%s: %d fault site(s) on the success path; %d tolerated;",
	       op->name, n - 1, tolerated);
	for (e = 1; e < ERRTAB_MAXERR; e++)
		if (hist[e])
			append(line, sizeof(line), " %s x%d", errtab_name(e), hist[e]);
	th_diag("%s", line);
	th_diag("%s: n:result%s %d:ran through", op->name, trace, n);

	/* Injection must have reached the module and changed the result. */
	if (!failed)
		TH_FAIL(0, "%s: no injected fault changed the result (%d site(s) reached): fail-nth does not reach the module",
			op->name, n - 1);
	/* The known sites, in order, with their errnos. */
	for (i = 0; op->expect[i].err; i++) {
		if (i >= nseq) {
			TH_FAIL(0, "%s: injected failure %d should be %s from %s, but there were only %d",
				op->name, i + 1, errtab_name(op->expect[i].err),
				op->expect[i].what, nseq);
			break;
		}
		if (seq[i] != op->expect[i].err)
			TH_FAIL(0, "%s: injected failure %d is %s, want %s from %s",
				op->name, i + 1, errtab_name(seq[i]),
				errtab_name(op->expect[i].err), op->expect[i].what);
	}

	/* Still works, with nothing injected. */
	r = op->run();
	EXPECT_GE(r, 0);
	if (r > 0 && op->makes_fd)
		close(r);
	drain();
	EXPECT_EQ(op_features(), 0);
	EXPECT_EQ(undocumented, 0);
	write_str(FAILSLAB "/ignore-gfp-wait", "Y");
	kill_reap(target);
}

#define OP(fn, c, fdp, exp) { #fn, PIDFD_MOD_CMD_##c, fdp, op_##fn, exp }

TEST(faults_features)
{
	static const struct op o = OP(features, FEATURES, 0, expect_features);

	inject(&o);
}

TEST(faults_open)
{
	static const struct op o = OP(open, OPEN, 1, expect_open);

	inject(&o);
}

TEST(faults_open_thread)
{
	static const struct op o = OP(open_thread, OPEN, 1, expect_open);

	inject(&o);
}

TEST(faults_open_nsfd)
{
	static const struct op o = OP(open_nsfd, OPEN, 1, expect_open);

	inject(&o);
}

TEST(faults_procfd)
{
	static const struct op o = OP(procfd, PROCFD, 1, expect_procfd);

	inject(&o);
}

TEST(faults_procfd_thread)
{
	static const struct op o = OP(procfd_thread, PROCFD, 1, expect_procfd);

	inject(&o);
}

TEST(faults_send_signal)
{
	static const struct op o = OP(signal, SEND_SIGNAL, 0, expect_signal);

	inject(&o);
}

TEST(faults_send_signal_thread)
{
	static const struct op o = OP(signal_thread, SEND_SIGNAL, 0, expect_signal);

	inject(&o);
}

TEST(faults_send_signal_info)
{
	static const struct op o = OP(signal_info, SEND_SIGNAL, 0,
				      expect_signal_info);

	inject(&o);
}

TEST(faults_send_signal_rt)
{
	static const struct op o = OP(signal_rt, SEND_SIGNAL, 0, expect_signal_rt);

	inject(&o);
}

