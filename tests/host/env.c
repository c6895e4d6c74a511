// SPDX-License-Identifier: GPL-2.0
/* The fake machine of the host tests, see env.h */

#include "env.h"
#include "shim/shim.h"

static void env_note(struct env *env, const char *what, u64 phys, u64 size)
{
	if (!env->quiet)
		printf("    # %s: [%#llx, +%#llx)\n", what, phys, size);
}

/* Is [phys, phys + size) covered by @r, walking adjacent ranges? */
bool env_covered(const struct range *r, unsigned int nr, u64 phys, u64 size)
{
	u64 cur = phys, end = phys + size - 1;
	unsigned int i;

	if (!size || end < phys)
		return false;
	for (;;) {
		for (i = 0; i < nr; i++)
			if (r[i].start <= cur && cur <= r[i].end)
				break;
		if (i == nr)
			return false;
		if (end <= r[i].end)
			return true;
		cur = r[i].end + 1;
	}
}

static bool env_overlaps(const struct range *r, unsigned int nr, u64 phys,
			 u64 size)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (phys <= r[i].end && r[i].start <= phys + size - 1)
			return true;
	return false;
}

static void *env_map(struct arm_smmu_kdump_ctx *ctx, u64 phys, size_t size)
{
	struct env *env = container_of(ctx, struct env, ctx);
	struct env_map *m;

	env->nr_map_calls++;
	if (!env_covered(ctx->old_ram, ctx->nr_old_ram, phys, size) ||
	    env_overlaps(ctx->own_ram, ctx->nr_own_ram, phys, size) ||
	    phys < OLD_BASE || phys - OLD_BASE > env->old_size ||
	    size > env->old_size - (phys - OLD_BASE)) {
		env->bad_maps++;
		env_note(env, "map outside the crashed kernel's memory", phys,
			 size);
		return NULL;
	}
	if (env->nr_maps == env->max_maps) {
		env->max_maps = env->max_maps ? env->max_maps * 2 : 16;
		env->maps = realloc(env->maps,
				    env->max_maps * sizeof(*env->maps));
		if (!env->maps)
			shim_unreachable("realloc");
	}
	m = &env->maps[env->nr_maps++];
	m->phys = phys;
	m->size = size;
	/* Exactly @size bytes: AddressSanitizer sees any access beyond */
	m->va = malloc(size);
	if (!m->va)
		shim_unreachable("malloc");
	memcpy(m->va, env->arena + (phys - OLD_BASE), size);
	if (env->on_map)
		env->on_map(env, phys, size);
	return m->va;
}

static void env_unmap(struct arm_smmu_kdump_ctx *ctx, void *va)
{
	struct env *env = container_of(ctx, struct env, ctx);
	unsigned int i;

	for (i = 0; i < env->nr_maps; i++)
		if (env->maps[i].va == va)
			break;
	if (i == env->nr_maps) {
		env->bad_unmaps++;
		env_note(env, "unmap of memory that is not mapped", 0, 0);
		return;
	}
	if (memcmp(va, env->arena + (env->maps[i].phys - OLD_BASE),
		   env->maps[i].size)) {
		env->old_writes++;
		env_note(env, "old memory written", env->maps[i].phys,
			 env->maps[i].size);
	}
	free(va);
	env->maps[i] = env->maps[--env->nr_maps];
}

static void *env_alloc(struct arm_smmu_kdump_ctx *ctx, size_t size,
		       dma_addr_t *dma)
{
	struct env *env = container_of(ctx, struct env, ctx);
	struct env_alloc *a;

	if (++env->nr_alloc_calls == env->fail_alloc_at)
		return NULL;
	if (env->nr_allocs == env->max_allocs) {
		env->max_allocs = env->max_allocs ? env->max_allocs * 2 : 16;
		env->allocs = realloc(env->allocs,
				      env->max_allocs * sizeof(*env->allocs));
		if (!env->allocs)
			shim_unreachable("realloc");
	}
	a = &env->allocs[env->nr_allocs++];
	a->va = calloc(1, size);
	if (!a->va)
		shim_unreachable("calloc");
	a->size = size;
	a->dma = env->next_dma;
	env->next_dma += ALIGN(size, SZ_4K);
	*dma = a->dma;
	return a->va;
}

