"""A saved search reopened from the sidebar comes back in the sort order it was saved in, and with a
date range of days marked on the Published histogram."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.ui.main_window import Pickers
from tests.ui.conftest import finish_workers
from tests.ui.journeys.steps import cell_text, click_header, sort_arrow


def _open_saved(qtbot, window, row: int = 0) -> None:
    saved = window.sidebar.saved
    qtbot.mouseClick(saved.viewport(), Qt.MouseButton.LeftButton, pos=saved.visualItemRect(saved.item(row)).center())
    finish_workers(window)


def _titles(window) -> list[str]:
    return [cell_text(window, row, "title") for row in range(window.model.rowCount())]


def test_a_saved_search_reopens_sorted_as_it_was_saved(qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    header = window.list_view.horizontalHeader()
    title_column = next(n for n, column in enumerate(window.model.columns) if column.sort_key == "title")
    click_header(qtbot, header, title_column)
    finish_workers(window)
    click_header(qtbot, header, title_column)  # Title, Z to A
    finish_workers(window)
    by_title_descending = _titles(window)
    assert by_title_descending == sorted(by_title_descending, reverse=True)
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Z to A"))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finish_workers(window)
    published_column = next(n for n, c in enumerate(window.model.columns) if c.sort_key == "published")
    click_header(qtbot, header, published_column)
    finish_workers(window)
    assert _titles(window) != by_title_descending
    _open_saved(qtbot, window)
    assert _titles(window) == by_title_descending
    assert header.sortIndicatorSection() == title_column and sort_arrow(header) is not None
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_a_saved_search_of_some_days_reopens_with_them_marked_on_the_histogram(qtbot, open_window, agency_library):
    from desktop.core.filters import Filters
    from desktop.core.library import open_library
    from desktop.core.saved_searches import save_search

    with open_library(agency_library) as library:
        save_search(library.db, name="Early March", query="",
                    filters=Filters(date_from="2019-03-01", date_to="2019-03-15").to_json())
    window = open_window(agency_library)
    _open_saved(qtbot, window)
    assert window.sidebar.chip_texts() == ["1 – 15 March 2019"]
    assert _titles(window) == ["Vaccine trial in Novosibirsk"]
    qtbot.waitUntil(lambda: window.sidebar.histogram.marked_keys() != [])
    assert window.sidebar.histogram.marked_keys() in (["2019"], ["2019-03"])
