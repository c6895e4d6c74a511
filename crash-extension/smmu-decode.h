/* smmu-decode.h - SMMUv3 data structure decoders for the crash "smmu" command
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

/*
 * Everything in here is pure: it knows the SMMUv3 architecture (stream
 * table, STE, CD, VMSAv8-64 translation tables, event records) and the
 * device dump layout of smmu-devdump.h, and reads memory only through a
 * caller-supplied callback.  It does not depend on crash, so the same
 * source is linked into smmu.so and into the host unit tests.
 *
 * Field positions follow the Arm SMMUv3 architecture specification
 * (IHI 0070), section 5 (STE: 5.2, CD: 5.4, L1 descriptors: 5.1/5.3) and
 * section 7.3 (event records), and the Arm ARM's VMSAv8-64 descriptor
 * formats (D8.3).
 */

#ifndef SMMU_DECODE_H
#define SMMU_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SMMU_BITS(v, hi, lo) \
	(((uint64_t)(v) >> (lo)) & (~0ULL >> (63 - (hi) + (lo))))
#define SMMU_MASK(hi, lo) \
	((~0ULL >> (63 - (hi))) & ~((1ULL << (lo)) - 1))

/* ---- registers ---------------------------------------------------------- */

/*
 * Register offsets from MMIO page 0 and the fields this extension decodes,
 * named as the kernel's drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h names
 * them (ARM_SMMU_<REG> there, SMMU_<REG> here), after IHI 0070 section 6.3.
 * A register of page 1 is at SMMU_PAGE1 plus its offset, as the device dump
 * records it (ARM_SMMU_VMCOREDD_PAGE1).
 */
#define SMMU_IDR0		0x0000
#define SMMU_IDR1		0x0004
#define SMMU_IDR2		0x0008
#define SMMU_IDR3		0x000c
#define SMMU_IDR4		0x0010
#define SMMU_IDR5		0x0014
#define SMMU_IIDR		0x0018
#define SMMU_AIDR		0x001c
#define SMMU_CR0		0x0020
#define SMMU_CR0ACK		0x0024
#define SMMU_CR1		0x0028
#define SMMU_CR2		0x002c
#define SMMU_STATUSR		0x0040
#define SMMU_GBPA		0x0044
#define SMMU_AGBPA		0x0048
#define SMMU_IRQ_CTRL		0x0050
#define SMMU_IRQ_CTRLACK	0x0054
#define SMMU_GERROR		0x0060
#define SMMU_GERRORN		0x0064
#define SMMU_GERROR_IRQ_CFG0	0x0068
#define SMMU_GERROR_IRQ_CFG1	0x0070
#define SMMU_GERROR_IRQ_CFG2	0x0074
#define SMMU_STRTAB_BASE	0x0080
#define SMMU_STRTAB_BASE_CFG	0x0088
#define SMMU_CMDQ_BASE		0x0090
#define SMMU_CMDQ_PROD		0x0098
#define SMMU_CMDQ_CONS		0x009c
#define SMMU_EVTQ_BASE		0x00a0
#define SMMU_EVTQ_PROD		0x00a8
#define SMMU_EVTQ_CONS		0x00ac
#define SMMU_EVTQ_IRQ_CFG0	0x00b0
#define SMMU_EVTQ_IRQ_CFG1	0x00b8
#define SMMU_EVTQ_IRQ_CFG2	0x00bc
#define SMMU_PRIQ_BASE		0x00c0
#define SMMU_PRIQ_PROD		0x00c8
#define SMMU_PRIQ_CONS		0x00cc
#define SMMU_PRIQ_IRQ_CFG0	0x00d0
#define SMMU_PRIQ_IRQ_CFG1	0x00d8
#define SMMU_PRIQ_IRQ_CFG2	0x00dc
#define SMMU_PAGE1		0x10000
#define SMMU_P1(reg)		(SMMU_PAGE1 + (reg))

#define SMMU_GBPA_ABORT		(1U << 20)

/* STRTAB_BASE and STRTAB_BASE_CFG: see smmu_strtab_from_regs() */
#define SMMU_STRTAB_BASE_ADDR_MASK	SMMU_MASK(51, 6)
#define SMMU_STRTAB_BASE_CFG_FMT(r)	((unsigned int)SMMU_BITS(r, 17, 16))
#define SMMU_STRTAB_BASE_CFG_SPLIT(r)	((unsigned int)SMMU_BITS(r, 10, 6))
#define SMMU_STRTAB_BASE_CFG_LOG2SIZE(r) ((unsigned int)SMMU_BITS(r, 5, 0))
#define SMMU_STRTAB_BASE_CFG_FMT_LINEAR	0
#define SMMU_STRTAB_BASE_CFG_FMT_2LVL	1

/* CMDQ_BASE, EVTQ_BASE, PRIQ_BASE: ADDR[51:5], LOG2SIZE[4:0] */
#define SMMU_Q_BASE_ADDR_MASK		SMMU_MASK(51, 5)
#define SMMU_Q_BASE_LOG2SIZE(r)		((unsigned int)SMMU_BITS(r, 4, 0))
/*
 * EVTQ_PROD, PRIQ_PROD: OVFLG (EVTQ_CONS, PRIQ_CONS: OVACKFLG); the wrap
 * bit is the one just above the index
 */
#define SMMU_Q_OVFLG			(1U << 31)

#define SMMU_CR0_EVTQEN			(1U << 2)
#define SMMU_IDR1_EVTQS(r)		((unsigned int)SMMU_BITS(r, 20, 16))
/* IHI 0070: IDR1.EVTQS is 19 or less */
#define SMMU_EVTQS_MAX			19

