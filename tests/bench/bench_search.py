"""Benchmark: search and facet latency at 100,000 articles, each beside a baseline.

Library: ``corpus100k.ensure_library`` (../shared/corpora BBC + Reuters-21578 texts
replicated with changed hashes to 100,000 articles, synthetic tags and entity
mentions on real capitalised words), built once and cached outside the repository.
Baselines, measured on the same file in the same run, alternating with Dossier's
calls so that a busy machine slows both alike:

- search: the raw FTS5 ``MATCH`` with ``snippet()``, ``ORDER BY rank LIMIT 20`` (top
  hits), or every matching rowid ``ORDER BY rank`` (all ids); Dossier's searches are
  timed from scratch (the matches asked of FTS5 each time, the facet index kept)
- relevance quality: the top 20 against exact bm25 on 50 queries drawn from the corpus
  (``rank_quality.py``)
- facet recount: the raw SQL ``GROUP BY`` of sources over the same filtered set (after
  a write and on a newly opened library: over the whole library, on a new connection)

A facet recount is the whole filter sidebar (every facet and the date histogram)
after the filters changed to a combination not seen before.
Run: `make bench` (or `.venv/bin/python tests/bench/bench_search.py [--articles N]`).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sqlite_utils import Database  # noqa: E402

from tests.bench.corpus100k import SOURCES, ensure_library  # noqa: E402
from tests.bench.rank_quality import quality_rows  # noqa: E402

QUERIES = {
    "frequent term": ("said", '"said"'),
    "phrase": ('"interest rates"', '"interest rates"'),
    "AND query": ("oil prices", '"oil" AND "prices"'),
}
FREQUENT = ("said", "the", "year")
RAW_HITS = (
    "SELECT rowid, title, snippet(documents_fts, -1, '[', ']', '…', 16) FROM documents_fts "
    "WHERE documents_fts MATCH ? ORDER BY rank LIMIT 20"
)
RAW_IDS = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank"
RUNS = 15


def paired_p50(ours: Callable[[], object], base: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median milliseconds of ``ours`` and ``base``, called alternately after one warm-up each."""
    ours(), base()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, spent in ((ours, times[0]), (base, times[1])):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def _from_scratch(db: Database, query: str, fn: Callable[..., object], **kwargs) -> Callable[[], object]:
    """``fn(db, query, **kwargs)`` with nothing remembered of earlier searches (the facet
    index stays, as in the window): the matches are asked of FTS5 every time."""
    from desktop.core.facet_counts import forget_results

    def run() -> object:
        forget_results(db)
        return fn(db, query, **kwargs)

    return run


def search_rows(db: Database, raw: sqlite3.Connection) -> list[tuple[str, float, float, str]]:
    from desktop.core.search import search_hits, search_ids

    rows = []
    for word in FREQUENT:
        hits = len(search_ids(db, word))
        ours, base = paired_p50(_from_scratch(db, word, search_hits, limit=20),
                                lambda: raw.execute(RAW_HITS, [f'"{word}"']).fetchall())
        rows.append((f"frequent-term top 20 with snippets, `{word}` ({hits:,} hits)", ours, base,
                     "≤ 0.25"))
    for name, (ours_q, raw_q) in QUERIES.items():
        ours, base = paired_p50(_from_scratch(db, ours_q, search_hits, limit=20),
                                lambda: raw.execute(RAW_HITS, [raw_q]).fetchall())
        rows.append((f"search top 20 with snippets, {name}", ours, base, "≤ 1.5"))
        hits = len(search_ids(db, ours_q))
        ours, base = paired_p50(_from_scratch(db, ours_q, search_ids),
                                lambda: raw.execute(RAW_IDS, [raw_q]).fetchall())
        rows.append((f"search all ids by relevance, {name} ({hits:,} hits)", ours, base, "≤ 1.5"))
    return rows


def _raw_source_counts(raw: sqlite3.Connection, query: str | None, where: str, params: list) -> Callable[[], object]:
    """The baseline: sources of the filtered set counted by one plain GROUP BY."""
    if query:
        sql = ("SELECT source, count(*) FROM documents WHERE id IN "
               "(SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?) "
               f"AND {where} GROUP BY source")
        params = [query, *params]
    else:
        sql = f"SELECT source, count(*) FROM documents WHERE {where} GROUP BY source"
    return lambda: raw.execute(sql, params).fetchall()


