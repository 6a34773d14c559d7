"""Row numbers never given twice, in the tables whose deleted rows an undo writes back.

SQLite numbers a new row one above the highest row there is, so once the newest rows of a
table were deleted the next rows get their numbers again. An undo writes deleted rows back
under their own numbers: after a merge of entities took away the newest entity and an
extraction then made a new one under its number, undoing the merge wrote the old entity over
the new one, and "Vladimir Putin" in the article just extracted read "Xi Jinping". In the
tables of ``NUMBERED`` (highlights, entities, mentions) every row Dossier adds takes its number
from ``take_ids``, which numbers above the highest row and above every number it gave before
(kept in ``given_numbers``, migration 0026), so the number of a deleted row stays its own until
an undo brings it back. Keeping the numbers given costs one small write per batch of new rows;
deleting rows costs nothing more.
"""

from __future__ import annotations

import sqlite3

NUMBERED = ("annotations", "entities", "mentions")


def take_ids(conn: sqlite3.Connection, table: str, count: int = 1) -> int:
    """Numbers for ``count`` new rows of ``table`` that no row has now or had before: returns the
    first, the rows take it and the numbers after it. Call it in the transaction that inserts them."""
    assert table in NUMBERED
    first = conn.execute(
        f"SELECT max(coalesce((SELECT max(id) FROM [{table}]), 0), "
        "coalesce((SELECT last FROM given_numbers WHERE name = ?), 0)) + 1",
        (table,),
    ).fetchone()[0]
    if count > 0:
        conn.execute(
            "INSERT INTO given_numbers (name, last) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET last = max(last, excluded.last)",
            (table, first + count - 1),
        )
    return first
