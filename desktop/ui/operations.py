"""The window's one way to change the library: run core operations, keep the undo history,
announce change sets — including the changes other processes make.

``Operations`` belongs to one main window. A person's edit (a tag, a star, a
highlight, a correction) is a core operation run through ``apply``: it commits
in its own short transaction on the window's connection, joins the undo
history when it can be undone, and its ``ChangeSet`` is announced on
``changed``. Long jobs (import, extraction) run on the window's writer and
announce their change set with ``announce`` when they end.

An edit of thousands of articles (and its Undo / Redo) runs on the writer instead, with
progress and Cancel, through ``apply_edit`` and ``step_edit`` (``bulk_edits``); Undo and Redo
wait while one runs (``busy``). A tag, star or reading state put on thousands of articles
(``apply_steps``) is made a step at a time (``desktop.core.steps``): the bar counts the
articles done, and a small edit made meanwhile — a star, a highlight — waits at most one step
instead of the whole edit; one on an article the large edit is changing is refused.

An edit that finds another program writing waits for it without freezing the window, under a
small window that lets the person give the change up (``lock_wait``).

Every view refreshes from ``changed`` alone. Writes made elsewhere — the
``dossier`` command, a second window, an import running in this window's
writer — are noticed by polling the library's data version every ``WATCH_MS``
(a read of one integer) and read back from the library's change log, so they
arrive as change sets too, within a second (a tag renamed or merged elsewhere moves
the window's filters as one renamed here does). While another process keeps adding
articles the window looks every ``SETTLE_MS`` instead, so a long import shows
its progress without making the list recount twice a second. Each
announcement also carries whatever the log gained since the last one, so
nothing is announced late. The same look notices when the library file was deleted or replaced
under the window (``library_gone``, once), so its edits can be greyed out before one is tried.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from sqlite_utils import Database

from desktop.core.changes import ChangeSet, LogPosition, log_position, outside_changes
from desktop.core.errors import InvalidInput
from desktop.core.file_identity import gone_reason
from desktop.core.library import Library, data_version
from desktop.core.steps import SteppedChange
from desktop.core.undo import Change, UndoLog

from .bulk_edits import BULK_ARTICLES, InSteps, StepsBack, UntilCommit, WindowTurns
from .lock_wait import LockWait

WATCH_MS = 500
SETTLE_MS = 2000  # after articles came or went outside, the next look waits this long


@contextlib.contextmanager
def busy_pointer() -> Iterator[None]:
    """The pointer shows the window busy while what is inside runs on the window's thread: an
    undo, or a correction of a name found in thousands of articles, takes most of a second."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class Operations(QObject):
    """Runs operations, owns the undo history (``log``, which Edit ▸ Undo / Redo read) and
    announces change sets (see the module docstring)."""

    changed = Signal(object)  # ChangeSet
    history_changed = Signal()
    about_to_undo = Signal()  # a note being typed is saved before undo or redo
    library_gone = Signal(str)  # the library file was deleted or replaced: why, and where its copy is

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log = UndoLog()
        self._library = library
        self._position = LogPosition(0, 0)
        self._version = -1
        self._closed = False
        self._gone = False
        self._submit: Callable[..., None] | None = None
        self._running = 0  # edits on the writer not ended yet
        self._editing: frozenset[int] = frozenset()  # the articles of the edit made in steps
        self.lock_wait = LockWait(parent if isinstance(parent, QWidget) else None)
        self._turns = WindowTurns(self.lock_wait.after_wait, self)
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_MS)
        self._timer.timeout.connect(self.check_outside)
        self.set_library(library)
        self._timer.start()

    @property
    def db(self) -> Database:
        return self._library.db

    def set_library(self, library: Library) -> None:
        """Work on another library: the history starts afresh, the watch from its present state."""
        self._library = library
        library.db.conn.lock_waiter = self.lock_wait  # waiting for another writer keeps the window alive
        self._gone = False
        self.log.clear()
        self._version = self._data_version()
        self._position = log_position(self.db.conn)
        self.history_changed.emit()

    def close(self) -> None:
        """Stop watching and announcing (the window is closing)."""
        self._closed = True
        self._timer.stop()

    def set_writer(self, submit: Callable[..., None]) -> None:
        """Run the edits of ``BULK_ARTICLES`` articles or more through ``submit`` (the window's
        ``submit_write``)."""
        self._submit = submit

    @property
    def busy(self) -> bool:
        """An edit runs on the writer: Undo and Redo wait until it has ended."""
        return self._running > 0

    # running ------------------------------------------------------------------------------

    def apply(self, operation: Callable[[Database], Change], *, merge_key: Any = None,
              undoable: bool = True) -> Change:
        """Run ``operation(db)``, record it for Undo (unless ``undoable`` is False or it changed
        nothing) and announce what it changed. Errors of the core propagate to the caller."""
        return self.push(operation(self.db), merge_key=merge_key, undoable=undoable)

    def push(self, change: Change, *, merge_key: Any = None, undoable: bool = True) -> Change:
        """Record and announce ``change`` of an operation already run (one that returned more
        than its change, such as the new highlight of ``create_annotation``)."""
        if undoable and getattr(change, "changed", True):
            self.log.record(change, merge_key=merge_key)
        self.announce(change.changes)
        return change

    def announce(self, changes: ChangeSet) -> None:
        """Tell every view about ``changes`` (and whatever else the library's log gained)."""
        if self._closed:
            return
        # the log holds this change too (its articles and the tags it renamed)
        outside = self._read_outside().without(changes.documents, changes.tag_renames)
        merged = changes | outside
        self.history_changed.emit()
        if merged:
            self.changed.emit(merged)

    def seal(self) -> None:
        """The next edit starts its own undo step (a note lost focus, another article opened)."""
        self.log.seal()

    def apply_edit(self, operation: Callable[[Database], Change], *, size: int, title: str,
                   then: Callable[[Change], None]) -> None:
        """``apply`` an edit of ``size`` articles, then ``then(change)``: at once below
        ``BULK_ARTICLES`` (errors of the core propagate), else on the writer with ``title``,
        progress and Cancel (an error is shown in a dialog, a cancelled edit changes nothing).
        InvalidInput while another such edit runs: the two would be undone in the wrong order."""
        if self.busy:
            raise InvalidInput("A change of many articles is still being made: try again when it is done.")
        if self._submit is None or size < BULK_ARTICLES:
            then(self.apply(operation))
        else:
            job = UntilCommit(operation)
            self._in_background(job, title=title, then=lambda change: then(self.push(change)), cancel=job.cancel)

    def apply_steps(self, edit: Callable[[Database, list[int]], Change], ids: list[int], *, doing: str,
                    then: Callable[[Change], None], told: Callable[[str], None] = lambda _text: None) -> None:
        """``apply`` ``edit(db, ids)``, then ``then(change)``: at once below ``BULK_ARTICLES``,
        else on the writer a step at a time with "``doing`` 4,000 of 22,000 articles…" and Cancel
        (``edit`` must do the same to every step: a toggle is decided before), after which ``told``
        hears what the take-back did ("Cancelled: taken back, except on 3 articles…"). InvalidInput
        while another edit of many articles runs, for a large edit or one on the articles it changes."""
        if self._editing.intersection(ids) or (self.busy and len(ids) >= BULK_ARTICLES):
            raise InvalidInput("A change of many articles is still being made: try again when it is done.")
        if self._submit is None or len(ids) < BULK_ARTICLES:
            then(self.apply(lambda db: edit(db, ids)))
            return
        self._editing = frozenset(ids)
        job = InSteps(edit, list(ids), doing=doing, turns=self._turns)

        def cancelled() -> None:
            if job.cancelled:
                told(job.cancelled)

        self._in_background(job, title=f"{doing} {len(ids):,} articles…",
                            then=lambda change: then(self.push(change)), stopped=cancelled)

    def _in_background(self, job: Callable[..., Any], *, title: str, then: Callable[[Any], None],
                       cancel: Callable[[], None] | None = None, stopped: Callable[[], Any] | None = None) -> None:
        """Run the writer job ``job`` with ``title``, progress and Cancel (which calls ``cancel``
        when given, else cancels the job's token); ``stopped()`` runs when it was cancelled or failed."""
        assert self._submit is not None
        self._running += 1
        self.history_changed.emit()

        def ended() -> None:
            self._running -= 1
            self._editing = frozenset()
            self.history_changed.emit()

        def finished(result: Any) -> None:
            ended()
            then(result)

        def halted() -> None:
            ended()
            if stopped is not None:
                stopped()

        self._submit(job, on_finished=finished, title=title, show_progress=True, on_stopped=halted,
                     cancel=cancel)

    # undo ---------------------------------------------------------------------------------

    def undo(self) -> Change:
        """Undo the latest change and announce it; InvalidInput when there is none."""
        return self._step(self._next_step(backwards=True), backwards=True)

    def redo(self) -> Change:
        """Redo the latest undone change and announce it; InvalidInput when there is none."""
        return self._step(self._next_step(backwards=False), backwards=False)

    def step_edit(self, *, backwards: bool, then: Callable[[Change], None]) -> None:
        """Undo (``backwards``) or Redo, then ``then(change)``: on the writer, with progress and
        Cancel, when the change touched ``BULK_ARTICLES`` articles or more (an edit made in steps
        is undone in steps, its articles closed to other edits meanwhile). InvalidInput at once
        when there is nothing to undo or redo."""
        change = self._next_step(backwards=backwards)
        if self._submit is None or len(change.doc_ids) < BULK_ARTICLES:
            then(self._step(change, backwards=backwards))
            return
        title = self.log.undo_text if backwards else self.log.redo_text

        def done(_result: Any) -> None:
            then(self._stepped(change, backwards=backwards))

        if isinstance(change, SteppedChange):
            self._editing = frozenset(change.doc_ids)
            self._in_background(StepsBack(change, backwards=backwards, turns=self._turns), title=title, then=done)
            return
        job = UntilCommit(change.undo if backwards else change.redo)
        self._in_background(job, title=title, then=done, cancel=job.cancel)

    def _next_step(self, *, backwards: bool) -> Change:
        self.about_to_undo.emit()
        self.log.seal()
        return self.log.next_step(backwards=backwards)

    def _step(self, change: Change, *, backwards: bool) -> Change:
        with busy_pointer():
            (change.undo if backwards else change.redo)(self.db)
        return self._stepped(change, backwards=backwards)

    def _stepped(self, change: Change, *, backwards: bool) -> Change:
        self.log.stepped(change, backwards=backwards)
        stepped = getattr(change, "last_step", None)
        if stepped is not None:
            self.announce(stepped.changes)
        else:
            self.announce(change.changes.reversed() if backwards else change.changes)
        return change

    # watching -----------------------------------------------------------------------------

    def _data_version(self) -> int:
        try:
            return data_version(self.db.conn)
        except sqlite3.Error:
            return self._version

    def check_outside(self) -> None:
        """Announce what other connections wrote since the last look (the poll's slot); not while
        an edit is made in steps, whose every step the views would otherwise refresh from (it is
        announced whole at its end, with what else was written meanwhile)."""
        if self._closed or self._editing:
            return
        self._check_file()
        version = self._data_version()
        if version == self._version:
            self._timer.setInterval(WATCH_MS)
            return
        self._version = version
        changes = self._read_outside()
        self._timer.setInterval(SETTLE_MS if changes.membership else WATCH_MS)
        if changes:
            self.changed.emit(changes)

    def _check_file(self) -> None:
        if not self._gone:
            reason = gone_reason(self.db.conn, getattr(self.db, "opened", None))
            if reason is not None:
                self._gone = True
                self.library_gone.emit(reason)

    def _read_outside(self) -> ChangeSet:
        try:
            changes, self._position = outside_changes(self.db.conn, self._position)
        except sqlite3.Error:
            return ChangeSet()
        return changes

