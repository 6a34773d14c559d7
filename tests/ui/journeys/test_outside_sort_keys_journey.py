"""Journey: an article another program writes straight into the library file (no Dossier code, so
no sort keys) takes its place in the list sorted by title once the window sees it, not the last."""

from __future__ import annotations

import hashlib

import pytest

from PySide6.QtWidgets import QTableView
from sqlite_utils import Database

from tests.ui.journeys.steps import click_header, listed_titles

TITLES = sorted(["Vaccine trial in Novosibirsk", "Arctic research station", "Satellite launch",
                 "University alliance", "Biomedicine forum"], key=str.casefold)


@pytest.mark.parametrize("indexing", ["indexing", "indexing stopped"])
def test_an_article_written_by_another_program_sorts_by_its_title_in_the_open_window(
    qtbot, open_window, agency_library, indexing
):
    window = open_window(agency_library)
    if indexing == "indexing stopped":  # as after its Stop: the search index writes nothing until reopened
        window.search_index.stop()
    header = window.findChild(QTableView, "documentList").horizontalHeader()
    click_header(qtbot, header, window.model.column_of_key("title"))
    qtbot.waitUntil(lambda: listed_titles(window) == TITLES)

    other = Database(agency_library)  # e.g. a scraper writing with sqlite-utils
    text = "Polar scientists from both countries survey the ice shelf."
    other["documents"].insert({"title": "Antarctic survey", "text": text, "word_count": 9,
                               "sha256": hashlib.sha256(text.encode()).hexdigest(),
                               "imported_at": "2026-12-07T10:00:00+00:00"})
    other.close()

    qtbot.waitUntil(lambda: listed_titles(window) == sorted([*TITLES, "Antarctic survey"], key=str.casefold))
