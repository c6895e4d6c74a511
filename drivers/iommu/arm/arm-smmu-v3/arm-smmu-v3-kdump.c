// SPDX-License-Identifier: GPL-2.0
/*
 * Inherit the crashed kernel's SMMUv3 configuration in a kdump kernel.
 *
 * When a kernel panics, nothing quiesces the devices behind the SMMU: they
 * keep doing DMA through the crashed kernel's stream table while the kdump
 * kernel boots. Resetting the SMMU (GBPA=ABORT, SMMUEN=0, new stream table)
 * aborts all of that DMA at once, which some platforms do not survive.
 *
 * Instead, the kdump kernel:
 *
 *  - snapshots the registers describing the old configuration before it
 *    writes any of them;
 *  - validates the old stream table as untrusted input, including that every
 *    pointer it follows lies in the crashed kernel's memory and nowhere in
 *    its own;
 *  - copies the old stream table into its own memory, keeping the STEs of
 *    devices that the crashed kernel quiesced (arm_smmu_v3.kdump_keep) and
 *    replacing the others with abort STEs. The crashed kernel's tables are
 *    never written, except for the L1 descriptors of a 2-level table, whose
 *    original values are recorded;
 *  - switches to the copy without letting any stream bypass the SMMU: with
 *    SMMUEN kept set for a 2-level table, behind GBPA=ABORT for a linear one;
 *  - reserves the ASIDs and VMIDs that kept STEs use, and defers the attach
 *    of kept devices until their driver first uses the DMA API. Devices whose
 *    DMA was aborted are given DMA again only after a function reset.
 *
 * Anything unexpected makes the driver fall back to the normal reset.
 *
 * Copyright (C) 2026 The arm-smmu-kdump developers
 */

#include <linux/bitfield.h>
#include <linux/bsearch.h>
#include <linux/crash_dump.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/range.h>
#include <linux/reset.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "arm-smmu-v3.h"

static char *kdump_mode;
module_param(kdump_mode, charp, 0444);
MODULE_PARM_DESC(kdump_mode,
		 "kdump only: keep-quiesced (default), keep-all or reset");

static char *kdump_keep;
module_param(kdump_keep, charp, 0444);
MODULE_PARM_DESC(kdump_keep,
		 "kdump only: quiesced devices, [SSSS:]BB:DD.F or sid:N[@ADDR]");

/* Largest linear stream table that is copied: 64K STEs, 4MB */
#define ARM_SMMU_KDUMP_MAX_LINEAR_LOG2	16
/* Largest linear CD table that is walked, as the driver itself allocates */
#define ARM_SMMU_KDUMP_MAX_LINEAR_CDMAX	CTXDESC_LINEAR_CDMAX
/* Marks an ASID reserved by a kdump kernel in arm_smmu_asid_xa */
#define ARM_SMMU_KDUMP_ASID_MARK	xa_mk_value(0)

/* Per-SMMU state of an SMMU whose configuration was inherited */
struct arm_smmu_kdump {
	struct arm_smmu_kdump_report	report;
	struct arm_smmu_kdump_table	table;
	enum arm_smmu_kdump_mode	mode;
	/* 2-level: the crashed kernel's L1 table, which stays live */
	u64				l1_phys;
	u32				nr_l1;
	/* Serialises report.words: probe and lazy L2 allocations */
	struct mutex			words_lock;
};

static const char * const arm_smmu_kdump_mode_names[] = {
	[ARM_SMMU_KDUMP_KEEP_QUIESCED]	= "keep-quiesced",
	[ARM_SMMU_KDUMP_KEEP_ALL]	= "keep-all",
	[ARM_SMMU_KDUMP_RESET]		= "reset",
};

static const char * const arm_smmu_kdump_err_str[ARM_SMMU_KDUMP_ERR_MAX] = {
	[ARM_SMMU_KDUMP_ERR_NONE]	= "no error",
	[ARM_SMMU_KDUMP_ERR_FMT]	=
		"stream table format not supported by the SMMU",
	[ARM_SMMU_KDUMP_ERR_LOG2SIZE]	= "stream table LOG2SIZE out of range",
	[ARM_SMMU_KDUMP_ERR_SPLIT]	= "unsupported stream table SPLIT",
	[ARM_SMMU_KDUMP_ERR_RES0]	=
		"reserved bits set in STRTAB_BASE/STRTAB_BASE_CFG",
	[ARM_SMMU_KDUMP_ERR_BASE_ALIGN]	= "misaligned stream table base",
	[ARM_SMMU_KDUMP_ERR_BASE_RANGE]	=
		"stream table outside the crashed kernel's memory",
	[ARM_SMMU_KDUMP_ERR_SIZE]	= "stream table too large to inherit",
	[ARM_SMMU_KDUMP_ERR_L1_SPAN]	= "invalid L1 descriptor span",
	[ARM_SMMU_KDUMP_ERR_L1_RES0]	= "reserved bits set in L1 descriptor",
	[ARM_SMMU_KDUMP_ERR_L2_ALIGN]	= "misaligned L2 stream table",
	[ARM_SMMU_KDUMP_ERR_L2_RANGE]	=
		"L2 stream table outside the crashed kernel's memory",
	[ARM_SMMU_KDUMP_ERR_L2_BUDGET]	= "too many L2 stream tables to copy",
	[ARM_SMMU_KDUMP_ERR_MAP]	=
		"cannot map the crashed kernel's stream table",
	[ARM_SMMU_KDUMP_ERR_NOMEM]	= "out of memory",
};

static const char *arm_smmu_kdump_reason_str(u8 reason)
{
	switch (reason) {
	case ARM_SMMU_KDUMP_KEPT_LISTED:
		return "kept (listed in kdump_keep)";
	case ARM_SMMU_KDUMP_KEPT_ALL:
		return "kept (keep-all)";
	case ARM_SMMU_KDUMP_ABORT_UNLISTED:
		return "aborted (not quiesced)";
	case ARM_SMMU_KDUMP_ABORT_BYPASS:
		return "aborted (bypass is never inherited)";
	case ARM_SMMU_KDUMP_ABORT_ILLEGAL:
		return "aborted (ILLEGAL STE)";
	case ARM_SMMU_KDUMP_ABORT_CD:
		return "aborted (bad CD table)";
	case ARM_SMMU_KDUMP_ABORT_TTB:
		return "aborted (translation table outside old memory)";
	case ARM_SMMU_KDUMP_ABORT_ID:
		return "aborted (ASID/VMID cannot be reserved)";
	case ARM_SMMU_KDUMP_ABORT_STALL:
		return "aborted (stalled faults would not be resumed)";
	case ARM_SMMU_KDUMP_ABORT_HTTU:
		return "aborted (SMMU updates the page tables)";
	}
	return "unknown";
}

static bool arm_smmu_kdump_reason_kept(u8 reason)
{
	return reason == ARM_SMMU_KDUMP_KEPT_LISTED ||
	       reason == ARM_SMMU_KDUMP_KEPT_ALL;
}

/* Policy parameters */

VISIBLE_IF_KUNIT
int arm_smmu_kdump_parse_mode(const char *str, enum arm_smmu_kdump_mode *mode)
{
	int ret;

	if (!str || !*str) {
		*mode = ARM_SMMU_KDUMP_KEEP_QUIESCED;
		return 0;
	}

	ret = match_string(arm_smmu_kdump_mode_names,
			   ARRAY_SIZE(arm_smmu_kdump_mode_names), str);
	if (ret < 0)
		return -EINVAL;
	*mode = ret;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_parse_mode);

/*
 * Parse up to @max_digits hex digits (or, with @dec, decimal digits) at *@s
 * into *@val. Fails on no digits and on overflow of a u64.
 */
static int arm_smmu_kdump_parse_num(const char **s, unsigned int max_digits,
				    bool dec, u64 *val)
{
	unsigned int n = 0;
	u64 v = 0;

	while (**s) {
		int d = dec ? (isdigit(**s) ? **s - '0' : -1) : hex_to_bin(**s);

		if (d < 0)
			break;
		if (++n > max_digits ||
		    check_mul_overflow(v, dec ? 10ULL : 16ULL, &v) ||
		    check_add_overflow(v, (u64)d, &v))
			return -EINVAL;
		(*s)++;
	}
	if (!n)
		return -EINVAL;
	*val = v;
	return 0;
}

static int arm_smmu_kdump_parse_sid(const char *s,
				    struct arm_smmu_kdump_keep *item)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	u64 val;

	if (hex)
		s += 2;
	if (arm_smmu_kdump_parse_num(&s, hex ? 8 : 10, !hex, &val) ||
	    val > U32_MAX)
		return -EINVAL;
	item->sid = val;
	item->type = ARM_SMMU_KDUMP_KEEP_SID;
	if (!*s)
		return 0;

	if (*s++ != '@')
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (arm_smmu_kdump_parse_num(&s, 16, false, &val) || *s)
		return -EINVAL;
	item->smmu_base = val;
	item->type = ARM_SMMU_KDUMP_KEEP_SID_AT;
	return 0;
}

/* [SSSS:]BB:DD.F, all hex, as the PCI core prints it */
static int arm_smmu_kdump_parse_pci(const char *s,
				    struct arm_smmu_kdump_keep *item)
{
	const char *p = strchr(s, ':');
	u64 seg = 0, bus, dev, fn;

	if (!p)
		return -EINVAL;
	if (strchr(p + 1, ':')) {
		if (arm_smmu_kdump_parse_num(&s, 4, false, &seg) || *s++ != ':')
			return -EINVAL;
	}
	if (arm_smmu_kdump_parse_num(&s, 2, false, &bus) || *s++ != ':' ||
	    arm_smmu_kdump_parse_num(&s, 2, false, &dev) || *s++ != '.' ||
	    arm_smmu_kdump_parse_num(&s, 1, false, &fn) || *s)
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;

	item->type = ARM_SMMU_KDUMP_KEEP_PCI;
	item->seg = seg;
	item->bus = bus;
	item->devfn = PCI_DEVFN(dev, fn);
	return 0;
}

/*
 * Parse arm_smmu_v3.kdump_keep: a comma-separated list of devices that the
 * crashed kernel quiesced. Any malformed item rejects the whole list.
 */
