"""Which files an import reads: the files and folders given, every file inside the folders
(hidden files and folders skipped) in path order, and never the library's own files (nor its
backups, in ``backups/`` beside it).

Linked folders are followed, each real folder walked once (a link back into a folder
already walked is passed over, so a loop of links ends). A folder that cannot be listed
is named among the files, with a trailing separator (``locked/``), so that the import
reports it as a failure like an unreadable file (``folder_failure`` says why).
A file whose name is not UTF-8 (a folder unpacked from an old archive) is named with each
stray byte as U+FFFD, the form the library can record, and fails with ``name_failure``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlite_utils import Database

from .backups import FOLDER, database_path, is_backup_of
from .errors import describe_os_error
from .library import Library

_LIBRARY_FILE_ENDINGS = ("", "-wal", "-shm", "-journal")


def collect_files(paths: Sequence[Path | str]) -> list[Path]:
    """Every file named or inside a named folder (recursively), absolute, normalised and sorted.

    Hidden files and folders inside a folder are skipped; a path that does not
    exist is kept so that the import reports it.
    """
    return [Path(name) for name in collect_names(paths)]


def collect_names(paths: Sequence[Path | str]) -> list[str]:
    """``collect_files`` as path names, an unreadable folder's name ending in a separator."""
    return names_in(*given_paths(paths))


def given_paths(paths: Sequence[Path | str]) -> tuple[list[str], list[str]]:
    """The absolute names of ``paths``: those that are not folders, and the folders (each looked
    at once: an import may be given thousands of files)."""
    files: list[str] = []
    folders: list[str] = []
    for given in paths:
        name = os.path.abspath(os.path.expanduser(given))
        (folders if os.path.isdir(name) else files).append(name)
    return files, folders


def names_in(files: list[str], folders: list[str]) -> list[str]:
    """``files`` and every file inside ``folders`` (and the folders among them that cannot be
    read, each ending in a separator), sorted.

    A folder is walked once, under the first name met: a folder given is walked under its
    own name even when a link inside another one leads to it.
    """
    found = set(files)
    walked: set[str] = set()
    for folder in [folder for folder in folders if _first_visit(folder, walked)]:
        found.update(_walk(folder, walked))
    return sorted({_recordable(name) for name in found}, key=_path_order)


def _recordable(name: str) -> str:
    """``name``, or when its bytes are not UTF-8 (Python reads them as lone surrogates, which
    SQLite refuses) the name with each stray byte shown as U+FFFD."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "replace")
    return name


def name_failure(name: str) -> str | None:
    """Why the file ``name`` cannot be read when ``names_in`` had to change its name; else None."""
    if "\ufffd" in name and not os.path.lexists(name):
        return "its name is not UTF-8 (an older encoding): rename the file to import it"
    return None


def _walk(folder: str, walked: set[str]) -> Iterable[str]:
    """The files in ``folder`` and its subfolders, linked ones included, and the subfolders that
    cannot be listed. A subfolder whose real path is in ``walked`` (each one walked is added to
    it) or holds the folder being walked (a link back up) is passed over."""
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable.append, followlinks=True):
        here = os.path.realpath(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and _first_visit(os.path.join(root, d), walked, inside=here)
        )
        yield from (os.path.join(root, name) for name in files if not name.startswith("."))
    yield from (os.path.join(err.filename, "") for err in unreadable if err.filename)


def _first_visit(folder: str, walked: set[str], *, inside: str = "") -> bool:
    """True the first time the real folder behind ``folder`` is met (then noted in ``walked``),
    unless it holds the real folder ``inside``."""
    real = os.path.realpath(folder)
    if real in walked or inside == real or inside.startswith(os.path.join(real, "")):
        return False
    walked.add(real)
    return True


def is_folder_name(name: str) -> bool:
    """True for a name ``names_in`` gives an unreadable folder (it ends in a separator)."""
    return name.endswith(os.sep)


def folder_failure(name: str) -> str:
    """Why the folder ``name`` could not be read, in plain words, for the import report."""
    try:
        with os.scandir(name):
            return "folder could not be read when the import listed its files; import it again"
    except FileNotFoundError:
        return "folder not found"
    except OSError as err:
        return f"folder cannot be read: {describe_os_error(err)}"


def _path_order(name: str) -> list[str]:
    """Sort key that orders path names as ``pathlib`` does: folder by folder."""
    return os.path.normcase(name).split(os.sep)


def without_library_files(library: Library | Database, names: list[str]) -> list[str]:
    """``names`` less the library file itself, its journal files (``-wal``, ``-shm``, ``-journal``)
    and its backups (a folder that holds the library holds them too)."""
    path = database_path(library)
    if path is None:
        return names
    own = os.path.realpath(path)
    own_names = {own + ending for ending in _LIBRARY_FILE_ENDINGS}
    start = os.path.basename(own)
    return [
        name for name in names
        if not (os.path.basename(name).startswith(start) and os.path.realpath(name) in own_names)
        and not (os.path.basename(os.path.dirname(name)) == FOLDER and is_backup_of(path, name))
    ]
