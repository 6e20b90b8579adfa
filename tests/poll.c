// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on a pidfd (poll, epoll, select), reading it, and its fdinfo,
 * each side by side with a native pidfd of the same process.
 *
 * Native 6.1 never reports POLLHUP: that came with 6.9 (reported POLLHUP
 * once reaped, and a wakeup at reap).  The module reports it on every
 * kernel, as the 6.12 reference does; where native lacks it, the cases say
 * so in a diagnostic and compare the rest.
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>

#include "util.h"

/* Everything a pidfd could report, so that nothing is masked away. */
#define POLL_ALL	(POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI | \
			 POLLOUT | POLLWRNORM | POLLWRBAND)
#define POLL_EXITED	(POLLIN | POLLRDNORM)
#define POLL_REAPED	(POLLIN | POLLRDNORM | POLLHUP)

/* The environment variable that turns this binary into an exec target. */
#define POLL_EXEC_ENV	"PIDFD_MOD_POLL_EXEC_FD"

/*
 * After exec, the test binary reports on the fd named in POLL_EXEC_ENV
 * that the new image runs, and waits to be killed; it never reaches the
 * test harness.
 */
__attribute__((constructor)) static void poll_exec_target(void)
{
	const char *s = getenv(POLL_EXEC_ENV);
	int fd;

	if (!s)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = atoi(s);
	if (write(fd, "e", 1) != 1)
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

/* revents of @fd within @ms, 0 on timeout, with nothing masked away. */
static int poll_events(int fd, int ms)
{
	return poll_fd_events(fd, POLL_ALL, ms);
}

static long long poll_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Open a native and a module pidfd for @pid; both must work. */
static void poll_open_pair(pid_t pid, int *nat, int *ours)
{
	*nat = sys_pidfd_open(pid, 0);
	ASSERT_GE(*nat, 0);
	*ours = pidfd_mod_open(pid, -1, 0);
	ASSERT_GE(*ours, 0);
}

/* Whether native reports POLLHUP for a reaped process (6.9 and later). */
static int poll_native_hup(int nat_revents)
{
	if (nat_revents == POLL_EXITED) {
		th_diag("native reports no POLLHUP after reap on this "
			"kernel (added in 6.9); the module's POLLHUP is "
			"checked alone");
		return 0;
	}
	return 1;
}

/* The fdinfo file @path shows "Pid:" @pid and "NSpid:" @nspid. */
static void poll_fdinfo_path_is(const char *path, long pid, const char *nspid,
				const char *what)
{
	char line[128];

	EXPECT_EQ(pid, read_key_at(AT_FDCWD, path, "Pid"));
	if (read_line_at(AT_FDCWD, path, "NSpid", line, sizeof(line)))
		TH_FAIL(1, "%s: no NSpid in %s", what, path);
	if (strcmp(line, nspid))
		TH_FAIL(0, "%s: NSpid '%s', want '%s' (%s)", what, line, nspid,
			path);
}

/* The caller's own fdinfo of @fd shows @pid and @nspid. */
static void poll_fdinfo_is(int fd, long pid, const char *nspid,
			   const char *what)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	poll_fdinfo_path_is(path, pid, nspid, what);
}

/* The fdinfo of @fd of a process, below the /proc directory @dir. */
static void poll_fdinfo_at_is(const char *dir, int fd, long pid,
			      const char *nspid, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/fdinfo/%d", dir, fd);
	poll_fdinfo_path_is(path, pid, nspid, what);
}

/* The same, for a native and a module fd of a process below @dir. */
static void poll_fdinfo_at_pair_is(const char *dir, int nat, int ours, long pid,
				   const char *nspid, const char *what)
{
	char w[160];

	snprintf(w, sizeof(w), "%s (module, via %s)", what, dir);
	poll_fdinfo_at_is(dir, ours, pid, nspid, w);
	snprintf(w, sizeof(w), "%s (native, via %s)", what, dir);
	poll_fdinfo_at_is(dir, nat, pid, nspid, w);
}

/* Both fds show @pid and @nspid (NSpid text after the colon). */
static void poll_fdinfo_pair_is(int nat, int ours, long pid, const char *nspid,
				const char *what)
{
	char w[160];

	snprintf(w, sizeof(w), "%s (module)", what);
	poll_fdinfo_is(ours, pid, nspid, w);
	snprintf(w, sizeof(w), "%s (native)", what);
	poll_fdinfo_is(nat, pid, nspid, w);
}

