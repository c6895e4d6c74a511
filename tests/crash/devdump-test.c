// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of the device-dump side of crash-extension/smmu-decode.c:
 * the SMMUKDMP parser (smmu-devdump.h layout), NT_VMCOREDD note scanning,
 * undoing the crash kernel's recorded stores, and the events pending at
 * handover that "smmu -d" reads from the dump's memory through the
 * snapshot's EVTQ registers, with valid, truncated, corrupt and damaged
 * inputs.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "smmu-devdump.h"

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++, v >>= 8)
		p[i] = v & 0xff;
}

static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = v & 0xff;
}

/*
 * The registers of the rig's stage-1 SMMU before the crash kernel: IDR1
 * EVTQS 19, CR0 SMMUEN|EVTQEN|CMDQEN, an event queue of 2^17 entries at
 * 41c00000 with entries 1 and 2 pending.
 */
static const struct { uint32_t off, size; uint64_t val; } regs[] = {
	{ 0x0000, 4, 0x0d44101a },
	{ 0x0004, 4, 0x02730010 },
	{ 0x0020, 4, 0xd },
	{ 0x0044, 4, 0x1000 },
	{ 0x0080, 8, 0x4000000040fb4000ULL },
	{ 0x0088, 4, 0x10210 },
	{ 0x00a0, 8, 0x4000000041c00011ULL },
	{ 0x100a8, 4, 0x3 },
	{ 0x100ac, 4, 0x1 },
};

#define NR_REGS		ARRAY_SIZE(regs)
#define NR_WRITES	3
#define NR_STREAMS	3
#define NR_SECTIONS	3

#define EVTQ_PA		0x41c00000ULL

/*
 * A version 1 dump: header, 3 section descriptors, then registers,
 * writes and streams.  reg_size lets a test use the larger records of a
 * later version.
 */
static size_t build_dd(unsigned char *b, size_t cap, uint32_t reg_size)
{
	uint32_t off, i, nsec = NR_SECTIONS, regs_off, wr_off, st_off, total;

	memset(b, 0, cap);
	regs_off = SMMU_KDUMP_HEADER_SIZE + nsec * SMMU_KDUMP_SECTION_SIZE;
	wr_off = regs_off + NR_REGS * reg_size;
	wr_off = (wr_off + 7) & ~7U;
	st_off = wr_off + NR_WRITES * SMMU_KDUMP_WRITE_SIZE;
	total = st_off + NR_STREAMS * SMMU_KDUMP_STREAM_SIZE;
	if (total > cap) {
		fprintf(stderr, "blob too small\n");
		exit(2);
	}

	memcpy(b, SMMU_KDUMP_MAGIC, 8);
	put32(b + 8, SMMU_KDUMP_VERSION);
	put32(b + 12, SMMU_KDUMP_HEADER_SIZE);
	put32(b + 16, total);
	put32(b + 20, SMMU_KDUMP_F_SMMUEN | SMMU_KDUMP_F_ADOPTED);
	put64(b + 24, 0x9050000);
	put32(b + 32, SMMU_KDUMP_MODE_KEEP_QUIESCED);
	put32(b + 36, nsec);

	off = SMMU_KDUMP_HEADER_SIZE;
	put32(b + off, SMMU_KDUMP_SECT_REGS);
	put32(b + off + 4, reg_size);
	put32(b + off + 8, NR_REGS);
	put32(b + off + 12, regs_off);
	off += 16;
	put32(b + off, SMMU_KDUMP_SECT_WRITES);
	put32(b + off + 4, SMMU_KDUMP_WRITE_SIZE);
	put32(b + off + 8, NR_WRITES);
	put32(b + off + 12, wr_off);
	off += 16;
	put32(b + off, SMMU_KDUMP_SECT_STREAMS);
	put32(b + off + 4, SMMU_KDUMP_STREAM_SIZE);
	put32(b + off + 8, NR_STREAMS);
	put32(b + off + 12, st_off);

	for (i = 0; i < NR_REGS; i++) {
		unsigned char *r = b + regs_off + i * reg_size;

		put32(r, regs[i].off);
		put32(r + 4, regs[i].size);
		put64(r + 8, regs[i].val);
		if (reg_size > SMMU_KDUMP_REG_SIZE)
			memset(r + 16, 0xee, reg_size - 16);	/* newer fields */
	}

	/* SID 0x200's STE word 0 aborted, then word 1 cleared; a CD word */
	put64(b + wr_off, 0x41764000 + 0x200 % 256 * 64);
	put64(b + wr_off + 8, 0x4179a00bULL);
	put64(b + wr_off + 16, 0x1);
	put32(b + wr_off + 24, 0x200);
	put16(b + wr_off + 28, 8);
	put16(b + wr_off + 30, SMMU_KDUMP_WR_STE);
	put64(b + wr_off + 32, 0x41764008);
	put64(b + wr_off + 40, 0xd6);
	put64(b + wr_off + 48, 0);
	put32(b + wr_off + 56, 0x200);
	put16(b + wr_off + 60, 8);
	put16(b + wr_off + 62, SMMU_KDUMP_WR_STE);
	put64(b + wr_off + 64, 0x41790000);
	put64(b + wr_off + 72, 0x12345678);
	put64(b + wr_off + 80, 0x9abcdef0);
	put32(b + wr_off + 88, SMMU_KDUMP_NO_SID);
	put16(b + wr_off + 92, 4);
	put16(b + wr_off + 94, SMMU_KDUMP_WR_CD);

	for (i = 0; i < NR_STREAMS; i++) {
		unsigned char *s = b + st_off + i * SMMU_KDUMP_STREAM_SIZE;

		put32(s, 0x100 * (i + 1));
		s[4] = i == 1 ? SMMU_KDUMP_SID_ABORTED : SMMU_KDUMP_SID_KEPT;
		s[5] = i == 1 ? SMMU_KDUMP_WHY_NOT_LISTED :
				SMMU_KDUMP_WHY_KEEP_LIST;
		put64(s + 8, 0x4179a00bULL + i);
	}
	return total;
}

