"""Benchmark: text import rate and search latency against a bare sqlite3 FTS5 baseline.

Corpus: ../shared/corpora/bbc (2,225 files) plus every Reuters-21578 story with a body,
written out as .txt files (title line, blank line, body). The baseline reads the same
files and inserts title + text into a plain FTS5 table in one transaction; the search
baseline runs the same MATCH on that table ordered by bm25 with a snippet.
Import is timed IMPORT_ROUNDS times, Dossier and baseline in turn, and the medians are
compared, so that a burst of other work on the machine does not decide the ratio; the
text parser is loaded before timing (a one-off start-up cost, not part of the rate). The
import is also compared in CPU seconds of this process and its ended child processes (both
sides run here; Dossier's import signs its texts for story grouping in a worker process that
ends with the import), which other work on a shared machine sways less than wall time.
Run: `make bench` (or `.venv/bin/python tests/bench/bench_foundation.py`).
"""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CORPORA = REPO.parent / "shared" / "corpora"
T = TypeVar("T")

IMPORT_ROUNDS = 3
QUERIES = {
    "frequent term": ("said", "said"),
    "phrase": ('"interest rates"', '"interest rates"'),
    "AND query": ("oil prices", "oil AND prices"),
}


def write_corpus(folder: Path) -> list[Path]:
    files = sorted((CORPORA / "bbc").rglob("*.txt"))
    reuters = folder / "reuters"
    reuters.mkdir()
    with (CORPORA / "reuters21578.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if not (record.get("text") or "").strip():
                continue
            path = reuters / f"{record['id']}.txt"
            path.write_text(f"{record.get('title') or ''}\n\n{record['text']}", encoding="utf-8")
            files.append(path)
    return files


class Timed(NamedTuple):
    """Wall and CPU seconds of one import."""

    wall: float
    cpu: float


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes (the import's signing worker)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(run: Callable[[], T]) -> tuple[Timed, T]:
    """How long ``run()`` took, and what it returned."""
    wall, cpu = time.perf_counter(), _cpu()
    result = run()
    return Timed(time.perf_counter() - wall, _cpu() - cpu), result


def baseline_import(files: list[Path], db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text)")
    with conn:
        for path in files:
            text = path.read_bytes().decode("utf-8", errors="replace")
            title, _, body = text.partition("\n")
            conn.execute("INSERT INTO fts (title, text) VALUES (?, ?)", (title, body))
    conn.close()


def dossier_import(files: list[Path], db_path: Path) -> int:
    """Import ``files`` into a new library at ``db_path``; how many articles were imported."""
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    with open_library(db_path) as library:
        return len(import_paths(library, files).imported)


def p50(fn, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import desktop.core.ingest  # noqa: F401  (loaded before the timing, as the parser is below)
    from desktop.core.formats import parser_for
    from desktop.core.library import open_library
    from desktop.core.search import search_hits

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        files = write_corpus(tmp_path)
        parser_for(files[0])
        base_times: list[Timed] = []
        ours_times: list[Timed] = []
        for run in range(IMPORT_ROUNDS):
            base_times.append(timed(lambda: baseline_import(files, tmp_path / f"baseline{run}.sqlite"))[0])
            ours, imported = timed(lambda: dossier_import(files, tmp_path / f"library{run}.sqlite"))
            ours_times.append(ours)
        rows = []
        for clock in ("wall", "cpu"):
            base_rate = len(files) / statistics.median(getattr(t, clock) for t in base_times)
            ours_rate = len(files) / statistics.median(getattr(t, clock) for t in ours_times)
            rows.append((f"import (files per {clock} second)", f"{ours_rate:,.0f}", f"{base_rate:,.0f}",
                         ours_rate / base_rate, "≥ 0.40"))
        raw = sqlite3.connect(tmp_path / "baseline0.sqlite")
        with open_library(tmp_path / "library0.sqlite") as library:
            for name, (ours_q, raw_q) in QUERIES.items():
                ours = p50(lambda: search_hits(library.db, ours_q, limit=20))
                base = p50(lambda: raw.execute(
                    "SELECT rowid, title, snippet(fts, 1, '[', ']', '…', 12) FROM fts "
                    "WHERE fts MATCH ? ORDER BY rank LIMIT 20", [raw_q]).fetchall())
                rows.append((f"search p50 ms: {name}", f"{ours:.1f}", f"{base:.1f}", ours / base, "≤ 1.5"))
        raw.close()
    print(f"\nFoundation benchmark: {len(files):,} files ({imported:,} imported; BBC + Reuters-21578 as .txt)\n")
    print("| measure | Dossier | bare FTS5 | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for measure, ours, base, ratio, target in rows:
        print(f"| {measure} | {ours} | {base} | {ratio:.2f} | {target} |")


if __name__ == "__main__":
    main()
