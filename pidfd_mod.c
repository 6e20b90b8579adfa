// SPDX-License-Identifier: GPL-2.0
/*
 * pidfd_mod: process file descriptors as a loadable module.
 *
 * /dev/pidfd takes ioctls that open a pidfd for a pid looked up in a given
 * pid namespace, translate a pidfd to its /proc directory in a given procfs
 * instance without racing against pid reuse, and send signals through a
 * pidfd.  A pidfd is an anon-inode file that holds a reference to a struct
 * pid; it never holds the pid's number, which the kernel recycles as soon
 * as the last task detaches from it.
 */

#include <linux/anon_inodes.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/signal.h>
#include <linux/uaccess.h>

#include "pidfd_mod.h"

/* pidfd files */

static const struct file_operations pidfd_mod_fops;

/*
 * The struct pid a pidfd pins, or -EBADF for any other file: the same
 * answer the native calls give for a file that is not a pidfd.
 */
static struct pid *pidfd_mod_file_pid(const struct file *file)
{
	if (file->f_op != &pidfd_mod_fops)
		return ERR_PTR(-EBADF);
	return file->private_data;
}

/* The task type a pidfd stands for: one thread, or a thread group. */
static enum pid_type pidfd_mod_file_type(const struct file *file)
{
	return (file->f_flags & PIDFD_MOD_THREAD) ? PIDTYPE_PID : PIDTYPE_TGID;
}

static int pidfd_mod_release(struct inode *inode, struct file *file)
{
	put_pid(file->private_data);
	return 0;
}

/*
 * Level-triggered, as fs/pidfs.c: EPOLLIN once the thread (thread fd) or
 * the whole thread group has exited, EPOLLHUP as well once it is reaped.
 * A leader that exits before its other threads is not reported: either the
 * last thread's exit is, or a thread that execs takes over the leader's
 * struct pid and it never is.
 */
static __poll_t pidfd_mod_poll(struct file *file, struct poll_table_struct *pts)
{
	struct pid *pid = file->private_data;
	struct task_struct *task;
	__poll_t events = 0;

	poll_wait(file, &pid->wait_pidfd, pts);

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_PID);
	if (!task)
		events = EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	else if (pidfd_mod_task_exited(task) && !delay_group_leader(task))
		events = EPOLLIN | EPOLLRDNORM;
	rcu_read_unlock();

	return events;
}

/*
 * As fs/pidfs.c: the number in the pid namespace of the procfs instance the
 * fdinfo file is read through, 0 when not visible there, -1 once reaped;
 * then the numbers in the namespaces below it.
 */
static void pidfd_mod_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct pid *pid = file->private_data;
	struct pid_namespace *ns = NULL;
	pid_t nr = -1;

	if (likely(pid_has_task(pid, PIDTYPE_PID))) {
		ns = proc_pid_ns(file_inode(m->file)->i_sb);
		nr = pid_nr_ns(pid, ns);
	}

	seq_put_decimal_ll(m, "Pid:\t", nr);

#ifdef CONFIG_PID_NS
	seq_put_decimal_ll(m, "\nNSpid:\t", nr);
	if (nr > 0) {
		unsigned int i;

		/* nr > 0: ns is in pid's hierarchy; print the levels below. */
		for (i = ns->level + 1; i <= pid->level; i++)
			seq_put_decimal_ll(m, "\t", pid->numbers[i].nr);
	}
#endif
	seq_putc(m, '\n');
}

static const struct file_operations pidfd_mod_fops = {
	.owner		= THIS_MODULE,
	.release	= pidfd_mod_release,
	.poll		= pidfd_mod_poll,
	.show_fdinfo	= pidfd_mod_show_fdinfo,
};

/*
 * A new pidfd file for @pid.  As native pidfd_open(), the pid must still
 * have a task of the requested kind: a thread for a thread fd, a thread-group
 * leader otherwise.  The file takes its own reference to @pid.
 */
static struct file *pidfd_mod_file_create(struct pid *pid, unsigned int flags)
{
	enum pid_type type = (flags & PIDFD_MOD_THREAD) ? PIDTYPE_PID :
							  PIDTYPE_TGID;
	struct file *file;

