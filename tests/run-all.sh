#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every test group, each of which prints KTAP, and end with one
# "N passed, N failed, N skipped" line.  Exit status is non-zero if any test
# failed or a group could not run.
#
#   tests/run-all.sh [-g GROUP[,GROUP...]]   groups: host kunit e2e (default: all)

set -e
trap 'echo "run-all: aborting" >&2' ERR
. "$(dirname "$0")/../scripts/lib/common.sh"

groups="host,kunit,e2e"
while getopts 'g:h' opt; do
	case "$opt" in
	g) groups="$OPTARG" ;;
	*) sed -n '3,7p' "$0"; exit 1 ;;
	esac
done

runs="${RUNS:-/tmp/arm-smmu-kdump-runs}"
mkdir -p "$runs"
results="$runs/results.ktap"
: >"$results"
passed=0
failed=0
skipped=0
broken=()

# run_group NAME CMD... - run a KTAP-printing command, tally its top-level
# results.  A group that exits non-zero without a "not ok" is itself a failure.
run_group() {
	local name="$1" out rc=0 p f s
	shift
	out="$runs/$name.ktap"
	echo "# ---- $name"
	"$@" 2>"$runs/$name.stderr" | tee "$out" || rc=$?
	read -r p f s < <(python3 "$top_dir/tests/lib/ktap_count.py" "$out")
	passed=$((passed + p))
	skipped=$((skipped + s))
	failed=$((failed + f))
	cat "$out" >>"$results"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $name: exited $rc without a failing test:"
		tail -n 20 "$runs/$name.stderr" | sed 's/^/#   /'
		failed=$((failed + 1))
		broken+=("$name")
	fi
}

has() {
	case ",$groups," in *",$1,"*) return 0 ;; esac
	return 1
}

if has host; then
	run_group oracle python3 "$top_dir/tests/lib/ktap_unittest.py" oracle \
		"$top_dir/tests/oracle"
	if [ -x "$top_dir/tests/kexec/run.sh" ]; then
		run_group kexec "$top_dir/tests/kexec/run.sh"
	fi
	run_group crash-unit bash "$top_dir/tests/crash/run.sh"
	# arm-smmu-v3-kdump.c from the patched kernel tree, built on the host
	run_group host-kdump bash "$top_dir/tests/host/run.sh"
	if [ -x "$top_dir/tests/docs/run.sh" ]; then
		run_group docs "$top_dir/tests/docs/run.sh"
	fi
fi

if has kunit || has e2e; then
	log "building kernels and initramfs (cached)"
	stock=$(bash "$top_dir/scripts/build-kernel.sh" -v stock)
	project=$(bash "$top_dir/scripts/build-kernel.sh" -v project)
	initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")
fi

if has kunit; then
	# Needs the pristine tree the kernel build unpacked.
	run_group kernel-style bash "$top_dir/tests/kernel-style/run.sh"
	run_group kunit bash "$top_dir/tests/kunit/run.sh" "$project/Image"
fi

if has e2e; then
	run_group e2e python3 "$top_dir/tests/e2e/run.py" --out "$runs" \
		--kernel "stock=$stock" --kernel "project=$project" \
		--initramfs "$initramfs" ${E2E_SCENARIOS:-}
	# The dumps those runs saved, read back with crash and the smmu
	# extension (each against its own kernel's vmlinux): stock dumps (the
	# crash kernel leaves the old table alone; tests/crash/e2e.sh
	# simulates an L1 rewrite and a device dump on copies) and project
	# dumps (the crash kernel re-pointed the old L1 descriptors and saved
	# a device dump; e2e.sh checks "smmu -d", -o and -r against the QMP
	# snapshot, the dump and QEMU's trace).  CRASH_RUNS names others.
	log "building crash 9.0.2 and the smmu extension (cached)"
	bash "$top_dir/scripts/build-crash-extension.sh" >/dev/null
	for name in ${CRASH_RUNS:-stock-s1-dma stock-s2-dma stock-nested-dma project-s1-keep-nic project-s2-abort-nic project-nested-keep-nic}; do
		[ -f "$runs/$name/vmcore" ] || continue
		run_group "crash-$name" bash "$top_dir/tests/crash/e2e.sh" "$runs/$name"
	done
fi

[ "${#broken[@]}" -eq 0 ] || echo "# groups that did not run to the end: ${broken[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
