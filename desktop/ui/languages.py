"""Languages in the window: the list's Language column and the background fill of the languages
of articles imported before Dossier detected them.

``install(window)`` adds the column (CLDR's name of the article's language, e.g.
"Russian") and, each time a library opens that ``desktop.core.language_fill`` says
needs it, fills the languages in batches: a worker of this module's own reads and
detects a batch over its own connection, then the batch is stored through the
window's single writer (one short transaction), so imports and edits are never kept
waiting behind the fill. The status bar shows "Detecting languages" with a bar and a
Cancel button (a ``JobProgress``, named ``languageFillStatus``); a cancelled or
interrupted fill goes on where it stopped the next time the library opens. The rows,
the reader and the Language facet refresh from the change sets, at most every
``APPLY_SECONDS``.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject

from desktop.core.changes import ChangeSet
from desktop.core.documents import languages_of
from desktop.core.jobs import Progress
from desktop.core.language import language_name
from desktop.core.language_fill import DetectedBatch, detect_batch, fill_pending, store_languages
from desktop.core.library import Library

from .doc_model import Column, Row
from .job_progress import JobProgress, Task
from .workers import WorkerPool

APPLY_SECONDS = 2.0


def _language_cell(row: Row) -> str:
    code = row.get("language")
    return language_name(code) if code else ""


LANGUAGE_COLUMN = Column("language", "Language", "language", _language_cell, width=96,
                         fetch=lambda db, ids: languages_of(db, ids))


class LanguageFill(QObject):
    """The window's background fill of missing languages, and its line in the status bar."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("languageFill")
        self.window = window
        self.pool = WorkerPool(max_threads=1, parent=self)
        self._reader: Library | None = None
        self._total = self._done = 0
        self._running = False
        self._generation = 0
        self._pending_changes = ChangeSet()
        self._applied_at = 0.0
        self._task: Task | None = None
        self.status = JobProgress(name="languageFillStatus")
        window.statusBar().addPermanentWidget(self.status)
        window.library_opened.connect(self.start)
        window.installEventFilter(self)
        self.start()

    @property
    def running(self) -> bool:
        """Whether a fill is under way."""
        return self._running

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def wait(self, msecs: int = -1) -> bool:
        """Block until the detecting worker has returned (a batch may still be on its way to
        the writer); True when it did."""
        return self.pool.wait(msecs)

    def start(self) -> None:
        """Fill the open library's missing languages in the background, if it needs it."""
        self.stop()
        library = self.window.library
        if library.read_only:
            return
        self._total = fill_pending(library.db)
        if not self._total:
            return
        self._reader = library.connect()
        self._done = 0
        self._running = True
        self._task = self.status.begin("Detecting languages", cancel=self.cancel)
        self._task.progress(Progress(0, self._total))
        self._detect_next(self._generation)

    def cancel(self) -> None:
        """Stop after the batch under way; the next opening of the library goes on from there."""
        self._apply(force=True)
        self.stop()
        self.window.statusBar().showMessage("Language detection paused until the library opens again.", 5000)

    def stop(self) -> None:
        """Stop the fill and wait for its worker (the window is closing or switching library);
        what a batch still in flight brings is dropped."""
        self._generation += 1
        self._running = False
        self.pool.cancel_all()
        self.pool.wait()
        self._pending_changes = ChangeSet()
        if self._task is not None:
            self._task.end()
            self._task = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _detect_next(self, generation: int) -> None:
        reader = self._reader
        if generation != self._generation or reader is None:
            return
        self.pool.start(lambda progress, cancel: detect_batch(reader.db),
                        on_finished=lambda batch: self._detected(generation, batch),
                        on_failed=lambda err: self._failed(generation, err))

    def _detected(self, generation: int, batch: DetectedBatch) -> None:
        if generation != self._generation:
            return
        self.window.submit_write(lambda library, progress, cancel: store_languages(library, batch),
                                 on_finished=lambda changes: self._stored(generation, batch, changes),
                                 title="Detecting languages")

    def _stored(self, generation: int, batch: DetectedBatch, changes: ChangeSet) -> None:
        if generation != self._generation:
            return
        self._pending_changes |= changes
        if batch.last_id is None:
            self._apply(force=True)
            self.stop()
            return
        self._done += len(batch.found)
        if self._task is not None:
            self._task.progress(Progress(min(self._done, self._total), self._total))
        self._apply(force=False)
        self._detect_next(generation)

    def _apply(self, *, force: bool) -> None:
        """Announce the languages stored so far (every ``APPLY_SECONDS``, or now when ``force``)."""
        now = time.monotonic()
        if self._pending_changes and (force or now - self._applied_at >= APPLY_SECONDS):
            changes, self._pending_changes = self._pending_changes, ChangeSet()
            self._applied_at = now
            self.window.apply_changes(changes)

    def _failed(self, generation: int, err: BaseException) -> None:
        if generation != self._generation:
            return
        self.stop()
        self.window.statusBar().showMessage(f"Language detection stopped: {err}", 10_000)


def install(window: Any) -> LanguageFill:
    """Add the Language column to the window's list, shown beside Author (so that on a narrow
    list it gives way after the tags and reading state), and start the fill the library needs."""
    number = window.model.add_column(LANGUAGE_COLUMN)
    header = window.list_view.horizontalHeader()
    header.moveSection(header.visualIndex(number), header.visualIndex(window.model.column_of_key("author")) + 1)
    return LanguageFill(window)
