// SPDX-License-Identifier: GPL-2.0
/*
 * Exit records and process ids.
 *
 * The exit status a module pidfd reports (PIDFD_MOD_IOC_INFO from the
 * zombie state on, PIDFD_GET_INFO with PIDFD_INFO_EXIT after the reap) is
 * compared with what the target's real parent gets from waitpid(), for a
 * watcher that is not the parent: exits by exit(), by each fatal signal,
 * by a core-dumping signal, by an exec'd program, by a thread-group leader
 * that exits before its other threads, and in another pid namespace.  A
 * thread fd reports its thread's own status.
 *
 * Ids: the same for every fd of a process and after all of them were
 * closed, different for another process (never reused with its number:
 * tests/info.c, with clone3 set_tid), equal to the st_ino of native
 * pidfds where the kernel has pidfs; PIDFD_MOD_IOC_OPEN_ID by id, and its bad inputs.  Records are
 * freed with their last fd (or, without pidfs, at the reap), and the exit
 * probe detaches when none is left.
 */
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "util.h"

#define RECORDS		"/sys/kernel/debug/pidfd_mod/records"

static int open_ok(pid_t pid, int nsfd, unsigned int flags)
{
	int fd = pidfd_mod_open(pid, nsfd, flags);

	if (fd < 0)
		TH_FAIL(1, "PIDFD_MOD_IOC_OPEN(%d, %d, %#x): %s", pid, nsfd,
			flags, strerror(errno));
	return fd;
}

static void info_ok(int fd, struct pidfd_mod_info *i)
{
	if (pidfd_mod_info(fd, -1, i))
		TH_FAIL(1, "PIDFD_MOD_IOC_INFO(%d): %s", fd, strerror(errno));
}

static void xwrite(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n)
		_exit(100);
}

static void xread(int fd, void *p, size_t n)
{
	if (read(fd, p, n) != (ssize_t)n)
		TH_FAIL(1, "short read from the target's parent");
}

/* --- A target that is not our child ----------------------------------- */

enum how {
	HOW_EXIT,		/* _exit(arg) */
	HOW_SIGNAL,		/* killed by signal arg, default action */
	HOW_CORE,		/* killed by signal arg, core dumps allowed */
	HOW_EXEC,		/* exec sh -c 'exit arg' */
	HOW_LEADER_GROUP,	/* leader exits first, a thread exit_group(arg) */
	HOW_LEADER_THREAD,	/* leader SYS_exit(3), a thread SYS_exit(arg) */
};

/* From a thread: until the leader has exited (its state is 'Z'), up to 10 s. */
static void wait_leader_exited(void)
{
	char state[8];
	int i;

	for (i = 0; i < 10000; i++) {
		if (!read_stat_field_at(AT_FDCWD, "/proc/self/stat", 3, state,
					sizeof(state)) && state[0] == 'Z')
			return;
		usleep(1000);
	}
	_exit(111);
}

static void *late_group_exit(void *arg)
{
	wait_leader_exited();
	exit((int)(long)arg);
}

static void *late_thread_exit(void *arg)
{
	wait_leader_exited();
	syscall(SYS_exit, (int)(long)arg);
	return NULL;
}

static void target_do(enum how how, int arg)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char dir[64], cmd[32];
	pthread_t t;

	switch (how) {
	case HOW_EXIT:
		_exit(arg);
	case HOW_CORE:
		/* A core file in a directory of its own, where it can go. */
		snprintf(dir, sizeof(dir), "/tmp/exit-core-%d", getpid());
		if (mkdir(dir, 0700) || chdir(dir) ||
		    setrlimit(RLIMIT_CORE, &rl))
			_exit(101);
		prctl(PR_SET_DUMPABLE, 1);
		/* fall through */
	case HOW_SIGNAL:
		signal(arg, SIG_DFL);
		raise(arg);
		_exit(102);
	case HOW_EXEC:
		snprintf(cmd, sizeof(cmd), "exit %d", arg);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(103);
	case HOW_LEADER_GROUP:
		if (pthread_create(&t, NULL, late_group_exit, (void *)(long)arg))
			_exit(104);
		syscall(SYS_exit, 3);
		break;
	case HOW_LEADER_THREAD:
		if (pthread_create(&t, NULL, late_thread_exit,
				   (void *)(long)arg))
			_exit(104);
		syscall(SYS_exit, 3);
		break;
	}
	_exit(105);
}

