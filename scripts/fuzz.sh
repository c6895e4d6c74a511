#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: the libFuzzer target of tests/host (one kernel line's
# arm-smmu-v3-kdump.c built with clang, ASan and UBSan, the invariants of
# tests/host/fuzz.c checked after every round) for a number of executions
# or a time, in one process.  It starts from the committed corpus
# tests/host/corpus/, grows a copy of it in the run directory, then merges
# back the inputs that add coverage (libFuzzer -merge=1: nothing is
# removed, only what the committed corpus did not cover is added), and
# prints the executions, exec/s, coverage and corpus sizes.  A finding (a
# broken invariant, a sanitizer report, a crash, a hang) makes it exit 1
# with the reproducer in the run directory, never in the repository, and
# the command that replays it; the corpus is then left as it was.
#
#   fuzz.sh [KVER]     (make fuzz [KVER=...] [FUZZ_RUNS=...] ...)
#
# KVER: the kernel line, 7.2 (default) or 6.12.  FUZZ_RUNS: executions;
# FUZZ_TIME: a time limit in seconds; with neither, 600 s; with both,
# whichever comes first.  FUZZ_SEED: libFuzzer's -seed (default: one
# libFuzzer picks and prints).  The run directory is $RUNS/fuzz-KVER
# (RUNS: /tmp/arm-smmu-kdump-runs); its build is reused.

set -e
. "$(dirname "$0")/lib/common.sh"

kver="${1:-7.2}" execs="${FUZZ_RUNS:-}" secs="${FUZZ_TIME:-}"
seed="${FUZZ_SEED:-0}"
case " $kernel_lines " in
*" $kver "*) ;;
*) die "unknown kernel line '$kver' (known: $kernel_lines)" ;;
esac
[ -n "$execs$secs" ] || secs=600
command -v "${CLANG:-clang}" >/dev/null || die "clang is missing: make setup"

host="$top_dir/tests/host"
corpus="$host/corpus"
out="${RUNS:-/tmp/arm-smmu-kdump-runs}/fuzz-$kver"
mkdir -p "$out/build" "$out/findings" "$corpus"

# corpus_size DIR - "N inputs (B bytes)"
corpus_size() {
	find "$1" -type f -printf '%s\n' |
		awk '{ n++; b += $1 } END { printf "%d inputs (%d bytes)", n, b }'
}

# last_cov LOG - "cov N of N edges, ft N" from libFuzzer's last status line
last_cov() {
	awk 'BEGIN { cov = ft = edges = "?" }
		/^INFO: Loaded 1 modules/ { sub(/.*\(/, ""); edges = $1 }
		/^#[0-9]+[ \t]+[A-Za-z]+[ \t]+cov:/ {
			for (i = 1; i < NF; i++) {
				if ($i == "cov:") cov = $(i + 1)
				if ($i == "ft:") ft = $(i + 1)
			}
		}
		END { printf "cov %s of %s edges, ft %s", cov, edges, ft }' "$1"
}

