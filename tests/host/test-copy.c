// SPDX-License-Identifier: GPL-2.0
/*
 * Copy and policy: which STEs of the crashed kernel are kept, what the
 * kept ones must point at, and the ASIDs and VMIDs they reserve. Decisions
 * are read from the built table (kept: the old STE unchanged; aborted: an
 * abort STE) and from report->nr_kept/nr_aborted, not from the records.
 */

#include "env.h"
#include "harness.h"
#include "shim/shim.h"
#include "tests.h"

#define ARENA	SZ_1M

/* The marker of ASIDs that a kdump kernel reserved, see the driver */
#define ASID_MARK	xa_mk_value(0)

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* A mixed linear table: see the comment of each SID */
static struct arm_smmu_ste *mixed_linear(struct env *env)
{
	struct arm_smmu_ste *stes = env_linear(env, 4);

	/* 1: stage 1, 2: stage 2, 3: nested */
	ste_s1(&stes[1], env_cds(env, 0, 11), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s2(&stes[2], 22, env_ttb(env));
	ste_nested(&stes[3], 0x1000, 33, env_ttb(env));
	/* 4: bypass; 5: an invalid stage 2 STE; 6: abort (as made) */
	ste_bypass(&stes[4]);
	ste_s2(&stes[5], 55, env_ttb(env));
	stes[5].data[0] &= ~cpu_to_le64(STRTAB_STE_0_V);
	/* 7: Config 0b001, reserved, behaves as abort */
	stes[7].data[0] = cpu_to_le64(STRTAB_STE_0_V |
				      FIELD_PREP(STRTAB_STE_0_CFG, 1));
	return stes;
}

/* Nothing but @sids passes traffic, and everything else aborts */
static void check_only_live(struct env *env, const u32 *sids, unsigned int nr)
{
	u32 sid, i;

	for (sid = 0; sid < env->table.nr_ents; sid++) {
		for (i = 0; i < nr && sids[i] != sid; i++)
			;
		if (i < nr)
			continue;
		if (!ste_is_abort(env_new_ste(env, sid))) {
			CHECK(ste_is_abort(env_new_ste(env, sid)));
			test_note("SID %u is not an abort STE", sid);
		}
	}
}

static void copy_linear_keep_list(void)
{
	static const u32 kept[] = { 1, 3 };
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	mixed_linear(&env);
	env_keep(&env, 1);
	env_keep(&env, 3);
	env_keep(&env, 4);
	env_keep(&env, 5);
	env_keep(&env, 9);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK_EQ(env.table.nr_ents, 16);
	CHECK_EQ(env.table.linear_dma, DMA_BASE);
	CHECK(env_kept(&env, 1));
	CHECK(env_aborted(&env, 2));	/* not listed */
	CHECK(env_kept(&env, 3));
	CHECK(env_aborted(&env, 4));	/* listed, but a bypass */
	check_only_live(&env, kept, ARRAY_SIZE(kept));
	CHECK_EQ(env.report.nr_kept, 2);
	CHECK_EQ(env.report.nr_aborted, 2);
	/* The old table was only read, and is no longer mapped */
	CHECK_EQ(env.nr_maps, 0);
	CHECK_EQ(env.old_writes, 0);
	CHECK_EQ(env.bad_maps, 0);
	env_exit(&env);
}

static void copy_linear_keep_all(void)
{
	static const u32 kept[] = { 1, 2, 3 };
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	mixed_linear(&env);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_kept(&env, 1));
	CHECK(env_kept(&env, 2));
	CHECK(env_kept(&env, 3));
	CHECK(env_aborted(&env, 4));
	check_only_live(&env, kept, ARRAY_SIZE(kept));
	CHECK_EQ(env.report.nr_kept, 3);
	CHECK_EQ(env.report.nr_aborted, 1);
	env_exit(&env);
}

/* The default policy with an empty keep list aborts everything */
static void copy_default_aborts_all(void)
{
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	mixed_linear(&env);
	REQUIRE_EQ(env_build(&env), 0);
	check_only_live(&env, NULL, 0);
	CHECK_EQ(env.report.nr_kept, 0);
	CHECK_EQ(env.report.nr_aborted, 4);
	/* Nothing kept, nothing reserved */
	CHECK(xa_empty(&env.asid_xa));
	CHECK(xa_empty(&env.vmid_ida.xa));
	env_exit(&env);
}

