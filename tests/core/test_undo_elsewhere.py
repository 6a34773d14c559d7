"""Undo and Redo in one window after another window or command changed the same things."""

from __future__ import annotations

import pytest

from desktop.core.annotations import (
    create_annotation, delete_annotation, document_annotations, document_note, get_annotation,
    set_document_note, update_annotation,
)
from desktop.core.errors import InvalidInput
from desktop.core.library import open_library
from desktop.core.search import search_ids
from desktop.core.tags import add_tag, tagged_documents
from desktop.core.undo import UndoLog
from tests.core.helpers import span

@pytest.fixture
def other_window(library_path):
    """A second connection to the library, as a second window or a command has."""
    other = open_library(library_path)
    yield other.db
    other.close()


def test_undo_of_a_note_edit_keeps_the_note_another_window_wrote_since(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    log = UndoLog()
    log.record(update_annotation(db, highlight["id"], note="rector of Polytech")[1])
    update_annotation(other_window, highlight["id"], note="rector of Polytech since 2011")
    with pytest.raises(InvalidInput, match="another window or command has changed it since"):
        log.undo(db)
    assert get_annotation(db, highlight["id"])["note"] == "rector of Polytech since 2011"
    assert log.can_undo


def test_redo_of_a_note_edit_keeps_the_note_another_window_wrote_since(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    log = UndoLog()
    log.record(update_annotation(db, highlight["id"], note="rector of Polytech")[1])
    log.undo(db)
    update_annotation(other_window, highlight["id"], note="head of Polytech")
    with pytest.raises(InvalidInput, match="another window or command has changed it since"):
        log.redo(db)
    assert get_annotation(db, highlight["id"])["note"] == "head of Polytech"


def test_undo_of_an_article_note_keeps_the_note_another_window_wrote_since(db, seeds, other_window):
    log = UndoLog()
    log.record(set_document_note(db, seeds[1], "check the dates"))
    set_document_note(other_window, seeds[1], "check the dates against TASS")
    with pytest.raises(InvalidInput, match="another window or command has changed it since"):
        log.undo(db)
    assert document_note(db, seeds[1]) == "check the dates against TASS"


def test_undo_of_a_colour_change_still_works_after_another_window_edited_the_note(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    log = UndoLog()
    log.record(update_annotation(db, highlight["id"], colour="blue")[1])
    update_annotation(other_window, highlight["id"], note="rector since 2011")
    log.undo(db)
    found = get_annotation(db, highlight["id"])
    assert (found["colour"], found["note"]) == ("yellow", "rector since 2011")


def test_undo_of_a_note_edit_still_works_when_another_window_only_saw_it(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    log = UndoLog()
    log.record(update_annotation(db, highlight["id"], note="rector of Polytech")[1])
    get_annotation(other_window, highlight["id"])
    log.undo(db)
    assert get_annotation(db, highlight["id"])["note"] == "rector"


def test_undo_of_an_article_note_keeps_the_highlight_another_window_made_since_searchable(db, seeds, other_window):
    log = UndoLog()
    log.record(set_document_note(db, seeds[0], "read again"))
    create_annotation(other_window, seeds[0], *span(other_window, seeds[0], "Andrei Rudskoy"), note="zanzibar")
    log.undo(db)
    assert document_note(db, seeds[0]) is None
    assert search_ids(db, "notes:zanzibar") == [seeds[0]]


def test_undo_of_a_new_highlight_keeps_it_once_another_window_added_a_note_to_it(db, seeds, other_window):
    highlight, change = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"))
    log = UndoLog()
    log.record(change)
    update_annotation(other_window, highlight["id"], note="rector since 2011")
    with pytest.raises(InvalidInput, match=r"changed it since \(its note\); its newer version is kept"):
        log.undo(db)
    assert get_annotation(db, highlight["id"])["note"] == "rector since 2011"
    assert search_ids(db, "notes:2011") == [seeds[0]]
    assert log.can_undo and not log.can_redo


def test_undo_of_a_new_highlight_still_takes_it_away_when_another_window_left_it_alone(db, seeds, other_window):
    highlight, change = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"))
    log = UndoLog()
    log.record(change)
    create_annotation(other_window, seeds[0], *span(other_window, seeds[0], "Polytechnic"), note="theirs")
    log.undo(db)
    assert [h["note"] for h in document_annotations(db, seeds[0])] == ["theirs"]
    log.redo(db)
    assert get_annotation(db, highlight["id"])["quote"] == "Andrei Rudskoy"


def test_redo_of_a_deleted_highlight_keeps_it_once_another_window_recoloured_it(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"))
    log = UndoLog()
    log.record(delete_annotation(db, highlight["id"]))
    log.undo(db)
    update_annotation(other_window, highlight["id"], colour="blue")
    with pytest.raises(InvalidInput, match=r"changed it since \(its colour\)"):
        log.redo(db)
    assert get_annotation(db, highlight["id"])["colour"] == "blue"


def test_undo_of_a_new_tag_keeps_it_once_another_window_put_it_on_another_article(db, seeds, other_window):
    log = UndoLog()
    log.record(add_tag(db, seeds[:2], "Harvest"))
    add_tag(other_window, [seeds[4]], "Harvest")
    with pytest.raises(InvalidInput, match="another window or command has used it since"):
        log.undo(db)
    assert sorted(tagged_documents(db, "Harvest")) == sorted([*seeds[:2], seeds[4]])


def test_undo_of_deleting_the_newest_highlight_brings_it_back_beside_one_another_window_made_since(
    db, seeds, other_window
):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    log = UndoLog()
    log.record(delete_annotation(db, highlight["id"]))
    theirs, _ = create_annotation(other_window, seeds[1], *span(other_window, seeds[1], "Russian"), note="agency")
    assert theirs["id"] > highlight["id"]  # a deleted highlight's number is never given again
    log.undo(db)
    assert get_annotation(db, highlight["id"])["note"] == "rector"
    kept = get_annotation(db, theirs["id"])
    assert (kept["document_id"], kept["note"], kept["uuid"]) == (seeds[1], "agency", theirs["uuid"])


def test_undo_of_deleting_a_highlight_keeps_a_row_another_program_wrote_under_its_number(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    log = UndoLog()
    log.record(delete_annotation(db, highlight["id"]))
    with other_window.conn:  # a program other than Dossier, numbering its row itself
        other_window.conn.execute(
            'INSERT INTO annotations (id, uuid, document_id, start, "end", quote, colour, created, updated) '
            "VALUES (?, 'theirs', ?, 0, 3, 'The', 'yellow', '2026-01-01', '2026-01-01')",
            (highlight["id"], seeds[1]))
    with pytest.raises(InvalidInput, match="made something new under its number"):
        log.undo(db)
    kept = get_annotation(db, highlight["id"])
    assert (kept["document_id"], kept["uuid"]) == (seeds[1], "theirs")
    assert log.can_undo


def test_undo_of_deleting_a_highlight_still_restores_it_when_its_number_is_free(db, seeds, other_window):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"), note="rector")
    create_annotation(db, seeds[1], *span(db, seeds[1], "Russian"), note="agency")
    log = UndoLog()
    log.record(delete_annotation(db, highlight["id"]))
    create_annotation(other_window, seeds[1], *span(other_window, seeds[1], "Russian"), note="later")
    log.undo(db)
    assert get_annotation(db, highlight["id"])["note"] == "rector"
