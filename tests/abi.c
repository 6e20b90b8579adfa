// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl contract common to every command: the size-first argument
 * structures, unknown commands, bad pointers, and the feature query.
 *
 * Every command is described once in abi_cmds[]: how to fill a valid
 * argument, how to prove an accepted call did its normal work, and how to
 * prove a refused one did nothing (no fd, no signal, no output).  Each
 * contract rule then gets one TEST per command, so a failure names both.
 */
#include <stddef.h>

#include "util.h"

/* Largest argument the module accepts (PAGE_SIZE on x86-64). */
#define ABI_ARG_SIZE_MAX	4096

/* Room for the largest argument plus a tail, 8-byte aligned. */
static uint64_t abi_buf_store[(ABI_ARG_SIZE_MAX + 64) / 8];
#define abi_buf ((unsigned char *)abi_buf_store)

/* Set up by abi_setup() in each case that needs it. */
static int abi_self_pidfd = -1;
static int abi_procroot = -1;

struct abi_cmd {
	const char *name;
	unsigned long cmd;
	size_t size;		/* sizeof the structure this build knows */
	size_t ver0;		/* *_SIZE_VER0 */
	uint32_t flags;		/* flags the command accepts */
	size_t reserved_off;	/* offset of __reserved (a __u64) */
	int makes_fd;		/* returns a new fd on success */
	void (*fill)(void *arg);
	/* An accepted call returned @ret for @arg declared @user_size long. */
	void (*check_ok)(long ret, void *arg, size_t user_size);
	/* A refused call left no trace; @arg is NULL when not readable. */
	void (*check_nothing)(const void *arg);
};

static void abi_setup(void)
{
	ASSERT_GE(pidfd_mod_dev(), 0);
	abi_self_pidfd = pidfd_mod_open(getpid(), -1, 0);
	ASSERT_GE(abi_self_pidfd, 0);
	abi_procroot = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(abi_procroot, 0);
	catch_sig(SIGUSR1);
	got_sig = 0;
}

/* PIDFD_MOD_IOC_FEATURES */

static void abi_features_fill(void *arg)
{
	(void)arg;	/* all zero */
}

static void abi_features_ok(long ret, void *arg, size_t user_size)
{
	struct pidfd_mod_features *f = arg;

	ASSERT_EQ(0, ret);
	EXPECT_EQ(user_size < sizeof(*f) ? user_size : sizeof(*f), f->size);
	EXPECT_EQ(PIDFD_MOD_ABI_VERSION, f->abi_version);
	EXPECT_EQ((1u << PIDFD_MOD_CMD_NR) - 1, f->cmds);
	EXPECT_EQ(PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD, f->open_flags);
	EXPECT_EQ(0, f->__reserved);
	if (user_size >= PIDFD_MOD_FEATURES_SIZE_VER2)
		EXPECT_EQ(PIDFD_MOD_ACCEPT_MODULE | PIDFD_MOD_ACCEPT_NATIVE |
			  PIDFD_MOD_ACCEPT_PROC_DIR | PIDFD_MOD_ACCEPT_SELF,
			  f->accepts);
}

static void abi_features_nothing(const void *arg)
{
	const struct pidfd_mod_features *f = arg;

	if (!f)
		return;
	/* Nothing was written back. */
	EXPECT_EQ(0, f->abi_version);
	EXPECT_EQ(0, f->cmds);
	EXPECT_EQ(0, f->open_flags);
	EXPECT_EQ(0, f->send_signal_flags);
}

/* PIDFD_MOD_IOC_OPEN: open the caller itself. */

static void abi_open_fill(void *arg)
{
	struct pidfd_mod_open *o = arg;

	o->pid = getpid();
	o->nsfd = -1;
}

static void abi_open_ok(long ret, void *arg, size_t user_size)
{
	(void)arg;
	(void)user_size;
	ASSERT_GE(ret, 0);
	EXPECT_EQ(getpid(), fdinfo_key(ret, "Pid"));
	EXPECT_EQ(FD_CLOEXEC, fcntl(ret, F_GETFD));
	close(ret);
}

static void abi_nothing(const void *arg)
{
	(void)arg;	/* the fd count is checked by the caller */
}

/* PIDFD_MOD_IOC_PROCFD: /proc/<self> of the caller's own pidfd. */

