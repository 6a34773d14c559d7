"""What the reader, the entity page and the command line read about entities."""

from __future__ import annotations

import pytest

from desktop.core.entities import (
    aliases_of,
    cooccurring,
    document_entities,
    entity_details,
    entity_mentions,
    entity_summary,
    entity_timeline,
    extract_entities,
    find_entity,
    labels_in_use,
)
from desktop.core.errors import NotFound
from tests.core.helpers import add_article

ARTICLES = (
    ("2017-11-15", "Andrei Denisov met Zhang Qiang in Moscow on Tuesday."),
    ("2017-11-20", "In Moscow, Andrei Denisov spoke about Harbin. Denisov was pleased."),
    ("2018-01-05", "Zhang Qiang visited Harbin."),
    (None, "Andrei Denisov wrote a letter."),
)


@pytest.fixture
def db(library):
    for published, text in ARTICLES:
        add_article(library.db, text, published=published)
    extract_entities(library)
    return library.db


def denisov(db) -> int:
    return find_entity(db, "PERSON", "Andrei Denisov")["id"]


def test_an_articles_entities_come_in_reading_order_with_every_field(db):
    found = document_entities(db, 1)
    assert [m["start"] for m in found] == sorted(m["start"] for m in found)
    assert set(found[0]) == {"label", "text", "name", "start", "end", "origin", "value", "entity_id",
                             "mention_id"}
    assert [(m["text"], m["label"]) for m in found][:3] == [
        ("Andrei Denisov", "PERSON"), ("Zhang Qiang", "PERSON"), ("Moscow", "GPE")
    ]


def test_the_summary_counts_documents_and_mentions_by_canonical_name(db):
    people = {r["name"]: (r["documents"], r["mentions"]) for r in entity_summary(db, label="PERSON")}
    assert people["Andrei Denisov"] == (3, 4)
    assert "Denisov" not in people
    assert {r["label"] for r in entity_summary(db)} > {"PERSON"}


def test_mentions_across_the_library_come_with_their_context(db):
    lines = entity_mentions(db, denisov(db), context=12)
    assert len(lines) == 4
    second = next(line for line in lines if line["text"] == "Denisov")
    assert second["left"] == "out Harbin."
    assert second["right"] == "was pleased"
    assert entity_mentions(db, denisov(db), context=12, limit=2, after=lines[1]["mention_id"]) == lines[2:]


def test_entities_sharing_articles_are_ranked_by_articles_shared(db):
    ranked = [(r["name"], r["documents"]) for r in cooccurring(db, denisov(db))]
    assert ranked == [("Moscow", 2), ("Harbin", 1), ("Zhang Qiang", 1)]
    assert all(r["label"] not in {"DATE", "MONEY"} for r in cooccurring(db, denisov(db)))


def test_the_timeline_counts_articles_per_month_with_undated_ones_last(db):
    assert entity_timeline(db, denisov(db)) == [
        {"month": "2017-11", "documents": 2}, {"month": None, "documents": 1}
    ]


def test_the_other_ways_a_name_is_written_are_its_aliases(db):
    assert aliases_of(db, denisov(db)) == ["Denisov"]


def test_an_unknown_entity_is_reported_not_found(db):
    with pytest.raises(NotFound, match="No PERSON named 'Nobody'"):
        find_entity(db, "PERSON", "Nobody")
    with pytest.raises(NotFound):
        entity_timeline(db, 9999)
    assert find_entity(db, "person", "andrei denisov")["name"] == "Andrei Denisov"


def test_an_entitys_details_count_its_mentions_and_articles(db):
    assert entity_details(db, denisov(db)) == {
        "entity_id": denisov(db), "label": "PERSON", "name": "Andrei Denisov", "mentions": 4, "documents": 3,
    }
    with pytest.raises(NotFound):
        entity_details(db, 9999)


def test_the_types_in_use_are_those_with_mentions(db):
    db.execute("INSERT INTO entities (label, name) VALUES ('LAW', 'Unused law')")
    labels = labels_in_use(db)
    assert labels == sorted(labels)
    assert {"PERSON", "GPE"} <= set(labels) and "LAW" not in labels


def test_an_entity_is_found_by_its_name_or_an_alias_in_another_case_in_any_script(library):
    from desktop.core.entities import mark_mention, merge_entities
    from tests.core.helpers import span

    ids = []
    for text, name in (("Moscow hosted the talks.", "Moscow"), ("Переговоры прошли в Москва-Сити.", "Москва")):
        doc = add_article(library.db, text)
        start, end = span(library.db, doc, name)
        mark_mention(library.db, doc, start=start, end=end, label="GPE")
        ids.append(find_entity(library.db, "GPE", name)["id"])
    merge_entities(library.db, [ids[1]], into=ids[0])
    assert find_entity(library.db, "gpe", "МОСКВА")["name"] == "Moscow"
    assert find_entity(library.db, "GPE", "moscow")["name"] == "Moscow"
