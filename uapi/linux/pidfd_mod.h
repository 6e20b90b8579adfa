/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/pidfd: process file descriptors opened by pid in a given pid
 * namespace, translated race-free to /proc, signalled through, and asked
 * what they refer to; pid numbers translated between pid namespaces.
 *
 * Every command takes one extensible argument structure whose first member
 * is its size in bytes.  The kernel accepts any size from the command's
 * *_SIZE_VER0 upwards: bytes it does not know must be zero.  Commands that
 * create a file descriptor return it as the ioctl's value, always with
 * O_CLOEXEC set.
 *
 * Errors common to every command:
 *  ENOTTY   unknown command
 *  EFAULT   the argument pointer, or a pointer inside it, is not readable
 *           (or, for output, writable)
 *  EINVAL   size is smaller than the command's *_SIZE_VER0, an unknown flag
 *           is set, or a reserved field is non-zero
 *  E2BIG    size is larger than this module knows and the unknown tail is
 *           not all zero
 *  EMFILE, ENFILE, ENOMEM   no file descriptor or memory for the result
 *
 * Where a command takes a pidfd, it may be a pidfd of this module, a native
 * pidfd, PIDFD_MOD_SELF_THREAD or PIDFD_MOD_SELF_THREAD_GROUP; for
 * SEND_SIGNAL and IMPORT also a /proc/<tgid> directory (see
 * PIDFD_MOD_ACCEPT_*).  "Not a pidfd" below means none of these.
 *
 * Per command (in the order they are checked, after the common ones):
 *
 *  PIDFD_MOD_IOC_FEATURES
 *   (none)
 *
 *  PIDFD_MOD_IOC_OPEN
 *   EINVAL  pid <= 0
 *   EBADF   nsfd is neither -1 nor an open file descriptor (an O_PATH
 *           descriptor counts as not open, as for setns(2))
 *   EINVAL  nsfd is not a pid namespace file (/proc/PID/ns/pid)
 *   EINVAL  the namespace is neither the caller's active pid namespace nor
 *           one of its descendants
 *   ESRCH   no process or thread has that number in that namespace
 *   EINVAL  the number names a thread that is not a thread-group leader and
 *           PIDFD_MOD_THREAD is not given, or names no task at all (a
 *           number still used only as a process-group or session id)
 *
 *  PIDFD_MOD_IOC_PROCFD
 *   EBADF   pidfd is not a pidfd
 *   EBADF   procrootfd is not an open file descriptor (O_PATH ones are
 *           accepted, as by openat(2))
 *   EINVAL  procrootfd is not the root directory of a procfs instance
 *   ESRCH   the process (thread, for a thread fd) has been reaped
 *   ENOENT  the process is not visible in that procfs instance's pid
 *           namespace
 *   EXDEV   the directory found is on a mount stacked on the procfs
 *   any error the caller's own openat(procrootfd, "PID", O_DIRECTORY)
 *   would get, such as ENOENT or EACCES under hidepid
 *
 *  PIDFD_MOD_IOC_SEND_SIGNAL
 *   EBADF   the /dev/pidfd file descriptor the call came through was not
 *           opened for writing (checked before everything else)
 *   EINVAL  more than one PIDFD_MOD_SIGNAL_* scope flag
 *   EBADF   pidfd is not a pidfd, nor a /proc/<tgid> directory (a
 *           /proc/PID/task/TID one is not)
 *   ESRCH   pidfd is a /proc/<tgid> directory whose process is gone
 *   EINVAL  the target's pid namespace is neither the caller's active one
 *           nor a descendant of it
 *   EFAULT  info is not readable
 *   E2BIG   info has an si_code of unknown layout and non-zero bytes past
 *           the part the kernel keeps (as native pidfd_send_signal(2))
 *   EINVAL  info->si_signo != sig
 *   EPERM   info is given, the target is not the caller itself (or the scope
 *           is a process group), and info->si_code >= 0 or SI_TKILL
 *   ESRCH   the process (thread) has been reaped, or the process group is
 *           empty
 *   EINVAL  sig is not a valid signal number
 *   EPERM   the caller may not signal the target (kill(2) rules: the
 *           credential rule, or an LSM that refuses the signal)
 *   EACCES  an LSM refuses the signal (AppArmor answers so), as kill(2)
 *   EOPNOTSUPP  sig is not 0 and the signal is thread-directed (a thread fd
 *           with no scope flag, or PIDFD_MOD_SIGNAL_THREAD) or carries a
 *           caller-built info, the credential rule of kill(2) allows it, and
 *           the module was not loaded with unchecked_signals=1: only the
 *           kernel's own check can ask the LSMs about such a signal, and no
 *           module can call it, so the module refuses rather than guess.
 *           A siginfo with si_code > 0 sent to oneself is delivered (kill(2)
 *           checks nothing for it either).  Also returned when a signal with
 *           info is sent to a whole thread group of several live threads
 *           that all block the signal: the kernel would queue it on the
 *           group's shared queue, which no module can reach.
 *   EAGAIN  a real-time signal, or a siginfo with an si_code other than
 *           SI_USER, found the target's signal queue full (RLIMIT_SIGPENDING)
 *           or no memory to queue it, as for tgkill(2) and rt_sigqueueinfo(2)
 *
 *  PIDFD_MOD_IOC_INFO
 *   EBADF   pidfd is not a pidfd
 *   EBADF   nsfd is neither -1 nor an open file descriptor (an O_PATH
 *           descriptor counts as not open)
 *   EINVAL  nsfd is not a pid namespace file, or names a namespace that is
 *           neither the caller's active pid namespace nor a descendant of it
 *   ESRCH   the process (thread, for a thread fd) has been reaped and the
 *           module has no exit record of it (a thread fd of a thread that
 *           called execve() from a non-leader thread: see pidfd_mod(4));
 *           with a record, a reaped target is answered with state
 *           PIDFD_MOD_STATE_REAPED, even if its number has been given to
 *           another
 *
 *  PIDFD_MOD_IOC_TRANSLATE
 *   EINVAL  pid <= 0
 *   EBADF   from_nsfd or to_nsfd is neither -1 nor an open file descriptor
 *           (an O_PATH descriptor counts as not open)
 *   EINVAL  from_nsfd or to_nsfd is not a pid namespace file, or names a
 *           namespace that is neither the caller's active pid namespace nor
 *           a descendant of it
 *   ESRCH   no process, process group or session has that number in the
 *           source namespace (with PIDFD_MOD_TRANSLATE_TGID: no thread has)
 *   ENOENT  the number's process is not visible in the target namespace
 *
 *  PIDFD_MOD_IOC_OPEN_ID
 *   EINVAL  flags has a bit other than PIDFD_MOD_NONBLOCK and
 *           PIDFD_MOD_THREAD, __pad or __reserved is not 0, or id is 0
 *   EBADF   nsfd is neither -1 nor an open file descriptor (an O_PATH
 *           descriptor counts as not open)
 *   EINVAL  nsfd is not a pid namespace file, or names a namespace that is
 *           neither the caller's active pid namespace nor a descendant of it
 *   ESRCH   no process (thread, with PIDFD_MOD_THREAD) that has not been
 *           reaped has that id, or it is not visible in nsfd's namespace
 *   EINVAL  the id is a thread's that does not lead its thread group, and
 *           PIDFD_MOD_THREAD is not given
 *   EMFILE, ENFILE, ENOMEM  as PIDFD_MOD_IOC_OPEN
 *
 *  PIDFD_MOD_IOC_IMPORT
 *   EINVAL  flags has a bit other than PIDFD_MOD_NONBLOCK, or __pad or
 *           __reserved is not 0
 *   EBADF   pidfd is not a pidfd, nor a /proc/<tgid> directory
 *   ESRCH   its process (thread) has been reaped, or the /proc directory's
 *           process is gone
 *   EINVAL  it stands for a thread group, and names a thread that does not
 *           lead one (a /proc/<tid> directory of another thread)
 */
