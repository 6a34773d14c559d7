"""Word documents (.docx): paragraphs, headings and tables in order, and the core properties.

python-docx reads the body; paragraphs are separated by a blank line and a
table row becomes one line of tab-separated cells. Title, author and date
come from the document's core properties; without a title, the first
paragraph styled Title or Heading 1 (else a short first paragraph) is used.
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
from ..sniff import MB, FileKind
from . import Article, ParsedFile, contained, register

DOCX_LIMIT_MB = 100
DOCX_UNPACKED_LIMIT_MB = 1000
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
    article = Article(
        text="\n\n".join(blocks),
        title=(properties.title or "").strip() or _title_from_body(heading, blocks=blocks, path=path),
        published=created.date().isoformat() if created else None,
        author=None if author in ("", TEMPLATE_AUTHOR) else author,
        language=(properties.language or "").strip() or None,
    )
    return ParsedFile([article])


def _refuse_zip_bomb(data: bytes) -> None:
    """Refuse a document whose parts would unpack to more than the limit (a decompression bomb)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > DOCX_UNPACKED_LIMIT_MB * MB:
        raise ImportFailed(f"Word document unpacks to more than {DOCX_UNPACKED_LIMIT_MB} MB — refused")


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


def _title_from_body(heading: str, *, blocks: list[str], path: Path) -> str:
    first = heading or blocks[0]
    return first if len(first) <= TITLE_MAX_CHARS else path.stem
