// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of crash-extension/smmu-decode.c: stream table, STE, CD,
 * page-table walks and translations (stage 1, stage 2, nested), queues and
 * event records, on tables built in fake memory, including truncated,
 * filtered and corrupt ones.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static const struct smmu_caps caps = {
	.oas = 44, .ias = 44, .sid_bits = 16, .ssid_bits = 20,
};

static const struct pt_geom g4k48 = { 12, 48, 0 };

/* ---- STE ---------------------------------------------------------------- */

static void test_ste_abort_bypass(void)
{
	uint64_t w[8];
	struct smmu_ste ste;

	mk_ste_abort(w);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.v, 1);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_ABORT);
	CHECK_EQ(ste.errors, 0);
	CHECK_STR(smmu_ste_cfg_str(ste.cfg), "abort");
	CHECK(!smmu_ste_s1(&ste) && !smmu_ste_s2(&ste));

	mk_ste_bypass(w);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_BYPASS);
	CHECK_EQ(ste.shcfg, 1);
	CHECK_EQ(ste.errors, 0);
}

static void test_ste_s1_fields(void)
{
	uint64_t w[8];
	struct smmu_ste ste;

	mk_ste_s1(w, 0x4179a000, SMMU_S1FMT_64K_L2, 20, SMMU_S1DSS_SSID0);
	w[1] |= (2ULL << 28) | (1ULL << 27);	/* EATS s1chk, S1STALLD */
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.v, 1);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_S1);
	CHECK_EQ(ste.s1ctxptr, 0x4179a000);
	CHECK_EQ(ste.s1fmt, SMMU_S1FMT_64K_L2);
	CHECK_EQ(ste.s1cdmax, 20);
	CHECK_EQ(ste.s1dss, SMMU_S1DSS_SSID0);
	CHECK_EQ(ste.s1cir, 1);
	CHECK_EQ(ste.s1cor, 1);
	CHECK_EQ(ste.s1csh, 3);
	CHECK_EQ(ste.eats, 2);
	CHECK_EQ(ste.s1stalld, 1);
	CHECK_EQ(ste.errors, 0);
	CHECK_EQ(smmu_ste_nr_cds(&ste), 1U << 20);
	CHECK(smmu_ste_s1(&ste) && !smmu_ste_s2(&ste));
}

/* The words of SID 0x300's STE in the rig's stage-1 dump. */
static void test_ste_linux_s1(void)
{
	uint64_t w[8] = { 0x000000004179a00bULL, 0x00000000000000d6ULL };
	unsigned char raw[64];
	struct smmu_ste ste, ste2;
	int i;

	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_S1);
	CHECK_EQ(ste.s1ctxptr, 0x4179a000);
	CHECK_EQ(ste.s1fmt, SMMU_S1FMT_LINEAR);
	CHECK_EQ(ste.s1cdmax, 0);
	CHECK_EQ(ste.s1dss, SMMU_S1DSS_SSID0);
	CHECK_EQ(ste.s1cir, 1);
	CHECK_EQ(ste.s1cor, 1);
	CHECK_EQ(ste.s1csh, 3);
	CHECK_EQ(ste.errors, 0);

	/* from little-endian bytes, as read from a dump */
	memset(raw, 0, sizeof(raw));
	for (i = 0; i < 8; i++) {
		raw[i] = (w[0] >> (8 * i)) & 0xff;
		raw[8 + i] = (w[1] >> (8 * i)) & 0xff;
	}
	smmu_ste_decode_bytes(raw, &caps, &ste2);
	CHECK(!memcmp(&ste, &ste2, sizeof(ste)));
}

static void test_ste_s2_fields(void)
{
	/* SID 0x300 of the rig's stage-2 dump */
	uint64_t w[8] = { 0xd, 0, 0x044c359400000003ULL, 0x4167d000 };
	struct smmu_ste ste;

	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_S2);
	CHECK_EQ(ste.s2vmid, 3);
	CHECK_EQ(ste.s2t0sz, 20);
	CHECK_EQ(ste.s2sl0, 2);
	CHECK_EQ(ste.s2ir0, 1);
	CHECK_EQ(ste.s2or0, 1);
	CHECK_EQ(ste.s2sh0, 3);
	CHECK_EQ(ste.s2tg, 0);
	CHECK_EQ(ste.s2ps, 4);
	CHECK_EQ(ste.s2aa64, 1);
	CHECK_EQ(ste.s2ptw, 1);
	CHECK_EQ(ste.s2r, 1);
	CHECK_EQ(ste.s2ttb, 0x4167d000);
	CHECK_EQ(ste.errors, 0);
	CHECK(smmu_ste_s2(&ste) && !smmu_ste_s1(&ste));
}

static void test_ste_illegal(void)
{
	uint64_t w[8];
	struct smmu_ste ste;
	struct smmu_caps small = caps;

	/* reserved Config values */
	mk_ste_abort(w);
	w[0] |= 2ULL << 1;
	smmu_ste_decode(w, &caps, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_CFG);
	CHECK_STR(smmu_ste_cfg_str(ste.cfg), "reserved");

	/* reserved S1Fmt with substreams, reserved S1DSS */
	mk_ste_s1(w, 0x41000000, 3, 4, 3);
	smmu_ste_decode(w, &caps, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_S1FMT);
	CHECK(ste.errors & SMMU_STE_ERR_S1DSS);

	/* S1CDMax larger than the SMMU's SSIDSIZE */
	small.ssid_bits = 4;
	mk_ste_s1(w, 0x41000000, SMMU_S1FMT_LINEAR, 5, 2);
	smmu_ste_decode(w, &small, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_CDMAX);

	/* context pointer beyond the 44-bit OAS */
	mk_ste_s1(w, 1ULL << 45, SMMU_S1FMT_LINEAR, 0, 0);
	smmu_ste_decode(w, &caps, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_ADDR);

	/* reserved S2TG */
	mk_ste_s2(w, 0x41000000, 1, 20, 2, 3, 4);
	smmu_ste_decode(w, &caps, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_S2TG);

	/* 44-bit IPA starting at level 2 would need 2^23 entries */
	mk_ste_s2(w, 0x41000000, 1, 20, 0, 0, 4);
	smmu_ste_decode(w, &caps, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_S2SL0);

	/* S2T0SZ too large, reserved S2PS, AArch32 tables */
	mk_ste_s2(w, 0x41000000, 1, 60, 0, 0, 7);
	w[2] &= ~(1ULL << 51);
	smmu_ste_decode(w, &caps, &ste);
	CHECK(ste.errors & SMMU_STE_ERR_S2T0SZ);
	CHECK(ste.errors & SMMU_STE_ERR_S2PS);
	CHECK(ste.errors & SMMU_STE_ERR_S2AA32);

	/* every error has a description */
	CHECK(strcmp(smmu_ste_err_str(SMMU_STE_ERR_NR - 1), "?"));
	CHECK_STR(smmu_ste_err_str(SMMU_STE_ERR_NR), "?");
}

/* Garbage must decode without faults and be flagged or ignored. */
static void test_ste_corrupt(void)
{
	uint64_t w[8];
	struct smmu_ste ste;
	struct smmu_xlate x;
	unsigned int i;

	memset(w, 0xff, sizeof(w));
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_NESTED);
	CHECK(ste.errors != 0);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0x1000, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);

	/* V == 0: nothing else matters */
	w[0] &= ~1ULL;
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.v, 0);
	CHECK_EQ(ste.errors, 0);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0x1000, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_ABORT);

	/* pseudo-random words: decode and translate never fault */
	srand(1);
	for (i = 0; i < 20000; i++) {
		int k;

		for (k = 0; k < 8; k++)
			w[k] = ((uint64_t)rand() << 40) ^ ((uint64_t)rand() << 20) ^
			       (uint64_t)rand();
		smmu_ste_decode(w, &caps, &ste);
		smmu_translate(&ste, i & 1 ? SMMU_NO_SSID : i & 0xff,
			       ((uint64_t)rand() << 12), &caps, &fm_mem, &x);
	}
	CHECK(1);
}

static void test_ste_print(void)
{
	uint64_t w[8] = { 0x000000004179a00bULL, 0x00000000000000d6ULL };
	struct smmu_ste ste;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	smmu_ste_decode(w, &caps, &ste);
	f = open_memstream(&out, &len);
	smmu_ste_print(f, &ste, "  ");
	fclose(f);
	CHECK(strstr(out, "  STE[0-3]: 000000004179a00b 00000000000000d6 0000000000000000 0000000000000000\n"));
	CHECK(strstr(out, "CONFIG: s1-trans (5)"));
	CHECK(strstr(out, "S1CONTEXTPTR: 4179a000"));
	CHECK(!strstr(out, "ILLEGAL"));
	free(out);
}

/* ---- stream table ------------------------------------------------------ */

static void test_strtab_regs(void)
{
	struct smmu_strtab t;

	/* the rig's registers: STRTAB_BASE with RA, 2-level, 16 bits, split 8 */
	CHECK_EQ(smmu_strtab_from_regs(0x4000000040fb4000ULL, 0x10210, &t), 0);
	CHECK_EQ(t.fmt, SMMU_STRTAB_2LVL);
	CHECK_EQ(t.base, 0x40fb4000);
	CHECK_EQ(t.log2size, 16);
	CHECK_EQ(t.split, 8);
	CHECK_EQ(smmu_strtab_nr_l1(&t), 256);

	CHECK_EQ(smmu_strtab_from_regs(0x41000000, 16, &t), 0);
	CHECK_EQ(t.fmt, SMMU_STRTAB_LINEAR);
	CHECK_EQ(t.log2size, 16);
	CHECK_EQ(smmu_strtab_nr_l1(&t), 0);

	/* split wider than the table: a single L1 entry */
	CHECK_EQ(smmu_strtab_from_regs(0x41000000, 0x10000 | 10 << 6 | 6, &t), 0);
	CHECK_EQ(smmu_strtab_nr_l1(&t), 1);

	CHECK(smmu_strtab_from_regs(0x41000000, 0x20210, &t));	/* FMT 2 */
	CHECK(smmu_strtab_from_regs(0x41000000, 0x101d0, &t));	/* split 7 */
	CHECK(smmu_strtab_from_regs(0x41000000, 0x00021, &t));	/* 33 bits */
}

