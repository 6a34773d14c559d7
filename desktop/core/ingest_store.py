"""Storing one batch of an import: the read articles' ``documents`` rows inserted or updated, and
the ``imports`` rows saying what became of each read article or file.

``store_batch`` tells new texts from duplicates, unchanged articles and new versions of stored
articles (``import_updates``), gives a copy of a text under another headline a digest of its own
(``retitled``) and inserts the new documents in one statement; ``note_missing`` adds the files
a run's folders no longer hold. ``desktop.core.ingest`` reads the files and runs the transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlite_utils import Database

from .import_report import ImportLines
from .import_updates import Claimed, Keys, ReadArticle, missing_files, pair_changed, update_article
from .retitled import copy_digests

_DOCUMENT_COLUMNS = "title, text, published, source, author, url, language, path, sha256, word_count, extra"
_COLUMN_NAMES = tuple(_DOCUMENT_COLUMNS.split(", "))
_TITLE, TEXT, _DIGEST = (_COLUMN_NAMES.index(name) for name in ("title", "text", "sha256"))


class Outcome(NamedTuple):
    """What became of one article or file: the document row to store and its text digest, or a failure."""

    path: str
    digest: str = ""
    row: tuple[Any, ...] = ()
    reason: str | None = None  # why it failed, or a note on how a stored article's file was read
    keys: Keys = frozenset()


@dataclass(kw_only=True)
class Batch(ImportLines):
    """What one committed batch did: its ``imports`` rows, the report's lines for it and the
    stored articles it found unchanged or updated (``found``)."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    found: list[int] = field(default_factory=list)


def store_batch(db: Database, run_id: int, outcomes: list[Outcome], *, now: str, as_new: bool,
                claimed: Claimed | None = None) -> Batch:
    """Insert the batch's new documents and update the changed ones; returns the ``imports``
    rows and what became of each outcome.

    The first article with a text not yet in the library is imported, or updates the
    article stored from its file (``import_updates.pair_changed``) unless ``as_new``;
    every other article with the same text and headline is a duplicate of it (the same text
    under another headline is an article of its own: ``retitled``), except that an article
    stored before from the same file is unchanged (once: a second copy in that file is a
    duplicate, as it was when the file was first imported).

    ``claimed`` are the articles earlier batches of the same reading stored or found (a record
    export is stored in several batches): they were not stored before, so a copy of their text
    is a duplicate, and no changed record updates them.
    """
    conn = db.conn
    outcomes = _copies_told_apart(conn, outcomes)
    read = [outcome for outcome in outcomes if outcome.digest]
    ids, stored_from = _stored_ids(conn, [outcome.digest for outcome in read], claimed)
    changed: dict[str, int] = {} if as_new else pair_changed(
        conn, [ReadArticle(outcome.path, outcome.digest, outcome.keys) for outcome in read], ids,
        claimed=claimed,
    )
    new: dict[str, tuple[Any, ...]] = {}
    updates: dict[str, tuple[Any, ...]] = {}
    for outcome in read:
        if outcome.digest not in ids and outcome.digest not in new and outcome.digest not in updates:
            (updates if outcome.digest in changed else new)[outcome.digest] = outcome.row
    batch = Batch()
    for digest, row in updates.items():
        placed = update_article(db, changed[digest], dict(zip(_COLUMN_NAMES, row)))
        batch.orphaned.extend(placed.orphaned)
    ids.update(changed)
    ids.update(_insert_documents(conn, list(new.values()), now=now))
    for outcome in outcomes:
        doc_id = ids.get(outcome.digest)
        reason = outcome.reason
        if not outcome.digest:
            status = "failed"
            batch.failed.append((outcome.path, outcome.reason))
        elif new.pop(outcome.digest, None) is not None:
            status = "imported"
            batch.imported.append(doc_id)
            reason = batch.note(outcome.path, outcome.reason)
        elif updates.pop(outcome.digest, None) is not None:
            status = "updated"
            batch.updated.append(doc_id)
            batch.found.append(doc_id)
            reason = batch.note(outcome.path, outcome.reason)
        elif stored_from.get(outcome.digest) == outcome.path:
            status = "unchanged"
            batch.unchanged.append(outcome.path)
            batch.found.append(doc_id)
            del stored_from[outcome.digest]
        else:
            status = "duplicate"
            batch.duplicates.append(outcome.path)
        batch.rows.append((run_id, outcome.path, status, reason, doc_id, now))
    return batch


def note_missing(conn: sqlite3.Connection, batch: Batch, run_id: int, folders: list[str], *, now: str) -> None:
    """Add to ``batch`` the files of stored articles that ``folders`` no longer hold (kept, never deleted)."""
    for path, doc_ids in missing_files(conn, folders):
        kept = "its article is kept" if len(doc_ids) == 1 else f"its {len(doc_ids):,} articles are kept"
        batch.missing.append(path)
        batch.rows.append((run_id, path, "missing", f"no longer in the folder; {kept}", doc_ids[0], now))


def _copies_told_apart(conn: sqlite3.Connection, outcomes: list[Outcome]) -> list[Outcome]:
    """``outcomes`` with each copy of a text under another headline given its own digest
    (``retitled.copy_digests``): it is an article of its own, not a duplicate."""
    read = [n for n, outcome in enumerate(outcomes) if outcome.digest]
    copies = copy_digests(conn, [(outcomes[n].digest, outcomes[n].row[_TITLE], outcomes[n].row[TEXT])
                                 for n in read])
    told = list(outcomes)
    for position, digest in copies.items():
        row = list(told[read[position]].row)
        row[_DIGEST] = digest
        told[read[position]] = told[read[position]]._replace(digest=digest, row=tuple(row))
    return told


def _stored_ids(conn: sqlite3.Connection, digests: list[str],
                claimed: Claimed | None) -> tuple[dict[str, int], dict[str, str]]:
    """The ids of the stored documents with any of these text digests, and the files they were
    imported from (those that name one and are not ``claimed``), both by digest."""
    found = conn.execute(
        "SELECT sha256, id, path FROM documents WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(digests)],
    ).fetchall()
    return ({digest: doc_id for digest, doc_id, _ in found},
            {digest: path for digest, doc_id, path in found if path and (claimed is None or doc_id not in claimed)})


def _insert_documents(conn: sqlite3.Connection, rows: list[tuple[Any, ...]], *, now: str) -> dict[str, int]:
    """Insert documents imported at ``now`` in one statement, in order; returns their new ids by digest.

    The rows wait in a temporary table so that one statement inserts the whole
    batch: SQLite (3.40) writes the full-text index's pending terms to disk at
    every statement that fires the index trigger inside a transaction, so
    row-by-row inserts cost twice as much.
    """
    if not rows:
        return {}
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS import_batch ({_DOCUMENT_COLUMNS})")
    conn.executemany(f"INSERT INTO temp.import_batch VALUES ({', '.join('?' * len(rows[0]))})", rows)
    inserted = conn.execute(
        f"""INSERT INTO documents ({_DOCUMENT_COLUMNS}, imported_at)
            SELECT {_DOCUMENT_COLUMNS}, ? FROM temp.import_batch ORDER BY rowid
            RETURNING sha256, id""",
        [now],
    ).fetchall()
    conn.execute("DELETE FROM temp.import_batch")
    return dict(inserted)
