#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run end-to-end kdump scenarios in QEMU and print KTAP.

  python3 -m tests.e2e.run --kernel stock-7.2=DIR --kernel project-7.2=DIR
         --kernel stock-6.12=DIR --kernel project-6.12=DIR --initramfs FILE
         [--out DIR] [--lines 7.2,6.12] [--jobs N] [--list] [SCENARIO...]
  python3 -m tests.e2e.run --replay [--from DIR] [--lines ...] [SCENARIO...]

A scenario runs on each kernel line it names (scenarios.py: Scenario.lines)
whose kernel of its variant is given; one none of whose lines has a kernel
runs on the first line that has one (so, while only 6.12 has a project
kernel, the project scenarios run on 6.12).  --kernel VARIANT=DIR is a 6.12
kernel.  SCENARIO is a scenario name (all its lines) or a run id NAME-LINE
(e.g. stock-s1-dma-7.2); --lines restricts the lines; --list prints the
run ids for the given kernels (every line if none is given).

--replay judges saved runs again without QEMU: for each chosen run whose
directory exists in --from (default --out), the oracle reads its trace.log
and serial.tsv and the checks run as after a real run; nothing is written
into the saved directories (oracle.txt is not rewritten).  Use it to re-judge
saved runs after a change of the oracle or of a check.

--jobs N runs N scenarios at a time (each QEMU keeps less than one host
core busy), each run's QEMU and host-side traffic in a process of its own;
the results are printed in the same order as with one.  Keep the default,
1, when a run's timings matter (make bench, make demo).

Each check of each run is one KTAP test line, named with the kernel
("stock 7.2: ..."); the exit status is 1 if any check failed.  Run
artifacts stay in --out/<name>-<line>/.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import multiprocessing
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

from tests.e2e import rig, scenarios
from tests.oracle import smmu_trace
from tests.oracle.ktap import Ktap


Runner = Callable[[rig.Config], dict]


def run_scenario(sc: scenarios.Scenario, kernels: dict[str, Path],
                 initramfs: Path, out: Path,
                 crashkernel: str = rig.CRASHKERNEL,
                 runner: Runner = rig.run) -> scenarios.Outcome:
    """Run a scenario.  If the first kernel dies before the crash (an oops
    in its own boot, before anything of the crash kernel ran), the run is
    kept aside as <name>.first-kernel-failure and the scenario runs once
    more; run.json's "first_kernel_failure" says so.  A second such
    failure is the scenario's outcome."""
    o = _run_scenario(sc, kernels, initramfs, out, crashkernel, runner)
    outcome = o.run.get("outcome", "")
    if not outcome.startswith("first-kernel-failure"):
        return o
    aside = out / f"{sc.id}.first-kernel-failure"
    shutil.rmtree(aside, ignore_errors=True)
    o.run_dir.rename(aside)
    o2 = _run_scenario(sc, kernels, initramfs, out, crashkernel, runner)
    o2.run["first_kernel_failure"] = {"outcome": outcome, "run_dir": str(aside)}
    (o2.run_dir / "run.json").write_text(json.dumps(o2.run, indent=1))
    return o2


def _run_scenario(sc: scenarios.Scenario, kernels: dict[str, Path],
                  initramfs: Path, out: Path, crashkernel: str,
                  runner: Runner) -> scenarios.Outcome:
    cfg = rig.Config(kernel_dir=kernels[sc.kernel], initramfs=initramfs,
                     run_dir=out / sc.id, stage=sc.stage, load=sc.load,
                     kexec_args=sc.kexec_args, crash_cmdline=sc.crash_cmdline,
                     first_cmdline=sc.first_cmdline,
                     dma_load=sc.dma, corrupt=sc.corrupt,
                     firmware=sc.firmware, topology=sc.topology,
                     linear=sc.linear, untranslated=sc.untranslated,
                     bypass_bridge=sc.bypass_bridge,
                     trace_events=sc.trace_events,
                     kdump_tools=sc.kdump_tools, crashkernel=crashkernel,
                     noncoherent=sc.noncoherent, icount=sc.icount)
    res = runner(cfg)
    o = judge(res, cfg.run_dir)
    if o.report is not None:
        (cfg.run_dir / "oracle.txt").write_text(o.report.summary())
    return o


