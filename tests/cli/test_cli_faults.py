"""Faults met through the `dossier` console script: a second writer, a killed import and its resume."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import DOSSIER

WRITER_MIN_ROUNDS = 40


def _article_folder(folder: Path, count: int) -> Path:
    """``count`` small distinct articles as text files."""
    folder.mkdir()
    for n in range(count):
        (folder / f"a{n:04d}.txt").write_text(
            f"Laboratory {n} opens\n\nJoint laboratory number {n} opens in Tomsk with {n * 7} researchers.",
            encoding="utf-8",
        )
    return folder


def _tag_and_annotate_until_stopped(library_path: str, running, stop, results) -> None:
    """Another writer: tag and highlight article 1 round after round until ``stop`` is set."""
    from desktop.core.annotations import create_annotation
    from desktop.core.library import open_library
    from desktop.core.tags import add_tag

    errors: list[str] = []
    rounds = 0
    with open_library(library_path) as library:
        while not stop.is_set() or rounds < WRITER_MIN_ROUNDS:
            try:
                add_tag(library.db, [1], f"t{rounds}")
                create_annotation(library.db, 1, 0, 4, note=f"n{rounds}")
            except Exception as err:  # noqa: BLE001 — every failure is what the test counts
                errors.append(repr(err))
            rounds += 1
            running.set()
    results.put((rounds, errors))


def _read(library_path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"{library_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_import_and_another_writer_both_finish_with_every_write_stored(tmp_path):
    library = tmp_path / "lib.sqlite"
    seed = tmp_path / "seed.txt"
    seed.write_text("Seed\n\nThe first article, tagged and highlighted by the other writer.", encoding="utf-8")
    subprocess.run([DOSSIER, "--library", str(library), "import", "--no-entities", str(seed)], check=True,
                   capture_output=True, timeout=60)
    folder = _article_folder(tmp_path / "articles", 300)
    context = multiprocessing.get_context("spawn")
    running, stop, results = context.Event(), context.Event(), context.Queue()
    writer = context.Process(target=_tag_and_annotate_until_stopped, args=(str(library), running, stop, results))
    writer.start()
    try:
        assert running.wait(timeout=60), "the other writer did not start"
        imported = subprocess.run(
            [DOSSIER, "--library", str(library), "import", "--no-entities", "--json", str(folder)],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        stop.set()
    rounds, errors = results.get(timeout=120)
    writer.join(timeout=30)

    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout) == {
        "imported": 300, "updated": 0, "unchanged": 0, "duplicates": 0, "failed": [], "missing": []}
    assert writer.exitcode == 0 and errors == []
    tags = {name for (name,) in _read(library, "SELECT t.name FROM tags t JOIN document_tags d ON d.tag_id = t.id")}
    notes = {note for (note,) in _read(library, "SELECT note FROM annotations")}
    assert tags == {f"t{n}" for n in range(rounds)}
    assert notes == {f"n{n}" for n in range(rounds)}
    assert _read(library, "SELECT count(*) FROM documents") == [(301,)]
    assert _read(library, "SELECT count(*) FROM import_runs WHERE finished_at IS NULL") == [(0,)]


def test_an_import_killed_mid_way_reads_interrupted_and_its_resume_imports_the_rest_once(tmp_path):
    from desktop.core.import_history import get_run
    from desktop.core.library import open_library

    library = tmp_path / "lib.sqlite"
    folder = _article_folder(tmp_path / "articles", 3000)
    importing = subprocess.Popen(
        [DOSSIER, "--library", str(library), "import", "--no-entities", "--json", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and importing.poll() is None:
        if library.exists() and _read_if_ready(library, "SELECT count(*) FROM imports"):
            break
        time.sleep(0.01)
    os.kill(importing.pid, signal.SIGKILL)
    importing.wait(timeout=30)
    stored = _read(library, "SELECT count(*) FROM imports")[0][0]
    assert 0 < stored < 3000, "the import was to be killed after its first batch and before its end"
    [(run_id,)] = _read(library, "SELECT id FROM import_runs")
    with open_library(library) as opened:
        assert get_run(opened.db, run_id).state == "interrupted"

    resumed = subprocess.run(
        [DOSSIER, "--library", str(library), "import", "--no-entities", "--json", "--resume", str(run_id)],
        capture_output=True, text=True, timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout) == {
        "imported": 3000 - stored, "updated": 0, "unchanged": 0, "duplicates": 0, "failed": [], "missing": []}
    assert _read(library, "SELECT count(*), count(DISTINCT path) FROM documents") == [(3000, 3000)]
    assert _read(library, "SELECT count(*), count(DISTINCT path) FROM imports WHERE run_id = ?".replace(
        "?", str(run_id))) == [(3000, 3000)]
    with open_library(library) as opened:
        run = get_run(opened.db, run_id)
    assert (run.state, run.imported, run.duplicates, run.failed) == ("finished", 3000, 0, 0)


def _read_if_ready(library_path: Path, sql: str) -> int:
    """The number ``sql`` counts, or 0 while the library is still being created."""
    try:
        return _read(library_path, sql)[0][0]
    except sqlite3.Error:
        return 0


def _hold_write_lock(library_path: Path, seconds: float) -> subprocess.Popen:
    """Another program that takes the library's write lock (``BEGIN IMMEDIATE``) for ``seconds``."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "conn.execute('BEGIN IMMEDIATE')\n"
         "print('held', flush=True)\n"
         "time.sleep(float(sys.argv[2]))\n"
         "conn.execute('COMMIT')\n",
         str(library_path), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def _seeded_library(tmp_path: Path) -> Path:
    library = tmp_path / "lib.sqlite"
    seed = tmp_path / "seed.txt"
    seed.write_text("Seed\n\nThe article another program keeps the library busy over.", encoding="utf-8")
    subprocess.run([DOSSIER, "--library", str(library), "import", "--no-entities", str(seed)], check=True,
                   capture_output=True, timeout=60)
    return library


