// SPDX-License-Identifier: GPL-2.0
/*
 * PIDFD_MOD_IOC_PROCFD: the /proc directory of a pidfd's process in a given
 * procfs instance, opened with the caller's own rights, and never another
 * process's directory after the number has been reused.
 *
 * The argument-structure contract (sizes, flags, reserved fields, EFAULT)
 * is covered by abi.c; thread fds in depth by thread.c.
 */
#include <pthread.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "util.h"

/* The number the pid-reuse and nested-namespace cases give their targets. */
#define PROCFD_TARGET_PID	42

/*
 * Open the control device before counting fds: the wrappers open it on
 * first use, and that must not look like a leak.
 */
static void procfd_setup(void)
{
	ASSERT_GE(pidfd_mod_dev(), 0);
}

static int procfd_open_dir(const char *path, int flags)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | flags);
}

static int procfd_pidfd(pid_t pid, unsigned int flags)
{
	int fd = pidfd_mod_open(pid, -1, flags);

	ASSERT_GE(fd, 0);
	return fd;
}

/* A private mount namespace with a fresh tmpfs on /tmp for mount points. */
static void procfd_private_mounts(void)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777"));
}

/* Whether @fd is the same file as @name below @dirfd. */
static int procfd_same_file(int fd, int dirfd, const char *name)
{
	struct stat a, b;

	if (fstat(fd, &a) || fstatat(dirfd, name, &b, 0))
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The target of /proc/self/fd/@fd. */
static void procfd_fd_path(int fd, char *out, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, len - 1);
	out[n > 0 ? n : 0] = '\0';
}

/*
 * @dir is what PROCFD returned: an O_RDONLY, close-on-exec, readable
 * directory fd on procfs, the same directory as @name below @root.
 */
