/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the userspace tests: native syscalls to compare with,
 * processes to target, readers for /proc and fdinfo, and the settings and
 * rounds of the long runs.  The /dev/pidfd ioctls themselves are called
 * through tools/include/pidfd_mod_user.h.
 */
#ifndef PIDFD_MOD_TEST_UTIL_H
#define PIDFD_MOD_TEST_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include "harness.h"
#include "pidfd_mod_user.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD			O_EXCL
#endif
#ifndef PIDFD_SIGNAL_THREAD
#define PIDFD_SIGNAL_THREAD		(1UL << 0)
#define PIDFD_SIGNAL_THREAD_GROUP	(1UL << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP	(1UL << 2)
#endif

/*
 * The module's flag values are the native ones, so that a test can pass
 * the same flags to either.
 */
_Static_assert(PIDFD_MOD_THREAD == PIDFD_THREAD, "thread flag");
_Static_assert(PIDFD_MOD_SIGNAL_THREAD == PIDFD_SIGNAL_THREAD, "scope");
_Static_assert(PIDFD_MOD_SIGNAL_THREAD_GROUP == PIDFD_SIGNAL_THREAD_GROUP,
	       "scope");
_Static_assert(PIDFD_MOD_SIGNAL_PROCESS_GROUP == PIDFD_SIGNAL_PROCESS_GROUP,
	       "scope");

/* An unprivileged uid with no files of its own. */
#define TEST_UID	65534
#define TEST_UID2	65533

static inline int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(SYS_pidfd_open, pid, flags);
}

static inline int sys_pidfd_send_signal(int pidfd, int sig, siginfo_t *info,
					unsigned int flags)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
}

static inline pid_t sys_gettid(void)
{
	return syscall(SYS_gettid);
}

static inline int sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	return syscall(SYS_tgkill, tgid, tid, sig);
}

static inline int sys_rt_sigqueueinfo(pid_t tgid, int sig, siginfo_t *info)
{
	return syscall(SYS_rt_sigqueueinfo, tgid, sig, info);
}

static inline int sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig,
					siginfo_t *info)
{
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, info);
}

/*
 * Whether native pidfds have thread fds (PIDFD_THREAD) and the signal
 * scopes (PIDFD_SIGNAL_*): Linux 6.9 and later.
 */
static inline int native_has_pidfd_scopes(void)
{
	int fd = sys_pidfd_open(getpid(), PIDFD_THREAD), ok;

	if (fd < 0)
		return 0;
	ok = !sys_pidfd_send_signal(fd, 0, NULL, PIDFD_SIGNAL_THREAD);
	close(fd);
	return ok;
}

/*
 * clone3() with set_tid: the new process gets @tid in the innermost pid
 * namespace of the caller's children (needs CAP_SYS_ADMIN there).
 * Returns like fork().
 */
static inline pid_t clone3_set_tid(pid_t tid, unsigned long long flags)
{
	struct clone_args args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/*
 * fork() for a case: stdout is flushed first, so that the child cannot
 * print the case's buffered lines again, and the case ends if it fails.
 */
static inline pid_t fork_child(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT_GE(pid, 0);
	return pid;
}

/* A child that waits for signals until killed.  Returns its pid. */
static inline pid_t spawn_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return pid;
}

