"""The search box's query language: what each construct finds, and that no typed text crashes."""

from __future__ import annotations

import random

import pytest

from desktop.core.query import (
    MAX_TERMS,
    QuerySyntaxError,
    QueryTooLong,
    compile_query,
    highlight_terms,
    prefix_terms,
    scoped_query,
    typing_query,
)
from desktop.core.search import Filters, facet_counts, search_hits, search_ids

DOCUMENTS = [
    # (title, text, notes)
    ("Rudskój opens forum", "China-Russia biomedical cooperation, said Mo Hong'e of Xinhua.", None),
    ("Vaccine trial", "Russia tests a vaccine; U.S. labs watch the biomedicine results.", "ask about trial"),
    ("Lunar station", "China and Russia plan a lunar station. Cooperation deepens.", None),
    ("Arctic shipping", "Россия и Китай подписали соглашение о судоходстве.", "cooperation angle"),
    ("Cooperation summit", "Leaders met near Beijing.", None),
]


def test_a_colon_that_is_not_a_field_is_searched_as_before(library):
    library.db["documents"].insert_all([
        {"id": 1, "title": "Talks", "text": "The talks began at 10:30 in Moscow.", "sha256": "a",
         "imported_at": "2024-01-01T00:00:00+00:00"},
        {"id": 2, "title": "Link", "text": "Read it at https://bbc.co.uk/news today.", "sha256": "b",
         "imported_at": "2024-01-01T00:00:00+00:00"},
    ])
    assert search_ids(library.db, "10:30") == [1]
    assert search_ids(library.db, "https://bbc.co.uk/news") == [2]


@pytest.fixture
def db(library):
    """A library holding DOCUMENTS with ids 1..5."""
    library.db["documents"].insert_all(
        {"id": n, "title": title, "text": text, "notes": notes, "sha256": f"sha-{n}",
         "imported_at": "2024-01-01T00:00:00+00:00"}
        for n, (title, text, notes) in enumerate(DOCUMENTS, start=1)
    )
    return library.db


def found(db, query: str) -> set[int]:
    return set(search_ids(db, query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("china russia", {1, 3}),
        ("china AND russia", {1, 3}),
        ('"china and russia"', {3}),
        ("vaccine OR beijing", {2, 5}),
        ("russia -china", {2}),
        ("russia NOT china", {2}),
        ("biomed*", {1, 2}),
        ("title:cooperation", {5}),
        ('title:"lunar station"', {3}),
        ("notes:cooperation", {4}),
        ("(vaccine OR lunar) russia", {2, 3}),
        ("china lunar OR vaccine", {3}),
        ("-(china OR russia)", {4, 5}),
    ],
)
def test_query_language_finds_the_expected_documents(db, query, expected):
    assert found(db, query) == expected


def test_words_inside_the_index_are_found_regardless_of_diacritics_and_case(db):
    assert found(db, "RUDSKOJ") == found(db, "rudskój") == found(db, "Rudskoj") == {1}


def test_pure_negative_query_means_everything_except(db):
    assert found(db, "-russia") == {4, 5}


def test_punctuation_inside_words_is_searched_not_parsed(db):
    assert found(db, "Mo Hong'e") == {1}
    assert found(db, "China-Russia") == {1}
    assert found(db, "U.S.") == {2}


def test_unbalanced_quote_is_searched_as_a_phrase_to_the_end(db):
    assert found(db, '"lunar station') == {3}


@pytest.mark.parametrize(
    "query", ["“china and russia”", "„china and russia“", "«china and russia»", "「china and russia」",
              "『china and russia』", "＂china and russia＂"])
def test_typographic_quotes_search_a_phrase_as_straight_quotes_do(db, query):
    assert found(db, query) == found(db, '"china and russia"') == {3}
    assert highlight_terms(query + " lunar") == ["china and russia", "lunar"]


