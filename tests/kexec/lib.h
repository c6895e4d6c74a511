/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the kexec-tools --smmu-kdump-* host tests.
 */

#ifndef SMMU_KDUMP_TEST_LIB_H
#define SMMU_KDUMP_TEST_LIB_H

#include <stddef.h>

/*
 * FIX_SMMU: three SMMUv3s (one named unlike smmu3.ADDR), an SMMUv2 and an
 * IOMMU named smmu3.ADDR that no driver holds, PCI functions behind each and
 * behind none, virtio-blk/NVMe/AHCI disks with partitions, a virtio-mmio
 * disk and a USB NIC on platform devices, device mapper, md, NVMe
 * multipath, loop, bridges with virtual ports, and a mountinfo with a
 * mount on each.
 * FIX_SMMUV2_ONLY: one PCI function behind an SMMUv2, no SMMUv3.
 * FIX_NO_IOMMU: one PCI function, no /sys/class/iommu at all.
 * FIX_IOMEM_HIDDEN, FIX_NOT_IN_IOMEM: one SMMUv3 with a PCI function behind
 * it, whose registers /proc/iomem shows at 0 (as to users other than root)
 * or does not list.
 * FIX_LOST_BESIDE: the same function behind an SMMUv3 missing from
 * /proc/iomem, beside one that it lists, with a function behind it that
 * has a device-specific reset method and no FLR.
 * FIX_PRE_5_15: one SMMUv3 with PCI functions behind it that have no
 * reset_method, as before Linux 5.15, and a config space with FLR, without
 * FLR, too short to tell (as to users other than root) or without a PCI
 * Express capability.
 * FIX_DT_HOSTS: a device tree with several PCI host bridges, some without
 * linux,pci-domain, in front of one SMMUv3.
 * FIX_DT_LONE: a device tree with one PCI host bridge, without
 * linux,pci-domain, which Linux numbered segment 1.
 */
enum { FIX_SMMU, FIX_SMMUV2_ONLY, FIX_NO_IOMMU, FIX_IOMEM_HIDDEN,
	FIX_NOT_IN_IOMEM, FIX_LOST_BESIDE, FIX_PRE_5_15, FIX_DT_HOSTS,
	FIX_DT_LONE, NR_FIX };

void test_setup(void);
void test_cleanup(void);
const char *test_root(int fixture);
int test_have_nodes(void);
void test_fatal(const char *what, const char *path);

char *test_expand(const char *in, const char *dir);
char *test_capture(int fd, int (*fn)(void *), void *arg, int *result);
int test_child(int (*fn)(void *), void *arg, char **out, char **err);
char *test_lines(const char *text, const char *prefix, int with);

void test_plan(const char *name_prefix, int n);
void test_report(int ok, const char *name, const char *diag);
void test_skip(const char *name, const char *reason);
int test_done(void) __attribute__ ((noreturn));
void test_diag(char *diag, size_t *len, size_t size, const char *fmt, ...)
	__attribute__ ((format (printf, 4, 5)));

#endif
