// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection with fail-nth: for n = 1, 2, ... the n-th fault site the
 * calling thread reaches fails (slab allocations through failslab, user
 * copies through fail_usercopy) until the call runs through without
 * reaching the n-th site.
 *
 * Every ioctl's success path, one call shape per case.  Each injected
 * failure must give a documented errno for the command (tests/errtab.h) or
 * a correct success, leave no fd behind (the lowest free fd is unchanged),
 * and leave the module working.  Injection must also be seen to work: at
 * least one injected failure must change the call's result, and the first
 * ones must be the sites known to be there, with their errnos (the copy of
 * the argument: EFAULT; the new file of OPEN: ENOMEM; the queue
 * entry of an RT signal: EAGAIN; ...).  A call shape that no injection
 * changes fails: it means fail-nth no longer reaches the module.
 *
 * The module's init: the module is unloaded and loaded again with faults
 * injected into finit_module(), counting only the fault sites under the
 * module's init function (the stack-trace filter of the fault attributes),
 * so that every site of the init is failed in turn, not only the loader's.
 * A failed load must leave neither /dev/pidfd nor /sys/module/pidfd_mod,
 * and the next plain load must work.  At the end the module is loaded as
 * before.  On x86-64, 6.1 has no stack-trace filter, so there this case
 * is skipped.
 *
 * The guest's final rmmod and kmemleak scan show that no reference or
 * allocation was lost.
 *
 * Needs CONFIG_FAULT_INJECTION (/proc/thread-self/fail-nth) and
 * CONFIG_FAILSLAB with debugfs (/sys/kernel/debug/failslab).  Stock kernels
 * have neither and every case is skipped, saying why; on the debug kernel
 * (the one with kmemleak) their absence is a failure.
 */
#include <sys/utsname.h>

#include "util.h"
#include "errtab.h"

/* Delivery through send_sig_info() needs unchecked_signals: fault sites on every delivery path. */
USE_UNCHECKED_SIGNALS()

#define DEBUGFS		"/sys/kernel/debug"
#define FAILNTH		"/proc/thread-self/fail-nth"
#define FAILSLAB	DEBUGFS "/failslab"
#define FAILUSERCOPY	DEBUGFS "/fail_usercopy"
#define KMEMLEAK	DEBUGFS "/kmemleak"
#define MAX_N		3000
#define MAX_SEQ		64	/* injected failures kept, in order */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

/* The first line of @path, without its newline; -1 if unreadable. */
static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * The debug kernel is the one with kmemleak.  It is built with fault
 * injection, so there a missing piece of it is a failure, never a skip.
 */
static int debug_kernel(void)
{
	return access(KMEMLEAK, F_OK) == 0;
}

#define NO_INJECTION(...)						\
	do {								\
		if (debug_kernel())					\
			TH_FAIL(1, "debug kernel (%s exists), but " __VA_ARGS__); \
		SKIP(__VA_ARGS__);					\
	} while (0)

/* Arm: the @n-th fault site from now fails. */
static void arm(int fd, int n)
{
	char b[16];

	snprintf(b, sizeof(b), "%d", n);
	if (pwrite(fd, b, strlen(b), 0) < 0)
		TH_FAIL(1, "writing %s: %s", FAILNTH, strerror(errno));
}

/*
 * Skip unless fail-nth, failslab and fail_usercopy are there; configure
 * failslab, and check that fail-nth injects at all.
 */
