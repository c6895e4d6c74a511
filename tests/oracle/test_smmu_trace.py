# SPDX-License-Identifier: GPL-2.0
"""Unit tests for smmu_trace.py: synthetic traces and serial logs.

Run: python3 -m unittest discover -s tests/oracle -t . -v
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout
from typing import Any

from tests.oracle import phases, report, smmu_model
from tests.oracle import smmu_trace as st
from tests.oracle.smmu_trace import analyse, expect, expect_write

T0 = 1_732_181_234_000_000  # trace epoch, microseconds
CK = (0x6EE00000, 0x7EE00000)
MR_NET = "smmuv3-iommu-memory-region-0-3"
MR_DUMP = "smmuv3-iommu-memory-region-0-1"
MR_DATA = "smmuv3-iommu-memory-region-0-2"


def ts(t_us: int) -> str:
    a = T0 + t_us
    return "%d.%06d" % divmod(a, 1_000_000)


class Trace:
    """Builds a QEMU log-backend trace (times in us from T0)."""

    def __init__(self, tid: int = 4242) -> None:
        self.tid = tid
        self.lines: list[str] = []

    def ev(self, t: int, name: str, args: str = "") -> "Trace":
        self.lines.append("%d@%s:%s %s" % (self.tid, ts(t), name, args))
        return self

    def raw(self, text: str) -> "Trace":
        self.lines.append(text)
        return self

    def w(self, t: int, off: int, val: int, size: int = 4) -> "Trace":
        return self.ev(t, "smmuv3_write_mmio",
                       "addr: 0x%x val:0x%x size: 0x%x(0)" % (off, val, size))

    def r(self, t: int, off: int, val: int, size: int = 4) -> "Trace":
        return self.ev(t, "smmuv3_read_mmio",
                       "addr: 0x%x val:0x%x size: 0x%x(0)" % (off, val, size))

    def success(self, t: int, sid: int, iova: int, pa: int,
                mr: str = MR_NET, n: int = 1) -> "Trace":
        for i in range(n):
            self.ev(t + i, "smmuv3_translate_success",
                    "%s sid=0x%x iova=0x%x translated=0x%x perm=0x3 stage=1"
                    % (mr, sid, iova, pa))
        return self

    def abort(self, t: int, sid: int, iova: int = 0xFFFF0000, w: int = 1,
              mr: str = MR_NET, n: int = 1) -> "Trace":
        for i in range(n):
            self.ev(t + i, "smmuv3_translate_abort",
                    "%s sid=0x%x abort on iova:0x%x is_write=%d"
                    % (mr, sid, iova, w))
        return self

    def disable(self, t: int, sid: int, iova: int, w: int = 1,
                mr: str = MR_NET, n: int = 1) -> "Trace":
        for i in range(n):
            self.ev(t + i, "smmuv3_translate_disable",
                    "%s sid=0x%x bypass (smmu disabled) iova:0x%x is_write=%d"
                    % (mr, sid, iova, w))
        return self

    def bypass(self, t: int, sid: int, iova: int, w: int = 1,
               mr: str = MR_NET, n: int = 1) -> "Trace":
        for i in range(n):
            self.ev(t + i, "smmuv3_translate_bypass",
                    "%s sid=0x%x STE bypass iova:0x%x is_write=%d"
                    % (mr, sid, iova, w))
        return self

    def tfail(self, mr: str, iova: int, evt: str) -> "Trace":
        return self.raw("%s translation failed for iova=0x%x (%s)"
                        % (mr, iova, evt))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Serial:
    """Builds the host-stamped serial TSV (times in us from T0)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, t: int, text: str) -> "Serial":
        self.lines.append("%.6f\t%s" % ((T0 + t) / 1e6, text))
        return self

    def mark(self, t: int, name: str, ktime: float = 12.5) -> "Serial":
        return self.line(t, "[%12.6f] RIG-MARK %s" % (ktime, name))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


S = 1_000_000  # one second in us


