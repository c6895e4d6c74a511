#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: one kdump crash end to end on the project kernel (nested
# SMMUv3, DMA in flight), then a short human summary of what the crash
# kernel's SMMU did, read from QEMU's trace and the saved dump.

set -e
trap 'echo "demo: failed" >&2' ERR
. "$(dirname "$0")/lib/common.sh"

runs="${RUNS:-/tmp/arm-smmu-kdump-runs}"
scenario="${DEMO_SCENARIO:-demo}"

log "building the project kernel, kexec and the initramfs (cached)"
project=$(bash "$top_dir/scripts/build-kernel.sh" -v project)
initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")

log "running scenario '$scenario' in QEMU"
rc=0
python3 "$top_dir/tests/e2e/run.py" --out "$runs" --kernel "project=$project" \
	--initramfs "$initramfs" "$scenario" >"$runs/$scenario.ktap" || rc=$?

dir="$runs/$scenario"
echo
echo "==== what happened (from QEMU's SMMU trace and the saved dump)"
python3 "$top_dir/tests/e2e/summary.py" "$dir"
echo
echo "==== checks"
grep -E '^(not )?ok ' "$runs/$scenario.ktap" | sed 's/^/  /'
echo
if [ -s "$dir/vmcore" ]; then
	echo "saved dump: $dir/vmcore ($(du -h "$dir/vmcore" | cut -f1))"
	echo "vmlinux:    $project/vmlinux"
	[ -s "$dir/smmu-kdump.txt" ] &&
		echo "the crash kernel's own report (debugfs): $dir/smmu-kdump.txt"
	echo
	echo "==== the dump in crash 9.0.2 with the smmu extension"
	crash_tree=$(bash "$top_dir/scripts/build-crash.sh")
	smmu_so=$(bash "$top_dir/scripts/build-crash-extension.sh")
	printf 'extend %s\nsmmu\nsmmu -s 0x300\nsmmu -d\nquit\n' "$smmu_so" |
		timeout 300 "$crash_tree/crash" -s "$project/vmlinux" "$dir/vmcore" 2>&1 |
		sed 's/^/  /' || rc=$?
else
	echo "no dump was saved; serial log: $dir/serial.log"
fi
exit "$rc"
