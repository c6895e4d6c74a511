#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end test of the crash "smmu" extension on a rig run: runs crash 9.0.2
# in batch mode on the run's vmcore (makedumpfile -d 31) and on copies of it
# (a plain ELF /proc/vmcore-style copy, copies carrying an SMMUv3 device dump,
# a 64K-StreamID stream table for the benchmark), and checks the output
# against ground truth that does not come from the kernel under test: the
# stream table saved through QMP before the crash (strtab/) and QEMU's own
# translations (smmuv3_translate_success in trace.log).  Prints KTAP.
#
#   e2e.sh [-c CRASH] [-x SMMU_SO] [-k] RUN_DIR [VMLINUX]
#
#   -c CRASH    crash binary (default: the one scripts/build-crash.sh built)
#   -x SMMU_SO  the extension (default: scripts/build-crash-extension.sh)
#   -k          keep the scratch directory
#   VMLINUX     default: vmlinux in the run's kernel_dir (run.json)

set -e
trap 'echo "# e2e: aborting" >&2' ERR
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

crash=""
smmu_so=""
keep=0

print_usage() {
	cat <<EOF
usage: ${0##*/} [-c CRASH] [-x SMMU_SO] [-k] RUN_DIR [VMLINUX]
  -c CRASH    crash binary (default: from scripts/build-crash.sh -p)
  -x SMMU_SO  smmu.so (default: built by scripts/build-crash-extension.sh)
  -k          keep the scratch directory
EOF
}

while getopts 'c:x:kh' opt; do
	case "$opt" in
	c) crash="$OPTARG" ;;
	x) smmu_so="$OPTARG" ;;
	k) keep=1 ;;
	*) print_usage; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { print_usage; exit 1; }
run="$(cd "$1" && pwd)"
vmlinux="${2:-}"

# ---- KTAP ---------------------------------------------------------------

nr=0
n_pass=0
n_fail=0
n_skip=0

ktap_print_header() {
	echo "KTAP version 1"
}

ktap_set_plan() {
	echo "1..$1"
}

ktap_test_pass() {
	nr=$((nr + 1))
	n_pass=$((n_pass + 1))
	echo "ok $nr - $1"
}

ktap_test_fail() {
	nr=$((nr + 1))
	n_fail=$((n_fail + 1))
	echo "not ok $nr - $1"
}

ktap_test_skip() {
	nr=$((nr + 1))
	n_skip=$((n_skip + 1))
	echo "ok $nr - $1 # SKIP $2"
}

ktap_skip_all() {
	echo "1..0 # SKIP $1"
	exit "$KSFT_SKIP"
}

ktap_finished() {
	echo "# crash: smmu: e2e: $n_pass passed, $n_fail failed, $n_skip skipped"
	[ "$n_fail" = 0 ] && exit "$KSFT_PASS"
	exit "$KSFT_FAIL"
}

# check COND_STATUS NAME [DIAG...]: COND_STATUS 0 passes
check() {
	local st="$1" name="$2"
	shift 2
	if [ "$st" = 0 ]; then
		ktap_test_pass "$name"
	else
		for d in "$@"; do
			printf '%s\n' "$d" | sed 's/^/# /'
		done
		ktap_test_fail "$name"
	fi
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# ---- set-up -------------------------------------------------------------

ktap_print_header
command -v python3 >/dev/null || ktap_skip_all "python3 not found"
[ -f "$run/vmcore" ] || ktap_skip_all "$run has no vmcore"
[ -f "$run/strtab/strtab.json" ] || ktap_skip_all "$run has no QMP stream table snapshot"
[ -f "$run/trace.log" ] && [ -f "$run/serial.tsv" ] ||
	ktap_skip_all "$run has no trace.log/serial.tsv"
if [ -z "$crash" ]; then
	crash="$(bash "$top_dir/scripts/build-crash.sh" -p)/crash"
fi
[ -x "$crash" ] || ktap_skip_all "no crash binary ($crash): run scripts/build-crash.sh"
if [ -z "$smmu_so" ]; then
	smmu_so=$(bash "$top_dir/scripts/build-crash-extension.sh" 2>/dev/null) ||
		ktap_skip_all "cannot build smmu.so"
fi
[ -f "$smmu_so" ] || ktap_skip_all "no $smmu_so"
if [ -z "$vmlinux" ]; then
	kdir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["kernel_dir"])' \
		"$run/run.json" 2>/dev/null || true)
	vmlinux="$kdir/vmlinux"