def judge(res: dict, run_dir: Path) -> scenarios.Outcome:
    """The Outcome of a finished run (rig.run()'s result or a saved
    run.json) in run_dir: the oracle's Report of its trace, if any."""
    report = None
    trace = run_dir / "trace.log"
    if trace.exists():
        # The extra cut at "poweroff" lets checks ignore the crash kernel's
        # own SMMU shutdown on its way down.
        # The reservation moves with the kernel version (7.2 puts it at
        # 0x6fc00000, 6.12 at 0x6ee00000) and under UEFI with the
        # firmware's memory map: take it from the first kernel's
        # "crashkernel reserved" line.
        report = smmu_trace.analyse(trace, run_dir / "serial.tsv",
                                    crashkernel="auto",
                                    extra_cuts=("poweroff",))
    return scenarios.Outcome(run=res, report=report, run_dir=run_dir)


def replay(sc: scenarios.Scenario, saved: Path) -> scenarios.Outcome:
    """Judge the saved run of sc in saved/<run id> again (--replay)."""
    run_dir = saved / sc.id
    return judge(json.loads((run_dir / "run.json").read_text()), run_dir)


class Slots:
    """How many runs may be under way: one that needs the host alone waits
    for every slot, and no other run starts while it waits."""

    def __init__(self, n: int):
        self.n = n
        self.sem = threading.Semaphore(n)
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def take(self, alone: bool = False) -> Iterator[None]:
        k = self.n if alone else 1
        with self.lock:
            for _ in range(k):
                self.sem.acquire()
        try:
            yield
        finally:
            for _ in range(k):
                self.sem.release()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", action="append", default=[],
                    help="VARIANT-LINE=DIR holding Image (stock-7.2, "
                    "project-6.12, ...; VARIANT=DIR: line 6.12)")
    ap.add_argument("--initramfs", type=Path)
    ap.add_argument("--out", type=Path, default=Path("/tmp/arm-smmu-kdump-runs"))
    ap.add_argument("--lines", default=",".join(scenarios.LINES),
                    help="kernel lines to run (default: all)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--kasan", action="store_true",
                    help="the kernels are KASAN builds (make kasan): each "
                    "run also checks that neither kernel reported anything")
    ap.add_argument("--crashkernel", default=rig.CRASHKERNEL,
                    help=f"the first kernel's crashkernel= (default {rig.CRASHKERNEL})")
    ap.add_argument("-j", "--jobs", type=int, default=1,
                    help="scenarios to run at a time (default 1)")
    ap.add_argument("--replay", action="store_true",
                    help="judge the saved runs in --from again, no QEMU")
    ap.add_argument("--from", dest="saved", type=Path,
                    help="--replay: the saved runs (default: --out)")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error("--jobs must be at least 1")

    only = [ln for ln in args.lines.replace(",", " ").split() if ln]
    bad = [ln for ln in only if ln not in scenarios.LINES]
    if bad:
        ap.error(f"unknown kernel line(s) {', '.join(bad)} "
                 f"(known: {', '.join(scenarios.LINES)})")
    try:
        kernels = scenarios.parse_kernels(args.kernel)
        if (args.list or args.replay) and not kernels:
            kernels = {scenarios.kernel_key(v, ln): Path()
                       for v in ("stock", "project") for ln in scenarios.LINES}
        chosen = scenarios.plan(args.names, kernels, only)
    except ValueError as e:
        ap.error(str(e))
    if args.list:
        for sc in chosen:
            print(sc.id)
        return 0
    saved = args.saved or args.out
    if args.replay and not args.names:
        chosen = [sc for sc in chosen if (saved / sc.id / "run.json").exists()]
    if not args.initramfs and not args.replay:
        ap.error("need --initramfs")
    if not chosen:
        ap.error("nothing to run: no scenario has a kernel of its variant "
                 f"among {sorted(kernels) or 'none'}")

    if args.kasan:
        chosen = [scenarios.with_kasan(sc) for sc in chosen]
    ids = {sc.id for sc in chosen}
    comparisons = [c for c in scenarios.COMPARISONS
                   if c.stock in ids and c.project in ids]
    k = Ktap(plan=sum(len(sc.checks) for sc in chosen) + len(comparisons))

    # With --jobs, a thread per scenario judges its run; the run itself
    # (QEMU, the NIC's traffic thread) is in a process of its own, so that
    # one run's judging cannot hold up another run's traffic.
    procs = None
    runner: Runner = rig.run
    runner_alone: Runner = rig.run
    if args.jobs > 1 and not args.replay:
        procs = concurrent.futures.ProcessPoolExecutor(
            max_workers=args.jobs, mp_context=multiprocessing.get_context("spawn"))
        slots = Slots(args.jobs)

        def runner(cfg: rig.Config, alone: bool = False) -> dict:
            with slots.take(alone):
                return procs.submit(rig.run, cfg).result()

        def runner_alone(cfg: rig.Config) -> dict:
            return runner(cfg, alone=True)

    def execute(sc: scenarios.Scenario, run: Runner = runner
                ) -> tuple[scenarios.Outcome, float]:
        t = time.monotonic()
        if args.replay:
            o = replay(sc, saved)
        else:
            o = run_scenario(sc, kernels, args.initramfs, args.out,
                             args.crashkernel, run)
        return o, time.monotonic() - t

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    futures = [pool.submit(execute, sc) for sc in chosen]
    outcomes = {}
    reruns = []
    alone = []
    for sc, fut in zip(chosen, futures):
        o, took = fut.result()
        results = list(scenarios.evaluate(sc, o))
        # A check that could not make its point beside another run (the
        # NIC's receive ring full before the crash kernel's switch: no DMA
        # left to abort) gets a run with the host to itself.
        if procs and any(ok is None for _, ok, _ in results):
            aside = args.out / f"{sc.id}.beside-another-run"
            shutil.rmtree(aside, ignore_errors=True)
            o.run_dir.rename(aside)
            alone.append(sc.id)
            k.diag(f"{sc.id}: a check skipped beside another run; run again "
                   f"alone, the first run is in {aside}")
            o, took = execute(sc, runner_alone)
            results = list(scenarios.evaluate(sc, o))
        if args.replay:
            k.diag(f"{sc.id}: {o.run.get('outcome')}, replayed from "
                   f"{o.run_dir}")
        else:
            fkf = o.run.get("first_kernel_failure")
            if fkf:
                reruns.append(sc.id)
                k.diag(f"{sc.id}: the first kernel died before the crash "
                       f"({fkf['outcome']}); run again, the failed run is in "
                       f"{fkf['run_dir']}")
            k.diag(f"{sc.id}: {o.run.get('outcome')} in "
                   f"{took:.1f} s, artifacts in {o.run_dir}")
        outcomes[sc.id] = o
        for title, ok, msg in results:
            report(k, title, ok, msg)
    pool.shutdown()
    if procs:
        procs.shutdown()
    for c in comparisons:
        try:
            ok, msg = c.fn(outcomes[c.stock], outcomes[c.project])
        except Exception as e:  # as scenarios.evaluate(): no input, no pass
            ok, msg = False, f"comparison raised {type(e).__name__}: {e}"
        report(k, c.title, ok, msg)
    k.diag(f"first-kernel failures before the crash, run again: {len(reruns)}"
           + (f" ({', '.join(reruns)})" if reruns else ""))
    if procs:
        k.diag(f"runs with a skipped check beside another run, run again "
               f"alone: {len(alone)}" + (f" ({', '.join(alone)})" if alone else ""))
    k.finish()
    return 1 if k.failed else 0


def report(k: Ktap, title: str, ok: Optional[bool], msg: str) -> None:
    """One check's KTAP line: skipped (ok None: the message says why), or
    its message as a diagnostic line and the verdict."""
    if ok is None:
        k.skip(title, msg)
    else:
        k.diag(msg)
        k.result(ok, title)

if __name__ == "__main__":
    sys.exit(main())