/*
 * A 6.12+ driver keeps no STRTAB_BASE_CFG: its table is described from the
 * fields (format, L1 entries, STRTAB_SPLIT), checked as the register is,
 * and the register value shown is encoded from that description.
 */
static void test_strtab_fields(void)
{
	struct smmu_strtab t, r;

	CHECK_EQ(smmu_strtab_init(&t, SMMU_STRTAB_2LVL, 0x40fb4000, 16, 8), 0);
	CHECK_EQ(smmu_strtab_cfg(&t), 0x10210);
	CHECK_EQ(smmu_strtab_from_regs(0x40fb4000, smmu_strtab_cfg(&t), &r), 0);
	CHECK(!memcmp(&t, &r, sizeof(t)));
	/* a split the driver never used is taken from the debug info */
	CHECK_EQ(smmu_strtab_init(&t, SMMU_STRTAB_2LVL, 0x40fb4000, 16, 10), 0);
	CHECK_EQ(smmu_strtab_cfg(&t), 0x10290);
	CHECK_EQ(smmu_strtab_nr_l1(&t), 64);
	CHECK_EQ(smmu_strtab_init(&t, SMMU_STRTAB_LINEAR, 0x41000000, 5, 0), 0);
	CHECK_EQ(smmu_strtab_cfg(&t), 5);
	CHECK_EQ(smmu_strtab_from_regs(0x41000000, 5, &r), 0);
	CHECK(!memcmp(&t, &r, sizeof(t)));
	/* the same checks as for register values */
	CHECK(smmu_strtab_init(&t, SMMU_STRTAB_2LVL, 0x40fb4000, 16, 7));
	CHECK(smmu_strtab_init(&t, SMMU_STRTAB_LINEAR, 0x41000000, 33, 0));
	CHECK(smmu_strtab_init(&t, 2, 0x41000000, 16, 8));
	/* the base is masked as STRTAB_BASE.ADDR is */
	CHECK_EQ(smmu_strtab_init(&t, SMMU_STRTAB_LINEAR,
				  0x4000000041000000ULL | 0x3f, 5, 0), 0);
	CHECK_EQ(t.base, 0x41000000);
	CHECK_EQ(SMMU_STRTAB_BASE_CFG_FMT(0x10210), SMMU_STRTAB_BASE_CFG_FMT_2LVL);
	CHECK_EQ(SMMU_STRTAB_BASE_CFG_SPLIT(0x10210), 8);
	CHECK_EQ(SMMU_STRTAB_BASE_CFG_LOG2SIZE(0x10210), 16);
}

/*
 * A 2-level table like Linux builds: L2 tables of 256 STEs for some buses,
 * each table aligned to its size as the SMMU requires.
 */
static uint64_t build_2lvl(struct smmu_strtab *t, uint64_t *l2s)
{
	uint64_t l1 = fm_alloc(256 * 8, 256 * 8), w[8];
	int i;

	memset(t, 0, sizeof(*t));
	t->fmt = SMMU_STRTAB_2LVL;
	t->base = l1;
	t->log2size = 16;
	t->split = 8;
	for (i = 0; i < 4; i++) {
		l2s[i] = fm_alloc(256 * 64, 256 * 64);
		fm_w64(l1 + 8 * i, l2s[i] | 9);
	}
	/* SID 0x100 s1, 0x200 bypass, 0x300 abort, 0x305 s2 */
	mk_ste_s1(w, 0x41000000, 0, 0, 2);
	put_words(l2s[1], w, 8);
	mk_ste_bypass(w);
	put_words(l2s[2], w, 8);
	mk_ste_abort(w);
	put_words(l2s[3], w, 8);
	mk_ste_s2(w, 0x41100000, 7, 20, 2, 0, 4);
	put_words(l2s[3] + 5 * 64, w, 8);
	return l1;
}

static void test_strtab_locate(void)
{
	struct smmu_strtab t;
	struct smmu_ste_loc loc;
	uint64_t l2s[4], l1;

	l1 = build_2lvl(&t, l2s);
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.status, SMMU_STE_FOUND);
	CHECK_EQ(loc.l1_addr, l1 + 24);
	CHECK_EQ(loc.l1desc, l2s[3] | 9);
	CHECK_EQ(loc.addr, l2s[3] + 5 * 64);

	/* beyond the table */
	CHECK(smmu_ste_locate(&t, 0x10000, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_SID_RANGE);

	/* no L2 table */
	CHECK(smmu_ste_locate(&t, 0x5000, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_NO_L2);

	/* Span 3 (4 STEs): SID 0x304 is beyond it */
	fm_w64(l1 + 24, l2s[3] | 3);
	CHECK(smmu_ste_locate(&t, 0x304, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_SPAN_RANGE);
	CHECK_EQ(smmu_ste_locate(&t, 0x303, &fm_mem, &loc), 0);

	/* Span larger than SPLIT + 1 */
	fm_w64(l1 + 24, l2s[3] | 10);
	CHECK(smmu_ste_locate(&t, 0x300, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_BAD_SPAN);

	/* the L1 table not in the dump */
	fm_set(l1, 8 * 256, FM_MISSING);
	CHECK(smmu_ste_locate(&t, 0x100, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_READ_ERR);

	/* filtered (all-zero) L1 page reads as "no L2" */
	fm_set(l1, 8 * 256, FM_FILTERED);
	CHECK(smmu_ste_locate(&t, 0x100, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_NO_L2);
	CHECK_EQ(loc.l1_filtered, 1);

	/* linear */
	t.fmt = SMMU_STRTAB_LINEAR;
	t.log2size = 8;
	CHECK_EQ(smmu_ste_locate(&t, 0xff, &fm_mem, &loc), 0);
	CHECK_EQ(loc.addr, l1 + 0xff * 64);
	CHECK(smmu_ste_locate(&t, 0x100, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_SID_RANGE);

	CHECK(strstr(smmu_ste_loc_str(SMMU_STE_NO_L2), "C_BAD_STREAMID"));
}

struct visit {
	uint32_t	sids[2048];
	uint64_t	addrs[2048];
	unsigned int	cfg[2048];
	int		filtered[2048];
	unsigned int	n;
	unsigned int	stop_after;
};

static int visit_fn(void *arg, uint32_t sid, uint64_t addr,
		    const struct smmu_ste *ste, unsigned int flags)
{
	struct visit *v = arg;

	if (v->n < ARRAY_SIZE(v->sids)) {
		v->sids[v->n] = sid;
		v->addrs[v->n] = addr;
		v->cfg[v->n] = ste->cfg;
		v->filtered[v->n] = flags;
	}
	v->n++;
	return v->stop_after && v->n >= v->stop_after;
}

static void test_strtab_for_each(void)
{
	struct smmu_strtab t;
	static struct visit v;
	uint64_t l2s[4], unreadable, n, l1;

	l1 = build_2lvl(&t, l2s);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 4);
	CHECK_EQ(v.n, 4);
	CHECK_EQ(unreadable, 0);
	CHECK_EQ(v.sids[0], 0x100);
	CHECK_EQ(v.cfg[0], SMMU_STE_CFG_S1);
	CHECK_EQ(v.sids[1], 0x200);
	CHECK_EQ(v.sids[2], 0x300);
	CHECK_EQ(v.sids[3], 0x305);
	CHECK_EQ(v.cfg[3], SMMU_STE_CFG_S2);

	/* an empty L2 table filtered out of the dump: no STE, no error */
	fm_set(l2s[0], 256 * 64, FM_FILTERED);
	/* the L2 table of bus 1 lost: counted as unreadable */
	fm_set(l2s[1], 256 * 64, FM_MISSING);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 3);
	CHECK_EQ(unreadable, 256);
	CHECK_EQ(v.sids[0], 0x200);

	/* stop early */
	memset(&v, 0, sizeof(v));
	v.stop_after = 2;
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 2);

	/* a Span above SPLIT + 1 has no STE: none missing from the dump */
	fm_w64(l1 + 16, l2s[2] | 12);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 2);
	CHECK_EQ(unreadable, 256);
	CHECK_EQ(v.sids[0], 0x300);

	/* linear table, one chunk of it filtered */
	memset(&t, 0, sizeof(t));
	t.fmt = SMMU_STRTAB_LINEAR;
	t.log2size = 10;
	t.base = fm_alloc(1024 * 64, 1024 * 64);
	{
		uint64_t w[8];

		mk_ste_bypass(w);
		put_words(t.base + 3 * 64, w, 8);
		put_words(t.base + 1023 * 64, w, 8);
	}
	fm_set(t.base + 256 * 64, 256 * 64, FM_FILTERED);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 2);
	CHECK_EQ(v.sids[0], 3);
	CHECK_EQ(v.sids[1], 1023);
	fm_set(t.base + 768 * 64, 256 * 64, FM_MISSING);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 1);
	CHECK_EQ(unreadable, 256);
}

