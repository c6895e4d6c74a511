# SPDX-License-Identifier: GPL-2.0
"""Unit tests for rebase.py: re-bases and STE fetches in synthetic traces.

Run: python3 -m unittest discover -s tests/oracle -t . -v
"""

from __future__ import annotations

import os
import unittest

from tests.oracle import rebase
from tests.oracle.test_smmu_trace import S, T0, Base, Serial, Trace

OLD_L1, OLD_L2, NEW = 0x40FE4000, 0x41698000, 0x6FEFC000
RA = 1 << 62


def find(tr: Trace, t: int, sid: int, features: int,
         l2: int | None = None, addr: int | None = None,
         base: int = OLD_L1) -> Trace:
    tr.ev(t, "smmuv3_find_ste", "sid=0x%x features:0x%x, sid_split:0x%x"
          % (sid, features, 8 if features else 0))
    if l2 is not None:
        tr.ev(t + 1, "smmuv3_find_ste_2lvl",
              "strtab_base:0x%x l1ptr:0x%x l1_off:0x0, l2ptr:0x%x "
              "l2_off:0x%x max_l2_ste:255" % (RA | base, base, l2, sid))
    if addr is not None:
        tr.ev(t + 2, "smmuv3_get_ste", "STE addr: 0x%x" % addr)
    return tr


def linear_run(fixed_model: bool = True, restore_in_crashk: bool = False,
               unguarded: bool = False) -> tuple[Trace, Serial]:
    """First kernel: 2-level table, then re-based by user space onto its
    first L2 table (GBPA guarded and restored); crash kernel: guarded
    re-base onto its own linear copy.  ``fixed_model``: the model walks
    the linear tables as linear (QEMU 10.0.2 does not)."""
    tr, se = Trace(), Serial()
    feat = 0 if fixed_model else 1
    tr.ev(0, "smmu_reset_exit")
    tr.w(1 * S, 0x80, RA | OLD_L1, size=8)
    tr.w(1 * S + 10, 0x88, 0x10210)
    tr.w(1 * S + 20, 0x20, 0xD)
    find(tr, 1 * S + 100, 0x20, 1, l2=OLD_L2, addr=OLD_L2 + 0x20 * 64)
    tr.success(1 * S + 200, 0x20, 0x1000, 0x50000000, n=3)
    # user-space re-base in the first kernel
    tr.w(2 * S, 0x44, 0x80101000)
    tr.w(2 * S + 10_000, 0x20, 0xC)
    tr.w(2 * S + 20_000, 0x88, 0x8)
    tr.w(2 * S + 30_000, 0x80, RA | OLD_L2, size=8)
    tr.w(2 * S + 40_000, 0x20, 0xD)
    tr.w(2 * S + 50_000, 0x44, 0x80001000)
    # crash at 3 s; NIC keeps translating through the cached STE
    tr.success(3 * S + 100, 0x20, 0x2000, 0x50001000, n=2)
    # crash kernel at 4 s
    tr.r(4 * S, 0x0, 0xD44101B)
    tr.w(4 * S + 100, 0x44, 0x80100000)          # GBPA abort
    tr.w(4 * S + 200, 0x50, 0x0)
    tr.w(4 * S + 300, 0x20, 0x0)                 # queues off (SMMUEN 1 -> 0)
    tr.w(4 * S + 310, 0x20, 0x8)                 # CMDQEN, still off
    tr.abort(4 * S + 320, 0x20, n=4)           # GBPA aborts
    tr.w(4 * S + 400, 0x80, RA | NEW, size=8)
    tr.w(4 * S + 410, 0x88, 0x8)
    tr.w(4 * S + 1_210, 0x20, 0x9)               # SMMUEN=1: 910 us
    if restore_in_crashk:
        tr.w(4 * S + 1_300, 0x44, 0x80001000)
    find(tr, 4 * S + 2_000, 0x20, feat,
         l2=(0x0 if not fixed_model else None),
         addr=None if not fixed_model else NEW + 0x20 * 64, base=NEW)
    if fixed_model:
        tr.success(4 * S + 2_100, 0x20, 0x3000, 0x50002000, n=2)
        find(tr, 4 * S + 3_000, 0x10, 0, addr=NEW + 0x10 * 64)
    tr.success(5 * S + 100, 0x10, 0x1000, 0x6F100000, n=1)
    se.line(0, "Booting Linux on physical CPU 0x0000000000 [0x000f0510]")
    se.mark(3 * S, "crash")
    se.line(3 * S + 300_000, "[   13.100000] Starting crashdump kernel...")
    se.mark(5 * S, "crash-userspace", ktime=1.2)
    if unguarded:
        # the same, with GBPA.ABORT cleared just before SMMUEN=0
        lines = tr.lines
        i = next(i for i, l in enumerate(lines) if "addr: 0x50 " in l)
        tr.lines = lines[:i + 1]
        tr.w(4 * S + 250, 0x44, 0x80001000)
        tr.lines += lines[i + 1:]
    return tr, se


