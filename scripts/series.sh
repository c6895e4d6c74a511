#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn a kernel series of patches/linux-KVER/ into a git branch on the
# pristine kernel tree, and export the branch back, so that the series is
# edited with git (commit --fixup, rebase -i) and never by hand.
#
#   series.sh branch KVER [DIR]   make DIR a git tree of the pristine KVER
#                                 sources (tag "pristine") with branch
#                                 "series": one commit per patch (git am),
#                                 the cover letter as branch description
#   series.sh export KVER [DIR]   write pristine..series back to
#                                 patches/linux-KVER/ with git format-patch,
#                                 the cover letter made from the description
#   series.sh check KVER KERNEL [DIR]
#                                 build each patch of the branch in turn:
#                                 the objects of the files it touches that
#                                 the kernel KERNEL (an output directory of
#                                 build-kernel.sh) links, with its .config,
#                                 W=1 and sparse (C=2); print KTAP
#                                 with the warnings that the pristine tree
#                                 does not have; fail on any, or if a patch
#                                 does not build
#   series.sh dir KVER            print the default DIR
#
# KVER is 6.12 (Debian's linux-source-6.12) or 7.2 (the orig tarball of
# sid's linux source package).  DIR defaults to $cache_dir/series/linux-KVER.
# The cover letter's first paragraph is its subject; the rest, up to the
# shortlog that format-patch appends, is its body.

set -e
. "$(dirname "$0")/lib/common.sh"
export LC_ALL=C

author_name="arm-smmu-kdump developers"
author_email="arm-smmu-kdump@example.org"

usage() {
	sed -n '6,23p' "$0" >&2
	exit 1
}

[ $# -ge 2 ] || usage
cmd="$1"
kver="$2"
shift 2
if [ "$cmd" = check ]; then
	[ $# -ge 1 ] || usage
	built="$1"
	shift
fi
dir="${1:-$cache_dir/series/linux-$kver}"
series="$top_dir/patches/linux-$kver"

git_() {
	git -C "$dir" -c user.name="$author_name" -c user.email="$author_email" \
		-c core.autocrlf=false -c gc.auto=0 -c core.abbrev=9 "$@"
}

# Print the cover letter of $series as a branch description: the subject
# without its [PATCH 0/N] tag, a blank line, the body up to the shortlog.
cover_description() {
	awk '
		/^Subject: / { sub(/^Subject: (\[[^]]*\] *)?/, ""); subj = $0; insub = 1; next }
		insub && /^ / { subj = subj $0; next }
		insub { insub = 0; print subj; print ""; body = 1; next }
		body && /^[^ ].* \([0-9]+\):$/ { exit }
		body { print }
	' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

# One command at a time in a tree: two checkouts sharing the cache (two
# make check runs, kernel-style beside an edit) would otherwise rebuild
# and check out the same tree under each other.
if [ "$cmd" != dir ]; then
	mkdir -p "$(dirname "$dir")"
	exec 8>"$dir.lock"
	flock 8
fi

case "$cmd" in
dir)
	echo "$dir"
	;;
branch)
	[ -d "$series" ] || die "no series $series"
	if [ ! -d "$dir/.git" ]; then
		pristine=$(pristine_tree "$kver")
		log "making $dir a git tree of $pristine (once)"
		rm -rf "$dir"
		mkdir -p "$dir"
		cp -a "$pristine/." "$dir/"
		rm -f "$dir/.unpacked"
		# Debian's .gitignore ignores the whole top level of its tree.
		sed -i '/^# Debian packaging/,$d' "$dir/.gitignore"
		git_ init -q
		git_ add -A -f .
		GIT_COMMITTER_DATE="2024-01-01T00:00:00Z" \
			git_ commit -q --date="2024-01-01T00:00:00Z" \
			-m "Linux $kver as packaged by Debian (pristine)"
		git_ tag pristine
	fi
	git_ am --abort >/dev/null 2>&1 || true
	git_ checkout -q -f -B series pristine
	git_ clean -q -fdx
	mapfile -t patches < <(ls "$series"/[0-9][0-9][0-9][0-9]-*.patch |
		grep -v '/0000-')
	[ "${#patches[@]}" -gt 0 ] || die "$series has no patches"
	git_ am -q --committer-date-is-author-date "${patches[@]}" ||
		die "git am stopped in $dir: fix it there, then 'git am --continue'"
	cover=$(ls "$series"/0000-*.patch 2>/dev/null | head -n 1)
	if [ -n "$cover" ]; then
		git_ config branch.series.description "$(cover_description "$cover")"
		# "[PATCH v2 0/8]" gives the prefix "PATCH v2" to the export
		prefix=$(sed -n 's/^Subject: \[\(.*\) 0*0\/[0-9]*\].*/\1/p' "$cover")
		git_ config format.subjectPrefix "${prefix:-PATCH}"
	fi
	log "$dir: branch 'series', ${#patches[@]} commits on 'pristine'"
	;;
