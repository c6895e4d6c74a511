#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end test of the crash "smmu" extension on a rig run: runs crash 9.0.2
# in batch mode on the run's vmcore (makedumpfile -d 31) and on copies of it
# (a plain ELF /proc/vmcore-style copy, copies carrying an SMMUv3 device dump,
# a 64K-StreamID stream table for the benchmark, one whose device dump does
# not parse, at the end a damaged streams tree of the driver and a damaged
# iommu_device_list), and checks the output
# against ground truth that does not come from the kernel under test: the
# stream table saved through QMP before the crash (strtab/, plus the rig's
# fault-injection stores listed in run.json), the dump as the oracle's
# reader (tests/oracle/kdumpfile.py) sees it and QEMU's own trace
# (smmuv3_translate_* in trace.log).  Prints KTAP.
#
# Two kinds of dump:
#  - the stock kernel's: the crash kernel leaves the crashed kernel's memory
#    alone and writes no device dump.  The copies simulate a crash kernel
#    that aborted the data disk's StreamID and re-pointed the L1
#    descriptor of the dump disk's span, with a device dump recording both
#    stores.
#  - the project kernel's: the crash kernel re-pointed L1 descriptors of the
#    old 2-level table into its own memory (not in the dump) and saved a
#    device dump (NT_VMCOREDD "arm-smmu-v3.<base>") recording them.  STEs
#    and walks are read with -o (stores undone); further checks compare
#    "smmu -d" with the snapshot, the dump and the trace; the copies carry
#    that device dump with the simulated stores the crash kernel did not
#    already make added to it.
#
#   e2e.sh [-c CRASH] [-x SMMU_SO] [-k] [-m] RUN_DIR [VMLINUX]
#
#   -c CRASH    crash binary (default: the one scripts/build-crash.sh built)
#   -x SMMU_SO  the extension (default: scripts/build-crash-extension.sh)
#   -k          keep the scratch directory
#   -m          only what works without debug info (crash --minimal): for
#               Linux 7.2 dumps, which crash 9.0.2 cannot open in full
#               mode.  The stream table is read from the snapshot's
#               STRTAB_BASE/_CFG (-T) and the device dump (-d, -o, -r);
#               the checks that need the driver's state, the list of
#               SMMUs, CDs through the driver and the dump copies are
#               left out, and one SKIP line says so.
#   VMLINUX     default: vmlinux in the run's kernel_dir (run.json)

set -e
trap 'echo "# e2e: aborting" >&2' ERR
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

crash=""
smmu_so=""
keep=0
minimal=0

print_usage() {
	cat <<EOF
usage: ${0##*/} [-c CRASH] [-x SMMU_SO] [-k] [-m] RUN_DIR [VMLINUX]
  -c CRASH    crash binary (default: from scripts/build-crash.sh -p)
  -x SMMU_SO  smmu.so (default: built by scripts/build-crash-extension.sh)
  -k          keep the scratch directory
  -m          only the checks that need no debug info (crash --minimal)
EOF
}

while getopts 'c:x:kmh' opt; do
	case "$opt" in
	c) crash="$OPTARG" ;;
	x) smmu_so="$OPTARG" ;;
	k) keep=1 ;;
	m) minimal=1 ;;
	*) print_usage; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { print_usage; exit 1; }
run="$(cd "$1" && pwd)"
vmlinux="${2:-}"

# ---- KTAP ---------------------------------------------------------------

. "$here/../lib/ktap.sh"

# skip_all REASON - skip the whole run
skip_all() {
	ktap_skip_all "$1"
	exit "$KSFT_SKIP"
}

# skip NAME REASON - skip one test
skip() {
	ktap_print_msg "$2"
	ktap_test_skip "$1"
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
command -v python3 >/dev/null || skip_all "python3 not found"
[ -f "$run/vmcore" ] || skip_all "$run has no vmcore"
[ -f "$run/strtab/strtab.json" ] || skip_all "$run has no QMP stream table snapshot"
[ -f "$run/trace.log" ] && [ -f "$run/serial.tsv" ] ||
	skip_all "$run has no trace.log/serial.tsv"
if [ -z "$crash" ]; then
	crash="$(bash "$top_dir/scripts/build-crash.sh" -p)/crash"
fi
[ -x "$crash" ] || skip_all "no crash binary ($crash): run scripts/build-crash.sh"
if [ -z "$smmu_so" ]; then
	smmu_so=$(bash "$top_dir/scripts/build-crash-extension.sh" 2>/dev/null) ||
		skip_all "cannot build smmu.so"
fi
[ -f "$smmu_so" ] || skip_all "no $smmu_so"
if [ -z "$vmlinux" ]; then
	kdir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["kernel_dir"])' \
		"$run/run.json" 2>/dev/null || true)
	vmlinux="$kdir/vmlinux"
fi
[ -f "$vmlinux" ] || skip_all "no vmlinux ($vmlinux) for $run"

scratch_dir crash-e2e

truth="env PYTHONPATH=$here/../.. python3 -m tests.crash.e2e_truth"
tool="env PYTHONPATH=$here/../.. python3 -m tests.crash.vmcore_tool"

# run_crash OUT DUMP [crash options] < commands; crash_timeout=SECONDS
# (default 600) bounds a session
run_crash() {
	local out="$1" dump="$2"
	shift 2
	{
		echo "extend $smmu_so"
		cat
	} >"$out.cmd"
	# crash ignores SIGTERM: KILL it 10 s later
	timeout -k 10 "${crash_timeout:-600}" "$crash" -s "$@" "$vmlinux" \
		"$dump" -i "$out.cmd" </dev/null >"$out" 2>&1 || true
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

# ste_shown SID MODE TEXT: TEXT (an "smmu -s SID" output) shows what the
# table the crashed kernel left holds for SID, walked as MODE says (see
# e2e_truth.py reach): the snapshot's STE words or, if that walk cannot
# reach an STE, the L1 descriptor that stops it and no STE
ste_shown() {
	local got l1pa l1val why
	got=$(printf '%s\n' "$3" | ste_words)
	read -r l1pa l1val why <"$scratch/reach-$2-$1"
	if [ "$l1pa" = ok ]; then
		[ -n "$got" ] && [ "$got" = "$(cut -d' ' -f2- "$scratch/ste-$1")" ]
	else
		[ -z "$got" ] && printf '%s\n' "$3" | grep -q "^  L1 DESCRIPTOR: $l1pa => $l1val "
	fi
}

# unreachable SID MODE: the reason, if the walk cannot reach SID's STE
unreachable() {
	local r
	read -r r <"$scratch/reach-$2-$1"
	[ "$r" = ok ] || cut -d' ' -f3- "$scratch/reach-$2-$1"
}

stage_of() {
	case "$1" in
	s1-trans) echo 1 ;;
	s2-trans) echo 2 ;;
	nested) echo "1+2" ;;
	*) echo "?" ;;
	esac
}

# the rig's dump disk, data disk and NIC: their StreamIDs in the run's
# topology, and the NIC's PCI function
read -r sid_dump sid_data sid_net pci_net < <($truth rig "$run")
for sid in $sid_dump $sid_data $sid_net; do
	$truth ste "$run" "$sid" >"$scratch/ste-$sid" 2>/dev/null || : >"$scratch/ste-$sid"
	# reachable from the driver's state / by walking the table the crashed
	# kernel left (the rig's fault injection may have broken its L1
	# descriptor)
	for mode in driver table; do
		$truth reach "$run" "$sid" "$mode" >"$scratch/reach-$mode-$sid"
	done
