# SPDX-License-Identifier: GPL-2.0
"""SMMUv3 registers as QEMU's model has them: offsets, names, the fields
the oracle decodes and the values it starts from (QEMU's reset values)."""

from __future__ import annotations

from typing import Any

#: Page-0 register offsets of SMMUv3 (page 1 is at +0x10000 and aliased).
REGISTERS: dict[int, str] = {
    0x00: "IDR0", 0x04: "IDR1", 0x08: "IDR2", 0x0C: "IDR3", 0x10: "IDR4",
    0x14: "IDR5", 0x18: "IIDR", 0x1C: "AIDR",
    0x20: "CR0", 0x24: "CR0ACK", 0x28: "CR1", 0x2C: "CR2",
    0x40: "STATUSR", 0x44: "GBPA", 0x48: "AGBPA",
    0x50: "IRQ_CTRL", 0x54: "IRQ_CTRLACK",
    0x60: "GERROR", 0x64: "GERRORN",
    0x68: "GERROR_IRQ_CFG0", 0x6C: "GERROR_IRQ_CFG0_HI",
    0x70: "GERROR_IRQ_CFG1", 0x74: "GERROR_IRQ_CFG2",
    0x80: "STRTAB_BASE", 0x84: "STRTAB_BASE_HI", 0x88: "STRTAB_BASE_CFG",
    0x90: "CMDQ_BASE", 0x94: "CMDQ_BASE_HI", 0x98: "CMDQ_PROD",
    0x9C: "CMDQ_CONS",
    0xA0: "EVTQ_BASE", 0xA4: "EVTQ_BASE_HI", 0xA8: "EVTQ_PROD",
    0xAC: "EVTQ_CONS",
    0xB0: "EVTQ_IRQ_CFG0", 0xB4: "EVTQ_IRQ_CFG0_HI", 0xB8: "EVTQ_IRQ_CFG1",
    0xBC: "EVTQ_IRQ_CFG2",
    0xC0: "PRIQ_BASE", 0xC4: "PRIQ_BASE_HI", 0xC8: "PRIQ_PROD",
    0xCC: "PRIQ_CONS",
    0xD0: "PRIQ_IRQ_CFG0", 0xD4: "PRIQ_IRQ_CFG0_HI", 0xD8: "PRIQ_IRQ_CFG1",
    0xDC: "PRIQ_IRQ_CFG2",
}
#: 64-bit registers that may be written as two 32-bit halves.
REG64 = {0x68, 0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0}
#: Registers written at high rate; left out of the timeline unless asked.
HOT_REGISTERS = frozenset({"CMDQ_PROD", "EVTQ_CONS", "PRIQ_CONS"})

OFF_IDR0, OFF_CR0, OFF_GBPA = 0x00, 0x20, 0x44
OFF_STRTAB_BASE, OFF_STRTAB_BASE_CFG = 0x80, 0x88

CR0_SMMUEN, CR0_PRIQEN, CR0_EVTQEN, CR0_CMDQEN, CR0_ATSCHK = 1, 2, 4, 8, 16
GBPA_UPDATE = 1 << 31
GBPA_ABORT = 1 << 20
#: QEMU's SMMU_GBPA_RESET_VAL (SHCFG = 1, i.e. "use incoming").
GBPA_RESET = 0x1000
STRTAB_BASE_ADDR_MASK = 0x000F_FFFF_FFFF_FFC0


def reg_name(offset: int) -> str:
    """Name of the register at ``offset`` (page-1 aliases folded)."""
    off = offset & ~0x10000
    return REGISTERS.get(off, "OFF_0x%x" % off)


def decode_cr0(value: int) -> dict[str, Any]:
    """Decode SMMU_CR0 (SMMUEN, PRIQEN, EVTQEN, CMDQEN, ATSCHK, VMW)."""
    return {
        "SMMUEN": bool(value & CR0_SMMUEN),
        "PRIQEN": bool(value & CR0_PRIQEN),
        "EVTQEN": bool(value & CR0_EVTQEN),
        "CMDQEN": bool(value & CR0_CMDQEN),
        "ATSCHK": bool(value & CR0_ATSCHK),
        "VMW": (value >> 6) & 7,
    }


def decode_gbpa(value: int) -> dict[str, Any]:
    """Decode SMMU_GBPA (UPDATE, ABORT and the attribute overrides)."""
    return {
        "UPDATE": bool(value & GBPA_UPDATE),
        "ABORT": bool(value & GBPA_ABORT),
        "INSTCFG": (value >> 18) & 3,
        "PRIVCFG": (value >> 16) & 3,
        "SHCFG": (value >> 12) & 3,
        "ALLOCCFG": (value >> 8) & 0xF,
        "MTCFG": (value >> 4) & 1,
        "MEMATTR": value & 0xF,
    }


def decode_strtab_base_cfg(value: int) -> dict[str, Any]:
    """Decode SMMU_STRTAB_BASE_CFG (FMT, SPLIT, LOG2SIZE)."""
    fmt = (value >> 16) & 3
    return {
        "FMT": {0: "linear", 1: "2-level"}.get(fmt, "reserved(%d)" % fmt),
        "SPLIT": (value >> 6) & 0x1F,
        "LOG2SIZE": value & 0x3F,
    }


def decode_irq_ctrl(value: int) -> dict[str, Any]:
    return {"GERROR_IRQEN": bool(value & 1), "PRIQ_IRQEN": bool(value & 2),
            "EVTQ_IRQEN": bool(value & 4)}


