"""Edits of thousands of articles made in steps (``edit_in_steps``).

Starring or tagging 20,000 articles in one transaction holds the library's write lock for
seconds, and every other edit — a star on one article, a highlight — waits until it commits.
Here the edit is made ``STEP_ARTICLES`` articles at a time, each step in a transaction of its
own, so another edit waits at most one step (``between``, called after each step has
committed, is where a window lets its own edit in). Progress counts the articles done of all; a
cancel (checked between steps) or a failing step takes back the steps already committed, a step
at a time, latest first, so the edit is made whole or not at all. The steps are undone and
redone as one change named for every article, whole or (``SteppedChange.in_steps``) a step at a
time with progress, a cancel turning back the steps already made.

Others may write to the same articles while the steps run, or before the edit is undone: a
second window stars article 5, the ``dossier`` command marks it read. Taking back a step, or
undoing or redoing the edit, puts back only what the edit itself wrote: an article whose value
(or whose tag) someone else changed since is left as they made it (``undo_merge``), and the
cancel's or the undo's one-line message says how many articles were left so.

While the steps run, the write-ahead log is copied into the library once at the end rather than
after every step (``_checkpoint_at_end``): copying it back step by step made the edit twice as
long.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from .changes import ChangeSet, Step
from .errors import Cancelled
from .jobs import CancelToken, Progress, ProgressCallback
from .undo import Change, CombinedChange, RowChange, plural
from .undo_merge import LeftRow

STEP_ARTICLES = 2000


@dataclass
class SteppedChange:
    """The steps of one edit, named for all its articles, undone and redone whole (``undo`` /
    ``redo``, one transaction) or a step at a time (``in_steps``), leaving the articles others
    changed since as they are (``last_step`` says how many)."""

    label: str
    steps: CombinedChange
    last_step: Step | None = None

    @property
    def doc_ids(self) -> Collection[int]:
        return self.steps.doc_ids

    @property
    def changes(self) -> ChangeSet:
        return self.steps.changes

    def undo(self, db: Database) -> None:
        self._whole(db, backwards=True)

    def redo(self, db: Database) -> None:
        self._whole(db, backwards=False)

    def _whole(self, db: Database, *, backwards: bool) -> None:
        left: list[LeftRow] = []
        with db.atomic():
            for part in self._parts(backwards=backwards):
                _turn(db, part, backwards=backwards, left=left)
        self._ended(backwards=backwards, left=left)

    def in_steps(self, db: Database, *, backwards: bool, progress: ProgressCallback, cancel: CancelToken,
                 between: Callable[[], None] = lambda: None) -> None:
        """Undo (``backwards``) or redo the edit a step at a time, each committed on its own, with
        "Undoing 4,000 of 22,000 articles…" after each, then ``between()`` (as ``edit_in_steps``).
        Raises ``Cancelled`` when ``cancel`` is set, after the steps made are turned back again."""
        total, done, made = len(self.doc_ids), 0, []
        left: list[LeftRow] = []
        verb = "Undoing" if backwards else "Redoing"

        def report(count: int) -> None:
            progress(Progress(count, total, phase=f"{verb} {count:,} of {plural(total, 'article')}…",
                              unit="articles"))

        report(0)
        with _checkpoint_at_end(db.conn):
            try:
                for part in self._parts(backwards=backwards):
                    cancel.raise_if_cancelled()
                    with db.atomic():
                        _turn(db, part, backwards=backwards, left=left)
                    made.append(part)
                    done += len(part.doc_ids)
                    report(done)
                    between()
                cancel.raise_if_cancelled()
            except BaseException:
                _turn_all_back(db, made, backwards=not backwards, left=[])
                raise
        self._ended(backwards=backwards, left=left)

    def _parts(self, *, backwards: bool) -> list[Change]:
        return list(reversed(self.steps.parts)) if backwards else list(self.steps.parts)

    def _ended(self, *, backwards: bool, left: list[LeftRow]) -> None:
        done = f"{'Undone' if backwards else 'Redone'}: {self.label}"
        self.last_step = Step(self.changes.reversed() if backwards else self.changes, _left_message(done, left))


def _turn(db: Database, part: Change, *, backwards: bool, left: list[LeftRow]) -> None:
    """Undo (``backwards``) or redo one step, leaving (and naming in ``left``) the rows others
    changed since."""
    if isinstance(part, RowChange):
        (part.undo if backwards else part.redo)(db, left=left)
    else:
        (part.undo if backwards else part.redo)(db)


def _left_message(done: str, left: list[LeftRow]) -> str | None:
    """``done``, and how many articles were left as others changed them (None when none were)."""
    articles = {row.document_id for row in left} - {None}
    if not articles:
        return None
    return (f"{done}, except on {plural(len(articles), 'article')} another window or command "
            f"changed since (left as {'it is' if len(articles) == 1 else 'they are'}).")


def edit_in_steps(db: Database, edit: Callable[[Database, list[int]], Change], ids: Sequence[int], *,
                  doing: str, progress: ProgressCallback, cancel: CancelToken,
                  between: Callable[[], None] = lambda: None, step: int | None = None) -> Change:
    """Run ``edit(db, some_ids)`` over ``ids`` a step at a time, each step committed on its own;
    ``progress`` hears "``doing`` 4,000 of 22,000 articles…" after each, then ``between()`` runs
    with the library unlocked. Raises ``Cancelled``
    when ``cancel`` is set, and whatever a step raised, after the steps made are taken back."""
    ids, step = list(dict.fromkeys(ids)), step or STEP_ARTICLES
    total, parts = len(ids), []

    def report(done: int) -> None:
        progress(Progress(done, total, phase=f"{doing} {done:,} of {plural(total, 'article')}…", unit="articles"))

    report(0)
    with _checkpoint_at_end(db.conn):
        try:
            for start in range(0, total, step):
                cancel.raise_if_cancelled()
                chunk = ids[start:start + step]
                with db.atomic():
                    parts.append(edit(db, chunk))
                report(start + len(chunk))
                between()
            cancel.raise_if_cancelled()
        except Cancelled:
            left = _take_back(db, parts, progress=progress, total=total, step=step)
            raise Cancelled(_left_message("Cancelled: taken back", left) or "Cancelled.") from None
        except BaseException:
            _take_back(db, parts, progress=progress, total=total, step=step)
            raise
    first = parts[0].label if parts else ""
    label = first.replace(plural(len(ids[:step]), "article"), plural(total, "article"), 1)
    return SteppedChange(label, CombinedChange(None, parts))


def _take_back(db: Database, parts: list[Change], *, progress: ProgressCallback, total: int,
               step: int) -> list[LeftRow]:
    """Undo the steps made, latest first, each in a transaction of its own; the rows others changed
    since are left as they are and returned."""
    left: list[LeftRow] = []
    done = min(len(parts) * step, total)

    def report(n: int) -> None:
        progress(Progress(n * step, done, phase=f"Taking back {min(n * step, done):,} of "
                                                f"{plural(done, 'article')}…", unit="articles"))

    _turn_all_back(db, parts, backwards=True, left=left, before=report)
    return left


def _turn_all_back(db: Database, parts: list[Change], *, backwards: bool, left: list[LeftRow],
                   before: Callable[[int], None] = lambda _n: None) -> None:
    """``_turn`` the steps made, latest first, each in a transaction of its own, after
    ``before(how many were turned)``."""
    for n, part in enumerate(reversed(parts)):
        before(n)
        with db.atomic():
            _turn(db, part, backwards=backwards, left=left)


@contextlib.contextmanager
def _checkpoint_at_end(conn: sqlite3.Connection) -> Iterator[None]:
    """No automatic checkpoint on ``conn`` inside, one (passive: readers are not waited for) after."""
    every = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(every)}")
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
