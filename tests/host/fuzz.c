// SPDX-License-Identifier: GPL-2.0
/*
 * One fuzzing round of the crash kernel's import, see fuzz.h. The checks
 * after the round are written from the architecture and the design, not
 * from the driver's code: which addresses are old memory, what bypasses,
 * what a CD table is made of, what the event queue holds.
 */

#include "env.h"
#include "fuzz.h"
#include "shim/shim.h"
#include "arm-smmu-v3-vmcoredd.h"

bool fz_verbose;

const char * const fz_inv_names[FZ_NR_INV] = {
	[FZ_MAP]	= "maps only old RAM and writes none of it",
	[FZ_RET]	= "return codes agree with ctx->err",
	[FZ_COPY]	= "each new STE is the old one (a stage 1 one on its CD 0) or an abort STE",
	[FZ_SAFE]	= "kept STEs never bypass, point into old RAM (not the L1 table) within SSIDSIZE, hold their IDs",
	[FZ_POLICY]	= "kept only if listed or keep-all, and good STEs are kept",
	[FZ_COUNT]	= "nr_kept and nr_aborted add up",
	[FZ_LEAK]	= "nothing left allocated or mapped after undo",
	[FZ_IDS]	= "undo leaves the ASID and VMID allocators empty, as they were",
	[FZ_DUMP]	= "the device dump parses and adds up",
	[FZ_PARSE]	= "kdump_keep and kdump_mode parsing",
};

/* Randomness */

void fz_seed(struct fz_src *src, u64 seed)
{
	memset(src, 0, sizeof(*src));
	src->state = seed;
}

void fz_input(struct fz_src *src, const u8 *data, size_t len)
{
	memset(src, 0, sizeof(*src));
	src->data = data;
	src->len = len;
}

static u32 fz_u32(struct fz_src *src)
{
	u64 z;

	if (src->data) {
		u32 v = 0;
		unsigned int i;

		/* Input used up: zeros, which mean "the first choice" */
		for (i = 0; i < 4 && src->pos < src->len; i++)
			v |= (u32)src->data[src->pos++] << (8 * i);
		return v;
	}
	z = (src->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31)) >> 16;
}

static u32 below(struct fz_src *src, u32 n)
{
	return n ? fz_u32(src) % n : 0;
}

static bool one_in(struct fz_src *src, u32 n)
{
	return !below(src, n);
}

static u64 fz_u64(struct fz_src *src)
{
	return ((u64)fz_u32(src) << 32) | fz_u32(src);
}

/* The round's machine */

/* IDR0.TTF 0b11, AArch32 and AArch64: named in 6.12's header, not 7.2's */
#ifndef IDR0_TTF_AARCH32_64
#define IDR0_TTF_AARCH32_64	3
#endif

#define FZ_ARENA	SZ_256K
#define FZ_USABLE	(SZ_256K - SZ_64K)	/* tables live below this */
#define FZ_HOLE		(OLD_BASE + FZ_USABLE)	/* never declared old RAM */
#define FZ_OWN_IN_HOLE	(OLD_BASE + FZ_USABLE + SZ_32K)
#define FZ_MAX_REGIONS	64
#define FZ_MAX_GOOD	64
#define FZ_TTBS		4

struct fz_region {
	u64	phys;
	u32	words;
};

struct fz {
	struct fz_src		*src;
	struct env		env;
	int			preset;
	struct fz_region	regions[FZ_MAX_REGIONS];
	unsigned int		nr_regions;
	u64			ttbs[FZ_TTBS];
	/* SIDs of STEs made to be kept if policy allows */
	u32			good[FZ_MAX_GOOD];
	unsigned int		nr_good;
	u32			populated[FZ_MAX_GOOD];
	unsigned int		nr_populated;
	unsigned int		damage;
	bool			injected;
	u64			l1_phys;	/* 2-level: the L1 table */
	u32			nr_l1;
	unsigned int		failed;		/* mask of FZ_* */
};

