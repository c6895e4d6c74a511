#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the leaf results of a (possibly nested) KTAP document.

  python3 -m tests.lib.ktap_count FILE   prints "PASSED FAILED SKIPPED"

A result line that closes a subtest is not a leaf; it only counts (as a
failure) when it says "not ok" although none of its children failed, which
is what a test that crashed or timed out looks like.
"""

import re
import sys

RESULT = re.compile(r"^( *)(ok|not ok) \d+\b(.*)$")


def count(lines):
    passed = failed = skipped = 0
    children = {}        # indent -> (results seen, failures seen) below it
    for line in lines:
        m = RESULT.match(line.rstrip("\n"))
        if not m:
            continue
        depth = len(m.group(1))
        ok = m.group(2) == "ok"
        skip = "# SKIP" in m.group(3).upper()
        seen, bad = children.pop(depth + 4, (0, 0))
        if seen:
            if not ok and not bad:
                failed += 1
        elif skip:
            skipped += 1
        elif ok:
            passed += 1
        else:
            failed += 1
        s, b = children.get(depth, (0, 0))
        children[depth] = (s + 1, b + (not ok))
    return passed, failed, skipped


if __name__ == "__main__":
    with open(sys.argv[1], errors="replace") as f:
        print(*count(f))