static void abi_procfd_fill(void *arg)
{
	struct pidfd_mod_procfd *p = arg;

	p->pidfd = abi_self_pidfd;
	p->procrootfd = abi_procroot;
}

static void abi_procfd_ok(long ret, void *arg, size_t user_size)
{
	struct stat want, got;
	char path[32];

	(void)arg;
	(void)user_size;
	ASSERT_GE(ret, 0);
	snprintf(path, sizeof(path), "/proc/%d", getpid());
	ASSERT_EQ(0, stat(path, &want));
	ASSERT_EQ(0, fstat(ret, &got));
	EXPECT_EQ(want.st_dev, got.st_dev);
	EXPECT_EQ(want.st_ino, got.st_ino);
	close(ret);
}

/* PIDFD_MOD_IOC_SEND_SIGNAL: SIGUSR1 to the caller itself. */

static void abi_signal_fill(void *arg)
{
	struct pidfd_mod_send_signal *s = arg;

	s->pidfd = abi_self_pidfd;
	s->sig = SIGUSR1;
}

static void abi_signal_ok(long ret, void *arg, size_t user_size)
{
	(void)arg;
	(void)user_size;
	ASSERT_EQ(0, ret);
	EXPECT_EQ(SIGUSR1, got_sig);
	got_sig = 0;
}

static void abi_signal_nothing(const void *arg)
{
	(void)arg;
	EXPECT_EQ(0, got_sig);
	got_sig = 0;
}

/* PIDFD_MOD_IOC_INFO: the caller's own pidfd, in its own namespace. */

static void abi_info_fill(void *arg)
{
	struct pidfd_mod_info *i = arg;

	i->pidfd = abi_self_pidfd;
	i->nsfd = -1;
}

static void abi_info_ok(long ret, void *arg, size_t user_size)
{
	struct pidfd_mod_info *i = arg;

	ASSERT_EQ(0, ret);
	EXPECT_EQ(user_size < sizeof(*i) ? user_size : sizeof(*i), i->size);
	EXPECT_EQ(PIDFD_MOD_INFO_STATE | PIDFD_MOD_INFO_PIDS |
		  PIDFD_MOD_INFO_NSPID | PIDFD_MOD_INFO_ID, i->valid);
	EXPECT_NE(0, i->id);
	EXPECT_EQ(PIDFD_MOD_STATE_ALIVE, i->state);
	EXPECT_EQ(getpid(), i->pid);
	EXPECT_EQ(getpid(), i->tgid);
	EXPECT_EQ(getppid(), i->ppid);
	EXPECT_GE(i->nspid_count, 1);
	EXPECT_EQ(getpid(), i->nspid[0]);
}

static void abi_info_nothing(const void *arg)
{
	const struct pidfd_mod_info *i = arg;

	if (!i)
		return;
	EXPECT_EQ(0, i->valid);
	EXPECT_EQ(0, i->state);
	EXPECT_EQ(0, i->pid);
	EXPECT_EQ(0, i->nspid_count);
}

/* PIDFD_MOD_IOC_TRANSLATE: the caller's own pid, to its own namespace. */

static void abi_translate_fill(void *arg)
{
	struct pidfd_mod_translate *t = arg;

	t->pid = getpid();
	t->from_nsfd = -1;
	t->to_nsfd = -1;
}

static void abi_translate_ok(long ret, void *arg, size_t user_size)
{
	struct pidfd_mod_translate *t = arg;

	ASSERT_EQ(0, ret);
	EXPECT_EQ(user_size < sizeof(*t) ? user_size : sizeof(*t), t->size);
	EXPECT_EQ(getpid(), t->result);
}

static void abi_translate_nothing(const void *arg)
{
	const struct pidfd_mod_translate *t = arg;

	if (t)
		EXPECT_EQ(0, t->result);
}

/* PIDFD_MOD_IOC_OPEN_ID: open the caller itself, by its id. */

static void abi_open_id_fill(void *arg)
{
	struct pidfd_mod_open_id *o = arg;

	o->id = pidfd_mod_id(abi_self_pidfd);
	o->nsfd = -1;
}

/* PIDFD_MOD_IOC_IMPORT: the caller's own pidfd, imported again. */

static void abi_import_fill(void *arg)
{
	struct pidfd_mod_import *i = arg;

	i->pidfd = abi_self_pidfd;
}

