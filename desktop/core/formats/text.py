"""Plain-text articles: one file, one article, metadata read from the text itself.

HTML character references a scraper or converter left in the text ("Beyonc&#233;", "&lt;BAC&gt;")
are read as the characters they stand for. A text file larger than ``TEXT_LIMIT_MB`` is refused, not split: one article
of that length is a book or a dump of many articles, and reading it would take
most of a laptop's memory (records exports are the way to import many).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..encoding import normalise_text, read_text, without_character_references
from ..newsmeta import extract_news, opening_title
from . import ParsedFile, limited, register

TEXT_LIMIT_MB = 20


@register(".txt", ".text")
@limited(expected="a text file", limit_mb=TEXT_LIMIT_MB)
def parse_text(data: bytes, path: Path) -> ParsedFile:
    """One article from a text file (see ``article_from_text``)."""
    return article_from_text(data, path, plain=without_character_references)


def article_from_text(data: bytes, path: Path, *, plain: Callable[[str], str]) -> ParsedFile:
    """One article from the text ``plain`` makes of the decoded file. A text without a headline
    is titled by the file's name when a person or a page's address wrote it (words apart by
    spaces or hyphens: "harbin-expo-2017"), else by its opening sentence: a name joined by
    underscores or without a letter is a data set's or a scraper's ("devset_factru_503", "12345").

    Raises ``ImportFailed`` for an empty or binary file; stray NUL bytes removed are noted.
    """
    read = read_text(data)
    article = extract_news(normalise_text(plain(read.text)))
    if not article.title:
        article.title = opening_title(article.text) if article.text and _machine_named(path) else path.stem
    return ParsedFile([article], notes=list(read.notes))


def _machine_named(path: Path) -> bool:
    return "_" in path.stem or not any(ch.isalpha() for ch in path.stem)
