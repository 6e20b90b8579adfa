// SPDX-License-Identifier: GPL-2.0
/*
 * PIDFD_MOD_IOC_SEND_SIGNAL without siginfo and without scope flags,
 * compared with native pidfd_send_signal(2) on the same kernel for the same
 * inputs: the result, the errno, and what the target observes.
 *
 * The argument-structure contract is covered by abi.c, siginfo and scope
 * flags by thread.c (with unchecked_signals set).  The cases at the end
 * cover what the module refuses by default: the signals only
 * send_sig_info() can deliver, and signalling through a read-only open.
 */
#include <linux/capability.h>

#include "util.h"

/* The number the pid-reuse case gives its target and then a newcomer. */
#define SIG_TARGET_PID	42

/*
 * Open the control device before counting fds: the wrappers open it on
 * first use, and that must not look like a leak.
 */
static void sig_setup(void)
{
	ASSERT_GE(pidfd_mod_dev(), 0);
}

/* Both the module and the native call fail with @err; no fd appears. */
#define EXPECT_BOTH_FAIL(err, mfd, nfd, sig)				\
	do {								\
		int __next = next_fd();					\
		EXPECT_ERRNO(err, pidfd_mod_send_signal(mfd, sig, NULL, 0)); \
		EXPECT_ERRNO(err, sys_pidfd_send_signal(nfd, sig, NULL, 0)); \
		EXPECT_EQ(__next, next_fd());				\
	} while (0)

/* Both succeed. */
#define EXPECT_BOTH_OK(mfd, nfd, sig)					\
	do {								\
		EXPECT_EQ(0, pidfd_mod_send_signal(mfd, sig, NULL, 0));	\
		EXPECT_EQ(0, sys_pidfd_send_signal(nfd, sig, NULL, 0));	\
	} while (0)

/* The module alone fails with @err; no fd appears. */
#define EXPECT_MOD_FAIL(err, mfd, sig)					\
	do {								\
		int __next = next_fd();					\
		EXPECT_ERRNO(err, pidfd_mod_send_signal(mfd, sig, NULL, 0)); \
		EXPECT_EQ(__next, next_fd());				\
	} while (0)

static int sig_mod_pidfd(pid_t pid)
{
	int fd = pidfd_mod_open(pid, -1, 0);

	ASSERT_GE(fd, 0);
	return fd;
}

static int sig_native_pidfd(pid_t pid)
{
	int fd = sys_pidfd_open(pid, 0);

	ASSERT_GE(fd, 0);
	return fd;
}

/* Whether @pid, a child, is still running (not exited, not reaped). */
static int sig_alive(pid_t pid)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return 0;
	return si.si_pid == 0;
}

/* User ids to run as: real, effective, saved (the gids follow). */
struct sig_ids {
	uid_t r, e, s;
};

static int sig_set_ids(const struct sig_ids *ids)
{
	if (setgroups(0, NULL) || setresgid(ids->r, ids->e, ids->s) ||
	    setresuid(ids->r, ids->e, ids->s))
		return -1;
	return 0;
}

/*
 * Reporters: children that write one struct sig_report through a pipe for
 * every signal they catch, after an initial record with signo 0.
 */
struct sig_report {
	int signo;
	int code;
	int pid;
	int uid;
};

static int sig_report_fd = -1;

static void sig_report_handler(int sig, siginfo_t *si, void *uc)
{
	struct sig_report r = {
		.signo = sig,
		.code = si->si_code,
		.pid = si->si_pid,
		.uid = (int)si->si_uid,
	};

	(void)uc;
	if (write(sig_report_fd, &r, sizeof(r)) != sizeof(r))
		_exit(101);
}

