# SPDX-License-Identifier: GPL-2.0
# KTAP for the test runners (sourced, not run): kselftest's ktap_helpers.sh,
# from the pristine kernel tree (scripts/lib/common.sh: kselftest_dir), and
# ktap_subtests, which nests programs' KTAP under one document.

declare -F kselftest_dir >/dev/null ||
	. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
ksft_dir=$(kselftest_dir) || die "no kselftest directory"
# shellcheck source=/dev/null
. "$ksft_dir/kselftest/ktap_helpers.sh"
# ktap_helpers.sh echoes descriptions and messages unquoted: a "*" in one
# would expand to the names of the files in the current directory.  Its
# printing functions run with globbing off.
for f in __ktap_test ktap_print_msg ktap_skip_all ktap_exit_fail_msg; do
	eval "_ksft$(declare -f "$f")"
	eval "$f() { local -; set -f; _ksft$f \"\$@\"; }"
done
unset f

# ktap_subtests PREFIX DIR STDERR NAME:TITLE... - run DIR/NAME for each item
# as one subtest "PREFIX: TITLE" of a KTAP document.  Each program prints
# KTAP ending in kselftest's "# Totals:" line; its output is indented under
# the subtest.  STDERR is "merge" to fold the program's stderr into its
# output, anything else to leave it on stderr.  Returns non-zero if a
# program exited non-zero or printed no Totals line.
ktap_subtests() {
	local prefix="$1" dir="$2" stderr="$3" t out rc
	shift 3
	ktap_print_header
	ktap_set_plan $#
	for t in "$@"; do
		rc=0
		if [ "$stderr" = merge ]; then
			out=$(TMPDIR="$dir" "$dir/${t%%:*}" 2>&1) || rc=$?
		else
			out=$(TMPDIR="$dir" "$dir/${t%%:*}") || rc=$?
		fi
		printf '%s\n' "$out" | sed 's/^/    /'
		if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^# Totals: '; then
			ktap_test_pass "$prefix: ${t#*:}"
		else
			ktap_test_fail "$prefix: ${t#*:}"
		fi
	done
	ktap_print_totals
	[ "$KTAP_CNT_FAIL" = 0 ]
}
