// SPDX-License-Identifier: GPL-2.0
/*
 * An ioctl fuzzer for /dev/pidfd.  A seeded PRNG builds random and mutated
 * commands (other types, numbers, directions and sizes), argument sizes,
 * flags, file descriptors (ours, foreign, closed, -1, native pidfds, nsfs,
 * procfs roots), argument and siginfo pointers (NULL, unmapped, kernel
 * addresses, a structure crossing into an unmapped page) and signals.
 *
 * Every errno must be one uapi/linux/pidfd_mod.h documents for the command
 * (tests/errtab.h reads the table from the header); a command this module
 * does not define must give ENOTTY.  Any other errno, a successful return
 * that is not a new close-on-exec fd or 0, a crash or a hang fails.
 *
 * The work runs in a forked child that is the init of a new pid namespace,
 * with a few sacrificial children: a pidfd can only name processes of that
 * namespace, whose init ignores every signal it has no handler for, so no
 * signal can reach the harness or the guest's init.  The one way through
 * that protection, a siginfo with si_code SI_KERNEL sent to oneself, is
 * never built.
 *
 * Settings (environment; on the QEMU guest, kernel command line words of the
 * form NAME=VALUE become init's environment, see PIDFD_MOD_APPEND):
 *   PIDFD_MOD_FUZZ_SEED      seed (default: from the clock; always printed)
 *   PIDFD_MOD_FUZZ_SECONDS   total time (default 6); runs in rounds of at
 *                            most 20 s, one TAP case each
 *   PIDFD_MOD_FUZZ_ITERS     iterations per round at most (default 1000000;
 *                            0: no limit but the time)
 * Round r uses seed + r, so any round can be replayed alone with
 * PIDFD_MOD_FUZZ_SEED=<seed+r> PIDFD_MOD_FUZZ_SECONDS=<its length>.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "util.h"
#include "errtab.h"

/* Delivery through send_sig_info() needs unchecked_signals: every delivery path. */
USE_UNCHECKED_SIGNALS()

#define ROUND_MAX_S	20
#define MAX_REPORTS	12

struct fuzz_shared {
	volatile uint64_t iter;		/* iteration in progress */
	volatile uint64_t done;		/* iterations finished */
	volatile uint32_t cmd;
	volatile int ptr_kind, info_kind;
	unsigned char arg[64];		/* the argument as built */
	volatile int failures;
	volatile uint64_t ok[ERRTAB_NCMD + 1];
	volatile uint64_t err[ERRTAB_NCMD + 1][ERRTAB_MAXERR];
};

static uint64_t fz_seed, fz_total_s, fz_iters, fz_rounds;
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t rn(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* Commands the VFS answers before the driver: never the module's. */
static int vfs_cmd(uint32_t cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	if (type == PIDFD_MOD_IOC_TYPE)
		return 0;
	/* FIO*, FI* (freeze, clone, fiemap), FS_IOC_*, FIBMAP/FIGETBSZ. */
	return type == 'T' || type == 'X' || type == 'f' || type == 0x94 ||
	       type == 0x15 || type == 0x00;
}

/* The module's command number for @cmd, or -1 for anything else. */
static int module_cmd(uint32_t cmd)
{
	static const uint32_t cmds[ERRTAB_NCMD] = {
		PIDFD_MOD_IOC_FEATURES, PIDFD_MOD_IOC_OPEN,
		PIDFD_MOD_IOC_PROCFD, PIDFD_MOD_IOC_SEND_SIGNAL,
		PIDFD_MOD_IOC_INFO, PIDFD_MOD_IOC_TRANSLATE,
		PIDFD_MOD_IOC_OPEN_ID, PIDFD_MOD_IOC_IMPORT,
	};
	int i;

	for (i = 0; i < ERRTAB_NCMD; i++)
		if (cmds[i] == cmd)
			return i;
	return -1;
}

static const unsigned int ver0[ERRTAB_NCMD] = {
	PIDFD_MOD_FEATURES_SIZE_VER0, PIDFD_MOD_OPEN_SIZE_VER0,
	PIDFD_MOD_PROCFD_SIZE_VER0, PIDFD_MOD_SEND_SIGNAL_SIZE_VER0,
	PIDFD_MOD_INFO_SIZE_VER0, PIDFD_MOD_TRANSLATE_SIZE_VER0,
	PIDFD_MOD_OPEN_ID_SIZE_VER0, PIDFD_MOD_IMPORT_SIZE_VER0,
};

/* --- the worker's world ------------------------------------------------- */

#define NKIDS		4
#define NFDS		40

static pid_t kids[NKIDS];
static uint64_t kid_ids[NKIDS];	/* their module ids, for OPEN_ID */
static int fdpool[NFDS];
static int nfd;
static char *arena;		/* 3 pages: rw, rw, unmapped */
static char *ro_page;		/* read-only zero page */
static struct fuzz_shared *sh;

static void add_fd(int fd)
{
	if (nfd < NFDS)
		fdpool[nfd++] = fd;
}

/* Keep NKIDS sacrificial children alive; a slot's fds follow its child. */
static void refill_kids(void)
{
	int i, st;
	pid_t p;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < NKIDS; i++)
			if (kids[i] == p)
				kids[i] = 0;
	for (i = 0; i < NKIDS; i++) {
		if (kids[i])
			continue;
		kids[i] = spawn_sleeper();
		/* Slots 8 + 2i and 9 + 2i hold this child's module pidfds. */
		if (fdpool[8 + 2 * i] >= 0)
			close(fdpool[8 + 2 * i]);
		if (fdpool[9 + 2 * i] >= 0)
			close(fdpool[9 + 2 * i]);
		fdpool[8 + 2 * i] = pidfd_mod_open(kids[i], -1, 0);
		fdpool[9 + 2 * i] = pidfd_mod_open(kids[i], -1, PIDFD_MOD_THREAD);
		kid_ids[i] = pidfd_mod_id(fdpool[8 + 2 * i]);
	}
}

