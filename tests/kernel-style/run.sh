#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (run inside Debian's pristine 6.12 tree) on every
# patch of the series patches/linux-6.12/, a check that the series applies
# in order to the pristine tree, and that no kernel file lives outside the
# series.  Prints KTAP.

set -e
. "$(dirname "$0")/../../scripts/lib/common.sh"

src_version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
pristine="$cache_dir/kernel/pristine-$src_version"
if [ ! -f "$pristine/.unpacked" ]; then
	echo "KTAP version 1"
	echo "1..0 # SKIP no unpacked kernel tree (build a kernel first)"
	exit 0
fi

mapfile -t patches < <(series_patches 6.12)
echo "KTAP version 1"
echo "1..$((2 * ${#patches[@]} + 3))"
n=0
bad=0
report() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - kernel style: $1"
	else
		printf '%s\n' "$2" | head -n 10 | sed 's/^/# /'
		echo "not ok $n - kernel style: $1"
		bad=1
	fi
}

# checkpatch asks whether MAINTAINERS needs updating whenever a patch adds a
# file; the last check below shows that an F: directory covers each one.
for p in "${patches[@]}"; do
	out=$(cd "$pristine" && perl scripts/checkpatch.pl --strict --terse \
		--ignore FILE_PATH_CHANGES "$p" 2>&1 |
		grep -E 'ERROR|WARNING|CHECK' || true)
	report "checkpatch --strict clean: patches/linux-6.12/${p##*/}" "$out"
done

# The series applies in order to the files it touches in a pristine copy.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=""
for p in "${patches[@]}"; do
	sed -n 's|^+++ b/||p' "$p"
done | sort -u | while read -r f; do
	[ -e "$pristine/$f" ] || continue
	mkdir -p "$tmp/$(dirname "$f")"
	cp "$pristine/$f" "$tmp/$f"
done
for p in "${patches[@]}"; do
	if ! r=$(patch -d "$tmp" -p1 -s -N <"$p" 2>&1); then
		out="${p##*/} does not apply: $r"
		break
	fi
done
report "patches/linux-6.12 applies in order to the pristine tree" "$out"

# Every patch builds in turn with W=1 and sparse, with the configuration
# of the project kernel's build tree (scripts/series.sh check).
# A tree of its own, not the one a developer edits the series in.
build_tree="$cache_dir/kernel/6.12-project/build"
series_tree="$cache_dir/series/check-linux-6.12"
if [ -f "$build_tree/.config" ] &&
	bash "$top_dir/scripts/series.sh" branch 6.12 "$series_tree" \
		>"$tmp/branch.log" 2>&1; then
	bash "$top_dir/scripts/series.sh" check 6.12 "$build_tree" "$series_tree" \
		>"$tmp/check.log" 2>&1 || true
	i=0
	for p in "${patches[@]}"; do
		i=$((i + 1))
		line=$(grep -E "^(not )?ok $i - " "$tmp/check.log" || true)
		diag=$(awk -v i="$i" '/^(not )?ok / { n++ } n == i - 1 && /^# / { sub(/^# /, ""); print }' \
			"$tmp/check.log")
		case "$line" in
		"ok "*) report "W=1 and sparse clean: ${p##*/}" "" ;;
		"not ok "*) report "W=1 and sparse clean: ${p##*/}" "${diag:-$line}" ;;
		*) report "W=1 and sparse clean: ${p##*/}" "no result: $(tail -n 3 "$tmp/check.log")" ;;
		esac
	done
else
	for p in "${patches[@]}"; do
		n=$((n + 1))
		echo "ok $n - kernel style: W=1 and sparse clean: ${p##*/} # SKIP no project kernel build tree"
	done
fi

# The series is the only home of kernel code and kernel docs.
out=$(cd "$top_dir" && git ls-files drivers include fs Documentation arch 2>/dev/null |
	head -n 5)
report "no kernel file outside the series" "$out"

# Every file the series adds lies in a directory that MAINTAINERS lists.
out=$(for p in "${patches[@]}"; do
	awk '/^diff --git/ { f = $4; sub(/^b\//, "", f) }
		/^new file mode/ { print f }' "$p"
done | while read -r f; do
	covered=0
	while read -r d; do
		case "$f" in "$d"*) covered=1; break ;; esac
	done < <(sed -n 's|^F:[[:space:]]*\(.*/\)$|\1|p' "$pristine/MAINTAINERS")
	[ "$covered" = 1 ] || echo "$f: no F: entry of MAINTAINERS covers it"
done)
report "every file the series adds is covered by MAINTAINERS" "$out"
exit "$bad"
