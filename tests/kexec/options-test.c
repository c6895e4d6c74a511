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

struct ocase {
	const char *name;
	int fixture;
	const char *argv[10];	/* after "kexec"; "%R" is the fixture root */
	const char *reuse;	/* what --reuse-cmdline finds */
	const char *cmdline;	/* expected command line, success */
	const char *console;	/* expected --serial, success */
	const char *error;	/* expected message, failure */
};

#define KQ	"arm_smmu_v3.kdump_mode=keep-quiesced"
#define KQ_KEEP	KQ " arm_smmu_v3.kdump_keep="

static const struct ocase cases[] = {
	{ .name = "appends the mode to --append",
	  .argv = { "-p", "--append=console=ttyAMA0 root=/dev/vda1",
		    "--smmu-kdump-mode=keep-all", "Image" },
	  .cmdline = "console=ttyAMA0 root=/dev/vda1 arm_smmu_v3.kdump_mode=keep-all" },
	{ .name = "appends the policy with --load-panic and no --append",
	  .argv = { "--load-panic", "--smmu-kdump-keep=01:00.0",
		    "--smmu-kdump-keep-path=%R/mnt/nvme/crash", "Image" },
	  .cmdline = KQ_KEEP "0000:01:00.0,0000:02:00.0" },
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
	{ .name = "uses the last --smmu-kdump-mode",
	  .argv = { "-p", "--smmu-kdump-mode=reset",
		    "--smmu-kdump-mode=keep-all", "Image" },
	  .cmdline = "arm_smmu_v3.kdump_mode=keep-all" },
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
	{ .name = "rejects kdump_mode given in --append",
	  .argv = { "-p", "--append=arm_smmu_v3.kdump_mode=reset",
		    "--smmu-kdump-keep=01:00.0", "Image" },
	  .error = "kexec: arm_smmu_v3.kdump_mode=reset is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "rejects kdump_keep found by --reuse-cmdline",
	  .argv = { "-p", "--reuse-cmdline", "--smmu-kdump-mode=reset",
		    "Image" },
	  .reuse = "root=/dev/vda1 arm_smmu_v3.kdump_keep=sid:1",
	  .error = "kexec: arm_smmu_v3.kdump_keep=sid:1 is already on the command line, it conflicts with the --smmu-kdump-* options" },
	{ .name = "rejects an unknown mode",
	  .argv = { "-p", "--smmu-kdump-mode=inherit", "Image" },
	  .error = "kexec: --smmu-kdump-mode=inherit: unknown mode, expected keep-quiesced, keep-all or reset" },
	{ .name = "rejects an unknown PCI device",
	  .argv = { "-p", "--smmu-kdump-keep=0000:0a:00.0", "Image" },
	  .error = "kexec: --smmu-kdump-keep=0000:0a:00.0: no PCI device 0000:0a:00.0 on this system" },
	{ .name = "rejects a device named by address and by path",
	  .argv = { "-p", "--smmu-kdump-keep=01:00.0",
		    "--smmu-kdump-keep-path=%R/mnt/vda/var/crash", "Image" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/vda/var/crash: duplicate item 0000:01:00.0 (already given by --smmu-kdump-keep=01:00.0)" },
	{ .name = "rejects a path not on a PCI device",
	  .argv = { "-p", "--smmu-kdump-keep-path=%R/mnt/loop", "Image" },
	  .error = "kexec: --smmu-kdump-keep-path=%R/mnt/loop: block device loop0 is not on a PCI device" },
	{ .name = "rejects the options on a system without SMMUv3",
	  .fixture = FIX_SMMUV2_ONLY,
	  .argv = { "-p", "--smmu-kdump-mode=keep-all", "Image" },
	  .error = "kexec: the --smmu-kdump-* options need an SMMUv3, but there is no /sys/class/iommu/smmu3.* on this system" },
};

#define NR_CASES	(sizeof(cases) / sizeof(cases[0]))

static int argc_;
static char **argv_;

static int call_options(void *unused)
{
	/* kexec's main() resets getopt the same way before each pass. */
	opterr = 1;
	optind = 0;
	return arch_process_options(argc_, argv_);
}

static void run_case(const struct ocase *k)
{
	const char *root = test_root(k->fixture);
	char *args[12] = { "kexec" }, *want_err, *err;
	char diag[8192] = "";
	size_t len = 0;
	int i, result, ok = 1;

	smmu_kdump_root = root;
	reuse_line = k->reuse ? k->reuse : "";
	memset(&arm64_opts, 0, sizeof(arm64_opts));

	for (i = 0; k->argv[i]; i++)
		args[i + 1] = test_expand(k->argv[i], root);
	argc_ = i + 1;
	argv_ = args;

	want_err = test_expand(k->error, root);
	err = test_capture(2, call_options, NULL, &result);

#define DIAG(...) test_diag(diag, &len, sizeof(diag), __VA_ARGS__)
	if (k->error) {
		if (!result) {
			ok = 0;
			DIAG("# expected failure, got command line \"%s\"\n",
			     arm64_opts.command_line);
		}
		if (strncmp(err, want_err, strlen(want_err)) ||
		    strcmp(err + strlen(want_err), "\n")) {
			ok = 0;
			DIAG("# expected stderr \"%s\"\n#      got stderr \"%s\"\n",
			     want_err, err);
		}
	} else {
		if (result) {
			ok = 0;
			DIAG("# expected success, got %d: %s\n", result, err);
		}
		if (!k->cmdline != !arm64_opts.command_line ||
		    (k->cmdline && strcmp(k->cmdline,
					  arm64_opts.command_line))) {
			ok = 0;
			DIAG("# expected command line \"%s\"\n#      got command line \"%s\"\n",
			     k->cmdline ? k->cmdline : "(none)",
			     arm64_opts.command_line ?
			     arm64_opts.command_line : "(none)");
		}
		if (k->console && (!arm64_opts.console ||
				   strcmp(k->console, arm64_opts.console))) {
			ok = 0;
			DIAG("# expected console \"%s\", got \"%s\"\n",
			     k->console, arm64_opts.console ?
			     arm64_opts.console : "(none)");
		}
		if (*err) {
			ok = 0;
			DIAG("# unexpected stderr \"%s\"\n", err);
		}
	}

	test_report(ok, k->name, diag);

	free((char *)arm64_opts.command_line);
	for (i = 1; i < argc_; i++)
		free(args[i]);
	free(want_err);
	free(err);
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
	test_plan("kexec: arm64 options", NR_CASES + 1);
	for (i = 0; i < NR_CASES; i++)
		run_case(&cases[i]);
	test_usage();
	test_cleanup();
	return test_done();
}
