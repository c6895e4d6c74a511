#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the libFuzzer build of the fuzzer and print two KTAP results: the
# replay of the committed corpus tests/host/corpus/ (every input once, the
# corpus make fuzz grows), then a bounded, seeded session; ok if no
# invariant broke and nothing crashed, skips if clang cannot build
# libFuzzer targets here. The session starts by running every input of
# the scratch corpus CORPUS, into which the committed corpus is copied
# first (those of the other kernel line's session too when run.sh shares
# it), then goes on mutating them, RUNS runs in all. Nothing is written
# into the repository.
#
#   libfuzzer.sh [-k KVER] [-c CORPUS] [-n RUNS] KSRC BUILDDIR
#
# KVER: the kernel line of the tree KSRC (7.2); CORPUS: the scratch corpus
# directory (BUILDDIR/corpus); RUNS: $KDUMP_LIBFUZZER_RUNS or 20000.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/ktap.sh"
kver=7.2 corpus='' runs="${KDUMP_LIBFUZZER_RUNS:-20000}"
while getopts 'k:c:n:' opt; do
	case "$opt" in
	k) kver="$OPTARG" ;;
	c) corpus="$OPTARG" ;;
	n) runs="$OPTARG" ;;
	*) sed -n '13p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ksrc="$1" out="$2"
corpus="${corpus:-$out/corpus}"
committed="$here/corpus"
clang="${CLANG:-clang}"

# result RC LOG TITLE DETAIL - the next KTAP result: ok if the fuzzer's
# exit status RC is 0, else not ok after what its LOG says about the finding
result() {
	if [ "$1" = 0 ]; then
		ktap_test_pass "$3: $4, no invariant broken"
	else
		grep -a -E 'violated|ERROR|SUMMARY|runtime error|Test unit written' "$2" |
			head -n 20 | sed 's/^/# /'
		ktap_test_fail "$3: $4, exit $1"
	fi
}

ktap_print_header
ktap_set_plan 2
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$clang" -x c -fsanitize=fuzzer,address,undefined -o "$out/probe" - \
		>/dev/null 2>&1; then
	ktap_print_msg "$clang cannot build -fsanitize=fuzzer"
	ktap_test_skip "libFuzzer corpus replay"
	ktap_test_skip "libFuzzer target"
	ktap_finished
fi
if ! make -s -C "$here" KVER="$kver" KSRC="$ksrc" O="$out" libfuzzer \
	>"$out/libfuzzer-build.log" 2>&1; then
	sed 's/^/# /' "$out/libfuzzer-build.log" | tail -n 20
	ktap_test_fail "libFuzzer corpus replay: build"
	ktap_test_fail "libFuzzer target: build"
	ktap_finished
fi

# 1: the committed corpus, from a copy: each input once (-runs=0)
rm -rf "$out/replay"
mkdir -p "$out/replay" "$corpus"
[ ! -d "$committed" ] || cp -r -- "$committed"/. "$out/replay"/
nr=$(find "$out/replay" -type f | wc -l)
rc=0
(cd "$out" && ./kdump-libfuzzer -runs=0 -max_len=4096 "$out/replay") \
	>"$out/libfuzzer-replay.log" 2>&1 || rc=$?
grep -a -E '^#[0-9]+[[:space:]]+DONE' "$out/libfuzzer-replay.log" | sed 's/^/# /'
result "$rc" "$out/libfuzzer-replay.log" "libFuzzer corpus replay" \
	"$nr inputs of tests/host/corpus"

# 2: a session on the scratch corpus, which starts with the committed one
[ ! -d "$committed" ] || cp -r -n -- "$committed"/. "$corpus"/
replayed=$(find "$corpus" -type f | wc -l)
rc=0
(cd "$out" && ./kdump-libfuzzer -seed=1 -runs="$runs" -max_total_time=30 \
	-max_len=4096 -print_final_stats=1 "$corpus") >"$out/libfuzzer.log" 2>&1 ||
	rc=$?
grep -E '^(Done|stat::number_of_executed_units|#[0-9]+[[:space:]]+(INITED|DONE))' \
	"$out/libfuzzer.log" | sed 's/^/# /'
echo "# corpus: $replayed inputs replayed ($nr of tests/host/corpus), $(find "$corpus" -type f | wc -l) now"
result "$rc" "$out/libfuzzer.log" "libFuzzer target" "$runs runs, seed 1"
ktap_finished
