"""An edit made while another program writes to the library: the window keeps painting, says
what it waits for, saves the edit once the other program is done, or gives it up when asked."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from desktop.core.library import open_library
from desktop.ui import annotate, lock_wait
from desktop.ui.annotate import install
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

HELD_MS = 2500  # how long the other program keeps the write lock (the waiting window shows after 1 s)


@pytest.fixture
def window(open_window, seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    window = open_window(seeds_library)
    install(window)
    finish_workers(window)
    window.list_view.setFocus()
    return window


@pytest.fixture
def other(window):
    """Another program's connection, holding the library's write lock until ``release``."""
    with open_library(window.library.path) as library:
        library.db.conn.execute("BEGIN IMMEDIATE")
        yield library
        if library.db.conn.in_transaction:
            library.db.conn.rollback()


def dialog(window) -> QProgressDialog | None:
    shown = [d for d in window.findChildren(QProgressDialog, "lockWaitDialog") if d.isVisible()]
    return shown[0] if shown else None


class Heartbeat:
    """A timer of the window's thread: the longest gap between its ticks is how long the window froze."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()

    def longest_gap(self) -> float:
        self.timer.stop()
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:]))


def starred(window) -> int:
    return window.library.db.conn.execute("SELECT sum(starred) FROM documents").fetchone()[0]


def test_a_star_made_while_another_program_writes_waits_without_freezing_and_is_saved(qtbot, window, other):
    seen = []

    def the_other_program_commits() -> None:
        seen.append(dialog(window) is not None)
        other.db.conn.commit()

    QTimer.singleShot(HELD_MS, the_other_program_commits)
    beat = Heartbeat()
    started = time.monotonic()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)  # returns once the star is saved
    waited = time.monotonic() - started
    assert seen == [True]  # "Waiting to save" was on the screen while the lock was held
    assert waited >= HELD_MS / 1000 * 0.9
    assert beat.longest_gap() < 0.5  # the window kept painting (SQLite alone held it 10 s)
    assert starred(window) == 1
    assert window.statusBar().currentMessage() == "Starred 1 article."
    assert dialog(window) is None and window.action_undo.isEnabled()


def test_giving_up_the_wait_leaves_the_article_as_it_was_and_says_so(qtbot, window, other):
    def give_up() -> None:  # once the waiting window is there
        shown = dialog(window)
        if shown is not None:
            looking.stop()
            assert shown.windowTitle() == "Waiting to save"
            qtbot.mouseClick(shown.findChild(QPushButton), Qt.MouseButton.LeftButton)
            other.db.conn.rollback()  # the other program is done right after: the change stays given up

    looking = QTimer()
    looking.setInterval(50)
    looking.timeout.connect(give_up)
    looking.start()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert window.statusBar().currentMessage() == lock_wait.GIVEN_UP
    assert starred(window) == 0 and not window.action_undo.isEnabled()
    assert dialog(window) is None
    window.activateWindow()  # the library is free again: back in the window, the star is made
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert starred(window) == 1


def test_the_article_is_marked_read_once_another_program_is_done(qtbot, open_window, seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 50)
    window = open_window(seeds_library)
    install(window)
    with open_library(window.library.path) as other:
        other.db.conn.execute("BEGIN IMMEDIATE")
        QTimer.singleShot(HELD_MS, other.db.conn.commit)
        window.step_article(1)
        doc_id = window.current_id()
        state = lambda: window.library.db.conn.execute(  # noqa: E731
            "SELECT read_state FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        qtbot.waitUntil(lambda: state() == "read", timeout=HELD_MS + 5000)
    finish_workers(window)


def test_a_highlight_made_while_another_program_writes_is_saved_after_it(qtbot, window, other):
    window.reader.select_range(0, 12)
    QTimer.singleShot(HELD_MS, other.db.conn.commit)
    window.findChild(QAction, "actionHighlight").trigger()
    rows = window.library.db.conn.execute('SELECT start, "end" FROM annotations').fetchall()
    assert [tuple(r) for r in rows] == [(0, 12)]
    assert dialog(window) is None