static int setup(void)
{
	ssize_t r;
	char b[16];
	int fd, e;

	fd = open(FAILNTH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		NO_INJECTION("%s: %s (kernel without CONFIG_FAULT_INJECTION)",
			     FAILNTH, strerror(errno));
	if (access(FAILSLAB, F_OK))
		NO_INJECTION("%s: %s (kernel without CONFIG_FAILSLAB or debugfs)",
			     FAILSLAB, strerror(errno));
	/* Every command's first fault site is the copy of its argument. */
	if (access(FAILUSERCOPY, F_OK))
		NO_INJECTION("%s: %s (kernel without CONFIG_FAULT_INJECTION_USERCOPY)",
			     FAILUSERCOPY, strerror(errno));
	/*
	 * GFP_KERNEL allocations are exempt by default; the module's are
	 * GFP_KERNEL.  Probability stays 0, so only fail-nth injects, and
	 * only in this thread.  One console line per failure, no stack.
	 */
	if (write_str(FAILSLAB "/ignore-gfp-wait", "N") ||
	    write_str(FAILSLAB "/verbose", "1"))
		NO_INJECTION("cannot configure %s: %s", FAILSLAB, strerror(errno));
	write_str(FAILUSERCOPY "/verbose", "1");
	/*
	 * With 1 armed, reading fail-nth back must fail: its own copy to
	 * user space is the first fault site.  Otherwise nothing injects,
	 * and every call would seem to get past every fault.  (A reset that
	 * fails with EFAULT was itself the armed fault, and is the reset.)
	 */
	arm(fd, 1);
	errno = 0;
	r = pread(fd, b, sizeof(b) - 1, 0);
	e = errno;
	if (pwrite(fd, "0", 1, 0) < 0 && errno != EFAULT)
		TH_FAIL(1, "resetting %s: %s", FAILNTH, strerror(errno));
	if (r >= 0 || e != EFAULT)
		TH_FAIL(1, "%s does not inject: read back with 1 armed, it gave %s, want EFAULT",
			FAILNTH, r >= 0 ? "data" : strerror(e));
	return fd;
}

/*
 * Disarm and report whether a fault was injected: the counter reached 0.
 * Reading and writing copy to and from user space, themselves fault sites
 * while the counter runs: a read that fails with EFAULT means the counter
 * was 1 (the call did not reach the n-th site) and is 0 now; a reset that
 * fails with EFAULT took the counter from 1 to 0, which is the reset.
 */
static int disarm(int fd)
{
	char b[16] = "";
	ssize_t r = pread(fd, b, sizeof(b) - 1, 0);
	int injected = r > 0 && atoi(b) == 0;

	if (r < 0 && errno != EFAULT)
		TH_FAIL(1, "reading %s: %s", FAILNTH, strerror(errno));
	if (pwrite(fd, "0", 1, 0) < 0 && errno != EFAULT)
		TH_FAIL(1, "resetting %s: %s", FAILNTH, strerror(errno));
	return injected;
}

/* Append printf-style text to a fixed buffer, truncating quietly. */
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t off = strlen(buf);
	va_list ap;

	if (off + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
}

/* --- The ioctls ------------------------------------------------------------ */

/* A fault site whose injected failure is known to change the result. */
struct site {
	int err;
	const char *what;
};

struct op {
	const char *name;
	int cmd;
	int makes_fd;
	int (*run)(void);
	/*
	 * The first injected failures that change the result, in order
	 * (sites an injected failure does not change, such as kmemleak's
	 * own bookkeeping, are not in the list); ends with { 0 }.
	 */
	const struct site *expect;
	/* Run before and after each call, with nothing injected. */
	void (*prepare)(void);
	void (*finish)(void);
};

static int procroot = -1, target_fd = -1, self_fd = -1, thread_fd = -1;
static int native_fd = -1;
static __u64 target_id;		/* read before any fault is armed */
static int nsfd = -1;
static pid_t target;

static int op_features(void)
{
	struct pidfd_mod_features f;

	return pidfd_mod_features(&f);
}

static int op_open(void)
{
	return pidfd_mod_open(target, -1, 0);
}

static int op_open_thread(void)
{
	return pidfd_mod_open(target, -1, PIDFD_MOD_THREAD | PIDFD_MOD_NONBLOCK);
}

static int op_open_nsfd(void)
{
	return pidfd_mod_open(target, nsfd, 0);
}

/*
 * The first pidfd of a process: of one forked for each call, which no
 * pidfd of the module has named, so the call makes its record and dentry,
 * and all of their error paths are taken in turn.
 */
static pid_t fresh;

static void fresh_start(void)
{
	fresh = spawn_sleeper();
	ASSERT_GE(fresh, 0);
}

static void fresh_end(void)
{
	kill_reap(fresh);
}

static int op_open_first(void)
{
	return pidfd_mod_open(fresh, -1, 0);
}

static int op_procfd(void)
{
	return pidfd_mod_procfd_open(procroot, target_fd, 0);
}

static int op_procfd_thread(void)
{
	return pidfd_mod_procfd_open(procroot, thread_fd, 0);
}

static int op_signal(void)
{
	return pidfd_mod_send_signal(target_fd, SIGUSR1, NULL, 0);
}

static int op_signal_thread(void)
{
	return pidfd_mod_send_signal(target_fd, SIGUSR1, NULL,
				     PIDFD_MOD_SIGNAL_THREAD);
}

static int op_signal_info(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR2;
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 7;
	/* To ourselves: the only target a caller-built siginfo may have. */
	return pidfd_mod_send_signal(self_fd, SIGUSR2, &si, 0);
}

static int op_signal_rt(void)
{
	return pidfd_mod_send_signal(target_fd, SIGRTMIN + 1, NULL,
				     PIDFD_MOD_SIGNAL_THREAD);
}

static int op_info(void)
{
	struct pidfd_mod_info i;

	return pidfd_mod_info(thread_fd, nsfd, &i);
}

static int op_open_id(void)
{
	return pidfd_mod_open_id(target_id, -1, 0);
}

static int op_import(void)
{
	return pidfd_mod_import(native_fd, 0);
}

static int op_translate(void)
{
	return pidfd_mod_translate(target, nsfd, -1,
				   PIDFD_MOD_TRANSLATE_TGID) < 0 ? -1 : 0;
}

/* Every command first copies its argument in (pidfd_mod_copy_ucmd()). */
#define ARG_IN	{ EFAULT, "copy of the argument structure" }

static const struct site expect_features[] = {
	ARG_IN,
	{ EFAULT, "copy of the result to the caller" },
	{ 0 }
};

static const struct site expect_open[] = {
	ARG_IN,
	{ ENOMEM, "the new struct file (dentry_open), the target holding a module pidfd" },
	{ 0 }
};

static const struct site expect_open_first[] = {
	ARG_IN,
	{ ENOMEM, "the process's record (pidfd_mod_record_get)" },
	{ 0 }
};

static const struct site expect_procfd[] = {
	ARG_IN,
	{ ENOMEM, "the name file_open_root() walks (getname_kernel)" },
	{ 0 }
};

/*
 * A signal below SIGRTMIN without a caller's siginfo is delivered even
 * when its queue entry cannot be allocated (the kernel drops only the
 * siginfo): the argument copy is the one site that fails the call.
 */
static const struct site expect_signal[] = {
	ARG_IN,
	{ 0 }
};

static const struct site expect_signal_info[] = {
	ARG_IN,
	{ EFAULT, "copy of the caller's siginfo" },
	{ 0 }
};

static const struct site expect_signal_rt[] = {
	ARG_IN,
	{ EAGAIN, "the queue entry of a real-time signal (__sigqueue_alloc)" },
	{ 0 }
};

static const struct site expect_info[] = {
	ARG_IN,
	{ EFAULT, "copy of the result to the caller" },
	{ 0 }
};

static const struct site expect_translate[] = {
	ARG_IN,
	{ EFAULT, "copy of the result to the caller" },
	{ 0 }
};

/* Take whatever signals ops sent to us. */
static void drain(void)
{
	struct timespec ts = { 0, 0 };
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	while (sigtimedwait(&s, NULL, &ts) > 0)
		;
}

static void setup_targets(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	target = fork();
	ASSERT_GE(target, 0);
	if (target == 0) {
		sigset_t all;

		/* Blocked signals stay queued: every RT one takes a sigqueue. */
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	target_fd = pidfd_mod_open(target, -1, 0);
	thread_fd = pidfd_mod_open(target, -1, PIDFD_MOD_THREAD);
	self_fd = pidfd_mod_open(getpid(), -1, 0);
	native_fd = sys_pidfd_open(target, 0);
	target_id = pidfd_mod_id(target_fd);
	ASSERT_GE(procroot, 0);
	ASSERT_GE(nsfd, 0);
	ASSERT_GE(target_fd, 0);
	ASSERT_GE(thread_fd, 0);
	ASSERT_GE(self_fd, 0);
	ASSERT_GE(native_fd, 0);
}

/*
 * Run @op with n = 1.. injected, until it runs through without reaching
 * the n-th site, then check what the failures were.
 */
static void inject(const struct op *op)
{
	int fd = setup(), n, hist[ERRTAB_MAXERR] = { 0 }, tolerated = 0;
	int undocumented = 0, e, r, injected = 0, failed = 0, i;
	int seq[MAX_SEQ], nseq = 0;
	char line[400] = "", trace[1024] = "";

	ASSERT_EQ(errtab_load(), 0);
	setup_targets();
	for (n = 1; n <= MAX_N; n++) {
		int before = next_fd();

		if (op->prepare)
			op->prepare();
		arm(fd, n);
		errno = 0;
		r = op->run();
		e = errno;
		injected = disarm(fd);
		drain();
		if (op->finish)
			op->finish();
		if (r >= 0) {
			if (op->makes_fd) {
				int fl = fcntl(r, F_GETFD);

				if (fl < 0 || !(fl & FD_CLOEXEC))
					TH_FAIL(0, "%s, fault %d: fd %d is not an open close-on-exec fd",
						op->name, n, r);
				close(r);
			} else if (r) {
				TH_FAIL(0, "%s, fault %d: returned %d", op->name, n, r);
			}
			if (!injected)
				break;		/* ran through: every site covered */
			tolerated++;
			append(trace, sizeof(trace), " %d:ok", n);
		} else {
			if (!injected)
				TH_FAIL(0, "%s: failed with %s without an injected fault (n=%d)",
					op->name, strerror(e), n);
			else if (nseq < MAX_SEQ)
				seq[nseq++] = e;
			failed++;
			append(trace, sizeof(trace), " %d:%s", n, errtab_name(e));
			if (e > 0 && e < ERRTAB_MAXERR)
				hist[e]++;
			if (!errtab_ok(op->cmd, e)) {
				undocumented++;
				th_diag("%s, fault %d: errno %s (%d) is not documented for %s (allowed: %s)",
					op->name, n, errtab_name(e), e,
					errtab_cmd_names[op->cmd], errtab_describe(op->cmd));
			}
		}
		if (next_fd() != before)
			TH_FAIL(0, "%s, fault %d: fd leak (next free fd %d, was %d)",
				op->name, n, next_fd(), before);
	}
	if (n > MAX_N)
		TH_FAIL(0, "%s: still failing after %d injected faults", op->name, MAX_N);
	append(line, sizeof(line),
	       "%s: %d fault site(s) on the success path; %d tolerated;",
	       op->name, n - 1, tolerated);
	for (e = 1; e < ERRTAB_MAXERR; e++)
		if (hist[e])
			append(line, sizeof(line), " %s x%d", errtab_name(e), hist[e]);
	th_diag("%s", line);
	th_diag("%s: n:result%s %d:ran through", op->name, trace, n);

	/* Injection must have reached the module and changed the result. */
	if (!failed)
		TH_FAIL(0, "%s: no injected fault changed the result (%d site(s) reached): fail-nth does not reach the module",
			op->name, n - 1);
	/* The known sites, in order, with their errnos. */
	for (i = 0; op->expect[i].err; i++) {
		if (i >= nseq) {
			TH_FAIL(0, "%s: injected failure %d should be %s from %s, but there were only %d",
				op->name, i + 1, errtab_name(op->expect[i].err),
				op->expect[i].what, nseq);
			break;
		}
		if (seq[i] != op->expect[i].err)
			TH_FAIL(0, "%s: injected failure %d is %s, want %s from %s",
				op->name, i + 1, errtab_name(seq[i]),
				errtab_name(op->expect[i].err), op->expect[i].what);
	}

	/* Still works, with nothing injected. */
	if (op->prepare)
		op->prepare();
	r = op->run();
	EXPECT_GE(r, 0);
	if (r > 0 && op->makes_fd)
		close(r);
	drain();
	if (op->finish)
		op->finish();
	EXPECT_EQ(op_features(), 0);
	EXPECT_EQ(undocumented, 0);
	write_str(FAILSLAB "/ignore-gfp-wait", "Y");
	kill_reap(target);
}

#define OP(fn, c, fdp, exp) \
	{ .name = #fn, .cmd = PIDFD_MOD_CMD_##c, .makes_fd = fdp, .run = op_##fn, \
	  .expect = exp }

TEST(faults_features)
{
	static const struct op o = OP(features, FEATURES, 0, expect_features);

	inject(&o);
}

TEST(faults_open)
{
	static const struct op o = OP(open, OPEN, 1, expect_open);

	inject(&o);
}

TEST(faults_open_first)
{
	static const struct op o = {
		.name = "open_first", .cmd = PIDFD_MOD_CMD_OPEN, .makes_fd = 1,
		.run = op_open_first, .expect = expect_open_first,
		.prepare = fresh_start, .finish = fresh_end,
	};

	inject(&o);
}

TEST(faults_open_thread)
{
	static const struct op o = OP(open_thread, OPEN, 1, expect_open);

	inject(&o);
}

TEST(faults_open_nsfd)
{
	static const struct op o = OP(open_nsfd, OPEN, 1, expect_open);

	inject(&o);
}

TEST(faults_procfd)
{
	static const struct op o = OP(procfd, PROCFD, 1, expect_procfd);

	inject(&o);
}

TEST(faults_procfd_thread)
{
	static const struct op o = OP(procfd_thread, PROCFD, 1, expect_procfd);

	inject(&o);
}

TEST(faults_send_signal)
{
	static const struct op o = OP(signal, SEND_SIGNAL, 0, expect_signal);

	inject(&o);
}

TEST(faults_send_signal_thread)
{
	static const struct op o = OP(signal_thread, SEND_SIGNAL, 0, expect_signal);

	inject(&o);
}

TEST(faults_send_signal_info)
{
	static const struct op o = OP(signal_info, SEND_SIGNAL, 0,
				      expect_signal_info);

	inject(&o);
}

TEST(faults_send_signal_rt)
{
	static const struct op o = OP(signal_rt, SEND_SIGNAL, 0, expect_signal_rt);

	inject(&o);
}

TEST(faults_info)
{
	static const struct op o = OP(info, INFO, 0, expect_info);

	inject(&o);
}

TEST(faults_open_id)
{
	static const struct op o = OP(open_id, OPEN_ID, 1, expect_open);

	inject(&o);
}

TEST(faults_import)
{
	static const struct op o = OP(import, IMPORT, 1, expect_open);

	inject(&o);
}

TEST(faults_translate)
{
	static const struct op o = OP(translate, TRANSLATE, 0, expect_translate);

	inject(&o);
}

/* --- The module's load ----------------------------------------------------- */

#define MODULE_NAME	"pidfd_mod"
#define MODULE_KO	"/lib/modules/pidfd_mod.ko"	/* as the guest has it */
#define MODULE_SYSFS	"/sys/module/" MODULE_NAME
#define UNCHECKED_PARAM	MODULE_SYSFS "/parameters/unchecked_signals"
#define KUNIT_GLOB	"/sys/module/kunit/parameters/filter_glob"
#define MAX_FILTERS	16

struct filter {
	char dir[300];
	char start[40], end[40], depth[16];
};

struct load_ctx {
	int failfd, ko, kmsg;
	char unchecked[8];	/* the parameter as it was */
	char kunit_glob[256];	/* KUnit's filter as it was, if any */
	int kunit_paused;
	struct filter filters[MAX_FILTERS];
	int nfilters;
};

struct load_run {
	const char *name;
	int max_n;
	double deadline;	/* monotonic seconds */
	int sites, failures, tolerated, completed;
	int hist[ERRTAB_MAXERR];
	int probe_msgs;		/* failures the tracepoint probe reported */
	char trace[2048];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sys_finit_module(int fd)
{
	return syscall(SYS_finit_module, fd, "", 0);
}

static int module_loaded(void)
{
	return access(MODULE_SYSFS, F_OK) == 0;
}

static int dev_exists(void)
{
	struct stat st;

	return lstat(PIDFD_MOD_DEVICE, &st) == 0;
}

/* rmmod; a process that is just exiting may hold the module a moment. */
static int unload(void)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (!syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK))
			return 0;
		if (errno != EWOULDBLOCK && errno != EBUSY)
			return -1;
		usleep(20000);
	}
	return -1;
}