/* Catch and report these signals, one at a time. */
static void sig_catch_all(int wfd)
{
	const int sigs[] = { SIGUSR1, SIGUSR2, SIGCONT, SIGRTMIN + 1, SIGRTMAX };
	struct sigaction sa = {
		.sa_sigaction = sig_report_handler,
		.sa_flags = SA_SIGINFO | SA_RESTART,
	};
	unsigned int i;

	sig_report_fd = wfd;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* One report from @rfd within @ms milliseconds: 0, or -1 if none. */
static int sig_read_report(int rfd, struct sig_report *r, int ms)
{
	if (!poll_fd(rfd, ms))
		return -1;
	return read(rfd, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
}

/*
 * A reporter running as @ids (NULL: root), numbered @tid in the caller's
 * pid namespace for children (0: any).  Returns its pid, its reports on
 * *@rfd.
 */
static pid_t sig_spawn_reporter_tid(const struct sig_ids *ids, pid_t tid,
				    int *rfd)
{
	struct sig_report ready = { 0 };
	int p[2];
	pid_t pid;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = tid ? clone3_set_tid(tid, 0) : fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(p[0]);
		if (ids && sig_set_ids(ids))
			_exit(102);
		/* After the uid change, which clears it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sig_catch_all(p[1]);
		if (write(p[1], &ready, sizeof(ready)) != sizeof(ready))
			_exit(103);
		for (;;)
			pause();
	}
	close(p[1]);
	ready.signo = -1;
	ASSERT_EQ(0, sig_read_report(p[0], &ready, 10000));
	ASSERT_EQ(0, ready.signo);
	*rfd = p[0];
	return pid;
}

static pid_t sig_spawn_reporter(const struct sig_ids *ids, int *rfd)
{
	return sig_spawn_reporter_tid(ids, 0, rfd);
}

/* The next report is @sig, sent by @pid as @uid with kill(2)'s SI_USER. */
static void sig_expect_report(int rfd, int sig, pid_t pid, uid_t uid)
{
	struct sig_report r = { .signo = -1 };

	ASSERT_EQ(0, sig_read_report(rfd, &r, 10000));
	EXPECT_EQ(sig, r.signo);
	EXPECT_EQ(SI_USER, r.code);
	EXPECT_EQ(pid, r.pid);
	EXPECT_EQ(uid, r.uid);
}

/*
 * SIGUSR1 through the module's @mfd, then through the native @nfd, each
 * reaches the reporter behind @rfd as sent by this process as @uid.  One at a
 * time: a second SIGUSR1 sent while the first is pending is merged.
 */
static void sig_both_arrive(int rfd, int mfd, int nfd, uid_t uid)
{
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, SIGUSR1, NULL, 0));
	sig_expect_report(rfd, SIGUSR1, getpid(), uid);
	EXPECT_EQ(0, sys_pidfd_send_signal(nfd, SIGUSR1, NULL, 0));
	sig_expect_report(rfd, SIGUSR1, getpid(), uid);
}

/*
 * Nothing reached the reporter @pid: a SIGUSR2 sent now with kill(2) is
 * the next report, and none follows it.  Anything an earlier call made
 * pending is delivered no later than the marker.
 */
static void sig_expect_nothing(pid_t pid, int rfd)
{
	struct sig_report r = { .signo = -1 };

	ASSERT_EQ(0, kill(pid, SIGUSR2));
	ASSERT_EQ(0, sig_read_report(rfd, &r, 10000));
	EXPECT_EQ(SIGUSR2, r.signo);
	if (!sig_read_report(rfd, &r, 200))
		TH_FAIL(0, "signal %d arrived after the marker", r.signo);
}

TEST(signal_zero_to_live_process)
{
	int rfd, mfd, nfd;
	pid_t pid;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	EXPECT_BOTH_OK(mfd, nfd, 0);
	sig_expect_nothing(pid, rfd);
	EXPECT_TRUE(sig_alive(pid));
	kill_reap(pid);
}

TEST(signal_arrives_as_from_kill)
{
	const int sigs[] = { SIGUSR1, SIGRTMIN + 1, SIGRTMAX };
	int rfd, mfd, nfd;
	unsigned int i;
	pid_t pid;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		th_diag("signal %d", sigs[i]);
		EXPECT_EQ(0, pidfd_mod_send_signal(mfd, sigs[i], NULL, 0));
		sig_expect_report(rfd, sigs[i], getpid(), getuid());
		EXPECT_EQ(0, sys_pidfd_send_signal(nfd, sigs[i], NULL, 0));
		sig_expect_report(rfd, sigs[i], getpid(), getuid());
	}
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
}

TEST(signal_default_action_terminates)
{
	const int sigs[] = { SIGTERM, SIGKILL };
	unsigned int i;
	int status;

	sig_setup();
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t a = spawn_sleeper(), b = spawn_sleeper();
		int mfd, nfd;

		ASSERT_GT(a, 0);
		ASSERT_GT(b, 0);
		mfd = sig_mod_pidfd(a);
		nfd = sig_native_pidfd(b);
		EXPECT_EQ(0, pidfd_mod_send_signal(mfd, sigs[i], NULL, 0));
		EXPECT_EQ(0, sys_pidfd_send_signal(nfd, sigs[i], NULL, 0));
		ASSERT_EQ(a, waitpid(a, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
		EXPECT_EQ(sigs[i], WTERMSIG(status));
		ASSERT_EQ(b, waitpid(b, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
		EXPECT_EQ(sigs[i], WTERMSIG(status));
		close(mfd);
		close(nfd);
	}
}

TEST(signal_invalid_number_is_einval)
{
	/* 256 + 10 and 256 + 64 would be SIGUSR1 and SIGRTMAX if truncated. */
	const int sigs[] = { 65, -1, 266, 320, 1000, INT_MAX, INT_MIN };
	int rfd, mfd, nfd;
	unsigned int i;
	pid_t pid;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		th_diag("signal %d", sigs[i]);
		EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, sigs[i]);
	}
	sig_expect_nothing(pid, rfd);
	EXPECT_TRUE(sig_alive(pid));
	kill_reap(pid);
}

TEST(signal_zombie_is_dropped)
{
	int gate, mfd, nfd, status;
	pid_t pid;

	sig_setup();
	pid = spawn_gated_exiter(7, &gate);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);
	close(gate);
	ASSERT_EQ(0, wait_zombie(pid));

	EXPECT_BOTH_OK(mfd, nfd, 0);
	EXPECT_BOTH_OK(mfd, nfd, SIGUSR1);
	EXPECT_BOTH_OK(mfd, nfd, SIGKILL);
	/* The task still exists, so the signal number is checked. */
	EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, 65);

	/* Nothing changed the exit status. */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(7, WEXITSTATUS(status));
}