static void fz_fail(struct fz *fz, enum fz_inv inv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fz_fail(struct fz *fz, enum fz_inv inv, const char *fmt, ...)
{
	va_list ap;

	if (fz_verbose && !(fz->failed & BIT(inv))) {
		printf("# violated: %s: ", fz_inv_names[inv]);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	fz->failed |= BIT(inv);
}

/* @size bytes of old memory aligned to @align, or 0 if they do not fit */
static u64 fz_alloc(struct fz *fz, u64 size, u64 align)
{
	u64 phys = ALIGN(fz->env.next, align);

	if (phys + size > OLD_BASE + FZ_USABLE)
		return 0;
	fz->env.next = phys + size;
	return phys;
}

static void fz_region(struct fz *fz, u64 phys, u64 size)
{
	if (fz->nr_regions < FZ_MAX_REGIONS)
		fz->regions[fz->nr_regions++] = (struct fz_region) {
			.phys = phys, .words = size / 8,
		};
}

static void fz_set_idrs(struct fz *fz)
{
	struct arm_smmu_kdump_regs *regs = &fz->env.regs;

	/* QEMU's SMMU half of the time */
	fz->preset = max_t(int, (int)below(fz->src, 6) - 2, 0);
	switch (fz->preset) {
	case 0:		/* QEMU's */
		env_set_idrs(regs);
		break;
	case 1:		/* the same, linear tables only, 52-bit OAS */
		env_set_idrs(regs);
		regs->idr[0] &= ~IDR0_ST_LVL;
		regs->idr[5] = FIELD_PREP(IDR5_OAS, IDR5_OAS_52_BIT) |
			       IDR5_GRAN4K | IDR5_GRAN16K;
		break;
	case 2:		/* small, stage 1 only, no substreams */
		regs->idr[0] = FIELD_PREP(IDR0_ST_LVL, IDR0_ST_LVL_2LVL) |
			       FIELD_PREP(IDR0_TTENDIAN, IDR0_TTENDIAN_LE) |
			       FIELD_PREP(IDR0_TTF, IDR0_TTF_AARCH64) |
			       FIELD_PREP(IDR0_STALL_MODEL, 1) | IDR0_S1P;
		regs->idr[1] = FIELD_PREP(IDR1_SIDSIZE, 10) |
			       FIELD_PREP(IDR1_EVTQS, 8);
		regs->idr[5] = FIELD_PREP(IDR5_OAS, IDR5_OAS_40_BIT) |
			       IDR5_GRAN4K;
		break;
	default:	/* stage 2 only, 8-bit VMIDs, stalls possible */
		regs->idr[0] = FIELD_PREP(IDR0_TTENDIAN, IDR0_TTENDIAN_MIXED) |
			       FIELD_PREP(IDR0_TTF, IDR0_TTF_AARCH32_64) |
			       IDR0_HYP | IDR0_ATS | IDR0_S2P;
		regs->idr[1] = FIELD_PREP(IDR1_SIDSIZE, 8) |
			       FIELD_PREP(IDR1_SSIDSIZE, 4) |
			       FIELD_PREP(IDR1_EVTQS, 5);
		regs->idr[5] = FIELD_PREP(IDR5_OAS, IDR5_OAS_44_BIT) |
			       IDR5_GRAN4K | IDR5_GRAN64K;
		break;
	}
	env_caps(&fz->env);
}

/* Old RAM: [OLD_BASE, FZ_HOLE) in 1 to 3 adjacent ranges, then a hole */
static void fz_set_ranges(struct fz *fz)
{
	struct env *env = &fz->env;
	u32 n = 1 + below(fz->src, 3), i;
	u64 cut[4] = { OLD_BASE, 0, 0, FZ_HOLE };

	cut[1] = OLD_BASE + SZ_4K * (1 + below(fz->src, FZ_USABLE / SZ_4K - 2));
	cut[2] = max(cut[1], OLD_BASE + SZ_4K *
				 (1 + below(fz->src, FZ_USABLE / SZ_4K - 1)));
	if (n == 1)
		cut[1] = FZ_HOLE;
	else if (n == 2)
		cut[2] = FZ_HOLE;
	for (i = 0; i < n; i++) {
		env->old_ram[i].start = cut[i];
		env->old_ram[i].end = (i == n - 1 ? FZ_HOLE : cut[i + 1]) - 1;
	}
	env->ctx.nr_old_ram = n;
	/* Part of the hole is our memory */
	env->own_ram[1].start = FZ_OWN_IN_HOLE;
	env->own_ram[1].end = OLD_BASE + FZ_ARENA - 1;
	env->ctx.nr_own_ram = 2;
}

static u64 fz_ttb(struct fz *fz)
{
	return fz->ttbs[below(fz->src, FZ_TTBS)];
}

/* An ASID or VMID: 0, which no STE of a crashed Linux used, now and then */
static u16 fz_id(struct fz *fz)
{
	return one_in(fz->src, 16) ? 0 : 1 + below(fz->src, 40);
}

/*
 * A VMID: as fz_id(), or now and then one of 9 to 16 bits, which an SMMU
 * with 8-bit VMIDs cannot hold (it would tag the TLB with the low 8 bits)
 */
static u16 fz_vmid(struct fz *fz)
{
	return one_in(fz->src, 8) ? 0x100 + below(fz->src, 0xff00) : fz_id(fz);
}

static bool fz_vmid_fits(const struct arm_smmu_device *smmu, u32 vmid)
{
	return !(vmid >> smmu->vmid_bits);
}

/* A linear CD table of 2^cdmax CDs, some valid */
static u64 fz_cds(struct fz *fz, u8 cdmax)
{
	u64 size = sizeof(struct arm_smmu_cd) << cdmax;
	u64 phys = fz_alloc(fz, size, size);
	struct arm_smmu_cd *cds;
	u32 i;

	if (!phys)
		return 0;
	cds = env_va(&fz->env, phys);
	cd_make(&cds[0], fz_id(fz), fz_ttb(fz));
	for (i = 1; i < 1U << cdmax; i++)
		if (one_in(fz->src, 2))
			cd_make(&cds[i], fz_id(fz), fz_ttb(fz));
	fz_region(fz, phys, size);
	return phys;
}

/* A 2-level CD table with 4KB leaves: 2^cdmax CDs, the first leaf present */
static u64 fz_cds_2lvl(struct fz *fz, u8 cdmax, u64 *l1_out)
{
	u32 nr_l1 = cdmax > 6 ? 1U << (cdmax - 6) : 1;
	u64 l1 = fz_alloc(fz, nr_l1 * 8, 64), leaf;
	struct arm_smmu_cd *cds;

	if (!l1)
		return 0;
	leaf = fz_alloc(fz, SZ_4K, SZ_4K);
	if (!leaf)
		return 0;
	cds = env_va(&fz->env, leaf);
	cd_make(&cds[0], fz_id(fz), fz_ttb(fz));
	cd_make(&cds[below(fz->src, 64)], fz_id(fz), fz_ttb(fz));
	((__le64 *)env_va(&fz->env, l1))[0] =
		cpu_to_le64(leaf | CTXDESC_L1_DESC_V);
	fz_region(fz, l1, nr_l1 * 8);
	fz_region(fz, leaf, 2 * sizeof(struct arm_smmu_cd));
	*l1_out = l1;
	return leaf;
}

/* Fill one STE with something the crashed kernel could have left */
static void fz_ste(struct fz *fz, struct arm_smmu_ste *ste, u32 sid)
{
	const struct arm_smmu_device *smmu = &fz->env.smmu;
	bool s1 = smmu->features & ARM_SMMU_FEAT_TRANS_S1;
	bool s2 = smmu->features & ARM_SMMU_FEAT_TRANS_S2;
	bool stalls = smmu->features & ARM_SMMU_FEAT_STALLS;
	bool good = false;
	u64 cds, l1;
	u32 dss;
	u8 cdmax;
	u16 id;

	switch (below(fz->src, 9)) {
	case 0:
	case 1:		/* stage 1, linear CD table */
		cdmax = smmu->ssid_bits ? below(fz->src, 4) : 0;
		cds = fz_cds(fz, cdmax);
		if (!cds)
			return;
		dss = one_in(fz->src, 2) ? STRTAB_STE_1_S1DSS_SSID0 :
					   STRTAB_STE_1_S1DSS_TERMINATE;
		ste_s1(ste, cds, STRTAB_STE_0_S1FMT_LINEAR, cdmax, dss);
		/* With substreams, only SSID0 gives CD 0 to the others */
		good = s1 && (!cdmax || dss == STRTAB_STE_1_S1DSS_SSID0);
		break;
	case 2:		/* stage 1, 2-level CD table */
		if (!(smmu->features & ARM_SMMU_FEAT_2_LVL_CDTAB) ||
		    smmu->ssid_bits < 7)
			return;
		cdmax = 6 + below(fz->src, 2);
		if (!fz_cds_2lvl(fz, cdmax, &l1))
			return;
		ste_s1(ste, l1, 1, cdmax, STRTAB_STE_1_S1DSS_SSID0);
		good = s1;
		break;
	case 3:
		id = fz_vmid(fz);
		ste_s2(ste, id, fz_ttb(fz));
		/* VMID 0 is this driver's, for stage 1 */
		good = s2 && !stalls && id && fz_vmid_fits(smmu, id);
		break;
	case 4:
		id = fz_vmid(fz);
		ste_nested(ste, 0x1000 * below(fz->src, 16), id, fz_ttb(fz));
		good = s1 && s2 && !stalls && id && fz_vmid_fits(smmu, id);
		break;
	case 5:		/* bypass, plain or through S1DSS */
		if (one_in(fz->src, 2) || !smmu->ssid_bits) {
			ste_bypass(ste);
		} else {
			cds = fz_cds(fz, 1);
			if (!cds)
				return;
			ste_s1(ste, cds, STRTAB_STE_0_S1FMT_LINEAR, 1,
			       STRTAB_STE_1_S1DSS_BYPASS);
		}
		break;
	case 6:		/* invalid, with whatever was in it */
		ste_s2(ste, fz_vmid(fz), fz_ttb(fz));
		ste->data[0] &= ~cpu_to_le64(STRTAB_STE_0_V);
		break;
	case 7:		/* stage 1 of NS-EL1, tagged with a VMID */
		cds = fz_cds(fz, 0);
		if (!cds)
			return;
		ste_s1(ste, cds, STRTAB_STE_0_S1FMT_LINEAR, 0,
		       STRTAB_STE_1_S1DSS_SSID0);
		id = fz_vmid(fz);
		ste->data[2] = cpu_to_le64(FIELD_PREP(STRTAB_STE_2_S2VMID, id));
		good = s1 && (!s2 || (smmu->vmid_bits == 16 &&
				      fz_vmid_fits(smmu, id)));
		break;
	default:	/* abort, as the driver makes it */
		ste_abort(ste);
		break;
	}
	if (fz->nr_populated < FZ_MAX_GOOD)
		fz->populated[fz->nr_populated++] = sid;
	if (good && fz->nr_good < FZ_MAX_GOOD)
		fz->good[fz->nr_good++] = sid;
}

static void fz_fill_stes(struct fz *fz, struct arm_smmu_ste *stes, u32 nr,
			 u32 first_sid)
{
	u32 n = 1 + below(fz->src, 6), i, j;

	for (i = 0; i < n; i++) {
		j = below(fz->src, nr);
		/* A slot once: the records of "good" SIDs stay right */
		if (!ste_is_abort(&stes[j]))
			continue;
		fz_ste(fz, &stes[j], first_sid + j);
	}
}

static void fz_table(struct fz *fz)
{
	const struct arm_smmu_device *smmu = &fz->env.smmu;
	struct env *env = &fz->env;
	u32 log2size, nr_l1, n, i, j, idx, span, nr;
	struct arm_smmu_ste *stes;
	__le64 *l1;
	u64 phys;

	if ((smmu->features & ARM_SMMU_FEAT_2_LVL_STRTAB) &&
	    smmu->sid_bits >= 8 && !one_in(fz->src, 3)) {
		log2size = 8 + below(fz->src,
				     min_t(u32, smmu->sid_bits, 12) - 8 + 1);
		nr_l1 = 1U << (log2size - 8);
		phys = fz_alloc(fz, nr_l1 * 8, max(nr_l1 * 8, 64U));
		env->regs.strtab_base = phys | STRTAB_BASE_RA;
		env->regs.strtab_base_cfg =
			FIELD_PREP(STRTAB_BASE_CFG_FMT,
				   STRTAB_BASE_CFG_FMT_2LVL) |
			FIELD_PREP(STRTAB_BASE_CFG_SPLIT, STRTAB_SPLIT) |
			FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, log2size);
		l1 = env_va(env, phys);
		fz_region(fz, phys, nr_l1 * 8);
		fz->l1_phys = phys;
		fz->nr_l1 = nr_l1;
		n = 1 + below(fz->src, min(nr_l1, 3U));
		for (i = 0; i < n; i++) {
			idx = below(fz->src, nr_l1);
			if (l1[idx])
				continue;
			span = one_in(fz->src, 4) ? 1 + below(fz->src, 9) :
						    STRTAB_SPLIT + 1;
			nr = 1U << (span - 1);
			phys = fz_alloc(fz, nr * 64ULL, nr * 64ULL);
			if (!phys)
				break;
			stes = env_va(env, phys);
			for (j = 0; j < nr; j++)
				ste_abort(&stes[j]);
			l1[idx] = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN,
							 span) | phys);
			fz_region(fz, phys, nr * 64ULL);
			fz_fill_stes(fz, stes, nr, idx << STRTAB_SPLIT);
		}
		return;
	}

	log2size = below(fz->src, min_t(u32, smmu->sid_bits, 8) + 1);
	/* Mostly as Linux writes it: covering every StreamID of the SMMU */
	if (!one_in(fz->src, 8))
		fz->env.smmu.sid_bits = log2size;
	nr = 1U << log2size;
	phys = fz_alloc(fz, nr * 64ULL, nr * 64ULL);
	env->regs.strtab_base = phys | STRTAB_BASE_RA;
	env->regs.strtab_base_cfg =
		FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
		FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, log2size);
	stes = env_va(env, phys);
	for (i = 0; i < nr; i++)
		ste_abort(&stes[i]);
	fz_region(fz, phys, nr * 64ULL);
	fz_fill_stes(fz, stes, nr, 0);
}

