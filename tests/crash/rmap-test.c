// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the "smmu -p" reverse lookup in crash-extension/
 * smmu-decode.c: from a physical address back to the StreamIDs,
 * SubstreamIDs and IOVAs whose translations reach it, through stage 1,
 * stage 2, nested and bypass STEs, on tables built in fake memory.  Every
 * hit is checked against the forward translation (smmu_translate()).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static const struct smmu_caps caps = {
	.oas = 44, .ias = 44, .sid_bits = 16, .ssid_bits = 20,
};

static const struct pt_geom g4k48 = { 12, 48, 0 };

#define MAX_HITS	64

struct hits {
	struct smmu_rmap_hit h[MAX_HITS];
	int		n;
	int		stop_after;	/* 0: never stop */
};

static int collect(void *arg, const struct smmu_rmap_hit *hit)
{
	struct hits *hs = arg;

	if (hs->n < MAX_HITS)
		hs->h[hs->n] = *hit;
	hs->n++;
	return hs->stop_after && hs->n >= hs->stop_after;
}

static int rmap(const uint64_t w[8], uint32_t sid, uint64_t pa,
		struct hits *hs, struct smmu_rmap_stats *st)
{
	struct smmu_ste ste;

	memset(hs, 0, sizeof(*hs));
	memset(st, 0, sizeof(*st));
	smmu_ste_decode(w, &caps, &ste);
	return smmu_rmap_ste(&ste, sid, pa, &caps, &fm_mem, collect, hs, st);
}

/* The forward translation of a hit lands on the address looked up. */
static int round_trip(const uint64_t w[8], const struct smmu_rmap_hit *h)
{
	struct smmu_ste ste;
	struct smmu_xlate x;

	smmu_ste_decode(w, &caps, &ste);
	if (smmu_translate(&ste, h->ssid, h->iova, &caps, &fm_mem, &x))
		return 0;
	return x.pa == h->pa;
}

static uint64_t s1_ste(uint64_t w[8], uint64_t ttb, unsigned int asid)
{
	uint64_t cdw[8], cdp = fm_alloc(64, 64);

	mk_cd(cdw, ttb, 16, 0, 4, asid);
	put_words(cdp, cdw, 8);
	mk_ste_s1(w, cdp, 0, 0, SMMU_S1DSS_SSID0);
	return cdp;
}

static void test_rmap_s1_page(void)
{
	uint64_t w[8], ttb = pt_new(&g4k48);
	struct smmu_rmap_stats st;
	struct hits hs;

	pt_map(&g4k48, ttb, 0xfffff000, 0x42adb000, 3, PT_S1_RW);
	pt_map(&g4k48, ttb, 0xffffe000, 0x42ada000, 3, PT_S1_RO);
	s1_ste(w, ttb, 3);

	CHECK_EQ(rmap(w, 0x300, 0x42adb123, &hs, &st), 0);
	CHECK_EQ(hs.n, 1);
	CHECK_EQ(hs.h[0].sid, 0x300);
	CHECK_EQ(hs.h[0].ssid, SMMU_NO_SSID);
	CHECK_EQ(hs.h[0].iova, 0xfffff123);
	CHECK_EQ(hs.h[0].ipa, SMMU_RMAP_NO_IPA);
	CHECK_EQ(hs.h[0].pa, 0x42adb123);
	CHECK_EQ(hs.h[0].size, 4096);
	CHECK_EQ(hs.h[0].asid, 3);
	CHECK_EQ(hs.h[0].cfg, SMMU_STE_CFG_S1);
	CHECK_EQ(hs.h[0].perm & (SMMU_PERM_R | SMMU_PERM_W),
		 SMMU_PERM_R | SMMU_PERM_W);
	CHECK_EQ(hs.h[0].flags, 0);
	CHECK(round_trip(w, &hs.h[0]));
	CHECK_EQ(st.cds, 1);
	CHECK_EQ(st.tables, 4);
	CHECK_EQ(st.unreadable, 0);

	/* the read-only page: permissions as the walk gives them */
	rmap(w, 0x300, 0x42ada008, &hs, &st);
	CHECK_EQ(hs.n, 1);
	CHECK_EQ(hs.h[0].iova, 0xffffe008);
	CHECK_EQ(hs.h[0].perm & (SMMU_PERM_R | SMMU_PERM_W), SMMU_PERM_R);

	/* the next page is not mapped */
	rmap(w, 0x300, 0x42adc000, &hs, &st);
	CHECK_EQ(hs.n, 0);
}

