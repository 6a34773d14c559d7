"""The merge picker (object name ``mergePicker``): which entity is this one the same as?

A filter box (``mergeFilter``) with the focus above the candidates (``mergeCandidates``),
ranked by ``desktop.core.entities.candidate_pool``: the likeliest first, each with its type
and how many articles mention it, leftovers of page navigation last. Typing narrows the list
at once and selects the best match; with nothing typed only a clearly likely candidate is
preselected. Enter (or a double click, or Merge) chooses the selected entity and does nothing
when none is selected; Esc cancels. The picker is window-modal and opened with ``open()``:
``MergePicker.ask`` returns at once and hands the chosen entity id to ``then``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.entities import Candidate, CandidatePool, clear_best
from desktop.core.undo import plural

from .entity_legend import style_of, swatch_icon
from .theme import LIGHT, Theme

SHOWN = 200
"""Candidates listed at most; typing narrows the rest."""
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1
NAME, TYPE, ARTICLES = range(3)
_MOVES = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})


class _FilterBox(QLineEdit):
    """The filter line: the arrow and page keys move through the list below it."""

    def __init__(self, target: QAbstractItemView) -> None:
        super().__init__()
        self._target = target

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _MOVES:
            QApplication.sendEvent(self._target, event)
            return
        super().keyPressEvent(event)


class MergePicker(QDialog):
    """Choose the entity another one is the same as (see the module docstring)."""

    def __init__(self, parent: QWidget | None, *, pool: CandidatePool, title: str, question: str,
                 keep_chosen: bool = True, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("mergePicker")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(560, 440)
        self._pool = pool
        self._theme = theme
        self._keep_chosen = keep_chosen
        self._chosen: int | None = None
        self.candidates = QTreeWidget()
        self.candidates.setObjectName("mergeCandidates")
        self.candidates.setHeaderLabels(["Name", "Type", "Articles"])
        self.candidates.setRootIsDecorated(False)
        self.candidates.setUniformRowHeights(True)
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.candidates.setAllColumnsShowFocus(True)
        header = self.candidates.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ARTICLES, QHeaderView.ResizeMode.ResizeToContents)
        self.candidates.itemDoubleClicked.connect(lambda _item, _column: self.choose())
        self.candidates.itemSelectionChanged.connect(self._selection_changed)
        self.filter = _FilterBox(self.candidates)
        self.filter.setObjectName("mergeFilter")
        self.filter.setPlaceholderText("Type part of a name to narrow the list")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.narrow)
        self.hint = QLabel()
        self.hint.setObjectName("mergeHint")
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.merge_button, cancel):
            button.setAutoDefault(False)
        self.merge_button.clicked.connect(lambda _checked=False: self.choose())
        cancel.clicked.connect(lambda _checked=False: self.reject())
        question_label = QLabel(question)
        question_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(question_label)
        layout.addWidget(self.filter)
        layout.addWidget(self.candidates, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.narrow("")
        self.filter.setFocus()

    @classmethod
    def ask(cls, parent: QWidget, *, pool: CandidatePool, title: str, question: str,
            then: Callable[[int], None], keep_chosen: bool = True, theme: Theme = LIGHT) -> None:
        """Open the picker over ``parent`` (window-modal) and return at once; ``then(entity_id)``
        runs when the person chooses an entity, nothing runs when they cancel. ``keep_chosen``: the
        chosen entity keeps its name (False: the chosen one is merged into the pool's entity)."""
        picker = cls(parent, pool=pool, title=title, question=question, keep_chosen=keep_chosen, theme=theme)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.accepted.connect(lambda: then(picker.chosen_id()) if picker.chosen_id() is not None else None)
        picker.open()

    def chosen_id(self) -> int | None:
        """The entity chosen (None until the person chooses one)."""
        return self._chosen

    def names(self) -> list[str]:
        """The names listed, in order."""
        return [self.candidates.topLevelItem(row).text(NAME) for row in range(self.candidates.topLevelItemCount())]

    def selected_name(self) -> str | None:
        """The name selected, or None."""
        items = self.candidates.selectedItems()
        return items[0].text(NAME) if items else None

    def narrow(self, text: str) -> None:
        """List the candidates matching ``text``; select the best match of a typed text, or with
        nothing typed the clearly likely one only."""
        selection = self._pool.select(text, limit=SHOWN)
        shown = selection.candidates
        self.candidates.clear()
        self.candidates.addTopLevelItems([self._item(candidate) for candidate in shown])
        best = shown[0] if shown and text.strip() else clear_best(shown, keep_candidate=self._keep_chosen)
        if best is not None:
            self.candidates.setCurrentItem(self.candidates.topLevelItem(shown.index(best)))
        else:
            self.candidates.setCurrentIndex(QModelIndex())
            self.candidates.clearSelection()
        self._show_hint(text, shown=len(shown), total=selection.total)
        self._selection_changed()

    def _item(self, candidate: Candidate) -> QTreeWidgetItem:
        style = style_of(candidate.label)
        item = QTreeWidgetItem([candidate.name, style.title, str(candidate.documents)])
        item.setIcon(NAME, swatch_icon(candidate.label, theme=self._theme))
        item.setTextAlignment(ARTICLES, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setData(NAME, ENTITY_ROLE, candidate.entity_id)
        item.setToolTip(NAME, f"{style.title}: {candidate.name} — {candidate.reason}, "
                              f"{plural(candidate.documents, 'article')}")
        return item

    def _show_hint(self, text: str, *, shown: int, total: int) -> None:
        if not total:
            self.hint.setText(f"No entity matches “{text.strip()}”." if text.strip() else "No other entity.")
        elif shown < total:
            self.hint.setText(f"Showing the {shown} likeliest of {total} — type to narrow the list.")
        else:
            self.hint.setText("Enter merges into the selected entity; Esc cancels.")

    def _selection_changed(self) -> None:
        self.merge_button.setEnabled(bool(self.candidates.selectedItems()))

    def choose(self) -> None:
        """Merge into the selected entity (nothing happens when none is selected)."""
        items = self.candidates.selectedItems()
        if not items or not self.isVisible() or self._chosen is not None:
            return
        self._chosen = items[0].data(NAME, ENTITY_ROLE)
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose()
            return
        super().keyPressEvent(event)
