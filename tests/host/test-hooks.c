// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the hooks that the driver calls with a live SMMU: the
 * store of an L1 descriptor of an inherited 2-level table by
 * arm_smmu_init_l2_strtab(), taken from the patched arm-smmu-v3.c, with
 * the commands it issues recorded, the switch of
 * arm_smmu_kdump_device_reset() on a model of the registers it uses, and
 * arm_smmu_kdump_probe_master() with a PCI function that had ATS, the ASIDs
 * of two SMMUs (the driver's arm_smmu_domain_finalise_s1()), and how
 * the crashed kernel's memory is mapped for a coherent and a non-coherent
 * SMMU.
 *
 * The file under test is included, not linked, so that the tests can set
 * up its private per-SMMU state as the import leaves it.
 */

#include "arm-smmu-v3-kdump.c"

/*
 * What the driver's attach sequence, arm_smmu_attach_prepare() and
 * _commit(), calls besides its devices lists and (7.2) its invalidation
 * arrays.
 */
static bool attach_ats;		/* the master and its SMMU support ATS */

static bool arm_smmu_ats_supported(struct arm_smmu_master *master)
{
	return attach_ats;
}

static void arm_smmu_enable_ats(struct arm_smmu_master *master)
{
}

static int arm_smmu_atc_inv_master(struct arm_smmu_master *master,
				   ioasid_t ssid)
{
	return 0;
}

static void pci_disable_ats(struct pci_dev *pdev)
{
}

#if HOST_KDUMP_LINE == 72
/* The TLBI of an IOTLB tag that no invalidation array holds any more */
static unsigned int nr_tag_flushes;
#define arm_smmu_cmdq_issue_cmd_with_sync(smmu, cmd)	\
	((void)(smmu), (void)(cmd), nr_tag_flushes++)

static int arm_smmu_enable_iopf(struct arm_smmu_master *master,
				struct arm_smmu_master_domain *master_domain)
{
	return 0;
}

static void arm_smmu_disable_iopf(struct arm_smmu_master *master,
				  struct arm_smmu_master_domain *master_domain)
{
}
#endif

#if HOST_KDUMP_LINE == 612
/* What 6.12's arm_smmu_release_device() calls: which STE it installs */
static struct iommu_domain arm_smmu_identity_domain, arm_smmu_blocked_domain;
static unsigned int nr_identity, nr_blocked;

static int arm_smmu_attach_dev_identity(struct iommu_domain *domain,
					struct device *dev)
{
	nr_identity++;
	return 0;
}

static int arm_smmu_attach_dev_blocked(struct iommu_domain *domain,
				       struct device *dev)
{
	nr_blocked++;
	return 0;
}

static void iopf_queue_remove_device(struct iopf_queue *queue,
				     struct device *dev)
{
}

static void arm_smmu_disable_pasid(struct arm_smmu_master *master)
{
}

static void arm_smmu_remove_master(struct arm_smmu_master *master)
{
}

static void arm_smmu_free_cd_tables(struct arm_smmu_master *master)
{
}
#endif

#include "extract-hooks.c"

#include "harness.h"
#include "shim.h"

#define L1_PHYS		0x80000000ULL
#define NR_L1		256
#define L2_DMA		0x40100000ULL

static struct shim_cmd cmds[8];
static bool cmd_smmuen[8];	/* CR0.SMMUEN when cmds[i] was issued */
static unsigned int nr_cmds;

/*
 * The registers arm_smmu_kdump_device_reset() uses. The command queue is
 * the crashed kernel's until its base is written, and the command at its
 * CONS failed: CMDQ_ERR is latched. As on the SMMU, acknowledging
 * CMDQ_ERR while that queue is enabled makes it retry the command, which
 * fails again (IHI 0070 7.1), and no command is consumed while CMDQ_ERR
 * is active.
 */
static struct {
	u8	mmio[SZ_4K];		/* smmu->base */
	u32	cr0, gerror, gerrorn;
	bool	old_queue;
	unsigned int stalled;		/* commands issued with CMDQ_ERR active */
	bool	priq_ours;		/* PRIQ_BASE, _PROD and _CONS written */
	bool	priq_while_on;		/* ... with PRIQEN set */
	u32	gbpa, irq_ctrl;
	/*
	 * When these were first written, as a count of the writes modelled
	 * here (0: never): GBPA with ABORT set, IRQ_CTRL with 0, CR0,
	 * CMDQ_BASE
	 */
	unsigned int writes, gbpa_abort_at, irqs_off_at, cr0_at, cmdq_base_at;
} hw;

/* Other registers (CR1, CR2, STRTAB_BASE, ...) read what hw.mmio holds */
static void hw_set32(u32 off, u32 val)
{
	memcpy(hw.mmio + off, &val, sizeof(val));
}

static void hw_set64(u32 off, u64 val)
{
	memcpy(hw.mmio + off, &val, sizeof(val));
}

static u32 hw_off(const volatile void __iomem *addr)
{
	return (const volatile u8 __iomem *)addr - hw.mmio;
}

u32 readl_relaxed(const volatile void __iomem *addr)
{
	switch (hw_off(addr)) {
	case ARM_SMMU_CR0:
	case ARM_SMMU_CR0ACK:
		return hw.cr0;
	case ARM_SMMU_GERROR:
		return hw.gerror;
	case ARM_SMMU_GERRORN:
		return hw.gerrorn;
	case ARM_SMMU_GBPA:
		return hw.gbpa;
	case ARM_SMMU_IRQ_CTRL:
	case ARM_SMMU_IRQ_CTRLACK:
		return hw.irq_ctrl;
	}
	if (hw_off(addr) <= sizeof(hw.mmio) - sizeof(u32)) {
		u32 val;

		memcpy(&val, hw.mmio + hw_off(addr), sizeof(val));
		return val;
	}
	return 0;
}

u64 readq_relaxed(const volatile void __iomem *addr)
{
	u64 val = 0;

	if (hw_off(addr) <= sizeof(hw.mmio) - sizeof(u64))
		memcpy(&val, hw.mmio + hw_off(addr), sizeof(val));
	return val;
}

void writel(u32 val, volatile void __iomem *addr)
{
	if (hw_off(addr) != ARM_SMMU_GERRORN)
		return;
	hw.gerrorn = val;
	if (hw.old_queue && (hw.cr0 & CR0_CMDQEN) &&
	    !((hw.gerror ^ hw.gerrorn) & GERROR_CMDQ_ERR))
		hw.gerror ^= GERROR_CMDQ_ERR;
}

/* Count a write, and note it in *at if it is the first of its kind */
static void hw_write(unsigned int *at)
{
	hw.writes++;
	if (at && !*at)
		*at = hw.writes;
}

int arm_smmu_write_reg_sync(struct arm_smmu_device *smmu, u32 val,
			    unsigned int reg_off, unsigned int ack_off)
{
	if (reg_off == ARM_SMMU_CR0) {
		hw.cr0 = val;
		hw_write(&hw.cr0_at);
	} else if (reg_off == ARM_SMMU_IRQ_CTRL) {
		hw.irq_ctrl = val;
		hw_write(val ? NULL : &hw.irqs_off_at);
	} else {
		hw_write(NULL);
	}
	return 0;
}

void arm_smmu_write_queue_regs(struct arm_smmu_device *smmu,
			       struct arm_smmu_queue *q, unsigned int base_off)
{
	hw_write(base_off == ARM_SMMU_CMDQ_BASE ? &hw.cmdq_base_at : NULL);
	if (base_off == ARM_SMMU_CMDQ_BASE)
		hw.old_queue = false;
	if (base_off == ARM_SMMU_PRIQ_BASE) {
		hw.priq_ours = true;
		hw.priq_while_on |= hw.cr0 & CR0_PRIQEN;
	}
}

/* What GBPA updates and CMD_SYNCs return: 0, or a timeout */
static int gbpa_ret, sync_ret;

int arm_smmu_update_gbpa(struct arm_smmu_device *smmu, u32 set, u32 clr)
{
	hw.gbpa = (hw.gbpa & ~clr) | set;
	hw_write(set & GBPA_ABORT ? &hw.gbpa_abort_at : NULL);
	return gbpa_ret;
}

int arm_smmu_setup_irqs(struct arm_smmu_device *smmu)
{
	return 0;
}

ktime_t ktime_get(void)
{
	return 0;
}

/* The linear switch writes STRTAB_BASE/_CFG with SMMUEN clear */
void arm_smmu_write_strtab(struct arm_smmu_device *smmu)
{
}

void writel_relaxed(u32 val, volatile void __iomem *addr)
{
}

void writeq_relaxed(u64 val, volatile void __iomem *addr)
{
}

int shim_issue_cmd(struct arm_smmu_device *smmu, const struct shim_cmd *cmd)
{
	if (nr_cmds < ARRAY_SIZE(cmds)) {
		cmds[nr_cmds] = *cmd;
		cmd_smmuen[nr_cmds] = hw.cr0 & CR0_SMMUEN;
	}
	nr_cmds++;
	if ((hw.gerror ^ hw.gerrorn) & GERROR_CMDQ_ERR)
		hw.stalled++;
	return cmd->sync ? sync_ret : 0;
}

/* The coherent allocations of an open devres group, which its release frees */
static struct {
	bool		open;
	unsigned int	nr;
	void		*mem[64];
} dmam_group;

void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp)
{
	void *p = aligned_alloc(SZ_4K, ALIGN(size, SZ_4K));

	if (p) {
		memset(p, 0, size);
		*dma_handle = L2_DMA;
	}
	if (p && dmam_group.open) {
		if (dmam_group.nr == ARRAY_SIZE(dmam_group.mem))
			shim_unreachable("dmam_alloc_coherent, 65 in a group");
		dmam_group.mem[dmam_group.nr++] = p;
	}
	return p;
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle)
{
	unsigned int i;

	for (i = 0; i < dmam_group.nr; i++)
		if (dmam_group.mem[i] == vaddr)
			dmam_group.mem[i] = dmam_group.mem[--dmam_group.nr];
	free(vaddr);
}

struct hooks_env {
	struct arm_smmu_device		smmu;
	struct arm_smmu_kdump		kd;
	struct arm_smmu_strtab_l1	l1[NR_L1];
	struct arm_smmu_strtab_l2	*l2ptrs[NR_L1];
};

/* An SMMU on the crashed kernel's 2-level table, as the import leaves it */
static void hooks_init(struct hooks_env *e, bool switched)
{
	memset(e, 0, sizeof(*e));
	nr_cmds = 0;
	e->smmu.kdump = &e->kd;
	e->smmu.strtab_cfg.l2.l1tab = e->l1;
	e->smmu.strtab_cfg.l2.l2ptrs = e->l2ptrs;
	e->smmu.strtab_cfg.l2.num_l1_ents = NR_L1;
	e->kd.report.adopted = true;
	e->kd.ctx.fmt = STRTAB_BASE_CFG_FMT_2LVL;
	e->kd.ctx.report = &e->kd.report;
	e->kd.ctx.base = L1_PHYS;
	e->kd.ctx.nr_ents = NR_L1;
	e->kd.switched = switched;
	/* Span 1: an L2 table of the crashed kernel in which nothing is live */
	e->l1[1].l2ptr = cpu_to_le64(FIELD_PREP(STRTAB_L1_DESC_SPAN, 9) |
				     0x80010000ULL);
	/* The L1 table as the import read it */
	e->kd.table.l1tab = e->l1;
	e->kd.table.nr_ents = NR_L1;
	e->kd.table.l1_orig = kvcalloc(NR_L1, sizeof(u64), GFP_KERNEL);
	if (!e->kd.table.l1_orig)
		shim_unreachable("kvcalloc");
	e->kd.table.l1_orig[1] = le64_to_cpu(e->l1[1].l2ptr);
	/* The driver's L2 pointers; the copies' DMA addresses until the switch */
	e->kd.table.l2ptrs = e->l2ptrs;
	if (!switched) {
		e->kd.table.l2_dma = kvcalloc(NR_L1, sizeof(dma_addr_t),
					      GFP_KERNEL);
		if (!e->kd.table.l2_dma)
			shim_unreachable("kvcalloc");
	}
}

