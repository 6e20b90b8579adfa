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
 * KUnit.  The suites in kunit/ are built in where the kernel has KUnit
 * with the interfaces they use: parameter descriptions
 * (KUNIT_ARRAY_PARAM_DESC), deferred actions and user memory for the test
 * thread, none of which 6.1's KUnit has.  There the module is built
 * without its suites.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/test.h>
#ifdef KUNIT_ARRAY_PARAM_DESC
#define PIDFD_MOD_KUNIT 1
#endif
#endif

#endif /* PIDFD_MOD_COMPAT_H */
