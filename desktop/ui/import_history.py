"""File ▸ Import history (``importHistory``): every import run, newest first, and its files.

Choosing a run lists the files that failed in it with their reasons (and, for
a run whose process died, how to resume it), then (``importRunFiles``) the
files imported with a note (stray NUL bytes removed), the files that updated an
article in place, the files gone from its folders, and each duplicate with the
article it duplicates (files already in the library, unchanged, are only counted);
Retry failed asks the window to import those files again (``retry_requested``),
Copy report puts the run's report on the clipboard. The dialog reads the
library when it is shown or ``refresh`` is called; it writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop.core.errors import DossierError
from desktop.core.import_history import (
    ImportRun,
    failed_paths,
    get_run,
    list_runs,
    local_time,
    report_text,
    run_files,
)

from .errors import report_error
from .import_dialog import common_folder, fill_failures, grouped_failures

RUN_ROLE = Qt.ItemDataRole.UserRole + 1
OTHER_STATUSES = ("imported", "updated", "missing", "duplicate")  # imported: those with a note


class ImportHistoryDialog(QDialog):
    """The list of import runs of the window's library and the failures of the chosen one."""

    retry_requested = Signal(list)

    def __init__(self, database: Callable[[], Database], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importHistory")
        self.setWindowTitle("Import history")
        self._database = database
        self.runs = QTreeWidget()
        self.runs.setObjectName("importRuns")
        self.runs.setHeaderLabels(["Started", "What was imported", "Result"])
        self.runs.setRootIsDecorated(False)
        self.runs.setColumnWidth(0, 170)
        self.runs.setColumnWidth(1, 300)
        self.runs.currentItemChanged.connect(lambda *_: self._show_run())
        self.details = QLabel("Choose an import to see what failed in it.")
        self.details.setWordWrap(True)
        self.failures = _file_list("importRunFailures", "Why it was not imported")
        self.others_label = QLabel("Files imported with a note, updated, missing or duplicate:")
        self.others = _file_list("importRunFiles", "What happened")
        self.retry_button = QPushButton("&Retry failed")
        self.retry_button.setObjectName("retryFailed")
        self.retry_button.clicked.connect(self.retry_failed)
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.clicked.connect(self.copy_report)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.details)
        lower_layout.addWidget(self.failures, 1)
        lower_layout.addWidget(self.others_label)
        lower_layout.addWidget(self.others, 1)
        lower_layout.addStretch(0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.runs)
        splitter.addWidget(lower)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(820, 560)
        self.refresh()

    def refresh(self) -> None:
        """Read the runs again, keeping the chosen one chosen."""
        chosen = self.current_run_id()
        self.runs.clear()
        for run in list_runs(self._database()):
            item = QTreeWidgetItem([local_time(run.started_at), _what(run), run.summary()])
            item.setData(0, RUN_ROLE, run.id)
            item.setToolTip(1, "\n".join(run.paths))
            self.runs.addTopLevelItem(item)
            if run.id == chosen:
                self.runs.setCurrentItem(item)
        if self.runs.currentItem() is None and self.runs.topLevelItemCount():
            self.runs.setCurrentItem(self.runs.topLevelItem(0))
        self._show_run()

    def current_run_id(self) -> int | None:
        """The id of the chosen run, or None."""
        item = self.runs.currentItem()
        return int(item.data(0, RUN_ROLE)) if item is not None else None

    def _show_run(self) -> None:
        run_id = self.current_run_id()
        self.failures.clear()
        self.others.clear()
        self.failures.setVisible(False)
        self._show_others(False)
        self.copy_button.setEnabled(run_id is not None)
        self.retry_button.setEnabled(False)
        if run_id is None:
            self.details.setText("Nothing has been imported into this library yet.")
            return
        failed = run_files(self._database(), run_id, status="failed")
        run = get_run(self._database(), run_id)
        text = "Failed files of this import:" if failed else "Nothing failed in this import."
        if run.state == "interrupted":
            text = (f"This import was interrupted before it finished; "
                    f"“dossier import --resume {run.id}” reads the files it had not reached. {text}")
        self.details.setText(text)
        rows = grouped_failures([(item.path, item.reason or "") for item in failed])
        folder = common_folder([Path(p) for p in run.paths])
        fill_failures(self.failures, rows, folder=folder)
        self.failures.setVisible(bool(failed))
        self.retry_button.setEnabled(bool(failed))
        others = [(item.path, item.describe()) for status in OTHER_STATUSES
                  for item in run_files(self._database(), run_id, status=status, noted=status == "imported")]
        fill_failures(self.others, others, folder=folder)
        self._show_others(bool(others))

    def _show_others(self, shown: bool) -> None:
        self.others_label.setVisible(shown)
        self.others.setVisible(shown)

    def retry_failed(self) -> None:
        """Ask for the chosen run's failed files to be imported again."""
        run_id = self.current_run_id()
        if run_id is None:
            return
        try:
            paths: list[Path] = failed_paths(self._database(), run_id)
        except DossierError as err:
            report_error(err, parent=self, title="Cannot retry")
            return
        if paths:
            self.retry_requested.emit(paths)

    def copy_report(self) -> str:
        """Put the chosen run's report on the clipboard (and return it)."""
        run_id = self.current_run_id()
        if run_id is None:
            return ""
        text = report_text(self._database(), run_id)
        QGuiApplication.clipboard().setText(text)
        return text


def _file_list(name: str, what: str) -> QTreeWidget:
    """A list of a run's files (column "File") and what became of each (column ``what``)."""
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(["File", what])
    tree.setRootIsDecorated(False)
    tree.setColumnWidth(0, 320)
    tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    return tree


def _what(run: ImportRun) -> str:
    if not run.paths:
        return "(nothing)"
    first = Path(run.paths[0]).name or run.paths[0]
    return first if len(run.paths) == 1 else f"{first} and {len(run.paths) - 1} more"
