// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the kdump inheritance of arm-smmu-v3: parameter parsing,
 * validation of the crashed kernel's stream table, copy and policy, and the
 * reservation of the ASIDs and VMIDs of kept STEs. The crashed kernel's
 * memory is a buffer mapped at fake physical addresses.
 *
 * Copyright (C) 2026 The arm-smmu-kdump developers
 */
#include <kunit/test.h>
#include <linux/io-pgtable.h>
#include <linux/pci.h>
#include <linux/range.h>

#include "arm-smmu-v3.h"

/* Fake physical layout: the crashed kernel's memory and ours */
#define OLD_BASE	0x80000000ULL
#define OLD_SIZE	SZ_1M
#define OWN_BASE	0x40000000ULL
#define OWN_SIZE	SZ_16M

struct kdump_test_env {
	struct kunit *test;
	u8 *arena;		/* backs [OLD_BASE, OLD_BASE + OLD_SIZE) */
	u64 next;		/* bump allocator in the arena */
	dma_addr_t next_dma;
	struct range old_ram[2];
	struct range own_ram[1];
	struct arm_smmu_kdump_regs regs;
	struct arm_smmu_kdump_report report;
	struct arm_smmu_kdump_ctx ctx;
	struct arm_smmu_kdump_table table;
	struct xarray asid_xa;
	struct ida vmid_ida;
	u32 keep[8];
};

static void *kdump_test_map(struct arm_smmu_kdump_ctx *ctx, u64 phys,
			    size_t size)
{
	struct kdump_test_env *env = ctx->priv;

	if (phys < OLD_BASE || phys + size > OLD_BASE + OLD_SIZE)
		return NULL;
	return env->arena + (phys - OLD_BASE);
}

static void kdump_test_unmap(struct arm_smmu_kdump_ctx *ctx, void *va)
{
}

static void *kdump_test_alloc(struct arm_smmu_kdump_ctx *ctx, size_t size,
			      dma_addr_t *dma)
{
	struct kdump_test_env *env = ctx->priv;

	*dma = env->next_dma;
	env->next_dma += ALIGN(size, SZ_4K);
	return kunit_kzalloc(env->test, size, GFP_KERNEL);
}

static const struct arm_smmu_kdump_mem_ops kdump_test_ops = {
	.map	= kdump_test_map,
	.unmap	= kdump_test_unmap,
	.alloc	= kdump_test_alloc,
};

/* Allocate @size bytes of "old memory", aligned to @align */
static u64 kdump_test_old_alloc(struct kdump_test_env *env, size_t size,
				size_t align)
{
	u64 phys = ALIGN(env->next, align);

	KUNIT_ASSERT_LE(env->test, phys + size, OLD_BASE + OLD_SIZE);
	env->next = phys + size;
	return phys;
}

static void *kdump_test_va(struct kdump_test_env *env, u64 phys)
{
	return env->arena + (phys - OLD_BASE);
}

/* An SMMU like QEMU's: 2-level tables, S1 and S2, 16-bit SIDs and IDs */
static void kdump_test_set_idrs(struct arm_smmu_kdump_regs *regs)
{
	regs->idr[0] = FIELD_PREP(IDR0_ST_LVL, IDR0_ST_LVL_2LVL) | IDR0_CD2L |
		       IDR0_VMID16 | IDR0_ASID16 | IDR0_ATS |
		       FIELD_PREP(IDR0_TTENDIAN, IDR0_TTENDIAN_LE) |
		       FIELD_PREP(IDR0_TTF, IDR0_TTF_AARCH64) |
		       FIELD_PREP(IDR0_STALL_MODEL, 1) | IDR0_S1P | IDR0_S2P;
	regs->idr[1] = FIELD_PREP(IDR1_SIDSIZE, 16) |
		       FIELD_PREP(IDR1_SSIDSIZE, 16);
	regs->idr[5] = FIELD_PREP(IDR5_OAS, IDR5_OAS_48_BIT) | IDR5_GRAN4K |
		       IDR5_GRAN64K;
}

static struct kdump_test_env *kdump_test_env_init(struct kunit *test,
						  enum arm_smmu_kdump_mode mode)
{
	struct kdump_test_env *env;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	env->arena = kunit_kzalloc(test, OLD_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->arena);

	env->test = test;
	env->next = OLD_BASE;
	env->next_dma = 0xd0000000;
	/* Two adjacent ranges, as PT_LOAD segments can be */
	env->old_ram[0].start = OLD_BASE;
	env->old_ram[0].end = OLD_BASE + OLD_SIZE / 2 - 1;
	env->old_ram[1].start = OLD_BASE + OLD_SIZE / 2;
	env->old_ram[1].end = OLD_BASE + OLD_SIZE - 1;
	env->own_ram[0].start = OWN_BASE;
	env->own_ram[0].end = OWN_BASE + OWN_SIZE - 1;
	xa_init_flags(&env->asid_xa, XA_FLAGS_ALLOC1);
	ida_init(&env->vmid_ida);

	kdump_test_set_idrs(&env->regs);
	env->ctx.ops = &kdump_test_ops;
	env->ctx.priv = env;
	env->ctx.mode = mode;
	env->ctx.keep = env->keep;
	env->ctx.old_ram = env->old_ram;
	env->ctx.nr_old_ram = ARRAY_SIZE(env->old_ram);
	env->ctx.own_ram = env->own_ram;
	env->ctx.nr_own_ram = ARRAY_SIZE(env->own_ram);
	env->ctx.asid_xa = &env->asid_xa;
	env->ctx.vmid_ida = &env->vmid_ida;
	env->ctx.max_l2 = 64;
	env->ctx.report = &env->report;
	xa_init(&env->ctx.asids);
	xa_init(&env->ctx.vmids);
	arm_smmu_kdump_get_caps(&env->regs, &env->ctx.caps);
	return env;
}

