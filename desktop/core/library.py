"""Opening, creating, checking and migrating a library file.

A library is one SQLite file written through sqlite-utils: WAL journal, foreign keys
on, marked with an application id. A file that is not SQLite, a SQLite file of
another program, or a library written by a newer Dossier is refused with a
message and never modified. Before pending migrations run on an existing
library, it is backed up into ``backups/`` beside it (``backups.py``).

Any number of processes may read and write one library at once. Every write
transaction begins with ``BEGIN IMMEDIATE`` (``write_transaction``, used by
``db.atomic()`` and by the driver's implicit transactions), so a writer takes the
write lock before it reads and waits its turn under the busy timeout instead of
failing when another process committed since its read began; ``busy.retry_when_busy``
runs a whole transaction again when even that wait ran out.

A library on read-only media, a file without write permission or in a folder
that cannot be written opens read-only (``mode=ro``; ``immutable=1`` when SQLite
could not create its ``-wal``/``-shm`` files there): reading works, writes are
refused with ``LibraryReadOnly``. ``require_writable`` is what a write session
calls first: it refuses a read-only library and runs SQLite's ``quick_check`` so
that a damaged file is never written to, then records dead import runs as interrupted.
SQLite's own errors (damaged file, full disk, read-only) become the core's typed errors
with one-line messages in ``library_messages``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from desktop import __app_name__, __version__

from .busy import LibraryConnection, begin_write, is_busy
from .errors import (
    DiskFull,
    DossierError,
    LibraryReadOnly,
    LibraryUnavailable,
    NotALibrary,
    SchemaTooNew,
    describe_os_error,
    describe_write_error,
)
from .file_identity import OpenedFile, opened_file, require_same_file
from .jobs import CancelToken, ProgressCallback
from .library_messages import library_error, library_errors, read_only_message
from .schema import APPLICATION_ID, migrations
from .shadow_index import sync_changes
from .sort_keys import fill_sort_keys

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 32_768  # page cache per connection: bulk imports update several B-trees at once
SYNCHRONOUS_ENV = "DOSSIER_SYNCHRONOUS"
"""``NORMAL`` here trades the last commits before a power cut for speed (the test suite sets it);
by default every commit is on the disk before it returns (``FULL``, about 1.3 ms a commit here):
a highlight shown as saved survives a power cut too, not only a crash."""


def _synchronous() -> str:
    return "NORMAL" if os.environ.get(SYNCHRONOUS_ENV, "").upper() == "NORMAL" else "FULL"
_UNAVAILABLE = (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY,
                sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOMEM)


def schema_version() -> int:
    """The number of migrations this version of Dossier knows (stored as ``user_version``)."""
    return len(migrations._migrations)


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string, seconds precision."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class Library:
    """An open library: its path and a sqlite-utils ``Database`` owned by one thread."""

    path: Path
    db: Database
    backup_path: Path | None = None
    upgraded: tuple[str, ...] = ()
    read_only_reason: str | None = None
    uri: str | None = None
    verified: bool = False
    checked_at: dt.datetime | None = None
    writes_stopped: bool = False

    @property
    def read_only(self) -> bool:
        """Whether writes are refused (the file, its folder or its medium is read-only)."""
        return self.read_only_reason is not None

    @property
    def writable(self) -> bool:
        """Whether a write may be tried: not read-only, and writes not stopped (``stop_writes``)."""
        return not self.read_only and not self.writes_stopped

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close()
        if exc_type is None and self.verified:
            from .check import remember_sound

            remember_sound(self)

    def connect(self) -> Library:
        """A second connection to the same file, for another thread (no migration, no checks);
        ``LibraryUnavailable`` when the file was deleted or replaced (``file_identity``)."""
        require_same_file(self.db.conn, getattr(self.db, "opened", None))
        return Library(self.path, _connect(self.path, uri=self.uri),
                       read_only_reason=self.read_only_reason, uri=self.uri)

    def stop_writes(self) -> None:
        """From now on this connection refuses writes (SQLite's ``query_only``) and the
        connections made from it open read-only: for a library found damaged."""
        self.uri = read_only_uri(self.path)
        self.db.conn.execute("PRAGMA query_only = ON")
        self.writes_stopped = True

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]


class LibraryDatabase(Database):
    """A sqlite-utils ``Database`` whose outermost ``atomic()`` block is a ``write_transaction``
    into the file it opened, and only while the library's path still names that file."""

    opened: OpenedFile | None = None

    @contextlib.contextmanager
    def atomic(self) -> Iterator[LibraryDatabase]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
        else:
            require_same_file(self.conn, self.opened)
            with write_transaction(self.conn):
                yield self


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that holds the write lock from its first statement.

    ``BEGIN IMMEDIATE`` waits under the busy timeout while another connection
    writes; a deferred ``BEGIN`` would read first and then fail at once with
    "database is locked" when it came to write after another process committed.
    Commits on success, rolls back on any exception. The connection's ``lock_waiter`` waits
    instead where it has one (``busy.begin_write``).
    """
    begin_write(conn)
    try:
        yield conn
        sync_changes(conn)  # the multi-script search index follows what was written
        fill_sort_keys(conn)  # and so do the keys the list sorts by
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around what is inside (every read sees one state of the library),
    unless the caller already holds a transaction."""
    opened = not conn.in_transaction
    if opened:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if opened and conn.in_transaction:
            conn.execute("COMMIT")


def data_version(conn: sqlite3.Connection) -> int:
    """A number that changes whenever another connection commits to the library (a cheap
    poll: SQLite answers it without reading the file)."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


CASEFOLD_SQL = "dossier_casefold"
"""The SQL function folding case in every script (SQLite's NOCASE, LIKE and lower() fold ASCII
letters only), on every connection a library opens: tag filters compare names through it."""


def _connect(path: Path, *, uri: str | None = None) -> Database:
    try:
        conn = sqlite3.connect(uri or str(path), uri=uri is not None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level="IMMEDIATE",
                               factory=LibraryConnection)
    except sqlite3.Error as err:
        raise LibraryUnavailable(f"Cannot open {path}: {err}") from err
    db = LibraryDatabase(conn)
    db.opened = opened_file(path) if uri is None else None
    conn.create_function(CASEFOLD_SQL, 1, str.casefold, deterministic=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA synchronous = {_synchronous()}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return db


def check_header(path: Path) -> None:
    """Refuse a file that does not start like a SQLite database (``NotALibrary``)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as err:
        raise LibraryUnavailable(f"Cannot read {path}: {describe_os_error(err)}") from err
    if header != SQLITE_HEADER:
        raise NotALibrary(f"{path} is not a {__app_name__} library (it is not a SQLite database).")


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def _inspect(path: Path, *, uri: str) -> tuple[bool, int]:
    """Read-only look at an existing file: (is it a fresh empty database?, its user_version)."""
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as err:
        raise LibraryUnavailable(f"Cannot open {path}: {err}") from err
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = _user_tables(conn)
    except sqlite3.DatabaseError as err:
        raise _unreadable(err, path) from err
    finally:
        conn.close()
    if app_id == APPLICATION_ID:
        if version > schema_version():
            raise SchemaTooNew(
                f"{path} was written by a newer version of {__app_name__} "
                f"(library format {version}, this is {__app_name__} {__version__} "
                f"with format {schema_version()}); update {__app_name__} to open it."
            )
        return False, version
    if app_id == 0 and not tables:
        return True, 0
    raise NotALibrary(f"{path} is a SQLite database but not a {__app_name__} library.")


def _unreadable(err: sqlite3.DatabaseError, path: Path) -> DossierError:
    """Why SQLite could not read a library's header and schema: the typed error, where any
    reason but I/O, a lock or memory means the file is damaged."""
    typed = library_error(err, path)
    code = (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF
    if type(typed) is LibraryUnavailable and code not in _UNAVAILABLE:
        return NotALibrary(f"{path} is not a {__app_name__} library (the SQLite file is damaged: {err}).")
    return typed


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The URI that opens ``path`` read-only; ``immutable`` when no ``-wal``/``-shm`` can be made."""
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _cannot_write(path: Path) -> bool:
    """Whether ``path`` refuses writes. Holds for root too: no write permission bit at all
    counts as read-only, as does a read-only mount."""
    try:
        read_only_medium = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
        mode = path.stat().st_mode
    except OSError:
        return True
    return read_only_medium or not mode & 0o222 or not os.access(path, os.W_OK)


def write_access(path: Path) -> tuple[str | None, bool]:
    """Why the library at ``path`` must open read-only (None: it need not), and whether
    SQLite must treat it as immutable because it cannot create its working files there."""
    folder = path.parent
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on read-only media", True
    except OSError:
        pass
    if _cannot_write(folder):
        shm_missing = not path.with_name(path.name + "-shm").exists()
        return "its folder cannot be written", shm_missing
    if _cannot_write(path):
        return "the file is read-only", False
    return None, False


def remove_database_files(path: Path) -> None:
    """Delete the database file at ``path`` with SQLite's journal files beside it (a copy
    or a new library that was not completed)."""
    for ending in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + ending).unlink(missing_ok=True)


def _wal_is_empty(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def require_writable(library: Library) -> None:
    """Call before a write session: refuses a read-only library (``LibraryReadOnly``) and a
    damaged one (``LibraryDamaged``, found by SQLite's ``quick_check``: ``check.verify_sound``),
    then records the import runs whose process died as interrupted (one small query)."""
    from .check import verify_sound
    from .import_history import mark_interrupted

    if library.read_only_reason is not None:
        raise LibraryReadOnly(read_only_message(library.path, library.read_only_reason))
    verify_sound(library)
    try:
        mark_interrupted(library.db)
    except sqlite3.OperationalError as err:
        if not is_busy(err):
            raise  # busy: the next write session records them


def open_library(
    path: str | os.PathLike[str], *, create: bool = True, read_only: bool = False,
    progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
) -> Library:
    """Open the library at ``path``, creating it if ``create`` and it does not exist.

    The library opens read-only when ``read_only`` is given or the file, its folder
    or its medium cannot be written (``Library.read_only_reason`` says why).
    Raises ``NotALibrary`` (``LibraryDamaged`` for a damaged file; an empty file unless
    ``create``, which makes a library in it) or ``SchemaTooNew`` (the file is untouched), or
    ``LibraryUnavailable`` when the file or its folder cannot be used. A library written by an
    older Dossier is backed up and upgraded (``desktop.core.upgrade``: ``progress`` hears of the
    backup and each step, and of a long step's articles; ``cancel`` stops it at once with
    ``Cancelled``, the step under way rolled back).
    """
    path = Path(path).expanduser()
    exists = path.exists() and path.stat().st_size > 0
    if path.exists() and path.is_dir():
        raise NotALibrary(f"{path} is a folder, not a {__app_name__} library.")
    if not exists:
        if path.exists() and not create:
            raise NotALibrary(f"{path} is an empty file, not a {__app_name__} library.")
        return _create(path, create=create)
    check_header(path)
    reason, immutable = ("it was opened read-only", False) if read_only else write_access(path)
    try:
        fresh, version = _inspect(path, uri=read_only_uri(path, immutable=immutable))
    except LibraryUnavailable as err:
        if not _wal_is_empty(path):
            raise
        # SQLite could not create its shared-memory file to read (full disk, quota):
        # the file is complete without its empty -wal, so read it as it is.
        reason = "the disk holding it is full" if isinstance(err, DiskFull) else (
            "SQLite cannot create its working files beside it")
        immutable = True
        fresh, version = _inspect(path, uri=read_only_uri(path, immutable=True))
    if reason is not None:
        return _open_read_only(path, reason=reason, immutable=immutable, fresh=fresh,
                               version=version)
    return _open_writable(path, fresh=fresh, progress=progress, cancel=cancel)


def _create(path: Path, *, create: bool) -> Library:
    if not create:
        raise LibraryUnavailable(f"No library at {path}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise LibraryUnavailable(
            f"Cannot create the folder {path.parent}: {err.strerror or err}"
        ) from err
    if _cannot_write(path.parent):
        raise LibraryUnavailable(f"Cannot create the library {path}: {_write_refusal(path.parent)}.")
    try:
        return _open_writable(path, fresh=True)
    except LibraryUnavailable as err:
        why = _creation_failure(path)
        if why is None:
            raise
        raise LibraryUnavailable(f"Cannot create the library {path}: {why}.") from err


def _write_refusal(folder: Path) -> str:
    """Why ``folder``, which ``_cannot_write``, refuses new files, in plain words."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"{folder} is on a read-only file system"
        if not folder.stat().st_mode & 0o222:
            return f"{folder} is read-only"
    except OSError as err:
        return describe_write_error(err, folder)
    return f"you have no permission to write in {folder}"


def _creation_failure(path: Path) -> str | None:
    """Why no file can be made at ``path``, in plain words (SQLite says only "unable to open
    database file"); None when one can."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return None
    except OSError as err:
        return describe_write_error(err, path.parent)
    path.unlink(missing_ok=True)
    return None


def _open_read_only(path: Path, *, reason: str, immutable: bool, fresh: bool,
                    version: int) -> Library:
    if fresh:
        raise LibraryReadOnly(f"{path} is an empty file that cannot be written ({reason}).")
    if version < schema_version():
        raise LibraryReadOnly(
            f"The library {path} is read-only ({reason}) and was written by an older "
            f"{__app_name__}; copy it to a folder that can be written once so it can be upgraded."
        )
    uri = read_only_uri(path, immutable=immutable)
    return Library(path, _connect(path, uri=uri), read_only_reason=reason, uri=uri)


def _open_writable(path: Path, *, fresh: bool, progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None) -> Library:
    db = _connect(path)
    try:
        library = Library(path, db)
        with library_errors(path):
            _migrate(library, fresh=fresh, progress=progress, cancel=cancel)
    except BaseException:
        db.close()
        raise
    return library


def _use_wal(db: Database) -> None:
    """Put the file in WAL mode (kept in the file), so reading never waits for a writer.

    A new library gets it at once; a library whose file lost it (restored by another
    tool, written by a script with a rollback journal) gets it back when it opens. Another
    program holding the file open can refuse the switch: the library then opens as it is
    and the next opening tries again.
    """
    if db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    try:
        with db.ensure_autocommit_on():
            db.conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as err:
        if not is_busy(err):
            raise


def _migrate(library: Library, *, fresh: bool, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
    from .backups import backup_before
    from .check import verify_sound
    from .published_dates import record_current_rules
    from .upgrade import apply_pending

    db = library.db
    pending = migrations.pending(db)
    if pending and not fresh:
        verify_sound(library)  # a damaged file is neither migrated nor backed up over good ones
        library.backup_path = backup_before(library, f"migration {pending[0].name}",
                                            progress=progress, cancel=cancel)
    _use_wal(db)
    if pending:
        applied = apply_pending(db, migrations, progress=None if fresh else progress, cancel=cancel)
        library.upgraded = () if fresh else tuple(applied)
        db.execute(f"PRAGMA user_version = {schema_version()}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with db.atomic():
            if fresh:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('created_by', ?)",
                    [f"{__app_name__} {__version__}"],
                )
                record_current_rules(db)
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_by', ?)",
                [f"{__app_name__} {__version__}"],
            )
