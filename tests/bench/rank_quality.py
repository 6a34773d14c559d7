"""How close the two-stage relevance order comes to exact bm25, on queries drawn from the corpus.

A query set is drawn with a seed from the library itself: frequent words (in more
than 20 % of the articles), mid words (2–20 %), rare words (20 articles to 2 %) and
two-word phrases read from the articles' text. For each query the top 20 of
``search_hits`` is compared with the top 20 of FTS5's exact bm25 over every match;
the overlap counts a hit as shared when its exact score is at least that of the
exact 20th (the library repeats its texts, so ties at the cut are common and either
side of a tie is as good). Used by bench_search.py; the parameters of
``desktop.core.ranking`` were chosen on seed 1 and are reported on seed 2 as well.
"""

from __future__ import annotations

import random
import re
import sqlite3
import statistics

CLASSES = (("frequent", 15), ("mid", 15), ("rare", 10), ("phrase", 10))
_EXACT = ("SELECT rowid, bm25(documents_fts, 5.0, 1.0, 2.0) AS score FROM documents_fts "
          "WHERE documents_fts MATCH ? ORDER BY score, rowid LIMIT 20")
_SCORES = ("SELECT rowid, bm25(documents_fts, 5.0, 1.0, 2.0) FROM documents_fts "
           "WHERE documents_fts MATCH ? AND rowid = ?")


def draw_queries(raw: sqlite3.Connection, seed: int) -> list[tuple[str, str]]:
    """(class, query) pairs: 50 queries in the four classes, drawn with ``seed``."""
    rng = random.Random(seed)
    raw.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab "
                "USING fts5vocab(main, documents_fts, 'row')")
    documents = raw.execute("SELECT count(*) FROM documents").fetchone()[0]
    vocabulary = raw.execute(
        "SELECT term, doc FROM temp.bench_vocab WHERE term GLOB '[a-z][a-z]*'").fetchall()
    bands = {
        "frequent": [t for t, n in vocabulary if n > documents * 0.2],
        "mid": [t for t, n in vocabulary if documents * 0.02 <= n <= documents * 0.2],
        "rare": [t for t, n in vocabulary if 20 <= n < documents * 0.02],
    }
    queries = [(name, term) for name, count in CLASSES[:3] for term in rng.sample(bands[name], count)]
    texts = [text for (text,) in raw.execute("SELECT text FROM documents WHERE id % 499 = ?",
                                              [seed % 499])]
    phrases: set[str] = set()
    while len(phrases) < CLASSES[3][1]:
        words = re.findall(r"[a-z]+", rng.choice(texts).lower())
        if len(words) > 1:
            at = rng.randrange(len(words) - 1)
            phrases.add(f'"{words[at]} {words[at + 1]}"')
    return queries + [("phrase", phrase) for phrase in sorted(phrases)]


def overlap(db, raw: sqlite3.Connection, query: str) -> float:
    """The share of the exact top 20 (up to ties) that ``search_hits`` puts in its top 20."""
    from desktop.core.search import search_hits

    match = query if query.startswith('"') else f'"{query}"'
    exact = raw.execute(_EXACT, [match]).fetchall()
    if not exact:
        return 1.0
    cut = exact[-1][1]
    ours = [hit["id"] for hit in search_hits(db, query, limit=len(exact))]
    scores = [raw.execute(_SCORES, [match, doc_id]).fetchone()[1] for doc_id in ours]
    return sum(score <= cut for score in scores) / len(exact)


def quality_rows(db, raw: sqlite3.Connection, seeds: tuple[int, ...] = (1, 2)) -> list[str]:
    """One line per seed: the mean overlap over the 50 queries and per class."""
    lines = []
    for seed in seeds:
        found: dict[str, list[float]] = {}
        for name, query in draw_queries(raw, seed):
            found.setdefault(name, []).append(overlap(db, raw, query))
        every = [value for values in found.values() for value in values]
        parts = ", ".join(f"{name} {statistics.mean(values):.2f}" for name, values in found.items())
        role = "tuning set" if seed == 1 else "held-out set"
        lines.append(f"| top-20 overlap with exact bm25, 50 queries, seed {seed} ({role}) "
                     f"| {statistics.mean(every):.3f} | {parts} | ≥ 0.8 |")
    return lines