static void kdump_test_env_exit(struct kdump_test_env *env)
{
	arm_smmu_kdump_table_free(&env->ctx, &env->table);
	arm_smmu_kdump_release_ids(&env->ctx);
	arm_smmu_kdump_report_free(&env->report);
	xa_destroy(&env->asid_xa);
	ida_destroy(&env->vmid_ida);
}

static void kdump_test_keep(struct kdump_test_env *env, u32 sid)
{
	KUNIT_ASSERT_LT(env->test, env->ctx.nr_keep, ARRAY_SIZE(env->keep));
	env->keep[env->ctx.nr_keep++] = sid;
}

/* Old STEs, made by the driver's own helpers as the crashed kernel did */

static struct arm_smmu_device kdump_test_smmu = {
	.features = ARM_SMMU_FEAT_ATTR_TYPES_OVR,
};

/* A CD table with one valid CD (SSID 0) using @asid */
static u64 kdump_test_make_cds(struct kdump_test_env *env, unsigned int nr,
			       u16 asid, u64 ttbr)
{
	u64 phys = kdump_test_old_alloc(env, nr * sizeof(struct arm_smmu_cd),
					nr * sizeof(struct arm_smmu_cd));
	struct arm_smmu_cd *cd = kdump_test_va(env, phys);
	struct arm_smmu_master master = { .smmu = &kdump_test_smmu };
	struct io_pgtable io_pgtable = {};
	struct arm_smmu_domain domain = {
		.pgtbl_ops = &io_pgtable.ops,
		.cd.asid = asid,
	};

	io_pgtable.cfg.arm_lpae_s1_cfg.ttbr = ttbr;
	io_pgtable.cfg.arm_lpae_s1_cfg.tcr.tsz = 16;
	arm_smmu_make_s1_cd(cd, &master, &domain);
	return phys;
}

static void kdump_test_make_s1_ste(struct arm_smmu_ste *ste, u64 cdtab,
				   u8 s1fmt, u8 cdmax, unsigned int s1dss)
{
	struct arm_smmu_master master = {
		.smmu = &kdump_test_smmu,
		.cd_table.cdtab_dma = cdtab,
		.cd_table.s1fmt = s1fmt,
		.cd_table.s1cdmax = cdmax,
	};

	arm_smmu_make_cdtable_ste(ste, &master, false, s1dss);
}

static void kdump_test_make_s2_ste(struct arm_smmu_ste *ste, u16 vmid,
				   u64 vttbr)
{
	struct arm_smmu_master master = { .smmu = &kdump_test_smmu };
	struct io_pgtable io_pgtable = {};
	struct arm_smmu_domain domain = {
		.pgtbl_ops = &io_pgtable.ops,
		.s2_cfg.vmid = vmid,
	};

	io_pgtable.cfg.arm_lpae_s2_cfg.vttbr = vttbr;
	io_pgtable.cfg.arm_lpae_s2_cfg.vtcr.tsz = 24;
	io_pgtable.cfg.arm_lpae_s2_cfg.vtcr.tg = 0;
	arm_smmu_make_s2_domain_ste(ste, &master, &domain, false);
}

/* Stage 1 of @s1 on top of stage 2 of @s2, as a nesting hypervisor does */
static void kdump_test_make_nested_ste(struct arm_smmu_ste *ste,
				       const struct arm_smmu_ste *s1,
				       const struct arm_smmu_ste *s2)
{
	*ste = *s1;
	ste->data[2] = s2->data[2];
	ste->data[3] = s2->data[3];
	ste->data[0] &= ~cpu_to_le64(STRTAB_STE_0_CFG);
	ste->data[0] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_0_CFG,
					       STRTAB_STE_0_CFG_NESTED));
}

/* An old page table root */
static u64 kdump_test_ttb(struct kdump_test_env *env)
{
	return kdump_test_old_alloc(env, SZ_4K, SZ_4K);
}

static void kdump_test_init_stes(struct arm_smmu_ste *stes, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		arm_smmu_make_abort_ste(&stes[i]);
}

static struct arm_smmu_ste *kdump_test_linear(struct kdump_test_env *env,
					      u8 log2size)
{
	size_t size = sizeof(struct arm_smmu_ste) << log2size;
	u64 phys = kdump_test_old_alloc(env, size, size);

	env->regs.strtab_base = phys | STRTAB_BASE_RA;
	env->regs.strtab_base_cfg =
		FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, log2size);
	kdump_test_init_stes(kdump_test_va(env, phys), 1U << log2size);
	return kdump_test_va(env, phys);
}

static __le64 *kdump_test_2lvl(struct kdump_test_env *env, u8 log2size)
{
	size_t size = sizeof(u64) << (log2size - STRTAB_SPLIT);
	u64 phys = kdump_test_old_alloc(env, size, max_t(size_t, size, 64));

	env->regs.strtab_base = phys | STRTAB_BASE_RA;
	env->regs.strtab_base_cfg =
		FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_2LVL) |
		FIELD_PREP(STRTAB_BASE_CFG_SPLIT, STRTAB_SPLIT) |
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, log2size);
	return kdump_test_va(env, phys);
}

/* An L2 table of 2^(span - 1) abort STEs behind L1 descriptor @idx */
static struct arm_smmu_ste *kdump_test_l2(struct kdump_test_env *env,
					  __le64 *l1, u32 idx, u32 span)
{
	size_t size = sizeof(struct arm_smmu_ste) << (span - 1);
	u64 phys = kdump_test_old_alloc(env, size, size);

	kdump_test_init_stes(kdump_test_va(env, phys), 1U << (span - 1));
	l1[idx] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, span) | phys);
	return kdump_test_va(env, phys);
}

static int kdump_test_build(struct kdump_test_env *env)
{
	int ret;

	arm_smmu_kdump_table_free(&env->ctx, &env->table);
	ret = arm_smmu_kdump_check_regs(&env->ctx, &env->regs);
	if (ret)
		return ret;
	return arm_smmu_kdump_build(&env->ctx, &env->table);
}

static u8 kdump_test_reason(struct kdump_test_env *env, u32 sid)
{
	const struct arm_smmu_kdump_sid *rec;

	rec = arm_smmu_kdump_find_sid(&env->report, sid);
	return rec ? rec->reason : 0;
}

