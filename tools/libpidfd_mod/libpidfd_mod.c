// SPDX-License-Identifier: GPL-2.0
/*
 * libpidfd_mod.so: run an unmodified program on /dev/pidfd.
 *
 *	LD_PRELOAD=/usr/local/lib/libpidfd_mod.so program...
 *
 * The library defines the calls a program makes on pidfds and answers them
 * with the module's ioctls (docs/libpidfd_mod.7):
 *
 *	pidfd_open(), syscall(SYS_pidfd_open)       PIDFD_MOD_IOC_OPEN
 *	pidfd_send_signal(), syscall(SYS_pidfd_send_signal)
 *						    PIDFD_MOD_IOC_SEND_SIGNAL
 *	waitid(P_PIDFD), syscall(SYS_waitid, P_PIDFD)
 *						    waitid(P_PID) of the number
 *
 * poll(2), epoll(7) and ioctl(PIDFD_GET_INFO) need nothing: the module's
 * pidfds answer them as native ones do.  Every other call, and every
 * other system call made through syscall(2), goes to the C library
 * untouched.
 *
 * Settings come from the environment and are read once, when the library
 * is loaded.  A value the library cannot use stops the program before its
 * main() with one line on stderr and exit status 125: running it with a
 * setting other than the one asked for would change what it does without
 * saying so.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "pidfd_mod_user.h"
#include "pidfd_mod_preload.h"

/* Not in glibc 2.36's headers: the values of Linux 6.9's uapi. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD			O_EXCL
#endif
#ifndef PIDFD_SIGNAL_THREAD
#define PIDFD_SIGNAL_THREAD		(1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP	(1U << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP	(1U << 2)
#endif

#define LIB_NAME		"libpidfd_mod"
#define LIB_ENV_PREFIX		"PIDFD_MOD_PRELOAD_"
#define LIB_ENV_NS		LIB_ENV_PREFIX "NS"
#define LIB_ENV_VERBOSE		LIB_ENV_PREFIX "VERBOSE"
#define LIB_ENV_STATS		LIB_ENV_PREFIX "STATS"
/* As env(1) and timeout(1) exit when they fail themselves. */
#define LIB_EXIT_CONFIG		125

/* --- Settings ---------------------------------------------------------- */

static struct {
	int verbose;		/* 0 quiet, 1 the route once, 2 every call */
	char *ns_path;		/* PIDFD_MOD_PRELOAD_NS, or NULL */
	char *stats_path;	/* PIDFD_MOD_PRELOAD_STATS, "-", or NULL */
} lib_cfg;

/* The pid namespace of PIDFD_MOD_PRELOAD_NS, pinned at load. */
static int lib_nsfd = -1;
static struct stat lib_ns_st;

static void lib_say(const char *fmt, ...)
{
	static const char prefix[] = LIB_NAME ": ";
	int saved = errno;
	char line[512];
	va_list ap;
	int n;

	memcpy(line, prefix, sizeof(prefix) - 1);
	va_start(ap, fmt);
	n = vsnprintf(line + sizeof(prefix) - 1,
		      sizeof(line) - sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n >= 0) {
		n += sizeof(prefix) - 1;
		if (n > (int)sizeof(line) - 2)
			n = sizeof(line) - 2;
		line[n++] = '\n';
		/* One write: lines of several processes do not interleave. */
		if (write(STDERR_FILENO, line, n) < 0)
			n = -1;
	}
	errno = saved;
}

static __attribute__((noreturn)) void lib_config_error(const char *fmt, ...)
{
	char line[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	lib_say("%s; not running the program (exit status %d)", line,
		LIB_EXIT_CONFIG);
	_exit(LIB_EXIT_CONFIG);
}

/* The variable's value, NULL when unset or empty (both mean "default"). */
static const char *lib_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Only the variables below exist: a misspelt one is an error too. */
static void lib_check_names(void)
{
	static const char *const known[] = {
		LIB_ENV_NS, LIB_ENV_VERBOSE, LIB_ENV_STATS,
	};
	extern char **environ;
	char **e;
	size_t i, len;

	for (e = environ; e && *e; e++) {
		if (strncmp(*e, LIB_ENV_PREFIX, strlen(LIB_ENV_PREFIX)))
			continue;
		len = strcspn(*e, "=");
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strlen(known[i]) == len && !strncmp(*e, known[i], len))
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			lib_config_error("unknown variable %.*s (known: %s, %s, %s)",
					 (int)len, *e, LIB_ENV_NS,
					 LIB_ENV_VERBOSE, LIB_ENV_STATS);
	}
}

