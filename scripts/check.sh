#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: every lane in turn, each to its own log under results/, then
# one total.  A lane that fails does not stop the others, so one run shows
# everything that is wrong.  The last line is "check: N passed, N failed".
#
# Lanes: static (checkpatch, W=1 + sparse, kernel-doc), igt-selftest (the
# IGT-protocol harness on the host), kunit (UML), vm-test (QEMU + igt_runner
# on the stock kernel), debug (the same on a debug kernel built here).
# CHECK_LANES="static kunit" runs a subset.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
lanes=${CHECK_LANES:-static igt-selftest kunit vm-test debug}
mkdir -p results

total_passed=0
total_failed=0
total_skipped=0
summary=()

for lane in $lanes; do
	log=results/$lane.log
	start=$(date +%s)
	echo "== $lane (log: $log)"
	case $lane in
	static)		scripts/static.sh ;;
	igt-selftest)	make -s -C igt O="$top/build/igt" selftest ;;
	kunit)		scripts/kunit.sh ;;
	vm-test)	make -s vm-test ;;
	debug)		scripts/debug/lane.sh ;;
	*)		echo "$lane: unknown lane"; false ;;
	esac >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	# Each lane ends with "<lane>: N passed, N failed[, N skipped]".
	counts=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<<"$counts")
	f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$counts")
	s=$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' <<<"$counts")
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		# The lane broke before it could count: that is a failure too.
		f=1
	fi
	tail -n 15 "$log" | sed 's/^/   /'
	summary+=("$(printf '%-13s %4d passed %4d failed %4d skipped %5ds' \
		"$lane" "$p" "$f" "$s" "$secs")")
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + s))
done

echo "== summary"
printf '%s\n' "${summary[@]}"
echo "check: $total_passed passed, $total_failed failed, $total_skipped skipped"
[ "$total_failed" -eq 0 ]
