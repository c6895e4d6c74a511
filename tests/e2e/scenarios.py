# SPDX-License-Identifier: GPL-2.0
"""The rig's end-to-end scenarios and their verdicts.

A scenario is a crash run (rig.Config) plus checks.  Every check reads what
QEMU's SMMU model did (the trace oracle in tests/oracle/smmu_trace.py), the
saved dump, the stream-table snapshot taken through QMP, or host-side packet
counts - never a line the kernel under test prints about itself.  Guest
"RIG-MARK" lines are used only to cut phases and to say which device the
guest script could use.
"""

from __future__ import annotations

import dataclasses
import re
import struct
from pathlib import Path
from typing import Callable, Iterable, Optional

from tests.oracle import devdump, kdumpfile, rebase
from tests.oracle.report import Report, Window
from tests.oracle.smmu_model import GBPA_ABORT, STRTAB_BASE_ADDR_MASK
from tests.oracle.trace import (RE_FIND_STE, RE_FIND_STE_2LVL,
                                 cfgi_and_translations, line_time_us,
                                 switch_time, trace_since)

from tests.e2e import rig
from tests.e2e.rig import DATA_SID, DUMP_SID, NET_SID

# Kernel lines: 7.2 is the mainline-first target (upstream 7.2 from
# Debian's sid source), 6.12 Debian's linux-source-6.12, the backport.
# Every scenario names the lines it runs on (Scenario.lines): all of them
# on 7.2; on 6.12 the ones marked BOTH.  Which lines a run has is decided
# by the kernels it is given (plan()).
MAINLINE = "7.2"
BACKPORT = "6.12"
LINES = (MAINLINE, BACKPORT)
BOTH = LINES
MAINLINE_ONLY = (MAINLINE,)
# A kernel given as plain VARIANT=DIR (no line) is of this line.
DEFAULT_LINE = BACKPORT

AFTER_CRASH = ["dying", "ckprobe", "crashk"]
CRASH_KERNEL = ["ckprobe", "crashk"]
SIDS = {"dump disk": DUMP_SID, "data disk": DATA_SID, "NIC": NET_SID}
DUMP_PAGE1 = 0x10000    # device dump: offset of a page 1 register (smmu-devdump.h)


class NoTraceError(Exception):
    """A check counted SMMU events of a run that left no trace.log."""


@dataclasses.dataclass
class Outcome:
    """What a scenario left behind, handed to every check."""
    run: dict
    report: Optional[Report]
    run_dir: Path
    cache: dict = dataclasses.field(default_factory=dict)

    def n(self, kind: str, phases, sid: Optional[int] = None) -> int:
        """Events of `kind` in `phases` (None: the whole run) for `sid`.
        Without a trace there is nothing to count: raises NoTraceError
        (the check fails, evaluate()), never 0, so that no "== 0" check
        passes on what was never observed."""
        if self.report is None:
            raise NoTraceError("no trace.log: nothing QEMU's SMMU did was "
                               "observed")
        return self.report.count(kind, phase=phases, sid=sid)

    def marks(self) -> list[str]:
        return self.run.get("marks", [])

    def has_mark(self, text: str) -> bool:
        return any(text in m for m in self.marks())


# A check returns (ok, message); ok None means skipped (KTAP "# SKIP"):
# the check cannot be decided in this run, and the message says why.
Check = tuple[str, Callable[[Outcome], tuple[Optional[bool], str]]]


def _cmp(name: str, got: int, op: str, want: int) -> tuple[bool, str]:
    ok = {"==": got == want, ">": got > want, ">=": got >= want}[op]
    return ok, f"{name}: {got} (want {op} {want})"


# QEMU only warns about an event of the events file that it does not know
_RE_NO_EVENT = re.compile(r"trace event '?[\w-]+'? does not exist")


def trace_blind_spot(o: Outcome, phases) -> Optional[str]:
    """Why a count of the trace cannot be trusted to be complete in
    `phases`, or None: no trace; a phase absent; trace lines the oracle
    could not parse (a translate line it drops is counted nowhere, neither
    as translated nor as untranslated); an event of the events file that
    QEMU did not know; or no DMA outcome at all (translated, aborted,
    untranslated, any StreamID) in those phases, as when the translate
    events were not recorded."""
    if o.report is None:
        return "no trace.log: nothing QEMU's SMMU did was observed"
    unparsed = o.report.lines.get("unparsed", 0)
    if unparsed:
        ex = o.report.lines.get("unparsed_examples") or [""]
        return (f"{unparsed} trace lines the oracle could not parse "
                f"(first: {ex[0][:120]!r}): their transactions are not counted")
    err = o.run_dir / "qemu.stderr"
    if err.exists():
        m = _RE_NO_EVENT.search(err.read_text(errors="replace"))
        if m:
            return f"QEMU: {m.group(0)}: that event is not in the trace"
    if o.n("dma", phases) == 0:
        where = ("the whole run" if phases is None else
                 phases if isinstance(phases, str) else "+".join(phases))
        return (f"no DMA outcome at all (any StreamID) in {where}: the "
                "trace does not show the SMMU translating there")
    return None


def _none(o: Outcome, name: str, kind: str, phases,
          sid=None) -> tuple[bool, str]:
    """`name`: no `kind` event in `phases` for `sid`, on a trace that
    shows the SMMU at work there (trace_blind_spot()): a "== 0" on a trace
    without those events is not a verdict, and fails."""
    blind = trace_blind_spot(o, phases)
    ok, msg = _cmp(name, o.n(kind, phases, sid), "==", 0)
    if blind:
        return False, f"{msg}, but {blind}"
    return ok, msg


# ---------------------------------------------------------------- checks

def check_dump_saved(o: Outcome) -> tuple[bool, str]:
    """The dump on the dump disk is a makedumpfile kdump-compressed file."""
    p = o.run_dir / "vmcore"
    if not p.exists():
        return False, "no vmcore on the dump disk"
    with open(p, "rb") as f:
        sig = f.read(8)
    size = p.stat().st_size
    ok = sig == b"KDUMP   " and size > (1 << 20)
    return ok, f"vmcore {size} bytes, signature {sig!r}"


def check_no_bypass(o: Outcome) -> tuple[bool, str]:
    """Nothing untranslated from the first kernel to the crash kernel's
    end, on a trace that has all four phases (an absent one raises) and
    shows the SMMU at work in them."""
    return _none(o, "untranslated (SMMU-disabled or STE-bypass) "
                 "transactions, all phases", "untranslated",
                 ["first"] + AFTER_CRASH)


