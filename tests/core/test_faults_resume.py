"""A run whose process died reads "interrupted" and can be resumed; a live one reads "running"."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core import ingest
from desktop.core.errors import InvalidInput
from desktop.core.import_history import STALE_AFTER, get_run, list_runs, new_owner, release_owner, run_files
from desktop.core.ingest import import_paths, resume_import
from desktop.core.jobs import CancelToken, Progress
from tests.conftest import SEEDS


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(6):
        (folder / f"a{n}.txt").write_text(f"Title {n}\n\nArticle number {n} about Tomsk.", encoding="utf-8")
    return folder


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def live_pid():
    """The id of a process that runs for the length of the test."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


def _unfinished_run(library, *, pid: int, host: str | None = None, beat: dt.datetime | None = None) -> int:
    """A run left as a process that never finished leaves it: its owner columns and its file list."""
    beat = beat or dt.datetime.now(dt.timezone.utc)
    here = new_owner()
    release_owner(here)
    return library.db.conn.execute(
        """INSERT INTO import_runs (started_at, paths, pid, host, boot_id, owner_token, heartbeat_at)
           VALUES (?, '[]', ?, ?, ?, 'theirs', ?)""",
        [beat.isoformat(), pid, host or socket.gethostname(), here.boot_id, beat.isoformat()],
    ).lastrowid


def test_a_run_reads_running_while_its_process_lives_and_interrupted_once_it_is_gone(library, live_pid, dead_pid):
    alive = _unfinished_run(library, pid=live_pid)
    gone = _unfinished_run(library, pid=dead_pid)
    assert get_run(library.db, alive).state == "running"
    assert get_run(library.db, gone).state == "interrupted"
    assert get_run(library.db, gone).summary().endswith("(interrupted)")


def test_a_run_of_another_host_reads_interrupted_once_its_heartbeat_is_stale(library, live_pid):
    now = dt.datetime.now(dt.timezone.utc)
    fresh = _unfinished_run(library, pid=live_pid, host="elsewhere", beat=now)
    stale = _unfinished_run(library, pid=live_pid, host="elsewhere", beat=now - STALE_AFTER - dt.timedelta(seconds=1))
    assert [get_run(library.db, run).state for run in (fresh, stale)] == ["running", "interrupted"]


def test_the_next_import_records_dead_runs_as_interrupted(library, articles, dead_pid):
    gone = _unfinished_run(library, pid=dead_pid)
    import_paths(library, [articles / "a0.txt"])
    marked = library.db.conn.execute("SELECT interrupted_at FROM import_runs WHERE id = ?", [gone]).fetchone()[0]
    assert marked is not None


def test_an_import_stopped_by_an_error_reads_interrupted_and_its_resume_reads_only_the_rest(
    library, articles, monkeypatch
):
    real_read = ingest._parts

    def fail_at_the_fourth(name: str, **kwargs):
        if name.endswith("a3.txt"):
            raise RuntimeError("the disk went away")
        return real_read(name, **kwargs)

    monkeypatch.setattr(ingest, "_parts", fail_at_the_fourth)
    with pytest.raises(RuntimeError):
        import_paths(library, [articles], batch_size=1)
    [run] = list_runs(library.db)
    assert (run.state, run.imported) == ("interrupted", 3)

    monkeypatch.setattr(ingest, "_parts", real_read)
    read: list[str] = []
    report = resume_import(library, run.id, progress=lambda step: read.append(Path(step.message).name))
    assert read == ["a3.txt", "a4.txt", "a5.txt"] and len(report.imported) == 3
    run = get_run(library.db, run.id)
    assert (run.state, run.imported, run.duplicates) == ("finished", 6, 0)
    assert sorted(Path(item.path).name for item in run_files(library.db, run.id)) == [f"a{n}.txt" for n in range(6)]


def test_a_run_stopped_after_its_last_batch_resumes_to_finished_with_every_file_counted(
    library, articles, monkeypatch
):
    real_commit = ingest._commit

    def fail_to_finish(*args, finished: bool = False, **kwargs) -> None:
        if finished:
            raise RuntimeError("killed before the run was marked finished")
        real_commit(*args, **kwargs)

    monkeypatch.setattr(ingest, "_commit", fail_to_finish)
    with pytest.raises(RuntimeError):
        import_paths(library, [articles], batch_size=1)
    monkeypatch.setattr(ingest, "_commit", real_commit)
    [run] = list_runs(library.db)
    assert resume_import(library, run.id).imported == []
    assert get_run(library.db, run.id).state == "finished"
    assert library.db.conn.execute("SELECT files_done FROM import_runs").fetchone() == (6,)


def test_a_cancelled_run_can_be_resumed(library, articles):
    token = CancelToken()

    def cancel_after_two(step: Progress) -> None:
        if step.done == 2:
            token.cancel()

    first = import_paths(library, [articles], progress=cancel_after_two, cancel=token)
    assert get_run(library.db, first.run_id).state == "cancelled"
    rest = resume_import(library, first.run_id)
    assert len(first.imported) + len(rest.imported) == 6
    assert get_run(library.db, first.run_id).state == "finished"


def test_a_finished_run_cannot_be_resumed_and_keeps_no_file_list(library, articles):
    run_id = import_paths(library, [articles]).run_id
    with pytest.raises(InvalidInput, match=f"^Import run {run_id} has finished"):
        resume_import(library, run_id)
    assert library.db.conn.execute("SELECT count(*) FROM import_run_files").fetchone() == (0,)


def test_a_running_run_cannot_be_resumed(library, live_pid):
    run_id = _unfinished_run(library, pid=live_pid)
    with pytest.raises(InvalidInput, match="is still running"):
        resume_import(library, run_id)


def test_a_run_without_a_file_list_cannot_be_resumed(library, dead_pid):
    run_id = _unfinished_run(library, pid=dead_pid)
    with pytest.raises(InvalidInput, match="did not record its files"):
        resume_import(library, run_id)


def test_a_write_session_records_dead_runs_as_interrupted_as_soon_as_the_library_opens(library, dead_pid):
    from desktop.core.library import open_library, require_writable

    gone = _unfinished_run(library, pid=dead_pid)
    library.db.conn.commit()
    with open_library(library.path) as reopened:
        require_writable(reopened)
        marked = reopened.db.conn.execute("SELECT interrupted_at FROM import_runs WHERE id = ?", [gone]).fetchone()[0]
    assert marked is not None


def test_an_import_whose_every_file_is_stored_when_the_disk_fills_reports_them_imported(library):
    """The disk fills right after the last batch: only SQLite's statistics no longer fit."""

    def fill_the_disk(step: Progress) -> None:
        if step.done == step.total:
            pages = library.db.execute("PRAGMA page_count").fetchone()[0]
            library.db.execute(f"PRAGMA max_page_count = {pages}")

    report = import_paths(library, [SEEDS], progress=fill_the_disk, batch_size=1)
    assert len(report.imported) == 5
    assert get_run(library.db, report.run_id).state == "finished"
