/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host tests of the crash "smmu" extension's decoders: checks on top of
 * kselftest.h and a fake physical memory to build SMMU tables in.
 */

#ifndef SMMU_TEST_H
#define SMMU_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "smmu-decode.h"

struct test_case {
	const char	*name;
	void		(*fn)(void);
};

#define TEST(fn, name)	{ name, fn }

void test_check(int ok, const char *file, int line, const char *expr);
void test_check_eq(uint64_t a, uint64_t b, const char *file, int line,
		   const char *ea, const char *eb);
void test_check_str(const char *a, const char *b, const char *file, int line,
		    const char *ea);
/* Run the cases as one kselftest KTAP document, then exit (ksft_finished) */
int test_run(const char *prefix, const struct test_case *cases, size_t n);

#define CHECK(c)	test_check(!!(c), __FILE__, __LINE__, #c)
#define CHECK_EQ(a, b)	test_check_eq((uint64_t)(a), (uint64_t)(b), \
				      __FILE__, __LINE__, #a, #b)
#define CHECK_STR(a, b)	test_check_str((a), (b), __FILE__, __LINE__, #a)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Fake physical memory: FM_SIZE bytes at FM_BASE, 4K pages that are
 * present, filtered (read as zero, as makedumpfile -d 31 drops them) or
 * missing (not in the dump).  Everything outside is missing.
 */
#define FM_BASE		0x40000000ULL
#define FM_SIZE		(96ULL << 20)
#define FM_PAGE		4096ULL

#define FM_PRESENT	0
#define FM_FILTERED	1
#define FM_MISSING	2

void fm_reset(void);
uint64_t fm_alloc(uint64_t size, uint64_t align);
void fm_w64(uint64_t pa, uint64_t v);
uint64_t fm_r64(uint64_t pa);
void fm_write(uint64_t pa, const void *buf, size_t len);
void fm_set(uint64_t pa, uint64_t len, int state);
unsigned long fm_reads(void);
extern const struct smmu_mem fm_mem;

/* VMSAv8-64 table builder, independent of the decoder's walker. */
struct pt_geom {
	unsigned int	pg_shift;	/* 12, 14, 16 */
	unsigned int	ia_bits;
	int		start;		/* start level */
};

#define PT_S1_RW	((1ULL << 10) | (3ULL << 8) | (1ULL << 6) | (1ULL << 2))
#define PT_S1_RO	(PT_S1_RW | (1ULL << 7))
#define PT_S2_RW	((1ULL << 10) | (3ULL << 8) | (3ULL << 6) | (0xfULL << 2))
#define PT_S2_RO	((1ULL << 10) | (3ULL << 8) | (1ULL << 6) | (0xfULL << 2))

uint64_t pt_new(const struct pt_geom *g);
/* Map va to pa with a leaf at leaf_level; returns the leaf's address. */
uint64_t pt_map(const struct pt_geom *g, uint64_t ttb, uint64_t va,
		uint64_t pa, int leaf_level, uint64_t attrs);

/* STE/CD builders, with field positions written out independently. */
void mk_ste_abort(uint64_t w[8]);
void mk_ste_bypass(uint64_t w[8]);
void mk_ste_s1(uint64_t w[8], uint64_t ctxptr, unsigned int fmt,
	       unsigned int cdmax, unsigned int s1dss);
void mk_ste_s2(uint64_t w[8], uint64_t s2ttb, unsigned int vmid,
	       unsigned int t0sz, unsigned int sl0, unsigned int tg,
	       unsigned int ps);
void mk_cd(uint64_t w[8], uint64_t ttb0, unsigned int t0sz, unsigned int tg,
	   unsigned int ips, unsigned int asid);
void put_words(uint64_t pa, const uint64_t *w, int n);
uint64_t mk_cdtab_2lvl(uint64_t ttb0, uint64_t ttb5);

#endif /* SMMU_TEST_H */
