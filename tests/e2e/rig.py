# SPDX-License-Identifier: GPL-2.0
"""Drive one kdump crash in qemu-system-aarch64 with an SMMUv3.

The rig boots the first kernel with the project's initramfs, lets the guest
check DMA through the SMMU on every device, has it load the crash kernel,
optionally keeps DMA in flight (a host thread floods the NIC over a UDP socket
netdev; the guest keeps a disk reader running), snapshots the old stream table
through QMP just before the crash, tells the guest to crash, waits for the
crash kernel to save the dump and power off, and extracts the dump.

Everything the verdicts need is written to the run directory:
  serial.tsv   every console line with the host time it arrived
  trace.log    QEMU's smmuv3_* trace (-msg timestamp=on) and guest errors
  vmcore       the dump makedumpfile saved in the crash kernel
  kdump-tools/ with Config.kdump_tools: what kdump-config printed and
               recorded (load, status, show, savecore, kexec_cmd, syslog,
               /etc/default/kdump-tools) and the dmesg savecore saved; the
               dump it saved (flattened) is rearranged into vmcore
  strtab/      the old stream table read from guest memory before the crash
  run.json     what happened (timings, host-side packet counts, outcome)
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Optional

SMMU_BASE = 0x09050000          # VIRT_SMMU on qemu -M virt
DUMP_SID, DATA_SID, NET_SID = 0x100, 0x200, 0x300
# topology="pcie0": the three devices are integrated endpoints on the root
# bus (pcie.0), so their StreamID is their devfn.  All of them then sit in
# the first 256 StreamIDs, the span of the first kernel's first L2 table,
# which the linear scenarios re-base the SMMU onto (see Config.linear).
PCIE0_SLOTS = {"dump": 0x2, "data": 0x3, "net": 0x4}
TOPOLOGIES = ("rootports", "pcie0")


def topology_sids(topology: str) -> dict[str, int]:
    """StreamIDs of the dump disk, the data disk and the NIC."""
    if topology == "rootports":
        return {"dump": DUMP_SID, "data": DATA_SID, "net": NET_SID}
    if topology == "pcie0":
        return {k: slot << 3 for k, slot in PCIE0_SLOTS.items()}
    raise ValueError(f"unknown topology {topology}")


def topology_bdfs(topology: str) -> dict[str, str]:
    """PCI functions of the dump disk, the data disk and the NIC."""
    return {k: f"0000:{sid >> 8:02x}:{(sid >> 3) & 0x1f:02x}.{sid & 7}"
            for k, sid in topology_sids(topology).items()}

CRASHKERNEL = "256M"
# firmware="uefi": edk2 (Debian's qemu-efi-aarch64) loads -kernel through its
# EFI stub and hands Linux QEMU's ACPI tables (IORT: SMMUv3, root complex).
UEFI_FIRMWARE = Path("/usr/share/qemu-efi-aarch64/QEMU_EFI.fd")

TRACE_EVENTS = [
    "smmuv3_read_mmio", "smmuv3_write_mmio", "smmuv3_write_gerror",
    "smmuv3_write_gerrorn", "smmuv3_record_event", "smmuv3_translate_success",
    "smmuv3_translate_disable", "smmuv3_translate_bypass",
    "smmuv3_translate_abort", "smmuv3_cmdq_opcode", "smmuv3_cmdq_cfgi_ste",
    "smmuv3_cmdq_cfgi_ste_range", "smmuv3_cmdq_cfgi_cd",
    "smmuv3_cmdq_consume_error", "smmuv3_find_ste_2lvl",
    "smmuv3_cmdq_tlbi_nh_asid", "smmuv3_cmdq_tlbi_s12_vmid",
    "smmuv3_cmdq_tlbi_nh", "smmuv3_cmdq_tlbi_nsnh", "smmu_reset_exit",
    "smmu_iotlb_inv_all", "pci_cfg_write",
]


class FirstKernelFailure(Exception):
    """The first kernel died before the crash: the run tells nothing about
    the crash kernel."""


# Serial lines of a kernel that is dying on its own
KERNEL_FAILURES = ("Internal error: ", "Unable to handle kernel ",
                   "kernel BUG at ", "Kernel panic - not syncing")


class RigError(Exception):
    """The scenario could not run to the end (timeout, QEMU died, ...)."""


@dataclasses.dataclass
class Config:
    kernel_dir: Path                  # holds Image (and vmlinux)
    initramfs: Path
    run_dir: Path
    stage: str = "nested"             # nested | 1 | 2
    load: str = "classic"             # classic (-c, kexec_load) | file (-s)
    kexec_args: str = ""              # extra kexec arguments (policy flags)
    first_cmdline: str = ""           # extra first-kernel arguments
    crash_cmdline: str = ""           # extra crash-kernel arguments
    dma_load: bool = False            # DMA in flight at the crash
    flood_hz: int = 100
    expect_kexec_fail: bool = False
    corrupt: str = ""                 # fault injection, see fault_plan()
    boot_timeout: float = 180.0       # power-on to ready-to-crash
    crash_timeout: float = 300.0      # crash to power-off
    snapshot: bool = True             # save the old stream table
    firmware: str = ""                # "" (direct boot, DT) | uefi (ACPI)
    topology: str = "rootports"       # rootports | pcie0, see TOPOLOGIES
    linear: bool = False              # re-base the SMMU onto a linear table
    trace_events: tuple[str, ...] = ()  # besides TRACE_EVENTS
    # devices ("dump", "data", "net") that do not use the SMMU
    # (iommu_platform=off: QEMU's virtio DMA goes straight to memory)
    untranslated: tuple[str, ...] = ()
    # a PCI host bridge that bypasses the SMMU (pxb-pcie,bypass_iommu=on,
    # described by ACPI: firmware=uefi) with a device at BYPASS_PCI
    bypass_bridge: bool = False
    # Debian's kdump-tools loads the crash kernel (kdump-config load, the
    # policy in /etc/default/kdump-tools) and saves the dump (kdump-config
    # savecore into KDUMP_COREDIR, the dump disk on /var/crash)
    kdump_tools: bool = False
    crashkernel: str = CRASHKERNEL    # the first kernel's crashkernel=
    # boot both kernels with a device tree whose SMMU node has no
    # dma-coherent (noncoherent_dtb())
    noncoherent: bool = False
    # QEMU's -icount (1 ns of guest time per instruction, idle time
    # skipped): the guest's clock counts instructions, not host time
    icount: bool = False


class Serial:
    """Read QEMU's stdout (the PL011), stamp each line with host time."""

    def __init__(self, stream, tsv_path: Path, raw_path: Path):
        self.stream = stream
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        self.tsv = open(tsv_path, "w", encoding="utf-8")
        self.raw = open(raw_path, "wb")
        self.eof = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        buf = b""
        while True:
            chunk = os.read(self.stream.fileno(), 65536)
            if not chunk:
                break
            now = time.time()
            self.raw.write(chunk)
            buf += chunk
            *done, buf = buf.split(b"\n")
            with self.cond:
                for raw in done:
                    text = raw.decode("utf-8", "replace").rstrip("\r")
                    self.lines.append((now, text))
                    self.tsv.write(f"{now:.6f}\t{text}\n")
                self.cond.notify_all()
        with self.cond:
            if buf:
                text = buf.decode("utf-8", "replace")
                self.lines.append((time.time(), text))
                self.tsv.write(f"{time.time():.6f}\t{text}\n")
            self.eof = True
            self.cond.notify_all()
        self.tsv.close()
        self.raw.close()

    def wait_for(self, needle: str, timeout: float, start: int = 0,
                 fail_on: tuple[str, ...] = ()) -> int:
        """Index of the first line from `start` containing needle.  A line
        containing one of `fail_on` first raises FirstKernelFailure."""
        deadline = time.monotonic() + timeout
        with self.cond:
            i = start
            while True:
                while i < len(self.lines):
                    text = self.lines[i][1]
                    if needle in text:
                        return i
                    if any(f in text for f in fail_on):
                        raise FirstKernelFailure(text.strip())
                    i += 1
                if self.eof:
                    raise RigError(f"guest output ended before '{needle}'")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RigError(f"timeout ({timeout:.0f} s) waiting for '{needle}'")
                self.cond.wait(left)

    def marks(self) -> list[str]:
        with self.cond:
            return [t for _, t in self.lines if "RIG-MARK" in t]


