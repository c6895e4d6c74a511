#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ground truth for the crash "smmu" end-to-end test, from a rig run
directory, without trusting the kernel under test:

  ste RUN SID          the STE of SID in the stream table saved through QMP
                       just before the crash (strtab/): "PA W0 ... W7" (hex)
  pairs RUN [N]        (sid, iova, pa, perm, stage) of QEMU's own translations
                       (smmuv3_translate_success in trace.log) for the rig's
                       devices (SIDs 0x100, 0x200, 0x300) from 100 ms before
                       the crash marker up to the crash kernel's first SMMU
                       register access, one per page: one per SID first,
                       those after the marker (the dead kernel cannot unmap
                       them any more) before the others, the latest first:
                       "SID IOVA PA PERM STAGE LATE" (hex; LATE is 1 after
                       the marker)
  valid RUN            "SID CONFIG" of every valid STE that does not abort in
                       the QMP snapshot (CONFIG as "smmu -a" names it)
  devspec RUN OUT      a device-dump spec for vmcore_tool.py devdump built from
                       the QMP register snapshot, as if the crash kernel had
                       aborted SID 0x200 and repointed the L1 descriptor of
                       SIDs 0x100-0x1ff; prints "PA NEWVALUE" per store
"""

import json
import os
import re
import sys

TRANSLATE = re.compile(r"^\d+@(\d+\.\d+):smmuv3_translate_success \S+ "
                       r"sid=(0x[0-9a-f]+) iova=(0x[0-9a-f]+) "
                       r"translated=(0x[0-9a-f]+) perm=(0x[0-9a-f]+) "
                       r"stage=(\d+)")
IDR0_READ = re.compile(r"^\d+@(\d+\.\d+):smmuv3_read_mmio addr: 0x0 ")


def strtab(run):
    with open(os.path.join(run, "strtab", "strtab.json")) as f:
        return json.load(f)


def ste(run, sid):
    st = strtab(run)
    if st["fmt"] == "2lvl":
        split = st["split"]
        want = sid >> split
        off = (sid & ((1 << split) - 1)) * 64
        for f in st["files"]:
            if f.get("l1") == want:
                break
        else:
            return None
    else:
        f = st["files"][0]
        off = sid * 64
    with open(os.path.join(run, "strtab", f["file"]), "rb") as fh:
        data = fh.read()
    if off + 64 > len(data):
        return None
    words = [int.from_bytes(data[off + 8 * i:off + 8 * i + 8], "little")
             for i in range(8)]
    return f["phys"] + off, words


RIG_SIDS = (0x100, 0x200, 0x300)


def crash_window(run):
    t_crash = None
    with open(os.path.join(run, "serial.tsv"), errors="replace") as f:
        for line in f:
            host, _, text = line.rstrip("\n").partition("\t")
            if text.endswith("RIG-MARK crash"):
                t_crash = float(host)
                break
    if t_crash is None:
        raise SystemExit(f"{run}: no 'RIG-MARK crash' in serial.tsv")
    t_probe = float("inf")
    with open(os.path.join(run, "trace.log"), errors="replace") as f:
        for line in f:
            m = IDR0_READ.match(line)
            if m and float(m.group(1)) > t_crash:
                t_probe = float(m.group(1))
                break
    return t_crash - 0.1, t_crash, t_probe


def pairs(run, limit):
    start, t_crash, end = crash_window(run)
    found = []
    with open(os.path.join(run, "trace.log"), errors="replace") as f:
        for line in f:
            m = TRANSLATE.match(line)
            if not m:
                continue
            t = float(m.group(1))
            if t < start:
                continue
            if t >= end:
                break
            sid = int(m.group(2), 16)
            if sid in RIG_SIDS:
                found.append((sid, int(m.group(3), 16), int(m.group(4), 16),
                              int(m.group(5), 16), int(m.group(6)),
                              int(t >= t_crash)))
    seen = set()
    out = []
    for p in reversed(found):
        key = (p[0], p[1] >> 12)
        if key not in seen:
            seen.add(key)
            out.append(p)
    # after the marker first (stable: newest first within each group), and
    # the first one of each SID ahead of the rest
    out.sort(key=lambda p: -p[5])
    first = {}
    for p in out:
        first.setdefault(p[0], p)
    lead = list(first.values())
    return (lead + [p for p in out if p not in lead])[:limit]


CFG_NAMES = {4: "bypass", 5: "s1-trans", 6: "s2-trans", 7: "nested"}


def valid(run):
    st = strtab(run)
    out = []
    for f in st["files"]:
        if st["fmt"] == "2lvl":
            if "l1" not in f:
                continue
            first = f["l1"] << st["split"]
        else:
            first = 0
        with open(os.path.join(run, "strtab", f["file"]), "rb") as fh:
            data = fh.read()
        for i in range(len(data) // 64):
            w0 = int.from_bytes(data[64 * i:64 * i + 8], "little")
            cfg = (w0 >> 1) & 7
            if w0 & 1 and cfg:
                out.append((first + i, CFG_NAMES.get(cfg, "reserved")))
    return sorted(out)


def l1desc(run, idx):
    st = strtab(run)
    for f in st["files"]:
        if "l1" not in f:
            with open(os.path.join(run, "strtab", f["file"]), "rb") as fh:
                data = fh.read()
            return f["phys"] + 8 * idx, int.from_bytes(
                data[8 * idx:8 * idx + 8], "little")
    return None


def devspec(run, out):
    """As if the crash kernel had aborted SID 0x200 (STE word 0) and pointed
    the L1 descriptor of SIDs 0x100-0x1ff at a table of its own (in its
    reserved memory, which the dump does not hold)."""
    st = strtab(run)
    r = st["regs"]
    regs = [[0x0, 4, r["idr0"]], [0x4, 4, r["idr1"]], [0x20, 4, r["cr0"]],
            [0x44, 4, r["gbpa"]], [0x80, 8, r["strtab_base"]],
            [0x88, 4, r["strtab_base_cfg"]], [0x90, 8, r["cmdq_base"]],
            [0xa0, 8, r["evtq_base"]], [0x100a8, 4, 2], [0x100ac, 4, 0]]
    pa, words = ste(run, 0x200)
    abort = 0x1
    writes = [[pa, words[0], abort, 0x200, 8, 1]]
    pokes = [(pa, abort)]
    if st["fmt"] == "2lvl" and st["split"] == 8:
        l1pa, l1old = l1desc(run, 1)
        l1new = 0x6ff94000 | 9
        writes.append([l1pa, l1old, l1new, 0xffffffff, 8, 2])
        pokes.append((l1pa, l1new))
    spec = {
        "name": "arm-smmu-v3.9050000",
        "smmu_base": 0x9050000,
        "mode": 1,
        "flags": 3,
        "regs": regs,
        "writes": writes,
        "streams": [[0x100, 1, 1, ste(run, 0x100)[1][0]],
                    [0x200, 2, 3, words[0]],
                    [0x300, 1, 1, ste(run, 0x300)[1][0]]],
        "events": [[0, 0x10 | (0x300 << 32), 0, 0xfff0e000, 0],
                   [1, 0x04 | (0x200 << 32), 0, 0, 0]],
    }
    with open(out, "w") as f:
        json.dump(spec, f)
    for pa, val in pokes:
        print(f"{pa:x} {val:x}")


def main(argv):
    if len(argv) >= 3 and argv[0] == "ste":
        r = ste(argv[1], int(argv[2], 0))
        if r is None:
            raise SystemExit(f"SID {argv[2]} not in the QMP snapshot")
        print(f"{r[0]:x} " + " ".join(f"{w:016x}" for w in r[1]))
    elif len(argv) >= 2 and argv[0] == "pairs":
        for p in pairs(argv[1], int(argv[2]) if len(argv) > 2 else 8):
            print("%x %x %x %x %d %d" % p)
    elif len(argv) == 2 and argv[0] == "valid":
        for sid, cfg in valid(argv[1]):
            print(f"{sid:#x} {cfg}")
    elif len(argv) == 3 and argv[0] == "devspec":
        devspec(argv[1], argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