TEST(signal_reaped_is_esrch)
{
	int gate, mfd, nfd;
	pid_t pid;

	sig_setup();
	pid = spawn_gated_exiter(0, &gate);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);
	close(gate);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));

	EXPECT_BOTH_FAIL(ESRCH, mfd, nfd, 0);
	EXPECT_BOTH_FAIL(ESRCH, mfd, nfd, SIGKILL);
	/* Reaped is reported before an invalid signal number. */
	EXPECT_BOTH_FAIL(ESRCH, mfd, nfd, 65);
}

/*
 * Pid 1 of a fresh pid namespace: a target gets SIG_TARGET_PID, both kinds
 * of pidfd are opened, it is reaped, and a reporter gets the same number.
 * The old fds must give ESRCH and the newcomer must receive nothing.
 */
static void sig_reuse_init(void)
{
	int mfd, nfd, fresh, rfd;
	pid_t target, newcomer;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	ASSERT_EQ(1, getpid());
	target = clone3_set_tid(SIG_TARGET_PID, 0);
	if (target == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(SIG_TARGET_PID, target);
	mfd = sig_mod_pidfd(SIG_TARGET_PID);
	nfd = sig_native_pidfd(SIG_TARGET_PID);
	EXPECT_BOTH_OK(mfd, nfd, 0);
	kill_reap(target);

	newcomer = sig_spawn_reporter_tid(NULL, SIG_TARGET_PID, &rfd);
	ASSERT_EQ(SIG_TARGET_PID, newcomer);

	EXPECT_BOTH_FAIL(ESRCH, mfd, nfd, 0);
	EXPECT_BOTH_FAIL(ESRCH, mfd, nfd, SIGUSR1);
	EXPECT_BOTH_FAIL(ESRCH, mfd, nfd, SIGKILL);
	EXPECT_TRUE(sig_alive(newcomer));
	sig_expect_nothing(newcomer, rfd);

	/* A pidfd of the newcomer's own does reach it. */
	fresh = sig_mod_pidfd(SIG_TARGET_PID);
	EXPECT_EQ(0, pidfd_mod_send_signal(fresh, SIGUSR1, NULL, 0));
	sig_expect_report(rfd, SIGUSR1, 1, 0);

	kill_reap(newcomer);
	_exit(th_failed);
}

TEST(signal_after_pid_reuse_is_esrch)
{
	pid_t init;

	sig_setup();
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	init = fork();
	ASSERT_GE(init, 0);
	if (init == 0)
		sig_reuse_init();
	wait_ok(init);
}

TEST(signal_unprivileged_to_root_is_eperm)
{
	int rfd, mfd, nfd;
	pid_t pid, child;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		ASSERT_EQ(0, drop_to_uid(TEST_UID));
		EXPECT_BOTH_FAIL(EPERM, mfd, nfd, 0);
		EXPECT_BOTH_FAIL(EPERM, mfd, nfd, SIGUSR1);
		EXPECT_BOTH_FAIL(EPERM, mfd, nfd, SIGKILL);
		/* The signal number is checked before the permission. */
		EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, 65);
		_exit(th_failed);
	}
	wait_ok(child);
	EXPECT_TRUE(sig_alive(pid));
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
}

TEST(signal_same_uid_allowed)
{
	const struct sig_ids ids = { TEST_UID, TEST_UID, TEST_UID };
	int rfd, mfd, nfd;
	pid_t pid, child;

	sig_setup();
	pid = sig_spawn_reporter(&ids, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		ASSERT_EQ(0, drop_to_uid(TEST_UID));
		EXPECT_BOTH_OK(mfd, nfd, 0);
		sig_both_arrive(rfd, mfd, nfd, TEST_UID);
		_exit(th_failed);
	}
	wait_ok(child);
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
}

/*
 * kill(2)'s rule: the sender's real or effective uid matches the target's
 * real or saved uid.  Neither the sender's saved uid nor the target's
 * effective uid counts.
 */
