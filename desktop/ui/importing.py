"""Importing in the main window, plugged in through its public seams by ``install(window)``.

The ``Importer`` owns:

- File ▸ Import… (``actionImport``, Ctrl+I) and Import folder… opening the
  ``ImportDialog`` (one per window, non-modal, kept while an import runs;
  a new one is made for another library);
- dropping files or folders on the window: the dialog opens with them chosen;
- File ▸ Import history (``importHistory``), whose Retry failed imports again;
- after every import run, entity extraction over the new articles on the
  window's writer, with its own progress bar and Cancel in the status bar;
- "Re-import from file" (``actionReimport``) in the article list's context
  menu: the selected articles' files are read again and their text updated in
  place (``desktop.core.reimport``), then their entities extracted again;
- the confirmation asked before articles are removed from the library
  (Remove from library stays the annotating feature's action, with its undo).

Imports, extraction and re-import all run on the window's writer
(``submit_write``), one at a time.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QUrl
from PySide6.QtGui import QAction, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from desktop.core.changes import ChangeSet
from desktop.core.entities.store import ExtractionReport, extract_entities
from desktop.core.ingest import ImportReport
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.reimport import ReimportReport, reimport_documents

from . import annotate
from .import_dialog import ImportDialog, plural
from .import_history import ImportHistoryDialog

STATUS_MS = 10_000


class RemoveConfirmation:
    """The question asked before articles leave the library; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget, *, count: int) -> bool:
        """True when the person confirms removing ``count`` articles."""
        answer = QMessageBox.question(
            parent, "Remove from library",
            f"Remove {plural(count, 'article')} from the library, with their tags, highlights "
            "and notes?\n\nEdit ▸ Undo brings them back.",
        )
        return answer == QMessageBox.StandardButton.Yes


def run_extraction(doc_ids: list[int], library: Library, *, progress: ProgressCallback,
                   cancel: CancelToken) -> ExtractionReport:
    """Entity extraction over ``doc_ids`` as a writer job."""
    return extract_entities(library, doc_ids=doc_ids, progress=progress, cancel=cancel)


def run_reimport(doc_ids: list[int], library: Library, *, progress: ProgressCallback,
                 cancel: CancelToken) -> ReimportReport:
    """Re-importing the files of ``doc_ids`` as a writer job."""
    return reimport_documents(library, doc_ids, progress=progress, cancel=cancel)


def local_paths(urls: Sequence[QUrl]) -> list[Path]:
    """The local files and folders among dropped ``urls``."""
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]