fi
[ -f "$vmlinux" ] || ktap_skip_all "no vmlinux ($vmlinux) for $run"

scratch_dir crash-e2e

truth="python3 $here/e2e_truth.py"
tool="python3 $here/vmcore_tool.py"

# run_crash OUT DUMP [crash options] < commands
run_crash() {
	local out="$1" dump="$2"
	shift 2
	{
		echo "extend $smmu_so"
		cat
	} >"$out.cmd"
	timeout 600 "$crash" -s "$@" "$vmlinux" "$dump" -i "$out.cmd" \
		</dev/null >"$out" 2>&1 || true
}

# section OUT NAME: the output between "#### NAME" and the next marker
section() {
	awk -v n="#### $2" '
		$0 == n || index($0, n " ") == 1 { on = 1; next }
		/^#### / { on = 0 }
		on' "$1"
}

mark() {
	echo "!echo \"#### $1 \$(date +%s.%N)\""
}

# STE words "W0 ... W7" as "smmu -s" prints them, from a section
ste_words() {
	awk '/STE\[0-3\]:/ { a = $2 " " $3 " " $4 " " $5 }
	     /STE\[4-7\]:/ { print a " " $2 " " $3 " " $4 " " $5; exit }'
}

stage_of() {
	case "$1" in
	s1-trans) echo 1 ;;
	s2-trans) echo 2 ;;
	nested) echo "1+2" ;;
	*) echo "?" ;;
	esac
}

for sid in 0x100 0x200 0x300; do
	$truth ste "$run" "$sid" >"$scratch/ste-$sid" 2>/dev/null || : >"$scratch/ste-$sid"
done
$truth pairs "$run" 40 >"$scratch/pairs"
$truth valid "$run" >"$scratch/valid"
read -r regs_base regs_cfg strtab_pa < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["regs"]
print("%x %x %x" % (r["strtab_base"], r["strtab_base_cfg"],
                    r["strtab_base"] & ((1 << 52) - 1) & ~63))' "$run/strtab/strtab.json")

# RAM the dump does not hold (free or zero pages that makedumpfile -d 31
# filtered out): read as a stream table it must give empty tables, not errors
bench_base=$($tool free-range "$run/vmcore" 0x420000)

nwalks=4
ktap_set_plan $((19 + nwalks))

# ---- the dump as saved -----------------------------------------------------

{
	mark list
	echo "smmu"
	# with -o too: a dump that carries the crash kernel's device dump
	# shows the crashed kernel's tables once its stores are undone
	for sid in 0x100 0x200 0x300; do
		mark "ste-$sid"
		echo "smmu -s $sid"
		mark "ste-o-$sid"
		echo "smmu -o -s $sid"
	done
	i=0
	while read -r sid iova pa perm stage late; do
		[ "$i" -lt "$nwalks" ] || break
		mark "walk-$i"
		echo "smmu -s 0x$sid -t $iova"
		mark "walk-o-$i"
		echo "smmu -o -s 0x$sid -t $iova"
		i=$((i + 1))
	done <"$scratch/pairs"
	i=0
	while read -r sid iova pa perm stage late; do
		[ "$sid" = 300 ] || continue
		mark "rd-$i"
		printf 'rd -p -a %x 24\n' $((0x$pa + 26))
		i=$((i + 1))
	done <"$scratch/pairs"
	mark all
	echo "smmu -a"
	mark events
	echo "smmu -e"
	mark devdump
	echo "smmu -d"
	mark filtered
	echo "smmu -T ${bench_base#0x}:10210 -s 0x5"
	mark filtered-linear
	echo "smmu -T ${bench_base#0x}:10 -a"
	mark usage
	echo "smmu -t 1000"
	echo "smmu -s 0x300 -C -t 1000"
	mark end
} | run_crash "$scratch/main.out" "$run/vmcore"

