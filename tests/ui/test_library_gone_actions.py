"""A window whose library file is deleted while it is open greys out its edits, each saying why,
as soon as it notices, before any edit is tried; opening a library brings them back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.annotate import install
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def test_deleting_the_library_file_greys_out_the_edits_with_a_tooltip_saying_why(
        qtbot, open_window, seeds_library):
    window = open_window(seeds_library)
    annotator = install(window)
    finish_workers(window)
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)  # a star, so that Undo is on offer
    assert window.action_undo.isEnabled() and annotator.action_star.isEnabled()
    for name in (seeds_library.name, seeds_library.name + "-wal", seeds_library.name + "-shm"):
        (seeds_library.parent / name).unlink(missing_ok=True)

    qtbot.waitUntil(lambda: not annotator.action_star.isEnabled())
    for action in (window.action_undo, window.action_import, annotator.action_star, annotator.action_tag):
        assert not action.isEnabled()
        assert action.toolTip().startswith(f"Not available: {seeds_library.name} was deleted or replaced")
    copy, = seeds_library.parent.glob("*-rescued-*.sqlite")
    assert copy.name in window.action_undo.toolTip()
    assert window.windowTitle().endswith("(deleted or replaced)")
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert not window.action_undo.isEnabled()  # the greyed-out star key did nothing

    assert window.open_library_file(copy)
    assert annotator.action_star.isEnabled() and window.action_undo.toolTip() == "Undo"