/* ---- memory access ---------------------------------------------------- */

/*
 * Read len bytes at physical address pa into buf.  Return SMMU_READ_OK,
 * SMMU_READ_ZERO when the memory is not in the dump because makedumpfile
 * filtered it (an all-zero or free page: buf is zero-filled and the data
 * is valid), or SMMU_READ_FAIL when it cannot be read at all.
 */
#define SMMU_READ_OK	0
#define SMMU_READ_ZERO	1
#define SMMU_READ_FAIL	(-1)

struct smmu_mem {
	int (*read)(void *ctx, uint64_t pa, void *buf, size_t len);
	void *ctx;
};

uint64_t smmu_le64(const void *p);
uint32_t smmu_le32(const void *p);
uint16_t smmu_le16(const void *p);

/* A store a crash kernel made to an L1 descriptor after the crash */
struct smmu_l1_store {
	uint64_t	phys;
	uint64_t	old;		/* its value before that store */
	uint32_t	rec;		/* the device dump's record */
};

/*
 * What we know of the SMMU itself; zero fields mean "unknown", but for
 * ssid_bits, where 0 is an SMMU without substreams and 32 means unknown.
 */
struct smmu_caps {
	unsigned int oas;		/* output address size, bits */
	unsigned int ias;		/* input (IPA) size, bits */
	unsigned int sid_bits;
	unsigned int ssid_bits;
};

/* ---- stream table ------------------------------------------------------ */

#define SMMU_STRTAB_LINEAR	0
#define SMMU_STRTAB_2LVL	1

#define SMMU_STE_DWORDS		8
#define SMMU_STE_SIZE		64
#define SMMU_L1STD_SIZE		8

struct smmu_strtab {
	int		fmt;		/* SMMU_STRTAB_LINEAR or _2LVL */
	/*
	 * base: the linear table or L1 table, physical, as the SMMU aligns
	 * STRTAB_BASE.ADDR (smmu_strtab_align()); base_addr: ADDR as given,
	 * base unless the address is not aligned to the table's size.
	 */
	uint64_t	base;
	uint64_t	base_addr;
	unsigned int	log2size;	/* the table covers 1 << log2size SIDs */
	unsigned int	split;		/* 2-level: SID bits resolved by L2 */
	/*
	 * Optional, 2-level: the physical address of each L2 table as the
	 * driver recorded it (0: the driver had none, SMMU_SW_L2_UNKNOWN:
	 * it had one whose address cannot be read), nr_sw_l2 entries.  When
	 * an L1 descriptor in memory is unreadable or disagrees, the L2
	 * table is taken from here: the descriptor was rewritten after the
	 * crash (a crash kernel that adopts the table does that), and the
	 * driver's record is what the SMMU used at the crash.
	 */
	const uint64_t	*sw_l2;
	uint64_t	nr_sw_l2;
	/*
	 * Optional, with a crash kernel's device dump (l1_stores_known): the
	 * L1 descriptors it records a store to, with their values before
	 * the first (smmu_dd_l1_stores()), which the SMMU walked at the
	 * crash and which are then used.  A descriptor that disagrees with
	 * sw_l2 and is not one of these was changed before the crash, or
	 * after the device dump was saved, and is walked as it is; but one
	 * with a Span where the driver had no L2 table (sw_l2 entry 0) is
	 * taken as the crash kernel's store after the dump was saved (a
	 * device it added later, which its log records) and read as Span 0.
	 */
	const struct smmu_l1_store *l1_stores;
	uint64_t	nr_l1_stores;
	int		l1_stores_known;
};

/* A sw_l2[] entry: the driver had an L2 table, its address is not known */
#define SMMU_SW_L2_UNKNOWN	(~0ULL)

/*
 * The one decoder of STRTAB_BASE / STRTAB_BASE_CFG: register values to a
 * table description, 0, or -1 for a reserved format, SPLIT or LOG2SIZE.
 * smmu_strtab_init() takes the fields themselves, as a driver that keeps
 * no register value describes its table (Linux 6.12+: the format, the
 * number of L1 entries and STRTAB_SPLIT), and checks them the same way;
 * smmu_strtab_cfg() gives the STRTAB_BASE_CFG value of a description.
 */
int smmu_strtab_from_regs(uint64_t base, uint32_t cfg, struct smmu_strtab *t);
int smmu_strtab_init(struct smmu_strtab *t, int fmt, uint64_t base,
		     unsigned int log2size, unsigned int split);
uint32_t smmu_strtab_cfg(const struct smmu_strtab *t);
uint64_t smmu_strtab_nr_l1(const struct smmu_strtab *t);
/*
 * IHI 0070 6.3.23: the SMMU aligns STRTAB_BASE.ADDR to the table's size by
 * the literal LOG2SIZE (linear: 64 << LOG2SIZE bytes; 2-level: the L1
 * table's, 64 bytes at least), ignoring the bits below.
 */
uint64_t smmu_strtab_align(const struct smmu_strtab *t);

/* Level-1 stream table descriptor: L2Ptr[51:6], Span[4:0]. */
#define SMMU_L1STD_SPAN(d)	((unsigned int)SMMU_BITS(d, 4, 0))
#define SMMU_L1STD_L2PTR(d)	((d) & SMMU_MASK(51, 6))
/*
 * The L2 table the SMMU reads: L2Ptr with bits [Span + 4:0] taken as zero
 * (IHI 0070 5.1: the table, 64 << (Span - 1) bytes, is aligned to its
 * size), for Span 1 to 11; L2Ptr as it is for any other Span.
 */