struct nonchild {
	pid_t parent;
	pid_t target;		/* in our pid namespace */
	int up;			/* the parent's reports */
	int down;		/* our go for the reap */
	int gate;		/* closing it lets the target go */
};

/*
 * Fork a parent that forks the target; with @newns the parent is the init
 * of a new pid namespace.  The target waits for the gate, then does @how.
 * The parent reports the target's pid, its zombie state (waitid WNOWAIT),
 * and after our go, the status waitpid() gave it.
 */
static void nonchild_start(struct nonchild *n, enum how how, int arg,
			   int newns)
{
	int up[2], down[2], gate[2];
	char c;

	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	n->parent = newns ? fork_newpidns() : fork();
	ASSERT_GE(n->parent, 0);
	if (n->parent == 0) {
		siginfo_t si;
		pid_t t;
		int st;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(up[0]);
		close(down[1]);
		close(gate[1]);
		t = fork();
		if (t < 0)
			_exit(106);
		if (t == 0) {
			if (read(gate[0], &c, 1) < 0)
				_exit(107);
			target_do(how, arg);
		}
		close(gate[0]);
		xwrite(up[1], &t, sizeof(t));
		if (waitid(P_PID, t, &si, WEXITED | WNOWAIT))
			_exit(108);
		xwrite(up[1], "z", 1);
		if (read(down[0], &c, 1) != 1)
			_exit(109);
		if (waitpid(t, &st, 0) != t)
			_exit(110);
		xwrite(up[1], &st, sizeof(st));
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	close(gate[0]);
	n->up = up[0];
	n->down = down[1];
	n->gate = gate[1];
	xread(n->up, &n->target, sizeof(n->target));
}

/*
 * The whole check for one way of exiting: the module's answers at the
 * zombie state and after the reap against the parent's waitpid().
 */
static int nonchild_check(enum how how, int arg, int newns)
{
	struct pidfd_mod_info i;
	struct pidfd_info gi;
	struct nonchild n;
	int fd, st, parent_st, nsfd = -1;
	char c, path[64];
	__u64 id;

	nonchild_start(&n, how, arg, newns);
	if (newns) {
		/* The target's number is the parent's namespace's. */
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", n.parent);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_GE(nsfd, 0);
	}
	fd = open_ok(n.target, nsfd, 0);
	id = pidfd_mod_id(fd);
	EXPECT_NE(0, id);
	close(n.gate);

	xread(n.up, &c, 1);
	info_ok(fd, &i);
	EXPECT_EQ(PIDFD_MOD_STATE_ZOMBIE, i.state);
	/*
	 * Before the reap only the parent (and the target's own threads)
	 * may read it, as /proc/PID/stat's exit_code needs ptrace access.
	 */
	EXPECT_EQ(0, i.valid & PIDFD_MOD_INFO_EXIT);
	EXPECT_EQ(0, i.exit_code);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_EXIT, &gi));
	/* As upstream: PIDFD_GET_INFO has it only after the reap. */
	EXPECT_EQ(0, gi.mask & PIDFD_INFO_EXIT);

	xwrite(n.down, "g", 1);
	xread(n.up, &parent_st, sizeof(parent_st));
	st = parent_st;
	EXPECT_EQ(0, wait_exit(n.parent));

	info_ok(fd, &i);
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, i.state);
	EXPECT_TRUE(i.valid & PIDFD_MOD_INFO_EXIT);
	EXPECT_EQ(st, i.exit_code);
	EXPECT_EQ(id, i.id);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_EXIT, &gi));
	EXPECT_TRUE(gi.mask & PIDFD_INFO_EXIT);
	EXPECT_EQ(st, gi.exit_code);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_EXIT |
					PIDFD_INFO_COREDUMP, &gi));
	EXPECT_TRUE(gi.mask & PIDFD_INFO_COREDUMP);
	EXPECT_EQ(WIFSIGNALED(st) && WCOREDUMP(st) ? PIDFD_COREDUMPED : 0,
		  gi.coredump_mask);
	close(fd);
	if (nsfd >= 0)
		close(nsfd);
	close(n.up);
	close(n.down);
	return st;
}