static unsigned char blob[4096];

static int parse(const void *b, size_t len, struct smmu_dd *dd, char *err)
{
	return smmu_dd_parse(b, len, dd, err, 128);
}

/* Read every record; under ASan an out-of-bounds accessor shows here. */
static uint64_t touch_all(const struct smmu_dd *dd)
{
	struct smmu_dd_reg r;
	struct smmu_dd_write w;
	struct smmu_dd_stream s;
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < smmu_dd_count(dd, SMMU_KDUMP_SECT_REGS); i++) {
		smmu_dd_reg(dd, i, &r);
		sum += r.value;
	}
	for (i = 0; i < smmu_dd_count(dd, SMMU_KDUMP_SECT_WRITES); i++) {
		smmu_dd_write(dd, i, &w);
		sum += w.old;
	}
	for (i = 0; i < smmu_dd_count(dd, SMMU_KDUMP_SECT_STREAMS); i++) {
		smmu_dd_stream(dd, i, &s);
		sum += s.ste0;
	}
	return sum;
}

static void test_dd_valid(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	struct smmu_dd_write w;
	struct smmu_dd_stream s;
	struct smmu_dd_reg r;
	struct smmu_dd dd;
	uint64_t v;
	char err[128];

	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(dd.version, 1);
	CHECK_EQ(dd.len, len);
	CHECK_EQ(dd.smmu_base, 0x9050000);
	CHECK_EQ(dd.mode, SMMU_KDUMP_MODE_KEEP_QUIESCED);
	CHECK_EQ(dd.flags, SMMU_KDUMP_F_SMMUEN | SMMU_KDUMP_F_ADOPTED);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_REGS), NR_REGS);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_WRITES), NR_WRITES);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_STREAMS), NR_STREAMS);
	CHECK_EQ(smmu_dd_count(&dd, 4), 0);
	CHECK_EQ(smmu_dd_count(&dd, 99), 0);

	smmu_dd_reg(&dd, 4, &r);
	CHECK_EQ(r.offset, 0x80);
	CHECK_EQ(r.size, 8);
	CHECK_EQ(r.value, 0x4000000040fb4000ULL);
	CHECK_EQ(smmu_dd_find_reg(&dd, 0x88, &v), 0);
	CHECK_EQ(v, 0x10210);
	CHECK_EQ(smmu_dd_find_reg(&dd, 0x100a8, &v), 0);
	CHECK_EQ(v, 3);
	CHECK(smmu_dd_find_reg(&dd, 0x2c, &v));

	smmu_dd_write(&dd, 1, &w);
	CHECK_EQ(w.phys, 0x41764008);
	CHECK_EQ(w.old, 0xd6);
	CHECK_EQ(w.new, 0);
	CHECK_EQ(w.sid, 0x200);
	CHECK_EQ(w.size, 8);
	CHECK_EQ(w.kind, SMMU_KDUMP_WR_STE);
	smmu_dd_write(&dd, 2, &w);
	CHECK_EQ(w.sid, SMMU_KDUMP_NO_SID);
	CHECK_EQ(w.size, 4);

	smmu_dd_stream(&dd, 1, &s);
	CHECK_EQ(s.sid, 0x200);
	CHECK_EQ(s.decision, SMMU_KDUMP_SID_ABORTED);
	CHECK_EQ(s.reason, SMMU_KDUMP_WHY_NOT_LISTED);
	CHECK_EQ(s.ste0, 0x4179a00cULL);

	/* page padding after total_size is ignored */
	CHECK_EQ(parse(blob, sizeof(blob), &dd, err), 0);
	CHECK_EQ(dd.len, len);

	CHECK_STR(smmu_dd_mode_str(2), "keep-all");
	CHECK_STR(smmu_dd_mode_str(42), "unknown");
	CHECK_STR(smmu_dd_decision_str(SMMU_KDUMP_SID_KEPT), "kept");
	CHECK_STR(smmu_dd_decision_str(200), "unknown");
	CHECK_STR(smmu_dd_reason_str(SMMU_KDUMP_WHY_BYPASS), "bypass-ste");
	/* Not only a malformed STE: a stall or an ID clash is refused too */
	CHECK_STR(smmu_dd_reason_str(SMMU_KDUMP_WHY_MALFORMED), "failed-checks");
	CHECK_STR(smmu_dd_reason_str(200), "unknown");
	CHECK_STR(smmu_dd_kind_str(SMMU_KDUMP_WR_L1STD), "L1STD");
	CHECK_STR(smmu_dd_kind_str(77), "unknown");
}

/* A later version's larger records and header, and unknown sections. */
static void test_dd_forward(void)
{
	size_t len = build_dd(blob, sizeof(blob), 24);
	struct smmu_dd_reg r;
	struct smmu_dd dd;
	char err[128];

	CHECK_EQ(parse(blob, len, &dd, err), 0);
	smmu_dd_reg(&dd, 8, &r);
	CHECK_EQ(r.offset, 0x100ac);
	CHECK_EQ(r.value, 1);

	/* an unknown section type, and an unused entry, are skipped */
	put32(blob + SMMU_KDUMP_HEADER_SIZE + 16, 9);
	put32(blob + SMMU_KDUMP_HEADER_SIZE + 32, 0);
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_REGS), NR_REGS);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_WRITES), 0);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_STREAMS), 0);

	/*
	 * Type 4, where earlier versions of the series copied the pending
	 * events (40-byte records), is one of those: here with the streams'
	 * 16-byte records, which an EVENTS parser would refuse
	 */
	len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	put32(blob + SMMU_KDUMP_HEADER_SIZE + 32, 4);
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_WRITES), NR_WRITES);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_STREAMS), 0);
	CHECK_EQ(smmu_dd_count(&dd, 4), 0);
}

