"""An article's text from the lines of its PDF pages: page furniture gone, paragraphs rejoined.

A PDF holds lines as they were laid out, not paragraphs. ``article_text`` turns the
text pypdf reads from each page into what the article says:

- running heads and feet go: a line among the first or last lines of a page that
  recurs on other pages (figures aside: "Page 2 of 5", "MINISTRY … | 14.02.2005"),
  and a page number alone at a page's edge ("3", "- 3 -", "Page 3 of 5", "Стр. 3",
  "第 3 页"); the letterhead above the first page's text is kept apart (``letterhead``);
- runs of spaces (justified text) become one space;
- the lines of a paragraph are joined, across page breaks too: a line ends its
  paragraph when it is clearly shorter than a full line and closes a sentence (or, at
  the head of the text, is followed by a capital), or is much shorter (a headline, a date line, a byline, a
  heading); a word hyphenated at a
  line break is joined ("regu-" "lators"), keeping the hyphen of a compound the text
  writes with one elsewhere ("high-speed") or before a capital ("Franco-German");
  Chinese and Japanese lines are joined without a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

EDGE_LINES = 3  # a running head or foot is among a page's first or last three lines
SHORT_LINE = 0.85  # a sentence closing a line shorter than this share of a full line ends its paragraph
HEADING_LINE = 0.5  # a line shorter than this share of a full line ends its paragraph whatever it closes
HEAD_PARAGRAPHS = 3  # where a headline, a date line and a byline stand
FULL_LINE_RANK = 0.8  # a full line is as wide as the line at this rank of all widths

_SPACE_RUNS = re.compile(r"[ \t\xa0\u2000-\u200a\u3000]+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]"
    r"|(?:page|p\.|pg\.?|стр\.?|страница|с\.)?\s*\d{1,4}(?:\s*(?:of|/|из)\s*\d{1,4})?"
    r"|第\s*\d{1,4}\s*[页頁](?:\s*[，,/]?\s*共\s*\d{1,4}\s*[页頁])?"
    r"|\d{1,4}\s*/\s*\d{1,4})$",
    re.IGNORECASE,
)
_FIGURES = re.compile(r"\d+")
_SENTENCE_END = tuple(".!?…:;。！？；：")
_CLOSING = "\"'”’»)]）」』】"
_LINE_HYPHENS = ("-", "\u00ad", "\u2010")
_WORD_BEFORE = re.compile(r"(\w+)$")
_WORD_AFTER = re.compile(r"^(\w+)")
_UNSPACED_DASH = re.compile(r"\S[—–]$")
_WORDS = re.compile(r"\w+(?:-\w+)*")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})


@dataclass
class PdfText:
    """The article's text (paragraphs separated by a blank line) and the first page's letterhead lines."""

    text: str
    letterhead: list[str]


def article_text(pages: list[str], *, title: str | None = None) -> PdfText:
    """The article in the text of its ``pages`` (as pypdf reads them, one string per page).

    ``title``, the document's own title, is never taken for a running head.
    """
    lines = [_page_lines(page) for page in pages]
    running = _running_lines(lines, keep=_key(title) if title else None)
    letterhead: list[str] = []
    kept: list[str | None] = []
    for number, page in enumerate(lines):
        furniture = _furniture(page, running)
        if number == 0:
            first = next((index for index, line in enumerate(page) if line and index not in furniture), len(page))
            letterhead = [line for index, line in enumerate(page[:first]) if line and index in furniture]
        kept.extend(line for index, line in enumerate(page) if index not in furniture)
        kept.append(None)  # a page break: the paragraph runs on unless its last line ends it
    return PdfText(text=_paragraphs(kept), letterhead=letterhead)


def _page_lines(page: str) -> list[str]:
    return [_SPACE_RUNS.sub(" ", line).strip().translate(_LIGATURES) for line in page.splitlines()]


def _key(line: str) -> str:
    """A line as it recurs on every page: its figures (page numbers, dates) and case set aside."""
    return _FIGURES.sub("#", " ".join(line.split())).casefold()


def _running_lines(pages: list[list[str]], *, keep: str | None) -> set[str]:
    """The keys of lines at the edges of more than one page, on at least half of the pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        text = [line for line in page if line]
        counts.update({_key(line) for line in text[:EDGE_LINES] + text[-EDGE_LINES:]})
    least = max(2, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= least and key != keep}


