/* smmu.c - crash extension: Arm SMMUv3 state in a kernel dump
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

#include "defs.h"      /* From the crash source top-level directory */
#include "diskdump.h"
#include "netdump.h"

#include "smmu-decode.h"
#include "smmu-devdump.h"

static void smmu_init(void);
static void smmu_fini(void);

static void cmd_smmu(void);
static char *help_smmu[];

static struct command_table_entry command_table[] = {
	{ "smmu", cmd_smmu, help_smmu, MINIMAL },
	{ NULL },
};

static void __attribute__((constructor))
smmu_init(void)
{
	register_extension(command_table);
}

static void __attribute__((destructor))
smmu_fini(void)
{
}

/*
 * Kernel data structure members, looked up once.  Members of anonymous
 * unions (strtab_cfg's "l2.l1_dma", the llq's "prod") are found with
 * ANON_MEMBER_OFFSET() when MEMBER_OFFSET() does not see them.
 */
enum {
	M_IOMMU_LIST,
	M_SMMU_DEV,
	M_SMMU_FEATURES,
	M_SMMU_OPTIONS,
	M_SMMU_CMDQ,
	M_SMMU_EVTQ,
	M_SMMU_PRIQ,
	M_SMMU_IAS,
	M_SMMU_OAS,
	M_SMMU_ASID_BITS,
	M_SMMU_VMID_BITS,
	M_SMMU_SSID_BITS,
	M_SMMU_SID_BITS,
	M_SMMU_STRTAB_CFG,
	M_SMMU_IOMMU,
	M_SMMU_STREAMS,
	M_CMDQ_Q,
	M_EVTQ_Q,
	M_PRIQ_Q,
	M_Q_LLQ,
	M_Q_BASE_DMA,
	M_Q_ENT_DWORDS,
	M_LLQ_PROD,
	M_LLQ_CONS,
	M_LLQ_SHIFT,
	M_ST_L1_DMA,		/* 6.12+ */
	M_ST_NUM_L1,
	M_ST_STE_DMA,
	M_ST_L2PTRS,
	M_ST_OLD_DMA,		/* before 6.12 */
	M_ST_OLD_CFG,
	M_STREAM_ID,
	M_STREAM_MASTER,
	M_STREAM_NODE,
	M_MASTER_DEV,
	M_DEV_KOBJ,
	M_DEV_DRIVER,
	M_DEV_BUS,
	M_KOBJ_NAME,
	M_DRV_NAME,
	M_PDEV_DEV,
	M_PDEV_RESOURCE,
	M_PDEV_NUM_RES,
	M_RES_START,
	M_DEV_PARENT,
	M_DEV_IOMMU,
	M_DEV_FWNODE,
	M_DEV_IOMMU_FWSPEC,
	M_FWSPEC_FWNODE,
	M_FWSPEC_NUM_IDS,
	M_FWSPEC_IDS,
	M_KSET_LIST,
	M_KOBJ_ENTRY,
	NR_SMMU_MEMBERS
};

#define OPT	1	/* may be missing */

static struct smmu_member {
	char	*sname;
	char	*mname;
	int	flags;
	long	off;
	long	size;
} smmu_members[NR_SMMU_MEMBERS] = {
	[M_IOMMU_LIST]		= { "iommu_device", "list" },
	[M_SMMU_DEV]		= { "arm_smmu_device", "dev" },
	[M_SMMU_FEATURES]	= { "arm_smmu_device", "features" },
	[M_SMMU_OPTIONS]	= { "arm_smmu_device", "options" },
	[M_SMMU_CMDQ]		= { "arm_smmu_device", "cmdq" },
	[M_SMMU_EVTQ]		= { "arm_smmu_device", "evtq" },
	[M_SMMU_PRIQ]		= { "arm_smmu_device", "priq" },
	[M_SMMU_IAS]		= { "arm_smmu_device", "ias" },
	[M_SMMU_OAS]		= { "arm_smmu_device", "oas" },
	[M_SMMU_ASID_BITS]	= { "arm_smmu_device", "asid_bits" },
	[M_SMMU_VMID_BITS]	= { "arm_smmu_device", "vmid_bits" },
	[M_SMMU_SSID_BITS]	= { "arm_smmu_device", "ssid_bits" },
	[M_SMMU_SID_BITS]	= { "arm_smmu_device", "sid_bits" },
	[M_SMMU_STRTAB_CFG]	= { "arm_smmu_device", "strtab_cfg" },
	[M_SMMU_IOMMU]		= { "arm_smmu_device", "iommu" },
	[M_SMMU_STREAMS]	= { "arm_smmu_device", "streams", OPT },
	[M_CMDQ_Q]		= { "arm_smmu_cmdq", "q" },
	[M_EVTQ_Q]		= { "arm_smmu_evtq", "q" },
	[M_PRIQ_Q]		= { "arm_smmu_priq", "q" },
	[M_Q_LLQ]		= { "arm_smmu_queue", "llq" },
	[M_Q_BASE_DMA]		= { "arm_smmu_queue", "base_dma" },
	[M_Q_ENT_DWORDS]	= { "arm_smmu_queue", "ent_dwords" },
	[M_LLQ_PROD]		= { "arm_smmu_ll_queue", "prod" },
	[M_LLQ_CONS]		= { "arm_smmu_ll_queue", "cons" },
	[M_LLQ_SHIFT]		= { "arm_smmu_ll_queue", "max_n_shift" },
	[M_ST_L1_DMA]		= { "arm_smmu_strtab_cfg", "l2.l1_dma", OPT },
	[M_ST_NUM_L1]		= { "arm_smmu_strtab_cfg", "l2.num_l1_ents", OPT },
	[M_ST_STE_DMA]		= { "arm_smmu_strtab_cfg", "linear.ste_dma", OPT },
	[M_ST_L2PTRS]		= { "arm_smmu_strtab_cfg", "l2.l2ptrs", OPT },
	[M_ST_OLD_DMA]		= { "arm_smmu_strtab_cfg", "strtab_dma", OPT },
	[M_ST_OLD_CFG]		= { "arm_smmu_strtab_cfg", "strtab_base_cfg", OPT },
	[M_STREAM_ID]		= { "arm_smmu_stream", "id", OPT },
	[M_STREAM_MASTER]	= { "arm_smmu_stream", "master", OPT },
	[M_STREAM_NODE]		= { "arm_smmu_stream", "node", OPT },
	[M_MASTER_DEV]		= { "arm_smmu_master", "dev", OPT },
	[M_DEV_KOBJ]		= { "device", "kobj" },
	[M_DEV_DRIVER]		= { "device", "driver" },
	[M_DEV_BUS]		= { "device", "bus" },
	[M_KOBJ_NAME]		= { "kobject", "name" },
	[M_DRV_NAME]		= { "device_driver", "name" },
	[M_PDEV_DEV]		= { "platform_device", "dev", OPT },
	[M_PDEV_RESOURCE]	= { "platform_device", "resource", OPT },
	[M_PDEV_NUM_RES]	= { "platform_device", "num_resources", OPT },
	[M_RES_START]		= { "resource", "start", OPT },
	[M_DEV_PARENT]		= { "device", "parent", OPT },
	[M_DEV_IOMMU]		= { "device", "iommu", OPT },
	[M_DEV_FWNODE]		= { "device", "fwnode", OPT },
	[M_DEV_IOMMU_FWSPEC]	= { "dev_iommu", "fwspec", OPT },
	[M_FWSPEC_FWNODE]	= { "iommu_fwspec", "iommu_fwnode", OPT },
	[M_FWSPEC_NUM_IDS]	= { "iommu_fwspec", "num_ids", OPT },
	[M_FWSPEC_IDS]		= { "iommu_fwspec", "ids", OPT },
	[M_KSET_LIST]		= { "kset", "list", OPT },
	[M_KOBJ_ENTRY]		= { "kobject", "entry", OPT },
};

#define MOFF(m)		(smmu_members[m].off)
#define MSIZE(m)	(smmu_members[m].size)
#define MVALID(m)	(smmu_members[m].off >= 0)

static long smmu_struct_size;
static int smmu_debuginfo_ok;

#define SMMU_DRIVER_NAME	"arm-smmu-v3"
#define SMMU_MAX_INSTANCES	64
#define SMMU_MAX_IOMMUS		4096	/* iommu_device_list, every kind */
#define SMMU_MAX_DEVICES	(1 << 18)	/* devices_kset */
#define SMMU_MAX_STREAMS	(1 << 20)

struct smmu_queue_state {
	uint64_t	base_dma;
	uint32_t	prod, cons, shift;
	uint64_t	ent_dwords;
};

struct smmu_stream_ent {
	uint32_t	sid;
	ulong		devp;		/* the master's struct device */
	char		dev[64];
};

/* One SMMUv3 instance as found in the dump (or given by -T). */
struct smmu_inst {
	int		index;
	ulong		addr;		/* struct arm_smmu_device, 0 with -T only */
	ulong		dev;
	char		name[64];
	uint64_t	mmio;		/* MMIO base, 0 if unknown */
	uint32_t	features, options;
	struct smmu_caps caps;
	unsigned int	asid_bits, vmid_bits;
	struct smmu_strtab strtab;
	int		strtab_ok;
	const char	*strtab_why;	/* why not, when known */
	uint64_t	*sw_l2;		/* the driver's L2 tables (l2ptrs[]) */
	uint64_t	nr_sw_l2;
	struct smmu_queue_state cmdq, evtq, priq;
	struct smmu_stream_ent *streams;
	int		nr_streams;
	struct smmu_dd	dd;		/* its device dump, when present */
	int		has_dd;
	char		dd_name[SMMU_VMCOREDD_NAME_BYTES + 1];
	char		dd_err[128];	/* why its device dump is unusable:
					 * dd_name names it, has_dd is 0 */
};

/* State of one command invocation. */
static struct smmu_cmd {
	int		undo;		/* -o: show memory before the crash kernel */
} smmu_cmd;

/* ---- debug info ------------------------------------------------------- */

static long
smmu_member_lookup(struct smmu_member *m)
{
	m->off = MEMBER_OFFSET(m->sname, m->mname);
	if (m->off >= 0) {
		m->size = MEMBER_SIZE(m->sname, m->mname);
		return m->off;
	}
	m->off = ANON_MEMBER_OFFSET(m->sname, m->mname);
	if (m->off >= 0)
		m->size = ANON_MEMBER_SIZE(m->sname, m->mname);
	return m->off;
}

/*
 * Check up front that the dump's debug info describes the SMMUv3 driver,
 * as dminfo's dm_core_ready() does for device mapper.
 */
static void
smmu_debuginfo_init(void)
{
	int i;

	if (smmu_debuginfo_ok)
		return;

	if (pc->flags & MINIMAL_MODE)
		error(FATAL,
		    "no debug info in --minimal mode: only \"smmu -d\", "
		    "\"smmu -r ...\" and \"smmu -T base:cfg ...\" are "
		    "available\n");
	if (!symbol_exists("iommu_device_list"))
		error(FATAL,
		    "symbol iommu_device_list not found: the kernel has no "
		    "IOMMU core (CONFIG_IOMMU_API)\n");
	if (!STRUCT_EXISTS("arm_smmu_device"))
		error(FATAL,
		    "struct arm_smmu_device not found: the kernel's debug info "
		    "has no SMMUv3 driver (CONFIG_ARM_SMMU_V3 not set, or a "
		    "module whose debug info is not loaded: try "
		    "\"mod -s arm_smmu_v3\")\n");
	if (!MEMBER_EXISTS("arm_smmu_device", "strtab_cfg"))
		error(FATAL,
		    "struct arm_smmu_device is not the SMMUv3 driver's (the "
		    "kernel also has the SMMUv1/v2 driver, CONFIG_ARM_SMMU, and "
		    "its type was found first)\n");

	for (i = 0; i < NR_SMMU_MEMBERS; i++) {
		struct smmu_member *m = &smmu_members[i];

		if (smmu_member_lookup(m) < 0 && !(m->flags & OPT))
			error(FATAL,
			    "struct %s has no member \"%s\": kernel version not "
			    "supported by this extension\n", m->sname, m->mname);
	}
	if (!MVALID(M_ST_L1_DMA) && !MVALID(M_ST_OLD_DMA))
		error(FATAL,
		    "struct arm_smmu_strtab_cfg: neither \"l2.l1_dma\" (6.12+) "
		    "nor \"strtab_dma\" (older kernels) found\n");
	smmu_struct_size = STRUCT_SIZE("arm_smmu_device");
	smmu_debuginfo_ok = TRUE;
}

/*
 * Option bit 5 is ARM_SMMU_OPT_KDUMP_ADOPT only in a kernel with the
 * upstream kdump series (not in Linux 7.2 or earlier; this project's series
 * does not use that bit).  Such a kernel has the series' devres cleanup,
 * arm_smmu_kdump_adopt_cleanup(), which cannot be inlined since its address
 * is taken, and arm_smmu_kdump_adopt_strtab().  With the driver in a module,
 * its symbols are there once "mod -s arm_smmu_v3" loaded them.
 */
static int
smmu_has_kdump_adopt(void)
{
	return symbol_exists("arm_smmu_kdump_adopt_cleanup") ||
	       symbol_exists("arm_smmu_kdump_adopt_strtab");
}

static uint64_t
smmu_val(const char *buf, long off, long size)
{
	switch (size) {
	case 1:
		return UCHAR(buf + off);
	case 2:
		return USHORT(buf + off);
	case 4:
		return UINT(buf + off);
	case 8:
		return ULONGLONG(buf + off);
	}
	error(FATAL, "unexpected member size %ld\n", size);
	return 0;
}

static int
smmu_read_ptr(ulong addr, ulong *val, char *what)
{
	return readmem(addr, KVADDR, val, sizeof(ulong), what,
		       RETURN_ON_ERROR|QUIET);
}

/* dev_name(): the kobject's name. */
static void
smmu_dev_name(ulong dev, char *buf, int len)
{
	ulong name;

	snprintf(buf, len, "-");
	if (!dev || !smmu_read_ptr(dev + MOFF(M_DEV_KOBJ) + MOFF(M_KOBJ_NAME),
				   &name, "kobject name") || !name)
		return;
	if (!read_string(name, buf, len - 1))
		snprintf(buf, len, "-");
}

static int
smmu_dev_driver_is(ulong dev, const char *drvname)
{
	char name[32];
	ulong drv, np;

	if (!smmu_read_ptr(dev + MOFF(M_DEV_DRIVER), &drv, "device driver") ||
	    !drv)
		return FALSE;
	if (!smmu_read_ptr(drv + MOFF(M_DRV_NAME), &np, "driver name") || !np)
		return FALSE;
	BZERO(name, sizeof(name));
	if (!read_string(np, name, sizeof(name) - 1))
		return FALSE;
	return STREQ(name, drvname);
}

