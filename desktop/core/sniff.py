"""What a file really is, judged from its bytes.

Researchers' folders hold misnamed files: an HTML page saved as ``.pdf``, an old
``.doc`` renamed ``.docx``, binary junk under any name. ``sniff`` names what the
bytes are, so a parser can refuse with "not a PDF: the file is HTML" instead of
a library's traceback; ``check_bytes`` is that refusal (empty file, size limit,
wrong kind). Turning bytes into text is ``desktop.core.encoding``'s.
"""

from __future__ import annotations

import re
from enum import Enum

from .encoding import bom_encoding, utf16_without_bom
from .errors import ImportFailed

SAMPLE_BYTES = 64 * 1024
MB = 1024 * 1024


class FileKind(Enum):
    """A kind of file as its bytes show it; ``value`` says it in words for a message."""

    EMPTY = "an empty file"
    PDF = "a PDF"
    HTML = "HTML"
    DOCX = "a Word document (.docx)"
    XLSX = "an Excel workbook (.xlsx)"
    PPTX = "a PowerPoint presentation (.pptx)"
    ODF = "an OpenDocument file"
    ZIP = "a ZIP archive"
    OLE = "an old Microsoft Office file (.doc/.xls)"
    RTF = "an RTF document"
    IMAGE = "an image"
    GZIP = "a compressed archive"
    TEXT = "plain text"
    BINARY = "binary data"


_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", FileKind.OLE),
    (b"{\\rtf", FileKind.RTF),
    (b"\x89PNG", FileKind.IMAGE),
    (b"\xff\xd8\xff", FileKind.IMAGE),
    (b"GIF8", FileKind.IMAGE),
    (b"\x1f\x8b", FileKind.GZIP),
    (b"BZh", FileKind.GZIP),
    (b"\xfd7zXZ", FileKind.GZIP),
    (b"7z\xbc\xaf", FileKind.GZIP),
)
_OOXML_PARTS: tuple[tuple[bytes, FileKind], ...] = (
    (b"word/", FileKind.DOCX),
    (b"xl/", FileKind.XLSX),
    (b"ppt/", FileKind.PPTX),
    (b"mimetypeapplication/vnd.oasis.opendocument", FileKind.ODF),
)
_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))


def sniff(data: bytes) -> FileKind:
    """What ``data`` is, from its leading bytes (and the part names of a ZIP archive)."""
    if not data[:SAMPLE_BYTES].strip() and not data.strip():
        return FileKind.EMPTY
    head = data[:1024]
    if b"%PDF-" in head:
        return FileKind.PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    encoding = bom_encoding(data) or utf16_without_bom(head)
    sample = data[:SAMPLE_BYTES]
    if encoding:
        text = sample.decode(encoding, errors="replace")
    elif _looks_binary(sample):
        return FileKind.BINARY
    else:
        text = sample.decode("latin-1")
    return FileKind.HTML if _HTML_START.match(text[:4096]) else FileKind.TEXT


def check_bytes(data: bytes, *, accepts: frozenset[FileKind], expected: str, limit_mb: int) -> None:
    """Refuse ``data`` with a plain reason unless it is a non-empty ``accepts`` kind within the limit.

    ``expected`` names the format for the message ("a PDF", "an HTML page").
    """
    if len(data) > limit_mb * MB:
        raise ImportFailed(
            f"file is {len(data) / MB:.0f} MB — larger than the {limit_mb} MB limit for {expected}"
        )
    kind = sniff(data)
    if kind is FileKind.EMPTY:
        raise ImportFailed("empty file")
    if kind not in accepts:
        raise ImportFailed(f"not {expected}: the file is {kind.value}")


def _zip_kind(data: bytes) -> FileKind:
    for part, kind in _OOXML_PARTS:
        if part in data[:SAMPLE_BYTES] or part in data[-SAMPLE_BYTES:]:
            return kind
    return FileKind.ZIP


def _looks_binary(sample: bytes) -> bool:
    """True for bytes no text file contains: NULs, or many control characters."""
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.05 * len(sample)
