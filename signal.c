// SPDX-License-Identifier: GPL-2.0
/*
 * Signals through a pidfd, as the kernel's pidfd_send_signal().
 */

#include <linux/bitops.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/uaccess.h>

#include "pidfd_mod.h"

/*
 * Whether the kernel reads only sizeof(struct kernel_siginfo) of a siginfo
 * with this signal and code (the kernel's known_siginfo_layout()).
 */
bool pidfd_mod_siginfo_layout_known(int sig, int code)
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

/* The kernel's prepare_kill_siginfo() for a thread-directed kill. */
void pidfd_mod_prepare_tkill_info(kernel_siginfo_t *kinfo, int sig)
{
	clear_siginfo(kinfo);
	kinfo->si_signo = sig;
	kinfo->si_errno = 0;
	kinfo->si_code = SI_TKILL;
	kinfo->si_pid = task_tgid_vnr(current);
	kinfo->si_uid = from_kuid_munged(current_user_ns(), current_uid());
}

/*
 * Thread-directed signals and caller-built siginfo need send_sig_info(),
 * which checks nothing.  The kernel's own check, check_kill_permission()
 * (audit, the credential rule, then the LSM hook for the real signal), is
 * not exported, and only kill_pid() and kill_pgrp() run it, for signals to
 * a whole thread group or process group with the kill(2) siginfo.  A probe
 * with signal 0 is no substitute: LSMs judge signal 0 as an existence test.
 * So by default such signals are refused; an administrator may opt in to
 * delivering them with the credential rule alone.
 */
static bool pidfd_mod_unchecked_signals;
module_param_named(unchecked_signals, pidfd_mod_unchecked_signals, bool, 0644);
MODULE_PARM_DESC(unchecked_signals,
		 "Deliver thread-directed signals and caller-built siginfo after kill(2)'s credential rule only, BYPASSING LSM signal checks (default: refuse them with EOPNOTSUPP)");

bool pidfd_mod_signals_unchecked(void)
{
	return READ_ONCE(pidfd_mod_unchecked_signals);
}

/*
 * kill(2)'s credential rule (the kernel's kill_ok_by_cred() and the
 * SIGCONT exception of check_kill_permission()): the caller's own thread
 * group, a real or effective uid matching the target's real or saved uid,
 * CAP_KILL over the target's user namespace, or SIGCONT within the caller's
 * session.  It only ever relaxes the credential rule, never an LSM's answer.
 * Caller holds rcu_read_lock().
 */
static bool pidfd_mod_kill_ok_by_cred(struct task_struct *t, int sig)
{
	const struct cred *cred = current_cred();
	const struct cred *tcred = __task_cred(t);
	struct pid *sid;

	if (same_thread_group(current, t) ||
	    uid_eq(cred->euid, tcred->suid) || uid_eq(cred->euid, tcred->uid) ||
	    uid_eq(cred->uid, tcred->suid) || uid_eq(cred->uid, tcred->uid) ||
	    ns_capable(tcred->user_ns, CAP_KILL))
		return true;
	if (sig != SIGCONT)
		return false;
	/* An unhashed task has no session; kill(2) lets that pass. */
	sid = task_session(t);
	return !sid || sid == task_session(current);
}

/*
 * Whether the caller may send @sig with @kinfo to @task through
 * send_sig_info().  As check_kill_permission(), a siginfo that claims to
 * come from the kernel (si_code > 0, which only a signal to oneself may
 * carry) is not checked at all.  Otherwise the credential rule decides
 * EPERM as kill(2) would, and what kill(2) would then ask the LSMs the
 * module cannot ask: it refuses, unless unchecked_signals is set.
 * Caller holds rcu_read_lock().
 */
static int pidfd_mod_may_send(struct task_struct *task, int sig,
			      const kernel_siginfo_t *kinfo)
{
	if (!SI_FROMUSER(kinfo))
		return 0;
	if (!pidfd_mod_kill_ok_by_cred(task, sig))
		return -EPERM;
	return pidfd_mod_signals_unchecked() ? 0 : -EOPNOTSUPP;
}

/*
 * send_sig_info() queues on one thread, and nothing exported queues a
 * caller-built siginfo on a thread group's shared queue.  For a group-wide
 * signal, pick a thread that takes @sig now, as the kernel's
 * complete_signal() would: @task itself if it can, else the first other
 * live thread that does not block it.  If every live thread blocks @sig,
 * the kernel leaves it pending on the shared queue for whichever thread
 * unblocks it first.  With one live thread, its private queue does the
 * same: @task (or that thread) is returned.  With more, no private queue
 * can: return NULL and the signal is refused.  A group whose threads are
 * all exiting drops the signal, as the kernel does: @task is returned.
 * The blocked masks are read without the siglock: a thread that blocks
 * @sig just after the look keeps it pending, as after a native delivery's
 * choice.
 * Caller holds rcu_read_lock().
 */
