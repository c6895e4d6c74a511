#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Dump-file fixtures for the crash "smmu" extension's end-to-end test.

  to-elf IN OUT [--note FILE] [--replace] [--poke PA:HEX ...]
         [--poke-file PA:FILE ...] [--events SPEC.json]
      Write a makedumpfile kdump-compressed dump IN as an ELF64 vmcore shaped
      like a plain copy of /proc/vmcore on arm64: one PT_NOTE with IN's notes
      (and FILE's, for a device dump), one PT_LOAD per run of RAM pages with
      the linear-map p_vaddr; pages excluded from IN read as zeros.  --poke
      stores little-endian 64-bit words, --poke-file whole files, at
      physical addresses of the copy.  --replace drops IN's own SMMUv3
      device dumps (FILE's takes their place).  --events stores the event
      records of a devdump SPEC (its "events") in the event queue its
      EVTQ_BASE register describes.
  add-note IN OUT --note FILE [--replace] [--poke PA:HEX ...]
           [--events SPEC.json]
      Copy the kdump-compressed IN with FILE's notes appended to its note
      area (kdump_sub_header.offset_note/size_note), as makedumpfile copies
      a device dump, and optional stores (--poke, --events) into dumped,
      uncompressed pages.  --replace drops IN's own SMMUv3 device dumps.
  devdump SPEC.json OUT
      Build an SMMUKDMP device dump (crash-extension/smmu-devdump.h) and wrap
      it in an NT_VMCOREDD note exactly as fs/proc/vmcore.c does: the
      sections REGS ("regs": [offset, size, value]), WRITES ("writes") and
      STREAMS ("streams"), with the header's "version" (default 1: another
      makes a dump the readers refuse).  The device dump carries no events: the crashed
      kernel's event queue is in the dump's memory, where the registers
      EVTQ_BASE, EVTQ_PROD and EVTQ_CONS (with CR0.EVTQEN and IDR1.EVTQS)
      say; the spec's "events" ([index, w0, w1, w2, w3]: the record at that
      slot of the queue) go there with to-elf/add-note --events.
  mkstrtab BASE OUT
      A fully populated 65536-StreamID 2-level stream table image for
      physical address BASE: 256 L2 tables of 256 valid stage-1 STEs, their
      CDs and a small page table; STRTAB_BASE_CFG is 0x10210.  As the SMMU
      requires (IHI 0070 6.3.23, 5.1), the L1 table and each L2 table are
      aligned to their size: BASE must be aligned to 16K, the size of an L2
      table.
  free-range IN SIZE [ALIGN]
      Print a physical address, aligned to ALIGN (default a page), with SIZE
      bytes of RAM that IN does not hold (free or zero pages), to put
      mkstrtab's table in a converted copy.
  poke ELF ADDR:HEX ...
      Store little-endian 64-bit words into an ELF vmcore that to-elf wrote,
      in place: ADDR is a physical address, or a kernel virtual address of
      the linear map (the PT_LOAD p_vaddr).  Prints "ADDR OLD" for each
      word, OLD the value it replaced.
