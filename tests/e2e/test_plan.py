# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the scenarios' kernel lines and run.py's planning.

Run: python3 -m unittest discover -s tests/e2e -t . -p 'test_*.py' -v
"""

from __future__ import annotations

import unittest

from tests.e2e import scenarios as S

ALL = {S.kernel_key(v, ln) for v in ("stock", "project") for ln in S.LINES}
NO_PROJECT_72 = ALL - {S.kernel_key("project", S.MAINLINE)}

# What the issue asks of 6.12 besides the stock scenarios those compare with:
# keep and abort per stage, the default, one fault, the ACPI keep-pci one;
# and the wedged command queue and a non-coherent SMMU, whose changes the
# backport carries too; a linear stream table (stage 1).
BACKPORT_PROJECT = {
    "project-s1-keep-nic", "project-s1-abort-nic",
    "project-s2-keep-nic", "project-s2-abort-nic",
    "project-nested-keep-nic", "project-nested-abort-nic",
    "project-nested-default", "fault-l1-into-crashkernel",
    "acpi-project-nested-keep-pci", "project-nested-passthrough",
    "fault-cmdq-wedged", "noncoherent-nested-default",
    "project-s1-keep-nic-crash-passthrough", "linear-project-s1-keep-nic",
}


def ids(runs):
    return [r.id for r in runs]


class Lines(unittest.TestCase):
    def test_every_scenario_runs_on_mainline(self):
        for sc in S.SCENARIOS.values():
            self.assertIn(S.MAINLINE, sc.lines, sc.name)
            self.assertTrue(set(sc.lines) <= set(S.LINES), sc.name)

    def test_backport_set(self):
        on_612 = {n for n, sc in S.SCENARIOS.items() if S.BACKPORT in sc.lines}
        project = {n for n in on_612 if S.SCENARIOS[n].variant == "project"}
        self.assertEqual(project, BACKPORT_PROJECT)
        # every stock scenario a 6.12 comparison needs runs on 6.12
        for c in S.COMPARISONS:
            if c.stock.endswith("-" + S.BACKPORT):
                base = c.stock[:-len(S.BACKPORT) - 1]
                self.assertIn(base, on_612)
                pbase = c.project[:-len(S.BACKPORT) - 1]
                self.assertIn(pbase, on_612)


class Plan(unittest.TestCase):
    def test_all_kernels(self):
        runs = S.plan([], ALL)
        n = sum(len(sc.lines) for sc in S.SCENARIOS.values())
        self.assertEqual(len(runs), n)
        self.assertIn("stock-s1-dma-7.2", ids(runs))
        self.assertIn("project-nested-keep-all-7.2", ids(runs))
        self.assertNotIn("project-nested-keep-all-6.12", ids(runs))
        self.assertIn("acpi-project-nested-keep-pci-6.12", ids(runs))

    def test_no_project_72_keeps_612_as_today(self):
        runs = ids(S.plan([], NO_PROJECT_72))
        for n, sc in S.SCENARIOS.items():
            if sc.variant == "project":
                self.assertIn(f"{n}-6.12", runs)
                self.assertNotIn(f"{n}-7.2", runs)
        self.assertIn("stock-s1-idle-7.2", runs)
        self.assertIn("stock-s1-dma-7.2", runs)
        self.assertIn("stock-s1-dma-6.12", runs)

    def test_legacy_kernels_are_612(self):
        k = S.parse_kernels(["stock=/a", "project=/b"])
        self.assertEqual(set(k), {"stock-6.12", "project-6.12"})
        runs = S.plan(["stock-s1-idle", "project-nested-keep-all"], k)
        self.assertEqual(ids(runs), ["stock-s1-idle-6.12",
                                     "project-nested-keep-all-6.12"])

    def test_named_run_ids(self):
        runs = S.plan(["stock-s1-dma-7.2", "stock-s1-dma", "stock-s1-dma-6.12"],
                      ALL)
        self.assertEqual(ids(runs), ["stock-s1-dma-7.2", "stock-s1-dma-6.12"])
        self.assertEqual(runs[0].kernel, "stock-7.2")
        # explicitly asked for, off the scenario's own lines
        runs = S.plan(["project-nested-keep-all-6.12"], ALL)
        self.assertEqual(runs[0].kernel, "project-6.12")

    def test_only_lines(self):
        runs = S.plan([], ALL, only=("6.12",))
        self.assertTrue(runs)
        self.assertTrue(all(r.line == "6.12" for r in runs))

    def test_errors(self):
        with self.assertRaises(ValueError):
            S.plan(["no-such-scenario"], ALL)
        with self.assertRaises(ValueError):
            S.plan(["stock-s1-dma-7.3"], ALL)
        with self.assertRaises(ValueError):
            S.plan(["project-s1-keep-nic-7.2"], NO_PROJECT_72)
        with self.assertRaises(ValueError):
            S.plan(["project-s1-keep-nic"], {"stock-7.2"})
        for bad in ("stock-7.3=/x", "kernel=/x", "stock-7.2", "stock-7.2="):
            with self.assertRaises(ValueError, msg=bad):
                S.parse_kernels([bad])

    def test_titles_name_the_kernel(self):
        r = S.SCENARIOS["stock-s1-dma"].on_line("7.2")
        self.assertTrue(r.title("x").startswith("stock 7.2: stage 1 "))
        r = S.SCENARIOS["project-s1-keep-nic"].on_line("6.12")
        self.assertTrue(r.title("x").startswith("project 6.12: stage 1 "))

    def test_comparisons_per_line(self):
        runs = {r.id for r in S.plan([], ALL)}
        both = [c for c in S.COMPARISONS
                if c.stock in runs and c.project in runs]
        self.assertEqual(len(both), 6)
        runs = {r.id for r in S.plan([], NO_PROJECT_72)}
        both = [c for c in S.COMPARISONS
                if c.stock in runs and c.project in runs]
        self.assertEqual(len(both), 3)
        self.assertTrue(all("side by side 6.12:" in c.title for c in both))


if __name__ == "__main__":
    unittest.main()
