"""Highlights in the window when an article's file changes and is re-imported."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from desktop.core import workflows
from desktop.core.annotations import document_annotations
from desktop.core.entities.store import ExtractionReport
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.ui import annotate
from desktop.ui.annotate import install
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

ARTICLE = ("Мэр уходит\n\nВ понедельник мэр Москвы Юрий Лужков объявил об отставке. "
           "Решение стало неожиданным для Мосгордумы.\n")
QUOTE = "Юрий Лужков"
WAIT_MS = 10_000


@pytest.fixture
def article_file(tmp_path, library_path, monkeypatch):
    """A library holding one Russian article imported from a file (entities are not looked for)."""
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    monkeypatch.setattr(workflows, "run_queue", lambda library, **_: ExtractionReport(
        documents=0, mentions=0, model="test", seconds=0.0))
    path = tmp_path / "luzhkov.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    with open_library(library_path) as library:
        import_paths(library, [path])
    return path


def point_of(reader, offset: int) -> QPoint:
    """Where the reader draws the left edge of the character at text ``offset``."""
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.position_of(offset))
    rect = reader.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def highlight_with_the_mouse(qtbot, window, quote: str) -> None:
    """Drag across ``quote`` in the reader, then press H."""
    reader, viewport = window.reader, window.reader.viewport()
    start = reader.current_document.text.index(quote)
    begin, end = point_of(reader, start), point_of(reader, start + len(quote))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=begin)
    QApplication.sendEvent(viewport, QMouseEvent(
        QEvent.Type.MouseMove, QPointF(end), viewport.mapToGlobal(QPointF(end)),
        Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    qtbot.keyClick(reader, Qt.Key.Key_H)


def painted_words(window) -> str:
    """The characters the reader paints with a highlight's background."""
    reader = window.reader
    [row] = document_annotations(window.library.db, window.current_id())
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.position_of(row["start"]))
    cursor.setPosition(reader.position_of(row["end"]), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def test_undoing_a_deletion_after_a_re_import_puts_the_highlight_back_on_its_words(
        qtbot, open_window, library_path, article_file):
    window = open_window(library_path)
    annotator = install(window)
    finish_workers(window)
    highlight_with_the_mouse(qtbot, window, QUOTE)
    [highlight] = document_annotations(window.library.db, window.current_id())
    card = annotator.panel.cards[highlight["id"]]
    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)
    article_file.write_text(ARTICLE.replace("В понедельник", "Как сообщают корреспонденты, в понедельник"),
                            encoding="utf-8")
    window.findChild(type(window.action_import), "actionReimport").trigger()
    qtbot.waitUntil(lambda: "корреспонденты" in window.reader.current_document.text, timeout=WAIT_MS)
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: len(annotator.panel.cards) == 1, timeout=WAIT_MS)
    assert painted_words(window) == QUOTE

