"""The review table's counts, counted again in the background when another connection has
changed the library (see ``desktop.core.entities.review_stats``).

At 100,000 articles counting every mention takes 1-2 s; on the window's thread it froze the
review when it opened and after every batch of entities found in the background. Here it runs
on a connection of its own, while the table shows the counts as they were; ``counted`` is
emitted once the new counts are in place. A request while a count runs is remembered and
carried out after it, after a pause of twice the count's time (at least ``AGAIN_MS``), so that
while entities keep arriving the counting takes at most a third of a core.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.entities.review_stats import CountTicket, count_ticket, install_counts, is_stale, read_counts
from desktop.core.library import Library

from .workers import Worker, WorkerPool

AGAIN_MS = 200


class BackgroundCounts(QObject):
    """Keeps the review's counts of one main window's library current, off the window's thread."""

    counted = Signal()  # new counts are in place
    settled = Signal()  # no count is under way or waiting any more
    failed = Signal(object)

    def __init__(self, window: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._pool = WorkerPool(max_threads=1, parent=self)
        self._worker: Worker | None = None
        self._again = False
        self._failed = False
        self._installed = False
        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._started = 0.0
        self._wait.timeout.connect(self.request)

    @property
    def busy(self) -> bool:
        """True while counts are being read (or wait to be read again)."""
        return self._worker is not None or self._wait.isActive()

    def request(self) -> None:
        """Count again if another connection has changed the library since the last count."""
        library: Library = self._window.library
        if self._worker is not None:
            self._again = True
            return
        if not is_stale(library.db):
            if not self.busy:
                self.settled.emit()
            return
        try:
            ticket = count_ticket(library.db)
            reader = library.connect()
        except (sqlite3.Error, OSError) as err:
            self.failed.emit(err)
            return
        self._started = time.monotonic()
        self._worker = self._pool.start(
            lambda progress, cancel: read_counts(reader.db),
            on_finished=lambda rows: self._install(library, ticket, rows),
            on_failed=self._fail,
            on_done=lambda: self._ended(reader),
            interrupt=reader.db.conn.interrupt,
        )

    def _install(self, library: Library, ticket: CountTicket, rows: list[tuple]) -> None:
        if library is self._window.library:  # not a library opened meanwhile in its place
            install_counts(library.db, ticket, rows)
            self._installed = True

    def _fail(self, err: BaseException) -> None:
        self._failed = True
        self.failed.emit(err)

    def _ended(self, reader: Library) -> None:
        reader.close()
        self._worker = None
        again, failed, installed = self._again, self._failed, self._installed
        self._again = self._failed = self._installed = False
        if not failed and (again or is_stale(self._window.library.db)):
            self._wait.start(max(AGAIN_MS, round(2000 * (time.monotonic() - self._started))))
        if installed:
            self.counted.emit()
        if not self.busy:
            self.settled.emit()

    def stop(self) -> None:
        """Stop counting and wait for the reader to return (the window closes)."""
        self._wait.stop()
        self._again = False
        self._pool.cancel_all()
        self._pool.wait()
