"""Undo and redo of every editing operation restore exactly the previous state of the library."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from desktop.core import annotations, tags
from desktop.core.changes import ChangeSet
from desktop.core.errors import InvalidInput, NotFound
from desktop.core.library import now_iso
from desktop.core.removal import remove_documents
from desktop.core.undo import Change, UndoLog
from tests.core.helpers import add_seeds, span

TABLES = ("documents", "tags", "document_tags", "annotations", "entities", "mentions", "imports")


def state(db) -> dict[str, list[tuple]]:
    """Every row of every table an edit can touch, plus what the full-text index finds."""
    dumped = {t: sorted(db.conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    dumped["fts"] = sorted(db.conn.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'russia OR notes:forum'").fetchall())
    return dumped


@pytest.fixture
def seeds_in_every_table(db) -> list[int]:
    """Seed articles with tags, highlights, a note, mentions and import rows."""
    ids = add_seeds(db)
    tags.add_tag(db, ids[:3], "Biomed")
    tags.add_tag(db, ids[2:], "Science/Space")
    tags.pin_tag(db, "Biomed", 1)
    annotations.create_annotation(db, ids[0], *span(db, ids[0], "Zhang Qiang"), note="forum speaker")
    annotations.set_document_note(db, ids[1], "forum follow-up")
    entity = db["entities"].insert({"label": "PERSON", "name": "Zhang Qiang"}).last_pk
    db["mentions"].insert({"document_id": ids[0], "entity_id": entity, "start": 5, "end": 16,
                           "text": "Zhang Qiang", "origin": "user"})
    run = db["import_runs"].insert({"started_at": now_iso()}).last_pk
    for doc_id in ids:
        db["imports"].insert({"run_id": run, "path": f"/corpus/{doc_id}.txt", "status": "imported",
                              "document_id": doc_id, "at": now_iso()})
    return ids


def first_annotation(db) -> int:
    return db.conn.execute("SELECT min(id) FROM annotations").fetchone()[0]


OPERATIONS = {
    "create tag": lambda db, ids: tags.create_tag(db, "Policy", colour="blue")[1],
    "add new tag": lambda db, ids: tags.add_tag(db, ids, "Policy"),
    "add existing tag": lambda db, ids: tags.add_tag(db, ids, "biomed"),
    "remove tag": lambda db, ids: tags.remove_tag(db, ids[:2], "Biomed"),
    "rename tag with children": lambda db, ids: tags.rename_tag(db, "Science", "Research"),
    "recolour tag": lambda db, ids: tags.recolour_tag(db, "Biomed", "orange"),
    "merge tags": lambda db, ids: tags.merge_tags(db, ["Science/Space"], "Biomed"),
    "delete tag": lambda db, ids: tags.delete_tag(db, "Biomed"),
    "pin to a taken slot": lambda db, ids: tags.pin_tag(db, "Science/Space", 1),
    "star": lambda db, ids: tags.set_starred(db, ids[1:], True),
    "reading state": lambda db, ids: tags.set_read_state(db, ids, "read"),
    "create highlight": lambda db, ids: annotations.create_annotation(db, ids[2], 0, 20, note="forum")[1],
    "edit highlight": lambda db, ids: annotations.update_annotation(
        db, first_annotation(db), note="new words", colour="blue")[1],
    "delete highlight": lambda db, ids: annotations.delete_annotation(db, first_annotation(db)),
    "article note": lambda db, ids: annotations.set_document_note(db, ids[1], "rewritten"),
    "remove articles": lambda db, ids: remove_documents(db, ids[:2]),
}


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
def test_undo_restores_the_state_before_and_redo_the_state_after(db, seeds_in_every_table, operation):
    before = state(db)
    change = operation(db, seeds_in_every_table)
    after = state(db)
    assert after != before
    change.undo(db)
    assert state(db) == before
    change.redo(db)
    assert state(db) == after


def test_removed_articles_come_back_with_tags_highlights_mentions_and_search(db, seeds_in_every_table):
    change = remove_documents(db, [seeds_in_every_table[0]])
    assert db.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    change.undo(db)
    assert tags.tagged_documents(db, "Biomed") == seeds_in_every_table[:3]
    assert [a["quote"] for a in annotations.document_annotations(db, seeds_in_every_table[0])] == ["Zhang Qiang"]
    assert db.conn.execute("SELECT document_id FROM imports WHERE path = ?",
                           [f"/corpus/{seeds_in_every_table[0]}.txt"]).fetchone() == (seeds_in_every_table[0],)


def test_removing_missing_articles_is_not_found(db, seeds_in_every_table):
    with pytest.raises(NotFound, match="No article with id 999"):
        remove_documents(db, [999])


def test_an_undo_blocked_by_a_later_change_says_so_without_sqlite_words(db, seeds_in_every_table):
    log = UndoLog()
    log.record(tags.delete_tag(db, "Biomed"))
    tags.create_tag(db, "biomed")
    with pytest.raises(InvalidInput) as raised:
        log.undo(db)
    assert str(raised.value) == (
        "Cannot restore 'Delete tag 'Biomed'': the library has changed since in a way that conflicts with it.")
    assert log.can_undo


def test_log_texts_name_the_next_undo_and_redo(db, seeds_in_every_table):
    log = UndoLog()
    assert (log.can_undo, log.can_redo, log.undo_text) == (False, False, "Undo")
    log.record(tags.add_tag(db, seeds_in_every_table[:3], "Policy"))
    assert log.undo_text == "Undo Add tag 'Policy' to 3 articles"
    log.undo(db)
    assert (log.can_undo, log.redo_text) == (False, "Redo Add tag 'Policy' to 3 articles")


def test_undo_and_redo_walk_back_and_forth_through_several_changes(db, seeds_in_every_table):
    log = UndoLog()
    start = state(db)
    log.record(tags.add_tag(db, seeds_in_every_table, "Policy"))
    middle = state(db)
    log.record(tags.rename_tag(db, "Policy", "Politics"))
    end = state(db)
    log.undo(db)
    assert state(db) == middle
    log.undo(db)
    assert state(db) == start
    log.redo(db)
    log.redo(db)
    assert state(db) == end


def test_a_new_change_clears_the_redo_stack(db, seeds_in_every_table):
    log = UndoLog()
    log.record(tags.add_tag(db, seeds_in_every_table, "Policy"))
    log.undo(db)
    log.record(tags.set_starred(db, seeds_in_every_table, True))
    assert not log.can_redo


def test_undo_with_nothing_to_undo_says_so(db):
    with pytest.raises(InvalidInput, match="Nothing to undo"):
        UndoLog().undo(db)
    with pytest.raises(InvalidInput, match="Nothing to redo"):
        UndoLog().redo(db)


def test_log_keeps_only_the_most_recent_changes(db, seeds_in_every_table):
    log = UndoLog(limit=2)
    for state_name in ("read", "to_read", "unread"):
        log.record(tags.set_read_state(db, seeds_in_every_table, state_name))
    log.undo(db)
    log.undo(db)
    assert not log.can_undo


@dataclass
class Relabel:
    """A change made elsewhere (an entity correction) that follows the Change protocol."""

    label: str
    doc_ids: tuple[int, ...]
    calls: list[str] = field(default_factory=list)

    @property
    def changes(self) -> ChangeSet:
        return ChangeSet.of(entities=self.doc_ids, entity_definitions=True)

    def undo(self, db) -> None:
        self.calls.append("undo")

    def redo(self, db) -> None:
        self.calls.append("redo")


def test_log_accepts_any_object_following_the_change_protocol(db):
    change = Relabel("Relabel 'Xi' as PERSON", (1,))
    assert isinstance(change, Change)
    log = UndoLog()
    log.record(change)
    assert log.undo(db) is change and log.redo(db) is change
    assert change.calls == ["undo", "redo"]
