# SPDX-License-Identifier: GPL-2.0
"""Unit tests for trace.py's switch window: what each StreamID did from
the crash kernel's switch to its first CMD_CFGI_STE, in a synthetic trace.

Run: python3 -m unittest discover -s tests/oracle -t . -v
"""

from __future__ import annotations

import os
import tempfile
import unittest

from tests.oracle.trace import switch_window

T0 = 1_796_610_000_000_000


def line(t_us: int, event: str, rest: str) -> str:
    s, us = divmod(T0 + t_us, 1_000_000)
    return f"1@{s}.{us:06d}:{event} {rest}\n"


def dma(t_us: int, sid: int, how: str) -> str:
    region = "smmuv3-iommu-memory-region-0-0"
    if how == "success":
        return line(t_us, "smmuv3_translate_success",
                    f"{region} sid={sid:#x} iova=0xffffd000 "
                    "translated=0x41000000 perm=0x3 stage=1")
    if how == "abort":
        return line(t_us, "smmuv3_translate_abort",
                    f"{region} sid={sid:#x} abort on iova:0x1000 is_write=0")
    return line(t_us, f"smmuv3_translate_{how}",
                f"{region} sid={sid:#x} STE bypass iova:0x1000 is_write=1")


class SwitchWindow(unittest.TestCase):
    def window(self, lines: list[str], sids: list[int]):
        fd, path = tempfile.mkstemp()
        self.addCleanup(os.unlink, path)
        with os.fdopen(fd, "w") as f:
            f.writelines(lines)
        return switch_window(path, T0, sids)

    def test_counts_up_to_each_sids_first_cfgi_ste(self):
        t, win = self.window([
            # before the switch: the old table's bypass STE, not counted
            dma(10, 0x100, "bypass"),
            line(20, "smmuv3_cmdq_opcode", "<--- SMMU_CMD_TLBI_NSNH_ALL"),
            dma(30, 0x100, "bypass"),
            dma(31, 0x100, "disable"),
            dma(32, 0x200, "abort"),
            dma(33, 0x300, "success"),
            line(40, "smmuv3_cmdq_cfgi_ste", "streamid= 0x100"),
            # after its attach: its new domain's, not counted
            dma(50, 0x100, "bypass"),
            dma(51, 0x200, "abort"),
        ], [0x100, 0x200, 0x300])
        self.assertEqual(t, T0 + 20)
        self.assertEqual(win, {0x100: [0, 0, 2], 0x200: [0, 2, 0],
                               0x300: [1, 0, 0]})

    def test_no_switch_no_counts(self):
        t, win = self.window([dma(10, 0x100, "bypass")], [0x100])
        self.assertIsNone(t)
        self.assertEqual(win, {0x100: [0, 0, 0]})


if __name__ == "__main__":
    unittest.main()