static const struct arm_smmu_kdump_mem_ops env_ops = {
	.map	= env_map,
	.unmap	= env_unmap,
	.alloc	= env_alloc,
};

void env_init(struct env *env, enum arm_smmu_kdump_mode mode, u64 old_size)
{
	u8 *arena = malloc(old_size);

	if (!arena)
		shim_unreachable("malloc");
	env_init_arena(env, mode, arena, old_size);
	env->own_arena = true;
}

void env_init_arena(struct env *env, enum arm_smmu_kdump_mode mode,
		    u8 *arena, u64 old_size)
{
	memset(env, 0, sizeof(*env));
	memset(arena, 0, old_size);
	env->arena = arena;
	env->old_size = old_size;
	env->next = OLD_BASE;
	env->next_dma = DMA_BASE;
	/* Two adjacent ranges, as PT_LOAD segments can be */
	env->old_ram[0].start = OLD_BASE;
	env->old_ram[0].end = OLD_BASE + old_size / 2 - 1;
	env->old_ram[1].start = OLD_BASE + old_size / 2;
	env->old_ram[1].end = OLD_BASE + old_size - 1;
	env->own_ram[0].start = OWN_BASE;
	env->own_ram[0].end = OWN_BASE + OWN_SIZE - 1;
	xa_init_flags(&env->asid_xa, XA_FLAGS_ALLOC1);
	ida_init(&env->vmid_ida);

	env_set_idrs(&env->regs);
	env->ctx.smmu = &env->smmu;
	env->ctx.ops = &env_ops;
	env->ctx.mode = mode;
	env->ctx.keep = env->keep;
	env->ctx.old_ram = env->old_ram;
	env->ctx.nr_old_ram = 2;
	env->ctx.own_ram = env->own_ram;
	env->ctx.nr_own_ram = 1;
	env->ctx.asid_xa = &env->asid_xa;
	env->ctx.vmid_ida = &env->vmid_ida;
	env->ctx.max_l2 = 64;
	env->ctx.report = &env->report;
	env_caps(env);
}

/*
 * The fields of env->smmu that the import reads, as
 * arm_smmu_device_hw_probe() sets them from the IDRs on a little-endian
 * kernel
 */