def stock_run() -> tuple[Trace, Serial]:
    """A stock-6.12-like run: first kernel, crash, reset in the crash kernel.

    SID 0x300 (NIC) does DMA throughout; SID 0x100 (dump disk) in crashk.
    """
    tr, se = Trace(), Serial()
    tr.ev(0, "smmu_reset_exit")
    tr.ev(10, "smmu_add_mr", MR_NET)
    # first kernel probe at 1 s
    tr.r(1 * S, 0x0, 0xD44101B)
    tr.r(1 * S + 10, 0x20, 0x0)
    tr.w(1 * S + 20, 0x80, 0x41000000, size=8)
    tr.w(1 * S + 30, 0x88, 0x10210)
    tr.w(1 * S + 40, 0x90, 0x42000008, size=8)
    tr.w(1 * S + 50, 0x9C, 0)
    tr.w(1 * S + 60, 0xA0, 0x43000007, size=8)
    tr.w(1 * S + 70, 0xA8, 0)          # EVTQ_PROD, page-1 alias
    tr.w(1 * S + 80, 0x100AC, 0)       # EVTQ_CONS, unmasked page-1
    tr.w(1 * S + 90, 0x20, 0x8)        # CMDQEN
    tr.ev(1 * S + 95, "smmuv3_cmdq_opcode", "<--- SMMU_CMD_CFGI_STE_RANGE")
    tr.ev(1 * S + 96, "smmuv3_cmdq_cfgi_ste_range", "start=0x0 - end=0xffffffff")
    tr.w(1 * S + 97, 0x98, 1)          # CMDQ_PROD (hot)
    tr.w(1 * S + 100, 0x20, 0xC)
    tr.w(1 * S + 110, 0x20, 0xD)       # SMMUEN -> window from reset closes
    tr.ev(1 * S + 120, "smmuv3_cmdq_cfgi_ste", "streamid= 0x300")
    tr.ev(1 * S + 130, "smmuv3_find_ste_2lvl",
          "strtab_base:0x41000000 l1ptr:0x41000018 l1_off:0x3, "
          "l2ptr:0x44000000 l2_off:0x0 max_l2_ste:255")
    tr.success(2 * S, 0x300, 0x1000, 0x50000000, n=3)       # outside CK
    tr.success(2 * S + 10, 0x300, 0x2000, 0x6EE00000, n=2)  # inside CK
    tr.success(2 * S + 20, 0x300, 0x3000, 0x7EE00000)       # end: outside
    # crash marker at 3 s; dying kernel still unmapping (CMDQ_PROD)
    tr.w(3 * S + 100, 0x98, 7)
    tr.r(3 * S + 110, 0x9C, 7)
    tr.success(3 * S + 200, 0x300, 0x4000, 0x51000000, n=4)
    # crash kernel probe at 4 s
    tr.r(4 * S, 0x0, 0xD44101B)
    tr.r(4 * S + 10, 0x20, 0xD)
    tr.r(4 * S + 20, 0x80, 0x41000000, size=8)
    tr.w(4 * S + 30, 0x44, 0x80100000)  # GBPA UPDATE|ABORT
    tr.r(4 * S + 40, 0x44, 0x100000)
    tr.w(4 * S + 50, 0x20, 0x0)         # SMMU off: window opens
    tr.abort(4 * S + 1000, 0x300, n=5)  # GBPA aborts in the window
    tr.w(4 * S + 2000, 0x80, 0x6F000000)  # split STRTAB_BASE write
    tr.w(4 * S + 2010, 0x84, 0x0)
    tr.w(4 * S + 2020, 0x88, 0x10210)
    tr.w(4 * S + 2030, 0x20, 0x8)
    tr.w(4 * S + 7050, 0x20, 0x9)       # SMMUEN: window closes (7000 us)
    tr.raw("invalid sid=768 (L1STD span=0)")
    tr.tfail(MR_NET, 0xFFFF1000, "SMMU_EVT_C_BAD_STREAMID")
    tr.tfail(MR_NET, 0xFFFF2000, "SMMU_EVT_C_BAD_STREAMID")
    tr.ev(4 * S + 8000, "smmuv3_cmdq_consume_error",
          "Error on SMMU_CMD_CFGI_STE command execution: 1")
    tr.ev(4 * S + 8001, "smmuv3_write_gerror", "toggled=0x1, new GERROR=0x1")
    tr.ev(4 * S + 8002, "smmuv3_write_gerrorn", "acked=0x1, new GERRORN=0x1")
    tr.w(4 * S + 8003, 0x64, 0x1)
    # crash-userspace at 5 s
    tr.abort(5 * S + 100, 0x300, n=5, w=0)   # STE abort (SMMU enabled)
    tr.ev(5 * S + 200, "smmuv3_record_event", "SMMU_EVT_F_TRANSLATION sid=0x100")
    tr.ev(5 * S + 201, "smmuv3_record_event", "SMMU_EVT_C_BAD_STE sid=0x100")
    tr.ev(5 * S + 210, "smmuv3_cmdq_cfgi_ste", "streamid= 0x100")
    tr.ev(5 * S + 211, "smmuv3_cmdq_cfgi_cd", "sid=0x100")
    tr.ev(5 * S + 220, "smmuv3_find_ste_2lvl",
          "strtab_base:0x6f000000 l1ptr:0x6f000008 l1_off:0x1, "
          "l2ptr:0x6f100000 l2_off:0x0 max_l2_ste:255")
    tr.success(5 * S + 300, 0x100, 0x5000, 0x6F200000, mr=MR_DUMP, n=2)
    tr.ev(5 * S + 400, "smmuv3_cmdq_tlbi_nh_asid", "asid=1")
    tr.ev(5 * S + 401, "smmu_iotlb_inv_all", "IOTLB invalidate all")
    tr.ev(5 * S + 402, "smmuv3_cmdq_tlbi_nsnh", "")
    tr.ev(6 * S, "smmuv3_translate_success_frobnicated", "x=1")  # unknown
    se.line(0, "Booting Linux on physical CPU 0x0000000000 [0x000f0510]")
    se.line(900_000, "crashkernel reserved: 0x000000006ee00000 - "
                     "0x000000007ee00000 (256 MB)")
    se.mark(2 * S + 500_000, "first-ready")
    se.mark(3 * S, "crash")
    se.line(3 * S + 5_000, "[   13.000000] sysrq: Trigger a crash")
    se.line(3 * S + 300_000, "[   13.100000] Starting crashdump kernel...")
    se.line(3 * S + 600_000, "[    0.000000] Booting Linux on physical CPU 0x0")
    se.mark(5 * S, "crash-userspace", ktime=1.2)
    return tr, se


