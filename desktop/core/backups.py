"""Automatic rolling backups of a library, and restoring one.

Backups are made with SQLite's online backup API (``Connection.backup``), never by
copying the file of a live database, into a ``backups/`` folder beside the library:
``<stem>.<YYYYmmdd-HHMMSS>.<reason><suffix>``. They are made at most once a day on
open (``backup_daily``), before every migration and before a bulk operation
(``backup_before``) — for the bulk edits the undo history also holds (``UNDOABLE``: merging
entities, removing articles, importing annotations), only when the newest backup is older
than ``UNDOABLE_INTERVAL``, so a person accepting suggestion after suggestion is not kept
waiting for a copy of the whole library each time. The last ``KEEP`` automatic backups are kept, plus the latest
before each migration; backups a person asked for (``manual``) are never pruned, nor is a damaged
library kept before a restore (``DAMAGED_REASON``): it cannot be restored, but ``recover`` can
still copy from it what was written since the last good backup.

``restore`` puts a backup back in place of the library after checking it (a
damaged backup, a file that is not a library or one newer than this Dossier is
refused) and keeps the current file as a backup first (a damaged one byte for byte, with the
changes still only in its ``-wal``; it is replaced without ever being opened to write).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from desktop import __app_name__

from .check import quick_check
from .errors import (
    LibraryDamaged, LibraryReadOnly, LibraryUnavailable, NotALibrary, SchemaTooNew, describe_write_error,
)
from .jobs import CancelToken, Progress, ProgressCallback
from .library import (Library, check_header, read_only_uri, remove_database_files, schema_version,
                      write_access)
from .library_messages import damaged_error, library_error, read_only_message
from .schema import APPLICATION_ID

FOLDER = "backups"
KEEP = 7
DAILY = dt.timedelta(days=1)
STAMP = "%Y%m%d-%H%M%S"
MANUAL = "manual"
DAILY_REASON = "daily"
MIGRATION_PREFIX = "before-migration-"
DAMAGED_REASON = "damaged-kept-before-restore"
UNDOABLE = frozenset({"merge-entities", "remove-articles", "import-annotations"})
UNDOABLE_INTERVAL = dt.timedelta(minutes=10)
STEP_BYTES = 16 * 2**20  # copied between two looks at the cancel token (a few hundredths of a second)
PARTIAL_STALE = dt.timedelta(hours=1)
"""A partial copy (``backup_to``) not written to for this long was left by a process that died
while backing up; ``prune`` removes it (a copy under way is written every fraction of a second)."""


@dataclass(frozen=True)
class Backup:
    """One backup file of a library: where it is, when it was made, why, and its size."""

    path: Path
    created: dt.datetime
    reason: str
    size: int

    @property
    def is_migration(self) -> bool:
        return self.reason.startswith(MIGRATION_PREFIX)

    @property
    def is_damaged(self) -> bool:
        """A damaged library kept before a backup was restored over it: never restorable."""
        return self.reason == DAMAGED_REASON

    @property
    def is_automatic(self) -> bool:
        return self.reason != MANUAL and not self.is_migration and not self.is_damaged


def restorable(backups: list[Backup]) -> list[Backup]:
    """``backups`` without the damaged libraries kept before a restore."""
    return [backup for backup in backups if not backup.is_damaged]


def backups_folder(library_path: Path) -> Path:
    """The folder that holds the backups of the library at ``library_path``."""
    return library_path.resolve().parent / FOLDER


def is_backup_of(library_path: Path, name: str) -> bool:
    """Whether the file ``name`` is a backup of the library at ``library_path`` (or one of its
    journal files) in the library's backups folder."""
    path = Path(name)
    stem = path.name.removesuffix("-wal").removesuffix("-shm").removesuffix("-journal")
    return path.parent.resolve() == backups_folder(library_path) and bool(_pattern(library_path).match(stem))


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", reason.lower()).strip("-") or "backup"


def _pattern(library_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(library_path.stem)}\.(\d{{8}}-\d{{6}})(?:-\d+)?\.(.+){re.escape(library_path.suffix)}$"
    )


