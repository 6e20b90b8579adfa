// SPDX-License-Identifier: GPL-2.0
/*
 * PIDFD_MOD_IOC_OPEN: which numbers open, in which pid namespace, and with
 * which errors, compared with native pidfd_open(2) on the running kernel
 * wherever native has an equivalent.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "util.h"

/* The fd state both kinds of pidfd must share: fdinfo numbers and flags. */
static void open_same_fd_state(int nat, int ours, pid_t pid, unsigned int flags)
{
	char nl[256], ol[256];

	EXPECT_EQ(fdinfo_key(nat, "Pid"), fdinfo_key(ours, "Pid"));
	ASSERT_EQ(0, fdinfo_line(nat, "NSpid", nl, sizeof(nl)));
	ASSERT_EQ(0, fdinfo_line(ours, "NSpid", ol, sizeof(ol)));
	if (strcmp(nl, ol))
		TH_FAIL(0, "pid %d flags %#x: NSpid native '%s', module '%s'",
			pid, flags, nl, ol);
	EXPECT_EQ(fcntl(nat, F_GETFL), fcntl(ours, F_GETFL));
	EXPECT_EQ(fcntl(nat, F_GETFD), fcntl(ours, F_GETFD));
}

/*
 * Open @pid with @flags natively and through the module (nsfd -1): both
 * must succeed alike or fail with the same errno, and a failure must leave
 * no fd behind.  Returns 0, the errno both got, or -1 when they disagree.
 */
static int open_diff(pid_t pid, unsigned int flags)
{
	int before, nat, ours, nat_err, ours_err, ret = 0;

	ASSERT_GE(pidfd_mod_dev(), 0);
	before = next_fd();
	errno = 0;
	nat = sys_pidfd_open(pid, flags);
	nat_err = errno;
	errno = 0;
	ours = pidfd_mod_open(pid, -1, flags);
	ours_err = errno;

	if (nat < 0 && ours < 0) {
		if (nat_err != ours_err) {
			TH_FAIL(0, "pid %d flags %#x: native %s, module %s",
				pid, flags, strerror(nat_err),
				strerror(ours_err));
			ret = -1;
		} else {
			ret = ours_err;
		}
	} else if (nat < 0 || ours < 0) {
		TH_FAIL(0, "pid %d flags %#x: native %s, module %s", pid, flags,
			nat < 0 ? strerror(nat_err) : "an fd",
			ours < 0 ? strerror(ours_err) : "an fd");
		ret = -1;
	} else {
		open_same_fd_state(nat, ours, pid, flags);
		/* The right process (or thread), not only the same answer. */
		EXPECT_EQ(pid, fdinfo_key(ours, "Pid"));
	}
	if (nat >= 0)
		close(nat);
	if (ours >= 0)
		close(ours);
	EXPECT_EQ(before, next_fd());
	return ret;
}

/* Module open that must fail with @err and leave no fd behind. */
#define OPEN_FAILS(err, pid, nsfd, flags)				\
	do {								\
		int __before = next_fd();				\
		EXPECT_ERRNO(err, pidfd_mod_open(pid, nsfd, flags));	\
		EXPECT_EQ(__before, next_fd());				\
	} while (0)

