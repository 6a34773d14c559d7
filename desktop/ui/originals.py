"""The article's original file, plugged into the main window by ``install(window)``.

``Originals`` owns *Open original file* (``actionOpenOriginal``) and *Show in
folder* (``actionShowInFolder``). Both act on the article in the reader and
sit in the File menu, the reader's context menu and the article list's
context menu (when the one article selected is the one being read): the file opens in the program
the system chooses for it, the folder in the file manager (on Linux, with the
file selected when a file manager answers ``org.freedesktop.FileManager1``
over D-Bus; else the folder is opened as a URL). An article from
an export holding many (JSONL, CSV) opens its export file, and the status bar
says which record of it the article is. Without a file (an article typed in
or pasted) both are disabled, with a tooltip saying why; a file that has been
moved or deleted, or one no program opens, is one line in the status bar.

``ArticleActions`` is the base of such features (printing is another): its
actions act on the article in the reader, sit in those three menus and are
enabled only where they apply.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMenu

from desktop.core.documents import Document, record_place

try:
    from PySide6 import QtDBus
except ImportError:  # a bundle built without Qt's D-Bus bindings opens the folder instead
    QtDBus = None

STATUS_MS = 10_000
NO_ARTICLE_TIP = "Select an article first."
NO_FILE_TIP = "This article was not imported from a file."
FILE_MANAGER = "org.freedesktop.FileManager1"
FILE_MANAGER_PATH = "/org/freedesktop/FileManager1"
FILE_MANAGER_MS = 2_000


def gone_message(path: Path | str) -> str:
    """The status line for an original file that is no longer where it was imported from."""
    return f"The original file {path} is no longer there (moved or deleted)."


class FileManager:
    """The desktop's file manager over D-Bus; tests replace ``show_item``."""

    @classmethod
    def show_item(cls, path: Path) -> bool:
        """Show ``path`` selected in its folder; False when no file manager answers (not Linux,
        no session bus, no ``org.freedesktop.FileManager1``)."""
        if QtDBus is None or not sys.platform.startswith("linux"):
            return False
        bus = QtDBus.QDBusConnection.sessionBus()
        if not bus.isConnected():
            return False
        message = QtDBus.QDBusMessage.createMethodCall(FILE_MANAGER, FILE_MANAGER_PATH, FILE_MANAGER, "ShowItems")
        message.setArguments([[QUrl.fromLocalFile(str(path)).toString()], ""])
        reply = bus.call(message, QtDBus.QDBus.CallMode.Block, FILE_MANAGER_MS)
        return reply.type() == QtDBus.QDBusMessage.MessageType.ReplyMessage


def article_action(window: Any, name: str, text: str, slot: Callable[[], Any]) -> QAction:
    """A window action called ``name`` that runs ``slot`` (not given Qt's ``checked``)."""
    action = QAction(text, window)
    action.setObjectName(name)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def add_article_actions(window: Any, actions: Sequence[QAction]) -> None:
    """Put ``actions`` (about the article in the reader) in the File menu before Quit, in the
    reader's context menu and in the article list's context menu when the one article selected
    is the one in the reader."""
    window.file_menu.insertActions(window.action_quit, list(actions))
    window.file_menu.insertSeparator(window.action_quit)
    window.file_menu.setToolTipsVisible(True)

    def fill(menu: QMenu) -> None:
        menu.setToolTipsVisible(True)
        menu.addActions(list(actions))

    window.reader.add_menu_section(lambda menu, _offset: fill(menu))
    window.add_list_menu_section(lambda menu, ids: fill(menu) if ids == [window.current_id()] else None)


class ArticleActions(QObject):
    """Actions about the article in a main window's reader, in its File menu and context menus,
    enabled only while ``why_not(document)`` finds nothing against them."""

    def __init__(self, window: Any, entries: Sequence[tuple[str, str, Callable[[], Any]]]) -> None:
        super().__init__(window)
        self.window = window
        self.actions = [article_action(window, name, text, slot) for name, text, slot in entries]
        add_article_actions(window, self.actions)
        window.article_shown.connect(lambda _doc_id: self.update_actions())
        window.library_opened.connect(self.update_actions)
        window.file_menu.aboutToShow.connect(self.update_actions)
        self.update_actions()

    def why_not(self, document: Document | None) -> str | None:
        """Why the actions do not apply to ``document`` (the reader's), or None when they do."""
        return NO_ARTICLE_TIP if document is None else None

    def update_actions(self) -> None:
        """Enable the actions, or disable them with the reason as their tooltip."""
        why_not = self.why_not(self.window.reader.current_document)
        for action in self.actions:
            action.setEnabled(why_not is None)
            action.setToolTip(why_not or action.text())

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)


class Originals(ArticleActions):
    """Open original file and Show in folder for one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window, [("actionOpenOriginal", "Open original file", self.open_original),
                                  ("actionShowInFolder", "Show in folder", self.show_in_folder)])

    def why_not(self, document: Document | None) -> str | None:
        return super().why_not(document) or (None if document is None or document.path else NO_FILE_TIP)

    def _original(self) -> tuple[Document, Path] | None:
        """The article in the reader and its file, or None (said in the status bar) without one."""
        document = self.window.reader.current_document
        why_not = self.why_not(document)
        if why_not is not None or document is None or document.path is None:
            self._status(why_not or NO_ARTICLE_TIP)
            return None
        path = Path(document.path)
        if not path.is_file():
            self._status(gone_message(path))
            return None
        return document, path

    def _open(self, url: QUrl, *, what: str) -> bool:
        if QDesktopServices.openUrl(url):
            return True
        self._status(f"No program is set up to open {what}.")
        return False

    def open_original(self) -> None:
        """Open the article's file (an export's whole file) in the program the system chooses."""
        found = self._original()
        if found is not None and self._open(QUrl.fromLocalFile(str(found[1])), what=found[1].name):
            self._status(f"Opened {self._where(*found)}.")

    def show_in_folder(self) -> None:
        """Open the folder holding the article's file in the file manager, the file selected if it can."""
        found = self._original()
        if found is None:
            return
        folder = found[1].parent
        if FileManager.show_item(found[1]) or self._open(QUrl.fromLocalFile(str(folder)), what=str(folder)):
            self._status(f"Showing the folder holding {self._where(*found)}.")

    @staticmethod
    def _where(document: Document, path: Path) -> str:
        """``report.html``, or for an article from an export holding many, "record 17 of export.jsonl
        (40 records)"."""
        place = record_place(document)
        if place is None:
            return path.name
        return f"record {place.number} of {path.name} ({place.count} records)"


def install(window: Any) -> Originals:
    """Plug Open original file and Show in folder into ``window`` (a ``MainWindow``); installing
    again returns the one already there."""
    installed = window.findChild(Originals)
    return installed if isinstance(installed, Originals) else Originals(window)
