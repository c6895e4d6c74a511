#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmarks (reported, not asserted), on the 7.2 line (mainline first):
# the crash kernel's SMMU probe time and the time from the crash to the
# saved dump, project vs stock alternating in the same run, in host time
# and in instructions (QEMU -icount, with and without a keep list); the linear
# table's guarded window; the commands of the 2-level switch per number of
# copied L2 tables (host build, both series); the trace analyser's
# throughput; the KUnit import benchmark.  BENCH_RUNS: rounds of the probe
# benchmark (default 9).

set -e
. "$(dirname "$0")/lib/common.sh"

line=7.2
stock=$(bash "$top_dir/scripts/build-kernel.sh" -k "$line" -v stock)
project=$(bash "$top_dir/scripts/build-kernel.sh" -k "$line" -v project)
initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")

echo "== crash-kernel SMMU probe and crash to saved dump, stock vs project $line"
PYTHONPATH="$top_dir" python3 -m tests.bench.probe_time --line "$line" \
	--kernel "stock-$line=$stock" --kernel "project-$line=$project" \
	--initramfs "$initramfs" --runs "${BENCH_RUNS:-9}"
# The same two scenarios under QEMU's -icount: guest time counts
# instructions, so the figures repeat exactly and no host load or TCG
# translation enters them (tests/bench/probe_time.py); then the project
# without a keep list (its default), against the same stock scenario.
for project_sc in project-nested-keep-nic project-nested-default; do
	echo "== crash-kernel SMMU probe in instructions (-icount), stock vs $project_sc $line"
	PYTHONPATH="$top_dir" python3 -m tests.bench.probe_time --icount --line "$line" \
		--project "$project_sc" \
		--kernel "stock-$line=$stock" --kernel "project-$line=$project" \
		--initramfs "$initramfs" --runs 3 \
		--out "${RUNS:-/tmp/arm-smmu-kdump-runs}/bench-icount-$project_sc"
done
echo "== linear stream table: the crash kernel's GBPA-guarded window"
PYTHONPATH="$top_dir" python3 -m tests.bench.linear_window --kernel "project=$project" \
	--initramfs "$initramfs" --runs "${BENCH_RUNS:-3}"

# The host build of each series' arm-smmu-v3-kdump.c (see
# tests/host/prepare-src.sh): the same switch, issuing its commands through
# 7.2's arm_smmu_cmdq_issue_cmdlist() or 6.12's
# arm_smmu_cmdq_issue_cmd_with_sync()
echo "== 2-level switch: commands per copied L2 tables (host build)"
scratch_dir bench-switch
for kver in 7.2 6.12; do
	echo "-- $kver"
	make -s -C "$top_dir/tests/host" KVER="$kver" O="$scratch/$kver" bench
done

if [ -f "$top_dir/tests/oracle/bench_smmu_trace.py" ]; then
	echo "== trace analyser throughput"
	PYTHONPATH="$top_dir" python3 -m tests.oracle.bench_smmu_trace
fi

# Import of a crashed kernel's 2-level stream table (KUnit, synthetic tables
# up to 2^20 StreamIDs): time reported; the memory goal is asserted by the
# suite, so a case over it makes this section fail after printing the table.
echo "== crash-kernel stream table import (KUnit arm-smmu-v3-kdump-bench, $line)"
bash "$top_dir/tests/bench/kunit_bench.sh" -k "$project"
