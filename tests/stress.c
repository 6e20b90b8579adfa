// SPDX-License-Identifier: GPL-2.0
/*
 * Races: pid reuse, and many threads on the same and different pidfds.
 *
 * pid_reuse_N: in a pid namespace of its own, each cycle
 *   1. clone3(set_tid) makes a target with a fixed number T; it names
 *      itself "t<cycle>" and records its start time (from /proc/self/stat);
 *   2. a pidfd is opened for T (alternately a process and a thread fd);
 *   3. the target is killed and reaped, and a newcomer is made with the
 *      same number T ("n<cycle>"), which counts every signal it gets;
 *   4. all along, another thread hammers the old pidfd with SEND_SIGNAL
 *      (SIGUSR1, every scope), PROCFD and poll.
 *   Verified per cycle: the newcomer got no signal (by its own count, or by
 *   dying of one), every directory PROCFD returned belongs to the target
 *   (its comm and start time read through the returned fd), SEND_SIGNAL and
 *   PROCFD give ESRCH once the target is reaped, and poll reports POLLHUP.
 *
 * storm_N: in a pid namespace of its own, a spawner thread keeps children
 *   coming and going (exit, fork-and-exit, exec, exec from a non-leader
 *   thread) while worker threads open, signal, translate, poll, close and
 *   dup2 over the same and different pidfds, so fds are closed while other
 *   threads are inside ioctls on them.  Every errno must be documented for
 *   its command; at the end no fd may be left over and the module answers.
 *
 * Settings (environment; on the QEMU guest see PIDFD_MOD_APPEND):
 *   PIDFD_MOD_STRESS_CYCLES   pid-reuse cycles in all, every one of which
 *                             must be done (default: up to 300, at most
 *                             12 s per case, at least 10 cycles per case)
 *   PIDFD_MOD_STRESS_SECONDS  storm time in all (default 6)
 *   PIDFD_MOD_STRESS_CYCLES_PER_CASE  cycles per TAP case (default 150)
 * Both run in cases of at most 20 s (the harness allows 30 s per case); a
 * final case checks that every cycle was done and prints the rates.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>

#include "util.h"
#include "errtab.h"

/* Delivery through send_sig_info() needs unchecked_signals: every scope under load. */
USE_UNCHECKED_SIGNALS()

#define CASE_MAX_S	20
#define REUSE_T		4242
#define MAX_CASES	400

static uint64_t cycles_total, storm_total_s, reuse_cases, storm_cases;
static uint64_t cycles_per_case;
/*
 * Without PIDFD_MOD_STRESS_CYCLES (make check), a case also stops after
 * SHORT_CASE_S, as sanitizer kernels under TCG manage only a few cycles a
 * second; with it, every cycle asked for must be done.
 */
#define SHORT_CASE_S	12
#define SHORT_MIN_CYCLES 10
static int short_mode;

/* Results of every case, summed up by the last one. */
struct totals {
	_Atomic uint64_t cycles, seconds_x1000, storm_ops, storm_ms;
	_Atomic uint64_t next_reuse, next_storm;
};
static struct totals *tot;

/* --- pid reuse ------------------------------------------------------------ */

struct reuse {
	_Atomic int pub_fd;		/* the old pidfd, -1 between cycles */
	_Atomic int busy;		/* the hammer is using pub_fd */
	_Atomic int stop;
	_Atomic int reaped;		/* target reaped (for this pub_fd) */
	_Atomic int newcomer_up;	/* newcomer has its handlers */
	_Atomic uint64_t post_ops;	/* hammer ops after newcomer_up */
	_Atomic int newcomer_sigs;
	_Atomic int newcomer_exit;
	_Atomic int target_ready;
	char tgt_comm[16];
	unsigned long long tgt_start;
	int procroot;
	/* results */
	_Atomic uint64_t sig_ok, sig_esrch, pfd_ok, pfd_esrch, pfd_gone, polls;
	_Atomic uint64_t wrong_dir, misdirected, bad_errno, bad_poll;
	_Atomic uint64_t sig_ok_after_reuse;
	_Atomic int pub_thread;		/* pub_fd is a thread fd */
	_Atomic uint64_t pfd_enoent[2];	/* by fd kind: process, thread */
	char last_err[200];
};
static struct reuse *rs;

