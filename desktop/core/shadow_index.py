"""The multi-script search index: a contentless FTS5 table kept in step with ``documents``.

``documents_fts_shadow`` (title, text, notes; ``content=''``) holds each article as
``desktop.core.textindex.index_text`` rewrites it: Russian words as stems, Chinese as
character bigrams, English as it is. The app's searches MATCH this table once it is
complete; ``documents_fts`` (what Datasette searches) stays as it was.

Keeping it in step needs Python (the stemmer), so SQL triggers only record what changed:

- ``documents_fts_shadow_log`` gets one row per insert, update or delete of an article,
  with the old title, text and notes for an update or delete: a contentless table can
  only forget a row when given the same text it was fed. ``sync_changes`` applies the
  log; ``desktop.core.library.write_transaction`` calls it before every commit, so each
  write of the app leaves the index complete. Writes of other programs stay in the log
  until the app's next write or ``build_index`` runs.
- ``documents_fts_shadow_pending`` lists articles never indexed (a library made before
  migration 0007, or one whose index was made by another ``textindex.VERSION``):
  ``build_index`` fills them in batches, with progress and cancel, in the background.

Until both are empty, ``index_ready`` is False and searches use ``documents_fts``
(``compile_search``), so search works while the index is built.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator

from .jobs import CancelToken, Progress
from .query import CompiledQuery, compile_query
from .textindex import VERSION, index_texts

TABLE = "documents_fts_shadow"
LOG = f"{TABLE}_log"
PENDING = f"{TABLE}_pending"
BATCH = 200
ROWS = 100  # articles rewritten together for the index
_VERSION_KEY = "search_index_version"

SCHEMA = f"""
CREATE VIRTUAL TABLE {TABLE} USING fts5 (
    title, text, notes,
    content='',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('rank', 'bm25(5.0, 1.0, 2.0)');
CREATE TABLE {LOG} (
    seq INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    title TEXT,
    text TEXT,
    notes TEXT
);
CREATE TABLE {PENDING} (id INTEGER PRIMARY KEY);
CREATE TRIGGER {TABLE}_ai AFTER INSERT ON documents BEGIN
    INSERT INTO {LOG} (id, removed) VALUES (new.id, 0);
END;
CREATE TRIGGER {TABLE}_ad AFTER DELETE ON documents BEGIN
    INSERT INTO {LOG} (id, removed, title, text, notes)
    VALUES (old.id, 1, old.title, old.text, old.notes);
END;
CREATE TRIGGER {TABLE}_au AFTER UPDATE OF title, text, notes ON documents BEGIN
    INSERT INTO {LOG} (id, removed, title, text, notes)
    VALUES (old.id, 1, old.title, old.text, old.notes);
END;
INSERT INTO {PENDING} (id) SELECT id FROM documents;
INSERT OR REPLACE INTO meta (key, value) VALUES ('{_VERSION_KEY}', '{VERSION}');
"""


@dataclass(frozen=True)
class IndexState:
    """How far the index is: ``pending`` articles never indexed, ``changes`` logged writes,
    ``waiting`` articles that one or the other leaves out of the index or stale in it."""

    pending: int
    changes: int
    total: int
    waiting: int = 0

    @property
    def ready(self) -> bool:
        return not self.pending and not self.changes

    @property
    def indexed(self) -> int:
        """Articles the index holds as they are now."""
        return self.total - self.waiting


def _exists(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", [TABLE]).fetchone() is not None


def index_ready(conn: sqlite3.Connection) -> bool:
    """Whether the multi-script index holds every article as it is now."""
    try:
        row = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {PENDING}) OR EXISTS (SELECT 1 FROM {LOG})").fetchone()
    except sqlite3.OperationalError:
        return False  # a library before migration 0007, opened read-only
    return not row[0]


def index_outdated(conn: sqlite3.Connection) -> bool:
    """Whether the index was made by another ``textindex.VERSION`` (``build_index`` makes it again)."""
    if not _exists(conn):
        return False
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [_VERSION_KEY]).fetchone()
    return row is not None and row[0] != VERSION


def index_state(conn: sqlite3.Connection) -> IndexState:
    """Counts of what is left to index (all zero before migration 0007 on a read-only file)."""
    if not _exists(conn):
        return IndexState(0, 0, 0)
    pending, changes, total, waiting = conn.execute(
        f"SELECT (SELECT count(*) FROM {PENDING}), (SELECT count(*) FROM {LOG}), "
        "(SELECT count(*) FROM documents), "
        f"(SELECT count(*) FROM documents WHERE id IN (SELECT id FROM {PENDING} UNION SELECT id FROM {LOG}))"
    ).fetchone()
    return IndexState(pending, changes, total, waiting)


def compile_search(conn: sqlite3.Connection, query: str) -> CompiledQuery:
    """``query`` compiled for the index searches should use now: the multi-script index when
    it is complete, else ``documents_fts`` with the query as typed."""
    return compile_query(query, scripts=index_ready(conn))


# --- keeping the index in step ---------------------------------------------------------------


def _indexed(conn: sqlite3.Connection, ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    marks = ",".join("?" * len(ids))
    return {row[0] for row in conn.execute(
        f"SELECT id FROM {TABLE}_docsize WHERE id IN ({marks})", ids)}


def _add(conn: sqlite3.Connection, ids: list[int]) -> None:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, title, text, notes FROM documents WHERE id IN ({marks})", ids)
    conn.executemany(f"INSERT INTO {TABLE} (rowid, title, text, notes) VALUES (?, ?, ?, ?)", _indexed_rows(rows))


def _remove(conn: sqlite3.Connection, rows: list[tuple[int, str, str, str]]) -> None:
    conn.executemany(f"INSERT INTO {TABLE} ({TABLE}, rowid, title, text, notes) VALUES ('delete', ?, ?, ?, ?)",
                     _indexed_rows(rows))


def _indexed_rows(rows: Iterable[tuple[int, str, str, str]]) -> Iterator[tuple[int, str, str, str]]:
    """``rows`` (id, title, text, notes) with their fields as the index is fed them, rewritten
    ``ROWS`` articles at a time (``index_texts`` reads the Chinese ones of a batch together)."""
    rows = iter(rows)
    while batch := list(islice(rows, ROWS)):
        fields = index_texts([field for _, *row in batch for field in row])
        for n, (doc_id, *_) in enumerate(batch):
            yield doc_id, fields[3 * n], fields[3 * n + 1], fields[3 * n + 2]


def sync_changes(conn: sqlite3.Connection) -> int:
    """Apply the logged writes to the index, inside the caller's write transaction; returns
    how many articles changed. Does nothing on a library before migration 0007."""
    try:
        logged = conn.execute(
            f"SELECT seq, id, removed, title, text, notes FROM {LOG} ORDER BY seq").fetchall()
    except sqlite3.OperationalError:
        return 0
    if not logged:
        return 0
    # The index holds each article as it was before its first logged change.
    before: dict[int, tuple[int, str, str, str] | None] = {}
    for _, doc_id, removed, title, text, notes in logged:
        if doc_id not in before:
            before[doc_id] = (doc_id, title, text, notes) if removed else None
    ids = list(before)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        indexed = _indexed(conn, chunk)
        _remove(conn, [before[i] for i in chunk if i in indexed and before[i] is not None])
        fresh = [i for i in chunk if i not in indexed or before[i] is not None]
        if fresh:
            _add(conn, fresh)
    conn.execute(f"DELETE FROM {LOG} WHERE seq <= ?", [logged[-1][0]])
    if ids:
        conn.executemany(f"DELETE FROM {PENDING} WHERE id = ?", ((i,) for i in ids))
    return len(ids)


def _fill(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Index pending articles that the index does not hold yet."""
    indexed = _indexed(conn, ids)
    todo = [i for i in ids if i not in indexed]
    if todo:
        _add(conn, todo)
    conn.executemany(f"DELETE FROM {PENDING} WHERE id = ?", ((i,) for i in ids))


def queue_everything(conn: sqlite3.Connection) -> None:
    """Queue every article to be indexed by ``build_index`` (with progress) instead of the
    logged writes: for a library whose articles were all just written in bulk (``recover``),
    while its index is still empty."""
    with conn:
        conn.execute(f"DELETE FROM {LOG}")
        conn.execute(f"INSERT OR IGNORE INTO {PENDING} (id) SELECT id FROM documents")


def _restart_if_outdated(conn: sqlite3.Connection) -> None:
    """An index made by another ``textindex.VERSION`` is emptied and every article queued."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [_VERSION_KEY]).fetchone()
    if row is None or row[0] != VERSION:
        restart_index(conn)


def restart_index(conn: sqlite3.Connection) -> None:
    """Empty the index and queue every article for ``build_index``, inside the caller's write
    transaction: cheaper than applying the logged changes when most articles changed at once
    (their old texts need not be rewritten to be forgotten)."""
    conn.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')")
    conn.execute(f"DELETE FROM {LOG}")
    conn.execute(f"INSERT OR IGNORE INTO {PENDING} (id) SELECT id FROM documents")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_VERSION_KEY, VERSION])


def build_index(
    conn: sqlite3.Connection,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
    batches: int | None = None,
) -> IndexState:
    """Index the pending articles (and any logged change) in batches of ``BATCH``, at most
    ``batches`` of them if given; returns what is left.

    Each batch is one write transaction, so searches and other writes go on between
    batches and a cancelled build keeps what it did.
    """
    from .library import write_transaction

    if not _exists(conn):
        return IndexState(0, 0, 0)
    with write_transaction(conn):  # its commit applies the logged changes too
        _restart_if_outdated(conn)
    state = index_state(conn)
    done, total, count = state.indexed, state.total, 0
    while batches is None or count < batches:
        if progress is not None:
            progress(Progress(done, total, phase="indexing for search", unit="articles"))
        if cancel is not None:
            cancel.raise_if_cancelled()
        ids = [row[0] for row in conn.execute(f"SELECT id FROM {PENDING} ORDER BY id LIMIT ?",
                                               [BATCH])]
        if not ids:
            break
        with write_transaction(conn):
            _fill(conn, ids)
        done, count = min(total, done + len(ids)), count + 1
    return index_state(conn)
