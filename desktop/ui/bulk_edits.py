"""Edits too large for the window's thread: one transaction on the writer that Cancel rolls back.

An edit of ``BULK_ARTICLES`` articles or more — a tag, a star or a reading state put on
20,000 selected articles, or the Undo / Redo of one — takes seconds, so ``Operations`` runs it
on the window's writer with a progress bar and Cancel in the status bar
(``Operations.apply_edit`` / ``step_edit``); fewer articles are changed at once on the window's
connection, so the reader repaints with them.

``UntilCommit`` is such an edit as a writer job. Cancel interrupts it and the whole edit rolls
back, up to the moment it starts to commit; from then on the edit is done, and it is reported
as done (recorded for Undo and announced) even if Cancel came a moment late.

A tag, star or reading state put on thousands of articles is made in steps instead
(``InSteps``, ``desktop.core.steps.edit_in_steps``), each committed on its own: after each, the
writer waits until the window has seen it (``WindowTurns``, at most ``TURN_WAIT_S``), so an
edit the window was making meanwhile — a star, a highlight, waiting for the library — comes
first instead of after the whole edit; its Undo and Redo are made in steps the same way
(``StepsBack``), and their Cancel leaves the edit as it was. Cancel of the edit takes back the
steps made, all but the articles another window or command changed meanwhile;
``InSteps.cancelled`` keeps the sentence that says how many were left so, for the status line.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Callable, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.steps import SteppedChange, edit_in_steps
from desktop.core.undo import Change

T = TypeVar("T")

BULK_ARTICLES = 500
TURN_WAIT_S = 0.15  # longer than SQLite waits between its tries (0.1 s) for a window waiting for the library


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


class WindowTurns(QObject):
    """Lives on the window's thread; ``give`` (on the writer) returns once the window's thread
    has come back to its event loop, i.e. has finished the edit it may have been waiting with."""

    _asked = Signal()

    def __init__(self, after_wait: Callable[[Callable[[], None]], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._seen = threading.Event()
        self._after_wait = after_wait  # the window's ``LockWait.after_wait``
        self._asked.connect(self._see)  # queued: this object lives on the window's thread

    def _see(self) -> None:
        self._after_wait(self._seen.set)  # not while the window waits for the lock (``lock_wait``)

    def give(self) -> None:
        self._seen.clear()
        self._asked.emit()
        self._seen.wait(TURN_WAIT_S)


class StepsBack:
    """The Undo (``backwards``) or Redo of an edit made in steps as a writer job made in steps too
    (``SteppedChange.in_steps``), letting the window's own edits in between them."""

    def __init__(self, change: SteppedChange, *, backwards: bool, turns: WindowTurns) -> None:
        self._change, self._backwards, self._turns = change, backwards, turns

    def __call__(self, library: Library, *, progress: ProgressCallback, cancel: CancelToken) -> SteppedChange:
        self._change.in_steps(library.db, backwards=self._backwards, progress=progress, cancel=cancel,
                              between=self._turns.give)
        return self._change


class InSteps:
    """``edit(db, ids)`` over ``ids`` as a writer job made in steps, letting the window's own
    edits in between them (see the module docstring)."""

    def __init__(self, edit: Callable[[Database, list[int]], Change], ids: list[int], *, doing: str,
                 turns: WindowTurns) -> None:
        self._edit, self._ids, self._doing, self._turns = edit, ids, doing, turns
        self.cancelled: str | None = None  # what the take-back of a cancelled edit did, in one line

    def __call__(self, library: Library, *, progress: ProgressCallback, cancel: CancelToken) -> Change:
        try:
            return edit_in_steps(library.db, self._edit, self._ids, doing=self._doing, progress=progress,
                                 cancel=cancel, between=self._turns.give)
        except Cancelled as err:
            self.cancelled = str(err)
            raise
