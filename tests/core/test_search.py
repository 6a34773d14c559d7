"""Search results, filters, sorting, facet counts, the date histogram, snippets and list rows."""

from __future__ import annotations

import hashlib

import pytest

from desktop.core.errors import Cancelled, InvalidInput
from desktop.core.filters import dates_label
from desktop.core.library import now_iso
from desktop.core.search import (
    SNIPPET_CLOSE,
    SNIPPET_OPEN,
    UNTAGGED,
    Filters,
    available_facets,
    count_documents,
    date_histogram,
    facet_counts,
    fetch_rows,
    search_hits,
    search_ids,
)
from tests.core.helpers import add_mention

# id: title, text, published, source, author, starred, read_state, tags, entities
ARTICLES = {
    1: ("Rudskój opens biomedical forum", "Russian and Chinese scientists discussed biomedicine.",
        "2017-11-15", "Xinhua", "Mo Hong'e", 0, "read", ["asia/china", "health"],
        [("PERSON", "Andrei Rudskoy"), ("PERSON", "Zhang Zhijun"), ("GPE", "Russia")]),
    2: ("Vaccine trial in Moscow", "A vaccine developed with Rudskój's university entered trials.",
        "2020-03-02", "TASS", "Ivan Petrov", 1, "unread", ["health"],
        [("GPE", "Russia"), ("ORG", "Gamaleya Institute")]),
    3: ("Lunar station plans", "China and Russia plan a lunar research station by 2030.",
        "2021-06-20", "Xinhua", None, 0, "to_read", ["asia"],
        [("PERSON", "Zhang Zhijun"), ("GPE", "China"), ("GPE", "Russia")]),
    4: ("Arctic shipping", "Shipping through the Arctic grows as ice retreats.",
        "2017-06-05", "RIA", "Anna Ivanova", 1, "unread", [], [("LOC", "Arctic")]),
    5: ("Undated memo", "A memo on science cooperation without a date.",
        None, None, None, 0, "unread", [], []),
}


@pytest.fixture
def db(library):
    """A library holding ARTICLES with their tags and entity mentions."""
    db = library.db
    with db.atomic():
        for doc_id, (title, text, published, source, author, starred, state, tags, entities) in ARTICLES.items():
            db.execute(
                "INSERT INTO documents (id, title, text, published, source, author, sha256, "
                "imported_at, word_count, starred, read_state, path) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, title, text, published, source, author,
                 hashlib.sha256(text.encode()).hexdigest(), f"2024-01-0{doc_id}T00:00:00+00:00",
                 len(text.split()), starred, state, f"/corpus/{doc_id}.txt"],
            )
            for tag in tags:
                db.execute("INSERT OR IGNORE INTO tags (name, created) VALUES (?, ?)", [tag, now_iso()])
                db.execute(
                    "INSERT INTO document_tags (document_id, tag_id) "
                    "SELECT ?, id FROM tags WHERE name = ?", [doc_id, tag])
            for label, name in entities:
                add_mention(db, doc_id, label, name)
    return db


def ids(db, query="", **kwargs) -> set[int]:
    return set(search_ids(db, query, **kwargs))


# --- filters ---------------------------------------------------------------------------------


def test_source_filter_keeps_only_that_outlet(db):
    assert ids(db, filters=Filters().including("source", "Xinhua")) == {1, 3}


def test_two_values_of_one_facet_are_alternatives(db):
    filters = Filters().including("source", "Xinhua").including("source", "RIA")
    assert ids(db, filters=filters) == {1, 3, 4}


def test_values_of_different_facets_must_all_hold(db):
    filters = Filters().including("source", "Xinhua").including("tag", "health")
    assert ids(db, filters=filters) == {1}


def test_excluding_a_source_keeps_documents_without_a_source(db):
    assert ids(db, filters=Filters().excluding("source", "Xinhua")) == {2, 4, 5}