/* The State letter of /proc/@pid/status, or 0. */
static char poll_task_state(pid_t pid)
{
	char name[64], state[64];

	snprintf(name, sizeof(name), "/proc/%d/status", pid);
	if (read_value_at(AT_FDCWD, name, "State", state, sizeof(state)))
		return 0;
	return state[0];
}

/* Wait up to 5 s for /proc/@pid/status to show @state. */
static int poll_wait_state(pid_t pid, char state)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (poll_task_state(pid) == state)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* A gated exiter's gate, closed by a thread @ms after it starts. */
struct poll_gate {
	int fd;
	int ms;
};

static void *poll_gate_thread(void *arg)
{
	struct poll_gate *g = arg;

	usleep(g->ms * 1000);
	close(g->fd);
	return NULL;
}

/* Level-triggered poll(2) */

TEST(poll_alive_has_no_event_as_native)
{
	pid_t child = spawn_sleeper();
	int nat, ours;

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	EXPECT_EQ(0, poll_events(nat, 0));
	EXPECT_EQ(0, poll_events(ours, 0));
	EXPECT_EQ(0, poll_events(ours, 100));
	EXPECT_EQ(0, poll_events(nat, 100));
	/* The caller itself is alive too. */
	close(ours);
	ours = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(ours, 0);
	EXPECT_EQ(0, poll_events(ours, 50));
	kill_reap(child);
}

TEST(poll_exit_wakes_with_pollin_as_native)
{
	struct poll_gate g = { .ms = 300 };
	pid_t child = spawn_gated_exiter(7, &g.fd);
	long long t0;
	int nat, ours, r;
	pthread_t t;

	poll_open_pair(child, &nat, &ours);
	/* Blocked before the exit, woken by it. */
	ASSERT_EQ(0, pthread_create(&t, NULL, poll_gate_thread, &g));
	t0 = poll_now_ms();
	r = poll_events(ours, 10000);
	EXPECT_EQ(POLL_EXITED, r);
	EXPECT_TRUE(poll_now_ms() - t0 < 9000);
	EXPECT_EQ(POLL_EXITED, poll_events(nat, 0));
	/* Level-triggered: still there, and the child is a zombie. */
	EXPECT_EQ(POLL_EXITED, poll_events(ours, 0));
	EXPECT_EQ('Z', poll_task_state(child));
	EXPECT_EQ(0, wait_zombie(child));
	EXPECT_EQ(7, wait_exit(child));
	ASSERT_EQ(0, pthread_join(t, NULL));
}

TEST(poll_zombie_is_pollin_as_native)
{
	pid_t child = spawn_exiter(0);
	int nat, ours;

	ASSERT_GT(child, 0);
	ASSERT_EQ(0, wait_zombie(child));
	/* Opened after the exit: level, not only the wakeup. */
	poll_open_pair(child, &nat, &ours);
	EXPECT_EQ(POLL_EXITED, poll_events(ours, 0));
	EXPECT_EQ(poll_events(nat, 0), poll_events(ours, 0));
	wait_exit(child);
}

TEST(poll_reaped_is_pollin_pollhup)
{
	pid_t child = spawn_exiter(0);
	int nat, ours, rn;

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	ASSERT_EQ(0, wait_exit(child));
	EXPECT_EQ(POLL_REAPED, poll_events(ours, 0));
	EXPECT_EQ(POLL_REAPED, poll_events(ours, 100));
	rn = poll_events(nat, 0);
	if (poll_native_hup(rn))
		EXPECT_EQ(rn, poll_events(ours, 0));
	else
		EXPECT_EQ(POLL_EXITED, rn);
}

/*
 * A leader that exits while another thread lives is a zombie, but the
 * process is not done: no POLLIN until its last thread exits.
 */
static int poll_leader_go[2];

static void *poll_last_thread(void *arg)
{
	char c;

	(void)arg;
	while (read(poll_leader_go[0], &c, 1) < 0 && errno == EINTR)
		;
	usleep(300 * 1000);
	syscall(SYS_exit, 0);
	return NULL;
}

