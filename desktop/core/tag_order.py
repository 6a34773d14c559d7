"""The order tag names are listed in, the same in every script and in every view.

SQLite's NOCASE folds ASCII letters only: it listed "Авиация" and "Биотех" before "биология"
(every Cyrillic capital before every small letter) and "Ёлка" after "Я". ``tag_sort_key`` folds
case with ``str.casefold`` in every script, sorts ё with е (as a Russian dictionary does) and
compares a name level by level, so ``bio/x`` follows ``bio`` before ``bio-x`` does; names that
fold alike are kept apart by the name itself. Tags are few (and an article's fewer still), so
they are sorted in Python with this key wherever they are listed, on any connection.
"""

from __future__ import annotations

SEPARATOR = "/"
"""Between the levels of a tag's name: ``Biomed/Vaccines`` is a child of ``Biomed``."""


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def tag_sort_key(name: str) -> tuple[tuple[str, ...], str]:
    """Sort key of a tag's name: its levels without case (ё as е), then the name as written."""
    return tuple(_fold(level) for level in name.split(SEPARATOR)), name

