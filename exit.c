// SPDX-License-Identifier: GPL-2.0
/*
 * Exit records and process ids.
 *
 * Every pidfd file of the module refers to a record of its struct pid,
 * shared by all the files of that struct pid.  The record keeps what
 * wait(2) reports of the task once it is gone: the status of the task that
 * last had the struct pid as its thread id (a thread fd's answer), the
 * status of the thread group it led (a process fd's answer), and the
 * cgroup of each at exit.  It also carries the id the module gives the
 * process: the pidfs inode number on kernels with pidfs, a counter of the
 * module's own elsewhere.
 *
 * The exits are seen by a probe on the sched_process_exit tracepoint,
 * which every exiting task passes after its exit code is set and after it
 * has left signal_struct::live, and before it is released.  The probe is
 * attached only while a record exists (and for a second after the last one
 * goes), so exits cost nothing while nobody holds a pidfd of the module;
 * while somebody does, each exit costs one or two hash lookups.
 *
 * Records live in an rhashtable keyed by the struct pid pointer; lookups
 * are RCU, records are freed after a grace period, and a record found with
 * no users left is on its way out of the table.  There is no global lock.
 */

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "pidfd_mod.h"

/* pidfd_mod_record::exited, under pidfd_mod_record::lock */
#define PIDFD_MOD_REC_THREAD	BIT(0)	/* thread_code and thread_cgroup set */
#define PIDFD_MOD_REC_GROUP	BIT(1)	/* the thread group it led is dead */

/* pidfd_mod_record::flags, atomic bit numbers */
enum {
	PIDFD_MOD_REC_PINNED,	/* holds a use for its id until reaped */
	PIDFD_MOD_REC_DYING,	/* on pidfd_mod_dying, holding a use */
};

/**
 * struct pidfd_mod_record - what the module keeps of a struct pid
 * @node: in pidfd_mod_records, keyed by @pid
 * @pid: the struct pid, referenced
 * @users: the pidfd files referring to it, plus one while PINNED, plus
 *         one while DYING
 * @flags: PIDFD_MOD_REC_PINNED, PIDFD_MOD_REC_DYING
 * @id: the process id of the module (see pidfd_mod_record_id())
 * @lock: protects the fields below
 * @nr_files: the pidfd files of the record, and those being made
 * @dentry: the dentry its files share, referenced, while it has files or
 *          is PINNED
 * @exited: PIDFD_MOD_REC_THREAD, PIDFD_MOD_REC_GROUP
 * @thread_code: exit code of the last task whose thread id @pid was
 * @group_exit: the group died by a group exit (exit_group(), a fatal signal)
 * @group_code: signal_struct::group_exit_code, for @group_exit
 * @thread_cgroup: the cgroup id of that task at exit
 * @group_cgroup: the cgroup id of the group's last task at exit
 * @dying: on pidfd_mod_dying
 * @rcu: for the free after lookups are done with it
 */
struct pidfd_mod_record {
	struct rhash_head node;
	struct pid *pid;
	refcount_t users;
	unsigned long flags;
	u64 id;
	spinlock_t lock;		/* the fields below */
	unsigned int nr_files;
	struct dentry *dentry;
	unsigned int exited;
	int thread_code;
	bool group_exit;
	int group_code;
	u64 thread_cgroup;
	u64 group_cgroup;
	struct llist_node dying;
	struct rcu_head rcu;
};

static const struct rhashtable_params pidfd_mod_record_params = {
	.key_len		= sizeof(struct pid *),
	.key_offset		= offsetof(struct pidfd_mod_record, pid),
	.head_offset		= offsetof(struct pidfd_mod_record, node),
	.automatic_shrinking	= true,
};

static struct rhashtable pidfd_mod_records;

/* Ids given out where the kernel has no pidfs inode numbers. */
static atomic64_t pidfd_mod_next_id = ATOMIC64_INIT(0);

/* The sched_process_exit probe */

static struct tracepoint *pidfd_mod_exit_record_tp;

/*
 * Records in existence.  It leaves 0 only under pidfd_mod_record_probe_lock,
 * which attaches the probe first, so while it is not 0 the probe is
 * attached; the detach, a second after it reaches 0, happens under the lock
 * too, and only if it still is 0.  Opening a pidfd whose record exists
 * takes no lock at all.
 */
