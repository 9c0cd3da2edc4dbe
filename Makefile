# SPDX-License-Identifier: GPL-2.0-only
#
# Convenience wrapper around kbuild and the test lanes.  The kbuild input is
# ./Kbuild and drivers/gpu/drm/vdgpu/Makefile.
#
#   make            build vdgpu.ko against $(KDIR)
#   make setup      install and cache what the lanes need (scripts/setup.sh)
#   make check      setup, static checks, KUnit under UML, the VM lane and
#                   the debug lane
#   make check-debug the debug lane alone: the VM lane's tests on a debug
#                   kernel (lockdep, KASAN, kmemleak, fault injection)
#   make run        boot the VM, load vdgpu and run the demo
#   make bench      benchmarks: UML and the VM, next to the limits and vgem
#   make kunit | vm-test | static | igt | tools | clean | install

VDGPU_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vdgpu
-include $(VDGPU_CACHE)/env.mk

# The running kernel's build tree if it has one, else the 6.12 headers
# scripts/setup.sh installed.
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR),$(VDGPU_HEADERS))

BUILD := $(CURDIR)/build
MODULE := drivers/gpu/drm/vdgpu/vdgpu.ko

.PHONY: all modules clean install setup check check-debug kunit vm-test \
	static igt tools run bench lane-build

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel build dir: run 'make setup' or set KDIR"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

clean:
	-$(if $(KDIR),$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
	rm -rf $(BUILD) results

setup:
	scripts/setup.sh

# Lanes run in a sub-make so that env.mk, written by setup, is read.  They
# build against the Debian 6.12 headers whatever the host runs, because that
# is the kernel the VM boots.
static: setup
	scripts/static.sh

kunit: setup
	scripts/kunit.sh

vm-test: setup
	$(MAKE) lane-build
	scripts/vm/vm.sh test

run: setup
	$(MAKE) lane-build
	scripts/vm/vm.sh run

check: setup
	scripts/check.sh

check-debug: setup
	scripts/debug/lane.sh

# Not part of check: it measures, and asserts nothing.
bench: setup
	$(MAKE) lane-build
	scripts/bench.sh

lane-build:
	$(MAKE) KDIR=$(VDGPU_HEADERS) modules
	$(MAKE) igt tools

igt:
	$(MAKE) -C igt O=$(BUILD)/igt

tools:
	$(MAKE) -C tools O=$(BUILD)/tools