class Base(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_files(self, tr: Trace, se: Serial | None,
                  **kw: Any) -> report.Report:
        tp = os.path.join(self.tmp.name, "trace.log")
        with open(tp, "w") as f:
            f.write(tr.text())
        sp = None
        if se is not None:
            sp = os.path.join(self.tmp.name, "serial.tsv")
            with open(sp, "w") as f:
                f.write(se.text())
        return analyse(tp, sp, **kw)


class TestStockRun(Base):
    def setUp(self) -> None:
        super().setUp()
        tr, se = stock_run()
        self.rep = self.run_files(tr, se, crashkernel=CK)

    def test_phases(self) -> None:
        r = self.rep
        self.assertEqual([s.name for s in r.segments],
                         ["first", "dying", "ckprobe", "crashk"])
        self.assertEqual(r.absent, {})
        self.assertEqual(r.phase_range("dying"), (T0 + 3 * S, T0 + 4 * S))
        self.assertEqual(r.phase_range("crashk")[0], T0 + 5 * S)
        self.assertEqual(r.ckprobe_cut["first_access"], "read IDR0")
        self.assertIn("Starting crashdump kernel", r.ckprobe_cut["rule"])
        self.assertEqual(r.ckprobe_cut["dying_mmio"], 2)

    def test_translation_counts(self) -> None:
        r = self.rep
        self.assertEqual(r.count("success", "first", 0x300), 6)
        self.assertEqual(r.count("success_in_crashkernel", "first", 0x300), 2)
        self.assertEqual(r.count("success", "dying", 0x300), 4)
        self.assertEqual(r.count("abort", "ckprobe", 0x300), 5)
        self.assertEqual(r.count("abort_smmu_disabled", "ckprobe", 0x300), 5)
        self.assertEqual(r.count("abort_write", "ckprobe", 0x300), 5)
        self.assertEqual(r.count("abort", "crashk", 0x300), 5)
        self.assertEqual(r.count("abort_smmu_disabled", "crashk", 0x300), 0)
        self.assertEqual(r.count("abort_write", "crashk", 0x300), 0)
        self.assertEqual(r.count("success", "crashk", 0x100), 2)
        self.assertEqual(r.count("success_in_crashkernel", "crashk", 0x100), 2)
        self.assertEqual(r.count("success"), 12)
        self.assertEqual(r.count("abort"), 10)
        self.assertEqual(r.count("abort", ["ckprobe", "crashk"], 0x300), 10)
        self.assertEqual(r.count("untranslated"), 0)
        self.assertEqual(r.sids("crashk"), [0x100, 0x300])

    def test_guest_error_translation_failed(self) -> None:
        r = self.rep
        # unprefixed guest-error lines get the preceding line's time: ckprobe
        self.assertEqual(r.count("translation_failed", "ckprobe", 0x300), 2)
        self.assertEqual(r.count(
            "translation_failed:SMMU_EVT_C_BAD_STREAMID", "ckprobe", 0x300), 2)
        self.assertEqual(r.count("l1std_invalid", "ckprobe", 0x300), 1)
        self.assertEqual(r.count("blocked", "ckprobe", 0x300), 7)
        self.assertEqual(r.guest_errors["ckprobe"][
            "translation failed (SMMU_EVT_C_BAD_STREAMID)"], 2)
        self.assertEqual(r.guest_errors["ckprobe"][
            "invalid sid=N (L1STD span=N)"], 1)
        self.assertEqual(r.region_sids[MR_NET]["source"], "trace")

    def test_record_event_and_commands(self) -> None:
        r = self.rep
        self.assertEqual(r.count("record_event", "crashk", 0x100), 2)
        self.assertEqual(r.count("record_event:SMMU_EVT_F_TRANSLATION",
                                 "crashk", 0x100), 1)
        self.assertEqual(r.count("record_event:SMMU_EVT_C_BAD_STE",
                                 "crashk", 0x100), 1)
        self.assertEqual(r.count("cfgi_ste", "first", 0x300), 1)
        self.assertEqual(r.count("cfgi_ste", "crashk", 0x100), 1)
        self.assertEqual(r.count("cfgi_cd", "crashk", 0x100), 1)
        self.assertEqual(r.count("cfgi_ste_range", "first"), 1)
        self.assertEqual(r.cfgi_ranges["first"], {"0x0-0xffffffff": 1})
        self.assertEqual(r.count("cmdq_error", "ckprobe"), 1)
        self.assertEqual(r.cmdq_errors["ckprobe"], {"SMMU_CMD_CFGI_STE:1": 1})
        self.assertEqual(r.count("gerror", "ckprobe"), 1)
        self.assertEqual([g["event"] for g in r.gerror], ["gerror", "gerrorn"])
        self.assertEqual(r.count("cmdq_opcode:SMMU_CMD_CFGI_STE_RANGE"), 1)
        for name in ("smmuv3_cmdq_tlbi_nh_asid", "smmu_iotlb_inv_all",
                     "smmuv3_cmdq_tlbi_nsnh"):
            self.assertEqual(r.event_count(name, "crashk"), 1, name)
        self.assertEqual(r.event_count("smmu_reset_exit", "first"), 1)
        # unknown event counted by name, not an error
        self.assertEqual(r.event_count("smmuv3_translate_success_frobnicated"), 1)
        self.assertEqual(r.lines["unparsed"], 0)

    def test_register_timeline(self) -> None:
        r = self.rep
        ck = [(w.reg, w.value) for w in r.writes(phase="ckprobe")]
        self.assertEqual(ck[:2], [("GBPA", 0x80100000), ("CR0", 0)])
        cr0 = r.writes("CR0", "ckprobe")[0]
        self.assertFalse(cr0.flags["SMMUEN"])
        gb = r.writes("GBPA", "ckprobe")[0]
        self.assertTrue(gb.flags["ABORT"] and gb.flags["UPDATE"])
        self.assertEqual(gb.effective, 0x100000)
        self.assertEqual([w.value for w in r.writes("CR0", "first")],
                         [0x8, 0xC, 0xD])
        self.assertTrue(r.writes("CR0", "first")[2].flags["EVTQEN"])
        # hot register: counted, not in the timeline
        self.assertEqual(r.reg_write_counts["dying"]["CMDQ_PROD"], 1)
        with self.assertRaises(ValueError):
            r.writes("CMDQ_PROD")
        # first values read by the crash kernel
        fr = r.to_dict()["first_reads"]["ckprobe"]
        self.assertEqual(fr["CR0"]["value"], "0xd")
        self.assertEqual(fr["STRTAB_BASE"]["value"], "0x41000000")

    def test_page1_offsets(self) -> None:
        # EVTQ_CONS is a hot register: counted, in the timeline only on demand
        self.assertEqual(self.rep.reg_write_counts["first"]["EVTQ_CONS"], 1)
        tr, se = stock_run()
        rep = self.run_files(tr, se, timeline_hot=True)
        regs = {w.reg: w for w in rep.writes(phase="first")}
        self.assertIn("EVTQ_PROD", regs)
        self.assertFalse(regs["EVTQ_PROD"].page1)
        self.assertIn("EVTQ_CONS", regs)
        self.assertTrue(regs["EVTQ_CONS"].page1)
        self.assertEqual(regs["EVTQ_CONS"].offset, 0xAC)

    def test_strtab(self) -> None:
        d = self.rep.to_dict()["strtab"]
        first = d["first"]["STRTAB_BASE"]
        self.assertEqual([(e["value"], e["size"], e["effective"]) for e in first],
                         [("0x41000000", 8, "0x41000000")])
        ck = d["ckprobe"]["STRTAB_BASE"]
        self.assertEqual([(e["reg"], e["effective"]) for e in ck],
                         [("STRTAB_BASE", "0x6f000000"),
                          ("STRTAB_BASE_HI", "0x6f000000")])
        cfg = d["ckprobe"]["STRTAB_BASE_CFG"][0]
        self.assertEqual(cfg["flags"], {"FMT": "2-level", "SPLIT": 8,
                                        "LOG2SIZE": 16})

    def test_l2_tables(self) -> None:
        l2 = self.rep.to_dict()["l2_tables"]
        self.assertEqual(l2["first"]["0x300"]["l2ptr"], {"0x44000000": 1})
        self.assertEqual(l2["crashk"]["0x100"]["l2ptr"], {"0x6f100000": 1})
        self.assertEqual(l2["crashk"]["0x100"]["strtab_base"],
                         {"0x6f000000": 1})

    def test_windows(self) -> None:
        ws = self.rep.windows
        self.assertEqual(len(ws), 2)
        w0, w1 = ws
        self.assertTrue(w0.from_reset)
        self.assertEqual(w0.end_us, T0 + 1 * S + 110)
        self.assertEqual(w0.gbpa_abort, "never")
        self.assertEqual(w1.start_phase, "ckprobe")
        self.assertEqual(w1.duration_us, 7000)
        self.assertEqual(w1.gbpa_abort, "always")
        self.assertTrue(w1.gbpa_abort_at_start)
        self.assertEqual(w1.counts.get("abort"), 5)
        self.assertEqual(w1.sids[0x300]["abort"], 5)
        self.assertFalse(w1.open)
        self.assertEqual(self.rep.windows_in("ckprobe"), [w1])
        self.assertEqual(self.rep.windows_in(["first", "dying"]), [w0])
        self.assertEqual(self.rep.windows_in("crashk"), [])

    def test_crashkernel_hits_json(self) -> None:
        d = self.rep.to_dict()
        self.assertEqual(d["crashkernel_hits"]["first"]["0x300"],
                         {"success": 2, "disable": 0, "bypass": 0})
        self.assertEqual(d["inputs"]["crashkernel"],
                         {"start": "0x6ee00000", "end": "0x7ee00000",
                          "source": "given"})

    def test_expect(self) -> None:
        r = self.rep
        ok, msg = expect(r, "abort", "crashk", 0x300, "==", 0)
        self.assertFalse(ok)
        self.assertIn("= 5", msg)
        self.assertIn("FAIL", msg)
        ok, msg = expect(r, "abort", "crashk", 0x300, "==", 5)
        self.assertTrue(ok, msg)
        ok, _ = expect(r, "untranslated", None, None, "==", 0)
        self.assertTrue(ok)
        ok, _ = expect(r, "success", "dying", 0x300, ">", 4)
        self.assertFalse(ok)
        ok, _ = expect(r, "success", "dying", 0x300, "ge", 4)
        self.assertTrue(ok)
        with self.assertRaises(ValueError):
            expect(r, "abort", "crashk", 0x300, "=~", 0)
        ok, msg = expect(r, "abort", "no-such-phase", None, "==", 0)
        self.assertFalse(ok)
        self.assertIn("unknown phase", msg)

    def test_expect_write(self) -> None:
        r = self.rep
        ok, msg = expect_write(r, "GBPA", "ckprobe", smmu_model.GBPA_ABORT,
                               mask=smmu_model.GBPA_ABORT)
        self.assertTrue(ok, msg)
        ok, msg = expect_write(r, "CR0", "ckprobe", 0)
        self.assertTrue(ok, msg)
        # deliberately wrong: "the crash kernel never turned SMMUEN off"
        ok, msg = expect_write(r, "CR0", "ckprobe", 0,
                               mask=smmu_model.CR0_SMMUEN,
                               present=False)
        self.assertFalse(ok)
        self.assertIn("FAIL", msg)
        ok, msg = expect_write(r, "GBPA", "crashk")
        self.assertFalse(ok)
        self.assertIn("not seen", msg)

    def test_json_and_summary(self) -> None:
        d = self.rep.to_dict()
        for key in ("phases", "absent_phases", "counts", "totals",
                    "crashkernel_hits", "register_writes", "disabled_windows",
                    "strtab", "l2_tables", "lines", "events", "guest_errors",
                    "region_sids", "markers", "ckprobe_cut"):
            self.assertIn(key, d)
        json.dumps(d)
        self.assertEqual(d["counts"]["crashk"]["sids"]["0x300"]["abort"], 5)
        self.assertEqual(d["totals"]["abort"], 10)
        self.assertEqual(d["counts"]["ckprobe"]["total"]["blocked"], 7)
        win = d["disabled_windows"][1]
        self.assertEqual((win["duration_us"], win["gbpa_abort"]),
                         (7000, "always"))
        txt = self.rep.summary()
        self.assertIn("ckprobe", txt)
        self.assertIn("GBPA.ABORT=always", txt)


class TestPhaseCutting(Base):
    def base_trace(self) -> Trace:
        tr = Trace()
        tr.ev(0, "smmu_reset_exit")
        tr.w(1 * S, 0x20, 0xD)
        tr.success(2 * S, 0x300, 0x1000, 0x50000000)
        tr.success(3 * S + 1000, 0x300, 0x1000, 0x50000000)
        tr.r(4 * S, 0x0, 0xD44101B)
        tr.success(4 * S + 500_000, 0x300, 0x1000, 0x50000000)
        tr.success(5 * S + 1000, 0x300, 0x1000, 0x50000000)
        return tr

    def test_all_markers_gap_rule(self) -> None:
        se = Serial().mark(3 * S, "crash").mark(5 * S, "crash-userspace")
        r = self.run_files(self.base_trace(), se)
        self.assertEqual([s.name for s in r.segments],
                         ["first", "dying", "ckprobe", "crashk"])
        self.assertIn("quiet gap", r.ckprobe_cut["rule"])
        self.assertEqual(r.phase_range("ckprobe"), (T0 + 4 * S, T0 + 5 * S))
        for p in ("first", "dying", "ckprobe", "crashk"):
            self.assertEqual(r.count("success", p, 0x300), 1, p)

    def test_missing_crash_marker(self) -> None:
        se = Serial().mark(5 * S, "crash-userspace")
        r = self.run_files(self.base_trace(), se)
        self.assertEqual([s.name for s in r.segments],
                         ["first+dying+ckprobe", "crashk"])
        for p in ("first", "dying", "ckprobe"):
            self.assertIn(p, r.absent)
            with self.assertRaises(phases.PhaseAbsentError):
                r.count("success", p)
        self.assertEqual(r.count("success", "first+dying+ckprobe"), 3)
        self.assertEqual(r.count("success", "crashk"), 1)
        ok, msg = expect(r, "abort", "dying", 0x300, "==", 0)
        self.assertFalse(ok)
        self.assertIn("absent", msg)

    def test_missing_userspace_marker(self) -> None:
        se = Serial().mark(3 * S, "crash")
        r = self.run_files(self.base_trace(), se)
        self.assertEqual([s.name for s in r.segments],
                         ["first", "dying", "ckprobe+crashk"])
        self.assertIn("ckprobe", r.absent)
        self.assertIn("crashk", r.absent)
        self.assertEqual(r.count("success", "ckprobe+crashk"), 2)
        self.assertEqual(r.count("success", "dying"), 1)

    def test_no_markers_no_serial(self) -> None:
        r = self.run_files(self.base_trace(), None)
        self.assertEqual([s.name for s in r.segments],
                         ["first+dying+ckprobe+crashk"])
        self.assertEqual(set(r.absent), set(phases.BASE_PHASES))
        self.assertEqual(r.count("success"), 4)

    def test_no_crash_kernel_mmio(self) -> None:
        tr = Trace()
        tr.w(1 * S, 0x20, 0xD)
        tr.success(2 * S, 0x300, 0x1000, 0x50000000)
        tr.success(4 * S, 0x300, 0x1000, 0x50000000)
        tr.success(6 * S, 0x300, 0x1000, 0x50000000)
        se = Serial().mark(3 * S, "crash").mark(5 * S, "crash-userspace")
        r = self.run_files(tr, se)
        self.assertEqual([s.name for s in r.segments],
                         ["first", "dying+ckprobe", "crashk"])
        self.assertIn("dying", r.absent)
        self.assertIn("ckprobe", r.absent)
        self.assertEqual(r.count("success", "dying+ckprobe"), 1)

    def test_dying_mmio_not_cut_with_gap_rule(self) -> None:
        """CMDQ traffic of the dying kernel right after the marker must not
        be taken for the crash kernel's probe."""
        tr = self.base_trace()
        tr.lines.insert(3, "4242@%s:smmuv3_write_mmio addr: 0x98 val:0x5 "
                           "size: 0x4(0)" % ts(3 * S + 200))
        tr.lines.insert(4, "4242@%s:smmuv3_read_mmio addr: 0x9c val:0x5 "
                           "size: 0x4(0)" % ts(3 * S + 20_000))
        se = Serial().mark(3 * S, "crash").mark(5 * S, "crash-userspace")
        r = self.run_files(tr, se)
        self.assertEqual(r.phase_range("ckprobe")[0], T0 + 4 * S)
        self.assertEqual(r.ckprobe_cut["dying_mmio"], 2)
        self.assertEqual(r.reg_write_counts["dying"], {"CMDQ_PROD": 1})
        # with a huge gap requirement the probe is not found at all
        r2 = self.run_files(tr, se, probe_gap_ms=5000)
        self.assertIn("ckprobe", r2.absent)

    def test_crashdump_line_anchor(self) -> None:
        tr = self.base_trace()
        tr.lines.insert(3, "4242@%s:smmuv3_write_mmio addr: 0x98 val:0x5 "
                           "size: 0x4(0)" % ts(3 * S + 200))
        se = (Serial().mark(3 * S, "crash")
              .line(3 * S + 100_000, "[ 9.1] Starting crashdump kernel...")
              .mark(5 * S, "crash-userspace"))
        r = self.run_files(tr, se, probe_gap_ms=5000)  # gap rule unused
        self.assertEqual(r.phase_range("ckprobe")[0], T0 + 4 * S)
        self.assertIn("Starting crashdump kernel", r.ckprobe_cut["rule"])

    def test_extra_cuts(self) -> None:
        se = (Serial().mark(2 * S - 1, "first-ready").mark(3 * S, "crash")
              .mark(5 * S, "crash-userspace").mark(5 * S + 500, "dump-start"))
        r = self.run_files(self.base_trace(), se,
                           extra_cuts=["first-ready", "dump-start", "nope"])
        self.assertEqual([s.name for s in r.segments],
                         ["first", "first-ready", "dying", "ckprobe",
                          "crashk", "dump-start"])
        # base phases keep their full extent; extra cuts are sub-phases
        self.assertEqual(r.count("success", "first"), 1)
        self.assertEqual(r.count("success", "first-ready"), 1)
        self.assertEqual(r.count("success", "crashk"), 1)
        self.assertEqual(r.count("success", "dump-start"), 1)
        self.assertIn("nope", r.absent)
        with self.assertRaises(phases.PhaseAbsentError):
            r.count("success", "nope")
        # a window opening inside an extra sub-phase belongs to it (and to
        # its base phase), not to the base phase's first segment alone
        self.assertEqual(r.windows_in("first"), r.windows[:1])
        self.assertEqual(r.windows_in("first-ready"), [])
        with self.assertRaises(ValueError):
            self.run_files(self.base_trace(), se, extra_cuts=["crashk"])

    def test_marker_in_echoed_command_is_ignored(self) -> None:
        se = (Serial().line(3 * S - 10, "# echo RIG-MARK crash > /dev/kmsg")
              .mark(3 * S, "crash").mark(5 * S, "crash-userspace"))
        r = self.run_files(self.base_trace(), se)
        self.assertEqual(r.markers["crash"], [T0 + 3 * S])

    def test_userspace_marker_before_crash_ignored(self) -> None:
        se = (Serial().mark(1 * S, "crash-userspace").mark(3 * S, "crash")
              .mark(5 * S, "crash-userspace"))
        r = self.run_files(self.base_trace(), se)
        self.assertEqual(r.phase_range("crashk")[0], T0 + 5 * S)


class TestLines(Base):
    def test_guest_error_timestamps_and_classes(self) -> None:
        tr = Trace()
        tr.raw("guest toggles non pending errors = 0x1")  # before any time
        tr.success(1 * S, 0x200, 0x1000, 0x50000000, mr=MR_DATA)
        tr.raw("Illegal command type: 255")
        tr.raw("Illegal command type: 17")
        tr.tfail(MR_DATA, 0x1234, "SMMU_EVT_F_TRANSLATION")
        tr.ev(3 * S + 10, "smmuv3_read_mmio", "addr: 0x9c val:0x1 size: 0x4(0)")
        tr.raw("Illegal command type: 3")   # dying
        tr.ev(4 * S, "smmuv3_read_mmio", "addr: 0x0 val:0x1 size: 0x4(0)")
        tr.tfail(MR_DATA, 0x1234, "no recorded event")
        tr.raw("Some future message with 0xdead and 42")
        se = Serial().mark(3 * S, "crash").mark(5 * S, "crash-userspace")
        r = self.run_files(tr, se)
        ge = r.guest_errors
        self.assertEqual(ge["first"]["Illegal command type: N"], 2)
        self.assertEqual(ge["first"]["guest toggles non pending errors = N"], 1)
        self.assertEqual(r.count("translation_failed", "first", 0x200), 1)
        self.assertEqual(r.count("translation_failed:no recorded event",
                                 "ckprobe", 0x200), 1)
        self.assertEqual(ge["ckprobe"]["Some future message with N and N"], 1)
        self.assertEqual(ge["dying"]["Illegal command type: N"], 1)
        self.assertEqual(r.lines["guest_error"], 7)
        self.assertEqual(r.lines["before_first_timestamp"], 1)
        self.assertEqual(r.count("guest_error", "first"), 4)

    def test_region_learned_later_and_unresolved(self) -> None:
        tr = Trace()
        tr.ev(10, "smmuv3_read_mmio", "addr: 0x0 val:0x1 size: 0x4(0)")
        tr.tfail(MR_DUMP, 0x1000, "SMMU_EVT_C_BAD_STREAMID")
        tr.tfail("smmuv3-iommu-memory-region-24-5", 0x1000,
                 "SMMU_EVT_C_BAD_STREAMID")
        tr.success(2 * S, 0x100, 0x1000, 0x50000000, mr=MR_DUMP)
        r = self.run_files(tr, None)
        self.assertEqual(r.count("translation_failed", sid=0x100), 1)
        self.assertEqual(r.count("translation_failed", sid="unattributed"), 1)
        self.assertEqual(r.count("translation_failed"), 2)
        d = r.to_dict()
        ph = r.phase_names[0]
        self.assertEqual(d["unresolved_regions"][ph],
                         {"smmuv3-iommu-memory-region-24-5":
                          {"translation_failed": 1}})
        # a region map from the command line resolves it
        r2 = self.run_files(tr, None, region_map={
            "smmuv3-iommu-memory-region-24-5": 0x18})
        self.assertEqual(r2.count("translation_failed", sid=0x18), 1)
        self.assertEqual(r2.count("translation_failed", sid="unattributed"), 0)

    def test_weak_region_mapping(self) -> None:
        tr = Trace()
        tr.ev(10, "smmuv3_read_mmio", "addr: 0x0 val:0x1 size: 0x4(0)")
        tr.raw("invalid sid=512 (L1STD span=0)")
        tr.tfail(MR_DATA, 0x1000, "SMMU_EVT_C_BAD_STREAMID")
        tr.tfail(MR_DATA, 0x2000, "SMMU_EVT_C_BAD_STREAMID")
        r = self.run_files(tr, None)
        self.assertEqual(r.count("translation_failed", sid=0x200), 2)
        self.assertIn("weak", r.region_sids[MR_DATA]["source"])

    def test_shared_region_adjacent_sid(self) -> None:
        # PCI re-enumeration in the crash kernel clears the bus number of
        # a live NIC for a moment: its region is seen with SID 0 and 0x300.
        tr = Trace()
        tr.success(10, 0x300, 0x1000, 0x41000000, n=3)
        tr.success(20, 0x0, 0x1000, 0x41000000, n=2)
        tr.raw("invalid sid=768 (L1STD span=0)")
        tr.tfail(MR_NET, 0x1000, "SMMU_EVT_C_BAD_STREAMID")
        tr.raw("invalid sid=768 (L1STD span=0)")
        tr.tfail(MR_NET, 0x2000, "SMMU_EVT_C_BAD_STREAMID")
        tr.tfail(MR_NET, 0x3000, "SMMU_EVT_C_BAD_STE")  # no SID line
        r = self.run_files(tr, None)
        self.assertEqual(r.count("translation_failed", sid=0x300), 2)
        self.assertEqual(r.count("translation_failed", sid="unattributed"),
                         1)
        self.assertTrue(any("several SIDs" in n for n in r.notes))

    def test_malformed_and_unknown_lines(self) -> None:
        tr = Trace()
        tr.ev(0, "smmu_reset_exit")
        tr.raw("4242@notatime:smmuv3_write_mmio addr: 0x20 val:0x1 size: 0x4(0)")
        tr.raw("4242@%s:smmuv3_write_mmio garbage" % ts(5))
        tr.raw("4242@%s:smmuv3_translate_success only-one-field" % ts(6))
        tr.raw("4242@%s:smmuv3_translate_abort mr sid=zz abort on iova:0x1 "
               "is_write=1" % ts(7))
        tr.raw("4242@%s:smmuv3_record_event SMMU_EVT_F_UUT" % ts(8))
        tr.raw("4242@%s:" % ts(9))
        tr.raw("")
        tr.ev(10, "smmuv3_config_cache_hit",
              "Config cache HIT for sid=0x300 (hits=1, misses=1, hit rate=50)")
        tr.ev(11, "some_other_event", "a=b")
        tr.raw("smmuv3_cmdq_cfgi_ste streamid= 0x300")  # no prefix (timestamp=off)
        r = self.run_files(tr, None)
        self.assertEqual(r.lines["unparsed"], 6)
        self.assertEqual(len(r.lines["unparsed_examples"]), 6)
        self.assertEqual(r.lines["blank"], 1)
        self.assertEqual(r.lines["untimestamped_events"], 1)
        self.assertEqual(r.count("cfgi_ste", sid=0x300), 1)
        self.assertEqual(r.event_count("smmuv3_config_cache_hit"), 1)
        self.assertEqual(r.event_count("some_other_event"), 1)
        self.assertEqual(r.event_count("smmuv3_write_mmio (unparsed)"), 1)
        self.assertEqual(r.count("unparsed"), 6)
        self.assertEqual(r.reg_writes, [])

    def test_function_level_resets(self) -> None:
        tr = Trace()
        tr.ev(0, "smmu_reset_exit")
        # Initiate FLR in the Device Control register (PCIe cap at 0x40)
        tr.ev(1, "pci_cfg_write", "virtio-net-pci 03:00.0 @0x48 <- 0x8000")
        tr.ev(2, "pci_cfg_write", "virtio-blk-pci 01:00.0 @0x48 <- 0x802f")
        # BAR and ROM sizing, MSI-X control (not dword aligned), a word
        # wider than the register: no reset
        tr.ev(3, "pci_cfg_write", "virtio-net-pci 03:00.0 @0x30 <- 0xfffff800")
        tr.ev(4, "pci_cfg_write", "virtio-net-pci 03:00.0 @0x10 <- 0xffffffff")
        tr.ev(5, "pci_cfg_write", "virtio-net-pci 03:00.0 @0xde <- 0xc003")
        tr.ev(6, "pci_cfg_write", "virtio-blk-pci 02:01.3 @0x48 <- 0x18000")
        tr.ev(7, "pci_cfg_write", "garbage")
        r = self.run_files(tr, None)
        self.assertEqual(r.count("flr", sid=0x300), 1)
        self.assertEqual(r.count("flr", sid=0x100), 1)
        self.assertEqual(r.count("flr", sid=0x20b), 0)
        self.assertEqual(r.count("flr"), 2)
        self.assertEqual(r.event_count("pci_cfg_write"), 6)
        self.assertEqual(r.lines["unparsed"], 1)

    def test_region_with_two_sids_stays_unattributed(self) -> None:
        tr = Trace()
        tr.success(10, 0x100, 0x1000, 0x50000000, mr=MR_DUMP)
        tr.success(20, 0x108, 0x1000, 0x50000000, mr=MR_DUMP)
        tr.tfail(MR_DUMP, 0x1000, "SMMU_EVT_F_TRANSLATION")
        r = self.run_files(tr, None)
        self.assertEqual(r.count("translation_failed", sid="unattributed"), 1)
        self.assertEqual(r.count("translation_failed", sid=[0x100, 0x108]), 0)
        self.assertTrue(any("several SIDs" in n for n in r.notes))
        self.assertEqual(r.region_sids[MR_DUMP]["sids"],
                         {"0x100": 1, "0x108": 1})

    def test_translate_event_counts_and_bad_sid(self) -> None:
        tr = Trace()
        tr.success(10, 0x300, 0x1000, 0x50000000, n=3)
        tr.abort(20, 0x300, n=2)
        tr.disable(30, 0x300, 0x1000)
        tr.bypass(40, 0x300, 0x1000)
        tr.raw("4242@%s:smmuv3_translate_success %s sid=0xZZ iova=0x1 "
               "translated=0x2 perm=0x3 stage=1" % (ts(50), MR_NET))
        r = self.run_files(tr, None, crashkernel=CK)
        self.assertEqual(r.event_count("smmuv3_translate_success"), 3)
        self.assertEqual(r.event_count("smmuv3_translate_abort"), 2)
        self.assertEqual(r.event_count("smmuv3_translate_disable"), 1)
        self.assertEqual(r.event_count("smmuv3_translate_bypass"), 1)
        self.assertEqual(r.count("success"), 3)
        self.assertEqual(r.lines["unparsed"], 1)
        self.assertEqual(r.lines["events"], 7)
        self.assertEqual(r.count("unparsed"), 1)
        self.assertIn("sid=0xZZ", r.lines["unparsed_examples"][0])

    def test_rejected_mmio_write_not_applied(self) -> None:
        tr = Trace()
        tr.w(10, 0x20, 0xD)
        tr.raw("4242@%s:smmuv3_write_mmio addr: 0x20 val:0x0 size: 0x2(1)"
               % ts(20))
        r = self.run_files(tr, None)
        self.assertEqual(len(r.windows), 1)  # only the one from reset
        self.assertEqual(r.writes("CR0")[1].note, "MemTxResult 1: not applied")

    def test_duplicate_extra_cut(self) -> None:
        tr = Trace().success(2 * S, 0x300, 0x1000, 0x50000000)
        se = Serial().mark(1 * S, "go")
        r = self.run_files(tr, se, extra_cuts=["go", "go"])
        self.assertEqual([s.name for s in r.segments],
                         ["first+dying+ckprobe+crashk", "go"])
        self.assertEqual(r.count("success", "go"), 1)

    def test_real_qemu_10_0_2_lines(self) -> None:
        """Lines captured from qemu-system-aarch64 10.0.2 on this host (a
        bare-metal probe poking the SMMU; -msg timestamp=on -d guest_errors)."""
        text = """\
9463@1795255275.536736:smmu_add_mr smmuv3-iommu-memory-region-0-0
9463@1795255275.538162:smmu_reset_exit 
9497@1795255275.538634:smmuv3_read_mmio addr: 0x0 val:0xd44101b size: 0x4(0)
9497@1795255275.538690:smmuv3_write_mmio addr: 0x44 val:0x80100000 size: 0x4(0)
9497@1795255275.538736:smmuv3_write_mmio addr: 0x44 val:0x1000 size: 0x4(0)
9497@1795255275.538778:smmuv3_read_mmio addr: 0x44 val:0x100000 size: 0x4(0)
9497@1795255275.538892:smmuv3_write_mmio addr: 0x20 val:0x0 size: 0x4(0)
9497@1795255275.538933:smmuv3_write_mmio addr: 0x80 val:0x140001000 size: 0x8(0)
9497@1795255275.538966:smmuv3_write_mmio addr: 0x80 val:0x40001000 size: 0x4(0)
9497@1795255275.538999:smmuv3_write_mmio addr: 0x84 val:0x1 size: 0x4(0)
9497@1795255275.539029:smmuv3_write_mmio addr: 0x88 val:0x10210 size: 0x4(0)
9497@1795255275.539058:smmuv3_write_mmio addr: 0xa8 val:0x0 size: 0x4(0)
9497@1795255275.539086:smmuv3_read_mmio addr: 0xac val:0x0 size: 0x4(0)
guest toggles non pending errors = 0x1
9497@1795255275.539113:smmuv3_write_gerrorn acked=0x0, new GERRORN=0x1
9497@1795255275.539115:smmuv3_write_mmio addr: 0x64 val:0x1 size: 0x4(0)
14341@1795255280.415354:smmuv3_write_mmio addr: 0x20 val:0x8 size: 0x4(0)
14341@1795255280.415366:smmuv3_cmdq_consume prod=1 cons=0 prod.wrap=0 cons.wrap=0
14341@1795255280.415369:smmuv3_cmdq_opcode <--- INVALID
Illegal command type: 255
14341@1795255280.415372:smmuv3_cmdq_consume_error Error on INVALID command execution: 1
14341@1795255280.415374:smmuv3_write_gerror toggled=0x1, new GERROR=0x1
14341@1795255280.415376:smmuv3_cmdq_consume_out prod:1, cons:0, prod_wrap:0, cons_wrap:0 
14341@1795255280.415377:smmuv3_write_mmio addr: 0x98 val:0x1 size: 0x4(0)
14341@1795255280.415841:smmuv3_write_mmio addr: 0x20 val:0xd size: 0x4(0)
"""
        tr = Trace()
        tr.lines = text.splitlines()
        r = self.run_files(tr, None)
        self.assertEqual(r.lines["unparsed"], 0)
        self.assertEqual(r.lines["guest_error"], 2)
        self.assertEqual(r.lines["events"], len(tr.lines) - 2)
        gb = r.writes("GBPA")
        self.assertEqual([w.note for w in gb], [None, "ignored: UPDATE not set"])
        self.assertEqual(gb[1].effective, 0x100000)
        sb = r.writes("STRTAB_BASE_HI")[0]
        self.assertEqual(sb.effective, 0x140001000)
        self.assertEqual(r.writes("EVTQ_PROD")[0].offset, 0xA8)
        self.assertEqual(r.count("cmdq_error"), 1)
        self.assertEqual(len(r.windows), 1)
        w = r.windows[0]
        self.assertEqual(w.end_us, 1795255280_415841)
        self.assertEqual(w.gbpa_abort, "partly")


class TestStrtabWrites(Base):
    def test_64bit_and_split_writes(self) -> None:
        tr = Trace()
        tr.w(10, 0x80, 0x140001000, size=8)     # 64-bit
        tr.w(20, 0x80, 0x50000000)              # low half only
        tr.w(30, 0x84, 0x2)                     # high half only
        tr.w(40, 0x84, 0x0)
        tr.w(50, 0x80, 0x6F000040)              # low half, RA bit untouched
        tr.w(60, 0x90, 0x1234)                  # CMDQ_BASE low half
        tr.w(70, 0x94, 0x1)                     # CMDQ_BASE high half
        r = self.run_files(tr, None)
        eff = [w.effective for w in r.writes("STRTAB_BASE")] + \
              [w.effective for w in r.writes("STRTAB_BASE_HI")]
        self.assertEqual(sorted(eff), sorted([
            0x140001000, 0x150000000, 0x6F000040, 0x250000000, 0x50000000]))
        seq = [(w.reg, w.effective) for w in r.reg_writes
               if w.reg.startswith("STRTAB")]
        self.assertEqual(seq, [
            ("STRTAB_BASE", 0x140001000), ("STRTAB_BASE", 0x150000000),
            ("STRTAB_BASE_HI", 0x250000000), ("STRTAB_BASE_HI", 0x50000000),
            ("STRTAB_BASE", 0x6F000040)])
        self.assertEqual(r.writes("STRTAB_BASE")[-1].flags["ADDR"], "0x6f000040")
        self.assertEqual(r.writes("CMDQ_BASE_HI")[0].effective, 0x100001234)


class TestWindows(Base):
    def test_window_without_gbpa_abort_and_open_end(self) -> None:
        tr = Trace()
        tr.ev(0, "smmu_reset_exit")
        tr.w(1 * S, 0x20, 0xD)
        tr.w(2 * S, 0x20, 0x0)                       # off, GBPA = 0x1000
        tr.disable(2 * S + 100, 0x300, 0x6F000000, n=3)  # inside CK
        tr.disable(2 * S + 200, 0x300, 0x10000000, w=0)
        tr.w(2 * S + 1000, 0x20, 0x1)                # on: 1000 us window
        tr.bypass(2 * S + 2000, 0x100, 0x6EE00000)   # STE bypass into CK
        tr.w(3 * S, 0x44, 0x00100000)                # GBPA w/o UPDATE: ignored
        tr.w(3 * S + 10, 0x20, 0x0)                  # off again
        tr.abort(3 * S + 20, 0x300)                  # trace says abort...
        tr.w(3 * S + 30, 0x44, 0x80100000)           # ABORT mid-window
        tr.abort(3 * S + 40, 0x300)
        r = self.run_files(tr, None, crashkernel="0x6ee00000-0x7ee00000")
        ws = r.windows
        self.assertEqual(len(ws), 3)
        w1, w2 = ws[1], ws[2]
        self.assertEqual(w1.duration_us, 1000)
        self.assertEqual(w1.gbpa_abort, "never")
        self.assertFalse(w1.gbpa_abort_at_start)
        self.assertEqual(w1.counts["disable"], 4)
        self.assertEqual(w1.counts["disable_write"], 3)
        self.assertEqual(w1.counts["disable_in_crashkernel"], 3)
        self.assertTrue(w2.open)
        self.assertEqual(w2.gbpa_abort, "partly")
        self.assertFalse(w2.gbpa_abort_at_start)
        self.assertEqual(w2.duration_us, 30)
        self.assertEqual(len(w2.gbpa_changes), 1)
        self.assertEqual(r.count("untranslated"), 5)
        self.assertEqual(r.count("bypass_in_crashkernel", sid=0x100), 1)
        self.assertEqual(r.count("in_crashkernel"), 4)
        self.assertEqual(r.count("abort_smmu_disabled"), 2)
        ok, msg = expect(r, "untranslated", None, None, "==", 0)
        self.assertFalse(ok, msg)
        # with an extra cut, the last window belongs to that sub-phase
        se = Serial().mark(2 * S + 5000, "late")
        r2 = self.run_files(tr, se, extra_cuts=["late"])
        self.assertEqual(r2.windows_in("late"), r2.windows[2:])
        self.assertEqual(len(r2.windows_in(r2.phase_names[0])), 3)
        self.assertEqual(r2.windows[2].start_segment, "late")

    def test_reset_while_enabled_opens_window(self) -> None:
        tr = Trace()
        tr.ev(0, "smmu_reset_exit")
        tr.w(1 * S, 0x20, 0xD)
        tr.ev(2 * S, "smmu_reset_exit")
        tr.w(3 * S, 0x20, 0xD)
        r = self.run_files(tr, None)
        self.assertEqual(len(r.windows), 2)
        self.assertTrue(r.windows[1].from_reset)
        self.assertEqual(r.windows[1].duration_us, 1 * S)


class TestHelpers(unittest.TestCase):
    def test_parse_range(self) -> None:
        self.assertEqual(phases.parse_range("0x6ee00000-0x7ee00000"), CK)
        self.assertEqual(phases.parse_range("256M@0x6ee00000"), CK)
        with self.assertRaises(ValueError):
            phases.parse_range("0x10-0x10")
        with self.assertRaises(ValueError):
            phases.parse_range("junk")

    def test_decoders(self) -> None:
        self.assertEqual(smmu_model.reg_name(0x100A8), "EVTQ_PROD")
        self.assertEqual(smmu_model.reg_name(0x44), "GBPA")
        self.assertEqual(smmu_model.reg_name(0x3FC), "OFF_0x3fc")
        c = smmu_model.decode_cr0(0xD)
        self.assertEqual((c["SMMUEN"], c["EVTQEN"], c["CMDQEN"], c["PRIQEN"]),
                         (True, True, True, False))
        g = smmu_model.decode_gbpa(0x80101000)
        self.assertEqual((g["UPDATE"], g["ABORT"], g["SHCFG"]), (True, True, 1))


class TestCli(Base):
    def test_cli_writes_json(self) -> None:
        tr, se = stock_run()
        tp = os.path.join(self.tmp.name, "t.log")
        sp = os.path.join(self.tmp.name, "s.tsv")
        jp = os.path.join(self.tmp.name, "out.json")
        with open(tp, "w") as f:
            f.write(tr.text())
        with open(sp, "w") as f:
            f.write(se.text())
        buf = io.StringIO()
        with redirect_stdout(buf):
            rc = st.main(["--trace", tp, "--serial", sp, "--crashkernel",
                          "auto", "--json", jp, "--cut", "first-ready",
                          "--region", "smmuv3-iommu-memory-region-9-9=0x42"])
        self.assertEqual(rc, 0)
        out = buf.getvalue()
        self.assertIn("Phases", out)
        self.assertIn("first-ready", out)
        with open(jp) as f:
            d = json.load(f)
        self.assertEqual(d["inputs"]["crashkernel"]["start"], "0x6ee00000")
        self.assertIn("serial", d["inputs"]["crashkernel"]["source"])
        self.assertEqual(d["counts"]["crashk"]["sids"]["0x300"]["abort"], 5)
        self.assertEqual(d["counts"]["first-ready"]["total"].get("success", 0), 0)
        self.assertEqual(d["region_sids"]["smmuv3-iommu-memory-region-9-9"]
                         ["source"], "cli")

    def test_cli_missing_file(self) -> None:
        buf = io.StringIO()
        with redirect_stdout(buf), \
                open(os.devnull, "w") as dn, \
                _redirect_stderr(dn):
            rc = st.main(["--trace", os.path.join(self.tmp.name, "nope")])
        self.assertEqual(rc, 2)


def _redirect_stderr(f: Any) -> Any:
    from contextlib import redirect_stderr
    return redirect_stderr(f)


if __name__ == "__main__":
    unittest.main()