/* One page reached through a 4K page, a 2M block and a 1G block. */
static void test_rmap_aliases(void)
{
	uint64_t w[8], ttb = pt_new(&g4k48), pa = 0x42345678;
	struct smmu_rmap_stats st;
	struct hits hs;
	int i, seen = 0;

	pt_map(&g4k48, ttb, 0x10000, pa & ~0xfffULL, 3, PT_S1_RW);
	pt_map(&g4k48, ttb, 0x40000000, pa & ~0x1fffffULL, 2, PT_S1_RO);
	pt_map(&g4k48, ttb, 0x8000000000ULL, 0x40000000, 1, PT_S1_RW);
	s1_ste(w, ttb, 1);

	rmap(w, 5, pa, &hs, &st);
	CHECK_EQ(hs.n, 3);
	for (i = 0; i < hs.n && i < MAX_HITS; i++) {
		CHECK(round_trip(w, &hs.h[i]));
		if (hs.h[i].iova == 0x10678 && hs.h[i].size == 4096)
			seen |= 1;
		if (hs.h[i].iova == 0x40145678 && hs.h[i].size == 2ULL << 20 &&
		    !(hs.h[i].perm & SMMU_PERM_W))
			seen |= 2;
		if (hs.h[i].iova == 0x8002345678ULL &&
		    hs.h[i].size == 1ULL << 30)
			seen |= 4;
	}
	CHECK_EQ(seen, 7);

	/* the callback stops the walk */
	memset(&hs, 0, sizeof(hs));
	hs.stop_after = 1;
	memset(&st, 0, sizeof(st));
	{
		struct smmu_ste ste;

		smmu_ste_decode(w, &caps, &ste);
		CHECK_EQ(smmu_rmap_ste(&ste, 5, pa, &caps, &fm_mem, collect,
				       &hs, &st), 1);
	}
	CHECK_EQ(hs.n, 1);
}

/* A 2-level CD table: hits carry the SubstreamID and the CD's ASID. */
static void test_rmap_substreams(void)
{
	uint64_t w[8], l1, ttb0, ttb5;
	struct smmu_rmap_stats st;
	struct hits hs;
	int i, seen = 0;

	ttb0 = pt_new(&g4k48);
	ttb5 = pt_new(&g4k48);
	pt_map(&g4k48, ttb0, 0x1000, 0x43000000, 3, PT_S1_RW);
	pt_map(&g4k48, ttb5, 0x7000, 0x43000000, 3, PT_S1_RW);
	l1 = mk_cdtab_2lvl(ttb0, ttb5);	/* CD 0: no SubstreamID */
	mk_ste_s1(w, l1, SMMU_S1FMT_64K_L2, 16, SMMU_S1DSS_SSID0);

	rmap(w, 0x10, 0x43000abc, &hs, &st);
	CHECK_EQ(hs.n, 2);
	for (i = 0; i < hs.n && i < MAX_HITS; i++) {
		CHECK(round_trip(w, &hs.h[i]));
		if (hs.h[i].ssid == SMMU_NO_SSID && hs.h[i].iova == 0x1abc &&
		    hs.h[i].asid == 1)
			seen |= 1;
		if (hs.h[i].ssid == 1029 && hs.h[i].iova == 0x7abc &&
		    hs.h[i].asid == 5)
			seen |= 2;
	}
	CHECK_EQ(seen, 3);
	/* 62 of the 64 L1 descriptors are invalid: their CDs are skipped */
	CHECK_EQ(st.cds, 2);

	/* S1DSS bypass: transactions without a SubstreamID reach pa as is */
	w[1] = (w[1] & ~3ULL) | SMMU_S1DSS_BYPASS;
	rmap(w, 0x10, 0x43000abc, &hs, &st);
	seen = 0;
	for (i = 0; i < hs.n && i < MAX_HITS; i++)
		if (hs.h[i].flags & SMMU_RMAP_S1DSS_BYPASS) {
			CHECK_EQ(hs.h[i].iova, 0x43000abc);
			CHECK_EQ(hs.h[i].ssid, SMMU_NO_SSID);
			CHECK(round_trip(w, &hs.h[i]));
			seen++;
		}
	CHECK_EQ(seen, 1);
	/* ... and CD 0 is SubstreamID 0 */
	CHECK_EQ(hs.n, 3);
}

