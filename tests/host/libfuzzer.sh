#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the libFuzzer build of the fuzzer for a bounded, seeded session and
# print one KTAP result: ok if no invariant broke and nothing crashed, a
# skip if clang cannot build libFuzzer targets here. The session starts by
# running every input of the corpus (the inputs earlier sessions kept,
# those of the other kernel line too when run.sh shares it), then goes on
# mutating them, RUNS runs in all.
#
#   libfuzzer.sh [-k KVER] [-c CORPUS] [-n RUNS] KSRC BUILDDIR
#
# KVER: the kernel line of the tree KSRC (7.2); CORPUS: the corpus
# directory (BUILDDIR/corpus); RUNS: $KDUMP_LIBFUZZER_RUNS or 20000.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
kver=7.2 corpus='' runs="${KDUMP_LIBFUZZER_RUNS:-20000}"
while getopts 'k:c:n:' opt; do
	case "$opt" in
	k) kver="$OPTARG" ;;
	c) corpus="$OPTARG" ;;
	n) runs="$OPTARG" ;;
	*) sed -n '10p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ksrc="$1" out="$2"
corpus="${corpus:-$out/corpus}"
clang="${CLANG:-clang}"
name="host-kdump $kver libFuzzer"

echo "KTAP version 1"
echo "1..1"
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$clang" -x c -fsanitize=fuzzer,address,undefined -o "$out/probe" - \
		>/dev/null 2>&1; then
	echo "ok 1 libFuzzer target # SKIP $clang cannot build -fsanitize=fuzzer"
	echo "# $name: 0 passed, 0 failed"
	exit 0
fi
if ! make -s -C "$here" KVER="$kver" KSRC="$ksrc" O="$out" libfuzzer \
	>"$out/libfuzzer-build.log" 2>&1; then
	sed 's/^/# /' "$out/libfuzzer-build.log" | tail -n 20
	echo "not ok 1 libFuzzer target: build"
	echo "# $name: 0 passed, 1 failed"
	exit 1
fi
mkdir -p "$corpus"
replayed=$(find "$corpus" -type f | wc -l)
rc=0
(cd "$out" && ./kdump-libfuzzer -seed=1 -runs="$runs" -max_total_time=30 \
	-max_len=4096 -print_final_stats=1 "$corpus") >"$out/libfuzzer.log" 2>&1 ||
	rc=$?
grep -E '^(Done|stat::number_of_executed_units|#[0-9]+[[:space:]]+(INITED|DONE))' \
	"$out/libfuzzer.log" | sed 's/^/# /'
echo "# corpus: $replayed inputs replayed, $(find "$corpus" -type f | wc -l) now"
if [ "$rc" = 0 ]; then
	echo "ok 1 libFuzzer target: $runs runs, seed 1, no invariant broken"
	echo "# $name: 1 passed, 0 failed"
else
	grep -E 'violated|ERROR|SUMMARY|Test unit written' "$out/libfuzzer.log" |
		head -n 20 | sed 's/^/# /'
	echo "not ok 1 libFuzzer target: exit $rc"
	echo "# $name: 0 passed, 1 failed"
fi
exit "$rc"