static int fz_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void fz_keep_list(struct fz *fz)
{
	struct env *env = &fz->env;
	u32 i, j;

	if (env->ctx.mode != ARM_SMMU_KDUMP_KEEP_QUIESCED)
		return;
	for (i = 0; i < fz->nr_populated && env->ctx.nr_keep < 32; i++)
		if (!one_in(fz->src, 3))
			env_keep(env, fz->populated[i]);
	for (i = below(fz->src, 3); i; i--)
		env_keep(env, below(fz->src, 1 << 12));
	qsort(env->keep, env->ctx.nr_keep, sizeof(u32), fz_cmp_u32);
	for (i = j = 0; i < env->ctx.nr_keep; i++)
		if (!j || env->keep[i] != env->keep[j - 1])
			env->keep[j++] = env->keep[i];
	env->ctx.nr_keep = j;
}

static bool fz_listed(struct fz *fz, u32 sid)
{
	return bsearch(&sid, fz->env.keep, fz->env.ctx.nr_keep, sizeof(u32),
		       fz_cmp_u32);
}

/* Addresses worth aiming a damaged pointer at */
static u64 fz_addr(struct fz *fz)
{
	const u64 addrs[] = {
		0, OWN_BASE, OWN_BASE + OWN_SIZE - SZ_4K, OLD_BASE - SZ_4K,
		OLD_BASE - 64, OLD_BASE, FZ_HOLE - SZ_4K, FZ_HOLE - 64,
		FZ_HOLE, FZ_OWN_IN_HOLE, OLD_BASE + FZ_ARENA - 64,
		OLD_BASE + FZ_ARENA, 1ULL << fz->env.smmu.oas,
		GENMASK_ULL(51, 12), fz->env.old_ram[0].end + 1 - SZ_16K,
		fz->ttbs[0], fz->l1_phys,
	};

	if (one_in(fz->src, 4) && fz->nr_regions)
		return fz->regions[below(fz->src, fz->nr_regions)].phys;
	return addrs[below(fz->src, ARRAY_SIZE(addrs))];
}

