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

#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
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
 * bracket the life of every thread fd file.
 */
#ifdef PIDFD_THREAD

static inline bool pidfd_mod_task_exited(struct task_struct *task)
{
	return READ_ONCE(task->exit_state);
}

static inline int pidfd_mod_compat_init(void)
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

static inline bool pidfd_mod_task_exited(struct task_struct *task)
{
	return READ_ONCE(task->exit_state) ||
	       (!thread_group_leader(task) &&
		(READ_ONCE(task->flags) & PF_EXITING));
}

static void pidfd_mod_thread_exit_probe(void *data, struct task_struct *task)
{
	wait_queue_head_t *wq = &task_pid(task)->wait_pidfd;

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

static inline int pidfd_mod_compat_thread_fd_open(struct pid *pid)
{
	struct pidfd_mod_thread_ref *ref;

	ref = kmalloc(sizeof(*ref), GFP_KERNEL);
	if (!ref)
		return -ENOMEM;
	ref->pid = pid;
	spin_lock(&pidfd_mod_thread_pids_lock);
	hash_add(pidfd_mod_thread_pids, &ref->node, pid_nr(pid));
	spin_unlock(&pidfd_mod_thread_pids_lock);
	return 0;
}

/* Before the file drops its reference to @pid. */
static inline void pidfd_mod_compat_thread_fd_release(struct pid *pid)
{
	struct pidfd_mod_thread_ref *ref;

	spin_lock(&pidfd_mod_thread_pids_lock);
	hash_for_each_possible(pidfd_mod_thread_pids, ref, node, pid_nr(pid)) {
		if (ref->pid == pid) {
			hash_del(&ref->node);
			break;
		}
	}
	spin_unlock(&pidfd_mod_thread_pids_lock);
	WARN_ON_ONCE(!ref);
	kfree(ref);
}

static void __init pidfd_mod_find_tps(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		pidfd_mod_exit_tp = tp;
	else if (!strcmp(tp->name, "sched_process_exec"))
		pidfd_mod_exec_tp = tp;
}

static inline int __init pidfd_mod_compat_init(void)
{
	int ret;

	for_each_kernel_tracepoint(pidfd_mod_find_tps, NULL);
	if (!pidfd_mod_exit_tp || !pidfd_mod_exec_tp) {
		pr_err("no sched_process_exit or sched_process_exec tracepoint: thread fds could not be polled\n");
		return -ENOENT;
	}
	ret = tracepoint_probe_register(pidfd_mod_exit_tp,
					pidfd_mod_thread_exit_probe, NULL);
	if (ret) {
		pr_err("cannot attach to sched_process_exit: %d\n", ret);
		return ret;
	}
	ret = tracepoint_probe_register(pidfd_mod_exec_tp,
					pidfd_mod_thread_exec_probe, NULL);
	if (ret) {
		pr_err("cannot attach to sched_process_exec: %d\n", ret);
		tracepoint_probe_unregister(pidfd_mod_exit_tp,
					    pidfd_mod_thread_exit_probe, NULL);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

static inline void pidfd_mod_compat_exit(void)
{
	tracepoint_probe_unregister(pidfd_mod_exec_tp,
				    pidfd_mod_thread_exec_probe, NULL);
	tracepoint_probe_unregister(pidfd_mod_exit_tp,
				    pidfd_mod_thread_exit_probe, NULL);
	/* No probe may still run module text after this returns. */
	tracepoint_synchronize_unregister();
}

#endif /* PIDFD_THREAD */

#endif /* PIDFD_MOD_COMPAT_H */
