/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between the kernels pidfd_mod builds for
 * are handled.  Force-included into every object by Kbuild; the rest of the
 * module is written against the newest kernel.  Differences are detected by
 * what the kernel headers provide, not by version number.
 */
#ifndef PIDFD_MOD_COMPAT_H
#define PIDFD_MOD_COMPAT_H

/*
 * Included before any kernel header, so it must define pr_fmt itself.  The
 * module's name is spelled out: pidfd_mod.c is compiled as
 * pidfd_mod_main.o (see Kbuild), and there KBUILD_MODNAME names the object.
 */
#define pr_fmt(fmt) "pidfd_mod: " fmt

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/magic.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <uapi/linux/pidfd.h>

/*
 * Thread exit notification.  Kernels that know PIDFD_THREAD (6.9 and
 * later) wake struct pid::wait_pidfd when any thread exits and when a task
 * is reaped.  Older ones wake it only when a whole thread group has exited,
 * so a poller of a non-leader thread's fd would sleep forever.  There the
 * module attaches to the sched_process_exit tracepoint, which every exiting
 * task passes after PF_EXITING is set and before it is released, and counts
 * a non-leader thread as exited from PF_EXITING on: the point after which
 * it never returns to userspace.
 *
 * A non-leader thread that execs never passes that tracepoint: de_thread()
 * gives it the leader's struct pid (exchange_tids()) and releases the old
 * leader, which had exited as a leader, together with the exec'ing thread's
 * own tid struct pid, the one a thread fd of that thread pins and its
 * pollers sleep on.  Newer kernels wake it there (__change_pid() wakes
 * wait_pidfd on every PIDTYPE_PID detach); older ones do not, and by the
 * time the sched_process_exec tracepoint runs, that struct pid is left in
 * no task and no pid namespace.  So the module keeps the struct pids of its
 * own thread fds, hashed by their global number, and on an exec that
 * changed the caller's tid (sched_process_exec's old_pid) wakes the one
 * with the old number that has no task left.
 *
 * pidfd_mod_compat_thread_fd_open() and pidfd_mod_compat_thread_fd_release()
 * bracket the life of every thread fd file.  Both probes would otherwise
 * run for every exit and exec on the system, so they are attached only
 * while at least one thread fd exists, and for a second after the last one
 * is gone.
 */
#ifdef PIDFD_THREAD

static inline bool pidfd_mod_task_exited(struct task_struct *task)
{
	return READ_ONCE(task->exit_state);
}

static inline int pidfd_mod_compat_init(struct dentry *debugfs)
{
	return 0;
}

static inline void pidfd_mod_compat_exit(void)
{
}

static inline int pidfd_mod_compat_thread_fd_open(struct pid *pid)
{
	return 0;
}

static inline void pidfd_mod_compat_thread_fd_release(struct pid *pid)
{
}

#else /* !PIDFD_THREAD */

#define PIDFD_MOD_COMPAT_THREAD_NOTIFY 1

struct linux_binprm;

static struct tracepoint *pidfd_mod_exit_tp;
static struct tracepoint *pidfd_mod_exec_tp;

/* One per thread fd file; several files may pin the same struct pid. */
struct pidfd_mod_thread_ref {
	struct hlist_node node;
	struct pid *pid;
};

/* Keyed by pid_nr(), the number in the initial pid namespace. */
static DEFINE_HASHTABLE(pidfd_mod_thread_pids, 6);
static DEFINE_SPINLOCK(pidfd_mod_thread_pids_lock);

/*
 * Attaching and detaching the probes sleeps (tracepoint_probe_register()
 * and _unregister() take mutexes and patch code), and opening and releasing
 * a thread fd may sleep, so a mutex covers the count of thread fds together
 * with the attach on 0 -> 1 and the detach it leads to: concurrent opens
 * and releases can neither leave the probes attached for good with no
 * thread fd nor let a thread fd exist before they are attached.  The probes
 * never take it.  A static key tested by probes attached for good would
 * still cost every exit a call into the module.
 *
 * The detach waits PIDFD_MOD_DETACH_DELAY after the count drops to 0, and
 * does not happen if a thread fd is opened meanwhile: re-attaching right
 * after a detach waits for an RCU grace period (tracepoint_add_func()'s
 * 1 -> 0 -> 1 rule), which made each open and close of a lone thread fd
 * take 22 ms instead of 40 us on 6.1 under QEMU.
 */
#define PIDFD_MOD_DETACH_DELAY	HZ

