"""`dossier tag`, `annotate`, `note` and `unhighlight`: what they print for a person and, with
``--json``, for a script (non-ASCII as it is), and what they leave in the library."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS


@pytest.fixture
def library(tmp_path) -> str:
    path = str(tmp_path / "w.sqlite")
    run("--library", path, "import", str(SEEDS), "--no-entities")
    return path


def _tags(library: str) -> dict[int, list[str]]:
    return {row["id"]: row["tags"] for row in json.loads(run("--library", library, "list", "--json").stdout)}


def test_tag_json_names_the_tag_and_the_articles_it_was_added_to_and_those_that_had_it(library):
    run("--library", library, "tag", "2", "--add", "к прочтению")
    result = run("--library", library, "tag", "1", "2", "--add", "к прочтению", "--json")
    assert json.loads(result.stdout) == {"tag": "к прочтению", "added": [1], "removed": [], "unchanged": [2]}
    assert '"к прочтению"' in result.stdout
    assert _tags(library)[1] == ["к прочтению"]


def test_tag_remove_json_names_the_articles_it_was_taken_off_and_those_without_it(library):
    run("--library", library, "tag", "1", "--add", "待读")
    result = run("--library", library, "tag", "1", "3", "--remove", "待读", "--json")
    assert json.loads(result.stdout) == {"tag": "待读", "added": [], "removed": [1], "unchanged": [3]}
    assert _tags(library)[1] == []


def test_tag_says_which_articles_already_had_the_tag_and_counts_a_repeated_id_once(library):
    first = run("--library", library, "tag", "1", "1", "2", "--add", "to read")
    assert first.stdout == "tagged 2 articles with 'to read'\n"
    again = run("--library", library, "tag", "2", "3", "--add", "to read")
    assert again.stdout == "tagged 1 article with 'to read'; 1 already had it\n"
    assert run("--library", library, "tag", "3", "--add", "to read").stdout == (
        "1 article already had the tag 'to read'\n")


def test_tag_remove_says_which_articles_did_not_have_the_tag(library):
    run("--library", library, "tag", "1", "--add", "to read")
    result = run("--library", library, "tag", "1", "4", "--remove", "to read")
    assert result.stdout == "removed 'to read' from 1 article; 1 did not have it\n"
    assert run("--library", library, "tag", "4", "--remove", "to read").stdout == (
        "1 article did not have the tag 'to read'\n")


def test_annotate_json_is_the_new_highlight_as_highlights_lists_it(library):
    made = json.loads(run("--library", library, "annotate", "1", "--start", "0", "--end", "12",
                          "--note", "сравнить", "--json").stdout)
    listed = json.loads(run("--library", library, "highlights", "1", "--json").stdout)["highlights"]
    assert listed == [made]
    assert (made["start"], made["end"], made["note"], made["colour"]) == (0, 12, "сравнить", "yellow")


def test_annotate_of_a_long_passage_prints_one_short_line(library):
    result = run("--library", library, "annotate", "1", "--start", "0", "--end", "600")
    assert result.stdout.count("\n") == 1 and len(result.stdout) <= 80
    assert result.stdout.endswith("…” in article 1 (highlight 1)\n")


def test_note_json_is_the_article_id_and_its_note_as_stored(library):
    written = run("--library", library, "note", "2", "  Проверить цифры  ", "--json")
    assert json.loads(written.stdout) == {"id": 2, "note": "Проверить цифры"}
    assert '"Проверить цифры"' in written.stdout
    cleared = run("--library", library, "note", "2", "--clear", "--json")
    assert json.loads(cleared.stdout) == {"id": 2, "note": None}


def test_unhighlight_json_lists_the_deleted_highlights(library):
    made = json.loads(run("--library", library, "annotate", "1", "--start", "0", "--end", "12", "--json").stdout)
    result = run("--library", library, "unhighlight", str(made["id"]), "--json")
    assert json.loads(result.stdout) == [made]
    assert json.loads(run("--library", library, "highlights", "1", "--json").stdout)["highlights"] == []


def test_unhighlight_with_an_unknown_id_deletes_none_of_the_others(library):
    made = json.loads(run("--library", library, "annotate", "1", "--start", "0", "--end", "12", "--json").stdout)
    result = run("--library", library, "unhighlight", str(made["id"]), "99", check=1)
    assert result.stderr == "dossier: no highlight with id 99\n" and result.stdout == ""
    assert json.loads(run("--library", library, "highlights", "1", "--json").stdout)["highlights"] == [made]


def test_a_tag_or_note_starting_with_a_dash_is_taken_as_written(library):
    assert json.loads(run("--library", library, "tag", "1", "--add", "-x", "--json").stdout)["tag"] == "-x"
    assert json.loads(run("--library", library, "note", "1", "-urgent", "--json").stdout)["note"] == "-urgent"
    made = run("--library", library, "annotate", "1", "--start", "0", "--end", "5", "--note", "-check", "--json")
    assert json.loads(made.stdout)["note"] == "-check"
    assert _tags(library)[1] == ["-x"]


def test_a_russian_tag_is_one_tag_in_any_case_for_tag_and_search(library):
    run("--library", library, "tag", "1", "--add", "К прочтению")
    again = run("--library", library, "tag", "2", "--add", "к ПРОЧТЕНИЮ")
    assert again.stdout == "tagged 1 article with 'К прочтению'\n"
    found = json.loads(run("--library", library, "search", "", "--tag", "К ПРОЧТЕНИЮ", "--json").stdout)
    assert sorted(hit["id"] for hit in found) == [1, 2]
    assert run("--library", library, "tag", "1", "2", "--remove", "к прочтению").stdout == (
        "removed 'К прочтению' from 2 articles\n")