/* Parameters */

static void arm_smmu_v3_kdump_test_parse_mode(struct kunit *test)
{
	enum arm_smmu_kdump_mode mode = ARM_SMMU_KDUMP_RESET;

	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_mode(NULL, &mode), 0);
	KUNIT_EXPECT_EQ(test, mode, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_mode("keep-all", &mode), 0);
	KUNIT_EXPECT_EQ(test, mode, ARM_SMMU_KDUMP_KEEP_ALL);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_mode("reset", &mode), 0);
	KUNIT_EXPECT_EQ(test, mode, ARM_SMMU_KDUMP_RESET);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_mode("keep-quiesced", &mode),
			0);
	KUNIT_EXPECT_EQ(test, mode, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_mode("keep_all", &mode),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_mode("adopt", &mode),
			-EINVAL);
}

static void arm_smmu_v3_kdump_test_parse_keep_accepts(struct kunit *test)
{
	static const char list[] =
		"0000:01:00.0,2:1f.7,sid:0x300,sid:17,sid:5@0x9050000";
	struct arm_smmu_kdump_keep *items;
	unsigned int nr;

	KUNIT_ASSERT_EQ(test, arm_smmu_kdump_parse_keep(list, &items, &nr), 0);
	KUNIT_ASSERT_EQ(test, nr, 5);

	KUNIT_EXPECT_EQ(test, items[0].type, ARM_SMMU_KDUMP_KEEP_PCI);
	KUNIT_EXPECT_EQ(test, items[0].seg, 0);
	KUNIT_EXPECT_EQ(test, items[0].bus, 1);
	KUNIT_EXPECT_EQ(test, items[0].devfn, PCI_DEVFN(0, 0));
	KUNIT_EXPECT_EQ(test, items[1].type, ARM_SMMU_KDUMP_KEEP_PCI);
	KUNIT_EXPECT_EQ(test, items[1].bus, 2);
	KUNIT_EXPECT_EQ(test, items[1].devfn, PCI_DEVFN(0x1f, 7));
	KUNIT_EXPECT_EQ(test, items[2].type, ARM_SMMU_KDUMP_KEEP_SID);
	KUNIT_EXPECT_EQ(test, items[2].sid, 0x300);
	KUNIT_EXPECT_EQ(test, items[3].sid, 17);
	KUNIT_EXPECT_EQ(test, items[4].type, ARM_SMMU_KDUMP_KEEP_SID_AT);
	KUNIT_EXPECT_EQ(test, items[4].sid, 5);
	KUNIT_EXPECT_EQ(test, items[4].smmu_base, 0x9050000);
	kfree(items);

	KUNIT_ASSERT_EQ(test, arm_smmu_kdump_parse_keep("abcd:ff:00.1", &items,
							&nr), 0);
	KUNIT_ASSERT_EQ(test, nr, 1);
	KUNIT_EXPECT_EQ(test, items[0].seg, 0xabcd);
	KUNIT_EXPECT_EQ(test, items[0].bus, 0xff);
	KUNIT_EXPECT_EQ(test, items[0].devfn, PCI_DEVFN(0, 1));
	kfree(items);

	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_parse_keep("", &items, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);
	KUNIT_EXPECT_NULL(test, items);
}

static void arm_smmu_v3_kdump_test_parse_keep_rejects(struct kunit *test)
{
	static const char * const bad[] = {
		"01:00", "00:20.0", "00:00.8", "1:2:3:4.0", "00000:01:00.0",
		"001:00.0", "0000:01:00.0,", ",", "sid:", "sid:0x", "sid:12abc",
		"sid:4294967296", "sid:0x100000000", "sid:1@", "sid:1@xyz",
		"sid:-1", "sid:1@0x9050000,zz", " 01:00.0",
	};
	struct arm_smmu_kdump_keep *items;
	unsigned int nr, i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    arm_smmu_kdump_parse_keep(bad[i], &items,
							      &nr),
				    -EINVAL, "accepted '%s'", bad[i]);
		KUNIT_EXPECT_NULL(test, items);
	}
}

/* Memory ranges */

static void arm_smmu_v3_kdump_test_phys_ok(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	struct arm_smmu_kdump_ctx *ctx = &env->ctx;

	u64 middle = OLD_BASE + OLD_SIZE / 2;

	KUNIT_EXPECT_TRUE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_4K));
	/* Spans the two adjacent PT_LOAD ranges */
	KUNIT_EXPECT_TRUE(test, arm_smmu_kdump_phys_ok(ctx, middle - SZ_4K,
						       SZ_8K));
	KUNIT_EXPECT_TRUE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE,
						       OLD_SIZE));
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE,
							OLD_SIZE + 1));
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE - 64,
							128));
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, OWN_BASE, 64));
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE, 0));
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, U64_MAX - 8, 64));
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, BIT_ULL(48), 64));

	/* Old memory that overlaps ours (a corrupt ELF header) is refused */
	env->own_ram[0].start = OLD_BASE + SZ_8K;
	env->own_ram[0].end = OLD_BASE + SZ_16K - 1;
	KUNIT_EXPECT_FALSE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_16K));
	KUNIT_EXPECT_TRUE(test, arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_8K));
	kdump_test_env_exit(env);
}

/* Validation of STRTAB_BASE and STRTAB_BASE_CFG */

static void kdump_test_expect_regs_error(struct kunit *test,
					 struct kdump_test_env *env,
					 enum arm_smmu_kdump_error err)
{
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_regs(&env->ctx, &env->regs),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, env->ctx.err, err);
}

