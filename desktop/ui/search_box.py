"""The search box: results as you type (debounced), a syntax hint, an inline error.

``SearchBox`` (object name ``searchBox``) emits ``query_typed`` a short
moment after the last keystroke and ``query_changed`` at once on Enter or
Escape; both carry the text as typed (the window searches text still being
typed through ``desktop.core.query.typing_query``, so the results do not jump
about while a word is half written). ``SearchBar`` puts the
box beside a hint line that turns into the error message when the window
reports a query that cannot run; ``add_widget`` puts a control (a scope
toggle) between the two.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from .theme import icon

DEBOUNCE_MS = 180
SYNTAX_HINT = '"a phrase" · a OR b · -word · pre* · title:word'
SYNTAX_HELP = (
    "Search the articles:\n"
    "  word word — articles with both words\n"
    '  "exact phrase" — the words in this order\n'
    "  a OR b — either word\n"
    "  -word or NOT word — leave these out\n"
    "  prefix* — any word starting with prefix\n"
    "  title:word, text:word, notes:word — search one field\n"
    "  ( ) — group\n"
    "Case and accents are ignored."
)


class SearchBox(QLineEdit):
    """The query line; ``query_typed`` fires once typing pauses, ``query_changed`` on Enter."""

    query_changed = Signal(str)
    query_typed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText("Search articles…")
        self.setClearButtonEnabled(True)
        self.setToolTip(SYNTAX_HELP)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self._emit(typing=True))
        self._last = ""
        self.textEdited.connect(lambda _: self._timer.start())
        self.returnPressed.connect(self._emit_now)

    def set_query(self, text: str) -> None:
        """Show ``text`` without emitting ``query_changed`` (restoring a saved search)."""
        self._timer.stop()
        self._last = text
        self.setText(text)

    def _emit_now(self) -> None:
        self._timer.stop()
        self._last = None  # Enter always runs the search again
        self._emit(typing=False)

    def _emit(self, *, typing: bool) -> None:
        text = self.text()
        if text != self._last:
            self._last = text
            (self.query_typed if typing else self.query_changed).emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self._emit_now()
            return
        super().keyPressEvent(event)


class HintLabel(QLabel):
    """A one-line label that ends in "…" when its text does not fit (the whole text is its tooltip)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment().value), self.palette(),
                                  self.isEnabled(), text, self.foregroundRole())


class SearchBar(QWidget):
    """The search box with its hint line, which shows the error of a query that cannot run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = SearchBox(self)
        self.hint = HintLabel(SYNTAX_HINT, self)
        self.hint.setObjectName("searchHint")
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setMinimumWidth(self.hint.fontMetrics().horizontalAdvance(SYNTAX_HINT) + 8)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self._layout.addWidget(self.box, 3)
        self._layout.addWidget(self.hint, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def add_widget(self, widget: QWidget) -> None:
        """Put ``widget`` right of the search box (and of the widgets added before it)."""
        self._layout.insertWidget(self._layout.indexOf(self.hint), widget)

    def show_error(self, message: str) -> None:
        """Show why the current query cannot run, in place of the hint."""
        self._set_invalid(True)
        self.hint.setText(message)
        self.hint.setToolTip(message)

    def clear_error(self) -> None:
        """Back to the syntax hint."""
        self._set_invalid(False)
        self.hint.setText(SYNTAX_HINT)
        self.hint.setToolTip(SYNTAX_HELP)

    @property
    def error(self) -> str | None:
        """The error shown, or None while the hint is shown."""
        return self.hint.text() if self.box.property("invalid") else None

    def _set_invalid(self, invalid: bool) -> None:
        for widget in (self.box, self.hint):
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
