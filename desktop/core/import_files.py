"""Which files an import reads: the files and folders given, every file inside the folders
(hidden files and folders skipped) in path order, and never the library's own files."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .library import Library

_LIBRARY_FILE_ENDINGS = ("", "-wal", "-shm", "-journal")


def collect_files(paths: Sequence[Path | str]) -> list[Path]:
    """Every file named or inside a named folder (recursively), absolute, normalised and sorted.

    Hidden files and folders inside a folder are skipped; a path that does not
    exist is kept so that the import reports it.
    """
    return [Path(name) for name in _collect_names(paths)]


def _collect_names(paths: Sequence[Path | str]) -> list[str]:
    """``collect_files`` as path names."""
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
    """``files`` and every file inside ``folders``, sorted."""
    found = set(files)
    for folder in folders:
        found.update(_walk(folder))
    return sorted(found, key=_path_order)


def _walk(folder: str) -> Iterable[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (os.path.join(root, name) for name in files if not name.startswith("."))


def _path_order(name: str) -> list[str]:
    """Sort key that orders path names as ``pathlib`` does: folder by folder."""
    return os.path.normcase(name).split(os.sep)


def without_library_files(library: Library, names: list[str]) -> list[str]:
    """``names`` less the library file itself and its journal files (``-wal``, ``-shm``, ``-journal``)."""
    own = os.path.realpath(library.path)
    own_names = {own + ending for ending in _LIBRARY_FILE_ENDINGS}
    start = os.path.basename(own)
    return [
        name for name in names
        if not (os.path.basename(name).startswith(start) and os.path.realpath(name) in own_names)
    ]