TEST(exit_code_of_a_non_child)
{
	static const int codes[] = { 0, 1, 7, 42, 255 };
	unsigned int k;
	int st;

	for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++) {
		st = nonchild_check(HOW_EXIT, codes[k], 0);
		EXPECT_TRUE(WIFEXITED(st));
		EXPECT_EQ(codes[k], WEXITSTATUS(st));
	}
}

TEST(each_fatal_signal_of_a_non_child)
{
	const int sigs[] = {
		SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
		SIGTERM, SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO, SIGPWR,
		SIGRTMIN, SIGRTMAX, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE,
		SIGILL, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ,
	};
	struct rlimit none = { 0, 0 };
	unsigned int k;
	int st;

	/* No core files here: the core-dumping signals are plain kills. */
	ASSERT_EQ(0, setrlimit(RLIMIT_CORE, &none));
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
		st = nonchild_check(HOW_SIGNAL, sigs[k], 0);
		EXPECT_TRUE(WIFSIGNALED(st));
		EXPECT_EQ(sigs[k], WTERMSIG(st));
		EXPECT_EQ(0, WCOREDUMP(st));
	}
}

/*
 * With core dumps allowed, the core flag must be there on a kernel that
 * dumps core, and it is not on one without CONFIG_COREDUMP (the debug
 * kernels: no /proc/sys/kernel/core_pattern).
 */
TEST(core_dump_of_a_non_child)
{
	static const int sigs[] = { SIGQUIT, SIGABRT, SIGSEGV };
	int dumps = access("/proc/sys/kernel/core_pattern", F_OK) == 0;
	unsigned int k;
	int st;

	th_diag("this kernel %s core", dumps ? "dumps" : "does not dump");
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
		st = nonchild_check(HOW_CORE, sigs[k], 0);
		EXPECT_TRUE(WIFSIGNALED(st));
		EXPECT_EQ(sigs[k], WTERMSIG(st));
		EXPECT_EQ(dumps, !!WCOREDUMP(st));
	}
}

TEST(exit_of_an_execd_program)
{
	int st = nonchild_check(HOW_EXEC, 42, 0);

	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(42, WEXITSTATUS(st));
}

/* The leader exits first; another thread's exit_group() decides. */
TEST(leader_exits_before_a_group_exit)
{
	int st = nonchild_check(HOW_LEADER_GROUP, 9, 0);

	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(9, WEXITSTATUS(st));
}

/*
 * The leader exits first, the last thread by itself: on the kernels tested
 * the last thread to exit sets the group's exit code
 * (synchronize_group_exit()), so it is that thread's code, not the
 * leader's.
 */
TEST(leader_exits_before_its_last_thread)
{
	int st = nonchild_check(HOW_LEADER_THREAD, 5, 0);

	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(5, WEXITSTATUS(st));
}

TEST(non_child_in_another_pid_namespace)
{
	int st = nonchild_check(HOW_EXIT, 17, 1);

	EXPECT_EQ(17, WEXITSTATUS(st));
	st = nonchild_check(HOW_SIGNAL, SIGTERM, 1);
	EXPECT_EQ(SIGTERM, WTERMSIG(st));
}

/* --- Threads ------------------------------------------------------------ */

struct exiting_thread {
	pthread_t t;
	pid_t tid;
	int gate[2];
	int code;
};

static void *exiting_thread_fn(void *arg)
{
	struct exiting_thread *th = arg;
	char c;

	__atomic_store_n(&th->tid, sys_gettid(), __ATOMIC_SEQ_CST);
	if (read(th->gate[0], &c, 1) < 0)
		return NULL;
	syscall(SYS_exit, th->code);
	return NULL;
}

