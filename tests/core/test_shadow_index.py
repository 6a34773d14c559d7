"""The multi-script search index follows every write (import, re-import update, removal, undo,
another program's writes), an old library migrates with the index built in batches while
search falls back to the old index, and searches find Russian and Chinese as they should."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from desktop.core.library import open_library, write_transaction
from desktop.core.query import FTS_TABLE, SCRIPTS_TABLE
from desktop.core.search import facet_counts, search_hits, search_ids
from desktop.core.shadow_index import build_index, compile_search, index_state
from desktop.core.removal import remove_documents
from desktop.core.workflows import import_and_extract, reimport_and_extract
from tests.core.helpers import add_article, library_before

RUSSIAN = "Встреча в Москве\n\nУчёные из Москвы встретились под Москвой с коллегами из Китая.\n"
CHINESE = "中俄科技合作\n\n中国与俄罗斯在长春签署了科技合作协议。双方将开展联合研究。\n"
ENGLISH = "Lunar station\n\nRussia and China plan a joint lunar research station.\n"
OLD = "0007_search_index_for_all_scripts"


def integrity(db) -> None:
    """FTS5's own check of the index (raises when it does not match what was fed)."""
    with db.conn:
        db.conn.execute(f"INSERT INTO {SCRIPTS_TABLE} ({SCRIPTS_TABLE}) VALUES ('integrity-check')")


@pytest.fixture
def articles(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    files = {"ru": RUSSIAN, "zh": CHINESE, "en": ENGLISH}
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return {name: folder / f"{name}.txt" for name in files}


@pytest.fixture
def imported(library, articles):
    import_and_extract(library, list(articles.values()), extract=False)
    ids = dict(library.db.execute("SELECT path, id FROM documents").fetchall())
    return {name: ids[str(path)] for name, path in articles.items()}


def test_an_import_fills_the_index_at_once(library, imported):
    assert index_state(library.db.conn).ready
    assert compile_search(library.db.conn, "Москва").table == SCRIPTS_TABLE
    integrity(library.db)


@pytest.mark.parametrize("query", ["Москва", "москвой", "МОСКВЕ", "ученые", "учёные", "Китаем"])
def test_russian_words_find_every_inflected_form(library, imported, query):
    assert search_ids(library.db, query) == [imported["ru"]]


@pytest.mark.parametrize("query", ["合作", "长春", "科技合作", "签", "国", '"联合 研究"'])
def test_chinese_words_and_single_characters_are_found_inside_runs(library, imported, query):
    assert search_ids(library.db, query) == [imported["zh"]]


def test_a_chinese_word_not_in_the_text_finds_nothing(library, imported):
    assert search_ids(library.db, "合同") == []


def test_english_search_is_unchanged(library, imported):
    assert search_ids(library.db, '"lunar research" station') == [imported["en"]]


def test_mixed_script_queries_combine_with_or_and_fields(library, imported):
    assert set(search_ids(library.db, "Москвой OR 合作 OR lunar")) == set(imported.values())
    assert search_ids(library.db, "title:москва") == [imported["ru"]]


def test_hit_snippets_mark_the_forms_that_matched(library, imported):
    (hit,) = search_hits(library.db, "Москва")
    assert "[Москвы]" in hit["snippet"] and "[Москвой]" in hit["snippet"]
    (hit,) = search_hits(library.db, "合作")
    assert "[合作]" in hit["snippet"]


def test_facet_counts_count_what_the_multiscript_search_finds(library, imported):
    counts = facet_counts(library.db, "year", query="合作")
    assert sum(count for _, count in counts) <= 1
    assert facet_counts(library.db, "year", query="合作") == facet_counts(library.db, "year", query="长春")


def test_a_reimported_article_is_found_by_its_new_text_only(library, imported, articles):
    articles["ru"].write_text(RUSSIAN.replace("Китая", "Индии"), encoding="utf-8")
    reimport_and_extract(library, [imported["ru"]], extract=False)
    assert search_ids(library.db, "Китаем") == []
    assert search_ids(library.db, "Индией") == [imported["ru"]]
    integrity(library.db)


def test_a_removed_article_leaves_the_index_and_its_undo_brings_it_back(library, imported):
    change = remove_documents(library.db, [imported["zh"]])
    assert search_ids(library.db, "合作") == []
    integrity(library.db)
    change.undo(library.db)
    assert search_ids(library.db, "合作") == [imported["zh"]]
    integrity(library.db)


def test_another_programs_write_waits_in_the_log_and_search_falls_back(library, imported):
    with sqlite3.connect(library.path) as other:
        other.execute("UPDATE documents SET text = 'Москва и 北京' WHERE id = ?", [imported["en"]])
    assert not index_state(library.db.conn).ready
    assert compile_search(library.db.conn, "Москва").table == FTS_TABLE
    assert build_index(library.db.conn).ready
    assert set(search_ids(library.db, "Москвой")) == {imported["ru"], imported["en"]}
    assert search_ids(library.db, "joint") == []
    integrity(library.db)


def test_an_article_inserted_and_changed_in_one_transaction_is_indexed_as_it_ends(library):
    with write_transaction(library.db.conn):
        doc = add_article(library.db, "Москва")
        library.db.execute("UPDATE documents SET text = '北京' WHERE id = ?", [doc])
    assert search_ids(library.db, "北京") == [doc] and search_ids(library.db, "Москва") == []
    integrity(library.db)


def old_library(path: Path, count: int) -> Path:
    """A library as Dossier wrote it before migration 0007, with ``count`` Russian articles."""
    with library_before(path, OLD) as db:
        for n in range(count):
            add_article(db, f"Статья {n}: делегация прибыла в Москву.", title=f"Статья {n}")
    return path


def test_an_old_library_is_indexed_in_batches_and_searched_meanwhile(tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.core.shadow_index.BATCH", 2)
    path = old_library(tmp_path / "old.sqlite", 5)
    with open_library(path) as lib:
        state = index_state(lib.db.conn)
        assert (state.pending, state.total) == (5, 5)
        assert len(search_ids(lib.db, "Москву")) == 5  # the old index, as typed
        assert search_ids(lib.db, "Москва") == []
        seen = []
        left = build_index(lib.db.conn, batches=2, progress=seen.append)
        assert left.pending == 1 and [step.done for step in seen] == [0, 2]
        assert seen[0].total == 5
        assert search_ids(lib.db, "Москва") == []  # still the old index until complete
        assert build_index(lib.db.conn).ready
        assert len(search_ids(lib.db, "Москва")) == 5
        integrity(lib.db)


def test_a_cancelled_build_keeps_what_it_indexed(tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.core.shadow_index.BATCH", 2)
    path = old_library(tmp_path / "old.sqlite", 6)
    with open_library(path) as lib:
        cancel = CancelToken()

        def progress(step):
            if step.done >= 2:
                cancel.cancel()

        with pytest.raises(Cancelled):
            build_index(lib.db.conn, progress=progress, cancel=cancel)
        assert index_state(lib.db.conn).pending == 4
        assert not compile_search(lib.db.conn, "Москва").table == SCRIPTS_TABLE
        assert build_index(lib.db.conn).ready


def test_an_index_of_another_version_is_rebuilt(library, imported, monkeypatch):
    library.db.execute("UPDATE meta SET value = 'old' WHERE key = 'search_index_version'")
    library.db.conn.commit()
    assert build_index(library.db.conn).ready
    assert search_ids(library.db, "Москва") == [imported["ru"]]
    assert library.db.execute(
        "SELECT value FROM meta WHERE key = 'search_index_version'").fetchone()[0] != "old"
    integrity(library.db)
