/* smmu-decode.c - SMMUv3 data structure decoders for the crash "smmu" command
 *
 * Copyright (C) 2026 The arm-smmu-kdump authors
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation; either version 2 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "smmu-decode.h"
#include "smmu-devdump.h"

_Static_assert(sizeof(struct smmu_kdump_header) == SMMU_KDUMP_HEADER_SIZE,
	       "smmu_kdump_header layout");
_Static_assert(sizeof(struct smmu_kdump_section) == SMMU_KDUMP_SECTION_SIZE,
	       "smmu_kdump_section layout");
_Static_assert(sizeof(struct smmu_kdump_reg) == SMMU_KDUMP_REG_SIZE,
	       "smmu_kdump_reg layout");
_Static_assert(sizeof(struct smmu_kdump_write) == SMMU_KDUMP_WRITE_SIZE,
	       "smmu_kdump_write layout");
_Static_assert(sizeof(struct smmu_kdump_stream) == SMMU_KDUMP_STREAM_SIZE,
	       "smmu_kdump_stream layout");

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

uint64_t
smmu_le64(const void *p)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

uint32_t
smmu_le32(const void *p)
{
	const unsigned char *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

uint16_t
smmu_le16(const void *p)
{
	const unsigned char *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static void
put_le64(void *p, uint64_t v)
{
	unsigned char *b = p;
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		b[i] = v & 0xff;
}

static int
mem_read(const struct smmu_mem *mem, uint64_t pa, void *buf, size_t len)
{
	int ret = mem->read(mem->ctx, pa, buf, len);

	if (ret != SMMU_READ_OK && ret != SMMU_READ_ZERO)
		return SMMU_READ_FAIL;
	return ret;
}

/* IPS / S2PS / OAS encodings (also IDR5.OAS) to bits; 0 if reserved. */
static unsigned int
pa_size_bits(unsigned int enc)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return enc < ARRAY_LEN(bits) ? bits[enc] : 0;
}

static int
oa_fits(uint64_t addr, unsigned int oa_bits)
{
	return oa_bits == 0 || oa_bits >= 64 || !(addr >> oa_bits);
}

/* ---- stream table ------------------------------------------------------ */

int
smmu_strtab_init(struct smmu_strtab *t, int fmt, uint64_t base,
		 unsigned int log2size, unsigned int split)
{
	memset(t, 0, sizeof(*t));
	t->base_addr = base & SMMU_STRTAB_BASE_ADDR_MASK;
	t->base = t->base_addr;
	t->log2size = log2size;
	if (log2size > 32)
		return -1;
	if (fmt == SMMU_STRTAB_2LVL) {
		t->fmt = SMMU_STRTAB_2LVL;
		t->split = split;
		if (split != 6 && split != 8 && split != 10)
			return -1;
	} else if (fmt == SMMU_STRTAB_LINEAR) {
		t->fmt = SMMU_STRTAB_LINEAR;
	} else {
		return -1;
	}
	t->base &= ~(smmu_strtab_align(t) - 1);
	return 0;
}

int
smmu_strtab_from_regs(uint64_t base, uint32_t cfg, struct smmu_strtab *t)
{
	unsigned int fmt = SMMU_STRTAB_BASE_CFG_FMT(cfg);

	if (fmt != SMMU_STRTAB_BASE_CFG_FMT_LINEAR &&
	    fmt != SMMU_STRTAB_BASE_CFG_FMT_2LVL) {
		smmu_strtab_init(t, SMMU_STRTAB_LINEAR, base,
				 SMMU_STRTAB_BASE_CFG_LOG2SIZE(cfg), 0);
		return -1;
	}
	return smmu_strtab_init(t, fmt == SMMU_STRTAB_BASE_CFG_FMT_2LVL ?
				SMMU_STRTAB_2LVL : SMMU_STRTAB_LINEAR, base,
				SMMU_STRTAB_BASE_CFG_LOG2SIZE(cfg),
				SMMU_STRTAB_BASE_CFG_SPLIT(cfg));
}

uint32_t
smmu_strtab_cfg(const struct smmu_strtab *t)
{
	if (t->fmt == SMMU_STRTAB_2LVL)
		return SMMU_STRTAB_BASE_CFG_FMT_2LVL << 16 | t->split << 6 |
		       t->log2size;
	return t->log2size;
}

uint64_t
smmu_strtab_nr_l1(const struct smmu_strtab *t)
{
	if (t->fmt != SMMU_STRTAB_2LVL)
		return 0;
	if (t->log2size <= t->split)
		return 1;
	return 1ULL << (t->log2size - t->split);
}

uint64_t
smmu_strtab_align(const struct smmu_strtab *t)
{
	uint64_t size;

	if (t->fmt == SMMU_STRTAB_2LVL)
		size = smmu_strtab_nr_l1(t) * SMMU_L1STD_SIZE;
	else
		size = (uint64_t)SMMU_STE_SIZE << t->log2size;
	return size < 64 ? 64 : size;
}

uint64_t
smmu_l1std_l2(uint64_t desc)
{
	unsigned int span = SMMU_L1STD_SPAN(desc);

	if (span < 1 || span > 11)
		return SMMU_L1STD_L2PTR(desc);
	return SMMU_L1STD_L2PTR(desc) &
	       ~(((uint64_t)SMMU_STE_SIZE << (span - 1)) - 1);
}

const char *
smmu_ste_loc_str(int status)
{
	switch (status) {
	case SMMU_STE_FOUND:
		return "found";
	case SMMU_STE_SID_RANGE:
		return "StreamID beyond the stream table (C_BAD_STREAMID)";
	case SMMU_STE_NO_L2:
		return "no level-2 table for this StreamID (L1 Span 0, C_BAD_STREAMID)";
	case SMMU_STE_BAD_SPAN:
		return "level-1 descriptor Span larger than SPLIT + 1";
	case SMMU_STE_SPAN_RANGE:
		return "StreamID beyond the level-2 table's Span (C_BAD_STREAMID)";
	case SMMU_STE_READ_ERR:
		return "level-1 descriptor not in the dump (F_STE_FETCH)";
	}
	return "?";
}

