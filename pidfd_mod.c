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
#include <linux/build_bug.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "pidfd_mod.h"

/* pidfd files */

static const struct file_operations pidfd_mod_fops;

/*
 * The exit record a pidfd refers to, or -EBADF for any other file: the
 * same answer the native calls give for a file that is not a pidfd.  A
 * file opened on a pidfd's inode by the kernel, not by the module (see
 * pidfd_mod_inode_ops), has no record and is no pidfd either.
 */
struct pidfd_mod_record *pidfd_mod_file_record(const struct file *file)
{
	if (file->f_op != &pidfd_mod_fops || !file->private_data)
		return ERR_PTR(-EBADF);
	return file->private_data;
}

/* The struct pid a pidfd pins, or -EBADF for any other file. */
struct pid *pidfd_mod_file_pid(const struct file *file)
{
	struct pidfd_mod_record *rec = pidfd_mod_file_record(file);

	if (IS_ERR(rec))
		return ERR_CAST(rec);
	return pidfd_mod_record_pid(rec);
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_file_pid);

/* The task type a pidfd stands for: one thread, or a thread group. */
enum pid_type pidfd_mod_file_type(const struct file *file)
{
	return (file->f_flags & PIDFD_MOD_THREAD) ? PIDTYPE_PID : PIDTYPE_TGID;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_file_type);

/*
 * The files of one struct pid share a dentry, as native pidfds on pidfs
 * do: a new file costs a struct file, not a dentry too.  They live on the
 * anon-inode mount, where anon_inode_getfile() would put them, under the
 * name it would give them, and all share one inode of the module's, as
 * anon_inode_getfile() files share one of the kernel's.  The exit record
 * keeps the dentry while it has files (and, where it is pinned for its id,
 * until the reap), and the next files are opened on it with dentry_open(),
 * which takes their operations from the inode.
 *
 * So the inode carries the module's operations: opening it by path
 * (/proc/PID/fd/N) must fail, as it does for any anon-inode file (ENXIO),
 * and when the module is unloaded the inode, which a path lookup may still
 * hold, gets the kernel's operations back.
 */
static struct vfsmount *pidfd_mod_anon_mnt;
static struct inode *pidfd_mod_inode;

static int pidfd_mod_inode_permission(PIDFD_MOD_IDMAP *idmap,
				      struct inode *inode, int mask)
{
	if (mask & MAY_OPEN)
		return -ENXIO;
	return generic_permission(idmap, inode, mask);
}

/*
 * Opens that skip the permission check (fanotify's event files, for one)
 * get a file without a record, which no command takes for a pidfd.
 */
static const struct inode_operations pidfd_mod_inode_ops = {
	.permission	= pidfd_mod_inode_permission,
};

static struct file *pidfd_mod_file_alloc(struct pidfd_mod_record *rec,
					 int oflags)
{
	struct path path = { .mnt = pidfd_mod_anon_mnt };
	struct file *file;

	path.dentry = pidfd_mod_record_file_get(rec);
	if (path.dentry) {
		/* Takes the module reference from the inode's i_fop. */
		file = dentry_open(&path, oflags, current_cred());
		dput(path.dentry);
		return file;
	}

	/* The caller's ioctl holds the module; __fput() drops this one. */
	__module_get(THIS_MODULE);
	ihold(pidfd_mod_inode);
	file = alloc_file_pseudo(pidfd_mod_inode, pidfd_mod_anon_mnt,
				 "[pidfd_mod]", oflags, &pidfd_mod_fops);
	if (IS_ERR(file)) {
		iput(pidfd_mod_inode);
		module_put(THIS_MODULE);
		return file;
	}
	pidfd_mod_record_file_set(rec, file->f_path.dentry);
	return file;
}