static void fz_damage(struct fz *fz)
{
	struct env *env = &fz->env;
	const struct fz_region *r;
	__le64 *word;
	u32 i;
	u64 v;

	switch (below(fz->src, 13)) {
	case 0:		/* STRTAB_BASE */
		if (one_in(fz->src, 2))
			env->regs.strtab_base ^= BIT_ULL(below(fz->src, 64));
		else
			env->regs.strtab_base = (env->regs.strtab_base &
						 ~STRTAB_BASE_ADDR_MASK) |
						(fz_addr(fz) &
						 STRTAB_BASE_ADDR_MASK);
		return;
	case 1:		/* STRTAB_BASE_CFG */
		env->regs.strtab_base_cfg ^= BIT(below(fz->src, 20));
		return;
	case 2:		/* what the SMMU implements */
		i = below(fz->src, 3);
		env->regs.idr[i == 2 ? 5 : i] ^= BIT(below(fz->src, 32));
		env_caps(env);
		return;
	case 3:		/* the memory map: a range shrinks or goes */
		if (one_in(fz->src, 2) && env->ctx.nr_old_ram > 1)
			env->ctx.nr_old_ram--;
		else
			env->old_ram[below(fz->src, env->ctx.nr_old_ram)].end -=
				SZ_4K * (1 + below(fz->src, 4));
		return;
	case 5:		/* an L1 descriptor: its Span, or where it points */
		if (!fz->nr_l1)
			return;
		word = env_va(env, fz->l1_phys + 8ULL * below(fz->src, fz->nr_l1));
		v = le64_to_cpu(*word);
		if (one_in(fz->src, 2))
			v = (v & ~STRTAB_L1_DESC_SPAN) |
			    FIELD_PREP(STRTAB_L1_DESC_SPAN, below(fz->src, 32));
		else
			v = (v & ~STRTAB_L1_DESC_L2PTR_MASK) |
			    (fz_addr(fz) & STRTAB_L1_DESC_L2PTR_MASK);
		*word = cpu_to_le64(v);
		return;
	case 4:		/* our memory overlaps what the tables use */
		v = fz->nr_regions ?
		    fz->regions[below(fz->src, fz->nr_regions)].phys : OLD_BASE;
		env->own_ram[2].start = ALIGN_DOWN(v, SZ_4K);
		env->own_ram[2].end = env->own_ram[2].start + SZ_4K - 1;
		env->ctx.nr_own_ram = 3;
		return;
	default:
		break;
	}

	if (!fz->nr_regions)
		return;
	r = &fz->regions[below(fz->src, fz->nr_regions)];
	if (!r->words)
		return;
	word = env_va(env, r->phys + 8ULL * below(fz->src, r->words));
	v = le64_to_cpu(*word);
	switch (below(fz->src, 5)) {
	case 0:		/* one bit */
		v ^= BIT_ULL(below(fz->src, 64));
		break;
	case 1:		/* anything */
		v = fz_u64(fz->src);
		break;
	case 2:		/* a pointer to somewhere, keeping the low bits */
		v = (v & 0xfff) | (fz_addr(fz) & GENMASK_ULL(51, 12)) |
		    (v & GENMASK_ULL(63, 52));
		break;
	case 3:		/* a small field */
		v ^= (u64)below(fz->src, 32) << (below(fz->src, 8) * 8);
		break;
	default: {	/* a bit that an STE or CD check looks at */
		static const u8 bits[] = {
			0, 1, 2, 3, 4, 5, 13, 14, 27, 28, 29, 30, 31, 42, 43, 44,
			51, 52, 55, 56, 57, 59, 63,
		};

		v ^= BIT_ULL(bits[below(fz->src, ARRAY_SIZE(bits))]);
		break;
	}
	}
	*word = cpu_to_le64(v);
}

/* Independent checks */

static bool fz_old(struct fz *fz, u64 phys, u64 size)
{
	const struct arm_smmu_kdump_ctx *ctx = &fz->env.ctx;
	unsigned int i;
	u64 end = phys + size - 1;

	if (!env_covered(ctx->old_ram, ctx->nr_old_ram, phys, size))
		return false;
	for (i = 0; i < ctx->nr_own_ram; i++)
		if (phys <= ctx->own_ram[i].end && ctx->own_ram[i].start <= end)
			return false;
	return phys >= OLD_BASE && end < OLD_BASE + FZ_ARENA;
}

/* IHI 0070 5.2: bypass, or stage 1 with substreams and S1DSS bypass */
static bool fz_bypasses(const struct arm_smmu_device *smmu,
			const struct arm_smmu_ste *ste)
{
	u64 q0 = le64_to_cpu(ste->data[0]), q1 = le64_to_cpu(ste->data[1]);
	u32 cfg = FIELD_GET(STRTAB_STE_0_CFG, q0);

	return cfg == STRTAB_STE_0_CFG_BYPASS ||
	       (cfg == STRTAB_STE_0_CFG_S1_TRANS && smmu->ssid_bits &&
		FIELD_GET(STRTAB_STE_0_S1CDMAX, q0) &&
		FIELD_GET(STRTAB_STE_1_S1DSS, q1) == STRTAB_STE_1_S1DSS_BYPASS);
}

/*
 * What a kept STE points at: in old RAM, and not in the 2-level L1 table,
 * whose descriptors the switch points at the crash kernel's L2 tables
 */
static bool fz_followed(struct fz *fz, u64 phys, u64 size)
{
	const struct arm_smmu_kdump_ctx *ctx = &fz->env.ctx;

	return fz_old(fz, phys, size) &&
	       (ctx->fmt != STRTAB_BASE_CFG_FMT_2LVL || phys + size <= ctx->base ||
		phys >= ctx->base + 8ULL * ctx->nr_ents);
}

/* A translation table base: its first 4KB page */
static bool fz_ttb_ok(struct fz *fz, u64 ttb)
{
	return fz_followed(fz, ALIGN_DOWN(ttb, SZ_4K), SZ_4K);
}