def test_filters_narrow_a_text_search(db):
    assert ids(db, "russia", filters=Filters().including("year", "2021")) == {3}


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [("2017", "2017", {1, 4}), ("2017-07", "2020-03", {1, 2}), ("2017-06-05", "2017-06-05", {4}),
     (None, "2017-12-31", {1, 4}), ("2020", None, {2, 3})],
)
def test_date_bounds_are_inclusive_and_leave_out_undated(db, date_from, date_to, expected):
    assert ids(db, filters=Filters().with_dates(date_from, date_to)) == expected


@pytest.mark.parametrize("bad", ["2017-13", "17", "yesterday", "2017-02-30"])
def test_malformed_date_is_refused_with_a_message(bad):
    with pytest.raises(InvalidInput, match="not a date"):
        Filters().with_dates(bad, None)


def test_parent_tag_selects_its_children(db):
    assert ids(db, filters=Filters().including("tag", "asia")) == {1, 3}


def test_tag_filter_ignores_case(db):
    assert ids(db, filters=Filters().including("tag", "HEALTH")) == {1, 2}


def test_untagged_pseudo_tag_selects_documents_without_tags(db):
    assert ids(db, filters=Filters().including("tag", UNTAGGED)) == {4, 5}


def test_state_filter_combines_starred_and_reading_state(db):
    filters = Filters().including("state", "starred").including("state", "read")
    assert ids(db, filters=filters) == {1, 2, 4}


def test_entity_filter_selects_documents_mentioning_it(db):
    assert ids(db, filters=Filters().including("entity:GPE", "China")) == {3}


def test_excluding_an_entity_leaves_out_its_documents(db):
    assert ids(db, filters=Filters().excluding("entity:GPE", "Russia")) == {4, 5}


BOTH_PEOPLE = Filters().including("entity:PERSON", "Andrei Rudskoy").including("entity:PERSON", "Zhang Zhijun")
BOTH_PLACES = Filters().including("entity:GPE", "China").including("entity:GPE", "Russia")


def test_two_people_chosen_give_only_the_articles_mentioning_both(db):
    assert ids(db, filters=BOTH_PEOPLE) == {1}


def test_two_places_chosen_narrow_a_text_search_to_articles_mentioning_both(db):
    assert ids(db, "cooperation OR russia* OR china", filters=BOTH_PLACES) == {3}


def test_hits_list_only_articles_mentioning_both_chosen_people(db):
    assert [hit["id"] for hit in search_hits(db, "", filters=BOTH_PEOPLE)] == [1]


def test_date_histogram_counts_only_articles_mentioning_both_chosen_people(db):
    assert date_histogram(db, filters=BOTH_PEOPLE) == [("2017", 1)]


def test_a_chosen_entity_that_no_article_mentions_leaves_no_results(db):
    assert ids(db, filters=BOTH_PEOPLE.including("entity:PERSON", "Nobody Known")) == set()


def test_excluding_two_entities_leaves_out_articles_mentioning_either(db):
    filters = Filters().excluding("entity:GPE", "China").excluding("entity:PERSON", "Andrei Rudskoy")
    assert ids(db, filters=filters) == {2, 4, 5}
    assert ids(db, filters=Filters().excluding("entity:GPE", "China").excluding("entity:GPE", "Russia")) == {4, 5}


def test_an_entity_can_be_required_while_another_of_its_type_is_excluded(db):
    filters = Filters().including("entity:GPE", "Russia").excluding("entity:GPE", "China")
    assert ids(db, filters=filters) == {1, 2}


def test_including_a_value_takes_it_out_of_the_exclusions():
    filters = Filters().excluding("source", "TASS").including("source", "TASS")
    assert filters.chips() == [("source", "TASS", False)]


def test_without_removes_a_chip_and_clears_a_date_bound():
    filters = Filters().including("tag", "health").with_dates("2017", "2018")
    assert filters.without("tag", "health").without("date_from", "2017").chips() == [
        ("dates", "../2018", False)
    ]


def test_the_date_bounds_are_one_chip_whose_removal_clears_both():
    filters = Filters().including("tag", "health").with_dates("1987-02", "1987-02")
    assert filters.chips() == [("tag", "health", False), ("dates", "1987-02/1987-02", False)]
    assert filters.without("dates", "1987-02/1987-02") == Filters().including("tag", "health")


