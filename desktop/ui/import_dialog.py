"""The import dialog (``importDialog``): choose, look before importing, follow the import, read the report.

Three pages in one non-modal dialog:

1. *Choose*: files and folders to import (folders are read recursively) and,
   as soon as they change, a scan on a worker (``desktop.core.scan``): files
   per type, files of unsupported types, files that look like duplicates.
   The import can start before the scan has finished (the scan then stops).
   A file imported before whose text changed updates its article in place,
   unless *Import changed files as new articles* (``importAsNew``) is ticked.
2. *Importing*: the import runs on the window's writer (``submit_write``)
   while the window stays usable, as the core workflow "import, then find
   entities" (``desktop.core.workflows``) in the background form: the report
   shows as soon as the files are read, and the new articles wait in the
   extraction queue, which the window's background extraction
   (``background_extraction``) reads with its own progress and Stop. The job's progress callback only stores the
   latest step; a timer reads it every ``POLL_MS`` together with what the
   library has committed, so the bar, files done / total, articles per second
   and time left update twice a second or more whatever the import's pace,
   and no signal is sent per file. The list refreshes as batches commit.
   Cancel stops after the current file and keeps everything committed.
3. *Report*: imported / updated / duplicates / failed / missing, each failed
   file with its reason and each file gone from an imported folder (its
   article is kept), and Retry failed, Copy report, Show in list.

Tests replace the file pickers (``ask_files`` / ``ask_folder``) instead of
clicking through Qt's modal file dialogs.
"""

from __future__ import annotations

import functools
import html
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import ChangeSet
from desktop.core.import_history import (
    failed_paths,
    latest_run_id,
    recorded_since,
    report_text,
    source_file,
)
from desktop.core.ingest import ImportReport
from desktop.core.jobs import CancelToken, Progress, ProgressCallback
from desktop.core.library import Library
from desktop.core.scan import ScanSummary, scan_paths
from desktop.core.workflows import ImportOutcome, import_and_extract

from . import file_dialogs
from .errors import message_for
from .workers import Worker, WorkerPool

POLL_MS = 250
MAX_FAILURE_ROWS = 5000
NEXT_STEP_HINT = ("Hover a reason to read it whole. Fix the files and press Retry failed, "
                  "or Copy report to keep the list.")
GROUP_NUMBERS = 5
DUPLICATE_MEANING = (
    "imported before from the same place and not changed since, or a text file whose "
    "text is already in the library; a file changed since updates its article"
)
MISSING_REASON = "no longer in the folder — its article is kept"


class LatestProgress:
    """A progress callback that only keeps the latest step; read from another thread by polling."""

    def __init__(self) -> None:
        self.latest: Progress | None = None

    def __call__(self, progress: Progress) -> None:
        self.latest = progress


class LinkedToken(CancelToken):
    """A cancel token that also counts as cancelled when any of ``others`` is."""

    def __init__(self, *others: CancelToken) -> None:
        super().__init__()
        self._others = others

    @property
    def cancelled(self) -> bool:
        return super().cancelled or any(other.cancelled for other in self._others)


def run_import(
    paths: list[Path], stop: CancelToken, latest: ProgressCallback,
    on_imported: Callable[[ImportReport], None], library: Library, *,
    progress: ProgressCallback, cancel: CancelToken, as_new: bool = False,
) -> ImportOutcome | BaseException:
    """Import and queue the new articles for entity extraction, as a writer job: stops when the
    dialog (``stop``) or the window (``cancel``) asks; ``on_imported(report)`` as soon as the
    files are read; changed files update their articles unless ``as_new``. Returns the
    workflow's outcome, or the error that ended it so the dialog can show it.

    ``latest`` keeps the latest step for the dialog's timer (the worker's ``progress`` is unused).
    """
    try:
        return import_and_extract(library, paths, progress=latest, cancel=LinkedToken(stop, cancel),
                                  on_imported=on_imported, as_new=as_new, background=True)
    except Exception as err:  # noqa: BLE001 - shown on the report page, logged by message_for
        return err


def run_scan(library: Library, paths: list[Path], *, progress: ProgressCallback,
             cancel: CancelToken) -> ScanSummary:
    """The pre-import scan on its own connection to the library."""
    connection = library.connect()
    try:
        return scan_paths(connection.db, paths, progress=progress, cancel=cancel)
    finally:
        connection.close()


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``"1 file"``, ``"2,225 files"``."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def names_of(paths: Sequence[Path]) -> str:
    """``"bbc"``, ``"a.txt, b.txt and 3 more"``: what is being imported, in a few words."""
    names = [path.name or str(path) for path in paths[:2]]
    more = f" and {len(paths) - 2:,} more" if len(paths) > 2 else ""
    return ", ".join(names) + more


