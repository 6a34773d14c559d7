"""Recovering a library whose highlights could not all be read back: a file cut short (a copy
interrupted, a disk that filled while syncing) and a damaged page of highlights."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.core.errors import LibraryDamaged
from desktop.core.recover import recover
from tests.core.test_damage import build_library

HIGHLIGHTS = 60


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    return build_library(tmp_path_factory.mktemp("healthy") / "library.sqlite")


def last_page_of(path: Path, btree: str) -> tuple[int, int]:
    """The page size and the number of the last page of ``btree``."""
    conn = sqlite3.connect(path)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        return size, conn.execute("SELECT max(pageno) FROM dbstat WHERE name = ?", [btree]).fetchone()[0]
    finally:
        conn.close()


def cut_before_page(healthy: Path, folder: Path, page: int) -> Path:
    path = folder / "library.sqlite"
    shutil.copy(healthy, path)
    size, _ = last_page_of(path, "sqlite_schema")
    os.truncate(path, (page - 1) * size)
    return path


def zeroed_root(healthy: Path, folder: Path, table: str) -> Path:
    """A copy whose root page of ``table`` was written as zeros (a torn write)."""
    path = folder / "library.sqlite"
    shutil.copy(healthy, path)
    with sqlite3.connect(path) as conn:
        root, page_size = conn.execute("SELECT rootpage, (SELECT page_size FROM pragma_page_size) "
                                       "FROM sqlite_master WHERE name = ?", [table]).fetchone()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes(page_size))
    return path


def test_recover_of_a_file_cut_short_inside_its_schema_says_so_in_one_line(healthy, tmp_path):
    """The pages of the schema past the cut made the search for indexes fail with SQLite's
    "malformed", which the command turned into "the library is damaged… recover it"."""
    _, last = last_page_of(healthy, "sqlite_schema")
    out = tmp_path / "recovered.sqlite"
    with pytest.raises(LibraryDamaged, match="not one article can be read"):
        recover(cut_before_page(healthy, tmp_path, last), out)
    assert not out.exists()


def test_highlights_lost_on_a_damaged_page_leave_their_quotes_and_notes_beside_the_new_library(
        healthy, tmp_path):
    """Every highlight's quote and note is also in its article's searchable notes: when the
    highlights' own page cannot be read, those words are written beside the recovered library."""
    report = recover(zeroed_root(healthy, tmp_path, "annotations"), tmp_path / "recovered.sqlite")
    assert report.tables["annotations"].copied == 0
    kept = report.lost_highlights_file
    assert kept == tmp_path / "recovered-highlights-without-article.md"
    text = kept.read_text(encoding="utf-8")
    conn = sqlite3.connect(healthy)
    notes = [note for (note,) in conn.execute("SELECT note FROM annotations ORDER BY id")]
    conn.close()
    assert len(notes) == HIGHLIGHTS and all(note in text for note in notes)
    assert any(line.endswith(f"in {kept}") and "60 articles" in line for line in report.lines())
