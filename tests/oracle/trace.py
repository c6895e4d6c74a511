# SPDX-License-Identifier: GPL-2.0
"""QEMU's SMMUv3 trace log, line by line.

The log backend writes ``TID@SSSSSSSSSS.UUUUUU:event args``; times are host
microseconds, exact (no float on the way).  These are the helpers the oracle
(smmu_trace.py), the scenario checks (tests/e2e/scenarios.py) and the crash
extension's ground truth (tests/crash/e2e_truth.py) share.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

__all__ = ["RE_FIND_STE", "RE_FIND_STE_2LVL", "ts_to_us", "line_time_us",
           "trace_since", "switch_time", "cfgi_and_translations",
           "switch_window"]

#: Arguments of smmuv3_find_ste: StreamID, features, split.
RE_FIND_STE = re.compile(
    r"sid=0x([0-9a-fA-F]+) features:0x([0-9a-fA-F]+), "
    r"sid_split:0x([0-9a-fA-F]+)")
#: Arguments of smmuv3_find_ste_2lvl: strtab base, L1 descriptor address,
#: L1 index, L2 table, L2 index, L2 span.
RE_FIND_STE_2LVL = re.compile(
    r"strtab_base:0x([0-9a-fA-F]+) l1ptr:0x([0-9a-fA-F]+) "
    r"l1_off:0x([0-9a-fA-F]+), l2ptr:0x([0-9a-fA-F]+) "
    r"l2_off:0x([0-9a-fA-F]+) max_l2_ste:(-?\d+)")

_RE_CFGI_STE = re.compile(r"smmuv3_cmdq_cfgi_ste streamid= ?(0x[0-9a-fA-F]+)\s*$")
_RE_SID = re.compile(r" sid=(0x[0-9a-fA-F]+) ")
_RE_TRANSLATED = re.compile(r" translated=0x([0-9a-fA-F]+)")


def ts_to_us(ts: str) -> int:
    """``SSSSSSSSSS.UUUUUU`` -> microseconds (ValueError if malformed)."""
    sec, dot, us = ts.partition(".")
    if not dot or len(us) != 6 or not sec.isdigit() or not us.isdigit():
        raise ValueError("bad timestamp %r" % ts)
    return int(sec) * 1_000_000 + int(us)


def line_time_us(line: str) -> int | None:
    """Host time in microseconds of a ``TID@seconds.micros:event`` line,
    None if it has none."""
    at = line.find("@")
    try:
        return ts_to_us(line[at + 1:line.find(":", at)])
    except ValueError:
        return None


def trace_since(trace: str | Path, start_us: int,
                *events: str) -> Iterator[tuple[int, str]]:
    """(host time in us, line) of each trace line from start_us on that
    contains one of `events`, in trace order."""
    with open(trace, errors="replace") as f:
        for line in f:
            if not any(e in line for e in events):
                continue
            t = line_time_us(line)
            if t is not None and t >= start_us:
                yield t, line


def switch_time(trace: str | Path, start_us: int) -> int | None:
    """Host time of the crash kernel's first CMD_TLBI_NSNH_ALL from
    start_us on, which it issues right after the last L1 store + CFGI_ALL
    of the switch to its own stream table."""
    for t, _ in trace_since(trace, start_us, "SMMU_CMD_TLBI_NSNH_ALL"):
        return t
    return None


def cfgi_and_translations(trace: str | Path, start_us: int,
                          aborts: bool = False
                          ) -> Iterator[tuple[str, int, int]]:
    """From start_us on, in trace order: ("cfgi", sid, 0) for each
    CMD_CFGI_STE (the crash kernel writing an STE of its own), ("dma", sid,
    translated address) for each successful translation and, with
    `aborts`, ("abort", sid, 0) for each aborted one."""
    events = ["smmuv3_translate_success", "smmuv3_cmdq_cfgi_ste "]
    if aborts:
        events.append("smmuv3_translate_abort")
    for _, line in trace_since(trace, start_us, *events):
        if "smmuv3_cmdq_cfgi_ste " in line:
            m = _RE_CFGI_STE.search(line)
            if m:
                yield "cfgi", int(m.group(1), 16), 0
            continue
        m = _RE_SID.search(line)
        if not m:
            continue
        if "smmuv3_translate_success" not in line:
            yield "abort", int(m.group(1), 16), 0
            continue
        a = _RE_TRANSLATED.search(line)
        yield "dma", int(m.group(1), 16), int(a.group(1), 16) if a else 0


def switch_window(trace: str | Path, start_us: int, sids: list[int]
                  ) -> tuple[int | None, dict[int, list[int]]]:
    """From the crash kernel's switch (switch_time(trace, start_us)) to
    each SID's first CMD_CFGI_STE: {sid: [successes, aborts]} in that
    window, and the switch time (None: no switch, no counts)."""
    counts = {s: [0, 0] for s in sids}
    t_switch = switch_time(trace, start_us)
    if t_switch is None:
        return None, counts
    open_ = set(sids)
    for kind, sid, _ in cfgi_and_translations(trace, t_switch, aborts=True):
        if not open_:
            break
        if sid not in open_:
            continue
        if kind == "cfgi":
            open_.discard(sid)
        else:
            counts[sid][kind == "abort"] += 1
    return t_switch, counts
