// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the arm64 option handling around smmu-kdump.c: includes the
 * patched kexec/arch/arm64/kexec-arm64.c and runs its arch_process_options()
 * on whole command lines, as kexec's main() does, against the fake trees of
 * lib.c.  This covers the option table, the -p check, the merging with
 * --append, --command-line and --reuse-cmdline, and --help.
 *
 * Only arch_process_options() and arch_usage() are called; the loaders in
 * the rest of kexec-arm64.c are not, so run.sh links this statically and
 * leaves their references to other kexec-tools files unresolved.
 */

#include "kexec-arm64.c"

#include "lib.h"

/* kexec/kexec.c's versions of these two read /proc and use xstrdup. */
static const char *reuse_line;

char *get_command_line(void)
{
	return strdup(reuse_line);
}

char *concat_cmdline(const char *base, const char *append)
{
	char *line;

	if (!base && !append)
		return NULL;
	if (!base || !append)
		return strdup(base ? base : append);
	line = xmalloc(strlen(base) + strlen(append) + 2);
	sprintf(line, "%s %s", base, append);
	return line;
}

/* kexec/kexec.c's slurp_file(), which reads the dtb of --dtb. */
char *slurp_file(const char *filename, off_t *r_size)
{
	FILE *fp = fopen(filename, "r");
	char *buf = xmalloc(65536);
	size_t n;

	if (!fp)
		test_fatal("fopen", filename);
	n = fread(buf, 1, 65536, fp);
	fclose(fp);
	*r_size = n;
	return buf;
}

/*
 * Without --dtb, kexec_load passes on the running system's dtb: look for it
 * in the fixture (run.sh links with --wrap=stat), where there is none, so
 * that no case depends on the host's own /sys/firmware/fdt.
 */
int __real_stat(const char *path, struct stat *st);

int __wrap_stat(const char *path, struct stat *st)
{
	char in_root[PATH_MAX];

	if (!strcmp(path, "/sys/firmware/fdt") ||
	    !strcmp(path, "/proc/device-tree")) {
		snprintf(in_root, sizeof(in_root), "%s%s", smmu_kdump_root,
			 path);
		path = in_root;
	}
	return __real_stat(path, st);
}

#define DTB_BOOTARGS	"console=ttyAMA0,115200 root=/dev/vda2 ro"

/* %R/boot.dtb: a /chosen node with DTB_BOOTARGS, for --dtb */
static void write_dtb(const char *root)
{
	char buf[4096], path[PATH_MAX];
	FILE *fp;

	if (fdt_create(buf, sizeof(buf)) || fdt_finish_reservemap(buf) ||
	    fdt_begin_node(buf, "") || fdt_begin_node(buf, "chosen") ||
	    fdt_property_string(buf, "bootargs", DTB_BOOTARGS) ||
	    fdt_end_node(buf) || fdt_end_node(buf) || fdt_finish(buf))
		test_fatal("libfdt", "boot.dtb");
	snprintf(path, sizeof(path), "%s/boot.dtb", root);
	fp = fopen(path, "w");
	if (!fp || fwrite(buf, 1, fdt_totalsize(buf), fp) != fdt_totalsize(buf) ||
	    fclose(fp))
		test_fatal("write", path);
}

/*
 * A case.  On success the lines of the printed policy ("kexec: smmu-kdump:
 * ") are checked for the preview substring if one is given, the other
 * stderr lines must be warning exactly.  Every case runs in a child, since
 * --smmu-kdump-check and a refused policy exit: a case with check or error
 * set checks its status and output, the others the command line and
 * console that the child reports on stdout.
 */
struct ocase {
	const char *name;
	int fixture;
	int nodes;		/* needs block device nodes (mknod) */
	const char *argv[11];	/* after "kexec", NULL-ended; "%R": the root */
	const char *reuse;	/* what --reuse-cmdline finds */
	const char *cmdline;	/* expected command line, success */
	const char *load;	/* for kexec_load, if not the command line */
	const char *console;	/* expected --serial, success */
	const char *error;	/* expected message, failure */
	const char *warning;	/* expected other stderr lines, success */
	const char *preview;	/* expected in the policy printed */
	const char *not_preview;	/* must not be in it */
	int check;		/* runs --smmu-kdump-check, which exits */
	int status;		/* its expected exit status */
};

#define KQ	"arm_smmu_v3.kdump_mode=keep-quiesced"
#define KQ_KEEP	KQ " arm_smmu_v3.kdump_keep="
#define POLICY	"kexec: smmu-kdump: "
#define KEEP_01	POLICY "keep 0000:01:00.0 (StreamID 0x100 on the SMMUv3 at 0x9050000) from "

/* Long --append arguments: the crash kernel takes 2047 characters. */
#define A10	"aaaaaaaaaa"
#define A100	A10 A10 A10 A10 A10 A10 A10 A10 A10 A10
#define A1000	A100 A100 A100 A100 A100 A100 A100 A100 A100 A100
#define A1960	A1000 A100 A100 A100 A100 A100 A100 A100 A100 A100 \
		A10 A10 A10 A10 A10 A10
#define A1968	A1960 "aaaaaaaa"
#define A1990	A1960 A10 A10 A10
#define A2020	A1000 A1000 A10 A10
#define A2100	A1000 A1000 A100
#define A1959	A1000 A100 A100 A100 A100 A100 A100 A100 A100 A100 \
		A10 A10 A10 A10 A10 "aaaaaaaaa"
#define A2016	A1000 A1000 A10 "aaaaaa"
#define A2017	A2016 "a"

