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

from tests.oracle.ktap import Ktap


class KtapResult(unittest.TestResult):
    """One KTAP result per test case, written as the case ends."""

    def __init__(self, prefix: str, package: str, total: int):
        super().__init__()
        self.prefix = prefix
        self.package = package
        self.k = Ktap(plan=total)

    def _name(self, test: unittest.TestCase) -> str:
        return f"{self.prefix}: {test.id().removeprefix(self.package)}"

    def addSuccess(self, test):
        self.k.ok(self._name(test))

    def addFailure(self, test, err):
        self.k.not_ok(self._name(test), self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self.k.not_ok(self._name(test), self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self.k.skip(self._name(test), reason)

    def addExpectedFailure(self, test, err):
        self.k.ok(self._name(test))

    def addUnexpectedSuccess(self, test):
        self.k.not_ok(self._name(test), "unexpected success")


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
    result.k.finish()
    return 1 if result.k.failed or result.k.n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