/* /dev/pidfd is a mode 0666 character device that answers FEATURES. */
static int usable(const char *when)
{
	struct pidfd_mod_features f;
	struct stat st;
	int fd, r;

	if (stat(PIDFD_MOD_DEVICE, &st) || !S_ISCHR(st.st_mode) ||
	    (st.st_mode & 07777) != 0666) {
		TH_FAIL(0, "%s: %s is missing or not a mode 0666 character device",
			when, PIDFD_MOD_DEVICE);
		return 0;
	}
	fd = open(PIDFD_MOD_DEVICE, O_RDWR | O_CLOEXEC);
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	r = fd < 0 ? -1 : ioctl(fd, PIDFD_MOD_IOC_FEATURES, &f);
	if (r) {
		TH_FAIL(0, "%s: FEATURES through a new open of %s: %s", when,
			PIDFD_MOD_DEVICE, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return !r;
}

/* Neither the device node nor the module's sysfs directory is there. */
static int gone(const char *when)
{
	int ok = 1;

	if (dev_exists()) {
		TH_FAIL(0, "%s: %s exists", when, PIDFD_MOD_DEVICE);
		ok = 0;
	}
	if (module_loaded()) {
		TH_FAIL(0, "%s: %s exists", when, MODULE_SYSFS);
		ok = 0;
	}
	return ok;
}

/* The kernel log from now on, read without waiting. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The module's own messages ("pidfd_mod: ...") since the last call. */
static void kmsg_take(int fd, char *out, size_t len)
{
	char rec[2048], *msg;
	ssize_t n;

	out[0] = '\0';
	while (fd >= 0) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (!strncmp(msg, MODULE_NAME ": ", strlen(MODULE_NAME ": ")))
			append(out, len, "%s%s", out[0] ? " | " : "", msg);
	}
}

/*
 * The address range of the kernel text symbol @name: from its address to
 * the next symbol's.  0 with both set, -1 if not found or hidden.
 */
static int symbol_range(const char *name, unsigned long *start,
			unsigned long *end)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char l[512], sym[256], type;
	unsigned long a;

	*start = 0;
	*end = ULONG_MAX;
	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f)) {
		if (sscanf(l, "%lx %c %255s", &a, &type, sym) == 3 &&
		    (type == 'T' || type == 't') && !strcmp(sym, name) &&
		    !strchr(l, '[')) {
			*start = a;
			break;
		}
	}
	if (*start) {
		rewind(f);
		while (fgets(l, sizeof(l), f))
			if (sscanf(l, "%lx %c %255s", &a, &type, sym) == 3 &&
			    a > *start && a < *end && !strchr(l, '['))
				*end = a;
	}
	fclose(f);
	return *start && *end != ULONG_MAX ? 0 : -1;
}