static void test_dd_truncated(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE), n;
	struct smmu_dd dd;
	char err[128];
	unsigned char *copy;
	int ok = 1;

	/* every prefix shorter than total_size is refused */
	for (n = 0; n < len; n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, blob, n);
		if (!parse(copy, n, &dd, err))
			ok = 0;
		free(copy);
	}
	CHECK(ok);
	CHECK(!parse(blob, len, &dd, err));
	parse(blob, 20, &dd, err);
	CHECK(strstr(err, "truncated"));
}

static void expect_bad(size_t len, const char *what)
{
	struct smmu_dd dd;
	char err[128] = "";

	if (!parse(blob, len, &dd, err)) {
		printf("# accepted: %s\n", what);
		CHECK(0);
	}
}

static void test_dd_corrupt_fields(void)
{
	const uint32_t sec = SMMU_KDUMP_HEADER_SIZE;
	size_t len;
	struct smmu_dd dd;
	char err[128];

#define RESET()	(len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE))
	RESET();
	blob[0] = 'X';
	expect_bad(len, "bad magic");
	parse(blob, len, &dd, err);
	CHECK(strstr(err, "magic"));

	RESET();
	put32(blob + 8, 2);
	expect_bad(len, "version 2");
	parse(blob, len, &dd, err);
	CHECK(strstr(err, "version"));

	RESET();
	put32(blob + 12, 40);
	expect_bad(len, "header size 40");
	RESET();
	put32(blob + 12, 52);
	expect_bad(len, "header size 52");

	RESET();
	put32(blob + 16, 60);
	expect_bad(len, "total size inside the section table");

	RESET();
	put32(blob + 36, 100);
	expect_bad(len, "100 sections");
	RESET();
	put32(blob + 36, 0xffffffff);
	expect_bad(len, "2^32-1 sections");

	RESET();
	put32(blob + sec + 8, 1000);
	expect_bad(len, "register count beyond the end");

	RESET();
	put32(blob + sec + 4, 0xffffffff);
	put32(blob + sec + 8, 0xffffffff);
	expect_bad(len, "count * size overflow");

	RESET();
	put32(blob + sec + 12, sec + 4);
	expect_bad(len, "records inside the section table");

	RESET();
	put32(blob + sec + 12, (uint32_t)len);
	put32(blob + sec + 8, 1);
	expect_bad(len, "records at the end");

	RESET();
	put32(blob + sec + 12, 116);
	expect_bad(len, "misaligned records");

	RESET();
	put32(blob + sec + 4, 8);
	expect_bad(len, "register records too small");

	RESET();
	put32(blob + sec + 16, SMMU_KDUMP_SECT_REGS);
	expect_bad(len, "duplicate section");
	parse(blob, len, &dd, err);
	CHECK(strstr(err, "duplicate"));

	/* sections with no records are fine */
	RESET();
	put32(blob + sec + 8, 0);
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_count(&dd, SMMU_KDUMP_SECT_REGS), 0);
#undef RESET
}

/* Random damage: the parser either refuses or yields in-bounds records. */
static void test_dd_fuzz(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	unsigned char good[4096];
	struct smmu_dd dd;
	char err[128];
	unsigned int i, accepted = 0, k;

	memcpy(good, blob, sizeof(good));
	srand(7);
	for (i = 0; i < 50000; i++) {
		unsigned char *copy;
		size_t n = len;

		memcpy(blob, good, sizeof(blob));
		for (k = 0; k < 1 + (unsigned int)rand() % 4; k++) {
			/* bias the damage towards the header and table */
			size_t at = rand() % 2 ?
				    (size_t)(rand() % (SMMU_KDUMP_HEADER_SIZE +
					NR_SECTIONS * SMMU_KDUMP_SECTION_SIZE)) :
				    (size_t)rand() % len;

			blob[at] = rand() & 0xff;
		}
		if (rand() % 8 == 0)
			n = rand() % len;
		copy = malloc(n ? n : 1);
		memcpy(copy, blob, n);
		if (!parse(copy, n, &dd, err)) {
			accepted++;
			touch_all(&dd);
			CHECK(dd.len <= n);
		}
		free(copy);
	}
	printf("# fuzz: %u of %u damaged dumps accepted\n", accepted, i);
	CHECK(accepted > 0);
}

static void test_dd_undo(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	unsigned char buf[64], want[64];
	struct smmu_dd dd;
	char err[128];
	uint64_t ste = 0x41764000 + 0x200 % 256 * 64;

	CHECK_EQ(parse(blob, len, &dd, err), 0);

	/* the STE as the dump shows it: word 0 aborted, word 1 cleared */
	memset(buf, 0, sizeof(buf));
	put64(buf, 1);
	memcpy(want, buf, sizeof(want));
	put64(want, 0x4179a00bULL);
	put64(want + 8, 0xd6);
	CHECK_EQ(smmu_dd_undo(&dd, ste, buf, sizeof(buf)), 2);
	CHECK(!memcmp(buf, want, sizeof(buf)));

	/* a window that starts in the middle of word 0 */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(smmu_dd_undo(&dd, ste + 4, buf, 8), 2);
	CHECK_EQ(smmu_le32(buf), 0);			/* 0x4179a00b >> 32 */
	CHECK_EQ(smmu_le32(buf + 4), 0xd6);

	/* the 4-byte CD store */
	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(smmu_dd_undo(&dd, 0x41790000 - 2, buf, 8), 1);
	CHECK_EQ(buf[0], 0xaa);
	CHECK_EQ(smmu_le32(buf + 2), 0x12345678);
	CHECK_EQ(buf[6], 0xaa);

	/* no L1 descriptor among the stores; then record 2 is one */
	{
		struct smmu_l1_store l1s[NR_WRITES];
		uint32_t wr_off;
		unsigned char *rec;

		CHECK_EQ(smmu_dd_l1_stores(&dd, l1s), 0);
		wr_off = smmu_le32(blob + SMMU_KDUMP_HEADER_SIZE + 16 + 12);
		rec = blob + wr_off + 2 * SMMU_KDUMP_WRITE_SIZE;
		put16(rec + 30, SMMU_KDUMP_WR_L1STD);
		/* 4 bytes, or a doubleword not aligned: not a descriptor */
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		CHECK_EQ(smmu_dd_l1_stores(&dd, l1s), 0);
		put16(rec + 28, 8);
		put64(rec, 0x41790004);
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		CHECK_EQ(smmu_dd_l1_stores(&dd, l1s), 0);
		put64(rec, 0x41790000);
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		CHECK_EQ(smmu_dd_l1_stores(&dd, l1s), 1);
		CHECK_EQ(l1s[0].phys, 0x41790000);
		CHECK_EQ(l1s[0].old, smmu_le64(rec + 8));

		/* two stores to one word: the first one's OLD is kept */
		memcpy(rec - SMMU_KDUMP_WRITE_SIZE, rec,
		       SMMU_KDUMP_WRITE_SIZE);
		put64(rec + 8, 0x6fe00009);
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		CHECK_EQ(smmu_dd_l1_stores(&dd, l1s), 1);
		CHECK_EQ(l1s[0].phys, 0x41790000);
		CHECK_EQ(l1s[0].old, smmu_le64(rec - SMMU_KDUMP_WRITE_SIZE + 8));
		CHECK(l1s[0].old != 0x6fe00009);
		len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
		CHECK_EQ(parse(blob, len, &dd, err), 0);
	}

	/* nothing recorded here */
	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ(smmu_dd_undo(&dd, 0x50000000, buf, sizeof(buf)), 0);
	CHECK_EQ(buf[0], 0x55);

	/* two stores to one word: the first record holds the original */
	{
		size_t off;
		uint32_t wr_off;

		wr_off = smmu_le32(blob + SMMU_KDUMP_HEADER_SIZE + 16 + 12);
		off = wr_off + SMMU_KDUMP_WRITE_SIZE;	/* record 1 */
		put64(blob + off, ste);			/* same word as 0 */
		put64(blob + off + 8, 0x1);		/* old: record 0's new */
		put64(blob + off + 16, 0x3);
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		memset(buf, 0, 8);
		put64(buf, 3);
		smmu_dd_undo(&dd, ste, buf, 8);
		CHECK_EQ(smmu_le64(buf), 0x4179a00bULL);
	}
}

/* ---- ELF notes -------------------------------------------------------------- */

static size_t add_note(unsigned char *p, uint32_t type, const char *name,
		       uint32_t namesz, const void *desc, uint32_t descsz)
{
	size_t off = 12;

	put32(p, namesz);
	put32(p + 4, descsz);
	put32(p + 8, type);
	memset(p + off, 0, (namesz + 3) & ~3U);
	memcpy(p + off, name, strlen(name) < namesz ? strlen(name) : namesz);
	off += (namesz + 3) & ~3U;
	memcpy(p + off, desc, descsz);
	off += (descsz + 3) & ~3U;
	return off;
}

/* A vmcoredd note as fs/proc/vmcore.c writes it, padded to a page. */
static size_t add_vmcoredd(unsigned char *p, const char *dump_name,
			   const void *data, uint32_t len)
{
	uint32_t size = 4096 - 64;	/* page minus the 64-byte header */
	unsigned char desc[4096];

	memset(desc, 0, sizeof(desc));
	memcpy(desc, dump_name, strlen(dump_name));
	memcpy(desc + SMMU_VMCOREDD_NAME_BYTES, data, len);
	return add_note(p, SMMU_NT_VMCOREDD, "LINUX", 8, desc,
			size + SMMU_VMCOREDD_NAME_BYTES);
}

struct seen {
	char		names[4][64];
	size_t		lens[4];
	size_t		offs[4];
	const void	*data[4];
	int		n;
};

static int seen_fn(void *arg, const char *name, const void *data, size_t len,
		   size_t offset)
{
	struct seen *s = arg;

	if (s->n < 4) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
		s->lens[s->n] = len;
		s->offs[s->n] = offset;
		s->data[s->n] = data;
	}
	s->n++;
	return 0;
}

static void test_notes(void)
{
	static unsigned char notes[32768];
	unsigned char prstatus[392] = { 0 };
	const char *vmcoreinfo = "OSRELEASE=6.12.117\nPAGESIZE=4096\n";
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	size_t off = 0, dd_note;
	struct seen s;
	struct smmu_dd dd;
	char err[128];

	memset(notes, 0, sizeof(notes));
	dd_note = off;
	off += add_vmcoredd(notes + off, "arm-smmu-v3.9050000", blob, len);
	off += add_vmcoredd(notes + off, "cxgb4_0000:01:00.4", "xyz", 3);
	off += add_note(notes + off, 1, "CORE", 5, prstatus, sizeof(prstatus));
	off += add_note(notes + off, 0, "VMCOREINFO", 11, vmcoreinfo,
			strlen(vmcoreinfo));

	memset(&s, 0, sizeof(s));
	CHECK_EQ(smmu_vmcoredd_scan(notes, off, seen_fn, &s), 2);
	CHECK_EQ(s.n, 2);
	CHECK_STR(s.names[0], "arm-smmu-v3.9050000");
	CHECK_STR(s.names[1], "cxgb4_0000:01:00.4");
	CHECK_EQ(s.lens[0], 4096 - 64);
	/* the data starts 64 bytes into the note, as in vmcoredd_header */
	CHECK_EQ(s.offs[0], dd_note + 64);
	CHECK(s.data[0] == notes + dd_note + 64);
	CHECK_EQ(smmu_dd_parse(s.data[0], s.lens[0], &dd, err, sizeof(err)), 0);
	CHECK_EQ(dd.smmu_base, 0x9050000);

	/* zero padding after the notes ends the walk cleanly */
	memset(&s, 0, sizeof(s));
	CHECK_EQ(smmu_vmcoredd_scan(notes, off + 4096, seen_fn, &s), 2);

	/* a note that claims more than the buffer holds */
	memset(&s, 0, sizeof(s));
	CHECK_EQ(smmu_vmcoredd_scan(notes, off - 8, seen_fn, &s), -1);
	CHECK_EQ(s.n, 2);	/* the notes before it were seen */
	put32(notes + dd_note + 4, 0xfffffff0);
	CHECK_EQ(smmu_vmcoredd_scan(notes, off, seen_fn, &s), -1);

	/* type 0x700 with another owner, and a descriptor too short */
	memset(notes, 0, sizeof(notes));
	off = add_note(notes, SMMU_NT_VMCOREDD, "CORE", 5, "abcd", 4);
	off += add_note(notes + off, SMMU_NT_VMCOREDD, "LINUX", 8, "short", 5);
	memset(&s, 0, sizeof(s));
	CHECK_EQ(smmu_vmcoredd_scan(notes, off, seen_fn, &s), 0);
	CHECK_EQ(smmu_vmcoredd_scan(notes, 0, NULL, NULL), 0);
	CHECK_EQ(smmu_vmcoredd_scan(notes, 7, NULL, NULL), 0);
}

