#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a static arm64 kexec from Debian's kexec-tools 2.0.32 source package
# (sid deb-src) with kexec-tools-patches/*.patch applied by git am.
#
#   build-kexec.sh [-p]     prints the directory holding the built `kexec`

set -e
. "$(dirname "$0")/lib/common.sh"

src_pkg_version="1:2.0.32-3"
print_only=0
[ "${1:-}" = -p ] && print_only=1

hash=$( (echo "$src_pkg_version"; hash_inputs "$0" "$top_dir/kexec-tools-patches" \
	"$top_dir/scripts/lib/common.sh") | sha256sum | cut -c1-16)
out="$cache_dir/kexec/out-$hash"
if [ "$print_only" = 1 ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache_dir/kexec"
exec 8>"$cache_dir/kexec/.lock"
flock 8
if [ -x "$out/kexec" ]; then
	echo "$out"
	exit 0
fi

dl="$cache_dir/src/kexec-tools-${src_pkg_version#*:}"
if [ ! -f "$dl/.done" ]; then
	log "fetching kexec-tools $src_pkg_version source from Debian"
	rm -rf "$dl"
	if ! deb_source kexec-tools "$dl" "kexec-tools=$src_pkg_version"; then
		# The mirror has served the .dsc and the upstream tarball but not
		# always the debian.tar.xz; Debian's 2.0.32 patches only touch
		# packaging, so the upstream tree is what the series applies to.
		tarball=$(ls "$dl"/kexec-tools_*.orig.tar.* 2>/dev/null | head -n 1)
		[ -n "$tarball" ] || die "kexec-tools source not served by the mirror"
		log "debian.tar missing on the mirror: using ${tarball##*/}"
		tar --no-same-owner -xaf "$tarball" -C "$dl"
	fi
	touch "$dl/.done"
fi
orig=$(find "$dl" -maxdepth 1 -mindepth 1 -type d -name 'kexec-tools-*' | head -n 1)
[ -n "$orig" ] || die "no unpacked kexec-tools tree in $dl"

work="$cache_dir/kexec/work"
rm -rf "$work"
mkdir -p "$work"
cp -r --preserve=mode,timestamps "$orig" "$work/src"
cd "$work/src"
# The series is git-am-able against Debian's source (Debian patches applied).
git init -q
git -c user.name=rig -c user.email=rig@localhost add -A >/dev/null
git -c user.name=rig -c user.email=rig@localhost commit -q -m "Debian kexec-tools $src_pkg_version"
for p in "$top_dir"/kexec-tools-patches/*.patch; do
	[ -e "$p" ] || continue
	git -c user.name=rig -c user.email=rig@localhost am -q "$p" ||
		die "kexec-tools-patches/${p##*/} does not apply (git am)"
	log "applied ${p##*/}"
done

[ -x configure ] || run_logged "$work/bootstrap.log" "bootstrap" ./bootstrap
run_logged "$work/configure.log" "configure kexec-tools" \
	./configure --host="${cross_compile%-}" --without-xen --without-lzma \
	--without-zlib LDFLAGS=-static
run_logged "$work/make.log" "build kexec-tools" make -j"$nproc"
file build/sbin/kexec | grep -q 'ARM aarch64.*statically linked' ||
	die "build/sbin/kexec is not a static arm64 binary"

mkdir -p "$out.tmp"
cp build/sbin/kexec "$out.tmp/"
cp kexec/kexec.8 "$out.tmp/" 2>/dev/null || true
rm -rf "$cache_dir/kexec"/out-????????????????
mv "$out.tmp" "$out"
log "kexec: $out/kexec"
echo "$out"