static void arm_smmu_v3_kdump_test_regs_accept_good(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);

	kdump_test_2lvl(env, 16);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_regs(&env->ctx, &env->regs),
			0);
	KUNIT_EXPECT_EQ(test, env->ctx.nr_ents, 256);
	KUNIT_EXPECT_EQ(test, env->ctx.fmt, STRTAB_BASE_CFG_FMT_2LVL);

	kdump_test_linear(env, 8);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_regs(&env->ctx, &env->regs),
			0);
	KUNIT_EXPECT_EQ(test, env->ctx.nr_ents, 256);
	KUNIT_EXPECT_EQ(test, env->ctx.fmt, STRTAB_BASE_CFG_FMT_LINEAR);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_regs_reject_bad_format(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);

	kdump_test_2lvl(env, 16);
	env->regs.strtab_base_cfg |= FIELD_PREP(STRTAB_BASE_CFG_FMT, 3);
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_FMT);

	/* 2-level on an SMMU that only walks linear tables */
	kdump_test_2lvl(env, 16);
	env->ctx.caps.st_2lvl = false;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_FMT);

	kdump_test_linear(env, 8);
	env->regs.strtab_base_cfg |= BIT(20);
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_RES0);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_regs_reject_log2size(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);

	/* LOG2SIZE > IDR1.SIDSIZE */
	kdump_test_2lvl(env, 16);
	env->ctx.caps.sid_bits = 12;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_LOG2SIZE);
	env->ctx.caps.sid_bits = 16;

	/* Smaller than a single L2 table */
	kdump_test_2lvl(env, 16);
	u32p_replace_bits(&env->regs.strtab_base_cfg, 4,
			  STRTAB_BASE_CFG_LOG2SIZE);
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_LOG2SIZE);

	/* A linear table larger than is copied */
	kdump_test_linear(env, 8);
	u32p_replace_bits(&env->regs.strtab_base_cfg, 16 + 1,
			  STRTAB_BASE_CFG_LOG2SIZE);
	env->ctx.caps.sid_bits = 20;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_SIZE);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_regs_reject_split(struct kunit *test)
{
	static const u32 splits[] = { 6, 10, 7, 0 };
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(splits); i++) {
		kdump_test_2lvl(env, 16);
		u32p_replace_bits(&env->regs.strtab_base_cfg, splits[i],
				  STRTAB_BASE_CFG_SPLIT);
		kdump_test_expect_regs_error(test, env,
					     ARM_SMMU_KDUMP_ERR_SPLIT);
	}
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_regs_reject_misaligned(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);

	/* A 256-entry L1 table is 2KB and must be 2KB aligned */
	kdump_test_2lvl(env, 16);
	env->regs.strtab_base += 1024;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_BASE_ALIGN);

	/* A linear table is aligned to its size */
	kdump_test_linear(env, 8);
	env->regs.strtab_base += 64;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_BASE_ALIGN);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_regs_reject_base_range(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);

	/* In the crash kernel's own memory */
	kdump_test_2lvl(env, 16);
	env->regs.strtab_base = OWN_BASE | STRTAB_BASE_RA;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);

	/* Nobody's memory */
	env->regs.strtab_base = 0x10000000 | STRTAB_BASE_RA;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);

	/* Just past the end of the crashed kernel's memory */
	env->regs.strtab_base = (OLD_BASE + OLD_SIZE) | STRTAB_BASE_RA;
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);

	/* Reserved bits of STRTAB_BASE */
	kdump_test_2lvl(env, 16);
	env->regs.strtab_base |= BIT_ULL(63);
	kdump_test_expect_regs_error(test, env, ARM_SMMU_KDUMP_ERR_RES0);
	kdump_test_env_exit(env);
}

/* Validation of the L1 descriptors of a 2-level table */

static void kdump_test_expect_build_error(struct kunit *test,
					  struct kdump_test_env *env,
					  enum arm_smmu_kdump_error err,
					  u32 idx)
{
	KUNIT_EXPECT_NE(test, kdump_test_build(env), 0);
	KUNIT_EXPECT_EQ(test, env->ctx.err, err);
	KUNIT_EXPECT_EQ(test, env->ctx.err_idx, idx);
}

