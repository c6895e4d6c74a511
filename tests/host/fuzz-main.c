// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer as a test: N seeded rounds (round i uses seed S + i), then one
 * KTAP result per invariant, with the first seed that broke it.
 *
 *   kdump-fuzz [-n ROUNDS] [-s SEED]    run ROUNDS rounds (default:
 *                                       $KDUMP_FUZZ_ROUNDS, or 30000)
 *   kdump-fuzz -r SEED                  replay one round, verbosely
 */

#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "kselftest.h"

static const char * const err_names[ARM_SMMU_KDUMP_ERR_MAX] = {
	"none", "fmt", "log2size", "split", "res0", "base_align",
	"base_range", "size", "l1_span", "l1_res0", "l2_align", "l2_range",
	"l2_budget", "map", "nomem",
};

int main(int argc, char **argv)
{
	struct fz_stats st = {};
	unsigned long long rounds = 30000, seed = 0, i, replay = 0;
	unsigned int mask;
	bool do_replay = false;
	struct timespec t0, t1;
	struct fz_src src;
	int opt;

	if (getenv("KDUMP_FUZZ_ROUNDS"))
		rounds = strtoull(getenv("KDUMP_FUZZ_ROUNDS"), NULL, 0);
	while ((opt = getopt(argc, argv, "n:s:r:")) != -1) {
		switch (opt) {
		case 'n':
			rounds = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			replay = strtoull(optarg, NULL, 0);
			do_replay = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n ROUNDS] [-s SEED] [-r SEED]\n",
				argv[0]);
			return 2;
		}
	}

	if (do_replay) {
		fz_verbose = true;
		fz_seed(&src, replay);
		mask = fz_round(&src, &st);
		printf("# seed %llu: %s (%llu accepted, %llu kept, %llu aborted)\n",
		       replay, mask ? "invariants violated" : "all invariants hold",
		       st.accepted, st.kept, st.aborted);
		return !!mask;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i <= rounds; i++) {
		fz_seed(&src, seed + i);
		mask = fz_round(&src, &st);
		for (opt = 0; opt < FZ_NR_INV; opt++)
			if ((mask & BIT(opt)) && !st.first_seed[opt])
				st.first_seed[opt] = seed + i;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	ksft_print_header();
	ksft_set_plan(FZ_NR_INV + 1);
	ksft_print_msg("%llu rounds in %.1f s: %llu tables accepted (%llu STEs kept, %llu aborted; %llu undamaged), %llu rejected\n",
		       st.rounds, (t1.tv_sec - t0.tv_sec) +
		       (t1.tv_nsec - t0.tv_nsec) / 1e9, st.accepted, st.kept,
		       st.aborted, st.clean, st.rejected);
	ksft_print_msg("rejected by:");
	for (opt = 1; opt < ARM_SMMU_KDUMP_ERR_MAX; opt++)
		if (st.rejected_by[opt])
			printf(" %s %llu", err_names[opt], st.rejected_by[opt]);
	printf("\n# allocation failures injected in %llu rounds; dumps %llu (%llu truncated); kdump_keep accepted %llu, refused %llu\n",
	       st.injected, st.dumps,
	       st.dumps_truncated, st.keep_ok, st.keep_refused);
	for (opt = 0; opt < FZ_NR_INV; opt++) {
		bool bad = st.violations[opt];

		if (bad)
			ksft_print_msg("%llu rounds violated it, first with seed %llu (replay: kdump-fuzz -r %llu)\n",
				       st.violations[opt], st.first_seed[opt],
				       st.first_seed[opt]);
		ksft_test_result(!bad, "fuzz: %s\n", fz_inv_names[opt]);
	}
	/* The damage must leave both outcomes common enough to matter */
	mask = st.accepted > rounds / 10 && st.rejected > rounds / 10 &&
	       st.clean > rounds / 100 && st.kept > rounds / 10;
	if (!mask)
		ksft_print_msg("too few accepted, rejected, clean rounds or kept STEs\n");
	ksft_test_result(mask, "fuzz: accepted and rejected tables both common\n");
	ksft_finished();
}
