// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device dump layout, pinned: the kernel's header
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-vmcoredd.h, extracted by
 * run.sh from the series that creates it) and the crash extension's
 * smmu-devdump.h must describe the same bytes.  Every field's offset and
 * size, every record size, the magic, the version, the name prefix, the
 * section ids and the values of flags, modes, decisions, reasons and write
 * kinds are compared (and the kernel defines no section the extension does
 * not parse), at compile time (_Static_assert: a change on either
 * side does not build) and again at run time (so that a build with
 * -DLAYOUT_RUNTIME_ONLY reports each difference as a failing case).
 *
 * Values that only the extension defines (kinds of write, decisions and
 * reasons the kernel does not produce) are compared when the kernel
 * defines them too.
 */

#include <stddef.h>
#include <string.h>

#include "arm-smmu-v3-vmcoredd.h"	/* the kernel's */
#include "smmu-devdump.h"		/* the extension's */
#include "test.h"

/* kernel struct, kernel field, extension struct, extension field */
#define HEADER_FIELDS(X)						\
	X(arm_smmu_vmcoredd_header, magic, smmu_kdump_header, magic)	\
	X(arm_smmu_vmcoredd_header, version, smmu_kdump_header, version) \
	X(arm_smmu_vmcoredd_header, header_size, smmu_kdump_header,	\
	  header_size)							\
	X(arm_smmu_vmcoredd_header, total_size, smmu_kdump_header,	\
	  total_size)							\
	X(arm_smmu_vmcoredd_header, flags, smmu_kdump_header, flags)	\
	X(arm_smmu_vmcoredd_header, smmu_base, smmu_kdump_header,	\
	  smmu_base)							\
	X(arm_smmu_vmcoredd_header, mode, smmu_kdump_header, mode)	\
	X(arm_smmu_vmcoredd_header, nr_sections, smmu_kdump_header,	\
	  nr_sections)							\
	X(arm_smmu_vmcoredd_header, reserved, smmu_kdump_header, reserved)

#define SECTION_FIELDS(X)						\
	X(arm_smmu_vmcoredd_section, type, smmu_kdump_section, type)	\
	X(arm_smmu_vmcoredd_section, entry_size, smmu_kdump_section,	\
	  entry_size)							\
	X(arm_smmu_vmcoredd_section, count, smmu_kdump_section, count)	\
	X(arm_smmu_vmcoredd_section, offset, smmu_kdump_section, offset)

#define REG_FIELDS(X)							\
	X(arm_smmu_vmcoredd_reg, offset, smmu_kdump_reg, offset)	\
	X(arm_smmu_vmcoredd_reg, size, smmu_kdump_reg, size)		\
	X(arm_smmu_vmcoredd_reg, value, smmu_kdump_reg, value)

#define WRITE_FIELDS(X)							\
	X(arm_smmu_vmcoredd_write, phys, smmu_kdump_write, phys)	\
	X(arm_smmu_vmcoredd_write, old, smmu_kdump_write, old)		\
	X(arm_smmu_vmcoredd_write, new, smmu_kdump_write, new)		\
	X(arm_smmu_vmcoredd_write, sid, smmu_kdump_write, sid)		\
	X(arm_smmu_vmcoredd_write, size, smmu_kdump_write, size)	\
	X(arm_smmu_vmcoredd_write, kind, smmu_kdump_write, kind)

#define STREAM_FIELDS(X)						\
	X(arm_smmu_vmcoredd_stream, sid, smmu_kdump_stream, sid)	\
	X(arm_smmu_vmcoredd_stream, decision, smmu_kdump_stream, decision) \
	X(arm_smmu_vmcoredd_stream, reason, smmu_kdump_stream, reason)	\
	X(arm_smmu_vmcoredd_stream, reserved, smmu_kdump_stream, reserved) \
	X(arm_smmu_vmcoredd_stream, ste0, smmu_kdump_stream, ste0)

/* kernel struct, extension struct, the extension's documented size */
#define RECORDS(X)							\
	X(arm_smmu_vmcoredd_header, smmu_kdump_header, SMMU_KDUMP_HEADER_SIZE) \
	X(arm_smmu_vmcoredd_section, smmu_kdump_section,		\
	  SMMU_KDUMP_SECTION_SIZE)					\
	X(arm_smmu_vmcoredd_reg, smmu_kdump_reg, SMMU_KDUMP_REG_SIZE)	\
	X(arm_smmu_vmcoredd_write, smmu_kdump_write, SMMU_KDUMP_WRITE_SIZE) \
	X(arm_smmu_vmcoredd_stream, smmu_kdump_stream,			\
	  SMMU_KDUMP_STREAM_SIZE)

