"""The bodies of the library's migrations, grouped by feature, and the helper they share.

One module per feature (``initial``, ``search``, ``entities``, ``imports``,
``languages``, ``stories``, ``tags``, ``titles``) holds that feature's migrations as plain functions;
``desktop/core/schema.py`` registers them, in order and under their names.
``run_script`` runs a migration's SQL statement by statement.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database


def run_script(db: Database, script: str) -> None:
    """Run statements one by one inside the migration's transaction.

    ``executescript`` would commit the open transaction first, so a failed
    migration could leave half a schema behind.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")