TEST(poll_leader_exit_waits_for_last_thread_as_native)
{
	pid_t child;
	int nat, ours;
	long long t0;
	char name[64];

	ASSERT_EQ(0, pipe(poll_leader_go));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (pthread_create(&t, NULL, poll_last_thread, NULL))
			_exit(1);
		/* The leader leaves alone. */
		syscall(SYS_exit, 0);
	}
	poll_open_pair(child, &nat, &ours);
	ASSERT_EQ(0, poll_wait_state(child, 'Z'));
	/* The other thread is still there. */
	snprintf(name, sizeof(name), "/proc/%d/status", child);
	EXPECT_EQ(2, read_key_at(AT_FDCWD, name, "Threads"));

	EXPECT_EQ(0, poll_events(ours, 200));
	EXPECT_EQ(0, poll_events(nat, 0));

	/* The last thread's exit wakes a poller already waiting. */
	ASSERT_EQ(1, write(poll_leader_go[1], "g", 1));
	t0 = poll_now_ms();
	EXPECT_EQ(POLL_EXITED, poll_events(ours, 10000));
	EXPECT_TRUE(poll_now_ms() - t0 < 9000);
	EXPECT_EQ(POLL_EXITED, poll_events(nat, 0));
	EXPECT_EQ(0, wait_exit(child));
	EXPECT_EQ(POLL_REAPED, poll_events(ours, 0));
}

/*
 * A thread other than the leader execs: the leader is killed and the
 * exec'ing thread takes over its struct pid.  The process never stopped
 * living, so a pidfd for it must not report anything, neither to a poller
 * already waiting nor afterwards.
 */
struct poll_exec_args {
	int go;
	int done;
};

static void *poll_exec_thread(void *arg)
{
	struct poll_exec_args *a = arg;
	char env[64], c;
	char *argv[] = { "pidfd_mod-poll-exec", NULL };
	char *envp[] = { env, NULL };

	snprintf(env, sizeof(env), "%s=%d", POLL_EXEC_ENV, a->done);
	while (read(a->go, &c, 1) < 0 && errno == EINTR)
		;
	execve("/proc/self/exe", argv, envp);
	_exit(99);
}

TEST(poll_non_leader_exec_does_not_wake_as_native)
{
	struct poll_exec_args a;
	struct pollfd p[2];
	int go[2], done[2], nat, ours, r;
	char name[64], c;
	pid_t child;

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe(done));	/* the write end survives exec */
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(done[0]);
		a.go = go[0];
		a.done = done[1];
		if (pthread_create(&t, NULL, poll_exec_thread, &a))
			_exit(1);
		for (;;)
			pause();
	}
	close(done[1]);
	poll_open_pair(child, &nat, &ours);
	snprintf(name, sizeof(name), "/proc/%d/status", child);
	ASSERT_EQ(0, poll_events(ours, 50));

	/* Wait across the exec with both fds. */
	ASSERT_EQ(1, write(go[1], "g", 1));
	p[0] = (struct pollfd){ .fd = ours, .events = POLL_ALL };
	p[1] = (struct pollfd){ .fd = nat, .events = POLL_ALL };
	r = poll(p, 2, 1000);
	if (r != 0)
		TH_FAIL(0, "woken during exec: module %#x, native %#x",
			p[0].revents, p[1].revents);

	/* The exec happened: the new image runs, one thread, same pid. */
	ASSERT_EQ(1, read(done[0], &c, 1));
	EXPECT_EQ('e', c);
	EXPECT_EQ(1, read_key_at(AT_FDCWD, name, "Threads"));
	EXPECT_NE('Z', poll_task_state(child));
	EXPECT_EQ(0, kill(child, 0));

	EXPECT_EQ(0, poll_events(ours, 200));
	EXPECT_EQ(0, poll_events(nat, 0));
	EXPECT_EQ(child, fdinfo_key(ours, "Pid"));
	EXPECT_EQ(child, fdinfo_key(nat, "Pid"));

	/* It still ends the ordinary way. */
	kill(child, SIGKILL);
	EXPECT_EQ(POLL_EXITED, poll_events(ours, 10000));
	EXPECT_EQ(POLL_EXITED, poll_events(nat, 0));
	EXPECT_EQ(128 + SIGKILL, wait_exit(child));
}