static bool pidfd_mod_takes_signal(struct task_struct *t, int sig)
{
	sigset_t blocked = READ_ONCE(t->blocked);

	return !(READ_ONCE(t->flags) & PF_EXITING) &&
	       !sigismember(&blocked, sig);
}

static struct task_struct *pidfd_mod_group_target(struct task_struct *task,
						  int sig)
{
	struct task_struct *t, *last = task;
	int live = 0;

	if (pidfd_mod_takes_signal(task, sig))
		return task;
	for_each_thread(task, t) {
		if (pidfd_mod_takes_signal(t, sig))
			return t;
		if (!(READ_ONCE(t->flags) & PF_EXITING)) {
			last = t;
			live++;
		}
	}
	return live > 1 ? NULL : last;
}

/*
 * Send @kinfo to @task as the caller: to that thread for @type PIDTYPE_PID,
 * else to its thread group.  The caller holds rcu_read_lock() and has
 * already found @task alive, so the errors come in the native order:
 * invalid signal, then permission.  Signal 0 delivers nothing, so it goes
 * through kill_pid(), whose check is the kernel's own: the one tgkill(2)
 * and kill(2) make for signal 0 against the same task.
 */
static int pidfd_mod_send_task(struct task_struct *task, enum pid_type type,
			       int sig, kernel_siginfo_t *kinfo)
{
	int ret;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return SI_FROMUSER(kinfo) ? kill_pid(task_pid(task), 0, 0) : 0;
	ret = pidfd_mod_may_send(task, sig, kinfo);
	if (ret)
		return ret;
	if (type != PIDTYPE_PID) {
		task = pidfd_mod_group_target(task, sig);
		if (!task)
			return -EOPNOTSUPP;
	}
	return send_sig_info(sig, kinfo, task);
}

/*
 * Send through send_sig_info() to @pid's task, or to every process in the
 * process group @pid leads (native __kill_pgrp_info() semantics: success if
 * any member got it, else the last error, ESRCH if the group is empty).
 */
int pidfd_mod_send_info(struct pid *pid, enum pid_type type, int sig,
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
enum pid_type pidfd_mod_signal_type(enum pid_type fd_type, u32 flags)
{
	switch (flags) {
	case PIDFD_MOD_SIGNAL_THREAD:
		return PIDTYPE_PID;
	case PIDFD_MOD_SIGNAL_THREAD_GROUP:
		return PIDTYPE_TGID;
	case PIDFD_MOD_SIGNAL_PROCESS_GROUP:
		return PIDTYPE_PGID;
	default:
		return fd_type;
	}
}

/*
 * As the kernel's pidfd_send_signal() after its fd and namespace checks.
 * Without siginfo, thread-group and process-group signals go through
 * kill_pid() and kill_pgrp(), which make kill(2)'s whole check themselves;
 * everything else goes through pidfd_mod_send_info().
 */
static int pidfd_mod_send_signal(const struct pidfd_mod_target *t, int sig,
				 const siginfo_t __user *uinfo, u32 flags)
{
	struct pid *pid = t->pid;
	enum pid_type type = pidfd_mod_signal_type(t->type, flags);
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
		/*
		 * Signal 0 delivers nothing, so needs no siginfo: kill_pid()
		 * finds the thread by its own struct pid and makes tgkill(2)'s
		 * check against it, as pidfd_mod_send_task() would.
		 */
		if (!sig)
			return kill_pid(pid, 0, 0);
		pidfd_mod_prepare_tkill_info(&kinfo, sig);
		return pidfd_mod_send_info(pid, type, sig, &kinfo);
	}
}

int pidfd_mod_send_signal_valid(const struct pidfd_mod_send_signal *cmd)
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

int pidfd_mod_cmd_send_signal(struct pidfd_mod_ucmd *ucmd)
{
	struct pidfd_mod_send_signal *cmd = ucmd->cmd;
	struct pidfd_mod_target t;
	int ret;

	/*
	 * Sending is writing: a read-only open of the device may look up,
	 * translate and poll, not signal.
	 */
	if (!(ucmd->filp->f_mode & FMODE_WRITE))
		return -EBADF;

	ret = pidfd_mod_send_signal_valid(cmd);
	if (ret)
		return ret;

	/* As native pidfd_send_signal(2), a /proc/<tgid> directory too. */
	ret = pidfd_mod_target_get(cmd->pidfd, PIDFD_MOD_TARGET_PROC_DIR, &t);
	if (ret)
		return ret;

	ret = -EINVAL;
	if (!pidfd_mod_pid_ns_visible(ns_of_pid(t.pid),
				      task_active_pid_ns(current)))
		goto out;

	ret = pidfd_mod_send_signal(&t, cmd->sig, u64_to_user_ptr(cmd->info),
				    cmd->flags);
out:
	pidfd_mod_target_put(&t);
	return ret;
}

/* For the KUnit suites (pidfd_mod_kunit.ko) only. */
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_siginfo_layout_known);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_prepare_tkill_info);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_send_info);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_signal_type);
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_send_signal_valid);