static atomic_t pidfd_mod_nr_records = ATOMIC_INIT(0);
static DEFINE_MUTEX(pidfd_mod_record_probe_lock);
static bool pidfd_mod_record_probe_attached;	/* under the lock */
static void pidfd_mod_record_detach_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pidfd_mod_record_detach_work,
			    pidfd_mod_record_detach_fn);

/* Records whose task exited, PINNED ones waiting for the reap. */
static LLIST_HEAD(pidfd_mod_dying);
static void pidfd_mod_dying_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pidfd_mod_dying_work, pidfd_mod_dying_fn);

static u64 pidfd_mod_task_cgroup_id(struct task_struct *task)
{
#ifdef CONFIG_CGROUPS
	return cgroup_id(task_dfl_cgroup(task));
#else
	return 0;
#endif
}

/* @task, which had @rec's struct pid as its thread id, has exited. */
static void pidfd_mod_record_thread(struct pidfd_mod_record *rec,
				    struct task_struct *task)
{
	spin_lock(&rec->lock);
	rec->thread_code = READ_ONCE(task->exit_code);
	rec->thread_cgroup = pidfd_mod_task_cgroup_id(task);
	rec->exited |= PIDFD_MOD_REC_THREAD;
	spin_unlock(&rec->lock);
}

/* The thread group of @task, led by @rec's struct pid, is dead. */
static void pidfd_mod_record_group(struct pidfd_mod_record *rec,
				   struct task_struct *task)
{
	struct signal_struct *sig = task->signal;

	spin_lock(&rec->lock);
	rec->group_exit = READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT;
	rec->group_code = READ_ONCE(sig->group_exit_code);
	rec->group_cgroup = pidfd_mod_task_cgroup_id(task);
	rec->exited |= PIDFD_MOD_REC_GROUP;
	spin_unlock(&rec->lock);
}

/*
 * A record whose id outlives its files until the reap waits on
 * pidfd_mod_dying from its task's exit on.  @rec is under RCU.
 */
static void pidfd_mod_record_dying(struct pidfd_mod_record *rec)
{
	if (!test_bit(PIDFD_MOD_REC_PINNED, &rec->flags) ||
	    test_and_set_bit(PIDFD_MOD_REC_DYING, &rec->flags))
		return;
	if (!refcount_inc_not_zero(&rec->users)) {
		clear_bit(PIDFD_MOD_REC_DYING, &rec->flags);
		return;
	}
	llist_add(&rec->dying, &pidfd_mod_dying);
	schedule_delayed_work(&pidfd_mod_dying_work, HZ);
}

/*
 * Runs in do_exit() of @task (current): after exit_code is set and the
 * task has left signal->live, before exit_notify() makes it a zombie.
 */
static void pidfd_mod_exit_record_probe(void *data, struct task_struct *task)
{
	struct pidfd_mod_record *rec;
	struct pid *tgid;

	/* Pairs with the one in pidfd_mod_record_get(). */
	smp_mb();

	rcu_read_lock();
	rec = rhashtable_lookup(&pidfd_mod_records, &task->thread_pid,
				pidfd_mod_record_params);
	if (rec) {
		pidfd_mod_record_thread(rec, task);
		pidfd_mod_record_dying(rec);
	}
	if (!atomic_read(&task->signal->live)) {
		tgid = task_tgid(task);
		rec = rhashtable_lookup(&pidfd_mod_records, &tgid,
					pidfd_mod_record_params);
		if (rec)
			pidfd_mod_record_group(rec, task);
	}
	rcu_read_unlock();
}

static int pidfd_mod_record_probe_get(void)
{
	int ret = 0;

	if (atomic_inc_not_zero(&pidfd_mod_nr_records))
		return 0;

	mutex_lock(&pidfd_mod_record_probe_lock);
	if (!pidfd_mod_record_probe_attached) {
		ret = tracepoint_probe_register(pidfd_mod_exit_record_tp,
						pidfd_mod_exit_record_probe,
						NULL);
		if (ret) {
			pr_warn_ratelimited("cannot attach to sched_process_exit: %d\n",
					    ret);
			goto out;
		}
		pidfd_mod_record_probe_attached = true;
		/*
		 * A task that passed the tracepoint before the probe was
		 * there has left it now, its exit code set: the snapshot
		 * of pidfd_mod_record_get() reads it.
		 */
		synchronize_rcu();
	}
	atomic_inc(&pidfd_mod_nr_records);
out:
	mutex_unlock(&pidfd_mod_record_probe_lock);
	return ret;
}

