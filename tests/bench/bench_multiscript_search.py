"""Benchmark: search in Russian and Chinese — quality, latency, library size and import cost.

Library: ../shared/corpora/multilingual (122 Russian, 400 Chinese files) and the BBC corpus
(2,225 English articles), imported through the real import path into a temporary file.

- Quality (truth and queries: tests/bench/multiscript_eval.py), each beside its baselines:
  the old index (``documents_fts``, the query as typed), and for Russian the Snowball stem
  alone (without the other case forms' stems). Russian on the tuning set and on a held-out
  set of lemmas written after the rewriting was settled.
- Latency: Russian and Chinese queries against an English query with the same number of
  hits (the English word whose hit count is nearest), all through ``search_ids`` and
  ``search_hits`` (20 hits with snippets), called alternately (median of the runs); and the
  English query as raw FTS5 on ``documents_fts`` (what search cost before).
- Size: the library file with and without the multi-script index (both copies vacuumed),
  and the index against the size of the text it holds.
- Import: characters per second per language with the index kept in step and without it
  (the sync skipped), and the rewriting alone (``index_text``) in MB/s.

Run: `make bench` (or `.venv/bin/python tests/bench/bench_multiscript_search.py`; with
``--library PATH [--zh 国,合]`` only the latency, in a new process, on a library an earlier run made).
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core import textindex  # noqa: E402
from desktop.core.library import open_library  # noqa: E402
from desktop.core.query import compile_query  # noqa: E402
from desktop.core.search import search_hits, search_ids  # noqa: E402
from desktop.core.shadow_index import TABLE  # noqa: E402
from tests.bench.multiscript_eval import (  # noqa: E402
    HELD_OUT, MULTILINGUAL, PARADIGMS, articles, chinese_queries, corpus_present, import_corpus,
    russian_queries, score,
)

BBC = MULTILINGUAL.parent / "bbc"
RUNS = 31
LATENCY_QUERIES = {"ru": ["Москве", "России", "Китаем", "Германии", "правительства"],
                   "zh": ["中国", "美国", "大学", "北京", "国"]}


def old_index(db):
    def search(query: str) -> list[int]:
        match = compile_query(query).match
        return [r[0] for r in db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [match]).fetchall()]
    return search


def quality(db) -> None:
    ru, zh = articles(db, "ru"), articles(db, "zh")
    dossier = lambda query: search_ids(db, query)  # noqa: E731
    print("Russian inflected forms (micro-averaged over (query, article) pairs):")
    for name, paradigms in (("tuning set", PARADIGMS), ("held-out set", HELD_OUT)):
        queries = list(russian_queries(ru, paradigms))
        print(f"  {name}: Dossier         {score(dossier, queries, set(ru))}")
        with mock.patch.object(textindex, "stem_variants", lambda word: [textindex._word(word)]), \
                mock.patch("desktop.core.query.stem_variants", lambda word: [textindex._word(word)]):
            compile_query.cache_clear()
            print(f"  {name}: Snowball alone  {score(dossier, queries, set(ru))}")
        compile_query.cache_clear()
        print(f"  {name}: old index       {score(old_index(db), queries, set(ru))}")
    queries = list(chinese_queries(zh))
    print("Chinese words and single characters (exact string present):")
    print(f"  Dossier    {score(dossier, queries, set(zh))}")
    print(f"  old index  {score(old_index(db), queries, set(zh))}")


def median_ms(calls: list, runs: int = RUNS) -> list[float]:
    """Median milliseconds of each of ``calls``, called in turn ``runs`` times after a warm-up."""
    for call in calls:
        call()
    spent: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for call, times in zip(calls, spent):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) * 1000 for times in spent]


def english_words(db) -> list[str]:
    counts: Counter[str] = Counter()
    for (text,) in db.execute("SELECT text FROM documents WHERE path LIKE '%/bbc/%'"):
        counts.update(re.findall(r"[a-z]{4,}", text.lower()))
    return [word for word, _ in counts.most_common(3000)]


def latency(db, queries: dict[str, list[str]] = LATENCY_QUERIES) -> None:
    conn = db.conn
    candidates = [(word, len(search_ids(db, word))) for word in english_words(db)]
    print("Latency, median of", RUNS, "alternating runs (ms): query, hits, Dossier ids / 20 hits "
          "with snippets; English query with the nearest hit count; ratio; raw FTS5 English ids")
    ratios = []
    for language, asked in queries.items():
        for query in asked:
            hits = len(search_ids(db, query))
            english, english_hits = min(candidates, key=lambda c: abs(c[1] - hits))
            raw = compile_query(english).match
            ours, ours_hits, theirs, theirs_hits, base = median_ms([
                lambda: search_ids(db, query), lambda: search_hits(db, query, limit=20),
                lambda: search_ids(db, english), lambda: search_hits(db, english, limit=20),
                lambda: conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? "
                                     "ORDER BY rank", [raw]).fetchall(),
            ])
            ratios.append(ours / theirs)
            print(f"  {language} {query!r:>16} {hits:5d} hits  {ours:6.2f} / {ours_hits:6.2f}   "
                  f"en {english!r:>14} {english_hits:5d} hits  {theirs:6.2f} / {theirs_hits:6.2f}   "
                  f"ratio {ours / theirs:4.2f} / {ours_hits / theirs_hits:4.2f}   raw {base:6.2f}")
    print(f"  worst ratio of ids {max(ratios):.2f}, median {statistics.median(ratios):.2f} (target ≤ 1.5)")


def size(path: Path, db) -> None:
    folder = Path(tempfile.mkdtemp())
    with_index, without = folder / "with.sqlite", folder / "without.sqlite"
    db.conn.execute("VACUUM INTO ?", [str(with_index)])
    copy = sqlite3.connect(with_index)
    for name in (TABLE, f"{TABLE}_log", f"{TABLE}_pending"):
        copy.execute(f"DROP TABLE {name}")
    copy.commit()
    copy.execute("VACUUM INTO ?", [str(without)])
    copy.close()
    text = db.execute("SELECT sum(length(CAST(title || text AS BLOB))) FROM documents").fetchone()[0]
    grown = with_index.stat().st_size - without.stat().st_size
    print(f"Size: library {without.stat().st_size / 1e6:.1f} MB without the multi-script index, "
          f"{with_index.stat().st_size / 1e6:.1f} MB with it (+{grown / without.stat().st_size:.0%}); "
          f"the index is {grown / 1e6:.1f} MB = {grown / text:.0%} of the {text / 1e6:.1f} MB of text")


def import_cost() -> None:
    print("Import (no entities), characters per second: with the index kept in step / without")
    folder = Path(tempfile.mkdtemp())
    for language, paths in (("ru", [MULTILINGUAL / "ru"]), ("zh", [MULTILINGUAL / "zh"]), ("en", [BBC])):
        rates = []
        for skip in (False, True, False, True):
            with open_library(folder / f"{language}{len(rates)}.sqlite") as library:
                from desktop.core.ingest import import_paths

                start = time.perf_counter()
                if skip:
                    with mock.patch("desktop.core.library.sync_changes", lambda conn: 0):
                        import_paths(library, paths)
                else:
                    import_paths(library, paths)
                spent = time.perf_counter() - start
                chars = library.db.execute("SELECT sum(length(text)) FROM documents").fetchone()[0]
                rates.append(chars / spent)
        kept, skipped = max(rates[0::2]), max(rates[1::2])
        sample = "\n".join(t for (t,) in open_library(folder / f"{language}0.sqlite").db.execute(
            "SELECT text FROM documents"))
        start = time.perf_counter()
        textindex.index_text(sample)
        rewrite = len(sample.encode()) / (time.perf_counter() - start) / 1e6
        print(f"  {language}: {kept:,.0f} / {skipped:,.0f} chars/s (index costs {1 - kept / skipped:.0%} "
              f"of the import's time); index_text alone {rewrite:.1f} MB/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path,
                        help="only the latency, on this library made by an earlier run (it prints its path)")
    parser.add_argument("--zh", help="with --library: the Chinese queries, comma-separated")
    args = parser.parse_args()
    if args.library:
        with open_library(args.library) as library:
            latency(library.db, {"zh": args.zh.split(",")} if args.zh else LATENCY_QUERIES)
        return 0
    if not corpus_present() or not BBC.is_dir():
        print("skipped: ../shared/corpora/multilingual or ../shared/corpora/bbc is absent")
        return 0
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on "
          f"{os.cpu_count()} cores")
    path = Path(tempfile.mkdtemp()) / "library.sqlite"
    with open_library(path) as library:
        import_corpus(library)
        from desktop.core.ingest import import_paths

        import_paths(library, [BBC])
        print(f"library: {library.document_count()} articles ({path})")
        quality(library.db)
        latency(library.db)
        size(path, library.db)
    import_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())
