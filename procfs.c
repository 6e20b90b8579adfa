// SPDX-License-Identifier: GPL-2.0
/*
 * procfs translation: the /proc directory of a pidfd's process or thread in
 * a given procfs instance, opened by number and then proved to be the right
 * one.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

#include "pidfd_mod.h"

/* Whether @file is the root directory of a procfs instance. */
bool pidfd_mod_is_proc_root(const struct file *file)
{
	const struct super_block *sb = file_inode(file)->i_sb;

	return sb->s_magic == PROC_SUPER_MAGIC &&
	       file->f_path.dentry == sb->s_root;
}

/*
 * Format the path of @pid's directory below the root of a procfs whose pid
 * namespace is @ns: "TGID", or "TGID/task/TID" for @type PIDTYPE_PID.
 * Returns 0, -ESRCH when the task is gone, -ENOENT when it is not visible
 * in @ns.  The name is only a hint: the caller proves it right afterwards.
 */
int pidfd_mod_proc_name(struct pid *pid, enum pid_type type,
			struct pid_namespace *ns, char *buf, size_t len)
{
	struct task_struct *task;
	pid_t tgid, tid;
	int ret = 0;

	rcu_read_lock();
	task = pid_task(pid, type);
	if (!task) {
		ret = -ESRCH;
		goto out;
	}
	tgid = task_tgid_nr_ns(task, ns);
	tid = pid_nr_ns(pid, ns);
	if (!tgid || !tid) {
		/*
		 * Either not visible in @ns, or the task is being reaped:
		 * release_task() clears its pid links before it detaches
		 * the task from @pid, and the numbers read as 0 meanwhile.
		 */
		ret = pid_alive(task) ? -ENOENT : -ESRCH;
		goto out;
	}
	if (type == PIDTYPE_PID)
		snprintf(buf, len, "%d/task/%d", tgid, tid);
	else
		snprintf(buf, len, "%d", tgid);
out:
	rcu_read_unlock();
	return ret;
}

/*
 * Whether @pid still has its task.  PIDTYPE_PID is the first link
 * release_task() drops, and a number is freed only after the last one, so
 * this is the earliest proof that the task is gone and, while it holds,
 * proof that @pid's numbers are still its own; for a process fd it is the
 * thread-group leader, which is released last.
 */
static bool pidfd_mod_pid_alive(struct pid *pid)
{
	return pid_has_task(pid, PIDTYPE_PID);
}

/*
 * Check after open: a number is not given to another struct pid while its
 * struct pid still has a task, so if @pid's task is alive after @dir was
 * opened by number, @dir is @pid's directory.  Also refuse a directory
 * reached through a mount stacked on the procfs instance.
 */
int pidfd_mod_proc_dir_check(struct pid *pid, const struct file *root,
			     const struct file *dir)
{
	if (!pidfd_mod_pid_alive(pid))
		return -ESRCH;
	if (dir->f_path.mnt != root->f_path.mnt)
		return -EXDEV;
	return 0;
}

/*
 * Open @pid's directory below @root, as the caller: hidepid and every
 * permission check apply exactly as to the caller's own openat().
 */
struct file *pidfd_mod_open_proc_dir(struct pid *pid,
				     enum pid_type type,
				     struct file *root)
{
	struct pid_namespace *ns = proc_pid_ns(file_inode(root)->i_sb);
	char name[PIDFD_MOD_PROC_NAME_MAX];
	struct file *dir;
	int ret;

	ret = pidfd_mod_proc_name(pid, type, ns, name, sizeof(name));
	if (ret)
		return ERR_PTR(ret);

	dir = file_open_root(&root->f_path, name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (IS_ERR(dir)) {
		/* Reaped while we looked: say so, not "no such file". */
		if (!pidfd_mod_pid_alive(pid))
			return ERR_PTR(-ESRCH);
		return dir;
	}

	ret = pidfd_mod_proc_dir_check(pid, root, dir);
	if (ret) {
		fput(dir);
		return ERR_PTR(ret);
	}
	return dir;
}

int pidfd_mod_procfd_valid(const struct pidfd_mod_procfd *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_PROCFD_FLAGS)
		return -EINVAL;
	if (cmd->__reserved)
		return -EINVAL;
	return 0;
}

int pidfd_mod_cmd_procfd(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_procfd *cmd = ucmd->cmd;
	struct pidfd_mod_target t;
	struct file *root, *dir;
	int fd;

	fd = pidfd_mod_procfd_valid(cmd);
	if (fd)
		return fd;

	fd = pidfd_mod_target_get(cmd->pidfd, 0, &t);
	if (fd)
		return fd;

	/* Like openat(), accept an O_PATH directory. */
	root = fget_raw(cmd->procrootfd);
	if (!root) {
		fd = -EBADF;
		goto out_put_pidfd;
	}
	if (!pidfd_mod_is_proc_root(root)) {
		fd = -EINVAL;
		goto out_put_root;
	}

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto out_put_root;

	dir = pidfd_mod_open_proc_dir(t.pid, t.type, root);
	if (IS_ERR(dir)) {
		put_unused_fd(fd);
		fd = PTR_ERR(dir);
		goto out_put_root;
	}
	fd_install(fd, dir);

out_put_root:
	fput(root);
out_put_pidfd:
	pidfd_mod_target_put(&t);
	return fd;
}

/* For the KUnit suites (pidfd_mod_kunit.ko) only. */
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_is_proc_root);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_proc_name);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_proc_dir_check);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_open_proc_dir);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_procfd_valid);
