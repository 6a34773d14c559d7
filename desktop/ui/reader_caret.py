"""Caret browsing in the reader: a text cursor the keyboard moves and selects with.

``CaretMixin`` gives the ``Reader`` the mode browsers turn on with F7. While it
is on, the reader draws a blinking caret ``CARET_WIDTH`` pixels wide; the
arrow keys move it (Ctrl by word), Home / End to the ends of the line,
Page Up / Down a page with the view, and Shift with any of them selects, so a
selection made without a mouse can be highlighted like any other. Qt's text
control does the moving once the reader accepts keyboard selection; this part
switches that on and off, puts the caret at the top of the visible text when
the mode is turned on, and keeps it in place when the article is drawn again
(a highlight added, an entity type shown). While the mode is off the keys
scroll the reader as before.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

CARET_WIDTH = 2
BROWSING = Qt.TextInteractionFlag.TextBrowserInteraction
CARET_BROWSING = BROWSING | Qt.TextInteractionFlag.TextSelectableByKeyboard


class CaretMixin:
    """The ``Reader`` part that shows and keeps a keyboard caret (see the module docstring)."""

    @property
    def caret_browsing(self) -> bool:
        """Whether the reader shows a caret the keys move."""
        return bool(self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard)

    def set_caret_browsing(self, on: bool) -> None:
        """Show a caret the keys move and select with (``on``), or scroll with the keys again.

        Turned on, the caret starts at the beginning of the first line shown in full;
        a selection already made stays.
        """
        if on == self.caret_browsing:
            return
        self.setTextInteractionFlags(CARET_BROWSING if on else BROWSING)
        self.setCursorWidth(CARET_WIDTH if on else 1)
        if on and not self.textCursor().hasSelection():
            self._caret_to_top()

    def _caret_to_top(self) -> None:
        scroll = self.verticalScrollBar().value()
        cursor = self.cursorForPosition(QPoint(0, 0))
        if self.cursorRect(cursor).top() < 0:
            cursor.movePosition(QTextCursor.MoveOperation.Down)
        cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
        self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(scroll)

    def _caret_position(self) -> int | None:
        """Where the caret is, to put it back after the article is drawn again (None: mode off)."""
        return self.textCursor().position() if self.caret_browsing else None

    def _restore_caret(self, position: int | None) -> None:
        if position is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        self.setTextCursor(cursor)