static void pidfd_mod_record_probe_put(void)
{
	if (atomic_dec_and_test(&pidfd_mod_nr_records))
		mod_delayed_work(system_wq, &pidfd_mod_record_detach_work, HZ);
}

static void pidfd_mod_record_detach(void)
{
	lockdep_assert_held(&pidfd_mod_record_probe_lock);
	if (!pidfd_mod_record_probe_attached)
		return;
	tracepoint_probe_unregister(pidfd_mod_exit_record_tp,
				    pidfd_mod_exit_record_probe, NULL);
	pidfd_mod_record_probe_attached = false;
}

static void pidfd_mod_record_detach_fn(struct work_struct *work)
{
	mutex_lock(&pidfd_mod_record_probe_lock);
	if (!atomic_read(&pidfd_mod_nr_records))
		pidfd_mod_record_detach();
	mutex_unlock(&pidfd_mod_record_probe_lock);
}

/* Records */

static void pidfd_mod_record_free(struct pidfd_mod_record *rec)
{
	put_pid(rec->pid);
	kfree_rcu(rec, rcu);
	pidfd_mod_record_probe_put();
}

void pidfd_mod_record_put(struct pidfd_mod_record *rec)
{
	if (!refcount_dec_and_test(&rec->users))
		return;
	rhashtable_remove_fast(&pidfd_mod_records, &rec->node,
			       pidfd_mod_record_params);
	pidfd_mod_record_free(rec);
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_record_put);

/* Drop the pin of a record whose struct pid will never have a task again. */
static void pidfd_mod_record_unpin(struct pidfd_mod_record *rec)
{
	struct dentry *dentry = NULL;

	if (pid_has_task(rec->pid, PIDTYPE_PID) ||
	    !test_and_clear_bit(PIDFD_MOD_REC_PINNED, &rec->flags))
		return;
	/* The dentry it kept for the next file, if it has no file now. */
	spin_lock(&rec->lock);
	if (!rec->nr_files) {
		dentry = rec->dentry;
		rec->dentry = NULL;
	}
	spin_unlock(&rec->lock);
	dput(dentry);
	pidfd_mod_record_put(rec);
}

/*
 * The last file of a record may leave it pinned, for the id; unpin it now
 * if it has no task, since nothing else would.
 */
void pidfd_mod_record_release(struct pidfd_mod_record *rec)
{
	pidfd_mod_record_unpin(rec);
	pidfd_mod_record_put(rec);
}

static void pidfd_mod_dying_fn(struct work_struct *work)
{
	struct pidfd_mod_record *rec, *next;
	struct llist_node *list;
	bool again = false;

	list = llist_del_all(&pidfd_mod_dying);
	llist_for_each_entry_safe(rec, next, list, dying) {
		/* An exec may have handed the struct pid to another task. */
		if (pid_has_task(rec->pid, PIDTYPE_PID)) {
			llist_add(&rec->dying, &pidfd_mod_dying);
			again = true;
			continue;
		}
		pidfd_mod_record_unpin(rec);
		clear_bit(PIDFD_MOD_REC_DYING, &rec->flags);
		pidfd_mod_record_put(rec);
	}
	if (again)
		schedule_delayed_work(&pidfd_mod_dying_work, HZ);
}

/*
 * What the task of a new record did before the probe could see it: read
 * from the task itself, after the record is in the table (see the probe).
 */
static void pidfd_mod_record_snapshot(struct pidfd_mod_record *rec)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(rec->pid, PIDTYPE_PID);
	if (task && (READ_ONCE(task->flags) & PF_EXITING)) {
		pidfd_mod_record_thread(rec, task);
		if (thread_group_leader(task) &&
		    !atomic_read(&task->signal->live))
			pidfd_mod_record_group(rec, task);
		pidfd_mod_record_dying(rec);
	}
	rcu_read_unlock();
}

static struct pidfd_mod_record *pidfd_mod_record_alloc(struct pid *pid)
{
	struct pidfd_mod_record *rec;