static void setup_world(void)
{
	int i;

	arena = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(arena + 2 * 4096, 4096);
	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	for (i = 0; i < NFDS; i++)
		fdpool[i] = -1;
	nfd = 0;
	add_fd(-1);						/* 0 */
	add_fd(pidfd_mod_dev());				/* 1 */
	add_fd(open("/dev/null", O_RDWR | O_CLOEXEC));		/* 2 */
	add_fd(open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)); /* 3 */
	add_fd(open("/proc", O_PATH | O_CLOEXEC));		/* 4 */
	add_fd(open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)); /* 5 */
	add_fd(open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)); /* 6 */
	add_fd(open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC)); /* 7 */
	nfd = 8 + 2 * NKIDS;					/* kids' fds */
	refill_kids();
	add_fd(pidfd_mod_open(1, -1, 0));			/* ourselves */
	add_fd(pidfd_mod_open(1, -1, PIDFD_MOD_THREAD));
	add_fd(sys_pidfd_open(kids[0], 0));			/* native */
	add_fd(open("/proc/self/ns/pid", O_PATH | O_CLOEXEC));
	add_fd(open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC));
	add_fd(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	add_fd(open("/proc/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	add_fd(1000);					/* closed */
	add_fd(INT32_MAX);
	add_fd(INT32_MIN);
	add_fd(0);
}

static int pick_fd(void)
{
	if (rn(8) == 0)
		return (int)rnd();
	if (rn(6) == 0)
		return (int)rn(64);
	return fdpool[rn(nfd)];
}

static uint32_t pick_flags(int c)
{
	static const uint32_t open_f[] = { 0, PIDFD_MOD_NONBLOCK,
		PIDFD_MOD_THREAD, PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD };
	static const uint32_t sig_f[] = { 0, PIDFD_MOD_SIGNAL_THREAD,
		PIDFD_MOD_SIGNAL_THREAD_GROUP, PIDFD_MOD_SIGNAL_PROCESS_GROUP };

	switch (rn(6)) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return 1U << rn(32);
	case 2:
		return 0;
	default:
		if (c == PIDFD_MOD_CMD_OPEN || c == PIDFD_MOD_CMD_OPEN_ID)
			return open_f[rn(4)];
		if (c == PIDFD_MOD_CMD_SEND_SIGNAL)
			return sig_f[rn(4)];
		if (c == PIDFD_MOD_CMD_TRANSLATE)
			return rn(2) ? PIDFD_MOD_TRANSLATE_TGID : 0;
		return 0;
	}
}

static uint32_t pick_size(int c)
{
	unsigned int v = c >= 0 ? ver0[c] : 24;

	switch (rn(14)) {
	case 0: return 0;
	case 1: return (uint32_t)rn(v);
	case 2: return v - 1;
	case 3: return v + 1;
	case 4: return v + 8;
	case 5: return 4096;
	case 6: return 4097;
	case 7: return 65536;
	case 8: return UINT32_MAX;
	case 9: return (uint32_t)rnd();
	case 10: return v + (uint32_t)rn(4096 - v);
	default: return v;
	}
}

static int pick_sig(void)
{
	static const int sigs[] = { 0, 0, 0, SIGUSR1, SIGUSR2, SIGCONT, SIGTERM,
		SIGKILL, SIGSTOP, 34, 40, 64, 65, -1, 1000 };

	if (rn(10) == 0)
		return (int)rnd();
	return sigs[rn(sizeof(sigs) / sizeof(sigs[0]))];
}

enum { P_NORMAL, P_NULL, P_UNMAPPED, P_KERNEL, P_EDGE, P_RO, P_RANDOM, P_NK };

/* The siginfo pointer for SEND_SIGNAL. */
static uint64_t pick_info(int sig, int *kind)
{
	siginfo_t *si;
	size_t n;

	*kind = (int)rn(8);
	switch (*kind) {
	case 0:
	case 1:
		return 0;
	case 2:
		return (uintptr_t)(arena + 4096 * 2);	/* unmapped */
	case 3:
		return 0xffff888000000000ULL;
	case 4:
		/* Crossing into the hole: only its first bytes are readable. */
		n = 8 + rn(sizeof(siginfo_t) - 8);
		return (uintptr_t)(arena + 3 * 4096 - 4096 - n);
	default:
		si = (siginfo_t *)(arena + 4096);
		memset(si, 0, sizeof(*si));
		si->si_signo = rn(4) ? sig : (int)rn(70);
		switch (rn(6)) {
		case 0: si->si_code = SI_QUEUE; break;
		case 1: si->si_code = SI_USER; break;
		case 2: si->si_code = SI_TKILL; break;
		case 3: si->si_code = (int)rnd(); break;
		case 4: si->si_code = SI_TIMER; break;
		default: si->si_code = (int)rn(10); break;
		}
		/*
		 * SI_KERNEL forces delivery even to a pid namespace's init
		 * (kernel/signal.c: send_signal_locked()), and a caller may
		 * send any si_code to itself: SIGKILL or SIGSTOP would end or
		 * stop the worker.  So never SI_KERNEL.
		 */
		if (si->si_code == SI_KERNEL)
			si->si_code = SI_QUEUE;
		if (rn(4) == 0)	/* bytes past the part the kernel keeps */
			((char *)si)[100 + rn(sizeof(*si) - 100)] = (char)(1 + rn(255));
		return (uintptr_t)si;
	}
}

static uint32_t pick_cmd(int *c)
{
	uint32_t cmd;

	for (;;) {
		*c = (int)rn(ERRTAB_NCMD);
		cmd = _IO(PIDFD_MOD_IOC_TYPE, *c);
		switch (rn(10)) {
		case 0:	/* another direction */
			cmd |= (uint32_t)rn(4) << _IOC_DIRSHIFT;
			break;
		case 1:	/* a size in the command */
			cmd |= (uint32_t)rn(1 << _IOC_SIZEBITS) << _IOC_SIZESHIFT;
			break;
		case 2:	/* another number */
			cmd = _IO(PIDFD_MOD_IOC_TYPE, rn(256));
			break;
		case 3:	/* another type */
			cmd = (cmd & ~(0xffU << _IOC_TYPESHIFT)) |
			      (uint32_t)rn(256) << _IOC_TYPESHIFT;
			break;
		case 4:
			cmd = (uint32_t)rnd();
			break;
		default:
			break;
		}
		if (!vfs_cmd(cmd))
			break;
	}
	*c = module_cmd(cmd);
	return cmd;
}

static void report(uint64_t it, uint32_t cmd, const char *what)
{
	int i;
	char hex[200];
	size_t off = 0;

	sh->failures++;
	if (sh->failures > MAX_REPORTS)
		return;
	for (i = 0; i < 32; i++)
		off += snprintf(hex + off, sizeof(hex) - off, "%02x", sh->arg[i]);
	printf("# FAIL seed %" PRIu64 " iteration %" PRIu64 ": cmd 0x%08x ptr %d info %d arg %s: %s\n",
	       fz_seed, it, cmd, sh->ptr_kind, sh->info_kind, hex, what);
	fflush(stdout);
}

/* One iteration. */
static void fuzz_one(uint64_t it)
{
	int c, dev = pidfd_mod_dev(), ptrk, infok = -1, e;
	uint32_t cmd = pick_cmd(&c), size;
	unsigned int built = 64;
	char *buf = arena, msg[200];
	uint64_t argp;
	long r;

	memset(arena, 0, 2 * 4096);
	size = pick_size(c >= 0 ? c : (int)rn(ERRTAB_NCMD));
	memcpy(buf, &size, 4);
	{
		uint32_t flags = pick_flags(c);

		memcpy(buf + 4, &flags, 4);
	}
	switch (c) {
	case PIDFD_MOD_CMD_OPEN: {
		int32_t pid, nsfd = rn(3) ? -1 : pick_fd();

		switch (rn(6)) {
		case 0: pid = (int32_t)rnd(); break;
		case 1: pid = (int32_t)rn(3) - 1; break;
		case 2: pid = 1; break;
		default: pid = kids[rn(NKIDS)]; break;
		}
		memcpy(buf + 8, &pid, 4);
		memcpy(buf + 12, &nsfd, 4);
		break;
	}
	case PIDFD_MOD_CMD_PROCFD: {
		int32_t pidfd = rn(2) ? fdpool[8 + rn(2 * NKIDS + 2)] : pick_fd();
		int32_t root = rn(2) ? fdpool[3 + rn(2)] : pick_fd();

		memcpy(buf + 8, &pidfd, 4);
		memcpy(buf + 12, &root, 4);
		break;
	}
	case PIDFD_MOD_CMD_SEND_SIGNAL: {
		int32_t pidfd = rn(2) ? fdpool[8 + rn(2 * NKIDS + 2)] : pick_fd();
		int32_t sig = pick_sig();
		uint64_t info = pick_info(sig, &infok);

		memcpy(buf + 8, &pidfd, 4);
		memcpy(buf + 12, &sig, 4);
		memcpy(buf + 16, &info, 8);
		break;
	}
	case PIDFD_MOD_CMD_INFO: {
		int32_t pidfd = rn(2) ? fdpool[8 + rn(2 * NKIDS + 2)] : pick_fd();
		int32_t nsfd = rn(3) ? -1 : pick_fd();

		memcpy(buf + 8, &pidfd, 4);
		memcpy(buf + 12, &nsfd, 4);
		/* Output fields hold junk on input: it must not matter. */
		if (rn(4) == 0)
			for (e = 24; e < (int)ver0[c]; e++)
				buf[e] = (char)rnd();
		break;
	}
	case PIDFD_MOD_CMD_TRANSLATE: {
		int32_t pid, from = rn(3) ? -1 : pick_fd();
		int32_t to = rn(3) ? -1 : pick_fd();

		switch (rn(5)) {
		case 0: pid = (int32_t)rnd(); break;
		case 1: pid = (int32_t)rn(3) - 1; break;
		case 2: pid = 1; break;
		default: pid = kids[rn(NKIDS)]; break;
		}
		memcpy(buf + 8, &pid, 4);
		memcpy(buf + 12, &from, 4);
		memcpy(buf + 16, &to, 4);
		break;
	}
	case PIDFD_MOD_CMD_IMPORT: {
		int32_t pidfd;

		switch (rn(5)) {
		case 0: pidfd = PIDFD_MOD_SELF_THREAD - (int32_t)rn(3); break;
		case 1: pidfd = pick_fd(); break;
		default: pidfd = fdpool[8 + rn(2 * NKIDS + 2)]; break;
		}
		memcpy(buf + 8, &pidfd, 4);
		break;
	}
	case PIDFD_MOD_CMD_OPEN_ID: {
		int32_t nsfd = rn(3) ? -1 : pick_fd();
		uint64_t id;

		switch (rn(4)) {
		case 0: id = rnd(); break;
		case 1: id = rn(3); break;
		default: id = kid_ids[rn(NKIDS)]; break;
		}
		memcpy(buf + 8, &nsfd, 4);
		memcpy(buf + 16, &id, 8);
		break;
	}
	default:
		/* FEATURES or a foreign command: random output fields. */
		if (rn(4) == 0)
			for (e = 8; e < 48; e++)
				buf[e] = (char)rnd();
		break;
	}
	/* Reserved field and the tail beyond the structure. */
	if (c >= 0 && rn(12) == 0)
		buf[ver0[c] - 1 - rn(8)] = (char)(1 + rn(255));
	if (rn(8) == 0)
		buf[ver0[c >= 0 ? c : 0] + rn(4096 - 64)] = (char)(1 + rn(255));

	ptrk = (int)rn(P_NK + 6);
	if (ptrk >= P_NK)
		ptrk = P_NORMAL;
	switch (ptrk) {
	case P_NULL: argp = 0; break;
	case P_UNMAPPED: argp = (uintptr_t)(arena + 2 * 4096); break;
	case P_KERNEL:
		argp = rn(2) ? 0xffff888000000000ULL : 0xffffffff81000000ULL;
		break;
	case P_EDGE: {
		/* The structure crosses into the unmapped page. */
		unsigned int n = 1 + (unsigned int)rn(47);

		memmove(arena + 2 * 4096 - n, buf, n);
		argp = (uintptr_t)(arena + 2 * 4096 - n);
		break;
	}
	case P_RO: argp = (uintptr_t)ro_page; break;
	case P_RANDOM: argp = rnd(); break;
	default: argp = (uintptr_t)buf; break;
	}

	sh->iter = it;
	sh->cmd = cmd;
	sh->ptr_kind = ptrk;
	sh->info_kind = infok;
	memcpy(sh->arg, buf, built);

	errno = 0;
	r = ioctl(dev, cmd, (unsigned long)argp);
	e = errno;
	if (r >= 0) {
		sh->ok[c >= 0 ? c : ERRTAB_NCMD]++;
		if (c < 0) {
			snprintf(msg, sizeof(msg), "undefined command returned %ld", r);
			report(it, cmd, msg);
		} else if (c == PIDFD_MOD_CMD_OPEN || c == PIDFD_MOD_CMD_PROCFD ||
			   c == PIDFD_MOD_CMD_OPEN_ID ||
			   c == PIDFD_MOD_CMD_IMPORT) {
			int fl = fcntl((int)r, F_GETFD);

			if (fl < 0 || !(fl & FD_CLOEXEC)) {
				snprintf(msg, sizeof(msg), "returned fd %ld is %s", r,
					 fl < 0 ? "not open" : "not close-on-exec");
				report(it, cmd, msg);
			}
			close((int)r);
		} else if (r != 0) {
			snprintf(msg, sizeof(msg), "returned %ld, want 0", r);
			report(it, cmd, msg);
		}
	} else {
		int slot = c >= 0 ? c : ERRTAB_NCMD;

		if (e > 0 && e < ERRTAB_MAXERR)
			sh->err[slot][e]++;
		if (r != -1) {
			snprintf(msg, sizeof(msg), "returned %ld", r);
			report(it, cmd, msg);
		} else if (c < 0 ? e != ENOTTY : !errtab_ok(c, e)) {
			snprintf(msg, sizeof(msg), "errno %s (%d) is not documented for %s (allowed: %s)",
				 errtab_name(e), e,
				 c < 0 ? "an undefined command" : errtab_cmd_names[c],
				 c < 0 ? "ENOTTY" : errtab_describe(c));
			report(it, cmd, msg);
		}
	}
	sh->done = it + 1;
}

/* The worker: init of a new pid namespace. */
static void worker(uint64_t seed, double seconds, uint64_t iters)
{
	double end = now_s() + seconds;
	struct pidfd_mod_features f;
	uint64_t it;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	setup_world();
	for (it = 0; !iters || it < iters; it++) {
		if ((it & 63) == 0) {
			refill_kids();
			if (now_s() >= end)
				break;
		}
		fuzz_one(it);
		if ((it & 1023) == 1023 && pidfd_mod_features(&f) != 0) {
			report(it, PIDFD_MOD_IOC_FEATURES, "the module stopped answering FEATURES");
			break;
		}
	}
	_exit(0);
}

static void run_round(uint64_t r)
{
	uint64_t seed = fz_seed + r;
	double secs = round_seconds(fz_total_s, r, ROUND_MAX_S);
	double t0, dt;
	int status, c, e, before;
	pid_t p;

	ASSERT_EQ(errtab_load(), 0);
	sh = round_start(sizeof(*sh));
	before = next_fd();
	th_diag("round %" PRIu64 ": seed %" PRIu64 ", up to %.0f s and %" PRIu64 " iterations",
		r, seed, secs, fz_iters);
	t0 = now_s();
	p = fork_newpidns();
	ASSERT_GE(p, 0);
	if (p == 0) {
		fz_seed = seed;
		worker(seed, secs, fz_iters);
	}
	status = wait_exit(p);
	dt = now_s() - t0;
	th_diag("round %" PRIu64 ": %" PRIu64 " iterations in %.1f s (%.0f/s), %d failures",
		r, sh->done, dt, sh->done / (dt > 0 ? dt : 1), sh->failures);
	for (c = 0; c <= ERRTAB_NCMD; c++) {
		char line[600];
		size_t off = 0;

		off += snprintf(line, sizeof(line), "  %s: ok %" PRIu64,
				c < ERRTAB_NCMD ? errtab_cmd_names[c] : "other commands",
				sh->ok[c]);
		for (e = 1; e < ERRTAB_MAXERR; e++)
			if (sh->err[c][e])
				off += snprintf(line + off, sizeof(line) - off, " %s %" PRIu64,
						errtab_name(e), sh->err[c][e]);
		th_diag("%s", line);
	}
	if (status != 0)
		TH_FAIL(0, "worker ended with status %d at iteration %" PRIu64
			" (cmd 0x%08x, pointer kind %d); replay: PIDFD_MOD_FUZZ_SEED=%" PRIu64,
			status, sh->iter, sh->cmd, sh->ptr_kind, seed);
	EXPECT_EQ(sh->failures, 0);
	EXPECT_TRUE(sh->done > 0);
	/* Nothing the worker did may leave an fd in this process. */
	EXPECT_EQ(next_fd(), before);
}

/* Every round case runs this; the round number is a shared counter. */
static _Atomic uint64_t *next_round;

static void fuzz_next(void)
{
	run_round(atomic_fetch_add(next_round, 1));
}

static void errno_table(void)
{
	int c;

	ASSERT_EQ(errtab_load(), 0);
	th_diag("fuzz: seed %" PRIu64 ", %" PRIu64 " s in %" PRIu64 " round(s) of at most %" PRIu64 " iterations",
		fz_seed, fz_total_s, fz_rounds, fz_iters);
	for (c = 0; c < ERRTAB_NCMD; c++) {
		th_diag("%s may fail with: %s", errtab_cmd_names[c], errtab_describe(c));
		/* The common errors are in every set. */
		EXPECT_TRUE(errtab_ok(c, ENOTTY) && errtab_ok(c, EFAULT) &&
			    errtab_ok(c, EINVAL) && errtab_ok(c, E2BIG) &&
			    errtab_ok(c, EMFILE) && errtab_ok(c, ENOMEM));
	}
	EXPECT_TRUE(errtab_ok(PIDFD_MOD_CMD_OPEN, ESRCH));
	EXPECT_TRUE(!errtab_ok(PIDFD_MOD_CMD_FEATURES, ESRCH));
}

__attribute__((constructor)) static void fuzz_register(void)
{
	static char names[64][32];
	uint64_t r;

	fz_seed = env_u64("PIDFD_MOD_FUZZ_SEED",
			  ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16)) % 1000000007ULL,
			  0, UINT64_MAX - 64);
	fz_total_s = env_u64("PIDFD_MOD_FUZZ_SECONDS", 6, 0, 64 * ROUND_MAX_S);
	fz_iters = env_u64("PIDFD_MOD_FUZZ_ITERS", 1000000, 0, UINT64_MAX);
	if (!fz_total_s)
		fz_total_s = 1;
	fz_rounds = (fz_total_s + ROUND_MAX_S - 1) / ROUND_MAX_S;
	th_register("fuzz_errno_table", errno_table);
	next_round = mmap(NULL, sizeof(*next_round), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (r = 0; r < fz_rounds; r++) {
		snprintf(names[r], sizeof(names[r]), "fuzz_round_%" PRIu64, r);
		th_register(names[r], fuzz_next);
	}
}