static DEFINE_MUTEX(pidfd_mod_probes_lock);
static unsigned int pidfd_mod_thread_fds;	/* under pidfd_mod_probes_lock */
static bool pidfd_mod_probes_attached;		/* under pidfd_mod_probes_lock */
static void pidfd_mod_detach_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pidfd_mod_detach_work, pidfd_mod_detach_work_fn);

/* How often each probe ran, for debugfs: the proof that it is detached. */
static DEFINE_PER_CPU(unsigned long, pidfd_mod_exit_probe_calls);
static DEFINE_PER_CPU(unsigned long, pidfd_mod_exec_probe_calls);

static inline bool pidfd_mod_task_exited(struct task_struct *task)
{
	return READ_ONCE(task->exit_state) ||
	       (!thread_group_leader(task) &&
		(READ_ONCE(task->flags) & PF_EXITING));
}

static void pidfd_mod_thread_exit_probe(void *data, struct task_struct *task)
{
	wait_queue_head_t *wq = &task_pid(task)->wait_pidfd;

	this_cpu_inc(pidfd_mod_exit_probe_calls);
	/* Whole groups are announced by the kernel itself. */
	if (thread_group_leader(task) || !wq_has_sleeper(wq))
		return;
	__wake_up(wq, TASK_NORMAL, 0, poll_to_key(EPOLLIN | EPOLLRDNORM));
}

/*
 * After an exec by @task: if it was not the leader, its tid (@old_pid) was
 * released with the old leader, so wake the thread fds of that struct pid
 * as __change_pid() does on newer kernels.  A struct pid of a thread fd
 * with the same number and a task is a newer one and is left alone.
 */
static void pidfd_mod_thread_exec_probe(void *data, struct task_struct *task,
					pid_t old_pid,
					struct linux_binprm *bprm)
{
	struct pidfd_mod_thread_ref *ref;

	this_cpu_inc(pidfd_mod_exec_probe_calls);
	if (task->pid == old_pid)
		return;
	spin_lock(&pidfd_mod_thread_pids_lock);
	hash_for_each_possible(pidfd_mod_thread_pids, ref, node, old_pid) {
		if (pid_nr(ref->pid) == old_pid &&
		    !pid_has_task(ref->pid, PIDTYPE_PID))
			wake_up_all(&ref->pid->wait_pidfd);
	}
	spin_unlock(&pidfd_mod_thread_pids_lock);
}

static int pidfd_mod_attach_probes(void)
{
	int ret;

	ret = tracepoint_probe_register(pidfd_mod_exit_tp,
					pidfd_mod_thread_exit_probe, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(pidfd_mod_exec_tp,
					pidfd_mod_thread_exec_probe, NULL);
	if (ret)
		tracepoint_probe_unregister(pidfd_mod_exit_tp,
					    pidfd_mod_thread_exit_probe, NULL);
	return ret;
}

/*
 * A probe already running may still finish after this returns; it only
 * touches the index under its lock.  Module exit waits for it.
 */
static void pidfd_mod_detach_probes(void)
{
	lockdep_assert_held(&pidfd_mod_probes_lock);
	if (!pidfd_mod_probes_attached)
		return;
	tracepoint_probe_unregister(pidfd_mod_exec_tp,
				    pidfd_mod_thread_exec_probe, NULL);
	tracepoint_probe_unregister(pidfd_mod_exit_tp,
				    pidfd_mod_thread_exit_probe, NULL);
	pidfd_mod_probes_attached = false;
}

static void pidfd_mod_detach_work_fn(struct work_struct *work)
{
	mutex_lock(&pidfd_mod_probes_lock);
	if (!pidfd_mod_thread_fds)
		pidfd_mod_detach_probes();
	mutex_unlock(&pidfd_mod_probes_lock);
}

static inline int pidfd_mod_compat_thread_fd_open(struct pid *pid)
{
	struct pidfd_mod_thread_ref *ref;
	int ret = 0;

	ref = kmalloc(sizeof(*ref), GFP_KERNEL);
	if (!ref)
		return -ENOMEM;
	ref->pid = pid;

	mutex_lock(&pidfd_mod_probes_lock);
	if (!pidfd_mod_probes_attached) {
		ret = pidfd_mod_attach_probes();
		if (ret) {
			pr_warn_ratelimited("cannot attach to sched_process_exit and sched_process_exec: %d\n",
					    ret);
			goto out;
		}
		pidfd_mod_probes_attached = true;
	}
	pidfd_mod_thread_fds++;
	spin_lock(&pidfd_mod_thread_pids_lock);
	hash_add(pidfd_mod_thread_pids, &ref->node, pid_nr(pid));
	spin_unlock(&pidfd_mod_thread_pids_lock);
out:
	mutex_unlock(&pidfd_mod_probes_lock);
	if (ret)
		kfree(ref);
	return ret;
}

/* Before the file drops its reference to @pid. */
static inline void pidfd_mod_compat_thread_fd_release(struct pid *pid)
{
	struct pidfd_mod_thread_ref *ref;

	mutex_lock(&pidfd_mod_probes_lock);
	spin_lock(&pidfd_mod_thread_pids_lock);
	hash_for_each_possible(pidfd_mod_thread_pids, ref, node, pid_nr(pid)) {
		if (ref->pid == pid) {
			hash_del(&ref->node);
			break;
		}
	}
	spin_unlock(&pidfd_mod_thread_pids_lock);
	if (!WARN_ON_ONCE(!ref) && !--pidfd_mod_thread_fds)
		mod_delayed_work(system_wq, &pidfd_mod_detach_work,
				 PIDFD_MOD_DETACH_DELAY);
	mutex_unlock(&pidfd_mod_probes_lock);
	kfree(ref);
}

static unsigned long pidfd_mod_sum_calls(unsigned long __percpu *calls)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(calls, cpu);
	return sum;
}

