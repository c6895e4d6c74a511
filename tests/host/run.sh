#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the crash kernel's import of the SMMUv3 stream table:
# drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c, as it is after the
# series patches/linux-KVER/ of each kernel line (7.2, then the 6.12
# backport), built with the host's gcc (ASan, UBSan) against the stand-ins
# of shim/ (see Makefile and prepare-src.sh). The same tests run once per
# line:
#   kdump-unit        unit tests: parameters, validation, copy and policy,
#                     ID reservation, device dump
#   kdump-hooks       the L1 descriptor stores of arm_smmu_init_l2_strtab()
#                     with an inherited table, and the commands they issue
#   kdump-fuzz        seeded fuzzing of damaged tables, with invariants
#                     checked after each round ($KDUMP_FUZZ_ROUNDS rounds a
#                     line, 15000; the lines take seeds that follow each
#                     other: 7.2 1-15000, 6.12 15001-30000)
#   libfuzzer.sh      the same rounds as a libFuzzer target, if clang
#                     can build one: the committed corpus tests/host/corpus/
#                     (make fuzz grows it) replayed, then a session
#                     ($KDUMP_LIBFUZZER_RUNS runs a line, 20000) on a
#                     scratch corpus that starts with it; the lines share
#                     the scratch corpus, so each line also replays what
#                     the lines before it found
#   bench             make bench's switch benchmark (bench-switch.c), run
#                     to show that it still runs; its figures are not checked
# Prints one KTAP document with a subtest per line ("host-kdump 7.2: ...");
# the exit status is non-zero if any case fails.
#
#   run.sh [-k] [KVER...]   -k: keep the scratch directory
#                           KVER: the lines to test (default: every line
#                           with a series, scripts/lib/common.sh)
#
# HOST_KDUMP_SRC=DIR builds from an already patched kernel tree (one KVER).

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

keep=0
[ "${1:-}" = -k ] && { keep=1; shift; }
lines=("$@")
if [ "${#lines[@]}" = 0 ]; then
	for kver in $kernel_lines; do
		! has_project_kernel "$kver" || lines+=("$kver")
	done
fi
[ -z "${HOST_KDUMP_SRC:-}" ] || [ "${#lines[@]}" = 1 ] ||
	die "HOST_KDUMP_SRC is one kernel tree: name its line (run.sh KVER)"
rounds="${KDUMP_FUZZ_ROUNDS:-15000}"

scratch_dir host-kdump
mkdir -p "$scratch/corpus"
seed=0
items=()
for kver in "${lines[@]}"; do
	out="$scratch/$kver"
	mkdir -p "$out"
	ksrc=$(bash "$here/prepare-src.sh" -k "$kver")
	if ! make -s -j"$nproc" -C "$here" KVER="$kver" KSRC="$ksrc" O="$out" \
		all >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		die "the host build of $kver's arm-smmu-v3-kdump.c failed"
	fi
	cat >"$out/fuzz" <<SH
#!/bin/bash
exec "$out/kdump-fuzz" -n "$rounds" -s "$seed"
SH
	cat >"$out/libfuzzer" <<SH
#!/bin/bash
exec bash "$here/libfuzzer.sh" -k "$kver" -c "$scratch/corpus" "$ksrc" "$out"
SH
	# make bench's switch section runs (its figures are make bench's)
	cat >"$out/bench" <<SH
#!/bin/bash
set -o pipefail
. "$here/../lib/ktap.sh"
ktap_print_header
ktap_set_plan 1
if "$out/bench-switch" | sed 's/^/# /'; then
	ktap_test_pass bench-switch
else
	ktap_test_fail bench-switch
fi
ktap_print_totals
SH
	cat >"$out/tests" <<SH
#!/bin/bash
. "$here/../lib/ktap.sh"
ktap_subtests "host-kdump $kver" "$out" keep \\
	kdump-unit:"unit tests" kdump-hooks:"hook tests" \\
	fuzz:"seeded fuzzing" libfuzzer:"libFuzzer target" \\
	bench:"the switch benchmark runs"
SH
	chmod +x "$out/fuzz" "$out/libfuzzer" "$out/bench" "$out/tests"
	items+=("$kver/tests:Linux $kver with patches/linux-$kver")
	seed=$((seed + rounds))
done

. "$here/../lib/ktap.sh"
ktap_subtests host-kdump "$scratch" keep "${items[@]}"
