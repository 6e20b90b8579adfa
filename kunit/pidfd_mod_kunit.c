// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the decisions pidfd_mod makes internally, built as a
 * module of their own, pidfd_mod_kunit.ko, on kernels with KUnit.  They run
 * when it is loaded, after pidfd_mod.ko, whose internal functions they call
 * through the exports it makes for them (EXPORT_SYMBOL_IF_KUNIT()).
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/refcount.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/uaccess.h>

#include "../pidfd_mod.h"

/* Argument validation tables */

struct pidfd_mod_open_case {
	const char *desc;
	struct pidfd_mod_open arg;
	int err;
};

static const struct pidfd_mod_open_case pidfd_mod_open_cases[] = {
	{ "pid 1", { .pid = 1, .nsfd = -1 }, 0 },
	{ "nonblock", { .flags = PIDFD_MOD_NONBLOCK, .pid = 1 }, 0 },
	{ "thread", { .flags = PIDFD_MOD_THREAD, .pid = 1 }, 0 },
	{ "both flags",
	  { .flags = PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD, .pid = 1 }, 0 },
	{ "pid 0", { .pid = 0 }, -EINVAL },
	{ "pid -1", { .pid = -1 }, -EINVAL },
	{ "pid INT_MIN", { .pid = INT_MIN }, -EINVAL },
	{ "O_CLOEXEC flag", { .flags = O_CLOEXEC, .pid = 1 }, -EINVAL },
	{ "bit 0", { .flags = 1, .pid = 1 }, -EINVAL },
	{ "bit 31", { .flags = 1U << 31, .pid = 1 }, -EINVAL },
	{ "reserved", { .pid = 1, .__reserved = 1 }, -EINVAL },
	{ "reserved high", { .pid = 1, .__reserved = 1ULL << 63 }, -EINVAL },
	/* Flags are checked before the pid, as native pidfd_open() does. */
	{ "bad flag and pid 0", { .flags = 1, .pid = 0 }, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_open_cases, pidfd_mod_open_cases, desc);

static void pidfd_mod_open_valid_test(struct kunit *test)
{
	const struct pidfd_mod_open_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pidfd_mod_open_valid(&c->arg), c->err);
}

struct pidfd_mod_procfd_case {
	const char *desc;
	struct pidfd_mod_procfd arg;
	int err;
};

static const struct pidfd_mod_procfd_case pidfd_mod_procfd_cases[] = {
	{ "plain", { .pidfd = 3, .procrootfd = 4 }, 0 },
	{ "negative fds pass to the fd lookup", { .pidfd = -1, .procrootfd = -1 }, 0 },
	{ "bit 0", { .flags = 1 }, -EINVAL },
	{ "O_NOFOLLOW", { .flags = O_NOFOLLOW }, -EINVAL },
	{ "bit 31", { .flags = 1U << 31 }, -EINVAL },
	{ "reserved", { .__reserved = 1 }, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_procfd_cases, pidfd_mod_procfd_cases, desc);

static void pidfd_mod_procfd_valid_test(struct kunit *test)
{
	const struct pidfd_mod_procfd_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pidfd_mod_procfd_valid(&c->arg), c->err);
}

struct pidfd_mod_signal_case {
	const char *desc;
	struct pidfd_mod_send_signal arg;
	int err;
};

static const struct pidfd_mod_signal_case pidfd_mod_signal_cases[] = {
	{ "no flags", { .sig = SIGTERM }, 0 },
	{ "sig 0", { .sig = 0 }, 0 },
	/* An invalid signal is the kill path's to refuse, after ESRCH. */
	{ "sig 65 passes validation", { .sig = 65 }, 0 },
	{ "thread", { .flags = PIDFD_MOD_SIGNAL_THREAD }, 0 },
	{ "thread group", { .flags = PIDFD_MOD_SIGNAL_THREAD_GROUP }, 0 },
	{ "process group", { .flags = PIDFD_MOD_SIGNAL_PROCESS_GROUP }, 0 },
	{ "thread + group",
	  { .flags = PIDFD_MOD_SIGNAL_THREAD | PIDFD_MOD_SIGNAL_THREAD_GROUP },
	  -EINVAL },
	{ "all scopes", { .flags = PIDFD_MOD_SIGNAL_FLAGS }, -EINVAL },
	{ "bit 3", { .flags = 1U << 3 }, -EINVAL },
	{ "bit 31", { .flags = 1U << 31 }, -EINVAL },
	{ "reserved", { .__reserved = 1 }, -EINVAL },
	{ "info pointer is not validated here", { .info = 1 }, 0 },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_signal_cases, pidfd_mod_signal_cases, desc);

