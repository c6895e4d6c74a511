# SPDX-License-Identifier: GPL-2.0
"""Tests of the SMMUv3 device-dump parser on constructed notes."""

import struct
import unittest

from tests.oracle import devdump as dd


# The 40-byte records that earlier versions of the series wrote as
# section type 4: (index, reserved, the event's four words)
OLD_EVENT = struct.Struct("<II4Q")


def build(regs=(), writes=(), streams=(), old_events=(), unknown=(),
          version=1, magic=dd.MAGIC, flags=dd.F_SMMUEN | dd.F_ADOPTED,
          extra_entry=0, total_pad=0):
    sects = []
    body = bytearray()
    table_off = dd.HEADER.size
    n = sum(1 for x in (regs, writes, streams, old_events, unknown) if x)
    data_off = table_off + n * dd.SECTION.size
    for typ, rec, items in ((dd.SECT_REGS, dd.REG, regs),
                            (dd.SECT_WRITES, dd.WRITE, writes),
                            (dd.SECT_STREAMS, dd.STREAM, streams),
                            (4, OLD_EVENT, old_events),
                            (9, struct.Struct("<Q"), unknown)):
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
                     **kw)

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
        self.assertFalse(hasattr(d, "events"))

    def test_unknown_sections_and_old_events_skipped(self):
        # type 4 of an earlier version of the series, and a type 9
        d = dd.parse("x", self.sample(
            old_events=[(5, 0, 0x10 | (0x300 << 32), 0, 0x1000, 0)],
            unknown=[(1,), (2,)]))
        self.assertEqual(d.regs[0x20], 0xd)
        self.assertEqual(len(d.writes), 1)
        self.assertEqual(sorted(d.streams), [0x100, 0x300])

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

    # The checks of the extension's smmu_dd_parse(): what it refuses, the
    # oracle refuses too

    def test_rejects_section_over_the_header_or_table(self):
        for off in (0, 16, dd.HEADER.size):
            blob = bytearray(self.sample())
            struct.pack_into("<I", blob, dd.HEADER.size + 12, off)
            with self.subTest(offset=off), self.assertRaises(dd.DevDumpError):
                dd.parse("x", bytes(blob))

    def test_rejects_unknown_section_past_total_size(self):
        blob = bytearray(self.sample(unknown=[(1,), (2,)], total_pad=4096))
        # the type 9 section (the fourth entry): its records run past
        # total_size, into bytes the note holds beyond it
        struct.pack_into("<I", blob, dd.HEADER.size + 3 * dd.SECTION.size + 8, 8)
        with self.assertRaises(dd.DevDumpError):
            dd.parse("x", bytes(blob))
        # misaligned
        blob = bytearray(self.sample(unknown=[(1,)]))
        off = struct.unpack_from("<I", blob, dd.HEADER.size + 3 * dd.SECTION.size + 12)[0]
        struct.pack_into("<I", blob, dd.HEADER.size + 3 * dd.SECTION.size + 12, off - 4)
        with self.assertRaises(dd.DevDumpError):
            dd.parse("x", bytes(blob))

    def test_rejects_header_size_not_a_multiple_of_8(self):
        blob = bytearray(self.sample())
        struct.pack_into("<I", blob, 12, dd.HEADER.size + 4)
        with self.assertRaises(dd.DevDumpError):
            dd.parse("x", bytes(blob))

    def test_unknown_section_type_twice_accepted(self):
        blob = bytearray(self.sample(old_events=[(5, 0, 0x10, 0, 0x1000, 0)],
                                     unknown=[(1,)]))
        # both later-version sections of type 9: skipped, as known ones
        # twice are not
        struct.pack_into("<I", blob, dd.HEADER.size + 3 * dd.SECTION.size, 9)
        self.assertEqual(len(dd.parse("x", bytes(blob)).writes), 1)

    def test_register_listed_twice_first_wins(self):
        d = dd.parse("x", build(regs=[(0x20, 4, 0xd), (0x80, 8, 0x40fb4000),
                                      (0x20, 4, 0x5)]))
        self.assertEqual(d.regs[0x20], 0xd)

    def test_one_bad_dump_costs_only_itself(self):
        bad = bytearray(self.sample())
        struct.pack_into("<I", bad, 8, 2)           # unknown version
        notes = (note(bytes(bad), name="arm-smmu-v3.9060000") +
                 note(self.sample()[:40], name="arm-smmu-v3.9070000") +
                 note(self.sample()))
        errors = []
        found = dd.find(notes, errors)
        self.assertEqual([d.name for d in found], ["arm-smmu-v3.9050000"])
        self.assertEqual([e[0] for e in errors],
                         ["arm-smmu-v3.9060000", "arm-smmu-v3.9070000"])
        self.assertEqual(len(dd.find(notes)), 1)
        # a note area damaged after a dump: that dump is kept
        errors = []
        found = dd.find(note(self.sample()) + note(self.sample())[:-20], errors)
        self.assertEqual(len(found), 1)
        self.assertEqual(errors[0][0], "notes")

    def test_other_notes_and_names_ignored(self):
        self.assertEqual(dd.find(note(self.sample(), name="other-device.1")), [])
        self.assertEqual(dd.find(b""), [])

    def test_truncated_note_area(self):
        with self.assertRaises(dd.DevDumpError):
            list(dd.iter_notes(note(self.sample())[:-20]))