static int
cmp_l1_store_rec(const void *a, const void *b)
{
	const struct smmu_l1_store *x = a, *y = b;

	if (x->phys != y->phys)
		return x->phys < y->phys ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int
cmp_l1_store(const void *a, const void *b)
{
	const struct smmu_l1_store *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

/*
 * The L1 descriptor that the SMMU walked at the crash for L1 index idx:
 * the one in memory, unless a device dump records a store to it (then
 * its value before the first), or the driver's record of the L2 table
 * (sw_l2) disagrees with it or memory could not be read, and no device
 * dump says that nothing was stored there after the crash.  Where the
 * driver had no L2 table but memory has a Span that a device dump
 * records no store to, the crash kernel stored it after saving the dump
 * (arm_smmu_kdump_l1_desc_update(), in its log only): Span 0 then.
 * Returns 1 when the driver's record was used, 3 when the device dump's
 * was, 5 for that Span 0, 2 when memory was used although it disagrees
 * with the driver's; odd values replace the descriptor in memory.
 */
#define L1_MEM		0
#define L1_SW		1
#define L1_DAMAGED	2
#define L1_DD		3
#define L1_AFTER_DD	5

static int
l1_effective(const struct smmu_strtab *t, uint64_t idx, uint64_t mem_desc,
	     int readable, uint64_t *desc)
{
	int have_sw = t->sw_l2 && idx < t->nr_sw_l2;
	uint64_t sw = have_sw ? t->sw_l2[idx] : 0;
	struct smmu_l1_store key = { .phys = t->base + idx * SMMU_L1STD_SIZE };
	const struct smmu_l1_store *st = NULL;

	if (t->l1_stores_known)
		st = bsearch(&key, t->l1_stores, t->nr_l1_stores, sizeof(key),
			     cmp_l1_store);
	*desc = mem_desc;
	if (st) {
		if (readable && mem_desc == st->old)
			return L1_MEM;
		*desc = st->old;
		return L1_DD;
	}
	if (sw == SMMU_SW_L2_UNKNOWN)
		return L1_MEM;
	if (!sw) {
		if (have_sw && readable && t->l1_stores_known &&
		    SMMU_L1STD_SPAN(mem_desc)) {
			*desc = 0;
			return L1_AFTER_DD;
		}
		return L1_MEM;
	}
	if (readable && SMMU_L1STD_SPAN(mem_desc) &&
	    smmu_l1std_l2(mem_desc) == (sw & SMMU_MASK(51, 6)))
		return L1_MEM;
	if (readable && t->l1_stores_known)
		return L1_DAMAGED;
	*desc = (sw & SMMU_MASK(51, 6)) | (t->split + 1);
	return L1_SW;
}

int
smmu_ste_locate(const struct smmu_strtab *t, uint32_t sid,
		const struct smmu_mem *mem, struct smmu_ste_loc *loc)
{
	unsigned char raw[SMMU_L1STD_SIZE];
	unsigned int span;
	uint64_t l2idx;
	int ret;

	memset(loc, 0, sizeof(*loc));
	if (t->log2size < 32 && (uint64_t)sid >> t->log2size) {
		loc->status = SMMU_STE_SID_RANGE;
		return -1;
	}
	if (t->fmt == SMMU_STRTAB_LINEAR) {
		loc->addr = t->base + (uint64_t)sid * SMMU_STE_SIZE;
		return 0;
	}

	loc->l1_addr = t->base + ((uint64_t)sid >> t->split) * SMMU_L1STD_SIZE;
	ret = mem_read(mem, loc->l1_addr, raw, sizeof(raw));
	loc->l1_unreadable = ret == SMMU_READ_FAIL;
	loc->l1_filtered = ret == SMMU_READ_ZERO;
	loc->l1_mem = loc->l1_unreadable ? 0 : smmu_le64(raw);
	loc->l1_replaced = l1_effective(t, (uint64_t)sid >> t->split,
					loc->l1_mem, !loc->l1_unreadable,
					&loc->l1desc);
	loc->l1_damaged = loc->l1_replaced == L1_DAMAGED;
	loc->l1_from_dd = loc->l1_replaced == L1_DD;
	loc->l1_after_dd = loc->l1_replaced == L1_AFTER_DD;
	loc->l1_replaced = loc->l1_replaced & 1;
	if (loc->l1_unreadable && !loc->l1_replaced) {
		loc->status = SMMU_STE_READ_ERR;
		return -1;
	}
	span = SMMU_L1STD_SPAN(loc->l1desc);
	loc->l2 = span <= t->split + 1 ? smmu_l1std_l2(loc->l1desc) :
		  SMMU_L1STD_L2PTR(loc->l1desc);
	if (!span) {
		loc->status = SMMU_STE_NO_L2;
		return -1;
	}
	if (span > t->split + 1) {
		loc->status = SMMU_STE_BAD_SPAN;
		return -1;
	}
	l2idx = sid & ((1U << t->split) - 1);
	if (l2idx >> (span - 1)) {
		loc->status = SMMU_STE_SPAN_RANGE;
		return -1;
	}
	loc->addr = loc->l2 + l2idx * SMMU_STE_SIZE;
	return 0;
}

/* ---- STE ---------------------------------------------------------------- */

int
smmu_ste_s1(const struct smmu_ste *ste)
{
	return ste->cfg == SMMU_STE_CFG_S1 || ste->cfg == SMMU_STE_CFG_NESTED;
}

int
smmu_ste_s2(const struct smmu_ste *ste)
{
	return ste->cfg == SMMU_STE_CFG_S2 || ste->cfg == SMMU_STE_CFG_NESTED;
}

const char *
smmu_ste_cfg_str(unsigned int cfg)
{
	switch (cfg) {
	case SMMU_STE_CFG_ABORT:
		return "abort";
	case SMMU_STE_CFG_BYPASS:
		return "bypass";
	case SMMU_STE_CFG_S1:
		return "s1-trans";
	case SMMU_STE_CFG_S2:
		return "s2-trans";
	case SMMU_STE_CFG_NESTED:
		return "nested";
	}
	return "reserved";
}

static const char *const ste_err_names[SMMU_STE_ERR_NR] = {
	"reserved Config",
	"reserved S1Fmt",
	"S1CDMax larger than the SMMU's SSID size",
	"reserved S1DSS",
	"reserved S2TG",
	"S2T0SZ out of range",
	"S2SL0 inconsistent with S2T0SZ and S2TG",
	"AArch32 stage-2 tables (S2AA64 == 0) are not decoded",
	"reserved S2PS",
	"table pointer beyond the output address size",
};

const char *
smmu_ste_err_str(unsigned int bit)
{
	return bit < SMMU_STE_ERR_NR ? ste_err_names[bit] : "?";
}

/* Granule encodings of CD.TG0 and STE.S2TG: 0 = 4K, 1 = 64K, 2 = 16K. */
static unsigned int
tg_to_shift(unsigned int tg)
{
	switch (tg) {
	case 0:
		return 12;
	case 1:
		return 16;
	case 2:
		return 14;
	}
	return 0;
}

static unsigned int
level_shift(unsigned int pg_shift, int level)
{
	return pg_shift + (3 - level) * (pg_shift - 3);
}

/* Bits resolved at the start level; <= 0 when the walk cannot start. */
static int
start_bits(const struct smmu_pt_cfg *cfg)
{
	return (int)cfg->ia_bits - (int)level_shift(cfg->pg_shift, cfg->start);
}

/*
 * Stage 2 start level from S2SL0 (VTCR_EL2.SL0 encoding, without LPA2):
 * 4K: 0 -> L2, 1 -> L1, 2 -> L0, 3 -> L3 (FEAT_TTST); 16K: 0 -> L3,
 * 1 -> L2, 2 -> L1, 3 -> L0; 64K: 0 -> L3, 1 -> L2, 2 -> L1.  The start
 * table may be up to 16 concatenated tables.
 */
static int
s2_setup(unsigned int tg, unsigned int t0sz, unsigned int sl0,
	 struct smmu_pt_cfg *cfg, unsigned int *err)
{
	int b;

	cfg->pg_shift = tg_to_shift(tg);
	if (!cfg->pg_shift) {
		*err |= SMMU_STE_ERR_S2TG;
		return -1;
	}
	cfg->ia_bits = 64 - t0sz;
	if (t0sz > 48 || cfg->ia_bits > (cfg->pg_shift == 16 ? 52U : 48U)) {
		*err |= SMMU_STE_ERR_S2T0SZ;
		return -1;
	}
	switch (cfg->pg_shift) {
	case 12:
		cfg->start = sl0 == 3 ? 3 : 2 - (int)sl0;
		break;
	case 14:
		cfg->start = 3 - (int)sl0;
		break;
	default:
		if (sl0 == 3) {
			*err |= SMMU_STE_ERR_S2SL0;
			return -1;
		}
		cfg->start = 3 - (int)sl0;
		break;
	}
	b = start_bits(cfg);
	if (b < 1 || b > (int)(cfg->pg_shift - 3) + 4) {
		*err |= SMMU_STE_ERR_S2SL0;
		return -1;
	}
	return 0;
}

void
smmu_ste_decode(const uint64_t w[SMMU_STE_DWORDS],
		const struct smmu_caps *caps, struct smmu_ste *ste)
{
	struct smmu_pt_cfg s2;
	unsigned int oas = caps ? caps->oas : 0;

	memset(ste, 0, sizeof(*ste));
	memcpy(ste->w, w, sizeof(ste->w));

	ste->v = SMMU_BITS(w[0], 0, 0);
	ste->cfg = SMMU_BITS(w[0], 3, 1);
	ste->s1fmt = SMMU_BITS(w[0], 5, 4);
	ste->s1ctxptr = w[0] & SMMU_MASK(51, 6);
	ste->s1cdmax = SMMU_BITS(w[0], 63, 59);

	ste->s1dss = SMMU_BITS(w[1], 1, 0);
	ste->s1cir = SMMU_BITS(w[1], 3, 2);
	ste->s1cor = SMMU_BITS(w[1], 5, 4);
	ste->s1csh = SMMU_BITS(w[1], 7, 6);
	ste->mev = SMMU_BITS(w[1], 19, 19);
	ste->s1stalld = SMMU_BITS(w[1], 27, 27);
	ste->eats = SMMU_BITS(w[1], 29, 28);
	ste->strw = SMMU_BITS(w[1], 31, 30);
	ste->memattr = SMMU_BITS(w[1], 35, 32);
	ste->mtcfg = SMMU_BITS(w[1], 36, 36);
	ste->alloccfg = SMMU_BITS(w[1], 40, 37);
	ste->shcfg = SMMU_BITS(w[1], 45, 44);
	ste->nscfg = SMMU_BITS(w[1], 47, 46);
	ste->privcfg = SMMU_BITS(w[1], 49, 48);
	ste->instcfg = SMMU_BITS(w[1], 51, 50);
	ste->s2fwb = SMMU_BITS(w[1], 25, 25);

	ste->s2vmid = SMMU_BITS(w[2], 15, 0);
	ste->s2t0sz = SMMU_BITS(w[2], 37, 32);
	ste->s2sl0 = SMMU_BITS(w[2], 39, 38);
	ste->s2ir0 = SMMU_BITS(w[2], 41, 40);
	ste->s2or0 = SMMU_BITS(w[2], 43, 42);
	ste->s2sh0 = SMMU_BITS(w[2], 45, 44);
	ste->s2tg = SMMU_BITS(w[2], 47, 46);
	ste->s2ps = SMMU_BITS(w[2], 50, 48);
	ste->s2aa64 = SMMU_BITS(w[2], 51, 51);
	ste->s2endi = SMMU_BITS(w[2], 52, 52);
	ste->s2affd = SMMU_BITS(w[2], 53, 53);
	ste->s2ptw = SMMU_BITS(w[2], 54, 54);
	ste->s2hd = SMMU_BITS(w[2], 55, 55);
	ste->s2ha = SMMU_BITS(w[2], 56, 56);
	ste->s2s = SMMU_BITS(w[2], 57, 57);
	ste->s2r = SMMU_BITS(w[2], 58, 58);
	ste->s2ttb = w[3] & SMMU_MASK(51, 4);

	if (!ste->v)
		return;

	if (ste->cfg >= 1 && ste->cfg <= 3)
		ste->errors |= SMMU_STE_ERR_CFG;

	if (smmu_ste_s1(ste)) {
		if (ste->s1cdmax && ste->s1fmt == 3)
			ste->errors |= SMMU_STE_ERR_S1FMT;
		if (caps && caps->ssid_bits < 32 &&
		    ste->s1cdmax > caps->ssid_bits)
			ste->errors |= SMMU_STE_ERR_CDMAX;
		if (ste->s1cdmax && ste->s1dss == 3)
			ste->errors |= SMMU_STE_ERR_S1DSS;
		if (!oa_fits(ste->s1ctxptr, oas))
			ste->errors |= SMMU_STE_ERR_ADDR;
	}
	if (smmu_ste_s2(ste)) {
		if (!ste->s2aa64)
			ste->errors |= SMMU_STE_ERR_S2AA32;
		if (!pa_size_bits(ste->s2ps))
			ste->errors |= SMMU_STE_ERR_S2PS;
		memset(&s2, 0, sizeof(s2));
		s2_setup(ste->s2tg, ste->s2t0sz, ste->s2sl0, &s2, &ste->errors);
		if (!oa_fits(ste->s2ttb, oas))
			ste->errors |= SMMU_STE_ERR_ADDR;
	}
}

void
smmu_ste_decode_bytes(const void *buf, const struct smmu_caps *caps,
		      struct smmu_ste *ste)
{
	uint64_t w[SMMU_STE_DWORDS];
	int i;

	for (i = 0; i < SMMU_STE_DWORDS; i++)
		w[i] = smmu_le64((const unsigned char *)buf + 8 * i);
	smmu_ste_decode(w, caps, ste);
}

static const char *
cache_str(unsigned int c)
{
	static const char *const s[] = { "nc", "wbra", "wt", "wb" };

	return s[c & 3];
}

static const char *
sh_str(unsigned int sh)
{
	static const char *const s[] = { "nsh", "rsvd", "osh", "ish" };

	return s[sh & 3];
}

static const char *
gran_str(unsigned int tg)
{
	switch (tg) {
	case 0:
		return "4K";
	case 1:
		return "64K";
	case 2:
		return "16K";
	}
	return "reserved";
}

uint32_t
smmu_ste_nr_cds(const struct smmu_ste *ste)
{
	return 1U << ste->s1cdmax;
}

void
smmu_ste_print(FILE *ofp, const struct smmu_ste *ste, const char *indent)
{
	static const char *const s1dss[] = {
		"terminate", "bypass", "ssid0", "reserved"
	};
	static const char *const eats[] = {
		"abort", "trans", "s1chk", "reserved"
	};
	static const char *const strw[] = {
		"nsel1", "reserved", "el2", "el2-e2h"
	};
	static const char *const s1fmt[] = {
		"linear", "2lvl-4k", "2lvl-64k", "reserved"
	};
	unsigned int i;

	fprintf(ofp, "%sSTE[0-3]: %016llx %016llx %016llx %016llx\n", indent,
		(unsigned long long)ste->w[0], (unsigned long long)ste->w[1],
		(unsigned long long)ste->w[2], (unsigned long long)ste->w[3]);
	fprintf(ofp, "%sSTE[4-7]: %016llx %016llx %016llx %016llx\n", indent,
		(unsigned long long)ste->w[4], (unsigned long long)ste->w[5],
		(unsigned long long)ste->w[6], (unsigned long long)ste->w[7]);
	if (!ste->v) {
		fprintf(ofp, "%sV: 0 (not valid: a transaction aborts with C_BAD_STE)\n",
			indent);
		return;
	}
	fprintf(ofp, "%sV: 1  CONFIG: %s (%u)\n", indent,
		smmu_ste_cfg_str(ste->cfg), ste->cfg);
	if (smmu_ste_s1(ste)) {
		fprintf(ofp, "%sS1CONTEXTPTR: %llx  S1FMT: %s  S1CDMAX: %u (%u CD%s)  S1DSS: %s\n",
			indent, (unsigned long long)ste->s1ctxptr,
			s1fmt[ste->s1fmt & 3], ste->s1cdmax,
			smmu_ste_nr_cds(ste),
			smmu_ste_nr_cds(ste) == 1 ? "" : "s",
			s1dss[ste->s1dss & 3]);
		fprintf(ofp, "%sS1CIR: %s  S1COR: %s  S1CSH: %s  S1STALLD: %u\n",
			indent, cache_str(ste->s1cir), cache_str(ste->s1cor),
			sh_str(ste->s1csh), ste->s1stalld);
	}
	if (ste->cfg != SMMU_STE_CFG_ABORT)
		fprintf(ofp, "%sEATS: %s  STRW: %s  SHCFG: %u  MEMATTR: %#x  MTCFG: %u  ALLOCCFG: %#x  PRIVCFG: %u  INSTCFG: %u\n",
			indent, eats[ste->eats & 3], strw[ste->strw & 3],
			ste->shcfg, ste->memattr, ste->mtcfg, ste->alloccfg,
			ste->privcfg, ste->instcfg);
	if (smmu_ste_s2(ste)) {
		fprintf(ofp, "%sS2VMID: %u  S2TTB: %llx  S2T0SZ: %u (%u-bit IPA)  S2SL0: %u  S2TG: %s\n",
			indent, ste->s2vmid, (unsigned long long)ste->s2ttb,
			ste->s2t0sz, 64 - ste->s2t0sz, ste->s2sl0,
			gran_str(ste->s2tg));
		fprintf(ofp, "%sS2PS: %u (%u-bit PA)  S2IR0: %s  S2OR0: %s  S2SH0: %s  S2AA64: %u  S2ENDI: %u\n",
			indent, ste->s2ps, pa_size_bits(ste->s2ps),
			cache_str(ste->s2ir0), cache_str(ste->s2or0),
			sh_str(ste->s2sh0), ste->s2aa64, ste->s2endi);
		fprintf(ofp, "%sS2AFFD: %u  S2PTW: %u  S2HA: %u  S2HD: %u  S2S: %u  S2R: %u  S2FWB: %u\n",
			indent, ste->s2affd, ste->s2ptw, ste->s2ha, ste->s2hd,
			ste->s2s, ste->s2r, ste->s2fwb);
	}
	for (i = 0; i < SMMU_STE_ERR_NR; i++)
		if (ste->errors & (1U << i))
			fprintf(ofp, "%sILLEGAL: %s\n", indent,
				smmu_ste_err_str(i));
}

/* ---- CD ----------------------------------------------------------------- */

static const char *const cd_err_names[SMMU_CD_ERR_NR] = {
	"reserved TG0",
	"T0SZ out of range",
	"reserved IPS",
	"AArch32 tables (AA64 == 0) are not decoded",
	"TTB0 beyond the output address size",
};

const char *
smmu_cd_err_str(unsigned int bit)
{
	return bit < SMMU_CD_ERR_NR ? cd_err_names[bit] : "?";
}

void
smmu_cd_decode(const uint64_t w[SMMU_CD_DWORDS], const struct smmu_caps *caps,
	       struct smmu_cd *cd)
{
	unsigned int shift;

	memset(cd, 0, sizeof(*cd));
	memcpy(cd->w, w, sizeof(cd->w));

	cd->t0sz = SMMU_BITS(w[0], 5, 0);
	cd->tg0 = SMMU_BITS(w[0], 7, 6);
	cd->ir0 = SMMU_BITS(w[0], 9, 8);
	cd->or0 = SMMU_BITS(w[0], 11, 10);
	cd->sh0 = SMMU_BITS(w[0], 13, 12);
	cd->epd0 = SMMU_BITS(w[0], 14, 14);
	cd->endi = SMMU_BITS(w[0], 15, 15);
	cd->t1sz = SMMU_BITS(w[0], 21, 16);
	cd->tg1 = SMMU_BITS(w[0], 23, 22);
	cd->epd1 = SMMU_BITS(w[0], 30, 30);
	cd->v = SMMU_BITS(w[0], 31, 31);
	cd->ips = SMMU_BITS(w[0], 34, 32);
	cd->affd = SMMU_BITS(w[0], 35, 35);
	cd->wxn = SMMU_BITS(w[0], 36, 36);
	cd->uwxn = SMMU_BITS(w[0], 37, 37);
	cd->tbi = SMMU_BITS(w[0], 39, 38);
	cd->pan = SMMU_BITS(w[0], 40, 40);
	cd->aa64 = SMMU_BITS(w[0], 41, 41);
	cd->hd = SMMU_BITS(w[0], 42, 42);
	cd->ha = SMMU_BITS(w[0], 43, 43);
	cd->s = SMMU_BITS(w[0], 44, 44);
	cd->r = SMMU_BITS(w[0], 45, 45);
	cd->a = SMMU_BITS(w[0], 46, 46);
	cd->aset = SMMU_BITS(w[0], 47, 47);
	cd->asid = SMMU_BITS(w[0], 63, 48);
	cd->ttb0 = w[1] & SMMU_MASK(51, 4);
	cd->ttb1 = w[2] & SMMU_MASK(51, 4);
	cd->mair = w[3];
	cd->amair = w[4];

	if (!cd->v)
		return;
	if (!cd->aa64)
		cd->errors |= SMMU_CD_ERR_AA32;
	if (!pa_size_bits(cd->ips))
		cd->errors |= SMMU_CD_ERR_IPS;
	if (!cd->epd0) {
		shift = tg_to_shift(cd->tg0);
		if (!shift)
			cd->errors |= SMMU_CD_ERR_TG0;
		if (cd->t0sz < (shift == 16 ? 12U : 16U) || cd->t0sz > 48)
			cd->errors |= SMMU_CD_ERR_T0SZ;
		if (caps && !oa_fits(cd->ttb0, caps->oas))
			cd->errors |= SMMU_CD_ERR_ADDR;
	}
}

void
smmu_cd_decode_bytes(const void *buf, const struct smmu_caps *caps,
		     struct smmu_cd *cd)
{
	uint64_t w[SMMU_CD_DWORDS];
	int i;

	for (i = 0; i < SMMU_CD_DWORDS; i++)
		w[i] = smmu_le64((const unsigned char *)buf + 8 * i);
	smmu_cd_decode(w, caps, cd);
}

void
smmu_cd_print(FILE *ofp, const struct smmu_cd *cd, const char *indent)
{
	unsigned int i;

	fprintf(ofp, "%sCD[0-3]: %016llx %016llx %016llx %016llx\n", indent,
		(unsigned long long)cd->w[0], (unsigned long long)cd->w[1],
		(unsigned long long)cd->w[2], (unsigned long long)cd->w[3]);
	fprintf(ofp, "%sCD[4-7]: %016llx %016llx %016llx %016llx\n", indent,
		(unsigned long long)cd->w[4], (unsigned long long)cd->w[5],
		(unsigned long long)cd->w[6], (unsigned long long)cd->w[7]);
	if (!cd->v) {
		fprintf(ofp, "%sV: 0 (not valid: a transaction aborts with C_BAD_CD)\n",
			indent);
		return;
	}
	fprintf(ofp, "%sV: 1  ASID: %u  TTB0: %llx  T0SZ: %u (%u-bit IOVA)  TG0: %s  EPD0: %u  EPD1: %u\n",
		indent, cd->asid, (unsigned long long)cd->ttb0, cd->t0sz,
		64 - cd->t0sz, gran_str(cd->tg0), cd->epd0, cd->epd1);
	fprintf(ofp, "%sIPS: %u (%u-bit)  IR0: %s  OR0: %s  SH0: %s  AA64: %u  ENDI: %u  TBI: %u\n",
		indent, cd->ips, pa_size_bits(cd->ips), cache_str(cd->ir0),
		cache_str(cd->or0), sh_str(cd->sh0), cd->aa64, cd->endi,
		cd->tbi);
	fprintf(ofp, "%sR: %u  A: %u  S: %u  ASET: %u  HA: %u  HD: %u  AFFD: %u  WXN: %u  PAN: %u  MAIR: %016llx\n",
		indent, cd->r, cd->a, cd->s, cd->aset, cd->ha, cd->hd,
		cd->affd, cd->wxn, cd->pan, (unsigned long long)cd->mair);
	for (i = 0; i < SMMU_CD_ERR_NR; i++)
		if (cd->errors & (1U << i))
			fprintf(ofp, "%sILLEGAL: %s\n", indent,
				smmu_cd_err_str(i));
}

/* ---- translation tables ------------------------------------------------- */

int
smmu_pt_cfg_s1(const struct smmu_cd *cd, const struct smmu_caps *caps,
	       struct smmu_pt_cfg *cfg)
{
	unsigned int oa, levels, stride;

	memset(cfg, 0, sizeof(*cfg));
	if (!cd->v || cd->epd0 || (cd->errors &
	    (SMMU_CD_ERR_TG0 | SMMU_CD_ERR_T0SZ | SMMU_CD_ERR_IPS |
	     SMMU_CD_ERR_AA32)))
		return -1;
	cfg->stage = 1;
	cfg->pg_shift = tg_to_shift(cd->tg0);
	cfg->ia_bits = 64 - cd->t0sz;
	if (cfg->ia_bits > (cfg->pg_shift == 16 ? 52U : 48U))
		return -1;
	oa = pa_size_bits(cd->ips);
	if (caps && caps->oas && caps->oas < oa)
		oa = caps->oas;
	cfg->oa_bits = oa;
	stride = cfg->pg_shift - 3;
	levels = (cfg->ia_bits - cfg->pg_shift + stride - 1) / stride;
	if (levels < 1 || levels > SMMU_PT_LEVELS)
		return -1;
	cfg->start = SMMU_PT_LEVELS - levels;
	cfg->ttb = cd->ttb0;
	cfg->af_fault = !cd->ha && !cd->affd;
	cfg->tbi = cd->tbi & 1;
	return 0;
}

int
smmu_pt_cfg_s2(const struct smmu_ste *ste, const struct smmu_caps *caps,
	       struct smmu_pt_cfg *cfg)
{
	unsigned int err = 0, oa;

	memset(cfg, 0, sizeof(*cfg));
	if (!ste->s2aa64)
		return -1;
	cfg->stage = 2;
	if (s2_setup(ste->s2tg, ste->s2t0sz, ste->s2sl0, cfg, &err))
		return -1;
	oa = pa_size_bits(ste->s2ps);
	if (!oa)
		return -1;
	if (caps && caps->oas && caps->oas < oa)
		oa = caps->oas;
	cfg->oa_bits = oa;
	cfg->ttb = ste->s2ttb;
	cfg->af_fault = !ste->s2ha && !ste->s2affd;
	return 0;
}

const char *
smmu_fault_str(int fault)
{
	switch (fault) {
	case SMMU_FAULT_NONE:
		return "none";
	case SMMU_FAULT_TRANSLATION:
		return "translation fault (F_TRANSLATION)";
	case SMMU_FAULT_ADDR_SIZE:
		return "address size fault (F_ADDR_SIZE)";
	case SMMU_FAULT_ACCESS:
		return "access flag fault (F_ACCESS)";
	case SMMU_FAULT_WALK_EABT:
		return "table not in the dump (F_WALK_EABT on the real SMMU)";
	case SMMU_FAULT_CONFIG:
		return "configuration error";
	case SMMU_FAULT_ABORT:
		return "transaction aborted";
	}
	return "?";
}

const char *
smmu_desc_type_str(int type)
{
	switch (type) {
	case SMMU_DESC_INVALID:
		return "invalid";
	case SMMU_DESC_TABLE:
		return "table";
	case SMMU_DESC_BLOCK:
		return "block";
	case SMMU_DESC_PAGE:
		return "page";
	}
	return "reserved";
}

void
smmu_perm_str(unsigned int perm, char *buf, size_t len)
{
	snprintf(buf, len, "%c%c%c%s", perm & SMMU_PERM_R ? 'r' : '-',
		 perm & SMMU_PERM_W ? 'w' : '-', perm & SMMU_PERM_X ? 'x' : '-',
		 perm & SMMU_PERM_PRIV_ONLY ? " priv" : "");
}

/* Output address of a descriptor: [47:shift], plus [51:48] in [15:12] for 64K. */
static uint64_t
desc_oa(uint64_t desc, unsigned int shift, const struct smmu_pt_cfg *cfg)
{
	uint64_t oa = desc & SMMU_MASK(47, shift);

	if (cfg->pg_shift == 16 && cfg->oa_bits > 48)
		oa |= SMMU_BITS(desc, 15, 12) << 48;
	return oa;
}

static int
block_allowed(const struct smmu_pt_cfg *cfg, int level)
{
	switch (cfg->pg_shift) {
	case 12:
		return level == 1 || level == 2;
	case 14:
		return level == 2;
	default:
		return level == 2 || (level == 1 && cfg->oa_bits > 48);
	}
}

/*
 * Permissions of a leaf descriptor; for stage 1 with the APTable and
 * XNTable bits gathered on the way down (s1_ap, s1_xn).
 */
static unsigned int
leaf_perm(const struct smmu_pt_cfg *cfg, uint64_t desc, unsigned int s1_ap,
	  unsigned int s1_xn, unsigned int *attr)
{
	unsigned int perm = 0;

	if (cfg->stage == 1) {
		/* AP[2:1]: bit 7 read-only, bit 6 unprivileged access */
		perm = SMMU_PERM_R;
		if (!(desc & (1ULL << 7)) && !(s1_ap & 2))
			perm |= SMMU_PERM_W;
		if (!(desc & (1ULL << 6)) || (s1_ap & 1))
			perm |= SMMU_PERM_PRIV_ONLY;
		if (!(desc & (1ULL << 54)) && !s1_xn)
			perm |= SMMU_PERM_X;
		*attr = SMMU_BITS(desc, 4, 2);
	} else {
		/* S2AP: bit 6 read, bit 7 write; XN[1:0] at 54:53 */
		if (desc & (1ULL << 6))
			perm |= SMMU_PERM_R;
		if (desc & (1ULL << 7))
			perm |= SMMU_PERM_W;
		if (!SMMU_BITS(desc, 54, 53))
			perm |= SMMU_PERM_X;
		*attr = SMMU_BITS(desc, 5, 2);
	}
	return perm;
}

int
smmu_pt_walk(const struct smmu_pt_cfg *cfg, uint64_t ia,
	     const struct smmu_mem *mem, const struct smmu_pt_cfg *s2,
	     struct smmu_walk *s2walk, struct smmu_walk *w)
{
	unsigned int stride = cfg->pg_shift - 3, shift, s1_ap = 0, s1_xn = 0;
	struct smmu_pt_step *st;
	struct smmu_walk tmp;
	unsigned char raw[8];
	uint64_t table, mask;
	int level, bits, ret;

	memset(w, 0, sizeof(*w));
	if (cfg->tbi)
		ia = (ia << 8) >> 8;
	bits = start_bits(cfg);
	if (bits < 1 || cfg->start < 0 || cfg->start > 3) {
		w->fault = SMMU_FAULT_CONFIG;
		return -1;
	}
	if (cfg->ia_bits < 64 && (ia >> cfg->ia_bits)) {
		w->fault = SMMU_FAULT_TRANSLATION;
		w->fault_level = cfg->start;
		return -1;
	}
	table = cfg->ttb & ~((8ULL << bits) - 1) & SMMU_MASK(51, 0);

	for (level = cfg->start; level < SMMU_PT_LEVELS; level++) {
		shift = level_shift(cfg->pg_shift, level);
		bits = level == cfg->start ? start_bits(cfg) : (int)stride;
		st = &w->step[w->nr++];
		st->level = level;
		st->table = table;
		st->index = (ia >> shift) & ((1ULL << bits) - 1);
		st->desc_addr = table + 8ULL * st->index;
		st->desc_pa = st->desc_addr;
		w->fault_level = level;

		if (s2) {
			struct smmu_walk *sw = s2walk ? &s2walk[level] : &tmp;

			if (smmu_pt_walk(s2, st->desc_addr, mem, NULL, NULL,
					 sw)) {
				w->fault = sw->fault;
				return -1;
			}
			st->desc_pa = sw->out;
		}

		ret = mem_read(mem, st->desc_pa, raw, sizeof(raw));
		if (ret == SMMU_READ_FAIL) {
			w->fault = SMMU_FAULT_WALK_EABT;
			return -1;
		}
		st->filtered = ret == SMMU_READ_ZERO;
		st->desc = smmu_le64(raw);

		if (!(st->desc & 1)) {
			st->type = SMMU_DESC_INVALID;
			w->fault = SMMU_FAULT_TRANSLATION;
			return -1;
		}
		if (level < 3 && (st->desc & 2)) {
			st->type = SMMU_DESC_TABLE;
			table = desc_oa(st->desc, cfg->pg_shift, cfg);
			if (!oa_fits(table, cfg->oa_bits)) {
				w->fault = SMMU_FAULT_ADDR_SIZE;
				return -1;
			}
			if (cfg->stage == 1) {
				s1_ap |= SMMU_BITS(st->desc, 62, 61);
				s1_xn |= SMMU_BITS(st->desc, 60, 60);
			}
			continue;
		}
		if (level == 3 && !(st->desc & 2)) {
			st->type = SMMU_DESC_RESERVED;
			w->fault = SMMU_FAULT_TRANSLATION;
			return -1;
		}
		st->type = level == 3 ? SMMU_DESC_PAGE : SMMU_DESC_BLOCK;
		if (st->type == SMMU_DESC_BLOCK && !block_allowed(cfg, level)) {
			w->fault = SMMU_FAULT_TRANSLATION;
			return -1;
		}
		mask = (1ULL << shift) - 1;
		w->out = desc_oa(st->desc, shift, cfg);
		if (!oa_fits(w->out, cfg->oa_bits)) {
			w->fault = SMMU_FAULT_ADDR_SIZE;
			return -1;
		}
		if (cfg->af_fault && !(st->desc & (1ULL << 10))) {
			w->fault = SMMU_FAULT_ACCESS;
			return -1;
		}
		w->out |= ia & mask;
		w->size = mask + 1;
		w->perm = leaf_perm(cfg, st->desc, s1_ap, s1_xn, &w->attr);
		return 0;
	}
	/* not reached: level 3 always ends the walk */
	w->fault = SMMU_FAULT_TRANSLATION;
	return -1;
}

/* ---- full translation --------------------------------------------------- */

static int
xlate_fail(struct smmu_xlate *x, int fault, const char *why)
{
	x->fault = fault;
	x->why = why;
	return -1;
}

/* Read through stage 2 when nested: ipa -> pa, recording the walk. */
static int
read_ipa(const struct smmu_xlate *x, int nested, uint64_t ipa,
	 const struct smmu_mem *mem, struct smmu_walk *sw, uint64_t *pa,
	 void *buf, size_t len)
{
	*pa = ipa;
	if (nested) {
		if (smmu_pt_walk(&x->s2cfg, ipa, mem, NULL, NULL, sw))
			return SMMU_READ_FAIL - 1;
		*pa = sw->out;
	}
	return mem_read(mem, *pa, buf, len);
}

int
smmu_cd_fetch(const struct smmu_ste *ste, uint32_t ssid,
	      const struct smmu_caps *caps, const struct smmu_mem *mem,
	      struct smmu_xlate *x)
{
	int nested = ste->cfg == SMMU_STE_CFG_NESTED;
	unsigned char raw[SMMU_CD_SIZE];
	unsigned int split;
	uint64_t pa;
	uint32_t idx;
	int ret;

	if (ssid == SMMU_NO_SSID) {
		if (ste->s1cdmax && ste->s1dss == SMMU_S1DSS_TERMINATE)
			return xlate_fail(x, SMMU_FAULT_ABORT,
				"S1DSS terminates transactions without a SubstreamID");
		if (ste->s1cdmax && ste->s1dss == SMMU_S1DSS_BYPASS) {
			x->bypass_s1 = 1;
			return 0;
		}
		idx = 0;
	} else {
		if (!ste->s1cdmax)
			return xlate_fail(x, SMMU_FAULT_CONFIG,
				"the STE has no substreams (S1CDMax 0): C_BAD_SUBSTREAMID");
		if (ssid >= smmu_ste_nr_cds(ste))
			return xlate_fail(x, SMMU_FAULT_CONFIG,
				"SubstreamID beyond S1CDMax: C_BAD_SUBSTREAMID");
		if (!ssid && ste->s1dss == SMMU_S1DSS_SSID0)
			return xlate_fail(x, SMMU_FAULT_CONFIG,
				"SubstreamID 0 is reserved when S1DSS is ssid0: C_BAD_SUBSTREAMID");
		idx = ssid;
	}
	x->ssid = idx;

	if (!ste->s1cdmax || ste->s1fmt == SMMU_S1FMT_LINEAR) {
		x->cd_addr = ste->s1ctxptr + (uint64_t)idx * SMMU_CD_SIZE;
	} else {
		split = ste->s1fmt == SMMU_S1FMT_4K_L2 ? 6 : 10;
		x->l1cd_addr = ste->s1ctxptr + (uint64_t)(idx >> split) *
			       SMMU_L1CD_SIZE;
		ret = read_ipa(x, nested, x->l1cd_addr, mem, &x->s2_l1cd, &pa,
			       raw, SMMU_L1CD_SIZE);
		if (ret < SMMU_READ_FAIL)
			return xlate_fail(x, x->s2_l1cd.fault,
				"stage 2 fault on the L1 CD descriptor fetch");
		if (ret == SMMU_READ_FAIL)
			return xlate_fail(x, SMMU_FAULT_WALK_EABT,
				"L1 CD descriptor not in the dump (F_CD_FETCH)");
		x->l1cd = smmu_le64(raw);
		if (!SMMU_L1CD_V(x->l1cd))
			return xlate_fail(x, SMMU_FAULT_CONFIG,
				"L1 CD descriptor not valid: C_BAD_SUBSTREAMID");
		x->cd_addr = SMMU_L1CD_L2PTR(x->l1cd) +
			     (uint64_t)(idx & ((1U << split) - 1)) *
			     SMMU_CD_SIZE;
	}

	ret = read_ipa(x, nested, x->cd_addr, mem, &x->s2_cd, &x->cd_pa, raw,
		       SMMU_CD_SIZE);
	if (ret < SMMU_READ_FAIL)
		return xlate_fail(x, x->s2_cd.fault,
				  "stage 2 fault on the CD fetch");
	if (ret == SMMU_READ_FAIL)
		return xlate_fail(x, SMMU_FAULT_WALK_EABT,
				  "CD not in the dump (F_CD_FETCH)");
	x->cd_filtered = ret == SMMU_READ_ZERO;
	smmu_cd_decode_bytes(raw, caps, &x->cd);
	if (!x->cd.v)
		return xlate_fail(x, SMMU_FAULT_CONFIG,
				  "CD not valid: C_BAD_CD");
	if (x->cd.errors)
		return xlate_fail(x, SMMU_FAULT_CONFIG,
				  "CD is ILLEGAL: C_BAD_CD");
	return 0;
}

int
smmu_translate(const struct smmu_ste *ste, uint32_t ssid, uint64_t iova,
	       const struct smmu_caps *caps, const struct smmu_mem *mem,
	       struct smmu_xlate *x)
{
	uint64_t ipa;

	memset(x, 0, sizeof(*x));
	x->ssid = SMMU_NO_SSID;
	if (!ste->v)
		return xlate_fail(x, SMMU_FAULT_ABORT,
				  "STE not valid: C_BAD_STE");
	if (ste->errors)
		return xlate_fail(x, SMMU_FAULT_CONFIG,
				  "STE is ILLEGAL: C_BAD_STE");
	if (ste->cfg == SMMU_STE_CFG_ABORT)
		return xlate_fail(x, SMMU_FAULT_ABORT,
				  "STE Config is abort");

	x->bypass_s1 = !smmu_ste_s1(ste);
	x->bypass_s2 = !smmu_ste_s2(ste);
	x->perm = SMMU_PERM_R | SMMU_PERM_W;
	x->size = 0;

	if (!x->bypass_s2 && smmu_pt_cfg_s2(ste, caps, &x->s2cfg))
		return xlate_fail(x, SMMU_FAULT_CONFIG,
				  "stage-2 fields cannot be walked");

	ipa = iova;
	if (!x->bypass_s1) {
		if (smmu_cd_fetch(ste, ssid, caps, mem, x))
			return -1;
	}
	if (!x->bypass_s1) {
		if (smmu_pt_cfg_s1(&x->cd, caps, &x->s1cfg))
			return xlate_fail(x, SMMU_FAULT_TRANSLATION,
				"CD disables or cannot describe the TTB0 walk");
		if (smmu_pt_walk(&x->s1cfg, iova, mem,
				 x->bypass_s2 ? NULL : &x->s2cfg, x->s1_s2,
				 &x->s1)) {
			x->fault = x->s1.fault;
			x->why = "stage 1";
			return -1;
		}
		ipa = x->s1.out;
		x->perm = x->s1.perm;
		x->size = x->s1.size;
	}
	if (!x->bypass_s2) {
		if (smmu_pt_walk(&x->s2cfg, ipa, mem, NULL, NULL, &x->s2)) {
			x->fault = x->s2.fault;
			x->why = "stage 2";
			return -1;
		}
		x->pa = x->s2.out;
		if (x->bypass_s1)
			x->perm = x->s2.perm;
		else
			x->perm &= x->s2.perm | SMMU_PERM_PRIV_ONLY;
		if (!x->size || x->s2.size < x->size)
			x->size = x->s2.size;
	} else {
		x->pa = ipa;
	}
	return 0;
}

/* ---- reverse lookup ------------------------------------------------------ */

/*
 * One address space walked from its root for the leaves whose output
 * range holds one of the target addresses.  Every table is read whole,
 * its descriptors checked as smmu_pt_walk() checks them; the number of
 * tables read is bounded by SMMU_RMAP_MAX_TABLES, and with the other
 * address spaces of the STE (CDs may share tables) by
 * SMMU_RMAP_MAX_STE_TABLES: stats->tables stays below tables_max.
 */
struct rwalk {
	const struct smmu_pt_cfg *cfg;
	const struct smmu_pt_cfg *s2;	/* nested: table addresses are IPAs */
	const struct smmu_mem *mem;
	const uint64_t	*targets;
	unsigned int	nr_targets;
	uint64_t	budget;
	uint64_t	tables_max;
	struct smmu_rmap_stats *stats;
	/* called for each (leaf, target) pair */
	int		(*leaf)(struct rwalk *rw, unsigned int target,
				uint64_t ia, uint64_t size, unsigned int perm,
				int af_fault);
	void		*arg;
};

static int
rwalk_table(struct rwalk *rw, int level, uint64_t table, uint64_t ia_base,
	    unsigned int s1_ap, unsigned int s1_xn)
{
	const struct smmu_pt_cfg *cfg = rw->cfg;
	unsigned int shift = level_shift(cfg->pg_shift, level), attr, perm;
	int bits = level == cfg->start ? start_bits(cfg) :
		   (int)(cfg->pg_shift - 3);
	uint64_t n = 1ULL << bits, i, desc, oa, ia, size, pa = table;
	struct smmu_walk sw;
	unsigned char *buf;
	unsigned int t;
	int ret, stop = 0;

	if (!rw->budget || rw->stats->tables >= rw->tables_max) {
		rw->stats->truncated++;
		return 0;
	}
	rw->budget--;
	rw->stats->tables++;
	if (rw->s2) {
		if (smmu_pt_walk(rw->s2, table, rw->mem, NULL, NULL, &sw)) {
			rw->stats->unreadable++;
			return 0;
		}
		pa = sw.out;
	}
	buf = malloc(n * 8);
	if (!buf)
		return 0;
	ret = mem_read(rw->mem, pa, buf, n * 8);
	if (ret == SMMU_READ_FAIL) {
		rw->stats->unreadable++;
		free(buf);
		return 0;
	}
	for (i = 0; i < n && !stop; i++) {
		desc = smmu_le64(buf + 8 * i);
		if (!(desc & 1))
			continue;
		ia = ia_base | (i << shift);
		if (level < 3 && (desc & 2)) {
			oa = desc_oa(desc, cfg->pg_shift, cfg);
			if (!oa_fits(oa, cfg->oa_bits))
				continue;
			stop = rwalk_table(rw, level + 1, oa, ia,
				cfg->stage == 1 ?
				s1_ap | (unsigned int)SMMU_BITS(desc, 62, 61) : 0,
				cfg->stage == 1 ?
				s1_xn | (unsigned int)SMMU_BITS(desc, 60, 60) : 0);
			continue;
		}
		if (level == 3 && !(desc & 2))
			continue;		/* reserved */
		if (level < 3 && !block_allowed(cfg, level))
			continue;
		oa = desc_oa(desc, shift, cfg);
		if (!oa_fits(oa, cfg->oa_bits))
			continue;
		size = 1ULL << shift;
		perm = leaf_perm(cfg, desc, s1_ap, s1_xn, &attr);
		for (t = 0; t < rw->nr_targets && !stop; t++) {
			if (rw->targets[t] < oa || rw->targets[t] - oa >= size)
				continue;
			stop = rw->leaf(rw, t, ia + (rw->targets[t] - oa),
					size, perm, cfg->af_fault &&
					!(desc & (1ULL << 10)));
		}
	}
	free(buf);
	return stop;
}

static int
rwalk_run(struct rwalk *rw)
{
	const struct smmu_pt_cfg *cfg = rw->cfg;
	int bits = start_bits(cfg);

	if (bits < 1 || cfg->start < 0 || cfg->start > 3)
		return 0;
	rw->budget = SMMU_RMAP_MAX_TABLES;
	return rwalk_table(rw, cfg->start,
			   cfg->ttb & ~((8ULL << bits) - 1) & SMMU_MASK(51, 0),
			   0, 0, 0);
}

/* Nested: the IPAs that stage 2 maps onto the target, with their leaf. */
struct rmap_ipa {
	uint64_t	ipa;
	uint64_t	size;
	unsigned int	perm;
	int		af_fault;
};

struct rmap_ctx {
	const struct smmu_ste *ste;
	uint32_t	sid;
	uint64_t	pa;
	smmu_rmap_fn	fn;
	void		*arg;
	struct smmu_rmap_hit hit;	/* CD fields filled in by the caller */
	struct rmap_ipa	ipas[SMMU_RMAP_MAX_ALIASES];
	unsigned int	nr_ipas;
};

static int
rmap_emit(struct rmap_ctx *c, uint64_t iova, uint64_t ipa, uint64_t size,
	  unsigned int perm, unsigned int flags)
{
	struct smmu_rmap_hit h = c->hit;

	h.sid = c->sid;
	h.cfg = c->ste->cfg;
	h.pa = c->pa;
	h.iova = iova;
	h.ipa = ipa;
	h.size = size;
	h.perm = perm;
	h.flags |= flags;
	if (smmu_ste_s2(c->ste))
		h.vmid = c->ste->s2vmid;
	return c->fn(c->arg, &h);
}

/* Stage 2 alone: the IPA is the IOVA. */
static int
rmap_s2_leaf(struct rwalk *rw, unsigned int target, uint64_t ia,
	     uint64_t size, unsigned int perm, int af_fault)
{
	struct rmap_ctx *c = rw->arg;

	return rmap_emit(c, ia, SMMU_RMAP_NO_IPA, size, perm,
			 af_fault ? SMMU_RMAP_AF_FAULT : 0);
}

/* Nested, first pass: collect the IPAs of the target. */
static int
rmap_ipa_leaf(struct rwalk *rw, unsigned int target, uint64_t ia,
	      uint64_t size, unsigned int perm, int af_fault)
{
	struct rmap_ctx *c = rw->arg;
	struct rmap_ipa *p;

	if (c->nr_ipas == SMMU_RMAP_MAX_ALIASES) {
		rw->stats->truncated++;	/* more aliases than we keep */
		return 0;
	}
	p = &c->ipas[c->nr_ipas++];
	p->ipa = ia;
	p->size = size;
	p->perm = perm;
	p->af_fault = af_fault;
	return 0;
}

/* Stage 1, alone or nested (then the target is the IPA of ipas[target]). */
static int
rmap_s1_leaf(struct rwalk *rw, unsigned int target, uint64_t ia,
	     uint64_t size, unsigned int perm, int af_fault)
{
	struct rmap_ctx *c = rw->arg;
	const struct rmap_ipa *p;
	unsigned int flags = af_fault ? SMMU_RMAP_AF_FAULT : 0;

	if (!smmu_ste_s2(c->ste))
		return rmap_emit(c, ia, SMMU_RMAP_NO_IPA, size, perm, flags);
	p = &c->ipas[target];
	if (p->af_fault)
		flags |= SMMU_RMAP_AF_FAULT;
	return rmap_emit(c, ia, p->ipa, size < p->size ? size : p->size,
			 perm & (p->perm | SMMU_PERM_PRIV_ONLY), flags);
}

/* Transactions that bypass stage 1 (S1DSS bypass), or the whole STE. */
static int
rmap_s1_bypass(struct rmap_ctx *c, unsigned int flags)
{
	unsigned int i;
	int stop = 0;

	if (!smmu_ste_s2(c->ste))
		return rmap_emit(c, c->pa, SMMU_RMAP_NO_IPA, 0,
				 SMMU_PERM_R | SMMU_PERM_W, flags);
	for (i = 0; i < c->nr_ipas && !stop; i++)
		stop = rmap_emit(c, c->ipas[i].ipa, SMMU_RMAP_NO_IPA,
				 c->ipas[i].size, c->ipas[i].perm, flags |
				 (c->ipas[i].af_fault ? SMMU_RMAP_AF_FAULT : 0));
	return stop;
}

static int
rmap_cds(struct rmap_ctx *c, const struct smmu_pt_cfg *s2cfg,
	 const struct smmu_caps *caps, const struct smmu_mem *mem,
	 struct smmu_rmap_stats *st, uint64_t tables_max)
{
	const struct smmu_ste *ste = c->ste;
	uint32_t n = smmu_ste_nr_cds(ste), i, ssid, split, limit, fetches = 0;
	uint64_t targets[SMMU_RMAP_MAX_ALIASES];
	struct smmu_pt_cfg s1cfg;
	struct smmu_xlate *x;
	struct rwalk rw;
	int stop = 0;

	limit = caps && caps->ssid_bits < 20 ? 1U << caps->ssid_bits :
		1U << 20;
	if (n > limit)
		n = limit;
	split = ste->s1fmt == SMMU_S1FMT_64K_L2 ? 10 : 6;

	memset(&rw, 0, sizeof(rw));
	rw.mem = mem;
	rw.stats = st;
	rw.tables_max = tables_max;
	rw.leaf = rmap_s1_leaf;
	rw.arg = c;
	if (s2cfg) {
		rw.s2 = s2cfg;
		for (i = 0; i < c->nr_ipas; i++)
			targets[i] = c->ipas[i].ipa;
		rw.targets = targets;
		rw.nr_targets = c->nr_ipas;
	} else {
		rw.targets = &c->pa;
		rw.nr_targets = 1;
	}

	x = malloc(sizeof(*x));
	if (!x)
		return 0;
	for (i = 0; i < n && !stop; i++) {
		/* Per STE, and every fetch counts, of an invalid CD too */
		if (fetches++ == SMMU_RMAP_MAX_CDS) {
			st->truncated++;
			break;
		}
		ssid = i == 0 && (!ste->s1cdmax ||
			ste->s1dss == SMMU_S1DSS_SSID0) ? SMMU_NO_SSID : i;
		memset(x, 0, sizeof(*x));
		if (s2cfg)
			x->s2cfg = *s2cfg;
		if (smmu_cd_fetch(ste, ssid, caps, mem, x)) {
			/* no L2 CD table: skip the SSIDs it would hold */
			if (x->l1cd_addr && !x->cd_addr)
				i |= (1U << split) - 1;
			continue;
		}
		st->cds++;
		if (x->bypass_s1)
			continue;
		if (smmu_pt_cfg_s1(&x->cd, caps, &s1cfg))
			continue;
		rw.cfg = &s1cfg;
		c->hit.ssid = ssid;
		c->hit.asid = x->cd.asid;
		c->hit.flags = 0;
		stop = rwalk_run(&rw);
	}
	free(x);
	return stop;
}

int
smmu_rmap_ste(const struct smmu_ste *ste, uint32_t sid, uint64_t pa,
	      const struct smmu_caps *caps, const struct smmu_mem *mem,
	      smmu_rmap_fn fn, void *arg, struct smmu_rmap_stats *st)
{
	uint64_t tables_max = st->tables + SMMU_RMAP_MAX_STE_TABLES;
	struct smmu_pt_cfg s2cfg;
	struct rmap_ctx *c;
	struct rwalk rw;
	int stop = 0;

	if (!ste->v || ste->errors || ste->cfg == SMMU_STE_CFG_ABORT ||
	    (ste->cfg != SMMU_STE_CFG_BYPASS && !smmu_ste_s1(ste) &&
	     !smmu_ste_s2(ste)))
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return 0;
	c->ste = ste;
	c->sid = sid;
	c->pa = pa;
	c->fn = fn;
	c->arg = arg;
	c->hit.ssid = SMMU_NO_SSID;

	if (ste->cfg == SMMU_STE_CFG_BYPASS) {
		stop = rmap_s1_bypass(c, SMMU_RMAP_BYPASS);
		goto out;
	}
	if (smmu_ste_s2(ste)) {
		if (smmu_pt_cfg_s2(ste, caps, &s2cfg))
			goto out;
		memset(&rw, 0, sizeof(rw));
		rw.cfg = &s2cfg;
		rw.mem = mem;
		rw.targets = &c->pa;
		rw.nr_targets = 1;
		rw.stats = st;
		rw.tables_max = tables_max;
		rw.arg = c;
		rw.leaf = smmu_ste_s1(ste) ? rmap_ipa_leaf : rmap_s2_leaf;
		stop = rwalk_run(&rw);
		if (!smmu_ste_s1(ste) || stop || !c->nr_ipas)
			goto out;
	}
	if (ste->s1cdmax && ste->s1dss == SMMU_S1DSS_BYPASS) {
		stop = rmap_s1_bypass(c, SMMU_RMAP_S1DSS_BYPASS);
		if (stop)
			goto out;
	}
	stop = rmap_cds(c, smmu_ste_s2(ste) ? &s2cfg : NULL, caps, mem, st,
			tables_max);
out:
	free(c);
	return stop;
}

struct rmap_strtab {
	uint64_t	pa;
	const struct smmu_caps *caps;
	const struct smmu_mem *mem;
	smmu_rmap_fn	fn;
	void		*arg;
	struct smmu_rmap_stats *st;
};

static int
rmap_visit(void *arg, uint32_t sid, uint64_t addr, const struct smmu_ste *ste,
	   unsigned int flags)
{
	struct rmap_strtab *r = arg;

	r->st->stes++;
	return smmu_rmap_ste(ste, sid, r->pa, r->caps, r->mem, r->fn, r->arg,
			     r->st);
}

uint64_t
smmu_rmap_strtab(const struct smmu_strtab *t, uint64_t pa,
		 const struct smmu_caps *caps, const struct smmu_mem *mem,
		 smmu_rmap_fn fn, void *arg, struct smmu_rmap_stats *st)
{
	struct rmap_strtab r = { pa, caps, mem, fn, arg, st };
	uint64_t unreadable = 0;

	smmu_strtab_for_each(t, caps, mem, rmap_visit, &r, &unreadable);
	st->unreadable_stes += unreadable;
	return st->stes;
}

/* ---- device selection ------------------------------------------------------ */

static int
hex_digits(const char *s, size_t n, unsigned long *v)
{
	size_t i;

	*v = 0;
	if (!n || n > 8)
		return 0;
	for (i = 0; i < n; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return 0;
		*v = *v << 4 | (unsigned long)d;
	}
	return 1;
}

/* "[SEG:]BB:DD.F", all hexadecimal (pci_name() prints "%04x:%02x:%02x.%d"). */
static int
parse_pci(const char *s, struct smmu_sel *sel)
{
	const char *c1 = strchr(s, ':'), *c2, *dot;
	unsigned long seg = 0, bus, dev, fn;
	int has_seg = 0;

	if (!c1)
		return 0;
	c2 = strchr(c1 + 1, ':');
	if (c2) {
		if (!hex_digits(s, c1 - s, &seg))
			return 0;
		has_seg = 1;
		s = c1 + 1;
		c1 = c2;
	}
	dot = strchr(c1 + 1, '.');
	if (!dot || strchr(dot + 1, '.') || strchr(dot + 1, ':'))
		return 0;
	if (c1 - s > 2 || !hex_digits(s, c1 - s, &bus) ||
	    dot - c1 - 1 > 2 || !hex_digits(c1 + 1, dot - c1 - 1, &dev) ||
	    strlen(dot + 1) != 1 || !hex_digits(dot + 1, 1, &fn) ||
	    dev > 0x1f || fn > 7)
		return 0;
	sel->kind = SMMU_SEL_PCI;
	sel->has_seg = has_seg;
	sel->seg = seg;
	sel->rid = (uint32_t)(bus << 8 | dev << 3 | fn);
	return 1;
}

int
smmu_sel_parse(const char *s, struct smmu_sel *sel)
{
	unsigned long long v;
	const char *p = s;
	char *end;
	int hex = 0, letters = 0;

	memset(sel, 0, sizeof(*sel));
	if (!s || !*s)
		return -1;
	snprintf(sel->name, sizeof(sel->name), "%s", s);
	if (parse_pci(s, sel))
		return 0;
	/* crash's stol(): decimal, else hexadecimal with or without 0x */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		hex = 1;
	}
	if (*p && strspn(p, "0123456789abcdefABCDEF") == strlen(p)) {
		letters = strspn(p, "0123456789") != strlen(p);
		errno = 0;
		v = strtoull(p, &end, hex || letters ? 16 : 10);
		if (!errno && !*end && v <= 0xffffffffULL) {
			sel->kind = SMMU_SEL_SID;
			sel->sid = (uint32_t)v;
			sel->maybe_name = letters && !hex;
			return 0;
		}
		if (hex)
			return -1;
	} else if (hex) {
		return -1;
	}
	if (strlen(s) >= sizeof(sel->name))
		return -1;
	sel->kind = SMMU_SEL_NAME;
	return 0;
}

int
smmu_sel_match(const struct smmu_sel *sel, const char *devname)
{
	struct smmu_sel d;

	switch (sel->kind) {
	case SMMU_SEL_NAME:
		return !strcmp(sel->name, devname);
	case SMMU_SEL_PCI:
		if (!parse_pci(devname, &d) || !d.has_seg)
			return 0;
		return d.rid == sel->rid && (!sel->has_seg || d.seg == sel->seg);
	}
	return 0;
}

static void
walk_damaged(struct smmu_node_walk *w, uint64_t addr, const char *why)
{
	if (!w->damaged++) {
		w->bad = addr;
		w->why = why;
	}
}

uint64_t
smmu_rb_walk(const struct smmu_mem *mem, uint64_t root, uint64_t max,
	     smmu_rb_fn fn, void *arg, struct smmu_node_walk *w)
{
	uint64_t path[SMMU_RB_MAX_DEPTH], right[SMMU_RB_MAX_DEPTH], node;
	unsigned char raw[SMMU_RB_NODE_SIZE], in_right[SMMU_RB_MAX_DEPTH];
	const char *why;
	int depth = 0, i, ret;

	memset(w, 0, sizeof(*w));
	if (mem_read(mem, root, raw, 8) == SMMU_READ_FAIL) {
		walk_damaged(w, root, "cannot be read");
		return 0;
	}
	node = smmu_le64(raw);
	for (;;) {
		if (node) {
			why = node & 7 ? "misaligned" : NULL;
			for (i = 0; !why && i < depth; i++)
				if (path[i] == node)
					why = "loops back";
			if (!why && depth == SMMU_RB_MAX_DEPTH)
				why = "too deep";
			if (!why && mem_read(mem, node, raw, sizeof(raw)) ==
			    SMMU_READ_FAIL)
				why = "cannot be read";
			if (why) {
				walk_damaged(w, node, why);
				node = 0;
				continue;
			}
			path[depth] = node;
			right[depth] = smmu_le64(raw + SMMU_RB_RIGHT);
			in_right[depth] = 0;
			depth++;
			node = smmu_le64(raw + SMMU_RB_LEFT);
			continue;
		}
		/* a subtree is done: up to the first node left of it */
		while (depth && in_right[depth - 1])
			depth--;
		if (!depth)
			break;
		in_right[depth - 1] = 1;
		why = NULL;
		ret = fn(arg, path[depth - 1], &why);
		w->nodes++;
		if (ret < 0)
			walk_damaged(w, path[depth - 1], why ? why : "damaged");
		if (ret > 0)
			break;
		if (w->nodes >= max) {
			w->truncated = 1;
			break;
		}
		node = right[depth - 1];
	}
	return w->nodes;
}

uint64_t
smmu_list_walk(const struct smmu_mem *mem, uint64_t head, uint64_t *out,
	       uint64_t max, struct smmu_node_walk *w)
{
	uint64_t node, prev = head;
	unsigned char raw[16];
	const char *why;

	memset(w, 0, sizeof(*w));
	if (mem_read(mem, head, raw, 8) == SMMU_READ_FAIL) {
		walk_damaged(w, head, "cannot be read");
		return 0;
	}
	for (node = smmu_le64(raw); node != head; node = smmu_le64(raw)) {
		if (w->nodes == max) {
			w->truncated = 1;
			break;
		}
		why = node & 7 ? "misaligned" : NULL;
		if (!why &&
		    mem_read(mem, node, raw, sizeof(raw)) == SMMU_READ_FAIL)
			why = "cannot be read";
		/* as CONFIG_DEBUG_LIST checks: a next that loops back fails */
		if (!why && smmu_le64(raw + 8) != prev)
			why = "its prev does not point back";
		if (why) {
			walk_damaged(w, node, why);
			break;
		}
		out[w->nodes++] = node;
		prev = node;
	}
	return w->nodes;
}

/* ---- tables ----------------------------------------------------------------- */

/*
 * The column layouts of the command's tables.  A header is one token per
 * column, so that "awk '{ print $N }'" finds the same column in the
 * header and in the rows; only the last column may hold spaces.
 */
const struct smmu_col smmu_cols_list[SMMU_LIST_NR_COLS] = {
	{ "INDEX", 5, 0 },
	{ "ARM_SMMU_DEVICE", 16, 1 },
	{ "DEVICE", 16, 1 },
	{ "MMIO", 10, 1 },
	{ "STRTAB", 16, 1 },
	{ "VALID_STES", 10, 0 },
	{ "DEVICE_DUMP", 0, 1 },
};

const struct smmu_col smmu_cols_all[SMMU_ALL_NR_COLS] = {
	{ "SID", 8, 0 },
	{ "STE", 12, 0 },
	{ "CONFIG", 8, 1 },
	{ "DEVICE", 14, 1 },
	{ "TRANSLATION", 0, 1 },
};

const struct smmu_col smmu_cols_rmap[SMMU_RMAP_NR_COLS] = {
	{ "SID", 8, 0 },
	{ "SSID", 6, 0 },
	{ "IOVA", 16, 0 },
	{ "IPA", 12, 0 },
	{ "PA", 12, 0 },
	{ "SIZE", 5, 0 },
	{ "PERM", 4, 1 },
	{ "CONFIG", 8, 1 },
	{ "DEVICE", 14, 1 },
	{ "NOTE", 0, 1 },
};

const struct smmu_col smmu_cols_dd_streams[SMMU_DD_STREAMS_NR_COLS] = {
	{ "SID", 8, 0 },
	{ "DECISION", 9, 1 },
	{ "REASON", 16, 1 },
	{ "STE0_AS_FOUND", 16, 1 },
	{ "DEVICE", 0, 1 },
};

const struct smmu_col smmu_cols_dd_writes[SMMU_DD_WRITES_NR_COLS] = {
	{ "PHYS", 12, 0 },
	{ "KIND", 5, 1 },
	{ "SID", 8, 0 },
	{ "OLD", 16, 1 },
	{ "NEW", 16, 1 },
	{ "IN_DUMP", 0, 1 },
};

static void
table_line(FILE *ofp, const struct smmu_col *cols, unsigned int nr,
	   const char *indent, const char *const *cells)
{
	unsigned int i;

	fputs(indent, ofp);
	for (i = 0; i < nr; i++) {
		const char *s = cells ? cells[i] : cols[i].name;

		if (!s || !*s)
			s = "-";
		if (i + 1 == nr && cols[i].left)
			fputs(s, ofp);	/* no trailing blanks */
		else
			fprintf(ofp, cols[i].left ? "%-*s" : "%*s",
				cols[i].width, s);
		if (i + 1 < nr)
			fputs("  ", ofp);
	}
	fputc('\n', ofp);
}

void
smmu_table_header(FILE *ofp, const struct smmu_col *cols, unsigned int nr,
		  const char *indent)
{
	table_line(ofp, cols, nr, indent, NULL);
}

void
smmu_table_row(FILE *ofp, const struct smmu_col *cols, unsigned int nr,
	       const char *indent, const char *const *cells)
{
	table_line(ofp, cols, nr, indent, cells);
}

/* ---- SMMU instances ---------------------------------------------------------- */

/*
 * "-i": the INDEX the list prints (decimal), else the address of the
 * struct arm_smmu_device or the MMIO base (hexadecimal, with or without
 * 0x).  Returns the position in ids[], or -1.
 */
int
smmu_pick_inst(const char *sel, const struct smmu_inst_id *ids, int n)
{
	unsigned long long v;
	const char *p = sel;
	char *end;
	int i;

	if (!sel || !*sel)
		return -1;
	if (strspn(sel, "0123456789") == strlen(sel)) {
		v = strtoull(sel, &end, 10);
		for (i = 0; i < n; i++)
			if (ids[i].index == v)
				return i;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!*p || strspn(p, "0123456789abcdefABCDEF") != strlen(p) ||
	    strlen(p) > 16)
		return -1;
	v = strtoull(p, &end, 16);
	for (i = 0; i < n; i++)
		if ((ids[i].addr && ids[i].addr == v) ||
		    (ids[i].mmio && ids[i].mmio == v))
			return i;
	return -1;
}

/* ---- queues and events -------------------------------------------------- */

uint32_t
smmu_q_idx(uint32_t p, unsigned int log2n)
{
	return p & ((1U << log2n) - 1);
}

uint32_t
smmu_q_used(uint32_t prod, uint32_t cons, unsigned int log2n)
{
	uint32_t n = 1U << log2n;
	uint32_t pi = smmu_q_idx(prod, log2n), ci = smmu_q_idx(cons, log2n);
	uint32_t pw = (prod >> log2n) & 1, cw = (cons >> log2n) & 1;

	if (pw == cw)
		return pi >= ci ? pi - ci : 0;
	return pi <= ci ? n - ci + pi : n;
}

int
smmu_q_ptrs_ok(uint32_t prod, uint32_t cons, unsigned int log2n)
{
	uint32_t n = 1U << log2n, mask = n - 1;

	return (prod & n) == (cons & n) ? (prod & mask) >= (cons & mask) :
					  (prod & mask) <= (cons & mask);
}

const char *
smmu_evt_name(unsigned int id)
{
	switch (id) {
	case 0x01: return "F_UUT";
	case 0x02: return "C_BAD_STREAMID";
	case 0x03: return "F_STE_FETCH";
	case 0x04: return "C_BAD_STE";
	case 0x05: return "F_BAD_ATS_TREQ";
	case 0x06: return "F_STREAM_DISABLED";
	case 0x07: return "F_TRANSL_FORBIDDEN";
	case 0x08: return "C_BAD_SUBSTREAMID";
	case 0x09: return "F_CD_FETCH";
	case 0x0a: return "C_BAD_CD";
	case 0x0b: return "F_WALK_EABT";
	case 0x10: return "F_TRANSLATION";
	case 0x11: return "F_ADDR_SIZE";
	case 0x12: return "F_ACCESS";
	case 0x13: return "F_PERMISSION";
	case 0x20: return "F_TLB_CONFLICT";
	case 0x21: return "F_CFG_CONFLICT";
	case 0x24: return "E_PAGE_REQUEST";
	case 0x25: return "F_VMS_FETCH";
	}
	return "unknown";
}

void
smmu_evt_decode(const uint64_t w[SMMU_EVT_DWORDS], struct smmu_evt *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->w, w, sizeof(e->w));
	e->id = SMMU_BITS(w[0], 7, 0);
	e->ssv = SMMU_BITS(w[0], 11, 11);
	e->ssid = SMMU_BITS(w[0], 31, 12);
	e->sid = SMMU_BITS(w[0], 63, 32);
	switch (e->id) {
	case 0x01: case 0x05: case 0x07: case 0x0b:
	case 0x10: case 0x11: case 0x12: case 0x13:
	case 0x20: case 0x24:
		e->has_addr = 1;
		e->stag = SMMU_BITS(w[1], 15, 0);
		e->stall = SMMU_BITS(w[1], 31, 31);
		e->pnu = SMMU_BITS(w[1], 33, 33);
		e->ind = SMMU_BITS(w[1], 34, 34);
		e->rnw = SMMU_BITS(w[1], 35, 35);
		e->s2 = SMMU_BITS(w[1], 39, 39);
		e->class_ = SMMU_BITS(w[1], 41, 40);
		e->addr = w[2];
		/* IHI 0070 7.3.12: F_WALK_EABT's FetchAddr[51:3], no IPA */
		if (e->id == 0x0b)
			e->fetch = w[3] & SMMU_MASK(51, 3);
		else
			e->ipa = w[3] & SMMU_MASK(51, 12);
		break;
	case 0x03: case 0x09: case 0x25:
		/* FetchAddr[51:3] */
		e->addr = w[3] & SMMU_MASK(51, 3);
		break;
	}
}

