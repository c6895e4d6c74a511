#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the libFuzzer build of the fuzzer for a bounded, seeded session and
# print one KTAP result: ok if no invariant broke and nothing crashed, a
# skip if clang cannot build libFuzzer targets here.
#
#   libfuzzer.sh KSRC BUILDDIR [RUNS]

set -e
here="$(cd "$(dirname "$0")" && pwd)"
ksrc="$1" out="$2" runs="${3:-${KDUMP_LIBFUZZER_RUNS:-20000}}"
clang="${CLANG:-clang}"

echo "KTAP version 1"
echo "1..1"
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$clang" -x c -fsanitize=fuzzer,address,undefined -o "$out/probe" - \
		>/dev/null 2>&1; then
	echo "ok 1 libFuzzer target # SKIP $clang cannot build -fsanitize=fuzzer"
	echo "# host-kdump libFuzzer: 0 passed, 0 failed"
	exit 0
fi
if ! make -s -C "$here" KSRC="$ksrc" O="$out" libfuzzer >"$out/libfuzzer-build.log" 2>&1; then
	sed 's/^/# /' "$out/libfuzzer-build.log" | tail -n 20
	echo "not ok 1 libFuzzer target: build"
	echo "# host-kdump libFuzzer: 0 passed, 1 failed"
	exit 1
fi
mkdir -p "$out/corpus"
rc=0
(cd "$out" && ./kdump-libfuzzer -seed=1 -runs="$runs" -max_total_time=30 \
	-max_len=4096 -print_final_stats=1 corpus) >"$out/libfuzzer.log" 2>&1 || rc=$?
grep -E '^(Done|stat::number_of_executed_units|#[0-9]+ +DONE)' "$out/libfuzzer.log" |
	sed 's/^/# /'
echo "# corpus: $(find "$out/corpus" -type f | wc -l) inputs"
if [ "$rc" = 0 ]; then
	echo "ok 1 libFuzzer target: $runs runs, seed 1, no invariant broken"
	echo "# host-kdump libFuzzer: 1 passed, 0 failed"
else
	grep -E 'violated|ERROR|SUMMARY|Test unit written' "$out/libfuzzer.log" |
		head -n 20 | sed 's/^/# /'
	echo "not ok 1 libFuzzer target: exit $rc"
	echo "# host-kdump libFuzzer: 0 passed, 1 failed"
fi
exit "$rc"