	if (!pid_has_task(pid, type))
		return ERR_PTR(-EINVAL);

	file = anon_inode_getfile("[pidfd_mod]", &pidfd_mod_fops, pid,
				  O_RDWR | (flags & PIDFD_MOD_NONBLOCK));
	if (IS_ERR(file))
		return file;
	get_pid(pid);
	/* anon_inode_getfile() keeps only the access mode and O_NONBLOCK. */
	file->f_flags |= flags & PIDFD_MOD_THREAD;
	return file;
}

/*
 * Install a new pidfd.  The file is built before the fd number is reserved
 * so that the errors come in native order: EINVAL for a pid without the
 * right task before EMFILE.
 */
static int pidfd_mod_create(struct pid *pid, unsigned int flags)
{
	struct file *file;
	int fd;

	file = pidfd_mod_file_create(pid, flags);
	if (IS_ERR(file))
		return PTR_ERR(file);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}

	fd_install(fd, file);
	return fd;
}

/* pid namespaces */

/*
 * Whether @ns is @active or one of its descendants: the namespaces whose
 * pids a task in @active can see.
 */
static bool pidfd_mod_pid_ns_visible(const struct pid_namespace *ns,
				     const struct pid_namespace *active)
{
	for (; ns; ns = ns->parent) {
		if (ns == active)
			return true;
	}
	return false;
}

/* The pid namespace an nsfs file refers to, or NULL for any other file. */
static struct pid_namespace *pidfd_mod_file_pid_ns(const struct file *file)
{
	struct ns_common *ns;

	if (file_inode(file)->i_sb->s_magic != NSFS_MAGIC)
		return NULL;
	ns = get_proc_ns(file_inode(file));
	if (ns->ops->type != CLONE_NEWPID)
		return NULL;
	return container_of(ns, struct pid_namespace, ns);
}

/*
 * A reference to the pid namespace @nsfd names (-1: the caller's active
 * one), which must be visible to the caller.
 */
static struct pid_namespace *pidfd_mod_get_pid_ns(int nsfd)
{
	struct pid_namespace *active = task_active_pid_ns(current);
	struct pid_namespace *ns;
	struct file *file;

	if (nsfd == -1)
		return get_pid_ns(active);

	file = fget(nsfd);
	if (!file)
		return ERR_PTR(-EBADF);

	ns = pidfd_mod_file_pid_ns(file);
	if (ns && pidfd_mod_pid_ns_visible(ns, active))
		get_pid_ns(ns);
	else
		ns = ERR_PTR(-EINVAL);

	/* The nsfs file pinned ns until now; our reference takes over. */
	fput(file);
	return ns;
}

/* procfs translation */

