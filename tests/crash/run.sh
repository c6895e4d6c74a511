#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the crash "smmu" extension's decoders
# (crash-extension/smmu-decode.c, the same source smmu.so is built from),
# compiled natively with -Wall -Werror, and with AddressSanitizer and
# UBSan when the compiler has them, so that the truncated and corrupt
# inputs are also checked for out-of-bounds reads.
#   decode-test.c   stream table, STE, CD, page-table walks, translations,
#                   queues and event records
#   devdump-test.c  the device-dump parser, NT_VMCOREDD notes, undo, the
#                   events pending at handover read through the dump's
#                   EVTQ registers (damaged ones are not followed)
#   rmap-test.c     the reverse lookup (smmu -p): physical address to
#                   SID/SSID/IOVA, checked against the forward translation
#   select-test.c   -s as StreamID, PCI address or device name; the walk
#                   of a damaged streams tree; -i and the list's INDEX;
#                   one-token table headers
#   layout-test.c   the device dump layout: the kernel's
#                   arm-smmu-v3-vmcoredd.h, as each series
#                   (patches/linux-*/) creates it, against the extension's
#                   smmu-devdump.h, field by field; layout-mutants.sh shows
#                   that an edit of either header fails it
# Prints one KTAP document; the exit status is non-zero if any case fails.
#
#   run.sh [-k]     -k: keep the scratch directory

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"
. "$here/../lib/ktap.sh"

keep=0
[ "${1:-}" = -k ] && keep=1

scratch_dir crash-ext-test

ext="$top_dir/crash-extension"
cc="${CC:-gcc}"
cflags=(-std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror
	-Wstrict-prototypes -O1 -g -I"$ext" -I"$here" -I"$ksft_dir")
if echo 'int main(void){return 0;}' |
	"$cc" -x c -fsanitize=address,undefined -o "$scratch/probe" - 2>/dev/null; then
	cflags+=(-fsanitize=address,undefined -fno-sanitize-recover=all)
fi

progs=(decode-test:"decoders" devdump-test:"device dump and notes"
	rmap-test:"reverse lookup" select-test:"device selection, index and headers")
for t in "${progs[@]}"; do
	prog=${t%%:*}
	"$cc" "${cflags[@]}" -o "$scratch/$prog" "$here/$prog.c" \
		"$here/test-lib.c" "$ext/smmu-decode.c"
done

# The device dump layout, per kernel series: the kernel's header is taken
# from the series patches themselves (git apply of the one file onto an
# empty directory), never copied into the tree.
vmcoredd_h=drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-vmcoredd.h
for line in $kernel_lines; do
	has_project_kernel "$line" || continue
	kdir="$scratch/kernel-$line"
	mkdir -p "$kdir"
	while read -r p; do
		(cd "$kdir" && GIT_CEILING_DIRECTORIES="$scratch" \
			git apply --include="$vmcoredd_h" "$p") ||
			die "${p##*/}: cannot extract $vmcoredd_h"
	done < <(series_patches "$line")
	[ -f "$kdir/$vmcoredd_h" ] ||
		die "patches/linux-$line creates no $vmcoredd_h"
	layout_cflags=(-I"$kdir/${vmcoredd_h%/*}" -I"$here/kernel-shim"
		-DLAYOUT_LINE="\"$line\"")
	# A build that the _Static_asserts stop still runs with the run-time
	# checks, which name each difference, and then fails.
	if ! "$cc" "${cflags[@]}" "${layout_cflags[@]}" 		-o "$scratch/layout-test-$line" "$here/layout-test.c" 		"$here/test-lib.c" "$ext/smmu-decode.c"; then
		echo "layout-test.c does not build against linux-$line's header" >&2
		"$cc" "${cflags[@]}" "${layout_cflags[@]}" -DLAYOUT_RUNTIME_ONLY 			-DLAYOUT_STATIC_FAILED -o "$scratch/layout-test-$line" 			"$here/layout-test.c" "$here/test-lib.c" "$ext/smmu-decode.c"
	fi
	progs+=("layout-test-$line:device dump layout, linux-$line series")
	mutants_dir="$kdir/${vmcoredd_h%/*}"
done
if [ -n "${mutants_dir:-}" ]; then
	printf '#!/bin/bash\nexec bash %q %q %q' "$here/layout-mutants.sh" \
		"$mutants_dir" "$cc" >"$scratch/layout-mutants"
	printf ' %q' "${cflags[@]}" >>"$scratch/layout-mutants"
	echo >>"$scratch/layout-mutants"
	chmod +x "$scratch/layout-mutants"
	progs+=("layout-mutants:device dump layout check fails on a changed header")
fi

# One KTAP document with a subtest per program.
ktap_subtests "crash: smmu" "$scratch" merge "${progs[@]}"
