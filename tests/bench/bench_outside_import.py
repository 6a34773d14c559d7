"""Benchmark: the window open while `dossier import` runs in another process, beside a baseline.

The window watches the library and shows what another process writes. This measures what
that costs the person at the window while a terminal import of a BBC folder (as users run
it, entities included) stores batch after batch:

- stall: the longest gap and the 99th percentile of a 10 ms heartbeat on the window's event
  loop during the import, against the same heartbeat with the window open and idle for the
  same time (baseline);
- lag: from the import command's exit to the window's total showing every article.

Run: `make bench` (or `.venv/bin/python tests/bench/bench_outside_import.py [--folder DIR]`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEFAULT_FOLDER = REPO.parent / "shared" / "corpora" / "bbc" / "tech"
DOSSIER = Path(sys.executable).with_name("dossier")


def heartbeat_gaps(app, seconds: float | None = None, *, until=None) -> list[float]:
    """Run the event loop with a 10 ms timer for ``seconds`` (or until ``until()``); the gaps in s."""
    from PySide6.QtCore import QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    end = time.perf_counter() + seconds if seconds is not None else None
    while (end is None or time.perf_counter() < end) and (until is None or not until()):
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    return sorted(gaps)


def p99(gaps: list[float]) -> float:
    return gaps[int(len(gaps) * 0.99)] if gaps else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()

    from desktop.ui.app import application, create_main_window

    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        library = Path(tmp) / "library.sqlite"
        subprocess.run([str(DOSSIER), "--library", str(library), "import", str(REPO / "seeds")],
                       check=True, capture_output=True)
        window = create_main_window(library)
        heartbeat_gaps(app, 2.0)  # the window settles
        started = time.perf_counter()
        command = subprocess.Popen([str(DOSSIER), "--library", str(library), "import", str(args.folder),
                                    "--json", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        busy = heartbeat_gaps(app, until=lambda: command.poll() is not None)
        seconds = time.perf_counter() - started
        ended = time.perf_counter()
        total = window.library.document_count()
        shown = heartbeat_gaps(app, 10.0, until=lambda: window.count_label.text().endswith(f"of {total:,} articles")
                               and window.model.rowCount() == total)
        lag = time.perf_counter() - ended
        idle = heartbeat_gaps(app, min(seconds, 30.0))
        window.close()

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"outside import of {args.folder} ({total - 5} articles) took {seconds:.1f} s; the window "
          f"showed all {total} articles {lag * 1000:.0f} ms after the command ended ({len(shown)} beats)")
    print(f"event-loop stall while importing: longest {busy[-1] * 1000:.0f} ms, p99 {p99(busy) * 1000:.0f} ms; "
          f"idle baseline: longest {idle[-1] * 1000:.0f} ms, p99 {p99(idle) * 1000:.0f} ms; "
          f"ratio of the longest {busy[-1] / max(idle[-1], 1e-3):.1f}x")


if __name__ == "__main__":
    main()
