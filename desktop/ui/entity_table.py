"""The entity review's table: its model, read a page at a time, and the filter line above it.

``EntityTableModel`` lists the entities of the library (name, type, articles,
mentions, origin, other spellings), filtered and sorted by
``desktop.core.entities.review`` from the counts as they are (never counting every mention on
the window's thread: the review counts them in the background); ``TableFilterLine`` is the filter box whose
Down key moves into the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTableView
from sqlite_utils import Database

from desktop.core.entities.review import PAGE, review_count, review_rows
from desktop.core.errors import DossierError

from .entity_legend import style_of, swatch_icon

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (("name", "Name"), ("label", "Type"), ("documents", "Articles"), ("mentions", "Mentions"),
           ("origin", "Origin"), ("spellings", "Other spellings"))
NUMBERS = frozenset({"documents", "mentions"})


class EntityTableModel(QAbstractTableModel):
    """The review table: a page of rows at a time, filtered and sorted by the core."""

    def __init__(self, db: Callable[[], Database], parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self.text = ""
        self.label: str | None = None
        self.sort_key = "documents"
        self.descending = True

    def reload(self) -> None:
        """Read the first rows again (as many as were shown) under the current filter and sort."""
        wanted = max(PAGE, len(self._rows))
        self.beginResetModel()
        try:
            self._total = review_count(self._db(), text=self.text, label=self.label, recount=False)
            self._rows = review_rows(self._db(), text=self.text, label=self.label, sort=self.sort_key,
                                     descending=self.descending, limit=wanted, recount=False)
        except DossierError:
            self._rows, self._total = [], 0
        self.endResetModel()

    def set_filter(self, text: str, label: str | None) -> None:
        self.text, self.label = text, label
        self._rows = []
        self.reload()

    @property
    def total(self) -> int:
        return self._total

    def row_at(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.InitialSortOrderRole and COLUMNS[section][0] in NUMBERS:
            return Qt.SortOrder.DescendingOrder  # a count's first click lists the most first
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = review_rows(self._db(), text=self.text, label=self.label, sort=self.sort_key,
                           descending=self.descending, limit=PAGE, offset=len(self._rows), recount=False)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    @staticmethod
    def sortable(column: int) -> bool:
        """True for the columns the core sorts by (all but the other spellings)."""
        return 0 <= column < len(COLUMNS) and COLUMNS[column][0] != "spellings"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return
        self.sort_key = COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, key = self._rows[index.row()], COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = style_of(row["label"]).title if key == "label" else row[key]
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and key == "name":
            return swatch_icon(row["label"])
        return None


class TableFilterLine(QLineEdit):
    """The filter: Down (or Enter) moves into the table below."""

    def __init__(self, table: QTableView) -> None:
        super().__init__()
        self._table = table

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._table.model().rowCount():
            self._table.setFocus()
            if not self._table.selectionModel().hasSelection():
                self._table.selectRow(0)
            return
        super().keyPressEvent(event)