@pytest.mark.parametrize(("interval", "label"), [
    ("1987-02/1987-02", "February 1987"),
    ("1987/1987", "1987"),
    ("1987-02/1987-05", "February – May 1987"),
    ("1987-11/1988-02", "November 1987 – February 1988"),
    ("1987/1990", "1987 – 1990"),
    ("1987-02-03/1987-02-09", "3 – 9 February 1987"),
    ("2017-03-03/..", "from 3 March 2017"),
    ("../2018", "until 2018"),
])
def test_date_bounds_read_as_a_period(interval, label):
    assert dates_label(interval) == label


def test_equal_filters_are_interchangeable_as_keys():
    assert {Filters().including("tag", "a"): 1}[Filters().including("tag", "a")] == 1


def test_filters_survive_a_json_round_trip():
    filters = Filters().including("entity:PERSON", "Mo Hong'e").excluding("tag", "x").with_dates("2017", None)
    assert Filters.from_json(filters.to_json()) == filters


def test_empty_saved_filters_mean_no_filter():
    assert Filters.from_json("{}").is_empty()


def test_damaged_saved_filters_raise_a_clear_message():
    with pytest.raises(InvalidInput, match="saved filters"):
        Filters.from_json("[1, 2")


def test_unknown_facet_is_refused():
    with pytest.raises(InvalidInput, match="colour"):
        Filters().including("colour", "red")


# --- sorting ---------------------------------------------------------------------------------


def test_title_hit_ranks_above_body_hit(db):
    assert search_ids(db, "vaccine")[0] == 2
    assert search_ids(db, "rudskoj") == [1, 2]


def test_relevance_without_query_lists_newest_first_and_undated_last(db):
    assert search_ids(db) == [3, 2, 1, 4, 5]


@pytest.mark.parametrize("descending", [False, True])
def test_documents_without_a_source_sort_last_both_ways(db, descending):
    assert search_ids(db, sort="source", descending=descending)[-1] == 5


def test_sort_by_title_ignores_case_and_reverses(db):
    ascending = search_ids(db, sort="title")
    assert ascending == [4, 3, 1, 5, 2]
    assert search_ids(db, sort="title", descending=True) == ascending[::-1]


def test_sort_by_state_lists_starred_first_then_to_read_unread_read_and_reverses(db):
    assert search_ids(db, sort="state") == [2, 4, 3, 5, 1]
    assert search_ids(db, sort="state", descending=True) == [1, 5, 3, 4, 2]


def test_sort_by_language_follows_the_shown_names_with_no_language_last_both_ways(db):
    for doc_id, code in {1: "ru", 2: "zh", 3: "en", 4: "de"}.items():
        db.execute("UPDATE documents SET language = ? WHERE id = ?", [code, doc_id])
    assert search_ids(db, sort="language") == [2, 3, 4, 1, 5]  # Chinese, English, German, Russian
    assert search_ids(db, sort="language", descending=True) == [1, 4, 3, 2, 5]
    assert search_ids(db, "russia*", sort="language") == [3, 1]


def test_sort_applies_to_search_results(db):
    assert search_ids(db, "russia*", sort="word_count", descending=True) == [3, 1]


def test_unknown_sort_key_is_refused(db):
    with pytest.raises(InvalidInput, match="sort"):
        search_ids(db, sort="colour")


def test_interrupted_search_raises_cancelled(db):
    db.conn.set_progress_handler(lambda: 1, 1)
    try:
        with pytest.raises(Cancelled):
            search_ids(db, "russia", sort="published")
    finally:
        db.conn.set_progress_handler(None, 1)


def test_interrupted_facet_count_raises_cancelled_and_the_next_count_is_right(db):
    db.conn.set_progress_handler(lambda: 1, 1)
    try:
        with pytest.raises(Cancelled):
            facet_counts(db, "source", query="russia*")
    finally:
        db.conn.set_progress_handler(None, 1)
    assert facet_counts(db, "source", query="russia*") == [("Xinhua", 2)]