static void pidfd_mod_send_signal_valid_test(struct kunit *test)
{
	const struct pidfd_mod_signal_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pidfd_mod_send_signal_valid(&c->arg), c->err);
}

struct pidfd_mod_features_case {
	const char *desc;
	struct pidfd_mod_features arg;
	int err;
};

static const struct pidfd_mod_features_case pidfd_mod_features_cases[] = {
	{ "zeroed", {}, 0 },
	{ "flags", { .flags = 1 }, -EINVAL },
	/* Output fields are ignored on input, so a struct can be reused. */
	{ "output fields set on input",
	  { .abi_version = 1, .cmds = 1, .open_flags = 1, .procfd_flags = 1,
	    .send_signal_flags = 1 }, 0 },
	{ "reserved", { .__reserved = 1 }, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_features_cases, pidfd_mod_features_cases,
		       desc);

static void pidfd_mod_features_valid_test(struct kunit *test)
{
	const struct pidfd_mod_features_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pidfd_mod_features_valid(&c->arg), c->err);
}

static struct kunit_case pidfd_mod_args_cases[] = {
	KUNIT_CASE_PARAM(pidfd_mod_open_valid_test,
			 pidfd_mod_open_cases_gen_params),
	KUNIT_CASE_PARAM(pidfd_mod_procfd_valid_test,
			 pidfd_mod_procfd_cases_gen_params),
	KUNIT_CASE_PARAM(pidfd_mod_send_signal_valid_test,
			 pidfd_mod_signal_cases_gen_params),
	KUNIT_CASE_PARAM(pidfd_mod_features_valid_test,
			 pidfd_mod_features_cases_gen_params),
	{}
};

static struct kunit_suite pidfd_mod_args_suite = {
	.name = "pidfd_mod_args",
	.test_cases = pidfd_mod_args_cases,
};

/* The ioctl size contract, through real user memory */

/* A user page of the test's own mm, zeroed. */
static void __user *pidfd_mod_test_user_page(struct kunit *test)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr))
		kunit_skip(test, "no user memory for this test: %ld", (long)addr);
	return (void __user *)addr;
}

struct pidfd_mod_size_case {
	const char *desc;
	u32 size;
	u32 tail_byte;	/* offset of a non-zero byte, 0 for none */
	int err;
};

#define PIDFD_MOD_FSIZE	sizeof(struct pidfd_mod_features)

static const struct pidfd_mod_size_case pidfd_mod_size_cases[] = {
	{ "exact", PIDFD_MOD_FSIZE, 0, 0 },
	{ "zero", 0, 0, -EINVAL },
	{ "VER0 - 1", PIDFD_MOD_FEATURES_SIZE_VER0 - 1, 0, -EINVAL },
	{ "VER0", PIDFD_MOD_FEATURES_SIZE_VER0, 0, 0 },
	{ "size 4", 4, 0, -EINVAL },
	{ "size + 8, zero tail", PIDFD_MOD_FSIZE + 8, 0, 0 },
	{ "size + 8, non-zero tail", PIDFD_MOD_FSIZE + 8, PIDFD_MOD_FSIZE + 3,
	  -E2BIG },
	{ "a page, zero tail", PAGE_SIZE, 0, 0 },
	{ "a page, last byte set", PAGE_SIZE, PAGE_SIZE - 1, -E2BIG },
	{ "more than a page", PAGE_SIZE + 1, 0, -E2BIG },
	{ "4 GiB - 1", U32_MAX, 0, -E2BIG },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_size_cases, pidfd_mod_size_cases, desc);

