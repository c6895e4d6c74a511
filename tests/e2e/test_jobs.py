# SPDX-License-Identifier: GPL-2.0
"""Unit tests of run.py's Slots: how many QEMU runs are under way with
--jobs, and a run that needs the host alone.

Run: python3 -m unittest discover -s tests/e2e -t . -p 'test_jobs.py' -v
"""

from __future__ import annotations

import threading
import unittest

from tests.e2e.run import Slots

# How long a thread is given to get somewhere it must not get
BLOCKED = 0.2
# How long a thread is given to get somewhere it must get
SOON = 5.0


class Holder:
    """A thread that takes a slot, says so, and keeps it until released."""

    def __init__(self, slots: Slots, alone: bool = False):
        self.entered = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(slots, alone),
                                       daemon=True)
        self.thread.start()

    def _run(self, slots: Slots, alone: bool) -> None:
        with slots.take(alone):
            self.entered.set()
            self.release.wait(SOON)

    def done(self) -> None:
        self.release.set()
        self.thread.join(SOON)


class SlotsTest(unittest.TestCase):
    def test_runs_share_the_slots(self):
        slots = Slots(2)
        a, b = Holder(slots), Holder(slots)
        self.assertTrue(a.entered.wait(SOON))
        self.assertTrue(b.entered.wait(SOON))
        c = Holder(slots)
        self.assertFalse(c.entered.wait(BLOCKED), "a third run started beside two")
        a.done()
        self.assertTrue(c.entered.wait(SOON))
        b.done()
        c.done()

    def test_a_run_alone_waits_and_holds_back_later_runs(self):
        slots = Slots(2)
        first = Holder(slots)
        self.assertTrue(first.entered.wait(SOON))
        alone = Holder(slots, alone=True)
        self.assertFalse(alone.entered.wait(BLOCKED),
                         "the run that needs the host alone started beside another")
        later = Holder(slots)
        self.assertFalse(later.entered.wait(BLOCKED),
                         "a run started while one that needs the host alone waited")
        first.done()
        self.assertTrue(alone.entered.wait(SOON))
        self.assertFalse(later.entered.wait(BLOCKED),
                         "a run started beside one that needs the host alone")
        alone.done()
        self.assertTrue(later.entered.wait(SOON))
        later.done()


if __name__ == "__main__":
    unittest.main()
