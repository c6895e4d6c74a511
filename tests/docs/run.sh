#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Checks of the admin guide Documentation/admin-guide/kdump/arm-smmu.rst.
#
# Prints one KTAP document and exits non-zero if any check fails:
#  - the guide builds with docutils without warnings and uses no markup
#    that only Sphinx knows;
#  - kernel rst style: SPDX line, title, underlines, <= 80 columns;
#  - it is at most 450 lines long, and its sections are, in this order:
#    overview, quick start (with kexec, kdump-tools and kdumpctl
#    subsections, in this order), parameters, checking the result,
#    troubleshooting, limitations (a references section may follow);
#  - it has one name for each of the two kernels (kdump.rst's "system
#    kernel" and "dump-capture kernel", or another pair);
#  - every arm_smmu_v3.kdump_* parameter and kdump_mode value of the
#    kernel code, and every --smmu-kdump-* option of kexec-tools-patches/,
#    starts an inline literal of the guide;
#  - every warning and error that arm-smmu-v3-kdump.c prints (dev_warn(),
#    dev_err()) is matched by a row of the troubleshooting table;
#  - the kernel-parameters.txt entry of each arm_smmu_v3.kdump_* parameter
#    points to the guide;
#  - the guide comes in a patch of its own of the series that adds it to
#    the kdump toctree.
#
#   run.sh [-r RST] [-l LINE] [-s DIR] [-p PATCH] [-k]
#     -r  guide to check (default: arm-smmu.rst as the series makes it)
#     -l  kernel line whose series patches/linux-LINE/ gives the code,
#         kernel-parameters.txt and the index (7.2 or 6.12; default 7.2)
#     -s  take the series from DIR instead (a copy being edited)
#     -p  the patch that adds the guide (default: found in the series)
#     -k  keep the scratch directory
#
# A warning counts as matched when one row of the troubleshooting table
# contains a recognisable prefix of it: its text up to at least its first
# 24 literal characters ("kdump: " included; the whole message if it is
# shorter) and at least 6 characters past the point where it differs from
# every other warning, each %-conversion written as a word or a
# <placeholder>, line breaks anywhere (guide_checks.py: MIN_LITERAL,
# MIN_DISTINCT). Parameters, modes and options must each start an inline
# literal (``...``), and not only as the beginning of a longer name.

set -e
trap 'echo "run.sh: aborting" >&2' ERR
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"
. "$here/../lib/ktap.sh"

line=7.2
series_dir=
rst=
index_patch=
keep=0

print_usage() {
	sed -n '3,/^$/p' "$0" | sed -e '/^$/d' -e 's/^# \{0,1\}//'
}

while getopts 'r:l:s:p:kh' opt; do
	case "$opt" in
	r) rst="$OPTARG" ;;
	l) line="$OPTARG" ;;
	s) series_dir="$OPTARG" ;;
	p) index_patch="$OPTARG" ;;
	k) keep=1 ;;
	h) print_usage; exit 0 ;;
	*) print_usage; exit 1 ;;
	esac
done
case " $kernel_lines " in
*" $line "*) ;;
*) die "-l: unknown kernel line '$line' (known: $kernel_lines)" ;;
esac
series_dir="${series_dir:-$top_dir/patches/linux-$line}"
[ -d "$series_dir" ] || die "no series $series_dir"
# The patches of the series, in order, without the cover letter
mapfile -t patches < <(find "$series_dir" -maxdepth 1 \
	-name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | LC_ALL=C sort)

scratch_dir docs-test
tree="$scratch/tree"
guide=Documentation/admin-guide/kdump/arm-smmu.rst
kdump_c=drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c
# The files the checks read: those the series creates come from the
# patches alone, the others start from the pristine tree.
from_pristine=(Documentation/admin-guide/kdump/index.rst
	Documentation/admin-guide/kernel-parameters.txt
	drivers/iommu/arm/arm-smmu-v3/Makefile)

