// SPDX-License-Identifier: GPL-2.0
/* arm_smmu_v3.kdump_mode and arm_smmu_v3.kdump_keep */

#include "env.h"
#include "harness.h"
#include "shim/shim.h"
#include "tests.h"

static void parse_mode_names(void)
{
	enum arm_smmu_kdump_mode mode = ARM_SMMU_KDUMP_RESET;

	CHECK_EQ(arm_smmu_kdump_parse_mode(NULL, &mode), 0);
	CHECK_EQ(mode, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	mode = ARM_SMMU_KDUMP_RESET;
	CHECK_EQ(arm_smmu_kdump_parse_mode("", &mode), 0);
	CHECK_EQ(mode, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	CHECK_EQ(arm_smmu_kdump_parse_mode("keep-all", &mode), 0);
	CHECK_EQ(mode, ARM_SMMU_KDUMP_KEEP_ALL);
	CHECK_EQ(arm_smmu_kdump_parse_mode("reset", &mode), 0);
	CHECK_EQ(mode, ARM_SMMU_KDUMP_RESET);
	CHECK_EQ(arm_smmu_kdump_parse_mode("keep-quiesced", &mode), 0);
	CHECK_EQ(mode, ARM_SMMU_KDUMP_KEEP_QUIESCED);
}

static void parse_mode_rejects(void)
{
	static const char * const bad[] = {
		"keep_all", "adopt", "Keep-all", "reset ", " reset", "keep",
		"keep-all,reset", "1",
	};
	enum arm_smmu_kdump_mode mode;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		mode = ARM_SMMU_KDUMP_KEEP_ALL;
		CHECK_EQ(arm_smmu_kdump_parse_mode(bad[i], &mode), -EINVAL);
		/* A rejected value leaves the mode alone */
		CHECK_EQ(mode, ARM_SMMU_KDUMP_KEEP_ALL);
	}
}

static void parse_keep_pci(void)
{
	struct arm_smmu_kdump_keep *items;
	unsigned int nr;

	REQUIRE_EQ(arm_smmu_kdump_parse_keep("0000:01:00.0,2:1f.7,abcd:FF:00.1",
					     &items, &nr), 0);
	REQUIRE_EQ(nr, 3);
	CHECK_EQ(items[0].type, ARM_SMMU_KDUMP_KEEP_PCI);
	CHECK_EQ(items[0].seg, 0);
	CHECK_EQ(items[0].bus, 1);
	CHECK_EQ(items[0].devfn, PCI_DEVFN(0, 0));
	CHECK_EQ(items[1].type, ARM_SMMU_KDUMP_KEEP_PCI);
	CHECK_EQ(items[1].seg, 0);
	CHECK_EQ(items[1].bus, 2);
	CHECK_EQ(items[1].devfn, PCI_DEVFN(0x1f, 7));
	CHECK_EQ(items[2].seg, 0xabcd);
	CHECK_EQ(items[2].bus, 0xff);
	CHECK_EQ(items[2].devfn, PCI_DEVFN(0, 1));
	kfree(items);
}

static void parse_keep_sid(void)
{
	struct arm_smmu_kdump_keep *items;
	unsigned int nr;

	REQUIRE_EQ(arm_smmu_kdump_parse_keep(
		"sid:0x300,sid:17,sid:5@0x9050000,sid:4294967295,sid:0XFFFFFFFF,sid:0@ffffffffffffffff",
		&items, &nr), 0);
	REQUIRE_EQ(nr, 6);
	CHECK_EQ(items[0].type, ARM_SMMU_KDUMP_KEEP_SID);
	CHECK_EQ(items[0].sid, 0x300);
	CHECK_EQ(items[1].type, ARM_SMMU_KDUMP_KEEP_SID);
	CHECK_EQ(items[1].sid, 17);
	CHECK_EQ(items[2].type, ARM_SMMU_KDUMP_KEEP_SID_AT);
	CHECK_EQ(items[2].sid, 5);
	CHECK_EQ(items[2].smmu_base, 0x9050000);
	CHECK_EQ(items[3].sid, U32_MAX);
	CHECK_EQ(items[4].sid, U32_MAX);
	CHECK_EQ(items[5].type, ARM_SMMU_KDUMP_KEEP_SID_AT);
	CHECK_EQ(items[5].smmu_base, U64_MAX);
	kfree(items);

	/* Any number of leading zeros, and never octal */
	REQUIRE_EQ(arm_smmu_kdump_parse_keep("sid:00000000010,sid:0x000000010",
					     &items, &nr), 0);
	REQUIRE_EQ(nr, 2);
	CHECK_EQ(items[0].sid, 10);
	CHECK_EQ(items[1].sid, 0x10);
	kfree(items);
}

static void parse_keep_empty(void)
{
	struct arm_smmu_kdump_keep *items = (void *)1;
	unsigned int nr = 7;

	CHECK_EQ(arm_smmu_kdump_parse_keep("", &items, &nr), 0);
	CHECK_EQ(nr, 0);
	CHECK(!items);
	items = (void *)1;
	CHECK_EQ(arm_smmu_kdump_parse_keep(NULL, &items, &nr), 0);
	CHECK_EQ(nr, 0);
	CHECK(!items);
}

/* Any malformed item rejects the whole list, and nothing is left */
static void parse_keep_rejects(void)
{
	static const char * const bad[] = {
		"01:00", "00:20.0", "00:00.8", "1:2:3:4.0", "00000:01:00.0",
		"001:00.0", "0000:01:00.0,", ",", "sid:", "sid:0x", "sid:12abc",
		"sid:4294967296", "sid:0x100000000", "sid:1@", "sid:1@xyz",
		"sid:-1", "sid:1@0x9050000,zz", " 01:00.0", "01:00.0 ",
		"sid:1@0x10000000000000000", "01:0g.0", "SID:1", "sid:1@0x",
		"01:00.0,,02:00.0", "g0:00.0", ":00.0", "01:.0", "01:00.",
		"sid:+1", "sid:1\n", "01:00.0\n", "01:-0.0", "sid:1@+1",
		"sid:0x0x1", "sid:1@0x0x1",
	};
	struct arm_smmu_kdump_keep *items;
	unsigned int nr, i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		items = (void *)1;
		nr = 7;
		CHECK_EQ(arm_smmu_kdump_parse_keep(bad[i], &items, &nr),
			 -EINVAL);
		CHECK(!items);
		CHECK_EQ(nr, 0);
		if (items != NULL)
			test_note("accepted '%s'", bad[i]);
	}
}

/* Out of memory at each allocation: -ENOMEM, nothing allocated */
static void parse_keep_nomem(void)
{
	struct arm_smmu_kdump_keep *items;
	unsigned int nr, i;
	long live = shim_live_allocs;

	for (i = 1; i <= 2; i++) {
		shim_alloc_fail_at(i);
		CHECK_EQ(arm_smmu_kdump_parse_keep("sid:1,01:00.0", &items, &nr),
			 -ENOMEM);
		CHECK(!items);
		CHECK_EQ(shim_live_allocs, live);
	}
	shim_alloc_fail_at(0);
}

const struct test_case parse_cases[] = {
	TEST_CASE(parse_mode_names),
	TEST_CASE(parse_mode_rejects),
	TEST_CASE(parse_keep_pci),
	TEST_CASE(parse_keep_sid),
	TEST_CASE(parse_keep_empty),
	TEST_CASE(parse_keep_rejects),
	TEST_CASE(parse_keep_nomem),
};
const size_t nr_parse_cases = ARRAY_SIZE(parse_cases);
