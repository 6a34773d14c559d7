"""The stored romanised keys of entity names (``entity_keys``, one row per entity).

``store_keys`` writes the keys of one new entity (the extraction and the corrections create
entities through ``store.EntityResolver``, which calls it); ``refresh_keys`` catches up with the
rest: entities made before the keys existed, renamed or split off. Dates, times and sums have
no keys (``VALUE_LABELS``).
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from .romanise import name_keys

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


def refresh_keys(db: Database) -> int:
    """Compute the keys of the entities that have none or whose name changed; returns how many."""
    where, params = keyed_labels_sql()
    stale = db.conn.execute(
        "SELECT e.id, e.name FROM entities e LEFT JOIN entity_keys k ON k.entity_id = e.id "
        f"WHERE (k.entity_id IS NULL OR k.name <> e.name) AND {where}",
        params,
    ).fetchall()
    rows = [_row(entity_id, name) for entity_id, name in stale]
    if rows:
        with db.atomic():
            db.conn.executemany(_INSERT, rows)
    return len(rows)
