// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the crash "smmu" extension: checks on top of kselftest.h
 * (the pristine kernel tree's, see run.sh), fake physical memory and table
 * builders shared by the test programs.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "kselftest.h"

static int case_failures;

void test_check(int ok, const char *file, int line, const char *expr)
{
	if (ok)
		return;
	case_failures++;
	ksft_print_msg("%s:%d: check failed: %s\n", file, line, expr);
}

void test_check_eq(uint64_t a, uint64_t b, const char *file, int line,
		   const char *ea, const char *eb)
{
	if (a == b)
		return;
	case_failures++;
	ksft_print_msg("%s:%d: %s == %#llx, expected %s == %#llx\n", file, line,
		       ea, (unsigned long long)a, eb, (unsigned long long)b);
}

void test_check_str(const char *a, const char *b, const char *file, int line,
		    const char *ea)
{
	if (a && b && !strcmp(a, b))
		return;
	case_failures++;
	ksft_print_msg("%s:%d: %s is \"%s\", expected \"%s\"\n", file, line,
		       ea, a ? a : "(null)", b ? b : "(null)");
}

int test_run(const char *prefix, const struct test_case *cases, size_t n)
{
	size_t i;

	ksft_print_header();
	ksft_set_plan(n);
	for (i = 0; i < n; i++) {
		case_failures = 0;
		fm_reset();
		cases[i].fn();
		ksft_test_result(!case_failures, "%s: %s\n", prefix,
				 cases[i].name);
	}
	ksft_finished();
}

/* ---- fake physical memory ------------------------------------------------ */

static unsigned char *fm_buf;
static unsigned char fm_state[FM_SIZE / FM_PAGE];
static uint64_t fm_next;
static unsigned long fm_nreads;

void fm_reset(void)
{
	if (!fm_buf) {
		fm_buf = calloc(1, FM_SIZE);
		if (!fm_buf) {
			perror("calloc");
			exit(2);
		}
	} else {
		memset(fm_buf, 0, FM_SIZE);
	}
	memset(fm_state, FM_PRESENT, sizeof(fm_state));
	fm_next = FM_BASE + FM_PAGE;
	fm_nreads = 0;
}

uint64_t fm_alloc(uint64_t size, uint64_t align)
{
	uint64_t pa = (fm_next + align - 1) & ~(align - 1);

	if (pa + size > FM_BASE + FM_SIZE) {
		fprintf(stderr, "fake memory exhausted\n");
		exit(2);
	}
	fm_next = pa + size;
	return pa;
}

static unsigned char *fm_ptr(uint64_t pa, size_t len)
{
	if (pa < FM_BASE || pa + len > FM_BASE + FM_SIZE) {
		fprintf(stderr, "fake memory access at %#llx out of range\n",
			(unsigned long long)pa);
		exit(2);
	}
	return fm_buf + (pa - FM_BASE);
}

void fm_w64(uint64_t pa, uint64_t v)
{
	unsigned char *p = fm_ptr(pa, 8);
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = v & 0xff;
}

uint64_t fm_r64(uint64_t pa)
{
	return smmu_le64(fm_ptr(pa, 8));
}

void fm_write(uint64_t pa, const void *buf, size_t len)
{
	memcpy(fm_ptr(pa, len), buf, len);
}

void fm_set(uint64_t pa, uint64_t len, int state)
{
	uint64_t p;

	for (p = pa & ~(FM_PAGE - 1); p < pa + len; p += FM_PAGE)
		fm_state[(p - FM_BASE) / FM_PAGE] = state;
}

unsigned long fm_reads(void)
{
	return fm_nreads;
}

static int fm_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	unsigned char *out = buf;
	int ret = SMMU_READ_OK;
	uint64_t p, n;

	(void)ctx;
	fm_nreads++;
	if (pa < FM_BASE || pa + len > FM_BASE + FM_SIZE || pa + len < pa)
		return SMMU_READ_FAIL;
	for (p = pa; p < pa + len; p += n) {
		n = FM_PAGE - (p & (FM_PAGE - 1));
		if (n > pa + len - p)
			n = pa + len - p;
		switch (fm_state[(p - FM_BASE) / FM_PAGE]) {
		case FM_MISSING:
			return SMMU_READ_FAIL;
		case FM_FILTERED:
			memset(out + (p - pa), 0, n);
			ret = SMMU_READ_ZERO;
			break;
		default:
			memcpy(out + (p - pa), fm_buf + (p - FM_BASE), n);
		}
	}
	return ret;
}

const struct smmu_mem fm_mem = { fm_read, NULL };

/* ---- table builders --------------------------------------------------------- */

static unsigned int pt_shift(const struct pt_geom *g, int level)
{
	return g->pg_shift + (3 - level) * (g->pg_shift - 3);
}

