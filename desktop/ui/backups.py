"""The window's care of its library file: File ▸ Check library…, File ▸ Restore from backup…,
File ▸ Recover into a new library…, the background damage check and day's backup on
opening, and the read-only state.

``install(window)`` adds the three File menu actions and a status-bar label. Each time
a library opens, a worker of its own runs SQLite's ``quick_check`` (skipped when the
file is as the last checked session left it) and the day's backup, once the first list
and sidebar are shown and no search has started for a moment, so opening neither waits
for them nor shares the machine with them. A read-only library — or one found damaged, or
whose file was deleted or replaced while it was open (``Operations.library_gone``) — says so in
the title and the status bar, and its edit actions are disabled, each with a tooltip saying why,
so nothing is written to it.
``RestoreDialog.ask`` lists the backups by date, reason and size; restoring reopens
the library. Recovering copies what can be read into a new file (``RecoverTarget.ask``)
and opens that.
"""

from __future__ import annotations

import functools

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import __app_name__
from desktop.core.backups import (DAMAGED_REASON, Backup, Restored, backup_daily, list_backups, restorable,
                                  restore)
from desktop.core.check import CheckReport, check_library
from desktop.core.errors import LibraryDamaged
from desktop.core.jobs import file_size, lower_thread_priority
from desktop.core.library import Library, require_writable
from desktop.core.recover import RecoveryReport, recover

from .errors import report_error
from .file_dialogs import FileKind, ask_open_file, ask_save_file
from .workers import WorkerPool

STATUS_MS = 10_000
DAMAGED_STATE = "damaged: nothing will be written to it"
GONE_STATE = "deleted or replaced"
# The window's actions that change the library; disabled while it must not be written.
EDIT_ACTIONS = (
    "actionImport", "actionImportFolder", "actionReimport", "actionSaveSearch", "actionHighlight",
    "actionAddNote", "actionStar", "actionToggleRead", "actionToRead", "actionTagArticles",
    "actionRemoveArticles", "actionExtractEntities", "actionRemoveEntityRule", "actionScriptNames",
    "actionUndo", "actionRedo", "actionRestoreBackup", "actionAdaptEntityModel", "actionResetEntityModel",
    "actionRegroupStories", "actionSameStory", "actionNotSameStory",
    *(f"actionPinnedTag{slot}" for slot in range(1, 10)),
)


def reason_text(reason: str) -> str:
    """A backup's reason as words: "before-merge-entities" → "before merge entities"."""
    return {"manual": "made on request", "daily": "daily backup",
            DAMAGED_REASON: "damaged, kept before a restore"}.get(
        reason, reason.replace("-", " ").replace("_", " "))


