"""Benchmark: fault injection against the `dossier` command, counting trials, failures and rows lost.

Four faults a laptop meets, each run as real `dossier` processes on 2 busy cores:

- kill: `dossier import` of a folder of small articles is killed with SIGKILL at a random
  moment (seeded): one trial in four anywhere in its run, the others between its first and
  its last batch (timed on a clean import first); then `dossier check` must pass, the library must open, every
  stored article must be whole (title and text equal to a clean import of its file), and
  `dossier import --resume RUN` (or the import again, when no run was recorded yet) stores
  the rest. Rows lost: files never stored after the resume.
- two writers: an import runs while another process runs `dossier tag` / `dossier annotate`
  one after the other; failed commands and writes missing afterwards are failures.
- damaged: copies of a library with bytes flipped in b-tree pages (seeded) are hit by
  `dossier tag`; a copy whose sha256 changed was written to.
- full disk: an import meets a disk that fills up (``DOSSIER_TEST_MAX_PAGE_COUNT``, the
  test hook that caps the writer's pages), then is resumed. Rows lost: files never stored.

A trial fails when anything above does not hold; its reason is printed under the line.

Run: `make bench` (or `.venv/bin/python tests/bench/bench_faults.py [--trials N] [--seed S]`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

DOSSIER = str(Path(sys.executable).with_name("dossier"))
COMMAND_TIMEOUT = 300
KILL_FILES = 6000  # several one-second batches on 2 busy cores
WRITER_FILES = 8000  # an import of several seconds, for the commands to meet
WRITER_COMMANDS = 12
DISK_FILES = 60


@dataclass
class Tally:
    """What one scenario found over its trials."""

    name: str
    trials: int = 0
    failures: int = 0
    rows_lost: int = 0
    reasons: list[str] = field(default_factory=list)
    extra: str = ""
    seconds: float = 0.0

    def trial(self, problems: list[str], *, lost: int = 0) -> None:
        self.trials += 1
        self.rows_lost += lost
        if problems or lost:
            self.failures += 1
            self.reasons.append(f"trial {self.trials}: " + "; ".join(problems or [f"{lost} rows lost"]))

    def line(self) -> str:
        extra = f", {self.extra}" if self.extra else ""
        return (f"{self.name:<12} {self.trials:>3} trials, {self.failures} failures, "
                f"{self.rows_lost} rows lost{extra}  ({self.seconds:.0f} s)")


def dossier(library: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``dossier --library LIBRARY ARGS`` to its end."""
    try:
        return subprocess.run([DOSSIER, "--library", str(library), *args], capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT, env=env)
    except subprocess.TimeoutExpired as err:
        return subprocess.CompletedProcess(err.cmd, 124, "", f"timed out after {COMMAND_TIMEOUT} s")


def first_line(result: subprocess.CompletedProcess) -> str:
    return (result.stderr.strip().splitlines() or ["(no message)"])[0]


