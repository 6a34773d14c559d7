"""Entities ▸ Adapt the entity model… and Entities ▸ Reset the entity model in the main window.

Both run ``desktop.core.entities.adapt`` on the window's writer in the background, with progress
and Cancel in the status bar, and announce the re-read articles so every view refreshes. Once
the library holds ``adapt.MIN_CORRECTED`` corrected articles (the threshold measured by
``tests/bench/bench_adapt.py``) the status bar offers the adaptation, once per window. The
corrected articles are counted after each correction on a worker with a connection of its own:
at 100,000 articles the count took 0.4-0.8 s, which froze the window after every correction.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop.core.changes import ChangeSet
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.entities.adapt import (
    MIN_CORRECTED,
    AdaptReport,
    active_model,
    adapt_model,
    corrected_documents,
    reset_model,
    reset_summary,
)

from .workers import Worker, WorkerPool

STATUS_MS = 10_000


class ModelAdaptation(QObject):
    """The two menu actions of one main window and the offer to adapt."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.offered = False
        self._pool = WorkerPool(max_threads=1, parent=self)
        self._counting: Worker | None = None
        self._again = False  # corrected again while counting
        self.action_adapt = QAction("&Adapt the entity model…", window)
        self.action_adapt.setObjectName("actionAdaptEntityModel")
        self.action_adapt.setStatusTip("Teach the English entity model the corrections you made (in the background)")
        self.action_adapt.triggered.connect(lambda _checked=False: self.adapt())
        self.action_reset = QAction("Reset the entity &model", window)
        self.action_reset.setObjectName("actionResetEntityModel")
        self.action_reset.setStatusTip("Use the entity model Dossier came with again")
        self.action_reset.triggered.connect(lambda _checked=False: self.reset())
        for action in (self.action_adapt, self.action_reset):
            window.addAction(action)
        menu = window.findChild(QMenu, "entitiesMenu")
        if menu is not None:
            menu.addSeparator()
            menu.addActions([self.action_adapt, self.action_reset])
            menu.aboutToShow.connect(self.update_actions)
        window.library_changed.connect(self._library_changed)
        window.installEventFilter(self)
        self.update_actions()

    def update_actions(self) -> None:
        """Reset is offered only while the library uses an adapted model."""
        self.action_reset.setEnabled(active_model(self.window.library.path) is not None)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def adapt(self) -> None:
        """Adapt the model to the corrected articles in the background."""
        self.window.submit_write(adapt_model, on_finished=self._adapted,
                                 title="Learning from your corrections", show_progress=True)

    def reset(self) -> None:
        """Return to the packaged model in the background and read the uncorrected articles again."""
        self.window.submit_write(reset_model, on_finished=self._reset,
                                 title="Returning to the packaged entity model", show_progress=True)

    def _adapted(self, report: AdaptReport) -> None:
        self.update_actions()
        self.window.operations.announce(ChangeSet(entity_definitions=True))
        self._status(f"{report.summary()}.")

    def _reset(self, reextracted: int) -> None:
        self.update_actions()
        self.window.operations.announce(ChangeSet(entity_definitions=True))
        self._status(f"{reset_summary(reextracted)}.")

    def _library_changed(self, changes: ChangeSet) -> None:
        if not self.offered and changes.entities:
            self._count()

    def _count(self) -> None:
        """Count the corrected articles in the background (once more after a count under way)."""
        if self._counting is not None:
            self._again = True
            return
        self._counting = self._pool.start(functools.partial(_count_corrected, self.window.library),
                                          on_finished=self._counted, on_done=self._count_ended)

    def _counted(self, count: int) -> None:
        if count >= MIN_CORRECTED and not self.offered:
            self.offered = True
            offer = (f"You have corrected entities in {count} articles: Entities ▸ Adapt the entity "
                     "model… can learn from them.")
            QTimer.singleShot(0, lambda: self._status(offer))  # after the correction's own message

    def _count_ended(self) -> None:
        self._counting = None
        if self._again and not self.offered:
            self._again = False
            self._count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._again = False
            self._pool.cancel_all()
            self._pool.wait()
        return False


def _count_corrected(library: Library, *, progress: ProgressCallback, cancel: CancelToken) -> int:
    """How many articles are corrected, read on a connection of the worker's own."""
    reader = library.connect()
    try:
        return len(corrected_documents(reader))
    finally:
        reader.close()


def install(window: Any) -> ModelAdaptation:
    """Add the adapt and reset actions to ``window``'s Entities menu (after it exists)."""
    found = window.findChild(ModelAdaptation)
    return found if isinstance(found, ModelAdaptation) else ModelAdaptation(window)