out="$scratch/main.out"
if grep -q "smmu.so: shared object loaded" "$out"; then
	check 0 "crash: smmu: extension loads into $("$crash" --version 2>/dev/null | grep -m1 '^crash ')"
else
	check 1 "crash: smmu: extension loads into crash" "$(head -n 20 "$out")"
fi

sec=$(section "$out" list)
# the crash kernel's device dump present: compare the crashed kernel's view
o=""
if printf '%s\n' "$sec" | grep -q '^  DEVICE DUMP: arm-smmu-v3\.'; then
	o="o-"
	diag "the dump has an SMMUv3 device dump: STEs and walks are read with -o"
fi
if printf '%s\n' "$sec" | grep -Eq '^SMMU: [0-9a-f]+  DEVICE: [0-9a-f]+\.smmuv3  MMIO: [0-9a-f]+$' &&
	printf '%s\n' "$sec" | grep -q "STRTAB: [a-z0-9-]* $strtab_pa "; then
	check 0 "crash: smmu: lists the SMMU and its stream table at the snapshot's STRTAB_BASE $strtab_pa"
else
	check 1 "crash: smmu: lists the SMMU and its stream table at the snapshot's STRTAB_BASE $strtab_pa" "$sec"
fi

for sid in 0x100 0x200 0x300; do
	name="crash: smmu: STE of SID $sid equals the QMP snapshot"
	if [ ! -s "$scratch/ste-$sid" ]; then
		ktap_test_skip "$name" "SID $sid not in the snapshot"
		continue
	fi
	want=$(cut -d' ' -f2- "$scratch/ste-$sid")
	sec=$(section "$out" "ste-$o$sid")
	got=$(printf '%s\n' "$sec" | ste_words)
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		check 0 "$name"
	else
		check 1 "$name" "snapshot: $want" "smmu -s:  $got" "$sec"
	fi
done

# CD of the stage-1 STE of SID 0x300, at the snapshot's S1ContextPtr
name="crash: smmu: CD of the stage-1 STE of SID 0x300 is decoded"
w0=$(cut -d' ' -f2 "$scratch/ste-0x300")
if [ -z "$w0" ] || [ $(((0x$w0 >> 1) & 5)) != 5 ]; then
	ktap_test_skip "$name" "SID 0x300 has no stage-1 STE in this run"
else
	ctx=$(printf '%x' $((0x$w0 & 0x000fffffffffffc0)))
	sec=$(section "$out" "ste-${o}0x300")
	cdline=$(printf '%s\n' "$sec" | grep -m1 'CD (no SubstreamID -> CD 0):' || true)
	vline=$(printf '%s\n' "$sec" | grep -m1 '    V: 1  ASID: ' || true)
	if [ "${cdline##*: }" = "$ctx" ] && [ -n "$vline" ] &&
		printf '%s\n' "$sec" | grep -q 'AA64: 1'; then
		check 0 "$name (CD at $ctx, $(echo "$vline" | awk '{print $3, $4, $5, $6}'))"
	else
		check 1 "$name" "expected the CD at S1ContextPtr $ctx" "$sec"
	fi
fi