/* Random bytes as a note area: the scanner never reads out of bounds. */
static void test_notes_fuzz(void)
{
	unsigned char *buf;
	unsigned int i, k;
	size_t n;

	srand(11);
	for (i = 0; i < 20000; i++) {
		n = rand() % 512;
		buf = malloc(n ? n : 1);
		for (k = 0; k < n; k++)
			buf[k] = rand() % 4 ? rand() % 64 : rand() & 0xff;
		if (n >= 12 && rand() % 2)
			put32(buf + 8, SMMU_NT_VMCOREDD);
		smmu_vmcoredd_scan(buf, n, NULL, NULL);
		free(buf);
	}
	CHECK(1);
}

/* -d and -r take the stream table of the snapshot through one decoder */
static void test_dd_strtab(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	unsigned char *cfg_rec = blob + SMMU_KDUMP_HEADER_SIZE +
				 NR_SECTIONS * SMMU_KDUMP_SECTION_SIZE +
				 5 * SMMU_KDUMP_REG_SIZE;
	struct smmu_strtab t;
	struct smmu_dd dd;
	uint64_t cfg;
	char err[128];

	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_strtab(&dd, &t, &cfg), 0);
	CHECK_EQ(cfg, 0x10210);
	CHECK_EQ(t.fmt, SMMU_STRTAB_2LVL);
	CHECK_EQ(t.base, 0x40fb4000);
	CHECK_EQ(t.log2size, 16);
	CHECK_EQ(t.split, 8);

	/* a reserved format in the snapshot */
	CHECK_EQ(smmu_le32(cfg_rec), SMMU_STRTAB_BASE_CFG);
	put64(cfg_rec + 8, 0x20210);
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_strtab(&dd, &t, &cfg), -1);
	CHECK_EQ(cfg, 0x20210);

	/* no STRTAB_BASE_CFG in the snapshot */
	put32(cfg_rec, SMMU_CR2);
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_strtab(&dd, &t, &cfg), SMMU_DD_NO_STRTAB);
}

/* ---- events pending at handover ---------------------------------------- */

/* Rewrite register off of the dump that build_dd() left in blob. */
static void set_reg(uint32_t off, uint64_t val)
{
	unsigned char *r = blob + SMMU_KDUMP_HEADER_SIZE +
			   NR_SECTIONS * SMMU_KDUMP_SECTION_SIZE;
	uint32_t i;

	for (i = 0; i < NR_REGS; i++, r += SMMU_KDUMP_REG_SIZE) {
		if (smmu_le32(r) == off) {
			put64(r + 8, val);
			return;
		}
	}
	fprintf(stderr, "no register %#x in the test dump\n", off);
	exit(2);
}

/* Take register off out of the snapshot (it becomes CR2). */
static void drop_reg(uint32_t off)
{
	unsigned char *r = blob + SMMU_KDUMP_HEADER_SIZE +
			   NR_SECTIONS * SMMU_KDUMP_SECTION_SIZE;
	uint32_t i;

	for (i = 0; i < NR_REGS; i++, r += SMMU_KDUMP_REG_SIZE) {
		if (smmu_le32(r) == off) {
			put32(r, SMMU_CR2);
			return;
		}
	}
	fprintf(stderr, "no register %#x in the test dump\n", off);
	exit(2);
}

/*
 * A stream table read without the driver's state (-T, -r, --minimal)
 * takes what an STE may hold from the device dump's IDRs: without them,
 * an STE with substreams is not ILLEGAL for want of SSIDSIZE.
 */
static void test_dd_caps(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	/* stage 1, 2^4 CDs: legal unless SSIDSIZE < 4 */
	const uint64_t w[SMMU_STE_DWORDS] = {
		1 | 5 << 1 | 0x41000000ULL | 4ULL << 59,
	};
	struct smmu_caps caps;
	struct smmu_ste ste;
	struct smmu_dd dd;
	char err[128];

	smmu_dd_caps(NULL, &caps);
	CHECK_EQ(caps.ssid_bits, 32);
	CHECK_EQ(caps.sid_bits, 0);
	CHECK_EQ(caps.oas, 0);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.errors, 0);

	/* the rig's IDR1: SIDSIZE 16, SSIDSIZE 0; no IDR5 */
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	smmu_dd_caps(&dd, &caps);
	CHECK_EQ(caps.sid_bits, 16);
	CHECK_EQ(caps.ssid_bits, 0);
	CHECK_EQ(caps.oas, 0);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.errors, SMMU_STE_ERR_CDMAX);

	set_reg(SMMU_IDR1, 0x02730010 | 20 << 6);
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	smmu_dd_caps(&dd, &caps);
	CHECK_EQ(caps.ssid_bits, 20);
	smmu_ste_decode(w, &caps, &ste);
	CHECK_EQ(ste.errors, 0);
}

/* An event record: id, StreamID and an address in the third word. */
static void put_event(uint64_t base, uint32_t idx, unsigned int id,
		      uint32_t sid, uint64_t addr)
{
	uint64_t pa = base + (uint64_t)idx * SMMU_EVT_SIZE;

	fm_w64(pa, id | (uint64_t)sid << 32);
	fm_w64(pa + 8, 0);
	fm_w64(pa + 16, addr);
	fm_w64(pa + 24, 0);
}