class Flood:
    """UDP peer of QEMU's socket netdev: floods the NIC, counts its frames."""

    def __init__(self, hz: int):
        self.rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rx.bind(("127.0.0.1", 0))
        self.host_port = self.rx.getsockname()[1]
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(("127.0.0.1", 0))
        self.qemu_port = probe.getsockname()[1]
        probe.close()
        self.hz = hz
        self.sent = 0
        self.received = 0
        self.flooding = threading.Event()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._send, daemon=True),
                        threading.Thread(target=self._recv, daemon=True)]

    def netdev(self) -> str:
        return (f"socket,id=n0,udp=127.0.0.1:{self.host_port},"
                f"localaddr=127.0.0.1:{self.qemu_port}")

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def _send(self) -> None:
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        hdr = b"\xff" * 6 + bytes.fromhex("525400aabbcc") + b"\x88\xb5"
        period = 1.0 / self.hz
        nxt = time.monotonic()
        while not self.stop.is_set():
            if self.flooding.is_set():
                payload = b"RIG-FLOOD %08d" % self.sent
                try:
                    tx.sendto(hdr + payload.ljust(46, b"."),
                              ("127.0.0.1", self.qemu_port))
                    self.sent += 1
                except OSError:
                    pass
            nxt += period
            time.sleep(max(0.0, nxt - time.monotonic()))
        tx.close()

    def _recv(self) -> None:
        self.rx.settimeout(0.2)
        while not self.stop.is_set():
            try:
                self.rx.recv(65536)
                self.received += 1
            except socket.timeout:
                continue
            except OSError:
                break

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            if t.is_alive():
                t.join(2)
        self.rx.close()


class QMP:
    """Minimal QMP client over a unix socket."""

    def __init__(self, path: Path, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise RigError("QMP socket never came up")
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.buf = b""
        self._recv()                     # greeting
        self.cmd("qmp_capabilities")

    def _recv(self) -> dict:
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except OSError as e:
                raise RigError(f"QMP: {e}") from e
            if not chunk:
                raise RigError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name: str, **args) -> object:
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            resp = self._recv()
            if "return" in resp:
                return resp["return"]
            if "error" in resp:
                raise RigError(f"QMP {name}: {resp['error']}")
            # asynchronous events are ignored

    def hmp(self, line: str) -> str:
        return str(self.cmd("human-monitor-command", **{"command-line": line}))

    def read_phys(self, addr: int, size: int = 8) -> int:
        """Read guest physical memory or MMIO (xp goes through the bus).
        SMMU registers must be read at their own width (4 or 8 bytes)."""
        unit = {4: "w", 8: "g"}[size]
        out = self.hmp(f"xp /1{unit}x {addr:#x}")
        try:
            return int(out.split(":")[1].split()[0], 16)
        except (IndexError, ValueError) as e:
            raise RigError(f"xp {addr:#x}: {out.strip()}") from e

    def close(self) -> None:
        self.sock.close()


