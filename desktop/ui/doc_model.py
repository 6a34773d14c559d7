"""The article list: its table model (result ids in memory, rows fetched page by page as
drawn) and its view.

The model holds the ids of the current result (in the order SQL sorted them)
and reveals them to the view in batches (``canFetchMore`` / ``fetchMore``).
Row fields are loaded with ``desktop.core.search.fetch_rows`` one page at a
time when a row is drawn, and only a bounded number of pages is kept, so
scrolling a 100,000-article result never holds the corpus in memory.

Each model has its own columns, the built-in ``COLUMNS`` first;
``add_column(Column(...))`` adds one (tags, reading state) and tells the views;
a column with ``fetch`` loads its own values in bulk for a page of ids.
Clicking a header does not sort in Python: the model emits
``sort_requested(sort_key, descending)`` and the window reruns the search
ordered in SQL.

Rows can be dragged: the drag carries the selected article ids as
``ARTICLE_MIME`` (``article_mime`` builds it, ``article_ids`` reads it back),
which a drop target such as a tag accepts.

The view keeps the person's place by article id, not by row number: whenever
the model is reset with a new list of ids (a refresh, a re-sorted or changed
result) the view puts back its ``ListPlace`` — the current article, the
selected articles that are still listed, and the articles on screen where they
were. Only rows that leave the list leave the selection; ``successor_of``
names the article that takes the place of one that left.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Collection, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget
from sqlite_utils import Database

from desktop.core.search import fetch_rows

from .errors import message_for

Row = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ARTICLE_MIME = "application/x-dossier-article-ids"
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TITLE_PADDING = 16
FEW_IDS = 16  # ``rows_of`` looks these few up one by one instead of walking the whole list


@dataclass(frozen=True)
class Column:
    """One list column.

    ``key`` names the value in a row dict; ``sort_key`` is the ``SORT_KEYS``
    entry the search sorts by (None: not sortable); ``display`` turns a row
    into the cell text; ``fetch(db, ids) -> {id: value}`` loads values that
    ``fetch_rows`` does not return, stored in the row under ``key``.
    """

    key: str
    header: str
    sort_key: str | None
    display: Callable[[Row], str]
    width: int = 120
    align: Qt.AlignmentFlag = LEFT
    fetch: Callable[[Database, list[int]], dict[int, Any]] | None = None


def _text(key: str) -> Callable[[Row], str]:
    return lambda row: str(row.get(key) or "")


def _date(row: Row) -> str:
    return str(row.get("published") or "")[:10]


def _words(row: Row) -> str:
    count = row.get("word_count")
    return f"{count:,}" if isinstance(count, int) else ""


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", "title", _text("title"), width=300),
    Column("published", "Published", "published", _date, width=88),
    Column("source", "Source", "source", _text("source"), width=90),
    Column("author", "Author", "author", _text("author"), width=90),
    Column("word_count", "Words", "word_count", _words, width=62, align=RIGHT),
)


def article_mime(ids: Sequence[int]) -> QMimeData:
    """Drag data carrying article ids (the list is the drag source, a tag the target)."""
    mime = QMimeData()
    mime.setData(ARTICLE_MIME, json.dumps(list(ids)).encode("ascii"))
    mime.setText("\n".join(str(i) for i in ids))
    return mime


def article_ids(mime: QMimeData) -> list[int]:
    """The article ids carried by drag data, or [] when it carries none."""
    if not mime.hasFormat(ARTICLE_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(ARTICLE_MIME).data()).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


class DocumentListModel(QAbstractTableModel):
    """Result ids of the current search, shown in batches, rows loaded in pages."""

    BATCH = 2000
    PAGE = 100
    MAX_PAGES = 30

    sort_requested = Signal(str, bool)

    def __init__(self, db: Database, *, columns: Sequence[Column] | None = None) -> None:
        super().__init__()
        self._db = db
        self.columns = list(columns if columns is not None else COLUMNS)
        self._ids: list[int] = []
        self._shown = 0
        self._pages: OrderedDict[int, dict[int, Row]] = OrderedDict()

    def add_column(self, column: Column, *, position: int | None = None) -> int:
        """Show ``column`` at ``position`` (default last); returns its number.

        Views are told through ``beginInsertColumns``; rows already loaded are
        fetched again so the new column's ``fetch`` runs for them.
        """
        if any(existing.key == column.key for existing in self.columns):
            raise ValueError(f"the list already has a column named {column.key!r}")
        number = len(self.columns) if position is None else max(0, min(position, len(self.columns)))
        self.beginInsertColumns(QModelIndex(), number, number)
        self.columns.insert(number, column)
        self._pages.clear()
        self.endInsertColumns()
        return number

    def column_of_key(self, key: str) -> int:
        """The number of the column showing ``key``, or -1."""
        return next((n for n, column in enumerate(self.columns) if column.key == key), -1)

    def set_database(self, db: Database) -> None:
        """Read rows from ``db`` from now on (after switching libraries); clears the list."""
        self._db = db
        self.set_ids([])

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show ``ids`` in this order; the first batch is revealed, rows load when drawn."""
        self.beginResetModel()
        self._ids = list(ids)
        self._shown = min(len(self._ids), self.BATCH)
        self._pages.clear()
        self.endResetModel()

    @property
    def ids(self) -> list[int]:
        """Every id of the current result, in list order (shown or not yet revealed)."""
        return self._ids

    def id_at(self, row: int) -> int | None:
        """The article id shown at ``row``, or None outside the list."""
        return self._ids[row] if 0 <= row < self._shown else None

    def row_of(self, doc_id: int, *, reveal: bool = True) -> int | None:
        """The row of ``doc_id`` in the result (revealing it if needed), or None."""
        try:
            row = self._ids.index(doc_id)
        except ValueError:
            return None
        if reveal:
            self.reveal(row + 1)
        return row

    def rows_of(self, doc_ids: Collection[int]) -> dict[int, int]:
        """The rows of those of ``doc_ids`` in the result (revealing them if needed), by id."""
        wanted = set(doc_ids)
        if len(wanted) <= FEW_IDS:  # the current or selected articles: a scan in C each
            rows = {doc_id: row for doc_id in wanted if (row := self.row_of(doc_id, reveal=False)) is not None}
        else:
            rows = {doc_id: row for row, doc_id in enumerate(self._ids) if doc_id in wanted}
        if rows:
            self.reveal(max(rows.values()) + 1)
        return rows

    def reveal(self, count: int) -> None:
        """Make at least ``count`` rows visible to the view (bounded by the result size)."""
        target = min(count, len(self._ids))
        if target > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, target - 1)
            self._shown = target
            self.endInsertRows()

    def invalidate(self, doc_ids: Sequence[int] | None = None) -> None:
        """Reload the rows of ``doc_ids`` (all when None) the next time they are drawn.

        Views repaint only those rows; their selection and current row stay as they are.
        """
        first, last = 0, self._shown - 1
        if doc_ids is None:
            self._pages.clear()
        else:
            wanted = set(doc_ids)
            for page_no in [p for p, rows in self._pages.items() if wanted & rows.keys()]:
                del self._pages[page_no]
            rows = [row for row, doc_id in enumerate(self._ids[: self._shown]) if doc_id in wanted]
            first, last = (rows[0], rows[-1]) if rows else (0, -1)
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def _page(self, page_no: int) -> dict[int, Row]:
        page = self._pages.get(page_no)
        if page is not None:
            self._pages.move_to_end(page_no)
            return page
        ids = self._ids[page_no * self.PAGE : (page_no + 1) * self.PAGE]
        page = fetch_rows(self._db, ids)
        for column in self.columns:
            if column.fetch is not None:
                for doc_id, value in column.fetch(self._db, ids).items():
                    page.setdefault(doc_id, {})[column.key] = value
        self._pages[page_no] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def row_data(self, row: int) -> Row | None:
        """The fields of the article at ``row`` (loads its page), or None."""
        doc_id = self.id_at(row)
        if doc_id is None:
            return None
        return self._page(row // self.PAGE).get(doc_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: Index) -> None:
        if not parent.isValid():
            self.reveal(self._shown + self.BATCH)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        column = self.columns[index.column()]
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        try:
            row = self.row_data(index.row())
        except Exception as err:  # noqa: BLE001 - data() must never raise; logged instead
            message_for(err)
            return None
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.display(row) if column.key == "title" else None
        return column.display(row)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.columns[section].align.value)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        return article_mime([doc_id for row in rows if (doc_id := self.id_at(row)) is not None])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and self.columns[column].sort_key:
            self.sort_requested.emit(
                self.columns[column].sort_key, order == Qt.SortOrder.DescendingOrder
            )

    def column_of_sort_key(self, sort_key: str) -> int:
        """The column sorted by ``sort_key``, or -1 (relevance has no column)."""
        for number, column in enumerate(self.columns):
            if column.sort_key == sort_key:
                return number
        return -1


