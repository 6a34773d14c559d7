"""Relevance order without scoring every match: bm25 over a bounded candidate set.

FTS5's bm25 costs a few microseconds per matching row, so ranking a word found
in most articles (``said``: 79 % of 100,000) costs hundreds of milliseconds
before the first row. Here the matches are known first (as ids, from one pass
without scores) and ranked in two stages when there are many of them:

1. candidates: the matches whose title matches too (a title word weighs 5
   times a body word, so they hold most of the best matches of a frequent
   word) and the shortest matches (bm25 favours short articles), at most
   ``TITLE_CANDIDATES`` and ``SHORT_CANDIDATES`` of each;
2. exact bm25, with the index's own weights, over the candidates only: one
   pass over the matches that computes the score for candidates alone.

The candidates come first, best first; the other matches follow, shortest
first: in the order of the library's articles by length, which the facet index
keeps (``FacetIndex.by_length``), so no match is sorted. With at most ``EXACT_LIMIT``
matches, or when asked (``exact=True``), every match is scored, as FTS5's
``ORDER BY rank`` does; ties go to the lower id.
Everything is parameterised by the FTS table's name, so the same ranking
serves whichever index a query is matched against.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Sequence

import numpy as np

FTS_TABLE = "documents_fts"
BM25_WEIGHTS = (5.0, 1.0, 2.0)  # title, text, notes; also the index's rank (schema 0002)
EXACT_LIMIT = 5_000
# chosen on the tuning queries of tests/bench/rank_quality.py (seed 1): each bm25 of a
# candidate costs about as much as reading 50 matches
TITLE_CANDIDATES = 500
SHORT_CANDIDATES = 500


@dataclass(frozen=True)
class Ranking:
    """The matches in relevance order: ``ranked`` were scored (best first), the others
    (``unscored``, a mask over ids) follow shortest first, ties to the lower id (the order of
    ``by_length``: every id of the library, shortest first)."""

    ranked: list[int]
    unscored: np.ndarray
    by_length: np.ndarray
    exact: bool

    def ids(self) -> list[int]:
        """Every match, best first."""
        if not self.unscored.any():
            return list(self.ranked)
        return [*self.ranked, *shortest_of(self.by_length, self.unscored).tolist()]

    def top(self, limit: int) -> list[int]:
        """The best ``limit`` matches."""
        if len(self.ranked) >= limit or not self.unscored.any():
            return self.ranked[:limit]
        rest = shortest_of(self.by_length, self.unscored, limit - len(self.ranked))
        return [*self.ranked, *rest.tolist()]


def shortest_of(by_length: np.ndarray, member: np.ndarray, count: int = -1) -> np.ndarray:
    """The ids set in the mask ``member``, shortest first in the order of ``by_length`` (every
    id of the library, shortest first); the first ``count`` of them (all when negative). Ids
    past ``by_length`` (read after it was made) come first, as if empty. A few are found by
    walking ``by_length`` in growing steps rather than by sorting every member."""
    beyond = np.flatnonzero(member[len(by_length):]) + len(by_length)
    wanted = len(member) if count < 0 else count
    found, total, start, step = [beyond], len(beyond), 0, max(4 * wanted, 1024)
    while total < wanted and start < len(by_length):
        block = by_length[start : start + step]
        picked = block[member[block]]
        found.append(picked)
        total += len(picked)
        start, step = start + step, step * 2
    ids = np.concatenate(found)
    return ids if count < 0 else ids[:count]


def ids_array(text: str | None) -> np.ndarray:
    """The integers of a ``group_concat`` of ids (NULL when there were none)."""
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def match_ids(conn: sqlite3.Connection, match: str, *, table: str = FTS_TABLE) -> np.ndarray:
    """The ids matching the FTS5 expression ``match``, ascending, without scoring them."""
    sql = f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH ?"
    ids = ids_array(conn.execute(sql, [match]).fetchone()[0])
    if len(ids) > 1 and not (ids[1:] > ids[:-1]).all():  # FTS5 gives them ascending: seldom sorted
        ids = np.unique(ids)
    return ids


def few_matches(conn: sqlite3.Connection, match: str, *, table: str = FTS_TABLE) -> bool:
    """Whether ``match`` has at most ``EXACT_LIMIT`` matches (found without reading more)."""
    sql = f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?)"
    return conn.execute(sql, [match, EXACT_LIMIT + 1]).fetchone()[0] <= EXACT_LIMIT


def bm25(table: str = FTS_TABLE, weights: Sequence[float] = BM25_WEIGHTS) -> str:
    """The SQL of the bm25 score with the index's column weights (lower is better)."""
    return f"bm25({table}, {', '.join(map(str, weights))})"


