"""Keeping a misbehaving parser from taking an import down: the time-limited worker process.

``parse_with_limit`` runs the parser for a file in a separate worker process
and stops it when the file takes longer than the limit. Which formats run
here is said where each format registers (``register(..., isolated=True)`` in
``desktop.core.formats``). One worker serves file after file and is replaced
after it is stopped or dies, so the per-file cost is one round trip through a
pipe.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import signal
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import ImportFailed, describe_os_error
from .formats import ParsedFile, Parser, describe_exception, load_builtin_formats, parser_for, unsupported_reason

WORKER_START_LIMIT = 120.0
_READY = "ready"


def parse_with_limit(path: Path, *, timeout: float = 60.0) -> ParsedFile:
    """Parse ``path`` with its registered parser in the worker process, stopping it after ``timeout`` s.

    Raises ImportFailed for an unsupported or unreadable file, for whatever the
    parser refused, when the parser crashes the worker, and on timeout
    ("parser took longer than 60 s — skipped").
    """
    parser = parser_for(path)
    if parser is None:
        raise ImportFailed(unsupported_reason(path))
    global _worker
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        try:
            return _worker.parse(parser, path, timeout=timeout)
        finally:
            if not _worker.alive():
                _worker = None


def stop_worker() -> None:
    """Stop the worker process if one is running (at exit, or to free its memory)."""
    global _worker
    with _lock:
        if _worker is not None:
            _worker.stop()
            _worker = None


class _Worker:
    """One spawned process that parses a file per request sent through a pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_conn,), daemon=True, name="dossier-parser")
        with _interrupts_ignored():
            self._process.start()
        child_conn.close()
        if not self._conn.poll(WORKER_START_LIMIT) or self._receive() != _READY:
            self.stop()
            raise ImportFailed("the parser process did not start")

    def alive(self) -> bool:
        return self._process.is_alive()

    def parse(self, parser: Parser, path: Path, *, timeout: float) -> ParsedFile:
        self._conn.send((parser, path))
        if not self._conn.poll(timeout):
            self.stop()
            raise ImportFailed(f"parser took longer than {timeout:g} s — skipped")
        reply = self._receive()
        if reply is None:
            self.stop()
            raise ImportFailed("the parser crashed on this file")
        parsed, reason = reply
        if reason is not None:
            raise ImportFailed(reason)
        return parsed

    def stop(self) -> None:
        self._process.kill()
        self._process.join()
        self._conn.close()

    def _receive(self) -> object:
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            return None


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ignore SIGINT while the worker starts (from the main thread), so that it starts ignoring it.

    Ctrl+C in a terminal reaches the whole process group; it is the parent's to
    handle (the command line cancels the import), and the worker would otherwise
    die mid-file. ``_serve`` ignores it too, for workers started from other threads.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


def _serve(conn: Connection) -> None:
    """The worker process: load the parsers, then answer ``(parser, path)`` requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Parser libraries warn about every damaged file; the reason reaches the user through the reply.
    logging.getLogger().addHandler(logging.NullHandler())
    load_builtin_formats()
    conn.send(_READY)
    while True:
        try:
            parser, path = conn.recv()
        except EOFError:
            return
        conn.send(_parse_file(parser, path))


def _parse_file(parser: Parser, path: Path) -> tuple[ParsedFile | None, str | None]:
    try:
        return parser(path.read_bytes(), path), None
    except ImportFailed as exc:
        return None, str(exc)
    except OSError as exc:
        return None, describe_os_error(exc)
    except Exception as exc:
        return None, describe_exception(exc)


_lock = threading.Lock()
_worker: _Worker | None = None
atexit.register(stop_worker)
