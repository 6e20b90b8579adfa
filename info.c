// SPDX-License-Identifier: GPL-2.0
/*
 * What a pidfd refers to, and pid numbers between pid namespaces:
 *
 *   PIDFD_GET_INFO           upstream's ioctl on the pidfd itself: numbers
 *                            in the caller's pid namespace, credentials in
 *                            its user namespace, the cgroup
 *   PIDFD_MOD_IOC_INFO       numbers, the NSpid chain and the state, seen
 *                            from any pid namespace the caller can see
 *   PIDFD_MOD_IOC_TRANSLATE  a number from one such namespace to another
 *
 * Nothing here keeps state: every answer is read from the struct pid the
 * pidfd pins and from its task, if it still has one, and the exit status
 * and id from the pidfd's record (exit.c).
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/minmax.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "pidfd_mod.h"

/* The PIDFD_INFO_* bits this module can fill in. */
#define PIDFD_MOD_PIDFD_INFO_SUPPORTED					\
	(PIDFD_INFO_PID | PIDFD_INFO_CREDS | PIDFD_INFO_EXIT |		\
	 PIDFD_INFO_COREDUMP | PIDFD_INFO_SUPPORTED_MASK |		\
	 (IS_ENABLED(CONFIG_CGROUPS) ? PIDFD_INFO_CGROUPID : 0))

/*
 * Copy the first @ksize bytes of @kbuf to a caller's structure of @usize
 * bytes, zeroing what the caller has beyond them.
 */
static int pidfd_mod_copy_out(void __user *ubuf, size_t usize,
			      const void *kbuf, size_t ksize)
{
	size_t n = min(usize, ksize);

	if (copy_to_user(ubuf, kbuf, n))
		return -EFAULT;
	if (usize > n && clear_user(ubuf + n, usize - n))
		return -EFAULT;
	return 0;
}

/*
 * The exit status and coredump information of a reaped target, for the
 * PIDFD_INFO_EXIT and PIDFD_INFO_COREDUMP bits of @mask: as upstream, none
 * before the reap.  The core-dump flag of the status is all the module
 * knows of a dump.
 */
static void pidfd_mod_info_exit(struct file *file, u64 mask,
				struct pidfd_mod_pidfd_info *info)
{
	struct pidfd_mod_exit ex;

	if (!(mask & PIDFD_INFO_EXIT))
		return;
	pidfd_mod_record_exit(file->private_data, pidfd_mod_file_type(file),
			      &ex);
	if (ex.state != PIDFD_MOD_STATE_REAPED || !ex.known)
		return;
	info->exit_code = ex.status;
	info->mask |= PIDFD_INFO_EXIT;
	if (IS_ENABLED(CONFIG_CGROUPS)) {
		info->cgroupid = ex.cgroupid;
		info->mask |= PIDFD_INFO_CGROUPID;
	}
	if (mask & PIDFD_INFO_COREDUMP) {
		info->coredump_mask = (ex.status & 0x80) ? PIDFD_COREDUMPED : 0;
		info->mask |= PIDFD_INFO_COREDUMP;
	}
}

/* The credentials of @task, in the caller's user namespace. */
static void pidfd_mod_info_creds(struct task_struct *task,
				 struct pidfd_mod_pidfd_info *info)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred = get_task_cred(task);

	info->ruid = from_kuid_munged(ns, cred->uid);
	info->rgid = from_kgid_munged(ns, cred->gid);
	info->euid = from_kuid_munged(ns, cred->euid);
	info->egid = from_kgid_munged(ns, cred->egid);
	info->suid = from_kuid_munged(ns, cred->suid);
	info->sgid = from_kgid_munged(ns, cred->sgid);
	info->fsuid = from_kuid_munged(ns, cred->fsuid);
	info->fsgid = from_kgid_munged(ns, cred->fsgid);
	info->mask |= PIDFD_INFO_CREDS;
	put_cred(cred);
}

static void pidfd_mod_info_cgroup(struct task_struct *task,
				  struct pidfd_mod_pidfd_info *info)
{
#ifdef CONFIG_CGROUPS
	rcu_read_lock();
	info->cgroupid = cgroup_id(task_dfl_cgroup(task));
	rcu_read_unlock();
	info->mask |= PIDFD_INFO_CGROUPID;
#endif
}

/*
 * What PIDFD_GET_INFO reports of a task that has not been reaped.  The
 * numbers come last, as close to the copy-out as possible; one read as 0
 * in the caller's own pid namespace means the task is being reaped.
 */
static int pidfd_mod_info_task(struct pid *pid, struct task_struct *task,
			       struct pidfd_mod_pidfd_info *info)
{
	struct pid_namespace *ns = task_active_pid_ns(current);

	pidfd_mod_info_creds(task, info);
	pidfd_mod_info_cgroup(task, info);

	info->ppid = task_ppid_nr_ns(task, ns);
	info->tgid = task_tgid_nr_ns(task, ns);
	info->pid = pid_nr_ns(pid, ns);
	if (!info->pid || !info->tgid)
		return -ESRCH;
	info->mask |= PIDFD_INFO_PID;
	return 0;
}