static void copy_2lvl(void)
{
	struct arm_smmu_ste *l2a, *l2b, *l2c;
	struct env env;
	__le64 *l1;
	u64 l1_before[256];

	env_init(&env, ARM_SMMU_KDUMP_KEEP_QUIESCED, ARENA);
	l1 = env_2lvl(&env, 16);
	/* Span 0 of L1 descriptor 0: live STEs of bus 0 */
	l2a = env_l2(&env, l1, 0, STRTAB_SPLIT + 1);
	ste_s2(&l2a[8], 3, env_ttb(&env));
	ste_s2(&l2a[9], 4, env_ttb(&env));
	/* Descriptor 5: an L2 table of abort STEs, copied too (a device could
	 * still write the old one) */
	env_l2(&env, l1, 5, STRTAB_SPLIT + 1);
	/* Descriptor 9: a short L2 table (span 2: 2 STEs) */
	l2b = env_l2(&env, l1, 9, 2);
	ste_s2(&l2b[1], 6, env_ttb(&env));
	/* Descriptor 20: span 1, a single STE */
	ste_s2(env_l2(&env, l1, 20, 1), 7, env_ttb(&env));
	env_keep(&env, 20 << 8);
	/* Descriptor 255: the last StreamIDs */
	l2c = env_l2(&env, l1, 255, STRTAB_SPLIT + 1);
	ste_s1(&l2c[255], env_cds(&env, 0, 7), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	memcpy(l1_before, l1, sizeof(l1_before));
	env_keep(&env, 8);
	env_keep(&env, (9 << 8) | 1);
	env_keep(&env, 0xffff);
	qsort(env.keep, env.ctx.nr_keep, sizeof(u32), cmp_u32);

	REQUIRE_EQ(env_build(&env), 0);
	CHECK_EQ(env.table.nr_ents, 256);
	CHECK_EQ(env.table.nr_l2s, 5);
	CHECK(env.table.l2ptrs[0] && env.table.l2ptrs[9] &&
	      env.table.l2ptrs[20] && env.table.l2ptrs[255]);
	REQUIRE(env.table.l2ptrs[5]);
	CHECK(ste_is_abort(&env.table.l2ptrs[5]->stes[0]));
	CHECK(ste_is_abort(&env.table.l2ptrs[5]->stes[255]));
	CHECK(!env.table.l2ptrs[6]);
	CHECK(env_kept(&env, 8));
	CHECK(env_aborted(&env, 9));
	CHECK(env_kept(&env, (9 << 8) | 1));
	CHECK(env_kept(&env, 0xffff));
	CHECK(env_kept(&env, 20 << 8));
	if (env.table.l2ptrs[20])
		CHECK(ste_is_abort(&env.table.l2ptrs[20]->stes[1]));
	/* The rest of a short L2 table's span aborts */
	CHECK(ste_is_abort(&env.table.l2ptrs[9]->stes[0]));
	CHECK(ste_is_abort(&env.table.l2ptrs[9]->stes[2]));
	CHECK(ste_is_abort(&env.table.l2ptrs[9]->stes[255]));
	CHECK_EQ(env.report.nr_kept, 4);
	CHECK_EQ(env.report.nr_aborted, 1);
	/* The switch finds each copy's DMA address by its span */
	REQUIRE(env.table.l2_dma);
	CHECK(env.table.l2_dma[0] >= DMA_BASE);
	CHECK(env.table.l2_dma[9] >= DMA_BASE);
	CHECK(env.table.l2_dma[20] >= DMA_BASE);
	CHECK(env.table.l2_dma[255] >= DMA_BASE);
	CHECK(env.table.l2_dma[5] >= DMA_BASE);
	CHECK_EQ(env.table.l2_dma[6], 0);
	/* The old L1 table stays mapped, unchanged, until table_free() */
	CHECK_EQ(env.nr_maps, 1);
	CHECK(env.table.l1tab);
	CHECK(!memcmp(l1_before, l1, sizeof(l1_before)));
	env_undo(&env);
	CHECK_EQ(env.nr_maps, 0);
	CHECK_EQ(env.old_writes, 0);
	env_exit(&env);
}

/* Bypass is never kept: Config bypass, or stage 1 with S1DSS bypass */
static void bypass_never_kept(void)
{
	struct arm_smmu_ste *stes;
	struct env env;
	u64 cds;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 3);
	cds = env_cds(&env, 2, 9);
	ste_bypass(&stes[0]);
	ste_s1(&stes[1], cds, STRTAB_STE_0_S1FMT_LINEAR, 2,
	       STRTAB_STE_1_S1DSS_BYPASS);
	/* S1DSS applies only with substreams (S1CDMax > 0) */
	ste_s1(&stes[2], env_cds(&env, 0, 10), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_BYPASS);
	ste_s1(&stes[3], cds, STRTAB_STE_0_S1FMT_LINEAR, 2,
	       STRTAB_STE_1_S1DSS_TERMINATE);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_aborted(&env, 1));
	CHECK(env_kept(&env, 2));
	/*
	 * Transactions without a substream were aborted (S1DSS=Terminate):
	 * a copy on CD 0 alone would give them DMA.
	 */
	CHECK(env_aborted(&env, 3));
	env_undo(&env);

	/* Listed does not change it */
	env.ctx.mode = ARM_SMMU_KDUMP_KEEP_QUIESCED;
	env_keep(&env, 0);
	env_keep(&env, 1);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_aborted(&env, 1));
	CHECK_EQ(env.report.nr_kept, 0);
	env_undo(&env);

	/* Without substreams (SSIDSIZE 0), S1DSS is ignored */
	env.ctx.mode = ARM_SMMU_KDUMP_KEEP_ALL;
	env.regs.idr[1] &= ~IDR1_SSIDSIZE;
	env_caps(&env);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_kept(&env, 1));
	CHECK(env_kept(&env, 3));
	env_exit(&env);
}

