"""Reviewing 200 entity suggestions in under 5 minutes: what the window's share of that is.

A library of BBC articles (politics and business, every entity extracted with the shipped
model) is opened in the window; Entities ▸ Review entities… is triggered and, on the
*Suggestions* list, Enter is pressed as a person accepting one suggestion after another
would, up to 200 times. Each press is timed until the window is ready for the next one (the
next suggestion selected, the suggestions read again in the background after the change).

Baseline, measured in the same run on a copy of the same library: the core operation alone
(``desktop.core.entities.suggestions.accept``) for the same number of suggestions, each in
its own transaction and backup rule, as a script fixing them would. Reported: the window's time per
suggestion (median, p95, total), its ratio to the core's, and what remains of the five
minutes for the person to read 200 suggestions (the issue's target: 200 in under 5 minutes,
i.e. the window must leave most of 1.5 s per suggestion to the person).

usage: .venv/bin/python tests/bench/bench_review.py [--count 200] [--folders politics business]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BBC = REPO.parent / "shared" / "corpora" / "bbc"
BUDGET_SECONDS = 300.0


def build_library(path: Path, folders: list[str]) -> float:
    from desktop.core.entities import extract_entities
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    started = time.perf_counter()
    with open_library(path) as library:
        import_paths(library, [BBC / name for name in folders])
        extract_entities(library)
    return time.perf_counter() - started


def core_baseline(path: Path, count: int) -> tuple[int, float]:
    """Accept the first ``count`` suggestions with the core operation alone; (accepted, seconds)."""
    from desktop.core.entities.suggestions import accept, suggestions
    from desktop.core.library import open_library

    with open_library(path) as library:
        found = suggestions(library.db)
        done, gone, seconds = 0, set(), 0.0
        for suggestion in found:
            if done == count:
                break
            if gone & set(suggestion.entity_ids):
                continue
            started = time.perf_counter()
            accept(library.db, suggestion)  # its own transaction, as the window's writer runs it
            seconds += time.perf_counter() - started
            gone.update(suggestion.entity_ids[:1])
            done += 1
    return done, seconds


def window_review(path: Path, count: int) -> tuple[list[float], list[int]]:
    """The seconds each Enter took until the window was ready for the next one, and the longest
    the window's thread was held during each (ms, from a 5 ms heartbeat timer)."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

    from desktop.ui.app import create_main_window

    app = QApplication.instance() or QApplication([])

    def wait(condition, what: str, seconds: float = 120.0) -> None:
        deadline = time.perf_counter() + seconds
        while not condition():
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.001)

    window = create_main_window(path)
    wait(window.settled, "the window")
    window.findChild(QAction, "actionReviewEntities").trigger()
    review = window.findChild(QWidget, "entityReview")
    listing = review.findChild(QAbstractItemView, "suggestionList")
    wait(review.suggestions_ready, "the first suggestions")
    print(f"  suggestions offered: {listing.model().rowCount()}")
    listing.setFocus()
    if not listing.currentIndex().isValid() and listing.model().rowCount():
        listing.setCurrentIndex(listing.model().index(0, 0))
    clock, beats = QElapsedTimer(), []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: beats.append(clock.elapsed()))
    clock.start()
    heartbeat.start()
    times, stalls = [], []
    while len(times) < count and listing.model().rowCount():
        before = review.current_suggestion()
        started, beats[:] = time.perf_counter(), [clock.elapsed()]
        QTest.keyClick(listing, Qt.Key.Key_Return)
        wait(lambda: review.suggestions_ready() and review.counts_ready() and review.current_suggestion() != before,
             "the next suggestion")
        times.append(time.perf_counter() - started)
        beats.append(clock.elapsed())
        stalls.append(max(b - a for a, b in zip(beats, beats[1:])))
    heartbeat.stop()
    window.close()
    app.processEvents()
    return times, stalls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--folders", nargs="+", default=["politics", "business"])
    args = parser.parse_args()
    if not BBC.is_dir():
        print(f"skipped: the BBC corpus is not at {BBC}")
        return 0
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as work:
        os.environ["DOSSIER_HOME"] = str(Path(work) / "home")
        library = Path(work) / "bbc.sqlite"
        built = build_library(library, args.folders)
        print(f"  library of BBC {', '.join(args.folders)} with entities built in {built:.0f} s")
        copy = Path(work) / "copy.sqlite"
        shutil.copy(library, copy)
        accepted, core_seconds = core_baseline(copy, args.count)
        times, stalls = window_review(library, args.count)
    if not times:
        print("no suggestions to review")
        return 1
    total = sum(times)
    per_core = core_seconds / max(accepted, 1)
    median = statistics.median(times)
    p95 = sorted(times)[max(int(len(times) * 0.95) - 1, 0)]
    left = BUDGET_SECONDS - total * 200 / len(times)
    print(f"window: {len(times)} suggestions accepted with Enter; per suggestion median {median * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, total {total:.1f} s")
    print(f"longest hold of the window's thread per suggestion: median {statistics.median(stalls)} ms, "
          f"max {max(stalls)} ms")
    print(f"baseline (core accept alone, {accepted} suggestions): {per_core * 1000:.0f} ms each; "
          f"window / core = {median / per_core:.2f}x (median)")
    print(f"of the 5 minutes for 200 suggestions, the window takes {total * 200 / len(times):.1f} s; "
          f"the person keeps {left:.0f} s ({left / 200:.2f} s to read each)  load now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