uint64_t smmu_l1std_l2(uint64_t desc);

/* Where the STE of a StreamID lives, and why it cannot be found. */
#define SMMU_STE_FOUND		0
#define SMMU_STE_SID_RANGE	1	/* sid >= 1 << log2size */
#define SMMU_STE_NO_L2		2	/* L1 descriptor Span == 0 */
#define SMMU_STE_BAD_SPAN	3	/* Span > SPLIT + 1 */
#define SMMU_STE_SPAN_RANGE	4	/* sid beyond the L2 table's span */
#define SMMU_STE_READ_ERR	5	/* L1 descriptor unreadable */

struct smmu_ste_loc {
	int		status;		/* SMMU_STE_* */
	uint64_t	l1_addr;	/* 2-level: address of the L1 descriptor */
	uint64_t	l1desc;		/* the descriptor used */
	int		l1_filtered;	/* L1 descriptor read as a filtered page */
	int		l1_replaced;	/* from a record, not memory (l1_mem) */
	int		l1_from_dd;	/* the device dump's, not sw_l2 */
	int		l1_damaged;	/* memory, not sw_l2: no store recorded */
	int		l1_after_dd;	/* replaced by Span 0: the driver had no
					 * L2 table, the Span in memory was
					 * stored after the device dump was
					 * saved (l1_stores_known) */
	int		l1_unreadable;	/* ... because memory could not be read */
	uint64_t	l1_mem;		/* the descriptor in memory */
	uint64_t	l2;		/* 2-level: the L2 table, for a Span
					 * the SMMU walks smmu_l1std_l2() */
	uint64_t	addr;		/* address of the STE */
};

const char *smmu_ste_loc_str(int status);
int smmu_ste_locate(const struct smmu_strtab *t, uint32_t sid,
		    const struct smmu_mem *mem, struct smmu_ste_loc *loc);

/* ---- STE ---------------------------------------------------------------- */

#define SMMU_STE_CFG_ABORT	0
#define SMMU_STE_CFG_BYPASS	4
#define SMMU_STE_CFG_S1		5
#define SMMU_STE_CFG_S2		6
#define SMMU_STE_CFG_NESTED	7

#define SMMU_S1FMT_LINEAR	0
#define SMMU_S1FMT_4K_L2	1
#define SMMU_S1FMT_64K_L2	2

#define SMMU_S1DSS_TERMINATE	0
#define SMMU_S1DSS_BYPASS	1
#define SMMU_S1DSS_SSID0	2

/* Why an SMMU would treat the STE as ILLEGAL (C_BAD_STE), a subset. */
#define SMMU_STE_ERR_CFG	(1U << 0)	/* reserved Config */
#define SMMU_STE_ERR_S1FMT	(1U << 1)	/* reserved S1Fmt */
#define SMMU_STE_ERR_CDMAX	(1U << 2)	/* S1CDMax > SSIDSIZE */
#define SMMU_STE_ERR_S1DSS	(1U << 3)	/* reserved S1DSS */
#define SMMU_STE_ERR_S2TG	(1U << 4)	/* reserved S2TG */
#define SMMU_STE_ERR_S2T0SZ	(1U << 5)	/* S2T0SZ out of range */
#define SMMU_STE_ERR_S2SL0	(1U << 6)	/* S2SL0 does not fit S2T0SZ */
#define SMMU_STE_ERR_S2AA32	(1U << 7)	/* AArch32 stage 2 (not walked) */
#define SMMU_STE_ERR_S2PS	(1U << 8)	/* reserved S2PS */
#define SMMU_STE_ERR_ADDR	(1U << 9)	/* pointer beyond the OAS */
#define SMMU_STE_ERR_NR		10

struct smmu_ste {
	uint64_t	w[SMMU_STE_DWORDS];
	int		v;
	unsigned int	cfg;
	/* stage 1 */
	unsigned int	s1fmt, s1cdmax, s1dss, s1cir, s1cor, s1csh, s1stalld;
	uint64_t	s1ctxptr;
	/* attributes */
	unsigned int	eats, strw, memattr, mtcfg, alloccfg, shcfg, nscfg;
	unsigned int	privcfg, instcfg, mev, s2fwb;
	/* stage 2 */
	unsigned int	s2vmid, s2t0sz, s2sl0, s2ir0, s2or0, s2sh0, s2tg, s2ps;
	unsigned int	s2aa64, s2endi, s2affd, s2ptw, s2hd, s2ha, s2s, s2r;
	uint64_t	s2ttb;
	unsigned int	errors;		/* SMMU_STE_ERR_*, only when v */
};

void smmu_ste_decode(const uint64_t w[SMMU_STE_DWORDS],
		     const struct smmu_caps *caps, struct smmu_ste *ste);
void smmu_ste_decode_bytes(const void *buf, const struct smmu_caps *caps,
			   struct smmu_ste *ste);
const char *smmu_ste_cfg_str(unsigned int cfg);
int smmu_ste_s1(const struct smmu_ste *ste);	/* stage 1 translates */
int smmu_ste_s2(const struct smmu_ste *ste);	/* stage 2 translates */
const char *smmu_ste_err_str(unsigned int bit);
void smmu_ste_print(FILE *ofp, const struct smmu_ste *ste, const char *indent);

/* ---- context descriptors ------------------------------------------------ */