/* Save the stack-trace filter of every fault attribute in debugfs. */
static int filters_save(struct load_ctx *c)
{
	DIR *d = opendir(DEBUGFS);
	struct dirent *e;
	char p[400];

	c->nfilters = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) && c->nfilters < MAX_FILTERS) {
		struct filter *f = &c->filters[c->nfilters];

		if (strncmp(e->d_name, "fail", 4))
			continue;
		snprintf(f->dir, sizeof(f->dir), DEBUGFS "/%s", e->d_name);
		snprintf(p, sizeof(p), "%s/require-start", f->dir);
		if (read_str(p, f->start, sizeof(f->start)))
			continue;
		snprintf(p, sizeof(p), "%s/require-end", f->dir);
		if (read_str(p, f->end, sizeof(f->end)))
			continue;
		snprintf(p, sizeof(p), "%s/stacktrace-depth", f->dir);
		if (read_str(p, f->depth, sizeof(f->depth)))
			continue;
		c->nfilters++;
	}
	closedir(d);
	return c->nfilters ? 0 : -1;
}

static const char *filter_release(void)
{
	static struct utsname u;

	return uname(&u) ? "?" : u.release;
}

/*
 * Whether the kernel's Kconfig can give the stack-trace filter at all: on
 * x86-64, 6.1's cannot ("depends on !X86_64"), 6.12's can.  Where it can,
 * the debug kernels have it, and its absence is a failure.
 */
