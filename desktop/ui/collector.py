"""Python's cyclic garbage collection, run on the GUI thread only.

Closed dialogs, replaced sidebar sections, finished workers' pools and the like often end up
in reference cycles, which only the cyclic collector frees, and freeing them destroys their Qt
objects. Left automatic, a collection starts on whichever thread happens to allocate at that
moment — a query, upgrade or import worker as often as not — and destroys those widgets, timers
and thread pools there while the GUI thread is using Qt, which Qt does not allow: the process
crashes at random, seldom, and never twice in the same place.

``GuiThreadCollector.install(app)`` switches automatic collection off for the process and
collects from a timer of the GUI thread instead, each generation when the automatic collector
would have collected it: when its count passes ``gc.get_threshold()``, and the oldest one only
once the objects it holds grew by a quarter since its last collection (CPython's own rule: a full
collection of a window with its models loaded takes a tenth of a second or more, so it must stay
rare). Worker processes forked afterwards get automatic collection back. A library that turns
automatic collection back on after its own work (srsly, through which spaCy reads its models,
does after every file) is overruled: the first collection it lets start off the GUI thread, and
the timer's next turn, turn it off again.
"""

from __future__ import annotations

import gc
import os
import threading

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 100  # garbage made by workers meanwhile waits at most this long


class GuiThreadCollector(QObject):
    """The process's cyclic collector, run by a timer of the GUI thread; one per application."""

    _installed: GuiThreadCollector | None = None

    @classmethod
    def install(cls, app: QObject) -> GuiThreadCollector:
        """Collect on ``app``'s thread from now on (once per process; later calls return it)."""
        if cls._installed is None:
            cls._installed = cls(app)
        return cls._installed

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        os.register_at_fork(after_in_child=gc.enable)
        self._long_lived = len(gc.get_objects(generation=2))
        gc.callbacks.append(self._started)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation that is due, and the younger ones with it; returns the
        generation collected, -1 if none was due."""
        gc.disable()  # in case a library turned it on again
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return -1
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 1
            if counts[2] > thresholds[2] and self._oldest_grew():
                generation = 2
        gc.collect(generation)
        if generation == 2:
            self._long_lived = len(gc.get_objects(generation=2))
        return generation

    def _oldest_grew(self) -> bool:
        """Whether the oldest generation grew by more than a quarter since its last collection."""
        return len(gc.get_objects(generation=2)) - self._long_lived > self._long_lived / 4

    @staticmethod
    def _started(phase: str, info: dict) -> None:
        """Called by every collection: one started off the GUI thread was let in by a library
        that turned automatic collection on again; no other follows it."""
        if phase == "start" and threading.current_thread() is not threading.main_thread():
            gc.disable()
