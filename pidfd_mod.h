/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal declarations of pidfd_mod, shared by the module and its KUnit
 * suites.
 */
#ifndef PIDFD_MOD_H
#define PIDFD_MOD_H

#include <linux/bits.h>
#include <linux/fcntl.h>
#include <linux/types.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>

#include "linux/pidfd_mod.h"

#define PIDFD_MOD_OPEN_FLAGS		(PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD)
#define PIDFD_MOD_PROCFD_FLAGS		0
#define PIDFD_MOD_SIGNAL_FLAGS		(PIDFD_MOD_SIGNAL_THREAD |	\
					 PIDFD_MOD_SIGNAL_THREAD_GROUP |	\
					 PIDFD_MOD_SIGNAL_PROCESS_GROUP)
#define PIDFD_MOD_CMDS			GENMASK(PIDFD_MOD_CMD_NR - 1, 0)

/*
 * Longest /proc name the module builds: "<tgid>/task/<tid>" with two
 * ten-digit numbers and the terminating NUL.
 */
#define PIDFD_MOD_PROC_NAME_MAX		(10 + 6 + 10 + 1)

/* Argument sizes above this are refused with E2BIG, as clone3() does. */
#define PIDFD_MOD_ARG_SIZE_MAX		PAGE_SIZE

/**
 * struct pidfd_mod_ucmd - one ioctl call being executed
 * @ubuffer: the caller's argument structure
 * @user_size: its size as the caller declared it
 * @cmd: the kernel's copy, of the command's own structure type
 */
struct pidfd_mod_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

#endif /* PIDFD_MOD_H */