export)
	[ -d "$dir/.git" ] || die "$dir is not a series tree: run '$0 branch $kver'"
	[ -n "$(git_ config branch.series.description)" ] ||
		die "no cover letter: git -C $dir branch --edit-description series"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# --zero-commit and no signature: the files change only when a patch does
	git_ format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject \
		-o "$tmp" pristine..series
	# The cover letter's date is that of the newest patch, not of now.
	last=$(git_ log -1 --format='%aD' series)
	sed -i "s/^Date: .*/Date: $last/" "$tmp"/0000-cover-letter.patch
	mkdir -p "$series"
	rm -f "$series"/*.patch
	cp "$tmp"/*.patch "$series"/
	log "exported $(($(ls "$tmp" | wc -l) - 1)) patches and a cover letter to $series"
	;;
check)
	[ -d "$dir/.git" ] || die "$dir is not a series tree: run '$0 branch $kver'"
	if [ ! -f "$built/.config" ] || [ ! -f "$built/objects" ]; then
		die "$built is not an output directory of build-kernel.sh"
	fi
	build="$dir.build"
	mkdir -p "$build"
	export CCACHE_DIR="${CCACHE_DIR:-$cache_dir/ccache}"
	export KBUILD_BUILD_TIMESTAMP="2024-01-01"
	kmake=(make -s -C "$dir" -j"$nproc" ARCH=arm64 CROSS_COMPILE="$cross_compile"
		CC="ccache ${cross_compile}gcc" O="$build")
	head=$(git_ rev-parse series)
	trap 'git_ checkout -q -f series' EXIT
	git_ checkout -q -f pristine
	cp "$built/.config" "$build/.config"
	"${kmake[@]}" olddefconfig >/dev/null
	"${kmake[@]}" prepare >/dev/null 2>&1 || die "make prepare failed in $build"

	# objs COMMIT - the objects of the files COMMIT touches that CONFIG
	# builds: the .c files themselves, and those beside a changed .h file
	objs() {
		git_ diff --name-only "$1^" "$1" | while read -r f; do
			case "$f" in
			*.c) echo "${f%.c}.o" ;;
			drivers/*.h)
				for c in "$dir/$(dirname "$f")"/*.c; do
					c=${c#"$dir/"}
					echo "${c%.c}.o"
				done ;;
			esac
		done | sort -u
	}
	# warnings COMMIT TARGET... - W=1 and sparse diagnostics of the
	# targets that exist at COMMIT, without line numbers so that they
	# compare
	warnings() {
		local c="$1" out t ts=()
		shift
		git_ checkout -q -f "$c"
		for t in "$@"; do
			[ -f "$dir/${t%.o}.c" ] || continue
			touch "$dir/${t%.o}.c"
			ts+=("$t")
		done
		[ "${#ts[@]}" -gt 0 ] || return 0
		out=$("${kmake[@]}" W=1 C=2 "${ts[@]}" 2>&1) || {
			printf '%s\n' "$out" | grep -E 'error|Error' | head -n 20
			echo "BUILD FAILED"
			return 0
		}
		# Only about the files of the touched directories: a single
		# target can rebuild others (the vDSO), which C=2 checks too
		printf '%s\n' "$out" | grep -E 'warning:|error:' |
			grep -F -f <(for t in "${ts[@]}"; do
				echo "$dir/$(dirname "$t")/"
			done) |
			sed -E 's/:[0-9]+:[0-9]+:/:/' | LC_ALL=C sort -u
	}
	rm -f "$build"/before-*
	bad=0
	n=0
	for c in $(git_ rev-list --reverse pristine..series); do
		n=$((n + 1))
		subject=$(git_ log -1 --format=%s "$c")
		# only what the configuration builds
		mapfile -t targets < <(objs "$c" | while read -r o; do
			grep -qxF "$o" "$built/objects" && echo "$o"
		done)
		if [ "${#targets[@]}" -eq 0 ]; then
			echo "ok $n - $subject: builds (no object touched)"
			continue
		fi
		# One after the other: both check out the same tree.  The
		# pristine tree's warnings once per set of targets.
		before="$build/before-$(echo "${targets[*]}" | sha256sum | cut -c1-16)"
		[ -f "$before" ] || warnings pristine "${targets[@]}" >"$before"
		warnings "$c" "${targets[@]}" >"$build/after"
		new=$(comm -13 "$before" "$build/after")
		if [ -n "$new" ]; then
			printf '%s\n' "$new" | head -n 10 | sed 's/^/# /'
			echo "not ok $n - $subject: W=1 and sparse clean (${targets[*]})"
			bad=1
		else
			echo "ok $n - $subject: W=1 and sparse clean (${targets[*]})"
		fi
	done
	[ "$(git_ rev-parse series)" = "$head" ] || die "branch moved"
	exit "$bad"
	;;
*)
	usage
	;;
esac
