"""Edits too large for the window's thread: one transaction on the writer that Cancel rolls back.

An edit of ``BULK_ARTICLES`` articles or more — a tag, a star or a reading state put on
20,000 selected articles, or the Undo / Redo of one — takes seconds, so ``Operations`` runs it
on the window's writer with a progress bar and Cancel in the status bar
(``Operations.apply_edit`` / ``step_edit``); fewer articles are changed at once on the window's
connection, so the reader repaints with them.

``UntilCommit`` is such an edit as a writer job. Cancel interrupts it and the whole edit rolls
back, up to the moment it starts to commit; from then on the edit is done, and it is reported
as done (recorded for Undo and announced) even if Cancel came a moment late.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Callable, Generic, TypeVar

from sqlite_utils import Database

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library

T = TypeVar("T")

BULK_ARTICLES = 500


class UntilCommit(Generic[T]):
    """``edit(db)`` as a job for the writer (``job(library, *, progress, cancel)``) that ``cancel``
    stops and rolls back until it commits (see the module docstring)."""

    def __init__(self, edit: Callable[[Database], T]) -> None:
        self._edit = edit
        self._lock = threading.Lock()
        self._running: sqlite3.Connection | None = None
        self._stopped = False

    def __call__(self, library: Library, *, progress: ProgressCallback, cancel: CancelToken) -> T:
        db = library.db
        try:
            with db.atomic():
                with self._lock:
                    if self._stopped:
                        raise Cancelled("The edit was cancelled.")
                    self._running = db.conn
                try:
                    result = self._edit(db)
                finally:
                    with self._lock:
                        self._running = None
                if self._stopped:  # from here on a cancel comes too late: the edit commits
                    raise Cancelled("The edit was cancelled.")
        except sqlite3.OperationalError as err:
            if self._stopped:
                raise Cancelled("The edit was cancelled.") from err
            raise
        return result

    def cancel(self) -> None:
        """Stop the edit: it rolls back, unless it is already committing."""
        with self._lock:
            self._stopped = True
            if self._running is not None:
                self._running.interrupt()