TEST(signal_kill_uid_rules)
{
	const uid_t a = TEST_UID, b = TEST_UID2;
	const struct {
		struct sig_ids target, sender;
		int err;
	} cases[] = {
		{ { a, a, a }, { b, b, b }, EPERM },
		{ { a, a, a }, { b, b, a }, EPERM },	/* sender's saved */
		{ { b, a, b }, { a, a, a }, EPERM },	/* target's effective */
		{ { b, b, a }, { a, a, a }, 0 },	/* target's saved */
		{ { a, a, a }, { a, b, b }, 0 },	/* sender's real */
		{ { a, a, a }, { b, a, b }, 0 },	/* sender's effective */
	};
	unsigned int i;

	sig_setup();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rfd, mfd, nfd;
		pid_t pid, child;

		th_diag("case %u", i);
		pid = sig_spawn_reporter(&cases[i].target, &rfd);
		mfd = sig_mod_pidfd(pid);
		nfd = sig_native_pidfd(pid);
		child = fork();
		ASSERT_GE(child, 0);
		if (child == 0) {
			ASSERT_EQ(0, sig_set_ids(&cases[i].sender));
			if (cases[i].err) {
				EXPECT_BOTH_FAIL(cases[i].err, mfd, nfd, SIGUSR1);
				EXPECT_BOTH_FAIL(cases[i].err, mfd, nfd, 0);
			} else {
				EXPECT_BOTH_OK(mfd, nfd, 0);
				sig_both_arrive(rfd, mfd, nfd, cases[i].sender.r);
			}
			_exit(th_failed);
		}
		wait_ok(child);
		sig_expect_nothing(pid, rfd);
		kill_reap(pid);
		close(rfd);
		close(mfd);
		close(nfd);
	}
}

/* Keep only CAP_KILL (or nothing, if @keep is 0) in the effective set. */
static int sig_cap_kill_only(int keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	data[0].permitted = 1U << CAP_KILL;
	data[0].effective = keep ? 1U << CAP_KILL : 0;
	return syscall(SYS_capset, &hdr, data);
}

TEST(signal_cap_kill_overrides_uid)
{
	const struct sig_ids ids = { TEST_UID, TEST_UID, TEST_UID };
	int rfd, mfd, nfd;
	pid_t pid, child;

	sig_setup();

	/* Root to an unprivileged process. */
	pid = sig_spawn_reporter(&ids, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);
	sig_both_arrive(rfd, mfd, nfd, 0);
	kill_reap(pid);
	close(rfd);

	/* Another uid with CAP_KILL alone, to a root process. */
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		ASSERT_EQ(0, prctl(PR_SET_KEEPCAPS, 1));
		ASSERT_EQ(0, drop_to_uid(TEST_UID2));
		ASSERT_EQ(0, sig_cap_kill_only(1));
		sig_both_arrive(rfd, mfd, nfd, TEST_UID2);
		ASSERT_EQ(0, sig_cap_kill_only(0));
		EXPECT_BOTH_FAIL(EPERM, mfd, nfd, SIGUSR1);
		_exit(th_failed);
	}
	wait_ok(child);
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
}

/* Run @fn(mfd, nfd) in a child of uid TEST_UID2; require it to pass. */
static void sig_as_other_uid(void (*fn)(int, int), int mfd, int nfd)
{
	pid_t child = fork();

	ASSERT_GE(child, 0);
	if (child == 0) {
		ASSERT_EQ(0, drop_to_uid(TEST_UID2));
		fn(mfd, nfd);
		_exit(th_failed);
	}
	wait_ok(child);
}

static void sig_cont_mod(int mfd, int nfd)
{
	(void)nfd;
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, SIGCONT, NULL, 0));
}

static void sig_cont_native(int mfd, int nfd)
{
	(void)mfd;
	EXPECT_EQ(0, sys_pidfd_send_signal(nfd, SIGCONT, NULL, 0));
}

static void sig_cont_other_session(int mfd, int nfd)
{
	ASSERT_GT(setsid(), 0);
	EXPECT_BOTH_FAIL(EPERM, mfd, nfd, SIGCONT);
}

static void sig_usr1_denied(int mfd, int nfd)
{
	EXPECT_BOTH_FAIL(EPERM, mfd, nfd, SIGUSR1);
	EXPECT_BOTH_FAIL(EPERM, mfd, nfd, SIGSTOP);
}

/* Stop @pid and wait until it is stopped. */
static void sig_stop(pid_t pid)
{
	int status;

	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
}

/* @pid, stopped before, has been continued. */
static void sig_expect_continued(pid_t pid)
{
	int status;

	ASSERT_EQ(pid, waitpid(pid, &status, WCONTINUED));
	EXPECT_TRUE(WIFCONTINUED(status));
}

/*
 * SIGCONT may go to any process of the caller's session whatever its uid;
 * every other signal, and SIGCONT from another session, may not.
 */