done
# the translations to look up and the translating STEs: those "smmu"
# reaches from the driver's state, or (--minimal, no driver state) by a
# walk from STRTAB_BASE
walk_mode=driver
[ "$minimal" = 1 ] && walk_mode=table
$truth pairs "$run" 40 "$walk_mode" >"$scratch/pairs"
$truth valid "$run" "$walk_mode" >"$scratch/valid"
# What the dump holds, read without crash: the crash kernel's device dump
# and the words of the old stream table that differ from the snapshot
$truth state "$run" >"$scratch/state"
dd_name=$(awk '$1 == "devdump" { print $2; exit }' "$scratch/state")
dd_flags=$(awk '$1 == "devdump" { print $3; exit }' "$scratch/state")
dd_nwrites=$(awk '$1 == "devdump" { print $5; exit }' "$scratch/state")
n_l1diff=$(grep -c '^diff .* L1STD$' "$scratch/state" || true)
n_rewritten=$(awk '$1 == "rewritten" { print $2 }' "$scratch/state")
has_dd=0
if [ -n "$dd_name" ]; then
	has_dd=1
	$truth realspec "$run" "$scratch/real.json"
	$truth ddexpect "$scratch/real.json" dump >"$scratch/real.expect"
fi
read -r l1_net_pa l1_net_snap l1_net_dump _ < <($truth l1 "$run" "$sid_net" 2>/dev/null) || true
read -r regs_base regs_cfg strtab_pa < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["regs"]
print("%x %x %x" % (r["strtab_base"], r["strtab_base_cfg"],
                    r["strtab_base"] & ((1 << 52) - 1) & ~63))' "$run/strtab/strtab.json")
# STRTAB_BASE and _CFG in the device dump (the rig's fault injection may
# have changed them after the snapshot), and the table they describe
dd_regs="$regs_base $regs_cfg"
dd_strtab=""
if [ "$has_dd" = 1 ]; then
	dd_regs=$(python3 -c '
import json, sys
r = dict((off, v) for off, _, v in json.load(open(sys.argv[1]))["regs"])
print("%x %x" % (r.get(0x80, 0), r.get(0x88, 0)))' "$scratch/real.json")
	# shellcheck disable=SC2086 # BASE CFG
	dd_strtab=$($truth strtab $dd_regs)
fi

# RAM the dump does not hold (free or zero pages that makedumpfile -d 31
# filtered out): read as a stream table it must give empty tables, not errors.
# Aligned to 4M, the size of a linear table of 65536 STEs, as the SMMU
# requires of STRTAB_BASE (IHI 0070 6.3.23): read as that and as a 2-level
# table (mkstrtab's, in the ELF copy)
bench_base=$($tool free-range "$run/vmcore" 0x420000 0x400000)

# The snapshot's stream table given 0x40 past its start (-T): the SMMU takes
# the address bits below the table's size as zero (IHI 0070 6.3.23), so
# "smmu" walks the same table, and one line says so.  unaligned_check TEXT
# checks an "smmu -T $unaligned:$regs_cfg -s $sid_net".
unaligned=$(printf '%x' $((0x$regs_base + 0x40)))
unaligned_check() {
	local name="crash: smmu: ${oflag}-T with STRTAB_BASE 0x40 past the table's start: flagged, SID $sid_net's STE read where the SMMU reads it"

	if [ ! -s "$scratch/ste-$sid_net" ]; then
		skip "$name" "SID $sid_net not in the snapshot"
	elif printf '%s\n' "$1" | grep -q "^UNALIGNED: STRTAB_BASE.ADDR $(printf '%x' $((0x$strtab_pa + 0x40))) is not aligned" &&
		printf '%s\n' "$1" | grep -q "walks the table at $strtab_pa\$" &&
		ste_shown "$sid_net" table "$1"; then
		check 0 "$name"
	else
		check 1 "$name" "snapshot: $(cut -d' ' -f2- "$scratch/ste-$sid_net")" "$1"
	fi
}

# usage_cmds prints the commands of section "usage", options that must be
# refused; usage_check TEXT checks their messages.
usage_cmds() {
	echo "smmu -t 1000"
	echo "smmu -s $sid_net -C -t 1000"
	echo "smmu -c 0"
	echo "smmu -s $sid_net -S 0xffffffff"
}
usage_check() {
	local name="crash: smmu: bad option combinations are refused with a message (and -c, crash's cpu letter, is not an option)"

	if printf '%s\n' "$1" | grep -q 'smmu: -t, -S and -C need -s' &&
		printf '%s\n' "$1" | grep -q 'smmu: -C cannot be combined' &&
		printf '%s\n' "$1" | grep -q "invalid option -- 'c'" &&
		printf '%s\n' "$1" | grep -q 'smmu: -S: 0xffffffff is not a SubstreamID'; then
		check 0 "$name"
	else
		check 1 "$name" "$1"
	fi
}

# decisions_check NAME SMMU_D_OUTPUT: e2e_truth.py check-decisions, whose
# exit 77 is a skip
decisions_check() {
	local res=0 why
	why=$(printf '%s\n' "$2" | $truth check-decisions "$run" 2>&1) || res=$?
	case "$res" in
	0) diag "$why"; check 0 "$1" ;;
	77) diag "$why"; skip "$1" "$(printf '%s\n' "$why" | sed -n 's/.*; not judged: //p' | head -n 1)" ;;
	*) check 1 "$1" "$why" ;;
	esac
}

# regs_o_check LABEL: "smmu -o -r -s sid_net" (section regs-o) walks the
# table that the device dump's STRTAB_BASE and _CFG describe, its stores
# undone: SID sid_net's STE as the snapshot has it, or not reached as in
# the table the crashed kernel left.  If the rig's fault injection changed
# STRTAB_BASE_CFG after the snapshot, the table that value describes is
# the one read, or the value is refused as reserved.
regs_o_check() {
	local sec name why want st=0
	sec=$(section "$out" regs-o)
	if [ "$dd_regs" != "$regs_base $regs_cfg" ]; then
		name="crash: smmu: $1: the device dump's STRTAB_BASE/_CFG ${dd_regs/ /\/}, not the snapshot's (the rig changed them), are the ones read"
		if [ "$dd_strtab" = reserved ]; then
			printf '%s\n' "$sec" | grep -q "^smmu: -r: reserved STRTAB_BASE_CFG 0x${dd_regs#* }\$" || st=1
		else
			printf '%s\n' "$sec" | grep -Fxq "STRTAB: $dd_strtab, from the device dump's registers" || st=1
		fi
		check "$st" "$name" "$dd_strtab" "$sec"
		return
	fi
	name="crash: smmu: $1: from the device dump's STRTAB_BASE, its stores undone, SID $sid_net's STE equals the QMP snapshot"
	why=$(unreachable "$sid_net" table)
	[ -n "$why" ] && name="crash: smmu: $1: from the device dump's STRTAB_BASE, its stores undone, SID $sid_net's STE is not reached, as in the table the crashed kernel left ($why)"
	want=$(cut -d' ' -f2- "$scratch/ste-$sid_net")
	if ste_shown "$sid_net" table "$sec"; then
		check 0 "$name"
	else
		check 1 "$name" "snapshot: $want" "$sec"
	fi
}

# expect_lines FILE TEXT: the EREs of FILE that match no line of TEXT
expect_lines() {
	local re
	while IFS= read -r re; do
		printf '%s\n' "$2" | grep -Eq -- "$re" || printf 'missing: %s\n' "$re"
	done <"$1"
}

nwalks=4

