#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Show that the host tests can fail: break one check of
# arm-smmu-v3-kdump.c at a time in a scratch copy of the patched tree of
# one kernel line (7.2 unless -l says otherwise: the code is the same in
# both series, apart from the command queue and DT calls), rebuild, and
# expect kdump-fuzz, kdump-unit or kdump-hooks to notice. Not part of make
# check: each mutant is a full rebuild (about 10 s).
#
#   mutants.sh [-k] [-l KVER] [NAME...]    all mutants, or the ones named
#
# Prints KTAP: "ok" for a mutant that a test caught, "not ok" for one that
# survived, a skip for one whose code is not in that line's driver.

set -e
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

keep=0 kver=7.2
while getopts 'kl:' opt; do
	case "$opt" in
	k) keep=1 ;;
	l) kver="$OPTARG" ;;
	*) sed -n '10p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
scratch_dir host-kdump-mutants
ksrc=$(bash "$here/prepare-src.sh" -k "$kver")
rounds="${KDUMP_FUZZ_ROUNDS:-10000}"

# NAME~~the code~~what it becomes: one check removed or weakened each
mutants=(
	"bypass-kept~~if (arm_smmu_kdump_ste_bypasses(ctx->smmu, ste)) {~~if (0 && arm_smmu_kdump_ste_bypasses(ctx->smmu, ste)) {"
	"s1cdmax~~if (cdmax > ctx->smmu->ssid_bits ||~~if (0 ||"
	"own-ram-ok~~if (phys <= ctx->own_ram[i].end && ctx->own_ram[i].start <= end)~~if (0 && phys <= ctx->own_ram[i].end)"
	"base-range~~if (!arm_smmu_kdump_phys_ok(ctx, base, size))~~if (0 && !arm_smmu_kdump_phys_ok(ctx, base, size))"
	"log2size~~if (log2size > ctx->smmu->sid_bits)~~if (0)"
	"l1-span~~if (span > ctx->split + 1)~~if (0)"
	"l2-align~~if (l2 & (size - 1))~~if (0)"
	"s2ttb~~if (!arm_smmu_kdump_ttb_ok(ctx, q3 & STRTAB_STE_3_S2TTB_MASK))~~if (0 && !arm_smmu_kdump_ttb_ok(ctx, q3 & STRTAB_STE_3_S2TTB_MASK))"
	"cd-ttb0~~!arm_smmu_kdump_ttb_ok(ctx, ttb0)) ||~~!(ttb0 | 1)) ||"
	"cd-httu~~else if (cd0 & (CTXDESC_CD_0_TCR_HA | CTXDESC_CD_0_TCR_HD))~~else if (0)"
	"vmid-0~~if (!vmid || arm_smmu_kdump_reserve_vmid(ctx, vmid))~~if (arm_smmu_kdump_reserve_vmid(ctx, vmid))"
	"asid-shared~~return ret == -EBUSY ? 0 : ret;~~return ret;"
	"vmid-not-released~~ida_destroy(ctx->vmid_ida);~~(void)0;"
	"asid-not-released~~xa_destroy(ctx->asid_xa);~~(void)0;"
	"keep-unlisted~~else if (arm_smmu_kdump_listed(ctx, sid))~~else if (1 || arm_smmu_kdump_listed(ctx, sid))"
	"count-kept~~report->nr_kept++;~~(void)report;"
	"dead-span-left~~		new = ctx->ops->alloc(ctx, sizeof(*new), &table->l2_dma[idx]);~~		if (!arm_smmu_kdump_ste_live(&old[0]) &&
		    !arm_smmu_kdump_ste_live(&old[nr - 1])) {
			ctx->ops->unmap(ctx, old);
			continue;
		}
		new = ctx->ops->alloc(ctx, sizeof(*new), &table->l2_dma[idx]);"
	"dump-truncated~~*truncated |= fit < nr;~~(void)truncated;"
	"veto-forgotten~~rec->reason = arm_smmu_kdump_vet(ctx, &ste) ?: rec->reason;~~(void)arm_smmu_kdump_vet(ctx, &ste);"
	"cont-kept~~ste->data[1] &= ~cpu_to_le64(STRTAB_STE_1_CONT);~~(void)ste;"
	"l1-followed~~if (ctx->fmt == STRTAB_BASE_CFG_FMT_2LVL && ctx->base < phys + size &&~~if (0 && ctx->base < phys + size &&"
	"sid-not-recorded~~report->nr_sids++;~~(void)0;"
	"bad-l1-followed~~err = arm_smmu_kdump_l1_desc_err(ctx, desc);~~err = arm_smmu_kdump_l1_desc_err(ctx, 0);"
	"l2-budget~~if (table->nr_l2s == ctx->max_l2)~~if (0)"
	"keep-walks-anyway~~	if (!left)
		return;~~	(void)left;"
	"keep-other-iommu~~if (arg.np == smmu_np && arg.args_count == 1) {~~if ((arg.np || smmu_np) && arg.args_count == 1) {"
	"dump-reg-size~~ARM_SMMU_KDUMP_REG(ARM_SMMU_STRTAB_BASE, 8, strtab_base)~~ARM_SMMU_KDUMP_REG(ARM_SMMU_STRTAB_BASE, 4, strtab_base)"
	# The L1STD swing's CFGI_STE made a leaf one: 7.2's encoder, 6.12's entry
	"l1std-leaf~~arm_smmu_make_cmd_cfgi_ste(sid, false)~~arm_smmu_make_cmd_cfgi_ste(sid, true)"
	"l1std-leaf-6.12~~.leaf = false },~~.leaf = true },"
	# The state checks that leave the SMMU alone (review r3, finding 1)
	"check-state~~	if (smmu->impl_ops) {~~	return 0;
	if (smmu->impl_ops) {"
	"cr0ack-check~~if (regs->cr0 != regs->cr0ack) {~~if (0) {"
	"sfm-check~~} else if ((regs->gerror ^ regs->gerrorn) & GERROR_SFM_ERR) {~~} else if (0) {"
	"cr1-check~~} else if (regs->cr1 != arm_smmu_cr1()) {~~} else if (0) {"
	"e2h-check~~} else if (!(regs->cr2 & CR2_E2H) !=~~} else if (0 &&"
	"vmid-range~~if (vmid >> ctx->smmu->vmid_bits)~~if (0)"
	# The policy around the import (finding 3)
	"sid-at~~if (item->smmu_base != arm_smmu_kdump_mmio_base(smmu))~~if (0)"
	"pci-busrange~~item->bus < bus_range[0] ||
			    item->bus > bus_range[1] ||~~0 ||"
	"reset-mode-fallback~~		mode = ARM_SMMU_KDUMP_RESET;
	}~~		mode = ARM_SMMU_KDUMP_KEEP_ALL;
	}"
	"own-ram-empty~~	ctx->own_ram = own.r;
	ctx->nr_own_ram = own.nr;~~	ctx->own_ram = own.r;
	ctx->nr_own_ram = 0;"
	"max-l2-min~~ctx->max_l2 = max(1UL, totalram_pages() / 8 >>~~ctx->max_l2 = max(1000000UL, totalram_pages() / 8 >>"
	# The reset's first writes (finding 10)
	"irq-disable~~	ret = arm_smmu_write_reg_sync(smmu, 0, ARM_SMMU_IRQ_CTRL,
				      ARM_SMMU_IRQ_CTRLACK);~~	ret = 0;"
	"gbpa-abort~~arm_smmu_update_gbpa(smmu, GBPA_ABORT, 0);~~(void)0;"
	# A sweep of mechanical mutants (every if made false, boundaries,
	# && and ||) over the validation and policy code: the ones no test
	# caught before the cases that name them
	"own-ram-past-count~~	for (i = 0; i < ctx->nr_own_ram; i++)~~	for (i = 0; i <= ctx->nr_own_ram; i++)"
	"old-ram-last-byte~~			    cur <= ctx->old_ram[i].end)~~			    cur < ctx->old_ram[i].end)"
	"linear-sid-bits-edge~~		if (ctx->smmu->sid_bits > ARM_SMMU_KDUMP_MAX_LINEAR_LOG2)~~		if (ctx->smmu->sid_bits >= ARM_SMMU_KDUMP_MAX_LINEAR_LOG2)"
	"l1-entries-max~~		if (nr > STRTAB_MAX_L1_ENTRIES)~~		if (0 && (nr > STRTAB_MAX_L1_ENTRIES))"
	"l1-entries-edge~~		if (nr > STRTAB_MAX_L1_ENTRIES)~~		if (nr >= STRTAB_MAX_L1_ENTRIES)"
	"after-l1-refused~~	    phys < ctx->base + ctx->nr_ents * sizeof(struct arm_smmu_strtab_l1))~~	    phys <= ctx->base + ctx->nr_ents * sizeof(struct arm_smmu_strtab_l1))"
	"l1cd-map-fails~~		if (!l1)~~		if (0 && (!l1))"
	"cd-map-fails~~	if (!cd)~~	if (0 && (!cd))"
	"l1-map-fails~~	if (!table->l1tab)~~	if (0 && (!table->l1tab))"
	"l2-map-fails~~		if (!old)~~		if (0 && (!old))"
	"pci-last-bus~~			    item->bus > bus_range[1] ||~~			    item->bus >= bus_range[1] ||"
	"keep-parse-error~~			 kdump_keep);
	if (ret)~~			 kdump_keep);
	if (0 && (ret))"
	"keep-sids-nomem~~	if (!sids) {~~	if (0 && (!sids)) {"
	"keep-items-past-count~~
	for (i = 0; i < nr_items; i++) {~~
	for (i = 0; i <= nr_items; i++) {"
	"keep-list-skipped~~	if (ctx->mode == ARM_SMMU_KDUMP_KEEP_QUIESCED) {~~	if (0 && (ctx->mode == ARM_SMMU_KDUMP_KEEP_QUIESCED)) {"
	"keep-error-adopts~~		ret = arm_smmu_kdump_keep_sids(smmu, &keep, &ctx->nr_keep);
		if (ret)~~		ret = arm_smmu_kdump_keep_sids(smmu, &keep, &ctx->nr_keep);
		if (0 && (ret))"
	"build-result-ignored~~		ret = arm_smmu_kdump_build(ctx, &kd->table);
	if (!ret)~~		ret = arm_smmu_kdump_build(ctx, &kd->table);
	if (0 && (!ret))"
	"not-kdump-imports~~	if (!is_kdump_kernel())~~	if (0 && (!is_kdump_kernel()))"
	"memory-map-ignored~~					  arm_smmu_kdump_own_range);
	if (ret) {~~					  arm_smmu_kdump_own_range);
	if (0) {"
	"failed-import-kept~~	kfree(keep);
	if (ret) {~~	kfree(keep);
	if (0) {"
	"streams-past-count~~	for (i = 0; i < master->num_streams; i++) {~~	for (i = 0; i <= master->num_streams; i++) {"
	"passthrough-inherits~~	if (enabled && iommu_default_passthrough()) {~~	if (0 && iommu_default_passthrough()) {"
	"kd-nomem~~	if (!kd)
		return -ENOMEM;~~	if (0 && !kd)
		return -ENOMEM;"
	"quirk-ignored~~quirk = !pci_dev_specific_reset(pdev, PCI_RESET_PROBE);~~quirk = false;"
	"teardown-not-added~~arm_smmu_kdump_teardown, kd);
	if (ret)~~arm_smmu_kdump_teardown, kd);
	if (0 && ret)"
)

echo "KTAP version 1"
echo "1..${#mutants[@]}"
nr=0 caught=0 survived=0
for m in "${mutants[@]}"; do
	name=${m%%~~*}
	rest=${m#*~~}
	from=${rest%%~~*}
	to=${rest#*~~}
	nr=$((nr + 1))
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		echo "ok $nr $name # SKIP not selected"
		continue
	fi
	src="$scratch/src-$name"
	mkdir -p "$src/drivers/iommu/arm" "$src/fs/proc"
	cp -a "$ksrc/drivers/iommu/arm/arm-smmu-v3" "$src/drivers/iommu/arm/"
	# what else the Makefile reads from the tree (extract.awk's sources)
	ln -s "$ksrc/tools" "$src/tools"
	ln -s "$ksrc/drivers/iommu/iommu.c" "$src/drivers/iommu/iommu.c"
	ln -s "$ksrc/fs/proc/vmcore.c" "$src/fs/proc/vmcore.c"
	if ! FROM="$from" TO="$to" perl -0pi -e \
		'$n += s/\Q$ENV{FROM}\E/$ENV{TO}/; END { exit($n == 1 ? 0 : 3) }' \
		"$src/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c"; then
		echo "ok $nr $name # SKIP the code it breaks is not (once) in the driver"
		continue
	fi
	out="$scratch/build-$name"
	if ! make -s -C "$here" KVER="$kver" KSRC="$src" O="$out" all \
		>"$out.log" 2>&1; then
		sed 's/^/# /' "$out.log" | tail -n 5
		echo "not ok $nr $name: does not build"
		survived=$((survived + 1))
		continue
	fi
	how=()
	rc=0
	KDUMP_FUZZ_ROUNDS=$rounds timeout 300 "$out/kdump-fuzz" >"$out/fuzz.out" 2>&1 ||
		rc=$?
	if [ "$rc" != 0 ]; then
		inv=$(sed -n 's/^not ok [0-9]* fuzz: //p' "$out/fuzz.out" | paste -sd '/' -)
		san=$(grep -m1 -o 'ERROR: AddressSanitizer: [a-z-]*\|runtime error: .*' \
			"$out/fuzz.out" || true)
		[ -z "$san" ] || inv="${inv:+$inv; }sanitizer: $san"
		[ "$rc" != 124 ] || inv="${inv:+$inv; }hung"
		how+=("fuzz (${inv:-exit $rc})")
	fi
	rc=0
	timeout 300 "$out/kdump-unit" >"$out/unit.out" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		n=$(grep -c '^    not ok' "$out/unit.out" || true)
		[ "$n" != 0 ] || n="crashed: $(grep -m1 -o 'ERROR: AddressSanitizer: [a-z-]*\|runtime error: .*' \
			"$out/unit.out" || echo "exit $rc")"
		how+=("unit ($n)")
	fi
	rc=0
	timeout 300 "$out/kdump-hooks" >"$out/hooks.out" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		n=$(grep -c '^    not ok' "$out/hooks.out" || true)
		[ "$n" != 0 ] || n="crashed: exit $rc"
		how+=("hooks ($n)")
	fi
	if [ "${#how[@]}" -gt 0 ]; then
		echo "# $name: caught by ${how[*]}"
		echo "ok $nr $name: caught"
		caught=$((caught + 1))
	else
		echo "not ok $nr $name: survived"
		survived=$((survived + 1))
	fi
done
echo "# host-kdump $kver mutants: $caught passed, $survived failed"
[ "$survived" = 0 ]
