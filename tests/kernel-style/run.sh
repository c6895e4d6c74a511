#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (run inside Debian's pristine 6.12 tree) on every
# patch of patches/linux/ and on the overlaid new kernel files, and a check
# that the series applies in order to the pristine tree.  Prints KTAP.

set -e
. "$(dirname "$0")/../../scripts/lib/common.sh"

src_version=$(dpkg-query -W -f='${Version}' linux-source-6.12)
pristine="$cache_dir/kernel/pristine-$src_version"
if [ ! -f "$pristine/.unpacked" ]; then
	echo "KTAP version 1"
	echo "1..0 # SKIP no unpacked kernel tree (build a kernel first)"
	exit 0
fi

mapfile -t patches < <(ls "$top_dir"/patches/linux/*.patch)
mapfile -t files < <(cd "$top_dir" && find drivers -name '*.[ch]' | sort)
echo "KTAP version 1"
echo "1..$((${#patches[@]} + ${#files[@]} + 1))"
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

for p in "${patches[@]}"; do
	out=$(cd "$pristine" && perl scripts/checkpatch.pl --strict --terse "$p" 2>&1 |
		grep -E 'ERROR|WARNING|CHECK' || true)
	report "checkpatch --strict clean: patches/linux/${p##*/}" "$out"
done
for f in "${files[@]}"; do
	out=$(cd "$pristine" && perl scripts/checkpatch.pl --strict --terse -f \
		"$top_dir/$f" 2>&1 | grep -E 'ERROR|WARNING|CHECK' || true)
	report "checkpatch --strict -f clean: $f" "$out"
done

# The series applies in order, with the new files overlaid, to the files it
# touches in a pristine copy.
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
(cd "$top_dir" && find drivers Documentation -type f) | while read -r f; do
	mkdir -p "$tmp/$(dirname "$f")"
	cp "$top_dir/$f" "$tmp/$f"
done
for p in "${patches[@]}"; do
	if ! r=$(patch -d "$tmp" -p1 -s -N <"$p" 2>&1); then
		out="${p##*/} does not apply: $r"
		break
	fi
done
report "patches/linux applies in order to the pristine tree" "$out"
exit "$bad"