static void procfd_check_dir(int dir, int root, const char *name)
{
	char buf[4096];
	struct statfs sfs;
	struct stat st;
	int fl;

	ASSERT_GE(dir, 0);
	fl = fcntl(dir, F_GETFL);
	EXPECT_EQ(O_RDONLY, fl & O_ACCMODE);
	EXPECT_EQ(0, fl & O_PATH);
	EXPECT_EQ(FD_CLOEXEC, fcntl(dir, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(0, fstat(dir, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, fstatfs(dir, &sfs));
	EXPECT_EQ(PROC_SUPER_MAGIC, sfs.f_type);
	EXPECT_TRUE(procfd_same_file(dir, root, name));
	/* An O_PATH fd could not be read; this one lists its entries. */
	EXPECT_TRUE(syscall(SYS_getdents64, dir, buf, sizeof(buf)) > 0);
}

TEST(procfd_child_is_its_proc_dir)
{
	char name[32], path[128], want[64];
	int root, fd, dir;
	pid_t child;

	procfd_setup();
	child = spawn_sleeper();
	ASSERT_GT(child, 0);
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);
	fd = procfd_pidfd(child, 0);

	dir = pidfd_mod_procfd_open(root, fd, 0);
	snprintf(name, sizeof(name), "%d", child);
	procfd_check_dir(dir, root, name);
	EXPECT_EQ(child, read_key_at(dir, "status", "Pid"));
	EXPECT_EQ(child, read_key_at(dir, "status", "Tgid"));
	EXPECT_EQ(getpid(), read_key_at(dir, "status", "PPid"));
	procfd_fd_path(dir, path, sizeof(path));
	snprintf(want, sizeof(want), "/proc/%d", child);
	EXPECT_EQ(0, strcmp(want, path));

	/* The directory stays usable without the pidfd. */
	close(fd);
	EXPECT_EQ(child, read_key_at(dir, "status", "Pid"));
	close(dir);
	kill_reap(child);
}

TEST(procfd_self_is_own_proc_dir)
{
	int root, fd, dir, again;
	char name[32];

	procfd_setup();
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);
	fd = procfd_pidfd(getpid(), 0);

	dir = pidfd_mod_procfd_open(root, fd, 0);
	snprintf(name, sizeof(name), "%d", getpid());
	procfd_check_dir(dir, root, name);
	EXPECT_EQ(getpid(), read_key_at(dir, "status", "Pid"));
	EXPECT_EQ(getppid(), read_key_at(dir, "status", "PPid"));
	/* Two calls give two fds of the same directory. */
	again = pidfd_mod_procfd_open(root, fd, 0);
	ASSERT_GE(again, 0);
	EXPECT_NE(dir, again);
	EXPECT_TRUE(procfd_same_file(again, root, name));
	close(again);
	close(dir);
}

TEST(procfd_o_path_root_works)
{
	char name[32];
	int root, fd, dir;
	pid_t child;

	procfd_setup();
	child = spawn_sleeper();
	ASSERT_GT(child, 0);
	fd = procfd_pidfd(child, 0);
	snprintf(name, sizeof(name), "%d", child);

	/* As openat() accepts an O_PATH dirfd, so does PROCFD. */
	root = procfd_open_dir("/proc", O_PATH);
	ASSERT_GE(root, 0);
	dir = pidfd_mod_procfd_open(root, fd, 0);
	procfd_check_dir(dir, root, name);
	EXPECT_EQ(child, read_key_at(dir, "status", "Pid"));
	close(dir);
	close(root);

	root = open("/proc", O_PATH | O_CLOEXEC);
	ASSERT_GE(root, 0);
	dir = pidfd_mod_procfd_open(root, fd, 0);
	procfd_check_dir(dir, root, name);
	close(dir);
	kill_reap(child);
}

TEST(procfd_root_proc_subdir_is_einval)
{
	static const char *const dirs[] = {
		"/proc/self", "/proc/thread-self", "/proc/sys",
		"/proc/sys/kernel", "/proc/self/task", "/proc/self/fd",
		"/proc/self/ns",
	};
	unsigned int i;
	int fd, root;

	procfd_setup();
	fd = procfd_pidfd(getpid(), 0);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		root = procfd_open_dir(dirs[i], 0);
		ASSERT_GE(root, 0);
		EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
		close(root);
		root = procfd_open_dir(dirs[i], O_PATH);
		ASSERT_GE(root, 0);
		EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
		close(root);
	}
	/* The /proc/self symlink itself, not followed. */
	root = open("/proc/self", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	ASSERT_GE(root, 0);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
	close(root);
}

TEST(procfd_root_not_procfs_is_einval)
{
	static const char *const dirs[] = { "/", "/dev", "/sys", "/tmp" };
	struct statfs sfs;
	unsigned int i;
	int fd, root;

	procfd_setup();
	procfd_private_mounts();
	ASSERT_EQ(0, statfs("/tmp", &sfs));
	ASSERT_EQ(TMPFS_MAGIC, sfs.f_type);
	fd = procfd_pidfd(getpid(), 0);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		root = procfd_open_dir(dirs[i], 0);
		ASSERT_GE(root, 0);
		EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
		close(root);
		root = procfd_open_dir(dirs[i], O_PATH);
		ASSERT_GE(root, 0);
		EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
		close(root);
	}
}

TEST(procfd_root_not_a_directory_is_einval)
{
	int fd, root;

	procfd_setup();
	procfd_private_mounts();
	fd = procfd_pidfd(getpid(), 0);

	/* A regular file on tmpfs. */
	root = open("/tmp/file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	ASSERT_GE(root, 0);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
	close(root);
	/* A regular file on procfs itself. */
	root = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(root, 0);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
	close(root);
	/* A character device. */
	root = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(root, 0);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(root, fd, 0));
	close(root);
	/* The pidfd and the control device. */
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(fd, fd, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(pidfd_mod_dev(), fd, 0));
}

TEST(procfd_root_bad_fd_is_ebadf)
{
	int fd, closed;

	procfd_setup();
	fd = procfd_pidfd(getpid(), 0);
	closed = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(closed, 0);
	close(closed);

	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(-1, fd, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(closed, fd, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(INT_MAX, fd, 0));
	/* Not an fd, even though openat() would take it for the cwd. */
	ASSERT_EQ(0, chdir("/proc"));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(AT_FDCWD, fd, 0));
}