#ifndef _UAPI_LINUX_PIDFD_MOD_H
#define _UAPI_LINUX_PIDFD_MOD_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PIDFD_MOD_DEVICE	"/dev/pidfd"
#define PIDFD_MOD_ABI_VERSION	1

/*
 * Not used by any in-tree driver (Documentation/userspace-api/ioctl).
 * Commands are _IO(): as iommufd's, each argument carries its own size as
 * its first member, so a structure can grow without a new command number,
 * and a command that creates a file descriptor returns it as the ioctl's
 * value.  _IOW/_IOWR would freeze one size into the number (and a
 * direction-encoded alias of a command is ENOTTY).
 */
#define PIDFD_MOD_IOC_TYPE	0xDF

enum {
	PIDFD_MOD_CMD_FEATURES = 0x00,
	PIDFD_MOD_CMD_OPEN = 0x01,
	PIDFD_MOD_CMD_PROCFD = 0x02,
	PIDFD_MOD_CMD_SEND_SIGNAL = 0x03,
	PIDFD_MOD_CMD_INFO = 0x04,
	PIDFD_MOD_CMD_TRANSLATE = 0x05,
	PIDFD_MOD_CMD_OPEN_ID = 0x06,
	PIDFD_MOD_CMD_IMPORT = 0x07,
	PIDFD_MOD_CMD_NR,
};

