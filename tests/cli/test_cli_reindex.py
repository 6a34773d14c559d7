"""The multi-script search index of a library made before it: any command that upgrades the
library (or meets an index an earlier Dossier made) builds it first, with a progress line on a
terminal, and Ctrl+C leaves the rest to `dossier reindex`; while it is incomplete `dossier
search` says so."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from desktop.core.errors import Cancelled
from desktop.core.upgrade import pending_steps
from tests.cli.helpers import run, run_on_terminal
from tests.conftest import SEEDS
from tests.ui.journeys.test_multiscript_search_journey import old_library


def found(library: Path, query: str) -> list[str]:
    return [hit["title"] for hit in json.loads(run("--library", str(library), "search", query, "--json").stdout)]


def test_search_on_an_old_library_indexes_it_in_every_script_as_it_upgrades_it(tmp_path):
    library = old_library(tmp_path / "old.sqlite")
    first = run("--library", str(library), "search", "Москве", "--json")
    assert "dossier: indexed 3 articles for search in every script" in first.stderr.splitlines()
    assert "reindex" not in first.stderr
    assert sorted(hit["title"] for hit in json.loads(first.stdout)) == ["Вторая", "Первая", "Третья"]
    assert run("--library", str(library), "search", "Москве", "--json").stderr == ""
    assert run("--library", str(library), "reindex").stdout.strip() == "search index complete: 3 articles"


def test_ctrl_c_while_an_upgraded_library_is_indexed_keeps_the_upgrade_and_names_reindex(
        tmp_path, monkeypatch, capsys):
    from desktop.cli import main

    library = old_library(tmp_path / "old.sqlite")

    def stopped(conn, *, progress=None, cancel=None, batches=None):
        raise Cancelled("cancelled")

    monkeypatch.setattr("desktop.core.shadow_index.build_index", stopped)
    assert main(["--library", str(library), "search", "Москве", "--json"]) == 1
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err.splitlines()[-1] == ("dossier: cancelled: indexing for search stopped at 0 of 3 articles "
                                         "indexed; run `dossier reindex` to go on")
    assert pending_steps(library) == 0
    monkeypatch.undo()
    assert "run `dossier reindex`" in run("--library", str(library), "search", "Москве", "--json").stderr
    assert run("--library", str(library), "reindex").stdout.strip() == "search index complete: 3 articles"


def test_the_upgrade_shows_the_indexing_on_a_terminal(tmp_path):
    library = old_library(tmp_path / "old.sqlite")
    status, out, shown = run_on_terminal("--library", str(library), "list", "--json")
    assert status == 0 and len(json.loads(out)) == 3
    assert "Indexing for search  3/3 articles (100%)" in shown


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


def test_an_index_made_by_an_earlier_dossier_is_made_again_by_the_next_command(tmp_path):
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities", "--quiet")
    with sqlite3.connect(library) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'search_index_version'")
    conn.close()
    before = run("--library", str(library), "search", "China", "--json")
    assert before.stderr == "dossier: indexed 5 articles for search in every script\n"
    assert run("--library", str(library), "search", "China", "--json").stderr == ""
