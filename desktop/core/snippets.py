"""Snippets of search hits: a stretch of an article around where a query's words match, each
match marked, for results made from the multi-script index (which has no FTS5 ``snippet()``).

``query_snippet`` finds the first place a hit can start without reading a long text token by
token, then marks what ``desktop.core.textindex.term_spans`` finds in the stretch that follows
(the text read once, as the index reads it); ``snippet`` marks given spans.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import Sequence

from .textindex import latin_only, read_term_spans, reading_form, stem_options, term_keys


def query_snippet(text: str, terms: Sequence[str], *, prefixes: Sequence[str] = (),
                  marks: tuple[str, str], ellipsis: str, width: int = 160) -> tuple[str, bool]:
    """``snippet`` of where ``terms`` match, and whether it marked any (False: the text's
    opening, unmarked). A long text is not read whole: the index's tokens are prefixes of
    the lower-cased words (stems, bigrams, words), so the text is searched for them first
    and only the stretch that follows the first one is read token by token (``snippet`` then
    centres on the most hits in it). Nothing before that place can match; the stretch starts
    one character early, so that a word's start is told from the middle of a word."""
    needles = _needles(tuple(terms), tuple(prefixes))
    searched = reading_form(text)  # what the index read: １３ as 13, 經濟 as 经济 (the same offsets)
    han = searched is not text  # the same text back: no Han character in it
    first = _first_place(searched, needles)
    while first is not None:
        start = max(0, first - 1)
        end = min(len(text), first + 3 * width)
        spans = [(a + start, b + start)
                 for a, b in read_term_spans(searched[start:end], terms, prefixes=prefixes, han=han)]
        if spans:
            return _marked_snippet(text, spans, marks=marks, ellipsis=ellipsis, width=width)
        # a word that starts like a hit (Германии's stem герман in германский): look further on
        first = _first_place(searched, needles, start=end - _LONGEST_WORD) if end < len(text) else None
    # the hit is in the headline: the opening
    return snippet(text, [], marks=marks, ellipsis=ellipsis, width=width), False


_LONGEST_WORD = 40  # a word cut by a window's end is read again whole in the next one


@lru_cache(maxsize=256)
def _needles(terms: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """What a hit of ``terms`` starts with (lower-case, ё written е): each term's first token,
    and for a Russian word standing for several stems the letters they all start with."""
    needles = []
    for term in terms:
        options = term_keys(term, term in prefixes)
        stems = stem_options(tuple(tuple(wanted) for wanted, _ in options), options[0][1]) if options else None
        needles.extend([stems[0]] if stems is not None else [keys[0] for keys, _ in options if keys])
    return tuple(dict.fromkeys(needles))


def _first_place(text: str, needles: Sequence[str], *, start: int = 0, step: int = 4096) -> int | None:
    """Where the first of ``needles`` (lower-case, ё written е) starts in ``text`` from ``start``
    on. Latin needles are looked for in the text lower-cased a stretch at a time when its words
    are ASCII (fast); others, and any in a text with other letters (Rudskój, İstanbul, Москва),
    by a scan in C blind to case and to Latin diacritics (``_needles_pattern``) that lower-cases
    nothing (Cyrillic lower-casing cost more than the rest of a Russian snippet)."""
    if not needles:
        return None
    if not all(map(str.isascii, needles)) or not latin_only(text):
        found = _needles_pattern(tuple(needles)).search(text, start)
        return found.start() if found is not None else None
    for offset in range(start, len(text), step):
        chunk = text[offset : offset + step + 64].lower().replace("ё", "е")
        found = [place for place in map(chunk.find, needles) if place >= 0]
        if found:
            return offset + min(found)
    return None


def _letter_classes() -> dict[str, str]:
    """For each letter a needle may hold, the pattern of the letters the index folds to it: an
    ASCII letter matches its Latin forms with diacritics (o: ó, ö, ő …; i: İ), е matches ё."""
    forms: dict[str, list[str]] = {"е": ["е", "ё"]}
    for char in map(chr, range(0xC0, 0x250)):
        base = unicodedata.normalize("NFD", char)[0].lower()
        if base != char.lower() and base.isascii() and base.isalpha():
            forms.setdefault(base, [base]).append(char)
    return {letter: "[" + "".join(chars) + "]" for letter, chars in forms.items()}


_LETTER_CLASSES = _letter_classes()


@lru_cache(maxsize=256)
def _needles_pattern(needles: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``needles`` in any case and with any Latin diacritics, an е of theirs matching ё too."""
    return re.compile("|".join("".join(_LETTER_CLASSES.get(char) or re.escape(char) for char in needle)
                               for needle in needles), re.IGNORECASE)


def snippet(text: str, spans: Sequence[tuple[int, int]], *, marks: tuple[str, str],
            ellipsis: str, width: int = 160) -> str:
    """About ``width`` characters of ``text`` around the most hits of ``spans`` (sorted, not
    overlapping: as ``term_spans`` gives them), each hit wrapped in ``marks``, cut ends marked
    with ``ellipsis``; the opening when no span."""
    return _marked_snippet(text, spans, marks=marks, ellipsis=ellipsis, width=width)[0]


def _marked_snippet(text: str, spans: Sequence[tuple[int, int]], *, marks: tuple[str, str],
                    ellipsis: str, width: int) -> tuple[str, bool]:
    """``snippet`` and whether it marked any hit."""
    if not spans:
        cut = text[:width]
        return " ".join(cut.split()) + (ellipsis if len(text) > width else ""), False
    starts = [s for s, _ in spans]
    best = max(range(len(spans)), key=lambda i: bisect_left(starts, starts[i] + width * 2 // 3, i) - i)
    start = max(0, spans[best][0] - width // 3)
    space = text.rfind(" ", max(0, start - 20), start)
    start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    space = text.find(" ", end, end + 20)
    end = space if space >= 0 else end
    out, pos, marked = [], start, False
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [text[pos:s], marks[0], text[s:e], marks[1]]
        pos, marked = e, True
    out.append(text[pos:end])
    body = " ".join("".join(out).split())
    return (ellipsis if start > 0 else "") + body + (ellipsis if end < len(text) else ""), marked