def read(library: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of ``sql`` read from ``library`` without writing to it."""
    conn = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def article_folder(folder: Path, count: int, *, words: int = 0) -> Path:
    """``count`` distinct articles as .txt files (``words`` extra words make them larger)."""
    folder.mkdir()
    for n in range(count):
        body = f"Joint laboratory number {n} opens in Tomsk with {n * 7} researchers."
        (folder / f"a{n:05d}.txt").write_text(f"Laboratory {n} opens\n\n{body}" + f" word{n}" * words,
                                              encoding="utf-8")
    return folder


def seed_article(work: Path) -> Path:
    """The one article a library starts with (article 1: the one tagged and highlighted)."""
    seed = work / "seed.txt"
    if not seed.exists():
        seed.write_text("Seed\n\nThe article the other writer tags and highlights.", encoding="utf-8")
    return seed


def stored_articles(library: Path) -> dict[str, tuple[str, str]]:
    """Path → (title, text) of every article in ``library``."""
    return {path: (title, text) for path, title, text in read(library, "SELECT path, title, text FROM documents")}


def unfinished_run(library: Path) -> int | None:
    rows = read(library, "SELECT id FROM import_runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1")
    return rows[0][0] if rows else None


def finish_import(library: Path, folder: Path, problems: list[str]) -> None:
    """Resume the library's unfinished import run, or import ``folder`` again when there is none."""
    run = unfinished_run(library) if library.exists() else None
    if run is not None:
        done = dossier(library, "import", "--no-entities", "-q", "--resume", str(run))
    else:
        done = dossier(library, "import", "--no-entities", "-q", str(folder))
    if done.returncode != 0:
        problems.append(f"resume: {first_line(done)}")


def stored_once(library: Path, files: int, problems: list[str]) -> int:
    """How many of ``files`` files were never stored (rows lost); stored twice is a problem."""
    if not library.exists():
        return files
    total, distinct = read(library, "SELECT count(*), count(DISTINCT path) FROM documents")[0]
    if total != distinct:
        problems.append(f"{total - distinct} articles stored twice")
    return files - distinct


def kill_trial(library: Path, folder: Path, reference: dict[str, tuple[str, str]], delay: float,
               problems: list[str]) -> tuple[int, int]:
    """Kill an import ``delay`` seconds in, check what it left, resume; returns (articles
    stored when it was killed, rows lost)."""
    importing = subprocess.Popen(
        [DOSSIER, "--library", str(library), "import", "--no-entities", "-q", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(importing.pid, signal.SIGKILL)  # the command and any parser worker it started
    importing.wait()
    if library.exists():
        checked = dossier(library, "check")
        if checked.returncode != 0:
            problems.append(f"check after the kill: {checked.stdout.strip() or first_line(checked)}")
        try:
            from desktop.core.library import open_library

            open_library(library).close()
        except Exception as err:  # noqa: BLE001 — what the trial counts
            problems.append(f"does not open: {err}")
        torn = [path for path, article in stored_articles(library).items() if reference.get(path) != article]
        if torn:
            problems.append(f"{len(torn)} articles not whole, e.g. {torn[0]}")
    at_kill = read(library, "SELECT count(*) FROM documents")[0][0] if library.exists() else 0
    finish_import(library, folder, problems)
    return at_kill, stored_once(library, len(reference), problems)


def count_if_ready(library: Path, sql: str) -> int:
    """The number ``sql`` counts in ``library``, or 0 while the file is still being created."""
    try:
        return read(library, sql)[0][0] if library.exists() else 0
    except sqlite3.Error:
        return 0


def watched_import(library: Path, folder: Path, files: int) -> tuple[float, float, float]:
    """A clean import of ``folder``; returns the seconds to its first batch, to its last
    batch, and to its end."""
    started = time.perf_counter()
    importing = subprocess.Popen([DOSSIER, "--library", str(library), "import", "--no-entities", "-q", str(folder)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = last = None
    while importing.poll() is None:
        stored = count_if_ready(library, "SELECT count(*) FROM imports")
        now = time.perf_counter() - started
        first = now if first is None and stored else first
        last = now if last is None and stored == files else last
        time.sleep(0.01)
    end = time.perf_counter() - started
    if importing.returncode != 0:
        raise SystemExit("bench_faults: the clean import failed")
    return first or end, last or end, end


def bench_kill(work: Path, trials: int, rng: random.Random) -> Tally:
    """One kill in four at a moment of the whole run, three between its first and last batch."""
    tally = Tally("kill -9")
    folder = article_folder(work / "kill-articles", KILL_FILES)
    reference_library = work / "reference.sqlite"
    first, last, end = watched_import(reference_library, folder, KILL_FILES)
    reference = stored_articles(reference_library)
    stages = {"before": 0, "mid-way": 0, "after": 0}
    for n in range(trials):
        library = work / f"kill-{n}.sqlite"
        problems: list[str] = []
        delay = rng.uniform(0, end) if n % 4 == 0 else rng.uniform(first, last)
        at_kill, lost = kill_trial(library, folder, reference, delay, problems)
        stages["before" if at_kill == 0 else "after" if at_kill == KILL_FILES else "mid-way"] += 1
        tally.trial(problems, lost=lost)
    tally.extra = (f"{KILL_FILES} files; a clean import stores its first batch at {first:.1f} s, its last at "
                   f"{last:.1f} s, ends at {end:.1f} s; killed {stages['before']} before the first batch, "
                   f"{stages['mid-way']} mid-way, {stages['after']} after the last")
    return tally


def writer_trial(library: Path, folder: Path, trial: int, problems: list[str]) -> tuple[int, int]:
    """Import ``folder`` while two loops of tag/annotate commands run beside it; returns
    (rows lost, commands started while the import ran)."""
    importing = subprocess.Popen(
        [DOSSIER, "--library", str(library), "import", "--no-entities", "-q", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    tags = {f"t{trial}-{n}" for n in range(0, WRITER_COMMANDS, 2)}
    notes = {f"n{trial}-{n}" for n in range(1, WRITER_COMMANDS, 2)}

    def write(n: int) -> tuple[bool, subprocess.CompletedProcess]:
        during = importing.poll() is None
        if n % 2:
            return during, dossier(library, "annotate", "1", "--start", "0", "--end", "4", "--note", f"n{trial}-{n}")
        return during, dossier(library, "tag", "1", "--add", f"t{trial}-{n}")

    with ThreadPoolExecutor(max_workers=2) as loops:
        done = list(loops.map(write, range(WRITER_COMMANDS)))
    for _, result in done:
        if result.returncode != 0:
            problems.append(f"{result.args[3]} failed: {first_line(result)}")
    _, err = importing.communicate(timeout=COMMAND_TIMEOUT)
    if importing.returncode != 0:
        problems.append(f"import failed: {(err.strip().splitlines() or ['(no message)'])[0]}")
    stored_tags = {name for (name,) in read(library, "SELECT t.name FROM tags t JOIN document_tags d "
                                                     "ON d.tag_id = t.id WHERE d.document_id = 1")}
    stored_notes = {note for (note,) in read(library, "SELECT note FROM annotations WHERE document_id = 1")}
    missing = len(tags - stored_tags) + len(notes - stored_notes)
    if missing:
        problems.append(f"{missing} tag/annotate writes missing")
    paths = {path for (path,) in read(library, "SELECT path FROM documents")}
    return sum(str(p) not in paths for p in folder.iterdir()), sum(during for during, _ in done)


def bench_writers(work: Path, trials: int) -> Tally:
    tally = Tally("two writers")
    folder = article_folder(work / "writer-articles", WRITER_FILES)
    seed = seed_article(work)
    overlapped = 0
    for n in range(trials):
        library = work / f"writers-{n}.sqlite"
        problems: list[str] = []
        first = dossier(library, "import", "--no-entities", "-q", str(seed))
        if first.returncode != 0:
            raise SystemExit(f"bench_faults: seeding a library failed: {first_line(first)}")
        lost, during = writer_trial(library, folder, n, problems)
        overlapped += during
        tally.trial(problems, lost=lost)
    tally.extra = (f"import of {WRITER_FILES} files beside {WRITER_COMMANDS} tag/annotate commands a trial "
                   f"in two loops ({overlapped} of {WRITER_COMMANDS * trials} started while the import ran)")
    return tally


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bench_damaged(work: Path, trials: int) -> Tally:
    from tests.core.test_damage import DAMAGE, build_library, flip_page_bytes

    tally = Tally("damaged")
    healthy = build_library(work / "healthy.sqlite")
    btrees = list(dict.fromkeys(btree for btree, _ in DAMAGE))
    written = 0
    for n in range(trials):
        folder = work / f"damaged-{n}"
        folder.mkdir()
        library = folder / "library.sqlite"
        shutil.copy(healthy, library)
        flip_page_bytes(library, btree=btrees[n % len(btrees)], seed=n + 1)
        before = sha256(library)
        done = dossier(library, "tag", "1", "--add", "written")
        problems = []
        if sha256(library) != before:
            written += 1
            problems.append(f"written to ({btrees[n % len(btrees)]}, seed {n + 1}): exit {done.returncode}")
        elif done.returncode != 1 or "is damaged" not in done.stderr:
            problems.append(f"not refused as damaged: exit {done.returncode}, {first_line(done)}")
        tally.trial(problems)
    tally.extra = f"{written} written to (sha256 changed), b-trees {', '.join(btrees)}"
    return tally


def pages_to_import(work: Path, folder: Path) -> tuple[Path, int]:
    """A library holding only the seed article, and the pages that importing ``folder`` adds to it."""
    seeded = work / "disk-seeded.sqlite"
    first = dossier(seeded, "import", "--no-entities", "-q", str(seed_article(work)))
    if first.returncode != 0:
        raise SystemExit(f"bench_faults: creating a library failed: {first_line(first)}")
    measured = work / "disk-measured.sqlite"
    shutil.copy(seeded, measured)
    before = read(measured, "PRAGMA page_count")[0][0]
    if dossier(measured, "import", "--no-entities", "-q", str(folder)).returncode != 0:
        raise SystemExit("bench_faults: the import without a full disk failed")
    return seeded, read(measured, "PRAGMA page_count")[0][0] - before


def bench_full_disk(work: Path, trials: int, rng: random.Random) -> Tally:
    from desktop.cli_library import MAX_PAGES_VARIABLE

    tally = Tally("full disk")
    folder = article_folder(work / "disk-articles", DISK_FILES, words=1500)
    seeded, needed = pages_to_import(work, folder)
    full = 0
    for n in range(trials):
        library = work / f"disk-{n}.sqlite"
        shutil.copy(seeded, library)
        problems: list[str] = []
        room = rng.randint(needed // 10, needed * 9 // 10)
        limited = {**os.environ, MAX_PAGES_VARIABLE: str(read(library, "PRAGMA page_count")[0][0] + room)}
        filled = dossier(library, "import", "--no-entities", "-q", str(folder), env=limited)
        if filled.returncode == 0:
            problems.append("the import fitted on the disk: no fault was met")
        elif "is full" not in filled.stderr:
            problems.append(f"not named a full disk: {first_line(filled)}")
        else:
            full += 1
        checked = dossier(library, "check")
        if checked.returncode != 0:
            problems.append(f"check after the full disk: {checked.stdout.strip() or first_line(checked)}")
        finish_import(library, folder, problems)
        lost = stored_once(library, DISK_FILES + 1, problems)
        tally.trial(problems, lost=lost)
    tally.extra = (f"{full} imports stopped by the full disk ({DISK_FILES} articles of 10 KB, "
                   f"room for 10-90 % of their {needed} pages)")
    return tally


def timed(run: Callable[[], Tally]) -> Tally:
    started = time.perf_counter()
    tally = run()
    tally.seconds = time.perf_counter() - started
    print(tally.line(), flush=True)
    for reason in tally.reasons:
        print(f"    {reason}", flush=True)
    return tally


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20,
                        help="kill trials (default 20); the other faults run a quarter as many, at least 3")
    parser.add_argument("--seed", type=int, default=11, help="seed of the kill moments and disk sizes")
    args = parser.parse_args()
    others = max(3, args.trials // 4)
    rng = random.Random(args.seed)
    print(f"bench_faults: {os.cpu_count()} cores, load average {load()}, --trials {args.trials} "
          f"--seed {args.seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="dossier-faults-") as tmp:
        work = Path(tmp)
        os.environ["DOSSIER_HOME"] = str(work / "home")
        tallies = [
            timed(lambda: bench_kill(work, args.trials, rng)),
            timed(lambda: bench_writers(work, others)),
            timed(lambda: bench_damaged(work, 2 * others)),
            timed(lambda: bench_full_disk(work, others, rng)),
        ]
    print(f"bench_faults: load average at the end {load()}; "
          f"{sum(t.failures for t in tallies)} failures, {sum(t.rows_lost for t in tallies)} rows lost")


if __name__ == "__main__":
    main()
