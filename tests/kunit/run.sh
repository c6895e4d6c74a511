#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a rig kernel in QEMU (SMMUv3, no root file system), let KUnit run its
# built-in suites at boot, and print their results as flat KTAP.
#
#   tests/kunit/run.sh [-n NAME] IMAGE [FILTER_GLOB]
#
# -n NAME: the tests' name prefix (default "kunit"; run-all.sh names the
# kernel, e.g. "kunit 7.2").
# With the default filter, the project's suite and the upstream one
# (SUITES) must each run every case of its plan: a kernel built without
# CONFIG_ARM_SMMU_V3_KDUMP (or its KUnit test) fails instead of passing on
# the upstream suite alone.

set -e
name=kunit
if [ "${1:-}" = -n ]; then
	name="$2"
	shift 2
fi
image="${1:-}"
filter="${2:-arm*smmu*}"
suites=()
[ -n "${2:-}" ] || suites=(arm-smmu-v3-kunit-test arm-smmu-v3-kdump-kunit-test)
[ -f "$image" ] || { echo "usage: $0 [-n NAME] IMAGE [FILTER]" >&2; exit 2; }
command -v qemu-system-aarch64 >/dev/null || {
	echo "KTAP version 1"; echo "1..0 # SKIP qemu-system-aarch64 missing"; exit 4; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# No initramfs: after the suites ran the kernel panics at the root mount and
# -no-reboot ends QEMU.
timeout 180 qemu-system-aarch64 \
	-M virt,iommu=smmuv3,gic-version=3,dtb-randomness=off \
	-cpu max,pauth-impdef=on -smp 2 -m 1G -no-reboot -display none \
	-monitor none -nic none -serial stdio -kernel "$image" \
	-append "console=ttyAMA0 panic=-1 kunit.filter_glob=$filter" >"$log" 2>&1 || true
exec env PYTHONPATH="$(dirname "$0")/../.." python3 -m tests.lib.ktap_parse flatten "$log" "$name" \
	"${suites[@]}"