# --- facets ----------------------------------------------------------------------------------


def test_facet_counts_follow_the_query(db):
    assert facet_counts(db, "source", query="russia*") == [("Xinhua", 2)]


def test_facet_keeps_showing_other_values_of_its_own_selection(db):
    filters = Filters().including("source", "Xinhua")
    assert facet_counts(db, "source", filters=filters) == [("Xinhua", 2), ("RIA", 1), ("TASS", 1)]


def test_entity_facet_counts_drill_down_within_the_chosen_entity(db):
    filters = Filters().including("entity:GPE", "China")
    assert facet_counts(db, "entity:GPE", filters=filters) == [("China", 1), ("Russia", 1)]


def test_people_facet_counts_only_articles_mentioning_every_chosen_person(db):
    assert facet_counts(db, "entity:PERSON", filters=BOTH_PEOPLE) == [("Andrei Rudskoy", 1), ("Zhang Zhijun", 1)]
    assert facet_counts(db, "entity:GPE", filters=BOTH_PEOPLE) == [("Russia", 1)]


def test_source_facet_still_offers_other_outlets_beside_chosen_entities(db):
    filters = BOTH_PLACES.including("source", "Xinhua")
    assert facet_counts(db, "source", filters=filters) == [("Xinhua", 1)]
    assert facet_counts(db, "source", filters=Filters().including("source", "TASS")) == [
        ("Xinhua", 2), ("RIA", 1), ("TASS", 1)]


def test_other_facets_count_within_the_selection(db):
    filters = Filters().including("source", "Xinhua")
    assert facet_counts(db, "year", filters=filters) == [("2017", 1), ("2021", 1)]


def test_facet_filter_box_ignores_case_and_diacritics(db):
    assert facet_counts(db, "entity:PERSON", contains="RUDSKÓY") == [("Andrei Rudskoy", 1)]


def test_facet_limit_keeps_the_most_frequent_values(db):
    assert facet_counts(db, "entity:GPE", limit=1) == [("Russia", 3)]


def test_tag_facet_counts_untagged_documents(db):
    assert dict(facet_counts(db, "tag")) == {"health": 2, "asia/china": 1, "asia": 1, UNTAGGED: 2}


def test_state_facet_counts_each_state(db):
    assert dict(facet_counts(db, "state")) == {"unread": 3, "starred": 2, "read": 1, "to_read": 1}


def test_facet_counts_change_after_tagging(db):
    before = dict(facet_counts(db, "tag", query="russia*"))
    db.execute("INSERT INTO document_tags (document_id, tag_id) SELECT 3, id FROM tags WHERE name = 'health'")
    after = dict(facet_counts(db, "tag", query="russia*"))
    assert (before["health"], after["health"]) == (1, 2)


def test_facet_counts_see_changes_made_through_another_connection(db, library):
    assert "starred" not in dict(facet_counts(db, "state", query="russia*"))
    other = library.connect()
    with other.db.atomic():
        other.db.execute("UPDATE documents SET starred = 1 WHERE id = 3")
    other.close()
    assert dict(facet_counts(db, "state", query="russia*"))["starred"] == 1


def test_available_facets_add_one_per_entity_label_present(db):
    names = [facet.name for facet in available_facets(db)]
    assert names == ["source", "author", "language", "year", "tag", "state", "copies", "entity:PERSON",
                     "entity:ORG", "entity:GPE", "entity:LOC"]


def test_date_histogram_counts_years_without_undated(db):
    assert date_histogram(db) == [("2017", 2), ("2020", 1), ("2021", 1)]


def test_date_histogram_splits_a_year_into_months(db):
    assert date_histogram(db, query="shipping OR biomedicine", year="2017") == [("2017-06", 1), ("2017-11", 1)]


# --- hits and rows ---------------------------------------------------------------------------


def test_hit_snippet_marks_the_matched_word(db):
    (hit,) = search_hits(db, "lunar research")
    assert f"{SNIPPET_OPEN}research{SNIPPET_CLOSE}" in hit["snippet"]
    assert hit["path"] == "/corpus/3.txt" and hit["tags"] == ["asia"]


