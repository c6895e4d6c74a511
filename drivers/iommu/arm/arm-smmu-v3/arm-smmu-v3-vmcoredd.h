/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layout of the vmcore device dump that a kdump kernel writes for each
 * SMMUv3: what the crashed kernel left in the SMMU and what the kdump kernel
 * did with it.
 *
 * This is an ABI. Dump analysis tools (e.g. the "smmu" extension of crash)
 * read it from the NT_VMCOREDD note of /proc/vmcore, or of the file that
 * makedumpfile saves from it, whose dump name is ARM_SMMU_VMCOREDD_PREFIX
 * followed by the physical address of the SMMU's MMIO page 0 in lower-case
 * hex without "0x" (e.g. "arm-smmu-v3.9050000"). Fields keep their meaning
 * and offset forever. A compatible extension adds a section type, a flag,
 * or fields at the end of the header or of a record (readers find the
 * section table at header_size and step through a section by its
 * entry_size); anything else needs a new version.
 *
 * All fields are little-endian and naturally aligned, with no implicit
 * padding. The dump starts with struct arm_smmu_vmcoredd_header; an array of
 * nr_sections struct arm_smmu_vmcoredd_section follows at header_size.
 * Each section is an array of count records of entry_size bytes at offset,
 * which is 8-byte aligned and counted from the start of the header. A
 * section type appears at most once; readers skip types they do not know.
 * Nothing lies beyond total_size; the rest of the page that vmcore rounds the
 * dump up to is zero.
 *
 * Copyright (C) 2026 The arm-smmu-kdump developers
 */

#ifndef _ARM_SMMU_V3_VMCOREDD_H
#define _ARM_SMMU_V3_VMCOREDD_H

#include <linux/build_bug.h>
#include <linux/types.h>

#define ARM_SMMU_VMCOREDD_PREFIX	"arm-smmu-v3."
#define ARM_SMMU_VMCOREDD_MAGIC		"SMMUKDMP"	/* 8 bytes, no NUL */
#define ARM_SMMU_VMCOREDD_VERSION	1

/*
 * @magic:	ARM_SMMU_VMCOREDD_MAGIC
 * @version:	ARM_SMMU_VMCOREDD_VERSION; readers refuse other versions
 * @header_size: offset of the section table, sizeof(this) in version 1
 * @total_size:	bytes of the dump, this header included
 * @flags:	ARM_SMMU_VMCOREDD_F_*
 * @smmu_base:	physical address of the SMMU's MMIO page 0
 * @mode:	ARM_SMMU_VMCOREDD_MODE_*, the kdump kernel's policy
 * @nr_sections: entries in the section table
 * @reserved:	zero
 */
struct arm_smmu_vmcoredd_header {
	char	magic[8];
	__le32	version;
	__le32	header_size;
	__le32	total_size;
	__le32	flags;
	__le64	smmu_base;
	__le32	mode;
	__le32	nr_sections;
	__le64	reserved;
};

static_assert(sizeof(struct arm_smmu_vmcoredd_header) == 48);

/* CR0.SMMUEN was set when the kdump kernel took its register snapshot */
#define ARM_SMMU_VMCOREDD_F_SMMUEN	BIT(0)
/* The kdump kernel runs on the stream table inherited from the crashed one */
#define ARM_SMMU_VMCOREDD_F_ADOPTED	BIT(1)
/* Records were left out: each section holds the first ones only */
#define ARM_SMMU_VMCOREDD_F_TRUNCATED	BIT(2)

#define ARM_SMMU_VMCOREDD_MODE_RESET		0
#define ARM_SMMU_VMCOREDD_MODE_KEEP_QUIESCED	1
#define ARM_SMMU_VMCOREDD_MODE_KEEP_ALL		2

/*
 * @type:	ARM_SMMU_VMCOREDD_SECT_*, 0 for an unused entry
 * @entry_size:	bytes per record, at least the size of the record below
 * @count:	records in the section
 * @offset:	of the first record, from the start of the header
 */
struct arm_smmu_vmcoredd_section {
	__le32	type;
	__le32	entry_size;
	__le32	count;
	__le32	offset;
};

static_assert(sizeof(struct arm_smmu_vmcoredd_section) == 16);

#define ARM_SMMU_VMCOREDD_SECT_REGS	1	/* arm_smmu_vmcoredd_reg */
#define ARM_SMMU_VMCOREDD_SECT_WRITES	2	/* arm_smmu_vmcoredd_write */
#define ARM_SMMU_VMCOREDD_SECT_STREAMS	3	/* arm_smmu_vmcoredd_stream */
#define ARM_SMMU_VMCOREDD_SECT_EVENTS	4	/* arm_smmu_vmcoredd_event */

