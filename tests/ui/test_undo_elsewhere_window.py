"""Edit ▸ Undo in a window whose library another window or command wrote to meanwhile: what the
other wrote is never taken away with the undone change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.annotations import document_annotations, update_annotation
from desktop.core.library import open_library
from desktop.ui.annotate import install
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

QUOTE = "Changchun-Novosibirskaya Video Conference"


def highlight_by_mouse(qtbot, window, annotator) -> dict:
    """Select ``QUOTE`` in the reader, release the mouse and click a colour of the bar that shows."""
    start = window.reader.current_document.text.index(QUOTE)
    window.reader.select_range(start, start + len(QUOTE))
    QApplication.processEvents()
    viewport = window.reader.viewport()
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=viewport.rect().center())
    qtbot.waitUntil(annotator.bar.isVisible)
    qtbot.mouseClick(annotator.bar.buttons["orange"], Qt.MouseButton.LeftButton)
    [highlight] = document_annotations(window.library.db, window.current_id())
    return highlight


def test_undo_of_a_highlight_another_window_added_a_note_to_keeps_both_and_says_why(
        qtbot, open_window, seeds_library):
    window = open_window(seeds_library)
    annotator = install(window)
    finish_workers(window)
    highlight = highlight_by_mouse(qtbot, window, annotator)
    with open_library(seeds_library) as other:  # a second window on the same library file
        update_annotation(other.db, highlight["id"], note="Video link, not a visit")
    qtbot.waitUntil(lambda: annotator.panel.note_editor(highlight["id"]).toPlainText() == "Video link, not a visit")

    label = window.action_undo.text().removeprefix("Undo ")
    window.action_undo.trigger()
    assert window.statusBar().currentMessage() == (
        f"Cannot restore '{label}': another window or command has changed it since "
        "(its note); its newer version is kept.")
    [kept] = document_annotations(window.library.db, window.current_id())
    assert (kept["id"], kept["note"]) == (highlight["id"], "Video link, not a visit")
    assert annotator.panel.note_editor(highlight["id"]).toPlainText() == "Video link, not a visit"
    assert window.action_undo.isEnabled() and not window.action_redo.isEnabled()
