"""Change sets: each operation names what it changed, and outside writes are read back from the log."""

from __future__ import annotations

from desktop.core import annotations, tags
from desktop.core.changes import ChangeSet, TagRename, log_position, outside_changes
from desktop.core.library import open_library
from desktop.core.removal import remove_documents
from desktop.core.undo import UndoLog
from tests.core.helpers import add_article, add_seeds, span


def test_tagging_names_the_tagged_articles_and_a_new_tag(db):
    first, second, third = add_seeds(db)[:3]
    change = tags.add_tag(db, [first, third], "Biomed").changes
    assert change.tagged == {first, third} and change.tag_definitions
    assert not change.membership and change.facet_areas == {"tags"}
    assert second not in change.documents


def test_a_star_touches_only_the_reading_state(db):
    doc = add_seeds(db)[0]
    change = tags.set_starred(db, [doc], True).changes
    assert change == ChangeSet.of(reading=[doc])
    assert change.facet_areas == {"state"}


def test_marking_every_article_names_each_one_reading_and_its_undo_names_them_too(db):
    ids = add_seeds(db)
    change = tags.set_read_state(db, ids, "read")
    assert change.changes == ChangeSet.of(reading=ids)
    change.undo(db)
    assert change.changes.reversed() == ChangeSet.of(reading=ids)


def test_a_highlight_is_an_annotation_change(db):
    doc = add_seeds(db)[0]
    _, change = annotations.create_annotation(db, doc, *span(db, doc, "Russia"))
    assert doc in change.changes.annotated and not change.changes.edited


def test_removing_articles_is_a_membership_change_and_undo_adds_them_back(db):
    ids = add_seeds(db)[:2]
    change = remove_documents(db, ids).changes
    assert change.removed == set(ids) and change.membership
    assert change.reversed().added == set(ids) and not change.reversed().removed


def test_change_sets_combine_and_say_what_they_hold():
    merged = ChangeSet.of(tagged=[1]) | ChangeSet.of(reading=[2], entity_definitions=True)
    assert merged.documents == {1, 2} and merged.entity_definitions
    assert merged.describe() == "reading 1, tagged 1, entity_definitions"
    assert not ChangeSet() and ChangeSet.everything().membership
    assert merged.without([1]) == ChangeSet.of(reading=[2], entity_definitions=True)


def test_writes_of_another_connection_are_read_back_as_a_change_set(library, db):
    first, second, third = add_seeds(db)[:3]
    since = log_position(db.conn)
    with open_library(library.path) as other:
        new = add_article(other.db, "An article imported from the command line.")
        tags.add_tag(other.db, [second], "Arctic")
        other.db.execute("DELETE FROM documents WHERE id = ?", [third])
        other.db.execute("UPDATE documents SET title = 'Retitled' WHERE id = ?", [first])
        other.db.conn.commit()
    change, now = outside_changes(db.conn, since)
    assert change.added == {new} and change.removed == {third}
    assert change.tagged == {second} and change.edited == {first}
    assert now.seq > since.seq and now.max_id == new
    again, _ = outside_changes(db.conn, now)
    assert not again


def test_a_log_that_no_longer_reaches_back_means_everything_changed(db):
    add_seeds(db)
    since = log_position(db.conn)
    add_article(db, "Written before the log was trimmed.")
    add_article(db, "Written as the log was trimmed.")
    db.execute("DELETE FROM search_log WHERE seq <= ?", [since.seq + 1])
    db.conn.commit()
    change, _ = outside_changes(db.conn, since)
    assert change.unknown and change.membership


def test_tags_renamed_and_merged_by_another_connection_are_read_back_in_order(library, db):
    first, second = add_seeds(db)[:2]
    tags.add_tag(db, [first], "biomed/forums")
    tags.add_tag(db, [second], "health")
    since = log_position(db.conn)
    with open_library(library.path) as other:
        tags.rename_tag(other.db, "biomed", "медицина")
        tags.merge_tags(other.db, ["медицина/forums"], "health")
    change, now = outside_changes(db.conn, since)
    assert change.tag_renames == (TagRename("biomed", "медицина"),
                                  TagRename("медицина/forums", "health", children=False))
    assert change.tag_definitions
    again, _ = outside_changes(db.conn, now)
    assert not again


def test_an_undone_and_redone_rename_is_read_back_as_renames_there_and_back(library, db):
    tags.add_tag(db, add_seeds(db)[:1], "biomed")
    log = UndoLog()
    since = log_position(db.conn)
    with open_library(library.path) as other:
        log.record(tags.rename_tag(other.db, "biomed", "health"))
        log.undo(other.db)
        log.redo(other.db)
    change, _ = outside_changes(db.conn, since)
    assert change.tag_renames == (TagRename("biomed", "health"), TagRename("health", "biomed"),
                                  TagRename("biomed", "health"))


def test_a_window_leaves_its_own_renames_out_of_what_it_read_back_from_the_log():
    own, outside = TagRename("a", "b"), TagRename("c", "d")
    read_back = ChangeSet(tag_renames=(outside, own))
    assert read_back.without([], [own]).tag_renames == (outside,)


def test_saves_with_one_merge_key_undo_as_one_step(db):
    doc = add_seeds(db)[0]
    log = UndoLog()
    for text in ("A", "An", "A note"):
        log.record(annotations.set_document_note(db, doc, text), merge_key=("document", doc))
    log.record(tags.set_starred(db, [doc], True))
    log.record(annotations.set_document_note(db, doc, "A note!"), merge_key=("document", doc))
    undone = log.undo(db)
    assert db["documents"].get(doc)["note"] == "A note" and undone.changes.annotated == {doc}
    log.undo(db)
    log.undo(db)
    assert db["documents"].get(doc)["note"] is None and not log.can_undo
    log.redo(db)
    assert db["documents"].get(doc)["note"] == "A note"