static int filter_possible(void)
{
#ifdef __x86_64__
	int a = 0, b = 0;

	if (sscanf(filter_release(), "%d.%d", &a, &b) == 2 &&
	    (a < 6 || (a == 6 && b < 12)))
		return 0;
#endif
	return 1;
}

static int filter_write(const struct filter *f, const char *start,
			const char *end, const char *depth)
{
	char p[400];
	int r = 0;

	snprintf(p, sizeof(p), "%s/stacktrace-depth", f->dir);
	r |= write_str(p, depth);
	snprintf(p, sizeof(p), "%s/require-start", f->dir);
	r |= write_str(p, start);
	snprintf(p, sizeof(p), "%s/require-end", f->dir);
	r |= write_str(p, end);
	return r;
}

/* Count only fault sites with [@start, @end) on their stack. */
static int filters_require(struct load_ctx *c, unsigned long start,
			   unsigned long end)
{
	char s[40], e[40];
	int i, r = 0;

	snprintf(s, sizeof(s), "0x%lx", start);
	snprintf(e, sizeof(e), "0x%lx", end);
	for (i = 0; i < c->nfilters; i++)
		r |= filter_write(&c->filters[i], s, e, "32");
	return r;
}

static void filters_restore(struct load_ctx *c)
{
	int i;

	for (i = 0; i < c->nfilters; i++) {
		const struct filter *f = &c->filters[i];

		if (filter_write(f, f->start, f->end, f->depth))
			TH_FAIL(0, "cannot restore the stack-trace filter of %s", f->dir);
	}
}

