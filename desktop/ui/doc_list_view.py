"""The article list's view (``documentList``) and the person's place in it.

The view keeps the person's place by article id, not by row number: whenever
the model (``doc_model.DocumentListModel``) is reset with a new list of ids (a
refresh, a re-sorted or changed result) the view puts back its ``ListPlace`` —
the current article, the selected articles that are still listed, and the
articles on screen where they were. Only rows that leave the list leave the
selection; ``successor_of`` names the article that takes the place of one that
left. The Title column takes the room the others leave (see ``DocumentListView``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from .doc_model import DocumentListModel

TITLE_PADDING = 16


def selected_rows(selection: QItemSelectionModel) -> list[int]:
    """The rows of a list that selects whole rows, in order, read from its selection's ranges
    (``selectedRows()`` asks every cell of every row: seconds for a result of 20,000 selected)."""
    return sorted({row for span in selection.selection() for row in range(span.top(), span.bottom() + 1)})


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
    are hidden for as long as the list is too narrow and come back when it widens. The columns
    that tell nothing give way first: the empty ones (``set_empty_columns``), then those showing
    one value in every row (``set_uniform_columns``: one outlet, "English" throughout), then
    the ones whose values vary; within each kind the rightmost go first, so the person decides
    what stays by ordering the columns.
    A column the person hides (``set_column_hidden``) stays hidden whatever the width. When
    the list is narrower than the title alone, it scrolls sideways instead of squeezing it."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, title_min_chars: int = 30) -> None:
        super().__init__(parent)
        self.title_min_chars = title_min_chars
        self.setTabKeyNavigation(False)  # Tab goes on to the reader, not from cell to cell
        self._place: ListPlace | None = None
        self._given_way: set[int] = set()
        self._empty: set[int] = set()
        self._uniform: set[int] = set()
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
        return [doc_id for row in selected_rows(self.selectionModel())
                if (doc_id := model.id_at(row)) is not None]

    def selectAll(self) -> None:
        """Select every article of the result (Ctrl+A), also those not yet scrolled into the list."""
        model = self.model()
        several = self.selectionMode() in (QAbstractItemView.SelectionMode.ExtendedSelection,
                                           QAbstractItemView.SelectionMode.MultiSelection)
        if not isinstance(model, DocumentListModel) or not model.ids or not several:
            super().selectAll()
            return
        model.reveal(len(model.ids))
        everything = QItemSelection(model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1))
        self.selectionModel().select(everything, QItemSelectionModel.SelectionFlag.ClearAndSelect)

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

    def set_uniform_columns(self, numbers: set[int]) -> None:
        """Columns showing one value in every row of the current result: they give way after the
        empty ones, before the columns whose values vary."""
        if numbers != self._uniform:
            self._uniform = set(numbers)
            self.fit_title()

    def _telling_order(self, number: int) -> int:
        """0 for a column whose values vary, 1 for one value throughout, 2 for an empty one."""
        return 2 if number in self._empty else 1 if number in self._uniform else 0

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
            order = sorted(shown, key=self._telling_order)
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
