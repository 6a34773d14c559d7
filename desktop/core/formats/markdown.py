"""Markdown articles: the text a reader of the rendered file sees, read by markdown-it-py.

Headings, emphasis, links, images and code lose their markup ("# Lab *opens*" reads "Lab
opens", a link reads as its words, an image as its description); each paragraph, heading and
code block is a paragraph of the article, and so is each item of a list (behind "•" or its
number) and each row of a table (its cells between " | "). The headline, date and outlet
are then found in that text as in a text file (``formats.text``).
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import ParsedFile, limited, register
from .text import TEXT_LIMIT_MB, article_from_text

_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_WORDS = frozenset({"text", "code_inline", "image"})
_BREAKS = frozenset({"softbreak", "hardbreak"})


@register(".md", ".markdown")
@limited(expected="a text file", limit_mb=TEXT_LIMIT_MB)
def parse_markdown(data: bytes, path: Path) -> ParsedFile:
    """One article from a Markdown file, its markup taken away (see the module docstring)."""
    return article_from_text(data, path, plain=markdown_text)


def markdown_text(source: str) -> str:
    """``source`` as the plain text its rendering shows, paragraphs apart by a blank line (the
    reader joins the lines of a paragraph, so each list item and table row is one of its own)."""
    blocks: list[str] = []
    depth = 0  # of lists inside lists
    mark: str | None = None  # "• " or "3. " before the next paragraph of a list item
    cells: list[str] | None = None  # of the table row being read
    for token in _MARKDOWN.parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "list_item_open":
            mark = "• " if token.markup in "-*+" else f"{token.info}{token.markup} "
        elif kind == "tr_open":
            cells = []
        elif kind == "tr_close" and cells is not None:
            blocks.append(" | ".join(cells))
            cells = None
        elif kind in ("inline", "fence", "code_block", "html_block"):
            text = _inline(token.children or []) if kind == "inline" else token.content.rstrip()
            if cells is not None:
                cells.append(text)
            else:
                blocks.append("  " * max(depth - 1, 0) + (mark or "") + text)
                mark = None
    return "\n\n".join(block for block in blocks if block.strip())


def _inline(children: list[Token]) -> str:
    """The words of an inline run: markup dropped, line breaks kept, an image as its description."""
    return "".join("\n" if token.type in _BREAKS else token.content
                   for token in children if token.type in _WORDS or token.type in _BREAKS)
