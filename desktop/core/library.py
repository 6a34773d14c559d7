"""Opening, creating, checking and migrating a library file.

A library is one SQLite file written through sqlite-utils: WAL journal, foreign keys
on, marked with an application id. A file that is not SQLite, a SQLite file of
another program, or a library written by a newer Dossier is refused with a
message and never modified. Before pending migrations run on an existing
library, the file is copied beside itself.

Any number of processes may read and write one library at once. Every write
transaction begins with ``BEGIN IMMEDIATE`` (``write_transaction``, used by
``db.atomic()`` and by the driver's implicit transactions), so a writer takes the
write lock before it reads and waits its turn under the busy timeout instead of
failing when another process committed since its read began; ``retry_when_busy``
runs a whole transaction again when even that wait ran out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from desktop import __app_name__, __version__

from .errors import LibraryUnavailable, NotALibrary, SchemaTooNew
from .schema import APPLICATION_ID, migrations

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BUSY_RETRY_SECONDS = 300.0  # how long a whole transaction is tried again before contention is an error
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
CACHE_KIB = 32_768  # page cache per connection: bulk imports update several B-trees at once
T = TypeVar("T")


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

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> Library:
        """A second connection to the same file, for another thread (no migration, no checks)."""
        return Library(self.path, _connect(self.path))

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]


class LibraryDatabase(Database):
    """A sqlite-utils ``Database`` whose outermost ``atomic()`` block is a ``write_transaction``."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[LibraryDatabase]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
        else:
            with write_transaction(self.conn):
                yield self


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that holds the write lock from its first statement.

    ``BEGIN IMMEDIATE`` waits under the busy timeout while another connection
    writes; a deferred ``BEGIN`` would read first and then fail at once with
    "database is locked" when it came to write after another process committed.
    Commits on success, rolls back on any exception.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
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


def is_busy(err: BaseException) -> bool:
    """True when ``err`` says another connection holds the library (SQLITE_BUSY or SQLITE_LOCKED)."""
    code = getattr(err, "sqlite_errorcode", 0) & 0xFF  # extended codes (SQLITE_BUSY_SNAPSHOT) too
    return isinstance(err, sqlite3.OperationalError) and code in _BUSY_CODES


def retry_when_busy(work: Callable[[], T], *, give_up_after: float = BUSY_RETRY_SECONDS) -> T:
    """Run ``work`` (one whole transaction) again while it fails because the library is busy.

    ``work`` must leave nothing behind when it fails (a transaction that rolled
    back). After ``give_up_after`` seconds of trying the last error is raised.
    """
    deadline = time.monotonic() + give_up_after
    pause = 0.05
    while True:
        try:
            return work()
        except sqlite3.OperationalError as err:
            if not is_busy(err) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


def _connect(path: Path) -> Database:
    try:
        conn = sqlite3.connect(
            str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level="IMMEDIATE"
        )
    except sqlite3.Error as err:
        raise LibraryUnavailable(f"Cannot open {path}: {err}") from err
    db = LibraryDatabase(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return db


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as err:
        raise LibraryUnavailable(f"Cannot read {path}: {err.strerror or err}") from err
    if header != SQLITE_HEADER:
        raise NotALibrary(f"{path} is not a {__app_name__} library (it is not a SQLite database).")


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [r[0] for r in rows]


def _inspect(path: Path) -> tuple[bool, int]:
    """Read-only look at an existing file: (is it a fresh empty database?, its user_version)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as err:
        raise LibraryUnavailable(f"Cannot open {path}: {err}") from err
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = _user_tables(conn)
    except sqlite3.DatabaseError as err:
        raise NotALibrary(
            f"{path} is not a {__app_name__} library (the SQLite file is damaged: {err})."
        ) from err
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


def backup(db: Database, target: Path) -> Path:
    """Copy the whole library to ``target`` with SQLite's online backup (consistent under WAL)."""
    dest = sqlite3.connect(str(target))
    try:
        with dest:
            db.conn.backup(dest)
    finally:
        dest.close()
    return target


def open_library(path: str | os.PathLike[str], *, create: bool = True) -> Library:
    """Open the library at ``path``, creating it if ``create`` and it does not exist.

    Raises ``NotALibrary`` or ``SchemaTooNew`` (the file is untouched), or
    ``LibraryUnavailable`` when the file or its folder cannot be used.
    """
    path = Path(path).expanduser()
    exists = path.exists() and path.stat().st_size > 0
    if path.exists() and path.is_dir():
        raise NotALibrary(f"{path} is a folder, not a {__app_name__} library.")
    if exists:
        _check_header(path)
        fresh, _ = _inspect(path)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise LibraryUnavailable(
                f"{path} is read-only: {__app_name__} needs to write to the library and its folder."
            )
    else:
        if not create:
            raise LibraryUnavailable(f"No library at {path}.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise LibraryUnavailable(
                f"Cannot create the folder {path.parent}: {err.strerror or err}"
            ) from err
        if not os.access(path.parent, os.W_OK):
            raise LibraryUnavailable(f"Cannot create a library in {path.parent}: it is read-only.")
        fresh = True

    db = _connect(path)
    try:
        library = Library(path, db)
        _migrate(library, fresh=fresh)
    except sqlite3.Error as err:
        db.close()
        raise LibraryUnavailable(f"Cannot use {path}: {err}") from err
    except BaseException:
        db.close()
        raise
    return library


def _migrate(library: Library, *, fresh: bool) -> None:
    db = library.db
    pending = migrations.pending(db)
    if pending and not fresh:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = library.path.with_name(
            f"{library.path.stem}.before-{pending[0].name}-{stamp}{library.path.suffix}"
        )
        library.backup_path = backup(db, target)
    if fresh:
        with db.ensure_autocommit_on():
            db.conn.execute("PRAGMA journal_mode = WAL")
    if pending:
        migrations.apply(db)
        db.execute(f"PRAGMA user_version = {schema_version()}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        with db.atomic():
            if fresh:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('created_by', ?)",
                    [f"{__app_name__} {__version__}"],
                )
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_by', ?)",
                [f"{__app_name__} {__version__}"],
            )
