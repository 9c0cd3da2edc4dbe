#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# KUnit lane: build a UML kernel from linux-source-6.12 with vdgpu dropped
# into it, run vdgpu's suites and upstream's gpu_buddy and TTM suites with
# lockdep, KASAN and object debugging on, and fail on any failed case or on
# any splat in the kernel log.
#
# The scratch tree is a hard-linked copy of the cached source (made once);
# the driver directory and the uAPI header are symlinks into this
# repository, and drivers/gpu/drm/{Kconfig,Makefile} get one line each.
# The build directory is cached, so a second run only rebuilds what changed.
# The kernel boots with vdgpu.num_devices=0: the tests make every vdgpu
# device they use, and upstream's TTM suites assume no other TTM device
# lives beside theirs (with one, they corrupt TTM's global lists and hang).
#
# Usage: scripts/kunit.sh [filter_glob]
# Environment: VDGPU_CACHE, KUNIT_DIR (default $VDGPU_CACHE/kunit),
# KUNIT_JOBS, RESULTS (default results/kunit).  KUNIT_CONFIGS (config
# fragments, relative to the repository) and KUNIT_BUILD (the build
# directory's name) let scripts/bench.sh build another kernel from the same
# scratch tree, without the debugging options.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VDGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdgpu}
# shellcheck disable=SC1091
eval "$(sed -n 's/^\(VDGPU_[A-Z_]*\) := \(.*\)$/\1="\2"/p' "$CACHE/env.mk")"
: "${VDGPU_SRC:?run scripts/setup.sh first}"

ver=$(basename "$VDGPU_SRC")
# KUNIT_DIR lets two checkouts build side by side without sharing a tree.
kdir=${KUNIT_DIR:-$CACHE/kunit}
tree=$kdir/tree-${ver#linux-source-}
build=$kdir/${KUNIT_BUILD:-build}-${ver#linux-source-}
results=${RESULTS:-$top/results/kunit}
jobs=${KUNIT_JOBS:-$(nproc)}
filter=${1:-}
configs=${KUNIT_CONFIGS:-drivers/gpu/drm/vdgpu/.kunitconfig \
tests/kunit/upstream.config tests/kunit/debug.config}
kunitconfigs=()
for c in $configs; do
	kunitconfigs+=("--kunitconfig=$top/$c")
done

log() { printf 'kunit: %s\n' "$*" >&2; }

if [ ! -e "$tree/.stamp" ]; then
	log "preparing scratch tree $tree"
	rm -rf "$tree"
	mkdir -p "$(dirname "$tree")"
	cp -al "$VDGPU_SRC" "$tree"
	# sed -i writes new files, so the cached source stays pristine.
	sed -i '$a source "drivers/gpu/drm/vdgpu/Kconfig"' "$tree/drivers/gpu/drm/Kconfig"
	sed -i '$a obj-$(CONFIG_DRM_VDGPU) += vdgpu/' "$tree/drivers/gpu/drm/Makefile"
	touch "$tree/.stamp"
fi
# Re-pointed every run: the repository may have moved (CI clones afresh).
ln -sfn "$top/drivers/gpu/drm/vdgpu" "$tree/drivers/gpu/drm/vdgpu"
ln -sfn "$top/include/uapi/drm/vdgpu_drm.h" "$tree/include/uapi/drm/vdgpu_drm.h"

mkdir -p "$build" "$results"
# Objects built from another checkout may look newer than this one's
# sources: rebuild the driver whenever the checkout changes.
if [ "$(cat "$build/.vdgpu-top" 2>/dev/null)" != "$top" ]; then
	rm -rf "$build/drivers/gpu/drm/vdgpu"
	echo "$top" >"$build/.vdgpu-top"
fi
rm -f "$results"/*

set +e
(cd "$tree" && python3 tools/testing/kunit/kunit.py run \
	--arch=um --jobs="$jobs" --build_dir="$build" --timeout=900 \
	"${kunitconfigs[@]}" \
	--json="$results/results.json" \
	--kernel_args=vdgpu.num_devices=0 \
	${filter:+"$filter"}) 2>&1 | tee "$results/kunit.out"
rc=${PIPESTATUS[0]}
set -e
cp "$build/test.log" "$results/test.log" 2>/dev/null || true

python3 "$top/scripts/kunit-report.py" "$results" "$rc" \
	"$top/tests/kunit/expected-splats"