static const struct abi_cmd abi_features = {
	.name = "FEATURES",
	.cmd = PIDFD_MOD_IOC_FEATURES,
	.size = sizeof(struct pidfd_mod_features),
	.ver0 = PIDFD_MOD_FEATURES_SIZE_VER0,
	.flags = 0,
	.reserved_off = offsetof(struct pidfd_mod_features, __reserved),
	.fill = abi_features_fill,
	.check_ok = abi_features_ok,
	.check_nothing = abi_features_nothing,
};

static const struct abi_cmd abi_open = {
	.name = "OPEN",
	.cmd = PIDFD_MOD_IOC_OPEN,
	.size = sizeof(struct pidfd_mod_open),
	.ver0 = PIDFD_MOD_OPEN_SIZE_VER0,
	.flags = PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD,
	.reserved_off = offsetof(struct pidfd_mod_open, __reserved),
	.makes_fd = 1,
	.fill = abi_open_fill,
	.check_ok = abi_open_ok,
	.check_nothing = abi_nothing,
};

static const struct abi_cmd abi_procfd = {
	.name = "PROCFD",
	.cmd = PIDFD_MOD_IOC_PROCFD,
	.size = sizeof(struct pidfd_mod_procfd),
	.ver0 = PIDFD_MOD_PROCFD_SIZE_VER0,
	.flags = 0,
	.reserved_off = offsetof(struct pidfd_mod_procfd, __reserved),
	.makes_fd = 1,
	.fill = abi_procfd_fill,
	.check_ok = abi_procfd_ok,
	.check_nothing = abi_nothing,
};

static const struct abi_cmd abi_send_signal = {
	.name = "SEND_SIGNAL",
	.cmd = PIDFD_MOD_IOC_SEND_SIGNAL,
	.size = sizeof(struct pidfd_mod_send_signal),
	.ver0 = PIDFD_MOD_SEND_SIGNAL_SIZE_VER0,
	.flags = PIDFD_MOD_SIGNAL_THREAD | PIDFD_MOD_SIGNAL_THREAD_GROUP |
		 PIDFD_MOD_SIGNAL_PROCESS_GROUP,
	.reserved_off = offsetof(struct pidfd_mod_send_signal, __reserved),
	.fill = abi_signal_fill,
	.check_ok = abi_signal_ok,
	.check_nothing = abi_signal_nothing,
};

static const struct abi_cmd abi_info = {
	.name = "INFO",
	.cmd = PIDFD_MOD_IOC_INFO,
	.size = sizeof(struct pidfd_mod_info),
	.ver0 = PIDFD_MOD_INFO_SIZE_VER0,
	.flags = 0,
	.reserved_off = offsetof(struct pidfd_mod_info, __reserved),
	.fill = abi_info_fill,
	.check_ok = abi_info_ok,
	.check_nothing = abi_info_nothing,
};

static const struct abi_cmd abi_open_id = {
	.name = "OPEN_ID",
	.cmd = PIDFD_MOD_IOC_OPEN_ID,
	.size = sizeof(struct pidfd_mod_open_id),
	.ver0 = PIDFD_MOD_OPEN_ID_SIZE_VER0,
	.flags = PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD,
	.reserved_off = offsetof(struct pidfd_mod_open_id, __reserved),
	.makes_fd = 1,
	.fill = abi_open_id_fill,
	.check_ok = abi_open_ok,
	.check_nothing = abi_nothing,
};

static const struct abi_cmd abi_import = {
	.name = "IMPORT",
	.cmd = PIDFD_MOD_IOC_IMPORT,
	.size = sizeof(struct pidfd_mod_import),
	.ver0 = PIDFD_MOD_IMPORT_SIZE_VER0,
	.flags = PIDFD_MOD_NONBLOCK,
	.reserved_off = offsetof(struct pidfd_mod_import, __reserved),
	.makes_fd = 1,
	.fill = abi_import_fill,
	.check_ok = abi_open_ok,
	.check_nothing = abi_nothing,
};

static const struct abi_cmd abi_translate = {
	.name = "TRANSLATE",
	.cmd = PIDFD_MOD_IOC_TRANSLATE,
	.size = sizeof(struct pidfd_mod_translate),
	.ver0 = PIDFD_MOD_TRANSLATE_SIZE_VER0,
	.flags = PIDFD_MOD_TRANSLATE_TGID,
	.reserved_off = offsetof(struct pidfd_mod_translate, __reserved),
	.fill = abi_translate_fill,
	.check_ok = abi_translate_ok,
	.check_nothing = abi_translate_nothing,
};