/* The start time (field 22) of the stat file @name below @dirfd; 0 if none. */
static unsigned long long starttime_at(int dirfd, const char *name)
{
	char v[32];

	if (read_stat_field_at(dirfd, name, 22, v, sizeof(v)))
		return 0;
	return strtoull(v, NULL, 10);
}

/* The command name in the "comm" file below @dirfd, without its newline. */
static int comm_at(int dirfd, char *out, size_t len)
{
	if (read_file_at(dirfd, "comm", out, len) < 0)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

static void target_usr1(int sig)
{
	(void)sig;
}

static void newcomer_sig(int sig)
{
	(void)sig;
	atomic_fetch_add(&rs->newcomer_sigs, 1);
}

static void note(const char *fmt, int a, int b)
{
	snprintf(rs->last_err, sizeof(rs->last_err), fmt, a, b);
}

static void *hammer(void *arg)
{
	unsigned int seed = 12345;
	char comm[32];

	(void)arg;
	while (!atomic_load(&rs->stop)) {
		int fd, r, e, up, reaped, thr;

		atomic_store(&rs->busy, 1);
		fd = atomic_load(&rs->pub_fd);
		if (fd < 0) {
			atomic_store(&rs->busy, 0);
			sched_yield();
			continue;
		}
		up = atomic_load(&rs->newcomer_up);
		reaped = atomic_load(&rs->reaped);
		thr = atomic_load(&rs->pub_thread);
		switch (rand_r(&seed) % 3) {
		case 0: {
			static const unsigned int scopes[] = { 0,
				PIDFD_MOD_SIGNAL_THREAD,
				PIDFD_MOD_SIGNAL_THREAD_GROUP };

			r = pidfd_mod_send_signal(fd, SIGUSR1, NULL,
						  scopes[rand_r(&seed) % 3]);
			e = errno;
			if (r == 0) {
				atomic_fetch_add(&rs->sig_ok, 1);
				if (reaped) {
					atomic_fetch_add(&rs->sig_ok_after_reuse, 1);
					note("SEND_SIGNAL succeeded after the target was reaped (newcomer up: %d)", up, 0);
				}
			} else if (e == ESRCH) {
				atomic_fetch_add(&rs->sig_esrch, 1);
			} else {
				atomic_fetch_add(&rs->bad_errno, 1);
				note("SEND_SIGNAL: errno %d (newcomer up %d)", e, up);
			}
			break;
		}
		case 1: {
			unsigned long long st;

			r = pidfd_mod_procfd_open(rs->procroot, fd, 0);
			e = errno;
			if (r >= 0) {
				atomic_fetch_add(&rs->pfd_ok, 1);
				if (reaped) {
					atomic_fetch_add(&rs->wrong_dir, 1);
					note("PROCFD succeeded after the target was reaped (newcomer up %d)", up, 0);
				}
				if (comm_at(r, comm, sizeof(comm)) == 0) {
					if (strcmp(comm, rs->tgt_comm)) {
						atomic_fetch_add(&rs->wrong_dir, 1);
						snprintf(rs->last_err, sizeof(rs->last_err),
							 "PROCFD gave the directory of '%s', not of the target '%s'",
							 comm, rs->tgt_comm);
					}
				} else {
					atomic_fetch_add(&rs->pfd_gone, 1);
				}
				st = starttime_at(r, "stat");
				if (st && st != rs->tgt_start) {
					atomic_fetch_add(&rs->wrong_dir, 1);
					snprintf(rs->last_err, sizeof(rs->last_err),
						 "PROCFD gave a directory with start time %llu, the target's is %llu",
						 st, rs->tgt_start);
				}
				close(r);
			} else if (e == ESRCH) {
				atomic_fetch_add(&rs->pfd_esrch, 1);
			} else if (e == ENOENT && !up) {
				/*
				 * The target is being reaped: ESRCH is the
				 * documented answer; counted, and failed at
				 * the end of the case.
				 */
				atomic_fetch_add(&rs->pfd_enoent[!!thr], 1);
			} else {
				atomic_fetch_add(&rs->bad_errno, 1);
				note("PROCFD: errno %d (newcomer up %d)", e, up);
			}
			break;
		}
		default:
			r = poll_fd(fd, 0);
			atomic_fetch_add(&rs->polls, 1);
			if (reaped && (r & (POLLIN | POLLHUP)) != (POLLIN | POLLHUP)) {
				atomic_fetch_add(&rs->bad_poll, 1);
				note("poll after reap: revents 0x%x", r, 0);
			}
			break;
		}
		if (up)
			atomic_fetch_add(&rs->post_ops, 1);
		atomic_store(&rs->busy, 0);
	}
	return NULL;
}

static void target_main(uint64_t cycle)
{
	char name[16];

	signal(SIGUSR1, target_usr1);
	snprintf(name, sizeof(name), "t%" PRIu64, cycle);
	prctl(PR_SET_NAME, name);
	snprintf(rs->tgt_comm, sizeof(rs->tgt_comm), "%s", name);
	rs->tgt_start = starttime_at(AT_FDCWD, "/proc/self/stat");
	atomic_store(&rs->target_ready, 1);
	for (;;)
		pause();
}

static void newcomer_main(uint64_t cycle)
{
	struct sigaction sa = { .sa_handler = newcomer_sig };
	char name[16];
	int s;

	sigemptyset(&sa.sa_mask);
	for (s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD)
			sigaction(s, &sa, NULL);
	snprintf(name, sizeof(name), "n%" PRIu64, cycle);
	prctl(PR_SET_NAME, name);
	atomic_store(&rs->newcomer_up, 1);
	while (!atomic_load(&rs->newcomer_exit))
		usleep(200);
	_exit(0);
}

static void spin_until(_Atomic int *flag, double limit)
{
	while (!atomic_load(flag) && now_s() < limit)
		sched_yield();
}

/* The init of the namespace: runs @n cycles or until @limit. */
static void reuse_ns_init(uint64_t base, uint64_t n, double limit)
{
	pthread_t th;
	uint64_t i;
	pid_t t, nc;
	int st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rs->procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	atomic_store(&rs->pub_fd, -1);
	if (pthread_create(&th, NULL, hammer, NULL))
		_exit(3);
	for (i = 0; i < n && now_s() < limit; i++) {
		uint64_t cyc = base + i, post;
		int fd;

		atomic_store(&rs->target_ready, 0);
		atomic_store(&rs->newcomer_up, 0);
		atomic_store(&rs->newcomer_exit, 0);
		atomic_store(&rs->newcomer_sigs, 0);
		atomic_store(&rs->reaped, 0);
		t = clone3_set_tid(REUSE_T, 0);
		if (t < 0) {
			note("clone3 set_tid for the target: errno %d", errno, 0);
			_exit(4);
		}
		if (t == 0)
			target_main(cyc);
		spin_until(&rs->target_ready, limit + 5);
		atomic_store(&rs->pub_thread, (int)(i & 1));
		fd = pidfd_mod_open(REUSE_T, -1, (i & 1) ? PIDFD_MOD_THREAD : 0);
		if (fd < 0) {
			note("OPEN of the live target: errno %d", errno, 0);
			_exit(5);
		}
		atomic_store(&rs->pub_fd, fd);
		if (i & 2)
			usleep(i % 500);
		kill(t, SIGKILL);
		waitpid(t, &st, 0);
		atomic_store(&rs->reaped, 1);
		nc = clone3_set_tid(REUSE_T, 0);
		if (nc < 0) {
			note("clone3 set_tid for the newcomer: errno %d", errno, 0);
			_exit(6);
		}
		if (nc == 0)
			newcomer_main(cyc);
		spin_until(&rs->newcomer_up, limit + 5);
		/* Let the old fd be used against the newcomer a few times. */
		post = atomic_load(&rs->post_ops);
		while (atomic_load(&rs->post_ops) < post + 6 && now_s() < limit + 5)
			sched_yield();
		atomic_store(&rs->pub_fd, -1);
		while (atomic_load(&rs->busy))
			sched_yield();
		close(fd);
		atomic_store(&rs->newcomer_exit, 1);
		waitpid(nc, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			atomic_fetch_add(&rs->misdirected, 1);
			note("the newcomer died (status 0x%x) in cycle %d", st, (int)cyc);
		}
		if (atomic_load(&rs->newcomer_sigs)) {
			atomic_fetch_add(&rs->misdirected, 1);
			note("the newcomer received %d signal(s) in cycle %d",
			     atomic_load(&rs->newcomer_sigs), (int)cyc);
		}
		atomic_fetch_add(&tot->cycles, 1);
	}
	atomic_store(&rs->stop, 1);
	pthread_join(th, NULL);
	_exit(0);
}

static void reuse_case(uint64_t idx)
{
	uint64_t base = idx * cycles_per_case, n = cycles_per_case, before;
	uint64_t enoent_p, enoent_t, misdirected, wrong_dir, sig_after;
	uint64_t bad_errno, bad_poll, esrch;
	double t0 = now_s(), dt;
	pid_t p;
	int rc;

	if (base + n > cycles_total)
		n = cycles_total - base;
	rs = round_start(sizeof(*rs));
	before = atomic_load(&tot->cycles);
	p = fork_newpidns();
	ASSERT_GE(p, 0);
	if (p == 0)
		reuse_ns_init(base, n, t0 + (short_mode ? SHORT_CASE_S : CASE_MAX_S));
	rc = wait_exit(p);
	dt = now_s() - t0;
	n = atomic_load(&tot->cycles) - before;
	atomic_fetch_add(&tot->seconds_x1000, (uint64_t)(dt * 1000));
	th_diag("cycles %" PRIu64 "..%" PRIu64 ": %.1f s, %.0f cycles/s; SEND_SIGNAL ok %" PRIu64
		" ESRCH %" PRIu64 ", PROCFD ok %" PRIu64 " (%" PRIu64 " already gone) ESRCH %" PRIu64
		", polls %" PRIu64,
		base, base + n, dt, n / (dt > 0 ? dt : 1),
		atomic_load(&rs->sig_ok), atomic_load(&rs->sig_esrch),
		atomic_load(&rs->pfd_ok), atomic_load(&rs->pfd_gone),
		atomic_load(&rs->pfd_esrch), atomic_load(&rs->polls));
	if (rs->last_err[0])
		th_diag("last problem: %s", rs->last_err);
	enoent_p = atomic_load(&rs->pfd_enoent[0]);
	enoent_t = atomic_load(&rs->pfd_enoent[1]);
	/* A target being reaped is gone: ESRCH, never ENOENT. */
	if (enoent_p + enoent_t)
		TH_FAIL(0, "PROCFD gave ENOENT, not ESRCH, %" PRIu64
			" time(s) (process fd %" PRIu64 ", thread fd %" PRIu64
			") while the target was being reaped",
			enoent_p + enoent_t, enoent_p, enoent_t);
	misdirected = atomic_load(&rs->misdirected);
	wrong_dir = atomic_load(&rs->wrong_dir);
	sig_after = atomic_load(&rs->sig_ok_after_reuse);
	bad_errno = atomic_load(&rs->bad_errno);
	bad_poll = atomic_load(&rs->bad_poll);
	esrch = atomic_load(&rs->sig_esrch) + atomic_load(&rs->pfd_esrch);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(misdirected, 0);
	EXPECT_EQ(wrong_dir, 0);
	EXPECT_EQ(sig_after, 0);
	EXPECT_EQ(bad_errno, 0);
	EXPECT_EQ(bad_poll, 0);
	/* The hammer must have met the recycled number. */
	EXPECT_TRUE(esrch > 0);
}

/* --- storm ------------------------------------------------------------------ */

#define NSLOTS		16
#define NPIDS		16
#define NWORKERS	4

struct storm {
	_Atomic int fds[NSLOTS];
	_Atomic int pids[NPIDS];
	_Atomic int stop;
	_Atomic uint64_t ops, opens, sigs, procfds, polls, closes, dup2s;
	_Atomic uint64_t spawned, bad;
	int procroot, nsfd, devnull;
	char last_err[200];
};
static struct storm *sm;

static void storm_bad(const char *what, int e)
{
	atomic_fetch_add(&sm->bad, 1);
	snprintf(sm->last_err, sizeof(sm->last_err), "%s: errno %d (%s)",
		 what, e, strerror(e));
}

static void check_errno(int cmd, const char *what, int e)
{
	if (!errtab_ok(cmd, e))
		storm_bad(what, e);
}

/* Put @fd in a random slot; the fd that was there is ours to close. */
static void stash(int fd, unsigned int *seed)
{
	int old = atomic_exchange(&sm->fds[rand_r(seed) % NSLOTS], fd);

	if (old >= 0)
		close(old);
}

static void *storm_worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg * 7919 + 1;

	while (!atomic_load(&sm->stop)) {
		int fd, r, op = rand_r(&seed) % 8;

		atomic_fetch_add(&sm->ops, 1);
		switch (op) {
		case 0:
		case 1: {
			pid_t pid = rand_r(&seed) % 4 ? atomic_load(&sm->pids[rand_r(&seed) % NPIDS])
						       : (pid_t)(1 + rand_r(&seed) % 40);
			unsigned int fl = rand_r(&seed) % 3 == 0 ? PIDFD_MOD_THREAD : 0;

			if (pid <= 0)
				break;
			atomic_fetch_add(&sm->opens, 1);
			r = pidfd_mod_open(pid, rand_r(&seed) % 2 ? -1 : sm->nsfd, fl);
			if (r >= 0)
				stash(r, &seed);
			else
				check_errno(PIDFD_MOD_CMD_OPEN, "OPEN", errno);
			break;
		}
		case 2: {
			static const int sigs[] = { 0, SIGCONT, SIGUSR2, SIGURG };
			static const unsigned int scopes[] = { 0,
				PIDFD_MOD_SIGNAL_THREAD,
				PIDFD_MOD_SIGNAL_THREAD_GROUP,
				PIDFD_MOD_SIGNAL_PROCESS_GROUP };

			/* Not owned: another thread may close it meanwhile. */
			fd = atomic_load(&sm->fds[rand_r(&seed) % NSLOTS]);
			atomic_fetch_add(&sm->sigs, 1);
			r = pidfd_mod_send_signal(fd, sigs[rand_r(&seed) % 4], NULL,
						  scopes[rand_r(&seed) % 4]);
			if (r < 0)
				check_errno(PIDFD_MOD_CMD_SEND_SIGNAL, "SEND_SIGNAL", errno);
			break;
		}
		case 3:
		case 4:
			fd = atomic_load(&sm->fds[rand_r(&seed) % NSLOTS]);
			atomic_fetch_add(&sm->procfds, 1);
			r = pidfd_mod_procfd_open(sm->procroot, fd, 0);
			if (r >= 0) {
				/* Use it: the directory must be readable or gone. */
				(void)read_key_at(r, "status", "Pid");
				close(r);
			} else {
				check_errno(PIDFD_MOD_CMD_PROCFD, "PROCFD", errno);
			}
			break;
		case 5:
			fd = atomic_load(&sm->fds[rand_r(&seed) % NSLOTS]);
			atomic_fetch_add(&sm->polls, 1);
			if (fd >= 0)
				(void)poll_fd(fd, rand_r(&seed) % 2);
			break;
		case 6:
			fd = atomic_exchange(&sm->fds[rand_r(&seed) % NSLOTS], -1);
			if (fd >= 0) {
				atomic_fetch_add(&sm->closes, 1);
				close(fd);
			}
			break;
		default:
			/* Replace a pidfd under the others' feet. */
			fd = atomic_exchange(&sm->fds[rand_r(&seed) % NSLOTS], -1);
			if (fd >= 0) {
				atomic_fetch_add(&sm->dup2s, 1);
				if (dup2(sm->devnull, fd) < 0)
					storm_bad("dup2", errno);
				close(fd);
			}
			break;
		}
	}
	return NULL;
}