static int pidfd_mod_release(struct inode *inode, struct file *file)
{
	struct pidfd_mod_record *rec = file->private_data;

	if (!rec)
		return 0;
	/* The file still holds the dentry: this dput() is never the last. */
	dput(pidfd_mod_record_file_put(rec));
	if (file->f_flags & PIDFD_MOD_THREAD)
		pidfd_mod_compat_thread_fd_release(pidfd_mod_record_pid(rec));
	pidfd_mod_record_release(rec);
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
	struct pid *pid = pidfd_mod_file_pid(file);
	struct task_struct *task;
	__poll_t events = 0;

	if (IS_ERR(pid))
		return EPOLLERR;

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
	struct pid *pid = pidfd_mod_file_pid(file);
	struct pid_namespace *ns = NULL;
	pid_t nr = -1;

	if (IS_ERR(pid))
		return;

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
	.unlocked_ioctl	= pidfd_mod_file_ioctl,
};

/*
 * A new pidfd file for @pid.  As native pidfd_open(), the pid must still
 * have a task of the requested kind: a thread for a thread fd, a thread-group
 * leader otherwise.  The file refers to the exit record of @pid (exit.c),
 * which holds a reference to it.
 */
struct file *pidfd_mod_file_create(struct pid *pid, unsigned int flags)
{
	enum pid_type type = (flags & PIDFD_MOD_THREAD) ? PIDTYPE_PID :
							  PIDTYPE_TGID;
	struct pidfd_mod_record *rec;
	struct file *file;
	int ret;

	if (!pid_has_task(pid, type))
		return ERR_PTR(-EINVAL);

	rec = pidfd_mod_record_get(pid);
	if (IS_ERR(rec))
		return ERR_CAST(rec);
	if (flags & PIDFD_MOD_THREAD) {
		ret = pidfd_mod_compat_thread_fd_open(pid);
		if (ret) {
			file = ERR_PTR(ret);
			goto out_put_rec;
		}
	}
	file = pidfd_mod_file_alloc(rec, O_RDWR | (flags & PIDFD_MOD_NONBLOCK));
	if (IS_ERR(file)) {
		dput(pidfd_mod_record_file_put(rec));
		if (flags & PIDFD_MOD_THREAD)
			pidfd_mod_compat_thread_fd_release(pid);
		goto out_put_rec;
	}
	/* Native pidfds keep O_EXCL in their flags for PIDFD_THREAD. */
	file->f_flags |= flags & PIDFD_MOD_THREAD;
	pidfd_mod_compat_file_mode(file);
	file->private_data = rec;
	return file;

out_put_rec:
	pidfd_mod_record_release(rec);
	return file;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_file_create);

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

/* ioctl argument validation, separate from the work so it can be tested */

int pidfd_mod_features_valid(const struct pidfd_mod_features *cmd)
{
	/* The output fields are overwritten, whatever they hold. */
	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_features_valid);

int pidfd_mod_open_valid(const struct pidfd_mod_open *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_OPEN_FLAGS)
		return -EINVAL;
	if (cmd->__reserved)
		return -EINVAL;
	if (cmd->pid <= 0)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_open_valid);

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
	cmd->settings = 0;
	if (pidfd_mod_signals_unchecked())
		cmd->settings |= PIDFD_MOD_SETTING_UNCHECKED_SIGNALS;
	cmd->accepts = PIDFD_MOD_ACCEPTS;

	if (copy_to_user(ucmd->ubuffer, cmd, len))
		return -EFAULT;
	return 0;
}

/*
 * Open a pidfd for the process (thread) numbered @nr in the pid namespace
 * of @nsfd or, when @id is not 0, for the one with that id (exit.c), which
 * must be visible there: OPEN finds only the processes numbered there.
 */
static int pidfd_mod_open(int nsfd, unsigned int flags, pid_t nr, u64 id)
{
	struct pidfd_mod_ns n;
	struct pid *pid;
	int ret;

	ret = pidfd_mod_ns_get(nsfd, &n);
	if (ret)
		return ret;

	if (id) {
		pid = pidfd_mod_find_id(id);
		if (pid && !pid_nr_ns(pid, n.ns)) {
			put_pid(pid);
			pid = NULL;
		}
	} else {
		rcu_read_lock();
		pid = get_pid(find_pid_ns(nr, n.ns));
		rcu_read_unlock();
	}
	pidfd_mod_ns_put(&n);
	if (!pid)
		return -ESRCH;

	ret = pidfd_mod_create(pid, flags);
	put_pid(pid);
	return ret;
}