def test_an_unclosed_typographic_quote_runs_to_the_end_and_is_not_completed_while_typing(db):
    assert found(db, "«lunar station") == {3}
    assert typing_query("“lunar stat") == "“lunar stat"
    assert found(db, "«biomed»*") == {1, 2}
    assert prefix_terms("«biomed»* lun*") == ["biomed", "lun"]


def test_unbalanced_parentheses_are_closed(db):
    assert found(db, "((vaccine OR lunar") == {2, 3}
    assert found(db, "vaccine)) trial") == {2}


def test_dangling_operators_are_ignored(db):
    assert found(db, "vaccine OR") == found(db, "AND vaccine") == {2}


def test_cyrillic_words_are_found(db):
    assert found(db, "россия") == {4}


def test_sql_injection_is_searched_as_words_and_changes_nothing(db):
    assert found(db, "x'; DROP TABLE documents; --") == set()
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(DOCUMENTS)


def test_near_is_an_ordinary_word(db):
    assert found(db, "NEAR(beijing") == {5}


@pytest.mark.parametrize("query", ["AND", "OR OR", "(((", "*", "-", "title:", '"', "🎉", "NOT", "()"])
def test_query_with_nothing_to_search_gets_a_one_line_message(db, query):
    with pytest.raises(QuerySyntaxError) as caught:
        search_ids(db, query)
    assert "Nothing to search for" in str(caught.value) and "\n" not in str(caught.value)


def test_repeated_words_and_groups_are_searched_once(db):
    assert compile_query("a* " * 1600).match == '"a" *'
    assert compile_query("Russia russia (russia) OR RUSSIA").match == '"Russia"'
    assert compile_query("(china OR lunar) (lunar OR china) -x -x").match == '(("china" OR "lunar") NOT "x")'
    assert found(db, "russia " * 100 + "china* " * 100) == found(db, "russia china*") == {1, 3}


def test_a_query_with_more_words_than_one_search_takes_is_refused_in_one_line(db):
    words = [f"w{n}*" for n in range(MAX_TERMS + 1)]
    assert found(db, " ".join(words[:MAX_TERMS])) == set()
    with pytest.raises(QueryTooLong) as caught:
        search_ids(db, " OR ".join(words))
    assert str(caught.value) == (f"The query has {MAX_TERMS + 1} words and phrases; "
                                 f"at most {MAX_TERMS} can be searched at once.")


def test_blank_query_selects_everything(db):
    assert compile_query("   ").match is None
    assert found(db, "  ") == {1, 2, 3, 4, 5}


def test_highlight_terms_list_positive_words_phrases_and_prefixes():
    assert highlight_terms('russia "lunar station" biomed* -china title:Beijing') == [
        "russia", "lunar station", "biomed", "Beijing"
    ]


def test_a_word_searched_only_in_the_notes_is_not_marked_in_the_article():
    assert highlight_terms("notes:(russia)") == []
    assert highlight_terms('lunar notes:(russia OR "key claim") -NOTES:x title:Beijing') == ["lunar", "Beijing"]


def test_highlight_terms_of_a_broken_query_is_empty():
    assert highlight_terms("(((") == []


# --- rewriting what is typed: while typing, in one column, prefixes to highlight --------------


def test_a_half_typed_last_word_finds_what_the_whole_word_would(db):
    assert found(db, typing_query("lunar stat")) == found(db, "lunar station") == {3}


@pytest.mark.parametrize("typed", ["Rudskoj ", '"lunar stat', "vaccine)", "russia AND", "notes:", ""])
def test_text_that_is_not_a_bare_last_word_is_searched_as_typed(typed):
    assert typing_query(typed) == typed


def test_a_scoped_query_finds_words_only_in_that_column(db):
    assert found(db, scoped_query("cooperation", "notes")) == {4}
    assert found(db, scoped_query("cooperation OR trial", "title")) == {2, 5}


def test_a_stray_bracket_cannot_close_the_scope_early(db):
    assert scoped_query("trial) OR china", "notes") == "notes:(trial  OR china)"
    assert found(db, scoped_query("trial) OR china", "notes")) == {2}


