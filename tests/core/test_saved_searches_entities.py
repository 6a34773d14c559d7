"""A saved search that names an entity follows it when the entity is renamed or merged into another."""

from __future__ import annotations

from desktop.core.entities.corrections import merge_entities, rename_entity
from desktop.core.filters import Filters
from desktop.core.saved_searches import list_saved_searches, save_search
from desktop.core.search import search_ids
from desktop.core.undo import UndoLog
from tests.core.helpers import add_article, add_mention


def _entity_id(db, label: str, name: str) -> int:
    return db.conn.execute("SELECT id FROM entities WHERE label = ? AND name = ?", [label, name]).fetchone()[0]


def _saved(db) -> dict[str, Filters]:
    return {s.name: Filters.from_json(s.filters) for s in list_saved_searches(db)}


def _library(db) -> list[int]:
    ids = [add_article(db, f"Article {n} on the summit.", title=f"Summit {n}") for n in range(3)]
    with db.atomic():
        add_mention(db, ids[0], "PERSON", "Putin")
        add_mention(db, ids[1], "PERSON", "Xi")
        add_mention(db, ids[2], "PERSON", "Xi Jinping")
    return ids


def test_a_renamed_entity_is_followed_by_the_saved_search_and_undo_puts_it_back(library):
    db = library.db
    ids = _library(db)
    save_search(db, name="Putin", query="", filters=Filters().including("entity:PERSON", "Putin").to_json())
    log = UndoLog()
    change = rename_entity(db, _entity_id(db, "PERSON", "Putin"), name="Vladimir Putin")
    log.record(change)
    assert change.changes.saved_searches
    moved = _saved(db)["Putin"]
    assert moved == Filters().including("entity:PERSON", "Vladimir Putin")
    assert search_ids(db, filters=moved) == [ids[0]]
    log.undo(db)
    assert _saved(db)["Putin"] == Filters().including("entity:PERSON", "Putin")


def test_a_merged_entity_is_followed_by_the_saved_search(library):
    db = library.db
    ids = _library(db)
    save_search(db, name="Not Xi", query="", filters=Filters().excluding("entity:PERSON", "Xi").to_json())
    save_search(db, name="Other label", query="", filters=Filters().including("entity:ORG", "Xi").to_json())
    merge_entities(db, [_entity_id(db, "PERSON", "Xi")], into=_entity_id(db, "PERSON", "Xi Jinping"))
    assert _saved(db)["Not Xi"] == Filters().excluding("entity:PERSON", "Xi Jinping")
    assert _saved(db)["Other label"] == Filters().including("entity:ORG", "Xi")
    assert search_ids(db, filters=_saved(db)["Not Xi"]) == [ids[0]]
