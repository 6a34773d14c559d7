"""Opening a library that another program holds open: what cannot be done at once waits for the
next opening instead of failing."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.library import open_library
from tests.core.helpers import add_seeds


@pytest.fixture
def rollback_journal(library_path):
    """A library whose file lost its WAL mode (restored by another tool), closed."""
    with open_library(library_path) as library:
        add_seeds(library.db)
    conn = sqlite3.connect(library_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return library_path


def test_a_library_another_program_is_reading_opens_without_its_wal_switch(
        rollback_journal, monkeypatch):
    monkeypatch.setattr("desktop.core.library.BUSY_TIMEOUT_MS", 50)
    reader = sqlite3.connect(rollback_journal, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM documents").fetchone()
    try:
        with open_library(rollback_journal) as library:
            assert library.document_count() == 5
    finally:
        reader.close()