# rmap_check SECTION_PREFIX MODE: "smmu -p PA" (section PREFIX$i) lists SID
# and IOVA of each of the first nwalks translations QEMU made; a translation
# the dying kernel could still undo and that no longer walks is skipped, and
# so is one whose STE "smmu" cannot reach walking as MODE says (see reach in
# e2e_truth.py)
rmap_check() {
	local i=0 sid iova pa perm stage late sec name row
	while read -r sid iova pa perm stage late; do
		[ "$i" -lt "$nwalks" ] || break
		name="crash: smmu: reverse lookup of pa 0x$pa finds SID 0x$sid iova 0x$iova (QEMU's stage $stage translation)"
		sec=$(section "$out" "$1$i")
		row=$(printf '%s\n' "$sec" |
			awk -v s="0x$sid" -v v="$iova" -v p="$pa" \
				'$1 == s && $3 == v && $5 == p' | head -n 1)
		if [ -n "$(unreachable "0x$sid" "$2")" ]; then
			skip "$name" "SID 0x$sid not reached: $(unreachable "0x$sid" "$2")"
		elif [ -n "$row" ] && printf '%s\n' "$sec" |
			grep -q '^ *SID  *SSID  *IOVA  *IPA  *PA  *SIZE  *PERM  *CONFIG  *DEVICE  *NOTE$'; then
			check 0 "$name ($(echo "$row" | awk '{ print $6, $7, $8 }'))"
		elif [ "$late" = 0 ] && printf '%s\n' "$sec" | grep -q '^[0-9][0-9]* mappings\{0,1\} of ' &&
			! printf '%s\n' "$sec" | awk -v s="0x$sid" '$1 == s { f = 1 } END { exit !f }'; then
			skip "$name" "unmapped between QEMU's access and the crash"
		else
			check 1 "$name" "$sec"
		fi
		i=$((i + 1))
	done <"$scratch/pairs"
	while [ "$i" -lt "$nwalks" ]; do
		skip "crash: smmu: reverse lookup $i" "not enough translations in the trace"
		i=$((i + 1))
	done
}

