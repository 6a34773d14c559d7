"""Searching: type a word, narrow by a source, leave out an author, then clear the filters and the word."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, click_facet_value, facet_rows, listed_titles, menu_action

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

EVERY_TITLE = ["Vaccine trial in Novosibirsk", "Arctic research station", "Satellite launch",
               "University alliance", "Biomedicine forum"]


def test_a_word_a_source_and_a_left_out_author_narrow_the_list_and_clearing_brings_all_back(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    assert sorted(listed_titles(window)) == sorted(EVERY_TITLE)
    assert window.count_label.text() == "5 of 5 articles"

    qtbot.keyClicks(window.search_box, "in")
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 5 articles")
    assert "Satellite launch" not in listed_titles(window)

    qtbot.waitUntil(lambda: ("TASS", "2") in facet_rows(window, "source"))
    click_facet_value(qtbot, window, "source", "TASS")
    qtbot.waitUntil(lambda: sorted(listed_titles(window)) == ["Arctic research station", "Biomedicine forum"])
    assert window.count_label.text() == "2 of 5 articles"

    qtbot.waitUntil(lambda: facet_rows(window, "author") == [("Anna Smirnova", "1"), ("Ivan Petrov", "1")])
    click_facet_value(qtbot, window, "author", "Anna Smirnova", exclude=True)
    qtbot.waitUntil(lambda: listed_titles(window) == ["Arctic research station"])
    assert window.count_label.text() == "1 of 5 articles"
    qtbot.waitUntil(lambda: window.sidebar.chip_texts() == ["Source: TASS", "not Author: Anna Smirnova"])
    assert window.reader.toPlainText().startswith("Arctic research station")

    click(qtbot, window.sidebar.clear_button)
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 5 articles")
    qtbot.waitUntil(lambda: window.sidebar.chip_texts() == [])
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: sorted(listed_titles(window)) == sorted(EVERY_TITLE))
    assert window.count_label.text() == "5 of 5 articles"
    assert window.search_box.text() == ""


def test_a_saved_search_is_renamed_from_its_menu_starting_from_its_name_and_runs_the_same_after_reopening(
        qtbot, open_window, agency_library, monkeypatch):
    from desktop.ui.window_pickers import Pickers

    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "in")
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 5 articles")
    qtbot.waitUntil(lambda: ("TASS", "2") in facet_rows(window, "source"))
    click_facet_value(qtbot, window, "source", "TASS")
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles")
    found = listed_titles(window)
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "TASS forums"))
    menu_action(window, "actionSaveSearch").trigger()
    saved = window.sidebar.saved
    qtbot.waitUntil(lambda: saved.count() == 1)

    offered = []
    monkeypatch.setattr(Pickers, "ask_name",
                        classmethod(lambda cls, parent, **kw: offered.append(kw.get("text")) or "Форумы ТАСС"))
    menu = saved.menu_for(saved.item(0))
    next(action for action in menu.actions() if action.text() == "Rename…").trigger()
    qtbot.waitUntil(lambda: saved.item(0).text() == "Форумы ТАСС")
    assert offered == ["TASS forums"]

    window.close()
    again = open_window(agency_library)
    assert again.count_label.text() == "5 of 5 articles"
    listing = again.sidebar.saved
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                     pos=listing.visualItemRect(listing.item(0)).center())
    qtbot.waitUntil(lambda: again.count_label.text() == "2 of 5 articles")
    assert listed_titles(again) == found
    qtbot.waitUntil(lambda: again.sidebar.chip_texts() == ["Source: TASS"])  # drawn just after the count
    assert again.search_box.text() == "in"


def test_a_deleted_saved_search_comes_back_with_undo(qtbot, open_window, agency_library, monkeypatch):
    """Deleting a saved search asked nothing and could not be taken back."""
    from desktop.ui.window_pickers import Pickers

    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "in")
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 5 articles")
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Forums"))
    menu_action(window, "actionSaveSearch").trigger()
    saved = window.sidebar.saved
    qtbot.waitUntil(lambda: saved.count() == 1)

    menu = saved.menu_for(saved.item(0))
    next(action for action in menu.actions() if action.text() == "Delete").trigger()
    qtbot.waitUntil(lambda: saved.count() == 0)
    assert window.statusBar().currentMessage() == "Deleted saved search “Forums”."
    undo = menu_action(window, "actionUndo")
    assert undo.text() == "Undo Delete saved search “Forums”"
    undo.trigger()
    qtbot.waitUntil(lambda: saved.count() == 1)
    assert saved.item(0).text() == "Forums"


def test_down_in_the_search_box_goes_on_to_the_results_and_enter_reads_the_first(qtbot, open_window,
                                                                                    agency_library):
    window = open_window(agency_library)
    window.activateWindow()
    qtbot.keySequence(window, QKeySequence("Ctrl+K"))
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClicks(window.search_box, "vaccine")
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles")
    window.list_view.setCurrentIndex(QModelIndex())

    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.waitUntil(window.list_view.hasFocus)
    assert window.list_view.currentIndex().row() == 0
    first = listed_titles(window)[0]
    qtbot.keyClick(window.list_view, Qt.Key.Key_Return)
    qtbot.waitUntil(window.reader.hasFocus)
    assert window.reader.toPlainText().startswith(first)


def _tab_to(qtbot, window, widget, *, most: int = 40) -> None:
    for _ in range(most):
        if widget.hasFocus():
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    assert widget.hasFocus(), "Tab never reached the widget"


def _arrow_to(qtbot, window, facet: str, label: str) -> None:
    view = window.sidebar.sections[facet].view
    values = [value for value, _ in facet_rows(window, facet)]
    while values[view.currentIndex().row()] != label:
        qtbot.keyClick(view, Qt.Key.Key_Down)


def _typing_in_the_search_box(qtbot, window):
    """``window`` with its sidebar filled and the typing in the search box (Ctrl+K)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: ("TASS", "2") in facet_rows(window, "source"))
    qtbot.keySequence(window, QKeySequence("Ctrl+K"))
    qtbot.waitUntil(window.search_box.hasFocus)
    return window


