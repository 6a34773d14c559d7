"""Edits of thousands of articles made in steps (``edit_in_steps``).

Starring or tagging 20,000 articles in one transaction holds the library's write lock for
seconds, and every other edit — a star on one article, a highlight — waits until it commits.
Here the edit is made ``STEP_ARTICLES`` articles at a time, each step in a transaction of its
own, so another edit waits at most one step (``between``, called after each step has
committed, is where a window lets its own edit in). Progress counts the articles done of all; a
cancel (checked between steps) or a failing step takes back the steps already committed, so
the edit is made whole or not at all; the steps are undone and redone as one change named
for every article. While the steps run, the write-ahead log is copied into the library once at
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
from .jobs import CancelToken, Progress, ProgressCallback
from .undo import Change, CombinedChange, plural

STEP_ARTICLES = 2000


@dataclass
class SteppedChange:
    """The steps of one edit, named for all its articles; undone and redone in one transaction."""

    label: str
    steps: CombinedChange

    @property
    def doc_ids(self) -> Collection[int]:
        return self.steps.doc_ids

    @property
    def changes(self) -> ChangeSet:
        return self.steps.changes

    def undo(self, db: Database) -> None:
        self.steps.undo(db)

    def redo(self, db: Database) -> None:
        self.steps.redo(db)


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
        except BaseException:
            if parts:
                CombinedChange(None, parts).undo(db)
            raise
    first = parts[0].label if parts else ""
    label = first.replace(plural(len(ids[:step]), "article"), plural(total, "article"), 1)
    return SteppedChange(label, CombinedChange(None, parts))


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
