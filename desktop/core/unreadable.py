"""Articles the library lists but cannot read by their id (a damaged page that SQLite reads past
without an error), reported as ``LibraryDamaged`` instead of being skipped without a word."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .library_messages import damaged_error


def library_path(conn: sqlite3.Connection) -> Path | None:
    """The file of ``conn``'s main database (None in memory)."""
    row = next((r for r in conn.execute("PRAGMA database_list") if r[1] == "main"), None)
    return Path(row[2]) if row is not None and row[2] else None


def require_articles(conn: sqlite3.Connection, wanted: Iterable[int], read: Iterable[int]) -> None:
    """Raise ``LibraryDamaged`` when an article of ``wanted`` missing from ``read`` (what a lookup
    by id returned) is still listed by a scan of the library; ids that are not there pass."""
    missing = set(wanted).difference(read)
    if not missing:
        return
    listed = [row[0] for row in conn.execute(
        "SELECT id FROM documents WHERE +id IN (SELECT value FROM json_each(?)) ORDER BY +id",
        [json.dumps(sorted(missing))])]
    if listed:
        shown = ", ".join(map(str, listed[:5])) + (", …" if len(listed) > 5 else "")
        which = f"article {shown} is" if len(listed) == 1 else f"articles {shown} are"
        raise damaged_error(library_path(conn), f"{which} listed but cannot be read")