VISIBLE_IF_KUNIT
int arm_smmu_kdump_parse_keep(const char *str,
			      struct arm_smmu_kdump_keep **items,
			      unsigned int *nr)
{
	struct arm_smmu_kdump_keep *list;
	unsigned int n = 1, i = 0;
	char *buf, *cur, *tok;
	const char *c;
	int ret = 0;

	*items = NULL;
	*nr = 0;
	if (!str || !*str)
		return 0;

	for (c = str; *c; c++)
		n += *c == ',';

	list = kcalloc(n, sizeof(*list), GFP_KERNEL);
	buf = kstrdup(str, GFP_KERNEL);
	if (!list || !buf) {
		ret = -ENOMEM;
		goto out_free;
	}

	cur = buf;
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (!strncmp(tok, "sid:", 4))
			ret = arm_smmu_kdump_parse_sid(tok + 4, &list[i]);
		else
			ret = arm_smmu_kdump_parse_pci(tok, &list[i]);
		if (ret)
			goto out_free;
		i++;
	}

	*items = list;
	*nr = i;
	kfree(buf);
	return 0;

out_free:
	kfree(buf);
	kfree(list);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_parse_keep);

/* Capabilities and memory ranges */

VISIBLE_IF_KUNIT
void arm_smmu_kdump_get_caps(const struct arm_smmu_kdump_regs *regs,
			     struct arm_smmu_kdump_caps *caps)
{
	static const u8 oas_bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	u32 idr0 = regs->idr[0], idr1 = regs->idr[1], idr5 = regs->idr[5];
	u32 ttf = FIELD_GET(IDR0_TTF, idr0);

	memset(caps, 0, sizeof(*caps));
	caps->st_2lvl = FIELD_GET(IDR0_ST_LVL, idr0) == IDR0_ST_LVL_2LVL;
	caps->cd2l = idr0 & IDR0_CD2L;
	caps->s1 = idr0 & IDR0_S1P;
	caps->s2 = idr0 & IDR0_S2P;
	caps->ats = idr0 & IDR0_ATS;
	caps->hyp = idr0 & IDR0_HYP;
	caps->stall_model = FIELD_GET(IDR0_STALL_MODEL, idr0);
	caps->asid_bits = idr0 & IDR0_ASID16 ? 16 : 8;
	caps->vmid_bits = idr0 & IDR0_VMID16 ? 16 : 8;
	caps->tt_aa32 = ttf & 1;
	caps->tt_aa64 = ttf & 2;
	switch (FIELD_GET(IDR0_TTENDIAN, idr0)) {
	case IDR0_TTENDIAN_MIXED:
		caps->tt_le = true;
		caps->tt_be = true;
		break;
	case IDR0_TTENDIAN_LE:
		caps->tt_le = true;
		break;
	case IDR0_TTENDIAN_BE:
		caps->tt_be = true;
		break;
	}

	caps->sid_bits = FIELD_GET(IDR1_SIDSIZE, idr1);
	caps->ssid_bits = FIELD_GET(IDR1_SSIDSIZE, idr1);

	caps->gran4k = idr5 & IDR5_GRAN4K;
	caps->gran16k = idr5 & IDR5_GRAN16K;
	caps->gran64k = idr5 & IDR5_GRAN64K;
	caps->oas = oas_bits[FIELD_GET(IDR5_OAS, idr5)];
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_get_caps);

static bool arm_smmu_kdump_overlaps(const struct range *r, unsigned int nr,
				    u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (start <= r[i].end && r[i].start <= end)
			return true;
	return false;
}

/*
 * Is [@phys, @phys + @size) entirely memory of the crashed kernel, and none
 * of ours? The crashed kernel's ranges may be adjacent, so walk them until
 * the whole region is covered.
 */
VISIBLE_IF_KUNIT
bool arm_smmu_kdump_phys_ok(const struct arm_smmu_kdump_ctx *ctx, u64 phys,
			    u64 size)
{
	const struct range *r;
	u64 cur = phys, end;
	unsigned int i;

	if (!size || check_add_overflow(phys, size - 1, &end))
		return false;
	if (end >> ctx->caps.oas)
		return false;
	if (arm_smmu_kdump_overlaps(ctx->own_ram, ctx->nr_own_ram, phys, end))
		return false;

	for (;;) {
		for (i = 0, r = NULL; i < ctx->nr_old_ram && !r; i++)
			if (cur >= ctx->old_ram[i].start &&
			    cur <= ctx->old_ram[i].end)
				r = &ctx->old_ram[i];
		if (!r)
			return false;
		if (end <= r->end)
			return true;
		/* r->end < end, so this cannot wrap */
		cur = r->end + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_phys_ok);

static int arm_smmu_kdump_fail(struct arm_smmu_kdump_ctx *ctx,
			       enum arm_smmu_kdump_error err, u32 idx, u64 val)
{
	ctx->err = err;
	ctx->err_idx = idx;
	ctx->err_val = val;
	return err == ARM_SMMU_KDUMP_ERR_NOMEM ? -ENOMEM : -EINVAL;
}

/*
 * Validate STRTAB_BASE and STRTAB_BASE_CFG (IHI 0070 6.3.24 and 6.3.25)
 * against the SMMU and against what this driver can inherit, and record the
 * geometry of the old stream table in @ctx.
 */
VISIBLE_IF_KUNIT
int arm_smmu_kdump_check_regs(struct arm_smmu_kdump_ctx *ctx,
			      const struct arm_smmu_kdump_regs *regs)
{
	u32 cfg = regs->strtab_base_cfg;
	u32 fmt = FIELD_GET(STRTAB_BASE_CFG_FMT, cfg);
	u32 log2size = FIELD_GET(STRTAB_BASE_CFG_LOG2SIZE, cfg);
	u32 split = FIELD_GET(STRTAB_BASE_CFG_SPLIT, cfg);
	u64 base = regs->strtab_base & STRTAB_BASE_ADDR_MASK;
	u64 size, nr;

	if (regs->strtab_base & ~(STRTAB_BASE_RA | STRTAB_BASE_ADDR_MASK))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_RES0, 0,
					   regs->strtab_base);
	if (cfg & ~(STRTAB_BASE_CFG_FMT | STRTAB_BASE_CFG_SPLIT |
		    STRTAB_BASE_CFG_LOG2SIZE))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_RES0, 0,
					   cfg);
	if (log2size > ctx->caps.sid_bits)
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_LOG2SIZE,
					   ctx->caps.sid_bits, log2size);

	switch (fmt) {
	case STRTAB_BASE_CFG_FMT_LINEAR:
		if (log2size > ARM_SMMU_KDUMP_MAX_LINEAR_LOG2)
			return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_SIZE,
						   0, log2size);
		nr = 1ULL << log2size;
		size = nr * sizeof(struct arm_smmu_ste);
		break;
	case STRTAB_BASE_CFG_FMT_2LVL:
		if (!ctx->caps.st_2lvl)
			return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_FMT,
						   0, fmt);
		/*
		 * SPLIT may be 6, 8 or 10, but this driver indexes its L2
		 * tables with STRTAB_SPLIT. Like the VT-d copy code on an RTT
		 * mismatch, refuse anything else rather than translate.
		 */
		if (split != STRTAB_SPLIT)
			return arm_smmu_kdump_fail(ctx,
						   ARM_SMMU_KDUMP_ERR_SPLIT, 0,
						   split);
		if (log2size < split)
			return arm_smmu_kdump_fail(ctx,
						   ARM_SMMU_KDUMP_ERR_LOG2SIZE,
						   split, log2size);
		nr = 1ULL << (log2size - split);
		if (nr > STRTAB_MAX_L1_ENTRIES)
			return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_SIZE,
						   0, log2size);
		size = nr * sizeof(struct arm_smmu_strtab_l1);
		break;
	default:
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_FMT, 0, fmt);
	}

	/*
	 * The SMMU aligns the base down to the table size (linear) or to the
	 * larger of 64 bytes and the L1 table size (2-level). A misaligned
	 * base would make us copy a table the SMMU does not use.
	 */
	if (base & (max_t(u64, size, 64) - 1))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_BASE_ALIGN,
					   0, base);
	if (!arm_smmu_kdump_phys_ok(ctx, base, size))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_BASE_RANGE,
					   0, base);

	ctx->base = base;
	ctx->fmt = fmt;
	ctx->log2size = log2size;
	ctx->split = split;
	ctx->nr_ents = nr;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_check_regs);

/*
 * Check the fields of a valid, translating STE against the rules of IHI 0070
 * 5.2 that make it ILLEGAL on this SMMU. An ILLEGAL STE aborts with an event
 * on the SMMU anyway; it is not kept because it shows that the table cannot
 * be trusted. Inconsistent stage 2 T0SZ/SL0 combinations are left to the
 * SMMU's own check.
 */