static void hooks_exit(struct hooks_env *e)
{
	unsigned int i;

	for (i = 0; i < NR_L1; i++)
		free(e->l2ptrs[i]);
	kvfree(e->kd.report.words);
	kvfree(e->kd.table.l1_orig);
	kvfree(e->kd.table.l2_dma);
}

/*
 * After the switch, a device appears in a span whose crashed kernel's
 * descriptor is still valid: its new L2 table is stored, and the span's
 * L1STD, which the SMMU may have cached, is invalidated by a non-leaf
 * CMD_CFGI_STE: the leaf one that follows the STE update does not drop
 * it (IHI 0070 4.3.2).
 */
static void l1_desc_swing_invalidates_l1std(void)
{
	struct hooks_env e;
	u64 old;

	hooks_init(&e, true);
	old = le64_to_cpu(e.l1[1].l2ptr);
	REQUIRE_EQ(arm_smmu_init_l2_strtab(&e.smmu, 0x105), 0);
	REQUIRE(e.l2ptrs[1]);
	CHECK_EQ(le64_to_cpu(e.l1[1].l2ptr) & STRTAB_L1_DESC_L2PTR_MASK, L2_DMA);
	/* The dump gets the original value and the new one */
	REQUIRE_EQ(arm_smmu_kdump_collect_words(&e.kd), 0);
	REQUIRE_EQ(e.kd.report.nr_words, 1);
	CHECK_EQ(e.kd.report.words[0].phys, L1_PHYS + 1 * sizeof(u64));
	CHECK_EQ(e.kd.report.words[0].orig, old);
	CHECK_EQ(e.kd.report.words[0].val, le64_to_cpu(e.l1[1].l2ptr));
	CHECK_EQ(nr_cmds, 1);
	if (nr_cmds >= 1) {
		CHECK_EQ(cmds[0].opcode, CMDQ_OP_CFGI_STE);
		CHECK_EQ(cmds[0].sid, 0x105);
		CHECK_EQ(cmds[0].leaf, false);
		CHECK_EQ(cmds[0].sync, true);
	}
	hooks_exit(&e);
}

/*
 * Before the switch (RMR bypass STEs are installed before the SMMU is
 * reset), the crashed kernel's L1 table is live: nothing is stored in it,
 * the new L2 table joins the switch, and no command is issued on a queue
 * that is not ours yet.
 */
static void l1_desc_before_switch_joins_it(void)
{
	struct hooks_env e;
	u64 old;

	hooks_init(&e, false);
	old = le64_to_cpu(e.l1[1].l2ptr);
	REQUIRE_EQ(arm_smmu_init_l2_strtab(&e.smmu, 0x105), 0);
	REQUIRE(e.l2ptrs[1]);
	CHECK_EQ(le64_to_cpu(e.l1[1].l2ptr), old);
	REQUIRE_EQ(arm_smmu_kdump_collect_words(&e.kd), 0);
	CHECK_EQ(e.kd.report.nr_words, 0);
	CHECK_EQ(nr_cmds, 0);
	CHECK_EQ(e.kd.table.l2_dma[1], L2_DMA);
	hooks_exit(&e);
}

/* Without inheritance the driver behaves as upstream: no command */
static void l1_desc_not_inherited(void)
{
	struct hooks_env e;

	hooks_init(&e, true);
	e.kd.report.adopted = false;
	REQUIRE_EQ(arm_smmu_init_l2_strtab(&e.smmu, 0x105), 0);
	CHECK_EQ(le64_to_cpu(e.l1[1].l2ptr) & STRTAB_L1_DESC_L2PTR_MASK, L2_DMA);
	CHECK_EQ(nr_cmds, 0);
	hooks_exit(&e);
}

/*
 * The crashed kernel left CMDQ_ERR latched (its last command was illegal,
 * and it died before skipping it). The switch acknowledges it once its
 * own queue replaced the old one: every command it issues is consumed,
 * and no error stays active.
 */
static void reset_acks_cmdq_err_on_new_queue(void)
{
	struct hooks_env e;

	hooks_init(&e, false);
	memset(&hw, 0, sizeof(hw));
	hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
	hw.gerror = GERROR_CMDQ_ERR;
	hw.old_queue = true;
	e.smmu.base = (void __iomem *)hw.mmio;
	e.smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB;
	REQUIRE_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
	CHECK(nr_cmds > 0);
	CHECK_EQ(hw.stalled, 0);
	CHECK_EQ(hw.gerror ^ hw.gerrorn, 0);
	CHECK(hw.cr0 & CR0_SMMUEN);
	CHECK(hw.cr0 & CR0_CMDQEN);
	hooks_exit(&e);
}

/*
 * An SMMU with PRI, whose crashed kernel left entries in its PRI queue:
 * the PRI queue stays disabled, but the IRQ thread of a combined
 * interrupt reads its PROD and CONS. They must be ours (empty), written
 * while the queue is disabled, or the thread reads the crashed kernel's
 * PROD and walks our queue's memory as page requests.
 */
static void reset_points_priq_at_ours(void)
{
	struct hooks_env e;

	hooks_init(&e, false);
	memset(&hw, 0, sizeof(hw));
	hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN | CR0_PRIQEN;
	e.smmu.base = (void __iomem *)hw.mmio;
	e.smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB | ARM_SMMU_FEAT_PRI;
	REQUIRE_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
	CHECK(hw.priq_ours);
	CHECK(!hw.priq_while_on);
	CHECK(!(hw.cr0 & CR0_PRIQEN));
	hooks_exit(&e);
}

/*
 * GBPA that does not update and CMD_SYNCs that time out (each logs it) do
 * not fail the reset, as they do not fail the stock one: a failed probe
 * would leave the SMMU disabled for good, with GBPA not known to abort,
 * and every device behind it without DMA. The SMMU ends up enabled on the
 * copies, whichever the table's format.
 */
static void reset_goes_on_after_timeouts(void)
{
	static const u32 fmts[] = {
		STRTAB_BASE_CFG_FMT_2LVL, STRTAB_BASE_CFG_FMT_LINEAR,
	};
	const u32 on = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct hooks_env e;

		hooks_init(&e, false);
		memset(&hw, 0, sizeof(hw));
		hw.cr0 = on;
		e.smmu.base = (void __iomem *)hw.mmio;
		e.smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB;
		e.kd.ctx.fmt = fmts[i];
		if (fmts[i] == STRTAB_BASE_CFG_FMT_LINEAR)
			e.kd.table.nr_ents = 64;
		gbpa_ret = sync_ret = -ETIMEDOUT;
		CHECK_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
		gbpa_ret = sync_ret = 0;
		CHECK(e.kd.switched);
		CHECK_EQ(hw.cr0 & on, on);
		/* CFGI_ALL and TLBI_NSNH_ALL were issued all the same */
		CHECK(nr_cmds >= 2);
		hooks_exit(&e);
	}
}

/*
 * Before its first CR0 write, the reset makes GBPA abort: a failed probe,
 * a shutdown or the window of a linear table must never let a stream
 * bypass the SMMU. And it masks the SMMU's interrupts (IRQ_CTRL 0,
 * acknowledged) before it replaces the crashed kernel's queues: no
 * interrupt may be signalled through the crashed kernel's MSI
 * configuration. Whichever the table's format.
 */
static void reset_aborts_bypass_and_masks_irqs_first(void)
{
	static const u32 fmts[] = {
		STRTAB_BASE_CFG_FMT_2LVL, STRTAB_BASE_CFG_FMT_LINEAR,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct hooks_env e;

		hooks_init(&e, false);
		memset(&hw, 0, sizeof(hw));
		hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
		/* As the crashed kernel left them */
		hw.irq_ctrl = IRQ_CTRL_EVTQ_IRQEN | IRQ_CTRL_GERROR_IRQEN;
		e.smmu.base = (void __iomem *)hw.mmio;
		e.smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB;
		e.kd.ctx.fmt = fmts[i];
		if (fmts[i] == STRTAB_BASE_CFG_FMT_LINEAR)
			e.kd.table.nr_ents = 64;
		REQUIRE_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
		CHECK(hw.gbpa & GBPA_ABORT);
		CHECK(hw.gbpa_abort_at);
		CHECK(hw.cr0_at);
		CHECK(hw.gbpa_abort_at < hw.cr0_at);
		CHECK(hw.irqs_off_at);
		CHECK(hw.cmdq_base_at);
		CHECK(hw.irqs_off_at < hw.cmdq_base_at);
		CHECK(hw.irqs_off_at < hw.cr0_at);
		hooks_exit(&e);
	}
}

/* CMD_STALL_TERM, which the driver issued nowhere before kdump */
#define OP_STALL_TERM	0x45

/*
 * The 2-level switch leaves SMMUEN set, and stalled transactions outlive a
 * CMD_CFGI_ALL (IHI 0070 4.7.2): on an SMMU that stalls, every StreamID the
 * crashed kernel gave DMA gets a CMD_STALL_TERM after the CMD_CFGI_ALL, and
 * a CMD_SYNC completes it; a kept one's is harmless, as its STE cannot
 * stall. On an SMMU without stalls the command would be illegal: none.
 */
static void reset_2lvl_terminates_stalls(void)
{
	static const u32 sids[] = { 5, 7 };
	unsigned int i, j, nr, cfgi, synced;
	bool stalls;

	for (stalls = false; ; stalls = true) {
		struct arm_smmu_kdump_sid rec[2] = {
			{ .sid = sids[0], .reason = ARM_SMMU_KDUMP_ABORT_UNLISTED },
			{ .sid = sids[1], .reason = ARM_SMMU_KDUMP_KEPT_LISTED },
		};
		struct hooks_env e;

		hooks_init(&e, false);
		memset(&hw, 0, sizeof(hw));
		hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
		e.smmu.base = (void __iomem *)hw.mmio;
		e.smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB |
				  (stalls ? ARM_SMMU_FEAT_STALLS : 0);
		e.kd.report.sids = rec;
		e.kd.report.nr_sids = ARRAY_SIZE(rec);
		REQUIRE_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
		REQUIRE(nr_cmds <= ARRAY_SIZE(cmds));
		for (i = 0, nr = 0, cfgi = nr_cmds, synced = 0; i < nr_cmds; i++) {
			if (cmds[i].opcode == CMDQ_OP_CFGI_ALL && cfgi == nr_cmds)
				cfgi = i;
			if (cmds[i].opcode != OP_STALL_TERM)
				continue;
			CHECK(i > cfgi);
			CHECK_EQ(cmds[i].sid, sids[nr % 2]);
			nr++;
			/* This command, or one after it, waits for completion */
			for (j = i; j < nr_cmds; j++)
				if (cmds[j].sync) {
					synced++;
					break;
				}
		}
		CHECK_EQ(nr, stalls ? 2 : 0);
		CHECK_EQ(synced, nr);
		e.kd.report.sids = NULL;
		hooks_exit(&e);
		if (stalls)
			break;
	}
}

/*
 * A CMD_SYNC that times out after the switch's CMD_CFGI_ALL leaves a
 * command queue that may no longer move: a CMD_STALL_TERM per StreamID,
 * issued without waiting, would fill it, and the driver then waits for
 * room without end (the crash kernel hangs in the SMMU probe, no dump).
 * 7.2 issues none then; 6.12 waits for each and stops at the first.
 */
static void reset_2lvl_stopped_queue_no_stall_flood(void)
{
	struct arm_smmu_kdump_sid rec[64];
	unsigned int i, nr = 0;
	struct hooks_env e;

	memset(rec, 0, sizeof(rec));
	for (i = 0; i < ARRAY_SIZE(rec); i++) {
		rec[i].sid = i;
		rec[i].reason = ARM_SMMU_KDUMP_ABORT_UNLISTED;
	}
	hooks_init(&e, false);
	memset(&hw, 0, sizeof(hw));
	hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
	e.smmu.base = (void __iomem *)hw.mmio;
	e.smmu.features = ARM_SMMU_FEAT_2_LVL_STRTAB | ARM_SMMU_FEAT_STALLS;
	e.kd.report.sids = rec;
	e.kd.report.nr_sids = ARRAY_SIZE(rec);
	sync_ret = -ETIMEDOUT;
	CHECK_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
	sync_ret = 0;
	CHECK(e.kd.switched);
	/* Fewer commands than the record holds: none of them lost */
	CHECK(nr_cmds <= ARRAY_SIZE(cmds));
	for (i = 0; i < min_t(unsigned int, nr_cmds, ARRAY_SIZE(cmds)); i++)
		nr += cmds[i].opcode == OP_STALL_TERM;
	CHECK(nr <= 1);
	e.kd.report.sids = NULL;
	hooks_exit(&e);
}