# smmu_block TEXT MMIO: what TEXT (smmu's output for one or more SMMUs)
# shows for the SMMU at MMIO, without its header line and the closing note
smmu_block() {
	printf '%s\n' "$1" | awk -v h="^SMMU [0-9]+: -  MMIO: $2  " '
		/^SMMU / { on = ($0 ~ h); next }
		/^\(memory shown as/ || /^$/ { next }
		on'
}

# two_smmus: without debug info an SMMU is known by its device dump.  A copy
# of the dump with a second one for an SMMU at 0x9060000 (the run's
# registers, no stores, no streams), as a machine with two SMMUv3s leaves:
# -d -i shows the one picked; -o -r walks each SMMU from its own registers
# and undoes its own stores only (the second's walk is memory as it is, as
# "smmu -r" shows it on the run's dump); -i -o -r the one picked.
two_smmus() {
	local sec o_ref plain_ref name st

	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
s.update(name="arm-smmu-v3.9060000", smmu_base=0x9060000, writes=[],
         states=[], simulated=[], streams=[], events=[])
json.dump(s, open(sys.argv[2], "w"))' "$scratch/real.json" "$scratch/second.json"
	$tool devdump "$scratch/second.json" "$scratch/second.note"
	$tool add-note "$run/vmcore" "$scratch/vmcore.two" --note "$scratch/second.note"
	{
		mark two-d
		echo "smmu -d -i 9060000"
		mark two-r
		echo "smmu -o -r -s $sid_net"
		mark two-i
		echo "smmu -i 9060000 -o -r -s $sid_net"
		mark end
	} | run_crash "$scratch/two.out" "$scratch/vmcore.two" --minimal
	o_ref=$(smmu_block "$(section "$out" regs-o)" 9050000)
	plain_ref=$(smmu_block "$(section "$out" regs-as-is)" 9050000)

	sec=$(section "$scratch/two.out" two-d)
	name="crash: smmu: two SMMUs' device dumps (--minimal): -d -i 9060000 shows that SMMU's alone"
	if [ "$(printf '%s\n' "$sec" | grep -c '^DEVICE DUMP: ')" = 1 ] &&
		printf '%s\n' "$sec" | grep -q '^DEVICE DUMP: arm-smmu-v3.9060000  version 1' &&
		printf '%s\n' "$sec" | grep -Eq '^SMMU [0-9]+: -  MMIO: 9060000  '; then
		check 0 "$name"
	else
		check 1 "$name" "$sec"
	fi

	sec=$(section "$scratch/two.out" two-r)
	name="crash: smmu: two SMMUs' device dumps (--minimal): -o -r -s $sid_net walks each SMMU from its own registers, undoing its own stores only"
	st=0
	[ -n "$o_ref" ] && [ -n "$plain_ref" ] || st=1
	[ "$(smmu_block "$sec" 9050000)" = "$o_ref" ] || st=1
	[ "$(smmu_block "$sec" 9060000)" = "$plain_ref" ] || st=1
	check "$st" "$name" "$sec"

	sec=$(section "$scratch/two.out" two-i)
	name="crash: smmu: two SMMUs' device dumps (--minimal): -i 9060000 -o -r -s $sid_net walks that SMMU's alone"
	if [ "$(printf '%s\n' "$sec" | grep -c '^SMMU ')" = 1 ] &&
		[ -n "$plain_ref" ] && [ "$(smmu_block "$sec" 9060000)" = "$plain_ref" ]; then
		check 0 "$name"
	else
		check 1 "$name" "$sec"
	fi
	rm -f "$scratch/vmcore.two"
}

# ---- minimal mode only (-m) -------------------------------------------------

if [ "$minimal" = 1 ]; then
	ktap_set_plan $((12 + 2 * nwalks + 5 * has_dd))
	kver=$(cat "$(dirname "$vmlinux")/version" 2>/dev/null || echo "?")
	diag "crash --minimal only (kernel $kver): the stream table from the" \
		"snapshot's STRTAB_BASE $regs_base/_CFG $regs_cfg, $n_l1diff L1" \
		"descriptors differ from the snapshot, device dump: ${dd_name:-none}"
	oflag=""
	[ "$has_dd" = 1 ] && oflag="-o "
	T="-T $regs_base:$regs_cfg"
	{
		mark nodebug
		echo "smmu"
		for sid in $sid_dump $sid_data $sid_net; do
			mark "ste-$sid"
			echo "smmu $oflag$T -s $sid"
		done
		i=0
		while read -r sid iova pa perm stage late; do
			[ "$i" -lt "$nwalks" ] || break
			mark "walk-$i"
			echo "smmu $oflag$T -s 0x$sid -t $iova"
			mark "rmap-$i"
			echo "smmu $oflag$T -p $pa"
			i=$((i + 1))
		done <"$scratch/pairs"
		i=0
		while read -r sid iova pa perm stage late; do
			[ "0x$sid" = "$sid_net" ] || continue
			mark "rd-$i"
			printf 'rd -p -a %x 24\n' $((0x$pa + 26))
			i=$((i + 1))
		done <"$scratch/pairs"
		mark all
		echo "smmu $oflag$T -a"
		mark unaligned
		echo "smmu $oflag-T $unaligned:$regs_cfg -s $sid_net"
		mark devdump
		echo "smmu -d"
		mark filtered
		echo "smmu -T ${bench_base#0x}:10210 -s 0x5"
		mark filtered-linear
		echo "smmu -T ${bench_base#0x}:10 -a"
		mark usage
		usage_cmds
		if [ "$has_dd" = 1 ]; then
			mark regs-o
			echo "smmu -o -r -s $sid_net"
			mark regs-as-is
			echo "smmu -r -s $sid_net"
		fi
		mark end
	} | run_crash "$scratch/minimal.out" "$run/vmcore" --minimal
	out="$scratch/minimal.out"

	skip "crash: smmu: full mode (list, driver state, -s/-a from the driver's l2ptrs[], CD checks, ELF and kdump copies)" \
		"crash 9.0.2 cannot open a Linux $kver dump with debug info; --minimal only"
	if grep -q "smmu.so: shared object loaded" "$out"; then
		check 0 "crash: smmu: extension loads into $("$crash" --version 2>/dev/null | grep -m1 '^crash ') --minimal"
	else
		check 1 "crash: smmu: extension loads into crash --minimal" "$(head -n 20 "$out")"
	fi
	sec=$(section "$out" nodebug)
	st=0
	printf '%s\n' "$sec" | grep -q '^smmu: no debug info in --minimal mode' || st=1
	check "$st" "crash: smmu: without debug info (--minimal) a clear error" "$sec"

	for sid in $sid_dump $sid_data $sid_net; do
		name="crash: smmu: ${oflag}-T: STE of SID $sid from STRTAB_BASE/_CFG equals the QMP snapshot"
		why=$(unreachable "$sid" table)
		[ -n "$why" ] && name="crash: smmu: ${oflag}-T: STE of SID $sid is not reached, as in the table the crashed kernel left ($why)"
		if [ ! -s "$scratch/ste-$sid" ]; then
			skip "$name" "SID $sid not in the snapshot"
			continue
		fi
		sec=$(section "$out" "ste-$sid")
		if ste_shown "$sid" table "$sec"; then
			check 0 "$name"
		else
			check 1 "$name" "snapshot: $(cut -d' ' -f2- "$scratch/ste-$sid")" "$sec"
		fi
	done

	unaligned_check "$(section "$out" unaligned)"

	i=0
	while read -r sid iova pa perm stage late; do
		[ "$i" -lt "$nwalks" ] || break
		name="crash: smmu: ${oflag}-T: stage $stage IOVA walk for SID 0x$sid iova 0x$iova lands on QEMU's translated address"
		sec=$(section "$out" "walk-$i")
		got=$(printf '%s\n' "$sec" | sed -n 's/^  TRANSLATION: iova [0-9a-f]* -> pa \([0-9a-f]*\) .*/\1/p')
		cfg=$(printf '%s\n' "$sec" | sed -n 's/.*CONFIG: \([a-z0-9-]*\).*/\1/p' | head -n 1)
		if [ -n "$(unreachable "0x$sid" table)" ]; then
			skip "$name" "SID 0x$sid not reached from STRTAB_BASE: $(unreachable "0x$sid" table)"
		elif [ "$got" = "$pa" ] && [ "$(stage_of "$cfg")" = "$stage" ]; then
			check 0 "$name"
		elif [ "$late" = 0 ] && printf '%s\n' "$sec" | grep -q 'faults: translation fault'; then
			skip "$name" "unmapped between QEMU's access and the crash"
		else
			check 1 "$name" "QEMU: 0x$iova -> 0x$pa (stage $stage)" "$sec"
		fi
		i=$((i + 1))
	done <"$scratch/pairs"
	while [ "$i" -lt "$nwalks" ]; do
		skip "crash: smmu: IOVA walk $i" "not enough translations in the trace"
		i=$((i + 1))
	done

	name="crash: smmu: rd -p of a translated rx buffer (+26: virtio-net and Ethernet headers) shows the RIG-FLOOD frame"
	hit=$(awk '/^#### rd-/ { on = 1; next } /^#### / { on = 0 } on' "$out" |
		grep -m1 -E 'RIG-FLOOD [0-9]{8}' || true)
	if [ -n "$hit" ]; then
		check 0 "$name ($(echo "$hit" | grep -oE 'RIG-FLOOD [0-9]{8}'))"
	elif ! grep -q "^${sid_net#0x} " "$scratch/pairs"; then
		skip "$name" "no translation for SID $sid_net in the window"
	else
		check 1 "$name" "$(awk '/^#### rd-/,0' "$out" | head -n 20)"
	fi

	name="crash: smmu: ${oflag}-T -a lists the translating STEs of the QMP snapshot that a walk from STRTAB_BASE reaches"
	got=$(section "$out" all | awk '$1 ~ /^0x/ { print $1, $3 }' | sort)
	want=$(sort "$scratch/valid")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		check 0 "$name ($(wc -l <"$scratch/valid") STEs)"
	else
		check 1 "$name" "snapshot:" "$want" "smmu -a:" "$got"
	fi

	sec=$(section "$out" devdump)
	if [ "$has_dd" = 1 ]; then
		name="crash: smmu: -d (--minimal): the crash kernel's device dump $dd_name is decoded as the oracle's parser reads it"
		miss=$(expect_lines "$scratch/real.expect" "$sec")
		if [ -z "$miss" ] && [ "$(printf '%s\n' "$sec" | grep -c '^DEVICE DUMP: ')" = 1 ]; then
			check 0 "$name ($(wc -l <"$scratch/real.expect") lines)"
		else
			check 1 "$name" "$miss" "$sec"
		fi
		name="crash: smmu: -d (--minimal): the decisions for SIDs $sid_dump, $sid_data, $sid_net agree with QEMU's trace and their STE0 with the QMP snapshot"
		if [ $((dd_flags & 2)) = 0 ]; then
			skip "$name" "the crash kernel did not adopt the stream table (flags $dd_flags): no decisions"
		else
			decisions_check "$name" "$sec"
		fi
		regs_o_check "-o -r (--minimal)"
	else
		st=0
		printf '%s\n' "$sec" | grep -q 'smmu: no device dump in this vmcore' || st=1
		check "$st" "crash: smmu: -d (--minimal): \"no device dump in this vmcore\"" "$sec"
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

	usage_check "$(section "$out" usage)"

	rmap_check rmap- "$walk_mode"
	[ "$has_dd" = 1 ] && two_smmus
	ktap_finished
fi

ktap_set_plan $((33 + 2 * nwalks + 5 * has_dd))
if [ "$has_dd" = 1 ]; then
	diag "a project dump: device dump $dd_name (flags $dd_flags) with $dd_nwrites stores;" \
		"$n_l1diff L1 descriptors differ from the snapshot; STEs and walks are read with -o"
else
	diag "a dump without a device dump; $n_l1diff L1 descriptors differ from the snapshot"
fi

# ---- the dump as saved -----------------------------------------------------

{
	mark list
	echo "smmu"
	# with -o too: a dump that carries the crash kernel's device dump
	# shows the crashed kernel's tables once its stores are undone
	for sid in $sid_dump $sid_data $sid_net; do
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
		mark "rmap-$i"
		echo "smmu -p $pa"
		mark "rmap-o-$i"
		echo "smmu -o -p $pa"
		i=$((i + 1))
	done <"$scratch/pairs"
	i=0
	while read -r sid iova pa perm stage late; do
		[ "0x$sid" = "$sid_net" ] || continue
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
	usage_cmds
	mark sel-pci
	echo "smmu -s $pci_net"
	mark sel-pci-short
	echo "smmu -s ${pci_net#0000:}"
	mark sel-netdev
	echo "smmu -s eth0"
	mark sel-index
	echo "smmu -i 0 -s $sid_net"
	mark rmap-no-ste
	echo "smmu -p 40000000 -s 0xff00"
	if [ "$has_dd" = 1 ]; then
		mark regs-o
		echo "smmu -o -r -s $sid_net"
	fi
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
[ "$has_dd" = 1 ] && o="o-"
# A linear run's driver state still describes the 2-level table the rig
# re-based the SMMU away from: with debug info the list shows the driver's
# table and names the snapshot's, from the device dump's registers, on an
# AT THE CRASH line; otherwise the snapshot's table is the list's and no
# such line is written.
want="STRTAB: [a-z0-9-]* $strtab_pa "
rebased=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1])).get("linear", {}).get("ok", False)))' \
	"$run/run.json" 2>/dev/null || echo 0)
[ "$rebased" = 1 ] && [ "$minimal" = 0 ] && [ "$has_dd" = 1 ] &&
	want="AT THE CRASH: linear $strtab_pa "
name="crash: smmu: lists the SMMU and its stream table at the snapshot's STRTAB_BASE $strtab_pa"
# (the platform device: named after its device-tree node, or by ACPI's IORT)
if printf '%s\n' "$sec" | grep -Eq '^SMMU 0: [0-9a-f]+  DEVICE: ([0-9a-f]+\.smmuv3|arm-smmu-v3\.[0-9]+\.auto)  MMIO: [0-9a-f]+$' &&
	printf '%s\n' "$sec" | grep -q "$want" &&
	{ [ "${want#AT}" != "$want" ] || ! printf '%s\n' "$sec" | grep -q "AT THE CRASH"; }; then
	check 0 "$name"