/*
 * smmu_dd_show_events() on blob's dump (built by build_dd() and edited)
 * over the fake memory: its output, to be freed; *nread the entries it
 * says it read, *reads the calls to the memory callback.
 */
static char *show_events(size_t len, uint32_t *nread, unsigned long *reads)
{
	struct smmu_dd dd;
	char err[128], *out = NULL;
	size_t n = 0;
	unsigned long before;
	FILE *f;

	CHECK_EQ(parse(blob, len, &dd, err), 0);
	f = open_memstream(&out, &n);
	before = fm_reads();
	*nread = smmu_dd_show_events(f, &dd, &fm_mem);
	*reads = fm_reads() - before;
	fclose(f);
	return out;
}

static int starts(const char *text, const char *prefix)
{
	return !strncmp(text, prefix, strlen(prefix));
}

/* Lines of text that start with "    [" (the entries). */
static int count_entries(const char *text)
{
	const char *p;
	int n = 0;

	for (p = text; (p = strstr(p, "\n    [")); p++)
		n++;
	return n;
}

static void test_dd_events(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	struct smmu_dd_evtq q;
	struct smmu_dd dd;
	unsigned long reads;
	uint32_t nread, i;
	char err[128], *out, *a, *b;

	/* the queue as the registers say: 2^17 entries, CONS 1, PROD 3 */
	CHECK_EQ(parse(blob, len, &dd, err), 0);
	CHECK_EQ(smmu_dd_evtq(&dd, &q), SMMU_DD_EVTQ_OK);
	CHECK_EQ(q.base, EVTQ_PA);
	CHECK_EQ(q.log2n, 17);
	CHECK_EQ(q.cons, 1);
	CHECK_EQ(q.pending, 2);

	/* entries 1 and 2; 0 (consumed) and 3 (not produced) are not shown */
	put_event(EVTQ_PA, 0, 0x10, 0x100, 0xdead0000);
	put_event(EVTQ_PA, 1, 0x10, 0x300, 0xfff0e000);
	put_event(EVTQ_PA, 2, 0x04, 0x200, 0);
	put_event(EVTQ_PA, 3, 0x10, 0x100, 0xdead1000);
	out = show_events(len, &nread, &reads);
	CHECK(starts(out, "\n  EVENTS PENDING AT HANDOVER (2):\n"));
	CHECK(strstr(out, "    from the event queue at 41c00000 (131072 entries) in the dump's memory, CONS 0x1 to PROD 0x3:\n"));
	a = strstr(out, "\n    [1] F_TRANSLATION (0x10)  SID: 0x300  ADDR: fff0e000 ");
	b = strstr(out, "\n    [2] C_BAD_STE (0x4)  SID: 0x200\n");
	CHECK(a && b && a < b);
	CHECK(strstr(out, "\n        0000030000000010 0000000000000000 00000000fff0e000 0000000000000000\n"));
	CHECK(!strstr(out, "dead"));
	CHECK(!strstr(out, "not read"));
	CHECK_EQ(count_entries(out), 2);
	CHECK_EQ(nread, 2);
	CHECK_EQ(reads, 2);
	free(out);

	/* OVFLG in PROD is not an index bit; unacknowledged, it says so */
	set_reg(SMMU_P1(SMMU_EVTQ_PROD), 0x80000003);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "EVENTS PENDING AT HANDOVER (2):"));
	CHECK(strstr(out, "    the queue had overflowed: events were lost\n"));
	CHECK_EQ(nread, 2);
	free(out);
	set_reg(SMMU_P1(SMMU_EVTQ_CONS), 0x80000001);
	out = show_events(len, &nread, &reads);
	CHECK(!strstr(out, "overflowed"));
	set_reg(SMMU_P1(SMMU_EVTQ_CONS), 1);
	free(out);

	/* wrapped: from the last two slots of one pass to slot 0 of the next */
	set_reg(SMMU_P1(SMMU_EVTQ_CONS), 0x1fffe);
	set_reg(SMMU_P1(SMMU_EVTQ_PROD), 0x20001);
	put_event(EVTQ_PA, 0x1fffe, 0x12, 0x100, 0x1000);
	put_event(EVTQ_PA, 0x1ffff, 0x13, 0x100, 0x2000);
	put_event(EVTQ_PA, 0, 0x0b, 0x300, 0x3000);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "EVENTS PENDING AT HANDOVER (3):"));
	a = strstr(out, "\n    [131070] F_ACCESS (0x12)");
	b = strstr(out, "\n    [131071] F_PERMISSION (0x13)");
	CHECK(a && b && a < b && strstr(b, "\n    [0] F_WALK_EABT (0xb)  SID: 0x300"));
	CHECK_EQ(count_entries(out), 3);
	CHECK_EQ(reads, 3);
	free(out);

	/* nothing pending: the header alone, nothing read */
	set_reg(SMMU_P1(SMMU_EVTQ_CONS), 0x20001);
	out = show_events(len, &nread, &reads);
	CHECK_STR(out, "\n  EVENTS PENDING AT HANDOVER (0):\n");
	CHECK_EQ(reads, 0);
	free(out);

	/* a full queue of 16 entries: each slot once, from CONS on */
	set_reg(SMMU_EVTQ_BASE, (1ULL << 62) | EVTQ_PA | 4);
	set_reg(SMMU_P1(SMMU_EVTQ_CONS), 5);
	set_reg(SMMU_P1(SMMU_EVTQ_PROD), 0x10 | 5);
	for (i = 0; i < 16; i++)
		put_event(EVTQ_PA, i, 0x10, 0x100 + i, 0x1000 * i);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "EVENTS PENDING AT HANDOVER (16):"));
	a = strstr(out, "\n    [");
	CHECK(a && starts(a, "\n    [5] F_TRANSLATION (0x10)  SID: 0x105"));
	CHECK(strstr(out, "\n    [15] F_TRANSLATION (0x10)  SID: 0x10f"));
	CHECK(strstr(out, "\n    [4] F_TRANSLATION (0x10)  SID: 0x104"));
	CHECK_EQ(count_entries(out), 16);
	CHECK_EQ(nread, 16);
	CHECK_EQ(reads, 16);
	free(out);
}

