"""Entity extraction throughput against the fastest bare spaCy, peak memory, and 100k articles
imported with entities (extrapolated from a 10k run).

1. Throughput, on the same texts, rounds alternating the order of the runs:
   - baseline: bare ``nlp.pipe`` in one process over a pipeline that holds ``ner`` only
     (``spacy.load(pkg, exclude=[every other component])``, ``tok2vec`` dropped), at
     batch sizes 16 and 64 — the faster of the two is the baseline;
   - spaCy's own ``nlp.pipe(n_process=2)`` over the same pipeline (bare, for the choice of design);
   - ``run_queue`` in one process (``workers=0``), with its worker pool (one per core), and as a
     command runs it by default (one worker fewer, its own process reading batches too):
     Dossier's whole extraction — preparation, ``ner``, post-processing, rules, normalised
     values and the SQLite writes of every batch — over the texts stored in a fresh library.
   Tuned on BBC (every 4th file); measured again on held-out Reuters-21578 stories.
2. Peak memory: the resident set (and the proportional set, which counts shared pages once)
   summed over this process and its worker processes, sampled every 0.2 s during one more,
   untimed, run of each ``run_queue`` setting (reading ``/proc`` costs CPU that, with autogroup
   scheduling, the timed processes would lose).
3. An import of 10,000 article files (BBC and Reuters texts, each file distinct) with
   entities, as ``dossier import`` runs it; the 100,000 figure is that wall time times ten
   (an extrapolation: the work per article does not grow with the library).

Wall times on a loaded machine mostly measure the load; CPU seconds (this process and its
children) are printed beside them, and where ``run_queue``'s own process spent its time
(``ExtractionReport.stages``). With the kernel's autogroup scheduling (Linux's default for
desktops, on here) the processes of one session share one session's slice of the CPU: on
a machine busy with other sessions, worker processes then cannot run faster than one
process did, whatever the design. So the benchmark also prints the session's share of the
cores during the baseline, and a projection for idle cores from CPU seconds: the
baseline's CPU seconds over (all of the run's CPU seconds / cores), labelled as such.
usage:
.venv/bin/python tests/bench/bench_entities.py [--rounds R] [--articles N] [--skip-import | --only-import]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core.entities import extraction_queue as queue  # noqa: E402
from desktop.core.entities.normalise import date_value  # noqa: E402
from desktop.core.entities.pipeline import model_setting  # noqa: E402
from desktop.core.library import Library, now_iso, open_library  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
NER_ONLY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


# --- memory ----------------------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (read from the kernel's ``children`` lists)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.scandir(f"/proc/{current}/task"):
                with open(f"{task.path}/children", encoding="ascii") as fh:
                    todo.extend(int(child) for child in fh.read().split())
        except OSError:
            continue
    return found


def _memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of process ``pid`` in MiB; zeros when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            fields = {line.split(":")[0]: line.split()[1] for line in fh if ":" in line}
        return int(fields.get("Rss", 0)) / 1024, int(fields.get("Pss", 0)) / 1024
    except (OSError, ValueError):
        return 0.0, 0.0


class MemorySampler:
    """Samples the summed RSS and PSS of process ``root`` (default: this one) and its descendants
    until stopped."""

    def __init__(self, root: int | None = None, interval: float = 0.2) -> None:
        self.root = root or os.getpid()
        self.interval = interval
        self.peak_rss = self.peak_pss = 0.0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            pids = _descendants(self.root)
            sizes = [_memory_mb(pid) for pid in pids]
            self.peak_rss = max(self.peak_rss, sum(rss for rss, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(pss for _, pss in sizes))
            self.peak_processes = max(self.peak_processes, len(pids))


# --- texts -------------------------------------------------------------------------------------

def bbc_texts(step: int) -> list[str]:
    """Every ``step``-th BBC file (the tuning set), decoded leniently (one file is Latin-1)."""
    files = sorted((CORPORA / "bbc").rglob("*.txt"))[::step]
    return [f.read_bytes().decode("utf-8", errors="replace") for f in files]


def reuters_texts(tokens_like: list[str]) -> list[str]:
    """Reuters-21578 stories with a body, as many characters as ``tokens_like`` (the held-out set)."""
    wanted, texts = sum(map(len, tokens_like)), []
    with (CORPORA / "reuters21578.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            body = (record.get("text") or "").strip()
            if body:
                texts.append(f"{(record.get('title') or '').title()}\n\n{body}")
                wanted -= len(texts[-1])
                if wanted <= 0:
                    break
    return texts


def fill_library(folder: Path, texts: list[str]) -> Library:
    """A fresh library holding ``texts`` as articles, all queued for extraction."""
    library = open_library(folder / f"bench-{time.monotonic_ns()}.sqlite")
    with library.db.atomic():
        for n, text in enumerate(texts):
            library.db.execute(
                "INSERT INTO documents (title, text, sha256, imported_at) VALUES (?, ?, ?, ?)",
                [text.split("\n", 1)[0], text, f"bench-{n}", now_iso()],
            )
    queue.enqueue_unread(library.db)
    return library


# --- runs --------------------------------------------------------------------------------------

def ner_only():
    """The baseline's pipeline: ``ner`` alone, as a competent engineer would load it."""
    import spacy

    nlp = spacy.load(model_setting(), exclude=NER_ONLY_EXCLUDE)
    assert nlp.pipe_names == ["ner"], nlp.pipe_names
    return nlp


