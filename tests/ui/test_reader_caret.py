"""Caret browsing (F7): moving through an article and selecting with the keys, then highlighting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QTreeWidget

from desktop.core.annotations import DEFAULT_COLOUR, PALETTE, document_annotations
from desktop.core.library import open_library
from desktop.ui.annotate import highlight_colour
from desktop.ui.annotation_panel import AnnotationPanel, NoteEdit
from desktop.ui.shortcuts import ShortcutsDialog
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import listed_titles, painted_runs
from tests.ui.test_entities_widgets import mention_all

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
LONG_TEXT = "\n\n".join(f"Paragraph {n} tells of the joint laboratory in Harbin and its work."
                        for n in range(80))

ARTICLES = {
    "english": {"title": "Forum", "text": "Scientists met in Harbin.\n\nThe joint forum on biomedicine opened."},
    "russian": {"title": "Форум",
                "text": "Учёные встретились.\n\nВ Новосибирске прошёл форум по биомедицине."},
    "chinese": {"title": "论坛", "text": "科学家会面。\n\n中俄双方在哈尔滨举行生物医学合作论坛。"},
    "emoji": {"title": "Emoji", "text": "A note.\n\nThe forum 😀 on biomedicine 🧬 was held in Pudong."},
    "crlf": {"title": "Wire", "text": "Header.\r\n\r\nFirst line of the wire.\r\nSecond line here.\r\n"},
    "long": {"title": "Laboratory", "text": LONG_TEXT},
}


@pytest.fixture
def reading(open_window, library_path):
    """A function opening the window on one of ``ARTICLES``, the reader focused."""
    ids = dict(zip(ARTICLES, insert_articles(library_path, list(ARTICLES.values()))))
    with open_library(library_path) as library:
        mention_all(library.db, ids["english"], label="GPE", name="Harbin", word="Harbin")

    def opener(name: str):
        window = open_window(library_path)
        assert window.show_article(ids[name])
        window.reader.setFocus()
        return window

    return opener


def press(qtbot, widget, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier, *, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(widget, key, modifiers)


def caret_to_paragraph(qtbot, reader, beginning: str) -> None:
    """Ctrl+Home, then Down until the caret is in the paragraph starting with ``beginning``, then Home."""
    press(qtbot, reader, Qt.Key.Key_Home, CTRL)
    for _ in range(20):
        if reader.textCursor().block().text().startswith(beginning):
            break
        press(qtbot, reader, Qt.Key.Key_Down)
    assert reader.textCursor().block().text().startswith(beginning)
    press(qtbot, reader, Qt.Key.Key_Home)


def stored_highlights(window) -> list[tuple[int, int]]:
    return [(row["start"], row["end"]) for row in document_annotations(window.library.db, window.current_id())]


def highlighted_text(window) -> str:
    """The reader's text drawn in the default highlight colour, piece after piece."""
    painted = highlight_colour(PALETTE[DEFAULT_COLOUR], theme=window.reader.theme)
    return "".join(text for text, colour in painted_runs(window.reader) if colour == painted)


def caret_drawn(reader) -> bool:
    """Whether a caret is painted where the reader's cursor is: a column of ink down its rectangle
    (most of it: Qt draws the caret inverting what is beneath, and a glyph may reach into it)."""
    rect = reader.cursorRect()
    image = reader.viewport().grab().toImage()
    column = rect.left()
    text = reader.palette().color(reader.palette().ColorRole.Text).lightness()
    paper = reader.palette().color(reader.palette().ColorRole.Base).lightness()
    middle = (text + paper) / 2
    inked = [abs(QColor(image.pixel(column, y)).lightness() - text) < abs(middle - text)
             for y in range(rect.top() + 2, rect.bottom() - 1)]
    return bool(inked) and sum(inked) >= 0.8 * len(inked)


