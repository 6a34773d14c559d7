"""The one place where an error becomes something a person reads.

``report_error`` turns a core error into its one-line message (shown in a
message box or returned for the status line). Errors that are not the core's
own are logged with their traceback to ``<data dir>/dossier.log`` and shown as a
short message that points at the log; a traceback never reaches the screen.
Qt's own warnings go to the same log (``log_qt_messages``). In the running application an
error that no code caught — raised in a slot — is logged and shown the same way
(``report_uncaught``) instead of being printed to a terminal nobody watches.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import __app_name__
from desktop.core.errors import DiskFull, DossierError, LibraryDamaged, LibraryReadOnly
from desktop.core.library_messages import library_error
from desktop.core.paths import data_dir

LOG_FILENAME = "dossier.log"

_log = logging.getLogger("desktop.ui")


def log_path() -> Path:
    """The log file that receives tracebacks."""
    return data_dir() / LOG_FILENAME


def _write_log(level: int, message: str) -> None:
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _log.addHandler(handler)
    try:
        _log.log(level, message)
    finally:
        _log.removeHandler(handler)
        handler.close()


def _log_traceback(err: BaseException) -> None:
    _write_log(logging.ERROR, "".join(traceback.format_exception(err)))


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if level >= logging.WARNING:
        _write_log(level, f"Qt: {message}")


def log_qt_messages() -> None:
    """Send Qt's warnings to the log file instead of the terminal (the running application)."""
    qInstallMessageHandler(_qt_message)


def message_for(err: BaseException) -> str:
    """The one-line text a person sees for ``err``; unexpected errors are logged first."""
    if isinstance(err, DossierError):
        return str(err)
    _log_traceback(err)
    if isinstance(err, sqlite3.DatabaseError):
        typed = library_error(err, None)
        if isinstance(typed, (LibraryDamaged, LibraryReadOnly, DiskFull)):
            return str(typed)
    return f"Something went wrong ({type(err).__name__}). The details were written to {log_path()}."


class ErrorDialog:
    """The message box for errors; tests replace ``show`` to read the message instead."""

    @classmethod
    def show(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)


def report_error(
    err: BaseException, *, parent: QWidget | None = None, title: str = __app_name__
) -> str:
    """Turn ``err`` into its message; show it in a dialog over ``parent`` when one is given."""
    text = message_for(err)
    if parent is not None:
        ErrorDialog.show(parent, title, text)
    return text


_showing_uncaught = False


def _uncaught(kind: type[BaseException], err: BaseException, tb: object) -> None:
    global _showing_uncaught
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, err, tb)  # type: ignore[arg-type]
        return
    text = message_for(err.with_traceback(tb))  # type: ignore[arg-type]
    if _showing_uncaught:  # one box at a time: an error that repeats is in the log
        return
    _showing_uncaught = True
    try:
        ErrorDialog.show(QApplication.activeWindow(), __app_name__, text)
    finally:
        _showing_uncaught = False


def report_uncaught() -> None:
    """From now on an error raised in a slot and caught nowhere is logged and shown in a message
    box (one at a time) — the running application's last line of defence."""
    sys.excepthook = _uncaught
