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
 * A test case.  keep[] entries are "L=LIST" (--smmu-kdump-keep) or "P=PATH"
 * (--smmu-kdump-keep-path); "%R" in paths and expected messages stands for
 * the fixture's root directory.
 */
struct kcase {
	const char *name;
	int fixture;
	int not_crash;
	const char *cmdline;
	const char *mode;
	const char *keep[4];
	const char *params;	/* expected parameters, success */
	const char *error;	/* expected message, failure */
	const char *warning;	/* expected message, success */
};

#define KQ	"arm_smmu_v3.kdump_mode=keep-quiesced"
#define KQ_KEEP	KQ " arm_smmu_v3.kdump_keep="

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
	{ .name = "rejects empty mode", .mode = "",
	  .error = "kexec: --smmu-kdump-mode=: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "rejects mode in the wrong case", .mode = "Reset",
	  .error = "kexec: --smmu-kdump-mode=Reset: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "rejects a list with mode reset", .mode = "reset",
	  .keep = { "L=01:00.0" },
	  .error = "kexec: --smmu-kdump-mode=reset keeps no list of devices, --smmu-kdump-keep and --smmu-kdump-keep-path need --smmu-kdump-mode=keep-quiesced" },
	{ .name = "rejects a path with mode keep-all", .mode = "keep-all",
	  .keep = { "P=%R/mnt/vda" },
	  .error = "kexec: --smmu-kdump-mode=keep-all keeps no list of devices, --smmu-kdump-keep and --smmu-kdump-keep-path need --smmu-kdump-mode=keep-quiesced" },

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
	{ .name = "rejects a system with only an SMMUv2",
	  .fixture = FIX_SMMUV2_ONLY, .mode = "reset",
	  .error = "kexec: the --smmu-kdump-* options need an SMMUv3, but there is no /sys/class/iommu/smmu3.* on this system" },
	{ .name = "rejects a system without IOMMU", .fixture = FIX_NO_IOMMU,
	  .keep = { "L=01:00.0" },
	  .error = "kexec: the --smmu-kdump-* options need an SMMUv3, but there is no /sys/class/iommu/smmu3.* on this system" },

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
	{ .name = "rejects empty list", .keep = { "L=" },
	  .error = "kexec: --smmu-kdump-keep=: empty item in the list" },
	{ .name = "rejects empty item", .keep = { "L=01:00.0,,02:00.0" },
	  .error = "kexec: --smmu-kdump-keep=01:00.0,,02:00.0: empty item in the list" },
	{ .name = "rejects trailing comma", .keep = { "L=01:00.0," },
	  .error = "kexec: --smmu-kdump-keep=01:00.0,: empty item in the list" },

	/* --smmu-kdump-keep: checked against the system */
	{ .name = "rejects unknown PCI device", .keep = { "L=09:00.0" },
	  .error = "kexec: --smmu-kdump-keep=09:00.0: no PCI device 0000:09:00.0 on this system" },
	{ .name = "rejects PCI device in an unknown segment",
	  .keep = { "L=0002:01:00.0" },
	  .error = "kexec: --smmu-kdump-keep=0002:01:00.0: no PCI device 0002:01:00.0 on this system" },
	{ .name = "rejects PCI device behind an SMMUv2", .keep = { "L=04:00.0" },
	  .error = "kexec: --smmu-kdump-keep=04:00.0: PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)" },
	{ .name = "rejects PCI device without IOMMU", .keep = { "L=05:00.0" },
	  .error = "kexec: --smmu-kdump-keep=05:00.0: PCI device 0000:05:00.0 is not behind an SMMUv3 (it has no IOMMU)" },
	{ .name = "rejects sid on an unknown SMMUv3",
	  .keep = { "L=sid:1@0x9060000" },
	  .error = "kexec: --smmu-kdump-keep=sid:1@0x9060000: no SMMUv3 at 0x9060000 on this system" },
	{ .name = "rejects sid on an SMMUv2",
	  .keep = { "L=sid:1@b000000" },
	  .error = "kexec: --smmu-kdump-keep=sid:1@b000000: no SMMUv3 at 0xb000000 on this system" },

	/* duplicates */
	{ .name = "rejects duplicate PCI device",
	  .keep = { "L=01:00.0,0000:01:00.0" },
	  .error = "kexec: --smmu-kdump-keep=01:00.0,0000:01:00.0: duplicate item 0000:01:00.0" },
	{ .name = "rejects duplicate over two options",
	  .keep = { "L=sid:16", "L=sid:0x10" },
	  .error = "kexec: --smmu-kdump-keep=sid:0x10: duplicate item sid:0x10 (already given by --smmu-kdump-keep=sid:16)" },
	{ .name = "rejects duplicate sid on one SMMUv3",
	  .keep = { "L=sid:5@0x9050000,sid:0x5@9050000" },
	  .error = "kexec: --smmu-kdump-keep=sid:5@0x9050000,sid:0x5@9050000: duplicate item sid:0x5@0x9050000" },
	{ .name = "rejects sid on one SMMUv3 overlapping sid on all",
	  .keep = { "L=sid:5,sid:5@0x9050000" },
	  .error = "kexec: --smmu-kdump-keep=sid:5,sid:5@0x9050000: item sid:0x5@0x9050000 overlaps sid:0x5" },
	{ .name = "accepts one sid on two SMMUv3s",
	  .keep = { "L=sid:5@0x9050000,sid:5@0xa000000" },
	  .params = KQ_KEEP "sid:0x5@0x9050000,sid:0x5@0xa000000" },
	{ .name = "rejects device named by address and by path",
	  .keep = { "L=02:00.0", "P=%R/mnt/nvme/crash" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/nvme/crash: duplicate item 0000:02:00.0 (already given by --smmu-kdump-keep=02:00.0)" },
	{ .name = "rejects device named by path and by address",
	  .keep = { "P=%R/mnt/vda", "L=sid:1,0000:01:00.0" },
	  .error = "kexec: --smmu-kdump-keep=sid:1,0000:01:00.0: duplicate item 0000:01:00.0 (already given by --smmu-kdump-keep-path=%R/mnt/vda)" },
	{ .name = "rejects two paths on one device",
	  .keep = { "P=%R/mnt/nvme", "P=%R/crash-link" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/crash-link: duplicate item 0000:02:00.0 (already given by --smmu-kdump-keep-path=%R/mnt/nvme)" },

	/* command line conflicts */
	{ .name = "rejects kdump_mode already on the command line",
	  .cmdline = "console=ttyAMA0 arm_smmu_v3.kdump_mode=reset",
	  .mode = "keep-all",
	  .error = "kexec: arm_smmu_v3.kdump_mode=reset is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "rejects kdump_keep already on the command line",
	  .cmdline = "arm_smmu_v3.kdump_keep=0000:01:00.0 quiet",
	  .keep = { "L=01:00.0" },
	  .error = "kexec: arm_smmu_v3.kdump_keep=0000:01:00.0 is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "rejects the dashed spelling on the command line",
	  .cmdline = "arm-smmu-v3.kdump-keep=sid:1", .mode = "reset",
	  .error = "kexec: arm-smmu-v3.kdump-keep=sid:1 is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "rejects a quoted parameter on the command line",
	  .cmdline = "\"arm_smmu_v3.kdump_mode=reset\"", .mode = "reset",
	  .error = "kexec: \"arm_smmu_v3.kdump_mode=reset\" is already on the command line, it conflicts with the --smmu-kdump-* options" },
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
	{ .name = "path on btrfs found through the mount source",
	  .keep = { "P=%R/mnt/btrfs" }, .params = KQ_KEEP "0000:02:00.0" },
	{ .name = "path on btrfs on a /dev/mapper link",
	  .keep = { "P=%R/mnt/mapper" },
	  .params = KQ_KEEP "0000:02:00.0,0000:01:00.0" },
	{ .name = "path and list together, in command line order",
	  .keep = { "L=sid:0x300", "P=%R/mnt/vda", "L=0001:00:00.0" },
	  .params = KQ_KEEP "sid:0x300,0000:01:00.0,0001:00:00.0" },
	{ .name = "rejects a path that does not exist",
	  .keep = { "P=%R/mnt/vda/nonexistent" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/vda/nonexistent: No such file or directory" },
	{ .name = "rejects a path on tmpfs", .keep = { "P=%R/mnt/tmp" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/tmp: %R/mnt/tmp is on tmpfs (tmpfs), which is not a block device" },
	{ .name = "rejects a path whose mount has no block device",
	  .keep = { "P=%R/mnt/nvme2" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/nvme2: / is on /dev/root (ext4), which is not a block device" },
	{ .name = "rejects a path on a loop device", .keep = { "P=%R/mnt/loop" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/loop: block device loop0 is not on a PCI device" },
	{ .name = "rejects a path on device mapper without slaves",
	  .keep = { "P=%R/mnt/zero" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/zero: block device dm-3 is not on a PCI device" },
	{ .name = "rejects a path on a cycle of block devices",
	  .keep = { "P=%R/mnt/cycle" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/cycle: block devices are stacked too deep" },
	{ .name = "rejects a path on a disk behind an SMMUv2",
	  .keep = { "P=%R/mnt/sata" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/sata: PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)" },
	{ .name = "rejects a path on device mapper over an SMMUv2 disk",
	  .keep = { "P=%R/mnt/sata-dm" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/sata-dm: PCI device 0000:04:00.0 is not behind an SMMUv3 (its IOMMU is smmu.0x000000000b000000)" },
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

static void run_case(const struct kcase *k)
{
	const char *root = test_root(k->fixture);
	char *cmdline, *want_params, *want_err, *err;
	char *args[4] = { NULL };
	struct call c = { .on_crash = !k->not_crash };
	char diag[8192] = "";
	size_t len = 0;
	int i, result, ok = 1;

	smmu_kdump_root = root;
	cmdline = test_expand(k->cmdline, root);
	c.cmdline = cmdline;
	c.opts.mode = k->mode;
	for (i = 0; i < 4 && k->keep[i]; i++) {
		args[i] = test_expand(k->keep[i] + 2, root);
		smmu_kdump_add_keep(&c.opts, k->keep[i][0] == 'P' ?
				    SMMU_KDUMP_KEEP_PATH : SMMU_KDUMP_KEEP_LIST,
				    args[i]);
	}
	want_params = test_expand(k->params, root);
	want_err = test_expand(k->error ? k->error : k->warning, root);
	if (want_err) {
		want_err = xrealloc(want_err, strlen(want_err) + 2);
		strcat(want_err, "\n");
	}

	err = test_capture(2, call_params, &c, &result);

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
	}
	if (strcmp(err, want_err ? want_err : "")) {
		ok = 0;
		DIAG("# expected stderr \"%s\"\n#      got stderr \"%s\"\n",
		     want_err ? want_err : "", err);
	}

	test_report(ok, k->name, diag);

	smmu_kdump_free_opts(&c.opts);
	for (i = 0; i < 4; i++)
		free(args[i]);
	free(c.params);
	free(cmdline);
	free(want_params);
	free(want_err);
	free(err);
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