/*
 * The same exec seen through a thread fd of the exec'ing thread.  The
 * thread's own tid goes to the old leader, which is released at once: the
 * thread fd's thread is gone (POLLIN | POLLHUP) and pollers already waiting
 * on it, in another process, must wake then, by blocking poll() and by
 * epoll alike.  Native thread pidfds (6.9 and later) wake them when the old
 * leader is released; the module must too, well before the waiters' own
 * timeout.  The native half needs pidfd_open(PIDFD_THREAD).
 */
#define POLL_EXEC_WAKE_MS	4000	/* woken, not found at a timeout */
#define POLL_EXEC_WAIT_MS	8000	/* the waiters' own timeout */

enum { POLL_BY_POLL, POLL_BY_EPOLL, POLL_NWAITERS };

static const char *const poll_waiter_name[POLL_NWAITERS] = {
	"poll()", "epoll_wait()",
};

/* Shared with the waiters. */
struct poll_exec_waiters {
	int ready[POLL_NWAITERS];
	int revents[POLL_NWAITERS];
	long long woke[POLL_NWAITERS];	/* poll_now_ms(); 0: not woken */
};

struct poll_exec_tid_args {
	struct poll_exec_args a;
	int tid;	/* write end: the thread reports its tid */
};

static void *poll_exec_tid_thread(void *arg)
{
	struct poll_exec_tid_args *t = arg;
	pid_t tid = sys_gettid();

	if (write(t->tid, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	return poll_exec_thread(&t->a);
}

/* A waiter process: blocks on @fd the @kind way and records how it woke. */
static void poll_exec_waiter(int fd, int kind, struct poll_exec_waiters *w)
{
	struct pollfd p = { .fd = fd, .events = POLL_ALL };
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
	int ep = -1, r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (kind == POLL_BY_EPOLL) {
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			_exit(2);
	}
	__atomic_store_n(&w->ready[kind], 1, __ATOMIC_SEQ_CST);
	if (kind == POLL_BY_EPOLL)
		r = epoll_wait(ep, &ev, 1, POLL_EXEC_WAIT_MS);
	else
		r = poll(&p, 1, POLL_EXEC_WAIT_MS);
	__atomic_store_n(&w->woke[kind], poll_now_ms(), __ATOMIC_SEQ_CST);
	if (r > 0)
		w->revents[kind] = kind == POLL_BY_EPOLL ? (int)ev.events :
							   p.revents;
	_exit(r < 0 ? 3 : 0);
}

static void poll_exec_wake_run(int native)
{
	static const int want[POLL_NWAITERS] = {
		POLL_REAPED, EPOLLIN | EPOLLHUP,
	};
	struct poll_exec_tid_args ta;
	struct poll_exec_waiters *w;
	int go[2], done[2], tids[2], fd, i, ms;
	pid_t child, tid, waiter[POLL_NWAITERS];
	char name[64], c;
	long long t0, el;

	if (native) {
		fd = sys_pidfd_open(getpid(), PIDFD_THREAD);
		if (fd < 0)
			SKIP("native half not run: pidfd_open(PIDFD_THREAD) fails with %s on this kernel (native since Linux 6.9); the /dev/pidfd half is the case without _native",
			     strerror(errno));
		close(fd);
	}
	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(w != MAP_FAILED);
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(tids, O_CLOEXEC));
	ASSERT_EQ(0, pipe(done));	/* the write end survives exec */
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(done[0]);
		ta.a.go = go[0];
		ta.a.done = done[1];
		ta.tid = tids[1];
		if (pthread_create(&t, NULL, poll_exec_tid_thread, &ta))
			_exit(1);
		for (;;)
			pause();
	}
	close(done[1]);
	ASSERT_EQ(sizeof(tid), read(tids[0], &tid, sizeof(tid)));
	ASSERT_NE(child, tid);

	fd = native ? sys_pidfd_open(tid, PIDFD_THREAD) :
		      pidfd_mod_open(tid, -1, PIDFD_MOD_THREAD);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, poll_events(fd, 0));

	/* Both waiters asleep in their wait before the exec. */
	fflush(stdout);
	for (i = 0; i < POLL_NWAITERS; i++) {
		waiter[i] = fork();
		ASSERT_GE(waiter[i], 0);
		if (waiter[i] == 0)
			poll_exec_waiter(fd, i, w);
	}
	for (i = 0; i < POLL_NWAITERS; i++) {
		for (ms = 0; !__atomic_load_n(&w->ready[i], __ATOMIC_SEQ_CST);
		     ms++) {
			ASSERT_TRUE(ms < 5000);
			usleep(1000);
		}
		ASSERT_EQ(0, poll_wait_state(waiter[i], 'S'));
	}
	usleep(100 * 1000);

	t0 = poll_now_ms();
	ASSERT_EQ(1, write(go[1], "g", 1));
	/* The new image runs. */
	ASSERT_EQ(1, read(done[0], &c, 1));
	EXPECT_EQ('e', c);

	for (i = 0; i < POLL_NWAITERS; i++) {
		EXPECT_EQ(0, wait_exit(waiter[i]));
		el = w->woke[i] - t0;
		if (el < 0 || el >= POLL_EXEC_WAKE_MS)
			TH_FAIL(0, "%s of a thread fd across its thread's exec: revents %#x after %lld ms (timeout %d): not woken by the exec",
				poll_waiter_name[i], w->revents[i], el,
				POLL_EXEC_WAIT_MS);
		else
			th_diag("%s woken %lld ms after the exec started",
				poll_waiter_name[i], el);
		EXPECT_EQ(want[i], w->revents[i]);
	}

	/* The process lives on as one thread; the fd's thread is gone. */
	snprintf(name, sizeof(name), "/proc/%d/status", child);
	EXPECT_EQ(1, read_key_at(AT_FDCWD, name, "Threads"));
	EXPECT_EQ(0, kill(child, 0));
	EXPECT_EQ(POLL_REAPED, poll_events(fd, 0));
	EXPECT_EQ(-1, fdinfo_key(fd, "Pid"));

	close(fd);
	kill(child, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, wait_exit(child));
	munmap(w, sizeof(*w));
}