/* The one CD of a kept stage 1 STE: in old RAM, valid, safe, ASID reserved */
static void fz_check_cd(struct fz *fz, u64 phys, bool may_stall, u32 sid)
{
	struct env *env = &fz->env;
	const struct arm_smmu_cd *cd;
	u64 q0;

	if (!fz_followed(fz, phys, sizeof(*cd))) {
		fz_fail(fz, FZ_SAFE, "SID %#x: CD at %#llx outside old RAM or in the L1 table",
			sid, phys);
		return;
	}
	cd = env_va(env, phys);
	q0 = le64_to_cpu(cd->data[0]);
	if (!(q0 & CTXDESC_CD_0_V)) {
		fz_fail(fz, FZ_SAFE, "SID %#x: kept with an invalid CD 0", sid);
		return;
	}
	if ((q0 & (CTXDESC_CD_0_TCR_HA | CTXDESC_CD_0_TCR_HD)) ||
	    (may_stall && (q0 & CTXDESC_CD_0_S)) ||
	    (!(q0 & CTXDESC_CD_0_TCR_EPD0) &&
	     !fz_ttb_ok(fz, le64_to_cpu(cd->data[1]) &
			    CTXDESC_CD_1_TTB0_MASK)) ||
	    (!(q0 & CTXDESC_CD_0_TCR_EPD1) &&
	     !fz_ttb_ok(fz, le64_to_cpu(cd->data[2]) &
			    CTXDESC_CD_2_TTB1_MASK)) ||
	    (FIELD_GET(CTXDESC_CD_0_ASID, q0) &&
	     !xa_load(&env->asid_xa, FIELD_GET(CTXDESC_CD_0_ASID, q0))))
		fz_fail(fz, FZ_SAFE, "SID %#x: kept with an unsafe CD 0 (%#llx)",
			sid, q0);
}

/*
 * A kept stage 1 STE: its copy points at the CD of substream 0 alone, found
 * in the old STE's table as the SMMU would find it, and that CD is safe.
 */
static void fz_check_cd0(struct fz *fz, const struct arm_smmu_ste *old,
			 const struct arm_smmu_ste *new, bool may_stall,
			 u32 sid)
{
	u64 q0 = le64_to_cpu(old->data[0]);
	u64 ptr = q0 & STRTAB_STE_0_S1CTXPTR_MASK, desc;
	u32 cdmax = fz->env.smmu.ssid_bits ?
		    FIELD_GET(STRTAB_STE_0_S1CDMAX, q0) : 0;
	u32 fmt = cdmax ? FIELD_GET(STRTAB_STE_0_S1FMT, q0) : 0;

	/*
	 * ILLEGAL, and the SMMU would not walk it: nor may the import. With
	 * substreams, transactions without one reach CD 0 through SSID0 only.
	 */
	if (cdmax > fz->env.smmu.ssid_bits || fmt == 3 ||
	    (cdmax && FIELD_GET(STRTAB_STE_1_S1DSS, le64_to_cpu(old->data[1])) !=
		      STRTAB_STE_1_S1DSS_SSID0)) {
		fz_fail(fz, FZ_SAFE, "SID %#x: kept with S1CDMax %u, S1Fmt %u, S1DSS %llu",
			sid, cdmax, fmt,
			FIELD_GET(STRTAB_STE_1_S1DSS, le64_to_cpu(old->data[1])));
		return;
	}
	if (fmt) {
		if (!fz_old(fz, ptr, 8)) {
			fz_fail(fz, FZ_SAFE, "SID %#x: L1CD outside old RAM", sid);
			return;
		}
		desc = le64_to_cpu(*(__le64 *)env_va(&fz->env, ptr));
		if (!(desc & CTXDESC_L1_DESC_V)) {
			fz_fail(fz, FZ_SAFE, "SID %#x: kept without an L1CD", sid);
			return;
		}
		ptr = desc & CTXDESC_L1_DESC_L2PTR_MASK;
	}
	if ((le64_to_cpu(new->data[0]) & STRTAB_STE_0_S1CTXPTR_MASK) != ptr) {
		fz_fail(fz, FZ_COPY, "SID %#x: copy points at %#llx, CD 0 is at %#llx",
			sid, le64_to_cpu(new->data[0]), ptr);
		return;
	}
	fz_check_cd(fz, ptr, may_stall, sid);
}

static void fz_check_kept(struct fz *fz, const struct arm_smmu_ste *ste,
			  const struct arm_smmu_ste *new, u32 sid)
{
	struct env *env = &fz->env;
	const struct arm_smmu_device *smmu = &env->smmu;
	u64 q0 = le64_to_cpu(ste->data[0]), q1 = le64_to_cpu(ste->data[1]);
	u64 q2 = le64_to_cpu(ste->data[2]), q3 = le64_to_cpu(ste->data[3]);
	u32 cfg = FIELD_GET(STRTAB_STE_0_CFG, q0);
	u32 vmid = FIELD_GET(STRTAB_STE_2_S2VMID, q2);
	bool may_stall = (smmu->features & ARM_SMMU_FEAT_STALLS) &&
			 !(smmu->features & ARM_SMMU_FEAT_STALL_FORCE);

	if (cfg < STRTAB_STE_0_CFG_S1_TRANS || fz_bypasses(smmu, ste))
		fz_fail(fz, FZ_SAFE, "SID %#x: kept a bypass STE (%#llx)", sid,
			q0);
	if (le64_to_cpu(new->data[1]) & STRTAB_STE_1_CONT)
		fz_fail(fz, FZ_SAFE, "SID %#x: kept with a contiguous hint", sid);
	if (smmu->features & ARM_SMMU_FEAT_STALL_FORCE)
		fz_fail(fz, FZ_SAFE, "SID %#x: kept with stalls forced", sid);
	if (cfg & 2) {
		if (!fz_ttb_ok(fz, q3 & STRTAB_STE_3_S2TTB_MASK))
			fz_fail(fz, FZ_SAFE,
				"SID %#x: kept with S2TTB %#llx outside old RAM",
				sid, q3);
		if (!vmid || !shim_ida_allocated(&env->vmid_ida, vmid))
			fz_fail(fz, FZ_SAFE,
				"SID %#x: kept with VMID %u not reserved", sid,
				vmid);
		if (!fz_vmid_fits(smmu, vmid))
			fz_fail(fz, FZ_SAFE,
				"SID %#x: kept with VMID %#x, wider than %u bits",
				sid, vmid, smmu->vmid_bits);
		if ((q2 & (STRTAB_STE_2_S2HA | STRTAB_STE_2_S2HD)) ||
		    (may_stall && (q2 & STRTAB_STE_2_S2S)))
			fz_fail(fz, FZ_SAFE,
				"SID %#x: kept with S2 HTTU or stalls", sid);
	} else if ((smmu->features & ARM_SMMU_FEAT_TRANS_S2) && vmid &&
		   !FIELD_GET(STRTAB_STE_1_STRW, q1) &&
		   (!shim_ida_allocated(&env->vmid_ida, vmid) ||
		    !fz_vmid_fits(smmu, vmid))) {
		fz_fail(fz, FZ_SAFE, "SID %#x: NS-EL1 VMID %#x not reserved or wider than %u bits",
			sid, vmid, smmu->vmid_bits);
	}
	may_stall &= !(q1 & STRTAB_STE_1_S1STALLD);
	if (cfg == STRTAB_STE_0_CFG_NESTED && may_stall)
		fz_fail(fz, FZ_SAFE, "SID %#x: nested STE kept with stalls",
			sid);
	if (cfg == STRTAB_STE_0_CFG_S1_TRANS)
		fz_check_cd0(fz, ste, new, may_stall, sid);

	if (env->ctx.mode != ARM_SMMU_KDUMP_KEEP_ALL && !fz_listed(fz, sid))
		fz_fail(fz, FZ_POLICY, "SID %#x: kept but not listed", sid);
}

