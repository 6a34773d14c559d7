"""A title made of an article's first sentence is the whole sentence: ``title:`` finds each of its
words in both search indexes and ranks them as title, in new libraries and in those migration 0021
upgrades (where a cut title is made whole and any other title stays)."""

from __future__ import annotations

import pytest

from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.core.migrations import titles
from desktop.core.newsmeta import opening_title
from desktop.core.query import compile_query
from desktop.core.search import search_hits, search_ids
from desktop.core.shadow_index import build_index, index_state
from tests.core.helpers import add_article, library_before, text_folder

TITLE_MIGRATION = "0021_whole_opening_titles"
SENTENCE = ("В понедельник 28 июня тысячи жителей столицы вышли на улицы города, чтобы принять участие "
            "в акции, которую организаторы назвали «День гнева»")
TEXT = f"{SENTENCE}. Полиция задержала десятки человек.\n\nГнев горожан не утихает."
CUT = opening_title(TEXT, max_chars=titles.RELEASED_MAX_CHARS, max_han_chars=titles.RELEASED_MAX_HAN_CHARS)


def in_english_index(db, query: str) -> list[int]:
    """What ``documents_fts`` (Datasette's index, the app's until the other is complete) finds."""
    match = compile_query(query, scripts=False).match
    return [row[0] for row in db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [match])]


@pytest.fixture
def imported(library, tmp_path):
    folder = text_folder(tmp_path / "texts", {"devset_factru_503.txt": TEXT})
    import_paths(library, [folder])
    return library


def test_a_text_without_headline_is_titled_by_its_whole_first_sentence(imported):
    assert CUT.endswith("…") and "гнева" not in CUT
    assert imported.db.execute("SELECT title FROM documents").fetchone()[0] == SENTENCE


def test_title_search_finds_a_word_past_where_titles_were_cut_in_both_indexes(imported):
    assert search_ids(imported.db, "title:гнева") == [1]
    assert in_english_index(imported.db, "title:гнева") == [1]


def test_a_word_past_the_old_cut_weighs_as_title_in_ranking(imported):
    other = add_article(imported.db, "Гнев. " + "Слово. " * 30, title="Заметка")
    with imported.db.atomic():
        pass
    assert [hit["id"] for hit in search_hits(imported.db, "гнева")] == [1, other]


def old_library(path, articles: list[tuple[str, str]]) -> list[int]:
    """A library as Dossier wrote it before migration 0021, holding ``articles`` (title, text)."""
    with library_before(path, TITLE_MIGRATION) as db:
        return [add_article(db, text, title=title) for title, text in articles]


def test_the_migration_makes_cut_titles_whole_and_leaves_the_others(tmp_path):
    headline = "Протест на площади…"  # a headline of its own that ends in "…"
    cut, kept = old_library(tmp_path / "old.sqlite", [(CUT, TEXT), (headline, TEXT + " Ещё.")])
    with open_library(tmp_path / "old.sqlite") as library:
        titles_now = dict(library.db.execute("SELECT id, title FROM documents").fetchall())
        assert titles_now == {cut: SENTENCE, kept: headline}
        assert search_ids(library.db, "title:гнева") == [cut]
        assert in_english_index(library.db, "title:гнева") == [cut]


def test_a_migration_that_retitles_many_articles_builds_the_second_index_again_in_the_background(
        tmp_path, monkeypatch):
    monkeypatch.setattr(titles, "SHADOW_RESTART_AFTER", 0)
    cut, = old_library(tmp_path / "old.sqlite", [(CUT, TEXT)])
    with open_library(tmp_path / "old.sqlite") as library:
        assert index_state(library.db.conn).pending == 1
        assert in_english_index(library.db, "title:гнева") == [cut]
        assert search_ids(library.db, "title:гнева") == [cut]  # from documents_fts meanwhile
        build_index(library.db.conn)
        assert index_state(library.db.conn).ready
        assert search_ids(library.db, "title:гнева") == [cut]
