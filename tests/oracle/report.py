# SPDX-License-Identifier: GPL-2.0
"""The oracle's result: per-phase, per-StreamID counts, the register-write
timeline and the SMMU-disabled windows (:class:`Report`), its JSON form and
its text summary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from tests.oracle.phases import PhaseAbsentError
from tests.oracle.smmu_model import GBPA_RESET, HOT_REGISTERS

VERSION = 1

#: Per-SID kinds produced by the analyser (plus ``record_event:<TYPE>`` and
#: ``translation_failed:<EVENT>``).
KINDS: tuple[str, ...] = (
    "success", "success_in_crashkernel",
    "abort", "abort_write", "abort_smmu_disabled",
    "disable", "disable_write", "disable_in_crashkernel",
    "bypass", "bypass_write", "bypass_in_crashkernel",
    "translation_failed", "record_event", "cfgi_ste", "cfgi_cd",
    "l1std_invalid", "flr",
)

#: Kinds computed at query time as sums of other kinds.
DERIVED_KINDS: dict[str, tuple[str, ...]] = {
    # DMA that reached memory without translation.
    "untranslated": ("disable", "bypass"),
    # DMA that the SMMU stopped.
    "blocked": ("abort", "translation_failed"),
    # Every DMA outcome the trace shows.
    "dma": ("success", "abort", "disable", "bypass", "translation_failed"),
    # DMA that landed in crash-kernel memory (translated or not).
    "in_crashkernel": ("success_in_crashkernel", "disable_in_crashkernel",
                       "bypass_in_crashkernel"),
}

def hexv(v: int | None) -> str | None:
    """``v`` in hex ("0x..."), None for None."""
    return None if v is None else "0x%x" % v


def sid_key(sid: int | None) -> str:
    return "none" if sid is None else "0x%x" % sid


@dataclass
class Segment:
    """A contiguous time range of the run with its own counts.

    ``base`` is the base phase (or merged phases, e.g. ``dying+ckprobe``)
    the segment belongs to; ``name`` equals ``base`` except for segments
    started by an extra ``--cut`` marker, which are named after it.
    """
    name: str
    base: str
    start_us: int | None
    end_us: int | None
    start_cut: str
    extra: bool = False
    merged: list[str] = field(default_factory=list)

    def to_dict(self, t0: int | None) -> dict[str, Any]:
        return {
            "name": self.name, "base": self.base, "extra": self.extra,
            "merged": self.merged, "start_cut": self.start_cut,
            "start_us": self.start_us, "end_us": self.end_us,
            "start": fmt_epoch(self.start_us), "end": fmt_epoch(self.end_us),
            "start_rel_s": _rel(self.start_us, t0),
            "end_rel_s": _rel(self.end_us, t0),
            "duration_us": (None if self.start_us is None
                            or self.end_us is None
                            else self.end_us - self.start_us),
        }


@dataclass
class RegWrite:
    """One traced MMIO write."""
    t_us: int | None
    segment: str
    phase: str
    offset: int
    reg: str
    value: int
    size: int
    result: int
    page1: bool = False
    flags: dict[str, Any] | None = None
    effective: int | None = None
    note: str | None = None

    def to_dict(self, t0: int | None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "t_us": self.t_us, "time": fmt_epoch(self.t_us),
            "rel_s": _rel(self.t_us, t0), "phase": self.phase,
            "segment": self.segment, "reg": self.reg,
            "offset": hexv(self.offset), "value": hexv(self.value),
            "size": self.size, "result": self.result,
        }
        if self.page1:
            d["page1"] = True
        if self.flags is not None:
            d["flags"] = self.flags
        if self.effective is not None:
            d["effective"] = hexv(self.effective)
        if self.note:
            d["note"] = self.note
        return d


@dataclass
class Window:
    """An interval during which the last CR0 write had SMMUEN=0."""
    start_us: int | None
    end_us: int | None
    start_phase: str = ""
    end_phase: str | None = None
    start_segment: str = ""
    from_reset: bool = False
    open: bool = False
    cr0_at_start: int = 0
    gbpa_at_start: int = GBPA_RESET
    gbpa_abort_at_start: bool = False
    gbpa_abort_ever: bool = False
    gbpa_abort_always: bool = True
    gbpa_changes: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sids: dict[int | None, dict[str, int]] = field(default_factory=dict)

    @property
    def duration_us(self) -> int | None:
        if self.start_us is None or self.end_us is None:
            return None
        return self.end_us - self.start_us

    @property
    def gbpa_abort(self) -> str:
        """GBPA.ABORT during the window: ``always``, ``never``, ``partly``."""
        if self.gbpa_abort_always:
            return "always"
        return "partly" if self.gbpa_abort_ever else "never"

    def to_dict(self, t0: int | None) -> dict[str, Any]:
        return {
            "start_us": self.start_us, "end_us": self.end_us,
            "start": fmt_epoch(self.start_us), "end": fmt_epoch(self.end_us),
            "start_rel_s": _rel(self.start_us, t0),
            "duration_us": self.duration_us, "open": self.open,
            "from_reset": self.from_reset, "start_phase": self.start_phase,
            "end_phase": self.end_phase,
            "start_segment": self.start_segment,
            "cr0_at_start": hexv(self.cr0_at_start),
            "gbpa_at_start": hexv(self.gbpa_at_start),
            "gbpa_abort_at_start": self.gbpa_abort_at_start,
            "gbpa_abort": self.gbpa_abort, "gbpa_changes": self.gbpa_changes,
            "counts": dict(sorted(self.counts.items())),
            "sids": {sid_key(s): dict(sorted(c.items()))
                     for s, c in sorted(self.sids.items(), key=_sid_sort)},
        }


def _sid_sort(item: tuple[int | None, Any]) -> tuple[int, int]:
    s = item[0]
    return (1, 0) if s is None else (0, s)


def fmt_epoch(t_us: int | None) -> str | None:
    if t_us is None:
        return None
    return "%d.%06d" % divmod(t_us, 1_000_000)


def _rel(t_us: int | None, t0: int | None) -> float | None:
    if t_us is None or t0 is None:
        return None
    return round((t_us - t0) / 1e6, 6)


@dataclass
class Report:
    """Everything the analyser found.  Plain attributes; see :meth:`to_dict`.

    Counts live in ``counts[segment][sid][kind]`` where ``sid`` is an int or
    ``None`` (events that carry no SID or whose region could not be mapped).
    Use :meth:`count` rather than reading it directly: it aggregates the
    segments of a base phase and raises :class:`PhaseAbsentError` for a
    phase that could not be cut.
    """
    trace_path: str
    serial_path: str | None
    crashkernel: tuple[int, int] | None
    crashkernel_source: str | None
    segments: list[Segment]
    absent: dict[str, str]
    markers: dict[str, list[int]]
    counts: dict[str, dict[int | None, dict[str, int]]]
    events: dict[str, dict[str, int]]
    guest_errors: dict[str, dict[str, int]]
    reg_writes: list[RegWrite]
    reg_write_counts: dict[str, dict[str, int]]
    reg_read_counts: dict[str, dict[str, int]]
    first_reads: dict[str, dict[str, dict[str, Any]]]
    windows: list[Window]
    l2_tables: dict[str, dict[int | None, dict[str, dict[str, int]]]]
    cfgi_ranges: dict[str, dict[str, int]]
    cmdq_errors: dict[str, dict[str, int]]
    gerror: list[dict[str, Any]]
    region_sids: dict[str, dict[str, Any]]
    unresolved_regions: dict[str, dict[str, dict[str, int]]]
    lines: dict[str, Any]
    ckprobe_cut: dict[str, Any]
    notes: list[str]
    timeline_hot: bool
    t0_us: int | None
    t_end_us: int | None

    # ---------------------------------------------------------------- lookup
    @property
    def phase_names(self) -> list[str]:
        """Names usable as ``phase=``: present bases, merged bases, extras."""
        out: list[str] = []
        for s in self.segments:
            if s.base not in out:
                out.append(s.base)
        out += [s.name for s in self.segments if s.extra]
        return out

    def present(self, phase: str) -> bool:
        """True if ``phase`` (base or extra cut) exists in this run."""
        return phase in self.phase_names

    def segments_of(self, phase: str | Sequence[str] | None) -> list[str]:
        """Segment names that make up ``phase`` (None: all segments).

        A base phase covers all its segments (extra cuts inside it do not
        shrink it); an extra cut covers its own segment.  Raises
        :class:`PhaseAbsentError` for a phase the run could not be cut into
        and ``KeyError`` for an unknown name.
        """
        if phase is None:
            return [s.name for s in self.segments]
        if not isinstance(phase, str):
            out: list[str] = []
            for p in phase:
                for s in self.segments_of(p):
                    if s not in out:
                        out.append(s)
            return out
        segs = [s.name for s in self.segments if s.base == phase]
        if segs:
            return segs
        segs = [s.name for s in self.segments if s.extra and s.name == phase]
        if segs:
            return segs
        if phase in self.absent:
            raise PhaseAbsentError("phase %r absent: %s"
                                   % (phase, self.absent[phase]))
        raise KeyError("unknown phase %r (known: %s)"
                       % (phase, ", ".join(self.phase_names)))

    def phase_range(self, phase: str) -> tuple[int | None, int | None]:
        """(start_us, end_us) of a phase."""
        segs = self.segments_of(phase)
        objs = [s for s in self.segments if s.name in segs]
        return objs[0].start_us, objs[-1].end_us

    def phase_at(self, t_us: int) -> str | None:
        """Base phase name at host time ``t_us``."""
        for s in self.segments:
            if (s.start_us is None or t_us >= s.start_us) and \
               (s.end_us is None or t_us < s.end_us):
                return s.base
        return None

    def count(self, kind: str, phase: str | Sequence[str] | None = None,
              sid: int | str | Iterable[int] | None = None) -> int:
        """Number of ``kind`` events.

        ``kind``: one of :data:`KINDS`, ``record_event:<TYPE>``,
        ``translation_failed:<EVENT>``, a :data:`DERIVED_KINDS` name, or an
        un-attributed kind (``cmdq_error``, ``cfgi_ste_range``, ``gerror``,
        ``guest_error``, ``unparsed``...).  ``phase``: None for the whole
        run, a phase name or a list of them.  ``sid``: None for every SID
        plus un-attributed events, an int or list of ints, or the string
        ``"unattributed"``.
        """
        kinds = DERIVED_KINDS.get(kind, (kind,))
        if sid is None:
            want: set[int | None] | None = None
        elif sid == "unattributed":
            want = {None}
        elif isinstance(sid, int):
            want = {sid}
        elif isinstance(sid, str):
            want = {int(sid, 0)}
        else:
            want = set(sid)
        total = 0
        for seg in self.segments_of(phase):
            for s, kc in self.counts.get(seg, {}).items():
                if want is not None and s not in want:
                    continue
                for k in kinds:
                    total += kc.get(k, 0)
        return total

    def sids(self, phase: str | Sequence[str] | None = None) -> list[int]:
        """SIDs with any count in ``phase``."""
        out: set[int] = set()
        for seg in self.segments_of(phase):
            out.update(s for s in self.counts.get(seg, {}) if s is not None)
        return sorted(out)

    def event_count(self, name: str,
                    phase: str | Sequence[str] | None = None) -> int:
        """Number of trace events called ``name`` (any event, by name)."""
        return sum(self.events.get(seg, {}).get(name, 0)
                   for seg in self.segments_of(phase))

    def writes(self, reg: str | None = None,
               phase: str | Sequence[str] | None = None) -> list[RegWrite]:
        """Timeline entries for ``reg`` (None: all) in ``phase``."""
        if reg in HOT_REGISTERS and not self.timeline_hot:
            raise ValueError("%s writes are not in the timeline; analyse "
                             "with timeline_hot=True" % reg)
        segs = set(self.segments_of(phase))
        return [w for w in self.reg_writes
                if w.segment in segs and (reg is None or w.reg == reg)]

    def windows_in(self, phase: str | Sequence[str] | None = None
                   ) -> list[Window]:
        """Disabled windows that start in ``phase``."""
        segs = set(self.segments_of(phase))
        return [w for w in self.windows if w.start_segment in segs]

    # ---------------------------------------------------------------- output
    def _counts_view(self, segs: list[str]) -> dict[str, Any]:
        sids: dict[int | None, dict[str, int]] = {}
        for seg in segs:
            for s, kc in self.counts.get(seg, {}).items():
                d = sids.setdefault(s, {})
                for k, n in kc.items():
                    d[k] = d.get(k, 0) + n
        total: dict[str, int] = {}
        for kc in sids.values():
            for k, n in kc.items():
                total[k] = total.get(k, 0) + n
        for dk, parts in DERIVED_KINDS.items():
            v = sum(total.get(p, 0) for p in parts)
            if v:
                total[dk] = v
        return {
            "total": dict(sorted(total.items())),
            "sids": {sid_key(s): dict(sorted(kc.items()))
                     for s, kc in sorted(sids.items(), key=_sid_sort)
                     if s is not None},
            "unattributed": dict(sorted(sids.get(None, {}).items())),
        }

    def _merge_by_phase(self, per_seg: dict[str, dict[str, Any]]
                        ) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self.phase_names:
            acc: dict[str, Any] = {}
            for seg in self.segments_of(p):
                for k, v in per_seg.get(seg, {}).items():
                    acc[k] = acc.get(k, 0) + v
            out[p] = dict(sorted(acc.items()))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (see the module docs for the keys)."""
        t0 = self.t0_us
        phases = self.phase_names
        counts = {p: self._counts_view(self.segments_of(p)) for p in phases}
        ckhits: dict[str, Any] = {}
        if self.crashkernel is not None:
            for p in phases:
                per: dict[str, Any] = {}
                for skey, kc in counts[p]["sids"].items():
                    h = {k: kc.get(k + "_in_crashkernel", 0)
                         for k in ("success", "disable", "bypass")}
                    if any(h.values()):
                        per[skey] = h
                ckhits[p] = per
        strtab: dict[str, Any] = {}
        for p in phases:
            segs = set(self.segments_of(p))
            ws = [w for w in self.reg_writes if w.segment in segs]
            strtab[p] = {
                "STRTAB_BASE": [
                    {"t_us": w.t_us, "reg": w.reg, "value": hexv(w.value),
                     "size": w.size, "effective": hexv(w.effective)}
                    for w in ws if w.reg in ("STRTAB_BASE", "STRTAB_BASE_HI")],
                "STRTAB_BASE_CFG": [
                    {"t_us": w.t_us, "value": hexv(w.value), "flags": w.flags}
                    for w in ws if w.reg == "STRTAB_BASE_CFG"],
            }
        l2: dict[str, Any] = {}
        for p in phases:
            acc: dict[int | None, dict[str, dict[str, int]]] = {}
            for seg in self.segments_of(p):
                for s, d in self.l2_tables.get(seg, {}).items():
                    a = acc.setdefault(s, {"l2ptr": {}, "strtab_base": {}})
                    for what in ("l2ptr", "strtab_base"):
                        for v, n in d.get(what, {}).items():
                            a[what][v] = a[what].get(v, 0) + n
            l2[p] = {sid_key(s): d
                     for s, d in sorted(acc.items(), key=_sid_sort)}
        unresolved = {}
        for p in phases:
            acc2: dict[str, dict[str, int]] = {}
            for seg in self.segments_of(p):
                for mr, kc in self.unresolved_regions.get(seg, {}).items():
                    a2 = acc2.setdefault(mr, {})
                    for k, n in kc.items():
                        a2[k] = a2.get(k, 0) + n
            if acc2:
                unresolved[p] = acc2
        first_reads: dict[str, Any] = {}
        for p in phases:
            acc3: dict[str, dict[str, Any]] = {}
            for seg in self.segments_of(p):
                for r, d in self.first_reads.get(seg, {}).items():
                    if r not in acc3:
                        acc3[r] = d
            first_reads[p] = acc3
        all_counts = self._counts_view([s.name for s in self.segments])
        return {
            "tool": "smmu_trace", "version": VERSION,
            "inputs": {
                "trace": self.trace_path, "serial": self.serial_path,
                "crashkernel": (None if self.crashkernel is None else {
                    "start": hexv(self.crashkernel[0]),
                    "end": hexv(self.crashkernel[1]),
                    "source": self.crashkernel_source}),
                "timeline_hot": self.timeline_hot,
            },
            "t0_us": t0, "t_end_us": self.t_end_us,
            "phases": [s.to_dict(t0) for s in self.segments],
            "phase_names": phases,
            "absent_phases": self.absent,
            "ckprobe_cut": self.ckprobe_cut,
            "markers": {k: v for k, v in self.markers.items()},
            "counts": counts,
            "totals": all_counts["total"],
            "crashkernel_hits": (ckhits if self.crashkernel is not None
                                 else None),
            "events": self._merge_by_phase(self.events),
            "guest_errors": self._merge_by_phase(self.guest_errors),
            "register_writes": [w.to_dict(t0) for w in self.reg_writes],
            "register_write_counts":
                self._merge_by_phase(self.reg_write_counts),
            "register_read_counts": self._merge_by_phase(self.reg_read_counts),
            "first_reads": first_reads,
            "disabled_windows": [w.to_dict(t0) for w in self.windows],
            "strtab": strtab,
            "l2_tables": l2,
            "cfgi_ste_ranges": self._merge_by_phase(self.cfgi_ranges),
            "cmdq_errors": self._merge_by_phase(self.cmdq_errors),
            "gerror": self.gerror,
            "region_sids": self.region_sids,
            "unresolved_regions": unresolved,
            "lines": self.lines,
            "notes": self.notes,
        }

    def write_json(self, path: str) -> None:
        """Write :meth:`to_dict` to ``path``."""
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, indent=1, sort_keys=False)
            f.write("\n")

    def summary(self) -> str:
        """A short human-readable report."""
        t0 = self.t0_us
        out: list[str] = []
        ln = self.lines
        out.append("smmu_trace: %s: %d lines, %d events, %d guest-error "
                   "lines, %d unparsed" % (self.trace_path, ln["total"],
                                           ln["events"], ln["guest_error"],
                                           ln["unparsed"]))
        if self.crashkernel:
            out.append("crashkernel range: 0x%x-0x%x (%s)" % (
                self.crashkernel[0], self.crashkernel[1],
                self.crashkernel_source))
        out.append("Phases (seconds from trace start):")
        for s in self.segments:
            dur = ("" if s.start_us is None or s.end_us is None
                   else "%10.3f ms" % ((s.end_us - s.start_us) / 1e3))
            out.append("  %-22s %12s .. %-12s %s  [%s]" % (
                s.name + ("  (in %s)" % s.base if s.extra else ""),
                _fmt_rel(s.start_us, t0), _fmt_rel(s.end_us, t0), dur,
                s.start_cut))
        for p, why in self.absent.items():
            out.append("  ABSENT %-14s %s" % (p, why))
        cut = self.ckprobe_cut
        if cut.get("rule"):
            out.append("ckprobe cut: %s; dying MMIO accesses: %d; first "
                       "ckprobe access: %s" % (
                           cut["rule"], cut.get("dying_mmio", 0),
                           cut.get("first_access")))
        cols = ("success", "abort", "disable", "bypass", "translation_failed",
                "record_event", "cfgi_ste")
        short = ("succ", "abort", "disab", "bypass", "tfail", "evt", "cfgi")
        out.append("Counts:  %-18s %-6s " % ("phase", "sid")
                   + " ".join("%8s" % c for c in short)
                   + ("  %8s" % "in_ck" if self.crashkernel else ""))
        for p in self.phase_names:
            segs = self.segments_of(p)
            sids: list[int | None] = sorted(
                {s for seg in segs for s in self.counts.get(seg, {})
                 if s is not None})
            if any(None in self.counts.get(seg, {}) for seg in segs):
                sids.append(None)
            for sid in sids:
                q: Any = "unattributed" if sid is None else sid
                vals = [self.count(k, p, q) for k in cols]
                if not any(vals):
                    continue
                extra = ""
                if self.crashkernel:
                    extra = "  %8d" % self.count("in_crashkernel", p, q)
                out.append("         %-18s %-6s " % (p, sid_key(sid) if sid
                                                     is not None else "-")
                           + " ".join("%8d" % v for v in vals) + extra)
        if self.windows:
            out.append("SMMU disabled windows (last CR0 write had SMMUEN=0):")
            for i, w in enumerate(self.windows):
                dur = ("open" if w.duration_us is None
                       else "%.3f ms" % (w.duration_us / 1e3))
                out.append("  #%d %-8s %12s  %-12s GBPA.ABORT=%-6s "
                           "abort=%d disable=%d tfail=%d%s%s" % (
                               i, w.start_phase, _fmt_rel(w.start_us, t0), dur,
                               w.gbpa_abort, w.counts.get("abort", 0),
                               w.counts.get("disable", 0),
                               w.counts.get("translation_failed", 0),
                               " (from reset)" if w.from_reset else "",
                               " (open at end)" if w.open else ""))
        interesting = [w for w in self.reg_writes
                       if w.reg in ("CR0", "GBPA", "STRTAB_BASE",
                                    "STRTAB_BASE_HI", "STRTAB_BASE_CFG",
                                    "CR1", "CR2")]
        if interesting:
            out.append("Key register writes:")
            for w in interesting:
                fl = ""
                if w.reg == "CR0" and w.flags:
                    on = [k for k in ("SMMUEN", "PRIQEN", "EVTQEN",
                                      "CMDQEN", "ATSCHK") if w.flags[k]]
                    fl = " [" + ",".join(on) + "]"
                elif w.reg == "GBPA" and w.flags:
                    fl = " [%s%s]" % ("UPDATE," if w.flags["UPDATE"] else "",
                                      "ABORT" if w.flags["ABORT"] else "-")
                elif w.reg == "STRTAB_BASE_CFG" and w.flags:
                    fl = " [%s split=%d log2size=%d]" % (
                        w.flags["FMT"], w.flags["SPLIT"], w.flags["LOG2SIZE"])
                if w.note:
                    fl += " (%s)" % w.note
                out.append("  %12s %-10s %-16s = 0x%x%s" % (
                    _fmt_rel(w.t_us, t0), w.phase, w.reg, w.value, fl))
        unp = ln["unparsed"]
        if unp:
            out.append("Unparsed lines: %d (first: %r)" % (
                unp, ln["unparsed_examples"][:1]))
        for n in self.notes:
            out.append("NOTE: " + n)
        return "\n".join(out)


def _fmt_rel(t_us: int | None, t0: int | None) -> str:
    if t_us is None:
        return "end" if t0 is not None else "?"
    if t0 is None:
        return fmt_epoch(t_us) or "?"
    return "%.6f" % ((t_us - t0) / 1e6)
