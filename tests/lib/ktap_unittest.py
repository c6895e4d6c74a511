#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the Python unittest suites of a directory and print KTAP.

  python3 -m tests.lib.ktap_unittest PREFIX DIR [PATTERN]

DIR is a package under the repository's top directory (e.g. tests/oracle;
run from the top directory or with it in PYTHONPATH).  One KTAP line per
test case, named "PREFIX: <test id>" with the id relative to DIR
("test_ktap.TestKtap.test_plan"); exit status 1 when a test fails or errors
(or none ran).
"""

import os
import sys
import unittest


class KtapResult(unittest.TestResult):
    def __init__(self, prefix: str, package: str, total: int):
        super().__init__()
        self.prefix = prefix
        self.package = package
        self.n = 0
        self.bad = 0
        print("KTAP version 1")
        print(f"1..{total}", flush=True)

    def _emit(self, test, ok: bool, extra: str = "", detail: str = "") -> None:
        self.n += 1
        for line in detail.rstrip().splitlines():
            print(f"# {line}")
        name = f"{self.prefix}: {test.id().removeprefix(self.package)}"
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
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    suite = unittest.defaultTestLoader.discover(start, pattern=pattern,
                                                top_level_dir=top)
    package = os.path.relpath(os.path.abspath(start), top).replace(os.sep, ".")
    result = KtapResult(prefix, package + ".", suite.countTestCases())
    suite.run(result)
    return 1 if result.bad or result.n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