static int pidfd_mod_cmd_open(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_open *cmd = ucmd->cmd;
	int ret;

	ret = pidfd_mod_open_valid(cmd);
	if (ret)
		return ret;
	return pidfd_mod_open(cmd->nsfd, cmd->flags, cmd->pid, 0);
}

int pidfd_mod_open_id_valid(const struct pidfd_mod_open_id *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_OPEN_FLAGS)
		return -EINVAL;
	if (cmd->__pad || cmd->__reserved)
		return -EINVAL;
	if (!cmd->id)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_open_id_valid);

/*
 * As OPEN, with the process named by its id, which no other process ever
 * has: a process that is gone is ESRCH, whatever now has its number.
 */
static int pidfd_mod_cmd_open_id(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_open_id *cmd = ucmd->cmd;
	int ret;

	ret = pidfd_mod_open_id_valid(cmd);
	if (ret)
		return ret;
	return pidfd_mod_open(cmd->nsfd, cmd->flags, 0, cmd->id);
}

int pidfd_mod_import_valid(const struct pidfd_mod_import *cmd)
{
	if (cmd->flags & ~PIDFD_MOD_IMPORT_FLAGS)
		return -EINVAL;
	if (cmd->__pad || cmd->__reserved)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_import_valid);

/*
 * A pidfd of the module for the struct pid a native pidfd, a /proc/<tgid>
 * directory or PIDFD_MOD_SELF_* stands for: no number is looked up, so a
 * pidfd received from elsewhere (SCM_RIGHTS, SO_PEERPIDFD, CLONE_PIDFD)
 * gets every command of the module for exactly its process.
 */
static int pidfd_mod_cmd_import(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_import *cmd = ucmd->cmd;
	struct pidfd_mod_target t;
	unsigned int flags;
	int ret;

	ret = pidfd_mod_import_valid(cmd);
	if (ret)
		return ret;
	ret = pidfd_mod_target_get(cmd->pidfd, PIDFD_MOD_TARGET_PROC_DIR, &t);
	if (ret)
		return ret;

	flags = cmd->flags | (t.type == PIDTYPE_PID ? PIDFD_MOD_THREAD : 0);
	if (!pid_has_task(t.pid, PIDTYPE_PID))
		ret = -ESRCH;
	else
		ret = pidfd_mod_create(t.pid, flags);
	pidfd_mod_target_put(&t);
	return ret;
}

/* ioctl dispatch, after drivers/iommu/iommufd/main.c */

union pidfd_mod_ucmd_buffer {
	struct pidfd_mod_features features;
	struct pidfd_mod_open open;
	struct pidfd_mod_procfd procfd;
	struct pidfd_mod_send_signal send_signal;
	struct pidfd_mod_info info;
	struct pidfd_mod_translate translate;
	struct pidfd_mod_open_id open_id;
	struct pidfd_mod_import import;
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
	PIDFD_MOD_IOCTL_OP(INFO, info, pidfd_mod_cmd_info),
	PIDFD_MOD_IOCTL_OP(TRANSLATE, translate, pidfd_mod_cmd_translate),
	PIDFD_MOD_IOCTL_OP(OPEN_ID, open_id, pidfd_mod_cmd_open_id),
	PIDFD_MOD_IOCTL_OP(IMPORT, import, pidfd_mod_cmd_import),
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

long pidfd_mod_dev_ioctl(struct file *filp, unsigned int cmd,
			 unsigned long arg)
{
	const struct pidfd_mod_ioctl_op *op;
	union pidfd_mod_ucmd_buffer buf;
	struct pidfd_mod_ucmd ucmd = {
		.filp = filp,
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
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_dev_ioctl);

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
		     PIDFD_MOD_FEATURES_SIZE_VER2);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_features, settings) !=
		     PIDFD_MOD_FEATURES_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_features, accepts) !=
		     PIDFD_MOD_FEATURES_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_open) != PIDFD_MOD_OPEN_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_procfd) !=
		     PIDFD_MOD_PROCFD_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_send_signal) !=
		     PIDFD_MOD_SEND_SIGNAL_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_send_signal, info) % 8);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_info) != PIDFD_MOD_INFO_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_info, valid) % 8 ||
		     offsetof(struct pidfd_mod_info, id) % 8);
	BUILD_BUG_ON(MAX_PID_NS_LEVEL + 1 > PIDFD_MOD_NSPID_MAX);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_translate) !=
		     PIDFD_MOD_TRANSLATE_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_open_id) !=
		     PIDFD_MOD_OPEN_ID_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct pidfd_mod_open_id, id) % 8);
	BUILD_BUG_ON(sizeof(struct pidfd_mod_import) !=
		     PIDFD_MOD_IMPORT_SIZE_VER0);
	BUILD_BUG_ON(ARRAY_SIZE(pidfd_mod_ioctl_ops) != PIDFD_MOD_CMD_NR);
	BUILD_BUG_ON(PIDFD_MOD_OPEN_FLAGS & O_CLOEXEC);
}

