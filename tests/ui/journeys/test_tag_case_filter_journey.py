"""Filtering by a tag whose children are written in another case beyond ASCII: clicking
'Проект' in the sidebar shows the articles tagged 'проект/итоги' too, as the tags match names."""

from __future__ import annotations

import pytest

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click_facet_value
from tests.ui.journeys.test_tag_rename_filters_journey import shows, tag_rows

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_a_tag_filter_takes_in_its_children_written_in_another_cyrillic_case(qtbot, open_window, agency_library,
                                                                               monkeypatch):
    window = open_window(agency_library)
    tag_rows(qtbot, window, monkeypatch, 1, 2, "Проект")
    tag_rows(qtbot, window, monkeypatch, 3, 3, "проект/итоги")
    click_facet_value(qtbot, window, "tag", "Проект")
    qtbot.waitUntil(lambda: shows(window, "Tags: Проект", "3 of 5 articles"))
