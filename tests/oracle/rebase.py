# SPDX-License-Identifier: GPL-2.0
"""Stream-table re-bases and STE fetches, from QEMU's SMMUv3 trace.

A linear stream table cannot be moved while SMMUEN is set: software sets
GBPA.ABORT, clears SMMUEN, writes STRTAB_BASE and STRTAB_BASE_CFG, sets
SMMUEN again and may restore GBPA.  :func:`rebases` finds every such
sequence in the register-write timeline of a :class:`report.Report`
and times it; :func:`ste_fetches` lists the STEs the model read from
memory (``smmuv3_find_ste``, ``smmuv3_find_ste_2lvl``,
``smmuv3_get_ste``), which shows where the model looked for a StreamID's
STE and whether it walked the table as linear or as 2-level.

Facts about QEMU 10.0.2 (hw/arm/smmuv3.c) this relies on:

* ``smmuv3_find_ste sid=0x%x features:0x%x, sid_split:0x%x`` starts every
  STE lookup (configuration-cache miss); bit 0 of ``features``
  (SMMU_FEATURE_2LVL_STE) selects the 2-level walk, which then traces
  ``smmuv3_find_ste_2lvl``; ``smmuv3_get_ste STE addr: 0x%x`` is the
  address of the 64-byte STE it reads.
* That bit is set by a STRTAB_BASE_CFG write with FMT=2-level and cleared
  only by a reset of the SMMU: a later write with FMT=linear leaves it set,
  and the model keeps walking the new (linear) table as a 2-level one.
  :func:`linear_walk_problem` detects that in a trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from tests.oracle.report import Report
from tests.oracle.smmu_model import (CR0_SMMUEN, GBPA_ABORT,
                                     STRTAB_BASE_ADDR_MASK,
                                     decode_strtab_base_cfg)
from tests.oracle.trace import RE_FIND_STE, RE_FIND_STE_2LVL, ts_to_us

ADDR_MASK = STRTAB_BASE_ADDR_MASK
STE_SIZE = 64


@dataclass
class Rebase:
    """One SMMUEN 1 -> 0 -> 1 sequence (host times in us, trace clock)."""
    phase: str                       # phase of the write clearing SMMUEN
    smmuen_off_us: int
    smmuen_on_us: int | None = None  # None: SMMUEN never set again
    gbpa_abort_us: int | None = None  # GBPA.ABORT set (None: clear at SMMUEN=0)
    gbpa_restore_us: int | None = None  # GBPA.ABORT cleared after SMMUEN=1
    strtab_base: int | None = None   # STRTAB_BASE after the window's writes
    strtab_base_cfg: int | None = None
    strtab_writes: list[tuple[int, str, int]] = field(default_factory=list)
    steps: list[tuple[int, str, int]] = field(default_factory=list)

    @property
    def window_us(self) -> int | None:
        """SMMUEN=0: from the CR0 write clearing it to the one setting it."""
        if self.smmuen_on_us is None:
            return None
        return self.smmuen_on_us - self.smmuen_off_us

    @property
    def gbpa_span_us(self) -> int | None:
        """GBPA.ABORT: from the write setting it to the one clearing it."""
        if self.gbpa_abort_us is None or self.gbpa_restore_us is None:
            return None
        return self.gbpa_restore_us - self.gbpa_abort_us

    @property
    def guarded(self) -> bool:
        """GBPA.ABORT was set before SMMUEN was cleared."""
        return (self.gbpa_abort_us is not None
                and self.gbpa_abort_us <= self.smmuen_off_us)

    @property
    def ordered(self) -> bool:
        """GBPA abort, SMMUEN=0, STRTAB_BASE and STRTAB_BASE_CFG, SMMUEN=1
        (and GBPA restored after it, if it is), in that order."""
        regs = {r for _, r, _ in self.strtab_writes}
        ok = (self.guarded and self.smmuen_on_us is not None
              and {"STRTAB_BASE_CFG"} <= regs
              and bool(regs & {"STRTAB_BASE", "STRTAB_BASE_HI"}))
        return ok and (self.gbpa_restore_us is None
                       or self.gbpa_restore_us >= self.smmuen_on_us)

    @property
    def fmt(self) -> str | None:
        if self.strtab_base_cfg is None:
            return None
        return decode_strtab_base_cfg(self.strtab_base_cfg)["FMT"]

    @property
    def log2size(self) -> int | None:
        if self.strtab_base_cfg is None:
            return None
        return self.strtab_base_cfg & 0x3F

    @property
    def base(self) -> int | None:
        return None if self.strtab_base is None else self.strtab_base & ADDR_MASK

    def describe(self) -> str:
        """The steps, in microseconds from the write clearing SMMUEN."""
        t0 = self.smmuen_off_us
        return ", ".join("%s=%#x @%+d us" % (reg, val, t - t0)
                         for t, reg, val in self.steps)


_REBASE_REGS = ("CR0", "GBPA", "STRTAB_BASE", "STRTAB_BASE_HI",
                "STRTAB_BASE_CFG")


def rebases(report: Report,
            phase: str | Sequence[str] | None = None) -> list[Rebase]:
    """Every SMMUEN 1 -> 0 transition whose write is in ``phase``, with
    the GBPA and stream-table writes around it.  The SMMU is tracked from
    its reset state (SMMUEN=0, GBPA.ABORT=0) through all traced writes;
    a write the model rejected or ignored (``note``) changes nothing."""
    segs = set(report.segments_of(phase))
    out: list[Rebase] = []
    cur: Rebase | None = None
    pending: list[Rebase] = []       # closed, GBPA not restored yet
    enabled = False
    abort = False
    abort_since: int | None = None
    base64 = 0
    for w in report.reg_writes:
        if w.reg not in _REBASE_REGS or w.note is not None or w.t_us is None:
            continue
        t = w.t_us
        if w.reg == "CR0":
            now = bool(w.value & CR0_SMMUEN)
            if enabled and not now:
                cur = Rebase(phase=w.phase, smmuen_off_us=t,
                             gbpa_abort_us=abort_since if abort else None)
                if w.segment in segs:
                    out.append(cur)
                cur.steps.append((t, w.reg, w.value))
            elif now and not enabled and cur is not None:
                cur.smmuen_on_us = t
                cur.steps.append((t, w.reg, w.value))
                if abort:
                    pending.append(cur)
                cur = None
            elif cur is not None:
                cur.steps.append((t, w.reg, w.value))
            enabled = now
        elif w.reg == "GBPA":
            now_abort = bool((w.effective or 0) & GBPA_ABORT)
            if now_abort and not abort:
                abort_since = t
            elif abort and not now_abort:
                for r in pending:
                    r.gbpa_restore_us = t
                    r.steps.append((t, w.reg, w.value))
                pending = []
            if cur is not None:
                cur.steps.append((t, w.reg, w.value))
            abort = now_abort
        else:
            if w.reg in ("STRTAB_BASE", "STRTAB_BASE_HI"):
                base64 = w.effective if w.effective is not None else base64
            if cur is not None:
                cur.strtab_writes.append((t, w.reg, w.value))
                cur.steps.append((t, w.reg, w.value))
                if w.reg == "STRTAB_BASE_CFG":
                    cur.strtab_base_cfg = w.value
                else:
                    cur.strtab_base = base64
    # the GBPA write that set ABORT goes first in the steps
    for r in out:
        if r.gbpa_abort_us is not None and r.gbpa_abort_us < r.smmuen_off_us:
            r.steps.insert(0, (r.gbpa_abort_us, "GBPA", _gbpa_value(
                report, r.gbpa_abort_us)))
    return out


def _gbpa_value(report: Report, t_us: int) -> int:
    for w in report.reg_writes:
        if w.reg == "GBPA" and w.t_us == t_us:
            return w.value
    return 0


# --------------------------------------------------------------------------
# STE fetches
# --------------------------------------------------------------------------

@dataclass
class SteFetch:
    """One STE the model read from memory (a configuration-cache miss)."""
    t_us: int
    sid: int
    features: int                    # bit 0: the model walked 2-level
    two_level: bool                  # smmuv3_find_ste_2lvl was traced
    addr: int | None = None          # STE address (None: no STE read)
    strtab_base: int | None = None   # from find_ste_2lvl
    l2ptr: int | None = None         # from find_ste_2lvl


_RE_GET = re.compile(r"STE addr: 0x([0-9a-fA-F]+)")


def _event(line: str) -> tuple[int, str, str] | None:
    """(t_us, event, args) of a ``TID@S.US:event args`` line."""
    at = line.find("@")
    colon = line.find(":", at + 1)
    if at <= 0 or colon < 0:
        return None
    try:
        t = ts_to_us(line[at + 1:colon])
    except ValueError:
        return None
    name, _, args = line[colon + 1:].rstrip("\n").partition(" ")
    return t, name, args


def ste_fetches(trace_path: str, start_us: int | None = None,
                end_us: int | None = None) -> Iterator[SteFetch]:
    """The model's STE lookups from ``start_us`` to ``end_us``, in trace
    order.  A lookup that read no STE (bad StreamID, invalid L1
    descriptor) has ``addr`` None."""
    cur: SteFetch | None = None
    with open(trace_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "smmuv3_find_ste" not in line and "smmuv3_get_ste" not in line:
                continue
            ev = _event(line)
            if ev is None:
                continue
            t, name, args = ev
            if start_us is not None and t < start_us:
                continue
            if end_us is not None and t >= end_us:
                break
            if name == "smmuv3_find_ste":
                m = RE_FIND_STE.match(args)
                if not m:
                    continue
                if cur is not None:
                    yield cur
                cur = SteFetch(t_us=t, sid=int(m.group(1), 16),
                               features=int(m.group(2), 16), two_level=False)
            elif name == "smmuv3_find_ste_2lvl" and cur is not None:
                m = RE_FIND_STE_2LVL.match(args)
                cur.two_level = True
                if m:
                    cur.strtab_base = int(m.group(1), 16)
                    cur.l2ptr = int(m.group(4), 16)
            elif name == "smmuv3_get_ste":
                m = _RE_GET.search(args)
                if m and cur is not None:
                    cur.addr = int(m.group(1), 16)
                    yield cur
                    cur = None
    if cur is not None:
        yield cur


def linear_walk_problem(fetches: Sequence[SteFetch], base: int,
                        log2size: int) -> str | None:
    """Why the model's lookups after a switch to a linear table at
    ``base`` do not read ``base + SID * 64``, or None if every lookup
    did (and there was at least one)."""
    if not fetches:
        return "no STE lookup after the switch"
    for fe in fetches:
        if fe.two_level or fe.features & 1:
            return ("the model walked the linear table as a 2-level one "
                    "(SID %#x: features %#x, %s)"
                    % (fe.sid, fe.features,
                       "L2 pointer %#x" % fe.l2ptr if fe.l2ptr is not None
                       else "no STE read"))
        if fe.sid >= 1 << log2size:
            continue
        want = base + fe.sid * STE_SIZE
        if fe.addr != want:
            return ("SID %#x: STE read at %s, not %#x"
                    % (fe.sid, "nowhere" if fe.addr is None
                       else "%#x" % fe.addr, want))
    return None