void
smmu_evt_str(const struct smmu_evt *e, char *buf, size_t len)
{
	static const char *const cls[] = { "CD", "TT", "IN", "reserved" };
	size_t n;

	snprintf(buf, len, "%s (%#x)  SID: %#x", smmu_evt_name(e->id), e->id,
		 e->sid);
	n = strlen(buf);
	if (e->ssv && n < len)
		n += snprintf(buf + n, len - n, "  SSID: %#x", e->ssid);
	if (n >= len)
		return;
	if (e->has_addr) {
		n += snprintf(buf + n, len - n, "  ADDR: %llx  %s%s%s  CLASS: %s",
			      (unsigned long long)e->addr,
			      e->rnw ? "read" : "write", e->ind ? " insn" : "",
			      e->pnu ? " priv" : "", cls[e->class_ & 3]);
		if (e->id == 0x0b && n < len)
			n += snprintf(buf + n, len - n, "  FETCH: %llx%s",
				      (unsigned long long)e->fetch,
				      e->s2 ? " (stage 2)" : "");
		else if (e->s2 && n < len)
			n += snprintf(buf + n, len - n, "  S2 IPA: %llx",
				      (unsigned long long)e->ipa);
		if (e->stall && n < len)
			snprintf(buf + n, len - n, "  STALL STAG: %#x",
				 e->stag);
	} else if (e->addr) {
		snprintf(buf + n, len - n, "  FETCH: %llx",
			 (unsigned long long)e->addr);
	}
}