/* A child that exits at once with @code; not reaped. */
static inline pid_t spawn_exiter(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

/* A child that exits with @code once *@gate is written to or closed. */
static inline pid_t spawn_gated_exiter(int code, int *gate)
{
	int p[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(100);
		_exit(code);
	}
	close(p[0]);
	*gate = p[1];
	return pid;
}

/* Wait until @pid is a zombie (without reaping it). */
static inline int wait_zombie(pid_t pid)
{
	siginfo_t si;

	return waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
}

/*
 * After the task numbered @nr has gone, wait until the number is free
 * (or taken again): the reap detaches a task from its struct pid a moment
 * before it frees the number, and until then a lookup finds a pid without
 * a task (pidfd_open() gives EINVAL there, ESRCH once the number is free).
 */
static inline void wait_number_freed(pid_t nr)
{
	int i, fd;

	for (i = 0; i < 5000; i++) {
		fd = sys_pidfd_open(nr, 0);
		if (fd >= 0)
			close(fd);	/* taken again: freed all the same */
		if (fd >= 0 || errno == ESRCH)
			return;
		usleep(1000);
	}
}

/* Kill and reap @pid. */
static inline void kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * poll() @fd for @events (and what poll() always reports) for @ms
 * milliseconds, again after a signal; returns revents, 0 on timeout.
 */
static inline int poll_fd_events(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	return r > 0 ? p.revents : 0;
}

/* poll() @fd for POLLIN for @ms milliseconds; revents, 0 on timeout. */
static inline int poll_fd(int fd, int ms)
{
	return poll_fd_events(fd, POLLIN, ms);
}

/*
 * The text of the small file @name below @dirfd (AT_FDCWD for a path of
 * its own), such as a /proc or sysfs file, from one read() into @buf of
 * @len bytes and NUL-terminated.  Returns its length, or -1 if the file
 * cannot be opened or read or is empty.
 */
static inline ssize_t read_file_at(int dirfd, const char *name, char *buf,
				   size_t len)
{
	ssize_t n;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * The text after "@key:" on its line of the file @name below @dirfd (for
 * example a /proc/PID directory fd and "status"), tabs and all.
 */
static inline int read_line_at(int dirfd, const char *name, const char *key,
			       char *out, size_t len)
{
	char buf[8192], *p, *e;
	size_t klen = strlen(key);

	if (read_file_at(dirfd, name, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			e = strchr(p, '\n');
			if (e)
				*e = '\0';
			snprintf(out, len, "%s", p + klen + 1);
			return 0;
		}
	}
	return -1;
}

/* The same without the blanks after the colon: "Z (zombie)" for "State". */
static inline int read_value_at(int dirfd, const char *name, const char *key,
				char *out, size_t len)
{
	size_t blanks;

	if (read_line_at(dirfd, name, key, out, len))
		return -1;
	blanks = strspn(out, " \t");
	memmove(out, out + blanks, strlen(out + blanks) + 1);
	return 0;
}

/*
 * Field @field (3 or more, numbered as in proc(5)) of the stat file @name
 * below @dirfd, as text.  The fields are counted from the ")" that ends
 * the command name, which may itself hold blanks and parentheses.
 */
static inline int read_stat_field_at(int dirfd, const char *name, int field,
				     char *out, size_t len)
{
	char buf[1024], *p;
	int i;

	if (read_file_at(dirfd, name, buf, sizeof(buf)) < 0)
		return -1;
	p = strrchr(buf, ')');
	/* Each step finds the blank before the next field, from field 3. */
	for (i = 2; i < field && p; i++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -1;
	snprintf(out, len, "%.*s", (int)strcspn(p + 1, " \n"), p + 1);
	return 0;
}

/* The same value as a number; LONG_MIN if absent. */
static inline long read_key_at(int dirfd, const char *name, const char *key)
{
	char v[256];

	if (read_line_at(dirfd, name, key, v, sizeof(v)))
		return LONG_MIN;
	return strtol(v, NULL, 10);
}

/* A field of /proc/self/fdinfo/@fd, such as "Pid". */
static inline long fdinfo_key(int fd, const char *key)
{
	char name[64];

	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", fd);
	return read_key_at(AT_FDCWD, name, key);
}

/* The whole "NSpid:" line of /proc/self/fdinfo/@fd, tabs and all. */
static inline int fdinfo_line(int fd, const char *key, char *out, size_t len)
{
	char name[64];

	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", fd);
	return read_line_at(AT_FDCWD, name, key, out, len);
}

/* Number of open file descriptors of this process. */
static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the DIR's own fd */
}

/* The lowest free fd number: an fd leak moves it. */
static inline int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* Become @uid with no supplementary groups and no capabilities. */
static inline int drop_to_uid(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		return -1;
	return 0;
}

/*
 * Become @uid as drop_to_uid() does, unless @uid is 0 (stay root).  On
 * failure, -1 and a line saying why in @msg.
 */
static inline int become_uid(uid_t uid, char *msg, size_t len)
{
	if (!uid || !drop_to_uid(uid))
		return 0;
	snprintf(msg, len, "becoming uid %u: %s", uid, strerror(errno));
	return -1;
}

/*
 * Run @fn(@arg) in a child that has become @uid (0: stays root) and wait
 * for it.  A child that fails an expectation, or cannot become @uid,
 * fails the case, which goes on.
 */
static inline void run_as(uid_t uid, void (*fn)(void *), void *arg)
{
	char why[128];
	pid_t pid;
	int status;

	pid = fork_child();
	if (pid == 0) {
		if (become_uid(uid, why, sizeof(why))) {
			th_diag("%s", why);
			_exit(1);
		}
		th_failed = 0;
		fn(arg);
		fflush(stdout);
		_exit(th_failed ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		TH_FAIL(0, "child as uid %d failed (status %#x)", uid, status);
}

/* A signal handler that records what arrived. */
static volatile sig_atomic_t got_sig;
static volatile sig_atomic_t got_tid;
static volatile sig_atomic_t got_code;
static volatile sig_atomic_t got_value;

static inline void record_sig(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_tid = sys_gettid();
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
}

static inline void catch_sig(int sig)
{
	struct sigaction sa = {
		.sa_sigaction = record_sig,
		.sa_flags = SA_SIGINFO,
	};

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* A page that faults on access, for EFAULT cases. */
static inline void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Two mapped-then-split pages: returns a pointer @n bytes before the end
 * of a readable page whose successor is unmapped, so an argument placed
 * there crosses into a hole.
 */
static inline void *edge_of_page(size_t n)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + 4096, 4096);
	memset(p, 0, 4096);
	return p + 4096 - n;
}

/*
 * Like fork(), but the child is the init (pid 1) of a new pid namespace,
 * a child of the caller's.  The caller's own namespaces do not change.
 */
static inline pid_t fork_newpidns(void)
{
	struct clone_args args = {
		.flags = CLONE_NEWPID,
		.exit_signal = SIGCHLD,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/* @expr fails with @err and leaves the lowest free fd number where it was. */
#define EXPECT_FAIL_NOLEAK(err, expr)					\
	do {								\
		int __next = next_fd();					\
		EXPECT_ERRNO(err, expr);				\
		EXPECT_EQ(__next, next_fd());				\
	} while (0)

/* Reap @pid: its exit code, 128 + signal if killed, -1 on error. */
static inline int wait_exit(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * Run @init as the init of a new pid namespace, a child of the caller's,
 * and expect it to exit with 0 (it calls _exit(th_failed)).
 */
static inline void in_new_pidns(void (*init)(void))
{
	pid_t pid = fork_newpidns();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		init();
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(pid));
}

/*
 * Reap @pid, a helper child of the case, and require that it exited with
 * status 0; a helper that skipped (exit status 77) skips the case.
 */
static inline void wait_ok(pid_t pid)
{
	int status;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WIFEXITED(status) && WEXITSTATUS(status) == TH_EXIT_SKIP)
		SKIP("helper process skipped");
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

/* Seconds on the monotonic clock. */
static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A setting of a long run from the environment variable @name: a decimal
 * number from @min to @max, @def when unset or empty.  Anything else bails
 * out of the whole program.
 */
static inline uint64_t env_u64(const char *name, uint64_t def, uint64_t min,
			       uint64_t max)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return def;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || *end || x < min || x > max) {
		printf("Bail out! %s='%s' is not a number in %llu..%llu\n",
		       name, v, (unsigned long long)min,
		       (unsigned long long)max);
		exit(2);
	}
	return x;
}

/*
 * The long runs (tests/fuzz.c, tests/stress.c) go in rounds of at most
 * @max_s seconds, one a case: the seconds round @idx of a run of @total_s
 * seconds has.
 */
static inline double round_seconds(double total_s, uint64_t idx, double max_s)
{
	double s = total_s - (double)idx * max_s;

	return s > max_s ? max_s : s;
}

/*
 * The start of such a round: /dev/pidfd must open, and the round's
 * children (in a pid namespace of their own) count what they did in the
 * @size bytes of zeroed shared memory returned.
 */
static inline void *round_start(size_t size)
{
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_GE(pidfd_mod_dev(), 0);
	return m;
}

/*
 * The pid (in the caller's /proc) of a child of @ppid (also a /proc
 * number), waiting up to 5 s for it to appear; -1 if none did.
 */
static inline pid_t find_child_of(pid_t ppid)
{
	int tries;

	for (tries = 0; tries < 500; tries++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		pid_t found = -1;

		if (!d)
			return -1;
		while (found < 0 && (e = readdir(d))) {
			char name[300];
			pid_t p = atoi(e->d_name);

			if (p <= 0)
				continue;
			snprintf(name, sizeof(name), "/proc/%d/status", p);
			if (read_key_at(AT_FDCWD, name, "PPid") == ppid)
				found = p;
		}
		closedir(d);
		if (found > 0)
			return found;
		usleep(10000);
	}
	return -1;
}

/*
 * The module parameter unchecked_signals (root only): set, thread-directed
 * signals and caller-built siginfo are delivered with kill(2)'s credential
 * rule alone; clear (the default), they are refused with EOPNOTSUPP.
 * Returns 0 or -1 with errno set.
 */
#define UNCHECKED_SIGNALS_PARAM "/sys/module/pidfd_mod/parameters/unchecked_signals"

static inline int set_unchecked_signals(int on)
{
	int fd = open(UNCHECKED_SIGNALS_PARAM, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, on ? "Y" : "N", 1);
	close(fd);
	return n == 1 ? 0 : -1;
}

static pid_t unchecked_signals_owner;

/* atexit(): only the process that set it clears it, not its children. */
static inline void reset_unchecked_signals(void)
{
	if (getpid() == unchecked_signals_owner)
		set_unchecked_signals(0);
}

/*
 * For a test program that exercises the delivery paths behind
 * unchecked_signals: set it before the first case and clear it when the
 * program exits, so the programs after it see the module's default.
 * A program that cannot set it fails its first case that signals.
 */
#define USE_UNCHECKED_SIGNALS()						\
	__attribute__((constructor)) static void th_unchecked_on(void)	\
	{								\
		if (set_unchecked_signals(1))				\
			fprintf(stderr, "cannot set %s: %s\n",		\
				UNCHECKED_SIGNALS_PARAM, strerror(errno)); \
		unchecked_signals_owner = getpid();			\
		atexit(reset_unchecked_signals);			\
	}

#endif /* PIDFD_MOD_TEST_UTIL_H */
