// SPDX-License-Identifier: GPL-2.0
/*
 * The report: the decision the import recorded for each StreamID, and the
 * vmcore device dump (arm-smmu-v3-vmcoredd.h), which lists those decisions.
 * These are the only tests that look at report->sids and report->words.
 */

#include "env.h"
#include "harness.h"
#include "shim/shim.h"
#include "tests.h"
#include "arm-smmu-v3-vmcoredd.h"

#define ARENA	SZ_1M

/* 2 kept STEs, 1 aborted (not listed), 1 aborted (bypass) */
static void report_table(struct env *env)
{
	struct arm_smmu_ste *stes = env_linear(env, 4);

	ste_s2(&stes[2], 2, env_ttb(env));
	ste_s2(&stes[5], 5, env_ttb(env));
	ste_s2(&stes[6], 6, env_ttb(env));
	ste_bypass(&stes[9]);
	ste_s2(&stes[12], 12, env_ttb(env));
	stes[12].data[0] &= ~cpu_to_le64(STRTAB_STE_0_V);
	env_keep(env, 2);
	env_keep(env, 6);
	env_keep(env, 9);
}

static void find_sid(void)
{
	static const u32 live[] = { 2, 5, 6, 9 };
	const struct arm_smmu_kdump_sid *rec;
	struct env env;
	unsigned int i;
	u32 sid;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	report_table(&env);
	REQUIRE_EQ(env_build(&env), 0);
	/* One decision per STE that gave DMA, in StreamID order */
	REQUIRE_EQ(env.report.nr_sids, ARRAY_SIZE(live));
	for (i = 0; i < ARRAY_SIZE(live); i++)
		CHECK_EQ(env.report.sids[i].sid, live[i]);
	for (sid = 0; sid < 16; sid++) {
		rec = arm_smmu_kdump_find_sid(&env.report, sid);
		for (i = 0; i < ARRAY_SIZE(live) && live[i] != sid; i++)
			;
		if (i < ARRAY_SIZE(live))
			CHECK(rec && rec->sid == sid);
		else	/* Invalid and aborting STEs gave no DMA: no decision */
			CHECK(!rec);
	}
	rec = arm_smmu_kdump_find_sid(&env.report, 2);
	CHECK(rec && rec->reason == ARM_SMMU_KDUMP_KEPT_LISTED);
	rec = arm_smmu_kdump_find_sid(&env.report, 5);
	CHECK(rec && rec->reason == ARM_SMMU_KDUMP_ABORT_UNLISTED);
	rec = arm_smmu_kdump_find_sid(&env.report, 9);
	CHECK(rec && rec->reason == ARM_SMMU_KDUMP_ABORT_BYPASS);
	CHECK(!arm_smmu_kdump_find_sid(&env.report, U32_MAX));
	env_exit(&env);
}

/* The device dump, read back as a dump reader would */
struct dump_view {
	const struct arm_smmu_vmcoredd_header	*hdr;
	const struct arm_smmu_vmcoredd_section	*sect[4];	/* by type */
};

static bool dump_parse(const void *buf, size_t len, struct dump_view *v)
{
	const struct arm_smmu_vmcoredd_section *s;
	u32 i, hsize, nr;

	memset(v, 0, sizeof(*v));
	if (len < sizeof(*v->hdr))
		return false;
	v->hdr = buf;
	hsize = le32_to_cpu(v->hdr->header_size);
	nr = le32_to_cpu(v->hdr->nr_sections);
	if (memcmp(v->hdr->magic, ARM_SMMU_VMCOREDD_MAGIC, 8) ||
	    le32_to_cpu(v->hdr->version) != ARM_SMMU_VMCOREDD_VERSION ||
	    hsize != sizeof(*v->hdr) || le32_to_cpu(v->hdr->total_size) != len ||
	    hsize + (u64)nr * sizeof(*s) > len)
		return false;
	s = (const void *)((const u8 *)buf + hsize);
	for (i = 0; i < nr; i++, s++) {
		u32 type = le32_to_cpu(s->type), off = le32_to_cpu(s->offset);
		u64 end = off + (u64)le32_to_cpu(s->count) *
				le32_to_cpu(s->entry_size);

		if (type < 1 || type > 3 || v->sect[type] || off % 8 ||
		    off < hsize + nr * sizeof(*s) || end > len)
			return false;
		v->sect[type] = s;
	}
	return true;
}