TEST(poll_thread_fd_wakes_on_non_leader_exec)
{
	poll_exec_wake_run(0);
}

TEST(poll_thread_fd_wakes_on_non_leader_exec_native)
{
	poll_exec_wake_run(1);
}

/* epoll */

/* epoll_wait for @ms; the events reported for @nat and @ours (0: none). */
static int poll_epoll(int ep, int ms, int nat, int ours, uint32_t *en,
		      uint32_t *eo)
{
	struct epoll_event ev[4];
	int n, i;

	*en = *eo = 0;
	do {
		n = epoll_wait(ep, ev, 4, ms);
	} while (n < 0 && errno == EINTR);
	for (i = 0; i < n; i++) {
		if (ev[i].data.fd == nat)
			*en = ev[i].events;
		else if (ev[i].data.fd == ours)
			*eo = ev[i].events;
	}
	return n;
}

static int poll_epoll_setup(int nat, int ours, uint32_t mode)
{
	struct epoll_event ev = { .events = EPOLLIN | mode };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_GE(ep, 0);
	ev.data.fd = nat;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, nat, &ev));
	ev.data.fd = ours;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ours, &ev));
	return ep;
}

TEST(poll_epoll_level_as_native)
{
	pid_t child = spawn_sleeper();
	int nat, ours, ep;
	uint32_t en, eo;

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	ep = poll_epoll_setup(nat, ours, 0);

	EXPECT_EQ(0, poll_epoll(ep, 100, nat, ours, &en, &eo));

	kill(child, SIGKILL);
	ASSERT_EQ(0, wait_zombie(child));
	poll_epoll(ep, 5000, nat, ours, &en, &eo);
	if (!(en && eo))
		poll_epoll(ep, 1000, nat, ours, &en, &eo);
	EXPECT_EQ(EPOLLIN, eo);
	EXPECT_EQ(en, eo);
	/* Level: reported again without a new event. */
	EXPECT_EQ(2, poll_epoll(ep, 0, nat, ours, &en, &eo));
	EXPECT_EQ(EPOLLIN, eo);
	EXPECT_EQ(en, eo);

	wait_exit(child);
	poll_epoll(ep, 1000, nat, ours, &en, &eo);
	EXPECT_EQ(EPOLLIN | EPOLLHUP, eo);
	if (poll_native_hup(en == EPOLLIN ? POLL_EXITED : (int)en))
		EXPECT_EQ(en, eo);
	else
		EXPECT_EQ(EPOLLIN, en);
}