/*
 * A valid argument for @c at @arg (zeroed over @span bytes first) that
 * declares @user_size.
 */
static void abi_prepare(const struct abi_cmd *c, void *arg, size_t span,
			uint32_t user_size)
{
	memset(arg, 0, span);
	c->fill(arg);
	memcpy(arg, &user_size, sizeof(user_size));
}

/*
 * Issue @c with @arg (readable: @arg_readable) and require it to fail with
 * @err, leaving no fd behind and no other trace.
 */
static void abi_expect_fail(const struct abi_cmd *c, void *arg,
			    int arg_readable, int err, const char *what)
{
	int before = next_fd();
	long ret;

	errno = 0;
	ret = pidfd_mod_ioctl(c->cmd, arg);
	if (ret != -1 || errno != err)
		TH_FAIL(0, "%s %s: want -1/%s, got %ld/%s", c->name, what,
			strerror(err), ret,
			ret == -1 ? strerror(errno) : "no error");
	if (ret >= 0 && c->makes_fd)
		close(ret);
	if (next_fd() != before)
		TH_FAIL(0, "%s %s: fd leaked (next fd %d, was %d)", c->name,
			what, next_fd(), before);
	c->check_nothing(arg_readable ? arg : NULL);
}

/* Issue @c with @arg declared @user_size and require its normal result. */
static void abi_expect_ok(const struct abi_cmd *c, void *arg, size_t user_size)
{
	long ret;

	errno = 0;
	ret = pidfd_mod_ioctl(c->cmd, arg);
	if (ret < 0)
		th_diag("%s size %zu: %s", c->name, user_size, strerror(errno));
	c->check_ok(ret, arg, user_size);
}

/* The rules, one function each; the TESTs below bind them to commands. */

static void abi_size_below_ver0(const struct abi_cmd *c)
{
	abi_setup();
	abi_prepare(c, abi_buf, c->size + 8, c->ver0 - 1);
	abi_expect_fail(c, abi_buf, 1, EINVAL, "size VER0-1");
	/* The same argument with its real size goes through. */
	abi_prepare(c, abi_buf, c->size + 8, c->size);
	abi_expect_ok(c, abi_buf, c->size);
}

static void abi_size_zero(const struct abi_cmd *c)
{
	abi_setup();
	abi_prepare(c, abi_buf, c->size + 8, 0);
	abi_expect_fail(c, abi_buf, 1, EINVAL, "size 0");
	abi_prepare(c, abi_buf, c->size + 8, 4);
	abi_expect_fail(c, abi_buf, 1, EINVAL, "size 4");
}

static void abi_size_bigger_zero_tail(const struct abi_cmd *c)
{
	abi_setup();
	abi_prepare(c, abi_buf, c->size + 64, c->size + 8);
	abi_expect_ok(c, abi_buf, c->size + 8);
	/* Any length up to the limit, not only multiples of 8. */
	abi_prepare(c, abi_buf, c->size + 64, c->size + 1);
	abi_expect_ok(c, abi_buf, c->size + 1);
	abi_prepare(c, abi_buf, c->size + 64, c->size + 61);
	abi_expect_ok(c, abi_buf, c->size + 61);
}

static void abi_size_bigger_nonzero_tail(const struct abi_cmd *c)
{
	size_t pos[] = { c->size, c->size + 3, c->size + 7 };
	unsigned int i;

	abi_setup();
	for (i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
		char what[64];

		abi_prepare(c, abi_buf, c->size + 64, c->size + 8);
		abi_buf[pos[i]] = 0x01;
		snprintf(what, sizeof(what), "size+8, tail byte %zu set",
			 pos[i] - c->size);
		abi_expect_fail(c, abi_buf, 1, E2BIG, what);
	}
	/* A non-zero byte past the declared size is not the module's. */
	abi_prepare(c, abi_buf, c->size + 64, c->size + 8);
	abi_buf[c->size + 8] = 0xff;
	abi_expect_ok(c, abi_buf, c->size + 8);
}

