#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of tests/lib/ktap_parse.py: what tests/run-all.sh counts."""

import unittest

from tests.lib import ktap_parse


def doc(text: str) -> list[str]:
    return text.strip("\n").splitlines()


class TestCount(unittest.TestCase):
    def test_leaves_only(self) -> None:
        lines = doc("""
KTAP version 1
1..2
    KTAP version 1
    # Subtest: suite
    1..2
    ok 1 case a
    ok 2 case b # SKIP not here
ok 1 suite
not ok 2 flat
""")
        self.assertEqual(ktap_parse.count(lines), (1, 1, 1))

    def test_crashed_suite_counts_once(self) -> None:
        lines = doc("""
1..1
    1..2
    ok 1 a
not ok 1 suite
""")
        self.assertEqual(ktap_parse.count(lines), (1, 1, 0))

    def test_group_that_stopped_early(self) -> None:
        # The e2e runner died after 2 of its 5 planned results.
        lines = doc("""
KTAP version 1
1..5
ok 1 first
ok 2 second
""")
        self.assertEqual(ktap_parse.missing(lines), (5, 3))
        self.assertEqual(ktap_parse.count(lines), (2, 3, 0))

    def test_nested_plans_and_skipped_group(self) -> None:
        # Subtests' plans are not the document's; "1..0 # SKIP" plans none.
        lines = doc("""
TAP version 13
1..0 # SKIP no vmlinux
""")
        self.assertEqual(ktap_parse.count(lines), (0, 0, 0))
        lines = doc("""
1..1
    1..3
    ok 1 a
    ok 2 b
    ok 3 c
ok 1 suite
""")
        self.assertEqual(ktap_parse.missing(lines), (1, 0))

    def test_trailing_plan(self) -> None:
        lines = doc("""
ok 1 a
ok 2 b
1..2
""")
        self.assertEqual(ktap_parse.count(lines), (2, 0, 0))


if __name__ == "__main__":
    unittest.main()
