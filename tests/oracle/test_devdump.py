# SPDX-License-Identifier: GPL-2.0
"""Tests of the SMMUv3 device-dump parser on constructed notes."""

import struct
import unittest

from tests.oracle import devdump as dd


def build(regs=(), writes=(), streams=(), events=(), version=1, magic=dd.MAGIC,
          flags=dd.F_SMMUEN | dd.F_ADOPTED, extra_entry=0, total_pad=0):
    sects = []
    body = bytearray()
    table_off = dd.HEADER.size
    n = sum(1 for x in (regs, writes, streams, events) if x)
    data_off = table_off + n * dd.SECTION.size
    for typ, rec, items in ((dd.SECT_REGS, dd.REG, regs),
                            (dd.SECT_WRITES, dd.WRITE, writes),
                            (dd.SECT_STREAMS, dd.STREAM, streams),
                            (dd.SECT_EVENTS, dd.EVENT, events)):
        if not items:
            continue
        size = rec.size + extra_entry
        sects.append((typ, size, len(items), data_off + len(body)))
        for it in items:
            body += rec.pack(*it) + bytes(extra_entry)
        while len(body) % 8:
            body += b"\0"
    total = data_off + len(body)
    hdr = dd.HEADER.pack(magic, version, dd.HEADER.size, total, flags,
                         0x9050000, 1, len(sects), 0)
    table = b"".join(dd.SECTION.pack(*s) for s in sects)
    return hdr + table + bytes(body) + bytes(total_pad)


def note(data, name="arm-smmu-v3.9050000", ntype=dd.NT_VMCOREDD, owner=b"LINUX"):
    desc = name.encode().ljust(dd.VMCOREDD_NAME_BYTES, b"\0") + data
    n = owner + b"\0"
    return (struct.pack("<III", len(n), len(desc), ntype) + n.ljust((len(n) + 3) & ~3, b"\0")
            + desc + bytes(-len(desc) % 4))


class DevDumpTest(unittest.TestCase):
    def sample(self, **kw):
        return build(regs=[(0x20, 4, 0xd), (0x80, 8, 0x40fb4000)],
                     writes=[(0x40fb4008, 0x41724009, 0x6ff84009, 0xffffffff, 8, 2)],
                     streams=[(0x100, 1, 1, 0, 0x4142800b), (0x300, 2, 3, 0, 0x4143000b)],
                     events=[(5, 0, 0x10 | (0x300 << 32), 0, 0x1000, 0)], **kw)

    def test_round_trip(self):
        notes = note(b"ignored", ntype=1, owner=b"CORE") + note(self.sample())
        found = dd.find(notes)
        self.assertEqual(len(found), 1)
        d = found[0]
        self.assertEqual(d.name, "arm-smmu-v3.9050000")
        self.assertEqual(d.smmu_base, 0x9050000)
        self.assertEqual(d.regs[0x20], 0xd)
        self.assertEqual(d.regs[0x80], 0x40fb4000)
        self.assertEqual(d.writes[0].kind, "L1STD")
        self.assertEqual((d.writes[0].old, d.writes[0].new), (0x41724009, 0x6ff84009))
        self.assertEqual(d.streams[0x300].decision, dd.SID_ABORTED)
        self.assertEqual(d.streams[0x100].decision, dd.SID_KEPT)
        self.assertEqual(d.events[0][0], 5)

    def test_larger_entries_and_padding_are_accepted(self):
        d = dd.parse("x", self.sample(extra_entry=8, total_pad=4096))
        self.assertEqual(len(d.streams), 2)
        self.assertEqual(d.writes[0].sid, 0xffffffff)

    def test_rejects_bad_magic_and_version(self):
        with self.assertRaises(dd.DevDumpError):
            dd.parse("x", self.sample(magic=b"SMMUKDMX"))
        with self.assertRaises(dd.DevDumpError):
            dd.parse("x", self.sample(version=2))

    def test_rejects_every_truncation(self):
        blob = self.sample()
        for cut in range(0, len(blob), 7):
            with self.assertRaises(dd.DevDumpError, msg=f"cut at {cut}"):
                dd.parse("x", blob[:cut])

    def test_rejects_section_out_of_bounds(self):
        blob = bytearray(self.sample())
        # First section entry's offset points past the end.
        struct.pack_into("<I", blob, dd.HEADER.size + 12, len(blob) + 64)
        with self.assertRaises(dd.DevDumpError):
            dd.parse("x", bytes(blob))

    def test_other_notes_and_names_ignored(self):
        self.assertEqual(dd.find(note(self.sample(), name="other-device.1")), [])
        self.assertEqual(dd.find(b""), [])

    def test_truncated_note_area(self):
        with self.assertRaises(dd.DevDumpError):
            list(dd.iter_notes(note(self.sample())[:-20]))


if __name__ == "__main__":
    unittest.main()
