"""The list changes under the person's eyes: the article being read is marked read in an
"unread" list, or removed; the reader and the list go where a person expects."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import cell_text, click_facet_value, facet_rows, click_row, listed_titles, selected_rows

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


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
