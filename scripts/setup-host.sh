#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything the arm-smmu-kdump rig needs on a Debian 12 host (idempotent).
#
# Adds bookworm-backports (for qemu-system-arm 10.x), deb-src lines for bookworm
# and sid (sources only: kexec-tools 2.0.32, crash 9.0.2), the arm64 foreign
# architecture (guest .debs are downloaded, never installed), then the host
# packages.  A stamp keyed by this file's hash makes a second run instant.

set -e
trap 'echo "setup-host: failed" >&2' ERR

cache_dir="${ARM_SMMU_KDUMP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/arm-smmu-kdump}"
mirror="http://deb.debian.org/debian"
keyring="/usr/share/keyrings/debian-archive-keyring.gpg"

host_pkgs=(
	# cross toolchain and kernel build
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	bc bison flex libssl-dev libelf-dev cpio kmod rsync xz-utils
	ccache sparse python3 perl
	# sources from Debian
	dpkg-dev linux-source-6.12
	# rig (qemu-efi-aarch64: UEFI firmware for the ACPI scenarios)
	e2fsprogs socat file qemu-efi-aarch64
	# docs check; the Python of tests/ and scripts/ (tests/oracle/test_pyflakes.py)
	python3-docutils pyflakes3
	# host tests of arm-smmu-v3-kdump.c: the libFuzzer build (tests/host)
	clang libclang-rt-14-dev
	# crash 9.0.2 host build (target=ARM64)
	g++ texinfo libncurses-dev zlib1g-dev liblzo2-dev libsnappy-dev
	libzstd-dev libgmp-dev libmpfr-dev binutils-dev
)

mkdir -p "$cache_dir"
stamp_key=$(sha256sum "$0" | cut -c1-16)
stamp="$cache_dir/setup-host.$stamp_key.done"

have_all() {
	command -v qemu-system-aarch64 >/dev/null || return 1
	qemu-system-aarch64 --version | grep -q 'version 1[0-9]\.' || return 1
	dpkg-query -W -f='${Status}\n' "${host_pkgs[@]}" 2>/dev/null |
		grep -vq 'install ok installed' && return 1
	[ "$(dpkg-query -W -f='${Status}\n' "${host_pkgs[@]}" 2>/dev/null |
		grep -c 'install ok installed')" -eq "${#host_pkgs[@]}" ]
}

if [ -f "$stamp" ] && have_all; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-host: must run as root (apt-get install)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

src=/etc/apt/sources.list.d/arm-smmu-kdump.sources
want=$(cat <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: $keyring

Types: deb-src
URIs: $mirror
Suites: bookworm bookworm-updates bookworm-backports
Components: main
Signed-By: $keyring

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: $keyring

Types: deb-src
URIs: $mirror
Suites: sid
Components: main
Signed-By: $keyring
SRC
)
if [ "$(cat "$src" 2>/dev/null)" != "$want" ]; then
	echo "$want" >"$src"
fi

# Never let sid binaries in: sources only.  Backports only on request.
cat >/etc/apt/preferences.d/arm-smmu-kdump <<PREF
Package: *
Pin: release n=sid
Pin-Priority: -1
PREF

dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64

echo "setup-host: apt-get update"
# Third-party lists on some images are unreachable; Debian's must not be.
apt-get update -o Acquire::Retries=3 >"$cache_dir.apt-update.log" 2>&1 ||
	grep -q 'deb.debian.org' "$cache_dir.apt-update.log" &&
	! grep -E '^(E|Err):.*deb\.debian\.org' "$cache_dir.apt-update.log" || {
		cat "$cache_dir.apt-update.log" >&2
		exit 1
	}

echo "setup-host: installing ${#host_pkgs[@]} packages and qemu-system-arm from bookworm-backports"
apt-get install -y -q --no-install-recommends "${host_pkgs[@]}" >"$cache_dir.apt-install.log" 2>&1 || {
	tail -n 30 "$cache_dir.apt-install.log" >&2
	exit 1
}
apt-get install -y -q --no-install-recommends -t bookworm-backports \
	qemu-system-arm >>"$cache_dir.apt-install.log" 2>&1 || {
	tail -n 30 "$cache_dir.apt-install.log" >&2
	exit 1
}

qemu-system-aarch64 --version | head -n 1

touch "$stamp"
