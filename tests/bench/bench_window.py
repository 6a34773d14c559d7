"""Benchmark: the main window over a 100,000-article library, each figure beside a baseline.

Library: the shared benchmark library of tests/bench/corpus100k.py (../shared/corpora, BBC
and Reuters-21578 texts, replicated with changed ids to 100,000 articles, synthetic
outlets, authors, dates, tags and entity mentions), copied to a temporary folder with two
10,000-word articles added. Baselines, measured in the same run:

- start: the raw sqlite3 query for the first page of the newest articles
- switch: a bare QTextBrowser given the same 10,000-word text as plain text, then painted
- recount: the raw SQL ``GROUP BY`` of sources over the same filtered set
- query: the raw SQL ``GROUP BY`` of sources over the same query's matches; the 20 queries
  are the first searches made in the window, then made again (caches warm)
- typing stall: the longest heartbeat gap of an idle event loop
- memory: the process RSS with the window open, before scrolling
- first sidebar: none (a target of 1 s); each in a new process, as when a person starts
  Dossier: over a library without a saved facet index (one an older version made: the
  index is read from the articles and saved; imports and extraction runs of this version
  leave it saved) and over the same library opened again (the saved index is loaded)

The second core is kept busy by a spinning process the benchmark starts itself
(``--idle`` leaves it out), as on a laptop doing other work. A measurement that
fails is reported as such and the others still run.
Run: `make bench` (or `.venv/bin/python tests/bench/bench_window.py [--articles N]`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.corpus100k import ensure_library  # noqa: E402 - needs the path above

LONG_WORDS = 10_000
QUERIES = ("said", "year", "oil", "government", "market", "china", "film", "bank", "prices",
           "election", "the", "growth", "shares", "music", "police", "trade", "minister", "dollar",
           "football", "company")
LONG_TITLE = "Longread"
INSERT = ("INSERT INTO documents (title, text, published, source, author, sha256, imported_at, "
          "word_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def add_long_articles(path: Path) -> list[int]:
    """Add two articles of about 10,000 words (built from the library's own text); their ids."""
    from desktop.core.library import now_iso, open_library

    with open_library(path) as library, library.db.atomic():
        conn = library.db.conn
        paragraphs: list[str] = []
        words = 0
        for (text,) in conn.execute("SELECT text FROM documents ORDER BY id LIMIT 200"):
            paragraphs.extend(part for part in text.split("\n\n") if part.strip())
            words = sum(len(part.split()) for part in paragraphs)
            if words >= LONG_WORDS:
                break
        body = "\n\n".join(paragraphs)
        return [
            conn.execute(INSERT, (
                f"{LONG_TITLE} {number}", f"{body}\n\nVariant {number}.", "2030-01-01", "Bench",
                None, hashlib.sha256(f"long{number}".encode()).hexdigest(), now_iso(),
                len(body.split()),
            )).lastrowid
            for number in (1, 2)
        ]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p50(values: list[float]) -> float:
    return statistics.median(values)


def measure_start(path: Path) -> tuple[float, float, object]:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import application, create_main_window

    application()
    start = time.perf_counter()
    window = create_main_window(path)
    QApplication.processEvents()
    window.list_view.viewport().grab()
    shown = time.perf_counter() - start
    while not window.settled():  # the sidebar's counts, so they do not overlap what follows
        window.queries.wait()
        QApplication.processEvents()

    start = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("SELECT id, title, published, source, author, word_count FROM documents "
                 "ORDER BY published DESC LIMIT 50").fetchall()
    conn.close()
    return shown, time.perf_counter() - start, window


def measure_switch(window, long_ids: list[int], rounds: int = 20) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication, QTextBrowser

    from desktop.core.documents import get_document

    window.set_query(f"title:{LONG_TITLE}")
    window.queries.wait()
    QApplication.processEvents()
    rows = [window.model.row_of(doc_id) for doc_id in long_ids]
    times = []
    for n in range(rounds):
        index = window.model.index(rows[n % 2], 0)
        start = time.perf_counter()
        window.list_view.setCurrentIndex(index)
        window.reader.viewport().grab()
        times.append(time.perf_counter() - start)
    text = get_document(window.library.db, long_ids[0]).text
    bare = QTextBrowser()
    bare.resize(window.reader.size())
    base = []
    for _ in range(rounds):
        start = time.perf_counter()
        bare.setPlainText(text)
        bare.viewport().grab()
        base.append(time.perf_counter() - start)
    window.set_query("")
    window.queries.wait()
    return p50(times), p50(base)


def measure_recount(window, path: Path, rounds: int = 8) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from desktop.core.search import Filters, facet_counts

    authors = [name for name, _ in facet_counts(window.library.db, "author", limit=rounds)]
    times = []
    for author in authors:
        start = time.perf_counter()
        window.set_filters(Filters().including("author", author))
        wait_settled(window)  # the list, then the sidebar piece by piece
        times.append(time.perf_counter() - start)
    conn = sqlite3.connect(path)
    base = []
    for author in authors:
        start = time.perf_counter()
        conn.execute("SELECT source, count(*) FROM documents WHERE author = ? GROUP BY source",
                     [author]).fetchall()
        base.append(time.perf_counter() - start)
    conn.close()
    window.set_filters(Filters())
    window.queries.wait()
    return p50(times), p50(base)


def longest_stall(action, duration_s: float, done=lambda: True, limit_s: float = 30.0) -> float:
    """The longest gap between 5 ms heartbeats while ``action(step)`` runs every 100 ms, for
    ``duration_s`` and then until ``done()`` (at most ``limit_s``)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    beats: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: beats.append(clock.elapsed()))
    steps = iter(range(10_000))
    typist = QTimer()
    typist.setInterval(100)
    typist.timeout.connect(lambda: action(next(steps)))
    loop = QEventLoop()
    finished = QTimer()
    finished.setInterval(20)
    finished.timeout.connect(
        lambda: (clock.elapsed() >= duration_s * 1000 and done()
                 or clock.elapsed() >= limit_s * 1000) and loop.quit())
    finished.start()
    heartbeat.start()
    typist.start()
    loop.exec()
    heartbeat.stop()
    typist.stop()
    finished.stop()
    gaps = [b - a for a, b in zip(beats, beats[1:])]
    return max(gaps) / 1000 if gaps else float("nan")


def measure_typing(window) -> tuple[float, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    query = "government"
    window.search_box.clear()
    window.search_box.setFocus()

    def type_key(step: int) -> None:
        if step < len(query):
            QTest.keyClick(window.search_box, query[step])

    typing = longest_stall(type_key, duration_s=2.5,
                           done=lambda: window.search_box.text() == query and window.settled())
    if window.search_box.text() != query:
        raise RuntimeError(f"typed {query!r} but the box shows {window.search_box.text()!r}")
    idle = longest_stall(lambda step: None, duration_s=1.0)
    QTest.keyClick(window.search_box, Qt.Key.Key_Escape)
    window.queries.wait()
    return typing, idle


def measure_memory(window) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    before = rss_mb()
    model, view = window.model, window.list_view
    bar = view.verticalScrollBar()
    model.reveal(len(model.ids))
    QApplication.processEvents()
    step = max(1, bar.pageStep())
    for value in range(0, bar.maximum() + step, step * 7):
        bar.setValue(value)
        view.viewport().repaint()
    bar.setValue(bar.maximum())
    view.viewport().repaint()
    return rss_mb(), before


def wait_settled(window, limit_s: float = 60.0) -> None:
    """Run the event loop until the window has settled, idle between events as it is for a
    person (a loop of ``processEvents`` would take the one free core from the window's own
    worker thread), looking every 2 ms."""
    from PySide6.QtCore import QEventLoop, QTimer

    if window.settled():
        return
    loop = QEventLoop()
    deadline = time.perf_counter() + limit_s
    look = QTimer()
    look.setInterval(2)
    look.timeout.connect(lambda: (window.settled() or time.perf_counter() > deadline) and loop.quit())
    look.start()
    loop.exec()
    look.stop()


def measure_query(window, path: Path) -> tuple[float, float]:
    """p95 of a query entered (Enter) until the list and the sidebar have their answer and the
    window is painted as the person sees it (``window.grab()``: the list, the part of the
    sidebar in view and the reader; not the sidebar's sections scrolled out of view)."""
    times = []
    for word in QUERIES:
        start = time.perf_counter()
        window.set_query(word)
        wait_settled(window)
        window.grab()
        times.append(time.perf_counter() - start)
    conn = sqlite3.connect(path)
    base = []
    for word in QUERIES:
        start = time.perf_counter()
        conn.execute("SELECT source, count(*) FROM documents WHERE id IN (SELECT rowid FROM "
                     "documents_fts WHERE documents_fts MATCH ?) GROUP BY source", [word]).fetchall()
        base.append(time.perf_counter() - start)
    conn.close()
    window.set_query("")
    wait_settled(window)
    return p95(times), p95(base)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def measure_first_sidebar(path: Path) -> float:
    """A new window over ``path``: from creating it to the sidebar showing its counts."""
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import application, create_main_window

    application()
    start = time.perf_counter()
    window = create_main_window(path)
    wait_settled(window)
    window.sidebar.grab()
    spent = time.perf_counter() - start
    wait_saved_facet_index(path)  # as a person keeping the window open: it saves its index when quiet
    window.close()
    QApplication.processEvents()
    return spent


def wait_saved_facet_index(path: Path, timeout_s: float = 60.0) -> None:
    """Let the window run until the library holds a saved facet index (or ``timeout_s``)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    conn = sqlite3.connect(path)
    try:
        while not conn.execute("SELECT count(*) FROM facet_index_store").fetchone()[0]:
            if time.monotonic() > deadline:
                raise AssertionError(f"no facet index saved within {timeout_s:.0f} s")
            QApplication.processEvents()
            time.sleep(0.05)
    finally:
        conn.close()


def first_sidebar_in_new_process(path: Path) -> float:
    """``measure_first_sidebar`` in a process of its own, as when a person starts Dossier (and
    so that the windows it opens leave nothing behind in this one's memory figure)."""
    answer = subprocess.run([sys.executable, __file__, "--first-sidebar", str(path)], check=True,
                            capture_output=True, text=True, env=os.environ)
    return float(answer.stdout.strip().splitlines()[-1])


def forget_saved_facet_index(path: Path) -> None:
    """Remove the facet index an earlier benchmark saved in the library (schema 0012)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM facet_index_store")
    conn.close()


def busy_core() -> subprocess.Popen:
    """A process spinning on one core for as long as the benchmark runs."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def measured(name: str, measure, *args) -> tuple[float, float]:
    """``measure(*args)``, or NaN figures and the reason when it fails."""
    try:
        return measure(*args)
    except Exception:  # noqa: BLE001 - a benchmark reports what failed and goes on
        print(f"{name}: failed\n{traceback.format_exc(limit=3)}", file=sys.stderr)
        return float("nan"), float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--idle", action="store_true", help="do not keep the second core busy")
    parser.add_argument("--first-sidebar", type=Path, help=argparse.SUPPRESS)  # one measurement, alone
    args = parser.parse_args()
    if args.first_sidebar is not None:
        print(measure_first_sidebar(args.first_sidebar))
        return
    source = ensure_library(args.articles)
    spinner = None if args.idle else busy_core()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["DOSSIER_HOME"] = tmp
            path = Path(tmp) / "library.sqlite"
            shutil.copy(source, path)
            forget_saved_facet_index(path)
            long_ids = add_long_articles(path)
            print(f"library: {args.articles:,} replicated corpus articles (tests/bench/corpus100k.py)"
                  f" + 2 of {LONG_WORDS:,} words; second core "
                  f"{'idle' if args.idle else 'kept busy by a spinning process'}; load: "
                  f"{os.getloadavg()[0]:.2f}")
            report(path, long_ids)
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def report(path: Path, long_ids: list[int]) -> None:
    first_ever = measured("first sidebar, first window", lambda: (first_sidebar_in_new_process(path), 0))[0]
    reopened = measured("first sidebar, window opened again",
                        lambda: (first_sidebar_in_new_process(path), 0))[0]
    shown, shown_base, window = measure_start(path)
    switch, switch_base = measured("switch", measure_switch, window, long_ids)
    query, query_base = measured("query", measure_query, window, path)  # the first searches made
    again, again_base = measured("query again", measure_query, window, path)  # the same, caches warm
    recount, recount_base = measured("recount", measure_recount, window, path)
    stall, stall_base = measured("typing", measure_typing, window)
    rss, rss_base = measured("memory", measure_memory, window)
    nan = float("nan")
    rows = [
        ("window shown, first page painted", shown, shown_base, 1.0, "s"),
        ("first sidebar, no saved facet index", first_ever, nan, 1.0, "s"),
        ("first sidebar, window opened again", reopened, nan, 1.0, "s"),
        ("switch article (10k words), p50", switch, switch_base, 0.050, "s"),
        ("query -> list + sidebar, p95", query, query_base, 0.150, "s"),
        ("the same 20 queries again, p95", again, again_base, 0.150, "s"),
        ("facet recount after filter, p50", recount, recount_base, 0.100, "s"),
        ("longest stall typing 10 chars", stall, stall_base, 0.050, "s"),
        ("RSS after scrolling end to end", rss, rss_base, 400.0, "MB"),
    ]
    print(f"{'measure':<36}{'Dossier':>12}{'baseline':>12}{'ratio':>8}{'target':>10}")
    for name, value, base, target, unit in rows:
        scale = 1000 if unit == "s" else 1
        shown_unit = "ms" if unit == "s" else unit
        ratio = value / base if base else nan
        verdict = "ok" if value <= target else ("FAILED" if value != value else "OVER")
        print(f"{name:<36}{value * scale:>9.1f} {shown_unit:<2}{base * scale:>9.1f} {shown_unit:<2}"
              f"{ratio:>7.1f}x{target * scale:>7.0f} {shown_unit:<2}{verdict:>7}")
    window.close()


if __name__ == "__main__":
    main()
