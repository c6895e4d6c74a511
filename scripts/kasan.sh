#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kasan: the project kernel of the 7.2 line built with generic KASAN
# (build-kernel.sh -v kasan) boots as both kernels of the QEMU rig through
# the keep, abort and default scenarios and five fault scenarios (the
# KASAN_SCENARIOS list). Each run has its usual checks and one more: no
# KASAN report in either kernel's log. Prints KTAP and ends with the
# figures; the runs stay in $RUNS/kasan. Not part of make check: a KASAN
# kernel takes a full build of its own, and each crash is slower.

set -e
. "$(dirname "$0")/lib/common.sh"

line=7.2
scenarios=${KASAN_SCENARIOS:-"project-nested-keep-nic project-nested-abort-nic
	project-nested-default fault-l1-into-crashkernel fault-l2-random
	fault-cd-into-crashkernel fault-evtq-damaged fault-cmdq-wedged"}
kasan=$(bash "$top_dir/scripts/build-kernel.sh" -k "$line" -v kasan)
initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")
out="${RUNS:-/tmp/arm-smmu-kdump-runs}/kasan"
mkdir -p "$out"

. "$top_dir/tests/lib/group.sh"
group_dir="$out"

start=$(date +%s)
# shellcheck disable=SC2086 # a list of names
run_group kasan env PYTHONPATH="$top_dir" python3 -m tests.e2e.run --kasan \
	--lines "$line" --kernel "project-$line=$kasan" --initramfs "$initramfs" \
	--crashkernel "${KASAN_CRASHKERNEL:-384M}" --out "$out" $scenarios
group_broken
echo "# kasan $line: $passed passed, $failed failed, $skipped skipped;" \
	"$(cat "$out"/*/serial.log 2>/dev/null | grep -c 'BUG: KASAN')" \
	"KASAN reports; $(($(date +%s) - start)) s; kernel $kasan"
[ "$failed" -eq 0 ]
