"""The panel beside the reader (``annotationPanel``): the article's note and its highlights in reading order.

Each highlight is a card with its colour, its quote and its note, editable in
place. A note is reported for saving a moment after typing pauses
(``NOTE_SAVE_MS``), when its editor loses the focus, on Esc, and on ``flush()``
(the window calls it before closing), so at most the last second of typing can be
lost. Esc in a note box leaves it: the panel emits ``note_left`` and its owner
puts the focus back where the person reads. Highlights whose passage is no
longer in the text (orphaned) are listed last with a notice. The panel only
shows and reports; the owner writes to the library and calls ``set_article``
again with what is stored.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.annotations import short_quote

from .highlight_bar import add_colour_actions, swatch_icon

NOTE_SAVE_MS = 600
PANEL_MIN_WIDTH = 260
QUOTE_CHARACTERS = 280
ORPHAN_NOTICE = "This passage is no longer in the article's text."


class NoteEdit(QPlainTextEdit):
    """A note editor that emits ``note_changed(text)`` once typing pauses, on focus loss, on Esc and
    on ``flush()``; Esc also emits ``escape_pressed`` (the text typed is kept)."""

    note_changed = Signal(str)
    escape_pressed = Signal()

    def __init__(self, *, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self._dirty = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_SAVE_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._edited)

    @property
    def pending(self) -> bool:
        """True while typed text has not been reported yet."""
        return self._dirty

    def set_note(self, note: str | None) -> None:
        """Show the stored ``note`` unless the person has typed something not yet saved."""
        text = note or ""
        if self._dirty or text == self.toPlainText():
            return
        self._loading = True
        self.setPlainText(text)
        self._loading = False

    def flush(self) -> None:
        """Report the typed text now if it has not been reported."""
        self._timer.stop()
        if self._dirty:
            self._dirty = False
            self.note_changed.emit(self.toPlainText())

    def _edited(self) -> None:
        if not self._loading:
            self._dirty = True
            self._timer.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.flush()
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)


def _colour_strip(hex_colour: str) -> QFrame:
    strip = QFrame()
    strip.setFixedWidth(5)
    strip.setStyleSheet(f"background-color: {hex_colour}; border-radius: 2px;")
    return strip


class HighlightCard(QFrame):
    """One highlight: colour strip, quote (click to go there), note editor, colour and delete buttons."""

    activated = Signal(int)
    note_edited = Signal(int, str)
    colour_changed = Signal(int, str)
    delete_requested = Signal(int)

    def __init__(self, highlight: dict[str, Any]) -> None:
        super().__init__()
        self.annotation_id: int = highlight["id"]
        self.setObjectName("highlightCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setObjectName("highlightQuote")
        self.notice = QLabel(ORPHAN_NOTICE)
        self.notice.setObjectName("orphanNotice")
        self.notice.setWordWrap(True)
        self.editor = NoteEdit(placeholder="Note…")
        self.editor.setFixedHeight(58)
        self.editor.setCursor(Qt.CursorShape.IBeamCursor)
        self.editor.note_changed.connect(lambda text: self.note_edited.emit(self.annotation_id, text))
        self.colour_button = QToolButton()
        self.colour_button.setToolTip("Change the colour")
        self.colour_button.setAutoRaise(True)
        self.colour_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.colour_button)
        add_colour_actions(menu, lambda chosen: self.colour_changed.emit(self.annotation_id, chosen))
        self.colour_button.setMenu(menu)
        self.delete_button = QToolButton()
        self.delete_button.setObjectName("deleteHighlight")
        self.delete_button.setText("Delete")
        self.delete_button.setToolTip("Delete this highlight and its note (Ctrl+Z brings it back)")
        self.delete_button.setAutoRaise(True)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.annotation_id))
        self._strip_layout = QHBoxLayout(self)
        self._strip_layout.setContentsMargins(6, 6, 6, 6)
        self._strip = _colour_strip(highlight["colour_hex"])
        self._strip_layout.addWidget(self._strip)
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addWidget(self.quote)
        body.addWidget(self.notice)
        body.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addWidget(self.colour_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        body.addLayout(buttons)
        self._strip_layout.addLayout(body, 1)
        self.update_from(highlight)

    def update_from(self, highlight: dict[str, Any]) -> None:
        """Show the stored state of the highlight (a note being typed is kept)."""
        self.quote.setText(f"“{short_quote(highlight['quote'], length=QUOTE_CHARACTERS)}”")
        self.quote.setToolTip("Show this passage in the article")
        self.notice.setVisible(bool(highlight["orphaned"]))
        self._strip.setStyleSheet(f"background-color: {highlight['colour_hex']}; border-radius: 2px;")
        self.colour_button.setIcon(swatch_icon(highlight["colour_hex"]))
        self.editor.set_note(highlight["note"])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.annotation_id)
        super().mousePressEvent(event)


class AnnotationPanel(QWidget):
    """The article's own note and its highlights, beside the reader.

    ``note_left(annotation_id)`` says Esc left a note box: the highlight's id, or None for
    the article's note."""

    highlight_activated = Signal(int)
    note_left = Signal(object)
    note_edited = Signal(int, str)
    colour_changed = Signal(int, str)
    delete_requested = Signal(int)
    document_note_edited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        self.doc_id: int | None = None
        self.cards: dict[int, HighlightCard] = {}
        self.document_note = NoteEdit(placeholder="A note on the whole article…")
        self.document_note.setObjectName("documentNote")
        self.document_note.setFixedHeight(84)
        self.document_note.note_changed.connect(self._document_note_changed)
        self.document_note.escape_pressed.connect(lambda: self.note_left.emit(None))
        self.heading = QLabel()
        self.heading.setObjectName("highlightsHeading")
        self.hint = QLabel("Select text in the article to highlight it or add a note.")
        self.hint.setObjectName("emptyNote")
        self.hint.setWordWrap(True)
        self._cards_box = QVBoxLayout()
        self._cards_box.setSpacing(6)
        container = QWidget()
        inner = QVBoxLayout(container)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self._cards_box)
        inner.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(container)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the notes in it, not to the list
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(QLabel("Article note"))
        layout.addWidget(self.document_note)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.scroll, 1)
        self.set_article(None, note=None, highlights=[])

    def set_article(self, doc_id: int | None, *, note: str | None, highlights: Sequence[dict[str, Any]]) -> None:
        """Show article ``doc_id``'s note and highlights (reading order, orphaned last).

        Showing another article first reports any note still being typed.
        """
        if doc_id != self.doc_id:
            self.flush()
            self.doc_id = doc_id
            self._rebuild(highlights)
            self.document_note.set_note(note)
        elif [h["id"] for h in highlights] != list(self.cards):
            self._rebuild(highlights)
            self.document_note.set_note(note)
        else:
            for highlight in highlights:
                self.cards[highlight["id"]].update_from(highlight)
            self.document_note.set_note(note)
        self.document_note.setEnabled(doc_id is not None)
        count = len(highlights)
        self.heading.setText("Highlights" if not count else f"Highlights ({count})")
        self.hint.setVisible(doc_id is not None and not count)

    def _rebuild(self, highlights: Sequence[dict[str, Any]]) -> None:
        """Cards for ``highlights``. When the keyboard was in a card that goes (its Delete pressed),
        it goes on to the note of the card now in its place, or back to the article."""
        focused = QApplication.focusWidget()
        place = None if focused is None else next(
            (number for number, card in enumerate(self.cards.values()) if card.isAncestorOf(focused)), None)
        for card in self.cards.values():
            card.editor.flush()
            self._cards_box.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = {}
        for highlight in highlights:
            card = HighlightCard(highlight)
            card.activated.connect(self.highlight_activated)
            card.note_edited.connect(self.note_edited)
            card.colour_changed.connect(self.colour_changed)
            card.delete_requested.connect(self.delete_requested)
            card.editor.escape_pressed.connect(lambda ann_id=highlight["id"]: self.note_left.emit(ann_id))
            self._cards_box.addWidget(card)
            self.cards[highlight["id"]] = card
        if place is not None:
            self._focus_card(place)

    def _focus_card(self, place: int) -> None:
        cards = list(self.cards.values())
        if not cards:
            self.note_left.emit(None)
            return
        card = cards[min(place, len(cards) - 1)]
        card.show()
        card.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def note_editor(self, annotation_id: int) -> NoteEdit | None:
        """The note editor of a highlight shown in the panel, or None."""
        card = self.cards.get(annotation_id)
        return card.editor if card is not None else None

    def focus_note(self, annotation_id: int) -> None:
        """Scroll to a highlight's card and put the cursor at the end of its note."""
        card = self.cards.get(annotation_id)
        if card is None:
            return
        self.scroll.ensureWidgetVisible(card)
        card.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        card.editor.moveCursor(card.editor.textCursor().MoveOperation.End)

    def flush(self) -> None:
        """Report every note still being typed (before closing or switching article)."""
        self.document_note.flush()
        for card in self.cards.values():
            card.editor.flush()

    def _document_note_changed(self, text: str) -> None:
        if self.doc_id is not None:
            self.document_note_edited.emit(self.doc_id, text)