static void *exec_from_thread(void *arg)
{
	char *const argv[] = { "stress-exec", NULL };
	char *const envp[] = { "PIDFD_MOD_STRESS_EXEC=1", NULL };

	(void)arg;
	execve("/proc/self/exe", argv, envp);
	_exit(1);
}

static void storm_child(int kind)
{
	pthread_t th;
	char *const argv[] = { "stress-exec", NULL };
	char *const envp[] = { "PIDFD_MOD_STRESS_EXEC=1", NULL };

	/* Unlike the init (see storm_ns_init()), the children die of it. */
	signal(SIGUSR2, SIG_DFL);
	switch (kind) {
	case 0:
		usleep(1000 + (getpid() % 7) * 1000);
		_exit(0);
	case 1:
		if (fork() == 0) {
			usleep(2000);
			_exit(0);
		}
		_exit(0);
	case 2:
		execve("/proc/self/exe", argv, envp);
		_exit(1);
	default:
		/* A non-leader thread execs: it takes over the leader's pid. */
		pthread_create(&th, NULL, exec_from_thread, NULL);
		for (;;)
			pause();
	}
}

static void storm_ns_init(double seconds, uint64_t idx)
{
	pthread_t th[NWORKERS];
	double end = now_s() + seconds;
	unsigned int seed = (unsigned int)idx;
	int i, before, st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/*
	 * The workers signal pids 1 to 40 of this namespace, this init among
	 * them.  The kernel drops a signal whose default action kills when it
	 * is sent to a namespace's init from inside, but not while the thread
	 * it is sent to blocks it, as this one does inside pthread_create():
	 * the signal is queued for the whole process, and if another thread
	 * can take it, complete_signal() kills the process with it after all
	 * (docs/reliability.md).  SIGUSR2 is the only one of the storm's
	 * signals whose default action kills; ignored, it is dropped always.
	 */
	signal(SIGUSR2, SIG_IGN);
	sm->procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sm->nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	sm->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	before = next_fd();
	for (i = 0; i < NSLOTS; i++)
		atomic_store(&sm->fds[i], -1);
	for (i = 0; i < NWORKERS; i++)
		pthread_create(&th[i], NULL, storm_worker, (void *)(uintptr_t)(i + idx * 16));
	while (now_s() < end) {
		pid_t p;

		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			;
		p = fork();
		if (p == 0)
			storm_child(rand_r(&seed) % 4);
		if (p > 0) {
			int fd = pidfd_mod_open(p, -1, 0);

			atomic_fetch_add(&sm->spawned, 1);
			atomic_store(&sm->pids[rand_r(&seed) % NPIDS], p);
			if (fd >= 0)
				stash(fd, &seed);
			else
				check_errno(PIDFD_MOD_CMD_OPEN, "OPEN of a new child", errno);
		}
		usleep(500);
	}
	atomic_store(&sm->stop, 1);
	for (i = 0; i < NWORKERS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NSLOTS; i++) {
		int fd = atomic_exchange(&sm->fds[i], -1);

		if (fd >= 0)
			close(fd);
	}
	if (next_fd() != before) {
		snprintf(sm->last_err, sizeof(sm->last_err),
			 "fd leak: next free fd %d, was %d", next_fd(), before);
		atomic_fetch_add(&sm->bad, 1);
	}
	_exit(0);
}