/*
 * The bits of @mask whose fields lie within the caller's @usize bytes: a
 * field the caller cannot see is not reported as filled in.
 */
static u64 pidfd_mod_info_fits(u64 mask, size_t usize)
{
	if (usize < offsetofend(struct pidfd_mod_pidfd_info, supported_mask))
		mask &= ~PIDFD_INFO_SUPPORTED_MASK;
	return mask;
}

static long pidfd_mod_get_info(struct file *file, size_t usize,
			       struct pidfd_mod_pidfd_info __user *uinfo)
{
	struct pid *pid = pidfd_mod_file_pid(file);
	struct pidfd_mod_pidfd_info info = {};
	struct task_struct *task;
	u64 mask;
	int ret;

	if (!uinfo || usize < PIDFD_INFO_SIZE_VER0)
		return -EINVAL;
	if (get_user(mask, &uinfo->mask))
		return -EFAULT;

	/* As upstream: only a target the caller's pid namespace can see. */
	if (!pidfd_mod_pid_ns_visible(ns_of_pid(pid),
				      task_active_pid_ns(current)))
		return -EREMOTE;

	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task)
		pidfd_mod_info_exit(file, mask, &info);
	if (task) {
		ret = pidfd_mod_info_task(pid, task, &info);
		put_task_struct(task);
		if (ret)
			return ret;
	} else if (!(info.mask & PIDFD_INFO_EXIT)) {
		/* Reaped: only an exit record could still answer. */
		return -ESRCH;
	}

	if (mask & PIDFD_INFO_SUPPORTED_MASK) {
		info.supported_mask = PIDFD_MOD_PIDFD_INFO_SUPPORTED;
		info.mask |= PIDFD_INFO_SUPPORTED_MASK;
	}
	info.mask = pidfd_mod_info_fits(info.mask, usize);
	return pidfd_mod_copy_out(uinfo, usize, &info, sizeof(info));
}

/* Whether @cmd is PIDFD_GET_INFO, of whatever size. */
static bool pidfd_mod_is_get_info(unsigned int cmd)
{
	return _IOC_TYPE(cmd) == _IOC_TYPE(PIDFD_GET_INFO) &&
	       _IOC_NR(cmd) == _IOC_NR(PIDFD_GET_INFO) &&
	       _IOC_DIR(cmd) == _IOC_DIR(PIDFD_GET_INFO);
}

/* ioctl on a pidfd of this module. */
long pidfd_mod_file_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	BUILD_BUG_ON(sizeof(struct pidfd_mod_pidfd_info) < PIDFD_INFO_SIZE_VER3);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_pidfd_info, exit_code) !=
		     PIDFD_INFO_SIZE_VER0 - 4);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_pidfd_info, supported_mask) !=
		     PIDFD_INFO_SIZE_VER3 - 8);

	if (IS_ERR(pidfd_mod_file_record(file)))
		return -EBADF;
	if (pidfd_mod_is_get_info(cmd))
		return pidfd_mod_get_info(file, _IOC_SIZE(cmd),
					  (void __user *)arg);
	return -ENOTTY;
}

/* PIDFD_MOD_IOC_INFO */

/* @pid's numbers from @ns's level down, if @ns is one of its namespaces. */
static void pidfd_mod_info_nspid(struct pid *pid, struct pid_namespace *ns,
				 struct pidfd_mod_info *out)
{
	unsigned int i, n = 0;

	out->valid |= PIDFD_MOD_INFO_NSPID;
	if (!out->pid)
		return;
	for (i = ns->level; i <= pid->level && n < PIDFD_MOD_NSPID_MAX; i++)
		out->nspid[n++] = pid->numbers[i].nr;
	out->nspid_count = n;
}

/*
 * Fill @out for the target of @rec, a pidfd of @type, as seen from @ns.
 * The numbers are read from the task's pid links, which release_task()
 * drops PIDTYPE_PID first; if the struct pid still has its task after they
 * were read (the state, read last), they were all its own.  Of a reaped target only the
 * state, the id and the exit status are known: -ESRCH without the status.
 */
static int pidfd_mod_info_fill(struct pidfd_mod_record *rec,
			       enum pid_type type, struct pid_namespace *ns,
			       struct pidfd_mod_info *out)
{
	struct pid *pid = pidfd_mod_record_pid(rec);
	struct task_struct *task;
	struct pidfd_mod_exit ex;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_PID);
	if (task) {
		out->pid = pid_nr_ns(pid, ns);
		out->tgid = task_tgid_nr_ns(task, ns);
		out->ppid = task_ppid_nr_ns(task, ns);
		out->pgid = task_pgrp_nr_ns(task, ns);
		out->sid = task_session_nr_ns(task, ns);
	}
	rcu_read_unlock();

	pidfd_mod_record_exit(rec, type, &ex);
	if (ex.state == PIDFD_MOD_STATE_REAPED) {
		out->pid = 0;
		out->tgid = 0;
		out->ppid = 0;
		out->pgid = 0;
		out->sid = 0;
		if (!ex.known)
			return -ESRCH;
	} else {
		out->valid |= PIDFD_MOD_INFO_PIDS;
		pidfd_mod_info_nspid(pid, ns, out);
	}
	out->state = ex.state;
	out->id = pidfd_mod_record_id(rec);
	out->valid |= PIDFD_MOD_INFO_STATE | PIDFD_MOD_INFO_ID;
	if (ex.known) {
		out->exit_code = ex.status;
		out->valid |= PIDFD_MOD_INFO_EXIT;
	}
	return 0;
}

