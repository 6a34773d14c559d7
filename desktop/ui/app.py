"""Starting the window: the QApplication, the library, the main window, and the smoke test.

``create_main_window(library_path)`` returns the shown window without running
the event loop (tests, the smoke test); ``run_gui`` is what ``dossier gui``
calls.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __app_name__, __version__
from desktop.core.backups import list_backups, restorable, restore
from desktop.core.errors import DossierError, LibraryDamaged
from desktop.core.paths import default_library_path
from desktop.core.samples import ensure_sample_corpus

from .adapt_model import install as install_model_adaptation
from .background_extraction import install as install_background_extraction
from .backups import RestoreDialog
from .backups import install as install_backups
from .closing import FocusReturn
from .collector import GuiThreadCollector
from .errors import ErrorDialog, log_qt_messages, report_error, report_uncaught
from .entities import install as install_entities
from .entity_review import install as install_entity_review
from .importing import install as install_importing
from .languages import install as install_languages
from .main_window import MainWindow
from .originals import install as install_originals
from .printing import install as install_printing
from .script_names import install as install_script_names
from .sort_keys_fill import install as install_sort_keys
from .theme import resources_dir
from .upgrading import open_upgraded
from .versions import install as install_versions


def application() -> QApplication:
    """The running QApplication, or a new one with Dossier's name and icon whose Qt warnings
    go to the log file."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    log_qt_messages()
    app = QApplication(sys.argv[:1])
    app.setApplicationName(__app_name__)
    app.setApplicationDisplayName(__app_name__)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("dossier")
    app.setWindowIcon(QIcon(str(resources_dir() / "dossier.svg")))
    return app


def create_main_window(library_path: str | os.PathLike[str] | None = None) -> MainWindow:
    """Open the library (the default one when None) and return its shown main window.

    On first start (no default library yet) the new library gets the sample articles. A library
    written by an older Dossier is upgraded behind a progress dialog (``upgrading``).

    Raises the core's ``NotALibrary`` / ``SchemaTooNew`` / ``LibraryUnavailable``
    when the file cannot be opened.
    """
    FocusReturn.install(application())
    GuiThreadCollector.install(application())  # before the upgrade's worker starts
    path = Path(library_path) if library_path else default_library_path()
    first_start = library_path is None and not os.environ.get("DOSSIER_LIBRARY") and not path.exists()
    library = open_upgraded(path)
    if first_start:
        ensure_sample_corpus(library)
    window = MainWindow(library)
    install_importing(window)  # also installs annotating and tagging
    install_entities(window)
    install_script_names(window)
    install_entity_review(window)
    install_model_adaptation(window)
    install_originals(window)
    install_printing(window)
    install_languages(window)
    install_versions(window)
    install_sort_keys(window)
    install_background_extraction(window)  # after importing: its imports queue what it reads
    install_backups(window)  # last: it disables the edit actions of a read-only library
    window.show()
    return window


def run_gui(library_path: str | os.PathLike[str] | None = None, *, smoke_test: bool = False) -> int:
    """Run the window until it is closed; returns the exit status.

    With ``smoke_test`` the window is built offscreen over the library, the
    first article is rendered, and 0 is returned without waiting for a person.
    """
    if smoke_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = application()
    if smoke_test:
        try:
            return _smoke(create_main_window(library_path))
        except DossierError as err:
            print(report_error(err), file=sys.stderr)
            return 1
    window = open_main_window(library_path)
    if window is None:
        return 1
    report_uncaught()
    return int(app.exec())


def open_main_window(library_path: str | os.PathLike[str] | None = None) -> MainWindow | None:
    """``create_main_window``, or None once the person has been told why it cannot open; a
    damaged library is offered the restore of a backup first (then opened as restored)."""
    while True:
        try:
            return create_main_window(library_path)
        except DossierError as err:
            message = report_error(err)
            if not isinstance(err, LibraryDamaged):
                ErrorDialog.show(None, f"{__app_name__} cannot start", message)
                return None
            if not restored_at_start(library_path, message):
                return None


class DamagedAtStart:
    """The question asked when the library to open is damaged: restore a backup, or quit (the
    window, and so its File ▸ Restore from backup…, cannot open on it); tests replace ``ask``."""

    @classmethod
    def ask(cls, message: str, *, backups: int) -> bool:
        """True when the person chooses to restore a backup (``backups`` lie beside the library)."""
        box = QMessageBox(QMessageBox.Icon.Warning, f"{__app_name__} cannot start", message)
        if backups:
            box.setInformativeText(f"{backups} backup{'s are' if backups != 1 else ' is'} kept beside it: "
                                   "restoring one opens the library as it was then.")
        restore_button = box.addButton("&Restore from backup…", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole))
        box.exec()
        return box.clickedButton() is restore_button


def restored_at_start(library_path: str | os.PathLike[str] | None, message: str) -> bool:
    """Offer to restore a backup of the damaged library ``library_path`` (the default one when
    None) before the window opens; True when one was put back (the damaged file is kept as a
    backup too)."""
    path = Path(library_path) if library_path else default_library_path()
    backups = list_backups(path)
    if not DamagedAtStart.ask(message, backups=len(restorable(backups))):
        return False
    chosen = RestoreDialog.ask(None, backups)
    if chosen is None:
        return False
    try:
        restore(path, chosen)
    except DossierError as err:
        ErrorDialog.show(None, "Cannot restore", report_error(err))
        return False
    return True


def _smoke(window: MainWindow) -> int:
    """Paint the window once and check the first article is in the reader (if any)."""
    QApplication.processEvents()
    window.grab()
    document = window.reader.current_document
    listed = len(window.model.ids)
    print(
        f"{__app_name__} {__version__}: window built, {listed} articles listed, "
        f"first article: {document.title if document else '(empty library)'}"
    )
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return 0 if document is not None or listed == 0 else 1
