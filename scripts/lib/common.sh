# SPDX-License-Identifier: GPL-2.0
# Shared settings for the arm-smmu-kdump rig scripts (sourced, not run).

top_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir="${ARM_SMMU_KDUMP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/arm-smmu-kdump}"
cross_compile="${CROSS_COMPILE:-aarch64-linux-gnu-}"
nproc="${NPROC:-$(nproc)}"

mkdir -p "$cache_dir"

log() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

die() {
	log "error: $*"
	exit 1
}

# hash_inputs FILE|DIR... - print a short hash of the names and contents
hash_inputs() {
	local p
	for p in "$@"; do
		if [ -d "$p" ]; then
			(cd "$p" && find . -type f ! -name '*~' -print0 | LC_ALL=C sort -z |
				xargs -0r sha256sum)
		elif [ -e "$p" ]; then
			# Content and base name only: how the path is spelled
			# must not change the key.
			echo "$(sha256sum <"$p" | cut -c1-64) ${p##*/}"
		else
			echo "missing $p"
		fi
	done | sha256sum | cut -c1-16
}

# run_logged LOGFILE LABEL CMD... - run CMD with output in LOGFILE, print a
# progress line every 30 s, and show the log's tail if it fails.
run_logged() {
	local logf="$1" label="$2" pid rc start last
	shift 2
	start=$SECONDS
	last=$SECONDS
	"$@" >"$logf" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if ((SECONDS - last >= 30)); then
			last=$SECONDS
			log "$label: $((SECONDS - start)) s, $(wc -l <"$logf") log lines"
		fi
	done
	rc=0
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$logf" >&2
		log "$label failed (exit $rc), full log: $logf"
		return "$rc"
	fi
	log "$label: done in $((SECONDS - start)) s"
}

# deb_source PKG VERSION_GLOB DIR - apt-get source into DIR once (any suite).
deb_source() {
	local pkg="$1" dir="$2"
	shift 2
	mkdir -p "$dir"
	(cd "$dir" && apt-get source -q "$@" "$pkg" >apt-source.log 2>&1) || {
		tail -n 20 "$dir/apt-source.log" >&2
		return 1
	}
}

# scratch_dir NAME - create $scratch, removed when the script exits unless
# $keep is 1 (the tests' -k option).
scratch_dir() {
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	trap _scratch_cleanup EXIT
}

_scratch_cleanup() {
	if [ "${keep:-0}" = 1 ]; then
		log "scratch kept in $scratch"
	else
		rm -rf "$scratch"
	fi
}

# The kernel lines the rig builds: 7.2 (mainline first, from Debian's orig
# tarball of sid's linux source) and 6.12 (Debian's linux-source-6.12).
kernel_lines="7.2 6.12"
# The Debian version of sid's linux source whose orig tarball gives 7.2;
# fetch_linux_orig falls back to another served 7.2 if it is not served.
linux_72_debian_version="${LINUX_72_DEBIAN_VERSION:-7.2.8-1}"

# has_project_kernel KVER - true if kernel line KVER has a project kernel:
# its series patches/linux-KVER/ exists.
has_project_kernel() {
	[ -d "$top_dir/patches/linux-$1" ]
}

# kernel_source KVER - set ksrc_tarball and ksrc_version to the pristine
# source of kernel line KVER (fetched into $cache_dir/src when needed).
kernel_source() {
	case "$1" in
	6.12)
		ksrc_tarball=/usr/src/linux-source-6.12.tar.xz
		[ -f "$ksrc_tarball" ] ||
			die "$ksrc_tarball missing: run scripts/setup-host.sh"
		ksrc_version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
		;;
	7.2)
		fetch_linux_orig 7.2 "$linux_72_debian_version"
		;;
	*)
		die "unknown kernel line '$1' (known: $kernel_lines)"
		;;
	esac
}