/* The MMIO base: resource[0] of the platform device (DT or ACPI IORT). */
static uint64_t
smmu_dev_mmio(ulong dev)
{
	ulong bus, pdev, res;
	uint64_t start;
	uint nr;

	if (!MVALID(M_PDEV_DEV) || !MVALID(M_PDEV_RESOURCE) ||
	    !MVALID(M_PDEV_NUM_RES) || !MVALID(M_RES_START) ||
	    !symbol_exists("platform_bus_type"))
		return 0;
	if (!smmu_read_ptr(dev + MOFF(M_DEV_BUS), &bus, "device bus") ||
	    bus != symbol_value("platform_bus_type"))
		return 0;
	pdev = dev - MOFF(M_PDEV_DEV);
	if (!readmem(pdev + MOFF(M_PDEV_NUM_RES), KVADDR, &nr, sizeof(nr),
		     "platform_device num_resources", RETURN_ON_ERROR|QUIET) ||
	    !nr)
		return 0;
	if (!smmu_read_ptr(pdev + MOFF(M_PDEV_RESOURCE), &res,
			   "platform_device resource") || !res)
		return 0;
	if (!readmem(res + MOFF(M_RES_START), KVADDR, &start, sizeof(start),
		     "resource start", RETURN_ON_ERROR|QUIET))
		return 0;
	return start;
}

/* ---- memory ------------------------------------------------------------ */

/*
 * Read physical memory for the decoders.  A page that makedumpfile left
 * out of the dump (-d 31 drops all-zero pages, which is what an unused
 * L2 stream table or CD table is) is read with crash's zero_excluded
 * behaviour and reported as SMMU_READ_ZERO; a page outside the dumped
 * memory is an error.  With -o, the stores the crash kernel recorded in
 * its device dump are undone.
 */
static int
smmu_read_phys(void *ctx, uint64_t pa, void *buf, size_t len)
{
	struct smmu_inst *inst = ctx;
	size_t done, n;
	int filtered = FALSE;
	ulong saved;
	int ok;

	for (done = 0; done < len; done += n) {
		n = PAGESIZE() - ((pa + done) & (PAGESIZE() - 1));
		if (n > len - done)
			n = len - done;
		if (readmem(pa + done, PHYSADDR, (char *)buf + done, n,
			    "smmu table", RETURN_ON_ERROR|QUIET))
			continue;
		saved = *diskdump_flags;
		*diskdump_flags |= ZERO_EXCLUDED;
		ok = readmem(pa + done, PHYSADDR, (char *)buf + done, n,
			     "smmu table", RETURN_ON_ERROR|QUIET);
		*diskdump_flags = saved;
		if (!ok)
			return SMMU_READ_FAIL;
		filtered = TRUE;
	}
	if (smmu_cmd.undo && inst && inst->has_dd)
		smmu_dd_undo(&inst->dd, pa, buf, len);
	return filtered ? SMMU_READ_ZERO : SMMU_READ_OK;
}

static void
smmu_mem(struct smmu_inst *inst, struct smmu_mem *mem)
{
	mem->read = smmu_read_phys;
	mem->ctx = inst;
}

/* ---- instances --------------------------------------------------------- */

static void
smmu_queue_load(const char *sbuf, long qoff, struct smmu_queue_state *q)
{
	long llq = qoff + MOFF(M_Q_LLQ);

	q->base_dma = smmu_val(sbuf, qoff + MOFF(M_Q_BASE_DMA),
			       MSIZE(M_Q_BASE_DMA));
	q->ent_dwords = smmu_val(sbuf, qoff + MOFF(M_Q_ENT_DWORDS),
				 MSIZE(M_Q_ENT_DWORDS));
	q->prod = smmu_val(sbuf, llq + MOFF(M_LLQ_PROD), MSIZE(M_LLQ_PROD));
	q->cons = smmu_val(sbuf, llq + MOFF(M_LLQ_CONS), MSIZE(M_LLQ_CONS));
	q->shift = smmu_val(sbuf, llq + MOFF(M_LLQ_SHIFT), MSIZE(M_LLQ_SHIFT));
	/* IDR1.CMDQS and EVTQS are 19 or less: a larger one is damage */
	if (q->shift > SMMU_EVTQS_MAX)
		q->shift = 0;
}

static int
smmu_ilog2(uint64_t v)
{
	int l = -1;

	while (v) {
		v >>= 1;
		l++;
	}
	return l;
}

/*
 * The driver's own record of its L2 stream tables (strtab_cfg.l2.l2ptrs[],
 * kernel addresses), as physical addresses: 0 where the driver had none,
 * SMMU_SW_L2_UNKNOWN where it had one that does not translate.  The L1
 * descriptors in the dump may have been rewritten after the crash by a
 * crash kernel that adopted the table; these still say what the SMMU
 * used at the crash, unless a device dump shows that the crash kernel did
 * not write a descriptor that disagrees (smmu_dd_l1_load()).
 */
static void
smmu_sw_l2_load(struct smmu_inst *inst, ulong l2ptrs, uint64_t nr)
{
	physaddr_t pa;
	ulong *va;
	uint64_t i;

	if (!l2ptrs || !nr || nr > (1ULL << 17))
		return;
	va = (ulong *)GETBUF(nr * sizeof(ulong));
	if (!readmem(l2ptrs, KVADDR, va, nr * sizeof(ulong),
		     "strtab_cfg l2ptrs", RETURN_ON_ERROR|QUIET)) {
		FREEBUF(va);
		return;
	}
	inst->sw_l2 = (uint64_t *)GETBUF(nr * sizeof(uint64_t));
	inst->nr_sw_l2 = nr;
	for (i = 0; i < nr; i++) {
		if (!va[i])
			continue;
		if (kvtop(NULL, va[i], &pa, 0) && pa)
			inst->sw_l2[i] = pa;
		else
			inst->sw_l2[i] = SMMU_SW_L2_UNKNOWN;
	}
	FREEBUF(va);
}

/* The L1 descriptors the crash kernel's device dump records stores to */
static void
smmu_dd_l1_load(struct smmu_inst *inst)
{
	uint32_t n = smmu_dd_count(&inst->dd, SMMU_KDUMP_SECT_WRITES);
	struct smmu_l1_store *stores = (struct smmu_l1_store *)
		GETBUF((n + 1) * sizeof(*stores));

	inst->strtab.nr_l1_stores = smmu_dd_l1_stores(&inst->dd, stores);
	inst->strtab.l1_stores = stores;
	inst->strtab.l1_stores_known = TRUE;
}

/*
 * STRTAB_SPLIT of a 6.12+ driver, which keeps no STRTAB_BASE_CFG value: the
 * STEs of its L2 table type (struct arm_smmu_strtab_l2, stes[1 <<
 * STRTAB_SPLIT]), or 8, the only value the driver has ever used, when the
 * debug info does not have that type.
 */
static unsigned int
smmu_strtab_split(void)
{
	static unsigned int split;
	long l2, ste;

	if (split)
		return split;
	split = 8;
	l2 = MEMBER_SIZE("arm_smmu_strtab_l2", "stes");
	ste = STRUCT_SIZE("arm_smmu_ste");
	if (l2 > 0 && ste > 0 && !(l2 % ste) && l2 / ste > 1)
		split = smmu_ilog2(l2 / ste);
	return split;
}

/*
 * The stream table as the driver programmed STRTAB_BASE/STRTAB_BASE_CFG
 * (see arm_smmu_write_strtab()): older kernels keep the register values
 * themselves, 6.12+ only the DMA addresses and sizes, from which the same
 * description is built and checked by the same code.
 */
static void
smmu_strtab_load(struct smmu_inst *inst, const char *sbuf)
{
	long st = MOFF(M_SMMU_STRTAB_CFG);
	uint64_t base, nr;
	int ret;

	if (MVALID(M_ST_OLD_CFG) && MVALID(M_ST_OLD_DMA)) {
		base = smmu_val(sbuf, st + MOFF(M_ST_OLD_DMA),
				MSIZE(M_ST_OLD_DMA));
		ret = smmu_strtab_from_regs(base, smmu_val(sbuf,
				st + MOFF(M_ST_OLD_CFG), MSIZE(M_ST_OLD_CFG)),
				&inst->strtab);
	} else if (inst->features & SMMU_FEAT_2_LVL_STRTAB) {
		base = smmu_val(sbuf, st + MOFF(M_ST_L1_DMA),
				MSIZE(M_ST_L1_DMA));
		nr = smmu_val(sbuf, st + MOFF(M_ST_NUM_L1),
			      MSIZE(M_ST_NUM_L1));
		if (!nr) {
			inst->strtab_why = "strtab_cfg.l2.num_l1_ents is 0";
			return;
		}
		ret = smmu_strtab_init(&inst->strtab, SMMU_STRTAB_2LVL, base,
				       smmu_ilog2(nr) + smmu_strtab_split(),
				       smmu_strtab_split());
		if (MVALID(M_ST_L2PTRS))
			smmu_sw_l2_load(inst, smmu_val(sbuf, st +
					MOFF(M_ST_L2PTRS), MSIZE(M_ST_L2PTRS)),
					nr);
	} else {
		if (!MVALID(M_ST_STE_DMA)) {
			inst->strtab_why = "struct arm_smmu_strtab_cfg has no linear.ste_dma in this kernel's debug info";
			return;
		}
		base = smmu_val(sbuf, st + MOFF(M_ST_STE_DMA),
				MSIZE(M_ST_STE_DMA));
		ret = smmu_strtab_init(&inst->strtab, SMMU_STRTAB_LINEAR, base,
				       inst->caps.sid_bits, 0);
	}
	if (!base) {
		inst->strtab_why = "no stream table address in strtab_cfg";
		return;
	}
	if (ret) {
		inst->strtab_why = "strtab_cfg describes a reserved STRTAB_BASE_CFG";
		return;
	}
	inst->strtab.sw_l2 = inst->sw_l2;
	inst->strtab.nr_sw_l2 = inst->nr_sw_l2;
	inst->strtab_ok = TRUE;
}

static int
smmu_inst_load(ulong iommu, struct smmu_inst *inst)
{
	char *sbuf;
	ulong addr;

	addr = iommu - MOFF(M_SMMU_IOMMU);
	sbuf = GETBUF(smmu_struct_size);
	if (!readmem(addr, KVADDR, sbuf, smmu_struct_size,
		     "arm_smmu_device", RETURN_ON_ERROR|QUIET)) {
		FREEBUF(sbuf);
		return FALSE;
	}
	inst->addr = addr;
	inst->dev = smmu_val(sbuf, MOFF(M_SMMU_DEV), MSIZE(M_SMMU_DEV));
	if (!inst->dev || !smmu_dev_driver_is(inst->dev, SMMU_DRIVER_NAME)) {
		FREEBUF(sbuf);
		return FALSE;
	}
	smmu_dev_name(inst->dev, inst->name, sizeof(inst->name));
	inst->mmio = smmu_dev_mmio(inst->dev);
	inst->features = smmu_val(sbuf, MOFF(M_SMMU_FEATURES),
				  MSIZE(M_SMMU_FEATURES));
	inst->options = smmu_val(sbuf, MOFF(M_SMMU_OPTIONS),
				 MSIZE(M_SMMU_OPTIONS));
	inst->caps.ias = smmu_val(sbuf, MOFF(M_SMMU_IAS), MSIZE(M_SMMU_IAS));
	inst->caps.oas = smmu_val(sbuf, MOFF(M_SMMU_OAS), MSIZE(M_SMMU_OAS));
	inst->caps.sid_bits = smmu_val(sbuf, MOFF(M_SMMU_SID_BITS),
				       MSIZE(M_SMMU_SID_BITS));
	inst->caps.ssid_bits = smmu_val(sbuf, MOFF(M_SMMU_SSID_BITS),
					MSIZE(M_SMMU_SSID_BITS));
	inst->asid_bits = smmu_val(sbuf, MOFF(M_SMMU_ASID_BITS),
				   MSIZE(M_SMMU_ASID_BITS));
	inst->vmid_bits = smmu_val(sbuf, MOFF(M_SMMU_VMID_BITS),
				   MSIZE(M_SMMU_VMID_BITS));
	if (inst->caps.oas > 64)
		inst->caps.oas = 0;
	smmu_queue_load(sbuf, MOFF(M_SMMU_CMDQ) + MOFF(M_CMDQ_Q), &inst->cmdq);
	smmu_queue_load(sbuf, MOFF(M_SMMU_EVTQ) + MOFF(M_EVTQ_Q), &inst->evtq);
	smmu_queue_load(sbuf, MOFF(M_SMMU_PRIQ) + MOFF(M_PRIQ_Q), &inst->priq);
	smmu_strtab_load(inst, sbuf);
	FREEBUF(sbuf);
	return TRUE;
}

/* Kernel virtual memory for the walks of lists and trees, never a fatal read */
static int
smmu_read_kva(void *ctx, uint64_t va, void *buf, size_t len)
{
	return readmem(va, KVADDR, buf, len, "kernel memory",
		       RETURN_ON_ERROR|QUIET) ? SMMU_READ_OK : SMMU_READ_FAIL;
}

static const struct smmu_mem smmu_kmem = { .read = smmu_read_kva };

/*
 * The list_heads of the kernel list at head (smmu_list_walk(), at most
 * max; *nodes to FREEBUF()): one line says what a damaged list cost.
 */
static uint64_t
smmu_list(ulong head, uint64_t max, const char *what, uint64_t **nodes)
{
	struct smmu_node_walk w;
	uint64_t cnt;

	*nodes = (uint64_t *)GETBUF(sizeof(**nodes) * max);
	cnt = smmu_list_walk(&smmu_kmem, head, *nodes, max, &w);
	if (w.damaged)
		error(INFO, "%s is damaged (list_head %llx: %s): %llu entr%s read, the rest left out\n",
		      what, (ulonglong)w.bad, w.why, (ulonglong)cnt,
		      cnt == 1 ? "y" : "ies");
	else if (w.truncated)
		error(INFO, "%s has more than %llu entries: walk stopped\n",
		      what, (ulonglong)max);
	return cnt;
}

/*
 * SMMUv3 instances are devm-allocated: there is no global pointing at
 * them.  Each registers its struct iommu_device (the "iommu" member) on
 * the IOMMU core's iommu_device_list; container_of() gives the struct
 * arm_smmu_device, kept when its device is bound to "arm-smmu-v3".  The
 * list is in the crashed kernel's memory: a damaged one is walked as far
 * as it can be (smmu_list_walk()), and one line says what was left out.
 */
static int
smmu_collect(struct smmu_inst **instp)
{
	struct smmu_inst *inst;
	uint64_t *nodes, cnt, i;
	int n = 0;

	smmu_debuginfo_init();
	cnt = smmu_list(symbol_value("iommu_device_list"), SMMU_MAX_IOMMUS,
			"iommu_device_list", &nodes);
	inst = (struct smmu_inst *)GETBUF(sizeof(*inst) * SMMU_MAX_INSTANCES);
	*instp = inst;
	for (i = 0; i < cnt && n < SMMU_MAX_INSTANCES; i++) {
		BZERO(&inst[n], sizeof(inst[n]));
		if (smmu_inst_load(nodes[i] - MOFF(M_IOMMU_LIST), &inst[n])) {
			inst[n].index = n;
			n++;
		}
	}
	FREEBUF(nodes);
	return n;
}

struct smmu_streams_arg {
	struct smmu_inst *inst;
	int		max;
	int		unordered;	/* StreamIDs not above the one before */
};