void
smmu_evt_decode_bytes(const void *buf, struct smmu_evt *e)
{
	uint64_t w[SMMU_EVT_DWORDS];
	int k;

	for (k = 0; k < SMMU_EVT_DWORDS; k++)
		w[k] = smmu_le64((const unsigned char *)buf + 8 * k);
	smmu_evt_decode(w, e);
}

void
smmu_evt_print(FILE *ofp, const struct smmu_evt *e, const char *label)
{
	char buf[256];

	smmu_evt_str(e, buf, sizeof(buf));
	fprintf(ofp, "%s%s\n%*s%016llx %016llx %016llx %016llx\n", label, buf,
		(int)strlen(label), "", (unsigned long long)e->w[0],
		(unsigned long long)e->w[1], (unsigned long long)e->w[2],
		(unsigned long long)e->w[3]);
}

int
smmu_evt_show_at(FILE *ofp, const struct smmu_mem *mem, uint64_t pa,
		 const char *label)
{
	unsigned char raw[SMMU_EVT_SIZE];
	struct smmu_evt e;

	if (mem->read(mem->ctx, pa, raw, sizeof(raw)) == SMMU_READ_FAIL)
		return SMMU_READ_FAIL;
	smmu_evt_decode_bytes(raw, &e);
	smmu_evt_print(ofp, &e, label);
	return 0;
}