/* Check the copy of one StreamID; counts kept and aborted STEs */
static void fz_check_sid(struct fz *fz, u32 sid, const struct arm_smmu_ste *old,
			 const struct arm_smmu_ste *new, u32 *kept,
			 u32 *aborted)
{
	if (!old) {
		if (!ste_is_abort(new))
			fz_fail(fz, FZ_COPY, "SID %#x: beyond the old span, not an abort STE",
				sid);
		return;
	}
	if (ste_is_live(old) && ste_kept_copy(old, new)) {
		(*kept)++;
		fz_check_kept(fz, old, new, sid);
	} else if (ste_is_abort(new)) {
		*aborted += ste_is_live(old);
	} else {
		fz_fail(fz, FZ_COPY,
			"SID %#x: new STE %#llx is neither the old one (%#llx), maybe on its CD 0, nor abort",
			sid, le64_to_cpu(new->data[0]),
			le64_to_cpu(old->data[0]));
	}
}

static void fz_check_table(struct fz *fz, struct fz_stats *st)
{
	struct env *env = &fz->env;
	const struct arm_smmu_kdump_table *t = &env->table;
	const struct arm_smmu_device *smmu = &env->smmu;
	u32 kept = 0, aborted = 0, sid, idx, j, nr_l2s = 0, span, nr, geo;
	unsigned int i;
	u64 size;

	/* What the SMMU reads (IHI 0070 6.3.24, 6.3.25, 5.1) is what was copied */
	geo = env->regs.strtab_base_cfg;
	size = env->ctx.nr_ents * (env->ctx.fmt ? 8ULL : 64ULL);
	if (FIELD_GET(STRTAB_BASE_CFG_LOG2SIZE, geo) > smmu->sid_bits ||
	    (!FIELD_GET(STRTAB_BASE_CFG_FMT, geo) && smmu->sid_bits > 16) ||
	    FIELD_GET(STRTAB_BASE_CFG_FMT, geo) > 1 ||
	    (FIELD_GET(STRTAB_BASE_CFG_FMT, geo) &&
	     !(smmu->features & ARM_SMMU_FEAT_2_LVL_STRTAB)) ||
	    (env->ctx.base & (max(size, 64ULL) - 1)) ||
	    env->ctx.base != (env->regs.strtab_base & STRTAB_BASE_ADDR_MASK))
		fz_fail(fz, FZ_COPY, "accepted STRTAB_BASE %#llx, CFG %#x",
			env->regs.strtab_base, geo);
	if (!fz_old(fz, env->ctx.base, size)) {
		fz_fail(fz, FZ_MAP, "accepted a table outside old RAM");
		return;
	}
	if (env->ctx.fmt == STRTAB_BASE_CFG_FMT_LINEAR) {
		/* An STE for every StreamID, an abort one past the old table */
		if (t->nr_ents != 1U << smmu->sid_bits)
			fz_fail(fz, FZ_COPY, "linear copy of %u STEs, %u StreamID bits",
				t->nr_ents, smmu->sid_bits);
		for (sid = 0; sid < t->nr_ents; sid++)
			fz_check_sid(fz, sid, sid < env->ctx.nr_ents ?
				     env_old_ste(env, sid) : NULL,
				     &t->linear[sid], &kept, &aborted);
	} else {
		const __le64 *l1 = env_va(env, env->ctx.base);

		for (idx = 0; idx < t->nr_ents; idx++) {
			u64 desc = le64_to_cpu(l1[idx]);
			const struct arm_smmu_ste *old;

			span = FIELD_GET(STRTAB_L1_DESC_SPAN, desc);
			nr = span ? 1U << (span - 1) : 0;
			if (span > STRTAB_SPLIT + 1 ||
			    (span && (desc & ~(STRTAB_L1_DESC_SPAN |
					       STRTAB_L1_DESC_L2PTR_MASK))) ||
			    (nr && (desc & STRTAB_L1_DESC_L2PTR_MASK &
				    (nr * 64ULL - 1))) ||
			    (nr && !fz_old(fz, desc & STRTAB_L1_DESC_L2PTR_MASK,
					   nr * 64ULL))) {
				/* Any bad L1 descriptor refuses the table */
				fz_fail(fz, FZ_COPY,
					"accepted L1 %u (%#llx), which the SMMU reads differently or which leaves old RAM",
					idx, desc);
				continue;
			}
			/* Only now: a bad L2Ptr is not even a host pointer */
			old = nr ? env_va(env, desc & STRTAB_L1_DESC_L2PTR_MASK) :
				   NULL;
			if (!t->l2ptrs[idx]) {
				/* The SMMU must walk no L2 table of old RAM */
				if (span)
					fz_fail(fz, FZ_COPY,
						"L1 %u: valid span not copied",
						idx);
				continue;
			}
			nr_l2s++;
			for (j = 0; j < STRTAB_NUM_L2_STES; j++)
				fz_check_sid(fz, (idx << 8) | j,
					     j < nr ? &old[j] : NULL,
					     &t->l2ptrs[idx]->stes[j], &kept,
					     &aborted);
		}
		if (nr_l2s != t->nr_l2s || nr_l2s > env->ctx.max_l2)
			fz_fail(fz, FZ_COPY, "%u L2 copies, %u counted, budget %u",
				nr_l2s, t->nr_l2s, env->ctx.max_l2);
		for (i = 0; i < t->nr_ents; i++)
			if (!t->l2ptrs[i] != !t->l2_dma[i])
				fz_fail(fz, FZ_COPY,
					"L1 %u: copy and its DMA address disagree", i);
	}

	if (env->report.nr_kept != kept || env->report.nr_aborted != aborted)
		fz_fail(fz, FZ_COUNT,
			"report says %u kept, %u aborted; the table %u, %u",
			env->report.nr_kept, env->report.nr_aborted, kept,
			aborted);
	st->kept += kept;
	st->aborted += aborted;

	/* Undamaged: every good STE is kept if policy says so */
	if (!fz->damage && !fz->injected && fz->preset == 0 &&
	    env->ctx.max_l2 >= 64) {
		st->clean++;
		for (i = 0; i < fz->nr_good; i++) {
			sid = fz->good[i];
			if ((env->ctx.mode == ARM_SMMU_KDUMP_KEEP_ALL ||
			     fz_listed(fz, sid)) && !env_kept(env, sid))
				fz_fail(fz, FZ_POLICY,
					"SID %#x: a good STE was not kept", sid);
		}
	}
}

