#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the crash kernel's import of the SMMUv3 stream table:
# drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c, as it is after
# the series patches/linux-6.12/, built with the host's gcc (ASan, UBSan)
# against the stand-ins of shim/ (see Makefile and prepare-src.sh):
#   kdump-unit        unit tests: parameters, validation, copy and policy,
#                     ID reservation, pending events, device dump
#   kdump-hooks       the L1 descriptor stores of arm_smmu_init_l2_strtab()
#                     with an inherited table, and the commands they issue
#   kdump-fuzz        seeded fuzzing of damaged tables, with invariants
#                     checked after each round ($KDUMP_FUZZ_ROUNDS, 30000)
#   libfuzzer.sh      the same rounds as a libFuzzer target, if clang
#                     can build one ($KDUMP_LIBFUZZER_RUNS, 20000 runs)
# Prints one KTAP document; the exit status is non-zero if any case fails.
#
#   run.sh [-k]     -k: keep the scratch directory
#
# HOST_KDUMP_SRC=DIR builds from an already patched kernel tree.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

keep=0
[ "${1:-}" = -k ] && keep=1

scratch_dir host-kdump
ksrc=$(bash "$here/prepare-src.sh")

if ! make -s -C "$here" KSRC="$ksrc" O="$scratch" all >"$scratch/build.log" 2>&1; then
	cat "$scratch/build.log" >&2
	die "the host build of arm-smmu-v3-kdump.c failed"
fi
cat >"$scratch/libfuzzer" <<SH
#!/bin/bash
exec bash "$here/libfuzzer.sh" "$ksrc" "$scratch"
SH
chmod +x "$scratch/libfuzzer"

. "$here/../lib/ktap.sh"
ktap_subtests host-kdump "$scratch" keep \
	kdump-unit:"unit tests" kdump-hooks:"hook tests" \
	kdump-fuzz:"seeded fuzzing" \
	libfuzzer:"libFuzzer target"