#if HOST_KDUMP_LINE == 612
/*
 * 6.12 encodes a command from a struct arm_smmu_cmdq_ent, and drops one
 * whose opcode its encoder does not know (with a warning, -EINVAL): the
 * CMD_STALL_TERM of the 2-level switch needs its case, SID as RESUME's.
 */
static void stall_term_encoded(void)
{
	struct arm_smmu_cmdq_ent ent = {
		.opcode	= CMDQ_OP_STALL_TERM,
		.resume	= { .sid = 0x12345 },
	};
	u64 cmd[CMDQ_ENT_DWORDS];

	CHECK_EQ(arm_smmu_cmdq_build_cmd(cmd, &ent), 0);
	CHECK_EQ(FIELD_GET(CMDQ_0_OP, cmd[0]), 0x45);
	CHECK_EQ(FIELD_GET(CMDQ_RESUME_0_SID, cmd[0]), 0x12345);
	CHECK_EQ(cmd[0] & ~(CMDQ_0_OP | CMDQ_RESUME_0_SID), 0);
	CHECK_EQ(cmd[1], 0);
}
#endif

/*
 * A linear table is re-based with SMMUEN clear: the cached STEs of the
 * crashed kernel are invalidated before SMMUEN is set again, so that no
 * stream whose DMA was aborted translates through one after the window.
 */
static void reset_linear_invalidates_before_enable(void)
{
	struct hooks_env e;
	unsigned int i, cfgi = ARRAY_SIZE(cmds);

	hooks_init(&e, false);
	memset(&hw, 0, sizeof(hw));
	hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
	e.smmu.base = (void __iomem *)hw.mmio;
	e.kd.ctx.fmt = STRTAB_BASE_CFG_FMT_LINEAR;
	e.kd.table.nr_ents = 64;
	REQUIRE_EQ(arm_smmu_kdump_device_reset(&e.smmu), 0);
	for (i = 0; i < min_t(unsigned int, nr_cmds, ARRAY_SIZE(cmds)); i++) {
		if (cmds[i].opcode == CMDQ_OP_CFGI_ALL) {
			cfgi = i;
			break;
		}
	}
	REQUIRE(cfgi < ARRAY_SIZE(cmds));
	CHECK(!cmd_smmuen[cfgi]);
	CHECK(cmds[cfgi].sync);
	CHECK(hw.cr0 & CR0_SMMUEN);
	hooks_exit(&e);
}

/*
 * A PCI function with an ATS capability, enabled by the crashed kernel, as
 * the PCI core shows it to arm_smmu_kdump_probe_master(): the tests see
 * its ATS Control register and whether ATS was still on at its reset.
 */
#define SID		0x300
#define ATS_CAP		0x100

static struct {
	struct pci_dev	pdev;
	u16		ats_ctrl;
	unsigned int	resets;
	bool		ats_at_reset;
	bool		no_flr;		/* no Function Level Reset */
	bool		flr_fails;	/* it does not come back from an FLR */
	bool		quirk;		/* a device-specific reset method */
	unsigned int	quirk_resets;	/* by that method */
	bool		master_at_flr;	/* bus mastering as a bare FLR starts */
	unsigned int	bus_resets;	/* hitting its siblings */
	bool		locked, master;	/* device lock; bus mastering */
	bool		bridge;		/* a PCI-to-PCI bridge, a root port */
} fn;

bool dev_is_pci(struct device *dev)
{
	return dev == &fn.pdev.dev;
}

bool pci_is_bridge(struct pci_dev *dev)
{
	return dev == &fn.pdev && fn.bridge;
}

int pci_find_ext_capability(struct pci_dev *dev, int cap)
{
	return cap == PCI_EXT_CAP_ID_ATS ? ATS_CAP : 0;
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	if (where == ATS_CAP + PCI_ATS_CTRL)
		fn.ats_ctrl = val;
	return 0;
}

static int fn_reset(void)
{
	fn.resets++;
	fn.ats_at_reset = fn.ats_ctrl & PCI_ATS_CTRL_ENABLE;
	return 0;
}

/* 6.12 probes a device for its IOMMU as its driver binds, 7.2 before */
static bool probed_at_bind(void)
{
	return HOST_KDUMP_LINE == 612;
}

/*
 * The PCI core's reset methods in its order: FLR, then, if there is none
 * or it fails (-ENOTTY), a reset of the bus, which the PCI core allows when
 * the function is alone on its bus as far as it knows.
 */
static int fn_reset_methods(void)
{
	if (!fn.no_flr && !fn.flr_fails)
		return fn_reset();
	fn.bus_resets++;
	return 0;
}

int pci_try_reset_function(struct pci_dev *dev)
{
	return fn_reset_methods();
}

int pci_reset_function_locked(struct pci_dev *dev)
{
	return fn_reset_methods();
}

int pcie_reset_flr(struct pci_dev *dev, bool probe)
{
	if (fn.no_flr || (!probe && fn.flr_fails))
		return -ENOTTY;
	CHECK(probe || (!fn.master && (fn.locked || probed_at_bind())));
	if (!probe)
		fn.master_at_flr = fn.master;
	return probe ? 0 : fn_reset();
}

/*
 * A quirk of the PCI core's pci_dev_reset_methods[] (a Chelsio T4's: bus
 * mastering back on through its FLR, which it issues itself; an NVMe
 * controller's: more time after it), called as pcie_reset_flr() is
 */
int pci_dev_specific_reset(struct pci_dev *dev, bool probe)
{
	if (!fn.quirk)
		return -ENOTTY;
	if (probe)
		return 0;
	CHECK(!fn.master && (fn.locked || probed_at_bind()));
	fn.quirk_resets++;
	fn.master = true;
	return fn_reset();
}

int pci_dev_trylock(struct pci_dev *dev)
{
	fn.locked = true;
	return 1;
}

void pci_dev_unlock(struct pci_dev *dev)
{
	fn.locked = false;
}

int pci_save_state(struct pci_dev *dev)
{
	return 0;
}

void pci_clear_master(struct pci_dev *dev)
{
	fn.master = false;
}

void pci_restore_state(struct pci_dev *dev)
{
	fn.master = true;
}

/* The STEs the switch installed for SID and ALIAS, which the probe reads */
#define ALIAS		0x308
static struct arm_smmu_ste installed, installed_alias;

struct arm_smmu_ste *arm_smmu_get_step_for_sid(struct arm_smmu_device *smmu,
					       u32 sid)
{
	return sid == ALIAS ? &installed_alias : &installed;
}

struct probe_env {
	struct hooks_env		h;
	struct arm_smmu_kdump_sid	rec[2];
	struct arm_smmu_stream		stream[2];
	struct arm_smmu_master		master;
};

/*
 * An inherited SMMU whose crashed kernel gave SID DMA with ATS (EATS set),
 * the function behind it with ATS on and FLR, probed by the IOMMU core
 * (for 6.12: with its driver bound, see arm_smmu_kdump_reset_master()).
 */
static void probe_init(struct probe_env *e)
{
	static struct device_driver *drv = (struct device_driver *)&fn;

	memset(e, 0, sizeof(*e));
	hooks_init(&e->h, true);
	memset(&fn, 0, sizeof(fn));
	fn.ats_ctrl = PCI_ATS_CTRL_ENABLE;
	fn.master = true;
	if (probed_at_bind())
		fn.pdev.dev.driver = drv;
	e->h.kd.ctx.split = STRTAB_SPLIT;
	e->rec[0].sid = SID;
	e->rec[1].sid = ALIAS;
	e->h.kd.report.sids = e->rec;
	e->h.kd.report.nr_sids = 1;
	e->stream[0].id = SID;
	e->stream[1].id = ALIAS;
	e->master.smmu = &e->h.smmu;
	e->master.dev = &fn.pdev.dev;
	e->master.streams = e->stream;
	e->master.num_streams = 1;
}

static void probe_exit(struct probe_env *e)
{
	e->h.kd.report.sids = NULL;
	hooks_exit(&e->h);
}

/*
 * Aborted at the switch (not listed): the abort STE has EATS 0, and ATS is
 * off before the function is reset, so that a function that cannot be
 * reset makes no translated requests either.
 */
static void probe_aborted_ats_off_before_reset(void)
{
	struct probe_env e;

	probe_init(&e);
	arm_smmu_make_abort_ste(&installed);
	CHECK_EQ(FIELD_GET(STRTAB_STE_1_EATS, le64_to_cpu(installed.data[1])), 0);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 1);
	CHECK_EQ(fn.ats_at_reset, false);
	CHECK_EQ(fn.ats_ctrl & PCI_ATS_CTRL_ENABLE, 0);
	CHECK_EQ(e.master.kdump_kept, false);
	probe_exit(&e);
}

/*
 * Probe a master that the switch aborted and that is not to be reset: no
 * reset, no deferred attach, and @warnings lines.
 */
static void probe_aborted_not_reset(struct probe_env *e, unsigned int warnings)
{
	unsigned int msgs = shim_nr_msgs;

	arm_smmu_make_abort_ste(&installed);
	arm_smmu_kdump_probe_master(&e->master);
	CHECK_EQ(shim_nr_msgs, msgs + warnings);
	CHECK_EQ(fn.resets, 0);
	CHECK_EQ(e->master.kdump_kept, false);
	probe_exit(e);
}

/*
 * A platform device whose DMA was aborted is not reset (device_reset() is
 * not called: its reset line may be shared with a kept device); it gets
 * the warning of a device that cannot be reset, and no deferred attach.
 */
static void probe_aborted_platform_not_reset(void)
{
	struct device plat = { .name = "platform" };
	struct probe_env e;

	probe_init(&e);
	e.master.dev = &plat;
	probe_aborted_not_reset(&e, 1);
}

/*
 * A host bridge's function (QEMU's 00:00.0) does no DMA, although the
 * crashed kernel gave it a domain: aborted, it is neither reset nor
 * reported as a device that cannot be reset.
 */
static void probe_aborted_host_bridge_quiet(void)
{
	struct probe_env e;

	probe_init(&e);
	fn.pdev.class = PCI_CLASS_BRIDGE_HOST << 8;
	probe_aborted_not_reset(&e, 0);
}

/*
 * Without FLR the PCI core would fall back to a bus reset, which hits the
 * function's siblings, kept ones included, and those the bus scan has not
 * added yet: no reset, and the warning of a device that cannot be reset.
 * ATS is off all the same.
 */
static void probe_aborted_without_flr_not_reset(void)
{
	struct probe_env e;

	probe_init(&e);
	fn.no_flr = true;
	probe_aborted_not_reset(&e, 1);
	CHECK_EQ(fn.ats_ctrl & PCI_ATS_CTRL_ENABLE, 0);
}

/*
 * An FLR that fails (a function that does not come back from it, like one
 * that wedged the crashed kernel): the PCI core's reset functions would go
 * on to a bus reset, which the PCI core allows when the function is alone
 * on its bus as far as it knows, while its other functions, kept ones
 * included, may not be on the bus yet. FLR alone, and the warning of a
 * device that cannot be reset.
 */
static void probe_aborted_flr_fails_no_bus_reset(void)
{
	struct probe_env e;

	probe_init(&e);
	fn.flr_fails = true;
	probe_aborted_not_reset(&e, 1);
	CHECK_EQ(fn.bus_resets, 0);
	CHECK_EQ(fn.locked, false);
	CHECK_EQ(fn.master, true);
}

/*
 * A function that the PCI core resets by a device-specific method (a quirk
 * for a device that a plain FLR breaks: a Chelsio T4 wedges with bus
 * mastering off, some NVMe controllers need 250 ms more) is reset by that
 * method, never by a bare FLR; one without a quirk, by FLR alone.
 */