def _short_waits(*, retry_seconds: float) -> dict[str, str]:
    return {**os.environ, "DOSSIER_TEST_BUSY_TIMEOUT_MS": "200", "DOSSIER_TEST_BUSY_RETRY_SECONDS": str(retry_seconds)}


def test_a_tag_and_a_highlight_wait_for_another_programs_write_lock_and_then_succeed(tmp_path):
    library = _seeded_library(tmp_path)
    for command in (["tag", "1", "--add", "waited"], ["annotate", "1", "--start", "0", "--end", "4"]):
        holder = _hold_write_lock(library, 1.5)
        started = time.monotonic()
        done = subprocess.run([DOSSIER, "--library", str(library), *command], capture_output=True, text=True,
                              timeout=60, env=_short_waits(retry_seconds=30))
        holder.wait(timeout=30)
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started >= 1.0, "the command did not meet the lock it was to wait for"
    assert _read(library, "SELECT name FROM tags") == [("waited",)]
    assert _read(library, "SELECT count(*) FROM annotations") == [(1,)]


def test_a_tag_run_from_a_terminal_says_that_it_waits_for_another_program(tmp_path):
    from tests.cli.helpers import run_on_terminal

    library = _seeded_library(tmp_path)
    holder = _hold_write_lock(library, 2.5)
    status, stdout, shown = run_on_terminal("--library", str(library), "tag", "1", "--add", "waited")
    holder.wait(timeout=30)
    assert status == 0 and "tagged 1 article with 'waited'" in stdout
    assert shown.count("waiting for it to finish") == 1
    assert "dossier: another program is writing to the library: waiting for it to finish (Ctrl+C stops)" in shown
    free = run_on_terminal("--library", str(library), "tag", "1", "--add", "unwaited")
    assert free[0] == 0 and free[2] == ""  # no other program: nothing said


def test_unhighlight_import_annotations_and_a_story_correction_wait_for_another_programs_write_lock(tmp_path):
    """These failed with "database is locked" once the busy timeout ran out, where tag and
    annotate wait."""
    library = _seeded_library(tmp_path)
    second = tmp_path / "second.txt"
    second.write_text("Second\n\nAnother article in the library another program keeps busy.", encoding="utf-8")
    for command in (["import", "--no-entities", str(second)], ["annotate", "1", "--start", "0", "--end", "4"],
                    ["annotate", "1", "--start", "4", "--end", "9"],
                    ["export", "--format", "annotations", "--out", str(tmp_path / "notes.jsonld")]):
        subprocess.run([DOSSIER, "--library", str(library), *command], check=True, capture_output=True, timeout=60)
    for command in (["unhighlight", "1", "2"], ["import-annotations", str(tmp_path / "notes.jsonld")],
                    ["stories", "--same", "1", "2"]):
        holder = _hold_write_lock(library, 1.5)
        done = subprocess.run([DOSSIER, "--library", str(library), *command], capture_output=True, text=True,
                              timeout=60, env=_short_waits(retry_seconds=30))
        holder.wait(timeout=30)
        assert done.returncode == 0, (command, done.stderr)
    assert _read(library, "SELECT count(*) FROM annotations") == [(2,)]
    joined = "SELECT count(*), count(DISTINCT story) FROM story_members WHERE document_id IN (1, 2)"
    assert _read(library, joined) == [(2, 1)]


def test_a_tag_that_never_gets_the_write_lock_says_in_one_line_that_the_library_is_busy(tmp_path):
    library = _seeded_library(tmp_path)
    holder = _hold_write_lock(library, 6)
    try:
        done = subprocess.run([DOSSIER, "--library", str(library), "tag", "1", "--add", "late"],
                              capture_output=True, text=True, timeout=60, env=_short_waits(retry_seconds=1))
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert f"dossier: the library {library} is busy: another program has been writing to it for" in done.stderr
    assert done.stderr.rstrip().endswith("s; try again")
    assert _read(library, "SELECT count(*) FROM tags") == [(0,)]


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_killed_import_leaves_no_worker_process_behind(tmp_path):
    """An import killed outright (it cannot tell its workers) left its story-signing worker
    waiting forever for work, 40 MB a time; a worker now ends when the import is gone."""
    if not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2:
        pytest.skip("no /proc to read children from, or one core: the import signs in its own process")
    library = tmp_path / "lib.sqlite"
    folder = _article_folder(tmp_path / "articles", 3000)
    importing = subprocess.Popen([DOSSIER, "--library", str(library), "import", "--no-entities", str(folder)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and importing.poll() is None and not workers:
        workers = _children(importing.pid)
        time.sleep(0.01)
    assert workers, "the import was to be killed while its worker ran"
    os.kill(importing.pid, signal.SIGKILL)
    importing.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