static void test_rmap_s2_bypass_abort(void)
{
	uint64_t w[8], ttb = pt_new(&g4k48);
	struct smmu_rmap_stats st;
	struct hits hs;

	pt_map(&g4k48, ttb, 0xfffed000, 0x40cb0000, 3, PT_S2_RW);
	mk_ste_s2(w, ttb, 3, 16, 2, 0, 4);
	rmap(w, 0x200, 0x40cb0402, &hs, &st);
	CHECK_EQ(hs.n, 1);
	CHECK_EQ(hs.h[0].iova, 0xfffed402);
	CHECK_EQ(hs.h[0].ipa, SMMU_RMAP_NO_IPA);
	CHECK_EQ(hs.h[0].vmid, 3);
	CHECK_EQ(hs.h[0].ssid, SMMU_NO_SSID);
	CHECK_EQ(hs.h[0].cfg, SMMU_STE_CFG_S2);
	CHECK(round_trip(w, &hs.h[0]));

	mk_ste_bypass(w);
	rmap(w, 0x201, 0x40cb0402, &hs, &st);
	CHECK_EQ(hs.n, 1);
	CHECK_EQ(hs.h[0].iova, 0x40cb0402);
	CHECK_EQ(hs.h[0].flags, SMMU_RMAP_BYPASS);
	CHECK_EQ(hs.h[0].size, 0);
	CHECK(round_trip(w, &hs.h[0]));

	mk_ste_abort(w);
	rmap(w, 0x202, 0x40cb0402, &hs, &st);
	CHECK_EQ(hs.n, 0);
	w[0] = 0;			/* not valid */
	rmap(w, 0x203, 0x40cb0402, &hs, &st);
	CHECK_EQ(hs.n, 0);
}

/*
 * Nested: the CD, the stage-1 tables and the stage-1 output are IPAs that
 * stage 2 maps at an offset; the page is also reached by a second IPA.
 */
static void test_rmap_nested(void)
{
	const uint64_t off = 0x10000000;
	uint64_t w[8], s2w[8], cdw[8], s2ttb, win, l0, l1, l2, l3, cdp, ipa;
	struct smmu_rmap_stats st;
	struct hits hs;
	uint64_t p;
	int i, seen = 0;

	s2ttb = pt_new(&g4k48);
	win = FM_BASE + 0x01000000;
	for (p = win; p < win + 0x10000; p += 4096)
		pt_map(&g4k48, s2ttb, p - off, p, 3, PT_S2_RW);
	l0 = win;
	l1 = win + 0x1000;
	l2 = win + 0x2000;
	l3 = win + 0x3000;
	cdp = win + 0x4000;
	ipa = 0x4ff00000 - off;
	fm_w64(l0, (l1 - off) | 3);
	fm_w64(l1 + 8 * 3, (l2 - off) | 3);
	fm_w64(l2 + 8 * 0x1ff, (l3 - off) | 3);
	fm_w64(l3 + 8 * 0x1ff, ipa | PT_S1_RW | 3);
	/* the target page: IPA ipa, and also IPA 0x7000000 */
	pt_map(&g4k48, s2ttb, ipa, 0x4ff00000, 3, PT_S2_RW);
	pt_map(&g4k48, s2ttb, 0x7000000, 0x4ff00000, 3, PT_S2_RO);
	fm_w64(l3 + 8 * 0x1fe, 0x7000000 | PT_S1_RW | 3);
	mk_cd(cdw, l0 - off, 16, 0, 4, 9);
	put_words(cdp, cdw, 8);
	mk_ste_s1(w, cdp - off, 0, 0, SMMU_S1DSS_SSID0);
	mk_ste_s2(s2w, s2ttb, 4, 16, 2, 0, 4);
	w[0] |= 7ULL << 1;
	w[2] = s2w[2];
	w[3] = s2w[3];

	rmap(w, 0x100, 0x4ff00123, &hs, &st);
	CHECK_EQ(hs.n, 2);
	for (i = 0; i < hs.n && i < MAX_HITS; i++) {
		CHECK_EQ(hs.h[i].cfg, SMMU_STE_CFG_NESTED);
		CHECK_EQ(hs.h[i].vmid, 4);
		CHECK_EQ(hs.h[i].asid, 9);
		CHECK(round_trip(w, &hs.h[i]));
		if (hs.h[i].iova == 0xfffff123 && hs.h[i].ipa == ipa + 0x123 &&
		    (hs.h[i].perm & SMMU_PERM_W))
			seen |= 1;
		if (hs.h[i].iova == 0xffffe123 &&
		    hs.h[i].ipa == 0x7000123 && !(hs.h[i].perm & SMMU_PERM_W))
			seen |= 2;
	}
	CHECK_EQ(seen, 3);

	/* stage 2 loses the stage-1 level-3 table: counted, not followed */
	fm_w64(pt_map(&g4k48, s2ttb, l3 - off, 0, 3, 0), 0);
	rmap(w, 0x100, 0x4ff00123, &hs, &st);
	CHECK_EQ(hs.n, 0);
	CHECK_EQ(st.unreadable, 1);
}

