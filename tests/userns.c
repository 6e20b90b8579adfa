// SPDX-License-Identifier: GPL-2.0
/*
 * The privilege matrix from inside a user namespace.  tests/procfd.c and
 * tests/signal.c cover root and plain uids; here the caller is uid 65534
 * outside, root (and uid 1) inside its own user namespace, which owns a new
 * pid namespace and mount namespace:
 *
 *  - OPEN gives what native pidfd_open() gives, pid by pid;
 *  - an nsfd of a sibling or an ancestor pid namespace is EINVAL, of a
 *    descendant one fine;
 *  - PROCFD through procfs instances with hidepid=2 and hidepid=invisible
 *    (mounted inside, and one mounted outside by real root) gives exactly
 *    what the caller's own openat() of the directory gives;
 *  - SEND_SIGNAL follows kill(2): the namespace root may signal its uid 1,
 *    uid 1 may not signal root's processes, and a pidfd of a process
 *    outside the caller's pid namespace (inherited) is EINVAL.
 *
 * Failures inside the namespaces are printed there and passed up as the
 * exit status.
 */
#include "util.h"

#define OUT_UID	65534
#define OUT_UID1 65533

static char dir[128];
static int outer_hp = -1, parent_ns = -1, sibling_ns = -1, outer_fd = -1;
static pid_t outer_pid;

/* The errno (0: success) of @r, closing a returned fd. */
static int outcome(int r)
{
	int e = errno;

	if (r >= 0) {
		close(r);
		return 0;
	}
	return e;
}