/* /sys/kernel/debug/pidfd_mod/thread_probes */
static int pidfd_mod_thread_probes_show(struct seq_file *m, void *v)
{
	mutex_lock(&pidfd_mod_probes_lock);
	seq_printf(m, "thread_fds: %u\n", pidfd_mod_thread_fds);
	seq_printf(m, "probes_attached: %d\n", pidfd_mod_probes_attached);
	mutex_unlock(&pidfd_mod_probes_lock);
	seq_printf(m, "exit_probe_calls: %lu\n",
		   pidfd_mod_sum_calls(&pidfd_mod_exit_probe_calls));
	seq_printf(m, "exec_probe_calls: %lu\n",
		   pidfd_mod_sum_calls(&pidfd_mod_exec_probe_calls));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pidfd_mod_thread_probes);

static void __init pidfd_mod_find_tps(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		pidfd_mod_exit_tp = tp;
	else if (!strcmp(tp->name, "sched_process_exec"))
		pidfd_mod_exec_tp = tp;
}

/* The probes are attached by the first thread fd, not here. */
static inline int __init pidfd_mod_compat_init(struct dentry *debugfs)
{
	for_each_kernel_tracepoint(pidfd_mod_find_tps, NULL);
	if (!pidfd_mod_exit_tp || !pidfd_mod_exec_tp) {
		pr_err("no sched_process_exit or sched_process_exec tracepoint: thread fds could not be polled\n");
		return -ENOENT;
	}
	debugfs_create_file("thread_probes", 0444, debugfs, NULL,
			    &pidfd_mod_thread_probes_fops);
	return 0;
}

/*
 * Every thread fd holds a reference to the module, so none is left, but
 * the probes may still wait for their delayed detach.
 */
static inline void pidfd_mod_compat_exit(void)
{
	cancel_delayed_work_sync(&pidfd_mod_detach_work);
	mutex_lock(&pidfd_mod_probes_lock);
	WARN_ON_ONCE(pidfd_mod_thread_fds);
	pidfd_mod_detach_probes();
	mutex_unlock(&pidfd_mod_probes_lock);
	/* No probe may still run module text after this returns. */
	tracepoint_synchronize_unregister();
}

#endif /* PIDFD_THREAD */

/*
 * Native pidfds.  From 6.9 they are files of pidfs, whose inodes carry
 * their struct pid in i_private; only pidfds live there.  Before, they are
 * anon-inode files with pidfd_fops, which is not exported: such a file is
 * recognised by its dentry's name, "[pidfd]", on the anon-inode
 * filesystem, with file operations built into the kernel (no owner).  The
 * name of an anon-inode file is chosen by the kernel code that makes it,
 * never by userspace, and the one code built into the kernel that names
 * one so is pidfd_create(), whose file's private_data is its struct pid.
 * (A module could name a file alike; module code is trusted anyway.)  The
 * module's own pidfds are "[pidfd_mod]".
 */
