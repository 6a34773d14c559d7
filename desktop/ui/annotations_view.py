"""The library-wide annotations view (``annotationsView``): every highlight with its note and article.

Filter by colour, by tag (a parent tag includes its children) or by text in
the quote or note; open the article at a highlight (double-click or Enter);
export the highlights shown as Markdown or W3C Web Annotation JSON-LD; import
a JSON-LD file of annotations from another laptop. An export or an import runs
on a worker with a connection of its own, its progress and a Cancel button under
the table, so the window stays usable; the status line says what was written or
imported, or why not (a cancelled import changes nothing). Rows are revealed to
the table in batches as it scrolls. The window closes with its Close button, Esc
or Ctrl+W (the platform's Close key).
"""

from __future__ import annotations

from pathlib import Path
import functools
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop import __app_name__
from desktop.core.annotations import PALETTE, list_annotations
from desktop.core.export import export_markdown
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.tags import list_tags
from desktop.core.webannotation import export_annotations
from desktop.core.webannotation_import import AnnotationImport, import_annotations

from .closing import close_on_keys
from .errors import report_error
from .file_dialogs import FileKind, ask_open_file, ask_save_file
from .headers import FixedHeaders
from .highlight_bar import swatch_icon
from .job_progress import JobProgress
from .workers import WorkerPool

Index = QModelIndex | QPersistentModelIndex
FILTER_DELAY_MS = 200


class AnnotationTableModel(FixedHeaders, QAbstractTableModel):
    """Highlight rows (``list_annotations`` dicts), revealed ``BATCH`` at a time."""

    BATCH = 500
    COLOUR, QUOTE, NOTE, ARTICLE, SOURCE, DATE = range(6)
    HEADERS = ("Colour", "Quote", "Note", "Article", "Source", "Date")
    _FIELDS = (None, "quote", "note", "title", "source", "published")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[dict[str, Any]] = []
        self._shown = 0

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Show ``rows``; the first batch is revealed at once."""
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(len(self._rows), self.BATCH)
        self.endResetModel()

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every row of the current filter (revealed or not)."""
        return self._rows

    def row_at(self, row: int) -> dict[str, Any] | None:
        """The highlight shown at ``row``, or None."""
        return self._rows[row] if 0 <= row < self._shown else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        target = min(len(self._rows), self._shown + self.BATCH)
        if target > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, target - 1)
            self._shown = target
            self.endInsertRows()

    def _text(self, row: dict[str, Any], column: int) -> str:
        if column == self.COLOUR:
            return str(row["colour"] or "").capitalize()
        value = row.get(self._FIELDS[column]) or ""
        if column == self.DATE:
            return str(value)[:10]
        return " ".join(str(value).split())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.QUOTE, self.NOTE, self.ARTICLE):
            tip = self._text(row, column)
            if column == self.QUOTE and row["orphaned"]:
                tip += "\n(this passage is no longer in the article's text)"
            return tip or None
        if role == Qt.ItemDataRole.DecorationRole and column == self.COLOUR:
            return swatch_icon(row["colour_hex"], size=12)
        return None


class AnnotationFiles:
    """The file choosers of the view; tests replace these classmethods."""

    @classmethod
    def ask_markdown_file(cls, parent: QWidget) -> Path | None:
        return ask_save_file(parent, kind=FileKind.EXPORT, title="Export highlights as Markdown",
                             suggested="highlights.md", filters="Markdown (*.md)")

    @classmethod
    def ask_jsonld_file(cls, parent: QWidget) -> Path | None:
        return ask_save_file(parent, kind=FileKind.EXPORT, title="Export highlights as Web Annotation JSON-LD",
                             suggested="annotations.jsonld", filters="JSON-LD (*.jsonld *.json)")

    @classmethod
    def ask_import_file(cls, parent: QWidget) -> Path | None:
        return ask_open_file(parent, kind=FileKind.IMPORT, title="Import Web Annotation JSON-LD",
                             filters="JSON-LD (*.jsonld *.json);;All files (*)")


