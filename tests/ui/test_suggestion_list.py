"""The review's suggestions list: a model over a plain list of suggestions, checked by qtmodeltester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.entities.suggestions import Entity, Suggestion
from desktop.ui.suggestion_list import SUGGESTION_ROLE, SuggestionList, SuggestionModel


def pair(n: int) -> Suggestion:
    return Suggestion("duplicate", Entity(2 * n, "ORG", f"Lib Dem {n}", 1), Entity(2 * n + 1, "ORG", f"Lib Dems {n}", 3),
                      "singular and plural of one name", 0.9)


def test_the_suggestions_model_passes_model_tests_empty_filled_and_reset(qtbot, qtmodeltester):
    model = SuggestionModel()
    qtmodeltester.check(model)
    model.set_suggestions([pair(n) for n in range(50)])
    qtmodeltester.check(model)
    model.set_suggestions([pair(n) for n in range(3)])
    qtmodeltester.check(model)


def test_a_row_says_what_goes_into_what_why_and_the_articles_of_both(qtbot):
    model = SuggestionModel()
    model.set_suggestions([pair(7)])
    assert [model.index(0, column).data() for column in range(3)] == [
        "“Lib Dem 7” → “Lib Dems 7”", "singular and plural of one name", "1 + 3"]
    assert model.index(0, 0).data(SUGGESTION_ROLE) == "ORG:Lib Dem 7→ORG:Lib Dems 7"
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "1 article with “Lib Dem 7”, 3 with “Lib Dems 7”"


def test_listed_again_the_list_stays_scrolled_where_it_was_with_the_row_selected(qtbot):
    """Listing the suggestions again after each one accepted must not jump the list back to the top
    and then down to the selected row's edge: the row the person reads next stays where it was."""
    listing = SuggestionList(accept=lambda: None, skip=lambda: None)
    qtbot.addWidget(listing)
    listing.resize(500, 300)
    listing.show()
    qtbot.waitExposed(listing)
    found = [pair(n) for n in range(200)]
    listing.show_suggestions(found, 100)
    listing.scrollTo(listing.model().index(100, 0), listing.ScrollHint.PositionAtCenter)
    where = listing.visualRect(listing.currentIndex()).top()
    listing.show_suggestions(found[:100] + found[101:], 100)
    assert listing.currentIndex().row() == 100
    assert listing.currentIndex().data() == "“Lib Dem 101” → “Lib Dems 101”"
    assert listing.visualRect(listing.currentIndex()).top() == where


def test_listed_again_among_thousands_only_the_rows_in_sight_are_read(qtbot, monkeypatch):
    """A library of 100,000 articles has thousands of suggestions, listed again after every one
    accepted: sizing a column to its contents once read a thousand rows each time."""
    listing = SuggestionList(accept=lambda: None, skip=lambda: None)
    qtbot.addWidget(listing)
    listing.resize(500, 300)
    listing.show()
    qtbot.waitExposed(listing)
    rows_read: set[int] = set()
    data = SuggestionModel.data
    monkeypatch.setattr(SuggestionModel, "data", lambda model, index, role=Qt.ItemDataRole.DisplayRole: (
        rows_read.add(index.row()), data(model, index, role))[1])
    found = [pair(n) for n in range(5000)]
    listing.show_suggestions(found, 2500)
    listing.show_suggestions(found[:2500] + found[2501:], 2500)
    listing.repaint()
    assert listing.currentIndex().data() == "“Lib Dem 2501” → “Lib Dems 2501”"
    assert 0 < len(rows_read) < 100


def test_home_and_end_go_to_the_first_and_the_last_suggestion(qtbot):
    listing = SuggestionList(accept=lambda: None, skip=lambda: None)
    qtbot.addWidget(listing)
    listing.show()
    qtbot.waitExposed(listing)
    listing.show_suggestions([pair(n) for n in range(40)], 5)
    listing.setFocus()
    qtbot.keyClick(listing, Qt.Key.Key_End)
    assert listing.currentIndex().row() == 39
    qtbot.keyClick(listing, Qt.Key.Key_Home)
    assert listing.currentIndex().row() == 0
    qtbot.keyClick(listing, Qt.Key.Key_Down)
    assert listing.currentIndex().data() == "“Lib Dem 1” → “Lib Dems 1”"
