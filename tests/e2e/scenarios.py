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
import struct
import sys
from pathlib import Path
from typing import Callable, Iterable, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle"))
import kdumpfile  # noqa: E402
import smmu_trace  # noqa: E402

from rig import DATA_SID, DUMP_SID, NET_SID  # noqa: E402

AFTER_CRASH = ["dying", "ckprobe", "crashk"]
CRASH_KERNEL = ["ckprobe", "crashk"]
SIDS = {"dump disk": DUMP_SID, "data disk": DATA_SID, "NIC": NET_SID}


@dataclasses.dataclass
class Outcome:
    """What a scenario left behind, handed to every check."""
    run: dict
    report: Optional[smmu_trace.Report]
    run_dir: Path

    def n(self, kind: str, phases, sid: Optional[int] = None) -> int:
        if self.report is None:
            return 0
        return self.report.count(kind, phase=phases, sid=sid)

    def marks(self) -> list[str]:
        return self.run.get("marks", [])

    def has_mark(self, text: str) -> bool:
        return any(text in m for m in self.marks())


Check = tuple[str, Callable[[Outcome], tuple[bool, str]]]


def _cmp(name: str, got: int, op: str, want: int) -> tuple[bool, str]:
    ok = {"==": got == want, ">": got > want, ">=": got >= want}[op]
    return ok, f"{name}: {got} (want {op} {want})"


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
    if o.report is None:
        return False, "no trace"
    return _cmp("untranslated (SMMU-disabled or STE-bypass) transactions, all phases",
                o.n("untranslated", None), "==", 0)


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


def check_stock_aborts_nic(o: Outcome) -> tuple[bool, str]:
    got = o.n("blocked", CRASH_KERNEL, NET_SID)
    return _cmp(f"aborted/faulted NIC SID {NET_SID:#x} DMA in the crash kernel",
                got, ">", 0)


def check_no_dma_idle(o: Outcome) -> tuple[bool, str]:
    got = sum(o.n("abort", AFTER_CRASH, s) for s in SIDS.values())
    return _cmp("aborted transactions after the crash (idle)", got, "==", 0)


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
            for off in range(0, len(snap), 8):
                a = struct.unpack_from("<Q", snap, off)[0]
                b = struct.unpack_from("<Q", got, off)[0]
                if a != b:
                    diffs.append((f["phys"] + off, a, b))
    return diffs, compared, excluded


def check_strtab_untouched(o: Outcome) -> tuple[bool, str]:
    """The crashed kernel's stream table is in the dump exactly as it was."""
    diffs, compared, excluded = strtab_diff(o)
    msg = (f"{compared} bytes compared, {len(diffs)} words differ, "
           f"{excluded} zero pages filtered by makedumpfile")
    for phys, a, b in diffs[:4]:
        msg += f"; {phys:#x}: {a:#018x} -> {b:#018x}"
    return not diffs and compared > 0, msg


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
    checks: list[Check] = dataclasses.field(default_factory=list)

    def title(self, what: str) -> str:
        stage = "nested" if self.stage == "nested" else f"stage {self.stage}"
        load = "kexec_file_load" if self.load == "file" else "kexec_load"
        dma = "DMA in flight" if self.dma else "idle"
        return f"{self.variant}: {stage} {load} {dma}: {what}"


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
    ]
    if dma:
        checks.append(("NIC DMA continues after the panic", check_nic_in_flight))
    return checks


def stock_scenarios() -> list[Scenario]:
    out = []
    for stage in ("1", "2"):
        for dma in (False, True):
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
            out.append(Scenario(f"stock-s{stage}-{'dma' if dma else 'idle'}",
                                "stock", stage, dma=dma, checks=checks))
    return out


def demo_scenarios() -> list[Scenario]:
    """`make demo`: the project kernel, nested SMMU, DMA in flight."""
    return [Scenario("demo", "project", "nested", dma=True,
                     checks=_common(True))]


SCENARIOS: dict[str, Scenario] = {
    s.name: s for s in stock_scenarios() + demo_scenarios()}


def evaluate(sc: Scenario, o: Outcome) -> Iterable[tuple[str, bool, str]]:
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
