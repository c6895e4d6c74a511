#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the crash "smmu" extension's decoders
# (crash-extension/smmu-decode.c, the same source smmu.so is built from),
# compiled natively with -Wall -Werror, and with AddressSanitizer and
# UBSan when the compiler has them, so that the truncated and corrupt
# inputs are also checked for out-of-bounds reads.
#   decode-test.c   stream table, STE, CD, page-table walks, translations,
#                   queues and event records
#   devdump-test.c  the device-dump parser, NT_VMCOREDD notes, undo
#   rmap-test.c     the reverse lookup (smmu -p): physical address to
#                   SID/SSID/IOVA, checked against the forward translation
#   select-test.c   -s as StreamID, PCI address or device name; -i and the
#                   list's INDEX; one-token table headers
# Prints one KTAP document; the exit status is non-zero if any case fails.
#
#   run.sh [-k]     -k: keep the scratch directory

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

keep=0
[ "${1:-}" = -k ] && keep=1

scratch_dir crash-ext-test

ext="$top_dir/crash-extension"
cc="${CC:-gcc}"
cflags=(-std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror
	-Wstrict-prototypes -O1 -g -I"$ext" -I"$here")
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

# One KTAP document with a subtest per program.
. "$here/../lib/ktap.sh"
ktap_subtests "crash: smmu" "$scratch" merge "${progs[@]}"
