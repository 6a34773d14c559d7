"""The filter sidebar (object name ``filterSidebar``): chips, saved searches, date histogram, facets.

The sidebar holds no filter state: it shows what the window gives it
(``set_filters``, ``set_facet_counts``, ``set_histogram``, ``set_saved_searches``)
and reports what the person asks for through signals. ``SidebarScroll`` is the
scroll area it sits in, never narrower than the sidebar's own minimum width. Facet sections are
created from ``desktop.core.facet_counts.available_facets`` (``set_facets``), so a new
facet (an entry of the registry ``desktop.core.facets``, an entity label) appears without
touching this module; any other widget can be added as a titled section with ``add_section`` (placed
above the dates and facets). Every section folds away when its title is
clicked; ``collapsed_sections`` / ``set_collapsed_sections`` let the window
remember which ones across starts (``collapsed_changed`` says when to save).
Values read as their facet says (``value_label``: sums of money with
thousands separators) and are listed as it says (``shown_values``: the Dates
facet lists only ISO-like dates, not "Monday" or "recent years").
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from desktop.core.facets import Facet, shown_values, value_label
from desktop.core.saved_searches import SavedSearch

from .theme import LIGHT, Theme, icon

Index = QModelIndex | QPersistentModelIndex

FILTER_BOX_THRESHOLD = 8
VISIBLE_VALUES = 10
_DATE_LABELS = {"date_from": "from", "date_to": "until"}


class FlowLayout(QLayout):
    """Lays out widgets left to right, wrapping to the next line (for the chips)."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


def chip_text(facet: str, value: str, *, excluded: bool, titles: dict[str, str]) -> str:
    """How a chip reads: "Source: Xinhua", "not Author: Li Wei", "from 2017"."""
    if facet in _DATE_LABELS:
        return f"{_DATE_LABELS[facet]} {value}"
    title = titles.get(facet, facet)
    return f"{'not ' if excluded else ''}{title}: {value_label(facet, value)}"


class Chip(QFrame):
    """One active filter with a button that removes it."""

    remove_requested = Signal(str, str)

    def __init__(self, facet: str, value: str, *, text: str, excluded: bool) -> None:
        super().__init__()
        self.setProperty("class", "chip")
        self.setProperty("excluded", excluded)
        self.facet, self.value = facet, value
        label = QLabel(text)
        close = QToolButton()
        close.setProperty("class", "chipClose")
        close.setIcon(icon("close"))
        close.setIconSize(QSize(12, 12))
        close.setToolTip("Remove this filter")
        close.clicked.connect(lambda: self.remove_requested.emit(self.facet, self.value))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(label)
        layout.addWidget(close)


class FacetModel(QAbstractTableModel):
    """(value, count) rows of one facet; the last column is the exclude control.

    Values are shown through ``value_label`` and reported as stored.
    """

    VALUE, COUNT, EXCLUDE = range(3)

    def __init__(self, facet: str) -> None:
        super().__init__()
        self._facet = facet
        self._rows: list[tuple[str, int]] = []
        self._included: frozenset[str] = frozenset()

    def set_counts(self, rows: Sequence[tuple[str, int]], *, included: frozenset[str]) -> None:
        """Show these (value, count) rows; ``included`` values are drawn as selected."""
        self.beginResetModel()
        self._rows = list(rows)
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
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value, count = self._rows[index.row()]
        column = index.column()
        label = value_label(self._facet, value)
        if role == Qt.ItemDataRole.DisplayRole:
            return {self.VALUE: label, self.COUNT: f"{count:,}"}.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            noun = "article" if count == 1 else "articles"
            if column == self.EXCLUDE:
                return f"{label}\nLeave out the {count:,} {noun} with it"
            return f"{label}\nShow only the {count:,} {noun} with it"
        if role == Qt.ItemDataRole.DecorationRole and column == self.EXCLUDE:
            return icon("exclude")
        if role == Qt.ItemDataRole.FontRole and column == self.VALUE and value in self._included:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
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


