#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: vdgpu's numbers next to their limits and next to vgem, as
# ratios measured in one run (Documentation/gpu/vdgpu/performance.rst).
#
#   1. UML: the vdgpu_bench KUnit suite (VRAM manager next to raw gpu_buddy)
#      in a UML kernel of its own, without the KUnit lane's debugging
#      options (scripts/kunit.sh with tests/kunit/bench.config).
#   2. VM: one boot of the test VM running build/tools/vdgpu_bench, with
#      vgem loaded beside vdgpu (scripts/vm/vm.sh bench).
#   3. scripts/bench-report.py: medians, min and max, ratios and target
#      verdicts, printed and written to results/bench/bench.csv.
#
# Targets are reported, not asserted: the exit status is non-zero only when
# a step could not run.  Not part of make check.
#
# Environment: BENCH_RUNS (default 5), BENCH_VM_ACCEL (default
# tcg,thread=single, the test lane's: one host thread for both vCPUs, the
# steadiest on a shared host; tcg gives each vCPU a thread, so that the copy
# engines can run beside the workload, and is worth it only with host cores
# to spare), BENCH_SKIP_UML=1, BENCH_SKIP_VM=1, KUNIT_DIR as for
# scripts/kunit.sh, RESULTS (default results/bench).

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=${RESULTS:-$top/results/bench}
runs=${BENCH_RUNS:-5}
accel=${BENCH_VM_ACCEL:-tcg,thread=single}
mkdir -p "$out"
rm -f "$out/bench.csv" "$out/report.txt" "$out/meta.txt"

log() { printf 'bench: %s\n' "$*" >&2; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

{
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"
	echo "host_cpus=$(nproc)"
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "load_start=$(loadavg)"
	echo "runs=$runs"
	echo "vm_accel=$accel"
} >"$out/meta.txt"

failed=0
start=$(date +%s)

if [ "${BENCH_SKIP_UML:-0}" != 1 ]; then
	log "UML: vdgpu_bench suite (log: $out/uml.log; the first build takes minutes)"
	if ! KUNIT_BUILD=bench \
		KUNIT_CONFIGS="drivers/gpu/drm/vdgpu/.kunitconfig tests/kunit/bench.config" \
		RESULTS="$out/uml" scripts/kunit.sh 'vdgpu_bench' >"$out/uml.log" 2>&1; then
		log "UML run failed; see $out/uml.log"
		failed=1
	fi
	echo "uml_secs=$(($(date +%s) - start))" >>"$out/meta.txt"
fi

if [ "${BENCH_SKIP_VM:-0}" != 1 ]; then
	vmstart=$(date +%s)
	# QEMU 7.2 with a thread per vCPU now and then oopses while booting
	# (see scripts/vm/README.md): a VM that dies before reporting gets
	# one more boot.
	for try in 1 2; do
		log "VM: vdgpu_bench, $runs runs, -accel $accel (log: $out/vm.log)"
		VM_ACCEL=$accel RESULTS="$out/vm" scripts/vm/vm.sh bench -r "$runs" \
			>"$out/vm.log" 2>&1
		rc=$?
		if [ "$rc" -eq 0 ] || [ -s "$out/vm/guest-status" ] ||
			[ "$try" -eq 2 ]; then
			break
		fi
		log "the VM died before reporting (status $rc); booting it again"
	done
	if [ "$rc" -ne 0 ]; then
		log "VM run failed ($rc); see $out/vm.log and $out/vm/console.log"
		failed=1
	fi
	echo "vm_secs=$(($(date +%s) - vmstart))" >>"$out/meta.txt"
fi

echo "load_end=$(loadavg)" >>"$out/meta.txt"
echo "total_secs=$(($(date +%s) - start))" >>"$out/meta.txt"

python3 "$top/scripts/bench-report.py" --meta "$out/meta.txt" \
	--uml "$out/uml/test.log" --vm "$out/vm/bench-raw.csv" \
	--csv "$out/bench.csv" | tee "$out/report.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
log "table: $out/report.txt, CSV: $out/bench.csv"
exit $failed