def autogroup_note() -> str:
    """Whether the kernel shares the CPU between sessions (autogroup) rather than processes."""
    try:
        enabled = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return "autogroup scheduling: unknown"
    return ("autogroup scheduling ON: this session's processes share one session's slice of the CPU"
            if enabled else "autogroup scheduling off: the CPU is shared between processes")


class Timed:
    """Wall and CPU seconds (this process and the children it waited for) of each run, by name,
    and the stages ``run_queue`` reported."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}
        self.stages: dict[str, dict[str, float]] = {}

    def run(self, name: str, prepare: Callable[[], Callable[[], object]]) -> None:
        """Time the work ``prepare()`` returns (the preparation is not timed)."""
        work = prepare()
        before, began = os.times(), time.perf_counter()
        result = work()
        wall, after = time.perf_counter() - began, os.times()
        own, children = sum(after[:2]) - sum(before[:2]), sum(after[2:4]) - sum(before[2:4])
        self.wall.setdefault(name, []).append(wall)
        self.cpu.setdefault(name, []).append(own + children)
        stages = getattr(result, "stages", None)
        line = (f"  {name:<28} {wall:7.1f} s wall  {own + children:7.1f} s CPU ({children:.1f} in workers, "
                f"{(own + children) / wall:.2f} cores)  load {os.getloadavg()[0]:.1f}")
        if stages:
            if wall <= min(self.wall[name]):
                self.stages[name] = stages
            line += "\n      this process: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items())
        print(line, flush=True)

    def best(self, name: str) -> float:
        return min(self.wall[name])


def throughput(texts: list[str], *, rounds: int, label: str, folder: Path) -> dict[str, float]:
    """Time every run over ``texts``; print and return the ratios to the baseline."""
    nlp = ner_only()
    list(nlp.pipe(texts[:20]))  # warm
    tokens = sum(len(nlp.tokenizer(text)) for text in texts)
    workers = queue.usable_cores()

    def bare(batch: int) -> Callable[[], Callable[[], object]]:
        return lambda: lambda: sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=batch))

    def spacy_processes() -> Callable[[], object]:
        return lambda: sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64, n_process=workers))

    def ours(n: int | None) -> Callable[[], Callable[[], object]]:
        def prepare() -> Callable[[], object]:
            library = fill_library(folder, texts)

            def work() -> object:
                try:
                    return queue.run_queue(library, workers=n)
                finally:
                    library.close()
            return work
        return prepare

    runs: list[tuple[str, Callable[[], Callable[[], object]]]] = [
        ("bare nlp.pipe batch 16", bare(16)), ("bare nlp.pipe batch 64", bare(64)),
        (f"spaCy n_process={workers}", spacy_processes),
        ("run_queue, 1 process", ours(0)), (f"run_queue, {workers} workers", ours(workers)),
        # the default of a command: one worker fewer, this process reading batches too
        (f"run_queue default, {workers - 1} workers + this process", ours(None)),
    ]
    timed = Timed()
    print(f"{label}: {len(texts)} texts, {tokens} tokens, {workers} usable cores")
    for n in range(rounds):
        for name, work in (runs if n % 2 == 0 else runs[::-1]):
            timed.run(name, work)
    memory = {}  # sampled in a run of its own: reading /proc while timing costs the timed session CPU
    for name, work in runs:
        if name.startswith("run_queue"):
            with MemorySampler() as sampler:
                work()()
            memory[name] = (sampler.peak_rss, sampler.peak_pss, sampler.peak_processes)
    baseline_name = min(("bare nlp.pipe batch 16", "bare nlp.pipe batch 64"), key=timed.best)
    baseline = timed.best(baseline_name)
    baseline_cpu = min(timed.cpu[baseline_name])
    print(f"{label} results (best of {rounds}; baseline = {baseline_name}, "
          f"{tokens / baseline:,.0f} tokens/s; this session got "
          f"{baseline_cpu / baseline:.2f} of the {workers} cores during it; {autogroup_note()}):")
    ratios = {}
    for name, _ in runs:
        ratios[name] = baseline / timed.best(name)
        cpu = min(timed.cpu[name])
        parallel = "workers" in name or "n_process" in name
        projected = baseline_cpu / (cpu / workers if parallel else cpu)  # an upper bound for parallel runs
        print(f"  {name:<28} {timed.best(name):7.1f} s  {tokens / timed.best(name):8,.0f} tokens/s  "
              f"x{ratios[name]:.2f} of the baseline  (CPU {cpu:.1f} s, x{baseline_cpu / cpu:.2f} of the "
              f"baseline's; on {workers} idle cores, from CPU seconds, {'at best ' if parallel else ''}"
              f"x{projected:.2f}; median wall "
              f"{statistics.median(timed.wall[name]):.1f} s)")
    for name, stages in timed.stages.items():
        print(f"  {name}, where its own process spent the best run: "
              + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items()))
    for name, (rss, pss, processes) in memory.items():
        print(f"  peak memory, {name} (an untimed run): {rss:.0f} MiB RSS / {pss:.0f} MiB PSS summed over "
              f"{processes} processes (this one holds the baseline's pipeline too)")
    return ratios


def import_with_entities(count: int, folder: Path) -> None:
    """``dossier import`` of ``count`` distinct article files, with entities, in its own process;
    the memory sampled is that process's and its workers'. Extrapolates to 100,000."""
    import sqlite3
    import subprocess

    from tests.bench.corpus100k import corpus_texts

    corpus = corpus_texts()
    files = folder / "articles"
    files.mkdir()
    for n in range(count):
        text = corpus[(n * 7919) % len(corpus)]  # a spread over BBC and Reuters, in a fixed order
        (files / f"{n:06d}.txt").write_text(f"{text.title}\n\n{text.body}\n\nFile {n}.\n", encoding="utf-8")
    path = folder / "import.sqlite"
    dossier = Path(sys.executable).with_name("dossier")
    before, began = os.times(), time.perf_counter()
    process = subprocess.Popen([str(dossier), "--library", str(path), "import", str(files)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reading = None
    with MemorySampler(process.pid, interval=1.0) as sampler:
        while process.poll() is None:
            if reading is None and _queued(path):
                reading = time.perf_counter() - began
            time.sleep(0.2)
    total = time.perf_counter() - began
    out, err = process.communicate()
    assert process.returncode == 0, err
    after, cores = os.times(), queue.usable_cores()
    cpu = sum(after[2:4]) - sum(before[2:4])  # the import and the workers it waited for
    with sqlite3.connect(path) as connection:
        mentions, extracted = connection.execute(
            "SELECT (SELECT count(*) FROM mentions), (SELECT count(*) FROM entity_extractions)").fetchone()
    reading = reading or total
    print(f"dossier import with entities: {out.strip()}; entities of {extracted} articles, {mentions} mentions")
    print(f"  wall {total:.0f} s (reading files {reading:.0f} s, entities {total - reading:.0f} s), "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"  100,000 articles, extrapolated from this {count:,}-article run (x{100_000 / count:g}): "
          f"{total * 100_000 / count / 60:.1f} min (target <= 15 min on a quiet 2-core machine)")
    print(f"  CPU {cpu:.0f} s ({cpu / total:.2f} of the {cores} cores); on {cores} idle cores at best "
          f"{cpu / cores:.0f} s, so 100,000 articles at best {cpu / cores * 100_000 / count / 60:.1f} min "
          "(a projection from CPU seconds, not a measurement)")
    print(f"  peak memory of the import: {sampler.peak_rss:.0f} MiB RSS / {sampler.peak_pss:.0f} MiB PSS "
          f"summed over {sampler.peak_processes} processes (target <= 600 MB)")


def _queued(path: Path) -> bool:
    """Whether the import has queued its articles for extraction (its reading phase is over)."""
    import sqlite3

    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT 1 FROM extraction_queue LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=4, help="take every STEP-th BBC file (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every run (default 2)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles of the import run")
    parser.add_argument("--skip-import", action="store_true", help="only the throughput runs")
    parser.add_argument("--only-import", action="store_true", help="only the import run")
    args = parser.parse_args()
    date_value("March 2005")  # a one-time load, before timing
    print(f"load before: {os.getloadavg()}; {autogroup_note()}")
    tuning = bbc_texts(args.step)
    with tempfile.TemporaryDirectory() as folder:
        if not args.only_import:
            ratios = throughput(tuning, rounds=args.rounds, label="BBC (tuning set)", folder=Path(folder))
            held = throughput(reuters_texts(tuning), rounds=args.rounds, label="Reuters (held out)",
                              folder=Path(folder))
            cores = queue.usable_cores()
            for name in (f"run_queue, {cores} workers", f"run_queue default, {cores - 1} workers + this process"):
                print(f"throughput ratio ({name} / fastest bare single process): BBC {ratios[name]:.2f}, "
                      f"Reuters {held[name]:.2f}  (target >= 1.6 on 2 cores)")
        if not args.skip_import:
            import_with_entities(args.articles, Path(folder))
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
