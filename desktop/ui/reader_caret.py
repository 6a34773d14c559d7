"""Caret browsing in the reader: a text cursor the keyboard moves and selects with.

``CaretMixin`` gives the ``Reader`` the mode browsers turn on with F7. While it
is on, the reader draws a blinking caret ``CARET_WIDTH`` pixels wide; the
arrow keys move it (Ctrl by word), Home / End to the ends of the line,
Page Up / Down a page with the view, and Shift with any of them selects, so a
selection made without a mouse can be highlighted like any other. Qt's text
control does the moving once the reader accepts keyboard selection; this part
switches that on and off, puts the caret at the top of the visible text when
the mode is turned on, and keeps it — and any selection, made with the mouse or
the keys — in place when the article is drawn again (a highlight added, an entity
type shown, the article marked read). While the mode is off the keys scroll the
reader as before.
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

    def clear_selection(self) -> None:
        """Drop the selection, leaving the caret where it ended."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def _caret_position(self) -> tuple[tuple[int, int | None], tuple[int, int | None]] | None:
        """The selection's anchor and the caret, each as a document position and its text offset
        (None in the headline), to put them back after the article is drawn again (None: no
        selection and caret browsing off)."""
        cursor = self.textCursor()
        if not (cursor.hasSelection() or self.caret_browsing):
            return None
        return tuple((place, self.offset_at(place)) for place in (cursor.anchor(), cursor.position()))

    def _restore_caret(self, kept: tuple[tuple[int, int | None], tuple[int, int | None]] | None) -> None:
        if kept is None:
            return
        last = self.document().characterCount() - 1
        cursor = QTextCursor(self.document())
        for (place, offset), mode in zip(kept, (QTextCursor.MoveMode.MoveAnchor, QTextCursor.MoveMode.KeepAnchor)):
            position = self.position_of(offset) if offset is not None else None
            cursor.setPosition(min(place if position is None else position, last), mode)
        self.setTextCursor(cursor)