/* kdump_keep= lists: the kernel takes 1024 characters in a parameter */
#define SIDS90	"sid:0x1000,sid:0x1001,sid:0x1002,sid:0x1003,sid:0x1004,sid:0x1005," \
	"sid:0x1006,sid:0x1007,sid:0x1008,sid:0x1009,sid:0x100a,sid:0x100b," \
	"sid:0x100c,sid:0x100d,sid:0x100e,sid:0x100f,sid:0x1010,sid:0x1011," \
	"sid:0x1012,sid:0x1013,sid:0x1014,sid:0x1015,sid:0x1016,sid:0x1017," \
	"sid:0x1018,sid:0x1019,sid:0x101a,sid:0x101b,sid:0x101c,sid:0x101d," \
	"sid:0x101e,sid:0x101f,sid:0x1020,sid:0x1021,sid:0x1022,sid:0x1023," \
	"sid:0x1024,sid:0x1025,sid:0x1026,sid:0x1027,sid:0x1028,sid:0x1029," \
	"sid:0x102a,sid:0x102b,sid:0x102c,sid:0x102d,sid:0x102e,sid:0x102f," \
	"sid:0x1030,sid:0x1031,sid:0x1032,sid:0x1033,sid:0x1034,sid:0x1035," \
	"sid:0x1036,sid:0x1037,sid:0x1038,sid:0x1039,sid:0x103a,sid:0x103b," \
	"sid:0x103c,sid:0x103d,sid:0x103e,sid:0x103f,sid:0x1040,sid:0x1041," \
	"sid:0x1042,sid:0x1043,sid:0x1044,sid:0x1045,sid:0x1046,sid:0x1047," \
	"sid:0x1048,sid:0x1049,sid:0x104a,sid:0x104b,sid:0x104c,sid:0x104d," \
	"sid:0x104e,sid:0x104f,sid:0x1050,sid:0x1051,sid:0x1052,sid:0x1053," \
	"sid:0x1054,sid:0x1055,sid:0x1056,sid:0x1057,sid:0x1058,sid:0x1059"
#define SIDS92	SIDS90 ",sid:0x105a,sid:0x105b"
#define SIDS100	SIDS92 ",sid:0x105c,sid:0x105d,sid:0x105e,sid:0x105f," \
	"sid:0x1060,sid:0x1061,sid:0x1062,sid:0x1063"
#define KEEP_VALUE_TOO_LONG(n)	"kexec: warning: arm_smmu_v3.kdump_keep= would be " #n " characters long, more than the 1024 the kernel takes in a parameter: it is left out, the crash kernel keeps no device"
#define PASSTHROUGH(v)	"kexec: warning: " v " is on the command line: the crash kernel inherits nothing and resets the SMMUv3, whatever the --smmu-kdump-* options say; the policy is passed all the same"
#define KEEP_TOO_LONG	"kexec: warning: with arm_smmu_v3.kdump_keep= the crash kernel's command line would be 2068 bytes, more than the 2047 it can hold: arm_smmu_v3.kdump_keep= (38 bytes) is left out, the crash kernel keeps no device"

