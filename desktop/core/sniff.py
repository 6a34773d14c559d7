"""What a file really is, judged from its bytes.

Researchers' folders hold misnamed files: an HTML page saved as ``.pdf``, an old
``.doc`` renamed ``.docx``, binary junk under any name. ``sniff`` names what the
bytes are, so a parser can refuse with "not a PDF: the file is HTML" instead of
a library's traceback; ``check_bytes`` is that refusal (empty file, size limit,
wrong kind). Turning bytes into text is ``desktop.core.encoding``'s.

``read_bounded`` is the one way an import reads a file: only a regular file is
opened (a named pipe would wait for ever and a device such as ``/dev/zero``
never ends), a file over its type's size limit is refused before it is read,
and no more than the limit is ever read from a file that grows meanwhile.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from .encoding import bom_encoding, utf16_without_bom
from .errors import ImportFailed, describe_os_error

SAMPLE_BYTES = 64 * 1024
MB = 1024 * 1024
READ_ATTEMPTS = 3  # reads of a file that changes while it is read, before it is reported as changing


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


def check_bytes(data: bytes, *, accepts: frozenset[FileKind], expected: str, limit_mb: float) -> None:
    """Refuse ``data`` with a plain reason unless it is a non-empty ``accepts`` kind within the limit.

    ``expected`` names the format for the message ("a PDF", "an HTML page").
    """
    check_size(len(data), expected=expected, limit_mb=limit_mb)
    kind = sniff(data)
    if kind is FileKind.EMPTY:
        raise ImportFailed("empty file")
    if kind not in accepts:
        raise ImportFailed(f"not {expected}: the file is {kind.value}")


def check_size(size: int, *, expected: str, limit_mb: float) -> None:
    """Refuse ``size`` bytes of ``expected`` when over ``limit_mb``, naming the limit."""
    if size > limit_mb * MB:
        raise ImportFailed(
            f"file is {_megabytes_over(size, limit_mb)} MB — larger than the {limit_mb:g} MB limit for {expected}"
        )


def _megabytes_over(size: int, limit_mb: float) -> str:
    """``size`` in MB, whole when that is over ``limit_mb``, else to the tenth above
    (20,971,571 bytes against 20 MB reads 20.1, not 20)."""
    whole = f"{size / MB:.0f}"
    return whole if float(whole) > limit_mb else f"{math.ceil(size / MB * 10) / 10:g}"


def read_bounded(path: Path, *, limit_mb: float, expected: str) -> bytes:
    """The bytes of the regular file ``path``, reading at most ``limit_mb`` MB and one byte more.

    Raises ``ImportFailed`` with a plain reason for anything else: a named pipe,
    device, socket or folder ("not a regular file (a device)"), a loop of
    symbolic links, a dangling link, a file over the limit (refused before it is
    opened), or a file that cannot be read. A file written to while it is read is read again, so
    the bytes are one version of it, never part old, part new (``READ_ATTEMPTS``).
    """
    limit = int(limit_mb * MB)
    try:
        before = os.stat(path)
        _check_regular(before)
        check_size(before.st_size, expected=expected, limit_mb=limit_mb)
        for _attempt in range(READ_ATTEMPTS):
            # O_NONBLOCK: a named pipe put in the file's place since the stat must not wait for a writer.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with open(fd, "rb") as fh:  # a buffered read returns all it asks for unless the file ends
                opened = os.fstat(fh.fileno())
                _check_regular(opened)
                data = _read_from(fh, size=opened.st_size, limit=limit)
                if _version(os.fstat(fh.fileno())) == _version(opened):
                    break
        else:
            raise ImportFailed("the file kept changing while it was read; import it again once it is saved")
    except OSError as err:
        raise ImportFailed(unreadable_reason(path, err)) from err
    if len(data) > limit:  # the file grew after it was looked at
        raise ImportFailed(f"file is larger than the {limit_mb:g} MB limit for {expected}")
    return data


def _read_from(fh: BinaryIO, *, size: int, limit: int) -> bytes:
    """The bytes of the open file ``fh`` of ``size`` bytes, at most ``limit`` and one byte more."""
    want = min(limit, size) + 1
    data = fh.read(want)
    if want <= limit and len(data) == want:  # it grew since: read on, up to the limit
        data += fh.read(limit + 1 - want)
    return data


def _version(status: os.stat_result) -> tuple[int, int, int]:
    """What changes when a file is written: a file read while its version changed may hold parts
    of two versions, and is read again."""
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns


def stat_problem(status: os.stat_result) -> str | None:
    """Why a file with this ``os.stat`` result cannot be imported, as the import will say it: not
    a regular file (a named pipe, a device…), or empty; None when its bytes must be read to tell."""
    try:
        _check_regular(status)
    except ImportFailed as err:
        return str(err)
    return "empty file" if status.st_size == 0 else None


def _check_regular(status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    if stat.S_ISDIR(status.st_mode):
        raise ImportFailed("is a folder")
    if stat.S_ISFIFO(status.st_mode):
        what = "a named pipe"
    elif stat.S_ISSOCK(status.st_mode):
        what = "a socket"
    elif stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode):
        what = "a device"
    else:
        what = "not a file of data"
    raise ImportFailed(f"not a regular file ({what})")


def unreadable_reason(path: Path, err: OSError) -> str:
    """Why ``path`` could not be opened, in plain words."""
    if err.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return link_problem(path) or describe_os_error(err)


def link_problem(path: Path | str) -> str | None:
    """Why the symbolic link ``path`` leads nowhere (to something not there: named, or round a
    loop), in plain words; None when ``path`` is no such link."""
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except FileNotFoundError:
        try:
            return f"a link to something that is not there: {os.readlink(path)}"
        except OSError:
            return "a link to something that is not there"
    except OSError as err:
        return "a loop of symbolic links" if err.errno == errno.ELOOP else None
    return None


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