/*
 * An ILLEGAL STE is kept verbatim (the SMMU aborts it with C_BAD_STE), but
 * what it points at is vetted as for any other STE, and S1CDMax is bounded
 * by SSIDSIZE.
 */
static void illegal_kept_verbatim(void)
{
	struct arm_smmu_ste *stes;
	unsigned int maps;
	struct env env;
	u32 ssid_bits;
	u64 l1, leaf;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	ssid_bits = FIELD_GET(IDR1_SSIDSIZE, env.regs.idr[1]);
	stes = env_linear(&env, 2);
	ste_s2(&stes[0], 1, env_ttb(&env));
	ste_s2(&stes[1], 2, env_ttb(&env));
	stes[1].data[2] |= cpu_to_le64(STRTAB_STE_2_S2ENDI);
	ste_s1(&stes[2], env_cds(&env, 0, 3), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	stes[2].data[1] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_1_STRW, 1));
	/*
	 * A 2-level CD table with one more S1CDMax bit than SSIDSIZE, whose
	 * CD 0 is good: only the bound refuses it
	 */
	l1 = env_old_alloc(&env, sizeof(u64) << (ssid_bits - 9),
			   sizeof(u64) << (ssid_bits - 9));
	leaf = env_old_alloc(&env, sizeof(struct arm_smmu_cd), SZ_4K);
	cd_make(env_va(&env, leaf), 4, env_ttb(&env));
	*(__le64 *)env_va(&env, l1) = cpu_to_le64(leaf | CTXDESC_L1_DESC_V);
	ste_s1(&stes[3], l1, STRTAB_STE_0_S1FMT_64K_L2, ssid_bits + 1,
	       STRTAB_STE_1_S1DSS_SSID0);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_kept(&env, 0));
	CHECK(env_kept(&env, 1));
	CHECK(env_kept(&env, 2));
	CHECK(env_aborted(&env, 3));
	CHECK_EQ(env.report.nr_kept, 3);
	CHECK_EQ(env.report.nr_aborted, 1);
	CHECK(shim_ida_allocated(&env.vmid_ida, 1));
	CHECK(shim_ida_allocated(&env.vmid_ida, 2));
	CHECK(xa_load(&env.asid_xa, 3) == ASID_MARK);
	env_undo(&env);

	/* At SSIDSIZE its L1CD is read: it has no leaf for substream 0 */
	*(__le64 *)env_va(&env, l1) = 0;
	ste_s1(&stes[3], l1, STRTAB_STE_0_S1FMT_64K_L2, ssid_bits,
	       STRTAB_STE_1_S1DSS_SSID0);
	maps = env.nr_map_calls;
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 3));
	/* The table, the CD of 2, the L1CD of 3 */
	CHECK_EQ(env.nr_map_calls - maps, 3);
	env_exit(&env);
}