/*
 * L1 descriptors rewritten after the crash (a crash kernel adopting the
 * table points them at its own copies): the driver's record wins.
 */
static void test_strtab_sw_l2(void)
{
	struct smmu_strtab t;
	struct smmu_ste_loc loc;
	static struct visit v;
	uint64_t l2s[4], sw[256], l1, unreadable, n, rewritten, damaged;
	uint64_t unaligned;

	l1 = build_2lvl(&t, l2s);
	memset(sw, 0, sizeof(sw));
	memcpy(sw, l2s, sizeof(l2s));
	t.sw_l2 = sw;
	t.nr_sw_l2 = 256;

	/* in agreement: memory is used */
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 0);
	CHECK_EQ(loc.addr, l2s[3] + 5 * 64);
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 0);

	/* L1[3] now points outside the dump, L1[1] is cleared */
	fm_w64(l1 + 24, 0x6ff94000 | 9);
	fm_w64(l1 + 8, 0);
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 1);
	CHECK_EQ(loc.l1_mem, 0x6ff94000 | 9);
	CHECK_EQ(loc.l1desc, l2s[3] | 9);
	CHECK_EQ(loc.addr, l2s[3] + 5 * 64);
	CHECK_EQ(smmu_ste_locate(&t, 0x100, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 1);
	/* the list's count: the same decision as smmu_ste_locate()'s */
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 2);

	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 4);
	CHECK_EQ(unreadable, 0);
	CHECK_EQ(v.sids[0], 0x100);
	CHECK_EQ(v.filtered[0], SMMU_VISIT_SW_L2);
	CHECK_EQ(v.filtered[1], 0);
	CHECK_EQ(v.filtered[3], SMMU_VISIT_SW_L2);

	/* without the driver's record the dump is taken as it is */
	t.sw_l2 = NULL;
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.addr, 0x6ff94000 + 5 * 64);	/* not in the dump */
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 3);
	CHECK_EQ(rewritten, 0);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 1);
	CHECK_EQ(unreadable, 256);

	/* the whole L1 table lost: the driver's record still finds STEs */
	t.sw_l2 = sw;
	fm_set(l1, 8 * 256, FM_MISSING);
	CHECK_EQ(smmu_ste_locate(&t, 0x200, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_unreadable, 1);
	CHECK_EQ(loc.l1_replaced, 1);
	CHECK(smmu_ste_locate(&t, 0x500, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_READ_ERR);
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 4);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 4);
	CHECK_EQ(unreadable, 252 * 256);
}

/*
 * build_2lvl() with the driver's record of its four L2 tables in @sw and
 * a device dump that records the crash kernel's store to L1[1], which it
 * repointed (@store): the table of the device-dump L1 tests.
 */
static uint64_t build_2lvl_dd(struct smmu_strtab *t, uint64_t l2s[4],
			      uint64_t sw[256], struct smmu_l1_store *store)
{
	uint64_t l1 = build_2lvl(t, l2s);

	memset(sw, 0, 256 * sizeof(*sw));
	memcpy(sw, l2s, 4 * sizeof(*l2s));
	t->sw_l2 = sw;
	t->nr_sw_l2 = 256;
	fm_w64(l1 + 8, 0x6ff90000 | 9);
	*store = (struct smmu_l1_store){ .phys = l1 + 8, .old = l2s[1] | 9 };
	t->l1_stores = store;
	t->nr_l1_stores = 1;
	t->l1_stores_known = 1;
	return l1;
}

/*
 * A crash kernel's device dump lists the L1 descriptors it rewrote
 * (l1_stores): one that disagrees with the driver's record is replaced
 * only if it is listed; any other was changed before the crash, and the
 * SMMU walked it as it is, so do the decoders.
 */
static void test_strtab_dd_l1(void)
{
	uint64_t l2s[4], sw[256], l1, unreadable, n, rewritten, damaged;
	uint64_t unaligned;
	static struct smmu_l1_store stores[2];
	struct smmu_strtab t;
	struct smmu_ste_loc loc;
	static struct visit v;

	/* the crash kernel repointed L1[1]; L1[3] was damaged before */
	l1 = build_2lvl_dd(&t, l2s, sw, &stores[0]);
	fm_w64(l1 + 24, 0x6ff94000 | 9);

	CHECK_EQ(smmu_ste_locate(&t, 0x100, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 1);
	CHECK_EQ(loc.l1_damaged, 0);
	CHECK_EQ(loc.addr, l2s[1]);
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 0);
	CHECK_EQ(loc.l1_damaged, 1);
	CHECK_EQ(loc.l1desc, 0x6ff94000 | 9);
	CHECK_EQ(loc.addr, 0x6ff94000 + 5 * 64);	/* not in the dump */
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 1);
	CHECK_EQ(damaged, 1);

	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 2);
	CHECK_EQ(unreadable, 256);
	CHECK_EQ(v.sids[0], 0x100);
	CHECK_EQ(v.filtered[0], SMMU_VISIT_SW_L2);
	CHECK_EQ(v.sids[1], 0x200);

	/*
	 * The SMMU walked the value before the crash kernel's store, which
	 * the device dump records: not the driver's if the descriptor had
	 * been changed before the crash; none for an L1 index the driver
	 * had no L2 table for (the crash kernel made one for its device)
	 */
	stores[0].old = l2s[2] | 9;
	CHECK_EQ(smmu_ste_locate(&t, 0x100, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 1);
	CHECK_EQ(loc.l1_from_dd, 1);
	CHECK_EQ(loc.l1desc, l2s[2] | 9);
	CHECK_EQ(loc.addr, l2s[2]);
	stores[0].old = l2s[1] | 9;
	fm_w64(l1 + 8 * 9, 0x6ff98000 | 9);
	stores[1] = (struct smmu_l1_store){ .phys = l1 + 8 * 9, .old = 0 };
	t.nr_l1_stores = 2;
	CHECK(smmu_ste_locate(&t, 0x900, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_NO_L2);
	CHECK_EQ(loc.l1_from_dd, 1);
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 2);
	fm_w64(l1 + 8 * 9, 0);
	t.nr_l1_stores = 1;

	/* a device dump that records no store: both are used as they are */
	t.nr_l1_stores = 0;
	CHECK_EQ(smmu_ste_locate(&t, 0x100, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_damaged, 1);
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 0);
	CHECK_EQ(damaged, 2);

	/*
	 * The L1 table not in the dump and no driver's table to fall back on:
	 * the walk takes the descriptor the device dump records, as -s does
	 */
	t.sw_l2 = NULL;
	t.nr_sw_l2 = 0;
	t.nr_l1_stores = 1;
	fm_set(l1, 256 * 8, FM_MISSING);
	CHECK_EQ(smmu_ste_locate(&t, 0x100, &fm_mem, &loc), 0);
	CHECK_EQ(loc.addr, l2s[1]);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 1);
	CHECK_EQ(v.sids[0], 0x100);
	CHECK_EQ(unreadable, 255 * 256);
	fm_set(l1, 256 * 8, FM_PRESENT);
}

/*
 * A store the crash kernel made after it saved the device dump is only in
 * its log (arm_smmu_kdump_l1_desc_update(): a device it added later, in a
 * span that had no L2 table at the crash).  An L1 descriptor with a Span
 * where the driver had no L2 table (l2ptrs[] NULL) and no store recorded
 * is that: the SMMU walked Span 0.  A driver's L2 table whose address is
 * not known (SMMU_SW_L2_UNKNOWN) says nothing: memory is walked as it is.
 */