/* ---- names -------------------------------------------------------------- */

#define REG(r)		{ SMMU_##r, #r }
#define REG_P0(r)	{ SMMU_##r, #r " (page 0)" }
#define REG_P1(r)	{ SMMU_P1(SMMU_##r), #r }

static const struct {
	uint32_t	offset;
	const char	*name;
} reg_names[] = {
	REG(IDR0), REG(IDR1), REG(IDR2), REG(IDR3), REG(IDR4), REG(IDR5),
	REG(IIDR), REG(AIDR), REG(CR0), REG(CR0ACK), REG(CR1), REG(CR2),
	REG(STATUSR), REG(GBPA), REG(AGBPA), REG(IRQ_CTRL), REG(IRQ_CTRLACK),
	REG(GERROR), REG(GERRORN), REG(GERROR_IRQ_CFG0),
	REG(GERROR_IRQ_CFG1), REG(GERROR_IRQ_CFG2), REG(STRTAB_BASE),
	REG(STRTAB_BASE_CFG), REG(CMDQ_BASE), REG(CMDQ_PROD), REG(CMDQ_CONS),
	REG(EVTQ_BASE), REG_P0(EVTQ_PROD), REG_P0(EVTQ_CONS),
	REG(EVTQ_IRQ_CFG0), REG(EVTQ_IRQ_CFG1), REG(EVTQ_IRQ_CFG2),
	REG(PRIQ_BASE), REG_P0(PRIQ_PROD), REG_P0(PRIQ_CONS),
	REG(PRIQ_IRQ_CFG0), REG(PRIQ_IRQ_CFG1), REG(PRIQ_IRQ_CFG2),
	REG_P1(EVTQ_PROD), REG_P1(EVTQ_CONS),
	REG_P1(PRIQ_PROD), REG_P1(PRIQ_CONS),
};