/* Whether @file is the root directory of a procfs instance. */
static bool pidfd_mod_is_proc_root(const struct file *file)
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
static int pidfd_mod_proc_name(struct pid *pid, enum pid_type type,
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
static int pidfd_mod_proc_dir_check(struct pid *pid, const struct file *root,
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
static struct file *pidfd_mod_open_proc_dir(struct pid *pid,
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

/* signals */

/*
 * Whether the kernel reads only sizeof(struct kernel_siginfo) of a siginfo
 * with this signal and code (kernel/signal.c:known_siginfo_layout()).
 */
static bool pidfd_mod_siginfo_layout_known(int sig, int code)
{
	int limit;

	if (code == SI_KERNEL)
		return true;
	if (code <= SI_USER)
		return code >= SI_DETHREAD || code == SI_ASYNCNL;

	switch (sig) {
	case SIGILL:
		limit = NSIGILL;
		break;
	case SIGFPE:
		limit = NSIGFPE;
		break;
	case SIGSEGV:
		limit = NSIGSEGV;
		break;
	case SIGBUS:
		limit = NSIGBUS;
		break;
	case SIGTRAP:
		limit = NSIGTRAP;
		break;
	case SIGCHLD:
		limit = NSIGCHLD;
		break;
	case SIGSYS:
		limit = NSIGSYS;
		break;
	default:
		limit = NSIGPOLL;
		break;
	}
	return code <= limit;
}

/* copy_siginfo_from_user() for a native caller; it is not exported. */
static int pidfd_mod_copy_siginfo(kernel_siginfo_t *kinfo,
				  const siginfo_t __user *uinfo)
{
	const void __user *expansion;
	int ret;

	if (copy_from_user(kinfo, uinfo, sizeof(*kinfo)))
		return -EFAULT;
	if (pidfd_mod_siginfo_layout_known(kinfo->si_signo, kinfo->si_code))
		return 0;

	/* An unknown layout may not use the bytes the kernel would drop. */
	expansion = (const char __user *)uinfo + sizeof(*kinfo);
	ret = check_zeroed_user(expansion, sizeof(siginfo_t) - sizeof(*kinfo));
	if (ret < 0)
		return ret;
	return ret ? 0 : -E2BIG;
}

/* kernel/signal.c:prepare_kill_siginfo() for a thread-directed kill. */
static void pidfd_mod_prepare_tkill_info(kernel_siginfo_t *kinfo, int sig)
{
	clear_siginfo(kinfo);
	kinfo->si_signo = sig;
	kinfo->si_errno = 0;
	kinfo->si_code = SI_TKILL;
	kinfo->si_pid = task_tgid_vnr(current);
	kinfo->si_uid = from_kuid_munged(current_user_ns(), current_uid());
}

/*
 * Whether the caller may send @sig to @task, by kill(2)'s rules.
 * send_sig_info() checks nothing, and check_kill_permission() is not
 * exported, so probe with signal 0 through kill_pid(), which runs the
 * credential check and the LSM hook against @task.  A probe with signal 0
 * cannot see kill(2)'s SIGCONT exception (any task of the caller's session),
 * so that is applied here.  Caller holds rcu_read_lock().
 */
static int pidfd_mod_may_signal(struct task_struct *task, int sig)
{
	int ret;

	ret = kill_pid(task_pid(task), 0, 0);
	if (ret == -EPERM && sig == SIGCONT &&
	    task_session(task) == task_session(current))
		ret = 0;
	return ret;
}

/*
 * send_sig_info() queues on one thread, and nothing exported queues a
 * caller-built siginfo for a whole thread group.  For a group-wide signal,
 * pick the thread the kernel would most likely have delivered it to: @task
 * itself if it can take @sig now, else the first live thread that does not
 * block it, else @task, where it stays pending.  The blocked masks are read
 * without the siglock: a thread that blocks @sig just after the look keeps
 * it pending, as if it had blocked it just after a native delivery's choice.
 * Caller holds rcu_read_lock().
 */
static bool pidfd_mod_takes_signal(struct task_struct *t, int sig)
{
	return !(t->flags & PF_EXITING) && !sigismember(&t->blocked, sig);
}

static struct task_struct *pidfd_mod_group_target(struct task_struct *task,
						  int sig)
{
	struct task_struct *t;

	if (pidfd_mod_takes_signal(task, sig))
		return task;
	for_each_thread(task, t) {
		if (pidfd_mod_takes_signal(t, sig))
			return t;
	}
	return task;
}

/*
 * Send @kinfo to @task as the caller: to that thread for @type PIDTYPE_PID,
 * else to its thread group.  The caller holds rcu_read_lock() and has
 * already found @task alive, so the errors come in the native order:
 * invalid signal, then permission.
 */
static int pidfd_mod_send_task(struct task_struct *task, enum pid_type type,
			       int sig, kernel_siginfo_t *kinfo)
{
	int ret;

	if (!valid_signal(sig))
		return -EINVAL;
	ret = pidfd_mod_may_signal(task, sig);
	if (ret || !sig)
		return ret;
	if (type != PIDTYPE_PID)
		task = pidfd_mod_group_target(task, sig);
	return send_sig_info(sig, kinfo, task);
}

/* Send through send_sig_info() to @pid's task, or to every process in the
 * process group @pid leads (native __kill_pgrp_info() semantics: success if
 * any member got it, else the last error, ESRCH if the group is empty).
 */
static int pidfd_mod_send_info(struct pid *pid, enum pid_type type, int sig,
			       kernel_siginfo_t *kinfo)
{
	struct task_struct *task;
	bool success = false;
	int ret = -ESRCH;

	rcu_read_lock();
	if (type != PIDTYPE_PGID) {
		task = pid_task(pid, PIDTYPE_PID);
		if (task)
			ret = pidfd_mod_send_task(task, type, sig, kinfo);
		goto out;
	}

	do_each_pid_task(pid, PIDTYPE_PGID, task) {
		ret = pidfd_mod_send_task(task, type, sig, kinfo);
		success |= !ret;
	} while_each_pid_task(pid, PIDTYPE_PGID, task);
	if (success)
		ret = 0;
out:
	rcu_read_unlock();
	return ret;
}

/* The pid type a signal goes to: the scope flag, else the fd's own kind. */
static enum pid_type pidfd_mod_signal_type(const struct file *file, u32 flags)
{
	switch (flags) {
	case PIDFD_MOD_SIGNAL_THREAD:
		return PIDTYPE_PID;
	case PIDFD_MOD_SIGNAL_THREAD_GROUP:
		return PIDTYPE_TGID;
	case PIDFD_MOD_SIGNAL_PROCESS_GROUP:
		return PIDTYPE_PGID;
	default:
		return pidfd_mod_file_type(file);
	}
}

/*
 * As kernel/signal.c:pidfd_send_signal() after its fd and namespace checks.
 * Without siginfo, thread-group and process-group signals go through
 * kill_pid() and kill_pgrp(), which do kill(2)'s checks themselves.
 */
static int pidfd_mod_send_signal(struct file *file, int sig,
				 const siginfo_t __user *uinfo, u32 flags)
{
	struct pid *pid = file->private_data;
	enum pid_type type = pidfd_mod_signal_type(file, flags);
	kernel_siginfo_t kinfo;
	int ret;

	if (uinfo) {
		ret = pidfd_mod_copy_siginfo(&kinfo, uinfo);
		if (ret)
			return ret;
		if (kinfo.si_signo != sig)
			return -EINVAL;
		/* Only allow sending arbitrary signals to yourself. */
		if ((task_pid(current) != pid || type > PIDTYPE_TGID) &&
		    (kinfo.si_code >= 0 || kinfo.si_code == SI_TKILL))
			return -EPERM;
		return pidfd_mod_send_info(pid, type, sig, &kinfo);
	}

	switch (type) {
	case PIDTYPE_TGID:
		return kill_pid(pid, sig, 0);
	case PIDTYPE_PGID:
		return kill_pgrp(pid, sig, 0);
	default:
		pidfd_mod_prepare_tkill_info(&kinfo, sig);
		return pidfd_mod_send_info(pid, type, sig, &kinfo);
	}
}

/* ioctl argument validation, separate from the work so it can be tested */

static int pidfd_mod_features_valid(const struct pidfd_mod_features *cmd)
{
	/* The output fields are overwritten, whatever they hold. */
	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	return 0;
}

static int pidfd_mod_open_valid(const struct pidfd_mod_open *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_OPEN_FLAGS)
		return -EINVAL;
	if (cmd->__reserved)
		return -EINVAL;
	if (cmd->pid <= 0)
		return -EINVAL;
	return 0;
}

static int pidfd_mod_procfd_valid(const struct pidfd_mod_procfd *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_PROCFD_FLAGS)
		return -EINVAL;
	if (cmd->__reserved)
		return -EINVAL;
	return 0;
}

static int pidfd_mod_send_signal_valid(const struct pidfd_mod_send_signal *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_SIGNAL_FLAGS)
		return -EINVAL;
	/* At most one scope. */
	if (hweight32(cmd->flags) > 1)
		return -EINVAL;
	if (cmd->__reserved)
		return -EINVAL;
	return 0;
}

