#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every test group, each of which prints KTAP, and end with kselftest's
# "# Totals:" line for the whole run and one "N passed, N failed, N skipped"
# line.  Exit status is non-zero if any test failed or a group could not run.
#
#   tests/run-all.sh [-g GROUP[,GROUP...]]   groups: host kunit e2e (default: all)
#
# Kernel lines (scripts/lib/common.sh: kernel_lines; RIG_LINES="7.2 6.12"
# restricts them): e2e builds the stock kernel of each line and the project
# kernel of each line that has one (its series patches/linux-<kver>/), and
# each scenario runs on its lines (tests/e2e/scenarios.py); kunit runs on
# each project kernel, and host builds each line's arm-smmu-v3-kdump.c.
# E2E_SCENARIOS names scenarios or runs (NAME-LINE); E2E_JOBS is how many
# run at a time (default 2: a QEMU run keeps less than one core busy).

set -e
trap 'echo "run-all: aborting" >&2' ERR
. "$(dirname "$0")/../scripts/lib/common.sh"
# kselftest's KTAP helpers: this unpacks the pristine tree (kselftest_dir)
# that the kexec, crash-unit and host-kdump groups build with
. "$top_dir/tests/lib/ktap.sh"

groups="host,kunit,e2e"
while getopts 'g:h' opt; do
	case "$opt" in
	g) groups="$OPTARG" ;;
	*) sed -n '3,7p' "$0"; exit 1 ;;
	esac
done

runs="${RUNS:-/tmp/arm-smmu-kdump-runs}"
mkdir -p "$runs"
. "$top_dir/tests/lib/group.sh"
group_dir="$runs"
group_results="$runs/results.ktap"
: >"$group_results"

# ran PREFIX - the KTAP, stderr and exit status of a command run in the
# background (PREFIX.out, PREFIX.err, PREFIX.rc), which run_group keeps as
# NAME.ktap and NAME.stderr: the three files go
ran() {
	local rc

	cat "$1.out"
	cat "$1.err" >&2
	rc=$(cat "$1.rc")
	rm -f "$1.out" "$1.err" "$1.rc"
	return "$rc"
}

has() {
	case ",$groups," in *",$1,"*) return 0 ;; esac
	return 1
}

# crash 9.0.2 (gdb included) for the read-backs at the end: built in the
# background at the lowest priority from the start, so that it takes the
# CPU time the groups before leave idle (downloads, the kernels' serial
# link steps, QEMU runs), then waited for.
crash_build=
if has e2e; then
	nice -n 19 bash "$top_dir/scripts/build-crash-extension.sh" \
		>/dev/null 2>"$runs/crash-build.stderr" &
	crash_build=$!
fi

if has host; then
	run_group oracle env PYTHONPATH="$top_dir" python3 -m tests.lib.ktap_unittest oracle \
		"$top_dir/tests/oracle"
	run_group e2e-plan env PYTHONPATH="$top_dir" python3 -m tests.lib.ktap_unittest e2e-plan \
		"$top_dir/tests/e2e"
	if [ -x "$top_dir/tests/kexec/run.sh" ]; then
		run_group kexec "$top_dir/tests/kexec/run.sh"
	fi
	run_group crash-unit bash "$top_dir/tests/crash/run.sh"
	# arm-smmu-v3-kdump.c from each line's patched kernel tree (7.2 and
	# 6.12, or RIG_LINES), built on the host
	# shellcheck disable=SC2086 # RIG_LINES is a list of lines
	run_group host-kdump bash "$top_dir/tests/host/run.sh" ${RIG_LINES:-}
	if [ -x "$top_dir/tests/docs/run.sh" ]; then
		run_group docs "$top_dir/tests/docs/run.sh"
	fi
fi

lines="${RIG_LINES:-$kernel_lines}"
for kver in $lines; do
	case " $kernel_lines " in
	*" $kver "*) ;;
	*) die "RIG_LINES: unknown kernel line '$kver' (known: $kernel_lines)" ;;
	esac