def facet_rows(db: Database, raw: sqlite3.Connection) -> list[tuple[str, float, float, str]]:
    from desktop.core.search import Filters, available_facets, date_histogram, facet_counts

    facets = [facet.name for facet in available_facets(db)]
    years = itertools.cycle(range(2004, 2022))
    sources = itertools.cycle(SOURCES[:12])
    tags = itertools.cycle(["sport", "tech", "politics", "markets", "business"])
    cases = [
        ("no query, source filter", "", None,
         lambda: Filters().including("source", next(sources)), "source = ?", lambda: [SOURCES[0]]),
        ("no query, tag + year filter", "", None,
         lambda: Filters().including("tag", next(tags)).including("year", str(next(years))),
         "substr(published, 1, 4) = ?", lambda: ["2010"]),
        ("query 'said' + year filter", "said", '"said"',
         lambda: Filters().including("year", str(next(years))),
         "substr(published, 1, 4) = ?", lambda: ["2010"]),
        ("query 'said' minus one source", "said", '"said"',
         lambda: Filters().excluding("source", next(sources)),
         "source IS NOT ?", lambda: [SOURCES[0]]),
        ("query 'oil prices' + state + year", "oil prices", '"oil" AND "prices"',
         lambda: Filters().including("state", "unread").including("year", str(next(years))),
         "read_state = 'unread' AND substr(published, 1, 4) = ?", lambda: ["2010"]),
    ]
    rows = []
    for name, query, raw_query, make_filters, where, params in cases:
        def sidebar() -> None:
            filters = make_filters()
            for facet in facets:
                facet_counts(db, facet, query=query, filters=filters)
            date_histogram(db, query=query, filters=filters)

        ours, base = paired_p50(sidebar, _raw_source_counts(raw, raw_query, where, params()), runs=9)
        rows.append((f"facet recount after a filter change, {name}", ours, base, "< 100 ms"))
    return rows


def _sidebar(db: Database) -> None:
    """Every facet of the sidebar and the date histogram, no query, no filter."""
    from desktop.core.search import available_facets, date_histogram, facet_counts

    for facet in available_facets(db):
        facet_counts(db, facet.name)
    date_histogram(db)


def _raw_sources(path: Path) -> float:
    start = time.perf_counter()
    raw = sqlite3.connect(path)
    raw.execute("SELECT source, count(*) FROM documents GROUP BY source").fetchall()
    raw.close()
    return time.perf_counter() - start


def after_write_row(db: Database, path: Path) -> tuple[str, float, float, str]:
    """The whole sidebar right after another connection starred an article."""
    from desktop.core.library import open_library

    ours, base = [], []
    with open_library(path) as writer:
        starred = writer.db.execute("SELECT starred FROM documents WHERE id = 7").fetchone()[0]
        _sidebar(db)
        for _ in range(RUNS):
            with writer.db.atomic():
                writer.db.execute("UPDATE documents SET starred = 1 - starred WHERE id = 7")
            start = time.perf_counter()
            _sidebar(db)
            ours.append(time.perf_counter() - start)
            base.append(_raw_sources(path))
        with writer.db.atomic():
            writer.db.execute("UPDATE documents SET starred = ? WHERE id = 7", [starred])
    return ("whole sidebar right after another connection starred an article",
            statistics.median(ours) * 1000, statistics.median(base) * 1000, "< 100 ms")


def first_sidebar_row(path: Path) -> tuple[str, float, float, str]:
    """The whole sidebar on a connection opened just before (the facet index saved in the
    library by the runs before is loaded and caught up)."""
    from desktop.core.library import open_library

    ours, base = [], []
    for _ in range(5):
        start = time.perf_counter()
        with open_library(path) as library:
            _sidebar(library.db)
        ours.append(time.perf_counter() - start)
        base.append(_raw_sources(path))
    return ("whole sidebar on a newly opened library (loads the saved facet index)",
            statistics.median(ours) * 1000, statistics.median(base) * 1000, "once per window")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()

    from desktop.core.library import open_library

    path = ensure_library(args.articles)
    started, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.getloadavg()
    raw = sqlite3.connect(path)
    with open_library(path) as library:
        db = library.db
        documents = db.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        rows = [*search_rows(db, raw), *facet_rows(db, raw), after_write_row(db, path),
                first_sidebar_row(path)]
        quality = quality_rows(db, raw)
    raw.close()
    load_after = os.getloadavg()
    print(f"\nSearch benchmark: {documents:,} articles (BBC + Reuters-21578 replicated with "
          "changed hashes), p50 of alternating runs")
    print(f"Started {started}; load average (1 min) {load_before[0]:.1f} at the start, "
          f"{load_after[0]:.1f} at the end\n")
    print("| measure | Dossier ms | baseline ms | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for measure, ours, base, target in rows:
        print(f"| {measure} | {ours:.1f} | {base:.1f} | {ours / base:.2f} | {target} |")
    print("\nRelevance order against exact bm25 (tests/bench/rank_quality.py)\n")
    print("| measure | mean overlap | per class | target |")
    print("|---|---:|---|---|")
    print("\n".join(quality))


if __name__ == "__main__":
    main()
