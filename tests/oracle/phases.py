# SPDX-License-Identifier: GPL-2.0
"""Phases of a run from the host-stamped serial log: the rig's RIG-MARK
markers, the dying kernel's "Starting crashdump kernel" line and the
crash-kernel reservation it printed (see smmu_trace.py for how the
analyser cuts the trace with them)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Sequence

#: The base phases, in order.
BASE_PHASES: tuple[str, ...] = ("first", "dying", "ckprobe", "crashk")
CRASH_MARK = "crash"
USERSPACE_MARK = "crash-userspace"
CRASHDUMP_LINE = "Starting crashdump kernel"

# Serial log.
_RE_MARK = re.compile(r"^(?:\[[^\]]*\]\s*)*RIG-MARK\s+(\S+)\s*$")
_RE_CK_RESERVED = re.compile(
    r"crashkernel reserved: 0x([0-9a-fA-F]+) - 0x([0-9a-fA-F]+)")


class PhaseAbsentError(KeyError):
    """A phase was asked for that the run could not be cut into."""


# --------------------------------------------------------------------------
# Result data classes
# --------------------------------------------------------------------------


@dataclass
class SerialInfo:
    """What the analyser takes from the host-stamped serial log."""
    markers: dict[str, list[int]] = field(default_factory=dict)
    crashdump_lines: list[int] = field(default_factory=list)
    ck_reserved: tuple[int, int] | None = None
    lines: int = 0
    unparsed: int = 0


def parse_serial(path: str | None) -> SerialInfo:
    """Read ``<epoch seconds>\\t<text>`` lines; collect RIG-MARK markers."""
    info = SerialInfo()
    if path is None:
        return info
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if not line:
                continue
            info.lines += 1
            ts, tab, text = line.partition("\t")
            try:
                t = float(ts)
                if not tab or not math.isfinite(t):
                    raise ValueError(ts)
            except ValueError:
                info.unparsed += 1
                continue
            t_us = round(t * 1e6)
            text = text.rstrip("\r")
            if "RIG-MARK" in text:
                m = _RE_MARK.match(text)
                if m:
                    info.markers.setdefault(m.group(1), []).append(t_us)
            if CRASHDUMP_LINE in text:
                info.crashdump_lines.append(t_us)
            if info.ck_reserved is None and "crashkernel reserved" in text:
                m2 = _RE_CK_RESERVED.search(text)
                if m2:
                    info.ck_reserved = (int(m2.group(1), 16),
                                        int(m2.group(2), 16))
    return info


def parse_range(text: str) -> tuple[int, int]:
    """Parse ``START-END`` (END exclusive) or ``SIZE@START`` (SIZE may use
    K/M/G suffixes) into ``(start, end)``."""
    text = text.strip()
    if "@" in text:
        size_s, start_s = text.split("@", 1)
        mult = 1
        suffix = size_s[-1:].upper()
        if suffix in ("K", "M", "G"):
            mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[suffix]
            size_s = size_s[:-1]
        start = int(start_s, 0)
        return start, start + int(size_s, 0) * mult
    a, sep, b = text.partition("-")
    if not sep:
        raise ValueError("crashkernel range must be START-END or SIZE@START")
    start, end = int(a, 0), int(b, 0)
    if end <= start:
        raise ValueError("empty crashkernel range %s" % text)
    return start, end


@dataclass
class CutPlan:
    """The phase cuts the serial log fixes before the trace is read."""
    crash: int | None           # RIG-MARK crash: first | dying
    userspace: int | None       # RIG-MARK crash-userspace: ckprobe | crashk
    anchor: int | None          # where the search for the ckprobe cut starts
    anchor_is_line: bool        # anchor is the "Starting crashdump" line
    anchor_rule: str
    cuts: list[tuple[int, str, str]]    # (t, "base" | "extra", name)
    extra_names: list[str]
    notes: list[str]
    absent: dict[str, str]


def plan_cuts(serial: SerialInfo, extra_cuts: Sequence[str],
              probe_gap_ms: float) -> CutPlan:
    """The static cuts (markers) and the anchor of the dying/ckprobe cut,
    with notes on repeated markers and the extra cuts that are absent."""
    notes: list[str] = []
    absent: dict[str, str] = {}
    mk = serial.markers
    c1 = mk[CRASH_MARK][0] if mk.get(CRASH_MARK) else None
    if len(mk.get(CRASH_MARK, [])) > 1:
        notes.append("marker 'crash' seen %d times; the first one cuts"
                     % len(mk[CRASH_MARK]))
    c3s = [t for t in mk.get(USERSPACE_MARK, []) if c1 is None or t >= c1]
    c3 = c3s[0] if c3s else None
    if mk.get(USERSPACE_MARK) and c3 is None:
        notes.append("marker 'crash-userspace' only before the crash "
                     "marker; ignored")
    anchor: int | None = None
    anchor_is_line = False
    anchor_rule = ""
    if c1 is not None:
        lines = [t for t in serial.crashdump_lines if t >= c1
                 and (c3 is None or t < c3)]
        if lines:
            anchor = lines[0]
            anchor_is_line = True
            anchor_rule = ("first SMMU MMIO access after the dying kernel's "
                           "'%s' line" % CRASHDUMP_LINE)
        else:
            anchor = c1
            anchor_rule = ("first SMMU MMIO access after the crash marker "
                           "that follows a quiet gap of >= %g ms without "
                           "SMMU MMIO" % probe_gap_ms)
    cuts: list[tuple[int, str, str]] = []
    if c1 is not None:
        cuts.append((c1, "base", "dying"))
    if c3 is not None:
        cuts.append((c3, "base", "crashk"))
    extra_names = list(dict.fromkeys(extra_cuts))
    for name in extra_names:
        if name in BASE_PHASES or "+" in name:
            raise ValueError("extra cut %r clashes with a phase name" % name)
        ts = mk.get(name)
        if not ts:
            absent[name] = "marker 'RIG-MARK %s' not in the serial log" % name
            continue
        if len(ts) > 1:
            notes.append("marker %r seen %d times; the first one cuts"
                         % (name, len(ts)))
        cuts.append((ts[0], "extra", name))
    cuts.sort(key=lambda c: c[0])
    return CutPlan(c1, c3, anchor, anchor_is_line, anchor_rule, cuts,
                   extra_names, notes, absent)
