// SPDX-License-Identifier: GPL-2.0
/*
 * What a pidfd refers to: PIDFD_GET_INFO on the pidfd, PIDFD_MOD_IOC_INFO
 * and PIDFD_MOD_IOC_TRANSLATE on /dev/pidfd.
 *
 * The kernels under test have no native PIDFD_GET_INFO (it is 6.13+), so
 * every answer is compared with what procfs says of the same process, read
 * as the same caller: /proc/PID/status (Pid, PPid, Tgid, Uid, Gid, NSpid,
 * NStgid, NSpgid, NSsid) and the fdinfo NSpid line of the pidfd, in the
 * initial pid namespace, in nested ones and in a user namespace with mapped
 * ids.  TRANSLATE is compared with the nsfs ioctls of 6.11+ where the
 * kernel has them.  The size contract of the two /dev/pidfd commands is in
 * tests/abi.c.
 */
#include <pthread.h>
#include <sys/fsuid.h>
#include <sys/socket.h>

#include "util.h"

/* The numbers of "Key:\t1\t2..." in the file @path; how many, -1 if none. */
static int status_nums(const char *path, const char *key, long *v, int max)
{
	char line[512], *p, *end;
	int n = 0;

	if (read_line_at(AT_FDCWD, path, key, line, sizeof(line)))
		return -1;
	for (p = line; n < max; p = end) {
		long x = strtol(p, &end, 10);

		if (end == p)
			break;
		v[n++] = x;
	}
	return n;
}

static int proc_nums(pid_t pid, const char *key, long *v, int max)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	return status_nums(path, key, v, max);
}

/* Entry @k of a status list of @pid, 0 when the list is shorter. */
static long proc_num_at(pid_t pid, const char *key, int k)
{
	long v[64];
	int n = proc_nums(pid, key, v, 64);

	if (n < 0)
		TH_FAIL(1, "no %s line for pid %d", key, pid);
	return k < n ? v[k] : 0;
}

static int open_ok(pid_t pid, unsigned int flags)
{
	int fd = pidfd_mod_open(pid, -1, flags);

	if (fd < 0)
		TH_FAIL(1, "PIDFD_MOD_IOC_OPEN(%d, %#x): %s", pid, flags,
			strerror(errno));
	return fd;
}

/* --- PIDFD_GET_INFO ------------------------------------------------------ */

/* Whether this kernel has cgroups (and so PIDFD_INFO_CGROUPID). */
static int have_cgroups(void)
{
	return access("/proc/self/cgroup", F_OK) == 0;
}

static unsigned long long info_supported(void)
{
	return PIDFD_INFO_PID | PIDFD_INFO_CREDS | PIDFD_INFO_SUPPORTED_MASK |
	       PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP |
	       (have_cgroups() ? PIDFD_INFO_CGROUPID : 0);
}

/* What a target that has not been reaped answers to every request. */
static unsigned long long info_live(void)
{
	return info_supported() &
	       ~(PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP | PIDFD_INFO_SUPPORTED_MASK);
}

/* The always-returned part: numbers and credentials of @pid from /proc. */
static void get_info_vs_status(const struct pidfd_info *i, pid_t pid)
{
	long uid[4], gid[4];

	EXPECT_TRUE(i->mask & PIDFD_INFO_PID);
	EXPECT_TRUE(i->mask & PIDFD_INFO_CREDS);
	EXPECT_EQ(proc_num_at(pid, "Pid", 0), i->pid);
	EXPECT_EQ(proc_num_at(pid, "Tgid", 0), i->tgid);
	EXPECT_EQ(proc_num_at(pid, "PPid", 0), i->ppid);
	ASSERT_EQ(4, proc_nums(pid, "Uid", uid, 4));
	ASSERT_EQ(4, proc_nums(pid, "Gid", gid, 4));
	EXPECT_EQ(uid[0], i->ruid);
	EXPECT_EQ(uid[1], i->euid);
	EXPECT_EQ(uid[2], i->suid);
	EXPECT_EQ(uid[3], i->fsuid);
	EXPECT_EQ(gid[0], i->rgid);
	EXPECT_EQ(gid[1], i->egid);
	EXPECT_EQ(gid[2], i->sgid);
	EXPECT_EQ(gid[3], i->fsgid);
}

TEST(get_info_self)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	struct pidfd_info i;
	int fd = open_ok(getpid(), 0);

	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
	EXPECT_EQ(PIDFD_INFO_PID | PIDFD_INFO_CREDS |
		  (have_cgroups() ? PIDFD_INFO_CGROUPID : 0), i.mask);
	EXPECT_EQ(getpid(), i.pid);
	EXPECT_EQ(getpid(), i.tgid);
	EXPECT_EQ(getppid(), i.ppid);
	ASSERT_EQ(0, getresuid(&r, &e, &s));
	ASSERT_EQ(0, getresgid(&rg, &eg, &sg));
	EXPECT_EQ(r, i.ruid);
	EXPECT_EQ(e, i.euid);
	EXPECT_EQ(s, i.suid);
	EXPECT_EQ(setfsuid(-1), i.fsuid);
	EXPECT_EQ(rg, i.rgid);
	EXPECT_EQ(eg, i.egid);
	EXPECT_EQ(sg, i.sgid);
	EXPECT_EQ(setfsgid(-1), i.fsgid);
	EXPECT_EQ(0, i.exit_code);
	EXPECT_EQ(0, i.supported_mask);
	get_info_vs_status(&i, getpid());
}

/* Eight different ids, each where /proc shows it. */
TEST(get_info_creds_match_proc_status)
{
	struct pidfd_info i;
	int p[2], fd;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* fsgid first: after setresuid() we may no longer choose it. */
		if (setgroups(0, NULL) || setresgid(11, 12, 13) ||
		    (setfsgid(14), setfsgid(-1) != 14) ||
		    setresuid(21, 22, 23) || (setfsuid(23), setfsuid(-1) != 23))
			_exit(1);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	fd = open_ok(pid, 0);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
	get_info_vs_status(&i, pid);
	EXPECT_EQ(21, i.ruid);
	EXPECT_EQ(22, i.euid);
	EXPECT_EQ(23, i.suid);
	EXPECT_EQ(23, i.fsuid);
	EXPECT_EQ(11, i.rgid);
	EXPECT_EQ(12, i.egid);
	EXPECT_EQ(13, i.sgid);
	EXPECT_EQ(14, i.fsgid);
	EXPECT_EQ(getpid(), i.ppid);
	kill_reap(pid);
}

