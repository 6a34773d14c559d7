"""The search box: results as you type (debounced), a syntax hint, an inline error.

``SearchBox`` (object name ``searchBox``) emits ``query_typed`` a short
moment after the last keystroke and ``query_changed`` at once on Enter or
Escape, and ``down_pressed`` when the Down key asks for the results below; both queries carry
the text as typed (the window searches text still being typed through
``desktop.core.query.typing_query``, so the results do not jump about while a word is half
written). ``SearchBar`` puts the
box beside a hint line that turns into the error message when the window
reports a query that cannot run, wrapped onto two lines in the toolbar's height
(and cut with …, the whole in its tooltip, when even two lines leave too little room for the
toolbar's buttons); ``add_widget`` puts a control (a scope
toggle) between the two.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from .theme import icon

DEBOUNCE_MS = 180
HINT_LINES = 2
HINT_MAX_WIDTH = 360
SYNTAX_HINT = '"phrase" · a OR b · -word · pre*'
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
    """The query line; ``query_typed`` fires once typing pauses, ``query_changed`` on Enter,
    ``down_pressed`` on the Down key (the window moves on to the result list)."""

    query_changed = Signal(str)
    query_typed = Signal(str)
    down_pressed = Signal()

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
        if event.key() == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class HintLabel(QLabel):
    """The words beside the search box, wrapped onto at most ``HINT_LINES`` lines.

    It asks for the narrowest width at which its message fits those lines (never more than
    ``HINT_MAX_WIDTH``) and at least the width the syntax hint needs on one line, but it can do
    with that one-line width: given less room than a message needs, it shows what fits on its
    lines, the last one ending in …, with the whole message in its tooltip. So however long a
    message (a query explained in a sentence, a long error), the toolbar keeps every button in
    sight and does not grow; the syntax hint itself is never wrapped.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._message = text
        self._tip = ""
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    @property
    def message(self) -> str:
        """The whole message, however much of it is shown."""
        return self._message

    def show_message(self, text: str, *, tip: str) -> None:
        """Show ``text`` (cut to the lines there is room for) with ``tip`` as its tooltip."""
        self._message, self._tip = text, tip
        self.updateGeometry()
        self._fit()

    def narrowest_width(self, text: str) -> int:
        """The least width (margins included) that shows ``text`` on ``HINT_LINES`` lines."""
        metrics = self.fontMetrics()
        lines = HINT_LINES * metrics.lineSpacing()
        low, high = 1, metrics.horizontalAdvance(text) + 1
        while low < high:
            middle = (low + high) // 2
            box = metrics.boundingRect(QRect(0, 0, middle, 100 * lines), Qt.TextFlag.TextWordWrap, text)
            low, high = (low, middle) if box.height() <= lines else (middle + 1, high)
        return min(high + self._side_margins() + 2, HINT_MAX_WIDTH)

    def sizeHint(self) -> QSize:
        return QSize(max(self._one_line_width(), self.narrowest_width(self._message)), self._lines_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._one_line_width(), self._lines_height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The message's lines as they fit the label's width, the last one elided when it does not."""
        room = max(1, self.contentsRect().width() - 2 * self.margin())
        layout = QTextLayout(self._message, self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        starts = []
        while len(starts) < HINT_LINES + 1:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(room)
            starts.append(line.textStart())
        layout.endLayout()
        if len(starts) <= HINT_LINES:
            shown = self._message
        else:
            last = starts[HINT_LINES - 1]
            kept = [self._message[begin:end].strip() for begin, end in zip(starts, starts[1:HINT_LINES])]
            rest = self.fontMetrics().elidedText(self._message[last:].strip(), Qt.TextElideMode.ElideRight, room)
            shown = "\n".join([*kept, rest])
        super().setText(shown)
        whole = shown == self._message
        self.setToolTip(self._tip if whole or self._tip == self._message
                        else f"{self._message}\n\n{self._tip}" if self._tip else self._message)

    def _one_line_width(self) -> int:
        return min(self.fontMetrics().horizontalAdvance(SYNTAX_HINT) + self._side_margins() + 2, HINT_MAX_WIDTH)

    def _side_margins(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 2 * self.margin()

    def _lines_height(self) -> int:
        margins = self.contentsMargins()
        return HINT_LINES * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()


class SearchBar(QWidget):
    """The search box with its hint line, which shows the error of a query that cannot run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = SearchBox(self)
        self.hint = HintLabel(SYNTAX_HINT, self)
        self.hint.setObjectName("searchHint")
        self.hint.show_message(SYNTAX_HINT, tip=SYNTAX_HELP)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self._layout.addWidget(self.box, 1)
        self._layout.addWidget(self.hint)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def add_widget(self, widget: QWidget) -> None:
        """Put ``widget`` right of the search box (and of the widgets added before it)."""
        self._layout.insertWidget(self._layout.indexOf(self.hint), widget)

    def show_error(self, message: str) -> None:
        """Show why the current query cannot run, in place of the hint."""
        self._set_invalid(True)
        self._show(message, message)

    def clear_error(self, *, advice: str | None = None) -> None:
        """Back to the syntax hint, or to ``advice`` on how the query was read (not an error)."""
        self._set_invalid(False)
        self._show(advice or SYNTAX_HINT, SYNTAX_HELP)

    @property
    def error(self) -> str | None:
        """The error shown, or None while the hint is shown."""
        return self.hint.message if self.box.property("invalid") else None

    def _show(self, text: str, tip: str) -> None:
        self.hint.show_message(text, tip=tip)

    def _set_invalid(self, invalid: bool) -> None:
        for widget in (self.box, self.hint):
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