static void lib_read_verbose(void)
{
	const char *v = lib_env(LIB_ENV_VERBOSE);

	if (!v)
		return;
	if (strlen(v) != 1 || v[0] < '0' || v[0] > '2')
		lib_config_error("%s='%s' is not 0, 1 or 2", LIB_ENV_VERBOSE, v);
	lib_cfg.verbose = v[0] - '0';
}

static void lib_read_stats(void)
{
	const char *v = lib_env(LIB_ENV_STATS);
	int fd;

	if (!v)
		return;
	if (strcmp(v, "-") && v[0] != '/')
		lib_config_error("%s='%s' is neither - (standard error) nor an absolute path",
				 LIB_ENV_STATS, v);
	/* Found out now, not when the counts are lost at exit. */
	if (v[0] == '/') {
		fd = open(v, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			lib_config_error("%s='%s': cannot open for appending: %s",
					 LIB_ENV_STATS, v, strerror(errno));
		close(fd);
	}
	lib_cfg.stats_path = strdup(v);
	if (!lib_cfg.stats_path)
		lib_config_error("%s: out of memory", LIB_ENV_STATS);
}

/*
 * The namespace is pinned by an fd opened here, so a /proc/PID/ns/pid
 * path keeps naming the namespace it named at load even when PID exits and
 * its number is given to another process.
 */
static void lib_read_ns(void)
{
	const char *v = lib_env(LIB_ENV_NS);
	int type;

	if (!v)
		return;
	lib_nsfd = open(v, O_RDONLY | O_CLOEXEC);
	if (lib_nsfd < 0)
		lib_config_error("%s='%s': cannot open: %s", LIB_ENV_NS, v,
				 strerror(errno));
	type = ioctl(lib_nsfd, NS_GET_NSTYPE);
	if (type != CLONE_NEWPID)
		lib_config_error("%s='%s' is not a pid namespace file (such as /proc/PID/ns/pid)",
				 LIB_ENV_NS, v);
	/* Native pidfd_open() has no namespace: no fallback can honour it. */
	if (pidfd_mod_dev() < 0)
		lib_config_error("%s='%s' needs %s: %s", LIB_ENV_NS, v,
				 PIDFD_MOD_DEVICE, strerror(errno));
	/* The module opens only in the caller's namespace or below. */
	if (pidfd_mod_translate(1, lib_nsfd, -1, 0) < 0 && errno == EINVAL)
		lib_config_error("%s='%s' is neither your pid namespace nor a descendant of it",
				 LIB_ENV_NS, v);
	if (fstat(lib_nsfd, &lib_ns_st))
		lib_config_error("%s='%s': fstat: %s", LIB_ENV_NS, v,
				 strerror(errno));
	lib_cfg.ns_path = strdup(v);
	if (!lib_cfg.ns_path)
		lib_config_error("%s: out of memory", LIB_ENV_NS);
}

/* --- Counters ---------------------------------------------------------- */

static struct pidfd_mod_preload_counts lib_counts;

#define lib_count(field)	__atomic_fetch_add(&lib_counts.field, 1, __ATOMIC_RELAXED)

__attribute__((visibility("default")))
int pidfd_mod_preload_counts(struct pidfd_mod_preload_counts *c, size_t size)
{
	struct pidfd_mod_preload_counts now;

	if (!c) {
		errno = EINVAL;
		return -1;
	}
	__atomic_load(&lib_counts.open_module, &now.open_module, __ATOMIC_RELAXED);
	__atomic_load(&lib_counts.open_native, &now.open_native, __ATOMIC_RELAXED);
	__atomic_load(&lib_counts.send_signal_module, &now.send_signal_module,
		      __ATOMIC_RELAXED);
	__atomic_load(&lib_counts.send_signal_native, &now.send_signal_native,
		      __ATOMIC_RELAXED);
	__atomic_load(&lib_counts.waitid_module, &now.waitid_module, __ATOMIC_RELAXED);
	__atomic_load(&lib_counts.waitid_native, &now.waitid_native, __ATOMIC_RELAXED);
	memcpy(c, &now, size < sizeof(now) ? size : sizeof(now));
	return 0;
}

/* A forked child counts its own calls, so no call is reported twice. */
static void lib_counts_reset(void)
{
	memset(&lib_counts, 0, sizeof(lib_counts));
}

/* PIDFD_MOD_PRELOAD_STATS: one line per process that exits normally. */
static void lib_write_stats(void)
{
	struct pidfd_mod_preload_counts c;
	char line[400];
	int fd, n;

	if (!lib_cfg.stats_path)
		return;
	pidfd_mod_preload_counts(&c, sizeof(c));
	n = snprintf(line, sizeof(line),
		     "%s-stats pid=%d comm=%s open=%llu open_native=%llu send_signal=%llu send_signal_native=%llu waitid=%llu waitid_native=%llu\n",
		     LIB_NAME, (int)getpid(), program_invocation_short_name,
		     c.open_module, c.open_native, c.send_signal_module,
		     c.send_signal_native, c.waitid_module, c.waitid_native);
	if (n <= 0 || n >= (int)sizeof(line))
		return;
	if (!strcmp(lib_cfg.stats_path, "-")) {
		if (write(STDERR_FILENO, line, n) < 0)
			return;
		return;
	}
	fd = open(lib_cfg.stats_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		  0644);
	if (fd < 0 || write(fd, line, n) != n)
		lib_say("%s='%s': counts not written: %s", LIB_ENV_STATS,
			lib_cfg.stats_path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* --- The calls the library passes on ------------------------------------- */

typedef long (*lib_syscall_fn)(long, ...);
typedef int (*lib_waitid_fn)(idtype_t, id_t, siginfo_t *, int);

static void *lib_next(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);

	if (!fn)
		lib_say("%s not found in the libraries after this one: %s",
			name, dlerror());
	return fn;
}

static long lib_real_syscall(long nr, long a0, long a1, long a2, long a3,
			     long a4, long a5)
{
	static lib_syscall_fn fn;

	if (!fn)
		fn = (lib_syscall_fn)lib_next("syscall");
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	return fn(nr, a0, a1, a2, a3, a4, a5);
}

static int lib_real_waitid(idtype_t type, id_t id, siginfo_t *si, int options)
{
	static lib_waitid_fn fn;

	if (!fn)
		fn = (lib_waitid_fn)lib_next("waitid");
	if (!fn) {
		errno = ENOSYS;
		return -1;
	}
	return fn(type, id, si, options);
}

/* --- The route: /dev/pidfd, or the kernel's own calls --------------------- */

static pthread_once_t lib_route_once = PTHREAD_ONCE_INIT;
static bool lib_routed;		/* /dev/pidfd answers */
static dev_t lib_dev_rdev;

/*
 * Decided once, at the first pidfd call (or at load with
 * PIDFD_MOD_PRELOAD_NS, which needs the device), so a program that never
 * uses pidfds gets no extra fd.
 */
static void lib_route_decide(void)
{
	struct stat st;
	int dev = pidfd_mod_dev();

	if (dev >= 0 && !fstat(dev, &st)) {
		lib_dev_rdev = st.st_rdev;
		lib_routed = true;
		if (lib_cfg.verbose)
			lib_say("pidfd calls of %s go through %s%s%s",
				program_invocation_short_name,
				PIDFD_MOD_DEVICE,
				lib_cfg.ns_path ? ", pids in " : "",
				lib_cfg.ns_path ? lib_cfg.ns_path : "");
		return;
	}
	if (lib_cfg.verbose)
		lib_say("%s: %s; pidfd calls of %s go to the kernel's own system calls",
			PIDFD_MOD_DEVICE, strerror(errno),
			program_invocation_short_name);
}

static bool lib_route(void)
{
	pthread_once(&lib_route_once, lib_route_decide);
	return lib_routed;
}

/*
 * The device fd, open again if the program closed it: a program that
 * closes every fd (as daemons do) may have given its number to another
 * file, which must never see our ioctls.  -1 with errno when it cannot be
 * opened again.
 */
static int lib_dev(void)
{
	struct stat st;
	int dev = pidfd_mod_dev();

	if (dev >= 0 && !fstat(dev, &st) && S_ISCHR(st.st_mode) &&
	    st.st_rdev == lib_dev_rdev)
		return dev;
	pidfd_mod_dev_reset();
	dev = pidfd_mod_dev();
	if (dev < 0)
		return -1;
	if (fstat(dev, &st) || st.st_rdev != lib_dev_rdev) {
		errno = ENODEV;
		return -1;
	}
	return dev;
}

/*
 * The pinned namespace (-1 without the setting), open again from its path
 * if the program closed the fd, but only if the path still names the same
 * namespace; otherwise -1 with errno ESRCH, as for a number that is gone.
 */
static int lib_ns(void)
{
	struct stat st;

	if (!lib_cfg.ns_path)
		return -1;
	if (!fstat(lib_nsfd, &st) && st.st_dev == lib_ns_st.st_dev &&
	    st.st_ino == lib_ns_st.st_ino)
		return lib_nsfd;
	lib_nsfd = open(lib_cfg.ns_path, O_RDONLY | O_CLOEXEC);
	if (lib_nsfd >= 0 && !fstat(lib_nsfd, &st) &&
	    st.st_dev == lib_ns_st.st_dev && st.st_ino == lib_ns_st.st_ino)
		return lib_nsfd;
	if (lib_nsfd >= 0)
		close(lib_nsfd);
	lib_nsfd = -1;
	lib_say("%s='%s' no longer names the pid namespace it named at start",
		LIB_ENV_NS, lib_cfg.ns_path);
	errno = ESRCH;
	return -2;
}

/* The result of a call, traced at PIDFD_MOD_PRELOAD_VERBOSE=2. */
static long lib_trace(long ret, bool module, const char *fmt, ...)
{
	int saved = errno;
	char call[200];
	va_list ap;

	if (lib_cfg.verbose < 2)
		return ret;
	va_start(ap, fmt);
	vsnprintf(call, sizeof(call), fmt, ap);
	va_end(ap);
	if (ret < 0)
		lib_say("%s = -1 %s (%s)", call, strerror(saved),
			module ? PIDFD_MOD_DEVICE : "native");
	else
		lib_say("%s = %ld (%s)", call, ret,
			module ? PIDFD_MOD_DEVICE : "native");
	errno = saved;
	return ret;
}

/* --- pidfd_open ---------------------------------------------------------- */

static int lib_open(pid_t pid, unsigned int flags)
{
	unsigned int mod_flags = 0;
	int nsfd, ret;

	if (!lib_route()) {
		lib_count(open_native);
		ret = lib_real_syscall(SYS_pidfd_open, pid, flags, 0, 0, 0, 0);
		return lib_trace(ret, false, "pidfd_open(%d, %#x)", pid, flags);
	}
	/* Native pidfd_open() refuses a flag it does not know first. */
	if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD)) {
		errno = EINVAL;
		return lib_trace(-1, true, "pidfd_open(%d, %#x)", pid, flags);
	}
	if (flags & PIDFD_NONBLOCK)
		mod_flags |= PIDFD_MOD_NONBLOCK;
	if (flags & PIDFD_THREAD)
		mod_flags |= PIDFD_MOD_THREAD;
	lib_count(open_module);
	nsfd = lib_ns();
	if (nsfd == -2 || lib_dev() < 0)
		ret = -1;
	else
		ret = pidfd_mod_open(pid, nsfd, mod_flags);
	return lib_trace(ret, true, "pidfd_open(%d, %#x)", pid, flags);
}

