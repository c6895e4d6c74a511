// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark (reported, not asserted): the commands that the crash kernel
 * issues to switch to an inherited 2-level stream table, against the number
 * of L2 tables the import copied. For each count, a synthetic crashed
 * kernel's table of 2^20 StreamIDs (one live stage 2 STE in each of that
 * many L2 tables) goes through the real import, check_regs() and build() as
 * env_build() runs them, then through arm_smmu_kdump_device_reset(), whose
 * register accesses do nothing here and whose commands are counted by
 * opcode. Each command is issued with a CMD_SYNC.
 *
 * The file under test is included, not linked, as in test-hooks.c, to set
 * up its per-SMMU state as arm_smmu_kdump_adopt() leaves it.
 */

#include "arm-smmu-v3-kdump.c"

#include "env.h"
#include "shim.h"

#define LOG2SIZE	20
#define NR_L1		(1U << (LOG2SIZE - STRTAB_SPLIT))

static unsigned int nr_ops[256], nr_syncs;

int shim_issue_cmd(struct arm_smmu_device *smmu, const struct shim_cmd *cmd)
{
	nr_ops[cmd->opcode & 0xff]++;
	nr_syncs += cmd->sync;
	return 0;
}

u32 readl_relaxed(const volatile void __iomem *addr)
{
	return 0;
}

void writel(u32 val, volatile void __iomem *addr)
{
}

int arm_smmu_write_reg_sync(struct arm_smmu_device *smmu, u32 val,
			    unsigned int reg_off, unsigned int ack_off)
{
	return 0;
}

void arm_smmu_write_queue_regs(struct arm_smmu_device *smmu,
			       struct arm_smmu_queue *q, unsigned int base_off)
{
}

int arm_smmu_update_gbpa(struct arm_smmu_device *smmu, u32 set, u32 clr)
{
	return 0;
}

int arm_smmu_setup_irqs(struct arm_smmu_device *smmu)
{
	return 0;
}

/* Import a table with @copies live L2 tables, switch to it: 0 or an error */
static int bench_switch(unsigned int copies)
{
	struct arm_smmu_device smmu = {};
	struct arm_smmu_kdump kd = {};
	struct env env;
	__le64 *l1;
	u64 ttb;
	unsigned int i;
	int ret;

	env_init(&env, ARM_SMMU_KDUMP_KEEP_ALL,
		 SZ_1M + (u64)copies * (sizeof(struct arm_smmu_ste) << STRTAB_SPLIT));
	env.quiet = true;
	env_sid_bits(&env, LOG2SIZE);
	env.ctx.max_l2 = NR_L1;
	env.own_ram[0].end = OWN_BASE + SZ_1G - 1;
	env.ctx.report = &kd.report;
	l1 = env_2lvl(&env, LOG2SIZE);
	ttb = env_ttb(&env);
	for (i = 0; i < copies; i++)
		ste_s2(env_l2(&env, l1, i * (NR_L1 / copies), STRTAB_SPLIT + 1),
		       i + 1, ttb);
	ret = env_build(&env);
	if (ret)
		goto out;

	/* As arm_smmu_kdump_prepare() and arm_smmu_kdump_adopt() leave it */
	kd.table = env.table;
	memset(&env.table, 0, sizeof(env.table));
	kd.ctx.fmt = env.ctx.fmt;
	kd.ctx.report = &kd.report;
	kd.report.adopted = true;
	kd.ctx.base = env.ctx.base;
	kd.ctx.nr_ents = env.ctx.nr_ents;
	smmu.kdump = &kd;
	smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB;
	smmu.strtab_cfg.l2.l1tab = kd.table.l1tab;
	smmu.strtab_cfg.l2.l2ptrs = kd.table.l2ptrs;
	smmu.strtab_cfg.l2.num_l1_ents = kd.ctx.nr_ents;

	memset(nr_ops, 0, sizeof(nr_ops));
	nr_syncs = 0;
	ret = arm_smmu_kdump_device_reset(&smmu);
	/* The L1 descriptors the switch stored, as the device dump finds them */
	if (!ret)
		ret = arm_smmu_kdump_collect_words(&kd);
	printf("%6u %10u %8u %8u %8u %8u %10u\n", copies, kd.report.nr_words,
	       nr_ops[CMDQ_OP_CFGI_ALL], nr_ops[CMDQ_OP_CFGI_STE],
	       nr_ops[CMDQ_OP_TLBI_NSNH_ALL] + nr_ops[CMDQ_OP_TLBI_EL2_ALL],
	       nr_syncs, nr_syncs * 2);
	arm_smmu_kdump_table_free(&env.ctx, &kd.table);
out:
	env_exit(&env);
	arm_smmu_kdump_report_free(&kd.report);
	return ret;
}

int main(void)
{
	static const unsigned int copies[] = { 1, 16, 256, 4096 };
	unsigned int i;
	int ret = 0;

	printf("switch to an inherited 2-level table of 2^%u StreamIDs: "
	       "commands issued by arm_smmu_kdump_device_reset()\n", LOG2SIZE);
	printf("%6s %10s %8s %8s %8s %8s %10s\n", "copies", "L1 stores",
	       "CFGI_ALL", "CFGI_STE", "TLBI", "SYNC", "commands");
	for (i = 0; i < ARRAY_SIZE(copies) && !ret; i++) {
		ret = bench_switch(copies[i]);
		if (ret)
			printf("%6u: the import or the switch failed (%d)\n",
			       copies[i], ret);
	}
	return ret ? 1 : 0;
}