else
	check 1 "$name" "$sec"
fi

name="crash: smmu: the list names the device dump the oracle's reader finds in the vmcore (${dd_name:-none})"
if printf '%s\n' "$sec" | grep -qx "  DEVICE DUMP: ${dd_name:-none}"; then
	check 0 "$name"
else
	check 1 "$name" "$(printf '%s\n' "$sec" | grep 'DEVICE DUMP' || echo 'no DEVICE DUMP line')"
fi

for sid in $sid_dump $sid_data $sid_net; do
	name="crash: smmu: STE of SID $sid equals the QMP snapshot"
	why=$(unreachable "$sid" driver)
	[ -n "$why" ] && name="crash: smmu: STE of SID $sid is not reached, as in the table the crashed kernel left ($why)"
	[ "$has_dd" = 1 ] && name="$name (-o: the device dump's stores undone)"
	if [ ! -s "$scratch/ste-$sid" ]; then
		skip "$name" "SID $sid not in the snapshot"
		continue
	fi
	want=$(cut -d' ' -f2- "$scratch/ste-$sid")
	sec=$(section "$out" "ste-$o$sid")
	got=$(printf '%s\n' "$sec" | ste_words)
	if ste_shown "$sid" driver "$sec"; then
		check 0 "$name"
	else
		check 1 "$name" "snapshot: $want" "smmu -s:  $got" "$sec"
	fi
done

# CD of the NIC's stage-1 STE, at the snapshot's S1ContextPtr
name="crash: smmu: CD of the stage-1 STE of SID $sid_net is decoded"
w0=$(cut -d' ' -f2 "$scratch/ste-$sid_net")
if [ -z "$w0" ] || [ $(((0x$w0 >> 1) & 5)) != 5 ]; then
	skip "$name" "SID $sid_net has no stage-1 STE in this run"
elif [ -n "$(unreachable "$sid_net" driver)" ]; then
	skip "$name" "SID $sid_net's STE is not reached: $(unreachable "$sid_net" driver)"
else
	ctx=$(printf '%x' $((0x$w0 & 0x000fffffffffffc0)))
	sec=$(section "$out" "ste-${o}$sid_net")
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
	when=$([ "$late" = 1 ] && echo "after the dying kernel stopped its CPUs" || echo "while the dying kernel could still unmap")
	name="crash: smmu: stage $stage IOVA walk for SID 0x$sid iova 0x$iova lands on QEMU's translated address"
	sec=$(section "$out" "walk-$o$i")
	got=$(printf '%s\n' "$sec" | sed -n 's/^  TRANSLATION: iova [0-9a-f]* -> pa \([0-9a-f]*\) .*/\1/p')
	cfg=$(printf '%s\n' "$sec" | sed -n 's/.*CONFIG: \([a-z0-9-]*\).*/\1/p' | head -n 1)
	if [ "$got" = "$pa" ] && [ "$(stage_of "$cfg")" = "$stage" ]; then
		check 0 "$name"
	elif [ "$late" = 0 ] && printf '%s\n' "$sec" | grep -q 'faults: translation fault'; then
		# until it has stopped its CPUs the dying kernel can still unmap it
		skip "$name" "unmapped between QEMU's access ($when) and the crash"
	else
		check 1 "$name" "QEMU ($when): 0x$iova -> 0x$pa (stage $stage)" "$sec"
	fi
	i=$((i + 1))
done <"$scratch/pairs"
while [ "$i" -lt "$nwalks" ]; do
	skip "crash: smmu: IOVA walk $i" "not enough translations in the trace"
	i=$((i + 1))
done

name="crash: smmu: rd -p of a translated rx buffer (+26: virtio-net and Ethernet headers) shows the RIG-FLOOD frame"
hit=$(awk '/^#### rd-/ { on = 1; next } /^#### / { on = 0 } on' "$out" |
	grep -m1 -E 'RIG-FLOOD [0-9]{8}' || true)
if [ -n "$hit" ]; then
	check 0 "$name ($(echo "$hit" | grep -oE 'RIG-FLOOD [0-9]{8}'))"
elif ! grep -q "^${sid_net#0x} " "$scratch/pairs"; then
	skip "$name" "no translation for SID $sid_net in the window"
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
if [ "$has_dd" = 1 ]; then
	# every field of the device dump as the oracle's parser
	# (tests/oracle/devdump.py) reads it, and each store's state in the
	# dump as the oracle's dump reader sees it
	name="$name: the crash kernel's device dump $dd_name is decoded as the oracle's parser reads it"
	miss=$(expect_lines "$scratch/real.expect" "$sec")
	if [ -z "$miss" ] && [ "$(printf '%s\n' "$sec" | grep -c '^DEVICE DUMP: ')" = 1 ]; then
		check 0 "$name ($(wc -l <"$scratch/real.expect") lines)"
	else
		check 1 "$name" "$miss" "$sec"
	fi
	# the same run's -d names the driver's table, as the list's STRTAB
	# line shows it, and only there
	drv=$(section "$out" list | sed -n 's/^  STRTAB: //p' | head -n 1)
	name="crash: smmu: -d names the driver's table only where the list has an AT THE CRASH line"
	if [ "$rebased" = 1 ] && [ "$minimal" = 0 ]; then
		got=$(printf '%s\n' "$sec" | grep -cxF "    (the driver's table in the dump: $drv)" || true)
	else
		got=$(printf '%s\n' "$sec" | grep -c "the driver's table in the dump" || true)
		got=$((1 - got))
	fi
	if [ "$got" = 1 ]; then
		check 0 "$name"
	else
		check 1 "$name" "$sec"
	fi
elif printf '%s\n' "$sec" | grep -q 'smmu: no device dump in this vmcore'; then
	check 0 "$name: \"no device dump in this vmcore\""
else
	check 1 "$name: \"no device dump in this vmcore\"" "$sec"
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

usage_check "$(section "$out" usage)"

# -s by PCI address, short PCI address and network interface: the NIC
# (pci_net, StreamID sid_net)
for how in pci pci-short netdev; do
	sec=$(section "$out" "sel-$how")
	if printf '%s\n' "$sec" | grep -q "^STREAMID: $sid_net  DEVICE: $pci_net\$" &&
		printf '%s\n' "$sec" | grep -q '  V: 1  CONFIG: '; then
		check 0 "crash: smmu: device selection by $how decodes SID $sid_net of $pci_net"
	else
		check 1 "crash: smmu: device selection by $how decodes SID $sid_net of $pci_net" "$sec"
	fi
done

