"""Highlighting a passage with a note, and finding both again after reopening the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QToolButton

from desktop.core.annotations import DEFAULT_COLOUR, PALETTE
from desktop.ui import annotate
from desktop.ui.annotate import highlight_colour
from desktop.ui.annotation_panel import AnnotationPanel, NoteEdit
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import (
    click,
    click_row,
    facet_rows,
    listed_titles,
    menu_action,
    painted_runs,
    select_text_in_reader,
)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")

TITLE = "Satellite launch"
QUOTE = "space cooperation"
NOTE = "Launch framed as science, not defence"


def read_article(qtbot, window, title: str) -> None:
    """Click the article titled ``title`` in the list and wait for the reader to show it."""
    click_row(qtbot, window.list_view, listed_titles(window).index(title))
    qtbot.waitUntil(lambda: window.reader.toPlainText().startswith(title))


def shown_notes(window) -> list[tuple[str, str]]:
    """(quote, note) of each highlight card in the notes panel, as shown."""
    panel = window.findChild(AnnotationPanel, "annotationPanel")
    return [(card.quote.text(), card.editor.toPlainText()) for card in panel.cards.values()
            if card.isVisibleTo(panel)]


def add_note_to_quote(qtbot, window) -> None:
    """Open the article, select ``QUOTE`` in the reader and click *Add note* on the bar."""
    read_article(qtbot, window, TITLE)
    select_text_in_reader(qtbot, window.reader, QUOTE)
    bar = window.reader.viewport().findChild(QFrame, "highlightBar")
    qtbot.waitUntil(bar.isVisible)
    click(qtbot, bar.findChild(QToolButton, "highlightAddNote"))


def test_a_highlight_with_a_note_is_painted_and_shown_again_after_reopening(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    add_note_to_quote(qtbot, window)
    painted = highlight_colour(PALETTE[DEFAULT_COLOUR], theme=window.reader.theme)
    qtbot.waitUntil(lambda: (QUOTE, painted) in painted_runs(window.reader))

    note_box = QApplication.focusWidget()
    assert isinstance(note_box, NoteEdit) and window.findChild(AnnotationPanel).isAncestorOf(note_box)
    assert note_box.isVisible()
    qtbot.keyClicks(note_box, NOTE)
    window.close()

    window = open_window(agency_library)
    read_article(qtbot, window, TITLE)
    assert (QUOTE, painted) in painted_runs(window.reader)
    qtbot.waitUntil(lambda: shown_notes(window) == [(f"“{QUOTE}”", NOTE)])
    assert window.findChild(AnnotationPanel).isVisible()


def test_escape_in_a_note_box_keeps_the_note_and_goes_back_to_the_reader(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    add_note_to_quote(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), NoteEdit))
    note_box = QApplication.focusWidget()
    qtbot.keyClicks(note_box, NOTE)

    qtbot.keyClick(note_box, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader)
    assert note_box.toPlainText() == NOTE and not note_box.pending
    window.close()
    window = open_window(agency_library)
    read_article(qtbot, window, TITLE)
    qtbot.waitUntil(lambda: shown_notes(window) == [(f"“{QUOTE}”", NOTE)])


def test_escape_in_the_article_note_goes_back_to_the_reader(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    read_article(qtbot, window, TITLE)
    menu_action(window, "actionTogglePanels").trigger()
    note_box = window.findChild(NoteEdit, "documentNote")
    qtbot.waitUntil(note_box.isVisible)
    qtbot.mouseClick(note_box.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(note_box.hasFocus)
    qtbot.keyClicks(note_box, NOTE)

    qtbot.keyClick(note_box, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader)
    assert note_box.toPlainText() == NOTE and not note_box.pending


def test_a_selection_made_before_the_article_is_marked_read_stays_to_be_highlighted(
        qtbot, open_window, agency_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 2_000)
    window = open_window(agency_library)
    read_article(qtbot, window, TITLE)
    select_text_in_reader(qtbot, window.reader, QUOTE)
    bar = window.reader.viewport().findChild(QFrame, "highlightBar")
    qtbot.waitUntil(bar.isVisible)
    assert ("Read", "1") not in facet_rows(window, "state")

    qtbot.waitUntil(lambda: ("Read", "1") in facet_rows(window, "state"))
    assert window.reader.textCursor().selectedText() == QUOTE and bar.isVisible()
    click(qtbot, bar.findChild(QToolButton, "highlight-yellow"))
    painted = highlight_colour(PALETTE["yellow"], theme=window.reader.theme)
    qtbot.waitUntil(lambda: (QUOTE, painted) in painted_runs(window.reader))
    assert not window.reader.textCursor().hasSelection()