def test_prefix_terms_are_the_words_typed_with_a_star_without_field_or_brackets():
    assert prefix_terms('biomed* (lun* OR "station") title:vacc* -arct* russia') == [
        "biomed", "lun", "vacc", "arct"
    ]


NASTY = list('abcxyz ()"*-:\'.,;%_\\/{}[]^$+~') + [
    "AND", "OR", "NOT", "NEAR", "title:", "notes:", "text:", "body:", " OR ", " AND ", "-(",
    "é", "ó", "Ж", "中", "国", "🎉", "\u0301", "\x00", "\t", "\n", "\ud800", "\u200b", "ﬁ",
    "russia", "china", "'; DROP TABLE documents; --", '""', "**", "NEAR(", ")",
]


def test_random_queries_give_results_or_a_query_syntax_error(db):
    rng = random.Random(20261121)
    outcomes = {"results": 0, "message": 0}
    for number in range(3000):
        query = "".join(rng.choice(NASTY) for _ in range(rng.randint(1, 12)))
        try:
            search_ids(db, query)
            search_ids(db, query, sort="title", filters=Filters().excluding("tag", "x"))
            highlight_terms(query)
            if number % 20 == 0:
                facet_counts(db, "source", query=query)
                search_hits(db, query, limit=3)
            outcomes["results"] += 1
        except QuerySyntaxError as err:
            assert str(err).startswith("Nothing to search for") and "\n" not in str(err)
            outcomes["message"] += 1
    assert outcomes["results"] > 1000 and outcomes["message"] > 0


@pytest.mark.parametrize(("typed", "advice"), [
    ("oil or gas", "“or” was searched as a word; to find articles with either word, write OR."),
    ("oil not gas", "“not” was searched as a word; to leave a word out, write NOT or -word."),
    ("title:oil or (gas)", "“or” was searched as a word; to find articles with either word, write OR."),
    ("oil OR gas", None), ('"oil or gas"', None), ("or gas", None), ("oil or", None), ("oil or*", None),
    ("oil AND", "“AND” was left out: it goes between two words (oil AND gas)."),
    ("OR gas", "“OR” was left out: it goes between two words (oil OR gas)."),
    ("oil NOT", "“NOT” was left out: a word must follow it (oil NOT gas)."),
    ("Путин NEAR", "“NEAR” was searched as a word: there is no NEAR operator."),
    ('"合作 AND', "The quote is not closed, so “合作 AND” was searched as one phrase."),
    ("oil AND NOT gas", None), ("NOT gas", None), ("(oil OR gas) AND steel", None), ('"合作', None),
    ("ti:mobile", "There is no field “ti:”: search title:, text: or notes:."),
    ("title:ti:mobile", "There is no field “ti:”: search title:, text: or notes:."),
    ("oil Source:BBC", "There is no field “Source:”: use the Source filter in the sidebar, "
                       "or search title:, text: or notes:."),
    ("-author:smith", "There is no field “author:”: use the Author filter in the sidebar, "
                      "or search title:, text: or notes:."),
    ("tag:energy", "There is no field “tag:”: use the Tags filter in the sidebar, or search title:, text: or notes:."),
    ("title:mobile", None), ("notes:oil", None), ("meeting at 10:30", None), ("https://bbc.co.uk/news", None),
    ("doi:10.1000/182", None), ("Update:", None),
])
def test_an_operator_read_otherwise_than_it_was_most_likely_meant_gets_a_line_of_advice(typed, advice):
    from desktop.core.query_advice import operator_advice

    assert operator_advice(typed) == advice


@pytest.mark.parametrize(("typed", "advice"), [
    ("oil Source:BBC", "There is no field “Source:”: use --source, or search title:, text: or notes:."),
    ("year:2019", "There is no field “year:”: use --since and --until, or search title:, text: or notes:."),
    ("author:smith", "There is no field “author:”: search title:, text: or notes:."),
])
def test_the_command_line_is_advised_its_own_options_not_the_sidebar(typed, advice):
    from desktop.core.query_advice import operator_advice

    assert operator_advice(typed, command_line=True) == advice