static void probe_aborted_quirk_reset(void)
{
	struct probe_env e;

	probe_init(&e);
	fn.quirk = true;
	arm_smmu_make_abort_ste(&installed);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 1);
	CHECK_EQ(fn.quirk_resets, 1);
	CHECK_EQ(fn.locked, false);
	probe_exit(&e);

	probe_init(&e);
	arm_smmu_make_abort_ste(&installed);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 1);
	CHECK_EQ(fn.quirk_resets, 0);
	CHECK_EQ(fn.master_at_flr, false);
	probe_exit(&e);
}

/*
 * 7.2: an IOMMU that probes after a driver bound the function (a modular
 * SMMU driver) does not reset it under that driver.
 */
static void probe_aborted_bound_not_reset(void)
{
	static struct device_driver *drv = (struct device_driver *)&fn;
	struct probe_env e;

	if (probed_at_bind())
		return;
	probe_init(&e);
	fn.pdev.dev.driver = drv;
	probe_aborted_not_reset(&e, 1);
}

/*
 * A StreamID's inherited decision is taken once, by the first probe. A
 * device added again (unplugged and rescanned, a VF re-created) finds an
 * STE this kernel wrote: the abort STE of its release, which must not
 * reset it as a device whose DMA kdump aborted, or, for a device with
 * RMRs, an identity one, which must not keep it (bypassing) until its
 * driver first uses the DMA API.
 */
static void probe_again_is_a_new_device(void)
{
	struct probe_env e;

	probe_init(&e);
	arm_smmu_make_abort_ste(&installed);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 1);
	/* Released onto the blocked domain's STE, then added again */
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 1);
	CHECK_EQ(e.master.kdump_kept, false);
	/* Or onto the identity domain's */
	memset(&installed, 0, sizeof(installed));
	installed.data[0] = cpu_to_le64(STRTAB_STE_0_V |
					FIELD_PREP(STRTAB_STE_0_CFG,
						   STRTAB_STE_0_CFG_BYPASS));
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(e.master.kdump_kept, false);
	CHECK_EQ(fn.resets, 1);
	probe_exit(&e);
}

/* A stage 1 STE that the switch kept for SID, with or without EATS */
static void install_s1(bool eats)
{
	memset(&installed, 0, sizeof(installed));
	installed.data[0] = cpu_to_le64(STRTAB_STE_0_V |
					FIELD_PREP(STRTAB_STE_0_CFG,
						   STRTAB_STE_0_CFG_S1_TRANS));
	if (eats)
		installed.data[1] =
			cpu_to_le64(FIELD_PREP(STRTAB_STE_1_EATS,
					       STRTAB_STE_1_EATS_TRANS));
}

/*
 * Kept with EATS set: no reset, ATS left as it is, and the master is marked
 * for the ATC invalidation that arm_smmu_install_ste_for_dev() does when
 * the function's driver installs its first STE.
 */
static void probe_kept_ats_marked(void)
{
	struct probe_env e;

	probe_init(&e);
	install_s1(true);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 0);
	CHECK_EQ(fn.ats_ctrl, PCI_ATS_CTRL_ENABLE);
	CHECK_EQ(e.master.kdump_kept, true);
	CHECK_EQ(e.master.kdump_ats, true);
	probe_exit(&e);
}

/* Kept without ATS: the driver's STE needs no ATC invalidation */
static void probe_kept_no_ats(void)
{
	struct probe_env e;

	probe_init(&e);
	install_s1(false);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(e.master.kdump_kept, true);
	CHECK_EQ(e.master.kdump_ats, false);
	probe_exit(&e);
}

/*
 * A bridge (a root port under pcieport) whose STE was kept is not left
 * deferred: its own RID carries only MSIs, whose doorbell the core maps in
 * its new default domain, which it must use at once. Nor is it reset.
 */
static void probe_kept_bridge_attached(void)
{
	struct probe_env e;

	probe_init(&e);
	fn.bridge = true;
	install_s1(false);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(e.master.kdump_kept, false);
	CHECK_EQ(fn.resets, 0);
	probe_exit(&e);
}

/*
 * A function with a DMA alias (a second StreamID, e.g. behind a PCIe-to-PCI
 * bridge), both given DMA by the crashed kernel: its own StreamID was
 * kept, the alias aborted (kdump_keep names the function, whose alias
 * was not resolved). It is kept, not reset: a reset would abort the DMA
 * of the device that the list named.
 */
static void probe_kept_with_aborted_alias(void)
{
	struct probe_env e;

	probe_init(&e);
	e.h.kd.report.nr_sids = 2;
	e.master.num_streams = 2;
	install_s1(true);
	arm_smmu_make_abort_ste(&installed_alias);
	arm_smmu_kdump_probe_master(&e.master);
	CHECK_EQ(fn.resets, 0);
	CHECK_EQ(fn.ats_ctrl, PCI_ATS_CTRL_ENABLE);
	CHECK_EQ(e.master.kdump_kept, true);
	CHECK_EQ(e.master.kdump_ats, true);
	probe_exit(&e);
}

/*
 * Only the master's own num_streams StreamIDs are looked at: ALIAS, which
 * had DMA at the crash too, belongs to another master here, whose probe
 * has yet to decide about it.
 */
static void probe_only_own_streams(void)
{
	struct probe_env e;
	unsigned int msgs;

	probe_init(&e);
	e.h.kd.report.nr_sids = 2;
	install_s1(true);
	arm_smmu_make_abort_ste(&installed_alias);
	msgs = shim_nr_msgs;
	arm_smmu_kdump_probe_master(&e.master);
	CHECK(e.rec[0].probed);
	CHECK(!e.rec[1].probed);
	CHECK_EQ(e.master.kdump_kept, true);
	/* Not "kept, but the DMA of some of its StreamIDs was aborted" */
	CHECK_EQ(shim_nr_msgs - msgs, 0);
	probe_exit(&e);
}

/* memremap() as the import's mapping of old memory calls it */
static struct {
	u64		phys;
	unsigned long	flags;
	unsigned int	calls;
} remap;

void *memremap(resource_size_t offset, size_t size, unsigned long flags)
{
	static u8 page[SZ_4K];

	remap.phys = offset;
	remap.flags = flags;
	remap.calls++;
	return page;
}

void memunmap(void *addr)
{
}

/*
 * The crashed kernel's tables, which the SMMU reads and the switch writes
 * (the old L1 table), are mapped cacheable for a coherent SMMU, and
 * non-cacheable for a non-coherent one, which reads past the caches.
 */
static void old_memory_attributes_follow_coherency(void)
{
	struct arm_smmu_device smmu = {};
	struct arm_smmu_kdump_ctx ctx = { .smmu = &smmu };

	smmu.features = ARM_SMMU_FEAT_COHERENCY;
	memset(&remap, 0, sizeof(remap));
	REQUIRE(arm_smmu_kdump_mem_ops.map(&ctx, 0x41000000, SZ_4K));
	CHECK_EQ(remap.calls, 1);
	CHECK_EQ(remap.phys, 0x41000000);
	CHECK_EQ(remap.flags, MEMREMAP_WB);
	arm_smmu_kdump_mem_ops.unmap(&ctx, NULL);

	smmu.features = 0;
	REQUIRE(arm_smmu_kdump_mem_ops.map(&ctx, 0x41000000, SZ_4K));
	CHECK_EQ(remap.calls, 2);
	CHECK_EQ(remap.flags, MEMREMAP_WC);
}

/*
 * Two SMMUs, the second one's import after the first one has domains (the
 * SMMUs probe one after the other, or in parallel): the driver's domains
 * take ASIDs from their own SMMU's allocator, from 1, so SMMU A's first
 * domain does not take the crashed kernel's ASID 1 from SMMU B, which
 * keeps a CD with it, and B's own domains skip it.
 */
static void asids_per_smmu(void)
{
	struct arm_smmu_device a = { .asid_bits = 16 }, b = { .asid_bits = 16 };
	struct arm_smmu_domain da = {}, db = {};
	struct arm_smmu_kdump_ctx ctx = { .smmu = &b };

	xa_init_flags(&a.asid_map, XA_FLAGS_ALLOC1);
	xa_init_flags(&b.asid_map, XA_FLAGS_ALLOC1);
	REQUIRE_EQ(arm_smmu_domain_finalise_s1(&a, &da), 0);
	CHECK_EQ(da.cd.asid, 1);

	/* B's import, with the allocators arm_smmu_kdump_prepare() gives it */
	ctx.asid_xa = &b.asid_map;
	ctx.vmid_ida = &b.vmid_map;
	ida_init(&b.vmid_map);
	CHECK_EQ(arm_smmu_kdump_reserve_asid(&ctx, 1), 0);
	/* A failed import empties B's allocators, and only B's */
	arm_smmu_kdump_release_ids(&ctx);
	CHECK(xa_empty(&b.asid_map));
	CHECK(xa_load(&a.asid_map, 1) == &da);

	CHECK_EQ(arm_smmu_kdump_reserve_asid(&ctx, 1), 0);
	REQUIRE_EQ(arm_smmu_domain_finalise_s1(&b, &db), 0);
	CHECK_EQ(db.cd.asid, 2);
	CHECK(xa_load(&a.asid_map, 1) == &da);
	xa_destroy(&a.asid_map);
	xa_destroy(&b.asid_map);
	ida_destroy(&b.vmid_map);
}

/*
 * The import takes an ID found in the SMMU's allocators for its own, which
 * holds because nothing allocates from them before the SMMU registers. If
 * that ever changes (a domain finalised before arm_smmu_init_strtab()), the
 * import warns and the SMMU is reset, leaving the allocators alone.
 */
static void prepare_refuses_used_allocators(void)
{
	struct arm_smmu_device smmu = { .asid_bits = 16 };
	struct arm_smmu_kdump kd = {};
	unsigned int bugs = shim_nr_bugs;
	struct device dev = {};
	static int domain;

	smmu.dev = &dev;
	xa_init_flags(&smmu.asid_map, XA_FLAGS_ALLOC1);
	ida_init(&smmu.vmid_map);
	REQUIRE_EQ(xa_insert(&smmu.asid_map, 1, &domain, GFP_KERNEL), 0);
	kd.report.regs.cr1 = arm_smmu_cr1();
	kd.ctx.smmu = &smmu;
	kd.ctx.dev = &dev;
	CHECK_EQ(arm_smmu_kdump_prepare(&smmu, &kd, &kd.ctx), -EBUSY);
	CHECK_EQ(shim_nr_bugs, bugs + 1);
	shim_nr_bugs = bugs;
	CHECK(xa_load(&smmu.asid_map, 1) == &domain);
	CHECK(!kd.report.nr_sids);
	xa_destroy(&smmu.asid_map);
	ida_destroy(&smmu.vmid_map);
}

/* arm_smmu_kdump_check_state() on @regs; a refusal says why, once */
static int state_verdict(u32 features, bool impl,
			 const struct arm_smmu_kdump_regs *regs)
{
	static const struct arm_smmu_impl_ops ops;
	static struct device dev;
	struct arm_smmu_device smmu = {
		.dev		= &dev,
		.features	= features,
		.impl_ops	= impl ? &ops : NULL,
	};
	unsigned int msgs = shim_nr_msgs;
	int ret;

	ret = arm_smmu_kdump_check_state(&smmu, regs);
	CHECK_EQ(shim_nr_msgs - msgs, ret ? 1 : 0);
	return ret;
}

/*
 * The SMMU states in which the crashed kernel's configuration is not
 * touched at all (the driver then resets the SMMU as usual), each alone:
 * a CR0 update in progress (CR0ACK != CR0), an active GERROR.SFM_ERR
 * (service failure mode), table and queue attributes in CR1 other than
 * the ones this driver writes (arm_smmu_cr1(); CR1 cannot change while
 * SMMUEN is set), CR2.E2H set without this kernel using it or clear with
 * it, and an implementation-specific SMMU (-EOPNOTSUPP). A state with
 * none of them is accepted: an acknowledged SFM_ERR, another active
 * global error, E2H used by both kernels.
 */
