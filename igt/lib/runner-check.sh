#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Check the harness against the real igt_runner: run IGT's runner from the
# VM's Debian unstable root (chroot, in a private mount namespace so nothing
# leaks onto the host) over the self-test binary and the tests in the build
# directory, once a subtest per execution and once in multiple mode (-m),
# and compare the results igt_runner derives with what each self-test
# subtest is meant to produce.  The vdgpu tests themselves just need a
# result (they skip on a host without the device).
#
#   sh lib/runner-check.sh <igt build dir> <igt_selftest binary>
#
# Needs root and unshare(1); VDGPU_ROOT names the root (default
# ~/.cache/vdgpu/sid-root).  Not part of "make check": the self-test there
# covers the same protocol without a chroot.

set -eu

dir=${1:?usage: runner-check.sh <igt build dir> <igt_selftest>}
selftest=${2:?usage: runner-check.sh <igt build dir> <igt_selftest>}
root=${VDGPU_ROOT:-${HOME}/.cache/vdgpu/sid-root}

[ "$(id -u)" -eq 0 ] || { echo "runner-check: needs root"; exit 2; }
[ -x "$root/usr/bin/igt_runner" ] || { echo "runner-check: no igt_runner in $root"; exit 2; }

work=$(mktemp -d "$root/tmp/vdgpu-runner-check.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/tests"
cp "$selftest" "$work/tests/"
names=${selftest##*/}
for t in "$dir"/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	cp "$t" "$work/tests/"
	names="$names ${t##*/}"
done
printf 'TESTLIST\n%s\nEND TESTLIST\n' "$names" >"$work/tests/test-list.txt"

unshare -m --propagation private sh -c '
	root=$1 rel=$2
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	chroot "$root" /usr/bin/igt_runner "$rel/tests" "$rel/results" &&
	chroot "$root" /usr/bin/igt_runner -m "$rel/tests" "$rel/results-m"
' sh "$root" "${work#"$root"}" >"$work/runner.log" 2>&1 || {
	cat "$work/runner.log"
	echo "runner-check: igt_runner failed"
	exit 1
}

python3 - "$work" "${selftest##*/}" <<'EOF'
import json
import sys

work, selftest = sys.argv[1], sys.argv[2]
expected = {
    "pass": "pass", "fail-assert": "fail", "fail-errno": "fail",
    "skip-require": "skip", "crash": "crash", "cleanup-on-fail": "fail",
    "cleanup-on-signal": "crash", "killed": "skip",
    "fresh-state-a": "pass", "fresh-state-b": "pass", "warn": "warn",
    "errno-names": "pass", "regions-parse": "pass", "read-files": "pass",
    "open-device": ("skip", "pass"),  # pass where vdgpu is loaded
}
failed = 0
for mode in ("results", "results-m"):
    tests = json.load(open(f"{work}/{mode}/results.json"))["tests"]
    for sub, want in expected.items():
        got = tests.get(f"igt@{selftest}@{sub}", {}).get("result")
        if got not in (want if isinstance(want, tuple) else (want,)):
            print(f"FAIL {mode}: {sub}: {got}, expected {want}")
            failed += 1
    for name, t in sorted(tests.items()):
        if name.startswith(f"igt@{selftest}@"):
            continue
        if t.get("result") in (None, "incomplete", "notrun"):
            print(f"FAIL {mode}: {name}: {t.get('result')}")
            failed += 1
        else:
            print(f"ok   {mode}: {name}: {t['result']}")
print(f"runner-check: {'FAILED' if failed else 'all results as expected'}")
sys.exit(1 if failed else 0)
EOF