static void exiting_thread_start(struct exiting_thread *th, int code)
{
	int tries;

	th->tid = 0;
	th->code = code;
	ASSERT_EQ(0, pipe2(th->gate, O_CLOEXEC));
	ASSERT_EQ(0, pthread_create(&th->t, NULL, exiting_thread_fn, th));
	for (tries = 0; !__atomic_load_n(&th->tid, __ATOMIC_SEQ_CST) &&
	     tries < 1000; tries++)
		usleep(1000);
	ASSERT_NE(0, th->tid);
}

/* Let it exit, and wait until it is gone from /proc. */
static void exiting_thread_end(struct exiting_thread *th)
{
	char path[64];
	int tries;

	close(th->gate[1]);
	snprintf(path, sizeof(path), "/proc/self/task/%d", th->tid);
	for (tries = 0; tries < 500 && access(path, F_OK) == 0; tries++)
		usleep(10000);
	ASSERT_TRUE(access(path, F_OK) != 0);
	close(th->gate[0]);
}

/* A thread fd reports its thread's own exit code, not its process's. */
TEST(thread_fd_reports_its_threads_own_code)
{
	struct exiting_thread th;
	struct pidfd_mod_info i;
	struct pidfd_info gi;
	int tfd, fd;

	exiting_thread_start(&th, 6);
	tfd = open_ok(th.tid, -1, PIDFD_MOD_THREAD);
	fd = open_ok(getpid(), -1, 0);
	info_ok(tfd, &i);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	EXPECT_EQ(0, i.valid & PIDFD_MOD_INFO_EXIT);
	exiting_thread_end(&th);

	info_ok(tfd, &i);
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, i.state);
	EXPECT_TRUE(i.valid & PIDFD_MOD_INFO_EXIT);
	EXPECT_TRUE(WIFEXITED(i.exit_code));
	EXPECT_EQ(6, WEXITSTATUS(i.exit_code));
	ASSERT_EQ(0, pidfd_mod_get_info(tfd, PIDFD_INFO_EXIT, &gi));
	EXPECT_EQ(6 << 8, gi.exit_code);
	/* The process goes on. */
	info_ok(fd, &i);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	EXPECT_EQ(0, i.valid & PIDFD_MOD_INFO_EXIT);
}

/* --- Ids ---------------------------------------------------------------- */

TEST(id_is_the_same_for_every_fd_of_a_process)
{
	struct exiting_thread th;
	pid_t a = spawn_sleeper(), b = spawn_sleeper();
	int a1 = open_ok(a, -1, 0), a2 = open_ok(a, -1, PIDFD_MOD_NONBLOCK);
	int at = open_ok(a, -1, PIDFD_MOD_THREAD), b1 = open_ok(b, -1, 0);
	int tfd;
	__u64 id = pidfd_mod_id(a1);

	EXPECT_NE(0, id);
	EXPECT_EQ(id, pidfd_mod_id(a2));
	/* The leader's thread is the process's struct pid. */
	EXPECT_EQ(id, pidfd_mod_id(at));
	EXPECT_NE(id, pidfd_mod_id(b1));
	EXPECT_NE(0, pidfd_mod_id(b1));

	/* Another thread has an id of its own. */
	exiting_thread_start(&th, 0);
	tfd = open_ok(th.tid, -1, PIDFD_MOD_THREAD);
	EXPECT_NE(0, pidfd_mod_id(tfd));
	EXPECT_NE(pidfd_mod_id(tfd), pidfd_mod_id(open_ok(getpid(), -1, 0)));
	exiting_thread_end(&th);
	kill_reap(a);
	kill_reap(b);
}

