# SPDX-License-Identifier: GPL-2.0
"""Parse the SMMUv3 kdump device dump out of a saved dump's ELF notes.

The crash kernel adds one vmcore device dump per SMMU; /proc/vmcore shows it
as an ELF note of type NT_VMCOREDD, name "LINUX", whose descriptor is a
44-byte dump name followed by the data laid out as the kernel's
arm-smmu-v3-vmcoredd.h defines (crash-extension/smmu-devdump.h is the
readers' copy).  makedumpfile
copies the notes into the kdump-compressed file (kdumpfile.KdumpFile.notes).

The device dump holds no events: those pending at handover are in the
crashed kernel's event queue, in the dump's memory, where the REGS
section's EVTQ_BASE, EVTQ_PROD and EVTQ_CONS say (evtq()).  Section types
the parser does not know, type 4 included (where earlier versions of the
series copied those events), are skipped.

parse() refuses what the extension's smmu_dd_parse() refuses (the same
checks, in crash-extension/smmu-decode.c), and reads a register listed
twice as smmu_dd_find_reg() does: the first.  find() returns the dumps
that parse; one that does not costs only itself (as "smmu" marks it
unusable), its error going to the caller's `errors` list.
"""

from __future__ import annotations

import dataclasses
import struct
from typing import Iterator

NT_VMCOREDD = 0x700
VMCOREDD_NAME_BYTES = 44
NAME_PREFIX = "arm-smmu-v3."
MAGIC = b"SMMUKDMP"
VERSION = 1

HEADER = struct.Struct("<8sIIIIQIIQ")          # 48 bytes
SECTION = struct.Struct("<IIII")               # 16 bytes
REG = struct.Struct("<IIQ")                    # 16 bytes
WRITE = struct.Struct("<QQQIHH")               # 32 bytes
STREAM = struct.Struct("<IBBHQ")               # 16 bytes

SECT_REGS, SECT_WRITES, SECT_STREAMS = 1, 2, 3
SECT_MAX = SECT_STREAMS
SECT_RECORDS = {SECT_REGS: REG, SECT_WRITES: WRITE, SECT_STREAMS: STREAM}
MAX_SECTIONS = 64
SID_KEPT, SID_ABORTED, SID_RESET = 1, 2, 3
WHY_KEEP_LIST, WHY_KEEP_ALL, WHY_NOT_LISTED, WHY_BYPASS, WHY_MALFORMED = 1, 2, 3, 4, 5
WR_KINDS = {0: "other", 1: "STE", 2: "L1STD", 3: "CD", 4: "L1CD", 5: "queue"}
F_SMMUEN, F_ADOPTED, F_TRUNCATED = 1, 2, 4

# Registers of the snapshot that describe the event queue (IHI 0070 6.3)
IDR1, CR0, EVTQ_BASE, EVTQ_PROD, EVTQ_CONS = 0x4, 0x20, 0xa0, 0x100a8, 0x100ac
EVTQ_ENTRY = 32
EVTQS_MAX = 19


class DevDumpError(Exception):
    pass


@dataclasses.dataclass
class Write:
    phys: int
    old: int
    new: int
    sid: int
    size: int
    kind: str


@dataclasses.dataclass
class Stream:
    sid: int
    decision: int
    reason: int
    ste0: int


@dataclasses.dataclass
class DevDump:
    name: str
    flags: int
    smmu_base: int
    mode: int
    regs: dict[int, int]
    writes: list[Write]
    streams: dict[int, Stream]


def iter_notes(blob: bytes) -> Iterator[tuple[str, int, bytes, bytes]]:
    """(name, type, descriptor, the whole padded note) of each ELF note in
    `blob`, up to an all-zero header."""
    off = 0
    while off + 12 <= len(blob):
        namesz, descsz, ntype = struct.unpack_from("<III", blob, off)
        if namesz == 0 and descsz == 0 and ntype == 0:
            break
        desc_off = off + 12 + ((namesz + 3) & ~3)
        desc_end = desc_off + descsz
        if desc_end > len(blob):
            raise DevDumpError("note runs past the note area")
        name = blob[off + 12:off + 12 + namesz].rstrip(b"\0")
        end = desc_off + ((descsz + 3) & ~3)
        yield (name.decode(errors="replace"), ntype, blob[desc_off:desc_end],
               blob[off:end])
        off = end


def _records(data: bytes, sect: tuple[int, int, int, int], rec: struct.Struct):
    _, entry_size, count, offset = sect
    for i in range(count):
        yield rec.unpack_from(data, offset + i * entry_size)