/* The cgroup id is the inode number of the cgroup's cgroup2 directory. */
TEST(get_info_cgroupid_matches_cgroup2)
{
	char line[512], path[600];
	struct pidfd_info i;
	struct stat st;
	int fd;

	if (!have_cgroups())
		SKIP("kernel without cgroups: no PIDFD_INFO_CGROUPID");
	fd = open_ok(getpid(), 0);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
	ASSERT_TRUE(i.mask & PIDFD_INFO_CGROUPID);
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	if (mkdir("/tmp/info-cg", 0755) && errno != EEXIST)
		TH_FAIL(1, "mkdir /tmp/info-cg: %s", strerror(errno));
	if (mount("cgroup2", "/tmp/info-cg", "cgroup2", 0, NULL))
		SKIP("cannot mount cgroup2: %s", strerror(errno));
	/* "0::/path": the process's cgroup in the unified hierarchy. */
	ASSERT_EQ(0, read_line_at(AT_FDCWD, "/proc/self/cgroup", "0", line,
				  sizeof(line)));
	ASSERT_EQ(':', line[0]);
	snprintf(path, sizeof(path), "/tmp/info-cg%s", line + 1);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(st.st_ino, i.cgroupid);
}

/* An ioctl number of PIDFD_GET_INFO's type, number and direction. */
static unsigned long get_info_cmd(size_t size)
{
	return _IOC(_IOC_READ | _IOC_WRITE, PIDFS_IOCTL_MAGIC,
		    _IOC_NR(PIDFD_GET_INFO), size);
}

/*
 * A caller with a structure of @size: what fits is filled in, the rest of
 * its structure zeroed, nothing after it touched; mask bits only for fields
 * that fit.
 */
static void get_info_size(int fd, size_t size)
{
	static unsigned char buf[16384 + 64];
	struct pidfd_info i, want;
	size_t j, n = size < sizeof(i) ? size : sizeof(i);
	uint64_t mask = PIDFD_INFO_SUPPORTED_MASK;

	memset(buf, 0xa5, size + 64);
	memcpy(buf, &mask, sizeof(mask));
	ASSERT_EQ(0, ioctl(fd, get_info_cmd(size), buf));
	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_SUPPORTED_MASK, &want));

	memset(&i, 0, sizeof(i));
	memcpy(&i, buf, n);
	if (size >= PIDFD_INFO_SIZE_VER3) {
		EXPECT_EQ(want.mask, i.mask);
		EXPECT_TRUE(i.mask & PIDFD_INFO_SUPPORTED_MASK);
		EXPECT_EQ(info_supported(), i.supported_mask);
	} else {
		/* supported_mask lies beyond: neither it nor its bit. */
		EXPECT_EQ(want.mask & ~PIDFD_INFO_SUPPORTED_MASK, i.mask);
	}
	EXPECT_EQ(getpid(), i.pid);
	EXPECT_EQ(want.ruid, i.ruid);
	EXPECT_EQ(want.fsgid, i.fsgid);
	EXPECT_EQ(want.cgroupid, i.cgroupid);
	for (j = sizeof(i); j < size; j++)
		if (buf[j]) {
			TH_FAIL(0, "size %zu: byte %zu not zeroed", size, j);
			break;
		}
	for (j = size; j < size + 64; j++)
		if (buf[j] != 0xa5) {
			TH_FAIL(0, "size %zu: byte %zu after the structure written",
				size, j);
			break;
		}
}

TEST(get_info_every_published_size)
{
	int fd = open_ok(getpid(), 0);

	get_info_size(fd, PIDFD_INFO_SIZE_VER0);
	get_info_size(fd, PIDFD_INFO_SIZE_VER1);
	get_info_size(fd, PIDFD_INFO_SIZE_VER2);
	get_info_size(fd, PIDFD_INFO_SIZE_VER3);
}

TEST(get_info_bigger_caller_gets_tail_zeroed)
{
	int fd = open_ok(getpid(), 0);

	get_info_size(fd, PIDFD_INFO_SIZE_VER3 + 1);
	get_info_size(fd, PIDFD_INFO_SIZE_VER3 + 8);
	get_info_size(fd, 4096);
	get_info_size(fd, (1 << _IOC_SIZEBITS) - 1);
}

TEST(get_info_size_below_ver0_is_einval)
{
	size_t sizes[] = { 0, 1, 8, PIDFD_INFO_SIZE_VER0 - 8,
			   PIDFD_INFO_SIZE_VER0 - 1 };
	unsigned char buf[128];
	unsigned int k;
	int fd = open_ok(getpid(), 0);

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		memset(buf, 0xa5, sizeof(buf));
		EXPECT_ERRNO(EINVAL, ioctl(fd, get_info_cmd(sizes[k]), buf));
		for (size_t j = 0; j < sizeof(buf); j++)
			if (buf[j] != 0xa5) {
				TH_FAIL(0, "size %zu: byte %zu written", sizes[k], j);
				break;
			}
	}
}

TEST(get_info_supported_mask)
{
	struct pidfd_info i;
	int fd = open_ok(getpid(), 0);

	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_SUPPORTED_MASK, &i));
	EXPECT_TRUE(i.mask & PIDFD_INFO_SUPPORTED_MASK);
	EXPECT_EQ(info_supported(), i.supported_mask);
	/* The exit record answers these. */
	EXPECT_EQ(PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP,
		  i.supported_mask & (PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP));
	/* Every bit reported is one it claims to support. */
	EXPECT_EQ(0, i.mask & ~i.supported_mask);
}

TEST(get_info_unknown_mask_bits_are_ignored)
{
	struct pidfd_info i;
	int fd = open_ok(getpid(), 0);

	ASSERT_EQ(0, pidfd_mod_get_info(fd, ~0ULL, &i));
	/* Not reaped: no EXIT or COREDUMP, though asked for. */
	EXPECT_EQ(info_live() | PIDFD_INFO_SUPPORTED_MASK, i.mask);
	EXPECT_EQ(getpid(), i.pid);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 1ULL << 63 | 1ULL << 40, &i));
	EXPECT_EQ(info_live(), i.mask);
}

TEST(get_info_zombie)
{
	struct pidfd_info i;
	pid_t pid = spawn_exiter(3);
	int fd = open_ok(pid, 0);

	ASSERT_EQ(0, wait_zombie(pid));
	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_EXIT |
					PIDFD_INFO_COREDUMP, &i));
	EXPECT_EQ(pid, i.pid);
	EXPECT_EQ(pid, i.tgid);
	EXPECT_EQ(getpid(), i.ppid);
	EXPECT_TRUE(i.mask & PIDFD_INFO_CREDS);
	/* As upstream: the exit is reported after the reap, not before. */
	EXPECT_EQ(0, i.mask & (PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP));
	EXPECT_EQ(0, i.exit_code);
	EXPECT_EQ(3, wait_exit(pid));
}

/*
 * Reaped: ESRCH unless PIDFD_INFO_EXIT is asked for; with it, the exit
 * status and the cgroup, and neither numbers nor credentials.
 */