VISIBLE_IF_KUNIT
enum arm_smmu_kdump_ste_err
arm_smmu_kdump_check_ste(const struct arm_smmu_kdump_caps *caps,
			 const struct arm_smmu_ste *ste)
{
	u64 q0 = le64_to_cpu(ste->data[0]);
	u64 q1 = le64_to_cpu(ste->data[1]);
	u64 q2 = le64_to_cpu(ste->data[2]);
	u64 q3 = le64_to_cpu(ste->data[3]);
	u32 cfg = FIELD_GET(STRTAB_STE_0_CFG, q0);
	bool s1 = cfg & BIT(0), s2 = cfg & BIT(1);
	u32 strw = FIELD_GET(STRTAB_STE_1_STRW, q1);
	u32 eats = FIELD_GET(STRTAB_STE_1_EATS, q1);

	if (cfg == STRTAB_STE_0_CFG_BYPASS)
		return ARM_SMMU_KDUMP_STE_OK;
	if (s1 && !caps->s1)
		return ARM_SMMU_KDUMP_STE_NO_S1;
	if (s2 && !caps->s2)
		return ARM_SMMU_KDUMP_STE_NO_S2;

	if (s1) {
		u32 cdmax = caps->ssid_bits ?
			    FIELD_GET(STRTAB_STE_0_S1CDMAX, q0) : 0;

		if (cdmax > caps->ssid_bits)
			return ARM_SMMU_KDUMP_STE_S1CDMAX;
		if (cdmax && FIELD_GET(STRTAB_STE_0_S1FMT, q0) && !caps->cd2l)
			return ARM_SMMU_KDUMP_STE_S1FMT;
		if ((q1 & STRTAB_STE_1_S1STALLD) && caps->stall_model)
			return ARM_SMMU_KDUMP_STE_S1STALLD;
		/* STRW is IGNORED when stage 2 translates */
		if (!s2 && ((strw & 1) ||
			    (strw == STRTAB_STE_1_STRW_EL2 && !caps->hyp)))
			return ARM_SMMU_KDUMP_STE_STRW;
		/* A stage 1 only S1ContextPtr is a PA */
		if (!s2 && (q0 & STRTAB_STE_0_S1CTXPTR_MASK) >> caps->oas)
			return ARM_SMMU_KDUMP_STE_ADDR;
	}

	/* EATS is IGNORED without ATS support */
	if (caps->ats) {
		if (eats == 2 && (cfg != STRTAB_STE_0_CFG_NESTED ||
				  (q2 & STRTAB_STE_2_S2S)))
			return ARM_SMMU_KDUMP_STE_EATS;
		if (eats == 1 && s2 && (q2 & STRTAB_STE_2_S2S))
			return ARM_SMMU_KDUMP_STE_EATS;
	}

	/* S2VMID tags NS-EL1 translations of either stage */
	if (caps->s2 && caps->vmid_bits == 8 &&
	    (s2 || strw == STRTAB_STE_1_STRW_NSEL1) &&
	    FIELD_GET(STRTAB_STE_2_S2VMID, q2) >> 8)
		return ARM_SMMU_KDUMP_STE_VMID;

	if (s2) {
		u64 vtcr = FIELD_GET(STRTAB_STE_2_VTCR, q2);
		bool aa64 = q2 & STRTAB_STE_2_S2AA64;

		if (aa64 ? !caps->tt_aa64 : !caps->tt_aa32)
			return ARM_SMMU_KDUMP_STE_S2AA64;
		if (aa64) {
			switch (FIELD_GET(STRTAB_STE_2_VTCR_S2TG, vtcr)) {
			case 0:
				if (!caps->gran4k)
					return ARM_SMMU_KDUMP_STE_S2TG;
				break;
			case 1:
				if (!caps->gran64k)
					return ARM_SMMU_KDUMP_STE_S2TG;
				break;
			case 2:
				if (!caps->gran16k)
					return ARM_SMMU_KDUMP_STE_S2TG;
				break;
			default:
				return ARM_SMMU_KDUMP_STE_S2TG;
			}
		}
		if (q2 & STRTAB_STE_2_S2ENDI ? !caps->tt_be : !caps->tt_le)
			return ARM_SMMU_KDUMP_STE_S2ENDI;
		if ((q3 & STRTAB_STE_3_S2TTB_MASK) >> caps->oas)
			return ARM_SMMU_KDUMP_STE_ADDR;
	}

	return ARM_SMMU_KDUMP_STE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_check_ste);

/*
 * Does this STE let transactions without a substream through untranslated?
 * Stage 1 only with S1DSS=bypass does (IHI 0070 5.2, S1DSS). A kept bypass
 * STE would let a device write anywhere, the crash kernel included.
 */
static bool arm_smmu_kdump_ste_bypasses(const struct arm_smmu_kdump_caps *caps,
					const struct arm_smmu_ste *ste)
{
	u64 q0 = le64_to_cpu(ste->data[0]);
	u64 q1 = le64_to_cpu(ste->data[1]);
	u32 cfg = FIELD_GET(STRTAB_STE_0_CFG, q0);

	if (cfg == STRTAB_STE_0_CFG_BYPASS)
		return true;
	return cfg == STRTAB_STE_0_CFG_S1_TRANS && caps->ssid_bits &&
	       FIELD_GET(STRTAB_STE_0_S1CDMAX, q0) &&
	       FIELD_GET(STRTAB_STE_1_S1DSS, q1) == STRTAB_STE_1_S1DSS_BYPASS;
}

/* ID reservation */

static int arm_smmu_kdump_reserve_asid(struct arm_smmu_kdump_ctx *ctx,
				       u32 asid)
{
	int ret;

	/* arm_smmu_asid_xa never hands out 0 */
	if (!asid || xa_load(&ctx->asids, asid))
		return 0;
	if (asid >> ctx->caps.asid_bits)
		return -ERANGE;

	ret = xa_insert(ctx->asid_xa, asid, ARM_SMMU_KDUMP_ASID_MARK,
			GFP_KERNEL);
	if (ret == -EBUSY &&
	    xa_load(ctx->asid_xa, asid) == ARM_SMMU_KDUMP_ASID_MARK)
		return 0;	/* reserved for another SMMU's kept STE */
	if (ret)
		return ret;

	ret = xa_err(xa_store(&ctx->asids, asid, xa_mk_value(asid),
			      GFP_KERNEL));
	if (ret)
		xa_erase(ctx->asid_xa, asid);
	return ret;
}

static int arm_smmu_kdump_reserve_vmid(struct arm_smmu_kdump_ctx *ctx,
				       u32 vmid)
{
	int ret;

	if (xa_load(&ctx->vmids, vmid))
		return 0;
	if (vmid >> ctx->caps.vmid_bits)
		return -ERANGE;

	ret = ida_alloc_range(ctx->vmid_ida, vmid, vmid, GFP_KERNEL);
	if (ret < 0)
		return ret;

	ret = xa_err(xa_store(&ctx->vmids, vmid, xa_mk_value(vmid),
			      GFP_KERNEL));
	if (ret)
		ida_free(ctx->vmid_ida, vmid);
	return ret;
}

/* Undo the reservations of a failed inheritance */
VISIBLE_IF_KUNIT
void arm_smmu_kdump_release_ids(struct arm_smmu_kdump_ctx *ctx)
{
	unsigned long id;
	void *entry;

	xa_for_each(&ctx->asids, id, entry)
		xa_erase(ctx->asid_xa, id);
	xa_for_each(&ctx->vmids, id, entry)
		ida_free(ctx->vmid_ida, id);
	xa_destroy(&ctx->asids);
	xa_destroy(&ctx->vmids);
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_release_ids);

/* Vetting the structures a kept STE points at */

/*
 * A translation table base must lie in the crashed kernel's memory. Only
 * the first 4KB are checked: the crash kernel's memory is 2MB aligned on
 * arm64 and root tables are aligned to their size, so a root table that
 * starts in old memory cannot reach into ours.
 */
static bool arm_smmu_kdump_ttb_ok(struct arm_smmu_kdump_ctx *ctx, u64 ttb)
{
	return arm_smmu_kdump_phys_ok(ctx, ALIGN_DOWN(ttb, SZ_4K), SZ_4K);
}

/* The translation table bases that a valid CD uses */
static bool arm_smmu_kdump_cd_ttbs_ok(struct arm_smmu_kdump_ctx *ctx,
				      const struct arm_smmu_cd *cd)
{
	u64 q0 = le64_to_cpu(READ_ONCE(cd->data[0]));
	u64 ttb0 = le64_to_cpu(READ_ONCE(cd->data[1])) & CTXDESC_CD_1_TTB0_MASK;
	u64 ttb1 = le64_to_cpu(READ_ONCE(cd->data[2])) & CTXDESC_CD_2_TTB1_MASK;

	if (!(q0 & CTXDESC_CD_0_TCR_EPD0) && !arm_smmu_kdump_ttb_ok(ctx, ttb0))
		return false;
	if (!(q0 & CTXDESC_CD_0_TCR_EPD1) && !arm_smmu_kdump_ttb_ok(ctx, ttb1))
		return false;
	return true;
}

/* Reserve the ASIDs of a block of CDs and vet what they point at */
static u8 arm_smmu_kdump_scan_cds(struct arm_smmu_kdump_ctx *ctx, u64 phys,
				  u32 nr, bool may_stall)
{
	size_t size = (size_t)nr * sizeof(struct arm_smmu_cd);
	struct arm_smmu_cd *cds;
	u8 reason = 0;
	u32 i;

	if (!arm_smmu_kdump_phys_ok(ctx, phys, size))
		return ARM_SMMU_KDUMP_ABORT_CD;
	cds = ctx->ops->map(ctx, phys, size);
	if (!cds)
		return ARM_SMMU_KDUMP_ABORT_CD;

	for (i = 0; i < nr && !reason; i++) {
		u64 q0 = le64_to_cpu(READ_ONCE(cds[i].data[0]));
		u32 asid = FIELD_GET(CTXDESC_CD_0_ASID, q0);

		if (!(q0 & CTXDESC_CD_0_V))
			continue;
		if (q0 & (CTXDESC_CD_0_TCR_HA | CTXDESC_CD_0_TCR_HD))
			reason = ARM_SMMU_KDUMP_ABORT_HTTU;
		else if (may_stall && (q0 & CTXDESC_CD_0_S))
			reason = ARM_SMMU_KDUMP_ABORT_STALL;
		else if (!arm_smmu_kdump_cd_ttbs_ok(ctx, &cds[i]))
			reason = ARM_SMMU_KDUMP_ABORT_TTB;
		else if (arm_smmu_kdump_reserve_asid(ctx, asid))
			reason = ARM_SMMU_KDUMP_ABORT_ID;
	}

	ctx->ops->unmap(ctx, cds);
	return reason;
}

/*
 * Walk the CD table of a stage 1 only STE (IHI 0070 5.2 S1Fmt, 5.3 L1CD),
 * bounds-checking it the way the SMMU would index it. Every valid CD's ASID
 * gets reserved: without knowing them all, a new domain could alias the TLB
 * entries of a kept device.
 */