#undef REG
#undef REG_P0
#undef REG_P1

const char *
smmu_reg_name(uint32_t offset)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(reg_names); i++)
		if (reg_names[i].offset == offset)
			return reg_names[i].name;
	return NULL;
}

const char *const smmu_cr0_bits[SMMU_CR0_NR_BITS] = {
	"SMMUEN", "PRIQEN", "EVTQEN", "CMDQEN", "ATSCHK",
};

const char *const smmu_gerror_bits[SMMU_GERROR_NR_BITS] = {
	"CMDQ_ERR", NULL, "EVTQ_ABT_ERR", "PRIQ_ABT_ERR", "MSI_CMDQ_ABT_ERR",
	"MSI_EVTQ_ABT_ERR", "MSI_PRIQ_ABT_ERR", "MSI_GERROR_ABT_ERR",
	"SFM_ERR",
};

const char *const smmu_feature_names[SMMU_NR_FEATURES] = {
	"2_LVL_STRTAB", "2_LVL_CDTAB", "TT_LE", "TT_BE", "PRI", "ATS", "SEV",
	"MSI", "COHERENCY", "TRANS_S1", "TRANS_S2", "STALLS", "HYP",
	"STALL_FORCE", "VAX", "RANGE_INV", "BTM", "SVA", "E2H", "NESTING",
	"ATTR_TYPES_OVR", "HA", "HD", "S2FWB", "BBML2", "HAFT",
};

const char *const smmu_option_names[SMMU_NR_OPTIONS] = {
	"SKIP_PREFETCH", "PAGE0_REGS_ONLY", "MSIPOLL", "CMDQ_FORCE_SYNC",
	"TEGRA241_CMDQV",
};

void
smmu_options_str(uint32_t options, int kdump_adopt, char *buf, size_t len)
{
	const char *names[SMMU_NR_OPTIONS + 1];
	unsigned int i;

	for (i = 0; i < SMMU_NR_OPTIONS; i++)
		names[i] = smmu_option_names[i];
	names[SMMU_OPT_KDUMP_ADOPT] = kdump_adopt ?
				      SMMU_OPT_KDUMP_ADOPT_NAME : NULL;
	smmu_bits_str(options, names, SMMU_NR_OPTIONS + 1, buf, len);
}

/*
 * Register fields, IHI 0070 section 6.3 as arm-smmu-v3.h names them: a
 * one-bit field prints its name when set, a wider one NAME=value (or the
 * value's name).
 */
struct reg_field {
	uint32_t		reg;
	unsigned int		hi, lo;
	const char		*name;
	const char *const	*vals;	/* names of the values, or NULL */
	unsigned int		nr_vals;
	int			bits;	/* value is a PA size encoding */
};

static const char *const st_lvl_vals[] = { "linear", "2lvl" };
static const char *const stall_model_vals[] = { "stall", "terminate", "force" };
static const char *const ttendian_vals[] = { "mixed", "reserved", "le", "be" };
static const char *const httu_vals[] = { "none", "A", "AD", "AD+HAFT" };
static const char *const ttf_vals[] = { "reserved", "aarch32", "aarch64",
					"aarch32+64" };
static const char *const strtab_fmt_vals[] = { "linear", "2lvl" };

#define F1(r, b, n)		{ SMMU_##r, b, b, n, NULL, 0, 0 }
#define FN(r, h, l, n)		{ SMMU_##r, h, l, n, NULL, 0, 0 }
#define FV(r, h, l, n, v)	{ SMMU_##r, h, l, n, v, \
				  sizeof(v) / sizeof(v[0]), 0 }

static const struct reg_field reg_fields[] = {
	FV(IDR0, 28, 27, "ST_LVL", st_lvl_vals),
	FV(IDR0, 25, 24, "STALL_MODEL", stall_model_vals),
	FV(IDR0, 22, 21, "TTENDIAN", ttendian_vals),
	F1(IDR0, 19, "CD2L"), F1(IDR0, 18, "VMID16"), F1(IDR0, 16, "PRI"),
	F1(IDR0, 14, "SEV"), F1(IDR0, 13, "MSI"), F1(IDR0, 12, "ASID16"),
	F1(IDR0, 10, "ATS"), F1(IDR0, 9, "HYP"),
	FV(IDR0, 7, 6, "HTTU", httu_vals),
	F1(IDR0, 4, "COHACC"),
	FV(IDR0, 3, 2, "TTF", ttf_vals),
	F1(IDR0, 1, "S1P"), F1(IDR0, 0, "S2P"),

	F1(IDR1, 30, "TABLES_PRESET"), F1(IDR1, 29, "QUEUES_PRESET"),
	F1(IDR1, 28, "REL"), F1(IDR1, 27, "ATTR_TYPES_OVR"),
	FN(IDR1, 25, 21, "CMDQS"), FN(IDR1, 20, 16, "EVTQS"),
	FN(IDR1, 15, 11, "PRIQS"), FN(IDR1, 10, 6, "SSIDSIZE"),
	FN(IDR1, 5, 0, "SIDSIZE"),

	/*
	 * IHI 0070's IDR3 up to SMMUv3.3; the kernel names FWB, RIL and BBML
	 * (IDR3_BBM: 2 is FEAT_BBML2, its ARM_SMMU_FEAT_BBML2).
	 */
	F1(IDR3, 15, "DPT"), F1(IDR3, 14, "PTWNNC"), F1(IDR3, 13, "E0PD"),
	FN(IDR3, 12, 11, "BBML"), F1(IDR3, 10, "RIL"), F1(IDR3, 9, "STT"),
	F1(IDR3, 8, "FWB"), F1(IDR3, 7, "MPAM"), F1(IDR3, 5, "PPS"),
	F1(IDR3, 4, "XNX"), F1(IDR3, 3, "PBHA"), F1(IDR3, 2, "HAD"),

	FN(IDR5, 31, 16, "STALL_MAX"), FN(IDR5, 11, 10, "VAX"),
	F1(IDR5, 6, "GRAN64K"), F1(IDR5, 5, "GRAN16K"), F1(IDR5, 4, "GRAN4K"),
	{ SMMU_IDR5, 2, 0, "OAS", NULL, 0, 1 },

	F1(GBPA, 31, "UPDATE"), F1(GBPA, 20, "ABORT"),

	FV(STRTAB_BASE_CFG, 17, 16, "FMT", strtab_fmt_vals),
	FN(STRTAB_BASE_CFG, 10, 6, "SPLIT"),
	FN(STRTAB_BASE_CFG, 5, 0, "LOG2SIZE"),

	FN(CMDQ_BASE, 4, 0, "LOG2SIZE"), FN(EVTQ_BASE, 4, 0, "LOG2SIZE"),
	FN(PRIQ_BASE, 4, 0, "LOG2SIZE"),
};

