#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark of the crash kernel's import of a 2-level stream table: boot the
# project kernel in QEMU with the KUnit suite arm-smmu-v3-kdump-bench
# (synthetic tables of 2^10 to 2^20 StreamIDs with 16 to 65536 valid STEs,
# in drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump-test.c, added by the
# series' patch "iommu/arm-smmu-v3: Add KUnit tests of the kdump import")
# and print its time and memory as a table.
#
#   tests/bench/kunit_bench.sh [-k KERNEL_DIR|IMAGE] [-l LOG] [-t SECONDS]
#
# QEMU runs with -icount (1 ns of guest time per instruction): host load and
# TCG's code layout do not enter the figures, which repeat exactly (in host
# time, a rebuild that moved code by a few bytes made the same import 30%
# slower or faster). Time is reported, not asserted, with whether it grows at
# most linearly with the number of valid STEs.  Memory is asserted by the
# suite itself: what the import keeps must not exceed its copies of the L2
# tables that hold valid STEs plus 64 KiB.  Exit status: 0 if every case
# passed, 1 if one failed or the log is incomplete, 4 if QEMU is missing.

set -e
. "$(dirname "$0")/../../scripts/lib/common.sh"

kernel=""
log_file=""
timeout_s=600

print_usage() {
	cat <<USAGE
Usage: $0 [-k KERNEL_DIR|IMAGE] [-l LOG] [-t SECONDS]
  -k  kernel directory (with Image) or Image to boot
      (default: the 7.2 project kernel, built if out of date)
  -l  keep the serial console log in LOG (default: a temporary file)
  -t  QEMU time limit in seconds (default: $timeout_s)
USAGE
}

while getopts 'k:l:t:h' opt; do
	case "$opt" in
	k) kernel="$OPTARG" ;;
	l) log_file="$OPTARG" ;;
	t) timeout_s="$OPTARG" ;;
	h) print_usage; exit 0 ;;
	*) print_usage; exit 1 ;;
	esac
done

command -v qemu-system-aarch64 >/dev/null || {
	echo "kunit bench: SKIP (qemu-system-aarch64 missing)"
	exit 4
}

[ -n "$kernel" ] || kernel=$(bash "$top_dir/scripts/build-kernel.sh" -k 7.2 -v project)
image="$kernel"
[ -d "$kernel" ] && image="$kernel/Image"
[ -f "$image" ] || die "no kernel image at $image"

if [ -z "$log_file" ]; then
	log_file=$(mktemp)
	trap 'rm -f "$log_file"' EXIT
fi

# As tests/kunit/run.sh: no initramfs, so the kernel panics after the suite
# and -no-reboot ends QEMU.  The suite's cases only run when
# arm_smmu_v3_kdump_test.bench=1 is given.
log "running arm-smmu-v3-kdump-bench in QEMU (log: $log_file)"
timeout "$timeout_s" qemu-system-aarch64 \
	-M virt,iommu=smmuv3,gic-version=3,dtb-randomness=off \
	-icount shift=0,sleep=off \
	-cpu max,pauth-impdef=on -smp 2 -m 1G -no-reboot -display none \
	-monitor none -nic none -serial stdio -kernel "$image" \
	-append "console=ttyAMA0 panic=-1 kunit.filter_glob=arm-smmu-v3-kdump-bench arm_smmu_v3_kdump_test.bench=1" \
	>"$log_file" 2>&1 || true

python3 - "$log_file" <<'PYTHON'
import re
import sys
from collections import defaultdict

PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\s?")
BENCH = re.compile(r"# \S+: bench: (.*)$")
CASE = re.compile(r"^\s+(ok|not ok) \d+ sid_bits=(\d+) populated=(\d+) (\w+)")
SUITE = re.compile(r"^(ok|not ok) \d+ arm-smmu-v3-kdump-bench$")
# A step of a series is "linear" if time grew by at most this much more
# than the number of valid STEs did (TCG timing noise).
TOLERANCE = 1.5

rows, status, suite = {}, {}, None
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        line = PREFIX.sub("", line.rstrip("\r\n"))
        m = BENCH.search(line)
        if m:
            kv = dict(t.split("=", 1) for t in m.group(1).split())
            key = (int(kv["sid_bits"]), int(kv["populated"]), kv["layout"])
            rows[key] = {k: (v if k == "layout" else int(v))
                         for k, v in kv.items()}
            continue
        m = CASE.match(line)
        if m:
            status[(int(m.group(2)), int(m.group(3)), m.group(4))] = \
                m.group(1) == "ok"
            continue
        m = SUITE.match(line)
        if m:
            suite = m.group(1) == "ok"