TEST(get_info_reaped)
{
	unsigned long long cg = have_cgroups() ? PIDFD_INFO_CGROUPID : 0;
	struct pidfd_info i, alive;
	int gate, fd, tfd;
	pid_t pid = spawn_gated_exiter(3, &gate);

	fd = open_ok(pid, 0);
	tfd = open_ok(pid, PIDFD_MOD_THREAD);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &alive));
	close(gate);
	ASSERT_EQ(3, wait_exit(pid));

	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_get_info(fd, 0, &i));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_get_info(fd, PIDFD_INFO_PID, &i));
	ASSERT_EQ(0, pidfd_mod_get_info(fd, PIDFD_INFO_EXIT, &i));
	EXPECT_EQ(PIDFD_INFO_EXIT | cg, i.mask);
	EXPECT_TRUE(WIFEXITED(i.exit_code));
	EXPECT_EQ(3, WEXITSTATUS(i.exit_code));
	EXPECT_EQ(alive.cgroupid, i.cgroupid);
	EXPECT_EQ(0, i.pid);
	EXPECT_EQ(0, i.ruid);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, ~0ULL, &i));
	EXPECT_EQ(PIDFD_INFO_EXIT | PIDFD_INFO_COREDUMP |
		  PIDFD_INFO_SUPPORTED_MASK | cg, i.mask);
	EXPECT_EQ(0, i.coredump_mask);
	EXPECT_EQ(3 << 8, i.exit_code);
	/* The leader's thread fd: the leader's own status. */
	ASSERT_EQ(0, pidfd_mod_get_info(tfd, PIDFD_INFO_EXIT, &i));
	EXPECT_EQ(3 << 8, i.exit_code);
}

