"""A search's per-query work is done once: the query compiled and the name looked up once for a
search and all its counts; few matches ranked and read with their snippets in one FTS5 query;
a snippet says itself whether it marked anything."""

from __future__ import annotations

import pytest

from desktop.core.library import write_transaction
from desktop.core.query import FTS_TABLE, SCRIPTS_TABLE
from desktop.core.search import (
    SNIPPET_CLOSE,
    SNIPPET_OPEN,
    Filters,
    available_facets,
    date_histogram,
    facet_counts,
    search_count,
    search_hits,
    search_ids,
)
from desktop.core.snippets import query_snippet
from tests.core.helpers import add_article, add_mention

ARTICLES = (
    ("Rudskoy opens a forum", "Andrei Rudskoy spoke about vaccines and lunar stations.", "Xinhua"),
    ("Vaccine trial", "A vaccine trial began. Рудской attended the opening.", "TASS"),
    ("Lunar plans", "China and Russia plan a lunar station; vaccines were not discussed.", "RIA"),
    ("Москва встречает гостей", "Протокол [1] подписан в Пекине и вступил в силу.", "TASS"),
)


@pytest.fixture
def db(library):
    """ARTICLES, written as the app writes (the multi-script index kept complete); Rudskoy and
    Рудской are names of one entity, mentioned in the first two."""
    db = library.db
    with write_transaction(db.conn):
        ids = [add_article(db, text, title=title, source=source, published=f"202{n}-01-01")
               for n, (title, text, source) in enumerate(ARTICLES)]
    with db.atomic():
        add_mention(db, ids[0], "PERSON", "Andrei Rudskoy")
        add_mention(db, ids[1], "PERSON", "Andrei Rudskoy")
        for alias in ("Rudskoy", "Рудской"):
            db.execute("INSERT INTO entity_aliases (label, name, entity_id) "
                       "SELECT label, ?, id FROM entities WHERE name = 'Andrei Rudskoy'", [alias])
    return db


@pytest.fixture
def statements(db):
    """Every SQL statement the library's connection runs from now on."""
    run: list[str] = []
    db.conn.set_trace_callback(run.append)
    yield run
    db.conn.set_trace_callback(None)


def _window_search(db, query: str, filters: Filters) -> None:
    """What the window asks for one query: the ids, the first page of hits, every facet's
    counts and the date histogram."""
    search_ids(db, query, filters=filters)
    search_hits(db, query, filters=filters, limit=20)
    date_histogram(db, query=query, filters=filters.with_dates(None, None))
    for facet in available_facets(db):
        facet_counts(db, facet.name, query=query, filters=filters)


def _count(statements: list[str], marker: str) -> int:
    return sum(marker in statement for statement in statements)


@pytest.mark.parametrize("filters", [Filters(), Filters().including("source", "TASS")],
                         ids=["no filter", "source filter"])
def test_a_search_and_all_its_counts_compile_and_look_up_the_name_once(db, statements, filters):
    _window_search(db, "vaccine", filters)  # the facet index is loaded before counting
    statements.clear()
    _window_search(db, "Rudskoy", filters)
    assert _count(statements, "_pending") == 1  # compile_search asks whether the index is ready
    assert _count(statements, "entity_keys") == 1  # match_name
    assert _count(statements, "FROM document_entities") == 1  # named_documents


def test_a_full_page_of_hits_for_a_name_does_not_look_up_the_articles_mentioning_it(db, statements):
    """Those articles follow the matches; a page the matches fill never reaches them (a
    frequent name's thousands of articles cost milliseconds to find and sort)."""
    hits = search_hits(db, "Rudskoy", limit=1)
    assert [hit["id"] for hit in hits] == [1] and hits[0]["also"]
    assert _count(statements, "document_entities") == 0
    assert _count(statements, "FROM mentions") == 0  # nor their snippets
    assert [hit["id"] for hit in search_hits(db, "Rudskoy", limit=5)] == [1, 2]  # 2 by its name only
    assert _count(statements, "document_entities") == 1


def test_the_query_plan_is_made_again_after_the_library_changes(db, statements):
    search_ids(db, "Rudskoy")
    with write_transaction(db.conn):
        add_article(db, "Rudskoy again.", title="Later")
    statements.clear()
    assert len(search_ids(db, "Rudskoy")) == 3
    assert _count(statements, "entity_keys") == 1


def test_a_name_search_still_finds_the_other_script(db):
    assert set(search_ids(db, "Рудской")) == set(search_ids(db, "Rudskoy")) == {1, 2}
    hits = search_hits(db, "Рудской")
    assert {hit["id"] for hit in hits} == {1, 2}
    assert all("Andrei Rudskoy" in hit["also"] for hit in hits)


# --- snippets --------------------------------------------------------------------------------


def test_query_snippet_says_whether_it_marked_a_hit():
    marks = (SNIPPET_OPEN, SNIPPET_CLOSE)
    assert query_snippet("Протокол [1] подписан.", ["москва"], marks=marks, ellipsis="…") == (
        "Протокол [1] подписан.", False)
    text, marked = query_snippet("Гости из Москвы.", ["москва"], marks=marks, ellipsis="…")
    assert marked and "[Москвы]" in text


def test_a_bracket_in_the_text_does_not_hide_a_title_hit(db):
    (hit,) = search_hits(db, "Москва")
    assert hit["snippet"] == "[Москва] встречает гостей"


# --- few matches: one query ------------------------------------------------------------------


def _hit_queries(statements: list[str], table: str) -> list[str]:
    """The statements that ranked or read hits (not the count of matches)."""
    return [s for s in statements
            if (f"{table} MATCH" in s or "FROM documents d" in s) and "count(*)" not in s]


def test_few_matches_are_ranked_and_read_with_snippets_in_one_query(db, statements):
    hits = search_hits(db, "vaccine OR lunar", follow_names=False)
    assert len(_hit_queries(statements, SCRIPTS_TABLE)) == 1
    assert [hit["id"] for hit in hits] == [row[0] for row in db.conn.execute(
        f"SELECT rowid FROM {SCRIPTS_TABLE} WHERE {SCRIPTS_TABLE} MATCH 'vaccine OR lunar' "
        "ORDER BY rank")]


def test_few_matches_in_one_query_give_the_hits_the_ranked_path_gives(db, statements):
    db.execute(f"INSERT INTO {SCRIPTS_TABLE}_pending (id) VALUES (1)")  # documents_fts in use
    one_query = search_hits(db, "vaccine OR lunar OR station", follow_names=False)
    assert len(_hit_queries(statements, FTS_TABLE)) == 1
    everything = Filters().excluding("source", "none such")  # the same set, through the ranking
    ranked = search_hits(db, "vaccine OR lunar OR station", filters=everything, follow_names=False)
    assert one_query == ranked
    assert any(f"{SNIPPET_OPEN}lunar{SNIPPET_CLOSE}" in hit["snippet"] for hit in one_query)


@pytest.mark.parametrize("query", ["vaccine", "Rudskoy", "lunar OR протокол", '"lunar station"', ""])
@pytest.mark.parametrize("filters", [Filters(), Filters().including("source", "TASS")],
                         ids=["no filter", "source filter"])
def test_counting_the_results_gives_what_listing_them_gives_without_scoring_them(db, statements, query, filters):
    listed = len(search_ids(db, query, filters=filters))
    statements.clear()
    assert search_count(db, query, filters=filters) == listed
    assert not any("bm25" in statement or "rank" in statement.lower() for statement in statements)
