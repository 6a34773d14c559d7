"""The window's searches run off the event loop, and a newer keystroke cancels the older search."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer

import desktop.ui.results as results
from desktop.core.query import search_errors
from desktop.core.search import search_ids
from tests.ui.conftest import finish_workers
from tests.ui.journeys.steps import listed_titles, menu_action

ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


class SlowSearches:
    """``search_ids`` as the window calls it, endless (until interrupted) for every query but
    the empty one and those holding ``final``: a search of a common word on a slow machine."""

    def __init__(self, final: str) -> None:
        self.final = final
        self.started = threading.Event()
        self.slow: list[str] = []
        self.interrupted: list[str] = []

    def __call__(self, db, query, **kwargs):
        if query and self.final not in query.lower():
            self.slow.append(query)
            self.started.set()
            try:
                with search_errors():
                    db.conn.execute(ENDLESS).fetchone()
            except BaseException:
                self.interrupted.append(query)
                raise
        return search_ids(db, query, **kwargs)


@pytest.fixture
def slow_searches(monkeypatch):
    searches = SlowSearches(final="harbin")
    monkeypatch.setattr(results, "search_ids", searches)
    return searches


def test_the_event_loop_keeps_running_while_a_slow_search_runs(qtbot, open_window, agency_library,
                                                               slow_searches):
    window = open_window(agency_library)
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.keyClicks(window.search_box, "Harb")
    qtbot.waitUntil(slow_searches.started.is_set, timeout=5_000)
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= before + 20, timeout=5_000)
    assert not slow_searches.interrupted
    qtbot.keyClicks(window.search_box, "in")
    qtbot.waitUntil(lambda: listed_titles(window) == ["University alliance"], timeout=10_000)
    timer.stop()
    finish_workers(window)


def test_typing_fast_ends_with_the_results_of_the_last_query(qtbot, open_window, agency_library,
                                                             slow_searches):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "Vac")
    qtbot.waitUntil(lambda: len(slow_searches.slow) == 1, timeout=5_000)
    qtbot.keyClicks(window.search_box, "cine")
    qtbot.waitUntil(lambda: len(slow_searches.slow) == 2, timeout=5_000)
    qtbot.keyClicks(window.search_box, " OR Harbin")
    qtbot.waitUntil(lambda: window.settled() and window.search_box.text() == "Vaccine OR Harbin",
                    timeout=10_000)
    finish_workers(window)
    assert sorted(listed_titles(window)) == ["Satellite launch", "University alliance",
                                             "Vaccine trial in Novosibirsk"]
    assert slow_searches.interrupted == slow_searches.slow == ["Vac*", "Vaccine*"]
    assert window.count_label.text() == "3 of 5 articles"


def test_sort_by_exact_relevance_lists_every_match_by_its_exact_score(qtbot, open_window,
                                                                      agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "vaccine")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    finish_workers(window)
    menu_action(window, "actionSortExactRelevance").trigger()
    finish_workers(window)
    assert window.sort_key == "exact_relevance"
    assert window.model.ids == search_ids(window.library.db, "vaccine", sort="exact_relevance")
    assert listed_titles(window) == ["Vaccine trial in Novosibirsk", "Satellite launch"]