__attribute__((visibility("default")))
int pidfd_open(pid_t pid, unsigned int flags)
{
	return lib_open(pid, flags);
}

/*
 * Whether @fd is a pidfd of the module: 1, 0 for any other file, -1 when
 * /proc cannot tell.  The module's commands accept native pidfds and /proc
 * directories too, so they cannot tell; the file's name can, and names it
 * whatever its process's state: "anon_inode:[pidfd_mod]".
 */
static int lib_is_module_fd(int fd)
{
	static const char name[] = "anon_inode:[pidfd_mod]";
	char path[40], link[sizeof(name) + 1];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	if (n < 0)
		return errno == ENOENT ? 0 : -1;
	return n == (ssize_t)sizeof(name) - 1 && !memcmp(link, name, n);
}

/* --- pidfd_send_signal --------------------------------------------------- */

static int lib_send_signal_native(int fd, int sig, siginfo_t *info,
				  unsigned int flags)
{
	int ret;

	lib_count(send_signal_native);
	ret = lib_real_syscall(SYS_pidfd_send_signal, fd, sig, (long)info,
			       flags, 0, 0);
	return lib_trace(ret, false, "pidfd_send_signal(%d, %d, %p, %#x)", fd,
			 sig, (void *)info, flags);
}

static int lib_send_signal(int fd, int sig, siginfo_t *info, unsigned int flags)
{
	unsigned int mod_flags = 0;
	int ret;

	/* Another file, a native pidfd included: the kernel's own call. */
	if (!lib_route() || !lib_is_module_fd(fd))
		return lib_send_signal_native(fd, sig, info, flags);
	if (flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP |
		      PIDFD_SIGNAL_PROCESS_GROUP)) {
		errno = EINVAL;
		return lib_trace(-1, true, "pidfd_send_signal(%d, %d, %p, %#x)",
				 fd, sig, (void *)info, flags);
	}
	if (flags & PIDFD_SIGNAL_THREAD)
		mod_flags |= PIDFD_MOD_SIGNAL_THREAD;
	if (flags & PIDFD_SIGNAL_THREAD_GROUP)
		mod_flags |= PIDFD_MOD_SIGNAL_THREAD_GROUP;
	if (flags & PIDFD_SIGNAL_PROCESS_GROUP)
		mod_flags |= PIDFD_MOD_SIGNAL_PROCESS_GROUP;
	if (lib_dev() < 0) {
		lib_count(send_signal_module);
		return lib_trace(-1, true, "pidfd_send_signal(%d, %d, %p, %#x)",
				 fd, sig, (void *)info, flags);
	}
	ret = pidfd_mod_send_signal(fd, sig, info, mod_flags);
	/*
	 * The device is open for writing, so EBADF says that @fd is not one
	 * of the module's pidfds: a native pidfd, a /proc/PID directory or
	 * no pidfd at all, which the kernel's own call judges.
	 */
	if (ret < 0 && errno == EBADF)
		return lib_send_signal_native(fd, sig, info, flags);
	lib_count(send_signal_module);
	return lib_trace(ret, true, "pidfd_send_signal(%d, %d, %p, %#x)", fd,
			 sig, (void *)info, flags);
}

