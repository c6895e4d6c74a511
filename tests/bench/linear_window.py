#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmark: the crash kernel's GBPA-guarded window on a linear table.

  python3 -m tests.bench.linear_window --kernel project=DIR --initramfs FILE
      [--runs N] [--out DIR]

Runs linear-project-s1-keep-nic N times (the first kernel's guest script
re-bases the SMMU onto a linear table before the crash) and prints, per
run and as medians, from QEMU's trace: the SMMUEN=0 window (CR0 write
clearing SMMUEN to the one setting it) and how long before it GBPA.ABORT
was set; and, for comparison only, the crash kernel's own window_ns.
Host time: under TCG QEMU's virtual clock follows host time.  The
design's goal is at most 50 us of guest time.  A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from tests.e2e import rig, scenarios
from tests.oracle import smmu_trace

SCENARIO = "linear-project-s1-keep-nic"


def measure(run_dir: Path, run: dict) -> tuple[int, int, int | None]:
    """(SMMUEN=0 us, GBPA.ABORT lead us, kernel window ns) of one run."""
    rep = smmu_trace.analyse(str(run_dir / "trace.log"),
                             str(run_dir / "serial.tsv"),
                             extra_cuts=("poweroff",))
    o = scenarios.Outcome(run=run, report=rep, run_dir=run_dir)
    rb = scenarios.crash_rebase(o)
    if rb is None or rb.window_us is None or rb.gbpa_abort_us is None:
        raise RuntimeError(f"{run_dir}: no guarded re-base in the crash kernel")
    return (rb.window_us, rb.smmuen_off_us - rb.gbpa_abort_us,
            scenarios.kernel_window_ns(o))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", action="append", default=[])
    ap.add_argument("--initramfs", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path,
                    default=Path("/tmp/arm-smmu-kdump-runs/bench-linear"))
    args = ap.parse_args()
    kernels = dict(kv.split("=", 1) for kv in args.kernel)
    sc = scenarios.SCENARIOS[SCENARIO]
    wins, leads, kns = [], [], []
    for i in range(args.runs):
        cfg = rig.Config(kernel_dir=Path(kernels["project"]),
                         initramfs=args.initramfs,
                         run_dir=args.out / f"linear-{i}", stage=sc.stage,
                         load=sc.load, kexec_args=sc.kexec_args,
                         crash_cmdline=sc.crash_cmdline, dma_load=True,
                         topology=sc.topology, linear=True,
                         untranslated=sc.untranslated,
                         trace_events=sc.trace_events, snapshot=False)
        res = rig.run(cfg)
        if res["outcome"] != "completed":
            print(f"# run {i}: {res['outcome']}")
            continue
        w, lead, k = measure(cfg.run_dir, res)
        wins.append(w)
        leads.append(lead)
        if k is not None:
            kns.append(k)
        print(f"# run {i}: SMMUEN=0 for {w} us (trace), GBPA.ABORT set "
              f"{lead} us before; kernel window_ns "
              f"{k if k is not None else '-'}")
    if not wins:
        print("bench: no completed run")
        return 1
    kmed = f"{statistics.median(kns) / 1000:.0f} us" if kns else "-"
    print(f"linear stream table, crash kernel's GBPA-guarded re-base "
          f"(median of {len(wins)}, host time under TCG): SMMUEN=0 "
          f"{statistics.median(wins):.0f} us (min {min(wins)}, max "
          f"{max(wins)}), GBPA.ABORT set {statistics.median(leads):.0f} us "
          f"before it; kernel's own window_ns {kmed}; goal <= 50 us of "
          "guest time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