@dataclass(frozen=True)
class ListPlace:
    """Where a person is in the article list, by article id.

    ``current``: the article of the current row; ``selected``: the selected
    articles in list order; ``anchors``: the articles on screen, top first, each
    with its distance from the top of the viewport (the first one still listed
    goes back to where it was).
    """

    current: int | None = None
    selected: tuple[int, ...] = ()
    anchors: tuple[tuple[int, int], ...] = ()


class DocumentListView(QTableView):
    """The article list (``documentList``): Home / End go to the first / last article of the
    whole result (not of the row), Enter opens the article, and a new list of ids keeps the
    person's ``ListPlace``.

    The Title column (the first) takes the room the other columns leave, but never less than
    ``title_min_chars`` characters. Columns that would squeeze it below that give way: they
    are hidden for as long as the list is too narrow and come back when it widens. Columns
    holding something give way after the empty ones (``set_empty_columns``), and within each
    kind the rightmost go first, so the person decides what stays by ordering the columns.
    A column the person hides (``set_column_hidden``) stays hidden whatever the width. When
    the list is narrower than the title alone, it scrolls sideways instead of squeezing it."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, title_min_chars: int = 30) -> None:
        super().__init__(parent)
        self.title_min_chars = title_min_chars
        self._place: ListPlace | None = None
        self._given_way: set[int] = set()
        self._empty: set[int] = set()
        self._fitting = False
        header = self.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda _logical, _old, _new: self.fit_title())
        header.sectionCountChanged.connect(lambda _old, _new: self.fit_title())

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if isinstance(old, DocumentListModel):
            old.modelAboutToBeReset.disconnect(self._remember_place)
            old.modelReset.disconnect(self._return_to_place)
        super().setModel(model)
        if isinstance(model, DocumentListModel):
            model.modelAboutToBeReset.connect(self._remember_place)
            model.modelReset.connect(self._return_to_place)

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows, in list order."""
        model = self.model()
        if not isinstance(model, DocumentListModel):
            return []
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [doc_id for row in rows if (doc_id := model.id_at(row)) is not None]

    def place(self) -> ListPlace:
        """The current article, the selected ones and the articles on screen."""
        model = self.model()
        if not isinstance(model, DocumentListModel):
            return ListPlace()
        current = self.currentIndex()
        top, bottom = self.rowAt(0), self.rowAt(self.viewport().height() - 1)
        if bottom < 0:
            bottom = model.rowCount() - 1
        shown = range(top, bottom + 1) if top >= 0 else range(0)
        return ListPlace(
            current=model.id_at(current.row()) if current.isValid() else None,
            selected=tuple(self.selected_ids()),
            anchors=tuple((doc_id, self.rowViewportPosition(row)) for row in shown
                          if (doc_id := model.id_at(row)) is not None),
        )

    def go_to_place(self, place: ListPlace) -> None:
        """Select, make current and scroll back to the articles of ``place`` that are still listed."""
        model = self.model()
        if not isinstance(model, DocumentListModel):
            return
        anchor_ids = [doc_id for doc_id, _ in place.anchors]
        wanted = {*place.selected, *anchor_ids} | ({place.current} if place.current is not None else set())
        rows = model.rows_of(wanted)
        selection = self.selectionModel()
        chosen = QItemSelection()
        last_column = model.columnCount() - 1
        for first, last in _runs(sorted(rows[doc_id] for doc_id in place.selected if doc_id in rows)):
            chosen.select(model.index(first, 0), model.index(last, last_column))
        flag = QItemSelectionModel.SelectionFlag
        selection.select(chosen, flag.ClearAndSelect | flag.Rows)
        if place.current in rows:
            selection.setCurrentIndex(model.index(rows[place.current], 0), flag.NoUpdate)
        anchor = next(((rows[doc_id], y) for doc_id, y in place.anchors if doc_id in rows), None)
        if anchor is not None:
            self._scroll_row_to(*anchor)

    def _scroll_row_to(self, row: int, y: int) -> None:
        """Scroll so that ``row`` starts ``y`` pixels below the top of the viewport."""
        self.executeDelayedItemsLayout()
        self.updateGeometries()
        self.scrollTo(self.model().index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        bar = self.verticalScrollBar()
        if self.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerPixel:
            bar.setValue(bar.value() - y)
        else:
            bar.setValue(bar.value() - round(y / max(1, self.rowHeight(row))))

    def _remember_place(self) -> None:
        self._place = self.place()

    def _return_to_place(self) -> None:
        place, self._place = self._place, None
        if place is not None:
            self.go_to_place(place)

    @property
    def title_min_width(self) -> int:
        """The narrowest Title column: ``title_min_chars`` characters and the cell's padding."""
        return self.fontMetrics().horizontalAdvance("x" * self.title_min_chars) + TITLE_PADDING

    def minimum_width(self) -> int:
        """The narrowest list that shows the Title and the first column beside it."""
        header = self.horizontalHeader()
        shown = (header.logicalIndex(visual) for visual in range(header.count()))
        beside = next((header.sectionSize(number) for number in shown
                       if number != 0 and not header.isSectionHidden(number)), 0)
        return self.title_min_width + beside

    def set_column_hidden(self, number: int, hidden: bool) -> None:
        """Hide or show column ``number`` as the person chose, whatever the list's width."""
        self._given_way.discard(number)
        self.horizontalHeader().setSectionHidden(number, hidden)
        self.fit_title()

    def gave_way(self, number: int) -> bool:
        """True when column ``number`` is hidden only because the list is too narrow for it."""
        return number in self._given_way

    def set_empty_columns(self, numbers: set[int]) -> None:
        """Columns with nothing to show in the current result: they give way first."""
        if numbers != self._empty:
            self._empty = set(numbers)
            self.fit_title()

    def fit_title(self) -> None:
        """Give the Title column the width the other shown columns leave (at least its minimum),
        letting the columns that do not fit beside it give way."""
        header = self.horizontalHeader()
        if header.count() == 0 or self._fitting:
            return
        self._fitting = True
        try:
            for number in self._given_way:
                header.setSectionHidden(number, False)
            self._given_way.clear()
            shown = [header.logicalIndex(visual) for visual in range(header.count())]
            shown = [number for number in shown if number != 0 and not header.isSectionHidden(number)]
            order = sorted(shown, key=lambda number: number in self._empty)
            room = self.viewport().width() - self.title_min_width
            for position, number in enumerate(order):
                room -= header.sectionSize(number)
                if room < 0:
                    self._given_way = set(order[position:])
                    break
            for number in self._given_way:
                header.setSectionHidden(number, True)
            others = sum(header.sectionSize(number) for number in shown if number not in self._given_way)
            header.resizeSection(0, max(self.title_min_width, self.viewport().width() - others))
        finally:
            self._fitting = False

    def _section_resized(self, number: int, _old: int, _new: int) -> None:
        if number != 0:
            self.fit_title()

    def viewportEvent(self, event: QEvent) -> bool:
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit_title()
        return handled

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_title()

    def moveCursor(
        self, action: QTableView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model = self.model()
        column = max(0, self.currentIndex().column())
        if action == QTableView.CursorAction.MoveEnd and isinstance(model, DocumentListModel):
            model.reveal(len(model.ids))
            return model.index(model.rowCount() - 1, column)
        if action == QTableView.CursorAction.MoveHome:
            return model.index(0, column)
        return super().moveCursor(action, modifiers)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


def successor_of(doc_id: int | None, *, old: Sequence[int], new: Sequence[int]) -> int | None:
    """The article that takes ``doc_id``'s place when the list ``old`` becomes ``new``: the
    first one after it in ``old`` still listed, else the nearest one before it (None when
    ``doc_id`` was not listed or nothing is left)."""
    if doc_id is None or doc_id not in old:
        return None
    listed = set(new)
    row = old.index(doc_id)
    after = next((i for i in old[row + 1:] if i in listed), None)
    return after if after is not None else next((i for i in reversed(old[:row]) if i in listed), None)


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted ``rows`` as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
