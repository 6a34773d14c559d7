"""Waiting for another program's write without freezing the window.

A person's edit is written on the window's own thread (``operations``). When another
program — a ``dossier`` command, a second window, Datasette — holds the library's write
lock, SQLite's busy timeout would hold the window's thread, painting included, for up to
10 s and then fail with "database is locked". ``LockWait`` is the ``lock_waiter`` of the
window's connection (``desktop.core.busy.begin_write``) instead: it tries to take the lock
for at most ``TRY_MS`` at a time and lets the window repaint and its timers run in between
(not the person's clicks and keys, which would start a second edit inside the first). After
``SHOWN_AFTER_S`` it shows a small modal window saying what it waits for, with a button
that gives the change up (``LibraryBusy``: the caller says it was not saved). An edit
made by a timer meanwhile (the article marked read) waits in the same way, under the same
window.

While it waits, the window's large edits made in steps on its writer do not get the
window's "my turn is over" (``WindowTurns``, through ``after_wait``) until the wait ends, so
their next step does not take the lock again before the edit that waits for it.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desktop.core.busy import is_busy, waiting_at_most
from desktop.core.errors import LibraryBusy

TRY_MS = 40  # the longest the window's thread waits in SQLite at once
SHOWN_AFTER_S = 1.0  # a wait longer than this is shown, with its button (an import's commit is shorter)
GIVEN_UP = ("Not saved: another program kept the library busy, and you stopped waiting. "
            "Try again when it is done.")

class LockWait(QObject):
    """The ``lock_waiter`` of the window's connection (see the module docstring)."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._window = parent
        self._dialog: QProgressDialog | None = None
        self._waiting = 0  # writes waiting now (one inside another when a timer's edit waits too)
        self._after: list[Callable[[], None]] = []
        self.waits = 0  # how many writes had to wait (for measurements of the window beside a writer)

    def after_wait(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now when nothing waits, else once the wait has ended."""
        if self._waiting:
            self._after.append(callback)
        else:
            callback()

    def __call__(self, conn: sqlite3.Connection, begin: Callable[[], Any]) -> None:
        self._waiting += 1
        try:
            with waiting_at_most(conn, TRY_MS):
                self._wait(begin)
        finally:
            self._waiting -= 1
            if not self._waiting:
                self._ended()

    def _wait(self, begin: Callable[[], Any]) -> None:
        started = time.monotonic()
        counted = False
        while True:
            if self._dialog is not None and self._dialog.wasCanceled():  # also while an edit inside waited
                raise LibraryBusy(GIVEN_UP)
            try:
                begin()
                return
            except Exception as err:  # noqa: BLE001 - only the library's busy answer is waited out
                if not is_busy(err):
                    raise
            if not counted:
                counted = True
                self.waits += 1
            dialog = self._dialog
            if dialog is None and time.monotonic() - started >= SHOWN_AFTER_S:
                dialog = self._show()
            flags = QEventLoop.ProcessEventsFlag.AllEvents
            if dialog is None:
                flags |= QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
            QApplication.processEvents(flags)

    def _show(self) -> QProgressDialog:
        dialog = QProgressDialog(
            "Another program is writing to this library.\n"
            "Your change is saved as soon as it has finished.",
            "Don't save this change", 0, 0, self._window)
        dialog.setObjectName("lockWaitDialog")
        dialog.setWindowTitle("Waiting to save")
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.show()
        self._dialog = dialog
        return dialog

    def _ended(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        callbacks, self._after = self._after, []
        for callback in callbacks:
            callback()
