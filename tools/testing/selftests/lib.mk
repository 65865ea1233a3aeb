# SPDX-License-Identifier: GPL-2.0
# The part of the kernel's tools/testing/selftests/lib.mk that simnic's selftests use
# (scripts and data files, no program to build), so that they install and run from this
# repository alone. Copied into a kernel tree, drivers/net/simnic/Makefile includes that
# tree's lib.mk instead, and nothing here is needed.
selfdir := $(realpath $(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: all install emit_tests run_tests clean

all:

# install INSTALL_PATH=DIR: the tests, their files, config and settings into DIR
install: all
ifdef INSTALL_PATH
	mkdir -p $(INSTALL_PATH)
	rsync -a --copy-unsafe-links $(TEST_PROGS) $(TEST_FILES) \
		$(wildcard config settings) $(INSTALL_PATH)/
else
	$(error Error: set INSTALL_PATH to use install)
endif

# emit_tests COLLECTION=DIR: the lines of kselftest-list.txt, as the kernel's lib.mk
emit_tests:
	@for TEST in $(TEST_PROGS); do echo "$(COLLECTION):$$(basename $$TEST)"; done

# run_tests: every test, through the kernel's kselftest runner
run_tests: all
	@BASE_DIR="$(selfdir)"; . $(selfdir)/kselftest/runner.sh; run_many $(TEST_PROGS)

clean:
