"""One very long article imported with entities: wall time, CPU and the peak memory summed over
``dossier import`` and any workers it starts.

The article is the BBC corpus (``../shared/corpora/bbc``, every file, in path order) joined by
blank lines and repeated to ``--mb`` million characters (19 by default: a book or a whole report
pasted into one .txt file, just under the text format's 20 MB limit). Each run imports it into a
new library in its own process, sampled every 0.5 s (``MemorySampler`` of ``bench_entities``),
and prints what it stored, so runs of two versions can be compared article for article.

usage:
.venv/bin/python tests/bench/bench_long_article.py [--mb N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.bench_entities import CORPORA, MemorySampler  # noqa: E402


def long_text(chars: int) -> str:
    """The BBC corpus joined by blank lines, repeated and cut to ``chars`` characters."""
    files = sorted((CORPORA / "bbc").rglob("*.txt"))
    corpus = "\n\n".join(f.read_bytes().decode("utf-8", errors="replace").strip() for f in files)
    return ("\n\n".join([corpus] * (chars // len(corpus) + 1)))[:chars]


def import_once(article: Path, folder: Path) -> dict[str, float | int]:
    """``dossier import`` of ``article`` into a new library in ``folder``, sampled."""
    library = folder / "library.sqlite"
    dossier = Path(sys.executable).with_name("dossier")
    before, began = os.times(), time.perf_counter()
    process = subprocess.Popen([str(dossier), "--library", str(library), "import", str(article)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with MemorySampler(process.pid, interval=0.5) as sampler:
        process.wait()
    wall = time.perf_counter() - began
    _, err = process.communicate()
    assert process.returncode == 0, err
    after = os.times()
    with sqlite3.connect(library) as connection:
        mentions, words = connection.execute(
            "SELECT (SELECT count(*) FROM mentions), (SELECT sum(word_count) FROM documents)").fetchone()
    return {"wall": wall, "cpu": sum(after[2:4]) - sum(before[2:4]), "rss": sampler.peak_rss,
            "pss": sampler.peak_pss, "processes": sampler.peak_processes, "mentions": mentions, "words": words}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=19.0, help="millions of characters (default 19)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        article = Path(temp) / "long.txt"
        article.write_text(long_text(int(args.mb * 1_000_000)), encoding="utf-8")
        print(f"{article.stat().st_size:,} bytes; load {os.getloadavg()[0]:.1f}")
        runs = []
        for run in range(args.runs):
            folder = Path(temp) / f"run{run}"
            folder.mkdir()
            result = import_once(article, folder)
            runs.append(result)
            print(f"  run {run + 1}: wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s, peak "
                  f"{result['rss']:.0f} MiB RSS / {result['pss']:.0f} MiB PSS summed over "
                  f"{result['processes']} processes; {result['mentions']} mentions, {result['words']} words; "
                  f"load {os.getloadavg()[0]:.1f}")
        print(f"median: wall {statistics.median(r['wall'] for r in runs):.1f} s, peak "
              f"{statistics.median(r['rss'] for r in runs):.0f} MiB RSS")


if __name__ == "__main__":
    main()
