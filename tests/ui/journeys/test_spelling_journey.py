"""A search that finds nothing offers the words the articles hold: "Did you mean vaccine?"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor


def click_link(qtbot, reader, text: str) -> None:
    """Click the reader's link reading ``text`` where it is drawn."""
    plain = reader.toPlainText()
    starts = [start for start, end, _ in reader.links() if plain[start:end] == text]
    assert starts, f"the reader shows no link {text!r}: {plain!r}"
    cursor = QTextCursor(reader.document())
    cursor.setPosition(starts[0] + 1)
    qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=reader.cursorRect(cursor).center())


def test_a_misspelt_search_offers_the_word_and_a_click_searches_for_it(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "vacine")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Did you mean vaccine?" in window.reader.toPlainText())
    assert window.count_label.text() == "0 of 5 articles"
    assert window.reader.toPlainText().startswith("No article matches this search.")

    click_link(qtbot, window.reader, "vaccine")
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles")
    assert window.search_box.text() == "vaccine"


def test_a_search_with_nothing_close_says_only_that_nothing_matches(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "xqzzyv")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 of 5 articles")
    qtbot.waitUntil(lambda: window.reader.toPlainText().strip() == "No article matches this search.")


def test_the_suggestion_is_taken_from_the_keyboard_too(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "vacine")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Did you mean vaccine?" in window.reader.toPlainText())
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_E)
    qtbot.keyClick(window.reader, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles")
    assert window.search_box.text() == "vaccine"
