#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build crash 9.0.2 for arm64 dumps (target=ARM64) on the x86_64 host from
# Debian's source package (sid deb-src), with Debian's patches applied by
# dpkg-source (they make crash use the bundled gdb 16.3).  Bookworm's crash
# 8.0.2 cannot open a 6.12 arm64 dump.  The bundled gdb, most of the build,
# is built without debug information (CFLAGS/CXXFLAGS -O2 instead of its
# configure's "-g -O2"; sample gdb files compile 28% faster); crash's own
# files keep their -g.  About 14 minutes at -j2 on an idle machine, cached.
#
#   build-crash.sh [-p]   prints the crash source/build tree (crash, defs.h)

set -e
. "$(dirname "$0")/lib/common.sh"

version="9.0.2+~16.3-1"
hash=$( (echo "$version"; hash_inputs "$0") | sha256sum | cut -c1-16)
tree="$cache_dir/crash/tree-$hash"
if [ "${1:-}" = -p ] || [ -x "$tree/crash" ]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$cache_dir/crash"
exec 9>"$cache_dir/crash/.lock"
flock 9
[ -x "$tree/crash" ] && { echo "$tree"; exit 0; }

dl="$cache_dir/src/crash-$version"
if [ ! -f "$dl/.done" ]; then
	log "fetching crash $version source from Debian"
	rm -rf "$dl"
	mkdir -p "$dl"
	(cd "$dl" && apt-get source -q --download-only "crash=$version" \
		>apt-source.log 2>&1) || {
		tail -n 20 "$dl/apt-source.log" >&2
		die "crash $version source not served by the mirror"
	}
	touch "$dl/.done"
fi

work="$cache_dir/crash/work"
rm -rf "$work"
mkdir -p "$work"
dpkg-source --no-check -x "$dl"/crash_*.dsc "$work/src" >"$work/dpkg-source.log" 2>&1 ||
	{ tail -n 20 "$work/dpkg-source.log" >&2; die "dpkg-source -x failed"; }
cd "$work/src"
# crash's own Makefile unpacks the gdb tarball Debian ships as a component.
if [ ! -f gdb-16.3.tar.gz ] && [ -d gdb ]; then
	log "using the gdb component unpacked by dpkg-source"
fi
run_logged "$work/make.log" "building crash (target=ARM64)" \
	env CFLAGS=-O2 CXXFLAGS=-O2 make -j"$nproc" target=ARM64 MAKEINFO=true lzo snappy zstd
rej=$(find . -name '*.rej' | head -n 5)
[ -z "$rej" ] || die "patch rejects in the crash tree: $rej"
# "crash --version" starts with an empty line.
./crash --version 2>/dev/null | grep -qx 'crash 9\.0\.2' || die "crash did not build"

rm -rf "$cache_dir/crash"/tree-????????????????
mv "$work/src" "$tree"
log "crash: $tree/crash"
echo "$tree"
