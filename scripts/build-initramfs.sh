#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the rig's guest initramfs from Debian arm64 packages (busybox-static,
# makedumpfile and the libraries it needs, kdump-tools and what its
# kdump-config runs), the patched static kexec and the project's guest
# scripts.  Prints the path of the cpio.gz.
#
#   build-initramfs.sh [-p]

set -e
. "$(dirname "$0")/lib/common.sh"

debs=(busybox-static makedumpfile libc6 libdw1 libelf1 liblzo2-2 zlib1g
	libbz2-1.0 liblzma5 libzstd1)
# Debian's kdump-tools (kdump-config, its defaults, /etc/kdump/sysctl.conf)
# and what kdump-config runs that busybox does not stand in for: Debian's
# /bin/sh (dash), /lib/lsb/init-functions and /lib/init/vars.sh
# (sysvinit-utils, which the transitional lsb-base depends on), run-parts
# (debianutils) for init-functions' hooks, file and its magic (kdump_load
# asks whether the kernel is ELF) and hexdump (bsdextrautils).  Its other
# dependencies (debconf, ucf, linux-base, init-system-helpers) serve only
# its maintainer scripts, which the rig does not run (postinst's one effect
# it needs, /etc/default/kdump-tools from the template, is done below);
# Debian's kexec-tools is replaced by the patched build, as /sbin/kexec.
debs+=(kdump-tools dash debianutils sysvinit-utils file libmagic1 libmagic-mgc
	bsdextrautils libsmartcols1 libtinfo6)

kexec_dir=$(bash "$top_dir/scripts/build-kexec.sh" ${1:+"$1"})
hash=$( (printf '%s\n' "${debs[@]}"; echo "$kexec_dir"
	hash_inputs "$0" "$top_dir/guest" "$top_dir/scripts/lib/common.sh") |
	sha256sum | cut -c1-16)
out="$cache_dir/initramfs/initramfs-$hash.cpio.gz"
if [ "${1:-}" = -p ] || [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache_dir/initramfs"
exec 9>"$cache_dir/initramfs/.lock"
flock 9
[ -f "$out" ] && { echo "$out"; exit 0; }

debdir="$cache_dir/debs-arm64"
mkdir -p "$debdir"
missing=()
for d in "${debs[@]}"; do
	ls "$debdir/${d}_"*_arm64.deb >/dev/null 2>&1 || missing+=("$d:arm64")
done
if [ "${#missing[@]}" -gt 0 ]; then
	log "downloading ${missing[*]}"
	(cd "$debdir" && apt-get download -q "${missing[@]}" >download.log 2>&1) || {
		tail -n 20 "$debdir/download.log" >&2
		die "apt-get download failed"
	}
fi

root="$cache_dir/initramfs/root"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,mnt,run,etc,lib,usr/bin,usr/sbin,rig}
for d in "${debs[@]}"; do
	dpkg-deb -x "$(ls "$debdir/${d}_"*_arm64.deb | head -n 1)" "$root/.x"
done
cp "$root/.x/bin/busybox" "$root/bin/busybox"
cp "$root/.x/usr/bin/makedumpfile" "$root/usr/sbin/makedumpfile"
mkdir -p "$root/lib/aarch64-linux-gnu"
cp -a "$root/.x/lib/aarch64-linux-gnu/." "$root/lib/aarch64-linux-gnu/" 2>/dev/null || true
cp -a "$root/.x/usr/lib/aarch64-linux-gnu/." "$root/lib/aarch64-linux-gnu/" 2>/dev/null || true
ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root/lib/ld-linux-aarch64.so.1"

# kdump-tools as its package installs it.  The busybox applets that
# init links at boot do not replace these (busybox --install -s skips
# existing names).
x="$root/.x"
install -D -m 755 "$x/usr/sbin/kdump-config" "$root/usr/sbin/kdump-config"
install -D -m 755 "$x/etc/init.d/kdump-tools" "$root/etc/init.d/kdump-tools"
install -D -m 644 "$x/etc/kdump/sysctl.conf" "$root/etc/kdump/sysctl.conf"
install -D -m 644 "$x/usr/share/kdump-tools/kdump-tools.conf" \
	"$root/usr/share/kdump-tools/kdump-tools.conf"
mkdir -p "$root/lib/systemd/system" "$root/var/lib/kdump" "$root/var/crash"
cp "$x"/lib/systemd/system/kdump-tools*.service "$root/lib/systemd/system/"
# postinst: ucf installs the template as the administrator's defaults
install -D -m 644 "$x/usr/share/kdump-tools/kdump-tools.conf" \
	"$root/etc/default/kdump-tools"
cp "$x/bin/dash" "$root/bin/dash"
ln -s dash "$root/bin/sh"
cp "$x/bin/run-parts" "$root/bin/run-parts"
cp -a "$x/lib/lsb" "$root/lib/lsb"
install -D -m 644 "$x/lib/init/vars.sh" "$root/lib/init/vars.sh"
cp "$x/usr/bin/file" "$x/usr/bin/hexdump" "$root/usr/bin/"
mkdir -p "$root/usr/lib/file" "$root/usr/share/misc"
cp "$x/usr/lib/file/magic.mgc" "$root/usr/lib/file/magic.mgc"
cp -a "$x/usr/share/misc/magic.mgc" "$root/usr/share/misc/magic.mgc"

rm -rf "$root/.x" "$root/lib/aarch64-linux-gnu"/{gconv,audit,perl*} 2>/dev/null || true

# Every NEEDED library of the dynamic binaries (transitively) must be present.
check_needed() {
	local f="$1" lib
	for lib in $(${cross_compile}readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$root/lib/aarch64-linux-gnu/$lib" ] ||
			die "${f##*/} needs $lib, not in the initramfs"
		check_needed "$root/lib/aarch64-linux-gnu/$lib"
	done
}
for f in usr/sbin/makedumpfile bin/dash bin/run-parts usr/bin/file usr/bin/hexdump; do
	check_needed "$root/$f"
done

# The kernel opens /dev/console for init before devtmpfs is mounted.
mknod -m 600 "$root/dev/console" c 5 1
cp "$kexec_dir/kexec" "$root/sbin/kexec"
cp "$top_dir/guest/init" "$root/init"
cp "$top_dir"/guest/*.sh "$root/rig/" 2>/dev/null || true
chmod 755 "$root/init" "$root"/rig/* 2>/dev/null || true

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) >"$out.tmp"
rm -f "$cache_dir"/initramfs/initramfs-*.cpio.gz
mv "$out.tmp" "$out"
log "initramfs: $out ($(du -h "$out" | cut -f1))"
echo "$out"