static int
smmu_stream_one(void *arg, uint64_t node, const char **why)
{
	struct smmu_streams_arg *a = arg;
	struct smmu_inst *inst = a->inst;
	ulong s = node - MOFF(M_STREAM_NODE), master, dev;
	struct smmu_stream_ent *e;
	uint32_t id;

	if (!readmem(s + MOFF(M_STREAM_ID), KVADDR, &id, sizeof(id),
		     "arm_smmu_stream id", RETURN_ON_ERROR|QUIET) ||
	    !smmu_read_ptr(s + MOFF(M_STREAM_MASTER), &master,
			   "arm_smmu_stream master")) {
		*why = "its arm_smmu_stream cannot be read";
		return -1;
	}
	/* the driver keys the tree by StreamID: out of order, it is damaged */
	if (inst->nr_streams && id <= inst->streams[inst->nr_streams - 1].sid)
		a->unordered++;
	if (inst->nr_streams == a->max) {
		struct smmu_stream_ent *n;

		n = (struct smmu_stream_ent *)GETBUF(sizeof(*n) * a->max * 2);
		memcpy(n, inst->streams, sizeof(*n) * a->max);
		FREEBUF(inst->streams);
		inst->streams = n;
		a->max *= 2;
	}
	e = &inst->streams[inst->nr_streams++];
	e->sid = id;
	e->devp = 0;
	if (master && smmu_read_ptr(master + MOFF(M_MASTER_DEV), &dev,
				    "arm_smmu_master dev")) {
		e->devp = dev;
		smmu_dev_name(dev, e->dev, sizeof(e->dev));
	} else
		snprintf(e->dev, sizeof(e->dev), "-");
	return 0;
}

static int
smmu_stream_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct smmu_stream_ent *)a)->sid;
	uint32_t y = ((const struct smmu_stream_ent *)b)->sid;

	return x < y ? -1 : x > y;
}

/*
 * StreamID to master device, from the driver's streams rb-tree.  The tree
 * is in the crashed kernel's memory: a damaged one is walked as far as it
 * can be (smmu_rb_walk()), and one line says what was left out.  A node
 * whose StreamID is out of order costs nothing else: what was read is
 * sorted, one entry kept per StreamID, and one line says so.
 */
static void
smmu_streams_load(struct smmu_inst *inst)
{
	struct smmu_streams_arg a;
	struct smmu_node_walk w;

	if (inst->streams || !inst->addr || !MVALID(M_SMMU_STREAMS) ||
	    !MVALID(M_STREAM_ID) || !MVALID(M_STREAM_MASTER) ||
	    !MVALID(M_STREAM_NODE) || !MVALID(M_MASTER_DEV))
		return;
	a.inst = inst;
	a.max = 256;
	a.unordered = 0;
	inst->streams = (struct smmu_stream_ent *)
			GETBUF(sizeof(*inst->streams) * a.max);
	smmu_rb_walk(&smmu_kmem, inst->addr + MOFF(M_SMMU_STREAMS),
		     SMMU_MAX_STREAMS, smmu_stream_one, &a, &w);
	if (a.unordered) {
		int i, n = 0;

		qsort(inst->streams, inst->nr_streams,
		      sizeof(*inst->streams), smmu_stream_cmp);
		for (i = 0; i < inst->nr_streams; i++)
			if (!n || inst->streams[i].sid != inst->streams[n - 1].sid)
				inst->streams[n++] = inst->streams[i];
		error(INFO, "SMMU %d: the driver's streams tree is damaged (%d StreamID%s out of order): %d StreamID%s read, sorted%s\n",
		      inst->index, a.unordered, a.unordered == 1 ? "" : "s",
		      n, n == 1 ? "" : "s",
		      n < inst->nr_streams ? ", duplicates left out" : "");
		inst->nr_streams = n;
	}
	if (w.damaged)
		error(INFO, "SMMU %d: the driver's streams tree is damaged (rb_node %llx: %s%s): %d StreamID%s read, the damaged part%s left out\n",
		      inst->index, (ulonglong)w.bad, w.why,
		      w.truncated ? ", walk stopped" : "", inst->nr_streams,
		      inst->nr_streams == 1 ? "" : "s",
		      w.damaged == 1 ? "" : "s");
	else if (w.truncated)
		error(INFO, "SMMU %d: the driver's streams tree has more than %d nodes: walk stopped, %d StreamIDs read\n",
		      inst->index, SMMU_MAX_STREAMS, inst->nr_streams);
}

static const char *
smmu_stream_dev(struct smmu_inst *inst, uint32_t sid)
{
	int lo = 0, hi, mid;

	smmu_streams_load(inst);
	hi = inst->nr_streams - 1;
	/* the rb-tree is walked in order: the array is sorted */
	while (lo <= hi) {
		mid = (lo + hi) / 2;
		if (inst->streams[mid].sid == sid)
			return inst->streams[mid].dev;
		if (inst->streams[mid].sid < sid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return "-";
}

/* ---- -s: devices ---------------------------------------------------------- */

#define SMMU_MAX_TARGETS	256
#define SMMU_MAX_PARENTS	16
#define SMMU_MAX_NAMED		16
#define SMMU_MAX_FWSPEC_IDS	64

struct smmu_target {
	struct smmu_inst *inst;
	uint32_t	sid;
};

/* The StreamIDs a -s argument stands for. */
struct smmu_targets {
	struct smmu_target t[SMMU_MAX_TARGETS];
	int		n;
	char		path[BUFSIZE];	/* device -> parent -> ... -> master */
};

static void
smmu_target_add(struct smmu_targets *r, struct smmu_inst *inst, uint32_t sid)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->t[i].inst == inst && r->t[i].sid == sid)
			return;
	if (r->n == SMMU_MAX_TARGETS)
		return;
	r->t[r->n].inst = inst;
	r->t[r->n].sid = sid;
	r->n++;
}

/* The StreamIDs of the master whose struct device is dev (streams tree). */
static int
smmu_targets_of_master(struct smmu_inst *inst, int n, ulong dev,
		       struct smmu_targets *r)
{
	int i, j, found = 0;

	for (i = 0; i < n; i++) {
		smmu_streams_load(&inst[i]);
		for (j = 0; j < inst[i].nr_streams; j++) {
			if (inst[i].streams[j].devp != dev)
				continue;
			smmu_target_add(r, &inst[i], inst[i].streams[j].sid);
			found++;
		}
	}
	return found;
}

/*
 * The StreamIDs the firmware gave the device (dev->iommu->fwspec->ids[]),
 * on the SMMU whose fwnode its fwspec names: for a master that is not in
 * the streams tree (no driver bound when the kernel crashed).
 */
static int
smmu_targets_of_fwspec(struct smmu_inst *inst, int n, ulong dev,
		       struct smmu_targets *r)
{
	ulong iommu, fwspec, fwnode, smmu_fwnode;
	uint32_t id;
	uint nr, i;
	int j, found = 0;

	if (!MVALID(M_DEV_IOMMU) || !MVALID(M_DEV_IOMMU_FWSPEC) ||
	    !MVALID(M_FWSPEC_FWNODE) || !MVALID(M_FWSPEC_NUM_IDS) ||
	    !MVALID(M_FWSPEC_IDS) || !MVALID(M_DEV_FWNODE) ||
	    MSIZE(M_FWSPEC_NUM_IDS) != sizeof(nr))
		return 0;
	if (!smmu_read_ptr(dev + MOFF(M_DEV_IOMMU), &iommu, "device iommu") ||
	    !iommu ||
	    !smmu_read_ptr(iommu + MOFF(M_DEV_IOMMU_FWSPEC), &fwspec,
			   "dev_iommu fwspec") || !fwspec ||
	    !smmu_read_ptr(fwspec + MOFF(M_FWSPEC_FWNODE), &fwnode,
			   "iommu_fwspec iommu_fwnode") || !fwnode ||
	    !readmem(fwspec + MOFF(M_FWSPEC_NUM_IDS), KVADDR, &nr, sizeof(nr),
		     "iommu_fwspec num_ids", RETURN_ON_ERROR|QUIET))
		return 0;
	if (nr > SMMU_MAX_FWSPEC_IDS)
		nr = SMMU_MAX_FWSPEC_IDS;
	for (j = 0; j < n; j++) {
		if (!smmu_read_ptr(inst[j].dev + MOFF(M_DEV_FWNODE),
				   &smmu_fwnode, "device fwnode") ||
		    smmu_fwnode != fwnode)
			continue;
		for (i = 0; i < nr; i++) {
			if (!readmem(fwspec + MOFF(M_FWSPEC_IDS) +
				     i * sizeof(id), KVADDR, &id, sizeof(id),
				     "iommu_fwspec ids", RETURN_ON_ERROR|QUIET))
				break;
			smmu_target_add(r, &inst[j], id);
			found++;
		}
	}
	return found;
}

/* The devices of the device model (devices_kset) that sel names. */
static int
smmu_find_devices(struct smmu_sel *sel, ulong *devs, int max)
{
	uint64_t *nodes, cnt, i;
	char name[64];
	ulong kset;
	int n = 0;

	if (!symbol_exists("devices_kset") || !MVALID(M_KSET_LIST) ||
	    !MVALID(M_KOBJ_ENTRY))
		return 0;
	if (!smmu_read_ptr(symbol_value("devices_kset"), &kset,
			   "devices_kset") || !kset)
		return 0;
	cnt = smmu_list(kset + MOFF(M_KSET_LIST), SMMU_MAX_DEVICES,
			"devices_kset's list", &nodes);
	for (i = 0; i < cnt && n < max; i++) {
		ulong dev = nodes[i] - MOFF(M_DEV_KOBJ) - MOFF(M_KOBJ_ENTRY);

		smmu_dev_name(dev, name, sizeof(name));
		if (smmu_sel_match(sel, name))
			devs[n++] = dev;
	}
	FREEBUF(nodes);
	return n;
}

/*
 * A PCI address or device name to StreamIDs: a master's own name in the
 * streams tree of the SMMUs, else the named device of the device model
 * (a netdev, a block device, a virtio device, ...) and its parents up to
 * the first that is a master (streams tree, then iommu fwspec).
 */
static void
smmu_resolve(struct smmu_inst *inst, int n, struct smmu_sel *sel,
	     struct smmu_targets *r)
{
	ulong devs[SMMU_MAX_NAMED], dev;
	char name[64];
	int i, j, k, nd, depth;
	size_t len;

	BZERO(r, sizeof(*r));
	for (i = 0; i < n; i++) {
		smmu_streams_load(&inst[i]);
		for (j = 0; j < inst[i].nr_streams; j++)
			if (smmu_sel_match(sel, inst[i].streams[j].dev))
				smmu_target_add(r, &inst[i],
						inst[i].streams[j].sid);
	}
	if (r->n)
		return;

	nd = smmu_find_devices(sel, devs, SMMU_MAX_NAMED);
	if (!nd)
		error(FATAL, "-s %s: no such device (StreamIDs are numbers, PCI addresses [SEG:]BB:DD.F)\n",
		      sel->name);
	for (k = 0; k < nd && !r->n; k++) {
		len = 0;
		dev = devs[k];
		for (depth = 0; dev && depth < SMMU_MAX_PARENTS; depth++) {
			smmu_dev_name(dev, name, sizeof(name));
			if (len < sizeof(r->path))
				len += snprintf(r->path + len,
						sizeof(r->path) - len, "%s%s",
						depth ? " -> " : "", name);
			if (smmu_targets_of_master(inst, n, dev, r) ||
			    smmu_targets_of_fwspec(inst, n, dev, r))
				break;
			if (!MVALID(M_DEV_PARENT) ||
			    !smmu_read_ptr(dev + MOFF(M_DEV_PARENT), &dev,
					   "device parent"))
				break;
		}
	}
	if (!r->n && strchr(r->path, '>'))
		error(FATAL, "-s %s: no StreamID: no device of %s is a master of %s\n",
		      sel->name, r->path, n == 1 ? inst->name : "an SMMUv3");
	if (!r->n)
		error(FATAL, "-s %s: no StreamID: not a master of %s\n",
		      sel->name, n == 1 ? inst->name : "an SMMUv3");
	if (!strchr(r->path, '>'))
		r->path[0] = '\0';	/* the master itself */
}

/* ---- device dump notes ----------------------------------------------- */

/* The SMMUv3 device dumps of this vmcore. */
struct smmu_dd_found {
	char		name[SMMU_VMCOREDD_NAME_BYTES + 1];
	uint64_t	base;		/* from the name */
	struct smmu_dd	dd;
	int		ok;
	char		err[128];
};

struct smmu_dd_scan {
	struct smmu_dd_found *dumps;
	int		nr;
	int		max;
};

static int smmu_dd_note(void *arg, const char *name, const void *data,
			size_t len, size_t offset);

/*
 * The device dumps of an ELF vmcore (a /proc/vmcore copy) as "dev -V"
 * finds them: crash keeps each NT_VMCOREDD note it met while reading the
 * ELF headers in its vmcore_data (get_kdump_vmcore_data(), the interface
 * netdump.c offers extensions), nt_vmcoredd_array[num_vmcoredd_notes], and
 * kdump_device_dump_extract() ("dev -v") reads a dump's data at the note's
 * offset from the ELF header plus the vmcoredd_header.  So does this.
 */
static int
smmu_dd_from_crash(struct vmcore_data *vd, struct smmu_dd_scan *sc)
{
	struct vmcoredd_header *vh;
	char name[SMMU_VMCOREDD_NAME_BYTES + 1];
	ulonglong offset;
	char *elf_base, *buf;
	ulong size;
	uint i;

	elf_base = DUMPFILE_FORMAT(vd->flags) == KDUMP_ELF32 ?
		   (char *)vd->elf32 : (char *)vd->elf64;
	for (i = 0; i < vd->num_vmcoredd_notes && i < NR_DEVICE_DUMPS; i++) {
		vh = (struct vmcoredd_header *)vd->nt_vmcoredd_array[i];
		if (!vh || vh->n_type != NT_VMCOREDD ||
		    vh->n_descsz < VMCOREDD_MAX_NAME_BYTES)
			continue;
		BZERO(name, sizeof(name));
		memcpy(name, vh->dump_name, VMCOREDD_MAX_NAME_BYTES);
		size = vh->n_descsz - VMCOREDD_MAX_NAME_BYTES;
		offset = (char *)vh - elf_base + sizeof(struct vmcoredd_header);
		if (strncmp(name, SMMU_KDUMP_NAME_PREFIX,
			    strlen(SMMU_KDUMP_NAME_PREFIX)) ||
		    size > 256 * 1024 * 1024UL)
			continue;
		buf = GETBUF(size ? size : 1);
		if (!readmem(offset, FILEADDR, buf, size, "device dump",
			     RETURN_ON_ERROR|QUIET)) {
			error(INFO, "cannot read device dump %s at file offset %llx\n",
			      name, offset);
			continue;
		}
		smmu_dd_note(sc, name, buf, size, offset);
	}
	return sc->nr;
}

/*
 * A kdump-compressed file: crash reads its note area (kdump_sub_header
 * offset_note/size_note, header_version 4 and later) into diskdump.c's
 * private data, which "dev -V" lists, but gives extensions no way to it.
 * The same note area is read and walked here (smmu_vmcoredd_scan()).
 */