static void test_strtab_dd_l1_after_dump(void)
{
	uint64_t l2s[4], sw[256], l1, unreadable, n, rewritten, damaged;
	uint64_t unaligned;
	static struct smmu_l1_store stores[1];
	struct smmu_strtab t;
	struct smmu_ste_loc loc;
	static struct visit v;

	/* L1[1] repointed, recorded; L1[9] given a Span after the dump */
	l1 = build_2lvl_dd(&t, l2s, sw, &stores[0]);
	fm_w64(l1 + 8 * 9, 0x6ff98000 | 9);

	CHECK(smmu_ste_locate(&t, 0x905, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_NO_L2);
	CHECK_EQ(loc.l1_replaced, 1);
	CHECK_EQ(loc.l1_after_dd, 1);
	CHECK_EQ(loc.l1_from_dd, 0);
	CHECK_EQ(loc.l1_damaged, 0);
	CHECK_EQ(loc.l1_mem, 0x6ff98000 | 9);
	CHECK_EQ(loc.l1desc, 0);
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(rewritten, 2);
	CHECK_EQ(damaged, 0);
	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 4);
	CHECK_EQ(unreadable, 0);

	/* the driver's table there, its address unknown: memory as it is */
	sw[9] = SMMU_SW_L2_UNKNOWN;
	CHECK_EQ(smmu_ste_locate(&t, 0x905, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_replaced, 0);
	CHECK_EQ(loc.l1_after_dd, 0);
	CHECK_EQ(loc.l1_damaged, 0);
	CHECK_EQ(loc.addr, 0x6ff98000 + 5 * 64);	/* not in the dump */
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 5);
	CHECK_EQ(rewritten, 1);
	sw[9] = 0;

	/* no device dump: nothing says the Span came later, as it is */
	t.l1_stores_known = 0;
	t.nr_l1_stores = 0;
	CHECK_EQ(smmu_ste_locate(&t, 0x905, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_after_dd, 0);
	CHECK_EQ(loc.addr, 0x6ff98000 + 5 * 64);
	/* nor without the driver's record */
	t.l1_stores_known = 1;
	t.sw_l2 = NULL;
	t.nr_sw_l2 = 0;
	CHECK_EQ(smmu_ste_locate(&t, 0x905, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_after_dd, 0);
	fm_w64(l1 + 8 * 9, 0);
}

/*
 * IHI 0070 6.3.23: the SMMU aligns STRTAB_BASE.ADDR to the table's size
 * (linear: 64 << LOG2SIZE; 2-level: the L1 table, 64 bytes at least),
 * ignoring the address bits below; 5.1: it takes L2Ptr bits [Span + 4:0]
 * of an L1 descriptor as zero (the L2 table, 64 << (Span - 1) bytes, is
 * aligned to its size).  The decoders walk where the SMMU would.
 */
static void test_strtab_unaligned(void)
{
	struct smmu_strtab t;
	struct smmu_ste_loc loc;
	static struct visit v;
	uint64_t l2s[4], l1, unreadable, n, rewritten, damaged, unaligned;

	/* 2-level, 16 bits, split 8: a 2K L1 table */
	CHECK_EQ(smmu_strtab_from_regs(0x40fb4040, 0x10210, &t), 0);
	CHECK_EQ(t.base, 0x40fb4000);
	CHECK_EQ(t.base_addr, 0x40fb4040);
	CHECK_EQ(smmu_strtab_align(&t), 0x800);
	CHECK_EQ(smmu_strtab_from_regs(0x4000000040fb47c0ULL, 0x10210, &t), 0);
	CHECK_EQ(t.base, 0x40fb4000);
	CHECK_EQ(smmu_strtab_from_regs(0x40fb4800, 0x10210, &t), 0);
	CHECK_EQ(t.base, 0x40fb4800);
	CHECK_EQ(t.base_addr, t.base);
	/* split 10 over 16 bits: 64 L1 descriptors, 512 bytes */
	CHECK_EQ(smmu_strtab_from_regs(0x40fb4340, 0x10290, &t), 0);
	CHECK_EQ(t.base, 0x40fb4200);
	/* one L1 descriptor: 64 bytes */
	CHECK_EQ(smmu_strtab_from_regs(0x41000040, 0x10000 | 10 << 6 | 6, &t),
		 0);
	CHECK_EQ(t.base, 0x41000040);
	CHECK_EQ(smmu_strtab_align(&t), 64);
	/* linear, 16 bits: 4M */
	CHECK_EQ(smmu_strtab_from_regs(0x41001000, 16, &t), 0);
	CHECK_EQ(t.base, 0x41000000);
	CHECK_EQ(t.base_addr, 0x41001000);
	CHECK_EQ(smmu_strtab_align(&t), 4ULL << 20);
	/* the literal LOG2SIZE counts, 32 bits: 256G */
	CHECK_EQ(smmu_strtab_from_regs(0x4041000000ULL, 32, &t), 0);
	CHECK_EQ(t.base, 0x4000000000ULL);
	/* linear, 5 bits: 2K; the same for a driver's fields */
	CHECK_EQ(smmu_strtab_init(&t, SMMU_STRTAB_LINEAR, 0x41000fc0, 5, 0), 0);
	CHECK_EQ(t.base, 0x41000800);
	CHECK_EQ(smmu_strtab_init(&t, SMMU_STRTAB_2LVL, 0x40fb4100, 16, 8), 0);
	CHECK_EQ(t.base, 0x40fb4000);

	/* an unaligned STRTAB_BASE: the STE is where the SMMU looks */
	l1 = build_2lvl(&t, l2s);
	CHECK_EQ(smmu_strtab_from_regs(l1 + 0x100, 0x10210, &t), 0);
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1_addr, l1 + 24);
	CHECK_EQ(loc.addr, l2s[3] + 5 * 64);

	/* L1[3]'s L2Ptr 0x1040 bytes into its 16K table, Span 9 */
	fm_w64(l1 + 24, (l2s[3] + 0x1040) | 9);
	CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
	CHECK_EQ(loc.l1desc, (l2s[3] + 0x1040) | 9);
	CHECK_EQ(loc.l2, l2s[3]);
	CHECK_EQ(loc.addr, l2s[3] + 5 * 64);
	CHECK_EQ(smmu_l1std_l2((l2s[3] + 0x1040) | 9), l2s[3]);
	/* Span 3 (4 STEs, 256 bytes): only bits [7:0] are ignored */
	fm_w64(l1 + 24, (l2s[3] + 0x1040) | 3);
	CHECK_EQ(smmu_ste_locate(&t, 0x303, &fm_mem, &loc), 0);
	CHECK_EQ(loc.addr, l2s[3] + 0x1000 + 3 * 64);
	CHECK(smmu_ste_locate(&t, 0x305, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_SPAN_RANGE);
	CHECK_EQ(loc.l2, l2s[3] + 0x1000);
	/* a Span the SMMU does not walk: L2Ptr shown as it is */
	fm_w64(l1 + 24, (l2s[3] + 0x1040) | 10);
	CHECK(smmu_ste_locate(&t, 0x305, &fm_mem, &loc));
	CHECK_EQ(loc.status, SMMU_STE_BAD_SPAN);
	CHECK_EQ(loc.l2, l2s[3] + 0x1040);
	/* Span 0 and reserved Spans: L2Ptr as it is, never walked */
	CHECK_EQ(smmu_l1std_l2(l2s[3] + 0x1040), l2s[3] + 0x1040);
	CHECK_EQ(smmu_l1std_l2((l2s[3] + 0x1040) | 12), l2s[3] + 0x1040);
	fm_w64(l1 + 24, (l2s[3] + 0x1040) | 9);
	CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten, &damaged,
					  &unaligned), 4);
	CHECK_EQ(unaligned, 1);

	memset(&v, 0, sizeof(v));
	n = smmu_strtab_for_each(&t, &caps, &fm_mem, visit_fn, &v,
				 &unreadable);
	CHECK_EQ(n, 4);
	CHECK_EQ(unreadable, 0);
	CHECK_EQ(v.sids[0], 0x100);
	CHECK_EQ(v.addrs[0], l2s[1]);
	CHECK_EQ(v.sids[2], 0x300);
	CHECK_EQ(v.addrs[2], l2s[3]);
	CHECK_EQ(v.sids[3], 0x305);
	CHECK_EQ(v.addrs[3], l2s[3] + 5 * 64);
	CHECK_EQ(v.filtered[0], 0);
	CHECK_EQ(v.filtered[3], SMMU_VISIT_L2_UNALIGNED);

	/* the driver's record of L1[3]'s table: the same table, used as is */
	{
		uint64_t sw[256];

		memset(sw, 0, sizeof(sw));
		memcpy(sw, l2s, sizeof(l2s));
		t.sw_l2 = sw;
		t.nr_sw_l2 = 256;
		CHECK_EQ(smmu_ste_locate(&t, 0x305, &fm_mem, &loc), 0);
		CHECK_EQ(loc.l1_replaced, 0);
		CHECK_EQ(loc.addr, l2s[3] + 5 * 64);
		CHECK_EQ(smmu_strtab_l1_populated(&t, &fm_mem, &rewritten,
						  &damaged, &unaligned), 4);
		CHECK_EQ(rewritten, 0);
		CHECK_EQ(unaligned, 1);
		t.sw_l2 = NULL;
	}
}

/* ---- CD ------------------------------------------------------------------- */

static void test_cd_fields(void)
{
	/* the CD of SID 0x300 in the rig's stage-1 dump */
	uint64_t w[8] = { 0x0003e204c0003510ULL, 0x41473000,
			  0, 0xfffffffff404ff44ULL };
	struct smmu_cd cd;
	struct smmu_pt_cfg cfg;

	smmu_cd_decode(w, &caps, &cd);
	CHECK_EQ(cd.v, 1);
	CHECK_EQ(cd.t0sz, 16);
	CHECK_EQ(cd.tg0, 0);
	CHECK_EQ(cd.ir0, 1);
	CHECK_EQ(cd.or0, 1);
	CHECK_EQ(cd.sh0, 3);
	CHECK_EQ(cd.epd0, 0);
	CHECK_EQ(cd.epd1, 1);
	CHECK_EQ(cd.ips, 4);
	CHECK_EQ(cd.aa64, 1);
	CHECK_EQ(cd.r, 1);
	CHECK_EQ(cd.a, 1);
	CHECK_EQ(cd.aset, 1);
	CHECK_EQ(cd.asid, 3);
	CHECK_EQ(cd.ttb0, 0x41473000);
	CHECK_EQ(cd.mair, 0xfffffffff404ff44ULL);
	CHECK_EQ(cd.errors, 0);

	CHECK_EQ(smmu_pt_cfg_s1(&cd, &caps, &cfg), 0);
	CHECK_EQ(cfg.pg_shift, 12);
	CHECK_EQ(cfg.ia_bits, 48);
	CHECK_EQ(cfg.start, 0);
	CHECK_EQ(cfg.oa_bits, 44);
	CHECK_EQ(cfg.af_fault, 1);

	/* invalid CD */
	w[0] &= ~(1ULL << 31);
	smmu_cd_decode(w, &caps, &cd);
	CHECK_EQ(cd.v, 0);
	CHECK(smmu_pt_cfg_s1(&cd, &caps, &cfg));
}

