"""The sidebar's date histogram: one bar per year (or per month of one year), dragged to pick dates.

``DateHistogram`` draws the buckets and reports the range the person drags
across, or chooses from the keyboard (Tab reaches it, Left / Right / Home / End
move to a bar, Shift widens the range, Enter or Space asks for it);
``continuous_buckets`` fills in the years or months with no articles so the
bars keep their places, and ``single_year`` tells whether buckets are the
months of one year.
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from .theme import LIGHT, Theme


_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End,
                   Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})


class DateHistogram(QWidget):
    """Documents per year (or per month of one year) as bars.

    Clicking a year bar asks for that year and drills down to its months;
    clicking a month asks for that month; dragging across bars asks for the
    range they cover. ``range_requested(date_from, date_to)`` carries the
    bounds as "YYYY" or "YYYY-MM". From the keyboard the current bar is
    outlined and named under the bars with its count ("2022: 0 articles"), which is also
    the widget's accessible description; its accessible name says what the bars count.
    """

    range_requested = Signal(str, str)
    HEIGHT = 84
    EMPTY_HEIGHT = 28

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("dateHistogram")
        self.setFixedHeight(self.EMPTY_HEIGHT)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._buckets: list[tuple[str, int]] = []
        self._selected: tuple[int, int] | None = None
        self._press: int | None = None
        self._drag: tuple[int, int] | None = None
        self._cursor: int | None = None
        self._anchor: int | None = None
        self._theme: Theme = LIGHT
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the typing where it was
        self._describe()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_buckets(self, buckets: Sequence[tuple[str, int]], *, selected: tuple[str, str] | None) -> None:
        """Show ``buckets``; the bars between ``selected`` bounds (inclusive) are marked."""
        self._buckets = list(buckets)
        self._selected = None
        self._cursor = self._anchor = None
        self.setFixedHeight(self.HEIGHT if self._buckets else self.EMPTY_HEIGHT)
        if selected is not None:
            first, last = selected
            inside = [  # a bar any day of the range falls in: 2019 for 2019-03-01 .. 2019-03-15
                number for number, (key, _) in enumerate(self._buckets)
                if first[: len(key)] <= key[: len(first)] and key[: len(last)] <= last[: len(key)]
            ]
            if inside:
                self._selected = (inside[0], inside[-1])
        self._describe()
        self.update()

    def buckets(self) -> list[tuple[str, int]]:
        return list(self._buckets)

    def marked_keys(self) -> list[str]:
        """The years or months drawn as the chosen date range."""
        if self._selected is None:
            return []
        return [key for key, _ in self._buckets[self._selected[0]:self._selected[1] + 1]]

    def sizeHint(self) -> QSize:
        return QSize(200, self.HEIGHT)

    def _bar_at(self, x: float) -> int | None:
        if not self._buckets:
            return None
        width = self.width() / len(self._buckets)
        return max(0, min(len(self._buckets) - 1, int(x // width)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = self._bar_at(event.position().x())
        self._drag = (self._press, self._press) if self._press is not None else None
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        bar = self._bar_at(event.position().x())
        if bar is not None:
            self.setToolTip(bar_label(*self._buckets[bar]))
        if self._press is not None and bar is not None:
            self._drag = (min(self._press, bar), max(self._press, bar))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            first, last = self._drag
            self.range_requested.emit(self._buckets[first][0], self._buckets[last][0])
        self._press = self._drag = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        last = len(self._buckets) - 1
        key = event.key()
        if last < 0 or key not in _KEYS:
            super().keyPressEvent(event)
            return
        cursor = self._current()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            first, end = self._drag or (cursor, cursor)
            self._drag = self._anchor = None
            self.range_requested.emit(self._buckets[first][0], self._buckets[end][0])
            return
        step = 1 if key == Qt.Key.Key_Right else -1
        target = {Qt.Key.Key_Home: 0, Qt.Key.Key_End: last}.get(key, cursor + step)
        self._cursor = max(0, min(last, target))
        widen = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._anchor = (self._anchor if self._anchor is not None else cursor) if widen else self._cursor
        self._drag = (min(self._anchor, self._cursor), max(self._anchor, self._cursor))
        self._describe()
        self.update()

    def _current(self) -> int:
        """The bar the keys start from: the one moved to, else the first chosen, else the last."""
        if self._cursor is None:
            self._cursor = self._selected[0] if self._selected else len(self._buckets) - 1
        return self._cursor

    def current_label(self) -> str | None:
        """The current bar as the keyboard names it under the bars ("2022: 0 articles")."""
        return bar_label(*self._buckets[self._current()]) if self._buckets else None

    def _describe(self) -> None:
        """Name the widget for assistive tools by what its bars count, and the current bar."""
        year = single_year(self._buckets)
        self.setAccessibleName(f"Articles published per month of {year}" if year is not None
                               else "Articles published per year")
        self.setAccessibleDescription(self.current_label() or "No dated articles")

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._describe()
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._drag = self._anchor = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = self._theme
        if not self._buckets:
            painter.setPen(QColor(theme.muted))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated articles")
            return
        label_height = 16
        area = self.rect().adjusted(0, 4, 0, -label_height)
        peak = max(count for _, count in self._buckets) or 1
        width = area.width() / len(self._buckets)
        marked = self._drag or self._selected
        for number, (key, count) in enumerate(self._buckets):
            height = max(2.0, area.height() * count / peak) if count else 0.0
            chosen = marked is not None and marked[0] <= number <= marked[1]
            colour = QColor(theme.accent if chosen else theme.bar)
            painter.fillRect(
                int(area.left() + number * width + 1), int(area.bottom() - height),
                max(1, int(width) - 2), int(height), colour,
            )
        painter.setPen(QColor(theme.muted))
        first, last = self._buckets[0][0], self._buckets[-1][0]
        bottom = QRect(0, self.height() - label_height, self.width(), label_height)
        if self.hasFocus():
            cursor = self._current()
            painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.current_label())
            painter.setPen(QColor(theme.accent))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(int(area.left() + cursor * width), area.top(), max(2, int(width) - 1),
                             area.height())
            painter.setPen(QColor(theme.muted))
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, first)
        if last != first:
            painter.drawText(bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, last)


def bar_label(key: str, count: int) -> str:
    """A bar named with its count in words: "2022: 0 articles", "2021-05: 1 article"."""
    return f"{key}: {count:,} article{'' if count == 1 else 's'}"


def single_year(buckets: Sequence[tuple[str, int]]) -> str | None:
    """The year whose months ``buckets`` are, or None when they are years."""
    if not buckets or any(len(key) != 7 for key, _ in buckets):
        return None
    years = {key[:4] for key, _ in buckets}
    return years.pop() if len(years) == 1 else None


def continuous_buckets(buckets: Sequence[tuple[str, int]], *, year: str | None) -> list[tuple[str, int]]:
    """``buckets`` with the missing years (or months of ``year``, or of the one year
    whose months they are) added with a count of 0."""
    counts = dict(buckets)
    year = year or single_year(buckets)
    if year is not None:
        keys = [f"{year}-{month:02d}" for month in range(1, 13)]
    elif counts and all(key.isdigit() for key in counts):
        keys = [str(y) for y in range(int(min(counts)), int(max(counts)) + 1)]
    else:
        keys = sorted(counts)
    return [(key, counts.get(key, 0)) for key in keys]