static void pidfd_mod_size_contract_test(struct kunit *test)
{
	const struct pidfd_mod_size_case *c = test->param_value;
	void __user *ubuf = pidfd_mod_test_user_page(test);
	struct pidfd_mod_features out = {};
	u8 one = 1;
	long ret;

	KUNIT_ASSERT_EQ(test, put_user(c->size, (u32 __user *)ubuf), 0);
	if (c->tail_byte)
		KUNIT_ASSERT_EQ(test, copy_to_user(ubuf + c->tail_byte, &one, 1),
				0);

	ret = pidfd_mod_dev_ioctl(NULL, PIDFD_MOD_IOC_FEATURES,
				  (unsigned long)ubuf);
	KUNIT_EXPECT_EQ(test, ret, c->err);
	if (c->err)
		return;

	KUNIT_ASSERT_EQ(test, copy_from_user(&out, ubuf, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, out.size, min_t(u32, c->size, sizeof(out)));
	KUNIT_EXPECT_EQ(test, out.abi_version, PIDFD_MOD_ABI_VERSION);
	KUNIT_EXPECT_EQ(test, out.open_flags, (u64)PIDFD_MOD_OPEN_FLAGS);
}

static void pidfd_mod_bad_pointer_test(struct kunit *test)
{
	void __user *ubuf = pidfd_mod_test_user_page(test);
	unsigned long edge;

	KUNIT_EXPECT_EQ(test, pidfd_mod_dev_ioctl(NULL, PIDFD_MOD_IOC_OPEN, 0),
			-EFAULT);
	/* A size that claims bytes past the end of the mapping. */
	edge = (unsigned long)ubuf + PAGE_SIZE - sizeof(u32);
	KUNIT_ASSERT_EQ(test, put_user((u32)PIDFD_MOD_OPEN_SIZE_VER0,
				       (u32 __user *)edge), 0);
	KUNIT_EXPECT_EQ(test, pidfd_mod_dev_ioctl(NULL, PIDFD_MOD_IOC_OPEN, edge),
			-EFAULT);
}

struct pidfd_mod_cmd_case {
	const char *desc;
	unsigned int cmd;
};

static const struct pidfd_mod_cmd_case pidfd_mod_bad_cmd_cases[] = {
	{ "next number", _IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_NR) },
	{ "number 0xff", _IO(PIDFD_MOD_IOC_TYPE, 0xff) },
	{ "other type", _IO('X', PIDFD_MOD_CMD_OPEN) },
	{ "with a direction",
	  _IOWR(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_OPEN, struct pidfd_mod_open) },
	{ "zero", 0 },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_bad_cmd_cases, pidfd_mod_bad_cmd_cases, desc);

static void pidfd_mod_bad_cmd_test(struct kunit *test)
{
	const struct pidfd_mod_cmd_case *c = test->param_value;

	/* Refused before the argument is looked at. */
	KUNIT_EXPECT_EQ(test, pidfd_mod_dev_ioctl(NULL, c->cmd, 0), -ENOTTY);
}

static struct kunit_case pidfd_mod_ioctl_cases[] = {
	KUNIT_CASE_PARAM(pidfd_mod_size_contract_test,
			 pidfd_mod_size_cases_gen_params),
	KUNIT_CASE(pidfd_mod_bad_pointer_test),
	KUNIT_CASE_PARAM(pidfd_mod_bad_cmd_test,
			 pidfd_mod_bad_cmd_cases_gen_params),
	{}
};

static struct kunit_suite pidfd_mod_ioctl_suite = {
	.name = "pidfd_mod_ioctl",
	.test_cases = pidfd_mod_ioctl_cases,
};

/* pid namespaces and file recognition */