__attribute__((visibility("default")))
int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
	return lib_send_signal(pidfd, sig, info, flags);
}

/* --- waitid(P_PIDFD) ----------------------------------------------------- */

/* The wait itself: through waitid() or, for syscall(2) callers, raw. */
static int lib_do_waitid(bool raw, idtype_t type, id_t id, siginfo_t *si,
			 int options, struct rusage *ru)
{
	if (raw)
		return lib_real_syscall(SYS_waitid, type, id, (long)si, options,
					(long)ru, 0);
	return lib_real_waitid(type, id, si, options);
}

/*
 * waitid(P_PIDFD, fd) on a pidfd of the module, which the kernel's
 * waitid() does not know: waitid(P_PID) of the number of its process.
 *
 * Waiting by number is racy in general, but not here: the library waits
 * only for a process whose parent is the caller (INFO's ppid is the
 * caller's process), and a child's number cannot be given to another
 * process until its parent reaps it.  Between the INFO and the wait the
 * number can therefore change hands only if the caller itself reaps the
 * child in between (another thread, or a SIGCHLD handler waiting for any
 * child), and a program that reaps a child twice at once races with
 * itself natively too (one of the waits fails with ECHILD).  Every other
 * process is refused with ECHILD, as the kernel refuses a pidfd of a
 * process that is not the caller's child: for one that is not, the
 * number could be reused between the two calls, so the library does not
 * look it up (unlike native waitid(), it does not wait for a tracee that
 * is not the caller's child).  A process that has been reaped is ECHILD
 * as natively.
 *
 * A pidfd opened with PIDFD_NONBLOCK makes the wait non-blocking, and
 * gives EAGAIN where the kernel would have blocked, as native waitid()
 * does with such a pidfd (Linux 5.10).
 */