def test_hits_respect_filters_and_limit(db):
    hits = search_hits(db, "russia OR vaccine", filters=Filters().including("tag", "health"), limit=1)
    assert [hit["id"] for hit in hits] == [2]


def test_hits_without_query_show_the_opening_of_the_newest(db):
    hits = search_hits(db, "", limit=1)
    assert hits[0]["snippet"] == ARTICLES[3][1]


def test_everything_except_query_lists_the_rest_newest_first(db):
    assert [hit["id"] for hit in search_hits(db, "-russia*")] == [2, 4, 5]


def test_fetch_rows_returns_list_columns_and_skips_missing_ids(db):
    rows = fetch_rows(db, [2, 99])
    assert rows == {2: {"id": 2, "title": "Vaccine trial in Moscow", "published": "2020-03-02",
                        "source": "TASS", "author": "Ivan Petrov", "word_count": 8, "tags": ["health"],
                        "starred": True, "read_state": "unread"}}


def test_count_documents_counts_the_library(db):
    assert count_documents(db) == 5


@pytest.mark.parametrize(
    ("facet", "expected"),
    [("source", {"Xinhua": 2, "TASS": 1}), ("tag", {"health": 2, "asia": 1, "asia/china": 1, UNTAGGED: 1}),
     ("entity:GPE", {"Russia": 3, "China": 1}), ("state", {"unread": 2, "starred": 1, "read": 1, "to_read": 1}),
     ("year", {"2017": 1, "2020": 1, "2021": 1})],
)
def test_facet_counts_over_most_of_the_library_leave_out_the_rest(db, facet, expected):
    assert dict(facet_counts(db, facet, query="-arctic")) == expected


# --- facet counts agree with the results they describe, and follow every change ---------------

COMBINATIONS = [
    ("", Filters()),
    ("russia*", Filters()),
    ("-arctic", Filters()),
    ("", Filters().excluding("source", "Xinhua")),
    ("", Filters().including("tag", "asia")),
    ("", Filters().including("tag", UNTAGGED).including("state", "unread")),
    ("", Filters().excluding("entity:GPE", "China").with_dates("2017-06", "2020")),
    ("russia OR vaccine", Filters().including("state", "starred")),
    ("", Filters().with_dates("2017-06-05", None)),
    ("", BOTH_PEOPLE),
    ("russia*", BOTH_PLACES),
    ("-arctic", Filters().including("entity:GPE", "Russia").excluding("entity:PERSON", "Zhang Zhijun")),
    ("", Filters().including("entity:PERSON", "Zhang Zhijun").including("source", "Xinhua")
     .including("source", "TASS")),
]
FACET_VALUES = [("source", ["Xinhua", "TASS", "RIA"]), ("year", ["2017", "2020", "2021"]),
                ("tag", ["asia/china", "health", UNTAGGED]),  # a parent tag also selects children
                ("state", ["starred", "unread", "read", "to_read"]),
                ("entity:GPE", ["Russia", "China"]), ("entity:PERSON", ["Andrei Rudskoy", "Zhang Zhijun"]),
                ("author", ["Ivan Petrov", "Mo Hong'e"])]


def chosen(filters: Filters, facet: str, value: str) -> Filters:
    """The filters after choosing ``value`` in ``facet``'s section: one more entity required, or
    that value as the facet's one alternative."""
    if facet.startswith("entity:"):
        return filters.including(facet, value)
    return filters.without_facet(facet).including(facet, value)


@pytest.mark.parametrize(("query", "filters"), COMBINATIONS)
def test_each_facet_count_is_the_number_of_results_that_value_would_give(db, query, filters):
    for facet, values in FACET_VALUES:
        counts = {v: n for v, n in facet_counts(db, facet, query=query, filters=filters) if v in values}
        selectable = [value for value in values if value not in filters.exclude.get(facet, ())]
        expected = {value: len(ids(db, query, filters=chosen(filters, facet, value))) for value in selectable}
        assert counts == {value: n for value, n in expected.items() if n}, facet