/* ioctl commands */

static int pidfd_mod_cmd_features(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_features *cmd = ucmd->cmd;
	u32 len = min_t(u32, ucmd->user_size, sizeof(*cmd));
	int ret;

	ret = pidfd_mod_features_valid(cmd);
	if (ret)
		return ret;

	cmd->size = len;
	cmd->abi_version = PIDFD_MOD_ABI_VERSION;
	cmd->cmds = PIDFD_MOD_CMDS;
	cmd->open_flags = PIDFD_MOD_OPEN_FLAGS;
	cmd->procfd_flags = PIDFD_MOD_PROCFD_FLAGS;
	cmd->send_signal_flags = PIDFD_MOD_SIGNAL_FLAGS;

	if (copy_to_user(ucmd->ubuffer, cmd, len))
		return -EFAULT;
	return 0;
}

static int pidfd_mod_cmd_open(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_open *cmd = ucmd->cmd;
	struct pid_namespace *ns;
	struct pid *pid;
	int ret;

	ret = pidfd_mod_open_valid(cmd);
	if (ret)
		return ret;

	ns = pidfd_mod_get_pid_ns(cmd->nsfd);
	if (IS_ERR(ns))
		return PTR_ERR(ns);

	rcu_read_lock();
	pid = get_pid(find_pid_ns(cmd->pid, ns));
	rcu_read_unlock();
	put_pid_ns(ns);
	if (!pid)
		return -ESRCH;

	ret = pidfd_mod_create(pid, cmd->flags);
	put_pid(pid);
	return ret;
}

