// SPDX-License-Identifier: GPL-2.0
/*
 * libpidfd_mod.so, the LD_PRELOAD library: a program's pidfd calls must
 * give the module's results, and be shown to have gone through
 * /dev/pidfd by the library's counters.
 *
 * The program runs itself under the library: before main() it executes
 * itself again with LD_PRELOAD set (the library is /lib/libpidfd_mod.so in
 * the guest, PIDFD_MOD_TEST_PRELOAD_LIB elsewhere).  Every case then
 * makes the calls a program would (glibc's pidfd_open() and
 * pidfd_send_signal() wrappers, the same calls through syscall(2),
 * waitid(P_PIDFD)) and compares them with the module's own ioctls made
 * through pidfd_mod_user.h, and with the kernel's calls made through the C
 * library's syscall() behind the library's back.  Each case also checks
 * the counters, so a library that is not loaded or routes nothing fails.
 *
 * Other processes run under the library too: this program in a role
 * (PIDFD_MOD_TEST_ROLE, run before main()) with bad settings or without
 * /dev/pidfd, and two unmodified Debian programs that use pidfds,
 * procps's pidwait (pidfd_open() by syscall(2), then epoll) and python3
 * (os.pidfd_open(), signal.pidfd_send_signal(), os.waitid(P_PIDFD)).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <sys/pidfd.h>

#include "util.h"
#include "pidfd_mod_preload.h"

#define PRELOAD_LIB		"/lib/libpidfd_mod.so"
#define PRELOAD_ENV_LIB		"PIDFD_MOD_TEST_PRELOAD_LIB"
#define PRELOAD_ENV_UNDER	"PIDFD_MOD_TEST_UNDER_PRELOAD"
#define PRELOAD_ENV_ROLE	"PIDFD_MOD_TEST_ROLE"
#define PRELOAD_ENV_PIDS	"PIDFD_MOD_TEST_PIDS"
#define PRELOAD_EXIT_CONFIG	125
#define MODULE_LINK		"anon_inode:[pidfd_mod]"

/* --- The kernel's calls, behind the library's back ----------------------- */

static long native_syscall(long nr, long a, long b, long c, long d, long e)
{
	static long (*fn)(long, ...);
	void *libc;

	if (!fn) {
		libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
		fn = libc ? (long (*)(long, ...))dlsym(libc, "syscall") : NULL;
		ASSERT_TRUE(fn != NULL);
	}
	return fn(nr, a, b, c, d, e);
}

static int native_pidfd_open(pid_t pid, unsigned int flags)
{
	return native_syscall(SYS_pidfd_open, pid, flags, 0, 0, 0);
}

static int native_send_signal(int fd, int sig, siginfo_t *info,
			      unsigned int flags)
{
	return native_syscall(SYS_pidfd_send_signal, fd, sig, (long)info, flags,
			      0);
}

/* --- The library's counters --------------------------------------------- */

static void counts(struct pidfd_mod_preload_counts *c)
{
	int (*get)(struct pidfd_mod_preload_counts *, size_t);

	get = (int (*)(struct pidfd_mod_preload_counts *, size_t))
		dlsym(RTLD_DEFAULT, PIDFD_MOD_PRELOAD_COUNTS_FN);
	if (!get)
		TH_FAIL(1, "libpidfd_mod.so is not loaded (LD_PRELOAD=%s)",
			getenv("LD_PRELOAD") ?: "(unset)");
	ASSERT_EQ(0, get(c, sizeof(*c)));
}