	rec = kzalloc(sizeof(*rec), GFP_KERNEL_ACCOUNT);
	if (!rec)
		return NULL;
	rec->pid = get_pid(pid);
	refcount_set(&rec->users, 1);
	spin_lock_init(&rec->lock);
	/*
	 * Without pidfs inode numbers the id is the module's, and must stay
	 * the same for the process as long as it can be opened, files or
	 * not: the record keeps it, pinned, until the reap.
	 */
	if (!pidfd_mod_compat_pid_ino(pid, &rec->id)) {
		rec->id = atomic64_inc_return(&pidfd_mod_next_id);
		__set_bit(PIDFD_MOD_REC_PINNED, &rec->flags);
		refcount_inc(&rec->users);
	}
	return rec;
}

/*
 * The record of @pid, with a use taken for a new pidfd file: the existing
 * one, or a new one.
 */
struct pidfd_mod_record *pidfd_mod_record_get(struct pid *pid)
{
	struct pidfd_mod_record *rec, *old;
	int ret;

	rcu_read_lock();
	rec = rhashtable_lookup(&pidfd_mod_records, &pid,
				pidfd_mod_record_params);
	if (rec && refcount_inc_not_zero(&rec->users)) {
		rcu_read_unlock();
		return rec;
	}
	rcu_read_unlock();

	ret = pidfd_mod_record_probe_get();
	if (ret)
		return ERR_PTR(ret);
	rec = pidfd_mod_record_alloc(pid);
	if (!rec) {
		pidfd_mod_record_probe_put();
		return ERR_PTR(-ENOMEM);
	}

	for (;;) {
		rcu_read_lock();
		old = rhashtable_lookup_get_insert_fast(&pidfd_mod_records,
							&rec->node,
							pidfd_mod_record_params);
		if (!old)
			break;
		if (IS_ERR(old) || refcount_inc_not_zero(&old->users)) {
			rcu_read_unlock();
			/* Not in the table: no lookup can have found it. */
			put_pid(rec->pid);
			kfree(rec);
			pidfd_mod_record_probe_put();
			return old;
		}
		/* A record on its way out of the table: let it leave. */
		rcu_read_unlock();
		cond_resched();
	}
	rcu_read_unlock();

	/*
	 * Pairs with the probe's: either the probe of an exit from now on
	 * finds the record, or the snapshot sees the exit.
	 */
	smp_mb();
	pidfd_mod_record_snapshot(rec);
	return rec;
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_record_get);

/**
 * pidfd_mod_record_file_get() - count a new pidfd file of @rec
 * @rec: the record, with a use held
 *
 * Returns the dentry the files of @rec share, referenced, or NULL when it
 * has none yet: the new file's own dentry then becomes it, with
 * pidfd_mod_record_file_set().  pidfd_mod_record_file_put() ends the
 * count, when the file is released or could not be made.
 */
struct dentry *pidfd_mod_record_file_get(struct pidfd_mod_record *rec)
{
	struct dentry *dentry;

	spin_lock(&rec->lock);
	rec->nr_files++;
	dentry = dget(rec->dentry);
	spin_unlock(&rec->lock);
	return dentry;
}

/* @dentry, a new file's, is the one the next files of @rec share. */
void pidfd_mod_record_file_set(struct pidfd_mod_record *rec,
			       struct dentry *dentry)
{
	spin_lock(&rec->lock);
	/* Two files made at once: the one set first is kept. */
	if (!rec->dentry)
		rec->dentry = dget(dentry);
	spin_unlock(&rec->lock);
}

/*
 * A pidfd file of @rec is gone, or could not be made: returns the dentry
 * its files shared, with the record's reference, once it has no file left,
 * else NULL.  A pinned record, which stays until its process is reaped,
 * keeps the dentry for the next file until then (pidfd_mod_record_unpin()).
 */
struct dentry *pidfd_mod_record_file_put(struct pidfd_mod_record *rec)
{
	struct dentry *dentry = NULL;

	spin_lock(&rec->lock);
	if (!--rec->nr_files &&
	    !test_bit(PIDFD_MOD_REC_PINNED, &rec->flags)) {
		dentry = rec->dentry;
		rec->dentry = NULL;
	}
	spin_unlock(&rec->lock);
	return dentry;
}

struct pid *pidfd_mod_record_pid(const struct pidfd_mod_record *rec)
{
	return rec->pid;
}

u64 pidfd_mod_record_id(const struct pidfd_mod_record *rec)
{
	return rec->id;
}