static void arm_smmu_v3_kdump_test_l1_reject_span(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	__le64 *l1 = kdump_test_2lvl(env, 16);

	kdump_test_l2(env, l1, 1, STRTAB_SPLIT + 1);
	kdump_test_l2(env, l1, 7, STRTAB_SPLIT + 1);
	/* Span 10 would cover 512 STEs with SPLIT 8 */
	l1[7] = cpu_to_le64(le64_to_cpu(l1[7]) + 1);
	kdump_test_expect_build_error(test, env, ARM_SMMU_KDUMP_ERR_L1_SPAN, 7);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_l1_reject_res0(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	__le64 *l1 = kdump_test_2lvl(env, 16);

	kdump_test_l2(env, l1, 3, STRTAB_SPLIT + 1);
	l1[3] |= cpu_to_le64(BIT_ULL(60));
	kdump_test_expect_build_error(test, env, ARM_SMMU_KDUMP_ERR_L1_RES0, 3);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_l1_reject_misaligned_l2(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	__le64 *l1 = kdump_test_2lvl(env, 16);

	kdump_test_l2(env, l1, 2, STRTAB_SPLIT + 1);
	/* A 16KB L2 table must be 16KB aligned */
	l1[2] = cpu_to_le64(le64_to_cpu(l1[2]) + SZ_4K);
	kdump_test_expect_build_error(test, env, ARM_SMMU_KDUMP_ERR_L2_ALIGN,
				      2);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_l1_reject_l2_range(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	__le64 *l1 = kdump_test_2lvl(env, 16);
	u64 span = FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1);

	kdump_test_l2(env, l1, 0, STRTAB_SPLIT + 1);
	/* Points into the crash kernel's memory */
	l1[5] = cpu_to_le64(span | (OWN_BASE + SZ_64K));
	kdump_test_expect_build_error(test, env, ARM_SMMU_KDUMP_ERR_L2_RANGE,
				      5);

	/* Points outside any memory of the crashed kernel */
	l1[5] = cpu_to_le64(span | 0x20000000);
	kdump_test_expect_build_error(test, env, ARM_SMMU_KDUMP_ERR_L2_RANGE,
				      5);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_l2_budget(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	__le64 *l1 = kdump_test_2lvl(env, 16);
	struct arm_smmu_ste *l2;

	l2 = kdump_test_l2(env, l1, 0, STRTAB_SPLIT + 1);
	kdump_test_make_s2_ste(&l2[0], 5, kdump_test_ttb(env));
	l2 = kdump_test_l2(env, l1, 1, STRTAB_SPLIT + 1);
	kdump_test_make_s2_ste(&l2[0], 6, kdump_test_ttb(env));
	env->ctx.max_l2 = 1;
	kdump_test_expect_build_error(test, env, ARM_SMMU_KDUMP_ERR_L2_BUDGET,
				      1);
	kdump_test_env_exit(env);
}

/* Illegal STEs */

static void arm_smmu_v3_kdump_test_ste_reject_illegal(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	struct arm_smmu_kdump_caps *caps = &env->ctx.caps;
	struct arm_smmu_ste s1, s2, ste;

	kdump_test_make_s1_ste(&s1, OLD_BASE, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	kdump_test_make_s2_ste(&s2, 5, OLD_BASE);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &s1),
			ARM_SMMU_KDUMP_STE_OK);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &s2),
			ARM_SMMU_KDUMP_STE_OK);

	/* STRW == 0b01 is ILLEGAL for a Non-secure stream */
	ste = s1;
	ste.data[1] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_1_STRW, 1));
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &ste),
			ARM_SMMU_KDUMP_STE_STRW);

	/* Split-stage ATS needs a nested STE */
	ste = s1;
	ste.data[1] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_1_EATS, 2));
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &ste),
			ARM_SMMU_KDUMP_STE_EATS);

	/* S1STALLD when the stall model is not configurable */
	ste = s1;
	ste.data[1] |= cpu_to_le64(STRTAB_STE_1_S1STALLD);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &ste),
			ARM_SMMU_KDUMP_STE_S1STALLD);

	/* More CDs than IDR1.SSIDSIZE allows */
	kdump_test_make_s1_ste(&ste, OLD_BASE, STRTAB_STE_0_S1FMT_64K_L2, 17,
			       STRTAB_STE_1_S1DSS_SSID0);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &ste),
			ARM_SMMU_KDUMP_STE_S1CDMAX);

	/* Reserved stage 2 granule */
	ste = s2;
	ste.data[2] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_2_VTCR,
				   FIELD_PREP(STRTAB_STE_2_VTCR_S2TG, 3)));
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &ste),
			ARM_SMMU_KDUMP_STE_S2TG);

	/* 16-bit VMID on an 8-bit VMID SMMU */
	caps->vmid_bits = 8;
	ste = s2;
	u64p_replace_bits((u64 *)&ste.data[2], 0x105, STRTAB_STE_2_S2VMID);
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &ste),
			ARM_SMMU_KDUMP_STE_VMID);
	caps->vmid_bits = 16;

	/* Stage 2 on an SMMU without it */
	caps->s2 = false;
	KUNIT_EXPECT_EQ(test, arm_smmu_kdump_check_ste(caps, &s2),
			ARM_SMMU_KDUMP_STE_NO_S2);
	kdump_test_env_exit(env);
}

/* Copy and policy */

static void kdump_test_expect_ste(struct kunit *test,
				  const struct arm_smmu_ste *got,
				  const struct arm_smmu_ste *want)
{
	KUNIT_EXPECT_MEMEQ(test, got->data, want->data, sizeof(want->data));
}

/*
 * SID 0x100 is an S1 STE, 0x101 an S1 STE, 0x102 a bypass STE, 0x103 an S2
 * STE, 0x104 an ILLEGAL S2 STE and 0x105 an S1 STE with S1DSS=bypass. SID
 * 0x200 is in an L2 table holding only abort STEs, SID 0x300 in a 2-STE one.
 */
static void kdump_test_fill_2lvl(struct kdump_test_env *env,
				 struct arm_smmu_ste *old[])
{
	__le64 *l1 = kdump_test_2lvl(env, 16);
	struct arm_smmu_ste *l2;
	u64 cdtab;

	l2 = kdump_test_l2(env, l1, 1, STRTAB_SPLIT + 1);
	cdtab = kdump_test_make_cds(env, 1, 7, kdump_test_ttb(env));
	kdump_test_make_s1_ste(&l2[0], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	cdtab = kdump_test_make_cds(env, 1, 8, kdump_test_ttb(env));
	kdump_test_make_s1_ste(&l2[1], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	arm_smmu_make_bypass_ste(&kdump_test_smmu, &l2[2]);
	kdump_test_make_s2_ste(&l2[3], 5, kdump_test_ttb(env));
	kdump_test_make_s2_ste(&l2[4], 6, kdump_test_ttb(env));
	l2[4].data[2] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_2_VTCR,
				     FIELD_PREP(STRTAB_STE_2_VTCR_S2TG, 3)));
	cdtab = kdump_test_make_cds(env, 2, 9, kdump_test_ttb(env));
	kdump_test_make_s1_ste(&l2[5], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 1,
			       STRTAB_STE_1_S1DSS_BYPASS);
	old[1] = l2;

	old[2] = kdump_test_l2(env, l1, 2, STRTAB_SPLIT + 1);

	l2 = kdump_test_l2(env, l1, 3, 2);
	kdump_test_make_s2_ste(&l2[1], 10, kdump_test_ttb(env));
	old[3] = l2;
}