#define SMMU_CD_DWORDS		8
#define SMMU_CD_SIZE		64
#define SMMU_L1CD_SIZE		8
#define SMMU_L1CD_V(d)		((int)SMMU_BITS(d, 0, 0))
#define SMMU_L1CD_L2PTR(d)	((d) & SMMU_MASK(51, 12))

#define SMMU_CD_ERR_TG0		(1U << 0)	/* reserved TG0 */
#define SMMU_CD_ERR_T0SZ	(1U << 1)	/* T0SZ out of range */
#define SMMU_CD_ERR_IPS		(1U << 2)	/* reserved IPS */
#define SMMU_CD_ERR_AA32	(1U << 3)	/* AArch32 tables (not walked) */
#define SMMU_CD_ERR_ADDR	(1U << 4)	/* TTB0 beyond the OAS */
#define SMMU_CD_ERR_NR		5

struct smmu_cd {
	uint64_t	w[SMMU_CD_DWORDS];
	int		v;
	unsigned int	t0sz, tg0, ir0, or0, sh0, epd0, endi;
	unsigned int	t1sz, tg1, epd1, ips, affd, wxn, uwxn, tbi, pan;
	unsigned int	aa64, hd, ha, s, r, a, aset, asid;
	uint64_t	ttb0, ttb1, mair, amair;
	unsigned int	errors;		/* SMMU_CD_ERR_*, only when v */
};

void smmu_cd_decode(const uint64_t w[SMMU_CD_DWORDS],
		    const struct smmu_caps *caps, struct smmu_cd *cd);
void smmu_cd_decode_bytes(const void *buf, const struct smmu_caps *caps,
			  struct smmu_cd *cd);
const char *smmu_cd_err_str(unsigned int bit);
void smmu_cd_print(FILE *ofp, const struct smmu_cd *cd, const char *indent);

/* Number of CDs the STE's table holds (1 << S1CDMax). */
uint32_t smmu_ste_nr_cds(const struct smmu_ste *ste);

/* ---- translation tables ------------------------------------------------- */

#define SMMU_PT_LEVELS		4

struct smmu_pt_cfg {
	int		stage;		/* 1 or 2 */
	unsigned int	pg_shift;	/* 12, 14 or 16 */
	unsigned int	ia_bits;	/* input address size */
	unsigned int	oa_bits;	/* output address size */
	int		start;		/* start level, 0..3 */
	uint64_t	ttb;		/* base of the start-level table(s) */
	int		af_fault;	/* AF == 0 is an Access flag fault */
	int		tbi;		/* stage 1: top byte ignored */
};

/* Set up a walk from a CD's TTB0 or an STE's stage-2 fields; 0 or -1. */
int smmu_pt_cfg_s1(const struct smmu_cd *cd, const struct smmu_caps *caps,
		   struct smmu_pt_cfg *cfg);
int smmu_pt_cfg_s2(const struct smmu_ste *ste, const struct smmu_caps *caps,
		   struct smmu_pt_cfg *cfg);

#define SMMU_FAULT_NONE		0
#define SMMU_FAULT_TRANSLATION	1	/* invalid descriptor, or IA out of range */
#define SMMU_FAULT_ADDR_SIZE	2	/* output address beyond the OAS */
#define SMMU_FAULT_ACCESS	3	/* AF == 0 */
#define SMMU_FAULT_WALK_EABT	4	/* a table is not in the dump */
#define SMMU_FAULT_CONFIG	5	/* STE/CD cannot be used (C_BAD_*) */
#define SMMU_FAULT_ABORT	6	/* Config = abort, or STE not valid */

#define SMMU_DESC_INVALID	0
#define SMMU_DESC_TABLE		1
#define SMMU_DESC_BLOCK		2
#define SMMU_DESC_PAGE		3
#define SMMU_DESC_RESERVED	4	/* 0b01 at the last level */

#define SMMU_PERM_R		1
#define SMMU_PERM_W		2
#define SMMU_PERM_X		4
#define SMMU_PERM_PRIV_ONLY	8	/* stage 1: no unprivileged access */

struct smmu_pt_step {
	int		level;
	uint64_t	table;		/* table base (input space of the walk) */
	unsigned int	index;
	uint64_t	desc_addr;	/* address of the descriptor */
	uint64_t	desc_pa;	/* same, after stage 2 when nested */
	uint64_t	desc;
	int		type;		/* SMMU_DESC_* */
	int		filtered;	/* table page filtered out of the dump */
};

struct smmu_walk {
	int		nr;			/* steps taken */
	struct smmu_pt_step step[SMMU_PT_LEVELS];
	int		fault;			/* SMMU_FAULT_* */
	int		fault_level;
	uint64_t	out;			/* output address */
	uint64_t	size;			/* size of the page or block */
	unsigned int	perm;			/* SMMU_PERM_* */
	unsigned int	attr;			/* S1 AttrIndx or S2 MemAttr */
};

/*
 * Walk cfg's tables for ia.  With s2 != NULL (nested), every table address
 * is an IPA that is first translated by stage 2; those walks land in
 * s2walk[level] when s2walk is not NULL.
 */
int smmu_pt_walk(const struct smmu_pt_cfg *cfg, uint64_t ia,
		 const struct smmu_mem *mem, const struct smmu_pt_cfg *s2,
		 struct smmu_walk *s2walk, struct smmu_walk *w);
const char *smmu_fault_str(int fault);
const char *smmu_desc_type_str(int type);
void smmu_perm_str(unsigned int perm, char *buf, size_t len);