static void check_state_refusals(void)
{
	const u32 on = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
	const struct arm_smmu_kdump_regs good = {
		.cr0		= on,
		.cr0ack		= on,
		.cr1		= arm_smmu_cr1(),
		.gerror		= GERROR_SFM_ERR | GERROR_CMDQ_ERR,
		.gerrorn	= GERROR_SFM_ERR,
	};
	struct arm_smmu_kdump_regs r = good;

	CHECK_EQ(state_verdict(0, false, &r), 0);
	/* E2H: the crashed kernel's CR2 against this kernel's feature */
	CHECK_EQ(state_verdict(ARM_SMMU_FEAT_E2H, false, &r), -EINVAL);
	r.cr2 = CR2_E2H;
	CHECK_EQ(state_verdict(ARM_SMMU_FEAT_E2H, false, &r), 0);
	CHECK_EQ(state_verdict(0, false, &r), -EINVAL);

	r = good;
	r.cr0ack = on & ~CR0_EVTQEN;
	CHECK_EQ(state_verdict(0, false, &r), -EINVAL);
	r = good;
	r.cr0 = on & ~CR0_SMMUEN;
	CHECK_EQ(state_verdict(0, false, &r), -EINVAL);

	/* SFM_ERR raised again after its last acknowledgement */
	r = good;
	r.gerrorn = 0;
	CHECK_EQ(state_verdict(0, false, &r), -EINVAL);

	/* Non-cacheable tables and queues, or another shareability */
	r = good;
	r.cr1 = 0;
	CHECK_EQ(state_verdict(0, false, &r), -EINVAL);
	r.cr1 = arm_smmu_cr1() ^ CR1_TABLE_SH;
	CHECK_EQ(state_verdict(0, false, &r), -EINVAL);

	r = good;
	CHECK_EQ(state_verdict(0, true, &r), -EOPNOTSUPP);
}

/*
 * arm_smmu_kdump_init_strtab() as the probe calls it, on the register
 * model hw: a kdump kernel whose old memory is [INIT_OLD, +16MB), whose
 * own RAM is init_own, with 256MB of RAM, and devres that the test
 * releases. The SMMU (SIDSIZE 6) is enabled on a linear table of the
 * crashed kernel at INIT_STRTAB, mapped as the zeroed page of memremap()
 * above (no STE valid).
 */
#define INIT_OLD	0x80000000ULL
#define INIT_STRTAB	(INIT_OLD + SZ_8M)

static struct range init_own;

static struct {
	void		*mem[2];
	unsigned int	nr_mem;
	void		(*action)(void *);
	void		*data;
} devres;

static bool not_kdump;		/* a normal boot: the hooks stay out */
static bool passthrough;	/* iommu.passthrough=1 in the crash kernel */

bool is_kdump_kernel(void)
{
	return !not_kdump;
}

bool iommu_default_passthrough(void)
{
	return passthrough;
}

/* Devres out of memory: the next devm_kzalloc() or devm_add_action_or_reset() */
static bool devm_kzalloc_fails, devm_action_fails;
static unsigned int devm_actions_run;

void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	if (devres.nr_mem == ARRAY_SIZE(devres.mem))
		shim_unreachable("devm_kzalloc, a third time");
	if (devm_kzalloc_fails)
		return NULL;
	return devres.mem[devres.nr_mem++] = calloc(1, size);
}

/* Like devres: an action that cannot be added is run at once */
int devm_add_action_or_reset(struct device *dev, void (*action)(void *),
			     void *data)
{
	if (devres.action)
		shim_unreachable("devm_add_action_or_reset, a second time");
	if (devm_action_fails) {
		action(data);
		devm_actions_run++;
		return -ENOMEM;
	}
	devres.action = action;
	devres.data = data;
	return 0;
}

void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{
	dmam_group.open = true;
	dmam_group.nr = 0;
	return &devres;
}

void devres_release_group(struct device *dev, void *id)
{
	while (dmam_group.nr)
		free(dmam_group.mem[--dmam_group.nr]);
	dmam_group.open = false;
}

/* What the group holds is the device's from now on (init_exit() frees it) */
void devres_remove_group(struct device *dev, void *id)
{
	dmam_group.nr = 0;
	dmam_group.open = false;
}

/* What the walks of old memory and of our RAM return, 0 or an error */
static int old_walk_ret, own_walk_ret;

int vmcore_walk_oldmem(int (*fn)(u64 start, u64 size, void *arg), void *arg)
{
	return old_walk_ret ?: fn(INIT_OLD, SZ_16M, arg);
}

int walk_iomem_res_desc(unsigned long desc, unsigned long flags, u64 start,
			u64 end, void *arg,
			int (*func)(struct resource *, void *))
{
	struct resource res = { .start = init_own.start, .end = init_own.end };

	return own_walk_ret ?: func(&res, arg);
}

unsigned long totalram_pages(void)
{
	return SZ_256M >> PAGE_SHIFT;
}

static void init_setup(struct arm_smmu_device *smmu, struct device *dev)
{
	memset(&hw, 0, sizeof(hw));
	memset(&remap, 0, sizeof(remap));
	hw.cr0 = CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN;
	hw_set32(ARM_SMMU_CR1, arm_smmu_cr1());
	hw_set64(ARM_SMMU_STRTAB_BASE, INIT_STRTAB | STRTAB_BASE_RA);
	hw_set32(ARM_SMMU_STRTAB_BASE_CFG,
		 FIELD_PREP(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
		 FIELD_PREP(STRTAB_BASE_CFG_LOG2SIZE, 6));
	memset(smmu, 0, sizeof(*smmu));
	smmu->dev = dev;
	smmu->base = smmu->page1 = (void __iomem *)hw.mmio;
	smmu->features = ARM_SMMU_FEAT_COHERENCY;
	smmu->sid_bits = 6;
	smmu->asid_bits = smmu->vmid_bits = 16;
	smmu->oas = 48;
	xa_init_flags(&smmu->asid_map, XA_FLAGS_ALLOC1);
	ida_init(&smmu->vmid_map);
	/* The crash kernel's RAM, below the crashed kernel's */
	init_own = (struct range){ .start = 0x40000000, .end = 0x4fffffff };
	kdump_mode = "keep-all";
}

static void init_exit(struct arm_smmu_device *smmu)
{
	unsigned int i;

	if (devres.action)
		devres.action(devres.data);
	for (i = 0; i < devres.nr_mem; i++)
		free(devres.mem[i]);
	memset(&devres, 0, sizeof(devres));
	smmu->kdump = NULL;
	/* The copy, which the driver would free with the SMMU's devres */
	free(smmu->strtab_cfg.linear.table);
	xa_destroy(&smmu->asid_map);
	ida_destroy(&smmu->vmid_map);
	kdump_mode = NULL;
}

/*
 * The budget of L2 copies counts the pages each one takes: 16KB on 4K and
 * 16K kernels, a whole 64KB page on 64K ones, where 1/8 of 256MB holds 512
 * copies, not 2,048.
 */
static void init_strtab_l2_budget_in_pages(void)
{
	static const unsigned int shifts[] = { 12, 14, 16 };
	struct arm_smmu_device smmu;
	struct device dev = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shifts); i++) {
		init_setup(&smmu, &dev);
		shim_page_shift = shifts[i];
		CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), 0);
		shim_page_shift = 12;
		REQUIRE(smmu.kdump);
		CHECK_EQ(smmu.kdump->ctx.max_l2,
			 SZ_32M / max_t(unsigned long, 1UL << shifts[i], SZ_16K));
		init_exit(&smmu);
	}
}

/*
 * The import refused with @err: one message says why, nothing is adopted
 * and no old memory mapped (the driver then resets the SMMU).
 */
static void init_refused(struct arm_smmu_device *smmu, int err)
{
	unsigned int msgs = shim_nr_msgs;

	CHECK_EQ(arm_smmu_kdump_init_strtab(smmu), err);
	CHECK_EQ(shim_nr_msgs - msgs, 1);
	CHECK(!arm_smmu_kdump_adopted(smmu));
	CHECK_EQ(remap.calls, 0);
}

/*
 * The import from end to end, on an SMMU that the crashed kernel left
 * enabled in a state that arm_smmu_kdump_check_state() accepts: the old
 * table is mapped once, and adopted. Copies of L2 tables may use 1/8 of
 * the crash kernel's RAM: 32MB of its 256MB. The same SMMU in service
 * failure mode is left alone: its table is not even mapped.
 */
static void init_strtab_adopts_sane_state(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};

	init_setup(&smmu, &dev);
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), 0);
	CHECK(arm_smmu_kdump_adopted(&smmu));
	CHECK_EQ(remap.calls, 1);
	CHECK_EQ(remap.phys, INIT_STRTAB);
	REQUIRE(smmu.kdump);
	CHECK_EQ(smmu.kdump->report.mode, ARM_SMMU_KDUMP_KEEP_ALL);
	CHECK_EQ(smmu.kdump->ctx.max_l2,
		 SZ_32M / sizeof(struct arm_smmu_strtab_l2));
	CHECK_EQ(smmu.strtab_cfg.linear.num_ents, 64);
	init_exit(&smmu);

	init_setup(&smmu, &dev);
	hw.gerror = GERROR_SFM_ERR;
	init_refused(&smmu, -EINVAL);
	init_exit(&smmu);
}

/*
 * An arm_smmu_v3.kdump_mode that this kernel does not know (a typo, a mode
 * of a later kernel) falls back to a full reset, as documented, with one
 * warning: nothing is imported, and the report says "reset". Not to
 * keep-all, which would keep every device's DMA going.
 */
static void init_strtab_unknown_mode_resets(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};

	init_setup(&smmu, &dev);
	kdump_mode = "keep-everything";
	init_refused(&smmu, -ENODEV);
	REQUIRE(smmu.kdump);
	CHECK_EQ(smmu.kdump->report.mode, ARM_SMMU_KDUMP_RESET);
	init_exit(&smmu);
}

/*
 * Either memory map unavailable: without our RAM, a table or pointer into
 * it would pass arm_smmu_kdump_phys_ok(); without old memory, nothing
 * would.  Either way a full reset, said once, nothing mapped, and no
 * device dump of a state that was never read.
 */
static void init_strtab_memory_map_fails(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		init_setup(&smmu, &dev);
		*(i ? &own_walk_ret : &old_walk_ret) = -ENOMEM;
		init_refused(&smmu, -ENOMEM);
		old_walk_ret = own_walk_ret = 0;
		REQUIRE(smmu.kdump);
		CHECK(!smmu.kdump->have_oldmem);
		init_exit(&smmu);
	}
}

/*
 * Old memory that overlaps the crash kernel's own RAM (a corrupt ELF
 * header): the crash kernel's memory is not the crashed kernel's table,
 * whatever STRTAB_BASE says, and is not read: the import falls back to a
 * reset, "stream table outside old memory". (The same table with the
 * crash kernel's RAM elsewhere is adopted, see above.)
 */
static void init_strtab_refuses_table_in_own_ram(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};

	init_setup(&smmu, &dev);
	init_own = (struct range){
		.start = INIT_STRTAB, .end = INIT_STRTAB + SZ_1M - 1,
	};
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), -EINVAL);
	CHECK(!arm_smmu_kdump_adopted(&smmu));
	CHECK_EQ(remap.calls, 0);
	REQUIRE(smmu.kdump);
	CHECK_EQ(smmu.kdump->ctx.err, ARM_SMMU_KDUMP_ERR_BASE_RANGE);
	init_exit(&smmu);
}

/*
 * Not a kdump kernel (a normal boot, where firmware or a bootloader may
 * have left the SMMU enabled): nothing is snapshot or imported, and the
 * driver resets the SMMU as usual.
 */
static void init_strtab_not_kdump(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};

	init_setup(&smmu, &dev);
	not_kdump = true;
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), -ENODEV);
	not_kdump = false;
	CHECK(!smmu.kdump);
	CHECK_EQ(remap.calls, 0);
	CHECK_EQ(devres.nr_mem, 0);
	init_exit(&smmu);
}