# fetch_linux_orig KVER DEBIAN_VERSION - set ksrc_tarball and ksrc_version
# to the orig tarball of Debian's linux source DEBIAN_VERSION (upstream
# Linux, without Debian's patches), downloaded once into
# $cache_dir/src/linux-KVER.  If that version is not served, another one of
# line KVER that sid's deb-src lists is taken: one already downloaded, else
# the newest served.  The version used is logged and is part of the
# kernel's hash.
fetch_linux_orig() {
	local kver="$1" want="$2" dl="$cache_dir/src/linux-$1" v
	local -a versions

	mkdir -p "$dl"
	exec 6>"$dl/.lock"
	flock 6
	mapfile -t versions < <(apt-cache showsrc linux 2>/dev/null |
		sed -n "s/^Version: \($kver\.[0-9]*-[^ ]*\)\$/\1/p" | sort -rV -u)
	ksrc_tarball=
	_orig_get "$want" 1 ||
		for v in "${versions[@]}"; do _orig_get "$v" 0 && break; done ||
		for v in "${versions[@]}"; do _orig_get "$v" 1 && break; done || true
	exec 6>&-
	[ -n "$ksrc_tarball" ] ||
		die "no orig tarball of linux $kver could be fetched (tried $want ${versions[*]})"
	[ "$ksrc_version" = "${want%-*}" ] ||
		log "linux $want is not served: using linux $ksrc_version instead"
}

# _orig_get DEBIAN_VERSION DOWNLOAD - fetch_linux_orig's step: take the
# version's tarball from $dl, downloading it first if DOWNLOAD is 1.
_orig_get() {
	local f="$dl/linux_${1%-*}.orig.tar.xz"

	if [ ! -s "$f" ]; then
		[ "$2" = 1 ] || return 1
		log "fetching linux $1 orig tarball (sid deb-src)"
		if ! (cd "$dl" && apt-get source -q --download-only --tar-only \
			"linux=$1" >"$dl/apt-source.log" 2>&1); then
			log "linux $1 is not served: $(grep -m1 -E '^(E|Err):' "$dl/apt-source.log")"
			rm -f "$f"
			return 1
		fi
		[ -s "$f" ] || return 1
	fi
	ksrc_tarball="$f"
	ksrc_version="${1%-*}"
}

# pristine_tree KVER - print the directory of kernel line KVER's pristine
# source tree (unpack_pristine).
pristine_tree() {
	kernel_source "$1"
	unpack_pristine "$ksrc_tarball" "$ksrc_version"
}

# kselftest_dir - print the kselftest directory (tools/testing/selftests,
# with kselftest.h and kselftest/ktap_helpers.sh) of the pristine 7.2 tree,
# unpacking it if needed: the tests' KTAP writers are kselftest's.
kselftest_dir() {
	local tree

	tree=$(pristine_tree 7.2) || return 1
	echo "$tree/tools/testing/selftests"
}

# unpack_pristine TARBALL VERSION - print the directory of Debian's kernel
# source TARBALL unpacked once, as $cache_dir/kernel/pristine-VERSION, for
# the kernel builds and the host build of the kdump code alike.
unpack_pristine() {
	local pristine="$cache_dir/kernel/pristine-$2"

	mkdir -p "$cache_dir/kernel"
	(
		flock 7
		[ -f "$pristine/.unpacked" ] && exit 0
		log "unpacking $1 ($2)"
		# Not under set -e here: the subshell is the left side of ||
		rm -rf "$pristine" && mkdir -p "$pristine" &&
			tar -xaf "$1" -C "$pristine" --strip-components=1 &&
			touch "$pristine/.unpacked"
	) 7>"$cache_dir/kernel/pristine.lock" >&2 || return 1
	echo "$pristine"
}

# series_patches KVER - print the patches of the kernel series of line
# KVER (patches/linux-KVER/), in order, without the cover letter
series_patches() {
	local p

	for p in "$top_dir/patches/linux-$1"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$p" ] || continue
		case "${p##*/}" in 0000-*) continue ;; esac
		echo "$p"
	done
}
