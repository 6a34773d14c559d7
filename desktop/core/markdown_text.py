"""Plain text written into Markdown so that it renders as it was typed.

Notes, headlines, outlets, tags and quoted passages are plain text, but in a
Markdown file ``*`` and ``_`` start emphasis, ``#`` a heading, ``>`` a quote, ``|``
a table cell, ``<`` HTML, ``-`` or ``1.`` a list and a single line break joins two
lines. ``inline`` escapes a line with backslashes (CommonMark escapes any ASCII
punctuation); ``paragraphs`` turns text of several lines into Markdown lines that
keep its line breaks (hard breaks) and its blank lines (paragraph breaks).
"""

from __future__ import annotations

import re

# A backslash escapes; an underscore inside a word (file_name) and an ampersand that is not an
# entity reference (&amp;) mean nothing in Markdown, so they stay as they are.
_INLINE = re.compile(r"[\\`*\[\]<>|~#]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")


def inline(text: str) -> str:
    """One line of plain text as Markdown showing exactly that text (leading blanks dropped,
    as Markdown drops them; runs of blanks inside are kept)."""
    escaped = _INLINE.sub(lambda m: "\\" + m[0], text.strip())
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def paragraphs(text: str) -> list[str]:
    """Plain text as Markdown lines: each line escaped, lines of a paragraph joined by hard
    breaks, a blank line between paragraphs; [] for text with nothing to show."""
    lines: list[str] = []
    for line in (inline(raw) for raw in text.splitlines()):
        if not line:
            if lines and lines[-1]:
                lines.append("")
            continue
        if lines and lines[-1]:
            lines[-1] += "\\"
        lines.append(line)
    if lines and not lines[-1]:
        lines.pop()
    return lines
