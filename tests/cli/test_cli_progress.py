"""Progress of long commands on a terminal, silence when piped or quiet, and Ctrl+C cancelling an import."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from desktop.core.errors import Cancelled
from desktop.core.jobs import Progress, byte_size
from tests.cli.helpers import DOSSIER, TIMEOUT, run, run_on_terminal
from tests.conftest import SEEDS

CANCELLED = re.compile(r"^dossier: cancelled: ([\d,]+) imported; dossier import --resume \d+ reads the rest$")


def _many_files(folder: Path, count: int, suffix: str = ".txt") -> Path:
    folder.mkdir()
    for n in range(count):
        body = f"Minister Ivan Petrov met officials in Tomsk on day {n} to discuss joint project {n}."
        if suffix == ".html":
            body = f"<html><head><title>Day {n}</title></head><body><article><p>{body}</p></article></body></html>"
        (folder / f"article{n:05d}{suffix}").write_text(f"Day {n}\n\n{body}\n" if suffix == ".txt" else body)
    return folder


def test_piped_stderr_stays_silent(tmp_path):
    result = run("--library", str(tmp_path / "x.sqlite"), "import", str(SEEDS))
    assert result.stderr == ""
    assert result.stdout == "5 imported, 0 duplicates, 0 failed\n"


def test_a_terminal_shows_one_progress_line_per_phase_with_done_of_total(tmp_path):
    status, stdout, shown = run_on_terminal("--library", str(tmp_path / "x.sqlite"), "import", str(SEEDS), "--json")
    assert status == 0
    assert json.loads(stdout) == {
        "imported": 5, "updated": 0, "unchanged": 0, "duplicates": 0, "failed": [], "missing": []}
    assert "\rReading  5/5 files (100%)" in shown
    assert "\rFinding entities  5/5 articles (100%)" in shown
    assert shown.count("\n") == 1 and shown.endswith("\n")


def _export(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps({"title": f"Report {n}", "text": f"Tomsk signs agreement {n}. " * 20}) + "\n"
                            for n in range(count)))
    return path


def test_a_terminal_shows_the_bytes_read_of_a_record_file(tmp_path):
    export = _export(tmp_path / "export.jsonl", 5_000)
    size = byte_size(export.stat().st_size)
    status, _, shown = run_on_terminal(
        "--library", str(tmp_path / "x.sqlite"), "import", str(export), "--no-entities")
    assert status == 0
    assert re.search(rf"\rReading  \d+ KB/{size} \(1\d%\)", shown), shown
    assert f"\rReading  {size}/{size} (100%)" in shown
    assert "\rReading  1/1 files (100%)" in shown


def test_quiet_keeps_the_terminal_silent(tmp_path):
    status, stdout, shown = run_on_terminal(
        "--library", str(tmp_path / "x.sqlite"), "import", str(SEEDS), "--no-entities", "--quiet")
    assert status == 0 and stdout.startswith("5 imported")
    assert shown == ""


@pytest.mark.parametrize("fmt, articles", [("csv", 5), ("markdown", 2), ("annotations", 2)])
def test_export_shows_its_progress_on_a_terminal(tmp_path, fmt, articles):
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(SEEDS), "--no-entities")
    run("--library", library, "annotate", "1", "--start", "0", "--end", "20", "--note", "n")
    run("--library", library, "note", "2", "read twice")
    status, _, shown = run_on_terminal("--library", library, "export", "--format", fmt,
                                       "--out", str(tmp_path / f"out.{fmt}"))
    assert status == 0 and f"\rWriting  {articles}/{articles} articles (100%)" in shown


def _start_import(library: Path, folder: Path, *, until: str = "import_runs", **popen) -> subprocess.Popen:
    """Start ``dossier import FOLDER --json``; return once the table ``until`` has a row
    (``import_runs``: the import has begun; ``imports``: its first batch is stored)."""
    process = subprocess.Popen([DOSSIER, "--library", str(library), "import", str(folder), "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)
    deadline = time.monotonic() + TIMEOUT
    while not _has_rows(library, until):
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.02)
    return process


def _has_rows(library: Path, table: str) -> bool:
    try:
        return _count(library, table) > 0
    except sqlite3.Error:  # not created yet, or its tables not yet
        return False


def _count(library: Path, table: str) -> int:
    """The rows of ``table`` in the library, read without writing to it."""
    with closing(sqlite3.connect(f"{library.as_uri()}?mode=ro", uri=True)) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _stored(library: Path) -> tuple[int, int]:
    """(articles in the library, files recorded by the import)."""
    return _count(library, "documents"), _count(library, "imports")


def test_ctrl_c_cancels_an_import_keeping_what_was_stored(tmp_path):
    folder = _many_files(tmp_path / "many", 20_000)
    library = tmp_path / "x.sqlite"
    process = _start_import(library, folder)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 1, stderr
    (line,) = stderr.strip().splitlines()
    imported = int(CANCELLED.match(line).group(1).replace(",", ""))
    assert imported < 20_000
    assert json.loads(stdout) == {"imported": imported, "updated": 0, "unchanged": 0, "duplicates": 0, "failed": [],
                                 "missing": [], "cancelled": True}
    assert _stored(library) == (imported, imported)


def test_a_second_ctrl_c_stops_an_import_at_once_saying_what_was_kept_and_how_to_read_the_rest(tmp_path):
    folder = _many_files(tmp_path / "many", 20_000)
    for attempt in range(5):  # the second Ctrl+C must come before the first has stopped the import
        library = tmp_path / f"x{attempt}.sqlite"
        process = _start_import(library, folder, until="imports")
        while process.poll() is None:  # Ctrl+C, then again until it stops
            process.send_signal(signal.SIGINT)
            time.sleep(0.01)
        _, stderr = process.communicate(timeout=TIMEOUT)
        if "kept" in stderr:
            break
    assert process.returncode == 130, stderr
    found = re.match(r"^dossier: interrupted: ([\d,]+) imported are kept; dossier import --resume (\d+) reads "
                     r"the rest$", stderr.strip())
    assert found, stderr
    assert _count(library, "documents") == int(found.group(1).replace(",", "")) > 0
    again = run("--library", str(library), "import", "--resume", found.group(2), "--json", "--no-entities")
    assert _count(library, "documents") == 20_000, again.stdout


def test_ctrl_c_within_a_record_file_keeps_its_stored_batches_and_says_how_far_it_came(tmp_path):
    export = _export(tmp_path / "export.jsonl", 100_000)
    library = tmp_path / "x.sqlite"
    process = _start_import(library, export, until="imports")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 1, stderr
    (line,) = stderr.strip().splitlines()
    found = re.match(r"^dossier: cancelled: ([\d,]+) imported; stopped after the first ([\d,]+) records of "
                     r"export.jsonl \(\d+% of the file\), which are kept; dossier import --resume \d+ reads the rest$",
                     line)
    assert found, line
    imported, records = (int(group.replace(",", "")) for group in found.groups())
    assert 0 < imported == records < 100_000
    assert json.loads(stdout)["stopped_within"]["records"] == records
    assert _count(library, "documents") == imported
    again = run("--library", str(library), "import", str(export), "--json", "--no-entities")
    assert json.loads(again.stdout)["imported"] == 100_000 - imported
    assert _count(library, "documents") == 100_000


def test_ctrl_c_while_finding_entities_keeps_the_import_and_the_batches_read(tmp_path):
    folder = _many_files(tmp_path / "many", 2_000)
    library = tmp_path / "x.sqlite"
    process = _start_import(library, folder, until="entity_extractions")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 1, stderr
    found = re.match(r"^dossier: cancelled: 2,000 imported, entities found in ([\d,]+) of 2,000 articles; "
                     r"dossier extract finds the others$", stderr.strip())
    assert found, stderr
    done = int(found.group(1).replace(",", ""))
    assert 0 < done < 2_000
    assert json.loads(stdout)["cancelled"] is True and _stored(library) == (2_000, 2_000)
    assert _count(library, "entity_extractions") == done


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_ctrl_c_in_a_terminal_reaches_the_parser_process_without_harm(tmp_path):
    folder = _many_files(tmp_path / "pages", 1_000, ".html")
    library = tmp_path / "x.sqlite"
    process = _start_import(library, folder, until="imports", start_new_session=True)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C does: the whole foreground group
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 1, stderr
    assert len(stderr.strip().splitlines()) == 1 and CANCELLED.match(stderr.strip()), stderr
    assert json.loads(stdout)["failed"] == []


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress line is drawn into it."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def _drawn_then_cancelled(*_args, progress, cancel, **_kwargs):
    progress(Progress(done=1, total=3, phase="working", unit="articles"))
    raise Cancelled()


@pytest.mark.parametrize("command, job", [
    (["reindex"], "desktop.core.shadow_index.build_index"),
    (["recover", "--out", "new.sqlite"], "desktop.core.recover.recover"),
    (["detect-languages"], "desktop.core.language_fill.fill_languages"),
])
def test_the_cancelled_line_starts_below_the_progress_line(tmp_path, monkeypatch, command, job):
    from desktop.cli import main

    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities", "--quiet")
    monkeypatch.setattr(job, _drawn_then_cancelled)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.chdir(tmp_path)
    assert main(["--library", str(library), *command]) == 1
    drawn, said = sys.stderr.getvalue().rsplit("\n", 2)[:2]
    assert drawn.startswith("\rWorking  1/3 articles") and said.startswith("dossier: cancelled: "), sys.stderr.getvalue()


def test_a_backup_shows_its_progress_on_a_terminal_and_is_silent_when_piped(tmp_path):
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities", "--quiet")
    status, stdout, shown = run_on_terminal("--library", str(library), "backup", "--out", str(tmp_path / "b.sqlite"))
    assert status == 0 and stdout.startswith("backed up ")
    assert re.search(r"\rBacking up  (\d+)/\1 MB \(100%\)", shown), shown
    assert run("--library", str(library), "backup").stderr == ""


def test_a_second_ctrl_c_stops_an_export_at_once_saying_the_file_was_not_written(tmp_path):
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(_many_files(tmp_path / "many", 20_000)), "--no-entities", "--quiet")
    out = tmp_path / "out" / "all.jsonl"
    out.parent.mkdir()
    for _ in range(10):  # the second Ctrl+C must come before the first has stopped the export
        process = subprocess.Popen([DOSSIER, "--library", str(library), "export", "--format", "jsonl", "--out",
                                    str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while process.poll() is None and not any(out.parent.iterdir()):  # writing has begun
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        time.sleep(0.002)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=TIMEOUT)
        if "interrupted" in stderr:
            break
    assert (process.returncode, stderr) == (130, f"dossier: interrupted: {out} was not written\n")
    assert list(out.parent.iterdir()) == []
