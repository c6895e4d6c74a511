#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Throughput benchmark for smmu_trace.py on a synthetic trace.

    python3 -m tests.oracle.bench_smmu_trace [-n LINES] [--keep DIR]
        [--mix success|mixed]

Writes a trace of LINES lines shaped like a heavy rig run (per-access
translate_success, aborts in a disabled window, CMDQ traffic, guest-error
lines) plus a matching serial log, analyses it with a crash-kernel range and
prints lines/s and MB/s.  Not a unit test (it takes seconds).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from tests.oracle import smmu_trace

T0 = 1_732_181_234_000_000
MR = "smmuv3-iommu-memory-region-0-3"


def _ts(t: int) -> str:
    return "%d.%06d" % divmod(T0 + t, 1_000_000)


def write_trace(path: str, n: int, mix: str) -> int:
    """Write about ``n`` lines; returns the number of lines written."""
    quarter = n // 4
    written = 0
    with open(path, "w", buffering=1 << 20) as f:
        w = f.write
        w("1@%s:smmu_reset_exit \n" % _ts(0))
        w("1@%s:smmuv3_write_mmio addr: 0x20 val:0xd size: 0x4(0)\n" % _ts(1))
        written += 2
        for i in range(n - 2):
            # 4 us apart, 4 phases of n/4 lines each; 300 ms without any
            # event between the dying kernel and the crash kernel's probe
            t = 10 + i * 4 + (300_000 if i >= 2 * quarter else 0)
            sid = 0x300 if i & 1 else 0x100
            phase_i = i // quarter if quarter else 0
            k = i % 100
            if phase_i == 2 and i == 2 * quarter:
                w("1@%s:smmuv3_read_mmio addr: 0x0 val:0xd44101b "
                  "size: 0x4(0)\n" % _ts(t))
            elif mix == "mixed" and k < 4:
                w("1@%s:smmuv3_translate_abort %s sid=0x%x abort on "
                  "iova:0xffff%04x is_write=1\n" % (_ts(t), MR, sid, k))
            elif mix == "mixed" and k < 6:
                w("1@%s:smmuv3_write_mmio addr: 0x98 val:0x%x size: "
                  "0x4(0)\n" % (_ts(t), i & 0xFFFF))
            elif mix == "mixed" and k < 8:
                w("1@%s:smmuv3_read_mmio addr: 0x9c val:0x%x size: "
                  "0x4(0)\n" % (_ts(t), i & 0xFFFF))
            elif mix == "mixed" and k == 8:
                w("%s translation failed for iova=0x%x "
                  "(SMMU_EVT_C_BAD_STREAMID)\n" % (MR, i))
            elif mix == "mixed" and k == 9:
                w("1@%s:smmuv3_cmdq_opcode <--- SMMU_CMD_SYNC\n" % _ts(t))
            else:
                w("1@%s:smmuv3_translate_success %s sid=0x%x "
                  "iova=0xffff%05x translated=0x%x perm=0x3 stage=1\n"
                  % (_ts(t), MR, sid, i & 0xFFFFF,
                     0x6E000000 + ((i * 4096) & 0x1FFFFFFF)))
            written += 1
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1_000_000, help="lines")
    ap.add_argument("--mix", choices=("success", "mixed"), default="mixed")
    ap.add_argument("--keep", help="write the files into this directory")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs; the best is reported")
    a = ap.parse_args()
    d = a.keep or tempfile.mkdtemp(prefix="smmu-bench-")
    os.makedirs(d, exist_ok=True)
    tp = os.path.join(d, "trace.log")
    sp = os.path.join(d, "serial.tsv")
    lines = write_trace(tp, a.n, a.mix)
    span = (a.n * 4) // 4
    with open(sp, "w") as f:
        f.write("%.6f\t[ 1.0] RIG-MARK crash\n" % ((T0 + span) / 1e6))
        f.write("%.6f\t[ 1.1] RIG-MARK crash-userspace\n"
                % ((T0 + 3 * span + 300_000) / 1e6))
    size = os.path.getsize(tp)
    best = best_cpu = None
    rep = None
    for _ in range(a.repeat):
        t = time.perf_counter()
        c = time.process_time()
        rep = smmu_trace.analyse(tp, sp, crashkernel=(0x6EE00000, 0x7EE00000))
        dt = time.perf_counter() - t
        dc = time.process_time() - c
        best = dt if best is None else min(best, dt)
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
    assert rep is not None and best is not None and best_cpu is not None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else -1.0
    print("%d lines, %.1f MB, mix=%s, best of %d (load avg %.1f on %d CPUs):"
          % (lines, size / 1e6, a.mix, a.repeat, load, os.cpu_count() or 0))
    print("  wall %.2f s = %.0f lines/s, %.1f MB/s; "
          "CPU %.2f s = %.0f lines/s, %.1f MB/s"
          % (best, lines / best, size / 1e6 / best, best_cpu,
             lines / best_cpu, size / 1e6 / best_cpu))
    print("phases: %s; success=%d abort=%d tfail=%d unparsed=%d" % (
        ", ".join(s.name for s in rep.segments), rep.count("success"),
        rep.count("abort"), rep.count("translation_failed"),
        rep.lines["unparsed"]))
    if not a.keep:
        os.unlink(tp)
        os.unlink(sp)
        os.rmdir(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
