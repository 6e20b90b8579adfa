// SPDX-License-Identifier: GPL-2.0
/*
 * Resource limits and unload safety.
 *
 *  - RLIMIT_NOFILE: OPEN and PROCFD fail with EMFILE when no fd number is
 *    left, take none, and work again once the limit is raised.
 *  - 100,000 pidfds opened and closed (10 batches of 10,000 over 1,000
 *    short-lived children): no fd left over, and the "filp" and "pid" slab
 *    caches back to their baseline (see TOL_FILP for the tolerance); the
 *    fd check and the slab check are separate cases, so that the first
 *    runs on every kernel.
 *  - rmmod is refused (delete_module(O_NONBLOCK): EWOULDBLOCK) while
 *    /dev/pidfd or any pidfd is open in any process, or in flight in a
 *    unix socket.  Should it ever succeed, the module is loaded again from
 *    the guest's /lib/modules/pidfd_mod.ko so that later programs can run.
 *    The insmod/rmmod loop itself runs in the guest's /init after every
 *    test program (scripts/guest-init.sh), as it unloads the module.
 */
#include <sys/resource.h>
#include <sys/socket.h>

#include "util.h"
#include "errtab.h"

/* Delivery through send_sig_info() needs unchecked_signals: thread-scope signals at the limits. */
USE_UNCHECKED_SIGNALS()

#define GUEST_KO	"/lib/modules/pidfd_mod.ko"

TEST(rlimit_nofile_emfile)
{
	pid_t t = spawn_sleeper();
	int procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int pidfd = pidfd_mod_open(t, -1, 0), n, fd;
	struct rlimit old, lim;

	ASSERT_GE(procroot, 0);
	ASSERT_GE(pidfd, 0);
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
	n = next_fd();
	lim.rlim_cur = n;
	lim.rlim_max = old.rlim_max;
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
	/* fds 0..n-1 are all open: nothing is left. */
	EXPECT_ERRNO(EMFILE, pidfd_mod_open(t, -1, 0));
	EXPECT_ERRNO(EMFILE, pidfd_mod_open(t, -1, PIDFD_MOD_THREAD));
	EXPECT_ERRNO(EMFILE, pidfd_mod_procfd_open(procroot, pidfd, 0));
	/* Errors found before an fd is needed still come first. */
	EXPECT_ERRNO(EINVAL, pidfd_mod_open(0, -1, 0));
	EXPECT_ERRNO(EBADF, pidfd_mod_procfd_open(procroot, 999, 0));
	EXPECT_ERRNO(EBADF, fcntl(n, F_GETFD));
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
	EXPECT_EQ(next_fd(), n);
	fd = pidfd_mod_open(t, -1, 0);
	EXPECT_EQ(fd, n);
	close(fd);
	fd = pidfd_mod_procfd_open(procroot, pidfd, 0);
	EXPECT_EQ(fd, n);
	close(fd);
	kill_reap(t);
}

/* Active objects of slab cache @name in /proc/slabinfo, -1 if absent. */
static long slab_active(const char *name)
{
	char line[512], nm[64];
	long active = -1, a;
	FILE *f = fopen("/proc/slabinfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", nm, &a) == 2 && !strcmp(nm, name))
			active = a;
	fclose(f);
	return active;
}

#define BATCH_CHILDREN	100
#define FDS_PER_CHILD	100
#define BATCHES		10
#define MANY_MAX_S	18

/*
 * One batch: @nkids children (at most BATCH_CHILDREN), 100 pidfds each,
 * all closed, all reaped.  The children are all made before any pidfd is
 * opened, so that none of them inherits pidfds that would then outlive
 * the batch (and hold module references while the next program runs).
 */
static void batch(int *fds, int *opened, int nkids)
{
	pid_t kids[BATCH_CHILDREN];
	int i, j, k = 0;

	for (i = 0; i < nkids; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			pause();
			_exit(0);
		}
		if (kids[i] < 0)
			TH_FAIL(1, "fork: %s", strerror(errno));
	}
	for (i = 0; i < nkids; i++) {
		for (j = 0; j < FDS_PER_CHILD; j++) {
			fds[k] = pidfd_mod_open(kids[i], -1, j & 1 ? PIDFD_MOD_THREAD : 0);
			if (fds[k] < 0)
				TH_FAIL(1, "OPEN number %d: %s", *opened + k, strerror(errno));
			k++;
		}
	}
	for (i = 0; i < k; i++)
		close(fds[i]);
	*opened += k;
	for (i = 0; i < nkids; i++)
		kill_reap(kids[i]);
}

/*
 * Tolerance: SLUB's active count includes free objects still sitting in
 * per-CPU slabs and per-CPU partial lists, and closed files are freed after
 * an RCU grace period, so the count settles near, not at, the baseline.
 * With 2 CPUs that slack is a few hundred objects at most (measured on
 * stock 6.12: "filp" -78..+21, "pid" -123..+192).  A leak of one object
 * per pidfd would leave 100,000 "filp" objects; of one reference per
 * child, 1,000 "pid" objects; the tolerances are well below both.
 */