void env_caps(struct env *env)
{
	static const u8 oas_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	/* IDR0 bits that set a feature each */
	static const u32 idr0_feats[][2] = {
		{ IDR0_CD2L, ARM_SMMU_FEAT_2_LVL_CDTAB },
		{ IDR0_ATS, ARM_SMMU_FEAT_ATS },
		{ IDR0_HYP, ARM_SMMU_FEAT_HYP },
		{ IDR0_S1P, ARM_SMMU_FEAT_TRANS_S1 },
		{ IDR0_S2P, ARM_SMMU_FEAT_TRANS_S2 },
	};
	struct arm_smmu_device *smmu = &env->smmu;
	u32 idr0 = env->regs.idr[0], idr1 = env->regs.idr[1];
	u32 idr5 = env->regs.idr[5], oas = FIELD_GET(IDR5_OAS, idr5);
	unsigned int i;

	smmu->features = 0;
	for (i = 0; i < ARRAY_SIZE(idr0_feats); i++)
		if (idr0 & idr0_feats[i][0])
			smmu->features |= idr0_feats[i][1];
	if (FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL)
		smmu->features |= ARM_SMMU_FEAT_2_LVL_STRTAB;
	if (FIELD_GET(IDR0_TTENDIAN, idr0) == IDR0_TTENDIAN_MIXED)
		smmu->features |= ARM_SMMU_FEAT_TT_LE | ARM_SMMU_FEAT_TT_BE;
	else if (FIELD_GET(IDR0_TTENDIAN, idr0) == IDR0_TTENDIAN_LE)
		smmu->features |= ARM_SMMU_FEAT_TT_LE;
	if (FIELD_GET(IDR0_STALL_MODEL, idr0) == IDR0_STALL_MODEL_FORCE)
		smmu->features |= ARM_SMMU_FEAT_STALL_FORCE |
				  ARM_SMMU_FEAT_STALLS;
	else if (FIELD_GET(IDR0_STALL_MODEL, idr0) == IDR0_STALL_MODEL_STALL)
		smmu->features |= ARM_SMMU_FEAT_STALLS;
	smmu->asid_bits = idr0 & IDR0_ASID16 ? 16 : 8;
	smmu->vmid_bits = idr0 & IDR0_VMID16 ? 16 : 8;

	smmu->ssid_bits = FIELD_GET(IDR1_SSIDSIZE, idr1);
	smmu->sid_bits = FIELD_GET(IDR1_SIDSIZE, idr1);
	/* The driver then uses a linear table */
	if (smmu->sid_bits <= STRTAB_SPLIT)
		smmu->features &= ~ARM_SMMU_FEAT_2_LVL_STRTAB;

	/* Unknown sizes are truncated to 48 bits */
	smmu->oas = oas < ARRAY_SIZE(oas_bits) ? oas_bits[oas] : 48;
}

void env_sid_bits(struct env *env, unsigned int sid_bits)
{
	env->regs.idr[1] &= ~IDR1_SIDSIZE;
	env->regs.idr[1] |= FIELD_PREP(IDR1_SIDSIZE, sid_bits);
	env_caps(env);
}

void env_release_allocs(struct env *env)
{
	unsigned int i;

	for (i = 0; i < env->nr_allocs; i++)
		free(env->allocs[i].va);
	env->nr_allocs = 0;
}

void env_undo(struct env *env)
{
	arm_smmu_kdump_table_free(&env->ctx, &env->table);
	arm_smmu_kdump_release_ids(&env->ctx);
	arm_smmu_kdump_report_free(&env->report);
	env_release_allocs(env);
}

void env_exit(struct env *env)
{
	unsigned int i;

	env_undo(env);
	xa_destroy(&env->asid_xa);
	ida_destroy(&env->vmid_ida);
	for (i = 0; i < env->nr_maps; i++)
		free(env->maps[i].va);
	free(env->maps);
	free(env->allocs);
	if (env->own_arena)
		free(env->arena);
	memset(env, 0, sizeof(*env));
}

/* What the built table has at @sid */

const struct arm_smmu_ste *env_new_ste(struct env *env, u32 sid)
{
	u32 idx;

	if (env->ctx.fmt == STRTAB_BASE_CFG_FMT_LINEAR)
		return sid < env->table.nr_ents ? &env->table.linear[sid] :
						  NULL;
	idx = sid >> env->ctx.split;
	if (idx >= env->table.nr_ents || !env->table.l2ptrs[idx])
		return NULL;
	return &env->table.l2ptrs[idx]->stes[sid & (STRTAB_NUM_L2_STES - 1)];
}

const struct arm_smmu_ste *env_old_ste(struct env *env, u32 sid)
{
	u64 base = env->regs.strtab_base & STRTAB_BASE_ADDR_MASK;
	u32 idx, span, j;
	u64 desc;

	if (env->ctx.fmt == STRTAB_BASE_CFG_FMT_LINEAR)
		return env_va(env, base + (u64)sid * sizeof(struct arm_smmu_ste));
	idx = sid >> env->ctx.split;
	j = sid & ((1U << env->ctx.split) - 1);
	desc = le64_to_cpu(((__le64 *)env_va(env, base))[idx]);
	span = FIELD_GET(STRTAB_L1_DESC_SPAN, desc);
	if (!span || j >= 1U << (span - 1))
		return NULL;
	return env_va(env, (desc & STRTAB_L1_DESC_L2PTR_MASK) +
			   (u64)j * sizeof(struct arm_smmu_ste));
}

