"""The entity page (object name ``entityPage``): one entity across the whole library.

It shows the entity's name, type and aliases, the articles mentioning it per month
as a small bar chart, the entities that co-occur most, and every mention in context
(keyword-in-context lines fetched a page at a time by ``MentionsModel``). A line
opens the article at that mention; the mentions export to CSV. Rename and split are
asked here (``EntityDialogs``), merge through the merge picker (``MergePicker``), and
all three are reported as signals, so the window records them with the rest of its undo
history.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop.core.entities import (
    aliases_of,
    candidate_pool,
    cooccurring,
    entity_details,
    entity_mentions,
    entity_timeline,
)
from desktop.core.errors import DossierError, NotFound
from desktop.core.export import export_mentions
from desktop.core.undo import plural

from .closing import close_on_keys
from .entity_legend import style_of, swatch_icon
from .entity_picker import MergePicker
from .errors import report_error
from .file_dialogs import FileKind, ask_save_file
from .headers import FixedHeaders
from .theme import LIGHT, Theme

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
CONTEXT_CHARS = 60
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_HEIGHT = 22
MIN_TABLE_ROWS = 4


class LeftElidingDelegate(QStyledItemDelegate):
    """Draws text cut short at its start, so the words nearest the mention stay visible."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class EntityDialogs:
    """The questions the entity page and the reader ask; tests replace these classmethods."""

    @classmethod
    def ask_text(cls, parent: QWidget, *, title: str, label: str, text: str = "") -> str | None:
        """A line of text, or None when cancelled or blank."""
        answer, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return answer.strip() if ok and answer.strip() else None

    @classmethod
    def ask_choice(cls, parent: QWidget, *, title: str, label: str, choices: Sequence[str]) -> str | None:
        """One of ``choices``, or None when cancelled."""
        answer, ok = QInputDialog.getItem(parent, title, label, list(choices), 0, False)
        return answer if ok and answer in choices else None

    @classmethod
    def ask_csv_path(cls, parent: QWidget, *, suggested: str) -> Path | None:
        """Where to write a CSV file, or None when cancelled."""
        return ask_save_file(parent, kind=FileKind.EXPORT, title="Export mentions", suggested=suggested,
                             filters="CSV spreadsheet (*.csv)")


class MentionsModel(FixedHeaders, QAbstractTableModel):
    """The entity's mentions in context, fetched ``PAGE_SIZE`` at a time as the view scrolls."""

    HEADERS = ("Published", "Article", "Before", "Mention", "After")
    PUBLISHED, ARTICLE, LEFT, MENTION, RIGHT = range(5)

    def __init__(self, db: Callable[[], Database], parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._entity_id: int | None = None
        self._lines: list[dict[str, Any]] = []
        self._more = False

    def set_entity(self, entity_id: int | None) -> None:
        """Show the mentions of ``entity_id`` (None: nothing), starting with the first page."""
        self.beginResetModel()
        self._entity_id, self._lines = entity_id, []
        self._more = entity_id is not None
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def line_at(self, row: int) -> dict[str, Any] | None:
        """The mention shown in ``row``: document_id, title, start, end, text, left, right…"""
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or not self._more or self._entity_id is None:
            return
        after = self._lines[-1]["mention_id"] if self._lines else 0
        try:
            page = entity_mentions(self._db(), self._entity_id, context=CONTEXT_CHARS,
                                   limit=PAGE_SIZE, after=after)
        except NotFound:
            page = []
        self._more = len(page) == PAGE_SIZE
        if page:
            first = len(self._lines)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._lines += page
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index.row()) if index.isValid() else None
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.PUBLISHED: (line["published"] or "")[:10],
                self.ARTICLE: line["title"] or "Untitled",
                self.LEFT: line["left"],
                self.MENTION: line["text"],
                self.RIGHT: line["right"],
            }.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.LEFT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{line['left']} {line['text']} {line['right']}"
        if role == Qt.ItemDataRole.FontRole and column == self.MENTION:
            font = QFont()
            font.setBold(True)
            return font
        return None


