"""A window's one background job as a person sees it: what it does, how far it came, and Cancel.

``JobProgress`` starts a job on a ``WorkerPool`` (``desktop/ui/workers.py``) and,
while it runs, shows its title and progress with a Cancel button; they go away
when the worker reports. ``running_changed`` lets the window disable what must
not start twice.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.core.jobs import Progress

from .workers import Job, Worker, WorkerPool


class JobProgress(QWidget):
    """The title, progress bar and Cancel button of one job at a time, hidden while none runs."""

    running_changed = Signal(bool)

    def __init__(self, pool: WorkerPool, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = pool
        self._worker: Worker | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setObjectName(f"{name}Bar")
        self.bar.setFixedWidth(160)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(lambda _checked=False: self.cancel())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.hide()

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self, title: str, job: Job, *, on_finished: Callable[[Any], None],
              on_failed: Callable[[BaseException], None], on_cancelled: Callable[[], None]) -> None:
        """Run ``job(*, progress, cancel)`` on the pool; the callbacks run once it has ended."""
        self.label.setText(title)
        self.bar.setRange(0, 0)
        self.bar.setToolTip("")
        self._worker = self._pool.start(
            job,
            on_finished=functools.partial(self._ended, on_finished),
            on_failed=functools.partial(self._ended, on_failed),
            on_cancelled=functools.partial(self._ended, on_cancelled),
            on_progress=self._progress,
        )
        self.show()
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Ask the running job to stop (it reports Cancelled at its next batch)."""
        if self._worker is not None:
            self._worker.cancel()
            self.cancel_button.setEnabled(False)

    def _progress(self, progress: Progress) -> None:
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        self.bar.setToolTip(progress.message)

    def _ended(self, callback: Callable[..., None], *result: Any) -> None:
        self._worker = None
        self.hide()
        self.cancel_button.setEnabled(True)
        self.running_changed.emit(False)
        callback(*result)
