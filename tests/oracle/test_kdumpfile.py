# SPDX-License-Identifier: GPL-2.0
"""Tests of the kdump-compressed dump reader on constructed dumps."""

import os
import tempfile
import unittest
import zlib

from tests.oracle import kdumpfile

PAGE = 4096
BLOCK = 4096


def build_dump(path, pages, exists=None, max_mapnr=64, zlib_pfns=(),
               version=6, signature=b"KDUMP   ", truncate=0, block=BLOCK):
    """Write a dump holding `pages` ({pfn: bytes}); `exists` are the PFNs of
    RAM (default: every dumped PFN plus their neighbours).  makedumpfile's
    block is the crashed kernel's page size."""
    exists = set(exists if exists is not None else pages) | set(pages)
    bitmap_bytes = (max_mapnr + 7) // 8
    half = -(-bitmap_bytes // block) * block
    bitmap_blocks = 2 * half // block
    uts = b"".join(f.ljust(65, b"\0") for f in
                   (b"Linux", b"rig", b"6.12.117", b"#1", b"aarch64", b"(none)"))
    hdr = kdumpfile.HDR.pack(signature, version, uts, bytes(16), 0, block, 1,
                             bitmap_blocks, max_mapnr, 0, 0, 0, 0, 1)
    sub = kdumpfile.SUB.pack(0x40000000, 31, 0, 0, max_mapnr, 0, 0, 0, 0, 0, 0,
                             0, max_mapnr, max_mapnr)
    bm1 = bytearray(half)
    bm2 = bytearray(half)
    for pfn in exists:
        bm1[pfn >> 3] |= 1 << (pfn & 7)
    for pfn in pages:
        bm2[pfn >> 3] |= 1 << (pfn & 7)
    desc_off = (2 + bitmap_blocks) * block
    data_off = desc_off + len(pages) * kdumpfile.DESC.size
    descs = bytearray()
    data = bytearray()
    for pfn in sorted(pages):
        body = pages[pfn]
        flags = 0
        if pfn in zlib_pfns:
            body = zlib.compress(body)
            flags = kdumpfile.COMPRESSED_ZLIB
        descs += kdumpfile.DESC.pack(data_off + len(data), len(body), flags, 0)
        data += body
    blob = (hdr.ljust(block, b"\0") + sub.ljust(block, b"\0") + bm1 + bm2
            + descs + data)
    if truncate:
        blob = blob[:-truncate]
    with open(path, "wb") as f:
        f.write(blob)


def page(tag, size=PAGE):
    return (tag * (size // len(tag) + 1))[:size]


class KdumpFileTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "vmcore")

    def tearDown(self):
        self.tmp.cleanup()

    def test_reads_dumped_pages_by_pfn(self):
        pages = {3: page(b"three"), 9: page(b"nine"), 40: page(b"forty")}
        build_dump(self.path, pages)
        with kdumpfile.KdumpFile(self.path) as d:
            self.assertEqual(d.machine, "aarch64")
            self.assertEqual(d.release, "6.12.117")
            for pfn, want in pages.items():
                self.assertEqual(d.read_page(pfn), want)

    def test_read_across_pages_and_excluded(self):
        pages = {10: page(b"a"), 12: page(b"c")}
        build_dump(self.path, pages, exists={10, 11, 12})
        with kdumpfile.KdumpFile(self.path) as d:
            data, excl = d.read(10 * PAGE + PAGE - 8, 16 + PAGE)
            self.assertEqual(data[:8], b"a" * 8)
            self.assertEqual(data[8:8 + PAGE], bytes(PAGE))
            self.assertEqual(data[8 + PAGE:], b"c" * 8)
            self.assertEqual(excl, [11])

    def test_64k_pages(self):
        # A 64K-page kernel's dump: PFNs and pages of 64KB (block_size)
        big = 65536
        pages = {2: page(b"two", big), 3: page(b"three", big)}
        build_dump(self.path, pages, block=big)
        with kdumpfile.KdumpFile(self.path) as d:
            self.assertEqual(d.page_size, big)
            data, excl = d.read(2 * big + big - 4, 8)
            self.assertEqual(data, pages[2][-4:] + pages[3][:4])
            self.assertEqual(excl, [])
            self.assertEqual(d.read(3 * big + 5000, 3)[0],
                             pages[3][5000:5003])

    def test_not_ram_is_an_error(self):
        build_dump(self.path, {1: page(b"x")})
        with kdumpfile.KdumpFile(self.path) as d:
            with self.assertRaises(kdumpfile.DumpError):
                d.read(20 * PAGE, 8)

    def test_rank_crosses_chunks(self):
        pages = {pfn: page(b"%d" % pfn) for pfn in range(0, 2000, 7)}
        build_dump(self.path, pages, max_mapnr=2048)
        with kdumpfile.KdumpFile(self.path) as d:
            for pfn in (0, 511, 518, 1029, 1995):
                if pfn in pages:
                    self.assertEqual(d.read_page(pfn), pages[pfn], pfn)

    def test_zlib_pages(self):
        build_dump(self.path, {5: page(b"z")}, zlib_pfns={5})
        with kdumpfile.KdumpFile(self.path) as d:
            self.assertEqual(d.read_page(5), page(b"z"))

    def test_rejects_other_formats(self):
        build_dump(self.path, {1: page(b"x")}, signature=b"DISKDUMP")
        with self.assertRaises(kdumpfile.DumpError):
            kdumpfile.KdumpFile(self.path)
        with open(self.path, "wb") as f:
            f.write(b"\x7fELF" + bytes(100))
        with self.assertRaises(kdumpfile.DumpError):
            kdumpfile.KdumpFile(self.path)

    def test_truncated_data(self):
        build_dump(self.path, {1: page(b"x"), 2: page(b"y")}, truncate=100)
        with kdumpfile.KdumpFile(self.path) as d:
            self.assertEqual(d.read_page(1), page(b"x"))
            with self.assertRaises(kdumpfile.DumpError):
                d.read_page(2)


if __name__ == "__main__":
    unittest.main()
