"""The migration that keeps deleted row numbers from being given again (``row_numbers``).

Registered, under its name, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def given_numbers_kept(db: Database) -> None:
    """The highest number given so far to a highlight, an entity and a mention; new rows are
    numbered above it (the rows there are now count as given)."""
    run_script(db, """
CREATE TABLE given_numbers (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
INSERT INTO given_numbers (name, last)
    SELECT 'annotations', coalesce(max(id), 0) FROM annotations
    UNION ALL SELECT 'entities', coalesce(max(id), 0) FROM entities
    UNION ALL SELECT 'mentions', coalesce(max(id), 0) FROM mentions;
""")