static u8 arm_smmu_kdump_walk_cds(struct arm_smmu_kdump_ctx *ctx, u64 q0,
				  bool may_stall)
{
	u64 ptr = q0 & STRTAB_STE_0_S1CTXPTR_MASK;
	u32 cdmax = FIELD_GET(STRTAB_STE_0_S1CDMAX, q0);
	u32 l2_log2, nr_l1, per_l2, fmt, i;
	size_t l1_size, l2_size;
	__le64 *l1;
	u8 reason = 0;

	/* Without substreams, S1ContextPtr points at a single CD */
	if (!ctx->caps.ssid_bits)
		cdmax = 0;
	fmt = cdmax ? FIELD_GET(STRTAB_STE_0_S1FMT, q0) : 0;

	if (fmt == STRTAB_STE_0_S1FMT_LINEAR || fmt == 3) {
		/* 0b11 is reserved and behaves as linear */
		if (cdmax > ARM_SMMU_KDUMP_MAX_LINEAR_CDMAX)
			return ARM_SMMU_KDUMP_ABORT_CD;
		/* The table is aligned to its size */
		if (ptr & ((sizeof(struct arm_smmu_cd) << cdmax) - 1))
			return ARM_SMMU_KDUMP_ABORT_CD;
		return arm_smmu_kdump_scan_cds(ctx, ptr, 1U << cdmax,
					       may_stall);
	}

	/* 4KB leaf tables hold 64 CDs, 64KB ones 1024 */
	l2_log2 = fmt == STRTAB_STE_0_S1FMT_64K_L2 ? 10 : 6;
	l2_size = sizeof(struct arm_smmu_cd) << l2_log2;
	nr_l1 = cdmax > l2_log2 ? 1U << (cdmax - l2_log2) : 1;
	per_l2 = 1U << min(cdmax, l2_log2);
	l1_size = nr_l1 * sizeof(u64);
	if (ptr & (max_t(size_t, l1_size, 64) - 1) ||
	    !arm_smmu_kdump_phys_ok(ctx, ptr, l1_size))
		return ARM_SMMU_KDUMP_ABORT_CD;

	l1 = ctx->ops->map(ctx, ptr, l1_size);
	if (!l1)
		return ARM_SMMU_KDUMP_ABORT_CD;

	for (i = 0; i < nr_l1 && !reason; i++) {
		u64 desc = le64_to_cpu(READ_ONCE(l1[i]));
		u64 l2 = desc & CTXDESC_L1_DESC_L2PTR_MASK;

		if (!(desc & CTXDESC_L1_DESC_V))
			continue;
		/* Reserved bits, or a leaf table not aligned to its size */
		if ((desc & ~CTXDESC_L1_DESC_V & ~CTXDESC_L1_DESC_L2PTR_MASK) ||
		    (l2 & (l2_size - 1)))
			reason = ARM_SMMU_KDUMP_ABORT_CD;
		else
			reason = arm_smmu_kdump_scan_cds(ctx, l2, per_l2,
							 may_stall);
	}

	ctx->ops->unmap(ctx, l1);
	return reason;
}

/*
 * An STE that policy would keep is kept only if everything it points at
 * checks out and its ASIDs/VMIDs could be reserved. Return 0 to keep it, or
 * the reason to abort it.
 *
 * Two more things rule out keeping an STE. A stalled fault of a kept device
 * would never be resumed: this kernel only handles stalls for devices it
 * set up for them. And with hardware updates of the Access and Dirty flags,
 * the SMMU would write to the crashed kernel's page tables, which the dump
 * must show as they were.
 */
static u8 arm_smmu_kdump_vet(struct arm_smmu_kdump_ctx *ctx,
			     const struct arm_smmu_ste *ste)
{
	u64 q0 = le64_to_cpu(ste->data[0]);
	u64 q1 = le64_to_cpu(ste->data[1]);
	u64 q2 = le64_to_cpu(ste->data[2]);
	u64 q3 = le64_to_cpu(ste->data[3]);
	u32 cfg = FIELD_GET(STRTAB_STE_0_CFG, q0);
	u32 vmid = FIELD_GET(STRTAB_STE_2_S2VMID, q2);
	u8 model = ctx->caps.stall_model;
	bool may_stall;
	u8 reason;

	/* IHI 0070 6.3.1: STALL_MODEL 0b01 never stalls, 0b10 always may */
	if (model == IDR0_STALL_MODEL_FORCE)
		return ARM_SMMU_KDUMP_ABORT_STALL;
	may_stall = model == IDR0_STALL_MODEL_STALL;

	if (cfg & BIT(1)) {
		if (may_stall && (q2 & STRTAB_STE_2_S2S))
			return ARM_SMMU_KDUMP_ABORT_STALL;
		if (q2 & (STRTAB_STE_2_S2HA | STRTAB_STE_2_S2HD))
			return ARM_SMMU_KDUMP_ABORT_HTTU;
	}

	/* Stage 1 CDs may ask for stalls unless S1STALLD forbids it */
	may_stall &= !(q1 & STRTAB_STE_1_S1STALLD);

	/*
	 * A nested STE's CD table lives in IPA space and is not read here; its
	 * ASIDs are tagged with the VMID, so reserving the VMID is enough.
	 */
	if (cfg == STRTAB_STE_0_CFG_NESTED && may_stall)
		return ARM_SMMU_KDUMP_ABORT_STALL;
	if (cfg == STRTAB_STE_0_CFG_S1_TRANS) {
		reason = arm_smmu_kdump_walk_cds(ctx, q0, may_stall);
		if (reason)
			return reason;
	}

	if (cfg & BIT(1)) {
		if (!arm_smmu_kdump_ttb_ok(ctx, q3 & STRTAB_STE_3_S2TTB_MASK))
			return ARM_SMMU_KDUMP_ABORT_TTB;
		/* VMID 0 tags this driver's stage 1 STEs */
		if (!vmid || arm_smmu_kdump_reserve_vmid(ctx, vmid))
			return ARM_SMMU_KDUMP_ABORT_ID;
	} else if (ctx->caps.s2 && vmid && FIELD_GET(STRTAB_STE_1_STRW, q1) ==
					   STRTAB_STE_1_STRW_NSEL1) {
		/* NS-EL1 stage 1 translations are tagged with S2VMID too */
		if (arm_smmu_kdump_reserve_vmid(ctx, vmid))
			return ARM_SMMU_KDUMP_ABORT_ID;
	}
	return 0;
}

/* Copy and policy */

static bool arm_smmu_kdump_listed(const struct arm_smmu_kdump_ctx *ctx,
				  u32 sid)
{
	unsigned int lo = 0, hi = ctx->nr_keep;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (ctx->keep[mid] == sid)
			return true;
		if (ctx->keep[mid] < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int arm_smmu_kdump_record_sid(struct arm_smmu_kdump_ctx *ctx,
				     const struct arm_smmu_kdump_sid *rec)
{
	struct arm_smmu_kdump_report *report = ctx->report;

	if (report->nr_sids == report->max_sids) {
		u32 max = max(64U, report->max_sids * 2);
		struct arm_smmu_kdump_sid *sids;

		sids = krealloc_array(report->sids, max, sizeof(*sids),
				      GFP_KERNEL);
		if (!sids)
			return -ENOMEM;
		report->sids = sids;
		report->max_sids = max;
	}

	report->sids[report->nr_sids++] = *rec;
	if (arm_smmu_kdump_reason_kept(rec->reason))
		report->nr_kept++;
	else
		report->nr_aborted++;

	dev_dbg(ctx->dev, "kdump: SID %#x config %u: %s\n", rec->sid, rec->cfg,
		arm_smmu_kdump_reason_str(rec->reason));
	return 0;
}

/*
 * Decide what replaces one STE of the crashed kernel: a verbatim copy if it
 * is kept, an abort STE otherwise. Only valid translating or bypassing STEs
 * get a record; invalid and aborting ones gave the device no DMA.
 */
static int arm_smmu_kdump_copy_ste(struct arm_smmu_kdump_ctx *ctx, u32 sid,
				   const struct arm_smmu_ste *old,
				   struct arm_smmu_ste *new)
{
	struct arm_smmu_kdump_sid rec = { .sid = sid };
	struct arm_smmu_ste ste;
	unsigned int i;
	u64 q0, q1;
	u32 cfg;

	for (i = 0; i < ARRAY_SIZE(ste.data); i++)
		ste.data[i] = READ_ONCE(old->data[i]);
	q0 = le64_to_cpu(ste.data[0]);
	q1 = le64_to_cpu(ste.data[1]);
	cfg = FIELD_GET(STRTAB_STE_0_CFG, q0);

	arm_smmu_make_abort_ste(new);
	/* Config 0b0xx aborts (0b001-0b011 are reserved and behave as 0) */
	if (!(q0 & STRTAB_STE_0_V) || !(cfg & BIT(2)))
		return 0;

	rec.cfg = cfg;
	if (ctx->caps.ats && FIELD_GET(STRTAB_STE_1_EATS, q1))
		rec.flags |= ARM_SMMU_KDUMP_SID_ATS;

	if (arm_smmu_kdump_ste_bypasses(&ctx->caps, &ste)) {
		rec.reason = ARM_SMMU_KDUMP_ABORT_BYPASS;
	} else {
		rec.detail = arm_smmu_kdump_check_ste(&ctx->caps, &ste);
		if (rec.detail)
			rec.reason = ARM_SMMU_KDUMP_ABORT_ILLEGAL;
		else if (ctx->mode == ARM_SMMU_KDUMP_KEEP_ALL)
			rec.reason = ARM_SMMU_KDUMP_KEPT_ALL;
		else if (arm_smmu_kdump_listed(ctx, sid))
			rec.reason = ARM_SMMU_KDUMP_KEPT_LISTED;
		else
			rec.reason = ARM_SMMU_KDUMP_ABORT_UNLISTED;
	}

	if (arm_smmu_kdump_reason_kept(rec.reason)) {
		u8 reason = arm_smmu_kdump_vet(ctx, &ste);

		if (reason)
			rec.reason = reason;
		else
			*new = ste;
	}

	return arm_smmu_kdump_record_sid(ctx, &rec);
}

/*
 * Build @nr_new STEs for StreamIDs starting at @sid from @nr_old STEs of the
 * crashed kernel. @new is not live yet, so plain stores are fine.
 */
static int arm_smmu_kdump_copy_stes(struct arm_smmu_kdump_ctx *ctx, u32 sid,
				    const struct arm_smmu_ste *old, u32 nr_old,
				    struct arm_smmu_ste *new, u32 nr_new)
{
	u32 i;
	int ret;

	for (i = 0; i < nr_new; i++) {
		if (i >= nr_old) {
			arm_smmu_make_abort_ste(&new[i]);
			continue;
		}
		ret = arm_smmu_kdump_copy_ste(ctx, sid + i, &old[i], &new[i]);
		if (ret)
			return arm_smmu_kdump_fail(ctx,
						   ARM_SMMU_KDUMP_ERR_NOMEM,
						   sid + i, 0);
	}
	return 0;
}

/* Does an L2 table need replacing, i.e. can any of its STEs pass traffic? */
static bool arm_smmu_kdump_l2_live(const struct arm_smmu_ste *stes, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		u64 q0 = le64_to_cpu(READ_ONCE(stes[i].data[0]));

		if ((q0 & STRTAB_STE_0_V) &&
		    (FIELD_GET(STRTAB_STE_0_CFG, q0) & BIT(2)))
			return true;
	}
	return false;
}

/* IHI 0070 5.1: L1STD */
static int arm_smmu_kdump_check_l1_desc(struct arm_smmu_kdump_ctx *ctx,
					u32 idx, u64 desc)
{
	u32 span = FIELD_GET(STRTAB_L1_DESC_SPAN, desc);
	u64 l2 = desc & STRTAB_L1_DESC_L2PTR_MASK;
	u64 size;

	if (!span)
		return 0;
	/* Spans above SPLIT + 1 make the whole range invalid: not Linux's */
	if (span > ctx->split + 1)
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_L1_SPAN,
					   idx, desc);
	if (desc & ~(STRTAB_L1_DESC_SPAN | STRTAB_L1_DESC_L2PTR_MASK))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_L1_RES0,
					   idx, desc);
	/* The SMMU aligns L2Ptr down to the size of the L2 array */
	size = sizeof(struct arm_smmu_ste) << (span - 1);
	if (l2 & (size - 1))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_L2_ALIGN,
					   idx, desc);
	if (!arm_smmu_kdump_phys_ok(ctx, l2, size))
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_L2_RANGE,
					   idx, desc);
	return 0;
}

