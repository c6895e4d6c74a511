#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ground truth for the crash "smmu" end-to-end test, from a rig run
directory, without trusting the kernel under test:

  ste RUN SID          the STE of SID in the stream table the crashed kernel
                       left: the one saved through QMP just before the crash
                       (strtab/) with the rig's fault-injection stores
                       (run.json "pokes") applied: "PA W0 ... W7" (hex)
  pairs RUN [N [MODE]]  (sid, iova, pa, perm, stage) of QEMU's own translations
                       (smmuv3_translate_success in trace.log) for the rig's
                       devices (their StreamIDs, see rig; only those whose
                       STE "smmu" reaches walking as MODE says, see reach,
                       default "driver", and whose STE and CD the fault
                       injection left alone: QEMU translates with the
                       configuration it cached) from 100 ms before the
                       crash marker up to the
                       crash kernel's first SMMU register access, one per
                       page: one per SID first, those after the dying
                       kernel's "Starting crashdump kernel" line (its CPUs
                       stopped: it cannot unmap them any more) before the
                       others, the latest first: "SID IOVA PA PERM STAGE
                       LATE" (hex; LATE is 1 after that line, or after the
                       marker if the log lacks it)
  rig RUN              "DUMP DATA NET PCI": the StreamIDs of the rig's dump
                       disk, data disk and NIC in the run's topology (0x100,
                       0x200, 0x300 on root ports), the NIC's PCI function
  valid RUN [MODE]     "SID CONFIG" of every valid STE that does not abort in
                       the QMP snapshot (CONFIG as "smmu -a" names it) that
                       "smmu" can reach in MODE (see reach; default
                       "driver")
  reach RUN SID MODE   "ok" if SID's STE can be reached in the stream table
                       the crashed kernel left (the snapshot with the rig's
                       fault-injection pokes), walked like the SMMU does
                       (MODE "table") or as "smmu" does with the driver's
                       state (MODE "driver": the driver's L2 table when the
                       L1 descriptor points elsewhere); else "L1PA L1VALUE
                       REASON"
  devspec RUN OUT      a device-dump spec for vmcore_tool.py devdump: on a
                       dump without a device dump, built from the QMP
                       register snapshot, as if the crash kernel had
                       aborted the data disk's STE and repointed the L1
                       descriptor of the dump disk's span (see rig), with
                       two events pending in the
                       event queue (EVTQ_CONS 0, EVTQ_PROD 2; their records
                       in the spec's "events", which vmcore_tool.py to-elf
                       --events stores in the queue); on a dump that
                       carries the crash kernel's own device dump, that
                       dump (as the oracle's parser reads it) plus the same
                       simulated stores where the crash kernel left the
                       words alone, and no simulated events.  The spec's
                       "queue" holds the pending entries as the run's dump
                       has them.  Prints "KIND PA NEWVALUE" per simulated
                       store (KIND STE or L1STD)
  realspec RUN OUT     the same kind of spec for the device dump in RUN's
                       vmcore as it is (exit 1 if there is none)
  ddexpect SPEC AS     extended regular expressions, one a line, that
                       "smmu -d" must print for SPEC's device dump; AS says
                       which copy it is read from: "dump" (the run's own
                       vmcore), "elf" (the ELF copy, simulated stores
                       applied) or "kdump" (the kdump-compressed copy,
                       simulated stores not applied); the simulated events
                       likewise (the pending entries the registers point
                       at: the spec's "events" in the ELF copy, its
                       "queue" otherwise)
  strtab BASE CFG      the stream table STRTAB_BASE and _CFG (hex) describe,
                       as "smmu" names it ("reserved" for a value it
                       refuses)
  state RUN            what the saved dump holds compared with the QMP
                       snapshot (the crashed kernel's memory at the crash:
                       the snapshot plus the rig's fault-injection pokes in
                       run.json), read with the oracle's dump reader:
                         "devdump NAME FLAGS MODE WRITES STREAMS EVENTS"
                             per SMMUv3 device dump in the vmcore notes
                             (EVENTS: the entries its EVTQ registers say
                             are pending, "-" if they cannot be followed)
                         "diff PA SNAPSHOT DUMP KIND" per 64-bit word of
                             the snapshot's tables that differs (KIND
                             L1STD or STE)
                         "rewritten N": populated L1 descriptors of the
                             snapshot whose L2 pointer the dump does not
                             hold and that the dump's device dump records a
                             store to (what "smmu" counts as L1 REWRITTEN
                             in a copy that carries a device dump)
                         "damaged PA" per such descriptor that no store
                             records (changed before the crash, by the
                             rig's fault injection: L1 DAMAGED there)
  l1 RUN SID [VALUE]   "PA SNAPSHOT DUMP INDUMP" for the L1 descriptor of
                       SID: its address, its value at the crash and in the
                       dump (or VALUE, hex, for a copy with a simulated
                       store), and whether the dump holds the L2 table that
                       value points at (1/0)
  check-writes RUN     reads "smmu -d" output on stdin: every L1STD store
                       it lists has the snapshot's word as OLD, the dump's
                       word as NEW and "new" as its state; exit 1 with a
                       diagnosis otherwise
  check-recorded RUN   reads "smmu -d" output on stdin: every L1 descriptor
                       that differs between the snapshot and the dump is
                       among the listed stores
  check-decisions RUN  reads "smmu -d" output on stdin: the decision listed
                       for the rig's three StreamIDs agrees with QEMU's
                       trace (smmu_trace.analyse): from the crash
                       kernel's switch (its first CMD_TLBI_NSNH_ALL) to the
                       SID's first CMD_CFGI_STE (the attach of a new
                       domain) nothing passes untranslated and an aborted
                       SID translates nothing; a kept SID has no blocked
                       transaction after the crash marker but while a
                       linear table's switch has the SMMU off;
                       STE0_AS_FOUND is the snapshot's STE word 0; exit 77
                       if nothing failed but a kept SID's trace cannot be
                       judged (QEMU's walk of a linear table as 2-level)
"""

import functools
import json
import os
import re
import struct
import sys
from pathlib import Path

from tests.e2e import rig, scenarios
from tests.e2e import run as e2e_run
from tests.oracle import devdump, kdumpfile, smmu_trace
from tests.oracle.smmu_model import REGISTERS
from tests.oracle.trace import switch_window, ts_to_us

TRANSLATE = re.compile(r"^\d+@(\d+\.\d+):smmuv3_translate_success \S+ "
                       r"sid=(0x[0-9a-f]+) iova=(0x[0-9a-f]+) "
                       r"translated=(0x[0-9a-f]+) perm=(0x[0-9a-f]+) "
                       r"stage=(\d+)")
IDR0_READ = re.compile(r"^\d+@(\d+\.\d+):smmuv3_read_mmio addr: 0x0 ")
L2PTR_MASK = 0x0000ffffffffffc0
# an address field's bits 51:6 (STRTAB_BASE.ADDR, S1ContextPtr)
ADDR_MASK = 0x000fffffffffffc0
SPAN_MASK = 0x1f
# 64-bit registers (GERROR_IRQ_CFG0, STRTAB_BASE, CMDQ/EVTQ/PRIQ_BASE and
# their IRQ_CFG0)
REG64 = (0x68, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0)


def strtab(run):
    with open(os.path.join(run, "strtab", "strtab.json")) as f:
        return json.load(f)


def pokes(run):
    """The rig's fault-injection stores (run.json "pokes"), made through
    /dev/mem after the QMP snapshot and before the crash."""
    try:
        with open(os.path.join(run, "run.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return []
    # [address, value, width in bits]; MMIO registers (width 32) are not
    # memory the tables live in
    return [(int(p[0], 16), int(p[1], 16)) for p in meta.get("pokes", [])
            if len(p) < 3 or p[2] == 64]


def tables(run):
    """[(file entry, bytes)] of the snapshot's tables as the crashed kernel
    left them: the QMP snapshot with the rig's pokes applied."""
    st = strtab(run)
    pk = pokes(run)
    out = []
    for f in st["files"]:
        with open(os.path.join(run, "strtab", f["file"]), "rb") as fh:
            data = bytearray(fh.read())
        for pa, val in pk:
            if f["phys"] <= pa and pa + 8 <= f["phys"] + len(data):
                struct.pack_into("<Q", data, pa - f["phys"], val)
        out.append((f, bytes(data)))
    return out


def word_at(run, pa):
    """The snapshot's (poked) 64-bit word at pa, or None."""
    for f, data in tables(run):
        if f["phys"] <= pa and pa + 8 <= f["phys"] + len(data):
            return struct.unpack_from("<Q", data, pa - f["phys"])[0]
    return None


def ste(run, sid):
    st = strtab(run)
    if st["fmt"] == "2lvl":
        split = st["split"]
        want = sid >> split
        off = (sid & ((1 << split) - 1)) * 64
        for f, data in tables(run):
            if f.get("l1") == want:
                break
        else:
            return None
    else:
        f, data = tables(run)[0]
        off = sid * 64
    if off + 64 > len(data):
        return None
    words = [int.from_bytes(data[off + 8 * i:off + 8 * i + 8], "little")
             for i in range(8)]
    return f["phys"] + off, words


def reach(run, sid, mode):
    """Whether SID's STE can be found in the stream table the crashed
    kernel left (the snapshot with the rig's pokes), walked like the SMMU
    does ("table"), or like "smmu" does from the driver's state ("driver":
    the L2 table the driver recorded, l2ptrs[], is used when the L1
    descriptor points elsewhere and the vmcore has no device dump; with
    one, "smmu" walks the descriptor the SMMU walked at the crash: as
    memory held it then, which is the value before the first store the
    device dump records, or, with no store recorded, changed before the
    crash, L1 DAMAGED).  Returns None if it can, else (reason, L1
    descriptor address, its value)."""
    st = strtab(run)
    if st["fmt"] != "2lvl":
        return None
    split = st["split"]
    idx = sid >> split
    pa, d = l1desc(run, idx)
    f = next(f for f in st["files"] if "l1" not in f)
    with open(os.path.join(run, "strtab", f["file"]), "rb") as fh:
        raw = fh.read()
    drv = struct.unpack_from("<Q", raw, 8 * idx)[0] & L2PTR_MASK
    span = d & SPAN_MASK
    if mode == "driver" and drv and d & L2PTR_MASK != drv and \
            not has_devdump(run):
        return None
    if not span:
        return "no level-2 table (span 0)", pa, d
    if span > split + 1:
        return "span larger than SPLIT + 1", pa, d
    if (sid & ((1 << split) - 1)) >> (span - 1):
        return "StreamID beyond the span", pa, d
    # the SMMU takes the low bits of an L2Ptr not aligned to the table's
    # size as zero (IHI 0070 5.2), as "smmu" does
    l2 = d & L2PTR_MASK & ~((64 << (span - 1)) - 1)
    if not any(f.get("l1") == idx and f["phys"] == l2 for f in st["files"]):
        return f"L2 table at {l2:#x} not in the snapshot", pa, d
    return None


@functools.lru_cache(maxsize=None)
def has_devdump(run):
    """Whether the run's vmcore carries a device dump."""
    if not os.path.exists(os.path.join(run, "vmcore")):
        return False
    dump = Dump(run)
    try:
        return bool(dump.devdumps())
    finally:
        dump.close()


def rig_sids(run):
    """StreamIDs of the rig's dump disk, data disk and NIC in the run's
    topology (run.json), and the NIC's PCI function."""
    with open(os.path.join(run, "run.json")) as f:
        topology = json.load(f)["config"].get("topology", "rootports")
    sids = rig.topology_sids(topology)
    return (sids["dump"], sids["data"], sids["net"],
            rig.topology_bdfs(topology)["net"])


def crash_window(run):
    """(start, dead, end) in host microseconds: 100 ms before the crash
    marker; when the dying kernel can no longer unmap anything (its
    "Starting crashdump kernel" line, printed once the other CPUs are
    stopped; the marker if there is none: a CPU can still finish an unmap
    between the marker and then); the crash kernel's first IDR0 read."""
    t_crash = t_dead = None
    with open(os.path.join(run, "serial.tsv"), errors="replace") as f:
        for line in f:
            host, _, text = line.rstrip("\n").partition("\t")
            if t_crash is None and text.endswith("RIG-MARK crash"):
                t_crash = ts_to_us(host)
            elif t_crash is not None and "Starting crashdump kernel" in text:
                t_dead = ts_to_us(host)
                break
    if t_crash is None:
        raise SystemExit(f"{run}: no 'RIG-MARK crash' in serial.tsv")
    t_probe = float("inf")
    with open(os.path.join(run, "trace.log"), errors="replace") as f:
        for line in f:
            m = IDR0_READ.match(line)
            if m and ts_to_us(m.group(1)) > t_crash:
                t_probe = ts_to_us(m.group(1))
                break
    return t_crash - 100_000, t_dead or t_crash, t_probe


def config_words(run, sid):
    """Addresses of the 64-bit words of SID's STE and, for a stage-1 or
    nested STE, of its first CD (the snapshot's), the configuration QEMU
    caches."""
    pa, words = ste(run, sid)
    out = {pa + 8 * i for i in range(8)}
    if words[0] & 1 and (words[0] >> 1) & 7 in (5, 7):
        cd = words[0] & ADDR_MASK
        out |= {cd + 8 * i for i in range(8)}
    return out


def pairs(run, limit, mode="driver"):
    start, t_crash, end = crash_window(run)
    # QEMU translates with the STE it cached: a SID whose L1 descriptor the
    # rig corrupted afterwards has no STE in the table the dump holds
    # (and one whose STE or CD it corrupted: QEMU does not see the store
    # until it is invalidated)
    poked = {pa for pa, _ in pokes(run)}
    sids = rig_sids(run)[:3]
    reachable = {s for s in sids if reach(run, s, mode) is None and
                 ste(run, s) and not poked & config_words(run, s)}
    found = []
    with open(os.path.join(run, "trace.log"), errors="replace") as f:
        for line in f:
            m = TRANSLATE.match(line)
            if not m:
                continue
            t = ts_to_us(m.group(1))
            if t < start:
                continue
            if t >= end:
                break
            sid = int(m.group(2), 16)
            if sid in reachable:
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


def valid(run, mode="driver"):
    """The translating STEs "smmu -a" finds, walking as reach()'s mode
    says."""
    st = strtab(run)
    out = []
    for f, data in tables(run):
        if st["fmt"] == "2lvl":
            if "l1" not in f:
                continue
            first = f["l1"] << st["split"]
            if reach(run, first, mode) is not None:
                continue
        else:
            first = 0
        for i in range(len(data) // 64):
            w0 = int.from_bytes(data[64 * i:64 * i + 8], "little")
            cfg = (w0 >> 1) & 7
            if w0 & 1 and cfg:
                out.append((first + i, CFG_NAMES.get(cfg, "reserved")))
    return sorted(out)


def l1_table(run):
    """(file entry, bytes) of the L1 table, or None (linear table)."""
    for f, data in tables(run):
        if "l1" not in f and strtab(run)["fmt"] == "2lvl":
            return f, data
    return None


def l1desc(run, idx):
    t = l1_table(run)
    if t is None:
        return None
    f, data = t
    return f["phys"] + 8 * idx, int.from_bytes(data[8 * idx:8 * idx + 8],
                                               "little")


# ---- the saved dump ---------------------------------------------------------

class Dump:
    """The run's vmcore, read with the oracle's reader (not crash)."""

    def __init__(self, run):
        self.k = kdumpfile.KdumpFile(os.path.join(run, "vmcore"))

    def word(self, pa):
        """The dump's 64-bit word at pa; None if the page is not RAM of the
        dump (e.g. crash-kernel memory)."""
        try:
            data, _ = self.k.read(pa, 8)
        except kdumpfile.DumpError:
            return None
        return struct.unpack("<Q", data)[0]

    def holds(self, pa):
        """True if the dump has the page of pa (dumped or filtered)."""
        return self.k.exists(pa // self.k.page_size)

    def devdumps(self):
        return devdump.find(self.k.notes())

    def close(self):
        self.k.close()


def diffs(run, dump):
    """[(pa, snapshot word, dump word, kind)] over the snapshot's tables."""
    out = []
    st = strtab(run)
    for f, snap in tables(run):
        try:
            got, _ = dump.k.read(f["phys"], len(snap))
        except kdumpfile.DumpError:
            got = bytes(len(snap))
        kind = "L1STD" if st["fmt"] == "2lvl" and "l1" not in f else "STE"
        out += [d + (kind,)
                for d in kdumpfile.word_diffs(f["phys"], snap, got)]
    return out


def l1_moved(run, dump):
    """Addresses of the populated L1 descriptors whose L2 pointer the dump
    does not hold (compared with the QMP snapshot itself, which is what
    the driver's l2ptrs[] record)."""
    st = strtab(run)
    if st["fmt"] != "2lvl":
        return []
    f = next(f for f in st["files"] if "l1" not in f)
    with open(os.path.join(run, "strtab", f["file"]), "rb") as fh:
        snap = fh.read()
    out = []
    for off in range(0, len(snap), 8):
        want = struct.unpack_from("<Q", snap, off)[0]
        if not want & SPAN_MASK:
            continue
        pa = f["phys"] + off
        got = dump.word(pa)
        if got is None or not got & SPAN_MASK or \
                got & L2PTR_MASK != want & L2PTR_MASK:
            out.append(pa)
    return out


def state(run):
    dump = Dump(run)
    stores = set()
    try:
        for d in dump.devdumps():
            stores |= {w.phys for w in d.writes if w.kind == "L1STD"}
            q = devdump.evtq(d.regs)
            print(f"devdump {d.name} {d.flags:#x} {d.mode} {len(d.writes)} "
                  f"{len(d.streams)} "
                  f"{'-' if q.why else len(q.indexes)}")
        for pa, a, b, kind in diffs(run, dump):
            print(f"diff {pa:x} {a:016x} {b:016x} {kind}")
        moved = l1_moved(run, dump)
        print(f"rewritten {sum(pa in stores for pa in moved)}")
        for pa in moved:
            if pa not in stores:
                print(f"damaged {pa:x}")
    finally:
        dump.close()


def l1(run, sid, value=None):
    st = strtab(run)
    if st["fmt"] != "2lvl":
        raise SystemExit("not a 2-level stream table")
    pa, snap = l1desc(run, sid >> st["split"])
    dump = Dump(run)
    try:
        got = dump.word(pa) if value is None else value
        print(f"{pa:x} {snap:016x} {got:016x} "
              f"{int(dump.holds(got & L2PTR_MASK))}")
    finally:
        dump.close()


# ---- device dumps -----------------------------------------------------------

# at most this many pending entries are read from the dump for a spec
QUEUE_MAX = 1024


def queue_of(regs, dump):
    """The entries the registers say are pending, as the dump holds them:
    [[index, w0, w1, w2, w3]], or [index] for one the dump does not hold
    (the walk, like "smmu -d", stops there)."""
    q = devdump.evtq({off: v for off, _size, v in regs})
    out = []
    for idx in q.indexes[:QUEUE_MAX]:
        words = [dump.word(q.entry(idx) + 8 * k) for k in range(4)]
        if None in words:
            out.append([idx])
            break
        out.append([idx, *words])
    return out


def spec_of(dd, dump):
    """A vmcore_tool.py devdump spec holding dd (an oracle DevDump), with
    the state "smmu -d" must show for each store in the dump."""
    kinds = {v: k for k, v in devdump.WR_KINDS.items()}
    writes, states = [], []
    for w in dd.writes:
        writes.append([w.phys, w.old, w.new, w.sid, w.size, kinds[w.kind]])
        now = dump.word(w.phys) if w.size == 8 else None
        if w.size == 4:
            raw = dump.word(w.phys & ~7)
            if raw is not None:
                now = (raw >> (8 * (w.phys & 4))) & 0xffffffff
        states.append(None if now is None else
                      "new" if now == w.new else
                      "old" if now == w.old else "changed")
    # devdump.py keeps the values only; the sizes are the layout's
    regs = [[off, 8 if off in REG64 else 4, v] for off, v in dd.regs.items()]
    return {
        "name": dd.name,
        "smmu_base": dd.smmu_base,
        "mode": dd.mode,
        "flags": dd.flags,
        "regs": regs,
        "writes": writes,
        "states": states,
        "simulated": [False] * len(writes),
        "streams": [[s.sid, s.decision, s.reason, s.ste0]
                    for s in dd.streams.values()],
        # the pending events are the queue's, in memory: none simulated
        "events": [],
        "queue": queue_of(regs, dump),
    }


def realspec(run, out):
    dump = Dump(run)
    try:
        dds = dump.devdumps()
        if not dds:
            raise SystemExit(1)
        spec = spec_of(dds[0], dump)
    finally:
        dump.close()
    with open(out, "w") as f:
        json.dump(spec, f)


def devspec(run, out):
    """As if the crash kernel had aborted the data disk's STE (word 0) and
    pointed the L1 descriptor of the dump disk's span at a table of its own
    (in its reserved memory, which the dump does not hold).  On a dump with the
    crash kernel's own device dump, its records come first and a simulated
    store is only added where the dump still holds the crashed kernel's
    word."""
    st = strtab(run)
    r = st["regs"]
    dump = Dump(run)
    try:
        dds = dump.devdumps()
        sid_dump, sid_data, sid_net, _ = rig_sids(run)
        pa, words = ste(run, sid_data)
        abort = 0x1
        sim = []
        if dump.word(pa) == words[0]:
            sim.append(([pa, words[0], abort, sid_data, 8, 1], (pa, abort)))
        if st["fmt"] == "2lvl" and st["split"] == 8:
            l1pa, l1old = l1desc(run, sid_dump >> 8)
            l1new = 0x6ff94000 | 9
            if dump.word(l1pa) == l1old:
                sim.append(([l1pa, l1old, l1new, 0xffffffff, 8, 2],
                            (l1pa, l1new)))
        if dds:
            spec = spec_of(dds[0], dump)
        else:
            spec = {
                "name": "arm-smmu-v3.9050000",
                "smmu_base": 0x9050000,
                "mode": 1,
                "flags": 3,
                # EVTQ_PROD 2, EVTQ_CONS 0: slots 0 and 1 of the queue at
                # EVTQ_BASE hold the "events" below
                "regs": [[0x0, 4, r["idr0"]], [0x4, 4, r["idr1"]],
                         [0x20, 4, r["cr0"]], [0x44, 4, r["gbpa"]],
                         [0x80, 8, r["strtab_base"]],
                         [0x88, 4, r["strtab_base_cfg"]],
                         [0x90, 8, r["cmdq_base"]], [0xa0, 8, r["evtq_base"]],
                         [0x100a8, 4, 2], [0x100ac, 4, 0]],
                "writes": [],
                "states": [],
                "simulated": [],
                "streams": [[sid_dump, 1, 1, ste(run, sid_dump)[1][0]],
                            [sid_data, 2, 3, words[0]],
                            [sid_net, 1, 1, ste(run, sid_net)[1][0]]],
                "events": [[0, 0x10 | (sid_net << 32), 0, 0xfff0e000, 0],
                           [1, 0x04 | (sid_data << 32), 0, 0, 0]],
            }
            spec["queue"] = queue_of(spec["regs"], dump)
    finally:
        dump.close()
    for w, _ in sim:
        spec["writes"].append(w)
        spec["states"].append(None)
        spec["simulated"].append(True)
    with open(out, "w") as f:
        json.dump(spec, f)
    for w, (pa, val) in sim:
        print(f"{KIND_NAMES[w[5]]} {pa:x} {val:x}")


REG_NAMES = REGISTERS
DECISIONS = {1: "kept", 2: "aborted", 3: "reset"}
REASONS = {0: "-", 1: "in-keep-list", 2: "keep-all",
           3: "not-in-keep-list", 4: "bypass-ste", 5: "failed-checks",
           6: "unreadable", 7: "reset-mode"}
MODES = {0: "reset", 1: "keep-quiesced", 2: "keep-all"}
FLAGS = ("SMMUEN", "ADOPTED", "TRUNCATED")
EVENTS = {0x01: "F_UUT", 0x02: "C_BAD_STREAMID", 0x03: "F_STE_FETCH",
          0x04: "C_BAD_STE", 0x05: "F_BAD_ATS_TREQ",
          0x06: "F_STREAM_DISABLED", 0x07: "F_TRANSL_FORBIDDEN",
          0x08: "C_BAD_SUBSTREAMID", 0x09: "F_CD_FETCH", 0x0a: "C_BAD_CD",
          0x0b: "F_WALK_EABT", 0x10: "F_TRANSLATION", 0x11: "F_ADDR_SIZE",
          0x12: "F_ACCESS", 0x13: "F_PERMISSION", 0x20: "F_TLB_CONFLICT",
          0x21: "F_CFG_CONFLICT", 0x24: "E_PAGE_REQUEST",
          0x25: "F_VMS_FETCH"}
KIND_NAMES = {0: "other", 1: "STE", 2: "L1STD", 3: "CD", 4: "L1CD",
              5: "queue"}
# why "smmu -d" does not follow the EVTQ registers (devdump.evtq()), as EREs
EVTQ_REFUSALS = {
    "missing": "no [A-Z0-9_]+ in the register snapshot$",
    "disabled": "event queue disabled at handover \\(CR0 [0-9a-fx]+, "
                "EVTQEN clear\\)$",
    "size": "EVTQ_BASE [0-9a-fx]+: LOG2SIZE [0-9]+ above ",
    "align": "EVTQ_BASE [0-9a-fx]+: queue at [0-9a-f]+ not aligned to its "
             "size ",
    "pointers": "EVTQ_PROD [0-9a-fx]+ and EVTQ_CONS [0-9a-fx]+ inconsistent ",
}


def _c(v):
    """C's "%#x"/"%#llx": no prefix for zero."""
    return f"{v:#x}" if v else "0"


def strtab_desc(base, cfg):
    """The stream table STRTAB_BASE and STRTAB_BASE_CFG describe, as
    "smmu" names it, its address aligned down to the table's size as the
    SMMU takes it (IHI 0070 6.3.23); None for a value "smmu" calls
    reserved: FMT 2 or 3, SPLIT not 6, 8 or 10, LOG2SIZE over 32."""
    fmt, split, log2size = cfg >> 16 & 3, cfg >> 6 & 0x1f, cfg & 0x3f
    if fmt > 1 or log2size > 32 or fmt == 1 and split not in (6, 8, 10):
        return None
    nr_l1 = 1 << max(log2size - split, 0)
    size = 8 * nr_l1 if fmt else 64 << log2size
    addr = base & ADDR_MASK & ~(max(size, 64) - 1)
    if fmt:
        return (f"2-level {addr:x} ({nr_l1} L1 entries, split {split}, "
                f"{1 << log2size} StreamIDs)")
    return f"linear {addr:x} ({1 << log2size} StreamIDs)"


def ddexpect(spec_path, where):
    """The lines "smmu -d" prints for the dump in spec_path (see
    crash-extension/smmu-devdump.h for the fields), as EREs."""
    with open(spec_path) as f:
        spec = json.load(f)
    e = re.escape
    out = [f"^DEVICE DUMP: {e(spec['name'])}  version 1, [0-9]+ bytes$"]
    fl = spec["flags"]
    names = "|".join(n for i, n in enumerate(FLAGS) if fl >> i & 1)
    out.append(f"^  SMMU BASE: {spec['smmu_base']:x}  MODE: "
               f"{e(MODES.get(spec['mode'], 'unknown'))} \\({spec['mode']}\\)"
               f"  FLAGS: {e(_c(fl))}" + (f" \\({e(names)}\\)$" if fl else "$"))
    out.append(f"^  REGISTERS AT HANDOVER \\({len(spec['regs'])}\\):$")
    regs = {}
    for off, _size, v in spec["regs"]:
        regs[off] = v
        name = REG_NAMES.get(off & ~0x10000)
        label = e(name) if name else e(f"{off:#x}")
        out.append(f"^    {label} +{_c(v)}(  \\(.*\\))?$")
    if 0x80 in regs and 0x88 in regs:
        t = strtab_desc(regs[0x80], regs[0x88])
        out.append("^    stream table: " + ("reserved STRTAB_BASE_CFG" if t is None
                                           else e(t)) + "$")
    q = devdump.evtq(regs)
    if not q.why:
        out.append(f"^    event queue: {len(q.indexes)} entr(y|ies) pending "
                   "at handover$")
    out.append(f"^  STREAMS \\({len(spec['streams'])}\\):$")
    for sid, dec, why, ste0 in spec["streams"]:
        # StreamIDs are printed "0x%x", 0x0 included (smmu_sid_str())
        out.append(f"^ +{sid:#x}  {e(DECISIONS.get(dec, 'unknown'))} +"
                   f"{e(REASONS.get(why, 'unknown'))} +{ste0:016x} ")
    out.append("^  WRITES TO THE CRASHED KERNEL'S MEMORY "
               f"\\({len(spec['writes'])}\\):$")
    for (pa, old, new, sid, _size, kind), st, sim in zip(
            spec["writes"], spec["states"], spec["simulated"]):
        if sim:
            st = "new" if where == "elf" else "old"
        sidstr = "-" if sid == 0xffffffff else f"{sid:#x}"
        out.append(f"^ +{pa:x}  {e(KIND_NAMES.get(kind, 'unknown'))} +"
                   f"{e(sidstr)}  {old:016x}  {new:016x}  "
                   f"{e(st or 'unreadable')}$")
    # read from the queue in the dump's memory, not from the device dump
    # no count from registers that fail the checks
    pending = "unknown" if q.why else len(q.indexes)
    out.append(f"^  EVENTS PENDING AT HANDOVER \\({pending}\\):$")
    if q.why:
        out.append(f"^    not read: {EVTQ_REFUSALS[q.why]}")
    entries = {ent[0]: ent[1:] or None for ent in spec.get("queue", [])}
    if where == "elf":
        entries.update({idx: w for idx, *w in spec.get("events", [])})
    for i, idx in enumerate(q.indexes[:QUEUE_MAX]):
        if idx not in entries:
            break
        w = entries[idx]
        if w is None:
            out.append(f"^    \\[{idx}\\] not in the dump: "
                       f"{len(q.indexes) - i} of the {len(q.indexes)} "
                       "entries not read$")
            break
        eid, sid = w[0] & 0xff, w[0] >> 32
        name = e(EVENTS[eid]) if eid in EVENTS else "[^ ]+"
        out.append(f"^    \\[{idx}\\] {name} \\({_c(eid)}\\)  SID: {_c(sid)}")
        out.append("^ +" + " ".join(f"{x:016x}" for x in w) + "$")
    for line in out:
        print(line)


# ---- checks of "smmu -d" output against the snapshot, dump and trace ---------

WRITE_LINE = re.compile(r"^ +([0-9a-f]+)  (\S+) +(\S+)  ([0-9a-f]{16})  "
                        r"([0-9a-f]{16})  (.*)$")
STREAM_LINE = re.compile(r"^ +(0x[0-9a-f]+|0)  (\S+) +(.*?) +([0-9a-f]{16}) ")


def listed_writes(text):
    out, on = [], False
    for line in text.splitlines():
        if line.startswith("  WRITES TO THE CRASHED KERNEL'S MEMORY"):
            on = True
            continue
        if on and not line.strip():
            break
        m = WRITE_LINE.match(line) if on else None
        if m:
            out.append((int(m.group(1), 16), m.group(2), int(m.group(4), 16),
                        int(m.group(5), 16), m.group(6)))
    return out


def check_writes(run, text):
    ws = [w for w in listed_writes(text) if w[1] == "L1STD"]
    if not ws:
        print("no L1STD store listed")
        return 1
    dump = Dump(run)
    bad = []
    try:
        for pa, _, old, new, st in ws:
            snap, now = word_at(run, pa), dump.word(pa)
            fmt = lambda v: "not in the dump" if v is None else f"{v:016x}"
            print(f"{pa:x}: OLD {old:016x} NEW {new:016x} ({st}); snapshot "
                  f"{fmt(snap)}, dump {fmt(now)}")
            if old != snap or new != now or st != "new":
                bad.append(pa)
    finally:
        dump.close()
    return 1 if bad else 0


def check_recorded(run, text):
    recorded = {w[0] for w in listed_writes(text)}
    dump = Dump(run)
    try:
        ds = [d for d in diffs(run, dump) if d[3] == "L1STD"]
    finally:
        dump.close()
    missing = [d for d in ds if d[0] not in recorded]
    print(f"{len(ds)} L1 descriptors differ between the snapshot and the "
          f"dump, {len(recorded)} stores listed, {len(missing)} not listed")
    for pa, a, b, _ in missing:
        print(f"not listed: {pa:x}: {a:016x} in the snapshot, {b:016x} in "
              "the dump")
    return 1 if missing else 0


def model_bug(run):
    """Why QEMU's trace cannot judge a kept device after the crash kernel's
    switch, as the e2e checks see it (QEMU 10.0.2 walks a linear table
    the SMMU was switched to as a 2-level one), or None."""
    with open(os.path.join(run, "run.json")) as f:
        meta = json.load(f)
    return scenarios.model_skip(e2e_run.judge(meta, Path(run)))


def check_decisions(run, text):
    listed = {}
    for line in text.splitlines():
        m = STREAM_LINE.match(line)
        if m:
            listed[int(m.group(1), 0)] = (m.group(2), int(m.group(4), 16))
    sids = rig_sids(run)[:3]
    rep = smmu_trace.analyse(os.path.join(run, "trace.log"),
                             os.path.join(run, "serial.tsv"))
    after = ["dying", "ckprobe", "crashk"]
    t_switch, win = switch_window(os.path.join(run, "trace.log"),
                                  rep.phase_range("ckprobe")[0], sids)
    bad = undecided = 0
    for sid in sids:
        want0 = ste(run, sid)[1][0]
        if sid not in listed:
            # the device dump lists the SIDs whose STE was valid; an STE
            # that is not a translating one (e.g. the fault injection's
            # ILLEGAL Config) may be missing
            cfg = (want0 >> 1) & 7 if want0 & 1 else 0
            print(f"{sid:#x}: no decision listed (snapshot STE0 {want0:016x}"
                  f"{', translating' if cfg in (5, 6, 7) else ', not translating: not required'})")
            bad += cfg in (5, 6, 7)
            continue
        dec, ste0 = listed[sid]
        blocked = rep.count("blocked", after, sid)
        untrans = rep.count("untranslated", after, sid)
        # before the switch the old table rules (a passthrough first
        # kernel's bypass STEs), after the SID's first CMD_CFGI_STE its
        # driver's domain (an identity one in a passthrough crash kernel)
        s, a, u = win[sid]
        ok = ste0 == want0 and u == 0
        msg = (f"{sid:#x}: {dec}, STE0 {ste0:016x} (snapshot {want0:016x}); "
               f"trace after the crash: {blocked} blocked, {untrans} "
               "untranslated")
        if t_switch is not None:
            msg += (f"; from the switch to its first CMD_CFGI_STE: {s} "
                    f"translated, {a} aborted, {u} untranslated")
        if dec == "kept":
            # a linear table's switch turns the SMMU off for a moment,
            # with GBPA.ABORT: a kept device's DMA aborts there and only
            # there
            inside = sum(w.sids.get(sid, {}).get("abort", 0)
                         for w in rep.windows_in(after))
            if inside:
                msg += f"; {inside} blocked while SMMUEN=0"
            model = ok and blocked != inside and model_bug(run)
            if model:
                print(f"{msg}; not judged: {model}")
                undecided += 1
                continue
            ok = ok and blocked == inside
        elif dec == "aborted":
            if t_switch is None:
                msg += "; no switch (CMD_TLBI_NSNH_ALL) in the crash kernel"
                ok = False
            ok = ok and s == 0
        else:
            ok = False
        print(msg)
        bad += not ok
    return 1 if bad else 77 if undecided else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "ste":
        r = ste(argv[1], int(argv[2], 0))
        if r is None:
            raise SystemExit(f"SID {argv[2]} not in the QMP snapshot")
        print(f"{r[0]:x} " + " ".join(f"{w:016x}" for w in r[1]))
    elif len(argv) in (2, 3, 4) and argv[0] == "pairs":
        for p in pairs(argv[1], int(argv[2]) if len(argv) > 2 else 8,
                       *argv[3:]):
            print("%x %x %x %x %d %d" % p)
    elif len(argv) == 4 and argv[0] == "reach":
        r = reach(argv[1], int(argv[2], 0), argv[3])
        print("ok" if r is None else f"{r[1]:x} {r[2]:016x} {r[0]}")
    elif len(argv) == 2 and argv[0] == "rig":
        print("%#x %#x %#x %s" % rig_sids(argv[1]))
    elif len(argv) in (2, 3) and argv[0] == "valid":
        for sid, cfg in valid(*argv[1:]):
            print(f"{sid:#x} {cfg}")
    elif len(argv) == 3 and argv[0] == "devspec":
        devspec(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "realspec":
        realspec(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "ddexpect":
        ddexpect(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "strtab":
        print(strtab_desc(int(argv[1], 16), int(argv[2], 16)) or "reserved")
    elif len(argv) == 2 and argv[0] == "state":
        state(argv[1])
    elif len(argv) in (3, 4) and argv[0] == "l1":
        l1(argv[1], int(argv[2], 0),
           int(argv[3], 16) if len(argv) == 4 else None)
    elif len(argv) == 2 and argv[0] in ("check-writes", "check-recorded",
                                        "check-decisions"):
        fn = {"check-writes": check_writes, "check-recorded": check_recorded,
              "check-decisions": check_decisions}[argv[0]]
        sys.exit(fn(argv[1], sys.stdin.read()))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
