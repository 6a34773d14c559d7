"""Entity extraction throughput against bare spaCy, and peak memory.

Both runs use the same BBC texts in the same process, alternating batch by batch: bare
``nlp.pipe`` over the NER-only pipeline, and ``extract_entities`` (preparation,
post-processing, rules, normalised values and the SQLite writes) on the same articles
stored in a fresh library. Prints tokens per second of each and their ratio (target
>= 0.8), and the peak resident memory.

usage: .venv/bin/python tests/bench/bench_entities.py [--files N] [--batch B]
(default: every 4th file of the 2,225, i.e. 557 files over the five topics)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core.entities.normalise import date_value  # noqa: E402
from desktop.core.entities.pipeline import PIPE_BATCH, load_pipeline  # noqa: E402
from desktop.core.entities.store import DEFAULT_BATCH, extract_entities  # noqa: E402
from desktop.core.library import Library, now_iso, open_library  # noqa: E402

BBC = REPO.parent / "shared" / "corpora" / "bbc"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_texts(step: int, limit: int | None) -> list[str]:
    """BBC articles (every ``step``-th file), decoded leniently (one file is Latin-1)."""
    files = sorted(BBC.rglob("*.txt"))[::step]
    return [f.read_bytes().decode("utf-8", errors="replace") for f in files[:limit]]


def fill_library(folder: Path, texts: list[str]) -> Library:
    """A fresh library holding ``texts`` as articles, in order."""
    library = open_library(folder / "bench.sqlite")
    with library.db.atomic():
        for n, text in enumerate(texts):
            library.db.execute(
                "INSERT INTO documents (title, text, sha256, imported_at) VALUES (?, ?, ?, ?)",
                [text.split("\n", 1)[0], text, f"bench-{n}", now_iso()],
            )
    return library


def interleaved(library: Library, texts: list[str], batch: int) -> tuple[float, float, int, int]:
    """Seconds of bare ``nlp.pipe`` and of ``extract_entities`` over the same articles,
    alternating batch by batch (and which goes first) so that load from other processes
    and warm caches favour neither; also the tokens and the mentions stored."""
    nlp = load_pipeline()
    doc_ids = [row[0] for row in library.db.conn.execute("SELECT id FROM documents ORDER BY id")]
    seconds = {"bare": 0.0, "ours": 0.0}
    counts = {"bare": 0, "ours": 0}

    def run(kind: str, start: int) -> None:
        began = time.perf_counter()
        if kind == "bare":
            docs = nlp.pipe(texts[start:start + batch], batch_size=PIPE_BATCH)
            counts[kind] += sum(len(doc) for doc in docs)
        else:
            ids = doc_ids[start:start + batch]
            counts[kind] += extract_entities(library, doc_ids=ids, batch_size=batch).mentions
        seconds[kind] += time.perf_counter() - began

    for n, start in enumerate(range(0, len(texts), batch)):
        for kind in ("bare", "ours") if n % 2 == 0 else ("ours", "bare"):
            run(kind, start)
    return seconds["bare"], seconds["ours"], counts["bare"], counts["ours"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=4, help="take every STEP-th file (default 4)")
    parser.add_argument("--files", type=int, default=None, help="at most this many files")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="articles per commit")
    args = parser.parse_args()
    texts = read_texts(args.step, args.files)
    load_pipeline()(texts[0])
    date_value("March 2005")  # both one-time loads happen before timing
    loaded = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        library = fill_library(Path(folder), texts)
        bare_s, ours_s, tokens, mentions = interleaved(library, texts, args.batch)
        library.close()
    print(f"BBC files: {len(texts)} (every {args.step}th), {tokens} tokens, "
          f"{args.batch} articles per commit, nlp.pipe batch {PIPE_BATCH}")
    print(f"bare nlp.pipe:       {bare_s:7.1f} s  {tokens / bare_s:8.0f} tokens/s")
    print(f"extract_entities:    {ours_s:7.1f} s  {tokens / ours_s:8.0f} tokens/s  ({mentions} mentions)")
    print(f"throughput ratio (extract_entities / bare): {bare_s / ours_s:.2f}  (target >= 0.8)")
    print(f"peak RSS: {peak_rss_mb():.0f} MiB (after loading the model: {loaded:.0f} MiB)")


if __name__ == "__main__":
    main()
