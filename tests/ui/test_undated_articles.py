"""The Published histogram says how many of the results have no date, since no bar holds them."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel

from tests.ui.conftest import finish_workers, insert_articles


def _undated_note(window) -> QLabel:
    return window.sidebar.findChild(QLabel, "undatedNote")


def _library(library_path):
    insert_articles(library_path, [
        {"title": "Early", "text": "An early article.", "published": "2015-02-01", "source": "Xinhua"},
        {"title": "Late", "text": "A later article.", "published": "2016-08-08", "source": "TASS"},
        {"title": "Memo", "text": "A memo with no date.", "source": "Xinhua"},
        {"title": "Memo 2", "text": "Another memo with no date.", "source": "TASS"},
    ])
    return library_path


def test_the_histogram_counts_the_results_without_a_date(qtbot, open_window, library_path):
    window = open_window(_library(library_path))
    note = _undated_note(window)
    qtbot.waitUntil(lambda: note.isVisible() and note.text() == "2 articles without a date")
    assert sum(n for _, n in window.sidebar.histogram.buckets()) + 2 == window.model.rowCount()


def test_a_year_chosen_on_the_histogram_says_the_undated_articles_are_left_out(qtbot, open_window,
                                                                                library_path):
    window = open_window(_library(library_path))
    histogram = window.sidebar.histogram
    qtbot.mouseClick(histogram, Qt.MouseButton.LeftButton, pos=QPoint(int(histogram.width() * 0.25), 40))
    finish_workers(window)
    assert window.model.rowCount() == 1
    assert _undated_note(window).text() == "2 articles without a date left out"


def test_count_stories_counts_undated_stories(qtbot, open_window, library_path):
    window = open_window(_library(library_path))
    qtbot.mouseClick(window.findChild(QCheckBox, "countStories"), Qt.MouseButton.LeftButton)
    finish_workers(window)
    assert _undated_note(window).text() == "2 stories without a date"


def test_no_note_when_every_result_has_a_date(qtbot, open_window, library_path):
    insert_articles(library_path, [{"title": "Dated", "text": "A dated article.", "published": "2015-02-01"}])
    window = open_window(library_path)
    finish_workers(window)
    assert not _undated_note(window).isVisible()