/* The device dump, in a buffer of a random size, read back */
static void fz_dump(struct fz *fz, struct fz_stats *st, bool adopted)
{
	struct env *env = &fz->env;
	struct arm_smmu_kdump_report *rep = &env->report;
	const struct arm_smmu_vmcoredd_header *hdr;
	const struct arm_smmu_vmcoredd_section *sect;
	u32 nr_regs = 27;	/* PRIQ too, even without PRI */
	size_t size, len, ret, min, off;
	u32 i, j, flags, kept = 0, aborted = 0, counts[5] = {};
	u8 *buf;

	rep->regs = env->regs;
	rep->mode = env->ctx.mode;
	rep->adopted = adopted;
	size = arm_smmu_kdump_dump_size(rep);
	min = sizeof(*hdr) + 3 * sizeof(*sect) + nr_regs * 16;
	switch (below(fz->src, 4)) {
	case 0:
		len = below(fz->src, size + 1);
		break;
	case 1:
		len = size + below(fz->src, 64);
		break;
	default:
		len = size;
		break;
	}
	buf = malloc(len ? len : 1);
	if (!buf)
		shim_unreachable("malloc");
	ret = arm_smmu_kdump_write_dump(rep, buf, len);
	st->dumps++;
	if (len < min) {
		if (ret)
			fz_fail(fz, FZ_DUMP, "wrote %zu bytes into %zu", ret, len);
		goto out;
	}
	if (ret < min || ret > len || (len >= size && ret != size)) {
		fz_fail(fz, FZ_DUMP, "size %zu of %zu (buffer %zu)", ret, size,
			len);
		goto out;
	}
	hdr = (const void *)buf;
	flags = le32_to_cpu(hdr->flags);
	if (memcmp(hdr->magic, ARM_SMMU_VMCOREDD_MAGIC, 8) ||
	    le32_to_cpu(hdr->total_size) != ret ||
	    le32_to_cpu(hdr->nr_sections) != 3 ||
	    !(flags & ARM_SMMU_VMCOREDD_F_SMMUEN) != !(env->regs.cr0 & CR0_SMMUEN) ||
	    !(flags & ARM_SMMU_VMCOREDD_F_ADOPTED) != !adopted) {
		fz_fail(fz, FZ_DUMP, "bad header");
		goto out;
	}
	sect = (const void *)(hdr + 1);
	off = sizeof(*hdr) + 3 * sizeof(*sect);
	for (i = 0; i < 3; i++, sect++) {
		u32 type = le32_to_cpu(sect->type);
		u32 count = le32_to_cpu(sect->count);
		u32 esize = le32_to_cpu(sect->entry_size);

		if (type != i + 1 || le32_to_cpu(sect->offset) != off ||
		    off + (u64)count * esize > ret) {
			fz_fail(fz, FZ_DUMP, "section %u: type %u at %u", i,
				type, le32_to_cpu(sect->offset));
			goto out;
		}
		counts[type] = count;
		if (type == ARM_SMMU_VMCOREDD_SECT_STREAMS) {
			const struct arm_smmu_vmcoredd_stream *s =
				(const void *)(buf + off);

			for (j = 0; j < count; j++) {
				bool k = s[j].decision ==
					 ARM_SMMU_VMCOREDD_SID_KEPT;
				const struct arm_smmu_ste *new =
					env_new_ste(env, le32_to_cpu(s[j].sid));

				kept += k;
				aborted += s[j].decision ==
					   ARM_SMMU_VMCOREDD_SID_ABORTED;
				/* What is derived is what was installed */
				if (!new || ste_is_abort(new) == k)
					fz_fail(fz, FZ_DUMP,
						"SID %#x: dump says %s, table has %s",
						le32_to_cpu(s[j].sid),
						k ? "kept" : "aborted",
						!new ? "no STE" :
						k ? "an abort STE" : "a live STE");
			}
		}
		off += (u64)count * esize;
	}
	if (off != ret || counts[1] != nr_regs) {
		fz_fail(fz, FZ_DUMP, "records end at %zu of %zu", off, ret);
		goto out;
	}
	if (flags & ARM_SMMU_VMCOREDD_F_TRUNCATED) {
		st->dumps_truncated++;
		if (len >= size)
			fz_fail(fz, FZ_DUMP, "truncated for no reason");
	} else if (counts[2] != rep->nr_words ||
		   counts[3] != (adopted ? rep->nr_kept + rep->nr_aborted : 0) ||
		   (adopted && (kept != rep->nr_kept ||
				aborted != rep->nr_aborted))) {
		fz_fail(fz, FZ_DUMP, "dump of %u kept, %u aborted; report %u, %u",
			kept, aborted, rep->nr_kept, rep->nr_aborted);
	}
out:
	free(buf);
}

