"""Undo and redo over rows another window or command changed since: only the columns the
operation changed are put back, and never over a newer value written elsewhere.

``undo.RowChange`` snapshots whole rows. Writing a whole row back would also put back the
columns another connection changed in between: undoing a colour change here would take away
the note a second window had written meanwhile. ``merged_target`` turns the snapshot to
restore into the rows to write: each row the operation updated becomes the row as it is now,
with only the columns the operation changed set back. When one of those columns no longer
holds the value the operation left, someone else changed it since, and it raises InvalidInput
(one line) instead of overwriting the newer value. Columns that only record when a row
changed, or gather other rows' text (``BOOKKEEPING``), are set back without that check.
Rows the operation created or deleted are handled by ``undo.apply_rows`` as before.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .errors import InvalidInput

if TYPE_CHECKING:
    from .undo import TableRows

BOOKKEEPING = frozenset({"updated", "modified_at", "notes"})
CHUNK = 500

Row = tuple[Any, ...]


def merged_target(db: Database, *, current: TableRows, target: TableRows, label: str) -> TableRows:
    """The rows of ``target`` to write over a library whose rows the operation left as ``current``.

    Raises InvalidInput when a column to set back was changed since to another value.
    """
    left, wanted = current.by_key(), target.by_key()
    updated = left.keys() & wanted.keys()
    if not updated:
        return target
    live = _live_rows(db, target, updated)
    rows = []
    for key, row in wanted.items():
        now = live.get(key)
        if key not in updated or now is None:
            rows.append(row)
            continue
        changed = [n for n, (was, back) in enumerate(zip(left[key], row)) if was != back]
        if any(now[n] not in (left[key][n], row[n]) for n in changed
               if target.columns[n] not in BOOKKEEPING):
            raise InvalidInput(f"Cannot restore '{label}': another window or command has changed it "
                               "since; its newer version is kept.")
        rows.append(tuple(row[n] if n in changed else value for n, value in enumerate(now)))
    return replace(target, rows=tuple(rows))


def _live_rows(db: Database, rows: TableRows, keys: Collection[Row]) -> dict[Row, Row]:
    """The rows with ``keys`` as they are now, in ``rows``' columns, by key."""
    select = ", ".join(f'"{c}"' for c in rows.columns)
    positions = [rows.columns.index(k) for k in rows.key]
    found: dict[Row, Row] = {}
    if len(rows.key) == 1:
        wanted = [key[0] for key in keys]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            cursor = db.conn.execute(
                f'SELECT {select} FROM [{rows.table}] WHERE "{rows.key[0]}" IN ({", ".join("?" * len(chunk))})',
                chunk,
            )
            found.update((tuple(row[p] for p in positions), tuple(row)) for row in cursor)
        return found
    where = " AND ".join(f'"{k}" = ?' for k in rows.key)
    for key in keys:
        row = db.conn.execute(f"SELECT {select} FROM [{rows.table}] WHERE {where}", key).fetchone()
        if row is not None:
            found[key] = tuple(row)
    return found
