"""Saved searches: a named query plus its filters (as the JSON ``Filters.to_json`` writes).

Rows live in the ``saved_searches`` table. The filters are stored as text and
only read here to follow tags renamed; this module does not depend on the query language.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from .changes import TagRename
from .errors import InvalidInput, NotFound
from .filters import Filters
from .library import now_iso

_COLUMNS = "id, name, query, filters, created, updated"


@dataclass(frozen=True)
class SavedSearch:
    """One saved search as stored: ``filters`` is the JSON text of a ``Filters`` value."""

    id: int
    name: str
    query: str
    filters: str
    created: str
    updated: str


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
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


def save_search(
    db: Database, *, name: str, query: str, filters: str = "{}", replace: bool = False
) -> SavedSearch:
    """Store ``query`` and ``filters`` under ``name``.

    An existing search of the same name is overwritten when ``replace`` is true,
    otherwise InvalidInput is raised. Returns the stored search.
    """
    name = _clean_name(name)
    filters = _check_filters(filters)
    stamp = now_iso()
    existing = db.conn.execute("SELECT id FROM saved_searches WHERE name = ?", [name]).fetchone()
    if existing and not replace:
        raise InvalidInput(f"A saved search named “{name}” already exists.")
    with db.atomic():
        if existing:
            db.execute(
                "UPDATE saved_searches SET query = ?, filters = ?, updated = ? WHERE id = ?",
                [query, filters, stamp, existing[0]],
            )
            search_id = existing[0]
        else:
            cursor = db.execute(
                "INSERT INTO saved_searches (name, query, filters, created, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                [name, query, filters, stamp, stamp],
            )
            search_id = cursor.lastrowid
    return get_saved_search(db, search_id)


def rename_saved_search(db: Database, search_id: int, *, name: str) -> SavedSearch:
    """Give the saved search ``search_id`` a new name; raises NotFound or InvalidInput."""
    name = _clean_name(name)
    get_saved_search(db, search_id)
    try:
        with db.atomic():
            db.execute(
                "UPDATE saved_searches SET name = ?, updated = ? WHERE id = ?",
                [name, now_iso(), search_id],
            )
    except sqlite3.IntegrityError as err:
        raise InvalidInput(f"A saved search named “{name}” already exists.") from err
    return get_saved_search(db, search_id)


def delete_saved_search(db: Database, search_id: int) -> None:
    """Remove the saved search ``search_id``; raises NotFound."""
    get_saved_search(db, search_id)
    with db.atomic():
        db.execute("DELETE FROM saved_searches WHERE id = ?", [search_id])


def follow_tag_renames(db: Database, renames: Sequence[TagRename]) -> None:
    """Make every saved search that names a tag of ``renames`` name it by its new name.

    Writes within the caller's transaction (the rename's own); searches whose filters cannot
    be read are left as they are.
    """
    for search_id, text in db.conn.execute("SELECT id, filters FROM saved_searches").fetchall():
        try:
            filters = Filters.from_json(text)
        except InvalidInput:
            continue
        renamed = filters.with_tags_renamed(renames)
        if renamed != filters:
            db.conn.execute("UPDATE saved_searches SET filters = ? WHERE id = ?",
                            [renamed.to_json(), search_id])