/*
 * A module with KUnit suites runs them at every load, for seconds under
 * TCG.  These loads test the load only: KUnit's filter matches no suite
 * meanwhile.  Unset, the filter reads "(null)", which KUnit takes as "*.*"
 * for a module's suites; that is what it is set back to.
 */
static void kunit_pause(struct load_ctx *c)
{
	if (read_str(KUNIT_GLOB, c->kunit_glob, sizeof(c->kunit_glob)))
		return;		/* no KUnit */
	if (write_str(KUNIT_GLOB, "pidfd_mod_faults_no_suite")) {
		th_diag("cannot set %s: %s; KUnit runs at every load", KUNIT_GLOB,
			strerror(errno));
		return;
	}
	c->kunit_paused = 1;
}

static void kunit_resume(struct load_ctx *c)
{
	const char *glob = c->kunit_glob;

	if (!c->kunit_paused)
		return;
	if (!strcmp(glob, "(null)"))
		glob = "*.*";
	if (write_str(KUNIT_GLOB, glob))
		TH_FAIL(0, "restoring %s to %s: %s", KUNIT_GLOB, glob,
			strerror(errno));
}

/*
 * Unload the module (nothing of this process holds it: the cases run in
 * children that never opened /dev/pidfd before).  Skips like setup().
 */
