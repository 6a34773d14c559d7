"""What a person is told when a library cannot be used: the one-line messages for a damaged,
read-only, busy or full library, and ``library_error`` / ``library_errors``, which turn SQLite's
own errors into the core's typed errors (``errors.py``) carrying those lines.
"""

from __future__ import annotations

import contextlib
import math
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .errors import DiskFull, DossierError, LibraryDamaged, LibraryReadOnly, LibraryUnavailable

MIN_FREE_MB = 64  # what a full disk must free at least: room for an import batch's WAL


def _the_library(path: Path | None) -> str:
    return f"the library {path}" if path is not None else "the library"


def _opening(words: str) -> str:
    """``words`` to begin a sentence: only the first letter raised (``str.capitalize`` would lower
    every capital of the path in it, naming another file)."""
    return words[:1].upper() + words[1:]


def read_only_message(path: Path | None, reason: str) -> str:
    """The one line that refuses a write to a read-only library."""
    return (
        f"{_opening(_the_library(path))} is read-only ({reason}): reading, searching and "
        "export work, changes are refused."
    )


def damaged_message(path: Path | None, detail: str) -> str:
    """The one line that names a damaged library and the two ways out."""
    return (
        f"{_opening(_the_library(path))} is damaged ({detail}); nothing was written to it. "
        "Restore an automatic backup (dossier restore FILE, or File ▸ Restore from backup…) or "
        "recover what can be read into a new file (dossier recover --out NEW)."
    )


def damaged_error(path: Path | None, detail: str) -> LibraryDamaged:
    """``LibraryDamaged`` with the one line of ``damaged_message`` and SQLite's ``detail``."""
    return LibraryDamaged(damaged_message(path, detail), detail=detail)


def busy_message(path: Path | None, *, waited: float) -> str:
    """The one line for a write that waited ``waited`` seconds for another program's write lock."""
    return (
        f"{_opening(_the_library(path))} is busy: another program has been writing to it for "
        f"{math.ceil(waited)} s; try again."
    )


def disk_full_message(path: Path | None) -> str:
    """The one line for a full disk: how much is free and how much to free before retrying."""
    if path is None:
        return (f"The disk holding the library is full: free {MIN_FREE_MB} MB and retry; "
                "the step that failed was undone and the library is intact.")
    free_mb = shutil.disk_usage(path.parent).free // 2**20 if path.parent.exists() else 0
    size_mb = path.stat().st_size / 2**20 if path.exists() else 0.0
    needed = max(MIN_FREE_MB, math.ceil(size_mb * 0.1))
    return (
        f"The disk holding {path} is full ({free_mb} MB free): free {needed} MB and retry; "
        "the step that failed was undone and the library is intact."
    )


def _low_on_space(path: Path | None) -> bool:
    folder = path.parent if path is not None else None
    return folder is not None and folder.exists() and (
        shutil.disk_usage(folder).free < MIN_FREE_MB * 2**20)


def library_error(err: sqlite3.Error, path: Path | None) -> DossierError:
    """The core's typed error for an error SQLite raised while using the library at ``path``
    (None: a library the caller cannot name)."""
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(err)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text:
        return damaged_error(path, text)
    if primary == sqlite3.SQLITE_FULL:
        return DiskFull(disk_full_message(path))
    if primary == sqlite3.SQLITE_READONLY:
        return LibraryReadOnly(read_only_message(path, text))
    if primary == sqlite3.SQLITE_IOERR and _low_on_space(path):
        return DiskFull(disk_full_message(path))
    return LibraryUnavailable(f"Cannot use {_the_library(path)}: {text}.")


@contextlib.contextmanager
def library_errors(path: Path) -> Iterator[None]:
    """Raise SQLite's errors inside the block as the core's typed errors (``library_error``)."""
    try:
        yield
    except sqlite3.Error as err:
        raise library_error(err, path) from err
