# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for the host test runners (sourced, not run).

# ktap_subtests PREFIX DIR STDERR NAME:TITLE... - run DIR/NAME for each item
# as one subtest of a KTAP document.  Each program prints KTAP ending in
# "# ...: N passed, N failed"; its output is indented under the subtest and
# its counts are summed.  STDERR is "merge" to fold the program's stderr into
# its output, anything else to leave it on stderr.  Returns non-zero if a
# program failed or printed no summary.
ktap_subtests() {
	local prefix="$1" dir="$2" stderr="$3" t prog out rc summary
	local nr=0 failed=0 sum_pass=0 sum_fail=0
	shift 3
	echo "KTAP version 1"
	echo "1..$#"
	for t in "$@"; do
		prog=${t%%:*}
		nr=$((nr + 1))
		rc=0
		if [ "$stderr" = merge ]; then
			out=$(TMPDIR="$dir" "$dir/$prog" 2>&1) || rc=$?
		else
			out=$(TMPDIR="$dir" "$dir/$prog") || rc=$?
		fi
		printf '%s\n' "$out" | sed 's/^/    /'
		summary=$(printf '%s\n' "$out" |
			sed -n 's/^# .*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' |
			tail -n 1)
		if [ -n "$summary" ]; then
			sum_pass=$((sum_pass + ${summary% *}))
			sum_fail=$((sum_fail + ${summary#* }))
		else
			sum_fail=$((sum_fail + 1))
		fi
		if [ "$rc" = 0 ] && [ -n "$summary" ]; then
			echo "ok $nr - $prefix: ${t#*:}"
		else
			echo "not ok $nr - $prefix: ${t#*:}"
			failed=$((failed + 1))
		fi
	done
	echo "# $prefix: $sum_pass passed, $sum_fail failed"
	[ "$failed" = 0 ]
}