/*
 * iommu.passthrough=1 on the crash kernel's command line: no domain is
 * ever attached to a deferred master, so an inherited STE would stay for
 * good; nothing is inherited (one line says why, the table is not even
 * mapped), without the warning about a kdump_mode it does not use, and
 * the report still describes the SMMU as the crashed kernel left it.
 */
static void init_strtab_passthrough(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};

	init_setup(&smmu, &dev);
	passthrough = true;
	init_refused(&smmu, -ENODEV);
	REQUIRE(smmu.kdump);
	CHECK(smmu.kdump->report.regs.cr0 & CR0_SMMUEN);
	CHECK_EQ(smmu.kdump->report.regs.strtab_base,
		 INIT_STRTAB | STRTAB_BASE_RA);
	init_exit(&smmu);

	init_setup(&smmu, &dev);
	kdump_mode = "keep-everything";
	init_refused(&smmu, -ENODEV);
	passthrough = false;
	init_exit(&smmu);
}

/*
 * Devres out of memory before anything is read: no import, no report
 * for arm_smmu_kdump_publish() to use (smmu->kdump stays NULL), and what
 * was set up is undone at once, as devm_add_action_or_reset() promises.
 */
static void init_strtab_devres_fails(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};

	init_setup(&smmu, &dev);
	devm_kzalloc_fails = true;
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), -ENOMEM);
	devm_kzalloc_fails = false;
	CHECK(!smmu.kdump);
	CHECK_EQ(remap.calls, 0);
	init_exit(&smmu);

	init_setup(&smmu, &dev);
	devm_action_fails = true;
	devm_actions_run = 0;
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), -ENOMEM);
	devm_action_fails = false;
	CHECK_EQ(devm_actions_run, 1);
	CHECK(!smmu.kdump);
	CHECK(!arm_smmu_kdump_adopted(&smmu));
	CHECK_EQ(remap.calls, 0);
	init_exit(&smmu);
}

/* Old STE @sid of the table at INIT_STRTAB: stage 2, VMID @vmid */
static void init_old_s2(struct arm_smmu_ste *old, u32 sid, u16 vmid)
{
	old[sid].data[0] = cpu_to_le64(STRTAB_STE_0_V |
		FIELD_PREP(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_S2_TRANS));
	old[sid].data[2] = cpu_to_le64(FIELD_PREP(STRTAB_STE_2_S2VMID, vmid));
	old[sid].data[3] = cpu_to_le64(INIT_OLD + SZ_1M);
}

/*
 * The default mode, keep-quiesced, from end to end: the StreamIDs that
 * kdump_keep names are kept and the others aborted, and a listed one
 * without DMA is warned about; without kdump_keep all are aborted; a
 * kdump_keep that does not parse falls back to a full reset, with one
 * warning, before anything is mapped.
 */
static void init_strtab_keep_list(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};
	struct arm_smmu_kdump_report *report;
	struct arm_smmu_ste *old;
	unsigned int msgs;

	/* The zeroed page of memremap() above */
	old = memremap(INIT_STRTAB, SZ_4K, MEMREMAP_WB);
	init_old_s2(old, 3, 3);
	init_old_s2(old, 5, 5);

	init_setup(&smmu, &dev);
	kdump_mode = NULL;
	kdump_keep = (char *)"sid:5,sid:9";
	msgs = shim_nr_msgs;
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), 0);
	REQUIRE(smmu.kdump);
	report = &smmu.kdump->report;
	CHECK_EQ(report->mode, ARM_SMMU_KDUMP_KEEP_QUIESCED);
	CHECK_EQ(report->nr_kept, 1);
	CHECK_EQ(report->nr_aborted, 1);
	CHECK(ida_is_empty(&smmu.vmid_map) == false);
	REQUIRE(arm_smmu_kdump_find_sid(report, 5));
	CHECK_EQ(arm_smmu_kdump_find_sid(report, 5)->reason,
		 ARM_SMMU_KDUMP_KEPT_LISTED);
	/* SID 9 had no DMA: said once */
	CHECK_EQ(shim_nr_msgs - msgs, 1);
	init_exit(&smmu);

	init_setup(&smmu, &dev);
	kdump_mode = NULL;
	kdump_keep = NULL;
	CHECK_EQ(arm_smmu_kdump_init_strtab(&smmu), 0);
	REQUIRE(smmu.kdump);
	CHECK_EQ(smmu.kdump->report.nr_kept, 0);
	CHECK_EQ(smmu.kdump->report.nr_aborted, 2);
	init_exit(&smmu);

	init_setup(&smmu, &dev);
	kdump_mode = NULL;
	kdump_keep = (char *)"sid:5,sid:five";
	init_refused(&smmu, -EINVAL);
	init_exit(&smmu);

	kdump_keep = NULL;
	memset(old, 0, SZ_4K);
}

/*
 * An import that runs out of memory at any of its allocations, the late
 * ones included (growing the report once 16 kept STEs have reserved their
 * VMIDs): nothing is adopted, the IDs go back to the driver's allocators,
 * the report describes no StreamID, one message says why.
 */
static void init_strtab_failed_import_undone(void)
{
	struct arm_smmu_device smmu;
	struct device dev = {};
	struct arm_smmu_ste *old;
	unsigned int n, sid, msgs;
	int ret;

	old = memremap(INIT_STRTAB, SZ_4K, MEMREMAP_WB);
	for (sid = 0; sid < 17; sid++)
		init_old_s2(old, sid, sid + 1);
	for (n = 1; n < 100; n++) {
		init_setup(&smmu, &dev);
		msgs = shim_nr_msgs;
		shim_alloc_fail_at(n);
		ret = arm_smmu_kdump_init_strtab(&smmu);
		shim_alloc_fail_at(0);
		if (!ret) {
			init_exit(&smmu);
			break;
		}
		CHECK(!arm_smmu_kdump_adopted(&smmu));
		CHECK(xa_empty(&smmu.asid_map));
		CHECK(ida_is_empty(&smmu.vmid_map));
		if (smmu.kdump)
			CHECK_EQ(smmu.kdump->report.nr_sids, 0);
		CHECK_EQ(shim_nr_msgs - msgs, 1);
		init_exit(&smmu);
	}
	/* the import needs more than the report's first allocation */
	CHECK(n > 2 && n < 100);
	memset(old, 0, SZ_4K);
}

/*
 * 6.12's iommu_domain_alloc() makes a stage 1 domain without an SMMU, which
 * it only gets at its first attach; if that fails, the domain is freed as
 * it is: no SMMU, no ASID to give back. A finalised one gives its ASID
 * back to its own SMMU.
 */
static void free_unfinalised_s1_domain(void)
{
	struct arm_smmu_device smmu = { .asid_bits = 16 };
	struct arm_smmu_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	REQUIRE(d);
	d->stage = ARM_SMMU_DOMAIN_S1;
	arm_smmu_domain_free_paging(&d->domain);

	xa_init_flags(&smmu.asid_map, XA_FLAGS_ALLOC1);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	REQUIRE(d);
	REQUIRE_EQ(arm_smmu_domain_finalise_s1(&smmu, d), 0);
	d->smmu = &smmu;
	CHECK(xa_load(&smmu.asid_map, d->cd.asid) == d);
	arm_smmu_domain_free_paging(&d->domain);
	CHECK(xa_empty(&smmu.asid_map));
	xa_destroy(&smmu.asid_map);
}

/*
 * A domain with a devices list and, on 7.2, an invalidation array, as
 * arm_smmu_domain_finalise_s1() leaves a stage 1 domain, and a master of
 * the same SMMU that can build its own entries for that array.
 */
struct attach_env {
	struct arm_smmu_device		smmu;
	struct arm_smmu_domain		d;
	struct arm_smmu_master		master, sibling;
};

static bool attach_init(struct attach_env *e, bool kept)
{
	memset(e, 0, sizeof(*e));
	e->d.domain.type = IOMMU_DOMAIN_DMA;
	e->d.stage = ARM_SMMU_DOMAIN_S1;
	e->d.cd.asid = 5;
	INIT_LIST_HEAD(&e->d.devices);
	spin_lock_init(&e->d.devices_lock);
	e->master.smmu = e->sibling.smmu = &e->smmu;
	e->master.kdump_kept = kept;
#if HOST_KDUMP_LINE == 72
	e->d.invs = arm_smmu_invs_alloc(0);
	e->master.build_invs = arm_smmu_invs_alloc(4);
	e->sibling.build_invs = arm_smmu_invs_alloc(4);
	return e->d.invs && e->master.build_invs && e->sibling.build_invs;
#else
	return true;
#endif
}

/* Attach @domain to @master, whose core names @old as its old domain */
static int attach(struct arm_smmu_master *master, struct iommu_domain *domain,
		  struct iommu_domain *old)
{
	struct arm_smmu_attach_state state = {
		.master = master,
		.old_domain = old,
		.ssid = IOMMU_NO_PASID,
	};
	int ret;

	ret = arm_smmu_attach_prepare(&state, domain);
	if (!ret)
		arm_smmu_attach_commit(&state);
	return ret;
}

/* How many times @master is on the domain's devices list */
static unsigned int attach_nr_listed(struct attach_env *e,
				     struct arm_smmu_master *master)
{
	struct arm_smmu_master_domain *md;
	unsigned int nr = 0;

	list_for_each_entry(md, &e->d.devices, devices_elm)
		nr += md->master == master;
	return nr;
}

#if HOST_KDUMP_LINE == 72
/* The users of the domain's ASID in its invalidation array */
static unsigned int attach_asid_users(struct attach_env *e)
{
	size_t i;

	for (i = 0; i < e->d.invs->num_invs; i++)
		if (e->d.invs->inv[i].type == INV_TYPE_S1_ASID &&
		    e->d.invs->inv[i].id == e->d.cd.asid)
			return e->d.invs->inv[i].users;
	return 0;
}
#endif

static void attach_exit(struct attach_env *e)
{
	struct arm_smmu_master_domain *md, *tmp;

	list_for_each_entry_safe(md, tmp, &e->d.devices, devices_elm) {
		list_del(&md->devices_elm);
		kfree(md);
	}
#if HOST_KDUMP_LINE == 72
	kfree(e->d.invs);
	kfree(e->master.build_invs);
	kfree(e->sibling.build_invs);
#endif
	attach_ats = false;
}

/*
 * The first attach of a master that kept the crashed kernel's STEs, to
 * its DMA domain, which the IOMMU core names as the old domain too
 * although the master never joined it (its attach was deferred): 6.12's
 * driver asks the core (iommu_get_domain_for_dev()) and gets the very
 * domain it attaches. The master must end up on the domain's devices
 * list once, counted once if it has ATS, and in its invalidation array
 * once (7.2), as after a re-attach of a domain it had: commit taking the
 * entries that prepare just made would leave its ATC never invalidated
 * again.
 */
static void attach_master(bool kept, bool ats)
{
	struct attach_env e;

	REQUIRE(attach_init(&e, kept));
	attach_ats = ats;
	if (!kept)
		REQUIRE_EQ(attach(&e.master, &e.d.domain, NULL), 0);
	REQUIRE_EQ(attach(&e.master, &e.d.domain, &e.d.domain), 0);

	CHECK_EQ(attach_nr_listed(&e, &e.master), 1);
#if HOST_KDUMP_LINE == 72
	CHECK_EQ(attach_asid_users(&e), 1);
#endif
	CHECK_EQ(e.d.nr_ats_masters.counter, ats);
	CHECK_EQ(e.master.ats_enabled, ats);
	attach_exit(&e);
}

static void attach_kept_master_joins_domain(void)
{
	attach_master(true, false);
}

static void attach_kept_ats_master_joins_domain(void)
{
	attach_master(true, true);
}

static void attach_reattached_master_stays(void)
{
	attach_master(false, false);
}

#if HOST_KDUMP_LINE == 72
/*
 * 7.2: a PCI reset (pci_dev_reset_iommu_prepare()) or a VFIO claim of a
 * kept master before its first DMA-API use attaches the blocking domain
 * with the group's default domain as the old one, which another device
 * of the group uses. The default domain's invalidation array must keep
 * that device's entry: dropping the kept master's, which it never took,
 * would end the TLB invalidations of the other device's unmaps.
 */
