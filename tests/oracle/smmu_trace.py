#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Independent oracle for the SMMUv3 kdump rig.

Turns QEMU's SMMUv3 trace log (log backend, ``-msg timestamp=on -d
guest_errors -trace events=EVFILE,file=TRACE``) and the host-stamped guest
serial log into per-phase, per-StreamID counts, a register-write timeline and
derived "SMMU disabled" windows.  Scenario verdicts are computed from this
module's output, never from what the kernel under test prints.

Standard library only (Python 3.11).  Use it as a CLI::

    python3 -m tests.oracle.smmu_trace --trace T --serial S
        [--crashkernel START-END] [--json OUT]

or as a library::

    from tests.oracle.smmu_trace import analyse, expect
    rep = analyse("trace.log", "serial.tsv",
                  crashkernel=(0x6ee00000, 0x7ee00000))
    ok, msg = expect(rep, "abort", "crashk", 0x300, "==", 0)

Facts about QEMU 10.0.2 this relies on (checked against the binary and a
bare-metal probe on this host, see the report of the session that wrote it):

* A trace line is ``TID@SECONDS.MICROS:event args`` (``%d@%zu.%06zu:``); the
  prefix is only printed with ``-msg timestamp=on``.  Without it a line is
  ``event args``; such lines are recognised by their (known) event name and
  get the time of the preceding timestamped line (counted as
  ``untimestamped_events``).
* ``qemu_log_mask(LOG_GUEST_ERROR, ...)`` lines share the file and carry no
  prefix; they get the time of the nearest preceding timestamped line.
* ``smmu_write_mmio``/``smmu_read_mmio`` mask the offset with ``~0x10000``
  before tracing, so page-1 registers appear at their page-0 alias
  (EVTQ_PROD as 0xa8).  Unmasked offsets (0x100a8) are accepted too.
* GBPA writes without UPDATE (bit 31) are ignored by the model; with SMMUEN=0
  and GBPA.ABORT=1 a transaction is traced as ``smmuv3_translate_abort``.
* ``smmuv3_record_event`` is only traced when the event queue is enabled;
  with EVTQEN=0 faults are only visible as guest-error lines
  ``<mr> translation failed for iova=0x... (<event>)``.
* IOMMU memory-region names are ``smmuv3-iommu-memory-region-<devfn>-<n>``
  (``n`` is a creation counter), so they do not encode the bus and the SID
  of a region is learned from trace events that carry both (translate_*),
  from ``--region NAME=SID``, or (weakly) from an ``invalid sid=N (L1STD
  span=0)`` guest-error line immediately followed by a ``translation failed``
  line of that region.  Such a pair always names the SID of that one line,
  even when the region is ambiguous: the crash kernel's PCI enumeration
  briefly clears a bridge's bus numbers under a device that is still doing
  DMA, and the model then reports the same region with SID ``devfn``.

Phases (see ``docs`` in :func:`analyse`): ``first`` | ``dying`` |
``ckprobe`` | ``crashk``.  The ``dying``/``ckprobe`` cut is the crash
kernel's first SMMU MMIO access, chosen as follows:

1. If the serial log has the dying kernel's ``Starting crashdump kernel``
   line after the ``RIG-MARK crash`` marker, the cut is the first SMMU MMIO
   access (read or write) stamped after that line.  arm64's
   ``machine_crash_shutdown()`` prints it after stopping the other CPUs, and
   the crashing CPU goes straight to kexec, so no dying-kernel access can
   follow it; the host stamps the line when it arrives, i.e. after it was
   printed.
2. Otherwise, the cut is the first SMMU MMIO access after the marker that
   follows at least ``probe_gap_ms`` (default 50 ms) without any SMMU MMIO
   access (measured from the marker or from the previous access).  The dying
   kernel may still issue CMDQ_PROD/CMDQ_CONS accesses (strict-mode unmaps of
   a busy NIC) between the marker and the panic, so "first access after the
   marker" would cut too early; "first IDR0 read" would cut too late if a
   kdump-aware driver snapshots registers before reading IDR0.  Panic to
   crash-kernel SMMU probe takes >= 0.24 s (``kexec -p -i``) plus the crash
   kernel's boot, far more than the gap.
The report records which rule cut, how many MMIO accesses fell in ``dying``
and whether the first ``ckprobe`` access was an IDR0 read.

A phase that cannot be cut (marker missing, no crash-kernel SMMU access) is
absent: its events land in a merged segment such as ``dying+ckprobe`` and
asking for the absent phase raises :class:`PhaseAbsentError` (``expect``
turns that into not-ok), never a silent zero.  Extra ``--cut MARKER``
phases are sub-phases named after the marker, running to the next cut;
base phases keep their full extent.

SMMU state is tracked from QEMU's reset values (CR0 = 0, GBPA = 0x1000) and
the traced writes, so a "disabled window" starts at trace start and at every
CR0 write clearing SMMUEN, and ends at the next CR0 write setting it.

Counting kinds (``Report.count(kind, phase, sid)``): per SID ``success``,
``success_in_crashkernel`` (translated address in the range), ``abort``,
``abort_write``, ``abort_smmu_disabled`` (abort while SMMUEN=0, i.e. the
GBPA abort), ``disable`` (bypass because SMMUEN=0) and ``bypass`` (STE
bypass) with ``_write`` and ``_in_crashkernel`` (iova = PA) variants,
``translation_failed`` and ``translation_failed:<EVENT>`` (guest-error
lines), ``record_event`` and ``record_event:<TYPE>``, ``cfgi_ste``,
``cfgi_cd``, ``l1std_invalid``; derived ``untranslated`` (disable+bypass),
``blocked`` (abort+translation_failed), ``dma``, ``in_crashkernel``;
un-attributed (``sid="unattributed"``): ``cmdq_error``, ``cmdq_opcode:<CMD>``,
``cfgi_ste_range``, ``gerror``, ``gerrorn``, ``guest_error``, ``unparsed``,
and translation failures of regions with no known SID.

