#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of tests/lib/ktap_parse.py: what tests/run-all.sh counts."""

import contextlib
import io
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


KUNIT = ["arm-smmu-v3-kunit-test", "arm-smmu-v3-kdump-kunit-test"]


def console(*suites: tuple[str, int, int]) -> list[str]:
    """A kernel console log of KUnit suites: (name, cases planned, cases
    that reported), each closed by its result line if all reported."""
    lines = ["[    1.000000] KTAP version 1",
             f"[    1.000000] 1..{len(suites)}"]
    for i, (name, planned, ran) in enumerate(suites, 1):
        lines += ["[    1.000000]     KTAP version 1",
                  f"[    1.000000]     # Subtest: {name}",
                  f"[    1.000000]     1..{planned}"]
        lines += [f"[    1.000000]     ok {j} case_{j}"
                  for j in range(1, ran + 1)]
        if ran == planned:
            lines.append(f"[    1.000000] ok {i} {name}")
    return lines


def flatten(lines: list[str], suites: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ret = ktap_parse.flatten(lines, "kunit 7.2", suites)
    return ret, out.getvalue()


class TestFlatten(unittest.TestCase):
    """tests/kunit/run.sh names the suites that must run: the group may
    not pass on the upstream suite alone when the kdump suite was not
    built (CONFIG_ARM_SMMU_V3_KDUMP off, the KUnit object not in the
    Makefile) or stopped before the end of its plan."""

    def test_both_suites_ran(self) -> None:
        ret, out = flatten(console((KUNIT[0], 2, 2), (KUNIT[1], 3, 3)),
                           KUNIT)
        self.assertEqual(ret, 0, out)
        self.assertIn("1..5\n", out)
        self.assertNotIn("not ok", out)

    def test_kdump_suite_missing(self) -> None:
        lines = console((KUNIT[0], 2, 2))
        ret, out = flatten(lines, KUNIT)
        self.assertEqual(ret, 1)
        self.assertIn("not ok 3 - kunit 7.2: arm-smmu-v3-kdump-kunit-test: "
                      "(not run)", out)
        # Without the names, the upstream suite alone passes
        self.assertEqual(flatten(lines, [])[0], 0)

    def test_upstream_suite_missing(self) -> None:
        ret, out = flatten(console((KUNIT[1], 3, 3)), KUNIT)
        self.assertEqual(ret, 1)
        self.assertIn("arm-smmu-v3-kunit-test: (not run)", out)

    def test_suite_stopped_early(self) -> None:
        # The kernel died in the kdump suite's third case
        ret, out = flatten(console((KUNIT[0], 2, 2), (KUNIT[1], 3, 2)),
                           KUNIT)
        self.assertEqual(ret, 1)
        self.assertIn("arm-smmu-v3-kdump-kunit-test: (ran 2 of 3 cases, "
                      "no result line)", out)

    def test_suite_closed_short_of_its_plan(self) -> None:
        lines = console((KUNIT[0], 2, 2), (KUNIT[1], 3, 2))
        lines.append("[    1.000000] ok 2 arm-smmu-v3-kdump-kunit-test")
        ret, out = flatten(lines, KUNIT)
        self.assertEqual(ret, 1)
        self.assertIn("(ran 2 of 3 cases)", out)


if __name__ == "__main__":
    unittest.main()
