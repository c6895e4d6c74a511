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

# pristine_tree KVER - print the unpacked pristine tree of kernel line KVER
pristine_tree() {
	local tarball version
	case "$1" in
	6.12)
		tarball=/usr/src/linux-source-6.12.tar.xz
		[ -f "$tarball" ] || die "$tarball missing: run scripts/setup-host.sh"
		version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
		;;
	7.2)
		# Debian's orig tarball of sid's linux 7.2.8: upstream as is
		version=7.2.8
		tarball=${LINUX_72_TARBALL:-/tmp/l72/linux_7.2.8.orig.tar.xz}
		[ -f "$cache_dir/kernel/pristine-$version/.unpacked" ] ||
			[ -f "$tarball" ] || die "$tarball missing"
		;;
	*)
		die "no pristine tree for kernel line '$1'"
		;;
	esac
	unpack_pristine "$tarball" "$version"
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
