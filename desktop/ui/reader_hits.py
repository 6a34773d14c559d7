"""Moving through the reader's search hits and find-in-article matches.

``HitsMixin`` gives the ``Reader`` its hit navigation: ``next_hit`` selects
the next search hit (or find match) and draws it in the theme's current-hit
colour, ``set_find_text`` marks every match of the find bar's text, and
``find_next`` moves between them, wrapping around.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit


class HitsMixin:
    """The ``Reader`` part that moves through search hits and find matches."""

    @property
    def hit_count(self) -> int:
        """How many search hits the article has."""
        return len(self._hits)

    @property
    def current_hit(self) -> int:
        """The index of the hit last moved to, or -1."""
        return self._hit

    def next_hit(self, *, backward: bool = False) -> bool:
        """Select the next (or previous) search hit, wrapping around; False when none."""
        if self._find_text:
            return self.find_next(backward=backward)
        if not self._hits:
            return False
        step = -1 if backward else 1
        if self._hit < 0:
            self._hit = len(self._hits) - 1 if backward else 0
        else:
            self._hit = (self._hit + step) % len(self._hits)
        hit = self._hits[self._hit]
        self.select_range(hit.start, hit.end)
        self._paint_current_hit(True)
        return True

    def current_hit_shown(self) -> bool:
        """Whether the selection is the current search hit, drawn in the theme's current-hit colour."""
        return self.palette().color(QPalette.ColorRole.Highlight).name() == self._theme.hit_current

    def _paint_current_hit(self, on: bool) -> None:
        """Draw the selection as the current hit (``on``) or as an ordinary selection."""
        if not on:
            if self.current_hit_shown():
                self.setPalette(QPalette())
            return
        palette = QPalette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, QColor(self._theme.hit_current))
            palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor(self._theme.hit_current_text))
        self.setPalette(palette)

    def _selection_moved(self) -> None:
        if not 0 <= self._hit < len(self._hits):
            return
        hit = self._hits[self._hit]
        if self.selected_range() != (hit.start, hit.end) and self.current_hit_shown():
            self._paint_current_hit(False)

    def set_find_text(self, text: str) -> int:
        """Mark every occurrence of ``text`` (ignoring case) and go to the first; the count."""
        self._find_text = text
        count = self._mark_find_matches()
        if count:
            cursor = self.textCursor()
            cursor.setPosition(0)
            self.setTextCursor(cursor)
            self.find_next()
        return count

    def _mark_find_matches(self) -> int:
        selections = []
        if self._find_text:
            found = QTextCharFormat()
            found.setBackground(QColor(self._theme.hit_current))
            found.setForeground(QColor(self._theme.hit_current_text))
            cursor = self.document().find(self._find_text, 0)
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = found
                selections.append(selection)
                cursor = self.document().find(self._find_text, cursor)
        self.setExtraSelections(selections)
        return len(selections)

    def find_next(self, *, backward: bool = False) -> bool:
        """Move to the next (or previous) occurrence of the find text, wrapping around."""
        if not self._find_text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.find(self._find_text, flags):
            return True
        cursor = self.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
        )
        self.setTextCursor(cursor)
        return self.find(self._find_text, flags)
