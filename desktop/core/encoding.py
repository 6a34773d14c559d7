"""Turning bytes into normalised text: encoding detection, NFC, line endings.

One decoder serves text files (``read_text``, which also refuses empty and
binary files) and markup and exports (``decode_bytes``, which honours a declared
charset; ``decoded_pieces`` gives the same text a piece at a time, for exports too large to
hold as text twice). A text file, a web page or an export may carry a few stray NUL bytes (trailing
padding after a crash or a cut download, or under 1 % of its bytes): they are removed, and
``read_text`` (for markup and exports ``without_stray_nuls``) says so, when what is left reads
as clean text; any other NUL makes the file binary. A byte-order mark settles UTF-8/16/32;
strict UTF-8 is tried next (the common case, and fast); anything else goes to
charset-normalizer, limited to the encodings a China–Russia news corpus is written in
(Windows-1252 / Latin-1, Windows-1251 and KOI8-R Russian, GB18030 and Big5 Chinese).
Limiting the candidates keeps a lone Latin-1 pound sign from being read as Japanese.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from .errors import ImportFailed

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_ENCODINGS = ("cp1252", "latin_1", "cp1251", "koi8_r", "gb18030", "big5")
# A text has almost no control characters besides tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_RATIO = 0.01
MAX_NUL_RATIO = 0.01  # stray NULs inside a text, not counting those padding its end
_LINE_BREAKS = ("\r", "\u2028", "\u2029", "\x85")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")

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
SAMPLE_BYTES = 64 * 1024

NOT_TEXT = "binary file, not text"
EMPTY = "empty file"


class TextRead(NamedTuple):
    """A text file's text and what was removed to read it, for the import report."""

    text: str
    notes: tuple[str, ...] = ()


def read_text(data: bytes) -> TextRead:
    """Decode ``data`` to NFC text with ``\\n`` line endings, less any stray NUL bytes (noted).

    Raises ``ImportFailed`` ("empty file", "binary file, not text") when the bytes hold no text.
    """
    kept, removed = _without_stray_nuls(data)
    text = _decode(kept)
    if not text.strip():
        raise ImportFailed(EMPTY)
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > MAX_CONTROL_RATIO * len(text):
        raise ImportFailed(NOT_TEXT)
    if removed and not _clean(text, kept):
        raise ImportFailed(NOT_TEXT)
    return TextRead(normalise_text(text), _removed_note(removed))