/*
 * Flags of PIDFD_MOD_IOC_OPEN: the same values as native pidfd_open(2).
 * O_NONBLOCK and O_EXCL come from <fcntl.h> (or <linux/fcntl.h> in the
 * kernel); this header does not include either, as they clash in userspace.
 */
#define PIDFD_MOD_NONBLOCK	O_NONBLOCK
#define PIDFD_MOD_THREAD	O_EXCL

/* Scope flags of PIDFD_MOD_IOC_SEND_SIGNAL, as native pidfd_send_signal(2). */
#define PIDFD_MOD_SIGNAL_THREAD		(1U << 0)
#define PIDFD_MOD_SIGNAL_THREAD_GROUP	(1U << 1)
#define PIDFD_MOD_SIGNAL_PROCESS_GROUP	(1U << 2)

/**
 * struct pidfd_mod_features - what this build of the module supports
 * @size: sizeof(struct pidfd_mod_features); on return, the number of bytes
 *        the module filled in (the smaller of the caller's and its own)
 * @flags: must be 0
 * @abi_version: out: PIDFD_MOD_ABI_VERSION of the module (this and the other
 *               out fields are ignored on input)
 * @cmds: out: bit N set when command number N (PIDFD_MOD_CMD_*) is supported
 * @open_flags: out: flags PIDFD_MOD_IOC_OPEN accepts
 * @procfd_flags: out: flags PIDFD_MOD_IOC_PROCFD accepts
 * @send_signal_flags: out: flags PIDFD_MOD_IOC_SEND_SIGNAL accepts
 * @__reserved: must be 0; out: zero
 * @settings: out: PIDFD_MOD_SETTING_* bits, how the module is configured
 *            now (since PIDFD_MOD_FEATURES_SIZE_VER1)
 * @accepts: out: PIDFD_MOD_ACCEPT_* bits, what the commands accept where
 *           they take a pidfd (since PIDFD_MOD_FEATURES_SIZE_VER2)
 */
struct pidfd_mod_features {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 cmds;
	__u64 open_flags;
	__u64 procfd_flags;
	__u64 send_signal_flags;
	__u64 __reserved;
	__u64 settings;
	__u64 accepts;
};

#define PIDFD_MOD_FEATURES_SIZE_VER0	48
#define PIDFD_MOD_FEATURES_SIZE_VER1	56
#define PIDFD_MOD_FEATURES_SIZE_VER2	64

/*
 * Bits of pidfd_mod_features.accepts: what a pidfd argument may be.
 * MODULE: a pidfd of this module.  NATIVE: a native pidfd (pidfd_open(2),
 * CLONE_PIDFD, SO_PEERPIDFD).  PROC_DIR: a /proc/<tgid> directory, for
 * PIDFD_MOD_IOC_SEND_SIGNAL and PIDFD_MOD_IOC_IMPORT only, as native
 * pidfd_send_signal(2).  SELF: PIDFD_MOD_SELF_THREAD and
 * PIDFD_MOD_SELF_THREAD_GROUP.
 */
