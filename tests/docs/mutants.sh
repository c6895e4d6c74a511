#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Show that the docs test can fail: break the guide one way at a time in
# a scratch copy and expect the check that covers it to fail. Not part of
# make check (one run.sh per mutant, about 10 s each).
#
#   mutants.sh [-r RST] [-s DIR] [-k] [NAME...]
#     -r  the guide to break (default: guide/arm-smmu.rst)
#     -s  the series to check against (run.sh -s)
#     -k  keep the scratch directory
#
# Prints KTAP: "ok" for a mutant that its check caught, "not ok" for one
# that survived, a skip for one whose text is no longer in the guide.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

rst="$top_dir/guide/arm-smmu.rst"
series=()
keep=0
while getopts 'r:s:k' opt; do
	case "$opt" in
	r) rst="$OPTARG" ;;
	s) series=(-s "$OPTARG") ;;
	k) keep=1 ;;
	*) sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ -f "$rst" ] || die "no guide $rst (-r RST)"
scratch_dir docs-mutants

# NAME~~regex~~replacement~~words of the title of the check that must
# fail. A replacement inside the troubleshooting table keeps the length,
# so that the table stays a table.
mutants=(
	"too-long~~\\Z~~$(printf '\\n..%.0s' {1..20})~~at most 450 lines"
	"warning-row-lost~~kdump: SMMU is not cache coherent~~kdump: SMMU lacks cache coherency~~troubleshooting row"
	"section-renamed~~\\nTroubleshooting\\n===============\\n~~\\nProblems\\n========\\n~~sections:"
	"kdumpctl-missing~~With kdumpctl~~With the tool~~sections:"
	"option-unnamed~~--smmu-kdump-keep-path~~--smmu-kdump-keep-PATH~~option of the kexec patches"
	"mode-unnamed~~\`\`keep-all\`\`~~keep-all~~kdump_mode value"
	"terms-mixed~~(\\nOverview\\n========\\n)~~\\1\\nThe crash kernel boots.\\n~~one name for each kernel"
	"wide-line~~(\\nOverview\\n========\\n)~~\\1\\n$(printf 'x%.0s' {1..81})\\n~~80 columns"
	"sphinx-role~~(\\nOverview\\n========\\n)~~\\1\\nSee :ref:\`kdump\`.\\n~~Sphinx-only"
)

# mutate FROM TO IN OUT - OUT is IN with every match of FROM replaced
mutate() {
	python3 - "$@" <<'EOF'
import re
import sys
src, dst, inp, out = sys.argv[1:5]
text = open(inp, encoding="utf-8").read()
new, n = re.subn(src, dst.replace("\\n", "\n"), text)
if not n or new == text:
    sys.exit(4)
open(out, "w", encoding="utf-8").write(new)
EOF
}

if [ "$#" -gt 0 ]; then
	sel=()
	for m in "${mutants[@]}"; do
		for n in "$@"; do
			[ "${m%%~~*}" = "$n" ] && sel+=("$m")
		done
	done
	mutants=("${sel[@]}")
fi

echo "KTAP version 1"
echo "1..${#mutants[@]}"
# The unbroken guide must pass the checks the mutants break
bash "$here/run.sh" -r "$rst" "${series[@]}" >"$scratch/base.ktap" 2>&1 || true
nr=0
caught=0
for m in "${mutants[@]}"; do
	IFS=$'\x1f' read -r name from to check <<<"${m//~~/$'\x1f'}"
	nr=$((nr + 1))
	if ! grep -q "^ok .*$check" "$scratch/base.ktap"; then
		echo "# the unbroken guide does not pass the check '$check'"
		echo "not ok $nr - docs mutant: $name"
		continue
	fi
	mkdir -p "$scratch/$name"
	rc=0
	mutate "$from" "$to" "$rst" "$scratch/$name/arm-smmu.rst" || rc=$?
	if [ "$rc" = 4 ]; then
		echo "ok $nr - docs mutant: $name # SKIP its text is not in the guide"
		continue
	fi
	bash "$here/run.sh" -r "$scratch/$name/arm-smmu.rst" "${series[@]}" \
		>"$scratch/$name/run.ktap" 2>&1 || true
	if grep -q "^not ok .*$check" "$scratch/$name/run.ktap"; then
		grep "^not ok" "$scratch/$name/run.ktap" | sed 's/^/# /'
		echo "ok $nr - docs mutant: $name"
		caught=$((caught + 1))
	else
		echo "# survived: no failing check '$check'"
		echo "not ok $nr - docs mutant: $name"
	fi
done
echo "# docs mutants: $caught passed, $((nr - caught)) failed"
[ "$caught" = "$nr" ]
