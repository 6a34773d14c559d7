"""Waiting out another program's write: whether an error says the library is busy, and running a
whole transaction again until it is not (``retry_when_busy``), for up to ``BUSY_RETRY_SECONDS``."""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    from .jobs import CancelToken

BUSY_RETRY_SECONDS = 300.0  # how long a whole transaction is tried again before contention is an error
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
T = TypeVar("T")


def is_busy(err: BaseException) -> bool:
    """True when ``err`` says another connection holds the library (SQLITE_BUSY or SQLITE_LOCKED)."""
    code = getattr(err, "sqlite_errorcode", 0) & 0xFF  # extended codes (SQLITE_BUSY_SNAPSHOT) too
    return isinstance(err, sqlite3.OperationalError) and code in _BUSY_CODES


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