#define PIDFD_MOD_ACCEPT_MODULE		(1ULL << 0)
#define PIDFD_MOD_ACCEPT_NATIVE		(1ULL << 1)
#define PIDFD_MOD_ACCEPT_PROC_DIR	(1ULL << 2)
#define PIDFD_MOD_ACCEPT_SELF		(1ULL << 3)

/*
 * In place of a pidfd: the calling thread, or its thread group, with no
 * fd.  The values are upstream's PIDFD_SELF_THREAD and
 * PIDFD_SELF_THREAD_GROUP (<linux/fcntl.h>, Linux 6.17).
 */
#define PIDFD_MOD_SELF_THREAD		-10000
#define PIDFD_MOD_SELF_THREAD_GROUP	-10001

/*
 * Bits of pidfd_mod_features.settings.
 * UNCHECKED_SIGNALS: the module parameter unchecked_signals is set: signals
 * that only send_sig_info() can deliver (thread-directed ones, caller-built
 * siginfo) are delivered after kill(2)'s credential rule alone, with NO LSM
 * check; see EOPNOTSUPP above.
 */
#define PIDFD_MOD_SETTING_UNCHECKED_SIGNALS	(1ULL << 0)
#define PIDFD_MOD_IOC_FEATURES	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_FEATURES)

/**
 * struct pidfd_mod_open - open a pidfd by number in a pid namespace
 * @size: sizeof(struct pidfd_mod_open)
 * @flags: PIDFD_MOD_NONBLOCK, PIDFD_MOD_THREAD
 * @pid: process (or, with PIDFD_MOD_THREAD, thread) id, as seen in @nsfd
 * @nsfd: a pid namespace file such as /proc/PID/ns/pid, or -1 for the
 *        caller's active pid namespace
 * @__reserved: must be 0
 *
 * Returns the new pidfd.
 */
struct pidfd_mod_open {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__s32 nsfd;
	__u64 __reserved;
};

#define PIDFD_MOD_OPEN_SIZE_VER0	24
#define PIDFD_MOD_IOC_OPEN	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_OPEN)

/**
 * struct pidfd_mod_procfd - open the /proc directory of a pidfd's process
 * @size: sizeof(struct pidfd_mod_procfd)
 * @flags: must be 0
 * @pidfd: a pidfd from PIDFD_MOD_IOC_OPEN
 * @procrootfd: the root directory of a procfs instance
 * @__reserved: must be 0
 *
 * Returns an O_RDONLY | O_DIRECTORY | O_CLOEXEC file descriptor of
 * PID (or PID/task/TID for a thread fd) below @procrootfd, numbered in
 * that procfs instance's pid namespace.
 */
struct pidfd_mod_procfd {
	__u32 size;
	__u32 flags;
	__s32 pidfd;
	__s32 procrootfd;
	__u64 __reserved;
};

#define PIDFD_MOD_PROCFD_SIZE_VER0	24
#define PIDFD_MOD_IOC_PROCFD	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_PROCFD)

/**
 * struct pidfd_mod_send_signal - send a signal through a pidfd
 * @size: sizeof(struct pidfd_mod_send_signal)
 * @flags: at most one of PIDFD_MOD_SIGNAL_*; 0 means the pidfd's own scope
 *         (the thread for a thread fd, else the thread group)
 * @pidfd: a pidfd from PIDFD_MOD_IOC_OPEN
 * @sig: signal number; 0 only checks that the target exists and may be
 *       signalled
 * @info: a siginfo_t pointer, or 0 for the kill(2) defaults
 * @__reserved: must be 0
 */
struct pidfd_mod_send_signal {
	__u32 size;
	__u32 flags;
	__s32 pidfd;
	__s32 sig;
	__aligned_u64 info;
	__u64 __reserved;
};

#define PIDFD_MOD_SEND_SIGNAL_SIZE_VER0	32
#define PIDFD_MOD_IOC_SEND_SIGNAL \
	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_SEND_SIGNAL)

