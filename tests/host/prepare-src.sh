#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the path of a source tree with the project's kernel changes applied,
# for the host build of arm-smmu-v3-kdump.c.
#
#   prepare-src.sh [-k KVER]     KVER: a kernel line, 7.2 (default) or 6.12
#
# The tree is made the way scripts/build-kernel.sh makes the project variant
# of line KVER: its pristine source (Linux 7.2 from the orig tarball of
# sid's linux source, or Debian's linux-source-6.12) with the series
# patches/linux-KVER/ applied in order. It holds only what the host build
# reads: the files the patches touch, and tools/include. It is cached as
# $cache_dir/host-kdump/src-KVER-<hash>, with <hash> over the same inputs as
# the project kernel's; the pristine tree is the one build-kernel.sh unpacks
# (and is unpacked here the same way if it is missing), so the kernel
# tarball is decompressed once.
#
# HOST_KDUMP_SRC=DIR prints DIR instead: an already patched full tree of
# line KVER, such as $cache_dir/kernel/KVER/src after a project build.

set -e
. "$(dirname "$0")/../../scripts/lib/common.sh"

kver=7.2
while getopts 'k:' opt; do
	case "$opt" in
	k) kver="$OPTARG" ;;
	*) sed -n '5p' "$0" >&2; exit 1 ;;
	esac
done

if [ -n "${HOST_KDUMP_SRC:-}" ]; then
	[ -f "$HOST_KDUMP_SRC/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c" ] ||
		die "HOST_KDUMP_SRC=$HOST_KDUMP_SRC has no arm-smmu-v3-kdump.c"
	echo "$HOST_KDUMP_SRC"
	exit 0
fi

has_project_kernel "$kver" || die "no series patches/linux-$kver/"
# ksrc_tarball, ksrc_version: what build-kernel.sh -k KVER builds from
kernel_source "$kver"

mapfile -t patches < <(series_patches "$kver")
[ "${#patches[@]}" -gt 0 ] || die "no patches in $top_dir/patches/linux-$kver"
hash=$( (echo "$ksrc_version host-kdump $kver"
	hash_inputs "$0" "${patches[@]}") | sha256sum | cut -c1-16)
out="$cache_dir/host-kdump/src-$kver-$hash"

mkdir -p "$cache_dir/host-kdump" "$cache_dir/kernel"
exec 9>"$cache_dir/host-kdump/src.lock"
flock 9
if [ -f "$out/.prepared" ]; then
	touch "$out"
	echo "$out"
	exit 0
fi

# The same pristine tree as build-kernel.sh
pristine=$(unpack_pristine "$ksrc_tarball" "$ksrc_version")

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"

# Every pristine file that a patch touches, and the tools headers
# (tools/include, tools/arch/x86/include) that the shims build on.
{
	cat "${patches[@]}" |
		sed -n 's|^--- a/\([^[:space:]]*\).*|\1|p'
	echo drivers/iommu/arm/arm-smmu-v3
	echo tools/include
	echo tools/arch/x86/include
} | sort -u | while read -r f; do
	[ -e "$pristine/$f" ] || continue
	mkdir -p "$tmp/$(dirname "$f")"
	cp -a "$pristine/$f" "$tmp/$(dirname "$f")/"
done

for p in "${patches[@]}"; do
	patch -p1 -s -N -d "$tmp" <"$p" >&2 || die "${p##*/} does not apply"
done

touch "$tmp/.prepared"
mv "$tmp" "$out"
# Other checkouts (git worktrees, another branch) may still use an older
# tree of this line: drop only the trees nobody used for a day.
find "$cache_dir/host-kdump" -maxdepth 1 -name "src-$kver-????????????????" \
	-mmin +1440 -exec rm -rf {} +
log "patched $kver source for the host build: $out"
echo "$out"