static void abi_size_over_page(const struct abi_cmd *c)
{
	uint32_t sizes[] = { ABI_ARG_SIZE_MAX + 1, ABI_ARG_SIZE_MAX + 8,
			     65536, UINT32_MAX };
	unsigned int i;

	abi_setup();
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char what[64];

		/* Zero as far as the buffer goes: only the size is wrong. */
		abi_prepare(c, abi_buf, sizeof(abi_buf_store), sizes[i]);
		snprintf(what, sizeof(what), "size %u", sizes[i]);
		abi_expect_fail(c, abi_buf, 1, E2BIG, what);
	}
}

static void abi_size_page(const struct abi_cmd *c)
{
	abi_setup();
	abi_prepare(c, abi_buf, sizeof(abi_buf_store), ABI_ARG_SIZE_MAX);
	abi_expect_ok(c, abi_buf, ABI_ARG_SIZE_MAX);
	/* ... and the last byte of that page counts. */
	abi_prepare(c, abi_buf, sizeof(abi_buf_store), ABI_ARG_SIZE_MAX);
	abi_buf[ABI_ARG_SIZE_MAX - 1] = 1;
	abi_expect_fail(c, abi_buf, 1, E2BIG, "size 4096, last byte set");
}

static void abi_null_arg(const struct abi_cmd *c)
{
	abi_setup();
	abi_expect_fail(c, NULL, 0, EFAULT, "NULL");
}

static void abi_unmapped_arg(const struct abi_cmd *c)
{
	void *hole = unmapped_page();

	abi_setup();
	ASSERT_TRUE(hole != NULL);
	abi_expect_fail(c, hole, 0, EFAULT, "PROT_NONE page");
	ASSERT_EQ(0, munmap(hole, 4096));
	abi_expect_fail(c, hole, 0, EFAULT, "unmapped page");
	/* A kernel address is never the caller's. */
	abi_expect_fail(c, (void *)0xffffffff81000000ul, 0, EFAULT,
			"kernel address");
}

static void abi_edge_of_page(const struct abi_cmd *c)
{
	unsigned char tmp[512];
	char what[64];
	size_t n[] = { 4, 8, c->size - 1 };
	unsigned int i;
	void *p;

	abi_setup();
	/* Only the first n bytes are mapped: the rest is in a hole. */
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		p = edge_of_page(n[i]);
		ASSERT_TRUE(p != NULL);
		abi_prepare(c, tmp, sizeof(tmp), c->size);
		memcpy(p, tmp, n[i]);
		snprintf(what, sizeof(what), "%zu of %zu bytes mapped", n[i],
			 c->size);
		abi_expect_fail(c, p, 0, EFAULT, what);
	}

	/* The whole structure is mapped, the declared tail is not. */
	p = edge_of_page(c->size);
	ASSERT_TRUE(p != NULL);
	abi_prepare(c, tmp, sizeof(tmp), c->size + 8);
	memcpy(p, tmp, c->size);
	abi_expect_fail(c, p, 1, EFAULT, "size+8, tail in a hole");

	/* Exactly the declared size mapped: nothing beyond it is touched. */
	p = edge_of_page(c->size);
	ASSERT_TRUE(p != NULL);
	abi_prepare(c, tmp, sizeof(tmp), c->size);
	memcpy(p, tmp, c->size);
	abi_expect_ok(c, p, c->size);
}

static void abi_unknown_flags(const struct abi_cmd *c)
{
	uint32_t one_known = c->flags & -c->flags;	/* lowest known flag */
	int bit, tried = 0;

	abi_setup();
	for (bit = 0; bit < 32; bit++) {
		uint32_t f = 1u << bit;
		char what[64];

		if (c->flags & f)
			continue;
		abi_prepare(c, abi_buf, c->size, c->size);
		memcpy(abi_buf + 4, &f, sizeof(f));
		snprintf(what, sizeof(what), "flags %#x", f);
		abi_expect_fail(c, abi_buf, 1, EINVAL, what);

		/* Next to a flag that is known, too. */
		if (one_known) {
			f |= one_known;
			abi_prepare(c, abi_buf, c->size, c->size);
			memcpy(abi_buf + 4, &f, sizeof(f));
			snprintf(what, sizeof(what), "flags %#x", f);
			abi_expect_fail(c, abi_buf, 1, EINVAL, what);
		}
		tried++;
	}
	EXPECT_EQ(32 - __builtin_popcount(c->flags), tried);
}

