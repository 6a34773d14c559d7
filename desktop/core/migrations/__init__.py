"""The bodies of the library's migrations, grouped by feature, and the helper they share.

One module per feature (``initial``, ``search``, ``entities``, ``imports``, ``languages``,
``row_numbers``, ``stories``, ``tags``, ``titles``) holds that feature's migrations as plain
functions; ``desktop/core/schema.py`` registers them, in order and under their names.
``run_script`` runs a migration's SQL statement by statement; ``report_progress`` is how a long
migration tells the upgrade under way (``desktop.core.upgrade``) how far it is within itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlite_utils import Database

_listener: ContextVar[Callable[[int, int], None] | None] = ContextVar("migration_listener", default=None)


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


def report_progress(done: int, total: int) -> None:
    """Tell the upgrade under way that the migration running has done ``done`` of its ``total``
    articles. The upgrade shows it and raises ``Cancelled`` here once it was cancelled (the
    migration's transaction then rolls back whole); outside an upgrade it does nothing."""
    listener = _listener.get()
    if listener is not None:
        listener(done, total)


@contextmanager
def listening(listener: Callable[[int, int], None]) -> Iterator[None]:
    """``report_progress`` calls ``listener(done, total)`` within the ``with`` block (this thread)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