def without_stray_nuls(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``data`` less its stray NUL bytes, with a note of how many were removed, when what is left
    decodes as clean text (the rule of ``read_text``); otherwise ``data`` as it is and no note, so a
    file whose NULs are not stray stays binary. For the markup and exports ``decode_bytes`` reads."""
    kept, removed = _without_stray_nuls(data)
    if not removed or not _clean(decode_bytes(kept), kept):
        return data, ()
    return kept, _removed_note(removed)


def _removed_note(removed: int) -> tuple[str, ...]:
    return (f"{removed:,} NUL {'byte' if removed == 1 else 'bytes'} removed",) if removed else ()


def decode_text(data: bytes) -> str:
    """The text of ``read_text``, without its notes."""
    return read_text(data).text


def _without_stray_nuls(data: bytes) -> tuple[bytes, int]:
    """``data`` less its NUL bytes and how many were removed, when they can be stray in a text:
    all at the end, or at most ``MAX_NUL_RATIO`` of the bytes before that padding. Otherwise
    (no NUL, UTF-16 or UTF-32, too many NULs, nothing else) ``data`` as it is."""
    if b"\x00" not in data or bom_encoding(data) or utf16_without_bom(data[:1024]):
        return data, 0
    body = data.rstrip(b"\x00")
    if not body.strip() or body.count(0) > MAX_NUL_RATIO * len(body):
        return data, 0
    kept = body.replace(b"\x00", b"")
    return kept, len(data) - len(kept)


def _clean(text: str, data: bytes) -> bool:
    """True when ``text``, decoded from ``data``, has no control character and no byte that
    failed to decode: only such a text is read after NULs were removed from it."""
    if _CONTROL.search(text):
        return False
    return "\ufffd" not in text or _decode_strict(data, "utf-8") is not None


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);")


def without_character_references(text: str) -> str:
    """``text`` with the HTML character references a scraper or a converter left in plain text
    written as the characters they stand for ("Beyonc&#233;" → "Beyoncé", "&lt;BAC&gt;" →
    "<BAC>", "AT&amp;T" → "AT&T"): numeric ones and the six of XML and HTML's ``&nbsp;``, never
    a bare ``&`` or another name ("AT&T", "R&D" stay); one naming a control character or
    none stays as it is."""
    if "&" not in text:
        return text

    def character(match: re.Match[str]) -> str:
        found = html.unescape(match[0])
        return match[0] if len(found) != 1 or _CONTROL.match(found) or found == "\ufffd" else found

    return _REFERENCE.sub(character, text)


def normalise_text(text: str) -> str:
    """NFC form, ``\\n`` line endings, no byte-order mark: the form hashed and stored."""
    text = text.lstrip("\ufeff")
    if any(mark in text for mark in _LINE_BREAKS):
        text = _NEWLINES.sub("\n", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _decode(data: bytes) -> str:
    encoding = bom_encoding(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            raise ImportFailed(f"broken {encoding.upper()} text: {err.reason}") from err
    if b"\x00" in data and utf16_without_bom(data[:1024]) is None:
        raise ImportFailed(NOT_TEXT)
    return decode_bytes(data)


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """``data`` as text: by its byte-order mark, else as UTF-8, else ``declared`` if it fits, else detected.

    Never fails (undecodable bytes become U+FFFD); ``decode_text`` adds the checks
    a text file needs. Valid UTF-8 wins over a declared legacy charset: pages
    re-saved as UTF-8 often keep their old declaration, and legacy text is almost
    never valid UTF-8. A file that is mostly UTF-8 with some lines in a legacy
    encoding (a Latin-1 pound sign in a UTF-8 file) is decoded line by line, so
    neither part is mangled.
    """
    encoding = bom_encoding(data) or utf16_without_bom(data[:1024])
    if encoding:
        return data.decode(encoding, errors="replace")
    for candidate in ("utf-8", normalise_encoding(declared) if declared else None):
        text = _decode_strict(data, candidate) if candidate else None
        if text is not None:
            return text
    legacy = _detect_legacy(data)
    return "".join(_decode_line(line, legacy) for line in data.splitlines(keepends=True))


PIECE_BYTES = 1 << 20
Pieces = Iterator[tuple[str, int]]  # a text a piece at a time, each with the bytes decoded up to its end


def decoded_pieces(data: bytes, *, size: int = PIECE_BYTES, whole_lines: bool = True) -> Pieces:
    """``decode_bytes(data)`` a piece of about ``size`` bytes at a time, each with the number of
    bytes of ``data`` decoded up to its end; with ``whole_lines`` every piece but the last ends
    with a line break, else a piece of UTF-8 ends between two characters (a long line, as in
    JSON written without line breaks, is then read a piece at a time too).

    Joined, the pieces are ``decode_bytes(data)``: a piece that is not strict UTF-8 is made of
    whole lines and decoded line by line, as a file that is not is, with the legacy encoding
    detected once over the whole file (only a line both UTF-8 and not, cut in two without
    ``whole_lines``, has its first part read as UTF-8). Only one piece's text is held at a time.
    """
    encoding = bom_encoding(data) or utf16_without_bom(data[:1024])
    if encoding:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pieces = ((decoder.decode(data[start:start + size], final=start + size >= len(data)),
                   min(start + size, len(data))) for start in range(0, len(data), size))
        yield from _whole_lines(pieces) if whole_lines else pieces
        return
    legacy: str | None = None
    start = 0
    while start < len(data):
        end = _line_end(data, start + size) if whole_lines else _character_start(data, start + size, start)
        text = _decode_strict(data[start:end], "utf-8")
        if text is None:
            end = _line_end(data, end - 1)
            legacy = legacy or _detect_legacy(data)
            text = "".join(_decode_line(line, legacy) for line in data[start:end].splitlines(keepends=True))
        yield text, end
        start = end


def _line_end(data: bytes, at: int) -> int:
    """The end of the line of ``data`` that byte ``at`` is on (past its line break)."""
    newline = data.find(b"\n", at)
    return len(data) if newline < 0 else newline + 1


def _character_start(data: bytes, at: int, start: int) -> int:
    """The first byte from ``at`` on where a UTF-8 character starts, or the last before it that
    is still after ``start`` (``len(data)`` past the end)."""
    for back in range(min(3, at - start - 1) + 1):
        if at - back < len(data) and data[at - back] & 0xC0 != 0x80:
            return at - back
    while at < len(data) and data[at] & 0xC0 == 0x80:
        at += 1
    return min(at, len(data))


def byte_within(start: int, end: int, chars: int, length: int) -> int:
    """The byte ``chars`` characters into a piece of ``length`` characters decoded from the bytes
    ``start`` to ``end``, counting its characters as equally long (exact for ASCII)."""
    return start + (end - start) * chars // length if length else end


def _whole_lines(pieces: Pieces) -> Pieces:
    """``pieces`` of text cut again after their last line break (the rest goes with the next)."""
    carried = ""
    for text, end in pieces:
        text = carried + text
        cut = text.rfind("\n") + 1
        carried = text[cut:]
        if cut:
            yield text[:cut], end
    if carried:
        yield carried, end


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if there is one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of a text is NUL, as in UTF-16 without a BOM."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def normalise_encoding(label: str) -> str:
    """The Python codec for a charset label as browsers read it (Latin-1 means Windows-1252)."""
    label = label.strip().lower()
    return _ENCODING_ALIASES.get(label, label)


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