/*
 * The numbers a pid can have: one per pid namespace level, and a pid
 * namespace is at most MAX_PID_NS_LEVEL (32) levels below the initial one.
 */
#define PIDFD_MOD_NSPID_MAX	33

/* Bits of pidfd_mod_info.valid: the output fields the module filled in. */
#define PIDFD_MOD_INFO_STATE	(1ULL << 0)	/* state */
#define PIDFD_MOD_INFO_PIDS	(1ULL << 1)	/* pid, tgid, ppid, pgid, sid */
#define PIDFD_MOD_INFO_NSPID	(1ULL << 2)	/* nspid, nspid_count */
#define PIDFD_MOD_INFO_EXIT	(1ULL << 3)	/* exit_code */
#define PIDFD_MOD_INFO_ID	(1ULL << 4)	/* id */

/* Values of pidfd_mod_info.state. */
#define PIDFD_MOD_STATE_ALIVE	1	/* running, or stopped, or traced */
#define PIDFD_MOD_STATE_ZOMBIE	2	/* exited, not reaped yet */
#define PIDFD_MOD_STATE_REAPED	3	/* reaped */

/**
 * struct pidfd_mod_info - what a pidfd refers to, seen from a pid namespace
 * @size: sizeof(struct pidfd_mod_info); on return, the number of bytes the
 *        module filled in (the smaller of the caller's and its own)
 * @flags: must be 0
 * @pidfd: a pidfd from PIDFD_MOD_IOC_OPEN
 * @nsfd: the pid namespace to number the process in: a file such as
 *        /proc/PID/ns/pid, or -1 for the caller's active one
 * @__reserved: must be 0
 * @valid: out: PIDFD_MOD_INFO_* bits, which of the fields below hold a value
 *         (this and the other out fields are ignored on input)
 * @id: out: the process id of the module: the same for every pidfd of the
 *      process (of the thread, for a thread fd), never given to another
 *      during the boot; on kernels with pidfs the st_ino of its native
 *      pidfds (see PIDFD_MOD_IOC_OPEN_ID)
 * @state: out: PIDFD_MOD_STATE_*; a process (not a thread fd) counts as
 *         exited once its last thread has, as poll(2) on the pidfd does;
 *         with PIDFD_MOD_STATE_REAPED only valid, id and exit_code are set
 * @pid: out: the pidfd's number in @nsfd (the thread id for a thread fd);
 *       this and the four below are 0 when not visible there
 * @tgid: out: its thread group id
 * @ppid: out: the thread group id of its parent
 * @pgid: out: its process group id
 * @sid: out: its session id
 * @exit_code: out: with PIDFD_MOD_INFO_EXIT: the status its parent's
 *             waitpid() gets (WIFEXITED(), WIFSIGNALED(), WCOREDUMP() decode
 *             it); a thread fd's is its thread's own.  After the reap for
 *             any caller; from the zombie state on for its parent and its
 *             own thread group only (natively it needs ptrace access then)
 * @nspid_count: out: the number of entries in @nspid; 0 when @pid is 0
 * @nspid: out: @pid, then the pidfd's number in each pid namespace below
 *         @nsfd down to its own, as the NSpid line of fdinfo
 * @__spare: out: zero
 */
struct pidfd_mod_info {
	__u32 size;
	__u32 flags;
	__s32 pidfd;
	__s32 nsfd;
	__u64 __reserved;
	__u64 valid;
	__u64 id;
	__u32 state;
	__s32 pid;
	__s32 tgid;
	__s32 ppid;
	__s32 pgid;
	__s32 sid;
	__s32 exit_code;
	__u32 nspid_count;
	__s32 nspid[PIDFD_MOD_NSPID_MAX];
	__u32 __spare;
};

#define PIDFD_MOD_INFO_SIZE_VER0	208
#define PIDFD_MOD_IOC_INFO	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_INFO)

/* Flags of PIDFD_MOD_IOC_TRANSLATE. */
#define PIDFD_MOD_TRANSLATE_TGID	(1U << 0)