TEST(signal_sigcont_same_session)
{
	const struct sig_ids ids = { TEST_UID, TEST_UID, TEST_UID };
	int rfd, mfd, nfd, status;
	struct sig_report r;
	pid_t pid;

	sig_setup();
	pid = sig_spawn_reporter(&ids, &rfd);
	ASSERT_EQ(getsid(0), getsid(pid));
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	sig_stop(pid);
	sig_as_other_uid(sig_cont_mod, mfd, nfd);
	sig_expect_continued(pid);
	ASSERT_EQ(0, sig_read_report(rfd, &r, 10000));
	EXPECT_EQ(SIGCONT, r.signo);
	EXPECT_EQ(TEST_UID2, r.uid);

	sig_stop(pid);
	sig_as_other_uid(sig_cont_native, mfd, nfd);
	sig_expect_continued(pid);
	ASSERT_EQ(0, sig_read_report(rfd, &r, 10000));
	EXPECT_EQ(SIGCONT, r.signo);
	EXPECT_EQ(TEST_UID2, r.uid);

	/* From a session of its own: refused, and the target stays stopped. */
	sig_stop(pid);
	sig_as_other_uid(sig_cont_other_session, mfd, nfd);
	EXPECT_EQ(0, waitpid(pid, &status, WCONTINUED | WNOHANG));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	sig_expect_continued(pid);
	sig_expect_report(rfd, SIGCONT, getpid(), 0);

	/* The exception is for SIGCONT only. */
	sig_as_other_uid(sig_usr1_denied, mfd, nfd);
	sig_expect_nothing(pid, rfd);
	EXPECT_EQ(0, waitpid(pid, &status, WUNTRACED | WNOHANG));
	kill_reap(pid);
}

/*
 * From inside a child pid namespace, a process of the parent namespace is
 * out of reach: EINVAL, before any other check.
 */
TEST(signal_outside_own_pidns_is_einval)
{
	int rfd, mfd, nfd, gmfd, gnfd, gate;
	pid_t pid, gone, child;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);
	gone = spawn_gated_exiter(0, &gate);
	gmfd = sig_mod_pidfd(gone);
	gnfd = sig_native_pidfd(gone);
	close(gate);
	ASSERT_EQ(gone, waitpid(gone, NULL, 0));

	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		ASSERT_EQ(1, getpid());
		EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, 0);
		EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, SIGUSR1);
		EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, SIGKILL);
		/* Before the reaped check and the signal number check. */
		EXPECT_BOTH_FAIL(EINVAL, gmfd, gnfd, 0);
		EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, 65);
		_exit(th_failed);
	}
	wait_ok(child);
	EXPECT_TRUE(sig_alive(pid));
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
}

/*
 * Into a child pid namespace is fine; the receiver sees si_pid 0, as the
 * sender has no number there.
 */
TEST(signal_into_child_pidns)
{
	int rfd, mfd, nfd;
	pid_t pid;

	sig_setup();
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	pid = sig_spawn_reporter(NULL, &rfd);	/* pid 1 of the new namespace */
	mfd = sig_mod_pidfd(pid);
	nfd = sig_native_pidfd(pid);

	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, SIGUSR1, NULL, 0));
	sig_expect_report(rfd, SIGUSR1, 0, 0);
	EXPECT_EQ(0, sys_pidfd_send_signal(nfd, SIGUSR1, NULL, 0));
	sig_expect_report(rfd, SIGUSR1, 0, 0);
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
}

/* Send @sig through @fd, a module pidfd or (@native) a native one. */
static int sig_send(int native, int fd, int sig)
{
	if (native)
		return sys_pidfd_send_signal(fd, sig, NULL, 0);
	return pidfd_mod_send_signal(fd, sig, NULL, 0);
}

/*
 * A pid namespace's init ignores the signals it has no handler for when
 * they come from inside its namespace, even SIGKILL, and from an ancestor
 * namespace all but SIGKILL and SIGSTOP.  @native picks the call under test
 * for one whole round; the init proves it is alive by answering a pipe.
 */