def check_first_dma(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    def f(o: Outcome) -> tuple[bool, str]:
        return _cmp(f"translations for SID {sid:#x} in the first kernel",
                    o.n("success", "first", sid), ">", 0)
    return f


def check_crash_dma(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    def f(o: Outcome) -> tuple[bool, str]:
        return _cmp(f"translations for SID {sid:#x} in the crash kernel",
                    o.n("success", "crashk", sid), ">", 0)
    return f


def check_stock_reset(o: Outcome) -> tuple[bool, str]:
    """Stock 6.12: GBPA=ABORT, SMMUEN 1->0, new table, SMMUEN back to 1."""
    if o.report is None:
        return False, "no trace"
    wins = o.report.windows_in(CRASH_KERNEL)
    if not wins:
        return False, "no SMMUEN=0 window in the crash kernel"
    w = wins[0]
    bases = o.report.writes("STRTAB_BASE", CRASH_KERNEL)
    ok = w.gbpa_abort == "always" and bool(bases) and not w.open
    return ok, (f"SMMUEN=0 for {w.duration_us} us with GBPA.ABORT {w.gbpa_abort}, "
                f"{len(bases)} STRTAB_BASE writes")


def check_nic_in_flight(o: Outcome) -> tuple[bool, str]:
    return _cmp(f"NIC SID {NET_SID:#x} translations after the panic, "
                "before the crash kernel touches the SMMU",
                o.n("success", "dying", NET_SID), ">", 0)


def old_table_translations(o: Outcome, sid: int) -> int:
    """Translations of @sid during the crash kernel's probe that did not
    land in crash-kernel memory: through the crashed kernel's tables."""
    return (o.n("success", "ckprobe", sid)
            - o.n("in_crashkernel", "ckprobe", sid))


def stock_nothing_in_flight(o: Outcome, sid: int) -> Optional[str]:
    """Why a stock crash kernel had no DMA of `sid` to abort, or None: a
    NIC left without rx buffers by a long panic does no DMA during the
    probe (as in check_aborted()), or its buffers ran out before the
    reset, whose first SMMUEN=0 write starts the window: it translated
    nothing from there to its attach."""
    old = old_table_translations(o, sid)
    if old == 0:
        return "it did no DMA during the probe"
    wins = o.report.windows_in("ckprobe") if o.report else []
    if wins and wins[0].start_us is not None and \
            successes_before_attach(o.run_dir / "trace.log",
                                    wins[0].start_us, sid) == 0:
        return (f"its {old} translations during the probe all came before "
                "the reset: none in flight")
    return None


def check_stock_aborts_nic(o: Outcome) -> tuple[Optional[bool], str]:
    got = o.n("blocked", CRASH_KERNEL, NET_SID)
    ok, msg = _cmp(f"aborted/faulted NIC SID {NET_SID:#x} DMA in the crash "
                   "kernel", got, ">", 0)
    idle = stock_nothing_in_flight(o, NET_SID) if got == 0 else None
    if idle:
        return None, f"{msg}; the NIC: {idle}"
    return ok, msg


def check_no_dma_idle(o: Outcome) -> tuple[bool, str]:
    return _none(o, "aborted transactions after the crash (idle)", "abort",
                 AFTER_CRASH, list(SIDS.values()))


def check_no_page_straddle(o: Outcome) -> tuple[bool, str]:
    """Rig guard: no device access starts in the last 7 bytes of an IOVA
    page.  QEMU 10.0 translates such an access once, so the part beyond
    the page lands in the physically next page; a virtio used ring that
    spans pages produces them (the reason the NIC has 256 rx buffers)."""
    n = 0
    first = ""
    with open(o.run_dir / "trace.log", errors="replace") as f:
        for line in f:
            if "smmuv3_translate_success" not in line:
                continue
            at = line.find(" iova=0x")
            if at < 0:
                continue
            end = line.find(" ", at + 8)
            if int(line[at + 8:end], 16) & 0xfff > 0xff8:
                n += 1
                first = first or line[at + 1:end]
    return n == 0, (f"accesses starting within 8 bytes of an IOVA page's end: "
                    f"{n}" + (f" (first {first})" if first else ""))


def check_guest_devices(role: str) -> Callable[[Outcome], tuple[bool, str]]:
    """The guest script used every device (host counted the NIC's frames)."""
    def f(o: Outcome) -> tuple[bool, str]:
        need = [f"{role} dma data ok", f"{role} dma net ok"]
        missing = [m for m in need if not o.has_mark(m)]
        return not missing, ("all devices worked" if not missing
                             else "failed: " + ", ".join(missing))
    return f


def check_guest_tx(o: Outcome) -> tuple[bool, str]:
    return _cmp("frames the host received from the guest NIC",
                o.run.get("flood", {}).get("received_from_guest", 0), ">", 0)


def check_snapshot(o: Outcome) -> tuple[bool, str]:
    meta = o.run.get("strtab")
    if not meta:
        return False, "no stream-table snapshot"
    cr0 = meta["regs"]["cr0"]
    return cr0 & 1 == 1, (f"CR0={cr0:#x} {meta['fmt']} log2size="
                          f"{meta['log2size']} split={meta['split']}, "
                          f"{len(meta['files'])} tables saved")


def strtab_diff(o: Outcome) -> tuple[list[tuple[int, int, int]], int, int]:
    """Compare the old stream table in the saved dump with the snapshot
    taken through QMP before the crash.  Returns the differing 64-bit words
    as (phys, snapshot value, dump value), the bytes compared and the number
    of pages the dump filtered out (they read as zeros)."""
    meta = o.run.get("strtab")
    if not meta:
        raise ValueError("no stream-table snapshot")
    diffs = []
    compared = 0
    excluded = 0
    with kdumpfile.KdumpFile(str(o.run_dir / "vmcore")) as dump:
        for f in meta["files"]:
            snap = (o.run_dir / "strtab" / f["file"]).read_bytes()
            got, excl = dump.read(f["phys"], f["size"])
            excluded += len(excl)
            compared += len(snap)
            diffs += kdumpfile.word_diffs(f["phys"], snap, got)
    return diffs, compared, excluded


def check_strtab_untouched(o: Outcome) -> tuple[bool, str]:
    """The crashed kernel's stream table is in the dump exactly as it was."""
    diffs, compared, excluded = strtab_diff(o)
    msg = (f"{compared} bytes compared, {len(diffs)} words differ, "
           f"{excluded} zero pages filtered by makedumpfile")
    for phys, a, b in diffs[:4]:
        msg += f"; {phys:#x}: {a:#018x} -> {b:#018x}"
    return not diffs and compared > 0, msg


# crashkernel=256M in a 1 GiB guest as 6.12 places it; runs take the
# first kernel's "crashkernel reserved" line (7.2 puts it at 0x6fc00000)
CRASHKERNEL_RANGE = (0x6ee00000, 0x7ee00000)


def in_crashkernel(addr: int, o: Optional[Outcome] = None) -> bool:
    """In the crash kernel's reservation: the one the oracle took from the
    serial log when it did (UEFI boots), the DT boots' fixed one if not."""
    ck = (o.report.crashkernel if o is not None and o.report is not None
          else None) or CRASHKERNEL_RANGE
    return ck[0] <= addr < ck[1]


def check_strtab_only_l1_repointed(o: Outcome) -> tuple[bool, str]:
    """The project's 2-level switch writes nothing of the old kernel's
    memory but L1 descriptors, each now pointing at an L2 copy in
    crash-kernel memory (the original values are what the snapshot holds)."""
    meta = o.run.get("strtab")
    if not meta:
        return False, "no stream-table snapshot"
    if meta["fmt"] != "2lvl":
        return check_strtab_untouched(o)
    l1 = next(f for f in meta["files"] if f["file"] == "l1.bin")
    diffs, compared, excluded = strtab_diff(o)
    outside = [d for d in diffs
               if not l1["phys"] <= d[0] < l1["phys"] + l1["size"]]
    bad_ptr = [d for d in diffs if d not in outside
               and not in_crashkernel(d[2] & 0x0000ffffffffffc0, o)]
    ok = not outside and not bad_ptr and bool(diffs)
    msg = (f"{compared} bytes compared; {len(diffs)} L1 descriptors re-pointed, "
           f"{len(outside)} other words changed, {len(bad_ptr)} L1 words "
           f"not pointing into crash-kernel memory")
    for phys, a, b in (outside + bad_ptr)[:4]:
        msg += f"; {phys:#x}: {a:#018x} -> {b:#018x}"
    return ok, msg


def check_switch_invalidates_once(o: Outcome) -> tuple[bool, str]:
    """The 2-level switch re-points every L1 descriptor it must and then
    invalidates once: one CMD_CFGI_ALL (a CFGI_STE_RANGE over every
    StreamID in QEMU's trace) in the crash kernel, however many descriptors
    it re-pointed, so the cost does not grow with the copies."""
    if o.report is None:
        return False, "no trace"
    diffs, _, _ = strtab_diff(o)
    n = sum(n for ph, r in o.report.cfgi_ranges.items() if ph != "first"
            for n in r.values())
    per_phase = {ph: sum(r.values()) for ph, r in o.report.cfgi_ranges.items()}
    ok = n == 1 and len(diffs) >= 2
    return ok, (f"{n} range invalidations in the crash kernel for "
                f"{len(diffs)} re-pointed L1 descriptors (by phase: "
                f"{per_phase}); the check needs at least 2 descriptors")


def device_dumps(o: Outcome) -> list[devdump.DevDump]:
    with kdumpfile.KdumpFile(str(o.run_dir / "vmcore")) as dump:
        return devdump.find(dump.notes())


def check_debugfs_dump(o: Outcome) -> tuple[bool, str]:
    """debugfs in the crash kernel shows the same device dump as the
    vmcore: the guest copied the file, the bytes of its dump match."""
    f = o.run_dir / "smmu-debugfs.bin"
    if not f.exists():
        return False, "the guest found no device dump in debugfs"
    dds = device_dumps(o)
    if len(dds) != 1:
        return False, f"{len(dds)} device dumps in the vmcore, expected 1"
    data = f.read_bytes()
    try:
        mine = devdump.parse(dds[0].name, data)
    except devdump.DevDumpError as e:
        return False, f"debugfs file does not parse: {e}"
    return mine == dds[0], (f"debugfs {len(data)} bytes, "
                            f"{'the same' if mine == dds[0] else 'not the same'}"
                            f" dump as {dds[0].name} in the vmcore")


def check_writes_recorded(o: Outcome) -> tuple[bool, str]:
    """Every word of the old stream table that differs between the QMP
    snapshot and the saved dump is in the device dump's record of the
    crash kernel's stores, with the snapshot's value as the original."""
    dds = device_dumps(o)
    if not dds:
        return False, "no SMMUv3 device dump in the vmcore"
    recorded = {w.phys: w for d in dds for w in d.writes}
    diffs, compared, _ = strtab_diff(o)
    missing = [d for d in diffs if d[0] not in recorded]
    wrong = [d for d in diffs if d[0] in recorded
             and (recorded[d[0]].old, recorded[d[0]].new) != (d[1], d[2])]
    msg = (f"{len(diffs)} changed words, {len(recorded)} recorded stores; "
           f"{len(missing)} unrecorded, {len(wrong)} with other values")
    for phys, a, b in (missing + wrong)[:3]:
        msg += f"; {phys:#x}: {a:#x} -> {b:#x}"
    return not missing and not wrong and bool(diffs), msg


def successes_before_attach(trace: Path, start_us: int, sid: int) -> int:
    """Translations for `sid` after start_us and before the crash kernel's
    first CMD_CFGI_STE for it (the attach of its new domain), in trace
    order."""
    n = 0
    for kind, s, _ in cfgi_and_translations(trace, start_us):
        if s != sid:
            continue
        if kind == "cfgi":
            break
        n += 1
    return n


def check_decisions_match_trace(o: Outcome) -> tuple[bool, str]:
    """The device dump's per-StreamID decisions agree with what the SMMU
    model did: a kept SID saw no blocked transaction in the crash kernel;
    an aborted SID translated nothing from the switch until the crash
    kernel attached it to a new domain."""
    dds = device_dumps(o)
    if not dds:
        return False, "no SMMUv3 device dump in the vmcore"
    start = switch_time(o.run_dir / "trace.log", o.report.phase_range("ckprobe")[0])
    if start is None:
        return False, "no switch (TLBI after the crash) in the trace"
    bad = []
    seen = []
    for sid in SIDS.values():
        st = dds[0].streams.get(sid)
        if st is None:
            bad.append(f"{sid:#x}: no decision recorded")
            continue
        if st.decision == devdump.SID_KEPT:
            blocked = o.n("blocked", CRASH_KERNEL, sid)
            seen.append(f"{sid:#x} kept, {blocked} blocked")
            if blocked:
                bad.append(f"{sid:#x} kept but {blocked} blocked")
        else:
            early = successes_before_attach(o.run_dir / "trace.log", start, sid)
            seen.append(f"{sid:#x} aborted, {early} translated from the switch "
                        "to its attach")
            if early:
                bad.append(f"{sid:#x} aborted but {early} translated from the "
                           "switch to its attach")
    return not bad, "; ".join(bad or seen)


def serial_us(o: Outcome, needle: str) -> Optional[int]:
    """Host time (us, as the trace's) of the first serial line containing
    needle, or None."""
    tsv = o.run_dir / "serial.tsv"
    if not tsv.exists():
        return None
    for line in tsv.read_text(errors="replace").splitlines():
        stamp, _, text = line.partition("\t")
        if needle in text:
            try:
                return int(float(stamp) * 1_000_000)
            except ValueError:
                return None
    return None


def dump_saved_us(o: Outcome) -> Optional[int]:
    """Host time (us, as the trace's) of the crash kernel's "dump-saved"
    marker, or None."""
    return serial_us(o, "RIG-MARK dump-saved")


def shutdown_windows(o: Outcome) -> set[int]:
    """ids of the windows the crash kernel's power-off opens: those after
    the "poweroff" marker and, as that marker's host time can lag the
    SMMU's shutdown by tens of ms, a window still open when the trace ends
    that starts after the dump was saved."""
    late = set()
    if o.report.present("poweroff"):
        late = {id(w) for w in o.report.windows_in("poweroff")}
    saved = dump_saved_us(o)
    if saved is not None:
        late |= {id(w) for w in o.report.windows
                 if w.open and w.start_us is not None and w.start_us > saved}
    return late


def check_no_disable_window(o: Outcome) -> tuple[bool, str]:
    """SMMUEN never goes to 0 and STRTAB_BASE is never rewritten between
    the crash and the crash kernel's power-off, on a trace that shows the
    crash kernel's register writes (it always writes CR0)."""
    if o.report is None:
        return False, "no trace"
    late = shutdown_windows(o)
    wins = [w for w in o.report.windows_in(AFTER_CRASH) if id(w) not in late]
    bases = o.report.writes("STRTAB_BASE", AFTER_CRASH)
    msg = (f"{len(wins)} SMMUEN=0 windows, {len(bases)} STRTAB_BASE writes "
           "after the crash (before power-off)")
    blind = trace_blind_spot(o, AFTER_CRASH)
    if not blind and not o.report.writes("CR0", CRASH_KERNEL):
        blind = "no CR0 write by the crash kernel: register writes are not traced"
    if blind:
        return False, f"{msg}, but {blind}"
    return not wins and not bases, msg


def last_l2_walks(trace: Path, start_us: int) -> dict[int, tuple[int, int]]:
    """SID -> (STRTAB_BASE, L2 table) of the walk QEMU made last for it
    after start_us, in trace order (find_ste_2lvl only fires on a
    configuration-cache miss)."""
    last: dict[int, tuple[int, int]] = {}
    split = 8           # QEMU's, when smmuv3_find_ste is not traced
    with open(trace, errors="replace") as f:
        for line in f:
            if "smmuv3_find_ste" not in line:
                continue
            t = line_time_us(line)
            if t is None:
                continue
            colon = line.find(":", line.find("@"))
            event, _, args = line[colon + 1:].partition(" ")
            if event == "smmuv3_find_ste":
                m = RE_FIND_STE.match(args)
                if m:
                    split = int(m.group(3), 16)
                continue
            m = RE_FIND_STE_2LVL.match(args)
            if m and t >= start_us:
                sid = (int(m.group(3), 16) << split) | int(m.group(5), 16)
                last[sid] = (int(m.group(1), 16), int(m.group(4), 16))
    return last


def check_l2_copies_walked(o: Outcome) -> tuple[bool, str]:
    """After the switch QEMU walks the crashed kernel's L1 table into L2
    copies in crash-kernel memory: for every SID the crash kernel's SMMU
    looked up, the last lookup started at the STRTAB_BASE of the snapshot
    taken before the crash (a stock kernel's new table is elsewhere) and
    went through an L2 table in crash-kernel memory."""
    if o.report is None:
        return False, "no trace"
    meta = o.run.get("strtab")
    if not meta:
        return False, "no stream-table snapshot"
    l1 = meta["regs"]["strtab_base"] & STRTAB_BASE_ADDR_MASK
    start = o.report.phase_range("ckprobe")[0]
    last = last_l2_walks(o.run_dir / "trace.log", start)
    old = {sid for sid, (_, p) in last.items() if not in_crashkernel(p, o)}
    moved = {sid for sid, (b, _) in last.items() if b & STRTAB_BASE_ADDR_MASK != l1}
    msg = ", ".join(f"{sid:#x}->{p:#x}" for sid, (_, p) in sorted(last.items()))
    return bool(last) and not old and not moved, (
        f"last L2 walk per SID in the crash kernel: {msg or 'none'}; "
        f"{len(old)} outside crash-kernel memory, {len(moved)} from another "
        f"L1 table than the crashed kernel's at {l1:#x}")


def check_kept(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    """Nothing of `sid` aborted or faulted in the crash kernel, and its PCI
    function not reset: a device with no DMA in flight shows no abort
    either way, but the project resets every function whose DMA it
    aborted (check_reset())."""
    def f(o: Outcome) -> tuple[bool, str]:
        moved = o.n("success", ["dying", "ckprobe"], sid)
        ok, msg = _none(o, f"SID {sid:#x}: aborted/faulted in the crash "
                        "kernel", "blocked", CRASH_KERNEL, sid)
        if o.report is None:
            return ok, msg
        not_reset, reset_msg = check_reset(sid, False)(o)
        return ok and not_reset, (f"{msg}; {reset_msg}; {moved} translated "
                                  "between the panic and crash-kernel user "
                                  "space")
    return f


def snapshot_ste(o: Outcome, sid: int) -> Optional[tuple[int, ...]]:
    """The STE of `sid` in the stream-table snapshot taken before the crash,
    as eight 64-bit words, or None if the snapshot does not hold it."""
    meta = o.run.get("strtab")
    if not meta:
        return None
    if meta["fmt"] == "2lvl":
        split = meta["split"]
        want = [f for f in meta["files"] if f.get("l1") == sid >> split]
        off = (sid & ((1 << split) - 1)) * 64
    else:
        want = [f for f in meta["files"] if "l1" not in f]
        off = sid * 64
    if not want or off + 64 > want[0]["size"]:
        return None
    data = (o.run_dir / "strtab" / want[0]["file"]).read_bytes()
    return struct.unpack_from("<8Q", data, off)


# The virt machine's RAM starts here; below it, a translation outputs to
# MMIO (the GIC ITS doorbell, for MSIs)
VIRT_RAM_BASE = 0x40000000


def takeover_trace(o: Outcome, sid: int,
                   start: int) -> tuple[int, int, int, int]:
    """CMD_CFGI_STEs for `sid` from `start` on, then its translations after
    the last of them: into crash-kernel memory, into other RAM (the crashed
    kernel's, through its tables), and to MMIO."""
    cfgi = new = old = mmio = 0
    for kind, s, addr in cfgi_and_translations(o.run_dir / "trace.log", start):
        if s != sid:
            continue
        if kind == "cfgi":
            cfgi, new, old, mmio = cfgi + 1, 0, 0, 0
        elif cfgi:
            if in_crashkernel(addr, o):
                new += 1
            elif addr >= VIRT_RAM_BASE:
                old += 1
            else:
                mmio += 1
    return cfgi, new, old, mmio


def check_takeover(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    """The crash-kernel driver of a kept device replaced its inherited STE.
    A stage 1 STE goes in one STE write (one CFGI_STE: only the CD table
    pointer changes, so the writer needs no V=0 step).  A stage 2 STE's
    VMID stays reserved and the new domain has its own, so VMID and S2TTB
    both change and the writer goes through V=0: three CFGI_STEs (V=0,
    qwords 1-7, qword 0).  Either way the STE ends up on the new domain
    (after the last CFGI_STE, the device's translations land in
    crash-kernel memory or MMIO, the MSI doorbell, never in other RAM, and
    some land in crash-kernel memory) and none of the device's
    transactions bypassed the SMMU after the crash."""
    def f(o: Outcome) -> tuple[bool, str]:
        ste = snapshot_ste(o, sid)
        if o.report is None or ste is None:
            return False, "no trace or no snapshot of the STE"
        cfg = (ste[0] >> 1) & 7
        s2 = cfg == 6
        cfgi, new, old, mmio = takeover_trace(
            o, sid, o.report.phase_range("ckprobe")[0])
        un = o.n("untranslated", AFTER_CRASH, sid)
        want = 3 if s2 else 1
        what = (f"stage 2, VMID {ste[2] & 0xffff}" if s2
                else f"Config {cfg:#05b}")
        ok = cfgi == want and new > 0 and old == 0 and un == 0
        return ok, (f"SID {sid:#x} ({what}): {cfgi} STE writes after the "
                    f"crash ({want} expected"
                    f"{': through V=0' if s2 else ''}), then {new} "
                    f"translations into crash-kernel memory, {old} into "
                    f"other RAM, {mmio} to MMIO; {un} untranslated after "
                    "the crash")
    return f


def translations_after_switch(o: Outcome, sid: int) -> Optional[int]:
    """Translations of `sid` from the crash kernel's switch to its first
    CMD_CFGI_STE for it (successes_before_attach()); None without a trace
    or a switch."""
    if o.report is None:
        return None
    trace = o.run_dir / "trace.log"
    t = switch_time(trace, o.report.phase_range("ckprobe")[0])
    return None if t is None else successes_before_attach(trace, t, sid)


def check_kept_translates_across(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    """Kept: `sid` translates through its inherited STE after the switch,
    up to the crash kernel's first CMD_CFGI_STE for it (a stock reset
    leaves it no STE, so a stock kernel fails this; before the switch
    both kernels translate through the old table). Skipped if it did no
    DMA at all in the crash kernel."""
    def f(o: Outcome) -> tuple[Optional[bool], str]:
        after = translations_after_switch(o, sid)
        if after is None:
            return False, "no switch (CMD_TLBI_NSNH_ALL) in the crash kernel's trace"
        if after == 0 and o.n("abort", CRASH_KERNEL, sid) == 0 and \
                o.n("translation_failed", CRASH_KERNEL, sid) == 0:
            return None, f"SID {sid:#x} did no DMA in the crash kernel"
        return _cmp(f"SID {sid:#x} translations from the switch to its attach",
                    after, ">", 0)
    return f


def check_aborted(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    """Unquiesced: its DMA after the switch is aborted by the STE, and
    nothing else happens to it (no faults, no bypass, no translation from
    the switch until the crash kernel's own STE for it)."""
    def f(o: Outcome) -> tuple[Optional[bool], str]:
        ab = o.n("abort", CRASH_KERNEL, sid)
        tf = o.n("translation_failed", CRASH_KERNEL, sid)
        un = o.n("untranslated", AFTER_CRASH, sid)
        old = old_table_translations(o, sid)
        after = translations_after_switch(o, sid) or 0
        msg = (f"SID {sid:#x}: {ab} aborted, {tf} faulted, {un} untranslated "
               f"after the crash, {old} translated through old tables "
               f"during the probe, {after} of them after the switch")
        if ab == 0 and tf == 0 and un == 0 and after == 0:
            # A long panic (purgatory's SHA-256 check) or a slow crash
            # kernel can leave the NIC without rx buffers: it does no DMA
            # from the switch until its reset, and there is nothing to
            # abort.
            return None, msg + "; the device did no DMA after the switch"
        return ab > 0 and tf == 0 and un == 0 and after == 0, msg
    return f


def check_not_translated_after_switch(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    """Nothing of `sid` is translated from the switch (its CMD_CFGI_ALL and
    TLB invalidation) until the crash kernel installs an STE of its own for
    it, and nothing of it is untranslated after the crash."""
    def f(o: Outcome) -> tuple[bool, str]:
        if o.report is None:
            return False, "no trace"
        ok = translations_after_switch(o, sid)
        if ok is None:
            return False, "no switch in the trace"
        bl = o.n("blocked", CRASH_KERNEL, sid)
        un = o.n("untranslated", AFTER_CRASH, sid)
        return ok == 0 and un == 0, (
            f"SID {sid:#x}: {ok} translated between the switch and its own "
            f"STE, {bl} aborted or faulted, {un} untranslated after the crash")
    return f


def check_reset(sid: int, want: bool) -> Callable[[Outcome], tuple[bool, str]]:
    """Whether the crash kernel reset the PCI function with a Function
    Level Reset, as QEMU saw it (pci_cfg_write: Initiate FLR).  "None" is
    only a verdict if the trace shows the crash kernel's config writes
    (it enumerates PCI: there are always some)."""
    def f(o: Outcome) -> tuple[bool, str]:
        ok, msg = _cmp(f"SID {sid:#x}: Function Level Resets in the crash "
                       "kernel", o.n("flr", CRASH_KERNEL, sid),
                       ">" if want else "==", 0)
        cfg = o.report.event_count("pci_cfg_write", CRASH_KERNEL)
        if not want and not cfg:
            return False, (f"{msg}, but no pci_cfg_write event in the crash "
                           "kernel: config writes are not traced")
        return ok, msg
    return f


def check_all_reset(*sids: int) -> Callable[[Outcome], tuple[bool, str]]:
    def f(o: Outcome) -> tuple[bool, str]:
        got = [check_reset(sid, True)(o) for sid in sids]
        return all(ok for ok, _ in got), "; ".join(msg for _, msg in got)
    return f


def check_bypass_never_kept(o: Outcome) -> tuple[bool, str]:
    """The device dump: every StreamID the crashed kernel gave DMA had a
    bypass STE, and every one of them was aborted for it."""
    dds = device_dumps(o)
    if not dds:
        return False, "no SMMUv3 device dump in the vmcore"
    seen, bad = [], []
    for name, sid in SIDS.items():
        st = dds[0].streams.get(sid)
        if st is None:
            bad.append(f"{name} {sid:#x}: no decision")
            continue
        seen.append(f"{name} {sid:#x}: decision {st.decision}, reason {st.reason}")
        if st.decision == devdump.SID_KEPT or st.reason != devdump.WHY_BYPASS:
            bad.append(seen[-1])
    return not bad, "; ".join(bad or seen)


def check_untranslated_after_probe(o: Outcome) -> tuple[bool, str]:
    return _none(o, "untranslated transactions once the crash kernel "
                 "probed the SMMU", "untranslated", "crashk")


def check_never_untranslated(sid: int) -> Callable[[Outcome], tuple[bool, str]]:
    def f(o: Outcome) -> tuple[bool, str]:
        return _none(o, f"SID {sid:#x} untranslated transactions after the "
                     "crash", "untranslated", AFTER_CRASH, sid)
    return f


def check_crash_devices(o: Outcome) -> tuple[bool, str]:
    return check_guest_devices("crash")(o)


# ------------------------------------------------------------- scenarios

@dataclasses.dataclass
class Scenario:
    name: str
    variant: str                 # stock | project
    stage: str                   # 1 | 2 | nested
    dma: bool = False
    load: str = "classic"
    kexec_args: str = ""
    crash_cmdline: str = ""
    first_cmdline: str = ""
    note: str = ""               # told apart from a scenario of same title
    checks: list[Check] = dataclasses.field(default_factory=list)
    corrupt: str = ""
    firmware: str = ""           # "" (DT, direct boot) | uefi (ACPI)
    topology: str = "rootports"  # rig.TOPOLOGIES
    linear: bool = False         # first kernel re-based onto a linear table
    untranslated: tuple[str, ...] = ()
    bypass_bridge: bool = False  # rig.Config.bypass_bridge
    trace_events: tuple[str, ...] = ()
    kdump_tools: bool = False    # loaded and saved by Debian's kdump-tools
    noncoherent: bool = False    # the SMMU node has no dma-coherent
    icount: bool = False         # rig.Config.icount (benchmarks)
    lines: tuple[str, ...] = MAINLINE_ONLY   # the kernel lines it runs on
    line: str = ""               # set on a planned run (on_line())

    def on_line(self, line: str) -> "Scenario":
        """This scenario as one run on kernel line `line`."""
        return dataclasses.replace(self, line=line)

    @property
    def id(self) -> str:
        """The run's name: its directory and its name in E2E_SCENARIOS."""
        return f"{self.name}-{self.line}" if self.line else self.name

    @property
    def kernel(self) -> str:
        """The key of the kernel it boots (run.py --kernel KEY=DIR)."""
        return kernel_key(self.variant, self.line or DEFAULT_LINE)

    def title(self, what: str) -> str:
        stage = "nested" if self.stage == "nested" else f"stage {self.stage}"
        load = "kexec_file_load" if self.load == "file" else "kexec_load"
        dma = "DMA in flight" if self.dma else "idle"
        note = f" ({self.note})" if self.note else ""
        kernel = f"{self.variant} {self.line}" if self.line else self.variant
        return f"{kernel}: {stage}{note} {load} {dma}: {what}"


_RE_KASAN = re.compile(r"BUG: KASAN: |KASAN: .*(out-of-bounds|use-after-free|invalid)")


def check_no_kasan_report(o: Outcome) -> tuple[bool, str]:
    """Neither kernel (both are KASAN builds) reported a bad access."""
    p = o.run_dir / "serial.log"
    if not p.exists():
        return False, "no serial log"
    hits = [ln.strip() for ln in p.read_text(errors="replace").splitlines()
            if _RE_KASAN.search(ln)]
    return not hits and o.run.get("outcome") == "completed", (
        f"run {o.run.get('outcome')}; KASAN reports: "
        + ("; ".join(hits[:3]) if hits else "none"))


def with_kasan(sc: "Scenario") -> "Scenario":
    """`sc` on KASAN kernels: told apart in its titles, one check more."""
    note = f"{sc.note}, KASAN" if sc.note else "KASAN"
    return dataclasses.replace(sc, note=note, checks=list(sc.checks) + [
        ("no KASAN report in either kernel", check_no_kasan_report)])


def kernel_key(variant: str, line: str) -> str:
    return f"{variant}-{line}"


def _common(dma: bool) -> list[Check]:
    checks: list[Check] = [
        ("dump saved by makedumpfile", check_dump_saved),
        ("old stream table snapshot taken before the crash", check_snapshot),
        ("first kernel DMA through the SMMU (dump disk)", check_first_dma(DUMP_SID)),
        ("first kernel DMA through the SMMU (data disk)", check_first_dma(DATA_SID)),
        ("first kernel DMA through the SMMU (NIC)", check_first_dma(NET_SID)),
        ("first kernel devices usable", check_guest_devices("first")),
        ("NIC transmitted frames to the host", check_guest_tx),
        ("crash kernel DMA through the SMMU (dump disk)", check_crash_dma(DUMP_SID)),
        ("zero bypassed transactions", check_no_bypass),
        ("rig: no DMA that QEMU could split wrongly at an IOVA page end",
         check_no_page_straddle),
    ]
    if dma:
        checks.append(("NIC DMA continues after the panic", check_nic_in_flight))
    return checks


def stock_scenarios() -> list[Scenario]:
    out = []
    for stage, dmas in (("1", (False, True)), ("2", (False, True)),
                        ("nested", (True,))):
        for dma in dmas:
            checks = _common(dma) + [
                ("crash kernel resets the SMMU (GBPA abort, SMMUEN 0, new table)",
                 check_stock_reset),
                ("old stream table in the dump identical to the pre-crash copy",
                 check_strtab_untouched),
            ]
            if dma:
                checks.append(("in-flight NIC DMA aborted in the crash kernel",
                               check_stock_aborts_nic))
            else:
                checks.append(("no aborts after the crash without DMA",
                               check_no_dma_idle))
            name = f"stock-s{stage}-{'dma' if dma else 'idle'}"
            # The DMA ones are what the keep-nic scenarios are compared
            # with (COMPARISONS), on each line.
            out.append(Scenario(name.replace("snested", "nested"),
                                "stock", stage, dma=dma, checks=checks,
                                lines=BOTH if dma else MAINLINE_ONLY))
    return out


KEEP_DUMP = "--smmu-kdump-keep-path=/mnt/dump"
NET_PCI = "0000:03:00.0"


def project_scenarios() -> list[Scenario]:
    """The inheritance mode, per stage, with DMA in flight; the keep list
    comes from the patched kexec.  Each stage has a scenario that keeps the
    NIC and one that does not, and the two load paths alternate."""
    out = []
    keep_nic = [
        ("0 aborts for kept NIC", check_kept(NET_SID)),
        ("kept NIC not reset", check_reset(NET_SID, False)),
        ("kept NIC translates through its inherited STE after the switch",
         check_kept_translates_across(NET_SID)),
    ]
    takeover = {
        s: (f"kept NIC taken over by its driver {how}, onto its new domain, "
            "nothing bypassed", check_takeover(NET_SID))
        for s, how in (("1", "in one STE write"),
                       ("2", "through V=0 (its VMID stays reserved)"),
                       ("nested", "in one STE write"))}
    for stage, keep_load, abort_load in (("1", "file", "classic"),
                                         ("2", "classic", "file"),
                                         ("nested", "classic", "file")):
        base = _common(True) + [
            ("SMMU stays enabled, STRTAB_BASE untouched", check_no_disable_window),
            ("old stream table in the dump: only L1 descriptors re-pointed",
             check_strtab_only_l1_repointed),
            ("SMMU walks L2 copies in crash-kernel memory", check_l2_copies_walked),
            ("one CFGI_ALL for all re-pointed L1 descriptors",
             check_switch_invalidates_once),
            ("crash kernel devices usable", check_crash_devices),
            ("0 aborts for kept dump disk", check_kept(DUMP_SID)),
            ("device dump records every old-memory store with its original value",
             check_writes_recorded),
            ("device dump's per-StreamID decisions match the SMMU trace",
             check_decisions_match_trace),
            ("debugfs shows the vmcore's device dump", check_debugfs_dump),
            ("kept dump disk not reset", check_reset(DUMP_SID, False)),
        ]
        out.append(Scenario(
            f"project-s{stage}-keep-nic".replace("snested", "nested"),
            "project", stage, dma=True, load=keep_load,
            kexec_args=f"--smmu-kdump-keep={NET_PCI} {KEEP_DUMP}",
            checks=base + keep_nic + [takeover[stage]],
            lines=BOTH))
        out.append(Scenario(
            f"project-s{stage}-abort-nic".replace("snested", "nested"),
            "project", stage, dma=True, load=abort_load, kexec_args=KEEP_DUMP,
            lines=BOTH,
            checks=base + [
                ("unquiesced NIC aborted by its STE, nothing else",
                 check_aborted(NET_SID)),
                ("aborted NIC reset (FLR) before its driver binds",
                 check_reset(NET_SID, True)),
            ]))
    return out


_RE_FEATURES = re.compile(
    r"arm-smmu-v3 \S+: (?:ias \d+-bit, )?oas \d+-bit \(features 0x([0-9a-f]+)\)")
FEAT_COHERENCY = 1 << 8      # ARM_SMMU_FEAT_COHERENCY


def check_noncoherent(o: Outcome) -> tuple[bool, str]:
    """Both kernels drove the SMMU as non-coherent: the features their
    driver probed (its "oas ... (features ...)" line, printed by the
    upstream driver) lack ARM_SMMU_FEAT_COHERENCY."""
    p = o.run_dir / "serial.log"
    text = p.read_text(errors="replace") if p.exists() else ""
    feats = [int(m.group(1), 16) for m in _RE_FEATURES.finditer(text)]
    ok = len(feats) == 2 and not any(f & FEAT_COHERENCY for f in feats)
    return ok, (f"SMMU features per boot: {', '.join(hex(f) for f in feats)}"
                f"; device tree {'without' if o.run_dir.joinpath('noncoherent.dtb').exists() else 'with'}"
                " dma-coherent")


def noncoherent_scenarios(project: list[Scenario]) -> list[Scenario]:
    """Keep and abort per stage and the default, with DMA in flight, on a
    device tree whose SMMU node has no dma-coherent: both kernels use
    non-cacheable mappings for the SMMU's memory, and the crash kernel maps
    the crashed kernel's tables the same way. QEMU does not model caches:
    these runs prove the path (inheritance instead of a reset, the same
    verdicts), not the attributes."""
    by_name = {sc.name: sc for sc in project}
    out = []
    for name in ("project-s1-keep-nic", "project-s1-abort-nic",
                 "project-s2-keep-nic", "project-s2-abort-nic",
                 "project-nested-default"):
        sc = by_name[name]
        out.append(dataclasses.replace(
            sc, name="noncoherent-" + name[len("project-"):],
            note="non-coherent SMMU", noncoherent=True,
            lines=BOTH if name == "project-nested-default" else MAINLINE_ONLY,
            checks=list(sc.checks) + [
                ("non-coherent: both kernels drove the SMMU as non-coherent",
                 check_noncoherent)]))
    return out


def mode_scenarios() -> list[Scenario]:
    """The other modes, nested SMMU, DMA in flight."""
    inherit = [
        ("SMMU stays enabled, STRTAB_BASE untouched", check_no_disable_window),
        ("old stream table in the dump: only L1 descriptors re-pointed",
         check_strtab_only_l1_repointed),
        ("crash kernel devices usable", check_crash_devices),
    ]
    return [
        Scenario("project-nested-keep-all", "project", "nested", dma=True,
                 kexec_args="--smmu-kdump-mode=keep-all",
                 checks=_common(True) + inherit + [
                     ("keep-all: 0 aborts for the NIC", check_kept(NET_SID)),
                     ("keep-all: 0 aborts for the dump disk", check_kept(DUMP_SID)),
                     ("keep-all: NIC translates through its inherited STE after the switch",
                      check_kept_translates_across(NET_SID)),
                 ]),
        Scenario("project-nested-reset", "project", "nested", dma=True,
                 kexec_args="--smmu-kdump-mode=reset",
                 checks=_common(True) + [
                     ("reset mode: the stock reset (GBPA abort, SMMUEN 0, new table)",
                      check_stock_reset),
                     ("reset mode: old stream table in the dump untouched",
                      check_strtab_untouched),
                     ("reset mode: in-flight NIC DMA aborted",
                      check_stock_aborts_nic),
                 ]),
        # Out of the box: no kexec flag, no kernel parameter.  Every device
        # is aborted, then reset before its driver binds; the dump is saved
        # to the local disk.
        Scenario("project-nested-default", "project", "nested", dma=True,
                 lines=BOTH,
                 checks=_common(True) + inherit + [
                     ("no keep list: unquiesced NIC aborted by its STE, nothing else",
                      check_aborted(NET_SID)),
                     ("no keep list: NIC and dump disk reset (FLR) before their drivers bind",
                      check_all_reset(NET_SID, DUMP_SID)),
                 ]),
    ]


# What the SMMU reads of memory, as QEMU traces it: L2 stream tables
# (find_ste_2lvl), STEs, CDs and translation table entries.
_RE_SMMU_READ = re.compile(r"(?:STE addr: |CD addr: |pteaddr=)0x([0-9a-fA-F]+)")
FAULT_TRACE_EVENTS = ("smmuv3_get_ste", "smmuv3_get_cd", "smmu_get_pte")


def smmu_reads(trace: Path, start_us: int) -> set[int]:
    """Addresses of memory the SMMU read after start_us."""
    out: set[int] = set()
    with open(trace, errors="replace") as f:
        for line in f:
            if "smmuv3_find_ste_2lvl" in line:
                m = RE_FIND_STE_2LVL.search(line)
                addr = int(m.group(4), 16) if m else None
            else:
                m = _RE_SMMU_READ.search(line)
                addr = int(m.group(1), 16) if m else None
            if addr is None:
                continue
            t = line_time_us(line)
            if t is not None and t >= start_us:
                out.add(addr)
    return out


def check_planted_never_read(o: Outcome) -> tuple[bool, str]:
    """The SMMU read nothing at the addresses the damage points to (L2
    tables, CDs, translation tables) after the crash: no decision of the
    crash kernel made it follow them."""
    planted = [(int(a, 16), n) for a, n in o.run.get("planted", [])]
    if not planted or o.report is None:
        return False, "no pointer planted" if o.report else "no trace.log"
    start = o.report.phase_range("dying")[0]
    reads = smmu_reads(o.run_dir / "trace.log", start)
    hit = sorted(a for a in reads if any(p <= a < p + n for p, n in planted))
    msg = (f"planted {', '.join(f'{p:#x}+{n:#x}' for p, n in planted)}; "
           f"{len(reads)} addresses read by the SMMU after the crash, "
           f"in them: {', '.join(hex(a) for a in hit[:4]) or 'none'}")
    # The SMMU reads STEs after the crash whatever the crash kernel does
    # (the dump disk's, the NIC's): none at all means the read events
    # (FAULT_TRACE_EVENTS) were not recorded, not that nothing was read.
    if not reads:
        return False, msg + ("; the trace shows no read of the SMMU at all "
                             f"(events {', '.join(FAULT_TRACE_EVENTS)})")
    return not hit, msg


def check_injected(o: Outcome) -> tuple[bool, str]:
    pokes = o.run.get("pokes", [])
    actions = o.run.get("actions", [])
    marks = [m for m in o.marks() if "RIG-MARK poked" in m
             or any(rig.ACTION_MARKS[a] in m for a in actions)]
    return (bool(pokes) or bool(actions)) and len(marks) == len(pokes) + len(actions), (
        f"{len(pokes)} words corrupted, {len(actions)} actions: "
        + "; ".join(m.split("RIG-MARK ")[1] for m in marks[:4])
        + ("; ..." if len(marks) > 4 else ""))


def check_says(what: str) -> Callable[[Outcome], tuple[bool, str]]:
    """The crash kernel says what it rejected: a line of its log names it
    (the verdicts themselves come from the trace and the dump)."""
    def f(o: Outcome) -> tuple[bool, str]:
        p = o.run_dir / "crash-dmesg.txt"
        text = p.read_text(errors="replace") if p.exists() else ""
        lines = [ln.split("] ", 1)[-1] for ln in text.splitlines() if what in ln]
        return bool(lines), (lines[0] if lines else
                             f"no line with '{what}' in the crash kernel's log")
    return f


def trace_events_named(o: Outcome, name: str, phases) -> int:
    """Trace events `name` in `phases` (by host time)."""
    if o.report is None:
        return 0
    n = 0
    with open(o.run_dir / "trace.log", errors="replace") as f:
        for line in f:
            if f":{name} " not in line:
                continue
            t = line_time_us(line)
            if t is not None and o.report.phase_at(t) in phases:
                n += 1
    return n


def check_cmdq_wedged(o: Outcome) -> tuple[bool, str]:
    """The injected command stopped the command queue before the crash
    (QEMU latched CMDQ_ERR), and the crash kernel's commands ran anyway."""
    err = trace_events_named(o, "smmuv3_cmdq_consume_error", ["first"])
    ran = trace_events_named(o, "smmuv3_cmdq_opcode", CRASH_KERNEL)
    return err > 0 and ran > 0, (f"{err} command errors before the crash, "
                                 f"{ran} commands consumed in the crash kernel")


def check_device_dump_regs(want: dict[str, tuple[int, int]]
                           ) -> Callable[[Outcome], tuple[bool, str]]:
    """The device dump holds the registers as the crashed kernel left them
    (want: name -> (offset in the dump, the damaged value))."""
    def f(o: Outcome) -> tuple[bool, str]:
        dds = device_dumps(o)
        if not dds:
            return False, "no SMMUv3 device dump in the vmcore"
        got = {k: dds[0].regs.get(off) for k, (off, _) in want.items()}
        ok = all(got[k] == v for k, (_, v) in want.items())
        return ok, ", ".join(f"{k} {v:#x}" if v is not None else f"{k} missing"
                             for k, v in got.items())
    return f


def check_dump_not_adopted(o: Outcome) -> tuple[bool, str]:
    """The device dump says what the crash kernel found and did: the SMMU
    enabled, its stream table not adopted (the full reset), decided by the
    vmcore rather than by the kernel's log."""
    dds = device_dumps(o)
    if not dds:
        return False, "no SMMUv3 device dump in the vmcore"
    f = dds[0].flags
    return (bool(f & devdump.F_SMMUEN) and not f & devdump.F_ADOPTED,
            f"device dump flags {f:#x} (SMMUEN {f & devdump.F_SMMUEN}, "
            f"ADOPTED {f & devdump.F_ADOPTED})")


def check_decision(sid: int, want: int) -> Callable[[Outcome], tuple[bool, str]]:
    """The device dump records decision `want` for `sid`."""
    def f(o: Outcome) -> tuple[bool, str]:
        dds = device_dumps(o)
        if not dds:
            return False, "no SMMUv3 device dump in the vmcore"
        st = dds[0].streams.get(sid)
        if st is None:
            return False, f"SID {sid:#x}: no decision in the device dump"
        return st.decision == want, (f"SID {sid:#x}: decision {st.decision} "
                                     f"(want {want}), reason {st.reason}")
    return f


def check_no_dma_into_crashkernel(o: Outcome) -> tuple[bool, str]:
    """From the panic on, no device's DMA lands in crash-kernel memory
    until the crash kernel installed an STE of its own for it (its first
    CMD_CFGI_STE): nothing translated through the crashed kernel's tables
    reaches the crash kernel."""
    if o.report is None:
        return False, "no trace"
    blind = trace_blind_spot(o, AFTER_CRASH)
    if blind:
        return False, f"not a verdict: {blind}"
    taken: set[int] = set()
    bad: dict[int, int] = {}
    seen = 0
    for kind, sid, addr in cfgi_and_translations(
            o.run_dir / "trace.log", o.report.phase_range("dying")[0]):
        if kind == "cfgi":
            taken.add(sid)
            continue
        seen += 1
        if sid not in taken and in_crashkernel(addr, o):
            bad[sid] = bad.get(sid, 0) + 1
    if not seen:
        return False, ("not a verdict: no translation at all after the "
                       "crash in the trace (the dump's writes translate)")
    return not bad, ("; ".join(f"SID {s:#x}: {n}" for s, n in sorted(bad.items()))
                     or "none") + f" before the crash kernel's own STE, of {seen} translations"


def fault_scenarios() -> list[Scenario]:
    """Damage the crashed kernel's SMMU state right before the crash
    (through /dev/mem in the first kernel, addresses from the QMP
    snapshot, rig.fault_plan()).  Whatever the crash kernel decides, it
    must not follow the bad pointer, nothing may bypass, no DMA lands in
    crash-kernel memory, and the dump must be saved."""
    base = [
        ("fault injected before the crash", check_injected),
        ("dump saved by makedumpfile", check_dump_saved),
        ("zero bypassed transactions", check_no_bypass),
        ("no DMA into crash-kernel memory before its driver took over",
         check_no_dma_into_crashkernel),
        ("crash kernel DMA through the SMMU (dump disk)", check_crash_dma(DUMP_SID)),
    ]
    keep = f"--smmu-kdump-keep={NET_PCI} {KEEP_DUMP}"
    # Damage that costs its StreamIDs only: the rest of the table is
    # inherited with SMMUEN kept set.
    confined = [
        ("SMMU stays enabled, STRTAB_BASE untouched", check_no_disable_window),
        ("confined: listed dump disk still kept", check_kept(DUMP_SID)),
    ]
    # Damage to what describes the whole table: the stock reset.
    full_reset = [
        ("falls back to the full reset (GBPA abort, SMMUEN 0, new table)",
         check_stock_reset),
        ("device dump: SMMU found enabled, its table not adopted",
         check_dump_not_adopted),
        ("says so", check_says("falling back to a full reset")),
    ]
    never_read = ("planted pointer never followed by the SMMU",
                  check_planted_never_read)
    nic_says = ("says so", check_says("listed in kdump_keep but not kept"))
    nic_aborted = ("listed NIC not kept: its DMA aborted, never faulted or "
                   "untranslated", check_aborted(NET_SID))
    events = FAULT_TRACE_EVENTS

    def fault(kind: str, stage: str = "nested", dma: bool = True,
              checks: list = (), **kw) -> Scenario:
        return Scenario(f"fault-{kind}", "project", stage, dma=dma,
                        kexec_args=keep, corrupt=kind, trace_events=events,
                        note=f"fault {kind}", checks=base + list(checks), **kw)

    return [
        # A bad L1 descriptor fails the checks like any other damage to the
        # stream table: the stock reset, and the SMMU never walks what the
        # descriptor points at.
        fault("l1-into-crashkernel", lines=BOTH,
              checks=full_reset + [never_read]),
        fault("l1-outside-ram", checks=full_reset + [never_read]),
        # The NIC's own descriptor claims more STEs than an L2 table holds
        fault("l1-bad-span", checks=full_reset),
        # Random words over six L1 descriptors (the data disk's, the NIC's,
        # four unused)
        fault("l1-random", checks=full_reset + [never_read]),
        # Random words over eight STEs of the NIC's L2 table, its own
        # among them: aborted, whatever they say.
        fault("l2-random", checks=confined + [nic_aborted, nic_says]),
        # A reserved Config (0b011) is ILLEGAL, but not a translating STE:
        # the crash kernel records no decision for it and installs an abort
        # STE of its own, as for an aborting one (an ILLEGAL translating STE
        # of a listed device would be kept verbatim, for the SMMU to abort
        # with C_BAD_STE).  QEMU aborts both without an event, so the trace
        # shows aborts, and no fault (C_BAD_STE) at all.
        fault("ste-illegal", checks=confined + [nic_aborted, nic_says]),
        fault("ste-bypass", checks=confined + [
            nic_aborted, nic_says,
            ("NIC never untranslated", check_never_untranslated(NET_SID)),
        ]),
        # V=0: the crashed kernel gave the NIC no DMA, so there is nothing
        # to copy in its span, whose table the SMMU goes on reading: the
        # NIC's transactions fail there (C_BAD_STE).
        fault("ste-invalid", checks=confined + [
            ("listed NIC with an invalid STE: nothing translated after "
             "the switch, none untranslated",
             check_not_translated_after_switch(NET_SID)),
            nic_says]),
        fault("cd-into-crashkernel", checks=confined + [
            never_read, nic_aborted, nic_says]),
        fault("cd-outside-ram", checks=confined + [
            never_read, nic_aborted, nic_says]),
        fault("s1-ttb-into-crashkernel", checks=confined + [
            never_read, nic_aborted, nic_says]),
        fault("s2-ttb-into-crashkernel", stage="2", checks=confined + [
            never_read, nic_aborted, nic_says]),
        # The crash kernel never reads the old event queue (it is in the
        # dump; the registers locate it): damaged EVTQ registers cost
        # nothing and are recorded as they were, for the dump's reader to
        # vet.
        fault("evtq-damaged", checks=confined + [
            ("listed NIC still kept", check_kept(NET_SID)),
            ("device dump: damaged EVTQ registers recorded as they were",
             check_device_dump_regs({
                 "EVTQ_BASE": (0xa0, rig.OUTSIDE_RAM | 7),
                 "EVTQ_PROD": (DUMP_PAGE1 + 0xa8, 5),
                 "EVTQ_CONS": (DUMP_PAGE1 + 0xac, 0)})),
        ]),
        # The crashed kernel's last command was illegal and nobody
        # acknowledged the error: the crash kernel's commands must run.
        # Idle: the first kernel issues no command from the wedge on.
        fault("cmdq-wedged", dma=False, lines=BOTH, checks=confined + [
            ("command queue wedged before the crash, crash kernel's "
             "commands consumed", check_cmdq_wedged),
            ("listed NIC's STE kept (device dump)",
             check_decision(NET_SID, devdump.SID_KEPT)),
        ]),
        fault("strtab-split", checks=full_reset),
        fault("strtab-log2size", checks=full_reset),
        fault("strtab-fmt", checks=full_reset),
    ]


# ------------------------------------------------------------ kdump-tools

# The dump disk is kdump-tools' KDUMP_COREDIR: the policy keeps the device
# that holds it (tests/e2e/KDUMP-TOOLS.md).
KEEP_COREDIR = f"--smmu-kdump-keep-path={rig.KDUMP_COREDIR}"
KDUMP_TOOLS_SAVED = "dump saved by kdump-config savecore (makedumpfile -F)"


def kdump_tools_file(o: Outcome, name: str) -> str:
    p = o.run_dir / "kdump-tools" / name
    return p.read_text(errors="replace") if p.exists() else ""


def check_kdump_config_load(o: Outcome) -> tuple[bool, str]:
    """kdump-config load ran kexec with the policy of
    /etc/default/kdump-tools (the command it recorded in
    KDUMP_COREDIR/kexec_cmd) and "kdump-config status" says ready."""
    cfg = o.run.get("config", {})
    cmd = kdump_tools_file(o, "kexec_cmd").strip()
    status = kdump_tools_file(o, "kdump-config-status.txt")
    want = ["/sbin/kexec -p"] + cfg.get("kexec_args", "").split()
    want += ["--initrd=/var/lib/kdump/initrd.img", "/var/lib/kdump/vmlinuz",
             rig.KDUMP_TOOLS_APPEND]
    file_load = cfg.get("load") == "file"
    want.append(" -s " if file_load else " -c ")
    missing = [w for w in want if w not in cmd]
    ready = "current state   : ready to kdump" in status
    ok = (bool(cmd) and not missing and ready
          and (" -c " if file_load else " -s ") not in cmd)
    return ok, (f"kexec_cmd: {cmd or 'none recorded'}; status: "
                f"{'ready to kdump' if ready else 'NOT ready'}"
                + (f"; missing {missing}" if missing else ""))


def check_kdump_tools_dump(o: Outcome) -> tuple[bool, str]:
    """kdump-config savecore saved KDUMP_COREDIR/<stamp>/dump.<stamp>
    (flattened, rearranged on the host into the vmcore the other checks
    read), and the rig's own makedumpfile call left no /vmcore."""
    kt = o.run.get("kdump_tools", {})
    ok, msg = check_dump_saved(o)
    dump = kt.get("dump", "")
    stamp = dump.split("/")[0]
    own = "vmcore" in kt.get("root", ["vmcore"])
    ok = (ok and dump == f"{stamp}/dump.{stamp}" and not own
          and kt.get("flattened_blocks", 0) > 0)
    return ok, (f"{dump or 'no dump'} ({kt.get('dump_bytes', 0)} bytes, "
                f"{kt.get('flattened_blocks', 0)} flattened blocks"
                + (f", {kt['rearrange_error']}" if "rearrange_error" in kt else "")
                + f"), rearranged: {msg}; /vmcore on the dump disk: "
                + ("yes" if own else "no"))


def check_kdump_tools_dmesg(o: Outcome) -> tuple[bool, str]:
    """kdump-config savecore saved the crashed kernel's log beside the
    dump (makedumpfile --dump-dmesg): it holds the sysrq crash."""
    kt = o.run.get("kdump_tools", {})
    name = kt.get("dmesg", "")
    p = o.run_dir / "kdump-tools" / name.split("/")[-1] if name else None
    text = p.read_text(errors="replace") if p and p.exists() else ""
    stamp = name.split("/")[0]
    ok = name == f"{stamp}/dmesg.{stamp}" and "sysrq" in text.lower()
    return ok, f"{name or 'no dmesg file'}: {len(text.splitlines())} lines"


KDUMP_TOOLS_CHECKS: list[Check] = [
    ("kdump-config load loaded the crash kernel with KDUMP_KEXEC_ARGS "
     "(kexec_cmd, status ready)", check_kdump_config_load),
    ("kdump-config savecore saved the crashed kernel's dmesg beside the dump",
     check_kdump_tools_dmesg),
]


def as_kdump_tools(sc: Scenario, name: str) -> Scenario:
    """`sc` with kdump-tools doing the loading and the saving: the same
    checks (the dump check reads the dump kdump-config savecore saved),
    plus KDUMP_TOOLS_CHECKS; the keep path is KDUMP_COREDIR."""
    checks = [((KDUMP_TOOLS_SAVED, check_kdump_tools_dump)
               if fn is check_dump_saved else (what, fn))
              for what, fn in sc.checks]
    return dataclasses.replace(
        sc, name=name, kdump_tools=True, note="kdump-tools",
        kexec_args=sc.kexec_args.replace(KEEP_DUMP, KEEP_COREDIR),
        checks=checks + KDUMP_TOOLS_CHECKS, lines=MAINLINE_ONLY)


def kdump_tools_scenarios(project: list[Scenario]) -> list[Scenario]:
    """The nested keep-nic (kexec_load) and abort-nic (kexec_file_load,
    -s in KDUMP_KEXEC_ARGS) scenarios of `project` (project_scenarios()),
    loaded by `kdump-config load` with the policy in
    /etc/default/kdump-tools and saved by `kdump-config savecore`."""
    base = {sc.name: sc for sc in project}
    out = []
    for name, load in (("project-nested-keep-nic", "classic"),
                       ("project-nested-abort-nic", "file")):
        assert base[name].load == load, name
        out.append(as_kdump_tools(base[name], f"kdump-tools-{name}"))
    return out


def passthrough_scenarios() -> list[Scenario]:
    """A system kernel that runs its devices in passthrough: every STE
    bypasses, so nothing is kept, and every device is reset and gets DMA
    again from its driver in the crash kernel.  And a crash kernel that
    does: it resets the SMMU, as a stock one does, and saves the dump."""
    return [
        Scenario("project-nested-passthrough", "project", "nested", dma=True,
                 first_cmdline="iommu.passthrough=1", kexec_args=KEEP_DUMP,
                 note="iommu.passthrough=1", lines=BOTH,
                 checks=[
                     ("dump saved by makedumpfile", check_dump_saved),
                     ("no bypass STE kept: every decision aborts (bypass)",
                      check_bypass_never_kept),
                     ("nothing untranslated once the crash kernel probed "
                      "the SMMU", check_untranslated_after_probe),
                     ("crash kernel DMA through the SMMU (dump disk)",
                      check_crash_dma(DUMP_SID)),
                     ("crash kernel devices usable", check_crash_devices),
                     ("NIC and dump disk reset (FLR) before their drivers "
                      "probe", check_all_reset(NET_SID, DUMP_SID)),
                 ]),
        # A crash kernel that runs its devices in passthrough inherits
        # nothing: a deferred device would never be attached (only the DMA
        # API attaches one), and the kept dump disk's DMA would fault.
        Scenario("project-s1-keep-nic-crash-passthrough", "project", "1",
                 dma=True, load="file", crash_cmdline="iommu.passthrough=1",
                 kexec_args=f"--smmu-kdump-keep={NET_PCI} {KEEP_DUMP}",
                 note="crash kernel iommu.passthrough=1", lines=BOTH,
                 checks=[
                     ("dump saved by makedumpfile", check_dump_saved),
                     ("crash kernel resets the SMMU (GBPA abort, SMMUEN 0, "
                      "new table)", check_stock_reset),
                     ("crash kernel devices usable", check_crash_devices),
                 ]),
    ]


def policy_scenarios() -> list[Scenario]:
    """A fleet-wide policy on a host that differs: items that do not
    resolve here (an interface with no device, a PCI address this host
    lacks) are warnings, and kexec loads the rest of the policy."""
    return [
        # The keep list names a PCI function behind a host bridge that
        # bypasses the SMMU: not behind any SMMUv3, a warning, and the
        # rest of the policy is loaded.
        Scenario("acpi-policy-device-without-iommu", "project", "nested",
                 dma=True, firmware="uefi", note="ACPI", bypass_bridge=True,
                 kexec_args=f"--smmu-kdump-keep={rig.BYPASS_PCI} {KEEP_DUMP}",
                 checks=_common(True) + [
                     ("ACPI (IORT) in both kernels", check_acpi_boot),
                     ("device not behind the SMMU in the policy: the rest "
                      "loaded, dump disk kept", check_kept(DUMP_SID)),
                     ("NIC not listed, aborted by its STE",
                      check_aborted(NET_SID)),
                 ]),
        Scenario("policy-host-differs", "project", "nested", dma=True,
                 kexec_args=("--smmu-kdump-keep-netdev=lo "
                             f"--smmu-kdump-keep=0000:7f:00.0 {KEEP_DUMP}"),
                 checks=_common(True) + [
                     ("unresolvable items: the rest of the policy loaded, "
                      "dump disk kept", check_kept(DUMP_SID)),
                     ("unresolvable items: NIC not listed, aborted by its STE",
                      check_aborted(NET_SID)),
                 ]),
    ]


def demo_scenarios() -> list[Scenario]:
    """`make demo`: the project kernel, nested SMMU, DMA in flight, loaded
    and saved by Debian's kdump-tools."""
    demo = Scenario("demo", "project", "nested", dma=True, kexec_args=KEEP_DUMP,
                    checks=_common(True) + [
                        ("SMMU stays enabled, STRTAB_BASE untouched",
                         check_no_disable_window),
                        ("0 aborts for kept dump disk", check_kept(DUMP_SID)),
                        ("unquiesced NIC aborted by its STE, nothing else",
                         check_aborted(NET_SID)),
                    ])
    return [as_kdump_tools(demo, "demo")]


def check_acpi_boot(o: Outcome) -> tuple[bool, str]:
    """Both kernels took their configuration from ACPI: each printed the
    IORT table, and the crash kernel's SMMU was the IORT-created platform
    device (arm-smmu-v3.N.auto) rather than the DT node."""
    tsv = o.run_dir / "serial.tsv"
    if not tsv.exists():
        return False, "no serial log"
    lines = tsv.read_text(errors="replace").splitlines()
    crash = next((i for i, l in enumerate(lines) if "RIG-MARK crash" in l),
                 len(lines))
    iort = [i for i, l in enumerate(lines) if "ACPI: IORT" in l]
    probe = [i for i, l in enumerate(lines)
             if "arm-smmu-v3 arm-smmu-v3." in l and ".auto" in l]
    first = (any(i < crash for i in iort), any(i < crash for i in probe))
    crashk = (any(i > crash for i in iort), any(i > crash for i in probe))
    ok = all(first) and all(crashk)
    return ok, (f"IORT/ACPI SMMU probe: first kernel {first}, "
                f"crash kernel {crashk}")


def acpi_scenarios() -> list[Scenario]:
    """The same rig booted through UEFI with ACPI (IORT) in both kernels."""
    base = _common(True) + [
        ("ACPI (IORT) in both kernels", check_acpi_boot),
        ("SMMU stays enabled, STRTAB_BASE untouched", check_no_disable_window),
        ("old stream table in the dump: only L1 descriptors re-pointed",
         check_strtab_only_l1_repointed),
        ("SMMU walks L2 copies in crash-kernel memory", check_l2_copies_walked),
        ("crash kernel devices usable", check_crash_devices),
    ]
    return [
        # Out of the box: every device aborted, then reset on attach.
        Scenario("acpi-project-nested-default", "project", "nested", dma=True,
                 load="classic", firmware="uefi", note="ACPI",
                 checks=base + [
                     ("no keep list: unquiesced NIC aborted by its STE, nothing else",
                      check_aborted(NET_SID)),
                 ]),
        # Raw StreamIDs in the keep list.
        Scenario("acpi-project-nested-keep-sid", "project", "nested", dma=True,
                 load="file", firmware="uefi", note="ACPI",
                 kexec_args=f"--smmu-kdump-keep=sid:{DUMP_SID:#x},sid:{NET_SID:#x}",
                 checks=base + [
                     ("0 aborts for kept NIC", check_kept(NET_SID)),
                     ("kept NIC translates through its inherited STE after the switch",
                      check_kept_translates_across(NET_SID)),
                     ("0 aborts for kept dump disk", check_kept(DUMP_SID)),
                 ]),
        # PCI functions in the keep list, as kexec names them: the crash
        # kernel maps 0000:03:00.0 and the dump disk's function to their
        # StreamIDs through the IORT root complex node (patch 5 of the series).
        Scenario("acpi-project-nested-keep-pci", "project", "nested", dma=True,
                 load="classic", firmware="uefi", note="ACPI, PCI keep list",
                 lines=BOTH,
                 kexec_args=f"--smmu-kdump-keep={NET_PCI} {KEEP_DUMP}",
                 checks=base + [
                     ("PCI keep items resolved through IORT: 0 aborts for kept NIC",
                      check_kept(NET_SID)),
                     ("kept NIC translates through its inherited STE after the switch",
                      check_kept_translates_across(NET_SID)),
                     ("0 aborts for kept dump disk", check_kept(DUMP_SID)),
                     ("device dump's per-StreamID decisions match the SMMU trace",
                      check_decisions_match_trace),
                     ("kept NIC taken over by its driver in one STE write, "
                      "onto its new domain, nothing bypassed",
                      check_takeover(NET_SID)),
                 ]),
    ]


# ------------------------------------------------- linear stream table

LINEAR_SIDS = rig.topology_sids("pcie0")
LIN_NET, LIN_DUMP = LINEAR_SIDS["net"], LINEAR_SIDS["dump"]
# Bound on the crash kernel's SMMUEN=0 window that holds under TCG on a
# loaded 2-core host; the design's goal (50 us of guest time) is reported
# against the measured figure, not asserted.  The window holds one
# CMD_CFGI_ALL and CMD_SYNC (cached STEs are dropped before SMMUEN is set
# again): under TCG its completion takes 0.5 ms on an idle host and up to
# about 22 ms on a loaded one, against microseconds on hardware.
LINEAR_WINDOW_BOUND_US = 100_000
LINEAR_WINDOW_GOAL_US = 50
# QEMU 10.0.2 sets SMMU_FEATURE_2LVL_STE on a STRTAB_BASE_CFG write with
# FMT=2-level and clears it only on reset, so after FMT=linear it still
# walks the table as a 2-level one (hw/arm/smmuv3.c smmu_writel,
# smmu_find_ste).  Checks that need the model to walk the crash kernel's
# linear table are skipped when the trace shows exactly that.
QEMU_STICKY_2LVL = ("QEMU model bug: SMMU_FEATURE_2LVL_STE stays set after "
                    "STRTAB_BASE_CFG.FMT=linear (QEMU 10.0.2 smmu_writel)")


def crash_rebase(o: Outcome) -> Optional[rebase.Rebase]:
    """The crash kernel's stream-table re-base: the one SMMUEN 1 -> 0 -> 1
    sequence after the crash and before its power-off."""
    if "rebase" not in o.cache:
        found = None
        if o.report is not None:
            late = (o.report.phase_range("poweroff")[0]
                    if o.report.present("poweroff") else None)
            found = [r for r in rebase.rebases(o.report, AFTER_CRASH)
                     if late is None or r.smmuen_off_us < late]
        o.cache["rebase"] = found
    found = o.cache["rebase"]
    return found[0] if found and len(found) == 1 else None


def linear_walk(o: Outcome) -> tuple[Optional[str], list[rebase.SteFetch]]:
    """(problem or None, STE fetches) of the model after the crash
    kernel's switch to its linear table."""
    if "walk" not in o.cache:
        rb = crash_rebase(o)
        if rb is None or rb.smmuen_on_us is None or rb.base is None:
            o.cache["walk"] = ("no completed re-base in the crash kernel", [])
        else:
            fetches = list(rebase.ste_fetches(str(o.run_dir / "trace.log"),
                                              rb.smmuen_on_us))
            o.cache["walk"] = (rebase.linear_walk_problem(
                fetches, rb.base, rb.log2size or 0), fetches)
    return o.cache["walk"]


def model_skip(o: Outcome) -> Optional[str]:
    """The reason to skip a check that needs the model to walk the crash
    kernel's linear table, if the trace shows QEMU's sticky 2-level walk."""
    problem, fetches = linear_walk(o)
    if problem and "as a 2-level one" in problem and fetches \
            and fetches[0].features & 1:
        return f"{QEMU_STICKY_2LVL}: {problem}"
    return None


def kernel_window_ns(o: Outcome) -> Optional[int]:
    """The crash kernel's own figure, from its console.  Reported, never a
    verdict."""
    import re
    f = o.run_dir / "serial.log"
    m = re.search(r"all streams aborted for (-?\d+) ns",
                  f.read_text(errors="replace")) if f.exists() else None
    return int(m.group(1)) if m else None


def check_linear_snapshot(o: Outcome) -> tuple[bool, str]:
    """Just before the crash the SMMU runs on a linear table of 256 STEs
    that is the first kernel's L2 table of StreamIDs 0x00-0xff (the one
    QEMU walked for the NIC before the re-base), enabled, GBPA restored."""
    meta = o.run.get("strtab")
    if not meta:
        return False, "no stream-table snapshot"
    regs = meta["regs"]
    base = regs["strtab_base"] & rebase.ADDR_MASK
    start, end = o.report.phase_range("first") if o.report else (None, None)
    l2 = {f.l2ptr for f in rebase.ste_fetches(str(o.run_dir / "trace.log"),
                                              start, end)
          if f.two_level and f.sid == LIN_NET}
    ok = (meta["fmt"] == "linear" and meta["log2size"] == 8
          and regs["cr0"] & 1 == 1 and not regs["gbpa"] & GBPA_ABORT
          and l2 == {base})
    return ok, (f"snapshot: {meta['fmt']} log2size {meta['log2size']} at "
                f"{base:#x}, CR0={regs['cr0']:#x}, GBPA={regs['gbpa']:#x}; "
                f"L2 table QEMU walked for SID {LIN_NET:#x} in the first kernel: "
                f"{', '.join(hex(a) for a in sorted(l2)) or 'none'}")


def check_first_rebase(o: Outcome) -> tuple[bool, str]:
    """The guest's user-space re-base in the first kernel, as the trace
    shows it: GBPA abort, SMMUEN 1 -> 0, linear STRTAB_BASE(_CFG), SMMUEN
    0 -> 1, GBPA restored; and the rig's own marks say it went through."""
    if o.report is None:
        return False, "no trace"
    rbs = rebase.rebases(o.report, "first")
    lin = o.run.get("linear", {})
    if len(rbs) != 1:
        return False, f"{len(rbs)} re-bases in the first kernel; guest: {lin}"
    r = rbs[0]
    meta = o.run.get("strtab") or {"regs": {"strtab_base": -1}}
    ok = (r.ordered and r.gbpa_restore_us is not None and r.fmt == "linear"
          and r.log2size == 8
          and r.base == meta["regs"]["strtab_base"] & rebase.ADDR_MASK
          and bool(lin.get("ok")))
    return ok, (f"first kernel (user space, devmem): SMMUEN=0 for "
                f"{r.window_us} us, GBPA.ABORT for {r.gbpa_span_us} us; "
                f"{r.describe()}")


def check_linear_rebase(o: Outcome) -> tuple[bool, str]:
    """The crash kernel saw the linear table and took the guarded re-base:
    GBPA=ABORT, then SMMUEN 1 -> 0, STRTAB_BASE and STRTAB_BASE_CFG (linear,
    LOG2SIZE 16: the old table has 2^8 STEs, but its copy has one for each
    of the SMMU's 2^16 StreamIDs, as the driver's own table would) pointing
    into crash-kernel memory, SMMUEN 0 -> 1."""
    rb = crash_rebase(o)
    n = len(o.cache.get("rebase") or [])
    if rb is None:
        return False, f"{n} SMMUEN 1 -> 0 sequences after the crash (want 1)"
    ok = (rb.ordered and rb.fmt == "linear" and rb.log2size == 16
          and rb.base is not None and in_crashkernel(rb.base, o))
    return ok, (f"{rb.fmt} log2size {rb.log2size} at "
                f"{rb.base if rb.base is None else hex(rb.base)}; "
                + rb.describe())


def check_linear_window(o: Outcome) -> tuple[bool, str]:
    """The window measured from the trace (host clock; under TCG QEMU's
    virtual clock follows host time): SMMUEN=0 from the CR0 write that
    clears it to the one that sets it, GBPA.ABORT from its write to the
    one clearing it (if any).  Asserted: the window closes within
    LINEAR_WINDOW_BOUND_US; the 50 us goal is reported."""
    rb = crash_rebase(o)
    if rb is None or rb.window_us is None:
        return False, "no closed SMMUEN=0 window in the crash kernel"
    kns = kernel_window_ns(o)
    gbpa = (f"GBPA.ABORT set {rb.smmuen_off_us - rb.gbpa_abort_us} us before "
            "SMMUEN=0, " + (f"cleared after {rb.gbpa_span_us} us"
                            if rb.gbpa_span_us is not None
                            else "never cleared (it only acts while SMMUEN=0)")
            if rb.gbpa_abort_us is not None else "GBPA.ABORT not set")
    goal = ("within" if rb.window_us <= LINEAR_WINDOW_GOAL_US else "over")
    return rb.window_us < LINEAR_WINDOW_BOUND_US, (
        f"trace: SMMUEN=0 for {rb.window_us} us ({goal} the "
        f"{LINEAR_WINDOW_GOAL_US} us goal, bound {LINEAR_WINDOW_BOUND_US} us); "
        f"{gbpa}; kernel's window_ns: "
        + (f"{kns} ns" if kns is not None else "not found"))


def linear_window_of(o: Outcome) -> Optional[Window]:
    rb = crash_rebase(o)
    if rb is None or o.report is None:
        return None
    return next((w for w in o.report.windows
                 if w.start_us == rb.smmuen_off_us), None)


def check_window_aborts(o: Outcome) -> tuple[bool, str]:
    """While SMMUEN=0 every transaction aborts (GBPA.ABORT): none passes
    untranslated, and the NIC's in-flight DMA is what aborts."""
    w = linear_window_of(o)
    if w is None:
        return False, "no SMMUEN=0 window of the re-base in the oracle"
    ab = w.counts.get("abort", 0)
    un = w.counts.get("disable", 0) + w.counts.get("bypass", 0)
    ok = un == 0 and w.gbpa_abort == "always" and not w.counts.get("success")
    per = ", ".join(f"{s:#x}: {c.get('abort', 0)}" for s, c in
                    sorted(w.sids.items(), key=lambda i: i[0] or 0)
                    if s is not None and c.get("abort"))
    return ok, (f"in the {w.duration_us} us window: {ab} aborted "
                f"({per or 'none'}), {un} untranslated, GBPA.ABORT {w.gbpa_abort}")


def check_linear_kept_nic(o: Outcome) -> tuple[Optional[bool], str]:
    """The kept NIC is blocked only inside the window: 0 aborts or faults
    for it in the crash kernel outside it."""
    skip = model_skip(o)
    w = linear_window_of(o)
    blocked = o.n("blocked", CRASH_KERNEL, LIN_NET)
    inside = w.sids.get(LIN_NET, {}).get("abort", 0) if w else 0
    msg = (f"SID {LIN_NET:#x}: {blocked} blocked in the crash kernel, "
           f"{inside} of them in the window")
    if skip:
        return None, f"{skip}; {msg}"
    return w is not None and blocked == inside, msg


def check_linear_translates(o: Outcome) -> tuple[Optional[bool], str]:
    """After the window the kept NIC translates through its kept STE in
    the crash kernel's linear table: QEMU reads it at base + SID * 64
    (every STE lookup after the switch reads the new table as linear)
    and the NIC's DMA succeeds."""
    skip = model_skip(o)
    if skip:
        return None, skip
    rb = crash_rebase(o)
    problem, fetches = linear_walk(o)
    if rb is None or rb.smmuen_on_us is None:
        return False, problem or "no re-base"
    n = sum(1 for _, line in trace_since(o.run_dir / "trace.log",
                                         rb.smmuen_on_us,
                                         "smmuv3_translate_success")
            if f" sid={LIN_NET:#x} " in line)
    nic = [f for f in fetches if f.sid == LIN_NET]
    want = (rb.base or 0) + LIN_NET * 64
    ok = problem is None and n > 0 and bool(nic) and nic[0].addr == want
    return ok, (f"{len(fetches)} STE lookups after the switch"
                + (f" ({problem})" if problem else ", all in the linear table")
                + "; NIC STE read at "
                + (f"{nic[0].addr:#x}" if nic and nic[0].addr is not None
                   else "-")
                + f" (want {want:#x}); {n} NIC translations after the window")


def check_linear_crash_nic(o: Outcome) -> tuple[Optional[bool], str]:
    """The crash kernel's NIC driver works after the switch (its guest
    check received the host's frames)."""
    skip = model_skip(o)
    ok, msg = (o.has_mark("crash dma net ok"),
               "crash kernel NIC check " + ("ok" if o.has_mark("crash dma net ok")
                                            else "failed"))
    if skip:
        return None, f"{skip}; {msg}"
    return ok, msg


def linear_scenarios() -> list[Scenario]:
    """The crash kernel inherits a linear stream table.  QEMU offers
    2-level tables and Linux 6.12 always uses them, so the first kernel's
    guest script re-bases the live SMMU onto the first kernel's L2 table
    of StreamIDs 0x00-0xff (a linear table of 256 STEs) right before the
    crash; the devices sit on pcie.0, StreamID = devfn.  The two disks
    do their DMA without the SMMU (iommu_platform=off) and the crash
    kernel uses INTx (pci=nomsi: MSI writes go through the SMMU whatever
    iommu_platform says): with QEMU 10.0.2's walk of a linear table (see
    QEMU_STICKY_2LVL) every transaction through the SMMU fails after the
    switch, a disk waiting for one hangs the crash kernel's boot, and the
    dump must still be saved.  The NIC is translated, kept, and flooded
    across the crash; the crash kernel checks it after saving the dump
    (rig.crash_net=late), since bringing up a NIC whose DMA fails can
    spin in the kernel.  Stage 1 runs on 6.12 too: the backport's linear
    switch, and a dump whose driver state (still the 2-level table)
    differs from the SMMU's registers at the crash, which crash reads in
    full there (tests/crash/e2e.sh)."""
    events = ("smmuv3_find_ste", "smmuv3_get_ste")
    bdf = rig.topology_bdfs("pcie0")
    out = []
    for stage, load in (("1", "classic"), ("2", "file")):
        out.append(Scenario(
            f"linear-project-s{stage}-keep-nic", "project", stage, dma=True,
            load=load, topology="pcie0", linear=True,
            lines=BOTH if stage == "1" else MAINLINE_ONLY,
            untranslated=("dump", "data"), trace_events=events,
            crash_cmdline="pci=nomsi rig.crash_net=late",
            note="linear stream table",
            kexec_args=f"--smmu-kdump-keep={bdf['net']} {KEEP_DUMP}",
            checks=[
                ("dump saved by makedumpfile", check_dump_saved),
                ("first kernel DMA through the SMMU (NIC)",
                 check_first_dma(LIN_NET)),
                ("first kernel devices usable", check_guest_devices("first")),
                ("first kernel re-based onto a linear table by the guest "
                 "(GBPA guarded)", check_first_rebase),
                ("SMMU on the first kernel's L2 table as a linear table at "
                 "the crash (QMP snapshot)", check_linear_snapshot),
                ("NIC DMA continues after the panic",
                 lambda o: _cmp(f"NIC SID {LIN_NET:#x} translations after "
                                "the panic, before the crash kernel touches "
                                "the SMMU", o.n("success", "dying", LIN_NET),
                                ">", 0)),
                ("crash kernel takes the GBPA-guarded linear re-base",
                 check_linear_rebase),
                ("SMMUEN=0 window measured and bounded", check_linear_window),
                ("every transaction in the window aborted by GBPA",
                 check_window_aborts),
                ("zero bypassed transactions", check_no_bypass),
                ("kept NIC blocked only inside the window",
                 check_linear_kept_nic),
                ("kept NIC translates through its STE in the linear copy",
                 check_linear_translates),
                ("crash kernel NIC usable", check_linear_crash_nic),
                ("old linear stream table in the dump identical to the "
                 "pre-crash copy", check_strtab_untouched),
                ("rig: no DMA that QEMU could split wrongly at an IOVA page end",
                 check_no_page_straddle),
            ]))
    return out


_PROJECT = project_scenarios()
SCENARIOS: dict[str, Scenario] = {
    s.name: s for s in (stock_scenarios() + _PROJECT
                        + mode_scenarios() + fault_scenarios() + policy_scenarios()
                        + passthrough_scenarios()
                        + demo_scenarios() + acpi_scenarios()
                        + linear_scenarios() + kdump_tools_scenarios(_PROJECT)
                        + noncoherent_scenarios(_PROJECT + mode_scenarios()))}


def parse_kernels(specs: Iterable[str]) -> dict[str, Path]:
    """run.py's --kernel VARIANT-LINE=DIR (or VARIANT=DIR, of DEFAULT_LINE)
    as {"variant-line": DIR}."""
    kernels = {}
    for spec in specs:
        key, sep, path = spec.partition("=")
        variant, _, line = key.partition("-")
        if not sep or not path or variant not in ("stock", "project"):
            raise ValueError(f"--kernel {spec}: want VARIANT[-LINE]=DIR, "
                             "VARIANT stock or project")
        line = line or DEFAULT_LINE
        if line not in LINES:
            raise ValueError(f"--kernel {spec}: unknown kernel line {line!r} "
                             f"(known: {', '.join(LINES)})")
        kernels[kernel_key(variant, line)] = Path(path)
    return kernels


def lines_to_run(sc: Scenario, kernels: Iterable[str],
                 only: Iterable[str] = LINES) -> list[str]:
    """The lines `sc` runs on with these kernels: those of sc.lines whose
    kernel of sc's variant is given.  A scenario none of whose lines has a
    kernel runs on the first line that has one (LINES order): until the
    project series of 7.2 exists, the project scenarios run on 6.12 as
    before, and none drops out silently.  `only` restricts the lines."""
    have = [ln for ln in LINES if ln in only
            and kernel_key(sc.variant, ln) in kernels]
    mine = [ln for ln in sc.lines if ln in have]
    return mine or have[:1]


def plan(names: Iterable[str], kernels: Iterable[str],
         only: Iterable[str] = LINES) -> list[Scenario]:
    """The runs for `names`: scenario names (each on lines_to_run()) or
    run ids NAME-LINE (that line only, given its kernel); all scenarios
    if `names` is empty.  Raises ValueError for an unknown name or a run
    whose kernel is not given, or a named scenario that has no kernel;
    with no names, what has no kernel is left out."""
    kernels = set(kernels)
    only = tuple(only)
    named = list(names)
    out: list[Scenario] = []
    for n in named or list(SCENARIOS):
        if n in SCENARIOS:
            sc = SCENARIOS[n]
            lines = lines_to_run(sc, kernels, only)
            if named and not lines:
                raise ValueError(f"{n}: no {sc.variant} kernel given for "
                                 f"the lines {', '.join(only)}")
            out += [sc.on_line(ln) for ln in lines]
            continue
        base, _, line = n.rpartition("-")
        if base not in SCENARIOS or line not in LINES:
            raise ValueError(f"unknown scenario {n!r}")
        r = SCENARIOS[base].on_line(line)
        if r.kernel not in kernels:
            raise ValueError(f"{n}: no --kernel {r.kernel}=DIR given")
        out.append(r)
    seen: set[str] = set()
    return [r for r in out if not (r.id in seen or seen.add(r.id))]


@dataclasses.dataclass
class Comparison:
    """A verdict over two scenarios of the same run (stock vs project), on
    one kernel line (run ids: NAME-LINE)."""
    title: str
    stock: str
    project: str
    fn: Callable[[Outcome, Outcome], tuple[Optional[bool], str]]


def _stock_aborts_ours_not(sid: int):
    def f(st: Outcome, pr: Outcome) -> tuple[Optional[bool], str]:
        a = st.n("blocked", CRASH_KERNEL, sid)
        b = pr.n("blocked", CRASH_KERNEL, sid)
        msg = (f"SID {sid:#x} in-flight DMA blocked in the crash kernel: "
               f"stock {a}, project {b}")
        # As check_stock_aborts_nic(): nothing in flight, nothing to abort
        idle = stock_nothing_in_flight(st, sid) if a == 0 else None
        if idle:
            return None, f"{msg}; the stock run's NIC: {idle}"
        return a > 0 and b == 0, msg
    return f


COMPARISONS = [
    Comparison(f"side by side {line}: {stage}: stock aborts the NIC's "
               "in-flight DMA, keep-list kernel does not",
               f"stock-{tag}-dma-{line}", f"project-{tag}-keep-nic-{line}",
               _stock_aborts_ours_not(NET_SID))
    for line in LINES
    for stage, tag in (("stage 1", "s1"), ("stage 2", "s2"), ("nested", "nested"))
]


def evaluate(sc: Scenario, o: Outcome
             ) -> Iterable[tuple[str, Optional[bool], str]]:
    for what, fn in sc.checks:
        try:
            ok, msg = fn(o)
        except Exception as e:  # a check that cannot read its input fails
            ok, msg = False, f"check raised {type(e).__name__}: {e}"
        yield sc.title(what), ok, msg


def read_le64(path: Path, off: int) -> int:
    with open(path, "rb") as f:
        f.seek(off)
        return struct.unpack("<Q", f.read(8))[0]