/*
 * The state of @task as poll(2) on a pidfd of @type sees it: a process has
 * exited once its last thread has, a thread fd's thread once it has itself.
 */
static u32 pidfd_mod_task_state(struct task_struct *task, enum pid_type type)
{
	if (!pidfd_mod_task_exited(task))
		return PIDFD_MOD_STATE_ALIVE;
	if (type == PIDTYPE_TGID && delay_group_leader(task))
		return PIDFD_MOD_STATE_ALIVE;
	return PIDFD_MOD_STATE_ZOMBIE;
}

/* From the zombie @task itself, as wait_task_zombie() computes it. */
static bool pidfd_mod_task_status(struct task_struct *task,
				  enum pid_type type,
				  struct pidfd_mod_exit *out)
{
	struct signal_struct *sig = task->signal;

	if (!READ_ONCE(task->exit_state))
		return false;
	if (type == PIDTYPE_TGID && (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT))
		out->status = READ_ONCE(sig->group_exit_code);
	else
		out->status = READ_ONCE(task->exit_code);
	out->cgroupid = pidfd_mod_task_cgroup_id(task);
	return true;
}

/* From the record: the task is gone, or has exited as a thread. */
static bool pidfd_mod_record_status(struct pidfd_mod_record *rec,
				    enum pid_type type,
				    struct pidfd_mod_exit *out)
{
	bool known = false;

	spin_lock(&rec->lock);
	if (type == PIDTYPE_PID) {
		if (rec->exited & PIDFD_MOD_REC_THREAD) {
			out->status = rec->thread_code;
			out->cgroupid = rec->thread_cgroup;
			known = true;
		}
	} else if (rec->exited & PIDFD_MOD_REC_GROUP) {
		if (rec->group_exit) {
			out->status = rec->group_code;
			known = true;
		} else if (rec->exited & PIDFD_MOD_REC_THREAD) {
			out->status = rec->thread_code;
			known = true;
		}
		out->cgroupid = rec->group_cgroup;
	}
	spin_unlock(&rec->lock);
	return known;
}

/*
 * Whether the caller may read the exit status of @task, a zombie.  Before
 * the reap it is what /proc/PID/stat's exit_code shows only to a caller
 * with ptrace read access, a check the kernel does not export: so only
 * @task's parent, whose waitid(WNOWAIT) gets it anyway, and its own thread
 * group see it then.  After the reap any holder of a pidfd does, as with
 * upstream's PIDFD_INFO_EXIT.  Caller holds rcu_read_lock().
 */
static bool pidfd_mod_may_see_zombie(struct task_struct *task)
{
	return same_thread_group(task, current) ||
	       same_thread_group(rcu_dereference(task->real_parent), current);
}

/**
 * pidfd_mod_record_exit() - state and exit status of a pidfd's target
 * @rec: the pidfd's record
 * @type: PIDTYPE_PID for a thread fd, PIDTYPE_TGID for a process fd
 * @out: state; status and cgroupid when known is set
 *
 * The status is the one its parent's waitpid() gets (a thread fd: the
 * thread's own), known once the target is a zombie (to its parent and its
 * own thread group, see pidfd_mod_may_see_zombie()) and kept after the
 * reap.
 */
void pidfd_mod_record_exit(struct pidfd_mod_record *rec, enum pid_type type,
			   struct pidfd_mod_exit *out)
{
	struct task_struct *task;
	bool hidden = false;

	memset(out, 0, sizeof(*out));
	rcu_read_lock();
	task = pid_task(rec->pid, PIDTYPE_PID);
	if (task) {
		out->state = pidfd_mod_task_state(task, type);
		if (out->state == PIDFD_MOD_STATE_ZOMBIE) {
			hidden = !pidfd_mod_may_see_zombie(task);
			if (!hidden)
				out->known = pidfd_mod_task_status(task, type,
								   out);
		}
	}
	rcu_read_unlock();

	if (hidden)
		return;
	if (!task)
		out->state = PIDFD_MOD_STATE_REAPED;
	else if (out->state != PIDFD_MOD_STATE_ZOMBIE || out->known)
		return;
	out->known = pidfd_mod_record_status(rec, type, out);
}
EXPORT_SYMBOL_IF_KUNIT(pidfd_mod_record_exit);