static int arm_smmu_kdump_build_linear(struct arm_smmu_kdump_ctx *ctx,
				       struct arm_smmu_kdump_table *table)
{
	size_t size = (size_t)ctx->nr_ents * sizeof(struct arm_smmu_ste);
	struct arm_smmu_ste *old;
	int ret;

	old = ctx->ops->map(ctx, ctx->base, size);
	if (!old)
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_MAP, 0,
					   ctx->base);

	table->linear = ctx->ops->alloc(ctx, size, &table->linear_dma);
	if (!table->linear) {
		ret = arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_NOMEM, 0,
					  size);
		goto out_unmap;
	}

	ret = arm_smmu_kdump_copy_stes(ctx, 0, old, ctx->nr_ents,
				       table->linear, ctx->nr_ents);
	table->nr_ents = ctx->nr_ents;
out_unmap:
	ctx->ops->unmap(ctx, old);
	return ret;
}

static int arm_smmu_kdump_build_2lvl(struct arm_smmu_kdump_ctx *ctx,
				     struct arm_smmu_kdump_table *table)
{
	u32 nr_l1 = ctx->nr_ents, idx;
	int ret;

	table->l1tab = ctx->ops->map(ctx, ctx->base,
				     nr_l1 * sizeof(struct arm_smmu_strtab_l1));
	if (!table->l1tab)
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_MAP, 0,
					   ctx->base);
	table->nr_ents = nr_l1;

	table->l2ptrs = kcalloc(nr_l1, sizeof(*table->l2ptrs), GFP_KERNEL);
	table->l2s = kcalloc(min(nr_l1, ctx->max_l2), sizeof(*table->l2s),
			     GFP_KERNEL);
	if (!table->l2ptrs || !table->l2s)
		return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_NOMEM, 0, 0);

	/* Refuse a corrupt table before deciding anything */
	for (idx = 0; idx < nr_l1; idx++) {
		u64 desc = le64_to_cpu(READ_ONCE(table->l1tab[idx].l2ptr));

		ret = arm_smmu_kdump_check_l1_desc(ctx, idx, desc);
		if (ret)
			return ret;
	}

	for (idx = 0; idx < nr_l1; idx++) {
		u64 desc = le64_to_cpu(READ_ONCE(table->l1tab[idx].l2ptr));
		u32 span = FIELD_GET(STRTAB_L1_DESC_SPAN, desc);
		struct arm_smmu_strtab_l2 *new;
		struct arm_smmu_ste *old;
		u32 nr = span ? 1U << (span - 1) : 0;
		dma_addr_t dma;

		if (!span)
			continue;

		old = ctx->ops->map(ctx, desc & STRTAB_L1_DESC_L2PTR_MASK,
				    nr * sizeof(*old));
		if (!old)
			return arm_smmu_kdump_fail(ctx, ARM_SMMU_KDUMP_ERR_MAP,
						   idx, desc);

		/*
		 * An L2 table in which every STE aborts stays where it is; the
		 * driver gives the span an L2 table of its own when a device
		 * appears there (see arm_smmu_kdump_l1_desc_update()).
		 */
		if (!arm_smmu_kdump_l2_live(old, nr)) {
			ctx->ops->unmap(ctx, old);
			continue;
		}

		if (table->nr_l2s == ctx->max_l2) {
			ctx->ops->unmap(ctx, old);
			return arm_smmu_kdump_fail(ctx,
						   ARM_SMMU_KDUMP_ERR_L2_BUDGET,
						   idx, ctx->max_l2);
		}

		new = ctx->ops->alloc(ctx, sizeof(*new), &dma);
		if (!new) {
			ctx->ops->unmap(ctx, old);
			return arm_smmu_kdump_fail(ctx,
						   ARM_SMMU_KDUMP_ERR_NOMEM,
						   idx, sizeof(*new));
		}

		ret = arm_smmu_kdump_copy_stes(ctx, idx << ctx->split, old, nr,
					       new->stes, STRTAB_NUM_L2_STES);
		ctx->ops->unmap(ctx, old);
		if (ret)
			return ret;

		table->l2ptrs[idx] = new;
		table->l2s[table->nr_l2s].idx = idx;
		table->l2s[table->nr_l2s].dma = dma;
		table->nr_l2s++;
	}
	return 0;
}

/*
 * Build the crash kernel's stream table from the crashed kernel's, whose
 * geometry arm_smmu_kdump_check_regs() has validated. On failure, the caller
 * frees @table and releases the reserved IDs.
 */
VISIBLE_IF_KUNIT
int arm_smmu_kdump_build(struct arm_smmu_kdump_ctx *ctx,
			 struct arm_smmu_kdump_table *table)
{
	memset(table, 0, sizeof(*table));
	if (ctx->fmt == STRTAB_BASE_CFG_FMT_LINEAR)
		return arm_smmu_kdump_build_linear(ctx, table);
	return arm_smmu_kdump_build_2lvl(ctx, table);
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_build);

/* Free what arm_smmu_kdump_build() allocated, except the STE memory */
VISIBLE_IF_KUNIT
void arm_smmu_kdump_table_free(struct arm_smmu_kdump_ctx *ctx,
			       struct arm_smmu_kdump_table *table)
{
	if (table->l1tab)
		ctx->ops->unmap(ctx, table->l1tab);
	kfree(table->l2ptrs);
	kfree(table->l2s);
	memset(table, 0, sizeof(*table));
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_table_free);

VISIBLE_IF_KUNIT
void arm_smmu_kdump_report_free(struct arm_smmu_kdump_report *report)
{
	kfree(report->sids);
	kvfree(report->words);
	report->sids = NULL;
	report->words = NULL;
	report->nr_sids = 0;
	report->max_sids = 0;
	report->nr_words = 0;
	report->max_words = 0;
	report->nr_kept = 0;
	report->nr_aborted = 0;
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_report_free);

static int arm_smmu_kdump_cmp_sid(const void *key, const void *elt)
{
	u32 sid = *(const u32 *)key;
	const struct arm_smmu_kdump_sid *rec = elt;

	if (sid < rec->sid)
		return -1;
	return sid > rec->sid;
}

/* The records are made in StreamID order, so they are sorted */
VISIBLE_IF_KUNIT
const struct arm_smmu_kdump_sid *
arm_smmu_kdump_find_sid(const struct arm_smmu_kdump_report *report, u32 sid)
{
	return bsearch(&sid, report->sids, report->nr_sids,
		       sizeof(*report->sids), arm_smmu_kdump_cmp_sid);
}
EXPORT_SYMBOL_IF_KUNIT(arm_smmu_kdump_find_sid);

/* The real environment of the build: old memory, our memory, the DT */

static void *arm_smmu_kdump_memremap(struct arm_smmu_kdump_ctx *ctx, u64 phys,
				     size_t size)
{
	/*
	 * The crashed kernel's memory is not in our linear map; this maps it
	 * cacheable, which is only right for a coherent SMMU.
	 */
	return memremap(phys, size, MEMREMAP_WB);
}

static void arm_smmu_kdump_memunmap(struct arm_smmu_kdump_ctx *ctx, void *va)
{
	memunmap(va);
}

static void *arm_smmu_kdump_dma_alloc(struct arm_smmu_kdump_ctx *ctx,
				      size_t size, dma_addr_t *dma)
{
	return dmam_alloc_coherent(ctx->dev, size, dma, GFP_KERNEL);
}

static const struct arm_smmu_kdump_mem_ops arm_smmu_kdump_mem_ops = {
	.map	= arm_smmu_kdump_memremap,
	.unmap	= arm_smmu_kdump_memunmap,
	.alloc	= arm_smmu_kdump_dma_alloc,
};

struct arm_smmu_kdump_ranges {
	struct range	*r;
	unsigned int	nr;
	unsigned int	max;
};

static int arm_smmu_kdump_add_range(struct arm_smmu_kdump_ranges *rs,
				    u64 start, u64 end)
{
	if (rs->nr == rs->max) {
		unsigned int max = max(16U, rs->max * 2);
		struct range *r;

		r = krealloc_array(rs->r, max, sizeof(*r), GFP_KERNEL);
		if (!r)
			return -ENOMEM;
		rs->r = r;
		rs->max = max;
	}
	rs->r[rs->nr].start = start;
	rs->r[rs->nr].end = end;
	rs->nr++;
	return 0;
}

