"""Reading JSON text a value at a time from a file read a piece at a time (``JsonText``), with
the place of a break in the file's own lines and columns, for the record exports (``records``).

Only the standard library's decoder is used (``json.JSONDecoder.raw_decode``): a value is
decoded from the text read so far, and decoded again with more text when it runs past it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..encoding import Pieces, byte_within
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
CUT_SHORT_CHARS = 16  # an error this close to the end of the text read may only mean the value goes on


def placed(message: str, line: int, column: int) -> str:
    """``"Expecting value at line 3, column 9"``: a JSON break as the decoder names it, placed."""
    return f"{message.removesuffix(' at')} at line {line}, column {column}"


class BrokenJson(Exception):
    """JSON text that cannot be read, where (``placed``) and why."""


class JsonText:
    """The text of a JSON file as it is read, a piece at a time (``Pieces``): ``value`` decodes
    the value at the reading position, reading more pieces while it runs past what has been
    read, and ``done`` is how far into the file's bytes the reading position is. Only the text
    from the value being read on is held."""

    def __init__(self, pieces: Pieces) -> None:
        self._pieces = pieces
        self._text = ""
        self.pos = 0
        self._read = 0  # the bytes decoded into the text held, and the byte the text held starts at
        self._held_from = 0
        self._ended = False
        self._line = 1  # the line the held text starts on, and the characters of it before
        self._column = 0

    def next_char(self) -> str:
        """The next character that is not blank space, the reading position moved onto it; ""
        at the end of the file."""
        while True:
            self.pos = _SPACE.match(self._text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self._text):
                return self._text[self.pos]
            if not self._more():
                return ""

    def value(self) -> Any:
        """The JSON value at the reading position (moved past it); ``BrokenJson`` when it is not
        valid JSON, ``RecursionError`` when it is nested too deeply."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self.pos)
            except json.JSONDecodeError as exc:
                broken = BrokenJson(self._where(exc.msg, exc.pos))
                if self._ended or not self._cut_short(exc) or not self._more(len(self._text) - self.pos):
                    raise broken from exc
                continue
            if end < len(self._text) or not self._more():  # a number may go on in the next piece
                self.pos = end
                return value

    @property
    def done(self) -> int:
        """The bytes of the file before the reading position."""
        return byte_within(self._held_from, self._read, self.pos, len(self._text))

    def broken(self, message: str) -> BrokenJson:
        """The break ``message`` ("Expecting ',' delimiter") at the reading position."""
        return BrokenJson(self._where(message, self.pos))

    def rest(self) -> str:
        """The text from the reading position to the end of the file."""
        return self._text[self.pos:] + "".join(text for text, _ in self._pieces)

    def _cut_short(self, exc: json.JSONDecodeError) -> bool:
        """Whether the decoder stopped only because the value goes on past the text held."""
        return exc.msg.startswith("Unterminated string") or len(self._text) - exc.pos < CUT_SHORT_CHARS

    def _more(self, wanted: int = 1) -> bool:
        """Read at least ``wanted`` more characters (or to the end), dropping the text before the
        reading position; False when nothing is left to read."""
        added: list[str] = []
        count, read = 0, self._read
        while count < wanted and not self._ended:
            piece = next(self._pieces, None)
            if piece is None:
                self._ended = True
            else:
                added.append(piece[0])
                count += len(piece[0])
                read = piece[1]
        self._drop()
        self._text += "".join(added)
        self._read = read
        return count > 0

    def _drop(self) -> None:
        self._held_from = self.done
        lines = self._text.count("\n", 0, self.pos)
        if lines:
            self._line += lines
            self._column = self.pos - self._text.rfind("\n", 0, self.pos) - 1
        else:
            self._column += self.pos
        self._text = self._text[self.pos:]
        self.pos = 0

    def _where(self, message: str, pos: int) -> str:
        lines = self._text.count("\n", 0, pos)
        column = pos - self._text.rfind("\n", 0, pos) + (self._column if not lines else 0)
        return placed(message, self._line + lines, column)
