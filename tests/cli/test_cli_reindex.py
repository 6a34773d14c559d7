"""`dossier reindex` builds the multi-script search index of a library made before it, with a
progress line on a terminal; until then `dossier search` says the index is incomplete."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.helpers import run, run_on_terminal
from tests.conftest import SEEDS
from tests.ui.journeys.test_multiscript_search_journey import old_library


def found(library: Path, query: str) -> list[str]:
    return [hit["title"] for hit in json.loads(run("--library", str(library), "search", query, "--json").stdout)]


def test_search_on_an_old_library_says_the_index_is_incomplete_then_reindex_completes_it(tmp_path):
    library = old_library(tmp_path / "old.sqlite")
    before = run("--library", str(library), "search", "Москве", "--json")
    assert "run `dossier reindex`" in before.stderr
    assert json.loads(before.stdout) == []
    assert run("--library", str(library), "reindex").stdout.strip() == "search index complete: 3 articles"
    after = run("--library", str(library), "search", "Москве", "--json")
    assert after.stderr == ""
    assert sorted(hit["title"] for hit in json.loads(after.stdout)) == ["Вторая", "Первая", "Третья"]


def test_reindex_shows_its_progress_on_a_terminal(tmp_path):
    library = old_library(tmp_path / "old.sqlite")
    status, _, shown = run_on_terminal("--library", str(library), "reindex")
    assert status == 0
    assert "3/3" in shown or "3 of 3" in shown


def test_search_snippets_mark_the_inflected_forms(tmp_path):
    library = old_library(tmp_path / "old.sqlite")
    run("--library", str(library), "reindex")
    hits = json.loads(run("--library", str(library), "search", "Москва", "--json").stdout)
    assert {hit["snippet"] for hit in hits} == {
        "Делегация прибыла в [Москву].", "[Москва] встретила гостей.", "Переговоры прошли под [Москвой]."}


def test_the_note_counts_the_articles_another_program_changed_as_not_indexed(tmp_path):
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities", "--quiet")
    with sqlite3.connect(library) as conn:
        conn.execute("UPDATE documents SET title = title || ' (updated)' WHERE id = 1")
    conn.close()
    result = run("--library", str(library), "search", "China", "--json")
    assert "is not complete (4 of 5 articles indexed)" in result.stderr


def test_reindex_of_one_article_says_article(tmp_path):
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(sorted(SEEDS.iterdir())[0]), "--no-entities", "--quiet")
    assert run("--library", str(library), "reindex").stdout == "search index complete: 1 article\n"


def test_search_on_an_index_made_by_an_earlier_dossier_says_so_until_reindex(tmp_path):
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities", "--quiet")
    with sqlite3.connect(library) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'search_index_version'")
    conn.close()
    before = run("--library", str(library), "search", "China", "--json")
    assert "made by an earlier Dossier" in before.stderr and "run `dossier reindex`" in before.stderr
    run("--library", str(library), "reindex")
    assert run("--library", str(library), "search", "China", "--json").stderr == ""