static int lib_waitid_module(bool raw, int fd, siginfo_t *si, int options,
			     struct rusage *ru, const struct pidfd_mod_info *info)
{
	int fl, ret, opts = options;

	if (!(info->valid & PIDFD_MOD_INFO_PIDS) || info->pid <= 0 ||
	    info->state == PIDFD_MOD_STATE_REAPED ||
	    info->pid != info->tgid || info->ppid != getpid()) {
		errno = ECHILD;
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK))
		opts |= WNOHANG;
	if (si)
		memset(si, 0, sizeof(*si));
	ret = lib_do_waitid(raw, P_PID, info->pid, si, opts, ru);
	if (!ret && si && !si->si_pid && (opts & WNOHANG) &&
	    !(options & WNOHANG)) {
		errno = EAGAIN;
		return -1;
	}
	return ret;
}

static int lib_waitid(bool raw, int fd, siginfo_t *si, int options,
		      struct rusage *ru)
{
	struct pidfd_mod_info info;
	int ret;

	if (lib_route() && lib_dev() >= 0 && lib_is_module_fd(fd)) {
		ret = pidfd_mod_info(fd, -1, &info);
		if (!ret) {
			lib_count(waitid_module);
			ret = lib_waitid_module(raw, fd, si, options, ru, &info);
			return lib_trace(ret, true,
					 "waitid(P_PIDFD, %d, %#x) as P_PID %d",
					 fd, options, info.pid);
		}
		/*
		 * A pidfd of the module whose target is gone without a
		 * record (ESRCH): reaped, as natively ECHILD.
		 */
		if (errno != EBADF) {
			lib_count(waitid_module);
			if (errno == ESRCH)
				errno = ECHILD;
			return lib_trace(-1, true, "waitid(P_PIDFD, %d, %#x)",
					 fd, options);
		}
	}
	/* Not a pidfd of the module (EBADF): the kernel's own call. */
	lib_count(waitid_native);
	ret = lib_do_waitid(raw, P_PIDFD, fd, si, options, ru);
	return lib_trace(ret, false, "waitid(P_PIDFD, %d, %#x)", fd, options);
}