/* Open by id */

/* Kernels with pidfs: the task whose struct pid has inode number @id. */
static struct pid *pidfd_mod_find_ino(u64 id)
{
	struct task_struct *g, *t;
	struct pid *pid = NULL;
	u64 ino;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		struct pid *p = READ_ONCE(t->thread_pid);

		/*
		 * Read under RCU and not yet NULL: the reference the number
		 * holds is put after a grace period (free_pid()), so this
		 * one may be taken, as get_task_pid() does.
		 */
		if (p && pidfd_mod_compat_pid_ino(p, &ino) && ino == id) {
			pid = get_pid(p);
			break;
		}
	}
	rcu_read_unlock();
	return pid;
}

/* Elsewhere: a record, kept while its task lives, has the id. */
static struct pid *pidfd_mod_find_record_id(u64 id)
{
	struct pidfd_mod_record *rec, *found = NULL;
	struct rhashtable_iter iter;
	struct pid *pid = NULL;

	rhashtable_walk_enter(&pidfd_mod_records, &iter);
	rhashtable_walk_start(&iter);
	while ((rec = rhashtable_walk_next(&iter))) {
		if (IS_ERR(rec)) {
			if (PTR_ERR(rec) == -EAGAIN)
				continue;
			break;
		}
		/* A record without users may have put its struct pid. */
		if (rec->id == id && refcount_inc_not_zero(&rec->users)) {
			found = rec;
			break;
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	if (found) {
		pid = get_pid(found->pid);
		pidfd_mod_record_put(found);
	}
	return pid;
}

/**
 * pidfd_mod_find_id() - the struct pid of a process id, referenced
 * @id: an id from pidfd_mod_record_id() or, with pidfs, a pidfd's st_ino
 *
 * Returns NULL when no task has it.  The scan is linear: in the tasks
 * with pidfs, in the module's records without.
 */
struct pid *pidfd_mod_find_id(u64 id)
{
	struct pid *pid;

	if (!id)
		return NULL;
	if (pidfd_mod_compat_pidfs_ids())
		pid = pidfd_mod_find_ino(id);
	else
		pid = pidfd_mod_find_record_id(id);
	if (pid && !pid_has_task(pid, PIDTYPE_PID)) {
		put_pid(pid);
		pid = NULL;
	}
	return pid;
}

/* /sys/kernel/debug/pidfd_mod/records */
int pidfd_mod_records_show(struct seq_file *m, void *v)
{
	mutex_lock(&pidfd_mod_record_probe_lock);
	seq_printf(m, "records: %d\n", atomic_read(&pidfd_mod_nr_records));
	seq_printf(m, "exit_probe_attached: %d\n",
		   pidfd_mod_record_probe_attached);
	mutex_unlock(&pidfd_mod_record_probe_lock);
	return 0;
}

static void __init pidfd_mod_find_exit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		pidfd_mod_exit_record_tp = tp;
}

int __init pidfd_mod_records_init(void)
{
	for_each_kernel_tracepoint(pidfd_mod_find_exit_tp, NULL);
	if (!pidfd_mod_exit_record_tp) {
		pr_err("no sched_process_exit tracepoint: exits could not be recorded\n");
		return -ENOENT;
	}
	return rhashtable_init(&pidfd_mod_records, &pidfd_mod_record_params);
}

static void pidfd_mod_record_destroy(void *ptr, void *arg)
{
	struct pidfd_mod_record *rec = ptr;

	dput(rec->dentry);
	put_pid(rec->pid);
	kfree(rec);
}

/*
 * Every file holds a reference to the module, so the records left are
 * pinned ones, and those waiting on pidfd_mod_dying.
 */
void pidfd_mod_records_exit(void)
{
	cancel_delayed_work_sync(&pidfd_mod_dying_work);
	cancel_delayed_work_sync(&pidfd_mod_record_detach_work);
	mutex_lock(&pidfd_mod_record_probe_lock);
	pidfd_mod_record_detach();
	mutex_unlock(&pidfd_mod_record_probe_lock);
	/* No probe may still run, nor look at a record, after this. */
	tracepoint_synchronize_unregister();
	rhashtable_free_and_destroy(&pidfd_mod_records,
				    pidfd_mod_record_destroy, NULL);
	/* The kfree_rcu() of the records already put. */
	rcu_barrier();
}
