"""The library under faults, as the command line meets it: damaged files, a full disk,
read-only files and folders, and check / backup / restore / recover.

Commands run in this process through ``desktop.cli.main`` (the console script's
entry point) except where a process limit is the fault being simulated.
"""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.cli_library import MAX_PAGES_VARIABLE
from desktop.core.library import open_library
from tests.cli.helpers import run, run_on_terminal
from tests.conftest import SEEDS
from tests.core.test_damage import DAMAGE, build_library, flip_page_bytes, found_after_a_crash, sha256

DOSSIER = str(Path(sys.executable).with_name("dossier"))


def dossier(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    return build_library(tmp_path_factory.mktemp("healthy") / "library.sqlite")


@pytest.fixture
def library(healthy, tmp_path) -> Path:
    path = tmp_path / "lib" / "library.sqlite"
    path.parent.mkdir()
    shutil.copy(healthy, path)
    return path


WRITES = {
    "tag": ("tag", "3", "--add", "checked"),
    "annotate": ("annotate", "3", "--start", "0", "--end", "5", "--note", "n"),
    "import": ("import", str(SEEDS), "--no-entities"),
    "stories --same": ("stories", "--same", "3", "4"),
    "extract": ("extract",),
}


@pytest.mark.parametrize("btree,seed", DAMAGE)
def test_a_damaged_library_is_never_written_by_a_write_command(
    capsys, library, btree, seed
):
    flip_page_bytes(library, btree=btree, seed=seed)
    before = sha256(library)
    for name, command in WRITES.items():
        status, out, err = dossier(capsys, "--library", str(library), *command)
        assert status == 1, name
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "is damaged" in lines[0] and "dossier recover" in lines[0], name
        assert sha256(library) == before, name
    assert not list((library.parent / "backups").glob("*.daily.*"))


def test_grouping_the_stories_of_a_damaged_library_is_refused_at_once(library):
    """`stories --group` went through the damaged articles without end instead of refusing."""
    flip_page_bytes(library, btree="documents", seed=1)
    before = sha256(library)
    done = subprocess.run([DOSSIER, "--library", str(library), "stories", "--group"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "is damaged" in done.stderr and "dossier recover" in done.stderr
    assert sha256(library) == before


def test_a_read_that_meets_a_damaged_page_names_the_damage_in_one_line(capsys, library):
    flip_page_bytes(library, btree="documents", seed=1)
    status, _, err = dossier(capsys, "--library", str(library), "list")
    assert status == 1 and err.count("\n") == 1
    assert err.startswith(f"dossier: the library {library} is damaged (database disk image is malformed)")


def test_check_passes_a_healthy_library_and_fails_a_damaged_one(capsys, library):
    status, out, _ = dossier(capsys, "--library", str(library), "check")
    assert status == 0 and out.startswith("No problems found")
    flip_page_bytes(library, btree="annotations", seed=3)
    status, out, _ = dossier(capsys, "--library", str(library), "check")
    assert status == 1 and out.startswith("Problems found: the file is damaged")


def _zero_the_schema_page(path: Path) -> None:
    """Zeros over page 1 after the file header: the schema cannot be read, so neither opened."""
    with path.open("r+b") as file:
        file.seek(100)
        file.write(bytes(4096 - 100))


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_check_of_a_library_that_cannot_be_opened_names_the_damage_once(library, json_output):
    _zero_the_schema_page(library)
    result = run("--library", str(library), "check", *(["--json"] if json_output else []), check=1)
    if json_output:
        assert json.loads(result.stdout)["integrity"] == ["database disk image is malformed"]
    else:
        assert result.stdout == "Problems found: the file is damaged: database disk image is malformed.\n"


def check_after(capsys, library: Path, sql: str) -> tuple[int, str]:
    """``dossier check`` after another program ran ``sql`` on the library."""
    with sqlite3.connect(library) as conn:
        conn.execute(sql)
    conn.close()
    status, out, _ = dossier(capsys, "--library", str(library), "check")
    return status, out


def test_check_reports_orphan_rows(capsys, library):
    status, out = check_after(
        capsys, library, "INSERT INTO document_tags (document_id, tag_id) VALUES (99999, 1)")
    assert status == 1 and "1 in document_tags" in out


def test_check_finds_a_full_text_index_out_of_step_with_the_articles(capsys, library):
    status, out = check_after(
        capsys, library,
        "INSERT INTO documents_fts (rowid, title, text, notes) VALUES (99999, 'x', 'y', '')")
    assert status == 1 and "the full-text index is out of step with the articles: 1 article indexed" in out


def test_backup_then_damage_then_restore_brings_the_library_back(capsys, library, tmp_path):
    lib = str(library)
    assert dossier(capsys, "--library", lib, "backup", "--out", str(tmp_path / "b.sqlite"))[0] == 0
    status, out, _ = dossier(capsys, "--library", lib, "backup")
    assert status == 0 and ".manual.sqlite" in out
    flip_page_bytes(library, btree="documents", seed=1)
    assert dossier(capsys, "--library", lib, "tag", "3", "--add", "x")[0] == 1
    status, out, _ = dossier(capsys, "--library", lib, "restore", str(tmp_path / "b.sqlite"))
    assert status == 0 and "kept as" in out
    assert dossier(capsys, "--library", lib, "check")[0] == 0
    assert dossier(capsys, "--library", lib, "tag", "3", "--add", "x")[0] == 0
    kept = list((library.parent / "backups").glob("*.damaged-kept-before-restore.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes()[:16] == b"SQLite format 3\x00"


def test_restore_refuses_a_damaged_backup_and_leaves_the_library(capsys, library, tmp_path):
    bad = tmp_path / "bad.sqlite"
    shutil.copy(library, bad)
    flip_page_bytes(bad, btree="documents", seed=2)
    before = sha256(library)
    status, _, err = dossier(capsys, "--library", str(library), "restore", str(bad))
    assert status == 1 and "is damaged" in err and "choose another" in err
    assert sha256(library) == before


def test_restore_refuses_a_backup_from_a_newer_dossier(capsys, library, tmp_path):
    newer = tmp_path / "newer.sqlite"
    shutil.copy(library, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    status, _, err = dossier(capsys, "--library", str(library), "restore", str(newer))
    assert status == 1 and "newer version" in err


def test_recover_of_a_library_from_a_newer_dossier_is_refused_in_one_line(capsys, healthy, tmp_path):
    from tests.core.test_damage import newer_copy

    out_path = tmp_path / "new.sqlite"
    newer = newer_copy(healthy, tmp_path)
    status, out, err = dossier(capsys, "--library", str(newer), "recover", "--out", str(out_path))
    assert status == 1 and out == "" and len(err.splitlines()) == 1
    assert "written by a newer version of Dossier" in err and "update Dossier first" in err
    assert not out_path.exists()


def test_recover_writes_a_new_library_and_reports_rows_per_table(capsys, library, tmp_path):
    flip_page_bytes(library, btree="document_tags", seed=4)
    out_path = tmp_path / "new.sqlite"
    status, out, _ = dossier(capsys, "--library", str(library), "recover", "--out", str(out_path))
    assert status == 0
    assert "documents: 400 rows recovered" in out and "document_tags: " in out
    assert dossier(capsys, "--library", str(out_path), "check")[0] == 0


def test_a_full_disk_is_named_and_the_import_resumes(capsys, tmp_path, monkeypatch):
    """The disk fills up (``PRAGMA max_page_count`` on the writer connection) part way."""
    lib = tmp_path / "library.sqlite"
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(60):
        (folder / f"a{n:02}.txt").write_text(f"Article {n}\n\n" + f"word{n} " * 1500, encoding="utf-8")
    open_library(lib).close()
    pages = sqlite3.connect(lib).execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setenv(MAX_PAGES_VARIABLE, str(pages + 150))
    status, _, err = dossier(capsys, "--library", str(lib), "import", str(folder), "--no-entities")
    assert status == 1
    assert err.startswith(f"dossier: the disk holding {lib} is full (") and "free 64 MB and retry" in err
    monkeypatch.delenv(MAX_PAGES_VARIABLE)
    assert dossier(capsys, "--library", str(lib), "check")[0] == 0
    status, out, _ = dossier(capsys, "--library", str(lib), "import", str(folder), "--no-entities")
    counts = {word: int(n) for n, word in (part.split()[:2] for part in out.splitlines()[0].split(", "))}
    assert status == 0 and counts["imported"] > 0 and counts["imported"] + counts.get("unchanged", 0) == 60
    assert dossier(capsys, "--library", str(lib), "check")[0] == 0


def _limit_file_size(limit: int = 8192) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_list_reads_a_library_where_no_file_can_grow(library):
    """A process that cannot grow any file (``RLIMIT_FSIZE``, which binds root too) stands
    for a full disk: SQLite cannot create its shared-memory file, the library still reads."""
    result = subprocess.run([DOSSIER, "--library", str(library), "list"], capture_output=True,
                            text=True, preexec_fn=_limit_file_size, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 400


def test_a_backup_that_does_not_fit_on_the_disk_leaves_no_file_behind(library):
    """Files that cannot grow past 64 KB stand for a disk that fills during the backup."""
    for _ in range(2):
        result = subprocess.run([DOSSIER, "--library", str(library), "backup"], capture_output=True,
                                text=True, preexec_fn=partial(_limit_file_size, 65536), timeout=120)
        assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert list((library.parent / "backups").iterdir()) == []


def _read_only(path: Path) -> None:
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_library_reads_searches_exports_and_refuses_writes(capsys, library, tmp_path, what):
    """A file (or folder) with no write permission bit. Root could still write to it, so
    Dossier does not ask the kernel: no write bit means read-only, and the library is
    opened with ``mode=ro`` (``immutable=1`` in a folder where no -wal/-shm can be made)."""
    target = library if what == "file" else library.parent
    _read_only(target)
    try:
        before = sha256(library)
        lib = str(library)
        status, out, _ = dossier(capsys, "--library", lib, "list")
        assert status == 0 and len(out.splitlines()) == 400
        status, out, _ = dossier(capsys, "--library", lib, "search", "harbin", "--limit", "3")
        assert status == 0 and out.strip()
        export = tmp_path / "out.jsonl"
        assert dossier(capsys, "--library", lib, "export", "--format", "jsonl", "--out", str(export))[0] == 0
        assert len(export.read_text(encoding="utf-8").splitlines()) == 400
        for name, command in WRITES.items():
            status, _, err = dossier(capsys, "--library", lib, *command)
            assert status == 1 and err.count("\n") == 1, name
            assert f"dossier: the library {library} is read-only" in err, name
        assert sha256(library) == before
        if what == "folder":
            assert sorted(p.name for p in library.parent.iterdir()) == ["library.sqlite"]
    finally:
        target.chmod(target.stat().st_mode | stat.S_IWUSR)


def test_recover_brings_back_the_newest_highlight_from_the_wal_and_says_so(healthy, tmp_path):
    """Before, the changes still only in library.sqlite-wal were silently left out."""
    path = found_after_a_crash(healthy, tmp_path)
    wal = path.with_name("library.sqlite-wal")
    before = sha256(path), sha256(wal)
    out_path = tmp_path / "recovered.sqlite"
    out = run("--library", str(path), "recover", "--out", str(out_path)).stdout
    assert "  the latest changes, still only in library.sqlite-wal (" in out
    assert "), were recovered as well\n" in out
    assert (sha256(path), sha256(wal)) == before
    assert not path.with_name("library.sqlite-shm").exists()
    with open_library(out_path) as recovered:
        assert recovered.db.execute("SELECT note FROM annotations WHERE note = 'my newest note'").fetchone()


def test_recover_of_a_library_cut_in_half_keeps_what_is_there_and_counts_the_highlights_lost(library, tmp_path):
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(library.read_bytes()[: library.stat().st_size // 2])
    out_path = tmp_path / "new.sqlite"
    report = json.loads(run("--library", str(truncated), "recover", "--out", str(out_path), "--json").stdout)
    documents, highlights = report["tables"]["documents"], report["tables"]["annotations"]
    # "lost" counts the rows a readable index still lists: at least those, not always all of them
    assert documents["recovered"] > 0 and documents["lost"] > 0
    assert documents["recovered"] + documents["lost"] <= 400
    assert highlights["recovered"] + highlights["dropped"] + highlights["lost"] == 60
    with open_library(out_path) as recovered:
        assert recovered.document_count() == documents["recovered"]
        assert recovered.db.execute("SELECT count(*) FROM annotations").fetchone()[0] == highlights["recovered"]


def test_recover_of_a_library_cut_after_its_first_pages_says_nothing_was_recovered_and_leaves_no_file(
    library, tmp_path
):
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(library.read_bytes()[:8192])
    out_path = tmp_path / "new.sqlite"
    result = run("--library", str(truncated), "recover", "--out", str(out_path), check=1)
    assert result.stdout == ""
    assert result.stderr == (f"dossier: nothing could be recovered from {truncated}: not one article can be "
                             "read (no new library was made); restore a backup instead (dossier restore FILE)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib", "truncated.sqlite"]


def test_a_recovered_library_searches_in_every_script_without_a_reindex(library, tmp_path):
    flip_page_bytes(library, btree="document_tags", seed=4)
    out_path = tmp_path / "new.sqlite"
    run("--library", str(library), "recover", "--out", str(out_path), "--json")
    searched = run("--library", str(out_path), "search", "n7", "--json")
    assert searched.stderr == "" and json.loads(searched.stdout)


def test_recover_shows_its_progress_on_a_terminal(library, tmp_path):
    status, _, shown = run_on_terminal("--library", str(library), "recover", "--out", str(tmp_path / "new.sqlite"))
    assert status == 0
    assert "tables (100%)" in shown and "\rIndexing for search  400/400 articles (100%)" in shown


def test_a_backup_of_a_damaged_library_says_the_copy_cannot_be_restored(capsys, library):
    """`dossier backup` of a library with a damaged page said "backed up" and exited 0, though
    the copy is as damaged and restoring it is refused."""
    flip_page_bytes(library, btree="annotations", seed=3)
    before = sha256(library)
    status, out, err = dossier(capsys, "--library", str(library), "backup")
    assert status == 1 and out == ""
    assert "but the copy is damaged as the library is" in err and "dossier recover --out NEW" in err
    assert err.count("\n") == 1 and sha256(library) == before


def test_check_json_prints_names_in_any_script_as_they_are(capsys, library, monkeypatch):
    from desktop.core import check

    note = "индекс проверен частично"
    monkeypatch.setattr(check, "check_library", lambda _library: check.CheckReport(notes=[note]))
    status, out, _ = dossier(capsys, "--library", str(library), "check", "--json")
    assert status == 0 and f'"{note}"' in out


def test_recover_json_prints_a_file_name_in_any_script_as_it_is(capsys, library, tmp_path):
    out_path = tmp_path / "Досье.sqlite"
    status, out, _ = dossier(capsys, "--library", str(library), "recover", "--out", str(out_path), "--json")
    assert status == 0 and f'"out": "{out_path}"' in out
