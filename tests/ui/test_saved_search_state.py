"""What an opened saved search brings back: the scope it was saved in ("In my notes"), whatever the
toggle says by then, and its filters even when its query no longer searches anything; and a filter
chosen while the query cannot run shows as a chip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.ui import annotate
from desktop.ui.annotate import install
from desktop.ui.main_window import Pickers
from tests.ui.conftest import finish_workers


def _saved_item_center(window, row: int):
    saved = window.sidebar.saved
    return saved.visualItemRect(saved.item(row)).center()


def test_a_search_saved_in_my_notes_reopens_in_the_notes(qtbot, open_window, seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    window = open_window(seeds_library)
    annotator = install(window)
    finish_workers(window)
    doc_id = window.current_id()
    annotator.save_document_note(doc_id, "Ask about the lab in Russia")
    window.set_query("Russia")
    finish_workers(window)
    everywhere = len(window.model.ids)
    qtbot.mouseClick(annotator.notes_scope, Qt.MouseButton.LeftButton)
    finish_workers(window)
    assert window.model.ids == [doc_id] and everywhere > 1
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Lab notes"))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finish_workers(window)
    qtbot.mouseClick(annotator.notes_scope, Qt.MouseButton.LeftButton)
    window.clear_search()
    finish_workers(window)
    saved = window.sidebar.saved
    qtbot.mouseClick(saved.viewport(), Qt.MouseButton.LeftButton, pos=_saved_item_center(window, 0))
    finish_workers(window)
    assert window.model.ids == [doc_id]


def test_opening_a_saved_search_while_in_my_notes_is_on_searches_as_it_was_saved(qtbot, open_window,
                                                                                seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    window = open_window(seeds_library)
    annotator = install(window)
    finish_workers(window)
    window.set_query("Russia")
    finish_workers(window)
    everywhere = sorted(window.model.ids)
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Russia"))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finish_workers(window)
    qtbot.mouseClick(annotator.notes_scope, Qt.MouseButton.LeftButton)
    finish_workers(window)
    qtbot.mouseClick(window.sidebar.saved.viewport(), Qt.MouseButton.LeftButton, pos=_saved_item_center(window, 0))
    finish_workers(window)
    assert sorted(window.model.ids) == everywhere
    assert not annotator.notes_scope.isChecked()


def test_a_saved_search_whose_query_no_longer_searches_opens_with_its_filters_and_says_why(
        qtbot, open_window, agency_library):
    from desktop.core.filters import Filters
    from desktop.core.library import open_library
    from desktop.core.saved_searches import save_search
    from tests.ui.journeys.steps import listed_titles

    with open_library(agency_library) as library:
        save_search(library.db, name="Broken", query="AND", filters=Filters().including("source", "TASS").to_json())
    window = open_window(agency_library)
    qtbot.mouseClick(window.sidebar.saved.viewport(), Qt.MouseButton.LeftButton, pos=_saved_item_center(window, 0))
    finish_workers(window)
    assert window.sidebar.chip_texts() == ["Source: TASS"]
    assert window.count_label.text() == "2 of 5 articles" and len(listed_titles(window)) == 2
    assert window.search_box.text() == "AND"
    assert "Nothing to search for" in (window.search_bar.error or "")


def test_a_filter_chosen_while_the_query_cannot_run_shows_as_a_chip(qtbot, open_window, agency_library):
    from tests.ui.journeys.steps import click_facet_value

    window = open_window(agency_library)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "AND")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.search_bar.error is not None)
    click_facet_value(qtbot, window, "source", "TASS")
    finish_workers(window)
    assert window.sidebar.chip_texts() == ["Source: TASS"]