JSON keys (``Report.to_dict()``, ``--json``): ``tool``, ``version``,
``inputs``, ``t0_us``, ``t_end_us``, ``phases`` (segments: name, base,
extra, merged, start_cut, start/end in us and epoch, durations),
``phase_names``, ``absent_phases`` {phase: reason}, ``ckprobe_cut`` (rule,
anchor_us, cut_us, dying_mmio, first_access,
first_idr0_read_after_crash_us), ``markers`` {name: [us]}, ``counts``
{phase: {total, sids: {"0x300": {kind: n}}, unattributed}}, ``totals``,
``crashkernel_hits`` {phase: {sid: {success, disable, bypass}}} or null,
``events`` {phase: {event name: n}}, ``guest_errors`` {phase: {text class:
n}}, ``register_writes`` [{t_us, time, rel_s, phase, segment, reg, offset,
value, size, result, flags, effective, note, page1}], ``register_write_counts``
and ``register_read_counts`` {phase: {reg: n}}, ``first_reads`` {phase: {reg:
{t_us, value, size}}}, ``disabled_windows`` [{start_us, end_us,
duration_us, open, from_reset, start_phase, end_phase, cr0_at_start,
gbpa_at_start, gbpa_abort_at_start, gbpa_abort (always|never|partly),
gbpa_changes, counts, sids}], ``strtab`` {phase: {STRTAB_BASE: [...],
STRTAB_BASE_CFG: [...]}}, ``l2_tables`` {phase: {sid: {l2ptr: {addr: n},
strtab_base: {addr: n}}}}, ``cfgi_ste_ranges``, ``cmdq_errors``, ``gerror``,
``region_sids`` {region: {sids, source}}, ``unresolved_regions``, ``lines``
(total, events, guest_error, untimestamped_events, unparsed,
unparsed_examples, blank, before_first_timestamp, serial_lines,
serial_unparsed), ``notes``.
"""


from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from typing import Any, Callable, Iterable, Sequence, TextIO

from tests.oracle.phases import (BASE_PHASES, CRASH_MARK, USERSPACE_MARK,
                                 SerialInfo, parse_range, parse_serial,
                                 plan_cuts)
from tests.oracle.report import (RegWrite, Report, Segment, Window,
                                 fmt_epoch, hexv, sid_key)
from tests.oracle.smmu_model import (CR0_SMMUEN, GBPA_ABORT, GBPA_RESET,
                                     GBPA_UPDATE, HOT_REGISTERS, OFF_CR0,
                                     OFF_GBPA, OFF_IDR0, OFF_STRTAB_BASE,
                                     OFF_STRTAB_BASE_CFG, REG64, REGISTERS,
                                     STRTAB_BASE_ADDR_MASK, decode_cr0,
                                     decode_gbpa, decode_irq_ctrl,
                                     decode_strtab_base_cfg, reg_name)
from tests.oracle.trace import (
    C_2LVL, C_ABORT, C_BYPASS, C_CERR, C_CFGI_CD, C_CFGI_RANGE, C_CFGI_STE,
    C_DISABLE, C_FIND_STE, C_GERROR, C_GERRORN, C_OPCODE, C_PCI_CFG,
    C_RECORD, C_RESET, C_RMMIO, C_WMMIO, EVENT_CODES, KNOWN_EVENTS, RE_CERR,
    RE_FIND_STE, RE_FIND_STE_2LVL, RE_GERROR, RE_GERRORN, RE_INVALID_SID,
    RE_NUM, RE_PCI_CFG, RE_RANGE, RE_TFAIL, TS_MAX, canon_ts, ts_to_us,
    us_to_ts)

__all__ = ["analyse", "expect", "expect_write", "main"]

# --------------------------------------------------------------------------
# The analyser
# --------------------------------------------------------------------------

class _Slice:
    """A stretch of lines with one segment and one SMMU-enable state.

    ``cnt`` holds everything but translate_success, which is counted in
    ``scnt`` (and ``skcnt`` when inside the crash-kernel range) under the
    string key ``"<region> sid=0x<sid>"`` to keep the hot path cheap.
    """
    __slots__ = ("seg", "window", "cnt", "scnt", "skcnt")

    def __init__(self, seg: int, window: int | None) -> None:
        self.seg = seg
        self.window = window
        self.cnt: defaultdict[Any, int] = defaultdict(int)
        self.scnt: defaultdict[str, int] = defaultdict(int)
        self.skcnt: defaultdict[str, int] = defaultdict(int)


class _Analyser:
    """Streaming state machine over the trace; see :func:`analyse`."""

    def __init__(self, serial: SerialInfo, crashkernel: tuple[int, int] | None,
                 extra_cuts: Sequence[str], region_map: dict[str, int],
                 probe_gap_ms: float, timeline_hot: bool) -> None:
        self.serial = serial
        self.ck = crashkernel
        self.region_map = dict(region_map)
        self.gap_us = int(probe_gap_ms * 1000)
        self.timeline_hot = timeline_hot
        # -- phase cuts known before the pass --------------------------
        plan = plan_cuts(serial, extra_cuts, probe_gap_ms)
        self.notes = plan.notes
        self.absent = plan.absent
        self.c1, self.c3 = plan.crash, plan.userspace
        self.anchor = plan.anchor
        self.anchor_is_line = plan.anchor_is_line
        self.anchor_rule = plan.anchor_rule
        self.cuts = plan.cuts
        self.extra_names = plan.extra_names
        self.cut_i = 0

        # -- segments & slices ----------------------------------------
        # seg entries: [name, base, start_us, start_cut, extra]
        self.segs: list[list[Any]] = [["first", "first", None,
                                       "trace start", False]]
        self.cur_base = "first"
        self.slices: list[_Slice] = []
        self.detecting = False
        self.c2: int | None = None
        self.last_dying_mmio: int | None = None
        self.dying_mmio = 0
        self.first_ck_access: str | None = None
        self.first_idr0_after_crash: int | None = None

        # -- SMMU register state (QEMU reset values) -------------------
        self.cr0 = 0
        self.gbpa = GBPA_RESET
        self.reg64: dict[int, int] = {}
        self.sid_split: int | None = None
        self.split_from_find_ste: int | None = None
        self.windows: list[Window] = []
        self.cur_window: int | None = None

        # -- outputs gathered during the pass --------------------------
        self.reg_writes: list[RegWrite] = []
        self.first_reads: dict[int, dict[str, dict[str, Any]]] = {}
        self.gerror: list[dict[str, Any]] = []
        self.ts: str | None = None  # timestamp string of the current line
        self._ts_cached: str | None = None
        self._t_cached: int | None = None
        self.t0: int | None = None
        self.strong_map: dict[str, dict[int, int]] = {}  # mr -> sid -> n
        self.weak_map: dict[str, dict[int, int]] = {}
        self.pending_invalid_sid: int | None = None
        self.unparsed_examples: list[str] = []
        self.lines = {"total": 0, "events": 0, "guest_error": 0,
                      "untimestamped_events": 0, "unparsed": 0, "blank": 0,
                      "before_first_timestamp": 0}
        self.cnt = self._new_slice()

    # ------------------------------------------------------------ slices
    def _new_slice(self) -> defaultdict[Any, int]:
        sl = _Slice(len(self.segs) - 1, self.cur_window)
        self.slices.append(sl)
        self.scnt = sl.scnt
        self.skcnt = sl.skcnt
        return sl.cnt

    def _start_segment(self, name: str, base: str, t: int, how: str,
                       extra: bool) -> defaultdict[Any, int]:
        self.segs.append([name, base, t, how, extra])
        self.cur_base = base
        return self._new_slice()

    def advance(self, t: int) -> tuple[defaultdict[Any, int], str]:
        """Apply every static cut at or before ``t``; return the slice
        counter and the next cut time (as a canonical timestamp string)."""
        while self.cut_i < len(self.cuts) and t >= self.cuts[self.cut_i][0]:
            ct, kind, name = self.cuts[self.cut_i]
            self.cut_i += 1
            if kind == "base":
                how = ("marker RIG-MARK %s" % (CRASH_MARK if name == "dying"
                                                else USERSPACE_MARK))
                if name == "crashk":
                    self.detecting = False
                self.cnt = self._start_segment(name, name, ct, how, False)
                if name == "dying":
                    self.detecting = True
            else:
                self.cnt = self._start_segment(name, self.cur_base, ct,
                                               "marker RIG-MARK %s" % name,
                                               True)
        if self.t0 is None:
            self.t0 = t
        nxt = (us_to_ts(self.cuts[self.cut_i][0])
               if self.cut_i < len(self.cuts) else TS_MAX)
        return self.cnt, nxt

    # ------------------------------------------------------------- MMIO
    def _ckprobe_check(self, t: int, off: int, write: bool) -> None:
        """Called for every MMIO access while the ckprobe cut is pending."""
        if off == OFF_IDR0 and not write \
                and self.first_idr0_after_crash is None:
            self.first_idr0_after_crash = t
        anchor = self.anchor if self.anchor is not None else t
        cut = False
        if t >= anchor:
            if self.anchor_is_line:
                cut = True  # anchored on "Starting crashdump kernel"
            else:
                ref = anchor if self.last_dying_mmio is None else \
                    max(anchor, self.last_dying_mmio)
                cut = t - ref >= self.gap_us
        if cut:
            self.detecting = False
            self.c2 = t
            self.first_ck_access = "%s %s" % ("write" if write else "read",
                                              reg_name(off))
            self.cnt = self._start_segment(
                "ckprobe", "ckprobe", t,
                "trace: first SMMU MMIO access of the crash kernel", False)
        else:
            self.last_dying_mmio = t
            self.dying_mmio += 1

    def mmio(self, args: str, write: bool) -> None:
        """Handle smmuv3_write_mmio / smmuv3_read_mmio."""
        p = args.split()
        # ['addr:', '0x20', 'val:0xd', 'size:', '0x4(0)']
        if len(p) != 5 or p[0] != "addr:" or p[2][:4] != "val:" \
                or p[3] != "size:":
            raise ValueError("bad mmio args")
        raw_off = int(p[1], 16)
        val = int(p[2][4:], 16)
        sz, _, res = p[4].partition("(")
        size = int(sz, 16)
        result = int(res.rstrip(")")) if res else 0
        off = raw_off & ~0x10000
        t = self.t
        if self.detecting and t is not None:
            self._ckprobe_check(t, off, write)
        name = REGISTERS.get(off) or "OFF_0x%x" % off
        cnt = self.cnt
        if not write:
            cnt[("rd", name)] += 1
            seg = len(self.segs) - 1
            fr = self.first_reads.setdefault(seg, {})
            if name not in fr:
                fr[name] = {"t_us": t, "value": hexv(val), "size": size}
            return
        cnt[("wr", name)] += 1
        flags: dict[str, Any] | None = None
        effective: int | None = None
        note: str | None = None
        if result != 0:
            # The model rejected the access (bad size): no state change.
            note = "MemTxResult %d: not applied" % result
        elif off == OFF_CR0:
            flags = decode_cr0(val)
            self._set_cr0(val, t)
        elif off == OFF_GBPA:
            flags = decode_gbpa(val)
            if val & GBPA_UPDATE:
                self._set_gbpa(val & ~GBPA_UPDATE, t)
            else:
                note = "ignored: UPDATE not set"
            effective = self.gbpa
        elif off == OFF_STRTAB_BASE_CFG:
            flags = decode_strtab_base_cfg(val)
            if (val >> 16) & 3 == 1:
                self.sid_split = (val >> 6) & 0x1F
        elif off == 0x50:
            flags = decode_irq_ctrl(val)
        lo = off if off in REG64 else (off - 4 if off - 4 in REG64 else None)
        if lo is not None and result == 0:
            cur = self.reg64.get(lo, 0)
            if size == 8 and off == lo:
                cur = val
            elif off == lo:
                cur = (cur & ~0xFFFF_FFFF) | (val & 0xFFFF_FFFF)
            else:
                cur = (cur & 0xFFFF_FFFF) | ((val & 0xFFFF_FFFF) << 32)
            self.reg64[lo] = cur
            effective = cur
            if lo == OFF_STRTAB_BASE:
                flags = {"ADDR": hexv(cur & STRTAB_BASE_ADDR_MASK),
                         "RA": bool(cur >> 62 & 1)}
        if name in HOT_REGISTERS and not self.timeline_hot:
            return
        self.reg_writes.append(RegWrite(
            t_us=t, segment=str(len(self.segs) - 1), phase="",
            offset=off, reg=name, value=val, size=size, result=result,
            page1=bool(raw_off & 0x10000), flags=flags, effective=effective,
            note=note))

    def _set_cr0(self, val: int, t: int | None) -> None:
        was = self.cr0 & CR0_SMMUEN
        self.cr0 = val
        now = val & CR0_SMMUEN
        if was and not now:
            self._open_window(t, from_reset=False)
        elif now and not was and self.cur_window is not None:
            w = self.windows[self.cur_window]
            w.end_us = t
            w.end_phase = str(len(self.segs) - 1)
            self.cur_window = None
            self.cnt = self._new_slice()

    def _open_window(self, t: int | None, from_reset: bool) -> None:
        if self.cur_window is not None:
            return
        ab = bool(self.gbpa & GBPA_ABORT)
        self.windows.append(Window(
            start_us=t, end_us=None, start_phase=str(len(self.segs) - 1),
            from_reset=from_reset, cr0_at_start=self.cr0,
            gbpa_at_start=self.gbpa, gbpa_abort_at_start=ab,
            gbpa_abort_ever=ab, gbpa_abort_always=ab))
        self.cur_window = len(self.windows) - 1
        self.cnt = self._new_slice()

    def _set_gbpa(self, val: int, t: int | None) -> None:
        old = self.gbpa
        self.gbpa = val
        if self.cur_window is not None and old != val:
            w = self.windows[self.cur_window]
            ab = bool(val & GBPA_ABORT)
            w.gbpa_changes.append({"t_us": t, "gbpa": hexv(val), "abort": ab})
            w.gbpa_abort_ever |= ab
            w.gbpa_abort_always &= ab

    # ----------------------------------------------------- other events
    def reset(self) -> None:
        """smmu_reset_exit: the model's registers are back to reset values."""
        self.reg64.clear()
        self.gbpa = GBPA_RESET
        self.sid_split = None  # QEMU: features = 0 (linear), sid_split = 0
        self.split_from_find_ste = None
        if self.cr0 & CR0_SMMUEN:
            self.cr0 = 0
            self._open_window(self.t, from_reset=True)
        self.cr0 = 0

    def find_ste_2lvl(self, args: str) -> None:
        m = RE_FIND_STE_2LVL.match(args)
        if not m:
            raise ValueError("bad find_ste_2lvl args")
        split = self.split_from_find_ste
        if split is None:
            split = self.sid_split
        sid: int | None = None
        if split is not None:
            sid = (int(m.group(3), 16) << split) | int(m.group(5), 16)
        self.cnt[("l2", sid, "0x" + m.group(1).lower(),
                  "0x" + m.group(4).lower())] += 1

    def guest_error(self, line: str) -> None:
        """A line without a trace prefix that is not a known event."""
        cnt = self.cnt
        self.lines["guest_error"] += 1
        cnt[("ge", None, "guest_error")] += 1
        if " translation failed for iova=" in line:
            m = RE_TFAIL.match(line)
            if m:
                mr, evt = m.group(1), m.group(3)
                sid_s = None
                pend = self.pending_invalid_sid
                if mr in self.region_map:
                    sid_s = "sid=0x%x" % self.region_map[mr]
                elif pend is not None:
                    # The model printed the SID of this very transaction
                    # on the line before: attribute the line to it even if
                    # the region is shared (a bus renumbered under a live
                    # device gives one region several SIDs).
                    sid_s = "sid=0x%x" % pend
                    w = self.weak_map.setdefault(mr, {})
                    w[pend] = w.get(pend, 0) + 1
                self.pending_invalid_sid = None
                cnt[("tf", mr, sid_s, evt)] += 1
                cnt[("gec", "translation failed (%s)" % evt)] += 1
                return
        self.pending_invalid_sid = None
        m2 = RE_INVALID_SID.match(line)
        if m2:
            sid = int(m2.group(1))
            self.pending_invalid_sid = sid
            cnt[("sidk", sid, "l1std_invalid")] += 1
        cls = RE_NUM.sub("N", line.strip())[:120]
        cnt[("gec", cls)] += 1

    def unparsed(self, line: str) -> None:
        self.lines["unparsed"] += 1
        self.cnt[("ge", None, "unparsed")] += 1
        if len(self.unparsed_examples) < 10:
            self.unparsed_examples.append(line.rstrip("\r\n")[:200])

    # ------------------------------------------------------------ events
    def _translate(self, code: int, args: str) -> None:
        """Count a translate_abort/disable/bypass line (ValueError if its
        arguments do not parse):
        abort: mr sid=.. abort on iova:0x.. is_write=N
        disable: mr sid=.. bypass (smmu disabled) iova:0x.. is_write=N
        bypass: mr sid=.. STE bypass iova:0x.. is_write=N"""
        i = args.find(" sid=0x")
        i2 = args.find(" ", i + 7)
        j = args.rfind(" iova:0x")
        w = args.rfind(" is_write=")
        if i <= 0 or i2 < 0 or j < i2 or w < j:
            raise ValueError("bad translate args")
        key = args[:i2]
        k = "a" if code == C_ABORT else ("d" if code == C_DISABLE else "b")
        if args[w + 10:w + 11] != "0":
            k += "w"
        self.cnt[(k, key)] += 1
        if self.ck and code != C_ABORT:
            ia = int(args[j + 8:w], 16)
            if self.ck[0] <= ia < self.ck[1]:
                self.cnt[(k[0] + "k", key)] += 1

    def _handlers(self) -> dict[int, Callable[[str], None]]:
        """The handler of each other known event, called with its
        arguments; ValueError or IndexError: they did not parse."""
        return {
            C_WMMIO: lambda args: self.mmio(args, True),
            C_RMMIO: lambda args: self.mmio(args, False),
            C_RECORD: self._record_event,
            C_2LVL: self.find_ste_2lvl,
            C_FIND_STE: self._find_ste,
            C_CFGI_STE: self._cfgi_ste,
            C_CFGI_CD: self._cfgi_cd,
            C_CFGI_RANGE: self._cfgi_ste_range,
            C_OPCODE: self._cmdq_opcode,
            C_CERR: self._cmdq_error,
            C_GERROR: lambda args: self._gerror(args, "gerror", RE_GERROR),
            C_GERRORN: lambda args: self._gerror(args, "gerrorn",
                                                 RE_GERRORN),
            C_PCI_CFG: self._pci_cfg_write,
            C_RESET: lambda args: self.reset(),
        }

    def _record_event(self, args: str) -> None:
        typ, _, sid_s = args.partition(" ")
        if sid_s[:6] != "sid=0x":
            raise ValueError("bad record_event args")
        sid = int(sid_s[6:], 16)
        self.cnt[("sidk", sid, "record_event")] += 1
        self.cnt[("sidk", sid, "record_event:" + typ)] += 1

    def _find_ste(self, args: str) -> None:
        m = RE_FIND_STE.match(args)
        if not m:
            raise ValueError("bad find_ste args")
        self.split_from_find_ste = int(m.group(3), 16)

    def _cfgi_ste(self, args: str) -> None:
        # "streamid= 0x%x"
        pre, _, v = args.partition(" ")
        if pre != "streamid=":
            raise ValueError("bad cfgi_ste args")
        self.cnt[("sidk", int(v, 16), "cfgi_ste")] += 1

    def _cfgi_cd(self, args: str) -> None:
        if args[:6] != "sid=0x":
            raise ValueError("bad cfgi_cd args")
        self.cnt[("sidk", int(args[6:], 16), "cfgi_cd")] += 1

    def _cfgi_ste_range(self, args: str) -> None:
        m = RE_RANGE.match(args)
        if not m:
            raise ValueError("bad cfgi_ste_range args")
        self.cnt[("ge", None, "cfgi_ste_range")] += 1
        self.cnt[("range", "0x%x-0x%x" % (int(m.group(1), 16),
                                          int(m.group(2), 16)))] += 1

    def _cmdq_opcode(self, args: str) -> None:
        if args[:5] != "<--- ":
            raise ValueError("bad cmdq_opcode args")
        self.cnt[("ge", None, "cmdq_opcode:" + args[5:].strip())] += 1

    def _cmdq_error(self, args: str) -> None:
        m = RE_CERR.match(args)
        if not m:
            raise ValueError("bad consume_error args")
        self.cnt[("ge", None, "cmdq_error")] += 1
        self.cnt[("cerr", "%s:%s" % (m.group(1), m.group(2)))] += 1

    def _gerror(self, args: str, kind: str, regex: re.Pattern[str]) -> None:
        m = regex.match(args)
        if not m:
            raise ValueError("bad gerror args")
        self.cnt[("ge", None, kind)] += 1
        self.gerror.append({
            "t_us": self.t, "segment": len(self.segs) - 1, "event": kind,
            "changed": hexv(int(m.group(1), 16)),
            "value": hexv(int(m.group(2), 16))})

    def _pci_cfg_write(self, args: str) -> None:
        m = RE_PCI_CFG.match(args)
        if not m:
            raise ValueError("bad pci_cfg_write args")
        # Initiate Function Level Reset: bit 15 of the PCIe Device Control
        # register, at capability + 8; the capabilities are dword aligned
        # past the header.  The StreamID is the requester ID, as on the rig.
        off, val = int(m.group(4), 16), int(m.group(5), 16)
        if 0x40 <= off < 0x100 and not off % 4 and \
                val & 0x8000 and val <= 0xffff:
            sid = (int(m.group(1), 16) << 8 |
                   int(m.group(2), 16) << 3 | int(m.group(3)))
            self.cnt[("sidk", sid, "flr")] += 1

    # -------------------------------------------------------------- pass
    @property
    def t(self) -> int | None:
        """Time (us) of the current line, parsed lazily from ``self.ts``."""
        ts = self.ts
        if ts is None:
            return None
        if ts != self._ts_cached:
            self._t_cached = ts_to_us(ts)
            self._ts_cached = ts
        return self._t_cached

    def run(self, f: TextIO) -> None:
        """Stream the trace file.  The hot path is inlined on purpose.

        Timestamps are kept as canonical ``SSSSSSSSSS.UUUUUU`` strings (QEMU
        prints ``%zu.%06zu``; epoch seconds have 10 digits), compared with
        the phase cuts as strings and turned into integers only when an
        event needs its time.  Translate events are counted under tuple
        keys only; their per-name event counts are derived in finish().
        """
        codes = EVENT_CODES
        ck = self.ck
        ck_lo, ck_hi = ck if ck else (0, 0)
        # Crash-kernel range check on hex strings: QEMU prints %lx (no
        # leading zeros), so equal-length hex strings compare like numbers.
        ck_lo_s = "%x" % ck_lo
        ck_last_s = "%x" % (ck_hi - 1) if ck else ""
        ck_len = len(ck_lo_s) if ck and len(ck_lo_s) == len(ck_last_s) else -1
        n_total = n_events = n_untimed = n_blank = n_before = 0
        cnt = self.cnt
        scnt = self.scnt
        skcnt = self.skcnt
        ts: str | None = None
        next_cut = ""  # the first timestamped line initialises the cuts
        known = KNOWN_EVENTS
        unparsed = self.unparsed
        handlers = self._handlers()
        for line in f:
            n_total += 1
            head, sep, rest = line.partition(":")
            at = head.find("@")
            if at > 0 and sep and head[:at].isdigit():
                # TID@SECONDS.MICROS:event args
                ts2 = head[at + 1:]
                if len(ts2) != 17 or ts2[10] != ".":
                    ts2 = canon_ts(ts2)
                    if ts2 is None:
                        self.ts = ts
                        unparsed(line)
                        continue
                ts = ts2
                if ts >= next_cut:
                    self.ts = ts
                    try:
                        t = self.t
                    except ValueError:
                        unparsed(line)
                        continue
                    assert t is not None
                    cnt, next_cut = self.advance(t)
                    scnt = self.scnt
                    skcnt = self.skcnt
                name, _, args = rest.partition(" ")
            else:
                line = line.rstrip("\r\n")
                if not line:
                    n_blank += 1
                    continue
                name, _, args = line.partition(" ")
                if name in known:
                    n_untimed += 1
                else:
                    if ts is None:
                        n_before += 1
                    self.ts = ts
                    self.guest_error(line)
                    cnt = self.cnt
                    continue
            n_events += 1
            if name == "smmuv3_translate_success":
                # mr sid=0x.. iova=0x.. translated=0x.. perm=0x.. stage=N
                i = args.find(" iova=0x")
                if i > 0:
                    key = args[:i]
                    scnt[key] += 1
                    if ck:
                        j = args.find(" translated=0x", i + 8)
                        if j < 0:
                            scnt[key] -= 1
                            n_events -= 1
                            cnt[name + " (unparsed)"] += 1
                            self.ts = ts
                            unparsed(line)
                            continue
                        j += 14
                        h = args[j:args.find(" ", j)]
                        if len(h) == ck_len:
                            if ck_lo_s <= h <= ck_last_s:
                                skcnt[key] += 1
                        elif ck_lo <= int(h, 16) < ck_hi:
                            skcnt[key] += 1
                    continue
                n_events -= 1
                cnt[name + " (unparsed)"] += 1
                self.ts = ts
                unparsed(line)
                continue
            code = codes.get(name)
            if code is None:
                name = name.rstrip("\r\n")
                code = codes.get(name)
                if code is None:
                    if name:
                        cnt[name] += 1
                    else:
                        n_events -= 1
                        self.ts = ts
                        unparsed(line)
                    continue
            if code <= C_BYPASS:
                try:
                    self._translate(code, args)
                except ValueError:
                    n_events -= 1
                    cnt[name + " (unparsed)"] += 1
                    self.ts = ts
                    unparsed(line)
                continue
            ecnt = cnt
            ecnt[name] += 1
            self.ts = ts
            try:
                handlers[code](args)
            except (ValueError, IndexError):
                ecnt[name] -= 1
                ecnt[name + " (unparsed)"] += 1
                n_events -= 1
                unparsed(line)
            cnt = self.cnt
            scnt = self.scnt
            skcnt = self.skcnt
        self.ts = ts
        lines = self.lines
        lines["total"] = n_total
        lines["events"] = n_events
        lines["untimestamped_events"] = n_untimed
        lines["blank"] = n_blank
        lines["before_first_timestamp"] = n_before

    # ----------------------------------------------------------- finish
    def finish(self, trace_path: str, serial_path: str | None,
               ck_source: str | None) -> Report:
        """Resolve names and regions, aggregate slices into a Report."""
        try:
            t_end = self.t
        except ValueError:
            t_end = self._t_cached
        if self.t0 is None:
            self.notes.append("no timestamped trace line: run QEMU with "
                              "-msg timestamp=on")
        # Initial window: QEMU resets the SMMU with SMMUEN=0 at start-up.
        self.segs[0][2] = self.t0
        seg_objs = self._segments(t_end)
        names = [s.name for s in seg_objs]
        tr_items = self._translate_items()
        region_sids, final_map = self._region_sids()
        agg = self._aggregate(names, tr_items, final_map)
        self._name_segments(seg_objs, t_end)
        lines = dict(self.lines)
        lines["unparsed_examples"] = self.unparsed_examples
        lines["serial_lines"] = self.serial.lines
        lines["serial_unparsed"] = self.serial.unparsed
        return Report(
            trace_path=trace_path, serial_path=serial_path,
            crashkernel=self.ck, crashkernel_source=ck_source,
            segments=seg_objs, absent=self.absent,
            markers=self.serial.markers, reg_writes=self.reg_writes,
            first_reads={names[k]: v for k, v in self.first_reads.items()},
            windows=self.windows, gerror=self.gerror,
            region_sids=region_sids, lines=lines,
            ckprobe_cut=self._ckprobe_cut(), notes=self.notes,
            timeline_hot=self.timeline_hot, t0_us=self.t0, t_end_us=t_end,
            **agg)

    def _segments(self, t_end: int | None) -> list[Segment]:
        """The segments, with the base phases that could not be cut merged
        into their neighbours (and recorded as absent, with the reason)."""
        present = {"first": True, "dying": self.c1 is not None,
                   "ckprobe": self.c2 is not None,
                   "crashk": self.c3 is not None}
        if self.c1 is None:
            self.absent["first"] = "its end (marker RIG-MARK crash) is missing"
            self.absent["dying"] = "marker RIG-MARK crash missing"
            self.absent["ckprobe"] = ("needs the crash marker to find the "
                                      "crash kernel's first SMMU access")
        elif self.c2 is None:
            self.absent["dying"] = ("its end (crash kernel's first SMMU MMIO "
                                    "access) not found in the trace")
            self.absent["ckprobe"] = ("no SMMU MMIO access found after the "
                                      "crash marker (rule: %s)"
                                      % self.anchor_rule)
        if self.c3 is None:
            if "ckprobe" not in self.absent:
                self.absent["ckprobe"] = ("its end (marker RIG-MARK "
                                          "crash-userspace) is missing")
            self.absent["crashk"] = "marker RIG-MARK crash-userspace missing"
        merged_name: dict[str, str] = {}
        merged_list: dict[str, list[str]] = {}
        for i, b in enumerate(BASE_PHASES):
            if not present[b]:
                continue
            group = [b]
            for b2 in BASE_PHASES[i + 1:]:
                if present[b2]:
                    break
                group.append(b2)
            merged_name[b] = "+".join(group)
            merged_list[b] = group
        # A base phase is absent iff it is part of a merged group.
        for b, group in merged_list.items():
            if len(group) > 1:
                for g in group:
                    self.absent.setdefault(
                        g, "merged into %s" % "+".join(group))
        segs = self.segs
        seg_objs: list[Segment] = []
        for i, (name, base, start, how, extra) in enumerate(segs):
            mb = merged_name.get(base, base)
            end = segs[i + 1][2] if i + 1 < len(segs) else t_end
            seg_objs.append(Segment(
                name=name if extra else mb, base=mb, start_us=start,
                end_us=end, start_cut=how, extra=extra,
                merged=merged_list.get(base, [base]) if not extra else []))
        return seg_objs

    def _translate_items(self) -> list[list[tuple[str, str, int, int]]]:
        """Each slice's translate counts as (tag, region, sid, n) entries
        (tag "bad": a key that did not parse); learns region -> SID from
        them (strong_map)."""
        bad_keys = 0
        tr_items: list[list[tuple[str, str, int, int]]] = []
        for sl in self.slices:
            items: list[tuple[str, str, int, int]] = []
            sources: list[tuple[str, Iterable[tuple[Any, int]]]] = [
                ("s", sl.scnt.items()), ("sk", sl.skcnt.items())]
            sources.append(("", ((k, n) for k, n in sl.cnt.items()
                                 if type(k) is tuple
                                 and k[0] in _TRANSLATE_KEYS)))
            for tag0, it in sources:
                for key, n in it:
                    if not n:
                        continue
                    tag = tag0 or key[0]
                    skey = key if tag0 else key[1]
                    rs = _split_key(skey)
                    if rs is None:
                        bad_keys += n
                        items.append(("bad", "", 0, n))
                        if len(self.unparsed_examples) < 10:
                            self.unparsed_examples.append(
                                "translate event args: " + skey[:150])
                        continue
                    items.append((tag, rs[0], rs[1], n))
                    if tag not in _CK_KINDS:
                        d = self.strong_map.setdefault(rs[0], {})
                        d[rs[1]] = d.get(rs[1], 0) + n
            tr_items.append(items)
        if bad_keys:
            self.lines["unparsed"] += bad_keys
            self.lines["events"] -= bad_keys
        return tr_items

    def _region_sids(self) -> tuple[dict[str, dict[str, Any]],
                                    dict[str, int]]:
        """What is known of each IOMMU region's SID (for the report) and
        the region -> SID map that attributes guest-error lines."""
        region_sids: dict[str, dict[str, Any]] = {}
        final_map: dict[str, int] = {}
        for mr, d in self.strong_map.items():
            region_sids[mr] = {"sids": {sid_key(s): n for s, n in d.items()},
                               "source": "trace"}
            if len(d) == 1:
                final_map[mr] = next(iter(d))
            else:
                self.notes.append("region %s was seen with several SIDs %s; "
                                  "its unresolved guest-error lines stay "
                                  "unattributed" % (mr, sorted(d)))
        for mr, sid in self.region_map.items():
            region_sids[mr] = {"sids": {sid_key(sid): 0}, "source": "cli"}
            final_map[mr] = sid
        for mr, d in self.weak_map.items():
            if mr in final_map or mr in self.strong_map:
                continue
            region_sids[mr] = {"sids": {sid_key(s): n for s, n in d.items()},
                               "source": "guest-error adjacency (weak)"}
            if len(d) == 1:
                final_map[mr] = next(iter(d))
        return region_sids, final_map

    def _aggregate(self, names: list[str],
                   tr_items: list[list[tuple[str, str, int, int]]],
                   final_map: dict[str, int]) -> dict[str, Any]:
        """Sum the slices into per-segment tables (the Report's counts,
        events, guest_errors, reg_write_counts, reg_read_counts,
        l2_tables, cfgi_ranges, cmdq_errors and unresolved_regions) and
        each SMMU-disabled window's counts."""
        tables = ("counts", "events", "guest_errors", "reg_write_counts",
                  "reg_read_counts", "l2_tables", "cfgi_ranges",
                  "cmdq_errors")
        agg: dict[str, Any] = {t: {n: {} for n in names} for t in tables}
        unresolved: dict[str, dict[str, dict[str, int]]] = {}
        agg["unresolved_regions"] = unresolved
        for sl, items in zip(self.slices, tr_items):
            seg = names[sl.seg]
            c = agg["counts"][seg]
            win = self.windows[sl.window] if sl.window is not None else None

            def add(sid: int | None, kind: str, n: int) -> None:
                _bump(c.setdefault(sid, {}), kind, n)
                if win is not None:
                    _bump(win.counts, kind, n)
                    _bump(win.sids.setdefault(sid, {}), kind, n)

            for tag, _mr, sid, n in items:
                if tag == "bad":
                    add(None, "unparsed", n)
                    continue
                if tag in _CK_KINDS:
                    add(sid, _CK_KINDS[tag], n)
                    continue
                base_k = _TRANSLATE_KEYS[tag]
                _bump(agg["events"][seg], "smmuv3_translate_" + base_k, n)
                add(sid, base_k, n)
                if tag.endswith("w"):
                    add(sid, base_k + "_write", n)
                if base_k == "abort" and win is not None:
                    add(sid, "abort_smmu_disabled", n)
            for key, n in sl.cnt.items():
                if not n:
                    continue
                if type(key) is str:
                    _bump(agg["events"][seg], key, n)
                    continue
                tag = key[0]
                if tag in _TRANSLATE_KEYS:
                    continue
                if tag == "tf":
                    _, mr, sid_s, evt = key
                    sid2: int | None
                    if sid_s is not None:
                        sid2 = int(sid_s[6:], 16)
                    else:
                        sid2 = final_map.get(mr)
                    if sid2 is None:
                        u = unresolved.setdefault(seg, {}).setdefault(mr, {})
                        _bump(u, "translation_failed", n)
                    add(sid2, "translation_failed", n)
                    add(sid2, "translation_failed:" + evt, n)
                elif tag == "sidk":
                    add(key[1], key[2], n)
                elif tag == "ge":
                    add(None, key[2], n)
                elif tag == "l2":
                    _, sid3, sb, l2p = key
                    d2 = agg["l2_tables"][seg].setdefault(
                        sid3, {"l2ptr": {}, "strtab_base": {}})
                    _bump(d2["l2ptr"], l2p, n)
                    _bump(d2["strtab_base"], sb, n)
                elif tag in _TABLE_OF_TAG:
                    _bump(agg[_TABLE_OF_TAG[tag]][seg], key[1], n)
        if any(None in agg["l2_tables"][s] for s in names):
            self.notes.append("find_ste_2lvl events before any "
                              "STRTAB_BASE_CFG write (and without "
                              "smmuv3_find_ste): SID unknown")
        return agg

    def _name_segments(self, seg_objs: list[Segment],
                       t_end: int | None) -> None:
        """Replace the segment indexes in windows, register writes and
        GERROR records by segment and phase names; close the last window
        at the end of the trace."""
        names = [s.name for s in seg_objs]
        base_of = {s.name: s.base for s in seg_objs}
        for w in self.windows:
            w.start_segment = names[int(w.start_phase)]
            w.start_phase = base_of[w.start_segment]
            if w.end_phase is not None:
                w.end_phase = base_of[names[int(w.end_phase)]]
            else:
                w.open = True
                w.end_us = t_end
                w.end_phase = seg_objs[-1].base if seg_objs else None
            if w.counts.get("success"):
                self.notes.append(
                    "%d translate_success events while CR0 tracking says "
                    "SMMUEN=0 (window at %s): is the trace complete?"
                    % (w.counts["success"], fmt_epoch(w.start_us)))
        for rw in self.reg_writes:
            seg = names[int(rw.segment)]
            rw.segment = seg
            rw.phase = base_of[seg]
        for g in self.gerror:
            seg = names[int(g["segment"])]
            g["segment"] = seg
            g["phase"] = base_of[seg]

    def _ckprobe_cut(self) -> dict[str, Any]:
        """How the dying/ckprobe cut was found (the Report's ckprobe_cut),
        with notes on what looks unusual."""
        ckcut: dict[str, Any] = {
            "rule": self.anchor_rule or None,
            "anchor_us": self.anchor, "cut_us": self.c2,
            "dying_mmio": self.dying_mmio,
            "first_access": self.first_ck_access,
            "first_idr0_read_after_crash_us": self.first_idr0_after_crash,
        }
        if self.c2 is not None and self.first_ck_access != "read IDR0":
            self.notes.append("the crash kernel's first SMMU access was %s, "
                              "not an IDR0 read" % self.first_ck_access)
        if self.dying_mmio:
            self.notes.append("%d SMMU MMIO accesses between the crash marker "
                              "and the crash kernel's first access were "
                              "attributed to the dying kernel"
                              % self.dying_mmio)
        if self.lines["unparsed"]:
            self.notes.append("%d unparsed trace lines"
                              % self.lines["unparsed"])
        return ckcut