/* Kept STEs point into old memory only, directly or through CDs */
static void vet_pointers(void)
{
	struct arm_smmu_ste *stes;
	struct arm_smmu_cd *cd;
	struct env env;
	u64 cds;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 3);
	/* 0: S2TTB in our memory; 1: S2TTB just past the old memory */
	ste_s2(&stes[0], 1, OWN_BASE);
	ste_s2(&stes[1], 2, OLD_BASE + ARENA);
	/* 2: CD table in our memory; 3: across the end of old memory */
	ste_s1(&stes[2], OWN_BASE, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s1(&stes[3], OLD_BASE + ARENA - 64, STRTAB_STE_0_S1FMT_LINEAR, 1,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 4: a CD whose TTB0 is in our memory */
	cds = env_cds(&env, 0, 4);
	cd = env_va(&env, cds);
	cd->data[1] = cpu_to_le64(OWN_BASE);
	ste_s1(&stes[4], cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 5: the same, but EPD0 disables TTB0, and TTB1 is old memory */
	cds = env_cds(&env, 0, 5);
	cd = env_va(&env, cds);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_TCR_EPD0);
	cd->data[0] &= ~cpu_to_le64(CTXDESC_CD_0_TCR_EPD1);
	cd->data[1] = cpu_to_le64(OWN_BASE);
	cd->data[2] = cpu_to_le64(env_ttb(&env));
	ste_s1(&stes[5], cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 6: nested: the S1 context pointer is an IPA, never followed */
	ste_nested(&stes[6], OWN_BASE, 6, env_ttb(&env));
	/* 7: nested with S2TTB in our memory */
	ste_nested(&stes[7], 0x1000, 7, OWN_BASE + SZ_4K);

	env.quiet = true;
	REQUIRE_EQ(env_build(&env), 0);
	CHECK_EQ(env.bad_maps, 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_aborted(&env, 1));
	CHECK(env_aborted(&env, 2));
	CHECK(env_aborted(&env, 3));
	CHECK(env_aborted(&env, 4));
	CHECK(env_kept(&env, 5));
	CHECK(env_kept(&env, 6));
	CHECK(env_aborted(&env, 7));
	env_exit(&env);
}

/*
 * Nor may a kept STE point into the 2-level L1 table: the switch points its
 * descriptors at the crash kernel's L2 tables.  What starts right after it
 * is not in it.
 */
static void vet_pointers_not_into_l1(void)
{
	struct arm_smmu_ste *l2;
	struct env env;
	__le64 *l1;
	u64 l1_phys, cds, after;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	l1_phys = env.regs.strtab_base & STRTAB_BASE_ADDR_MASK;
	/* 256 descriptors, 2KB, then a CD */
	after = env_old_alloc(&env, sizeof(struct arm_smmu_cd), 64);
	REQUIRE_EQ(after, l1_phys + 256 * sizeof(u64));
	cd_make(env_va(&env, after), 9, env_ttb(&env));
	l2 = env_l2(&env, l1, 0, STRTAB_SPLIT + 1);
	/* 1: S2TTB at the L1 table; 2: a CD whose TTB0 is there */
	ste_s2(&l2[1], 1, l1_phys);
	cds = env_cds(&env, 0, 2);
	((struct arm_smmu_cd *)env_va(&env, cds))->data[1] =
		cpu_to_le64(l1_phys);
	ste_s1(&l2[2], cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 3: a CD table at the L1 table */
	ste_s1(&l2[3], l1_phys, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 4: S2TTB elsewhere in old memory; 5: the CD right after L1 */
	ste_s2(&l2[4], 4, env_ttb(&env));
	ste_s1(&l2[5], after, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);

	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 1));
	CHECK(env_aborted(&env, 2));
	CHECK(env_aborted(&env, 3));
	CHECK(env_kept(&env, 4));
	CHECK(env_kept(&env, 5));
	CHECK(xa_load(&env.asid_xa, 9) == ASID_MARK);
	env_exit(&env);
}

/*
 * Only the CD of transactions without a substream is kept: the copy points
 * at it alone (S1CDMax 0), and the other CDs are neither read nor reserved.
 */
static void vet_cd_2lvl(void)
{
	struct arm_smmu_ste *stes;
	struct arm_smmu_cd *leaf;
	struct env env;
	__le64 *l1cd;
	u64 l1, l2, q0;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 2);
	/* S1CDMax 7: 128 CDs in two 4KB leaves, the first one present */
	l1 = env_old_alloc(&env, 64, 64);
	l1cd = env_va(&env, l1);
	l2 = env_old_alloc(&env, SZ_4K, SZ_4K);
	leaf = env_va(&env, l2);
	cd_make(&leaf[0], 100, env_ttb(&env));
	cd_make(&leaf[63], 101, env_ttb(&env));
	l1cd[0] = cpu_to_le64(l2 | CTXDESC_L1_DESC_V);
	ste_s1(&stes[0], l1, 1, 7, STRTAB_STE_1_S1DSS_SSID0);
	REQUIRE_EQ(env_build(&env), 0);
	REQUIRE(env_kept(&env, 0));
	q0 = le64_to_cpu(env_new_ste(&env, 0)->data[0]);
	CHECK_EQ(q0 & STRTAB_STE_0_S1CTXPTR_MASK, l2);
	CHECK_EQ(FIELD_GET(STRTAB_STE_0_S1CDMAX, q0), 0);
	CHECK_EQ(FIELD_GET(STRTAB_STE_0_S1FMT, q0), 0);
	CHECK(xa_load(&env.asid_xa, 100) == ASID_MARK);
	CHECK(!xa_load(&env.asid_xa, 101));
	env_undo(&env);

	/* No leaf for substream 0 */
	l1cd[0] = 0;
	l1cd[1] = cpu_to_le64(l2 | CTXDESC_L1_DESC_V);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	env_undo(&env);
	/* A leaf in our memory */
	l1cd[0] = cpu_to_le64(OWN_BASE | CTXDESC_L1_DESC_V);
	env.quiet = true;
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK_EQ(env.bad_maps, 0);
	/* ... and no ASID stays reserved by an aborted STE */
	CHECK(xa_empty(&env.asid_xa));
	env_exit(&env);
}

/* Linear CD tables: CD 0 is all that is read, whatever the table's size */
static void vet_cd_linear(void)
{
	struct arm_smmu_ste *stes;
	struct env env;
	u64 cds;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, SZ_4M);
	stes = env_linear(&env, 2);
	/* Larger than the driver's own linear CD tables: 2^11 CDs */
	cds = env_cds(&env, 11, 1);
	ste_s1(&stes[0], cds, STRTAB_STE_0_S1FMT_LINEAR, 11,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* Its CD 2 is not valid */
	ste_s1(&stes[1], cds + 128, STRTAB_STE_0_S1FMT_LINEAR, 2,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* S1Fmt 0b11 is reserved */
	ste_s1(&stes[2], cds, 3, 2, STRTAB_STE_1_S1DSS_SSID0);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_kept(&env, 0));
	CHECK(env_aborted(&env, 1));
	CHECK(env_aborted(&env, 2));
	/* Two CDs read and a table of 2^2 STEs mapped */
	CHECK_EQ(env.nr_map_calls, 3);
	env_exit(&env);
}

static void vet_stall_httu(void)
{
	struct arm_smmu_ste *stes;
	struct arm_smmu_cd *cd;
	struct env env;
	u64 cds;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 3);
	/* 0: a CD with hardware Access flag updates; 1: Dirty */
	cds = env_cds(&env, 0, 1);
	cd = env_va(&env, cds);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_TCR_HA);
	ste_s1(&stes[0], cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	cds = env_cds(&env, 0, 2);
	cd = env_va(&env, cds);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_TCR_HD);
	ste_s1(&stes[1], cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 2, 3: stage 2 with S2HA, S2HD */
	ste_s2(&stes[2], 3, env_ttb(&env));
	stes[2].data[2] |= cpu_to_le64(STRTAB_STE_2_S2HA);
	ste_s2(&stes[3], 4, env_ttb(&env));
	stes[3].data[2] |= cpu_to_le64(STRTAB_STE_2_S2HD);
	/* 4: a CD that asks for stalls (STALL_MODEL 1 never stalls) */
	cds = env_cds(&env, 0, 5);
	cd = env_va(&env, cds);
	cd->data[0] |= cpu_to_le64(CTXDESC_CD_0_S);
	ste_s1(&stes[4], cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 5: stage 2 with S2S; 6: nested; 7: a plain stage 2 */
	ste_s2(&stes[5], 6, env_ttb(&env));
	stes[5].data[2] |= cpu_to_le64(STRTAB_STE_2_S2S);
	ste_nested(&stes[6], 0x1000, 7, env_ttb(&env));
	ste_s2(&stes[7], 8, env_ttb(&env));

	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_aborted(&env, 1));
	CHECK(env_aborted(&env, 2));
	CHECK(env_aborted(&env, 3));
	CHECK(env_kept(&env, 4));
	CHECK(env_kept(&env, 5));
	CHECK(env_kept(&env, 6));
	CHECK(env_kept(&env, 7));
	env_undo(&env);

	/* STALL_MODEL 0: stalls may happen, and nobody would resume them */
	env.regs.idr[0] &= ~IDR0_STALL_MODEL;
	env_caps(&env);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 4));
	CHECK(env_aborted(&env, 5));
	CHECK(env_aborted(&env, 6));
	CHECK(env_kept(&env, 7));
	env_undo(&env);
	/* ... unless S1STALLD forbids them in stage 1 */
	stes[4].data[1] |= cpu_to_le64(STRTAB_STE_1_S1STALLD);
	stes[6].data[1] |= cpu_to_le64(STRTAB_STE_1_S1STALLD);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_kept(&env, 4));
	CHECK(env_kept(&env, 6));
	env_undo(&env);

	/* STALL_MODEL 2: stalls are forced, nothing is kept */
	env.regs.idr[0] |= FIELD_PREP(IDR0_STALL_MODEL,
				      IDR0_STALL_MODEL_FORCE);
	env_caps(&env);
	stes[4].data[1] &= ~cpu_to_le64(STRTAB_STE_1_S1STALLD);
	stes[6].data[1] &= ~cpu_to_le64(STRTAB_STE_1_S1STALLD);
	REQUIRE_EQ(env_build(&env), 0);
	CHECK_EQ(env.report.nr_kept, 0);
	CHECK(env_aborted(&env, 7));
	env_exit(&env);
}