TEST(procfd_not_a_pidfd_is_ebadf)
{
	int root, file, null, nsfd, native, procdir, closed, fd;
	char name[32];
	pid_t child;

	procfd_setup();
	procfd_private_mounts();
	child = spawn_sleeper();
	ASSERT_GT(child, 0);
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);

	file = open("/tmp/file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	ASSERT_GE(file, 0);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_GE(null, 0);
	nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	native = sys_pidfd_open(child, 0);
	ASSERT_GE(native, 0);
	snprintf(name, sizeof(name), "%d", child);
	procdir = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(procdir, 0);
	closed = procfd_pidfd(child, 0);
	close(closed);

	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, file, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, null, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, nsfd, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, closed, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, -1, 0));
	/* A native pidfd is one (tests/interop.c); a /proc directory is not. */
	fd = pidfd_mod_procfd_open(root, native, 0);
	EXPECT_GE(fd, 0);
	close(fd);
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, procdir, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, pidfd_mod_dev(), 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(root, root, 0));
	kill_reap(child);
}

/* Checked in the errno table's order: the pidfd, the root, then the task. */
TEST(procfd_error_order)
{
	int root, sys, gone, gate;
	pid_t child;

	procfd_setup();
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);
	sys = procfd_open_dir("/sys", 0);
	ASSERT_GE(sys, 0);
	child = spawn_gated_exiter(0, &gate);
	gone = procfd_pidfd(child, 0);
	close(gate);
	ASSERT_EQ(child, waitpid(child, NULL, 0));

	/* A bad pidfd wins over a bad root. */
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(sys, -1, 0));
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(sys, root, 0));
	/* A bad root wins over a reaped process. */
	EXPECT_FAIL_NOLEAK(EBADF, pidfd_mod_procfd_open(-1, gone, 0));
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(sys, gone, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, gone, 0));
}

TEST(procfd_zombie_still_has_its_dir)
{
	char name[32], state[64];
	int root, fd, dir, native, gate;
	pid_t child;

	procfd_setup();
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);
	child = spawn_gated_exiter(3, &gate);
	fd = procfd_pidfd(child, 0);
	close(gate);
	ASSERT_EQ(0, wait_zombie(child));
	snprintf(name, sizeof(name), "%d", child);

	/* Native procfs keeps a zombie's directory until it is reaped. */
	native = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(native, 0);
	ASSERT_EQ(0, read_value_at(native, "status", "State", state, sizeof(state)));
	ASSERT_EQ('Z', state[0]);

	dir = pidfd_mod_procfd_open(root, fd, 0);
	procfd_check_dir(dir, root, name);
	EXPECT_EQ(child, read_key_at(dir, "status", "Pid"));
	EXPECT_EQ(getpid(), read_key_at(dir, "status", "PPid"));
	ASSERT_EQ(0, read_value_at(dir, "status", "State", state, sizeof(state)));
	EXPECT_EQ('Z', state[0]);
	close(dir);
	close(native);

	/* Reaped: the name is gone natively, and PROCFD says ESRCH. */
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	EXPECT_ERRNO(ENOENT, openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, fd, 0));
}

TEST(procfd_reaped_is_esrch)
{
	int root, opath, fd, gate;
	pid_t child;

	procfd_setup();
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);
	opath = procfd_open_dir("/proc", O_PATH);
	ASSERT_GE(opath, 0);
	child = spawn_gated_exiter(0, &gate);
	fd = procfd_pidfd(child, 0);
	close(gate);
	ASSERT_EQ(child, waitpid(child, NULL, 0));

	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, fd, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(opath, fd, 0));
}

/*
 * Pid 1 of a fresh pid namespace with its own procfs on /tmp/proc: a target
 * gets PROCFD_TARGET_PID, is reaped, and a newcomer gets the same number.
 * The old pidfd must give ESRCH in both procfs instances, never the
 * newcomer's directory.
 */