/* Corrupt tables: loops, tables outside the dump, filtered, AF == 0. */
static void test_rmap_bounds(void)
{
	uint64_t w[8], ttb = pt_new(&g4k48), leaf, l3;
	struct smmu_rmap_stats st;
	struct hits hs;
	unsigned int i;

	leaf = pt_map(&g4k48, ttb, 0x10000, 0x50000000, 3, PT_S1_RW);
	l3 = leaf & ~0xfffULL;
	s1_ste(w, ttb, 1);

	/* AF clear: reported, flagged as faulting */
	fm_w64(leaf, 0x50000000 | (PT_S1_RW & ~(1ULL << 10)) | 3);
	rmap(w, 1, 0x50000000, &hs, &st);
	CHECK_EQ(hs.n, 1);
	CHECK_EQ(hs.h[0].flags, SMMU_RMAP_AF_FAULT);
	fm_w64(leaf, 0x50000000 | PT_S1_RW | 3);

	/* every level-0..2 slot points back at the root: bounded */
	for (i = 1; i < 512; i++)
		fm_w64(ttb + 8 * i, ttb | 3);
	rmap(w, 1, 0x50000000, &hs, &st);
	CHECK(st.tables <= SMMU_RMAP_MAX_TABLES);
	CHECK(st.truncated > 0);
	CHECK(hs.n >= 1);
	for (i = 0; i < (unsigned int)hs.n && i < MAX_HITS; i++)
		CHECK(round_trip(w, &hs.h[i]));
	for (i = 1; i < 512; i++)
		fm_w64(ttb + 8 * i, 0);

	/* a table beyond the OAS is not followed, one outside the dump is counted */
	fm_w64(ttb + 8 * 7, (1ULL << 46) | 3);
	fm_w64(ttb + 8 * 8, 0x10000000000ULL | 3);
	rmap(w, 1, 0x50000000, &hs, &st);
	CHECK_EQ(hs.n, 1);
	CHECK_EQ(st.unreadable, 1);

	/* the leaf table filtered out: nothing, and no error */
	fm_set(l3, 4096, FM_FILTERED);
	rmap(w, 1, 0x50000000, &hs, &st);
	CHECK_EQ(hs.n, 0);
	CHECK_EQ(st.unreadable, 1);

	/* the CD not in the dump */
	fm_set(l3, 4096, FM_PRESENT);
	fm_set(w[0] & SMMU_MASK(51, 6), 64, FM_MISSING);
	rmap(w, 1, 0x50000000, &hs, &st);
	CHECK_EQ(hs.n, 0);
	CHECK_EQ(st.cds, 0);
}

