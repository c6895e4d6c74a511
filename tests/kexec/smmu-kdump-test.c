// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of kexec-tools' kexec/arch/arm64/smmu-kdump.c, the checks
 * behind the --smmu-kdump-* options: points smmu_kdump_root at fake /sys,
 * /proc and /dev trees (lib.c) and checks the crash kernel parameters or
 * the error message for each case.  Prints KTAP.
 *
 * Built natively by run.sh together with the patched smmu-kdump.c.
 */

#define _GNU_SOURCE

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexec.h"
#include "smmu-kdump.h"
#include "lib.h"

/*
 * A test case.  keep[] entries are "L=LIST" (--smmu-kdump-keep), "P=PATH"
 * (--smmu-kdump-keep-path) or "N=LIST" (--smmu-kdump-keep-netdev); "%R" in
 * paths and expected messages stands for the fixture's root directory.
 * The policy that is printed on success ("kexec: smmu-kdump: " lines) is
 * compared only if preview is set; the other stderr lines always are.
 */
struct kcase {
	const char *name;
	int fixture;
	int not_crash;
	int strict;
	int nodes;		/* needs block device nodes (mknod) */
	const char *cmdline;
	const char *mode;
	const char *mode2;	/* a second --smmu-kdump-mode */
	const char *keep[4];
	const char *params;	/* expected parameters, success */
	const char *error;	/* expected message, failure */
	const char *warning;	/* expected message(s), success */
	const char *preview;	/* expected policy lines, success */
	unsigned int unresolved;	/* expected nr_unresolved, success */
};

#define KQ	"arm_smmu_v3.kdump_mode=keep-quiesced"
#define KQ_KEEP	KQ " arm_smmu_v3.kdump_keep="
#define NO_SMMU_WARN \
	"kexec: warning: there is no SMMUv3 in /sys/class/iommu on this system, the --smmu-kdump-* options keep no device here"
#define NO_SMMU_ERR \
	"kexec: the --smmu-kdump-* options need an SMMUv3, but there is none in /sys/class/iommu on this system"

/* The policy printed for the full fixture; 0000:00:0N.0 are bridges. */
#define PREVIEW_KQ \
	"kexec: smmu-kdump: mode keep-quiesced: the devices kept below keep their DMA, every other device behind an SMMUv3 has its DMA aborted until the crash kernel sets it up\n"
#define ABORTED_A_FROM_02 \
	"kexec: smmu-kdump: abort 0000:02:00.0 (StreamID 0x200 on the SMMUv3 at 0x9050000)\n" \
	"kexec: smmu-kdump: abort 0000:03:00.0 (StreamID 0x300 on the SMMUv3 at 0x9050000)\n" \
	"kexec: smmu-kdump: abort 0000:06:00.0 (StreamID 0x600 on the SMMUv3 at 0x9050000)\n" \
	"kexec: smmu-kdump: abort 0000:07:00.0 (StreamID 0x700 on the SMMUv3 at 0x9050000)\n" \
	"kexec: smmu-kdump: abort 0000:08:00.0 (StreamID 0x800 on the SMMUv3 at 0x9050000)\n"
#define NOT_RESET(dev) \
	"kexec: smmu-kdump: warning: " dev " is not a PCI device: the crash kernel does not reset it, its driver there must quiesce it, as without SMMUv3 kdump support\n"
#define ABORTED_A_PLATFORM \
	"kexec: smmu-kdump: abort a003e00.virtio_mmio (StreamID 0x77 on the SMMUv3 at 0x9050000)\n" \
	NOT_RESET("a003e00.virtio_mmio") \
	"kexec: smmu-kdump: abort bus2 (StreamID 0x55 on the SMMUv3 at 0x9050000)\n" \
	NOT_RESET("bus2") \
	"kexec: smmu-kdump: abort ff000000.ethernet (StreamID 0x42 on the SMMUv3 at 0x9050000)\n" \
	NOT_RESET("ff000000.ethernet") \
	"kexec: smmu-kdump: abort glue.usb (StreamID 0x99 on the SMMUv3 at 0x9050000)\n" \
	NOT_RESET("glue.usb") \
	"kexec: smmu-kdump: abort xhci-hcd.0.auto (StreamID 0x88 on the SMMUv3 at 0x9050000)\n" \
	NOT_RESET("xhci-hcd.0.auto")
#define NO_FLR(dev, why) \
	"kexec: smmu-kdump: warning: " dev " has no FLR (" why "): the crash kernel does not reset it, its driver there must quiesce it, as without SMMUv3 kdump support\n"
#define MAY_NO_FLR(dev, why) \
	"kexec: smmu-kdump: warning: " dev " may have no FLR (" why "): the crash kernel may not reset it, its driver there must quiesce it, as without SMMUv3 kdump support\n"
#define NO_RESET_1F7	NO_FLR("0001:00:1f.7", "reset_method \"pm bus\"")
#define ABORTED_ACPI \
	"kexec: smmu-kdump: abort ACPI0001:00 (on the SMMUv3 at 0xa000000)\n" \
	"kexec: smmu-kdump: warning: ACPI0001:00 is not a PCI device: the crash kernel does not reset it, its driver there must quiesce it, as without SMMUv3 kdump support\n"
#define ABORTED_B \
	"kexec: smmu-kdump: abort 0001:00:00.0 (on the SMMUv3 at 0xa000000)\n" \
	"kexec: smmu-kdump: abort 0001:00:1f.7 (on the SMMUv3 at 0xa000000)\n" \
	NO_RESET_1F7 ABORTED_ACPI

