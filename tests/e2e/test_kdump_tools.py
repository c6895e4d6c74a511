# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the rig's kdump-tools side: the policy it writes for
/etc/default/kdump-tools, the flattened dump's rearrangement, and the
kdump-tools scenarios (one per load path, the checks of their models).

Run: python3 -m unittest discover -s tests/e2e -t . -p 'test_*.py' -v
"""

from __future__ import annotations

import struct
import tempfile
import unittest
from pathlib import Path

from tests.e2e import rig
from tests.e2e import scenarios as S


def flattened(blocks, end=True) -> bytes:
    """makedumpfile -F output: header, (offset, size, data)..., end mark."""
    hdr = rig.FLAT_SIGNATURE.ljust(16, b"\0") + struct.pack(">qq", 1, 1)
    out = hdr.ljust(rig.FLAT_HEADER_SIZE, b"\0")
    for off, data in blocks:
        out += struct.pack(">qq", off, len(data)) + data
    if end:
        out += struct.pack(">qq", -1, -1)
    return out


class Rearrange(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_blocks_land_at_their_offsets(self):
        src = self.dir / "flat"
        # out of order and overlapping, as makedumpfile rewrites its header
        src.write_bytes(flattened([(8, b"BBBB"), (0, b"KDUMP   "),
                                   (12, b"CC"), (0, b"KD")]))
        n = rig.rearrange_flattened(src, self.dir / "out")
        self.assertEqual(n, 4)
        self.assertEqual((self.dir / "out").read_bytes(), b"KDUMP   BBBBCC")

    def test_not_flattened(self):
        src = self.dir / "flat"
        src.write_bytes(b"KDUMP   ".ljust(8192, b"\0"))
        with self.assertRaises(rig.RigError):
            rig.rearrange_flattened(src, self.dir / "out")

    def test_cut_short(self):
        src = self.dir / "flat"
        src.write_bytes(flattened([(0, b"KDUMP   ")], end=False))
        with self.assertRaises(rig.RigError):
            rig.rearrange_flattened(src, self.dir / "out")
        src.write_bytes(flattened([(0, b"KDUMP   ")])[:-20])
        with self.assertRaises(rig.RigError):
            rig.rearrange_flattened(src, self.dir / "out")


def conf(**kw) -> dict[str, str]:
    cfg = rig.Config(kernel_dir=Path("/k"), initramfs=Path("/i"),
                     run_dir=Path("/runs/x-7.2"), kdump_tools=True, **kw)
    out = {}
    for line in rig.kdump_tools_conf(cfg).splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.partition("=")
            out[k] = v.strip('"')
    return out


class Policy(unittest.TestCase):
    def test_classic(self):
        c = conf(kexec_args="--smmu-kdump-keep=0000:03:00.0 "
                 "--smmu-kdump-keep-path=/var/crash")
        self.assertEqual(c["USE_KDUMP"], "1")
        self.assertEqual(c["KDUMP_KERNEL"], "/var/lib/kdump/vmlinuz")
        self.assertEqual(c["KDUMP_INITRD"], "/var/lib/kdump/initrd.img")
        self.assertEqual(c["KDUMP_COREDIR"], "/var/crash")
        self.assertEqual(c["KDUMP_KEXEC_ARGS"], "-c -i --smmu-kdump-keep=0000:03:00.0 "
                         "--smmu-kdump-keep-path=/var/crash")
        self.assertEqual(c["KDUMP_CMDLINE_APPEND"], rig.KDUMP_TOOLS_APPEND)

    def test_file_load_and_crash_cmdline(self):
        c = conf(load="file", kexec_args="--smmu-kdump-keep-path=/var/crash",
                 crash_cmdline="rig.crash_net=late ")
        self.assertEqual(c["KDUMP_KEXEC_ARGS"], "-s --smmu-kdump-keep-path=/var/crash")
        self.assertEqual(c["KDUMP_CMDLINE_APPEND"],
                         rig.KDUMP_TOOLS_APPEND + " rig.crash_net=late")


class Scenarios(unittest.TestCase):
    def test_one_per_load_path(self):
        kt = [sc for sc in S.SCENARIOS.values()
              if sc.kdump_tools and sc.name != "demo"]
        self.assertEqual(sorted(sc.load for sc in kt), ["classic", "file"])
        for sc in kt:
            self.assertIn("kdump-tools", sc.name)
            self.assertIn("kdump-tools", sc.on_line("7.2").title("x"))
            self.assertIn(S.KEEP_COREDIR, sc.kexec_args)
            self.assertNotIn(S.KEEP_DUMP, sc.kexec_args)

    def test_model_checks_kept(self):
        for sc in (S.SCENARIOS[n] for n in S.SCENARIOS
                   if n.startswith("kdump-tools-")):
            model = S.SCENARIOS[sc.name.removeprefix("kdump-tools-")]
            fns = [fn for _, fn in sc.checks]
            for _, fn in model.checks:
                if fn is S.check_dump_saved:
                    self.assertIn(S.check_kdump_tools_dump, fns)
                else:
                    self.assertIn(fn, fns)
            self.assertNotIn(S.check_dump_saved, fns)
            for _, fn in S.KDUMP_TOOLS_CHECKS:
                self.assertIn(fn, fns)

    def test_demo_uses_kdump_tools(self):
        self.assertTrue(S.SCENARIOS["demo"].kdump_tools)


if __name__ == "__main__":
    unittest.main()