/*
 * Registers that cannot describe the queue the SMMU wrote: each is
 * refused with one line, and not one byte is read through them.
 */
static void test_dd_events_refused(void)
{
	static const struct {
		uint32_t	off;
		uint64_t	val;	/* ~0: take the register out */
		const char	*why;
	} cases[] = {
		/* CR0 SMMUEN|CMDQEN, EVTQEN clear */
		{ SMMU_CR0, 0x9, "not read: event queue disabled at handover (CR0 0x9, EVTQEN clear)\n" },
		/* IDR1.EVTQS 16 (CMDQS 19) for a queue of 2^17 */
		{ SMMU_IDR1, 0x02700010, "not read: EVTQ_BASE 0x4000000041c00011: LOG2SIZE 17 above IDR1.EVTQS 16 (IDR1 0x2700010)\n" },
		/* EVTQS 31 in a damaged IDR1, a queue of 2^20 */
		{ SMMU_IDR1, 0x027f0010, NULL },
		/* 2^17 entries of 32 bytes at 41c08000 */
		{ SMMU_EVTQ_BASE, 0x4000000041c08011ULL, "not read: EVTQ_BASE 0x4000000041c08011: queue at 41c08000 not aligned to its size (0x400000 bytes)\n" },
		/* same pass, PROD behind CONS */
		{ SMMU_P1(SMMU_EVTQ_PROD), 0x0, "not read: EVTQ_PROD 0 and EVTQ_CONS 0x1 inconsistent for a queue of 131072 entries\n" },
		/* next pass, PROD ahead of CONS: more than the queue holds */
		{ SMMU_P1(SMMU_EVTQ_PROD), 0x20002, "not read: EVTQ_PROD 0x20002 and EVTQ_CONS 0x1 inconsistent for a queue of 131072 entries\n" },
		{ SMMU_P1(SMMU_EVTQ_PROD), ~0ULL, "not read: no EVTQ_PROD in the register snapshot\n" },
		{ SMMU_EVTQ_BASE, ~0ULL, "not read: no EVTQ_BASE in the register snapshot\n" },
		{ SMMU_CR0, ~0ULL, "not read: no CR0 in the register snapshot\n" },
		{ SMMU_IDR1, ~0ULL, "not read: no IDR1 in the register snapshot\n" },
	};
	static const int status[] = {
		SMMU_DD_EVTQ_DISABLED, SMMU_DD_EVTQ_SIZE, SMMU_DD_EVTQ_SIZE,
		SMMU_DD_EVTQ_ALIGN, SMMU_DD_EVTQ_PTRS, SMMU_DD_EVTQ_PTRS,
		SMMU_DD_EVTQ_NO_REG, SMMU_DD_EVTQ_NO_REG, SMMU_DD_EVTQ_NO_REG,
		SMMU_DD_EVTQ_NO_REG,
	};
	unsigned long reads;
	struct smmu_dd_evtq q;
	struct smmu_dd dd;
	uint32_t nread, i, k;
	char err[128], *out;
	size_t len;

	_Static_assert(ARRAY_SIZE(cases) == ARRAY_SIZE(status), "cases");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
		/* a plausible queue behind each of them */
		for (k = 0; k < 4; k++)
			put_event(EVTQ_PA, k, 0x10, 0x300, 0x1000 * k);
		if (cases[i].val == ~0ULL)
			drop_reg(cases[i].off);
		else
			set_reg(cases[i].off, cases[i].val);
		if (i == 2)	/* LOG2SIZE 20, the base 32M-aligned */
			set_reg(SMMU_EVTQ_BASE, 0x4000000042000014ULL);
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		CHECK_EQ(smmu_dd_evtq(&dd, &q), status[i]);
		CHECK_EQ(q.pending, 0);
		out = show_events(len, &nread, &reads);
		if (starts(out, "\n  EVENTS PENDING AT HANDOVER (unknown):\n    not read: ") &&
		    (!cases[i].why || strstr(out, cases[i].why)) &&
		    count_entries(out) == 0 && !nread && !reads) {
			CHECK(1);
		} else {
			printf("# case %u (register %#x = %#llx): %u entries, %lu reads:\n%s",
			       i, cases[i].off, (unsigned long long)cases[i].val,
			       nread, reads, out);
			CHECK(0);
		}
		if (i == 2)
			CHECK(strstr(out, "LOG2SIZE 20 above 19, the architecture's maximum"));
		free(out);
	}
}

