"""A library file deleted or replaced while a window or a command has it open: SQLite would go
on writing into the file it opened, which no longer has a name, and every highlight "saved"
from then on would be gone when the window closed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from desktop.core.annotations import create_annotation
from desktop.core.errors import LibraryUnavailable
from desktop.core.library import open_library
from tests.core.helpers import add_seeds, span


@pytest.fixture
def opened(library_path):
    """The library open as a window holds it, with the sample articles and one highlight."""
    library = open_library(library_path)
    ids = add_seeds(library.db)
    create_annotation(library.db, ids[0], *span(library.db, ids[0], "Andrei Rudskoy"), note="rector")
    yield library, ids[0]
    library.close()


def remove_library_files(path: Path) -> None:
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        (path.parent / name).unlink(missing_ok=True)


def notes_in(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [note for (note,) in conn.execute("SELECT note FROM annotations ORDER BY id")]
    finally:
        conn.close()


def rescued(folder: Path) -> list[Path]:
    return sorted(folder.glob("*-rescued-*.sqlite"))


def test_a_highlight_on_a_library_deleted_meanwhile_is_refused_in_one_line(opened):
    library, doc_id = opened
    remove_library_files(library.path)
    with pytest.raises(LibraryUnavailable) as err:
        create_annotation(library.db, doc_id, *span(library.db, doc_id, "Irina Ganus"), note="lost?")
    assert "was deleted or replaced" in str(err.value) and "\n" not in str(err.value)


def test_what_the_window_had_open_is_saved_beside_a_library_deleted_meanwhile(opened):
    library, doc_id = opened
    remove_library_files(library.path)
    with pytest.raises(LibraryUnavailable) as err:
        create_annotation(library.db, doc_id, *span(library.db, doc_id, "Irina Ganus"), note="lost?")
    copy, = rescued(library.path.parent)
    assert notes_in(copy) == ["rector"] and copy.name in str(err.value)


def test_a_library_replaced_by_another_file_is_not_written_through_the_old_one(opened, tmp_path):
    library, doc_id = opened
    other = tmp_path / "other.sqlite"
    source, copy = sqlite3.connect(library.path), sqlite3.connect(other)
    source.backup(copy)
    copy.execute("PRAGMA journal_mode = DELETE")
    source.close()
    copy.close()
    remove_library_files(library.path)
    os.replace(other, library.path)
    with pytest.raises(LibraryUnavailable, match="was deleted or replaced"):
        create_annotation(library.db, doc_id, *span(library.db, doc_id, "Irina Ganus"), note="lost?")
    assert notes_in(library.path) == ["rector"]


def test_a_library_left_in_place_takes_highlights_as_before(opened):
    library, doc_id = opened
    create_annotation(library.db, doc_id, *span(library.db, doc_id, "Irina Ganus"), note="kept")
    assert notes_in(library.path) == ["rector", "kept"] and rescued(library.path.parent) == []
