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

progs=(decode-test:"decoders" devdump-test:"device dump and notes")
for t in "${progs[@]}"; do
	prog=${t%%:*}
	"$cc" "${cflags[@]}" -o "$scratch/$prog" "$here/$prog.c" \
		"$here/test-lib.c" "$ext/smmu-decode.c"
done

# One KTAP document with a subtest per program.
echo "KTAP version 1"
echo "1..${#progs[@]}"
nr=0 failed=0 sum_pass=0 sum_fail=0
for t in "${progs[@]}"; do
	prog=${t%%:*}
	nr=$((nr + 1))
	rc=0
	out=$("$scratch/$prog" 2>&1) || rc=$?
	printf '%s\n' "$out" | sed 's/^/    /'
	summary=$(printf '%s\n' "$out" |
		sed -n 's/^# .*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n 1)
	if [ -n "$summary" ]; then
		sum_pass=$((sum_pass + ${summary% *}))
		sum_fail=$((sum_fail + ${summary#* }))
	else
		sum_fail=$((sum_fail + 1))
	fi
	if [ "$rc" = 0 ] && [ -n "$summary" ]; then
		echo "ok $nr - crash: smmu: ${t#*:}"
	else
		echo "not ok $nr - crash: smmu: ${t#*:}"
		failed=$((failed + 1))
	fi
done
echo "# crash: smmu: $sum_pass passed, $sum_fail failed"
[ "$failed" = 0 ]