TEST(poll_epoll_edge_as_native)
{
	pid_t child = spawn_sleeper();
	int nat, ours, ep;
	uint32_t en, eo;

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	ep = poll_epoll_setup(nat, ours, EPOLLET);

	EXPECT_EQ(0, poll_epoll(ep, 100, nat, ours, &en, &eo));

	kill(child, SIGKILL);
	ASSERT_EQ(0, wait_zombie(child));
	poll_epoll(ep, 5000, nat, ours, &en, &eo);
	if (!(en && eo)) {
		uint32_t en2, eo2;

		poll_epoll(ep, 1000, nat, ours, &en2, &eo2);
		en |= en2;
		eo |= eo2;
	}
	EXPECT_EQ(EPOLLIN, eo);
	EXPECT_EQ(en, eo);
	/* Edge: once per event. */
	EXPECT_EQ(0, poll_epoll(ep, 100, nat, ours, &en, &eo));

	/*
	 * Reaping is an event where the kernel announces it (6.9+: a
	 * wakeup at reap); the module's fd must report exactly when
	 * native's does.
	 */
	wait_exit(child);
	poll_epoll(ep, 300, nat, ours, &en, &eo);
	if (en && !eo)
		poll_epoll(ep, 1000, nat, ours, &en, &eo);
	if (en) {
		EXPECT_EQ(EPOLLIN | EPOLLHUP, en);
		EXPECT_EQ(en, eo);
	} else {
		th_diag("native has no wakeup at reap on this kernel");
		EXPECT_EQ(0, eo);
	}
	EXPECT_EQ(0, poll_epoll(ep, 100, nat, ours, &en, &eo));
}

/* select(2) */