static const void *dump_records(const void *buf,
				const struct arm_smmu_vmcoredd_section *s)
{
	return (const u8 *)buf + le32_to_cpu(s->offset);
}

static void dump_layout(void)
{
	const struct arm_smmu_vmcoredd_stream *st;
	const struct arm_smmu_vmcoredd_write *wr;
	const struct arm_smmu_vmcoredd_reg *reg;
	struct dump_view v;
	unsigned int i, kept = 0, aborted = 0, found = 0;
	struct env env;
	size_t size;
	u8 *buf;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	report_table(&env);
	REQUIRE_EQ(env_build(&env), 0);
	env.regs.cr0 = CR0_SMMUEN | CR0_EVTQEN;
	env.report.regs = env.regs;
	env.report.adopted = true;
	env.report.smmu_base = 0x9050000;
	env.report.mode = ARM_SMMU_KDUMP_KEEP_QUIESCED;
	/* Two L1 descriptors that a switch rewrote */
	env.report.words = kcalloc(2, sizeof(*env.report.words), GFP_KERNEL);
	REQUIRE(env.report.words);
	env.report.nr_words = env.report.max_words = 2;
	env.report.words[1].phys = OLD_BASE + 8;
	env.report.words[1].orig = 0x1111;
	env.report.words[1].val = 0x2222;

	size = arm_smmu_kdump_dump_size(&env.report);
	buf = malloc(size);
	REQUIRE(buf);
	CHECK_EQ(arm_smmu_kdump_write_dump(&env.report, buf, size), size);
	REQUIRE(dump_parse(buf, size, &v));
	CHECK_EQ(le32_to_cpu(v.hdr->flags),
		 ARM_SMMU_VMCOREDD_F_SMMUEN | ARM_SMMU_VMCOREDD_F_ADOPTED);
	CHECK_EQ(le32_to_cpu(v.hdr->mode), ARM_SMMU_VMCOREDD_MODE_KEEP_QUIESCED);
	CHECK_EQ(le64_to_cpu(v.hdr->smmu_base), 0x9050000);
	CHECK_EQ(le32_to_cpu(v.hdr->nr_sections), 3);
	for (i = 1; i <= 3; i++)
		REQUIRE(v.sect[i]);

	/* Registers: 27, PRIQ even without PRI; STRTAB_BASE among them */
	CHECK_EQ(le32_to_cpu(v.sect[ARM_SMMU_VMCOREDD_SECT_REGS]->count), 27);
	reg = dump_records(buf, v.sect[ARM_SMMU_VMCOREDD_SECT_REGS]);
	for (i = 0; i < 27; i++, reg++) {
		if (le32_to_cpu(reg->offset) != ARM_SMMU_STRTAB_BASE)
			continue;
		found++;
		CHECK_EQ(le32_to_cpu(reg->size), 8);
		CHECK_EQ(le64_to_cpu(reg->value), env.regs.strtab_base);
	}
	CHECK_EQ(found, 1);

	CHECK_EQ(le32_to_cpu(v.sect[ARM_SMMU_VMCOREDD_SECT_WRITES]->count), 2);
	wr = dump_records(buf, v.sect[ARM_SMMU_VMCOREDD_SECT_WRITES]);
	CHECK_EQ(le64_to_cpu(wr[1].phys), OLD_BASE + 8);
	CHECK_EQ(le64_to_cpu(wr[1].old), 0x1111);
	CHECK_EQ(le64_to_cpu(wr[1].new), 0x2222);
	CHECK_EQ(le16_to_cpu(wr[1].kind), ARM_SMMU_VMCOREDD_WR_L1STD);

	/* One stream per valid STE of the crashed kernel */
	CHECK_EQ(le32_to_cpu(v.sect[ARM_SMMU_VMCOREDD_SECT_STREAMS]->count), 4);
	st = dump_records(buf, v.sect[ARM_SMMU_VMCOREDD_SECT_STREAMS]);
	for (i = 0; i < 4; i++) {
		kept += st[i].decision == ARM_SMMU_VMCOREDD_SID_KEPT;
		aborted += st[i].decision == ARM_SMMU_VMCOREDD_SID_ABORTED;
		if (le32_to_cpu(st[i].sid) == 9)
			CHECK_EQ(st[i].reason, ARM_SMMU_VMCOREDD_WHY_BYPASS);
		if (le32_to_cpu(st[i].sid) == 5)
			CHECK_EQ(st[i].reason, ARM_SMMU_VMCOREDD_WHY_NOT_LISTED);
		if (le32_to_cpu(st[i].sid) == 2) {
			CHECK_EQ(st[i].reason, ARM_SMMU_VMCOREDD_WHY_KEEP_LIST);
			CHECK_EQ(le64_to_cpu(st[i].ste0),
				 le64_to_cpu(env_old_ste(&env, 2)->data[0]));
		}
	}
	CHECK_EQ(kept, env.report.nr_kept);
	CHECK_EQ(aborted, env.report.nr_aborted);
	free(buf);
	env_exit(&env);
}