def test_f7_shows_a_caret_at_the_start_of_the_first_line_on_screen(qtbot, reading):
    window = reading("long")
    reader = window.reader
    reader.verticalScrollBar().setValue(reader.verticalScrollBar().maximum() // 2)
    scrolled = reader.verticalScrollBar().value()
    press(qtbot, reader, Qt.Key.Key_F7)
    assert window.action_caret.isChecked()
    assert reader.verticalScrollBar().value() == scrolled
    caret = reader.cursorRect()
    assert 0 <= caret.top() < caret.height() * 2 and caret.left() < reader.viewport().width() // 3
    assert reader.textCursor().block().text().startswith("Paragraph ")
    qtbot.waitUntil(lambda: caret_drawn(reader))


def test_without_caret_browsing_the_arrows_scroll_and_space_pages_as_before(qtbot, reading):
    window = reading("long")
    reader, bar = window.reader, window.reader.verticalScrollBar()
    press(qtbot, reader, Qt.Key.Key_Down, times=3)
    assert bar.value() == 3 * bar.singleStep()
    press(qtbot, reader, Qt.Key.Key_Space)
    assert bar.value() == 3 * bar.singleStep() + bar.pageStep()
    press(qtbot, reader, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    assert not reader.textCursor().hasSelection() and reader.textCursor().position() == 0


@pytest.mark.parametrize(("name", "paragraph", "before", "quote"), [
    ("english", "The joint", len("The "), "joint forum on"),
    ("russian", "В Новосибирске", len("В "), "Новосибирске прошёл"),
    ("chinese", "中俄", len("中俄双方在"), "哈尔滨"),
    ("emoji", "The forum", len("The "), "forum 😀 on biomedicine 🧬"),
    ("crlf", "First line", len("First line of the "), "wire.\r\nSecond"),
])
def test_shift_arrows_select_and_h_highlights_exactly_the_characters_selected(
        qtbot, reading, name, paragraph, before, quote):
    window = reading(name)
    reader = window.reader
    text = reader.current_document.text
    press(qtbot, reader, Qt.Key.Key_F7)
    caret_to_paragraph(qtbot, reader, paragraph)
    press(qtbot, reader, Qt.Key.Key_Right, times=before)
    press(qtbot, reader, Qt.Key.Key_Right, SHIFT, times=len(quote))
    press(qtbot, reader, Qt.Key.Key_H)
    start = text.index(quote)
    assert stored_highlights(window) == [(start, start + len(quote))]
    assert highlighted_text(window) == quote.replace("\r", " ").replace("\n", "")


def test_ctrl_shift_arrows_select_by_word_and_n_opens_a_note_on_the_quote(qtbot, reading):
    window = reading("russian")
    reader = window.reader
    press(qtbot, reader, Qt.Key.Key_F7)
    caret_to_paragraph(qtbot, reader, "В Новосибирске")
    press(qtbot, reader, Qt.Key.Key_Right, CTRL)
    press(qtbot, reader, Qt.Key.Key_Right, CTRL | SHIFT, times=2)
    press(qtbot, reader, Qt.Key.Key_Left, SHIFT)
    press(qtbot, reader, Qt.Key.Key_N)
    panel = window.findChild(AnnotationPanel, "annotationPanel")
    quotes = [card.quote.text() for card in panel.cards.values() if card.isVisibleTo(panel)]
    assert quotes == ["“Новосибирске прошёл”"]
    assert highlighted_text(window) == "Новосибирске прошёл"
    focused = window.focusWidget()
    assert isinstance(focused, NoteEdit) and panel.isAncestorOf(focused)


def test_the_caret_stays_where_it_was_after_a_highlight_and_selects_on_from_there(qtbot, reading):
    window = reading("english")
    reader = window.reader
    press(qtbot, reader, Qt.Key.Key_F7)
    caret_to_paragraph(qtbot, reader, "The joint")
    press(qtbot, reader, Qt.Key.Key_Right, CTRL | SHIFT)
    press(qtbot, reader, Qt.Key.Key_H)
    press(qtbot, reader, Qt.Key.Key_Right, CTRL | SHIFT)
    press(qtbot, reader, Qt.Key.Key_H)
    text = reader.current_document.text
    first, second = text.index("The joint"), text.index("joint forum")
    assert stored_highlights(window) == [(first, second), (second, text.index("forum "))]


def test_home_and_end_move_the_caret_to_the_ends_of_the_line(qtbot, reading):
    window = reading("english")
    reader = window.reader
    press(qtbot, reader, Qt.Key.Key_F7)
    caret_to_paragraph(qtbot, reader, "The joint")
    press(qtbot, reader, Qt.Key.Key_End, SHIFT)
    assert reader.textCursor().selectedText() == "The joint forum on biomedicine opened."
    press(qtbot, reader, Qt.Key.Key_Home)
    press(qtbot, reader, Qt.Key.Key_Right, CTRL | SHIFT)
    assert reader.textCursor().selectedText() == "The "


def test_page_down_moves_the_caret_and_the_view_and_ctrl_end_goes_to_the_end(qtbot, reading):
    window = reading("long")
    reader, bar = window.reader, window.reader.verticalScrollBar()
    press(qtbot, reader, Qt.Key.Key_F7)
    start = reader.textCursor().position()
    press(qtbot, reader, Qt.Key.Key_PageDown, SHIFT)
    assert bar.value() > 0 and reader.textCursor().position() > start
    assert reader.textCursor().selectionStart() == start
    assert reader.viewport().rect().contains(reader.cursorRect().center())
    press(qtbot, reader, Qt.Key.Key_End, CTRL)
    assert reader.textCursor().atEnd() and reader.viewport().rect().contains(reader.cursorRect().center())


def marks(reader) -> list[tuple[str, str, str]]:
    """(text, background, underline) of each piece of the reader's text drawn marked."""
    found = []
    block = reader.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            char = fragment.charFormat()
            if char.background().style() != Qt.BrushStyle.NoBrush or char.fontUnderline():
                found.append((fragment.text(), char.background().color().name(), str(char.underlineStyle())))
            fragments += 1
        block = block.next()
    return found


def test_caret_browsing_keeps_the_search_hits_and_entity_marks_painted(qtbot, reading):
    window = reading("english")
    reader = window.reader
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "forum")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("forum", ) == tuple(text for text, _ in painted_runs(reader))[-1:])
    before = marks(reader)
    assert {"forum", "Harbin"} <= {text for text, _, _ in before}
    reader.setFocus()
    press(qtbot, reader, Qt.Key.Key_F7)
    press(qtbot, reader, Qt.Key.Key_Down, SHIFT, times=2)
    assert marks(reader) == before