def scored(
    conn: sqlite3.Connection, match: str, candidates: np.ndarray, *,
    table: str = FTS_TABLE, weights: Sequence[float] = BM25_WEIGHTS, limit: int = -1,
) -> list[int]:
    """``candidates`` (ids matching ``match``) ordered by exact bm25, best first (ties: lower id);
    the first ``limit`` of them (all when negative).

    The candidates are tested per match rather than handed to FTS5 as rowids to
    look up: each lookup would start the query again (recounting every term's
    documents), a few milliseconds each for a frequent word. The test is a byte
    of a mask (one byte per id, read in place by ``substr`` of a blob): testing
    ``rowid IN`` a list searches a b-tree per match, twice the cost (2 of the
    5 ms that scoring 1,000 candidates among 79,000 matches of ``said`` took).
    ``substr`` reads a negative position from the mask's end, so a negative id (Dossier's
    count from 1) must not pass: without a ``limit`` it is left out of the rows returned,
    as testing every match for it costs 0.3 ms over the 35,000 of ``year``; with one, the
    query leaves it out, lest it take a place on the page.
    """
    if not len(candidates):
        return []
    mask = np.zeros(int(np.max(candidates)) + 1, dtype=np.uint8)
    mask[candidates] = 1
    guard = "+rowid >= 0 AND " if limit >= 0 else ""
    sql = (f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
           f"AND {guard}substr(?, rowid + 1, 1) = x'01' "
           f"ORDER BY {bm25(table, weights)}, rowid LIMIT ?")
    return [doc_id for (doc_id,) in conn.execute(sql, [match, mask.tobytes(), limit]) if doc_id >= 0]


def title_matches(conn: sqlite3.Connection, match: str, *, table: str = FTS_TABLE) -> np.ndarray:
    """The ids whose title matches ``match`` on its own, ascending."""
    return match_ids(conn, "{title} : (" + match + ")", table=table)


def rank(
    conn: sqlite3.Connection,
    match: str,
    hits: np.ndarray,
    *,
    by_length: np.ndarray,
    filtered: bool,
    exact: bool = False,
    limit: int = -1,
    table: str = FTS_TABLE,
    weights: Sequence[float] = BM25_WEIGHTS,
) -> Ranking:
    """The matches ``hits`` (ascending ids, all matching ``match``) in relevance order.

    ``by_length`` lists every id of the library, shortest first (ties to the lower id);
    ``filtered`` says that ``hits`` may be fewer than the matches of ``match`` (filters
    apply). With at most ``EXACT_LIMIT`` hits or ``exact``, every hit is scored; otherwise
    only the candidates (see the module's docstring). A ``limit`` (not negative) may leave
    out the matches after the first ``limit``.
    """
    hits = np.asarray(hits, dtype=np.int64)
    none = np.zeros(0, dtype=bool)
    if exact or len(hits) <= EXACT_LIMIT:
        if filtered:
            return Ranking(scored(conn, match, hits, table=table, weights=weights, limit=limit),
                           none, by_length, True)
        sql = (f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
               f"ORDER BY {bm25(table, weights)}, rowid LIMIT ?")
        return Ranking([row[0] for row in conn.execute(sql, [match, limit])], none, by_length, True)
    member = np.zeros(max(len(by_length), int(hits[-1]) + 1), dtype=bool)
    member[hits] = True
    titled = title_matches(conn, match, table=table)
    titled = titled[titled < len(member)]
    titled = titled[member[titled]]
    if len(titled) > TITLE_CANDIDATES:
        among = np.zeros(len(member), dtype=bool)
        among[titled] = True
        titled = shortest_of(by_length, among, TITLE_CANDIDATES)
    candidates = np.union1d(titled, shortest_of(by_length, member, SHORT_CANDIDATES))
    ranked = scored(conn, match, candidates, table=table, weights=weights)
    member[candidates] = False
    return Ranking(ranked, member, by_length, False)