static void sig_pidns_init_round(int native)
{
	int report[2], ping[2], status, fd;
	pid_t init;
	char c;

	ASSERT_EQ(0, pipe2(report, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(ping, O_CLOEXEC));
	init = fork_newpidns();
	ASSERT_GE(init, 0);
	if (init == 0) {
		pid_t sender;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(report[0]);
		close(ping[1]);
		sender = fork();
		if (sender == 0) {
			int ifd = native ? sig_native_pidfd(1) : sig_mod_pidfd(1);

			EXPECT_EQ(0, sig_send(native, ifd, SIGTERM));
			EXPECT_EQ(0, sig_send(native, ifd, SIGKILL));
			_exit(th_failed);
		}
		status = -1;
		if (sender > 0)
			waitpid(sender, &status, 0);
		/* Still here after the sender's SIGKILL. */
		if (write(report[1], &status, sizeof(status)) != sizeof(status))
			_exit(1);
		while (read(ping[0], &c, 1) == 1) {
			if (write(report[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(report[1]);
	close(ping[0]);
	ASSERT_EQ(sizeof(status), read(report[0], &status, sizeof(status)));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	fd = native ? sig_native_pidfd(init) : sig_mod_pidfd(init);
	EXPECT_EQ(0, sig_send(native, fd, SIGTERM));
	ASSERT_EQ(1, write(ping[1], "p", 1));
	EXPECT_EQ(1, read(report[0], &c, 1));
	EXPECT_EQ(0, sig_send(native, fd, SIGKILL));
	ASSERT_EQ(init, waitpid(init, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	close(fd);
	close(report[0]);
	close(ping[1]);
}

TEST(signal_pidns_init_protected_from_inside)
{
	sig_setup();
	th_diag("module");
	sig_pidns_init_round(0);
	th_diag("native");
	sig_pidns_init_round(1);
}

TEST(signal_not_a_pidfd_is_ebadf)
{
	int file, null, nsfd, native, procdir, closed, mfd;
	char name[64];
	pid_t pid;

	sig_setup();
	pid = spawn_sleeper();
	ASSERT_GT(pid, 0);
	file = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(file, 0);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_GE(null, 0);
	nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	native = sig_native_pidfd(pid);
	snprintf(name, sizeof(name), "/proc/%d", pid);
	procdir = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(procdir, 0);
	mfd = sig_mod_pidfd(pid);
	closed = sig_mod_pidfd(pid);
	close(closed);

	EXPECT_MOD_FAIL(EBADF, file, SIGKILL);
	EXPECT_MOD_FAIL(EBADF, null, SIGKILL);
	EXPECT_MOD_FAIL(EBADF, nsfd, SIGKILL);
	EXPECT_MOD_FAIL(EBADF, closed, SIGKILL);
	EXPECT_MOD_FAIL(EBADF, -1, SIGKILL);
	EXPECT_MOD_FAIL(EBADF, pidfd_mod_dev(), SIGKILL);
	/* Native pidfds and /proc/PID directories are pidfds: tests/interop.c. */
	EXPECT_EQ(0, pidfd_mod_send_signal(native, 0, NULL, 0));
	EXPECT_EQ(0, pidfd_mod_send_signal(procdir, 0, NULL, 0));

	/* The native call rejects the same files, and ours. */
	EXPECT_BOTH_FAIL(EBADF, file, file, SIGKILL);
	EXPECT_BOTH_FAIL(EBADF, null, null, SIGKILL);
	EXPECT_BOTH_FAIL(EBADF, nsfd, nsfd, SIGKILL);
	EXPECT_BOTH_FAIL(EBADF, closed, closed, SIGKILL);
	EXPECT_BOTH_FAIL(EBADF, -1, -1, SIGKILL);
	EXPECT_ERRNO(EBADF, sys_pidfd_send_signal(mfd, SIGKILL, NULL, 0));

	EXPECT_TRUE(sig_alive(pid));
	kill_reap(pid);
}

TEST(signal_self)
{
	int p[2], mfd, nfd;
	struct sig_report r;

	sig_setup();
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	sig_catch_all(p[1]);
	mfd = sig_mod_pidfd(getpid());
	nfd = sig_native_pidfd(getpid());

	EXPECT_BOTH_OK(mfd, nfd, 0);
	ASSERT_NE(0, sig_read_report(p[0], &r, 0));

	/* Delivered before the call returns to this, the only thread. */
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, SIGUSR1, NULL, 0));
	ASSERT_EQ(0, sig_read_report(p[0], &r, 0));
	EXPECT_EQ(SIGUSR1, r.signo);
	EXPECT_EQ(SI_USER, r.code);
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(0, r.uid);

	EXPECT_EQ(0, sys_pidfd_send_signal(nfd, SIGUSR1, NULL, 0));
	ASSERT_EQ(0, sig_read_report(p[0], &r, 0));
	EXPECT_EQ(SIGUSR1, r.signo);
	EXPECT_EQ(SI_USER, r.code);
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_EQ(0, r.uid);

	EXPECT_BOTH_FAIL(EINVAL, mfd, nfd, 65);
	ASSERT_NE(0, sig_read_report(p[0], &r, 0));
}

/*
 * The signals only send_sig_info() can deliver: thread-directed ones and
 * those with a caller-built siginfo.  Without unchecked_signals the module
 * refuses them with EOPNOTSUPP where kill(2) would go on to ask the LSMs,
 * and delivers nothing; signal 0 and the kill(2)-shaped group signals stay
 * on the kernel's own check.
 */

/* The next report is @sig with si_code @code, sent by this process. */
static void sig_expect_code(int rfd, int sig, int code)
{
	struct sig_report r = { .signo = -1 };

	ASSERT_EQ(0, sig_read_report(rfd, &r, 10000));
	EXPECT_EQ(sig, r.signo);
	EXPECT_EQ(code, r.code);
	EXPECT_EQ(getpid(), r.pid);
}

static void sig_make_info(siginfo_t *si, int sig, int code)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = code;
	si->si_pid = getpid();
	si->si_uid = getuid();
}

TEST(signal_unchecked_paths_refused_by_default)
{
	int rfd, mfd, tfd;
	siginfo_t si, si0;
	pid_t pid;

	sig_setup();
	ASSERT_EQ(0, set_unchecked_signals(0));
	pid = sig_spawn_reporter(NULL, &rfd);
	mfd = sig_mod_pidfd(pid);
	tfd = pidfd_mod_open(pid, -1, PIDFD_MOD_THREAD);
	ASSERT_GE(tfd, 0);
	sig_make_info(&si, SIGUSR1, SI_QUEUE);
	sig_make_info(&si0, 0, SI_QUEUE);

	/* kill(2)'s rules allow all of these: tgkill and sigqueue deliver. */
	EXPECT_EQ(0, sys_tgkill(pid, pid, SIGUSR1));
	sig_expect_code(rfd, SIGUSR1, SI_TKILL);
	EXPECT_EQ(0, syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si));
	sig_expect_code(rfd, SIGUSR1, SI_QUEUE);

	EXPECT_MOD_FAIL(EOPNOTSUPP, tfd, SIGUSR1);
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(mfd, SIGUSR1, NULL,
						       PIDFD_MOD_SIGNAL_THREAD));
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(mfd, SIGUSR1, &si, 0));
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(tfd, SIGUSR1, &si,
				  PIDFD_MOD_SIGNAL_THREAD_GROUP));
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(mfd, SIGKILL, NULL,
						       PIDFD_MOD_SIGNAL_THREAD));
	sig_expect_nothing(pid, rfd);
	EXPECT_TRUE(sig_alive(pid));

	/* Checked before the refusal, as natively. */
	EXPECT_MOD_FAIL(EINVAL, tfd, 65);
	si.si_signo = SIGUSR2;
	EXPECT_ERRNO(EINVAL, pidfd_mod_send_signal(mfd, SIGUSR1, &si, 0));
	si.si_signo = SIGUSR1;

	/* Signal 0 on every scope, and group signals, are the kernel's. */
	EXPECT_EQ(0, pidfd_mod_send_signal(tfd, 0, NULL, 0));
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, 0, NULL,
					   PIDFD_MOD_SIGNAL_THREAD));
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, 0, &si0, 0));
	EXPECT_EQ(0, pidfd_mod_send_signal(tfd, SIGUSR1, NULL,
					   PIDFD_MOD_SIGNAL_THREAD_GROUP));
	sig_expect_code(rfd, SIGUSR1, SI_USER);

	/* The administrator's opt-in delivers them. */
	ASSERT_EQ(0, set_unchecked_signals(1));
	EXPECT_EQ(0, pidfd_mod_send_signal(tfd, SIGUSR1, NULL, 0));
	sig_expect_code(rfd, SIGUSR1, SI_TKILL);
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, SIGUSR1, &si, 0));
	sig_expect_code(rfd, SIGUSR1, SI_QUEUE);
	ASSERT_EQ(0, set_unchecked_signals(0));
	EXPECT_MOD_FAIL(EOPNOTSUPP, tfd, SIGUSR1);

	/* A reaped target is ESRCH before anything else. */
	kill_reap(pid);
	EXPECT_MOD_FAIL(ESRCH, tfd, SIGUSR1);
	EXPECT_ERRNO(ESRCH, pidfd_mod_send_signal(mfd, SIGUSR1, &si, 0));
	close(tfd);
	close(mfd);
}

