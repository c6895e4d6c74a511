// SPDX-License-Identifier: GPL-2.0
/*
 * Validation: the SMMU's capabilities, the memory ranges, STRTAB_BASE and
 * STRTAB_BASE_CFG and the L1 descriptors of a 2-level table.
 */

#include "env.h"
#include "harness.h"
#include "shim/shim.h"
#include "tests.h"

#define ARENA	SZ_1M

static void phys_ok_ranges(void)
{
	struct env env;
	const struct arm_smmu_kdump_ctx *ctx = &env.ctx;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_4K));
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE, ARENA));
	/* Across the two adjacent ranges */
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA / 2 - 8, 16));
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA - 8, 8));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA - 8, 9));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE - 8, 16));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE, 0));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE, ARENA + 1));
	/* Wrapping around the address space */
	CHECK(!arm_smmu_kdump_phys_ok(ctx, U64_MAX - 7, 16));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE, U64_MAX));
	/* Our own memory, even where it is also declared old */
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OWN_BASE, SZ_4K));
	env.own_ram[1].start = OLD_BASE + SZ_64K;
	env.own_ram[1].end = OLD_BASE + SZ_64K + SZ_4K - 1;
	env.ctx.nr_own_ram = 2;
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_64K));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_64K + 1));
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE + SZ_64K + SZ_4K - 1, 1));
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + SZ_64K + SZ_4K, 8));
	/* A hole between two ranges */
	env.ctx.nr_own_ram = 1;
	env.old_ram[1].start += SZ_4K;
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA / 2 - 8, 16));
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA / 2 + SZ_4K, 16));
	env_exit(&env);
}

/* Addresses at or beyond the output address size are not memory */
static void phys_ok_oas(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env.regs.idr[5] = FIELD_PREP(IDR5_OAS, IDR5_OAS_32_BIT);
	env_caps(&env);
	/* OLD_BASE is below 4GB: still fine */
	CHECK(arm_smmu_kdump_phys_ok(&env.ctx, OLD_BASE, SZ_4K));
	env.old_ram[1].end = (1ULL << 33) - 1;
	CHECK(!arm_smmu_kdump_phys_ok(&env.ctx, 1ULL << 32, SZ_4K));
	CHECK(!arm_smmu_kdump_phys_ok(&env.ctx, (1ULL << 32) - 8, 16));
	env_exit(&env);
}

static void regs_accept_linear(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env_linear(&env, 8);
	REQUIRE_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	CHECK_EQ(env.ctx.fmt, STRTAB_BASE_CFG_FMT_LINEAR);
	CHECK_EQ(env.ctx.nr_ents, 256);
	CHECK_EQ(env.ctx.base, env.regs.strtab_base & STRTAB_BASE_ADDR_MASK);
	CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_NONE);
	/* A linear table needs no 2-level support, and may be 1 STE */
	env.regs.idr[0] &= ~IDR0_ST_LVL;
	env_caps(&env);
	env_linear(&env, 0);
	CHECK_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	CHECK_EQ(env.ctx.nr_ents, 1);
	env_exit(&env);
}

static void regs_accept_2lvl(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env_2lvl(&env, 16);
	REQUIRE_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	CHECK_EQ(env.ctx.fmt, STRTAB_BASE_CFG_FMT_2LVL);
	CHECK_EQ(env.ctx.split, STRTAB_SPLIT);
	CHECK_EQ(env.ctx.nr_ents, 256);
	/* log2size == SPLIT: a single L1 descriptor */
	env_2lvl(&env, STRTAB_SPLIT);
	REQUIRE_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	CHECK_EQ(env.ctx.nr_ents, 1);
	env_exit(&env);
}

/* check_regs() must fail with @err; ctx->err says why */
static void expect_reject(struct env *env, enum arm_smmu_kdump_error err)
{
	env->ctx.err = ARM_SMMU_KDUMP_ERR_NONE;
	CHECK_EQ(arm_smmu_kdump_check_regs(&env->ctx, &env->regs), -EINVAL);
	CHECK_EQ(env->ctx.err, err);
}

