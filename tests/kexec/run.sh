#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the kexec-tools --smmu-kdump-* series.
#
# Applies kexec-tools-patches/*.patch with git am to a scratch copy of the
# pristine kexec-tools source (fetched by scripts/build-kexec.sh if it is
# not cached yet), builds the tests natively (-Wall -Werror) against the
# patched tree and runs them:
#   smmu-kdump-test.c  kexec/arch/arm64/smmu-kdump.c on fake sysfs trees
#   options-test.c     arch_process_options() of kexec/arch/arm64/kexec-arm64.c
#   main-test.c        kexec/kexec.c's main() with the arm64 option code, its
#                      kexec system calls caught (--wrap=syscall)
# Prints one KTAP document; the exit status is non-zero if any case fails.
#
#   run.sh [-k]     -k: keep the scratch directory
#
# KEXEC_SRC=DIR uses an already patched tree instead of applying the series.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"
. "$here/../lib/ktap.sh"

keep=0
[ "${1:-}" = -k ] && keep=1

scratch_dir kexec-test

pristine() {
	find "$cache_dir/src" -mindepth 2 -maxdepth 2 -type d \
		-path '*/kexec-tools-2.0.32-*/kexec-tools-*' 2>/dev/null | head -n 1
}

src="${KEXEC_SRC:-}"
if [ -z "$src" ]; then
	orig=$(pristine)
	if [ -z "$orig" ]; then
		log "no kexec-tools source cached, fetching it with build-kexec.sh"
		bash "$top_dir/scripts/build-kexec.sh" >/dev/null
		orig=$(pristine)
	fi
	[ -n "$orig" ] || die "no pristine kexec-tools source under $cache_dir/src"

	src="$scratch/src"
	cp -r "$orig" "$src"
	(
		cd "$src"
		git init -q
		git -c user.name=test -c user.email=test@localhost add -A
		git -c user.name=test -c user.email=test@localhost \
			commit -q -m pristine
		for p in "$top_dir"/kexec-tools-patches/*.patch; do
			[ -e "$p" ] || continue
			git -c user.name=test -c user.email=test@localhost \
				am -q "$p" >&2 ||
				die "kexec-tools-patches/${p##*/} does not apply (git am)"
		done
	)
fi
[ -f "$src/kexec/arch/arm64/smmu-kdump.c" ] ||
	die "$src has no kexec/arch/arm64/smmu-kdump.c: is the series applied?"

cc="${CC:-gcc}"
cflags="-Wall -Werror -Wstrict-prototypes -O2 -g -I$src/include
	-I$src/util_lib/include -I$src/kexec -I$src/kexec/libfdt
	-I$src/kexec/arch/arm64 -I$src/kexec/arch/arm64/include -I$here
	-I$ksft_dir"
helpers="$here/lib.c $src/kexec/arch/arm64/smmu-kdump.c"

# shellcheck disable=SC2086
$cc $cflags -o "$scratch/smmu-kdump-test" "$here/smmu-kdump-test.c" \
	$helpers "$here/stubs.c"
# options-test.c includes kexec-arm64.c but calls only its option parsing
# (and libfdt, for the bootargs of --dtb); the loaders' references to the
# rest of kexec-tools stay unresolved.
# shellcheck disable=SC2086
$cc $cflags -static -no-pie -o "$scratch/options-test" \
	"$here/options-test.c" $helpers "$here/stubs.c" \
	"$src"/kexec/libfdt/fdt*.c -Wl,--wrap=stat \
	-Wl,--unresolved-symbols=ignore-all
# main-test.c calls kexec.c's main(), renamed; kexec.c is kexec-tools'
# code, built without -Werror.  What the cases never reach (the loaders,
# purgatory, the other arch files) stays unresolved.
# shellcheck disable=SC2086
$cc ${cflags/-Werror/} -w -Dmain=kexec_main -c -o "$scratch/kexec.o" \
	"$src/kexec/kexec.c"
# shellcheck disable=SC2086
$cc ${cflags/-Werror/} -w -c -o "$scratch/kexec-arm64.o" \
	"$src/kexec/arch/arm64/kexec-arm64.c"
# shellcheck disable=SC2086
$cc $cflags -static -no-pie -o "$scratch/main-test" "$here/main-test.c" \
	"$scratch/kexec.o" "$scratch/kexec-arm64.o" $helpers \
	-Wl,--wrap=syscall,--wrap=fopen,--wrap=fopen64 \
	-Wl,--unresolved-symbols=ignore-all

# One KTAP document with a subtest per program.
ktap_subtests kexec "$scratch" keep \
	smmu-kdump-test:"smmu-kdump helpers" options-test:"arm64 options" \
	main-test:"kexec main"
