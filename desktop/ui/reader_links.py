"""Stepping through the reader's highlighted names and links from the keyboard.

In a ``QTextBrowser`` Tab visits every link of the text, so Tab could not leave
an article with 500 highlighted names. ``LinksMixin`` gives the ``Reader`` the
keys of any other pane instead: Tab and Shift+Tab go on to the window's next
or previous pane, and ``next_link`` (bound to a key by the window) selects the
next or previous name or link, wrapping around; Enter on the one selected
follows it as a click does, and the Menu key opens its corrections.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QWidget


class LinksMixin:
    """The ``Reader`` part that moves the keyboard through its links (see the module docstring)."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 (Qt's name)
        return QWidget.focusNextPrevChild(self, next)  # Qt's reader would step through the links

    def links(self) -> list[tuple[int, int, str]]:
        """The highlighted names and links of the article as (start, end, href) QTextDocument
        positions, in reading order."""
        found: list[tuple[int, int, str]] = []
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                href = fragment.charFormat().anchorHref() if fragment.charFormat().isAnchor() else ""
                start, end = fragment.position(), fragment.position() + fragment.length()
                if href and found and found[-1][1] == start and found[-1][2] == href:
                    found[-1] = (found[-1][0], end, href)
                elif href:
                    found.append((start, end, href))
                fragments += 1
            block = block.next()
        return found

    def next_link(self, *, backward: bool = False) -> bool:
        """Take the keyboard and select the next (or previous) highlighted name or link after
        the selection or caret, wrapping around at the end; False when the article has none."""
        links = self.links()
        if not links:
            return False
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        cursor = self.textCursor()
        if backward:
            before = [link for link in links if link[0] < cursor.selectionStart()]
            start, end, _ = before[-1] if before else links[-1]
        else:
            after = [link for link in links if link[0] >= cursor.selectionEnd()]
            start, end, _ = after[0] if after else links[0]
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        cursor = self.textCursor()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and cursor.hasSelection():
            chosen = (cursor.selectionStart(), cursor.selectionEnd())
            href = next((href for start, end, href in self.links() if (start, end) == chosen), None)
            if href is not None:
                self.anchorClicked.emit(QUrl(href))
                return
        super().keyPressEvent(event)