static void test_cd_illegal(void)
{
	uint64_t w[8];
	struct smmu_cd cd;
	struct smmu_pt_cfg cfg;

	mk_cd(w, 0x41000000, 16, 3, 4, 1);	/* reserved TG0 */
	smmu_cd_decode(w, &caps, &cd);
	CHECK(cd.errors & SMMU_CD_ERR_TG0);
	CHECK(smmu_pt_cfg_s1(&cd, &caps, &cfg));

	mk_cd(w, 0x41000000, 8, 0, 4, 1);	/* T0SZ 8: 56-bit VA */
	smmu_cd_decode(w, &caps, &cd);
	CHECK(cd.errors & SMMU_CD_ERR_T0SZ);

	mk_cd(w, 0x41000000, 16, 0, 7, 1);	/* reserved IPS */
	smmu_cd_decode(w, &caps, &cd);
	CHECK(cd.errors & SMMU_CD_ERR_IPS);

	mk_cd(w, 0x41000000, 16, 0, 4, 1);	/* AArch32 */
	w[0] &= ~(1ULL << 41);
	smmu_cd_decode(w, &caps, &cd);
	CHECK(cd.errors & SMMU_CD_ERR_AA32);

	mk_cd(w, 1ULL << 46, 16, 0, 4, 1);	/* TTB0 beyond the OAS */
	smmu_cd_decode(w, &caps, &cd);
	CHECK(cd.errors & SMMU_CD_ERR_ADDR);

	mk_cd(w, 0x41000000, 16, 0, 4, 1);	/* EPD0: no walk */
	w[0] |= 1ULL << 14;
	smmu_cd_decode(w, &caps, &cd);
	CHECK_EQ(cd.errors, 0);
	CHECK(smmu_pt_cfg_s1(&cd, &caps, &cfg));
}

/* ---- page-table walks ---------------------------------------------------- */

static void s1_cfg(struct smmu_pt_cfg *cfg, uint64_t ttb,
		   const struct pt_geom *g)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->stage = 1;
	cfg->pg_shift = g->pg_shift;
	cfg->ia_bits = g->ia_bits;
	cfg->oa_bits = 44;
	cfg->start = g->start;
	cfg->ttb = ttb;
	cfg->af_fault = 1;
}

