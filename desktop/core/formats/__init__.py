"""The contract between file-format parsers and the import pipeline, and the registry of parsers.

A parser turns the bytes of one file into ``Article`` records (one for a text,
html, pdf or docx file; many for jsonl/json/csv exports). It raises
``ImportFailed`` with a plain-words reason when the whole file is unusable, and
lists per-record problems (a broken JSON line, a CSV row without text) in
``ParsedFile.problems`` while the good records still import. Parsers never
touch the library; ``desktop.core.ingest`` stores what they return.

A format is one module: its parser, registered for its suffixes with
``register`` (``isolated=True`` when it runs in the separate, time-limited
worker process of ``desktop.core.isolation``), and its limits, checked by
``contained`` before parsing (the kinds of file it reads, the largest size it
takes; ``limited`` for a parser that judges the kind itself). ``read_for``
reads a file for its parser: a regular file only, never past that size limit.
The built-in format modules are imported on first use of one of their
suffixes (``_BUILTIN_MODULES`` says which module serves which suffix), so a
folder of text files never loads the HTML, PDF or Word libraries. Every parser
is registered behind one guard that turns any other exception into
``ImportFailed``: a parser bug fails its file, never an import.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..encoding import without_stray_nuls
from ..errors import ImportFailed
from ..sniff import FileKind, check_bytes, check_size, read_bounded, unreadable_reason


@dataclass
class Article:
    """One article as a parser found it. ``published`` is an ISO date (YYYY-MM-DD) or None."""

    text: str
    title: str = ""
    published: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """What a parser made of one file: its articles, the problems with single records, and notes
    on what was changed to read the file (``"3 NUL bytes removed"``) for the import report."""

    articles: list[Article]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


Parser = Callable[[bytes, Path], ParsedFile]

_PARSERS: dict[str, Parser] = {}
_BUILTIN_MODULES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".jsonl": "records",
    ".ndjson": "records",
    ".json": "records",
    ".csv": "records",
    ".tsv": "records",
}


def register(*suffixes: str, isolated: bool = False) -> Callable[[Parser], Parser]:
    """Decorator: make ``parser`` the one used for files ending in any of ``suffixes``.

    ``isolated``: the format's parser is complex enough (a third-party library
    reading untrusted files) to run in the worker process under a time limit.
    Returns the guarded parser that is registered: it raises nothing but
    ``ImportFailed`` ("could not read the file: <what went wrong>").
    """

    def inner(parser: Parser) -> Parser:
        guarded = _guard(parser)
        guarded.isolated = isolated  # type: ignore[attr-defined]  # read by runs_isolated
        for suffix in suffixes:
            _PARSERS[suffix.lower()] = guarded
        return guarded

    return inner


def parser_for(path: Path) -> Parser | None:
    """The parser for ``path`` by its suffix, or None for an unsupported type."""
    suffix = path.suffix.lower()
    if suffix not in _PARSERS and suffix in _BUILTIN_MODULES:
        importlib.import_module(f"{__name__}.{_BUILTIN_MODULES[suffix]}")
    return _PARSERS.get(suffix)


def runs_isolated(parser: Parser) -> bool:
    """Whether ``parser`` was registered to run in the isolated worker process."""
    return bool(getattr(parser, "isolated", False))


def load_builtin_formats() -> None:
    """Import every built-in format module (and the libraries its parser uses)."""
    for module in sorted(set(_BUILTIN_MODULES.values())):
        importlib.import_module(f"{__name__}.{module}")


def isolated_suffixes() -> frozenset[str]:
    """The suffixes whose parsers run in the isolated worker (loads every built-in format)."""
    load_builtin_formats()
    return frozenset(suffix for suffix, parser in _PARSERS.items() if runs_isolated(parser))


def supported_suffixes() -> list[str]:
    """Every suffix a parser is registered for (built-in ones without loading their modules)."""
    return sorted(_PARSERS.keys() | _BUILTIN_MODULES.keys())


def unsupported_reason(path: Path) -> str:
    """The import report's reason for a file no parser reads; for a link that leads nowhere (a
    link to a folder is often named without a suffix), why it cannot be followed."""
    if os.path.islink(path):
        try:
            os.stat(path)
        except OSError as err:
            return unreadable_reason(path, err)
    return f"unsupported type {path.suffix or '(no extension)'}"


DEFAULT_LIMIT_MB = 100  # for a parser that names no limit of its own


def contained(
    *, accepts: frozenset[FileKind], expected: str, limit_mb: float, stray_nuls: bool = False
) -> Callable[[Parser], Parser]:
    """Decorator for a parser: refuse empty, oversized and misnamed files before parsing.

    ``accepts`` are the kinds of file the parser reads, ``expected`` names its
    format in messages ("a PDF"), ``limit_mb`` is the largest file it takes.
    With ``stray_nuls`` (a format that is text: markup, exports) a few stray NUL
    bytes are removed first, as from a text file, and noted in ``ParsedFile.notes``
    (``encoding.without_stray_nuls``); bytes with other NULs are still refused as binary.
    ``register`` turns any other exception into ``ImportFailed`` naming ``expected``.
    """

    def wrap(parser: Parser) -> Parser:
        @functools.wraps(parser)
        def checked(data: bytes, path: Path) -> ParsedFile:
            data, notes = checked_bytes(data, accepts=accepts, expected=expected, limit_mb=limit_mb,
                                        stray_nuls=stray_nuls)
            parsed = parser(data, path)
            parsed.notes.extend(notes)
            return parsed

        return _limits(checked, expected=expected, limit_mb=limit_mb)

    return wrap


def checked_bytes(data: bytes, *, accepts: frozenset[FileKind], expected: str, limit_mb: float,
                  stray_nuls: bool = False) -> tuple[bytes, tuple[str, ...]]:
    """``data`` as a parser made by ``contained`` reads it (stray NULs removed with ``stray_nuls``)
    and the notes on what was removed; ``ImportFailed`` for bytes it refuses."""
    notes: tuple[str, ...] = ()
    if stray_nuls:
        data, notes = without_stray_nuls(data)
    check_bytes(data, accepts=accepts, expected=expected, limit_mb=limit_mb)
    return data, notes


def limited(*, expected: str, limit_mb: float) -> Callable[[Parser], Parser]:
    """Decorator for a parser that judges a file's bytes itself: refuse only files over ``limit_mb``."""

    def wrap(parser: Parser) -> Parser:
        @functools.wraps(parser)
        def checked(data: bytes, path: Path) -> ParsedFile:
            check_size(len(data), expected=expected, limit_mb=limit_mb)
            return parser(data, path)

        return _limits(checked, expected=expected, limit_mb=limit_mb)

    return wrap