static void regs_reject_format(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	/* 2-level table on an SMMU without IDR0.ST_LEVEL 2-level */
	env_2lvl(&env, 16);
	env.regs.idr[0] &= ~IDR0_ST_LVL;
	env_caps(&env);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_FMT);
	/* Nor where the driver uses linear tables: SIDSIZE <= SPLIT */
	env_set_idrs(&env.regs);
	env_sid_bits(&env, STRTAB_SPLIT);
	env_2lvl(&env, STRTAB_SPLIT);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_FMT);
	/* Reserved formats */
	env_set_idrs(&env.regs);
	env_caps(&env);
	env.regs.strtab_base_cfg &= ~STRTAB_BASE_CFG_FMT;
	env.regs.strtab_base_cfg |= FIELD_PREP(STRTAB_BASE_CFG_FMT, 2);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_FMT);
	env.regs.strtab_base_cfg |= FIELD_PREP(STRTAB_BASE_CFG_FMT, 3);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_FMT);
	env_exit(&env);
}

static void regs_reject_log2size(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	/* LOG2SIZE above IDR1.SIDSIZE */
	env_sid_bits(&env, 6);
	env_linear(&env, 7);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_LOG2SIZE);
	CHECK_EQ(env.ctx.err_val, 7);
	env_linear(&env, 6);
	CHECK_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	/* 2-level, LOG2SIZE below SPLIT */
	env_set_idrs(&env.regs);
	env_caps(&env);
	env_2lvl(&env, 9);
	env.regs.strtab_base_cfg &= ~STRTAB_BASE_CFG_LOG2SIZE;
	env.regs.strtab_base_cfg |= FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, 7);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_LOG2SIZE);
	/* A linear table larger than the driver copies: 2^17 STEs */
	env.regs.idr[1] |= FIELD_PREP(IDR1_SIDSIZE, 20);
	env_caps(&env);
	env.regs.strtab_base_cfg =
		FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, 17);
	env.regs.strtab_base = OLD_BASE;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_SIZE);
	env_exit(&env);
}

static void regs_reject_split(void)
{
	static const u32 splits[] = { 0, 6, 7, 9, 10, 31 };
	struct env env;
	unsigned int i;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env_2lvl(&env, 16);
	for (i = 0; i < ARRAY_SIZE(splits); i++) {
		env.regs.strtab_base_cfg &= ~STRTAB_BASE_CFG_SPLIT;
		env.regs.strtab_base_cfg |=
			FIELD_PREP(STRTAB_BASE_CFG_SPLIT, splits[i]);
		expect_reject(&env, ARM_SMMU_KDUMP_ERR_SPLIT);
		CHECK_EQ(env.ctx.err_val, splits[i]);
	}
	env_exit(&env);
}

static void regs_reject_res0(void)
{
	struct env env;
	u64 base;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env_2lvl(&env, 16);
	base = env.regs.strtab_base;
	env.regs.strtab_base |= BIT_ULL(63);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_RES0);
	env.regs.strtab_base = base | BIT_ULL(52);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_RES0);
	env.regs.strtab_base = base | BIT_ULL(5);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_RES0);
	env.regs.strtab_base = base;
	env.regs.strtab_base_cfg |= BIT(18);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_RES0);
	env_exit(&env);
}