#: Slice-counter tags of translate_* events -> kind.
_TRANSLATE_KEYS = {
    "s": "success", "sk": "success",
    "a": "abort", "aw": "abort",
    "d": "disable", "dw": "disable", "dk": "disable",
    "b": "bypass", "bw": "bypass", "bk": "bypass",
}
_CK_KINDS = {"sk": "success_in_crashkernel", "dk": "disable_in_crashkernel",
             "bk": "bypass_in_crashkernel"}


#: Slice-counter tags -> the Report table they are summed into.
_TABLE_OF_TAG = {"gec": "guest_errors", "wr": "reg_write_counts",
                 "rd": "reg_read_counts", "range": "cfgi_ranges",
                 "cerr": "cmdq_errors"}


def _bump(d: dict[Any, int], k: Any, n: int) -> None:
    d[k] = d.get(k, 0) + n


def _split_key(key: str) -> tuple[str, int] | None:
    """``"<region> sid=0x<hex>"`` -> (region, sid); None if malformed."""
    mr, sep, sid_s = key.rpartition(" sid=0x")
    if not sep or not mr or " " in mr:
        return None
    try:
        return mr, int(sid_s, 16)
    except ValueError:
        return None


def analyse(trace_path: str, serial_path: str | None,
            crashkernel: tuple[int, int] | str | None = None,
            extra_cuts: Sequence[str] = (),
            region_map: dict[str, int] | None = None,
            probe_gap_ms: float = 50.0,
            timeline_hot: bool = False) -> Report:
    """Analyse one run.

    ``crashkernel``: ``(start, end)`` (end exclusive), a ``START-END`` /
    ``SIZE@START`` string, ``"auto"`` (take the first kernel's
    ``crashkernel reserved: A - B`` line from the serial log; the report says
    so), or None (no crash-kernel address checks).  ``extra_cuts``: further
    marker names; each starts a sub-phase named after it that ends at the
    next cut (base phases keep their full extent).  ``region_map``: IOMMU
    memory-region name -> SID, for regions the trace never ties to a SID.
    ``probe_gap_ms``: quiet time that marks the crash kernel's first SMMU
    access when the serial log lacks ``Starting crashdump kernel``.
    ``timeline_hot``: also put CMDQ_PROD/EVTQ_CONS/PRIQ_CONS writes in the
    timeline (they are always counted).
    """
    serial = parse_serial(serial_path)
    ck_source: str | None = None
    ck: tuple[int, int] | None = None
    if isinstance(crashkernel, str):
        if crashkernel == "auto":
            ck = serial.ck_reserved
            ck_source = "serial: first kernel's 'crashkernel reserved' line"
        else:
            ck = parse_range(crashkernel)
            ck_source = "given"
    elif crashkernel is not None:
        ck = (int(crashkernel[0]), int(crashkernel[1]))
        ck_source = "given"
    an = _Analyser(serial, ck, extra_cuts, region_map or {}, probe_gap_ms,
                   timeline_hot)
    if crashkernel == "auto" and ck is None:
        an.notes.append("crashkernel=auto but no 'crashkernel reserved' line "
                        "in the serial log: no crash-kernel address checks")
    # The SMMU starts disabled (QEMU reset): open the initial window.
    an._open_window(None, from_reset=True)
    with open(trace_path, encoding="utf-8", errors="replace",
              buffering=1 << 20) as f:
        an.run(f)
    if an.windows and an.windows[0].start_us is None:
        an.windows[0].start_us = an.t0
    return an.finish(trace_path, serial_path, ck_source)