static void *info_thread_fn(void *arg)
{
	int *p = arg;
	pid_t tid = sys_gettid();
	char c;

	if (write(p[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	/* Until told to end. */
	if (read(p[2], &c, 1) < 0)
		return NULL;
	return NULL;
}

struct info_thread {
	pthread_t t;
	pid_t tid;
	int fds[3];	/* tid pipe read end, its write end, gate read end */
	int gate;	/* gate write end: close to end the thread */
};

static void info_thread_start(struct info_thread *th)
{
	int a[2], b[2];

	ASSERT_EQ(0, pipe2(a, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(b, O_CLOEXEC));
	th->fds[0] = a[0];
	th->fds[1] = a[1];
	th->fds[2] = b[0];
	th->gate = b[1];
	ASSERT_EQ(0, pthread_create(&th->t, NULL, info_thread_fn, th->fds));
	ASSERT_EQ(sizeof(th->tid), read(a[0], &th->tid, sizeof(th->tid)));
}

/*
 * End the thread and wait until it is released and its number is free:
 * pthread_join() returns once the thread has cleared its tid, which is
 * before the kernel lets go of its struct pid.
 */
static void info_thread_stop(struct info_thread *th)
{
	char path[64];
	int tries;

	close(th->gate);
	pthread_join(th->t, NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d", th->tid);
	for (tries = 0; tries < 500 && access(path, F_OK) == 0; tries++)
		usleep(10000);
	if (access(path, F_OK) == 0)
		TH_FAIL(1, "thread %d still there after it ended", th->tid);
	wait_number_freed(th->tid);
}

/* A thread fd answers for its thread, as a native PIDFD_THREAD fd. */
TEST(get_info_thread_fd)
{
	struct info_thread th;
	struct pidfd_info i;
	int fd, tfd;

	info_thread_start(&th);
	tfd = open_ok(th.tid, PIDFD_MOD_THREAD);
	fd = open_ok(getpid(), 0);
	ASSERT_EQ(0, pidfd_mod_get_info(tfd, 0, &i));
	EXPECT_EQ(th.tid, i.pid);
	EXPECT_EQ(getpid(), i.tgid);
	EXPECT_EQ(getppid(), i.ppid);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
	EXPECT_EQ(getpid(), i.pid);
	EXPECT_EQ(getpid(), i.tgid);
	info_thread_stop(&th);
	/* A thread is reaped by its own exit. */
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_get_info(tfd, 0, &i));
	ASSERT_EQ(0, pidfd_mod_get_info(tfd, PIDFD_INFO_EXIT, &i));
	EXPECT_TRUE(i.mask & PIDFD_INFO_EXIT);
	EXPECT_EQ(0, i.exit_code);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
}

/*
 * In another pid namespace: the numbers are the caller's, as procfs of the
 * caller's namespace shows them, and a target outside the caller's
 * hierarchy is EREMOTE.
 */
static void get_info_ns_init(int outer_fd, int up, int down)
{
	struct pidfd_info i;
	pid_t kid;
	int fd, kfd;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	EXPECT_FAIL_NOLEAK(EREMOTE, pidfd_mod_get_info(outer_fd, 0, &i));
	EXPECT_FAIL_NOLEAK(EREMOTE, pidfd_mod_get_info(outer_fd, ~0ULL, &i));

	/* A procfs of this namespace, in a mount namespace of our own. */
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		TH_FAIL(1, "a procfs for the new pid namespace: %s", strerror(errno));

	fd = open_ok(1, 0);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
	EXPECT_EQ(1, i.pid);
	EXPECT_EQ(1, i.tgid);
	EXPECT_EQ(0, i.ppid);	/* the parent is not visible here */
	get_info_vs_status(&i, 1);

	kid = spawn_sleeper();
	ASSERT_EQ(2, kid);
	kfd = open_ok(kid, 0);
	ASSERT_EQ(0, pidfd_mod_get_info(kfd, 0, &i));
	get_info_vs_status(&i, kid);
	EXPECT_EQ(1, i.ppid);

	/* Ready; then wait for the parent's look from outside (EOF). */
	if (write(up, "r", 1) != 1 || read(down, &c, 1) < 0)
		_exit(1);
	_exit(th_failed);
}

TEST(get_info_other_pid_namespace)
{
	struct pidfd_info i;
	int outer_fd = open_ok(getpid(), 0), cfd, up[2], down[2];
	pid_t c;
	char r;

	/* Pipes, not a socketpair: the debug kernels have no unix sockets. */
	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));
	c = fork_newpidns();
	ASSERT_GE(c, 0);
	if (c == 0) {
		close(up[0]);
		close(down[1]);
		get_info_ns_init(outer_fd, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	ASSERT_EQ(1, read(up[0], &r, 1));
	/* From outside, the init has its outer numbers. */
	cfd = open_ok(c, 0);
	ASSERT_EQ(0, pidfd_mod_get_info(cfd, 0, &i));
	EXPECT_EQ(c, i.pid);
	EXPECT_EQ(getpid(), i.ppid);
	get_info_vs_status(&i, c);
	EXPECT_EQ(c, fdinfo_key(cfd, "Pid"));
	close(down[1]);
	close(up[0]);
	EXPECT_EQ(0, wait_exit(c));
}

/* The number a one-line file such as a sysctl holds; LONG_MIN if none. */
static long read_number(const char *path)
{
	char text[64];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return LONG_MIN;
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (r <= 0)
		return LONG_MIN;
	text[r] = '\0';
	return strtol(text, NULL, 10);
}

static int write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * Credentials in the caller's user namespace: mapped ids translated,
 * unmapped ones the overflow id, as /proc/PID/status shows them to the
 * same caller.
 */
TEST(get_info_user_namespace_maps_ids)
{
	int ready[2], go[2], tfd;
	pid_t t, u;
	char c;

	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	t = fork();
	ASSERT_GE(t, 0);
	if (t == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (setgroups(0, NULL) || setresgid(2000, 2000, 2001) ||
		    setresuid(1000, 1000, 1001) || write(ready[1], "t", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	tfd = open_ok(t, 0);

	u = fork();
	ASSERT_GE(u, 0);
	if (u == 0) {
		struct pidfd_info i;
		long overflow;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWUSER))
			TH_FAIL(1, "unshare(CLONE_NEWUSER): %s", strerror(errno));
		if (write(ready[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		ASSERT_EQ(0, pidfd_mod_get_info(tfd, 0, &i));
		get_info_vs_status(&i, t);
		overflow = read_number("/proc/sys/kernel/overflowuid");
		EXPECT_EQ(0, i.ruid);
		EXPECT_EQ(0, i.euid);
		EXPECT_EQ(0, i.fsuid);
		EXPECT_EQ(0, i.rgid);
		EXPECT_EQ(0, i.egid);
		EXPECT_EQ(0, i.fsgid);
		EXPECT_NE(0, i.suid);
		EXPECT_NE(0, i.sgid);
		if (overflow != LONG_MIN)
			EXPECT_EQ(overflow, i.suid);
		_exit(th_failed);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ('u', c);
	ASSERT_EQ(0, write_file(u, "setgroups", "deny"));
	ASSERT_EQ(0, write_file(u, "uid_map", "0 1000 1\n"));
	ASSERT_EQ(0, write_file(u, "gid_map", "0 2000 1\n"));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, wait_exit(u));
	kill_reap(t);
}

/* Other ioctls on a pidfd, and PIDFD_GET_INFO on other files. */
TEST(get_info_other_commands_are_enotty)
{
	unsigned char buf[256] = { 0 };
	int fd = open_ok(getpid(), 0);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	unsigned long bad[] = {
		_IO(PIDFS_IOCTL_MAGIC, 5),	/* PIDFD_GET_PID_NAMESPACE */
		_IO(PIDFS_IOCTL_MAGIC, 11),
		_IOR(PIDFS_IOCTL_MAGIC, 11, struct pidfd_info),
		_IOW(PIDFS_IOCTL_MAGIC, 11, struct pidfd_info),
		_IOWR(PIDFS_IOCTL_MAGIC - 1, 11, struct pidfd_info),
		_IOWR(PIDFS_IOCTL_MAGIC, 12, struct pidfd_info),
		_IOWR(PIDFS_IOCTL_MAGIC, 10, struct pidfd_info),
		PIDFD_MOD_IOC_FEATURES,
		PIDFD_MOD_IOC_OPEN,
	};
	unsigned int k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		errno = 0;
		if (ioctl(fd, bad[k], buf) != -1 || errno != ENOTTY)
			TH_FAIL(0, "ioctl %#lx on a pidfd: want ENOTTY, got %s",
				bad[k], strerror(errno));
	}
	/* The control device is not a pidfd. */
	ASSERT_GE(pidfd_mod_dev(), 0);
	EXPECT_ERRNO(ENOTTY, ioctl(pidfd_mod_dev(), PIDFD_GET_INFO, buf));
	ASSERT_GE(null, 0);
	EXPECT_ERRNO(ENOTTY, ioctl(null, PIDFD_GET_INFO, buf));
}

TEST(get_info_bad_pointers)
{
	struct pidfd_info *ro;
	void *hole = unmapped_page(), *edge;
	int fd = open_ok(getpid(), 0);

	/* As upstream: no structure at all is EINVAL. */
	EXPECT_FAIL_NOLEAK(EINVAL, ioctl(fd, PIDFD_GET_INFO, NULL));
	ASSERT_TRUE(hole != NULL);
	EXPECT_FAIL_NOLEAK(EFAULT, ioctl(fd, PIDFD_GET_INFO, hole));
	EXPECT_FAIL_NOLEAK(EFAULT, ioctl(fd, PIDFD_GET_INFO,
					 (void *)0xffffffff81000000ul));
	/* The mask is readable, the rest is in a hole. */
	edge = edge_of_page(16);
	ASSERT_TRUE(edge != NULL);
	EXPECT_FAIL_NOLEAK(EFAULT, ioctl(fd, PIDFD_GET_INFO, edge));
	/* Readable, not writable. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_FAIL_NOLEAK(EFAULT, ioctl(fd, PIDFD_GET_INFO, ro));
	EXPECT_EQ(0, ro->pid);
}

/* --- PIDFD_MOD_IOC_INFO ------------------------------------------------ */

/* What the module always fills in for a live target (and a zombie). */
#define INFO_VALID	(PIDFD_MOD_INFO_STATE | PIDFD_MOD_INFO_PIDS |	\
			 PIDFD_MOD_INFO_NSPID | PIDFD_MOD_INFO_ID)
/* ... and all that is left of a reaped one. */
#define INFO_REAPED	(PIDFD_MOD_INFO_STATE | PIDFD_MOD_INFO_ID |	\
			 PIDFD_MOD_INFO_EXIT)

static int info_of(int pidfd, int nsfd, struct pidfd_mod_info *i)
{
	return pidfd_mod_info(pidfd, nsfd, i);
}

static int open_ns_file(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		TH_FAIL(1, "open(%s): %s", path, strerror(errno));
	return fd;
}

/*
 * INFO of @fd (pinning @pid, a number in the caller's namespace) seen from
 * @nsfd, @k levels below the caller's, must match /proc/@pid/status as the
 * caller reads it: entry @k of NSpid, NStgid, NSpgid and NSsid, the
 * parent's NStgid entry @k, and the rest of the NSpid list.  For a thread
 * fd @pid is the tid, and the lists are those of /proc/TGID/task/TID.
 */
static void info_vs_status(int fd, int nsfd, pid_t pid, int k)
{
	long nspid[PIDFD_MOD_NSPID_MAX + 1];
	struct pidfd_mod_info i;
	pid_t ppid;
	int n, j;

	ASSERT_EQ(0, info_of(fd, nsfd, &i));
	EXPECT_EQ(INFO_VALID, i.valid);
	EXPECT_EQ(sizeof(i), i.size);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	EXPECT_EQ(proc_num_at(pid, "NSpid", k), i.pid);
	EXPECT_EQ(proc_num_at(pid, "NStgid", k), i.tgid);
	EXPECT_EQ(proc_num_at(pid, "NSpgid", k), i.pgid);
	EXPECT_EQ(proc_num_at(pid, "NSsid", k), i.sid);
	ppid = proc_num_at(pid, "PPid", 0);
	EXPECT_EQ(ppid ? proc_num_at(ppid, "NStgid", k) : 0, i.ppid);
	n = proc_nums(pid, "NSpid", nspid, PIDFD_MOD_NSPID_MAX + 1);
	ASSERT_GE(n, 1);
	EXPECT_EQ(n > k ? n - k : 0, i.nspid_count);
	for (j = 0; j < (int)i.nspid_count && k + j < n; j++)
		EXPECT_EQ(nspid[k + j], i.nspid[j]);
	EXPECT_NE(0, i.id);
	EXPECT_EQ(0, i.exit_code);
	EXPECT_EQ(0, i.__spare);
}

/* INFO in the caller's namespace must show the fdinfo NSpid line. */
static void info_vs_fdinfo(int fd)
{
	struct pidfd_mod_info i;
	char line[256], want[256];
	size_t off = 0;
	unsigned int j;

	ASSERT_EQ(0, info_of(fd, -1, &i));
	ASSERT_EQ(0, fdinfo_line(fd, "NSpid", line, sizeof(line)));
	for (j = 0; j < i.nspid_count; j++)
		off += snprintf(want + off, sizeof(want) - off, "\t%d",
				i.nspid[j]);
	if (strcmp(line, want))
		TH_FAIL(0, "fdinfo NSpid '%s', INFO nspid '%s'", line, want);
	EXPECT_EQ(fdinfo_key(fd, "Pid"), i.pid);
}

/* A child in its own process group and session, paused until killed. */
static pid_t spawn_session_leader(void)
{
	int p[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (setsid() < 0)
			_exit(1);
		close(p[0]);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	return pid;
}

/*
 * Nested pid namespaces: C is the init of ns1 (a child of the caller's),
 * G is pid 2 in ns1 and leads its own process group, D is the init of ns2
 * (a child of ns1) and pid 3 in ns1.  Numbers are the caller's.
 */
struct info_nest {
	pid_t c, g, d;
	int ns1, ns2;
};

static void info_nest_init(int ready)
{
	pid_t g, d;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	g = fork();
	if (g == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	/*
	 * G sets its group too, but it may not have run yet: set it from
	 * here as well, so it is in place before the caller is told ready.
	 */
	if (g != 2 || setpgid(g, g) || unshare(CLONE_NEWPID))
		_exit(1);
	d = fork();
	if (d == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	if (d < 0 || write(ready, "r", 1) != 1)
		_exit(1);
	close(ready);
	for (;;)
		pause();
}

/* The children of @pid, in the caller's numbers, in the order forked. */
static int children_of(pid_t pid, pid_t *out, int max)
{
	char path[64], text[256], *p, *end;
	ssize_t r;
	int fd, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (r < 0)
		return -1;
	text[r] = '\0';
	for (p = text; n < max; p = end) {
		long x = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = x;
	}
	return n;
}

static void info_nest_make(struct info_nest *nest)
{
	pid_t kids[4];
	int p[2];
	char c;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	nest->c = fork_newpidns();
	ASSERT_GE(nest->c, 0);
	if (nest->c == 0) {
		close(p[0]);
		info_nest_init(p[1]);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	ASSERT_EQ(2, children_of(nest->c, kids, 4));
	nest->g = kids[0];
	nest->d = kids[1];
	EXPECT_EQ(2, proc_num_at(nest->g, "NSpid", 1));
	EXPECT_EQ(1, proc_num_at(nest->d, "NSpid", 2));
	nest->ns1 = open_ns_file(nest->c);
	nest->ns2 = open_ns_file(nest->d);
}


TEST(info_self)
{
	struct pidfd_mod_info i;
	int fd = open_ok(getpid(), 0);

	ASSERT_EQ(0, info_of(fd, -1, &i));
	EXPECT_EQ(INFO_VALID, i.valid);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	EXPECT_EQ(getpid(), i.pid);
	EXPECT_EQ(getpid(), i.tgid);
	EXPECT_EQ(getppid(), i.ppid);
	EXPECT_EQ(getpgrp(), i.pgid);
	EXPECT_EQ(getsid(0), i.sid);
	info_vs_status(fd, -1, getpid(), 0);
	info_vs_fdinfo(fd);
}

TEST(info_child_matches_proc_status)
{
	pid_t pid = spawn_session_leader();
	struct pidfd_mod_info i;
	int fd = open_ok(pid, 0), tfd = open_ok(pid, PIDFD_MOD_THREAD);

	ASSERT_EQ(0, info_of(fd, -1, &i));
	EXPECT_EQ(pid, i.pgid);
	EXPECT_EQ(pid, i.sid);
	EXPECT_EQ(getpid(), i.ppid);
	info_vs_status(fd, -1, pid, 0);
	info_vs_status(tfd, -1, pid, 0);
	info_vs_fdinfo(fd);
	info_vs_fdinfo(tfd);
	kill_reap(pid);
}

/* Output fields hold whatever the caller left there: it does not matter. */
TEST(info_ignores_output_fields_on_input)
{
	struct pidfd_mod_info i;
	int fd = open_ok(getpid(), 0);

	memset(&i, 0x5a, sizeof(i));
	i.size = sizeof(i);
	i.flags = 0;
	i.pidfd = fd;
	i.nsfd = -1;
	i.__reserved = 0;
	ASSERT_EQ(0, pidfd_mod_ioctl(PIDFD_MOD_IOC_INFO, &i));
	EXPECT_EQ(INFO_VALID, i.valid);
	EXPECT_EQ(getpid(), i.pid);
	EXPECT_NE(0, i.id);
	EXPECT_EQ(0, i.exit_code);
	EXPECT_EQ(0, i.__spare);
	for (unsigned int j = i.nspid_count; j < PIDFD_MOD_NSPID_MAX; j++)
		EXPECT_EQ(0, i.nspid[j]);
}

/* Exactly min(caller's size, module's size) bytes are written back. */
TEST(info_writes_back_what_it_knows)
{
	struct {
		struct pidfd_mod_info i;
		unsigned char tail[24];
		unsigned char guard[8];
	} a;
	int fd = open_ok(getpid(), 0);

	memset(&a, 0, sizeof(a));
	memset(a.guard, 0xa5, sizeof(a.guard));
	a.i.size = sizeof(a.i) + sizeof(a.tail);
	a.i.pidfd = fd;
	a.i.nsfd = -1;
	ASSERT_EQ(0, pidfd_mod_ioctl(PIDFD_MOD_IOC_INFO, &a.i));
	EXPECT_EQ(sizeof(a.i), a.i.size);
	EXPECT_EQ(getpid(), a.i.pid);
	for (size_t j = 0; j < sizeof(a.tail); j++)
		EXPECT_EQ(0, a.tail[j]);
	for (size_t j = 0; j < sizeof(a.guard); j++)
		EXPECT_EQ(0xa5, a.guard[j]);
}

TEST(info_nested_pid_namespaces)
{
	struct pidfd_mod_info i;
	struct info_nest n;
	int self, cfd, gfd, dfd;

	info_nest_make(&n);
	self = open_ok(getpid(), 0);
	cfd = open_ok(n.c, 0);
	gfd = open_ok(n.g, 0);
	dfd = open_ok(n.d, 0);

	/* Each process from each namespace, against procfs. */
	info_vs_status(cfd, -1, n.c, 0);
	info_vs_status(cfd, n.ns1, n.c, 1);
	info_vs_status(gfd, -1, n.g, 0);
	info_vs_status(gfd, n.ns1, n.g, 1);
	info_vs_status(dfd, -1, n.d, 0);
	info_vs_status(dfd, n.ns1, n.d, 1);
	info_vs_status(dfd, n.ns2, n.d, 2);
	info_vs_fdinfo(dfd);

	/* The same, spelled out. */
	ASSERT_EQ(0, info_of(gfd, n.ns1, &i));
	EXPECT_EQ(2, i.pid);
	EXPECT_EQ(2, i.tgid);
	EXPECT_EQ(1, i.ppid);
	EXPECT_EQ(2, i.pgid);
	EXPECT_EQ(0, i.sid);	/* our session is not in ns1 */
	EXPECT_EQ(1, i.nspid_count);
	EXPECT_EQ(2, i.nspid[0]);
	ASSERT_EQ(0, info_of(dfd, -1, &i));
	EXPECT_EQ(3, i.nspid_count);
	EXPECT_EQ(n.d, i.nspid[0]);
	EXPECT_EQ(3, i.nspid[1]);
	EXPECT_EQ(1, i.nspid[2]);
	ASSERT_EQ(0, info_of(dfd, n.ns2, &i));
	EXPECT_EQ(1, i.pid);
	EXPECT_EQ(0, i.ppid);
	EXPECT_EQ(1, i.nspid_count);
	ASSERT_EQ(0, info_of(cfd, n.ns1, &i));
	EXPECT_EQ(1, i.pid);
	EXPECT_EQ(0, i.ppid);

	/* Not visible there: numbers 0, as fdinfo shows them, state still. */
	ASSERT_EQ(0, info_of(self, n.ns1, &i));
	EXPECT_EQ(INFO_VALID, i.valid);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	EXPECT_EQ(0, i.pid);
	EXPECT_EQ(0, i.tgid);
	EXPECT_EQ(0, i.ppid);
	EXPECT_EQ(0, i.pgid);
	EXPECT_EQ(0, i.sid);
	EXPECT_EQ(0, i.nspid_count);
	ASSERT_EQ(0, info_of(cfd, n.ns2, &i));
	EXPECT_EQ(0, i.pid);
	EXPECT_EQ(0, i.nspid_count);
	ASSERT_EQ(0, info_of(gfd, n.ns2, &i));
	EXPECT_EQ(0, i.pid);
}

TEST(info_zombie_then_reaped)
{
	struct pidfd_mod_info i;
	__u64 id;
	pid_t pid = spawn_exiter(5);
	int fd = open_ok(pid, 0), tfd = open_ok(pid, PIDFD_MOD_THREAD);

	ASSERT_EQ(0, wait_zombie(pid));
	ASSERT_EQ(0, info_of(fd, -1, &i));
	/* Beyond upstream: the parent has the status before it reaps. */
	EXPECT_EQ(INFO_VALID | PIDFD_MOD_INFO_EXIT, i.valid);
	EXPECT_EQ(PIDFD_MOD_STATE_ZOMBIE, i.state);
	EXPECT_EQ(pid, i.pid);
	EXPECT_EQ(pid, i.tgid);
	EXPECT_EQ(getpid(), i.ppid);
	EXPECT_EQ(5 << 8, i.exit_code);
	id = i.id;
	ASSERT_EQ(0, info_of(tfd, -1, &i));
	EXPECT_EQ(PIDFD_MOD_STATE_ZOMBIE, i.state);
	EXPECT_EQ(5 << 8, i.exit_code);

	EXPECT_EQ(5, wait_exit(pid));
	ASSERT_EQ(0, info_of(fd, -1, &i));
	EXPECT_EQ(INFO_REAPED, i.valid);
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, i.state);
	EXPECT_EQ(5 << 8, i.exit_code);
	EXPECT_EQ(id, i.id);
	EXPECT_EQ(0, i.pid);
	EXPECT_EQ(0, i.nspid_count);
	ASSERT_EQ(0, info_of(tfd, -1, &i));
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, i.state);
	EXPECT_EQ(5 << 8, i.exit_code);
}

static void *info_pause_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * A leader that exits before its other thread: its process is still
 * alive, its own thread is a zombie.
 */
TEST(info_leader_exited_before_its_thread)
{
	struct pidfd_mod_info i;
	char state[64], path[64];
	int fd, tfd, tries;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (pthread_create(&t, NULL, info_pause_fn, NULL))
			_exit(1);
		pthread_exit(NULL);
	}
	fd = open_ok(pid, 0);
	tfd = open_ok(pid, PIDFD_MOD_THREAD);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	for (tries = 0; tries < 500; tries++) {
		if (read_line_at(AT_FDCWD, path, "State", state, sizeof(state)))
			TH_FAIL(1, "no State line for %d", pid);
		if (strchr(state, 'Z'))
			break;
		usleep(10000);
	}
	ASSERT_TRUE(strchr(state, 'Z') != NULL);
	ASSERT_EQ(0, info_of(fd, -1, &i));
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	EXPECT_EQ(pid, i.pid);
	ASSERT_EQ(0, info_of(tfd, -1, &i));
	EXPECT_EQ(PIDFD_MOD_STATE_ZOMBIE, i.state);
	EXPECT_EQ(pid, i.pid);
	/* The leader's own status: pthread_exit() exits with 0. */
	EXPECT_TRUE(i.valid & PIDFD_MOD_INFO_EXIT);
	EXPECT_EQ(0, i.exit_code);
	kill_reap(pid);
	/* The group's status: killed by SIGKILL. */
	ASSERT_EQ(0, info_of(fd, -1, &i));
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, i.state);
	EXPECT_EQ(SIGKILL, i.exit_code);
}

TEST(info_thread_fd)
{
	struct info_thread th;
	struct pidfd_mod_info i;
	char path[64];
	int tfd;

	info_thread_start(&th);
	tfd = open_ok(th.tid, PIDFD_MOD_THREAD);
	ASSERT_EQ(0, info_of(tfd, -1, &i));
	EXPECT_EQ(th.tid, i.pid);
	EXPECT_EQ(getpid(), i.tgid);
	EXPECT_EQ(getppid(), i.ppid);
	EXPECT_EQ(th.tid, i.nspid[0]);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i.state);
	/* /proc/PID/status of a tid names that thread. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), th.tid);
	EXPECT_EQ(read_key_at(AT_FDCWD, path, "Pid"), i.pid);
	info_vs_fdinfo(tfd);
	info_thread_stop(&th);
	ASSERT_EQ(0, info_of(tfd, -1, &i));
	EXPECT_EQ(INFO_REAPED, i.valid);
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, i.state);
	EXPECT_EQ(0, i.exit_code);
}

TEST(info_bad_fds)
{
	struct pidfd_mod_info i;
	int fd = open_ok(getpid(), 0);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	int opath = open("/proc/self/ns/pid", O_PATH | O_CLOEXEC);
	int dir = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ASSERT_GE(null, 0);
	ASSERT_GE(mnt, 0);
	ASSERT_GE(opath, 0);
	ASSERT_GE(dir, 0);
	EXPECT_FAIL_NOLEAK(EBADF, info_of(-1, -1, &i));
	EXPECT_FAIL_NOLEAK(EBADF, info_of(1000, -1, &i));
	EXPECT_FAIL_NOLEAK(EBADF, info_of(null, -1, &i));
	EXPECT_FAIL_NOLEAK(EBADF, info_of(dir, -1, &i));
	/* A native pidfd is one (tests/interop.c); a /proc directory is not. */
	EXPECT_FAIL_NOLEAK(EBADF, info_of(fd, 1000, &i));
	EXPECT_FAIL_NOLEAK(EBADF, info_of(fd, -2, &i));
	EXPECT_FAIL_NOLEAK(EBADF, info_of(fd, opath, &i));
	EXPECT_FAIL_NOLEAK(EINVAL, info_of(fd, mnt, &i));
	EXPECT_FAIL_NOLEAK(EINVAL, info_of(fd, dir, &i));
	EXPECT_FAIL_NOLEAK(EINVAL, info_of(fd, null, &i));
	/* The pidfd is checked before the namespace. */
	EXPECT_FAIL_NOLEAK(EBADF, info_of(null, mnt, &i));
	/* An error writes nothing back. */
	EXPECT_EQ(0, i.valid);
	EXPECT_EQ(0, i.pid);
}

/* From inside a child pid namespace, the parent's is not visible. */
TEST(info_ancestor_namespace_is_einval)
{
	int outer = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	int fd = open_ok(getpid(), 0);
	pid_t c;

	ASSERT_GE(outer, 0);
	c = fork_newpidns();
	ASSERT_GE(c, 0);
	if (c == 0) {
		struct pidfd_mod_info i;
		int self = open_ok(1, 0);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		EXPECT_FAIL_NOLEAK(EINVAL, info_of(self, outer, &i));
		EXPECT_FAIL_NOLEAK(EINVAL, info_of(fd, outer, &i));
		EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(1, outer, -1, 0));
		EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(1, -1, outer, 0));
		/* Our own pidfd from outside: not visible here, so numbers 0. */
		ASSERT_EQ(0, info_of(fd, -1, &i));
		EXPECT_EQ(0, i.pid);
		EXPECT_EQ(0, i.nspid_count);
		ASSERT_EQ(0, info_of(self, -1, &i));
		EXPECT_EQ(1, i.pid);
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(c));
}

/* --- PIDFD_MOD_IOC_TRANSLATE ---------------------------------------------- */

/* nsfs pid translation (6.11+); the installed headers may predate it. */
#define INFO_NSIO			0xb7
#define INFO_NS_GET_PID_FROM_PIDNS	_IOR(INFO_NSIO, 0x6, int)
#define INFO_NS_GET_TGID_FROM_PIDNS	_IOR(INFO_NSIO, 0x7, int)
#define INFO_NS_GET_PID_IN_PIDNS	_IOR(INFO_NSIO, 0x8, int)
#define INFO_NS_GET_TGID_IN_PIDNS	_IOR(INFO_NSIO, 0x9, int)

TEST(translate_own_namespace)
{
	struct info_thread th;
	pid_t kid = spawn_sleeper();
	int own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);

	ASSERT_GE(own, 0);
	EXPECT_EQ(getpid(), pidfd_mod_translate(getpid(), -1, -1, 0));
	EXPECT_EQ(kid, pidfd_mod_translate(kid, -1, -1, 0));
	EXPECT_EQ(kid, pidfd_mod_translate(kid, own, -1, 0));
	EXPECT_EQ(kid, pidfd_mod_translate(kid, -1, own, 0));
	EXPECT_EQ(kid, pidfd_mod_translate(kid, own, own, PIDFD_MOD_TRANSLATE_TGID));

	info_thread_start(&th);
	EXPECT_EQ(th.tid, pidfd_mod_translate(th.tid, -1, -1, 0));
	EXPECT_EQ(getpid(), pidfd_mod_translate(th.tid, -1, -1,
						PIDFD_MOD_TRANSLATE_TGID));
	info_thread_stop(&th);
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(th.tid, -1, -1, 0));
	kill_reap(kid);
}

TEST(translate_between_nested_namespaces)
{
	struct info_nest n;

	info_nest_make(&n);
	/* Down. */
	EXPECT_EQ(1, pidfd_mod_translate(n.c, -1, n.ns1, 0));
	EXPECT_EQ(2, pidfd_mod_translate(n.g, -1, n.ns1, 0));
	EXPECT_EQ(3, pidfd_mod_translate(n.d, -1, n.ns1, 0));
	EXPECT_EQ(1, pidfd_mod_translate(n.d, -1, n.ns2, 0));
	EXPECT_EQ(1, pidfd_mod_translate(3, n.ns1, n.ns2, 0));
	/* Up. */
	EXPECT_EQ(n.c, pidfd_mod_translate(1, n.ns1, -1, 0));
	EXPECT_EQ(n.g, pidfd_mod_translate(2, n.ns1, -1, 0));
	EXPECT_EQ(n.d, pidfd_mod_translate(1, n.ns2, -1, 0));
	EXPECT_EQ(3, pidfd_mod_translate(1, n.ns2, n.ns1, 0));
	EXPECT_EQ(n.d, pidfd_mod_translate(1, n.ns2, -1,
					   PIDFD_MOD_TRANSLATE_TGID));
	/* Not visible in the target. */
	EXPECT_FAIL_NOLEAK(ENOENT, (int)pidfd_mod_translate(getpid(), -1, n.ns1, 0));
	EXPECT_FAIL_NOLEAK(ENOENT, (int)pidfd_mod_translate(n.c, -1, n.ns2, 0));
	EXPECT_FAIL_NOLEAK(ENOENT, (int)pidfd_mod_translate(2, n.ns1, n.ns2, 0));
	EXPECT_FAIL_NOLEAK(ENOENT, (int)pidfd_mod_translate(2, n.ns1, n.ns2,
							    PIDFD_MOD_TRANSLATE_TGID));
	/* No such number in the source. */
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(4000, n.ns1, -1, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(2, n.ns2, -1, 0));
}

/* A number still in use as a process group id after its leader is gone. */
TEST(translate_process_group_id_of_a_reaped_leader)
{
	pid_t leader, member;

	leader = spawn_sleeper();
	ASSERT_EQ(0, setpgid(leader, leader));
	member = spawn_sleeper();
	ASSERT_EQ(0, setpgid(member, leader));
	kill_reap(leader);
	ASSERT_EQ(leader, getpgid(member));

	EXPECT_EQ(leader, pidfd_mod_translate(leader, -1, -1, 0));
	/* No thread has that number. */
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(leader, -1, -1,
							   PIDFD_MOD_TRANSLATE_TGID));
	kill_reap(member);
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(leader, -1, -1, 0));
}