"""

import json
import os
import shutil
import struct
import sys

from tests.oracle import kdumpfile
from tests.oracle.devdump import iter_notes

PAGE = 4096          # the synthetic tables' granule; a dump's pages are k.page_size
EM_AARCH64 = 183
NT_VMCOREDD = 0x700
PAGE_OFFSET_48 = 0xffff000000000000
EVTQ_BASE = 0xa0
EVTQ_ENTRY = 32


def ram_runs(k):
    """[(first pfn, end pfn)] of the pages the dump says exist."""
    runs, start = [], None
    for pfn in range(k.max_mapnr):
        if k.exists(pfn):
            if start is None:
                start = pfn
        elif start is not None:
            runs.append((start, pfn))
            start = None
    if start is not None:
        runs.append((start, k.max_mapnr))
    return runs


def phys_offset(k, runs):
    for line in k.vmcoreinfo().splitlines():
        if line.startswith("NUMBER(PHYS_OFFSET)="):
            return int(line.split("=", 1)[1], 0)
    return runs[0][0] * k.page_size


def parse_pokes(pokes, poke_files):
    out = []
    for p in pokes or []:
        pa, val = p.split(":", 1)
        out.append((int(pa, 16), struct.pack("<Q", int(val, 16))))
    for p in poke_files or []:
        pa, path = p.split(":", 1)
        with open(path, "rb") as f:
            out.append((int(pa, 16), f.read()))
    return out


def event_stores(spec_path):
    """[(pa, bytes)] that put the spec's "events" in the event queue of its
    EVTQ_BASE register (ADDR [51:5], LOG2SIZE [4:0]): the record of slot
    INDEX at ADDR + 32 * INDEX."""
    with open(spec_path) as f:
        spec = json.load(f)
    events = spec.get("events", [])
    if not events:
        return []
    regs = {off: v for off, _size, v in spec["regs"]}
    if EVTQ_BASE not in regs:
        raise SystemExit(f"{spec_path}: events but no EVTQ_BASE register")
    base = regs[EVTQ_BASE] & ((1 << 52) - 1) & ~0x1f
    log2n = regs[EVTQ_BASE] & 0x1f
    out = []
    for idx, *words in events:
        if idx >= 1 << log2n or len(words) != 4:
            raise SystemExit(f"{spec_path}: event [{idx}] does not fit a "
                             f"queue of {1 << log2n} 4-word records")
        out.append((base + idx * EVTQ_ENTRY, struct.pack("<4Q", *words)))
    return out


def without_devdumps(blob):
    """blob without its SMMUv3 device dumps (NT_VMCOREDD notes whose dump
    name starts with "arm-smmu-v3.")."""
    return b"".join(raw for name, ntype, desc, raw in iter_notes(blob)
                    if not (ntype == NT_VMCOREDD and name == "LINUX" and
                            desc.startswith(b"arm-smmu-v3.")))


def to_elf(src, dst, note_file=None, pokes=(), replace=False):
    k = kdumpfile.KdumpFile(src)
    page = k.page_size
    runs = ram_runs(k)
    poff = phys_offset(k, runs)
    notes = k.notes()
    if replace:
        notes = without_devdumps(notes)
    if note_file:
        with open(note_file, "rb") as f:
            notes = f.read() + notes   # device dumps come first in /proc/vmcore
    nph = 1 + len(runs)
    hdr_size = 64 + 56 * nph
    data_off = (hdr_size + len(notes) + page - 1) // page * page
    with open(dst, "wb") as out:
        ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
        out.write(ident + struct.pack("<HHIQQQIHHHHHH", 4, EM_AARCH64, 1, 0,
                                      64, 0, 0, 64, 56, nph, 0, 0, 0))
        out.write(struct.pack("<IIQQQQQQ", 4, 0, hdr_size, 0, 0,
                              len(notes), len(notes), 0))
        off = data_off
        for first, end in runs:
            pa = first * page
            size = (end - first) * page
            out.write(struct.pack("<IIQQQQQQ", 1, 7, off,
                                  PAGE_OFFSET_48 + pa - poff, pa, size, size,
                                  0))
            off += size
        out.write(notes)
        off = data_off
        for first, end in runs:
            for pfn in range(first, end):
                buf = k.read_page(pfn)
                if buf is not None and any(buf):
                    out.seek(off + (pfn - first) * page)
                    out.write(buf)
            off += (end - first) * page
        out.truncate(off)
        for pa, data in pokes:
            off = data_off
            for first, end in runs:
                if first * page <= pa and pa + len(data) <= end * page:
                    out.seek(off + pa - first * page)
                    out.write(data)
                    break
                off += (end - first) * page
            else:
                raise SystemExit(f"poke at {pa:#x}: not RAM in the dump")
    k.close()


def add_note(src, dst, note_file, pokes=(), replace=False):
    k = kdumpfile.KdumpFile(src)
    page = k.page_size
    with open(note_file, "rb") as f:
        extra = f.read()
    notes = k.notes()
    if replace:
        notes = without_devdumps(notes)
    notes = extra + notes
    page_locs = []
    for pa, data in pokes:
        pfn, off = divmod(pa, page)
        if not k.dumped(pfn) or off + len(data) > page:
            raise SystemExit(f"poke at {pa:#x}: page not in the dump")
        k.f.seek(k.desc_off + k._index(pfn) * kdumpfile.DESC.size)
        doff, size, flags, _ = kdumpfile.DESC.unpack(
            k.f.read(kdumpfile.DESC.size))
        if flags or size != page:
            raise SystemExit(f"poke at {pa:#x}: page is compressed")
        page_locs.append((doff + off, data))
    block = k.block_size
    k.close()
    shutil.copyfile(src, dst)
    with open(dst, "r+b") as out:
        out.seek(0, os.SEEK_END)
        end = out.tell()
        new_off = (end + 7) // 8 * 8
        out.seek(new_off)
        out.write(notes)
        # kdump_sub_header: offset_note at 48, size_note at 56
        out.seek(block + 48)
        out.write(struct.pack("<QQ", new_off, len(notes)))
        for off, data in page_locs:
            out.seek(off)
            out.write(data)


def note(name, ntype, desc):
    namesz = len(name) + 1
    name_pad = (namesz + 3) // 4 * 4
    body = struct.pack("<III", 8 if name == "LINUX" else namesz, len(desc),
                       ntype)
    if name == "LINUX":   # vmcoredd_header.name is 8 bytes
        body += b"LINUX\0\0\0"
    else:
        body += name.encode() + bytes(name_pad - len(name))
    return body + desc + bytes((-len(desc)) % 4)


def devdump(spec_path, out_path):
    with open(spec_path) as f:
        spec = json.load(f)
    sections = []
    regs = b"".join(struct.pack("<IIQ", o, s, v) for o, s, v in spec["regs"])
    writes = b"".join(struct.pack("<QQQIHH", p, o, n, sid, size, kind)
                      for p, o, n, sid, size, kind in spec["writes"])
    streams = b"".join(struct.pack("<IBBHQ", sid, d, r, 0, ste0)
                       for sid, d, r, ste0 in spec["streams"])
    # no section type 4: the events stay in the queue (--events)
    for t, esz, body in ((1, 16, regs), (2, 32, writes), (3, 16, streams)):
        sections.append((t, esz, len(body) // esz, body))
    off = 48 + 16 * len(sections)
    table = b""
    data = b""
    for t, esz, cnt, body in sections:
        table += struct.pack("<IIII", t, esz, cnt, off + len(data))
        data += body
        data += bytes((-len(data)) % 8)
    total = off + len(data)
    hdr = b"SMMUKDMP" + struct.pack("<IIIIQIIQ", spec.get("version", 1),
                                    48, total,
                                    spec.get("flags", 0), spec["smmu_base"],
                                    spec.get("mode", 0), len(sections), 0)
    blob = hdr + table + data
    # fs/proc/vmcore.c: the buffer (64-byte header + data) is page-rounded
    data_size = (64 + len(blob) + PAGE - 1) // PAGE * PAGE
    name = spec["name"].encode()
    desc = name + bytes(44 - len(name)) + blob + bytes(data_size - 64 - len(blob))
    with open(out_path, "wb") as f:
        f.write(note("LINUX", NT_VMCOREDD, desc))


L2_TABLE = 256 * 64


def mkstrtab(base, out_path):
    """Layout: L1 at base (2K, in a 16K slot), 256 L2 tables from base + 16K
    (16K each, each aligned to its size), one CD per L2 table (4 pages of
    CDs), then a 4-level page table mapping IOVA 0 to base."""
    if base % L2_TABLE:
        raise SystemExit(f"mkstrtab: base {base:#x} is not aligned to "
                         f"{L2_TABLE:#x}, the size of an L2 table")
    l2_base = base + L2_TABLE
    cd_base = l2_base + 256 * 256 * 64
    pt_base = cd_base + 4 * PAGE
    img = bytearray(pt_base + 4 * PAGE - base)
    for i in range(256):
        struct.pack_into("<Q", img, 8 * i, (l2_base + i * L2_TABLE) | 9)
    w1 = 2 | (1 << 2) | (1 << 4) | (3 << 6)
    for sid in range(65536):
        w0 = 1 | (5 << 1) | (cd_base + (sid >> 8) * 64)
        struct.pack_into("<QQ", img, l2_base - base + sid * 64, w0, w1)
    for i in range(256):
        w0 = (16 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 30) | (1 << 31) |
              (4 << 32) | (1 << 41) | (1 << 45) | (1 << 46) | (1 << 47) |
              ((i + 1) << 48))
        struct.pack_into("<QQQQ", img, cd_base - base + i * 64, w0, pt_base,
                         0, 0xfffffffff404ff44)
    for lvl in range(3):
        struct.pack_into("<Q", img, pt_base - base + lvl * PAGE,
                         (pt_base + (lvl + 1) * PAGE) | 3)
    struct.pack_into("<Q", img, pt_base - base + 3 * PAGE,
                     base | (1 << 10) | (3 << 8) | (1 << 6) | 3)
    with open(out_path, "wb") as f:
        f.write(img)


def free_range(src, size, align=0):
    k = kdumpfile.KdumpFile(src)
    page = k.page_size
    need = (size + page - 1) // page
    step = max(align // page, 1)
    start = None
    for pfn in range(k.max_mapnr):
        if k.exists(pfn) and not k.dumped(pfn):
            if start is None:
                start = (pfn + step - 1) // step * step
            if pfn - start + 1 >= need:
                print(hex(start * page))
                return
        else:
            start = None
    raise SystemExit("no free range that large")


def poke(dst, pokes):
    """Words into an ELF vmcore in place, at physical addresses or linear
    map virtual addresses (PT_LOAD p_paddr or p_vaddr)."""
    with open(dst, "r+b") as f:
        hdr = f.read(64)
        phoff, = struct.unpack_from("<Q", hdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
        loads = []
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, off, vaddr, paddr, filesz = struct.unpack(
                "<IIQQQQ", f.read(40))
            if p_type == 1:
                loads.append((off, vaddr, paddr, filesz))
        for addr, data in pokes:
            for off, vaddr, paddr, filesz in loads:
                base = vaddr if addr >= PAGE_OFFSET_48 else paddr
                if base <= addr and addr + len(data) <= base + filesz:
                    f.seek(off + addr - base)
                    old, = struct.unpack("<Q", f.read(8))
                    f.seek(off + addr - base)
                    f.write(data)
                    print(f"{addr:x} {old:x}")
                    break
            else:
                raise SystemExit(f"poke at {addr:#x}: not in the dump")


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("to-elf")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--note")
    p.add_argument("--replace", action="store_true")
    p.add_argument("--poke", action="append")
    p.add_argument("--poke-file", action="append")
    p.add_argument("--events")
    p = sub.add_parser("add-note")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--note", required=True)
    p.add_argument("--replace", action="store_true")
    p.add_argument("--poke", action="append")
    p.add_argument("--events")
    p = sub.add_parser("devdump")
    p.add_argument("spec")
    p.add_argument("out")
    p = sub.add_parser("mkstrtab")
    p.add_argument("base")
    p.add_argument("out")
    p = sub.add_parser("free-range")
    p.add_argument("src")
    p.add_argument("size")
    p.add_argument("align", nargs="?", default="0")
    p = sub.add_parser("poke")
    p.add_argument("dst")
    p.add_argument("pokes", nargs="+")
    a = ap.parse_args(argv)
    if a.cmd in ("to-elf", "add-note"):
        pokes = parse_pokes(a.poke, getattr(a, "poke_file", None))
        if a.events:
            pokes += event_stores(a.events)
    if a.cmd == "to-elf":
        to_elf(a.src, a.dst, a.note, pokes, a.replace)
    elif a.cmd == "add-note":
        add_note(a.src, a.dst, a.note, pokes, a.replace)
    elif a.cmd == "devdump":
        devdump(a.spec, a.out)
    elif a.cmd == "mkstrtab":
        mkstrtab(int(a.base, 16), a.out)
    elif a.cmd == "free-range":
        free_range(a.src, int(a.size, 0), int(a.align, 0))
    elif a.cmd == "poke":
        poke(a.dst, parse_pokes(a.pokes, None))


if __name__ == "__main__":
    main(sys.argv[1:])