static void attach_kept_master_spares_sibling(void)
{
	struct iommu_domain blocked = { .type = IOMMU_DOMAIN_BLOCKED };
	struct attach_env e;

	REQUIRE(attach_init(&e, true));
	REQUIRE_EQ(attach(&e.sibling, &e.d.domain, NULL), 0);
	REQUIRE_EQ(attach_asid_users(&e), 1);
	nr_tag_flushes = 0;

	REQUIRE_EQ(attach(&e.master, &blocked, &e.d.domain), 0);
	CHECK_EQ(attach_asid_users(&e), 1);
	CHECK_EQ(attach_nr_listed(&e, &e.sibling), 1);
	CHECK_EQ(nr_tag_flushes, 0);
	attach_exit(&e);
}
#endif

#if HOST_KDUMP_LINE == 612
/*
 * 6.12: the driver's release_device() installs the STE itself, identity
 * for a device with direct mappings (an RMR). A kept master removed before
 * its deferred attach (unplugged, or its IOMMU probe failing after
 * arm_smmu_probe_device()) must keep the crashed kernel's STE, as
 * mainline's core leaves it: an identity STE would let the DMA that the
 * crashed kernel left going land untranslated in the crash kernel.
 */
static void release_master(bool kept)
{
	struct dev_iommu iommu = { .require_direct = 1 };
	struct device dev = { .name = "rmr", .iommu = &iommu };
	struct arm_smmu_device smmu = {};
	struct arm_smmu_master *master;

	master = kzalloc(sizeof(*master), GFP_KERNEL);
	REQUIRE(master);
	master->smmu = &smmu;
	master->dev = &dev;
	master->kdump_kept = kept;
	iommu.priv = master;
	nr_identity = 0;
	nr_blocked = 0;
	arm_smmu_release_device(&dev);
	CHECK_EQ(nr_identity, !kept);
	CHECK_EQ(nr_blocked, 0);
}

static void release_kept_master_keeps_ste(void)
{
	release_master(true);
}

static void release_master_with_rmr_gets_identity(void)
{
	release_master(false);
}
#endif

/*
 * The IOMMU core's iommu_deferred_attach(), taken from the patched iommu.c:
 * the first DMA-API use of a kept master attaches it to its domain. An
 * SMMUv3 attach is not idempotent (a second one, from no domain, adds the
 * master to the domain's lists again): two first uses at once must attach
 * it once. The second waits on the group mutex while the first attaches.
 */
struct group_device {
	bool			blocked;
};

static struct group_device core_gdev __maybe_unused;	/* 7.2's core */
static unsigned int core_attaches;
static bool core_raced;		/* another first use attaches meanwhile */

static int core_attach(struct device *dev)
{
	core_attaches++;
	dev->iommu->attach_deferred = 0;
	return 0;
}

static void core_guard_mutex(struct mutex *lock, struct device *dev)
{
	mutex_lock(lock);
	if (core_raced)
		core_attach(dev);
}

#define __dev_to_gdev(dev)			(&core_gdev)
#define __iommu_attach_device(domain, dev, ...)	core_attach(dev)
#define guard(type)				core_guard_##type
#define core_guard_mutex(lock)			core_guard_mutex(lock, dev)
#include "extract-core.c"
#undef core_guard_mutex

static void deferred_attach(bool raced)
{
	struct dev_iommu iommu = { .attach_deferred = 1 };
	struct iommu_group group = {};
	struct device dev = { .iommu = &iommu, .iommu_group = &group };
	struct iommu_domain domain = {};

	core_attaches = 0;
	core_raced = raced;
	CHECK_EQ(iommu_deferred_attach(&dev, &domain), 0);
	CHECK_EQ(iommu_deferred_attach(&dev, &domain), 0);
	CHECK_EQ(core_attaches, 1);
	CHECK_EQ(iommu.attach_deferred, 0);
}

static void deferred_attach_once(void)
{
	deferred_attach(false);
}

static void deferred_attach_raced_once(void)
{
	deferred_attach(true);
}

/*
 * vmcore_walk_oldmem(), taken from the patched fs/proc/vmcore.c, tells the
 * driver that the crashed kernel's memory map is known, and so that
 * /proc/vmcore exists for its device dump. A vmcore_init() that failed
 * after parsing some PT_LOAD segments, or at proc_create(), leaves ranges
 * on vmcore_list but no /proc/vmcore: vmcore_add_device_dump() would then
 * follow a NULL elfcorebuf or proc_vmcore. The walk says -ENODEV then.
 */
#if HOST_KDUMP_LINE == 72
#define vmcore_entry	vmcore_range
#else
#define vmcore_entry	vmcore
#endif
struct vmcore_entry {
	struct list_head	list;
	unsigned long long	paddr;
	unsigned long long	size;
};

static LIST_HEAD(vmcore_list);
static __maybe_unused DEFINE_MUTEX(vmcore_mutex);
static struct proc_dir_entry *proc_vmcore;

/* (the import tests above have a vmcore_walk_oldmem() of their own) */
#define vmcore_walk_oldmem	vmcore_walk_oldmem_patched
#define core_guard_mutex(lock)	mutex_lock(lock)
#include "extract-vmcore.c"
#undef core_guard_mutex
#undef vmcore_walk_oldmem

static int count_range(u64 start, u64 size, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

static void walk_oldmem_needs_proc_vmcore(void)
{
	struct vmcore_entry range = { .paddr = 0x40000000, .size = 0x1000 };
	unsigned int n = 0;

	CHECK_EQ(vmcore_walk_oldmem_patched(count_range, &n), -ENODEV);
	/* ranges parsed, then vmcore_init() failed */
	list_add_tail(&range.list, &vmcore_list);
	CHECK_EQ(vmcore_walk_oldmem_patched(count_range, &n), -ENODEV);
	CHECK_EQ(n, 0);
	proc_vmcore = (struct proc_dir_entry *)&range;
	CHECK_EQ(vmcore_walk_oldmem_patched(count_range, &n), 0);
	CHECK_EQ(n, 1);
	proc_vmcore = NULL;
	list_del(&range.list);
}

static const struct test_case attach_cases[] = {
	TEST_CASE(deferred_attach_once),
	TEST_CASE(deferred_attach_raced_once),
	TEST_CASE(attach_kept_master_joins_domain),
	TEST_CASE(attach_kept_ats_master_joins_domain),
	TEST_CASE(attach_reattached_master_stays),
#if HOST_KDUMP_LINE == 72
	TEST_CASE(attach_kept_master_spares_sibling),
#else
	TEST_CASE(release_kept_master_keeps_ste),
	TEST_CASE(release_master_with_rmr_gets_identity),
#endif
};

static const struct test_case hooks_cases[] = {
	TEST_CASE(l1_desc_swing_invalidates_l1std),
	TEST_CASE(l1_desc_before_switch_joins_it),
	TEST_CASE(l1_desc_not_inherited),
};

/*
 * The probe fails after the switch stored L1 descriptors (here the store
 * for a device that appeared in an inherited span): the driver disables
 * the SMMU, and the devres teardown then puts the crashed kernel's value
 * back, so that the dump shows it. Not while the SMMU is still enabled
 * (it failed to disable): it may still walk the descriptor.
 */
static void teardown_l1_desc(bool enabled)
{
	struct hooks_env e;
	u64 old, new;

	hooks_init(&e, true);
	memset(&hw, 0, sizeof(hw));
	e.smmu.base = (void __iomem *)hw.mmio;
	e.kd.ctx.smmu = &e.smmu;
	e.kd.ctx.ops = &arm_smmu_kdump_mem_ops;
	old = le64_to_cpu(e.l1[1].l2ptr);
	REQUIRE_EQ(arm_smmu_init_l2_strtab(&e.smmu, 0x105), 0);
	new = le64_to_cpu(e.l1[1].l2ptr);
	REQUIRE(new != old);

	hw.cr0 = enabled ? CR0_SMMUEN : 0;
	/* The L2 pointer array is hooks_env's, not allocated by an import */
	e.kd.table.l2ptrs = NULL;
	arm_smmu_kdump_teardown(&e.kd);
	CHECK_EQ(le64_to_cpu(e.l1[1].l2ptr), enabled ? new : old);
	hooks_exit(&e);
}

static void teardown_restores_l1_desc(void)
{
	teardown_l1_desc(false);
}

static void teardown_leaves_l1_desc_if_enabled(void)
{
	teardown_l1_desc(true);
}

/*
 * A PCI function of kdump_keep resolved through a device tree: the SMMU,
 * and host bridges that map RID r to StreamID r + 0x1000 on it.
 */
enum { DT_SMMU, DT_HOST_A, DT_HOST_B, DT_BRIDGE, DT_NR };

static struct device_node dt[DT_NR];
static struct device dt_smmu_dev = { .of_node = &dt[DT_SMMU] };
static struct arm_smmu_device dt_smmu = { .dev = &dt_smmu_dev };

static void dt_init(void)
{
	unsigned int i;

	memset(dt, 0, sizeof(dt));
	for (i = DT_HOST_A; i < DT_NR; i++) {
		dt[i].type = "pci";
		dt[i].pci_domain = -1;
	}
	dt[DT_HOST_A].iommu = &dt[DT_SMMU];
	dt[DT_HOST_A].sid_base = 0x1000;
	/* A PCI-to-PCI bridge under host bridge A */
	dt[DT_BRIDGE].parent = &dt[DT_HOST_A];
	shim_dt_set(dt, DT_NR);
}

/* Function 00:02.0 of segment @seg: its StreamID, or an error */
static int dt_resolve(u16 seg, u32 *sid)
{
	struct arm_smmu_kdump_keep item = {
		.type = ARM_SMMU_KDUMP_KEEP_PCI, .seg = seg,
		.devfn = PCI_DEVFN(2, 0),
	};

	arm_smmu_kdump_resolve_pci_of(&dt_smmu, &item, 1);
	if (item.type != ARM_SMMU_KDUMP_KEEP_SID)
		return -ENODEV;
	*sid = item.sid;
	return 0;
}

/*
 * Without linux,pci-domain, Linux numbers host bridges in probe order: one
 * is domain 0 only if it is the only host bridge of the tree, whether the
 * others have an iommu-map or not. PCI-to-PCI bridges and disabled host
 * bridges are not counted.
 */
static void keep_pci_domain_of_lone_host(void)
{
	u32 sid = 0;

	/* Host bridge A and a bridge below it */
	dt_init();
	dt[DT_HOST_B].type = NULL;
	CHECK_EQ(dt_resolve(0, &sid), 0);
	CHECK_EQ(sid, 0x1010);

	/* Host bridge B, without an iommu-map: A may not be domain 0 */
	dt_init();
	CHECK_EQ(dt_resolve(0, &sid), -ENODEV);

	/* Both named: B is 0, A is 1 */
	dt[DT_HOST_A].pci_domain = 1;
	dt[DT_HOST_B].pci_domain = 0;
	CHECK_EQ(dt_resolve(0, &sid), -ENODEV);
	sid = 0;
	CHECK_EQ(dt_resolve(1, &sid), 0);
	CHECK_EQ(sid, 0x1010);

	/* B disabled (status = "disabled"): not counted, A is domain 0 */
	dt_init();
	dt[DT_HOST_B].disabled = true;
	sid = 0;
	CHECK_EQ(dt_resolve(0, &sid), 0);
	CHECK_EQ(sid, 0x1010);

	/* A disabled: its iommu-map is not followed */
	dt[DT_HOST_B].type = NULL;
	dt[DT_HOST_A].disabled = true;
	CHECK_EQ(dt_resolve(0, &sid), -ENODEV);
	shim_dt_set(NULL, 0);
}

/* The SMMU's MMIO resource, for sid:N@ADDR items: none unless a test says */
static struct resource *smmu_mmio;

struct resource *platform_get_resource(struct platform_device *dev,
				       unsigned int type, unsigned int num)
{
	return smmu_mmio;
}

/*
 * PCI functions of kdump_keep on two host bridges, A (segment 0) and B
 * (segment 1): resolved in one walk of the device tree, not one each, and
 * dropped if their host bridge maps them to another IOMMU; a list without
 * PCI functions does not walk the tree at all. sid:N@ADDR names StreamID
 * N of the SMMU at ADDR only (this one is at 0x2b400000): another SMMU's
 * is not kept here.
 */
static void keep_pci_walks(void)
{
	static const struct {
		const char	*list;
		bool		b_ours;		/* B maps to this SMMU */
		unsigned int	walks;
		unsigned int	nr;
		u32		sids[3];
	} cases[] = {
		{ "0000:00:02.0,0001:00:03.0,00:04.0", true, 1, 3,
		  { 0x1010, 0x1020, 0x2018 } },
		{ "0000:00:02.0,0001:00:03.0", false, 1, 1, { 0x1010 } },
		{ "sid:5", true, 0, 1, { 5 } },
		{ "sid:5@2b400000,sid:6@1234,sid:7@0", true, 0, 1, { 5 } },
	};
	struct resource mmio = { .start = 0x2b400000, .end = 0x2b41ffff };
	unsigned int i, j, nr;
	u32 *sids;

	smmu_mmio = &mmio;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dt_init();
		dt[DT_HOST_A].pci_domain = 0;
		dt[DT_HOST_B].pci_domain = 1;
		/* Else any node but the SMMU's */
		dt[DT_HOST_B].iommu = &dt[cases[i].b_ours ? DT_SMMU : DT_BRIDGE];
		dt[DT_HOST_B].sid_base = 0x2000;
		kdump_keep = (char *)cases[i].list;
		shim_dt_walks = 0;
		nr = 0;
		sids = NULL;
		REQUIRE_EQ(arm_smmu_kdump_keep_sids(&dt_smmu, &sids, &nr), 0);
		kdump_keep = NULL;
		CHECK_EQ(shim_dt_walks, cases[i].walks);
		REQUIRE_EQ(nr, cases[i].nr);
		for (j = 0; j < nr; j++)
			CHECK_EQ(sids[j], cases[i].sids[j]);
		kfree(sids);
	}
	smmu_mmio = NULL;
	shim_dt_set(NULL, 0);
}

