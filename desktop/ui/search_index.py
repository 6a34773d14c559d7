"""Building the multi-script search index of an existing library in the background.

A library made before the index existed (or changed by another program) has articles
the index does not hold yet; until it holds them all, searches use the old index
(``desktop.core.shadow_index``). ``SearchIndexBuilder`` fills it on the window's single
writer in short jobs of a few batches each, so an import or export asked for meanwhile
runs between two of them, and shows how far it is in the status bar (``searchIndexStatus``)
with a Stop button (``stopSearchIndex``); what was indexed stays, and the next opening
of the library goes on from there. When the index is complete the search runs again.
Another program's writes (logged, not yet indexed) start it again when the window sees them.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton

from desktop.core.library import Library
from desktop.core.shadow_index import IndexState, build_index, index_ready, index_state

BATCHES_PER_JOB = 5


class SearchIndexBuilder(QObject):
    """Runs ``build_index`` through ``submit`` (the window's ``submit_write``) until done."""

    finished = Signal()

    def __init__(self, status: QStatusBar, submit: Callable[..., None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._running = False
        self._stopped = False
        self.label = QLabel()
        self.label.setObjectName("searchIndexStatus")
        self.stop_button = QToolButton()
        self.stop_button.setObjectName("stopSearchIndex")
        self.stop_button.setText("Stop")
        self.stop_button.setToolTip("Stop indexing for now; it goes on the next time the library opens")
        self.stop_button.clicked.connect(self.stop)
        status.addPermanentWidget(self.label)
        status.addPermanentWidget(self.stop_button)
        self._show(None)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, library: Library, *, opened: bool = False) -> None:
        """Index what ``library`` lacks, unless it is read-only or complete already, or the
        person stopped it and the library was not opened since (``opened``)."""
        self._stopped = self._stopped and not opened
        if self._stopped or self._running or library.read_only or index_ready(library.db.conn):
            return
        state = index_state(library.db.conn)
        if not state.ready:
            self._running = True
            self._show(state)
            self._next()

    def stop(self) -> None:
        """Stop after the job running now."""
        self._stopped = True
        self._show(None)

    def _next(self) -> None:
        self._submit(
            lambda library, progress, cancel: build_index(
                library.db.conn, cancel=cancel, batches=BATCHES_PER_JOB),
            on_finished=self._step_done, title="Indexing for search")

    def _step_done(self, state: IndexState) -> None:
        if state.ready:
            self._running = False
            self._show(None)
            self.finished.emit()
        elif self._stopped:
            self._running = False
        else:
            self._show(state)
            self._next()

    def _show(self, state: IndexState | None) -> None:
        visible = state is not None
        if state is not None:
            self.label.setText(f"Indexing for search in all scripts: "
                               f"{state.indexed:,} of {state.total:,} articles")
        self.label.setVisible(visible)
        self.stop_button.setVisible(visible)