EMPTY_LIBRARY = ("No highlights yet. Select words in an article and press H to highlight them, "
                 "or N to highlight them with a note: they are all listed here.")
EMPTY_FILTERED = "No highlight matches these filters."


class _Table(QTableView):
    """The highlights table: Enter opens the article at the current highlight; with no rows, it
    says why in its middle (``empty_note``)."""

    open_requested = Signal()
    empty_note = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0 and self.empty_note:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            room = self.viewport().rect().adjusted(40, 0, -40, 0)
            painter.drawText(room, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_note)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class AnnotationsView(QWidget):
    """Every highlight of the library, filterable, with export and import."""

    open_requested = Signal(int, int)
    imported = Signal(object)  # the ChangeSet of an import of annotations

    def __init__(self, library: Callable[[], Library], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("annotationsView")
        self.setWindowTitle(f"Highlights and notes — {__app_name__}")
        self.resize(1000, 600)
        self._library = library
        self._pool = WorkerPool(max_threads=1, parent=self)
        self.job = JobProgress(self._pool, name="annotationsJob")
        self.text_box = QLineEdit()
        self.text_box.setObjectName("annotationsFilter")
        self.text_box.setPlaceholderText("Filter by words in the quote or note…")
        self.text_box.setClearButtonEnabled(True)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(FILTER_DELAY_MS)
        self._delay.timeout.connect(self.refresh)
        self.text_box.textChanged.connect(lambda _: self._delay.start())
        self.colour_box = QComboBox()
        self.colour_box.setObjectName("annotationsColour")
        self.colour_box.addItem("All colours", None)
        for name, hex_colour in PALETTE.items():
            self.colour_box.addItem(swatch_icon(hex_colour), name.capitalize(), name)
        self.colour_box.currentIndexChanged.connect(lambda _: self.refresh())
        self.tag_box = QComboBox()
        self.tag_box.setObjectName("annotationsTag")
        self.tag_box.currentIndexChanged.connect(lambda _: self.refresh())
        self.model = AnnotationTableModel()
        self.table = _Table()
        self.table.setObjectName("annotationsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons under the table
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate((110, 340, 220, 220, 100, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(AnnotationTableModel.QUOTE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.open_requested.connect(lambda: self._open(self.table.currentIndex().row()))
        self.status = QLabel()
        self.status.setObjectName("annotationsStatus")
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (("openArticle", "&Open article", lambda: self._open(self.table.currentIndex().row())),
                                 ("exportMarkdown", "Export &Markdown…", self.export_markdown),
                                 ("exportJsonLd", "Export &JSON-LD…", self.export_jsonld),
                                 ("importJsonLd", "&Import JSON-LD…", self.import_jsonld)):  # Alt+C: Close
            button = self.buttons[name] = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, run=slot: run())
            buttons.addWidget(button)
        self.job.running_changed.connect(self._busy)
        buttons.addStretch(1)
        buttons.addWidget(self.job)
        buttons.addWidget(self.status)
        buttons.addSpacing(12)
        buttons.addWidget(self._close_buttons())
        filters = QHBoxLayout()
        filters.addWidget(self.text_box, 1)
        filters.addWidget(self.colour_box)
        filters.addWidget(self.tag_box)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._fill_tags()

    def _close_buttons(self) -> QDialogButtonBox:
        """The Close button, and Esc and Ctrl+W doing the same."""
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.close)
        close_on_keys(self)
        return box

    def _db(self) -> Database:
        return self._library().db

    def _fill_tags(self) -> None:
        current = self.tag_box.currentData()
        self.tag_box.blockSignals(True)
        self.tag_box.clear()
        self.tag_box.addItem("All tags", None)
        for tag in list_tags(self._db()):
            self.tag_box.addItem(tag["name"], tag["name"])
        found = self.tag_box.findData(current)
        self.tag_box.setCurrentIndex(max(found, 0))
        self.tag_box.blockSignals(False)

    def refresh(self) -> None:
        """List the highlights matching the filters from the library as it is now."""
        self._delay.stop()
        self._fill_tags()
        rows = list_annotations(
            self._db(), colour=self.colour_box.currentData(), tag=self.tag_box.currentData(),
            text=self.text_box.text().strip() or None,
        )
        self.model.set_rows(rows)
        self.table.empty_note = EMPTY_FILTERED if self._filtered() else EMPTY_LIBRARY
        self.table.viewport().update()
        noun = "highlight" if len(rows) == 1 else "highlights"
        self.status.setText(f"{len(rows):,} {noun}")

    def _filtered(self) -> bool:
        return bool(self.text_box.text().strip() or self.colour_box.currentData() or self.tag_box.currentData())

    def _shown(self) -> dict[str, Any]:
        """What an export writes: with a filter on, the highlights shown and their articles
        (``doc_ids``, ``highlight_ids``); everything otherwise."""
        if not self._filtered():
            return {}
        return {"doc_ids": list(dict.fromkeys(row["document_id"] for row in self.model.rows)),
                "highlight_ids": {row["id"] for row in self.model.rows}}

    def _open(self, row: int) -> None:
        found = self.model.row_at(row)
        if found is not None:
            self.open_requested.emit(found["document_id"], found["start"])

    def export_markdown(self) -> None:
        """Write the highlights shown (with their articles' notes) to a Markdown file, in the background."""
        self._export(AnnotationFiles.ask_markdown_file, export_markdown, "Exporting Markdown", "article")

    def export_jsonld(self) -> None:
        """Write the highlights shown, with their articles' notes and tags, as W3C Web Annotation
        JSON-LD, in the background."""
        self._export(AnnotationFiles.ask_jsonld_file, export_annotations, "Exporting JSON-LD", "annotation")

    def _export(self, ask: Callable[[QWidget], Path | None], export: Callable[..., int], title: str,
                noun: str) -> None:
        if self.job.running:
            return
        path = ask(self)
        if path is None:
            return
        self.status.clear()
        self.job.start(
            f"{title} to {path.name}",
            functools.partial(_on_own_connection, self._library(), export, path, **self._shown()),
            on_finished=lambda count: self.status.setText(_exported(count, noun, path)),
            on_failed=lambda err: self.status.setText(f"Not exported: {report_error(err)}"),
            on_cancelled=lambda: self.status.setText(f"Export cancelled: {path.name} was not written."),
        )

    def _busy(self, running: bool) -> None:
        for name in ("exportMarkdown", "exportJsonLd", "importJsonLd"):
            self.buttons[name].setEnabled(not running)

    def stop(self) -> None:
        """Cancel a running export or import and wait for it: the main window is closing."""
        self._pool.cancel_all()
        self._pool.wait()

    def import_jsonld(self) -> None:
        """Read annotations from a JSON-LD file into the library, in the background, in one
        transaction: cancelled, it adds nothing."""
        if self.job.running:
            return
        path = AnnotationFiles.ask_import_file(self)
        if path is None:
            return
        self.status.clear()
        self.job.start(
            f"Importing {path.name}", functools.partial(_on_own_connection, self._library(), import_annotations, path),
            on_finished=self._imported,
            on_failed=lambda err: self.status.setText(f"Not imported: {report_error(err)}"),
            on_cancelled=lambda: self.status.setText(f"Import cancelled: nothing from {path.name} was added."),
        )

    def _imported(self, report: AnnotationImport) -> None:
        self.refresh()
        self.imported.emit(report.changes)
        self.status.setText(report.summary())


def _on_own_connection(library: Library, run: Callable[..., Any], path: Path, *, progress: ProgressCallback,
                       cancel: CancelToken, **options: Any) -> Any:
    """``run(db, path, progress=, cancel=, **options)`` (an export or import of ``path``) on a
    connection of the worker's own."""
    connection = library.connect()
    try:
        return run(connection.db, path, progress=progress, cancel=cancel, **options)
    finally:
        connection.close()


def _exported(count: int, noun: str, path: Path) -> str:
    return f"Exported {count:,} {noun}{'' if count == 1 else 's'} to {path.name}."
