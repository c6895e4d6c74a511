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

/*
 * The driver's streams tree, as smmu_rb_walk() reads it: rb_nodes in fake
 * memory with a key after them (the StreamID of their arm_smmu_stream),
 * damaged in the ways a crashed kernel's memory can be.
 */
struct rb_seen {
	uint64_t	keys[64];
	unsigned int	n;
};

static int rb_seen_fn(void *arg, uint64_t node, const char **why)
{
	struct rb_seen *r = arg;
	uint64_t key = fm_r64(node + SMMU_RB_NODE_SIZE);

	/* as smmu.c does: the tree is sorted, a key out of order is damage */
	if (r->n && key <= r->keys[(r->n - 1) % 64]) {
		*why = "out of order";
		return -1;
	}
	r->keys[r->n++ % 64] = key;
	return 0;
}

static uint64_t rb_node(uint64_t key)
{
	uint64_t n = fm_alloc(32, 8);

	fm_w64(n + SMMU_RB_NODE_SIZE, key);
	return n;
}

static void rb_link(uint64_t n, uint64_t left, uint64_t right)
{
	fm_w64(n + SMMU_RB_LEFT, left);
	fm_w64(n + SMMU_RB_RIGHT, right);
}

static void test_rb_walk(void)
{
	uint64_t root = fm_alloc(8, 8), n[8], chain[SMMU_RB_MAX_DEPTH + 2];
	struct smmu_node_walk w;
	struct rb_seen r;
	int i;

	/* empty */
	fm_w64(root, 0);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 0);
	CHECK_EQ(w.damaged, 0);

	/* 4 on top of 2 and 6, on top of 1, 3, 5 and 7 */
	for (i = 1; i <= 7; i++)
		n[i] = rb_node(i);
	rb_link(n[4], n[2], n[6]);
	rb_link(n[2], n[1], n[3]);
	rb_link(n[6], n[5], n[7]);
	fm_w64(root, n[4]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 7);
	CHECK_EQ(w.damaged, 0);
	CHECK_EQ(w.truncated, 0);
	for (i = 0; i < 7; i++)
		CHECK_EQ(r.keys[i], i + 1);
	/* the parent pointers are not needed */
	fm_w64(n[3], 0xdead000000000000ULL);

	/* a pointer that cannot be read: its subtree left out */
	rb_link(n[2], 0xdead4ead00000000ULL, n[3]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 6);
	CHECK_EQ(w.damaged, 1);
	CHECK_EQ(w.bad, 0xdead4ead00000000ULL);
	CHECK_STR(w.why, "cannot be read");
	CHECK_EQ(r.keys[0], 2);

	/* misaligned */
	rb_link(n[2], n[1] + 4, n[3]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 6);
	CHECK_STR(w.why, "misaligned");

	/* loops: left to itself, right back to the top */
	rb_link(n[2], n[2], n[3]);
	rb_link(n[7], 0, n[4]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 6);
	CHECK_EQ(w.damaged, 2);
	CHECK_EQ(w.bad, n[2]);
	CHECK_STR(w.why, "loops back");
	CHECK_EQ(r.keys[5], 7);
	/* a node's right to itself, after it was visited */
	rb_link(n[7], 0, n[7]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 6);
	CHECK_EQ(w.damaged, 2);

	/* a link into a subtree already walked: its nodes are out of order */
	rb_link(n[2], n[1], n[3]);
	rb_link(n[7], 0, n[2]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 10);
	CHECK_EQ(w.damaged, 3);
	CHECK_EQ(w.bad, n[1]);
	CHECK_STR(w.why, "out of order");
	CHECK_EQ(r.n, 7);

	/* and the walk stops at the bound, whatever the links */
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 8, rb_seen_fn, &r, &w), 8);
	CHECK_EQ(w.truncated, 1);
	rb_link(n[7], 0, 0);

	/* the top pointer cannot be read */
	fm_set(root, 8, FM_MISSING);
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 100, rb_seen_fn, &r, &w), 0);
	CHECK_EQ(w.damaged, 1);
	CHECK_EQ(w.bad, root);
	fm_set(root, 8, FM_PRESENT);

	/* deeper than any rb-tree: a chain of distinct nodes */
	for (i = 0; i < SMMU_RB_MAX_DEPTH + 2; i++)
		chain[i] = rb_node(1000 - i);
	for (i = 0; i < SMMU_RB_MAX_DEPTH + 1; i++)
		rb_link(chain[i], chain[i + 1], 0);
	rb_link(chain[i], 0, 0);
	fm_w64(root, chain[0]);
	memset(&r, 0, sizeof(r));
	CHECK_EQ(smmu_rb_walk(&fm_mem, root, 1000, rb_seen_fn, &r, &w),
		 SMMU_RB_MAX_DEPTH);
	CHECK_EQ(w.damaged, 1);
	CHECK_EQ(w.bad, chain[SMMU_RB_MAX_DEPTH]);
	CHECK_STR(w.why, "too deep");
}

