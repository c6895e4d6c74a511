# SPDX-License-Identifier: GPL-2.0
# arm-smmu-kdump: the two commands in README.md are `make demo` and `make check`.
# Both install what they need first (as root, idempotent) and cache expensive
# builds outside the repository (ARM_SMMU_KDUMP_CACHE, default
# ~/.cache/arm-smmu-kdump), keyed by a hash of their inputs.

SHELL := /bin/bash
RUNS ?= /tmp/arm-smmu-kdump-runs

.PHONY: all setup kernels initramfs demo check bench kasan pages fuzz clean-runs help

all: help

help:
	@echo "make demo    - one kdump crash end to end, with a summary"
	@echo "make check   - every test (host, KUnit, QEMU scenarios); ends with 'N passed, N failed'"
	@echo "make bench   - benchmarks (reported, not asserted)"
	@echo "make kasan   - the QEMU scenarios on a KASAN build of the 7.2 kernels"
	@echo "make pages   - KUnit, the QEMU scenarios and crash on 16K and 64K-page 7.2 kernels"
	@echo "               (PAGE_SIZES=\"16k 64k\")"
	@echo "make fuzz    - libFuzzer on the kdump code, grows tests/host/corpus/"
	@echo "               (KVER=7.2|6.12, FUZZ_RUNS=executions, FUZZ_TIME=seconds)"
	@echo "make setup   - only install host packages"

setup:
	@bash scripts/setup-host.sh

# stock of every kernel line, project of each line that has a project kernel
kernels: setup
	@. scripts/lib/common.sh && for k in $$kernel_lines; do \
		bash scripts/build-kernel.sh -k $$k -v stock >/dev/null; \
		if has_project_kernel $$k; then \
			bash scripts/build-kernel.sh -k $$k -v project >/dev/null; fi; \
	done

initramfs: setup
	@bash scripts/build-initramfs.sh >/dev/null

demo: setup
	@bash scripts/demo.sh

check: setup
	@bash tests/run-all.sh

bench: setup
	@bash scripts/bench.sh

kasan: setup
	@bash scripts/kasan.sh

pages: setup
	@bash scripts/pages.sh

# KVER: the kernel line; FUZZ_RUNS, FUZZ_TIME, FUZZ_SEED: see scripts/fuzz.sh
KVER ?= 7.2
fuzz: setup
	@bash scripts/fuzz.sh $(KVER)

clean-runs:
	rm -rf $(RUNS)
