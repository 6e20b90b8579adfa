// SPDX-License-Identifier: GPL-2.0
/*
 * pid namespaces: which ones a caller can see, and the one an nsfs file
 * names.
 */

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>

#include "pidfd_mod.h"

/*
 * Whether @ns is @active or one of its descendants: the namespaces whose
 * pids a task in @active can see.
 */
bool pidfd_mod_pid_ns_visible(const struct pid_namespace *ns,
			      const struct pid_namespace *active)
{
	for (; ns; ns = ns->parent) {
		if (ns == active)
			return true;
	}
	return false;
}

/* The pid namespace an nsfs file refers to, or NULL for any other file. */
struct pid_namespace *pidfd_mod_file_pid_ns(const struct file *file)
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
struct pid_namespace *pidfd_mod_get_pid_ns(int nsfd)
{
	struct pid_namespace *active = task_active_pid_ns(current);
	struct pid_namespace *ns;
	struct fd f;

	if (nsfd == -1)
		return get_pid_ns(active);

	f = fdget(nsfd);
	if (!fd_file(f))
		return ERR_PTR(-EBADF);

	ns = pidfd_mod_file_pid_ns(fd_file(f));
	if (ns && pidfd_mod_pid_ns_visible(ns, active))
		get_pid_ns(ns);
	else
		ns = ERR_PTR(-EINVAL);

	/* The nsfs file pinned ns until now; our reference takes over. */
	fdput(f);
	return ns;
}

/* For the KUnit suites (pidfd_mod_kunit.ko) only. */
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_pid_ns_visible);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_file_pid_ns);