static const struct ocase cases[] = {
	{ .name = "appends the mode to --append",
	  .argv = { "-p", "--append=console=ttyAMA0 root=/dev/vda1",
		    "--smmu-kdump-mode=keep-all", "Image" },
	  .cmdline = "console=ttyAMA0 root=/dev/vda1 arm_smmu_v3.kdump_mode=keep-all" },
	{ .name = "appends the policy with --load-panic and no --append",
	  .argv = { "--load-panic", "--smmu-kdump-keep=01:00.0",
		    "--smmu-kdump-keep-path=%R/mnt/nvme/crash", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0,0000:02:00.0" },
	{ .name = "kexec_load without a command line: the policy goes onto the dtb's bootargs",
	  .argv = { "-p", "-c", "--dtb=%R/boot.dtb",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = DTB_BOOTARGS " " KQ_KEEP "0000:01:00.0" },
	{ .name = "kexec_load with an empty --append: as without one",
	  .argv = { "-p", "-c", "--dtb=%R/boot.dtb", "--append=",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = DTB_BOOTARGS " " KQ_KEEP "0000:01:00.0" },
	{ .name = "the last of -s and -c counts, as in main()",
	  .argv = { "-p", "-s", "-c", "--dtb=%R/boot.dtb",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = DTB_BOOTARGS " " KQ_KEEP "0000:01:00.0" },
	{ .name = "no -s or -c, no command line: alone for kexec_file_load, onto the bootargs for kexec_load",
	  .argv = { "-p", "--dtb=%R/boot.dtb", "--smmu-kdump-keep=01:00.0",
		    "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .load = DTB_BOOTARGS " " KQ_KEEP "0000:01:00.0" },
	{ .name = "-a after -c: as without either",
	  .argv = { "-p", "-c", "-a", "--dtb=%R/boot.dtb",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .load = DTB_BOOTARGS " " KQ_KEEP "0000:01:00.0" },
	{ .name = "kexec_load with --append: the dtb's bootargs are not used",
	  .argv = { "-p", "--dtb=%R/boot.dtb", "--append=quiet",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "quiet " KQ_KEEP "0000:01:00.0" },
	{ .name = "kexec_file_load without a command line: the policy alone",
	  .argv = { "-p", "-s", "--dtb=%R/boot.dtb",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0" },
	{ .name = "warns that a crash kernel in passthrough inherits nothing",
	  .argv = { "-p", "--append=root=/dev/vda1 iommu.passthrough=1",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "root=/dev/vda1 iommu.passthrough=1 " KQ_KEEP "0000:01:00.0",
	  .warning = PASSTHROUGH("iommu.passthrough=1") },
	{ .name = "takes the last iommu.passthrough, as the kernel does",
	  .argv = { "-p", "--append=iommu.passthrough=on iommu.passthrough=0",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "iommu.passthrough=on iommu.passthrough=0 " KQ_KEEP "0000:01:00.0" },
	{ .name = "reads iommu.passthrough=ON as on, -- ends the kernel's words",
	  .argv = { "-p", "--append=\"iommu.passthrough=ON\" -- iommu.passthrough=0",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "\"iommu.passthrough=ON\" " KQ_KEEP "0000:01:00.0 -- iommu.passthrough=0",
	  .warning = PASSTHROUGH("\"iommu.passthrough=ON\"") },
	{ .name = "reads iommu.passthrough=true as on, as the kernel's kstrtobool()",
	  .argv = { "-p", "--append=iommu.passthrough=true",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "iommu.passthrough=true " KQ_KEEP "0000:01:00.0",
	  .warning = PASSTHROUGH("iommu.passthrough=true") },
	{ .name = "reads iommu.passthrough=Enable as on (Linux 7.2), =disable as off",
	  .argv = { "-p", "--append=iommu.passthrough=disable iommu.passthrough=Enable",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "iommu.passthrough=disable iommu.passthrough=Enable " KQ_KEEP "0000:01:00.0",
	  .warning = PASSTHROUGH("iommu.passthrough=Enable") },
	{ .name = "reads iommu.passthrough=disable as off",
	  .argv = { "-p", "--append=iommu.passthrough=disable",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "iommu.passthrough=disable " KQ_KEEP "0000:01:00.0" },
	{ .name = "takes option arguments as separate words",
	  .argv = { "-p", "--command-line", "quiet", "--smmu-kdump-keep",
		    "sid:1", "--smmu-kdump-keep-path", "%R/mnt/vda",
		    "--smmu-kdump-mode", "keep-quiesced", "Image" },
	  .cmdline = "quiet " KQ_KEEP "sid:0x1,0000:01:00.0" },
	{ .name = "appends after --reuse-cmdline and --append",
	  .argv = { "-p", "--reuse-cmdline", "--append=irqpoll",
		    "--smmu-kdump-mode=reset", "Image" },
	  .reuse = "console=ttyAMA0 root=/dev/vda1",
	  .cmdline = "console=ttyAMA0 root=/dev/vda1 irqpoll arm_smmu_v3.kdump_mode=reset" },
	{ .name = "accepts the options after the kernel image",
	  .argv = { "-p", "Image", "--smmu-kdump-keep=sid:2",
		    "--append=nr_cpus=1" },
	  .cmdline = "nr_cpus=1 " KQ_KEEP "sid:0x2" },
	{ .name = "collects repeated keep options in order",
	  .argv = { "-p", "--smmu-kdump-keep=sid:2",
		    "--smmu-kdump-keep-path=%R/mnt/vda",
		    "--smmu-kdump-keep=sid:1,02:00.0", "Image" },
	  .cmdline = KQ_KEEP "sid:0x2,0000:01:00.0,sid:0x1,0000:02:00.0" },
	{ .name = "rejects two different --smmu-kdump-mode",
	  .argv = { "-p", "--smmu-kdump-mode=reset",
		    "--smmu-kdump-mode=keep-all", "Image" },
	  .error = "kexec: --smmu-kdump-mode=keep-all: conflicts with --smmu-kdump-mode=reset given before it" },
	{ .name = "takes an empty --smmu-kdump-mode as the default, with a warning",
	  .argv = { "-p", "--append=quiet", "--smmu-kdump-mode=", "Image" },
	  .cmdline = "quiet " KQ,
	  .warning = "kexec: warning: --smmu-kdump-mode=: no mode given; the default, keep-quiesced, is used" },
	{ .name = "loads with a warning for an altname of 17 characters",
	  .argv = { "-p", "--append=quiet",
		    "--smmu-kdump-keep-netdev=enP32768p1s0f0np0,eth0", "Image" },
	  .cmdline = "quiet " KQ_KEEP "0000:08:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=enP32768p1s0f0np0,eth0: no network interface enP32768p1s0f0np0 on this system (kexec looks up altnames of up to 15 characters only: name the interface by its name); not kept" },
	{ .name = "accepts the same --smmu-kdump-mode twice",
	  .argv = { "-p", "--smmu-kdump-mode=reset",
		    "--smmu-kdump-mode=reset", "Image" },
	  .cmdline = "arm_smmu_v3.kdump_mode=reset" },
	{ .name = "passes the policy with kexec_file_load",
	  .argv = { "-p", "-s", "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0" },
	{ .name = "leaves the command line alone without the options",
	  .argv = { "-p", "--append=arm_smmu_v3.kdump_mode=reset", "Image" },
	  .cmdline = "arm_smmu_v3.kdump_mode=reset" },
	{ .name = "keeps --serial when --kexec-file-syscall follows it",
	  .argv = { "-l", "--serial=ttyAMA0", "--kexec-file-syscall", "Image" },
	  .console = "ttyAMA0" },
	{ .name = "rejects the options with -l",
	  .argv = { "-l", "--smmu-kdump-mode=reset", "Image" },
	  .error = "kexec: the --smmu-kdump-* options only apply to a crash kernel, load it with -p (--load-panic)" },
	{ .name = "rejects the options without a load option",
	  .argv = { "--smmu-kdump-keep-path=%R/mnt/vda", "Image" },
	  .error = "kexec: the --smmu-kdump-* options only apply to a crash kernel, load it with -p (--load-panic)" },
	{ .name = "replaces kdump_mode given in --append, with a warning",
	  .argv = { "-p", "--append=arm_smmu_v3.kdump_mode=reset quiet",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "quiet " KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: arm_smmu_v3.kdump_mode=reset is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "removes kdump_keep found by --reuse-cmdline, with a warning",
	  .argv = { "-p", "--reuse-cmdline", "--smmu-kdump-mode=reset",
		    "Image" },
	  .reuse = "root=/dev/vda1 arm_smmu_v3.kdump_keep=sid:1",
	  .cmdline = "root=/dev/vda1 arm_smmu_v3.kdump_mode=reset",
	  .warning = "kexec: warning: arm_smmu_v3.kdump_keep=sid:1 is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "replaces kdump_keep of the system kernel's command line (kdump-tools copies it)",
	  .argv = { "-p", "--reuse-cmdline", "--smmu-kdump-keep=01:00.0",
		    "Image" },
	  .reuse = "root=/dev/vda1 arm-smmu-v3.kdump-keep=0000:01:00.0 quiet",
	  .cmdline = "root=/dev/vda1 quiet " KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: arm-smmu-v3.kdump-keep=0000:01:00.0 is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },
	{ .name = "strict: rejects kdump_keep found by --reuse-cmdline",
	  .argv = { "-p", "--reuse-cmdline", "--smmu-kdump-mode=reset",
		    "--smmu-kdump-strict", "Image" },
	  .reuse = "root=/dev/vda1 arm_smmu_v3.kdump_keep=sid:1",
	  .error = "kexec: arm_smmu_v3.kdump_keep=sid:1 is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "warns about keep options with mode keep-all, ignores them",
	  .argv = { "-p", "--smmu-kdump-mode=keep-all",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: --smmu-kdump-mode=keep-all keeps no list of devices, the --smmu-kdump-keep* options need --smmu-kdump-mode=keep-quiesced; they are ignored" },
	{ .name = "warns about a duplicate item and a trailing comma, loads",
	  .argv = { "-p", "--smmu-kdump-keep=01:00.0,", "--smmu-kdump-keep",
		    "0000:01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=01:00.0,: empty item in the list; skipped\n"
		     "kexec: warning: --smmu-kdump-keep=0000:01:00.0: duplicate item 0000:01:00.0 (already given by --smmu-kdump-keep=01:00.0,); ignored" },

	/* init's arguments after a bare -- */
	{ .name = "puts the policy before a bare -- (init's arguments)",
	  .argv = { "-p", "--append=root=/dev/vda1 -- single",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "root=/dev/vda1 " KQ_KEEP "0000:01:00.0 -- single" },
	{ .name = "puts the policy before -- at the start, leaves init's words alone",
	  .argv = { "-p", "--append=-- arm_smmu_v3.kdump_mode=reset",
		    "--smmu-kdump-mode=keep-all", "Image" },
	  .cmdline = "arm_smmu_v3.kdump_mode=keep-all -- arm_smmu_v3.kdump_mode=reset" },
	{ .name = "takes a quoted -- as part of a word, as the kernel does",
	  .argv = { "-p", "--reuse-cmdline", "--append=x=\"a -- b\" -- 1",
		    "--smmu-kdump-mode=reset", "Image" },
	  .reuse = "root=/dev/vda1  arm_smmu_v3.kdump_mode=keep-all",
	  .cmdline = "root=/dev/vda1 x=\"a -- b\" arm_smmu_v3.kdump_mode=reset -- 1",
	  .warning = "kexec: warning: arm_smmu_v3.kdump_mode=keep-all is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },

	/* the kernel's word splitting: quotes, tabs and newlines */
	{ .name = "puts the policy before a word that leaves a quote open, with a warning",
	  .argv = { "-p", "--append=root=/dev/vda1 foo=\"bar -- baz",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "root=/dev/vda1 " KQ_KEEP "0000:01:00.0 foo=\"bar -- baz",
	  .warning = "kexec: warning: the command line ends inside a quote, in foo=\"bar -- baz; the --smmu-kdump-* parameters are put before that word, where the crash kernel reads them" },
	{ .name = "strict: rejects a command line that ends inside a quote",
	  .argv = { "-p", "--append=root=/dev/vda1 foo=\"bar baz",
		    "--smmu-kdump-strict", "--smmu-kdump-mode=reset", "Image" },
	  .error = "kexec: the command line ends inside a quote, in foo=\"bar baz" },
	{ .name = "takes a quoted \"--\" as the start of init's arguments, as the kernel does",
	  .argv = { "-p", "--append=root=x \"--\" single",
		    "--smmu-kdump-mode=reset", "Image" },
	  .cmdline = "root=x arm_smmu_v3.kdump_mode=reset \"--\" single" },
	{ .name = "splits words at tabs and newlines",
	  .argv = { "-p", "--reuse-cmdline", "--smmu-kdump-mode=keep-all",
		    "Image" },
	  .reuse = "a=1\tb=2\n arm_smmu_v3.kdump_mode=reset\tc=3",
	  .cmdline = "a=1 b=2 c=3 arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: arm_smmu_v3.kdump_mode=reset is already on the command line, it conflicts with the --smmu-kdump-* options; it is removed" },

	/* the crash kernel's command line holds 2047 characters */
	{ .name = "keeps the full form in a line of exactly 2047 characters",
	  .argv = { "-p", "--append=x=" A1959,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1959 " " KQ_KEEP "0000:01:00.0,0000:02:00.0" },
	{ .name = "-s: keeps the full form in a line of exactly 2047 characters",
	  .argv = { "-p", "-s", "--append=x=" A1959,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1959 " " KQ_KEEP "0000:01:00.0,0000:02:00.0" },
	{ .name = "shortens a line that would be 2048 characters",
	  .argv = { "-p", "--append=x=" A1960,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1960 " " KQ_KEEP "01:00.0,02:00.0" },
	{ .name = "-s: shortens a line that would be 2048 characters",
	  .argv = { "-p", "-s", "--append=x=" A1960,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1960 " " KQ_KEEP "01:00.0,02:00.0" },
	{ .name = "passes the mode alone in a line of exactly 2047 characters",
	  .argv = { "-p", "--append=x=" A2016, "--smmu-kdump-mode=reset",
		    "Image" },
	  .cmdline = "x=" A2016 " arm_smmu_v3.kdump_mode=reset" },
	{ .name = "-s: leaves the mode out of a line that would be 2048 characters",
	  .argv = { "-p", "-s", "--append=x=" A2017,
		    "--smmu-kdump-mode=reset", "Image" },
	  .cmdline = "x=" A2017,
	  .warning = "kexec: warning: with arm_smmu_v3.kdump_mode=reset the crash kernel's command line would be 2048 bytes, more than the 2047 it can hold: the --smmu-kdump-* parameters are left out, the crash kernel runs in its default mode, keep-quiesced, and keeps no device" },

	/* the kernel takes 1024 characters in the value of kdump_keep= */
	{ .name = "keeps a kdump_keep= value of exactly 1024 characters",
	  .argv = { "-p", "--smmu-kdump-keep=" SIDS92 ",sid:0x100000",
		    "Image" },
	  .cmdline = KQ_KEEP SIDS92 ",sid:0x100000" },
	{ .name = "leaves out a kdump_keep= value of 1025 characters, with a warning",
	  .argv = { "-p", "-s", "--smmu-kdump-keep=" SIDS92 ",sid:0x1000000",
		    "Image" },
	  .cmdline = KQ, .warning = KEEP_VALUE_TOO_LONG(1025),
	  .preview = POLICY "arm_smmu_v3.kdump_keep= is too long for the crash kernel, no device is kept (see the warnings)\n" },
	{ .name = "leaves out 100 StreamIDs (1099 characters) in a short line",
	  .argv = { "-p", "--append=root=/dev/vda1 -- single",
		    "--smmu-kdump-keep=" SIDS100, "Image" },
	  .cmdline = "root=/dev/vda1 " KQ " -- single",
	  .warning = KEEP_VALUE_TOO_LONG(1099) },
	{ .name = "shortens PCI functions of segment 0 to fit 1024 characters",
	  .argv = { "-p", "--smmu-kdump-keep=" SIDS90
		    ",sid:0x100000,01:00.0,02:00.0", "Image" },
	  .cmdline = KQ_KEEP SIDS90 ",sid:0x100000,01:00.0,02:00.0" },
	{ .name = "check: exits 2 if kdump_keep= is too long for a parameter",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep=" SIDS100 },
	  .check = 1, .status = 2, .warning = KEEP_VALUE_TOO_LONG(1099) },
	{ .name = "shortens PCI functions of segment 0 to fit 2047 characters",
	  .argv = { "-p", "-s", "--append=x=" A1968,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1968 " " KQ_KEEP "01:00.0,02:00.0" },
	{ .name = "-s: leaves kdump_keep out if it does not fit, with a warning",
	  .argv = { "-p", "-s", "--append=x=" A1990,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1990 " " KQ, .warning = KEEP_TOO_LONG,
	  .preview = POLICY "arm_smmu_v3.kdump_keep= is too long for the crash kernel, no device is kept (see the warnings)\n"
		POLICY "abort 0000:01:00.0 " },
	{ .name = "kexec_load: leaves kdump_keep out if it does not fit, with a warning",
	  .argv = { "-p", "--append=x=" A1990,
		    "--smmu-kdump-keep=01:00.0,02:00.0", "Image" },
	  .cmdline = "x=" A1990 " " KQ, .warning = KEEP_TOO_LONG },
	{ .name = "leaves the policy out if the mode does not fit, with a warning",
	  .argv = { "-p", "--append=x=" A2020, "--smmu-kdump-mode=reset",
		    "Image" },
	  .cmdline = "x=" A2020,
	  .warning = "kexec: warning: with arm_smmu_v3.kdump_mode=reset the crash kernel's command line would be 2051 bytes, more than the 2047 it can hold: the --smmu-kdump-* parameters are left out, the crash kernel runs in its default mode, keep-quiesced, and keeps no device",
	  .preview = POLICY "mode keep-quiesced: " },
	{ .name = "leaves a command line too long without the policy as it is",
	  .argv = { "-p", "-s", "--append=x=" A2100,
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = "x=" A2100,
	  .warning = "kexec: warning: the crash kernel's command line is 2102 bytes without the --smmu-kdump-* parameters, more than the 2047 it can hold: they are left out" },
	{ .name = "rejects an unknown mode",
	  .argv = { "-p", "--smmu-kdump-mode=inherit", "Image" },
	  .error = "kexec: --smmu-kdump-mode=inherit: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "warns about an unknown PCI device, loads the rest",
	  .argv = { "-p", "--smmu-kdump-keep=0000:0a:00.0,01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep=0000:0a:00.0,01:00.0: no PCI device 0000:0a:00.0 on this system; not kept" },
	{ .name = "strict: rejects an unknown PCI device",
	  .argv = { "-p", "--smmu-kdump-keep=0000:0a:00.0,01:00.0",
		    "--smmu-kdump-strict", "Image" },
	  .error = "kexec: --smmu-kdump-keep=0000:0a:00.0,01:00.0: no PCI device 0000:0a:00.0 on this system" },
	{ .name = "warns about a device without IOMMU, passes the mode alone",
	  .argv = { "-p", "--smmu-kdump-keep=05:00.0", "Image" },
	  .cmdline = KQ,
	  .warning = "kexec: warning: --smmu-kdump-keep=05:00.0: PCI device 0000:05:00.0 is not behind an SMMUv3 (it has no IOMMU); not kept" },
	{ .name = "warns about a sid on no SMMUv3, listing the SMMUv3s",
	  .argv = { "-p", "--smmu-kdump-keep=sid:1@0x1000", "Image" },
	  .cmdline = KQ,
	  .warning = "kexec: warning: --smmu-kdump-keep=sid:1@0x1000: no SMMUv3 at 0x1000 on this system (its SMMUv3s are at 0x9050000, 0xa000000, 0xc000000); not kept" },
	{ .name = "warns about an empty --smmu-kdump-keep, loads",
	  .argv = { "-p", "--smmu-kdump-keep=", "Image" },
	  .cmdline = KQ,
	  .warning = "kexec: warning: --smmu-kdump-keep=: no device given; nothing is kept from it" },
	{ .name = "strict: rejects an empty --smmu-kdump-keep",
	  .argv = { "-p", "--smmu-kdump-keep=", "--smmu-kdump-strict",
		    "Image" },
	  .error = "kexec: --smmu-kdump-keep=: no device given" },
	{ .name = "warns about empty --smmu-kdump-keep-path and -netdev, loads",
	  .argv = { "-p", "--smmu-kdump-keep-path=",
		    "--smmu-kdump-keep-netdev=", "--smmu-kdump-keep=01:00.0",
		    "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-path=: no path given; nothing is kept from it\n"
		     "kexec: warning: --smmu-kdump-keep-netdev=: no interface given; nothing is kept from it" },
	{ .name = "strict: rejects an empty --smmu-kdump-keep-netdev",
	  .argv = { "-p", "--smmu-kdump-strict", "--smmu-kdump-keep-netdev=",
		    "Image" },
	  .error = "kexec: --smmu-kdump-keep-netdev=: no interface given" },
	{ .name = "check: a bridge with a vxlan port warns, exits 0",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep-netdev=br2" },
	  .check = 1, .status = 0,
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=br2: network interface vx0 is a vxlan tunnel, its traffic leaves through another interface: name that one too" },
	{ .name = "keeps once a device named by address and by path",
	  .argv = { "-p", "--smmu-kdump-keep=01:00.0",
		    "--smmu-kdump-keep-path=%R/mnt/vda/var/crash", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0" },
	{ .name = "warns about a path not on a PCI device",
	  .argv = { "-p", "--smmu-kdump-keep-path=%R/mnt/loop", "Image" },
	  .cmdline = KQ,
	  .warning = "kexec: warning: --smmu-kdump-keep-path=%R/mnt/loop: block device loop0 is not on a PCI device; not kept" },
	{ .name = "warns about a path on NFS, pointing to the netdev option",
	  .argv = { "-p", "--smmu-kdump-keep-path=%R/mnt/nfs",
		    "--smmu-kdump-keep-netdev=eth0", "Image" },
	  .cmdline = KQ_KEEP "0000:08:00.0",
	  .warning = "kexec: warning: --smmu-kdump-keep-path=%R/mnt/nfs: %R/mnt/nfs is on a network file system (nfs4 from server:/export), keep its network interface with --smmu-kdump-keep-netdev instead; not kept" },
	{ .name = "keeps a block device node", .nodes = 1,
	  .argv = { "-p", "--smmu-kdump-keep-path=%R/dev/nvme0n1", "Image" },
	  .cmdline = KQ_KEEP "0000:02:00.0" },
	{ .name = "keeps a /dev/disk/by-id link", .nodes = 1,
	  .argv = { "-p", "--smmu-kdump-keep-path=%R/dev/disk/by-id/virtio-dump",
		    "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0" },
	{ .name = "keeps the devices below a bond, repeated and listed",
	  .argv = { "-p", "--smmu-kdump-keep-netdev=bond0",
		    "--smmu-kdump-keep-netdev", "eth0,eth0.100", "Image" },
	  .cmdline = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000" },
	{ .name = "warns about lo",
	  .argv = { "-p", "--smmu-kdump-keep-netdev=lo", "Image" },
	  .cmdline = KQ,
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=lo: network interface lo has no device and no lower interface (a virtual interface such as lo or a tunnel); not kept" },
	{ .name = "strict: rejects lo",
	  .argv = { "-p", "--smmu-kdump-strict", "--smmu-kdump-keep-netdev=lo",
		    "Image" },
	  .error = "kexec: --smmu-kdump-keep-netdev=lo: network interface lo has no device and no lower interface (a virtual interface such as lo or a tunnel)" },
	{ .name = "warns on a system without SMMUv3, passes the mode",
	  .fixture = FIX_SMMUV2_ONLY,
	  .argv = { "-p", "--smmu-kdump-mode=keep-all", "Image" },
	  .cmdline = "arm_smmu_v3.kdump_mode=keep-all",
	  .warning = "kexec: warning: there is no SMMUv3 in /sys/class/iommu on this system, the --smmu-kdump-* options keep no device here" },
	{ .name = "strict: rejects a system without SMMUv3",
	  .fixture = FIX_SMMUV2_ONLY,
	  .argv = { "-p", "--smmu-kdump-mode=keep-all", "--smmu-kdump-strict",
		    "Image" },
	  .error = "kexec: the --smmu-kdump-* options need an SMMUv3, but there is none in /sys/class/iommu on this system" },
	{ .name = "prints the policy on stderr when loading",
	  .argv = { "-p", "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .preview = KEEP_01 "--smmu-kdump-keep=01:00.0\n"
		POLICY "abort 0000:02:00.0 (StreamID 0x200 on the SMMUv3 at 0x9050000)\n" },
	{ .name = "warns about an aborted device the crash kernel cannot reset (no FLR)",
	  .argv = { "-p", "--smmu-kdump-keep=01:00.0", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0",
	  .preview = POLICY "abort 0001:00:1f.7 (on the SMMUv3 at 0xa000000)\n"
		POLICY "warning: 0001:00:1f.7 has no FLR (reset_method \"pm bus\"): the crash kernel does not reset it, its driver there must quiesce it, as without SMMUv3 kdump support\n" },

	{ .name = "a function whose StreamID is unknown may be a sid: item's",
	  .argv = { "-p", "--smmu-kdump-keep=01:00.0,sid:0x5@0xa000000",
		    "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0,sid:0x5@0xa000000",
	  .preview = POLICY "abort 0001:00:1f.7 (on the SMMUv3 at 0xa000000) unless a sid: item names its StreamID, which is not known here (no iommu-map)\n" },

	/* --smmu-kdump-check */
	{ .name = "check: prints the policy on stdout, exits 0, no image",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep=01:00.0" },
	  .check = 1, .status = 0,
	  .preview = KEEP_01 "--smmu-kdump-keep=01:00.0\n" },
	{ .name = "check: with -p and an image, loads nothing and fails",
	  .argv = { "-p", "--smmu-kdump-keep-netdev=eth0", "--smmu-kdump-check",
		    "Image" },
	  .check = 1, .status = 1,
	  .error = "kexec: --smmu-kdump-check only checks the policy: Image is not loaded",
	  .preview = POLICY "keep 0000:08:00.0 (StreamID 0x800 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep-netdev=eth0\n" },
	{ .name = "check: alone, shows the default mode",
	  .argv = { "--smmu-kdump-check" }, .check = 1, .status = 0,
	  .preview = POLICY "mode keep-quiesced: " },
	{ .name = "check: exits 2 if an item does not resolve",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep=09:00.0,01:00.0" },
	  .check = 1, .status = 2,
	  .warning = "kexec: warning: --smmu-kdump-keep=09:00.0,01:00.0: no PCI device 0000:09:00.0 on this system; not kept",
	  .preview = KEEP_01 "--smmu-kdump-keep=09:00.0,01:00.0\n" },
	{ .name = "check: exits 2 if the crash kernel boots in passthrough",
	  .argv = { "--smmu-kdump-check", "--append=iommu.passthrough=y",
		    "--smmu-kdump-keep=01:00.0" },
	  .check = 1, .status = 2, .warning = PASSTHROUGH("iommu.passthrough=y"),
	  .preview = KEEP_01 "--smmu-kdump-keep=01:00.0\n",
	  .not_preview = "did not resolve" },
	{ .name = "check: exits 2 if kdump_keep does not fit",
	  .argv = { "--smmu-kdump-check", "--append=x=" A1990,
		    "--smmu-kdump-keep=01:00.0,02:00.0" },
	  .check = 1, .status = 2, .warning = KEEP_TOO_LONG },
	{ .name = "check: a bridge with a tap resolves, exits 0",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep-netdev=br0" },
	  .check = 1, .status = 0,
	  .preview = POLICY "keep sid:0x42@0x9050000 (StreamID 0x42 on the SMMUv3 at 0x9050000) from --smmu-kdump-keep-netdev=br0\n" },
	{ .name = "strict: a bridge with a tap loads",
	  .argv = { "-p", "--smmu-kdump-strict",
		    "--smmu-kdump-keep-netdev=br0", "Image" },
	  .cmdline = KQ_KEEP "0000:08:00.0,sid:0x42@0x9050000" },
	{ .name = "keeps a virtio-mmio dump disk by the StreamID of its platform device",
	  .argv = { "-p", "--smmu-kdump-keep-path=%R/mnt/mmio", "Image" },
	  .cmdline = KQ_KEEP "sid:0x77@0x9050000" },
	{ .name = "keeps a USB NIC on a platform xHCI by the xHCI's StreamID",
	  .argv = { "-p", "--smmu-kdump-keep-netdev=usb0", "Image" },
	  .cmdline = KQ_KEEP "sid:0x88@0x9050000",
	  .warning = "kexec: warning: --smmu-kdump-keep-netdev=usb0: network interface usb0 is on platform device xhci-hcd.0.auto, which is in an identity (bypass) domain, the crash kernel will abort its DMA instead of keeping it" },
	{ .name = "check: an SMMUv3 missing from /proc/iomem aborts its devices",
	  .fixture = FIX_NOT_IN_IOMEM,
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep=01:00.0" },
	  .check = 1, .status = 2,
	  .warning = "kexec: warning: SMMUv3 smmuv3-e0 (device 9050000.smmuv3) has no registers in /proc/iomem, the devices behind it are not kept",
	  .preview = POLICY "SMMUv3 smmuv3-e0 is not in /proc/iomem: the crash kernel aborts the DMA of every device behind it that a sid: item without @ADDR does not keep\n"
		POLICY "abort 0000:01:00.0 (on SMMUv3 smmuv3-e0)\n" },
	{ .name = "check: exits 1 on a malformed item",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-keep=1:2:3" },
	  .check = 1, .status = 1,
	  .error = "kexec: --smmu-kdump-keep=1:2:3: malformed item \"1:2:3\", expected [SSSS:]BB:DD.F, sid:N or sid:N@ADDR" },
	{ .name = "check: exits 1 under strict if an item does not resolve",
	  .argv = { "--smmu-kdump-check", "--smmu-kdump-strict",
		    "--smmu-kdump-keep-path=%R/mnt/tmp" },
	  .check = 1, .status = 1,
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/tmp: %R/mnt/tmp is on tmpfs, which is in memory, not on a device" },
};

#define NR_CASES	(sizeof(cases) / sizeof(cases[0]))

static int argc_;
static char **argv_;

/*
 * kexec/kexec.c's get_kexec_flags(): main() has set KEXEC_ON_CRASH for -p
 * (--load-panic) when it calls arch_process_options(), and the cases here
 * load with -p, -l or nothing.  main-test.c runs kexec.c's own main().
 */
unsigned long get_kexec_flags(void)
{
	int i;

	for (i = 1; i < argc_; i++)
		if (!strcmp(argv_[i], "-p") ||
		    !strcmp(argv_[i], "--load-panic"))
			return KEXEC_ON_CRASH;
	return 0;
}

#define CMDLINE_MARK	"TEST: command line: "
#define LOAD_MARK	"TEST: kexec_load command line: "
#define CONSOLE_MARK	"TEST: console: "

static int call_options(void *unused)
{
	char *load;
	int result;

	/* kexec's main() resets getopt the same way before each pass. */
	opterr = 1;
	optind = 0;
	result = arch_process_options(argc_, argv_);

	if (arm64_opts.command_line)
		printf(CMDLINE_MARK "%s\n", arm64_opts.command_line);
	load = load_command_line();
	if (load)
		printf(LOAD_MARK "%s\n", load);
	free(load);
	if (arm64_opts.console)
		printf(CONSOLE_MARK "%s\n", arm64_opts.console);
	fflush(stdout);
	return result;
}

/* reported(OUT, MARK): what the child reported after MARK, or NULL */
static char *reported(const char *out, const char *mark)
{
	const char *p;

	for (p = out; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, mark, strlen(mark)))
			return strndup(p + strlen(mark),
				       strcspn(p + strlen(mark), "\n"));
	return NULL;
}

/* want(A, B, ROOT): "A\nB\n" with %R expanded, either may be NULL */
static char *want(const char *a, const char *b, const char *root)
{
	char *out = xmalloc((a ? strlen(a) : 0) + (b ? strlen(b) : 0) + 3);
	char *expanded;

	sprintf(out, "%s%s%s%s", a ? a : "", a ? "\n" : "", b ? b : "",
		b ? "\n" : "");
	expanded = test_expand(out, root);
	free(out);
	return expanded;
}

static void run_case(const struct ocase *k)
{
	const char *root = test_root(k->fixture);
	char *args[12] = { "kexec" }, *want_err, *want_preview, *err;
	char *out = NULL, *msgs, *preview, *line, *console, *load;
	char diag[16384] = "";
	size_t len = 0;
	int i, result, ok = 1;

	if (k->nodes && !test_have_nodes()) {
		test_skip(k->name, "cannot create device nodes (not root)");
		return;
	}

	smmu_kdump_root = root;
	reuse_line = k->reuse ? k->reuse : "";
	memset(&arm64_opts, 0, sizeof(arm64_opts));

	for (i = 0; k->argv[i]; i++)
		args[i + 1] = test_expand(k->argv[i], root);
	argc_ = i + 1;
	argv_ = args;

	want_err = want(k->warning, k->error, root);
	want_preview = test_expand(k->preview, root);
	/* A check exits, and so does a refused policy, whatever kexec does. */
	result = test_child(call_options, NULL, &out, &err);
	line = reported(out, CMDLINE_MARK);
	load = reported(out, LOAD_MARK);
	console = reported(out, CONSOLE_MARK);
	msgs = test_lines(err, POLICY, 0);
	preview = test_lines(k->check ? out : err, POLICY, 1);

#define DIAG(...) test_diag(diag, &len, sizeof(diag), __VA_ARGS__)
	if (k->check) {
		if (result != k->status) {
			ok = 0;
			DIAG("# expected exit status %d, got %d\n", k->status,
			     result);
		}
		char *on_stderr = test_lines(err, POLICY, 1);

		if (*on_stderr) {
			ok = 0;
			DIAG("# policy printed on stderr with --smmu-kdump-check\n");
		}
		free(on_stderr);
	} else if (k->error) {
		if (!result) {
			ok = 0;
			DIAG("# expected failure, got command line \"%s\"\n",
			     line ? line : "(none)");
		}
	} else {
		if (result) {
			ok = 0;
			DIAG("# expected success, got %d: %s\n", result, err);
		}
		if (!k->cmdline != !line ||
		    (k->cmdline && strcmp(k->cmdline, line))) {
			ok = 0;
			DIAG("# expected command line \"%s\"\n#      got command line \"%s\"\n",
			     k->cmdline ? k->cmdline : "(none)",
			     line ? line : "(none)");
		}
		if (k->load ? !load || strcmp(k->load, load) :
		    !line != !load || (line && strcmp(line, load))) {
			ok = 0;
			DIAG("# expected kexec_load command line \"%s\"\n#      got kexec_load command line \"%s\"\n",
			     k->load ? k->load : line ? line : "(none)",
			     load ? load : "(none)");
		}
		if (line && strlen(line) > COMMAND_LINE_SIZE - 1 &&
		    !strstr(want_err, "without the --smmu-kdump-* parameters")) {
			ok = 0;
			DIAG("# command line of %zu characters, more than %d\n",
			     strlen(line),
			     COMMAND_LINE_SIZE - 1);
		}
		if (line && strstr(line, "kdump_keep=") &&
		    strcspn(strstr(line, "kdump_keep=") + 11, " ") > 1024) {
			ok = 0;
			DIAG("# kdump_keep= value of %zu characters, more than 1024\n",
			     strcspn(strstr(line, "kdump_keep=") + 11, " "));
		}
		if (k->console && (!console ||
				   strcmp(k->console, console))) {
			ok = 0;
			DIAG("# expected console \"%s\", got \"%s\"\n",
			     k->console, console ? console : "(none)");
		}
	}
	if (strcmp(msgs, want_err)) {
		ok = 0;
		DIAG("# expected stderr \"%s\"\n#      got stderr \"%s\"\n",
		     want_err, msgs);
	}
	if (k->not_preview && strstr(preview, k->not_preview)) {
		ok = 0;
		DIAG("# not expected in the policy \"%s\"\n#      got policy \"%s\"\n",
		     k->not_preview, preview);
	}
	if (want_preview && !strstr(preview, want_preview)) {
		ok = 0;
		DIAG("# expected in the policy \"%s\"\n#      got policy \"%s\"\n",
		     want_preview, preview);
	}

	test_report(ok, k->name, diag);

	free(line);
	free(console);
	free(load);
	for (i = 1; i < argc_; i++)
		free(args[i]);
	free(want_err);
	free(want_preview);
	free(err);
	free(out);
	free(msgs);
	free(preview);
}

static int call_usage(void *unused)
{
	arch_usage();
	return 0;
}

static void test_usage(void)
{
	const char *const want[] = {
		"     --smmu-kdump-mode=MODE\n",
		"     --smmu-kdump-keep=LIST\n",
		"     --smmu-kdump-keep-path=PATH\n",
		"     --smmu-kdump-keep-netdev=LIST\n",
		"     --smmu-kdump-strict ",
		"     --smmu-kdump-check ",
		"keep-quiesced (default), keep-all or reset",
		"[SSSS:]BB:DD.F, sid:N or sid:N@ADDR",
	};
	char diag[1024] = "";
	size_t i, len = 0;
	int result, ok = 1;
	char *out;

	out = test_capture(1, call_usage, NULL, &result);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(out, want[i])) {
			ok = 0;
			test_diag(diag, &len, sizeof(diag),
				  "# --help lacks \"%s\"\n", want[i]);
		}
	}
	test_report(ok, "--help lists the --smmu-kdump options", diag);
	free(out);
}

int main(void)
{
	size_t i;

	test_setup();
	write_dtb(test_root(FIX_SMMU));
	test_plan("kexec: arm64 options", NR_CASES + 1);
	for (i = 0; i < NR_CASES; i++)
		run_case(&cases[i]);
	test_usage();
	test_cleanup();
	return test_done();
}
