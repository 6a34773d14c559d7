"""The counts of the review table — each entity's articles, mentions, their origins and the
texts they have — read once per state of the library instead of at every keystroke of the
table's filter.

Counting them groups every mention: 1.2 s at 100,000 articles (a million mentions), which the
table paid for its count and again for each page, so typing in its filter stalled the window
for seconds. ``stats_source`` gives the SQL to read them from: a temporary table of the
connection, made again when the library has changed since (another connection committed, or
this one wrote); where a temporary table cannot be made (a library whose writes are stopped)
the counting query itself, as before.
"""

from __future__ import annotations

import sqlite3
import weakref

from sqlite_utils import Database

from ..library import data_version

TABLE = "dossier_review_stats"
COUNTS = (
    "SELECT entity_id, COUNT(DISTINCT document_id) AS documents, COUNT(*) AS mentions, "
    "SUM(origin = 'model') AS model, SUM(origin = 'rule') AS rule, SUM(origin = 'user') AS user, "
    "json_group_array(DISTINCT text) AS texts FROM mentions GROUP BY entity_id"
)

_made: weakref.WeakKeyDictionary[Database, tuple[int, int]] = weakref.WeakKeyDictionary()


def _stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when another connection commits or this one writes."""
    return data_version(conn), conn.total_changes


def stats_source(db: Database) -> str:
    """What to read the counts from (columns ``entity_id``, ``documents``, ``mentions``,
    ``model``, ``rule``, ``user``, and ``texts``: the JSON array of the texts its mentions
    have), as a table name or a parenthesised query."""
    conn = db.conn
    if _made.get(db) == _stamp(conn):
        return f"temp.{TABLE}"
    try:  # statements that make tables start no transaction: nothing of the library is locked
        conn.execute(f"DROP TABLE IF EXISTS temp.{TABLE}")
        conn.execute(f"CREATE TEMP TABLE {TABLE} AS {COUNTS}")
        conn.execute(f"CREATE UNIQUE INDEX temp.{TABLE}_entity ON {TABLE} (entity_id)")
    except sqlite3.OperationalError:
        _made.pop(db, None)
        return f"({COUNTS})"
    _made[db] = _stamp(conn)
    return f"temp.{TABLE}"