static void test_walk_s1_page(void)
{
	struct smmu_pt_cfg cfg;
	struct smmu_walk w;
	uint64_t ttb = pt_new(&g4k48);

	pt_map(&g4k48, ttb, 0xffff4000, 0x4179e000, 3, PT_S1_RW);
	s1_cfg(&cfg, ttb, &g4k48);
	CHECK_EQ(smmu_pt_walk(&cfg, 0xffff4842, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.fault, SMMU_FAULT_NONE);
	CHECK_EQ(w.out, 0x4179e842);
	CHECK_EQ(w.size, 4096);
	CHECK_EQ(w.nr, 4);
	CHECK_EQ(w.step[0].level, 0);
	CHECK_EQ(w.step[0].index, 0);
	CHECK_EQ(w.step[1].index, 3);
	CHECK_EQ(w.step[2].index, 0x1ff);
	CHECK_EQ(w.step[3].index, 0x1f4);
	CHECK_EQ(w.step[3].type, SMMU_DESC_PAGE);
	CHECK_EQ(w.step[0].type, SMMU_DESC_TABLE);
	CHECK_EQ(w.perm & (SMMU_PERM_R | SMMU_PERM_W),
		 SMMU_PERM_R | SMMU_PERM_W);
	CHECK(!(w.perm & SMMU_PERM_PRIV_ONLY));
	CHECK_EQ(w.attr, 1);
}

static void test_walk_s1_blocks(void)
{
	struct smmu_pt_cfg cfg;
	struct smmu_walk w;
	uint64_t ttb = pt_new(&g4k48);

	pt_map(&g4k48, ttb, 0x80000000, 0x40000000, 1, PT_S1_RW);  /* 1G */
	pt_map(&g4k48, ttb, 0x200000, 0x42000000, 2, PT_S1_RO);    /* 2M */
	s1_cfg(&cfg, ttb, &g4k48);

	CHECK_EQ(smmu_pt_walk(&cfg, 0x80123456, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x40123456);
	CHECK_EQ(w.size, 1ULL << 30);
	CHECK_EQ(w.nr, 2);
	CHECK_EQ(w.step[1].type, SMMU_DESC_BLOCK);

	CHECK_EQ(smmu_pt_walk(&cfg, 0x3fffff, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x421fffff);
	CHECK_EQ(w.size, 2ULL << 20);
	CHECK_EQ(w.perm & SMMU_PERM_W, 0);

	/* a block at level 0 is not allowed with 4K pages */
	fm_w64(ttb + 8, 0x8000000000ULL | PT_S1_RW | 1);
	CHECK(smmu_pt_walk(&cfg, 0x8000001000ULL, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_TRANSLATION);
	CHECK_EQ(w.fault_level, 0);
}

static void test_walk_faults(void)
{
	struct smmu_pt_cfg cfg;
	struct smmu_walk w;
	uint64_t ttb = pt_new(&g4k48), leaf, l3;

	leaf = pt_map(&g4k48, ttb, 0x10000, 0x50000000, 3, PT_S1_RW);
	l3 = leaf & ~0xfffULL;
	s1_cfg(&cfg, ttb, &g4k48);

	/* invalid leaf */
	CHECK(smmu_pt_walk(&cfg, 0x11000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_TRANSLATION);
	CHECK_EQ(w.fault_level, 3);
	CHECK_EQ(w.step[3].type, SMMU_DESC_INVALID);

	/* IOVA beyond the 48-bit input range */
	CHECK(smmu_pt_walk(&cfg, 1ULL << 48, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_TRANSLATION);
	CHECK_EQ(w.nr, 0);

	/* reserved 0b01 at level 3 */
	fm_w64(leaf, (fm_r64(leaf) & ~3ULL) | 1);
	CHECK(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_TRANSLATION);
	CHECK_EQ(w.step[3].type, SMMU_DESC_RESERVED);

	/* access flag clear */
	fm_w64(leaf, 0x50000000 | (PT_S1_RW & ~(1ULL << 10)) | 3);
	CHECK(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_ACCESS);
	cfg.af_fault = 0;	/* CD.AFFD or HA */
	CHECK_EQ(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w), 0);
	cfg.af_fault = 1;

	/* output beyond the 44-bit OAS */
	fm_w64(leaf, (1ULL << 45) | PT_S1_RW | 3);
	CHECK(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_ADDR_SIZE);

	/* the L3 table filtered out (all zero): a translation fault */
	fm_w64(leaf, 0);
	fm_set(l3, 4096, FM_FILTERED);
	CHECK(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_TRANSLATION);
	CHECK_EQ(w.step[3].filtered, 1);

	/* the L3 table not in the dump at all */
	fm_set(l3, 4096, FM_MISSING);
	CHECK(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_WALK_EABT);
	CHECK_EQ(w.fault_level, 3);

	/* a table pointer outside memory */
	cfg.ttb = 0x10000000000ULL;
	CHECK(smmu_pt_walk(&cfg, 0x10000, &fm_mem, NULL, NULL, &w));
	CHECK_EQ(w.fault, SMMU_FAULT_WALK_EABT);

	/* TBI: the top byte is ignored */
	cfg.ttb = ttb;
	fm_set(l3, 4096, FM_PRESENT);
	pt_map(&g4k48, ttb, 0x20000, 0x51000000, 3, PT_S1_RW);
	CHECK(smmu_pt_walk(&cfg, 0xab00000000020000ULL, &fm_mem, NULL, NULL,
			   &w));
	cfg.tbi = 1;
	CHECK_EQ(smmu_pt_walk(&cfg, 0xab00000000020010ULL, &fm_mem, NULL,
			      NULL, &w), 0);
	CHECK_EQ(w.out, 0x51000010);
}

static void test_walk_granules(void)
{
	static const struct pt_geom g64k = { 16, 48, 1 };
	static const struct pt_geom g16k = { 14, 47, 1 };
	static const struct pt_geom g4k39 = { 12, 39, 1 };
	struct smmu_pt_cfg cfg;
	struct smmu_walk w;
	uint64_t ttb;

	ttb = pt_new(&g64k);
	pt_map(&g64k, ttb, 0x123450000ULL, 0x45670000, 3, PT_S1_RW);
	s1_cfg(&cfg, ttb, &g64k);
	CHECK_EQ(smmu_pt_walk(&cfg, 0x12345abcdULL, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x4567abcd);
	CHECK_EQ(w.size, 1ULL << 16);
	CHECK_EQ(w.nr, 3);

	/* 52-bit output with 64K pages: PA[51:48] sits in bits [15:12] */
	cfg.oa_bits = 52;
	fm_w64(pt_map(&g64k, ttb, 0x123460000ULL, 0x45680000, 3, PT_S1_RW),
	       0x45680000 | (0xaULL << 12) | PT_S1_RW | 3);
	CHECK_EQ(smmu_pt_walk(&cfg, 0x123460010ULL, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0xa000045680010ULL);
	cfg.oa_bits = 48;	/* bits [15:12] are not address bits then */
	CHECK_EQ(smmu_pt_walk(&cfg, 0x123460010ULL, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x45680010);

	ttb = pt_new(&g16k);
	pt_map(&g16k, ttb, 0x7fff8000ULL, 0x4800c000, 3, PT_S1_RW);
	s1_cfg(&cfg, ttb, &g16k);
	CHECK_EQ(smmu_pt_walk(&cfg, 0x7fffbfffULL, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x4800ffff);
	CHECK_EQ(w.size, 1ULL << 14);

	ttb = pt_new(&g4k39);
	pt_map(&g4k39, ttb, 0x7ffffff000ULL, 0x49000000, 3, PT_S1_RW);
	s1_cfg(&cfg, ttb, &g4k39);
	CHECK_EQ(smmu_pt_walk(&cfg, 0x7ffffff123ULL, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x49000123);
	CHECK_EQ(w.nr, 3);
}

/* Stage 2 from STE fields, with a concatenated start level. */
static void test_walk_s2(void)
{
	/* 40-bit IPA, 4K, SL0 1: level 1 with 2 concatenated tables */
	static const struct pt_geom g = { 12, 40, 1 };
	struct smmu_pt_cfg cfg;
	struct smmu_ste ste;
	struct smmu_walk w;
	uint64_t words[8], ttb;

	ttb = fm_alloc(2 * 4096, 8192);
	pt_map(&g, ttb, 0xff00001000ULL, 0x4a000000, 3, PT_S2_RO);
	mk_ste_s2(words, ttb, 9, 24, 1, 0, 4);
	smmu_ste_decode(words, &caps, &ste);
	CHECK_EQ(ste.errors, 0);
	CHECK_EQ(smmu_pt_cfg_s2(&ste, &caps, &cfg), 0);
	CHECK_EQ(cfg.start, 1);
	CHECK_EQ(cfg.ia_bits, 40);
	CHECK_EQ(smmu_pt_walk(&cfg, 0xff00001abcULL, &fm_mem, NULL, NULL, &w), 0);
	CHECK_EQ(w.out, 0x4a000abc);
	CHECK_EQ(w.step[0].index, 0x3fc);	/* 10 bits at level 1 */
	CHECK_EQ(w.perm & (SMMU_PERM_R | SMMU_PERM_W), SMMU_PERM_R);

	/* the rig's shape: 44-bit IPA from level 0 */
	mk_ste_s2(words, ttb, 3, 20, 2, 0, 4);
	smmu_ste_decode(words, &caps, &ste);
	CHECK_EQ(smmu_pt_cfg_s2(&ste, &caps, &cfg), 0);
	CHECK_EQ(cfg.start, 0);

	/* 64K granule, 44-bit IPA, SL0 1 (level 2, 4 concatenated tables) */
	mk_ste_s2(words, ttb, 3, 20, 1, 1, 4);
	smmu_ste_decode(words, &caps, &ste);
	CHECK_EQ(ste.errors, 0);
	CHECK_EQ(smmu_pt_cfg_s2(&ste, &caps, &cfg), 0);
	CHECK_EQ(cfg.start, 2);
}

/* ---- translations ------------------------------------------------------- */

static void test_xlate_s1(void)
{
	uint64_t w[8], cdw[8], cdp, ttb;
	struct smmu_ste ste;
	struct smmu_xlate x;

	ttb = pt_new(&g4k48);
	pt_map(&g4k48, ttb, 0xfffff000, 0x42adb000, 3, PT_S1_RW);
	cdp = fm_alloc(64, 64);
	mk_cd(cdw, ttb, 16, 0, 4, 1);
	put_words(cdp, cdw, 8);
	mk_ste_s1(w, cdp, 0, 0, SMMU_S1DSS_SSID0);
	smmu_ste_decode(w, &caps, &ste);

	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff040, &caps,
				&fm_mem, &x), 0);
	CHECK_EQ(x.pa, 0x42adb040);
	CHECK_EQ(x.cd_addr, cdp);
	CHECK_EQ(x.cd.asid, 1);
	CHECK_EQ(x.size, 4096);
	CHECK(x.perm & SMMU_PERM_W);
	CHECK_EQ(x.bypass_s2, 1);

	/* no substreams: a SubstreamID is C_BAD_SUBSTREAMID */
	CHECK(smmu_translate(&ste, 1, 0xfffff040, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);

	/* unmapped IOVA */
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0xffffe000, &caps, &fm_mem,
			     &x));
	CHECK_EQ(x.fault, SMMU_FAULT_TRANSLATION);

	/* the CD page filtered (zero): C_BAD_CD */
	fm_set(cdp, 64, FM_FILTERED);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff040, &caps, &fm_mem,
			     &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);
	CHECK_EQ(x.cd_filtered, 1);

	/* the CD not in the dump */
	fm_set(cdp, 64, FM_MISSING);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff040, &caps, &fm_mem,
			     &x));
	CHECK_EQ(x.fault, SMMU_FAULT_WALK_EABT);
}

/* Two-level CD table (64K leaves) and SubstreamID handling. */
static void test_xlate_substreams(void)
{
	uint64_t w[8], l1, ttb0, ttb5;
	struct smmu_ste ste;
	struct smmu_xlate x;

	ttb0 = pt_new(&g4k48);
	ttb5 = pt_new(&g4k48);
	pt_map(&g4k48, ttb0, 0x1000, 0x43000000, 3, PT_S1_RW);
	pt_map(&g4k48, ttb5, 0x1000, 0x44000000, 3, PT_S1_RW);
	l1 = mk_cdtab_2lvl(ttb0, ttb5);

	mk_ste_s1(w, l1, SMMU_S1FMT_64K_L2, 16, SMMU_S1DSS_SSID0);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.errors, 0);

	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0x1234, &caps, &fm_mem,
				&x), 0);
	CHECK_EQ(x.pa, 0x43000234);
	CHECK_EQ(x.l1cd_addr, l1);

	CHECK_EQ(smmu_translate(&ste, 1029, 0x1234, &caps, &fm_mem, &x), 0);
	CHECK_EQ(x.pa, 0x44000234);
	CHECK_EQ(x.cd.asid, 5);
	CHECK_EQ(x.l1cd_addr, l1 + 8);

	/* SSID 0 is reserved with S1DSS ssid0 */
	CHECK(smmu_translate(&ste, 0, 0x1234, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);
	/* beyond S1CDMax */
	CHECK(smmu_translate(&ste, 1 << 16, 0x1234, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);
	/* L1 descriptor not valid */
	CHECK(smmu_translate(&ste, 5000, 0x1234, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);
	/* valid L2 table, CD not valid */
	CHECK(smmu_translate(&ste, 1030, 0x1234, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_CONFIG);

	/* S1DSS: terminate / bypass for traffic without SubstreamID */
	w[1] = (w[1] & ~3ULL) | SMMU_S1DSS_TERMINATE;
	smmu_ste_decode(w, &caps, &ste);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0x1234, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_ABORT);
	w[1] = (w[1] & ~3ULL) | SMMU_S1DSS_BYPASS;
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0x1234, &caps, &fm_mem,
				&x), 0);
	CHECK_EQ(x.pa, 0x1234);
	CHECK_EQ(x.bypass_s1, 1);
	/* with S1DSS terminate, SSID 0 is an ordinary substream */
	w[1] = (w[1] & ~3ULL) | SMMU_S1DSS_TERMINATE;
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(smmu_translate(&ste, 0, 0x1234, &caps, &fm_mem, &x), 0);
	CHECK_EQ(x.pa, 0x43000234);

	/* 4K leaves (S1FMT 1): 64 CDs per L2 table */
	w[0] = (w[0] & ~(3ULL << 4)) | (1ULL << 4);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(smmu_translate(&ste, 69, 0x1234, &caps, &fm_mem, &x), 0);
	CHECK_EQ(x.l1cd_addr, l1 + 8);
	CHECK_EQ(x.pa, 0x44000234);
}

static void test_xlate_s2_bypass_abort(void)
{
	uint64_t w[8], ttb;
	struct smmu_ste ste;
	struct smmu_xlate x;

	ttb = pt_new(&g4k48);
	pt_map(&g4k48, ttb, 0xfffed000, 0x40cb0000, 3, PT_S2_RW);
	mk_ste_s2(w, ttb, 3, 16, 2, 0, 4);	/* 48-bit IPA from level 0 */
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.errors, 0);
	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0xfffed402, &caps,
				&fm_mem, &x), 0);
	CHECK_EQ(x.pa, 0x40cb0402);
	CHECK_EQ(x.bypass_s1, 1);
	CHECK_EQ(x.perm & 3, 3);

	mk_ste_bypass(w);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0x12345678, &caps,
				&fm_mem, &x), 0);
	CHECK_EQ(x.pa, 0x12345678);

	mk_ste_abort(w);
	smmu_ste_decode(w, &caps, &ste);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0x1000, &caps, &fm_mem, &x));
	CHECK_EQ(x.fault, SMMU_FAULT_ABORT);
}

/*
 * Nested: the CD pointer, the stage-1 tables and the stage-1 output are
 * IPAs that stage 2 maps at an offset of 0x10000000.
 */
