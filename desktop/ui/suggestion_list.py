"""The suggestions list of Entities ▸ Review entities… (``suggestionList``): one row per
suggested correction, read from ``desktop.core.entities.suggestions`` on a worker.

Each row says what would be merged into what ("“Blair” → “Tony Blair”", or "“Mauresmo” is a
person, not an organisation" when only the type differs), why, and the articles of both; its
swatch is the target's type. Keys act on the selected row through the callbacks the review
window gives: Enter or A accepts, Space or S skips.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from desktop.core.entities.suggestions import Suggestion, suggestions
from desktop.core.entities.type_names import a_type
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.undo import plural

from .entity_legend import style_of, swatch_icon

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 1


class SuggestionList(QTreeWidget):
    """The suggestions, one key each: Enter or A calls ``accept``, Space or S ``skip``."""

    ACCEPT = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A})
    SKIP = frozenset({Qt.Key.Key_Space, Qt.Key.Key_S})

    def __init__(self, *, accept: Callable[[], None], skip: Callable[[], None]) -> None:
        super().__init__()
        self._accept, self._skip = accept, skip
        self.setObjectName("suggestionList")
        self.setHeaderLabels(["Suggestion", "Why", "Articles"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and event.key() in self.ACCEPT:
            self._accept()
        elif plain and event.key() in self.SKIP:
            self._skip()
        else:
            super().keyPressEvent(event)

    def show_suggestions(self, found: list[Suggestion], row: int) -> None:
        """List ``found`` and select the one at ``row`` (the last when fewer)."""
        self.clear()
        self.addTopLevelItems([suggestion_item(s) for s in found])
        if found:
            self.setCurrentItem(self.topLevelItem(min(row, len(found) - 1)))

    def texts(self) -> list[str]:
        """The suggestions listed, top to bottom."""
        return [self.topLevelItem(row).text(0) for row in range(self.topLevelItemCount())]


def suggestion_item(suggestion: Suggestion) -> QTreeWidgetItem:
    """The row of ``suggestion``: what goes into what, why, and the articles of both."""
    source, target = suggestion.source, suggestion.target
    if suggestion.kind == "mislabel" and source.name == target.name:
        text = f"“{source.name}” is {a_type(target.label)}, not {a_type(source.label)}"
    else:
        text = f"“{source.name}” → “{target.name}”"
        if source.label != target.label:
            text += f" ({style_of(target.label).title.lower()})"
    item = QTreeWidgetItem([text, suggestion.reason, f"{source.documents} + {target.documents}"])
    item.setIcon(0, swatch_icon(target.label))
    item.setData(0, SUGGESTION_ROLE, suggestion.key)
    item.setToolTip(0, f"Merge {style_of(source.label).title} “{source.name}” into "
                       f"{style_of(target.label).title} “{target.name}”")
    item.setToolTip(1, suggestion.reason)  # the column is often narrower than the reason
    item.setToolTip(2, f"{plural(source.documents, 'article')} with “{source.name}”, "
                       f"{target.documents:,} with “{target.name}”")
    return item


def read_suggestions(library: Library, *, skipped: frozenset[str], progress: ProgressCallback,
                     cancel: CancelToken) -> list[Suggestion]:
    """The suggestions of ``library``, read on a connection of the worker's own."""
    reader = library.connect()
    try:
        return suggestions(reader.db, skipped=skipped)
    finally:
        reader.close()
