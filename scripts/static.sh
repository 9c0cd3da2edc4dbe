#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Static lane: checkpatch --strict, a W=1 build with sparse, and kernel-doc
# on every kernel source and the uAPI header.  Each check is one test; the
# last line is "static: N passed, N failed".

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VDGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdgpu}
eval "$(sed -n 's/^\(VDGPU_[A-Z_]*\) := \(.*\)$/\1="\2"/p' "$CACHE/env.mk")"
: "${VDGPU_SRC:?run scripts/setup.sh first}"
results=${RESULTS:-$top/results/static}
mkdir -p "$results"

cd "$top" || exit 1
mapfile -t files < <(git ls-files -co --exclude-standard \
	'drivers/*.c' 'drivers/*.h' 'include/*.h' | sort)

passed=0
failed=0
check() {
	local name=$1 out=$results/$1.log
	shift
	if "$@" >"$out" 2>&1; then
		passed=$((passed + 1))
		echo "static: PASS $name"
	else
		failed=$((failed + 1))
		echo "static: FAIL $name (see $out)"
		sed 's/^/    /' "$out" | head -n 40
	fi
}

# Each fails on a non-zero exit or on any report in its output.
checkpatch() {
	local out rc
	out=$("$VDGPU_SRC/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "${files[@]}" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 0 ] && ! grep -qE 'ERROR|WARNING|CHECK' <<<"$out"
}

# Sparse through kbuild (C=2 checks every file); W=1 needs a recompile, so
# the objects are removed first.  Any warning fails.
w1_sparse() {
	local log
	make -s -C "$VDGPU_HEADERS" M="$top" clean >/dev/null &&
	log=$(make -C "$VDGPU_HEADERS" M="$top" W=1 C=2 modules 2>&1)
	local rc=$?
	echo "$log"
	[ $rc -eq 0 ] || return 1
	! grep -E 'warning:|error:|sparse:' <<<"$log"
}

kerneldoc() {
	local out rc
	out=$("$VDGPU_SRC/scripts/kernel-doc" -none -Wall "${files[@]}" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 0 ] && [ -z "$out" ]
}

command -v sparse >/dev/null || { echo "static: sparse missing: run make setup"; exit 1; }
check checkpatch checkpatch
check w1-sparse w1_sparse
check kernel-doc kerneldoc

# The syzkaller description (tools/syzkaller/dev_vdgpu.txt) against the
# uAPI header: every ioctl, structure layout and constant.
check syzkaller python3 scripts/syzkaller-check.py

echo "static: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
