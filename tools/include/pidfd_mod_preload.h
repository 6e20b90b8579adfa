/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The counters of libpidfd_mod.so, the LD_PRELOAD library that routes a
 * program's pidfd calls onto /dev/pidfd (docs/libpidfd_mod.7).  A program
 * (or a test) that wants to know whether the library is loaded and what it
 * did looks the function up at run time, so that it still runs without it:
 *
 *	int (*get)(struct pidfd_mod_preload_counts *, size_t);
 *	struct pidfd_mod_preload_counts c;
 *
 *	get = dlsym(RTLD_DEFAULT, PIDFD_MOD_PRELOAD_COUNTS_FN);
 *	if (get && !get(&c, sizeof(c)))
 *		printf("%llu through /dev/pidfd\n", c.open_module);
 *
 * Each pair counts the calls of one kind this process made (since it was
 * started or forked from its parent, whose counts it inherits): *_module
 * ones were answered by /dev/pidfd, *_native ones were passed on to the
 * kernel's own system call (no /dev/pidfd, or a descriptor that is not one
 * of the module's).  A call refused by the library itself (an unknown
 * flag) counts as neither.
 */
#ifndef PIDFD_MOD_PRELOAD_H
#define PIDFD_MOD_PRELOAD_H

#include <stddef.h>

#define PIDFD_MOD_PRELOAD_COUNTS_FN	"pidfd_mod_preload_counts"

struct pidfd_mod_preload_counts {
	unsigned long long open_module;
	unsigned long long open_native;
	unsigned long long send_signal_module;
	unsigned long long send_signal_native;
	unsigned long long waitid_module;
	unsigned long long waitid_native;
};

/*
 * Copies the counts into *@c, at most @size bytes of them.  Returns 0, or
 * -1 with errno EINVAL for a NULL @c.
 */
int pidfd_mod_preload_counts(struct pidfd_mod_preload_counts *c, size_t size);

#endif /* PIDFD_MOD_PRELOAD_H */
