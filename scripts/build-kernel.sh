#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the rig's arm64 kernel (Image + vmlinux) of one kernel line:
#   6.12  Debian's linux-source-6.12
#   7.2   upstream 7.2 from the orig tarball of sid's linux source
#         (scripts/lib/common.sh: fetch_linux_orig; Debian's patches unused)
#
#   build-kernel.sh [-k 6.12|7.2] [-v stock|project|kasan|16k|64k] [-j N] [-p]
#
# stock:   the pristine tree, with configs/rig.config (and
#          configs/rig-<kver>.config if there is one) merged onto allnoconfig.
# project: the same with the project's series patches/linux-<kver>/ applied:
#          every [0-9][0-9][0-9][0-9]-*.patch in order but the cover letter
#          (series_patches).  A line without that directory has no project
#          kernel.
# kasan:   the project kernel with configs/kasan.config merged too (generic
#          KASAN), for `make kasan`.
# 16k, 64k: the project kernel with configs/pages-<size>.config merged too
#          (the page sizes distributions ship beside 4K), for `make pages`.
# Output goes to $cache_dir/kernel/<kver>-<variant>-<hash>/ (Image, vmlinux,
# System.map, .config, and "objects": the objects linked into vmlinux) where
# <hash> covers every input; an existing output is reused, one is kept per
# line and variant.  -p prints that directory only.
#
# The stock and the project kernel of a line share one source and build tree,
# $cache_dir/kernel/<kver>/ (the kasan, 16k and 64k kernels have their own,
# <kver>-<variant>/: their configuration differs): the tree is brought back
# to pristine, the series applied for the project kernel, and make rebuilds
# what that changed, so the second of the two is an incremental build.

set -e
. "$(dirname "$0")/lib/common.sh"

variant=project
kver=6.12
print_only=0

print_usage() {
	cat <<USAGE
Usage: $0 [-k 6.12|7.2] [-v stock|project|kasan|16k|64k] [-j jobs] [-p]
  -k  kernel line (default: $kver)
  -v  variant to build (default: $variant)
  -j  parallel jobs (default: $nproc)
  -p  print the output directory for the current inputs and exit
USAGE
}

while getopts 'k:v:j:ph' opt; do
	case "$opt" in
	k) kver="$OPTARG" ;;
	v) variant="$OPTARG" ;;
	j) nproc="$OPTARG" ;;
	p) print_only=1 ;;
	h) print_usage; exit 0 ;;
	*) print_usage; exit 1 ;;
	esac
done
case "$variant" in
stock | project | kasan | 16k | 64k) ;;
*) die "unknown variant '$variant'" ;;
esac

case " $kernel_lines " in
*" $kver "*) ;;
*) die "unknown kernel line '$kver' (known: $kernel_lines)" ;;
esac

# The project's change: the series of this line, patches/linux-<kver>/.
patches=()
if [ "$variant" != stock ]; then
	has_project_kernel "$kver" ||
		die "no project kernel for Linux $kver: patches/linux-$kver/ (its git format-patch series) does not exist yet"
	mapfile -t patches < <(series_patches "$kver")
	[ "${#patches[@]}" -gt 0 ] || die "no patches in $top_dir/patches/linux-$kver"
fi

kernel_source "$kver"
tarball="$ksrc_tarball"
src_version="$ksrc_version"

# Config: the common fragment, then the line's own one if there is one.
fragments=("$top_dir/configs/rig.config")
[ -f "$top_dir/configs/rig-$kver.config" ] &&
	fragments+=("$top_dir/configs/rig-$kver.config")
case "$variant" in
kasan) fragments+=("$top_dir/configs/kasan.config") ;;
16k | 64k) fragments+=("$top_dir/configs/pages-$variant.config") ;;
esac

# The patches (not the cover letter) and the series directory's name.
inputs=("${fragments[@]}" "$0" "$top_dir/scripts/lib/common.sh" "${patches[@]}")
series=
[ "$variant" != stock ] && series="linux-$kver"
hash=$( (echo "$kver $src_version $variant $series $("${cross_compile}gcc" -dumpversion)"
	hash_inputs "${inputs[@]}") | sha256sum | cut -c1-16)
name="$kver-$variant"
out="$cache_dir/kernel/$name-$hash"

if [ "$print_only" = 1 ]; then
	echo "$out"
	exit 0