/* kernel constant, extension constant: both sides define them */
#define VALUES(X)							\
	X(ARM_SMMU_VMCOREDD_VERSION, SMMU_KDUMP_VERSION)		\
	X(ARM_SMMU_VMCOREDD_PAGE1, 0x10000)				\
	X(ARM_SMMU_VMCOREDD_SECT_REGS, SMMU_KDUMP_SECT_REGS)		\
	X(ARM_SMMU_VMCOREDD_SECT_WRITES, SMMU_KDUMP_SECT_WRITES)	\
	X(ARM_SMMU_VMCOREDD_SECT_STREAMS, SMMU_KDUMP_SECT_STREAMS)	\
	X(ARM_SMMU_VMCOREDD_F_SMMUEN, SMMU_KDUMP_F_SMMUEN)		\
	X(ARM_SMMU_VMCOREDD_F_ADOPTED, SMMU_KDUMP_F_ADOPTED)		\
	X(ARM_SMMU_VMCOREDD_F_TRUNCATED, SMMU_KDUMP_F_TRUNCATED)	\
	X(ARM_SMMU_VMCOREDD_MODE_RESET, SMMU_KDUMP_MODE_RESET)		\
	X(ARM_SMMU_VMCOREDD_MODE_KEEP_QUIESCED,				\
	  SMMU_KDUMP_MODE_KEEP_QUIESCED)				\
	X(ARM_SMMU_VMCOREDD_MODE_KEEP_ALL, SMMU_KDUMP_MODE_KEEP_ALL)	\
	X(ARM_SMMU_VMCOREDD_NO_SID, SMMU_KDUMP_NO_SID)			\
	X(ARM_SMMU_VMCOREDD_WR_L1STD, SMMU_KDUMP_WR_L1STD)		\
	X(ARM_SMMU_VMCOREDD_SID_KEPT, SMMU_KDUMP_SID_KEPT)		\
	X(ARM_SMMU_VMCOREDD_SID_ABORTED, SMMU_KDUMP_SID_ABORTED)	\
	X(ARM_SMMU_VMCOREDD_WHY_KEEP_LIST, SMMU_KDUMP_WHY_KEEP_LIST)	\
	X(ARM_SMMU_VMCOREDD_WHY_KEEP_ALL, SMMU_KDUMP_WHY_KEEP_ALL)	\
	X(ARM_SMMU_VMCOREDD_WHY_NOT_LISTED, SMMU_KDUMP_WHY_NOT_LISTED)	\
	X(ARM_SMMU_VMCOREDD_WHY_BYPASS, SMMU_KDUMP_WHY_BYPASS)		\
	X(ARM_SMMU_VMCOREDD_WHY_MALFORMED, SMMU_KDUMP_WHY_MALFORMED)

#define MEMBER_SIZE(s, f)	sizeof(((struct s *)0)->f)

