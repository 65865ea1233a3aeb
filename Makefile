# SPDX-License-Identifier: GPL-2.0
#
# simnic: out-of-tree build of the three modules, static checks, the VM test runs.
#   make            modules for the Debian distro kernel (build/distro)
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
KUNIT_KBUILD_FLAGS := W=1 KCFLAGS="$(KCFLAGS_WERROR) -DSIMNIC_KUNIT"

.PHONY: all deb modules modules-6.12 modules-debug modules-kunit sparse sparse-kunit checkpatch deps \
	debug-kernel check demo clean selftests

all: modules

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

clean:
	rm -rf $(TOP)/build