/**
 * struct pidfd_mod_translate - translate a number between pid namespaces
 * @size: sizeof(struct pidfd_mod_translate); on return, the number of bytes
 *        the module filled in
 * @flags: 0: @pid is any pid number (a thread's, or a process group's or
 *         session's); PIDFD_MOD_TRANSLATE_TGID: @pid is a thread id, and the
 *         result is the id of its thread group
 * @pid: the number, as seen in @from_nsfd
 * @from_nsfd: the pid namespace @pid is seen in (/proc/PID/ns/pid), or -1
 *             for the caller's active one
 * @to_nsfd: the pid namespace to translate to, or -1 for the caller's
 * @result: out: the number in @to_nsfd (ignored on input)
 * @__reserved: must be 0
 */
struct pidfd_mod_translate {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__s32 from_nsfd;
	__s32 to_nsfd;
	__s32 result;
	__u64 __reserved;
};

#define PIDFD_MOD_TRANSLATE_SIZE_VER0	32
#define PIDFD_MOD_IOC_TRANSLATE	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_TRANSLATE)

/**
 * struct pidfd_mod_open_id - open a pidfd by the module's process id
 * @size: sizeof(struct pidfd_mod_open_id)
 * @flags: PIDFD_MOD_NONBLOCK, PIDFD_MOD_THREAD
 * @nsfd: the process must be visible in this pid namespace (a file such as
 *        /proc/PID/ns/pid), or in the caller's active one for -1
 * @__pad: must be 0
 * @id: a process (with PIDFD_MOD_THREAD, thread) id from the id field of
 *      PIDFD_MOD_IOC_INFO or, on kernels with pidfs, a native pidfd's st_ino
 * @__reserved: must be 0
 *
 * Returns the new pidfd.  An id is never given to another process, so a
 * process that is gone gives ESRCH, whoever has its number now.
 */
struct pidfd_mod_open_id {
	__u32 size;
	__u32 flags;
	__s32 nsfd;
	__u32 __pad;
	__u64 id;
	__u64 __reserved;
};

#define PIDFD_MOD_OPEN_ID_SIZE_VER0	32
#define PIDFD_MOD_IOC_OPEN_ID	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_OPEN_ID)

/**
 * struct pidfd_mod_import - a pidfd of the module for what a pidfd names
 * @size: sizeof(struct pidfd_mod_import)
 * @flags: PIDFD_MOD_NONBLOCK
 * @pidfd: a native pidfd, a /proc/<tgid> directory, a pidfd of the module
 *         or PIDFD_MOD_SELF_THREAD / PIDFD_MOD_SELF_THREAD_GROUP
 * @__pad: must be 0
 * @__reserved: must be 0
 *
 * Returns a new pidfd of the module for the same struct pid, without a
 * lookup by number: a thread fd for a thread pidfd (a native PIDFD_THREAD
 * one, PIDFD_MOD_SELF_THREAD), a process fd otherwise.
 */
struct pidfd_mod_import {
	__u32 size;
	__u32 flags;
	__s32 pidfd;
	__u32 __pad;
	__u64 __reserved;
};

#define PIDFD_MOD_IMPORT_SIZE_VER0	24
#define PIDFD_MOD_IOC_IMPORT	_IO(PIDFD_MOD_IOC_TYPE, PIDFD_MOD_CMD_IMPORT)

