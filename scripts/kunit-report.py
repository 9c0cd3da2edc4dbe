#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Summarise a KUnit lane run: cases from kunit.py's JSON, splats from the log.

Usage: kunit-report.py RESULTS_DIR KUNIT_PY_EXIT_CODE EXPECTED_SPLATS
Prints per-suite counts, every failed case, every splat line, and finally
"kunit: N passed, N failed, N skipped".  Exits non-zero when a case failed,
the kernel log shows a splat, or kunit.py itself failed without results.
"""

import json
import re
import sys

# The first line of a WARN, BUG, lockdep, KASAN, UBSAN, debugobjects or
# hung-task report in the kernel log ("WARNING: possible circular locking
# dependency detected", "BUG: KASAN: ...", "BUG: sleeping function called
# from invalid context", ...).
SPLATS = re.compile(
    r"^(WARNING:|BUG:|INFO:|ODEBUG:|UBSAN:|Kernel panic|Oops|"
    r"general protection fault)|DEBUG_LOCKS_WARN_ON|"
    r"blocked for more than \d+ seconds")


def expected_splats(path):
    """(regex, reason) pairs from tests/kunit/expected-splats."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            pattern, _, reason = line.partition("\t")
            out.append((re.compile(pattern), reason))
    return out


def walk(node, path, counts, failed):
    name = node.get("name", "")
    full = f"{path}.{name}" if path else name
    cases = node.get("test_cases", [])
    subs = node.get("sub_groups", [])
    for case in cases:
        status = case.get("status", "")
        cname = f"{full}.{case.get('name', '')}"
        if status == "PASS":
            counts["passed"] += 1
        elif status == "SKIP":
            counts["skipped"] += 1
        else:
            counts["failed"] += 1
            failed.append(f"{cname}: {status}")
    for sub in subs:
        walk(sub, full if name and name != "KUnit Test Group" else "", counts, failed)


def main():
    results, rc, allowed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    failed = []
    try:
        with open(f"{results}/results.json") as f:
            walk(json.load(f), "", counts, failed)
    except (OSError, ValueError) as e:
        print(f"kunit: no results ({e})")
    splats = []
    allow = expected_splats(allowed)
    try:
        with open(f"{results}/test.log", errors="replace") as f:
            for line in f:
                line = line.rstrip()
                if not SPLATS.search(line):
                    continue
                why = next((r for p, r in allow if p.search(line)), None)
                if why:
                    print(f"kunit: expected splat: {line}\n        ({why})")
                else:
                    splats.append(line)
    except OSError:
        splats = ["no kernel log"]
    # Compiler warnings in the driver's own files (shown on the build that
    # compiles them, which is the one that introduces them).
    warnings = []
    try:
        with open(f"{results}/kunit.out", errors="replace") as f:
            warnings = [l.rstrip() for l in f
                        if "drivers/gpu/drm/vdgpu/" in l and
                        re.search(r": (warning|error):", l)]
    except OSError:
        pass
    for line in warnings:
        print(f"kunit: build warning: {line}")
    if warnings:
        counts["failed"] += 1
    for line in failed:
        print(f"kunit: FAIL {line}")
    for line in splats[:40]:
        print(f"kunit: splat: {line}")
    if splats:
        # A splat is a failure of the run even when every case passed.
        counts["failed"] += 1
        print(f"kunit: {len(splats)} splat line(s) in {results}/test.log")
    if rc and not counts["failed"]:
        counts["failed"] += 1
        print(f"kunit: kunit.py exited with {rc}")
    if not counts["passed"] and not counts["failed"]:
        counts["failed"] += 1
        print("kunit: no test ran")
    print(f"kunit: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped")
    sys.exit(1 if counts["failed"] else 0)


if __name__ == "__main__":
    main()
