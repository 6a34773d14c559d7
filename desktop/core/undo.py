"""Undo and redo: the ``Change`` protocol, row-snapshot changes and the per-window ``UndoLog``.

Every editing operation of the core (tags, reading states, highlights, notes,
entity corrections; article removal in ``removal.py``) commits its own transaction and returns
a *change*: any object with

- ``label: str`` — what the user did, in words ("Add tag 'Biomed' to 3 articles");
- ``doc_ids`` — a collection of the ids of the articles it touched;
- ``changes`` — the ``ChangeSet`` of what it changed (views refresh from it;
  undoing announces ``changes.reversed()``);
- ``undo(db)`` — put the library back as it was before the operation, in one transaction;
- ``redo(db)`` — apply the operation again, in one transaction;
- optionally ``last_step`` — for a change whose undo does more than mirror the operation
  (``removal.Removal``: an article imported again since gets its highlights back), what the
  latest undo or redo changed and the sentence that says so (None before either).

``RowChange`` is the implementation used by the operations here: inside the
operation's transaction it snapshots the rows in scope before and after (whole
rows, or only some columns of a table), keeps the rows that differ, and undo /
redo restore one snapshot over the other — updating or inserting its rows
(parents first, so a child row is moved off a parent before that parent goes),
then deleting rows absent from it (children first, so no ON DELETE CASCADE takes
a row the snapshot still holds), then writing the rows a deleted row's UNIQUE
value held back. Parents and children are read off the tables' foreign keys.
Other modules may return their own objects as long as they follow the protocol.

``UndoLog`` is the stack a window mirrors. It lives in memory for one window
session and is not persisted: closing the window forgets its history, while
every change itself is already committed to the library. Consecutive changes
recorded with the same ``merge_key`` (the saves of one note while it is typed)
are undone and redone as one ``CombinedChange``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from sqlite_utils import Database

from .changes import ChangeSet, documents_columns_change, log_tag_renames, table_rows_change
from .errors import InvalidInput
from .undo_merge import LeftRow, merged_rows, row_key, unreferenced
from .undo_write import quoted, write_rows

T = TypeVar("T")

IN_IDS = "IN (SELECT value FROM json_each(?))"


@runtime_checkable
class Change(Protocol):
    """What an undoable operation returns (see the module docstring)."""

    label: str

    @property
    def doc_ids(self) -> Collection[int]: ...

    @property
    def changes(self) -> ChangeSet: ...

    def undo(self, db: Database) -> None: ...

    def redo(self, db: Database) -> None: ...


@dataclass(frozen=True)
class Scope:
    """Rows an operation may change: ``SELECT columns FROM table WHERE where``.

    ``columns`` None means whole rows. ``keep`` marks rows that must exist in both
    states even if unchanged (entities that removed mentions point at).
    """

    table: str
    where: str
    params: tuple[Any, ...] = ()
    columns: tuple[str, ...] | None = None
    keep: bool = False


@dataclass(frozen=True)
class TableRows:
    """A snapshot of some rows of one table: ``rows`` hold values in ``columns`` order."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def by_key(self) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        """The rows by their key (made once: an undo of 20,000 rows asks several times; not to be changed)."""
        found = self.__dict__.get("_by_key")
        if found is None:
            key_of = row_key(self)
            found = {key_of(row): row for row in self.rows}
            object.__setattr__(self, "_by_key", found)
        return found


@dataclass(frozen=True)
class RowChange:
    """A change recorded as row snapshots before and after the operation; ``declared``: what
    it changed that no row shows (the tags a rename gave new names)."""

    kind: str
    label: str
    doc_ids: tuple[int, ...]
    before: tuple[TableRows, ...]
    after: tuple[TableRows, ...]
    declared: ChangeSet = ChangeSet()

    @property
    def changed(self) -> bool:
        """False when the operation found nothing to do (a window need not offer to undo it)."""
        return any(rows.rows for rows in self.before + self.after)

    @property
    def changes(self) -> ChangeSet:
        """What the operation changed, read off the rows that differ between the snapshots.

        A tag renamed or recoloured reads differently on every article carrying it, though
        none of their rows changed: those articles (``doc_ids``) are named as ``tagged``.
        """
        out = self.declared
        for old, new in zip(self.before, self.after):
            out |= _rows_change(old, new)
        if out.tag_definitions:
            out |= ChangeSet.of(tagged=self.doc_ids)
        return out

    def undo(self, db: Database, *, left: list[LeftRow] | None = None) -> None:
        """Restore the rows as they were before the operation (renamed tags logged back); with
        ``left``, rows changed elsewhere since stay as they are and are named there (``apply_rows``)."""
        with db.atomic():
            apply_rows(db, current=self.after, target=self.before, label=self.label, left=left)
            log_tag_renames(db.conn, self.declared.reversed().tag_renames)

    def redo(self, db: Database, *, left: list[LeftRow] | None = None) -> None:
        """Restore the rows as they were after the operation (its renamed tags logged again);
        ``left`` as for ``undo``."""
        with db.atomic():
            apply_rows(db, current=self.before, target=self.after, label=self.label, left=left)
            log_tag_renames(db.conn, self.declared.tag_renames)


class OnRows:
    """A change built on a ``RowChange`` (its ``rows``) that does more on undo or redo: its
    label, articles and change set are those of the rows."""

    rows: RowChange

    @property
    def label(self) -> str:
        return self.rows.label

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return self.rows.doc_ids

    @property
    def changed(self) -> bool:
        return self.rows.changed

    @property
    def changes(self) -> ChangeSet:
        return self.rows.changes


def _rows_change(old: TableRows, new: TableRows) -> ChangeSet:
    before, after = old.by_key(), new.by_key()
    if old.table == "documents":
        gone = [k[0] for k in before.keys() - after.keys()]
        came = [k[0] for k in after.keys() - before.keys()]
        kept = before.keys() & after.keys()
        return ChangeSet.of(added=came, removed=gone) | documents_columns_change(
            (key[0], [c for c, a, b in zip(old.columns, before[key], after[key]) if a != b]) for key in kept)
    rows = [*before.values(), *after.values()]
    return table_rows_change(old.table, (dict(zip(old.columns, row)) for row in rows))


@dataclass(eq=False)
class CombinedChange:
    """Consecutive changes undone and redone as one (the saves of a note while it is typed)."""

    key: Any
    parts: list[Change]

    @property
    def label(self) -> str:
        return self.parts[0].label

    @property
    def doc_ids(self) -> Collection[int]:
        return tuple(dict.fromkeys(i for part in self.parts for i in part.doc_ids))

    @property
    def changes(self) -> ChangeSet:
        out = ChangeSet()
        for part in self.parts:
            out |= part.changes
        return out

    def undo(self, db: Database) -> None:
        """Undo every part, latest first, in one transaction."""
        with db.atomic():
            for part in reversed(self.parts):
                part.undo(db)

    def redo(self, db: Database) -> None:
        """Redo every part in order, in one transaction."""
        with db.atomic():
            for part in self.parts:
                part.redo(db)


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``"1 article"``, ``"2,225 articles"``; ``nouns`` when the plural is not ``noun`` + s
    (``plural(n, "file is", "files are")``)."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def id_list(ids: Iterable[int]) -> str:
    """Many ids as one bound parameter for ``column IN_IDS`` (no limit on how many)."""
    return json.dumps(list(ids))


def _key_columns(db: Database, table: str) -> tuple[str, ...]:
    info = db.conn.execute(f"PRAGMA table_info([{table}])").fetchall()
    return tuple(row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5]))


def _capture(db: Database, scope: Scope) -> TableRows:
    key = _key_columns(db, scope.table)
    wanted = scope.columns or ()
    columns = key + tuple(c for c in wanted if c not in key) if wanted else ()
    select = quoted(columns) if columns else "*"
    cursor = db.conn.execute(f"SELECT {select} FROM [{scope.table}] WHERE {scope.where}", scope.params)
    columns = columns or tuple(d[0] for d in cursor.description)
    return TableRows(scope.table, key, columns, tuple(cursor.fetchall()))


def _diff(before: TableRows, after: TableRows, *, keep: bool) -> tuple[TableRows, TableRows]:
    old, new = before.by_key(), after.by_key()
    if keep:
        new = {**old, **new}
        changed = set(old) | {k for k in new if old.get(k) != new[k]}
    else:
        changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}

    def only(rows: dict[tuple[Any, ...], tuple[Any, ...]], source: TableRows) -> TableRows:
        return TableRows(source.table, source.key, source.columns,
                         tuple(r for k, r in rows.items() if k in changed))

    return only(old, before), only(new, after)


def record_change(
    db: Database,
    *,
    kind: str,
    label: str,
    doc_ids: Iterable[int],
    scopes: Sequence[Scope],
    operation: Callable[[], T],
    declared: ChangeSet = ChangeSet(),
) -> tuple[T, RowChange]:
    """Run ``operation`` in one transaction, snapshotting ``scopes`` around it.

    Returns the operation's result and the ``RowChange`` that undoes or redoes it (which
    announces ``declared`` beside the changes its rows show). Tags ``declared`` renamed are
    logged for other windows (``desktop.core.changes.log_tag_renames``).
    """
    with db.atomic():
        before = [_capture(db, s) for s in scopes]
        result = operation()
        after = [_capture(db, s) for s in scopes]
        log_tag_renames(db.conn, declared.tag_renames)
    pairs = [_diff(b, a, keep=s.keep) for s, b, a in zip(scopes, before, after)]
    change = RowChange(
        kind=kind,
        label=label,
        doc_ids=tuple(dict.fromkeys(doc_ids)),
        before=tuple(p[0] for p in pairs),
        after=tuple(p[1] for p in pairs),
        declared=declared,
    )
    return result, change


def _parents_first(db: Database, tables: Iterable[str]) -> list[str]:
    """``tables`` ordered so that every table comes after the tables its foreign keys point at
    (the order of ``tables`` kept otherwise)."""
    depth: dict[str, int] = {}

    def depth_of(table: str, seen: frozenset[str] = frozenset()) -> int:
        if table not in depth:
            parents = {row[2] for row in db.conn.execute(f"PRAGMA foreign_key_list([{table}])")}
            depth[table] = 1 + max((depth_of(p, seen | {table}) for p in parents - seen - {table}), default=-1)
        return depth[table]

    listed = list(dict.fromkeys(tables))
    return sorted(listed, key=depth_of)


def apply_rows(
    db: Database, *, current: Sequence[TableRows], target: Sequence[TableRows], label: str,
    left: list[LeftRow] | None = None,
) -> None:
    """Turn the rows of snapshot ``current`` into those of ``target`` in one transaction.

    A row the operation updated gets back only the columns it changed, and a row it made is
    deleted, only where no other connection changed it since (``undo_merge``): else InvalidInput,
    or with ``left`` given that row stays as it is and is appended to ``left``. Rows of
    ``target`` are written first, parents first; then the rows missing from it are deleted,
    children first, so a cascade from a deleted parent never reaches a row that was to stay;
    rows held back by a UNIQUE value a deleted row held are written last.
    """
    order = {t: n for n, t in enumerate(_parents_first(db, (rows.table for rows in current)))}
    pairs = sorted(zip(current, target), key=lambda p: order[p[0].table])
    try:
        with db.atomic():
            pairs = [merged_rows(db, current=now, target=wanted, label=label, left=left) for now, wanted in pairs]
            held = [(wanted, write_rows(db, wanted, wanted.by_key().items())) for _, wanted in pairs]
            tables = [now.table for now, _ in pairs]
            for now, wanted in reversed(pairs):
                _delete_missing(db, now, wanted, tables=tables, label=label, left=left)
            for wanted, blocked in held:
                if blocked:
                    write_rows(db, wanted, blocked, strict=True)
    except sqlite3.IntegrityError as err:
        raise InvalidInput(
            f"Cannot restore '{label}': the library has changed since in a way that conflicts with it."
        ) from err


def _delete_missing(db: Database, now: TableRows, wanted: TableRows, *, tables: Sequence[str], label: str,
                    left: list[LeftRow] | None) -> None:
    """Delete the rows of ``now`` missing from ``wanted`` but those that rows of ``tables`` added
    since still point at (a tag another window put on an article meanwhile), which a cascade would
    take with them (``undo_merge.unreferenced``)."""
    gone = unreferenced(db, now, now.by_key().keys() - wanted.by_key().keys(), tables=tables, label=label,
                        left=left)
    where = " AND ".join(f'"{k}" = ?' for k in now.key)
    db.conn.executemany(f"DELETE FROM [{now.table}] WHERE {where}", gone)


class UndoLog:
    """The undo and redo stacks of one window session (in memory, not persisted)."""

    def __init__(self, *, limit: int = 200) -> None:
        self._limit = limit
        self._done: list[Change] = []
        self._undone: list[Change] = []

    def record(self, change: Change, *, merge_key: Any = None) -> None:
        """Push a change the user just made; it clears the redo stack.

        A change with the same ``merge_key`` as the latest one (not None) joins it:
        undo takes both back at once.
        """
        self._undone.clear()
        latest = self._done[-1] if self._done else None
        if merge_key is not None and isinstance(latest, CombinedChange) and latest.key == merge_key:
            latest.parts.append(change)
            return
        self._done.append(CombinedChange(merge_key, [change]) if merge_key is not None else change)
        del self._done[: -self._limit]

    def seal(self) -> None:
        """End the latest merge: the next change starts an undo step of its own."""
        if self._done and isinstance(self._done[-1], CombinedChange):
            self._done[-1].key = object()

    def undo(self, db: Database) -> Change:
        """Undo the latest change and return it; InvalidInput when there is nothing to undo."""
        change = self.next_step(backwards=True)
        change.undo(db)
        self.stepped(change, backwards=True)
        return change

    def redo(self, db: Database) -> Change:
        """Redo the latest undone change and return it; InvalidInput when there is none."""
        change = self.next_step(backwards=False)
        change.redo(db)
        self.stepped(change, backwards=False)
        return change

    def next_step(self, *, backwards: bool) -> Change:
        """The change Undo (``backwards``) or Redo would take; InvalidInput when there is none."""
        stack = self._done if backwards else self._undone
        if not stack:
            raise InvalidInput("Nothing to undo." if backwards else "Nothing to redo.")
        return stack[-1]

    def stepped(self, change: Change, *, backwards: bool) -> None:
        """Record that ``change`` (from ``next_step``) was undone or redone — by a caller that
        ran it on a connection of its own."""
        source, target = (self._done, self._undone) if backwards else (self._undone, self._done)
        if source and source[-1] is change:
            target.append(source.pop())

    def clear(self) -> None:
        """Forget every change (for example when another library is opened)."""
        self._done.clear()
        self._undone.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        """The undo action's text: "Undo Add tag 'Biomed' to 3 articles", or "Undo"."""
        return f"Undo {self._done[-1].label}" if self._done else "Undo"

    @property
    def redo_text(self) -> str:
        """The redo action's text: "Redo Add tag 'Biomed' to 3 articles", or "Redo"."""
        return f"Redo {self._undone[-1].label}" if self._undone else "Redo"
