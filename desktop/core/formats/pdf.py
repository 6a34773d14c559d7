"""PDF files: the text layer of every page, and the title, author and date.

pypdf reads the text of each page in content order (its layout mode found no
more words on article pages and pads every line with spaces, so plain mode is
used); ``pdf_text`` takes the running heads, feet and page numbers off and joins
the lines of each paragraph. Headline, dateline and byline are read from the text as for
a plain-text article (``desktop.core.newsmeta``); when the file's title is a line near the
top of the text, that line is the headline and what stands above it (a letterhead) is read
only for a date, outlet or byline. The file's metadata (title, author, creation
date) fills what the text does not give, except a title that is only a file
name or an author that is a program's placeholder. Scanned pages without a text layer,
encrypted and truncated files are refused with the reason.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections import Counter
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PdfReadError

from ..errors import ImportFailed
from ..newsmeta import extract_news, extract_page
from ..sniff import FileKind
from . import Article, ParsedFile, contained, register
from .pdf_text import PdfText, article_text

PDF_LIMIT_MB = 200

_JUNK_TITLE = re.compile(
    r"^(untitled.*|microsoft word - .*|.*\.(docx?|pdf|rtf|odt|tex|indd|qxd))$", re.IGNORECASE
)
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")
# what PDF makers write when nobody set an author (reportlab: "anonymous")
_PLACEHOLDER_AUTHORS = frozenset({"anonymous", "unknown", "user", "admin", "administrator", "author"})
HEADLINE_PRINT = 1.25  # a headline's print is this much larger than most of the page's text, or more
TITLE_MAX_CHARS = 200
HEADLINE_WITHIN_CHARS = 600  # the file's title is the headline when the text opens with it this near


@register(".pdf", isolated=True)
@contained(accepts=frozenset({FileKind.PDF}), expected="a PDF", limit_mb=PDF_LIMIT_MB)
def parse_pdf(data: bytes, path: Path) -> ParsedFile:
    """The text of a PDF with a text layer, with title, author and date."""
    if b"%%EOF" not in data[-4096:].rstrip()[-1024:]:
        raise ImportFailed("truncated PDF — the file ends before its end marker")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _unlock(reader)
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise ImportFailed(f"damaged PDF ({exc})") from exc
    info = _metadata(reader)
    title = _meaningful_title(info.get("/Title"))
    found = article_text(pages, title=title)
    if not found.text:
        raise ImportFailed("PDF has no text layer — scanned pages need OCR")
    article = _article(found, titles=(title, _largest_print(reader.pages[0])))
    article.text = article.text or found.text
    article.title = article.title or title or path.stem
    article.published = article.published or _pdf_date(info.get("/CreationDate"))
    article.author = article.author or _meaningful_author(info.get("/Author"))
    return ParsedFile([article])


def _article(found: PdfText, *, titles: tuple[str | None, ...]) -> Article:
    """The article under the first of ``titles`` (the file's title, the largest print on the first
    page) that the text opens with (a letterhead may stand above it, on its line too), else under
    the headline found in the text; what stands above the headline is read for a date, outlet
    and byline only."""
    head = found.text[:HEADLINE_WITHIN_CHARS]
    for title in filter(None, titles):
        title = " ".join(title.split())
        at = head.casefold().find(title.casefold())
        if at >= 0 and (at == 0 or head[at - 1].isspace()):
            above = "\n".join([*found.letterhead, head[:at].strip()])
            return extract_page(found.text[at + len(title) :].strip(), head[at : at + len(title)], above=above)
    article = extract_news(found.text)
    if found.letterhead:
        letterhead = extract_page("", "", above="\n".join(found.letterhead))
        article.published = article.published or letterhead.published
        article.source = article.source or letterhead.source
        article.author = article.author or letterhead.author
    return article


def _largest_print(page: PageObject) -> str | None:
    """The first run of text in the page's largest print when that is clearly larger than most
    of its text (a headline), or None."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((round(size * abs(tm[3]) * abs(cm[3]), 1), text))

    try:
        page.extract_text(visitor_text=visit)
    except (PdfReadError, ValueError, TypeError, KeyError):
        return None
    chars: Counter[float] = Counter()
    for size, text in runs:
        chars[size] += len(text)
    if not chars:
        return None
    body, largest = chars.most_common(1)[0][0], max(chars)
    if largest < HEADLINE_PRINT * body:
        return None
    first = next(index for index, (size, _) in enumerate(runs) if size == largest)
    run = itertools.takewhile(lambda item: item[0] == largest, runs[first:])
    headline = " ".join(" ".join(text for _, text in run).split())
    return headline if 0 < len(headline) <= TITLE_MAX_CHARS else None


def _unlock(reader: PdfReader) -> None:
    """Open an encrypted PDF that has no user password (any viewer would); refuse the others."""
    if not reader.is_encrypted:
        return
    try:
        unlocked = reader.decrypt("")
    except (DependencyError, NotImplementedError, PdfReadError):
        unlocked = 0
    if not unlocked:
        raise ImportFailed("encrypted PDF — it cannot be read without its password")


def _metadata(reader: PdfReader) -> dict[str, object]:
    """The document information dictionary, or nothing when it is unreadable."""
    try:
        return dict(reader.metadata or {})
    except (PdfReadError, ValueError, TypeError):
        return {}


def _plain(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _meaningful_author(value: object) -> str | None:
    author = _plain(value)
    return author if author and author.casefold() not in _PLACEHOLDER_AUTHORS else None


def _meaningful_title(value: object) -> str | None:
    title = _plain(value)
    return title if title and not _JUNK_TITLE.match(title) else None


def _pdf_date(value: object) -> str | None:
    """The day of a PDF date string ("D:20210614093000+03'00'") as YYYY-MM-DD."""
    match = _PDF_DATE.match(str(value or "").strip())
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None
