"""Read-only libraries: a read-only file, folder or open mode reads everything and writes nothing.

Tests run as root, whom permission bits do not stop; Dossier treats a file or folder
with no write permission bit as read-only whoever runs it, and opens it with SQLite's
``mode=ro`` (``immutable=1`` where no -wal/-shm can be created), which binds root too.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from desktop.core.errors import LibraryReadOnly
from desktop.core.library import open_library, require_writable
from desktop.core.library_messages import library_errors
from desktop.core.search import search_ids
from tests.core.helpers import add_seeds


@pytest.fixture
def seeded(library_path) -> Path:
    with open_library(library_path) as lib:
        add_seeds(lib.db)
    return library_path


def _without_write_bits(path: Path) -> None:
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def test_a_file_without_write_permission_opens_read_only(seeded):
    _without_write_bits(seeded)
    with open_library(seeded) as lib:
        assert lib.read_only and lib.read_only_reason == "the file is read-only"
        assert lib.document_count() == 5
        assert len(search_ids(lib.db, "China")) > 0
        with pytest.raises(LibraryReadOnly, match="is read-only"):
            require_writable(lib)


def test_sqlite_refuses_a_write_that_slips_through_with_a_one_line_reason(seeded):
    with open_library(seeded, read_only=True) as lib:
        with pytest.raises(LibraryReadOnly) as raised, library_errors(lib.path):
            lib.db.execute("DELETE FROM documents")
        assert "\n" not in str(raised.value)
        assert lib.connect().read_only
    with sqlite3.connect(seeded) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_a_folder_that_cannot_be_written_opens_the_library_immutable(seeded):
    folder = seeded.parent
    _without_write_bits(folder)
    try:
        with open_library(seeded) as lib:
            assert lib.read_only_reason == "its folder cannot be written"
            assert "immutable=1" in lib.uri
            assert lib.document_count() == 5
        assert not seeded.with_name(seeded.name + "-shm").exists()
    finally:
        folder.chmod(folder.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_library_needing_a_migration_is_refused(seeded):
    with sqlite3.connect(seeded) as conn:
        conn.execute("PRAGMA user_version = 1")
    _without_write_bits(seeded)
    with pytest.raises(LibraryReadOnly, match="older Dossier"):
        open_library(seeded)


def test_a_library_on_read_only_media_opens_immutable(seeded, monkeypatch):
    """A read-only mount, as ``statvfs`` reports it (mounting needs privileges tests lack)."""
    import os

    real = os.statvfs

    class ReadOnlyMedium:
        def __init__(self, path):
            self.f_flag = real(path).f_flag | os.ST_RDONLY

    monkeypatch.setattr("desktop.core.library.os.statvfs", ReadOnlyMedium)
    with open_library(seeded) as lib:
        assert lib.read_only_reason == "it is on read-only media"
        assert "immutable=1" in lib.uri and lib.document_count() == 5
