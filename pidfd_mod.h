/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal declarations of pidfd_mod, shared by its source files and its
 * KUnit suites.  pidfd_mod.c holds the device, the ioctl table and the pidfd
 * file; each other concern has a file of its own:
 *
 *   ns.c      pid namespaces: visibility, nsfs files
 *   procfs.c  PIDFD_MOD_IOC_PROCFD: a pidfd's /proc directory
 *   signal.c  PIDFD_MOD_IOC_SEND_SIGNAL
 *   info.c    PIDFD_GET_INFO on a pidfd, PIDFD_MOD_IOC_INFO and
 *             PIDFD_MOD_IOC_TRANSLATE
 *   exit.c    exit records, process ids
 *   target.c  what a pidfd argument names: module and native pidfds,
 *             /proc directories, PIDFD_MOD_SELF_*
 *
 * The suites are a module of their own, pidfd_mod_kunit.ko; the functions
 * they test are exported to it with EXPORT_SYMBOL_IF_KUNIT(), that is only
 * on kernels with KUnit and only into the EXPORTED_FOR_KUNIT_TESTING
 * namespace.
 */
#ifndef PIDFD_MOD_H
#define PIDFD_MOD_H

#include <linux/bits.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/types.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/signal_types.h>

#include "linux/pidfd_mod.h"

#define PIDFD_MOD_OPEN_FLAGS		(PIDFD_MOD_NONBLOCK | PIDFD_MOD_THREAD)
#define PIDFD_MOD_PROCFD_FLAGS		0
#define PIDFD_MOD_SIGNAL_FLAGS		(PIDFD_MOD_SIGNAL_THREAD |	\
					 PIDFD_MOD_SIGNAL_THREAD_GROUP |	\
					 PIDFD_MOD_SIGNAL_PROCESS_GROUP)
#define PIDFD_MOD_TRANSLATE_FLAGS	PIDFD_MOD_TRANSLATE_TGID
#define PIDFD_MOD_IMPORT_FLAGS		PIDFD_MOD_NONBLOCK
#define PIDFD_MOD_ACCEPTS		(PIDFD_MOD_ACCEPT_MODULE |	\
					 PIDFD_MOD_ACCEPT_NATIVE |	\
					 PIDFD_MOD_ACCEPT_PROC_DIR |	\
					 PIDFD_MOD_ACCEPT_SELF)
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
 * @filp: the open /dev/pidfd the call came through
 * @ubuffer: the caller's argument structure
 * @user_size: its size as the caller declared it
 * @cmd: the kernel's copy, of the command's own structure type
 */
struct pidfd_mod_ucmd {
	struct file *filp;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

struct file;
struct pidfd_mod_record;
struct seq_file;
struct task_struct;

/* pidfd_mod.c: pidfd files, argument validation, the ioctl entry */
struct pid *pidfd_mod_file_pid(const struct file *file);
struct pidfd_mod_record *pidfd_mod_file_record(const struct file *file);
enum pid_type pidfd_mod_file_type(const struct file *file);
struct file *pidfd_mod_file_create(struct pid *pid, unsigned int flags);
int pidfd_mod_features_valid(const struct pidfd_mod_features *cmd);
int pidfd_mod_open_valid(const struct pidfd_mod_open *cmd);
int pidfd_mod_open_id_valid(const struct pidfd_mod_open_id *cmd);
int pidfd_mod_import_valid(const struct pidfd_mod_import *cmd);
long pidfd_mod_dev_ioctl(struct file *filp, unsigned int cmd,
			 unsigned long arg);

/* ns.c */
bool pidfd_mod_pid_ns_visible(const struct pid_namespace *ns,
			      const struct pid_namespace *active);
struct pid_namespace *pidfd_mod_file_pid_ns(const struct file *file);

/**
 * struct pidfd_mod_ns - what an nsfd argument names
 * @ns: the pid namespace, pinned by @fd's file or, for -1, by the caller
 * @fd: the nsfs file, from fdget(); empty for -1
 */
struct pidfd_mod_ns {
	struct pid_namespace *ns;
	struct fd fd;
};

int pidfd_mod_ns_get(int nsfd, struct pidfd_mod_ns *n);
void pidfd_mod_ns_put(struct pidfd_mod_ns *n);

/* procfs.c */
bool pidfd_mod_is_proc_root(const struct file *file);
int pidfd_mod_proc_name(struct pid *pid, enum pid_type type,
			struct pid_namespace *ns, char *buf, size_t len);
int pidfd_mod_proc_dir_check(struct pid *pid, const struct file *root,
			     const struct file *dir);
struct file *pidfd_mod_open_proc_dir(struct pid *pid, enum pid_type type,
				     struct file *root);
int pidfd_mod_procfd_valid(const struct pidfd_mod_procfd *cmd);
int pidfd_mod_cmd_procfd(struct pidfd_mod_ucmd *ucmd);

/* signal.c */
bool pidfd_mod_signals_unchecked(void);
bool pidfd_mod_siginfo_layout_known(int sig, int code);
void pidfd_mod_prepare_tkill_info(kernel_siginfo_t *kinfo, int sig);
int pidfd_mod_send_info(struct pid *pid, enum pid_type type, int sig,
			kernel_siginfo_t *kinfo);
enum pid_type pidfd_mod_signal_type(enum pid_type fd_type, u32 flags);
int pidfd_mod_send_signal_valid(const struct pidfd_mod_send_signal *cmd);
int pidfd_mod_cmd_send_signal(struct pidfd_mod_ucmd *ucmd);

/* info.c */
long pidfd_mod_file_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg);
int pidfd_mod_info_valid(const struct pidfd_mod_info *cmd);
int pidfd_mod_cmd_info(struct pidfd_mod_ucmd *ucmd);
int pidfd_mod_translate_valid(const struct pidfd_mod_translate *cmd);
int pidfd_mod_cmd_translate(struct pidfd_mod_ucmd *ucmd);

