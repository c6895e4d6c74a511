#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read (possibly nested) KTAP: its results with their place in the tree.

  python3 -m tests.lib.ktap_parse count FILE
      prints "PASSED FAILED SKIPPED PLANNED MISSING": the leaf results of
      FILE, the results its top-level plans announced, and how many of
      those never came (already counted as FAILED)
  python3 -m tests.lib.ktap_parse flatten CONSOLE_LOG [NAME [SUITE...]]
      the KUnit KTAP a kernel printed on its console as flat KTAP; each
      SUITE named must have run to the end of its plan

count: a result line that closes a subtest is not a leaf; it only counts
(as a failure) when it says "not ok" although none of its children failed,
which is what a test that crashed or timed out looks like.  Comment lines
(kselftest's "# Totals: ...", diagnostics) are not results.  Each result
that a top-level plan ("1..N") announced but that never came counts as a
failure: the group stopped before its end.

flatten: each leaf test becomes "ok N - NAME: <suite>: <case>[: <param>]"
(NAME defaults to "kunit"; tests/kunit/run.sh -n gives e.g. "kunit 7.2").
Exit status 1 if a test failed, if no suite ran, or if the log stops in the
middle of a suite (the kernel crashed while testing).  Each SUITE that did
not run (not built, filtered out) or did not report every case its plan
announced adds "not ok N - NAME: SUITE: (not run)" or "(ran R of P
cases)": a suite that is missing must fail the group, not leave it "ok"
on the others' results.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from typing import Iterable, Iterator

from tests.oracle.ktap import Ktap

# A kernel console line's "[    1.234567] " time stamp.
PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(ok|not ok) (\d+)\b ?(?:- )?(.*?)"
                    r"(?:\s+#\s*((?i:SKIP).*))?$")
SUBTEST = re.compile(r"^# Subtest: (.*)$")
PLAN = re.compile(r"^1\.\.(\d+)\b")


@dataclasses.dataclass
class Result:
    """One result line, with what the lines above it said about it."""
    depth: int          # nesting level (4 spaces each)
    ok: bool
    name: str
    skip: str | None    # "SKIP reason" of a skipped test
    suites: list[str]   # the enclosing subtests announced by "# Subtest:"
    children: int       # results directly below it (0: a leaf)
    failed: int         # of which "not ok"


def results(lines: Iterable[str]) -> Iterator[Result]:
    """Every result line of `lines`, console time stamps stripped."""
    pending: list[tuple[int, str]] = []   # "# Subtest:" (depth, name)
    below: dict[int, tuple[int, int]] = {}  # depth -> (results, not ok)
    for raw in lines:
        line = PREFIX.sub("", raw.rstrip("\r\n"))
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        m = SUBTEST.match(stripped)
        if m:
            # "# Subtest:" sits at the indentation of the subtest's children.
            pending.append((depth, m.group(1)))
            continue
        m = RESULT.match(stripped)
        if not m:
            continue
        ok = m.group(1) == "ok"
        children, failed = below.pop(depth + 1, (0, 0))
        n, bad = below.get(depth, (0, 0))
        below[depth] = (n + 1, bad + (not ok))
        suites = [s for d, s in pending if d <= depth]
        # This result closes every subtest announced deeper than it.
        pending = [(d, s) for d, s in pending if d <= depth]
        yield Result(depth, ok, m.group(3), m.group(4), suites, children,
                     failed)


def missing(lines: Iterable[str]) -> tuple[int, int]:
    """(planned, missing): the results that the top-level plans announced,
    and how many of them did not come."""
    planned = seen = 0
    for raw in lines:
        line = PREFIX.sub("", raw.rstrip("\r\n"))
        m = PLAN.match(line)
        if m:
            planned += int(m.group(1))
        elif RESULT.match(line):
            seen += 1
    return planned, max(0, planned - seen)


def count(lines: Iterable[str]) -> tuple[int, int, int]:
    """(passed, failed, skipped) leaf results of a KTAP document; the
    results its top-level plans announced that never came are failures."""
    lines = list(lines)
    passed = skipped = 0
    failed = missing(lines)[1]
    for r in results(lines):
        if r.children:
            failed += not r.ok and not r.failed
        elif r.skip:
            skipped += 1
        elif r.ok:
            passed += 1
        else:
            failed += 1
    return passed, failed, skipped


def suite_runs(lines: Iterable[str]) -> dict[str, tuple[int | None, int,
                                                         bool]]:
    """Per top-level KUnit suite that started ("# Subtest:" at the first
    level of indentation): the cases its plan announced (None without a
    plan), the results that came directly below it, and whether its own
    result line came."""
    runs: dict[str, tuple[int | None, int, bool]] = {}
    suite = None
    for raw in lines:
        line = PREFIX.sub("", raw.rstrip("\r\n"))
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        m = SUBTEST.match(stripped)
        if m and depth == 1:
            suite = m.group(1)
            runs[suite] = (None, 0, False)
            continue
        if suite is None:
            continue
        planned, ran, closed = runs[suite]
        m = PLAN.match(stripped)
        if m and depth == 1 and planned is None and not ran:
            runs[suite] = (int(m.group(1)), ran, closed)
        elif RESULT.match(stripped) and depth == 1:
            runs[suite] = (planned, ran + 1, closed)
        elif RESULT.match(stripped) and depth == 0:
            runs[suite] = (planned, ran, True)
            suite = None
    return runs


def flatten(text: list[str], prefix: str,
            suites: Iterable[str] = ()) -> int:
    """Print the KUnit results of a console log as flat KTAP: each leaf
    test, a suite that failed without a failing case (e.g. crashed)
    as "<suite>: (suite)", and each of `suites` that did not run to the
    end of its plan as "<suite>: (not run)" or "(ran R of P cases)"."""
    leaves = [(r.suites + [r.name] + (["(suite)"] if r.children else []),
               r.ok, r.skip) for r in results(text)
              if (r.depth or r.suites)
              and (not r.children or not r.ok and not r.skip)]
    runs = suite_runs(text)
    for suite in suites:
        if suite not in runs:
            leaves.append(([suite, "(not run)"], False, None))
            continue
        planned, ran, closed = runs[suite]
        if planned is None or ran != planned or not closed:
            leaves.append(([suite, f"(ran {ran} of "
                            f"{'?' if planned is None else planned} cases"
                            f"{'' if closed else ', no result line'})"],
                           False, None))
    if not leaves:
        k = Ktap(plan=1)
        k.not_ok(f"{prefix}: no KUnit suite ran (see the console log)")
        k.diag("\n".join([ln for ln in text if ln.strip()][-15:]))
        k.finish()
        return 1
    k = Ktap(plan=len(leaves))
    for path, ok, skip in leaves:
        name = f"{prefix}: " + ": ".join(path)
        if skip and ok:
            k.skip(name, skip[4:].strip())
        else:
            k.result(ok, name)
    started = any("# Subtest:" in ln and len(PREFIX.sub("", ln))
                  - len(PREFIX.sub("", ln).lstrip()) == 4 for ln in text)
    if started and any("Kernel panic" in ln and "VFS" not in ln
                       for ln in text):
        k.diag("warning: the kernel panicked for another reason than the "
               "root mount")
    k.finish()
    return 1 if k.failed else 0


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("count", "flatten"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], errors="replace") as f:
        if argv[0] == "count":
            lines = list(f)
            print(*count(lines), *missing(lines))
            return 0
        return flatten(f.read().splitlines(),
                       argv[2] if len(argv) > 2 else "kunit", argv[3:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
