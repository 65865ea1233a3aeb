# SPDX-License-Identifier: GPL-2.0
#
# simnic: out-of-tree build of the three modules, static checks, the VM test runs.
#   make            modules for the running kernel, or for the kernel whose headers or
#                   build tree KDIR names (make KDIR=/usr/src/linux-headers-VERSION), in
#                   build/VERSION; says which kernel, and what to install if its headers
#                   are missing
#   make install    those modules into /lib/modules/VERSION/updates, then depmod
#                   (INSTALL_MOD_PATH=DIR: under DIR instead); make uninstall removes them
#   make modules    modules for the Debian distro kernel the test VMs boot (build/distro)
#   make modules-6.12  modules for Debian's 6.12 backport headers (build/6.12): the
#                   compat header's other side, built by make check
#   make modules-kunit  the debug kernel's modules with the KUnit suites (build/kunit),
#                   for kunit.sh only
#   make deb        build/simnic-dkms_<version>_all.deb, a DKMS package of the modules
#   make check      everything CI runs; ends with a table of suites by kernel and
#                   "cases: N passed, N failed, N skipped; steps: N passed, N failed"
#   make demo       boot a VM and show simnic at work
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

DISTRO_KVER ?= $(shell $(TOP)/scripts/distro-kver)
DISTRO_KDIR ?= /usr/src/linux-headers-$(DISTRO_KVER)
K612_KDIR ?= /usr/src/linux-headers-$(shell $(TOP)/scripts/distro-kver 6.12)
SRCS := $(shell cd $(TOP) && find drivers include -name '*.[ch]' | sort)
# parallel jobs of the kernel builds (the host's CPUs)
JOBS ?= $(shell nproc)
KCFLAGS_WERROR := -Werror
KBUILD_FLAGS := W=1 KCFLAGS="$(KCFLAGS_WERROR)"
# The KUnit suites run at every load of a module they are in: only build/kunit has them
KUNIT_KBUILD_FLAGS := W=1 KCFLAGS="$(KCFLAGS_WERROR)" CONFIG_SIMNIC_KUNIT_TEST=y

.PHONY: all host install uninstall deb modules modules-6.12 modules-debug modules-kunit sparse sparse-kunit checkpatch deps \
	debug-kernel check demo bench clean selftests

all: host

# The kernel `make` and `make install` build for: the running one unless KDIR says
KVER_RUNNING := $(shell uname -r)
KDIR ?= /lib/modules/$(KVER_RUNNING)/build
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
INSTALL_MOD_PATH ?=
MODDIR = $(INSTALL_MOD_PATH)/lib/modules/$(KVER)

# kdir_ok: KDIR holds a configured kernel's headers or build tree, or says what to do
define kdir_ok
	@test -n "$(KVER)" || { \
		echo "simnic: no kernel headers in '$(KDIR)'" \
			"($(KDIR)/include/generated/utsrelease.h is missing)." >&2; \
		echo "  For the running kernel $(KVER_RUNNING) on Debian:" \
			"apt-get install linux-headers-$(KVER_RUNNING)" >&2; \
		echo "  For another kernel: make KDIR=/usr/src/linux-headers-VERSION; here:" \
			"$$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | tr '\n' ' ')" >&2; \
		exit 1; }
endef

host:
	$(kdir_ok)
	@echo "simnic: building for kernel $(KVER) (KDIR=$(KDIR)) in build/$(KVER)"
	$(call stage,$(KVER))
	$(MAKE) -j$(JOBS) -C $(KDIR) M=$(TOP)/build/$(KVER) W=1 modules

# Unsigned (CONFIG_MODULE_SIG_ALL= : the kernel's signing key is not in its headers);
# under Secure Boot, install the DKMS package instead, which signs with dkms's key.
install: host
	$(MAKE) -C $(KDIR) M=$(TOP)/build/$(KVER) INSTALL_MOD_DIR=updates \
		INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) CONFIG_MODULE_SIG_ALL= modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)
	@echo "simnic: installed in $(MODDIR)/updates; modprobe simnic_hw brings a card up"

uninstall:
	$(kdir_ok)
	rm -f $(MODDIR)/updates/drivers/net/ethernet/simnic/*/simnic_*.ko*
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)

deps:
	$(TOP)/scripts/install-deps

# Each kernel gets its own copy of the sources: out-of-tree objects live beside them.
define stage
	mkdir -p $(TOP)/build/$(1)
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
		--exclude='.*.cmd' --exclude='Module.symvers' --exclude='modules.order' \
		$(TOP)/Kbuild $(TOP)/drivers $(TOP)/include $(TOP)/build/$(1)/
endef

modules:
	$(call stage,distro)
	$(MAKE) -j$(JOBS) -C $(DISTRO_KDIR) M=$(TOP)/build/distro $(KBUILD_FLAGS) modules

modules-6.12:
	@test -d $(K612_KDIR)/include || { echo "modules-6.12: no 6.12 headers in" \
		"'$(K612_KDIR)': apt-get install linux-headers-6.12-amd64" >&2; exit 1; }
	$(call stage,6.12)
	$(MAKE) -j$(JOBS) -C $(K612_KDIR) M=$(TOP)/build/6.12 $(KBUILD_FLAGS) modules

debug-kernel:
	$(TOP)/scripts/build-debug-kernel >/dev/null

modules-debug: debug-kernel
	$(call stage,debug)
	$(MAKE) -j$(JOBS) -C $$($(TOP)/scripts/build-debug-kernel)/obj M=$(TOP)/build/debug \
		$(KBUILD_FLAGS) modules

modules-kunit: debug-kernel
	$(call stage,kunit)
	$(MAKE) -j$(JOBS) -C $$($(TOP)/scripts/build-debug-kernel)/obj M=$(TOP)/build/kunit \
		$(KUNIT_KBUILD_FLAGS) modules

sparse:
	$(call stage,sparse)
	$(MAKE) -j$(JOBS) -C $(DISTRO_KDIR) M=$(TOP)/build/sparse $(KBUILD_FLAGS) C=2 \
		CHECK="sparse -Wno-unknown-attribute" modules 2>&1 | tee $(TOP)/build/sparse.log
	@! grep -E 'warning:|error:' $(TOP)/build/sparse.log

# The KUnit suites are built only against the debug kernel (the distro has no KUnit):
# sparse them there
sparse-kunit: debug-kernel
	$(call stage,sparse-kunit)
	$(MAKE) -j$(JOBS) -C $$($(TOP)/scripts/build-debug-kernel)/obj M=$(TOP)/build/sparse-kunit \
		$(KUNIT_KBUILD_FLAGS) C=2 CHECK="sparse -Wno-unknown-attribute" modules 2>&1 | \
		tee $(TOP)/build/sparse-kunit.log
	@! grep -E 'warning:|error:' $(TOP)/build/sparse-kunit.log

deb:
	$(TOP)/scripts/mkdeb

checkpatch:
	@$(TOP)/scripts/checkpatch $(SRCS)

check:
	$(TOP)/scripts/check

demo:
	$(TOP)/scripts/demo

bench:
	$(TOP)/scripts/bench

clean:
	rm -rf $(TOP)/build