def continuous_months(rows: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """``entity_timeline`` rows as (month, articles) for every month from the first to the last
    dated one, months without articles as 0; undated articles are left out."""
    counts = {row["month"]: row["documents"] for row in rows if row["month"]}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class TimelineChart(QWidget):
    """Articles mentioning the entity per month, as bars between the first and last month."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityTimeline")
        self._months: list[tuple[str, int]] = []
        self._undated = 0
        self.setMinimumHeight(96)

    def set_timeline(self, rows: Sequence[dict[str, Any]]) -> None:
        """Show ``entity_timeline`` rows."""
        self._months = continuous_months(rows)
        self._undated = sum(row["documents"] for row in rows if not row["month"])
        self.setToolTip("\n".join(f"{month}: {count}" for month, count in self._months if count))
        self.update()

    def months(self) -> list[tuple[str, int]]:
        """The (month, articles) bars drawn."""
        return list(self._months)

    def sizeHint(self) -> QSize:
        return QSize(360, 110)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text_colour = palette.windowText().color()
        if not self._months:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated articles")
            return
        highest = max(count for _, count in self._months) or 1
        metrics = painter.fontMetrics()
        caption = metrics.height()
        gutter = metrics.horizontalAdvance(str(highest)) + 8
        chart = QRectF(self.rect()).adjusted(gutter, caption / 2, -4, -caption - 4)
        self._draw_axis(painter, chart, highest=highest)
        width = chart.width() / len(self._months)
        bar = QColor(palette.highlight().color()).darker(130)
        for number, (_, count) in enumerate(self._months):
            height = chart.height() * count / highest
            painter.fillRect(QRectF(chart.left() + number * width + 1, chart.bottom() - height,
                                    max(1.0, width - 2), height), bar)
        painter.setPen(text_colour)
        captions = QRectF(chart.left(), chart.bottom() + 3, chart.width(), caption)
        painter.drawText(captions, Qt.AlignmentFlag.AlignLeft, self._months[0][0])
        undated = f"  (+{self._undated} undated)" if self._undated else ""
        painter.drawText(captions, Qt.AlignmentFlag.AlignRight, self._months[-1][0] + undated)

    def _draw_axis(self, painter: QPainter, chart: QRectF, *, highest: int) -> None:
        """The count axis on the left, ticked at 0, the middle and the highest count, and the base line."""
        palette = self.palette()
        painter.setPen(palette.mid().color())
        painter.drawLine(chart.bottomLeft(), chart.bottomRight())
        painter.drawLine(chart.bottomLeft(), chart.topLeft())
        painter.setPen(palette.windowText().color())
        line = painter.fontMetrics().height()
        for value in sorted({0, highest // 2, highest}):
            y = chart.bottom() - chart.height() * value / highest
            label = QRectF(0, y - line / 2, chart.left() - 4, line)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))


class EntityPage(QWidget):
    """One entity across the library (see the module docstring); a window of its own."""

    open_requested = Signal(int, int, int)
    filter_requested = Signal(str, str)
    both_requested = Signal(int, int)
    rename_requested = Signal(int, str)
    merge_requested = Signal(int, int)
    split_requested = Signal(int, str)
    export_finished = Signal(str, int)

    def __init__(self, db: Callable[[], Database], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("entityPage")
        close_on_keys(self)
        self.resize(900, 640)
        self._db = db
        self._theme = LIGHT
        self.entity: dict[str, Any] | None = None
        self.heading = QLabel()
        self.heading.setObjectName("entityHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.counts = QLabel()
        self.aliases = QLabel()
        self.aliases.setObjectName("entityAliases")
        self.aliases.setWordWrap(True)
        self.chart = TimelineChart()
        self.related = QListWidget()
        self.related.setObjectName("cooccurringList")
        self.related.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.related.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.related.itemActivated.connect(self._related_activated)
        self.mentions = MentionsModel(db, self)
        self.table = QTableView()
        self.table.setObjectName("entityMentions")
        self.table.setModel(self.mentions)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the mentions, not steps through their cells
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setItemDelegateForColumn(MentionsModel.LEFT, LeftElidingDelegate(self.table))
        header = self.table.horizontalHeader()
        for column, width in ((0, 86), (1, 200), (2, 240), (3, 120)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(MentionsModel.RIGHT, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._line_activated)
        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.setObjectName("entityPageSplit")
        self.body.setChildrenCollapsible(False)
        self.buttons = {
            "filter": self._button("Show its articles", self._ask_filter),
            "both": self._button("Articles mentioning both", self._ask_both),
            "rename": self._button("Rename…", self._ask_rename),
            "merge": self._button("Merge another into it…", self._ask_merge),
            "split": self._button("Split off a name…", self._ask_split),
            "export": self._button("Export mentions to CSV…", self._ask_export),
        }
        self._layout()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _layout(self) -> None:
        actions = QHBoxLayout()
        for key in ("filter", "rename", "merge", "split", "export"):
            actions.addWidget(self.buttons[key])
        actions.addStretch(1)
        related = QWidget()
        related_layout = QVBoxLayout(related)
        related_layout.setContentsMargins(0, 0, 0, 0)
        related_layout.addWidget(QLabel("Most often in the same articles"))
        related_layout.addWidget(self.related, 1)
        related_layout.addWidget(self.buttons["both"])
        self.timeline = timeline = QWidget()  # hidden when no article is dated: nothing to chart
        timeline_layout = QVBoxLayout(timeline)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        timeline_layout.addWidget(QLabel("Articles per month"))
        timeline_layout.addWidget(self.chart, 1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(timeline)
        top.addWidget(related)
        top.setSizes([560, 320])
        body = self.body
        body.addWidget(top)
        body.addWidget(self.table)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.aliases)
        layout.addLayout(actions)
        layout.addWidget(body, 1)

    def set_theme(self, theme: Theme) -> None:
        """Draw the co-occurring entities' swatches as the reader draws them on ``theme``."""
        self._theme = theme
        self.refresh()

    # showing -----------------------------------------------------------------------------

    def show_entity(self, entity_id: int) -> bool:
        """Show entity ``entity_id``; False (and the page empty) when it no longer exists."""
        self.entity = {"entity_id": entity_id}
        self.refresh()
        return self.entity is not None

    def _show_nothing(self) -> None:
        self.entity = None
        self.heading.setText("<h2>This entity is no longer in the library</h2>")
        for widget in (self.counts, self.aliases):
            widget.clear()
        self.related.clear()
        self.chart.set_timeline([])
        self.mentions.set_entity(None)
        for button in self.buttons.values():
            button.setEnabled(False)

    def refresh(self) -> None:
        """Read the shown entity again (after a change to the library)."""
        if self.entity is None:
            return
        db = self._db()
        entity_id = self.entity["entity_id"]
        try:
            self.entity = entity_details(db, entity_id)
        except NotFound:
            self._show_nothing()
            return
        name, mentions, documents = self.entity["name"], self.entity["mentions"], self.entity["documents"]
        style = style_of(self.entity["label"])
        self.setWindowTitle(f"{name} — {style.title}")
        self.heading.setText(f"<h2>{html.escape(name)}</h2>")
        self.counts.setText(f"{style.title} · {plural(mentions, 'mention')} in {plural(documents, 'article')}")
        names = aliases_of(db, entity_id)
        self.aliases.setText("Also written: " + ", ".join(names) if names else "No other names.")
        timeline = entity_timeline(db, entity_id)
        self.chart.set_timeline(timeline)
        dated = any(month["month"] is not None for month in timeline)
        self.table.setColumnHidden(MentionsModel.PUBLISHED, not dated)  # it would be empty on every row
        self.timeline.setVisible(dated)
        self._fill_related(cooccurring(db, entity_id))
        self.mentions.set_entity(entity_id)
        self._balance(mentions)
        for button in self.buttons.values():
            button.setEnabled(True)
        self.buttons["split"].setEnabled(bool(names))
        self.buttons["both"].setEnabled(self.related.count() > 0)

    def _balance(self, mentions: int) -> None:
        """Give the mentions table the rows it needs (between ``MIN_TABLE_ROWS`` and two thirds of
        the page; without a chart, all the co-occurring entities can spare) and the rest to them."""
        total = sum(self.body.sizes()) or self.body.sizeHint().height()
        header = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        wanted = header + ROW_HEIGHT * max(MIN_TABLE_ROWS, min(mentions, PAGE_SIZE))
        charted = self.timeline.isVisibleTo(self)
        table = min(wanted, total * 2 // 3 if charted else total - self.body.widget(0).minimumSizeHint().height())
        self.body.setSizes([total - table, table])

    def _fill_related(self, rows: Sequence[dict[str, Any]]) -> None:
        self.related.clear()
        for row in rows:
            item = QListWidgetItem(swatch_icon(row["label"], theme=self._theme), f"{row['name']} — {plural(row['documents'], 'article')}")
            item.setData(ENTITY_ROLE, row["entity_id"])
            item.setToolTip(f"{style_of(row['label']).title}: {row['name']}")
            self.related.addItem(item)
        if self.related.count():
            self.related.setCurrentRow(0)

    def related_ids(self) -> list[int]:
        """The co-occurring entities listed, in order."""
        return [self.related.item(row).data(ENTITY_ROLE) for row in range(self.related.count())]

    # what the person asks for ----------------------------------------------------------

    def _line_activated(self, index: QModelIndex) -> None:
        line = self.mentions.line_at(index.row())
        if line is not None:
            self.open_requested.emit(line["document_id"], line["start"], line["end"])

    def _related_activated(self, item: QListWidgetItem) -> None:
        self.show_entity(item.data(ENTITY_ROLE))

    def _ask_filter(self) -> None:
        if self.entity is not None:
            self.filter_requested.emit(self.entity["label"], self.entity["name"])

    def _ask_both(self) -> None:
        item = self.related.currentItem()
        if self.entity is not None and item is not None:
            self.both_requested.emit(self.entity["entity_id"], item.data(ENTITY_ROLE))

    def _ask_rename(self) -> None:
        if self.entity is None:
            return
        name = EntityDialogs.ask_text(self, title="Rename entity", label="Canonical name:",
                                      text=self.entity["name"])
        if name is not None and name != self.entity["name"]:
            self.rename_requested.emit(self.entity["entity_id"], name)

    def _ask_merge(self) -> None:
        if self.entity is None:
            return
        into = self.entity["entity_id"]
        try:
            pool = candidate_pool(self._db(), into)
        except NotFound:
            self._show_nothing()
            return
        if not len(pool):
            return
        MergePicker.ask(
            self, pool=pool, title="Merge entities", theme=self._theme, keep_chosen=False,
            question=f"Which entity is the same as the {style_of(self.entity['label']).title.lower()} "
                     f"“{self.entity['name']}”? Its mentions and names come here.",
            then=lambda source: self.merge_requested.emit(source, into))

    def _ask_split(self) -> None:
        if self.entity is None:
            return
        name = EntityDialogs.ask_choice(
            self, title="Split a wrong merge", choices=aliases_of(self._db(), self.entity["entity_id"]),
            label=f"Which name is not “{self.entity['name']}”?")
        if name is not None:
            self.split_requested.emit(self.entity["entity_id"], name)

    def _ask_export(self) -> None:
        if self.entity is None:
            return
        path = EntityDialogs.ask_csv_path(self, suggested=f"{self.entity['name']}.csv")
        if path is not None:
            try:
                count = export_mentions(self._db(), self.entity["entity_id"], path)
            except DossierError as err:
                report_error(err, parent=self, title="Export mentions")
                return
            self.export_finished.emit(str(path), count)

