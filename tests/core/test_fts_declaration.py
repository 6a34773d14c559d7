"""The full-text index is declared the way Datasette and sqlite-utils find it, on a fresh
library and on one made before migration 0005, and search still works on both."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.core.check import check_library
from desktop.core.library import open_library
from desktop.core.search import search_ids
from tests.core.helpers import add_article, add_seeds, library_before

FTS_MIGRATION = "0005_fts_declared_for_datasette"


def old_library(path: Path) -> tuple[Path, list[int]]:
    """A library as Dossier wrote it before migration 0005, with two articles indexed."""
    with library_before(path, FTS_MIGRATION) as db:
        ids = [add_article(db, "The economy of Harbin grew.", title="Harbin budget"),
               add_article(db, "A joint laboratory opened in Novosibirsk.", title="Science")]
    return path, ids


def fts_config(path: Path) -> dict[str, object]:
    db = Database(path)
    try:
        return dict(db.execute("SELECT k, v FROM documents_fts_config").fetchall())
    finally:
        db.close()


def test_a_library_made_before_the_migration_is_not_found_by_detect_fts(tmp_path):
    path, _ = old_library(tmp_path / "old.sqlite")
    assert Database(path)["documents"].detect_fts() is None


def test_a_fresh_library_declares_an_index_sqlite_utils_detects(library):
    assert Database(library.path)["documents"].detect_fts() == "documents_fts"


def test_a_fresh_library_keeps_the_bm25_rank_weights(library):
    assert fts_config(library.path)["rank"] == "bm25(5.0, 1.0, 2.0)"


def test_search_finds_articles_in_a_fresh_library(library):
    add_seeds(library.db)
    wanted = add_article(library.db, "Economy ministers met in Harbin.", title="Ministers")
    assert search_ids(library.db, "ministers") == [wanted]


def test_migrating_an_old_library_makes_its_index_detectable(tmp_path):
    path, _ = old_library(tmp_path / "old.sqlite")
    open_library(path).close()
    assert Database(path)["documents"].detect_fts() == "documents_fts"
    assert fts_config(path)["rank"] == "bm25(5.0, 1.0, 2.0)"


def test_migrating_an_old_library_keeps_its_articles_searchable(tmp_path):
    path, (harbin, science) = old_library(tmp_path / "old.sqlite")
    with open_library(path) as lib:
        assert search_ids(lib.db, "economy") == [harbin]
        assert search_ids(lib.db, "Novosibirsk") == [science]
        assert check_library(lib).full_text == []


@pytest.mark.parametrize("change", ["insert", "update", "delete"])
def test_after_the_migration_the_triggers_keep_the_index_in_step(tmp_path, change):
    path, (harbin, _) = old_library(tmp_path / "old.sqlite")
    with open_library(path) as lib:
        if change == "insert":
            added = add_article(lib.db, "Tariffs on soybeans rose.", title="Trade")
            assert search_ids(lib.db, "soybeans") == [added]
        elif change == "update":
            lib.db.execute("UPDATE documents SET text = 'Tariffs on soybeans rose.' WHERE id = ?", [harbin])
            assert search_ids(lib.db, "soybeans") == [harbin]
            assert search_ids(lib.db, "economy") == []
        else:
            lib.db.execute("DELETE FROM documents WHERE id = ?", [harbin])
            assert search_ids(lib.db, "economy") == []
        assert check_library(lib).full_text == []
