// SPDX-License-Identifier: GPL-2.0
/*
 * One world of pidfds: native pidfds, /proc/<tgid> directories and
 * PIDFD_MOD_SELF_* wherever the module takes a pidfd, and IMPORT.
 *
 * Each accepted kind of fd against each command, on the same kind of
 * target, compared with what the native call does with the same fd where
 * there is one (pidfd_send_signal(2) takes native pidfds and /proc
 * directories) and with what a pidfd of the module gives otherwise.  Stale
 * fds (reaped targets, numbers reused with clone3 set_tid) and files that
 * are no pidfd at all get the native errno, and no fd is left behind.
 */
#include <pthread.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "util.h"

#define NO_SUCH_SELF	(PIDFD_MOD_SELF_THREAD_GROUP - 1)

static int root;	/* /proc */

static void interop_setup(void)
{
	ASSERT_GE(pidfd_mod_dev(), 0);
	root = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(root, 0);
}

static int proc_dir(pid_t pid)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "%d", pid);
	fd = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		TH_FAIL(1, "open /proc/%d: %s", pid, strerror(errno));
	return fd;
}

/* The Pid: line of the status file in /proc directory @dir. */
static long dir_pid(int dir)
{
	return read_key_at(dir, "status", "Pid");
}

/* How a sleeper ended: its signal, or -1 if it is still alive. */
static int ended_by(pid_t pid)
{
	int st, tries;

	for (tries = 0; tries < 200; tries++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		usleep(10000);
	}
	return -1;
}

/* --- FEATURES ------------------------------------------------------------ */

TEST(features_report_what_is_accepted)
{
	struct pidfd_mod_features f;

	ASSERT_EQ(0, pidfd_mod_features(&f));
	EXPECT_EQ(PIDFD_MOD_FEATURES_SIZE_VER2, f.size);
	EXPECT_EQ(PIDFD_MOD_ACCEPT_MODULE | PIDFD_MOD_ACCEPT_NATIVE |
		  PIDFD_MOD_ACCEPT_PROC_DIR | PIDFD_MOD_ACCEPT_SELF, f.accepts);
	EXPECT_TRUE(f.cmds & (1U << PIDFD_MOD_CMD_IMPORT));
}

/* --- SEND_SIGNAL, against native pidfd_send_signal() on the same fd ----- */

/*
 * Two sleepers, each given @sig through an fd of kind @open_fd: one by the
 * native call, one by the module.  Same return, errno and end.
 */
static void signal_both(int (*open_fd)(pid_t), int sig, const char *what)
{
	pid_t a = spawn_sleeper(), b = spawn_sleeper();
	int fa = open_fd(a), fb = open_fd(b), ra, rb, ea, eb;

	errno = 0;
	ra = sys_pidfd_send_signal(fa, sig, NULL, 0);
	ea = errno;
	errno = 0;
	rb = pidfd_mod_send_signal(fb, sig, NULL, 0);
	eb = errno;
	if (ra != rb || (ra && ea != eb))
		TH_FAIL(0, "%s, signal %d: native %d (%s), module %d (%s)", what,
			sig, ra, strerror(ea), rb, strerror(eb));
	if (sig == SIGTERM) {
		EXPECT_EQ(SIGTERM, ended_by(a));
		EXPECT_EQ(SIGTERM, ended_by(b));
	} else {
		kill_reap(a);
		kill_reap(b);
	}
	close(fa);
	close(fb);
}

static int open_native(pid_t pid)
{
	int fd = sys_pidfd_open(pid, 0);

	if (fd < 0)
		TH_FAIL(1, "pidfd_open(%d): %s", pid, strerror(errno));
	return fd;
}

TEST(signal_through_a_native_pidfd)
{
	interop_setup();
	signal_both(open_native, 0, "native pidfd");
	signal_both(open_native, SIGTERM, "native pidfd");
}

TEST(signal_through_a_proc_dir)
{
	interop_setup();
	signal_both(proc_dir, 0, "/proc/PID");
	signal_both(proc_dir, SIGTERM, "/proc/PID");
}

/* The same fds, once their process is reaped: ESRCH from both. */
static void stale_both(int (*open_fd)(pid_t), const char *what)
{
	pid_t pid = spawn_sleeper();
	int fd = open_fd(pid);

	kill_reap(pid);
	EXPECT_ERRNO(ESRCH, sys_pidfd_send_signal(fd, 0, NULL, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_send_signal(fd, 0, NULL, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_send_signal(fd, SIGKILL, NULL, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_import(fd, 0));
	if (open_fd == open_native) {
		EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, fd, 0));
		/* No pidfd of the module ever held it: no exit record. */
		{
			struct pidfd_mod_info i;

			EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_info(fd, -1, &i));
		}
	}
	th_diag("%s: stale fd refused", what);
	close(fd);
}