def _limits(parser: Parser, *, expected: str, limit_mb: float) -> Parser:
    """Give ``parser`` its format's name (read by ``_guard``) and size limit (read by ``read_for``)."""
    parser.format_name = expected  # type: ignore[attr-defined]
    parser.limit_mb = limit_mb  # type: ignore[attr-defined]
    return parser


def _limit_of(parser: Parser) -> dict[str, Any]:
    """The size limit of ``parser`` and its format's name, as ``check_size`` takes them."""
    return {"limit_mb": getattr(parser, "limit_mb", DEFAULT_LIMIT_MB),
            "expected": getattr(parser, "format_name", "this type of file")}


def read_for(parser: Parser, path: Path) -> bytes:
    """The bytes of ``path`` for ``parser``: a regular file, read no further than the parser's size limit."""
    return read_bounded(path, **_limit_of(parser))


def size_problem(parser: Parser, size: int) -> str | None:
    """Why the import refuses a file of ``size`` bytes for ``parser`` before reading it (over the
    format's size limit), in the import's words; None when it is within the limit."""
    try:
        check_size(size, **_limit_of(parser))
    except ImportFailed as err:
        return str(err)
    return None


def describe_exception(exc: BaseException) -> str:
    """One plain line for an exception a parser library raised."""
    if isinstance(exc, RecursionError):
        return "the file is nested too deeply"
    if isinstance(exc, MemoryError):
        return "the file needs more memory than is available"
    lines = str(exc).strip().splitlines()
    name = type(exc).__name__
    return f"{lines[0][:200]} ({name})" if lines else name


def _guard(parser: Parser) -> Parser:
    """The one place where a parser's unexpected exception becomes ``ImportFailed``.

    A parser may name its format in ``format_name`` ("a PDF") for the message.
    """
    what = getattr(parser, "format_name", "the file")

    @functools.wraps(parser)
    def guarded(data: bytes, path: Path) -> ParsedFile:
        with reading(what):
            return parser(data, path)

    return guarded


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Turn an unexpected exception while reading ``what`` ("a PDF") into ``ImportFailed``."""
    try:
        yield
    except ImportFailed:
        raise
    except Exception as exc:
        raise ImportFailed(f"could not read {what}: {describe_exception(exc)}") from exc
