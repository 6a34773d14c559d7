"""Queries as people type and paste them: typographic quotes around a phrase, words written
with letters that case-folding or diacritics change; the list shows what the search finds and
the reader marks what matched."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.core.helpers import text_folder
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click_row, listed_titles, menu_action, type_text

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)
WAIT_MS = 20_000

ARTICLES = {
    "trial.txt": "Vaccine trial\n\nScientists in Novosibirsk test a vaccine.\n",
    "launch.txt": "Satellite launch\n\nThe vaccine of space cooperation: a satellite launch.\n",
    "bid.txt": "Turkcell bid\n\nAnalysts in İstanbul doubt the Turkcell bid.\n",
}


@pytest.fixture
def articles_library(library_path, tmp_path) -> Path:
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    folder = text_folder(tmp_path / "articles", ARTICLES)
    with open_library(library_path) as library:
        import_paths(library, [folder])
    return library_path


def search(qtbot, window, text: str) -> None:
    """Type ``text`` into the search box and press Enter."""
    window.search_box.clear()
    type_text(qtbot, window.search_box, text)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)


def hits_shown(qtbot, window) -> list[str]:
    """Every search hit of the article read, as F3 (Edit ▸ Next hit) selects them in turn."""
    reader = window.reader
    shown = []
    for _ in range(reader.hit_count):
        menu_action(window, "actionNextHit").trigger()
        shown.append(reader.textCursor().selectedText())
    return shown


@pytest.mark.parametrize("typed", ["“a vaccine”", "«a vaccine»", "„a vaccine“", "「a vaccine」"])
def test_a_phrase_in_typographic_quotes_lists_and_marks_only_the_phrase(
        qtbot, open_window, articles_library, typed):
    window = open_window(articles_library)
    search(qtbot, window, typed)
    qtbot.waitUntil(lambda: listed_titles(window) == ["Vaccine trial"], timeout=WAIT_MS)
    assert window.count_label.text() == "1 of 3 articles"
    assert window.search_bar.error is None
    click_row(qtbot, window.list_view, 0)
    qtbot.waitUntil(lambda: "Novosibirsk" in window.reader.toPlainText(), timeout=WAIT_MS)
    assert hits_shown(qtbot, window) == ["a vaccine"]


def test_a_word_written_with_a_turkish_dotted_capital_i_is_marked_in_the_reader(qtbot, open_window, articles_library):
    window = open_window(articles_library)
    search(qtbot, window, "Istanbul")
    qtbot.waitUntil(lambda: listed_titles(window) == ["Turkcell bid"], timeout=WAIT_MS)
    click_row(qtbot, window.list_view, 0)
    qtbot.waitUntil(lambda: "Analysts" in window.reader.toPlainText(), timeout=WAIT_MS)
    assert hits_shown(qtbot, window) == ["İstanbul"]


def test_or_typed_in_lower_case_is_searched_as_a_word_and_the_hint_line_says_how_to_write_either(
        qtbot, open_window, articles_library):
    """“vaccine or satellite” lists only articles holding the word "or" too (none here): the hint
    line beside the box says so and how to write the operator; the query is no error."""
    from desktop.ui.search_box import SYNTAX_HINT

    window = open_window(articles_library)
    search(qtbot, window, "vaccine or satellite")
    qtbot.waitUntil(lambda: "was searched as a word" in window.search_bar.hint.message, timeout=WAIT_MS)
    assert "write OR" in window.search_bar.hint.message and window.search_bar.error is None
    qtbot.waitUntil(lambda: window.count_label.text() == "0 of 3 articles", timeout=WAIT_MS)
    search(qtbot, window, "vaccine OR satellite")
    qtbot.waitUntil(lambda: sorted(listed_titles(window)) == ["Satellite launch", "Vaccine trial"], timeout=WAIT_MS)
    assert window.search_bar.hint.message == SYNTAX_HINT


@pytest.mark.parametrize("typed, titles, advice", [
    ("vaccine AND", ["Satellite launch", "Vaccine trial"], "“AND” was left out"),
    ("vaccine NEAR", [], "there is no NEAR operator"),
    ('"vaccine AND', [], "The quote is not closed, so “vaccine AND” was searched as one phrase."),
    ("ti:vaccine", [], "There is no field “ti:”: search title:, text: or notes:."),
    ("source:bbc", [], "There is no field “source:”: use the Source filter in the sidebar, or search title:"),
])
def test_a_stray_operator_or_an_open_quote_is_explained_in_the_hint_line_beside_the_box(
        qtbot, open_window, articles_library, typed, titles, advice):
    """A query that finds nothing (or more than typed) because an operator had nothing to join,
    NEAR is no operator, a field prefix does not exist or a quote was left open says so beside
    the box; it is no error."""
    window = open_window(articles_library)
    search(qtbot, window, typed)
    qtbot.waitUntil(lambda: advice in window.search_bar.hint.message, timeout=WAIT_MS)
    assert window.search_bar.error is None
    qtbot.waitUntil(lambda: sorted(listed_titles(window)) == titles
                    and window.count_label.text() == f"{len(titles)} of 3 articles", timeout=WAIT_MS)
