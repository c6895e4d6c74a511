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

_RE_CFGI_STE = re.compile(
    r"smmuv3_cmdq_cfgi_ste streamid= ?(0x[0-9a-fA-F]+)\s*$")
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
    `aborts`, ("abort", sid, 0) for each aborted one and ("untranslated",
    sid, 0) for each that bypassed the SMMU (STE bypass, SMMUEN=0)."""
    events = ["smmuv3_translate_success", "smmuv3_cmdq_cfgi_ste "]
    if aborts:
        events += ["smmuv3_translate_abort", "smmuv3_translate_bypass",
                   "smmuv3_translate_disable"]
    for _, line in trace_since(trace, start_us, *events):
        if "smmuv3_cmdq_cfgi_ste " in line:
            m = _RE_CFGI_STE.search(line)
            if m:
                yield "cfgi", int(m.group(1), 16), 0
            continue
        m = _RE_SID.search(line)
        if not m:
            continue
        if "smmuv3_translate_abort" in line:
            yield "abort", int(m.group(1), 16), 0
            continue
        if "smmuv3_translate_success" not in line:
            yield "untranslated", int(m.group(1), 16), 0
            continue
        a = _RE_TRANSLATED.search(line)
        yield "dma", int(m.group(1), 16), int(a.group(1), 16) if a else 0


def switch_window(trace: str | Path, start_us: int, sids: list[int]
                  ) -> tuple[int | None, dict[int, list[int]]]:
    """From the crash kernel's switch (switch_time(trace, start_us)) to
    each SID's first CMD_CFGI_STE: {sid: [successes, aborts, untranslated]}
    in that window, and the switch time (None: no switch, no counts)."""
    kinds = {"dma": 0, "abort": 1, "untranslated": 2}
    counts = {s: [0, 0, 0] for s in sids}
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
            counts[sid][kinds[kind]] += 1
    return t_switch, counts


#: Sorts after every canonical timestamp string.
TS_MAX = "~"


def canon_ts(ts: str) -> str | None:
    """Zero-pad a ``S.UUUUUU`` timestamp to the canonical 10.6 digits;
    None if it is malformed or has more than 10 digits of seconds."""
    sec, dot, us = ts.partition(".")
    if not dot or len(us) != 6 or not sec.isdigit() or not us.isdigit() \
            or len(sec) > 10:
        return None
    return sec.rjust(10, "0") + "." + us


def us_to_ts(t: int) -> str:
    """Microseconds -> canonical timestamp string (for comparisons)."""
    if t < 0:
        return ""
    s, us = divmod(t, 1_000_000)
    if s >= 10**10:
        return TS_MAX
    return "%010d.%06d" % (s, us)


(C_OTHER, C_SUCCESS, C_ABORT, C_DISABLE, C_BYPASS, C_WMMIO, C_RMMIO,
 C_RECORD, C_2LVL, C_FIND_STE, C_CFGI_STE, C_CFGI_RANGE, C_CFGI_CD,
 C_OPCODE, C_CERR, C_GERROR, C_GERRORN, C_RESET, C_PCI_CFG) = range(19)

EVENT_CODES: dict[str, int] = {
    "smmuv3_translate_success": C_SUCCESS,
    "smmuv3_translate_abort": C_ABORT,
    "smmuv3_translate_disable": C_DISABLE,
    "smmuv3_translate_bypass": C_BYPASS,
    "smmuv3_write_mmio": C_WMMIO,
    "smmuv3_read_mmio": C_RMMIO,
    "smmuv3_record_event": C_RECORD,
    "smmuv3_find_ste_2lvl": C_2LVL,
    "smmuv3_find_ste": C_FIND_STE,
    "smmuv3_cmdq_cfgi_ste": C_CFGI_STE,
    "smmuv3_cmdq_cfgi_ste_range": C_CFGI_RANGE,
    "smmuv3_cmdq_cfgi_cd": C_CFGI_CD,
    "smmuv3_cmdq_opcode": C_OPCODE,
    "smmuv3_cmdq_consume_error": C_CERR,
    "smmuv3_write_gerror": C_GERROR,
    "smmuv3_write_gerrorn": C_GERRORN,
    "smmu_reset_exit": C_RESET,
    "pci_cfg_write": C_PCI_CFG,
}

#: Every smmu* trace event of the QEMU 10.0.2 binary: recognised as trace
#: events on lines without a ``TID@time:`` prefix (``-msg timestamp=off``).
KNOWN_EVENTS = frozenset("""
smmu_add_mr smmu_config_cache_inv smmu_configs_inv_sid_range smmu_get_pte
smmu_inv_notifiers_mr smmu_iotlb_insert smmu_iotlb_inv_all
smmu_iotlb_inv_asid_vmid smmu_iotlb_inv_vmid smmu_iotlb_inv_vmid_s1
smmu_iotlb_lookup_hit smmu_iotlb_lookup_miss smmu_ptw_block_pte
smmu_ptw_invalid_pte smmu_ptw_level smmu_ptw_page_pte smmu_reset_exit
smmuv3_cmdq_cfgi_cd smmuv3_cmdq_cfgi_ste smmuv3_cmdq_cfgi_ste_range
smmuv3_cmdq_consume smmuv3_cmdq_consume_error smmuv3_cmdq_consume_out
smmuv3_cmdq_opcode smmuv3_cmdq_tlbi_nh smmuv3_cmdq_tlbi_nh_asid
smmuv3_cmdq_tlbi_nsnh smmuv3_cmdq_tlbi_s12_vmid smmuv3_config_cache_hit
smmuv3_config_cache_miss smmuv3_decode_cd smmuv3_decode_cd_tt smmuv3_find_ste
smmuv3_find_ste_2lvl smmuv3_get_cd smmuv3_get_ste smmuv3_inv_notifiers_iova
smmuv3_notify_flag_add smmuv3_notify_flag_del smmuv3_range_inval
smmuv3_read_mmio smmuv3_record_event smmuv3_translate_abort
smmuv3_translate_bypass smmuv3_translate_disable smmuv3_translate_success
smmuv3_trigger_irq smmuv3_unhandled_cmd smmuv3_write_gerror
smmuv3_write_gerrorn smmuv3_write_mmio
""".split())

RE_TFAIL = re.compile(
    r"(\S+) translation failed for iova=0x([0-9a-fA-F]+) ?\((.*)\)\s*\Z")
RE_INVALID_SID = re.compile(r"invalid sid=(\d+) \(L1STD span=0\)")
# QEMU's pci_cfg_write: "<device> BB:DD.F @0xOFFSET <- 0xVALUE"
RE_PCI_CFG = re.compile(
    r"\S+ ([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7]) @0x([0-9a-fA-F]+) "
    r"<- 0x([0-9a-fA-F]+)\s*\Z")
RE_NUM = re.compile(r"\b(?:0[xX][0-9a-fA-F]+|\d+)\b")
RE_RANGE = re.compile(r"start=0x([0-9a-fA-F]+) - end=0x([0-9a-fA-F]+)")
RE_CERR = re.compile(r"Error on (\S+) command execution: (-?\d+)")
RE_GERROR = re.compile(
    r"toggled=0x([0-9a-fA-F]+), new GERROR=0x([0-9a-fA-F]+)")
RE_GERRORN = re.compile(
    r"acked=0x([0-9a-fA-F]+), new GERRORN=0x([0-9a-fA-F]+)")
