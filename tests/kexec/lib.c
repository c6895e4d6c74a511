// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the kexec-tools --smmu-kdump-* host tests: the fake
 * /sys, /proc and /dev trees, stderr/stdout capture and KTAP reporting
 * (kselftest.h, the pristine kernel tree's: see run.sh),
 * plus the few kexec-tools functions the code under test calls.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kexec.h"
#include "kselftest.h"
#include "lib.h"

/*
 * Fixtures: a full system, one with only an SMMUv2, one without IOMMUs,
 * two whose SMMUv3 has no usable address in /proc/iomem, and one whose PCI
 * functions have no reset_method (kernels before 5.15).
 */
static char top[PATH_MAX];
static char roots[NR_FIX][PATH_MAX];
static const char *root;

void test_fatal(const char *what, const char *path)
{
	fprintf(stdout, "Bail out! %s %s: %s\n", what, path, strerror(errno));
	exit(2);
}

/* xfmt(BUF, FMT, ...): snprintf into a PATH_MAX buffer, bail out if too long */
static void __attribute__ ((format (printf, 2, 3)))
xfmt(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		test_fatal("format", fmt);
	}
}

static void mkdir_p(const char *path)
{
	char buf[PATH_MAX], *p;

	xfmt(buf, "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			test_fatal("mkdir", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		test_fatal("mkdir", buf);
}

static void parent_dir(const char *path)
{
	char buf[PATH_MAX];

	xfmt(buf, "%s", path);
	*strrchr(buf, '/') = '\0';
	mkdir_p(buf);
}

/* dir(REL): mkdir -p ROOT/REL */
static void dir(const char *fmt, ...)
{
	char rel[PATH_MAX], path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	xfmt(path, "%s/%s", root, rel);
	mkdir_p(path);
}

/* put_bin(REL, DATA, LEN): a file ROOT/REL holding the LEN bytes at DATA. */
static void put_bin(const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	FILE *fp;

	xfmt(path, "%s/%s", root, rel);
	parent_dir(path);
	fp = fopen(path, "w");
	if (!fp)
		test_fatal("create", path);
	if (fwrite(data, 1, len, fp) != len || fclose(fp))
		test_fatal("write", path);
}

/* put(REL, TEXT): a file ROOT/REL holding TEXT. */
static void put(const char *rel, const char *text)
{
	put_bin(rel, text, strlen(text));
}

/*
 * link_to(TARGET, LINK): LINK and TARGET are relative to ROOT; the link is
 * relative, as sysfs makes them.
 */
static void link_to(const char *target, const char *link)
{
	char path[PATH_MAX], dest[PATH_MAX] = "";
	const char *p;

	for (p = strchr(link, '/'); p; p = strchr(p + 1, '/'))
		strcat(dest, "../");
	strcat(dest, target);

	xfmt(path, "%s/%s", root, link);
	parent_dir(path);
	if (symlink(dest, path))
		test_fatal("symlink", path);
}

#define SMMU_A	"smmu3.0x0000000009050000"
#define SMMU_B	"smmu3.0x000000000a000000"
#define SMMU_C	"smmuv3-c0"
#define SMMU_V2	"smmu.0x000000000b000000"
/* named like an SMMUv3, but not bound to arm-smmu-v3 */
#define SMMU_D	"smmu3.0x000000000d000000"
/* the SMMUv3 of FIX_IOMEM_HIDDEN and FIX_NOT_IN_IOMEM */
#define SMMU_E	"smmuv3-e0"
/* the SMMUv3 of FIX_LOST_BESIDE that /proc/iomem does not list */
#define SMMU_F	"smmuv3-f0"

/* Where each IOMMU instance lives, for the links to its devices. */
static struct {
	const char *name;
	char dir[PATH_MAX];
} iommus[16];

static const char *iommu_dir(const char *name)
{
	int i;

	for (i = 0; i < 16 && iommus[i].name; i++)
		if (!strcmp(iommus[i].name, name))
			return iommus[i].dir;
	errno = ENOENT;
	test_fatal("no IOMMU", name);
	return NULL;
}

/*
 * iommu(PLATFORM, NAME, DRIVER): an IOMMU instance NAME of the platform
 * device PLATFORM, bound to DRIVER if it is not NULL.  A platform device has
 * no resource file: its registers are in the fixture's proc/iomem.
 */
static void iommu(const char *platform, const char *name, const char *driver)
{
	char devdir[PATH_MAX], path[PATH_MAX];
	int i;

	xfmt(devdir, "sys/devices/platform/%s/iommu/%s",
		 platform, name);
	dir("%s/devices", devdir);
	xfmt(path, "sys/class/iommu/%s", name);
	link_to(devdir, path);
	for (i = 0; iommus[i].name; i++)
		;
	iommus[i].name = name;
	xfmt(iommus[i].dir, "%s", devdir);
	xfmt(path, "%s/device", devdir);
	xfmt(devdir, "sys/devices/platform/%s", platform);
	link_to(devdir, path);
	if (driver) {
		xfmt(path, "sys/bus/platform/drivers/%s", driver);
		dir("%s", path);
		xfmt(devdir, "sys/devices/platform/%s/driver", platform);
		link_to(path, devdir);
	}
}

/* behind(IOMMU, DEVDIR): DEVDIR is behind IOMMU, both ways. */
static void behind(const char *iommu_dev, const char *devdir)
{
	char target[PATH_MAX], path[PATH_MAX];

	xfmt(target, "sys/class/iommu/%s", iommu_dev);
	xfmt(path, "%s/iommu", devdir);
	link_to(target, path);
	xfmt(path, "%s/devices/%s", iommu_dir(iommu_dev),
	     strrchr(devdir, '/') + 1);
	link_to(devdir, path);
}

/* dt(NODE, PROP, CELLS, N): a device tree property of N big-endian cells */
static void dt(const char *node, const char *prop, const unsigned int *cells,
	       int n)
{
	char path[PATH_MAX];
	FILE *fp;
	int i;

	xfmt(path, "%s/sys/firmware/devicetree/base/%s/%s", root, node, prop);
	parent_dir(path);
	fp = fopen(path, "w");
	if (!fp)
		test_fatal("create", path);
	for (i = 0; i < n; i++) {
		fputc(cells[i] >> 24, fp);
		fputc(cells[i] >> 16 & 0xff, fp);
		fputc(cells[i] >> 8 & 0xff, fp);
		fputc(cells[i] & 0xff, fp);
	}
	fclose(fp);
}

/* dt_str(NODE, PROP, STRING): a string property, with its NUL */
static void dt_str(const char *node, const char *prop, const char *str)
{
	char path[PATH_MAX];

	xfmt(path, "sys/firmware/devicetree/base/%s/%s", node, prop);
	put_bin(path, str, strlen(str) + 1);
}

/* of_node(DEVDIR, NODE): DEVDIR's device tree node is NODE */
static void of_node(const char *devdir, const char *node)
{
	char target[PATH_MAX], path[PATH_MAX];

	xfmt(target, "sys/firmware/devicetree/base/%s", node);
	dir("%s", target);
	xfmt(path, "%s/of_node", devdir);
	link_to(target, path);
}

/* iommu_group(DEVDIR, TYPE): DEVDIR in an IOMMU group of its own, of TYPE */
static void iommu_group(const char *devdir, const char *type)
{
	static int group;
	char path[PATH_MAX], target[PATH_MAX];

	xfmt(target, "sys/kernel/iommu_groups/%d", group++);
	xfmt(path, "%s/type", target);
	put(path, type);
	xfmt(path, "%s/iommu_group", devdir);
	link_to(target, path);
}

/*
 * pci(PARENT, NAME, IOMMU, TYPE): a PCI function under sys/devices/PARENT,
 * behind the IOMMU instance IOMMU (none if NULL) in a group of TYPE.
 */
static void pci(const char *parent, const char *name, const char *iommu_dev,
		const char *type)
{
	char devdir[PATH_MAX], path[PATH_MAX];

	xfmt(devdir, "sys/devices/%s/%s", parent, name);
	dir("%s", devdir);
	xfmt(path, "sys/bus/pci/devices/%s", name);
	link_to(devdir, path);
	xfmt(path, "%s/vendor", devdir);
	put(path, "0x1af4\n");
	/* The functions on bus 0000:00 are root ports. */
	xfmt(path, "%s/class", devdir);
	put(path, !strncmp(name, "0000:00:", 8) ? "0x060400\n" : "0x010000\n");
	xfmt(path, "%s/reset_method", devdir);
	/* 0001:00:1f.7 can be reset, but not by FLR */
	put(path, strcmp(name, "0001:00:1f.7") ? "flr bus\n" : "pm bus\n");

	if (!iommu_dev)
		return;

	behind(iommu_dev, devdir);
	iommu_group(devdir, type);
}

/*
 * pci_pre_5_15(NAME, CONFIG, LEN): PCI function NAME, made by pci(), as a
 * kernel before 5.15 shows it: a reset file but no reset_method, and a
 * config file holding the LEN bytes at CONFIG.
 */
static void pci_pre_5_15(const char *name, const unsigned char *config,
			 size_t len)
{
	char path[PATH_MAX];

	xfmt(path, "%s/sys/bus/pci/devices/%s/reset_method", root, name);
	if (unlink(path))
		test_fatal("unlink", path);
	xfmt(path, "sys/bus/pci/devices/%s/reset", name);
	put(path, "");
	xfmt(path, "sys/bus/pci/devices/%s/config", name);
	put_bin(path, config, len);
}

/* blockdev(DIR, DEVICE, MAJMIN): a disk or a virtual block device. */
static void blockdev(const char *blk, const char *device, const char *majmin)
{
	char path[PATH_MAX], text[PATH_MAX];

	dir("%s", blk);
	xfmt(path, "%s/dev", blk);
	xfmt(text, "%s\n", majmin);
	put(path, text);
	xfmt(path, "sys/dev/block/%s", majmin);
	link_to(blk, path);
	xfmt(path, "sys/class/block/%s", strrchr(blk, '/') + 1);
	link_to(blk, path);
	if (device) {
		xfmt(path, "%s/device", blk);
		link_to(device, path);
	}
}

static void partition(const char *disk, const char *name, const char *majmin)
{
	char blk[PATH_MAX], path[PATH_MAX];

	xfmt(blk, "%s/%s", disk, name);
	blockdev(blk, NULL, majmin);
	xfmt(path, "%s/partition", blk);
	put(path, "1\n");
}

/* holder(DISK, SUBDIR, BELOW): DISK/SUBDIR/name(BELOW) -> BELOW */
static void holder(const char *disk, const char *subdir, const char *below)
{
	char path[PATH_MAX];

	xfmt(path, "%s/%s/%s", disk, subdir,
		 strrchr(below, '/') + 1);
	link_to(below, path);
}

/* Segment 0 has a device tree host bridge, segment 1 (ACPI-like) none. */
#define HB0	"platform/4010000000.pcie/pci0000:00"
#define P02	HB0 "/0000:00:02.0/0000:01:00.0"
#define P03	HB0 "/0000:00:03.0/0000:02:00.0"
#define P05	HB0 "/0000:00:05.0/0000:04:00.0"
#define P07	HB0 "/0000:00:07.0/0000:06:00.0"
#define P08	HB0 "/0000:00:08.0/0000:07:00.0"
#define HB1	"platform/pcie/pci0001:00"
#define HB2	"platform/4030000000.pcie/pci0002:00"
#define P09	HB0 "/0000:00:09.0/0000:08:00.0"
#define ETH2	"sys/devices/platform/ff000000.ethernet"
#define ETH3	"sys/devices/platform/ACPI0001:00"
#define VNET	"sys/devices/virtual/net"
#define MMIO	"sys/devices/platform/a003e00.virtio_mmio"
#define XHCI	"sys/devices/platform/xhci-hcd.0.auto"
#define VDA	"sys/devices/" P02 "/virtio0/block/vda"
#define NVME0	"sys/devices/" P03 "/nvme/nvme0"
#define NVME0N1	NVME0 "/nvme0n1"
#define SDA	"sys/devices/" P05 "/ata1/host0/target0:0:0/0:0:0:0/block/sda"
#define VBLK	"sys/devices/virtual/block"
#define SUBSYS1	"sys/devices/virtual/nvme-subsystem/nvme-subsys1"
#define SUBSYS2	"sys/devices/virtual/nvme-subsystem/nvme-subsys2"
#define SUBSYS3	"sys/devices/virtual/nvme-subsystem/nvme-subsys3"

static int have_nodes = 1;

/* node(REL, MODE, MAJOR, MINOR): a device node, or a file if not allowed */
static void node(const char *rel, mode_t mode, unsigned int maj,
		 unsigned int min)
{
	char path[PATH_MAX];

	xfmt(path, "%s/%s", root, rel);
	parent_dir(path);
	if (!mknod(path, mode | 0600, makedev(maj, min)))
		return;
	if (errno != EPERM)
		test_fatal("mknod", path);
	have_nodes = 0;
	put(rel, "");
}

int test_have_nodes(void)
{
	return have_nodes;
}

/* netdev(NAME, DEVDIR): interface NAME on DEVDIR, virtual if it is NULL */
static void netdev(const char *name, const char *devdir)
{
	char ifdir[PATH_MAX], path[PATH_MAX];

	if (devdir) {
		xfmt(ifdir, "%s/net/%s", devdir, name);
		dir("%s", ifdir);
		xfmt(path, "%s/device", ifdir);
		link_to(devdir, path);
	} else {
		xfmt(ifdir, VNET "/%s", name);
		dir("%s", ifdir);
	}
	xfmt(path, "sys/class/net/%s", name);
	link_to(ifdir, path);
}

/* lower(UPPER, LOWER_DIR): virtual interface UPPER is above LOWER_DIR */
static void lower(const char *upper, const char *lower_dir)
{
	char path[PATH_MAX];

	xfmt(path, VNET "/%s/lower_%s", upper, strrchr(lower_dir, '/') + 1);
	link_to(lower_dir, path);
}

static void mount_line(FILE *fp, int id, const char *majmin, const char *mnt,
		       const char *fstype, const char *source)
{
	const char *s;

	fprintf(fp, "%d 1 %s / ", id, majmin);
	if (strcmp(mnt, "/"))
		fputs(root, fp);
	/* mountinfo escapes blanks and backslashes as \ooo */
	for (s = mnt; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\\' || *s == '\n')
			fprintf(fp, "\\%03o", *s);
		else
			fputc(*s, fp);
	}
	fprintf(fp, " rw,relatime%s - %s %s rw\n",
		id % 3 ? " shared:1" : id % 2 ? "" : " shared:2 master:1",
		fstype, source);
}

static void build_full(void)
{
	char path[PATH_MAX];
	FILE *fp;

	iommu("9050000.smmuv3", SMMU_A, "arm-smmu-v3");
	iommu("a000000.smmuv3", SMMU_B, "arm-smmu-v3");
	iommu("c000000.smmuv3", SMMU_C, "arm-smmu-v3");
	iommu("b000000.smmu", SMMU_V2, "arm-smmu");
	iommu("d000000.smmuv3", SMMU_D, NULL);
	/*
	 * The SMMUv3 driver requests its two register pages under the
	 * device's name; a000000 is as on ACPI, where the platform device's
	 * own resource (same name) holds them; c000000.smmuv3-pmcg starts
	 * with the name of c000000.smmuv3 but is another device.
	 */
	put("proc/iomem",
	    "09000000-09000fff : 9000000.pl011\n"
	    "  09000000-09000fff : 9000000.pl011 pl011@9000000\n"
	    "09050000-09050dff : 9050000.smmuv3\n"
	    "09060000-09060dff : 9050000.smmuv3\n"
	    "0a000000-0a01ffff : a000000.smmuv3\n"
	    "  0a000000-0a000dff : a000000.smmuv3\n"
	    "  0a010000-0a010dff : a000000.smmuv3\n"
	    "0b000000-0b00ffff : b000000.smmu\n"
	    "0bff0000-0bff0fff : c000000.smmuv3-pmcg\n"
	    "0c000000-0c000dff : c000000.smmuv3\n"
	    "0c010000-0c010dff : c000000.smmuv3\n"
	    "0d000000-0d01ffff : d000000.smmuv3\n"
	    "40000000-7fffffff : System RAM\n"
	    "  6ee00000-7edfffff : Crash kernel\n");

	/* root ports are PCI functions too: the walk must stop below them */
	pci(HB0, "0000:00:02.0", SMMU_A, "DMA\n");
	pci(HB0, "0000:00:03.0", SMMU_A, "DMA\n");
	pci(HB0 "/0000:00:02.0", "0000:01:00.0", SMMU_A, "DMA\n");
	pci(HB0 "/0000:00:03.0", "0000:02:00.0", SMMU_A, "DMA-FQ\n");
	pci(HB0 "/0000:00:04.0", "0000:03:00.0", SMMU_A, "identity\n");
	pci(HB0 "/0000:00:05.0", "0000:04:00.0", SMMU_V2, "DMA\n");
	pci(HB0 "/0000:00:06.0", "0000:05:00.0", NULL, NULL);
	pci(HB0 "/0000:00:07.0", "0000:06:00.0", SMMU_A, "DMA\n");
	pci(HB0 "/0000:00:08.0", "0000:07:00.0", SMMU_A, "DMA\n");
	pci("pci0001:00", "0001:00:00.0", SMMU_B, "DMA\n");
	pci("pci0001:00", "0001:00:1f.7", SMMU_B, "DMA\n");

	/* the device tree: segment 0's host bridge maps RID to StreamID */
	of_node("sys/devices/platform/4010000000.pcie", "pcie@10000000");
	dt_str("pcie@10000000", "device_type", "pci");
	dt("pcie@10000000", "iommu-map",
	   (const unsigned int[]){ 0, 0x8001, 0, 0x10000 }, 4);

	/* network interfaces: PCI, platform, virtual */
	pci(HB0 "/0000:00:09.0", "0000:08:00.0", SMMU_A, "DMA\n");
	netdev("eth0", "sys/devices/" P09);
	netdev("eth1", "sys/devices/" HB0 "/0000:00:06.0/0000:05:00.0");
	dir(ETH2);
	behind(SMMU_A, ETH2);
	of_node(ETH2, "soc/ethernet@ff000000");
	dt("soc/ethernet@ff000000", "iommus",
	   (const unsigned int[]){ 0x8001, 0x42 }, 2);
	netdev("eth2", ETH2);
	dir(ETH3);
	behind(SMMU_B, ETH3);
	netdev("eth3", ETH3);
	netdev("lo", NULL);
	netdev("wg0", NULL);
	netdev("bond0", NULL);
	lower("bond0", "sys/devices/" P09 "/net/eth0");
	lower("bond0", ETH2 "/net/eth2");
	netdev("br0", NULL);
	lower("br0", VNET "/bond0");
	netdev("eth0.100", NULL);
	lower("eth0.100", "sys/devices/" P09 "/net/eth0");
	netdev("loop1", NULL);
	lower("loop1", VNET "/loop1");
	/* a VM's tap on br0; br1 has only virtual ports */
	netdev("tap0", NULL);
	lower("br0", VNET "/tap0");
	netdev("tap1", NULL);
	netdev("veth1", NULL);
	netdev("br1", NULL);
	lower("br1", VNET "/tap1");
	lower("br1", VNET "/veth1");
	/* a USB NIC behind a platform xHCI that is behind SMMU_A */
	dir(XHCI);
	behind(SMMU_A, XHCI);
	iommu_group(XHCI, "identity\n");
	of_node(XHCI, "soc/usb@fe800000");
	dt("soc/usb@fe800000", "iommus",
	   (const unsigned int[]){ 0x8001, 0x88 }, 2);
	netdev("usb0", XHCI "/usb1/1-1/1-1:1.0");
	/*
	 * A child sharing its glue device's DT node, with no iommu link of
	 * its own (chipidea's ci_hdrc): the glue above it does the DMA.
	 */
	dir("sys/devices/platform/glue.usb/ci_hdrc.0");
	behind(SMMU_A, "sys/devices/platform/glue.usb");
	of_node("sys/devices/platform/glue.usb", "soc/usb@fe900000");
	of_node("sys/devices/platform/glue.usb/ci_hdrc.0", "soc/usb@fe900000");
	dt("soc/usb@fe900000", "iommus",
	   (const unsigned int[]){ 0x8001, 0x99 }, 2);
	netdev("usb9", "sys/devices/platform/glue.usb/ci_hdrc.0/usb1/1-1/1-1:1.0");
	/* a leaf behind the SMMUv2 under a parent behind SMMU_A */
	dir("sys/devices/platform/bus2/leaf2");
	behind(SMMU_A, "sys/devices/platform/bus2");
	of_node("sys/devices/platform/bus2", "soc/bus2");
	dt("soc/bus2", "iommus", (const unsigned int[]){ 0x8001, 0x55 }, 2);
	behind(SMMU_V2, "sys/devices/platform/bus2/leaf2");
	netdev("eth9", "sys/devices/platform/bus2/leaf2");
	/* br2: a NIC, a tap (tun_flags), a veth and a vxlan tunnel */
	netdev("vx0", NULL);
	put(VNET "/vx0/uevent", "DEVTYPE=vxlan\nINTERFACE=vx0\nIFINDEX=20\n");
	put(VNET "/vx0/type", "1\n");
	netdev("tap2", NULL);
	put(VNET "/tap2/uevent", "INTERFACE=tap2\nIFINDEX=21\n");
	put(VNET "/tap2/tun_flags", "0x1002\n");
	put(VNET "/tap2/type", "1\n");
	netdev("br2", NULL);
	lower("br2", "sys/devices/" P09 "/net/eth0");
	lower("br2", VNET "/tap2");
	lower("br2", VNET "/veth1");
	lower("br2", VNET "/vx0");
	/* an IP tunnel (ARPHRD_IPGRE) below a bond, for its type */
	netdev("gre1", NULL);
	put(VNET "/gre1/type", "778\n");
	netdev("bond2", NULL);
	lower("bond2", "sys/devices/" P09 "/net/eth0");
	lower("bond2", VNET "/gre1");
	/* a platform NIC behind no IOMMU */
	netdev("eth4", "sys/devices/platform/ff100000.ethernet");

	/* virtio-blk, NVMe and AHCI disks with partitions */
	dir("sys/devices/" P02 "/virtio0");
	blockdev(VDA, "sys/devices/" P02 "/virtio0", "254:0");
	partition(VDA, "vda1", "254:1");
	partition(VDA, "vda2", "254:2");
	dir(NVME0);
	blockdev(NVME0N1, NVME0, "259:0");
	partition(NVME0N1, "nvme0n1p1", "259:1");
	partition(NVME0N1, "nvme0n1p2", "259:2");
	dir("sys/devices/" P05 "/ata1/host0/target0:0:0/0:0:0:0");
	blockdev(SDA, "sys/devices/" P05 "/ata1/host0/target0:0:0/0:0:0:0",
		 "8:0");
	partition(SDA, "sda1", "8:1");

	/* a virtio-mmio disk: the platform device above it is behind SMMU_A */
	dir(MMIO "/virtio5");
	behind(SMMU_A, MMIO);
	of_node(MMIO, "virtio_mmio@a003e00");
	dt("virtio_mmio@a003e00", "iommus",
	   (const unsigned int[]){ 0x8001, 0x77 }, 2);
	blockdev(MMIO "/virtio5/block/vdb", MMIO "/virtio5", "254:16");

	/* NVMe native multipath: a head disk over two controllers */
	dir("sys/devices/" P07 "/nvme/nvme1");
	dir("sys/devices/" P08 "/nvme/nvme2");
	blockdev("sys/devices/" P07 "/nvme/nvme1/nvme1c1n1",
		 "sys/devices/" P07 "/nvme/nvme1", "259:6");
	blockdev("sys/devices/" P08 "/nvme/nvme2/nvme1c2n1",
		 "sys/devices/" P08 "/nvme/nvme2", "259:7");
	dir(SUBSYS1);
	blockdev(SUBSYS1 "/nvme1n1", SUBSYS1, "259:5");
	holder(SUBSYS1 "/nvme1n1", "multipath",
	       "sys/devices/" P07 "/nvme/nvme1/nvme1c1n1");
	holder(SUBSYS1 "/nvme1n1", "multipath",
	       "sys/devices/" P08 "/nvme/nvme2/nvme1c2n1");

	/*
	 * NVMe native multipath before Linux 6.14: the head disk has no
	 * multipath directory, its subsystem links to its controllers; one
	 * subsystem has lost all of its controllers
	 */
	dir(SUBSYS2);
	blockdev(SUBSYS2 "/nvme2n1", SUBSYS2, "259:8");
	link_to("sys/devices/" P07 "/nvme/nvme1", SUBSYS2 "/nvme1");
	dir(SUBSYS3);
	blockdev(SUBSYS3 "/nvme3n1", SUBSYS3, "259:9");

	/* stacked devices */
	blockdev(VBLK "/dm-0", NULL, "253:0");
	holder(VBLK "/dm-0", "slaves", VDA "/vda2");
	holder(VBLK "/dm-0", "slaves", NVME0N1 "/nvme0n1p2");
	dir(VBLK "/dm-0/holders");
	blockdev(VBLK "/md0", NULL, "9:0");
	holder(VBLK "/md0", "slaves", NVME0N1 "/nvme0n1p1");
	holder(VBLK "/md0", "slaves", NVME0N1 "/nvme0n1p2");
	blockdev(VBLK "/dm-1", NULL, "253:1");
	holder(VBLK "/dm-1", "slaves", SDA "/sda1");
	blockdev(VBLK "/dm-2", NULL, "253:2");
	holder(VBLK "/dm-2", "slaves", VBLK "/dm-0");
	blockdev(VBLK "/dm-3", NULL, "253:3");
	dir(VBLK "/dm-3/slaves");
	blockdev(VBLK "/dm-4", NULL, "253:4");
	holder(VBLK "/dm-4", "slaves", VBLK "/dm-4");
	blockdev(VBLK "/loop0", NULL, "7:0");

	/* /dev nodes, only needed where mountinfo's device is anonymous */
	put("dev/nvme0n1p1", "");
	put("dev/vda2", "");
	put("dev/dm-0", "");
	link_to("dev/dm-0", "dev/mapper/vg-crash");

	/* block device nodes named by --smmu-kdump-keep-path */
	node("dev/nvme0n1", S_IFBLK, 259, 0);
	node("dev/vda1", S_IFBLK, 254, 1);
	node("dev/nvme0n1p2", S_IFBLK, 259, 2);
	node("dev/dm-2", S_IFBLK, 253, 2);
	node("dev/sdz", S_IFBLK, 65, 0);
	node("dev/ttyS0", S_IFCHR, 4, 64);
	link_to("dev/vda1", "dev/disk/by-id/virtio-dump");
	link_to("dev/nvme0n1p2", "dev/disk/by-uuid/c0ffee");
	put("dev/shm/file", "");

	/* btrfs file systems: one on a single device, one on two */
	link_to(NVME0N1 "/nvme0n1p1", "sys/fs/btrfs/1111/devices/nvme0n1p1");
	link_to(NVME0N1 "/nvme0n1p2", "sys/fs/btrfs/2222/devices/nvme0n1p2");
	link_to(VDA "/vda2", "sys/fs/btrfs/2222/devices/vda2");

	/* mount points, and directories that are not mount points */
	dir("mnt/vda/var/crash");
	dir("mnt/nvme/crash");
	dir("mnt/nvme2");
	dir("mnt/with space");
	link_to("mnt/nvme/crash", "crash-link");
	put("mnt/nvme/crash/vmcore", "");

	xfmt(path, "%s/proc/self/mountinfo", root);
	parent_dir(path);
	fp = fopen(path, "w");
	if (!fp)
		test_fatal("create", path);
	mount_line(fp, 1, "254:99", "/", "ext4", "/dev/root");
	mount_line(fp, 20, "0:20", "/proc", "proc", "proc");
	mount_line(fp, 21, "254:1", "/mnt/vda", "ext4", "/dev/vda1");
	mount_line(fp, 22, "259:2", "/mnt/nvme", "xfs", "/dev/nvme0n1p2");
	mount_line(fp, 23, "253:0", "/mnt/dm", "ext4", "/dev/mapper/vg-crash");
	mount_line(fp, 24, "9:0", "/mnt/md", "ext4", "/dev/md0");
	mount_line(fp, 25, "253:2", "/mnt/stack", "ext4", "/dev/dm-2");
	mount_line(fp, 26, "8:1", "/mnt/sata", "ext4", "/dev/sda1");
	mount_line(fp, 27, "253:1", "/mnt/sata-dm", "ext4", "/dev/dm-1");
	mount_line(fp, 28, "7:0", "/mnt/loop", "ext4", "/dev/loop0");
	mount_line(fp, 29, "253:3", "/mnt/zero", "ext4", "/dev/dm-3");
	mount_line(fp, 30, "253:4", "/mnt/cycle", "ext4", "/dev/dm-4");
	mount_line(fp, 31, "259:5", "/mnt/mpath", "ext4", "/dev/nvme1n1");
	mount_line(fp, 32, "0:45", "/mnt/btrfs", "btrfs", "/dev/nvme0n1p1");
	mount_line(fp, 33, "0:46", "/mnt/mapper", "btrfs",
		   "/dev/mapper/vg-crash");
	mount_line(fp, 34, "0:30", "/mnt/tmp", "tmpfs", "tmpfs");
	mount_line(fp, 35, "254:1", "/mnt/with space", "ext4", "/dev/vda1");
	mount_line(fp, 36, "254:1", "/mnt/over", "ext4", "/dev/vda1");
	mount_line(fp, 37, "259:1", "/mnt/over", "ext4", "/dev/nvme0n1p1");
	mount_line(fp, 38, "0:5", "/dev", "devtmpfs", "udev");
	mount_line(fp, 39, "0:50", "/mnt/nfs", "nfs4", "server:/export");
	mount_line(fp, 40, "0:51", "/mnt/zfs", "zfs", "tank/crash");
	mount_line(fp, 41, "0:47", "/mnt/btrfs-multi", "btrfs", "/dev/vda2");
	mount_line(fp, 42, "254:16", "/mnt/mmio", "ext4", "/dev/vdb");
	mount_line(fp, 43, "259:8", "/mnt/mpath-6.12", "ext4", "/dev/nvme2n1");
	mount_line(fp, 44, "259:9", "/mnt/mpath-gone", "ext4", "/dev/nvme3n1");
	fclose(fp);
	dir("mnt/over");
	for (const char *const *m = (const char *const[]){ "dm", "md", "stack",
		"sata", "sata-dm", "loop", "zero", "cycle", "mpath", "btrfs",
		"mapper", "tmp", "nfs", "zfs", "btrfs-multi", "mmio", "mpath-6.12",
		"mpath-gone", NULL };
	     *m; m++)
		dir("mnt/%s", *m);
}

static void build_smmuv2_only(void)
{
	iommu("b000000.smmu", SMMU_V2, "arm-smmu");
	pci(HB0 "/0000:00:02.0", "0000:01:00.0", SMMU_V2, "DMA\n");
	put("proc/self/mountinfo", "");
}

static void build_no_iommu(void)
{
	pci(HB0 "/0000:00:02.0", "0000:01:00.0", NULL, NULL);
	put("proc/self/mountinfo", "");
}

/*
 * One SMMUv3, named unlike smmu3.ADDR, with a PCI function behind it, and
 * a /proc/iomem as a user other than root reads it (addresses 0) or one
 * without the SMMUv3's registers.
 */
static void build_smmu_iomem(const char *iomem)
{
	iommu("9050000.smmuv3", SMMU_E, "arm-smmu-v3");
	pci(HB0 "/0000:00:02.0", "0000:01:00.0", SMMU_E, "DMA\n");
	put("proc/self/mountinfo", "");
	put("proc/iomem", iomem);
}

static void build_lost_beside(void)
{
	iommu("9050000.smmuv3", SMMU_A, "arm-smmu-v3");
	iommu("9060000.smmuv3", SMMU_F, "arm-smmu-v3");
	pci(HB0 "/0000:00:02.0", "0000:01:00.0", SMMU_F, "DMA\n");
	/* A quirk of the PCI core resets it, not a bare FLR */
	pci(HB0 "/0000:00:03.0", "0000:05:00.0", SMMU_A, "DMA\n");
	put("sys/bus/pci/devices/0000:05:00.0/reset_method",
	    "device_specific bus\n");
	put("proc/self/mountinfo", "");
	put("proc/iomem", "09050000-0905ffff : 9050000.smmuv3\n"
	    "40000000-7fffffff : System RAM\n");
}

/*
 * One SMMUv3 and PCI functions behind it as a kernel before 5.15 shows
 * them, without reset_method, so that FLR is read from the config space:
 * a power management capability at 0x40 (its pointer's reserved low bits
 * set), then a PCI Express one at 0x60.
 */
static void build_pre_5_15(void)
{
	unsigned char config[256] = { 0 };
	char path[PATH_MAX];

	iommu("9050000.smmuv3", SMMU_A, "arm-smmu-v3");
	put("proc/iomem", "09050000-09050dff : 9050000.smmuv3\n"
	    "09060000-09060dff : 9050000.smmuv3\n");
	put("proc/self/mountinfo", "");

	config[0x06] = 0x10;		/* Status: capabilities list */
	config[0x34] = 0x43;
	config[0x40] = 0x01;		/* power management */
	config[0x41] = 0x60;
	config[0x60] = 0x10;		/* PCI Express */
	config[0x62] = 0x02;
	config[0x64] = 0x01;		/* Device Capabilities */
	config[0x67] = 0x10;		/* FLR (bit 28) */
	pci(HB0 "/0000:00:02.0", "0000:01:00.0", SMMU_A, "DMA\n");
	pci_pre_5_15("0000:01:00.0", config, sizeof(config));
	/* as a user other than root reads it: 64 bytes, no capabilities */
	pci(HB0 "/0000:00:03.0", "0000:02:00.0", SMMU_A, "DMA\n");
	pci_pre_5_15("0000:02:00.0", config, 64);
	config[0x67] = 0xef;		/* DevCap byte 3: every bit but FLR */
	pci(HB0 "/0000:00:04.0", "0000:03:00.0", SMMU_A, "DMA\n");
	pci_pre_5_15("0000:03:00.0", config, sizeof(config));
	/* conventional PCI, its capability list loops */
	config[0x41] = 0x40;
	pci(HB0 "/0000:00:05.0", "0000:04:00.0", SMMU_A, "DMA\n");
	pci_pre_5_15("0000:04:00.0", config, sizeof(config));
	/* FLR in DevCap, but no reset method: neither reset_method nor reset */
	config[0x41] = 0x60;
	config[0x67] = 0x10;
	pci(HB0 "/0000:00:06.0", "0000:05:00.0", SMMU_A, "DMA\n");
	pci_pre_5_15("0000:05:00.0", config, sizeof(config));
	xfmt(path, "%s/sys/bus/pci/devices/0000:05:00.0/reset", root);
	if (unlink(path))
		test_fatal("unlink", path);
	/* gone from the bus: its config space reads as all ones */
	memset(config, 0xff, sizeof(config));
	pci(HB0 "/0000:00:07.0", "0000:06:00.0", SMMU_A, "DMA\n");
	pci_pre_5_15("0000:06:00.0", config, sizeof(config));
}

/*
 * A device tree with four PCI host bridges in front of one SMMUv3: two
 * without linux,pci-domain, whose functions the crash kernel cannot tell
 * apart by segment (the second, a platform device named "pcie", maps only
 * buses 0 and 1 to StreamIDs), one with it (segment 2) and a disabled
 * one; a PCI-to-PCI bridge node below the second is no host bridge.
 * With @lone, only the first, as segment 1: a disabled node that claims
 * linux,pci-domain 0 made Linux number it so.
 */
static void build_dt_hosts(int lone)
{
	iommu("9050000.smmuv3", SMMU_A, "arm-smmu-v3");
	put("proc/iomem", "09050000-09050dff : 9050000.smmuv3\n"
	    "09060000-09060dff : 9050000.smmuv3\n");
	put("proc/self/mountinfo", "");

	pci(lone ? "platform/4010000000.pcie/pci0001:00/0001:00:02.0" :
	    HB0 "/0000:00:02.0", lone ? "0001:01:00.0" : "0000:01:00.0",
	    SMMU_A, "DMA\n");
	of_node("sys/devices/platform/4010000000.pcie", "pcie@10000000");
	dt_str("pcie@10000000", "device_type", "pci");
	dt("pcie@10000000", "iommu-map",
	   (const unsigned int[]){ 0, 0x8001, 0, 0x10000 }, 4);
	if (lone) {
		dt_str("pcie@40000000", "device_type", "pci");
		dt_str("pcie@40000000", "status", "disabled");
		dt("pcie@40000000", "linux,pci-domain",
		   (const unsigned int[]){ 0 }, 1);
		return;
	}

	pci(HB1 "/0001:00:01.0", "0001:01:00.0", SMMU_A, "DMA\n");
	pci(HB1 "/0001:00:02.0", "0001:02:00.0", SMMU_A, "DMA\n");
	of_node("sys/devices/platform/pcie", "pcie@20000000");
	dt_str("pcie@20000000", "device_type", "pci");
	dt("pcie@20000000", "iommu-map",
	   (const unsigned int[]){ 0, 0x8001, 0x10000, 0x200 }, 4);
	dt_str("pcie@20000000/pci@1,0", "device_type", "pci");

	pci(HB2 "/0002:00:01.0", "0002:01:00.0", SMMU_A, "DMA\n");
	of_node("sys/devices/platform/4030000000.pcie", "pcie@30000000");
	dt_str("pcie@30000000", "device_type", "pci");
	dt("pcie@30000000", "linux,pci-domain", (const unsigned int[]){ 2 }, 1);
	dt("pcie@30000000", "iommu-map",
	   (const unsigned int[]){ 0, 0x8001, 0x20000, 0x10000 }, 4);

	dt_str("pcie@40000000", "device_type", "pci");
	dt_str("pcie@40000000", "status", "disabled");
}

/*
 * The kernel's lookup of an interface by name or alternative name, which
 * smmu-kdump.c asks through if_nametoindex() for a name that is not in
 * /sys/class/net: in the fixtures, not on the host.  Like the kernel's
 * SIOCGIFINDEX, it finds no name of IF_NAMESIZE characters or more.
 */
static const struct {
	unsigned int index;
	const char *name;
	const char *altname;
} test_ifaces[] = {
	{ 2, "eth0", "enp8s0" },
	{ 2, "eth0", "enP32768p1s0f0np0" },
	{ 3, "eth2", "end0" },
};

unsigned int if_nametoindex(const char *name)
{
	size_t i;

	for (i = 0; strlen(name) < IF_NAMESIZE &&
	     i < sizeof(test_ifaces) / sizeof(test_ifaces[0]); i++)
		if (!strcmp(name, test_ifaces[i].name) ||
		    !strcmp(name, test_ifaces[i].altname))
			return test_ifaces[i].index;
	errno = ENODEV;
	return 0;
}

char *if_indextoname(unsigned int index, char name[IF_NAMESIZE])
{
	size_t i;

	for (i = 0; i < sizeof(test_ifaces) / sizeof(test_ifaces[0]); i++)
		if (test_ifaces[i].index == index)
			return strcpy(name, test_ifaces[i].name);
	errno = ENXIO;
	return NULL;
}

const char *test_root(int fixture)
{
	return roots[fixture];
}

/**
 * test_setup - Build the fixtures in a new temporary directory.
 */
void test_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[PATH_MAX];
	int i;

	xfmt(tmpl, "%s/smmu-kdump-test.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl) || !realpath(tmpl, top))
		test_fatal("mkdtemp", tmpl);

	for (i = 0; i < NR_FIX; i++) {
		xfmt(roots[i], "%s/root%d", top, i);
		mkdir_p(roots[i]);
	}
	root = roots[FIX_SMMU];
	build_full();
	root = roots[FIX_SMMUV2_ONLY];
	build_smmuv2_only();
	root = roots[FIX_NO_IOMMU];
	build_no_iommu();
	root = roots[FIX_IOMEM_HIDDEN];
	build_smmu_iomem("00000000-00000000 : 9000000.pl011\n"
			 "00000000-00000000 : 9050000.smmuv3\n"
			 "00000000-00000000 : 9050000.smmuv3\n"
			 "00000000-00000000 : System RAM\n");
	root = roots[FIX_NOT_IN_IOMEM];
	build_smmu_iomem("09000000-09000fff : 9000000.pl011\n"
			 "40000000-7fffffff : System RAM\n");
	root = roots[FIX_LOST_BESIDE];
	build_lost_beside();
	root = roots[FIX_PRE_5_15];
	build_pre_5_15();
	root = roots[FIX_DT_HOSTS];
	build_dt_hosts(0);
	root = roots[FIX_DT_LONE];
	build_dt_hosts(1);
}

void test_cleanup(void)
{
	char cmd[PATH_MAX];

	if (getenv("KEEP_FIXTURES")) {
		printf("# fixtures kept in %s\n", top);
		return;
	}
	xfmt(cmd, "rm -rf '%s'", top);
	if (system(cmd))
		printf("# could not remove %s\n", top);
}

/**
 * test_expand - Copy @in with every "%R" replaced by @dir.
 */
char *test_expand(const char *in, const char *dir)
{
	size_t n = 1;
	const char *s;
	char *out, *d;

	if (!in)
		return NULL;
	for (s = in; *s; s++)
		n += strncmp(s, "%R", 2) ? 1 : strlen(dir);
	out = d = xmalloc(n);
	for (s = in; *s; s++) {
		if (!strncmp(s, "%R", 2)) {
			d = stpcpy(d, dir);
			s++;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
	return out;
}

/**
 * test_capture - Run fn(arg) with @fd (1 or 2) going to a file; return
 * what was written there.
 */
char *test_capture(int fd, int (*fn)(void *), void *arg, int *result)
{
	FILE *stream = fd == 1 ? stdout : stderr;
	char path[PATH_MAX], *buf;
	int file, saved;
	ssize_t len;

	xfmt(path, "%s/captured", top);
	file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (file < 0)
		test_fatal("create", path);
	fflush(stream);
	saved = dup(fd);
	dup2(file, fd);

	*result = fn(arg);

	fflush(stream);
	dup2(saved, fd);
	close(saved);

	buf = xmalloc(65536);
	len = pread(file, buf, 65535, 0);
	buf[len > 0 ? len : 0] = '\0';
	close(file);
	return buf;
}

/**
 * test_lines - Copy the lines of @text that start with @prefix (@with) or
 * that do not (!@with).
 */
char *test_lines(const char *text, const char *prefix, int with)
{
	char *out = xmalloc(strlen(text) + 1), *d = out;
	const char *line, *end;

	for (line = text; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if (!strncmp(line, prefix, strlen(prefix)) == !!with) {
			memcpy(d, line, end - line);
			d += end - line;
		}
	}
	*d = '\0';
	return out;
}

/**
 * test_child - Run fn(arg) in a child process with its stdout and stderr
 * going to files; return its exit status (-1 if it did not exit) and
 * what it wrote.
 */
int test_child(int (*fn)(void *), void *arg, char **out, char **err)
{
	char path[2][PATH_MAX];
	int fd[2], i, status;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		xfmt(path[i], "%s/child%d", top, i + 1);
		fd[i] = open(path[i], O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd[i] < 0)
			test_fatal("create", path[i]);
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		test_fatal("fork", "");
	if (!pid) {
		dup2(fd[0], 1);
		dup2(fd[1], 2);
		exit(fn(arg) & 0xff);
	}
	if (waitpid(pid, &status, 0) < 0)
		test_fatal("waitpid", "");

	for (i = 0; i < 2; i++) {
		char *buf = xmalloc(65536);
		ssize_t len = pread(fd[i], buf, 65535, 0);

		buf[len > 0 ? len : 0] = '\0';
		close(fd[i]);
		*(i ? err : out) = buf;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *prefix;

void test_plan(const char *name_prefix, int n)
{
	prefix = name_prefix;
	ksft_print_header();
	ksft_set_plan(n);
}

void test_report(int ok, const char *name, const char *diag)
{
	if (!ok && diag)
		fputs(diag, stdout);
	ksft_test_result(ok, "%s %s\n", prefix, name);
}

void test_skip(const char *name, const char *reason)
{
	char full[PATH_MAX];

	xfmt(full, "%s %s", prefix, name);
	ksft_test_result_code(KSFT_SKIP, full, "%s", reason);
}

/**
 * test_done - Print kselftest's totals and exit: non-zero if a test failed
 * or the plan was not run in full.
 */
int test_done(void)
{
	ksft_finished();
}

void test_diag(char *diag, size_t *len, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(diag + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + n < size ? *len + n : size - 1;
}
