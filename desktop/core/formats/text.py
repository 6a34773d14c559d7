"""Plain-text and Markdown articles: one file, one article, metadata read from the text itself."""

from __future__ import annotations

from pathlib import Path

from ..encoding import decode_text
from ..newsmeta import extract_news
from . import ParsedFile, register


@register(".txt", ".md", ".text", ".markdown")
def parse_text(data: bytes, path: Path) -> ParsedFile:
    """One article from a text file; the file name's stem is the title only when the text has none.

    Raises ``ImportFailed`` for an empty or binary file.
    """
    article = extract_news(decode_text(data))
    if not article.title:
        article.title = path.stem
    return ParsedFile([article])