def snapshot_strtab(qmp: QMP, out: Path) -> dict:
    """Save the live stream table (and registers) while the VM is stopped.

    The registers come from the SMMU model through the bus, the table from
    guest RAM: this copy does not depend on anything the guest reports.
    """
    out.mkdir(parents=True, exist_ok=True)
    regs = {
        "idr0": qmp.read_phys(SMMU_BASE + 0x0, 4),
        "idr1": qmp.read_phys(SMMU_BASE + 0x4, 4),
        "cr0": qmp.read_phys(SMMU_BASE + 0x20, 4),
        "gbpa": qmp.read_phys(SMMU_BASE + 0x44, 4),
        "strtab_base": qmp.read_phys(SMMU_BASE + 0x80, 8),
        "strtab_base_cfg": qmp.read_phys(SMMU_BASE + 0x88, 4),
        "cmdq_base": qmp.read_phys(SMMU_BASE + 0x90, 8),
        "evtq_base": qmp.read_phys(SMMU_BASE + 0xa0, 8),
    }
    base = regs["strtab_base"] & 0x0000fffffffffc0
    cfg = regs["strtab_base_cfg"]
    log2size, split, fmt = cfg & 0x3f, (cfg >> 6) & 0x1f, (cfg >> 16) & 0x3
    files = []
    if fmt == 1:                         # 2-level
        n_l1 = max(1, 1 << max(0, log2size - split))
        l1 = out / "l1.bin"
        qmp.cmd("pmemsave", val=base, size=n_l1 * 8, filename=str(l1))
        files.append({"file": l1.name, "phys": base, "size": n_l1 * 8})
        raw = l1.read_bytes()
        for i in range(n_l1):
            desc = struct.unpack_from("<Q", raw, i * 8)[0]
            span = desc & 0x1f
            if not span:
                continue
            l2 = desc & 0x0000ffffffffffc0
            size = (1 << (span - 1)) * 64
            f = out / f"l2-{i:05d}.bin"
            qmp.cmd("pmemsave", val=l2, size=size, filename=str(f))
            files.append({"file": f.name, "phys": l2, "size": size, "l1": i})
    else:                                # linear
        size = (1 << log2size) * 64
        f = out / "linear.bin"
        qmp.cmd("pmemsave", val=base, size=size, filename=str(f))
        files.append({"file": f.name, "phys": base, "size": size})
    meta = {"regs": regs, "fmt": "2lvl" if fmt == 1 else "linear",
            "log2size": log2size, "split": split, "files": files,
            "dir": str(out)}
    (out / "strtab.json").write_text(json.dumps(meta, indent=1))
    return meta


L1_SPAN_MASK = 0x1f
L2PTR_MASK = 0x0000ffffffffffc0
TTB_MASK = 0x000ffffffffffff0          # STE S2TTB, CD TTB0: bits 51:4
OUTSIDE_RAM = 0x0000080000000000       # nothing of the virt machine there
SMMU_IRQ_CTRL, SMMU_EVTQ_BASE = SMMU_BASE + 0x50, SMMU_BASE + 0xa0
SMMU_EVTQ_PROD, SMMU_EVTQ_CONS = SMMU_BASE + 0x100a8, SMMU_BASE + 0x100ac
SMMU_STRTAB_BASE_CFG = SMMU_BASE + 0x88

# Fault kinds: what the crashed kernel leaves damaged (fault_plan()).
# Damage to the stream table's L1 descriptors, L2 tables, STEs and what
# they point to costs the StreamIDs it touches; damage to the registers
# that describe the whole SMMU's table makes the crash kernel reset it.
CORRUPTIONS = ("l1-into-crashkernel", "l1-bad-span", "l1-outside-ram",
               "l1-random", "l2-random", "ste-illegal", "ste-bypass",
               "ste-invalid", "cd-into-crashkernel", "cd-outside-ram",
               "s1-ttb-into-crashkernel", "s2-ttb-into-crashkernel",
               "evtq-damaged", "cmdq-wedged", "strtab-split",
               "strtab-log2size", "strtab-fmt")
FAULT_SEED = 0x5eed
ACTION_MARKS = {"wedge-cmdq": "cmdq wedged"}   # guest/init's mark when done


@dataclasses.dataclass
class Fault:
    """How to damage the state of the running first kernel right before
    the crash: writes through /dev/mem (address, value, width in bits),
    guest commands, and the memory the damage points at, which the SMMU
    must never read after the crash ((start, size) ranges)."""
    pokes: list[tuple[int, int, int]] = dataclasses.field(default_factory=list)
    actions: list[str] = dataclasses.field(default_factory=list)
    planted: list[tuple[int, int]] = dataclasses.field(default_factory=list)


_RE_CK_RESERVED = re.compile(
    r"crashkernel reserved: 0x([0-9a-fA-F]+) - 0x([0-9a-fA-F]+)")


def crashkernel_reserved(serial: "Serial") -> Optional[tuple[int, int]]:
    """The crash kernel's memory, [start, end), as the first kernel
    reported it (it moves with the kernel version and the firmware)."""
    for _, line in serial.lines:
        m = _RE_CK_RESERVED.search(line)
        if m:
            return int(m.group(1), 16), int(m.group(2), 16)
    return None