static void procfd_reuse_init(void)
{
	char name[32];
	int root, outer, fd, fresh, dir;
	pid_t target, newcomer;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	ASSERT_EQ(1, getpid());
	ASSERT_EQ(0, mount("proc", "/tmp/proc", "proc", 0, NULL));
	root = procfd_open_dir("/tmp/proc", 0);
	ASSERT_GE(root, 0);
	outer = procfd_open_dir("/proc", 0);
	ASSERT_GE(outer, 0);
	snprintf(name, sizeof(name), "%d", PROCFD_TARGET_PID);

	target = clone3_set_tid(PROCFD_TARGET_PID, 0);
	if (target == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(PROCFD_TARGET_PID, target);
	fd = procfd_pidfd(PROCFD_TARGET_PID, 0);

	/* Before the reuse the old fd finds its own directory. */
	dir = pidfd_mod_procfd_open(root, fd, 0);
	procfd_check_dir(dir, root, name);
	EXPECT_EQ(PROCFD_TARGET_PID, read_key_at(dir, "status", "Pid"));
	close(dir);

	kill_reap(target);
	newcomer = clone3_set_tid(PROCFD_TARGET_PID, 0);
	if (newcomer == 0) {
		for (;;)
			pause();
	}
	ASSERT_EQ(PROCFD_TARGET_PID, newcomer);
	/* The name now belongs to the newcomer. */
	dir = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(dir, 0);
	close(dir);

	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, fd, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(outer, fd, 0));

	/* The newcomer's own pidfd does find it. */
	fresh = procfd_pidfd(PROCFD_TARGET_PID, 0);
	dir = pidfd_mod_procfd_open(root, fresh, 0);
	procfd_check_dir(dir, root, name);
	close(dir);

	kill_reap(newcomer);
	_exit(th_failed);
}

TEST(procfd_after_pid_reuse_is_esrch)
{
	pid_t init;

	procfd_setup();
	procfd_private_mounts();
	ASSERT_EQ(0, mkdir("/tmp/proc", 0755));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	init = fork();
	ASSERT_GE(init, 0);
	if (init == 0)
		procfd_reuse_init();
	wait_ok(init);
}

/*
 * Nested pid namespaces: this process in the initial one (level 0), A the
 * init of ns1 with a procfs on /tmp/p1, B the init of ns2 (a child of ns1)
 * with a procfs on /tmp/p2, and C, PROCFD_TARGET_PID in ns2.
 */
struct procfd_nested {
	pid_t a;
	int root0, root1, root2;
	int ns2fd;
};

static void procfd_nested_ns1(int ready)
{
	pid_t b, c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mount("proc", "/tmp/p1", "proc", 0, NULL) || unshare(CLONE_NEWPID))
		_exit(1);
	b = fork();
	if (b < 0)
		_exit(1);
	if (b == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (mount("proc", "/tmp/p2", "proc", 0, NULL))
			_exit(1);
		c = clone3_set_tid(PROCFD_TARGET_PID, 0);
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		if (c != PROCFD_TARGET_PID || write(ready, "r", 1) != 1)
			_exit(1);
		close(ready);
		for (;;)
			pause();
	}
	/* Only B reports: if it fails, the reader sees end of file. */
	close(ready);
	for (;;)
		pause();
}