class Notice:
    """The message box that shows a result; tests replace ``show`` to read it instead."""

    @classmethod
    def show(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


class RecoverTarget:
    """Where to write the recovered library; tests replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget | None, *, suggested: str) -> Path | None:
        return ask_save_file(parent, kind=FileKind.LIBRARY, title="Recover into a new library",
                             suggested=suggested, filters="Dossier library (*.sqlite)")


class RestoreDialog(QDialog):
    """The backups of a library, newest first, by date, reason and size; one is chosen. The newest
    that can be restored is chosen to begin with (a damaged library kept before a restore never)."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from backup")
        self.backups = backups
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Choose the backup to put back. The library as it is now is kept as a backup too."
            if backups else "There are no backups beside this library yet: choose a backup file."))
        self.list = QTreeWidget()
        self.list.setObjectName("backupList")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(["Made", "Why", "Size"])
        for backup in backups:
            item = QTreeWidgetItem([backup.created.strftime("%Y-%m-%d %H:%M:%S"),
                                    reason_text(backup.reason), file_size(backup.size)])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)
        first = next(iter(restorable(backups)), None)
        if first is not None:
            self.list.setCurrentItem(self.list.topLevelItem(backups.index(first)))
        layout.addWidget(self.list)
        self.other: Path | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        other_button = buttons.addButton("Other file…", QDialogButtonBox.ButtonRole.ActionRole)
        other_button.setObjectName("otherBackup")
        other_button.clicked.connect(lambda _checked=False: self.choose_other())
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.setEnabled(first is not None)
        self.list.currentItemChanged.connect(
            lambda current, _previous: self.restore_button.setEnabled(current is not None))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        layout.addWidget(buttons)
        self.resize(520, 320)

    def choose_other(self) -> None:
        """A backup kept elsewhere (``dossier backup --out``, a copy on another disk)."""
        path = ask_open_file(self, kind=FileKind.LIBRARY, title="Restore from a backup file",
                             filters="Dossier library (*.sqlite *.db);;All files (*)")
        if path is not None:
            self.other = path
            self.accept()

    def chosen(self) -> Path | None:
        if self.other is not None:
            return self.other
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        return self.backups[row].path if row >= 0 else None

    @classmethod
    def ask(cls, parent: QWidget | None, backups: list[Backup]) -> Path | None:
        """The backup file the person chose to restore, or None."""
        dialog = cls(backups, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


class LibraryCare(QObject):
    """Check, restore, the background health check and the read-only state of one window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("libraryCare")
        self.window = window
        self.pool = WorkerPool(max_threads=1, parent=self)
        self.upkeep = WorkerPool(max_threads=1, parent=self)  # the check on opening, at a low priority
        self.blocked_reason: str | None = None
        self._why = ""  # the tooltip of the actions disabled
        self._disabled: dict[QAction, str] = {}  # each with its tooltip before
        self.action_check = self._action("actionCheckLibrary", "&Check library…", self.check)
        self.action_restore = self._action("actionRestoreBackup", "&Restore from backup…",
                                           self.ask_restore)
        menu = next(a.menu() for a in window.menuBar().actions()
                    if a.menu() is not None and window.action_quit in a.menu().actions())
        self.action_recover = self._action("actionRecoverLibrary", "Reco&ver into a new library…",
                                           self.ask_recover)
        menu.insertActions(window.action_quit,
                           [self.action_check, self.action_restore, self.action_recover])
        menu.insertSeparator(window.action_quit)
        self.state_label = QLabel()
        self.state_label.setObjectName("libraryState")
        window.statusBar().addPermanentWidget(self.state_label)
        for name in EDIT_ACTIONS:
            action = window.findChild(QAction, name)
            if action is not None:
                action.changed.connect(lambda action=action: self._keep_blocked(action))
        window.library_opened.connect(self.library_opened)
        window.operations.library_gone.connect(self.found_gone)
        window.installEventFilter(self)
        self.library_opened()

    def _action(self, name: str, text: str, slot: Any) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    @property
    def library(self) -> Library:
        return self.window.library

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            for pool in (self.pool, self.upkeep):
                pool.cancel_all()
                pool.wait()
        return False

    # state -----------------------------------------------------------------------

    def library_opened(self) -> None:
        """A library opened in the window: show whether it can be written, then check it."""
        self.pool.cancel_all()
        self.upkeep.cancel_all()
        self._block(self.library.read_only_reason and f"read-only: {self.library.read_only_reason}")
        if not self.library.read_only:
            library = self.library
            self.window.when_quiet(
                lambda: self.library is library and self._run(
                    self._health, on_finished=functools.partial(self._health_known, library), upkeep=True))

    def _block(self, reason: str | None, *, detail: str | None = None) -> None:
        """Show ``reason`` (None: the library can be written; ``detail``: the longer why of its
        tooltips) and disable or restore the edit actions accordingly."""
        self.blocked_reason = reason
        self._why = f"Not available: {detail or f'the library is {reason}'}" if reason else ""
        stem = f"{self.library.path.stem} — {__app_name__}"
        self.window.setWindowTitle(f"{stem} ({reason.split(':')[0]})" if reason else stem)
        self.state_label.setText(f"Library {reason}" if reason else "")
        self.state_label.setToolTip(detail or reason or "")
        self.state_label.setVisible(bool(reason))
        for name in EDIT_ACTIONS:
            action = self.window.findChild(QAction, name)
            if action is not None:
                self._keep_blocked(action)
        if not reason:
            disabled, self._disabled = self._disabled, {}
            for action, tip in disabled.items():
                action.setToolTip(tip)
                action.setEnabled(True)
            self.window.update_undo_actions()

    def _blocks(self, action: QAction) -> bool:
        if action is self.action_restore:  # the way out of a damaged library, not of a read-only one
            return self.library.read_only
        return self.blocked_reason is not None

    def _keep_blocked(self, action: QAction) -> None:
        if action.isEnabled() and self._blocks(action):
            self._disabled.setdefault(action, _own_tip(action))
            action.setEnabled(False)
            action.setToolTip(self._why)

    def _run(self, job: Any, *, on_finished: Any, upkeep: bool = False) -> None:
        """Run ``job`` on a connection of its own; ``upkeep``: on the pool whose thread yields
        the processor to the window's own work (``lower_thread_priority``)."""
        library = self.library

        def work(progress: Any, cancel: Any) -> Any:
            if upkeep:
                lower_thread_priority()  # the upkeep pool's thread runs nothing else
            connection = library.connect()
            try:
                return job(connection)
            finally:
                connection.close()

        pool = self.upkeep if upkeep else self.pool
        pool.start(work, on_finished=on_finished, on_failed=self._failed)

    def _failed(self, err: BaseException) -> None:
        self.window.statusBar().showMessage(report_error(err), STATUS_MS)

    @staticmethod
    def _health(library: Library) -> str | None:
        """On a worker: the damage message, or None after the day's backup when it was due (and
        the import runs whose process died recorded as interrupted)."""
        try:
            require_writable(library)
            backup_daily(library)
        except LibraryDamaged as err:
            return str(err)
        return None

    def _health_known(self, library: Library, damage: str | None) -> None:
        if damage is not None and library is self.library:  # not a check of a library closed since
            self.found_damaged(damage)

    def found_damaged(self, message: str) -> None:
        """The library was found damaged (by the check on opening, or by a write that refused it):
        stop every write and say so, once."""
        if self.blocked_reason != DAMAGED_STATE:
            self._damaged()
            Notice.show(self.window, "The library is damaged", message)

    def found_gone(self, reason: str) -> None:
        """The library file was deleted or replaced while it was open (``reason`` names the copy of
        what was open): grey out every edit, saying why."""
        if self.blocked_reason is None:
            self._block(GONE_STATE, detail=reason)
            status = self.window.statusBar()
            if reason.split(";")[0] not in status.currentMessage():  # not when a refused edit just said so
                status.showMessage(f"Nothing more can be saved: {reason}", STATUS_MS)

    def _damaged(self) -> None:
        self._stop_writes()
        self._block(DAMAGED_STATE)
        self.action_restore.setEnabled(True)

    def _stop_writes(self) -> None:
        """Make every connection of the window refuse writes (SQLite's ``query_only``) and
        every later one open read-only, so no path at all writes to a damaged file."""
        writers = (self.library, getattr(self.window, "_write", None), getattr(self.window, "_read", None))
        for connection in writers:
            if connection is not None:
                connection.stop_writes()

    # actions ---------------------------------------------------------------------

    def check(self) -> None:
        """File ▸ Check library…: the thorough check on a worker, its summary shown."""
        self.window.statusBar().showMessage("Checking the library…", STATUS_MS)
        self._run(check_library, on_finished=self._checked)

    def _checked(self, report: CheckReport) -> None:
        if report.integrity and self.blocked_reason is None:
            self._damaged()
        self.window.statusBar().showMessage(report.summary(), STATUS_MS)
        Notice.show(self.window, "Check library", report.summary())

    def ask_restore(self) -> None:
        """File ▸ Restore from backup…: choose a backup, put it back, reopen the library."""
        chosen = RestoreDialog.ask(self.window, list_backups(self.library.path))
        if chosen is None:
            return
        self.pool.cancel_all()
        self.window.statusBar().showMessage("Restoring the backup…", STATUS_MS)
        path = self.library.path
        self.pool.start(lambda progress, cancel: restore(path, chosen),
                        on_finished=self._restored, on_failed=self._restore_failed)

    def _restored(self, done: Restored) -> None:
        if self.window.open_library_file(self.library.path):
            kept = f"; the library as it was is kept as {done.kept_as.name}" if done.kept_as else ""
            self.window.statusBar().showMessage(f"Restored {done.source.name}{kept}.", STATUS_MS)

    def _restore_failed(self, err: BaseException) -> None:
        report_error(err, parent=self.window, title="Cannot restore")


    def ask_recover(self) -> None:
        """File ▸ Recover into a new library…: copy what can be read, then open the copy."""
        source = self.library.path
        target = RecoverTarget.ask(self.window, suggested=f"{source.stem}-recovered{source.suffix}")
        if target is None:
            return
        self.window.statusBar().showMessage("Recovering what can be read…", STATUS_MS)
        self.pool.start(lambda progress, cancel: recover(source, target, cancel=cancel),
                        on_finished=self._recovered, on_failed=self._failed)

    def _recovered(self, report: RecoveryReport) -> None:
        if self.window.open_library_file(report.out):
            Notice.show(self.window, "Recovered into a new library",
                        f"{report.out} is open now; " + "; ".join(report.lines()) + ".")


def _own_tip(action: QAction) -> str:
    """The tooltip given to ``action``, or "" when it shows its text (as it then goes on to do)."""
    tip = action.toolTip()
    return "" if tip == action.text().replace("&", "").rstrip(".…") else tip


def install(window: Any) -> LibraryCare:
    """Add library checking, restoring and the read-only state to ``window`` (once)."""
    installed = window.findChild(LibraryCare)
    return installed if isinstance(installed, LibraryCare) else LibraryCare(window)
