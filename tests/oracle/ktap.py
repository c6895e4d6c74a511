# SPDX-License-Identifier: GPL-2.0
"""The KTAP version 1 writer of the Python tests (tests/e2e/run.py,
tests/lib/ktap_unittest.py, tests/lib/ktap_parse.py flatten).

Output follows Documentation/dev-tools/ktap.rst as kselftest prints it::

    KTAP version 1
    1..3
    ok 1 - first check
    # a diagnostic line
    not ok 2 - second check
    ok 3 - third check # SKIP no QEMU
    # Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0

Exit codes are kselftest's: 0 pass, 1 fail, 4 skip (see :meth:`Ktap.finish`).

Typical use with the trace oracle::

    from tests.oracle.ktap import Ktap
    from tests.oracle.smmu_trace import analyse, expect
    k = Ktap(plan=2)
    rep = analyse(trace, serial)
    k.check(expect(rep, "untranslated", None, None, "==", 0),
            "no bypassed DMA")
    k.check(expect(rep, "abort", "crashk", 0x300, "==", 0), "0x300 kept")
    sys.exit(k.finish())
"""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["Ktap", "KSFT_PASS", "KSFT_FAIL", "KSFT_SKIP"]

KSFT_PASS = 0
KSFT_FAIL = 1
KSFT_SKIP = 4


def _clean(name: str) -> str:
    """A test description may not contain '#' or a line break."""
    return name.replace("#", "_").replace("\r", " ").replace("\n", " ").strip()


class Ktap:
    """Write one KTAP version 1 test run.

    ``plan``: the number of tests, printed right after the header; None
    prints it at :meth:`finish` instead (KTAP allows a trailing plan).
    ``out``: where to write (default stdout); every line is flushed.
    """

    def __init__(self, plan: int | None = None,
                 out: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.plan = plan
        self.n = 0
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self._finished = False
        self._skip_all = False
        self._emit("KTAP version 1")
        if plan is not None:
            if plan < 0:
                raise ValueError("negative plan")
            self._emit("1..%d" % plan)

    def _emit(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def diag(self, text: str) -> None:
        """Write ``text`` as diagnostic lines (``# `` prefixed)."""
        for line in str(text).splitlines() or [""]:
            self._emit(("# " + line).rstrip())

    def _result(self, ok: bool, name: str, directive: str = "") -> int:
        if self._finished:
            raise RuntimeError("result after finish()")
        self.n += 1
        self._emit("%s %d - %s%s" % ("ok" if ok else "not ok", self.n,
                                     _clean(name), directive))
        return self.n

    def ok(self, name: str, diag: str | None = None) -> int:
        """Report a passing test; returns its number."""
        if diag:
            self.diag(diag)
        self.passed += 1
        return self._result(True, name)

    def not_ok(self, name: str, diag: str | None = None) -> int:
        """Report a failing test; ``diag`` explains why."""
        if diag:
            self.diag(diag)
        self.failed += 1
        return self._result(False, name)

    def skip(self, name: str, reason: str = "") -> int:
        """Report a skipped test (``ok N - name # SKIP reason``)."""
        self.skipped += 1
        directive = " # SKIP" + (" " + _clean(reason) if reason else "")
        return self._result(True, name, directive)

    def result(self, ok: bool, name: str, diag: str | None = None) -> bool:
        """Report ``ok`` as pass or fail; returns ``ok``."""
        (self.ok if ok else self.not_ok)(name, diag)
        return ok

    def check(self, outcome: tuple[bool, str], name: str) -> bool:
        """Report an ``(ok, message)`` pair such as ``smmu_trace.expect``
        returns; the message becomes a diagnostic line."""
        ok, msg = outcome
        return self.result(bool(ok), name, msg)

    def skip_all(self, reason: str) -> int:
        """Skip the whole run (``1..0 # SKIP reason``); returns KSFT_SKIP.

        Only valid before any result and without an up-front plan.
        """
        if self.n or self.plan is not None:
            raise RuntimeError("skip_all() after results or a plan")
        self._emit("1..0 # SKIP %s" % _clean(reason))
        self._finished = True
        self._skip_all = True
        return KSFT_SKIP

    def finish(self) -> int:
        """Close the run and return the kselftest exit code.

        Fails if any test failed or the plan does not match the number of
        results; skips if every test was skipped; passes otherwise.
        """
        if self._skip_all:
            return KSFT_SKIP
        if self._finished:
            raise RuntimeError("finish() called twice")
        self._finished = True
        plan_ok = True
        if self.plan is None:
            self._emit("1..%d" % self.n)
        elif self.plan != self.n:
            plan_ok = False
            self.diag("planned %d tests but ran %d" % (self.plan, self.n))
        # kselftest's closing line (ksft_print_cnts())
        self.diag("Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0"
                  % (self.passed, self.failed, self.skipped))
        if self.failed or not plan_ok:
            return KSFT_FAIL
        if self.n and self.skipped == self.n:
            return KSFT_SKIP
        return KSFT_PASS