static unsigned int pt_bits(const struct pt_geom *g, int level)
{
	if (level == g->start)
		return g->ia_bits - pt_shift(g, level);
	return g->pg_shift - 3;
}

uint64_t pt_new(const struct pt_geom *g)
{
	uint64_t size = 8ULL << pt_bits(g, g->start);

	return fm_alloc(size, size < 64 ? 64 : size);
}

uint64_t pt_map(const struct pt_geom *g, uint64_t ttb, uint64_t va,
		uint64_t pa, int leaf_level, uint64_t attrs)
{
	uint64_t table = ttb, desc_addr, desc, gran = 1ULL << g->pg_shift;
	int level;

	for (level = g->start; ; level++) {
		unsigned int shift = pt_shift(g, level);
		uint64_t idx = (va >> shift) & ((1ULL << pt_bits(g, level)) - 1);

		desc_addr = table + 8 * idx;
		if (level == leaf_level) {
			desc = (pa & ~((1ULL << shift) - 1)) | attrs |
			       (level == 3 ? 3 : 1);
			fm_w64(desc_addr, desc);
			return desc_addr;
		}
		desc = fm_r64(desc_addr);
		if (!(desc & 1)) {
			uint64_t next = fm_alloc(gran, gran);

			fm_w64(desc_addr, next | 3);
			desc = next | 3;
		}
		table = desc & ~(gran - 1) & ((1ULL << 48) - 1);
	}
}

void mk_ste_abort(uint64_t w[8])
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = 1;			/* V, Config 0b000 */
}

void mk_ste_bypass(uint64_t w[8])
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = 1 | (4ULL << 1);
	w[1] = 1ULL << 44;		/* SHCFG incoming */
}

void mk_ste_s1(uint64_t w[8], uint64_t ctxptr, unsigned int fmt,
	       unsigned int cdmax, unsigned int s1dss)
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = 1 | (5ULL << 1) | ((uint64_t)fmt << 4) | ctxptr |
	       ((uint64_t)cdmax << 59);
	/* S1DSS, S1CIR/S1COR wbra, S1CSH inner shareable, STRW NSEL1 */
	w[1] = s1dss | (1ULL << 2) | (1ULL << 4) | (3ULL << 6);
}

void mk_ste_s2(uint64_t w[8], uint64_t s2ttb, unsigned int vmid,
	       unsigned int t0sz, unsigned int sl0, unsigned int tg,
	       unsigned int ps)
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = 1 | (6ULL << 1);
	w[2] = vmid | ((uint64_t)t0sz << 32) | ((uint64_t)sl0 << 38) |
	       (1ULL << 40) | (1ULL << 42) | (3ULL << 44) |
	       ((uint64_t)tg << 46) | ((uint64_t)ps << 48) |
	       (1ULL << 51) | (1ULL << 54) | (1ULL << 58);
	w[3] = s2ttb;
}

void mk_cd(uint64_t w[8], uint64_t ttb0, unsigned int t0sz, unsigned int tg,
	   unsigned int ips, unsigned int asid)
{
	memset(w, 0, 8 * sizeof(*w));
	w[0] = t0sz | ((uint64_t)tg << 6) | (1ULL << 8) | (1ULL << 10) |
	       (3ULL << 12) | (1ULL << 30) | (1ULL << 31) |
	       ((uint64_t)ips << 32) | (1ULL << 41) | (1ULL << 45) |
	       (1ULL << 46) | (1ULL << 47) | ((uint64_t)asid << 48);
	w[1] = ttb0;
	w[3] = 0xfffffffff404ff44ULL;	/* MAIR as Linux sets it */
}

void put_words(uint64_t pa, const uint64_t *w, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fm_w64(pa + 8 * i, w[i]);
}

/*
 * A 2-level CD table with 64K leaves (S1CDMax 16): CD 0 (ASID 1) on @ttb0
 * and SSID 1029 (ASID 5) on @ttb5, all other L1 descriptors invalid.
 * Returns the L1 table's address.
 */
uint64_t mk_cdtab_2lvl(uint64_t ttb0, uint64_t ttb5)
{
	uint64_t cdw[8], l1, l2;

	l1 = fm_alloc(64 * 8, 64);
	l2 = fm_alloc(1024 * 64, 4096);
	fm_w64(l1 + 8 * 1, l2 | 1);		/* SSIDs 1024..2047 */
	mk_cd(cdw, ttb5, 16, 0, 4, 5);
	put_words(l2 + 5 * 64, cdw, 8);		/* SSID 1029 */
	l2 = fm_alloc(1024 * 64, 4096);
	fm_w64(l1, l2 | 1);			/* SSIDs 0..1023 */
	mk_cd(cdw, ttb0, 16, 0, 4, 1);
	put_words(l2, cdw, 8);			/* CD 0 */
	return l1;
}
