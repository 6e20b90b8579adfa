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
# The LD_PRELOAD library (docs/libpidfd_mod.7): shared, so never static.
PRELOAD_LIB := $(O)/tools/libpidfd_mod.so
PRELOAD_HDRS := $(USER_HDRS) tools/include/pidfd_mod_preload.h
BENCH := $(O)/tools/bench/pidfd_bench

# The one place the version lives; dkms.conf reads the same file.
VERSION := $(shell cat $(CURDIR)/VERSION)
PREFIX ?= /usr/local
DESTDIR ?=
MANDIR ?= $(PREFIX)/share/man
# make dkms-install: where DKMS finds the sources, extra dkms(8) options
# (such as --dkmstree DIR), and the kernel (default: the running one).
DKMS_SOURCE_TREE ?= /usr/src
DKMS_FLAGS ?=
KVER ?=
DKMS_DIR = $(DESTDIR)$(DKMS_SOURCE_TREE)/pidfd_mod-$(VERSION)
DKMS_FILES := Kbuild VERSION dkms.conf $(wildcard *.c) pidfd_mod.h \
	      $(wildcard compat/*.h uapi/linux/*.h kunit/*.c kunit/*.h)

.PHONY: all module tests tools check run shell lint clean help
.PHONY: install uninstall dkms-source dkms-install dkms-uninstall
.PHONY: stress fuzz bench profile

all: module

module:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "make: no kernel build directory at $(KDIR); install the headers for the running kernel, pass KDIR=/path/to/kernel/build, or run 'make check', which brings its own kernels." >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tests: $(TESTS)
tools: $(TOOLS) $(PRELOAD_LIB) $(BENCH)

$(O)/tests/%: tests/%.c $(wildcard tests/*.h) $(PRELOAD_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDFLAGS)

# tests/preload.c runs itself under the library, which a static program
# cannot load.
$(O)/tests/preload: USER_LDFLAGS := -pthread -ldl

$(PRELOAD_LIB): tools/libpidfd_mod/libpidfd_mod.c $(PRELOAD_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -fPIC -fvisibility=hidden -shared \
		-Wl,-soname,libpidfd_mod.so -o $@ $< -ldl -pthread

$(O)/tools/%: tools/%.c $(USER_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDFLAGS)

# pidfdctl, the LD_PRELOAD library, the headers (the wrappers include
# "linux/pidfd_mod.h") and the manual pages.
install: $(O)/tools/pidfdctl $(PRELOAD_LIB)
	install -D -m 0755 $(O)/tools/pidfdctl $(DESTDIR)$(PREFIX)/bin/pidfdctl
	install -D -m 0755 $(PRELOAD_LIB) $(DESTDIR)$(PREFIX)/lib/libpidfd_mod.so
	install -D -m 0644 uapi/linux/pidfd_mod.h $(DESTDIR)$(PREFIX)/include/linux/pidfd_mod.h
	install -D -m 0644 tools/include/pidfd_mod_user.h $(DESTDIR)$(PREFIX)/include/pidfd_mod_user.h
	install -D -m 0644 tools/include/pidfd_mod_preload.h $(DESTDIR)$(PREFIX)/include/pidfd_mod_preload.h
	install -D -m 0644 docs/pidfdctl.1 $(DESTDIR)$(MANDIR)/man1/pidfdctl.1
	install -D -m 0644 docs/pidfd_mod.4 $(DESTDIR)$(MANDIR)/man4/pidfd_mod.4
	install -D -m 0644 docs/libpidfd_mod.7 $(DESTDIR)$(MANDIR)/man7/libpidfd_mod.7

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pidfdctl \
	      $(DESTDIR)$(PREFIX)/lib/libpidfd_mod.so \
	      $(DESTDIR)$(PREFIX)/include/linux/pidfd_mod.h \
	      $(DESTDIR)$(PREFIX)/include/pidfd_mod_user.h \
	      $(DESTDIR)$(PREFIX)/include/pidfd_mod_preload.h \
	      $(DESTDIR)$(MANDIR)/man1/pidfdctl.1 $(DESTDIR)$(MANDIR)/man4/pidfd_mod.4 \
	      $(DESTDIR)$(MANDIR)/man7/libpidfd_mod.7

# The module sources DKMS builds from: $(DKMS_SOURCE_TREE)/pidfd_mod-VERSION.
dkms-source:
	rm -rf $(DKMS_DIR)
	@set -e; for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DKMS_DIR)/$$f; \
	done
	@echo "DKMS sources in $(DKMS_DIR)"

# Register, build and install the module with DKMS, which rebuilds it for
# every kernel installed later (AUTOINSTALL).  A previous registration of
# this version is removed first, so the target can be rerun.
dkms-install: dkms-source
	@if dkms status $(DKMS_FLAGS) -m pidfd_mod -v $(VERSION) | grep -q .; then \
		dkms remove $(DKMS_FLAGS) -m pidfd_mod -v $(VERSION) --all; \
	fi
	dkms add $(DKMS_FLAGS) -m pidfd_mod -v $(VERSION)
	dkms build $(DKMS_FLAGS) -m pidfd_mod -v $(VERSION) $(if $(KVER),-k $(KVER))
	dkms install $(DKMS_FLAGS) -m pidfd_mod -v $(VERSION) $(if $(KVER),-k $(KVER))

dkms-uninstall:
	-dkms remove $(DKMS_FLAGS) -m pidfd_mod -v $(VERSION) --all
	rm -rf $(DKMS_DIR)

check:
	@scripts/check.sh

# The module against the native calls in QEMU: docs/performance.md.
bench:
	@scripts/bench.sh

# ftrace function_graph trees of single module and native calls in QEMU.
profile:
	@scripts/profile.sh

# Long reliability runs in QEMU (docs/reliability.md): KERNEL=name (default
# debug when built, else 6.12); stress: CYCLES, SECONDS; fuzz: SEED, SECONDS.
stress:
	@scripts/longrun.sh stress "$(CYCLES)" "$(SECONDS)"

fuzz:
	@scripts/longrun.sh fuzz "$(SEED)" "$(SECONDS)"

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
	@echo "make [KDIR=dir]   build pidfd_mod.ko for one kernel (default: the running one),"
	@echo "                  and pidfd_mod_kunit.ko (the KUnit suites) if it has KUnit"
	@echo "make check        provision, build for every test kernel, run all tests in QEMU"
	@echo "                  (PIDFD_MOD_KERNELS=\"6.1 6.12\" for the stock kernels only;"
	@echo "                  settings: see the top of scripts/check.sh)"
	@echo "make bench        the module against the native calls on each stock kernel in"
	@echo "                  QEMU: tables, docs/performance.md and its plot"
	@echo "                  (PIDFD_MOD_KERNELS, PIDFD_BENCH_REPS; see scripts/bench.sh)"
	@echo "make profile      ftrace function_graph of one module call against one native"
	@echo "                  call, per pair, on the stock 6.12 kernel in QEMU"
	@echo "                  (PIDFD_MOD_KERNELS, PIDFD_PROFILE_REPS; see scripts/profile.sh)"
	@echo "make run          boot the stock 6.12 kernel in QEMU with the module loaded"
	@echo "make shell        the same guest, interactive"
	@echo "make lint         checkpatch --strict and sparse on the module sources"
	@echo "make stress       long pid-reuse and thread-storm run in QEMU (CYCLES=10000,"
	@echo "                  SECONDS=120, KERNEL=debug if built else 6.12)"
	@echo "make fuzz         long ioctl fuzz run in QEMU (SEED=clock, SECONDS=600, KERNEL)"
	@echo "make tests tools  build the userspace tests and tools (and libpidfd_mod.so) into \$$(O)"
	@echo "make install      pidfdctl, libpidfd_mod.so, headers and manual pages (PREFIX=$(PREFIX), DESTDIR)"
	@echo "make dkms-install register, build and install the module with DKMS"
	@echo "                  (sources in $(DKMS_SOURCE_TREE)/pidfd_mod-$(VERSION); KVER=release)"
	@echo "make dkms-uninstall, make uninstall: undo them"