def list_backups(library_path: Path) -> list[Backup]:
    """The backups of the library at ``library_path``, newest first."""
    folder = backups_folder(library_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(library_path)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        created = dt.datetime.strptime(match.group(1), STAMP)
        info = entry.stat()
        found.append((created, info.st_mtime_ns, Backup(entry, created, match.group(2), info.st_size)))
    return [backup for *_, backup in sorted(found, key=lambda f: (f[0], f[1]), reverse=True)]


def newest_backup(source: Library | Database) -> Path | None:
    """The newest backup of the library ``source`` is open on that can be restored, None when it
    has none."""
    path = database_path(source)
    newest = next(iter(restorable(list_backups(path))), None) if path is not None else None
    return newest.path if newest is not None else None


def database_path(source: Library | Database) -> Path | None:
    """The file of the library ``source`` (None for one in memory)."""
    if isinstance(source, Library):
        return source.path
    row = next((r for r in source.conn.execute("PRAGMA database_list") if r[1] == "main"), None)
    return Path(row[2]) if row and row[2] else None


def _connection(source: Library | Database) -> sqlite3.Connection:
    return source.db.conn if isinstance(source, Library) else source.conn


def backup_to(conn: sqlite3.Connection, target: Path, *, progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None) -> Path:
    """Write a consistent copy of the database behind ``conn`` to ``target``.

    The copy is written beside ``target`` under a name of its own and renamed into
    place, so a backup file is always complete, also when another program writes the
    same backup at the same moment. It is copied ``STEP_BYTES`` at a time, each step
    reported to ``progress`` in MB; ``cancel`` set between two steps raises ``Cancelled``
    and leaves no file.
    """
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex}.partial")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]

    def copied(_status: int, remaining: int, total: int) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(Progress(done=_megabytes((total - remaining) * page_size), total=_megabytes(total * page_size),
                              phase="backing up", unit="MB"))

    dest = sqlite3.connect(str(partial))
    try:
        with dest:
            conn.backup(dest, pages=max(1, STEP_BYTES // page_size), progress=copied)
        dest.execute("PRAGMA journal_mode = DELETE")  # a closed file with no -wal beside it
    except BaseException:
        dest.close()
        remove_database_files(partial)  # a full disk keeps no half backup, nor its journal
        raise
    dest.close()
    os.replace(partial, target)
    return target


def _megabytes(size: int) -> int:
    """``size`` bytes in MB, rounded up (a small library is 1 MB, not 0)."""
    return -(-size // 2**20)


def _new_target(library_path: Path, reason: str, now: dt.datetime) -> Path:
    folder = backups_folder(library_path)
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{library_path.stem}.{now.strftime(STAMP)}"
    slug = _slug(reason)
    target = folder / f"{base}.{slug}{library_path.suffix}"
    n = 2
    while target.exists():
        target = folder / f"{base}-{n}.{slug}{library_path.suffix}"
        n += 1
    return target


def backup_before(source: Library | Database, reason: str, *, progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> Path | None:
    """Back the library up before ``reason`` (e.g. "merge entities"), then prune old backups
    (``progress`` and ``cancel`` as ``backup_to`` takes them).

    Returns the backup file, or None for a database that is not a file or cannot be
    written (a read-only library has nothing new to protect), or for an undoable bulk edit
    soon after another backup (see the module docstring).
    """
    path = database_path(source)
    if path is None or (isinstance(source, Library) and source.read_only):
        return None
    slug = _slug(reason)
    label = slug if slug == MANUAL or slug == DAILY_REASON else f"before-{slug}"
    now = dt.datetime.now()
    if slug in UNDOABLE:
        newest = next(iter(restorable(list_backups(path))), None)
        if newest is not None and dt.timedelta(0) <= now - newest.created < UNDOABLE_INTERVAL:
            return None  # the undo history holds every change since that backup
    try:
        target = _new_target(path, label, now)
        conn = _connection(source)
        if conn.in_transaction:
            # the edit's own transaction is open (a window's writer runs the edit in one): SQLite
            # cannot copy through a connection holding writes not yet committed, and the copy waited
            # for it forever; a connection of its own reads the library as it was before the edit
            with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as reader:
                backup_to(reader, target, progress=progress, cancel=cancel)
        else:
            backup_to(conn, target, progress=progress, cancel=cancel)
    except OSError as err:
        folder = backups_folder(path)
        reason = (f"{folder} is a file, not a folder" if folder.exists() and not folder.is_dir()
                  else describe_write_error(err, folder))
        raise LibraryUnavailable(f"Cannot back up {path}: {reason}.") from err
    except sqlite3.Error as err:
        raise library_error(err, path) from err
    prune(path)
    return target


def backup_daily(library: Library, *, now: dt.datetime | None = None) -> Path | None:
    """Make the day's backup when the newest backup is older than a day; None otherwise.

    Unless this session found the library sound already (``check.verify_sound``), the
    copy is checked with ``quick_check``: a damaged copy is deleted, so a damaged
    library never pushes good backups out, and ``LibraryDamaged`` is raised.
    """
    if library.read_only or not library.document_count():
        return None  # nothing to protect yet
    now = now or dt.datetime.now()
    newest = next(iter(restorable(list_backups(library.path))), None)
    if newest is not None and now - newest.created < DAILY:
        return None
    target = backup_before(library, DAILY_REASON)
    if target is None:
        return None
    problems = [] if library.verified else problems_of(target)
    if problems:
        target.unlink(missing_ok=True)
        raise damaged_error(library.path, problems[0])
    return target


def prune(library_path: Path) -> list[Path]:
    """Delete automatic backups beyond the newest ``KEEP``, all but the newest backup before
    each migration, and partial copies left by a process that died (``PARTIAL_STALE``); returns
    what was deleted."""
    automatic: list[Backup] = []
    seen_migrations: set[str] = set()
    doomed: list[Path] = []
    for item in list_backups(library_path):
        if item.is_migration:
            if item.reason in seen_migrations:
                doomed.append(item.path)
            seen_migrations.add(item.reason)
        elif item.is_automatic:
            automatic.append(item)
    doomed += [item.path for item in automatic[KEEP:]] + _dead_partials(library_path)
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _dead_partials(library_path: Path) -> list[Path]:
    """The partial copies of the library's backups (and their journals) that nothing has written to
    for ``PARTIAL_STALE``."""
    stale = time.time() - PARTIAL_STALE.total_seconds()
    found = []
    for pattern in ("*.partial", "*.partial-journal"):
        for path in backups_folder(library_path).glob(f"{glob.escape(library_path.stem)}.{pattern}"):
            with contextlib.suppress(OSError):  # renamed into place or removed meanwhile
                if path.stat().st_mtime < stale:
                    found.append(path)
    return found


def problems_of(path: Path) -> list[str]:
    """What ``quick_check`` finds wrong with the database file at ``path`` (read-only): a backup
    of a damaged library is damaged too, and cannot be restored."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return quick_check(conn)
    finally:
        conn.close()


def verify_backup(path: Path) -> int:
    """Check that ``path`` is an intact Dossier library this version can open; returns its
    format version. Raises ``NotALibrary``, ``LibraryDamaged`` or ``SchemaTooNew``."""
    check_header(path)
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problems = quick_check(conn)
    except sqlite3.DatabaseError as err:
        problems = [str(err)]
        app_id = version = None
    finally:
        conn.close()
    if problems:
        raise LibraryDamaged(f"The backup {path} is damaged ({problems[0]}); choose another one.")
    if app_id != APPLICATION_ID:
        raise NotALibrary(f"{path} is a SQLite database but not a {__app_name__} library.")
    if version > schema_version():
        raise SchemaTooNew(
            f"The backup {path} was written by a newer version of {__app_name__} (library "
            f"format {version}, this one reads {schema_version()}); update {__app_name__} first."
        )
    return version


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did: the backup put in place and where the replaced file was kept."""

    source: Path
    kept_as: Path | None


def restore(library_path: Path, backup: Path) -> Restored:
    """Put ``backup`` in place of the library at ``library_path``.

    The backup is checked first (``verify_backup``); the current file, when there is
    one, is kept as a backup ("before restore"; a damaged one as ``DAMAGED_REASON``) before it
    is replaced. Windows and
    commands that have the library open read the restored content from then on.
    """
    library_path = library_path.expanduser()
    backup = backup.expanduser()
    verify_backup(backup)
    reason, _ = write_access(library_path) if library_path.exists() else (None, False)
    if reason is not None:
        raise LibraryReadOnly(read_only_message(library_path, reason))
    if backup.resolve() == library_path.resolve():
        raise LibraryUnavailable(f"{backup} is the library itself; choose a backup file.")
    kept, sound = _keep_current(library_path) if library_path.exists() else (None, True)
    source = sqlite3.connect(read_only_uri(backup), uri=True)
    try:
        try:
            if not sound:  # never opened to write, not even to fold its -wal into it
                raise sqlite3.DatabaseError("the library is damaged")
            _write_into(source, library_path)
        except sqlite3.DatabaseError:
            _replace_file(source, library_path)
    finally:
        source.close()
    return Restored(backup, kept)


def _keep_current(library_path: Path) -> tuple[Path | None, bool]:
    """Back up the file about to be replaced; returns the backup and whether the file was sound.
    A damaged file, which the backup API may not read, is copied byte for byte with its ``-wal``
    (the changes SQLite has not written into it yet; nothing writes to a damaged library) under
    ``DAMAGED_REASON``, so it is never offered as the backup to restore and ``recover`` reads both."""
    conn = sqlite3.connect(read_only_uri(library_path), uri=True)
    try:
        if not quick_check(conn):
            kept = backup_before(Database(conn), "restore")
            if kept is not None:
                return kept, True
    except sqlite3.Error:
        pass
    finally:
        conn.close()
    target = _new_target(library_path, DAMAGED_REASON, dt.datetime.now())
    wal = library_path.with_name(library_path.name + "-wal")
    if wal.is_file() and wal.stat().st_size:
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    shutil.copyfile(library_path, target)
    return target, False


def _write_into(source: sqlite3.Connection, library_path: Path) -> None:
    """Copy ``source`` over the live library with the backup API, so open connections
    see the restored pages at their next read. Raises ``sqlite3.DatabaseError`` when
    the library is too damaged to be written into."""
    dest = sqlite3.connect(str(library_path), timeout=10)
    try:
        if quick_check(dest):
            raise sqlite3.DatabaseError("the library is damaged")
        source.backup(dest)
    finally:
        dest.close()


def _replace_file(source: sqlite3.Connection, library_path: Path) -> None:
    """Write the backup beside a library too damaged to write into, then swap the files."""
    fresh = backup_to(source, library_path.with_name(library_path.name + ".restoring"))
    for leftover in ("-wal", "-shm"):
        library_path.with_name(library_path.name + leftover).unlink(missing_ok=True)
    os.replace(fresh, library_path)
