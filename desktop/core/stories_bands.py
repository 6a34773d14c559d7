"""The LSH band keys of the library (``story_bands``): storing an article's keys, and finding
the stored articles that share a key with new ones.

Finding them takes one index lookup per key, about 20 per article; a run that groups many
articles (an import, grouping a whole library) holds the stored keys in memory instead
(``HeldBands``) and finds them with an array search. It loads them at its first batch only
when there are no more of them than the run itself will add (a first import loads nothing;
a few files added to a large library look the keys up as before), and adds its own keys
after each batch. Every write of keys counts in ``meta`` (``WRITES_KEY``), so a run whose
count is no longer the one it left (another process grouped articles meanwhile, or the
run's own transaction was rolled back and tried again) loads the keys again before it
trusts them. Keys of removed or re-signed articles may stay in memory: they only add
candidates, which the caller checks against the stored signatures.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from .stories_signatures import BANDS

WRITES_KEY = "stories.band_writes"
_PACKED_ID_LIMIT = 1 << 31  # a key (32 bits) and an id below this fit in one int64


def json_ints(values: np.ndarray) -> str:
    """An array of integers as a JSON list for ``json_each`` (a list of Python ints prints as
    JSON, in a third less time than ``json.dumps`` takes)."""
    return repr(values.astype(np.int64).tolist())


def _writes(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [WRITES_KEY]).fetchone()
    return int(row[0]) if row else 0


def store_keys(conn: sqlite3.Connection, keys: np.ndarray, docs: np.ndarray) -> int:
    """Store band keys with their articles (as one integer each, the key above the id, in one
    statement; row by row for an id too large to pack) and count the write; returns the count."""
    if len(keys) and docs.max() < _PACKED_ID_LIMIT:
        conn.execute(
            "INSERT OR IGNORE INTO story_bands (key, document_id) SELECT value >> 31, value & 2147483647 FROM json_each(?)",
            [json_ints((keys << 31) | docs)],
        )
    elif len(keys):
        conn.executemany("INSERT OR IGNORE INTO story_bands (key, document_id) VALUES (?, ?)",
                         zip(keys.tolist(), docs.tolist()))
    return int(conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value",
        [WRITES_KEY],
    ).fetchone()[0])


def _looked_up(conn: sqlite3.Connection, keys: np.ndarray) -> np.ndarray:
    rows = conn.execute(
        "SELECT b.key, b.document_id FROM json_each(?) AS k JOIN story_bands AS b ON b.key = k.value",
        [json_ints(keys)],
    ).fetchall()
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


class HeldBands:
    """The stored band keys held in memory for one run of ``articles`` articles (see the module
    docstring); ``sharing`` and ``store`` replace the module's functions inside the run."""

    def __init__(self, articles: int) -> None:
        self._limit = BANDS * max(articles, 0)
        self._packed: list[np.ndarray] = []  # sorted arrays of key << 31 | id
        self._writes: int | None = None
        self._off = False

    def _held(self, conn: sqlite3.Connection) -> bool:
        if self._off:
            return False
        writes = _writes(conn)
        if writes == self._writes:
            return True
        stored = conn.execute(  # counted no further than the limit: a large library is not read
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM story_bands LIMIT ?)), (SELECT max(id) FROM documents)",
            [self._limit + 1],
        ).fetchone()
        if stored[0] > self._limit or (stored[1] or 0) >= _PACKED_ID_LIMIT:
            self._off = True  # as many keys as the run will add, or more: look them up
            return False
        packed = conn.execute("SELECT key << 31 | document_id FROM story_bands").fetchall()
        self._packed = [np.sort(np.asarray(packed, dtype=np.int64).ravel())]
        self._writes = writes
        return True

    def sharing(self, conn: sqlite3.Connection, keys: np.ndarray) -> np.ndarray:
        """(key, article) of every stored key among ``keys`` (distinct, sorted), as an n x 2 array."""
        if not self._held(conn):
            return _looked_up(conn, keys)
        found = []
        for packed in self._packed:
            lo = np.searchsorted(packed, keys << 31)
            hi = np.searchsorted(packed, (keys + 1) << 31)
            if (hi > lo).any():
                spans = hi - lo
                found.append(packed[np.repeat(lo - (np.cumsum(spans) - spans), spans) + np.arange(spans.sum())])
        if not found:
            return np.zeros((0, 2), dtype=np.int64)
        hits = np.concatenate(found)
        return np.stack([hits >> 31, hits & (_PACKED_ID_LIMIT - 1)], axis=1)

    def store(self, conn: sqlite3.Connection, keys: np.ndarray, docs: np.ndarray) -> None:
        """``store_keys``, and hold the keys stored."""
        held = self._held(conn)
        writes = store_keys(conn, keys, docs)
        if held and (not len(docs) or docs.max() < _PACKED_ID_LIMIT):
            self._packed.append(np.sort((keys << 31) | docs))
            if len(self._packed) > 8:  # few arrays to search: merge them now and then
                self._packed = [np.sort(np.concatenate(self._packed))]
            self._writes = writes
        else:
            self._writes = None


def sharing(conn: sqlite3.Connection, keys: np.ndarray, held: HeldBands | None = None) -> np.ndarray:
    """(key, article) of every stored key among ``keys`` (distinct, sorted), as an n x 2 array."""
    return held.sharing(conn, keys) if held is not None else _looked_up(conn, keys)


def store(conn: sqlite3.Connection, keys: np.ndarray, docs: np.ndarray, held: HeldBands | None = None) -> None:
    """Store band keys with their articles (and hold them, within a run that holds its keys)."""
    if held is not None:
        held.store(conn, keys, docs)
    else:
        store_keys(conn, keys, docs)