static int arm_smmu_kdump_old_range(u64 start, u64 size, void *arg)
{
	if (!size)
		return 0;
	return arm_smmu_kdump_add_range(arg, start, start + size - 1);
}

static int arm_smmu_kdump_own_range(struct resource *res, void *arg)
{
	return arm_smmu_kdump_add_range(arg, res->start, res->end);
}

/*
 * Resolve a PCI function to its StreamID on this SMMU through the "iommu-map"
 * of its host bridge (Documentation/devicetree/bindings/pci/pci-iommu.txt).
 * The requester ID is the one the crashed kernel's enumeration gave it, as
 * named by the administrator.
 */
static int arm_smmu_kdump_pci_to_sid(struct arm_smmu_device *smmu,
				     const struct arm_smmu_kdump_keep *item,
				     u32 *sid)
{
	struct device_node *np, *smmu_np = smmu->dev->of_node;
	unsigned int nr_hosts = 0;

	if (!smmu_np)
		return -ENODEV;

	for_each_node_with_property(np, "iommu-map")
		nr_hosts += of_node_is_type(np, "pci");

	for_each_node_with_property(np, "iommu-map") {
		struct device_node *target = NULL;
		u32 domain, bus_range[2];
		bool match;

		if (!of_node_is_type(np, "pci"))
			continue;
		/* Without linux,pci-domain, only a lone host bridge is 0 */
		if (of_property_read_u32(np, "linux,pci-domain", &domain)) {
			if (nr_hosts > 1)
				continue;
			domain = 0;
		}
		if (domain != item->seg)
			continue;
		if (!of_property_read_u32_array(np, "bus-range", bus_range,
						ARRAY_SIZE(bus_range)) &&
		    (item->bus < bus_range[0] || item->bus > bus_range[1]))
			continue;

		if (of_map_id(np, PCI_DEVID(item->bus, item->devfn),
			      "iommu-map", "iommu-map-mask", &target, sid))
			continue;
		match = target == smmu_np;
		of_node_put(target);
		if (match) {
			of_node_put(np);
			return 0;
		}
	}
	return -ENODEV;
}

static int arm_smmu_kdump_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The sorted StreamIDs of this SMMU named by arm_smmu_v3.kdump_keep */
static int arm_smmu_kdump_keep_sids(struct arm_smmu_device *smmu,
				    u32 **sidsp, unsigned int *nrp)
{
	struct platform_device *pdev = to_platform_device(smmu->dev);
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	struct arm_smmu_kdump_keep *items;
	unsigned int nr_items, i, nr = 0;
	u32 *sids;
	int ret;

	ret = arm_smmu_kdump_parse_keep(kdump_keep, &items, &nr_items);
	if (ret == -EINVAL)
		dev_warn(smmu->dev,
			 "kdump: cannot parse arm_smmu_v3.kdump_keep=%s; falling back to a full reset\n",
			 kdump_keep);
	if (ret)
		return ret;

	sids = kcalloc(max(nr_items, 1U), sizeof(*sids), GFP_KERNEL);
	if (!sids) {
		kfree(items);
		return -ENOMEM;
	}

	for (i = 0; i < nr_items; i++) {
		const struct arm_smmu_kdump_keep *item = &items[i];

		switch (item->type) {
		case ARM_SMMU_KDUMP_KEEP_SID_AT:
			if (!res || item->smmu_base != res->start)
				break;
			fallthrough;
		case ARM_SMMU_KDUMP_KEEP_SID:
			sids[nr++] = item->sid;
			break;
		case ARM_SMMU_KDUMP_KEEP_PCI:
			if (!smmu->dev->of_node) {
				dev_warn_once(smmu->dev,
					      "kdump: PCI devices in kdump_keep need a device tree; use sid:N\n");
				break;
			}
			if (!arm_smmu_kdump_pci_to_sid(smmu, item, &sids[nr])) {
				dev_dbg(smmu->dev,
					"kdump: %04x:%02x:%02x.%d is SID %#x\n",
					item->seg, item->bus,
					PCI_SLOT(item->devfn),
					PCI_FUNC(item->devfn), sids[nr]);
				nr++;
			}
			break;
		}
	}
	kfree(items);

	sort(sids, nr, sizeof(*sids), arm_smmu_kdump_cmp_u32, NULL);
	*sidsp = sids;
	*nrp = nr;
	return 0;
}

static void arm_smmu_kdump_snapshot(struct arm_smmu_device *smmu,
				    struct arm_smmu_kdump_regs *regs)
{
	void __iomem *base = smmu->base, *page1 = smmu->page1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs->idr); i++)
		regs->idr[i] = readl_relaxed(base + ARM_SMMU_IDR0 + 4 * i);
	regs->iidr = readl_relaxed(base + ARM_SMMU_IIDR);
	regs->aidr = readl_relaxed(base + ARM_SMMU_AIDR);
	regs->cr0 = readl_relaxed(base + ARM_SMMU_CR0);
	regs->cr0ack = readl_relaxed(base + ARM_SMMU_CR0ACK);
	regs->cr1 = readl_relaxed(base + ARM_SMMU_CR1);
	regs->cr2 = readl_relaxed(base + ARM_SMMU_CR2);
	regs->gbpa = readl_relaxed(base + ARM_SMMU_GBPA);
	regs->irq_ctrl = readl_relaxed(base + ARM_SMMU_IRQ_CTRL);
	regs->gerror = readl_relaxed(base + ARM_SMMU_GERROR);
	regs->gerrorn = readl_relaxed(base + ARM_SMMU_GERRORN);
	regs->strtab_base = readq_relaxed(base + ARM_SMMU_STRTAB_BASE);
	regs->strtab_base_cfg = readl_relaxed(base + ARM_SMMU_STRTAB_BASE_CFG);
	regs->cmdq_base = readq_relaxed(base + ARM_SMMU_CMDQ_BASE);
	regs->cmdq_prod = readl_relaxed(base + ARM_SMMU_CMDQ_PROD);
	regs->cmdq_cons = readl_relaxed(base + ARM_SMMU_CMDQ_CONS);
	regs->evtq_base = readq_relaxed(base + ARM_SMMU_EVTQ_BASE);
	regs->evtq_prod = readl_relaxed(page1 + ARM_SMMU_EVTQ_PROD);
	regs->evtq_cons = readl_relaxed(page1 + ARM_SMMU_EVTQ_CONS);
	regs->priq_base = readq_relaxed(base + ARM_SMMU_PRIQ_BASE);
	regs->priq_prod = readl_relaxed(page1 + ARM_SMMU_PRIQ_PROD);
	regs->priq_cons = readl_relaxed(page1 + ARM_SMMU_PRIQ_CONS);
}

/* CR1 as arm_smmu_device_reset() programs it for a coherent SMMU */
static u32 arm_smmu_kdump_expected_cr1(void)
{
	return FIELD_PREP(CR1_TABLE_SH, ARM_SMMU_SH_ISH) |
	       FIELD_PREP(CR1_TABLE_OC, CR1_CACHE_WB) |
	       FIELD_PREP(CR1_TABLE_IC, CR1_CACHE_WB) |
	       FIELD_PREP(CR1_QUEUE_SH, ARM_SMMU_SH_ISH) |
	       FIELD_PREP(CR1_QUEUE_OC, CR1_CACHE_WB) |
	       FIELD_PREP(CR1_QUEUE_IC, CR1_CACHE_WB);
}

/*
 * Reasons not to touch the old configuration at all. CR1 and CR2 cannot be
 * changed while SMMUEN is set, so they must already describe what this
 * kernel needs: cacheable, inner shareable tables and queues (our memory is
 * coherent), and the same E2H as our STEs and TLB invalidations assume.
 */
static int arm_smmu_kdump_check_state(struct arm_smmu_device *smmu,
				      const struct arm_smmu_kdump_regs *regs)
{
	const char *why;
	u32 val;

	if (!(smmu->features & ARM_SMMU_FEAT_COHERENCY)) {
		/*
		 * Copying tables that a non-coherent SMMU reads needs cache
		 * maintenance on both the crashed kernel's memory and ours;
		 * none is done here.
		 */
		dev_warn(smmu->dev,
			 "kdump: SMMU is not cache coherent; falling back to a full reset\n");
		return -EOPNOTSUPP;
	}
	if (smmu->impl_ops) {
		/* e.g. the queues of a Tegra241 CMDQV are not handled here */
		dev_warn(smmu->dev,
			 "kdump: implementation-specific SMMU; falling back to a full reset\n");
		return -EOPNOTSUPP;
	}

	if (regs->cr0 != regs->cr0ack) {
		why = "CR0 update in progress";
		val = regs->cr0ack;
	} else if ((regs->gerror ^ regs->gerrorn) & GERROR_SFM_ERR) {
		why = "SMMU in service failure mode";
		val = regs->gerror;
	} else if (regs->cr1 != arm_smmu_kdump_expected_cr1()) {
		why = "unexpected table and queue attributes in CR1";
		val = regs->cr1;
	} else if (!(regs->cr2 & CR2_E2H) !=
		   !(smmu->features & ARM_SMMU_FEAT_E2H)) {
		why = "CR2.E2H differs from this kernel's";
		val = regs->cr2;
	} else {
		return 0;
	}

	dev_warn(smmu->dev, "kdump: %s (%#x); falling back to a full reset\n",
		 why, val);
	return -EINVAL;
}

static void arm_smmu_kdump_teardown(void *data)
{
	struct arm_smmu_kdump *kd = data;

	if (kd->table.l1tab)
		memunmap(kd->table.l1tab);
	kfree(kd->table.l2ptrs);
	kfree(kd->table.l2s);
	arm_smmu_kdump_report_free(&kd->report);
}

/*
 * Build the inherited stream table for @smmu. Returns 0 with the table in
 * @kd->table, or an error after one message saying what was wrong.
 */
static int arm_smmu_kdump_prepare(struct arm_smmu_device *smmu,
				  struct arm_smmu_kdump *kd)
{
	struct arm_smmu_kdump_regs *regs = &kd->report.regs;
	struct arm_smmu_kdump_ranges old = {}, own = {};
	struct arm_smmu_kdump_ctx ctx = {
		.dev		= smmu->dev,
		.ops		= &arm_smmu_kdump_mem_ops,
		.mode		= kd->mode,
		.asid_xa	= &arm_smmu_asid_xa,
		.vmid_ida	= &smmu->vmid_map,
		.report		= &kd->report,
	};
	u32 *keep = NULL;
	int ret;

