// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of kexec's own main() (kexec/kexec.c, built with main renamed
 * to kexec_main) with the patched arm64 option code, on whole command
 * lines: that a refused --smmu-kdump-* policy ends kexec with a non-zero
 * status and nothing loaded or unloaded whatever the other options (-u,
 * -S), and that the policy applies to what main() loads as a crash kernel
 * (KEXEC_ON_CRASH), not to every command line with -p in it.
 *
 * The kexec_load and kexec_file_load system calls never reach the kernel:
 * run.sh links with --wrap=syscall, and each call is reported on stderr
 * instead.  The kernel's kexec_loaded files are read from the fixture
 * (--wrap=fopen).  The loaders are not linked: the cases never get as far
 * as reading a kernel image.
 */

#define _GNU_SOURCE

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "kexec.h"
#include "kexec-syscall.h"
#include "smmu-kdump.h"
#include "lib.h"

int kexec_main(int argc, char *argv[]);

#define SYSCALL_MARK	"TEST: syscall "

/* What the files that are not linked would do on an arm64 host. */
int xen_present(void)
{
	return 0;
}

int is_crashkernel_mem_reserved(void)
{
	return 1;
}

long physical_arch(void)
{
	return KEXEC_ARCH_ARM64;
}

char *zlib_decompress_file(const char *filename, off_t *r_size)
{
	return NULL;
}

char *zstd_decompress_file(const char *filename, off_t *r_size)
{
	return NULL;
}

char *lzma_decompress_file(const char *filename, off_t *r_size)
{
	return NULL;
}

long __wrap_syscall(long nr, ...)
{
	if (nr == __NR_kexec_load || nr == __NR_kexec_file_load) {
		fprintf(stderr, SYSCALL_MARK "%s\n", nr == __NR_kexec_load ?
			"kexec_load" : "kexec_file_load");
		return 0;
	}
	errno = ENOSYS;
	return -1;
}

static char loaded[PATH_MAX];

FILE *__real_fopen(const char *path, const char *mode);
FILE *__real_fopen64(const char *path, const char *mode);

static const char *fopen_path(const char *path)
{
	if (!strcmp(path, "/sys/kernel/kexec_crash_loaded") ||
	    !strcmp(path, "/sys/kernel/kexec_loaded"))
		return loaded;
	return path;
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	return __real_fopen(fopen_path(path), mode);
}

FILE *__wrap_fopen64(const char *path, const char *mode)
{
	return __real_fopen64(fopen_path(path), mode);
}

/*
 * A case: kexec's arguments ("%R" is the fixture root), the expected exit
 * status (ANY_STATUS: not checked), text expected in stderr and text that
 * must not be there, and how many kexec_load/kexec_file_load calls are
 * expected.
 */
#define ANY_STATUS	-2

struct mcase {
	const char *name;
	const char *argv[10];
	int status;
	const char *has;
	const char *lacks;
	int syscalls;
};

#define MALFORMED "kexec: --smmu-kdump-keep=1:2:3: malformed item \"1:2:3\""
#define NOT_CRASH "kexec: the --smmu-kdump-* options only apply to a crash kernel"
#define KEEP_01	"kexec: smmu-kdump: keep 0000:01:00.0 "

