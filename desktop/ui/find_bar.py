"""The reader's find-in-article line (``FindBar``, Ctrl+F): Enter / Shift+Enter move, Escape closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from .theme import icon

if TYPE_CHECKING:
    from .reader import Reader


class FindBar(QWidget):
    """Find in the article (Ctrl+F): Enter / Shift+Enter move, Escape closes."""

    def __init__(self, reader: Reader) -> None:
        super().__init__()
        self.setObjectName("findBar")
        self.reader = reader
        self.box = QLineEdit()
        self.box.setObjectName("findBox")
        self.box.setPlaceholderText("Find in article…")
        self.box.setClearButtonEnabled(True)
        self.count = QLabel()
        previous, following, close = (QToolButton() for _ in range(3))
        previous.setIcon(icon("previous"))
        previous.setToolTip("Previous match (Shift+Enter)")
        following.setIcon(icon("next"))
        following.setToolTip("Next match (Enter)")
        close.setIcon(icon("close"))
        close.setToolTip("Close (Escape)")
        previous.clicked.connect(lambda: reader.find_next(backward=True))
        following.clicked.connect(lambda: reader.find_next())
        close.clicked.connect(self.close_bar)
        self.box.textChanged.connect(self._search)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        for widget in (self.box, self.count, previous, following, close):
            layout.addWidget(widget)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.box.setFocus()
        self.box.selectAll()

    def close_bar(self) -> None:
        self.box.clear()
        self.hide()
        self.reader.setFocus()

    def _search(self, text: str) -> None:
        found = self.reader.set_find_text(text)
        self.count.setText(f"{found} found" if text else "")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            backward = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.reader.find_next(backward=backward)
        else:
            super().keyPressEvent(event)
