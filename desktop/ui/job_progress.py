"""A window's background jobs as a person sees them: what runs, how far it came, and Cancel.

``JobProgress`` starts jobs on a ``WorkerPool`` (``desktop/ui/workers.py``) and,
while one runs, shows its title (or the step it names, ``Progress.phase``) and
progress with a Cancel button; they go away when the last job started through
it reports. Jobs wait their turn on the pool, so the one shown is the oldest not
yet ended; Cancel stops that one. ``running_changed`` lets the window disable
what must not start twice. The Highlights and notes window shows it under its
table, the main window in its status bar.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from desktop.core.jobs import Progress

from .workers import Job, Worker, WorkerPool


@dataclass
class _Started:
    title: str
    worker: Worker | None = None


class JobProgress(QWidget):
    """The title, progress bar and Cancel button of the job running, hidden while none runs."""

    running_changed = Signal(bool)

    def __init__(self, pool: WorkerPool, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._pool = pool
        self._started: list[_Started] = []
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
        return bool(self._started)

    def start(self, title: str, job: Job, *, on_finished: Callable[[Any], None],
              on_failed: Callable[[BaseException], None], on_cancelled: Callable[[], None]) -> None:
        """Run ``job(*, progress, cancel)`` on the pool; the callbacks run once it has ended."""
        started = _Started(title)
        started.worker = self._pool.start(
            job,
            on_finished=functools.partial(self._ended, started, on_finished),
            on_failed=functools.partial(self._ended, started, on_failed),
            on_cancelled=functools.partial(self._ended, started, on_cancelled),
            on_progress=functools.partial(self._progress, started),
        )
        self._started.append(started)
        if len(self._started) == 1:
            self._show(started)
            self.show()
            self.running_changed.emit(True)

    def cancel(self) -> None:
        """Ask the job shown to stop (it reports Cancelled at its next batch)."""
        if self._started and self._started[0].worker is not None:
            self._started[0].worker.cancel()
            self.cancel_button.setEnabled(False)

    def _show(self, started: _Started) -> None:
        self.label.setText(started.title)
        self.bar.setRange(0, 0)
        self.bar.setToolTip("")
        self.cancel_button.setEnabled(True)

    def _progress(self, started: _Started, progress: Progress) -> None:
        if not self._started or self._started[0] is not started:
            return
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        self.bar.setToolTip(progress.message)
        if progress.phase:
            self.label.setText(progress.phase.capitalize())

    def _ended(self, started: _Started, callback: Callable[..., None], *result: Any) -> None:
        first = bool(self._started) and self._started[0] is started
        self._started.remove(started)
        if self._started:
            if first:
                self._show(self._started[0])
        else:
            self.hide()
            self.cancel_button.setEnabled(True)
            self.running_changed.emit(False)
        callback(*result)