static void reserve_ids(void)
{
	struct arm_smmu_ste *stes;
	struct env env;
	u64 cds;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 3);
	/* Stage 1 with four CDs, two valid */
	cds = env_cds(&env, 2, 0x10);
	cd_make(&((struct arm_smmu_cd *)env_va(&env, cds))[3], 0x13,
		env_ttb(&env));
	ste_s1(&stes[0], cds, STRTAB_STE_0_S1FMT_LINEAR, 2,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s2(&stes[1], 0x20, env_ttb(&env));
	ste_nested(&stes[2], 0x1000, 0x30, env_ttb(&env));
	/* Stage 1 of NS-EL1 is tagged with S2VMID too */
	ste_s1(&stes[3], env_cds(&env, 0, 0x14), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	stes[3].data[2] = cpu_to_le64(FIELD_PREP(STRTAB_STE_2_S2VMID, 0x40));
	REQUIRE_EQ(env_build(&env), 0);
	CHECK_EQ(env.report.nr_kept, 4);
	CHECK(xa_load(&env.asid_xa, 0x10) == ASID_MARK);
	/* Substreams are not inherited: only CD 0's ASID is reserved */
	CHECK(!xa_load(&env.asid_xa, 0x13));
	CHECK(xa_load(&env.asid_xa, 0x14) == ASID_MARK);
	CHECK(shim_ida_allocated(&env.vmid_ida, 0x20));
	CHECK(shim_ida_allocated(&env.vmid_ida, 0x30));
	CHECK(shim_ida_allocated(&env.vmid_ida, 0x40));
	/* Undone on failure: everything goes */
	arm_smmu_kdump_release_ids(&env.ctx);
	CHECK(xa_empty(&env.asid_xa));
	CHECK(xa_empty(&env.vmid_ida.xa));
	env_exit(&env);
}

/*
 * The SMMU's allocators are empty at the import: an ID that two kept STEs
 * share is reserved once, and a failed import empties them again.
 */
static void reserve_ids_shared(void)
{
	struct arm_smmu_ste *stes;
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 3);
	ste_s1(&stes[0], env_cds(&env, 0, 2), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s1(&stes[1], env_cds(&env, 0, 2), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s2(&stes[3], 4, env_ttb(&env));
	ste_s2(&stes[4], 4, env_ttb(&env));
	/* VMID 0 tags our stage 1 STEs: a stage 2 STE cannot keep it */
	ste_s2(&stes[5], 0, env_ttb(&env));
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_kept(&env, 0));
	CHECK(env_kept(&env, 1));
	CHECK(env_kept(&env, 3));
	CHECK(env_kept(&env, 4));
	CHECK(env_aborted(&env, 5));
	CHECK_EQ(env.asid_xa.nr, 1);
	CHECK(xa_load(&env.asid_xa, 2) == ASID_MARK);
	CHECK_EQ(env.vmid_ida.xa.nr, 1);
	CHECK(shim_ida_allocated(&env.vmid_ida, 4));
	arm_smmu_kdump_release_ids(&env.ctx);
	CHECK(xa_empty(&env.asid_xa));
	CHECK(xa_empty(&env.vmid_ida.xa));
	env_exit(&env);
}

/*
 * IDs beyond what the SMMU implements cannot be reserved: on an SMMU with
 * 8-bit ASIDs and VMIDs, the SMMU would tag the TLB entries of ASID 0x100
 * or VMID 0x100 with 0x00, and of 0x12c with 0x2c, which this kernel's
 * allocators may hand to a new domain. A stage 1 STE with such an ASID,
 * and a stage 2, nested or NS-EL1 stage 1 STE with such a VMID, are
 * aborted and nothing is reserved for them; 0xff fits and is kept.
 */
static void reserve_ids_width(void)
{
	struct arm_smmu_ste *stes;
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	env.regs.idr[0] &= ~(IDR0_ASID16 | IDR0_VMID16);
	env_caps(&env);
	REQUIRE(env.smmu.features & ARM_SMMU_FEAT_TRANS_S2);
	stes = env_linear(&env, 3);
	ste_s1(&stes[0], env_cds(&env, 0, 0x100), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s1(&stes[1], env_cds(&env, 0, 0xff), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s2(&stes[2], 0xff, env_ttb(&env));
	ste_s2(&stes[3], 0x100, env_ttb(&env));
	ste_s2(&stes[4], 0x12c, env_ttb(&env));
	ste_nested(&stes[5], 0x1000, 0x100, env_ttb(&env));
	/* NS-EL1 stage 1 (STRW 0): its translations are tagged with S2VMID */
	ste_s1(&stes[6], env_cds(&env, 0, 0xfe), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	stes[6].data[2] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_2_S2VMID, 0x100));
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_kept(&env, 1));
	CHECK(env_kept(&env, 2));
	CHECK(env_aborted(&env, 3));
	CHECK(env_aborted(&env, 4));
	CHECK(env_aborted(&env, 5));
	CHECK(env_aborted(&env, 6));
	/* Only VMID 0xff was reserved, whatever the allocator accepts */
	CHECK_EQ(env.vmid_ida.xa.nr, 1);
	CHECK(shim_ida_allocated(&env.vmid_ida, 0xff));
	env_exit(&env);
}

/*
 * Out of memory anywhere in the build: it fails with -ENOMEM and ctx->err
 * ERR_NOMEM, or, where an ID could not be reserved, aborts that STE; either
 * way undoing it leaves nothing behind.
 */
static void build_nomem(void)
{
	unsigned int n, failed = 0;
	long live = shim_live_allocs;
	struct arm_smmu_ste *l2;
	struct env env;
	__le64 *l1;
	int ret;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	l2 = env_l2(&env, l1, 1, STRTAB_SPLIT + 1);
	ste_s1(&l2[0], env_cds(&env, 0, 1), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste_s2(&l2[1], 2, env_ttb(&env));
	l2 = env_l2(&env, l1, 2, STRTAB_SPLIT + 1);
	ste_nested(&l2[7], 0x1000, 3, env_ttb(&env));
	ste_bypass(&l2[8]);

	for (n = 1; n < 64; n++) {
		shim_alloc_fail_at(n);
		ret = env_build(&env);
		shim_alloc_fail_at(0);
		if (ret) {
			failed++;
			CHECK_EQ(ret, -ENOMEM);
			CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_NOMEM);
		} else {
			CHECK_EQ(env.report.nr_kept + env.report.nr_aborted, 4);
			CHECK(env_aborted(&env, (2 << 8) | 8));
		}
		env_undo(&env);
		CHECK(xa_empty(&env.asid_xa));
		CHECK(xa_empty(&env.vmid_ida.xa));
		CHECK_EQ(shim_live_allocs, live);
		CHECK_EQ(env.nr_maps, 0);
	}
	CHECK(failed > 0);

	/* The STE memory (ops->alloc) too */
	for (n = 1; n <= 2; n++) {
		env.nr_alloc_calls = 0;
		env.fail_alloc_at = n;
		CHECK_EQ(env_build(&env), -ENOMEM);
		CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_NOMEM);
		env_undo(&env);
		CHECK_EQ(shim_live_allocs, live);
	}
	env_exit(&env);
}