/*
 * Where kill(2)'s credential rule refuses, the answer is EPERM as natively,
 * whatever the setting.  SIGCONT within the session passes the credential
 * rule and would go on to the LSMs: refused, not delivered.
 */
TEST(signal_unchecked_paths_credential_rule_is_eperm)
{
	int rfd, mfd, tfd, on;
	pid_t pid, child;
	siginfo_t si;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	ASSERT_EQ(getsid(0), getsid(pid));
	mfd = sig_mod_pidfd(pid);
	tfd = pidfd_mod_open(pid, -1, PIDFD_MOD_THREAD);
	ASSERT_GE(tfd, 0);
	sig_make_info(&si, SIGUSR1, SI_QUEUE);

	for (on = 0; on < 2; on++) {
		ASSERT_EQ(0, set_unchecked_signals(on));
		child = fork();
		ASSERT_GE(child, 0);
		if (child == 0) {
			ASSERT_EQ(0, drop_to_uid(TEST_UID));
			EXPECT_ERRNO(EPERM, sys_tgkill(pid, pid, SIGUSR1));
			EXPECT_MOD_FAIL(EPERM, tfd, SIGUSR1);
			EXPECT_ERRNO(EPERM, pidfd_mod_send_signal(mfd, SIGUSR1,
								  &si, 0));
			EXPECT_MOD_FAIL(EPERM, tfd, 0);
			if (!on)
				EXPECT_MOD_FAIL(EOPNOTSUPP, tfd, SIGCONT);
			_exit(th_failed);
		}
		wait_ok(child);
	}
	ASSERT_EQ(0, set_unchecked_signals(0));
	sig_expect_nothing(pid, rfd);
	kill_reap(pid);
	close(tfd);
	close(mfd);
}

