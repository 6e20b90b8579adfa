# SPDX-License-Identifier: GPL-2.0
#
# User front end.  The kbuild logic is in Kbuild; this file builds the module
# for one kernel (KDIR), the userspace tests and tools, and runs the QEMU
# test loop (make check), which brings its own kernels.

KDIR ?= /lib/modules/$(shell uname -r)/build
O ?= build
PIDFD_MOD_CACHE ?= /var/cache/pidfd_mod
export PIDFD_MOD_CACHE

CC ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	       -Iuapi -Itools/include
USER_LDFLAGS := -static -pthread
USER_HDRS := uapi/linux/pidfd_mod.h tools/include/pidfd_mod_user.h

TESTS := $(patsubst tests/%.c,$(O)/tests/%,$(wildcard tests/*.c))
TOOLS := $(patsubst tools/%.c,$(O)/tools/%,$(wildcard tools/*.c))

.PHONY: all module tests tools check run shell lint clean help

all: module

module:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "make: no kernel build directory at $(KDIR); install the headers for the running kernel, pass KDIR=/path/to/kernel/build, or run 'make check', which brings its own kernels." >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tests: $(TESTS)
tools: $(TOOLS)

$(O)/tests/%: tests/%.c $(wildcard tests/*.h) $(USER_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDFLAGS)

$(O)/tools/%: tools/%.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDFLAGS)

check:
	@scripts/check.sh

run:
	@scripts/run.sh

shell:
	@scripts/run.sh --shell

lint:
	@scripts/lint.sh

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf $(O)

help:
	@echo "make [KDIR=dir]   build pidfd_mod.ko for one kernel (default: the running one)"
	@echo "make check        provision, build for every test kernel, run all tests in QEMU"
	@echo "                  (PIDFD_MOD_KERNELS=\"6.1 6.12\" for the stock kernels only;"
	@echo "                  settings: see the top of scripts/check.sh)"
	@echo "make run          boot the stock 6.12 kernel in QEMU with the module loaded"
	@echo "make shell        the same guest, interactive"
	@echo "make lint         checkpatch --strict and sparse on the module sources"
	@echo "make tests tools  build the static userspace tests and tools into \$$(O)"
