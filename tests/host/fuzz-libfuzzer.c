// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer as a libFuzzer target: the input is the round's randomness,
 * so coverage guides the choices of fuzz.c. A violated invariant aborts.
 *
 *   make -C tests/host libfuzzer O=DIR
 *   DIR/kdump-libfuzzer -max_total_time=60 CORPUS_DIR
 */

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_stats st;
	struct fz_src src;
	unsigned int mask, i;

	fz_input(&src, data, size);
	mask = fz_round(&src, &st);
	if (!mask)
		return 0;
	for (i = 0; i < FZ_NR_INV; i++)
		if (mask & BIT(i))
			fprintf(stderr, "kdump-libfuzzer: violated: %s\n",
				fz_inv_names[i]);
	/* Again, verbosely, for the log */
	fz_verbose = true;
	fz_input(&src, data, size);
	fz_round(&src, &st);
	abort();
}