# the list's INDEX column: one token per header word, and -i takes it
name="crash: smmu: the list's INDEX column names the SMMU that -i selects"
sec=$(section "$out" list)
idx=$(printf '%s\n' "$sec" | awk 'h && $1 ~ /^[0-9]+$/ { print $1 " " $2; exit }
	$1 == "INDEX" && $2 == "ARM_SMMU_DEVICE" { h = 1 }')
sel=$(section "$out" sel-index)
if [ -n "$idx" ] && printf '%s\n' "$sel" | grep -q "^SMMU ${idx%% *}: ${idx#* }  " &&
	printf '%s\n' "$sel" | grep -q "^STREAMID: $sid_net "; then
	check 0 "$name (INDEX ${idx%% *}: ${idx#* })"
else
	check 1 "$name" "$sec" "$sel"
fi

# a StreamID without an STE (2-level: L1 descriptor 0xff has Span 0 in
# the rig) is nothing to walk, not an STE missing from the dump
name="crash: smmu: -p -s with a StreamID that has no STE counts nothing as not in the dump"
sec=$(section "$out" rmap-no-ste)
if [ -z "$l1_net_pa" ]; then
	skip "$name" "not a 2-level stream table"
elif printf '%s\n' "$sec" | grep -q '^0 mappings of 40000000: 0 valid STEs, 0 CDs, 0 tables read$'; then
	check 0 "$name"
else
	check 1 "$name" "$sec"
fi

o=""
[ "$has_dd" = 1 ] && o="o-"
rmap_check "rmap-$o" "$walk_mode"

# ---- the crash kernel's device dump against the snapshot, dump and trace -----

if [ "$has_dd" = 1 ]; then
	sec=$(section "$out" devdump)

	name="crash: smmu: -d: the decisions for SIDs $sid_dump, $sid_data, $sid_net agree with QEMU's trace and their STE0 with the QMP snapshot"
	if [ $((dd_flags & 2)) = 0 ]; then
		skip "$name" "the crash kernel did not adopt the stream table (flags $dd_flags): no decisions"
	else
		decisions_check "$name" "$sec"
	fi

	name="crash: smmu: -d: each recorded L1STD store has the snapshot's word as OLD, the dump's as NEW and \"new\" as its state"
	if ! grep -q 'L1STD' "$scratch/real.expect"; then
		skip "$name" "the device dump records no L1 store"
	else
		res=0
		why=$(printf '%s\n' "$sec" | $truth check-writes "$run" 2>&1) || res=1
		check "$res" "$name" "$why"
	fi

	name="crash: smmu: -d: every L1 descriptor that differs between the snapshot and the dump is a recorded store"
	res=0
	why=$(printf '%s\n' "$sec" | $truth check-recorded "$run" 2>&1) || res=1
	check "$res" "$name ($n_l1diff differ)" "$why"

	regs_o_check "-o -r"
fi

# ---- no debug info: --minimal ------------------------------------------------

# With a device dump, -o: the L1 descriptors the crash kernel re-pointed
# into its own memory are read with the values it recorded.
oflag=""
[ "$has_dd" = 1 ] && oflag="-o "
{
	mark nodebug
	echo "smmu"
	mark regs
	echo "smmu $oflag-T $regs_base:$regs_cfg -s $sid_net"
	mark unaligned
	echo "smmu $oflag-T $unaligned:$regs_cfg -s $sid_net"
	if [ "$has_dd" = 1 ]; then
		mark devdump
		echo "smmu -d"
	fi
	mark end
} | run_crash "$scratch/minimal.out" "$run/vmcore" --minimal
name="crash: smmu: without debug info (--minimal) a clear error, and ${oflag}-T decodes SID $sid_net from STRTAB_BASE/_CFG"
why=$(unreachable "$sid_net" table)
[ -n "$why" ] && name="$name (not reached, as in the table the crashed kernel left: $why)"
sec=$(section "$scratch/minimal.out" nodebug)
got=$(section "$scratch/minimal.out" regs | ste_words)
want=$(cut -d' ' -f2- "$scratch/ste-$sid_net")
# "smmu -d" needs no debug info: the same stores as with it
wr_full=$(section "$out" devdump | grep -E '^ +[0-9a-f]+  [A-Za-z0-9]+ +[-0-9a-fx]+  [0-9a-f]{16}  ' || true)
wr_min=$(section "$scratch/minimal.out" devdump | grep -E '^ +[0-9a-f]+  [A-Za-z0-9]+ +[-0-9a-fx]+  [0-9a-f]{16}  ' || true)
[ "$has_dd" = 1 ] && name="$name; -d lists the same stores"
if printf '%s\n' "$sec" | grep -q '^smmu: no debug info in --minimal mode' &&
	ste_shown "$sid_net" table "$(section "$scratch/minimal.out" regs)" &&
	{ [ "$has_dd" = 0 ] || { [ "$wr_min" = "$wr_full" ] &&
		section "$scratch/minimal.out" devdump | grep -q "^DEVICE DUMP: $dd_name  version 1"; }; }; then
	check 0 "$name"
else
	check 1 "$name" "snapshot: $want" "$(cat "$scratch/minimal.out")"
fi
unaligned_check "$(section "$scratch/minimal.out" unaligned)"

# ---- copies: plain ELF, device dumps, a full 64K stream table ----------------

# The crash kernel's device dump as the kernel side writes it (layout of
# crash-extension/smmu-devdump.h).  On a dump without one: registers from
# the QMP snapshot, the data disk's STE aborted and the L1 descriptor of the
# dump disk's span pointed at crash-kernel memory (as an adopting crash kernel
# may do), and two events pending (EVTQ_CONS 0, EVTQ_PROD 2 of the queue at
# the snapshot's EVTQ_BASE).  On a dump with one: that device dump, plus
# those two stores where the crash kernel left the words alone (it does
# not write STEs of the old table; it may have re-pointed the L1
# descriptor already).  The ELF copy has the simulated stores applied and
# the two events stored in the queue (--events: the device dump has no
# events, "smmu -d" reads them from the dump's memory), the
# kdump-compressed copy does not (as with the stores): there the
# queue's slots are as the run's dump holds them.  Both carry the one
# device dump (the run's own is replaced).
$truth devspec "$run" "$scratch/devdump.json" >"$scratch/pokes"
read -r _ poke_pa poke_val < <(grep '^STE ' "$scratch/pokes") || true
read -r _ l1_pa l1_val < <(grep '^L1STD ' "$scratch/pokes") || true
pokes=()
while read -r _ pa val; do
	pokes+=(--poke "$pa:$val")
done <"$scratch/pokes"
replace=()
[ "$has_dd" = 1 ] && replace=(--replace)
$truth ddexpect "$scratch/devdump.json" elf >"$scratch/elf.expect"
$truth ddexpect "$scratch/devdump.json" kdump >"$scratch/kdump.expect"
$tool devdump "$scratch/devdump.json" "$scratch/devdump.note"
$tool mkstrtab "$bench_base" "$scratch/strtab64k.bin"
$tool to-elf "$run/vmcore" "$scratch/vmcore.elf" --note "$scratch/devdump.note" \
	"${replace[@]}" "${pokes[@]}" --events "$scratch/devdump.json" \
	--poke-file "${bench_base#0x}:$scratch/strtab64k.bin"
$tool add-note "$run/vmcore" "$scratch/vmcore.kdump" --note "$scratch/devdump.note" \
	"${replace[@]}"

# The L1 descriptor of the dump disk's StreamID in the ELF copy: simulated or as dumped
if [ -n "$l1_pa" ]; then
	read -r l1_dump_pa _ l1_dump_val l1_dump_held < <($truth l1 "$run" "$sid_dump" "$l1_val") || true
else
	read -r l1_dump_pa _ l1_dump_val l1_dump_held < <($truth l1 "$run" "$sid_dump" 2>/dev/null) || true
fi
n_sim_l1=0
[ -n "$l1_pa" ] && n_sim_l1=1

# the SMMU and the StreamIDs of its streams tree, as the dump has them
smmu_addr=$(section "$scratch/main.out" list |
	sed -n 's/^SMMU 0: \([0-9a-f]*\)  DEVICE: .*/\1/p')
nmasters=$(section "$scratch/main.out" list |
	sed -n 's/^  MASTERS: \([0-9]*\) StreamIDs\{0,1\} in .*/\1/p')

# a walk in the copy: not for the data disk if the copy aborts it
read -r sid1 iova1 pa1 perm1 stage1 late1 < <(awk -v p="$poke_pa" -v s="${sid_data#0x}" '
	p == "" || $1 != s { print; exit }' "$scratch/pairs") || true
{
	mark ste
	echo "smmu -s $sid_net"
	mark walk
	[ -n "$sid1" ] && echo "smmu -s 0x$sid1 -t $iova1"
	mark devdump
	echo "smmu -d"
	mark abort
	echo "smmu -s $sid_data"
	mark undo
	echo "smmu -s $sid_data -o"
	mark regs
	echo "smmu -r -s $sid_net"
	mark regs-o
	echo "smmu -o -r -s $sid_net"
	mark list
	echo "smmu"
	mark l1
	echo "smmu -s $sid_dump"
	mark l1-as-is
	echo "smmu -T $regs_base:$regs_cfg -s $sid_dump"
	mark bench-start
	echo "smmu -T ${bench_base#0x}:10210 -a"
	mark bench-end
	if [ -n "$smmu_addr" ]; then
		mark streams-root
		echo "struct arm_smmu_device.streams $smmu_addr"
	fi
	mark iommu-list
	echo "p iommu_device_list"
	mark end
} | run_crash "$scratch/elf.out" "$scratch/vmcore.elf"
out="$scratch/elf.out"

name="crash: smmu: ELF vmcore (the format of a plain /proc/vmcore copy): STE of SID $sid_net and an IOVA walk match"
walk=$(section "$out" walk | sed -n 's/^  TRANSLATION: iova [0-9a-f]* -> pa \([0-9a-f]*\) .*/\1/p')
if ste_shown "$sid_net" driver "$(section "$out" ste)" && { [ -z "$sid1" ] || [ "$walk" = "$pa1" ]; }; then
	check 0 "$name"
else
	check 1 "$name" "$(section "$out" ste)" "$(section "$out" walk)"
fi

name="crash: smmu: -d decodes a device dump note (registers, decisions, stores, events)"
[ "$has_dd" = 1 ] && name="$name: the crash kernel's, with simulated stores added"
sec=$(section "$out" devdump)
miss=$(expect_lines "$scratch/elf.expect" "$sec")
if [ -z "$miss" ] &&
	[ "$(printf '%s\n' "$sec" | grep -c '^DEVICE DUMP: ')" = 1 ] &&
	printf '%s\n' "$sec" | grep -q '^DEVICE DUMP: arm-smmu-v3.9050000  version 1' &&
	printf '%s\n' "$sec" | grep -Eq "STRTAB_BASE +0x$regs_base\$" &&
	printf '%s\n' "$sec" | grep -q 'CR0 .*(SMMUEN|EVTQEN|CMDQEN)' &&
	{ [ "$has_dd" = 1 ] || {
		printf '%s\n' "$sec" | grep -Eq "$sid_data  aborted +not-in-keep-list" &&
		printf '%s\n' "$sec" | grep -Eq " +$poke_pa  STE +$sid_data .* new$" &&
		{ [ -z "$l1_pa" ] || printf '%s\n' "$sec" | grep -Eq " +$l1_pa  L1STD +- .* new$"; } &&
		printf '%s\n' "$sec" | grep -q 'event queue: 2 entries pending' &&
		printf '%s\n' "$sec" | grep -q "F_TRANSLATION (0x10)  SID: $sid_net"; }; }; then
	check 0 "$name"
else
	check 1 "$name" "$miss" "$sec"
fi

# -r without -o shows the table as the dump holds it: through the L1
# descriptor the crash kernel re-pointed, if it did, else the crashed
# kernel's STE
name="crash: smmu: -o undoes the crash kernel's recorded stores, -r walks STRTAB_BASE from the device dump"
abort=$(section "$out" abort | ste_words)
undo=$(section "$out" undo | ste_words)
regs=$(section "$out" regs | ste_words)
regs_o=$(section "$out" regs-o | ste_words)
want_data=$(cut -d' ' -f2- "$scratch/ste-$sid_data")
if [ -n "$l1_net_pa" ] && [ "$l1_net_snap" != "$l1_net_dump" ]; then
	name="$name (SID $sid_net's L1 descriptor re-pointed to ${l1_net_dump#00000000})"
	section "$out" regs | grep -q "^  L1 DESCRIPTOR: $l1_net_pa => $l1_net_dump " &&
		regs_ok=1 || regs_ok=0
else
	ste_shown "$sid_net" table "$(section "$out" regs)" && regs_ok=1 || regs_ok=0
fi
if [ -z "$poke_pa" ]; then
	skip "$name" "the crash kernel changed SID $sid_data's STE in the old table: no store simulated"
elif [ "${abort%% *}" = "0000000000000001" ] && [ "$undo" = "$want_data" ] &&
	[ "$regs_ok" = 1 ] && ste_shown "$sid_net" table "$(section "$out" regs-o)"; then
	check 0 "$name"
else
	check 1 "$name" "as dumped: $abort" "with -o:   $undo" "snapshot:  $want_data" \
		"snapshot ($sid_net):       $want" \
		"with -r ($sid_net):        $regs" "with -o -r ($sid_net):     $regs_o" \
		"$(section "$out" regs)"
fi

# The L1 descriptors that do not point where the driver's l2ptrs[] do: the
# crash kernel's (counted from the snapshot and the dump) and the simulated
# one
n_l1=$((n_rewritten + n_sim_l1))
# and those the rig's fault injection changed before the crash, which no
# store of the device dump records (but the simulated one's)
n_damaged=$(awk -v p="$l1_pa" '$1 == "damaged" && $2 != p' "$scratch/state" | wc -l)
damaged_counted() {
	if [ "$n_damaged" = 0 ]; then
		if section "$out" list | grep -q "^  L1 DAMAGED: "; then
			return 1
		fi
	else
		section "$out" list | grep -Eq "^  L1 DAMAGED: $n_damaged L1 descriptors? "
	fi
}
name="crash: smmu: L1 descriptors rewritten after the crash ($n_l1) are flagged, those changed before it ($n_damaged) told apart, and the driver's l2ptrs[] still find SID $sid_dump's STE"
got=$(section "$out" l1 | ste_words)
l2=$(printf '%x' $((0x${l1_dump_val:-0} & 0x0000ffffffffffc0)))
if [ -z "$l1_dump_pa" ]; then
	skip "$name" "not a 2-level stream table"
elif [ "$n_l1" = 0 ]; then
	skip "$name" "no L1 descriptor rewritten (not split 8?)"
elif section "$out" list | grep -Eq "^  L1 REWRITTEN: $n_l1 L1 descriptors? " &&
	damaged_counted &&
	section "$out" l1 | grep -q "rewritten after the crash" &&
	ste_shown "$sid_dump" driver "$(section "$out" l1)" &&
	section "$out" l1-as-is | grep -q "^  L1 DESCRIPTOR: $l1_dump_pa => $l1_dump_val " &&
	{ [ "$l1_dump_held" = 1 ] ||
		section "$out" l1-as-is | grep -q "STE at $l2: not in the dump"; }; then
	check 0 "$name"
else
	check 1 "$name" "$(section "$out" list | grep -A2 L1)" "$(section "$out" l1)" \
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
miss=$(expect_lines "$scratch/kdump.expect" "$sec")
if section "$scratch/kdump.out" list | grep -q 'DEVICE DUMP: arm-smmu-v3.9050000' &&
	[ -z "$miss" ] && [ "$(printf '%s\n' "$sec" | grep -c '^DEVICE DUMP: ')" = 1 ] &&
	{ [ -z "$poke_pa" ] || printf '%s\n' "$sec" | grep -Eq " +$poke_pa  STE +$sid_data .* old$"; }; then
	check 0 "$name"
else
	check 1 "$name" "$miss" "$(cat "$scratch/kdump.out")"
fi

# ---- an unusable device dump -------------------------------------------------

# The copy's device dump with a version no reader knows, in place of the
# run's own: it is there but does not parse, and each command that would
# use it says so, rather than that there is no device dump (-d says it
# too; the list, -o and -r are checked here, with and without debug info)
python3 -c '
import json, sys
spec = json.load(open(sys.argv[1]))
spec["version"] = 99
json.dump(spec, open(sys.argv[2], "w"))
print(spec["name"])' "$scratch/devdump.json" "$scratch/baddd.json" >"$scratch/baddd.name"
bad_name=$(cat "$scratch/baddd.name")
bad_why="unusable: unsupported version 99 (this parser knows 1)"
$tool devdump "$scratch/baddd.json" "$scratch/baddd.note"
$tool add-note "$run/vmcore" "$scratch/vmcore.baddd" --note "$scratch/baddd.note" \
	--replace
{
	mark list
	echo "smmu"
	mark undo
	echo "smmu -o -s $sid_net"
	mark regs
	echo "smmu -r -s $sid_net"
	mark end
} | run_crash "$scratch/baddd.out" "$scratch/vmcore.baddd"
{
	mark regs
	echo "smmu -r -s $sid_net"
	mark undo
	echo "smmu -o -T $regs_base:$regs_cfg -s $sid_net"
	mark end
} | run_crash "$scratch/baddd-min.out" "$scratch/vmcore.baddd" --minimal
out="$scratch/baddd.out"
name="crash: smmu: a device dump that does not parse is named unusable, with why, in the list and by -o and -r"
if section "$out" list | grep -qxF "  DEVICE DUMP: $bad_name  $bad_why" &&
	section "$out" undo | grep -qxF "smmu: -o: device dump $bad_name $bad_why" &&
	section "$out" regs | grep -qxF "smmu: -r: device dump $bad_name $bad_why"; then
	check 0 "$name"
else
	check 1 "$name" "$(section "$out" list | grep 'DEVICE DUMP' || echo 'no DEVICE DUMP line')" \
		"$(section "$out" undo)" "$(section "$out" regs)"
fi
out="$scratch/baddd-min.out"
name="crash: smmu: --minimal: -r and -o name the device dump that does not parse unusable, with why"
if section "$out" regs | grep -qxF "smmu: -r: device dump $bad_name $bad_why" &&
	section "$out" undo | grep -qxF "smmu: -o: device dump $bad_name $bad_why"; then
	check 0 "$name"
else
	check 1 "$name" "$(section "$out" regs)" "$(section "$out" undo)"
fi

# ---- a damaged streams tree ----------------------------------------------------

# The driver's streams tree is in the crashed kernel's memory, which may be
# damaged: an rb_node pointer that cannot be read or that loops back costs
# the StreamIDs behind it, one line says so, and the command goes on.  The
# ELF copy's top node gets such an rb_left (struct rb_node: 8 bytes in):
# first 0xdead4ead00000000, then its own address.
top=$(section "$scratch/elf.out" streams-root |
	sed -n 's/^ *rb_node = 0x\([0-9a-f]*\)$/\1/p')
# damage HOW SELF WHY_LOOP: the pointer to store for the damage HOW
# ("unreadable", or "loop": SELF, the address of the node it is in), in
# $bad, what smmu says of it in $why, and its name in $what
damage() {
	case "$1" in
	unreadable)
		bad=dead4ead00000000
		why="cannot be read"
		what="cannot be read"
		;;
	loop)
		bad=$2
		why=$3
		what="loops back"
		;;
	esac
}