/* A queue the dump does not hold (or not all of it), or filtered pages. */
static void test_dd_events_memory(void)
{
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	unsigned long reads;
	uint32_t nread, i;
	char *out;

	/* the queue's pages are not in the dump */
	fm_set(EVTQ_PA, 32ULL << 17, FM_MISSING);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "EVENTS PENDING AT HANDOVER (2):\n"));
	CHECK(strstr(out, "\n    [1] not in the dump: 2 of the 2 entries not read\n"));
	CHECK_EQ(count_entries(out), 1);
	CHECK_EQ(nread, 0);
	CHECK_EQ(reads, 1);
	free(out);

	/* nor any memory there at all */
	set_reg(SMMU_EVTQ_BASE, 0x2000000011ULL);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "\n    [1] not in the dump: 2 of the 2 entries not read\n"));
	CHECK_EQ(reads, 1);
	free(out);

	/* the first page is, the next one is not: entries 126 to 130 */
	fm_reset();
	len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	set_reg(SMMU_P1(SMMU_EVTQ_CONS), 126);
	set_reg(SMMU_P1(SMMU_EVTQ_PROD), 131);
	for (i = 126; i < 131; i++)
		put_event(EVTQ_PA, i, 0x10, 0x300, 0x1000 * i);
	fm_set(EVTQ_PA + 4096, 4096, FM_MISSING);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "EVENTS PENDING AT HANDOVER (5):\n"));
	CHECK(strstr(out, "\n    [126] F_TRANSLATION (0x10)  SID: 0x300  ADDR: 7e000 "));
	CHECK(strstr(out, "\n    [127] F_TRANSLATION (0x10)  SID: 0x300  ADDR: 7f000 "));
	CHECK(strstr(out, "\n    [128] not in the dump: 3 of the 5 entries not read\n"));
	CHECK(!strstr(out, "[129]"));
	CHECK_EQ(count_entries(out), 3);
	CHECK_EQ(nread, 2);
	CHECK_EQ(reads, 3);
	free(out);

	/* a page makedumpfile filtered out was all zeroes: so are its events */
	fm_set(EVTQ_PA + 4096, 4096, FM_FILTERED);
	out = show_events(len, &nread, &reads);
	CHECK(strstr(out, "\n    [128] unknown (0)  SID: 0\n"));
	CHECK(strstr(out, "\n    [130] unknown (0)  SID: 0\n"));
	CHECK_EQ(count_entries(out), 5);
	CHECK_EQ(nread, 5);
	free(out);
}

/* Reads inside the queue only, and no more of them than it has entries. */
static struct {
	uint64_t	lo, hi;
	unsigned long	reads, outside, limit;
} fz;

static int fz_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	(void)ctx;
	fz.reads++;
	if (pa < fz.lo || pa + len > fz.hi || len != SMMU_EVT_SIZE)
		fz.outside++;
	memset(buf, 0x5a, len);
	return fz.reads > fz.limit ? SMMU_READ_FAIL : SMMU_READ_OK;
}

static uint64_t rand64(void)
{
	return ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^
	       (uint64_t)rand();
}

static void test_dd_events_fuzz(void)
{
	const struct smmu_mem mem = { fz_read, NULL };
	size_t len = build_dd(blob, sizeof(blob), SMMU_KDUMP_REG_SIZE);
	unsigned int i, accepted = 0, refused = 0;
	struct smmu_dd_evtq q;
	struct smmu_dd dd;
	uint64_t base;
	uint32_t nread;
	char err[128];
	FILE *null;
	int ret;

	null = fopen("/dev/null", "w");
	CHECK(null);
	if (!null)
		return;
	srand(13);
	for (i = 0; i < 5000; i++) {
		unsigned int log2n = rand() % 2 ? rand() % 12 : rand() % 32;

		base = rand() % 4 ? rand64() & SMMU_MASK(51, 5) & ~((32ULL << log2n) - 1) :
				    rand64();
		set_reg(SMMU_EVTQ_BASE, (base & ~0x1fULL) | log2n);
		set_reg(SMMU_P1(SMMU_EVTQ_PROD), rand() % 2 ? rand64() :
				rand() & ((2U << log2n) - 1));
		set_reg(SMMU_P1(SMMU_EVTQ_CONS), rand() % 2 ? rand64() :
				rand() & ((2U << log2n) - 1));
		set_reg(SMMU_CR0, rand() % 8 ? 0xd : rand64());
		set_reg(SMMU_IDR1, rand() % 2 ? 0x02730010 : rand64());
		CHECK_EQ(parse(blob, len, &dd, err), 0);
		ret = smmu_dd_evtq(&dd, &q);

		fz.lo = q.base;
		fz.hi = q.base + (32ULL << q.log2n);
		fz.reads = fz.outside = 0;
		/* the SMMU could have left 2^19 entries: read a few hundred */
		fz.limit = rand() % 4 ? 256 : (unsigned long)rand() % 64;
		nread = smmu_dd_show_events(null, &dd, &mem);
		if (ret != SMMU_DD_EVTQ_OK) {
			refused++;
			CHECK_EQ(fz.reads, 0);
			CHECK_EQ(nread, 0);
			continue;
		}
		accepted++;
		CHECK(q.log2n <= SMMU_EVTQS_MAX);
		CHECK(q.pending <= 1U << q.log2n);
		CHECK(!(q.base & ((32ULL << q.log2n) - 1)));
		CHECK_EQ(fz.outside, 0);
		CHECK(fz.reads <= q.pending);
		CHECK(nread <= q.pending);
	}
	fclose(null);
	printf("# fuzz: %u queues followed, %u refused\n", accepted, refused);
	CHECK(accepted > 0 && refused > 0);
}

static const struct test_case cases[] = {
	TEST(test_dd_valid, "device dump: version 1 dump, every section"),
	TEST(test_dd_forward, "device dump: larger records and unknown sections"),
	TEST(test_dd_truncated, "device dump: every truncation is refused"),
	TEST(test_dd_corrupt_fields, "device dump: corrupt header and section table"),
	TEST(test_dd_fuzz, "device dump: random damage"),
	TEST(test_dd_undo, "device dump: undoing the crash kernel's stores"),
	TEST(test_dd_strtab, "device dump: the snapshot's STRTAB_BASE/_CFG, reserved and missing"),
	TEST(test_dd_caps, "device dump: SIDSIZE, SSIDSIZE and OAS from its IDRs, unknown without"),
	TEST(test_dd_events, "device dump: events pending at handover, read from the queue the EVTQ registers describe"),
	TEST(test_dd_events_refused, "device dump: damaged EVTQ registers (disabled, LOG2SIZE, base, PROD/CONS, missing) are not followed"),
	TEST(test_dd_events_memory, "device dump: pending events not in the dump, or filtered"),
	TEST(test_dd_events_fuzz, "device dump: random EVTQ registers: reads stay inside the queue"),
	TEST(test_notes, "NT_VMCOREDD notes: scan, padding, malformed notes"),
	TEST(test_notes_fuzz, "NT_VMCOREDD notes: random note areas"),
};

int main(void)
{
	return test_run("crash: smmu: devdump", cases, ARRAY_SIZE(cases));
}
