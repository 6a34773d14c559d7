"""Picking dates in the histogram: one chip names the period, and its close button undoes the pick."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolButton

from desktop.ui.filter_chips import Chip
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def bar_point(histogram, number: int) -> QPoint:
    """The middle of bar ``number`` of the histogram, where a person clicks it."""
    width = histogram.width() / len(histogram.buckets())
    return QPoint(int(width * (number + 0.5)), 40)


def shows(window, chips: list[str], listed: str) -> bool:
    return window.sidebar.chip_texts() == chips and window.count_label.text() == listed


@pytest.fixture
def months_of_2021(qtbot, open_window, agency_library):
    """The window with the year 2021 clicked in the histogram, which then shows its months."""
    window = open_window(agency_library)
    histogram = window.sidebar.histogram
    qtbot.mouseClick(histogram, Qt.MouseButton.LeftButton, pos=bar_point(histogram, 2))
    qtbot.waitUntil(lambda: shows(window, ["2021"], "2 of 5 articles") and len(histogram.buckets()) == 12)
    return window


def test_one_month_picked_is_one_chip_naming_it_and_its_close_button_lifts_the_date_filter(
        qtbot, months_of_2021):
    window = months_of_2021
    histogram = window.sidebar.histogram
    qtbot.mouseClick(histogram, Qt.MouseButton.LeftButton, pos=bar_point(histogram, 4))
    qtbot.waitUntil(lambda: shows(window, ["May 2021"], "1 of 5 articles"))

    chip = window.sidebar.findChild(Chip)
    click(qtbot, chip.findChild(QToolButton))
    qtbot.waitUntil(lambda: shows(window, [], "5 of 5 articles"))


def test_months_dragged_across_read_as_one_period(qtbot, months_of_2021):
    window = months_of_2021
    histogram = window.sidebar.histogram
    qtbot.mousePress(histogram, Qt.MouseButton.LeftButton, pos=bar_point(histogram, 4))
    qtbot.mouseMove(histogram, pos=bar_point(histogram, 10))
    qtbot.mouseRelease(histogram, Qt.MouseButton.LeftButton, pos=bar_point(histogram, 10))
    qtbot.waitUntil(lambda: shows(window, ["May – November 2021"], "2 of 5 articles"))
