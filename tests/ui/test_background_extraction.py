"""Entities found in the background of the window: a library with articles waiting resumes on
opening, the entity facets fill in as batches land, Stop keeps the rest waiting."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QPushButton

from desktop.core import workflows
from desktop.core.entities import extraction_queue as queue
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.ui.background_extraction import BackgroundExtraction
from tests.conftest import SEEDS
from tests.ui.journeys.steps import facet_rows

WAIT_MS = 120_000  # a worker process starts and loads the model on a loaded machine


@pytest.fixture
def waiting_library(library_path):
    """The sample articles imported, their entities not found yet: all five wait in the queue."""
    with open_library(library_path) as library:
        report = import_paths(library, [SEEDS])
        queue.enqueue(library.db, report.imported)
    return library_path


def _extraction(window) -> BackgroundExtraction:
    return window.findChild(BackgroundExtraction)


def people(window) -> list[tuple[str, str]]:
    """The people the sidebar shows (no section while the library has none)."""
    return facet_rows(window, "entity:PERSON") if "entity:PERSON" in window.sidebar.sections else []


def _waiting(window) -> int:
    return queue.waiting(window.library.db)


def test_a_window_opened_on_waiting_articles_finds_their_entities_and_fills_the_facets(
        qtbot, open_window, waiting_library):
    window = open_window(waiting_library)
    assert people(window) == []
    bar = window.findChild(QProgressBar, "extractionBar")
    qtbot.waitUntil(lambda: bar.isVisible() or _waiting(window) == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Entities found in 5 articles."
                    and not bar.isVisible(), timeout=WAIT_MS)
    assert _waiting(window) == 0
    qtbot.waitUntil(lambda: ("Zhang Qiang", "1") in people(window), timeout=WAIT_MS)


class Held:
    """A stand-in for the model's queue run: stores batch by batch (one article each) when let go,
    reports each batch's ids, stops when cancelled."""

    def __init__(self, monkeypatch) -> None:
        self.go_on = threading.Event()
        self.started = threading.Event()
        self.free = False
        monkeypatch.setattr(workflows, "run_queue", self.run)

    def run(self, library, *, doc_ids=None, progress, cancel, **_):
        from desktop.core.entities.store import ExtractionReport
        from desktop.core.errors import Cancelled
        from desktop.core.jobs import Progress

        self.started.set()
        ids = [r[0] for r in library.db.conn.execute("SELECT document_id FROM extraction_queue ORDER BY 1")]
        for done, doc_id in enumerate(ids, start=1):
            while not (self.free or self.go_on.wait(0.05)):
                if cancel.cancelled:
                    raise Cancelled("cancelled")
            self.go_on.clear()
            with library.db.atomic():
                library.db.conn.execute("DELETE FROM extraction_queue WHERE document_id = ?", [doc_id])
                library.db.conn.execute("INSERT INTO entities (label, name) VALUES ('PERSON', ?)",
                                        [f"Person {doc_id}"])
                library.db.conn.execute(
                    "INSERT INTO mentions (document_id, entity_id, start, \"end\", text, origin) "
                    "SELECT ?, id, 0, 4, 'Text', 'model' FROM entities WHERE name = ?",
                    [doc_id, f"Person {doc_id}"])
            progress(Progress(done, len(ids), "", ids=(doc_id,)))
        return ExtractionReport(documents=len(ids), mentions=len(ids), model="test", seconds=0.0)


def test_each_stored_batch_shows_in_the_entity_facet_while_the_rest_is_read(qtbot, open_window, waiting_library,
                                                                           monkeypatch):
    held = Held(monkeypatch)
    window = open_window(waiting_library)
    assert held.started.wait(10)
    held.go_on.set()
    qtbot.waitUntil(lambda: len(people(window)) == 1, timeout=10_000)
    bar = window.findChild(QProgressBar, "extractionBar")
    assert bar.isVisible() and (bar.value(), bar.maximum()) == (1, 5)
    held.go_on.set()
    qtbot.waitUntil(lambda: len(people(window)) == 2, timeout=10_000)
    qtbot.mouseClick(window.findChild(QPushButton, "extractionCancel"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _extraction(window).running, timeout=10_000)


def test_stop_in_the_status_bar_keeps_the_other_articles_waiting_for_the_next_opening(
        qtbot, open_window, waiting_library, monkeypatch):
    held = Held(monkeypatch)
    window = open_window(waiting_library)
    assert held.started.wait(10)
    held.go_on.set()
    qtbot.waitUntil(lambda: _waiting(window) == 4, timeout=10_000)
    stop = window.findChild(QPushButton, "extractionCancel")
    assert stop.isVisible()
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Finding entities stopped"),
                    timeout=10_000)
    assert window.statusBar().currentMessage() == (
        "Finding entities stopped: found in 1 article; the others are read when the library opens again.")
    assert not stop.isVisible() and _waiting(window) == 4
    window.close()
    held.started.clear()
    again = open_window(waiting_library)
    assert held.started.wait(10)
    held.free = True
    qtbot.waitUntil(lambda: again.statusBar().currentMessage() == "Entities found in 4 articles.", timeout=10_000)


def test_closing_the_window_stops_the_run_and_the_articles_stay_waiting(qtbot, open_window, waiting_library,
                                                                       monkeypatch):
    held = Held(monkeypatch)
    window = open_window(waiting_library)
    assert held.started.wait(10)
    window.close()
    assert _extraction(window).pool.active == 0
    with open_library(waiting_library) as library:
        assert queue.waiting(library.db) == 5


def test_a_library_with_nothing_waiting_starts_no_run(qtbot, open_window, library_path, monkeypatch):
    held = Held(monkeypatch)
    window = open_window(library_path)  # the queue is looked at on the first turn of the event loop
    assert not held.started.is_set() and not _extraction(window).running
    assert not window.findChild(QProgressBar, "extractionBar").isVisible()


def test_a_library_an_older_version_dated_from_an_event_gets_the_right_dates_on_opening(
        qtbot, open_window, library_path, tmp_path):
    from tests.ui.journeys.steps import cell_text, listed_titles

    story = tmp_path / "244.txt"
    story.write_text("Ten-year tragedy of missing Manic\n\nRichey Edwards vanished 10 years ago, "
                     "on 1 February 1995. His disappearance remains a mystery.\n", encoding="utf-8")
    with open_library(library_path) as library:
        import_paths(library, [story])
        with library.db.atomic():
            library.db.conn.execute("UPDATE documents SET published = '1995-02-01'")  # as 0.1.0 read it
            library.db.conn.execute("DELETE FROM meta WHERE key = 'published_date_rules'")

    window = open_window(library_path)

    assert listed_titles(window) == ["Ten-year tragedy of missing Manic"]
    qtbot.waitUntil(lambda: cell_text(window, 0, "published") == "", timeout=WAIT_MS)