static void pidfd_mod_ns_visible_test(struct kunit *test)
{
	struct pid_namespace *child, *grandchild, *sibling;

	child = kunit_kzalloc(test, sizeof(*child), GFP_KERNEL);
	grandchild = kunit_kzalloc(test, sizeof(*grandchild), GFP_KERNEL);
	sibling = kunit_kzalloc(test, sizeof(*sibling), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_ASSERT_NOT_NULL(test, grandchild);
	KUNIT_ASSERT_NOT_NULL(test, sibling);
	child->parent = &init_pid_ns;
	child->level = 1;
	grandchild->parent = child;
	grandchild->level = 2;
	sibling->parent = &init_pid_ns;
	sibling->level = 1;

	KUNIT_EXPECT_TRUE(test, pidfd_mod_pid_ns_visible(&init_pid_ns,
							 &init_pid_ns));
	KUNIT_EXPECT_TRUE(test, pidfd_mod_pid_ns_visible(grandchild,
							 &init_pid_ns));
	KUNIT_EXPECT_TRUE(test, pidfd_mod_pid_ns_visible(grandchild, child));
	KUNIT_EXPECT_TRUE(test, pidfd_mod_pid_ns_visible(child, child));
	KUNIT_EXPECT_FALSE(test, pidfd_mod_pid_ns_visible(&init_pid_ns, child));
	KUNIT_EXPECT_FALSE(test, pidfd_mod_pid_ns_visible(child, grandchild));
	KUNIT_EXPECT_FALSE(test, pidfd_mod_pid_ns_visible(sibling, child));
	KUNIT_EXPECT_FALSE(test, pidfd_mod_pid_ns_visible(grandchild, sibling));
	/* The real namespace of the test thread is the initial one. */
	KUNIT_EXPECT_TRUE(test, pidfd_mod_pid_ns_visible(task_active_pid_ns(current),
							 &init_pid_ns));
}

static void pidfd_mod_test_fput(void *file)
{
	fput(file);
}

/* Open @path for the test, or skip when it cannot be opened. */
static struct file *pidfd_mod_test_open(struct kunit *test, const char *path,
					int flags)
{
	struct file *file = filp_open(path, flags, 0);

	if (IS_ERR(file))
		kunit_skip(test, "cannot open %s: %ld", path, PTR_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pidfd_mod_test_fput,
							file), 0);
	return file;
}

static void pidfd_mod_nsfs_recognition_test(struct kunit *test)
{
	struct file *pidns = pidfd_mod_test_open(test, "/proc/1/ns/pid", O_RDONLY);
	/* The mount namespace is the one every kernel config has. */
	struct file *mntns = pidfd_mod_test_open(test, "/proc/1/ns/mnt", O_RDONLY);
	struct file *proc = pidfd_mod_test_open(test, "/proc", O_RDONLY);

	KUNIT_EXPECT_PTR_EQ(test, pidfd_mod_file_pid_ns(pidns), &init_pid_ns);
	KUNIT_EXPECT_NULL(test, pidfd_mod_file_pid_ns(mntns));
	KUNIT_EXPECT_NULL(test, pidfd_mod_file_pid_ns(proc));
}

static void pidfd_mod_proc_root_recognition_test(struct kunit *test)
{
	struct file *proc = pidfd_mod_test_open(test, "/proc", O_RDONLY | O_DIRECTORY);
	struct file *sub = pidfd_mod_test_open(test, "/proc/1", O_RDONLY | O_DIRECTORY);
	struct file *root = pidfd_mod_test_open(test, "/", O_RDONLY | O_DIRECTORY);
	struct file *path = pidfd_mod_test_open(test, "/proc", O_PATH);

	KUNIT_EXPECT_TRUE(test, pidfd_mod_is_proc_root(proc));
	KUNIT_EXPECT_TRUE(test, pidfd_mod_is_proc_root(path));
	KUNIT_EXPECT_FALSE(test, pidfd_mod_is_proc_root(sub));
	KUNIT_EXPECT_FALSE(test, pidfd_mod_is_proc_root(root));
}

/* A kernel thread that runs until it is stopped. */
static int pidfd_mod_test_thread_fn(void *data)
{
	while (!kthread_should_stop())
		usleep_range(500, 1000);
	return 0;
}

/*
 * kthreadd holds a reference to a new thread's struct pid until its
 * kernel_clone() returns, which can be after the thread has begun to run,
 * as the KUnit thread of each case has.  kthreadd makes one thread at a
 * time: once it has made another, it has dropped its reference to ours,
 * and the count of our struct pid changes only by what the case does.
 */
