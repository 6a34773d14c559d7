"""Keeping the facet index in the library (schema 0012), so a newly opened library counts at once.

Reading every article's facet values, tags and entity links takes seconds at
100,000 articles; the same index saved as arrays loads in a fraction of that.
The saved index is a cache, not the user's data: one row of
``facet_index_store`` holding the index as of ``seq`` in ``search_log``. A
loaded index catches up with the changes logged since (imports, deletes, tags,
entities, writes by other processes alike, all logged by triggers); when they
are no longer logged, or the facets of this version of Dossier differ from the
saved ``layout``, it is read from the articles again and saved anew.

Saving writes outside the undo log and change sets (nothing a person made
changes) and never waits: on a busy, read-only or damaged library it is
skipped, and tried again later. Imports and extraction runs save it when they end
(``keep_saved``); a window's connection saves its index again whenever it has run
``RESAVE_AFTER`` changes ahead of the saved one, so a long session leaves it current.
The data is numpy's ``.npz`` read without pickle, so a library from elsewhere cannot
run code.
"""

from __future__ import annotations

import io
import json
import sqlite3

import numpy as np

from .busy import waiting_at_most
from .facet_index import _COLUMN_FACETS, FacetIndex, _Column, _Links
from .library import now_iso, read_snapshot

FORMAT = 3  # 2: story ids (schema 0013); 3: corrections and pinned originals
LAYOUT = json.dumps([FORMAT, [facet.name for facet in _COLUMN_FACETS]])
SAVE_AFTER = 1_000  # log entries a loaded index catches up with before it is saved again
RESAVE_AFTER = 5_000  # log entries a connection's index runs ahead of the saved one before it is saved
RETRY_AFTER_S = 30.0  # a save refused because another connection was writing is tried again after this
_ARRAYS = ("exists", "starred", "dates", "dated", "lengths", "stories", "corrections", "pinned")


def load_index(conn: sqlite3.Connection) -> FacetIndex | None:
    """The index saved in the library as of its ``seq``, or None (none saved, another layout,
    unreadable). The caller brings it up to date with ``FacetIndex.catch_up``."""
    try:
        row = conn.execute(
            "SELECT seq, data FROM facet_index_store WHERE id = 1 AND layout = ?", [LAYOUT]
        ).fetchone()
    except sqlite3.OperationalError:  # a library from before schema 0012, opened read-only
        return None
    if row is None:
        return None
    try:
        return _from_npz(row[0], row[1])
    except (ValueError, KeyError, OSError, TypeError):
        return None


def save_index(conn: sqlite3.Connection, index: FacetIndex) -> bool:
    """Save ``index`` in the library unless another connection is writing; True when saved.
    The arrays are packed once the write lock is held, so a busy library costs nothing."""
    if conn.in_transaction:
        return False
    try:
        with waiting_at_most(conn, 0):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO facet_index_store (id, seq, layout, saved_at, data) "
                    "VALUES (1, ?, ?, ?, ?)", [index.seq, LAYOUT, now_iso(), _to_npz(index)])
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return True
    except sqlite3.Error:
        return False


def keep_saved(conn: sqlite3.Connection) -> bool:
    """Bring the index saved in the library up to date and save it again — at the end of an
    import or an extraction run, so that the next window over the library counts at once
    instead of reading every article (the log of changes keeps only the last 10,000, fewer
    than a large import makes). False when another connection is writing (then the next
    window reads the index and saves it)."""
    if conn.in_transaction:
        return False
    try:
        with read_snapshot(conn):
            latest = conn.execute("SELECT coalesce(max(seq), 0) FROM search_log").fetchone()[0]
            row = conn.execute("SELECT seq FROM facet_index_store WHERE id = 1 AND layout = ?",
                               [LAYOUT]).fetchone()
            if row is not None and latest - row[0] <= SAVE_AFTER:
                return True  # a window catches up with so few changes at once
            index = load_index(conn)
            if index is None or not index.catch_up(conn):
                index = FacetIndex(conn)
    except sqlite3.Error:  # a cache: the import or extraction that called is done all the same
        return False
    return save_index(conn, index)


def _to_npz(index: FacetIndex) -> bytes:
    arrays = {name: getattr(index, name) for name in _ARRAYS}
    for name, column in index.columns.items():
        arrays[f"codes:{name}"] = column.codes
    for area in ("tags", "entities"):
        links: _Links = getattr(index, area)
        arrays[f"{area}:documents"], arrays[f"{area}:items"] = links.documents, links.items
    for label, (ids, _, name_ranks) in index.labels.items():
        arrays[f"label:{label}"], arrays[f"ranks:{label}"] = ids, name_ranks
    meta = {
        "size": index.size,
        "values": {name: column.values for name, column in index.columns.items()},
        "tag_names": list(index.tag_names.items()),
        "entity_span": index.entity_span,
        "labels": {label: names for label, (_, names, _) in index.labels.items()},
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _from_npz(seq: int, data: bytes) -> FacetIndex:
    with np.load(io.BytesIO(data), allow_pickle=False) as saved:
        arrays = {name: saved[name] for name in saved.files}
    meta = json.loads(arrays.pop("meta").tobytes())
    index = FacetIndex(None)
    index.seq, index.size = seq, meta["size"]
    for name in _ARRAYS:
        setattr(index, name, arrays[name])
    for name, column in index.columns.items():
        _fill(column, arrays[f"codes:{name}"], meta["values"][name])
    index.tags = _Links(arrays["tags:documents"], arrays["tags:items"])
    index.entities = _Links(arrays["entities:documents"], arrays["entities:items"])
    index.tag_names = {tag_id: name for tag_id, name in meta["tag_names"]}
    index.entity_span = meta["entity_span"]
    index.labels = {label: (arrays[f"label:{label}"], names, arrays[f"ranks:{label}"])
                    for label, names in meta["labels"].items()}
    index.entity_ids = {(label, name): entity_id
                        for label, (ids, names, _) in index.labels.items()
                        for entity_id, name in zip(ids.tolist(), names)}
    sizes = [*(len(getattr(index, name)) for name in _ARRAYS),
             *(len(column.codes) for column in index.columns.values())]
    if any(size != index.size for size in sizes):
        raise ValueError("facet index arrays of different sizes")
    return index


def _fill(column: _Column, codes: np.ndarray, values: list[str]) -> None:
    column.codes = codes
    column.values = list(values)
    column.numbers = {value: number for number, value in enumerate(values)}
