#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the crash "smmu" extension (crash-extension/) against the crash
# tree that build-crash.sh builds (defs.h, and its TARGET=ARM64 and
# GDB_FLAGS), cached by the hash of crash-extension/ and that tree.
#
#   build-crash-extension.sh [-p]   prints the path of smmu.so
#
# CRASH_TREE=DIR uses an already built crash tree instead.

set -e
. "$(dirname "$0")/lib/common.sh"

print_only=0
[ "${1:-}" = -p ] && print_only=1

crash_tree="${CRASH_TREE:-}"
if [ -z "$crash_tree" ]; then
	if [ "$print_only" = 1 ]; then
		crash_tree=$(bash "$top_dir/scripts/build-crash.sh" -p)
	else
		crash_tree=$(bash "$top_dir/scripts/build-crash.sh")
	fi
fi

hash=$( (echo "$crash_tree"; hash_inputs "$0" "$top_dir/crash-extension" \
	"$top_dir/scripts/lib/common.sh") | sha256sum | cut -c1-16)
out="$cache_dir/crash-extension/out-$hash"
if [ "$print_only" = 1 ] || [ -f "$out/smmu.so" ]; then
	echo "$out/smmu.so"
	exit 0
fi

[ -f "$crash_tree/defs.h" ] && [ -x "$crash_tree/crash" ] ||
	die "no built crash in $crash_tree (run scripts/build-crash.sh)"

# One build at a time (two checkouts may share the cache), each in a work
# directory of its own.
mkdir -p "$cache_dir/crash-extension"
exec 9>"$cache_dir/crash-extension/.lock"
flock 9
if [ -f "$out/smmu.so" ]; then
	echo "$out/smmu.so"
	exit 0
fi
work="$cache_dir/crash-extension/work"
rm -rf "$work"
mkdir -p "$work"
run_logged "$work/make.log" "building smmu.so" \
	make -C "$top_dir/crash-extension" CRASH_TREE="$crash_tree" OUT="$work"

rm -rf "$cache_dir/crash-extension"/out-????????????????
mkdir -p "$out"
mv "$work/smmu.so" "$out/smmu.so"
log "smmu.so: $out/smmu.so"
echo "$out/smmu.so"
