"""Languages for the articles of a library imported before Dossier detected them: a resumable
background fill, batch by batch.

Migration 0008 marks a library that holds articles (``meta.language_fill_after`` = the
id the fill has reached). ``fill_languages`` walks the articles after that id whose
language is unknown or not an ISO 639-1 code (``en-US`` from an old HTML import), sets
each one from ``desktop.core.language.article_language`` and moves the mark on with
every batch, so a fill that is cancelled or killed goes on where it stopped; when the
walk is done the mark is removed and ``fill_pending`` answers 0 from then on. Articles
imported since are detected at import and never need it.

A batch is two steps, so a window can run the reading on a worker of its own and keep
its single writer free: ``detect_batch`` only reads (and does the detecting), and
``store_languages`` writes one short transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from .changes import ChangeSet
from .jobs import CancelToken, Progress, ProgressCallback
from .language import SAMPLE_CHARS, article_language
from .busy import retry_when_busy
from .library import Library

FILL_KEY = "language_fill_after"
BATCH = 500
_NEEDS_LANGUAGE = "(language IS NULL OR language NOT GLOB '[a-z][a-z]')"


@dataclass(frozen=True)
class DetectedBatch:
    """One batch read by ``detect_batch``: ``(id, language as stored, language found)`` for each
    article that needs one, and ``last_id``, the id the walk reached (None: nothing was left)."""

    found: list[tuple[int, str | None, str | None]]
    last_id: int | None


def _mark(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [FILL_KEY]).fetchone()
    return None if row is None else int(row[0])


def fill_pending(db: Database) -> int:
    """How many articles the fill has still to look at (0: none, or the library needs no fill)."""
    after = _mark(db.conn)
    if after is None:
        return 0
    return db.conn.execute(
        f"SELECT count(*) FROM documents WHERE id > ? AND {_NEEDS_LANGUAGE}", [after]
    ).fetchone()[0]


def detect_batch(db: Database, *, limit: int | None = None) -> DetectedBatch:
    """Read the next ``limit`` (default ``BATCH``) articles the fill has to look at and detect
    their languages (no write)."""
    after = _mark(db.conn)
    if after is None:
        return DetectedBatch([], None)
    rows = db.conn.execute(
        f"SELECT id, language, substr(text, 1, ?) FROM documents WHERE id > ? AND {_NEEDS_LANGUAGE} "
        "ORDER BY id LIMIT ?",
        [SAMPLE_CHARS * 2, after, limit or BATCH],
    ).fetchall()
    found = [(doc_id, stored, article_language(stored, opening)) for doc_id, stored, opening in rows]
    return DetectedBatch(found, rows[-1][0] if rows else None)


def store_languages(library: Library, batch: DetectedBatch) -> ChangeSet:
    """Write the languages of ``batch`` (unless an article's language changed since it was read)
    and move the fill's mark past it, or remove the mark when the batch found nothing left.
    Returns the articles whose language changed."""
    changed = [(found, doc_id, stored) for doc_id, stored, found in batch.found if found and found != stored]

    def write() -> list[int]:
        with library.db.atomic():
            conn = library.db.conn
            updated = [
                doc_id for found, doc_id, stored in changed
                if conn.execute("UPDATE documents SET language = ? WHERE id = ? AND language IS ?",
                                [found, doc_id, stored]).rowcount
            ]
            if batch.last_id is None:
                conn.execute("DELETE FROM meta WHERE key = ?", [FILL_KEY])
            else:
                conn.execute("UPDATE meta SET value = ? WHERE key = ?", [str(batch.last_id), FILL_KEY])
            return updated

    return ChangeSet.of(edited=retry_when_busy(write))


def fill_languages(
    library: Library,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    batch_size: int | None = None,
) -> ChangeSet:
    """Detect and store the language of every article the fill has still to look at, a batch
    per transaction; ``progress`` hears of each batch (articles done of those pending at the
    start); a cancelled fill keeps what it stored and goes on from there next time."""
    total = fill_pending(library.db)
    done = 0
    changes = ChangeSet()
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = detect_batch(library.db, limit=batch_size)
        changes |= store_languages(library, batch)
        if batch.last_id is None:
            return changes
        done += len(batch.found)
        if progress is not None:
            progress(Progress(min(done, total), total, "", phase="detecting languages", unit="articles"))
