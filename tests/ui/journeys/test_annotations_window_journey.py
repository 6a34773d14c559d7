"""Journeys through Annotate ▸ Highlights and notes…: the window opens from the menu and closes the
ways a person closes a window: its Close button, Esc, Ctrl+W."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, menu_action

OFFSCREEN_RAISE = "This plugin does not support raise"
pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

WAIT_MS = 10_000


def open_annotations_window(qtbot, window) -> QWidget:
    """Annotate ▸ Highlights and notes…: the window shows, listing the library's highlights."""
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    assert view is not None
    qtbot.waitUntil(lambda: view.isVisible() and view.isActiveWindow(), timeout=WAIT_MS)
    assert view.findChild(QLabel, "annotationsStatus").text() == "0 highlights"
    return view


def press_close(qtbot, view: QWidget) -> None:
    buttons = view.findChild(QDialogButtonBox)
    assert buttons is not None, "no button box"
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.isVisible(), "no Close button"
    click(qtbot, close)


def press_escape(qtbot, view: QWidget) -> None:
    qtbot.keyClick(view.focusWidget() or view, Qt.Key.Key_Escape)


def press_ctrl_w(qtbot, view: QWidget) -> None:
    qtbot.keySequence(view.focusWidget() or view, QKeySequence("Ctrl+W"))


@pytest.mark.parametrize("close", [press_close, press_escape, press_ctrl_w],
                         ids=["close-button", "escape", "ctrl-w"])
def test_highlights_and_notes_window_closes_and_opens_again(qtbot, open_window, seeds_library, close):
    window = open_window(seeds_library)
    view = open_annotations_window(qtbot, window)

    close(qtbot, view)

    qtbot.waitUntil(lambda: not view.isVisible(), timeout=WAIT_MS)
    assert window.isVisible()
    assert open_annotations_window(qtbot, window) is view
