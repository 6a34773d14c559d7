"""The suggestions list of Entities ▸ Review entities… (``suggestionList``): one row per
suggested correction, read from ``desktop.core.entities.suggestions`` on a worker (in a process of
its own: ``suggestions_apart``).

Each row says what would be merged into what ("“Blair” → “Tony Blair”", or "“Mauresmo” is a
person, not an organisation" when only the type differs), why, and the articles of both; its
swatch is the target's type. Keys act on the selected row through the callbacks the review
window gives: Enter or A accepts, Space or S skips.

A library of 100,000 articles has thousands of suggestions, listed again after every correction:
``SuggestionModel`` holds them as a plain list and makes a row's text only when the row is drawn,
so listing them again costs the same for ten as for ten thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from desktop.core.entities.suggestions import Suggestion
from desktop.core.entities.suggestions_apart import suggestions_apart
from desktop.core.entities.type_names import a_type
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.undo import plural

from .entity_legend import style_of, swatch_icon

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Suggestion", "Why", "Articles")
WHY_WIDTH = 220
WIDEST_ARTICLES = "00000 + 00000"  # the articles' column is sized for these (sizing it to its contents read every row)
Index = QModelIndex | QPersistentModelIndex


class SuggestionModel(QAbstractTableModel):
    """The suggestions as rows of three columns, each text made when it is asked for."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Suggestion] = []

    def set_suggestions(self, found: list[Suggestion]) -> None:
        """List ``found`` instead of the suggestions listed now."""
        self.beginResetModel()
        self._rows = list(found)
        self.endResetModel()

    @property
    def listed(self) -> list[Suggestion]:
        """The suggestions listed, top to bottom."""
        return self._rows

    def suggestion_at(self, row: int) -> Suggestion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        suggestion = self.suggestion_at(index.row()) if index.isValid() else None
        if suggestion is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (suggestion_text(suggestion), suggestion.reason,
                    f"{suggestion.source.documents} + {suggestion.target.documents}")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return suggestion_tips(suggestion)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return swatch_icon(suggestion.target.label)
        if role == SUGGESTION_ROLE and column == 0:
            return suggestion.key
        return None


class SuggestionList(QTableView):
    """The suggestions, one key each: Enter or A calls ``accept``, Space or S ``skip``. A table
    drawn as a list: a tree view lays out every row again each time the list changes."""

    ACCEPT = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A})
    SKIP = frozenset({Qt.Key.Key_Space, Qt.Key.Key_S})

    def __init__(self, *, accept: Callable[[], None], skip: Callable[[], None]) -> None:
        super().__init__()
        self._accept, self._skip = accept, skip
        self.setObjectName("suggestionList")
        self.suggestions = SuggestionModel(self)
        self.setModel(self.suggestions)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as it leaves the table
        self.setCornerButtonEnabled(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, WHY_WIDTH)
        header.resizeSection(2, max(header.sectionSizeHint(2),
                                    self.fontMetrics().horizontalAdvance(WIDEST_ARTICLES) + 16))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and event.key() in self.ACCEPT:
            self._accept()
        elif plain and event.key() in self.SKIP:
            self._skip()
        else:
            super().keyPressEvent(event)

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and the last suggestion, as in a list (not along the row)."""
        if cursorAction in (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd) \
                and self.suggestions.rowCount():
            last = cursorAction == QAbstractItemView.CursorAction.MoveEnd
            return self.suggestions.index(self.suggestions.rowCount() - 1 if last else 0, 0)
        return super().moveCursor(cursorAction, modifiers)

    def show_suggestions(self, found: list[Suggestion], row: int) -> None:
        """List ``found`` and select the one at ``row`` (the last when fewer), keeping the list
        scrolled where it was."""
        scrolled = self.verticalScrollBar().value()
        self.suggestions.set_suggestions(found)
        if found:
            self.verticalScrollBar().setValue(scrolled)
            index = self.suggestions.index(min(row, len(found) - 1), 0)
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.scrollTo(index)

    def show_keeping(self, found: list[Suggestion], *, row: int, key: str | None) -> None:
        """List ``found`` and select the suggestion ``key`` when it is among them, else the one at ``row``."""
        self.show_suggestions(found, next((n for n, s in enumerate(found) if s.key == key), row))

    def take_off(self, entity_ids: Collection[int], *, chosen: Suggestion | None = None) -> None:
        """Take off ``chosen`` and every suggestion about one of ``entity_ids`` (a correction made
        them stale), keeping the selected one (or its row) selected."""
        current = self.current()
        listed = self.suggestions.listed
        kept = [s for s in listed if s is not chosen
                and s.source.entity_id not in entity_ids and s.target.entity_id not in entity_ids]
        if len(kept) < len(listed):
            self.show_keeping(kept, row=current[0] if current else 0,
                              key=current[1].key if current else None)

    def current(self) -> tuple[int, Suggestion] | None:
        """The selected suggestion and its row."""
        row = self.currentIndex().row()
        suggestion = self.suggestions.suggestion_at(row)
        return None if suggestion is None else (row, suggestion)

    def texts(self) -> list[str]:
        """The suggestions listed, top to bottom."""
        model = self.suggestions
        return [model.index(row, 0).data() for row in range(model.rowCount())]


def suggestion_text(suggestion: Suggestion) -> str:
    """What goes into what: "“Blair” → “Tony Blair”", or "“Mauresmo” is a person, not an organisation"."""
    source, target = suggestion.source, suggestion.target
    if suggestion.kind == "mislabel" and source.name == target.name:
        return f"“{source.name}” is {a_type(target.label)}, not {a_type(source.label)}"
    text = f"“{source.name}” → “{target.name}”"
    if source.label != target.label:
        text += f" ({style_of(target.label).title.lower()})"
    return text


def suggestion_tips(suggestion: Suggestion) -> tuple[str, str, str]:
    """The tooltips of the three columns (the reason's column is often narrower than the reason)."""
    source, target = suggestion.source, suggestion.target
    return (f"Merge {style_of(source.label).title} “{source.name}” into "
            f"{style_of(target.label).title} “{target.name}”",
            suggestion.reason,
            f"{plural(source.documents, 'article')} with “{source.name}”, "
            f"{target.documents:,} with “{target.name}”")


def read_suggestions(library: Library, *, skipped: frozenset[str], progress: ProgressCallback,
                     cancel: CancelToken) -> list[Suggestion]:
    """The suggestions of ``library``, found in a process of their own (``suggestions_apart``)."""
    return suggestions_apart(library, skipped=skipped, cancel=cancel)