# IOVA walks against QEMU's translations
i=0
while read -r sid iova pa perm stage late; do
	[ "$i" -lt "$nwalks" ] || break
	when=$([ "$late" = 1 ] && echo "after the crash marker" || echo "before the crash marker")
	name="crash: smmu: stage $stage IOVA walk for SID 0x$sid iova 0x$iova lands on QEMU's translated address"
	sec=$(section "$out" "walk-$o$i")
	got=$(printf '%s\n' "$sec" | sed -n 's/^  TRANSLATION: iova [0-9a-f]* -> pa \([0-9a-f]*\) .*/\1/p')
	cfg=$(printf '%s\n' "$sec" | sed -n 's/.*CONFIG: \([a-z0-9-]*\).*/\1/p' | head -n 1)
	if [ "$got" = "$pa" ] && [ "$(stage_of "$cfg")" = "$stage" ]; then
		check 0 "$name"
	elif [ "$late" = 0 ] && printf '%s\n' "$sec" | grep -q 'faults: translation fault'; then
		# before the marker the dying kernel could still unmap it
		ktap_test_skip "$name" "unmapped between QEMU's access ($when) and the crash"
	else
		check 1 "$name" "QEMU ($when): 0x$iova -> 0x$pa (stage $stage)" "$sec"
	fi
	i=$((i + 1))
done <"$scratch/pairs"
while [ "$i" -lt "$nwalks" ]; do
	ktap_test_skip "crash: smmu: IOVA walk $i" "not enough translations in the trace"
	i=$((i + 1))
done

name="crash: smmu: rd -p of a translated rx buffer (+26: virtio-net and Ethernet headers) shows the RIG-FLOOD frame"
hit=$(awk '/^#### rd-/ { on = 1; next } /^#### / { on = 0 } on' "$out" |
	grep -m1 -E 'RIG-FLOOD [0-9]{8}' || true)
if [ -n "$hit" ]; then
	check 0 "$name ($(echo "$hit" | grep -oE 'RIG-FLOOD [0-9]{8}'))"
elif ! grep -q '^300 ' "$scratch/pairs"; then
	ktap_test_skip "$name" "no translation for SID 0x300 in the window"
else
	check 1 "$name" "$(awk '/^#### rd-/,0' "$out" | head -n 20)"
fi

name="crash: smmu: -a lists the translating STEs of the QMP snapshot"
got=$(section "$out" all | awk '$1 ~ /^0x/ { print $1, $3 }' | sort)
want=$(sort "$scratch/valid")
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	check 0 "$name ($(wc -l <"$scratch/valid") STEs)"
else
	check 1 "$name" "snapshot:" "$want" "smmu -a:" "$got"
fi

name="crash: smmu: -e shows the event queue"
sec=$(section "$out" events)
if printf '%s\n' "$sec" | grep -q '^EVTQ: [0-9a-f]*  [0-9]* entries'; then
	check 0 "$name ($(printf '%s\n' "$sec" | grep -c '^  \[' || true) entries listed)"
else
	check 1 "$name" "$sec"
fi

name="crash: smmu: -d on the saved dump"
sec=$(section "$out" devdump)
if printf '%s\n' "$sec" | grep -q '^DEVICE DUMP: arm-smmu-v3\.'; then
	check 0 "$name: the crash kernel's device dump is decoded"
elif printf '%s\n' "$sec" | grep -q 'smmu: no device dump in this vmcore'; then
	check 0 "$name: \"no device dump in this vmcore\""
else
	check 1 "$name" "$sec"
fi

name="crash: smmu: memory makedumpfile -d 31 filtered out reads as zero (empty tables), not as an error"
sec=$(section "$out" filtered)
lin=$(section "$out" filtered-linear)
if printf '%s\n' "$sec" | grep -q '=> 0000000000000000 (filtered page: read as zero)' &&
	printf '%s\n' "$sec" | grep -q 'no level-2 table for this StreamID' &&
	printf '%s\n' "$lin" | grep -qx '0 valid STEs in 65536 StreamIDs'; then
	check 0 "$name"
else
	check 1 "$name" "$sec" "$lin"
fi

name="crash: smmu: bad option combinations are refused with a message"
sec=$(section "$out" usage)
if printf '%s\n' "$sec" | grep -q 'smmu: -t, -c and -C need -s sid' &&
	printf '%s\n' "$sec" | grep -q 'smmu: -C cannot be combined'; then
	check 0 "$name"
else
	check 1 "$name" "$sec"
fi