#ifndef LAYOUT_RUNTIME_ONLY
#define STATIC_FIELD(k, kf, e, ef)					\
	_Static_assert(offsetof(struct k, kf) == offsetof(struct e, ef), \
		       "offset of " #k "." #kf " != " #e "." #ef);	\
	_Static_assert(MEMBER_SIZE(k, kf) == MEMBER_SIZE(e, ef),	\
		       "size of " #k "." #kf " != " #e "." #ef);
#define STATIC_RECORD(k, e, size)					\
	_Static_assert(sizeof(struct k) == sizeof(struct e),		\
		       "sizeof(struct " #k ") != sizeof(struct " #e ")"); \
	_Static_assert(sizeof(struct e) == (size),			\
		       "sizeof(struct " #e ") != " #size);
#define STATIC_VALUE(k, e)						\
	_Static_assert((unsigned long long)(k) == (unsigned long long)(e), \
		       #k " != " #e);

HEADER_FIELDS(STATIC_FIELD)
SECTION_FIELDS(STATIC_FIELD)
REG_FIELDS(STATIC_FIELD)
WRITE_FIELDS(STATIC_FIELD)
STREAM_FIELDS(STATIC_FIELD)
RECORDS(STATIC_RECORD)
VALUES(STATIC_VALUE)
_Static_assert(sizeof(ARM_SMMU_VMCOREDD_MAGIC) == sizeof(SMMU_KDUMP_MAGIC),
	       "magic length");
_Static_assert(sizeof(ARM_SMMU_VMCOREDD_PREFIX) ==
	       sizeof(SMMU_KDUMP_NAME_PREFIX), "dump name prefix length");
#endif

#define CHECK_FIELD(k, kf, e, ef)					\
	CHECK_EQ(offsetof(struct k, kf), offsetof(struct e, ef));	\
	CHECK_EQ(MEMBER_SIZE(k, kf), MEMBER_SIZE(e, ef));		\
	nr_fields++;
#define CHECK_RECORD(k, e, size)					\
	CHECK_EQ(sizeof(struct k), sizeof(struct e));			\
	CHECK_EQ(sizeof(struct e), size);
#define CHECK_VALUE(k, e)						\
	CHECK_EQ((unsigned long long)(k), (unsigned long long)(e));	\
	nr_values++;

static unsigned int nr_fields, nr_values;

static void test_ids(void)
{
	CHECK_EQ(sizeof(ARM_SMMU_VMCOREDD_MAGIC), sizeof(SMMU_KDUMP_MAGIC));
	CHECK(!memcmp(ARM_SMMU_VMCOREDD_MAGIC, SMMU_KDUMP_MAGIC,
		      sizeof(SMMU_KDUMP_MAGIC)));
	CHECK_STR(ARM_SMMU_VMCOREDD_PREFIX, SMMU_KDUMP_NAME_PREFIX);
	CHECK_EQ(ARM_SMMU_VMCOREDD_VERSION, SMMU_KDUMP_VERSION);
}

static void test_header(void)
{
	HEADER_FIELDS(CHECK_FIELD)
	CHECK_RECORD(arm_smmu_vmcoredd_header, smmu_kdump_header,
		     SMMU_KDUMP_HEADER_SIZE)
}

static void test_section(void)
{
	SECTION_FIELDS(CHECK_FIELD)
	CHECK_RECORD(arm_smmu_vmcoredd_section, smmu_kdump_section,
		     SMMU_KDUMP_SECTION_SIZE)
}

static void test_records(void)
{
	REG_FIELDS(CHECK_FIELD)
	WRITE_FIELDS(CHECK_FIELD)
	STREAM_FIELDS(CHECK_FIELD)
	RECORDS(CHECK_RECORD)
	/* every field of every record is compared: 9 + 4 + 3 + 6 + 5 */
	CHECK_EQ(nr_fields, 27);
}

static void test_values(void)
{
	VALUES(CHECK_VALUE)
	CHECK_EQ(nr_values, 20);
	/* what only the extension names, if the kernel ever names it too */
#ifdef ARM_SMMU_VMCOREDD_SID_RESET
	CHECK_EQ(ARM_SMMU_VMCOREDD_SID_RESET, SMMU_KDUMP_SID_RESET);
#endif
#ifdef ARM_SMMU_VMCOREDD_WHY_UNREADABLE
	CHECK_EQ(ARM_SMMU_VMCOREDD_WHY_UNREADABLE, SMMU_KDUMP_WHY_UNREADABLE);
#endif
#ifdef ARM_SMMU_VMCOREDD_WHY_MODE_RESET
	CHECK_EQ(ARM_SMMU_VMCOREDD_WHY_MODE_RESET, SMMU_KDUMP_WHY_MODE_RESET);
#endif
#ifdef ARM_SMMU_VMCOREDD_WR_STE
	CHECK_EQ(ARM_SMMU_VMCOREDD_WR_STE, SMMU_KDUMP_WR_STE);
#endif
#ifdef ARM_SMMU_VMCOREDD_WR_CD
	CHECK_EQ(ARM_SMMU_VMCOREDD_WR_CD, SMMU_KDUMP_WR_CD);
#endif
#ifdef ARM_SMMU_VMCOREDD_WR_L1CD
	CHECK_EQ(ARM_SMMU_VMCOREDD_WR_L1CD, SMMU_KDUMP_WR_L1CD);
#endif
#ifdef ARM_SMMU_VMCOREDD_WR_QUEUE
	CHECK_EQ(ARM_SMMU_VMCOREDD_WR_QUEUE, SMMU_KDUMP_WR_QUEUE);
#endif
	/* the kernel's section ids are the ones the extension parses */
	CHECK(ARM_SMMU_VMCOREDD_SECT_STREAMS <= SMMU_KDUMP_SECT_MAX);
	/*
	 * and no more: the pending events are read from the dump's memory
	 * through the EVTQ registers, type 4 (the copies of earlier versions)
	 * is skipped as unknown
	 */
#ifdef ARM_SMMU_VMCOREDD_SECT_EVENTS
	CHECK(!"the kernel defines ARM_SMMU_VMCOREDD_SECT_EVENTS, which the extension skips");
#endif
}

/* run.sh builds with -DLAYOUT_STATIC_FAILED when the _Static_asserts fail */
static void test_static(void)
{
#ifdef LAYOUT_STATIC_FAILED
	CHECK(!"the compile-time checks (_Static_assert) stop the build");
#endif
}

static const struct test_case cases[] = {
	TEST(test_static, "compile-time checks (_Static_assert) build"),
	TEST(test_ids, "magic, version and dump name prefix"),
	TEST(test_header, "header: every field's offset and size"),
	TEST(test_section, "section table entry: every field's offset and size"),
	TEST(test_records, "records: every field's offset and size, record sizes"),
	TEST(test_values, "section ids, flags, modes, decisions, reasons, write kinds"),
};

#ifndef LAYOUT_LINE
#define LAYOUT_LINE "?"
#endif

int main(void)
{
	return test_run("crash: smmu: layout (linux-" LAYOUT_LINE " series)",
			cases, ARRAY_SIZE(cases));
}
