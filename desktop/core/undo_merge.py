"""Undo and redo over rows another window or command changed since: only the columns the
operation changed are put back, never over a newer value written elsewhere, and a row it made is
never taken away once someone else has changed it.

``undo.RowChange`` snapshots whole rows. Writing a whole row back would also put back the
columns another connection changed in between: undoing a colour change here would take away
the note a second window had written meanwhile. ``merged_rows`` turns the snapshots into the
rows to write and to delete: each row the operation updated becomes the row as it is now,
with only the columns the operation changed set back. When one of those columns no longer
holds the value the operation left, someone else changed it since. Likewise a row the operation
made (a highlight), which undo would delete, may have been changed since (a note another window
added to it). Such a row is someone else's work: a plain undo raises InvalidInput (one line) and
changes nothing; a take-back that goes on without it (the steps of a large edit, ``left``) leaves
it as it is now and names it in ``left``. Columns that only record when a row changed, or gather
other rows' text (``BOOKKEEPING``), and the columns by which a highlight is placed again in a
changed text (``PLACEMENT``) are not someone's work: they are set back or taken away without
that check. Rows the operation deleted are written back by ``undo.apply_rows``; a highlight
(``NUMBERED_WORK``) is not when its number is taken: Dossier numbers new highlights above every
number deleted (``row_numbers``), but another program writing to the library may have put its
own row under that ``id`` — that row is someone else's too, and writing the deleted one back
would overwrite it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from operator import itemgetter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .errors import InvalidInput

if TYPE_CHECKING:
    from .undo import TableRows

BOOKKEEPING = frozenset({"updated", "modified_at", "notes"})
NUMBERED_WORK = frozenset({"annotations"})
"""Tables whose rows restored by an undo are checked for another's row under the same number:
highlights, a person's work. Dossier never gives a deleted number again (``row_numbers``); the
check is for a program that numbers its rows itself."""
PLACEMENT = {"annotations": frozenset({"start", "end", "quote", "prefix", "suffix", "orphaned"})}

Row = tuple[Any, ...]


@dataclass(frozen=True)
class LeftRow:
    """A row a take-back left as it is, because another connection changed it since: its table
    and its values now by column."""

    table: str
    values: dict[str, Any]

    @property
    def document_id(self) -> int | None:
        """The article the row belongs to (None for a row of no article, such as a tag)."""
        return self.values.get("id") if self.table == "documents" else self.values.get("document_id")


def merged_rows(
    db: Database, *, current: TableRows, target: TableRows, label: str, left: list[LeftRow] | None = None,
) -> tuple[TableRows, TableRows]:
    """The snapshots ``current`` (the rows the operation left) and ``target`` (the rows to put back)
    as ``undo.apply_rows`` should turn one into the other over the library as it is now.

    A row someone else changed since raises InvalidInput, or with ``left`` given is taken out of
    both (so it stays as it is now) and appended to ``left``.
    """
    was, wanted = current.by_key(), target.by_key()
    updated = was.keys() & wanted.keys()
    deleted = was.keys() - wanted.keys()
    restored = wanted.keys() - was.keys() if current.table in NUMBERED_WORK else set()
    if not updated and not deleted and not restored:
        return current, target
    live = _live_rows(db, current, updated | deleted | restored)
    ignored = BOOKKEEPING | PLACEMENT.get(current.table, frozenset())
    theirs: dict[Row, list[str]] = {}
    taken = [key for key in restored if key in live
             and any(c not in ignored and a != b for c, a, b in zip(current.columns, live[key], wanted[key]))]
    merged: dict[Row, Row] = {}
    for key in updated:
        now = live.get(key)
        if now is None or now == was[key]:  # no one else has changed it: ``wanted`` as it is
            continue
        changed = [n for n, (before, back) in enumerate(zip(was[key], wanted[key])) if before != back]
        newer = [current.columns[n] for n in changed
                 if now[n] not in (was[key][n], wanted[key][n]) and current.columns[n] not in BOOKKEEPING]
        if newer:
            theirs[key] = newer
        else:
            merged[key] = tuple(wanted[key][n] if n in changed else value for n, value in enumerate(now))
    for key in deleted:
        now = live.get(key)
        if now is None or now == was[key]:
            continue
        newer = [c for c, a, b in zip(current.columns, was[key], now) if a != b and c not in ignored]
        if newer:
            theirs[key] = newer
    if taken and left is None:
        raise InvalidInput(f"Cannot restore '{label}': another window or command has since made something "
                           "new under its number; that is kept.")
    if theirs and left is None:
        what = ", ".join(dict.fromkeys(c.replace("_", " ") for cs in theirs.values() for c in cs))
        raise InvalidInput(f"Cannot restore '{label}': another window or command has changed it "
                           f"since (its {what}); its newer version is kept.")
    theirs.update((key, []) for key in taken)
    if left is not None:
        left.extend(LeftRow(current.table, dict(zip(current.columns, live[key]))) for key in theirs)
    kept = tuple(row for key, row in was.items() if key not in theirs)
    back = tuple(merged.get(key, row) for key, row in wanted.items() if key not in theirs)
    return replace(current, rows=kept), replace(target, rows=back)


def unreferenced(db: Database, rows: TableRows, keys: Collection[Row], *, tables: Collection[str], label: str,
                 left: list[LeftRow] | None) -> list[Row]:
    """The ``keys`` of ``rows`` to delete that no row of ``tables`` points at by a foreign key any
    more: once the rows an undo takes away are gone, a row still pointing at one was made by
    someone else since, and a cascade would take it. Such a key raises InvalidInput, or with
    ``left`` given is kept (and named there)."""
    if not keys:
        return []
    held: set[Row] = set()
    by_key = rows.by_key()
    for child in dict.fromkeys(tables):
        for fk in db.conn.execute(f"PRAGMA foreign_key_list([{child}])").fetchall():
            parent, column, to = fk[2], fk[3], fk[4] or rows.key[0]
            if parent != rows.table or to not in rows.columns:
                continue
            at = rows.columns.index(to)
            values = {by_key[key][at]: key for key in keys}
            used = db.conn.execute(f'SELECT DISTINCT "{column}" FROM [{child}] WHERE "{column}" IN '
                                   "(SELECT value FROM json_each(?))", [json.dumps(list(values))])
            held |= {values[value] for value, in used if value in values}
    if held and left is None:
        raise InvalidInput(f"Cannot restore '{label}': another window or command has used it since "
                           "in a way that taking it away would undo; it is kept.")
    if left is not None:
        left.extend(LeftRow(rows.table, dict(zip(rows.columns, by_key[key]))) for key in held)
    return [key for key in keys if key not in held]


def _live_rows(db: Database, rows: TableRows, keys: Collection[Row]) -> dict[Row, Row]:
    """The rows with ``keys`` as they are now, in ``rows``' columns, by key (one query, whatever
    the number of keys or of key columns)."""
    select = ", ".join(f'"{c}"' for c in rows.columns)
    key_of = row_key(rows)
    columns = ", ".join(f'"{k}"' for k in rows.key)
    parts = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(len(rows.key)))
    cursor = db.conn.execute(
        f"SELECT {select} FROM [{rows.table}] WHERE ({columns}) IN (SELECT {parts} FROM json_each(?))",
        [json.dumps([list(key) for key in keys])],
    )
    return {key_of(row): row for row in cursor}


def row_key(rows: TableRows) -> Callable[[Row], Row]:
    """A function giving the key (a tuple) of a row of ``rows``."""
    positions = [rows.columns.index(k) for k in rows.key]
    if len(positions) == 1:
        at = positions[0]
        return lambda row: (row[at],)
    return itemgetter(*positions)