#define TOL_FILP	2000
#define TOL_PID		500

/* Whether this is a kmemleak (and KASAN) kernel, where everything is slow. */
static int many_slow(void)
{
	return !access("/sys/kernel/debug/kmemleak", F_OK);
}

/*
 * Open and close pidfds in batches, 100,000 of them, or on a sanitizer
 * kernel batches of 10 children for as many as fit: within the harness's
 * 30 s, no batch starts that would end after MANY_MAX_S.  Returns how many
 * were opened.
 */
static int many_batches(int slow)
{
	static int fds[BATCH_CHILDREN * FDS_PER_CHILD];
	struct timespec a, z;
	int opened = 0, b;
	double dt, t0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (b = 0, dt = 0; b < (slow ? 10 * BATCHES : BATCHES); b++) {
		double prev = dt;

		batch(fds, &opened, slow ? BATCH_CHILDREN / 10 : BATCH_CHILDREN);
		clock_gettime(CLOCK_MONOTONIC, &z);
		dt = (z.tv_sec - a.tv_sec) + (z.tv_nsec - a.tv_nsec) / 1e9;
		if (dt + (dt - prev) > MANY_MAX_S)
			break;
	}
	t0 = dt > 0 ? dt : 1;
	th_diag("%d pidfds over %d children in %.1f s (%.0f open+close/s)",
		opened, opened / FDS_PER_CHILD, dt, opened / t0);
	return opened;
}

static void many_setup(void)
{
	struct rlimit lim = { 20000, 20000 };

	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
	ASSERT_GE(pidfd_mod_dev(), 0);
}

/* Every kernel: no fd is left over after 100,000 opens and closes. */
TEST(many_pidfds_no_fd_left)
{
	int before, opened, slow = many_slow();

	many_setup();
	before = next_fd();
	opened = many_batches(slow);
	EXPECT_EQ(next_fd(), before);
	/* Only a kmemleak (slow, debug) kernel may stop short. */
	if (!slow)
		EXPECT_EQ(opened, BATCHES * BATCH_CHILDREN * FDS_PER_CHILD);
	else
		EXPECT_GE(opened, BATCH_CHILDREN / 10 * FDS_PER_CHILD);
}

/* Stock kernels: the "filp" and "pid" slabs come back to their baseline. */
TEST(many_pidfds_slab_baseline)
{
	static int fds[BATCH_CHILDREN * FDS_PER_CHILD];
	long filp0, pid0, filp1 = -1, pid1 = -1;
	int warm = 0, tries;

	if (many_slow())
		SKIP("kmemleak/KASAN kernel: KASAN's quarantine holds freed objects, so slab counts say nothing; the kmemleak scan after rmmod checks leaks here");
	many_setup();
	/* Warm the caches up, then take the baseline. */
	batch(fds, &warm, BATCH_CHILDREN);
	usleep(300000);
	filp0 = slab_active("filp");
	pid0 = slab_active("pid");
	if (filp0 < 0 || pid0 < 0)
		SKIP("no 'filp'/'pid' lines in /proc/slabinfo (kernel without CONFIG_SLUB_DEBUG or caches merged)");
	EXPECT_EQ(many_batches(0), BATCHES * BATCH_CHILDREN * FDS_PER_CHILD);
	for (tries = 0; tries < 20; tries++) {
		usleep(250000);
		filp1 = slab_active("filp");
		pid1 = slab_active("pid");
		if (filp1 <= filp0 + TOL_FILP && pid1 <= pid0 + TOL_PID)
			break;
	}
	th_diag("slab active objects: filp %ld -> %ld, pid %ld -> %ld (tolerance +%d, +%d)",
		filp0, filp1, pid0, pid1, TOL_FILP, TOL_PID);
	EXPECT_TRUE(filp1 <= filp0 + TOL_FILP);
	EXPECT_TRUE(pid1 <= pid0 + TOL_PID);
}

/* --- unload safety --------------------------------------------------------- */

static int try_rmmod(void)
{
	return syscall(SYS_delete_module, "pidfd_mod", O_NONBLOCK);
}

/* If rmmod did happen, put the module back for the programs after us. */
static void expect_refused(const char *holder)
{
	int r, e;

	errno = 0;
	r = try_rmmod();
	e = errno;
	if (r == 0) {
		int ko = open(GUEST_KO, O_RDONLY | O_CLOEXEC);

		if (ko >= 0) {
			syscall(SYS_finit_module, ko, "", 0);
			close(ko);
		}
		TH_FAIL(0, "rmmod succeeded while %s", holder);
		return;
	}
	if (e == ENOENT)
		SKIP("no module named pidfd_mod is loaded (built in, or not this guest)");
	if (e == EPERM)
		SKIP("delete_module needs CAP_SYS_MODULE");
	if (e != EWOULDBLOCK)
		TH_FAIL(0, "rmmod while %s: %s, want EWOULDBLOCK", holder, strerror(e));
}

