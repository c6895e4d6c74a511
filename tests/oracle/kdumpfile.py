# SPDX-License-Identifier: GPL-2.0
"""Read physical memory out of a makedumpfile kdump-compressed dump.

The rig's checks use this to compare what the saved dump holds (e.g. the
crashed kernel's stream table) with a copy taken through QMP before the
crash, without trusting anything the crash kernel printed.

Format (little-endian, 64-bit producer):
  block 0            struct disk_dump_header ("KDUMP   ", block_size, ...)
  block 1..          struct kdump_sub_header (sub_hdr_size blocks)
  then               bitmap1 (pages that exist) + bitmap2 (pages dumped),
                     bitmap_blocks blocks in all, one bit per PFN
  then               one page_desc {u64 offset, u32 size, u32 flags,
                     u64 page_flags} per set bit of bitmap2, in PFN order
Pages present in bitmap1 but not bitmap2 were excluded by the dump level
(with -d 31 that includes all-zero pages); read() reports them.
"""

from __future__ import annotations

import struct
import zlib
from typing import BinaryIO, Optional

SIGNATURE = b"KDUMP   "
HDR = struct.Struct("<8si390s6x16sIiiIIIIIIi")   # up to nr_cpus (464 bytes)
SUB = struct.Struct("<QiiQQQQQQQQQQQ")            # kdump_sub_header v6
DESC = struct.Struct("<QIIQ")
COMPRESSED_ZLIB, COMPRESSED_LZO, COMPRESSED_SNAPPY, COMPRESSED_ZSTD = 1, 2, 4, 0x20


class DumpError(Exception):
    pass


class KdumpFile:
    def __init__(self, path: str):
        self.f: BinaryIO = open(path, "rb")
        try:
            self._parse()
        except BaseException:
            self.f.close()
            raise

    def _parse(self) -> None:
        raw = self.f.read(HDR.size)
        if len(raw) < HDR.size:
            raise DumpError("file too short for a disk_dump_header")
        (sig, self.header_version, uts, _tv, self.status, self.block_size,
         self.sub_hdr_size, self.bitmap_blocks, max_mapnr32, *_rest) = HDR.unpack(raw)
        if sig != SIGNATURE:
            raise DumpError(f"not a kdump-compressed dump (signature {sig!r})")
        if self.block_size <= 0 or self.block_size & (self.block_size - 1):
            raise DumpError(f"bad block size {self.block_size}")
        # makedumpfile writes the crashed kernel's page size as block_size:
        # the bitmaps count its PFNs, each descriptor holds one such page.
        self.page_size = self.block_size
        self.release = uts[65 * 2:65 * 3].split(b"\0")[0].decode(errors="replace")
        self.machine = uts[65 * 4:65 * 5].split(b"\0")[0].decode(errors="replace")
        self.f.seek(self.block_size)
        sub = self.f.read(SUB.size)
        if len(sub) < SUB.size:
            raise DumpError("file too short for a kdump_sub_header")
        s = SUB.unpack(sub)
        self.phys_base, self.dump_level = s[0], s[1]
        self.offset_vmcoreinfo, self.size_vmcoreinfo = s[5], s[6]
        self.offset_note, self.size_note = s[7], s[8]
        self.max_mapnr = s[13] if self.header_version >= 6 else max_mapnr32
        bm_off = (1 + self.sub_hdr_size) * self.block_size
        bm_len = self.bitmap_blocks * self.block_size
        self.f.seek(bm_off)
        bitmaps = self.f.read(bm_len)
        if len(bitmaps) < bm_len:
            raise DumpError("file too short for its bitmaps")
        half = bm_len // 2
        self.bitmap1 = bitmaps[:half]
        self.bitmap2 = bitmaps[half:]
        self.desc_off = bm_off + bm_len
        # Dumped pages before each 512-PFN chunk, to rank a PFN quickly.
        self._rank = [0]
        chunk = 64
        for i in range(0, len(self.bitmap2), chunk):
            n = int.from_bytes(self.bitmap2[i:i + chunk], "little").bit_count()
            self._rank.append(self._rank[-1] + n)

    def close(self) -> None:
        self.f.close()

    def __enter__(self) -> "KdumpFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def _bit(bm: bytes, pfn: int) -> bool:
        i = pfn >> 3
        return i < len(bm) and bool(bm[i] >> (pfn & 7) & 1)

    def exists(self, pfn: int) -> bool:
        return self._bit(self.bitmap1, pfn)

    def dumped(self, pfn: int) -> bool:
        return self._bit(self.bitmap2, pfn)

    def _index(self, pfn: int) -> int:
        chunk = pfn >> 9
        idx = self._rank[chunk]
        start = chunk << 6
        head = self.bitmap2[start:pfn >> 3]
        idx += int.from_bytes(head, "little").bit_count()
        idx += bin(self.bitmap2[pfn >> 3] & ((1 << (pfn & 7)) - 1)).count("1")
        return idx

    def read_page(self, pfn: int) -> Optional[bytes]:
        """The page's bytes, or None if the page was excluded/absent."""
        if not self.dumped(pfn):
            return None
        self.f.seek(self.desc_off + self._index(pfn) * DESC.size)
        offset, size, flags, _ = DESC.unpack(self.f.read(DESC.size))
        self.f.seek(offset)
        data = self.f.read(size)
        if len(data) != size:
            raise DumpError(f"page {pfn:#x}: data truncated")
        if flags & COMPRESSED_ZLIB:
            data = zlib.decompress(data)
        elif flags & (COMPRESSED_LZO | COMPRESSED_SNAPPY | COMPRESSED_ZSTD):
            raise DumpError(f"page {pfn:#x}: compression {flags:#x} not supported"
                            " (save the rig's dumps uncompressed)")
        if len(data) != self.page_size:
            raise DumpError(f"page {pfn:#x}: {len(data)} bytes")
        return data

    def read(self, phys: int, size: int) -> tuple[bytes, list[int]]:
        """Bytes at [phys, phys+size); excluded pages read as zeros and
        their PFNs are returned in the second element."""
        out = bytearray()
        excluded = []
        addr = phys
        end = phys + size
        while addr < end:
            pfn = addr // self.page_size
            off = addr % self.page_size
            n = min(end - addr, self.page_size - off)
            page = self.read_page(pfn)
            if page is None:
                if not self.exists(pfn):
                    raise DumpError(f"phys {addr:#x} is not RAM in the dump")
                excluded.append(pfn)
                page = bytes(self.page_size)
            out += page[off:off + n]
            addr += n
        return bytes(out), excluded

    def vmcoreinfo(self) -> str:
        if not self.size_vmcoreinfo:
            return ""
        self.f.seek(self.offset_vmcoreinfo)
        return self.f.read(self.size_vmcoreinfo).decode(errors="replace")

    def notes(self) -> bytes:
        if not self.size_note:
            return b""
        self.f.seek(self.offset_note)
        return self.f.read(self.size_note)


def word_diffs(phys: int, expected: bytes, got: bytes
               ) -> list[tuple[int, int, int]]:
    """(address, expected, got) of each little-endian 64-bit word of
    `expected` (memory at `phys`) that `got` holds otherwise."""
    n = len(expected) // 8
    return [(phys + 8 * i, a, b) for i, (a, b) in enumerate(zip(
        struct.unpack_from("<%dQ" % n, expected),
        struct.unpack_from("<%dQ" % n, got))) if a != b]
