"""The sidebar's filter chips: one removable chip per active filter, laid out in wrapping rows.

``chip_text`` words a filter the way a chip shows it (the dates as one period,
"February – May 1987"; exclusions as "not …"); ``Chip`` is the widget with its close button,
its text cut at the end to the sidebar's width (``ChipLabel``; the tooltip holds it whole), so
a long name never widens the sidebar; ``FlowLayout`` lays the chips out left to right,
wrapping to the next line.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QToolButton,
    QWidget,
)

from desktop.core.facets import value_label
from desktop.core.filters import DATES_CHIP, dates_label

from .theme import icon

class FlowLayout(QLayout):
    """Lays out widgets left to right, wrapping to the next line (for the chips)."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if hint.width() > rect.width():  # a chip wider than the sidebar is cut to fit it
                hint = QSize(max(item.minimumSize().width(), rect.width()), hint.height())
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


def chip_text(facet: str, value: str, *, excluded: bool, titles: dict[str, str]) -> str:
    """How a chip reads: "Source: Xinhua", "not Author: Li Wei", "February 1987"."""
    if facet == DATES_CHIP:
        return dates_label(value)
    title = titles.get(facet, facet)
    return f"{'not ' if excluded else ''}{title}: {value_label(facet, value)}"


class ChipLabel(QLabel):
    """A chip's text, drawn cut at its end ("Organisations: Всемирная продово…") when the chip
    is given less room than the text wants; it asks for only a few letters' width at least."""

    MIN_CHARACTERS = 8

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        least = self.fontMetrics().averageCharWidth() * self.MIN_CHARACTERS
        return QSize(min(hint.width(), least), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room.width())
        self.style().drawItemText(QPainter(self), room, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                                  self.palette(), self.isEnabled(), shown, self.foregroundRole())


class Chip(QFrame):
    """One active filter with a button that removes it."""

    remove_requested = Signal(str, str)

    def __init__(self, facet: str, value: str, *, text: str, excluded: bool) -> None:
        super().__init__()
        self.setProperty("class", "chip")
        self.setProperty("excluded", excluded)
        self.facet, self.value = facet, value
        label = ChipLabel(text)
        label.setToolTip(text)
        close = QToolButton()
        close.setProperty("class", "chipClose")
        close.setIcon(icon("close"))
        close.setIconSize(QSize(12, 12))
        close.setToolTip("Remove this filter")
        close.clicked.connect(lambda: self.remove_requested.emit(self.facet, self.value))
        self.close_button = close
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(label)
        layout.addWidget(close)
