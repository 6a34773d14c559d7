"""The sidebar's sections: a titled section that folds away, and the facet section of values.

``Section`` is any titled part of the sidebar (its title folds it when
clicked); ``FacetSection`` lists a facet's values with their counts
(``FacetModel``), with a box to filter them once there are many, and reports
which value the person includes or excludes, by a click or from the keyboard
(``FacetList``: Tab, or Down in the filter box, reaches the list, Enter or Space
includes the value, Delete leaves it out; Up on its first value goes back to the
filter box). A value too long for the sidebar is cut at its end, as names are
read from their start, and its tooltip holds it whole.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.facets import Facet, shown_values, value_label

from .theme import icon

Index = QModelIndex | QPersistentModelIndex

FILTER_BOX_THRESHOLD = 8
VISIBLE_VALUES = 10


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ROLES_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _DECORATION, _FONT, _ALIGNMENT})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


class FacetModel(QAbstractTableModel):
    """(value, count) rows of one facet; the last column is the exclude control.

    Values are shown through ``value_label`` and reported as stored.
    """

    VALUE, COUNT, EXCLUDE = range(3)

    def __init__(self, facet: str) -> None:
        super().__init__()
        self._facet = facet
        self._rows: list[tuple[str, int]] = []
        self._labels: list[str] = []
        self._counts: list[str] = []
        self._included: frozenset[str] = frozenset()

    def set_counts(self, rows: Sequence[tuple[str, int]], *, included: frozenset[str]) -> None:
        """Show these (value, count) rows; ``included`` values are drawn as selected."""
        self.beginResetModel()
        self._rows = list(rows)
        self._labels = [value_label(self._facet, value) for value, _ in self._rows]
        self._counts = [f"{count:,}" for _, count in self._rows]
        self._included = included
        self.endResetModel()

    def value_at(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def values(self) -> list[tuple[str, int]]:
        """The rows shown, in order."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Called for every role of every cell at each repaint, so the labels are made once in
        ``set_counts`` and the roles asked most and answered with nothing return first."""
        row = index.row()
        if role not in _ROLES_ANSWERED or not 0 <= row < len(self._rows):
            return None
        column = index.column()
        if role == _DISPLAY:
            return self._labels[row] if column == self.VALUE else self._counts[row] if column == self.COUNT else None
        if role == _ALIGNMENT:
            return _RIGHT if column == self.COUNT else None
        if role == _TOOLTIP:
            count = self._rows[row][1]
            noun = "article" if count == 1 else "articles"
            if column == self.EXCLUDE:
                return f"{self._labels[row]}\nLeave out the {count:,} {noun} with it"
            return f"{self._labels[row]}\nShow only the {count:,} {noun} with it"
        if role == _DECORATION and column == self.EXCLUDE:
            return icon("exclude")
        if role == _FONT and column == self.VALUE and self._rows[row][0] in self._included:
            font = QFont()
            font.setBold(True)
            return font
        return None


class SectionTitle(QLabel):
    """A section's title with an arrow; clicking it folds the section away or opens it."""

    clicked = Signal()

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setProperty("class", "sectionTitle")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to fold or unfold this section")
        self._title = text.upper()
        self._collapsed = False
        self._show()

    def set_title(self, text: str) -> None:
        self._title = text.upper()
        self._show()

    def set_collapsed(self, collapsed: bool) -> None:
        self._collapsed = collapsed
        self._show()

    def _show(self) -> None:
        self.setText(f"{'▸' if self._collapsed else '▾'} {self._title}")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()


class Section(QWidget):
    """A titled part of the sidebar (``key`` names it in the settings) that folds away."""

    collapsed_changed = Signal(str, bool)

    def __init__(self, key: str, title: str, *, action: QWidget | None = None) -> None:
        super().__init__()
        self.key = key
        self.title = SectionTitle(title)
        self.title.clicked.connect(lambda: self._fold(not self.collapsed))
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        if action is not None:
            head.addWidget(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.body)

    @property
    def collapsed(self) -> bool:
        return self.body.isHidden()

    def set_collapsed(self, collapsed: bool) -> None:
        """Fold the section away (True) or show its content, without telling anyone."""
        self.title.set_collapsed(collapsed)
        self.body.setVisible(not collapsed)

    def _fold(self, collapsed: bool) -> None:
        self.set_collapsed(collapsed)
        self.collapsed_changed.emit(self.key, collapsed)