/*
 * PIDFD_GET_INFO, an ioctl on a pidfd of this module rather than on
 * /dev/pidfd: upstream's (Linux 6.13), answered with the layout of Linux
 * 7.1, so that a program written for native pidfds reads ours alike.
 *
 *	struct pidfd_info info = { .mask = PIDFD_INFO_CGROUPID };
 *	ioctl(pidfd, PIDFD_GET_INFO, &info);
 *
 * The size is the one in the command number (_IOC_SIZE): a program built
 * with the 6.13 definition sends 64 bytes, one built with these 88.  The
 * module fills what fits and zeroes a larger caller's tail; in mask it
 * reports only the fields that fit.  Mask bits it does not know are
 * ignored.  PID and CREDS are always returned for a target that has not
 * been reaped, CGROUPID on kernels with cgroups, SUPPORTED_MASK when asked
 * for.  EXIT, when asked for, once the target has been reaped, as upstream:
 * exit_code and the cgroupid at exit, without PID and CREDS.  COREDUMP,
 * when asked for with it: coredump_mask is PIDFD_COREDUMPED if the exit
 * dumped core and 0 otherwise (the module cannot see the dump itself, so
 * never SKIP, USER or ROOT).  The module's own PIDFD_MOD_IOC_INFO reports
 * the exit status to the target's parent from the zombie state on.
 * Numbers are in the caller's pid namespace (the thread id for a thread
 * fd), ids in the caller's user namespace.
 *
 * Errors:
 *  EINVAL   the argument pointer is NULL, or the size is below
 *           PIDFD_INFO_SIZE_VER0
 *  EFAULT   the argument is not readable, or not writable
 *  EREMOTE  the target's pid namespace is neither the caller's active one
 *           nor a descendant of it
 *  ESRCH    the target has been reaped and PIDFD_INFO_EXIT was not asked
 *           for (or the module has no exit record of it, see
 *           PIDFD_MOD_IOC_INFO)
 *  ENOTTY   any other ioctl on the pidfd
 *
 * For userspace built against kernel headers older than 6.13; include
 * <linux/pidfd.h> (if at all) before this header.
 */
#ifndef PIDFD_GET_INFO
#ifndef PIDFS_IOCTL_MAGIC
#define PIDFS_IOCTL_MAGIC	0xFF
#endif

struct pidfd_info {
	__u64 mask;
	__u64 cgroupid;
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 ruid;
	__u32 rgid;
	__u32 euid;
	__u32 egid;
	__u32 suid;
	__u32 sgid;
	__u32 fsuid;
	__u32 fsgid;
	__s32 exit_code;
	__u32 coredump_mask;
	__u32 coredump_signal;
	__u32 coredump_code;
	__u32 coredump_pad;
	__u64 supported_mask;
};

#define PIDFD_GET_INFO		_IOWR(PIDFS_IOCTL_MAGIC, 11, struct pidfd_info)
#endif /* PIDFD_GET_INFO */

#ifndef PIDFD_INFO_SIZE_VER0
#define PIDFD_INFO_SIZE_VER0	64
#endif
#ifndef PIDFD_INFO_SIZE_VER1
#define PIDFD_INFO_SIZE_VER1	72
#endif
#ifndef PIDFD_INFO_SIZE_VER2
#define PIDFD_INFO_SIZE_VER2	80
#endif
#ifndef PIDFD_INFO_SIZE_VER3
#define PIDFD_INFO_SIZE_VER3	88
#endif
#ifndef PIDFD_INFO_PID
#define PIDFD_INFO_PID		(1UL << 0)
#endif
#ifndef PIDFD_INFO_CREDS
#define PIDFD_INFO_CREDS	(1UL << 1)
#endif
#ifndef PIDFD_INFO_CGROUPID
#define PIDFD_INFO_CGROUPID	(1UL << 2)
#endif
#ifndef PIDFD_INFO_EXIT
#define PIDFD_INFO_EXIT		(1UL << 3)
#endif
#ifndef PIDFD_INFO_COREDUMP
#define PIDFD_INFO_COREDUMP	(1UL << 4)
#endif
#ifndef PIDFD_INFO_SUPPORTED_MASK
#define PIDFD_INFO_SUPPORTED_MASK	(1UL << 5)
#endif
#ifndef PIDFD_INFO_COREDUMP_SIGNAL
#define PIDFD_INFO_COREDUMP_SIGNAL	(1UL << 6)
#endif
#ifndef PIDFD_COREDUMPED
#define PIDFD_COREDUMPED	(1U << 0)
#endif
#ifndef PIDFD_INFO_COREDUMP_CODE
#define PIDFD_INFO_COREDUMP_CODE	(1UL << 7)
#endif

#endif /* _UAPI_LINUX_PIDFD_MOD_H */