/* Crash-kernel memory, aligned for any L2 table: never to be followed */
#define BAD_L1_DESC	(FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) | \
			 OWN_BASE)

static u64 l2_of_span0;

/* A device rewrites L1 descriptor 1 while the import reads span 0's L2 */
static void rewrite_l1_desc_1(struct env *env, u64 phys, size_t size)
{
	if (phys == l2_of_span0 && env->table.l1tab)
		env->table.l1tab[1].l2ptr = cpu_to_le64(BAD_L1_DESC);
}

/*
 * The import follows the value of an L1 descriptor that it vetted, not a
 * later one: devices can still write the crashed kernel's L1 table.
 */
static void l1_desc_changes_during_import(void)
{
	struct env env;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	ste_s2(&env_l2(&env, l1, 0, STRTAB_SPLIT + 1)[1], 1, env_ttb(&env));
	l2_of_span0 = le64_to_cpu(l1[0]) & STRTAB_L1_DESC_L2PTR_MASK;
	ste_s2(&env_l2(&env, l1, 1, STRTAB_SPLIT + 1)[1], 2, env_ttb(&env));
	env.on_map = rewrite_l1_desc_1;
	env.quiet = true;

	/* The rewritten descriptor is never followed: the table is refused */
	CHECK_EQ(env_build(&env), -EINVAL);
	CHECK_EQ(env.ctx.err, ARM_SMMU_KDUMP_ERR_L2_RANGE);
	CHECK_EQ(env.ctx.err_idx, 1);
	CHECK_EQ(env.bad_maps, 0);
	env_undo(&env);
	CHECK_EQ(env.nr_maps, 0);
	env_exit(&env);
}