/* ---- full translation through an STE ------------------------------------ */

#define SMMU_NO_SSID		(~0U)

struct smmu_xlate {
	int		fault;		/* SMMU_FAULT_* of the whole translation */
	const char	*why;		/* reason for CONFIG/ABORT faults */
	int		bypass_s1, bypass_s2;

	/* stage 1: where the CD came from */
	uint32_t	ssid;		/* CD index used */
	uint64_t	l1cd_addr;	/* 2-level CD table: L1 descriptor (IPA if nested) */
	uint64_t	l1cd;
	uint64_t	cd_addr;	/* CD (IPA if nested) */
	uint64_t	cd_pa;
	int		cd_filtered;
	struct smmu_cd	cd;
	struct smmu_walk s2_l1cd;	/* nested: stage-2 walks of the CD fetches */
	struct smmu_walk s2_cd;

	struct smmu_pt_cfg s1cfg, s2cfg;
	struct smmu_walk s1;
	struct smmu_walk s1_s2[SMMU_PT_LEVELS];	/* nested: S2 walk per S1 table */
	struct smmu_walk s2;		/* stage 2 of the final (I)PA */

	uint64_t	pa;
	unsigned int	perm;
	uint64_t	size;		/* bytes mapped around iova by the result */
};

/*
 * Find the CD of ssid (SMMU_NO_SSID for a transaction without substream)
 * for a stage-1 STE; with nested stage 2 the table addresses are IPAs.
 * Returns 0, or -1 with x->fault/x->why set.
 */
int smmu_cd_fetch(const struct smmu_ste *ste, uint32_t ssid,
		  const struct smmu_caps *caps, const struct smmu_mem *mem,
		  struct smmu_xlate *x);

/* Translate iova as the SMMU would for a transaction hitting ste. */
int smmu_translate(const struct smmu_ste *ste, uint32_t ssid, uint64_t iova,
		   const struct smmu_caps *caps, const struct smmu_mem *mem,
		   struct smmu_xlate *x);

/* ---- reverse lookup ------------------------------------------------------ */

/*
 * Which IOVAs reach a physical address: every leaf of the STE's stage 1
 * (each valid CD's TTB0 tables) and stage 2 tables whose output covers
 * pa, bounded walks over tables read whole.  Bypass STEs, and S1DSS
 * bypass for transactions without a SubstreamID, map pa onto itself.
 */
#define SMMU_RMAP_MAX_TABLES	(1U << 14)	/* per address space */
#define SMMU_RMAP_MAX_STE_TABLES (1U << 16)	/* per STE, all its CDs */
#define SMMU_RMAP_MAX_CDS	(1U << 16)	/* per STE */
#define SMMU_RMAP_MAX_ALIASES	64		/* nested: IPAs of one PA */
#define SMMU_RMAP_NO_IPA	(~0ULL)

#define SMMU_RMAP_BYPASS	(1U << 0)	/* Config bypass: iova == pa */
#define SMMU_RMAP_S1DSS_BYPASS	(1U << 1)	/* no SubstreamID: S1 bypassed */
#define SMMU_RMAP_AF_FAULT	(1U << 2)	/* AF == 0: an access faults */

struct smmu_rmap_hit {
	uint32_t	sid;
	uint32_t	ssid;		/* SMMU_NO_SSID: without a SubstreamID */
	unsigned int	cfg;		/* the STE's Config */
	unsigned int	asid, vmid;	/* when stage 1 / stage 2 translate */
	uint64_t	pa;		/* the address looked up */
	uint64_t	iova;		/* the input address that reaches pa */
	uint64_t	ipa;		/* nested: the IPA, else SMMU_RMAP_NO_IPA */
	uint64_t	size;		/* the smallest leaf on the way, 0: bypass */
	unsigned int	perm;		/* SMMU_PERM_* of both stages */
	unsigned int	flags;		/* SMMU_RMAP_* */
};

struct smmu_rmap_stats {
	uint64_t	stes;		/* valid STEs looked at */
	uint64_t	cds;		/* valid CDs */
	uint64_t	tables;		/* translation tables read */
	uint64_t	unreadable;	/* tables not in the dump */
	uint64_t	unreadable_stes;
	uint64_t	truncated;	/* walks cut at a bound */
};

/* fn returns nonzero to stop; so do these, when it did. */
typedef int (*smmu_rmap_fn)(void *arg, const struct smmu_rmap_hit *hit);
int smmu_rmap_ste(const struct smmu_ste *ste, uint32_t sid, uint64_t pa,
		  const struct smmu_caps *caps, const struct smmu_mem *mem,
		  smmu_rmap_fn fn, void *arg, struct smmu_rmap_stats *st);
/* Every valid STE of a stream table; returns st->stes. */
uint64_t smmu_rmap_strtab(const struct smmu_strtab *t, uint64_t pa,
			  const struct smmu_caps *caps,
			  const struct smmu_mem *mem, smmu_rmap_fn fn,
			  void *arg, struct smmu_rmap_stats *st);

/* ---- device selection ------------------------------------------------------ */

/*
 * What "smmu -s" was given: a StreamID (decimal, or hexadecimal as crash's
 * stol() reads it), a PCI address "[SEG:]BB:DD.F" (without SEG, any
 * segment), or a device name as the device model knows it (dev_name()).
 */
#define SMMU_SEL_SID	1
#define SMMU_SEL_PCI	2
#define SMMU_SEL_NAME	3