static void procfd_nested_setup(struct procfd_nested *n)
{
	int ready[2];
	char c;

	procfd_setup();
	procfd_private_mounts();
	ASSERT_EQ(0, mkdir("/tmp/p1", 0755));
	ASSERT_EQ(0, mkdir("/tmp/p2", 0755));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	n->a = fork();
	ASSERT_GE(n->a, 0);
	if (n->a == 0) {
		close(ready[0]);
		procfd_nested_ns1(ready[1]);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);

	n->root0 = procfd_open_dir("/proc", 0);
	n->root1 = procfd_open_dir("/tmp/p1", 0);
	n->root2 = procfd_open_dir("/tmp/p2", 0);
	ASSERT_GE(n->root0, 0);
	ASSERT_GE(n->root1, 0);
	ASSERT_GE(n->root2, 0);
	/* B is pid 1 of ns2. */
	n->ns2fd = open("/tmp/p2/1/ns/pid", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(n->ns2fd, 0);
}

/* The first pid in @dirfd/PID/task/PID/children. */
static pid_t procfd_first_child(int dirfd, pid_t pid)
{
	char name[64], buf[256];

	snprintf(name, sizeof(name), "%d/task/%d/children", pid, pid);
	if (read_file_at(dirfd, name, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

TEST(procfd_nested_pidns_numbers)
{
	char name[32], line[128], want[128];
	struct procfd_nested n;
	int fd, d0, d1, d2;
	pid_t b0, c0, c1;

	procfd_nested_setup(&n);
	fd = pidfd_mod_open(PROCFD_TARGET_PID, n.ns2fd, 0);
	ASSERT_GE(fd, 0);

	/* C's numbers, found independently through the children files. */
	b0 = procfd_first_child(n.root0, n.a);
	ASSERT_GT(b0, 0);
	c0 = procfd_first_child(n.root0, b0);
	ASSERT_GT(c0, 0);
	b0 = procfd_first_child(n.root1, 1);	/* B, as numbered in ns1 */
	ASSERT_GT(b0, 0);
	c1 = procfd_first_child(n.root1, b0);
	ASSERT_GT(c1, 0);

	/* ns2's procfs: the innermost number. */
	d2 = pidfd_mod_procfd_open(n.root2, fd, 0);
	snprintf(name, sizeof(name), "%d", PROCFD_TARGET_PID);
	procfd_check_dir(d2, n.root2, name);
	EXPECT_EQ(PROCFD_TARGET_PID, read_key_at(d2, "status", "Pid"));
	EXPECT_EQ(1, read_key_at(d2, "status", "PPid"));
	ASSERT_EQ(0, read_value_at(d2, "status", "NSpid", line, sizeof(line)));
	snprintf(want, sizeof(want), "%d", PROCFD_TARGET_PID);
	EXPECT_EQ(0, strcmp(want, line));

	/* ns1's procfs: its number and the one below. */
	d1 = pidfd_mod_procfd_open(n.root1, fd, 0);
	snprintf(name, sizeof(name), "%d", c1);
	procfd_check_dir(d1, n.root1, name);
	EXPECT_EQ(c1, read_key_at(d1, "status", "Pid"));
	ASSERT_EQ(0, read_value_at(d1, "status", "NSpid", line, sizeof(line)));
	snprintf(want, sizeof(want), "%d\t%d", c1, PROCFD_TARGET_PID);
	EXPECT_EQ(0, strcmp(want, line));

	/* The initial procfs: all three. */
	d0 = pidfd_mod_procfd_open(n.root0, fd, 0);
	snprintf(name, sizeof(name), "%d", c0);
	procfd_check_dir(d0, n.root0, name);
	EXPECT_EQ(c0, read_key_at(d0, "status", "Pid"));
	ASSERT_EQ(0, read_value_at(d0, "status", "NSpid", line, sizeof(line)));
	snprintf(want, sizeof(want), "%d\t%d\t%d", c0, c1, PROCFD_TARGET_PID);
	EXPECT_EQ(0, strcmp(want, line));

	close(d0);
	close(d1);
	close(d2);
	kill_reap(n.a);
}

TEST(procfd_outer_process_not_in_inner_procfs)
{
	struct procfd_nested n;
	int self, a, gone, dir, gate;
	pid_t child;

	procfd_nested_setup(&n);
	self = procfd_pidfd(getpid(), 0);
	a = procfd_pidfd(n.a, 0);

	/* This process lives in the initial namespace only. */
	EXPECT_FAIL_NOLEAK(ENOENT, pidfd_mod_procfd_open(n.root2, self, 0));
	EXPECT_FAIL_NOLEAK(ENOENT, pidfd_mod_procfd_open(n.root1, self, 0));
	dir = pidfd_mod_procfd_open(n.root0, self, 0);
	ASSERT_GE(dir, 0);
	EXPECT_EQ(getpid(), read_key_at(dir, "status", "Pid"));
	close(dir);

	/* A is in ns1 (as pid 1), not in ns2. */
	EXPECT_FAIL_NOLEAK(ENOENT, pidfd_mod_procfd_open(n.root2, a, 0));
	dir = pidfd_mod_procfd_open(n.root1, a, 0);
	procfd_check_dir(dir, n.root1, "1");
	EXPECT_EQ(1, read_key_at(dir, "status", "Pid"));
	close(dir);

	/* Reaped beats invisible. */
	child = spawn_gated_exiter(0, &gate);
	gone = procfd_pidfd(child, 0);
	close(gate);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(n.root2, gone, 0));

	kill_reap(n.a);
}

/* hidepid: PROCFD must fail exactly as the caller's own openat() does. */

/* A procfs mounted with @opts on a new directory in a private /tmp. */
static int procfd_mount_proc(const char *dir, const char *opts)
{
	int root;

	ASSERT_EQ(0, mkdir(dir, 0755));
	if (mount("proc", dir, "proc", 0, opts))
		TH_FAIL(1, "mount -t proc -o %s: %s", opts, strerror(errno));
	root = procfd_open_dir(dir, 0);
	ASSERT_GE(root, 0);
	return root;
}

/*
 * In a child running as TEST_UID: PROCFD for @fd and openat(@root, "@pid")
 * must both fail, with the same errno.  Returns that errno.
 */
static int procfd_unprivileged_errno(int root, int fd, pid_t pid)
{
	char name[32];
	int status;
	pid_t child;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		int mod, mod_err, nat, nat_err, next;

		ASSERT_EQ(0, drop_to_uid(TEST_UID));
		snprintf(name, sizeof(name), "%d", pid);
		next = next_fd();
		errno = 0;
		mod = pidfd_mod_procfd_open(root, fd, 0);
		mod_err = errno;
		EXPECT_EQ(next, next_fd());
		errno = 0;
		nat = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		nat_err = errno;
		EXPECT_EQ(-1, mod);
		EXPECT_EQ(-1, nat);
		if (mod_err != nat_err)
			TH_FAIL(0, "PROCFD: %s, openat: %s", strerror(mod_err),
				strerror(nat_err));
		_exit(th_failed ? 255 : mod_err);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_NE(255, WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

/*
 * For each spelling of one hidepid level: as TEST_UID, a root process's
 * directory is refused alike by PROCFD and openat(), with @fresh before the
 * name was ever looked up in that instance and @cached after root did.
 */
static void procfd_hidepid_case(const char *const opts[2], int fresh,
				int cached)
{
	char dir[32], name[32];
	int i, root, fd, d;
	pid_t target;

	procfd_setup();
	procfd_private_mounts();
	target = spawn_sleeper();
	ASSERT_GT(target, 0);
	fd = procfd_pidfd(target, 0);
	snprintf(name, sizeof(name), "%d", target);

	for (i = 0; i < 2; i++) {
		snprintf(dir, sizeof(dir), "/tmp/hp%d", i);
		root = procfd_mount_proc(dir, opts[i]);
		th_diag("%s, fresh", opts[i]);
		EXPECT_EQ(fresh, procfd_unprivileged_errno(root, fd, target));
		/* Root may look: the dentry is cached from now on. */
		d = pidfd_mod_procfd_open(root, fd, 0);
		procfd_check_dir(d, root, name);
		close(d);
		th_diag("%s, cached", opts[i]);
		EXPECT_EQ(cached, procfd_unprivileged_errno(root, fd, target));
		close(root);
	}
	kill_reap(target);
}

TEST(procfd_hidepid_invisible_as_openat)
{
	static const char *const opts[2] = { "hidepid=2", "hidepid=invisible" };

	procfd_hidepid_case(opts, ENOENT, ENOENT);
}

TEST(procfd_hidepid_noaccess_as_openat)
{
	static const char *const opts[2] = { "hidepid=1", "hidepid=noaccess" };

	procfd_hidepid_case(opts, EPERM, EPERM);
}

TEST(procfd_hidepid_ptraceable_as_openat)
{
	static const char *const opts[2] = { "hidepid=4", "hidepid=ptraceable" };

	/* Not ptraceable: no lookup at all; once cached, the permission check. */
	procfd_hidepid_case(opts, ENOENT, EPERM);
}

/* Under every hidepid level a process of the caller's own uid is visible. */
TEST(procfd_hidepid_same_uid_works)
{
	static const char *const opts[] = {
		"hidepid=1", "hidepid=2", "hidepid=4",
		"hidepid=noaccess", "hidepid=invisible", "hidepid=ptraceable",
	};
	int roots[sizeof(opts) / sizeof(opts[0])];
	unsigned int i;
	int ready[2], fd;
	pid_t target, child;
	char dir[32], c;

	procfd_setup();
	procfd_private_mounts();
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(dir, sizeof(dir), "/tmp/hp%u", i);
		roots[i] = procfd_mount_proc(dir, opts[i]);
	}

	/* A target of TEST_UID; dumpable, as hidepid asks ptrace's rules. */
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	target = fork();
	ASSERT_GE(target, 0);
	if (target == 0) {
		if (drop_to_uid(TEST_UID) || prctl(PR_SET_DUMPABLE, 1) ||
		    prctl(PR_SET_PDEATHSIG, SIGKILL))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	fd = procfd_pidfd(target, 0);

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		char name[32], self_name[32];
		int self, d;

		ASSERT_EQ(0, drop_to_uid(TEST_UID));
		self = procfd_pidfd(getpid(), 0);
		snprintf(name, sizeof(name), "%d", target);
		snprintf(self_name, sizeof(self_name), "%d", getpid());
		for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
			th_diag("%s", opts[i]);
			d = openat(roots[i], name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			EXPECT_GE(d, 0);
			close(d);
			d = pidfd_mod_procfd_open(roots[i], fd, 0);
			procfd_check_dir(d, roots[i], name);
			EXPECT_EQ(target, read_key_at(d, "status", "Pid"));
			close(d);
			d = pidfd_mod_procfd_open(roots[i], self, 0);
			procfd_check_dir(d, roots[i], self_name);
			EXPECT_EQ(getpid(), read_key_at(d, "status", "Pid"));
			close(d);
		}
		_exit(th_failed);
	}
	wait_ok(child);
	kill_reap(target);
}

/*
 * Mount tricks: a bind mount of a procfs root is a root; a mount stacked
 * on /proc/PID (a known way to hide a process) must not be handed out as
 * that process's directory.
 */
TEST(procfd_bind_mounted_root)
{
	char name[32], path[128], want[64];
	int root, sys, fd, dir;
	pid_t child;

	procfd_setup();
	procfd_private_mounts();
	child = spawn_sleeper();
	ASSERT_GT(child, 0);
	fd = procfd_pidfd(child, 0);
	snprintf(name, sizeof(name), "%d", child);

	ASSERT_EQ(0, mkdir("/tmp/pb", 0755));
	ASSERT_EQ(0, mount("/proc", "/tmp/pb", NULL, MS_BIND, NULL));
	root = procfd_open_dir("/tmp/pb", 0);
	ASSERT_GE(root, 0);
	dir = pidfd_mod_procfd_open(root, fd, 0);
	procfd_check_dir(dir, root, name);
	procfd_fd_path(dir, path, sizeof(path));
	snprintf(want, sizeof(want), "/tmp/pb/%d", child);
	EXPECT_EQ(0, strcmp(want, path));
	close(dir);

	ASSERT_EQ(0, mkdir("/tmp/ps", 0755));
	ASSERT_EQ(0, mount("/proc/sys", "/tmp/ps", NULL, MS_BIND, NULL));
	sys = procfd_open_dir("/tmp/ps", 0);
	ASSERT_GE(sys, 0);
	EXPECT_FAIL_NOLEAK(EINVAL, pidfd_mod_procfd_open(sys, fd, 0));
	kill_reap(child);
}

TEST(procfd_overmounted_dir_refused)
{
	char name[32], path[64];
	struct statfs sfs;
	int root, fd, native;
	pid_t child;

	procfd_setup();
	procfd_private_mounts();
	child = spawn_sleeper();
	ASSERT_GT(child, 0);
	fd = procfd_pidfd(child, 0);
	snprintf(name, sizeof(name), "%d", child);
	snprintf(path, sizeof(path), "/proc/%d", child);
	ASSERT_EQ(0, mount("tmpfs", path, "tmpfs", 0, NULL));
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);

	/* openat() follows the mount to the tmpfs ... */
	native = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(native, 0);
	ASSERT_EQ(0, fstatfs(native, &sfs));
	EXPECT_EQ(TMPFS_MAGIC, sfs.f_type);
	close(native);
	/*
	 * ... which is not the process's directory.  The module refuses it
	 * with EXDEV, which uapi/linux/pidfd_mod.h does not list.
	 */
	EXPECT_FAIL_NOLEAK(EXDEV, pidfd_mod_procfd_open(root, fd, 0));
	kill_reap(child);
}

/* Thread fds: the task/TID directory.  thread.c covers thread fds fully. */
struct procfd_thread {
	pid_t tid;
	int ready[2];
	int done[2];
};

static void *procfd_thread_fn(void *arg)
{
	struct procfd_thread *t = arg;
	char c;

	t->tid = sys_gettid();
	if (write(t->ready[1], "r", 1) != 1 || read(t->done[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

TEST(procfd_thread_fd_is_task_dir)
{
	char name[64], path[128], want[128];
	struct procfd_thread t;
	int root, fd, leader, dir, i;
	pthread_t th;
	char c;

	procfd_setup();
	root = procfd_open_dir("/proc", 0);
	ASSERT_GE(root, 0);
	ASSERT_EQ(0, pipe2(t.ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(t.done, O_CLOEXEC));
	ASSERT_EQ(0, pthread_create(&th, NULL, procfd_thread_fn, &t));
	ASSERT_EQ(1, read(t.ready[0], &c, 1));
	ASSERT_NE(getpid(), t.tid);

	fd = procfd_pidfd(t.tid, PIDFD_MOD_THREAD);
	dir = pidfd_mod_procfd_open(root, fd, 0);
	snprintf(name, sizeof(name), "%d/task/%d", getpid(), t.tid);
	procfd_check_dir(dir, root, name);
	EXPECT_EQ(t.tid, read_key_at(dir, "status", "Pid"));
	EXPECT_EQ(getpid(), read_key_at(dir, "status", "Tgid"));
	procfd_fd_path(dir, path, sizeof(path));
	snprintf(want, sizeof(want), "/proc/%s", name);
	EXPECT_EQ(0, strcmp(want, path));
	close(dir);

	/* A thread fd of the leader is the leader's task directory. */
	leader = procfd_pidfd(getpid(), PIDFD_MOD_THREAD);
	dir = pidfd_mod_procfd_open(root, leader, 0);
	snprintf(name, sizeof(name), "%d/task/%d", getpid(), getpid());
	procfd_check_dir(dir, root, name);
	close(dir);

	/*
	 * An exited thread is reaped at once; pthread_join() can return a
	 * little before that, so wait for its native directory to go.
	 */
	ASSERT_EQ(1, write(t.done[1], "d", 1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	snprintf(name, sizeof(name), "%d/task/%d", getpid(), t.tid);
	for (i = 0; i < 1000 && !faccessat(root, name, F_OK, 0); i++)
		usleep(10000);
	ASSERT_ERRNO(ENOENT, faccessat(root, name, F_OK, 0));
	EXPECT_FAIL_NOLEAK(ESRCH, pidfd_mod_procfd_open(root, fd, 0));
}