int pidfd_mod_info_valid(const struct pidfd_mod_info *cmd)
{
	/* The output fields are overwritten, whatever they hold. */
	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	return 0;
}

/* Every output field, cleared before the module fills any in. */
static void pidfd_mod_info_clear(struct pidfd_mod_info *cmd)
{
	size_t out = offsetof(struct pidfd_mod_info, valid);

	memset((char *)cmd + out, 0, sizeof(*cmd) - out);
}

int pidfd_mod_cmd_info(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_info *cmd = ucmd->cmd;
	struct pidfd_mod_record *rec;
	struct pidfd_mod_target t;
	struct pidfd_mod_ns n;
	int ret;

	ret = pidfd_mod_info_valid(cmd);
	if (ret)
		return ret;
	pidfd_mod_info_clear(cmd);

	ret = pidfd_mod_target_get(cmd->pidfd, 0, &t);
	if (ret)
		return ret;

	ret = pidfd_mod_ns_get(cmd->nsfd, &n);
	if (ret)
		goto out_put_target;
	/*
	 * A native pidfd, or PIDFD_MOD_SELF_*, has no record of its own: the
	 * id and what is known of the exit come from the struct pid's, the
	 * one its pidfds of the module share if there are any.
	 */
	rec = t.rec ? t.rec : pidfd_mod_record_get(t.pid);
	if (IS_ERR(rec)) {
		ret = PTR_ERR(rec);
		goto out_put_ns;
	}
	ret = pidfd_mod_info_fill(rec, t.type, n.ns, cmd);
	if (!t.rec)
		pidfd_mod_record_release(rec);
	if (ret)
		goto out_put_ns;

	cmd->size = min_t(u32, ucmd->user_size, sizeof(*cmd));
	if (copy_to_user(ucmd->ubuffer, cmd, cmd->size))
		ret = -EFAULT;

out_put_ns:
	pidfd_mod_ns_put(&n);
out_put_target:
	pidfd_mod_target_put(&t);
	return ret;
}

/* PIDFD_MOD_IOC_TRANSLATE */

/*
 * @nr of @from as numbered in @to.  Without PIDFD_MOD_TRANSLATE_TGID, any
 * number in use: a task's, or a process group's or session's whose leader
 * is gone; with it, a task's, for which its thread group's id is given.
 */
static int pidfd_mod_translate_nr(pid_t nr, u32 flags,
				  struct pid_namespace *from,
				  struct pid_namespace *to, pid_t *result)
{
	struct task_struct *task;
	struct pid *pid;
	int ret = 0;

	rcu_read_lock();
	pid = find_pid_ns(nr, from);
	if (!pid) {
		ret = -ESRCH;
		goto out;
	}
	if (flags & PIDFD_MOD_TRANSLATE_TGID) {
		task = pid_task(pid, PIDTYPE_PID);
		if (!task) {
			ret = -ESRCH;
			goto out;
		}
		*result = task_tgid_nr_ns(task, to);
		/* Reaped meanwhile: its links read as 0, not "invisible". */
		if (!*result && !pid_alive(task))
			ret = -ESRCH;
	} else {
		*result = pid_nr_ns(pid, to);
	}
	if (!ret && !*result)
		ret = -ENOENT;
out:
	rcu_read_unlock();
	return ret;
}

int pidfd_mod_translate_valid(const struct pidfd_mod_translate *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_TRANSLATE_FLAGS)
		return -EINVAL;
	if (cmd->__reserved)
		return -EINVAL;
	if (cmd->pid <= 0)
		return -EINVAL;
	return 0;
}

int pidfd_mod_cmd_translate(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_translate *cmd = ucmd->cmd;
	struct pidfd_mod_ns from, to;
	pid_t result = 0;
	int ret;

	ret = pidfd_mod_translate_valid(cmd);
	if (ret)
		return ret;

	ret = pidfd_mod_ns_get(cmd->from_nsfd, &from);
	if (ret)
		return ret;
	ret = pidfd_mod_ns_get(cmd->to_nsfd, &to);
	if (ret)
		goto out_put_from;

	ret = pidfd_mod_translate_nr(cmd->pid, cmd->flags, from.ns, to.ns,
				     &result);
	if (ret)
		goto out_put_to;

	cmd->result = result;
	cmd->size = min_t(u32, ucmd->user_size, sizeof(*cmd));
	if (copy_to_user(ucmd->ubuffer, cmd, cmd->size))
		ret = -EFAULT;

out_put_to:
	pidfd_mod_ns_put(&to);
out_put_from:
	pidfd_mod_ns_put(&from);
	return ret;
}