static void storm_case(uint64_t idx)
{
	double secs = round_seconds(storm_total_s, idx, CASE_MAX_S);
	double t0 = now_s(), dt;
	struct pidfd_mod_features f;
	uint64_t bad, ops;
	pid_t p;
	int rc;

	ASSERT_EQ(errtab_load(), 0);
	sm = round_start(sizeof(*sm));
	p = fork_newpidns();
	ASSERT_GE(p, 0);
	if (p == 0)
		storm_ns_init(secs, idx);
	rc = wait_exit(p);
	dt = now_s() - t0;
	atomic_fetch_add(&tot->storm_ops, atomic_load(&sm->ops));
	atomic_fetch_add(&tot->storm_ms, (uint64_t)(dt * 1000));
	th_diag("storm %" PRIu64 ": %.1f s, %" PRIu64 " ops (%.0f/s): open %" PRIu64 " signal %" PRIu64
		" procfd %" PRIu64 " poll %" PRIu64 " close %" PRIu64 " dup2 %" PRIu64 "; %" PRIu64 " children",
		idx, dt, atomic_load(&sm->ops), atomic_load(&sm->ops) / (dt > 0 ? dt : 1),
		atomic_load(&sm->opens), atomic_load(&sm->sigs), atomic_load(&sm->procfds),
		atomic_load(&sm->polls), atomic_load(&sm->closes), atomic_load(&sm->dup2s),
		atomic_load(&sm->spawned));
	if (sm->last_err[0])
		th_diag("last problem: %s", sm->last_err);
	if (rc > 128)
		th_diag("the init of the storm's pid namespace was killed by signal %d (%s)",
			rc - 128, strsignal(rc - 128));
	bad = atomic_load(&sm->bad);
	ops = atomic_load(&sm->ops);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(bad, 0);
	EXPECT_TRUE(ops > 0);
	EXPECT_EQ(pidfd_mod_features(&f), 0);
}

