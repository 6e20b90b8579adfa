/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP test harness: every TEST() runs in its own forked child with a
 * time limit, so a crash, a hang or a leaked fd in one case cannot touch the
 * next.  Output is TAP 13 on stdout; diagnostics are "# " lines.
 *
 *	TEST(open_zero_pid)
 *	{
 *		EXPECT_ERRNO(EINVAL, pidfd_mod_open(0, -1, 0));
 *	}
 *
 * ASSERT_* ends the case at the first failure, EXPECT_* records it and goes
 * on.  SKIP("why") ends the case as skipped, which is reported as a skip and
 * never counted as a pass; after a failed EXPECT it ends the case as
 * failed, so a skip can never hide a failure.
 */
#ifndef PIDFD_MOD_HARNESS_H
#define PIDFD_MOD_HARNESS_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TH_MAX_TESTS	512
#define TH_EXIT_SKIP	77
#define TH_TIMEOUT	30	/* seconds per case, unless TEST_TIMEOUT() says */

struct th_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;
};

static struct th_test th_tests[TH_MAX_TESTS];
static int th_ntests;
static int th_failed;	/* in the child: a failed EXPECT */

static inline void th_register_timeout(const char *name, void (*fn)(void),
				       unsigned int timeout)
{
	if (th_ntests == TH_MAX_TESTS) {
		fprintf(stderr, "harness: more than %d tests\n", TH_MAX_TESTS);
		exit(2);
	}
	th_tests[th_ntests].name = name;
	th_tests[th_ntests].fn = fn;
	th_tests[th_ntests].timeout = timeout;
	th_ntests++;
}

static inline void th_register(const char *name, void (*fn)(void))
{
	th_register_timeout(name, fn, TH_TIMEOUT);
}

#define TEST(name)	TEST_TIMEOUT(name, TH_TIMEOUT)

/* A case with a time limit of its own, in seconds. */
#define TEST_TIMEOUT(name, seconds)					\
	static void th_test_##name(void);				\
	__attribute__((constructor)) static void th_reg_##name(void)	\
	{								\
		th_register_timeout(#name, th_test_##name, seconds);	\
	}								\
	static void th_test_##name(void)

static inline void th_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

#define TH_FAIL(fatal, ...)						\
	do {								\
		th_diag("%s:%d: ", __FILE__, __LINE__);			\
		th_diag(__VA_ARGS__);					\
		th_failed = 1;						\
		if (fatal)						\
			_exit(1);					\
	} while (0)

#define TH_CMP(fatal, a, op, b)						\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (!(__a op __b))					\
			TH_FAIL(fatal, "%s %s %s: %lld vs %lld (errno %d %s)", \
				#a, #op, #b, __a, __b, errno,		\
				strerror(errno));			\
	} while (0)

#define ASSERT_EQ(a, b)	TH_CMP(1, a, ==, b)
#define ASSERT_NE(a, b)	TH_CMP(1, a, !=, b)
#define ASSERT_GE(a, b)	TH_CMP(1, a, >=, b)
#define ASSERT_GT(a, b)	TH_CMP(1, a, >, b)
#define ASSERT_TRUE(c)	TH_CMP(1, !!(c), ==, 1)
#define EXPECT_EQ(a, b)	TH_CMP(0, a, ==, b)
#define EXPECT_NE(a, b)	TH_CMP(0, a, !=, b)
#define EXPECT_GE(a, b)	TH_CMP(0, a, >=, b)
#define EXPECT_TRUE(c)	TH_CMP(0, !!(c), ==, 1)

#define TH_ERRNO(fatal, err, expr)					\
	do {								\
		long __r;						\
		errno = 0;						\
		__r = (long)(expr);					\
		if (__r != -1 || errno != (err))			\
			TH_FAIL(fatal, "%s: want -1/%s, got %ld/%s", #expr, \
				strerror(err), __r,			\
				__r == -1 ? strerror(errno) : "no error"); \
	} while (0)

/* expr must fail with -1 and errno @err. */
#define ASSERT_ERRNO(err, expr)	TH_ERRNO(1, err, expr)
#define EXPECT_ERRNO(err, expr)	TH_ERRNO(0, err, expr)

#define SKIP(...)							\
	do {								\
		printf("# SKIP ");					\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		if (th_failed)						\
			printf("# skipped after a failed expectation: counted as a failure\n"); \
		fflush(stdout);						\
		_exit(th_failed ? 1 : TH_EXIT_SKIP);			\
	} while (0)

static pid_t th_child;

static void th_alarm(int sig)
{
	(void)sig;
	if (th_child > 0)
		kill(th_child, SIGKILL);
}

/* Run one case in a child; returns 0 pass, 1 fail, 2 skip. */
static inline int th_run_one(const struct th_test *t)
{
	int status;

	fflush(stdout);
	th_child = fork();
	if (th_child < 0) {
		th_diag("fork: %s", strerror(errno));
		return 1;
	}
	if (th_child == 0) {
		setpgid(0, 0);
		th_failed = 0;
		t->fn();
		fflush(stdout);
		_exit(th_failed ? 1 : 0);
	}
	signal(SIGALRM, th_alarm);
	alarm(t->timeout);
	while (waitpid(th_child, &status, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	/* Whatever the case left behind in its process group goes too. */
	kill(-th_child, SIGKILL);
	th_child = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == TH_EXIT_SKIP)
		return 2;
	if (WIFSIGNALED(status))
		th_diag("%s: killed by signal %d%s", t->name, WTERMSIG(status),
			WTERMSIG(status) == SIGKILL ? " (time limit?)" : "");
	return 1;
}

int main(int argc, char **argv)
{
	int i, pass = 0, fail = 0, skip = 0;
	const char *only = argc > 1 ? argv[1] : NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	if (only) {
		for (i = 0; i < th_ntests; i++)
			if (!strcmp(th_tests[i].name, only))
				break;
		if (i == th_ntests) {
			fprintf(stderr, "%s: no test named '%s'\n", argv[0], only);
			return 2;
		}
	}
	printf("1..%d\n", only ? 1 : th_ntests);
	for (i = 0; i < th_ntests; i++) {
		int r, n = pass + fail + skip + 1;

		if (only && strcmp(th_tests[i].name, only))
			continue;
		r = th_run_one(&th_tests[i]);
		if (r == 0) {
			printf("ok %d %s\n", n, th_tests[i].name);
			pass++;
		} else if (r == 2) {
			printf("ok %d %s # SKIP\n", n, th_tests[i].name);
			skip++;
		} else {
			printf("not ok %d %s\n", n, th_tests[i].name);
			fail++;
		}
	}
	printf("# %d passed, %d failed, %d skipped\n", pass, fail, skip);
	return fail ? 1 : 0;
}

#endif /* PIDFD_MOD_HARNESS_H */
