"""The stored romanised keys of entity names (``entity_keys``, one row per entity).

``store_keys`` writes the keys of one new entity (the extraction and the corrections create
entities through ``store.EntityResolver``, which calls it); ``refresh_keys`` catches up with the
rest: entities made before the keys existed, renamed or split off (in batches, as a job with
progress and cancel: ``key_library``). Dates, times and sums have
no keys (``VALUE_LABELS``).
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from ..jobs import CancelToken, Progress, ProgressCallback, no_progress
from ..library import Library
from .romanise import name_keys

BATCH = 2000
MIGRATION_LIMIT = 5_000
"""Libraries with up to this many entities get their keys in migration 0010 (≈ 5 s on a loaded
laptop); larger ones in the background when the window opens them, or at the next extraction."""

VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
_INSERT = "INSERT OR REPLACE INTO entity_keys (entity_id, name, script, key, words) VALUES (?, ?, ?, ?, ?)"


def _row(entity_id: int, name: str) -> tuple[int, str, str, str, str]:
    keys = name_keys(name)
    return entity_id, name, keys.script, keys.key, " ".join(keys.words)


def keyed_labels_sql() -> tuple[str, list[str]]:
    """A condition over ``entities e`` leaving out the labels without keys, and its parameters."""
    return f"e.label NOT IN ({','.join('?' * len(VALUE_LABELS))})", sorted(VALUE_LABELS)


def store_keys(conn: sqlite3.Connection, *, entity_id: int, label: str, name: str) -> None:
    """Write the keys of one entity (inside the caller's transaction)."""
    if label not in VALUE_LABELS:
        conn.execute(_INSERT, _row(entity_id, name))


def stale_keys(db: Database) -> list[tuple[int, str]]:
    """(id, name) of the entities whose keys are missing or were made from another name."""
    where, params = keyed_labels_sql()
    return db.conn.execute(
        "SELECT e.id, e.name FROM entities e LEFT JOIN entity_keys k ON k.entity_id = e.id "
        f"WHERE (k.entity_id IS NULL OR k.name <> e.name) AND {where}",
        params,
    ).fetchall()


def refresh_keys(
    db: Database, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
) -> int:
    """Compute the keys of the entities that have none or whose name changed; returns how many.

    One committed transaction per ``BATCH`` entities; ``cancel`` is checked between them
    (raises ``Cancelled``; finished batches are kept).
    """
    stale = stale_keys(db)
    report = progress or no_progress
    for start in range(0, len(stale), BATCH):
        if cancel is not None:
            cancel.raise_if_cancelled()
        rows = [_row(entity_id, name) for entity_id, name in stale[start:start + BATCH]]
        with db.atomic():
            db.conn.executemany(_INSERT, rows)
        done = start + len(rows)
        report(Progress(done, len(stale), f"Names in other scripts: {done:,} of {len(stale):,} entities"))
    return len(stale)


def key_library(library: Library, *, progress: ProgressCallback, cancel: CancelToken) -> int:
    """``refresh_keys`` as a background job over a library (the window runs it on opening a
    library whose keys are not all made yet)."""
    return refresh_keys(library.db, progress=progress, cancel=cancel)