def fault_plan(kind: str, meta: dict,
               read: Callable[[int], int]) -> Fault:
    """The damage `kind` does, computed from the snapshot of the stream
    table (meta) and, for what the snapshot does not hold, from guest
    memory (read: 64-bit reads of guest physical memory)."""
    if meta["fmt"] != "2lvl":
        raise RigError("fault injection needs a 2-level stream table")
    files = meta["files"]
    l1 = next(f for f in files if f["file"] == "l1.bin")
    split = meta["split"]
    ck = meta.get("crashkernel")
    rnd = random.Random(FAULT_SEED)

    def into_crashkernel() -> int:
        # 16 MiB into the reservation the first kernel reported
        if not ck:
            raise RigError("no 'crashkernel reserved' line from the first kernel")
        return ck[0] + (16 << 20)

    def l1_addr(sid: int) -> int:
        return l1["phys"] + (sid >> split) * 8

    def l2_of(sid: int) -> dict:
        for f in files:
            if f.get("l1") == sid >> split:
                return f
        raise RigError(f"no L2 table for SID {sid:#x} in the snapshot")

    def ste(sid: int) -> tuple[int, list[int]]:
        """The address and the eight words of the STE of `sid`."""
        f = l2_of(sid)
        off = (sid & ((1 << split) - 1)) * 64
        raw = (Path(meta["dir"]) / f["file"]).read_bytes()
        return f["phys"] + off, list(struct.unpack_from("<8Q", raw, off))

    def nic_cd() -> int:
        """The NIC's one CD (stage 1, no substreams: S1CDMax 0)."""
        _, w = ste(NET_SID)
        if (w[0] >> 1) & 7 != 5 or w[0] >> 59:
            raise RigError(f"NIC STE {w[0]:#x}: not stage 1 with a single CD")
        return w[0] & L2PTR_MASK

    f = Fault()
    if kind in ("l1-into-crashkernel", "l1-outside-ram"):
        # The descriptor of the root ports' SIDs (0x000-0x0ff) or of the
        # data disk's points into crash-kernel memory or beyond RAM.
        sid, l2 = ((0x0, into_crashkernel()) if kind == "l1-into-crashkernel"
                   else (DATA_SID, OUTSIDE_RAM))
        f.pokes.append((l1_addr(sid), (l2 & L2PTR_MASK) | (split + 1), 64))
        f.planted.append((l2 & L2PTR_MASK, 64 << split))
    elif kind == "l1-bad-span":
        # The NIC's descriptor claims more STEs than an L2 table holds
        f.pokes.append((l1_addr(NET_SID), l2_of(NET_SID)["phys"] | (split + 4), 64))
    elif kind == "l1-random":
        # Garbage over the descriptors of SIDs 0x200-0x7ff (the data disk
        # and the NIC among them); the dump disk's (0x100) stays.
        for i in range(2, 8):
            val = rnd.getrandbits(64)
            f.pokes.append((l1["phys"] + i * 8, val, 64))
            f.planted.append((val & L2PTR_MASK, 64 << split))
    elif kind == "l2-random":
        # Garbage over the first 8 STEs of the NIC's L2 table (0x300-0x307)
        base, _ = ste(NET_SID & ~7)
        for i in range(8 * 8):
            f.pokes.append((base + i * 8, rnd.getrandbits(64), 64))
    elif kind in ("ste-illegal", "ste-bypass", "ste-invalid"):
        # A listed device's STE: Config 0b011 (reserved: ILLEGAL), 0b100
        # (bypass) or V=0
        addr, w = ste(NET_SID)
        q0 = {"ste-illegal": (w[0] & ~0xf) | 0x1 | (0x3 << 1),
              "ste-bypass": (w[0] & ~0xf) | 0x1 | (0x4 << 1),
              "ste-invalid": w[0] & ~0x1}[kind]
        f.pokes.append((addr, q0, 64))
    elif kind in ("cd-into-crashkernel", "cd-outside-ram"):
        # The NIC's S1ContextPtr
        addr, w = ste(NET_SID)
        nic_cd()
        ptr = into_crashkernel() if kind == "cd-into-crashkernel" else OUTSIDE_RAM
        f.pokes.append((addr, (w[0] & ~L2PTR_MASK) | (ptr & L2PTR_MASK), 64))
        f.planted.append((ptr, 64))
    elif kind == "s1-ttb-into-crashkernel":
        # TTB0 of the NIC's CD
        cd = nic_cd()
        ttb = into_crashkernel()
        f.pokes.append((cd + 8, (read(cd + 8) & ~TTB_MASK) | ttb, 64))
        f.planted.append((ttb, 4096))
    elif kind == "s2-ttb-into-crashkernel":
        # The NIC's S2TTB (a stage 2 STE)
        addr, w = ste(NET_SID)
        if (w[0] >> 1) & 7 != 6:
            raise RigError(f"NIC STE {w[0]:#x}: not stage 2")
        ttb = into_crashkernel()
        f.pokes.append((addr + 24, (w[3] & ~TTB_MASK) | ttb, 64))
        f.planted.append((ttb, 4096))
    elif kind == "evtq-damaged":
        # EVTQ_BASE beyond RAM (a 128-entry queue), PROD 5 ahead of CONS:
        # the device dump must not follow it
        f.pokes += [(SMMU_EVTQ_BASE, OUTSIDE_RAM | 7, 64),
                    (SMMU_EVTQ_PROD, 5, 32), (SMMU_EVTQ_CONS, 0, 32)]
    elif kind == "cmdq-wedged":
        f.actions.append("wedge-cmdq")
    elif kind.startswith("strtab-"):
        # STRTAB_BASE_CFG that the SMMU cannot use with this table: SPLIT 6
        # (this driver's tables use 8), LOG2SIZE beyond IDR1.SIDSIZE, or
        # the reserved FMT 0b10
        cfg = meta["regs"]["strtab_base_cfg"]
        new = {"strtab-split": (cfg & ~(0x1f << 6)) | (6 << 6),
               "strtab-log2size": (cfg & ~0x3f) | 0x3f,
               "strtab-fmt": (cfg & ~(0x3 << 16)) | (2 << 16)}.get(kind)
        if new is None:
            raise RigError(f"unknown corruption '{kind}'")
        f.pokes.append((SMMU_STRTAB_BASE_CFG, new, 32))
    else:
        raise RigError(f"unknown corruption '{kind}' (known: {', '.join(CORRUPTIONS)})")
    return f


