/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake machine for the host tests of arm-smmu-v3-kdump.c: the crashed
 * kernel's memory is an arena at fake physical addresses, declared to the
 * driver as one or more ranges of old RAM, and the crash kernel's own memory
 * is elsewhere. ctx->ops is implemented as the KUnit tests do
 * (kdump_test_map/kdump_test_alloc), with more checking:
 *
 *  - map() hands out a copy of exactly the bytes asked for, in a buffer of
 *    that size, so that AddressSanitizer catches any access beyond what was
 *    mapped; unmap() checks that the copy was not written (the build never
 *    writes old memory) and frees it;
 *  - a map that is not entirely declared old RAM, or touches our own RAM,
 *    or is not backed by the arena, is counted in bad_maps and fails;
 *  - alloc() gives zeroed memory with a DMA address in our RAM, and can be
 *    made to fail; it is freed by env_release_allocs(), as devres does.
 *
 * The arena and table helpers are the KUnit fixture's own, taken from
 * arm-smmu-v3-kdump-test.c of the patched tree at build time (Makefile,
 * FIXTURE) and renamed kdump_test_* to env_*: struct env has the fields
 * they use. The STE and CD builders write old entries with the field macros
 * of arm-smmu-v3.h but none of the driver's code, unlike the KUnit ones.
 */
#ifndef _KDUMP_HOST_ENV_H
#define _KDUMP_HOST_ENV_H

#include "kdump-shim.h"
#include "arm-smmu-v3-kdump.h"

#define OLD_BASE	0x80000000ULL
#define OWN_BASE	0x40000000ULL
#define OWN_SIZE	SZ_16M
#define DMA_BASE	(OWN_BASE + SZ_1M)
#define ENV_MAX_RANGES	4
#define ENV_MAX_KEEP	64

struct env_map {
	void	*va;
	u64	phys;
	size_t	size;
};

struct env_alloc {
	void		*va;
	dma_addr_t	dma;
	size_t		size;
};

struct env {
	u8				*arena;	/* backs [OLD_BASE, +old_size) */
	u64				old_size;
	bool				own_arena;	/* env_exit() frees it */
	u64				next;	/* bump allocator in the arena */
	struct range			old_ram[ENV_MAX_RANGES];
	struct range			own_ram[ENV_MAX_RANGES];

	struct arm_smmu_kdump_regs	regs;
	struct arm_smmu_device		smmu;	/* ctx.smmu, from the IDRs */
	struct arm_smmu_kdump_report	report;
	struct arm_smmu_kdump_ctx	ctx;
	struct arm_smmu_kdump_table	table;
	struct xarray			asid_xa;
	struct ida			vmid_ida;
	u32				keep[ENV_MAX_KEEP];

	/* map() and alloc() bookkeeping */
	struct env_map			*maps;
	unsigned int			nr_maps, max_maps;
	unsigned int			nr_map_calls;
	unsigned int			bad_maps;	/* outside old RAM */
	unsigned int			bad_unmaps;	/* not mapped */
	unsigned int			old_writes;	/* copy modified */
	struct env_alloc		*allocs;
	unsigned int			nr_allocs, max_allocs;
	unsigned int			nr_alloc_calls;
	unsigned int			fail_alloc_at;	/* nth alloc() fails */
	dma_addr_t			next_dma;
	bool				quiet;	/* no notes on bad maps */
	/* Called after each map(): a device writing old memory meanwhile */
	void				(*on_map)(struct env *env, u64 phys,
						  size_t size);
};

/*
 * @old_size bytes of old memory at OLD_BASE, declared as two adjacent
 * ranges; our RAM at OWN_BASE. Mode and SMMU (from env_set_idrs()) can be
 * changed before the build; call env_caps() after changing the IDRs.
 */
void env_init(struct env *env, enum arm_smmu_kdump_mode mode, u64 old_size);
/* The same on the caller's @arena, zeroed here and not freed by env_exit() */
void env_init_arena(struct env *env, enum arm_smmu_kdump_mode mode,
		    u8 *arena, u64 old_size);
void env_caps(struct env *env);
/* IDR1.SIDSIZE @sid_bits, and env_caps() */
void env_sid_bits(struct env *env, unsigned int sid_bits);
/* Undo the build as arm_smmu_kdump_prepare() does on failure, then free */
void env_undo(struct env *env);
void env_exit(struct env *env);
void env_release_allocs(struct env *env);

/* The STE that replaced @sid in the built table, NULL if the old one stays */
const struct arm_smmu_ste *env_new_ste(struct env *env, u32 sid);
/* The old STE of @sid, NULL if its L1 descriptor has no L2 table for it */
const struct arm_smmu_ste *env_old_ste(struct env *env, u32 sid);
bool ste_is_abort(const struct arm_smmu_ste *ste);
/* Is [phys, phys + size) covered by @r, walking adjacent ranges? */
bool env_covered(const struct range *r, unsigned int nr, u64 phys, u64 size);
bool ste_equal(const struct arm_smmu_ste *a, const struct arm_smmu_ste *b);
/* An old STE that passes traffic: valid with Config 0b1xx */
bool ste_is_live(const struct arm_smmu_ste *ste);
bool ste_kept_copy(const struct arm_smmu_ste *old,
		   const struct arm_smmu_ste *new);
/* Kept: the copy is the old STE, which passes traffic */
bool env_kept(struct env *env, u32 sid);
/* Aborted: the copy is an abort STE, where the old one passed traffic */
bool env_aborted(struct env *env, u32 sid);

/* The KUnit fixture's helpers (Makefile, FIXTURE) */
u64 env_old_alloc(struct env *env, size_t size, size_t align);
void *env_va(struct env *env, u64 phys);
/* An SMMU like QEMU's: 2-level tables, S1 and S2, 16-bit SIDs and IDs */
void env_set_idrs(struct arm_smmu_kdump_regs *regs);
void env_keep(struct env *env, u32 sid);	/* in increasing order */
u64 env_ttb(struct env *env);	/* an old page table root */
void env_init_stes(struct arm_smmu_ste *stes, unsigned int nr);
/* Old stream tables of abort STEs, set in the registers */
struct arm_smmu_ste *env_linear(struct env *env, u8 log2size);
__le64 *env_2lvl(struct env *env, u8 log2size);
struct arm_smmu_ste *env_l2(struct env *env, __le64 *l1, u32 idx, u32 span);
/* check_regs() then build(), as arm_smmu_kdump_prepare() calls them */
int env_build(struct env *env);

void ste_abort(struct arm_smmu_ste *ste);
void ste_bypass(struct arm_smmu_ste *ste);
void ste_s1(struct arm_smmu_ste *ste, u64 cdptr, u8 s1fmt, u8 cdmax,
	    u8 s1dss);
void ste_s2(struct arm_smmu_ste *ste, u16 vmid, u64 s2ttb);
void ste_nested(struct arm_smmu_ste *ste, u64 cdptr, u16 vmid, u64 s2ttb);
void cd_make(struct arm_smmu_cd *cd, u16 asid, u64 ttb0);
/* A linear CD table of 2^@cdmax CDs, CD 0 valid with @asid */
u64 env_cds(struct env *env, u8 cdmax, u16 asid);

#endif
