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
if [ -f "$top_dir/tests/oracle/bench_smmu_trace.py" ]; then
	echo "== trace analyser throughput"
	python3 "$top_dir/tests/oracle/bench_smmu_trace.py"
fi