/* The id outlives the fds: the process keeps it while it lives. */
TEST(id_survives_closing_every_fd)
{
	pid_t a = spawn_sleeper();
	int fd = open_ok(a, -1, 0);
	__u64 id = pidfd_mod_id(fd);

	EXPECT_NE(0, id);
	close(fd);
	usleep(20000);
	fd = open_ok(a, -1, 0);
	EXPECT_EQ(id, pidfd_mod_id(fd));
	close(fd);
	fd = pidfd_mod_open_id(id, -1, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(a, fdinfo_key(fd, "Pid"));
	kill_reap(a);
}

/* Where the kernel has pidfs, the id is the st_ino of native pidfds. */
TEST(id_is_the_native_pidfd_inode)
{
	struct exiting_thread th;
	struct stat s;
	pid_t a = spawn_sleeper();
	int fd = open_ok(a, -1, 0), nfd = sys_pidfd_open(a, 0);

	ASSERT_GE(nfd, 0);
	ASSERT_EQ(0, fstat(nfd, &s));
	if (!native_has_pidfd_scopes())
		SKIP("no pidfs (Linux 6.9): native pidfds have no inode of their own");
	EXPECT_EQ((__u64)s.st_ino, pidfd_mod_id(fd));

	/* A thread: native PIDFD_THREAD fd against a module thread fd. */
	exiting_thread_start(&th, 0);
	nfd = sys_pidfd_open(th.tid, PIDFD_THREAD);
	ASSERT_GE(nfd, 0);
	ASSERT_EQ(0, fstat(nfd, &s));
	EXPECT_EQ((__u64)s.st_ino,
		  pidfd_mod_id(open_ok(th.tid, -1, PIDFD_MOD_THREAD)));
	exiting_thread_end(&th);
	kill_reap(a);
}

/* Opened by the st_ino of a native pidfd, before any module fd existed. */
TEST(open_id_by_native_inode)
{
	struct stat s;
	pid_t a = spawn_sleeper();
	int nfd = sys_pidfd_open(a, 0), fd;

	ASSERT_GE(nfd, 0);
	if (!native_has_pidfd_scopes())
		SKIP("no pidfs (Linux 6.9): native pidfds have no inode of their own");
	ASSERT_EQ(0, fstat(nfd, &s));
	fd = pidfd_mod_open_id(s.st_ino, -1, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(a, fdinfo_key(fd, "Pid"));
	EXPECT_EQ((__u64)s.st_ino, pidfd_mod_id(fd));
	kill_reap(a);
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(s.st_ino, -1, 0));
}

TEST(open_id)
{
	struct exiting_thread th;
	struct pidfd_mod_info i;
	pid_t a = spawn_sleeper();
	int fd = open_ok(a, -1, 0), byid, tfd;
	__u64 id = pidfd_mod_id(fd), tid_id;

	byid = pidfd_mod_open_id(id, -1, 0);
	ASSERT_GE(byid, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(byid, F_GETFD));
	EXPECT_EQ(0, fcntl(byid, F_GETFL) & (O_NONBLOCK | PIDFD_MOD_THREAD));
	info_ok(byid, &i);
	EXPECT_EQ(a, i.pid);
	EXPECT_EQ(id, i.id);
	close(byid);
	byid = pidfd_mod_open_id(id, -1, PIDFD_MOD_NONBLOCK);
	ASSERT_GE(byid, 0);
	EXPECT_TRUE(fcntl(byid, F_GETFL) & O_NONBLOCK);
	close(byid);

	/* A thread: by its own id, as a thread fd only. */
	exiting_thread_start(&th, 0);
	tfd = open_ok(th.tid, -1, PIDFD_MOD_THREAD);
	tid_id = pidfd_mod_id(tfd);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_open_id(tid_id, -1, 0));
	byid = pidfd_mod_open_id(tid_id, -1, PIDFD_MOD_THREAD);
	ASSERT_GE(byid, 0);
	EXPECT_EQ(th.tid, fdinfo_key(byid, "Pid"));
	close(byid);
	exiting_thread_end(&th);
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(tid_id, -1,
						    PIDFD_MOD_THREAD));

	kill_reap(a);
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(id, -1, 0));
}

