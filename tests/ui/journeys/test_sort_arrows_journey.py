"""Journeys through the tables' headers: the sort arrow points the way the rows are listed (down
for the largest, newest or last in the alphabet first), and a click on a header flips both together."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import cell_text, click_header, click_row, listed_titles, sort_arrow
from tests.ui.journeys.test_entity_review_journey import open_review, review_library  # noqa: F401 - a fixture

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")


def column(review, number: int) -> list[str]:
    model = review.findChild(QTableView, "entityTable").model()
    return [model.index(row, number).data() for row in range(model.rowCount())]


def numbers(review, number: int) -> list[int]:
    return [int(value) for value in column(review, number)]


def test_review_entities_opens_most_articles_first_with_the_arrow_pointing_down(qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    header = review.findChild(QTableView, "entityTable").horizontalHeader()
    assert numbers(review, 2) == sorted(numbers(review, 2), reverse=True) and numbers(review, 2)[0] == 4
    assert header.sortIndicatorSection() == 2 and sort_arrow(header) == "down"


def test_each_column_of_review_entities_sorts_the_way_its_arrow_points(qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    header = review.findChild(QTableView, "entityTable").horizontalHeader()
    click_header(qtbot, header, 2)  # Articles again: fewest first
    qtbot.waitUntil(lambda: numbers(review, 2)[0] == 1)
    assert numbers(review, 2) == sorted(numbers(review, 2)) and sort_arrow(header) == "up"
    click_header(qtbot, header, 0)  # Name: A first
    qtbot.waitUntil(lambda: column(review, 0)[0] == "Blair")
    assert column(review, 0) == sorted(column(review, 0), key=str.casefold) and sort_arrow(header) == "up"
    click_header(qtbot, header, 0)
    qtbot.waitUntil(lambda: column(review, 0)[0] == "Tony Blair")
    assert sort_arrow(header) == "down"
    click_header(qtbot, header, 1)  # Type, as its names read: organisations, people, places
    qtbot.waitUntil(lambda: column(review, 1)[0] == "Organisation")
    assert column(review, 1) == sorted(column(review, 1)) and sort_arrow(header) == "up"
    click_header(qtbot, header, 3)  # Mentions, a count: the most first, as Articles opens
    qtbot.waitUntil(lambda: numbers(review, 3)[0] == 4)
    assert numbers(review, 3) == sorted(numbers(review, 3), reverse=True) and sort_arrow(header) == "down"


def test_a_click_on_other_spellings_leaves_the_order_and_its_arrow_as_they_were(qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    header = review.findChild(QTableView, "entityTable").horizontalHeader()
    before = column(review, 0)
    click_header(qtbot, header, 5)
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == 2)
    assert column(review, 0) == before and sort_arrow(header) == "down"


def test_the_article_list_sorts_the_way_its_arrow_points(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    header = window.list_view.horizontalHeader()
    published = window.model.column_of_key("published")

    def dates() -> list[str]:
        return [cell_text(window, row, "published") for row in range(window.model.rowCount())]

    click_header(qtbot, header, published)  # newest first
    qtbot.waitUntil(lambda: dates()[0].startswith("2021") and sort_arrow(header) is not None)
    assert sort_arrow(header) == "down"
    click_header(qtbot, header, published)  # oldest first
    qtbot.waitUntil(lambda: dates()[0].startswith("2019"))
    assert sort_arrow(header) == "up"


def test_a_click_on_the_tags_column_leaves_the_article_lists_arrow_where_the_sort_is(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    header = window.list_view.horizontalHeader()
    published, tags = window.model.column_of_key("published"), window.model.column_of_key("tags")
    click_header(qtbot, header, published)
    qtbot.waitUntil(lambda: header.isSortIndicatorShown() and header.sortIndicatorSection() == published)
    order = [cell_text(window, row, "title") for row in range(window.model.rowCount())]
    click_header(qtbot, header, tags)
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == published)
    assert [cell_text(window, row, "title") for row in range(window.model.rowCount())] == order
    assert sort_arrow(header) == "down"


def test_the_state_column_sorts_starred_first_then_to_read_unread_read(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    view, header = window.list_view, window.list_view.horizontalHeader()
    for title, key in (("Satellite launch", Qt.Key.Key_S), ("Arctic research station", Qt.Key.Key_T)):
        click_row(qtbot, view, listed_titles(window).index(title))
        qtbot.keyClick(view, key)
    qtbot.waitUntil(lambda: cell_text(window, listed_titles(window).index("Arctic research station"), "read_state")
                    == "to read")

    click_header(qtbot, header, window.model.column_of_key("read_state"))

    qtbot.waitUntil(lambda: listed_titles(window)[:2] == ["Satellite launch", "Arctic research station"])
    assert sort_arrow(header) == "up"
    click_header(qtbot, header, window.model.column_of_key("read_state"))
    qtbot.waitUntil(lambda: listed_titles(window)[-2:] == ["Arctic research station", "Satellite launch"])


def test_the_language_column_sorts_by_the_names_it_shows(qtbot, open_window, library_path):
    insert_articles(library_path, [
        {"title": title, "text": f"{title} text.", "language": code}
        for title, code in (("Moscow", "ru"), ("Berlin", "de"), ("Beijing", "zh"), ("London", "en"), ("Nowhere", None))
    ])
    window = open_window(library_path)
    header = window.list_view.horizontalHeader()
    language = window.model.column_of_key("language")

    click_header(qtbot, header, language)

    shown = ["Chinese", "English", "German", "Russian", ""]
    qtbot.waitUntil(lambda: [cell_text(window, row, "language") for row in range(5)] == shown)
    click_header(qtbot, header, language)
    qtbot.waitUntil(lambda: [cell_text(window, row, "language") for row in range(5)] == shown[3::-1] + [""])