static void pidfd_mod_test_settle_pid(struct kunit *test)
{
	struct task_struct *task;

	task = kthread_create(pidfd_mod_test_thread_fn, NULL, "pidfd_mod_test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	kthread_stop(task);
}

/* Our pidfds are recognised, others are -EBADF; references balance. */
static void pidfd_mod_pidfd_refs_test(struct kunit *test)
{
	struct file *proc = pidfd_mod_test_open(test, "/proc", O_RDONLY);
	/*
	 * Without pidfs ids the module keeps the record of a live process,
	 * and with it its reference, until the reap (exit.c).
	 */
	unsigned int kept = pidfd_mod_compat_pidfs_ids() ? 0 : 1;
	unsigned int before;
	struct file *file;
	struct pid *pid;

	pidfd_mod_test_settle_pid(test);
	pid = get_task_pid(current, PIDTYPE_PID);
	KUNIT_ASSERT_NOT_NULL(test, pid);
	before = refcount_read(&pid->count);

	/* The test thread is its own group leader: both kinds open. */
	file = pidfd_mod_file_create(pid, PIDFD_MOD_THREAD | PIDFD_MOD_NONBLOCK);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_EXPECT_EQ(test, refcount_read(&pid->count), before + 1);
	KUNIT_EXPECT_PTR_EQ(test, pidfd_mod_file_pid(file), pid);
	KUNIT_EXPECT_EQ(test, pidfd_mod_file_type(file), PIDTYPE_PID);
	KUNIT_EXPECT_TRUE(test, file->f_flags & O_NONBLOCK);
	KUNIT_EXPECT_EQ(test, file->f_flags & O_ACCMODE, O_RDWR);
	__fput_sync(file);
	KUNIT_EXPECT_EQ(test, refcount_read(&pid->count), before + kept);

	file = pidfd_mod_file_create(pid, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_EXPECT_EQ(test, pidfd_mod_file_type(file), PIDTYPE_TGID);
	KUNIT_EXPECT_FALSE(test, file->f_flags & O_NONBLOCK);
	__fput_sync(file);
	KUNIT_EXPECT_EQ(test, refcount_read(&pid->count), before + kept);

	KUNIT_EXPECT_PTR_EQ(test, pidfd_mod_file_pid(proc), ERR_PTR(-EBADF));
	put_pid(pid);
}

/*
 * The files of one struct pid share a dentry while any is open, or while
 * the record is pinned; the files of another pid have another.  All share
 * the module's inode.
 */
static void pidfd_mod_files_share_dentry_test(struct kunit *test)
{
	struct pid *pid = get_task_pid(current, PIDTYPE_PID);
	struct pid *init = find_get_pid(1);
	const fmode_t modes = FMODE_READ | FMODE_WRITE | FMODE_LSEEK |
			      FMODE_PREAD | FMODE_PWRITE;
	struct file *a, *b, *c, *other;
	struct dentry *dentry;

	KUNIT_ASSERT_NOT_NULL(test, pid);
	KUNIT_ASSERT_NOT_NULL(test, init);

	a = pidfd_mod_file_create(pid, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = pidfd_mod_file_create(pid, PIDFD_MOD_THREAD);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	other = pidfd_mod_file_create(init, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));

	KUNIT_EXPECT_PTR_EQ(test, a->f_path.dentry, b->f_path.dentry);
	KUNIT_EXPECT_PTR_NE(test, a->f_path.dentry, other->f_path.dentry);
	KUNIT_EXPECT_PTR_EQ(test, file_inode(a), file_inode(other));
	/* Both ways of making a file give it the same modes and flags. */
	KUNIT_EXPECT_TRUE(test, (a->f_mode & modes) == (b->f_mode & modes));
	KUNIT_EXPECT_EQ(test, a->f_flags | PIDFD_MOD_THREAD, b->f_flags);

	/* The shared dentry outlives the first file while another is open. */
	__fput_sync(a);
	c = pidfd_mod_file_create(pid, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_PTR_EQ(test, c->f_path.dentry, b->f_path.dentry);

	/*
	 * Without pidfs ids the record stays, pinned, until the reap, and
	 * keeps the dentry for the next file when the last one is closed.
	 */
	dentry = b->f_path.dentry;
	__fput_sync(b);
	__fput_sync(c);
	if (!pidfd_mod_compat_pidfs_ids()) {
		a = pidfd_mod_file_create(pid, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(a));
		KUNIT_EXPECT_PTR_EQ(test, a->f_path.dentry, dentry);
		__fput_sync(a);
	}
	__fput_sync(other);
	put_pid(init);
	put_pid(pid);
}

static struct kunit_case pidfd_mod_files_cases[] = {
	KUNIT_CASE(pidfd_mod_ns_visible_test),
	KUNIT_CASE(pidfd_mod_nsfs_recognition_test),
	KUNIT_CASE(pidfd_mod_proc_root_recognition_test),
	KUNIT_CASE(pidfd_mod_pidfd_refs_test),
	KUNIT_CASE(pidfd_mod_files_share_dentry_test),
	{}
};

static struct kunit_suite pidfd_mod_files_suite = {
	.name = "pidfd_mod_files",
	.test_cases = pidfd_mod_files_cases,
};

/* /proc translation, with a real reaped pid */

static void pidfd_mod_test_put_pid(void *pid)
{
	put_pid(pid);
}

/*
 * The struct pid of a kernel thread that has run and been reaped: its
 * numbers are still in the struct, but no task is attached to it.
 */
static struct pid *pidfd_mod_test_reaped_pid(struct kunit *test)
{
	struct task_struct *task;
	unsigned long deadline;
	struct pid *pid;

	task = kthread_run(pidfd_mod_test_thread_fn, NULL, "pidfd_mod_test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	pid = get_task_pid(task, PIDTYPE_PID);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							pidfd_mod_test_put_pid,
							pid), 0);
	kthread_stop(task);
	/*
	 * The thread reaps itself soon after kthread_stop() returns, when it
	 * next runs; the bound, far above that on any guest, only keeps a
	 * lost reap from hanging the suite.
	 */
	deadline = jiffies + 60 * HZ;
	while (pid_has_task(pid, PIDTYPE_PID) && time_before(jiffies, deadline))
		usleep_range(500, 1000);
	KUNIT_ASSERT_FALSE(test, pid_has_task(pid, PIDTYPE_PID));
	return pid;
}

static void pidfd_mod_proc_name_test(struct kunit *test)
{
	struct pid *pid = task_pid(current);
	char name[PIDFD_MOD_PROC_NAME_MAX], want[PIDFD_MOD_PROC_NAME_MAX];
	struct pid_namespace *other;

	KUNIT_ASSERT_EQ(test, pidfd_mod_proc_name(pid, PIDTYPE_TGID,
						  &init_pid_ns, name,
						  sizeof(name)), 0);
	snprintf(want, sizeof(want), "%d", task_tgid_nr(current));
	KUNIT_EXPECT_STREQ(test, name, want);

	KUNIT_ASSERT_EQ(test, pidfd_mod_proc_name(pid, PIDTYPE_PID,
						  &init_pid_ns, name,
						  sizeof(name)), 0);
	snprintf(want, sizeof(want), "%d/task/%d", task_tgid_nr(current),
		 task_pid_nr(current));
	KUNIT_EXPECT_STREQ(test, name, want);

	/* The longest name fits. */
	KUNIT_EXPECT_EQ(test, snprintf(name, sizeof(name), "%d/task/%d",
				       INT_MAX, INT_MAX),
			(int)sizeof(name) - 1);

	/* Not visible in a namespace below the task's own. */
	other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	other->parent = &init_pid_ns;
	other->level = 1;
	KUNIT_EXPECT_EQ(test, pidfd_mod_proc_name(pid, PIDTYPE_TGID, other,
						  name, sizeof(name)), -ENOENT);
}

static void pidfd_mod_proc_name_reaped_test(struct kunit *test)
{
	struct pid *pid = pidfd_mod_test_reaped_pid(test);
	char name[PIDFD_MOD_PROC_NAME_MAX];

	KUNIT_EXPECT_EQ(test, pidfd_mod_proc_name(pid, PIDTYPE_TGID,
						  &init_pid_ns, name,
						  sizeof(name)), -ESRCH);
	KUNIT_EXPECT_EQ(test, pidfd_mod_proc_name(pid, PIDTYPE_PID,
						  &init_pid_ns, name,
						  sizeof(name)), -ESRCH);
	/* And a reaped pid gets no new pidfd. */
	KUNIT_EXPECT_PTR_EQ(test, pidfd_mod_file_create(pid, 0),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, pidfd_mod_file_create(pid, PIDFD_MOD_THREAD),
			    ERR_PTR(-EINVAL));
}

static void pidfd_mod_check_after_open_test(struct kunit *test)
{
	struct file *root = pidfd_mod_test_open(test, "/proc", O_RDONLY | O_DIRECTORY);
	struct file *dir = pidfd_mod_test_open(test, "/proc/1", O_RDONLY | O_DIRECTORY);
	struct file *other = pidfd_mod_test_open(test, "/", O_RDONLY | O_DIRECTORY);
	struct pid *alive = task_pid(current);
	struct pid *reaped = pidfd_mod_test_reaped_pid(test);

	KUNIT_EXPECT_EQ(test, pidfd_mod_proc_dir_check(alive, root, dir), 0);
	KUNIT_EXPECT_EQ(test, pidfd_mod_proc_dir_check(reaped, root, dir),
			-ESRCH);
	/* A directory on another mount than the procfs root's. */
	KUNIT_EXPECT_EQ(test, pidfd_mod_proc_dir_check(alive, root, other),
			-EXDEV);
}

static void pidfd_mod_open_proc_dir_test(struct kunit *test)
{
	struct file *root = pidfd_mod_test_open(test, "/proc", O_RDONLY | O_DIRECTORY);
	struct pid *reaped = pidfd_mod_test_reaped_pid(test);
	struct pid *pid = find_get_pid(1);
	struct file *dir;

	KUNIT_ASSERT_NOT_NULL(test, pid);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							pidfd_mod_test_put_pid,
							pid), 0);

	dir = pidfd_mod_open_proc_dir(pid, PIDTYPE_TGID, root);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dir));
	KUNIT_EXPECT_STREQ(test, dir->f_path.dentry->d_name.name, "1");
	KUNIT_EXPECT_PTR_EQ(test, dir->f_path.dentry->d_parent,
			    root->f_path.dentry);
	fput(dir);

	KUNIT_EXPECT_PTR_EQ(test, pidfd_mod_open_proc_dir(reaped, PIDTYPE_TGID,
							  root),
			    ERR_PTR(-ESRCH));
}

