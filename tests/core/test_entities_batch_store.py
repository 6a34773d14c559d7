"""The store's batch API (``load_batch`` / ``store_batch``): one resolver serves every batch of a
run, and never hands out an entity that another connection removed or a failed batch rolled back."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.entities import store
from desktop.core.entities.languages import Extraction
from desktop.core.entities.pipeline import Span
from tests.core.helpers import add_article

TEXT = "Andrei Denisov visited Harbin."


def _found(text: str = TEXT) -> Extraction:
    return Extraction([Span(0, 14, "PERSON", "Andrei Denisov"), Span(23, 29, "GPE", "Harbin")], "en", "test 1")


def _mentions(db) -> list[tuple]:
    return db.conn.execute(
        'SELECT m.document_id, m.start, m."end", e.label, e.name FROM mentions AS m '
        "JOIN entities AS e ON e.id = m.entity_id ORDER BY m.document_id, m.start").fetchall()


def test_a_batch_is_loaded_in_id_order_and_stored_with_its_extraction(library):
    db = library.db
    ids = [add_article(db, TEXT), add_article(db, "Nothing here.")]
    batch = store.load_batch(db, list(reversed(ids)))
    assert [row[0] for row in batch] == ids
    written = store.store_batch(db, batch, [_found(), Extraction([], "en", "test 1")], rules=[])
    assert written == 2
    assert _mentions(db) == [(ids[0], 0, 14, "PERSON", "Andrei Denisov"), (ids[0], 23, 29, "GPE", "Harbin")]
    assert db.conn.execute("SELECT document_id, model FROM entity_extractions ORDER BY document_id").fetchall() == [
        (ids[0], "test 1"), (ids[1], "test 1")]


def test_a_second_batch_reuses_the_entities_of_the_first(library):
    db = library.db
    first, second = add_article(db, TEXT), add_article(db, TEXT + " ")
    resolver = store.EntityResolver(db)
    store.store_batch(db, store.load_batch(db, [first]), [_found()], rules=[], resolver=resolver)
    store.store_batch(db, store.load_batch(db, [second]), [_found()], rules=[], resolver=resolver)
    assert db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 2
    assert db.conn.execute("SELECT count(DISTINCT entity_id) FROM mentions").fetchone()[0] == 2


def test_a_resolver_past_its_limit_forgets_the_oldest_names_and_still_finds_their_entities(library, monkeypatch):
    monkeypatch.setattr(store, "REMEMBERED", 4)
    db = library.db
    resolver = store.EntityResolver(db)
    names = [f"Person {n}" for n in range(9)]
    with db.conn:
        ids = [resolver.entity_id(label="PERSON", name=name, surface=name) for name in names]
        assert len(resolver._cache) <= 4
        again = [resolver.entity_id(label="PERSON", name=name, surface=name) for name in names]
    assert again == ids and len(set(ids)) == 9
    assert db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 9


def test_an_entity_removed_by_another_connection_between_batches_is_made_again(library):
    db = library.db
    first, second = add_article(db, TEXT), add_article(db, TEXT + " ")
    resolver = store.EntityResolver(db)
    store.store_batch(db, store.load_batch(db, [first]), [_found()], rules=[], resolver=resolver)
    with sqlite3.connect(library.path) as other:  # the window removes the article and its entities
        other.execute("DELETE FROM mentions")
        other.execute("DELETE FROM entity_keys")
        other.execute("DELETE FROM entities")
    store.store_batch(db, store.load_batch(db, [second]), [_found()], rules=[], resolver=resolver)
    assert _mentions(db) == [(second, 0, 14, "PERSON", "Andrei Denisov"), (second, 23, 29, "GPE", "Harbin")]


def test_a_failed_batch_leaves_no_entity_behind_for_the_next(library, monkeypatch):
    db = library.db
    first, second = add_article(db, TEXT), add_article(db, "Harbin again, and Andrei Denisov.")
    resolver = store.EntityResolver(db)
    real, calls = store.plan_mentions, []

    def fail_on_second_article(text, spans, rules):
        calls.append(text)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(text, spans, rules)

    monkeypatch.setattr(store, "plan_mentions", fail_on_second_article)
    batch = store.load_batch(db, [first, second])
    with pytest.raises(RuntimeError):
        store.store_batch(db, batch, [_found(), _found()], rules=[], resolver=resolver)
    assert db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] == 0
    monkeypatch.setattr(store, "plan_mentions", real)
    store.store_batch(db, store.load_batch(db, [first]), [_found()], rules=[], resolver=resolver)
    assert _mentions(db) == [(first, 0, 14, "PERSON", "Andrei Denisov"), (first, 23, 29, "GPE", "Harbin")]


def test_storing_again_keeps_the_ids_of_mentions_found_again_and_drops_the_rest(library):
    db = library.db
    doc = add_article(db, TEXT)
    store.store_batch(db, store.load_batch(db, [doc]), [_found()], rules=[])
    before = dict(db.conn.execute("SELECT start, id FROM mentions"))
    only_person = Extraction([Span(0, 14, "PERSON", "Andrei Denisov")], "en", "test 1")
    store.store_batch(db, store.load_batch(db, [doc]), [only_person], rules=[])
    assert dict(db.conn.execute("SELECT start, id FROM mentions")) == {0: before[0]}
