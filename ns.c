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

/**
 * pidfd_mod_ns_get() - the pid namespace an nsfd argument names
 * @nsfd: an nsfs file of a pid namespace, or -1 for the caller's active one
 * @n: the namespace, and the nsfs file that pins it while the call runs
 *
 * The namespace must be visible to the caller.  It takes no reference of
 * its own: an nsfs file pins its namespace for as long as it is held
 * (fdget() holds it for the call), and the caller's active namespace is
 * pinned by the caller's own struct pid.  Returns 0, -EBADF or -EINVAL;
 * on 0, pidfd_mod_ns_put() ends the use.
 */
int pidfd_mod_ns_get(int nsfd, struct pidfd_mod_ns *n)
{
	struct pid_namespace *active = task_active_pid_ns(current);

	memset(n, 0, sizeof(*n));
	if (nsfd == -1) {
		n->ns = active;
		return 0;
	}

	n->fd = fdget(nsfd);
	if (!fd_file(n->fd))
		return -EBADF;
	n->ns = pidfd_mod_file_pid_ns(fd_file(n->fd));
	if (!n->ns || !pidfd_mod_pid_ns_visible(n->ns, active)) {
		fdput(n->fd);
		return -EINVAL;
	}
	return 0;
}

void pidfd_mod_ns_put(struct pidfd_mod_ns *n)
{
	/* A zeroed struct fd (nsfd -1) holds nothing. */
	fdput(n->fd);
}

/* For the KUnit suites (pidfd_mod_kunit.ko) only. */
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_pid_ns_visible);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_file_pid_ns);
