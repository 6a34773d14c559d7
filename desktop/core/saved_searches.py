"""Saved searches: a named query plus its filters (as the JSON ``Filters.to_json`` writes) and the
sort order of its list (schema 0025; none for a search saved before, which opens in the list's order).

Rows live in the ``saved_searches`` table. The filters are stored as text and
only read here to follow tags renamed; this module does not depend on the query language.
Saving, renaming and deleting are operations with an undo record (``RowChange``) whose change
set says ``saved_searches``, so a deleted search comes back with Ctrl+Z.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .changes import TagRename
from .errors import InvalidInput, NotFound
from .filters import Filters
from .library import now_iso
from .undo import RowChange, Scope, record_change

_COLUMNS = "id, name, query, filters, created, updated, sort, descending"
SAVED_FILTERS = Scope("saved_searches", "1", columns=("filters",))
"""The filters of every saved search: the undo scope of an operation whose renames they follow."""


@dataclass(frozen=True)
class SavedSearch:
    """One saved search as stored: ``filters`` is the JSON text of a ``Filters`` value; ``sort``
    one of ``search.SORT_KEYS`` (None: saved before sort orders were kept)."""

    id: int
    name: str
    query: str
    filters: str
    created: str
    updated: str
    sort: str | None = None
    descending: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "descending", bool(self.descending))


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())  # as find_saved_search looks it up
    if not cleaned:
        raise InvalidInput("A saved search needs a name.")
    return cleaned


def _check_filters(filters: str) -> str:
    try:
        json.loads(filters)
    except ValueError as err:
        raise InvalidInput(f"The filters of a saved search are not valid JSON: {err}.") from err
    return filters


def list_saved_searches(db: Database) -> list[SavedSearch]:
    """Every saved search, by name (case-insensitive)."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM saved_searches ORDER BY name COLLATE NOCASE, id"
    ).fetchall()
    return [SavedSearch(*row) for row in rows]


def get_saved_search(db: Database, search_id: int) -> SavedSearch:
    """The saved search with id ``search_id``; raises NotFound."""
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM saved_searches WHERE id = ?", [search_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"No saved search with id {search_id}.")
    return SavedSearch(*row)


def find_saved_search(db: Database, name: str) -> SavedSearch | None:
    """The saved search that saving under ``name`` would replace (the name as saving cleans it),
    or None."""
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM saved_searches WHERE name = ?",
                          [" ".join(name.split())]).fetchone()
    return SavedSearch(*row) if row else None


def _recorded(db: Database, *, kind: str, label: str, where: str, params: tuple[Any, ...],
              operation: Callable[[], Any]) -> tuple[Any, RowChange]:
    """Run ``operation`` with an undo record of the saved-search rows ``where`` selects."""
    return record_change(db, kind=kind, label=label, doc_ids=(),
                         scopes=[Scope("saved_searches", where, params)], operation=operation)


def save_search(
    db: Database, *, name: str, query: str, filters: str = "{}", replace: bool = False,
    sort: str | None = None, descending: bool = False,
) -> tuple[SavedSearch, RowChange]:
    """Store ``query``, ``filters`` and the sort order (``sort``, one of ``search.SORT_KEYS``, and
    ``descending``) under ``name``; returns the stored search and its change.

    An existing search of the same name is overwritten when ``replace`` is true,
    otherwise InvalidInput is raised.
    """
    name = _clean_name(name)
    filters = _check_filters(filters)
    from .search import SORT_KEYS  # search imports tags, which import this module

    if sort is not None and sort not in SORT_KEYS:
        raise InvalidInput(f"“{sort}” is not a sort order: use one of {', '.join(SORT_KEYS)}.")
    stamp = now_iso()
    existing = db.conn.execute("SELECT id FROM saved_searches WHERE name = ?", [name]).fetchone()
    if existing and not replace:
        raise InvalidInput(f"A saved search named “{name}” already exists.")

    def store() -> int:
        if existing:
            db.execute(
                "UPDATE saved_searches SET query = ?, filters = ?, sort = ?, descending = ?, updated = ? WHERE id = ?",
                [query, filters, sort, int(descending), stamp, existing[0]],
            )
            return existing[0]
        return db.execute(
            "INSERT INTO saved_searches (name, query, filters, sort, descending, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, query, filters, sort, int(descending), stamp, stamp],
        ).lastrowid

    search_id, change = _recorded(db, kind="save_search", label=f"Save search “{name}”",
                                  where="name = ?", params=(name,), operation=store)
    return get_saved_search(db, search_id), change


def rename_saved_search(db: Database, search_id: int, *, name: str) -> tuple[SavedSearch, RowChange]:
    """Give the saved search ``search_id`` a new name; returns it and the change. Raises
    NotFound or InvalidInput."""
    name = _clean_name(name)
    old = get_saved_search(db, search_id).name
    try:
        _, change = _recorded(
            db, kind="rename_saved_search", label=f"Rename saved search “{old}” to “{name}”",
            where="id = ?", params=(search_id,),
            operation=lambda: db.execute("UPDATE saved_searches SET name = ?, updated = ? WHERE id = ?",
                                         [name, now_iso(), search_id]))
    except sqlite3.IntegrityError as err:
        raise InvalidInput(f"A saved search named “{name}” already exists.") from err
    return get_saved_search(db, search_id), change


def delete_saved_search(db: Database, search_id: int) -> RowChange:
    """Remove the saved search ``search_id``; returns the change (its undo puts it back).
    Raises NotFound."""
    name = get_saved_search(db, search_id).name
    _, change = _recorded(
        db, kind="delete_saved_search", label=f"Delete saved search “{name}”", where="id = ?",
        params=(search_id,), operation=lambda: db.execute("DELETE FROM saved_searches WHERE id = ?", [search_id]))
    return change


def follow_tag_renames(db: Database, renames: Sequence[TagRename]) -> None:
    """Make every saved search that names a tag of ``renames`` name it by its new name.

    Writes within the caller's transaction (the rename's own); searches whose filters cannot
    be read are left as they are.
    """
    _follow(db, lambda filters: filters.with_tags_renamed(renames))


def follow_value_renames(db: Database, facet: str, renames: dict[str, str]) -> None:
    """Make every saved search that names a value of ``facet`` in ``renames`` (old → new, as
    an entity's rename or merge makes) name it by its new name; as ``follow_tag_renames`` writes."""
    _follow(db, lambda filters: filters.with_values_renamed(facet, renames))


def _follow(db: Database, rename: Callable[[Filters], Filters]) -> None:
    for search_id, text in db.conn.execute("SELECT id, filters FROM saved_searches").fetchall():
        try:
            filters = Filters.from_json(text)
        except InvalidInput:
            continue
        renamed = rename(filters)
        if renamed != filters:
            db.conn.execute("UPDATE saved_searches SET filters = ? WHERE id = ?",
                            [renamed.to_json(), search_id])
