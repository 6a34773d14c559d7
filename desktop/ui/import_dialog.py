"""The import dialog (``importDialog``): choose, look before importing, follow the import, read the report.

Three pages in one non-modal dialog:

1. *Choose*: files and folders to import (folders are read recursively) and,
   as soon as they change, a scan on a worker (``desktop.core.scan``): files
   per type, files of unsupported types, files already in the library unchanged, files that
   look like duplicates.
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
   and no signal is sent per file (a record export shows the bytes of it read).
   The list refreshes as batches commit. Cancel stops after the current file, or
   within a record export after its current batch of records, and keeps
   everything committed; the report says how far into an export it came.
3. *Report*: imported / updated / unchanged / duplicates / failed / missing, each failed
   file with its reason and each file gone from an imported folder (its
   article is kept), and Retry failed, Copy report, Show in list.

The jobs the dialog runs are in ``import_jobs``; the words of the scan, the
progress line and the report, and the list of failures, in ``import_report``.

Tests replace the file pickers (``ask_files`` / ``ask_folder``) instead of
clicking through Qt's modal file dialogs.
"""

from __future__ import annotations

import functools
import html
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import ChangeSet
from desktop.core.errors import DossierError
from desktop.core.import_history import failed_paths, latest_run_id, recorded_since, report_text, run_files
from desktop.core.import_report import ImportReport
from desktop.core.jobs import CancelToken
from desktop.core.scan import ScanSummary
from desktop.core.workflows import ImportOutcome

from . import file_dialogs
from .errors import message_for
from .import_jobs import LatestProgress, run_import, run_scan
from .import_report import (
    FailureList,
    common_folder,
    describe_clean_run,
    describe_pace,
    describe_report,
    describe_scan,
    fill_failures,
    grouped_failures,
    names_of,
)
from .workers import Worker, WorkerPool

POLL_MS = 250
NEXT_STEP_HINT = ("Hover a reason to read it whole. Fix the files and press Retry failed, "
                  "or Copy report to keep the list.")
MISSING_REASON = "no longer in the folder — its article is kept"


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
        self.next_step = QLabel(NEXT_STEP_HINT)
        self.next_step.setObjectName("importNextStep")
        self.next_step.setProperty("class", "emptyNote")
        self.next_step.setWordWrap(True)
        self._report_layout = layout = QVBoxLayout(page)
        layout.addStretch(0)  # with nothing listed, the headline and its line sit in the middle
        layout.addWidget(self.report_label)
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

    def files_read(self) -> tuple[int, int]:
        """How many files the running import has read, of how many ((0, 0) before the first one,
        and while the bytes of an export are counted)."""
        step = self._latest.latest
        return (step.done, step.total) if step is not None and step.unit == "files" else (0, 0)

    def cancel(self) -> None:
        """Stop the import after the current file (or batch of an export's records); what was
        committed stays."""
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
        """Show ``report``: the totals, every failed file with its reason, every missing file,
        every file imported with a note and every duplicate with the article it duplicates."""
        self.report_label.setText(describe_report(report))
        folder = common_folder(self._imported_paths)
        rows = (grouped_failures(report.failed) + [(path, MISSING_REASON) for path in report.missing]
                + [(path, f"imported; {note}") for path, note in report.notes]
                + self._duplicate_rows(report))
        fill_failures(self.failures, rows, folder=folder)
        self.failures.setVisible(bool(rows))
        clean = "" if rows else describe_clean_run(report)
        self.next_step.setText(clean or NEXT_STEP_HINT)
        self.next_step.setVisible(bool(report.failed or clean))
        centred = Qt.AlignmentFlag.AlignHCenter if clean else Qt.AlignmentFlag.AlignLeft
        for label in (self.report_label, self.next_step):
            label.setAlignment(centred | Qt.AlignmentFlag.AlignVCenter)
        self._report_layout.setStretch(0, 1 if clean else 0)
        self.retry_button.setVisible(bool(report.failed))
        self.retry_button.setEnabled(bool(report.failed))
        self.show_button.setEnabled(bool(report.changed_ids))
        self.pages.setCurrentIndex(2)

    def _duplicate_rows(self, report: ImportReport) -> list[tuple[str, str]]:
        if not report.duplicates:
            return []
        try:
            files = run_files(self.main_window.library.db, report.run_id, status="duplicate")
        except DossierError:
            return [(path, "duplicate") for path in report.duplicates]
        return [(item.path, item.describe()) for item in files]

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
        """Clear the search so the new and updated articles are listed, select them and read the first,
        with the keyboard on the list."""
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
        window.list_view.setFocus(Qt.FocusReason.OtherFocusReason)  # the keyboard on what was shown
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
