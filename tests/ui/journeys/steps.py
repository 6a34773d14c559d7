"""The steps a person takes, as user events, shared by the journeys."""

from __future__ import annotations


def click(qtbot, widget) -> None:
    """A left click in the middle of ``widget``, as a person makes it."""
    from PySide6.QtCore import Qt

    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def menu_action(window, name: str):
    """The main window's ``QAction`` called ``name``, enabled (as a person sees it in the menu)."""
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, name)
    assert action is not None, f"no action {name}"
    assert action.isEnabled(), f"{name} is disabled"
    return action