# damaged_run NAME ADDR MARK CMD: store $bad at ADDR in the ELF copy and
# run "smmu" (section list) and CMD (section MARK) on it; $out is the output
damaged_run() {
	$tool poke "$scratch/vmcore.elf" "$2:$bad" >/dev/null
	{
		mark list
		echo "smmu"
		mark "$3"
		echo "$4"
		mark end
	} | crash_timeout=120 run_crash "$scratch/$1-$how.out" "$scratch/vmcore.elf"
	out="$scratch/$1-$how.out"
}

# tree_damaged NAME OFF: skip NAME without a streams tree of 3 or more
# nodes (returns 1), else store $bad at the top node + OFF (its rb_node's
# address + OFF) in the ELF copy and run "smmu" and "smmu -a": $sec is
# then the list, $k its MASTERS count
tree_damaged() {
	if [ -z "$top" ] || [ "${nmasters:-0}" -lt 3 ]; then
		skip "$1" "no streams tree of 3 or more nodes (${nmasters:-0} StreamIDs, top node ${top:-unknown})"
		return 1
	fi
	damaged_run rb "$(printf '%x' $((0x$top + $2)))" all "smmu -a"
	sec=$(section "$out" list)
	k=$(printf '%s\n' "$sec" | sed -n 's/^  MASTERS: \([0-9]*\) StreamID.*/\1/p')
}

