#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print a short human summary of one rig run directory.

  python3 -m tests.e2e.summary RUN_DIR

Everything shown comes from QEMU's SMMU trace (through the oracle), the
host's own records (run.json) and the saved dump - not from the guest
kernel's messages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.oracle import smmu_trace

from tests.e2e.rig import DATA_SID, DUMP_SID, NET_SID

NAMES = {DUMP_SID: "dump disk", DATA_SID: "data disk", NET_SID: "NIC"}
PHASES = ["first", "dying", "ckprobe", "crashk"]
REGS = ("CR0", "GBPA", "STRTAB_BASE", "STRTAB_BASE_CFG", "CMDQ_BASE",
        "EVTQ_BASE", "IRQ_CTRL", "GERRORN", "CR1", "CR2")


def main() -> int:
    run_dir = Path(sys.argv[1])
    run = json.loads((run_dir / "run.json").read_text())
    t = run.get("times", {})
    print(f"outcome: {run.get('outcome')}; ready {t.get('ready', 0):.1f} s, "
          f"crash {t.get('crash', 0):.1f} s, crash kernel user space "
          f"{t.get('crash_userspace', 0):.1f} s, power-off {t.get('poweroff', 0):.1f} s")
    fl = run.get("flood", {})
    print(f"host: sent {fl.get('sent', 0)} frames to the NIC, "
          f"received {fl.get('received_from_guest', 0)} from it")
    trace = run_dir / "trace.log"
    if not trace.exists():
        print("no trace")
        return 1
    rep = smmu_trace.analyse(str(trace), str(run_dir / "serial.tsv"),
                             extra_cuts=("poweroff",))
    present = [p for p in PHASES if rep.present(p)]

    print("\nwhat the crash kernel wrote to the SMMU (QEMU trace):")
    crash = [p for p in ("dying", "ckprobe", "crashk") if rep.present(p)]
    t_crash = rep.phase_range(crash[0])[0] if crash else None
    shown = 0
    for w in rep.writes(None, crash):
        if w.reg not in REGS:
            continue
        rel = "" if t_crash is None or w.t_us is None else \
            f"+{(w.t_us - t_crash) / 1000:9.3f} ms"
        flags = ""
        if w.flags:
            flags = " " + ",".join(k for k, v in w.flags.items()
                                   if v is True)
        print(f"  {rel}  {w.phase:8s} {w.reg:16s} = {w.value:#x}{flags}")
        shown += 1
        if shown >= 40:
            print("  ...")
            break
    late = {id(w) for w in rep.windows_in("poweroff")} if rep.present("poweroff") else set()
    for w in rep.windows_in(crash):
        when = "at the crash kernel's power-off" if id(w) in late else "during the switch"
        print(f"  SMMU disabled (SMMUEN=0) {when}: {w.duration_us} us, "
              f"GBPA.ABORT {w.gbpa_abort}")

    print("\nper-StreamID DMA outcomes (QEMU trace): translated / blocked / untranslated")
    print("  " + f"{'device':22s}" + "".join(f"{p:>22s}" for p in present))
    for sid, name in NAMES.items():
        cells = []
        for p in present:
            cells.append(f"{rep.count('success', p, sid)} / "
                         f"{rep.count('blocked', p, sid)} / "
                         f"{rep.count('untranslated', p, sid)}")
        print("  " + f"{name + f' ({sid:#x})':22s}" + "".join(f"{c:>22s}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
