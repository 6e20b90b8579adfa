// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection on every ioctl's success path, with fail-nth: for
 * n = 1, 2, ... the n-th fault site the calling thread reaches fails
 * (slab allocations through failslab, user copies through fail_usercopy)
 * until the call runs through without reaching the n-th site.
 *
 * Each injected failure must give a documented errno for the command
 * (tests/errtab.h) or a correct success, leave no fd behind (the lowest free
 * fd is unchanged), and leave the module working.  The guest's final rmmod
 * and kmemleak scan show that no reference or allocation was lost.
 *
 * Needs CONFIG_FAULT_INJECTION (/proc/thread-self/fail-nth) and
 * CONFIG_FAILSLAB with debugfs (/sys/kernel/debug/failslab), as the debug
 * kernel has; elsewhere every case is skipped, saying why.
 */
#include "util.h"
#include "errtab.h"

/* Delivery through send_sig_info() needs unchecked_signals: fault sites on every delivery path. */
USE_UNCHECKED_SIGNALS()

#define FAILNTH		"/proc/thread-self/fail-nth"
#define FAILSLAB	"/sys/kernel/debug/failslab"
#define MAX_N		3000

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

/* Skip unless fail-nth and failslab are there; configure failslab. */
static int setup(void)
{
	int fd;

	fd = open(FAILNTH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		SKIP("%s: %s (kernel without CONFIG_FAULT_INJECTION)", FAILNTH,
		     strerror(errno));
	if (access(FAILSLAB, F_OK))
		SKIP("%s: %s (kernel without CONFIG_FAILSLAB or debugfs)", FAILSLAB,
		     strerror(errno));
	/*
	 * GFP_KERNEL allocations are exempt by default; the module's are
	 * GFP_KERNEL.  Probability stays 0, so only fail-nth injects, and
	 * only in this thread.  One console line per failure, no stack.
	 */
	if (write_str(FAILSLAB "/ignore-gfp-wait", "N") ||
	    write_str(FAILSLAB "/verbose", "1"))
		SKIP("cannot configure %s: %s", FAILSLAB, strerror(errno));
	write_str("/sys/kernel/debug/fail_usercopy/verbose", "1");
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

struct op {
	const char *name;
	int cmd;
	int makes_fd;
	int (*run)(void);
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

/* Run @op with n = 1.. injected; returns the number of fault sites. */
static void inject(const struct op *op)
{
	int fd = setup(), n, hist[ERRTAB_MAXERR] = { 0 }, tolerated = 0;
	int undocumented = 0, e, r, injected = 0;
	char line[400];
	size_t off = 0;

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
		} else {
			if (!injected)
				TH_FAIL(0, "%s: failed with %s without an injected fault (n=%d)",
					op->name, strerror(e), n);
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
	off += snprintf(line + off, sizeof(line) - off,
			"%s: %d fault site(s) on the success path; %d tolerated;",
			op->name, n - 1, tolerated);
	for (e = 1; e < ERRTAB_MAXERR; e++)
		if (hist[e])
			off += snprintf(line + off, sizeof(line) - off, " %s x%d",
					errtab_name(e), hist[e]);
	th_diag("%s", line);
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

#define OP(fn, c, fdp) { #fn, PIDFD_MOD_CMD_##c, fdp, op_##fn }

TEST(faults_features)
{
	static const struct op o = OP(features, FEATURES, 0);

	inject(&o);
}

TEST(faults_open)
{
	static const struct op o = OP(open, OPEN, 1);

	inject(&o);
}

TEST(faults_open_thread)
{
	static const struct op o = OP(open_thread, OPEN, 1);

	inject(&o);
}

TEST(faults_open_nsfd)
{
	static const struct op o = OP(open_nsfd, OPEN, 1);

	inject(&o);
}

TEST(faults_procfd)
{
	static const struct op o = OP(procfd, PROCFD, 1);

	inject(&o);
}

TEST(faults_procfd_thread)
{
	static const struct op o = OP(procfd_thread, PROCFD, 1);

	inject(&o);
}

TEST(faults_send_signal)
{
	static const struct op o = OP(signal, SEND_SIGNAL, 0);

	inject(&o);
}

TEST(faults_send_signal_thread)
{
	static const struct op o = OP(signal_thread, SEND_SIGNAL, 0);

	inject(&o);
}

TEST(faults_send_signal_info)
{
	static const struct op o = OP(signal_info, SEND_SIGNAL, 0);

	inject(&o);
}

TEST(faults_send_signal_rt)
{
	static const struct op o = OP(signal_rt, SEND_SIGNAL, 0);

	inject(&o);
}