static const struct mcase cases[] = {
	/* a refused policy is never printed and then ignored */
	{ .name = "-p -u: a malformed item exits non-zero, unloads nothing",
	  .argv = { "-p", "-u", "--smmu-kdump-keep=1:2:3" },
	  .status = 255, .has = MALFORMED, .syscalls = 0 },
	{ .name = "-u -p -c: a malformed item exits non-zero, unloads nothing",
	  .argv = { "-u", "-p", "-c", "--smmu-kdump-keep=1:2:3" },
	  .status = 255, .has = MALFORMED, .syscalls = 0 },
	{ .name = "-p -u: a valid policy unloads",
	  .argv = { "-p", "-u", "--smmu-kdump-keep=01:00.0" },
	  .status = 0, .has = KEEP_01, .syscalls = 1 },
	{ .name = "-S -p: an item refused under strict exits non-zero",
	  .argv = { "-S", "-p", "--smmu-kdump-strict",
		    "--smmu-kdump-keep=0000:0a:00.0" },
	  .status = 255,
	  .has = "kexec: --smmu-kdump-keep=0000:0a:00.0: no PCI device 0000:0a:00.0 on this system\n",
	  .syscalls = 0 },
	{ .name = "-S -p: a valid policy reports the status (not loaded: 0)",
	  .argv = { "-S", "-p", "--smmu-kdump-keep=01:00.0" },
	  .status = 0, .syscalls = 0 },
	{ .name = "-S -p: a duplicate item and an empty one are warnings",
	  .argv = { "-S", "-p", "--smmu-kdump-keep=01:00.0,,0000:01:00.0" },
	  .status = 0, .has = "duplicate item 0000:01:00.0; ignored",
	  .syscalls = 0 },
	{ .name = "-S -p: under strict a duplicate item exits non-zero",
	  .argv = { "-S", "-p", "--smmu-kdump-strict",
		    "--smmu-kdump-keep=01:00.0,0000:01:00.0" },
	  .status = 255,
	  .has = "kexec: --smmu-kdump-keep=01:00.0,0000:01:00.0: duplicate item 0000:01:00.0\n",
	  .syscalls = 0 },
	{ .name = "-p -u: an empty --smmu-kdump-mode= is a warning, the default is used",
	  .argv = { "-p", "-u", "--smmu-kdump-mode=", "--smmu-kdump-keep=01:00.0" },
	  .status = 0,
	  .has = "kexec: warning: --smmu-kdump-mode=: no mode given; the default, keep-quiesced, is used\n",
	  .syscalls = 1 },
	{ .name = "-p -u: an altname of 17 characters is a warning",
	  .argv = { "-p", "-u", "--smmu-kdump-keep-netdev=enP32768p1s0f0np0" },
	  .status = 0,
	  .has = "kexec: warning: --smmu-kdump-keep-netdev=enP32768p1s0f0np0: no network interface enP32768p1s0f0np0 on this system (kexec looks up altnames of up to 15 characters only: name the interface by its name); not kept\n",
	  .syscalls = 1 },
	{ .name = "-p: a refused policy loads nothing",
	  .argv = { "-p", "--smmu-kdump-mode=inherit", "Image" },
	  .status = 255, .has = "kexec: --smmu-kdump-mode=inherit: unknown mode",
	  .syscalls = 0 },

	/* the policy follows KEXEC_ON_CRASH */
	{ .name = "-p -s: a crash load with kexec_file_load",
	  .argv = { "-p", "-s", "--smmu-kdump-keep=01:00.0", "%R/no-Image" },
	  .status = ANY_STATUS, .has = KEEP_01, .lacks = NOT_CRASH,
	  .syscalls = 0 },
	{ .name = "-p -c: a crash load with kexec_load",
	  .argv = { "-p", "-c", "--smmu-kdump-keep=01:00.0", "%R/no-Image" },
	  .status = ANY_STATUS, .has = KEEP_01, .lacks = NOT_CRASH,
	  .syscalls = 0 },
	{ .name = "-p --load-preserve-context: not a crash load, refused",
	  .argv = { "-p", "-c", "--load-preserve-context",
		    "--mem-max=0x7fffffff", "--smmu-kdump-keep=01:00.0",
		    "%R/no-Image" },
	  .status = 255, .has = NOT_CRASH, .lacks = KEEP_01, .syscalls = 0 },
	{ .name = "-p -l: still a crash load (-l keeps KEXEC_ON_CRASH)",
	  .argv = { "-p", "-l", "-c", "--smmu-kdump-keep=01:00.0",
		    "%R/no-Image" },
	  .status = ANY_STATUS, .has = KEEP_01, .lacks = NOT_CRASH,
	  .syscalls = 0 },
	{ .name = "-l: not a crash load, refused",
	  .argv = { "-l", "--smmu-kdump-keep=01:00.0", "%R/no-Image" },
	  .status = 255, .has = NOT_CRASH, .syscalls = 0 },
};

#define NR_CASES	(sizeof(cases) / sizeof(cases[0]))

static int argc_;
static char **argv_;

static int call_main(void *unused)
{
	return kexec_main(argc_, argv_);
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (text = strstr(text, what); text; text = strstr(text + 1, what))
		n++;
	return n;
}

static void run_case(const struct mcase *k)
{
	const char *root = test_root(FIX_SMMU);
	char *args[12] = { "kexec" }, *has, *lacks, *out, *err;
	char diag[16384] = "";
	size_t len = 0;
	int i, status, ok = 1;

	smmu_kdump_root = root;
	for (i = 0; k->argv[i]; i++)
		args[i + 1] = test_expand(k->argv[i], root);
	argc_ = i + 1;
	argv_ = args;
	has = test_expand(k->has, root);
	lacks = test_expand(k->lacks, root);

	status = test_child(call_main, NULL, &out, &err);

#define DIAG(...) test_diag(diag, &len, sizeof(diag), __VA_ARGS__)
	if (k->status != ANY_STATUS && status != k->status) {
		ok = 0;
		DIAG("# expected exit status %d, got %d\n", k->status, status);
	}
	if (count(err, SYSCALL_MARK) != k->syscalls) {
		ok = 0;
		DIAG("# expected %d kexec system call(s), got %d\n",
		     k->syscalls, count(err, SYSCALL_MARK));
	}
	if (has && !strstr(err, has)) {
		ok = 0;
		DIAG("# expected in stderr \"%s\"\n", has);
	}
	if (lacks && strstr(err, lacks)) {
		ok = 0;
		DIAG("# unexpected in stderr \"%s\"\n", lacks);
	}
	if (!ok)
		DIAG("# stderr was \"%s\"\n", err);

	test_report(ok, k->name, diag);

	for (i = 1; i < argc_; i++)
		free(args[i]);
	free(has);
	free(lacks);
	free(out);
	free(err);
}

int main(void)
{
	FILE *fp;
	size_t i;

	test_setup();
	snprintf(loaded, sizeof(loaded), "%s/kexec_crash_loaded",
		 test_root(FIX_SMMU));
	fp = fopen(loaded, "w");
	if (!fp)
		test_fatal("create", loaded);
	fputs("0\n", fp);
	fclose(fp);

	test_plan("kexec: main", NR_CASES);
	for (i = 0; i < NR_CASES; i++)
		run_case(&cases[i]);
	test_cleanup();
	return test_done();
}