class Importer(QObject):
    """Import, import history, re-import and the removal confirmation for one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.annotator = annotate.install(window)
        self.dialog: ImportDialog | None = None
        self.history: ImportHistoryDialog | None = None
        self._closing = False
        window.set_import_handler(files=lambda _window: self.open_dialog(), folder=lambda _window: self.ask_folder())
        self.action_history = QAction("Import &history…", window)
        self.action_history.setObjectName("actionImportHistory")
        self.action_history.triggered.connect(lambda _checked=False: self.show_history())
        self.action_reimport = QAction("Re-import from file", window)
        self.action_reimport.setObjectName("actionReimport")
        self.action_reimport.triggered.connect(lambda _checked=False: self.reimport_selected())
        window.addAction(self.action_history)
        window.addAction(self.action_reimport)
        self._add_to_file_menu(window.action_import.associatedObjects())
        window.add_list_menu_section(lambda menu, _ids: menu.addAction(self.action_reimport))
        window.library_opened.connect(self._library_opened)
        self.annotator.set_remove_confirmation(
            lambda ids: RemoveConfirmation.ask(window, count=len(ids)))
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _add_to_file_menu(self, owners: Sequence[QObject]) -> None:
        menu = next((owner for owner in owners if isinstance(owner, QMenu)), None)
        if menu is None:
            return
        menu.insertAction(self.window.action_export, self.action_history)
        menu.insertAction(self.window.action_export, self.action_reimport)

    # the dialog --------------------------------------------------------------------------

    def open_dialog(self, paths: Sequence[Path] = ()) -> ImportDialog:
        """Show the import dialog (with ``paths`` added to its list) and return it."""
        if self.dialog is None:
            self.dialog = ImportDialog(self.window)
            self.dialog.import_finished.connect(self._import_finished)
        self.dialog.add_paths(paths)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def ask_folder(self) -> None:
        """File ▸ Import folder…: the dialog opens and asks for a folder."""
        dialog = self.open_dialog()
        if not dialog.running:
            dialog.add_paths(dialog.ask_folder(dialog))

    def _library_opened(self) -> None:
        """Another library is open: the next import gets a fresh dialog, the history shows the new file."""
        if self.dialog is not None and not self.dialog.running:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.history is not None:
            self.history.refresh()

    def _import_finished(self, report: ImportReport) -> None:
        if report.imported and not self._closing:
            self.extract(list(report.imported))

    def show_history(self) -> ImportHistoryDialog:
        """Open (or raise) File ▸ Import history."""
        if self.history is None:
            self.history = ImportHistoryDialog(lambda: self.window.library.db, self.window)
            self.history.retry_requested.connect(self.retry)
        self.history.refresh()
        self.history.show()
        self.history.raise_()
        return self.history

    def retry(self, paths: list[Path]) -> None:
        """Import ``paths`` again in the import dialog, showing its progress and report."""
        dialog = self.open_dialog()
        if not dialog.running:
            dialog.start(paths)

    # entities ----------------------------------------------------------------------------

    def extract(self, doc_ids: list[int]) -> None:
        """Find the entities of ``doc_ids`` in the background, with progress in the status bar."""
        self.window.submit_write(
            functools.partial(run_extraction, doc_ids),
            on_finished=functools.partial(self._extracted, doc_ids), title=f"Finding entities in {plural(len(doc_ids), 'article')}",
            show_progress=True,
        )

    def _extracted(self, doc_ids: list[int], report: ExtractionReport) -> None:
        if self._closing:
            return
        self.window.statusBar().showMessage(
            f"Entities found in {plural(report.documents, 'article')}.", STATUS_MS)
        self.window.operations.announce(ChangeSet.of(entities=doc_ids, entity_definitions=True))

    # re-import ----------------------------------------------------------------------------------

    def reimport_selected(self) -> None:
        """Read the selected articles' files again and update their text in place."""
        ids = self.annotator.target_ids()
        if not ids:
            self.window.statusBar().showMessage("Select one or more articles first.", STATUS_MS)
            return
        self.window.submit_write(
            functools.partial(run_reimport, ids), on_finished=self._reimported,
            title="Re-importing", show_progress=True,
        )

    def _reimported(self, report: ReimportReport) -> None:
        if self._closing:
            return
        message = report.summary()
        if report.failed:
            message += ". " + "; ".join(f"{Path(path).name}: {reason}" for path, reason in report.failed[:3])
        self.window.statusBar().showMessage(message + ".", STATUS_MS)
        if report.changed_ids:
            self.window.operations.announce(
                ChangeSet.of(edited=report.changed_ids, annotated=report.changed_ids))
            self.extract(report.changed_ids)

    # events ------------------------------------------------------------------------------

    @staticmethod
    def _offer_drop(event: QDragMoveEvent) -> bool:
        if local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
            return True
        return False

    def _drop(self, event: QDropEvent) -> bool:
        paths = local_paths(event.mimeData().urls())
        if not paths:
            return False
        event.acceptProposedAction()
        self.open_dialog(paths)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            return self._offer_drop(event)
        if watched is self.window and event.type() == QEvent.Type.Drop:
            return self._drop(event)
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._closing = True
            if self.dialog is not None:
                self.dialog.shutdown()
        return False


def install(window: Any) -> Importer:
    """Plug the import dialog, import history, re-import and removal confirmation into ``window``.

    Installs annotating first when it is not there yet (removal and the list menu are its own).
    Installing into the same window again returns the ``Importer`` already there.
    """
    installed = window.findChild(Importer)
    return installed if isinstance(installed, Importer) else Importer(window)