# --------------------------------------------------------------------------
# Expectations for scenario code
# --------------------------------------------------------------------------

_OPS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}
_OPS.update({"eq": _OPS["=="], "ne": _OPS["!="], "lt": _OPS["<"],
             "le": _OPS["<="], "gt": _OPS[">"], "ge": _OPS[">="]})


def expect(report: Report, kind: str, phase: str | Sequence[str] | None,
           sid: int | str | Iterable[int] | None, op: str,
           value: int) -> tuple[bool, str]:
    """Check ``count(kind, phase, sid) <op> value``.

    Returns ``(ok, message)``.  A phase the run could not be cut into is
    not-ok (never a silent zero).  ``op`` is one of ``== != < <= > >=`` (or
    ``eq ne lt le gt ge``); an unknown op raises ``ValueError``.
    """
    if op not in _OPS:
        raise ValueError("unknown op %r" % op)
    sid_txt = ("any" if sid is None else
               sid if isinstance(sid, str) else
               "0x%x" % sid if isinstance(sid, int) else
               ",".join("0x%x" % s for s in sid))
    what = "count(%s, phase=%s, sid=%s)" % (kind, phase, sid_txt)
    try:
        n = report.count(kind, phase, sid)
    except KeyError as e:
        return False, "%s: %s" % (what, e.args[0] if e.args else e)
    ok = _OPS[op](n, value)
    return ok, "%s = %d, expected %s %d: %s" % (what, n, op, value,
                                                 "ok" if ok else "FAIL")


