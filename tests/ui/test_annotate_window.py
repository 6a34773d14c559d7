"""Highlighting, notes, tags, reading states and undo in the main window."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.core.annotations import PALETTE, create_annotation, document_annotations, replace_document_text
from desktop.core.library import open_library
from desktop.core.tags import create_tag, list_tags, pin_tag, recolour_tag, tagged_documents
from desktop.core.removal import remove_documents
from desktop.ui import annotate
from desktop.ui.annotate import highlight_colour, install
from desktop.ui.doc_model import article_mime
from desktop.ui.tag_editor import TagDialogs
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

OFFSCREEN_RAISE = "This plugin does not support raise"
QUOTE = "Changchun-Novosibirskaya Video Conference"


@pytest.fixture
def annotated(open_window, seeds_library, monkeypatch):
    """A function opening the window over the sample articles with annotating installed.

    The article shown is not marked read while a test runs (one test checks that on its own).
    """
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)

    def opener():
        window = open_window(seeds_library)
        annotator = install(window)
        finish_workers(window)
        return window, annotator

    return opener


def select_quote(window, quote: str = QUOTE) -> tuple[int, int]:
    start = window.reader.current_document.text.index(quote)
    window.reader.select_range(start, start + len(quote))
    QApplication.processEvents()
    return start, start + len(quote)


def release_mouse(qtbot, window) -> None:
    """End a mouse selection in the reader (the selection itself was made by ``select_quote``)."""
    viewport = window.reader.viewport()
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=viewport.rect().center())
    qtbot.wait(10)


def painted_colour(window, offset: int) -> str:
    """The background colour the reader paints behind the character at text ``offset``."""
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(window.reader.position_of(offset) + 1)
    return cursor.charFormat().background().color().name()


def stored_highlights(window) -> list[dict]:
    return document_annotations(window.library.db, window.current_id())


def select_rows(window, rows: list[int]) -> None:
    view = window.list_view
    selection = view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(window.model.index(row, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)


def test_selecting_text_shows_the_bar_and_a_colour_paints_the_highlight_at_once(qtbot, annotated):
    window, annotator = annotated()
    start, end = select_quote(window)
    release_mouse(qtbot, window)
    assert annotator.bar.isVisible()
    qtbot.mouseClick(annotator.bar.buttons["sky blue"], Qt.MouseButton.LeftButton)
    [highlight] = stored_highlights(window)
    assert (highlight["start"], highlight["end"], highlight["colour"]) == (start, end, "sky blue")
    assert painted_colour(window, start + 3) == highlight_colour(PALETTE["sky blue"], theme=window.reader.theme)
    assert not annotator.bar.isVisible()


def test_highlight_and_note_are_still_there_after_closing_and_reopening_the_window(qtbot, annotated):
    window, annotator = annotated()
    doc_id = window.current_id()
    select_quote(window)
    release_mouse(qtbot, window)
    qtbot.mouseClick(annotator.bar.note_button, Qt.MouseButton.LeftButton)
    [highlight] = stored_highlights(window)
    editor = annotator.panel.note_editor(highlight["id"])
    assert editor.hasFocus()
    qtbot.keyClicks(editor, "Video link, not a visit")
    window.close()

    window, annotator = annotated()
    window.show_article(doc_id)
    [highlight] = stored_highlights(window)
    assert highlight["note"] == "Video link, not a visit"
    assert annotator.panel.note_editor(highlight["id"]).toPlainText() == "Video link, not a visit"


def test_note_typed_and_window_closed_within_the_save_delay_is_saved(qtbot, annotated):
    window, annotator = annotated()
    doc_id = window.current_id()
    qtbot.keyClicks(annotator.panel.document_note, "Read again before the seminar")
    assert annotator.panel.document_note.pending
    window.close()
    with open_library(window.library.path) as library:
        note = library.db.conn.execute("SELECT note FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    assert note == "Read again before the seminar"


def test_a_note_is_saved_a_moment_after_typing_stops(qtbot, annotated):
    window, annotator = annotated()
    qtbot.keyClicks(annotator.panel.document_note, "Check the dates")
    qtbot.waitUntil(lambda: not annotator.panel.document_note.pending, timeout=2000)
    row = window.library.db.conn.execute("SELECT note FROM documents WHERE id = ?", [window.current_id()])
    assert row.fetchone()[0] == "Check the dates"


def test_undo_removes_a_highlight_and_redo_brings_it_back(qtbot, annotated):
    window, annotator = annotated()
    select_quote(window)
    annotator.highlight_selection(colour="orange")
    assert window.action_undo.isEnabled()
    window.action_undo.trigger()
    assert stored_highlights(window) == []
    assert window.action_redo.isEnabled()
    window.action_redo.trigger()
    assert [h["colour"] for h in stored_highlights(window)] == ["orange"]


def test_typing_a_note_is_undone_as_one_step(qtbot, annotated):
    window, annotator = annotated()
    select_quote(window)
    highlight_id = annotator.highlight_selection()
    editor = annotator.panel.note_editor(highlight_id)
    for word in ("first", " second", " third"):
        qtbot.keyClicks(editor, word)
        editor.flush()
    assert stored_highlights(window)[0]["note"] == "first second third"
    window.action_undo.trigger()
    assert stored_highlights(window)[0]["note"] is None
    assert annotator.panel.note_editor(highlight_id).toPlainText() == ""
    window.action_redo.trigger()
    assert stored_highlights(window)[0]["note"] == "first second third"


def test_deleting_a_highlight_asks_nothing_and_undo_restores_it_with_its_note(qtbot, annotated):
    window, annotator = annotated()
    select_quote(window)
    highlight_id = annotator.highlight_selection()
    annotator.save_note(highlight_id, "keep me")
    card = annotator.panel.cards[highlight_id]
    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)
    assert stored_highlights(window) == [] and annotator.panel.cards == {}
    window.action_undo.trigger()
    assert [h["note"] for h in stored_highlights(window)] == ["keep me"]


def test_clicking_a_highlight_in_the_reader_opens_its_note(qtbot, annotated):
    window, annotator = annotated()
    select_quote(window)
    highlight_id = annotator.highlight_selection()
    assert not annotator.panel.note_editor(highlight_id).hasFocus()
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(window.reader.position_of(window.reader.current_document.text.index(QUOTE) + 5))
    point = window.reader.cursorRect(cursor).center()
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.reader_panels.currentWidget() is annotator.panel
    assert annotator.panel.note_editor(highlight_id).hasFocus()


def test_clicking_a_highlight_in_the_panel_scrolls_the_reader_to_it(qtbot, annotated):
    window, annotator = annotated()
    text = window.reader.current_document.text
    start = len(text) - 60
    create_annotation(window.library.db, window.current_id(), start, start + 30)
    window.refresh([window.current_id()])
    finish_workers(window)
    window.reader.verticalScrollBar().setValue(0)
    [card] = annotator.panel.cards.values()
    qtbot.mouseClick(card.quote, Qt.MouseButton.LeftButton)
    assert window.reader.verticalScrollBar().value() > 0


def test_orphaned_highlights_are_listed_last_with_a_notice(qtbot, annotated):
    window, annotator = annotated()
    doc_id = window.current_id()
    db = window.library.db
    text = window.reader.current_document.text
    create_annotation(db, doc_id, 0, 40)
    replace_document_text(db, doc_id, "Entirely different words. " * 20)
    window.refresh([doc_id])
    finish_workers(window)
    [card] = annotator.panel.cards.values()
    assert not card.notice.isHidden()
    assert text[:20] in card.quote.text()


def test_undo_and_redo_of_tagging_the_selected_articles(qtbot, annotated):
    window, annotator = annotated()
    select_rows(window, [0, 2])
    ids = window.selected_ids()
    annotator.tag_selection("Biomed")
    assert tagged_documents(window.library.db, "Biomed") == sorted(ids)
    window.action_undo.trigger()
    assert tagged_documents(window.library.db, "Biomed") == []
    window.action_redo.trigger()
    assert tagged_documents(window.library.db, "Biomed") == sorted(ids)


def test_the_list_menu_tags_every_selected_article_at_once(qtbot, annotated, monkeypatch):
    window, annotator = annotated()
    select_rows(window, [0, 1, 3])
    ids = window.selected_ids()
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Region/Siberia"))
    menu = window.list_menu()
    [add_menu] = [a.menu() for a in menu.actions() if a.text() == "Add tag"]
    [ask] = [a for a in add_menu.actions() if a.objectName() == "actionTagArticles"]
    ask.trigger()
    assert tagged_documents(window.library.db, "Region") == sorted(ids)
    finish_workers(window)
    assert window.sidebar.sections["tag"].model.values()[0] == ("Region/Siberia", 3)


def test_number_keys_apply_the_pinned_tags_to_the_selected_articles(qtbot, annotated):
    window, annotator = annotated()
    db = window.library.db
    create_tag(db, "Arctic")
    create_tag(db, "Vaccines")
    pin_tag(db, "Arctic", 1)
    pin_tag(db, "Vaccines", 9)
    select_rows(window, [1, 2])
    ids = sorted(window.selected_ids())
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_9)
    assert tagged_documents(db, "Vaccines") == ids and tagged_documents(db, "Arctic") == []
    qtbot.keyClick(window.list_view, Qt.Key.Key_9)
    assert tagged_documents(db, "Vaccines") == []


def test_tags_and_star_show_in_the_list_columns(qtbot, annotated):
    window, annotator = annotated()
    select_rows(window, [0])
    annotator.tag_selection("Biomed")
    annotator.toggle_star()
    finish_workers(window)
    model = window.model
    columns = [c.key for c in model.columns]
    tags = model.data(model.index(0, columns.index("tags")))
    state = model.data(model.index(0, columns.index("read_state")))
    assert tags == "Biomed" and state.startswith("★")


def test_the_star_key_toggles_the_star_and_the_state_facet_counts_it(qtbot, annotated):
    window, annotator = annotated()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    finish_workers(window)
    assert dict(window.sidebar.sections["state"].model.values())["starred"] == 1
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    starred = window.library.db.conn.execute("SELECT sum(starred) FROM documents").fetchone()[0]
    assert starred == 0


def test_an_article_left_open_a_few_seconds_is_marked_read(qtbot, open_window, seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 50)
    window = open_window(seeds_library)
    install(window)
    window.step_article(1)
    doc_id = window.current_id()
    state = lambda: window.library.db.conn.execute(  # noqa: E731
        "SELECT read_state FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    qtbot.waitUntil(lambda: state() == "read", timeout=2000)
    finish_workers(window)


def test_dropping_articles_on_a_tag_applies_it(qtbot, annotated):
    window, annotator = annotated()
    create_tag(window.library.db, "Space")
    annotator.refresh()
    view = annotator.tag_editor.view
    index = annotator.tag_editor.model.index_of("Space")
    point = QPointF(view.visualRect(index).center())
    ids = window.model.ids[:2]
    mime: QMimeData = article_mime(ids)
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    view.dropEvent(drop)
    assert tagged_documents(window.library.db, "Space") == sorted(ids)


def test_notes_and_highlights_are_found_by_the_search_box(qtbot, annotated):
    window, annotator = annotated()
    doc_id = window.current_id()
    select_quote(window)
    highlight_id = annotator.highlight_selection()
    annotator.save_note(highlight_id, "zeppelin")
    window.set_query("zeppelin")
    finish_workers(window)
    assert window.model.ids == [doc_id]
    window.set_query("notes:zeppelin")
    finish_workers(window)
    assert window.model.ids == [doc_id]


def test_the_in_my_notes_toggle_limits_the_search_to_notes(qtbot, annotated):
    window, annotator = annotated()
    doc_id = window.current_id()
    annotator.save_document_note(doc_id, "Ask about the lab in Russia")
    toggle = window.findChild(type(annotator.notes_scope), "notesScope")
    assert toggle is annotator.notes_scope and toggle.isVisible()
    window.set_query("Russia")
    finish_workers(window)
    in_texts = len(window.model.ids)
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    finish_workers(window)
    assert window.model.ids == [doc_id] and in_texts > 1
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    finish_workers(window)
    assert len(window.model.ids) == in_texts


def test_a_word_searched_in_my_notes_is_not_marked_in_the_article_text(qtbot, annotated):
    window, annotator = annotated()
    doc_id = window.current_id()
    assert "Russia" in window.reader.current_document.text
    annotator.save_document_note(doc_id, "Ask about the lab in Russia")
    qtbot.mouseClick(annotator.notes_scope, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.search_box, "Russia")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.ids == [doc_id])
    finish_workers(window)
    assert window.current_id() == doc_id and window.reader.hit_count == 0
    qtbot.mouseClick(annotator.notes_scope, Qt.MouseButton.LeftButton)  # the whole text again
    qtbot.waitUntil(lambda: window.reader.hit_count > 0)


def test_the_first_article_shown_is_marked_read_after_a_while(qtbot, open_window, seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 50)
    window = open_window(seeds_library)
    doc_id = window.current_id()
    state = lambda: window.library.db.conn.execute(  # noqa: E731
        "SELECT read_state FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    qtbot.waitUntil(lambda: state() == "read", timeout=2000)
    finish_workers(window)


def test_the_list_drags_the_selected_articles_to_drop_on_a_tag(qtbot, annotated):
    window, annotator = annotated()
    select_rows(window, [0, 2])
    assert window.list_view.dragEnabled()
    indexes = window.list_view.selectionModel().selectedIndexes()
    mime = window.model.mimeData(indexes)
    create_tag(window.library.db, "Space")
    annotator.refresh()
    view = annotator.tag_editor.view
    point = QPointF(view.visualRect(annotator.tag_editor.model.index_of("Space")).center())
    view.dropEvent(QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier))
    assert tagged_documents(window.library.db, "Space") == sorted(window.selected_ids())


def test_changes_run_by_other_features_are_undone_by_the_same_undo(qtbot, annotated):
    window, _ = annotated()
    doc_id = window.model.ids[-1]
    window.operations.apply(lambda db: remove_documents(db, [doc_id]))
    finish_workers(window)
    assert doc_id not in window.model.ids
    window.action_undo.trigger()
    finish_workers(window)
    assert doc_id in window.model.ids


def test_tags_made_in_the_tag_editor_can_be_renamed_and_the_rename_undone(qtbot, annotated, monkeypatch):
    window, annotator = annotated()
    editor = annotator.tag_editor
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Biomed"))
    editor.create_tag()
    editor.select_path("Biomed")
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Biomedicine"))
    editor.rename_selected()
    assert editor.model.index_of("Biomedicine").isValid()
    window.action_undo.trigger()
    assert editor.model.index_of("Biomed").isValid() and not editor.model.index_of("Biomedicine").isValid()


def test_a_number_key_without_a_pinned_tag_says_so_and_changes_nothing(qtbot, annotated):
    window, annotator = annotated()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_4)
    assert "key 4" in window.statusBar().currentMessage()
    assert not window.action_undo.isEnabled()


def test_removing_articles_with_the_delete_key_is_undone_by_undo(qtbot, annotated):
    window, annotator = annotated()
    select_rows(window, [0, 1])
    removed = window.selected_ids()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_Delete)
    finish_workers(window)
    assert not set(removed) & set(window.model.ids)
    window.action_undo.trigger()
    finish_workers(window)
    assert set(removed) <= set(window.model.ids)


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)
def test_opening_a_highlight_from_the_annotations_view_reads_its_article_even_outside_the_search(qtbot, annotated):
    window, annotator = annotated()
    target = window.model.ids[-1]
    text = window.library.db.conn.execute("SELECT text FROM documents WHERE id = ?", [target]).fetchone()[0]
    create_annotation(window.library.db, target, len(text) - 50, len(text) - 20, note="far down")
    window.set_query("Changchun")
    finish_workers(window)
    assert target not in window.model.ids
    view = annotator.show_annotations_view()
    assert view.model.rowCount() == 1
    view.table.doubleClicked.emit(view.model.index(0, 1))
    finish_workers(window)
    assert window.current_id() == target and window.reader.verticalScrollBar().value() > 0
    view.close()


def test_pressing_h_in_the_reader_highlights_the_selection_and_undo_names_it(qtbot, annotated):
    window, annotator = annotated()
    select_quote(window)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_H)
    assert [h["colour"] for h in stored_highlights(window)] == ["yellow"]
    assert window.action_undo.text().startswith("Undo Highlight 'Changchun-Novosibirskaya")


def test_the_keyboard_sheet_lists_the_annotating_keys(qtbot, annotated):
    from desktop.ui.shortcuts import SHORTCUTS

    annotated()
    assert SHORTCUTS["pinned_tags"].keys == tuple("123456789")
    assert SHORTCUTS["star"].group == "Annotating"


def test_t_marks_the_selected_articles_to_read_and_r_then_marks_them_read(qtbot, annotated):
    window, annotator = annotated()
    select_rows(window, [1, 2])
    ids = window.selected_ids()
    window.list_view.setFocus()
    states = lambda: [window.library.db.conn.execute(  # noqa: E731
        "SELECT read_state FROM documents WHERE id = ?", [i]).fetchone()[0] for i in ids]
    qtbot.keyClick(window.list_view, Qt.Key.Key_T)
    assert states() == ["to_read", "to_read"]
    qtbot.keyClick(window.list_view, Qt.Key.Key_R)
    assert states() == ["read", "read"]
    qtbot.keyClick(window.list_view, Qt.Key.Key_R)
    assert states() == ["unread", "unread"]


def test_a_selection_made_by_moving_between_search_hits_does_not_offer_the_highlight_bar(qtbot, annotated):
    window, annotator = annotated()
    window.set_query("Novosibirskaya")
    finish_workers(window)
    assert window.reader.next_hit() and window.reader.selected_range() is not None
    QApplication.processEvents()
    assert not annotator.bar.isVisible()


def test_installing_twice_keeps_one_notes_panel_and_one_history(qtbot, annotated):
    window, annotator = annotated()
    assert install(window) is annotator
    panels = [window.reader_panels.widget(i) for i in range(window.reader_panels.count())]
    assert panels.count(annotator.panel) == 1 and len(window.findChildren(type(annotator))) == 1


def test_tags_that_do_not_fit_in_the_tags_cell_are_counted_in_a_plus_chip():
    from desktop.ui.annotate import fit_chips

    chips = fit_chips(["biomedicine", "conference", "Region/Arctic", "to check"], room=90,
                      advance=lambda text: 7 * len(text))
    assert [text for text, _, _ in chips] == ["biomedicine", "+3"]
    assert sum(width for _, width, _ in chips) <= 90
    assert [text for text, _, _ in fit_chips(["a", "Region/b"], room=90, advance=len,
                                             labels={"region/b": "b"})] == ["a", "b"]


def test_two_tags_ending_in_the_same_word_read_apart_in_the_tags_column(qtbot, annotated, seeds_library,
                                                                      monkeypatch):
    from desktop.core.tags import add_tag
    from desktop.ui.annotate_columns import TagChipsDelegate

    with open_library(seeds_library) as library:
        first = library.db.conn.execute("SELECT min(id) FROM documents").fetchone()[0]
        add_tag(library.db, [first], "project/energy")
        add_tag(library.db, [first], "topic/energy")
        add_tag(library.db, [first], "Region/Arctic")
    drawn: list[str] = []
    draw = TagChipsDelegate._draw_chip
    monkeypatch.setattr(TagChipsDelegate, "_draw_chip",
                        staticmethod(lambda painter, chip, label, **kw: (drawn.append(label),
                                                                         draw(painter, chip, label, **kw))))
    window, _ = annotated()
    window.resize(2400, 900)
    view = window.list_view
    column = window.model.column_of_key("tags")
    qtbot.waitUntil(lambda: not view.isColumnHidden(column))
    view.setColumnWidth(column, 400)
    row = window.model.ids.index(first)
    drawn.clear()  # what was drawn while the column was narrower or still giving way
    view.viewport().grab(view.visualRect(window.model.index(row, column)))
    assert sorted(drawn) == ["Arctic", "project/energy", "topic/energy"]


def test_the_tag_editor_shows_a_hint_instead_of_an_empty_box_until_a_tag_exists(qtbot, annotated):
    window, annotator = annotated()
    editor = annotator.tag_editor
    assert editor.view.isHidden() and not editor.empty_hint.isHidden()
    select_rows(window, [0])
    annotator.tag_selection("Biomed")
    assert not editor.view.isHidden() and editor.empty_hint.isHidden()


def test_the_in_my_notes_toggle_reads_as_a_check_box(annotated):
    from PySide6.QtWidgets import QCheckBox

    _, annotator = annotated()
    assert isinstance(annotator.notes_scope, QCheckBox) and annotator.notes_scope.text() == "In my notes"


def test_the_status_bar_tells_an_edit_of_several_articles_as_done_with_their_number(qtbot, annotated):
    window, annotator = annotated()
    select_rows(window, [0, 1, 3])
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert window.statusBar().currentMessage() == "Starred 3 articles."
    qtbot.keyClick(window.list_view, Qt.Key.Key_T)
    assert window.statusBar().currentMessage() == "Marked 3 articles to read."
    assert annotate.done_text("Remove tag 'Biomed' from 1 article") == "Removed tag 'Biomed' from 1 article."


def test_marking_the_article_being_read_to_read_is_not_overridden_by_reading_it(
        qtbot, open_window, agency_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 200)
    window = open_window(agency_library)
    doc_id = window.current_id()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_T)
    qtbot.wait(600)  # three times the reading delay
    finish_workers(window)
    state = window.library.db.conn.execute("SELECT read_state FROM documents WHERE id = ?", [doc_id])
    assert state.fetchone()[0] == "to_read"


def test_a_tag_another_process_pins_and_recolours_shows_in_the_window(qtbot, annotated):
    window, annotator = annotated()
    with open_library(window.library.path) as other:  # as a command-line `dossier` would
        create_tag(other.db, "Arctic")
    qtbot.waitUntil(lambda: any(tag["name"] == "Arctic" for tag in list_tags(window.library.db)), timeout=5_000)
    finish_workers(window)
    with open_library(window.library.path) as other:
        pin_tag(other.db, "Arctic", 3)
        recolour_tag(other.db, "Arctic", "#2a9d8f")
    qtbot.waitUntil(lambda: annotator.pin_actions[2].text() == "3: Arctic", timeout=5_000)
    stored = next(tag["colour"] for tag in list_tags(window.library.db) if tag["name"] == "Arctic")
    assert annotator.delegate.colours.get("arctic") == stored


def open_highlights_window(qtbot, window, annotator, monkeypatch, out):
    from desktop.ui.annotations_view import AnnotationFiles

    for ask in ("ask_markdown_file", "ask_jsonld_file"):
        monkeypatch.setattr(AnnotationFiles, ask, classmethod(lambda cls, parent: out))
    annotator.action_annotations.trigger()
    view = annotator.annotations_view
    qtbot.waitUntil(view.isVisible)
    return view


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)
def test_highlights_export_json_ld_from_the_menu_runs_in_the_background_and_says_what_it_wrote(
        qtbot, annotated, tmp_path, monkeypatch):
    window, annotator = annotated()
    for doc_id in window.model.ids:
        create_annotation(window.library.db, doc_id, 10, 40, note="checked")
    out = tmp_path / "shared.jsonld"
    view = open_highlights_window(qtbot, window, annotator, monkeypatch, out)
    qtbot.mouseClick(view.findChild(QPushButton, "exportJsonLd"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.status.text() == "Exported 5 annotations to shared.jsonld.")
    assert json.loads(out.read_text())["total"] == 5


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)
def test_closing_the_main_window_during_a_highlights_export_stops_it_and_leaves_no_file(
        qtbot, annotated, tmp_path, monkeypatch):
    from desktop.core import export

    window, annotator = annotated()
    for doc_id in window.model.ids:
        create_annotation(window.library.db, doc_id, 10, 40)
    real = export._digest_part
    monkeypatch.setattr(export, "BATCH", 1)
    monkeypatch.setattr(export, "_digest_part", lambda *args: time.sleep(0.5) or real(*args))
    out = tmp_path / "unfinished.md"
    view = open_highlights_window(qtbot, window, annotator, monkeypatch, out)
    qtbot.mouseClick(view.findChild(QPushButton, "exportMarkdown"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.job.isVisible)
    window.close()
    assert not out.exists() and list(tmp_path.glob(".unfinished.md.*")) == []


def test_tab_from_the_article_note_never_stops_on_the_empty_list_of_highlights(
        qtbot, annotated):
    window, annotator = annotated()
    window.show_reader_panel(annotator.panel)
    note = annotator.panel.document_note
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.search_box  # no highlights: round to the search box


def test_the_first_tag_in_the_list_gives_the_tags_column_its_width_back(qtbot, annotated, monkeypatch):
    from desktop.ui.annotate_columns import TAGS_COLUMN

    window, _ = annotated()
    window.resize(1920, 1080)
    finish_workers(window)
    header = window.list_view.horizontalHeader()
    column = window.model.column_of_key("tags")
    assert header.sectionSize(column) < TAGS_COLUMN.width  # no article has a tag: as wide as its header
    select_rows(window, [0, 1, 3])
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Region/Siberia"))
    window.findChild(QAction, "actionTagArticles").trigger()
    qtbot.waitUntil(lambda: header.sectionSize(column) == TAGS_COLUMN.width)


def test_a_highlight_across_two_chinese_paragraphs_reads_without_a_space_between_them(
        qtbot, open_window, library_path):
    from tests.ui.conftest import insert_articles

    insert_articles(library_path, [{"title": "合作", "text": "中俄两国签署了合作协议。\n\n双方将共同建设实验室。"}])
    window = open_window(library_path)
    annotator = install(window)
    finish_workers(window)
    window.reader.select_range(0, len(window.reader.current_document.text))
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: len(annotator.panel.cards) == 1)
    [card] = annotator.panel.cards.values()
    assert card.quote.text() == "“中俄两国签署了合作协议。双方将共同建设实验室。”"
    assert window.action_undo.text() == "Undo Highlight '中俄两国签署了合作协议。双方将共同建设实验室。'"


def test_deleting_a_highlight_from_the_keyboard_goes_on_to_the_next_note_then_back_to_the_article(
        qtbot, annotated):
    window, annotator = annotated()
    window.show_reader_panel(annotator.panel)
    for quote in ("Changchun-Novosibirskaya", "Video Conference"):
        select_quote(window, quote)
        window.reader.setFocus()
        qtbot.keyClick(window.reader, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: len(annotator.panel.cards) == 2)
    first, second = annotator.panel.cards.values()
    first.delete_button.setFocus()
    qtbot.waitUntil(first.delete_button.hasFocus)
    qtbot.keyClick(first.delete_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(annotator.panel.cards) == 1)
    [left] = annotator.panel.cards.values()
    assert QApplication.focusWidget() is left.editor
    qtbot.keyClick(left.editor, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is left.delete_button
    qtbot.keyClick(left.delete_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not annotator.panel.cards)
    assert QApplication.focusWidget() is window.reader


def test_removing_one_article_with_del_says_undo_brings_it_back(qtbot, annotated):
    window, _ = annotated()
    select_rows(window, [1])
    window.list_view.setFocus()
    qtbot.waitUntil(window.list_view.hasFocus)
    qtbot.keyClick(window.list_view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Removed 1 article"))
    assert window.statusBar().currentMessage() == "Removed 1 article. Undo (Ctrl+Z) brings it back."
    assert window.list_view.hasFocus()


def test_the_status_bar_tells_a_new_highlight_not_the_redo_before_it(qtbot, annotated):
    window, annotator = annotated()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    window.action_undo.trigger()
    window.action_redo.trigger()
    assert window.statusBar().currentMessage().startswith("Redone: ")
    select_quote(window)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_H)
    assert window.statusBar().currentMessage() == "Highlighted 'Changchun-Novosibirskaya Video Conferen…'."
    assert [h["quote"] for h in stored_highlights(window)] == [QUOTE]
