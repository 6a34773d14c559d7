"""How the window's tool windows (Highlights and notes, Review entities, an entity's page) and its
dialogs close from the keyboard: Esc and the platform's Close keys (Ctrl+W), as a dialog does, and
the keyboard given back to where the person was before they opened, since a window manager (or
none at all) may leave no window active once they are gone."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid


def close_on_keys(window: QWidget) -> None:
    """Make Esc and Ctrl+W close ``window`` wherever its focus is."""
    for keys in (QKeySequence(Qt.Key.Key_Escape), *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)):
        QShortcut(keys, window, window.close)


def give_focus_back(widget: QWidget | None) -> None:
    """Put the keyboard on ``widget`` again, its window raised and active, if it is still shown."""
    if widget is None or not isValid(widget) or not widget.isVisible():
        return
    top = widget.window()
    if QApplication.activeWindow() is not top:
        top.raise_()
        top.activateWindow()
    widget.setFocus(Qt.FocusReason.ActiveWindowFocusReason)


class FocusReturn(QObject):
    """Gives the keyboard back to the widget that had it when ``tool`` was shown once ``tool`` is
    hidden (closed with Esc, Ctrl+W or its title bar), or to ``fallback`` when none of the main
    window had it."""

    def __init__(self, tool: QWidget, *, fallback: QWidget) -> None:
        super().__init__(tool)
        self._fallback = fallback
        self._came_from: QWidget | None = None
        tool.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            focus = QApplication.focusWidget()
            main = self._fallback.window()
            self._came_from = focus if focus is not None and focus.window() is main else self._came_from
        elif event.type() == QEvent.Type.Hide and not QApplication.closingDown():
            give_focus_back(self._came_from if self._came_from is not None and isValid(self._came_from)
                            else self._fallback)
        return False