/*
 * After the import, the decisions are derived from old memory again: an
 * L1 descriptor that changed since must be vetted again before it is
 * followed, never mapped as it is.
 */
static void l1_desc_changes_after_import(void)
{
	const struct arm_smmu_kdump_sid *rec;
	unsigned int maps;
	struct env env;
	__le64 *l1;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	l1 = env_2lvl(&env, 16);
	ste_s2(&env_l2(&env, l1, 0, STRTAB_SPLIT + 1)[1], 1, env_ttb(&env));
	ste_s2(&env_l2(&env, l1, 1, STRTAB_SPLIT + 1)[1], 2, env_ttb(&env));
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_kept(&env, 0x101));
	maps = env.nr_map_calls;

	env.quiet = true;
	env.table.l1tab[1].l2ptr = cpu_to_le64(BAD_L1_DESC);
	/* The lookups and the dump use what the import recorded */
	rec = arm_smmu_kdump_find_sid(&env.report, 0x101);
	CHECK(rec && rec->reason == ARM_SMMU_KDUMP_KEPT_ALL);
	rec = arm_smmu_kdump_find_sid(&env.report, 1);
	CHECK(rec && rec->reason == ARM_SMMU_KDUMP_KEPT_ALL);
	CHECK_EQ(env.report.nr_sids, 2);
	/* and never map the crashed kernel's memory again */
	CHECK_EQ(env.nr_map_calls, maps);
	CHECK_EQ(env.bad_maps, 0);
	env_undo(&env);
	env_exit(&env);
}

/*
 * Keep-all over 256 stage 1 STEs that all point at the same 2-level CD
 * table of 2^16 CDs (1024 L1CDs, each leading to one 4KB leaf): vetting
 * reads one L1CD and one CD per STE, so all are kept at two maps each.
 * Walking the whole table would read 64K CDs per STE.
 */
static void cd_reads_bounded(void)
{
	const unsigned int nr_stes = 256, nr_l1cd = 1024;
	struct arm_smmu_ste *stes;
	unsigned int i, kept = 0;
	struct env env;
	__le64 *l1cd;
	u64 l1cd_phys, leaf;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, SZ_1M);
	stes = env_linear(&env, 8);
	leaf = env_old_alloc(&env, SZ_4K, SZ_4K);
	cd_make(env_va(&env, leaf), 5, env_ttb(&env));
	l1cd_phys = env_old_alloc(&env, nr_l1cd * sizeof(u64), SZ_8K);
	l1cd = env_va(&env, l1cd_phys);
	for (i = 0; i < nr_l1cd; i++)
		l1cd[i] = cpu_to_le64(leaf | CTXDESC_L1_DESC_V);
	for (i = 0; i < nr_stes; i++)
		ste_s1(&stes[i], l1cd_phys, 1 /* 4KB leaf tables */, 16,
		       STRTAB_STE_1_S1DSS_SSID0);

	REQUIRE_EQ(env_build(&env), 0);
	for (i = 0; i < nr_stes; i++)
		kept += env_kept(&env, i);
	CHECK_EQ(kept, nr_stes);
	CHECK_EQ(env.nr_map_calls, 1 + 2 * nr_stes);
	env_exit(&env);
}