TEST(poll_select_as_native)
{
	struct poll_gate g = { .ms = 300 };
	pid_t child = spawn_gated_exiter(0, &g.fd);
	struct timeval tv;
	fd_set rd, ex;
	int nat, ours, n;
	long long t0;
	pthread_t t;

	poll_open_pair(child, &nat, &ours);

	FD_ZERO(&rd);
	FD_SET(nat, &rd);
	FD_SET(ours, &rd);
	tv = (struct timeval){ .tv_usec = 100000 };
	n = select((nat > ours ? nat : ours) + 1, &rd, NULL, NULL, &tv);
	EXPECT_EQ(0, n);

	/* Blocked on the module's fd alone until the exit, let go from now. */
	ASSERT_EQ(0, pthread_create(&t, NULL, poll_gate_thread, &g));
	FD_ZERO(&rd);
	FD_SET(ours, &rd);
	tv = (struct timeval){ .tv_sec = 10 };
	t0 = poll_now_ms();
	EXPECT_EQ(1, select(ours + 1, &rd, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(ours, &rd));
	/* Woken, not found at the timeout's last look. */
	EXPECT_TRUE(poll_now_ms() - t0 < 9000);

	FD_ZERO(&rd);
	FD_SET(nat, &rd);
	FD_SET(ours, &rd);
	FD_ZERO(&ex);
	FD_SET(nat, &ex);
	FD_SET(ours, &ex);
	tv = (struct timeval){ 0 };
	n = select((nat > ours ? nat : ours) + 1, &rd, NULL, &ex, &tv);
	EXPECT_EQ(2, n);
	EXPECT_TRUE(FD_ISSET(ours, &rd));
	EXPECT_TRUE(FD_ISSET(nat, &rd));
	EXPECT_TRUE(!FD_ISSET(ours, &ex));
	EXPECT_TRUE(!FD_ISSET(nat, &ex));
	ASSERT_EQ(0, pthread_join(t, NULL));
	wait_exit(child);
}

/* A pidfd is not a stream. */

TEST(poll_read_write_are_einval_as_native)
{
	pid_t child = spawn_sleeper();
	int nat, ours, nb;
	char buf[8] = { 0 };

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	EXPECT_ERRNO(EINVAL, read(nat, buf, sizeof(buf)));
	EXPECT_ERRNO(EINVAL, read(ours, buf, sizeof(buf)));
	EXPECT_ERRNO(EINVAL, write(nat, buf, sizeof(buf)));
	EXPECT_ERRNO(EINVAL, write(ours, buf, sizeof(buf)));

	nb = pidfd_mod_open(child, -1, PIDFD_MOD_NONBLOCK);
	ASSERT_GE(nb, 0);
	EXPECT_ERRNO(EINVAL, read(nb, buf, sizeof(buf)));

	/* Not after the exit either: nothing to read, ever. */
	kill_reap(child);
	EXPECT_ERRNO(EINVAL, read(nat, buf, sizeof(buf)));
	EXPECT_ERRNO(EINVAL, read(ours, buf, sizeof(buf)));
}

/* fdinfo */

TEST(poll_fdinfo_alive_as_native)
{
	pid_t child = spawn_sleeper();
	char want[32];
	int nat, ours;

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	snprintf(want, sizeof(want), "\t%d", child);
	poll_fdinfo_pair_is(nat, ours, child, want, "child");
	close(nat);
	close(ours);

	poll_open_pair(getpid(), &nat, &ours);
	snprintf(want, sizeof(want), "\t%d", getpid());
	poll_fdinfo_pair_is(nat, ours, getpid(), want, "self");
	kill_reap(child);
}

TEST(poll_fdinfo_reaped_is_minus_one_as_native)
{
	pid_t child = spawn_exiter(0);
	char want[32];
	int nat, ours;

	ASSERT_GT(child, 0);
	poll_open_pair(child, &nat, &ours);
	ASSERT_EQ(0, wait_zombie(child));
	/* A zombie still has its number. */
	snprintf(want, sizeof(want), "\t%d", child);
	poll_fdinfo_pair_is(nat, ours, child, want, "zombie");
	ASSERT_EQ(0, wait_exit(child));
	poll_fdinfo_pair_is(nat, ours, -1, "\t-1", "reaped");
}

/*
 * Processes in nested namespaces, seen from the root namespace:
 *   x: init of ns1;  z: init of ns2, which is below ns1.
 */
TEST(poll_fdinfo_nested_ns_from_root_as_native)
{
	int nat, ours, ready[2];
	pid_t x, z;
	char want[64], c;

	ASSERT_EQ(0, pipe(ready));
	x = fork_newpidns();
	ASSERT_GE(x, 0);
	if (x == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fork_newpidns() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
		}
		for (;;)
			pause();
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	z = find_child_of(x);
	ASSERT_GT(z, 0);

	poll_open_pair(x, &nat, &ours);
	snprintf(want, sizeof(want), "\t%d\t1", x);
	poll_fdinfo_pair_is(nat, ours, x, want, "ns1 init");
	close(nat);
	close(ours);

	poll_open_pair(z, &nat, &ours);
	snprintf(want, sizeof(want), "\t%d\t2\t1", z);
	poll_fdinfo_pair_is(nat, ours, z, want, "ns2 init");

	/* Killing ns1's init ends both namespaces. */
	kill(x, SIGKILL);
	wait_exit(x);
	EXPECT_EQ(POLL_EXITED, poll_events(ours, 10000) & ~POLLHUP);
}

/* Give the caller a procfs of its own pid namespace at /proc. */
static void poll_mount_own_proc(void)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("proc", "/proc", "proc",
			   MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
}

/*
 * The same fds read through the procfs of a child namespace, by a process
 * inside it that inherited them, and by the test process from outside:
 * the numbers are those of the procfs read through, whoever reads.
 *   ns1: i = 1 (its init), j = 2 (init of ns2 below), r = 3 (the reader);
 *   the test process itself is not in ns1 at all.
 */
TEST(poll_fdinfo_through_child_ns_procfs_as_native)
{
	int nat_t, ours_t, nat_i, ours_i, nat_j, ours_j, ready[2], hold[2], ns1;
	pid_t i, j, r;
	char path[64], want[64], c;

	ASSERT_EQ(0, pipe(ready));
	i = fork_newpidns();
	ASSERT_GE(i, 0);
	if (i == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fork_newpidns() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
		}
		for (;;)
			pause();
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	j = find_child_of(i);
	ASSERT_GT(j, 0);

	poll_open_pair(getpid(), &nat_t, &ours_t);
	poll_open_pair(i, &nat_i, &ours_i);
	poll_open_pair(j, &nat_j, &ours_j);

	/* Fork the reader into ns1. */
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", i);
	ns1 = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(ns1, 0);
	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(0, setns(ns1, CLONE_NEWPID));
	r = fork();
	ASSERT_GE(r, 0);
	if (r == 0) {
		int nat, ours;
		pid_t k;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(hold[1]);
		ASSERT_EQ(3, getpid());
		poll_mount_own_proc();

		/* Not visible in ns1: 0. */
		poll_fdinfo_pair_is(nat_t, ours_t, 0, "\t0", "outside ns1");
		/* Numbered in ns1, with the levels below it. */
		poll_fdinfo_pair_is(nat_i, ours_i, 1, "\t1", "ns1 init");
		poll_fdinfo_pair_is(nat_j, ours_j, 2, "\t2\t1", "ns2 init");
		/* Opened inside ns1, by ns1 numbers. */
		poll_open_pair(getpid(), &nat, &ours);
		poll_fdinfo_pair_is(nat, ours, 3, "\t3", "reader");
		close(nat);
		close(ours);
		/* Reaped, as seen through this procfs too. */
		k = spawn_exiter(0);
		ASSERT_GT(k, 0);
		poll_open_pair(k, &nat, &ours);
		ASSERT_EQ(0, wait_exit(k));
		poll_fdinfo_pair_is(nat, ours, -1, "\t-1", "reaped in ns1");

		/* Stay for the outside reader. */
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(th_failed);
	}
	close(hold[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	/* r's fds through r's own procfs (ns1), read from the root ns. */
	snprintf(path, sizeof(path), "/proc/%d/root/proc/3", r);
	poll_fdinfo_at_pair_is(path, nat_t, ours_t, 0, "\t0", "outside ns1");
	poll_fdinfo_at_pair_is(path, nat_i, ours_i, 1, "\t1", "ns1 init");
	poll_fdinfo_at_pair_is(path, nat_j, ours_j, 2, "\t2\t1", "ns2 init");

	/* The same fds of r through the root procfs: root numbers. */
	snprintf(path, sizeof(path), "/proc/%d", r);
	snprintf(want, sizeof(want), "\t%d", getpid());
	poll_fdinfo_at_pair_is(path, nat_t, ours_t, getpid(), want, "test");
	snprintf(want, sizeof(want), "\t%d\t2\t1", j);
	poll_fdinfo_at_pair_is(path, nat_j, ours_j, j, want, "ns2 init");

	close(hold[1]);
	EXPECT_EQ(0, wait_exit(r));
	kill(i, SIGKILL);
	wait_exit(i);
}

/*
 * In a pid namespace of its own, the test reuses a number on purpose: the
 * old fds must show the original process as gone (-1), not the new owner
 * of its number, and must not lose their POLLHUP to it.
 */
TEST(poll_fdinfo_after_pid_reuse_is_minus_one)
{
	pid_t init = fork_newpidns();

	ASSERT_GE(init, 0);
	if (init == 0) {
		int nat, ours, nat2, ours2;
		pid_t k, k2;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		poll_mount_own_proc();
		k = spawn_sleeper();
		ASSERT_EQ(2, k);
		poll_open_pair(k, &nat, &ours);
		poll_fdinfo_pair_is(nat, ours, 2, "\t2", "original");
		kill_reap(k);
		poll_fdinfo_pair_is(nat, ours, -1, "\t-1", "reaped");

		/* The same number again, for a new process. */
		k2 = clone3_set_tid(2, 0);
		ASSERT_GE(k2, 0);
		if (k2 == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		ASSERT_EQ(2, k2);
		poll_fdinfo_pair_is(nat, ours, -1, "\t-1", "after reuse");
		EXPECT_EQ(POLL_REAPED, poll_events(ours, 0));

		poll_open_pair(k2, &nat2, &ours2);
		poll_fdinfo_pair_is(nat2, ours2, 2, "\t2", "new owner");
		EXPECT_EQ(0, poll_events(ours2, 0));
		kill_reap(k2);
		_exit(th_failed);
	}
	EXPECT_EQ(0, wait_exit(init));
}