static int sys_openat_dir(int root, pid_t pid)
{
	char name[32];

	snprintf(name, sizeof(name), "%d", pid);
	return openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* PROCFD and the caller's own openat() agree. */
static void procfd_like_openat(int root, int pidfd, pid_t pid_in_root,
			       const char *what)
{
	int a, b;

	errno = 0;
	a = outcome(pidfd_mod_procfd_open(root, pidfd, 0));
	errno = 0;
	b = outcome(sys_openat_dir(root, pid_in_root));
	if (a != b)
		TH_FAIL(0, "%s: PROCFD gives %s, openat gives %s", what,
			a ? strerror(a) : "success", b ? strerror(b) : "success");
}

/* A child that is @uid and dumpable by the time this returns. */
static void sleeper_as(uid_t uid, pid_t *out, int *pidfd)
{
	int ready[2];
	char c;
	pid_t p;

	if (pipe2(ready, O_CLOEXEC))
		TH_FAIL(1, "pipe2: %s", strerror(errno));
	p = fork();
	if (p == 0) {
		if (uid && setresuid(uid, uid, uid))
			_exit(1);
		/* A uid change makes it undumpable, hiding it from everyone. */
		prctl(PR_SET_DUMPABLE, 1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (p < 0 || read(ready[0], &c, 1) != 1)
		TH_FAIL(1, "sleeper as uid %u did not start", uid);
	close(ready[0]);
	*out = p;
	*pidfd = pidfd_mod_open(p, -1, 0);
	if (*pidfd < 0)
		TH_FAIL(0, "OPEN of an own child: %s", strerror(errno));
}

static int mount_proc(const char *sub, const char *opts)
{
	char path[200];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if (mount("proc", path, "proc", 0, opts)) {
		TH_FAIL(0, "mount proc %s on %s in the user namespace: %s", opts,
			path, strerror(errno));
		return -1;
	}
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* pid 1 of the new pid namespace, root of the user namespace. */
static void ns_init(void)
{
	int in_hp, in_inv, fa, fb, nested_ns, r, e;
	pid_t a, b, nested, h;
	char name[64];

	mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
	in_hp = mount_proc("in_hp", "hidepid=2");
	in_inv = mount_proc("in_inv", "hidepid=invisible");
	if (in_hp < 0 || in_inv < 0)
		_exit(1);

	/* OPEN: as native pidfd_open(), number by number. */
	sleeper_as(0, &a, &fa);
	sleeper_as(1, &b, &fb);
	for (pid_t p = 1; p < 12; p++) {
		int m, n;

		errno = 0;
		m = outcome(pidfd_mod_open(p, -1, 0));
		errno = 0;
		n = outcome(sys_pidfd_open(p, 0));
		if (m != n)
			TH_FAIL(0, "OPEN(%d) gives %s, pidfd_open gives %s", p,
				m ? strerror(m) : "success", n ? strerror(n) : "success");
	}

	/* Namespaces: sibling and ancestor refused, descendant fine. */
	EXPECT_ERRNO(EINVAL, pidfd_mod_open(1, sibling_ns, 0));
	EXPECT_ERRNO(EINVAL, pidfd_mod_open(1, parent_ns, 0));
	nested = fork_newpidns();
	if (nested == 0) {
		pause();
		_exit(0);
	}
	if (nested < 0)
		TH_FAIL(1, "a pid namespace below the user namespace's: %s", strerror(errno));
	/* Its namespace file, through the outer /proc (our numbers differ). */
	r = pidfd_mod_open(nested, -1, 0);
	EXPECT_GE(r, 0);
	snprintf(name, sizeof(name), "/proc/%ld/ns/pid", fdinfo_key(r, "Pid"));
	close(r);
	nested_ns = open(name, O_RDONLY | O_CLOEXEC);
	if (nested_ns < 0)
		TH_FAIL(0, "opening %s: %s", name, strerror(errno));
	r = pidfd_mod_open(1, nested_ns, 0);
	EXPECT_GE(r, 0);
	/* Its pid 1 is our child, numbered in our procfs like this: */
	if (r >= 0) {
		int d = pidfd_mod_procfd_open(in_hp, r, 0);

		EXPECT_GE(d, 0);
		if (d >= 0)
			EXPECT_EQ(read_key_at(d, "status", "Pid"), nested);
		close(d);
	}
	close(r);

	/* PROCFD as the namespace's root: like its openat(), and visible. */
	r = pidfd_mod_procfd_open(in_hp, fb, 0);
	EXPECT_GE(r, 0);
	if (r >= 0)
		EXPECT_EQ(read_key_at(r, "status", "Pid"), b);
	close(r);
	procfd_like_openat(in_hp, fb, b, "ns root, hidepid=2, uid 1's process");
	procfd_like_openat(in_inv, fb, b, "ns root, hidepid=invisible, uid 1's process");
	/* Through real root's hidepid=2 instance: a root-owned process. */
	procfd_like_openat(outer_hp, outer_fd, outer_pid,
			   "ns root, outer hidepid=2, real root's process");
	EXPECT_ERRNO(ENOENT, pidfd_mod_procfd_open(outer_hp, outer_fd, 0));

	/* SEND_SIGNAL: outside our pid namespace is EINVAL, even signal 0. */
	EXPECT_ERRNO(EINVAL, pidfd_mod_send_signal(outer_fd, 0, NULL, 0));
	EXPECT_ERRNO(EINVAL, pidfd_mod_send_signal(outer_fd, SIGKILL, NULL, 0));
	/* The namespace root may signal its uid 1, as kill(2) says. */
	EXPECT_EQ(kill(b, 0), 0);
	EXPECT_EQ(pidfd_mod_send_signal(fb, 0, NULL, 0), 0);
	EXPECT_EQ(pidfd_mod_send_signal(fb, SIGCONT, NULL, 0), 0);

	/* uid 1 in the namespace: no capability, another uid. */
	h = fork();
	if (h == 0) {
		int self;
		pid_t me;

		th_failed = 0;	/* only this process's own failures */

		if (setresuid(1, 1, 1))
			_exit(3);
		me = getpid();
		self = pidfd_mod_open(me, -1, 0);
		EXPECT_GE(self, 0);
		procfd_like_openat(in_hp, fa, a, "uid 1, hidepid=2, root's process");
		procfd_like_openat(in_inv, fa, a, "uid 1, hidepid=invisible, root's process");
		procfd_like_openat(in_hp, self, me, "uid 1, hidepid=2, itself");
		procfd_like_openat(in_hp, fb, b, "uid 1, hidepid=2, same uid");
		EXPECT_ERRNO(ENOENT, pidfd_mod_procfd_open(in_hp, fa, 0));
		/* kill(2) rules, both ways. */
		errno = 0;
		r = kill(a, 0);
		e = errno;
		EXPECT_TRUE(r == -1 && e == EPERM);
		EXPECT_ERRNO(EPERM, pidfd_mod_send_signal(fa, 0, NULL, 0));
		EXPECT_ERRNO(EPERM, pidfd_mod_send_signal(fa, SIGTERM, NULL,
						PIDFD_MOD_SIGNAL_THREAD));
		EXPECT_EQ(pidfd_mod_send_signal(fb, 0, NULL, 0), 0);
		EXPECT_ERRNO(EINVAL, pidfd_mod_send_signal(outer_fd, 0, NULL, 0));
		_exit(th_failed);
	}
	EXPECT_EQ(wait_exit(h), 0);
	kill_reap(a);
	kill_reap(b);
	kill_reap(nested);
	_exit(th_failed);
}

static int write_file(pid_t pid, const char *name, const char *s)
{
	char path[64];
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

TEST(userns_privilege_matrix)
{
	char path[200], c;
	int p[2], q[2];
	pid_t sib, u;

	if (access("/proc/self/ns/user", F_OK))
		SKIP("no user namespaces (CONFIG_USER_NS)");
	snprintf(dir, sizeof(dir), "/tmp/pidfd-userns-%d", getpid());
	ASSERT_EQ(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/hp", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/in_hp", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/in_inv", dir);
	ASSERT_EQ(mkdir(path, 0755), 0);

	/* A private procfs instance with hidepid=2, mounted by real root. */
	ASSERT_EQ(unshare(CLONE_NEWNS), 0);
	ASSERT_EQ(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	snprintf(path, sizeof(path), "%s/hp", dir);
	ASSERT_EQ(mount("proc", path, "proc", 0, "hidepid=2"), 0);
	outer_hp = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(outer_hp, 0);

	/* A root-owned process outside, and a sibling pid namespace. */
	outer_pid = spawn_sleeper();
	outer_fd = pidfd_mod_open(outer_pid, -1, 0);
	ASSERT_GE(outer_fd, 0);
	parent_ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	sib = fork_newpidns();
	ASSERT_GE(sib, 0);
	if (sib == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", sib);
	sibling_ns = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(sibling_ns, 0);

	ASSERT_EQ(pipe(p), 0);
	ASSERT_EQ(pipe(q), 0);
	u = fork();
	ASSERT_GE(u, 0);
	if (u == 0) {
		pid_t n;
		int m, k;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (drop_to_uid(OUT_UID))
			TH_FAIL(1, "drop to uid %d: %s", OUT_UID, strerror(errno));
		/*
		 * Dumpable again after the uid change, as a process started
		 * by that uid would be: ptrace access (hidepid, ns links)
		 * then follows uids and the user namespace's capabilities.
		 */
		prctl(PR_SET_DUMPABLE, 1);
		/* A plain uid: OPEN as native pidfd_open, here of real root's. */
		errno = 0;
		m = outcome(pidfd_mod_open(outer_pid, -1, 0));
		errno = 0;
		k = outcome(sys_pidfd_open(outer_pid, 0));
		EXPECT_EQ(m, k);
		EXPECT_EQ(m, 0);
		if (unshare(CLONE_NEWUSER))
			TH_FAIL(1, "unshare(CLONE_NEWUSER) as uid %d: %s", OUT_UID,
				strerror(errno));
		write(p[1], "u", 1);
		if (read(q[0], &c, 1) != 1 || c != 'm')
			_exit(4);
		if (setresuid(0, 0, 0) || setresgid(0, 0, 0))
			TH_FAIL(1, "becoming root in the user namespace: %s", strerror(errno));
		if (unshare(CLONE_NEWPID | CLONE_NEWNS))
			TH_FAIL(1, "unshare(CLONE_NEWPID | CLONE_NEWNS) in the user namespace: %s",
				strerror(errno));
		n = fork();
		if (n == 0)
			ns_init();
		_exit(n < 0 ? 5 : wait_exit(n) ? 1 : th_failed);
	}
	ASSERT_EQ(read(p[0], &c, 1), 1);
	/* Two uids inside: 0 is OUT_UID, 1 is OUT_UID1. */
	ASSERT_EQ(write_file(u, "uid_map", "0 65534 1\n1 65533 1\n"), 0);
	ASSERT_EQ(write_file(u, "gid_map", "0 65534 1\n1 65533 1\n"), 0);
	ASSERT_EQ(write(q[1], "m", 1), 1);
	EXPECT_EQ(wait_exit(u), 0);
	kill_reap(sib);
	kill_reap(outer_pid);
	snprintf(path, sizeof(path), "%s/hp", dir);
	umount2(path, MNT_DETACH);
}