def expect_write(report: Report, reg: str,
                 phase: str | Sequence[str] | None, value: int | None = None,
                 mask: int | None = None,
                 present: bool = True) -> tuple[bool, str]:
    """Check that ``reg`` was (``present``) or was not written in ``phase``
    with ``(written & mask) == value`` (``mask`` defaults to all bits; with
    ``value`` None any write matches).  Returns ``(ok, message)``."""
    what = "write %s%s in %s" % (
        reg, "" if value is None else
        (" = 0x%x" % value if mask is None else
         " & 0x%x == 0x%x" % (mask, value)), phase)
    try:
        ws = report.writes(reg, phase)
    except KeyError as e:
        return False, "%s: %s" % (what, e.args[0] if e.args else e)
    m = ~0 if mask is None else mask
    hits = [w for w in ws if value is None or (w.value & m) == value]
    ok = bool(hits) == present
    if hits:
        detail = "seen %d time(s), first at %s = 0x%x" % (
            len(hits), fmt_epoch(hits[0].t_us), hits[0].value)
    else:
        detail = "not seen (%d %s write(s) in that phase: %s)" % (
            len(ws), reg, ", ".join("0x%x" % w.value for w in ws[:8]))
    return ok, "%s %s: %s; %s" % (what, "expected" if present else
                                   "expected absent",
                                   "ok" if ok else "FAIL", detail)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def _parse_region(text: str) -> tuple[str, int]:
    name, sep, sid = text.rpartition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected NAME=SID")
    return name, int(sid, 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(
        description="Analyse a QEMU SMMUv3 trace and a host-stamped serial "
                    "log into per-phase, per-StreamID counts.")
    ap.add_argument("--trace", required=True, help="QEMU trace file")
    ap.add_argument("--serial", help="serial log: <epoch s>\\t<text> lines")
    ap.add_argument("--crashkernel",
                    help="START-END (end exclusive), SIZE@START or 'auto'")
    ap.add_argument("--json", help="write the JSON report here")
    ap.add_argument("--cut", action="append", default=[], metavar="MARKER",
                    help="extra phase cut at RIG-MARK MARKER (repeatable)")
    ap.add_argument("--region", action="append", default=[],
                    type=_parse_region, metavar="NAME=SID",
                    help="IOMMU memory-region name to SID (repeatable)")
    ap.add_argument("--probe-gap-ms", type=float, default=50.0,
                    help="quiet gap marking the crash kernel's first SMMU "
                         "access (default 50)")
    ap.add_argument("--timeline-hot", action="store_true",
                    help="include CMDQ_PROD/EVTQ_CONS/PRIQ_CONS writes in "
                         "the timeline")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="no human report on stdout")
    a = ap.parse_args(argv)
    try:
        rep = analyse(a.trace, a.serial, crashkernel=a.crashkernel,
                      extra_cuts=a.cut, region_map=dict(a.region),
                      probe_gap_ms=a.probe_gap_ms,
                      timeline_hot=a.timeline_hot)
    except (OSError, ValueError) as e:
        print("smmu_trace: error: %s" % e, file=sys.stderr)
        return 2
    if a.json:
        rep.write_json(a.json)
    if not a.quiet:
        print(rep.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