static void regs_reject_misaligned(void)
{
	struct env env;
	u64 phys;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	/* Linear: aligned to the table's size */
	env_linear(&env, 4);
	env.regs.strtab_base += 64;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_ALIGN);
	/* 2-level: to the L1 table's size, 2KB for 2^16 StreamIDs */
	env_set_idrs(&env.regs);
	env_caps(&env);
	env_2lvl(&env, 16);
	env.regs.strtab_base += SZ_1K;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_ALIGN);
	/* 2^12 StreamIDs: 16 descriptors, 128 bytes */
	phys = env_old_alloc(&env, 256, 256);
	env.regs.strtab_base_cfg =
		FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_2LVL) |
		FIELD_PREP(STRTAB_BASE_CFG_SPLIT, STRTAB_SPLIT) |
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, 12);
	env.regs.strtab_base = phys + 128;
	CHECK_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	env.regs.strtab_base = phys + 64;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_ALIGN);
	/* Bits 5:0 are not part of the address: reserved */
	env.regs.strtab_base = phys + 32;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_RES0);
	env_exit(&env);
}

static void regs_reject_base_range(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env_2lvl(&env, 16);
	/* In our own memory */
	env.regs.strtab_base = OWN_BASE | STRTAB_BASE_RA;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);
	/* Below, beyond, and across the end of the old memory */
	env.regs.strtab_base = OLD_BASE - SZ_4K;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);
	env.regs.strtab_base = OLD_BASE + ARENA;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);
	env_linear(&env, 4);
	env.regs.strtab_base = OLD_BASE + ARENA - SZ_1K;
	CHECK_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	env.old_ram[1].end -= SZ_512;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);
	env.old_ram[1].end += SZ_512;
	/* Old memory that is also ours */
	env.regs.strtab_base = OLD_BASE;
	env.own_ram[1].start = OLD_BASE + SZ_512;
	env.own_ram[1].end = OLD_BASE + SZ_512;
	env.ctx.nr_own_ram = 2;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_BASE_RANGE);
	env.ctx.nr_own_ram = 1;
	/* Nothing was mapped to find out */
	CHECK_EQ(env.nr_map_calls, 0);
	env_exit(&env);
}

/*
 * L1 descriptor @idx is bad with @err: build() refuses the table, as any
 * other failed check, without following the descriptor, and leaves
 * nothing behind.
 */
static void expect_l1_error(struct env *env, enum arm_smmu_kdump_error err,
			    u32 idx)
{
	long live = shim_live_allocs;

	env->quiet = true;
	env->ctx.err = ARM_SMMU_KDUMP_ERR_NONE;
	CHECK_EQ(env_build(env), -EINVAL);
	CHECK_EQ(env->ctx.err, err);
	CHECK_EQ(env->ctx.err_idx, idx);
	CHECK_EQ(env->bad_maps, 0);
	env_undo(env);
	CHECK_EQ(shim_live_allocs, live);
	CHECK_EQ(env->nr_maps, 0);
}

static void l1_reject_span(void)
{
	struct env env;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	env_l2(&env, l1, 3, STRTAB_SPLIT + 1);
	ste_s2(&((struct arm_smmu_ste *)env_va(&env,
		le64_to_cpu(l1[3]) & STRTAB_L1_DESC_L2PTR_MASK))[0], 1,
	       env_ttb(&env));
	/* Span 10 would cover 512 STEs of a 256-STE span */
	l1[7] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 2) |
			    env_old_alloc(&env, SZ_32K, SZ_32K));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L1_SPAN, 7);
	l1[7] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, 31) | OLD_BASE);
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L1_SPAN, 7);
	env_exit(&env);
}

static void l1_reject_res0(void)
{
	struct env env;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	env_l2(&env, l1, 0, STRTAB_SPLIT + 1);
	l1[0] |= cpu_to_le64(BIT_ULL(5));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L1_RES0, 0);
	l1[0] &= ~cpu_to_le64(BIT_ULL(5));
	l1[0] |= cpu_to_le64(BIT_ULL(60));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L1_RES0, 0);
	env_exit(&env);
}

