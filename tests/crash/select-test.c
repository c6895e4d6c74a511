// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host tests of what the "smmu" command is given and what it prints for
 * scripts (crash-extension/smmu-decode.c): "-s" as a StreamID, a PCI
 * address or a device name; "-i" as the INDEX the list prints, an
 * address or an MMIO base; table headers of one token per column.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "smmu-devdump.h"

static void test_sel_sid(void)
{
	struct smmu_sel s;

	CHECK_EQ(smmu_sel_parse("0x300", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_SID);
	CHECK_EQ(s.sid, 0x300);
	CHECK_EQ(smmu_sel_parse("768", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_SID);
	CHECK_EQ(s.sid, 768);
	/* as crash's stol(): hexadecimal digits without 0x are hex */
	CHECK_EQ(smmu_sel_parse("1f", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_SID);
	CHECK_EQ(s.sid, 0x1f);
	/* ... which a device may be named too ("fd0"), unlike 0x1f or 31 */
	CHECK_EQ(s.maybe_name, 1);
	CHECK_STR(s.name, "1f");
	CHECK_EQ(smmu_sel_parse("0x1f", &s), 0);
	CHECK_EQ(s.maybe_name, 0);
	CHECK_EQ(smmu_sel_parse("31", &s), 0);
	CHECK_EQ(s.maybe_name, 0);
	CHECK_EQ(smmu_sel_parse("0", &s), 0);
	CHECK_EQ(s.sid, 0);
	CHECK_EQ(smmu_sel_parse("0xffffffff", &s), 0);
	CHECK_EQ(s.sid, 0xffffffffU);
	/* malformed numbers are refused, not taken for names */
	CHECK_EQ(smmu_sel_parse("0x", &s), -1);
	CHECK_EQ(smmu_sel_parse("0x3g0", &s), -1);
	CHECK_EQ(smmu_sel_parse("0x100000000", &s), -1);
	CHECK_EQ(smmu_sel_parse("", &s), -1);
}

static void test_sel_pci(void)
{
	struct smmu_sel s;

	CHECK_EQ(smmu_sel_parse("0000:03:00.0", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_PCI);
	CHECK_EQ(s.has_seg, 1);
	CHECK_EQ(s.seg, 0);
	CHECK_EQ(s.rid, 0x300);
	CHECK(smmu_sel_match(&s, "0000:03:00.0"));
	CHECK(!smmu_sel_match(&s, "0001:03:00.0"));
	CHECK(!smmu_sel_match(&s, "0000:03:00.1"));
	CHECK(!smmu_sel_match(&s, "9050000.smmuv3"));

	/* the short form: any segment */
	CHECK_EQ(smmu_sel_parse("03:00.0", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_PCI);
	CHECK_EQ(s.has_seg, 0);
	CHECK_EQ(s.rid, 0x300);
	CHECK(smmu_sel_match(&s, "0000:03:00.0"));
	CHECK(smmu_sel_match(&s, "0001:03:00.0"));
	CHECK(!smmu_sel_match(&s, "0000:02:00.0"));

	/* device and function bits, upper case, a large segment */
	CHECK_EQ(smmu_sel_parse("1a:1F.7", &s), 0);
	CHECK_EQ(s.rid, 0x1a00 | 0x1f << 3 | 7);
	CHECK(smmu_sel_match(&s, "0000:1a:1f.7"));
	CHECK_EQ(smmu_sel_parse("10000:00:01.0", &s), 0);
	CHECK_EQ(s.seg, 0x10000);
	CHECK(smmu_sel_match(&s, "10000:00:01.0"));

	/* not PCI addresses: device 0x20, function 8, extra fields */
	CHECK_EQ(smmu_sel_parse("03:20.0", &s), 0);
	CHECK(s.kind != SMMU_SEL_PCI);
	CHECK_EQ(smmu_sel_parse("03:00.8", &s), 0);
	CHECK(s.kind != SMMU_SEL_PCI);
	CHECK_EQ(smmu_sel_parse("0:0:03:00.0", &s), 0);
	CHECK(s.kind != SMMU_SEL_PCI);
}

static void test_sel_name(void)
{
	struct smmu_sel s;

	CHECK_EQ(smmu_sel_parse("eth0", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_NAME);
	CHECK(smmu_sel_match(&s, "eth0"));
	CHECK(!smmu_sel_match(&s, "eth01"));
	CHECK_EQ(smmu_sel_parse("virtio2", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_NAME);
	CHECK_EQ(smmu_sel_parse("9050000.smmuv3", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_NAME);
	CHECK(smmu_sel_match(&s, "9050000.smmuv3"));
	CHECK_EQ(smmu_sel_parse("nvme0n1", &s), 0);
	CHECK_EQ(s.kind, SMMU_SEL_NAME);
	/* a name matches names only, a PCI address PCI names only */
	CHECK_EQ(smmu_sel_parse("0000:03:00.0", &s), 0);
	CHECK(!smmu_sel_match(&s, "eth0"));
}

static const struct smmu_inst_id ids[] = {
	{ 0, 0xffff0000014a0080ULL, 0x9050000 },
	{ 1, 0xffff000001800080ULL, 0x12340000 },
	{ 2, 0xffff000001900080ULL, 0 },
};

static void test_pick_inst(void)
{
	CHECK_EQ(smmu_pick_inst("0", ids, 3), 0);
	CHECK_EQ(smmu_pick_inst("2", ids, 3), 2);
	CHECK_EQ(smmu_pick_inst("ffff000001800080", ids, 3), 1);
	CHECK_EQ(smmu_pick_inst("0xffff000001900080", ids, 3), 2);
	CHECK_EQ(smmu_pick_inst("0x9050000", ids, 3), 0);
	/* not an index: an MMIO base, hexadecimal */
	CHECK_EQ(smmu_pick_inst("12340000", ids, 3), 1);
	CHECK_EQ(smmu_pick_inst("3", ids, 3), -1);
	CHECK_EQ(smmu_pick_inst("0", ids + 1, 2), -1);	/* no index 0 */
	CHECK_EQ(smmu_pick_inst("smmu0", ids, 3), -1);
	CHECK_EQ(smmu_pick_inst("", ids, 3), -1);
}

/* Print a header or a row into a string. */
static char *table_str(const struct smmu_col *cols, unsigned int nr,
		       const char *const *cells)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (!f)
		return NULL;
	if (cells)
		smmu_table_row(f, cols, nr, "  ", cells);
	else
		smmu_table_header(f, cols, nr, "  ");
	fclose(f);
	return buf;
}

static int ntokens(const char *s, char tok[][64], int max)
{
	int n = 0;
	const char *p = s;

	while (*p) {
		size_t l;

		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		l = strcspn(p, " \t\n");
		if (n < max) {
			snprintf(tok[n], 64, "%.*s", (int)l, p);
		}
		n++;
		p += l;
	}
	return n;
}

/* The INDEX the list prints is what "-i" takes. */
static void test_list_index(void)
{
	const char *cells[SMMU_LIST_NR_COLS] = {
		"1", "ffff000001800080", "12340000.smmuv3", "12340000",
		"2lvl:40fb4000", "1024", "arm-smmu-v3.12340000",
	};
	char tok[16][64], *s;

	CHECK_STR(smmu_cols_list[0].name, "INDEX");
	s = table_str(smmu_cols_list, SMMU_LIST_NR_COLS, cells);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(ntokens(s, tok, 16), SMMU_LIST_NR_COLS);
	CHECK_EQ(smmu_pick_inst(tok[0], ids, 3), 1);
	CHECK_EQ(smmu_pick_inst(tok[1], ids, 3), 1);
	/* no trailing blanks, and an empty cell is "-" */
	CHECK(s[strlen(s) - 2] != ' ');
	cells[6] = "";
	s = table_str(smmu_cols_list, SMMU_LIST_NR_COLS, cells);
	CHECK_EQ(ntokens(s, tok, 16), SMMU_LIST_NR_COLS);
	CHECK_STR(tok[6], "-");
}

static void check_cols(const struct smmu_col *cols, unsigned int nr)
{
	char tok[16][64], *s;
	const char *cells[16];
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const char *n = cols[i].name;

		CHECK(n && *n && strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
		      strlen(n));
		cells[i] = "x";
	}
	s = table_str(cols, nr, NULL);
	CHECK_EQ(ntokens(s, tok, 16), nr);
	for (i = 0; i < nr && i < 16; i++)
		CHECK_STR(tok[i], cols[i].name);
	s = table_str(cols, nr, cells);
	CHECK_EQ(ntokens(s, tok, 16), nr);
}

static void test_headers(void)
{
	unsigned int i;

	check_cols(smmu_cols_list, SMMU_LIST_NR_COLS);
	check_cols(smmu_cols_all, SMMU_ALL_NR_COLS);
	check_cols(smmu_cols_rmap, SMMU_RMAP_NR_COLS);
	check_cols(smmu_cols_dd_streams, SMMU_DD_STREAMS_NR_COLS);
	check_cols(smmu_cols_dd_writes, SMMU_DD_WRITES_NR_COLS);
	CHECK_STR(smmu_cols_dd_streams[3].name, "STE0_AS_FOUND");
	CHECK_STR(smmu_cols_dd_writes[5].name, "IN_DUMP");

	/* the cells of the device dump's tables are single tokens too */
	for (i = 0; i < 256; i++) {
		CHECK(!strchr(smmu_dd_reason_str(i), ' '));
		CHECK(!strchr(smmu_dd_decision_str(i), ' '));
		CHECK(!strchr(smmu_dd_kind_str(i), ' '));
	}
	CHECK_STR(smmu_dd_reason_str(SMMU_KDUMP_WHY_NOT_LISTED),
		  "not-in-keep-list");
}

static const struct test_case cases[] = {
	TEST(test_sel_sid, "device selection: StreamIDs as crash reads numbers"),
	TEST(test_sel_pci, "device selection: PCI addresses, long and short forms"),
	TEST(test_sel_name, "device selection: device names"),
	TEST(test_pick_inst, "SMMU selection: index, address or MMIO base"),
	TEST(test_list_index, "list: the INDEX column is what -i takes"),
	TEST(test_headers, "tables: one token per column header and cell"),
};

int main(void)
{
	return test_run("crash: smmu: select", cases, ARRAY_SIZE(cases));
}