#ifdef PID_FS_MAGIC
static inline struct pid *pidfd_mod_compat_native_pid(const struct file *file)
{
	struct inode *inode = file_inode(file);

	return inode->i_sb->s_magic == PID_FS_MAGIC ? inode->i_private : NULL;
}
#else
static inline struct pid *pidfd_mod_compat_native_pid(const struct file *file)
{
	const struct dentry *dentry = file->f_path.dentry;

	if (file_inode(file)->i_sb->s_magic != ANON_INODE_FS_MAGIC ||
	    file->f_op->owner ||
	    strcmp((const char *)dentry->d_name.name, "[pidfd]"))
		return NULL;
	return file->private_data;
}
#endif

/*
 * The file modes of a native pidfd.  Since pidfs (6.9) it is opened with
 * dentry_open(), which allows pread() and pwrite() (both fail with EINVAL
 * for want of read and write methods); before, an anon-inode file allows
 * neither (ESPIPE).  Neither can seek.  The module's files are made both
 * ways (pidfd_mod_file_alloc()), and given the native modes.
 */
static inline void pidfd_mod_compat_file_mode(struct file *file)
{
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
#ifdef PID_FS_MAGIC
	file->f_mode |= FMODE_PREAD | FMODE_PWRITE;
#endif
}

/* The first argument of inode operations: a mount's idmapping (6.3). */
#ifdef PIDFD_MOD_HAS_MNT_IDMAP
#define PIDFD_MOD_IDMAP struct mnt_idmap
#else
#define PIDFD_MOD_IDMAP struct user_namespace
#endif

/* struct fd's file: 6.12 packs it with the flags in one word. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

/*
 * Whether a dentry still stands for what it was made for: for a procfs
 * pid directory, whether its process still has a task.  6.14 gave
 * d_revalidate() the parent and the name as well.
 */
static inline int pidfd_mod_compat_revalidate(struct dentry *dentry)
{
	if (!dentry->d_op || !dentry->d_op->d_revalidate)
		return 1;
	return dentry->d_op->d_revalidate(dentry, 0);
}

/*
 * Process ids.  Where pidfs numbers its inodes from struct pid::ino (6.9
 * and later, on 64-bit; Kbuild finds the field in the kernel's headers),
 * the module's id of a process is that number, the st_ino of its native
 * pidfds.  Elsewhere the module numbers processes itself (exit.c).
 */
#if defined(PIDFD_MOD_HAS_PID_INO) && BITS_PER_LONG == 64
static inline bool pidfd_mod_compat_pidfs_ids(void)
{
	return true;
}

static inline bool pidfd_mod_compat_pid_ino(const struct pid *pid, u64 *ino)
{
	*ino = pid->ino;
	return true;
}
#else
static inline bool pidfd_mod_compat_pidfs_ids(void)
{
	return false;
}

static inline bool pidfd_mod_compat_pid_ino(const struct pid *pid, u64 *ino)
{
	return false;
}
#endif

/*
 * EXPORT_SYMBOL_IF_KUNIT(): the functions the KUnit suites test are
 * exported to pidfd_mod_kunit.ko only on kernels with KUnit, and only into
 * the EXPORTED_FOR_KUNIT_TESTING namespace.  Kernels whose KUnit predates
 * <kunit/visibility.h> get its definition here (and so does sparse, which
 * has no __has_include).
 */
#include <linux/export.h>
#ifdef __has_include
#if __has_include("kunit/visibility.h")
#include <kunit/visibility.h>
#endif
#endif
#ifndef EXPORT_SYMBOL_IF_KUNIT
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IF_KUNIT(symbol) \
	EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif
#endif

/*
 * The KUnit API the suites are written against, for the suites only
 * (Kbuild defines PIDFD_MOD_KUNIT for them).  Which functions the kernel's
 * KUnit has is found by Kbuild in its headers and passed on as
 * PIDFD_MOD_KUNIT_HAS_*: unlike a macro, a function cannot be detected
 * here.
 */
#ifdef PIDFD_MOD_KUNIT

#include <linux/module.h>
#include <linux/slab.h>
#include <kunit/resource.h>
#include <kunit/test.h>

/*
 * The import of EXPORTED_FOR_KUNIT_TESTING.  MODULE_IMPORT_NS() takes the
 * namespace as an identifier up to 6.12 and as a string literal from 6.13
 * on; the modinfo entry both write is the same, so it is written directly.
 */
#define PIDFD_MOD_IMPORT_KUNIT_NS() \
	MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING")

