"""The application's style: Fusion with header sort arrows that point the way a table is sorted.

Qt hands a header's style ``SortDown`` for an ascending sort and ``SortUp`` for a descending one,
and Fusion draws ``SortUp`` as an arrow pointing up: a column listing the largest values first
showed an upward arrow. ``SortArrowStyle`` swaps the two as it draws the arrow, so every header of
the application points down for a descending sort (largest, newest, Z first) and up for an
ascending one, whichever table it belongs to. ``keep_sort_indicator`` leaves the arrow where the
sort is when a person clicks a column that cannot be sorted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHeaderView, QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget

_FLIPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class SortArrowStyle(QProxyStyle):
    """Fusion (or the style named) drawing a header's sort arrow in the direction of the sort."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


def keep_sort_indicator(header: QHeaderView, *, sortable: Callable[[int], bool]) -> None:
    """Put ``header``'s sort indicator back where it was when it moves to a section that
    ``sortable`` refuses (Qt moves it on any click): the rows keep their order, so must the arrow.
    Section -1 (no column, e.g. sorted by relevance) is always accepted."""
    kept: list[tuple[int, Qt.SortOrder]] = [(header.sortIndicatorSection(), header.sortIndicatorOrder())]

    def changed(section: int, order: Qt.SortOrder) -> None:
        if section < 0 or sortable(section):
            kept[0] = (section, order)
            return
        blocked = header.blockSignals(True)
        header.setSortIndicator(*kept[0])
        header.blockSignals(blocked)

    header.sortIndicatorChanged.connect(changed)
