#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Style and build checks of every kernel series (patches/linux-KVER/, for
# each kernel line that has one), run against that line's pristine tree:
#  - checkpatch.pl --strict on each patch;
#  - the series applies in order;
#  - each patch builds in turn with W=1 and sparse, with the configuration
#    of the line's project kernel (scripts/series.sh check);
#  - every file the series adds is covered by MAINTAINERS;
# and that no kernel file lives outside the series.  Prints KTAP.

set -e
. "$(dirname "$0")/../../scripts/lib/common.sh"
. "$(dirname "$0")/../lib/ktap.sh"

kvers=()
for kver in $kernel_lines; do
	[ -d "$top_dir/patches/linux-$kver" ] || continue
	p="$cache_dir/kernel/pristine-$(kernel_source "$kver" >/dev/null 2>&1 &&
		echo "$ksrc_version")"
	[ -f "$p/.unpacked" ] && kvers+=("$kver")
done
if [ "${#kvers[@]}" -eq 0 ]; then
	ktap_print_header
	ktap_skip_all "no unpacked kernel tree (build a kernel first)"
	exit 0
fi

ntests=1
for kver in "${kvers[@]}"; do
	mapfile -t patches < <(series_patches "$kver")
	ntests=$((ntests + 2 * ${#patches[@]} + 2))
done
ktap_print_header
ktap_set_plan "$ntests"
# report NAME DIAG - a result: ok if DIAG is empty, else not ok after it
report() {
	if [ -z "$2" ]; then
		ktap_test_pass "kernel style: $1"
	else
		printf '%s\n' "$2" | head -n 10 | sed 's/^/# /'
		ktap_test_fail "kernel style: $1"
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for kver in "${kvers[@]}"; do
	kernel_source "$kver"
	pristine="$cache_dir/kernel/pristine-$ksrc_version"
	mapfile -t patches < <(series_patches "$kver")

	for p in "${patches[@]}"; do
		out=$(cd "$pristine" && perl scripts/checkpatch.pl --strict --terse "$p" 2>&1 |
			grep -E 'ERROR|WARNING|CHECK' || true)
		report "checkpatch --strict clean: linux-$kver/${p##*/}" "$out"
	done

	# The series applies in order to the files it touches in a pristine copy.
	rm -rf "$tmp/tree"
	mkdir -p "$tmp/tree"
	out=""
	for p in "${patches[@]}"; do
		sed -n 's|^+++ b/||p' "$p"
	done | sort -u | while read -r f; do
		[ -e "$pristine/$f" ] || continue
		mkdir -p "$tmp/tree/$(dirname "$f")"
		cp "$pristine/$f" "$tmp/tree/$f"
	done
	for p in "${patches[@]}"; do
		if ! r=$(patch -d "$tmp/tree" -p1 -s -N <"$p" 2>&1); then
			out="${p##*/} does not apply: $r"
			break
		fi
	done
	report "linux-$kver applies in order to the pristine $ksrc_version tree" "$out"

	# Every patch builds in turn with W=1 and sparse, with the
	# configuration and object list of the project kernel's output
	# directory, in a series tree of its own (not the one a developer
	# edits the series in).
	build_tree=$(bash "$top_dir/scripts/build-kernel.sh" -p -k "$kver" -v project)
	series_tree="$cache_dir/series/check-linux-$kver"
	if [ -f "$build_tree/objects" ] &&
		bash "$top_dir/scripts/series.sh" branch "$kver" "$series_tree" \
			>"$tmp/branch.log" 2>&1; then
		bash "$top_dir/scripts/series.sh" check "$kver" "$build_tree" \
			"$series_tree" >"$tmp/check.log" 2>&1 || true
		i=0
		for p in "${patches[@]}"; do
			i=$((i + 1))
			line=$(grep -E "^(not )?ok $i - " "$tmp/check.log" || true)
			diag=$(awk -v i="$i" '/^(not )?ok / { n++ }
				n == i - 1 && /^# / { sub(/^# /, ""); print }' \
				"$tmp/check.log")
			case "$line" in
			"ok "*) out="" ;;
			"not ok "*) out="${diag:-$line}" ;;
			*) out="no result: $(tail -n 3 "$tmp/check.log")" ;;
			esac
			report "W=1 and sparse clean: linux-$kver/${p##*/}" "$out"
		done
	else
		ktap_print_msg "no project kernel build tree"
		for p in "${patches[@]}"; do
			ktap_test_skip "kernel style: W=1 and sparse clean: linux-$kver/${p##*/}"
		done
	fi

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
	report "every file linux-$kver adds is covered by MAINTAINERS" "$out"
done

# The series are the only home of kernel code and kernel docs.
out=$(cd "$top_dir" && git ls-files drivers include fs Documentation arch 2>/dev/null |
	head -n 5)
report "no kernel file outside the series" "$out"
ktap_finished