def parse(name: str, data: bytes) -> DevDump:
    """Parse one device dump's data (the descriptor after the name)."""
    if len(data) < HEADER.size:
        raise DevDumpError("shorter than the header")
    (magic, version, header_size, total_size, flags, smmu_base, mode,
     nr_sections, _) = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise DevDumpError(f"bad magic {magic!r}")
    if version != VERSION:
        raise DevDumpError(f"unknown version {version}")
    if header_size < HEADER.size or header_size % 8:
        raise DevDumpError(f"bad header size {header_size}")
    if total_size > len(data):
        raise DevDumpError(f"truncated: total size {total_size}, "
                           f"only {len(data)} bytes present")
    if nr_sections > MAX_SECTIONS:
        raise DevDumpError(f"too many sections ({nr_sections})")
    table_end = header_size + nr_sections * SECTION.size
    if table_end > total_size:
        raise DevDumpError(f"section table ({nr_sections} entries) beyond "
                           f"the total size {total_size}")
    data = data[:total_size]
    sections = {}
    for i in range(nr_sections):
        s = SECTION.unpack_from(data, header_size + i * SECTION.size)
        typ, entry_size, count, offset = s
        if not typ:
            continue
        # every section's records, a later version's too, lie after the
        # section table and within total_size
        if offset % 8 or offset < table_end or \
                offset + count * entry_size > total_size:
            raise DevDumpError(f"section {i} (type {typ}): records at "
                               f"{offset}+{count * entry_size} outside "
                               f"[{table_end}, {total_size}) or misaligned")
        if typ > SECT_MAX:
            continue
        if typ in sections:
            raise DevDumpError(f"section type {typ} twice")
        if entry_size < SECT_RECORDS[typ].size:
            raise DevDumpError(f"section type {typ}: records of {entry_size} "
                               f"bytes, need at least {SECT_RECORDS[typ].size}")
        sections[typ] = s
    dd = DevDump(name=name, flags=flags, smmu_base=smmu_base, mode=mode,
                 regs={}, writes=[], streams={})
    if SECT_REGS in sections:
        for off, size, value in _records(data, sections[SECT_REGS], REG):
            dd.regs.setdefault(off, value)
    if SECT_WRITES in sections:
        for phys, old, new, sid, size, kind in _records(data, sections[SECT_WRITES], WRITE):
            dd.writes.append(Write(phys, old, new, sid, size,
                                   WR_KINDS.get(kind, f"kind {kind}")))
    if SECT_STREAMS in sections:
        for sid, decision, reason, _, ste0 in _records(data, sections[SECT_STREAMS], STREAM):
            dd.streams[sid] = Stream(sid, decision, reason, ste0)
    return dd


@dataclasses.dataclass
class EventQueue:
    """The event queue a register snapshot describes.  `why` is None when
    the registers can be followed, else why not (a key of EVTQ_REFUSALS);
    `indexes` are then the slots from CONS to PROD, oldest first."""
    why: str | None
    base: int = 0
    log2n: int = 0
    indexes: tuple[int, ...] = ()

    def entry(self, idx: int) -> int:
        return self.base + idx * EVTQ_ENTRY


EVTQ_REFUSALS = ("missing", "disabled", "size", "align", "pointers")


def evtq(regs: dict[int, int]) -> EventQueue:
    """The queue of EVTQ_BASE (ADDR [51:5], LOG2SIZE [4:0]) from EVTQ_CONS
    to EVTQ_PROD (the index below LOG2SIZE, the wrap bit at LOG2SIZE, OVFLG
    at 31 ignored), if CR0.EVTQEN is set, LOG2SIZE is at most IDR1.EVTQS
    ([20:16]) and 19, the base is aligned to the queue's size and PROD is
    not behind CONS, nor a whole queue ahead of it."""
    if any(r not in regs for r in (EVTQ_BASE, EVTQ_PROD, EVTQ_CONS, CR0, IDR1)):
        return EventQueue("missing")
    base_reg = regs[EVTQ_BASE]
    base = base_reg & ((1 << 52) - 1) & ~0x1f
    log2n = base_reg & 0x1f
    if not regs[CR0] & (1 << 2):
        return EventQueue("disabled", base, log2n)
    if log2n > (regs[IDR1] >> 16) & 0x1f or log2n > EVTQS_MAX:
        return EventQueue("size", base, log2n)
    n = 1 << log2n
    if base % (n * EVTQ_ENTRY):
        return EventQueue("align", base, log2n)
    prod, cons = regs[EVTQ_PROD], regs[EVTQ_CONS]
    pi, ci = prod % n, cons % n
    same_pass = (prod // n) % 2 == (cons // n) % 2
    if (same_pass and pi < ci) or (not same_pass and pi > ci):
        return EventQueue("pointers", base, log2n)
    count = pi - ci if same_pass else n - ci + pi
    return EventQueue(None, base, log2n,
                      tuple((ci + i) % n for i in range(count)))


def find(notes: bytes,
         errors: list[tuple[str, str]] | None = None) -> list[DevDump]:
    """Every SMMUv3 device dump in an ELF note area that parses.  For each
    one that does not, and for a note area damaged after the last note
    read (the notes before it are kept), (dump name or "notes", error) is
    appended to `errors` if given."""
    out = []
    try:
        for name, ntype, desc, _ in iter_notes(notes):
            if ntype != NT_VMCOREDD or name != "LINUX" or \
                    len(desc) < VMCOREDD_NAME_BYTES:
                continue
            ddname = desc[:VMCOREDD_NAME_BYTES].split(b"\0")[0].decode(
                errors="replace")
            if not ddname.startswith(NAME_PREFIX):
                continue
            try:
                out.append(parse(ddname, desc[VMCOREDD_NAME_BYTES:]))
            except DevDumpError as e:
                if errors is not None:
                    errors.append((ddname, str(e)))
    except DevDumpError as e:
        if errors is not None:
            errors.append(("notes", str(e)))
    return out