static void load_begin(struct load_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->failfd = setup();
	if (geteuid())
		NO_INJECTION("loading modules needs root");
	c->ko = open(MODULE_KO, O_RDONLY | O_CLOEXEC);
	if (c->ko < 0)
		NO_INJECTION("%s: %s (not the test guest)", MODULE_KO, strerror(errno));
	if (!module_loaded())
		TH_FAIL(1, "%s is not loaded; the tests run with it loaded", MODULE_NAME);
	if (read_str(UNCHECKED_PARAM, c->unchecked, sizeof(c->unchecked)))
		TH_FAIL(1, "reading %s: %s", UNCHECKED_PARAM, strerror(errno));
	if (filters_save(c)) {
		if (!filter_possible())
			SKIP("kernel %s offers no stack-trace filter for fault injection on x86-64 (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER depends on !X86_64 there)",
			     filter_release());
		TH_FAIL(1, "no stack-trace filter in %s/fail*/require-start (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)",
			DEBUGFS);
	}
	c->kmsg = kmsg_open();
	if (c->kmsg < 0)
		TH_FAIL(1, "/dev/kmsg: %s", strerror(errno));
	if (unload())
		TH_FAIL(1, "rmmod %s: %s", MODULE_NAME, strerror(errno));
	kunit_pause(c);
	gone("after the first rmmod");
}

/* Load the module again as it was, whatever happened. */
static void load_end(struct load_ctx *c)
{
	filters_restore(c);
	kunit_resume(c);
	write_str(FAILSLAB "/ignore-gfp-wait", "Y");
	if (!module_loaded() && sys_finit_module(c->ko))
		TH_FAIL(0, "the final load: %s", strerror(errno));
	usable("after the final load");
	if (write_str(UNCHECKED_PARAM, c->unchecked))
		TH_FAIL(0, "restoring %s to %s: %s", UNCHECKED_PARAM,
			c->unchecked, strerror(errno));
	close(c->kmsg);
	close(c->ko);
}

/*
 * Load with n = 1.. injected until a load runs through with the counter
 * still armed, @lr->max_n loads or the deadline.  After each failed load
 * nothing may be left and a plain load must work; after each load that
 * succeeded, the device must work.  Every load is unloaded again.
 */