# source_cover - the kdump file's source coverage by the committed corpus
# (llvm-cov): its lines and branches, then those of the functions the
# fuzzer reaches (the others, the register snapshot, the switch, the probe
# and event hooks, are the unit, hook, KUnit and QEMU tests' work)
source_cover() {
	command -v llvm-profdata >/dev/null && command -v llvm-cov >/dev/null ||
		return 1
	make -s -C "$host" KVER="$kver" KSRC="$ksrc" O="$out/build" \
		libfuzzer-cov >>"$out/build.log" 2>&1 || return 1
	rm -rf "$out/cov"
	mkdir -p "$out/cov/corpus"
	cp -r -- "$corpus"/. "$out/cov/corpus"/
	LLVM_PROFILE_FILE="$out/cov/%p.profraw" \
		"$out/build/kdump-libfuzzer-cov" -runs=0 -max_len=4096 \
		"$out/cov/corpus" >"$out/cov/replay.log" 2>&1 || return 1
	llvm-profdata merge -sparse -o "$out/cov/corpus.profdata" \
		"$out/cov"/*.profraw || return 1
	llvm-cov report "$out/build/kdump-libfuzzer-cov" -show-functions \
		-instr-profile="$out/cov/corpus.profdata" "$kdump_c" |
		awk 'NF == 10 && $4 ~ /%$/ {
			if ($1 == "TOTAL") { file = "lines " $7 ", branches " $10; next }
			n++
			if ($2 == $3) next
			r++; l += $5; lm += $6; b += $8; bm += $9
		}
		END {
			printf "%s of the file; the %d of %d functions the fuzzer reaches: lines %.2f%%, branches %.2f%%",
				file, r, n, 100 * (l - lm) / l, 100 * (b - bm) / b
		}'
}

ksrc=$(bash "$host/prepare-src.sh" -k "$kver")
kdump_c="$ksrc/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c"
log "building the libFuzzer target of $kver in $out/build"
run_logged "$out/build.log" "build" \
	make -C "$host" KVER="$kver" KSRC="$ksrc" O="$out/build" libfuzzer
fuzzer="$out/build/kdump-libfuzzer"

# The session grows a copy: the repository is written by the merge only
rm -rf "$out/corpus"
mkdir -p "$out/corpus"
cp -r -- "$corpus"/. "$out/corpus"/
before=$(corpus_size "$corpus")

args=(-seed="$seed" -max_len=4096 -timeout=60 -print_final_stats=1
	-artifact_prefix="$out/findings/")
[ -z "$execs" ] || args+=(-runs="$execs")
[ -z "$secs" ] || args+=(-max_total_time="$secs")
log "fuzzing $kver: ${execs:+$execs executions}${execs:+${secs:+ or }}${secs:+$secs s}, log $out/fuzz.log"
start=$SECONDS
rc=0
"$fuzzer" "${args[@]}" "$out/corpus" >"$out/fuzz.log" 2>&1 &
pid=$!
last=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	if ((SECONDS - last >= 60)); then
		last=$SECONDS
		log "$((SECONDS - start)) s: $(grep -a -E '^#[0-9]+' "$out/fuzz.log" |
			tail -n 1 | cut -c1-100)"
	fi
done
wait "$pid" || rc=$?
elapsed=$((SECONDS - start))

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/fuzz.log")
seed=$(sed -n 's/^INFO: Seed: //p' "$out/fuzz.log" | head -n 1)
finding=$(sed -n 's/.*Test unit written to //p' "$out/fuzz.log" | tail -n 1)

if [ "$rc" = 0 ]; then
	"$fuzzer" -merge=1 -max_len=4096 -timeout=60 "$corpus" "$out/corpus" \
		>"$out/merge.log" 2>&1 ||
		die "merging into $corpus failed: $out/merge.log"
	merged=$(grep -a 'MERGE-OUTER: [0-9]* new files' "$out/merge.log" |
		sed 's/^MERGE-OUTER: //')

	cover=$(source_cover) || cover=
fi

echo "== make fuzz: Linux $kver, arm-smmu-v3-kdump.c ($ksrc)"
echo "executions: ${runs:-?} in $elapsed s (${rate:-?} exec/s), one process, seed $seed"
echo "coverage:   $(last_cov "$out/fuzz.log") (libFuzzer: the kdump file, shim and fuzzer)"
if [ "$rc" != 0 ]; then
	echo "corpus:     tests/host/corpus/ $before, not merged"
	grep -a -E 'violated|ERROR|SUMMARY|runtime error' "$out/fuzz.log" |
		head -n 10 | sed 's/^/  /'
	echo "result:     FINDING (libFuzzer exit $rc): ${finding:-no reproducer written, see $out/fuzz.log}"
	if [ -n "$finding" ]; then
		echo "replay:     $fuzzer $finding"
		echo "            (UBSAN_OPTIONS=print_stacktrace=1 for a stack; the build is $out/build)"
	fi
	exit 1
fi
echo "corpus:     tests/host/corpus/ $before before, $(corpus_size "$corpus") after${merged:+ ($merged)}"
[ -z "$cover" ] || echo "source:     arm-smmu-v3-kdump.c by tests/host/corpus/: $cover (llvm-cov)"
echo "result:     no finding"
