"""Importing in the main window, plugged in through its public seams by ``install(window)``.

The ``Importer`` owns:

- File ▸ Import… (``actionImport``, Ctrl+I) and Import folder… opening the
  ``ImportDialog`` (one per window, non-modal, kept while an import runs;
  a new one is made for another library);
- dropping files or folders on the window: the dialog opens with them chosen;
- File ▸ Import history (``importHistory``), whose Retry failed imports again;
- after every import run, what entity extraction over the new and updated articles found
  (the dialog runs the core workflow "import, then find entities");
- "Re-import from file" (``actionReimport``) in the article list's context
  menu: the core workflow ``reimport_and_extract`` reads the selected
  articles' files again, updates their text in place, re-anchors their
  highlights and finds their entities again, with progress and Cancel in the
  status bar;
- the confirmation asked before articles are removed from the library
  (Remove from library stays the annotating feature's action, with its undo).

Imports and re-imports run on the window's writer (``submit_write``), one
at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QUrl
from PySide6.QtGui import QAction, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from desktop.core.changes import ChangeSet
from desktop.core.undo import plural
from desktop.core.workflows import FINDING_ENTITIES, ImportOutcome, ReimportOutcome, reimport_and_extract

from . import annotate
from .entities import record_name_links
from .import_dialog import ImportDialog
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


class StopImportQuestion:
    """The question asked when the window is closed while an import runs; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget, *, done: int, total: int) -> bool:
        """True when the person chooses to stop the import (``done`` of ``total`` files read) and close."""
        read = f" ({done:,} of {plural(total, 'file')} read)" if total else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Import running",
                          f"An import is running{read}. Stop it and close the window?\n\n"
                          "The articles stored so far are kept; importing the same files again "
                          "reads the rest and reports the others unchanged.", parent=parent)
        stop = box.addButton("&Stop and close", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton("&Keep importing", QMessageBox.ButtonRole.RejectRole))
        box.exec()
        return box.clickedButton() is stop


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
            self.dialog.workflow_finished.connect(self._imported)
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

    def _imported(self, outcome: ImportOutcome) -> None:
        """Say what the import's entity step found and show it."""
        report = outcome.entities.report
        if self._closing or not outcome.imported.changed_ids:
            return
        record_name_links(self.window.operations, report)
        if report is not None:
            self._status(f"Entities found in {plural(report.documents, 'article')}.")
        elif outcome.cancelled_phase == FINDING_ENTITIES:
            self._status(f"Finding entities cancelled: found in {plural(outcome.entities.done, 'article')} "
                         f"of {outcome.entities.wanted}.")
        self.window.operations.announce(
            ChangeSet.of(entities=outcome.imported.changed_ids, entity_definitions=True))

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

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

    # re-import ----------------------------------------------------------------------------------

    def reimport_selected(self) -> None:
        """Read the selected articles' files again, update their text in place, find their entities."""
        ids = self.annotator.target_ids()
        if not ids:
            self._status("Select one or more articles first.")
            return
        self.window.submit_write(
            lambda library, progress, cancel: reimport_and_extract(library, ids, progress=progress, cancel=cancel),
            on_finished=self._reimported, title="Re-importing", show_progress=True,
        )

    def _reimported(self, outcome: ReimportOutcome) -> None:
        report = outcome.reimported
        if self._closing or report is None:
            if report is None and not self._closing:
                self._status("Re-import cancelled; articles updated before Cancel keep their new text.")
            return
        message = report.summary()
        record_name_links(self.window.operations, outcome.entities.report)
        if outcome.entities.report is not None:
            message += f"; entities found in {plural(outcome.entities.report.documents, 'article')}"
        if report.failed:
            message += ". " + "; ".join(f"{Path(path).name}: {reason}" for path, reason in report.failed[:3])
        self._status(message + ".")
        if report.changed_ids:
            changed = report.changed_ids
            self.window.operations.announce(ChangeSet.of(edited=changed, annotated=changed, entities=changed))

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

    def _may_close(self) -> bool:
        """Whether the window may close: no import runs, or the person chose to stop it."""
        if self.dialog is None or not self.dialog.running:
            return True
        done, total = self.dialog.files_read()
        return StopImportQuestion.ask(self.window, done=done, total=total)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            return self._offer_drop(event)
        if watched is self.window and event.type() == QEvent.Type.Drop:
            return self._drop(event)
        if watched is self.window and event.type() == QEvent.Type.Close:
            if not self._may_close():
                event.ignore()
                return True
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