static void abi_reserved_nonzero(const struct abi_cmd *c)
{
	uint64_t vals[] = { 1, 1ull << 31, 1ull << 32, 1ull << 63, ~0ull };
	unsigned int i;

	abi_setup();
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char what[64];

		abi_prepare(c, abi_buf, c->size, c->size);
		memcpy(abi_buf + c->reserved_off, &vals[i], sizeof(vals[i]));
		snprintf(what, sizeof(what), "__reserved %#llx",
			 (unsigned long long)vals[i]);
		abi_expect_fail(c, abi_buf, 1, EINVAL, what);
	}
}

#define ABI_RULE_TESTS(cmd)						\
	TEST(cmd##_size_below_ver0_is_einval)				\
	{ abi_size_below_ver0(&abi_##cmd); }				\
	TEST(cmd##_size_zero_is_einval)					\
	{ abi_size_zero(&abi_##cmd); }					\
	TEST(cmd##_bigger_size_zero_tail_is_accepted)			\
	{ abi_size_bigger_zero_tail(&abi_##cmd); }			\
	TEST(cmd##_bigger_size_nonzero_tail_is_e2big)			\
	{ abi_size_bigger_nonzero_tail(&abi_##cmd); }			\
	TEST(cmd##_size_over_page_is_e2big)				\
	{ abi_size_over_page(&abi_##cmd); }				\
	TEST(cmd##_size_one_page_is_accepted)				\
	{ abi_size_page(&abi_##cmd); }					\
	TEST(cmd##_null_arg_is_efault)					\
	{ abi_null_arg(&abi_##cmd); }					\
	TEST(cmd##_unmapped_arg_is_efault)				\
	{ abi_unmapped_arg(&abi_##cmd); }				\
	TEST(cmd##_arg_across_page_edge_is_efault)			\
	{ abi_edge_of_page(&abi_##cmd); }				\
	TEST(cmd##_unknown_flags_are_einval)				\
	{ abi_unknown_flags(&abi_##cmd); }				\
	TEST(cmd##_nonzero_reserved_is_einval)				\
	{ abi_reserved_nonzero(&abi_##cmd); }

TEST(features_reports_abi)
{
	struct pidfd_mod_features f;

	ASSERT_EQ(0, pidfd_mod_features(&f));
	EXPECT_EQ(sizeof(f), f.size);
	EXPECT_EQ(PIDFD_MOD_ABI_VERSION, f.abi_version);
	EXPECT_EQ((1u << PIDFD_MOD_CMD_NR) - 1, f.cmds);
	EXPECT_EQ(PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD, f.open_flags);
	EXPECT_EQ(0, f.procfd_flags);
	EXPECT_EQ(PIDFD_MOD_SIGNAL_THREAD | PIDFD_MOD_SIGNAL_THREAD_GROUP |
		  PIDFD_MOD_SIGNAL_PROCESS_GROUP, f.send_signal_flags);
}

TEST(device_is_world_accessible)
{
	struct stat st;

	ASSERT_EQ(0, stat(PIDFD_MOD_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 0777);
}

TEST(unknown_command_is_enotty)
{
	char buf[64] = { 0 };

	EXPECT_ERRNO(ENOTTY, pidfd_mod_ioctl(_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_NR), buf));
	EXPECT_ERRNO(ENOTTY, pidfd_mod_ioctl(_IO(PIDFD_MOD_IOC_TYPE, 0xff), buf));
	EXPECT_ERRNO(ENOTTY, pidfd_mod_ioctl(_IO('X', PIDFD_MOD_CMD_OPEN), buf));
	/* The same number with a direction or size encoded is another command. */
	EXPECT_ERRNO(ENOTTY, pidfd_mod_ioctl(_IOWR(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_OPEN,
					   struct pidfd_mod_open), buf));
}

ABI_RULE_TESTS(features)
ABI_RULE_TESTS(open)
ABI_RULE_TESTS(procfd)
ABI_RULE_TESTS(send_signal)
ABI_RULE_TESTS(info)
ABI_RULE_TESTS(translate)
ABI_RULE_TESTS(open_id)
ABI_RULE_TESTS(import)

/* Output that cannot be written back is EFAULT, and nothing else happens. */
static void abi_readonly_arg(const struct abi_cmd *c)
{
	void *p;

	abi_setup();
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	abi_prepare(c, p, c->size, c->size);
	ASSERT_EQ(0, mprotect(p, 4096, PROT_READ));
	abi_expect_fail(c, p, 1, EFAULT, "read-only argument");
}

TEST(info_readonly_arg_is_efault)
{
	abi_readonly_arg(&abi_info);
}

TEST(translate_readonly_arg_is_efault)
{
	abi_readonly_arg(&abi_translate);
}

/* FEATURES writes back how much it filled in, and not one byte more. */

TEST(features_ver0_caller_gets_ver0_size)
{
	struct {
		struct pidfd_mod_features f;
		unsigned char guard[16];
	} a;

	memset(&a, 0, sizeof(a));
	memset(a.guard, 0xa5, sizeof(a.guard));
	a.f.size = PIDFD_MOD_FEATURES_SIZE_VER0;
	ASSERT_EQ(0, pidfd_mod_ioctl(PIDFD_MOD_IOC_FEATURES, &a.f));
	EXPECT_EQ(PIDFD_MOD_FEATURES_SIZE_VER0, a.f.size);
	EXPECT_EQ(PIDFD_MOD_ABI_VERSION, a.f.abi_version);
	EXPECT_EQ(PIDFD_MOD_SIGNAL_THREAD | PIDFD_MOD_SIGNAL_THREAD_GROUP |
		  PIDFD_MOD_SIGNAL_PROCESS_GROUP, a.f.send_signal_flags);
	/* Bytes after the caller's structure are not the module's to write. */
	for (size_t i = 0; i < sizeof(a.guard); i++)
		EXPECT_EQ(0xa5, a.guard[i]);
}

TEST(features_bigger_caller_gets_module_size)
{
	struct {
		struct pidfd_mod_features f;
		unsigned char tail[24];
		unsigned char guard[8];
	} a;

	memset(&a, 0, sizeof(a));
	memset(a.guard, 0xa5, sizeof(a.guard));
	a.f.size = sizeof(a.f) + sizeof(a.tail);
	ASSERT_EQ(0, pidfd_mod_ioctl(PIDFD_MOD_IOC_FEATURES, &a.f));
	EXPECT_EQ(sizeof(struct pidfd_mod_features), a.f.size);
	EXPECT_EQ(PIDFD_MOD_ABI_VERSION, a.f.abi_version);
	EXPECT_EQ((1u << PIDFD_MOD_CMD_NR) - 1, a.f.cmds);
	/* The part the module does not know stays as the caller left it. */
	for (size_t i = 0; i < sizeof(a.tail); i++)
		EXPECT_EQ(0, a.tail[i]);
	for (size_t i = 0; i < sizeof(a.guard); i++)
		EXPECT_EQ(0xa5, a.guard[i]);
}

/* Output that cannot be written back is EFAULT, as the errno table says. */
TEST(features_readonly_arg_is_efault)
{
	struct pidfd_mod_features *f;
	void *p;

	ASSERT_GE(pidfd_mod_dev(), 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	f = p;
	f->size = sizeof(*f);
	ASSERT_EQ(0, mprotect(p, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, pidfd_mod_ioctl(PIDFD_MOD_IOC_FEATURES, f));
	EXPECT_EQ(0, f->abi_version);
}

/* An argument pointer that is not 8-byte aligned is still read correctly. */
TEST(unaligned_args_are_accepted)
{
	static uint64_t store[16];
	unsigned char *p = (unsigned char *)store + 4;
	struct pidfd_mod_open o = {
		.size = sizeof(o),
		.pid = getpid(),
		.nsfd = -1,
	};
	struct pidfd_mod_features f = { .size = sizeof(f) };
	int fd;

	memcpy(p, &o, sizeof(o));
	fd = pidfd_mod_ioctl(PIDFD_MOD_IOC_OPEN, p);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(getpid(), fdinfo_key(fd, "Pid"));
	close(fd);

	memset(store, 0, sizeof(store));
	memcpy(p + 1, &f, sizeof(f));
	ASSERT_EQ(0, pidfd_mod_ioctl(PIDFD_MOD_IOC_FEATURES, p + 1));
	memcpy(&f, p + 1, sizeof(f));
	EXPECT_EQ(PIDFD_MOD_ABI_VERSION, f.abi_version);
}
