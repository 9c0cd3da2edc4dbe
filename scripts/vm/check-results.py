#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Judge a VM lane test run from what the guest left in the results dir.

Reads igt/results.json (written by igt_runner when it finishes), the test
list the guest ran (testlist.txt), the kernel log (dmesg.txt), the kernel's
taint flags (taint) and the expected skips, prints a per-test summary and,
as its last line, "vm-test: N passed, N failed[, N skipped]".  Exits 1 when
anything failed, 0 otherwise.

A test fails on any IGT result but pass and skip; a skip fails unless
tests/vm/expected-skips lists it.  The run as a whole fails (counted as one
failed check each) when the VM did not finish, when tests from the list have
no result, when the kernel log has a warning, BUG, oops, lockdep splat, hung
task, soft lockup, RCU stall, KASAN/UBSAN report, memory corruption or
out-of-memory report, or when the kernel was tainted by any of those.  (Bare
stack traces do not count: igt_runner dumps every task's stack when a test
times out, which already fails.)

On a kernel with kmemleak (the debug lane's), the guest scans after the run
and leaves the report in kmemleak.txt: an unreferenced object allocated
under the graphics stack (vdgpu, DRM, TTM, the scheduler, dma-buf, sync
files) fails the run; others are listed as notes, since the VM's 9p and
overlay plumbing is not under test.
"""

import argparse
import fnmatch
import json
import os
import re
import sys

PASS = {"pass"}
SKIP = {"skip"}

# Lines of the kernel log that fail the run wherever they appear.
DMESG_BAD = [
    (re.compile(r"WARNING: CPU: \d+ PID: \d+ at|-+\[ cut here \]-+"), "WARN"),
    (re.compile(r"\bBUG: |kernel BUG at "), "BUG"),
    (re.compile(r"\bOops\b|general protection fault|Kernel panic"), "Oops"),
    (re.compile(r"possible circular locking|possible recursive locking|"
                r"inconsistent lock state|DEBUG_LOCKS_WARN|"
                r"suspicious RCU usage|lock held when returning"), "lockdep"),
    (re.compile(r"blocked for more than \d+ seconds|hung_task"), "hung task"),
    (re.compile(r"soft lockup|hard LOCKUP|rcu.*detected stalls?|"
                r"self-detected stall"), "lockup"),
    (re.compile(r"KASAN|UBSAN"), "sanitizer"),
    (re.compile(r"refcount_t: |list_(add|del) corruption|"
                r"slab.*corrupt|Bad page state"), "corruption"),
    (re.compile(r"page allocation failure|invoked oom-killer|"
                r"Out of memory"), "out of memory"),
]

# Exit statuses of scripts/vm/guest-init.sh's jobs.
GUEST_STATUS = {
    "2": "the guest could not set the job up",
    "3": "modprobe of the driver failed",
}

# Taint flags that mean the kernel found a problem (bit, letter).  Out of
# tree (O) and unsigned (E) are what loading vdgpu.ko does by design.
TAINT_BAD = [(4, "M"), (5, "B"), (7, "D"), (9, "W"), (14, "L"), (16, "X")]


def load_expected_skips(path):
    """Return [(pattern, reason)] from an expected-skips file."""
    entries = []
    errors = []
    if not path or not os.path.exists(path):
        return entries, errors
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) < 2 or not parts[1].strip():
                errors.append(f"{path}:{n}: '{parts[0]}' has no reason")
                continue
            entries.append((parts[0], parts[1].strip()))
    return entries, errors


def expected_skip(name, entries):
    for pattern, reason in entries:
        if fnmatch.fnmatchcase(name, pattern):
            return reason
    return None


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def read_testlist(path):
    text = read_text(path)
    if text is None:
        return None
    return [line.strip() for line in text.splitlines() if line.strip()]


def skip_reason(test):
    """The requirement that was not met, from a skipped test's output."""
    text = (test.get("out", "") or "") + "\n" + (test.get("err", "") or "")
    for line in text.splitlines():
        m = re.search(r"Test requirement: (.*)", line)
        if m:
            return m.group(1).strip()
    for line in text.splitlines():
        if "Skip" in line or "skip" in line:
            return line.strip()
    return ""


def failure_detail(test):
    """A few lines that say why a test failed."""
    lines = []
    for src in ("err", "out"):
        for line in (test.get(src, "") or "").splitlines():
            if re.search(r"CRITICAL|Failed assertion|assertion failure|"
                         r"FAIL|timed out|Received signal|Stack trace",
                         line):
                lines.append(line.strip())
    dmesg = test.get("dmesg", "") or ""
    for line in dmesg.splitlines():
        if re.match(r"<[0-4]>", line):
            lines.append("dmesg: " + line.strip())
    return lines[:6]


def scan_dmesg(text):
    """[(kind, line)] for every line of the kernel log that fails the run."""
    found = []
    for line in text.splitlines():
        for regex, kind in DMESG_BAD:
            if regex.search(line):
                found.append((kind, line.rstrip()))
                break
    return found


# A kmemleak report is ours when a frame of its backtrace is.
KMEMLEAK_OURS = re.compile(r"\[vdgpu\]|\[vgem\]|\bdrm_|\bttm_|\bgpu_buddy|"
                           r"\bdma_buf|\bdma_fence|\bdma_resv|\bsync_file|"
                           r"\bsw_sync|\bsync_timeline|\bvdgpu_")


def scan_kmemleak(text):
    """([ours], [others]): kmemleak's reports, each as a list of lines."""
    reports = []
    for line in text.splitlines():
        if line.startswith("unreferenced object"):
            reports.append([])
        if reports:
            reports[-1].append(line.rstrip())
    ours = [r for r in reports if any(KMEMLEAK_OURS.search(l) for l in r)]
    others = [r for r in reports if r not in ours]
    return ours, others


def strip_time(line):
    return re.sub(r"^\[\s*\d+\.\d+\]\s*", "", line.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--expected-skips")
    ap.add_argument("--vm-error", default="")
    ap.add_argument("--guest-status", default="")
    ap.add_argument("--name", default="vm-test")
    args = ap.parse_args()

    res_dir = args.results
    out_lines = []

    def say(line=""):
        out_lines.append(line)
        print(line)

    skips, skip_errors = load_expected_skips(args.expected_skips)
    results_json = os.path.join(res_dir, "igt", "results.json")
    tests = {}
    json_error = ""
    if os.path.exists(results_json):
        try:
            with open(results_json, encoding="utf-8") as f:
                tests = json.load(f).get("tests", {})
        except (OSError, ValueError) as e:
            json_error = f"cannot read {results_json}: {e}"
    requested = read_testlist(os.path.join(res_dir, "testlist.txt"))

    passed = []
    skipped = []
    failed = []      # (name, result, details)
    notes = []

    say(f"{args.name}: per-test results")
    names = list(tests.keys())
    for name in names:
        t = tests[name]
        result = t.get("result", "?")
        secs = ""
        tm = t.get("time") or {}
        if "end" in tm and "start" in tm:
            secs = f" ({tm['end'] - tm['start']:.1f}s)"
        if result in PASS:
            passed.append(name)
            say(f"  pass         {name}{secs}")
            reason = expected_skip(name, skips)
            if reason:
                notes.append(f"{name} passes but is listed in expected-skips"
                             f" ({reason}): remove the entry")
        elif result in SKIP:
            reason = expected_skip(name, skips)
            why = skip_reason(t)
            if reason:
                skipped.append(name)
                say(f"  skip         {name}: {reason}")
            else:
                failed.append((name, "unexpected skip", [why] if why else []))
                say(f"  SKIP!        {name}: {why or 'no reason given'}"
                    " (not in expected-skips)")
        else:
            detail = failure_detail(t)
            failed.append((name, result, detail))
            say(f"  {result.upper():<12} {name}{secs}")
            for line in detail:
                say(f"               {line}")

    # Tests the guest asked for and never got a result for (a dead VM, the
    # runner's overall timeout).  The runner names them differently only for
    # binaries without subtests, which it reports as igt@bin.
    if requested is not None:
        have = set(names)
        missing = [n for n in requested
                   if n not in have
                   and not any(h.startswith(n + "@") for h in have)]
        for n in missing:
            failed.append((n, "no result", []))
            say(f"  NO RESULT    {n}")

    if not tests:
        started = sorted((d for d in os.listdir(os.path.join(res_dir, "igt"))
                          if d.isdigit()), key=int) \
            if os.path.isdir(os.path.join(res_dir, "igt")) else []
        msg = json_error or "igt_runner wrote no results.json"
        if started and requested and int(started[-1]) < len(requested):
            msg += (f"; the last test started was"
                    f" {requested[int(started[-1])]}")
        failed.append(("vm@igt-runner", msg, []))
        say(f"  FAIL         vm@igt-runner: {msg}")

    if args.vm_error:
        failed.append(("vm@guest", args.vm_error, []))
        say(f"  FAIL         vm@guest: {args.vm_error}")
    elif args.guest_status not in ("", "0"):
        why = GUEST_STATUS.get(args.guest_status,
                               "the job failed (igt_runner aborted?)")
        msg = f"guest job status {args.guest_status}: {why}"
        failed.append(("vm@guest", msg, []))
        say(f"  FAIL         vm@guest: {msg}; see console.log")

    guest_errors = read_text(os.path.join(res_dir, "guest-errors")) or ""
    for line in guest_errors.splitlines():
        if line.strip():
            failed.append(("vm@guest-init", line.strip(), []))
            say(f"  FAIL         vm@guest-init: {line.strip()}")

    dmesg = read_text(os.path.join(res_dir, "dmesg.txt"))
    if dmesg is None:
        failed.append(("vm@dmesg", "no kernel log", []))
        say("  FAIL         vm@dmesg: the guest left no dmesg.txt")
    else:
        bad = scan_dmesg(dmesg)
        if bad:
            failed.append(("vm@dmesg", "kernel log", [l for _, l in bad]))
            kinds = sorted({k for k, _ in bad})
            say(f"  FAIL         vm@dmesg: {', '.join(kinds)} in the kernel log:")
            for _, line in bad[:20]:
                say(f"               {line}")
            if len(bad) > 20:
                say(f"               ... {len(bad) - 20} more, see dmesg.txt")

    # A panic or a hang can keep the end of the log from reaching
    # dmesg.txt; the console has the messages of level err and above.
    console = read_text(os.path.join(res_dir, "console.log"))
    if console is not None:
        seen = {strip_time(l) for _, l in scan_dmesg(dmesg or "")}
        extra = [(k, l) for k, l in scan_dmesg(console)
                 if strip_time(l) not in seen]
        if extra:
            failed.append(("vm@console", "kernel messages on the console",
                           [l for _, l in extra]))
            kinds = sorted({k for k, _ in extra})
            say(f"  FAIL         vm@console: {', '.join(kinds)} on the console:")
            for _, line in extra[:20]:
                say(f"               {line}")

    kmemleak = read_text(os.path.join(res_dir, "kmemleak.txt"))
    if kmemleak is not None:
        ours, others = scan_kmemleak(kmemleak)
        if ours:
            failed.append(("vm@kmemleak", f"{len(ours)} leaks",
                           [r[0] for r in ours]))
            say(f"  FAIL         vm@kmemleak: {len(ours)} unreferenced"
                " objects from the graphics stack:")
            for line in [l for r in ours[:3] for l in r][:60]:
                say(f"               {line}")
        else:
            say("  pass         vm@kmemleak: no leak from the graphics stack")
        if others:
            notes.append(f"kmemleak: {len(others)} unreferenced objects"
                         " elsewhere (not the graphics stack), see"
                         " kmemleak.txt")

    taint = read_text(os.path.join(res_dir, "taint"))
    if taint is not None and taint.strip().isdigit():
        value = int(taint.strip())
        flags = [letter for bit, letter in TAINT_BAD if value & (1 << bit)]
        if flags:
            failed.append(("vm@taint", f"tainted {value}", []))
            say(f"  FAIL         vm@taint: kernel tainted {value}"
                f" ({''.join(flags)})")

    for err in skip_errors:
        failed.append(("vm@expected-skips", err, []))
        say(f"  FAIL         vm@expected-skips: {err}")

    for note in notes:
        say(f"note: {note}")

    say()
    say(f"results: {res_dir}")
    if failed:
        say("failed:")
        no_result = [n for n, r, _ in failed if r == "no result"]
        for name, result, _ in failed:
            if result != "no result" or len(no_result) <= 5:
                say(f"  {name}: {result}")
        if len(no_result) > 5:
            say(f"  {len(no_result)} tests have no result, from {no_result[0]}")
    summary = f"{args.name}: {len(passed)} passed, {len(failed)} failed"
    if skipped:
        summary += f", {len(skipped)} skipped"
    say(summary)

    try:
        with open(os.path.join(res_dir, "summary.txt"), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(out_lines) + "\n")
    except OSError:
        pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