def describe_scan(summary: ScanSummary) -> str:
    """What the scan found, as the few lines of rich text shown above the Import button."""
    if not summary.files:
        return "No files found."
    types = ", ".join(f"{count:,} {suffix}" for suffix, count in summary.by_type.items())
    lines = [f"<b>{plural(summary.supported, 'file')} to read</b>" + (f": {types}" if types else "")]
    if summary.unsupported:
        kinds = ", ".join(summary.unsupported_by_type())
        lines.append(f"{plural(len(summary.unsupported), 'file')} of a type Dossier cannot read ({kinds}) "
                     "— listed as failed")
    if summary.missing:
        lines.append(f"{plural(len(summary.missing), 'path')} not found")
    duplicates = len(summary.likely_duplicates)
    lines.append(f"{plural(duplicates, 'file looks', 'files look')} like "
                 f"{'a duplicate' if duplicates == 1 else 'duplicates'} of what the library holds "
                 f"<span style='color: gray'>({DUPLICATE_MEANING})</span>")
    return "<br>".join(lines)


def describe_pace(*, step: Progress | None, articles: int, seconds: float) -> str:
    """Files done / total, articles per second and time left, in one line."""
    parts = [f"{step.done:,} of {plural(step.total, 'file')}" if step else "Reading the first file…"]
    if articles and seconds > 0.5:
        parts.append(f"{articles / seconds:,.0f} articles/s")
    if step is not None and 0 < step.done < step.total:
        left = seconds * (step.total - step.done) / step.done
        parts.append(f"about {_duration(left)} left")
    return " · ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def common_folder(paths: Sequence[Path]) -> Path | None:
    """The folder holding every one of ``paths`` (a chosen folder holds itself), or None."""
    folders = [str(path if path.is_dir() else path.parent) for path in paths]
    try:
        return Path(os.path.commonpath(folders)) if folders else None
    except ValueError:
        return None


def shown_path(path: str, folder: Path | None) -> str:
    """``path`` relative to ``folder`` when it lies inside it, else as it is."""
    if folder is None or not path.startswith(str(folder) + os.sep):
        return path
    return path[len(str(folder)) + 1:]


