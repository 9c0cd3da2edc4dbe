#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The debug lane (make check-debug): the VM lane's job on a debug kernel.
# Builds (or updates) the x86-64 debug kernel with vdgpu as an in-tree
# module (scripts/debug/kernel.sh), then runs scripts/vm/vm.sh test on it:
# every test of ours, upstream's generic tests from tests/vm/testlist and
# the SW_SYNC ones from tests/debug/testlist, judged by the same rules plus
# lockdep, KASAN, debugobjects and kmemleak, which only this kernel has.
#
# Environment: everything vm.sh reads (TESTS to filter), and
# DEBUG_OVERALL_TIMEOUT / DEBUG_PER_TEST_TIMEOUT for the runner's limits.
# Results go to results/debug/.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

out=$(scripts/debug/kernel.sh | tail -n 1)
eval "$out"	# release=... image=... build=...
: "${release:?}" "${image:?}" "${build:?}"

make -s igt tools

results=${RESULTS:-$top/results/debug}
mkdir -p "$results"
cat tests/vm/testlist tests/debug/testlist >"$results/testlist.in"

# Tests this lane does not run, each with its reason (tests/debug/excluded).
exclude=
while read -r pattern reason; do
	case $pattern in '' | '#'*) continue ;; esac
	echo "debug: not run: $pattern: $reason"
	exclude=${exclude:+$exclude|}$pattern
done <tests/debug/excluded

# Debugging slows everything down, KASAN and lockdep most of all: the
# runner gets more time per test and overall than in the stock VM lane, and
# the guest more memory for KASAN's shadow and kmemleak's pool.
# --multiple-mode runs a binary's consecutive subtests in one process:
# starting a test costs about 3 s on this kernel, which over 500 subtests
# would be most of the lane.
# acpi=noirq: evaluating the i440fx _PRT methods takes minutes under KASAN
# and TCG (AE_AML_LOOP_TIMEOUT); the BIOS's routing table does the same job.
# no5lvl: with QEMU's "-cpu max", 5-level paging puts per-CPU data where
# this KASAN build finds no shadow, and its first early-boot report turns
# lockdep off for the whole run.
VDGPU_KVER=$release VDGPU_IMAGE=$image VDGPU_HEADERS=$build \
MODULE=none DRIVER=vdgpu \
TESTLIST=$results/testlist.in \
EXPECTED_SKIPS=${EXPECTED_SKIPS:-$top/tests/debug/expected-skips} \
RESULTS=$results \
TESTS_EXCLUDE=${exclude} \
PER_TEST_TIMEOUT=${DEBUG_PER_TEST_TIMEOUT:-240} \
OVERALL_TIMEOUT=${DEBUG_OVERALL_TIMEOUT:-1500} \
VM_MEM=${VM_MEM:-3072} \
RUNNER_ARGS="--multiple-mode ${RUNNER_ARGS:-}" \
CMDLINE_EXTRA="acpi=noirq no5lvl ${CMDLINE_EXTRA:-}" \
LANE_NAME=debug \
	scripts/vm/vm.sh test