# prepare_tree - the files above as the series $series_dir makes
# them, in $tree
prepare_tree() {
	local pristine f p
	local -a include=()

	pristine=$(pristine_tree "$line") || return 1
	for f in "${from_pristine[@]}"; do
		mkdir -p "$tree/${f%/*}"
		cp "$pristine/$f" "$tree/$f"
		include+=(--include="$f")
	done
	include+=(--include="$guide" --include="$kdump_c")
	for p in "${patches[@]}"; do
		(cd "$tree" && git apply "${include[@]}" "$p") || {
			echo "${p##*/} does not apply to the files of the check"
			return 1
		}
	done
}

if [ -z "$index_patch" ]; then
	index_patch=$(grep -l "^+++ b/$guide" "${patches[@]}" /dev/null |
		head -n 1) || true
fi

# result RC DESC - print one KTAP result line after the diagnostics in
# $scratch/diag; RC 0 pass, 4 skip (the reason: the last diagnostic), else
# fail.
result() {
	local rc="$1" desc="$2"
	if [ -s "$scratch/diag" ]; then
		sed 's/^/# /' "$scratch/diag"
	fi
	case "$rc" in
	0) ktap_test_pass "docs: $desc" ;;
	4) ktap_test_skip "docs: $desc" ;;
	*) ktap_test_fail "docs: $desc" ;;
	esac
	: >"$scratch/diag"
}

# run_check DESC CMD... - run a check with its diagnostics in $scratch/diag
run_check() {
	local desc="$1" rc=0
	shift
	"$@" >>"$scratch/diag" 2>&1 || rc=$?
	result "$rc" "$desc"
}

# guide_check CHECK - one check of guide_checks.py
guide_check() {
	if [ "$tree_ok" != 1 ] && [ "$1" != length ] &&
		[ "$1" != sections ] && [ "$1" != terms ] && [ "$1" != options ]; then
		echo "the files of the series ${series_dir#"$top_dir/"} could not be prepared"
		return 1
	fi
	python3 "$here/guide_checks.py" "$1" "$rst" "$tree" "$top_dir"
}

# ---- docutils build, no Sphinx-only markup

check_docutils() {
	local out
	if ! python3 -c 'import docutils' 2>/dev/null; then
		echo "python3-docutils is not installed"
		return 4
	fi
	if ! out=$(python3 -m docutils --halt=warning --report=warning \
			--no-datestamp --no-generator "$rst" "$scratch/out.html" 2>&1); then
		printf '%s\n' "$out"
		echo "docutils failed on ${rst##*/}"
		return 1
	fi
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		return 1
	fi
}

check_no_sphinx() {
	# Roles and directives that docutils does not know; the kernel's
	# Sphinx turns Documentation/... paths into links by itself.
	if grep -nE ':(doc|ref|c:[a-z]+|manpage|kbd|file|envvar|option|numref|term|abbr|menuselection|samp|program|command):`|^[[:space:]]*\.\. (toctree|only|kernel-doc|kernel-abi|kernel-feat|kernel-include|code-block|sourcecode|c:[a-z]+|glossary|index|seealso|versionadded|versionchanged|deprecated|note-sphinx)::' "$rst"; then
		echo "Sphinx-only markup found (see above)"
		return 1
	fi
}

# ---- style

check_columns() {
	python3 - "$rst" <<'EOF'
import sys
bad = 0
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if "\t" in line:
        print(f"line {n}: tab character")
        bad += 1
    if line != line.rstrip():
        print(f"line {n}: trailing whitespace")
        bad += 1
    if len(line.expandtabs(8)) > 80:
        print(f"line {n}: {len(line.expandtabs(8))} columns: {line[:60]}...")
        bad += 1
sys.exit(1 if bad else 0)
EOF
}

