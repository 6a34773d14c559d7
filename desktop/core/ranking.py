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
first (sorted only when every id is asked for). With at most ``EXACT_LIMIT``
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
    (``unscored``, ascending ids) follow shortest first."""

    ranked: list[int]
    unscored: np.ndarray
    lengths: np.ndarray
    exact: bool

    def ids(self) -> list[int]:
        """Every match, best first."""
        rest = self.unscored[np.argsort(_lengths_of(self.lengths, self.unscored), kind="stable")]
        return [*self.ranked, *rest.tolist()]

    def top(self, limit: int) -> list[int]:
        """The best ``limit`` matches."""
        if len(self.ranked) >= limit or not len(self.unscored):
            return self.ranked[:limit]
        return self.ids()[:limit]


def _id_list(ids: np.ndarray | Sequence[int]) -> str:
    """Ids as a JSON array for ``json_each``."""
    return "[" + ",".join(map(str, np.asarray(ids).tolist())) + "]"


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

    The candidates are tested per match (``+rowid``) rather than handed to FTS5
    as rowids to look up: each lookup would start the query again (recounting
    every term's documents), a few milliseconds each for a frequent word.
    """
    if not len(candidates):
        return []
    sql = (f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
           "AND +rowid IN (SELECT value FROM json_each(?)) "
           f"ORDER BY {bm25(table, weights)}, rowid LIMIT ?")
    return [row[0] for row in conn.execute(sql, [match, _id_list(candidates), limit])]


def title_matches(conn: sqlite3.Connection, match: str, *, table: str = FTS_TABLE) -> np.ndarray:
    """The ids whose title matches ``match`` on its own, ascending."""
    return match_ids(conn, "{title} : (" + match + ")", table=table)


def rank(
    conn: sqlite3.Connection,
    match: str,
    hits: np.ndarray,
    *,
    lengths: np.ndarray,
    filtered: bool,
    exact: bool = False,
    limit: int = -1,
    table: str = FTS_TABLE,
    weights: Sequence[float] = BM25_WEIGHTS,
) -> Ranking:
    """The matches ``hits`` (ascending ids, all matching ``match``) in relevance order.

    ``lengths`` gives each id's length in words (indexed by id); ``filtered``
    says that ``hits`` may be fewer than the matches of ``match`` (filters
    apply). With at most ``EXACT_LIMIT`` hits or ``exact``, every hit is
    scored; otherwise only the candidates (see the module's docstring). A
    ``limit`` (not negative) may leave out the matches after the first ``limit``.
    """
    hits = np.asarray(hits, dtype=np.int64)
    none = np.zeros(0, dtype=np.int64)
    if exact or len(hits) <= EXACT_LIMIT:
        if filtered:
            return Ranking(scored(conn, match, hits, table=table, weights=weights, limit=limit),
                           none, lengths, True)
        sql = (f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
               f"ORDER BY {bm25(table, weights)}, rowid LIMIT ?")
        return Ranking([row[0] for row in conn.execute(sql, [match, limit])], none, lengths, True)
    chosen = np.zeros(max(len(lengths), int(hits[-1]) + 1), dtype=bool)
    chosen[hits] = True
    titled = title_matches(conn, match, table=table)
    titled = titled[titled < len(chosen)]
    titled = titled[chosen[titled]]
    if len(titled) > TITLE_CANDIDATES:
        titled = titled[_shortest(_lengths_of(lengths, titled), TITLE_CANDIDATES)]
    shortest = hits[_shortest(_lengths_of(lengths, hits), SHORT_CANDIDATES)]
    chosen[:] = False
    chosen[titled] = chosen[shortest] = True
    ranked = scored(conn, match, np.flatnonzero(chosen), table=table, weights=weights)
    return Ranking(ranked, hits[~chosen[hits]], lengths, False)


def _shortest(lengths: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest of ``lengths`` (all when fewer), in no order."""
    if len(lengths) <= count:
        return np.arange(len(lengths))
    return np.argpartition(lengths, count)[:count]


def _lengths_of(lengths: np.ndarray, ids: np.ndarray) -> np.ndarray:
    inside = ids < len(lengths)
    found = np.zeros(len(ids), dtype=np.int64)
    found[inside] = lengths[ids[inside]]
    return found
