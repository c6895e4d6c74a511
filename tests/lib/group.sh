# SPDX-License-Identifier: GPL-2.0
# run_group for the test runners (sourced, not run): tests/run-all.sh,
# scripts/pages.sh and scripts/kasan.sh add up their groups' KTAP with it.
#
# The caller sets group_dir (where NAME.ktap and NAME.stderr go) and, to
# gather every group's KTAP in one file, group_results.  The totals are
# passed, failed and skipped; broken lists the groups that did not run to
# the end, which group_broken prints.

declare -F die >/dev/null ||
	. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

passed=0
failed=0
skipped=0
broken=()
group_results=

# run_group NAME CMD... - run a KTAP-printing command, tally its top-level
# results.  A group that exits non-zero without a "not ok" is itself a failure,
# and so is each result its plan announced that never came (it stopped early).
run_group() {
	local name="$1" out rc p f s planned lost
	shift
	out="$group_dir/$name.ktap"
	echo "# ---- $name"
	"$@" 2>"$group_dir/$name.stderr" | tee "$out"
	rc=${PIPESTATUS[0]}	# the group's own, not tee's
	read -r p f s planned lost < <(PYTHONPATH="$top_dir" python3 -m tests.lib.ktap_parse count "$out")
	passed=$((passed + p))
	skipped=$((skipped + s))
	failed=$((failed + f))
	[ -z "$group_results" ] || cat "$out" >>"$group_results"
	if [ "$lost" -gt 0 ]; then
		# already counted as failures
		echo "# $name: stopped after $((planned - lost)) of its $planned results (exit status $rc):"
		tail -n 20 "$group_dir/$name.stderr" | sed 's/^/#   /'
		broken+=("$name")
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $name: exited $rc without a failing test:"
		tail -n 20 "$group_dir/$name.stderr" | sed 's/^/#   /'
		failed=$((failed + 1))
		broken+=("$name")
	fi
}

# group_broken - one line naming the groups that did not run to the end
group_broken() {
	[ "${#broken[@]}" -eq 0 ] ||
		echo "# groups that did not run to the end: ${broken[*]}"
}