static int pidfd_mod_cmd_procfd(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_procfd *cmd = ucmd->cmd;
	struct file *pidfd, *root, *dir;
	struct pid *pid;
	int fd;

	fd = pidfd_mod_procfd_valid(cmd);
	if (fd)
		return fd;

	pidfd = fget(cmd->pidfd);
	if (!pidfd)
		return -EBADF;
	pid = pidfd_mod_file_pid(pidfd);
	if (IS_ERR(pid)) {
		fd = PTR_ERR(pid);
		goto out_put_pidfd;
	}

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

	dir = pidfd_mod_open_proc_dir(pid, pidfd_mod_file_type(pidfd), root);
	if (IS_ERR(dir)) {
		put_unused_fd(fd);
		fd = PTR_ERR(dir);
		goto out_put_root;
	}
	fd_install(fd, dir);

out_put_root:
	fput(root);
out_put_pidfd:
	fput(pidfd);
	return fd;
}

static int pidfd_mod_cmd_send_signal(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_send_signal *cmd = ucmd->cmd;
	struct file *file;
	struct pid *pid;
	int ret;

	ret = pidfd_mod_send_signal_valid(cmd);
	if (ret)
		return ret;

	file = fget(cmd->pidfd);
	if (!file)
		return -EBADF;
	pid = pidfd_mod_file_pid(file);
	if (IS_ERR(pid)) {
		ret = PTR_ERR(pid);
		goto out;
	}

	ret = -EINVAL;
	if (!pidfd_mod_pid_ns_visible(ns_of_pid(pid),
				      task_active_pid_ns(current)))
		goto out;

	ret = pidfd_mod_send_signal(file, cmd->sig, u64_to_user_ptr(cmd->info),
				    cmd->flags);
out:
	fput(file);
	return ret;
}

/* ioctl dispatch, after drivers/iommu/iommufd/main.c */

union pidfd_mod_ucmd_buffer {
	struct pidfd_mod_features features;
	struct pidfd_mod_open open;
	struct pidfd_mod_procfd procfd;
	struct pidfd_mod_send_signal send_signal;
};

struct pidfd_mod_ioctl_op {
	unsigned int ioctl_num;
	unsigned int size;
	unsigned int min_size;
	int (*execute)(struct pidfd_mod_ucmd *ucmd);
};

/* Each command's structure is the union member named after it. */
#define PIDFD_MOD_IOCTL_OP(_nr, _member, _fn)				\
	[PIDFD_MOD_CMD_##_nr] = {					\
		.ioctl_num = PIDFD_MOD_IOC_##_nr,			\
		.size = sizeof_field(union pidfd_mod_ucmd_buffer, _member), \
		.min_size = PIDFD_MOD_##_nr##_SIZE_VER0,		\
		.execute = _fn,						\
	}