__attribute__((visibility("default")))
int waitid(idtype_t type, id_t id, siginfo_t *si, int options)
{
	if (type == P_PIDFD)
		return lib_waitid(false, (int)id, si, options, NULL);
	return lib_real_waitid(type, id, si, options);
}

/* --- syscall(2) ---------------------------------------------------------- */

/*
 * syscall() is variadic: its callers pass as many arguments as the system
 * call takes, and the C library's own syscall() reads six whatever was
 * passed (they are registers, or stack slots of the caller's frame).  So
 * does this one, and passes all six on.
 */
__attribute__((visibility("default")))
long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	switch (nr) {
	case SYS_pidfd_open:
		return lib_open((pid_t)a[0], (unsigned int)a[1]);
	case SYS_pidfd_send_signal:
		return lib_send_signal((int)a[0], (int)a[1], (siginfo_t *)a[2],
				       (unsigned int)a[3]);
	case SYS_waitid:
		if ((int)a[0] == P_PIDFD)
			return lib_waitid(true, (int)a[1], (siginfo_t *)a[2],
					  (int)a[3], (struct rusage *)a[4]);
		break;
	}
	return lib_real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* --- Load and exit ------------------------------------------------------- */

__attribute__((constructor)) static void lib_init(void)
{
	lib_check_names();
	lib_read_verbose();
	lib_read_stats();
	lib_read_ns();
	if (lib_cfg.ns_path)
		lib_route();
	pthread_atfork(NULL, NULL, lib_counts_reset);
}

__attribute__((destructor)) static void lib_fini(void)
{
	lib_write_stats();
}
