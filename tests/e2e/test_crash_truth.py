# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the crash read-back's ground truth (tests/crash/e2e_truth.py)
where it models the SMMU rather than reading a run: the stream table that
STRTAB_BASE/_CFG describe, the walk of an L1 descriptor whose L2Ptr is
not aligned to its table, and of one changed before the crash.

Run: python3 -m unittest discover -s tests/e2e -t . -p 'test_*.py' -v
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
import unittest
from pathlib import Path

from tests.crash import e2e_truth as T


class StrtabDesc(unittest.TestCase):
    def test_2lvl_as_the_driver_programs_it(self):
        self.assertEqual(T.strtab_desc(0x4000000040ebf000, 0x10210),
                         "2-level 40ebf000 (256 L1 entries, split 8, "
                         "65536 StreamIDs)")

    def test_base_aligned_down_to_the_l1_table(self):
        # SPLIT 6: 1,024 L1 descriptors, 8 KB: the SMMU ignores bit 12
        self.assertEqual(T.strtab_desc(0x40ebf000, 0x10190),
                         "2-level 40ebe000 (1024 L1 entries, split 6, "
                         "65536 StreamIDs)")

    def test_linear(self):
        self.assertEqual(T.strtab_desc(0x41440040, 0x8),
                         "linear 41440000 (256 StreamIDs)")

    def test_reserved_values(self):
        for cfg in (0x20210, 0x30210,   # FMT 2, 3
                    0x101d0,            # SPLIT 7
                    0x1023f, 0x21):     # LOG2SIZE 63, 33
            with self.subTest(cfg=hex(cfg)):
                self.assertIsNone(T.strtab_desc(0x40000000, cfg))


class RunDir:
    """A run with a 2-level stream table snapshot: L1 descriptor 3 has
    l1_value, its L2 table (SIDs 0x300-0x3ff) is at 0x41000000."""

    def run_dir(self, l1_value: int) -> str:
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        st = Path(d) / "strtab"
        st.mkdir()
        l1 = bytearray(8 * 256)
        struct.pack_into("<Q", l1, 8 * 3, l1_value)
        (st / "l1.bin").write_bytes(bytes(l1))
        (st / "l2-3.bin").write_bytes(bytes(64 * 256))
        (st / "strtab.json").write_text(json.dumps({
            "fmt": "2lvl", "split": 8, "log2size": 16,
            "files": [{"file": "l1.bin", "phys": 0x40000000, "size": 2048},
                      {"file": "l2-3.bin", "phys": 0x41000000,
                       "size": 16384, "l1": 3}]}))
        return d


class ReachUnalignedL2(RunDir, unittest.TestCase):
    """reach() finds the L2 table an unaligned L2Ptr names the way the SMMU
    does: its low bits taken as zero."""

    def test_aligned(self):
        self.assertIsNone(T.reach(self.run_dir(0x41000000 | 9), 0x300,
                                  "table"))

    def test_unaligned_l2ptr_reaches_the_aligned_table(self):
        self.assertIsNone(T.reach(self.run_dir(0x41000040 | 9), 0x300,
                                  "table"))

    def test_other_table_not_reached(self):
        why = T.reach(self.run_dir(0x41004000 | 9), 0x300, "table")
        self.assertIsNotNone(why)
        self.assertIn("not in the snapshot", why[0])


class ReachDamagedL1(RunDir, unittest.TestCase):
    """reach(..., "driver") uses the driver's L2 table (l2ptrs[], the
    snapshot's own descriptor) for an L1 descriptor the rig changed before
    the crash only where "smmu" does: when the dump has no device dump.
    With one, "smmu" walks the descriptor the SMMU walked at the crash:
    the value before the first store the device dump records, or memory
    when it records none (L1 DAMAGED)."""

    L1_PA = 0x40000000 + 8 * 3

    def damaged_run(self) -> str:
        d = self.run_dir(0x41000000 | 9)
        # the rig's poke: the descriptor now names a table not in the dump
        (Path(d) / "run.json").write_text(json.dumps(
            {"pokes": [[hex(self.L1_PA), hex(0x6fe00000 | 9), 64]]}))
        return d

    def reach_with(self, run: str, devdump: bool):
        orig = T.has_devdump
        T.has_devdump = lambda _run: devdump
        try:
            return T.reach(run, 0x300, "driver")
        finally:
            T.has_devdump = orig

    def test_without_device_dump_through_the_driver(self):
        self.assertIsNone(self.reach_with(self.damaged_run(), False))

    def test_with_device_dump_walked_as_at_the_crash(self):
        why = self.reach_with(self.damaged_run(), True)
        self.assertIsNotNone(why)
        self.assertEqual(why[1:], (self.L1_PA, 0x6fe00000 | 9))
        self.assertIn("not in the snapshot", why[0])

    def test_no_run_vmcore_is_no_device_dump(self):
        self.assertFalse(T.has_devdump(self.damaged_run()))


if __name__ == "__main__":
    unittest.main()
