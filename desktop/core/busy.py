"""Waiting out another program's write: whether an error says the library is busy, running a
whole transaction again until it is not (``retry_when_busy``), for up to ``BUSY_RETRY_SECONDS``,
and how a write transaction takes the write lock (``begin_write``): under SQLite's busy timeout
(set for a while with ``waiting_at_most``), or through the connection's own ``lock_waiter`` where
one is set (the window's keeps it painting and offers to give the edit up; a command's on a
terminal says that it waits)."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from .jobs import CancelToken

BUSY_RETRY_SECONDS = 300.0  # how long a whole transaction is tried again before contention is an error
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
T = TypeVar("T")


def is_busy(err: BaseException) -> bool:
    """True when ``err`` says another connection holds the library (SQLITE_BUSY or SQLITE_LOCKED)."""
    code = getattr(err, "sqlite_errorcode", 0) & 0xFF  # extended codes (SQLITE_BUSY_SNAPSHOT) too
    return isinstance(err, sqlite3.OperationalError) and code in _BUSY_CODES


class LibraryConnection(sqlite3.Connection):
    """The connection every library opens. ``lock_waiter``, when set, is called with the
    connection and the statement that takes the write lock (a callable), and must return once
    that ran, or raise: the window sets one on the connection of its own thread, so that waiting
    for another program's write never freezes it (``desktop.ui.lock_wait``)."""

    lock_waiter: Callable[[sqlite3.Connection, Callable[[], Any]], None] | None = None


@contextlib.contextmanager
def waiting_at_most(conn: sqlite3.Connection, ms: int) -> Iterator[None]:
    """Inside, SQLite waits at most ``ms`` for another connection's lock on ``conn`` (its busy
    timeout; 0: not at all); after, as long as before."""
    before = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(before)}")


def begin_write(conn: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE`` on ``conn``: through its ``lock_waiter`` when it has one, else waiting
    under the busy timeout."""
    waiter = getattr(conn, "lock_waiter", None)
    begin = functools.partial(conn.execute, "BEGIN IMMEDIATE")
    if waiter is None:
        begin()
    else:
        waiter(conn, begin)


def retry_when_busy(work: Callable[[], T], *, give_up_after: float = BUSY_RETRY_SECONDS,
                    cancel: CancelToken | None = None) -> T:
    """Run ``work`` (one whole transaction) again while it fails because the library is busy.

    ``work`` must leave nothing behind when it fails (a transaction that rolled
    back). After ``give_up_after`` seconds of trying the last error is raised; a
    ``cancel`` token (``desktop.core.jobs.CancelToken``) set meanwhile stops the tries.
    """
    deadline = time.monotonic() + give_up_after
    pause = 0.05
    while True:
        try:
            return work()
        except sqlite3.OperationalError as err:
            if not is_busy(err) or time.monotonic() >= deadline:
                raise
        if cancel is not None:
            cancel.raise_if_cancelled()
        time.sleep(pause)
        pause = min(pause * 2, 2.0)