static const struct smmu_inst_id ids[] = {
	{ 0, 0xffff0000014a0080ULL, 0x9050000 },
	{ 1, 0xffff000001800080ULL, 0x12340000 },
	{ 2, 0xffff000001900080ULL, 0 },
};

/* A circular list of n list_heads after head, linked both ways */
static void list_link(uint64_t head, const uint64_t *n, int nr)
{
	uint64_t prev = head;
	int i;

	for (i = 0; i < nr; i++) {
		fm_w64(prev, n[i]);		/* prev->next */
		fm_w64(n[i] + 8, prev);		/* n[i]->prev */
		prev = n[i];
	}
	fm_w64(prev, head);
	fm_w64(head + 8, prev);
}

static void test_list_walk(void)
{
	uint64_t head = fm_alloc(16, 8), n[4], out[8];
	struct smmu_node_walk w;
	int i;

	/* empty */
	list_link(head, n, 0);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 0);
	CHECK_EQ(w.damaged, 0);

	for (i = 0; i < 4; i++)
		n[i] = fm_alloc(16, 8);
	list_link(head, n, 4);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 4);
	CHECK_EQ(w.damaged, 0);
	CHECK_EQ(w.truncated, 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(out[i], n[i]);

	/* a next that cannot be read: the entries before it are kept */
	fm_w64(n[1], 0xdead4ead00000000ULL);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 2);
	CHECK_EQ(w.damaged, 1);
	CHECK_EQ(w.bad, 0xdead4ead00000000ULL);
	CHECK_STR(w.why, "cannot be read");

	/* misaligned */
	fm_w64(n[1], n[2] + 4);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 2);
	CHECK_STR(w.why, "misaligned");

	/* a loop, to itself or back to an earlier entry: its prev says so */
	fm_w64(n[1], n[1]);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 2);
	CHECK_EQ(w.bad, n[1]);
	CHECK_STR(w.why, "its prev does not point back");
	fm_w64(n[3], n[0]);
	fm_w64(n[1], n[2]);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 4);
	CHECK_EQ(w.damaged, 1);
	CHECK_EQ(w.bad, n[0]);

	/*
	 * Every loop is one: the node it enters has one prev, but two nodes
	 * lead to it.  The bound is for a list that is only long.
	 */
	list_link(head, n, 4);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 3, &w), 3);
	CHECK_EQ(w.damaged, 0);
	CHECK_EQ(w.truncated, 1);

	/* the head cannot be read */
	fm_set(head, 8, FM_MISSING);
	CHECK_EQ(smmu_list_walk(&fm_mem, head, out, 8, &w), 0);
	CHECK_EQ(w.damaged, 1);
	CHECK_EQ(w.bad, head);
	fm_set(head, 8, FM_PRESENT);
}

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
	TEST(test_rb_walk, "device selection: a damaged streams tree is walked as far as it can be"),
	TEST(test_list_walk, "SMMU list: a damaged iommu_device_list is walked as far as it can be"),
	TEST(test_pick_inst, "SMMU selection: index, address or MMIO base"),
	TEST(test_list_index, "list: the INDEX column is what -i takes"),
	TEST(test_headers, "tables: one token per column header and cell"),
};

int main(void)
{
	return test_run("crash: smmu: select", cases, ARRAY_SIZE(cases));
}
