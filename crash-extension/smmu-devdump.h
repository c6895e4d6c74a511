/* smmu-devdump.h - layout of the SMMUv3 kdump device dump
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
 * The crash kernel's SMMUv3 driver records what it found and what it
 * changed in a vmcore device dump (vmcore_add_device_dump()), one per SMMU.
 * The dump appears in /proc/vmcore as an ELF note of type NT_VMCOREDD
 * (0x700), note name "LINUX", whose descriptor starts with the 44-byte
 * dump name followed by the data described here.  The dump name is
 *
 *	"arm-smmu-v3.<MMIO base in lower-case hex, no 0x>"  e.g. arm-smmu-v3.9050000
 *
 * and makedumpfile copies the note into the kdump-compressed file
 * (kdump_sub_header.offset_note/size_note).
 *
 * The layout is defined by the kernel's header,
 * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-vmcoredd.h (struct
 * arm_smmu_vmcoredd_*, ARM_SMMU_VMCOREDD_*), which the writer uses.  This
 * is the reader's copy, in user-space types; it also names values that
 * earlier versions of the series wrote (SID_RESET, WHY_UNREADABLE, ...).
 * tests/crash/layout-test.c compiles both headers, as each kernel series
 * creates the kernel's, and checks that every offset, size, magic,
 * version, section id and value they share agree.
 *
 * Encoding rules:
 *  - every integer is little-endian; there is no implicit padding;
 *  - the data starts with struct smmu_kdump_header; a table of
 *    hdr.nr_sections struct smmu_kdump_section descriptors follows at
 *    offset hdr.header_size;
 *  - each section is an array of fixed-size records starting at
 *    section.offset (counted from the start of the header, 8-byte aligned);
 *  - section.entry_size may be larger than the version 1 record size
 *    given below (a later version appends fields at the end of a
 *    record); a reader uses the first SMMU_KDUMP_*_SIZE bytes and steps
 *    by entry_size;
 *  - a section type appears at most once; unknown types are skipped;
 *  - everything lies within hdr.total_size bytes; vmcore_add_device_dump()
 *    pads the buffer to a page with zeroes, and readers ignore the bytes
 *    past total_size.
 */

#ifndef SMMU_DEVDUMP_H
#define SMMU_DEVDUMP_H

#include <stdint.h>

#define SMMU_KDUMP_NAME_PREFIX	"arm-smmu-v3."
#define SMMU_KDUMP_MAGIC	"SMMUKDMP"	/* 8 bytes, no NUL */
#define SMMU_KDUMP_VERSION	1

/*
 * Header, 48 bytes in version 1.
 *
 *   off size field
 *     0    8 magic        "SMMUKDMP"
 *     8    4 version      SMMU_KDUMP_VERSION; a reader rejects a version
 *                         it does not know
 *    12    4 header_size  bytes before the section table (48 in v1; a
 *                         later version may grow the header)
 *    16    4 total_size   bytes of the whole dump, header included
 *    20    4 flags        SMMU_KDUMP_F_*
 *    24    8 smmu_base    physical address of the SMMU's MMIO page 0
 *    32    4 mode         SMMU_KDUMP_MODE_*: the crash kernel's
 *                         arm_smmu_v3.kdump_mode
 *    36    4 nr_sections  entries in the section table
 *    40    8 reserved     zero
 */
struct smmu_kdump_header {
	char		magic[8];
	uint32_t	version;
	uint32_t	header_size;
	uint32_t	total_size;
	uint32_t	flags;
	uint64_t	smmu_base;
	uint32_t	mode;
	uint32_t	nr_sections;
	uint64_t	reserved;
};
#define SMMU_KDUMP_HEADER_SIZE	48

/* The SMMU had CR0.SMMUEN set when the crash kernel first looked at it. */
#define SMMU_KDUMP_F_SMMUEN	(1U << 0)
/* The crash kernel runs on the crashed kernel's stream table (adopted). */
#define SMMU_KDUMP_F_ADOPTED	(1U << 1)
/*
 * Some records did not fit the crash kernel's size limit (4 MB): the
 * sections hold the first ones only.  The stores go in first, so it is
 * the decisions that are cut.
 */
#define SMMU_KDUMP_F_TRUNCATED	(1U << 2)

#define SMMU_KDUMP_MODE_RESET		0	/* stock behaviour */
#define SMMU_KDUMP_MODE_KEEP_QUIESCED	1
#define SMMU_KDUMP_MODE_KEEP_ALL	2

/*
 * Section table entry, 16 bytes.
 *
 *   off size field
 *     0    4 type        SMMU_KDUMP_SECT_*; 0 = unused entry
 *     4    4 entry_size  bytes per record, >= the v1 record size
 *     8    4 count       number of records
 *    12    4 offset      of the first record from the start of the
 *                        header; 8-byte aligned
 */
struct smmu_kdump_section {
	uint32_t	type;
	uint32_t	entry_size;
	uint32_t	count;
	uint32_t	offset;
};
#define SMMU_KDUMP_SECTION_SIZE	16

#define SMMU_KDUMP_SECT_REGS	1	/* struct smmu_kdump_reg */
#define SMMU_KDUMP_SECT_WRITES	2	/* struct smmu_kdump_write */
#define SMMU_KDUMP_SECT_STREAMS	3	/* struct smmu_kdump_stream */
#define SMMU_KDUMP_SECT_MAX	3
/*
 * Type 4 is unused: earlier versions of the series copied the pending
 * events there, and a reader skips it like any type it does not know.
 * The events pending at handover are in the crashed kernel's event queue,
 * which is in the dump's memory: the REGS section's EVTQ_BASE, EVTQ_PROD
 * and EVTQ_CONS (with CR0.EVTQEN and IDR1.EVTQS) say where.
 */