static struct kunit_case pidfd_mod_proc_cases[] = {
	KUNIT_CASE(pidfd_mod_proc_name_test),
	KUNIT_CASE(pidfd_mod_proc_name_reaped_test),
	KUNIT_CASE(pidfd_mod_check_after_open_test),
	KUNIT_CASE(pidfd_mod_open_proc_dir_test),
	{}
};

static struct kunit_suite pidfd_mod_proc_suite = {
	.name = "pidfd_mod_proc",
	.test_cases = pidfd_mod_proc_cases,
};

/* signals */

struct pidfd_mod_layout_case {
	const char *desc;
	int sig;
	int code;
	bool known;
};

static const struct pidfd_mod_layout_case pidfd_mod_layout_cases[] = {
	{ "SI_USER", SIGUSR1, SI_USER, true },
	{ "SI_QUEUE", SIGUSR1, SI_QUEUE, true },
	{ "SI_TKILL", SIGUSR1, SI_TKILL, true },
	{ "SI_DETHREAD", SIGUSR1, SI_DETHREAD, true },
	{ "SI_DETHREAD - 1", SIGUSR1, SI_DETHREAD - 1, false },
	{ "SI_ASYNCNL", SIGUSR1, SI_ASYNCNL, true },
	{ "-100", SIGUSR1, -100, false },
	{ "SI_KERNEL", SIGUSR1, SI_KERNEL, true },
	{ "SEGV last code", SIGSEGV, NSIGSEGV, true },
	{ "SEGV past last", SIGSEGV, NSIGSEGV + 1, false },
	{ "CHLD last code", SIGCHLD, NSIGCHLD, true },
	{ "CHLD past last", SIGCHLD, NSIGCHLD + 1, false },
	{ "SYS past last", SIGSYS, NSIGSYS + 1, false },
	{ "other signal, POLL range", SIGUSR2, NSIGPOLL, true },
	{ "other signal, past POLL", SIGUSR2, NSIGPOLL + 1, false },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_layout_cases, pidfd_mod_layout_cases, desc);

