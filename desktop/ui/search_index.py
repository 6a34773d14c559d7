"""Building the multi-script search index of an existing library in the background.

A library made before the index existed (or changed by another program) has articles
the index does not hold yet, and one indexed by an earlier Dossier (``index_outdated``: another
``textindex.VERSION``, e.g. before traditional and simplified Chinese found each other) is
indexed again from the start; until the index holds them all, searches use the old index
(``desktop.core.shadow_index``). ``SearchIndexBuilder`` fills it on the window's single
writer in short jobs of a few batches each, so an import or export asked for meanwhile
runs between two of them, and shows how far it is in the status bar through the shared
``JobProgress`` (``searchIndexStatus``, its bar and its Stop button); what was indexed stays,
and the next opening of the library goes on from there. When the index is complete the search
runs again. Another program's writes (logged, not yet indexed) start it again when the window
sees them; a job that fails shows its error once, and indexing waits for the next opening.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar

from desktop.core.jobs import Progress
from desktop.core.library import Library
from desktop.core.shadow_index import IndexState, build_index, index_outdated, index_ready, index_state

from .job_progress import JobProgress, Task

BATCHES_PER_JOB = 5


class SearchIndexBuilder(QObject):
    """Runs ``build_index`` through ``submit`` (the window's ``submit_write``) until done."""

    finished = Signal()

    def __init__(self, status: QStatusBar, submit: Callable[..., None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._running = False
        self._stopped = False
        self._task: Task | None = None
        self.status = JobProgress(name="searchIndexStatus", cancel_text="Stop",
                                  cancel_tip="Stop indexing for now; it goes on the next time the library opens")
        status.addPermanentWidget(self.status)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, library: Library, *, opened: bool = False) -> None:
        """Index what ``library`` lacks (all of it when an earlier Dossier made the index), unless
        it is read-only or complete already, or the person stopped it and the library was not
        opened since (``opened``)."""
        self._stopped = self._stopped and not opened
        if self._stopped or self._running or library.read_only:
            return
        outdated = index_outdated(library.db.conn)
        if index_ready(library.db.conn) and not outdated:
            return
        state = index_state(library.db.conn)
        if outdated or not state.ready:
            self._running = True
            self._task = self.status.begin("Indexing for search in all scripts", cancel=self.stop)
            self._show(state)
            self._next()

    def stop(self) -> None:
        """Stop after the job running now (the status shows it until then)."""
        self._stopped = True

    def _next(self) -> None:
        self._submit(
            lambda library, progress, cancel: build_index(
                library.db.conn, cancel=cancel, batches=BATCHES_PER_JOB),
            on_finished=self._step_done, on_stopped=self._given_up, title="Indexing for search")

    def _step_done(self, state: IndexState) -> None:
        if state.ready or self._stopped:
            self._end()
            if state.ready:
                self.finished.emit()
        else:
            self._show(state)
            self._next()

    def _given_up(self) -> None:
        """A job failed (its error was shown) or was cancelled: no more until the library is
        opened again, rather than the same error at every change the window sees."""
        self._stopped = True
        self._end()

    def _end(self) -> None:
        """No more jobs: done, stopped, failed or cancelled."""
        self._running = False
        if self._task is not None:
            self._task.end()
            self._task = None

    def _show(self, state: IndexState) -> None:
        if self._task is not None:
            self._task.progress(Progress(state.indexed, state.total,
                                         f"{state.indexed:,} of {state.total:,} articles indexed"))