static void arm_smmu_v3_kdump_test_copy_2lvl_keep_quiesced(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	struct arm_smmu_ste *old[4] = {}, abort;
	struct arm_smmu_strtab_l2 *l2;
	unsigned int i;

	kdump_test_fill_2lvl(env, old);
	kdump_test_keep(env, 0x100);
	kdump_test_keep(env, 0x102);
	kdump_test_keep(env, 0x104);
	kdump_test_keep(env, 0x105);
	kdump_test_keep(env, 0x301);
	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	arm_smmu_make_abort_ste(&abort);

	/* L2 tables with live STEs are copied, all-abort ones are not */
	KUNIT_EXPECT_EQ(test, env->table.nr_l2s, 2);
	KUNIT_EXPECT_NULL(test, env->table.l2ptrs[0]);
	KUNIT_EXPECT_NULL(test, env->table.l2ptrs[2]);
	KUNIT_ASSERT_NOT_NULL(test, env->table.l2ptrs[1]);
	KUNIT_ASSERT_NOT_NULL(test, env->table.l2ptrs[3]);
	KUNIT_EXPECT_EQ(test, env->table.l2s[0].idx, 1);
	KUNIT_EXPECT_EQ(test, env->table.l2s[1].idx, 3);

	l2 = env->table.l2ptrs[1];
	kdump_test_expect_ste(test, &l2->stes[0], &old[1][0]);
	for (i = 1; i < STRTAB_NUM_L2_STES; i++)
		kdump_test_expect_ste(test, &l2->stes[i], &abort);

	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x100),
			ARM_SMMU_KDUMP_KEPT_LISTED);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x101),
			ARM_SMMU_KDUMP_ABORT_UNLISTED);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x102),
			ARM_SMMU_KDUMP_ABORT_BYPASS);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x103),
			ARM_SMMU_KDUMP_ABORT_UNLISTED);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x104),
			ARM_SMMU_KDUMP_ABORT_ILLEGAL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x105),
			ARM_SMMU_KDUMP_ABORT_BYPASS);
	/* Abort STEs of the crashed kernel give nothing to decide */
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x106), 0);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x200), 0);

	/* A span of 2 STEs becomes a full L2 table of ours */
	l2 = env->table.l2ptrs[3];
	kdump_test_expect_ste(test, &l2->stes[1], &old[3][1]);
	kdump_test_expect_ste(test, &l2->stes[0], &abort);
	kdump_test_expect_ste(test, &l2->stes[2], &abort);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x301),
			ARM_SMMU_KDUMP_KEPT_LISTED);

	KUNIT_EXPECT_EQ(test, env->report.nr_kept, 2);
	KUNIT_EXPECT_EQ(test, env->report.nr_aborted, 5);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_copy_2lvl_keep_all(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	struct arm_smmu_ste *old[4] = {}, abort;
	struct arm_smmu_strtab_l2 *l2;

	kdump_test_fill_2lvl(env, old);
	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	arm_smmu_make_abort_ste(&abort);

	l2 = env->table.l2ptrs[1];
	kdump_test_expect_ste(test, &l2->stes[0], &old[1][0]);
	kdump_test_expect_ste(test, &l2->stes[1], &old[1][1]);
	kdump_test_expect_ste(test, &l2->stes[2], &abort);
	kdump_test_expect_ste(test, &l2->stes[3], &old[1][3]);
	kdump_test_expect_ste(test, &l2->stes[4], &abort);
	kdump_test_expect_ste(test, &l2->stes[5], &abort);

	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x100),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x101),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x102),
			ARM_SMMU_KDUMP_ABORT_BYPASS);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x103),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x104),
			ARM_SMMU_KDUMP_ABORT_ILLEGAL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x105),
			ARM_SMMU_KDUMP_ABORT_BYPASS);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 0x301),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_EQ(test, env->report.nr_kept, 4);
	KUNIT_EXPECT_EQ(test, env->report.nr_aborted, 3);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_copy_linear(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	struct arm_smmu_ste *old = kdump_test_linear(env, 8), abort;
	struct arm_smmu_ste nested;
	u64 cdtab;

	cdtab = kdump_test_make_cds(env, 1, 21, kdump_test_ttb(env));
	kdump_test_make_s1_ste(&old[3], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	kdump_test_make_s2_ste(&old[4], 3, kdump_test_ttb(env));
	kdump_test_make_nested_ste(&nested, &old[3], &old[4]);
	old[5] = nested;
	arm_smmu_make_bypass_ste(&kdump_test_smmu, &old[6]);
	/* V=0 */
	memset(&old[7], 0, sizeof(old[7]));
	kdump_test_keep(env, 3);
	kdump_test_keep(env, 5);
	kdump_test_keep(env, 6);

	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	arm_smmu_make_abort_ste(&abort);
	KUNIT_ASSERT_NOT_NULL(test, env->table.linear);
	KUNIT_EXPECT_EQ(test, env->table.nr_ents, 256);
	kdump_test_expect_ste(test, &env->table.linear[3], &old[3]);
	kdump_test_expect_ste(test, &env->table.linear[4], &abort);
	kdump_test_expect_ste(test, &env->table.linear[5], &old[5]);
	kdump_test_expect_ste(test, &env->table.linear[6], &abort);
	/* The crashed kernel's V=0 STE becomes an abort STE, no events */
	kdump_test_expect_ste(test, &env->table.linear[7], &abort);
	kdump_test_expect_ste(test, &env->table.linear[0], &abort);

	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 3),
			ARM_SMMU_KDUMP_KEPT_LISTED);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 4),
			ARM_SMMU_KDUMP_ABORT_UNLISTED);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 5),
			ARM_SMMU_KDUMP_KEPT_LISTED);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 6),
			ARM_SMMU_KDUMP_ABORT_BYPASS);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 7), 0);
	kdump_test_env_exit(env);
}

/* ASID and VMID reservation */

