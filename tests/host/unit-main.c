// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c:
 * one KTAP document with a subtest per suite.
 */

#include "tests.h"

int main(void)
{
	const struct test_suite suites[] = {
		{ "parameters", parse_cases, nr_parse_cases },
		{ "validation", regs_cases, nr_regs_cases },
		{ "copy and policy", copy_cases, nr_copy_cases },
		{ "report", report_cases, nr_report_cases },
	};

	return test_run(HOST_KDUMP_NAME " unit", suites,
			sizeof(suites) / sizeof(suites[0])) ? 1 : 0;
}