#undef F1
#undef FN
#undef FV

void
smmu_reg_fields(uint32_t offset, uint64_t value, char *buf, size_t len)
{
	size_t used = 0, i;
	uint64_t v;
	int n;

	if (!len)
		return;
	buf[0] = '\0';
	switch (offset) {
	case SMMU_CR0:
	case SMMU_CR0ACK:
		smmu_bits_str(value, smmu_cr0_bits, SMMU_CR0_NR_BITS, buf,
			      len);
		return;
	case SMMU_GERROR:
	case SMMU_GERRORN:
		smmu_bits_str(value, smmu_gerror_bits, SMMU_GERROR_NR_BITS,
			      buf, len);
		return;
	}
	for (i = 0; i < ARRAY_LEN(reg_fields); i++) {
		const struct reg_field *f = &reg_fields[i];

		if (f->reg != offset)
			continue;
		v = SMMU_BITS(value, f->hi, f->lo);
		if (f->hi == f->lo) {
			if (!v)
				continue;
			n = snprintf(buf + used, len - used, "%s%s",
				     used ? " " : "", f->name);
		} else if (f->bits) {
			n = snprintf(buf + used, len - used, "%s%s=%u",
				     used ? " " : "", f->name,
				     pa_size_bits((unsigned int)v));
		} else if (f->vals && v < f->nr_vals) {
			n = snprintf(buf + used, len - used, "%s%s=%s",
				     used ? " " : "", f->name, f->vals[v]);
		} else {
			n = snprintf(buf + used, len - used, "%s%s=%llu",
				     used ? " " : "", f->name,
				     (unsigned long long)v);
		}
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += n;
	}
}

void
smmu_bits_str(uint64_t val, const char *const *names, unsigned int nr,
	      char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;
	int n;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < 64; i++) {
		if (!(val & (1ULL << i)))
			continue;
		if (i < nr && names[i])
			n = snprintf(buf + used, len - used, "%s%s",
				     used ? "|" : "", names[i]);
		else
			n = snprintf(buf + used, len - used, "%sbit%u",
				     used ? "|" : "", i);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += n;
	}
}

/* ---- stream table iteration --------------------------------------------- */

#define STE_CHUNK	256	/* STEs read at once from a linear table */
#define L1_CHUNK	512	/* L1 descriptors read at once */

static int
visit_stes(const unsigned char *buf, uint32_t first, uint64_t addr,
	   uint32_t n, unsigned int flags,
	   const struct smmu_caps *caps, smmu_ste_fn fn, void *arg,
	   uint64_t *visited)
{
	struct smmu_ste ste;
	uint32_t i;

	for (i = 0; i < n; i++) {
		const unsigned char *p = buf + (size_t)i * SMMU_STE_SIZE;

		if (!(p[0] & 1))
			continue;
		smmu_ste_decode_bytes(p, caps, &ste);
		(*visited)++;
		if (fn(arg, first + i, addr + (uint64_t)i * SMMU_STE_SIZE,
		       &ste, flags))
			return 1;
	}
	return 0;
}

uint64_t
smmu_strtab_for_each(const struct smmu_strtab *t,
		     const struct smmu_caps *caps, const struct smmu_mem *mem,
		     smmu_ste_fn fn, void *arg, uint64_t *unreadable)
{
	uint64_t nr_sids = 1ULL << t->log2size, visited = 0, i, j, nr_l1;
	unsigned char *buf, *l1buf;
	size_t l2max;
	int ret, readable;

	*unreadable = 0;
	if (t->fmt == SMMU_STRTAB_LINEAR) {
		buf = malloc((size_t)STE_CHUNK * SMMU_STE_SIZE);
		if (!buf)
			return 0;
		for (i = 0; i < nr_sids; i += STE_CHUNK) {
			uint32_t n = nr_sids - i < STE_CHUNK ?
				     (uint32_t)(nr_sids - i) : STE_CHUNK;

			ret = mem_read(mem, t->base + i * SMMU_STE_SIZE, buf,
				       (size_t)n * SMMU_STE_SIZE);
			if (ret == SMMU_READ_FAIL) {
				*unreadable += n;
				continue;
			}
			if (visit_stes(buf, i, t->base + i * SMMU_STE_SIZE, n,
				       ret == SMMU_READ_ZERO ?
				       SMMU_VISIT_FILTERED : 0, caps, fn,
				       arg, &visited))
				break;
		}
		free(buf);
		return visited;
	}

	nr_l1 = smmu_strtab_nr_l1(t);
	l2max = (size_t)SMMU_STE_SIZE << t->split;
	buf = malloc(l2max);
	l1buf = malloc((size_t)L1_CHUNK * SMMU_L1STD_SIZE);
	if (!buf || !l1buf) {
		free(buf);
		free(l1buf);
		return 0;
	}
	for (i = 0; i < nr_l1; i += L1_CHUNK) {
		uint32_t n = nr_l1 - i < L1_CHUNK ? (uint32_t)(nr_l1 - i) :
			     L1_CHUNK;

		ret = mem_read(mem, t->base + i * SMMU_L1STD_SIZE, l1buf,
			       (size_t)n * SMMU_L1STD_SIZE);
		readable = ret != SMMU_READ_FAIL;
		if (!readable && !t->sw_l2 && !t->nr_l1_stores) {
			*unreadable += (uint64_t)n << t->split;
			continue;
		}
		for (j = 0; j < n; j++) {
			uint64_t d = readable ?
				     smmu_le64(l1buf + j * SMMU_L1STD_SIZE) : 0;
			uint64_t first = (i + j) << t->split, l2;
			unsigned int span, flags = 0;
			uint32_t cnt;

			if (l1_effective(t, i + j, d, readable, &d) & 1)
				flags |= SMMU_VISIT_SW_L2;
			else if (!readable) {
				*unreadable += 1ULL << t->split;
				continue;
			}
			span = SMMU_L1STD_SPAN(d);
			/* Above SPLIT + 1 the SMMU finds no STE: as Span 0 */
			if (!span || span > t->split + 1)
				continue;
			cnt = 1U << (span - 1);
			if (first + cnt > nr_sids)
				cnt = nr_sids - first;
			l2 = smmu_l1std_l2(d);
			if (l2 != SMMU_L1STD_L2PTR(d))
				flags |= SMMU_VISIT_L2_UNALIGNED;
			ret = mem_read(mem, l2, buf, (size_t)cnt * SMMU_STE_SIZE);
			if (ret == SMMU_READ_FAIL) {
				*unreadable += cnt;
				continue;
			}
			if (ret == SMMU_READ_ZERO)
				flags |= SMMU_VISIT_FILTERED;
			if (visit_stes(buf, first, l2, cnt, flags, caps, fn, arg,
				       &visited))
				goto out;
		}
	}
out:
	free(buf);
	free(l1buf);
	return visited;
}

uint64_t
smmu_strtab_l1_populated(const struct smmu_strtab *t,
			 const struct smmu_mem *mem, uint64_t *rewritten,
			 uint64_t *damaged, uint64_t *unaligned)
{
	uint64_t nr = smmu_strtab_nr_l1(t), i, cnt = 0, d;
	unsigned char *buf;
	int readable, how;

	*rewritten = 0;
	*damaged = 0;
	*unaligned = 0;
	if (!nr || nr > (1ULL << 24))
		return 0;
	buf = malloc(nr * SMMU_L1STD_SIZE);
	if (!buf)
		return 0;
	readable = mem_read(mem, t->base, buf, nr * SMMU_L1STD_SIZE) !=
		   SMMU_READ_FAIL;
	for (i = 0; i < nr; i++) {
		how = l1_effective(t, i, readable ?
				   smmu_le64(buf + i * SMMU_L1STD_SIZE) : 0,
				   readable, &d);
		*rewritten += how & 1;
		*damaged += how == L1_DAMAGED;
		if (SMMU_L1STD_SPAN(d))
			cnt++;
		if (SMMU_L1STD_SPAN(d) && SMMU_L1STD_SPAN(d) <= t->split + 1 &&
		    smmu_l1std_l2(d) != SMMU_L1STD_L2PTR(d))
			(*unaligned)++;
	}
	free(buf);
	return cnt;
}

/* ---- ELF notes ---------------------------------------------------------- */

#define NOTE_ALIGN(x)	(((x) + 3) & ~(uint64_t)3)

int
smmu_vmcoredd_scan(const void *notes, size_t len, smmu_note_fn fn, void *arg)
{
	const unsigned char *p = notes;
	char name[SMMU_VMCOREDD_NAME_BYTES + 1];
	uint64_t off = 0, namesz, descsz, desc;
	uint32_t type;
	int found = 0;

	while (off + 12 <= len) {
		namesz = smmu_le32(p + off);
		descsz = smmu_le32(p + off + 4);
		type = smmu_le32(p + off + 8);
		if (!namesz && !descsz && !type)
			break;		/* zero padding after the last note */
		desc = off + 12 + NOTE_ALIGN(namesz);
		if (desc > len || descsz > len - desc)
			return -1;
		if (type == SMMU_NT_VMCOREDD && namesz >= 5 &&
		    !memcmp(p + off + 12, "LINUX", 5) &&
		    descsz >= SMMU_VMCOREDD_NAME_BYTES) {
			memcpy(name, p + desc, SMMU_VMCOREDD_NAME_BYTES);
			name[SMMU_VMCOREDD_NAME_BYTES] = '\0';
			found++;
			if (fn && fn(arg, name,
				     p + desc + SMMU_VMCOREDD_NAME_BYTES,
				     descsz - SMMU_VMCOREDD_NAME_BYTES,
				     desc + SMMU_VMCOREDD_NAME_BYTES))
				return found;
		}
		off = desc + NOTE_ALIGN(descsz);
	}
	return found;
}

/* ---- device dump -------------------------------------------------------- */

static const uint32_t dd_min_size[SMMU_KDUMP_SECT_MAX + 1] = {
	[SMMU_KDUMP_SECT_REGS] = SMMU_KDUMP_REG_SIZE,
	[SMMU_KDUMP_SECT_WRITES] = SMMU_KDUMP_WRITE_SIZE,
	[SMMU_KDUMP_SECT_STREAMS] = SMMU_KDUMP_STREAM_SIZE,
};

static const char *const dd_sect_names[SMMU_KDUMP_SECT_MAX + 1] = {
	[SMMU_KDUMP_SECT_REGS] = "registers",
	[SMMU_KDUMP_SECT_WRITES] = "writes",
	[SMMU_KDUMP_SECT_STREAMS] = "streams",
};

#define DD_MAX_SECTIONS	64

int
smmu_dd_parse(const void *buf, size_t len, struct smmu_dd *dd, char *err,
	      size_t errlen)
{
	const unsigned char *p = buf;
	uint64_t table_end, end;
	uint32_t i, total;

	memset(dd, 0, sizeof(*dd));
	if (len < SMMU_KDUMP_HEADER_SIZE) {
		snprintf(err, errlen, "truncated: %zu bytes, header needs %d",
			 len, SMMU_KDUMP_HEADER_SIZE);
		return -1;
	}
	if (memcmp(p, SMMU_KDUMP_MAGIC, 8)) {
		snprintf(err, errlen, "bad magic (not \"%s\")",
			 SMMU_KDUMP_MAGIC);
		return -1;
	}
	dd->version = smmu_le32(p + 8);
	dd->header_size = smmu_le32(p + 12);
	total = smmu_le32(p + 16);
	dd->flags = smmu_le32(p + 20);
	dd->smmu_base = smmu_le64(p + 24);
	dd->mode = smmu_le32(p + 32);
	dd->nr_sections = smmu_le32(p + 36);
	if (dd->version != SMMU_KDUMP_VERSION) {
		snprintf(err, errlen, "unsupported version %u (this parser knows %d)",
			 dd->version, SMMU_KDUMP_VERSION);
		return -1;
	}
	if (dd->header_size < SMMU_KDUMP_HEADER_SIZE ||
	    dd->header_size % 8) {
		snprintf(err, errlen, "bad header size %u", dd->header_size);
		return -1;
	}
	if (total > len) {
		snprintf(err, errlen, "truncated: total size %u, only %zu bytes present",
			 total, len);
		return -1;
	}
	if (dd->nr_sections > DD_MAX_SECTIONS) {
		snprintf(err, errlen, "too many sections (%u)",
			 dd->nr_sections);
		return -1;
	}
	table_end = (uint64_t)dd->header_size +
		    (uint64_t)dd->nr_sections * SMMU_KDUMP_SECTION_SIZE;
	if (table_end > total) {
		snprintf(err, errlen, "section table (%u entries) beyond the total size %u",
			 dd->nr_sections, total);
		return -1;
	}
	for (i = 0; i < dd->nr_sections; i++) {
		const unsigned char *s = p + dd->header_size +
					 i * SMMU_KDUMP_SECTION_SIZE;
		uint32_t type = smmu_le32(s), esz = smmu_le32(s + 4);
		uint32_t cnt = smmu_le32(s + 8), off = smmu_le32(s + 12);

		if (!type)
			continue;
		end = (uint64_t)off + (uint64_t)cnt * esz;
		if (off % 8 || off < table_end || end > total) {
			snprintf(err, errlen, "section %u (type %u): records at %u+%llu outside [%llu, %u) or misaligned",
				 i, type, off,
				 (unsigned long long)cnt * esz,
				 (unsigned long long)table_end, total);
			return -1;
		}
		if (type > SMMU_KDUMP_SECT_MAX)
			continue;	/* a later version's section */
		if (dd->sect[type].entry_size) {
			snprintf(err, errlen, "duplicate %s section",
				 dd_sect_names[type]);
			return -1;
		}
		if (esz < dd_min_size[type]) {
			snprintf(err, errlen, "%s records of %u bytes, need at least %u",
				 dd_sect_names[type], esz, dd_min_size[type]);
			return -1;
		}
		dd->sect[type].entry_size = esz;
		dd->sect[type].count = cnt;
		dd->sect[type].offset = off;
	}
	dd->buf = p;
	dd->len = total;
	return 0;
}

