"""PDF files: the text layer of every page, and the title, author and date.

pypdf reads the text of each page in content order (its layout mode found no
more words on article pages and pads every line with spaces, so plain mode is
used). Headline, dateline and byline are read from the text as for a plain-text article
(``desktop.core.newsmeta``); the file's metadata (title, author, creation
date) fills what the text does not give, except a title that is only a file
name. Scanned pages without a text layer, encrypted and truncated files are
refused with the reason.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PdfReadError

from ..errors import ImportFailed
from ..newsmeta import extract_news
from ..sniff import FileKind
from . import ParsedFile, contained, register

PDF_LIMIT_MB = 200

_JUNK_TITLE = re.compile(
    r"^(untitled.*|microsoft word - .*|.*\.(docx?|pdf|rtf|odt|tex|indd|qxd))$", re.IGNORECASE
)
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")
_BLANK_RUNS = re.compile(r"\n{3,}")


@register(".pdf", isolated=True)
@contained(accepts=frozenset({FileKind.PDF}), expected="a PDF", limit_mb=PDF_LIMIT_MB)
def parse_pdf(data: bytes, path: Path) -> ParsedFile:
    """The text of a PDF with a text layer, with title, author and date."""
    if b"%%EOF" not in data[-4096:].rstrip()[-1024:]:
        raise ImportFailed("truncated PDF — the file ends before its end marker")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _unlock(reader)
        text = "\n\n".join(filter(None, (_page_text(page) for page in reader.pages))).strip()
    except PdfReadError as exc:
        raise ImportFailed(f"damaged PDF ({exc})") from exc
    if not text:
        raise ImportFailed("PDF has no text layer — scanned pages need OCR")
    info = _metadata(reader)
    article = extract_news(text)
    article.text = article.text or text
    article.title = article.title or _meaningful_title(info.get("/Title")) or path.stem
    article.published = article.published or _pdf_date(info.get("/CreationDate"))
    article.author = article.author or _plain(info.get("/Author"))
    return ParsedFile([article])


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


def _page_text(page: PageObject) -> str:
    lines = "\n".join(line.rstrip() for line in (page.extract_text() or "").splitlines())
    return _BLANK_RUNS.sub("\n\n", lines).strip()


def _metadata(reader: PdfReader) -> dict[str, object]:
    """The document information dictionary, or nothing when it is unreadable."""
    try:
        return dict(reader.metadata or {})
    except (PdfReadError, ValueError, TypeError):
        return {}


def _plain(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


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