/*
 * Two SMMUs whose kept STEs use the same ASID reserve it each in its own
 * allocator: when one of them rolls its import back (it failed later in
 * its probe), the ASID stays reserved for the other.
 */
static void asid_shared_by_two_smmus(void)
{
	struct arm_smmu_ste *stes;
	struct env a, b;

	env_init(&a, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&a, 4);
	ste_s1(&stes[1], env_cds(&a, 0, 7), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	env_init(&b, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&b, 4);
	ste_s1(&stes[2], env_cds(&b, 0, 7), STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);

	REQUIRE_EQ(env_build(&a), 0);
	REQUIRE_EQ(env_build(&b), 0);
	CHECK(env_kept(&a, 1));
	CHECK(env_kept(&b, 2));
	CHECK(xa_load(&a.asid_xa, 7) == ASID_MARK);
	CHECK(xa_load(&b.asid_xa, 7) == ASID_MARK);
	/* A fails after its import: B still keeps a stage 1 STE with ASID 7 */
	env_undo(&a);
	CHECK(!xa_load(&a.asid_xa, 7));
	CHECK(xa_load(&b.asid_xa, 7) == ASID_MARK);
	env_undo(&b);
	CHECK(!xa_load(&b.asid_xa, 7));
	env_exit(&b);
	env_exit(&a);
}

/*
 * A linear table of fewer STEs than the SMMU has StreamIDs (Linux writes
 * one for every StreamID): the copy has an STE for each, as the driver's
 * own table would, an abort one past the old table's end. With the old
 * table's size, a device past its end would fail
 * arm_smmu_init_sid_strtab() (-ERANGE) where a full reset gives it DMA.
 */
static void copy_linear_covers_every_sid(void)
{
	struct arm_smmu_ste *stes;
	struct env env;
	u32 sid;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	stes = env_linear(&env, 4);
	ste_s2(&stes[2], 22, env_ttb(&env));
	env.smmu.sid_bits = 6;
	REQUIRE_EQ(env_build(&env), 0);
	REQUIRE_EQ(env.table.nr_ents, 64);
	CHECK(env_kept(&env, 2));
	for (sid = 16; sid < 64; sid++)
		CHECK(ste_is_abort(&env.table.linear[sid]));
	env_undo(&env);
	env_exit(&env);
}

/*
 * A CD table or L1CD table that is old memory but cannot be mapped (memremap
 * fails): the STE is aborted, nothing is read. Here old RAM is declared past
 * the arena, which the environment's map() refuses.
 */
static void vet_cd_map_fails(void)
{
	struct arm_smmu_ste *stes;
	struct env env;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL, ARENA);
	env.old_ram[1].end += SZ_64K;
	stes = env_linear(&env, 2);
	/* 0: a linear CD table past the arena */
	ste_s1(&stes[0], OLD_BASE + ARENA, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 1: a 2-level CD table whose L1CD is past the arena */
	ste_s1(&stes[1], OLD_BASE + ARENA + SZ_4K, 1, 7,
	       STRTAB_STE_1_S1DSS_SSID0);
	/* 2: a stage 2 STE that maps fine */
	ste_s2(&stes[2], 2, env_ttb(&env));
	env.quiet = true;
	REQUIRE_EQ(env_build(&env), 0);
	CHECK(env_aborted(&env, 0));
	CHECK(env_aborted(&env, 1));
	CHECK(env_kept(&env, 2));
	CHECK_EQ(env.bad_maps, 2);
	CHECK(xa_empty(&env.asid_xa));
	env_exit(&env);
}

const struct test_case copy_cases[] = {
	TEST_CASE(copy_linear_covers_every_sid),
	TEST_CASE(copy_linear_keep_list),
	TEST_CASE(copy_linear_keep_all),
	TEST_CASE(copy_default_aborts_all),
	TEST_CASE(copy_2lvl),
	TEST_CASE(bypass_never_kept),
	TEST_CASE(illegal_kept_verbatim),
	TEST_CASE(vet_pointers),
	TEST_CASE(vet_pointers_not_into_l1),
	TEST_CASE(vet_cd_2lvl),
	TEST_CASE(vet_cd_linear),
	TEST_CASE(vet_stall_httu),
	TEST_CASE(reserve_ids),
	TEST_CASE(reserve_ids_shared),
	TEST_CASE(reserve_ids_width),
	TEST_CASE(build_nomem),
	TEST_CASE(l1_desc_changes_during_import),
	TEST_CASE(l1_desc_changes_after_import),
	TEST_CASE(cd_reads_bounded),
	TEST_CASE(asid_shared_by_two_smmus),
	TEST_CASE(vet_cd_map_fails),
};
const size_t nr_copy_cases = ARRAY_SIZE(copy_cases);