def _furniture(page: list[str], running: set[str]) -> set[int]:
    """The indexes of a page's running heads and feet and page numbers, among its first and last
    lines (in whichever order the page's content put them)."""
    written = [index for index, line in enumerate(page) if line]
    edges = written[:EDGE_LINES] + written[-EDGE_LINES:]
    return {index for index in edges if _key(page[index]) in running or _PAGE_NUMBER.match(page[index])}


def _paragraphs(lines: list[str | None]) -> str:
    """Join the lines of each paragraph: an empty line closes one, and so does a line that
    ``_ends_paragraph``; a page break (None) does not."""
    text = [line for line in lines if line]
    full = _full_width(text)
    words = _words_of(text)
    paragraphs: list[str] = []
    current = ""
    head = True
    for index, line in enumerate(lines):
        if line is None:
            continue
        head = head and len(paragraphs) < HEAD_PARAGRAPHS
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        current = _joined(current, line, words) if current else line
        following = next((other for other in lines[index + 1 :] if other is not None), "")
        if _ends_paragraph(line, following if head else "", full=full):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ends_paragraph(line: str, following: str, *, full: float) -> bool:
    """Whether ``line`` is the last of its paragraph: much shorter than a full line, or short
    and closing a sentence, or short and ``following`` opens with a capital (in the head of the
    text: a headline above its byline; further on a narrow justified line can be short)."""
    if _hyphenated(line):
        return False
    width = _width(line)
    if width < HEADING_LINE * full:
        return True
    if width >= SHORT_LINE * full:
        return False
    if line.rstrip(_CLOSING).endswith(_SENTENCE_END):
        return True
    return not line.endswith(",") and following[:1].isupper()


def _hyphenated(line: str) -> bool:
    """Whether ``line`` ends in a hyphen after a letter: a word broken at the line's end."""
    return line.endswith(_LINE_HYPHENS) and line[-2:-1].isalnum()


def _joined(paragraph: str, line: str, words: set[str]) -> str:
    """``paragraph`` continued by its next ``line``."""
    if _hyphenated(paragraph):
        if paragraph.endswith("\u00ad"):
            return paragraph[:-1] + line  # a soft hyphen is only shown where a line breaks
        before, after = _WORD_BEFORE.search(paragraph[:-1]), _WORD_AFTER.match(line)
        if before and after and line[0].islower() and not paragraph[-2].isdigit():
            compound = f"{before.group(1)}-{after.group(1)}".casefold()
            whole = f"{before.group(1)}{after.group(1)}".casefold()
            if compound in words and whole not in words:
                return paragraph[:-1] + "-" + line
            return paragraph[:-1] + line
        return paragraph + line
    if _is_wide(paragraph[-1]) or _is_wide(line[0]) or _UNSPACED_DASH.search(paragraph):
        return paragraph + line
    return f"{paragraph} {line}"


def _words_of(lines: list[str]) -> set[str]:
    """Every word and hyphenated compound written within a line, folded, to judge line-end hyphens."""
    return {
        word.casefold()
        for line in lines
        for word in _WORDS.findall(line[:-1] if _hyphenated(line) else line)
    }


def _full_width(lines: list[str]) -> float:
    """The width of a full line of the text (most lines are full lines)."""
    widths = sorted(_width(line) for line in lines if line)
    return float(widths[round(FULL_LINE_RANK * (len(widths) - 1))]) if widths else 0.0


def _width(line: str) -> int:
    """A line's width in narrow characters: Chinese and Japanese characters count twice."""
    return len(line) + sum(1 for char in line if _is_wide(char))


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")
