"""A window whose library file was deleted while it was open: a highlight is refused in one
line naming the copy of what the window had open, and never shown as saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.annotations import PALETTE
from desktop.ui import annotate
from desktop.ui.annotate import highlight_colour, install
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers
from tests.ui.test_annotate_window import painted_colour, release_mouse, select_quote

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_a_highlight_on_a_library_deleted_meanwhile_is_refused_and_not_painted(
        qtbot, open_window, seeds_library, monkeypatch):
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    window = open_window(seeds_library)
    annotator = install(window)
    finish_workers(window)
    for name in (seeds_library.name, seeds_library.name + "-wal", seeds_library.name + "-shm"):
        (seeds_library.parent / name).unlink(missing_ok=True)
    start, _ = select_quote(window)
    release_mouse(qtbot, window)
    qtbot.mouseClick(annotator.bar.buttons["sky blue"], Qt.MouseButton.LeftButton)
    status = window.statusBar()
    qtbot.waitUntil(lambda: "was deleted or replaced" in status.currentMessage())
    copy, = seeds_library.parent.glob("*-rescued-*.sqlite")
    assert status.currentMessage().startswith(f"Not saved: {seeds_library.name} was deleted or replaced")
    assert copy.name in status.currentMessage() and "\n" not in status.currentMessage()
    assert painted_colour(window, start + 3) != highlight_colour(PALETTE["sky blue"], theme=window.reader.theme)
