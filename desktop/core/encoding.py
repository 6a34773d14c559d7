"""Turning the bytes of a text file into normalised text: encoding detection, NFC, line endings.

Strict UTF-8 is tried first (the common case, and fast); a byte-order mark settles
UTF-8 and UTF-16; anything else goes to charset-normalizer, limited to the
encodings a China–Russia news corpus is written in (Windows-1252 / Latin-1,
Windows-1251 and KOI8-R Russian, GB18030 and Big5 Chinese). Limiting the
candidates keeps a lone Latin-1 pound sign from being read as Japanese.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .errors import ImportFailed

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_ENCODINGS = ("cp1252", "latin_1", "cp1251", "koi8_r", "gb18030", "big5")
# A text has almost no control characters besides tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_RATIO = 0.01
_LINE_BREAKS = ("\r", "\u2028", "\u2029", "\x85")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")

NOT_TEXT = "binary file, not text"
EMPTY = "empty file"


def decode_text(data: bytes) -> str:
    """Decode ``data`` to NFC text with ``\\n`` line endings.

    Raises ``ImportFailed`` ("empty file", "binary file, not text") when the bytes hold no text.
    """
    text = _decode(data)
    if not text.strip():
        raise ImportFailed(EMPTY)
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > MAX_CONTROL_RATIO * len(text):
        raise ImportFailed(NOT_TEXT)
    return normalise_text(text)


def normalise_text(text: str) -> str:
    """NFC form, ``\\n`` line endings, no byte-order mark: the form hashed and stored."""
    text = text.lstrip("\ufeff")
    if any(mark in text for mark in _LINE_BREAKS):
        text = _NEWLINES.sub("\n", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise ImportFailed(f"broken {encoding.upper()} text: {err.reason}") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise ImportFailed(NOT_TEXT)
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise ImportFailed(NOT_TEXT)
    return str(best)
