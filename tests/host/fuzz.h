/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzer of the crash kernel's import: one round builds an old stream
 * table (linear or 2-level, with CD tables, stage 1, 2, nested, bypass and
 * invalid STEs), an event queue and a keep list on a random SMMU, damages
 * them, runs the import and checks invariants. Its randomness comes from a
 * seeded generator (fuzz-main.c) or from libFuzzer's input
 * (fuzz-libfuzzer.c).
 */
#ifndef _KDUMP_HOST_FUZZ_H
#define _KDUMP_HOST_FUZZ_H

#include "kdump-shim.h"
#include "arm-smmu-v3-kdump.h"

struct fz_src {
	const u8	*data;		/* libFuzzer's input, or NULL */
	size_t		len, pos;
	u64		state;		/* splitmix64 */
};

void fz_seed(struct fz_src *src, u64 seed);
void fz_input(struct fz_src *src, const u8 *data, size_t len);

enum fz_inv {
	FZ_MAP,		/* maps only inside old RAM, nothing written */
	FZ_RET,		/* return codes and ctx->err agree */
	FZ_COPY,	/* each new STE is the old one or an abort STE */
	FZ_SAFE,	/* kept STEs: no bypass, pointers in old RAM, S1CDMax
			   within SSIDSIZE, IDs reserved, no stalls or HTTU */
	FZ_POLICY,	/* kept only if listed or keep-all; good STEs kept */
	FZ_COUNT,	/* nr_kept and nr_aborted match the table */
	FZ_LEAK,	/* nothing left allocated or mapped after undo */
	FZ_IDS,		/* undo leaves the ASID/VMID allocators empty, as before */
	FZ_DUMP,	/* the device dump parses and adds up */
	FZ_PARSE,	/* kdump_keep / kdump_mode parsing */
	FZ_NR_INV,
};

extern const char * const fz_inv_names[FZ_NR_INV];

struct fz_stats {
	u64	rounds;
	u64	accepted;
	u64	rejected;
	u64	rejected_by[ARM_SMMU_KDUMP_ERR_MAX];
	u64	kept, aborted;		/* STEs of accepted tables */
	u64	clean;			/* undamaged rounds, liveness checked */
	u64	injected;		/* rounds with an allocation failure */
	u64	dumps, dumps_truncated;
	u64	keep_ok, keep_refused;
	u64	violations[FZ_NR_INV];
	u64	first_seed[FZ_NR_INV];
};

/* Print details of violations to stdout as KTAP diagnostics */
extern bool fz_verbose;

/* One round; returns the mask of violated invariants */
unsigned int fz_round(struct fz_src *src, struct fz_stats *st);

#endif