TEST(stale_native_pidfd_and_proc_dir_are_esrch)
{
	interop_setup();
	stale_both(open_native, "native pidfd");
	stale_both(proc_dir, "/proc/PID");
}

/*
 * A number reused with clone3 set_tid: an fd of the old process (from
 * @open_fd) reaches nothing, and the newcomer is not signalled.  Runs as
 * the init of a pid namespace of its own.
 */
#define REUSE_PID	300

static pid_t spawn_at(pid_t nr)
{
	pid_t pid = clone3_set_tid(nr, 0);

	if (pid == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(nr, pid);
	return pid;
}

static void reuse_check(int (*open_fd)(pid_t))
{
	pid_t old = spawn_at(REUSE_PID), newcomer;
	int fd = open_fd(old);

	kill_reap(old);
	newcomer = spawn_at(REUSE_PID);
	EXPECT_ERRNO(ESRCH, sys_pidfd_send_signal(fd, SIGKILL, NULL, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_send_signal(fd, SIGKILL, NULL, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_import(fd, 0));
	EXPECT_EQ(-1, ended_by(newcomer));
	kill_reap(newcomer);
}

static void reuse_native_init(void)
{
	reuse_check(open_native);
}

/* The old /proc/PID directory needs a procfs of this pid namespace. */
static void reuse_proc_init(void)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("proc", "/proc", "proc", 0, NULL));
	root = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(root, 0);
	reuse_check(proc_dir);
}

TEST(reused_number_reaches_nothing_through_an_old_native_pidfd)
{
	interop_setup();
	in_new_pidns(reuse_native_init);
}

TEST(reused_number_reaches_nothing_through_an_old_proc_dir)
{
	interop_setup();
	in_new_pidns(reuse_proc_init);
}

/* A /proc directory from another procfs instance of the same namespace. */
static void other_procfs(void)
{
	pid_t a = spawn_sleeper(), b = spawn_sleeper();
	char path[64];
	int fa, fb;

	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777"));
	ASSERT_EQ(0, mkdir("/tmp/proc2", 0755));
	ASSERT_EQ(0, mount("proc", "/tmp/proc2", "proc", 0, NULL));
	snprintf(path, sizeof(path), "/tmp/proc2/%d", a);
	fa = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/tmp/proc2/%d", b);
	fb = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fa, 0);
	ASSERT_GE(fb, 0);
	EXPECT_EQ(0, sys_pidfd_send_signal(fa, SIGTERM, NULL, 0));
	EXPECT_EQ(0, pidfd_mod_send_signal(fb, SIGTERM, NULL, 0));
	EXPECT_EQ(SIGTERM, ended_by(a));
	EXPECT_EQ(SIGTERM, ended_by(b));
}

TEST(signal_through_a_dir_of_another_procfs)
{
	pid_t pid;

	interop_setup();
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		other_procfs();
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(pid));
}