#ifndef KUNIT_ARRAY_PARAM_DESC
#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)			\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		__auto_type first = &(array)[0];				\
		size_t i = prev ? (typeof(first))prev - first + 1 : 0;		\
										\
		if (i >= sizeof(array) / sizeof((array)[0]))			\
			return NULL;						\
		strscpy(desc, first[i].desc_member, KUNIT_PARAM_DESC_SIZE);	\
		return &first[i];						\
	}
#endif

#ifndef PIDFD_MOD_KUNIT_HAS_ACTIONS
/* kunit_add_action_or_reset() built on a KUnit resource. */
struct pidfd_mod_kunit_action {
	void (*action)(void *ctx);
	void *ctx;
};

static int pidfd_mod_kunit_action_init(struct kunit_resource *res,
				       void *context)
{
	res->data = context;
	return 0;
}

static void pidfd_mod_kunit_action_free(struct kunit_resource *res)
{
	struct pidfd_mod_kunit_action *a = res->data;

	a->action(a->ctx);
	kfree(a);
}

static inline int kunit_add_action_or_reset(struct kunit *test,
					    void (*action)(void *ctx),
					    void *ctx)
{
	struct pidfd_mod_kunit_action *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (a) {
		a->action = action;
		a->ctx = ctx;
		if (kunit_alloc_resource(test, pidfd_mod_kunit_action_init,
					 pidfd_mod_kunit_action_free,
					 GFP_KERNEL, a))
			return 0;
		kfree(a);
	}
	action(ctx);
	return -ENOMEM;
}
#endif

#ifndef PIDFD_MOD_KUNIT_HAS_VM_MMAP
/*
 * Before kunit_vm_mmap(), a test ran in a kernel thread without an mm: no
 * user memory, so the tests that need it skip.
 */
static inline unsigned long kunit_vm_mmap(struct kunit *test,
					  struct file *file,
					  unsigned long addr,
					  unsigned long len,
					  unsigned long prot,
					  unsigned long flag,
					  unsigned long offset)
{
	return (unsigned long)-EOPNOTSUPP;
}
#endif

#endif /* PIDFD_MOD_KUNIT */

/*
 * PIDFD_GET_INFO (6.13) on the module's pidfds.  The module answers with
 * the layout struct pidfd_info has since 7.1 (PIDFD_INFO_SIZE_VER3, the
 * first with every field it knows), whatever the kernel's headers say: they
 * have no struct pidfd_info before 6.13 and an older layout before 7.1.
 * The command is recognised by type, number and direction, never by the
 * size the headers put into PIDFD_GET_INFO, so older headers' number is as
 * good as this one.
 */
#ifdef PIDFD_INFO_SIZE_VER3
#define pidfd_mod_pidfd_info pidfd_info
#else
struct pidfd_mod_pidfd_info {
	__u64 mask;
	__u64 cgroupid;
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 ruid;
	__u32 rgid;
	__u32 euid;
	__u32 egid;
	__u32 suid;
	__u32 sgid;
	__u32 fsuid;
	__u32 fsgid;
	__s32 exit_code;
	__u32 coredump_mask;
	__u32 coredump_signal;
	__u32 coredump_code;
	__u32 coredump_pad;
	__u64 supported_mask;
};

#define PIDFD_INFO_SIZE_VER3	88
#endif /* PIDFD_INFO_SIZE_VER3 */

#ifndef PIDFD_GET_INFO
#define PIDFS_IOCTL_MAGIC	0xFF
#define PIDFD_GET_INFO		_IOWR(PIDFS_IOCTL_MAGIC, 11, \
				      struct pidfd_mod_pidfd_info)
#define PIDFD_INFO_SIZE_VER0	64
#define PIDFD_INFO_PID		BIT(0)
#define PIDFD_INFO_CREDS	BIT(1)
#define PIDFD_INFO_CGROUPID	BIT(2)
#endif /* PIDFD_GET_INFO */

/* Added after 6.13; the values are fixed by upstream's ABI. */
#ifndef PIDFD_INFO_EXIT
#define PIDFD_INFO_EXIT		BIT(3)
#endif
#ifndef PIDFD_INFO_COREDUMP
#define PIDFD_INFO_COREDUMP	BIT(4)
#endif
#ifndef PIDFD_INFO_SUPPORTED_MASK
#define PIDFD_INFO_SUPPORTED_MASK	BIT(5)
#endif

#endif /* PIDFD_MOD_COMPAT_H */
