#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Show that the device dump layout check (layout-test.c) fails when either
# side changes: each mutant edits a copy of the kernel's
# arm-smmu-v3-vmcoredd.h or of the extension's smmu-devdump.h, and must
# neither build (its _Static_asserts) nor pass when built with the run-time
# checks only.  Prints KTAP; run by run.sh.
#
#   layout-mutants.sh KERNEL_INCLUDE_DIR CC CFLAGS...
#
# KERNEL_INCLUDE_DIR holds the extracted arm-smmu-v3-vmcoredd.h.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/ktap.sh"
ext="$here/../../crash-extension"
kdir="$1"
cc="$2"
shift 2
cflags=("$@")

work=$(mktemp -d "${TMPDIR:-/tmp}/layout-mutants.XXXXXX")
trap 'rm -rf "$work"' EXIT

# side|sed expression|description; a change of layout or value must stop
# the build and fail the run-time checks, one of the magic only the latter
# (C has no compile-time string comparison).
mutants=(
	"kernel|s/^\t__le32\ttotal_size;/\t__le64\ttotal_size;/|kernel header: total_size widened to 64 bits"
	"kernel|/^\t__le32\tflags;/{N;s/\t__le32\tflags;\([^\n]*\)\n\t__le64\tsmmu_base;\([^\n]*\)/\t__le64\tsmmu_base;\2\n\t__le32\tflags;\1/}|kernel header: flags and smmu_base swapped"
	"kernel|s/^\tu8\tdecision;/\t__le16\tdecision;/|kernel stream record: decision widened"
	"kernel|s/^#define ARM_SMMU_VMCOREDD_SECT_STREAMS\t3/#define ARM_SMMU_VMCOREDD_SECT_STREAMS\t5/|kernel section id: streams renumbered"
	"kernel|s/^#define ARM_SMMU_VMCOREDD_SECT_STREAMS\t3.*/&\n#define ARM_SMMU_VMCOREDD_SECT_EVENTS\t4/|kernel section added back: events (run-time check)"
	"kernel|s/\"SMMUKDMP\"/\"SMMUKDM2\"/|kernel magic changed (run-time check)"
	"kernel|s/^#define ARM_SMMU_VMCOREDD_VERSION\t1/#define ARM_SMMU_VMCOREDD_VERSION\t2/|kernel version bumped"
	"ext|s/^\tuint16_t\tsize;/\tuint32_t\tsize;/|extension write record: size widened"
	"ext|s/^\tuint64_t\tste0;/\tuint32_t\tste0;/|extension stream record: ste0 narrowed"
	"ext|s/^#define SMMU_KDUMP_WHY_BYPASS\t\t4/#define SMMU_KDUMP_WHY_BYPASS\t\t9/|extension reason: bypass renumbered"
	"ext|s/^#define SMMU_KDUMP_F_ADOPTED\t(1U << 1)/#define SMMU_KDUMP_F_ADOPTED\t(1U << 3)/|extension flag: adopted moved"
)

ktap_print_header
ktap_set_plan "${#mutants[@]}"
n=0
for m in "${mutants[@]}"; do
	IFS='|' read -r side expr desc <<<"$m"
	n=$((n + 1))
	d="$work/$n"
	mkdir -p "$d/k" "$d/e"
	cp "$kdir/arm-smmu-v3-vmcoredd.h" "$d/k/"
	cp "$ext/smmu-devdump.h" "$ext/smmu-decode.h" "$d/e/"
	if [ "$side" = kernel ]; then
		f="$d/k/arm-smmu-v3-vmcoredd.h"
		orig="$kdir/arm-smmu-v3-vmcoredd.h"
	else
		f="$d/e/smmu-devdump.h"
		orig="$ext/smmu-devdump.h"
	fi
	sed -i "$expr" "$f"
	st=0
	if cmp -s "$f" "$orig"; then
		echo "# $desc: the edit did not apply" >&2
		st=1
	fi
	inc=(-I"$d/k" -I"$d/e" -I"$here" -I"$here/kernel-shim")
	# the _Static_asserts must stop the build
	if [[ "$desc" != *"(run-time check)" ]] &&
	   "$cc" "${inc[@]}" "${cflags[@]}" -c -o "$d/static.o" \
		"$here/layout-test.c" 2>"$d/static.err"; then
		echo "# $desc: built with the compile-time checks" >&2
		st=1
	fi
	# the run-time checks must fail (or the build, for a renamed field)
	if "$cc" "${inc[@]}" "${cflags[@]}" -DLAYOUT_RUNTIME_ONLY \
		-o "$d/runtime" "$here/layout-test.c" "$here/test-lib.c" \
		"$ext/smmu-decode.c" 2>"$d/runtime.err" &&
	   "$d/runtime" >"$d/runtime.out" 2>&1; then
		echo "# $desc: the run-time checks passed" >&2
		st=1
	fi
	ktap_test_result "crash: smmu: layout mutant rejected: $desc" \
		[ "$st" = 0 ]
done
ktap_finished
