/* SPDX-License-Identifier: GPL-2.0 */
/* The suites of kdump-unit */
#ifndef _KDUMP_HOST_TESTS_H
#define _KDUMP_HOST_TESTS_H

#include "harness.h"

extern const struct test_case parse_cases[];
extern const size_t nr_parse_cases;
extern const struct test_case regs_cases[];
extern const size_t nr_regs_cases;
extern const struct test_case copy_cases[];
extern const size_t nr_copy_cases;
extern const struct test_case report_cases[];
extern const size_t nr_report_cases;

#endif