class FacetSection(Section):
    """One facet: a filter box for long lists, its values with counts, include and exclude."""

    include_requested = Signal(str, str)
    exclude_requested = Signal(str, str)
    contains_changed = Signal(str, str)

    def __init__(self, facet: Facet) -> None:
        super().__init__(facet.name, facet.title)
        self.facet = facet
        self.setObjectName(f"facet-{facet.name}")
        self.filter_box = QLineEdit()
        self.filter_box.setProperty("class", "facetFilter")
        self.filter_box.setPlaceholderText(f"Filter {facet.title.lower()}…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda text: self.contains_changed.emit(facet.name, text))
        self.filter_box.hide()
        self.model = FacetModel(facet.name)
        self.view = QTreeView()
        self.view.setProperty("class", "facetList")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(FacetModel.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FacetModel.COUNT, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(FacetModel.COUNT, self.fontMetrics().horizontalAdvance("000,000") + 8)
        header.setSectionResizeMode(FacetModel.EXCLUDE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(FacetModel.EXCLUDE, 24)
        self.view.clicked.connect(self._clicked)
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

    def _clicked(self, index: QModelIndex) -> None:
        value = self.model.value_at(index.row())
        if value is None:
            return
        if index.column() == FacetModel.EXCLUDE:
            self.exclude_requested.emit(self.facet.name, value)
        else:
            self.include_requested.emit(self.facet.name, value)


class DateHistogram(QWidget):
    """Documents per year (or per month of one year) as bars.

    Clicking a year bar asks for that year and drills down to its months;
    clicking a month asks for that month; dragging across bars asks for the
    range they cover. ``range_requested(date_from, date_to)`` carries the
    bounds as "YYYY" or "YYYY-MM".
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
        self._theme: Theme = LIGHT

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_buckets(self, buckets: Sequence[tuple[str, int]], *, selected: tuple[str, str] | None) -> None:
        """Show ``buckets``; the bars between ``selected`` bounds (inclusive) are marked."""
        self._buckets = list(buckets)
        self._selected = None
        self.setFixedHeight(self.HEIGHT if self._buckets else self.EMPTY_HEIGHT)
        if selected is not None:
            first, last = selected
            inside = [
                number for number, (key, _) in enumerate(self._buckets)
                if first <= key[: len(first)] and key[: len(last)] <= last
            ]
            if inside:
                self._selected = (inside[0], inside[-1])
        self.update()

    def buckets(self) -> list[tuple[str, int]]:
        return list(self._buckets)

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
            key, count = self._buckets[bar]
            self.setToolTip(f"{key}: {count:,} articles")
        if self._press is not None and bar is not None:
            self._drag = (min(self._press, bar), max(self._press, bar))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            first, last = self._drag
            self.range_requested.emit(self._buckets[first][0], self._buckets[last][0])
        self._press = self._drag = None
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
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, first)
        if last != first:
            painter.drawText(bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, last)


class SavedSearchList(QListWidget):
    """The saved searches: click to reopen, right-click to rename or delete."""

    open_requested = Signal(int)
    rename_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("savedSearches")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.itemClicked.connect(lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def set_searches(self, searches: Sequence[SavedSearch]) -> None:
        """List ``searches`` by name."""
        self.clear()
        for search in searches:
            item = QListWidgetItem(icon("saved-search"), search.name)
            item.setData(Qt.ItemDataRole.UserRole, search.id)
            item.setToolTip(search.query or "(no query, filters only)")
            self.addItem(item)
        self.setFixedHeight(max(1, self.count()) * (self.sizeHintForRow(0) if self.count() else 22) + 4)
        self.setVisible(self.count() > 0)

    def _menu(self, point: QPoint) -> None:
        item = self.itemAt(point)
        if item is None:
            return
        search_id = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.open_requested.emit(search_id))
        menu.addAction("Rename…", lambda: self.rename_requested.emit(search_id))
        menu.addAction("Delete", lambda: self.delete_requested.emit(search_id))
        menu.exec(self.viewport().mapToGlobal(point))


def _single_year(buckets: Sequence[tuple[str, int]]) -> str | None:
    """The year whose months ``buckets`` are, or None when they are years."""
    if not buckets or any(len(key) != 7 for key, _ in buckets):
        return None
    years = {key[:4] for key, _ in buckets}
    return years.pop() if len(years) == 1 else None


def _continuous(buckets: Sequence[tuple[str, int]], *, year: str | None) -> list[tuple[str, int]]:
    """``buckets`` with the missing years (or months of ``year``, or of the one year
    whose months they are) added with a count of 0."""
    counts = dict(buckets)
    year = year or _single_year(buckets)
    if year is not None:
        keys = [f"{year}-{month:02d}" for month in range(1, 13)]
    elif counts and all(key.isdigit() for key in counts):
        keys = [str(y) for y in range(int(min(counts)), int(max(counts)) + 1)]
    else:
        keys = sorted(counts)
    return [(key, counts.get(key, 0)) for key in keys]


def _link_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("class", "link")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setFlat(True)
    return button


class FilterSidebar(QWidget):
    """Active filter chips, saved searches, the date histogram and one section per facet."""

    include_requested = Signal(str, str)
    exclude_requested = Signal(str, str)
    remove_requested = Signal(str, str)
    clear_requested = Signal()
    dates_requested = Signal(object, object)
    contains_changed = Signal(str, str)
    save_search_requested = Signal()
    collapsed_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterSidebar")
        self.sections: dict[str, FacetSection] = {}
        self._titles: dict[str, str] = {}
        self._year: str | None = None
        self._collapsed: set[str] = set()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 4, 18, 12)
        self._layout.setSpacing(6)

        self.chip_area = QWidget()
        self._chips = FlowLayout(self.chip_area)
        self.clear_button = _link_button("Clear all")
        self.clear_button.clicked.connect(self.clear_requested)
        self._filters_title = QLabel("FILTERS")
        self._filters_title.setProperty("class", "sectionTitle")
        filters_head = QHBoxLayout()
        filters_head.addWidget(self._filters_title)
        filters_head.addStretch(1)
        filters_head.addWidget(self.clear_button)
        self._layout.addLayout(filters_head)
        self._layout.addWidget(self.chip_area)

        self.saved = SavedSearchList()
        save_button = _link_button("Save…")
        save_button.clicked.connect(self.save_search_requested)
        self.saved_empty = QLabel("Name a search to come back to it.")
        self.saved_empty.setProperty("class", "emptyNote")
        saved_section = self._add(Section("saved", "Saved searches", action=save_button))
        saved_section.body_layout.addWidget(self.saved)
        saved_section.body_layout.addWidget(self.saved_empty)
        self.saved.model().modelReset.connect(self._show_saved_hint)
        self.saved.model().rowsInserted.connect(self._show_saved_hint)

        self._extra_area = QVBoxLayout()
        self._extra_area.setSpacing(6)
        self._layout.addLayout(self._extra_area)

        self.histogram = DateHistogram()
        self.histogram.range_requested.connect(self._range_requested)
        self.years_button = _link_button("All years")
        self.years_button.setIcon(icon("back"))
        self.years_button.clicked.connect(self._back_to_years)
        self._published = self._add(Section("published", "Published", action=self.years_button))
        self._published.body_layout.addWidget(self.histogram)

        self._facet_area = QVBoxLayout()
        self._facet_area.setSpacing(6)
        self._layout.addLayout(self._facet_area)
        self._layout.addStretch(1)
        self.set_filters_chips([])
        self.years_button.hide()

    # facets ------------------------------------------------------------------

    def set_facets(self, facets: Sequence[Facet]) -> None:
        """Create one section per facet (the published year is the histogram instead)."""
        self._titles = {facet.name: facet.title for facet in facets}
        wanted = [facet for facet in facets if not facet.histogram]
        if [facet.name for facet in wanted] == list(self.sections):
            return
        while self._facet_area.count():
            item = self._facet_area.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.sections.clear()
        for facet in wanted:
            section = FacetSection(facet)
            section.include_requested.connect(self.include_requested)
            section.exclude_requested.connect(self.exclude_requested)
            section.contains_changed.connect(self.contains_changed)
            self._facet_area.addWidget(self._track(section))
            self.sections[facet.name] = section

    def facet_names(self) -> list[str]:
        """The facets that have a section, in order."""
        return list(self.sections)

    def contains_text(self, facet: str) -> str:
        """What the facet's filter box holds."""
        section = self.sections.get(facet)
        return section.filter_box.text() if section is not None else ""

    def set_facet_counts(self, facet: str, rows: Sequence[tuple[str, int]], *, included: frozenset[str]) -> None:
        """Show ``rows`` (value, count) in the facet's section."""
        section = self.sections.get(facet)
        if section is not None:
            section.set_counts(rows, included=included)

    def add_section(self, widget: QWidget, title: str) -> None:
        """Add ``widget`` under a section ``title``, below the saved searches and above the dates."""
        section = Section(title, title)
        section.body_layout.addWidget(widget)
        self._extra_area.addWidget(self._track(section))

    # folding -----------------------------------------------------------------

    def _add(self, section: Section) -> Section:
        self._layout.addWidget(self._track(section))
        return section

    def _track(self, section: Section) -> Section:
        section.set_collapsed(section.key in self._collapsed)
        section.collapsed_changed.connect(self._section_folded)
        return section

    def _section_folded(self, key: str, collapsed: bool) -> None:
        if collapsed:
            self._collapsed.add(key)
        else:
            self._collapsed.discard(key)
        self.collapsed_changed.emit()

    def collapsed_sections(self) -> set[str]:
        """The keys of the folded sections (``saved``, ``published``, facet names, section titles)."""
        return set(self._collapsed)

    def set_collapsed_sections(self, keys: Sequence[str]) -> None:
        """Fold exactly the sections named by ``keys``, including those created later."""
        self._collapsed = set(keys)
        for section in self.findChildren(Section):
            section.set_collapsed(section.key in self._collapsed)

    # chips -------------------------------------------------------------------

    def set_filters_chips(self, chips: Sequence[tuple[str, str, bool]]) -> None:
        """Show one removable chip per active filter (``Filters.chips()``)."""
        while self._chips.count():
            item = self._chips.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for facet, value, excluded in chips:
            chip = Chip(facet, value, excluded=excluded,
                        text=chip_text(facet, value, excluded=excluded, titles=self._titles))
            chip.remove_requested.connect(self.remove_requested)
            self._chips.addWidget(chip)
        active = bool(chips)
        for widget in (self.chip_area, self.clear_button, self._filters_title):
            widget.setVisible(active)

    def chip_texts(self) -> list[str]:
        """The text of each chip shown."""
        texts = []
        for number in range(self._chips.count()):
            item = self._chips.itemAt(number)
            if isinstance(item, QWidgetItem) and isinstance(item.widget(), Chip):
                texts.append(item.widget().findChild(QLabel).text())
        return texts

    # dates -------------------------------------------------------------------

    @property
    def year(self) -> str | None:
        """The year whose months the histogram shows, or None for all years."""
        return self._year

    def set_histogram(self, buckets: Sequence[tuple[str, int]], *, selected: tuple[str, str] | None) -> None:
        """Show year (or month) buckets; ``selected`` is the active date range, if any.

        Years without articles between the first and last, and the months of
        the year shown, are drawn as empty bars so the time axis stays even.
        """
        shown = _continuous(buckets, year=self._year)
        self.histogram.set_buckets(shown, selected=selected)
        months_of = self._year or _single_year(shown)
        self._published.title.set_title(f"Published {months_of}" if months_of else "Published")
        self.years_button.setVisible(self._year is not None)

    def _range_requested(self, first: str, last: str) -> None:
        if self._year is None and first == last and len(first) == 4:
            self._year = first
        self.dates_requested.emit(first, last)

    def _back_to_years(self) -> None:
        self._year = None
        self.dates_requested.emit(None, None)

    def reset_year(self) -> None:
        """Show years again (the date filter was removed)."""
        self._year = None

    def set_theme(self, theme: Theme) -> None:
        self.histogram.set_theme(theme)

    def _show_saved_hint(self) -> None:
        self.saved_empty.setVisible(self.saved.count() == 0)


class SidebarScroll(QScrollArea):
    """The sidebar's vertical scroll area (``filterSidebarScroll``), wide enough for the whole
    sidebar beside its scroll bar, so no section is clipped on the right."""

    def __init__(self, sidebar: FilterSidebar) -> None:
        super().__init__()
        self.setObjectName("filterSidebarScroll")
        self.setWidget(sidebar)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = (content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)