TEST(translate_bad_arguments)
{
	int mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	int opath = open("/proc/self/ns/pid", O_PATH | O_CLOEXEC);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t self = getpid(), dead = spawn_exiter(0);

	/* Opened now, so that the first call leaves the fd count alone. */
	ASSERT_GE(pidfd_mod_dev(), 0);
	ASSERT_GE(mnt, 0);
	ASSERT_GE(opath, 0);
	ASSERT_GE(null, 0);
	ASSERT_EQ(0, wait_exit(dead));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(0, -1, -1, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(-1, -1, -1, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(INT32_MIN, -1, -1, 0));
	EXPECT_FAIL_NOLEAK(EBADF, (int)pidfd_mod_translate(self, 1000, -1, 0));
	EXPECT_FAIL_NOLEAK(EBADF, (int)pidfd_mod_translate(self, -1, 1000, 0));
	EXPECT_FAIL_NOLEAK(EBADF, (int)pidfd_mod_translate(self, -2, -1, 0));
	EXPECT_FAIL_NOLEAK(EBADF, (int)pidfd_mod_translate(self, opath, -1, 0));
	EXPECT_FAIL_NOLEAK(EBADF, (int)pidfd_mod_translate(self, -1, opath, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(self, mnt, -1, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(self, -1, mnt, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(self, null, -1, 0));
	/* The source namespace is checked before the target. */
	EXPECT_FAIL_NOLEAK(EBADF, (int)pidfd_mod_translate(self, 1000, mnt, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(self, mnt, 1000, 0));
	/* The namespaces are checked before the number. */
	EXPECT_FAIL_NOLEAK(EINVAL, (int)pidfd_mod_translate(dead, mnt, -1, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(dead, -1, -1, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(dead, -1, -1,
							   PIDFD_MOD_TRANSLATE_TGID));
}

/*
 * The nsfs ioctls of 6.11+ translate between the caller's namespace and
 * another: for a task visible in both, the module must agree.  Where the
 * number is not visible in the target, nsfs says ESRCH and the module
 * ENOENT; nsfs does not require the namespace to be visible to the caller.
 */
static int nsfs(int nsfd, unsigned long cmd, pid_t pid)
{
	return ioctl(nsfd, cmd, (unsigned long)pid);
}

TEST(translate_matches_nsfs)
{
	struct info_nest n;
	pid_t self = getpid();

	info_nest_make(&n);
	errno = 0;
	if (nsfs(n.ns1, INFO_NS_GET_PID_IN_PIDNS, n.g) < 0 && errno == ENOTTY)
		SKIP("no nsfs pid translation on this kernel (6.11+)");

	EXPECT_EQ(nsfs(n.ns1, INFO_NS_GET_PID_IN_PIDNS, n.g),
		  pidfd_mod_translate(n.g, -1, n.ns1, 0));
	EXPECT_EQ(nsfs(n.ns1, INFO_NS_GET_TGID_IN_PIDNS, n.d),
		  pidfd_mod_translate(n.d, -1, n.ns1, PIDFD_MOD_TRANSLATE_TGID));
	EXPECT_EQ(nsfs(n.ns2, INFO_NS_GET_PID_IN_PIDNS, n.d),
		  pidfd_mod_translate(n.d, -1, n.ns2, 0));
	EXPECT_EQ(nsfs(n.ns1, INFO_NS_GET_PID_FROM_PIDNS, 2),
		  pidfd_mod_translate(2, n.ns1, -1, 0));
	EXPECT_EQ(nsfs(n.ns1, INFO_NS_GET_TGID_FROM_PIDNS, 3),
		  pidfd_mod_translate(3, n.ns1, -1, PIDFD_MOD_TRANSLATE_TGID));
	EXPECT_EQ(nsfs(n.ns2, INFO_NS_GET_PID_FROM_PIDNS, 1),
		  pidfd_mod_translate(1, n.ns2, -1, 0));

	EXPECT_ERRNO(ESRCH, nsfs(n.ns1, INFO_NS_GET_PID_IN_PIDNS, self));
	EXPECT_FAIL_NOLEAK(ENOENT, (int)pidfd_mod_translate(self, -1, n.ns1, 0));
	EXPECT_ERRNO(ESRCH, nsfs(n.ns1, INFO_NS_GET_PID_FROM_PIDNS, 4000));
	EXPECT_FAIL_NOLEAK(ESRCH, (int)pidfd_mod_translate(4000, n.ns1, -1, 0));
}

/* --- pid reuse -------------------------------------------------------------- */

/*
 * In a fresh pid namespace a target gets a fixed number, is killed and
 * reaped, and a newcomer gets the same number: the old pidfd answers with
 * the old process's exit and id, or ESRCH, never with the newcomer's
 * numbers, status or id; the old id opens nothing.
 */
#define INFO_REUSE_PID	100

static void info_reuse_init(void)
{
	struct pidfd_mod_info mi;
	struct pidfd_info i;
	pid_t target, newcomer;
	int fd, tfd, nfd;
	__u64 old_id;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	target = clone3_set_tid(INFO_REUSE_PID, 0);
	if (target == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(INFO_REUSE_PID, target);
	fd = open_ok(target, 0);
	tfd = open_ok(target, PIDFD_MOD_THREAD);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, 0, &i));
	EXPECT_EQ(INFO_REUSE_PID, i.pid);
	old_id = pidfd_mod_id(fd);
	ASSERT_NE(0, old_id);

	kill_reap(target);
	newcomer = clone3_set_tid(INFO_REUSE_PID, 0);
	if (newcomer == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(INFO_REUSE_PID, newcomer);

	memset(&i, 0, sizeof(i));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_get_info(fd, 0, &i));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_get_info(tfd, 0, &i));
	EXPECT_EQ(0, i.pid);
	ASSERT_EQ(0, pidfd_mod_get_info(fd, ~0ULL, &i));
	EXPECT_EQ(0, i.pid);
	EXPECT_EQ(SIGKILL, i.exit_code);
	ASSERT_EQ(0, info_of(fd, -1, &mi));
	EXPECT_EQ(PIDFD_MOD_STATE_REAPED, mi.state);
	EXPECT_EQ(0, mi.pid);
	EXPECT_EQ(SIGKILL, mi.exit_code);
	EXPECT_EQ(old_id, mi.id);
	ASSERT_EQ(0, info_of(tfd, -1, &mi));
	EXPECT_EQ(0, mi.pid);
	EXPECT_EQ(SIGKILL, mi.exit_code);
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(old_id, -1, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_open_id(old_id, -1,
						    PIDFD_MOD_THREAD));

	/* The number itself is the newcomer's now. */
	nfd = open_ok(INFO_REUSE_PID, 0);
	ASSERT_EQ(0, pidfd_mod_get_info(nfd, 0, &i));
	EXPECT_EQ(INFO_REUSE_PID, i.pid);
	ASSERT_EQ(0, info_of(nfd, -1, &mi));
	EXPECT_EQ(INFO_REUSE_PID, mi.pid);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, mi.state);
	EXPECT_NE(old_id, mi.id);
	EXPECT_EQ(0, mi.exit_code);
	EXPECT_EQ(INFO_REUSE_PID, pidfd_mod_translate(INFO_REUSE_PID, -1, -1, 0));
	kill_reap(newcomer);
	_exit(th_failed);
}

TEST(info_after_pid_reuse_keeps_the_old_exit)
{
	in_new_pidns(info_reuse_init);
}
