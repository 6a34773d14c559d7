"""Every file dialog of the window: the folder it opens in, and remembering where the person went.

Each dialog is for one kind of file (``FileKind``): articles to import, files
exported, library files. It opens in the folder last used for that kind
(remembered in ``Settings``), else the user's Documents folder, else the home
folder — never the folder the program was started from. A suggested file name
is offered in that folder. The dialogs' ``ask…`` classmethods call these
functions; tests replace those or ``QFileDialog``'s static methods.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from .settings import Settings


class FileKind(StrEnum):
    """What a file dialog is for; each kind remembers its own last folder."""

    IMPORT = "import"
    EXPORT = "export"
    LIBRARY = "library"


def documents_folder() -> Path:
    """The user's Documents folder, or the home folder when there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if location and Path(location).is_dir():
        return Path(location)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation) or Path.home())


def start_folder(kind: FileKind, settings: Settings | None = None) -> Path:
    """Where a dialog for ``kind`` opens: the last folder used for it while it exists, else Documents."""
    last = (settings or Settings()).last_folder(kind)
    return last if last is not None and last.is_dir() else documents_folder()


def remember(kind: FileKind, chosen: Path, settings: Settings | None = None) -> None:
    """Remember the folder holding ``chosen`` (a file, or a folder picked to import) for ``kind``."""
    (settings or Settings()).remember_folder(kind, chosen.parent)


def ask_save_file(parent: QWidget | None, *, kind: FileKind, title: str, suggested: str,
                  filters: str) -> Path | None:
    """A file to write, offered as ``suggested`` in the start folder; None when cancelled. A name
    typed without an extension gets the one of the file type chosen in the dialog ("results" with
    "JSON Lines (*.jsonl)" is ``results.jsonl``), since the extension says what is written."""
    name, chosen_type = QFileDialog.getSaveFileName(parent, title, str(start_folder(kind) / suggested), filters)
    if name and not Path(name).suffix and (extension := _first_extension(chosen_type)):
        name += extension
    return _chosen(kind, name)


def _first_extension(file_type: str) -> str:
    """``".jsonl"`` of ``"JSON Lines (*.jsonl)"``; ``""`` for none or for ``*``."""
    found = re.search(r"\*(\.[\w.]+)", file_type)
    return found.group(1) if found else ""


def ask_open_file(parent: QWidget | None, *, kind: FileKind, title: str, filters: str) -> Path | None:
    """A file to read; None when cancelled."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(kind)), filters)
    return _chosen(kind, name)


def ask_open_files(parent: QWidget | None, *, kind: FileKind, title: str, filters: str = "") -> list[Path]:
    """Files to read; empty when cancelled."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(kind)), filters)
    if names:
        remember(kind, Path(names[0]))
    return [Path(name) for name in names]


def ask_folder(parent: QWidget | None, *, kind: FileKind, title: str) -> Path | None:
    """A folder; None when cancelled. The folder holding it is remembered, so the next
    dialog shows it beside its siblings."""
    return _chosen(kind, QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind))))


def _chosen(kind: FileKind, name: str) -> Path | None:
    if not name:
        return None
    path = Path(name)
    remember(kind, path)
    return path