/*
 * A host bridge's iommu-map covers the buses of its bus-range only: with
 * host bridge A of segment 0 on buses 0x10-0x1f, function 10:02.0 is
 * resolved through A's iommu-map, and 20:02.0, which is not behind A, is
 * not.
 */
static void keep_pci_bus_range(void)
{
	struct arm_smmu_kdump_keep items[] = {
		{ .type = ARM_SMMU_KDUMP_KEEP_PCI, .bus = 0x10,
		  .devfn = PCI_DEVFN(2, 0) },
		{ .type = ARM_SMMU_KDUMP_KEEP_PCI, .bus = 0x20,
		  .devfn = PCI_DEVFN(2, 0) },
	};

	dt_init();
	dt[DT_HOST_A].pci_domain = 0;
	dt[DT_HOST_A].bus_range[0] = 0x10;
	dt[DT_HOST_A].bus_range[1] = 0x1f;
	dt[DT_HOST_B].type = NULL;
	arm_smmu_kdump_resolve_pci_of(&dt_smmu, items, ARRAY_SIZE(items));
	CHECK_EQ(items[0].type, ARM_SMMU_KDUMP_KEEP_SID);
	CHECK_EQ(items[0].sid, 0x1000 + PCI_DEVID(0x10, PCI_DEVFN(2, 0)));
	CHECK_EQ(items[1].type, ARM_SMMU_KDUMP_KEEP_PCI);
	shim_dt_set(NULL, 0);
}

/* ACPI: what iort_pci_rid_to_iommu_id() answers for every function */
static int iort_ret = -ENOENT;

int iort_pci_rid_to_iommu_id(struct fwnode_handle *iommu_fwnode, u32 segment,
			     u32 rid, u32 *id_out)
{
	*id_out = rid + 0x1000;
	return iort_ret;
}

struct fwnode_handle *dev_fwnode(struct device *dev)
{
	return NULL;
}

/* New messages while arm_smmu_kdump_keep_sids() resolves @list on @smmu */
static unsigned int keep_msgs(struct arm_smmu_device *smmu, const char *list,
			      unsigned int nr_want)
{
	unsigned int msgs = shim_nr_msgs, nr = 0;
	u32 *sids = NULL;

	kdump_keep = (char *)list;
	CHECK_EQ(arm_smmu_kdump_keep_sids(smmu, &sids, &nr), 0);
	kdump_keep = NULL;
	CHECK_EQ(nr, nr_want);
	kfree(sids);
	return shim_nr_msgs - msgs;
}

/*
 * A PCI function of kdump_keep that no firmware table maps to a StreamID
 * is not kept, and the log says so (kexec promised to keep it): on a
 * device tree with two host bridges and no linux,pci-domain, where
 * neither can be segment 0, or with an iommu-map that does not cover it;
 * under ACPI, with no root complex node or mapping for it. One that is
 * mapped to another IOMMU is dropped quietly: another SMMU keeps it.
 */
static void keep_pci_unresolved_says_so(void)
{
	static struct device acpi_dev;
	struct arm_smmu_device acpi_smmu = { .dev = &acpi_dev };

	dt_init();
	CHECK_EQ(keep_msgs(&dt_smmu, "0000:00:02.0", 0), 1);
	dt[DT_HOST_A].pci_domain = 0;
	CHECK_EQ(keep_msgs(&dt_smmu, "0000:00:02.0", 1), 0);
	/* Its iommu-map covers RIDs below 00:02.0 only: no target */
	dt[DT_HOST_A].map_len = PCI_DEVID(0, PCI_DEVFN(2, 0));
	CHECK_EQ(keep_msgs(&dt_smmu, "0000:00:02.0", 0), 1);
	dt[DT_HOST_A].map_len = 0;
	/* Host bridge A maps its functions to another IOMMU */
	dt[DT_HOST_A].iommu = &dt[DT_BRIDGE];
	CHECK_EQ(keep_msgs(&dt_smmu, "0000:00:02.0", 0), 0);
	/* No host bridge of segment 1 */
	CHECK_EQ(keep_msgs(&dt_smmu, "0001:00:02.0", 0), 1);
	shim_dt_set(NULL, 0);

	iort_ret = -ENOENT;
	CHECK_EQ(keep_msgs(&acpi_smmu, "0000:00:02.0", 0), 1);
	iort_ret = -ENODEV;
	CHECK_EQ(keep_msgs(&acpi_smmu, "0000:00:02.0", 0), 0);
	iort_ret = 0;
	CHECK_EQ(keep_msgs(&acpi_smmu, "0000:00:02.0", 1), 0);
	iort_ret = -ENOENT;
}

/*
 * Out of memory while turning kdump_keep into StreamIDs: -ENOMEM (the
 * import falls back to a full reset), nothing left allocated.
 */
static void keep_sids_nomem(void)
{
	unsigned int n, nr;
	long live;
	u32 *sids;

	shim_dt_set(NULL, 0);
	kdump_keep = (char *)"sid:5,sid:6";
	for (n = 1; n <= 3; n++) {
		live = shim_live_allocs;
		sids = NULL;
		nr = 0;
		shim_alloc_fail_at(n);
		CHECK_EQ(arm_smmu_kdump_keep_sids(&dt_smmu, &sids, &nr),
			 -ENOMEM);
		shim_alloc_fail_at(0);
		CHECK_EQ(shim_live_allocs, live);
	}
	kdump_keep = NULL;
}

/* The last bus of a host bridge's bus-range is behind it too */
static void keep_pci_bus_range_end(void)
{
	struct arm_smmu_kdump_keep item = {
		.type = ARM_SMMU_KDUMP_KEEP_PCI, .bus = 0x1f,
		.devfn = PCI_DEVFN(2, 0),
	};

	dt_init();
	dt[DT_HOST_A].pci_domain = 0;
	dt[DT_HOST_A].bus_range[0] = 0x10;
	dt[DT_HOST_A].bus_range[1] = 0x1f;
	dt[DT_HOST_B].type = NULL;
	arm_smmu_kdump_resolve_pci_of(&dt_smmu, &item, 1);
	CHECK_EQ(item.type, ARM_SMMU_KDUMP_KEEP_SID);
	CHECK_EQ(item.sid, 0x1000 + PCI_DEVID(0x1f, PCI_DEVFN(2, 0)));
	shim_dt_set(NULL, 0);
}

static const struct test_case keep_cases[] = {
	TEST_CASE(keep_pci_domain_of_lone_host),
	TEST_CASE(keep_pci_walks),
	TEST_CASE(keep_pci_bus_range),
	TEST_CASE(keep_pci_unresolved_says_so),
	TEST_CASE(keep_sids_nomem),
	TEST_CASE(keep_pci_bus_range_end),
};

static const struct test_case asid_cases[] = {
	TEST_CASE(asids_per_smmu),
	TEST_CASE(free_unfinalised_s1_domain),
	TEST_CASE(prepare_refuses_used_allocators),
};

static const struct test_case state_cases[] = {
	TEST_CASE(check_state_refusals),
	TEST_CASE(init_strtab_adopts_sane_state),
	TEST_CASE(init_strtab_l2_budget_in_pages),
	TEST_CASE(init_strtab_unknown_mode_resets),
	TEST_CASE(init_strtab_refuses_table_in_own_ram),
	TEST_CASE(init_strtab_not_kdump),
	TEST_CASE(init_strtab_passthrough),
	TEST_CASE(init_strtab_devres_fails),
	TEST_CASE(init_strtab_memory_map_fails),
	TEST_CASE(init_strtab_keep_list),
	TEST_CASE(init_strtab_failed_import_undone),
};

static const struct test_case reset_cases[] = {
	TEST_CASE(reset_acks_cmdq_err_on_new_queue),
	TEST_CASE(teardown_restores_l1_desc),
	TEST_CASE(teardown_leaves_l1_desc_if_enabled),
	TEST_CASE(reset_points_priq_at_ours),
	TEST_CASE(reset_linear_invalidates_before_enable),
	TEST_CASE(reset_goes_on_after_timeouts),
	TEST_CASE(reset_2lvl_terminates_stalls),
	TEST_CASE(reset_2lvl_stopped_queue_no_stall_flood),
#if HOST_KDUMP_LINE == 612
	TEST_CASE(stall_term_encoded),
#endif
	TEST_CASE(reset_aborts_bypass_and_masks_irqs_first),
};

static const struct test_case map_cases[] = {
	TEST_CASE(old_memory_attributes_follow_coherency),
	TEST_CASE(walk_oldmem_needs_proc_vmcore),
};

static const struct test_case probe_cases[] = {
	TEST_CASE(probe_aborted_ats_off_before_reset),
	TEST_CASE(probe_aborted_platform_not_reset),
	TEST_CASE(probe_aborted_host_bridge_quiet),
	TEST_CASE(probe_kept_bridge_attached),
	TEST_CASE(probe_aborted_without_flr_not_reset),
	TEST_CASE(probe_aborted_flr_fails_no_bus_reset),
	TEST_CASE(probe_aborted_quirk_reset),
	TEST_CASE(probe_aborted_bound_not_reset),
	TEST_CASE(probe_kept_ats_marked),
	TEST_CASE(probe_kept_no_ats),
	TEST_CASE(probe_kept_with_aborted_alias),
	TEST_CASE(probe_only_own_streams),
	TEST_CASE(probe_again_is_a_new_device),
};

int main(void)
{
	const struct test_suite suites[] = {
		TEST_SUITE("L1 descriptor stores", hooks_cases),
		TEST_SUITE("ASIDs of two SMMUs", asid_cases),
		TEST_SUITE("state of the crashed kernel's SMMU", state_cases),
		TEST_SUITE("keep list through a device tree", keep_cases),
		TEST_SUITE("switch", reset_cases),
		TEST_SUITE("ATS at probe", probe_cases),
		TEST_SUITE("old memory", map_cases),
		TEST_SUITE("attach of a kept master", attach_cases),
	};

	return test_run(HOST_KDUMP_NAME " hooks", suites,
			ARRAY_SIZE(suites)) ? 1 : 0;
}