static void l1_reject_misaligned_l2(void)
{
	struct env env;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	env_l2(&env, l1, 200, STRTAB_SPLIT + 1);
	/* A 256-STE L2 table is aligned to 16KB */
	l1[200] = cpu_to_le64(le64_to_cpu(l1[200]) + SZ_8K);
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L2_ALIGN, 200);
	/* A 2-STE one (span 2) to 128 bytes */
	l1[200] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, 2) |
			      (env_old_alloc(&env, 256, 256) + 64));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L2_ALIGN, 200);
	env_exit(&env);
}

static void l1_reject_l2_range(void)
{
	struct env env;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	env_l2(&env, l1, 1, STRTAB_SPLIT + 1);
	l1[9] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) |
			    OWN_BASE);
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L2_RANGE, 9);
	l1[9] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) |
			    (OLD_BASE + ARENA - SZ_8K));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L2_ALIGN, 9);
	l1[9] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) |
			    (OLD_BASE + ARENA));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L2_RANGE, 9);
	/* Beyond the OAS */
	l1[9] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) |
			    GENMASK_ULL(51, 14));
	expect_l1_error(&env, ARM_SMMU_KDUMP_ERR_L2_RANGE, 9);
	env_exit(&env);
}

/* More live L2 tables than the budget: refused, with nothing left */
static void l2_budget(void)
{
	struct env env;
	struct arm_smmu_ste *l2;
	long live = shim_live_allocs;
	__le64 *l1;
	u32 i;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	for (i = 0; i < 4; i++) {
		l2 = env_l2(&env, l1, 10 * i, STRTAB_SPLIT + 1);
		ste_s2(&l2[i], 1 + i, env_ttb(&env));
	}
	env.ctx.max_l2 = 4;
	REQUIRE_EQ(env_build(&env), 0);
	CHECK_EQ(env.table.nr_l2s, 4);
	env_undo(&env);

	env.ctx.max_l2 = 3;
	CHECK_EQ(env_build(&env), -EINVAL);
	CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_L2_BUDGET);
	CHECK_EQ(env.ctx.err_idx, 30);
	env_undo(&env);
	CHECK_EQ(shim_live_allocs, live);
	CHECK_EQ(env.nr_maps, 0);
	env_exit(&env);
}

/*
 * Only the first nr_old_ram and nr_own_ram ranges count: the kernel's
 * arrays grow by doubling and what lies past the counts is not cleared.
 * And a range's last byte is in it.
 */
static void phys_ok_range_bounds(void)
{
	struct env env;
	const struct arm_smmu_kdump_ctx *ctx = &env.ctx;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	/* The last byte of each range, alone */
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA / 2 - 1, 1));
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA - 1, 1));
	/* A one-byte range walked through */
	env.old_ram[0].end = OLD_BASE + ARENA / 2 - 2;
	env.old_ram[2] = env.old_ram[1];
	env.old_ram[1].start = OLD_BASE + ARENA / 2 - 1;
	env.old_ram[1].end = OLD_BASE + ARENA / 2 - 1;
	env.ctx.nr_old_ram = 3;
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA / 2 - 8, 16));
	env.old_ram[1] = env.old_ram[2];
	env.old_ram[0].end = OLD_BASE + ARENA / 2 - 1;
	env.ctx.nr_old_ram = 2;
	/* Stale entries past the counts: not our RAM, not old RAM */
	env.own_ram[1].start = OLD_BASE;
	env.own_ram[1].end = OLD_BASE + ARENA - 1;
	CHECK(arm_smmu_kdump_phys_ok(ctx, OLD_BASE, SZ_4K));
	env.old_ram[2].start = OLD_BASE + ARENA;
	env.old_ram[2].end = OLD_BASE + 2 * ARENA - 1;
	CHECK(!arm_smmu_kdump_phys_ok(ctx, OLD_BASE + ARENA, SZ_4K));
	env_exit(&env);
}

/* A linear table is copied whole up to 2^16 StreamIDs, and no further */
static void regs_linear_sid_bits_limit(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	env_linear(&env, 4);
	/* check_regs() only: the copy of 2^16 STEs is not built here */
	env.smmu.sid_bits = 16;
	CHECK_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	env.smmu.sid_bits = 17;
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_SIZE);
	env_exit(&env);
}

