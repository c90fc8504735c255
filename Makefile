# raidcluster — top-level build.
#
# On a fresh machine the only two commands anyone needs are
#   make demo     boot a virtual cluster and walk through the product
#   make check    every test: build, unit, simulator, KUnit (UML), VM suite
# Both install their own dependencies first (make deps).
#
# User space (lib/, tools/, tests/) is one non-recursive make: each
# directory's *.mk adds its targets and objects under $(B).  The kernel
# module is built by Kbuild (see ./Kbuild) against KDIR.

.DEFAULT_GOAL := all
SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build

# Kernel to build the module for: the running kernel's headers when they
# exist, else the newest installed Debian headers (this host kernel has
# none; the test guest boots that same Debian kernel).
#
# Both are recursively expanded and never exported: `make demo` and `make
# check` install the headers (deps) before their sub-make, which must look
# for them afresh rather than inherit the empty value seen at parse time.
# KDIR or KVER given on the command line still reach every sub-make.
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
# The release the tree was built as (utsrelease.h, what `uname -r` says on
# that kernel), not a name taken from the path: KDIR=/lib/modules/VER/build
# ends in "build", and Debian's kernel.release is not the module directory.
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

CC ?= cc
CXX ?= c++
CPPFLAGS += -I$(TOP)/include -I$(TOP)/lib -MMD -MP
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Wno-unused-parameter
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++17 -Wall -Wextra
LDFLAGS ?=

# Filled by the fragments below (UNIT_*: the GoogleTest binary, see
# tests/tests.mk, to which every area adds its own tests).
USER_BINS :=
TEST_BINS :=
DEPFILES :=
UNIT_SRCS :=
UNIT_LIBS :=

include lib/lib.mk
include tools/tools.mk
include tests/tests.mk

.PHONY: all deps build module user check demo bench bench-failover fault-kernel check-faults \
	sim kunit vmtest unit \
	install uninstall clean format

all: module user

deps:
	@bash tools/install-deps.sh

# What check, demo and bench do first: the packages, then everything built.
# The build runs in a new make because this one read the Makefile before
# deps installed the kernel headers; only a make started afterwards finds
# them.  tests/build/first_run.sh (the build suite of make check) runs this
# path on a machine whose headers appear only during deps.
build: deps
	@$(MAKE) --no-print-directory all

module:
	@test -d "$(KDIR)" || { echo "no kernel headers (KDIR=$(KDIR)): run make deps"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

user: $(USER_BINS) $(TEST_BINS)

check: build
	@bash tests/run-check.sh

demo: build
	@python3 tests/vm/demo.py

bench: build
	@python3 tests/bench/bench.py

bench-failover: build
	@python3 tests/bench/failover.py

# A guest kernel that can make allocations fail (Debian's cannot), kept in
# /var/cache/raidcluster/fault-kernel: then `make check` also runs the
# fault-injection suite.  ~20 minutes on 2 cores, once.
fault-kernel: build
	@bash tests/vm/fault-kernel.sh

check-faults: fault-kernel
	@bash tests/vm/run-faults.sh

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) KERNELRELEASE=$(KVER) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	install -D -m 0755 $(B)/raidclusterctl $(DESTDIR)/usr/sbin/raidclusterctl
	install -D -m 0755 $(B)/fence_raidcluster $(DESTDIR)/usr/sbin/fence_raidcluster
	install -D -m 0644 tools/udev/60-raidcluster.rules \
		$(DESTDIR)/lib/udev/rules.d/60-raidcluster.rules
	-depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)

uninstall:
	rm -f $(DESTDIR)/usr/sbin/raidclusterctl $(DESTDIR)/usr/sbin/fence_raidcluster \
		$(DESTDIR)/lib/udev/rules.d/60-raidcluster.rules \
		$(DESTDIR)/lib/modules/$(KVER)/updates/raidcluster.ko
	-depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)

# The DKMS source tree (/usr/src/raidcluster-VERSION): dkms.conf, Kbuild and
# the module's sources only; DKMS runs Kbuild on it directly, with none of
# the user-space makefiles (dkms.conf).
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/raidcluster-$(DKMS_VERSION)
.PHONY: dkms-source
dkms-source:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	cp dkms.conf Kbuild $(DKMS_SRC)/
	cp --parents kernel/*.c kernel/*.h lib/*.c lib/*.h lib/proto/*.c lib/proto/*.h \
		include/raidcluster/*.h $(DKMS_SRC)/

format:
	clang-format -i $(wildcard tools/*/*.cpp tools/*/*.hpp lib/cxx/*.cpp lib/cxx/*.hpp \
		tests/unit/*.cpp tests/sim/*.cpp tests/sim/*.hpp)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null 2>&1
	rm -rf $(B)

# Generic rules: every object of user space lands under $(B).
$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

-include $(DEPFILES)