static void arm_smmu_v3_kdump_test_reserve_ids(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	struct arm_smmu_ste *old = kdump_test_linear(env, 8);
	struct arm_smmu_cd *cds;
	u64 cdtab;

	/* Four CDs; ASIDs 7 and 9 in valid ones, 11 in an invalid one */
	cdtab = kdump_test_make_cds(env, 4, 7, kdump_test_ttb(env));
	cds = kdump_test_va(env, cdtab);
	cds[2] = cds[0];
	u64p_replace_bits((u64 *)&cds[2].data[0], 9, CTXDESC_CD_0_ASID);
	cds[3] = cds[0];
	u64p_replace_bits((u64 *)&cds[3].data[0], 11, CTXDESC_CD_0_ASID);
	cds[3].data[0] &= ~cpu_to_le64(CTXDESC_CD_0_V);
	kdump_test_make_s1_ste(&old[1], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 2,
			       STRTAB_STE_1_S1DSS_SSID0);
	/* Two STEs of the same stage 2 domain */
	kdump_test_make_s2_ste(&old[2], 5, kdump_test_ttb(env));
	kdump_test_make_s2_ste(&old[3], 5, kdump_test_ttb(env));
	kdump_test_make_s2_ste(&old[4], 8, kdump_test_ttb(env));

	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	KUNIT_EXPECT_EQ(test, env->report.nr_kept, 4);

	KUNIT_EXPECT_NOT_NULL(test, xa_load(&env->asid_xa, 7));
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&env->asid_xa, 9));
	KUNIT_EXPECT_NULL(test, xa_load(&env->asid_xa, 11));
	/* A new domain can no longer get them */
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&env->vmid_ida, 5, 5, GFP_KERNEL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&env->vmid_ida, 8, 8, GFP_KERNEL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&env->vmid_ida, 1, 10,
					      GFP_KERNEL), 1);

	/* A failed inheritance gives them back */
	arm_smmu_kdump_release_ids(&env->ctx);
	KUNIT_EXPECT_NULL(test, xa_load(&env->asid_xa, 7));
	KUNIT_EXPECT_NULL(test, xa_load(&env->asid_xa, 9));
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&env->vmid_ida, 5, 5, GFP_KERNEL),
			5);
	xa_init(&env->ctx.asids);
	xa_init(&env->ctx.vmids);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_reserve_ids_2lvl_cd(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	struct arm_smmu_ste *old = kdump_test_linear(env, 8);
	u64 l1_phys, l2_phys;
	struct arm_smmu_cd *cds;
	__le64 *l1cd;

	/* S1CDMax 11 with 64KB leaves: two L1CDs, the second one valid */
	l1_phys = kdump_test_old_alloc(env, 2 * sizeof(u64), 64);
	l1cd = kdump_test_va(env, l1_phys);
	l2_phys = kdump_test_make_cds(env, CTXDESC_L2_ENTRIES, 33,
				      kdump_test_ttb(env));
	cds = kdump_test_va(env, l2_phys);
	cds[1000] = cds[0];
	u64p_replace_bits((u64 *)&cds[1000].data[0], 34, CTXDESC_CD_0_ASID);
	l1cd[1] = cpu_to_le64(l2_phys | CTXDESC_L1_DESC_V);
	kdump_test_make_s1_ste(&old[9], l1_phys, STRTAB_STE_0_S1FMT_64K_L2,
			       11, STRTAB_STE_1_S1DSS_SSID0);

	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 9),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&env->asid_xa, 33));
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&env->asid_xa, 34));
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_reserve_ids_conflicts(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	struct arm_smmu_ste *old = kdump_test_linear(env, 8), abort;
	struct arm_smmu_ste nested;
	u64 cdtab;

	/* ASID 7 is already used by a domain of this kernel */
	KUNIT_ASSERT_EQ(test, xa_insert(&env->asid_xa, 7, env, GFP_KERNEL), 0);
	cdtab = kdump_test_make_cds(env, 1, 7, kdump_test_ttb(env));
	kdump_test_make_s1_ste(&old[1], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	/* VMID 0 is what this driver's stage 1 STEs use */
	kdump_test_make_s2_ste(&old[2], 0, kdump_test_ttb(env));
	/* A nested STE whose VMID is reserved; its CDs are in IPA space */
	kdump_test_make_s2_ste(&old[3], 12, kdump_test_ttb(env));
	kdump_test_make_nested_ste(&nested, &old[1], &old[3]);
	nested.data[0] &= ~cpu_to_le64(STRTAB_STE_0_S1CTXPTR_MASK);
	nested.data[0] |= cpu_to_le64(0x7000000000ULL);
	old[4] = nested;

	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	arm_smmu_make_abort_ste(&abort);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 1),
			ARM_SMMU_KDUMP_ABORT_ID);
	kdump_test_expect_ste(test, &env->table.linear[1], &abort);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 2),
			ARM_SMMU_KDUMP_ABORT_ID);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 3),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 4),
			ARM_SMMU_KDUMP_KEPT_ALL);
	kdump_test_expect_ste(test, &env->table.linear[4], &nested);
	/* The domain's ASID is not touched by the rollback */
	arm_smmu_kdump_release_ids(&env->ctx);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&env->asid_xa, 7), (void *)env);
	xa_erase(&env->asid_xa, 7);
	xa_init(&env->ctx.asids);
	xa_init(&env->ctx.vmids);
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_vet_pointers(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	struct arm_smmu_ste *old = kdump_test_linear(env, 8);
	struct arm_smmu_cd *cd;
	u64 cdtab;

	/* CD table in the crash kernel's memory */
	kdump_test_make_s1_ste(&old[1], OWN_BASE, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	/* CD whose TTB0 points into the crash kernel's memory */
	cdtab = kdump_test_make_cds(env, 1, 40, OWN_BASE + SZ_1M);
	kdump_test_make_s1_ste(&old[2], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	/* Stage 2 table outside any memory */
	kdump_test_make_s2_ste(&old[3], 41, 0x30000000);
	/* A misaligned linear CD table of 4 CDs */
	cdtab = kdump_test_make_cds(env, 4, 42, kdump_test_ttb(env));
	kdump_test_make_s1_ste(&old[4], cdtab + 64, STRTAB_STE_0_S1FMT_LINEAR,
			       2, STRTAB_STE_1_S1DSS_SSID0);
	/* EPD0 set: TTB0 is not used and not checked */
	cdtab = kdump_test_make_cds(env, 1, 43, OWN_BASE);
	cd = kdump_test_va(env, cdtab);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_TCR_EPD0);
	kdump_test_make_s1_ste(&old[5], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);

	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 1),
			ARM_SMMU_KDUMP_ABORT_CD);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 2),
			ARM_SMMU_KDUMP_ABORT_TTB);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 3),
			ARM_SMMU_KDUMP_ABORT_TTB);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 4),
			ARM_SMMU_KDUMP_ABORT_CD);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 5),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_NULL(test, xa_load(&env->asid_xa, 40));
	KUNIT_EXPECT_NOT_NULL(test, xa_load(&env->asid_xa, 43));
	kdump_test_env_exit(env);
}