def linear_rebase(proc: subprocess.Popen, serial: Serial, flood: Flood,
                  start: int) -> dict:
    """Have the first kernel's guest script re-base the live SMMU onto a
    linear stream table (guest/init linear_strtab) and wait for its end.
    The NIC flood pauses meanwhile (the guest pauses its disk reader): the
    first kernel's own SMMUEN=0 window would abort them and could leave
    the devices broken before the crash."""
    flood.flooding.clear()
    time.sleep(0.2)
    proc.stdin.write(b"linear\n")
    proc.stdin.flush()
    k = serial.wait_for("RIG-MARK linear-end", 60, start)
    flood.flooding.set()
    text = serial.lines[k][1]
    return {"ok": "linear-end ok" in text,
            "end": text[text.index("RIG-MARK"):].strip()}


def make_data_disk(path: Path, mib: int = 64) -> None:
    """A disk whose every sector starts with 'RIG-DATA sector N'."""
    if path.exists() and path.stat().st_size == mib << 20:
        return
    sectors = (mib << 20) // 512
    buf = bytearray(mib << 20)
    for s in range(sectors):
        tag = b"RIG-DATA sector %d" % s
        buf[s * 512:s * 512 + len(tag)] = tag
    path.write_bytes(buf)


def load_args(cfg: Config) -> str:
    """kexec's options for the scenario's system call.  -c: kexec-tools
    2.0.32 tries kexec_file_load first when given neither -s nor -c.  -i:
    purgatory's SHA-256 check takes about 2 s under TCG, long enough for
    the flooded NIC to fill its rx buffers, so that no DMA would be in
    flight when the crash kernel probes the SMMU."""
    return "-s" if cfg.load == "file" else "-c -i"


def make_dump_disk(cfg: Config, path: Path) -> None:
    """ext2 disk holding rig.conf, the crash kernel and its initramfs."""
    stage = cfg.run_dir / "dumpfs"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    shutil.copy(cfg.kernel_dir / "Image", stage / "Image")
    shutil.copy(cfg.initramfs, stage / "initramfs.cpio.gz")
    load = load_args(cfg)
    crash_cmdline = ("console=ttyAMA0 nr_cpus=1 reset_devices kunit.enable=0 "
                     + acpi_args(cfg) + topology_args(cfg)
                     + cfg.crash_cmdline).strip()
    conf = (
        f"KEXEC_ARGS='{load} {cfg.kexec_args}'\n"
        f"CRASH_CMDLINE='{crash_cmdline}'\n"
        f"DMA_LOAD={1 if cfg.dma_load else 0}\n"
        f"EXPECT_KEXEC_FAIL={1 if cfg.expect_kexec_fail else 0}\n"
        f"KDUMP_TOOLS={1 if cfg.kdump_tools else 0}\n"
    )
    (stage / "rig.conf").write_text(conf)
    if cfg.kdump_tools:
        (stage / "kdump-tools.conf").write_text(kdump_tools_conf(cfg))
    if path.exists():
        path.unlink()
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096",
                    "-d", str(stage), str(path), "1536M"],
                   check=True, capture_output=True)
    shutil.rmtree(stage)


# What /etc/default/kdump-tools says when KDUMP_CMDLINE_APPEND is unset
# (kdump-config's default, which the rig keeps and extends)
KDUMP_TOOLS_APPEND = "reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1"
KDUMP_COREDIR = "/var/crash"


def kdump_tools_conf(cfg: Config) -> str:
    """The administrator's settings for /etc/default/kdump-tools, which
    the guest appends to the package's template.  kdump-config builds the
    crash kernel's command line itself: the first kernel's /proc/cmdline
    without crashkernel= (console, kunit.enable=0, the firmware and
    topology arguments carry over), then KDUMP_CMDLINE_APPEND.  -s (the
    file load) is set by hand: kdump-config adds it by itself only under
    Secure Boot; so is -c -i on the other path (load_args())."""
    args = " ".join(a for a in (load_args(cfg), cfg.kexec_args) if a)
    append = " ".join(a for a in (KDUMP_TOOLS_APPEND, cfg.crash_cmdline.strip())
                      if a)
    return (
        f"# arm-smmu-kdump rig, {cfg.run_dir.name}: the administrator's policy\n"
        "USE_KDUMP=1\n"
        "KDUMP_KERNEL=/var/lib/kdump/vmlinuz\n"
        "KDUMP_INITRD=/var/lib/kdump/initrd.img\n"
        f"KDUMP_COREDIR=\"{KDUMP_COREDIR}\"\n"
        f"KDUMP_KEXEC_ARGS=\"{args}\"\n"
        f"KDUMP_CMDLINE_APPEND=\"{append}\"\n"
    )


def acpi_args(cfg: Config) -> str:
    """Kernel arguments for the firmware: under UEFI, Linux must use the
    ACPI tables in both kernels even if the firmware also hands over a DT
    (Debian's edk2 passes none today: the stub generates an empty one)."""
    if cfg.firmware == "uefi":
        return "acpi=force "
    if cfg.firmware:
        raise ValueError(f"unknown firmware {cfg.firmware}")
    return ""


def topology_args(cfg: Config) -> str:
    """Kernel arguments that tell the guest script (both kernels) where
    its devices are; the kernel itself ignores them (dotted, unknown)."""
    if cfg.topology == "rootports":
        return ""
    if cfg.topology in TOPOLOGIES:
        return f"rig.topology={cfg.topology} "
    raise ValueError(f"unknown topology {cfg.topology}")


