"""Benchmark: what following an import in the import dialog costs the import itself.

Corpus: the 2,225 BBC articles of ../shared/corpora/bbc (one .txt each), imported
into a fresh library for every timing. In the same run:
- bare: ``import_paths`` with no progress callback, on the calling thread (baseline);
- dialog: ``ImportDialog.start`` in a main window over an empty library, timed from
  start to ``import_finished`` with the event loop running: the writer thread
  imports, the dialog polls the latest step every ``POLL_MS`` and refreshes the
  list as articles are committed;
Ratios are times against bare (1.00 = no overhead; the target for dialog is
≤ 1.05). The dialog's longest gap between two progress updates is reported too
(target ≤ 0.5 s), and the longest time the window did not answer (a 20 ms timer's
longest gap). Each timing is the best of 5, the two alternating.
Run: `make bench` (or `.venv/bin/python tests/bench/bench_import_dialog.py`).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DOSSIER_HOME"] = tempfile.mkdtemp(prefix="dossier-bench-home-")
BBC = REPO.parent / "shared" / "corpora" / "bbc"
RUNS = 5

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.entities.store import ExtractionReport  # noqa: E402
from desktop.core.ingest import import_paths  # noqa: E402
from desktop.core import workflows  # noqa: E402
from desktop.core.library import open_library  # noqa: E402
from desktop.ui import importing  # noqa: E402
from desktop.ui.app import application, create_main_window  # noqa: E402


def fresh_library() -> Path:
    return Path(tempfile.mkdtemp(prefix="dossier-bench-")) / "library.sqlite"


def bare() -> float:
    with open_library(fresh_library()) as library:
        started = time.perf_counter()
        import_paths(library, [BBC])
        return time.perf_counter() - started


def wait_for(signal) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    loop.exec()


def longest_gap(marks: list[float]) -> float:
    return max(b - a for a, b in zip(marks, marks[1:]))


def through_dialog() -> tuple[float, float, float]:
    """Seconds from Import to the report, the longest gap between progress updates, and the
    longest time the window's event loop did not answer a 20 ms timer."""
    window = create_main_window(fresh_library())
    dialog = importing.install(window).open_dialog()
    while not window.settled():
        window.queries.wait()
        QApplication.processEvents()
    updates: list[float] = []
    ticks: list[float] = []
    dialog.bar.valueChanged.connect(lambda _: updates.append(time.perf_counter()))
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    started = time.perf_counter()
    heartbeat.start()
    dialog.start([BBC])
    wait_for(dialog.import_finished)
    seconds = time.perf_counter() - started
    heartbeat.stop()
    while window.writer.active or not window.settled():
        window.writer.wait()
        QApplication.processEvents()
    window.close()
    return (seconds, longest_gap([started, *updates, started + seconds]),
            longest_gap([started, *ticks, started + seconds]))


def main() -> None:
    application()
    workflows.run_queue = lambda library, *, doc_ids=None, progress, cancel, **_: ExtractionReport(
        0, 0, "none", 0.0)
    bare_runs, dialog_runs = [], []
    for _ in range(RUNS):
        bare_runs.append(bare())
        dialog_runs.append(through_dialog())
    base = min(bare_runs)
    dialog = min(run[0] for run in dialog_runs)
    gap = max(run[1] for run in dialog_runs)
    stall = max(run[2] for run in dialog_runs)
    print(f"import of {BBC.name} ({RUNS} runs each, best):")
    print(f"  bare import_paths        {base:6.2f} s   1.00")
    print(f"  through the dialog       {dialog:6.2f} s   {dialog / base:4.2f}   longest gap between "
          f"progress updates {gap:.2f} s, longest event-loop stall {stall:.2f} s")


if __name__ == "__main__":
    main()