/* exit.c */

/**
 * struct pidfd_mod_exit - a pidfd target's state and exit status
 * @state: PIDFD_MOD_STATE_*
 * @known: @status and @cgroupid hold the exit's
 * @status: as wait(2) encodes it
 * @cgroupid: the cgroup id at exit
 */
struct pidfd_mod_exit {
	u32 state;
	bool known;
	int status;
	u64 cgroupid;
};

int pidfd_mod_records_init(void);
void pidfd_mod_records_exit(void);
int pidfd_mod_records_show(struct seq_file *m, void *v);
struct pidfd_mod_record *pidfd_mod_record_get(struct pid *pid);
void pidfd_mod_record_put(struct pidfd_mod_record *rec);
void pidfd_mod_record_release(struct pidfd_mod_record *rec);
struct dentry *pidfd_mod_record_file_get(struct pidfd_mod_record *rec);
void pidfd_mod_record_file_set(struct pidfd_mod_record *rec,
			       struct dentry *dentry);
struct dentry *pidfd_mod_record_file_put(struct pidfd_mod_record *rec);
struct pid *pidfd_mod_record_pid(const struct pidfd_mod_record *rec);
u64 pidfd_mod_record_id(const struct pidfd_mod_record *rec);
void pidfd_mod_record_exit(struct pidfd_mod_record *rec, enum pid_type type,
			   struct pidfd_mod_exit *out);
struct pid *pidfd_mod_find_id(u64 id);

/* target.c */

/* pidfd_mod_target_get(): accept /proc/<tgid> directories too. */
#define PIDFD_MOD_TARGET_PROC_DIR	BIT(0)

/**
 * struct pidfd_mod_target - what a pidfd argument names
 * @pid: the struct pid, pinned by the fd's file or, with @pid_ref, by a
 *       reference of its own
 * @pid_ref: @pid is referenced (PIDFD_MOD_SELF_*, a /proc directory)
 * @type: PIDTYPE_PID for a thread fd (and PIDFD_MOD_SELF_THREAD), else
 *        PIDTYPE_TGID
 * @kind: PIDFD_MOD_ACCEPT_* of what the argument was
 * @fd: the fd's file, from fdget(); empty for PIDFD_MOD_SELF_*
 * @rec: the record of a pidfd of this module (the file holds it), or NULL
 */
struct pidfd_mod_target {
	struct pid *pid;
	bool pid_ref;
	enum pid_type type;
	u64 kind;
	struct fd fd;
	struct pidfd_mod_record *rec;
};

int pidfd_mod_target_get(int fd, unsigned int accept,
			 struct pidfd_mod_target *t);
void pidfd_mod_target_put(struct pidfd_mod_target *t);

#endif /* PIDFD_MOD_H */
