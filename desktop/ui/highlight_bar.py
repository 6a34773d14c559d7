"""The small bar that floats over a text selection in the reader: eight highlight colours and "Add note".

The bar is a child of the reader's viewport, so it never takes the keyboard
focus away from the reader and disappears with it. Choosing a colour emits
``colour_chosen(name)`` with a name from the core ``PALETTE``; the note button
emits ``note_requested()``. Escape (or a click elsewhere, handled by the
owner) hides it. ``add_colour_actions`` offers the same colours in a menu (a
highlight's card in the Notes panel, the reader's context menu).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QToolButton, QWidget

from desktop.core.annotations import PALETTE

SWATCH_SIZE = 16
MARGIN = 6


def swatch_icon(hex_colour: str, *, size: int = SWATCH_SIZE) -> QIcon:
    """A round colour swatch as an icon."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(hex_colour).darker(140))
    painter.setBrush(QColor(hex_colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def add_colour_actions(menu: QMenu, chosen: Callable[[str], object], *, current: str | None = None) -> None:
    """Add one entry per highlight colour to ``menu`` (the ``current`` one checked);
    choosing one calls ``chosen(name)``."""
    for name, hex_colour in PALETTE.items():
        action = menu.addAction(swatch_icon(hex_colour), name.capitalize())
        action.setCheckable(current is not None)
        action.setChecked(name == current)
        action.triggered.connect(lambda _=False, colour=name: chosen(colour))


class HighlightBar(QFrame):
    """Colour buttons plus "Add note", shown just above (or below) a selection."""

    colour_chosen = Signal(str)
    note_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("highlightBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(1)
        self.buttons: dict[str, QToolButton] = {}
        for name, hex_colour in PALETTE.items():
            button = self._button(f"Highlight in {name}")
            button.setObjectName(f"highlight-{name.replace(' ', '-')}")
            button.setIcon(swatch_icon(hex_colour))
            button.setIconSize(QSize(SWATCH_SIZE, SWATCH_SIZE))
            button.clicked.connect(lambda _=False, chosen=name: self._choose(chosen))
            layout.addWidget(button)
            self.buttons[name] = button
        self.note_button = self._button("Highlight and write a note")
        self.note_button.setObjectName("highlightAddNote")
        self.note_button.setText("Add note")
        self.note_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.note_button.clicked.connect(self._note)
        layout.addWidget(self.note_button)
        self.hide()

    def _button(self, tooltip: str) -> QToolButton:
        button = QToolButton(self)
        button.setToolTip(tooltip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def show_near(self, top: QPoint, bottom: QPoint) -> None:
        """Show the bar above ``top`` (the selection's first line, in parent coordinates),
        or below ``bottom`` when there is no room above; kept inside the parent."""
        self.adjustSize()
        parent = self.parentWidget()
        width, height = self.width(), self.height()
        x = max(MARGIN, min(top.x() - width // 2, parent.width() - width - MARGIN))
        y = top.y() - height - MARGIN
        if y < MARGIN:
            y = min(bottom.y() + MARGIN, parent.height() - height - MARGIN)
        self.move(x, max(MARGIN, y))
        self.show()
        self.raise_()

    def _choose(self, name: str) -> None:
        self.hide()
        self.colour_chosen.emit(name)

    def _note(self) -> None:
        self.hide()
        self.note_requested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