/* A thread of another process, by its /proc/<tid> directory. */
static void *report_and_pause(void *arg)
{
	pid_t tid = sys_gettid();

	if (write((int)(long)arg, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	for (;;)
		pause();
	return NULL;
}

/* A child with a second thread, whose tid it writes to @report. */
static pid_t spawn_threaded(int report)
{
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (pthread_create(&t, NULL, report_and_pause,
				   (void *)(long)report))
			_exit(1);
		for (;;)
			pause();
	}
	return pid;
}

TEST(proc_dir_of_a_non_leader_thread)
{
	int p[2], dir, tdir, mfd;
	pid_t pid, tid;
	char path[64];

	interop_setup();
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = spawn_threaded(p[1]);
	ASSERT_EQ((ssize_t)sizeof(tid), read(p[0], &tid, sizeof(tid)));
	ASSERT_NE(pid, tid);

	/* /proc/<tid>: the native call and the module agree (signal 0). */
	dir = proc_dir(tid);
	EXPECT_EQ(sys_pidfd_send_signal(dir, 0, NULL, 0),
		  pidfd_mod_send_signal(dir, 0, NULL, 0));
	/* Not a thread-group leader: no process fd of it. */
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_import(dir, 0));

	/* /proc/PID/task/<tid> is no pidfd, for either. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, tid);
	tdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(tdir, 0);
	EXPECT_ERRNO(EBADF, sys_pidfd_send_signal(tdir, 0, NULL, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_send_signal(tdir, 0, NULL, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_import(tdir, 0));
	mfd = pidfd_mod_open(pid, -1, 0);
	EXPECT_GE(mfd, 0);
	kill_reap(pid);
}

/* --- PROCFD and INFO on native pidfds, against the module's own -------- */

TEST(procfd_and_info_of_a_native_pidfd)
{
	struct pidfd_mod_info ni, mi;
	pid_t pid = spawn_sleeper();
	int nfd, mfd, nd, md;

	interop_setup();
	nfd = open_native(pid);
	mfd = pidfd_mod_open(pid, -1, 0);
	ASSERT_GE(mfd, 0);

	nd = pidfd_mod_procfd_open(root, nfd, 0);
	md = pidfd_mod_procfd_open(root, mfd, 0);
	ASSERT_GE(nd, 0);
	ASSERT_GE(md, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(nd, F_GETFD));
	EXPECT_EQ(pid, dir_pid(nd));
	EXPECT_EQ(dir_pid(md), dir_pid(nd));

	ASSERT_EQ(0, pidfd_mod_info(nfd, -1, &ni));
	ASSERT_EQ(0, pidfd_mod_info(mfd, -1, &mi));
	EXPECT_EQ(mi.valid, ni.valid);
	EXPECT_EQ(mi.pid, ni.pid);
	EXPECT_EQ(mi.tgid, ni.tgid);
	EXPECT_EQ(mi.ppid, ni.ppid);
	EXPECT_EQ(mi.id, ni.id);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, ni.state);

	/* Reaped: the record the module's pidfd keeps answers both. */
	kill_reap(pid);
	ASSERT_EQ(0, pidfd_mod_info(nfd, -1, &ni));
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, ni.state);
	EXPECT_EQ(SIGKILL, ni.exit_code);
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, nfd, 0));
}

/* Native thread pidfds (PIDFD_THREAD, Linux 6.9) name their thread. */
TEST(native_thread_pidfd)
{
	struct pidfd_mod_info i;
	int p[2], nfd, mfd, d;
	pid_t pid, tid;

	interop_setup();
	if (!native_has_pidfd_scopes())
		SKIP("native PIDFD_THREAD needs Linux 6.9");
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = spawn_threaded(p[1]);
	ASSERT_EQ((ssize_t)sizeof(tid), read(p[0], &tid, sizeof(tid)));
	nfd = sys_pidfd_open(tid, PIDFD_THREAD);
	ASSERT_GE(nfd, 0);

	ASSERT_EQ(0, pidfd_mod_info(nfd, -1, &i));
	EXPECT_EQ(tid, i.pid);
	EXPECT_EQ(pid, i.tgid);
	d = pidfd_mod_procfd_open(root, nfd, 0);
	ASSERT_GE(d, 0);
	EXPECT_EQ(tid, dir_pid(d));
	mfd = pidfd_mod_import(nfd, 0);
	ASSERT_GE(mfd, 0);
	EXPECT_TRUE(fcntl(mfd, F_GETFL) & PIDFD_MOD_THREAD);
	EXPECT_EQ(tid, fdinfo_key(mfd, "Pid"));
	/* Default scope of a thread fd: that thread, for both calls. */
	EXPECT_EQ(sys_pidfd_send_signal(nfd, 0, NULL, 0),
		  pidfd_mod_send_signal(nfd, 0, NULL, 0));
	kill_reap(pid);
}

/* --- IMPORT --------------------------------------------------------------- */

TEST(import)
{
	pid_t pid = spawn_sleeper();
	int nfd, dir, a, b, c, s;

	interop_setup();
	nfd = open_native(pid);
	dir = proc_dir(pid);
	a = pidfd_mod_import(nfd, 0);
	b = pidfd_mod_import(dir, PIDFD_MOD_NONBLOCK);
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(a, F_GETFD));
	EXPECT_EQ(0, fcntl(a, F_GETFL) & (O_NONBLOCK | PIDFD_MOD_THREAD));
	EXPECT_TRUE(fcntl(b, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(pid, fdinfo_key(a, "Pid"));
	EXPECT_EQ(pid, fdinfo_key(b, "Pid"));
	EXPECT_EQ(pidfd_mod_id(a), pidfd_mod_id(b));
	/* A pidfd of the module imports as itself. */
	c = pidfd_mod_import(a, 0);
	ASSERT_GE(c, 0);
	EXPECT_EQ(pidfd_mod_id(a), pidfd_mod_id(c));
	s = pidfd_mod_import(PIDFD_MOD_SELF_THREAD_GROUP, 0);
	ASSERT_GE(s, 0);
	EXPECT_EQ(getpid(), fdinfo_key(s, "Pid"));
	close(s);
	s = pidfd_mod_import(PIDFD_MOD_SELF_THREAD, 0);
	ASSERT_GE(s, 0);
	EXPECT_TRUE(fcntl(s, F_GETFL) & PIDFD_MOD_THREAD);
	EXPECT_EQ(sys_gettid(), fdinfo_key(s, "Pid"));
	/* The imported fd works like any: signal it and see it end. */
	EXPECT_EQ(0, pidfd_mod_send_signal(a, SIGTERM, NULL, 0));
	EXPECT_EQ(SIGTERM, ended_by(pid));
	EXPECT_TRUE(poll_fd(b, 1000) & POLLIN);
}

TEST(import_bad_inputs)
{
	struct pidfd_mod_import arg;
	int nfd;
	pid_t pid = spawn_sleeper();

	interop_setup();
	nfd = open_native(pid);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_import(nfd, PIDFD_MOD_THREAD));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_import(nfd, 1U << 30));
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.pidfd = nfd;
	arg.__pad = 1;
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_ioctl(PIDFD_MOD_IOC_IMPORT, &arg));
	arg.__pad = 0;
	arg.__reserved = 1;
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_ioctl(PIDFD_MOD_IOC_IMPORT, &arg));
	kill_reap(pid);
}

