// SPDX-License-Identifier: GPL-2.0
/*
 * The process a pidfd argument names.  Wherever a command takes a pidfd it
 * accepts, as the native calls do where they exist:
 *
 *   - a pidfd of this module;
 *   - a native pidfd (pidfd_open(2), clone3's CLONE_PIDFD, SO_PEERPIDFD);
 *   - for PIDFD_MOD_IOC_SEND_SIGNAL and PIDFD_MOD_IOC_IMPORT, a
 *     /proc/<tgid> directory, as native pidfd_send_signal(2) does;
 *   - PIDFD_MOD_SELF_THREAD and PIDFD_MOD_SELF_THREAD_GROUP (upstream's
 *     PIDFD_SELF_* values of Linux 6.17): the calling thread, or its
 *     thread group, with no fd at all.
 *
 * Each is resolved to the struct pid it stands for, never to a number: a
 * pidfd of a process that has been reaped names a struct pid with no task,
 * whatever now has its number.
 */

#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "pidfd_mod.h"

/* The number a /proc directory is named by, as procfs parses it; 0 if none. */
static pid_t pidfd_mod_proc_dir_nr(const struct dentry *dentry)
{
	const char *s = dentry->d_name.name;
	unsigned int i;
	pid_t nr = 0;

	if (!dentry->d_name.len || s[0] == '0')
		return 0;
	for (i = 0; i < dentry->d_name.len; i++) {
		if (s[i] < '0' || s[i] > '9' || nr > (PID_MAX_LIMIT - 9) / 10)
			return 0;
		nr = nr * 10 + (s[i] - '0');
	}
	return nr;
}

/*
 * The struct pid of a /proc/<pid> directory (the top level of a procfs
 * instance, not a task/<tid> one), referenced, or -EBADF for any other
 * file.  Its inode's struct pid is procfs's own business, so it is found
 * by the directory's name in the instance's pid namespace and then proved
 * to be the directory's: the number is looked up first, and the dentry is
 * revalidated after.  A directory whose process has been released does
 * not revalidate, and its number is only freed by that release, so a
 * directory that still revalidates after the lookup held that number all
 * along, and the lookup found its process.  A directory of a process that
 * is gone is -ESRCH.
 */
static struct pid *pidfd_mod_proc_dir_pid(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct super_block *sb = file_inode(file)->i_sb;
	struct pid *pid;
	pid_t nr;

	if (sb->s_magic != PROC_SUPER_MAGIC || !d_is_dir(dentry) ||
	    dentry->d_parent != sb->s_root || dentry == sb->s_root)
		return ERR_PTR(-EBADF);
	nr = pidfd_mod_proc_dir_nr(dentry);
	if (!nr)
		return ERR_PTR(-EBADF);

	rcu_read_lock();
	pid = get_pid(find_pid_ns(nr, proc_pid_ns(sb)));
	rcu_read_unlock();

	if (pidfd_mod_compat_revalidate(dentry) <= 0) {
		put_pid(pid);
		return ERR_PTR(-ESRCH);
	}
	return pid ? pid : ERR_PTR(-ESRCH);
}

/**
 * pidfd_mod_target_get() - resolve a pidfd argument
 * @fd: the fd, or PIDFD_MOD_SELF_THREAD or PIDFD_MOD_SELF_THREAD_GROUP
 * @accept: PIDFD_MOD_TARGET_PROC_DIR to accept /proc/<tgid> directories
 * @t: filled in: the struct pid, the task type it stands for (PIDTYPE_PID
 *     for a thread fd, as for native pidfds the O_EXCL bit of its flags,
 *     PIDFD_THREAD), its kind, and the module's record for a pidfd of the
 *     module
 *
 * The fd is taken with fdget(), as native pidfd_send_signal() does: no
 * reference for a caller whose file table no other task shares, and the
 * file (a pidfd of either kind) pins its struct pid for as long as it is
 * held.  Only what has no file to pin it, a /proc directory's struct pid
 * found by number, and the caller's own, takes a reference of its own.
 *
 * Returns 0, -EBADF for an fd that is not open or not one of the above, or
 * -ESRCH for a /proc directory whose process is gone.
 */
int pidfd_mod_target_get(int fd, unsigned int accept,
			 struct pidfd_mod_target *t)
{
	struct file *file;
	struct pid *pid;

	memset(t, 0, sizeof(*t));
	if (fd == PIDFD_MOD_SELF_THREAD || fd == PIDFD_MOD_SELF_THREAD_GROUP) {
		t->type = fd == PIDFD_MOD_SELF_THREAD ? PIDTYPE_PID :
							PIDTYPE_TGID;
		t->pid = get_task_pid(current, t->type);
		t->pid_ref = true;
		t->kind = PIDFD_MOD_ACCEPT_SELF;
		return 0;
	}

	t->fd = fdget(fd);
	file = fd_file(t->fd);
	if (!file)
		return -EBADF;
	t->type = (file->f_flags & PIDFD_MOD_THREAD) ? PIDTYPE_PID :
						       PIDTYPE_TGID;

	t->rec = pidfd_mod_file_record(file);
	if (!IS_ERR(t->rec)) {
		t->pid = pidfd_mod_record_pid(t->rec);
		t->kind = PIDFD_MOD_ACCEPT_MODULE;
		return 0;
	}
	t->rec = NULL;

	pid = pidfd_mod_compat_native_pid(file);
	if (pid) {
		t->pid = pid;
		t->kind = PIDFD_MOD_ACCEPT_NATIVE;
		return 0;
	}

	pid = ERR_PTR(-EBADF);
	if (accept & PIDFD_MOD_TARGET_PROC_DIR)
		pid = pidfd_mod_proc_dir_pid(file);
	if (IS_ERR(pid)) {
		fdput(t->fd);
		return PTR_ERR(pid);
	}
	t->pid = pid;
	t->pid_ref = true;
	t->kind = PIDFD_MOD_ACCEPT_PROC_DIR;
	return 0;
}

void pidfd_mod_target_put(struct pidfd_mod_target *t)
{
	if (t->pid_ref)
		put_pid(t->pid);
	/* A zeroed struct fd (PIDFD_MOD_SELF_*) holds nothing. */
	fdput(t->fd);
}
