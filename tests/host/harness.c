// SPDX-License-Identifier: GPL-2.0
/* Checks for the host unit tests, run with kselftest.h (see Makefile) */

#include <stdarg.h>
#include <stdio.h>

#include "harness.h"
#include "kselftest.h"
#include "shim/shim.h"

static int case_failures;

void test_check(int ok, const char *file, int line, const char *expr)
{
	if (ok)
		return;
	case_failures++;
	printf("    # %s:%d: check failed: %s\n", file, line, expr);
}

void test_check_eq(unsigned long long a, unsigned long long b,
		   const char *file, int line, const char *ea, const char *eb)
{
	if (a == b)
		return;
	case_failures++;
	printf("    # %s:%d: %s == %#llx (%lld), expected %s == %#llx (%lld)\n",
	       file, line, ea, a, (long long)a, eb, b, (long long)b);
}

void test_note(const char *fmt, ...)
{
	va_list ap;

	printf("    # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * kselftest has no subtests: each suite is one kselftest result, after
 * its cases' KTAP indented by four spaces.
 */
int test_run(const char *prefix, const struct test_suite *suites, size_t nr)
{
	size_t i, j;

	ksft_print_header();
	ksft_set_plan(nr);
	for (i = 0; i < nr; i++) {
		const struct test_suite *s = &suites[i];
		unsigned int suite_failed = 0;

		printf("    KTAP version 1\n    # Subtest: %s\n    1..%zu\n",
		       s->name, s->nr);
		for (j = 0; j < s->nr; j++) {
			long live = shim_live_allocs;
			unsigned int bugs = shim_nr_bugs;

			case_failures = 0;
			s->cases[j].fn();
			shim_alloc_fail_at(0);
			/* Every case frees what it and the driver allocated */
			if (shim_live_allocs != live)
				test_check_eq(shim_live_allocs, live, __FILE__,
					      __LINE__, "live allocations",
					      "before the case");
			if (shim_nr_bugs != bugs)
				test_check(0, __FILE__, __LINE__,
					   "no kernel bug (WARN_ON, bad ida_free)");
			suite_failed += !!case_failures;
			printf("    %sok %zu %s\n", case_failures ? "not " : "",
			       j + 1, s->cases[j].name);
		}
		ksft_test_result(!suite_failed, "%s: %s\n", prefix, s->name);
	}
	ksft_finished();
}
