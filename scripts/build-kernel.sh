#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the rig's arm64 kernel (Image + vmlinux) from Debian's linux-source-6.12.
#
#   build-kernel.sh [-v stock|project] [-j N] [-p]
#
# stock:   Debian's tree as shipped, with configs/rig.config.
# project: the same plus the kernel series patches/linux-6.12/ applied in order.
# Output goes to $cache_dir/kernel/<variant>-<hash>/ where <hash> covers every
# input; an existing output is reused.  -p prints that directory only.

set -e
. "$(dirname "$0")/lib/common.sh"

variant=project
print_only=0

print_usage() {
	cat <<USAGE
Usage: $0 [-v stock|project] [-j jobs] [-p]
  -v  variant to build (default: $variant)
  -j  parallel jobs (default: $nproc)
  -p  print the output directory for the current inputs and exit
USAGE
}

while getopts 'v:j:ph' opt; do
	case "$opt" in
	v) variant="$OPTARG" ;;
	j) nproc="$OPTARG" ;;
	p) print_only=1 ;;
	h) print_usage; exit 0 ;;
	*) print_usage; exit 1 ;;
	esac
done
case "$variant" in
stock | project) ;;
*) die "unknown variant '$variant'" ;;
esac

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "$tarball missing: run scripts/setup-host.sh"
src_version=$(dpkg-query -W -f='${Version}' linux-source-6.12)

inputs=("$top_dir/configs/rig.config" "$0" "$top_dir/scripts/lib/common.sh")
if [ "$variant" = project ]; then
	# The patches, not the cover letter
	mapfile -t patches < <(series_patches 6.12)
	inputs+=("${patches[@]}")
fi
hash=$( (echo "$src_version $variant $(${cross_compile}gcc -dumpversion)"
	hash_inputs "${inputs[@]}") | sha256sum | cut -c1-16)
out="$cache_dir/kernel/$variant-$hash"

if [ "$print_only" = 1 ]; then
	echo "$out"
	exit 0
fi
# One build of a variant at a time (its source and build trees are shared).
mkdir -p "$cache_dir/kernel"
exec 9>"$cache_dir/kernel/$variant.lock"
flock 9
if [ -f "$out/Image" ] && [ -f "$out/vmlinux" ]; then
	log "$variant kernel up to date: $out"
	echo "$out"
	exit 0
fi

pristine=$(unpack_pristine "$tarball" "$src_version")

src="$cache_dir/kernel/$variant/src"
build="$cache_dir/kernel/$variant/build"
mkdir -p "$src" "$build"

# Bring the variant's tree back to pristine.  Files rsync restores get a new
# mtime so that make rebuilds what an earlier overlay or patch changed.
log "syncing $variant source tree"
if [ -f "$src/Makefile" ]; then
	rsync -a --delete --exclude=/.unpacked --out-format='%n' "$pristine/" "$src/" |
		(cd "$src" && xargs -r -d '\n' touch -c --)
else
	cp -a "$pristine/." "$src/"
fi

if [ "$variant" = project ]; then
	[ "${#patches[@]}" -gt 0 ] || die "no patches in $top_dir/patches/linux-6.12"
	for p in "${patches[@]}"; do
		log "applying ${p##*/}"
		patch -p1 -s -N -d "$src" <"$p" || die "${p##*/} does not apply"
	done
fi

export CCACHE_DIR="${CCACHE_DIR:-$cache_dir/ccache}"
export CCACHE_BASEDIR="$cache_dir/kernel"
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=6G
export CCACHE_COMPILERCHECK=content
export KBUILD_BUILD_TIMESTAMP="2024-01-01"
export KBUILD_BUILD_USER=rig KBUILD_BUILD_HOST=arm-smmu-kdump

MAKE=(make -C "$src" -j"$nproc" ARCH=arm64 CROSS_COMPILE="$cross_compile"
	CC="ccache ${cross_compile}gcc" O="$build")

cfg_hash=$(hash_inputs "$top_dir/configs/rig.config")
if [ "$(cat "$build/.rig-config" 2>/dev/null)" != "$cfg_hash" ]; then
	log "configuring (allnoconfig + configs/rig.config)"
	"${MAKE[@]}" -s allnoconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" \
		"$top_dir/configs/rig.config" >/dev/null
	"${MAKE[@]}" -s olddefconfig >/dev/null
	# Every value asked for must have survived olddefconfig.
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n) want="# ${line%=n} is not set" ;;
		CONFIG_*) want="$line" ;;
		*) continue ;;
		esac
		grep -qxF "$want" "$build/.config" ||
			{ [ "${line#*=}" = n ] && ! grep -q "^${line%=n}=" "$build/.config"; } ||
			{ log "config: '$line' did not survive"; bad=1; }
	done <"$top_dir/configs/rig.config"
	[ "$bad" = 0 ] || die "config fragment not satisfiable"
	echo "$cfg_hash" >"$build/.rig-config"
fi

run_logged "$build/build.log" "building $variant kernel" "${MAKE[@]}" Image vmlinux

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
cp "$build/arch/arm64/boot/Image" "$build/vmlinux" "$build/System.map" "$build/.config" "$tmp/"
echo "$hash" >"$tmp/hash"
# Keep one output per variant: they are large (vmlinux carries DWARF).
rm -rf "$cache_dir/kernel/$variant"-????????????????
mv "$tmp" "$out"
log "$variant kernel: $out"
echo "$out"
