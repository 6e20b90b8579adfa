/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The errno table of uapi/linux/pidfd_mod.h, read from the header itself at
 * run time: the header text is linked into the test binary (.incbin, so
 * the test follows the header whenever it changes), and its leading comment
 * is parsed into one allowed set per command.
 *
 * Rules: every errno name (E followed by capitals) in the comment before
 * the first " *  PIDFD_MOD_IOC_" line belongs to every command ("Errors
 * common to every command", EMFILE/ENFILE/ENOMEM included); after it, to
 * the command of the last such line.  A name the parser does not know is a
 * failure of errtab_load(), so a new errno in the table cannot be missed.
 */
#ifndef PIDFD_MOD_TEST_ERRTAB_H
#define PIDFD_MOD_TEST_ERRTAB_H

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "linux/pidfd_mod.h"

/* The header, as built; the path is relative to the top of the tree. */
#ifndef ERRTAB_UAPI_PATH
#define ERRTAB_UAPI_PATH "uapi/linux/pidfd_mod.h"
#endif
__asm__(".section .rodata\n"
	".global errtab_uapi_text\n"
	"errtab_uapi_text:\n"
	".incbin \"" ERRTAB_UAPI_PATH "\"\n"
	".byte 0\n"
	".previous\n");
extern const char errtab_uapi_text[];

#define ERRTAB_NCMD	PIDFD_MOD_CMD_NR
#define ERRTAB_MAXERR	134

/* allowed[cmd][errno] */
static unsigned char errtab_allowed[ERRTAB_NCMD][ERRTAB_MAXERR];

static const struct {
	const char *name;
	int err;
} errtab_names[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH },
	{ "EINTR", EINTR }, { "EIO", EIO }, { "ENXIO", ENXIO },
	{ "E2BIG", E2BIG }, { "EBADF", EBADF }, { "ECHILD", ECHILD },
	{ "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES },
	{ "EFAULT", EFAULT }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "EXDEV", EXDEV }, { "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR },
	{ "EISDIR", EISDIR }, { "EINVAL", EINVAL }, { "ENFILE", ENFILE },
	{ "EMFILE", EMFILE }, { "ENOTTY", ENOTTY }, { "ENOSPC", ENOSPC },
	{ "ERANGE", ERANGE }, { "ELOOP", ELOOP }, { "ENOSYS", ENOSYS },
	{ "ENAMETOOLONG", ENAMETOOLONG }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EOVERFLOW", EOVERFLOW }, { "ESTALE", ESTALE },
};

static const char *const errtab_cmd_names[ERRTAB_NCMD] = {
	[PIDFD_MOD_CMD_FEATURES] = "PIDFD_MOD_IOC_FEATURES",
	[PIDFD_MOD_CMD_OPEN] = "PIDFD_MOD_IOC_OPEN",
	[PIDFD_MOD_CMD_PROCFD] = "PIDFD_MOD_IOC_PROCFD",
	[PIDFD_MOD_CMD_SEND_SIGNAL] = "PIDFD_MOD_IOC_SEND_SIGNAL",
	[PIDFD_MOD_CMD_INFO] = "PIDFD_MOD_IOC_INFO",
	[PIDFD_MOD_CMD_TRANSLATE] = "PIDFD_MOD_IOC_TRANSLATE",
	[PIDFD_MOD_CMD_OPEN_ID] = "PIDFD_MOD_IOC_OPEN_ID",
	[PIDFD_MOD_CMD_IMPORT] = "PIDFD_MOD_IOC_IMPORT",
};

static inline int errtab_lookup(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(errtab_names) / sizeof(errtab_names[0]); i++)
		if (strlen(errtab_names[i].name) == n &&
		    !strncmp(errtab_names[i].name, w, n))
			return errtab_names[i].err;
	return -1;
}

/* Parse the table; 0 on success, -1 (with a diagnostic on stdout) if not. */
static inline int errtab_load(void)
{
	const char *p = errtab_uapi_text, *end;
	int cur = -1, c, line = 0, seen_cmd = 0;

	memset(errtab_allowed, 0, sizeof(errtab_allowed));
	/* The block comment after the SPDX line. */
	p = strstr(p, "\n/*\n");
	end = p ? strstr(p, "\n */") : NULL;
	if (!end) {
		printf("# errtab: no leading comment in the uapi header\n");
		return -1;
	}
	while (p < end) {
		const char *nl = strchr(p, '\n'), *q;

		if (!nl || nl > end)
			nl = end;
		line++;
		for (c = 0; c < ERRTAB_NCMD; c++) {
			size_t n = strlen(errtab_cmd_names[c]);

			if (!strncmp(p, " *  ", 4) && !strncmp(p + 4,
			    errtab_cmd_names[c], n) && (p[4 + n] == '\n' ||
			    isspace((unsigned char)p[4 + n]))) {
				cur = c;
				seen_cmd = 1;
			}
		}
		for (q = p; q < nl; q++) {
			size_t n = 0;
			int e, k;

			if (*q != 'E' || (q > p && (isalnum((unsigned char)q[-1]) ||
						   q[-1] == '_')))
				continue;
			while (q + n < nl && (isupper((unsigned char)q[n]) ||
					      isdigit((unsigned char)q[n])))
				n++;
			if (n < 3 || (q + n < nl && (isalnum((unsigned char)q[n]) ||
						     q[n] == '_')))
				continue;
			e = errtab_lookup(q, n);
			if (e < 0) {
				printf("# errtab: unknown errno name '%.*s' on line %d of the uapi header\n",
				       (int)n, q, line);
				return -1;
			}
			for (k = 0; k < ERRTAB_NCMD; k++)
				if (cur < 0 || k == cur)
					errtab_allowed[k][e] = 1;
			q += n - 1;
		}
		p = nl + 1;
	}
	if (!seen_cmd) {
		printf("# errtab: no per-command section in the uapi header\n");
		return -1;
	}
	return 0;
}

/* The allowed set of @cmd as "EBADF EINVAL ..." for diagnostics. */
static inline const char *errtab_describe(int cmd)
{
	static char buf[512];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(errtab_names) / sizeof(errtab_names[0]); i++)
		if (errtab_allowed[cmd][errtab_names[i].err])
			off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
					off ? " " : "", errtab_names[i].name);
	return buf;
}

static inline const char *errtab_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errtab_names) / sizeof(errtab_names[0]); i++)
		if (errtab_names[i].err == err)
			return errtab_names[i].name;
	return "E?";
}

/* Whether @err is documented for command number @cmd. */
static inline int errtab_ok(int cmd, int err)
{
	if (cmd < 0 || cmd >= ERRTAB_NCMD || err <= 0 || err >= ERRTAB_MAXERR)
		return 0;
	return errtab_allowed[cmd][err];
}

#endif /* PIDFD_MOD_TEST_ERRTAB_H */
