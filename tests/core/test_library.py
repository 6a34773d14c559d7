"""The library file: creation, refusal of foreign or newer files, backups before migrating."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core import schema
from desktop.core.errors import LibraryUnavailable, NotALibrary, SchemaTooNew
from desktop.core.library import open_library, schema_version


def _snapshot(path):
    return path.read_bytes()


def test_new_library_has_every_table_wal_and_foreign_keys(tmp_path):
    with open_library(tmp_path / "lib.sqlite") as lib:
        tables = set(lib.db.table_names())
        assert {"documents", "documents_fts", "entities", "mentions", "tags", "document_tags",
                "annotations", "imports", "import_runs", "saved_searches"} <= tables
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == schema_version()


def test_a_commit_is_on_the_disk_before_it_returns_unless_the_tests_trade_that_for_speed(tmp_path, monkeypatch):
    """FULL: a highlight shown as saved survives a power cut, not only a crash (the tests run
    with NORMAL, set in conftest)."""
    monkeypatch.delenv("DOSSIER_SYNCHRONOUS")
    with open_library(tmp_path / "lib.sqlite") as lib:
        assert lib.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    monkeypatch.setenv("DOSSIER_SYNCHRONOUS", "normal")
    with open_library(tmp_path / "lib.sqlite") as lib:
        assert lib.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_a_library_file_without_wal_gets_it_back_when_it_opens(tmp_path):
    """A copy restored or written with a rollback journal would make every read wait for writers."""
    path = tmp_path / "lib.sqlite"
    open_library(path).close()
    with sqlite3.connect(path) as other:
        assert other.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    other.close()
    with open_library(path) as lib:
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with sqlite3.connect(path) as again:
        assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


def test_library_is_created_in_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "lib.sqlite"
    open_library(path).close()
    assert path.exists()


def test_fts_index_follows_inserts_updates_and_deletes(library):
    db = library.db
    db.execute("INSERT INTO documents (id, title, text, sha256, imported_at) "
               "VALUES (1, 'Forum in Petersburg', 'Rudskój spoke', 'h1', 'now')")

    def hits(q):
        return [r[0] for r in db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [q])]

    assert hits("rudskoj") == [1]  # diacritics folded
    db.execute("UPDATE documents SET text = 'Ganus spoke' WHERE id = 1")
    assert hits("rudskoj") == [] and hits("ganus") == [1]
    db.execute("DELETE FROM documents WHERE id = 1")
    assert hits("ganus") == []


def test_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("just some notes\n")
    before = _snapshot(path)
    with pytest.raises(NotALibrary, match="not a SQLite database"):
        open_library(path)
    assert _snapshot(path) == before


def test_other_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(NotALibrary, match="not a Dossier library"):
        open_library(path)
    assert _snapshot(path) == before


def test_library_from_newer_version_is_refused_and_left_untouched(library_path):
    conn = sqlite3.connect(library_path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.commit()
    conn.close()
    before = _snapshot(library_path)
    with pytest.raises(SchemaTooNew, match="newer version"):
        open_library(library_path)
    assert _snapshot(library_path) == before


def test_damaged_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises((NotALibrary, LibraryUnavailable)):
        open_library(path)


def test_folder_is_not_a_library(tmp_path):
    with pytest.raises(NotALibrary, match="folder"):
        open_library(tmp_path)


def test_pending_migration_backs_up_the_file_first(library_path, monkeypatch):
    with open_library(library_path) as lib:
        lib.db.execute("INSERT INTO documents (title, text, sha256, imported_at) "
                       "VALUES ('kept', 'body', 'h', 'now')")

    added = schema.Migrations(schema.MIGRATION_SET)
    for existing in schema.migrations._migrations:
        added._migrations.append(existing)

    @added(name="9999_test_column")
    def _add_column(db):
        db.execute("ALTER TABLE documents ADD COLUMN test_column TEXT")

    monkeypatch.setattr(schema, "migrations", added)
    monkeypatch.setattr("desktop.core.library.migrations", added)
    with open_library(library_path) as lib:
        assert lib.backup_path is not None and lib.backup_path.exists()
        assert "test_column" in lib.db["documents"].columns_dict
    backup = sqlite3.connect(lib.backup_path)
    assert backup.execute("SELECT title FROM documents").fetchall() == [("kept",)]
    columns = [r[1] for r in backup.execute("PRAGMA table_info(documents)")]
    assert "test_column" not in columns
    backup.close()


def test_reopening_a_current_library_makes_no_backup(library_path):
    with open_library(library_path) as lib:
        assert lib.backup_path is None
    assert list(library_path.parent.glob("*.before-*")) == []


def test_an_empty_file_is_refused_as_one_and_left_empty_unless_a_library_is_to_be_made(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    with pytest.raises(NotALibrary, match=r"empty\.sqlite is an empty file, not a Dossier library\.$"):
        open_library(path, create=False)
    assert path.read_bytes() == b""