/* This process's number in the /proc it sees (the root one here). */
static pid_t open_proc_self_nr(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

/* Whether native pidfd_open() knows PIDFD_THREAD (6.9 and later). */
static int open_native_has_thread(void)
{
	int fd = sys_pidfd_open(getpid(), PIDFD_THREAD);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static const char *open_release(void)
{
	static struct utsname u;

	uname(&u);
	return u.release;
}

/* A second thread that lives until open_thread_stop(). */
static pid_t open_thread_tid;
static int open_thread_pipe[2];

static void *open_thread_fn(void *arg)
{
	char c;

	(void)arg;
	__atomic_store_n(&open_thread_tid, sys_gettid(), __ATOMIC_SEQ_CST);
	while (read(open_thread_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static pid_t open_thread_start(pthread_t *t)
{
	pid_t tid;

	ASSERT_EQ(0, pipe2(open_thread_pipe, O_CLOEXEC));
	ASSERT_EQ(0, pthread_create(t, NULL, open_thread_fn, NULL));
	while (!(tid = __atomic_load_n(&open_thread_tid, __ATOMIC_SEQ_CST)))
		usleep(1000);
	return tid;
}

/* Stop the thread and wait until its tid is released. */
static void open_thread_stop(pthread_t t, pid_t tid)
{
	int i;

	close(open_thread_pipe[1]);
	ASSERT_EQ(0, pthread_join(t, NULL));
	/* join returns at the thread's mm release, before it is reaped. */
	for (i = 0; i < 1000 && sys_tgkill(getpid(), tid, 0) == 0; i++)
		usleep(1000);
	ASSERT_ERRNO(ESRCH, sys_tgkill(getpid(), tid, 0));
	wait_number_freed(tid);
}

/* Numbers that never name a process: EINVAL before any lookup. */

TEST(open_pid_zero_is_einval_as_native)
{
	EXPECT_EQ(EINVAL, open_diff(0, 0));
}

TEST(open_pid_minus_one_is_einval_as_native)
{
	EXPECT_EQ(EINVAL, open_diff(-1, 0));
}

TEST(open_pid_int_min_is_einval_as_native)
{
	EXPECT_EQ(EINVAL, open_diff(INT_MIN, 0));
}

TEST(open_unused_pid_is_esrch_as_native)
{
	pid_t p = spawn_exiter(0);

	ASSERT_GT(p, 0);
	ASSERT_EQ(0, wait_exit(p));
	/* Nothing took the number since. */
	ASSERT_ERRNO(ESRCH, kill(p, 0));
	EXPECT_EQ(ESRCH, open_diff(p, 0));
	/* Beyond any pid_max. */
	EXPECT_EQ(ESRCH, open_diff(INT_MAX, 0));
}

/* Processes in every state. */

TEST(open_self_as_native)
{
	EXPECT_EQ(0, open_diff(getpid(), 0));
}

TEST(open_child_as_native)
{
	pid_t child = spawn_sleeper();

	ASSERT_GT(child, 0);
	EXPECT_EQ(0, open_diff(child, 0));
	kill_reap(child);
}

TEST(open_zombie_as_native)
{
	pid_t child = spawn_exiter(3);

	ASSERT_GT(child, 0);
	ASSERT_EQ(0, wait_zombie(child));
	EXPECT_EQ(0, open_diff(child, 0));
	/* Opening did not reap it. */
	EXPECT_EQ(3, wait_exit(child));
}

TEST(open_reaped_child_is_esrch_as_native)
{
	pid_t child = spawn_exiter(0);

	ASSERT_GT(child, 0);
	ASSERT_EQ(0, wait_zombie(child));
	EXPECT_EQ(0, open_diff(child, 0));
	ASSERT_EQ(0, wait_exit(child));
	EXPECT_EQ(ESRCH, open_diff(child, 0));
}

TEST(open_non_leader_tid_is_einval_as_native)
{
	pthread_t t;
	pid_t tid = open_thread_start(&t);

	ASSERT_NE(getpid(), tid);
	/* The header's EINVAL; native agrees up to 6.14 (6.15: ENOENT). */
	EXPECT_EQ(EINVAL, open_diff(tid, 0));
	open_thread_stop(t, tid);
}

/*
 * A number still in use only as a process-group id: its leader is reaped,
 * a member lives on.  There is a struct pid, but no process.
 */
TEST(open_pgid_only_number_is_einval_as_native)
{
	int p[2];
	pid_t leader, member;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(p));
	leader = fork();
	ASSERT_GE(leader, 0);
	if (leader == 0) {
		setpgid(0, 0);
		member = fork();
		if (member == 0) {
			alarm(20);
			for (;;)
				pause();
		}
		if (write(p[1], &member, sizeof(member)) != sizeof(member))
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(sizeof(member), read(p[0], &member, sizeof(member)));
	ASSERT_EQ(0, wait_exit(leader));

	EXPECT_EQ(leader, getpgid(member));
	ASSERT_ERRNO(ESRCH, kill(leader, 0));
	EXPECT_EQ(EINVAL, open_diff(leader, 0));
	/* Nor is it a thread. */
	ASSERT_GE(pidfd_mod_dev(), 0);
	OPEN_FAILS(EINVAL, leader, -1, PIDFD_MOD_THREAD);

	kill_reap(member);
}

/*
 * With no fd number free, a number that cannot be opened is still refused
 * for what it is, as native does: EMFILE only for an open that would work.
 */
TEST(open_without_free_fd_errors_as_native)
{
	struct rlimit old, rl;
	pthread_t t;
	pid_t tid = open_thread_start(&t);
	pid_t gone = spawn_exiter(0);

	ASSERT_GT(gone, 0);
	ASSERT_EQ(0, wait_exit(gone));
	ASSERT_GE(pidfd_mod_dev(), 0);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = next_fd();	/* every number below is taken */
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));

	EXPECT_ERRNO(EMFILE, sys_pidfd_open(getpid(), 0));
	EXPECT_ERRNO(EMFILE, pidfd_mod_open(getpid(), -1, 0));
	EXPECT_ERRNO(EINVAL, sys_pidfd_open(tid, 0));
	EXPECT_ERRNO(EINVAL, pidfd_mod_open(tid, -1, 0));
	EXPECT_ERRNO(ESRCH, sys_pidfd_open(gone, 0));
	EXPECT_ERRNO(ESRCH, pidfd_mod_open(gone, -1, 0));
	EXPECT_ERRNO(EMFILE, pidfd_mod_open(tid, -1, PIDFD_MOD_THREAD));

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	open_thread_stop(t, tid);
}

/* Flags */

TEST(open_unknown_flags_are_einval_as_native)
{
	int bit, tried = 0;

	for (bit = 0; bit < 32; bit++) {
		unsigned int f = 1u << bit;

		/* Known to both, or to native only from 6.9 on. */
		if (f == PIDFD_MOD_NONBLOCK || f == PIDFD_MOD_THREAD)
			continue;
		if (open_diff(getpid(), f) != EINVAL)
			TH_FAIL(0, "flag %#x not refused with EINVAL", f);
		tried++;
	}
	EXPECT_EQ(30, tried);
	/* O_CLOEXEC is implied, never accepted as a flag. */
	EXPECT_EQ(EINVAL, open_diff(getpid(), O_CLOEXEC));
	EXPECT_EQ(EINVAL, open_diff(getpid(), O_NONBLOCK | O_CLOEXEC));
}

TEST(open_nonblock_shows_in_getfl_as_native)
{
	pid_t child = spawn_sleeper();
	int fd;

	ASSERT_GT(child, 0);
	EXPECT_EQ(0, open_diff(child, PIDFD_MOD_NONBLOCK));

	fd = pidfd_mod_open(child, -1, PIDFD_MOD_NONBLOCK);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	fd = pidfd_mod_open(child, -1, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	kill_reap(child);
}

TEST(open_fd_is_cloexec_and_rdwr)
{
	int fd, nat;

	ASSERT_GE(pidfd_mod_dev(), 0);
	fd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);

	nat = sys_pidfd_open(getpid(), 0);
	ASSERT_GE(nat, 0);
	EXPECT_EQ(fcntl(nat, F_GETFD), fcntl(fd, F_GETFD));
	EXPECT_EQ(fcntl(nat, F_GETFL), fcntl(fd, F_GETFL));
	close(nat);
	close(fd);

	fd = pidfd_mod_open(getpid(), -1, PIDFD_MOD_NONBLOCK);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	close(fd);
}

/*
 * What a pidfd is not: readable, writable, seekable.  The errnos are the
 * native ones of this kernel: pidfs's files (6.9) allow pread() and
 * pwrite() and fail them with EINVAL, anon-inode files refuse them with
 * ESPIPE.
 */
static int file_op_errno(int fd, int op)
{
	char c = 0;
	void *p;
	long r = 0;

	errno = 0;
	switch (op) {
	case 0:
		r = read(fd, &c, 1);
		break;
	case 1:
		r = write(fd, &c, 1);
		break;
	case 2:
		r = pread(fd, &c, 1, 0);
		break;
	case 3:
		r = pwrite(fd, &c, 1, 0);
		break;
	case 4:
		r = lseek(fd, 0, SEEK_CUR);
		break;
	case 5:
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		r = p == MAP_FAILED ? -1 : 0;
		if (p != MAP_FAILED)
			munmap(p, 4096);
		break;
	}
	return r < 0 ? errno : 0;
}

TEST(open_fd_file_ops_fail_as_native)
{
	static const char *const ops[] = {
		"read", "write", "pread", "pwrite", "lseek", "mmap",
	};
	int fd, nat, op;

	ASSERT_GE(pidfd_mod_dev(), 0);
	fd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(fd, 0);
	nat = sys_pidfd_open(getpid(), 0);
	ASSERT_GE(nat, 0);
	for (op = 0; op < 6; op++) {
		int want = file_op_errno(nat, op), got = file_op_errno(fd, op);

		if (want != got)
			TH_FAIL(0, "%s: %s, native %s", ops[op],
				got ? strerrorname_np(got) : "success",
				want ? strerrorname_np(want) : "success");
	}
	close(nat);
	close(fd);
}

/*
 * A pidfd is not reopened through /proc/self/fd: ENXIO, as for every
 * anon-inode file and for native pidfds before pidfs (6.9 lets a native
 * one be reopened).  Not for its owner, not with any access mode, and the
 * pidfd itself keeps working.
 */
TEST(open_reopen_through_proc_is_enxio)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY | O_NONBLOCK };
	char path[64];
	int fd, i;

	ASSERT_GE(pidfd_mod_dev(), 0);
	fd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(fd, 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (i = 0; i < 4; i++)
		EXPECT_FAIL_NOLEAK(ENXIO, open(path, modes[i] | O_CLOEXEC));
	EXPECT_EQ(getpid(), fdinfo_key(fd, "Pid"));
	EXPECT_EQ(0, pidfd_mod_send_signal(fd, 0, NULL, 0));
	close(fd);
}

/* PIDFD_MOD_THREAD: the module on its own, then against native. */

TEST(open_thread_flag_opens_non_leader_tid)
{
	pthread_t t;
	pid_t tid = open_thread_start(&t);
	int fd;

	ASSERT_GE(pidfd_mod_dev(), 0);
	fd = pidfd_mod_open(tid, -1, PIDFD_MOD_THREAD);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(tid, fdinfo_key(fd, "Pid"));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	close(fd);

	/* The leader is a thread too. */
	fd = pidfd_mod_open(getpid(), -1, PIDFD_MOD_THREAD);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(getpid(), fdinfo_key(fd, "Pid"));
	close(fd);

	fd = pidfd_mod_open(tid, -1, PIDFD_MOD_THREAD | PIDFD_MOD_NONBLOCK);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);

	/* Without the flag the same number is refused. */
	OPEN_FAILS(EINVAL, tid, -1, 0);

	open_thread_stop(t, tid);
	OPEN_FAILS(ESRCH, tid, -1, PIDFD_MOD_THREAD);
}

TEST(open_thread_flag_as_native)
{
	pthread_t t;
	pid_t tid;

	if (!open_native_has_thread())
		SKIP("native pidfd_open() on %s has no PIDFD_THREAD (6.9+); "
		     "the module side is open_thread_flag_opens_non_leader_tid",
		     open_release());
	tid = open_thread_start(&t);
	EXPECT_EQ(0, open_diff(tid, PIDFD_THREAD));
	EXPECT_EQ(0, open_diff(tid, PIDFD_THREAD | PIDFD_MOD_NONBLOCK));
	EXPECT_EQ(0, open_diff(getpid(), PIDFD_THREAD));
	open_thread_stop(t, tid);
	EXPECT_EQ(ESRCH, open_diff(tid, PIDFD_THREAD));
}

/* The namespace argument */

TEST(open_nsfd_minus_one_and_own_nsfd_are_callers_ns)
{
	pid_t child = spawn_sleeper(), y;
	int nsfd, fd;

	ASSERT_GT(child, 0);
	ASSERT_GE(pidfd_mod_dev(), 0);
	nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	fd = pidfd_mod_open(child, nsfd, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(child, fdinfo_key(fd, "Pid"));
	close(fd);
	fd = pidfd_mod_open(child, -1, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(child, fdinfo_key(fd, "Pid"));
	close(fd);

	/*
	 * In a child namespace, -1 is that namespace: pid 1 is the caller
	 * itself, and its number in the root namespace is not found.
	 */
	y = fork_newpidns();
	ASSERT_GE(y, 0);
	if (y == 0) {
		pid_t root_nr = open_proc_self_nr();
		int own;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ASSERT_EQ(1, getpid());
		ASSERT_GT(root_nr, 1);
		fd = pidfd_mod_open(1, -1, 0);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(root_nr, fdinfo_key(fd, "Pid"));
		close(fd);
		OPEN_FAILS(ESRCH, root_nr, -1, 0);

		own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		ASSERT_GE(own, 0);
		fd = pidfd_mod_open(1, own, 0);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(root_nr, fdinfo_key(fd, "Pid"));
		close(fd);
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(y));
	kill_reap(child);
}

/*
 * Two nested namespaces below the root one:
 *   a: init of ns1          (ns1: a=1, b=2, c=3)
 *   b: init of ns2, in ns1  (ns2: b=1, c=2)
 *   c: in ns2
 * opened from the root namespace by their inner numbers.
 */
TEST(open_by_inner_number_through_inner_nsfd)
{
	static const struct {
		pid_t nr;		/* the number looked up... */
		int ns;			/* ...in ns1 or ns2 */
		int who;		/* 0: a, 1: b, 2: c */
		const char *tail;	/* NSpid after the root number */
	} cases[] = {
		{ 1, 2, 1, "\t2\t1" },
		{ 2, 2, 2, "\t3\t2" },
		{ 1, 1, 0, "\t1" },
		{ 2, 1, 1, "\t2\t1" },
		{ 3, 1, 2, "\t3\t2" },
	};
	pid_t a, b, c, who[3];
	int ready[2], nsfd[3], ns1, ns2;
	unsigned int i;
	char path[64], c0;

	ASSERT_GE(pidfd_mod_dev(), 0);
	ASSERT_EQ(0, pipe(ready));
	a = fork_newpidns();
	ASSERT_GE(a, 0);
	if (a == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		b = fork_newpidns();
		if (b == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			c = fork();
			if (c == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				for (;;)
					pause();
			}
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
		}
		for (;;)
			pause();
	}
	ASSERT_EQ(1, read(ready[0], &c0, 1));
	b = find_child_of(a);
	ASSERT_GT(b, 0);
	c = find_child_of(b);
	ASSERT_GT(c, 0);

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", a);
	ns1 = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(ns1, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", b);
	ns2 = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(ns2, 0);

	who[0] = a;
	who[1] = b;
	who[2] = c;
	nsfd[1] = ns1;
	nsfd[2] = ns2;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t want_pid = who[cases[i].who];
		char ol[128], nl[128], want[128];
		int fd, nat;

		fd = pidfd_mod_open(cases[i].nr, nsfd[cases[i].ns], 0);
		if (fd < 0) {
			TH_FAIL(0, "case %u: pid %d in ns%d: %s", i,
				cases[i].nr, cases[i].ns, strerror(errno));
			continue;
		}
		/* The process we meant, by its number in the root ns... */
		EXPECT_EQ(want_pid, fdinfo_key(fd, "Pid"));
		/* ...and the whole chain down to its innermost number. */
		ASSERT_EQ(0, fdinfo_line(fd, "NSpid", ol, sizeof(ol)));
		snprintf(want, sizeof(want), "\t%d%s", want_pid,
			 cases[i].tail);
		if (strcmp(want, ol))
			TH_FAIL(0, "case %u: NSpid '%s', want '%s'", i, ol,
				want);
		/* The same as native's fd for that process. */
		nat = sys_pidfd_open(want_pid, 0);
		ASSERT_GE(nat, 0);
		ASSERT_EQ(0, fdinfo_line(nat, "NSpid", nl, sizeof(nl)));
		if (strcmp(nl, ol))
			TH_FAIL(0, "case %u: NSpid native '%s', module '%s'",
				i, nl, ol);
		close(nat);
		close(fd);
	}

	/* Numbers not used in a namespace are not found there. */
	OPEN_FAILS(ESRCH, 3, ns2, 0);
	OPEN_FAILS(ESRCH, 4, ns1, 0);
	OPEN_FAILS(ESRCH, getpid(), ns2, 0);

	kill(a, SIGKILL);
	wait_exit(a);
}

/*
 * From inside a child namespace, neither the root namespace nor the
 * intermediate one may be named: their processes are not visible there.
 */
TEST(open_ancestor_nsfd_from_child_ns_is_einval)
{
	int rootns;
	pid_t a;

	rootns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(rootns, 0);
	a = fork_newpidns();
	ASSERT_GE(a, 0);
	if (a == 0) {
		int ns1 = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		pid_t b;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ASSERT_GE(ns1, 0);
		b = fork_newpidns();
		ASSERT_GE(b, 0);
		if (b == 0) {
			int fd;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			ASSERT_GE(pidfd_mod_dev(), 0);
			/* pid 1 exists in both: only visibility refuses. */
			OPEN_FAILS(EINVAL, 1, rootns, 0);
			OPEN_FAILS(EINVAL, 1, ns1, 0);
			OPEN_FAILS(EINVAL, 1, rootns, PIDFD_MOD_THREAD);
			/* The caller's own namespace works. */
			fd = pidfd_mod_open(1, -1, 0);
			EXPECT_GE(fd, 0);
			close(fd);
			_exit(th_failed);
		}
		/* One level up, the root namespace is still an ancestor. */
		ASSERT_GE(pidfd_mod_dev(), 0);
		OPEN_FAILS(EINVAL, 1, rootns, 0);
		_exit(wait_exit(b) | th_failed);
	}
	EXPECT_EQ(0, wait_exit(a));
}

TEST(open_sibling_nsfd_is_einval)
{
	pid_t x, y;
	int nsx, fd;
	char path[64];

	x = fork_newpidns();
	ASSERT_GE(x, 0);
	if (x == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", x);
	nsx = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsx, 0);
	/* From the parent namespace it is a descendant and works. */
	fd = pidfd_mod_open(1, nsx, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(x, fdinfo_key(fd, "Pid"));
	close(fd);

	y = fork_newpidns();
	ASSERT_GE(y, 0);
	if (y == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ASSERT_GE(pidfd_mod_dev(), 0);
		OPEN_FAILS(EINVAL, 1, nsx, 0);
		OPEN_FAILS(EINVAL, 1, nsx, PIDFD_MOD_THREAD);
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(y));
	kill_reap(x);
}

TEST(open_non_pid_nsfd_is_einval)
{
	static const char *const names[] = {
		"mnt", "net", "user", "uts", "ipc", "cgroup", "time",
		"time_for_children",
	};
	unsigned int i;
	int tried = 0;

	ASSERT_GE(pidfd_mod_dev(), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			/* Only mnt exists on every kernel config. */
			EXPECT_TRUE(i > 0);
			th_diag("no %s namespace on this kernel", names[i]);
			continue;
		}
		OPEN_FAILS(EINVAL, getpid(), fd, 0);
		close(fd);
		tried++;
	}
	EXPECT_GE(tried, 1);
}

TEST(open_non_ns_file_as_nsfd_is_einval)
{
	char tmpl[] = "/tmp/pidfd_mod_open.XXXXXX";
	int fds[8], n = 0, i, p[2];

	ASSERT_GE(pidfd_mod_dev(), 0);
	fds[n] = mkstemp(tmpl);
	ASSERT_GE(fds[n], 0);
	unlink(tmpl);
	n++;
	fds[n++] = open("/dev/null", O_RDWR | O_CLOEXEC);
	fds[n++] = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds[n++] = open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds[n++] = pidfd_mod_open(getpid(), -1, 0);
	fds[n++] = sys_pidfd_open(getpid(), 0);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	fds[n++] = p[0];
	fds[n++] = pidfd_mod_dev();
	for (i = 0; i < n; i++) {
		ASSERT_GE(fds[i], 0);
		OPEN_FAILS(EINVAL, getpid(), fds[i], 0);
	}
}

TEST(open_bad_nsfd_is_ebadf)
{
	int closed;

	ASSERT_GE(pidfd_mod_dev(), 0);
	closed = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(closed, 0);
	close(closed);
	OPEN_FAILS(EBADF, getpid(), closed, 0);
	OPEN_FAILS(EBADF, getpid(), -2, 0);
	OPEN_FAILS(EBADF, getpid(), INT_MIN, 0);
	OPEN_FAILS(EBADF, getpid(), INT_MAX, 0);
	OPEN_FAILS(EBADF, getpid(), 1 << 20, 0);
}

/*
 * An O_PATH fd of a pid namespace file is refused with EBADF, as setns(2)
 * refuses it: neither takes O_PATH files.
 */
TEST(open_opath_nsfd_is_ebadf_as_setns)
{
	int opath, rd, fd;
	pid_t child;

	ASSERT_GE(pidfd_mod_dev(), 0);
	opath = open("/proc/self/ns/pid", O_PATH | O_CLOEXEC);
	ASSERT_GE(opath, 0);
	OPEN_FAILS(EBADF, getpid(), opath, 0);

	/* The same file opened for reading works. */
	rd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(rd, 0);
	fd = pidfd_mod_open(getpid(), rd, 0);
	ASSERT_GE(fd, 0);
	close(fd);

	/* Native reference, in a child as setns() changes namespaces. */
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		EXPECT_ERRNO(EBADF, setns(opath, CLONE_NEWPID));
		EXPECT_EQ(0, setns(rd, CLONE_NEWPID));
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(child));
}

/* Errors come in the order of the errno table. */
TEST(open_errors_in_documented_order)
{
	pid_t unused = spawn_exiter(0);
	int mntns;

	ASSERT_GT(unused, 0);
	ASSERT_EQ(0, wait_exit(unused));
	ASSERT_GE(pidfd_mod_dev(), 0);
	mntns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(mntns, 0);

	/* Flags, then the pid's sign, before the nsfd is looked at. */
	OPEN_FAILS(EINVAL, getpid(), -2, 1u << 30);
	OPEN_FAILS(EINVAL, 0, -2, 0);
	OPEN_FAILS(EINVAL, -5, -2, 0);
	/* The nsfd before the lookup. */
	OPEN_FAILS(EBADF, unused, -2, 0);
	OPEN_FAILS(EINVAL, unused, mntns, 0);
	/* Only then whether the number exists. */
	OPEN_FAILS(ESRCH, unused, -1, 0);
}

/* Permissions: opening is not signalling; anyone may open anyone. */
TEST(open_unprivileged_may_open_root_process)
{
	pid_t child;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pid_t parent = getppid();
		int fd, nat;

		/* The device is opened as the unprivileged user too. */
		if (pidfd_mod_dev_fd >= 0)
			close(pidfd_mod_dev_fd);
		pidfd_mod_dev_reset();
		ASSERT_EQ(0, drop_to_uid(TEST_UID));
		ASSERT_EQ(TEST_UID, geteuid());
		/* A uid change made us undumpable: /proc/self is root's. */
		prctl(PR_SET_DUMPABLE, 1);

		nat = sys_pidfd_open(parent, 0);
		ASSERT_GE(nat, 0);
		fd = pidfd_mod_open(parent, -1, 0);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(parent, fdinfo_key(fd, "Pid"));
		EXPECT_EQ(fdinfo_key(nat, "Pid"), fdinfo_key(fd, "Pid"));
		close(fd);
		close(nat);

		/* The init process, root's too. */
		fd = pidfd_mod_open(1, -1, 0);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(1, fdinfo_key(fd, "Pid"));
		close(fd);
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(child));
}

/* /sys/module/pidfd_mod/refcnt, or LONG_MIN when it cannot be read. */
static long open_module_refcnt(void)
{
	char buf[32];

	if (read_file_at(AT_FDCWD, "/sys/module/pidfd_mod/refcnt", buf,
			 sizeof(buf)) < 0)
		return LONG_MIN;
	return strtol(buf, NULL, 10);
}

/*
 * Every pidfd holds a reference on the module, so it cannot be unloaded
 * under an open fd.  The attempt is made only while this process also
 * holds /dev/pidfd open: were the pidfd's reference missing, the module
 * must still stay for the rest of the run.  That unloading succeeds once
 * every fd is closed is shown by the rmmod at the end of the guest's run.
 */
TEST(open_pidfd_pins_module)
{
	long base, held;
	int fd, ret;
	struct pidfd_mod_features f;

	ASSERT_GE(pidfd_mod_dev(), 0);
	base = open_module_refcnt();
	fd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(fd, 0);
	held = open_module_refcnt();
	if (base != LONG_MIN) {
		/* One reference per pidfd. */
		EXPECT_EQ(base + 1, held);
	} else {
		th_diag("no /sys/module/pidfd_mod/refcnt; unload attempt only");
	}

	errno = 0;
	ret = syscall(SYS_delete_module, "pidfd_mod", O_NONBLOCK);
	if (ret == 0)
		TH_FAIL(1, "delete_module succeeded with a pidfd open");
	if (errno != EWOULDBLOCK && errno != EBUSY)
		TH_FAIL(0, "delete_module: %s, want EWOULDBLOCK or EBUSY",
			strerror(errno));

	/* Still loaded and working, the pidfd too. */
	EXPECT_EQ(0, pidfd_mod_features(&f));
	EXPECT_EQ(getpid(), fdinfo_key(fd, "Pid"));
	EXPECT_EQ(0, poll_fd(fd, 0));
	close(fd);
	if (base != LONG_MIN)
		EXPECT_EQ(base, open_module_refcnt());
}
