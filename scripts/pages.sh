#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make pages: the project kernel of PAGES_LINE (default 7.2; 6.12 is the
# line of Debian's arm64-16k flavour) built with the other page sizes
# distributions ship (build-kernel.sh -v 16k, -v 64k) runs what depends on
# the page size:
#  - both KUnit suites (tests/kunit/run.sh) and the import benchmark's
#    memory bound (tests/bench/kunit_bench.sh: copies take whole pages);
#  - those of the QEMU scenarios of PAGES_SCENARIOS that run on the line,
#    that kernel as both the crashed and the crash kernel, judged by the
#    usual oracle (QEMU's trace, the saved dump read with its own page size);
#  - crash 9.0.2 and the smmu extension on the dumps of PAGES_CRASH_RUNS
#    (tests/crash/e2e.sh; -m for 7.2 dumps, as in make check).
# PAGE_SIZES picks the sizes (default "16k 64k").  Prints KTAP per part
# and ends with the figures; the runs stay in $RUNS/pages-<line>-<size>.
# Not part of make check: each size takes a full kernel build of its own.

set -e
. "$(dirname "$0")/lib/common.sh"

line=${PAGES_LINE:-7.2}
mode=()
[ "$line" = 7.2 ] && mode=(-m)
sizes=${PAGE_SIZES:-"16k 64k"}
scenarios=${PAGES_SCENARIOS:-"project-s1-keep-nic project-s2-keep-nic
	project-nested-keep-nic project-nested-abort-nic project-nested-default
	fault-l1-into-crashkernel fault-s1-ttb-into-crashkernel
	fault-s2-ttb-into-crashkernel linear-project-s1-keep-nic
	acpi-project-nested-keep-pci kdump-tools-project-nested-keep-nic"}
crash_runs=${PAGES_CRASH_RUNS:-"project-s1-keep-nic project-nested-keep-nic
	fault-l1-into-crashkernel linear-project-s1-keep-nic
	kdump-tools-project-nested-keep-nic"}
initramfs=$(bash "$top_dir/scripts/build-initramfs.sh")
bash "$top_dir/scripts/build-crash-extension.sh" >/dev/null

. "$top_dir/tests/lib/group.sh"

# bench_ktap KERNEL: the benchmark's verdict (its cases assert the memory
# bound) as one KTAP result; its table goes to stderr.
bench_ktap() {
	local rc=0

	bash "$top_dir/tests/bench/kunit_bench.sh" -k "$1" >&2 || rc=$?
	echo "KTAP version 1"
	echo "1..1"
	case "$rc" in
	0) echo "ok 1 pages $size kunit-bench" ;;
	4) echo "ok 1 pages $size kunit-bench # SKIP qemu-system-aarch64 missing" ;;
	*) echo "not ok 1 pages $size kunit-bench (exit $rc; table on stderr)" ;;
	esac
}

start=$(date +%s)
for size in $sizes; do
	kernel=$(bash "$top_dir/scripts/build-kernel.sh" -k "$line" -v "$size")
	dir="${RUNS:-/tmp/arm-smmu-kdump-runs}/pages-$line-$size"
	mkdir -p "$dir"
	group_dir="$dir"
	run_group "kunit-$size" bash "$top_dir/tests/kunit/run.sh" -n "pages $size kunit" \
		"$kernel/Image"
	run_group "kunit-bench-$size" bench_ktap "$kernel"
	# shellcheck disable=SC2086 # a list of names
	run_group "e2e-$size" env PYTHONPATH="$top_dir" python3 -m tests.e2e.run \
		--lines "$line" --kernel "project-$line=$kernel" \
		--initramfs "$initramfs" --jobs "${E2E_JOBS:-2}" --out "$dir" \
		$scenarios
	for name in $crash_runs; do
		[ -f "$dir/$name-$line/vmcore" ] || continue
		run_group "crash-$name-$size" bash "$top_dir/tests/crash/e2e.sh" \
			"${mode[@]}" "$dir/$name-$line"
	done
done
group_broken
echo "# pages ($sizes, $line): $passed passed, $failed failed," \
	"$skipped skipped; $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
