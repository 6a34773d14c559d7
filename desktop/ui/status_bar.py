"""The main window's status bar: the "N of M articles" count always in sight, messages beside it.

The count (``resultCount``) is a permanent widget, the first of them, so a message shown for a
while (``showMessage``: "Added tag … to 3 articles.", "Undone: …") appears to its left and never
hides it. A message longer than the room left of the permanent widgets is drawn elided ("…")
instead of cut off mid-letter; ``currentMessage`` still gives it whole. A note (``show_note``: where
the backup from before an upgrade lies) sits on the left whenever no message is shown: Qt hides it
under a message and brings it back after, so the messages that follow do not take it away.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QStyle, QStyleOption, QWidget

MESSAGE_LEFT = 6
"""Where Qt's status bar begins a message, and the gap it leaves before the permanent widgets."""


class WindowStatusBar(QStatusBar):
    """A status bar whose count stays in sight and whose messages are elided to fit beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = QLabel()
        self.count.setObjectName("resultCount")
        self.addPermanentWidget(self.count)
        self.messageChanged.connect(lambda _text: self.update())
        self.note = QLabel()
        self.note.setObjectName("statusNote")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.note, 1)
        self.note.hide()

    def show_note(self, text: str) -> None:
        """Keep ``text`` in sight on the left whenever no message is shown ("" takes it away); its
        tooltip holds it whole where the bar is too narrow."""
        self.note.setText(text)
        self.note.setToolTip(text)
        if not text:
            self.note.hide()
        elif self.currentMessage():  # Qt shows it when the message goes, unless hidden by hand
            self.note.setAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide, False)
        else:
            self.note.show()

    def show_count(self, text: str) -> None:
        """Show ``text`` ("5 of 12 articles") as the count of the listed articles."""
        self.count.setText(text)

    def message_rect(self) -> QRect:
        """Where a message is drawn: from the left edge to the first widget shown beside it."""
        shown = [child.geometry().left() for child in self.findChildren(QWidget)
                 if child.parent() is self and child.isVisible()]
        right = min([self.width() - 2 * MESSAGE_LEFT, *shown]) - MESSAGE_LEFT
        return QRect(MESSAGE_LEFT, 0, max(0, right - MESSAGE_LEFT), self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        message = self.currentMessage()
        if not message:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
        rect = self.message_rect()
        painter.setPen(self.palette().windowText().color())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                                   | Qt.TextFlag.TextSingleLine),
                         self.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, rect.width()))
