"""Typed errors raised by the core; the CLI and the window turn them into one-line messages.
``describe_os_error`` and ``describe_write_error`` say in plain words why a file could not be
read, or made and written."""

from __future__ import annotations

import errno
from pathlib import Path


class DossierError(Exception):
    """Base of every error the core raises on purpose; ``str(err)`` is a message for a person."""


class NotFound(DossierError):
    """A document, tag, entity or annotation that was asked for does not exist."""


class InvalidInput(DossierError):
    """A value given by the user cannot be used (a broken query, a bad date, an empty name)."""


class ImportFailed(DossierError):
    """One file could not be imported; the message is the reason shown in the import report."""


class NotALibrary(DossierError):
    """The file is not a Dossier library (or not SQLite at all); it was left untouched."""


class SchemaTooNew(DossierError):
    """The library was written by a newer Dossier; it was left untouched."""


class LibraryUnavailable(DossierError):
    """The library file or its folder cannot be opened or written (permissions, disk, lock)."""


class LibraryDamaged(NotALibrary):
    """SQLite found the library's file damaged; nothing more is written to it.

    The message names the ways out: restore an automatic backup, or recover what
    can still be read into a new file; ``detail`` is what SQLite found, alone.
    """

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail or message


class LibraryBusy(LibraryUnavailable):
    """Another program held the library's write lock and the person stopped waiting: the change
    was not made."""


class LibraryReadOnly(LibraryUnavailable):
    """The library was opened read-only (read-only file or medium); a write was refused."""


class DiskFull(LibraryUnavailable):
    """The disk holding the library is full; the failed transaction was rolled back."""


class WriteFailed(DossierError):
    """A file the user asked for (an export) could not be written; nothing was left behind."""


class Cancelled(DossierError):
    """A long job stopped because its cancel token was set; committed work is kept."""


def describe_os_error(err: OSError) -> str:
    """The reason, in plain words, that a file could not be read (for import reports)."""
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a folder"
    return f"cannot be read: {err.strerror or err}"


def describe_write_error(err: OSError, folder: Path) -> str:
    """The reason, in plain words, that a file could not be made or written in ``folder``
    (for exports and new libraries): the operating system's own words only as a last resort."""
    if err.errno == errno.EROFS:
        return f"{folder} is on a read-only file system"
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"you have no permission to write in {folder}"
    if err.errno == errno.ENOSPC:
        return f"the disk holding {folder} is full"
    if err.errno == errno.EDQUOT:
        return f"your disk quota on {folder} is used up"
    if err.errno == errno.ENOENT and folder.is_dir():
        return f"{folder} does not take new files (it is a folder of the system)"
    if err.errno in (errno.ENAMETOOLONG, errno.EINVAL):
        return f"the file system of {folder} does not take that file name"
    return (err.strerror or str(err)).lower()
