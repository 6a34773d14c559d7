"""`dossier search` as a person reads it: how many matched when the list is cut, a search that
finds nothing, a query that starts with a dash, and a query too long to search or with nothing
to search for (a usage error)."""

from __future__ import annotations

import json

import pytest

from desktop.core.query import MAX_TERMS
from tests.cli.helpers import run
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("search") / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--no-entities")
    return str(path)


def _ids(library: str, *args: str) -> list[int]:
    return [hit["id"] for hit in json.loads(run("--library", library, "search", "--json", *args).stdout)]


def test_a_cut_list_says_on_stderr_how_many_articles_match(seeded):
    every = _ids(seeded, "China")
    assert len(every) == 5
    result = run("--library", seeded, "search", "China", "--limit", "2")
    assert result.stderr == "dossier: 2 of 5 articles (--limit N for more)\n"
    assert run("--library", seeded, "search", "China", "--limit", "5").stderr == ""


def test_a_search_that_finds_nothing_says_so_on_stderr_and_exits_0(seeded):
    result = run("--library", seeded, "search", "zeppelin", check=0)
    assert result.stdout == "" and result.stderr == "dossier: no articles match\n"
    result = run("--library", seeded, "search", "zeppelin", "--json", check=0)
    assert json.loads(result.stdout) == [] and result.stderr == "dossier: no articles match\n"


def test_a_query_may_start_with_a_dash_to_leave_articles_out(seeded):
    harbin = set(_ids(seeded, "Harbin"))
    every = set(_ids(seeded, "China"))
    assert harbin and _ids(seeded, "-Harbin") == _ids(seeded, "--", "-Harbin")
    assert set(_ids(seeded, "-Harbin")) == every - harbin
    assert len(_ids(seeded, "--limit", "1", "-Harbin")) == 1


def test_a_query_with_more_words_than_one_search_takes_is_a_usage_error_in_one_line(seeded):
    query = " ".join(f"word{n}*" for n in range(MAX_TERMS + 1))
    result = run("--library", seeded, "search", query, check=2)
    assert result.stdout == ""
    assert result.stderr == (f"dossier search: the query has {MAX_TERMS + 1} words and phrases; "
                             f"at most {MAX_TERMS} can be searched at once; see dossier search --help\n")


@pytest.mark.parametrize("query", ["AND", "NOT", "OR", "-", '"', "*", "()", "AND OR NOT", "title:", "…"])
def test_a_query_of_only_operators_or_punctuation_is_a_usage_error_naming_it(seeded, query):
    result = run("--library", seeded, "search", query, check=2)
    assert result.stdout == ""
    assert result.stderr == (f"dossier search: nothing to search for in “{query}”: type a word or a "
                             f'"phrase"; see dossier search --help\n')


def test_an_export_whose_query_has_nothing_to_search_for_is_a_usage_error_and_writes_nothing(seeded, tmp_path):
    out = tmp_path / "found.csv"
    result = run("--library", seeded, "export", "--format", "csv", "--out", str(out), "--query", "NOT", check=2)
    assert result.stderr.startswith("dossier export: nothing to search for in “NOT”") and not out.exists()


def test_a_snippet_marks_a_hit_written_with_diacritics_deep_in_the_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    opening = "The delegation arrived on Monday and toured the laboratories. " * 8
    (folder / "a.txt").write_text("Talks in Moscow\n\n" + opening + "General Rudskój met the visitors "
                                  "at a café in İstanbul.\n", encoding="utf-8")
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(folder), "--no-entities")
    for query, marked in (("Rudskoj", "[Rudskój]"), ("cafe", "[café]"), ("Istanbul", "[İstanbul]")):
        (hit,) = json.loads(run("--library", library, "search", "--json", query).stdout)
        assert marked in hit["snippet"], query


def test_or_in_lower_case_is_searched_as_a_word_and_stderr_says_how_to_write_either(seeded):
    result = run("--library", seeded, "search", "Harbin or Tomsk", check=0)
    assert result.stderr.startswith("dossier: “or” was searched as a word; to find articles with either word, "
                                    "write OR\n")
    assert run("--library", seeded, "search", "Harbin OR Tomsk").stderr == ""


@pytest.mark.parametrize("query, advice", [
    ("Harbin AND", "“AND” was left out: it goes between two words (oil AND gas)"),
    ("Harbin NEAR", "“NEAR” was searched as a word: there is no NEAR operator"),
    ('"Harbin AND', "the quote is not closed, so “Harbin AND” was searched as one phrase"),
])
def test_a_stray_operator_or_an_open_quote_is_explained_on_stderr_as_the_window_does(seeded, query, advice):
    result = run("--library", seeded, "search", query, check=0)
    assert result.stderr.startswith(f"dossier: {advice}\n")


@pytest.mark.parametrize("option, value, why", [
    ("--tag", "to raed", "no article has the tag 'to raed'"),
    ("--source", "Xinhau", "no article is from 'Xinhau'"),
    ("--entity", "PERSON:Rudskoi", "no article mentions PERSON:Rudskoi"),
])
def test_a_filter_naming_what_the_library_lacks_is_named_when_nothing_matches(seeded, option, value, why):
    result = run("--library", seeded, "search", "China", option, value, "--json")
    assert json.loads(result.stdout) == []
    assert result.stderr.endswith(f"dossier: no articles match: {why}\n")
    assert run("--library", seeded, "search", "zebra", "--source", "Xinhua").stderr == "dossier: no articles match\n"


@pytest.mark.parametrize("since, until", [("2021", "2017"), ("2017-06", "2017-05"), ("2017-06-15", "2017-06-14")])
def test_a_since_later_than_until_is_a_usage_error_naming_both(seeded, since, until):
    result = run("--library", seeded, "search", "China", "--since", since, "--until", until, check=2)
    assert result.stderr == (f"dossier search: --since {since} is later than --until {until}; "
                             "see dossier search --help\n")


@pytest.mark.parametrize("since, until", [("2017-11", "2017"), ("2017", "2017-11"), ("2017-11-15", "2017-11-15")])
def test_a_since_within_until_searches_the_dates_they_share(seeded, since, until):
    assert _ids(seeded, "China", "--since", since, "--until", until)


def test_a_misspelt_search_says_which_words_would_find_articles(seeded):
    result = run("--library", seeded, "search", "reserch cooperation")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == "dossier: no articles match; did you mean 'research cooperation'?\n"
    assert len(_ids(seeded, "research cooperation")) > 0
    assert _ids(seeded, "research", "--source", "Xinhua") == []  # so it is not offered there
    assert run("--library", seeded, "search", "reserch", "--source", "Xinhua").stderr == \
        "dossier: no articles match\n"


def test_a_field_that_does_not_exist_is_answered_with_the_option_that_does_it(seeded):
    result = run("--library", seeded, "search", "source:xinhua")
    assert result.stderr.splitlines()[0] == \
        "dossier: there is no field “source:”: use --source, or search title:, text: or notes:"