struct smmu_sel {
	int		kind;
	uint32_t	sid;
	int		has_seg;
	unsigned long	seg;
	uint32_t	rid;		/* bus << 8 | devfn */
	int		maybe_name;	/* a SID of hex digits without 0x (fd0),
					 * which a device could be named too */
	char		name[64];
};

int smmu_sel_parse(const char *s, struct smmu_sel *sel);	/* 0 or -1 */
/* Does dev_name() devname name the selected device? */
int smmu_sel_match(const struct smmu_sel *sel, const char *devname);

/*
 * In-order walk of a kernel rb-tree (the driver's streams tree) in the
 * crashed kernel's memory, read through mem at kernel virtual addresses:
 * struct rb_root holds the top node's address, struct rb_node
 * (include/linux/rbtree_types.h) is __rb_parent_color, rb_right, rb_left,
 * 64-bit words.  The tree may be damaged, so parent pointers are not used,
 * and a child pointer that cannot be read, is not 8-byte aligned, leads
 * back to a node on the path from the top (a loop) or deeper than
 * SMMU_RB_MAX_DEPTH (an rb-tree of 2^32 nodes is at most 64 deep) is
 * counted in w->damaged and what hangs from it left out.  fn gets the
 * address of each node, in order, and returns 0 to go on, 1 to stop, or
 * -1 for a damaged node (counted, with *why); the walk stops after max
 * calls of fn (w->truncated).  Returns the calls of fn (w->nodes).
 */
#define SMMU_RB_MAX_DEPTH	64
#define SMMU_RB_NODE_SIZE	24
#define SMMU_RB_RIGHT		8	/* offsetof(struct rb_node, rb_right) */
#define SMMU_RB_LEFT		16

/* How a walk of the crashed kernel's rb-tree or list went */
struct smmu_node_walk {
	uint64_t	nodes;		/* nodes taken */
	uint64_t	damaged;	/* links and nodes left out */
	uint64_t	bad;		/* the first of them */
	const char	*why;		/* what is wrong with it */
	int		truncated;	/* stopped after max nodes */
};

typedef int (*smmu_rb_fn)(void *arg, uint64_t node, const char **why);
uint64_t smmu_rb_walk(const struct smmu_mem *mem, uint64_t root,
		      uint64_t max, smmu_rb_fn fn, void *arg,
		      struct smmu_node_walk *w);

/*
 * The nodes of a kernel list (iommu_device_list, devices_kset's list) in
 * the crashed kernel's memory, read through mem: the address of each
 * struct list_head (next, prev) after the one at head, in order, into
 * out[], up to max of them (w->truncated beyond).  A next pointer that is
 * not 8-byte aligned, cannot be read or leads to a node whose prev does
 * not point back (a loop, as CONFIG_DEBUG_LIST would see it) ends the
 * walk (w->damaged, w->bad, w->why); the nodes before it are kept.
 * Returns the number of nodes.
 */
uint64_t smmu_list_walk(const struct smmu_mem *mem, uint64_t head,
			uint64_t *out, uint64_t max, struct smmu_node_walk *w);

/* ---- tables and instances ------------------------------------------------ */

struct smmu_col {
	const char	*name;		/* one token: [A-Z0-9_]+ */
	int		width;
	int		left;		/* left-aligned */
};

#define SMMU_LIST_NR_COLS	7
#define SMMU_ALL_NR_COLS	5
#define SMMU_RMAP_NR_COLS	10
#define SMMU_DD_STREAMS_NR_COLS	5
#define SMMU_DD_WRITES_NR_COLS	6
extern const struct smmu_col smmu_cols_list[SMMU_LIST_NR_COLS];
extern const struct smmu_col smmu_cols_all[SMMU_ALL_NR_COLS];
extern const struct smmu_col smmu_cols_rmap[SMMU_RMAP_NR_COLS];
extern const struct smmu_col smmu_cols_dd_streams[SMMU_DD_STREAMS_NR_COLS];
extern const struct smmu_col smmu_cols_dd_writes[SMMU_DD_WRITES_NR_COLS];

void smmu_table_header(FILE *ofp, const struct smmu_col *cols,
		       unsigned int nr, const char *indent);
/* cells[nr]; NULL or empty cells print as "-" */
void smmu_table_row(FILE *ofp, const struct smmu_col *cols, unsigned int nr,
		    const char *indent, const char *const *cells);

/* How "-i" finds an SMMU: its list INDEX, its address or its MMIO base. */
struct smmu_inst_id {
	unsigned long long index, addr, mmio;
};

int smmu_pick_inst(const char *sel, const struct smmu_inst_id *ids, int n);

/* ---- queues and event records ------------------------------------------- */

#define SMMU_EVT_DWORDS		4
#define SMMU_EVT_SIZE		32

/* Entries between cons and prod (index + wrap bit at bit log2n). */
uint32_t smmu_q_used(uint32_t prod, uint32_t cons, unsigned int log2n);
/*
 * Whether prod and cons can be a queue's: prod not behind cons, nor more
 * than a lap ahead (the overflow flag in bit 31 ignored).
 */
int smmu_q_ptrs_ok(uint32_t prod, uint32_t cons, unsigned int log2n);
uint32_t smmu_q_idx(uint32_t p, unsigned int log2n);

struct smmu_evt {
	uint64_t	w[SMMU_EVT_DWORDS];
	unsigned int	id;
	uint32_t	sid, ssid;
	int		ssv, stall, pnu, ind, rnw, s2, class_, has_addr;
	unsigned int	stag;
	uint64_t	addr, ipa;
	uint64_t	fetch;		/* F_WALK_EABT: the descriptor's PA */
};