/*
 * A CD table of 2^20 invalid CDs (S1CDMax 20, all zero): the walk reads
 * at most SMMU_RMAP_MAX_CDS of them, per STE, although none is valid.
 */
static void test_rmap_invalid_cds_bounded(void)
{
	uint64_t w[8], cdtab = fm_alloc(64ULL << 20, 4096);	/* zeroed */
	struct smmu_rmap_stats st;
	struct hits hs;
	unsigned long reads;

	mk_ste_s1(w, cdtab, 0, 20, SMMU_S1DSS_SSID0);
	reads = fm_reads();
	rmap(w, 1, 0x50000000, &hs, &st);
	reads = fm_reads() - reads;
	CHECK_EQ(hs.n, 0);
	CHECK_EQ(st.cds, 0);
	CHECK_EQ(st.truncated, 1);
	CHECK(reads <= SMMU_RMAP_MAX_CDS + 2);
}

/*
 * 64 CDs whose TTB0 all lead to one table that fans out into itself at
 * every level: each address space stays within SMMU_RMAP_MAX_TABLES, but
 * together they would read 2^20 tables. The STE's walks share
 * SMMU_RMAP_MAX_STE_TABLES.
 */
static void test_rmap_shared_tables_bounded(void)
{
	uint64_t w[8], cdw[8], cdtab = fm_alloc(64 * 64, 4096);
	uint64_t t[3], ttb = pt_new(&g4k48);
	struct smmu_rmap_stats st;
	struct hits hs;
	unsigned int i, j;

	for (j = 0; j < 3; j++)
		t[j] = fm_alloc(4096, 4096);
	for (i = 0; i < 512; i++) {
		fm_w64(ttb + 8 * i, t[0] | 3);
		for (j = 0; j < 2; j++)
			fm_w64(t[j] + 8 * i, t[j + 1] | 3);
	}
	for (i = 0; i < 64; i++) {
		mk_cd(cdw, ttb, 16, 0, 4, i + 1);
		put_words(cdtab + 64 * i, cdw, 8);
	}
	mk_ste_s1(w, cdtab, 0, 6, SMMU_S1DSS_SSID0);
	rmap(w, 1, 0x50000000, &hs, &st);
	CHECK_EQ(st.cds, 64);
	CHECK(st.tables <= SMMU_RMAP_MAX_STE_TABLES);
	CHECK(st.truncated > 0);
	CHECK_EQ(hs.n, 0);
}

/* Random descriptors everywhere: the walk ends, within its bounds. */
static void test_rmap_random(void)
{
	uint64_t w[8], ttb, t;
	struct smmu_rmap_stats st;
	struct hits hs;
	int round, i;

	srand(7);
	for (round = 0; round < 4; round++) {
		fm_reset();
		ttb = pt_new(&g4k48);
		s1_ste(w, ttb, 1);
		/* a few pages of random words, some pointing at each other */
		for (t = ttb; t < ttb + 8 * 4096; t += 8) {
			uint64_t d = ((uint64_t)rand() << 33) ^
				     ((uint64_t)rand() << 2) ^ (uint64_t)rand();

			if (rand() % 4 == 0)
				d = (ttb + (uint64_t)(rand() % 8) * 4096) | 3;
			fm_w64(t, d);
		}
		rmap(w, 1, ttb + 0x123, &hs, &st);
		CHECK(st.tables <= SMMU_RMAP_MAX_TABLES);
		for (i = 0; i < hs.n && i < 8; i++)
			CHECK(round_trip(w, &hs.h[i]));
	}
}

/* Many mappings of random pages: each one is found, with its IOVA. */
static void test_rmap_ground_truth(void)
{
	uint64_t w[8], ttb = pt_new(&g4k48), iova[32], pa[32];
	struct smmu_rmap_stats st;
	struct hits hs;
	int i, j, found;

	srand(3);
	for (i = 0; i < 32; i++) {
		iova[i] = ((uint64_t)(rand() & 0xfffff) << 12) | (1ULL << 40);
		pa[i] = FM_BASE + 0x04000000 + (uint64_t)i * 0x3000;
		pt_map(&g4k48, ttb, iova[i], pa[i], 3, PT_S1_RW);
	}
	s1_ste(w, ttb, 1);
	for (i = 0; i < 32; i++) {
		rmap(w, 0x300, pa[i] + 0x26, &hs, &st);
		found = 0;
		for (j = 0; j < hs.n && j < MAX_HITS; j++)
			if (hs.h[j].iova == iova[i] + 0x26)
				found++;
		CHECK_EQ(found, 1);
	}
}