# The rig's SMMU: IDR1 EVTQS 19, CR0 SMMUEN|EVTQEN|CMDQEN, a queue of 2^17
# entries at 41c00000
RIG_REGS = {dd.IDR1: 0x02730010, dd.CR0: 0xd,
            dd.EVTQ_BASE: 0x4000000041c00011, dd.EVTQ_PROD: 3,
            dd.EVTQ_CONS: 1}


class EventQueueTest(unittest.TestCase):
    def q(self, **kw):
        regs = dict(RIG_REGS)
        for name, v in kw.items():
            off = getattr(dd, name.upper())
            if v is None:
                del regs[off]
            else:
                regs[off] = v
        return dd.evtq(regs)

    def test_pending(self):
        q = self.q()
        self.assertIsNone(q.why)
        self.assertEqual((q.base, q.log2n, q.indexes), (0x41c00000, 17, (1, 2)))
        self.assertEqual(q.entry(2), 0x41c00040)
        # OVFLG is not an index bit
        self.assertEqual(self.q(evtq_prod=0x80000003).indexes, (1, 2))
        # wrapped
        self.assertEqual(self.q(evtq_cons=0x1fffe, evtq_prod=0x20001).indexes,
                         (0x1fffe, 0x1ffff, 0))
        # full
        self.assertEqual(len(self.q(evtq_cons=5, evtq_prod=0x20005).indexes),
                         1 << 17)
        self.assertEqual(self.q(evtq_cons=3).indexes, ())

    def test_refusals(self):
        cases = [
            ("disabled", dict(cr0=0x9)),
            ("size", dict(idr1=0x02700010)),             # EVTQS 16
            ("size", dict(idr1=0x027f0010, evtq_base=0x42000014)),  # 2^20
            ("align", dict(evtq_base=0x4000000041c08011)),
            ("pointers", dict(evtq_prod=0)),             # behind CONS
            ("pointers", dict(evtq_prod=0x20002)),       # a whole queue ahead
            ("missing", dict(evtq_prod=None)),
            ("missing", dict(idr1=None)),
        ]
        for why, kw in cases:
            with self.subTest(why=why, regs=kw):
                q = self.q(**kw)
                self.assertEqual(q.why, why)
                self.assertIn(q.why, dd.EVTQ_REFUSALS)
                self.assertEqual(q.indexes, ())


if __name__ == "__main__":
    unittest.main()