fi
# One build at a time in a tree.
work=$kver
case "$variant" in kasan | 16k | 64k) work=$kver-$variant ;; esac
mkdir -p "$cache_dir/kernel"
exec 9>"$cache_dir/kernel/$work.lock"
flock 9
if [ -f "$out/Image" ] && [ -f "$out/vmlinux" ]; then
	log "$name kernel up to date: $out"
	touch "$out"	# recently used: see the pruning below
	echo "$out"
	exit 0
fi

pristine=$(unpack_pristine "$tarball" "$src_version")

src="$cache_dir/kernel/$work/src"
build="$cache_dir/kernel/$work/build"
mkdir -p "$src" "$build"
# The trees of one variant each that earlier versions of this script kept
rm -rf "$cache_dir/kernel/$kver-stock" "$cache_dir/kernel/$kver-project" \
	"$cache_dir/kernel/$kver-stock.lock" "$cache_dir/kernel/$kver-project.lock"

# Bring the tree back to pristine.  Files rsync restores get a new mtime so
# that make rebuilds what an earlier patch changed.
log "syncing $work source tree ($src_version)"
if [ -f "$src/Makefile" ]; then
	rsync -a --delete --exclude=/.unpacked --out-format='%n' "$pristine/" "$src/" |
		(cd "$src" && xargs -r -d '\n' touch -c --)
else
	cp -a "$pristine/." "$src/"
fi

# git apply is strict (no fuzz); the ceiling keeps git from taking the tree
# for part of a repository above it.
for p in "${patches[@]}"; do
	log "applying linux-$kver/${p##*/}"
	(cd "$src" && GIT_CEILING_DIRECTORIES="$(dirname "$src")" \
		git apply --whitespace=nowarn "$p") ||
		die "linux-$kver/${p##*/} does not apply to $src_version"
done

export CCACHE_DIR="${CCACHE_DIR:-$cache_dir/ccache}"
export CCACHE_BASEDIR="$cache_dir/kernel"
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=6G
export CCACHE_COMPILERCHECK=content
export KBUILD_BUILD_TIMESTAMP="2024-01-01"
export KBUILD_BUILD_USER=rig KBUILD_BUILD_HOST=arm-smmu-kdump

MAKE=(make -C "$src" -j"$nproc" ARCH=arm64 CROSS_COMPILE="$cross_compile"
	CC="ccache ${cross_compile}gcc" O="$build")

# A new fragment starts from allnoconfig again; the series' new Kconfig
# symbols (and their removal for the stock kernel) take olddefconfig only.
cfg_hash=$(hash_inputs "${fragments[@]}")
if [ "$(cat "$build/.rig-config" 2>/dev/null)" = "$cfg_hash" ]; then
	"${MAKE[@]}" -s olddefconfig >/dev/null
else
	log "configuring (allnoconfig + ${fragments[*]#"$top_dir/"})"
	"${MAKE[@]}" -s allnoconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" \
		"${fragments[@]}" >/dev/null
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
	done < <(cat "${fragments[@]}" | awk -F= '/^CONFIG_/ { v[$1] = $0; if (!($1 in o)) o[$1] = n++ }
		END { for (k in o) l[o[k]] = v[k]; for (i = 0; i < n; i++) print l[i] }')
	[ "$bad" = 0 ] || die "config fragment not satisfiable"
	echo "$cfg_hash" >"$build/.rig-config"
fi

run_logged "$build/build.log" "building $name kernel ($src_version)" "${MAKE[@]}" Image vmlinux

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
cp "$build/arch/arm64/boot/Image" "$build/vmlinux" "$build/System.map" "$build/.config" "$tmp/"
# The objects linked into vmlinux (the tree may hold the other variant's too)
"${cross_compile}ar" t "$build/vmlinux.a" | sed "s|^$build/||" | LC_ALL=C sort >"$tmp/objects"
echo "$hash" >"$tmp/hash"
echo "$src_version" >"$tmp/version"
# Keep the three most recently built or used outputs per line and variant
# (about 130 MB each: vmlinux carries DWARF), so that a run in another
# checkout sharing this cache keeps the kernel it is booting.
mv "$tmp" "$out"
ls -dt "$cache_dir/kernel/$name"-???????????????? | tail -n +4 |
	xargs -r rm -rf
log "$name kernel: $out"
echo "$out"
