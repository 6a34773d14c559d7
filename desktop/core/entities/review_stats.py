"""The counts of the review table — each entity's articles, mentions, their origins and the
texts they have — kept in a temporary table of the connection instead of counted again at
every keystroke of the table's filter or after every correction.

Counting them groups every mention: 1.2-2 s at 100,000 articles (a million mentions). So they
are counted once, into ``temp.dossier_review_stats``, and kept current from then on:

- what this connection writes to ``mentions`` (the corrections of the review, of the reader,
  their undo) is logged by temporary triggers, entity by entity, and only those entities are
  counted again (a few milliseconds);
- what another connection commits (background extraction, an import from a terminal) cannot
  be followed row by row: when the library's change log (``search_log``) has entity changes
  the table does not hold (or no longer reaches back that far), the table is stale and is
  counted again whole; other commits (a tag, the saved facet index, a backup's note) leave
  it current. ``stats_source`` does
  that at once; a window instead shows the stale table, asks ``count_ticket`` for a ticket,
  counts on a connection of its own in the background (``read_counts``) and puts the result in
  place with ``install_counts``, which also counts again whatever its own connection changed
  meanwhile.

Where a temporary table cannot be made (a library whose writes are stopped) the counting query
itself is used, as before.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlite_utils import Database

from ..changes import reaches_back
from ..library import data_version

TABLE = "dossier_review_stats"
DIRTY = "dossier_review_dirty"
COLUMNS = "entity_id, documents, mentions, model, rule, user, texts"
SELECT_COUNTS = (
    "SELECT entity_id, COUNT(DISTINCT document_id) AS documents, COUNT(*) AS mentions, "
    "SUM(origin = 'model') AS model, SUM(origin = 'rule') AS rule, SUM(origin = 'user') AS user, "
    "json_group_array(DISTINCT text) AS texts FROM mentions"
)
COUNTS = f"{SELECT_COUNTS} GROUP BY entity_id"
_TRIGGERS = {
    "insert": "INSERT INTO {dirty} (entity_id) VALUES (new.entity_id)",
    "delete": "INSERT INTO {dirty} (entity_id) VALUES (old.entity_id)",
    "update": "INSERT INTO {dirty} (entity_id) VALUES (old.entity_id), (new.entity_id)",
}


@dataclass
class _Kept:
    """What the temporary table holds: the library as of ``version`` (the connection's
    ``data_version``) and ``seq`` (its change log), with this connection's own changes up to
    ``applied`` in the log of the triggers."""

    version: int
    seq: int
    applied: int


@dataclass(frozen=True)
class CountTicket:
    """Where a count in the background starts from (see ``count_ticket``)."""

    version: int
    seq: int
    mark: int


_kept: weakref.WeakKeyDictionary[Database, _Kept] = weakref.WeakKeyDictionary()


@contextmanager
def _temporary_writes(conn: sqlite3.Connection) -> Iterator[None]:
    """Write the temporary tables in a deferred transaction of their own (within the caller's,
    when one is open). Left to Python, a write would begin an IMMEDIATE transaction: the
    library's write lock, taken by reading the review table and never given back."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _last_logged(conn: sqlite3.Connection) -> int:
    return conn.execute(f"SELECT IFNULL(MAX(seq), 0) FROM temp.{DIRTY}").fetchone()[0]


