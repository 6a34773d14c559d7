"""How the window's tool windows (Highlights and notes, Review entities, an entity's page) close
from the keyboard: Esc and the platform's Close keys (Ctrl+W), as a dialog does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def close_on_keys(window: QWidget) -> None:
    """Make Esc and Ctrl+W close ``window`` wherever its focus is."""
    for keys in (QKeySequence(Qt.Key.Key_Escape), *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)):
        QShortcut(keys, window, window.close)