static int
smmu_dd_from_diskdump(struct smmu_dd_scan *sc, char *err, int errlen)
{
	struct disk_dump_header dh;
	struct kdump_sub_header sub;
	char *buf;

	if (!readmem(0, FILEADDR, &dh, sizeof(dh), "disk_dump_header",
		     RETURN_ON_ERROR|QUIET) ||
	    memcmp(dh.signature, KDUMP_SIGNATURE, SIG_LEN)) {
		snprintf(err, errlen,
			 "not a kdump-compressed file (flattened? reassemble it with makedumpfile -R)");
		return -1;
	}
	if (dh.header_version < 4 || dh.block_size <= 0) {
		snprintf(err, errlen,
			 "kdump-compressed header version %d has no notes",
			 dh.header_version);
		return -1;
	}
	if (!readmem(dh.block_size, FILEADDR, &sub, sizeof(sub),
		     "kdump_sub_header", RETURN_ON_ERROR|QUIET)) {
		snprintf(err, errlen, "cannot read the kdump sub-header");
		return -1;
	}
	if (!sub.size_note || sub.size_note > 256 * 1024 * 1024UL) {
		snprintf(err, errlen, "no note area");
		return -1;
	}
	buf = GETBUF(sub.size_note);
	if (!readmem(sub.offset_note, FILEADDR, buf, sub.size_note, "notes",
		     RETURN_ON_ERROR|QUIET)) {
		snprintf(err, errlen, "cannot read the note area");
		return -1;
	}
	if (smmu_vmcoredd_scan(buf, sub.size_note, smmu_dd_note, sc) < 0)
		error(INFO, "malformed ELF note area: device dumps after the damage are not seen\n");
	return sc->nr;
}

/* The SMMUv3 device dumps, as far as crash finds them for "dev -V". */
static int
smmu_dd_collect(struct smmu_dd_scan *sc, char *err, int errlen)
{
	struct vmcore_data *vd;

	if (ACTIVE()) {
		snprintf(err, errlen, "not available on a live system");
		return -1;
	}
	if (KDUMP_DUMPFILE() && (vd = get_kdump_vmcore_data()))
		return smmu_dd_from_crash(vd, sc);
	if (DISKDUMP_DUMPFILE())
		return smmu_dd_from_diskdump(sc, err, errlen);
	snprintf(err, errlen, "dump file type not supported (as by \"dev -V\")");
	return -1;
}