static const struct pidfd_mod_ioctl_op pidfd_mod_ioctl_ops[] = {
	PIDFD_MOD_IOCTL_OP(FEATURES, features, pidfd_mod_cmd_features),
	PIDFD_MOD_IOCTL_OP(OPEN, open, pidfd_mod_cmd_open),
	PIDFD_MOD_IOCTL_OP(PROCFD, procfd, pidfd_mod_cmd_procfd),
	PIDFD_MOD_IOCTL_OP(SEND_SIGNAL, send_signal, pidfd_mod_cmd_send_signal),
};

/*
 * The size contract: at least the first published size, at most
 * PIDFD_MOD_ARG_SIZE_MAX, and any tail this module does not know all zero
 * (copy_struct_from_user() gives E2BIG otherwise).
 */
static int pidfd_mod_copy_ucmd(const struct pidfd_mod_ioctl_op *op,
			       struct pidfd_mod_ucmd *ucmd, void *buf)
{
	if (get_user(ucmd->user_size, (u32 __user *)ucmd->ubuffer))
		return -EFAULT;
	if (ucmd->user_size < op->min_size)
		return -EINVAL;
	if (ucmd->user_size > PIDFD_MOD_ARG_SIZE_MAX)
		return -E2BIG;
	return copy_struct_from_user(buf, op->size, ucmd->ubuffer,
				     ucmd->user_size);
}

static long pidfd_mod_dev_ioctl(struct file *filp, unsigned int cmd,
				unsigned long arg)
{
	const struct pidfd_mod_ioctl_op *op;
	union pidfd_mod_ucmd_buffer buf;
	struct pidfd_mod_ucmd ucmd = {
		.ubuffer = (void __user *)arg,
		.cmd = &buf,
	};
	unsigned int nr = _IOC_NR(cmd);
	int ret;

	if (nr >= ARRAY_SIZE(pidfd_mod_ioctl_ops))
		return -ENOTTY;
	op = &pidfd_mod_ioctl_ops[nr];
	if (op->ioctl_num != cmd)
		return -ENOTTY;

	ret = pidfd_mod_copy_ucmd(op, &ucmd, &buf);
	if (ret)
		return ret;
	return op->execute(&ucmd);
}

static const struct file_operations pidfd_mod_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= pidfd_mod_dev_ioctl,
	.llseek		= noop_llseek,
};

/*
 * World-accessible: every command acts only with the caller's own rights
 * (namespace visibility, procfs permissions, kill(2) rules).
 */
static struct miscdevice pidfd_mod_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "pidfd",
	.fops	= &pidfd_mod_dev_fops,
	.mode	= 0666,
};

static void pidfd_mod_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct pidfd_mod_features) !=
		     PIDFD_MOD_FEATURES_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_open) != PIDFD_MOD_OPEN_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_procfd) !=
		     PIDFD_MOD_PROCFD_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_send_signal) !=
		     PIDFD_MOD_SEND_SIGNAL_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_send_signal, info) % 8);
	BUILD_BUG_ON(ARRAY_SIZE(pidfd_mod_ioctl_ops) != PIDFD_MOD_CMD_NR);
	BUILD_BUG_ON(PIDFD_MOD_OPEN_FLAGS & O_CLOEXEC);
}

static int __init pidfd_mod_init(void)
{
	int ret;

	pidfd_mod_check_abi();

	ret = pidfd_mod_compat_init();
	if (ret)
		return ret;

	/* Last: from here on userspace can reach us. */
	ret = misc_register(&pidfd_mod_dev);
	if (ret)
		pidfd_mod_compat_exit();
	return ret;
}

static void __exit pidfd_mod_exit(void)
{
	misc_deregister(&pidfd_mod_dev);
	pidfd_mod_compat_exit();
}

module_init(pidfd_mod_init);
module_exit(pidfd_mod_exit);

#if IS_ENABLED(CONFIG_KUNIT)
#include "kunit/pidfd_mod_kunit.c"
#endif

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Process file descriptors by pid namespace, /proc translation and signals");