static void arm_smmu_v3_kdump_test_vet_stall_httu(struct kunit *test)
{
	struct kdump_test_env *env =
		kdump_test_env_init(test, ARM_SMMU_KDUMP_KEEP_ALL);
	struct arm_smmu_ste *old = kdump_test_linear(env, 8);
	struct arm_smmu_cd *cd;
	u64 cdtab;

	/* An SMMU that can stall faults */
	env->ctx.caps.stall_model = IDR0_STALL_MODEL_STALL;

	/* CD asking for stalls */
	cdtab = kdump_test_make_cds(env, 1, 50, kdump_test_ttb(env));
	cd = kdump_test_va(env, cdtab);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_S);
	kdump_test_make_s1_ste(&old[1], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	/* The same with S1STALLD, which overrides the CD */
	old[2] = old[1];
	old[2].data[1] |= cpu_to_le64(STRTAB_STE_1_S1STALLD);
	/* CD with hardware Access/Dirty flag updates */
	cdtab = kdump_test_make_cds(env, 1, 51, kdump_test_ttb(env));
	cd = kdump_test_va(env, cdtab);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_TCR_HA | CTXDESC_CD_0_TCR_HD);
	kdump_test_make_s1_ste(&old[3], cdtab, STRTAB_STE_0_S1FMT_LINEAR, 0,
			       STRTAB_STE_1_S1DSS_SSID0);
	/* Stage 2 that stalls, and one with HTTU */
	kdump_test_make_s2_ste(&old[4], 52, kdump_test_ttb(env));
	old[4].data[2] |= cpu_to_le64(STRTAB_STE_2_S2S);
	kdump_test_make_s2_ste(&old[5], 53, kdump_test_ttb(env));
	old[5].data[2] |= cpu_to_le64(STRTAB_STE_2_S2HA);
	kdump_test_make_s2_ste(&old[6], 54, kdump_test_ttb(env));

	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 1),
			ARM_SMMU_KDUMP_ABORT_STALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 2),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 3),
			ARM_SMMU_KDUMP_ABORT_HTTU);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 4),
			ARM_SMMU_KDUMP_ABORT_STALL);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 5),
			ARM_SMMU_KDUMP_ABORT_HTTU);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 6),
			ARM_SMMU_KDUMP_KEPT_ALL);
	KUNIT_EXPECT_NULL(test, xa_load(&env->asid_xa, 51));

	/* With the stall model forced, no STE can be kept */
	arm_smmu_kdump_report_free(&env->report);
	env->ctx.caps.stall_model = IDR0_STALL_MODEL_FORCE;
	KUNIT_ASSERT_EQ(test, kdump_test_build(env), 0);
	KUNIT_EXPECT_EQ(test, kdump_test_reason(env, 6),
			ARM_SMMU_KDUMP_ABORT_STALL);
	KUNIT_EXPECT_EQ(test, env->report.nr_kept, 0);
	kdump_test_env_exit(env);
}

static struct kunit_case arm_smmu_v3_kdump_test_cases[] = {
	KUNIT_CASE(arm_smmu_v3_kdump_test_parse_mode),
	KUNIT_CASE(arm_smmu_v3_kdump_test_parse_keep_accepts),
	KUNIT_CASE(arm_smmu_v3_kdump_test_parse_keep_rejects),
	KUNIT_CASE(arm_smmu_v3_kdump_test_phys_ok),
	KUNIT_CASE(arm_smmu_v3_kdump_test_regs_accept_good),
	KUNIT_CASE(arm_smmu_v3_kdump_test_regs_reject_bad_format),
	KUNIT_CASE(arm_smmu_v3_kdump_test_regs_reject_log2size),
	KUNIT_CASE(arm_smmu_v3_kdump_test_regs_reject_split),
	KUNIT_CASE(arm_smmu_v3_kdump_test_regs_reject_misaligned),
	KUNIT_CASE(arm_smmu_v3_kdump_test_regs_reject_base_range),
	KUNIT_CASE(arm_smmu_v3_kdump_test_l1_reject_span),
	KUNIT_CASE(arm_smmu_v3_kdump_test_l1_reject_res0),
	KUNIT_CASE(arm_smmu_v3_kdump_test_l1_reject_misaligned_l2),
	KUNIT_CASE(arm_smmu_v3_kdump_test_l1_reject_l2_range),
	KUNIT_CASE(arm_smmu_v3_kdump_test_l2_budget),
	KUNIT_CASE(arm_smmu_v3_kdump_test_ste_reject_illegal),
	KUNIT_CASE(arm_smmu_v3_kdump_test_copy_2lvl_keep_quiesced),
	KUNIT_CASE(arm_smmu_v3_kdump_test_copy_2lvl_keep_all),
	KUNIT_CASE(arm_smmu_v3_kdump_test_copy_linear),
	KUNIT_CASE(arm_smmu_v3_kdump_test_reserve_ids),
	KUNIT_CASE(arm_smmu_v3_kdump_test_reserve_ids_2lvl_cd),
	KUNIT_CASE(arm_smmu_v3_kdump_test_reserve_ids_conflicts),
	KUNIT_CASE(arm_smmu_v3_kdump_test_vet_pointers),
	KUNIT_CASE(arm_smmu_v3_kdump_test_vet_stall_httu),
	{},
};

static struct kunit_suite arm_smmu_v3_kdump_test_suite = {
	.name = "arm-smmu-v3-kdump-kunit-test",
	.test_cases = arm_smmu_v3_kdump_test_cases,
};

kunit_test_suites(&arm_smmu_v3_kdump_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for the kdump support of arm-smmu-v3");
MODULE_LICENSE("GPL v2");
