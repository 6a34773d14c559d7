"""Sort keys for the articles another program writes: when the window sees a change it did not
make and an article lacks its keys (``desktop.core.sort_keys.keys_missing``), one short write on
the window's single writer fills them (``fill_missing_keys``), so such an article takes its place
in a list sorted by title or outlet instead of sorting last until the window's next edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from desktop.core.changes import ChangeSet
from desktop.core.sort_keys import fill_missing_keys, keys_missing


class SortKeyFill(QObject):
    """Fills missing sort keys after changes from outside the window; one write at a time."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("sortKeyFill")
        self.window = window
        self._running = False
        window.library_changed.connect(self._changed)

    def _changed(self, changes: ChangeSet) -> None:
        library = self.window.library
        if self._running or not (changes.added or changes.edited or changes.unknown) or not library.writable:
            return
        if not keys_missing(library.db.conn):
            return
        self._running = True
        self.window.submit_write(lambda writer, progress, cancel: fill_missing_keys(writer.db.conn),
                                 on_finished=self._filled, on_stopped=self._stopped, title="Sorting")

    def _filled(self, changes: ChangeSet) -> None:
        self._running = False
        if changes:
            self.window.operations.announce(changes)
            self.window.reload()  # the search again: those articles move to where they sort

    def _stopped(self) -> None:
        self._running = False


def install(window: Any) -> SortKeyFill:
    """Fill the keys of articles other programs write, in the window over ``window.library``."""
    return SortKeyFill(window)
