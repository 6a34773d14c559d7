"""Word documents (.docx): paragraphs, headings and tables in order, and the core properties.

python-docx reads the body; paragraphs are separated by a blank line and a
table row becomes one line of tab-separated cells. The title comes from the document's core
properties, else the first paragraph styled Title or Heading 1, and the body is read as a
news page is (``newsmeta.extract_page``); without either, as a text file is
(``newsmeta.extract_news``, which finds the headline among the first lines; else a short
first paragraph is the title). Either way the headline is not repeated in the body, a date
line and a byline under it are metadata, a wire's lead names the outlet; the date and author
of the core properties (when the file was made, and by whom) count only when the text gives
none.

python-docx holds every part of the archive in memory, so a document is
refused before it is opened when its parts would unpack to more than
``DOCX_UNPACKED_LIMIT_MB`` (the sizes the archive declares bound what Python's
zipfile will inflate) or, past ``DOCX_RATIO_FROM_MB``, when it unpacks to more
than ``DOCX_RATIO_LIMIT`` times its size on disk: the mark of a decompression bomb.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table

from ..errors import ImportFailed
from ..newsmeta import extract_news, extract_page
from ..sniff import MB, FileKind
from . import Article, ParsedFile, contained, register

DOCX_LIMIT_MB = 100
DOCX_UNPACKED_LIMIT_MB = 250
DOCX_RATIO_LIMIT = 100
DOCX_RATIO_FROM_MB = 10
TITLE_MAX_CHARS = 200
TITLE_STYLE_IDS = ("Title", "Heading1")
# Files written by python-docx without setting properties carry its template's
# author and creation time; they say nothing about the article.
TEMPLATE_AUTHOR = "python-docx"
TEMPLATE_CREATED = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.timezone.utc)


@register(".docx", isolated=True)
@contained(accepts=frozenset({FileKind.DOCX}), expected="a Word document (.docx)", limit_mb=DOCX_LIMIT_MB)
def parse_docx(data: bytes, path: Path) -> ParsedFile:
    """The text of a Word document with its title, author and date."""
    try:
        _refuse_zip_bomb(data)
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFailed(
            "damaged Word document — the file is truncated or its ZIP container is broken"
        ) from exc
    blocks, heading = _read_body(document)
    if not blocks:
        raise ImportFailed("the Word document has no text")
    properties = document.core_properties
    created = None if properties.created == TEMPLATE_CREATED else properties.created
    author = (properties.author or "").strip()
    text = "\n\n".join(blocks)
    title = (properties.title or "").strip() or heading
    # without a heading or a title property, the headline is found among the first lines as in
    # a text file; either way it is not repeated in the body
    page = extract_page(text, title) if title else extract_news(text)
    title = title or page.title or _title_from_body(blocks=blocks, path=path)
    article = Article(
        text=page.text or text,
        title=title,
        published=page.published or (created.date().isoformat() if created else None),
        source=page.source,
        author=page.author or (None if author in ("", TEMPLATE_AUTHOR) else author),
        language=(properties.language or "").strip() or None,
    )
    return ParsedFile([article])


def _refuse_zip_bomb(data: bytes) -> None:
    """Refuse a document whose parts would unpack to more than the limits (a decompression bomb)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > DOCX_UNPACKED_LIMIT_MB * MB:
        raise ImportFailed(f"Word document unpacks to more than {DOCX_UNPACKED_LIMIT_MB} MB — refused")
    if unpacked > DOCX_RATIO_FROM_MB * MB and unpacked > DOCX_RATIO_LIMIT * len(data):
        raise ImportFailed(
            f"Word document unpacks to {unpacked / len(data):.0f} times its size — "
            f"more than the {DOCX_RATIO_LIMIT}:1 limit for a compressed document; refused"
        )


def _read_body(document: Document) -> tuple[list[str], str]:
    """The non-empty paragraphs and table rows of the body in reading order, and the first heading."""
    blocks: list[str] = []
    heading = ""
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(row for row in _table_rows(item) if row)
            continue
        text = item.text.strip()
        if text:
            blocks.append(text)
            if not heading and item._p.style in TITLE_STYLE_IDS:
                heading = text
    return blocks, heading


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text.strip())
        rows.append("\t".join(cells).strip())
    return rows


def _title_from_body(*, blocks: list[str], path: Path) -> str:
    return blocks[0] if len(blocks[0]) <= TITLE_MAX_CHARS else path.stem
