# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the scenarios' "nothing happened" checks on made-up
outcomes: a check that counts zero of something may only pass on a trace
that shows the SMMU at work where it looks (review r3, findings 4, 5, 7).

Run: python3 -m unittest discover -s tests/e2e -t . -p 'test_*.py' -v
"""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

from tests.e2e import scenarios as S
from tests.e2e.rig import DUMP_SID, NET_SID
from tests.oracle.report import DERIVED_KINDS, Window


class FakeReport:
    """The parts of oracle.report.Report the checks read: event counts per
    (phase, SID, kind), trace-event counts per (phase, name), and the line
    statistics."""

    def __init__(self, counts: dict | None = None,
                 events: dict | None = None, unparsed: int = 0):
        self.counts = counts or {}
        self.events = events or {}
        self.lines = {"unparsed": unparsed,
                      "unparsed_examples": ["x"] * min(unparsed, 1)}
        self.windows: list = []
        self.regs: dict = {}
        self.crashkernel = None     # the DT boots' fixed reservation

    @staticmethod
    def _phases(phase) -> list[str]:
        if phase is None:
            return list(S.AFTER_CRASH) + ["first"]
        return [phase] if isinstance(phase, str) else list(phase)

    def count(self, kind, phase=None, sid=None) -> int:
        kinds = DERIVED_KINDS.get(kind, (kind,))
        sids = (None if sid is None else {sid} if isinstance(sid, int)
                else set(sid))
        return sum(n for (ph, s, k), n in self.counts.items()
                   if ph in self._phases(phase) and k in kinds
                   and (sids is None or s in sids))

    def event_count(self, name, phase=None) -> int:
        return sum(n for (ph, e), n in self.events.items()
                   if ph in self._phases(phase) and e == name)

    def phase_range(self, phase):
        return (0, None)

    def present(self, phase) -> bool:
        return phase in self._phases(None)

    def windows_in(self, phase=None) -> list:
        return self.windows

    def writes(self, reg=None, phase=None) -> list:
        return self.regs.get(reg, [])


# A run in which every device did DMA in every phase, nothing was aborted
# or untranslated, and the crash kernel wrote PCI config space
BUSY = {(ph, sid, "success"): 10 for ph in ["first"] + S.AFTER_CRASH
        for sid in (DUMP_SID, NET_SID)}
CFG = {(ph, "pci_cfg_write"): 5 for ph in S.CRASH_KERNEL}

# The "== 0" checks of the scenarios, and the phases they read
ZERO_CHECKS = {
    "zero bypassed transactions": S.check_no_bypass,
    "no aborts after the crash without DMA": S.check_no_dma_idle,
    "0 aborts for kept dump disk": S.check_kept(DUMP_SID),
    "kept NIC not reset": S.check_reset(NET_SID, False),
    "nothing untranslated once the crash kernel probed":
        S.check_untranslated_after_probe,
    "NIC never untranslated": S.check_never_untranslated(NET_SID),
}


def outcome(report, run_dir: Path, **run) -> S.Outcome:
    return S.Outcome(run=run, report=report, run_dir=run_dir)


def verdict(check, o: S.Outcome) -> tuple[bool | None, str]:
    """As scenarios.evaluate() judges one check."""
    sc = S.Scenario("t", "project", "1", checks=[("t", check)])
    [(_, ok, msg)] = list(S.evaluate(sc, o))
    return ok, msg


class TestZeroChecks(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_pass_on_a_busy_trace(self) -> None:
        # Positive control: the fake report is one the checks accept
        bad = [(what, msg) for what, check in ZERO_CHECKS.items()
               for ok, msg in [verdict(check, outcome(FakeReport(BUSY, CFG),
                                                      self.dir))]
               if ok is not True]
        self.assertEqual(bad, [])

    def test_no_trace_fails(self) -> None:
        # No trace.log: nothing was observed, so nothing "did not happen"
        bad = [(what, ok, msg) for what, check in ZERO_CHECKS.items()
               for ok, msg in [verdict(check, outcome(None, self.dir))]
               if ok is not False or "no trace.log" not in msg]
        self.assertEqual(bad, [])

    def test_trace_without_dma_fails(self) -> None:
        # The translate events were not recorded (renamed, left out of the
        # events file): a trace without any DMA outcome proves nothing
        # (config writes, not DMA, for the resets: below)
        bad = [(what, ok, msg) for what, check in ZERO_CHECKS.items()
               if what != "kept NIC not reset"
               for ok, msg in [verdict(check, outcome(FakeReport({}, CFG),
                                                      self.dir))]
               if ok is not False or "no DMA outcome at all" not in msg]
        self.assertEqual(bad, [])
        ok, msg = verdict(S.check_reset(NET_SID, False),
                          outcome(FakeReport(BUSY, {}), self.dir))
        self.assertIs(ok, False, msg)
        self.assertIn("no pci_cfg_write event", msg)

    def test_unparsed_trace_lines_fail(self) -> None:
        # A translate line the oracle could not parse is counted nowhere:
        # "0 untranslated" would be a guess
        bad = [(what, ok, msg) for what, check in ZERO_CHECKS.items()
               if what != "kept NIC not reset"
               for ok, msg in [verdict(check, outcome(
                   FakeReport(BUSY, CFG, unparsed=3), self.dir))]
               if ok is not False or "could not parse" not in msg]
        self.assertEqual(bad, [])

    def test_unknown_trace_event_fails(self) -> None:
        (self.dir / "qemu.stderr").write_text(
            "qemu-system-aarch64: -trace events=x: WARNING: trace event "
            "'smmuv3_translate_bypass' does not exist\n")
        ok, msg = verdict(S.check_no_bypass,
                          outcome(FakeReport(BUSY, CFG), self.dir))
        self.assertIs(ok, False, msg)
        self.assertIn("does not exist", msg)

    def test_planted_pointer_check_needs_smmu_reads(self) -> None:
        # No read event of the SMMU at all after the crash: the planted
        # pointers were not shown to be avoided
        planted = [("0x50000000", 0x1000)]
        trace = self.dir / "trace.log"
        trace.write_text("")
        ok, msg = verdict(S.check_planted_never_read,
                          outcome(FakeReport(BUSY), self.dir,
                                  planted=planted))
        self.assertIs(ok, False, msg)
        self.assertIn("no read of the SMMU at all", msg)
        # The SMMU read an STE elsewhere: a verdict
        trace.write_text("1@1.000001:smmuv3_get_ste STE addr: 0x60000000\n")
        ok, msg = verdict(S.check_planted_never_read,
                          outcome(FakeReport(BUSY), self.dir,
                                  planted=planted))
        self.assertIs(ok, True, msg)
        trace.write_text("1@1.000001:smmuv3_get_ste STE addr: 0x50000040\n")
        ok, msg = verdict(S.check_planted_never_read,
                          outcome(FakeReport(BUSY), self.dir,
                                  planted=planted))
        self.assertIs(ok, False, msg)



class TestIdleEvidence(unittest.TestCase):
    """Checks whose event may legitimately never happen (an idle kept
    device, an SMMU that is never disabled, DMA that never lands in
    crash-kernel memory) need other evidence that the run was observed
    (user-space review of session 23, findings 3 and 5)."""

    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def test_kept_sid_with_an_flr_fails(self) -> None:
        # An idle dump disk shows no abort whether kept or not; the project
        # resets every PCI function whose DMA it aborted
        counts = dict(BUSY)
        counts[("crashk", DUMP_SID, "flr")] = 1
        ok, msg = verdict(S.check_kept(DUMP_SID),
                          outcome(FakeReport(counts, CFG), self.dir))
        self.assertIs(ok, False, msg)
        self.assertIn("Function Level Resets in the crash kernel: 1", msg)

    def test_no_disable_window_needs_crash_kernel_cr0_writes(self) -> None:
        report = FakeReport(BUSY, CFG)
        ok, msg = verdict(S.check_no_disable_window, outcome(report, self.dir))
        self.assertIs(ok, False, msg)
        self.assertIn("no CR0 write by the crash kernel", msg)
        report.regs = {"CR0": ["a write"]}
        ok, msg = verdict(S.check_no_disable_window, outcome(report, self.dir))
        self.assertIs(ok, True, msg)
        report.regs["STRTAB_BASE"] = ["a write"]
        ok, msg = verdict(S.check_no_disable_window, outcome(report, self.dir))
        self.assertIs(ok, False, msg)

    def test_no_dma_into_crashkernel_needs_translations(self) -> None:
        trace = self.dir / "trace.log"
        trace.write_text("")
        ok, msg = verdict(S.check_no_dma_into_crashkernel,
                          outcome(FakeReport(BUSY, CFG), self.dir))
        self.assertIs(ok, False, msg)
        self.assertIn("no translation at all", msg)
        line = ("1@1.000001:smmuv3_translate_success smmuv3-iommu-memory-"
                "region-0-2 sid=0x100 iova=0x1000 translated=0x{:x} "
                "perm=0x3 stage=1\n")
        trace.write_text(line.format(0x41000000))
        ok, msg = verdict(S.check_no_dma_into_crashkernel,
                          outcome(FakeReport(BUSY, CFG), self.dir))
        self.assertIs(ok, True, msg)
        trace.write_text(line.format(S.CRASHKERNEL_RANGE[0] + 0x1000))
        ok, msg = verdict(S.check_no_dma_into_crashkernel,
                          outcome(FakeReport(BUSY, CFG), self.dir))
        self.assertIs(ok, False, msg)

    def test_stock_nic_idle_at_the_reset_is_not_a_verdict(self) -> None:
        # The NIC translated through the old table early in the probe and
        # ran out of rx buffers before the reset: nothing to abort (skip);
        # one that translates after the reset, before its attach, without
        # an abort, fails
        counts = dict(BUSY)
        counts[("ckprobe", NET_SID, "success")] = 51
        report = FakeReport(counts, CFG)
        report.windows = [Window(start_us=2_000_000, end_us=None)]
        trace = self.dir / "trace.log"
        cfgi = "1@3.000000:smmuv3_cmdq_cfgi_ste streamid= 0x300\n"
        late = ("1@2.500000:smmuv3_translate_success smmuv3-iommu-memory-"
                "region-0-2 sid=0x300 iova=0x1000 translated=0x41000000 "
                "perm=0x3 stage=1\n")
        trace.write_text(cfgi)
        ok, msg = verdict(S.check_stock_aborts_nic, outcome(report, self.dir))
        self.assertIs(ok, None, msg)
        self.assertIn("before the reset", msg)
        trace.write_text(late + cfgi)
        ok, msg = verdict(S.check_stock_aborts_nic, outcome(report, self.dir))
        self.assertIs(ok, False, msg)


if __name__ == "__main__":
    unittest.main()
