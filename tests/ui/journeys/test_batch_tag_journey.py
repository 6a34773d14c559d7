"""Tagging three articles picked with shift+click, then undoing and redoing it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.tag_editor import TagDialogs
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import (
    cell_text,
    drawn_texts,
    facet_rows,
    menu_action,
    selected_rows,
    shift_click_rows,
)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_three_shift_clicked_articles_stay_selected_while_reading_and_are_tagged_together(
        qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    view = window.list_view
    shift_click_rows(qtbot, view, 0, 2)
    assert selected_rows(view) == [0, 1, 2]

    qtbot.wait(4000)  # the article being read is marked read meanwhile, and the list refreshes
    assert cell_text(window, 2, "read_state") == "read"
    assert selected_rows(view) == [0, 1, 2]

    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Biomed"))
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: [cell_text(window, row, "tags") for row in range(5)]
                    == ["Biomed", "Biomed", "Biomed", "", ""])
    assert window.statusBar().currentMessage() == "Added tag 'Biomed' to 3 articles."
    qtbot.waitUntil(lambda: facet_rows(window, "tag") == [("Biomed", "3"), ("(untagged)", "2")])
    assert selected_rows(view) == [0, 1, 2]

    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: not any(cell_text(window, row, "tags") for row in range(5)))
    qtbot.waitUntil(lambda: facet_rows(window, "tag") == [("(untagged)", "5")])
    assert window.statusBar().currentMessage() == "Undone: Add tag 'Biomed' to 3 articles."

    menu_action(window, "actionRedo").trigger()
    qtbot.waitUntil(lambda: [cell_text(window, row, "tags") for row in range(5)]
                    == ["Biomed", "Biomed", "Biomed", "", ""])
    qtbot.waitUntil(lambda: facet_rows(window, "tag") == [("Biomed", "3"), ("(untagged)", "2")])
    assert selected_rows(view) == [0, 1, 2]


def tag_menu_action(qtbot, window, path: str, text: str):
    """Click tag ``path`` in the sidebar's tag tree and return its Edit menu's entry ``text``."""
    from desktop.ui.annotate import Annotator

    editor = window.findChild(Annotator).tag_editor
    index = editor.model.index_of(path)
    assert index.isValid(), f"the tag tree shows no {path!r}"
    editor.view.scrollTo(index)
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=editor.view.visualRect(index).center())
    editor.edit_menu.aboutToShow.emit()
    action = next(a for a in editor.edit_menu.actions() if a.text() == text)
    assert action.isEnabled(), f"{text} is disabled"
    return action


def test_a_renamed_nested_tag_is_shown_renamed_on_every_article_and_undo_puts_the_name_back(
        qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    view = window.list_view
    shift_click_rows(qtbot, view, 1, 3)
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "biomed/forums"))
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: [cell_text(window, row, "tags") for row in range(5)]
                    == ["", "biomed/forums", "biomed/forums", "biomed/forums", ""])

    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "медицина"))
    tag_menu_action(qtbot, window, "biomed", "Rename…").trigger()
    qtbot.waitUntil(lambda: [cell_text(window, row, "tags") for row in range(5)]
                    == ["", "медицина/forums", "медицина/forums", "медицина/forums", ""])
    assert window.statusBar().currentMessage() == "Renamed tag 'biomed' to 'медицина'."

    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: [cell_text(window, row, "tags") for row in range(5)]
                    == ["", "biomed/forums", "biomed/forums", "biomed/forums", ""])
    assert selected_rows(view) == [1, 2, 3]


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")
def test_a_long_tag_chip_is_cut_at_its_end_and_its_tooltip_names_it_whole(
        qtbot, open_window, agency_library, monkeypatch):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    long_tag = "Московская область/выборы губернатора 2024"
    window = open_window(agency_library)
    view = window.list_view
    shift_click_rows(qtbot, view, 0, 1)
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: long_tag))
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: cell_text(window, 0, "tags") == long_tag)

    column = window.model.column_of_key("tags")
    view.setColumnWidth(column, 140)  # narrower than the tag, as a person drags the column's edge
    drawn = drawn_texts(view.viewport())
    chips = [text for text in drawn if text[:3] in ("Мос", "выб")]
    assert len(chips) == 2, drawn
    wholes = (long_tag, long_tag.split("/")[-1])  # the chip reads as the path or its last part
    for text in chips:  # the start of the name, cut at its end
        assert text.endswith("…") and any(whole.startswith(text[:-1]) for whole in wholes), chips

    cell = view.visualRect(window.model.index(0, column)).center()
    QApplication.sendEvent(view.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, cell,
                                                       view.viewport().mapToGlobal(cell)))
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == long_tag)
    QToolTip.hideText()