def test_the_sidebar_filters_are_chosen_with_the_keys_alone(qtbot, open_window, agency_library):
    window = _typing_in_the_search_box(qtbot, open_window(agency_library))

    _tab_to(qtbot, window, window.sidebar.sections["source"].view)
    _arrow_to(qtbot, window, "source", "TASS")
    qtbot.keyClick(window.sidebar.sections["source"].view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles")

    qtbot.waitUntil(lambda: facet_rows(window, "author") == [("Anna Smirnova", "1"), ("Ivan Petrov", "1")])
    _tab_to(qtbot, window, window.sidebar.sections["author"].view)
    _arrow_to(qtbot, window, "author", "Anna Smirnova")
    qtbot.keyClick(window.sidebar.sections["author"].view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: listed_titles(window) == ["Arctic research station"])
    qtbot.waitUntil(lambda: window.sidebar.chip_texts() == ["Source: TASS", "not Author: Anna Smirnova"])


@pytest.fixture
def many_outlets(library_path):
    """Twelve articles from twelve outlets: enough for the source filter to show its filter box."""
    from tests.ui.conftest import insert_articles

    outlets = [f"{place} Herald" for place in ("Omsk", "Tomsk", "Kazan", "Harbin", "Dalian", "Irkutsk")] + \
              [f"{place} Daily" for place in ("Wuhan", "Perm", "Chita", "Samara", "Jilin", "Ufa")]
    insert_articles(library_path, [
        {"title": f"News from {outlet}", "text": f"A report filed by the {outlet}.", "source": outlet}
        for outlet in outlets])
    return library_path


def test_down_in_a_filter_box_goes_on_to_its_values_and_up_comes_back(qtbot, open_window, many_outlets):
    window = open_window(many_outlets)
    window.activateWindow()
    section = window.sidebar.sections["source"]
    qtbot.waitUntil(section.filter_box.isVisible)
    click(qtbot, section.filter_box)
    qtbot.waitUntil(section.filter_box.hasFocus)
    qtbot.keyClicks(section.filter_box, "herald")
    qtbot.waitUntil(lambda: len(facet_rows(window, "source")) == 6)

    qtbot.keyClick(section.filter_box, Qt.Key.Key_Down)
    qtbot.waitUntil(section.view.hasFocus)
    assert section.view.currentIndex().row() == 0
    qtbot.keyClick(section.view, Qt.Key.Key_Down)
    qtbot.keyClick(section.view, Qt.Key.Key_Up)
    assert section.view.hasFocus() and section.view.currentIndex().row() == 0
    qtbot.keyClick(section.view, Qt.Key.Key_Up)
    qtbot.waitUntil(section.filter_box.hasFocus)
    assert section.filter_box.text() == "herald"

    qtbot.keyClick(section.filter_box, Qt.Key.Key_Down)
    qtbot.waitUntil(section.view.hasFocus)
    qtbot.keyClick(section.view, Qt.Key.Key_Down)
    chosen = facet_rows(window, "source")[1][0]
    qtbot.keyClick(section.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: listed_titles(window) == [f"News from {chosen}"])


def test_a_click_on_a_sidebar_value_leaves_the_typing_in_the_search_box(qtbot, open_window, agency_library):
    window = _typing_in_the_search_box(qtbot, open_window(agency_library))
    qtbot.keyClicks(window.search_box, "station")
    click_facet_value(qtbot, window, "source", "TASS")
    qtbot.waitUntil(lambda: window.sidebar.chip_texts() == ["Source: TASS"])
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, " polar")  # goes on typing where it was, Space included
    assert window.search_box.text() == "station polar"


def test_closing_the_window_while_a_typed_search_waits_starts_no_search_on_the_closed_library(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "station")  # the search waits for a pause in the typing
    started = []
    start = window.queries.start
    window.queries.start = lambda *args, **kwargs: started.append(args) or start(*args, **kwargs)
    window.close()
    qtbot.waitUntil(lambda: not window.search_box._timer.isActive())
    assert started == []
    assert window.queries.active == 0


def _click_header(qtbot, window, title: str) -> None:
    header = window.list_view.horizontalHeader()
    model = window.model
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(title)
    assert not header.isSectionHidden(column), f"the list shows no {title} column"
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_a_click_on_a_header_the_list_cannot_sort_by_leaves_the_arrow_on_the_sorted_column(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    header = window.list_view.horizontalHeader()
    _click_header(qtbot, window, "Published")
    qtbot.waitUntil(lambda: listed_titles(window)[0] == "Biomedicine forum")
    published = header.sortIndicatorSection()
    _click_header(qtbot, window, "Tags")
    assert header.sortIndicatorSection() == published
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert listed_titles(window)[0] == "Biomedicine forum"