/*
 * A 2-level table of more L1 descriptors than the driver's own can have
 * (STRTAB_MAX_L1_ENTRIES, 2^17 for SIDSIZE 32): refused for its size,
 * even where it would fit in old memory; 2^17 is accepted.
 */
static void regs_l1_entries_limit(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, SZ_4M);
	env_sid_bits(&env, 32);
	env.regs.strtab_base = OLD_BASE | STRTAB_BASE_RA;
	env.regs.strtab_base_cfg =
		FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_2LVL) |
		FIELD_PREP(STRTAB_BASE_CFG_SPLIT, STRTAB_SPLIT) |
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, STRTAB_SPLIT + 17);
	REQUIRE_EQ(arm_smmu_kdump_check_regs(&env.ctx, &env.regs), 0);
	CHECK_EQ(env.ctx.nr_ents, STRTAB_MAX_L1_ENTRIES);
	/* 2^18 descriptors, 2MB at a 2MB-aligned base in old memory */
	env.regs.strtab_base_cfg &= ~STRTAB_BASE_CFG_LOG2SIZE;
	env.regs.strtab_base_cfg |=
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, STRTAB_SPLIT + 18);
	expect_reject(&env, ARM_SMMU_KDUMP_ERR_SIZE);
	env_exit(&env);
}

/*
 * Tables in old memory that cannot be mapped (memremap fails): the build
 * is refused with ERR_MAP and leaves nothing behind. Old RAM is declared
 * past the arena here, which the environment's map() refuses.
 */
static void build_map_fails(void)
{
	struct env env;
	long live = shim_live_allocs;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	env.old_ram[1].end += SZ_1M;
	env.quiet = true;
	/* The L1 table */
	env_2lvl(&env, 16);
	env.regs.strtab_base = (OLD_BASE + ARENA) | STRTAB_BASE_RA;
	CHECK_EQ(env_build(&env), -EINVAL);
	CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_MAP);
	env_undo(&env);
	/* An L2 table */
	l1 = env_2lvl(&env, 16);
	l1[5] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) |
			    (OLD_BASE + ARENA));
	CHECK_EQ(env_build(&env), -EINVAL);
	CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_MAP);
	CHECK_EQ(env.ctx.err_idx, 5);
	env_undo(&env);
	/* A linear table */
	env_linear(&env, 4);
	env.regs.strtab_base = (OLD_BASE + ARENA) | STRTAB_BASE_RA;
	CHECK_EQ(env_build(&env), -EINVAL);
	CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_MAP);
	env_undo(&env);
	CHECK_EQ(shim_live_allocs, live);
	CHECK_EQ(env.nr_maps, 0);
	env_exit(&env);
}

const struct test_case regs_cases[] = {
	TEST_CASE(phys_ok_ranges),
	TEST_CASE(phys_ok_oas),
	TEST_CASE(regs_accept_linear),
	TEST_CASE(regs_accept_2lvl),
	TEST_CASE(regs_reject_format),
	TEST_CASE(regs_reject_log2size),
	TEST_CASE(regs_reject_split),
	TEST_CASE(regs_reject_res0),
	TEST_CASE(regs_reject_misaligned),
	TEST_CASE(regs_reject_base_range),
	TEST_CASE(l1_reject_span),
	TEST_CASE(l1_reject_res0),
	TEST_CASE(l1_reject_misaligned_l2),
	TEST_CASE(l1_reject_l2_range),
	TEST_CASE(l2_budget),
	TEST_CASE(phys_ok_range_bounds),
	TEST_CASE(regs_linear_sid_bits_limit),
	TEST_CASE(regs_l1_entries_limit),
	TEST_CASE(build_map_fails),
};
const size_t nr_regs_cases = ARRAY_SIZE(regs_cases);