uint32_t
smmu_dd_count(const struct smmu_dd *dd, unsigned int type)
{
	return type <= SMMU_KDUMP_SECT_MAX ? dd->sect[type].count : 0;
}

static const unsigned char *
dd_rec(const struct smmu_dd *dd, unsigned int type, uint32_t i)
{
	return dd->buf + dd->sect[type].offset +
	       (size_t)i * dd->sect[type].entry_size;
}

void
smmu_dd_reg(const struct smmu_dd *dd, uint32_t i, struct smmu_dd_reg *r)
{
	const unsigned char *p = dd_rec(dd, SMMU_KDUMP_SECT_REGS, i);

	r->offset = smmu_le32(p);
	r->size = smmu_le32(p + 4);
	r->value = smmu_le64(p + 8);
}

void
smmu_dd_write(const struct smmu_dd *dd, uint32_t i, struct smmu_dd_write *w)
{
	const unsigned char *p = dd_rec(dd, SMMU_KDUMP_SECT_WRITES, i);

	w->phys = smmu_le64(p);
	w->old = smmu_le64(p + 8);
	w->new = smmu_le64(p + 16);
	w->sid = smmu_le32(p + 24);
	w->size = smmu_le16(p + 28);
	w->kind = smmu_le16(p + 30);
}

void
smmu_dd_stream(const struct smmu_dd *dd, uint32_t i, struct smmu_dd_stream *s)
{
	const unsigned char *p = dd_rec(dd, SMMU_KDUMP_SECT_STREAMS, i);

	s->sid = smmu_le32(p);
	s->decision = p[4];
	s->reason = p[5];
	s->ste0 = smmu_le64(p + 8);
}

int
smmu_dd_find_reg(const struct smmu_dd *dd, uint32_t offset, uint64_t *value)
{
	struct smmu_dd_reg r;
	uint32_t i;

	for (i = 0; i < smmu_dd_count(dd, SMMU_KDUMP_SECT_REGS); i++) {
		smmu_dd_reg(dd, i, &r);
		if (r.offset == offset) {
			*value = r.value;
			return 0;
		}
	}
	return -1;
}

void
smmu_dd_caps(const struct smmu_dd *dd, struct smmu_caps *caps)
{
	uint64_t idr;

	memset(caps, 0, sizeof(*caps));
	caps->ssid_bits = 32;
	if (dd && !smmu_dd_find_reg(dd, SMMU_IDR1, &idr)) {
		caps->sid_bits = (unsigned int)SMMU_BITS(idr, 5, 0);
		caps->ssid_bits = (unsigned int)SMMU_BITS(idr, 10, 6);
	}
	if (dd && !smmu_dd_find_reg(dd, SMMU_IDR5, &idr))
		caps->oas = pa_size_bits((unsigned int)SMMU_BITS(idr, 2, 0));
}

int
smmu_dd_strtab(const struct smmu_dd *dd, struct smmu_strtab *t, uint64_t *cfg)
{
	uint64_t base;

	if (smmu_dd_find_reg(dd, SMMU_STRTAB_BASE, &base) ||
	    smmu_dd_find_reg(dd, SMMU_STRTAB_BASE_CFG, cfg))
		return SMMU_DD_NO_STRTAB;
	return smmu_strtab_from_regs(base, (uint32_t)*cfg, t);
}

int
smmu_dd_evtq(const struct smmu_dd *dd, struct smmu_dd_evtq *q)
{
	static const uint32_t regs[] = {
		SMMU_EVTQ_BASE, SMMU_P1(SMMU_EVTQ_PROD),
		SMMU_P1(SMMU_EVTQ_CONS), SMMU_CR0, SMMU_IDR1,
	};
	uint64_t v[ARRAY_LEN(regs)];
	uint32_t n, prod, cons;
	unsigned int i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < ARRAY_LEN(regs); i++) {
		if (smmu_dd_find_reg(dd, regs[i], &v[i])) {
			q->missing = regs[i];
			return SMMU_DD_EVTQ_NO_REG;
		}
	}
	q->base_reg = v[0];
	q->prod_reg = (uint32_t)v[1];
	q->cons_reg = (uint32_t)v[2];
	q->cr0 = v[3];
	q->idr1 = v[4];
	q->base = q->base_reg & SMMU_Q_BASE_ADDR_MASK;
	q->log2n = SMMU_Q_BASE_LOG2SIZE(q->base_reg);

	/* the SMMU writes no event to a disabled queue */
	if (!(q->cr0 & SMMU_CR0_EVTQEN))
		return SMMU_DD_EVTQ_DISABLED;
	if (q->log2n > SMMU_IDR1_EVTQS(q->idr1) || q->log2n > SMMU_EVTQS_MAX)
		return SMMU_DD_EVTQ_SIZE;
	if (q->base & (((uint64_t)SMMU_EVT_SIZE << q->log2n) - 1))
		return SMMU_DD_EVTQ_ALIGN;

	/* an index, the wrap bit above it; OVFLG/OVACKFLG (bit 31) ignored */
	n = 1U << q->log2n;
	prod = q->prod_reg & ~SMMU_Q_OVFLG;
	cons = q->cons_reg & ~SMMU_Q_OVFLG;
	if (!smmu_q_ptrs_ok(prod, cons, q->log2n))
		return SMMU_DD_EVTQ_PTRS;
	q->cons = cons & (2 * n - 1);
	q->pending = smmu_q_used(prod, cons, q->log2n);
	return SMMU_DD_EVTQ_OK;
}

void
smmu_dd_evtq_why(const struct smmu_dd_evtq *q, int status, char *buf,
		 size_t len)
{
	const char *name;

	switch (status) {
	case SMMU_DD_EVTQ_OK:
		snprintf(buf, len, "event queue at %llx, %u entries",
			 (unsigned long long)q->base, 1U << q->log2n);
		break;
	case SMMU_DD_EVTQ_NO_REG:
		name = smmu_reg_name(q->missing);
		if (name)
			snprintf(buf, len, "no %s in the register snapshot",
				 name);
		else
			snprintf(buf, len, "no register %#x in the register snapshot",
				 q->missing);
		break;
	case SMMU_DD_EVTQ_DISABLED:
		snprintf(buf, len, "event queue disabled at handover (CR0 %#llx, EVTQEN clear)",
			 (unsigned long long)q->cr0);
		break;
	case SMMU_DD_EVTQ_SIZE:
		if (q->log2n > SMMU_IDR1_EVTQS(q->idr1))
			snprintf(buf, len, "EVTQ_BASE %#llx: LOG2SIZE %u above IDR1.EVTQS %u (IDR1 %#llx)",
				 (unsigned long long)q->base_reg, q->log2n,
				 SMMU_IDR1_EVTQS(q->idr1),
				 (unsigned long long)q->idr1);
		else
			snprintf(buf, len, "EVTQ_BASE %#llx: LOG2SIZE %u above %d, the architecture's maximum",
				 (unsigned long long)q->base_reg, q->log2n,
				 SMMU_EVTQS_MAX);
		break;
	case SMMU_DD_EVTQ_ALIGN:
		snprintf(buf, len, "EVTQ_BASE %#llx: queue at %llx not aligned to its size (%#llx bytes)",
			 (unsigned long long)q->base_reg,
			 (unsigned long long)q->base,
			 (unsigned long long)SMMU_EVT_SIZE << q->log2n);
		break;
	case SMMU_DD_EVTQ_PTRS:
		snprintf(buf, len, "EVTQ_PROD %#x and EVTQ_CONS %#x inconsistent for a queue of %u entries",
			 q->prod_reg, q->cons_reg, 1U << q->log2n);
		break;
	default:
		snprintf(buf, len, "unknown status %d", status);
	}
}

uint32_t
smmu_dd_show_events(FILE *ofp, const struct smmu_dd *dd,
		    const struct smmu_mem *mem)
{
	struct smmu_dd_evtq q;
	char buf[160];
	uint32_t i, idx;
	int ret;

	ret = smmu_dd_evtq(dd, &q);
	if (ret != SMMU_DD_EVTQ_OK) {
		/* as the summary line: no count from registers that fail */
		smmu_dd_evtq_why(&q, ret, buf, sizeof(buf));
		fprintf(ofp, "\n  EVENTS PENDING AT HANDOVER (unknown):\n"
			"    not read: %s\n", buf);
		return 0;
	}
	fprintf(ofp, "\n  EVENTS PENDING AT HANDOVER (%u):\n", q.pending);
	/* OVFLG toggled and not acknowledged: the SMMU dropped events */
	if ((q.prod_reg ^ q.cons_reg) & SMMU_Q_OVFLG)
		fprintf(ofp, "    the queue had overflowed: events were lost\n");
	if (!q.pending)
		return 0;
	fprintf(ofp, "    from the event queue at %llx (%u entries) in the dump's memory, CONS %#x to PROD %#x:\n",
		(unsigned long long)q.base, 1U << q.log2n, q.cons_reg,
		q.prod_reg);
	/* pending <= 1 << log2n, and every index is below it */
	for (i = 0; i < q.pending; i++) {
		idx = smmu_q_idx(q.cons + i, q.log2n);
		snprintf(buf, sizeof(buf), "    [%u] ", idx);
		if (smmu_evt_show_at(ofp, mem,
				     q.base + (uint64_t)idx * SMMU_EVT_SIZE,
				     buf)) {
			fprintf(ofp, "%snot in the dump: %u of the %u entries not read\n",
				buf, q.pending - i, q.pending);
			break;
		}
	}
	return i;
}

const char *
smmu_dd_mode_str(uint32_t mode)
{
	switch (mode) {
	case SMMU_KDUMP_MODE_RESET:
		return "reset";
	case SMMU_KDUMP_MODE_KEEP_QUIESCED:
		return "keep-quiesced";
	case SMMU_KDUMP_MODE_KEEP_ALL:
		return "keep-all";
	}
	return "unknown";
}

const char *
smmu_dd_decision_str(unsigned int decision)
{
	switch (decision) {
	case SMMU_KDUMP_SID_KEPT:
		return "kept";
	case SMMU_KDUMP_SID_ABORTED:
		return "aborted";
	case SMMU_KDUMP_SID_RESET:
		return "reset";
	}
	return "unknown";
}

const char *
smmu_dd_reason_str(unsigned int reason)
{
	switch (reason) {
	case SMMU_KDUMP_WHY_NONE:
		return "-";
	case SMMU_KDUMP_WHY_KEEP_LIST:
		return "in-keep-list";
	case SMMU_KDUMP_WHY_KEEP_ALL:
		return "keep-all";
	case SMMU_KDUMP_WHY_NOT_LISTED:
		return "not-in-keep-list";
	case SMMU_KDUMP_WHY_BYPASS:
		return "bypass-ste";
	case SMMU_KDUMP_WHY_MALFORMED:
		return "failed-checks";
	case SMMU_KDUMP_WHY_UNREADABLE:
		return "unreadable";
	case SMMU_KDUMP_WHY_MODE_RESET:
		return "reset-mode";
	}
	return "unknown";
}

const char *
smmu_dd_kind_str(unsigned int kind)
{
	switch (kind) {
	case SMMU_KDUMP_WR_OTHER:
		return "other";
	case SMMU_KDUMP_WR_STE:
		return "STE";
	case SMMU_KDUMP_WR_L1STD:
		return "L1STD";
	case SMMU_KDUMP_WR_CD:
		return "CD";
	case SMMU_KDUMP_WR_L1CD:
		return "L1CD";
	case SMMU_KDUMP_WR_QUEUE:
		return "queue";
	}
	return "unknown";
}

uint64_t
smmu_dd_l1_stores(const struct smmu_dd *dd, struct smmu_l1_store *out)
{
	uint32_t n = smmu_dd_count(dd, SMMU_KDUMP_SECT_WRITES), i;
	struct smmu_dd_write w;
	uint64_t nr = 0, k;

	for (i = 0; i < n; i++) {
		smmu_dd_write(dd, i, &w);
		/* A descriptor is one aligned doubleword: nothing else is one */
		if (w.kind == SMMU_KDUMP_WR_L1STD && w.size == 8 &&
		    !(w.phys & 7))
			out[nr++] = (struct smmu_l1_store){
				.phys = w.phys, .old = w.old, .rec = i,
			};
	}
	qsort(out, nr, sizeof(*out), cmp_l1_store_rec);
	/* A word's first store has its value at the crash */
	for (i = 0, k = 0; i < nr; i++)
		if (!k || out[i].phys != out[k - 1].phys)
			out[k++] = out[i];
	return k;
}

size_t
smmu_dd_undo(const struct smmu_dd *dd, uint64_t pa, void *buf, size_t len)
{
	uint32_t n = smmu_dd_count(dd, SMMU_KDUMP_SECT_WRITES), i;
	unsigned char *b = buf, old[8];
	struct smmu_dd_write w;
	size_t applied = 0;
	uint64_t k;

	/* Last record first, so that the first record of a word wins. */
	for (i = n; i-- > 0;) {
		smmu_dd_write(dd, i, &w);
		if (w.size != 4 && w.size != 8)
			continue;
		if (w.phys >= pa + len || w.phys + w.size <= pa)
			continue;
		put_le64(old, w.old);
		for (k = 0; k < w.size; k++) {
			uint64_t at = w.phys + k;

			if (at >= pa && at < pa + len)
				b[at - pa] = old[k];
		}
		applied++;
	}
	return applied;
}