# ---- no debug info: --minimal ------------------------------------------------

{
	mark nodebug
	echo "smmu"
	mark regs
	echo "smmu -T $regs_base:$regs_cfg -s 0x300"
	mark end
} | run_crash "$scratch/minimal.out" "$run/vmcore" --minimal
name="crash: smmu: without debug info (--minimal) a clear error, and -T decodes SID 0x300 from STRTAB_BASE/_CFG"
sec=$(section "$scratch/minimal.out" nodebug)
got=$(section "$scratch/minimal.out" regs | ste_words)
want=$(cut -d' ' -f2- "$scratch/ste-0x300")
if printf '%s\n' "$sec" | grep -q '^smmu: no debug info in --minimal mode' &&
	[ -n "$got" ] && [ "$got" = "$want" ]; then
	check 0 "$name"
else
	check 1 "$name" "$(cat "$scratch/minimal.out")"
fi

# ---- copies: plain ELF, device dumps, a full 64K stream table ----------------

# The crash kernel's device dump as the kernel side will write it (layout of
# crash-extension/smmu-devdump.h): registers from the QMP snapshot, SID 0x200
# aborted and the L1 descriptor of SIDs 0x100-0x1ff pointed at crash-kernel
# memory (as an adopting crash kernel may do), with both stores applied to
# the ELF copy.
$truth devspec "$run" "$scratch/devdump.json" >"$scratch/pokes"
read -r poke_pa poke_val <"$scratch/pokes"
l1_pa=$(sed -n '2s/ .*//p' "$scratch/pokes")
pokes=()
while read -r pa val; do
	pokes+=(--poke "$pa:$val")
done <"$scratch/pokes"
$tool devdump "$scratch/devdump.json" "$scratch/devdump.note"
$tool mkstrtab "$bench_base" "$scratch/strtab64k.bin"
$tool to-elf "$run/vmcore" "$scratch/vmcore.elf" --note "$scratch/devdump.note" \
	"${pokes[@]}" --poke-file "${bench_base#0x}:$scratch/strtab64k.bin"
$tool add-note "$run/vmcore" "$scratch/vmcore.kdump" --note "$scratch/devdump.note"

read -r sid1 iova1 pa1 perm1 stage1 late1 <"$scratch/pairs" || true
{
	mark ste
	echo "smmu -s 0x300"
	mark walk
	[ -n "$sid1" ] && echo "smmu -s 0x$sid1 -t $iova1"
	mark devdump
	echo "smmu -d"
	mark abort
	echo "smmu -s 0x200"
	mark undo
	echo "smmu -s 0x200 -o"
	mark regs
	echo "smmu -r -s 0x300"
	mark list
	echo "smmu"
	mark l1
	echo "smmu -s 0x100"
	mark l1-as-is
	echo "smmu -T $regs_base:$regs_cfg -s 0x100"
	mark bench-start
	echo "smmu -T ${bench_base#0x}:10210 -a"
	mark bench-end
	mark end
} | run_crash "$scratch/elf.out" "$scratch/vmcore.elf"
out="$scratch/elf.out"

name="crash: smmu: ELF vmcore (the format of a plain /proc/vmcore copy): STE of SID 0x300 and an IOVA walk match"
got=$(section "$out" ste | ste_words)
walk=$(section "$out" walk | sed -n 's/^  TRANSLATION: iova [0-9a-f]* -> pa \([0-9a-f]*\) .*/\1/p')
if [ "$got" = "$want" ] && { [ -z "$sid1" ] || [ "$walk" = "$pa1" ]; }; then
	check 0 "$name"
else
	check 1 "$name" "$(section "$out" ste)" "$(section "$out" walk)"
fi

