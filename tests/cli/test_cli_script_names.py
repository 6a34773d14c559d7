"""`dossier search` follows a name into other scripts and says so; `--exact` does not."""

from __future__ import annotations

import json

import pytest

from desktop.core.entities import mark_mention
from desktop.core.library import open_library
from tests.cli.helpers import run
from tests.core.helpers import add_article, span


@pytest.fixture
def scripts(library_path):
    with open_library(library_path) as library:
        for n, (title, text, name) in enumerate([
            ("Drills", "Andrei Rudskoy said the drills went well.", "Andrei Rudskoy"),
            ("Учения", "Генерал Андрей Рудской заявил об учениях.", "Андрей Рудской"),
        ]):
            doc = add_article(library.db, text, title=title, published=f"2020-01-0{n + 1}")
            start, end = span(library.db, doc, name)
            mark_mention(library.db, doc, start=start, end=end, label="PERSON")
    return str(library_path)


def test_search_lists_the_article_in_another_script_and_says_so(scripts):
    out = run("--library", scripts, "search", "Andrei Rudskoy").stdout.splitlines()
    assert out[0] == "also: Андрей Рудской"
    assert any("Учения" in line and "(as Андрей Рудской)" in line for line in out)
    assert any("[Андрей Рудской]" in line for line in out)


def test_search_json_marks_the_name_an_article_was_found_under(scripts):
    hits = json.loads(run("--library", scripts, "search", "Андрей Рудской", "--json").stdout)
    assert [h["title"] for h in hits] == ["Учения", "Drills"]
    assert hits[0]["also"] == ["Andrei Rudskoy"] and "found_as" not in hits[0]
    assert hits[1]["found_as"] == "Andrei Rudskoy"


def test_exact_searches_only_the_words_typed(scripts):
    hits = json.loads(run("--library", scripts, "search", "Andrei Rudskoy", "--exact", "--json").stdout)
    assert [h["title"] for h in hits] == ["Drills"] and "also" not in hits[0]
    assert "also:" not in run("--library", scripts, "search", "Andrei Rudskoy", "--exact").stdout


def test_searching_a_common_word_does_not_list_the_names_it_begins(library_path):
    """`dossier search the` printed "also: The Beatles": the articles write 'the' in lower case."""
    with open_library(library_path) as library:
        doc = add_article(library.db, "The Beatles played the hits of the day to the crowd.", title="Hits")
        start, end = span(library.db, doc, "The Beatles")
        mark_mention(library.db, doc, start=start, end=end, label="PERSON")
    assert "also:" not in run("--library", str(library_path), "search", "the").stdout
    assert run("--library", str(library_path), "search", "Beatles").stdout.startswith("also: The Beatles")


@pytest.fixture
def merged(scripts):
    """The two names merged into one entity written 'Andrei Rudskoy', also written 'Андрей Рудской'."""
    from desktop.core.entities import find_entity, merge_entities

    with open_library(scripts) as library:
        latin, cyrillic = (find_entity(library.db, "PERSON", name)["id"]
                           for name in ("Andrei Rudskoy", "Андрей Рудской"))
        merge_entities(library.db, [cyrillic], into=latin)
    return scripts


@pytest.mark.parametrize("entity", ["PERSON:Андрей Рудской", "PERSON:андрей рудской", "PERSON:andrei rudskoy"])
def test_an_entity_filter_finds_the_entity_by_any_name_it_is_written_in_any_case(merged, entity):
    hits = json.loads(run("--library", merged, "search", "", "--entity", entity, "--json").stdout)
    assert sorted(h["title"] for h in hits) == ["Drills", "Учения"]