# went_on: "smmu -a" and the rest of the session ran on the damaged copy
went_on() {
	section "$out" all | grep -q ' valid STEs\{0,1\} in ' &&
		grep -q '^#### end ' "$out"
}

# A node whose StreamID is damaged (out of order) costs no other node: the
# ELF copy's top node (struct arm_smmu_stream: u32 id, then the master
# pointer at 8 and the rb_node at 16) gets StreamID 0xffffffff, which the
# rb_node sessions after it keep.
how=order
bad=ffffffff
name="crash: smmu: a streams tree with a StreamID out of order: one line says so, every StreamID is read, the commands go on"
if tree_damaged "$name" -16; then
	if printf '%s\n' "$sec" | grep -q "^smmu: SMMU 0: the driver's streams tree is damaged (1 StreamID out of order): $nmasters StreamIDs read, sorted$" &&
		[ "$k" = "$nmasters" ] && went_on; then
		check 0 "$name ($k of $nmasters StreamIDs read)"
	else
		check 1 "$name" "$(tail -n 30 "$out")"
	fi
fi

for how in unreadable loop; do
	damage "$how" "$top" "loops back"
	name="crash: smmu: a streams tree with an rb_node pointer that $what: one line says so, the StreamIDs behind it are left out, the commands go on"
	tree_damaged "$name" 16 || continue
	if printf '%s\n' "$sec" | grep -q "^smmu: SMMU 0: the driver's streams tree is damaged (rb_node $bad: $why)" &&
		[ -n "$k" ] && [ "$k" -gt 0 ] && [ "$k" -lt "$nmasters" ] &&
		printf '%s\n' "$sec" | grep -q '^  DEVICE DUMP: ' && went_on; then
		check 0 "$name ($k of $nmasters StreamIDs read)"
	else
		check 1 "$name" "$(tail -n 30 "$out")"
	fi
done

# ---- a damaged iommu_device_list ---------------------------------------------

# The SMMUs are found on the IOMMU core's iommu_device_list, also in the
# crashed kernel's memory: a next pointer that cannot be read or that loops
# back costs the entries behind it, one line says so, and the SMMUs before
# it are still decoded.  The ELF copy's first entry gets such a next (struct
# list_head: next, then prev): first 0xdead4ead00000000, then its own
# address (its prev, the list's head, does not point back at it).
first=$(section "$scratch/elf.out" iommu-list |
	sed -n 's/^ *next = 0x\([0-9a-f]*\),$/\1/p')
for how in unreadable loop; do
	damage "$how" "$first" "its prev does not point back"
	name="crash: smmu: an iommu_device_list whose next pointer $what: one line says so, the SMMU before it is decoded, the commands go on"
	if [ -z "$first" ] || [ -z "$smmu_addr" ]; then
		skip "$name" "no entry on iommu_device_list (${first:-none})"
		continue
	fi
	damaged_run list "$first" ste "smmu -s $sid_net"
	sec=$(section "$out" list)
	if printf '%s\n' "$sec" | grep -q "^smmu: iommu_device_list is damaged (list_head $bad: $why): 1 entry read, the rest left out" &&
		printf '%s\n' "$sec" | grep -q "^SMMU 0: $smmu_addr " &&
		ste_shown "$sid_net" driver "$(section "$out" ste)" &&
		grep -q '^#### end ' "$out"; then
		check 0 "$name"
	else
		check 1 "$name" "$(tail -n 30 "$out")"
	fi
done

ktap_finished