if not status:
    print("kunit bench: no result: the kernel lacks the suite, did not get "
          "arm_smmu_v3_kdump_test.bench=1, or crashed (see the log)")
    sys.exit(1)

series = defaultdict(list)
for key in sorted(set(rows) | set(status)):
    series[(key[0], key[2])].append(key)

kib = lambda b: f"{b / 1024:.1f}"
hdr = (f"{'sid_bits':>8} {'populated':>9} {'layout':>6} {'L2 tbls':>7} "
       f"{'runs':>4} {'time us':>10} {'ns/STE':>8} {'growth':>6} "
       f"{'linear':>6} {'extra KiB':>10} {'bound KiB':>10} "
       f"{'copies':>9} {'arrays':>7} {'records':>8} {'driver':>7}  memory goal")
print("arm-smmu-v3-kdump-bench: check_regs() + build() in keep-all mode, "
      "guest time under QEMU -icount, 1 ns per instruction, best of 'runs'")
print(hdr)
print("-" * len(hdr))
worst_growth, nonlinear, over, failed = 0.0, [], [], []
for skey in sorted(series):
    prev = None
    for key in series[skey]:
        r, ok = rows.get(key), status.get(key, False)
        if not ok:
            failed.append(key)
        if r is None:
            print(f"{key[0]:>8} {key[1]:>9} {key[2]:>6}  no result "
                  f"(the case failed before measuring)")
            prev = None
            continue
        ns_ste = r["time_ns"] / r["populated"]
        growth, linear = "-", "-"
        if prev is not None:
            g = (r["time_ns"] / prev["time_ns"]) / \
                (r["populated"] / prev["populated"])
            worst_growth = max(worst_growth, g)
            growth = f"{g:.2f}"
            linear = "yes" if g <= TOLERANCE else "NO"
            if g > TOLERANCE:
                nonlinear.append(key)
        within = r["extra_bytes"] <= r["bound_bytes"]
        if not within:
            over.append(key)
        verdict = "ok" if within else \
            f"OVER by {kib(r['extra_bytes'] - r['bound_bytes'])} KiB"
        print(f"{key[0]:>8} {key[1]:>9} {key[2]:>6} {r['l2_tables']:>7} "
              f"{r['reps']:>4} {r['time_ns'] / 1000:>10.1f} {ns_ste:>8.0f} "
              f"{growth:>6} {linear:>6} {kib(r['extra_bytes']):>10} "
              f"{kib(r['bound_bytes']):>10} {kib(r['copies_bytes']):>9} "
              f"{kib(r['tables_bytes']):>7} {kib(r['records_bytes']):>8} "
              f"{kib(r['driver_bytes']):>7}  "
              f"{verdict}")
        prev = r
    print()

print("growth: (time ratio) / (valid STE ratio) to the previous row of the "
      "same sid_bits and layout; 1 is linear, below 1 is better")
print("extra = copies (L2 tables copied, as pages dma_alloc_coherent() takes) "
      "+ records (one decision per valid STE, 16 bytes); bound = L2 tables "
      "x (16 KiB + 1/256) + valid STEs x 32 bytes + 64 KiB; "
      "arrays = the copies' DMA addresses, one per span until the switch, "
      "and driver = the L2 pointer array and the L1 descriptors as read, "
      "shown, not counted: per span, as the L2 pointer array and the L1 "
      "table that the stock driver allocates")
n_steps = sum(len(v) - 1 for v in series.values())
print(f"time: at most linear in the valid STEs in "
      f"{n_steps - len(nonlinear)}/{n_steps} steps, "
      f"{len(nonlinear)} above the {TOLERANCE:.2f} tolerance "
      f"(worst growth {worst_growth:.2f})")
print(f"memory goal: {len(rows) - len(over)}/{len(rows)} cases within, "
      f"{len(over)} over")
if suite is None:
    print("kunit bench: the log ends inside the suite (crash or timeout)")
    sys.exit(1)
if failed:
    print(f"kunit bench: {len(failed)} case(s) failed: " +
          ", ".join(f"sid_bits={k[0]} populated={k[1]} {k[2]}"
                    for k in failed))
    sys.exit(1)
PYTHON
