"""Journeys through Annotate ▸ Highlights and notes…: the window opens from the menu and closes the
ways a person closes a window: its Close button, Esc, Ctrl+W; the keyboard reaches its buttons and
opens a highlight's article."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, menu_action

OFFSCREEN_RAISE = "This plugin does not support raise"
pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

WAIT_MS = 10_000


def open_annotations_window(qtbot, window) -> QWidget:
    """Annotate ▸ Highlights and notes…: the window shows, listing the library's highlights."""
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    assert view is not None
    qtbot.waitUntil(lambda: view.isVisible() and view.isActiveWindow(), timeout=WAIT_MS)
    assert view.findChild(QLabel, "annotationsStatus").text() == "0 highlights"
    return view


def press_close(qtbot, view: QWidget) -> None:
    buttons = view.findChild(QDialogButtonBox)
    assert buttons is not None, "no button box"
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.isVisible(), "no Close button"
    click(qtbot, close)


def press_escape(qtbot, view: QWidget) -> None:
    qtbot.keyClick(view.focusWidget() or view, Qt.Key.Key_Escape)


def press_ctrl_w(qtbot, view: QWidget) -> None:
    qtbot.keySequence(view.focusWidget() or view, QKeySequence("Ctrl+W"))


@pytest.mark.parametrize("close", [press_close, press_escape, press_ctrl_w],
                         ids=["close-button", "escape", "ctrl-w"])
def test_highlights_and_notes_window_closes_and_opens_again(qtbot, open_window, seeds_library, close):
    window = open_window(seeds_library)
    view = open_annotations_window(qtbot, window)

    close(qtbot, view)

    qtbot.waitUntil(lambda: not view.isVisible(), timeout=WAIT_MS)
    assert window.isVisible()
    assert open_annotations_window(qtbot, window) is view


@pytest.fixture
def highlighted_library(seeds_library):
    """The sample articles with one highlight in the second of them."""
    from desktop.core.annotations import create_annotation
    from desktop.core.library import open_library

    with open_library(seeds_library) as library:
        doc_id = library.db.execute("SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
        create_annotation(library.db, doc_id, 40, 90, note="check the figures")
    return seeds_library


def test_tab_leaves_the_highlights_table_for_its_buttons(qtbot, open_window, highlighted_library):
    from PySide6.QtWidgets import QApplication, QPushButton, QTableView

    window = open_window(highlighted_library)
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    table = view.findChild(QTableView, "annotationsTable")
    qtbot.waitUntil(lambda: view.isActiveWindow() and table.model().rowCount() == 1)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    reached = QApplication.focusWidget()
    assert isinstance(reached, QPushButton) and reached.text().replace("&", "") == "Open article"


def test_enter_on_a_highlight_shows_its_article_with_the_keys_in_the_reader(qtbot, open_window, highlighted_library):
    from PySide6.QtWidgets import QTableView

    window = open_window(highlighted_library)
    window.list_view.setFocus()
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    table = view.findChild(QTableView, "annotationsTable")
    qtbot.waitUntil(lambda: view.isActiveWindow() and table.model().rowCount() == 1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.isActiveWindow() and window.reader.hasFocus())
    assert window.reader.current_document.title == table.model().index(0, 3).data()


def test_the_close_button_is_not_a_dark_glyph_on_the_dark_theme(qtbot, open_window, seeds_library):
    """On a Linux desktop the style puts its own icons on dialog buttons: dark glyphs that vanish
    on the dark theme. The offscreen platform asks for none, so the test asks for them as such a
    desktop does."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

    class DesktopStyle(QProxyStyle):
        def styleHint(self, hint, option=None, widget=None, data=None):
            if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
                return 1
            return super().styleHint(hint, option, widget, data)

    window = open_window(seeds_library)
    window.findChild(QAction, "actionThemeDark").trigger()
    QApplication.setStyle(DesktopStyle("Fusion"))
    try:
        view = open_annotations_window(qtbot, window)
        close = view.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        assert close.text() == "Close" and close.icon().isNull()
    finally:
        window.findChild(QAction, "actionThemeLight").trigger()


def test_with_no_highlights_the_window_says_how_to_make_one_and_a_filter_matching_none_says_so(
        qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QLineEdit, QTableView

    from tests.ui.journeys.steps import drawn_texts

    window = open_window(agency_library)
    view = open_annotations_window(qtbot, window)
    table = view.findChild(QTableView, "annotationsTable")
    qtbot.waitUntil(lambda: any(text.startswith("No highlights yet. Select words in an article and press H")
                                for text in drawn_texts(table.viewport())))

    qtbot.keyClicks(view.findChild(QLineEdit, "annotationsFilter"), "vaccine")
    qtbot.waitUntil(lambda: "No highlight matches these filters." in drawn_texts(table.viewport()))
