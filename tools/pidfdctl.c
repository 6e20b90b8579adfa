// SPDX-License-Identifier: GPL-2.0
/*
 * pidfdctl: command-line access to /dev/pidfd.
 *
 *	pidfdctl features	what the loaded module supports
 *
 * Each subcommand is one entry in pidfdctl_cmds[]: a name, a usage line
 * and a function taking the arguments after the subcommand name.  Exit
 * status: 0 success, 1 the operation failed, 2 bad usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidfd_mod_user.h"

#define PIDFDCTL_EXIT_FAIL	1
#define PIDFDCTL_EXIT_USAGE	2

struct pidfdctl_cmd {
	const char *name;
	const char *args;	/* usage of the arguments, "" for none */
	const char *help;
	int (*fn)(int argc, char **argv);	/* argv[0] is the subcommand */
};

static const char *pidfdctl_prog = "pidfdctl";

__attribute__((format(printf, 1, 2)))
static int pidfdctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", pidfdctl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", pidfdctl_prog);
	return PIDFDCTL_EXIT_USAGE;
}

struct pidfdctl_bit {
	uint64_t mask;
	const char *name;
};

static const struct pidfdctl_bit pidfdctl_cmd_bits[] = {
	{ 1ULL << PIDFD_MOD_CMD_FEATURES, "FEATURES" },
	{ 1ULL << PIDFD_MOD_CMD_OPEN, "OPEN" },
	{ 1ULL << PIDFD_MOD_CMD_PROCFD, "PROCFD" },
	{ 1ULL << PIDFD_MOD_CMD_SEND_SIGNAL, "SEND_SIGNAL" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_open_bits[] = {
	{ PIDFD_MOD_NONBLOCK, "NONBLOCK" },
	{ PIDFD_MOD_THREAD, "THREAD" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_signal_bits[] = {
	{ PIDFD_MOD_SIGNAL_THREAD, "SIGNAL_THREAD" },
	{ PIDFD_MOD_SIGNAL_THREAD_GROUP, "SIGNAL_THREAD_GROUP" },
	{ PIDFD_MOD_SIGNAL_PROCESS_GROUP, "SIGNAL_PROCESS_GROUP" },
	{ 0, NULL }
};

static const struct pidfdctl_bit pidfdctl_no_bits[] = {
	{ 0, NULL }
};

/* "label: 0xMASK NAME NAME ..."; bits without a name print as hex. */
static void pidfdctl_print_mask(const char *label, uint64_t mask,
				const struct pidfdctl_bit *bits)
{
	uint64_t rest = mask;

	printf("%s: 0x%" PRIx64, label, mask);
	for (; bits->name; bits++) {
		if (mask & bits->mask) {
			printf(" %s", bits->name);
			rest &= ~bits->mask;
		}
	}
	if (rest && rest != mask)
		printf(" 0x%" PRIx64, rest);
	printf("\n");
}

static int pidfdctl_features(int argc, char **argv)
{
	struct pidfd_mod_features f;

	if (argc > 1)
		return pidfdctl_usage_error("features: unexpected argument '%s'",
					    argv[1]);
	if (pidfd_mod_features(&f) < 0) {
		fprintf(stderr, "%s: features: %s: %s\n", pidfdctl_prog,
			PIDFD_MOD_DEVICE, strerror(errno));
		return PIDFDCTL_EXIT_FAIL;
	}

	printf("device: %s\n", PIDFD_MOD_DEVICE);
	printf("size: %" PRIu32 "\n", f.size);
	printf("abi_version: %" PRIu32 "\n", f.abi_version);
	pidfdctl_print_mask("commands", f.cmds, pidfdctl_cmd_bits);
	pidfdctl_print_mask("open_flags", f.open_flags, pidfdctl_open_bits);
	pidfdctl_print_mask("procfd_flags", f.procfd_flags, pidfdctl_no_bits);
	pidfdctl_print_mask("send_signal_flags", f.send_signal_flags,
			    pidfdctl_signal_bits);
	return 0;
}

static const struct pidfdctl_cmd pidfdctl_cmds[] = {
	{ "features", "", "print the ABI version, commands and flags the module supports",
	  pidfdctl_features },
};

#define PIDFDCTL_NCMDS	(sizeof(pidfdctl_cmds) / sizeof(pidfdctl_cmds[0]))

static void pidfdctl_help(FILE *out)
{
	size_t i;

	fprintf(out, "usage: %s COMMAND [ARGS]\n\ncommands:\n", pidfdctl_prog);
	for (i = 0; i < PIDFDCTL_NCMDS; i++)
		fprintf(out, "  %s%s%s\n      %s\n", pidfdctl_cmds[i].name,
			*pidfdctl_cmds[i].args ? " " : "",
			pidfdctl_cmds[i].args, pidfdctl_cmds[i].help);
	fprintf(out, "\noptions:\n  -h, --help\n      show this help\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return pidfdctl_usage_error("missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		pidfdctl_help(stdout);
		return 0;
	}
	if (argv[1][0] == '-')
		return pidfdctl_usage_error("unknown option '%s'", argv[1]);
	for (i = 0; i < PIDFDCTL_NCMDS; i++)
		if (!strcmp(argv[1], pidfdctl_cmds[i].name))
			return pidfdctl_cmds[i].fn(argc - 1, argv + 1);
	return pidfdctl_usage_error("unknown command '%s'", argv[1]);
}