def device_args(cfg: Config, flood: Flood) -> list[str]:
    """The three virtio devices: each behind its own root port, or as
    integrated endpoints on pcie.0 (topology pcie0)."""
    def dev(key: str) -> str:
        on = "off" if key in cfg.untranslated else "on"
        return f"iommu_platform={on},disable-legacy=on"

    if cfg.topology == "pcie0":
        buses = {k: f"bus=pcie.0,addr={v:#x}" for k, v in PCIE0_SLOTS.items()}
        ports: list[str] = []
    elif cfg.topology == "rootports":
        buses = {"dump": "bus=rp1", "data": "bus=rp2", "net": "bus=rp3"}
        ports = [
            "-device", "pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x2",
            "-device", "pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=0x3",
            "-device", "pcie-root-port,id=rp3,bus=pcie.0,chassis=3,addr=0x4",
        ]
    else:
        raise ValueError(f"unknown topology {cfg.topology}")
    return [
        *ports,
        "-drive", f"file={cfg.run_dir / 'dump.img'},if=none,format=raw,id=dump",
        "-device", f"virtio-blk-pci,drive=dump,{buses['dump']},{dev('dump')}",
        "-drive", f"file={cfg.run_dir / 'data.img'},if=none,format=raw,id=data,readonly=on",
        "-device", f"virtio-blk-pci,drive=data,{buses['data']},{dev('data')}",
        "-netdev", flood.netdev(),
        # 256 rx buffers: 2.5 s of flood, which outlasts the crash
        # kernel's probe.  Not more: QEMU 10.0 writes a used-ring element
        # that straddles a 4 KiB IOVA page with one translation, so its
        # second half lands in the physically next page (the used ring of
        # a 1024-entry queue spans pages; one of 256 fits in one).
        "-device", f"virtio-net-pci,netdev=n0,{buses['net']},mac=52:54:00:12:34:56,"
                   f"rx_queue_size=256,romfile=,{dev('net')}",
        *bypass_bridge_args(cfg),
    ]


# The device behind the bridge that bypasses the SMMU, as the guest names it
BYPASS_PCI = "0000:81:00.0"


def bypass_bridge_args(cfg: Config) -> list[str]:
    """A second host bridge (bus 0x80) outside the SMMU's ID mappings,
    with a root port and an entropy device on bus 0x81: a PCI device that
    is not behind any SMMUv3."""
    if not cfg.bypass_bridge:
        return []
    if cfg.firmware != "uefi":
        raise RigError("a pxb-pcie host bridge needs ACPI (firmware=uefi)")
    return [
        "-device", "pxb-pcie,id=pxb80,bus_nr=0x80,bus=pcie.0,bypass_iommu=on",
        "-device", "pcie-root-port,id=rp80,bus=pxb80,chassis=80,addr=0x0",
        "-device", "virtio-rng-pci,bus=rp80,romfile=",
    ]


def firmware_args(cfg: Config) -> list[str]:
    if cfg.firmware != "uefi":
        return []
    if not UEFI_FIRMWARE.exists():
        raise RigError(f"{UEFI_FIRMWARE} missing: apt-get install qemu-efi-aarch64")
    return ["-bios", str(UEFI_FIRMWARE)]


def qemu_binary() -> str:
    """$RIG_QEMU (another build, e.g. with a model fix) or Debian's."""
    return os.environ.get("RIG_QEMU") or "qemu-system-aarch64"


FDT_MAGIC, FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = \
    0xd00dfeed, 1, 2, 3, 4, 9