class TestRebases(Base):
    def test_first_and_crash_kernel(self) -> None:
        tr, se = linear_run()
        rep = self.run_files(tr, se)
        first = rebase.rebases(rep, "first")
        self.assertEqual(len(first), 1)
        f = first[0]
        self.assertTrue(f.guarded and f.ordered)
        self.assertEqual(f.window_us, 30_000)
        self.assertEqual(f.gbpa_span_us, 50_000)
        self.assertEqual((f.fmt, f.log2size, f.base), ("linear", 8, OLD_L2))
        ck = rebase.rebases(rep, ["dying", "ckprobe", "crashk"])
        self.assertEqual(len(ck), 1)
        c = ck[0]
        self.assertEqual(c.phase, "ckprobe")
        self.assertEqual(c.gbpa_abort_us, T0 + 4 * S + 100)
        self.assertEqual(c.smmuen_off_us, T0 + 4 * S + 300)
        self.assertEqual(c.window_us, 910)
        self.assertIsNone(c.gbpa_restore_us)   # never restored
        self.assertIsNone(c.gbpa_span_us)
        self.assertTrue(c.guarded and c.ordered)
        self.assertEqual((c.fmt, c.log2size, c.base), ("linear", 8, NEW))
        self.assertEqual([r for _, r, _ in c.steps],
                         ["GBPA", "CR0", "CR0", "STRTAB_BASE",
                          "STRTAB_BASE_CFG", "CR0"])
        self.assertIn("CR0=0x9 @+910 us", c.describe())
        self.assertIn("GBPA=0x80100000 @-200 us", c.describe())

    def test_gbpa_restored(self) -> None:
        tr, se = linear_run(restore_in_crashk=True)
        c = rebase.rebases(self.run_files(tr, se), "ckprobe")[0]
        self.assertEqual(c.gbpa_restore_us, T0 + 4 * S + 1_300)
        self.assertEqual(c.gbpa_span_us, 1_200)
        self.assertTrue(c.ordered)

    def test_unguarded(self) -> None:
        tr, se = linear_run(unguarded=True)
        c = rebase.rebases(self.run_files(tr, se), "ckprobe")[0]
        self.assertIsNone(c.gbpa_abort_us)
        self.assertFalse(c.guarded)
        self.assertFalse(c.ordered)

    def test_open_window(self) -> None:
        tr, se = linear_run()
        tr.lines = [l for l in tr.lines if "addr: 0x20 val:0x9 " not in l]
        c = rebase.rebases(self.run_files(tr, se), "ckprobe")[0]
        self.assertIsNone(c.smmuen_on_us)
        self.assertIsNone(c.window_us)
        self.assertFalse(c.ordered)

    def test_ignored_gbpa_write(self) -> None:
        # without UPDATE the model ignores the write: no guard
        tr, se = linear_run()
        tr.lines = [l.replace("val:0x80100000", "val:0x100000")
                    for l in tr.lines]
        c = rebase.rebases(self.run_files(tr, se), "ckprobe")[0]
        self.assertFalse(c.guarded)


class TestSteFetches(Base):
    def fetches(self, tr: Trace, start: int = 0) -> list[rebase.SteFetch]:
        p = os.path.join(self.tmp.name, "t.log")
        with open(p, "w") as f:
            f.write(tr.text())
        return list(rebase.ste_fetches(p, T0 + start))

    def test_linear_model(self) -> None:
        tr, _ = linear_run()
        fe = self.fetches(tr)
        self.assertEqual([(x.sid, x.two_level, x.addr) for x in fe],
                         [(0x20, True, OLD_L2 + 0x800),
                          (0x20, False, NEW + 0x800),
                          (0x10, False, NEW + 0x400)])
        self.assertEqual(fe[0].l2ptr, OLD_L2)
        after = self.fetches(tr, 4 * S + 1_210)
        self.assertEqual(len(after), 2)
        self.assertIsNone(rebase.linear_walk_problem(after, NEW, 8))
        # the wrong base is noticed
        self.assertIn("not 0x%x" % (OLD_L2 + 0x800),
                      rebase.linear_walk_problem(after, OLD_L2, 8))

    def test_sticky_2lvl_model(self) -> None:
        # QEMU 10.0.2: after FMT=linear, still a 2-level walk that reads
        # the first STE as an L1 descriptor and finds no STE
        tr, _ = linear_run(fixed_model=False)
        after = self.fetches(tr, 4 * S + 1_210)
        self.assertEqual(len(after), 1)
        self.assertTrue(after[0].two_level)
        self.assertIsNone(after[0].addr)
        msg = rebase.linear_walk_problem(after, NEW, 8)
        self.assertIn("walked the linear table as a 2-level one", msg)

    def test_no_lookup(self) -> None:
        self.assertEqual(rebase.linear_walk_problem([], NEW, 8),
                         "no STE lookup after the switch")

    def test_2lvl_feature_without_2lvl_walk(self) -> None:
        # the 2-level walk failed before find_ste_2lvl (L1 read error)
        fe = [rebase.SteFetch(T0, 0x20, 1, False, None)]
        self.assertIn("as a 2-level one",
                      rebase.linear_walk_problem(fe, NEW, 8))

    def test_lookup_beyond_table_ignored(self) -> None:
        fe = [rebase.SteFetch(T0, 0x300, 0, False, None)]
        self.assertIsNone(rebase.linear_walk_problem(fe, NEW, 8))


if __name__ == "__main__":
    unittest.main()
