"""A window's background work as a person sees it: what runs, how far it came, and Cancel.

``JobProgress`` shows the title (or the step it names, ``Progress.phase``) and
progress of the work under way with a Cancel button; they go away when the last
piece of work ends. Work comes two ways: ``start`` runs a job on the
``WorkerPool`` (``desktop/ui/workers.py``) it was given and follows it to its end;
``begin`` returns a ``Task`` that its owner drives (a fill made of many small
jobs reports through it and ends it). Work waits its turn, so the piece shown is
the oldest not yet ended; Cancel stops that one. ``running_changed`` lets the
window disable what must not start twice. The Highlights and notes window shows
one under its table; the main window shows its writer's jobs, the language fill,
entity extraction and the search index's building each in one in its status bar.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from desktop.core.jobs import Progress

from .workers import Job, Worker, WorkerPool


class Task:
    """One piece of work shown by a ``JobProgress``: ``progress`` reports how far it came, ``end``
    takes it away; ``cancel`` is what Cancel does while it is shown."""

    def __init__(self, display: JobProgress, title: str, cancel: Callable[[], None]) -> None:
        self._display = display
        self.title = title
        self.cancel = cancel

    def progress(self, step: Progress) -> None:
        self._display._progress(self, step)

    def end(self) -> None:
        self._display._end(self)


class JobProgress(QWidget):
    """The title, progress bar and Cancel button of the work under way, hidden while none runs."""

    running_changed = Signal(bool)

    def __init__(self, pool: WorkerPool | None = None, *, name: str, cancel_text: str = "Cancel",
                 cancel_tip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._pool = pool
        self._tasks: list[Task] = []
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setObjectName(f"{name}Bar")
        self.bar.setFixedWidth(160)
        self.cancel_button = QPushButton(cancel_text)
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.setToolTip(cancel_tip)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(lambda _checked=False: self.cancel())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.hide()

    @property
    def running(self) -> bool:
        return bool(self._tasks)

    def start(self, title: str, job: Job, *, on_finished: Callable[[Any], None],
              on_failed: Callable[[BaseException], None], on_cancelled: Callable[[], None],
              on_progress: Callable[[Progress], None] | None = None,
              on_done: Callable[[], None] | None = None,
              cancel: Callable[[], None] | None = None) -> Worker:
        """Run ``job(*, progress, cancel)`` on the pool; the callbacks run once it has ended
        (``on_progress`` with each step, after the bar shows it; ``on_done`` last). Cancel
        cancels the worker, or calls ``cancel`` when given."""
        assert self._pool is not None, "JobProgress.start needs the pool it was made with"
        task = Task(self, title, lambda: None)
        worker = self._pool.start(
            job,
            on_finished=functools.partial(self._ended, task, on_finished),
            on_failed=functools.partial(self._ended, task, on_failed),
            on_cancelled=functools.partial(self._ended, task, on_cancelled),
            on_progress=functools.partial(self._stepped, task, on_progress),
            on_done=on_done,
        )
        task.cancel = cancel or worker.cancel
        self._add(task)
        return worker

    def begin(self, title: str, *, cancel: Callable[[], None]) -> Task:
        """Show work its owner drives (``Task.progress``, ``Task.end``); Cancel calls ``cancel``."""
        task = Task(self, title, cancel)
        self._add(task)
        return task

    def cancel(self) -> None:
        """Ask the work shown to stop (a job reports Cancelled at its next batch)."""
        if self._tasks:
            self.cancel_button.setEnabled(False)
            self._tasks[0].cancel()

    def _add(self, task: Task) -> None:
        self._tasks.append(task)
        if len(self._tasks) == 1:
            self._show(task)
            self.show()
            self.running_changed.emit(True)

    def _show(self, task: Task) -> None:
        self.label.setText(task.title)
        self.bar.setRange(0, 0)
        self.bar.setToolTip("")
        self.cancel_button.setEnabled(True)

    def _progress(self, task: Task, progress: Progress) -> None:
        if not self._tasks or self._tasks[0] is not task:
            return
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        self.bar.setToolTip(progress.message)
        if progress.phase:
            self.label.setText(progress.phase.capitalize())

    def _stepped(self, task: Task, callback: Callable[[Progress], None] | None, progress: Progress) -> None:
        self._progress(task, progress)
        if callback is not None:
            callback(progress)

    def _end(self, task: Task) -> None:
        if task not in self._tasks:
            return
        first = self._tasks[0] is task
        self._tasks.remove(task)
        if self._tasks:
            if first:
                self._show(self._tasks[0])
        else:
            self.hide()
            self.cancel_button.setEnabled(True)
            self.running_changed.emit(False)

    def _ended(self, task: Task, callback: Callable[..., None], *result: Any) -> None:
        self._end(task)
        callback(*result)
