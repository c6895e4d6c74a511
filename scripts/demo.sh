#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: one kdump crash end to end on the project kernel (nested
# SMMUv3, DMA in flight), loaded by Debian's kdump-tools (kdump-config load,
# the policy in /etc/default/kdump-tools) and saved by it (kdump-config
# savecore), then a short human summary of what the crash kernel's SMMU
# did, read from QEMU's trace and the saved dump.

set -e
trap 'echo "demo: failed" >&2' ERR
. "$(dirname "$0")/lib/common.sh"

runs="${RUNS:-/tmp/arm-smmu-kdump-runs}"
scenario="${DEMO_SCENARIO:-demo}"
# The first kernel line that has a project kernel (7.2 once its series
# exists), unless DEMO_LINE names one.
kver="${DEMO_LINE:-}"
if [ -z "$kver" ]; then
	for kver in $kernel_lines; do
		has_project_kernel "$kver" && break
	done
fi

log "building the project $kver kernel, kexec and the initramfs (cached)"
project=$(bash "$top_dir/scripts/build-kernel.sh" -k "$kver" -v project)
initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")

id="$scenario-$kver"
log "running scenario '$scenario' on Linux $kver in QEMU"
mkdir -p "$runs"
rc=0
PYTHONPATH="$top_dir" python3 -m tests.e2e.run --out "$runs" --kernel "project-$kver=$project" \
	--initramfs "$initramfs" "$id" >"$runs/$id.ktap" || rc=$?

dir="$runs/$id"
kt="$dir/kdump-tools"
if [ -d "$kt" ]; then
	echo
	echo "==== kdump-tools in the first kernel: the administrator's settings"
	sed 's/^/  /' "$kt/kdump-tools.conf"
	echo "==== kdump-config show (after kdump-config load)"
	sed 's/^/  /' "$kt/kdump-config-show.txt" 2>/dev/null || echo "  (none: see $dir/serial.log)"
	echo "==== kdump-config savecore in the crash kernel (its messages)"
	grep -v -e '%]' -e '^$' "$kt/kdump-config-savecore.txt" 2>/dev/null | sed 's/^/  /' ||
		echo "  (none: see $dir/serial.log)"
fi
echo
echo "==== what happened (from QEMU's SMMU trace and the saved dump)"
PYTHONPATH="$top_dir" python3 -m tests.e2e.summary "$dir"
echo
echo "==== checks"
grep -E '^(not )?ok ' "$runs/$id.ktap" | sed 's/^/  /'
echo
if [ -s "$dir/vmcore" ]; then
	saved=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("kdump_tools", {}).get("dump", ""))' "$dir/run.json")
	[ -n "$saved" ] &&
		echo "kdump-config savecore saved /var/crash/$saved (flattened); rearranged as:"
	echo "saved dump: $dir/vmcore ($(du -h "$dir/vmcore" | cut -f1))"
	echo "vmlinux:    $project/vmlinux"
	[ -s "$dir/smmu-debugfs.bin" ] &&
		echo "the device dump as the crash kernel's debugfs showed it: $dir/smmu-debugfs.bin"
	echo
	crash_tree=$(bash "$top_dir/scripts/build-crash.sh")
	smmu_so=$(bash "$top_dir/scripts/build-crash-extension.sh")
	if [ "$kver" = 6.12 ]; then
		echo "==== the dump in crash 9.0.2 with the smmu extension"
		cmds='smmu\nsmmu -s 0x300\nsmmu -d\nquit\n'
		mode=()
	else
		# crash 9.0.2 opens Linux 7.2 dumps only without debug info:
		# the device dump, and the table from its STRTAB_BASE.
		echo "==== the dump in crash 9.0.2 --minimal with the smmu extension"
		cmds='smmu -d\nsmmu -o -r -s 0x300\nquit\n'
		mode=(--minimal)
	fi
	printf "extend %s\\n$cmds" "$smmu_so" |
		timeout 300 "$crash_tree/crash" -s "${mode[@]}" "$project/vmlinux" "$dir/vmcore" 2>&1 |
		sed 's/^/  /' || rc=$?
else
	echo "no dump was saved; serial log: $dir/serial.log"
fi
exit "$rc"
