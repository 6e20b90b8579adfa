/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between the kernels pidfd_mod builds for
 * are handled.  Force-included into every object by Kbuild; the rest of the
 * module is written against the newest kernel.  Differences are detected by
 * what the kernel headers provide, not by version number.
 */
#ifndef PIDFD_MOD_COMPAT_H
#define PIDFD_MOD_COMPAT_H

/* Included before any kernel header, so it must define pr_fmt itself. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
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
 */
#ifdef PIDFD_THREAD

static inline bool pidfd_mod_task_exited(struct task_struct *task)
{
	return task->exit_state;
}

static inline int pidfd_mod_compat_init(void)
{
	return 0;
}

static inline void pidfd_mod_compat_exit(void)
{
}

#else /* !PIDFD_THREAD */

#define PIDFD_MOD_COMPAT_THREAD_NOTIFY 1

static struct tracepoint *pidfd_mod_exit_tp;

static inline bool pidfd_mod_task_exited(struct task_struct *task)
{
	return task->exit_state ||
	       (!thread_group_leader(task) && (task->flags & PF_EXITING));
}

static void pidfd_mod_thread_exit_probe(void *data, struct task_struct *task)
{
	wait_queue_head_t *wq = &task_pid(task)->wait_pidfd;

	/* Whole groups are announced by the kernel itself. */
	if (thread_group_leader(task) || !wq_has_sleeper(wq))
		return;
	__wake_up(wq, TASK_NORMAL, 0, poll_to_key(EPOLLIN | EPOLLRDNORM));
}

static void __init pidfd_mod_find_exit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		pidfd_mod_exit_tp = tp;
}

static inline int __init pidfd_mod_compat_init(void)
{
	int ret;

	for_each_kernel_tracepoint(pidfd_mod_find_exit_tp, NULL);
	if (!pidfd_mod_exit_tp) {
		pr_err("no sched_process_exit tracepoint: thread fds could not be polled\n");
		return -ENOENT;
	}
	ret = tracepoint_probe_register(pidfd_mod_exit_tp,
					pidfd_mod_thread_exit_probe, NULL);
	if (ret)
		pr_err("cannot attach to sched_process_exit: %d\n", ret);
	return ret;
}

static inline void pidfd_mod_compat_exit(void)
{
	tracepoint_probe_unregister(pidfd_mod_exit_tp,
				    pidfd_mod_thread_exit_probe, NULL);
	/* No probe may still run module text after this returns. */
	tracepoint_synchronize_unregister();
}

#endif /* PIDFD_THREAD */

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

#endif /* PIDFD_MOD_COMPAT_H */
