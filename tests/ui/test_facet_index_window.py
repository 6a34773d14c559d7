"""A library without a saved facet index (made by an older version): its first sidebar, then the index saved."""

from __future__ import annotations

import sqlite3

from desktop.core import facet_index
from tests.ui.journeys.steps import facet_rows


def saved_seq(path) -> int | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT seq FROM facet_index_store").fetchone()
    finally:
        conn.close()
    return row and row[0]


def test_the_first_sidebar_shows_and_the_index_is_saved_once_the_window_is_quiet(
        qtbot, open_window, agency_library, monkeypatch):
    assert saved_seq(agency_library) is None
    window = open_window(agency_library)
    assert dict(facet_rows(window, "source")) == {"Xinhua": "2", "TASS": "2", "China Daily": "1"}
    qtbot.waitUntil(lambda: saved_seq(agency_library) is not None)

    def refuse(self, conn, ids):
        assert ids is not None, "the facet index was read from the articles again"
        return original(self, conn, ids)

    original = facet_index.FacetIndex._read_documents
    monkeypatch.setattr(facet_index.FacetIndex, "_read_documents", refuse)
    again = open_window(agency_library)
    assert dict(facet_rows(again, "source")) == {"Xinhua": "2", "TASS": "2", "China Daily": "1"}
