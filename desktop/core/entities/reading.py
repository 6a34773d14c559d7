"""What the entity model reads of an article: pieces of at most ``PIECE_CHARS`` characters, each
read in parts of at most ``READ_CHARS`` with ``CONTEXT_CHARS`` of context either side.

The model refuses texts over ``nlp.max_length`` and its working memory grows with the length of
what it reads at once, so a long article is cut where a paragraph, a line or a word ends; the
entities of each part are those of the whole piece (``desktop.core.entities.pipeline`` keeps the
entities that start in a part's own stretch).
"""

from __future__ import annotations

from dataclasses import dataclass

PIECE_CHARS = 100_000  # the model reads long texts piece by piece (see text_pieces)


def text_pieces(text: str) -> list[tuple[int, str]]:
    """``text`` as (offset, piece) of at most ``PIECE_CHARS`` characters each.

    Pieces end at a paragraph or line end where one is near. The model refuses
    texts over ``nlp.max_length``; what it finds near the end of a piece may differ
    from what it would find reading on, so where the pieces end is part of the entities.
    """
    return [(start, text[start:end]) for start, end in _cuts(text, PIECE_CHARS)]


def _cuts(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive parts of ``text`` of at most ``limit`` characters, each ending
    at a paragraph end, else a line end, else a space, where one lies in its second half."""
    parts: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        end = start + (cut + 1 if cut > limit // 2 else limit)
        parts.append((start, end))
        start = end
    parts.append((start, len(text)))
    return parts


READ_CHARS = 10_000
"""Characters of a piece the model reads at once at most, besides ``CONTEXT_CHARS`` on either
side: its working memory grows with the length of what it reads (≈ 16 KiB a word: 325 MiB for a
piece of 100,000 characters, 28 MiB for 12,000)."""
CONTEXT_CHARS = 300
"""Characters of a piece read before and after each part of it, whose entities are left to the
parts they belong to: the model looks a few words either way, so each part's entities are those
of the whole piece (a test compares both)."""


@dataclass(frozen=True)
class Read:
    """One text the model reads: ``text`` starts at ``offset`` of the prepared article, and only
    entities starting in ``text[keep_from:keep_to]`` are kept (the rest is context)."""

    offset: int
    text: str
    keep_from: int
    keep_to: int


def text_reads(text: str) -> list[Read]:
    """What the model reads of ``text``: each of its ``text_pieces``, cut into parts of at most
    ``READ_CHARS`` characters where it is longer, each part with ``CONTEXT_CHARS`` of the piece
    around it (from a line or word start, to a line or word end, where one is near)."""
    reads = []
    for offset, piece in text_pieces(text):
        for start, end in _cuts(piece, READ_CHARS):
            first = _context_start(piece, start)
            last = _context_end(piece, end)
            reads.append(Read(offset + first, piece[first:last], start - first, end - first))
    return reads


def _context_start(piece: str, start: int) -> int:
    if start == 0:
        return 0
    lowest = max(start - 2 * CONTEXT_CHARS, 0)
    upto = max(start - CONTEXT_CHARS, 0)
    space = piece.rfind("\n", lowest, upto)
    if space < 0:
        space = piece.rfind(" ", lowest, upto)
    return space + 1 if space >= 0 else upto


def _context_end(piece: str, end: int) -> int:
    if end == len(piece):
        return end
    highest = min(end + 2 * CONTEXT_CHARS, len(piece))
    since = min(end + CONTEXT_CHARS, len(piece))
    space = piece.find("\n", since, highest)
    if space < 0:
        space = piece.find(" ", since, highest)
    return space + 1 if space >= 0 else since