static void inject_load(struct load_ctx *c, struct load_run *lr)
{
	char when[80], msgs[512];
	int n, r, e, injected;
	double t0 = now();

	for (n = 1; n <= lr->max_n; n++) {
		if (now() > lr->deadline)
			break;
		snprintf(when, sizeof(when), "%s, fault %d", lr->name, n);
		kmsg_take(c->kmsg, msgs, sizeof(msgs));
		arm(c->failfd, n);
		errno = 0;
		r = sys_finit_module(c->ko);
		e = errno;
		injected = disarm(c->failfd);
		kmsg_take(c->kmsg, msgs, sizeof(msgs));
		lr->sites = n;
		if (r == 0) {
			usable(when);
			if (unload()) {
				TH_FAIL(0, "%s: rmmod after the load: %s", when,
					strerror(errno));
				break;
			}
			gone(when);
			if (!injected) {
				lr->completed = 1;
				lr->sites = n - 1;
				break;
			}
			lr->tolerated++;
			append(lr->trace, sizeof(lr->trace), " %d:ok", n);
			continue;
		}
		if (!injected) {
			TH_FAIL(0, "%s: the load failed with %s, but nothing was injected",
				when, strerror(e));
			break;
		}
		lr->failures++;
		if (e > 0 && e < ERRTAB_MAXERR)
			lr->hist[e]++;
		append(lr->trace, sizeof(lr->trace), " %d:%s", n, errtab_name(e));
		if (msgs[0])
			th_diag("%s: %s; the module said: %s", when,
				errtab_name(e), msgs);
		if (strstr(msgs, "sched_process_exit"))
			lr->probe_msgs++;
		if (!gone(when))
			break;
		/* The next plain load works. */
		if (sys_finit_module(c->ko)) {
			TH_FAIL(0, "%s: the plain load after it: %s", when,
				strerror(errno));
			break;
		}
		usable(when);
		if (unload()) {
			TH_FAIL(0, "%s: rmmod after the plain load: %s", when,
				strerror(errno));
			break;
		}
		if (!gone(when))
			break;
	}
	th_diag("%s: %d fault site(s), %d failed load(s), %d tolerated, in %.1f s%s",
		lr->name, lr->sites, lr->failures, lr->tolerated, now() - t0,
		lr->completed ? "" : " (stopped at the bound)");
	th_diag("%s: n:result%s%s", lr->name, lr->trace,
		lr->completed ? " then ran through" : "");
}

/* Whether native pidfd_open() knows PIDFD_THREAD (Linux 6.9 and later). */
static int native_thread_pidfds(void)
{
	int fd = sys_pidfd_open(getpid(), PIDFD_THREAD);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/*
 * Faults in the module's own init only: the stack-trace filter of every
 * fault attribute requires do_one_initcall(), which runs the module's
 * init function, on the stack.  Every site there must fail the load
 * cleanly (misc_register() and, on kernels without native thread pidfds,
 * the exit tracepoint's probe), and at least one must be found.
 */
TEST_TIMEOUT(faults_module_init, 240)
{
	struct load_run lr = { .name = "init", .max_n = 200 };
	unsigned long start, end;
	struct load_ctx c;
	int e;

	load_begin(&c);
	lr.deadline = now() + 180;
	if (symbol_range("do_one_initcall", &start, &end))
		TH_FAIL(0, "do_one_initcall not found in /proc/kallsyms (addresses hidden?)");
	else if (filters_require(&c, start, end))
		TH_FAIL(0, "cannot set the stack-trace filters: %s", strerror(errno));
	else
		inject_load(&c, &lr);
	load_end(&c);

	if (!lr.completed)
		TH_FAIL(0, "init: no load ran through after %d fault(s)", lr.sites);
	if (!lr.failures)
		TH_FAIL(0, "init: no injected fault failed the module's init (%d site(s) reached)",
			lr.sites);
	for (e = 1; e < ERRTAB_MAXERR; e++)
		if (lr.hist[e] && e != ENOMEM && e != EBUSY)
			TH_FAIL(0, "init: %d load(s) failed with %s, want ENOMEM (an allocation) or EBUSY (misc_register's minor)",
				lr.hist[e], errtab_name(e));
	if (!lr.hist[ENOMEM])
		TH_FAIL(0, "init: no load failed with ENOMEM from misc_register()'s device");
	if (!native_thread_pidfds() && !lr.probe_msgs)
		TH_FAIL(0, "init: no failure attaching to sched_process_exit (kernel without native thread pidfds)");
}