/* Whether @fd is a pidfd of the module (not a native one). */
static int is_module_fd(int fd)
{
	char path[64], link[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	return !strcmp(link, MODULE_LINK);
}

/* --- Roles: this program as another process under the library ------------ */

/*
 * PIDFD_MOD_TEST_ROLE=open: pidfd_open() every pid of PIDFD_MOD_TEST_PIDS
 * ("self" for its own), then the counters, one line each on stdout.
 */
static void role_open(void)
{
	const char *pids = getenv(PRELOAD_ENV_PIDS) ?: "self";
	char list[256], *tok, *save;
	struct pidfd_mod_preload_counts c;
	pid_t pid;
	int fd;

	snprintf(list, sizeof(list), "%s", pids);
	for (tok = strtok_r(list, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		pid = strcmp(tok, "self") ? atoi(tok) : getpid();
		fd = pidfd_open(pid, 0);
		if (fd < 0)
			printf("open %s err %d\n", tok, errno);
		else
			printf("open %s pid %ld module %d\n", tok,
			       fdinfo_key(fd, "Pid"), is_module_fd(fd));
	}
	counts(&c);
	printf("counts open=%llu open_native=%llu\n", c.open_module,
	       c.open_native);
}

__attribute__((constructor)) static void preload_start(int argc, char **argv)
{
	const char *role = getenv(PRELOAD_ENV_ROLE);

	(void)argc;
	if (role) {
		if (!strcmp(role, "open"))
			role_open();
		else
			fprintf(stderr, "unknown role '%s'\n", role);
		fflush(stdout);
		_exit(strcmp(role, "open") ? 2 : 0);
	}
	if (getenv(PRELOAD_ENV_UNDER))
		return;
	setenv("LD_PRELOAD", getenv(PRELOAD_ENV_LIB) ?: PRELOAD_LIB, 1);
	setenv(PRELOAD_ENV_UNDER, "1", 1);
	execv("/proc/self/exe", argv);
	/* Goes on without the library: every case fails, saying so. */
	fprintf(stderr, "execv /proc/self/exe: %s\n", strerror(errno));
}

/*
 * Run @argv with the variables of @env ("NAME=VALUE", "NAME=" to unset)
 * changed, optionally without /dev/pidfd (a private /dev in a mount
 * namespace of its own); collect its stdout, stderr and wait status.
 */
struct run {
	int status;
	char out[4096];
	char err[4096];
};

static void read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	close(fd);
}

static void run_prog(struct run *r, char *const argv[],
		     const char *const env[], int hide_dev)
{
	int out[2], err[2], i;
	pid_t pid;

	ASSERT_EQ(0, pipe2(out, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(err, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		for (i = 0; env && env[i]; i++) {
			char name[128];
			const char *eq = strchr(env[i], '=');

			snprintf(name, sizeof(name), "%.*s",
				 (int)(eq - env[i]), env[i]);
			if (eq[1])
				setenv(name, eq + 1, 1);
			else
				unsetenv(name);
		}
		if (hide_dev &&
		    (unshare(CLONE_NEWNS) ||
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		     mount("tmpfs", "/dev", "tmpfs", 0, NULL))) {
			fprintf(stderr, "cannot hide /dev: %s\n", strerror(errno));
			_exit(99);
		}
		execv(argv[0], argv);
		fprintf(stderr, "execv %s: %s\n", argv[0], strerror(errno));
		_exit(98);
	}
	close(out[1]);
	close(err[1]);
	read_all(out[0], r->out, sizeof(r->out));
	read_all(err[0], r->err, sizeof(r->err));
	ASSERT_EQ(pid, waitpid(pid, &r->status, 0));
}

/* @text as "# " lines, under @title. */
static void diag_block(const char *title, const char *text)
{
	const char *e;

	th_diag("%s", title);
	while (*text) {
		e = strchr(text, '\n');
		if (!e)
			e = text + strlen(text);
		th_diag("  %.*s", (int)(e - text), text);
		text = *e ? e + 1 : e;
	}
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* This program in role "open" for @pids, with @env. */
static void run_open_role(struct run *r, const char *pids,
			  const char *const extra[], int hide_dev)
{
	char *argv[] = { "/proc/self/exe", NULL };
	char role[64], list[128];
	const char *env[16] = { role, list };
	int i, n = 2;

	snprintf(role, sizeof(role), "%s=open", PRELOAD_ENV_ROLE);
	snprintf(list, sizeof(list), "%s=%s", PRELOAD_ENV_PIDS, pids);
	for (i = 0; extra && extra[i] && n < 15; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	run_prog(r, argv, env, hide_dev);
	th_diag("role open (%s): status %#x", pids, r->status);
	diag_block("stdout:", r->out);
	diag_block("stderr:", r->err);
}

/* --- Cases --------------------------------------------------------------- */

TEST(library_loaded_and_counting)
{
	struct pidfd_mod_preload_counts before, after;
	int fd;

	counts(&before);
	fd = pidfd_open(getpid(), 0);
	ASSERT_GE(fd, 0);
	EXPECT_TRUE(is_module_fd(fd));
	counts(&after);
	EXPECT_EQ(before.open_module + 1, after.open_module);
	EXPECT_EQ(before.open_native, after.open_native);
}

/* A thread of this process that lives until the case ends. */
static pid_t preload_tid;

static void *preload_thread(void *arg)
{
	(void)arg;
	__atomic_store_n(&preload_tid, sys_gettid(), __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

static pid_t start_thread(void)
{
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, preload_thread, NULL));
	while (!__atomic_load_n(&preload_tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	return preload_tid;
}

/* One outcome: -1 and the errno, or the fd's Pid and file status flags. */
struct outcome {
	int ok;
	int err;
	long pid;
	int fl;
	int module;
};

static void outcome_of(int fd, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->ok = fd >= 0;
	o->err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		o->pid = fdinfo_key(fd, "Pid");
		o->fl = fcntl(fd, F_GETFL);
		o->module = is_module_fd(fd);
		close(fd);
	}
}

static void same_outcome(const char *what, pid_t pid, unsigned int flags,
			 const struct outcome *mod, const struct outcome *lib)
{
	if (mod->ok != lib->ok || mod->err != lib->err || mod->pid != lib->pid ||
	    mod->fl != lib->fl || (lib->ok && !lib->module))
		TH_FAIL(0, "%s(%d, %#x): module %s/pid %ld/fl %#x, library %s/pid %ld/fl %#x%s",
			what, pid, flags, mod->ok ? "fd" : strerror(mod->err),
			mod->pid, mod->fl, lib->ok ? "fd" : strerror(lib->err),
			lib->pid, lib->fl,
			lib->ok && !lib->module ? " (not a module fd)" : "");
}

TEST(open_gives_the_modules_results)
{
	static const unsigned int flags[] = {
		0, PIDFD_NONBLOCK, O_EXCL, O_EXCL | PIDFD_NONBLOCK,
		1, O_CLOEXEC, 0x80000000U,
	};
	struct pidfd_mod_preload_counts before, after;
	pid_t pids[8], zombie, reaped;
	unsigned long long routed = 0;
	struct outcome mod, wrap, raw;
	unsigned int i, j, n = 0;

	pids[n++] = getpid();
	pids[n++] = spawn_sleeper();
	zombie = spawn_exiter(3);
	ASSERT_EQ(0, wait_zombie(zombie));
	pids[n++] = zombie;
	reaped = spawn_exiter(4);
	ASSERT_EQ(4, wait_exit(reaped));
	pids[n++] = reaped;
	pids[n++] = start_thread();	/* not a leader: EINVAL without O_EXCL */
	pids[n++] = 0;
	pids[n++] = -1;
	pids[n++] = INT_MIN;

	counts(&before);
	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(flags) / sizeof(flags[0]); j++) {
			errno = 0;
			outcome_of(pidfd_mod_open(pids[i], -1, flags[j]), &mod);
			errno = 0;
			outcome_of(pidfd_open(pids[i], flags[j]), &wrap);
			errno = 0;
			outcome_of(syscall(SYS_pidfd_open, pids[i], flags[j]), &raw);
			same_outcome("pidfd_open", pids[i], flags[j], &mod, &wrap);
			same_outcome("syscall(SYS_pidfd_open)", pids[i],
				     flags[j], &mod, &raw);
			if (!(flags[j] & ~(PIDFD_NONBLOCK | O_EXCL)))
				routed += 2;
		}
	}
	counts(&after);
	EXPECT_EQ(before.open_module + routed, after.open_module);
	EXPECT_EQ(before.open_native, after.open_native);
}

struct signal_case {
	const char *what;
	int target;		/* 0 live child, 1 zombie, 2 reaped */
	int sig;
	unsigned int flags;
	int info_signo;		/* a siginfo with this si_signo, 0: none */
};

static const struct signal_case signal_cases[] = {
	{ "signal 0", 0, 0, 0, 0 },
	{ "SIGCONT", 0, SIGCONT, 0, 0 },
	{ "scope thread", 0, 0, PIDFD_SIGNAL_THREAD, 0 },
	{ "scope thread group", 0, 0, PIDFD_SIGNAL_THREAD_GROUP, 0 },
	{ "scope process group", 0, 0, PIDFD_SIGNAL_PROCESS_GROUP, 0 },
	{ "two scopes", 0, 0, PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP, 0 },
	{ "unknown flag 1<<3", 0, 0, 1U << 3, 0 },
	{ "unknown flag 1<<31", 0, 0, 1U << 31, 0 },
	{ "signal 65", 0, 65, 0, 0 },
	{ "signal -1", 0, -1, 0, 0 },
	{ "si_signo not sig", 0, SIGCONT, 0, SIGUSR2 },
	{ "SI_USER siginfo to another", 0, SIGCONT, 0, SIGCONT },
	{ "zombie", 1, 0, 0, 0 },
	{ "zombie SIGCONT", 1, SIGCONT, 0, 0 },
	{ "reaped", 2, 0, 0, 0 },
	{ "reaped two scopes", 2, 0, PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_PROCESS_GROUP, 0 },
};

static int result_of(int r)
{
	return r < 0 ? errno : 0;
}

TEST(send_signal_gives_the_modules_results)
{
	struct pidfd_mod_preload_counts before, after;
	unsigned long long routed = 0;
	int fds[3], i, m, w, s;
	pid_t zombie, reaped;
	siginfo_t si;

	fds[0] = pidfd_mod_open(spawn_sleeper(), -1, 0);
	zombie = spawn_exiter(3);
	fds[1] = pidfd_mod_open(zombie, -1, 0);
	ASSERT_EQ(0, wait_zombie(zombie));
	reaped = spawn_exiter(4);
	fds[2] = pidfd_mod_open(reaped, -1, 0);
	ASSERT_EQ(4, wait_exit(reaped));
	for (i = 0; i < 3; i++)
		ASSERT_GE(fds[i], 0);

	counts(&before);
	for (i = 0; i < (int)(sizeof(signal_cases) / sizeof(signal_cases[0])); i++) {
		const struct signal_case *c = &signal_cases[i];
		siginfo_t *info = NULL;

		if (c->info_signo) {
			memset(&si, 0, sizeof(si));
			si.si_signo = c->info_signo;
			si.si_code = SI_USER;
			si.si_pid = getpid();
			si.si_uid = getuid();
			info = &si;
		}
		errno = 0;
		m = result_of(pidfd_mod_send_signal(fds[c->target], c->sig,
						    info, c->flags));
		errno = 0;
		w = result_of(pidfd_send_signal(fds[c->target], c->sig, info,
						c->flags));
		errno = 0;
		s = result_of(syscall(SYS_pidfd_send_signal, fds[c->target],
				      c->sig, info, c->flags));
		if (m != w || m != s)
			TH_FAIL(0, "%s: module %s, pidfd_send_signal() %s, syscall() %s",
				c->what, strerror(m), strerror(w), strerror(s));
		if (!(c->flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP |
				   PIDFD_SIGNAL_PROCESS_GROUP)))
			routed += 2;
	}
	counts(&after);
	EXPECT_EQ(before.send_signal_module + routed, after.send_signal_module);
	EXPECT_EQ(before.send_signal_native, after.send_signal_native);
}

/*
 * Descriptors that are not the module's go to the kernel's own call, which
 * judges them: a native pidfd, a /proc/PID directory (native accepts
 * both), a pipe and a closed fd (EBADF).
 */
TEST(send_signal_of_other_fds_as_native)
{
	struct pidfd_mod_preload_counts before, after;
	int fds[4], p[2], i, n, l;
	char path[64];
	pid_t child = spawn_sleeper();

	fds[0] = native_pidfd_open(child, 0);
	ASSERT_GE(fds[0], 0);
	EXPECT_TRUE(!is_module_fd(fds[0]));
	snprintf(path, sizeof(path), "/proc/%d", child);
	fds[1] = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fds[1], 0);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	fds[2] = p[0];
	fds[3] = 1000;		/* not open */
	close(1000);

	counts(&before);
	for (i = 0; i < 4; i++) {
		errno = 0;
		n = result_of(native_send_signal(fds[i], 0, NULL, 0));
		errno = 0;
		l = result_of(pidfd_send_signal(fds[i], 0, NULL, 0));
		if (n != l)
			TH_FAIL(0, "fd kind %d: native %s, library %s", i,
				strerror(n), strerror(l));
		errno = 0;
		l = result_of(syscall(SYS_pidfd_send_signal, fds[i], SIGCONT,
				      NULL, 0));
		n = result_of(native_send_signal(fds[i], SIGCONT, NULL, 0));
		if (n != l)
			TH_FAIL(0, "fd kind %d, SIGCONT: native %s, library %s",
				i, strerror(n), strerror(l));
	}
	EXPECT_EQ(0, result_of(pidfd_send_signal(fds[0], 0, NULL, 0)));
	EXPECT_EQ(0, result_of(pidfd_send_signal(fds[1], 0, NULL, 0)));
	counts(&after);
	/* Each call counted once, whoever answered it. */
	EXPECT_EQ(10, after.send_signal_module + after.send_signal_native -
		      before.send_signal_module - before.send_signal_native);
}

static void same_siginfo(const char *what, const siginfo_t *a,
			 const siginfo_t *b)
{
	if (a->si_signo != b->si_signo || a->si_code != b->si_code ||
	    a->si_status != b->si_status || a->si_uid != b->si_uid)
		TH_FAIL(0, "%s: native signo %d code %d status %d uid %d, library signo %d code %d status %d uid %d",
			what, a->si_signo, a->si_code, a->si_status,
			(int)a->si_uid, b->si_signo, b->si_code, b->si_status,
			(int)b->si_uid);
}

TEST(waitid_pidfd_gives_the_kernels_results)
{
	struct pidfd_mod_preload_counts before, after;
	siginfo_t nsi, lsi;
	int nfd, lfd, gn, gl;
	pid_t n, l;

	counts(&before);
	/* An exit, through waitid() and through syscall(). */
	n = spawn_exiter(7);
	l = spawn_exiter(7);
	nfd = native_pidfd_open(n, 0);
	lfd = pidfd_open(l, 0);
	ASSERT_GE(nfd, 0);
	ASSERT_GE(lfd, 0);
	EXPECT_TRUE(is_module_fd(lfd));
	EXPECT_EQ(0, waitid(P_PIDFD, nfd, &nsi, WEXITED));
	EXPECT_EQ(0, waitid(P_PIDFD, lfd, &lsi, WEXITED));
	EXPECT_EQ(n, nsi.si_pid);
	EXPECT_EQ(l, lsi.si_pid);
	same_siginfo("exit", &nsi, &lsi);
	/* Reaped: both ECHILD. */
	EXPECT_ERRNO(ECHILD, waitid(P_PIDFD, nfd, &nsi, WEXITED));
	EXPECT_ERRNO(ECHILD, waitid(P_PIDFD, lfd, &lsi, WEXITED));
	EXPECT_ERRNO(ECHILD, syscall(SYS_waitid, P_PIDFD, lfd, &lsi, WEXITED, NULL));
	close(nfd);
	close(lfd);

	n = spawn_exiter(9);
	l = spawn_exiter(9);
	nfd = native_pidfd_open(n, 0);
	lfd = syscall(SYS_pidfd_open, l, 0);
	ASSERT_GE(lfd, 0);
	EXPECT_EQ(0, native_syscall(SYS_waitid, P_PIDFD, nfd, (long)&nsi,
				    WEXITED, 0));
	EXPECT_EQ(0, syscall(SYS_waitid, P_PIDFD, lfd, &lsi, WEXITED, NULL));
	EXPECT_EQ(l, lsi.si_pid);
	same_siginfo("exit through syscall()", &nsi, &lsi);
	close(nfd);
	close(lfd);

	/* Running: WNOHANG reports nothing; a nonblocking pidfd EAGAIN. */
	n = spawn_sleeper();
	l = spawn_sleeper();
	nfd = native_pidfd_open(n, PIDFD_NONBLOCK);
	lfd = pidfd_open(l, PIDFD_NONBLOCK);
	ASSERT_GE(lfd, 0);
	memset(&nsi, 0xff, sizeof(nsi));
	memset(&lsi, 0xff, sizeof(lsi));
	gn = waitid(P_PIDFD, nfd, &nsi, WEXITED | WNOHANG);
	gl = waitid(P_PIDFD, lfd, &lsi, WEXITED | WNOHANG);
	EXPECT_EQ(gn, gl);
	EXPECT_EQ(0, gl);
	EXPECT_EQ(nsi.si_pid, lsi.si_pid);
	EXPECT_EQ(0, lsi.si_pid);
	EXPECT_ERRNO(EAGAIN, waitid(P_PIDFD, nfd, &nsi, WEXITED));
	EXPECT_ERRNO(EAGAIN, waitid(P_PIDFD, lfd, &lsi, WEXITED));
	/* Killed: the status the kernel reports, WNOWAIT first. */
	kill(n, SIGKILL);
	kill(l, SIGKILL);
	EXPECT_EQ(0, wait_zombie(n));
	EXPECT_EQ(0, wait_zombie(l));
	EXPECT_EQ(0, waitid(P_PIDFD, nfd, &nsi, WEXITED | WNOWAIT));
	EXPECT_EQ(0, waitid(P_PIDFD, lfd, &lsi, WEXITED | WNOWAIT));
	same_siginfo("killed, WNOWAIT", &nsi, &lsi);
	EXPECT_EQ(0, waitid(P_PIDFD, nfd, &nsi, WEXITED));
	EXPECT_EQ(0, waitid(P_PIDFD, lfd, &lsi, WEXITED));
	same_siginfo("killed", &nsi, &lsi);
	EXPECT_EQ(l, lsi.si_pid);
	close(nfd);
	close(lfd);

	/* Not a child (the parent): ECHILD. */
	nfd = native_pidfd_open(getppid(), 0);
	lfd = pidfd_open(getppid(), 0);
	ASSERT_GE(lfd, 0);
	EXPECT_ERRNO(ECHILD, waitid(P_PIDFD, nfd, &nsi, WEXITED | WNOHANG));
	EXPECT_ERRNO(ECHILD, waitid(P_PIDFD, lfd, &lsi, WEXITED | WNOHANG));

	counts(&after);
	/* 9 waits on module fds, 7 on native ones through waitid(). */
	EXPECT_EQ(before.waitid_module + 9, after.waitid_module);
	EXPECT_EQ(before.waitid_native + 7, after.waitid_native);
}

/* The init of a new pid namespace and its child, inner pids 1 and 2. */
static void ns_init(void)
{
	pid_t child = fork();

	if (child == 0) {
		for (;;)
			pause();
	}
	for (;;)
		pause();
}

TEST(ns_setting_opens_numbers_of_that_namespace)
{
	char nsenv[96], nspath[64], want[128];
	const char *env[] = { nsenv, NULL };
	pid_t init, inner2;
	struct run r;
	int nsfd, fd;

	init = fork_newpidns();
	ASSERT_GE(init, 0);
	if (init == 0) {
		ns_init();
		_exit(0);
	}
	inner2 = find_child_of(init);
	ASSERT_GT(inner2, 0);
	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/pid", init);
	snprintf(nsenv, sizeof(nsenv), "PIDFD_MOD_PRELOAD_NS=%s", nspath);

	/* The module's own answer for inner pid 2 in that namespace. */
	nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(nsfd, 0);
	fd = pidfd_mod_open(2, nsfd, 0);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(inner2, fdinfo_key(fd, "Pid"));
	EXPECT_ERRNO(ESRCH, pidfd_mod_open(3, nsfd, 0));

	run_open_role(&r, "1 2 3", env, 0);
	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	snprintf(want, sizeof(want),
		 "open 1 pid %d module 1\nopen 2 pid %d module 1\nopen 3 err %d\ncounts open=3 open_native=0\n",
		 init, inner2, ESRCH);
	if (strcmp(r.out, want)) {
		TH_FAIL(0, "stdout is not what it should be");
		diag_block("want:", want);
	}
	EXPECT_EQ(0, (int)strlen(r.err));
	kill(init, SIGKILL);
}

struct bad_env {
	const char *env;
	const char *says;	/* on the one line of stderr */
};

static const struct bad_env bad_envs[] = {
	{ "PIDFD_MOD_PRELOAD_VERBOSE=yes", "PIDFD_MOD_PRELOAD_VERBOSE='yes' is not 0, 1 or 2" },
	{ "PIDFD_MOD_PRELOAD_VERBOSE=3", "PIDFD_MOD_PRELOAD_VERBOSE='3' is not 0, 1 or 2" },
	{ "PIDFD_MOD_PRELOAD_NS=/nonexistent", "PIDFD_MOD_PRELOAD_NS='/nonexistent': cannot open: No such file or directory" },
	{ "PIDFD_MOD_PRELOAD_NS=/proc/self/ns/mnt", "is not a pid namespace file" },
	{ "PIDFD_MOD_PRELOAD_NS=/dev/null", "is not a pid namespace file" },
	{ "PIDFD_MOD_PRELOAD_STATS=stats.txt", "PIDFD_MOD_PRELOAD_STATS='stats.txt' is neither - (standard error) nor an absolute path" },
	{ "PIDFD_MOD_PRELOAD_STATS=/nonexistent/stats", "cannot open for appending: No such file or directory" },
	{ "PIDFD_MOD_PRELOAD_VERBOS=1", "unknown variable PIDFD_MOD_PRELOAD_VERBOS" },
};

/* A bad setting: one line, exit status 125, the program never runs. */
TEST(bad_settings_stop_the_program)
{
	const char *env[2] = { NULL, NULL };
	struct run r;
	unsigned int i;

	for (i = 0; i < sizeof(bad_envs) / sizeof(bad_envs[0]); i++) {
		env[0] = bad_envs[i].env;
		run_open_role(&r, "self", env, 0);
		EXPECT_TRUE(WIFEXITED(r.status));
		EXPECT_EQ(PRELOAD_EXIT_CONFIG, WEXITSTATUS(r.status));
		EXPECT_EQ(0, (int)strlen(r.out));
		EXPECT_EQ(1, count_lines(r.err));
		if (strncmp(r.err, "libpidfd_mod: ", 14) ||
		    !strstr(r.err, bad_envs[i].says))
			TH_FAIL(0, "%s: stderr does not say '%s'", bad_envs[i].env,
				bad_envs[i].says);
	}
	/* Empty values are the defaults. */
	env[0] = "PIDFD_MOD_PRELOAD_VERBOSE=";
	run_open_role(&r, "self", env, 0);
	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	EXPECT_TRUE(strstr(r.out, "module 1") != NULL);
}

TEST(verbose_levels)
{
	const char *v0[] = { "PIDFD_MOD_PRELOAD_VERBOSE=0", NULL };
	const char *v1[] = { "PIDFD_MOD_PRELOAD_VERBOSE=1", NULL };
	const char *v2[] = { "PIDFD_MOD_PRELOAD_VERBOSE=2", NULL };
	struct run r;

	run_open_role(&r, "self self", v0, 0);
	EXPECT_EQ(0, (int)strlen(r.err));
	EXPECT_TRUE(strstr(r.out, "counts open=2 open_native=0") != NULL);
	run_open_role(&r, "self self", v1, 0);
	EXPECT_EQ(1, count_lines(r.err));
	EXPECT_TRUE(strstr(r.err, "go through /dev/pidfd") != NULL);
	run_open_role(&r, "self 0", v2, 0);
	EXPECT_EQ(3, count_lines(r.err));
	EXPECT_TRUE(strstr(r.err, "pidfd_open(0, 0) = -1 Invalid argument (/dev/pidfd)") != NULL);
}

/*
 * Without /dev/pidfd: the kernel's own calls, said once when verbose and
 * never otherwise; a namespace setting cannot be honoured, so it stops.
 */
TEST(missing_device_falls_back_to_native)
{
	const char *quiet[] = { NULL };
	const char *verbose[] = { "PIDFD_MOD_PRELOAD_VERBOSE=1", NULL };
	const char *ns[] = { "PIDFD_MOD_PRELOAD_NS=/proc/self/ns/pid", NULL };
	struct run r;

	run_open_role(&r, "self self 0", quiet, 1);
	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	EXPECT_EQ(0, (int)strlen(r.err));
	EXPECT_TRUE(strstr(r.out, "module 0\nopen self pid") != NULL);
	EXPECT_TRUE(strstr(r.out, "open 0 err 22\ncounts open=0 open_native=3\n") != NULL);

	run_open_role(&r, "self self", verbose, 1);
	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	EXPECT_EQ(1, count_lines(r.err));
	EXPECT_TRUE(strstr(r.err, "libpidfd_mod: /dev/pidfd: No such file or directory; pidfd calls of") != NULL);
	EXPECT_TRUE(strstr(r.out, "counts open=0 open_native=2") != NULL);

	run_open_role(&r, "self", ns, 1);
	EXPECT_TRUE(WIFEXITED(r.status));
	EXPECT_EQ(PRELOAD_EXIT_CONFIG, WEXITSTATUS(r.status));
	EXPECT_EQ(0, (int)strlen(r.out));
	EXPECT_EQ(1, count_lines(r.err));
	EXPECT_TRUE(strstr(r.err, "needs /dev/pidfd") != NULL);
}

/* The line of the stats file written by the process named @comm. */
static int stats_line(const char *path, const char *comm, char *out, size_t len)
{
	char buf[4096], key[64], *p, *e;

	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return -1;
	snprintf(key, sizeof(key), " comm=%s ", comm);
	p = strstr(buf, key);
	if (!p)
		return -1;
	while (p > buf && p[-1] != '\n')
		p--;
	e = strchr(p, '\n');
	snprintf(out, len, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
	return 0;
}

/* Whether process @pid has a pidfd of the module open. */
static int holds_module_fd(pid_t pid)
{
	char path[64], name[320], link[128];
	struct dirent *e;
	DIR *d;
	int found = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		snprintf(name, sizeof(name), "%s/%s", path, e->d_name);
		n = readlink(name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = !strcmp(link, MODULE_LINK);
	}
	closedir(d);
	return found;
}

/*
 * procps's pidwait, unmodified: it opens a pidfd of each process it waits
 * for with syscall(SYS_pidfd_open) and sleeps in epoll_wait() until they
 * exit.  Its pidfd must be the module's, it must still be waiting while
 * the target lives, and must return once it is gone.
 */
TEST(pidwait_waits_through_the_module)
{
	char name[24], stats[64], senv[96], line[512];
	pid_t target, pw;
	int i, status, out;

	snprintf(stats, sizeof(stats), "/tmp/preload-pidwait-%d", getpid());
	unlink(stats);
	target = fork();
	ASSERT_GE(target, 0);
	snprintf(name, sizeof(name), "pmwait%d", (target ? target : getpid()) % 10000000);
	if (target == 0) {
		prctl(PR_SET_NAME, name);
		for (;;)
			pause();
	}
	/* The name is in place before pidwait looks. */
	for (i = 0; i < 500; i++) {
		char comm[32] = "", path[64];

		snprintf(path, sizeof(path), "/proc/%d/comm", target);
		if (read_file_at(AT_FDCWD, path, comm, sizeof(comm)) > 0 &&
		    !strncmp(comm, name, strlen(name)))
			break;
		usleep(10000);
	}
	snprintf(senv, sizeof(senv), "PIDFD_MOD_PRELOAD_STATS=%s", stats);
	pw = fork();
	ASSERT_GE(pw, 0);
	if (pw == 0) {
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
		dup2(out, STDOUT_FILENO);
		putenv(senv);
		execl("/usr/bin/pidwait", "pidwait", "-x", name, (char *)NULL);
		_exit(98);
	}
	for (i = 0; i < 1000 && !holds_module_fd(pw); i++)
		usleep(10000);
	ASSERT_TRUE(holds_module_fd(pw));
	usleep(200000);
	EXPECT_EQ(0, waitpid(pw, &status, WNOHANG));	/* still waiting */
	kill_reap(target);
	ASSERT_EQ(pw, waitpid(pw, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, stats_line(stats, "pidwait", line, sizeof(line)));
	th_diag("%s", line);
	EXPECT_TRUE(strstr(line, " open=1 open_native=0 ") != NULL);
	unlink(stats);
}

/*
 * python3, unmodified: os.pidfd_open() and signal.pidfd_send_signal() are
 * syscall(2)s, os.waitid() is the C library's waitid().  (-I -S: the
 * guest has the interpreter without its library, which these builtin
 * modules do not need.)
 */
static const char python_script[] =
	"import posix, _signal\n"
	"pid = posix.fork()\n"
	"if pid == 0:\n"
	"    _signal.pause()\n"
	"    posix._exit(3)\n"
	"fd = posix.pidfd_open(pid)\n"
	"print(posix.readlink('/proc/self/fd/%d' % fd))\n"
	"_signal.pidfd_send_signal(fd, 15)\n"
	"r = posix.waitid(posix.P_PIDFD, fd, posix.WEXITED)\n"
	"print(r.si_pid == pid, r.si_code, r.si_status)\n";

TEST(python_opens_signals_and_waits_through_the_module)
{
	char stats[64], senv[96], line[512], want[128];
	char *argv[] = { "/usr/bin/python3", "-I", "-S", "-c",
			 (char *)python_script, NULL };
	const char *env[] = { senv, NULL };
	struct run r;

	snprintf(stats, sizeof(stats), "/tmp/preload-python-%d", getpid());
	unlink(stats);
	snprintf(senv, sizeof(senv), "PIDFD_MOD_PRELOAD_STATS=%s", stats);
	run_prog(&r, argv, env, 0);
	th_diag("python3: status %#x", r.status);
	diag_block("stdout:", r.out);
	diag_block("stderr:", r.err);
	EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);
	snprintf(want, sizeof(want), "%s\nTrue %d %d\n", MODULE_LINK,
		 CLD_KILLED, SIGTERM);
	if (strcmp(r.out, want)) {
		TH_FAIL(0, "stdout is not what it should be");
		diag_block("want:", want);
	}
	ASSERT_EQ(0, stats_line(stats, "python3", line, sizeof(line)));
	th_diag("%s", line);
	EXPECT_TRUE(strstr(line, " open=1 open_native=0 send_signal=1 send_signal_native=0 waitid=1 waitid_native=0") != NULL);
	unlink(stats);
}
