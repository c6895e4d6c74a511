# SPDX-License-Identifier: GPL-2.0
"""Unit tests for ktap.py."""

from __future__ import annotations

import io
import re
import unittest

from tests.oracle.ktap import KSFT_FAIL, KSFT_PASS, KSFT_SKIP, Ktap

#: KTAP v1 line grammar (header, plan, result, diagnostic).
_LINE = re.compile(r"KTAP version 1|1\.\.\d+( # SKIP.*)?|"
                   r"(not )?ok \d+ - [^#\n]*( # SKIP.*)?|#( .*)?")


class TestKtap(unittest.TestCase):
    def setUp(self) -> None:
        self.buf = io.StringIO()

    def lines(self) -> list[str]:
        out = self.buf.getvalue().splitlines()
        for line in out:
            self.assertRegex(line, _LINE)
            self.assertTrue(_LINE.fullmatch(line), line)
        return out

    def test_pass_run(self) -> None:
        k = Ktap(plan=2, out=self.buf)
        k.ok("first")
        k.result(True, "second", diag="detail")
        self.assertEqual(k.finish(), KSFT_PASS)
        self.assertEqual(self.lines(), [
            "KTAP version 1", "1..2", "ok 1 - first", "# detail",
            "ok 2 - second",
            "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0"])

    def test_fail_run(self) -> None:
        k = Ktap(plan=3, out=self.buf)
        k.ok("a")
        k.not_ok("b", diag="count = 5, expected == 0\nsecond line")
        k.skip("c", "no QEMU")
        self.assertEqual(k.finish(), KSFT_FAIL)
        out = self.lines()
        self.assertIn("not ok 2 - b", out)
        self.assertIn("# count = 5, expected == 0", out)
        self.assertIn("# second line", out)
        self.assertIn("ok 3 - c # SKIP no QEMU", out)
        self.assertEqual(
            out[-1], "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0")

    def test_check_with_expect_tuple(self) -> None:
        k = Ktap(out=self.buf)
        self.assertFalse(k.check((False, "abort = 5: FAIL"), "kept sid # 0x300"))
        self.assertTrue(k.check((True, "ok"), "no bypass"))
        self.assertEqual(k.finish(), KSFT_FAIL)
        out = self.lines()
        # trailing plan, '#' removed from the description
        self.assertEqual(out[1:4], ["# abort = 5: FAIL",
                                    "not ok 1 - kept sid _ 0x300", "# ok"])
        self.assertEqual(out[-2], "1..2")

    def test_plan_mismatch_fails(self) -> None:
        k = Ktap(plan=3, out=self.buf)
        k.ok("only one")
        self.assertEqual(k.finish(), KSFT_FAIL)
        self.assertIn("# planned 3 tests but ran 1", self.lines())

    def test_all_skipped(self) -> None:
        k = Ktap(plan=1, out=self.buf)
        k.skip("x")
        self.assertEqual(k.finish(), KSFT_SKIP)
        self.assertIn("ok 1 - x # SKIP", self.lines())

    def test_skip_all(self) -> None:
        k = Ktap(out=self.buf)
        self.assertEqual(k.skip_all("qemu-system-aarch64 missing"), KSFT_SKIP)
        self.assertEqual(k.finish(), KSFT_SKIP)
        self.assertEqual(self.lines(), [
            "KTAP version 1", "1..0 # SKIP qemu-system-aarch64 missing"])
        with self.assertRaises(RuntimeError):
            k.ok("late")

    def test_misuse(self) -> None:
        k = Ktap(plan=1, out=self.buf)
        with self.assertRaises(RuntimeError):
            k.skip_all("too late: plan given")
        k.ok("a")
        k.finish()
        with self.assertRaises(RuntimeError):
            k.finish()
        with self.assertRaises(ValueError):
            Ktap(plan=-1, out=io.StringIO())

    def test_empty_run_with_trailing_plan(self) -> None:
        k = Ktap(out=self.buf)
        self.assertEqual(k.finish(), KSFT_PASS)
        self.assertEqual(self.lines()[1], "1..0")


if __name__ == "__main__":
    unittest.main()