done
kernel_args=()      # run.py --kernel VARIANT-LINE=DIR
project_lines=()    # KVER=DIR of each project kernel
if has kunit || has e2e; then
	log "building kernels and initramfs (cached)"
	for kver in $lines; do
		if has e2e; then
			dir=$(bash "$top_dir/scripts/build-kernel.sh" -k "$kver" -v stock)
			kernel_args+=(--kernel "stock-$kver=$dir")
		fi
		if has_project_kernel "$kver"; then
			dir=$(bash "$top_dir/scripts/build-kernel.sh" -k "$kver" -v project)
			kernel_args+=(--kernel "project-$kver=$dir")
			project_lines+=("$kver=$dir")
		else
			log "Linux $kver has no project kernel yet (no patches/linux-$kver/):" \
				"its project scenarios run on another line"
		fi
	done
	initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")
fi

if has kunit; then
	# Needs the pristine tree the kernel build unpacked.
	run_group kernel-style bash "$top_dir/tests/kernel-style/run.sh"
	for kd in "${project_lines[@]}"; do
		run_group "kunit-${kd%%=*}" bash "$top_dir/tests/kunit/run.sh" \
			-n "kunit ${kd%%=*}" "${kd#*=}/Image"
	done
fi

if has e2e; then
	# shellcheck disable=SC2086 # E2E_SCENARIOS is a list of names
	run_group e2e env PYTHONPATH="$top_dir" python3 -m tests.e2e.run --out "$runs" \
		"${kernel_args[@]}" --lines "${lines// /,}" \
		--initramfs "$initramfs" --jobs "${E2E_JOBS:-2}" ${E2E_SCENARIOS:-}
	# The dumps those runs saved, read back with crash and the smmu
	# extension (each against its own kernel's vmlinux): stock dumps (the
	# crash kernel leaves the old table alone; tests/crash/e2e.sh
	# simulates an L1 rewrite and a device dump on copies) and project
	# dumps (the crash kernel re-pointed the old L1 descriptors and saved
	# a device dump; e2e.sh checks "smmu -d", -o and -r against the QMP
	# snapshot, the dump and QEMU's trace).  Each line's runs: crash
	# 9.0.2 reads 6.12 dumps in full, 7.2 dumps only with --minimal
	# (e2e.sh -m: the checks that need no debug info).  Beside the plain
	# ones, dumps of an L1 descriptor the rig pointed into crash-kernel
	# memory before the crash (L1 DAMAGED, not REWRITTEN), of STRTAB_BASE_CFG
	# changed before it (the device dump's value read) and of a linear
	# stream table (7.2 only; a line without the run has no dump to read).
	# The kdump-tools
	# runs' dumps are the ones kdump-config savecore saved (makedumpfile
	# -F -c -d 31, rearranged by the rig).  CRASH_RUNS names others (run
	# ids, NAME-LINE).
	log "waiting for crash 9.0.2 and the smmu extension (cached)"
	if ! wait "$crash_build"; then
		cat "$runs/crash-build.stderr" >&2
		die "crash or the smmu extension did not build"
	fi
	crash_runs=()
	for kver in $lines; do
		for name in stock-s1-dma stock-s2-dma stock-nested-dma \
			project-s1-keep-nic project-s2-abort-nic project-nested-keep-nic \
			kdump-tools-project-nested-keep-nic \
			kdump-tools-project-nested-abort-nic \
			fault-l1-into-crashkernel fault-strtab-split \
			linear-project-s1-keep-nic; do
			crash_runs+=("$name-$kver")
		done
	done
	# Two read-backs at a time (a crash session keeps one core busy),
	# each group's KTAP printed in order once all have run.
	done_runs=()
	for name in ${CRASH_RUNS:-${crash_runs[*]}}; do
		[ -f "$runs/$name/vmcore" ] || continue
		done_runs+=("$name")
		mode=()
		case "$name" in
		*-7.2) mode=(-m) ;;
		esac
		(rc=0
		 bash "$top_dir/tests/crash/e2e.sh" "${mode[@]}" "$runs/$name" \
			>"$runs/crash-$name.out" 2>"$runs/crash-$name.err" || rc=$?
		 echo "$rc" >"$runs/crash-$name.rc") &
		while [ "$(jobs -rp | wc -l)" -ge 2 ]; do
			wait -n
		done
	done
	wait
	for name in "${done_runs[@]}"; do
		run_group "crash-$name" ran "$runs/crash-$name"
	done
fi

group_broken
KTAP_CNT_PASS=$passed KTAP_CNT_FAIL=$failed KTAP_CNT_SKIP=$skipped \
	ktap_print_totals
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