void smmu_evt_decode(const uint64_t w[SMMU_EVT_DWORDS], struct smmu_evt *e);
void smmu_evt_decode_bytes(const void *buf, struct smmu_evt *e);
const char *smmu_evt_name(unsigned int id);
void smmu_evt_str(const struct smmu_evt *e, char *buf, size_t len);
/* "<label><decoded>", then the four words aligned under the decoded text */
void smmu_evt_print(FILE *ofp, const struct smmu_evt *e, const char *label);
/*
 * Read the event record at @pa through @mem, decode it and print it after
 * @label; 0, or SMMU_READ_FAIL (nothing printed) if it cannot be read.
 */
int smmu_evt_show_at(FILE *ofp, const struct smmu_mem *mem, uint64_t pa,
		     const char *label);

/* ---- names -------------------------------------------------------------- */

const char *smmu_reg_name(uint32_t offset);
/*
 * The fields of a register value that the extension knows, as the kernel
 * names them ("SMMUEN|CMDQEN", "ST_LVL=2lvl ... BBML=2"), IDR0/1/3/5
 * through SMMUv3.3: "" for a register it has no fields for.
 */
void smmu_reg_fields(uint32_t offset, uint64_t value, char *buf, size_t len);
void smmu_bits_str(uint64_t val, const char *const *names, unsigned int nr,
		   char *buf, size_t len);
extern const char *const smmu_cr0_bits[];
#define SMMU_CR0_NR_BITS	5
extern const char *const smmu_gerror_bits[];
#define SMMU_GERROR_NR_BITS	9

/*
 * The driver's ARM_SMMU_FEAT_* bits (struct arm_smmu_device.features),
 * appended in this order since Linux 4.x; S2FWB, BBML2 and HAFT are bits
 * 23 to 25 of Linux 6.14 and later (IDR3.FWB, IDR3.BBML == 2, IDR0.HTTU
 * == 3).
 */
extern const char *const smmu_feature_names[];
#define SMMU_NR_FEATURES	26
#define SMMU_FEAT_2_LVL_STRTAB	(1U << 0)
#define SMMU_FEAT_PRI		(1U << 4)

/*
 * The driver's ARM_SMMU_OPT_* bits (struct arm_smmu_device.options) that
 * every kernel up to 7.2 agrees on.  Bit 5 is ARM_SMMU_OPT_KDUMP_ADOPT of
 * the upstream kdump series ("Adopt the crashed kernel's stream table for
 * kdump"), in no released kernel yet: name it only when the dump's kernel
 * has that series (see smmu.c, smmu_has_kdump_adopt()).
 */
extern const char *const smmu_option_names[];
#define SMMU_NR_OPTIONS		5
#define SMMU_OPT_KDUMP_ADOPT	5
#define SMMU_OPT_KDUMP_ADOPT_NAME "KDUMP_ADOPT"
/* options as "NAME|...|bitN", bit 5 named only with kdump_adopt */
void smmu_options_str(uint32_t options, int kdump_adopt, char *buf,
		      size_t len);

/* ---- stream table iteration --------------------------------------------- */

/*
 * Call fn for each StreamID with a valid STE, reading L2 tables or linear
 * chunks in one go.  fn returns nonzero to stop.  *unreadable counts STEs
 * that could not be read; returns the number of STEs visited.  L1
 * descriptors are checked against sw_l2 as in smmu_ste_locate().
 */
#define SMMU_VISIT_FILTERED	1	/* the STE's page was filtered out */
#define SMMU_VISIT_SW_L2	2	/* its L1 descriptor from a record */
#define SMMU_VISIT_L2_UNALIGNED	4	/* through an unaligned L2Ptr */

typedef int (*smmu_ste_fn)(void *arg, uint32_t sid, uint64_t addr,
			   const struct smmu_ste *ste, unsigned int flags);
uint64_t smmu_strtab_for_each(const struct smmu_strtab *t,
			      const struct smmu_caps *caps,
			      const struct smmu_mem *mem, smmu_ste_fn fn,
			      void *arg, uint64_t *unreadable);
/*
 * 2-level: the L1 entries that lead to an L2 table (in memory or, for a
 * descriptor rewritten after the crash, in the device dump's record or
 * sw_l2), in *rewritten those whose descriptor was replaced
 * (smmu_ste_locate()'s l1_replaced, l1_after_dd included), in *damaged
 * those that are not the driver's but were used as they are (a device
 * dump records no store to them), in *unaligned those whose L2Ptr is not
 * aligned to the L2 table's size (smmu_l1std_l2()).  0 for a linear table
 * or an L1 table too big to read.
 */
uint64_t smmu_strtab_l1_populated(const struct smmu_strtab *t,
				  const struct smmu_mem *mem,
				  uint64_t *rewritten, uint64_t *damaged,
				  uint64_t *unaligned);

/* ---- ELF notes and the device dump --------------------------------------- */

#define SMMU_NT_VMCOREDD	0x700
#define SMMU_VMCOREDD_NAME_BYTES 44

/*
 * Walk an ELF note buffer; call fn for each NT_VMCOREDD note with its
 * dump name (NUL-terminated copy) and data.  Stops at the first malformed
 * note; returns the number of device dumps seen, or -1 if the buffer is
 * malformed before the end.
 */
typedef int (*smmu_note_fn)(void *arg, const char *name, const void *data,
			    size_t len, size_t offset);
int smmu_vmcoredd_scan(const void *notes, size_t len, smmu_note_fn fn,
		       void *arg);

