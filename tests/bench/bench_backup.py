"""Benchmark: what backups and damage checks cost at 100,000 articles, beside a file copy.

Library: ``corpus100k.ensure_library`` (built once, cached outside the repository).
Measured on a copy of it in a temporary folder, each figure beside the baseline of
copying the same file with ``shutil.copyfile`` in the same run:

- a backup (``backup_before``: SQLite's online backup API into ``backups/``)
- the daily backup (``backup_daily``: the backup plus ``quick_check`` of the copy)
- a write session's check (``open_library`` + ``require_writable``): the first of the
  day reads the file (``quick_check``); the next, on a file as the last checked
  session left it, does not
- ``PRAGMA quick_check`` and the full ``check_library`` (integrity_check, FTS5
  integrity-check, orphans)

Run: `make bench` (or `.venv/bin/python tests/bench/bench_backup.py [--articles N]`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core.backups import backup_before, backup_daily, backups_folder  # noqa: E402
from desktop.core.check import MEMORY_FILE, check_library, quick_check  # noqa: E402
from desktop.core.library import open_library, require_writable  # noqa: E402
from desktop.core.paths import data_dir  # noqa: E402
from tests.bench.corpus100k import ensure_library  # noqa: E402

RUNS = 3


def timed(step: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of ``step`` in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    source = ensure_library(args.articles)
    with tempfile.TemporaryDirectory(prefix="dossier-bench-backup-") as folder:
        os.environ["DOSSIER_HOME"] = str(Path(folder) / "home")
        path = Path(folder) / "library.sqlite"
        shutil.copyfile(source, path)
        size_mb = path.stat().st_size / 2**20
        print(f"library: {args.articles:,} articles, {size_mb:.0f} MB ({path})")
        copy = timed(lambda: shutil.copyfile(path, Path(folder) / "copy.sqlite"))
        os.remove(Path(folder) / "copy.sqlite")
        print(f"{'baseline file copy:':<34} {copy:6.2f} s")

        def session_check(*, forget: bool) -> None:
            if forget:
                (data_dir() / MEMORY_FILE).unlink(missing_ok=True)
            with open_library(path) as lib:
                require_writable(lib)

        def fresh_backups() -> None:
            shutil.rmtree(backups_folder(path), ignore_errors=True)

        with open_library(path) as lib:
            rows = [
                ("backup (online backup API)", lambda: backup_before(lib, "bench")),
                ("daily backup (+ quick_check)", lambda: (fresh_backups(), backup_daily(lib))),
                ("write session, first of the day", lambda: session_check(forget=True)),
                ("write session, file unchanged", lambda: session_check(forget=False)),
                ("PRAGMA quick_check", lambda: quick_check(lib.db.conn)),
                ("dossier check (full)", lambda: check_library(lib)),
            ]
            for name, step in rows:
                seconds = timed(step, runs=1 if name.startswith("dossier check") else RUNS)
                print(f"{name + ':':<34} {seconds:6.2f} s  ({seconds / copy:4.1f}× the file copy)")


if __name__ == "__main__":
    main()
