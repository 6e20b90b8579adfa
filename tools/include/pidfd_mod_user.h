/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Userspace wrappers for the /dev/pidfd ioctls.  Each returns what the
 * ioctl returns: a new file descriptor or 0 on success, -1 with errno set on
 * failure, like glibc's pidfd_open() and pidfd_send_signal().
 *
 * The control device is opened once per process, close-on-exec, on first
 * use; pidfd_mod_dev() returns it (or -1 with errno from open(2)).
 */
#ifndef PIDFD_MOD_USER_H
#define PIDFD_MOD_USER_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "linux/pidfd_mod.h"

static int pidfd_mod_dev_fd = -1;

static inline int pidfd_mod_dev(void)
{
	if (pidfd_mod_dev_fd < 0)
		pidfd_mod_dev_fd = open(PIDFD_MOD_DEVICE, O_RDWR | O_CLOEXEC);
	return pidfd_mod_dev_fd;
}

/* Forget the cached device fd, for callers that closed every fd. */
static inline void pidfd_mod_dev_reset(void)
{
	pidfd_mod_dev_fd = -1;
}

/* Issue @cmd with @arg on the control device. */
static inline int pidfd_mod_ioctl(unsigned long cmd, void *arg)
{
	int dev = pidfd_mod_dev();

	if (dev < 0)
		return -1;
	return ioctl(dev, cmd, arg);
}

static inline int pidfd_mod_features(struct pidfd_mod_features *f)
{
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	return pidfd_mod_ioctl(PIDFD_MOD_IOC_FEATURES, f);
}

static inline int pidfd_mod_open(pid_t pid, int nsfd, unsigned int flags)
{
	struct pidfd_mod_open a = {
		.size = sizeof(a),
		.flags = flags,
		.pid = pid,
		.nsfd = nsfd,
	};

	return pidfd_mod_ioctl(PIDFD_MOD_IOC_OPEN, &a);
}

static inline int pidfd_mod_procfd_open(int procrootfd, int pidfd,
					unsigned int flags)
{
	struct pidfd_mod_procfd a = {
		.size = sizeof(a),
		.flags = flags,
		.pidfd = pidfd,
		.procrootfd = procrootfd,
	};

	return pidfd_mod_ioctl(PIDFD_MOD_IOC_PROCFD, &a);
}

static inline int pidfd_mod_send_signal(int pidfd, int sig, siginfo_t *info,
					unsigned int flags)
{
	struct pidfd_mod_send_signal a = {
		.size = sizeof(a),
		.flags = flags,
		.pidfd = pidfd,
		.sig = sig,
		.info = (uintptr_t)info,
	};

	return pidfd_mod_ioctl(PIDFD_MOD_IOC_SEND_SIGNAL, &a);
}

/*
 * What @pidfd refers to, numbered in the pid namespace of @nsfd (-1: the
 * caller's): fills in *@info.
 */
static inline int pidfd_mod_info(int pidfd, int nsfd,
				 struct pidfd_mod_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->pidfd = pidfd;
	info->nsfd = nsfd;
	return pidfd_mod_ioctl(PIDFD_MOD_IOC_INFO, info);
}

/*
 * @pid, a number in the pid namespace of @from_nsfd, as numbered in that
 * of @to_nsfd (either -1: the caller's).  Returns the number, or -1.
 */
static inline pid_t pidfd_mod_translate(pid_t pid, int from_nsfd,
					int to_nsfd, unsigned int flags)
{
	struct pidfd_mod_translate a = {
		.size = sizeof(a),
		.flags = flags,
		.pid = pid,
		.from_nsfd = from_nsfd,
		.to_nsfd = to_nsfd,
	};

	if (pidfd_mod_ioctl(PIDFD_MOD_IOC_TRANSLATE, &a) < 0)
		return -1;
	return a.result;
}

/*
 * A pidfd for the process (thread, with PIDFD_MOD_THREAD) whose id (the id
 * field of PIDFD_MOD_IOC_INFO) is @id, visible in the pid namespace of
 * @nsfd (-1: the caller's).  Returns the new fd, or -1.
 */
static inline int pidfd_mod_open_id(__u64 id, int nsfd, unsigned int flags)
{
	struct pidfd_mod_open_id a = {
		.size = sizeof(a),
		.flags = flags,
		.nsfd = nsfd,
		.id = id,
	};

	return pidfd_mod_ioctl(PIDFD_MOD_IOC_OPEN_ID, &a);
}

/*
 * A pidfd of the module for what @pidfd names (a native pidfd, a
 * /proc/<tgid> directory, PIDFD_MOD_SELF_*, or a pidfd of the module).
 * Returns the new fd, or -1.
 */
static inline int pidfd_mod_import(int pidfd, unsigned int flags)
{
	struct pidfd_mod_import a = {
		.size = sizeof(a),
		.flags = flags,
		.pidfd = pidfd,
	};

	return pidfd_mod_ioctl(PIDFD_MOD_IOC_IMPORT, &a);
}

/* The module's id of the process (thread) of @pidfd, 0 on error. */
static inline __u64 pidfd_mod_id(int pidfd)
{
	struct pidfd_mod_info i;

	if (pidfd_mod_info(pidfd, -1, &i) < 0 || !(i.valid & PIDFD_MOD_INFO_ID))
		return 0;
	return i.id;
}

/*
 * PIDFD_GET_INFO on @pidfd itself (not through /dev/pidfd): the fields
 * @mask asks for, and those always returned, in *@info.
 */
static inline int pidfd_mod_get_info(int pidfd, __u64 mask,
				     struct pidfd_info *info)
{
	memset(info, 0, sizeof(*info));
	info->mask = mask;
	return ioctl(pidfd, PIDFD_GET_INFO, info);
}

#endif /* PIDFD_MOD_USER_H */
