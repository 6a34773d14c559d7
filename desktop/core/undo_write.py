"""Writing the rows of an undo snapshot back into their table (``write_rows``, for
``undo.apply_rows``): all in one statement when it can — an UPDATE when every row exists, an
upsert otherwise — else row by row, a row blocked by a UNIQUE value another row still holds
retried after the others.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    from .undo import TableRows


def quoted(columns: Iterable[str]) -> str:
    """Column names quoted for SQL, separated by commas."""
    return ", ".join(f'"{c}"' for c in columns)


def write_rows(
    db: Database, wanted: TableRows, rows: Iterable[tuple[tuple[Any, ...], tuple[Any, ...]]], *,
    strict: bool = False,
) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """Write ``rows`` (key, row) of ``wanted``; a row blocked by a UNIQUE value another row
    still holds (a pinned slot moving between tags) is retried after the others. Returns the
    rows still blocked; with ``strict`` the first of them raises its error instead."""
    where = " AND ".join(f'"{k}" = ?' for k in wanted.key)
    values = [c for c in wanted.columns if c not in wanted.key]
    assign = ", ".join(f'"{c}" = ?' for c in values)
    pending = list(rows)
    if len(pending) > 1 and not strict and _upsert_all(db, wanted, values, pending, where=where, assign=assign):
        return []
    while pending:
        blocked = []
        for key, row in pending:
            try:
                _write_row(db, wanted, key, row, where=where, values=values, assign=assign)
            except sqlite3.IntegrityError:
                blocked.append((key, row))
        if len(blocked) == len(pending):  # no progress
            if strict:
                _write_row(db, wanted, *blocked[0], where=where, values=values, assign=assign)
            return blocked
        pending = blocked
    return []


def _upsert_all(
    db: Database, wanted: TableRows, values: list[str], rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]], *,
    where: str, assign: str,
) -> bool:
    """Write every row in one statement (the undo of a correction of 9,000 mentions is not
    9,000 round trips); False, with nothing written, when one of them is blocked by a UNIQUE
    value another row still holds — ``write_rows`` then writes them one by one."""
    if values and _update_all(db, wanted, values, rows, where=where, assign=assign):
        return True
    update = ", ".join(f'"{c}" = excluded."{c}"' for c in values)
    sql = (
        f"INSERT INTO [{wanted.table}] ({quoted(wanted.columns)}) VALUES ({', '.join('?' * len(wanted.columns))}) "
        f"ON CONFLICT ({quoted(wanted.key)}) DO " + (f"UPDATE SET {update}" if values else "NOTHING")
    )
    try:
        with db.atomic():
            db.conn.executemany(sql, [row for _, row in rows])
    except sqlite3.IntegrityError:
        return False
    return True


def _update_all(
    db: Database, wanted: TableRows, values: list[str], rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]], *,
    where: str, assign: str,
) -> bool:
    """Update every row in one statement when they all exist (the rows of a table whose other
    columns cannot be left out of an insert, such as articles); False, with nothing written, else."""
    at = [wanted.columns.index(c) for c in values]
    params = [[row[n] for n in at] + list(key) for key, row in rows]
    try:
        with db.atomic():
            if db.conn.executemany(f"UPDATE [{wanted.table}] SET {assign} WHERE {where}", params).rowcount != len(rows):
                raise _Missing
    except (_Missing, sqlite3.IntegrityError):
        return False
    return True


class _Missing(Exception):
    """Some of the rows ``_update_all`` was to update do not exist (it writes none)."""


def _write_row(
    db: Database, wanted: TableRows, key: tuple[Any, ...], row: tuple[Any, ...], *,
    where: str, values: list[str], assign: str,
) -> None:
    """Update the row with ``key`` to ``row``, inserting it when it does not exist."""
    named = dict(zip(wanted.columns, row))
    if values:
        sql = f"UPDATE [{wanted.table}] SET {assign} WHERE {where}"
        found = db.conn.execute(sql, [named[c] for c in values] + list(key)).rowcount
    else:
        sql = f"SELECT count(*) FROM [{wanted.table}] WHERE {where}"
        found = db.conn.execute(sql, key).fetchone()[0]
    if not found:
        db.conn.execute(
            f"INSERT INTO [{wanted.table}] ({quoted(wanted.columns)}) VALUES ({', '.join('?' * len(row))})",
            row,
        )