TEST(open_id_bad_inputs)
{
	pid_t a = spawn_sleeper(), init;
	int fd = open_ok(a, -1, 0), nsfd, mnt, opath, null, ready[2];
	struct pidfd_mod_open_id arg;
	char path[64], c;
	__u64 id = pidfd_mod_id(fd);

	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	opath = open("/proc/self/ns/pid", O_PATH | O_CLOEXEC);
	ASSERT_GE(null, 0);
	ASSERT_GE(mnt, 0);
	ASSERT_GE(opath, 0);

	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_open_id(0, -1, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_open_id(id, -1, 1U << 30));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_open_id(id, -1, O_CLOEXEC));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(~0ULL, -1, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(id + (1ULL << 40), -1, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_open_id(id, 1000, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_open_id(id, -2, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_open_id(id, opath, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_open_id(id, mnt, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_open_id(id, null, 0));

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.nsfd = -1;
	arg.id = id;
	arg.__pad = 1;
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_ioctl(PIDFD_MOD_IOC_OPEN_ID, &arg));
	arg.__pad = 0;
	arg.__reserved = 1;
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_ioctl(PIDFD_MOD_IOC_OPEN_ID, &arg));

	/* Visible to us, not in a child pid namespace: ESRCH there. */
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	init = fork_newpidns();
	ASSERT_GE(init, 0);
	if (init == 0) {
		close(ready[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		xwrite(ready[1], "r", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	xread(ready[0], &c, 1);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(id, nsfd, 0));
	/* ... and its init, visible there, opens. */
	fd = open_ok(init, -1, 0);
	fd = pidfd_mod_open_id(pidfd_mod_id(fd), nsfd, 0);
	EXPECT_GE(fd, 0);
	kill_reap(init);
	kill_reap(a);
}

/* --- Records ------------------------------------------------------------ */

static long records_key(const char *key)
{
	return read_key_at(AT_FDCWD, RECORDS, key);
}

/* Wait up to 10 s for the debugfs value of @key to be @want. */
static long records_settle(const char *key, long want)
{
	long v = -1;
	int tries;

	for (tries = 0; tries < 200; tries++) {
		v = records_key(key);
		if (v == want)
			break;
		usleep(50000);
	}
	return v;
}

/*
 * The number of records once it has stopped changing for 1.5 s (records
 * of reaped processes without fds go within about a second), at most
 * after 15 s.
 */
static long records_stable(void)
{
	long v = records_key("records"), last = v;
	int same = 0, tries;

	for (tries = 0; tries < 150 && same < 15; tries++) {
		usleep(100000);
		v = records_key("records");
		same = v == last ? same + 1 : 0;
		last = v;
	}
	return v;
}

/*
 * Many processes opened, exited and reaped: the records go with their
 * fds (or with the reap, where the module numbers processes itself), and
 * the exit probe detaches once there is none, so exits cost nothing.
 * Without pidfs the records of live processes that ever had a module
 * pidfd (the guest's init, the test runner) stay, and so does the probe.
 */
TEST(records_are_freed_and_the_probe_detached)
{
	struct pidfd_mod_info i;
	long base;
	int k, fd, tfd;
	pid_t p;

	if (records_key("records") < 0)
		TH_FAIL(1, "no %s: debugfs is not mounted, or the module has no records file", RECORDS);
	/* Records of earlier cases' processes may still wait for their reap. */
	base = records_stable();
	for (k = 0; k < 300; k++) {
		p = spawn_exiter(k & 0x7f);
		fd = open_ok(p, -1, 0);
		tfd = open_ok(p, -1, PIDFD_MOD_THREAD);
		EXPECT_EQ(k & 0x7f, wait_exit(p));
		info_ok(fd, &i);
		EXPECT_EQ((k & 0x7f) << 8, i.exit_code);
		close(fd);
		close(tfd);
	}
	EXPECT_EQ(base, records_settle("records", base));
	if (base) {
		th_diag("%ld records of live processes: the probe stays", base);
		EXPECT_EQ(1, records_key("exit_probe_attached"));
		return;
	}
	EXPECT_EQ(0, records_settle("exit_probe_attached", 0));
	/* And comes back for the next fd. */
	fd = open_ok(getpid(), -1, 0);
	EXPECT_EQ(1, records_key("exit_probe_attached"));
	EXPECT_EQ(1, records_key("records"));
	close(fd);
}
