#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmarks (reported, not asserted): crash-kernel SMMU probe time, project
# vs stock in the same run, and the oracle's trace throughput.

set -e
. "$(dirname "$0")/lib/common.sh"

stock=$(bash "$top_dir/scripts/build-kernel.sh" -v stock)
project=$(bash "$top_dir/scripts/build-kernel.sh" -v project)
initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")

echo "== crash-kernel SMMU probe time"
python3 "$top_dir/tests/bench/probe_time.py" --kernel "stock=$stock" \
	--kernel "project=$project" --initramfs "$initramfs" --runs "${BENCH_RUNS:-3}"
echo "== linear stream table: the crash kernel's GBPA-guarded window"
python3 "$top_dir/tests/bench/linear_window.py" --kernel "project=$project" \
	--initramfs "$initramfs" --runs "${BENCH_RUNS:-3}"
if [ -f "$top_dir/tests/oracle/bench_smmu_trace.py" ]; then
	echo "== trace analyser throughput"
	python3 "$top_dir/tests/oracle/bench_smmu_trace.py"
fi

# Import of a crashed kernel's 2-level stream table (KUnit, synthetic tables
# up to 2^20 StreamIDs): time reported; the memory goal is asserted by the
# suite, so a case over it makes this section fail after printing the table.
echo "== crash-kernel stream table import (KUnit arm-smmu-v3-kdump-bench)"
bash "$top_dir/tests/bench/kunit_bench.sh" -k "$project"