static void summary(void)
{
	uint64_t c = atomic_load(&tot->cycles), ms = atomic_load(&tot->seconds_x1000);
	uint64_t ops = atomic_load(&tot->storm_ops), sms = atomic_load(&tot->storm_ms);

	th_diag("pid reuse: %" PRIu64 " of %" PRIu64 " cycles in %.1f s (%.1f cycles/s)%s",
		c, cycles_total, ms / 1000.0, ms ? c * 1000.0 / ms : 0,
		short_mode ? ", short mode (time-bounded)" : "");
	th_diag("storm: %" PRIu64 " operations in %.1f s (%.0f ops/s)",
		ops, sms / 1000.0, sms ? ops * 1000.0 / sms : 0);
	if (short_mode)
		EXPECT_GE(c, SHORT_MIN_CYCLES * reuse_cases);
	else
		EXPECT_EQ(c, cycles_total);
}

/*
 * Every pid_reuse_N case runs the same function; N comes from a counter in
 * shared memory, as the harness runs the cases one after the other, each
 * in a child of its own.
 */
static void reuse_next(void)
{
	reuse_case(atomic_fetch_add(&tot->next_reuse, 1));
}

static void storm_next(void)
{
	storm_case(atomic_fetch_add(&tot->next_storm, 1));
}