/* The whole stream table: every SID that reaches the page. */
static void test_rmap_strtab(void)
{
	uint64_t l1 = fm_alloc(256 * 8, 256 * 8), l2, w[8], ttb;
	uint64_t pa = 0x42b13600;
	struct smmu_strtab t;
	struct smmu_rmap_stats st;
	struct hits hs;
	int i, seen = 0;

	memset(&t, 0, sizeof(t));
	t.fmt = SMMU_STRTAB_2LVL;
	t.base = l1;
	t.log2size = 16;
	t.split = 8;
	l2 = fm_alloc(256 * 64, 256 * 64);	/* aligned to its size */
	fm_w64(l1 + 8 * 3, l2 | 9);

	ttb = pt_new(&g4k48);
	pt_map(&g4k48, ttb, 0xffe37000, pa & ~0xfffULL, 3, PT_S1_RW);
	s1_ste(w, ttb, 3);
	put_words(l2, w, 8);			/* 0x300: the NIC */
	s1_ste(w, ttb, 3);
	put_words(l2 + 1 * 64, w, 8);		/* 0x301: same domain */
	mk_ste_bypass(w);
	put_words(l2 + 2 * 64, w, 8);		/* 0x302: bypass */
	mk_ste_abort(w);
	put_words(l2 + 3 * 64, w, 8);		/* 0x303: abort */
	s1_ste(w, pt_new(&g4k48), 4);
	put_words(l2 + 4 * 64, w, 8);		/* 0x304: maps nothing */

	memset(&hs, 0, sizeof(hs));
	memset(&st, 0, sizeof(st));
	CHECK_EQ(smmu_rmap_strtab(&t, pa, &caps, &fm_mem, collect, &hs, &st),
		 5);
	CHECK_EQ(hs.n, 3);
	for (i = 0; i < hs.n && i < MAX_HITS; i++) {
		if (hs.h[i].sid == 0x300 && hs.h[i].iova == 0xffe37600)
			seen |= 1;
		if (hs.h[i].sid == 0x301 && hs.h[i].iova == 0xffe37600)
			seen |= 2;
		if (hs.h[i].sid == 0x302 && hs.h[i].iova == pa &&
		    hs.h[i].flags == SMMU_RMAP_BYPASS)
			seen |= 4;
	}
	CHECK_EQ(seen, 7);
	CHECK_EQ(st.stes, 5);
}

static const struct test_case cases[] = {
	TEST(test_rmap_s1_page, "stage-1 page, permissions, unmapped page"),
	TEST(test_rmap_aliases, "one page through a page, a 2M and a 1G block"),
	TEST(test_rmap_substreams, "2-level CD table: SubstreamIDs, S1DSS bypass"),
	TEST(test_rmap_s2_bypass_abort, "stage 2, bypass, abort, invalid STE"),
	TEST(test_rmap_nested, "nested: IPAs, two aliases, stage-1 table lost"),
	TEST(test_rmap_bounds, "loops, tables outside the dump, filtered, AF clear"),
	TEST(test_rmap_invalid_cds_bounded, "2^20 invalid CDs: at most SMMU_RMAP_MAX_CDS fetched per STE"),
	TEST(test_rmap_shared_tables_bounded, "64 CDs sharing a fan-out table: at most SMMU_RMAP_MAX_STE_TABLES per STE"),
	TEST(test_rmap_random, "random tables: bounded, hits translate back"),
	TEST(test_rmap_ground_truth, "32 known buffers map back to their IOVA"),
	TEST(test_rmap_strtab, "stream table: every SID that reaches the page"),
};

int main(void)
{
	return test_run("crash: smmu: reverse lookup", cases,
			ARRAY_SIZE(cases));
}
