"""Right-clicking one's own highlight in the reader: its colour, its note and its deletion, beside the
corrections of a name marked inside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from desktop.core.annotations import PALETTE
from desktop.ui.annotate import highlight_colour
from desktop.ui.annotation_panel import AnnotationPanel
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import menu_action, painted_runs, right_click, status_text
from tests.ui.journeys.test_entities_journey import SUMMIT, choose, drag_select, point_of, read
from tests.ui.journeys.test_entities_journey import summit_library  # noqa: F401  (the fixture)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")

PASSAGE = "Xi Jinping in Beijing"


def entries(menu: QMenu) -> list[str]:
    """The menu's entries as the person reads them, headings included, separators left out."""
    return [action.text() for action in menu.actions() if action.text()]


def highlight_passage(qtbot, window) -> None:
    """Read the summit article, select ``PASSAGE`` with the mouse and press H."""
    read(qtbot, window, SUMMIT)
    drag_select(qtbot, window, PASSAGE)
    qtbot.waitUntil(lambda: window.reader.selected_range() is not None)
    qtbot.keyClick(window.reader, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: len(window.findChild(AnnotationPanel).cards) == 1)


def painted(window, colour: str) -> bool:
    """True when some of ``PASSAGE`` is drawn in highlight ``colour``."""
    background = highlight_colour(PALETTE[colour], theme=window.reader.theme).lower()
    return any(text in PASSAGE and shade.lower() == background for text, shade in painted_runs(window.reader))


def test_a_name_inside_a_highlight_offers_the_highlight_and_the_name_under_their_own_headings(
        qtbot, open_window, summit_library):  # noqa: F811
    window = open_window(summit_library)
    highlight_passage(qtbot, window)

    shown = entries(right_click(window, point_of(window, "Beijing")))

    mine, name = shown.index("Your highlight"), shown.index("Person “Beijing”")
    assert shown[mine + 1: mine + 4] == ["Highlight colour", "Add note…", "Delete highlight"]
    assert mine < name and shown[name + 1].startswith("Change “Beijing” from person to")
    QApplication.activePopupWidget().close()


def test_text_outside_any_highlight_offers_no_highlight_entries(qtbot, open_window, summit_library):  # noqa: F811
    window = open_window(summit_library)
    highlight_passage(qtbot, window)

    menu = right_click(window, point_of(window, "Dmitry Peskov"))

    assert "Your highlight" not in entries(menu) and "Delete highlight" not in entries(menu)
    menu.close()


def test_a_highlight_changes_colour_from_the_reader_menu_and_undo_brings_the_old_one_back(
        qtbot, open_window, summit_library):  # noqa: F811
    window = open_window(summit_library)
    highlight_passage(qtbot, window)
    qtbot.waitUntil(lambda: painted(window, "yellow"))

    choose(right_click(window, point_of(window, "Jinping")), "Highlight colour", "Bluish green")

    qtbot.waitUntil(lambda: painted(window, "bluish green") and not painted(window, "yellow"))
    assert window.findChild(AnnotationPanel).cards  # the card shows it too
    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: painted(window, "yellow"))


def test_add_note_from_the_reader_menu_puts_the_cursor_in_the_highlights_note(qtbot, open_window, summit_library):  # noqa: F811
    window = open_window(summit_library)
    highlight_passage(qtbot, window)
    window.reader.setFocus()
    panel = window.findChild(AnnotationPanel)

    choose(right_click(window, point_of(window, "Jinping")), "Add note…")

    [card] = panel.cards.values()
    qtbot.waitUntil(lambda: panel.isVisible() and card.editor.hasFocus())
    qtbot.keyClicks(card.editor, "Met in Beijing")
    qtbot.keyClick(card.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "Edit note…" in entries(right_click(window, point_of(window, "Jinping"))))
    QApplication.activePopupWidget().close()


def test_delete_highlight_from_the_reader_menu_is_undoable(qtbot, open_window, summit_library):  # noqa: F811
    window = open_window(summit_library)
    highlight_passage(qtbot, window)
    panel = window.findChild(AnnotationPanel)

    choose(right_click(window, point_of(window, "Jinping")), "Delete highlight")

    qtbot.waitUntil(lambda: not panel.cards and not painted(window, "yellow"))
    qtbot.waitUntil(lambda: status_text(window) != "")
    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: len(panel.cards) == 1 and painted(window, "yellow"))
