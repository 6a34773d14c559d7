"""Whether the file a connection writes to is still the library file at its path.

A library deleted, or replaced by another file (a sync tool, a copy dragged over it), while a
window or a command has it open goes on working for them: SQLite writes into the file it
opened, which no longer has a name, and everything written is gone when it closes.
``opened_file`` records which file a path names when a connection opens it;
``require_same_file``, called before each write transaction, refuses the write in one line
(``LibraryUnavailable``) when the path no longer names that file, after saving what the
connection can still read as a copy beside the path (once per connection), so that nothing
shown as saved is lost. ``gone_reason`` says the same without refusing anything, for a window
that looks before any write is tried.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .errors import LibraryUnavailable

FileId = tuple[int, int]


@dataclass
class OpenedFile:
    """The file behind a connection: its path, which file it was, and the copy made once it was gone."""

    path: Path
    file_id: FileId
    rescued: Path | None = None


def _file_id(path: Path) -> FileId | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def opened_file(path: Path) -> OpenedFile | None:
    """The file ``path`` names now (None when it names none, so there is nothing to watch)."""
    file_id = _file_id(path)
    return OpenedFile(path, file_id) if file_id is not None else None


def require_same_file(conn: sqlite3.Connection, opened: OpenedFile | None) -> None:
    """Raise ``LibraryUnavailable`` when the library's path no longer names the file ``conn``
    opened, having saved what ``conn`` reads beside the path the first time."""
    reason = gone_reason(conn, opened)
    if reason is not None:
        raise LibraryUnavailable(f"Not saved: {reason}")


def gone_reason(conn: sqlite3.Connection, opened: OpenedFile | None) -> str | None:
    """None while the library's path names the file ``conn`` opened; else, having saved what
    ``conn`` reads beside the path the first time, one sentence saying so and where that copy is."""
    if opened is None or _file_id(opened.path) == opened.file_id:
        return None
    if opened.rescued is None:
        opened.rescued = _rescue(conn, opened.path)
    kept = (f"what was open is kept as {opened.rescued.name} beside it: open that file to go on"
            if opened.rescued else "close and open the library again (what was open could not be kept)")
    return (f"{opened.path.name} was deleted or replaced by another file while it was open; {kept} "
            f"(in {opened.path.parent}).")


def _rescue(conn: sqlite3.Connection, path: Path) -> Path | None:
    from .backups import backup_to

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-rescued-{stamp}{path.suffix or '.sqlite'}")
    try:
        return backup_to(conn, target)
    except (OSError, sqlite3.Error):
        return None
