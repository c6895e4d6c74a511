#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the KUnit KTAP a kernel printed on its console into flat KTAP.

  python3 -m tests.kunit.ktap_flatten CONSOLE_LOG [NAME]

Each leaf test becomes "ok N - NAME: <suite>: <case>[: <param>]" (NAME
defaults to "kunit"; tests/kunit/run.sh -n gives e.g. "kunit 7.2").  Exit
status 1 if a test failed, if no suite ran, or if the log stops in the
middle of a suite (the kernel crashed while testing).
"""

import re
import sys

PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(ok|not ok) (\d+) (?:- )?(.*?)(?:\s+#\s*(SKIP.*))?$")
SUBTEST = re.compile(r"^# Subtest: (.*)$")


def parse(lines):
    """Yield (path, ok, skip) for each leaf result."""
    stack = []           # (indent, name or None) of open subtests
    pending = []         # names announced by "# Subtest:" not yet closed
    has_children = {}    # depth -> whether results were seen below
    for raw in lines:
        line = PREFIX.sub("", raw.rstrip("\r\n"))
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4
        m = SUBTEST.match(stripped)
        if m:
            # "# Subtest:" sits at the indentation of the subtest's children.
            pending.append((indent, m.group(1)))
            continue
        m = RESULT.match(stripped)
        if not m:
            continue
        ok, name, skip = m.group(1) == "ok", m.group(3), m.group(4)
        suites = [n for d, n in pending if d <= indent]
        leaf = not has_children.get(indent + 1)
        has_children[indent + 1] = False
        has_children[indent] = True
        # This result closes every subtest announced deeper than it.
        pending = [(d, n) for d, n in pending if d <= indent]
        if indent == 0 and not suites:
            continue
        if leaf:
            yield suites + [name], ok, skip
        elif not ok and not skip:
            # A parent that failed without a failing child (e.g. crashed).
            yield suites + [name, "(suite)"], ok, skip


def main() -> int:
    prefix = sys.argv[2] if len(sys.argv) > 2 else "kunit"
    with open(sys.argv[1], errors="replace") as f:
        text = f.read().splitlines()
    results = list(parse(text))
    started = sum(1 for l in text if "# Subtest:" in l and
                  len(PREFIX.sub("", l)) - len(PREFIX.sub("", l).lstrip()) == 4)
    print("KTAP version 1")
    if not results:
        print("1..1")
        print(f"not ok 1 - {prefix}: no KUnit suite ran (see the console log)")
        tail = [l for l in text if l.strip()][-15:]
        for l in tail:
            print(f"# {l}")
        return 1
    print(f"1..{len(results)}")
    bad = 0
    for i, (path, ok, skip) in enumerate(results, 1):
        name = f"{prefix}: " + ": ".join(path)
        suffix = f" # {skip}" if skip else ""
        print(f"{'ok' if ok else 'not ok'} {i} - {name}{suffix}")
        bad += not ok
    if started and any("Kernel panic" in l and "VFS" not in l for l in text):
        print("# warning: the kernel panicked for another reason than the root mount")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