/*
 * The anon-inode mount is found through a file made on it and never
 * installed.  Its operations are the kernel's, and none of them runs: its
 * fput() is deferred to the return to user space, after a failed load has
 * freed the module, so it must read nothing of the module.
 */
static const struct inode_operations *pidfd_mod_anon_iops;
static const struct file_operations *pidfd_mod_anon_fops;

static int __init pidfd_mod_anon_init(void)
{
	struct inode *inode;
	struct file *file;

	file = anon_inode_getfile("[pidfd_mod]", &generic_ro_fops, NULL,
				  O_RDONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	inode = alloc_anon_inode(file->f_path.mnt->mnt_sb);
	if (IS_ERR(inode)) {
		fput(file);
		return PTR_ERR(inode);
	}
	/* The operations every inode of the anon-inode mount starts with. */
	pidfd_mod_anon_iops = inode->i_op;
	pidfd_mod_anon_fops = inode->i_fop;
	inode->i_op = &pidfd_mod_inode_ops;
	inode->i_fop = &pidfd_mod_fops;
	pidfd_mod_inode = inode;
	pidfd_mod_anon_mnt = mntget(file->f_path.mnt);
	fput(file);
	return 0;
}

/*
 * Every pidfd holds the module, so none is left; a dentry of one may still
 * be held by a path lookup, and with it the inode: give the inode back the
 * kernel's operations, so that nothing of the module is called once it is
 * gone.
 */
static void pidfd_mod_anon_exit(void)
{
	WRITE_ONCE(pidfd_mod_inode->i_fop, pidfd_mod_anon_fops);
	WRITE_ONCE(pidfd_mod_inode->i_op, pidfd_mod_anon_iops);
	iput(pidfd_mod_inode);
	mntput(pidfd_mod_anon_mnt);
}

static struct dentry *pidfd_mod_debugfs;

/* /sys/kernel/debug/pidfd_mod/records */
DEFINE_SHOW_ATTRIBUTE(pidfd_mod_records);

static int __init pidfd_mod_init(void)
{
	int ret;

	pidfd_mod_check_abi();

	pidfd_mod_debugfs = debugfs_create_dir("pidfd_mod", NULL);
	debugfs_create_file("records", 0444, pidfd_mod_debugfs, NULL,
			    &pidfd_mod_records_fops);

	ret = pidfd_mod_anon_init();
	if (ret)
		goto out_debugfs;
	ret = pidfd_mod_records_init();
	if (ret)
		goto out_anon;
	ret = pidfd_mod_compat_init(pidfd_mod_debugfs);
	if (ret)
		goto out_records;

	/* Last: from here on userspace can reach us. */
	ret = misc_register(&pidfd_mod_dev);
	if (ret)
		goto out_compat;
	return 0;

out_compat:
	pidfd_mod_compat_exit();
out_records:
	pidfd_mod_records_exit();
out_anon:
	pidfd_mod_anon_exit();
out_debugfs:
	debugfs_remove_recursive(pidfd_mod_debugfs);
	return ret;
}

static void __exit pidfd_mod_exit(void)
{
	misc_deregister(&pidfd_mod_dev);
	pidfd_mod_compat_exit();
	pidfd_mod_records_exit();
	pidfd_mod_anon_exit();
	debugfs_remove_recursive(pidfd_mod_debugfs);
}

module_init(pidfd_mod_init);
module_exit(pidfd_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Process file descriptors by pid namespace, /proc translation and signals");
