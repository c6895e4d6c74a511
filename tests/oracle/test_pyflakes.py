#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The project's Python passes pyflakes: a name that is not defined (a
function lost in an edit), an unused import, a redefinition.  The e2e
scenarios and the benchmarks only run their code paths when they run, so
without this a benchmark could break unseen (tests/bench/probe_time.py
once called a measure() that an edit had removed)."""

import shutil
import subprocess
import unittest
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]


class TestPyflakes(unittest.TestCase):
    def test_clean(self) -> None:
        tool = shutil.which("pyflakes3") or shutil.which("pyflakes")
        if tool is None:
            self.skipTest("pyflakes3 is not installed (scripts/setup-host.sh)")
        r = subprocess.run([tool, "tests", "scripts", "crash-extension"],
                           cwd=TOP, capture_output=True, text=True)
        self.assertEqual(r.stdout + r.stderr, "")
        self.assertEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main()
