/* SPDX-License-Identifier: GPL-2.0 */
/* Test cases and checks for the host unit tests of arm-smmu-v3-kdump.c */
#ifndef _KDUMP_HOST_HARNESS_H
#define _KDUMP_HOST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

struct test_case {
	const char	*name;
	void		(*fn)(void);
};

struct test_suite {
	const char		*name;
	const struct test_case	*cases;
	size_t			nr;
};

#define TEST_CASE(fn)	{ #fn, fn }
#define TEST_SUITE(n, c)	{ n, c, sizeof(c) / sizeof((c)[0]) }

void test_check(int ok, const char *file, int line, const char *expr);
void test_check_eq(unsigned long long a, unsigned long long b,
		   const char *file, int line, const char *ea,
		   const char *eb);
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run the suites as one KTAP document, then exit (ksft_finished) */
int test_run(const char *prefix, const struct test_suite *suites, size_t nr);

#define CHECK(c)	test_check(!!(c), __FILE__, __LINE__, #c)
#define CHECK_EQ(a, b)	test_check_eq((unsigned long long)(a),		\
				      (unsigned long long)(b),		\
				      __FILE__, __LINE__, #a, #b)
/* Stop the case here if @c does not hold: what follows depends on it */
#define REQUIRE(c)	do {						\
		bool __ok = (c);					\
		test_check(__ok, __FILE__, __LINE__, #c);		\
		if (!__ok)						\
			return;						\
	} while (0)
#define REQUIRE_EQ(a, b) do {						\
		unsigned long long __a = (a), __b = (b);		\
		test_check_eq(__a, __b, __FILE__, __LINE__, #a, #b);	\
		if (__a != __b)						\
			return;						\
	} while (0)

#endif
