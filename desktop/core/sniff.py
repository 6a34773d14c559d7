"""What a file really is, judged from its bytes, and how its text is decoded.

Researchers' folders hold misnamed files: an HTML page saved as ``.pdf``, an old
``.doc`` renamed ``.docx``, binary junk under any name. ``sniff`` names what the
bytes are, so a parser can refuse with "not a PDF: the file is HTML" instead of
a library's traceback; ``check_bytes`` is that refusal (empty file, size limit,
wrong kind). ``decode_bytes`` turns the bytes of markup and exports into text
using a byte-order mark, a declared charset, or detection among the corpus
encodings of ``desktop.core.encoding``, line by line when a file mixes them.
"""

from __future__ import annotations

import codecs
import re
from enum import Enum

from .encoding import LEGACY_ENCODINGS
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
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))
# What browsers actually mean by these labels (the WHATWG encoding standard).
_ENCODING_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859_1": "cp1252",
    "latin_1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
}


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
    encoding = bom_encoding(data) or _utf16_without_bom(head)
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


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if there is one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """``data`` as text: by its byte-order mark, else as UTF-8, else ``declared`` if it fits, else detected.

    Valid UTF-8 wins over a declared legacy charset: pages re-saved as UTF-8
    often keep their old declaration, and legacy text is almost never valid
    UTF-8. A file that is mostly UTF-8 with some lines in a legacy encoding (a
    Latin-1 pound sign in a UTF-8 file) is decoded line by line, so neither
    part is mangled.
    """
    encoding = bom_encoding(data) or _utf16_without_bom(data[:1024])
    if encoding:
        return data.decode(encoding, errors="replace")
    for candidate in ("utf-8", normalise_encoding(declared) if declared else None):
        text = _decode_strict(data, candidate) if candidate else None
        if text is not None:
            return text
    legacy = _detect_legacy(data)
    return "".join(_decode_line(line, legacy) for line in data.splitlines(keepends=True))


def normalise_encoding(label: str) -> str:
    """The Python codec for a charset label as browsers read it (Latin-1 means Windows-1252)."""
    label = label.strip().lower()
    return _ENCODING_ALIASES.get(label, label)


def _zip_kind(data: bytes) -> FileKind:
    for part, kind in _OOXML_PARTS:
        if part in data[:SAMPLE_BYTES] or part in data[-SAMPLE_BYTES:]:
            return kind
    return FileKind.ZIP


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of a text is NUL, as in UTF-16 without a BOM."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(sample: bytes) -> bool:
    """True for bytes no text file contains: NULs, or many control characters."""
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.05 * len(sample)


def _decode_strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect_legacy(data: bytes) -> str:
    """The most likely legacy encoding of the lines that are not UTF-8, among those news corpora use."""
    from charset_normalizer import from_bytes

    bad_lines = bytearray()
    for line in data.splitlines(keepends=True):
        if _decode_strict(line, "utf-8") is None:
            bad_lines += line
            if len(bad_lines) > SAMPLE_BYTES:
                break
    best = from_bytes(bytes(bad_lines), cp_isolation=list(LEGACY_ENCODINGS)).best()
    return normalise_encoding(best.encoding) if best else "cp1252"


def _decode_line(line: bytes, legacy: str) -> str:
    text = _decode_strict(line, "utf-8")
    return text if text is not None else line.decode(legacy, errors="replace")
