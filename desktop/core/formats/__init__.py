"""The contract between file-format parsers and the import pipeline, and the registry of parsers.

A parser turns the bytes of one file into ``Article`` records (one for a text,
html, pdf or docx file; many for jsonl/json/csv exports). It raises
``ImportFailed`` with a plain-words reason when the whole file is unusable, and
lists per-record problems (a broken JSON line, a CSV row without text) in
``ParsedFile.problems`` while the good records still import. Parsers never
touch the library; ``desktop.core.ingest`` stores what they return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


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
    """What a parser made of one file: its articles and the problems with single records."""

    articles: list[Article]
    problems: list[str] = field(default_factory=list)


Parser = Callable[[bytes, Path], ParsedFile]

_PARSERS: dict[str, Parser] = {}


def register(*suffixes: str) -> Callable[[Parser], Parser]:
    """Decorator: make ``parser`` the one used for files ending in any of ``suffixes``."""

    def inner(parser: Parser) -> Parser:
        for suffix in suffixes:
            _PARSERS[suffix.lower()] = parser
        return parser

    return inner


def parser_for(path: Path) -> Parser | None:
    """The parser for ``path`` by its suffix, or None for an unsupported type."""
    _load_builtin_parsers()
    return _PARSERS.get(path.suffix.lower())


def supported_suffixes() -> list[str]:
    _load_builtin_parsers()
    return sorted(_PARSERS)


def _load_builtin_parsers() -> None:
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