/*
 * SMMU_KDUMP_SECT_REGS: the register snapshot, taken before the crash
 * kernel wrote any SMMU register.  16 bytes per record.
 *
 *   off size field
 *     0    4 offset  register offset from MMIO page 0; registers of page 1
 *                    are at 0x10000 + their offset (EVTQ_PROD = 0x100a8)
 *     4    4 size    4 or 8 (bytes read)
 *     8    8 value   zero-extended
 *
 * A writer should at least record IDR0, IDR1, IDR5, CR0, CR1, CR2, GBPA,
 * GERROR, GERRORN, STRTAB_BASE, STRTAB_BASE_CFG, CMDQ_BASE/PROD/CONS,
 * EVTQ_BASE/PROD/CONS and, with PRI, PRIQ_BASE/PROD/CONS.  A reader finds
 * the events pending at handover through EVTQ_BASE (address [51:5],
 * LOG2SIZE [4:0]), EVTQ_CONS to EVTQ_PROD (index bits below LOG2SIZE, the
 * wrap bit at LOG2SIZE, OVFLG at 31), CR0.EVTQEN and IDR1.EVTQS, in the
 * crashed kernel's memory; being the SMMU's registers as the crash kernel
 * found them, they are checked before they are followed.
 */
struct smmu_kdump_reg {
	uint32_t	offset;
	uint32_t	size;
	uint64_t	value;
};
#define SMMU_KDUMP_REG_SIZE	16

/*
 * SMMU_KDUMP_SECT_WRITES: the words of the crashed kernel's memory that
 * differ from what the crash kernel found when it saved the dump, by
 * address.  The kernels of the series write only L1 descriptors of the
 * crashed kernel's stream table; a word stored and put back is not
 * listed, and a store after the dump was saved is in the kernel log only.
 * 32 bytes per record.
 *
 *   off size field
 *     0    8 phys     physical address written (aligned to size)
 *     8    8 old      value before the store (zero-extended)
 *    16    8 new      value when the dump was saved (zero-extended)
 *    24    4 sid      StreamID the word belongs to, 0xffffffff if none
 *    28    2 size     bytes stored: 4 or 8
 *    30    2 kind     SMMU_KDUMP_WR_*
 *
 * A reader that undoes the records goes from the last to the first, so
 * that a word listed twice (an earlier layout) gets its oldest value.
 */
struct smmu_kdump_write {
	uint64_t	phys;
	uint64_t	old;
	uint64_t	new;
	uint32_t	sid;
	uint16_t	size;
	uint16_t	kind;
};
#define SMMU_KDUMP_WRITE_SIZE	32
#define SMMU_KDUMP_NO_SID	0xffffffffU

#define SMMU_KDUMP_WR_OTHER	0
#define SMMU_KDUMP_WR_STE	1	/* a qword of an STE */
#define SMMU_KDUMP_WR_L1STD	2	/* a level-1 stream table descriptor */
#define SMMU_KDUMP_WR_CD	3	/* a qword of a context descriptor */
#define SMMU_KDUMP_WR_L1CD	4	/* a level-1 CD table descriptor */
#define SMMU_KDUMP_WR_QUEUE	5	/* a queue entry */

/*
 * SMMU_KDUMP_SECT_STREAMS: what the crash kernel decided for each
 * StreamID whose STE in the crashed kernel's table gave DMA (V=1 and a
 * translating or bypass Config).  16 bytes per record, in increasing
 * StreamID order.
 *
 *   off size field
 *     0    4 sid       StreamID
 *     4    1 decision  SMMU_KDUMP_SID_*
 *     5    1 reason    SMMU_KDUMP_WHY_*
 *     6    2 reserved  zero
 *     8    8 ste0      qword 0 of the STE as found (V, Config, S1 pointer)
 */
struct smmu_kdump_stream {
	uint32_t	sid;
	uint8_t		decision;
	uint8_t		reason;
	uint16_t	reserved;
	uint64_t	ste0;
};
#define SMMU_KDUMP_STREAM_SIZE	16

#define SMMU_KDUMP_SID_KEPT	1	/* kept at the switch */
#define SMMU_KDUMP_SID_ABORTED	2	/* replaced by an abort STE */
#define SMMU_KDUMP_SID_RESET	3	/* the whole table was reset (mode reset) */

#define SMMU_KDUMP_WHY_NONE		0
#define SMMU_KDUMP_WHY_KEEP_LIST	1	/* named in kdump_keep */
#define SMMU_KDUMP_WHY_KEEP_ALL		2	/* kdump_mode=keep-all */
#define SMMU_KDUMP_WHY_NOT_LISTED	3	/* not in kdump_keep */
#define SMMU_KDUMP_WHY_BYPASS		4	/* bypass STEs are never kept */
#define SMMU_KDUMP_WHY_MALFORMED	5	/* it failed the kernel's checks */
#define SMMU_KDUMP_WHY_UNREADABLE	6	/* its L2 table or CD could not be mapped */
#define SMMU_KDUMP_WHY_MODE_RESET	7	/* kdump_mode=reset */

#endif /* SMMU_DEVDUMP_H */
