"""The library's suggested corrections (``suggestions.suggestions``) found in a process of their own.

Finding them is Python work on every named entity of the library, about 7 s at 100,000
articles. On a thread of the window's process that work shares the interpreter lock with the
window, which then stops for a tenth of a second at a time whenever a busy machine takes the
core away from the thread holding the lock. A spawned process finds them on another core and
sends them back; cancelling kills it at once, so a newer reading never waits for an older one.
With a single core, or when no process can be started or it dies, they are found on the
calling thread as before.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import Cancelled
from ..jobs import CancelToken, start_worker_process
from ..library import Library, _connect
from .suggestions import Suggestion, suggestions

POLL_SECONDS = 0.05


def suggestions_apart(library: Library, *, skipped: frozenset[str], cancel: CancelToken,
                      cores: int | None = None) -> list[Suggestion]:
    """The suggestions of ``library`` but the ``skipped`` ones, found in a process of their own
    (``cores``: how many the machine has). Raises Cancelled once ``cancel`` is set, and the
    errors ``suggestions`` raises."""
    if (cores if cores is not None else os.cpu_count() or 1) < 2:
        return _found_here(library, skipped)
    context = multiprocessing.get_context("spawn")  # forking a process with Qt's threads can hang it
    receiver, sender = context.Pipe(duplex=False)
    try:
        process = context.Process(target=_find, args=(sender, library.path, library.uri, skipped),
                                  daemon=True, name="dossier-suggestions")
        process.start()
    except (OSError, RuntimeError):
        receiver.close()
        return _found_here(library, skipped)
    finally:
        sender.close()
    try:
        while not receiver.poll(POLL_SECONDS):
            if cancel.cancelled:
                raise Cancelled("Reading the suggestions was cancelled.")
            if not process.is_alive() and not receiver.poll(0):
                return _found_here(library, skipped)  # it died without a word
        outcome, value = receiver.recv()
    except (EOFError, OSError):
        return _found_here(library, skipped)
    finally:
        process.kill()
        process.join()
        receiver.close()
    if outcome == "failed":
        raise value
    return value


def _found_here(library: Library, skipped: frozenset[str]) -> list[Suggestion]:
    reader = library.connect()
    try:
        return suggestions(reader.db, skipped=skipped)
    finally:
        reader.close()


def _find(sender: Connection, path: Path, uri: str | None, skipped: frozenset[str]) -> None:
    """The process: find the suggestions and send ("found", them) or ("failed", the error)."""
    start_worker_process()
    try:
        db = _connect(path, uri=uri)
        try:
            found = suggestions(db, skipped=skipped)
        finally:
            db.conn.close()
    except Exception as err:  # noqa: BLE001 - sent to the window, which says what went wrong
        sender.send(("failed", err))
    else:
        sender.send(("found", found))
    sender.close()