/* --- PIDFD_MOD_SELF_* ------------------------------------------------------ */

static volatile sig_atomic_t self_sig_tid;

static void self_handler(int sig)
{
	(void)sig;
	self_sig_tid = sys_gettid();
}

TEST(self_sentinels)
{
	struct pidfd_mod_info i;
	int d;

	interop_setup();
	signal(SIGUSR1, self_handler);

	ASSERT_EQ(0, pidfd_mod_info(PIDFD_MOD_SELF_THREAD_GROUP, -1, &i));
	EXPECT_EQ(getpid(), i.pid);
	EXPECT_EQ(getppid(), i.ppid);
	ASSERT_EQ(0, pidfd_mod_info(PIDFD_MOD_SELF_THREAD, -1, &i));
	EXPECT_EQ(sys_gettid(), i.pid);
	EXPECT_EQ(getpid(), i.tgid);

	d = pidfd_mod_procfd_open(root, PIDFD_MOD_SELF_THREAD_GROUP, 0);
	ASSERT_GE(d, 0);
	EXPECT_EQ(getpid(), dir_pid(d));
	close(d);
	d = pidfd_mod_procfd_open(root, PIDFD_MOD_SELF_THREAD, 0);
	ASSERT_GE(d, 0);
	EXPECT_EQ(sys_gettid(), dir_pid(d));
	close(d);

	/* Signal 0 always; a real one needs a check only the kernel makes. */
	EXPECT_EQ(0, pidfd_mod_send_signal(PIDFD_MOD_SELF_THREAD, 0, NULL, 0));
	EXPECT_EQ(0, pidfd_mod_send_signal(PIDFD_MOD_SELF_THREAD_GROUP, SIGUSR1,
					   NULL, 0));
	EXPECT_EQ(getpid(), self_sig_tid);

	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_info(NO_SUCH_SELF, -1, &i));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_send_signal(NO_SUCH_SELF, 0, NULL, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, NO_SUCH_SELF, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_import(NO_SUCH_SELF, 0));
}

/* --- Files that are no pidfd ----------------------------------------------- */

TEST(not_a_pidfd_is_ebadf_everywhere)
{
	int p[2], nsfd, opath, closed, tdir, fds[6], k, d;
	struct pidfd_mod_info i;
	char path[64];

	interop_setup();
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d", getpid());
	opath = open(path, O_PATH | O_CLOEXEC);
	closed = open_native(getpid());
	close(closed);
	snprintf(path, sizeof(path), "/proc/self/task/%d", sys_gettid());
	tdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	ASSERT_GE(opath, 0);
	ASSERT_GE(tdir, 0);
	fds[0] = p[0];
	fds[1] = nsfd;
	fds[2] = opath;
	fds[3] = closed;
	fds[4] = tdir;
	fds[5] = root;
	for (k = 0; k < 6; k++) {
		th_diag("fd kind %d", k);
		EXPECT_ERRNO(EBADF, sys_pidfd_send_signal(fds[k], 0, NULL, 0));
		EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_send_signal(fds[k], 0, NULL, 0));
		EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_info(fds[k], -1, &i));
		EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_import(fds[k], 0));
		d = pidfd_mod_procfd_open(root, fds[k], 0);
		if (d >= 0 || errno != EBADF)
			TH_FAIL(0, "PROCFD of fd kind %d: %d (%s)", k, d,
				strerror(errno));
	}
}
