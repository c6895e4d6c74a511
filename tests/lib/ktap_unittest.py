#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the Python unittest suites of a directory and print KTAP.

  ktap_unittest.py PREFIX DIR [PATTERN]

One KTAP line per test case, named "PREFIX: <test id>"; exit status 1 when a
test fails or errors (or none ran).
"""

import sys
import unittest


class KtapResult(unittest.TestResult):
    def __init__(self, prefix: str, total: int):
        super().__init__()
        self.prefix = prefix
        self.n = 0
        self.bad = 0
        print("KTAP version 1")
        print(f"1..{total}", flush=True)

    def _emit(self, test, ok: bool, extra: str = "", detail: str = "") -> None:
        self.n += 1
        for line in detail.rstrip().splitlines():
            print(f"# {line}")
        name = f"{self.prefix}: {test.id()}"
        print(f"{'ok' if ok else 'not ok'} {self.n} - {name}{extra}", flush=True)
        self.bad += not ok

    def addSuccess(self, test):
        self._emit(test, True)

    def addFailure(self, test, err):
        self._emit(test, False, detail=self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self._emit(test, False, detail=self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self._emit(test, True, f" # SKIP {reason}")

    def addExpectedFailure(self, test, err):
        self._emit(test, True)

    def addUnexpectedSuccess(self, test):
        self._emit(test, False, detail="unexpected success")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    prefix, start = sys.argv[1], sys.argv[2]
    pattern = sys.argv[3] if len(sys.argv) > 3 else "test*.py"
    sys.path.insert(0, start)
    suite = unittest.defaultTestLoader.discover(start, pattern=pattern,
                                                top_level_dir=start)
    result = KtapResult(prefix, suite.countTestCases())
    suite.run(result)
    return 1 if result.bad or result.n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