/*
 * A register as the kdump kernel found it, before writing any register.
 *
 * @offset:	architected offset from MMIO page 0; a register of page 1 is
 *		at ARM_SMMU_VMCOREDD_PAGE1 plus its offset in page 1
 * @size:	4 or 8
 * @value:	zero-extended
 */
struct arm_smmu_vmcoredd_reg {
	__le32	offset;
	__le32	size;
	__le64	value;
};

static_assert(sizeof(struct arm_smmu_vmcoredd_reg) == 16);

#define ARM_SMMU_VMCOREDD_PAGE1		0x10000

/*
 * A store of the kdump kernel to memory of the crashed kernel, in the order
 * they were made. A word stored to more than once has a record per store,
 * the first one holding the value the crashed kernel left.
 *
 * @phys:	physical address, aligned to @size
 * @old:	value before the store, zero-extended
 * @new:	value stored, zero-extended
 * @sid:	StreamID the word describes, or ARM_SMMU_VMCOREDD_NO_SID
 * @size:	4 or 8
 * @kind:	ARM_SMMU_VMCOREDD_WR_*
 */
struct arm_smmu_vmcoredd_write {
	__le64	phys;
	__le64	old;
	__le64	new;
	__le32	sid;
	__le16	size;
	__le16	kind;
};

static_assert(sizeof(struct arm_smmu_vmcoredd_write) == 32);

#define ARM_SMMU_VMCOREDD_NO_SID	0xffffffffU

#define ARM_SMMU_VMCOREDD_WR_OTHER	0
#define ARM_SMMU_VMCOREDD_WR_STE	1	/* a doubleword of an STE */
#define ARM_SMMU_VMCOREDD_WR_L1STD	2	/* an L1STD */
#define ARM_SMMU_VMCOREDD_WR_CD		3	/* a doubleword of a CD */
#define ARM_SMMU_VMCOREDD_WR_L1CD	4	/* an L1CD */
#define ARM_SMMU_VMCOREDD_WR_QUEUE	5	/* a queue entry */

/*
 * The decision for a StreamID whose STE in the crashed kernel's stream table
 * was valid and let transactions through, by increasing StreamID.
 *
 * @sid:	StreamID
 * @decision:	ARM_SMMU_VMCOREDD_SID_*
 * @reason:	ARM_SMMU_VMCOREDD_WHY_*
 * @reserved:	zero
 * @ste0:	doubleword 0 of the STE as the crashed kernel left it
 */
struct arm_smmu_vmcoredd_stream {
	__le32	sid;
	u8	decision;
	u8	reason;
	__le16	reserved;
	__le64	ste0;
};

static_assert(sizeof(struct arm_smmu_vmcoredd_stream) == 16);

#define ARM_SMMU_VMCOREDD_SID_KEPT	1	/* the STE still translates */
#define ARM_SMMU_VMCOREDD_SID_ABORTED	2	/* replaced by an abort STE */
#define ARM_SMMU_VMCOREDD_SID_RESET	3	/* lost with the whole table */

#define ARM_SMMU_VMCOREDD_WHY_NONE		0
#define ARM_SMMU_VMCOREDD_WHY_KEEP_LIST		1	/* in kdump_keep */
#define ARM_SMMU_VMCOREDD_WHY_KEEP_ALL		2	/* mode keep-all */
#define ARM_SMMU_VMCOREDD_WHY_NOT_LISTED	3	/* not in kdump_keep */
#define ARM_SMMU_VMCOREDD_WHY_BYPASS		4	/* never kept */
#define ARM_SMMU_VMCOREDD_WHY_MALFORMED		5	/* failed the checks */
#define ARM_SMMU_VMCOREDD_WHY_UNREADABLE	6	/* not mapped */
#define ARM_SMMU_VMCOREDD_WHY_MODE_RESET	7	/* mode reset */

/*
 * An entry of the crashed kernel's event queue that it had not consumed:
 * from the EVTQ_CONS to the EVTQ_PROD value of the register snapshot,
 * oldest first.
 *
 * @index:	slot of the entry in the queue, without the wrap bit
 * @reserved:	zero
 * @event:	the event record
 */
struct arm_smmu_vmcoredd_event {
	__le32	index;
	__le32	reserved;
	__le64	event[4];
};

static_assert(sizeof(struct arm_smmu_vmcoredd_event) == 40);

#endif /* _ARM_SMMU_V3_VMCOREDD_H */