/*
 * A siginfo with si_code > 0 may only go to oneself, and kill(2) checks
 * nothing for it: the module delivers it too, by default.  One with
 * si_code <= 0 is checked by kill(2), so the module refuses it.
 */
TEST(signal_self_kernel_siginfo_delivered_by_default)
{
	int p[2], mfd, nfd;
	struct sig_report r;
	siginfo_t si;

	sig_setup();
	ASSERT_EQ(0, set_unchecked_signals(0));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	sig_catch_all(p[1]);
	mfd = sig_mod_pidfd(getpid());
	nfd = sig_native_pidfd(getpid());

	sig_make_info(&si, SIGUSR1, 1);
	EXPECT_EQ(0, pidfd_mod_send_signal(mfd, SIGUSR1, &si, 0));
	ASSERT_EQ(0, sig_read_report(p[0], &r, 1000));
	EXPECT_EQ(SIGUSR1, r.signo);
	EXPECT_EQ(1, r.code);
	EXPECT_EQ(0, sys_pidfd_send_signal(nfd, SIGUSR1, &si, 0));
	ASSERT_EQ(0, sig_read_report(p[0], &r, 1000));
	EXPECT_EQ(1, r.code);

	sig_make_info(&si, SIGUSR1, SI_QUEUE);
	EXPECT_ERRNO(EOPNOTSUPP, pidfd_mod_send_signal(mfd, SIGUSR1, &si, 0));
	EXPECT_NE(0, sig_read_report(p[0], &r, 100));
	EXPECT_EQ(0, sys_pidfd_send_signal(nfd, SIGUSR1, &si, 0));
	ASSERT_EQ(0, sig_read_report(p[0], &r, 1000));
	EXPECT_EQ(SI_QUEUE, r.code);
	close(mfd);
	close(nfd);
}

/* FEATURES reports the setting as it is now. */
TEST(signal_features_report_unchecked_signals)
{
	struct pidfd_mod_features f;

	sig_setup();
	ASSERT_EQ(0, set_unchecked_signals(0));
	ASSERT_EQ(0, pidfd_mod_features(&f));
	EXPECT_EQ(0, f.settings);
	ASSERT_EQ(0, set_unchecked_signals(1));
	ASSERT_EQ(0, pidfd_mod_features(&f));
	EXPECT_EQ(PIDFD_MOD_SETTING_UNCHECKED_SIGNALS, f.settings);
	ASSERT_EQ(0, set_unchecked_signals(0));
	ASSERT_EQ(0, pidfd_mod_features(&f));
	EXPECT_EQ(0, f.settings);
}

/*
 * Signalling needs /dev/pidfd open for writing (EBADF, first of all
 * checks); looking up does not.
 */
TEST(signal_readonly_device_is_ebadf)
{
	struct pidfd_mod_send_signal a = { .size = sizeof(a) };
	struct pidfd_mod_open o = { .size = sizeof(o), .nsfd = -1 };
	int rfd, ro, mfd;
	pid_t pid;

	sig_setup();
	pid = sig_spawn_reporter(NULL, &rfd);
	ro = open(PIDFD_MOD_DEVICE, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(ro, 0);
	o.pid = pid;
	mfd = ioctl(ro, PIDFD_MOD_IOC_OPEN, &o);
	ASSERT_GE(mfd, 0);

	a.pidfd = mfd;
	a.sig = SIGUSR1;
	EXPECT_ERRNO(EBADF, ioctl(ro, PIDFD_MOD_IOC_SEND_SIGNAL, &a));
	a.flags = ~0U;
	EXPECT_ERRNO(EBADF, ioctl(ro, PIDFD_MOD_IOC_SEND_SIGNAL, &a));
	a.flags = 0;
	EXPECT_EQ(0, ioctl(pidfd_mod_dev(), PIDFD_MOD_IOC_SEND_SIGNAL, &a));
	sig_expect_report(rfd, SIGUSR1, getpid(), 0);
	sig_expect_nothing(pid, rfd);
	close(mfd);
	close(ro);
	kill_reap(pid);
}
