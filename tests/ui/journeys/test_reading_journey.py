"""Reading while the list changes under the person's eyes: the article being read is marked
read (after starring it, in an "unread" list, in a long scrolled list) or removed; the reader
and the list stay or go where a person expects."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import (
    cell_text,
    click_facet_value,
    click_row,
    facet_rows,
    listed_titles,
    scroll_wheel,
    selected_rows,
)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_starring_the_article_being_read_does_not_stop_it_being_marked_read(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    click_row(qtbot, window.list_view, 1)
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert cell_text(window, 1, "read_state") == "★"
    qtbot.wait(4000)  # the article stays open past the reading delay
    qtbot.waitUntil(lambda: cell_text(window, 1, "read_state") == "★ read")


def test_reading_in_an_unread_list_keeps_the_article_in_the_reader_and_marks_nothing_else(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    title = listed_titles(window)[0]
    qtbot.waitUntil(lambda: ("Unread", "5") in facet_rows(window, "state"))
    click_facet_value(qtbot, window, "state", "Unread")
    qtbot.waitUntil(lambda: window.sidebar.chip_texts() == ["Reading state: Unread"])

    qtbot.wait(4000)  # the article being read is marked read and leaves the "unread" list
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 5 articles")
    assert window.reader.toPlainText().startswith(title)
    assert title not in listed_titles(window)

    qtbot.wait(4000)  # time passes: no other article is read, so none is marked
    assert window.count_label.text() == "4 of 5 articles"
    assert window.reader.toPlainText().startswith(title)
    assert not any(cell_text(window, row, "read_state") for row in range(4))


def test_removing_the_article_being_read_reads_the_one_below_it(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    titles = listed_titles(window)
    click_row(qtbot, window.list_view, 2)
    qtbot.waitUntil(lambda: window.reader.toPlainText().startswith(titles[2]))

    qtbot.keyClick(window.list_view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: listed_titles(window) == titles[:2] + titles[3:])
    assert window.reader.toPlainText().startswith(titles[3])
    assert selected_rows(window.list_view) == [2]
    assert window.count_label.text() == "4 of 4 articles"


@pytest.fixture
def long_library(library_path):
    """Sixty articles: more than the list shows at once."""
    insert_articles(library_path, [
        {"title": f"Report {number:02d}", "text": f"Report number {number} on joint research.",
         "published": f"2020-{1 + number // 28:02d}-{1 + number % 28:02d}", "source": "TASS"}
        for number in range(60)])
    return library_path


def test_a_scrolled_list_stays_where_it_is_while_the_article_being_read_is_marked_read(
        qtbot, open_window, long_library):
    window = open_window(long_library)
    view = window.list_view
    click_row(qtbot, view, 1)
    reading = listed_titles(window)[1]
    scroll_wheel(view, 5)
    top = cell_text(window, view.rowAt(0), "title")
    assert view.rowAt(0) > 1

    qtbot.wait(4000)  # the article being read is marked read, and the list refreshes
    row = listed_titles(window).index(reading)
    assert cell_text(window, row, "read_state") == "read"
    assert cell_text(window, view.rowAt(0), "title") == top
    assert selected_rows(view) == [row]
    assert window.reader.toPlainText().startswith(reading)