/* Too small a buffer: the writes first, then the decisions */
static void dump_truncated(void)
{
	struct dump_view v;
	struct env env;
	size_t size, min, ret;
	u8 *buf;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	report_table(&env);
	REQUIRE_EQ(env_build(&env), 0);
	env.report.regs = env.regs;
	env.report.mode = ARM_SMMU_KDUMP_KEEP_ALL;
	size = arm_smmu_kdump_dump_size(&env.report);
	min = sizeof(struct arm_smmu_vmcoredd_header) +
	      3 * sizeof(struct arm_smmu_vmcoredd_section) +
	      27 * sizeof(struct arm_smmu_vmcoredd_reg);

	buf = malloc(size);
	REQUIRE(buf);
	CHECK_EQ(arm_smmu_kdump_write_dump(&env.report, buf, min - 1), 0);
	/* Room for one stream (the table has no writes) */
	ret = arm_smmu_kdump_write_dump(&env.report, buf, min + 16 + 8);
	REQUIRE_EQ(ret, min + 16);
	REQUIRE(dump_parse(buf, ret, &v));
	CHECK(le32_to_cpu(v.hdr->flags) & ARM_SMMU_VMCOREDD_F_TRUNCATED);
	CHECK_EQ(le32_to_cpu(v.sect[ARM_SMMU_VMCOREDD_SECT_STREAMS]->count), 1);
	/* The registers only */
	ret = arm_smmu_kdump_write_dump(&env.report, buf, min);
	REQUIRE_EQ(ret, min);
	REQUIRE(dump_parse(buf, ret, &v));
	CHECK(le32_to_cpu(v.hdr->flags) & ARM_SMMU_VMCOREDD_F_TRUNCATED);
	/* All of it */
	CHECK_EQ(arm_smmu_kdump_write_dump(&env.report, buf, size), size);
	REQUIRE(dump_parse(buf, size, &v));
	CHECK(!(le32_to_cpu(v.hdr->flags) & ARM_SMMU_VMCOREDD_F_TRUNCATED));
	CHECK_EQ(le32_to_cpu(v.hdr->mode), ARM_SMMU_VMCOREDD_MODE_KEEP_ALL);
	free(buf);
	env_exit(&env);
}

const struct test_case report_cases[] = {
	TEST_CASE(find_sid),
	TEST_CASE(dump_layout),
	TEST_CASE(dump_truncated),
};
const size_t nr_report_cases = ARRAY_SIZE(report_cases);