def grouped_failures(failed: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Failures as report rows: failed records of one export file that share a reason become
    one row, ``"feed.jsonl:12"`` … as ``"feed.jsonl — 1,799 records (30, 31, 45, …)"``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path, reason in failed:
        groups.setdefault((source_file(path), reason), []).append(path)
    rows = []
    for (file, reason), paths in groups.items():
        if len(paths) == 1:
            rows.append((paths[0], reason))
            continue
        numbers = [path[len(file) + 1:] for path in paths[:GROUP_NUMBERS]]
        more = ", …" if len(paths) > GROUP_NUMBERS else ""
        rows.append((f"{file} — {len(paths):,} records ({', '.join(numbers)}{more})", reason))
    return rows


def describe_report(report: ImportReport) -> str:
    """The report's headline: imported / updated / duplicates / failed / missing."""
    text = f"Imported {plural(len(report.imported), 'article')} · "
    if report.updated:
        text += f"updated {len(report.updated):,} · "
    text += f"{plural(len(report.duplicates), 'duplicate')} · {len(report.failed):,} failed"
    if report.missing:
        text += f" · {report.missing_summary()}"
    if report.orphaned:
        text += (f" — {plural(len(report.orphaned), 'highlight')} could not be placed in the new text "
                 "(kept, flagged)")
    if report.cancelled:
        text += " — cancelled; everything imported before Cancel is kept"
    return text


class ImportDialog(QDialog):
    """The import dialog of one main window (see the module docstring)."""

    import_finished = Signal(object)  # ImportReport, once the files are read
    workflow_finished = Signal(object)  # ImportOutcome, once the entities are found too
    scan_finished = Signal(object)
    _read = Signal(object)  # from the writer thread: the files are read

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import articles")
        self.main_window = window
        self.paths: list[Path] = []
        self.scans = WorkerPool(max_threads=1, parent=self)
        self.report: ImportReport | None = None
        self._imported_paths: list[Path] = []
        self.summary: ScanSummary | None = None
        self._scan_worker: Worker | None = None
        self._stop: CancelToken | None = None
        self._latest = LatestProgress()
        self._before_run = 0
        self._started = 0.0
        self._closed = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._read.connect(self._imported)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._report_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(760, 480)

    # file pickers (tests replace these) -------------------------------------------------

    @classmethod
    def ask_files(cls, parent: QWidget) -> list[Path]:
        """Ask for files to import."""
        return file_dialogs.ask_open_files(parent, kind=file_dialogs.FileKind.IMPORT, title="Import articles")

    @classmethod
    def ask_folder(cls, parent: QWidget) -> list[Path]:
        """Ask for a folder to import (read recursively)."""
        folder = file_dialogs.ask_folder(parent, kind=file_dialogs.FileKind.IMPORT,
                                          title="Import a folder of articles")
        return [folder] if folder is not None else []

    # pages ---------------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        self.path_list = QListWidget()
        self.path_list.setObjectName("importPaths")
        self.path_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        add_files, add_folder, remove = (_side_button(text) for text in
                                         ("Add &files…", "Add f&older…", "&Remove"))
        add_files.clicked.connect(lambda: self.add_paths(self.ask_files(self)))
        add_folder.clicked.connect(lambda: self.add_paths(self.ask_folder(self)))
        remove.clicked.connect(self._remove_chosen)
        self.scan_label = QLabel("Add files or folders to import.")
        self.scan_label.setObjectName("scanSummary")
        self.scan_label.setWordWrap(True)
        self.scan_label.setTextFormat(Qt.TextFormat.RichText)
        self.start_button = QPushButton("&Import")
        self.start_button.setObjectName("startImport")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start_chosen)
        close = _side_button("Close")
        close.clicked.connect(self.close)
        self.as_new_box = QCheckBox("Import changed files as &new articles (keep the articles imported from them)")
        self.as_new_box.setObjectName("importAsNew")
        self.as_new_box.setToolTip("Unticked, a file imported before whose text changed updates its "
                                   "article in place: highlights, notes and tags stay with it.")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Files and folders to import (folders are read with everything inside):"))
        layout.addWidget(self.path_list, 1)
        layout.addLayout(_row(add_files, add_folder, remove, None))
        layout.addWidget(self.as_new_box)
        layout.addSpacing(6)
        layout.addWidget(self.scan_label)
        layout.addSpacing(6)
        layout.addLayout(_row(None, close, self.start_button))
        return page

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.heading = QLabel("<b>Importing…</b>")
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.pace_label = QLabel()
        self.pace_label.setObjectName("importPace")
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.clicked.connect(self.cancel)
        hint = QLabel("You can keep reading: new articles appear in the list as they are stored, "
                      "and closing this dialog does not stop the import.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        for widget in (self.heading, self.bar, self.pace_label, self.file_label):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addLayout(_row(None, self.cancel_button))
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        self.report_label = QLabel()
        self.report_label.setObjectName("importSummary")
        self.report_label.setWordWrap(True)
        font = self.report_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.report_label.setFont(font)
        self.failures = FailureList()
        self.failures.setObjectName("importFailures")
        self.failures.setHeaderLabels(["File", "What happened"])
        self.failures.setRootIsDecorated(False)
        self.failures.setWordWrap(True)
        self.failures.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.failures.setAlternatingRowColors(True)
        self.failures.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.failures.header().setStretchLastSection(True)
        self.failures.setColumnWidth(0, 240)
        self.retry_button = QPushButton("&Retry failed")
        self.retry_button.setObjectName("retryFailed")
        self.retry_button.clicked.connect(self.retry_failed)
        copy = QPushButton("&Copy report")
        copy.setObjectName("copyReport")
        copy.clicked.connect(self.copy_report)
        self.show_button = QPushButton("&Show in list")
        self.show_button.setObjectName("showInList")
        self.show_button.clicked.connect(self.show_in_list)
        more = QPushButton("Import &more…")
        more.clicked.connect(self.choose_again)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        layout = QVBoxLayout(page)
        layout.addWidget(self.report_label)
        self.next_step = QLabel(NEXT_STEP_HINT)
        self.next_step.setObjectName("importNextStep")
        self.next_step.setProperty("class", "emptyNote")
        self.next_step.setWordWrap(True)
        layout.addWidget(self.failures)
        layout.addWidget(self.next_step)
        layout.addStretch(1)
        layout.addLayout(_row(self.retry_button, copy, self.show_button, None, more, close))
        return page

    # choosing --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while an import started here has not reported."""
        return self._stop is not None

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Add files or folders to the list (each once) and scan the list again."""
        added = [Path(p) for p in paths if Path(p) not in self.paths]
        if not added or self.running:
            return
        if self.pages.currentIndex() != 0:
            self.choose_again()
        self.paths.extend(added)
        self.path_list.addItems([str(path) for path in added])
        self.rescan()

    def _remove_chosen(self) -> None:
        rows = sorted((self.path_list.row(item) for item in self.path_list.selectedItems()), reverse=True)
        for row in rows:
            self.path_list.takeItem(row)
            del self.paths[row]
        self.rescan()

    def rescan(self) -> None:
        """Scan the chosen paths again on a worker (Import need not wait for it)."""
        if self._scan_worker is not None:
            self._scan_worker.cancel()
        self.summary = None
        self.start_button.setEnabled(bool(self.paths))
        if not self.paths:
            self.scan_label.setText("Add files or folders to import.")
            return
        self.scan_label.setText("Looking at the files… (Import can start now)")
        self._scan_worker = self.scans.start(
            functools.partial(run_scan, self.main_window.library, list(self.paths)),
            on_finished=self._scanned, on_failed=self._scan_failed,
        )

    def _scanned(self, summary: ScanSummary) -> None:
        self._scan_worker = None
        if self._closed:
            return
        self.summary = summary
        self.scan_label.setText(describe_scan(summary))
        self.start_button.setEnabled(bool(summary.files))
        self.scan_finished.emit(summary)

    def _scan_failed(self, err: BaseException) -> None:
        self._scan_worker = None
        self.scan_label.setText(f"Could not look at the files: {message_for(err)}")

    def choose_again(self) -> None:
        """Back to the first page with an empty list, to import something else."""
        self.paths.clear()
        self.path_list.clear()
        self.rescan()
        self.pages.setCurrentIndex(0)

    # importing -------------------------------------------------------------------------

    def start_chosen(self) -> None:
        """Import (the button, or Enter): import the files and folders in the list."""
        self.start(self.paths)

    def start(self, paths: Sequence[Path]) -> None:
        """Import ``paths`` in the background and show its progress."""
        chosen = list(paths)
        if not chosen or self.running:
            return
        if self._scan_worker is not None:
            self._scan_worker.cancel()
        self._stop = CancelToken()
        self._imported_paths = chosen
        self._latest = LatestProgress()
        self._before_run = latest_run_id(self.main_window.library.db)
        self._started = time.monotonic()
        self.bar.setRange(0, 0)
        self.heading.setText(f"<b>Importing {html.escape(names_of(chosen))}…</b>")
        self.pace_label.setText("Starting…")
        self.file_label.clear()
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(1)
        self.main_window.submit_write(
            functools.partial(run_import, chosen, self._stop, self._latest, self._read.emit,
                              as_new=self.as_new_box.isChecked()),
            on_finished=functools.partial(self._finished, self._stop), title="Importing",
            show_progress=True,
        )
        self.timer.start()

    def cancel(self) -> None:
        """Stop the import after the current file; what was committed stays."""
        if self._stop is not None:
            self._stop.cancel()
            self.cancel_button.setEnabled(False)
            self.pace_label.setText("Cancelling…")

    def poll(self) -> None:
        """Show the latest progress (the window's list follows the committed batches by itself:
        its operations notice what the writer stores)."""
        step = self._latest.latest
        articles, _ = recorded_since(self.main_window.library.db, after_run=self._before_run)
        now = time.monotonic()
        if step is not None and step.total:
            self.bar.setRange(0, step.total)
            self.bar.setValue(step.done)
            self.file_label.setText(step.message)
        if self._stop is not None and not self._stop.cancelled:
            self.pace_label.setText(describe_pace(step=step, articles=articles, seconds=now - self._started))

    def _finished(self, stop: CancelToken, result: ImportOutcome | BaseException) -> None:
        """The whole workflow of the run ``stop`` belongs to ended: an error before its files
        were read shows on the report page (unless another run has started since)."""
        if self.running and stop is self._stop:
            self._imported(result if isinstance(result, BaseException) else result.imported)
        if not isinstance(result, BaseException) and not self._closed:
            self.workflow_finished.emit(result)

    def _imported(self, result: ImportReport | BaseException) -> None:
        if not self.running:
            return
        self.timer.stop()
        self._stop = None
        if self._closed:
            return
        if isinstance(result, BaseException):
            self._show_error(result)
            return
        self.report = result
        self.show_report(result)
        self.main_window.operations.announce(ChangeSet.of(
            added=result.imported, edited=result.updated, annotated=result.updated, entities=result.updated))
        self.import_finished.emit(result)

    def _show_error(self, err: BaseException) -> None:
        self.report = None
        self.report_label.setText(f"The import stopped: {message_for(err)}\n"
                                  "Articles stored before the problem are kept.")
        self.failures.clear()
        self.retry_button.setEnabled(False)
        self.show_button.setEnabled(False)
        self.pages.setCurrentIndex(2)
        self.main_window.operations.announce(ChangeSet())  # the batches stored before the problem

    # the report ------------------------------------------------------------------------

    def show_report(self, report: ImportReport) -> None:
        """Show ``report``: the totals, every failed file with its reason and every missing file."""
        self.report_label.setText(describe_report(report))
        folder = common_folder(self._imported_paths)
        rows = grouped_failures(report.failed) + [(path, MISSING_REASON) for path in report.missing]
        fill_failures(self.failures, rows, folder=folder)
        self.failures.setVisible(bool(rows))
        self.next_step.setVisible(bool(report.failed))
        self.retry_button.setEnabled(bool(report.failed))
        self.show_button.setEnabled(bool(report.changed_ids))
        self.pages.setCurrentIndex(2)

    def retry_failed(self) -> None:
        """Import the files that failed in the last run again."""
        if self.report is None:
            return
        self.start(failed_paths(self.main_window.library.db, self.report.run_id))

    def copy_report(self) -> str:
        """Put the report on the clipboard as text (and return it)."""
        if self.report is None:
            return ""
        text = report_text(self.main_window.library.db, self.report.run_id)
        QGuiApplication.clipboard().setText(text)
        return text

    def show_in_list(self) -> None:
        """Clear the search so the new and updated articles are listed, select them and read the first."""
        if self.report is None or not self.report.changed_ids:
            return
        window = self.main_window
        window.clear_search()
        window.reload(sync=True)
        ids = set(self.report.changed_ids)
        window.show_article(self.report.changed_ids[0])
        selection = window.list_view.selectionModel()
        model = window.model
        for row in range(model.rowCount()):
            if model.id_at(row) in ids:
                selection.select(model.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        window.raise_()
        window.activateWindow()

    def shutdown(self) -> None:
        """Stop the scan and the import (the window is closing) and wait for the scan."""
        self._closed = True
        self.timer.stop()
        if self._stop is not None:
            self._stop.cancel()
        self.scans.cancel_all()
        self.scans.wait()


class FailureList(QTreeWidget):
    """The failed files with their reasons: rows with room to breathe, and no taller than
    its rows need (a long list scrolls inside the dialog)."""

    ROW_PADDING = 5

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet(f"QTreeView::item {{ padding: {self.ROW_PADDING}px 4px; }}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

    def sizeHint(self) -> QSize:
        rows = sum(self.sizeHintForRow(row) for row in range(self.topLevelItemCount()))
        height = self.header().sizeHint().height() + rows + 2 * self.frameWidth() + 2
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.header().sizeHint().height() * 3)


def fill_failures(tree: QTreeWidget, rows: Sequence[tuple[str, str]], *, folder: Path | None) -> None:
    """Show failure ``rows`` (path, reason) in ``tree``, paths relative to ``folder``; at most
    ``MAX_FAILURE_ROWS``, then one row saying how many more the copied report holds."""
    tree.clear()
    items = []
    for path, reason in rows[:MAX_FAILURE_ROWS]:
        item = QTreeWidgetItem([shown_path(path, folder), reason])
        item.setToolTip(0, path)
        item.setToolTip(1, reason)
        items.append(item)
    tree.addTopLevelItems(items)
    hidden = len(rows) - len(items)
    if hidden > 0:
        tree.addTopLevelItem(QTreeWidgetItem([f"… and {hidden:,} more (Copy report lists them all)", ""]))
    tree.setCurrentItem(None)
    tree.updateGeometry()


def _side_button(text: str) -> QPushButton:
    """A button that Enter does not press even when it has the focus (Enter means Import)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    return button


def _row(*widgets: QWidget | None) -> QHBoxLayout:
    """A row of widgets; None is a stretch."""
    row = QHBoxLayout()
    for widget in widgets:
        if widget is None:
            row.addStretch(1)
        else:
            row.addWidget(widget)
    return row