@pytest.mark.parametrize(("query", "filters"), COMBINATIONS)
def test_hits_and_histogram_describe_the_same_articles_as_search_ids(db, query, filters):
    found = ids(db, query, filters=filters)
    assert {hit["id"] for hit in search_hits(db, query, filters=filters, limit=100)} == found
    dated = {doc_id for doc_id in found if ARTICLES[doc_id][2]}
    assert sum(n for _, n in date_histogram(db, query=query, filters=filters)) == len(dated)


def test_renaming_a_tag_renames_its_facet_value(db):
    facet_counts(db, "tag")
    db.execute("UPDATE tags SET name = 'medicine' WHERE name = 'health'")
    assert dict(facet_counts(db, "tag"))["medicine"] == 2


def test_deleted_article_leaves_every_count(db):
    facet_counts(db, "entity:GPE")
    facet_counts(db, "source", query="russia*")
    db.execute("DELETE FROM documents WHERE id = 3")
    assert dict(facet_counts(db, "entity:GPE")) == {"Russia": 2}
    assert facet_counts(db, "source", query="russia*") == [("Xinhua", 1)]


def test_new_article_is_counted_and_found_by_its_words(db):
    facet_counts(db, "source", query="tundra")
    db.execute("INSERT INTO documents (id, title, text, source, sha256, imported_at, published) "
               "VALUES (9, 'Tundra', 'Tundra research in Yakutia.', 'TASS', 'x9', ?, '2019-01-02')",
               [now_iso()])
    assert facet_counts(db, "source", query="tundra") == [("TASS", 1)]
    assert ("2019", 1) in date_histogram(db)


def test_an_entity_still_mentioned_elsewhere_in_the_article_is_still_counted(db):
    db.execute("INSERT INTO mentions (document_id, entity_id, start, \"end\", text, origin) "
               "SELECT 3, id, 5, 10, 'Russia', 'user' FROM entities WHERE name = 'Russia'")
    facet_counts(db, "entity:GPE")
    db.execute("DELETE FROM mentions WHERE id = (SELECT max(id) FROM mentions)")
    assert dict(facet_counts(db, "entity:GPE"))["Russia"] == 3
    db.execute("DELETE FROM mentions WHERE document_id = 3 AND text = 'Russia'")
    assert dict(facet_counts(db, "entity:GPE"))["Russia"] == 2


def test_merging_entities_moves_their_documents(db):
    facet_counts(db, "entity:GPE")
    db.execute("UPDATE mentions SET entity_id = (SELECT id FROM entities WHERE name = 'Russia') "
               "WHERE entity_id = (SELECT id FROM entities WHERE name = 'China')")
    assert dict(facet_counts(db, "entity:GPE")) == {"Russia": 3}


def test_counts_are_right_after_more_changes_than_the_change_log_keeps(db, library):
    facet_counts(db, "state")
    other = library.connect()
    with other.db.atomic():
        other.db.execute("UPDATE documents SET starred = 1 WHERE id = 3")
        for _ in range(10_000):
            other.db.execute("UPDATE documents SET read_state = 'read' WHERE id = 1")
    other.close()
    assert dict(facet_counts(db, "state"))["starred"] == 3


def test_hits_come_in_the_order_of_search_ids(db):
    query = "russia OR arctic OR memo"
    assert [hit["id"] for hit in search_hits(db, query)] == search_ids(db, query)


def test_newly_extracted_entity_appears_in_its_facet(db):
    facet_counts(db, "entity:ORG")
    db.execute("INSERT INTO entities (label, name) VALUES ('ORG', 'Skoltech')")
    db.execute("INSERT INTO mentions (document_id, entity_id, start, \"end\", text, origin) "
               "SELECT 3, id, 0, 8, 'Skoltech', 'model' FROM entities WHERE name = 'Skoltech'")
    assert dict(facet_counts(db, "entity:ORG")) == {"Gamaleya Institute": 1, "Skoltech": 1}
    assert ids(db, filters=Filters().including("entity:ORG", "Skoltech")) == {3}