static void pidfd_mod_siginfo_layout_test(struct kunit *test)
{
	const struct pidfd_mod_layout_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pidfd_mod_siginfo_layout_known(c->sig, c->code),
			c->known);
}

struct pidfd_mod_scope_case {
	const char *desc;
	bool thread_fd;
	u32 flags;
	enum pid_type type;
};

static const struct pidfd_mod_scope_case pidfd_mod_scope_cases[] = {
	{ "process fd, default", false, 0, PIDTYPE_TGID },
	{ "thread fd, default", true, 0, PIDTYPE_PID },
	{ "process fd, thread", false, PIDFD_MOD_SIGNAL_THREAD, PIDTYPE_PID },
	{ "thread fd, group", true, PIDFD_MOD_SIGNAL_THREAD_GROUP,
	  PIDTYPE_TGID },
	{ "process fd, pgrp", false, PIDFD_MOD_SIGNAL_PROCESS_GROUP,
	  PIDTYPE_PGID },
	{ "thread fd, pgrp", true, PIDFD_MOD_SIGNAL_PROCESS_GROUP,
	  PIDTYPE_PGID },
};

KUNIT_ARRAY_PARAM_DESC(pidfd_mod_scope_cases, pidfd_mod_scope_cases, desc);

static void pidfd_mod_signal_type_test(struct kunit *test)
{
	const struct pidfd_mod_scope_case *c = test->param_value;
	enum pid_type fd_type = c->thread_fd ? PIDTYPE_PID : PIDTYPE_TGID;

	KUNIT_EXPECT_EQ(test, pidfd_mod_signal_type(fd_type, c->flags),
			c->type);
}