class FacetFilterBox(QLineEdit):
    """The box that filters a facet's values; Down emits ``down_pressed`` (on to the values)."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class FacetList(QTreeView):
    """A facet's values: Tab reaches it, the arrows move through it, Enter or Space includes
    the current value and Delete leaves it out, as clicking the value or its button does;
    Up on the first value emits ``up_from_top``."""

    include_pressed = Signal(int)
    exclude_pressed = Signal(int)
    up_from_top = Signal()

    INCLUDE_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})
    EXCLUDE_KEYS = frozenset({Qt.Key.Key_Delete, Qt.Key.Key_Minus})

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        if row >= 0 and event.key() in self.INCLUDE_KEYS:
            self.include_pressed.emit(row)
        elif row >= 0 and event.key() in self.EXCLUDE_KEYS:
            self.exclude_pressed.emit(row)
        elif row <= 0 and event.key() == Qt.Key.Key_Up and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.up_from_top.emit()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if not self.currentIndex().isValid() and self.model().rowCount():
            self.setCurrentIndex(self.model().index(0, FacetModel.VALUE))
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self)


class FacetSection(Section):
    """One facet: a filter box for long lists, its values with counts, include and exclude."""

    include_requested = Signal(str, str)
    exclude_requested = Signal(str, str)
    contains_changed = Signal(str, str)

    def __init__(self, facet: Facet) -> None:
        super().__init__(facet.name, facet.title)
        self.facet = facet
        self.setObjectName(f"facet-{facet.name}")
        self.filter_box = FacetFilterBox()
        self.filter_box.setProperty("class", "facetFilter")
        self.filter_box.setPlaceholderText(f"Filter {facet.title.lower()}…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda text: self.contains_changed.emit(facet.name, text))
        self.filter_box.hide()
        self.model = FacetModel(facet.name)
        self.view = FacetList()
        self.view.setProperty("class", "facetList")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click on a value leaves the typing where it was
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(FacetModel.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FacetModel.COUNT, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(FacetModel.COUNT, self.fontMetrics().horizontalAdvance("000,000") + 8)
        header.setSectionResizeMode(FacetModel.EXCLUDE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(FacetModel.EXCLUDE, 24)
        self.view.clicked.connect(self._clicked)
        self.view.include_pressed.connect(lambda row: self._chosen(row, exclude=False))
        self.view.exclude_pressed.connect(lambda row: self._chosen(row, exclude=True))
        self.filter_box.down_pressed.connect(self._down_to_values)
        self.view.up_from_top.connect(self._up_to_filter_box)
        self.empty = QLabel("No matches.")
        self.empty.setProperty("class", "emptyNote")
        for widget in (self.filter_box, self.view, self.empty):
            self.body_layout.addWidget(widget)

    def set_counts(self, rows: Sequence[tuple[str, int]], *, included: frozenset[str]) -> None:
        """Show the counts of this facet's values over the current results.

        A facet with no values (and nothing typed in its filter box) is hidden.
        """
        rows = shown_values(self.facet.name, rows)
        self.model.set_counts(rows, included=included)
        filtering = bool(self.filter_box.text())
        self.filter_box.setVisible(len(rows) > FILTER_BOX_THRESHOLD or filtering)
        self.view.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.setVisible(bool(rows) or filtering)
        row_height = max(self.view.sizeHintForRow(0), 20) if rows else 20
        self.view.setFixedHeight(row_height * min(len(rows), VISIBLE_VALUES) + 4)

    def _down_to_values(self) -> None:
        if self.view.isVisible():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _up_to_filter_box(self) -> None:
        if self.filter_box.isVisible():
            self.filter_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clicked(self, index: QModelIndex) -> None:
        self._chosen(index.row(), exclude=index.column() == FacetModel.EXCLUDE)

    def _chosen(self, row: int, *, exclude: bool) -> None:
        value = self.model.value_at(row)
        if value is None:
            return
        (self.exclude_requested if exclude else self.include_requested).emit(self.facet.name, value)