/* kdump_keep and kdump_mode from random text */
static void fz_parse(struct fz *fz, struct fz_stats *st)
{
	static const char alphabet[] = "0123456789abcdefABCDEFxX:.,@sid-";
	static const char * const modes[] = {
		"keep-quiesced", "keep-all", "reset",
	};
	struct arm_smmu_kdump_keep *items = (void *)1;
	enum arm_smmu_kdump_mode mode;
	char str[48];
	u32 len = below(fz->src, sizeof(str)), i, commas = 0;
	int ret, want;

	if (one_in(fz->src, 2)) {
		/* Random text */
		for (i = 0; i < len; i++)
			str[i] = alphabet[below(fz->src, sizeof(alphabet) - 1)];
		str[len] = 0;
	} else {
		/* Items as an administrator writes them, then a typo */
		for (*str = 0, i = 1 + below(fz->src, 3); i; i--) {
			char item[24];

			if (one_in(fz->src, 2))
				snprintf(item, sizeof(item), "%s%x:%x.%x",
					 one_in(fz->src, 2) ? "0000:" : "",
					 below(fz->src, 256), below(fz->src, 32),
					 below(fz->src, 8));
			else
				snprintf(item, sizeof(item), "sid:%u%s",
					 fz_u32(fz->src) >> below(fz->src, 32),
					 one_in(fz->src, 4) ? "@0x9050000" : "");
			if (strlen(str) + strlen(item) + 2 > sizeof(str))
				break;
			if (*str)
				strcat(str, ",");
			strcat(str, item);
		}
		len = strlen(str);
		if (len && one_in(fz->src, 3))
			str[below(fz->src, len)] =
				alphabet[below(fz->src, sizeof(alphabet) - 1)];
	}
	for (i = 0; i < len; i++)
		commas += str[i] == ',';
	if (one_in(fz->src, 16))
		shim_alloc_fail_at(1 + below(fz->src, 2));
	ret = arm_smmu_kdump_parse_keep(str, &items, &i);
	shim_alloc_fail_at(0);
	if (ret == 0 && *str) {
		st->keep_ok++;
		if (!items || i != commas + 1)
			fz_fail(fz, FZ_PARSE, "'%s': %u items", str, i);
	} else if (ret == 0) {
		if (items || i)
			fz_fail(fz, FZ_PARSE, "'' gave items");
	} else {
		st->keep_refused++;
		if ((ret != -EINVAL && ret != -ENOMEM) || items || i)
			fz_fail(fz, FZ_PARSE, "'%s': %d", str, ret);
	}
	if (!ZERO_OR_NULL_PTR(items))
		kfree(items);

	if (one_in(fz->src, 2))
		strcpy(str, modes[below(fz->src, 3)]);
	want = -EINVAL;
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(str, modes[i]))
			want = 0;
	if (!*str)
		want = 0;
	if (arm_smmu_kdump_parse_mode(str, &mode) != want)
		fz_fail(fz, FZ_PARSE, "mode '%s'", str);
}

unsigned int fz_round(struct fz_src *src, struct fz_stats *st)
{
	/*
	 * One old memory for every round, zeroed by each: allocating it
	 * again each time cost most of a round (ASan maps and unmaps an
	 * allocation this large), and it is never handed to the driver,
	 * which maps copies of exactly the bytes it asks for
	 */
	static u8 *arena;
	struct fz *fz = calloc(1, sizeof(*fz));
	struct env *env;
	unsigned int bugs = shim_nr_bugs, i, failed;
	long live;
	enum arm_smmu_kdump_mode mode;
	int ret;

	if (!fz)
		shim_unreachable("calloc");
	fz->src = src;
	env = &fz->env;
	mode = one_in(src, 3) ? ARM_SMMU_KDUMP_KEEP_ALL :
				ARM_SMMU_KDUMP_KEEP_QUIESCED;
	if (!arena)
		arena = malloc(FZ_ARENA);
	if (!arena)
		shim_unreachable("malloc");
	env_init_arena(env, mode, arena, FZ_ARENA);
	env->quiet = !fz_verbose;
	fz_set_idrs(fz);
	fz_set_ranges(fz);
	for (i = 0; i < FZ_TTBS; i++)
		fz->ttbs[i] = fz_alloc(fz, SZ_4K, SZ_4K);
	fz_table(fz);
	fz_keep_list(fz);
	if (one_in(src, 8))
		env->ctx.max_l2 = below(src, 3);
	/* No damage in a third of the rounds, to check liveness */
	fz->damage = one_in(src, 3) ? 0 : 1 + below(src, 3);
	for (i = 0; i < fz->damage; i++)
		fz_damage(fz);
	if (one_in(src, 8)) {
		fz->injected = true;
		if (one_in(src, 2))
			shim_alloc_fail_at(1 + below(src, 24));
		else
			env->fail_alloc_at = 1 + below(src, 4);
	}

	/* As arm_smmu_kdump_prepare() does */
	live = shim_live_allocs;
	ret = arm_smmu_kdump_check_regs(&env->ctx, &env->regs);
	if (!ret)
		ret = arm_smmu_kdump_build(&env->ctx, &env->table);
	shim_alloc_fail_at(0);
	env->fail_alloc_at = 0;

	st->rounds++;
	st->injected += fz->injected;
	if (ret != 0 && ret != -EINVAL && ret != -ENOMEM)
		fz_fail(fz, FZ_RET, "build returned %d", ret);
	if (!ret != (env->ctx.err == ARM_SMMU_KDUMP_ERR_NONE) ||
	    (ret == -ENOMEM) != (env->ctx.err == ARM_SMMU_KDUMP_ERR_NOMEM) ||
	    (ret == -ENOMEM && !fz->injected))
		fz_fail(fz, FZ_RET, "returned %d with ctx->err %d", ret,
			env->ctx.err);
	if (env->nr_maps > 1 ||
	    (env->nr_maps && env->maps[0].va != env->table.l1tab))
		fz_fail(fz, FZ_LEAK, "%u maps after the build", env->nr_maps);

	if (!ret) {
		st->accepted++;
		fz_check_table(fz, st);
	} else {
		st->rejected++;
		if (env->ctx.err < ARM_SMMU_KDUMP_ERR_MAX)
			st->rejected_by[env->ctx.err]++;
		/* As arm_smmu_kdump_prepare(): a refused import leaves nothing */
		arm_smmu_kdump_report_free(&env->report);
	}

	fz_dump(fz, st, !ret);
	fz_parse(fz, st);

	if (env->bad_maps || env->bad_unmaps || env->old_writes)
		fz_fail(fz, FZ_MAP, "%u maps outside old RAM, %u bad unmaps, %u writes",
			env->bad_maps, env->bad_unmaps, env->old_writes);

	/* Undo, as arm_smmu_kdump_prepare() does when it fails */
	env_undo(env);
	if (shim_live_allocs != live || env->nr_maps)
		fz_fail(fz, FZ_LEAK, "%ld objects, %u maps left",
			shim_live_allocs - live, env->nr_maps);
	/* They were empty before the build, as the kernel's are at import */
	if (!xa_empty(&env->asid_xa) || !xa_empty(&env->vmid_ida.xa) ||
	    shim_nr_bugs != bugs)
		fz_fail(fz, FZ_IDS, "the ID allocators are not empty again");

	failed = fz->failed;
	for (i = 0; i < FZ_NR_INV; i++)
		st->violations[i] += !!(failed & BIT(i));
	env_exit(env);
	free(fz);
	return failed;
}
