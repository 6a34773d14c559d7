"""Every facet of the registry counts, includes and excludes the same documents, and reads as it says."""

from __future__ import annotations

import pytest

from desktop.core.errors import InvalidInput
from desktop.core.facet_counts import available_facets, facet_counts
from desktop.core.facets import (
    FACETS,
    UNTAGGED,
    Facet,
    entity_facet,
    facet_named,
    shown_values,
    value_label,
)
from desktop.core.filters import Filters
from desktop.core.search import search_ids
from desktop.core.tags import add_tag, set_read_state, set_starred
from tests.core.helpers import add_article, add_mention

# text, document columns, tags, entities (label, name). No tag is also the parent of another:
# a parent selects its children while its count is of the tag as named.
LIBRARY = [
    ("Moscow and Beijing sign a science accord.",
     {"published": "2019-04-02", "source": "Xinhua", "author": "Li Wei", "language": "en"},
     ["asia/china", "science"], [("GPE", "Moscow"), ("GPE", "Beijing"), ("PERSON", "Li Qiang")]),
    ("Новосибирск открывает совместную лабораторию.",
     {"published": "2020-09-10", "source": "TASS", "author": "Ivan Petrov", "language": "ru"},
     ["science"], [("GPE", "Novosibirsk"), ("MONEY", "1000000 USD")]),
    ("Harbin hosts a forum on materials research.",
     {"published": "2020-01-15", "source": "Xinhua", "language": "en"},
     ["asia/russia"], [("GPE", "Harbin"), ("DATE", "2020-01-15"), ("DATE", "next spring")]),
    ("A memo without a date, a source or an author.", {"language": "en"}, [], []),
]


@pytest.fixture
def db(library):
    """A library of LIBRARY, one article starred and one read."""
    db = library.db
    ids = [add_article(db, text, title=text[:20], **columns) for text, columns, _, _ in LIBRARY]
    for doc_id, (_, _, tags, entities) in zip(ids, LIBRARY):
        for tag in tags:
            add_tag(db, [doc_id], tag)
        with db.atomic():
            for label, name in entities:
                add_mention(db, doc_id, label, name)
    set_starred(db, [ids[1]], True)
    set_read_state(db, [ids[0]], "read")
    with db.atomic():  # the third article is a copy of the first one's story
        db.conn.executemany("INSERT INTO story_members (document_id, story) VALUES (?, ?)",
                            [(ids[0], ids[0]), (ids[2], ids[0])])
    return db


def having(db, facet: Facet, value: str) -> set[int]:
    """The documents that the facet's own SQL says have ``value``."""
    sql, params = facet.where(frozenset({value}))
    return {row[0] for row in db.conn.execute(f"SELECT d.id FROM documents d WHERE {sql}", params)}


def facets_of(db) -> list[Facet]:
    """The registry's facets and the entity facets of the library."""
    return [*FACETS, *(facet for facet in available_facets(db) if facet.group == "entity")]


@pytest.mark.parametrize("name", [facet.name for facet in FACETS])
def test_each_registered_facet_has_values_in_the_test_library(db, name):
    assert facet_counts(db, name)


@pytest.mark.parametrize("name", [facet.name for facet in FACETS] + ["entity:GPE", "entity:MONEY"])
def test_each_facet_counts_includes_and_excludes_the_same_documents(db, name):
    facet = facet_named(name)
    everything = set(search_ids(db))
    for value, count in facet_counts(db, name):
        wanted = having(db, facet, value)
        included = set(search_ids(db, filters=Filters().including(name, value)))
        excluded = set(search_ids(db, filters=Filters().excluding(name, value)))
        assert included == wanted, value
        assert excluded == everything - wanted, value
        assert count == len(included), value


def test_the_entity_facets_of_the_test_library_are_all_checked(db):
    checked = {"entity:GPE", "entity:MONEY"}
    assert {facet.name for facet in facets_of(db)} - {facet.name for facet in FACETS} >= checked


def test_a_parent_tag_selects_its_children_and_untagged_counts_the_rest(db):
    assert dict(facet_counts(db, "tag"))[UNTAGGED] == 1
    assert len(search_ids(db, filters=Filters().including("tag", "asia"))) == 2


def test_facet_names_resolve_to_registered_and_entity_facets():
    assert facet_named("source") is FACETS[0]
    assert facet_named("entity:ORG") == entity_facet("ORG")
    assert facet_named("entity:ORG").title == "Organisations"
    assert entity_facet("WEAPON").title == "Weapon"


@pytest.mark.parametrize("name", ["colour", "entity:", "entity: ", "entities:PERSON"])
def test_unknown_facet_names_are_refused(name):
    with pytest.raises(InvalidInput, match="not a filter"):
        facet_named(name)


def test_one_facet_is_drawn_as_the_date_histogram():
    assert [facet.name for facet in FACETS if facet.histogram] == ["year"]


def test_values_read_as_their_facet_says_and_unknown_facets_show_them_as_stored():
    assert value_label("state", "to_read") == "To read"
    assert value_label("entity:MONEY", "2500 RUB") == "2,500 RUB"
    assert value_label("entity:PERSON", "1000000 USD") == "1000000 USD"
    assert value_label("date_from", "2017") == "2017"


def test_the_dates_facet_lists_only_iso_dates_and_other_facets_list_everything():
    rows = [("2020-01-15", 1), ("next spring", 1)]
    assert shown_values("entity:DATE", rows) == [("2020-01-15", 1)]
    assert shown_values("entity:GPE", rows) == rows


def test_a_tag_filter_matches_tag_names_in_any_case_in_every_script(db):
    """A child tag written under its parent in another case ("проект/итоги" under "Проект") is
    selected with the parent, in Cyrillic as in Latin letters, by the index as by the SQL."""
    first, second = add_article(db, "Первый отчёт."), add_article(db, "Второй отчёт.")
    add_tag(db, [first], "Проект")
    add_tag(db, [second], "проект/итоги")
    facet = facet_named("tag")
    for value in ("Проект", "ПРОЕКТ"):
        assert having(db, facet, value) == {first, second}, value
        assert set(search_ids(db, filters=Filters().including("tag", value))) == {first, second}, value
    assert first not in search_ids(db, filters=Filters().excluding("tag", "проект"))