static void test_xlate_nested(void)
{
	const uint64_t off = 0x10000000;
	uint64_t w[8], cdw[8], s2ttb, s1ttb, cdp, ipa_page, p;
	struct smmu_ste ste;
	struct smmu_xlate x;
	int i;

	s2ttb = pt_new(&g4k48);
	/* stage 1 tables and CD live at PA p; their IPA is p - off */
	s1ttb = pt_new(&g4k48);
	cdp = fm_alloc(64, 64);
	for (p = FM_BASE + 0x01000000; p < FM_BASE + 0x01800000; p += 4096)
		pt_map(&g4k48, s2ttb, p - off, p, 3, PT_S2_RW);
	/* S1 tables must be in that window: allocate them there */
	(void)s1ttb;
	s1ttb = FM_BASE + 0x01000000;
	for (i = 0; i < 8; i++)		/* clear the window's first pages */
		fm_w64(s1ttb + i * 4096, 0);
	{
		/* build S1 by hand in the window: L0..L3 at consecutive pages */
		uint64_t l0 = s1ttb, l1 = s1ttb + 0x1000, l2 = s1ttb + 0x2000;
		uint64_t l3 = s1ttb + 0x3000;

		ipa_page = 0x4ff00000 - off;	/* S1 output IPA */
		fm_w64(l0 + 8 * 0, (l1 - off) | 3);
		fm_w64(l1 + 8 * 3, (l2 - off) | 3);
		fm_w64(l2 + 8 * 0x1ff, (l3 - off) | 3);
		fm_w64(l3 + 8 * 0x1ff, ipa_page | PT_S1_RW | 3);
		pt_map(&g4k48, s2ttb, ipa_page, ipa_page + off, 3, PT_S2_RW);
		cdp = s1ttb + 0x4000;
		mk_cd(cdw, l0 - off, 16, 0, 4, 9);
		put_words(cdp, cdw, 8);
	}
	mk_ste_s1(w, cdp - off, 0, 0, SMMU_S1DSS_SSID0);
	{
		uint64_t s2w[8];

		mk_ste_s2(s2w, s2ttb, 4, 16, 2, 0, 4);
		w[0] |= 7ULL << 1;	/* Config nested */
		w[2] = s2w[2];
		w[3] = s2w[3];
	}
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.cfg, SMMU_STE_CFG_NESTED);
	CHECK_EQ(ste.errors, 0);
	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff123, &caps,
				&fm_mem, &x), 0);
	CHECK_EQ(x.cd_addr, cdp - off);
	CHECK_EQ(x.cd_pa, cdp);
	CHECK_EQ(x.cd.asid, 9);
	CHECK_EQ(x.s1.out, ipa_page + 0x123);
	CHECK_EQ(x.pa, ipa_page + off + 0x123);
	CHECK_EQ(x.s1.step[1].desc_addr, s1ttb + 0x1000 - off + 8 * 3);
	CHECK_EQ(x.s1.step[1].desc_pa, s1ttb + 0x1000 + 8 * 3);
	CHECK_EQ(x.s1_s2[1].out, s1ttb + 0x1000 + 8 * 3);
	CHECK_EQ(x.s2.nr, 4);
	CHECK(x.perm & SMMU_PERM_W);

	/* stage 2 read-only: the combined permission is read-only */
	pt_map(&g4k48, s2ttb, ipa_page, ipa_page + off, 3, PT_S2_RO);
	CHECK_EQ(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff123, &caps,
				&fm_mem, &x), 0);
	CHECK_EQ(x.perm & (SMMU_PERM_R | SMMU_PERM_W), SMMU_PERM_R);

	/* stage 2 loses the S1 level-2 table: fault during the S1 walk */
	fm_w64(pt_map(&g4k48, s2ttb, s1ttb + 0x2000 - off, 0, 3, 0), 0);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff123, &caps, &fm_mem,
			     &x));
	CHECK_EQ(x.fault, SMMU_FAULT_TRANSLATION);
	CHECK_EQ(x.s1.nr, 3);

	/* stage 2 loses the CD */
	fm_w64(pt_map(&g4k48, s2ttb, cdp - off, 0, 3, 0), 0);
	CHECK(smmu_translate(&ste, SMMU_NO_SSID, 0xfffff123, &caps, &fm_mem,
			     &x));
	CHECK_EQ(x.fault, SMMU_FAULT_TRANSLATION);
	CHECK(x.why && strstr(x.why, "CD"));
}

/* ---- queues, events, names ---------------------------------------------- */

static void test_queue(void)
{
	CHECK_EQ(smmu_q_used(0, 0, 8), 0);
	CHECK_EQ(smmu_q_used(5, 2, 8), 3);
	CHECK_EQ(smmu_q_used(0x100 | 2, 0xfe, 8), 4);		/* wrapped */
	CHECK_EQ(smmu_q_used(0x100 | 3, 3, 8), 256);		/* full */
	CHECK_EQ(smmu_q_used(0x4cd, 0x4cd, 19), 0);
	CHECK_EQ(smmu_q_used(2, 5, 8), 0);		/* prod behind: none */
	CHECK_EQ(smmu_q_idx(0x1ff, 8), 0xff);
	/* prod a lap ahead and past cons: inconsistent, reported full */
	CHECK_EQ(smmu_q_used(0x105, 2, 8), 256);
	/* the overflow flag in bit 31 does not count */
	CHECK_EQ(smmu_q_used(0x80000005, 2, 8), 3);

	/* what -e and the list follow, as -d: prod not behind cons, nor a lap ahead */
	CHECK(smmu_q_ptrs_ok(0, 0, 8));
	CHECK(smmu_q_ptrs_ok(5, 2, 8));
	CHECK(smmu_q_ptrs_ok(0x100 | 2, 0xfe, 8));
	CHECK(smmu_q_ptrs_ok(0x100 | 3, 3, 8));
	CHECK(!smmu_q_ptrs_ok(2, 5, 8));
	CHECK(!smmu_q_ptrs_ok(0x105, 2, 8));
	CHECK(!smmu_q_ptrs_ok(0x10005, 0x3, 16));
	CHECK(smmu_q_ptrs_ok(0x80000005, 2, 8));
}

static void test_events(void)
{
	uint64_t w[4];
	struct smmu_evt e;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	/* F_TRANSLATION, SID 0x300, SSID 5 valid, write, stage 2, class IN */
	w[0] = 0x10 | (1ULL << 11) | (5ULL << 12) | (0x300ULL << 32);
	w[1] = (1ULL << 39) | (2ULL << 40) | 0x1234 | (1ULL << 31);
	w[2] = 0xfff0ec00;
	w[3] = 0x4203b000;
	smmu_evt_decode(w, &e);
	CHECK_EQ(e.id, 0x10);
	CHECK_STR(smmu_evt_name(e.id), "F_TRANSLATION");
	CHECK_EQ(e.sid, 0x300);
	CHECK_EQ(e.ssv, 1);
	CHECK_EQ(e.ssid, 5);
	CHECK_EQ(e.rnw, 0);
	CHECK_EQ(e.s2, 1);
	CHECK_EQ(e.class_, 2);
	CHECK_EQ(e.stall, 1);
	CHECK_EQ(e.stag, 0x1234);
	CHECK_EQ(e.addr, 0xfff0ec00);
	CHECK_EQ(e.ipa, 0x4203b000);
	f = open_memstream(&out, &len);
	smmu_evt_print(f, &e, "");
	fclose(f);
	CHECK(strstr(out, "F_TRANSLATION (0x10)  SID: 0x300  SSID: 0x5"));
	CHECK(strstr(out, "ADDR: fff0ec00  write"));
	CHECK(strstr(out, "S2 IPA: 4203b000"));
	free(out);

	/* F_WALK_EABT: the address of the descriptor fetch, not an IPA */
	w[0] = 0x0b | (0x100ULL << 32);
	w[1] = 1ULL << 35;
	w[2] = 0xffff8000;
	w[3] = 0x6fe00ff8 | 7;
	smmu_evt_decode(w, &e);
	CHECK_STR(smmu_evt_name(e.id), "F_WALK_EABT");
	CHECK_EQ(e.addr, 0xffff8000);
	CHECK_EQ(e.fetch, 0x6fe00ff8);
	CHECK_EQ(e.ipa, 0);
	f = open_memstream(&out, &len);
	smmu_evt_print(f, &e, "");
	fclose(f);
	CHECK(strstr(out, "ADDR: ffff8000  read"));
	CHECK(strstr(out, "FETCH: 6fe00ff8"));
	CHECK(!strstr(out, "S2 IPA"));
	free(out);
	out = NULL;
	len = 0;

	/* C_BAD_STE carries no address */
	memset(w, 0, sizeof(w));
	w[0] = 0x04 | (0x100ULL << 32);
	w[2] = 0xdead;
	smmu_evt_decode(w, &e);
	CHECK_STR(smmu_evt_name(e.id), "C_BAD_STE");
	CHECK_EQ(e.has_addr, 0);
	CHECK_EQ(e.addr, 0);

	/* F_STE_FETCH: the fetch address */
	w[0] = 0x03;
	w[3] = 0x40fb4018 | 7;
	smmu_evt_decode(w, &e);
	CHECK_EQ(e.addr, 0x40fb4018);

	CHECK_STR(smmu_evt_name(0xee), "unknown");
}

/* IHI 0070 6.3: offsets of the registers the extension reads */
static void test_reg_offsets(void)
{
	CHECK_EQ(SMMU_IDR0, 0x0);
	CHECK_EQ(SMMU_IDR3, 0xc);
	CHECK_EQ(SMMU_IDR5, 0x14);
	CHECK_EQ(SMMU_CR0, 0x20);
	CHECK_EQ(SMMU_CR0ACK, 0x24);
	CHECK_EQ(SMMU_GBPA, 0x44);
	CHECK_EQ(SMMU_GERROR, 0x60);
	CHECK_EQ(SMMU_GERRORN, 0x64);
	CHECK_EQ(SMMU_STRTAB_BASE, 0x80);
	CHECK_EQ(SMMU_STRTAB_BASE_CFG, 0x88);
	CHECK_EQ(SMMU_EVTQ_BASE, 0xa0);
	CHECK_EQ(SMMU_P1(SMMU_EVTQ_PROD), 0x100a8);
	CHECK_EQ(SMMU_P1(SMMU_EVTQ_CONS), 0x100ac);
	CHECK_EQ(SMMU_P1(SMMU_PRIQ_CONS), 0x100cc);
	CHECK_STR(smmu_reg_name(SMMU_PRIQ_PROD), "PRIQ_PROD (page 0)");
	CHECK_STR(smmu_reg_name(SMMU_P1(SMMU_PRIQ_PROD)), "PRIQ_PROD");
	CHECK_STR(smmu_reg_name(SMMU_GERROR_IRQ_CFG2), "GERROR_IRQ_CFG2");
	CHECK_EQ(SMMU_Q_BASE_LOG2SIZE(0x4000000041230008ULL), 8);
}