name="crash: smmu: -d decodes a device dump note (registers, decisions, stores, events)"
sec=$(section "$out" devdump)
if printf '%s\n' "$sec" | grep -q '^DEVICE DUMP: arm-smmu-v3.9050000  version 1' &&
	printf '%s\n' "$sec" | grep -Eq "STRTAB_BASE +0x$regs_base\$" &&
	printf '%s\n' "$sec" | grep -q 'CR0 .*(SMMUEN|EVTQEN|CMDQEN)' &&
	printf '%s\n' "$sec" | grep -Eq '0x200  aborted +not in kdump_keep' &&
	printf '%s\n' "$sec" | grep -Eq " +$poke_pa  STE +0x200 .* new$" &&
	{ [ -z "$l1_pa" ] || printf '%s\n' "$sec" | grep -Eq " +$l1_pa  L1STD +- .* new$"; } &&
	printf '%s\n' "$sec" | grep -q 'event queue: 2 entries pending' &&
	printf '%s\n' "$sec" | grep -q 'F_TRANSLATION (0x10)  SID: 0x300'; then
	check 0 "$name"
else
	check 1 "$name" "$sec"
fi

name="crash: smmu: -o undoes the crash kernel's recorded store, -r walks STRTAB_BASE from the device dump"
abort=$(section "$out" abort | ste_words)
undo=$(section "$out" undo | ste_words)
regs=$(section "$out" regs | ste_words)
want200=$(cut -d' ' -f2- "$scratch/ste-0x200")
if [ "${abort%% *}" = "0000000000000001" ] && [ "$undo" = "$want200" ] &&
	[ "$regs" = "$want" ]; then
	check 0 "$name"
else
	check 1 "$name" "as dumped: $abort" "with -o:   $undo" "snapshot:  $want200" \
		"with -r (0x300): $regs"
fi

name="crash: smmu: an L1 descriptor rewritten after the crash is flagged, and the driver's l2ptrs[] still find SID 0x100's STE"
want100=$(cut -d' ' -f2- "$scratch/ste-0x100")
got=$(section "$out" l1 | ste_words)
if [ -z "$l1_pa" ]; then
	ktap_test_skip "$name" "not a 2-level stream table with split 8"
elif section "$out" list | grep -q '^  L1 REWRITTEN: 1 L1 descriptor ' &&
	section "$out" l1 | grep -q "rewritten after the crash?" &&
	[ "$got" = "$want100" ] &&
	section "$out" l1-as-is | grep -q "STE at 6ff94000: not in the dump"; then
	check 0 "$name"
else
	check 1 "$name" "$(section "$out" list | grep L1)" "$(section "$out" l1)" \
		"$(section "$out" l1-as-is)"
fi

name="crash: smmu: benchmark: all 65536 STEs of a 64K-StreamID table decoded (with their CDs) in under 2 s"
t0=$(grep -m1 '^#### bench-start ' "$out" | awk '{print $3}')
t1=$(grep -m1 '^#### bench-end ' "$out" | awk '{print $3}')
nste=$(section "$out" bench-start | grep -c ' s1-trans ' || true)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { if (a == "" || b == "") print "nan"; else printf "%.3f", b - a }')
diag "benchmark: $nste STEs listed in $secs s (ELF copy, table at $bench_base)"
if [ "$nste" = 65536 ] && awk -v s="$secs" 'BEGIN { exit !(s + 0 < 2) }'; then
	check 0 "$name ($secs s)"
else
	check 1 "$name" "$nste STEs in $secs s" "$(section "$out" bench-start | tail -n 3)"
fi

{
	mark list
	echo "smmu"
	mark devdump
	echo "smmu -d"
	mark end
} | run_crash "$scratch/kdump.out" "$scratch/vmcore.kdump"
name="crash: smmu: a device dump in the kdump-compressed note area (offset_note/size_note) is found"
sec=$(section "$scratch/kdump.out" devdump)
if section "$scratch/kdump.out" list | grep -q 'DEVICE DUMP: arm-smmu-v3.9050000' &&
	printf '%s\n' "$sec" | grep -Eq " +$poke_pa  STE +0x200 .* old$"; then
	check 0 "$name"
else
	check 1 "$name" "$(cat "$scratch/kdump.out")"
fi

ktap_finished