	ret = arm_smmu_kdump_check_state(smmu, regs);
	if (ret)
		return ret;

	if (kd->mode == ARM_SMMU_KDUMP_KEEP_QUIESCED) {
		ret = arm_smmu_kdump_keep_sids(smmu, &keep, &ctx.nr_keep);
		if (ret)
			return ret;
		ctx.keep = keep;
	}

	ret = vmcore_walk_oldmem(arm_smmu_kdump_old_range, &old);
	if (!ret)
		ret = walk_iomem_res_desc(IORES_DESC_NONE,
					  IORESOURCE_SYSTEM_RAM |
					  IORESOURCE_BUSY, 0, U64_MAX, &own,
					  arm_smmu_kdump_own_range);
	if (ret) {
		dev_warn(smmu->dev,
			 "kdump: crashed kernel's memory map unavailable (%pe); falling back to a full reset\n",
			 ERR_PTR(ret));
		goto out_free;
	}
	ctx.old_ram = old.r;
	ctx.nr_old_ram = old.nr;
	ctx.own_ram = own.r;
	ctx.nr_own_ram = own.nr;

	arm_smmu_kdump_get_caps(regs, &ctx.caps);
	/* Copies of L2 tables may use up to 1/8 of our memory */
	ctx.max_l2 = max(1UL, (totalram_pages() << PAGE_SHIFT) / 8 /
			      sizeof(struct arm_smmu_strtab_l2));
	xa_init(&ctx.asids);
	xa_init(&ctx.vmids);

	ret = arm_smmu_kdump_check_regs(&ctx, regs);
	if (!ret && ctx.fmt == STRTAB_BASE_CFG_FMT_2LVL) {
		/* At most one word per L1 descriptor is ever written */
		kd->report.words = kvcalloc(ctx.nr_ents,
					    sizeof(*kd->report.words),
					    GFP_KERNEL);
		kd->report.max_words = ctx.nr_ents;
		if (!kd->report.words)
			ret = arm_smmu_kdump_fail(&ctx,
						  ARM_SMMU_KDUMP_ERR_NOMEM, 0,
						  0);
	}
	if (!ret)
		ret = arm_smmu_kdump_build(&ctx, &kd->table);
	if (ret) {
		dev_warn(smmu->dev,
			 "kdump: %s (index %u, value %#llx); falling back to a full reset\n",
			 arm_smmu_kdump_err_str[ctx.err], ctx.err_idx,
			 ctx.err_val);
		arm_smmu_kdump_table_free(&ctx, &kd->table);
		arm_smmu_kdump_release_ids(&ctx);
		arm_smmu_kdump_report_free(&kd->report);
		goto out_free;
	}

	/* The reservations last as long as this kernel */
	xa_destroy(&ctx.asids);
	xa_destroy(&ctx.vmids);

	kd->report.fmt = ctx.fmt;
	kd->report.log2size = ctx.log2size;
	kd->report.split = ctx.split;
	kd->report.window_ns = -1;
	kd->l1_phys = ctx.base;
	kd->nr_l1 = ctx.nr_ents;

out_free:
	kfree(old.r);
	kfree(own.r);
	kfree(keep);
	return ret;
}

/* Hooks called from arm-smmu-v3.c */

/*
 * Called from arm_smmu_init_strtab(). In a kdump kernel that finds the SMMU
 * enabled, try to build the stream table from the crashed kernel's. Return
 * 0 if the driver's stream table is now the inherited one, an error to make
 * the driver initialise and reset the SMMU as usual.
 */
int arm_smmu_kdump_init_strtab(struct arm_smmu_device *smmu)
{
	struct arm_smmu_strtab_cfg *cfg = &smmu->strtab_cfg;
	enum arm_smmu_kdump_mode mode;
	struct arm_smmu_kdump *kd;
	void *group;
	int ret;

	if (!is_kdump_kernel() ||
	    !(readl_relaxed(smmu->base + ARM_SMMU_CR0) & CR0_SMMUEN))
		return -ENODEV;

	if (arm_smmu_kdump_parse_mode(kdump_mode, &mode)) {
		dev_warn(smmu->dev,
			 "kdump: unknown arm_smmu_v3.kdump_mode=%s; falling back to a full reset\n",
			 kdump_mode);
		return -EINVAL;
	}
	if (mode == ARM_SMMU_KDUMP_RESET) {
		dev_dbg(smmu->dev, "kdump: kdump_mode=reset\n");
		return -ENODEV;
	}

	group = devres_open_group(smmu->dev, NULL, GFP_KERNEL);
	if (!group)
		return -ENOMEM;

	kd = devm_kzalloc(smmu->dev, sizeof(*kd), GFP_KERNEL);
	if (!kd) {
		ret = -ENOMEM;
		goto err_release;
	}
	kd->mode = mode;
	kd->report.mode = mode;
	mutex_init(&kd->words_lock);

	/* Before this driver writes any register */
	arm_smmu_kdump_snapshot(smmu, &kd->report.regs);

	ret = arm_smmu_kdump_prepare(smmu, kd);
	if (ret)
		goto err_release;

	ret = devm_add_action_or_reset(smmu->dev, arm_smmu_kdump_teardown, kd);
	if (ret)
		goto err_release;
	devres_remove_group(smmu->dev, group);

	if (kd->report.fmt == STRTAB_BASE_CFG_FMT_2LVL) {
		cfg->l2.l1tab = kd->table.l1tab;
		cfg->l2.l2ptrs = kd->table.l2ptrs;
		cfg->l2.l1_dma = kd->l1_phys;
		cfg->l2.num_l1_ents = kd->nr_l1;
		smmu->features |= ARM_SMMU_FEAT_2_LVL_STRTAB;
	} else {
		cfg->linear.table = kd->table.linear;
		cfg->linear.ste_dma = kd->table.linear_dma;
		cfg->linear.num_ents = kd->table.nr_ents;
		smmu->features &= ~ARM_SMMU_FEAT_2_LVL_STRTAB;
	}
	smmu->kdump = kd;
	return 0;

err_release:
	devres_release_group(smmu->dev, group);
	return ret;
}

static int arm_smmu_kdump_cfgi_all(struct arm_smmu_device *smmu)
{
	struct arm_smmu_cmdq_ent cmd = { .opcode = CMDQ_OP_CFGI_ALL };

	return arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
}

/*
 * 2-level: STRTAB_BASE cannot change while SMMUEN is set (IHI 0070 6.3.24),
 * so the crashed kernel's L1 table stays and each of its descriptors that
 * leads to live STEs is pointed at our copy. An L1STD store is single-copy
 * atomic, so the SMMU sees either the old L2 table or the copy, never a mix;
 * CMD_CFGI_ALL then drops both the cached L1STD and the cached STEs of the
 * span (IHI 0070 5.1.1), and the CMD_SYNC completes the switch of the span.
 */