/* Register fields and the driver's feature bits, through SMMUv3.3 */
static void test_reg_fields(void)
{
	char buf[256];

	/* the rig's QEMU SMMUv3: 2-level, AArch64, S1+S2, 16-bit SIDs */
	smmu_reg_fields(SMMU_IDR0, 0x0c04105b, buf, sizeof(buf));
	CHECK_STR(buf, "ST_LVL=2lvl STALL_MODEL=stall TTENDIAN=mixed VMID16 ASID16 HTTU=A COHACC TTF=aarch64 S1P S2P");
	smmu_reg_fields(SMMU_IDR0, 3U << 6 | 1U << 19 | 1U << 18 | 2U << 24,
			buf, sizeof(buf));
	CHECK_STR(buf, "ST_LVL=linear STALL_MODEL=force TTENDIAN=mixed CD2L VMID16 HTTU=AD+HAFT TTF=reserved");
	smmu_reg_fields(SMMU_IDR1, 0x00e70410, buf, sizeof(buf));
	CHECK(strstr(buf, "SIDSIZE=16"));
	CHECK(strstr(buf, "SSIDSIZE=16"));
	CHECK(strstr(buf, "CMDQS=7"));
	/* SMMUv3.2 FWB and RIL, SMMUv3.3 BBML2 (IDR3.BBML == 2) */
	smmu_reg_fields(SMMU_IDR3, 2U << 11 | 1U << 10 | 1U << 8, buf,
			sizeof(buf));
	CHECK_STR(buf, "BBML=2 RIL FWB");
	smmu_reg_fields(SMMU_IDR3, 0, buf, sizeof(buf));
	CHECK_STR(buf, "BBML=0");
	/* QEMU's SMMUv3 (the rig's): HAD, XNX, RIL, BBML2 */
	smmu_reg_fields(SMMU_IDR3, 0x1414, buf, sizeof(buf));
	CHECK_STR(buf, "BBML=2 RIL XNX HAD");
	smmu_reg_fields(SMMU_IDR3, 0xe2a8, buf, sizeof(buf));
	CHECK_STR(buf, "DPT PTWNNC E0PD BBML=0 STT MPAM PPS PBHA");
	smmu_reg_fields(SMMU_IDR5, 0x00400075, buf, sizeof(buf));
	CHECK_STR(buf, "STALL_MAX=64 VAX=0 GRAN64K GRAN16K GRAN4K OAS=48");
	smmu_reg_fields(SMMU_STRTAB_BASE_CFG, 0x10210, buf, sizeof(buf));
	CHECK_STR(buf, "FMT=2lvl SPLIT=8 LOG2SIZE=16");
	smmu_reg_fields(SMMU_CR0, 0xd, buf, sizeof(buf));
	CHECK_STR(buf, "SMMUEN|EVTQEN|CMDQEN");
	smmu_reg_fields(SMMU_GERRORN, 0x100, buf, sizeof(buf));
	CHECK_STR(buf, "SFM_ERR");
	smmu_reg_fields(SMMU_GBPA, 1U << 20, buf, sizeof(buf));
	CHECK_STR(buf, "ABORT");
	smmu_reg_fields(SMMU_EVTQ_BASE, 0x41230007, buf, sizeof(buf));
	CHECK_STR(buf, "LOG2SIZE=7");
	smmu_reg_fields(SMMU_IIDR, 0x43b, buf, sizeof(buf));
	CHECK_STR(buf, "");

	/* ARM_SMMU_FEAT_*: S2FWB, BBML2 and HAFT have names, not bitNN */
	smmu_bits_str(1U << 23 | 1U << 24 | 1U << 25 | 1U << 22,
		      smmu_feature_names, SMMU_NR_FEATURES, buf, sizeof(buf));
	CHECK_STR(buf, "HD|S2FWB|BBML2|HAFT");
	smmu_bits_str(1U << 26, smmu_feature_names, SMMU_NR_FEATURES, buf,
		      sizeof(buf));
	CHECK_STR(buf, "bit26");

	/* option bit 5 is KDUMP_ADOPT only for a kernel that has it */
	smmu_options_str(1U << 5 | 1U << 2, 0, buf, sizeof(buf));
	CHECK_STR(buf, "MSIPOLL|bit5");
	smmu_options_str(1U << 5 | 1U << 2, 1, buf, sizeof(buf));
	CHECK_STR(buf, "MSIPOLL|KDUMP_ADOPT");
	smmu_options_str(1U << 4, 0, buf, sizeof(buf));
	CHECK_STR(buf, "TEGRA241_CMDQV");
}

static void test_names(void)
{
	char buf[64], tiny[8];

	CHECK_STR(smmu_reg_name(0x20), "CR0");
	CHECK_STR(smmu_reg_name(0x88), "STRTAB_BASE_CFG");
	CHECK_STR(smmu_reg_name(0x100a8), "EVTQ_PROD");
	CHECK(smmu_reg_name(0x3) == NULL);

	smmu_bits_str(0xd, smmu_cr0_bits, SMMU_CR0_NR_BITS, buf, sizeof(buf));
	CHECK_STR(buf, "SMMUEN|EVTQEN|CMDQEN");
	smmu_bits_str(0x102, smmu_gerror_bits, SMMU_GERROR_NR_BITS, buf,
		      sizeof(buf));
	CHECK_STR(buf, "bit1|SFM_ERR");
	smmu_bits_str(1ULL << 40, smmu_cr0_bits, SMMU_CR0_NR_BITS, buf,
		      sizeof(buf));
	CHECK_STR(buf, "bit40");
	smmu_bits_str(0x1f, smmu_cr0_bits, SMMU_CR0_NR_BITS, tiny,
		      sizeof(tiny));
	CHECK(strlen(tiny) < sizeof(tiny));
	smmu_bits_str(0, smmu_cr0_bits, SMMU_CR0_NR_BITS, buf, sizeof(buf));
	CHECK_STR(buf, "");
	smmu_perm_str(SMMU_PERM_R | SMMU_PERM_PRIV_ONLY, buf, sizeof(buf));
	CHECK_STR(buf, "r-- priv");
	CHECK(strstr(smmu_fault_str(SMMU_FAULT_WALK_EABT), "not in the dump"));
}

static const struct test_case cases[] = {
	TEST(test_ste_abort_bypass, "STE: abort and bypass"),
	TEST(test_ste_s1_fields, "STE: stage-1 fields"),
	TEST(test_ste_linux_s1, "STE: the rig's stage-1 STE, words and bytes"),
	TEST(test_ste_s2_fields, "STE: the rig's stage-2 STE"),
	TEST(test_ste_illegal, "STE: ILLEGAL configurations are flagged"),
	TEST(test_ste_corrupt, "STE: corrupt and random words"),
	TEST(test_ste_print, "STE: printed words and fields"),
	TEST(test_strtab_regs, "stream table: STRTAB_BASE/_CFG decoding"),
	TEST(test_strtab_fields, "stream table: a driver's fields checked and encoded as STRTAB_BASE_CFG is decoded"),
	TEST(test_strtab_locate, "stream table: locating STEs, bad L1 descriptors, filtered and missing pages"),
	TEST(test_strtab_for_each, "stream table: iteration with filtered and missing L2 tables"),
	TEST(test_strtab_sw_l2, "stream table: L1 descriptors rewritten after the crash, the driver's L2 record"),
	TEST(test_strtab_dd_l1, "stream table: with a device dump, only the L1 descriptors it records a store to are replaced"),
	TEST(test_strtab_dd_l1_after_dump, "stream table: a Span where the driver had no L2 table, stored after the device dump was saved, is read as Span 0"),
	TEST(test_strtab_unaligned, "stream table: an unaligned STRTAB_BASE or L2Ptr is aligned as the SMMU aligns it"),
	TEST(test_cd_fields, "CD: the rig's CD and its walk setup"),
	TEST(test_cd_illegal, "CD: ILLEGAL configurations are flagged"),
	TEST(test_walk_s1_page, "page-table walk: stage 1, 4K page"),
	TEST(test_walk_s1_blocks, "page-table walk: 1G and 2M blocks, level-0 block"),
	TEST(test_walk_faults, "page-table walk: faults, filtered and missing tables, TBI"),
	TEST(test_walk_granules, "page-table walk: 64K, 16K and 39-bit 4K"),
	TEST(test_walk_s2, "page-table walk: stage 2 with concatenated tables"),
	TEST(test_xlate_s1, "translation: stage 1 through STE and CD"),
	TEST(test_xlate_substreams, "translation: 2-level CD tables and SubstreamIDs"),
	TEST(test_xlate_s2_bypass_abort, "translation: stage 2, bypass, abort"),
	TEST(test_xlate_nested, "translation: nested stage 1 + stage 2"),
	TEST(test_queue, "queues: PROD/CONS arithmetic"),
	TEST(test_events, "events: record decoding"),
	TEST(test_names, "registers and bit names"),
	TEST(test_reg_offsets, "registers: named offsets, page 1"),
	TEST(test_reg_fields, "registers: IDR0/1/3/5 fields through SMMUv3.3, feature and option names"),
};

int main(void)
{
	return test_run("crash: smmu: decode", cases, ARRAY_SIZE(cases));
}