check_title() {
	python3 - "$rst" <<'EOF'
import re
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
bad = []
if lines[0] != ".. SPDX-License-Identifier: GPL-2.0":
    bad.append("line 1 is not '.. SPDX-License-Identifier: GPL-2.0'")
if len(lines) < 6 or lines[1] != "":
    bad.append("line 2 is not empty")
else:
    over, title, under = lines[2], lines[3], lines[4]
    if not title.strip() or title != title.strip():
        bad.append("line 4 is not a title")
    elif over != "=" * len(title) or under != over:
        bad.append("the title needs '=' lines over and under it, "
                   "as long as the title")
# Sections: '=' underlines, subsections '-'; as long as their titles.
for i in range(5, len(lines)):
    m = re.fullmatch(r"([=\-~^\"'`#*+.:_])\1{2,}", lines[i])
    prev = lines[i - 1]
    if not m or not prev.strip() or prev[0].isspace() or prev[0] == "+":
        continue
    if m.group(1) not in "=-":
        bad.append(f"line {i + 1}: '{m.group(1)}' underline, use '=' "
                   "for sections and '-' for subsections")
    if len(lines[i]) != len(prev):
        bad.append(f"line {i + 1}: underline of '{prev}' is "
                   f"{len(lines[i])} long, not {len(prev)}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

# ---- the index patch

# check_index_patch - the patch that adds the guide is a patch of its own
# (Documentation/admin-guide/kdump/ and the guide's MAINTAINERS line) and
# lists it in the kdump toctree
check_index_patch() {
	local f toc

	if [ -z "$index_patch" ] || [ ! -f "$index_patch" ]; then
		echo "no patch of ${series_dir#"$top_dir/"} adds the guide"
		return 1
	fi
	for f in $(sed -n 's|^+++ b/||p' "$index_patch" | sort -u); do
		case "$f" in
		"$guide") ;;
		Documentation/admin-guide/kdump/index.rst) ;;
		MAINTAINERS) ;;	# the guide's F: line
		*)
			echo "${index_patch##*/} must change only the guide," \
				"the kdump index and MAINTAINERS, not: $f"
			return 1
			;;
		esac
	done
	grep -q '^Signed-off-by: ' "$index_patch" ||
		{ echo "${index_patch##*/}: no Signed-off-by"; return 1; }
	if [ "$tree_ok" != 1 ]; then
		echo "the files of the series ${series_dir#"$top_dir/"} could not be prepared"
		return 1
	fi

	# The toctree must list arm-smmu, the name of the guide without .rst.
	toc=$(awk '/^\.\. toctree::/ { in_toc = 1; next }
		in_toc && /^[^[:space:]]/ { in_toc = 0 }
		in_toc && $1 !~ /^:/ && NF { print $1 }' \
		"$tree/Documentation/admin-guide/kdump/index.rst")
	if ! printf '%s\n' "$toc" | grep -qx "$(basename "$rst" .rst)"; then
		echo "the kdump toctree does not list $(basename "$rst" .rst):" \
			"$(printf '%s' "$toc" | tr '\n' ' ')"
		return 1
	fi
}

ktap_print_header
ktap_set_plan 12
: >"$scratch/diag"
tree_ok=0
if prepare_tree >"$scratch/prepare.log" 2>&1; then
	tree_ok=1
else
	sed 's/^/# /' "$scratch/prepare.log"
fi
[ -n "$rst" ] || rst="$tree/$guide"
if [ ! -f "$rst" ]; then
	echo "# $rst does not exist"
fi
echo "# guide: ${rst#"$scratch/tree/"}; series: ${series_dir#"$top_dir/"}"

run_check "${rst##*/} builds with docutils without warnings" check_docutils
run_check "${rst##*/} uses no Sphinx-only markup" check_no_sphinx
run_check "${rst##*/} lines fit in 80 columns, no tabs or trailing blanks" \
	check_columns
run_check "${rst##*/} has the SPDX line, kernel-style title and underlines" \
	check_title
run_check "${rst##*/} is at most 450 lines long" guide_check length
run_check "sections: overview, quick start (kexec, kdump-tools, kdumpctl), parameters, checking the result, troubleshooting, limitations" \
	guide_check sections
run_check "one name for each kernel (system / dump-capture kernel)" \
	guide_check terms
run_check "every arm_smmu_v3.kdump_* parameter and kdump_mode value is named" \
	guide_check parameters
run_check "every --smmu-kdump-* option of the kexec patches is named" \
	guide_check options
run_check "every kdump warning and error of the kernel has a troubleshooting row" \
	guide_check warnings
run_check "the kernel-parameters.txt entries point to the guide" \
	guide_check kernel-parameters
run_check "the guide is a patch of its own and in the kdump toctree" \
	check_index_patch
ktap_finished
