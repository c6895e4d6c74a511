#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmark: the crash kernel's SMMU probe time, project vs stock.

  probe_time.py --kernel stock=DIR --kernel project=DIR --initramfs FILE
                [--runs N] [--out DIR]

Runs the stock and the project kernel alternately (nested SMMU, DMA in
flight, the project kernel keeping the NIC and the dump disk) and measures,
from QEMU's trace, the time from the crash kernel's first SMMU register
access to its last IRQ_CTRL write (the end of arm_smmu_device_reset() in
both kernels).  Host time under TCG: compare the two, not the absolutes.
Prints the figures; a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle"))

import rig  # noqa: E402
import scenarios  # noqa: E402
import smmu_trace  # noqa: E402


def probe_us(run_dir: Path) -> float:
    rep = smmu_trace.analyse(str(run_dir / "trace.log"), str(run_dir / "serial.tsv"))
    start, _ = rep.phase_range("ckprobe")
    irq = rep.writes("IRQ_CTRL", "ckprobe")
    if not irq:
        raise RuntimeError(f"{run_dir}: no IRQ_CTRL write in the crash kernel's probe")
    return irq[-1].t_us - start


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", action="append", default=[])
    ap.add_argument("--initramfs", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/arm-smmu-kdump-runs/bench"))
    args = ap.parse_args()
    kernels = dict(kv.split("=", 1) for kv in args.kernel)
    plan = {"stock": scenarios.SCENARIOS["stock-nested-dma"],
            "project": scenarios.SCENARIOS["project-nested-keep-nic"]}
    times: dict[str, list[float]] = {"stock": [], "project": []}
    for i in range(args.runs):
        for variant, sc in plan.items():
            cfg = rig.Config(kernel_dir=Path(kernels[variant]),
                             initramfs=args.initramfs,
                             run_dir=args.out / f"{variant}-{i}", stage=sc.stage,
                             load=sc.load, kexec_args=sc.kexec_args,
                             dma_load=True, snapshot=False)
            res = rig.run(cfg)
            if res["outcome"] != "completed":
                print(f"# {variant} run {i}: {res['outcome']}")
                continue
            t = probe_us(cfg.run_dir)
            times[variant].append(t)
            print(f"# {variant} run {i}: crash-kernel SMMU probe {t / 1000:.2f} ms")
    if not times["stock"] or not times["project"]:
        print("bench: not enough completed runs")
        return 1
    st = statistics.median(times["stock"])
    pr = statistics.median(times["project"])
    print(f"crash-kernel SMMU probe (median of {args.runs}, host time under TCG): "
          f"stock {st / 1000:.2f} ms, project {pr / 1000:.2f} ms, "
          f"ratio {pr / st:.2f} (goal <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