static void pidfd_mod_tkill_info_test(struct kunit *test)
{
	kernel_siginfo_t kinfo;

	memset(&kinfo, 0xa5, sizeof(kinfo));
	pidfd_mod_prepare_tkill_info(&kinfo, SIGUSR1);
	KUNIT_EXPECT_EQ(test, kinfo.si_signo, SIGUSR1);
	KUNIT_EXPECT_EQ(test, kinfo.si_errno, 0);
	KUNIT_EXPECT_EQ(test, kinfo.si_code, SI_TKILL);
	KUNIT_EXPECT_EQ(test, kinfo.si_pid, task_tgid_vnr(current));
	KUNIT_EXPECT_EQ(test, kinfo.si_uid, 0U);
}

/* Signals to a reaped pid: ESRCH on every path, before sig is looked at. */
static void pidfd_mod_send_reaped_test(struct kunit *test)
{
	struct pid *pid = pidfd_mod_test_reaped_pid(test);
	kernel_siginfo_t kinfo;

	pidfd_mod_prepare_tkill_info(&kinfo, SIGUSR1);
	KUNIT_EXPECT_EQ(test, pidfd_mod_send_info(pid, PIDTYPE_PID, SIGUSR1,
						  &kinfo), -ESRCH);
	KUNIT_EXPECT_EQ(test, pidfd_mod_send_info(pid, PIDTYPE_TGID, 1000,
						  &kinfo), -ESRCH);
	KUNIT_EXPECT_EQ(test, pidfd_mod_send_info(pid, PIDTYPE_PGID, SIGUSR1,
						  &kinfo), -ESRCH);
}

static struct kunit_case pidfd_mod_signal_cases_list[] = {
	KUNIT_CASE_PARAM(pidfd_mod_siginfo_layout_test,
			 pidfd_mod_layout_cases_gen_params),
	KUNIT_CASE_PARAM(pidfd_mod_signal_type_test,
			 pidfd_mod_scope_cases_gen_params),
	KUNIT_CASE(pidfd_mod_tkill_info_test),
	KUNIT_CASE(pidfd_mod_send_reaped_test),
	{}
};

static struct kunit_suite pidfd_mod_signal_suite = {
	.name = "pidfd_mod_signal",
	.test_cases = pidfd_mod_signal_cases_list,
};

kunit_test_suites(&pidfd_mod_args_suite, &pidfd_mod_ioctl_suite,
		  &pidfd_mod_files_suite, &pidfd_mod_proc_suite,
		  &pidfd_mod_signal_suite);

PIDFD_MOD_IMPORT_KUNIT_NS();
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites of pidfd_mod");
