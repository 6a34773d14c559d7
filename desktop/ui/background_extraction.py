"""Entity extraction in the background of the main window, plugged in by ``install(window)``.

``BackgroundExtraction`` owns:

- first, in a library an older Dossier made, putting right the published dates it read
  under older rules (``desktop.core.published_dates``), announced as edits;
- when extraction runs: whenever the open library has articles waiting in the
  extraction queue that no other process is reading — when the window opens a
  library (a window closed mid-way, an import stopped or killed) and when
  articles come or change (an import queued them); after Stop, only when new
  articles come;
- the run itself: the core workflow ``find_waiting_entities`` on a thread and a
  connection of its own (the window's writer stays free for imports and edits),
  the model running in worker processes, one core left to the window;
- what the person sees: "Finding entities" with a progress bar and a Stop button in
  the status bar (a ``JobProgress`` named ``extraction``), and a change set announced through
  ``Operations`` for the batches stored (at most one a second), so the entity
  facets and the open article fill in as batches land;
- stopping: Stop, closing the window or opening another library cancel the run
  after the batch being stored; the rest stays queued and is read the next time
  the library opens.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from desktop.core import workflows
from desktop.core.changes import ChangeSet
from desktop.core.entities.extraction_queue import enqueue_outdated, unclaimed
from desktop.core.entities.upgrade import count_outdated
from desktop.core.jobs import Progress
from desktop.core.library import Library
from desktop.core.published_dates import dates_outdated, redate_outdated
from desktop.core.undo import plural

from .entities import record_name_links
from .errors import message_for
from .job_progress import JobProgress
from .workers import Job, Worker, WorkerPool

STATUS_MS = 10_000
ANNOUNCE_MS = 1000
"""Batches stored within this time are announced together (each announcement recounts the facets)."""
KEEP_FREE = 1
"""Cores left to the window while the model reads in the background."""


class BackgroundExtraction(QObject):
    """Finds the entities of queued articles while the window is open (see the module docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.pool = WorkerPool(max_threads=1, parent=self)
        self.worker: Worker | None = None
        self._closing = False
        self._announcing = False
        self._stopped = False
        self._resume_after = False
        self._stored = 0
        self._landed: set[int] = set()
        self._announce_timer = QTimer(self)
        self._announce_timer.setSingleShot(True)
        self._announce_timer.setInterval(ANNOUNCE_MS)
        self._announce_timer.timeout.connect(self._announce)
        self.status = JobProgress(
            self.pool, name="extraction", cancel_text="Stop",
            cancel_tip="Stop finding entities; the articles left are read when the library opens again")
        window.statusBar().addPermanentWidget(self.status)
        window.operations.changed.connect(self._changed)
        window.library_opened.connect(self._library_opened)
        window.installEventFilter(self)
        QTimer.singleShot(0, self.resume)

    @property
    def running(self) -> bool:
        return self.worker is not None

    def resume(self) -> bool:
        """Start reading the articles waiting in the queue, unless a run is on or none waits;
        True when a run started."""
        if self._closing or self.running or self.window.library.read_only:
            return False
        try:
            if dates_outdated(self.window.library.db):
                return self._redate()
            waiting = unclaimed(self.window.library.db)
            outdated = count_outdated(self.window.library.db)
        except Exception:  # noqa: BLE001 - a library that cannot be read has nothing to resume
            return False
        if not waiting and not outdated:
            return False
        connection: Library = self.window.library.connect()

        def job(*, progress, cancel):
            try:
                if outdated:  # read under older rules: an upgraded library reads them again
                    enqueue_outdated(connection.db)
                return workflows.find_waiting_entities(
                    connection, progress=progress, cancel=cancel, keep_free=KEEP_FREE, start_method="spawn")
            finally:
                connection.close()

        self._stored = 0
        self._run("Finding entities", job, on_finished=self._finished, on_cancelled=self._cancelled)
        return True

    def _run(self, title: str, job: Job, *, on_finished: Callable[[Any], None],
             on_cancelled: Callable[[], None]) -> None:
        """Run ``job`` on this module's thread, shown in the status bar under ``title``."""
        self.worker = self.status.start(title, job, on_finished=on_finished, on_failed=self._failed,
                                        on_cancelled=on_cancelled, on_progress=self._progress,
                                        on_done=self._done, cancel=self.stop)

    def _redate(self) -> bool:
        """Put right the published dates an older Dossier read (``desktop.core.published_dates``)
        first; the entities follow when it is done."""
        connection: Library = self.window.library.connect()

        def job(*, progress, cancel):
            try:
                return redate_outdated(connection.db, progress=progress, cancel=cancel)
            finally:
                connection.close()

        self._run("Checking published dates", job, on_finished=self._redated,
                  on_cancelled=lambda: self._say("Checking published dates stopped; it goes on when the "
                                                 "library opens again."))
        return True

    def _redated(self, changes: ChangeSet) -> None:
        if self._closing:
            return
        if changes.edited:
            self._say(f"Published dates put right in {plural(len(changes.edited), 'article')}.")
            self._announcing = True
            try:
                self.window.operations.announce(changes)
            finally:
                self._announcing = False
        self._resume_after = True  # then the entities, once this run has reported

    def stop(self) -> None:
        """Stop after the batch being stored (Stop in the status bar); the rest stays queued."""
        self._stopped = True
        if self.worker is not None:
            self.worker.cancel()

    def shutdown(self) -> None:
        """Stop and wait for the run (the window closes or leaves the library)."""
        self.stop()
        self.pool.wait()

    # the run -----------------------------------------------------------------------------

    def _progress(self, step: Progress) -> None:
        if self._closing:
            return
        self._stored = step.done
        if step.ids:
            self._landed.update(step.ids)
            if not self._announce_timer.isActive():
                self._announce_timer.start()

    def _announce(self) -> None:
        """Tell the views which articles got their entities since the last announcement."""
        self._announce_timer.stop()
        if not self._landed or self._closing:
            return
        changes = ChangeSet.of(entities=self._landed, entity_definitions=True)
        self._landed = set()
        self._announcing = True
        try:
            self.window.operations.announce(changes)
        finally:
            self._announcing = False

    def _finished(self, step: workflows.Extraction) -> None:
        if self._closing:
            return
        if step.cancelled:
            self._cancelled()
        elif step.report is not None:
            record_name_links(self.window.operations, step.report)
            self._say(f"Entities found in {plural(step.report.documents, 'article')}.")

    def _cancelled(self) -> None:
        if self._closing:
            return
        self._say(f"Finding entities stopped: found in {plural(self._stored, 'article')}; "
                  "the others are read when the library opens again.")

    def _failed(self, err: BaseException) -> None:
        if not self._closing:
            self._say(f"Finding entities failed: {message_for(err)}")

    def _done(self) -> None:
        self.worker = None
        if not self._closing:
            self._announce()
            if self._resume_after:
                self._resume_after = False
                self.resume()

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    # when to run ---------------------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        """Articles came or changed (an import queued them): look at the queue — after Stop,
        only for new articles."""
        if self._announcing or self.running:
            return
        if changes.added or (not self._stopped and (changes.edited or changes.unknown)):
            self.resume()

    def _library_opened(self) -> None:
        self.shutdown()
        self._stopped = False
        QTimer.singleShot(0, self.resume)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._closing = True
            self.shutdown()
        return False


def install(window: Any) -> BackgroundExtraction:
    """Plug background entity extraction into ``window`` (once; installing again returns it)."""
    installed = window.findChild(BackgroundExtraction)
    return installed if isinstance(installed, BackgroundExtraction) else BackgroundExtraction(window)