bool ste_is_abort(const struct arm_smmu_ste *ste)
{
	unsigned int i;

	if (le64_to_cpu(ste->data[0]) != STRTAB_STE_0_V)
		return false;
	for (i = 1; i < ARRAY_SIZE(ste->data); i++)
		if (ste->data[i])
			return false;
	return true;
}

bool ste_equal(const struct arm_smmu_ste *a, const struct arm_smmu_ste *b)
{
	return !memcmp(a, b, sizeof(*a));
}

bool ste_is_live(const struct arm_smmu_ste *ste)
{
	u64 q0 = le64_to_cpu(ste->data[0]);

	return (q0 & STRTAB_STE_0_V) && (FIELD_GET(STRTAB_STE_0_CFG, q0) & 4);
}

/*
 * Is @new the copy of a kept @old: the same STE without its contiguous hint,
 * except that a stage 1 STE points at one CD (S1CDMax 0), the one of
 * transactions without a substream?
 */
bool ste_kept_copy(const struct arm_smmu_ste *old,
		   const struct arm_smmu_ste *new)
{
	const u64 cd = STRTAB_STE_0_S1CDMAX | STRTAB_STE_0_S1FMT;
	u64 o = le64_to_cpu(old->data[0]), n = le64_to_cpu(new->data[0]);
	struct arm_smmu_ste want = *old;

	want.data[1] &= ~cpu_to_le64(STRTAB_STE_1_CONT);
	if (ste_equal(&want, new))
		return true;
	return FIELD_GET(STRTAB_STE_0_CFG, o) == STRTAB_STE_0_CFG_S1_TRANS &&
	       !memcmp(&want.data[1], &new->data[1], 3 * sizeof(__le64)) &&
	       !(n & cd) && ((o ^ n) & ~(cd | STRTAB_STE_0_S1CTXPTR_MASK)) == 0;
}

bool env_kept(struct env *env, u32 sid)
{
	const struct arm_smmu_ste *old = env_old_ste(env, sid);
	const struct arm_smmu_ste *new = env_new_ste(env, sid);

	return old && new && ste_is_live(old) && ste_kept_copy(old, new);
}

bool env_aborted(struct env *env, u32 sid)
{
	const struct arm_smmu_ste *old = env_old_ste(env, sid);
	const struct arm_smmu_ste *new = env_new_ste(env, sid);

	return old && new && ste_is_live(old) && ste_is_abort(new);
}

/* Old STEs and CDs, field by field: not with the driver's helpers */

void ste_abort(struct arm_smmu_ste *ste)
{
	memset(ste, 0, sizeof(*ste));
	ste->data[0] = cpu_to_le64(STRTAB_STE_0_V |
				   FIELD_PREP(STRTAB_STE_0_CFG,
					      STRTAB_STE_0_CFG_ABORT));
}

void ste_bypass(struct arm_smmu_ste *ste)
{
	memset(ste, 0, sizeof(*ste));
	ste->data[0] = cpu_to_le64(STRTAB_STE_0_V |
				   FIELD_PREP(STRTAB_STE_0_CFG,
					      STRTAB_STE_0_CFG_BYPASS));
	ste->data[1] = cpu_to_le64(FIELD_PREP(STRTAB_STE_1_SHCFG,
					      STRTAB_STE_1_SHCFG_INCOMING));
}