static int arm_smmu_kdump_switch_2lvl(struct arm_smmu_device *smmu)
{
	struct arm_smmu_kdump *kd = smmu->kdump;
	struct arm_smmu_strtab_l1 *l1tab = smmu->strtab_cfg.l2.l1tab;
	u32 i;
	int ret;

	/* The copies must be visible before the SMMU can walk into them */
	dma_wmb();

	for (i = 0; i < kd->table.nr_l2s; i++) {
		const struct arm_smmu_kdump_l2 *l2 = &kd->table.l2s[i];

		arm_smmu_kdump_l1_desc_update(smmu, l2->idx);
		arm_smmu_write_strtab_l1_desc(&l1tab[l2->idx], l2->dma);
		ret = arm_smmu_kdump_cfgi_all(smmu);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Linear: there is no atomic way to move a linear table while SMMUEN is set.
 * Everything is prepared beforehand; GBPA.ABORT, set by the caller, makes
 * every stream abort while SMMUEN is clear (IHI 0070 6.3.14), so no stream
 * ever bypasses.
 */
static int arm_smmu_kdump_switch_linear(struct arm_smmu_device *smmu,
					u32 enables)
{
	struct arm_smmu_kdump *kd = smmu->kdump;
	u32 cfg = FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
		  FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE,
			     ilog2(kd->table.nr_ents));
	ktime_t start;
	int ret;

	start = ktime_get();
	ret = arm_smmu_write_reg_sync(smmu, enables & ~CR0_SMMUEN,
				      ARM_SMMU_CR0, ARM_SMMU_CR0ACK);
	if (ret)
		return ret;

	writeq_relaxed((kd->table.linear_dma & STRTAB_BASE_ADDR_MASK) |
		       STRTAB_BASE_RA, smmu->base + ARM_SMMU_STRTAB_BASE);
	writel_relaxed(cfg, smmu->base + ARM_SMMU_STRTAB_BASE_CFG);

	/* Nothing cached from the old table may survive the window */
	ret = arm_smmu_kdump_cfgi_all(smmu);
	if (ret)
		return ret;

	ret = arm_smmu_write_reg_sync(smmu, enables, ARM_SMMU_CR0,
				      ARM_SMMU_CR0ACK);
	kd->report.window_ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	return ret;
}

/*
 * Called instead of the body of arm_smmu_device_reset() when the stream
 * table was inherited: move the queues to our memory, switch to the copied
 * stream table, flush the TLBs and set up interrupts, all without clearing
 * SMMUEN except in the GBPA-guarded window a linear table needs.
 */
int arm_smmu_kdump_device_reset(struct arm_smmu_device *smmu)
{
	struct arm_smmu_kdump *kd = smmu->kdump;
	struct arm_smmu_cmdq_ent cmd = {};
	u32 enables, gerror, gerrorn;
	const char *step;
	int ret;

	/*
	 * GBPA only applies while SMMUEN is clear: in the window a linear
	 * table needs, and after a shutdown or a failed probe disables the
	 * SMMU. Streams must abort then, never bypass.
	 */
	step = "set GBPA to abort";
	ret = arm_smmu_update_gbpa(smmu, GBPA_ABORT, 0);
	if (ret)
		goto err;

	/* No interrupt may use the crashed kernel's MSI configuration */
	step = "disable irqs";
	ret = arm_smmu_write_reg_sync(smmu, 0, ARM_SMMU_IRQ_CTRL,
				      ARM_SMMU_IRQ_CTRLACK);
	if (ret)
		goto err;

	/* A latched CMDQ_ERR would stop our command queue too */
	gerror = readl_relaxed(smmu->base + ARM_SMMU_GERROR);
	gerrorn = readl_relaxed(smmu->base + ARM_SMMU_GERRORN);
	if ((gerror ^ gerrorn) & GERROR_ERR_MASK) {
		dev_dbg(smmu->dev, "kdump: acknowledging GERROR %#x\n",
			(gerror ^ gerrorn) & GERROR_ERR_MASK);
		writel(gerror, smmu->base + ARM_SMMU_GERRORN);
	}

	/*
	 * The queue base registers are guarded by the queue enables only
	 * (IHI 0070 6.3.26-6.3.29), so the queues move with SMMUEN set. PRI
	 * stays off in a kdump kernel, as without inheritance.
	 */
	step = "disable the queues";
	enables = readl_relaxed(smmu->base + ARM_SMMU_CR0) &
		  ~(CR0_CMDQEN | CR0_EVTQEN | CR0_PRIQEN);
	ret = arm_smmu_write_reg_sync(smmu, enables, ARM_SMMU_CR0,
				      ARM_SMMU_CR0ACK);
	if (ret)
		goto err;

	step = "enable the command queue";
	writeq_relaxed(smmu->cmdq.q.q_base, smmu->base + ARM_SMMU_CMDQ_BASE);
	writel_relaxed(smmu->cmdq.q.llq.prod, smmu->base + ARM_SMMU_CMDQ_PROD);
	writel_relaxed(smmu->cmdq.q.llq.cons, smmu->base + ARM_SMMU_CMDQ_CONS);
	enables |= CR0_CMDQEN;
	ret = arm_smmu_write_reg_sync(smmu, enables, ARM_SMMU_CR0,
				      ARM_SMMU_CR0ACK);
	if (ret)
		goto err;

	step = "switch stream tables";
	if (kd->report.fmt == STRTAB_BASE_CFG_FMT_2LVL)
		ret = arm_smmu_kdump_switch_2lvl(smmu);
	else
		ret = arm_smmu_kdump_switch_linear(smmu, enables);
	if (ret)
		goto err;

	/*
	 * Aborted streams no longer translate, so the TLB entries of their
	 * ASIDs and VMIDs can go; those of kept streams refill from page
	 * tables that nothing modifies. Kept IDs remain reserved.
	 */
	if (smmu->features & ARM_SMMU_FEAT_HYP) {
		cmd.opcode = CMDQ_OP_TLBI_EL2_ALL;
		arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
	}
	cmd.opcode = CMDQ_OP_TLBI_NSNH_ALL;
	arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);

	step = "enable the event queue";
	writeq_relaxed(smmu->evtq.q.q_base, smmu->base + ARM_SMMU_EVTQ_BASE);
	writel_relaxed(smmu->evtq.q.llq.prod, smmu->page1 + ARM_SMMU_EVTQ_PROD);
	writel_relaxed(smmu->evtq.q.llq.cons, smmu->page1 + ARM_SMMU_EVTQ_CONS);
	enables |= CR0_EVTQEN;
	ret = arm_smmu_write_reg_sync(smmu, enables, ARM_SMMU_CR0,
				      ARM_SMMU_CR0ACK);
	if (ret)
		goto err;

	ret = arm_smmu_setup_irqs(smmu);
	if (ret) {
		dev_err(smmu->dev, "failed to setup irqs\n");
		return ret;
	}

	if (kd->report.fmt == STRTAB_BASE_CFG_FMT_2LVL)
		dev_info(smmu->dev,
			 "kdump: inherited 2-level stream table (%s): %u kept, %u aborted; switched with SMMUEN set\n",
			 arm_smmu_kdump_mode_names[kd->mode],
			 kd->report.nr_kept, kd->report.nr_aborted);
	else
		dev_info(smmu->dev,
			 "kdump: inherited linear stream table (%s): %u kept, %u aborted; all streams aborted for %lld ns\n",
			 arm_smmu_kdump_mode_names[kd->mode],
			 kd->report.nr_kept, kd->report.nr_aborted,
			 kd->report.window_ns);
	return 0;

err:
	dev_err(smmu->dev, "kdump: failed to %s\n", step);
	return ret;
}

/*
 * Called before the driver points an L1 descriptor at a new L2 table. With
 * an inherited 2-level table that descriptor is in the crashed kernel's
 * memory: keep its original value for the dump.
 */
void arm_smmu_kdump_l1_desc_update(struct arm_smmu_device *smmu, u32 l1_idx)
{
	struct arm_smmu_strtab_l1 *l1tab = smmu->strtab_cfg.l2.l1tab;
	struct arm_smmu_kdump *kd = smmu->kdump;
	struct arm_smmu_kdump_report *report;
	struct arm_smmu_kdump_word *word;

	if (!kd || kd->report.fmt != STRTAB_BASE_CFG_FMT_2LVL)
		return;

	report = &kd->report;
	mutex_lock(&kd->words_lock);
	/* Each descriptor is replaced once, so this cannot overflow */
	if (!WARN_ON(report->nr_words >= report->max_words)) {
		word = &report->words[report->nr_words++];
		word->phys = kd->l1_phys + l1_idx * sizeof(u64);
		word->orig = le64_to_cpu(READ_ONCE(l1tab[l1_idx].l2ptr));
	}
	mutex_unlock(&kd->words_lock);

	/* The new L2 table must be visible before the descriptor */
	dma_wmb();
}

/* Did the crashed kernel leave a valid STE for @sid that we kept or aborted? */
bool arm_smmu_kdump_sid_inherited(struct arm_smmu_device *smmu, u32 sid)
{
	return smmu->kdump &&
	       arm_smmu_kdump_find_sid(&smmu->kdump->report, sid);
}

#ifdef CONFIG_PCI
static int arm_smmu_kdump_reset_pci(struct pci_dev *pdev)
{
	/*
	 * A bridge's own requester ID only carries its MSIs, and a reset
	 * would also reset everything below it: it needs none.
	 */
	if (pci_is_bridge(pdev))
		return 1;
	return pci_reset_function_locked(pdev);
}
#else
static int arm_smmu_kdump_reset_pci(struct pci_dev *pdev)
{
	return -ENODEV;
}
#endif

/*
 * A device whose DMA was aborted at the switch was not quiesced: it may still
 * be mastering DMA to addresses of the crashed kernel. Only a reset makes it
 * safe to give it a domain whose IOVAs may coincide with those.
 *
 * iommu_probe_device() reaches us from really_probe() -> dma_configure() for
 * DT and IORT based systems, after the driver core took the device lock and
 * set dev->driver; the reset functions that expect that lock can be used.
 * Without dev->driver we are not in that context and do not reset.
 *
 * Returns 0 after a reset, 1 if the device needs none, or an error.
 */
static int arm_smmu_kdump_reset_master(struct arm_smmu_master *master)
{
	struct device *dev = master->dev;

	if (!dev->driver)
		return -EAGAIN;
	if (dev_is_pci(dev))
		return arm_smmu_kdump_reset_pci(to_pci_dev(dev));
	return device_reset(dev);
}

/*
 * Called from arm_smmu_probe_device() once the master's StreamIDs are known.
 * Decide how the master leaves the inherited configuration.
 */
void arm_smmu_kdump_probe_master(struct arm_smmu_master *master)
{
	struct arm_smmu_kdump *kd = master->smmu->kdump;
	bool kept = false, aborted = false, ats = false;
	unsigned int i;
	int ret;

	if (!kd)
		return;

	for (i = 0; i < master->num_streams; i++) {
		const struct arm_smmu_kdump_sid *rec;

		rec = arm_smmu_kdump_find_sid(&kd->report,
					      master->streams[i].id);
		if (!rec)
			continue;
		if (arm_smmu_kdump_reason_kept(rec->reason))
			kept = true;
		else
			aborted = true;
		ats |= rec->flags & ARM_SMMU_KDUMP_SID_ATS;
	}

	if (aborted) {
		ret = arm_smmu_kdump_reset_master(master);
		if (ret < 0) {
			dev_warn(master->dev,
				 "kdump: DMA was aborted and the device cannot be reset (%pe); it gets no DMA\n",
				 ERR_PTR(ret));
			master->kdump_state = ARM_SMMU_KDUMP_MASTER_BLOCKED;
		} else if (!ret) {
			dev_info(master->dev,
				 "kdump: reset, its DMA was aborted since the crash\n");
		} else {
			dev_dbg(master->dev,
				"kdump: bridge, its MSIs were aborted since the crash\n");
		}
		return;
	}

	if (kept) {
		dev_dbg(master->dev,
			"kdump: keeps the crashed kernel's translations until its driver takes over\n");
		master->kdump_state = ARM_SMMU_KDUMP_MASTER_KEPT;
		master->kdump_ats = ats;
	}
}

/* Called before an attach gives the master DMA */
int arm_smmu_kdump_attach_allowed(struct arm_smmu_master *master)
{
	if (master->kdump_state != ARM_SMMU_KDUMP_MASTER_BLOCKED)
		return 0;

	dev_err_ratelimited(master->dev,
			    "kdump: DMA refused: the device was not quiesced before the crash and could not be reset\n");
	return -EPERM;
}

/*
 * Called after new STEs were installed for the master. The first time, the
 * inherited STEs are gone: the master is a normal one from now on. Returns
 * true if the device's ATC may still hold translations of the crashed kernel
 * and must be invalidated.
 */
bool arm_smmu_kdump_ste_installed(struct arm_smmu_master *master)
{
	if (master->kdump_state != ARM_SMMU_KDUMP_MASTER_KEPT)
		return false;

	master->kdump_state = ARM_SMMU_KDUMP_MASTER_NONE;
	dev_dbg(master->dev,
		"kdump: driver took over from the crashed kernel\n");
	return master->kdump_ats;
}