def fdt_drop_property(dtb: bytes, nodes: tuple[str, ...], prop: str) -> bytes:
    """`dtb` with property `prop` of the root ("" in `nodes`) and of the
    nodes whose name starts with one of `nodes` turned into FDT_NOP tokens,
    and without the free space at its end."""
    magic, _, off_struct, off_strings = struct.unpack_from(">4I", dtb)
    if magic != FDT_MAGIC:
        raise RigError("not a flattened device tree")
    out = bytearray(dtb)
    path: list[str] = []
    p, dropped = off_struct, 0
    while True:
        tok = struct.unpack_from(">I", dtb, p)[0]
        if tok == FDT_BEGIN_NODE:
            end = dtb.index(b"\0", p + 4)
            path.append(dtb[p + 4:end].decode())
            p = (end + 4) & ~3
        elif tok == FDT_END_NODE:
            path.pop()
            p += 4
        elif tok == FDT_PROP:
            size, nameoff = struct.unpack_from(">II", dtb, p + 4)
            name_end = dtb.index(b"\0", off_strings + nameoff)
            name = dtb[off_strings + nameoff:name_end].decode()
            nxt = (p + 12 + size + 3) & ~3
            here = path[-1] if path else None
            if name == prop and here is not None and any(
                    here == n if n == "" else here.startswith(n) for n in nodes):
                out[p:nxt] = struct.pack(">I", FDT_NOP) * ((nxt - p) // 4)
                dropped += 1
            p = nxt
        elif tok == FDT_NOP:
            p += 4
        elif tok == FDT_END:
            break
        else:
            raise RigError(f"bad FDT token {tok:#x} at {p:#x}")
    if not dropped:
        raise RigError(f"no {prop} in the nodes {nodes} of the device tree")
    # QEMU dumps the tree padded to 1 MiB, and a kernel booted with -dtb
    # then prints nothing at all: drop the free space after the strings
    size_strings = struct.unpack_from(">I", dtb, 32)[0]
    if off_strings < off_struct:
        raise RigError("device tree strings before its structure")
    size = off_strings + size_strings
    struct.pack_into(">I", out, 4, size)
    return bytes(out[:size])


def noncoherent_dtb(cfg: Config, machine: list[str]) -> Path:
    """The device tree QEMU generates for this machine, with dma-coherent
    dropped from the SMMU node and from the root (whose dma-coherent
    of_dma_is_coherent() inherits): both kernels then drive a non-coherent
    SMMU, the PCIe host bridge, which has its own, stays coherent (kexec
    hands the first kernel's tree to the crash kernel)."""
    dtb = cfg.run_dir / "noncoherent.dtb"
    dump = cfg.run_dir / "virt.dtb"
    m = list(machine)
    m[1] += f",dumpdtb={dump}"
    subprocess.run([qemu_binary(), *m, "-cpu", "max,pauth-impdef=on",
                    "-smp", "2", "-m", "1G", "-display", "none",
                    "-nic", "none"], check=True, capture_output=True)
    dtb.write_bytes(fdt_drop_property(dump.read_bytes(), ("", "smmuv3@"),
                                      "dma-coherent"))
    return dtb


def qemu_command(cfg: Config, flood: Flood, qmp_path: Path) -> list[str]:
    if cfg.stage == "nested":
        machine = ["-M", "virt,iommu=smmuv3,gic-version=3,dtb-randomness=off"]
    elif cfg.stage in ("1", "2"):
        machine = ["-M", "virt-9.1,iommu=smmuv3,gic-version=3,dtb-randomness=off",
                   "-global", f"arm-smmuv3.stage={cfg.stage}"]
    else:
        raise ValueError(f"unknown stage {cfg.stage}")
    dtb = (["-dtb", str(noncoherent_dtb(cfg, machine))]
           if cfg.noncoherent else [])
    events = cfg.run_dir / "trace-events"
    events.write_text("\n".join(TRACE_EVENTS + list(cfg.trace_events)) + "\n")
    # KUnit suites run in their own boot (tests/kunit); scenario boots do
    # not also run them, so their side effects cannot reach a verdict.
    append = (f"console=ttyAMA0 crashkernel={cfg.crashkernel} panic=-1 "
              f"kunit.enable=0 {acpi_args(cfg)}{topology_args(cfg)}"
              f"{cfg.first_cmdline}").strip()
    return [
        qemu_binary(), *machine,
        "-cpu", "max,pauth-impdef=on", "-smp", "2", "-m", "1G",
        *(["-icount", "shift=0,sleep=off"] if cfg.icount else []),
        "-no-reboot", "-display", "none", "-monitor", "none",
        "-serial", "stdio",
        "-qmp", f"unix:{qmp_path},server=on,wait=off",
        "-msg", "timestamp=on", "-d", "guest_errors",
        "-trace", f"events={events},file={cfg.run_dir / 'trace.log'}",
        *firmware_args(cfg),
        "-kernel", str(cfg.kernel_dir / "Image"), *dtb,
        "-initrd", str(cfg.initramfs),
        "-append", append,
        *device_args(cfg, flood),
    ]


def extract(img: Path, name: str, dest: Path) -> bool:
    r = subprocess.run(["debugfs", "-R", f"dump -p /{name} {dest}", str(img)],
                       capture_output=True, text=True)
    return r.returncode == 0 and dest.exists() and dest.stat().st_size > 0


def ls_ext2(img: Path, path: str) -> list[tuple[str, bool]]:
    """(name, is a directory) of each entry of `path` on the ext2 image."""
    r = subprocess.run(["debugfs", "-R", f"ls -p {path}", str(img)],
                       capture_output=True, text=True)
    out = []
    for line in r.stdout.splitlines():
        # /inode/mode/uid/gid/name/size/
        f = line.split("/")
        if len(f) < 7 or f[5] in (".", ".."):
            continue
        out.append((f[5], f[2].startswith("04")))
    return out


FLAT_SIGNATURE = b"makedumpfile"
FLAT_HEADER_SIZE = 4096


def rearrange_flattened(src: Path, dst: Path) -> int:
    """Turn makedumpfile's flattened output (-F: a 4 KiB header, then
    blocks of big-endian (offset, size) and data, ended by (-1, -1)) into
    the kdump-compressed file it describes, as `makedumpfile -R` does.
    Returns the number of blocks."""
    n = 0
    with open(src, "rb") as f, open(dst, "wb") as out:
        hdr = f.read(FLAT_HEADER_SIZE)
        kind, version = struct.unpack_from(">qq", hdr, 16)
        if not hdr.startswith(FLAT_SIGNATURE) or (kind, version) != (1, 1):
            raise RigError(f"{src.name}: not a flattened makedumpfile dump")
        while True:
            h = f.read(16)
            if len(h) < 16:
                raise RigError(f"{src.name}: flattened dump ends without its end mark")
            off, size = struct.unpack(">qq", h)
            if off == -1 and size == -1:
                return n
            if off < 0 or size < 0:
                raise RigError(f"{src.name}: bad block ({off}, {size})")
            data = f.read(size)
            if len(data) != size:
                raise RigError(f"{src.name}: flattened dump cut short")
            out.seek(off)
            out.write(data)
            n += 1


# Files the guest leaves at the dump disk's root in a kdump-tools run
KDUMP_TOOLS_FILES = ("kdump-tools.conf", "etc-default-kdump-tools.txt",
                     "kdump-config-load.txt", "kdump-config-status.txt",
                     "kdump-config-show.txt", "kdump-config-savecore.txt",
                     "kexec_cmd", "first-syslog.txt", "crash-syslog.txt")


def collect_kdump_tools(img: Path, run_dir: Path) -> dict:
    """Copy what kdump-tools left on the dump disk (KDUMP_COREDIR) into
    run_dir/kdump-tools/, and the dump that "kdump-config savecore" saved
    (<stamp>/dump.<stamp>, flattened) into run_dir/vmcore."""
    out = run_dir / "kdump-tools"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    info: dict = {"files": [n for n in KDUMP_TOOLS_FILES
                            if extract(img, n, out / n)]}
    root = ls_ext2(img, "/")
    info["root"] = sorted(n for n, _ in root)
    stamps = sorted(n for n, d in root if d and n[:1].isdigit())
    info["stamp_dirs"] = stamps
    if not stamps:
        return info
    stamp = stamps[-1]
    saved = [n for n, d in ls_ext2(img, f"/{stamp}") if not d]
    info["saved"] = [f"{stamp}/{n}" for n in saved]
    dmesg = next((n for n in saved if n.startswith("dmesg.")), None)
    if dmesg and extract(img, f"{stamp}/{dmesg}", out / dmesg):
        info["dmesg"] = f"{stamp}/{dmesg}"
    dump = next((n for n in saved if n.startswith("dump.")), None)
    if dump is None:
        return info
    flat = run_dir / "dump.flattened"
    if extract(img, f"{stamp}/{dump}", flat):
        info["dump"] = f"{stamp}/{dump}"
        info["dump_bytes"] = flat.stat().st_size
        try:
            info["flattened_blocks"] = rearrange_flattened(flat, run_dir / "vmcore")
        except RigError as e:
            info["rearrange_error"] = str(e)
            (run_dir / "vmcore").unlink(missing_ok=True)
        flat.unlink()
    return info


def run(cfg: Config) -> dict:
    """Run one crash.  Returns run.json's content; raises nothing for a
    guest failure (the outcome says what happened), RigError only when the
    host side itself cannot go on."""
    cfg.run_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("trace.log", "vmcore", "serial.tsv", "serial.log"):
        (cfg.run_dir / stale).unlink(missing_ok=True)
    shared_data = cfg.run_dir.parent / "data.img"
    make_data_disk(shared_data)
    data = cfg.run_dir / "data.img"
    if not data.exists():
        os.link(shared_data, data)
    make_dump_disk(cfg, cfg.run_dir / "dump.img")

    flood = Flood(cfg.flood_hz)
    qmp_path = cfg.run_dir / "qmp.sock"
    qmp_path.unlink(missing_ok=True)
    cmd = qemu_command(cfg, flood, qmp_path)
    (cfg.run_dir / "qemu.cmd").write_text(" ".join(cmd) + "\n")
    result: dict = {"config": {k: str(v) for k, v in dataclasses.asdict(cfg).items()},
                    "outcome": "unknown", "times": {}}
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=open(cfg.run_dir / "qemu.stderr", "wb"))
    serial = Serial(proc.stdout, cfg.run_dir / "serial.tsv",
                    cfg.run_dir / "serial.log")
    flood.start()
    flood.flooding.set()
    qmp: Optional[QMP] = None
    try:
        qmp = QMP(qmp_path)
        if cfg.expect_kexec_fail:
            serial.wait_for("RIG-MARK kexec-load", cfg.boot_timeout)
            proc.wait(timeout=60)
            result["outcome"] = "kexec-refused"
            return result
        i = serial.wait_for("RIG-MARK ready-to-crash", cfg.boot_timeout,
                            fail_on=KERNEL_FAILURES)
        result["times"]["ready"] = serial.lines[i][0] - t0
        if cfg.linear:
            result["linear"] = linear_rebase(proc, serial, flood, i)
        if cfg.snapshot:
            qmp.cmd("stop")
            try:
                result["strtab"] = snapshot_strtab(qmp, cfg.run_dir / "strtab")
            finally:
                qmp.cmd("cont")
        if cfg.corrupt:
            meta = dict(result["strtab"], crashkernel=crashkernel_reserved(serial))
            fault = fault_plan(cfg.corrupt, meta, qmp.read_phys)
            result["pokes"] = [[hex(a), hex(v), w] for a, v, w in fault.pokes]
            result["planted"] = [[hex(a), n] for a, n in fault.planted]
            result["actions"] = fault.actions
            for addr, val, width in fault.pokes:
                proc.stdin.write(f"poke {addr:#x} {val:#x} {width}\n".encode())
                proc.stdin.flush()
                serial.wait_for(f"RIG-MARK poked {addr:#x}", 30, i)
            for action in fault.actions:
                # The first kernel's own commands would race with the
                # wedge: the NIC's unmaps drain first, and the NIC stays
                # idle up to the crash (guest/init wedge_cmdq).
                flood.flooding.clear()
                time.sleep(0.5)
                proc.stdin.write(f"{action}\n".encode())
                proc.stdin.flush()
                serial.wait_for(f"RIG-MARK {ACTION_MARKS[action]}", 30, i)
        if not cfg.dma_load:
            flood.flooding.clear()
        proc.stdin.write(b"crash\n")
        proc.stdin.flush()
        j = serial.wait_for("RIG-MARK crash", 30, i)
        result["times"]["crash"] = serial.lines[j][0] - t0
        k = serial.wait_for("RIG-MARK crash-userspace", cfg.crash_timeout, j)
        result["times"]["crash_userspace"] = serial.lines[k][0] - t0
        # The crash kernel's own NIC check needs frames again.
        flood.flooding.set()
        serial.wait_for("RIG-MARK poweroff", cfg.crash_timeout, k)
        proc.wait(timeout=30)
        result["times"]["poweroff"] = time.time() - t0
        result["outcome"] = "completed"
    except FirstKernelFailure as e:
        result["outcome"] = f"first-kernel-failure: {e}"
    except RigError as e:
        result["outcome"] = f"rig-error: {e}"
    except subprocess.TimeoutExpired:
        result["outcome"] = "rig-error: QEMU did not exit after poweroff"
    finally:
        if qmp:
            qmp.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        serial.thread.join(5)
        flood.close()
        result["flood"] = {"sent": flood.sent, "received_from_guest": flood.received}
        result["marks"] = serial.marks()
        result["qemu_rc"] = proc.returncode
        if cfg.kdump_tools:
            result["kdump_tools"] = collect_kdump_tools(cfg.run_dir / "dump.img",
                                                        cfg.run_dir)
            result["vmcore"] = (cfg.run_dir / "vmcore").exists()
        else:
            result["vmcore"] = extract(cfg.run_dir / "dump.img", "vmcore",
                                       cfg.run_dir / "vmcore")
        for name in ("crash-dmesg.txt", "smmu-debugfs.bin"):
            extract(cfg.run_dir / "dump.img", name, cfg.run_dir / name)
        (cfg.run_dir / "run.json").write_text(json.dumps(result, indent=1))
    return result