void ste_s1(struct arm_smmu_ste *ste, u64 cdptr, u8 s1fmt, u8 cdmax,
	    u8 s1dss)
{
	memset(ste, 0, sizeof(*ste));
	ste->data[0] = cpu_to_le64(STRTAB_STE_0_V |
		FIELD_PREP(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_S1_TRANS) |
		FIELD_PREP(STRTAB_STE_0_S1FMT, s1fmt) |
		(cdptr & STRTAB_STE_0_S1CTXPTR_MASK) |
		FIELD_PREP(STRTAB_STE_0_S1CDMAX, cdmax));
	ste->data[1] = cpu_to_le64(
		FIELD_PREP(STRTAB_STE_1_S1DSS, s1dss) |
		FIELD_PREP(STRTAB_STE_1_S1CIR, STRTAB_STE_1_S1C_CACHE_WBRA) |
		FIELD_PREP(STRTAB_STE_1_S1COR, STRTAB_STE_1_S1C_CACHE_WBRA) |
		FIELD_PREP(STRTAB_STE_1_S1CSH, 3) |
		FIELD_PREP(STRTAB_STE_1_STRW, STRTAB_STE_1_STRW_NSEL1));
}

static u64 ste_s2_q2(u16 vmid)
{
	return FIELD_PREP(STRTAB_STE_2_S2VMID, vmid) |
	       FIELD_PREP(STRTAB_STE_2_VTCR,
			  FIELD_PREP(STRTAB_STE_2_VTCR_S2T0SZ, 24) |
			  FIELD_PREP(STRTAB_STE_2_VTCR_S2SL0, 1) |
			  FIELD_PREP(STRTAB_STE_2_VTCR_S2TG, 0) |
			  FIELD_PREP(STRTAB_STE_2_VTCR_S2PS, 5)) |
	       STRTAB_STE_2_S2AA64 | STRTAB_STE_2_S2PTW | STRTAB_STE_2_S2R;
}

void ste_s2(struct arm_smmu_ste *ste, u16 vmid, u64 s2ttb)
{
	memset(ste, 0, sizeof(*ste));
	ste->data[0] = cpu_to_le64(STRTAB_STE_0_V |
		FIELD_PREP(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_S2_TRANS));
	ste->data[2] = cpu_to_le64(ste_s2_q2(vmid));
	ste->data[3] = cpu_to_le64(s2ttb & STRTAB_STE_3_S2TTB_MASK);
}

void ste_nested(struct arm_smmu_ste *ste, u64 cdptr, u16 vmid, u64 s2ttb)
{
	ste_s1(ste, cdptr, STRTAB_STE_0_S1FMT_LINEAR, 0,
	       STRTAB_STE_1_S1DSS_SSID0);
	ste->data[0] &= ~cpu_to_le64(STRTAB_STE_0_CFG);
	ste->data[0] |= cpu_to_le64(FIELD_PREP(STRTAB_STE_0_CFG,
					       STRTAB_STE_0_CFG_NESTED));
	ste->data[2] = cpu_to_le64(ste_s2_q2(vmid));
	ste->data[3] = cpu_to_le64(s2ttb & STRTAB_STE_3_S2TTB_MASK);
}

void cd_make(struct arm_smmu_cd *cd, u16 asid, u64 ttb0)
{
	memset(cd, 0, sizeof(*cd));
	cd->data[0] = cpu_to_le64(CTXDESC_CD_0_V |
		FIELD_PREP(CTXDESC_CD_0_TCR_T0SZ, 16) |
		FIELD_PREP(CTXDESC_CD_0_TCR_IPS, 5) | CTXDESC_CD_0_TCR_EPD1 |
		CTXDESC_CD_0_AA64 | CTXDESC_CD_0_R | CTXDESC_CD_0_A |
		CTXDESC_CD_0_ASET | FIELD_PREP(CTXDESC_CD_0_ASID, asid));
	cd->data[1] = cpu_to_le64(ttb0 & CTXDESC_CD_1_TTB0_MASK);
}

u64 env_cds(struct env *env, u8 cdmax, u16 asid)
{
	size_t size = sizeof(struct arm_smmu_cd) << cdmax;
	u64 phys = env_old_alloc(env, size, size);
	struct arm_smmu_cd *cds = env_va(env, phys);

	cd_make(&cds[0], asid, env_ttb(env));
	return phys;
}
