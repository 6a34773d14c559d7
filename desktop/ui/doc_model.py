"""The article list's table model: result ids in memory, rows fetched page by page as drawn.

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

The view that shows it, and keeps the person's place in it, is ``doc_list_view``.
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Collection, Sequence

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from sqlite_utils import Database

from desktop.core.search import fetch_rows

from .errors import message_for

Row = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ARTICLE_MIME = "application/x-dossier-article-ids"
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
FEW_IDS = 16  # ``rows_of`` looks these few up one by one instead of walking the whole list
# data() and flags() are called thousands of times a paint: the roles and flags as plain ints,
# not looked up and combined as Qt's Python enums on every call
_DISPLAY, _TOOLTIP, _ALIGNMENT = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole))
_ANSWERED = frozenset((_DISPLAY, _TOOLTIP, _ALIGNMENT, int(ID_ROLE)))
_ROW_FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
              | Qt.ItemFlag.ItemIsDragEnabled)


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
    """The word count, or the characters of a Chinese article (its count is of characters, as
    the reader's byline says) when the row knows its language."""
    count = row.get("word_count")
    if not isinstance(count, int):
        return ""
    if row.get("language") != "zh":
        return f"{count:,}"
    return f"{count:,} char{'' if count == 1 else 's'}"


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", "title", _text("title"), width=300),
    Column("published", "Published", "published", _date, width=88),
    Column("source", "Source", "source", _text("source"), width=90),
    Column("author", "Author", "author", _text("author"), width=90),
    Column("word_count", "Words", "word_count", _words, width=84, align=RIGHT),
)


TIP_LINE_CHARS = 80  # letters; a Han character counts as two


def wrapped_tip(text: str) -> str:
    """A tooltip of ``text``: a long title (the whole first sentence of an article without a
    headline) as rich text, which Qt wraps, instead of one line wider than the screen."""
    if len(text) * 2 <= TIP_LINE_CHARS:
        return text
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return f"<p>{html.escape(text)}</p>" if width > TIP_LINE_CHARS else text


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
        if role not in _ANSWERED or not index.isValid():
            return None
        row_no = index.row()
        if row_no >= self._shown:
            return None
        column = self.columns[index.column()]
        if role == ID_ROLE:
            return self._ids[row_no]
        if role == _ALIGNMENT:
            return int(column.align.value)
        if role == _TOOLTIP and column.key != "title":
            return None
        try:
            row = self.row_data(row_no)
        except Exception as err:  # noqa: BLE001 - data() must never raise; logged instead
            message_for(err)
            return None
        if row is None:
            return None
        text = column.display(row)
        return wrapped_tip(text) if role == _TOOLTIP else text

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
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

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