def _log_own_writes(conn: sqlite3.Connection) -> None:
    """Start logging the entities whose mentions this connection changes."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {DIRTY} (seq INTEGER PRIMARY KEY, entity_id INTEGER)")
    for event, body in _TRIGGERS.items():
        conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS {DIRTY}_{event} AFTER {event.upper()} ON main.mentions "
                     f"BEGIN {body.format(dirty=DIRTY)}; END")


def _fill(conn: sqlite3.Connection, rows: list[tuple] | None) -> None:
    """Make the table again from ``rows``, or by counting every mention when None."""
    with _temporary_writes(conn):
        conn.execute(f"DROP TABLE IF EXISTS temp.{TABLE}")
        if rows is None:
            conn.execute(f"CREATE TEMP TABLE {TABLE} AS {COUNTS}")
        else:
            conn.execute(f"CREATE TEMP TABLE {TABLE} (entity_id INTEGER, documents INTEGER, mentions INTEGER, "
                         "model INTEGER, rule INTEGER, user INTEGER, texts TEXT)")
            conn.executemany(f"INSERT INTO temp.{TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute(f"CREATE UNIQUE INDEX temp.{TABLE}_entity ON {TABLE} (entity_id)")


def _count_again(conn: sqlite3.Connection, after: int) -> int:
    """Count again the entities this connection changed after ``after`` in the log; returns
    where the log ends now. The log is kept (a count in the background may still need it)
    until a whole count makes it useless (``_forget``)."""
    last = _last_logged(conn)
    if last > after:
        changed = f"SELECT DISTINCT entity_id FROM temp.{DIRTY} WHERE seq > ?"
        with _temporary_writes(conn):
            conn.execute(f"DELETE FROM temp.{TABLE} WHERE entity_id IN ({changed})", (after,))
            conn.execute(f"INSERT INTO temp.{TABLE} ({COLUMNS}) {SELECT_COUNTS} "
                         f"WHERE entity_id IN ({changed}) GROUP BY entity_id", (after,))
    return last


def _forget(conn: sqlite3.Connection, upto: int) -> None:
    with _temporary_writes(conn):
        conn.execute(f"DELETE FROM temp.{DIRTY} WHERE seq <= ?", (upto,))


def _log_seq(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(seq), 0) FROM search_log").fetchone()[0]


def _current(db: Database) -> tuple[_Kept | None, bool]:
    """What is kept (None when nothing is), brought up to date with this connection's own writes
    and past what other connections committed that changed no mention; and whether it is
    current (False: another connection changed mentions since)."""
    kept = _kept.get(db)
    if kept is None:
        return None, False
    conn = db.conn
    kept.applied = _count_again(conn, kept.applied)
    seq = _log_seq(conn)  # read before the version: what is logged up to it is accounted for below
    version = data_version(conn)
    if version != kept.version:  # another connection committed: did it change mentions?
        if not reaches_back(conn, "search_log", kept.seq, seq) or conn.execute(
                "SELECT 1 FROM search_log WHERE seq > ? AND area = 'entities' LIMIT 1", (kept.seq,)).fetchone():
            return kept, False
        kept.version = version
    kept.seq = seq  # with the version unchanged, what was logged up to it is this connection's own
    return kept, True


def stats_source(db: Database, *, recount: bool = True) -> str | None:
    """What to read the counts from (columns ``entity_id``, ``documents``, ``mentions``,
    ``model``, ``rule``, ``user``, and ``texts``: the JSON array of the texts its mentions
    have), as a table name or a parenthesised query.

    With ``recount`` False nothing is counted whole: the table is given as it is, even when
    another connection has changed the library since (see ``is_stale``), and None when there
    is none yet."""
    conn = db.conn
    try:
        kept, current = _current(db)
        if kept is not None and (current or not recount):
            return f"temp.{TABLE}"
        if not recount:
            return None
        _log_own_writes(conn)  # statements that make tables start no transaction: nothing is locked
        version, seq, applied = data_version(conn), _log_seq(conn), _last_logged(conn)
        _fill(conn, None)
        _forget(conn, applied)
    except sqlite3.OperationalError:
        _kept.pop(db, None)
        return None if not recount else f"({COUNTS})"
    _kept[db] = _Kept(version, seq, applied)
    return f"temp.{TABLE}"


def is_stale(db: Database) -> bool:
    """True when there is no table yet, or another connection has changed mentions since."""
    try:
        return not _current(db)[1]
    except sqlite3.Error:
        return True


def count_ticket(db: Database) -> CountTicket:
    """Note where a count in the background starts from, before it starts (on ``db``'s thread)."""
    _log_own_writes(db.conn)
    return CountTicket(data_version(db.conn), _log_seq(db.conn), _last_logged(db.conn))


def read_counts(db: Database) -> list[tuple]:
    """Every entity's counts, read on ``db`` (a connection of the background worker's own)."""
    return db.conn.execute(COUNTS).fetchall()


def install_counts(db: Database, ticket: CountTicket, rows: list[tuple]) -> None:
    """Put the counts read in the background in place (on ``db``'s thread), then count again
    the entities ``db`` changed since ``ticket``. A library another connection changed during
    the count stays stale (``is_stale``) and is counted again at the next request."""
    try:
        _fill(db.conn, rows)
    except sqlite3.OperationalError:
        return
    applied = _count_again(db.conn, ticket.mark)
    _forget(db.conn, applied)
    _kept[db] = _Kept(ticket.version, ticket.seq, applied)