__attribute__((constructor)) static void stress_register(void)
{
	static char names[MAX_CASES][32];
	uint64_t i;

	/* A child of the storm that exec'd this binary: just exit. */
	if (getenv("PIDFD_MOD_STRESS_EXEC")) {
		usleep(1000);
		_exit(0);
	}
	short_mode = !getenv("PIDFD_MOD_STRESS_CYCLES");
	cycles_total = env_u64("PIDFD_MOD_STRESS_CYCLES", 300, 1, 1000000);
	storm_total_s = env_u64("PIDFD_MOD_STRESS_SECONDS", 6, 1, 100 * CASE_MAX_S);
	/* Cycles per case: what TCG manages well within CASE_MAX_S. */
	cycles_per_case = env_u64("PIDFD_MOD_STRESS_CYCLES_PER_CASE", 150, 1, 100000);
	reuse_cases = (cycles_total + cycles_per_case - 1) / cycles_per_case;
	storm_cases = (storm_total_s + CASE_MAX_S - 1) / CASE_MAX_S;
	if (reuse_cases + storm_cases + 1 > MAX_CASES) {
		printf("Bail out! %" PRIu64 " cycles at %" PRIu64 " per case and %" PRIu64
		       " s of storm need more than %d cases; raise PIDFD_MOD_STRESS_CYCLES_PER_CASE\n",
		       cycles_total, cycles_per_case, storm_total_s, MAX_CASES);
		exit(2);
	}
	tot = mmap(NULL, sizeof(*tot), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < reuse_cases; i++) {
		snprintf(names[i], sizeof(names[i]), "pid_reuse_%" PRIu64, i);
		th_register(names[i], reuse_next);
	}
	for (i = 0; i < storm_cases; i++) {
		snprintf(names[reuse_cases + i], sizeof(names[0]), "storm_%" PRIu64, i);
		th_register(names[reuse_cases + i], storm_next);
	}
	th_register("stress_summary", summary);
}