TEST(rmmod_refused_dev_open)
{
	ASSERT_GE(pidfd_mod_dev(), 0);
	expect_refused("this process holds /dev/pidfd");
}

/* A child holds @what; this process holds nothing of the module. */
static void child_holds(int thread, int dev_only)
{
	int p[2], q[2];
	char c;
	pid_t ch;

	ASSERT_EQ(pipe(p), 0);
	ASSERT_EQ(pipe(q), 0);
	ch = fork();
	ASSERT_GE(ch, 0);
	if (ch == 0) {
		int fd = -1, dev = pidfd_mod_dev();

		close(p[0]);
		close(q[1]);

		if (!dev_only) {
			fd = pidfd_mod_open(getpid(), -1, thread ? PIDFD_MOD_THREAD : 0);
			close(dev);
			pidfd_mod_dev_reset();
		}
		if ((dev_only ? dev : fd) < 0)
			_exit(1);
		write(p[1], "r", 1);
		read(q[0], &c, 1);
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	ASSERT_EQ(read(p[0], &c, 1), 1);
	expect_refused(dev_only ? "a child holds /dev/pidfd" :
		       thread ? "a child holds a thread pidfd" :
				"a child holds a pidfd");
	close(q[1]);
	EXPECT_EQ(wait_exit(ch), 0);
}

TEST(rmmod_refused_child_holds_dev)
{
	child_holds(0, 1);
}

TEST(rmmod_refused_child_holds_pidfd)
{
	child_holds(0, 0);
}

TEST(rmmod_refused_child_holds_thread_fd)
{
	child_holds(1, 0);
}

/* The only reference is a pidfd in flight in a unix socket. */
TEST(rmmod_refused_pidfd_in_flight)
{
	char cbuf[CMSG_SPACE(sizeof(int))], b = 'x';
	struct iovec iov = { &b, 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int sv[2], fd;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		SKIP("no unix sockets: %s (kernel without CONFIG_UNIX)", strerror(errno));
	fd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(fd, 0);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	ASSERT_EQ(sendmsg(sv[0], &mh, 0), 1);
	close(fd);
	close(pidfd_mod_dev());
	pidfd_mod_dev_reset();
	expect_refused("a pidfd is in flight in a unix socket");
	/* Take it back: it still works. */
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_controllen = sizeof(cbuf);
	ASSERT_EQ(recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC), 1);
	cm = CMSG_FIRSTHDR(&mh);
	ASSERT_TRUE(cm && cm->cmsg_type == SCM_RIGHTS);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	EXPECT_EQ(pidfd_mod_send_signal(fd, 0, NULL, 0), 0);
	close(fd);
}

/*
 * RLIMIT_SIGPENDING: a thread-directed RT signal (si_code SI_TKILL) that
 * finds the target's queue full fails, natively with EAGAIN (tgkill(2),
 * pidfd_send_signal(2)); SEND_SIGNAL must fail the same way, and with an
 * errno the uapi header documents.
 */
TEST(rt_signal_queue_full)
{
	int p[2], fd, i, e = 0, ne = 0, r;
	pid_t t;
	char c;

	ASSERT_EQ(errtab_load(), 0);
	ASSERT_EQ(pipe(p), 0);
	t = fork();
	ASSERT_GE(t, 0);
	if (t == 0) {
		struct rlimit l = { 4, 4 };
		sigset_t all;

		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		/* A uid of its own: the pending count is per user. */
		if (setrlimit(RLIMIT_SIGPENDING, &l) || drop_to_uid(TEST_UID))
			_exit(1);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	ASSERT_EQ(read(p[0], &c, 1), 1);
	fd = pidfd_mod_open(t, -1, 0);
	ASSERT_GE(fd, 0);
	for (i = 0; i < 16 && !e; i++) {
		errno = 0;
		r = pidfd_mod_send_signal(fd, SIGRTMIN, NULL, PIDFD_MOD_SIGNAL_THREAD);
		if (r < 0)
			e = errno;
	}
	/* Natively, on the same full queue. */
	errno = 0;
	if (sys_tgkill(t, t, SIGRTMIN) < 0)
		ne = errno;
	th_diag("queue full after %d signals: SEND_SIGNAL %s, tgkill %s", i - 1,
		e ? strerror(e) : "never failed", ne ? strerror(ne) : "succeeded");
	kill_reap(t);
	EXPECT_TRUE(e != 0);
	EXPECT_EQ(e, ne);
	/* The errno table of the header documents it. */
	EXPECT_TRUE(errtab_ok(PIDFD_MOD_CMD_SEND_SIGNAL, e));
}