struct smmu_dd_section {
	uint32_t	entry_size;
	uint32_t	count;
	uint32_t	offset;
};

struct smmu_dd {
	const unsigned char *buf;
	size_t		len;		/* total_size */
	uint32_t	version, header_size, flags, mode, nr_sections;
	uint64_t	smmu_base;
	struct smmu_dd_section sect[4];	/* by SMMU_KDUMP_SECT_*, 0 unused */
};

struct smmu_dd_reg {
	uint32_t	offset, size;
	uint64_t	value;
};

struct smmu_dd_write {
	uint64_t	phys, old, new;
	uint32_t	sid;
	uint16_t	size, kind;
};

struct smmu_dd_stream {
	uint32_t	sid;
	uint8_t		decision, reason;
	uint64_t	ste0;
};

/* Parse and validate; 0 or -1 with a message in err. */
int smmu_dd_parse(const void *buf, size_t len, struct smmu_dd *dd,
		  char *err, size_t errlen);
uint32_t smmu_dd_count(const struct smmu_dd *dd, unsigned int type);
/*
 * The L1 descriptors that dd records stores to, sorted by address, one
 * each with its value before the first store, into out (room for
 * smmu_dd_count(dd, SMMU_KDUMP_SECT_WRITES)); returns how many.
 */
uint64_t smmu_dd_l1_stores(const struct smmu_dd *dd,
			   struct smmu_l1_store *out);
void smmu_dd_reg(const struct smmu_dd *dd, uint32_t i, struct smmu_dd_reg *r);
void smmu_dd_write(const struct smmu_dd *dd, uint32_t i,
		   struct smmu_dd_write *w);
void smmu_dd_stream(const struct smmu_dd *dd, uint32_t i,
		    struct smmu_dd_stream *s);
/* Look a register up by offset; 0 if found. */
int smmu_dd_find_reg(const struct smmu_dd *dd, uint32_t offset,
		     uint64_t *value);
/*
 * The capabilities a device dump's IDR1 and IDR5 give (dd may be NULL),
 * for a stream table read without the driver's state.
 */
void smmu_dd_caps(const struct smmu_dd *dd, struct smmu_caps *caps);
/*
 * The stream table of the dump's STRTAB_BASE/STRTAB_BASE_CFG snapshot:
 * 0, SMMU_DD_NO_STRTAB when the dump has not both registers, or -1 when
 * STRTAB_BASE_CFG is reserved (*cfg holds it).
 */
#define SMMU_DD_NO_STRTAB	1
int smmu_dd_strtab(const struct smmu_dd *dd, struct smmu_strtab *t,
		   uint64_t *cfg);

/*
 * The crashed kernel's event queue as the dump's register snapshot
 * describes it: EVTQ_BASE, EVTQ_PROD, EVTQ_CONS, CR0 and IDR1, values of
 * an SMMU that may have been left in any state, checked before anything
 * is read through them.  smmu_dd_evtq() returns SMMU_DD_EVTQ_OK with the
 * queue described in q, or why it is not followed; q->pending is 0 then.
 */
#define SMMU_DD_EVTQ_OK		0
#define SMMU_DD_EVTQ_NO_REG	1	/* a register is not in the snapshot */
#define SMMU_DD_EVTQ_DISABLED	2	/* CR0.EVTQEN clear */
#define SMMU_DD_EVTQ_SIZE	3	/* LOG2SIZE above IDR1.EVTQS or 19 */
#define SMMU_DD_EVTQ_ALIGN	4	/* base not aligned to the queue size */
#define SMMU_DD_EVTQ_PTRS	5	/* PROD and CONS contradict each other */

struct smmu_dd_evtq {
	uint64_t	base_reg, cr0, idr1;	/* as recorded */
	uint32_t	prod_reg, cons_reg;
	uint32_t	missing;	/* NO_REG: the register's offset */
	uint64_t	base;		/* physical address of entry 0 */
	unsigned int	log2n;		/* 1 << log2n entries */
	uint32_t	cons;		/* CONS: index and wrap bit */
	uint32_t	pending;	/* entries from CONS to PROD */
};

int smmu_dd_evtq(const struct smmu_dd *dd, struct smmu_dd_evtq *q);
/* Why smmu_dd_evtq() refused the queue, one line without newline. */
void smmu_dd_evtq_why(const struct smmu_dd_evtq *q, int status, char *buf,
		      size_t len);
/*
 * "smmu -d"'s events pending at handover: the header line with their
 * number, then each entry from CONS to PROD read from the queue in the
 * dump's memory and decoded ("    [index] "), or one line that says why
 * nothing (more) was read.  Reads at most 1 << log2n entries, all within
 * the queue.  Returns the number of entries read.
 */
uint32_t smmu_dd_show_events(FILE *ofp, const struct smmu_dd *dd,
			     const struct smmu_mem *mem);

const char *smmu_dd_mode_str(uint32_t mode);
const char *smmu_dd_decision_str(unsigned int decision);
const char *smmu_dd_reason_str(unsigned int reason);
const char *smmu_dd_kind_str(unsigned int kind);

/*
 * Undo the crash kernel's recorded stores over a buffer read at pa: every
 * write record that overlaps [pa, pa + len) puts its old value back (the
 * first record of a word wins).  Returns the number of records applied.
 */
size_t smmu_dd_undo(const struct smmu_dd *dd, uint64_t pa, void *buf,
		    size_t len);

#endif /* SMMU_DECODE_H */