static const struct kcase cases[] = {
	/* no option, no effect, whatever the system */
	{ .name = "no --smmu-kdump option adds nothing", .not_crash = 1,
	  .fixture = FIX_NO_IOMMU, .cmdline = "arm_smmu_v3.kdump_mode=reset" },

	/* modes */
	{ .name = "mode reset", .mode = "reset",
	  .params = "arm_smmu_v3.kdump_mode=reset" },
	{ .name = "mode keep-all", .mode = "keep-all",
	  .params = "arm_smmu_v3.kdump_mode=keep-all" },
	{ .name = "mode keep-quiesced without a list", .mode = "keep-quiesced",
	  .params = KQ },
	{ .name = "rejects unknown mode", .mode = "abort",
	  .error = "kexec: --smmu-kdump-mode=abort: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "warns about an empty mode, takes the default", .mode = "",
	  .keep = { "L=01:00.0" }, .params = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-mode=: no mode given; the default, keep-quiesced, is used" },
	{ .name = "strict: rejects an empty mode", .mode = "", .strict = 1,
	  .error = "kexec: --smmu-kdump-mode=: no mode given" },
	{ .name = "warns about an empty mode before another, takes that one",
	  .mode = "", .mode2 = "reset",
	  .params = "arm_smmu_v3.kdump_mode=reset",
	  .warning = "kexec: warning: --smmu-kdump-mode=: no mode given; --smmu-kdump-mode=reset is used" },
	{ .name = "warns about an empty mode after another, takes that one",
	  .mode = "keep-all", .mode2 = "",
	  .params = "arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: --smmu-kdump-mode=: no mode given; --smmu-kdump-mode=keep-all is used" },
	{ .name = "rejects an unknown mode next to an empty one",
	  .mode = "", .mode2 = "abort",
	  .error = "kexec: --smmu-kdump-mode=abort: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "rejects mode in the wrong case", .mode = "Reset",
	  .error = "kexec: --smmu-kdump-mode=Reset: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "warns about a list with mode reset, ignores it",
	  .mode = "reset", .keep = { "L=01:00.0,09:00.0" },
	  .params = "arm_smmu_v3.kdump_mode=reset",
	  .warning = "kexec: warning: --smmu-kdump-mode=reset keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced; they are ignored" },
	{ .name = "warns about a path with mode keep-all, ignores it",
	  .mode = "keep-all", .keep = { "P=%R/mnt/vda", "P=%R/mnt/tmp" },
	  .params = "arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: --smmu-kdump-mode=keep-all keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced; they are ignored" },
	{ .name = "rejects a malformed item of a list that mode reset ignores",
	  .mode = "reset", .keep = { "L=01:00.0,1:2:3" },
	  .warning = "kexec: warning: --smmu-kdump-mode=reset keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced; they are ignored",
	  .error = "kexec: --smmu-kdump-keep=01:00.0,1:2:3: malformed item \"1:2:3\", expected [SSSS:]BB:DD.F, sid:N or sid:N@ADDR" },
	{ .name = "strict: rejects a list with mode reset", .mode = "reset",
	  .keep = { "L=01:00.0" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-mode=reset keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced" },
	{ .name = "strict: rejects a path with mode keep-all", .mode = "keep-all",
	  .keep = { "P=%R/mnt/vda" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-mode=keep-all keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced" },

	/* crash kernel only */
	{ .name = "rejects mode without -p", .not_crash = 1, .mode = "reset",
	  .error = "kexec: the --smmu-kdump-* options only apply to a crash kernel, load it with -p (--load-panic)" },
	{ .name = "rejects keep without -p", .not_crash = 1,
	  .keep = { "L=01:00.0" },
	  .error = "kexec: the --smmu-kdump-* options only apply to a crash kernel, load it with -p (--load-panic)" },
	{ .name = "rejects keep-path without -p", .not_crash = 1,
	  .keep = { "P=%R/mnt/vda" },
	  .error = "kexec: the --smmu-kdump-* options only apply to a crash kernel, load it with -p (--load-panic)" },

	/* systems without an SMMUv3 */
	{ .name = "warns on a system with only an SMMUv2, passes the mode",
	  .fixture = FIX_SMMUV2_ONLY, .mode = "reset",
	  .params = "arm_smmu_v3.kdump_mode=reset", .unresolved = 1,
	  .warning = NO_SMMU_WARN },
	{ .name = "warns on a system without IOMMU, keeps nothing",
	  .fixture = FIX_NO_IOMMU, .keep = { "L=01:00.0", "P=/nonexistent", "N=eth0" },
	  .params = KQ, .unresolved = 1, .warning = NO_SMMU_WARN,
	  .preview = "kexec: smmu-kdump: mode keep-quiesced: this system has no SMMUv3, there is nothing to keep or abort" },
	{ .name = "strict: rejects a system with only an SMMUv2",
	  .fixture = FIX_SMMUV2_ONLY, .mode = "reset", .strict = 1,
	  .error = NO_SMMU_ERR },
	{ .name = "strict: rejects a system without IOMMU",
	  .fixture = FIX_NO_IOMMU, .keep = { "L=01:00.0" }, .strict = 1,
	  .error = NO_SMMU_ERR },
	{ .name = "rejects a malformed item on a system without IOMMU",
	  .fixture = FIX_NO_IOMMU, .keep = { "L=01:00.0,sid:x" },
	  .warning = NO_SMMU_WARN,
	  .error = "kexec: --smmu-kdump-keep=01:00.0,sid:x: malformed item \"sid:x\", expected [SSSS:]BB:DD.F, sid:N or sid:N@ADDR" },
	/*
	 * SMMUv3s: IOMMU instances bound to arm-smmu-v3, at the first region
	 * of their device in /proc/iomem, whatever the instance is called
	 */
	{ .name = "takes the lowest region of the SMMUv3 device in /proc/iomem",
	  .keep = { "L=sid:1@0xc000000,sid:2@0xa000000" },
	  .params = KQ_KEEP "sid:0x1@0xc000000,sid:0x2@0xa000000" },
	{ .name = "an IOMMU named smmu3.ADDR without arm-smmu-v3 is no SMMUv3",
	  .keep = { "L=sid:1@0xd000000" }, .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep=sid:1@0xd000000: no SMMUv3 at 0xd000000 on this system (its SMMUv3s are at 0x9050000, 0xa000000, 0xc000000); not kept" },
	{ .name = "refuses when /proc/iomem hides the addresses (not root)",
	  .fixture = FIX_IOMEM_HIDDEN, .keep = { "L=01:00.0" },
	  .error = "kexec: /proc/iomem hides the address of SMMUv3 smmuv3-e0 (device 9050000.smmuv3): it shows addresses to root only" },
	{ .name = "warns about an SMMUv3 missing from /proc/iomem",
	  .fixture = FIX_NOT_IN_IOMEM, .keep = { "L=01:00.0" },
	  .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: SMMUv3 smmuv3-e0 (device 9050000.smmuv3) has no registers in /proc/iomem, the devices behind it are not kept" },
	{ .name = "prints that the devices behind an SMMUv3 missing from /proc/iomem are aborted",
	  .fixture = FIX_NOT_IN_IOMEM, .keep = { "L=01:00.0" },
	  .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: SMMUv3 smmuv3-e0 (device 9050000.smmuv3) has no registers in /proc/iomem, the devices behind it are not kept",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: SMMUv3 smmuv3-e0 is not in /proc/iomem: the crash kernel aborts the DMA of every device behind it that a sid: item without @ADDR does not keep\n"
		"kexec: smmu-kdump: abort 0000:01:00.0 (on SMMUv3 smmuv3-e0)\n" },
	{ .name = "a sid: item without @ADDR may keep a device behind an SMMUv3 missing from /proc/iomem",
	  .fixture = FIX_LOST_BESIDE, .keep = { "L=sid:0x100" },
	  .params = KQ_KEEP "sid:0x100", .unresolved = 1,
	  .warning = "kexec: warning: SMMUv3 smmuv3-f0 (device 9060000.smmuv3) has no registers in /proc/iomem, the devices behind it are not kept",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: keep sid:0x100 (StreamID 0x100 on every SMMUv3) from --smmu-kdump-keep=sid:0x100\n"
		"kexec: smmu-kdump: abort 0000:05:00.0 (on the SMMUv3 at 0x9050000) unless a sid: item names its StreamID, which is not known here (no iommu-map)\n"
		"kexec: smmu-kdump: SMMUv3 smmuv3-f0 is not in /proc/iomem: the crash kernel aborts the DMA of every device behind it that a sid: item without @ADDR does not keep\n"
		"kexec: smmu-kdump: abort 0000:01:00.0 (on SMMUv3 smmuv3-f0) unless a sid: item names its StreamID, which is not known here (no iommu-map)\n" },
	{ .name = "an aborted function that a device-specific method resets gets no FLR warning",
	  .fixture = FIX_LOST_BESIDE, .mode = "keep-quiesced",
	  .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: SMMUv3 smmuv3-f0 (device 9060000.smmuv3) has no registers in /proc/iomem, the devices behind it are not kept",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: abort 0000:05:00.0 (on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: SMMUv3 smmuv3-f0 is not in /proc/iomem: the crash kernel aborts the DMA of every device behind it that a sid: item without @ADDR does not keep\n"
		"kexec: smmu-kdump: abort 0000:01:00.0 (on SMMUv3 smmuv3-f0)\n" },
	{ .name = "prints mode keep-all for an SMMUv3 missing from /proc/iomem",
	  .fixture = FIX_NOT_IN_IOMEM, .mode = "keep-all",
	  .params = "arm_smmu_v3.kdump_mode=keep-all", .unresolved = 1,
	  .warning = "kexec: warning: SMMUv3 smmuv3-e0 (device 9050000.smmuv3) has no registers in /proc/iomem, the devices behind it are not kept",
	  .preview = "kexec: smmu-kdump: mode keep-all: every device behind an SMMUv3 keeps its DMA until its driver in the crash kernel takes it over" },
	{ .name = "strict: rejects an SMMUv3 missing from /proc/iomem",
	  .fixture = FIX_NOT_IN_IOMEM, .keep = { "L=01:00.0" }, .strict = 1,
	  .error = "kexec: SMMUv3 smmuv3-e0 (device 9050000.smmuv3) has no registers in /proc/iomem" },

	{ .name = "rejects two different modes",
	  .mode = "reset", .mode2 = "keep-all",
	  .error = "kexec: --smmu-kdump-mode=keep-all: conflicts with --smmu-kdump-mode=reset given before it" },
	{ .name = "accepts the same mode twice",
	  .mode = "keep-all", .mode2 = "keep-all",
	  .params = "arm_smmu_v3.kdump_mode=keep-all" },

	/* --smmu-kdump-keep: canonical output */
	{ .name = "keep BB:DD.F", .keep = { "L=01:00.0" },
	  .params = KQ_KEEP "0000:01:00.0" },
	{ .name = "keep short and upper case hex, other segment",
	  .keep = { "L=1:0.0,1:0:1F.7" },
	  .params = KQ_KEEP "0000:01:00.0,0001:00:1f.7" },
	{ .name = "keep sid decimal, hex and on one SMMUv3",
	  .keep = { "L=sid:256,sid:0X2A,sid:0x2b@0x9050000,sid:44@A000000" },
	  .params = KQ_KEEP "sid:0x100,sid:0x2a,sid:0x2b@0x9050000,sid:0x2c@0xa000000" },
	{ .name = "keep sid 0 and the largest sid",
	  .keep = { "L=sid:0,sid:4294967295" },
	  .params = KQ_KEEP "sid:0x0,sid:0xffffffff" },
	{ .name = "keep sid given with leading zeros is decimal",
	  .keep = { "L=sid:010" }, .params = KQ_KEEP "sid:0xa" },
	{ .name = "keep lists accumulate in order",
	  .keep = { "L=sid:7", "L=0000:02:00.0", "L=sid:8" },
	  .params = KQ_KEEP "sid:0x7,0000:02:00.0,sid:0x8" },
	{ .name = "keep with explicit keep-quiesced mode",
	  .mode = "keep-quiesced", .keep = { "L=02:00.0" },
	  .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "keep warns about an identity domain",
	  .keep = { "L=03:00.0" }, .params = KQ_KEEP "0000:03:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=03:00.0: PCI device 0000:03:00.0 is in an identity (bypass) domain, the crash kernel will abort its DMA instead of keeping it" },

	/* --smmu-kdump-keep: malformed */
#define MALFORMED(list, item) \
	{ .name = "rejects malformed item " item, .keep = { "L=" list }, \
	  .error = "kexec: --smmu-kdump-keep=" list ": malformed item \"" item "\", expected [SSSS:]BB:DD.F, sid:N or sid:N@ADDR" }
	MALFORMED("01:00", "01:00"),
	MALFORMED("01:00.8", "01:00.8"),
	MALFORMED("01:20.0", "01:20.0"),
	MALFORMED("01:00.00", "01:00.00"),
	MALFORMED("100:00.0", "100:00.0"),
	MALFORMED("00000:01:00.0", "00000:01:00.0"),
	MALFORMED("0000:001:00.0", "0000:001:00.0"),
	MALFORMED("g1:00.0", "g1:00.0"),
	MALFORMED("01:00.0x", "01:00.0x"),
	MALFORMED(" 01:00.0", " 01:00.0"),
	MALFORMED("0000:01:00.0:1", "0000:01:00.0:1"),
	MALFORMED("sid:", "sid:"),
	MALFORMED("sid:abc", "sid:abc"),
	MALFORMED("sid:0x", "sid:0x"),
	MALFORMED("sid:-1", "sid:-1"),
	MALFORMED("sid:+1", "sid:+1"),
	MALFORMED("sid:4294967296", "sid:4294967296"),
	MALFORMED("sid:0x100000000", "sid:0x100000000"),
	MALFORMED("sid:1@", "sid:1@"),
	MALFORMED("sid:1@0x", "sid:1@0x"),
	MALFORMED("sid:1@xyz", "sid:1@xyz"),
	MALFORMED("sid:1@0x12345678123456789", "sid:1@0x12345678123456789"),
	MALFORMED("SID:1", "SID:1"),
	MALFORMED("sid:1 ", "sid:1 "),
	MALFORMED("01:00.0,sid:1;sid:2", "sid:1;sid:2"),
	{ .name = "warns about an empty list, keeps nothing from it",
	  .keep = { "L=", "L=01:00.0" }, .params = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=: no device given; nothing is kept from it" },
	{ .name = "strict: rejects an empty list", .keep = { "L=" },
	  .strict = 1,
	  .error = "kexec: --smmu-kdump-keep=: no device given" },
	{ .name = "warns about empty items, skips them",
	  .keep = { "L=,01:00.0,,02:00.0,," },
	  .params = KQ_KEEP "0000:01:00.0,0000:02:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=,01:00.0,,02:00.0,,: empty item in the list; skipped" },
	{ .name = "warns about a trailing comma, skips it",
	  .keep = { "L=01:00.0," }, .params = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=01:00.0,: empty item in the list; skipped" },
	{ .name = "strict: rejects empty item", .keep = { "L=01:00.0,,02:00.0" },
	  .strict = 1,
	  .error = "kexec: --smmu-kdump-keep=01:00.0,,02:00.0: empty item in the list" },
	{ .name = "rejects a malformed item after an empty one",
	  .keep = { "L=01:00.0,,1:2:3" },
	  .warning = "kexec: warning: --smmu-kdump-keep=01:00.0,,1:2:3: empty item in the list; skipped",
	  .error = "kexec: --smmu-kdump-keep=01:00.0,,1:2:3: malformed item \"1:2:3\", expected [SSSS:]BB:DD.F, sid:N or sid:N@ADDR" },

	/* --smmu-kdump-keep: resolved on the system, a warning unless strict */
#define UNRESOLVED(nm, list, why) \
	{ .name = "warns about " nm, .keep = { "L=" list }, .params = KQ, \
	  .unresolved = 1, \
	  .warning = "kexec: warning: --smmu-kdump-keep=" list ": " why "; not kept" }, \
	{ .name = "strict: rejects " nm, .keep = { "L=" list }, .strict = 1, \
	  .error = "kexec: --smmu-kdump-keep=" list ": " why }
	UNRESOLVED("unknown PCI device", "09:00.0",
		   "no PCI device 0000:09:00.0 on this system"),
	UNRESOLVED("PCI device in an unknown segment", "0002:01:00.0",
		   "no PCI device 0002:01:00.0 on this system"),
	UNRESOLVED("PCI device behind an SMMUv2", "04:00.0",
		   "PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)"),
	UNRESOLVED("PCI device without IOMMU", "05:00.0",
		   "PCI device 0000:05:00.0 is not behind an SMMUv3 (it has no IOMMU)"),
	UNRESOLVED("sid on an unknown SMMUv3, listing the SMMUv3s",
		   "sid:1@0x9060000",
		   "no SMMUv3 at 0x9060000 on this system (its SMMUv3s are at 0x9050000, 0xa000000, 0xc000000)"),
	UNRESOLVED("sid on an SMMUv2", "sid:1@b000000",
		   "no SMMUv3 at 0xb000000 on this system (its SMMUv3s are at 0x9050000, 0xa000000, 0xc000000)"),
	{ .name = "keeps the rest of a list with an unresolved item",
	  .keep = { "L=09:00.0,01:00.0", "L=sid:3@0x1000" },
	  .params = KQ_KEEP "0000:01:00.0", .unresolved = 2,
	  .warning = "kexec: warning: --smmu-kdump-keep=09:00.0,01:00.0: no PCI device 0000:09:00.0 on this system; not kept\n"
		     "kexec: warning: --smmu-kdump-keep=sid:3@0x1000: no SMMUv3 at 0x1000 on this system (its SMMUv3s are at 0x9050000, 0xa000000, 0xc000000); not kept" },
	{ .name = "finds an SMMUv3 by its driver, whatever its name",
	  .keep = { "L=sid:1@0xc000000" }, .params = KQ_KEEP "sid:0x1@0xc000000" },
	/* a device tree with several host bridges (the crash kernel's rule) */
	{ .name = "passes a PCI function as its StreamID when its host bridge, one of several, has no linux,pci-domain",
	  .fixture = FIX_DT_HOSTS, .keep = { "L=01:00.0,0001:01:00.0" },
	  .params = KQ_KEEP "sid:0x100@0x9050000,sid:0x10100@0x9050000",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: keep 0000:01:00.0 (StreamID 0x100 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep=01:00.0,0001:01:00.0\n"
		"kexec: smmu-kdump: keep 0001:01:00.0 (StreamID 0x10100 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep=01:00.0,0001:01:00.0\n"
		"kexec: smmu-kdump: abort 0001:02:00.0 (on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: abort 0002:01:00.0 (StreamID 0x20100 on the SMMUv3 at 0x9050000)\n" },
	{ .name = "writes a function passed as its StreamID once when a sid: item names it too",
	  .fixture = FIX_DT_HOSTS,
	  .keep = { "L=0001:01:00.0,sid:0x10100@0x9050000" },
	  .params = KQ_KEEP "sid:0x10100@0x9050000" },
	{ .name = "passes a PCI function as its StreamID when Linux numbered the lone host bridge without linux,pci-domain other than 0",
	  .fixture = FIX_DT_LONE, .keep = { "L=0001:01:00.0" },
	  .params = KQ_KEEP "sid:0x100@0x9050000" },
	{ .name = "passes a PCI function by name when its host bridge has linux,pci-domain",
	  .fixture = FIX_DT_HOSTS, .keep = { "L=0002:01:00.0" },
	  .params = KQ_KEEP "0002:01:00.0" },
	{ .name = "warns about a PCI function the crash kernel cannot find, whose StreamID the iommu-map does not give",
	  .fixture = FIX_DT_HOSTS, .keep = { "L=0001:02:00.0,01:00.0" },
	  .params = KQ_KEEP "sid:0x100@0x9050000", .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep=0001:02:00.0,01:00.0: PCI device 0001:02:00.0: the crash kernel cannot find its host bridge, one of several in the device tree, without linux,pci-domain, and its iommu-map gives no StreamID; not kept" },
	{ .name = "strict: rejects a PCI function the crash kernel cannot find",
	  .fixture = FIX_DT_HOSTS, .keep = { "L=0001:02:00.0" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep=0001:02:00.0: PCI device 0001:02:00.0: the crash kernel cannot find its host bridge, one of several in the device tree, without linux,pci-domain, and its iommu-map gives no StreamID" },
	{ .name = "warns about a duplicate that does not resolve, reports it once",
	  .keep = { "L=09:00.0,9:0.0" }, .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep=09:00.0,9:0.0: no PCI device 0000:09:00.0 on this system; not kept\n"
		     "kexec: warning: --smmu-kdump-keep=09:00.0,9:0.0: duplicate item 0000:09:00.0; ignored" },

	/* duplicates: kept once with a warning, an error under strict */
	{ .name = "warns about a duplicate PCI device, keeps it once",
	  .keep = { "L=01:00.0,0000:01:00.0" }, .params = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=01:00.0,0000:01:00.0: duplicate item 0000:01:00.0; ignored" },
	{ .name = "warns about a duplicate over two options, keeps it once",
	  .keep = { "L=sid:16,01:00.0", "L=sid:0x10" },
	  .params = KQ_KEEP "sid:0x10,0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=sid:0x10: duplicate item sid:0x10 (already given by --smmu-kdump-keep=sid:16,01:00.0); ignored" },
	{ .name = "warns about a duplicate sid on one SMMUv3, keeps it once",
	  .keep = { "L=sid:5@0x9050000,sid:0x5@9050000" },
	  .params = KQ_KEEP "sid:0x5@0x9050000",
	  .warning = "kexec: warning: --smmu-kdump-keep=sid:5@0x9050000,sid:0x5@9050000: duplicate item sid:0x5@0x9050000; ignored" },
	{ .name = "strict: rejects duplicate PCI device",
	  .keep = { "L=01:00.0,0000:01:00.0" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep=01:00.0,0000:01:00.0: duplicate item 0000:01:00.0" },
	{ .name = "strict: rejects duplicate over two options",
	  .keep = { "L=sid:16", "L=sid:0x10" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep=sid:0x10: duplicate item sid:0x10 (already given by --smmu-kdump-keep=sid:16)" },
	{ .name = "warns about sid on one SMMUv3 after sid on all, keeps sid on all",
	  .keep = { "L=sid:5,sid:5@0x9050000" }, .params = KQ_KEEP "sid:0x5",
	  .warning = "kexec: warning: --smmu-kdump-keep=sid:5,sid:5@0x9050000: item sid:0x5@0x9050000 overlaps sid:0x5; taken as sid:0x5, on every SMMUv3" },
	{ .name = "warns about sid on all after sid on two SMMUv3s, keeps sid on all",
	  .keep = { "L=sid:5@0x9050000,01:00.0", "L=sid:5@0xa000000,sid:5" },
	  .params = KQ_KEEP "0000:01:00.0,sid:0x5",
	  .warning = "kexec: warning: --smmu-kdump-keep=sid:5@0xa000000,sid:5: item sid:0x5 overlaps sid:0x5@0x9050000 (given by --smmu-kdump-keep=sid:5@0x9050000,01:00.0); taken as sid:0x5, on every SMMUv3\n"
		     "kexec: warning: --smmu-kdump-keep=sid:5@0xa000000,sid:5: item sid:0x5 overlaps sid:0x5@0xa000000; taken as sid:0x5, on every SMMUv3" },
	{ .name = "strict: rejects sid on one SMMUv3 overlapping sid on all",
	  .keep = { "L=sid:5,sid:5@0x9050000" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep=sid:5,sid:5@0x9050000: item sid:0x5@0x9050000 overlaps sid:0x5" },
	{ .name = "accepts one sid on two SMMUv3s",
	  .keep = { "L=sid:5@0x9050000,sid:5@0xa000000" },
	  .params = KQ_KEEP "sid:0x5@0x9050000,sid:0x5@0xa000000" },
	{ .name = "keeps once a device named by address and found by path",
	  .keep = { "L=02:00.0", "P=%R/mnt/nvme/crash" },
	  .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "keeps once a device found by path and named by address",
	  .keep = { "P=%R/mnt/vda", "L=sid:1,0000:01:00.0" },
	  .params = KQ_KEEP "0000:01:00.0,sid:0x1" },
	{ .name = "keeps once a device found by two paths",
	  .keep = { "P=%R/mnt/nvme", "P=%R/crash-link" },
	  .params = KQ_KEEP "0000:02:00.0" },

	/* policy parameters already on the command line: removed */
	{ .name = "warns about kdump_mode already on the command line",
	  .cmdline = "console=ttyAMA0 arm_smmu_v3.kdump_mode=reset",
	  .mode = "keep-all", .params = "arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: arm_smmu_v3.kdump_mode=reset is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "warns about kdump_keep already on the command line",
	  .cmdline = "arm_smmu_v3.kdump_keep=0000:01:00.0 quiet",
	  .keep = { "L=01:00.0" }, .params = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: arm_smmu_v3.kdump_keep=0000:01:00.0 is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "warns about the dashed spelling on the command line",
	  .cmdline = "arm-smmu-v3.kdump-keep=sid:1", .mode = "reset",
	  .params = "arm_smmu_v3.kdump_mode=reset",
	  .warning = "kexec: warning: arm-smmu-v3.kdump-keep=sid:1 is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "warns about a quoted parameter on the command line",
	  .cmdline = "\"arm_smmu_v3.kdump_mode=reset\"", .mode = "reset",
	  .params = "arm_smmu_v3.kdump_mode=reset",
	  .warning = "kexec: warning: \"arm_smmu_v3.kdump_mode=reset\" is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "strict: rejects kdump_mode already on the command line",
	  .cmdline = "console=ttyAMA0 arm_smmu_v3.kdump_mode=reset",
	  .mode = "keep-all", .strict = 1,
	  .error = "kexec: arm_smmu_v3.kdump_mode=reset is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "strict: rejects kdump_keep already on the command line",
	  .cmdline = "arm_smmu_v3.kdump_keep=0000:01:00.0 quiet",
	  .keep = { "L=01:00.0" }, .strict = 1,
	  .error = "kexec: arm_smmu_v3.kdump_keep=0000:01:00.0 is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "accepts other arm_smmu_v3 parameters and init arguments",
	  .cmdline = "arm_smmu_v3.disable_bypass=0 x=\"arm_smmu_v3.kdump_mode=reset y\" arm_smmu_v3.kdump_moder=1 -- arm_smmu_v3.kdump_mode=reset",
	  .mode = "reset", .params = "arm_smmu_v3.kdump_mode=reset" },

	/* --smmu-kdump-keep-path */
	{ .name = "path on a virtio-blk partition",
	  .keep = { "P=%R/mnt/vda/var/crash" }, .params = KQ_KEEP "0000:01:00.0" },
	{ .name = "path that is a mount point",
	  .keep = { "P=%R/mnt/vda" }, .params = KQ_KEEP "0000:01:00.0" },
	{ .name = "path on an NVMe partition",
	  .keep = { "P=%R/mnt/nvme/crash" }, .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path that is a file", .keep = { "P=%R/mnt/nvme/crash/vmcore" },
	  .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path through a symlink", .keep = { "P=%R/crash-link" },
	  .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path with an escaped blank in mountinfo",
	  .keep = { "P=%R/mnt/with space" }, .params = KQ_KEEP "0000:01:00.0" },
	{ .name = "path on an over-mounted mount point",
	  .keep = { "P=%R/mnt/over" }, .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path on device mapper over two devices",
	  .keep = { "P=%R/mnt/dm" },
	  .params = KQ_KEEP "0000:02:00.0,0000:01:00.0" },
	{ .name = "path on md over two partitions of one disk",
	  .keep = { "P=%R/mnt/md" }, .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path on device mapper over device mapper",
	  .keep = { "P=%R/mnt/stack" },
	  .params = KQ_KEEP "0000:02:00.0,0000:01:00.0" },
	{ .name = "path on NVMe multipath",
	  .keep = { "P=%R/mnt/mpath" },
	  .params = KQ_KEEP "0000:06:00.0,0000:07:00.0" },
	{ .name = "path on NVMe multipath before Linux 6.14, through the subsystem's controllers",
	  .keep = { "P=%R/mnt/mpath-6.12" }, .params = KQ_KEEP "0000:06:00.0" },
	{ .name = "strict: path on NVMe multipath before Linux 6.14",
	  .keep = { "P=%R/mnt/mpath-6.12" }, .strict = 1,
	  .params = KQ_KEEP "0000:06:00.0" },
	{ .name = "path on btrfs found through the mount source",
	  .keep = { "P=%R/mnt/btrfs" }, .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path on btrfs on a /dev/mapper link",
	  .keep = { "P=%R/mnt/mapper" },
	  .params = KQ_KEEP "0000:02:00.0,0000:01:00.0" },
	{ .name = "path and list together, in command line order",
	  .keep = { "L=sid:0x300", "P=%R/mnt/vda", "L=0001:00:00.0" },
	  .params = KQ_KEEP "sid:0x300,0000:01:00.0,0001:00:00.0" },
#define PATH_UNRESOLVED(nm, path, why) \
	{ .name = "warns about " nm, .keep = { "P=" path }, .params = KQ, \
	  .unresolved = 1, \
	  .warning = "kexec: warning: --smmu-kdump-keep-path=" path ": " why "; not kept" }
#define PATH_STRICT(nm, path, why) \
	{ .name = "strict: rejects " nm, .keep = { "P=" path }, .strict = 1, \
	  .error = "kexec: --smmu-kdump-keep-path=" path ": " why }
	PATH_UNRESOLVED("a path that does not exist", "%R/mnt/vda/nonexistent",
			"No such file or directory"),
	PATH_STRICT("a path that does not exist", "%R/mnt/vda/nonexistent",
		    "No such file or directory"),
	PATH_UNRESOLVED("a path on tmpfs", "%R/mnt/tmp",
			"%R/mnt/tmp is on tmpfs, which is in memory, not on a device"),
	PATH_STRICT("a path on tmpfs", "%R/mnt/tmp",
		    "%R/mnt/tmp is on tmpfs, which is in memory, not on a device"),
	PATH_UNRESOLVED("a path whose mount has no block device", "%R/mnt/nvme2",
			"/ is on /dev/root (ext4), which is not a block device"),
	PATH_UNRESOLVED("a path on a loop device", "%R/mnt/loop",
			"block device loop0 is not on a PCI device"),
	PATH_UNRESOLVED("a path on device mapper without slaves", "%R/mnt/zero",
			"block device dm-3 is not on a PCI device"),
	PATH_UNRESOLVED("a path on a cycle of block devices", "%R/mnt/cycle",
			"block devices are stacked too deep"),
	PATH_STRICT("a path on a cycle of block devices", "%R/mnt/cycle",
		    "block devices are stacked too deep"),
	PATH_UNRESOLVED("a path on a disk behind an SMMUv2", "%R/mnt/sata",
			"PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)"),
	PATH_STRICT("a path on a disk behind an SMMUv2", "%R/mnt/sata",
		    "PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)"),
	PATH_UNRESOLVED("a path on device mapper over an SMMUv2 disk",
			"%R/mnt/sata-dm",
			"PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)"),
	PATH_UNRESOLVED("a path on NFS, pointing to the netdev option",
			"%R/mnt/nfs",
			"%R/mnt/nfs is on a network file system (nfs4 from server:/export), keep its network interface with --smmu-kdump-keep-netdev instead"),
	PATH_STRICT("a path on NFS", "%R/mnt/nfs",
		    "%R/mnt/nfs is on a network file system (nfs4 from server:/export), keep its network interface with --smmu-kdump-keep-netdev instead"),
	PATH_UNRESOLVED("a path on an NVMe subsystem without controllers",
			"%R/mnt/mpath-gone",
			"block device nvme3n1 is on NVMe subsystem nvme-subsys3, which has no controller"),
	PATH_UNRESOLVED("a path on ZFS", "%R/mnt/zfs",
			"%R/mnt/zfs is on ZFS (tank/crash), whose pool devices kexec cannot follow, name them with --smmu-kdump-keep instead"),
	PATH_UNRESOLVED("a file on devtmpfs", "%R/dev/shm/file",
			"%R/dev is on devtmpfs, which is in memory, not on a device"),
	{ .name = "path on a virtio-mmio disk, by the StreamID of the platform device above it",
	  .keep = { "P=%R/mnt/mmio" }, .params = KQ_KEEP "sid:0x77@0x9050000" },
	{ .name = "path on btrfs over two devices",
	  .keep = { "P=%R/mnt/btrfs-multi" },
	  .params = KQ_KEEP "0000:02:00.0,0000:01:00.0" },
	{ .name = "keeps the rest of the policy when a path does not resolve",
	  .keep = { "L=sid:1", "P=%R/mnt/tmp", "P=%R/mnt/vda" },
	  .params = KQ_KEEP "sid:0x1,0000:01:00.0", .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep-path=%R/mnt/tmp: %R/mnt/tmp is on tmpfs, which is in memory, not on a device; not kept" },
	{ .name = "warns about an empty path, keeps nothing from it",
	  .keep = { "P=" }, .params = KQ,
	  .warning = "kexec: warning: --smmu-kdump-keep-path=: no path given; nothing is kept from it" },
	{ .name = "strict: rejects an empty path", .keep = { "P=" },
	  .strict = 1,
	  .error = "kexec: --smmu-kdump-keep-path=: no path given" },

	/* --smmu-kdump-keep-path on block device nodes */
	{ .name = "path is a disk node", .nodes = 1,
	  .keep = { "P=%R/dev/nvme0n1" }, .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path is a partition node", .nodes = 1,
	  .keep = { "P=%R/dev/vda1" }, .params = KQ_KEEP "0000:01:00.0" },
	{ .name = "path is a /dev/disk/by-id link", .nodes = 1,
	  .keep = { "P=%R/dev/disk/by-id/virtio-dump" },
	  .params = KQ_KEEP "0000:01:00.0" },
	{ .name = "path is a /dev/disk/by-uuid link", .nodes = 1,
	  .keep = { "P=%R/dev/disk/by-uuid/c0ffee" },
	  .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path is a device mapper node over device mapper", .nodes = 1,
	  .keep = { "P=%R/dev/dm-2" },
	  .params = KQ_KEEP "0000:02:00.0,0000:01:00.0" },
	{ .name = "warns about a block node unknown to sysfs", .nodes = 1,
	  .keep = { "P=%R/dev/sdz" }, .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep-path=%R/dev/sdz: block device %R/dev/sdz (65:0) is not in /sys/dev/block; not kept" },
	{ .name = "warns about a character device node", .nodes = 1,
	  .keep = { "P=%R/dev/ttyS0" }, .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep-path=%R/dev/ttyS0: %R/dev/ttyS0 is a character device, not a block device; not kept" },

	/* --smmu-kdump-keep-netdev */
#define NETDEV_UNRESOLVED(nm, list, why) \
	{ .name = "warns about " nm, .keep = { "N=" list }, .params = KQ, \
	  .unresolved = 1, \
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=" list ": " why "; not kept" }
	{ .name = "netdev on a PCI function", .keep = { "N=eth0" },
	  .params = KQ_KEEP "0000:08:00.0" },
	{ .name = "netdev on a platform device, by StreamID",
	  .keep = { "N=eth2" }, .params = KQ_KEEP "sid:0x42@0x9050000" },
	{ .name = "netdev bond over a PCI and a platform interface",
	  .keep = { "N=bond0" },
	  .params = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000" },
	{ .name = "netdev bridge over a bond and a tap, the tap is nothing to keep",
	  .keep = { "N=br0" },
	  .params = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000" },
	{ .name = "strict: netdev bridge over a bond and a tap",
	  .keep = { "N=br0" }, .strict = 1,
	  .params = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000" },
	{ .name = "netdev USB on a platform xHCI, by the xHCI's StreamID; its identity domain warned about",
	  .keep = { "N=usb0" }, .params = KQ_KEEP "sid:0x88@0x9050000",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=usb0: network interface usb0 is on platform device xhci-hcd.0.auto, which is in an identity (bypass) domain, the crash kernel will abort its DMA instead of keeping it" },
	{ .name = "netdev VLAN and its interface kept once",
	  .keep = { "N=eth0.100,eth0" }, .params = KQ_KEEP "0000:08:00.0" },
	{ .name = "netdev lists accumulate with the other options",
	  .keep = { "N=eth0", "P=%R/mnt/vda", "N=eth2" },
	  .params = KQ_KEEP "0000:08:00.0,0000:01:00.0,sid:0x42@0x9050000" },
	{ .name = "netdev StreamID covered by the same StreamID on all SMMUv3s",
	  .keep = { "L=sid:0x42", "N=eth2" }, .params = KQ_KEEP "sid:0x42" },
	{ .name = "netdev StreamID replaced by a later one on all SMMUv3s",
	  .keep = { "N=eth2", "L=sid:0x42" }, .params = KQ_KEEP "sid:0x42" },
	NETDEV_UNRESOLVED("a missing interface", "nope",
			  "no network interface nope on this system"),
	NETDEV_UNRESOLVED("lo", "lo",
			  "network interface lo has no device and no lower interface (a virtual interface such as lo or a tunnel)"),
	NETDEV_UNRESOLVED("an interface without IOMMU", "eth1",
			  "PCI device 0000:05:00.0 is not behind an SMMUv3 (it has no IOMMU)"),
	NETDEV_UNRESOLVED("a platform interface without device tree", "eth3",
			  "network interface eth3 is on platform device ACPI0001:00, whose StreamIDs are not in the device tree (name them with --smmu-kdump-keep=sid:N@0xa000000)"),
	NETDEV_UNRESOLVED("a cycle of interfaces", "loop1",
			  "network interfaces are stacked too deep"),
	NETDEV_UNRESOLVED("a bridge over virtual ports only", "br1",
			  "network interface br1 has no device, and no interface below it has one (they are virtual interfaces such as tap, veth or vxlan)"),
	NETDEV_UNRESOLVED("a platform interface behind no IOMMU", "eth4",
			  "network interface eth4 is on device ff100000.ethernet, which is neither on PCI nor behind an IOMMU"),
	{ .name = "keeps the resolvable interfaces of a list",
	  .keep = { "N=wg0,eth0" }, .params = KQ_KEEP "0000:08:00.0",
	  .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=wg0,eth0: network interface wg0 has no device and no lower interface (a virtual interface such as lo or a tunnel); not kept" },
	{ .name = "strict: rejects lo", .keep = { "N=lo" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep-netdev=lo: network interface lo has no device and no lower interface (a virtual interface such as lo or a tunnel)" },
	{ .name = "warns about an empty netdev list, keeps nothing from it",
	  .keep = { "N=", "N=eth0" }, .params = KQ_KEEP "0000:08:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=: no interface given; nothing is kept from it" },
	{ .name = "strict: rejects an empty netdev list", .keep = { "N=" },
	  .strict = 1,
	  .error = "kexec: --smmu-kdump-keep-netdev=: no interface given" },
	{ .name = "netdev on a child without iommu link sharing its glue's DT node, by the glue's StreamID",
	  .keep = { "N=usb9" }, .params = KQ_KEEP "sid:0x99@0x9050000" },
	NETDEV_UNRESOLVED("a leaf behind another IOMMU under a parent behind an SMMUv3",
			  "eth9",
			  "network interface eth9 is on device leaf2, which is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)"),
	{ .name = "netdev bridge with a vxlan port: warns about the tunnel, not the tap or veth",
	  .keep = { "N=br2" }, .params = KQ_KEEP "0000:08:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=br2: network interface vx0 is a vxlan tunnel, its traffic leaves through another interface: name that one too" },
	{ .name = "strict: netdev bridge with a vxlan port loads, with the warning",
	  .keep = { "N=br2" }, .strict = 1, .params = KQ_KEEP "0000:08:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=br2: network interface vx0 is a vxlan tunnel, its traffic leaves through another interface: name that one too" },
	{ .name = "netdev bond with an IP tunnel: warns about the gre tunnel by its type",
	  .keep = { "N=bond2" }, .params = KQ_KEEP "0000:08:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=bond2: network interface gre1 is a gre tunnel, its traffic leaves through another interface: name that one too" },
	{ .name = "warns about an empty interface name, skips it",
	  .keep = { "N=eth0,,eth2," },
	  .params = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=eth0,,eth2,: empty item in the list; skipped" },
	{ .name = "strict: rejects an empty interface name",
	  .keep = { "N=eth0,,eth1" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep-netdev=eth0,,eth1: empty item in the list" },
	{ .name = "rejects an interface name with a slash",
	  .keep = { "N=eth0,a/b" },
	  .error = "kexec: --smmu-kdump-keep-netdev=eth0,a/b: malformed interface name \"a/b\"" },
	{ .name = "netdev by an altname, looked up by its index",
	  .keep = { "N=enp8s0,end0" },
	  .params = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000" },
	{ .name = "netdev by an altname and by its name, kept once",
	  .keep = { "N=enp8s0", "N=eth0" }, .params = KQ_KEEP "0000:08:00.0" },
	NETDEV_UNRESOLVED("an altname of 17 characters, which is not looked up",
			  "enP32768p1s0f0np0",
			  "no network interface enP32768p1s0f0np0 on this system (kexec looks up altnames of up to 15 characters only: name the interface by its name)"),
	{ .name = "keeps the rest of a list with a long altname",
	  .keep = { "N=enP32768p1s0f0np0,eth2" },
	  .params = KQ_KEEP "sid:0x42@0x9050000", .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=enP32768p1s0f0np0,eth2: no network interface enP32768p1s0f0np0 on this system (kexec looks up altnames of up to 15 characters only: name the interface by its name); not kept" },
	{ .name = "strict: rejects an altname of 17 characters",
	  .keep = { "N=enP32768p1s0f0np0" }, .strict = 1,
	  .error = "kexec: --smmu-kdump-keep-netdev=enP32768p1s0f0np0: no network interface enP32768p1s0f0np0 on this system (kexec looks up altnames of up to 15 characters only: name the interface by its name)" },
#define IFNAME128	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" \
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	{ .name = "rejects an interface name of 128 characters",
	  .keep = { "N=" IFNAME128 },
	  .error = "kexec: --smmu-kdump-keep-netdev=" IFNAME128 ": malformed interface name \"" IFNAME128 "\"" },
	{ .name = "warns about a netdev list with mode keep-all, ignores it",
	  .mode = "keep-all", .keep = { "N=eth0,nope" },
	  .params = "arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: --smmu-kdump-mode=keep-all keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced; they are ignored" },

	/* the policy printed before loading */
	{ .name = "prints the kept and the aborted devices",
	  .keep = { "P=%R/mnt/vda" }, .params = KQ_KEEP "0000:01:00.0",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: keep 0000:01:00.0 (StreamID 0x100 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep-path=%R/mnt/vda\n"
		ABORTED_A_FROM_02 ABORTED_A_PLATFORM ABORTED_B },
	{ .name = "lists a device kept by name once, after a sid: item of its StreamID",
	  .keep = { "L=sid:0x100@0x9050000,01:00.0" },
	  .params = KQ_KEEP "sid:0x100@0x9050000,0000:01:00.0",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: keep sid:0x100@0x9050000 (StreamID 0x100 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep=sid:0x100@0x9050000,01:00.0\n"
		"kexec: smmu-kdump: keep 0000:01:00.0 (StreamID 0x100 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep=sid:0x100@0x9050000,01:00.0\n"
		ABORTED_A_FROM_02 ABORTED_A_PLATFORM ABORTED_B },
	{ .name = "prints StreamIDs of sid items, a PCI device without DT",
	  .keep = { "L=sid:0x300,0001:00:00.0", "N=eth2" },
	  .params = KQ_KEEP "sid:0x300,0001:00:00.0,sid:0x42@0x9050000",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: keep sid:0x300 (StreamID 0x300 on every SMMUv3) from --smmu-kdump-keep=sid:0x300,0001:00:00.0\n"
		"kexec: smmu-kdump: keep 0001:00:00.0 (StreamID from the firmware, on the SMMUv3 at 0xa000000) from --smmu-kdump-keep=sid:0x300,0001:00:00.0\n"
		"kexec: smmu-kdump: keep sid:0x42@0x9050000 (StreamID 0x42 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep-netdev=eth2\n"
		"kexec: smmu-kdump: abort 0000:01:00.0 (StreamID 0x100 on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: abort 0000:02:00.0 (StreamID 0x200 on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: keep 0000:03:00.0 too (StreamID 0x300 on the SMMUv3 at 0x9050000, which sid:0x300 keeps)\n"
		"kexec: smmu-kdump: abort 0000:06:00.0 (StreamID 0x600 on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: abort 0000:07:00.0 (StreamID 0x700 on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: abort 0000:08:00.0 (StreamID 0x800 on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: abort a003e00.virtio_mmio (StreamID 0x77 on the SMMUv3 at 0x9050000)\n"
		NOT_RESET("a003e00.virtio_mmio")
		"kexec: smmu-kdump: abort bus2 (StreamID 0x55 on the SMMUv3 at 0x9050000)\n"
		NOT_RESET("bus2")
		"kexec: smmu-kdump: keep ff000000.ethernet too (StreamID 0x42 on the SMMUv3 at 0x9050000, which sid:0x42@0x9050000 keeps)\n"
		"kexec: smmu-kdump: abort glue.usb (StreamID 0x99 on the SMMUv3 at 0x9050000)\n"
		NOT_RESET("glue.usb")
		"kexec: smmu-kdump: abort xhci-hcd.0.auto (StreamID 0x88 on the SMMUv3 at 0x9050000)\n"
		NOT_RESET("xhci-hcd.0.auto")
		"kexec: smmu-kdump: abort 0001:00:1f.7 (on the SMMUv3 at 0xa000000) unless a sid: item names its StreamID, which is not known here (no iommu-map)\n"
		"kexec: smmu-kdump: abort ACPI0001:00 (on the SMMUv3 at 0xa000000) unless a sid: item names its StreamID, which is not known here (no iommus property)\n" },
	{ .name = "before Linux 5.15, reads FLR from the PCI Express capability",
	  .fixture = FIX_PRE_5_15, .mode = "keep-quiesced", .params = KQ,
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: abort 0000:01:00.0 (on the SMMUv3 at 0x9050000)\n"
		"kexec: smmu-kdump: abort 0000:02:00.0 (on the SMMUv3 at 0x9050000)\n"
		MAY_NO_FLR("0000:02:00.0",
			   "64 bytes of config space readable: not root")
		"kexec: smmu-kdump: abort 0000:03:00.0 (on the SMMUv3 at 0x9050000)\n"
		NO_FLR("0000:03:00.0", "DevCap FLReset-")
		"kexec: smmu-kdump: abort 0000:04:00.0 (on the SMMUv3 at 0x9050000)\n"
		NO_FLR("0000:04:00.0", "not PCI Express")
		"kexec: smmu-kdump: abort 0000:05:00.0 (on the SMMUv3 at 0x9050000)\n"
		NO_FLR("0000:05:00.0", "no reset method")
		"kexec: smmu-kdump: abort 0000:06:00.0 (on the SMMUv3 at 0x9050000)\n"
		MAY_NO_FLR("0000:06:00.0", "config space reads all ones") },
	{ .name = "prints how many items did not resolve",
	  .keep = { "L=09:00.0" }, .params = KQ, .unresolved = 1,
	  .warning = "kexec: warning: --smmu-kdump-keep=09:00.0: no PCI device 0000:09:00.0 on this system; not kept",
	  .preview = PREVIEW_KQ
		"kexec: smmu-kdump: 1 item(s) did not resolve on this system and are left out (see the warnings)\n"
		"kexec: smmu-kdump: abort 0000:01:00.0 (StreamID 0x100 on the SMMUv3 at 0x9050000)\n"
		ABORTED_A_FROM_02 ABORTED_A_PLATFORM ABORTED_B },
	{ .name = "prints what mode keep-all does", .mode = "keep-all",
	  .params = "arm_smmu_v3.kdump_mode=keep-all",
	  .preview = "kexec: smmu-kdump: mode keep-all: every device behind an SMMUv3 keeps its DMA until its driver in the crash kernel takes it over" },
	{ .name = "prints what mode reset does", .mode = "reset",
	  .params = "arm_smmu_v3.kdump_mode=reset",
	  .preview = "kexec: smmu-kdump: mode reset: the crash kernel resets every SMMUv3 as a normal boot does, which aborts all DMA in flight" },
};

#define NR_CASES	(sizeof(cases) / sizeof(cases[0]))

struct call {
	struct smmu_kdump_opts opts;
	int on_crash;
	const char *cmdline;
	char *params;
};

static int call_params(void *arg)
{
	struct call *c = arg;

	return smmu_kdump_params(&c->opts, c->on_crash, c->cmdline, &c->params);
}

/* want(A, B, ROOT): "A\nB\n" with %R expanded, either may be NULL */
static char *want(const char *a, const char *b, const char *root)
{
	char *out = xmalloc((a ? strlen(a) : 0) + (b ? strlen(b) : 0) + 3);
	char *expanded;

	/* Each ends with a newline, which the table may leave out. */
	sprintf(out, "%s%s%s%s", a ? a : "",
		a && *a && a[strlen(a) - 1] != '\n' ? "\n" : "", b ? b : "",
		b && *b && b[strlen(b) - 1] != '\n' ? "\n" : "");
	expanded = test_expand(out, root);
	free(out);
	return expanded;
}

static void run_case(const struct kcase *k)
{
	const char *root = test_root(k->fixture);
	char *cmdline, *want_params, *want_err, *want_preview, *err, *msgs;
	char *preview;
	char *args[4] = { NULL };
	struct call c = { .on_crash = !k->not_crash };
	char diag[16384] = "";
	size_t len = 0;
	int i, result, ok = 1;

	if (k->nodes && !test_have_nodes()) {
		test_skip(k->name, "cannot create device nodes (not root)");
		return;
	}

	smmu_kdump_root = root;
	cmdline = test_expand(k->cmdline, root);
	c.cmdline = cmdline;
	c.opts.strict = k->strict;
	if (k->mode)
		smmu_kdump_set_mode(&c.opts, k->mode);
	if (k->mode2)
		smmu_kdump_set_mode(&c.opts, k->mode2);
	for (i = 0; i < 4 && k->keep[i]; i++) {
		args[i] = test_expand(k->keep[i] + 2, root);
		smmu_kdump_add_keep(&c.opts, k->keep[i][0] == 'P' ?
				    SMMU_KDUMP_KEEP_PATH : k->keep[i][0] == 'N' ?
				    SMMU_KDUMP_KEEP_NETDEV : SMMU_KDUMP_KEEP_LIST,
				    args[i]);
	}
	want_params = test_expand(k->params, root);
	want_err = want(k->warning, k->error, root);
	want_preview = want(k->preview, NULL, root);

	err = test_capture(2, call_params, &c, &result);
	msgs = test_lines(err, "kexec: smmu-kdump: ", 0);
	preview = test_lines(err, "kexec: smmu-kdump: ", 1);

#define DIAG(...) test_diag(diag, &len, sizeof(diag), __VA_ARGS__)
	if (k->error) {
		if (result == 0) {
			ok = 0;
			DIAG("# expected failure, got success with \"%s\"\n",
			     c.params ? c.params : "(none)");
		}
		if (c.params) {
			ok = 0;
			DIAG("# parameters set on failure\n");
		}
		if (*preview) {
			ok = 0;
			DIAG("# policy printed on failure\n");
		}
	} else {
		if (result != 0) {
			ok = 0;
			DIAG("# expected success, got %d\n", result);
		}
		if (!want_params != !c.params ||
		    (c.params && strcmp(want_params, c.params))) {
			ok = 0;
			DIAG("# expected parameters \"%s\"\n#      got parameters \"%s\"\n",
			     want_params ? want_params : "(none)",
			     c.params ? c.params : "(none)");
		}
		if (c.opts.nr_unresolved != k->unresolved) {
			ok = 0;
			DIAG("# expected %u unresolved, got %u\n",
			     k->unresolved, c.opts.nr_unresolved);
		}
		if (k->preview && strcmp(preview, want_preview)) {
			ok = 0;
			DIAG("# expected policy \"%s\"\n#      got policy \"%s\"\n",
			     want_preview, preview);
		}
	}
	if (strcmp(msgs, want_err)) {
		ok = 0;
		DIAG("# expected stderr \"%s\"\n#      got stderr \"%s\"\n",
		     want_err, msgs);
	}

	test_report(ok, k->name, diag);

	smmu_kdump_free_opts(&c.opts);
	for (i = 0; i < 4; i++)
		free(args[i]);
	free(c.params);
	free(cmdline);
	free(want_params);
	free(want_err);
	free(want_preview);
	free(err);
	free(msgs);
	free(preview);
}

/* The default root and the debug output are checked outside the table. */
static void test_default_root(const char *initial)
{
	test_report(!strcmp(initial, "/"), "root defaults to /",
		    "# smmu_kdump_root does not default to /\n");
}

static void test_debug_output(void)
{
	struct call c = { .on_crash = 1 };
	char *path, *err;
	int result, ok;

	smmu_kdump_root = test_root(FIX_SMMU);
	path = test_expand("%R/mnt/dm", smmu_kdump_root);
	smmu_kdump_add_keep(&c.opts, SMMU_KDUMP_KEEP_PATH, path);

	kexec_debug = 1;
	err = test_capture(2, call_params, &c, &result);
	kexec_debug = 0;

	ok = result == 0 && strstr(err, "is on PCI device 0000:01:00.0") &&
		strstr(err, "is on PCI device 0000:02:00.0") &&
		strstr(err, "mounted from /dev/mapper/vg-crash (ext4, 253:0)");
	test_report(ok, "debug output shows how a path was resolved",
		    "# debug output lacks the resolution of the path\n");

	smmu_kdump_free_opts(&c.opts);
	free(c.params);
	free(path);
	free(err);
}

int main(void)
{
	const char *initial = smmu_kdump_root;
	size_t i;

	test_setup();
	test_plan("kexec: smmu-kdump", NR_CASES + 2);
	test_default_root(initial);
	for (i = 0; i < NR_CASES; i++)
		run_case(&cases[i]);
	test_debug_output();
	test_cleanup();
	return test_done();
}
