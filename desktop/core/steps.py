"""Edits of thousands of articles made in steps (``edit_in_steps``).

Starring or tagging 20,000 articles in one transaction holds the library's write lock for
seconds, and every other edit — a star on one article, a highlight — waits until it commits.
Here the edit is made ``STEP_ARTICLES`` articles at a time, each step in a transaction of its
own, so another edit waits at most one step (``between``, called after each step has
committed, is where a window lets its own edit in). Progress counts the articles done of all; a
cancel (checked between steps) or a failing step takes back the steps already committed, a step
at a time, latest first, so the edit is made whole or not at all. The steps are undone and
redone as one change named for every article.

Others may write to the same articles while the steps run, or before the edit is undone: a
second window stars article 5, the ``dossier`` command marks it read. Taking back a step, or
undoing or redoing the edit, puts back only what the edit itself wrote: an article whose value
(or whose tag) someone else changed since is left as they made it (``undo_merge``), and the
cancel's or the undo's one-line message says how many articles were left so. While the steps run, the write-ahead log is copied into the library once at
the end rather than after every step (``_checkpoint_at_end``): copying it back step by step
made the edit twice as long.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from .changes import ChangeSet
from .errors import Cancelled
from .jobs import CancelToken, Progress, ProgressCallback
from .undo import Change, CombinedChange, RowChange, Step, plural
from .undo_merge import LeftRow

STEP_ARTICLES = 2000


@dataclass
class SteppedChange:
    """The steps of one edit, named for all its articles; undone and redone in one transaction,
    leaving the articles others changed since as they are (``last_step`` says how many)."""

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
        left = []
        with db.atomic():
            for part in reversed(self.steps.parts):
                _step_back(db, part, left=left)
        self.last_step = Step(self.changes.reversed(), _left_message(f"Undone: {self.label}", left))

    def redo(self, db: Database) -> None:
        left = []
        with db.atomic():
            for part in self.steps.parts:
                if isinstance(part, RowChange):
                    part.redo(db, left=left)
                else:
                    part.redo(db)
        self.last_step = Step(self.changes, _left_message(f"Redone: {self.label}", left))


def _step_back(db: Database, part: Change, *, left: list[LeftRow]) -> None:
    """Undo one step, leaving (and naming in ``left``) the rows others changed since."""
    if isinstance(part, RowChange):
        part.undo(db, left=left)
    else:
        part.undo(db)


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
    for n, part in enumerate(reversed(parts)):
        progress(Progress(n * step, done, phase=f"Taking back {min(n * step, done):,} of "
                                                f"{plural(done, 'article')}…", unit="articles"))
        with db.atomic():
            _step_back(db, part, left=left)
    return left


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
