"""The article list's columns in the main window: sizes, which are shown, which gave way.

``ColumnsMixin`` sizes columns as features add them, shows or hides them from
the header's context menu (remembered in the settings; Words is hidden until
asked for, the reader's byline gives the count), shrinks columns with no
value in the results to their header, and tells the list which columns show one
value throughout (they give way before the columns that vary, unless the person
showed them from the header's menu).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Collection

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtWidgets import QMenu

HIDDEN_COLUMNS_KEY = "list/hidden_columns"
SHOWN_COLUMNS_KEY = "list/shown_columns"  # shown from the header's menu: they never give way for being uniform
DEFAULT_HIDDEN_COLUMNS = "word_count"  # the reader's byline gives the count


class ColumnsMixin:
    """The ``MainWindow`` part that manages the article list's columns."""

    def _columns_added(self, _parent: QModelIndex, first: int, last: int) -> None:
        """Size the new columns, hide those hidden last time, and select them in the current row."""
        header = self.list_view.horizontalHeader()
        for number in range(first, last + 1):
            header.resizeSection(number, self.model.columns[number].width)
        self._apply_hidden_columns(range(first, last + 1))
        self._fit_empty_columns()
        current = self.list_view.currentIndex()
        if current.isValid():
            selection = self.list_view.selectionModel()
            selection.select(current, selection.SelectionFlag.ClearAndSelect
                             | selection.SelectionFlag.Rows)

    def hidden_columns(self) -> set[str]:
        """The keys of the list columns the person hid (remembered in the settings)."""
        text = self.settings.text(HIDDEN_COLUMNS_KEY, DEFAULT_HIDDEN_COLUMNS)
        return {key for key in text.split(",") if key}

    def shown_columns(self) -> set[str]:
        """The keys of the list columns the person showed from the header's menu."""
        return {key for key in self.settings.text(SHOWN_COLUMNS_KEY, "").split(",") if key}

    def set_column_hidden(self, key: str, hidden: bool) -> None:
        """Hide or show the list column ``key`` as the person chose, and remember it for the next start."""
        number = self.model.column_of_key(key)
        if number <= 0:
            return
        self.list_view.set_column_hidden(number, hidden)
        for setting, keys, chosen in ((HIDDEN_COLUMNS_KEY, self.hidden_columns(), hidden),
                                      (SHOWN_COLUMNS_KEY, self.shown_columns(), not hidden)):
            self.settings.set(setting, ",".join(sorted(keys - {key} | ({key} if chosen else set()))))
        self._fit_empty_columns()

    def _apply_hidden_columns(self, numbers: range) -> None:
        hidden = self.hidden_columns()
        for number in numbers:
            if number > 0:
                self.list_view.set_column_hidden(number, self.model.columns[number].key in hidden)

    def column_menu(self) -> QMenu:
        """The list header's context menu (``columnMenu``): one check per column to show or hide
        it; a column the list is too narrow for says so."""
        menu = QMenu(self.list_view)
        menu.setObjectName("columnMenu")
        menu.setToolTipsVisible(True)
        header = self.list_view.horizontalHeader()
        for number, column in enumerate(self.model.columns[1:], start=1):
            gave_way = self.list_view.gave_way(number)
            action = menu.addAction(f"{column.header} (no room)" if gave_way else column.header)
            action.setCheckable(True)
            action.setChecked(gave_way or not header.isSectionHidden(number))
            if gave_way:
                action.setToolTip("The list is too narrow for this column: widen the list "
                                  "or hide another column")
            action.toggled.connect(functools.partial(self._column_toggled, column.key))
        return menu

    def _column_toggled(self, key: str, shown: bool) -> None:
        self.set_column_hidden(key, not shown)

    def _header_menu_requested(self, point: QPoint) -> None:
        header = self.list_view.horizontalHeader()
        self.column_menu().exec(header.mapToGlobal(point))

    def _fit_empty_columns(self, *, also: Collection[int] = ()) -> None:
        """Narrow the columns that hold nothing on the first page of the result (nor in the
        listed articles ``also``, just changed: the first page of them, so an edit of thousands
        of articles reads a page, not all of them) to their header's width, and give them their
        width back once they hold something; tell the list which columns hold one value there
        in every row (and were not shown by the person), to give way before those that vary."""
        shown, page = self.model.rowCount(), self.model.PAGE
        numbers = set(range(min(shown, page)))
        if also:
            wanted = set(also)
            changed = (row for row, doc_id in enumerate(self.model.ids[:shown]) if doc_id in wanted)
            numbers.update(itertools.islice(changed, page))
        rows = [row for number in sorted(numbers) if (row := self.model.row_data(number)) is not None]
        header = self.list_view.horizontalHeader()
        for number, column in enumerate(self.model.columns[1:], start=1):
            empty = bool(rows) and not any(column.display(row) for row in rows)
            if empty == (column.key in self._empty_columns):
                continue
            if empty:
                self._empty_columns.add(column.key)
                header.resizeSection(number, header.sectionSizeFromContents(number).width())
            else:
                self._empty_columns.discard(column.key)
                header.resizeSection(number, column.width)
        self.list_view.set_empty_columns({self.model.column_of_key(key) for key in self._empty_columns})
        chosen = self.shown_columns()
        self.list_view.set_uniform_columns({
            number for number, column in enumerate(self.model.columns[1:], start=1)
            if len(rows) > 1 and column.key not in chosen and len({column.display(row) for row in rows}) == 1
        })