static int
smmu_dd_note(void *arg, const char *name, const void *data, size_t len,
	     size_t offset)
{
	struct smmu_dd_scan *sc = arg;
	struct smmu_dd_found *f;

	if (strncmp(name, SMMU_KDUMP_NAME_PREFIX,
		    strlen(SMMU_KDUMP_NAME_PREFIX)) || sc->nr == sc->max)
		return 0;
	f = &sc->dumps[sc->nr++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->base = strtoull(name + strlen(SMMU_KDUMP_NAME_PREFIX), NULL, 16);
	f->ok = !smmu_dd_parse(data, len, &f->dd, f->err, sizeof(f->err));
	return 0;
}

/*
 * Give each SMMU instance its own device dump of the nr in dumps, matched by
 * MMIO base (or the only one when there is one SMMU and one dump).  A dump
 * that does not parse is matched by the base in its name and kept as
 * unusable (dd_err), so that it is not taken for an absent one; a usable
 * dump for the same SMMU wins over it.
 */
static void
smmu_dd_match(struct smmu_inst *inst, int n, struct smmu_dd_found *dumps,
	      int nr)
{
	struct smmu_dd_found *f;
	int i, j;

	for (j = 0; j < nr; j++) {
		f = &dumps[j];
		for (i = 0; i < n; i++) {
			if (inst[i].has_dd || (!f->ok && inst[i].dd_err[0]))
				continue;
			if ((inst[i].mmio && (inst[i].mmio == f->base ||
			     (f->ok && inst[i].mmio == f->dd.smmu_base))) ||
			    (n == 1 && nr == 1 && !inst[i].mmio))
				break;
		}
		if (i == n)
			continue;
		snprintf(inst[i].dd_name, sizeof(inst[i].dd_name), "%s",
			 f->name);
		if (f->ok) {
			inst[i].dd = f->dd;
			inst[i].has_dd = TRUE;
			inst[i].dd_err[0] = '\0';
		} else {
			snprintf(inst[i].dd_err, sizeof(inst[i].dd_err), "%s",
				 f->err);
		}
	}
}

/*
 * Find the SMMUv3 device dumps (notes named "arm-smmu-v3.<base>") and give
 * each of the n SMMU instances its own (smmu_dd_match()).  Returns the
 * number of dumps found, or -1 with a reason in err when the notes cannot
 * be read.
 */
static int
smmu_dd_attach(struct smmu_inst *inst, int n, struct smmu_dd_found **dumpsp,
	       char *err, int errlen)
{
	struct smmu_dd_scan sc;

	*dumpsp = NULL;
	BZERO(&sc, sizeof(sc));
	sc.max = SMMU_MAX_INSTANCES;
	sc.dumps = (struct smmu_dd_found *)GETBUF(sizeof(*sc.dumps) * sc.max);
	if (smmu_dd_collect(&sc, err, errlen) < 0)
		return -1;
	smmu_dd_match(inst, n, sc.dumps, sc.nr);
	*dumpsp = sc.dumps;
	return sc.nr;
}

/*
 * -o and -r need the SMMU's device dump: when the one it has does not
 * parse, say so rather than that there is none.
 */
static void
smmu_dd_unusable(const struct smmu_inst *inst, const char *opt)
{
	if (!inst->has_dd && inst->dd_err[0])
		error(FATAL, "%s: device dump %s unusable: %s\n", opt,
		      inst->dd_name, inst->dd_err);
}

/* ---- output helpers ------------------------------------------------------- */

static void
smmu_print_header(struct smmu_inst *inst)
{
	if (inst->addr)
		fprintf(fp, "SMMU %d: %lx  (%s)\n", inst->index, inst->addr,
			inst->name);
	else if (inst->mmio)
		fprintf(fp, "SMMU %d: -  MMIO: %llx  (no debug info: stream table from register values)\n",
			inst->index, (ulonglong)inst->mmio);
	else
		fprintf(fp, "SMMU: -  (no debug info: stream table from register values)\n");
}

static const char *
smmu_strtab_str(const struct smmu_strtab *t, char *buf, int len)
{
	if (t->fmt == SMMU_STRTAB_2LVL)
		snprintf(buf, len, "2-level %llx (%llu L1 entries, split %u, %llu StreamIDs)",
			 (ulonglong)t->base,
			 (ulonglong)smmu_strtab_nr_l1(t), t->split,
			 1ULL << t->log2size);
	else
		snprintf(buf, len, "linear %llx (%llu StreamIDs)",
			 (ulonglong)t->base, 1ULL << t->log2size);
	return buf;
}

/*
 * The list and -s/-a/-p walk the driver's table unless -r is given: whether
 * the table of the device dump's STRTAB_BASE/_CFG, what the SMMU was walking
 * at the crash, is another one (both the list and -d say so).
 */
static int
smmu_dd_strtab_other(const struct smmu_inst *inst, const struct smmu_strtab *t)
{
	return inst->strtab_ok &&
	       (t->base != inst->strtab.base ||
		smmu_strtab_cfg(t) != smmu_strtab_cfg(&inst->strtab));
}

static void
smmu_print_strtab_at_crash(const struct smmu_inst *inst)
{
	struct smmu_strtab t;
	uint64_t cfg;
	char buf[128];

	if (!inst->has_dd || smmu_dd_strtab(&inst->dd, &t, &cfg) ||
	    !smmu_dd_strtab_other(inst, &t))
		return;
	fprintf(fp, "  AT THE CRASH: %s\n"
		"    (the device dump's STRTAB_BASE/_CFG, not the driver's table: \"smmu -r\" walks it)\n",
		smmu_strtab_str(&t, buf, sizeof(buf)));
}

/* STRTAB_BASE.ADDR not aligned to the table's size: said in one line */
static void
smmu_print_strtab_align(const struct smmu_strtab *t, const char *indent)
{
	if (t->base_addr == t->base)
		return;
	fprintf(fp, "%sUNALIGNED: STRTAB_BASE.ADDR %llx is not aligned to the %s table's size (%#llx):\n"
		"%s  the SMMU takes the low bits as zero and walks the table at %llx\n",
		indent, (ulonglong)t->base_addr,
		t->fmt == SMMU_STRTAB_2LVL ? "L1" : "linear",
		(ulonglong)smmu_strtab_align(t), indent, (ulonglong)t->base);
}

static void
smmu_print_walk(const struct smmu_walk *w, const struct smmu_walk *s2w,
		const char *indent)
{
	int i;

	for (i = 0; i < w->nr; i++) {
		const struct smmu_pt_step *st = &w->step[i];

		fprintf(fp, "%sL%d: %llx [%x] %llx => %016llx %s%s\n", indent,
			st->level, (ulonglong)st->table, st->index,
			(ulonglong)st->desc_pa, (ulonglong)st->desc,
			smmu_desc_type_str(st->type),
			st->filtered ? " (filtered page: read as zero)" : "");
		if (s2w && st->desc_pa != st->desc_addr)
			fprintf(fp, "%s    (IPA %llx -> PA %llx by stage 2)\n",
				indent, (ulonglong)st->desc_addr,
				(ulonglong)st->desc_pa);
	}
	if (w->fault)
		fprintf(fp, "%s%s at level %d\n", indent,
			smmu_fault_str(w->fault), w->fault_level);
}

static const char *
smmu_size_str(uint64_t size, char *buf, int len)
{
	if (size >= (1ULL << 30))
		snprintf(buf, len, "%lluG", (ulonglong)(size >> 30));
	else if (size >= (1ULL << 20))
		snprintf(buf, len, "%lluM", (ulonglong)(size >> 20));
	else
		snprintf(buf, len, "%lluK", (ulonglong)(size >> 10));
	return buf;
}

/* ---- -s: STE and CDs --------------------------------------------------- */

static void
smmu_print_l1(const struct smmu_ste_loc *loc)
{
	if (!loc->l1_addr)
		return;
	if (loc->l1_replaced) {
		if (loc->l1_unreadable)
			fprintf(fp, "  L1 DESCRIPTOR: %llx not in the dump\n",
				(ulonglong)loc->l1_addr);
		else
			fprintf(fp, "  L1 DESCRIPTOR: %llx => %016llx in the dump%s\n",
				(ulonglong)loc->l1_addr,
				(ulonglong)loc->l1_mem,
				loc->l1_filtered ?
				" (filtered page: read as zero)" : "");
		if (loc->l1_after_dd) {
			fprintf(fp, "    the driver had no L2 table here (strtab_cfg.l2.l2ptrs) and the device dump\n"
				"    records no store: rewritten after the device dump was saved (the crash\n"
				"    kernel's log says so)\n"
				"    using the one at the crash: span 0, no L2 table\n");
			return;
		}
		fprintf(fp, loc->l1_from_dd ?
			"    rewritten after the crash: the device dump records the store\n" :
			"    not the driver's L2 table (strtab_cfg.l2.l2ptrs): rewritten after the crash?\n");
		fprintf(fp, "    using the one at the crash (%s): => %016llx (span %u, L2 %llx)\n",
			loc->l1_from_dd ? "the device dump's record of the store" :
			"the driver's",
			(ulonglong)loc->l1desc, SMMU_L1STD_SPAN(loc->l1desc),
			(ulonglong)SMMU_L1STD_L2PTR(loc->l1desc));
		return;
	}
	if (loc->l1_unreadable)
		return;
	fprintf(fp, "  L1 DESCRIPTOR: %llx => %016llx", (ulonglong)loc->l1_addr,
		(ulonglong)loc->l1desc);
	if (SMMU_L1STD_SPAN(loc->l1desc))
		fprintf(fp, " (span %u, L2 %llx)", SMMU_L1STD_SPAN(loc->l1desc),
			(ulonglong)loc->l2);
	fprintf(fp, "%s\n",
		loc->l1_filtered ? " (filtered page: read as zero)" : "");
	if (loc->l2 != SMMU_L1STD_L2PTR(loc->l1desc))
		fprintf(fp, "    UNALIGNED: L2Ptr %llx is not aligned to the L2 table's size (%#llx):\n"
			"      the SMMU takes the low bits as zero\n",
			(ulonglong)SMMU_L1STD_L2PTR(loc->l1desc),
			(ulonglong)SMMU_STE_SIZE <<
			(SMMU_L1STD_SPAN(loc->l1desc) - 1));
	if (loc->l1_damaged)
		fprintf(fp, "    not the driver's L2 table (strtab_cfg.l2.l2ptrs), and the device dump records no\n"
			"    store to it: changed before the crash (the SMMU walked it as it is) or after\n"
			"    the device dump was saved (the crash kernel's log says so); walked as it is\n");
}

#define STE_QUIET	0	/* print nothing */
#define STE_ERRORS	1	/* print why the STE cannot be read */
#define STE_VERBOSE	2	/* and where it is */

static int
smmu_load_ste(struct smmu_inst *inst, uint32_t sid, struct smmu_ste_loc *loc,
	      struct smmu_ste *ste, int *filtered, int verbose)
{
	unsigned char raw[SMMU_STE_SIZE];
	struct smmu_mem mem;
	int ret;

	smmu_mem(inst, &mem);
	if (smmu_ste_locate(&inst->strtab, sid, &mem, loc)) {
		if (verbose) {
			smmu_print_l1(loc);
			fprintf(fp, "  %s\n", smmu_ste_loc_str(loc->status));
		}
		return -1;
	}
	ret = mem.read(mem.ctx, loc->addr, raw, sizeof(raw));
	if (ret == SMMU_READ_FAIL) {
		if (verbose) {
			smmu_print_l1(loc);
			fprintf(fp, "  STE at %llx: not in the dump%s\n",
				(ulonglong)loc->addr, loc->l1_addr &&
				!loc->l1_replaced && !loc->l1_damaged ?
				" (L1 descriptor rewritten after the crash? see \"smmu -d\")" :
				"");
		}
		return -1;
	}
	*filtered = ret == SMMU_READ_ZERO;
	if (verbose == STE_VERBOSE) {
		smmu_print_l1(loc);
		fprintf(fp, "  STE: %llx%s\n", (ulonglong)loc->addr,
			*filtered ? " (filtered page: read as zero)" : "");
	}
	smmu_ste_decode_bytes(raw, &inst->caps, ste);
	return 0;
}

static void
smmu_print_cd(struct smmu_inst *inst, struct smmu_ste *ste, uint32_t ssid)
{
	struct smmu_xlate x;
	struct smmu_mem mem;
	char label[32];

	smmu_mem(inst, &mem);
	BZERO(&x, sizeof(x));
	if (ste->cfg == SMMU_STE_CFG_NESTED &&
	    smmu_pt_cfg_s2(ste, &inst->caps, &x.s2cfg)) {
		fprintf(fp, "  CD: stage-2 fields cannot be walked\n");
		return;
	}
	if (ssid == SMMU_NO_SSID)
		snprintf(label, sizeof(label), "no SubstreamID");
	else
		snprintf(label, sizeof(label), "SubstreamID %#x", ssid);
	if (smmu_cd_fetch(ste, ssid, &inst->caps, &mem, &x)) {
		fprintf(fp, "  CD (%s): %s\n", label, x.why);
		return;
	}
	if (x.bypass_s1) {
		fprintf(fp, "  CD (%s): none, S1DSS bypasses stage 1\n", label);
		return;
	}
	fprintf(fp, "  CD (%s -> CD %u):", label, x.ssid);
	if (x.l1cd_addr)
		fprintf(fp, " L1CD %llx => %016llx,", (ulonglong)x.l1cd_addr,
			(ulonglong)x.l1cd);
	fprintf(fp, " %llx", (ulonglong)x.cd_addr);
	if (x.cd_pa != x.cd_addr)
		fprintf(fp, " (PA %llx)", (ulonglong)x.cd_pa);
	fprintf(fp, "%s\n", x.cd_filtered ? " (filtered page: read as zero)" :
		"");
	smmu_cd_print(fp, &x.cd, "    ");
}

static void
smmu_print_all_cds(struct smmu_inst *inst, struct smmu_ste *ste)
{
	uint32_t i, n = smmu_ste_nr_cds(ste), shown = 0, limit;
	struct smmu_xlate x;
	struct smmu_mem mem;

	if (!smmu_ste_s1(ste)) {
		fprintf(fp, "  no CD table: stage 1 is not enabled\n");
		return;
	}
	smmu_mem(inst, &mem);
	BZERO(&x, sizeof(x));
	if (ste->cfg == SMMU_STE_CFG_NESTED &&
	    smmu_pt_cfg_s2(ste, &inst->caps, &x.s2cfg))
		return;
	limit = inst->caps.ssid_bits < 20 ? 1U << inst->caps.ssid_bits :
		1U << 20;
	if (n > limit)
		n = limit;
	fprintf(fp, "  CD TABLE: %llx  %u CD%s\n", (ulonglong)ste->s1ctxptr,
		n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		uint32_t ssid = (i == 0 && (!ste->s1cdmax ||
			    ste->s1dss == SMMU_S1DSS_SSID0)) ? SMMU_NO_SSID : i;

		if (smmu_cd_fetch(ste, ssid, &inst->caps, &mem, &x) ||
		    x.bypass_s1)
			continue;
		fprintf(fp, "  CD %u: %llx%s\n", i, (ulonglong)x.cd_addr,
			x.cd_filtered ? " (filtered page: read as zero)" : "");
		smmu_cd_print(fp, &x.cd, "    ");
		shown++;
	}
	fprintf(fp, "  %u valid CD%s\n", shown, shown == 1 ? "" : "s");
}

static void
smmu_show_ste(struct smmu_inst *inst, uint32_t sid, uint32_t ssid,
	      int all_cds)
{
	struct smmu_ste_loc loc;
	struct smmu_ste ste;
	int filtered = FALSE;

	fprintf(fp, "STREAMID: %#x  DEVICE: %s\n", sid,
		inst->addr ? smmu_stream_dev(inst, sid) : "-");
	if (smmu_load_ste(inst, sid, &loc, &ste, &filtered, STE_VERBOSE))
		return;
	smmu_ste_print(fp, &ste, "  ");
	if (!ste.v)
		return;
	if (!smmu_ste_s1(&ste)) {
		if (all_cds || ssid != SMMU_NO_SSID)
			fprintf(fp, "  no CD: stage 1 is not enabled\n");
		return;
	}
	if (all_cds)
		smmu_print_all_cds(inst, &ste);
	else
		smmu_print_cd(inst, &ste, ssid);
}

/* ---- -t: translation ---------------------------------------------------- */

static void
smmu_show_xlate(struct smmu_inst *inst, uint32_t sid, uint32_t ssid,
		uint64_t iova)
{
	struct smmu_ste_loc loc;
	struct smmu_ste ste;
	struct smmu_xlate *x;
	struct smmu_mem mem;
	char sbuf[16], pbuf[16], ssidbuf[16];
	int filtered, i, nested;

	if (ssid == SMMU_NO_SSID)
		snprintf(ssidbuf, sizeof(ssidbuf), "none");
	else
		snprintf(ssidbuf, sizeof(ssidbuf), "%#x", ssid);
	fprintf(fp, "STREAMID: %#x  SSID: %s  IOVA: %llx  DEVICE: %s\n", sid,
		ssidbuf, (ulonglong)iova,
		inst->addr ? smmu_stream_dev(inst, sid) : "-");
	if (smmu_load_ste(inst, sid, &loc, &ste, &filtered, STE_ERRORS))
		return;
	fprintf(fp, "  STE: %llx  CONFIG: %s%s%s\n", (ulonglong)loc.addr,
		smmu_ste_cfg_str(ste.cfg),
		!loc.l1_replaced ? "" : loc.l1_from_dd ?
		"  (L1 descriptor from the device dump's record)" :
		"  (L2 table from the driver's l2ptrs[])",
		filtered ? "  (filtered page: read as zero)" : "");

	x = (struct smmu_xlate *)GETBUF(sizeof(*x));
	smmu_mem(inst, &mem);
	smmu_translate(&ste, ssid, iova, &inst->caps, &mem, x);
	nested = !x->bypass_s1 && !x->bypass_s2;

	if (!x->bypass_s1 && x->cd_addr) {
		fprintf(fp, "  CD %u: %llx", x->ssid, (ulonglong)x->cd_addr);
		if (x->cd_pa != x->cd_addr)
			fprintf(fp, " (PA %llx)", (ulonglong)x->cd_pa);
		if (x->cd.v)
			fprintf(fp, "  ASID: %u  TTB0: %llx", x->cd.asid,
				(ulonglong)x->cd.ttb0);
		fprintf(fp, "\n");
	}
	if (x->s1cfg.stage) {
		fprintf(fp, "  STAGE 1: %u-bit IOVA, %uK granule, start level %d, %u-bit output\n",
			x->s1cfg.ia_bits, 1U << (x->s1cfg.pg_shift - 10),
			x->s1cfg.start, x->s1cfg.oa_bits);
		smmu_print_walk(&x->s1, nested ? x->s1_s2 : NULL, "    ");
		if (nested)
			for (i = 0; i < SMMU_PT_LEVELS; i++)
				if (x->s1_s2[i].nr && x->s1_s2[i].fault)
					smmu_print_walk(&x->s1_s2[i], NULL,
							"      S2 ");
		if (!x->s1.fault && nested)
			fprintf(fp, "    IPA: %llx\n", (ulonglong)x->s1.out);
	}
	if (x->s2cfg.stage && (x->s2.nr || x->bypass_s1)) {
		fprintf(fp, "  STAGE 2: VMID %u, %u-bit IPA, %uK granule, start level %d, %u-bit output\n",
			ste.s2vmid, x->s2cfg.ia_bits,
			1U << (x->s2cfg.pg_shift - 10), x->s2cfg.start,
			x->s2cfg.oa_bits);
		smmu_print_walk(&x->s2, NULL, "    ");
	}
	if (x->fault) {
		fprintf(fp, "  TRANSLATION: iova %llx faults: %s%s%s\n",
			(ulonglong)iova, smmu_fault_str(x->fault),
			x->why ? " - " : "", x->why ? x->why : "");
	} else {
		/* the leaf that limits the size: the smaller stage's */
		const struct smmu_walk *lw = !x->bypass_s2 &&
			x->s2.size == x->size ? &x->s2 : &x->s1;

		smmu_perm_str(x->perm, pbuf, sizeof(pbuf));
		if (x->size && lw->nr)
			fprintf(fp, "  TRANSLATION: iova %llx -> pa %llx  (%s %s, %s)\n",
				(ulonglong)iova, (ulonglong)x->pa,
				smmu_size_str(x->size, sbuf, sizeof(sbuf)),
				smmu_desc_type_str(lw->step[lw->nr - 1].type),
				pbuf);
		else
			fprintf(fp, "  TRANSLATION: iova %llx -> pa %llx  (bypass)\n",
				(ulonglong)iova, (ulonglong)x->pa);
	}
	FREEBUF(x);
}

/* ---- -a: every valid STE ------------------------------------------------ */

struct smmu_all_arg {
	struct smmu_inst *inst;
	struct smmu_mem	mem;
	struct smmu_xlate *x;
	uint64_t	valid, illegal, filtered, aborts, sw_l2, unaligned;
};

static int
smmu_all_one(void *arg, uint32_t sid, uint64_t addr,
	     const struct smmu_ste *ste, unsigned int flags)
{
	struct smmu_all_arg *a = arg;
	int filtered = flags & SMMU_VISIT_FILTERED;
	char what[160], sidbuf[16], stebuf[24];
	const char *cells[SMMU_ALL_NR_COLS];
	size_t len;

	a->valid++;
	if (filtered)
		a->filtered++;
	if (ste->cfg == SMMU_STE_CFG_ABORT && !ste->errors) {
		a->aborts++;
		return 0;
	}
	what[0] = '\0';
	if (ste->errors) {
		a->illegal++;
		snprintf(what, sizeof(what), "ILLEGAL (C_BAD_STE)");
	} else if (ste->cfg == SMMU_STE_CFG_S1 ||
		   ste->cfg == SMMU_STE_CFG_NESTED) {
		BZERO(a->x, sizeof(*a->x));
		if (ste->cfg == SMMU_STE_CFG_NESTED)
			smmu_pt_cfg_s2(ste, &a->inst->caps, &a->x->s2cfg);
		if (!smmu_cd_fetch(ste, SMMU_NO_SSID, &a->inst->caps, &a->mem,
				   a->x) && !a->x->bypass_s1)
			snprintf(what, sizeof(what), "CD %llx ASID %u TTB0 %llx",
				 (ulonglong)a->x->cd_addr, a->x->cd.asid,
				 (ulonglong)a->x->cd.ttb0);
		else
			snprintf(what, sizeof(what), "CD %llx (%s)",
				 (ulonglong)ste->s1ctxptr,
				 a->x->bypass_s1 ? "S1DSS bypass" :
				 a->x->why ? "no usable CD" : "?");
		if (ste->cfg == SMMU_STE_CFG_NESTED) {
			size_t l = strlen(what);

			snprintf(what + l, sizeof(what) - l,
				 " VMID %u S2TTB %llx", ste->s2vmid,
				 (ulonglong)ste->s2ttb);
		}
	} else if (ste->cfg == SMMU_STE_CFG_S2) {
		snprintf(what, sizeof(what), "VMID %u S2TTB %llx",
			 ste->s2vmid, (ulonglong)ste->s2ttb);
	}
	if (flags & SMMU_VISIT_SW_L2)
		a->sw_l2++;
	if (flags & SMMU_VISIT_L2_UNALIGNED)
		a->unaligned++;
	len = strlen(what);
	snprintf(what + len, sizeof(what) - len, "%s%s",
		 filtered ? "  (filtered)" : "",
		 flags & SMMU_VISIT_SW_L2 ? "  (L1 descriptor at the crash)" : "");
	snprintf(stebuf, sizeof(stebuf), "%llx", (ulonglong)addr);
	snprintf(sidbuf, sizeof(sidbuf), "0x%x", sid);
	cells[0] = sidbuf;
	cells[1] = stebuf;
	cells[2] = smmu_ste_cfg_str(ste->cfg);
	cells[3] = a->inst->addr ? smmu_stream_dev(a->inst, sid) : "-";
	cells[4] = what;
	smmu_table_row(fp, smmu_cols_all, SMMU_ALL_NR_COLS, "", cells);
	return 0;
}

static void
smmu_show_all(struct smmu_inst *inst)
{
	struct smmu_all_arg a;
	uint64_t unreadable;

	BZERO(&a, sizeof(a));
	a.inst = inst;
	smmu_mem(inst, &a.mem);
	a.x = (struct smmu_xlate *)GETBUF(sizeof(*a.x));
	smmu_table_header(fp, smmu_cols_all, SMMU_ALL_NR_COLS, "");
	smmu_strtab_for_each(&inst->strtab, &inst->caps, &a.mem,
			     smmu_all_one, &a, &unreadable);
	fprintf(fp, "%llu valid STE%s in %llu StreamIDs",
		(ulonglong)a.valid, a.valid == 1 ? "" : "s",
		1ULL << inst->strtab.log2size);
	if (a.aborts)
		fprintf(fp, ", %llu abort (not listed)", (ulonglong)a.aborts);
	if (a.sw_l2)
		fprintf(fp, ", %llu through L1 descriptors rewritten after the crash",
			(ulonglong)a.sw_l2);
	if (a.unaligned)
		fprintf(fp, ", %llu through unaligned L2Ptrs (low bits taken as zero)",
			(ulonglong)a.unaligned);
	if (a.illegal)
		fprintf(fp, ", %llu ILLEGAL", (ulonglong)a.illegal);
	if (unreadable)
		fprintf(fp, ", %llu not in the dump", (ulonglong)unreadable);
	fprintf(fp, "\n");
	FREEBUF(a.x);
}

/* ---- -p: reverse lookup --------------------------------------------------- */

struct smmu_rmap_arg {
	struct smmu_inst *inst;
	uint64_t	hits;
};

static int
smmu_rmap_one(void *arg, const struct smmu_rmap_hit *h)
{
	struct smmu_rmap_arg *a = arg;
	const char *cells[SMMU_RMAP_NR_COLS];
	char sid[16], ssid[16], iova[24], ipa[24], pa[24], size[16];
	char perm[8], note[96];
	size_t len = 0;

	a->hits++;
	snprintf(sid, sizeof(sid), "0x%x", h->sid);
	if (h->ssid == SMMU_NO_SSID)
		snprintf(ssid, sizeof(ssid), "-");
	else
		snprintf(ssid, sizeof(ssid), "%#x", h->ssid);
	snprintf(iova, sizeof(iova), "%llx", (ulonglong)h->iova);
	if (h->ipa == SMMU_RMAP_NO_IPA)
		snprintf(ipa, sizeof(ipa), "-");
	else
		snprintf(ipa, sizeof(ipa), "%llx", (ulonglong)h->ipa);
	snprintf(pa, sizeof(pa), "%llx", (ulonglong)h->pa);
	if (h->size)
		smmu_size_str(h->size, size, sizeof(size));
	else
		snprintf(size, sizeof(size), "-");
	/* "priv" goes to the NOTE column */
	smmu_perm_str(h->perm & ~SMMU_PERM_PRIV_ONLY, perm, sizeof(perm));

	note[0] = '\0';
	if (h->flags & SMMU_RMAP_BYPASS)
		len += snprintf(note + len, sizeof(note) - len, "bypass ");
	if (h->flags & SMMU_RMAP_S1DSS_BYPASS)
		len += snprintf(note + len, sizeof(note) - len,
				"S1DSS=bypass ");
	if ((h->cfg == SMMU_STE_CFG_S1 || h->cfg == SMMU_STE_CFG_NESTED) &&
	    !(h->flags & (SMMU_RMAP_BYPASS | SMMU_RMAP_S1DSS_BYPASS)))
		len += snprintf(note + len, sizeof(note) - len, "ASID=%u ",
				h->asid);
	if (h->cfg == SMMU_STE_CFG_S2 || h->cfg == SMMU_STE_CFG_NESTED)
		len += snprintf(note + len, sizeof(note) - len, "VMID=%u ",
				h->vmid);
	if (h->perm & SMMU_PERM_PRIV_ONLY)
		len += snprintf(note + len, sizeof(note) - len, "priv ");
	if (h->flags & SMMU_RMAP_AF_FAULT)
		len += snprintf(note + len, sizeof(note) - len,
				"AF=0(faults) ");
	if (len && len < sizeof(note))
		note[len - 1] = '\0';

	cells[0] = sid;
	cells[1] = ssid;
	cells[2] = iova;
	cells[3] = ipa;
	cells[4] = pa;
	cells[5] = size;
	cells[6] = perm;
	cells[7] = smmu_ste_cfg_str(h->cfg);
	cells[8] = a->inst->addr ? smmu_stream_dev(a->inst, h->sid) : "-";
	cells[9] = note;
	smmu_table_row(fp, smmu_cols_rmap, SMMU_RMAP_NR_COLS, "", cells);
	return 0;
}

/*
 * Every mapping of pa through the SMMU's stream table, or only through
 * the StreamIDs in sids[] (nr_sids > 0).
 */
static void
smmu_show_rmap(struct smmu_inst *inst, uint64_t pa, const uint32_t *sids,
	       int nr_sids)
{
	struct smmu_rmap_stats st;
	struct smmu_rmap_arg a;
	struct smmu_ste_loc loc;
	struct smmu_ste ste;
	struct smmu_mem mem;
	int i, filtered;

	BZERO(&st, sizeof(st));
	BZERO(&a, sizeof(a));
	a.inst = inst;
	smmu_mem(inst, &mem);
	smmu_table_header(fp, smmu_cols_rmap, SMMU_RMAP_NR_COLS, "");
	if (!nr_sids) {
		smmu_rmap_strtab(&inst->strtab, pa, &inst->caps, &mem,
				 smmu_rmap_one, &a, &st);
	} else {
		for (i = 0; i < nr_sids; i++) {
			if (smmu_load_ste(inst, sids[i], &loc, &ste, &filtered,
					  STE_QUIET)) {
				/* not one that has none (Span 0, out of range) */
				if (loc.status == SMMU_STE_FOUND ||
				    loc.status == SMMU_STE_READ_ERR)
					st.unreadable_stes++;
				continue;
			}
			if (!ste.v)
				continue;
			st.stes++;
			smmu_rmap_ste(&ste, sids[i], pa, &inst->caps, &mem,
				      smmu_rmap_one, &a, &st);
		}
	}
	fprintf(fp, "%llu mapping%s of %llx: %llu valid STE%s, %llu CD%s, %llu table%s read",
		(ulonglong)a.hits, a.hits == 1 ? "" : "s", (ulonglong)pa,
		(ulonglong)st.stes, st.stes == 1 ? "" : "s",
		(ulonglong)st.cds, st.cds == 1 ? "" : "s",
		(ulonglong)st.tables, st.tables == 1 ? "" : "s");
	if (st.unreadable)
		fprintf(fp, ", %llu not in the dump", (ulonglong)st.unreadable);
	if (st.unreadable_stes)
		fprintf(fp, ", %llu STE%s not in the dump",
			(ulonglong)st.unreadable_stes,
			st.unreadable_stes == 1 ? "" : "s");
	if (st.truncated)
		fprintf(fp, ", %llu walk%s cut at the extension's bounds",
			(ulonglong)st.truncated, st.truncated == 1 ? "" : "s");
	fprintf(fp, "\n");
}

/* ---- -e: event queue ------------------------------------------------------ */

/* Returns -1 if the entry is not in the dump */
static int
smmu_print_evt_at(struct smmu_inst *inst, const struct smmu_queue_state *q,
		  uint32_t idx)
{
	struct smmu_mem mem;
	char label[16];

	smmu_mem(inst, &mem);
	snprintf(label, sizeof(label), "  [%u] ", idx);
	if (!smmu_evt_show_at(fp, &mem,
			      q->base_dma + (uint64_t)idx * q->ent_dwords * 8,
			      label))
		return 0;
	fprintf(fp, "%snot in the dump\n", label);
	return -1;
}

static void
smmu_show_events(struct smmu_inst *inst)
{
	struct smmu_queue_state *q = &inst->evtq;
	unsigned char raw[SMMU_EVT_SIZE];
	uint32_t n, used, i, idx, extra = 0;
	struct smmu_mem mem;

	if (!q->base_dma || !q->shift || q->ent_dwords != SMMU_EVT_DWORDS) {
		fprintf(fp, "EVTQ: not set up\n");
		return;
	}
	n = 1U << q->shift;
	used = smmu_q_used(q->prod, q->cons, q->shift);
	fprintf(fp, "EVTQ: %llx  %u entries  PROD: %#x  CONS: %#x (the driver's copies)\n",
		(ulonglong)q->base_dma, n, q->prod, q->cons);
	/* As "smmu -d" does: a queue they cannot describe is not followed */
	if (!smmu_q_ptrs_ok(q->prod, q->cons, q->shift)) {
		fprintf(fp, "  PROD and CONS inconsistent: not followed\n");
		return;
	}
	fprintf(fp, "  %u event%s read by the driver but not consumed\n", used,
		used == 1 ? "" : "s");
	/* As "smmu -d" does: the rest of an unreadable queue is too */
	for (i = 0; i < used; i++)
		if (smmu_print_evt_at(inst, q,
				      smmu_q_idx(q->cons + i, q->shift)))
			break;

	/*
	 * PROD is only re-read from the register by the event thread; the
	 * SMMU may have written more since.  The queue memory starts zeroed,
	 * so non-zero entries after PROD are such events - or, once the queue
	 * has wrapped, old ones.
	 */
	smmu_mem(inst, &mem);
	for (i = used; i < n; i++) {
		idx = smmu_q_idx(q->prod + (i - used), q->shift);
		if (mem.read(mem.ctx, q->base_dma + (uint64_t)idx * SMMU_EVT_SIZE,
			     raw, sizeof(raw)) == SMMU_READ_FAIL)
			break;
		if (!smmu_le64(raw))
			break;
		if (!extra++)
			fprintf(fp, "  non-zero entries after the driver's PROD (events it had not seen yet, or\n"
				"  entries of an earlier pass if the queue has wrapped):\n");
		if (extra <= 16)
			smmu_print_evt_at(inst, q, idx);
	}
	if (extra > 16)
		fprintf(fp, "  ... %u more\n", extra - 16);
	if (!used && !extra)
		fprintf(fp, "  no pending events\n");
	if (inst->has_dd)
		fprintf(fp, "  (\"smmu -d\" shows the EVTQ registers and events at handover)\n");
}

/* ---- -d: device dump -------------------------------------------------- */

static void
smmu_show_devdump(struct smmu_inst *inst)
{
	const struct smmu_dd *dd = &inst->dd;
	static const char *const flag_names[] = {
		"SMMUEN", "ADOPTED", "TRUNCATED"
	};
	struct smmu_dd_evtq evtq;
	struct smmu_strtab t;
	struct smmu_mem mem;
	char buf[BUFSIZE];
	uint64_t cfg, now;
	uint32_t i, n;
	int saved_undo, ret;

	fprintf(fp, "DEVICE DUMP: %s  version %u, %u bytes\n", inst->dd_name,
		dd->version, (uint32_t)dd->len);
	smmu_bits_str(dd->flags, flag_names, 3, buf, sizeof(buf));
	fprintf(fp, "  SMMU BASE: %llx  MODE: %s (%u)  FLAGS: %#x%s%s%s\n",
		(ulonglong)dd->smmu_base, smmu_dd_mode_str(dd->mode), dd->mode,
		dd->flags, dd->flags ? " (" : "", buf, dd->flags ? ")" : "");

	n = smmu_dd_count(dd, SMMU_KDUMP_SECT_REGS);
	fprintf(fp, "\n  REGISTERS AT HANDOVER (%u):\n", n);
	for (i = 0; i < n; i++) {
		struct smmu_dd_reg r;
		const char *name;

		smmu_dd_reg(dd, i, &r);
		name = smmu_reg_name(r.offset);
		smmu_reg_fields(r.offset, r.value, buf, sizeof(buf));
		if (name)
			fprintf(fp, "    %-20s %#18llx", name,
				(ulonglong)r.value);
		else
			fprintf(fp, "    %#-20x %#18llx", r.offset,
				(ulonglong)r.value);
		fprintf(fp, "%s%s%s\n", buf[0] ? "  (" : "", buf,
			buf[0] ? ")" : "");
	}
	ret = smmu_dd_strtab(dd, &t, &cfg);
	if (ret < 0)
		fprintf(fp, "    stream table: reserved STRTAB_BASE_CFG\n");
	else if (!ret) {
		fprintf(fp, "    stream table: %s\n",
			smmu_strtab_str(&t, buf, sizeof(buf)));
		smmu_print_strtab_align(&t, "    ");
	}
	if (ret <= 0 && smmu_dd_strtab_other(inst, &t))
		fprintf(fp, "    (the driver's table in the dump: %s)\n",
			smmu_strtab_str(&inst->strtab, buf, sizeof(buf)));
	/* the count only when the registers pass the checks, see below */
	if (smmu_dd_evtq(dd, &evtq) == SMMU_DD_EVTQ_OK)
		fprintf(fp, "    event queue: %u entr%s pending at handover\n",
			evtq.pending, evtq.pending == 1 ? "y" : "ies");

	n = smmu_dd_count(dd, SMMU_KDUMP_SECT_STREAMS);
	fprintf(fp, "\n  STREAMS (%u):\n", n);
	if (n)
		smmu_table_header(fp, smmu_cols_dd_streams,
				  SMMU_DD_STREAMS_NR_COLS, "    ");
	for (i = 0; i < n; i++) {
		const char *cells[SMMU_DD_STREAMS_NR_COLS];
		struct smmu_dd_stream s;
		char sidbuf[16], ste0[24];

		smmu_dd_stream(dd, i, &s);
		snprintf(ste0, sizeof(ste0), "%016llx", (ulonglong)s.ste0);
		snprintf(sidbuf, sizeof(sidbuf), "0x%x", s.sid);
		cells[0] = sidbuf;
		cells[1] = smmu_dd_decision_str(s.decision);
		cells[2] = smmu_dd_reason_str(s.reason);
		cells[3] = ste0;
		cells[4] = inst->addr ? smmu_stream_dev(inst, s.sid) : "-";
		smmu_table_row(fp, smmu_cols_dd_streams,
			       SMMU_DD_STREAMS_NR_COLS, "    ", cells);
	}

	n = smmu_dd_count(dd, SMMU_KDUMP_SECT_WRITES);
	fprintf(fp, "\n  WRITES TO THE CRASHED KERNEL'S MEMORY (%u):\n", n);
	if (n)
		smmu_table_header(fp, smmu_cols_dd_writes,
				  SMMU_DD_WRITES_NR_COLS, "    ");
	saved_undo = smmu_cmd.undo;
	smmu_cmd.undo = FALSE;
	smmu_mem(inst, &mem);
	for (i = 0; i < n; i++) {
		const char *cells[SMMU_DD_WRITES_NR_COLS];
		char sid[16], phys[24], old[24], new[24];
		struct smmu_dd_write w;
		unsigned char raw[8];
		const char *state;

		smmu_dd_write(dd, i, &w);
		if (w.sid == SMMU_KDUMP_NO_SID)
			snprintf(sid, sizeof(sid), "-");
		else
			snprintf(sid, sizeof(sid), "0x%x", w.sid);
		state = "unreadable";
		if ((w.size == 4 || w.size == 8) &&
		    mem.read(mem.ctx, w.phys, raw, w.size) != SMMU_READ_FAIL) {
			now = w.size == 8 ? smmu_le64(raw) : smmu_le32(raw);
			state = now == w.new ? "new" :
				now == w.old ? "old" : "changed";
		}
		snprintf(phys, sizeof(phys), "%llx", (ulonglong)w.phys);
		snprintf(old, sizeof(old), "%016llx", (ulonglong)w.old);
		snprintf(new, sizeof(new), "%016llx", (ulonglong)w.new);
		cells[0] = phys;
		cells[1] = smmu_dd_kind_str(w.kind);
		cells[2] = sid;
		cells[3] = old;
		cells[4] = new;
		cells[5] = state;
		smmu_table_row(fp, smmu_cols_dd_writes, SMMU_DD_WRITES_NR_COLS,
			       "    ", cells);
	}

	/*
	 * Not copied into the device dump: the crashed kernel's event queue
	 * is in the dump's memory, where the snapshot's EVTQ registers say
	 * (checked first: they are whatever the SMMU was left with).
	 */
	smmu_dd_show_events(fp, dd, &mem);
	smmu_cmd.undo = saved_undo;

	if (dd->flags & SMMU_KDUMP_F_TRUNCATED)
		fprintf(fp, "\n  (truncated: the crash kernel left out the decisions past its 4 MB size\n   limit; its stores come first)\n");
}


/* ---- no option: list ------------------------------------------------------ */

static void
smmu_print_queue(const char *name, const struct smmu_queue_state *q)
{
	if (!q->base_dma || !q->shift) {
		fprintf(fp, "  %s: not set up\n", name);
		return;
	}
	fprintf(fp, "  %s: %llx  %u entries  PROD: %#x  CONS: %#x  ",
		name, (ulonglong)q->base_dma, 1U << q->shift, q->prod, q->cons);
	if (smmu_q_ptrs_ok(q->prod, q->cons, q->shift))
		fprintf(fp, "(%u used)\n",
			smmu_q_used(q->prod, q->cons, q->shift));
	else
		fprintf(fp, "(PROD and CONS inconsistent)\n");
}

struct smmu_count {
	uint64_t	valid, illegal, filtered, cfg[8];
};

static int
smmu_count_one(void *arg, uint32_t sid, uint64_t addr,
	       const struct smmu_ste *ste, unsigned int flags)
{
	struct smmu_count *c = arg;

	c->valid++;
	c->cfg[ste->cfg & 7]++;
	if (ste->errors)
		c->illegal++;
	if (flags & SMMU_VISIT_FILTERED)
		c->filtered++;
	return 0;
}

/* One line per SMMU: the INDEX that "-i" takes, and what identifies it. */
static void
smmu_show_table(struct smmu_inst *inst, int n, const struct smmu_count *cnt)
{
	const char *cells[SMMU_LIST_NR_COLS];
	char idx[16], addr[24], mmio[24], strtab[32], stes[24];
	char dd[SMMU_VMCOREDD_NAME_BYTES + 16];
	int i;

	smmu_table_header(fp, smmu_cols_list, SMMU_LIST_NR_COLS, "");
	for (i = 0; i < n; i++) {
		snprintf(idx, sizeof(idx), "%d", inst[i].index);
		snprintf(addr, sizeof(addr), "%lx", inst[i].addr);
		snprintf(mmio, sizeof(mmio), inst[i].mmio ? "%llx" : "-",
			 (ulonglong)inst[i].mmio);
		if (!inst[i].strtab_ok)
			snprintf(strtab, sizeof(strtab), "-");
		else
			snprintf(strtab, sizeof(strtab), "%s:%llx",
				 inst[i].strtab.fmt == SMMU_STRTAB_2LVL ?
				 "2lvl" : "linear",
				 (ulonglong)inst[i].strtab.base);
		snprintf(stes, sizeof(stes), inst[i].strtab_ok ? "%llu" : "-",
			 (ulonglong)cnt[i].valid);
		cells[0] = idx;
		cells[1] = addr;
		cells[2] = inst[i].name;
		cells[3] = mmio;
		cells[4] = strtab;
		cells[5] = stes;
		if (inst[i].has_dd)
			snprintf(dd, sizeof(dd), "%s", inst[i].dd_name);
		else if (inst[i].dd_err[0])
			snprintf(dd, sizeof(dd), "%s (unusable)",
				 inst[i].dd_name);
		else
			snprintf(dd, sizeof(dd), "-");
		cells[6] = dd;
		smmu_table_row(fp, smmu_cols_list, SMMU_LIST_NR_COLS, "", cells);
	}
}

static void
smmu_show_list(struct smmu_inst *inst, int n)
{
	char buf[BUFSIZE];
	struct smmu_count *counts, cnt;
	struct smmu_mem mem;
	uint64_t *unreadables, unreadable, nr_l1, pop, rewritten, damaged;
	uint64_t unaligned;
	int i, cfg;

	counts = (struct smmu_count *)GETBUF(sizeof(*counts) * n);
	unreadables = (uint64_t *)GETBUF(sizeof(*unreadables) * n);
	for (i = 0; i < n; i++) {
		if (!inst[i].strtab_ok)
			continue;
		smmu_mem(&inst[i], &mem);
		smmu_strtab_for_each(&inst[i].strtab, &inst[i].caps,
				     &mem, smmu_count_one, &counts[i],
				     &unreadables[i]);
	}
	smmu_show_table(inst, n, counts);

	for (i = 0; i < n; i++, inst++) {
		fprintf(fp, "\n");
		fprintf(fp, "SMMU %d: %lx  DEVICE: %s  MMIO: %llx\n",
			inst->index, inst->addr, inst->name,
			(ulonglong)inst->mmio);
		smmu_bits_str(inst->features, smmu_feature_names,
			      SMMU_NR_FEATURES, buf, sizeof(buf));
		fprintf(fp, "  FEATURES: %#x (%s)\n", inst->features, buf);
		smmu_options_str(inst->options, smmu_has_kdump_adopt(), buf,
				 sizeof(buf));
		fprintf(fp, "  OPTIONS: %#x%s%s%s\n", inst->options,
			inst->options ? " (" : "", buf,
			inst->options ? ")" : "");
		fprintf(fp, "  IAS: %u  OAS: %u  SID_BITS: %u  SSID_BITS: %u  ASID_BITS: %u  VMID_BITS: %u\n",
			inst->caps.ias, inst->caps.oas, inst->caps.sid_bits,
			inst->caps.ssid_bits, inst->asid_bits,
			inst->vmid_bits);
		smmu_print_queue("CMDQ", &inst->cmdq);
		smmu_print_queue("EVTQ", &inst->evtq);
		if (inst->features & SMMU_FEAT_PRI)
			smmu_print_queue("PRIQ", &inst->priq);
		if (!inst->strtab_ok) {
			fprintf(fp, "  STRTAB: not set up%s%s%s\n",
				inst->strtab_why ? " (" : "",
				inst->strtab_why ? inst->strtab_why : "",
				inst->strtab_why ? ")" : "");
			continue;
		}
		fprintf(fp, "  STRTAB: %s\n",
			smmu_strtab_str(&inst->strtab, buf, sizeof(buf)));
		smmu_print_strtab_align(&inst->strtab, "  ");
		fprintf(fp, "  STRTAB_BASE_CFG: %#llx (as the driver programs it)\n",
			(ulonglong)smmu_strtab_cfg(&inst->strtab));
		smmu_print_strtab_at_crash(inst);
		cnt = counts[i];
		unreadable = unreadables[i];
		fprintf(fp, "  STES: %llu valid", (ulonglong)cnt.valid);
		for (cfg = 0; cfg < 8; cfg++)
			if (cnt.cfg[cfg])
				fprintf(fp, ", %llu %s", (ulonglong)cnt.cfg[cfg],
					smmu_ste_cfg_str(cfg));
		if (cnt.illegal)
			fprintf(fp, ", %llu ILLEGAL", (ulonglong)cnt.illegal);
		if (unreadable)
			fprintf(fp, ", %llu not in the dump",
				(ulonglong)unreadable);
		fprintf(fp, "\n");
		if (inst->strtab.fmt == SMMU_STRTAB_2LVL) {
			nr_l1 = smmu_strtab_nr_l1(&inst->strtab);
			smmu_mem(inst, &mem);
			pop = smmu_strtab_l1_populated(&inst->strtab, &mem,
						       &rewritten, &damaged,
						       &unaligned);
			fprintf(fp, "  L2 TABLES: %llu of %llu L1 entries populated\n",
				(ulonglong)pop, (ulonglong)nr_l1);
			if (unaligned)
				fprintf(fp, "  UNALIGNED: %llu L1 descriptor%s with an L2Ptr not aligned to its L2 table's\n"
					"    size: the SMMU takes the low bits as zero\n",
					(ulonglong)unaligned,
					unaligned == 1 ? "" : "s");
			if (rewritten)
				fprintf(fp, "  L1 REWRITTEN: %llu L1 descriptor%s in the dump changed after the crash (an\n"
					"    adopting crash kernel?): the device dump records the stores, or they give\n"
					"    a Span where the driver had no L2 table (stored after the device dump\n"
					"    was saved), or, without a usable device dump, they do not point at the\n"
					"    driver's L2 tables (strtab_cfg.l2.l2ptrs); their values at the crash are\n"
					"    used; \"smmu -T\" shows the dump as is\n",
					(ulonglong)rewritten,
					rewritten == 1 ? "" : "s");
			if (damaged)
				fprintf(fp, "  L1 DAMAGED: %llu L1 descriptor%s changed before the crash or after the device\n"
					"    dump was saved (not the driver's L2 tables, no store in the device dump):\n"
					"    walked as they are\n",
					(ulonglong)damaged, damaged == 1 ? "" : "s");
		}
		smmu_streams_load(inst);
		fprintf(fp, "  MASTERS: %d StreamID%s in the driver's streams tree\n",
			inst->nr_streams, inst->nr_streams == 1 ? "" : "s");
		if (inst->dd_err[0])
			fprintf(fp, "  DEVICE DUMP: %s  unusable: %s\n",
				inst->dd_name, inst->dd_err);
		else
			fprintf(fp, "  DEVICE DUMP: %s\n",
				inst->has_dd ? inst->dd_name : "none");
	}
	FREEBUF(counts);
	FREEBUF(unreadables);
}

/* ---- the command ------------------------------------------------------- */

static void
smmu_select(struct smmu_inst **instp, int *np, char *sel)
{
	struct smmu_inst *inst = *instp;
	struct smmu_inst_id *ids;
	int i;

	ids = (struct smmu_inst_id *)GETBUF(sizeof(*ids) * *np);
	for (i = 0; i < *np; i++) {
		ids[i].index = inst[i].index;
		ids[i].addr = inst[i].addr;
		ids[i].mmio = inst[i].mmio;
	}
	i = smmu_pick_inst(sel, ids, *np);
	FREEBUF(ids);
	if (i < 0)
		error(FATAL, "-i %s: no such SMMUv3 (an INDEX of the list, a struct arm_smmu_device or an MMIO base)\n",
		      sel);
	*instp = &inst[i];
	*np = 1;
}

/*
 * No debug info (--minimal): an SMMU for each device dump, known by the MMIO
 * base the dump records (or its name gives), each with its device dump; -i
 * picks one by its INDEX among them or its MMIO base.
 */
static struct smmu_inst *
smmu_dd_insts(char *isel, int *np, struct smmu_dd_found **dumpsp, int *ndp,
	      char *err, int errlen)
{
	struct smmu_dd_found *dumps;
	struct smmu_inst *inst;
	int i, n;

	*ndp = smmu_dd_attach(NULL, 0, &dumps, err, errlen);
	n = *ndp > 0 ? *ndp : 0;
	inst = (struct smmu_inst *)GETBUF(sizeof(*inst) * (n ? n : 1));
	for (i = 0; i < n; i++) {
		inst[i].index = i;
		inst[i].mmio = dumps[i].ok ? dumps[i].dd.smmu_base :
			       dumps[i].base;
		snprintf(inst[i].name, sizeof(inst[i].name), "-");
	}
	if (isel && !n)
		error(FATAL, "-i %s: no device dump in this vmcore to pick an SMMU from\n",
		      isel);
	if (isel)
		smmu_select(&inst, &n, isel);
	smmu_dd_match(inst, n, dumps, *ndp);
	*dumpsp = dumps;
	for (i = 0; i < n; i++)
		smmu_dd_caps(inst[i].has_dd ? &inst[i].dd : NULL,
			     &inst[i].caps);
	*np = n;
	return inst;
}

/* -T, and -r without debug info: no device to look up, only StreamIDs */
static void
smmu_sel_needs_sid(const struct smmu_sel *sel, int sflag, const char *sarg)
{
	if (sflag && sel->kind != SMMU_SEL_SID)
		error(FATAL, "-s %s: a device needs the kernel's debug info: give its StreamID\n",
		      sarg);
}

/* -T: the stream table of STRTAB_BASE and STRTAB_BASE_CFG values */
static void
smmu_regs_strtab(struct smmu_inst *inst, uint64_t base, uint64_t cfg)
{
	if (smmu_strtab_from_regs(base, (uint32_t)cfg, &inst->strtab))
		error(FATAL, "-T: reserved STRTAB_BASE_CFG %#llx\n",
		      (ulonglong)cfg);
	inst->strtab_ok = TRUE;
}

/* -r: the stream table of the device dump's register snapshot */
static void
smmu_dd_use_strtab(struct smmu_inst *inst)
{
	uint64_t cfg;
	int ret;

	smmu_dd_unusable(inst, "-r");
	ret = inst->has_dd ? smmu_dd_strtab(&inst->dd, &inst->strtab, &cfg) :
	      SMMU_DD_NO_STRTAB;
	if (ret == SMMU_DD_NO_STRTAB)
		error(FATAL, "-r: no STRTAB_BASE/STRTAB_BASE_CFG in a device dump for %s\n",
		      inst->name);
	if (ret)
		error(FATAL, "-r: reserved STRTAB_BASE_CFG %#llx\n",
		      (ulonglong)cfg);
	inst->strtab_ok = TRUE;
}

static void
cmd_smmu(void)
{
	struct smmu_inst *inst, *bare;
	struct smmu_dd_found *dumps;
	struct smmu_targets *tg;
	struct smmu_sel sel;
	int c, i, n, nd, modes, shown = 0;
	int aflag, eflag, dflag, sflag, tflag, Cflag, rflag, Sflag, pflag;
	char *isel, *sarg, *targ, *colon, err[128];
	uint32_t ssid;
	uint64_t iova, base, cfg, pa;
	long sval;

	if (!machine_type("ARM64"))
		error(FATAL, "command not supported on the %s architecture\n",
		      pc->machine_type);

	BZERO(&smmu_cmd, sizeof(smmu_cmd));
	aflag = eflag = dflag = sflag = tflag = Cflag = rflag = Sflag = 0;
	pflag = 0;
	isel = sarg = targ = NULL;
	ssid = SMMU_NO_SSID;
	iova = pa = 0;

	while ((c = getopt(argcnt, args, "aCdei:op:rs:S:t:T:")) != EOF) {
		switch (c)
		{
		case 'a':
			aflag = TRUE;
			break;
		case 'C':
			Cflag = TRUE;
			break;
		case 'd':
			dflag = TRUE;
			break;
		case 'e':
			eflag = TRUE;
			break;
		case 'i':
			isel = optarg;
			break;
		case 'o':
			smmu_cmd.undo = TRUE;
			break;
		case 'p':
			pa = htoll(optarg, FAULT_ON_ERROR, NULL);
			pflag = TRUE;
			break;
		case 'r':
			rflag = TRUE;
			break;
		case 's':
			sarg = optarg;
			sflag = TRUE;
			break;
		case 'S':
			/* IHI 0070: 20 bits; ~0 means "no SubstreamID" here */
			sval = stol(optarg, FAULT_ON_ERROR, NULL);
			if (sval < 0 || sval >= 1L << 20)
				error(FATAL, "-S: %s is not a SubstreamID (20 bits at most)\n",
				      optarg);
			ssid = sval;
			Sflag = TRUE;
			break;
		case 't':
			iova = htoll(optarg, FAULT_ON_ERROR, NULL);
			tflag = TRUE;
			break;
		case 'T':
			targ = optarg;
			break;
		default:
			argerrs++;
			break;
		}
	}

	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (sflag && smmu_sel_parse(sarg, &sel))
		error(FATAL, "-s %s: not a StreamID, PCI address or device name\n",
		      sarg);
	modes = aflag + eflag + dflag + pflag + (sflag && !pflag);
	if (modes > 1)
		error(FATAL, "-a, -d, -e, -p and -s are mutually exclusive (-s narrows -p)\n");
	if ((tflag || Sflag || Cflag) && (!sflag || pflag))
		error(FATAL, "-t, -S and -C need -s\n");
	if (Cflag && (tflag || Sflag))
		error(FATAL, "-C cannot be combined with -t or -S\n");
	if ((targ || rflag || smmu_cmd.undo) && !sflag && !aflag && !pflag)
		error(FATAL, "-T, -r and -o go with -s, -a or -p\n");
	if (targ && rflag)
		error(FATAL, "-T and -r are mutually exclusive\n");

	nd = 0;
	dumps = NULL;
	if (targ) {
		/*
		 * A stream table given by register values: no debug info
		 * needed.  A device dump, the only one or the one of -i, says
		 * what an STE may hold and, for -o, what the crash kernel
		 * stored.
		 */
		if (!(colon = strchr(targ, ':')))
			error(FATAL, "-T wants STRTAB_BASE:STRTAB_BASE_CFG\n");
		*colon = '\0';
		base = htoll(targ, FAULT_ON_ERROR, NULL);
		cfg = htoll(colon + 1, FAULT_ON_ERROR, NULL);
		if (isel) {
			inst = smmu_dd_insts(isel, &n, &dumps, &nd, err,
					     sizeof(err));
		} else {
			inst = (struct smmu_inst *)GETBUF(sizeof(*inst));
			snprintf(inst->name, sizeof(inst->name), "-");
			n = 1;
			nd = smmu_dd_attach(inst, n, &dumps, err, sizeof(err));
			smmu_dd_caps(inst->has_dd ? &inst->dd : NULL,
				     &inst->caps);
		}
		smmu_regs_strtab(inst, base, cfg);
		smmu_sel_needs_sid(&sel, sflag, sarg);
		if (smmu_cmd.undo)
			smmu_dd_unusable(inst, "-o");
		if (smmu_cmd.undo && (nd <= 0 || !inst->has_dd))
			error(FATAL, "-o: no device dump in this vmcore%s\n",
			      nd > 1 ? " for a single SMMU: pick one with -i" : "");
	} else if ((rflag || dflag) && (pc->flags & MINIMAL_MODE)) {
		/* no debug info: the SMMUs the device dumps name */
		inst = smmu_dd_insts(isel, &n, &dumps, &nd, err, sizeof(err));
		if (rflag && !n)
			error(FATAL, "-r: no device dump in this vmcore\n");
		smmu_sel_needs_sid(&sel, sflag && rflag, sarg);
	} else {
		n = smmu_collect(&inst);
		if (!n) {
			fprintf(fp, "no SMMUv3 on iommu_device_list\n");
			return;
		}
		if (isel)
			smmu_select(&inst, &n, isel);
		/* before any output: a damaged tree is said first */
		for (i = 0; i < n; i++)
			smmu_streams_load(&inst[i]);
		if (sflag && sel.maybe_name) {
			/* "fd0": a device of that name wins over the StreamID */
			struct smmu_sel as_name = sel;
			ulong dev;

			as_name.kind = SMMU_SEL_NAME;
			if (smmu_find_devices(&as_name, &dev, 1))
				sel = as_name;
		}
		/*
		 * Every command, not only those that show it: an L1
		 * descriptor that is not the driver's is read one way
		 * (rewritten after the crash, or changed before it) in all.
		 * -T and -r walk memory as it is (-o undoes the stores).
		 */
		nd = smmu_dd_attach(inst, n, &dumps, err, sizeof(err));
		for (i = 0; i < n; i++)
			if (inst[i].has_dd)
				smmu_dd_l1_load(&inst[i]);
	}

	if (dflag) {
		if (nd < 0)
			error(FATAL, "no device dump in this vmcore (%s)\n",
			      err);
		if (!nd)
			error(FATAL, "no device dump in this vmcore\n");
		bare = (struct smmu_inst *)GETBUF(sizeof(*bare));
		for (i = 0; i < nd; i++) {
			struct smmu_inst *owner = NULL;
			int j;

			for (j = 0; j < n; j++)
				if (STREQ(inst[j].dd_name, dumps[i].name))
					owner = &inst[j];
			/* -i: the selected SMMU's dump alone */
			if (!owner && isel)
				continue;
			if (shown++)
				fprintf(fp, "\n");
			if (!dumps[i].ok) {
				fprintf(fp, "DEVICE DUMP: %s  unusable: %s\n",
					dumps[i].name, dumps[i].err);
				continue;
			}
			if (!owner) {
				BZERO(bare, sizeof(*bare));
				snprintf(bare->name, sizeof(bare->name), "-");
				bare->dd = dumps[i].dd;
				bare->has_dd = TRUE;
				snprintf(bare->dd_name, sizeof(bare->dd_name),
					 "%s", dumps[i].name);
				owner = bare;
			} else {
				smmu_print_header(owner);
			}
			smmu_show_devdump(owner);
		}
		return;
	}

	if (!modes) {
		smmu_show_list(inst, n);
		return;
	}

	/* -s: the StreamIDs on each SMMU */
	tg = (struct smmu_targets *)GETBUF(sizeof(*tg));
	if (sflag && sel.kind == SMMU_SEL_SID) {
		for (i = 0; i < n; i++) {
			tg->t[i].inst = &inst[i];
			tg->t[i].sid = sel.sid;
		}
		tg->n = n;
	} else if (sflag) {
		smmu_resolve(inst, n, &sel, tg);
	}

	for (i = 0; i < n; i++) {
		struct smmu_inst *in = &inst[i];
		uint32_t sids[SMMU_MAX_TARGETS];
		int j, nsids = 0;

		if (sflag) {
			for (j = 0; j < tg->n; j++)
				if (tg->t[j].inst == in)
					sids[nsids++] = tg->t[j].sid;
			if (!nsids)
				continue;
		}
		if (shown++)
			fprintf(fp, "\n");
		if (rflag)
			smmu_dd_use_strtab(in);
		if (smmu_cmd.undo)
			smmu_dd_unusable(in, "-o");
		if (smmu_cmd.undo && !in->has_dd)
			error(FATAL, "-o: no device dump for %s in this vmcore\n",
			      in->name);
		smmu_print_header(in);
		if (rflag || targ) {
			char tbuf[BUFSIZE];

			fprintf(fp, "STRTAB: %s, from %s\n",
				smmu_strtab_str(&in->strtab, tbuf, sizeof(tbuf)),
				rflag ? "the device dump's registers" :
				"the -T register values");
		}
		if (in->strtab_ok && !eflag)
			smmu_print_strtab_align(&in->strtab, "");
		if (sflag && tg->path[0])
			fprintf(fp, "%s: %s\n", sarg, tg->path);
		if (eflag) {
			smmu_show_events(in);
			continue;
		}
		if (!in->strtab_ok) {
			fprintf(fp, "  stream table not set up%s%s%s\n",
				in->strtab_why ? " (" : "",
				in->strtab_why ? in->strtab_why : "",
				in->strtab_why ? ")" : "");
			continue;
		}
		if (aflag) {
			smmu_show_all(in);
			continue;
		}
		if (pflag) {
			smmu_show_rmap(in, pa, sids, nsids);
			continue;
		}
		for (j = 0; j < nsids; j++) {
			if (j)
				fprintf(fp, "\n");
			if (tflag)
				smmu_show_xlate(in, sids[j], ssid, iova);
			else
				smmu_show_ste(in, sids[j], ssid, Cflag);
		}
	}
	FREEBUF(tg);
	if (smmu_cmd.undo)
		fprintf(fp, "(memory shown as the crashed kernel left it: the crash kernel's recorded writes are undone)\n");
}

static char *help_smmu[] = {
"smmu",
"Arm SMMUv3 state: stream table, context descriptors, IOVA translations",
"[-i smmu] [-a | -e | -d | -p phys [-s dev] | -s dev [-S ssid | -C] [-t iova]]\n       [-o] [-T base:cfg | -r]",
"  This command shows the Arm SMMUv3 instances of an arm64 kernel (driver",
"  arm-smmu-v3) as they were when the kernel crashed.  With no option it",
"  prints a table of the SMMUs, one line each, and then for each one its",
"  features, queues, stream table and a count of its valid STEs.",
"",
"  StreamIDs, IOVAs and physical addresses are hexadecimal; a StreamID or",
"  SubstreamID of decimal digits only is decimal unless written with 0x.",
"",
"     -i smmu  select one SMMU: its INDEX in the table, the address of its",
"              struct arm_smmu_device, or its MMIO base.  Without debug",
"              info (crash --minimal) the SMMUs are those of the device",
"              dumps, in the order \"smmu -d\" shows them.",
"      -s dev  decode the STE of a device and, for a stage-1 STE, the CD",
"              used by transactions without a SubstreamID.  dev is a",
"              StreamID, a PCI address (0000:03:00.0, or 03:00.0 for any",
"              PCI segment), or a device name as the kernel's device model",
"              knows it (eth0, nvme0n1, virtio2, 0000:03:00.0): a device that",
"              is not itself an SMMU master is followed up its parents to the",
"              first one that is.  A device with several StreamIDs shows each.",
"     -S ssid  with -s: the CD of SubstreamID ssid; with -t: translate for a",
"              transaction carrying SubstreamID ssid (20 bits at most).",
"          -C  with -s: every valid CD of the STE's CD table.",
"     -t iova  with -s: translate iova as the SMMU would, through stage 1,",
"              stage 2 or both (nested), walking the page tables in the dump",
"              level by level, and print the physical address.",
"     -p phys  reverse lookup: every StreamID, SubstreamID and IOVA (and IPA",
"              when nested) whose translation reaches physical address phys,",
"              with the page or block size and the permissions, found by",
"              walking every valid STE, its CDs and its page tables.  Bypass",
"              STEs reach every address and are listed too.  With -s, only",
"              that device's StreamIDs are walked.",
"          -a  list every valid STE that does not abort, one line each, with",
"              the master device of its StreamID, and count the rest.",
"          -e  show the event queue entries the driver had not consumed.",
"          -d  show what the crash kernel found and changed, from the device",
"              dump \"arm-smmu-v3.<MMIO base>\" it adds to the vmcore: the",
"              registers before it touched the SMMU, with the IDR fields",
"              decoded, its decision for each StreamID, the stores it made",
"              to the crashed kernel's tables (and whether the dump shows",
"              them), and the events pending at handover, read from the",
"              crashed kernel's event queue in the dump's memory where",
"              those registers (EVTQ_BASE, EVTQ_PROD, EVTQ_CONS, checked",
"              against CR0 and IDR1) say.  The dumps are those \"dev -V\"",
"              lists.  Also works with \"crash --minimal\".",
"          -o  with -s, -a or -p: read memory as the crashed kernel left it,",
"              undoing the stores the device dump records.",
"  -T base:cfg  with -s, -a or -p: use the stream table that these",
"              STRTAB_BASE and STRTAB_BASE_CFG values describe; needs no",
"              debug info (crash --minimal), and then dev is a StreamID.",
"          -r  with -s, -a or -p: use STRTAB_BASE and STRTAB_BASE_CFG from",
"              the device dump (also with crash --minimal: each SMMU that",
"              has one, or the one of -i).",
"",
"  Table headers are one word per column, so that awk's $N is the same",
"  column in the header and in the rows.  Pages left out of the dump by",
"  makedumpfile (an empty table is an all-zero page) read as zeroes and",
"  are marked \"filtered\".  A stream table base or an L1 descriptor's",
"  L2Ptr that is not aligned to its table's size is walked as the SMMU",
"  walks it, the low address bits taken as zero, and a line marked",
"  \"UNALIGNED\" says so.  The driver's streams tree, which names the",
"  master of each StreamID, is walked as far as it can be when it is",
"  damaged, and one line says what was left out.",
"\nEXAMPLES",
"  List the SMMUs:\n",
"    %s> smmu",
"    INDEX  ARM_SMMU_DEVICE   DEVICE            MMIO        STRTAB            VALID_STES  DEVICE_DUMP",
"        0  ffff000000e9c080  9050000.smmuv3    9050000     2lvl:415ec000           1024  arm-smmu-v3.9050000",
"",
"    SMMU 0: ffff000000e9c080  DEVICE: 9050000.smmuv3  MMIO: 9050000",
"      FEATURES: 0x8305 (2_LVL_STRTAB|TT_LE|COHERENCY|TRANS_S1|RANGE_INV)",
"      OPTIONS: 0",
"      IAS: 44  OAS: 44  SID_BITS: 16  SSID_BITS: 0  ASID_BITS: 16  VMID_BITS: 16",
"      CMDQ: 41800000  262144 entries  PROD: 0xa84  CONS: 0xa84  (0 used)",
"      EVTQ: 41c00000  131072 entries  PROD: 0  CONS: 0  (0 used)",
"      STRTAB: 2-level 415ec000 (256 L1 entries, split 8, 65536 StreamIDs)",
"      STRTAB_BASE_CFG: 0x10210 (as the driver programs it)",
"      STES: 1024 valid, 1018 abort, 6 s1-trans",
"      L2 TABLES: 4 of 256 L1 entries populated",
"      MASTERS: 6 StreamIDs in the driver's streams tree",
"      DEVICE DUMP: arm-smmu-v3.9050000",
"",
"  Decode the STE and CD of the network interface eth0:\n",
"    %s> smmu -s eth0",
"    SMMU 0: ffff000000e9c080  (9050000.smmuv3)",
"    eth0: eth0 -> virtio2 -> 0000:03:00.0",
"    STREAMID: 0x300  DEVICE: 0000:03:00.0",
"      STE: 41738000",
"      STE[0-3]: 00000000416bb00b 00000000000000d6 0000000000000000 0000000000000000",
"      STE[4-7]: 0000000000000000 0000000000000000 0000000000000000 0000000000000000",
"      V: 1  CONFIG: s1-trans (5)",
"      S1CONTEXTPTR: 416bb000  S1FMT: linear  S1CDMAX: 0 (1 CD)  S1DSS: ssid0",
"      ...",
"      CD (no SubstreamID -> CD 0): 416bb000",
"        CD[0-3]: 0003e204c0003510 00000000416a0000 0000000000000000 fffffffff404ff44",
"        CD[4-7]: 0000000000000000 0000000000000000 0000000000000000 0000000000000000",
"        V: 1  ASID: 3  TTB0: 416a0000  T0SZ: 16 (48-bit IOVA)  TG0: 4K  EPD0: 0  EPD1: 1",
"        ...",
"",
"  Translate an IOVA of the PCI device 03:00.0:\n",
"    %s> smmu -s 03:00.0 -t ffffd6cc",
"    SMMU 0: ffff000000e9c080  (9050000.smmuv3)",
"    STREAMID: 0x300  SSID: none  IOVA: ffffd6cc  DEVICE: 0000:03:00.0",
"      STE: 41738000  CONFIG: s1-trans",
"      CD 0: 416bb000  ASID: 3  TTB0: 416a0000",
"      STAGE 1: 48-bit IOVA, 4K granule, start level 0, 44-bit output",
"        L0: 416a0000 [0] 416a0000 => 00000000416a2003 table",
"        L1: 416a2000 [3] 416a2018 => 00000000416a3003 table",
"        L2: 416a3000 [1ff] 416a3ff8 => 00000000416a4003 table",
"        L3: 416a4000 [1fd] 416a4fe8 => 00000000416b7f47 page",
"      TRANSLATION: iova ffffd6cc -> pa 416b76cc  (4K page, rwx)",
"",
"  Which devices could write to physical address 416b76cc:\n",
"    %s> smmu -p 416b76cc",
"    SMMU 0: ffff000000e9c080  (9050000.smmuv3)",
"         SID    SSID              IOVA           IPA            PA   SIZE  PERM  CONFIG    DEVICE          NOTE",
"        0x20       -          ffffd6cc             -      416b76cc     4K  rwx   s1-trans  0000:00:04.0    ASID=3",
"       0x300       -          ffffd6cc             -      416b76cc     4K  rwx   s1-trans  0000:03:00.0    ASID=3",
"    2 mappings of 416b76cc: 1024 valid STEs, 6 CDs, 24 tables read",
"",
"  List the StreamIDs that translate:\n",
"    %s> smmu -a",
"    SMMU 0: ffff000000e9c080  (9050000.smmuv3)",
"         SID           STE  CONFIG    DEVICE          TRANSLATION",
"        0x10      414fc400  s1-trans  0000:00:02.0    CD 4168e000 ASID 1 TTB0 4168d000",
"       0x100      41728000  s1-trans  0000:01:00.0    CD 416a8000 ASID 1 TTB0 4168d000",
"       0x300      41738000  s1-trans  0000:03:00.0    CD 416bb000 ASID 3 TTB0 416a0000",
"    ...",
"    1024 valid STEs in 65536 StreamIDs, 1018 abort (not listed)",
"",
"  Show what the crash kernel found and changed (an excerpt):\n",
"    %s> smmu -d",
"    SMMU 0: ffff0000014b4080  (9050000.smmuv3)",
"    DEVICE DUMP: arm-smmu-v3.9050000  version 1, 752 bytes",
"      SMMU BASE: 9050000  MODE: keep-quiesced (1)  FLAGS: 0x3 (SMMUEN|ADOPTED)",
"      REGISTERS AT HANDOVER (27):",
"        CR0                                 0xd  (SMMUEN|EVTQEN|CMDQEN)",
"        STRTAB_BASE          0x4000000040feb000",
"        ...",
"      STREAMS (6):",
"             SID  DECISION   REASON            STE0_AS_FOUND     DEVICE",
"           0x100  kept       in-keep-list      000000004162e00b  0000:01:00.0",
"           0x200  aborted    not-in-keep-list  0000000040caa00b  0000:02:00.0",
"        ...",
"      WRITES TO THE CRASHED KERNEL'S MEMORY (4):",
"                PHYS  KIND        SID  OLD               NEW               IN_DUMP",
"            40feb000  L1STD         -  0000000041688009  000000006fef4009  new",
"        ...",
"      EVENTS PENDING AT HANDOVER (1):",
"        from the event queue at 41c00000 (131072 entries) in the dump's memory, CONS 0x1 to PROD 0x2:",
"        [1] F_TRANSLATION (0x10)  SID: 0x200  ADDR: ffffd000  write  CLASS: IN",
"            0000020000000010 0000020000000000 00000000ffffd000 0000000000000000",
"",
"  Without debug info (crash --minimal), decode an STE from register values:\n",
"    %s> smmu -T 4000000040feb000:10210 -s 0x300",
NULL
};