def test_letter_shortcuts_still_act_with_caret_browsing_on(qtbot, reading):
    window = reading("english")
    second = listed_titles(window)[1]
    window.show_article(window.model.ids[0])
    window.reader.setFocus()
    press(qtbot, window.reader, Qt.Key.Key_F7)
    press(qtbot, window.reader, Qt.Key.Key_J)
    assert window.reader.current_document.title == second


def test_the_view_menu_item_turns_caret_browsing_on_and_off_and_is_remembered(qtbot, reading):
    window = reading("long")
    action = window.findChild(QAction, "actionCaretBrowsing")
    assert action in window.view_menu.actions()
    action.trigger()
    assert action.isChecked() and window.reader.hasFocus()
    window.close()

    window = reading("long")
    assert window.findChild(QAction, "actionCaretBrowsing").isChecked()
    press(qtbot, window.reader, Qt.Key.Key_Down, SHIFT)
    assert window.reader.textCursor().hasSelection()
    window.findChild(QAction, "actionCaretBrowsing").trigger()
    press(qtbot, window.reader, Qt.Key.Key_Down)
    assert window.reader.verticalScrollBar().value() > 0
    window.close()

    window = reading("long")
    assert not window.findChild(QAction, "actionCaretBrowsing").isChecked()


def test_the_shortcut_sheet_lists_f7_and_the_caret_keys(qtbot):
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget)
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    rows = {group.text(0): [(group.child(j).text(0), group.child(j).text(1)) for j in range(group.childCount())]
            for group in groups}
    assert any(keys == "F7" and action.startswith("Caret browsing") for keys, action in rows["Reading"])
    caret_keys = dict(rows["Reader, with caret browsing on (F7)"])
    assert "Shift + any of these" in caret_keys and "Ctrl+Left / Ctrl+Right" in caret_keys
