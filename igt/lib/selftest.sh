#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Check the IGT protocol of the vdgpu test harness from the outside, the way
# igt_runner sees it: exit codes, the lines on stdout and stderr, subtest
# selection.  Runs the self-test binary built from lib/selftest.c; needs no
# device and takes well under a second.
#
#   sh lib/selftest.sh <path to igt_selftest>
#
# The last line is "igt-selftest: N passed, N failed".

set -u

bin=${1:?usage: selftest.sh <igt_selftest binary>}
name=${bin##*/}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
errors=

# Run the binary with a clean IGT environment; results in $rc, $tmp/out,
# $tmp/err, and $tmp/out.n / $tmp/err.n with run times replaced by "T".
run() {
	env -u IGT_SENTINEL_ON_STDERR -u IGT_RUNNER_SOCKET_FD -u IGT_DEVICE \
		-u IGT_FORCE_DRIVER -u IGT_LOG_LEVEL -u SELFTEST_READY "$bin" "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	normalise
}

run_env() { # VAR=value... -- args...
	envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	shift
	# shellcheck disable=SC2086 # envs is a list of words
	env -u IGT_SENTINEL_ON_STDERR -u IGT_RUNNER_SOCKET_FD -u IGT_DEVICE \
		-u IGT_FORCE_DRIVER -u IGT_LOG_LEVEL -u SELFTEST_READY $envs "$bin" "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	normalise
}

normalise() {
	sed -E 's/\([0-9]+\.[0-9]{3}s\)$/(T)/' "$tmp/out" >"$tmp/out.n"
	sed -E 's/\([0-9]+\.[0-9]{3}s\)$/(T)/' "$tmp/err" >"$tmp/err.n"
}

# Checks: each records a problem in $errors; case_end turns them into a
# result for the case.
problem() { errors="$errors
  - $*"; }
rc_is() { [ "$rc" -eq "$1" ] || problem "exit code $rc, expected $1"; }
out_has() { grep -qxF -- "$1" "$tmp/out.n" || problem "stdout lacks line: $1"; }
out_lacks() { ! grep -qF -- "$1" "$tmp/out.n" || problem "stdout has: $1"; }
out_matches() { grep -qE -- "$1" "$tmp/out" || problem "stdout does not match: $1"; }
err_has() { grep -qxF -- "$1" "$tmp/err.n" || problem "stderr lacks line: $1"; }
err_matches() { grep -qE -- "$1" "$tmp/err" || problem "stderr does not match: $1"; }
err_empty() { [ ! -s "$tmp/err" ] || problem "stderr not empty"; }
out_count() { # pattern count
	n=$(grep -cE -- "$1" "$tmp/out")
	[ "$n" -eq "$2" ] || problem "$n lines match '$1', expected $2"
}
# Lines appear on stdout in the given order.
out_order() {
	last=0
	for line in "$@"; do
		n=$(grep -nxF -- "$line" "$tmp/out.n" | head -n 1 | cut -d: -f1)
		if [ -z "$n" ] || [ "$n" -le "$last" ]; then
			problem "stdout order wrong at: $line"
			return
		fi
		last=$n
	done
}

case_end() {
	if [ -z "$errors" ]; then
		passed=$((passed + 1))
		echo "ok   $1"
	else
		failed=$((failed + 1))
		echo "FAIL $1:$errors"
		echo "  --- stdout"
		sed 's/^/  | /' "$tmp/out"
		echo "  --- stderr"
		sed 's/^/  | /' "$tmp/err"
	fi
	errors=
}

all_subtests="pass
fail-assert
fail-errno
skip-require
crash
cleanup-on-fail
cleanup-on-signal
killed
fresh-state-a
fresh-state-b
warn
errno-names
regions-parse
read-files
open-device"

# --list-subtests: one name a line in table order, nothing else, exit 0.
run --list-subtests
rc_is 0
[ "$(cat "$tmp/out")" = "$all_subtests" ] || problem "subtest list differs"
err_empty
case_end "list-subtests"

# Whichever of --list-subtests and --run-subtest comes first wins, as in IGT.
run --list-subtests --run-subtest pass
rc_is 0
out_count '^' 15
run --run-subtest pass --list-subtests
rc_is 0
out_has "Subtest pass: SUCCESS (T)"
case_end "list-vs-run-order"

run --show-testlist
rc_is 0
out_has "igt@$name@pass"
out_count "^igt@$name@" 15
case_end "show-testlist"

run --describe=pass
rc_is 0
out_has "SUB pass:"
out_lacks "SUB fail-assert:"
case_end "describe"

# A passing subtest: header, start line, its output, the result line.
run --run-subtest pass
rc_is 0
out_matches '^IGT-Version: [0-9.]+-vdgpu-[^ ]+ \([^)]+\) \(Linux: [^ ]+ [^)]+\)$'
out_order "Starting subtest: pass" "pass: info line" "Subtest pass: SUCCESS (T)"
out_matches '^Subtest pass: SUCCESS \([0-9]+\.[0-9]{3}s\)$'
err_empty
case_end "pass"

# A failed assertion: FAIL, exit 98, file:line and both values on stderr.
run --run-subtest fail-assert
rc_is 98
out_order "Starting subtest: fail-assert" "Subtest fail-assert: FAIL (T)"
err_matches '^\(igt_selftest:[0-9]+\) CRITICAL: Test assertion failure function fail_assert, file lib/selftest\.c:[0-9]+:$'
err_matches 'CRITICAL: Failed assertion: 1 \+ 1 == 3$'
err_matches 'CRITICAL: error: 2 == 3 is false$'
err_has "Subtest fail-assert failed."
case_end "fail-assert"

run --run-subtest fail-errno
rc_is 98
err_matches 'CRITICAL: Last errno: 2, No such file or directory$'
err_matches 'CRITICAL: opening a missing file must fail here$'
case_end "fail-errno"

# igt_require: SKIP, exit 77, the reason on stdout, nothing after it runs.
run --run-subtest skip-require
rc_is 77
out_order "Starting subtest: skip-require" \
	"Test requirement: false" "skip reason: no such feature" \
	"Subtest skip-require: SKIP (T)"
out_matches '^Test requirement not met in function skip_require, file lib/selftest\.c:[0-9]+:$'
out_lacks "not reached"
err_empty
case_end "skip-require"

# Death by signal: CRASH, exit 128 + signal, the following subtest still
# runs (and the first failure decides the exit code).
run --run-subtest crash,fresh-state-a
rc_is 138
out_order "Subtest crash: CRASH (T)" "Subtest fresh-state-a: SUCCESS (T)"
out_lacks "not reached"
err_matches 'Subtest crash: killed by signal 10 \(SIGUSR1\)$'
case_end "crash"

# Cleanup handlers run LIFO after a failure; a popped one ran already.
run --run-subtest cleanup-on-fail
rc_is 98
out_order "cleanup: popped" "cleanup: second pushed" "cleanup: first pushed" \
	"Subtest cleanup-on-fail: FAIL (T)"
case_end "cleanup-on-fail"

# ... and when the subtest is killed by a signal (igt_runner's timeout).
run --run-subtest cleanup-on-signal
rc_is 143
out_order "cleanup: after the signal" "Subtest cleanup-on-signal: CRASH (T)"
out_lacks "not reached"
case_end "cleanup-on-signal"

# igt_runner's timeout signals the test: the parent lets the running
# subtest clean up before both die from the signal.
rm -f "$tmp/ready"
env SELFTEST_READY="$tmp/ready" "$bin" --run-subtest killed \
	>"$tmp/out" 2>"$tmp/err" </dev/null &
pid=$!
i=0
while [ ! -e "$tmp/ready" ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
kill -TERM "$pid"
wait "$pid" 2>/dev/null
rc=$?
normalise
rc_is 143
out_has "cleanup: killed"
out_lacks "Subtest killed:"
out_lacks "not reached"
case_end "killed-by-runner"

# Every subtest starts from a fresh process state.
run --run-subtest 'fresh-state-*'
rc_is 0
out_has "Subtest fresh-state-a: SUCCESS (T)"
out_has "Subtest fresh-state-b: SUCCESS (T)"
case_end "fresh-state"

# igt_warn() writes to stderr (igt_runner then reports "warn").
run --run-subtest warn
rc_is 0
out_has "Subtest warn: SUCCESS (T)"
err_matches '^\(igt_selftest:[0-9]+\) WARNING: warn: this goes to stderr$'
case_end "warn"

# The library checks, run as ordinary subtests.
run --run-subtest errno-names,regions-parse,read-files
rc_is 0
out_has "Subtest errno-names: SUCCESS (T)"
out_has "Subtest regions-parse: SUCCESS (T)"
out_has "Subtest read-files: SUCCESS (T)"
err_empty
case_end "library-checks"

# No subtest matches: exit 79, nothing started.
run --run-subtest nope
rc_is 79
out_lacks "Starting subtest"
err_matches 'CRITICAL: Unknown subtest: nope$'
case_end "unknown-subtest"

# Patterns: comma lists, globs, '!' exclusions (what igt_runner sends when
# resuming), run in table order.
run --run-subtest '*,!fail-*,!crash,!skip-*,!cleanup-*,!open-device,!killed'
rc_is 0
out_count '^Starting subtest: ' 7
out_count '^Subtest .*: SUCCESS' 7
out_order "Subtest pass: SUCCESS (T)" "Subtest warn: SUCCESS (T)" \
	"Subtest read-files: SUCCESS (T)"
case_end "patterns"

# Exit code of a run: failure beats success beats skip; first failure wins.
# ("killed" skips: SELFTEST_READY is not set.)
run
rc_is 98
out_count '^Starting subtest: ' 15
out_count '^Subtest [a-z-]+: (SUCCESS|FAIL|SKIP|CRASH) \([0-9.]+s\)$' 15
case_end "run-all"
run --run-subtest skip-require,pass
rc_is 0
run --run-subtest crash,fail-assert
rc_is 98
case_end "exit-code-priority"

# With IGT_SENTINEL_ON_STDERR (set by igt_runner) the start and result lines
# are repeated on stderr so the runner can split stderr per subtest.
run_env IGT_SENTINEL_ON_STDERR=1 -- --run-subtest pass
rc_is 0
[ "$(cat "$tmp/err.n")" = "Starting subtest: pass
Subtest pass: SUCCESS (T)" ] || problem "stderr is not exactly the two sentinel lines"
case_end "stderr-sentinel"

# Device selection never breaks enumeration; it makes subtests skip.
run_env IGT_DEVICE=pci:vendor=8086 -- --list-subtests
rc_is 0
run_env IGT_DEVICE=pci:vendor=8086 -- --run-subtest open-device
rc_is 77
out_matches '^Unsupported device filter "pci:vendor=8086"'
run_env IGT_FORCE_DRIVER=not-vdgpu -- --device drm:/dev/null --run-subtest open-device
rc_is 77
out_has "driver: not-vdgpu"
out_has "/dev/null is not a not-vdgpu device"
case_end "device-filter"

# Options.
run --help
rc_is 0
out_has "Usage: $name [OPTIONS]"
run --no-such-option
rc_is 79
err_has "Usage: $name [OPTIONS]"
run stray-argument
rc_is 79
run --version
rc_is 0
out_matches '^IGT-Version: '
run --run-subtest pass --dynamic-subtest whatever --skip-crc-compare
rc_is 0
run --help-description
rc_is 0
out_has "Self-test of the vdgpu IGT harness."
case_end "options"

echo "igt-selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
