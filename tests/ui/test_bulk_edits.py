"""Edits of every article of a large result: Ctrl+A takes them all, and the edit and its Undo run
in the background with a progress that counts the articles and Cancel, while the window stays
usable: a star put on another article meanwhile is made at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from desktop.core import steps
from desktop.core.library import open_library
from desktop.ui import operations
from desktop.ui.annotate import install
from desktop.ui.doc_model import DocumentListModel
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers, insert_articles

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

ARTICLES = 120


@pytest.fixture
def large(open_window, library_path, monkeypatch):
    """The window over 120 articles, revealed to the list 50 at a time, where an edit of ten
    articles or more is large."""
    insert_articles(library_path, [{"title": f"Report {n}", "text": f"Harvest report number {n}."}
                                   for n in range(ARTICLES)])
    monkeypatch.setattr(DocumentListModel, "BATCH", 50)
    monkeypatch.setattr(operations, "BULK_ARTICLES", 10)
    monkeypatch.setattr(steps, "STEP_ARTICLES", 25)
    window = open_window(library_path)
    install(window)
    finish_workers(window)
    return window


def starred(window) -> int:
    return window.library.db.conn.execute("SELECT sum(starred) FROM documents").fetchone()[0]


def select_all(qtbot, window) -> None:
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_a_selects_every_article_of_the_result_not_only_those_scrolled_into_the_list(qtbot, large):
    window = large
    assert window.model.rowCount() < ARTICLES
    select_all(qtbot, window)
    assert len(window.selected_ids()) == ARTICLES


def test_starring_every_article_shows_a_progress_then_the_stars(qtbot, large):
    window = large
    select_all(qtbot, window)
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert window.job.isVisible() and window.job.label.text() == "Starring 120 articles…"
    assert window.search_box.isEnabled()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Starred 120 articles.")
    assert starred(window) == ARTICLES and not window.job.isVisible()
    finish_workers(window)
    assert dict(window.sidebar.sections["state"].model.values())["starred"] == ARTICLES


def test_the_progress_of_a_large_edit_counts_the_articles_done(qtbot, large):
    window = large
    select_all(qtbot, window)
    with open_library(window.library.path) as other:
        other.db.conn.execute("BEGIN IMMEDIATE")  # the edit waits for the library before its first step
        qtbot.keyClick(window.list_view, Qt.Key.Key_S)
        qtbot.waitUntil(lambda: window.job.label.text() == "Starring 0 of 120 articles…")
        assert (window.job.bar.value(), window.job.bar.maximum()) == (0, 120)
        other.db.conn.rollback()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Starred 120 articles.")


def row_point(window, row: int) -> QPoint:
    return window.list_view.visualRect(window.model.index(row, 1)).center()


def test_a_star_put_on_another_article_during_a_large_edit_is_made_and_shown_at_once(qtbot, large):
    window = large
    view = window.list_view
    select_all(qtbot, window)
    first = window.model.id_at(0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     row_point(window, 0))  # every article but the first
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert window.job.isVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(window, 0))
    assert window.selected_ids() == [first]
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert window.statusBar().currentMessage() == "Starred 1 article."
    assert window.library.db.conn.execute("SELECT starred FROM documents WHERE id = ?", [first]).fetchone()[0] == 1
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Starred 119 articles.")
    assert starred(window) == ARTICLES
    finish_workers(window)
    assert dict(window.sidebar.sections["state"].model.values())["starred"] == ARTICLES


def test_undo_of_a_large_edit_runs_in_the_background_and_waits_for_it(qtbot, large):
    window = large
    select_all(qtbot, window)
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert not window.action_undo.isEnabled()  # the star is not done yet
    qtbot.waitUntil(lambda: window.action_undo.isEnabled())
    window.action_undo.trigger()
    assert window.job.isVisible() and window.job.label.text() == "Undo Star 120 articles"
    assert not window.action_redo.isEnabled()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Undone: Star 120 articles.")
    assert starred(window) == 0
    window.action_redo.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Redone: Star 120 articles.")
    assert starred(window) == ARTICLES


def test_cancelling_a_large_edit_leaves_every_article_as_it_was(qtbot, large):
    window = large
    select_all(qtbot, window)
    with open_library(window.library.path) as other:
        other.db.conn.execute("BEGIN IMMEDIATE")  # the edit waits for the library
        qtbot.keyClick(window.list_view, Qt.Key.Key_S)
        qtbot.keyClick(window.list_view, Qt.Key.Key_R)  # one edit at a time
        assert window.statusBar().currentMessage().startswith("A change of many articles is still being made")
        cancel = window.statusBar().findChild(QPushButton, "statusJobCancel")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        other.db.conn.rollback()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Cancelled.")
    assert starred(window) == 0 and not window.job.isVisible()
    assert window.library.db.conn.execute("SELECT count(*) FROM documents WHERE read_state = 'read'").fetchone()[0] == 0
    assert not window.action_undo.isEnabled()


def states(window) -> dict[int, str]:
    return dict(window.library.db.conn.execute("SELECT id, read_state FROM documents"))


def test_cancel_leaves_the_state_another_process_set_meanwhile_and_says_how_many(qtbot, large):
    window = large
    select_all(qtbot, window)
    first = window.selected_ids()[0]
    other = open_library(window.library.path)
    wrote = []

    def write_after_the_first_step(done: int) -> None:  # runs before the edit's writer takes its turn
        if done == steps.STEP_ARTICLES and not wrote:
            other.db.conn.execute("BEGIN IMMEDIATE")  # the next step waits for it
            other.db.conn.execute("UPDATE documents SET read_state = 'to_read' WHERE id = ?", [first])
            wrote.append(first)

    window.job.bar.valueChanged.connect(write_after_the_first_step)
    qtbot.keyClick(window.list_view, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: bool(wrote))
    qtbot.mouseClick(window.statusBar().findChild(QPushButton, "statusJobCancel"), Qt.MouseButton.LeftButton)
    other.db.conn.commit()
    other.close()
    qtbot.waitUntil(lambda: not window.job.isVisible())
    assert window.statusBar().currentMessage() == (
        "Cancelled: taken back, except on 1 article another window or command changed since (left as it is).")
    assert states(window) == {i: "to_read" if i == first else "unread" for i in states(window)}
    assert not window.action_undo.isEnabled()


def test_undo_of_a_large_edit_leaves_the_articles_another_process_changed_since(qtbot, large):
    window = large
    select_all(qtbot, window)
    qtbot.keyClick(window.list_view, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Marked 120 articles read.")
    changed = window.selected_ids()[-2:]
    with open_library(window.library.path) as other:
        other.db.conn.execute("UPDATE documents SET read_state = 'to_read' WHERE id IN (?, ?)", changed)
        other.db.conn.commit()
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Undone"))
    assert window.statusBar().currentMessage() == (
        "Undone: Mark 120 articles read, except on 2 articles another window or command changed since "
        "(left as they are).")
    assert states(window) == {i: "to_read" if i in changed else "unread" for i in states(window)}


def test_undo_of_a_large_edit_counts_the_articles_and_its_cancel_leaves_the_edit_whole(qtbot, large):
    window = large
    select_all(qtbot, window)
    qtbot.keyClick(window.list_view, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Marked 120 articles read.")
    with open_library(window.library.path) as other:
        other.db.conn.execute("BEGIN IMMEDIATE")  # the undo waits for the library before its first step
        window.action_undo.trigger()
        qtbot.waitUntil(lambda: window.job.label.text() == "Undoing 0 of 120 articles…")
        qtbot.mouseClick(window.statusBar().findChild(QPushButton, "statusJobCancel"), Qt.MouseButton.LeftButton)
        other.db.conn.rollback()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Cancelled.")
    assert set(states(window).values()) == {"read"}
    assert window.action_undo.isEnabled() and window.action_undo.text() == "Undo Mark 120 articles read"
