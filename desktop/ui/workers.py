"""Running plain core functions off the GUI thread.

A job is any callable ``job(*, progress, cancel)`` where ``progress`` is a
``ProgressCallback`` and ``cancel`` a ``CancelToken`` (the shape of every long
core function, adapted with ``functools.partial``). ``WorkerPool.start`` runs it
in a QRunnable and delivers its progress, result, error or cancellation as
signals on the GUI thread. Widgets are never touched from the worker.

Cancelling sets the token and, when the job was started with an ``interrupt``
callable (e.g. ``sqlite3.Connection.interrupt``), calls it so a running query
stops at once.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken, Progress, no_progress

Job = Callable[..., Any]


class WorkerSignals(QObject):
    """What a worker reports; emitted from the worker thread, received on the GUI thread."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()


class Worker(QRunnable):
    """One job on the thread pool; exactly one of finished / failed / cancelled, then done."""

    def __init__(self, job: Job, *, interrupt: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = WorkerSignals()
        self.token = CancelToken()
        self._job = job
        self._interrupt = interrupt
        self._lock = threading.Lock()
        self._running = False

    def _report(self, progress: Progress) -> None:
        self.signals.progress.emit(progress)

    def run(self) -> None:
        with self._lock:
            self._running = not self.token.cancelled
        if self._running:
            self._run_job()
        else:
            self.signals.cancelled.emit()
        self.signals.done.emit()

    def _run_job(self) -> None:
        try:
            result = self._job(progress=self._report, cancel=self.token)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as err:  # noqa: BLE001 - delivered to the GUI thread as a value
            if self.token.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(err)
        else:
            if self.token.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            with self._lock:
                self._running = False

    def cancel(self) -> None:
        """Ask the job to stop: set its token and, only while it runs, interrupt its query.

        A job still waiting for a thread never starts; the interrupt cannot reach
        another job sharing the connection, because it is only sent while this
        job holds it.
        """
        with self._lock:
            self.token.cancel()
            if self._running and self._interrupt is not None:
                self._interrupt()


class WorkerPool(QObject):
    """A thread pool that keeps its workers alive until they report, and can wait for all."""

    def __init__(self, *, max_threads: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: set[Worker] = set()

    def start(
        self,
        job: Job,
        *,
        on_finished: Callable[[Any], None],
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_done: Callable[[], None] | None = None,
        interrupt: Callable[[], None] | None = None,
    ) -> Worker:
        """Run ``job`` on the pool; callbacks run on the GUI thread, ``on_done`` after the
        others. Every callback is connected here, before the job starts: one connected to the
        returned worker afterwards would miss a job that ended first."""
        worker = Worker(job, interrupt=interrupt)
        worker.signals.finished.connect(on_finished)
        if on_failed is not None:
            worker.signals.failed.connect(on_failed)
        if on_progress is not None:
            worker.signals.progress.connect(on_progress)
        if on_cancelled is not None:
            worker.signals.cancelled.connect(on_cancelled)
        worker.signals.done.connect(lambda: self._running.discard(worker))
        if on_done is not None:
            worker.signals.done.connect(on_done)
        self._running.add(worker)
        self._pool.start(worker)
        return worker

    @property
    def active(self) -> int:
        """How many workers have not reported yet."""
        return len(self._running)

    def cancel_all(self) -> None:
        """Ask every running worker to stop."""
        for worker in list(self._running):
            worker.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker has returned (``msecs`` < 0: no limit); True when all did."""
        return self._pool.waitForDone(msecs)


def run_now(job: Job) -> Any:
    """Run ``job`` on the calling thread with a fresh token and no progress reporting."""
    return job(progress=no_progress, cancel=CancelToken())
