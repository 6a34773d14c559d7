"""How the window's tool windows (Highlights and notes, Review entities, an entity's page) and its
dialogs close from the keyboard: Esc and the platform's Close keys (Ctrl+W), as a dialog does; and,
for every dialog and tool window of the application (``FocusReturn``, installed once on it), the
keyboard given back to where the person was before one opened, since a window manager (or none at
all) may leave no window active once it is gone."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import getCppPointer, isValid


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


RETURNING_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet, Qt.WindowType.Tool)


class FocusReturn(QObject):
    """Application-wide: when any dialog or tool window (not a menu, popup or tooltip) is hidden —
    accepted, cancelled, closed with Esc, Ctrl+W or its title bar — and no other window has taken
    the keyboard, give it back to the widget that had it when that window was shown; when that
    widget is gone, to its window's (or the dialog's parent window's) last focused widget."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._came_from: dict[int, tuple[QWidget | None, QWidget | None]] = {}
        app.installEventFilter(self)

    @classmethod
    def install(cls, app: QApplication) -> None:
        """Install the one ``FocusReturn`` of ``app`` (once, however many windows open)."""
        if app.findChild(cls, cls.__name__) is None:
            cls(app).setObjectName(cls.__name__)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Hide) or not watched.isWidgetType() \
                or not watched.isWindow() or watched.windowType() not in RETURNING_TYPES:
            return False
        key = getCppPointer(watched)[0]
        if kind == QEvent.Type.Show:
            focus = QApplication.focusWidget()
            parent = watched.parentWidget()
            self._came_from[key] = (focus if focus is not None and focus.window() is not watched else None,
                                    parent.window() if parent is not None else None)
        elif key in self._came_from:
            came_from, parent_window = self._came_from.pop(key)
            if not QApplication.closingDown() and _keyboard_lost_with(watched):
                give_focus_back(_return_target(came_from, parent_window))
        return False


def _keyboard_lost_with(window: QWidget) -> bool:
    """Whether the keyboard was in ``window`` (or nowhere) as it is hidden."""
    focus = QApplication.focusWidget()
    active = QApplication.activeWindow()
    return (focus is None or focus.window() is window) and (active is None or active is window)


def _return_target(came_from: QWidget | None, parent_window: QWidget | None) -> QWidget | None:
    """``came_from`` while it is shown; else the last focused widget of its window or of
    ``parent_window``, the first of them still shown."""
    if came_from is not None and isValid(came_from) and came_from.isVisible():
        return came_from
    windows = [came_from.window() if came_from is not None and isValid(came_from) else None, parent_window]
    for window in windows:
        if window is not None and isValid(window) and window.isVisible():
            last = window.focusWidget()
            return last if last is not None and last.isVisible() else window
    return None
