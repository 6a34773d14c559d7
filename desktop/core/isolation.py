"""Keeping a misbehaving parser from taking an import down.

``contained`` wraps every built-in parser: it refuses empty, oversized and
misnamed files before parsing, and turns any unexpected exception into
``ImportFailed`` with a plain reason; ``limited`` only names a parser's format
and size limit, which ``read_for`` applies before a file is read. ``parse_with_limit`` runs the parser for
a file in a separate worker process and stops it when the file takes longer
than the limit. One worker serves file after file and is replaced after it is
stopped or dies, so the per-file cost is one round trip through a pipe.
"""

from __future__ import annotations

import atexit
import functools
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable

from .errors import ImportFailed, describe_os_error
from .formats import ParsedFile, Parser, parser_for, unsupported_reason
from .sniff import FileKind, check_bytes, check_size, read_bounded

WORKER_START_LIMIT = 120.0
_ISOLATED = frozenset({".pdf", ".docx", ".html", ".htm", ".xhtml"})
_READY = "ready"
DEFAULT_LIMIT_MB = 100  # for a parser that names no limit of its own


def contained(*, accepts: frozenset[FileKind], expected: str, limit_mb: float) -> Callable[[Parser], Parser]:
    """Decorator for a parser: refuse empty, oversized and misnamed files before parsing.

    ``formats.register`` turns any other exception into ``ImportFailed`` naming
    ``expected``.

    ``accepts`` are the kinds of file the parser reads, ``expected`` names its
    format in messages ("a PDF"), ``limit_mb`` is the largest file it takes.
    """

    def wrap(parser: Parser) -> Parser:
        @functools.wraps(parser)
        def checked(data: bytes, path: Path) -> ParsedFile:
            check_bytes(data, accepts=accepts, expected=expected, limit_mb=limit_mb)
            return parser(data, path)

        return _named(checked, expected=expected, limit_mb=limit_mb)

    return wrap


def limited(*, expected: str, limit_mb: float) -> Callable[[Parser], Parser]:
    """Decorator for a parser that judges a file's bytes itself: refuse only files over ``limit_mb``."""

    def wrap(parser: Parser) -> Parser:
        @functools.wraps(parser)
        def checked(data: bytes, path: Path) -> ParsedFile:
            check_size(len(data), expected=expected, limit_mb=limit_mb)
            return parser(data, path)

        return _named(checked, expected=expected, limit_mb=limit_mb)

    return wrap


def _named(parser: Parser, *, expected: str, limit_mb: float) -> Parser:
    """Give ``parser`` its format's name (read by ``formats.register``) and size limit (by ``read_for``)."""
    parser.format_name = expected  # type: ignore[attr-defined]
    parser.limit_mb = limit_mb  # type: ignore[attr-defined]
    return parser


def read_for(parser: Parser, path: Path) -> bytes:
    """The bytes of ``path`` for ``parser``: a regular file, read no further than the parser's size limit."""
    return read_bounded(
        path,
        limit_mb=getattr(parser, "limit_mb", DEFAULT_LIMIT_MB),
        expected=getattr(parser, "format_name", "this type of file"),
    )


def describe_exception(exc: BaseException) -> str:
    """One plain line for an exception a parser library raised."""
    if isinstance(exc, RecursionError):
        return "the file is nested too deeply"
    if isinstance(exc, MemoryError):
        return "the file needs more memory than is available"
    lines = str(exc).strip().splitlines()
    name = type(exc).__name__
    return f"{lines[0][:200]} ({name})" if lines else name


def isolated_suffixes() -> frozenset[str]:
    """The file suffixes whose parsers are complex enough to run under ``parse_with_limit``."""
    return _ISOLATED


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


def _serve(conn: Connection) -> None:
    """The worker process: load the parsers, then answer ``(parser, path)`` requests until the pipe closes."""
    # Parser libraries warn about every damaged file; the reason reaches the user through the reply.
    logging.getLogger().addHandler(logging.NullHandler())
    for suffix in _ISOLATED:
        parser_for(Path(f"preload{suffix}"))
    conn.send(_READY)
    while True:
        try:
            parser, path = conn.recv()
        except EOFError:
            return
        conn.send(_parse_file(parser, path))


def _parse_file(parser: Parser, path: Path) -> tuple[ParsedFile | None, str | None]:
    try:
        return parser(read_for(parser, path), path), None
    except ImportFailed as exc:
        return None, str(exc)
    except OSError as exc:
        return None, describe_os_error(exc)
    except Exception as exc:
        return None, describe_exception(exc)


_lock = threading.Lock()
_worker: _Worker | None = None
atexit.register(stop_worker)
