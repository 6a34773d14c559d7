"""A library without a saved facet index (made by an older version): its first sidebar, then the index saved."""

from __future__ import annotations

import sqlite3
import threading
import time

from desktop.core import facet_counts, facet_index
from desktop.ui import annotate
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


def test_the_index_is_saved_once_another_writer_lets_go_of_the_library(
        qtbot, open_window, agency_library, monkeypatch):
    tried = []
    save_index = facet_counts.save_index

    def trying(conn, index):
        saved = save_index(conn, index)
        tried.append(saved)
        return saved

    monkeypatch.setattr(facet_counts, "save_index", trying)
    # the first article is not marked read meanwhile: that write would wait for the other program
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 600_000)
    open_window(agency_library)
    holding = threading.Event()

    def another_program() -> None:
        """Writes to the library until the window's first save has been refused, then lets go."""
        other = sqlite3.connect(agency_library, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        holding.set()
        deadline = time.monotonic() + 30
        while not tried and time.monotonic() < deadline:
            time.sleep(0.01)
        other.execute("ROLLBACK")
        other.close()

    writer = threading.Thread(target=another_program)
    writer.start()
    assert holding.wait(10)
    qtbot.waitUntil(lambda: saved_seq(agency_library) is not None)
    writer.join()
    assert tried == [False, True]
