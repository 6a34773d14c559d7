"""Anchoring a quoted passage in an article's text, so highlights survive changes to the text.

Pure functions, no database. A highlight is stored as offsets and as the exact
quote with up to ``CONTEXT`` characters of text before (prefix) and after
(suffix), like the TextQuoteSelector of the W3C annotation model. When the text
changes, ``locate`` finds the passage again, in this order:

1. the quote occurs verbatim: every occurrence is scored by how well the text
   around it matches the stored prefix and suffix, ties going to the occurrence
   nearest the old offset (``exact`` when that is the old offset, else ``moved``);
2. otherwise the best approximate match of the quote (rapidfuzz alignment, its
   edges then adjusted to maximise similarity) if its similarity reaches
   ``FUZZY_THRESHOLD`` percent and the quote is not too short to tell (``MIN_FUZZY_LENGTH``
   letters, a Han character counting as two) (``fuzzy``): the best near the words that match the
   quote with its prefix and suffix, or the best in the whole text;
3. otherwise None: the caller keeps the highlight as orphaned.

Where the quote does not occur verbatim, step 1 is tried again with both spelled one way,
letter for letter (``_SAME_LETTERS``: ё as е, a no-break space as a space, typographic
quotes and dashes as plain ones, full-width punctuation as ASCII) and without the characters
that show nothing (soft hyphens, zero-width spaces, direction marks), so a re-issued article
that writes "черного" for "чёрного", or "чёр\u00adного", keeps the highlight of a single word.

A passage found away from its old offset (``moved`` or ``fuzzy``) must also have text
around it that matches the stored prefix and suffix to ``MIN_CONTEXT`` percent: the same
name in another sentence, or a look-alike phrase elsewhere ("four blocks" for a corrected
"reactor blocks"), is not the passage, and the highlight is better kept as not found than
put on other words (``locate_exact``, for entity mentions, keeps the best occurrence).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

CONTEXT = 32
FUZZY_THRESHOLD = 75.0
MIN_FUZZY_LENGTH = 8
MIN_CONTEXT = 60.0
_SAME_LETTERS = str.maketrans(
    {"ё": "е", "Ё": "Е", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "«": '"', "»": '"', "„": '"',
     "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u2212": "-",
     **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}, "\u3000": " ", "、": ","}
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphen, zero-width, direction marks
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

Method = Literal["exact", "moved", "fuzzy"]


@dataclass(frozen=True)
class Anchor:
    """Where a passage was: offsets into the text it was made on, the quote and its context."""

    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placement:
    """Where a passage is now: offsets into the new text, how it was found, similarity 0–100."""

    start: int
    end: int
    method: Method
    score: float


def make_anchor(text: str, start: int, end: int, *, context: int = CONTEXT) -> Anchor:
    """The anchor of ``text[start:end]`` with ``context`` characters of prefix and suffix."""
    return Anchor(
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def locate(anchor: Anchor, text: str, *, threshold: float = FUZZY_THRESHOLD) -> Placement | None:
    """Find ``anchor``'s passage in ``text``; None when it cannot be placed with confidence."""
    if not anchor.quote:
        return None
    found = _best_occurrence(anchor, text)
    if found is None:
        found = _best_plain_occurrence(anchor, text)
    if found is not None and (found.method == "exact" or found.score >= MIN_CONTEXT):
        return found
    if _weight(anchor.quote) < MIN_FUZZY_LENGTH:
        return None
    return _fuzzy(anchor, text, threshold=threshold)


def _best_plain_occurrence(anchor: Anchor, text: str) -> Placement | None:
    """``_best_occurrence`` with the anchor and the text spelled plainly (``_plain``), its offsets
    those of ``text``."""
    plain, kept = _plain(text)
    quote, prefix, suffix = (_plain(part)[0] for part in (anchor.quote, anchor.prefix, anchor.suffix))
    if not quote:
        return None
    found = _best_occurrence(Anchor(anchor.start, anchor.end, quote, prefix, suffix), plain)
    if found is None:
        return None
    start, end = kept[found.start], kept[found.end - 1] + 1
    return Placement(start, end, "exact" if start == anchor.start else "moved", found.score)


@functools.lru_cache(maxsize=8)  # an article's text, for each of its highlights in turn
def _plain(text: str) -> tuple[str, list[int]]:
    """``text`` spelled as ``_SAME_LETTERS`` spells it without the characters that show nothing
    (``_INVISIBLE``), and for each of its characters the offset it had in ``text``."""
    spelled = text.translate(_SAME_LETTERS)
    if _INVISIBLE.search(spelled) is None:
        return spelled, list(range(len(spelled)))
    kept = [at for at, char in enumerate(spelled) if not _INVISIBLE.match(char)]
    return "".join(spelled[at] for at in kept), kept


def _weight(quote: str) -> int:
    """The length of ``quote`` for ``MIN_FUZZY_LENGTH``, a Han character counting as two
    letters (four of them are a phrase: "旨在提高公众" is "aimed at raising the public's")."""
    return len(quote) + len(_HAN.findall(quote))


def locate_exact(anchor: Anchor, text: str) -> Placement | None:
    """Like ``locate`` but only verbatim occurrences of the quote count (no fuzzy match)."""
    if not anchor.quote:
        return None
    return _best_occurrence(anchor, text)


def _occurrences(quote: str, text: str) -> list[int]:
    found = []
    at = text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _similarity(expected: str, actual: str) -> float:
    if not expected:
        return 100.0
    return fuzz.ratio(expected, actual)


def context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How well the text around ``text[start:end]`` matches the anchor's prefix and suffix (0–100)."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return (_similarity(anchor.prefix, before) + _similarity(anchor.suffix, after)) / 2


def _best_occurrence(anchor: Anchor, text: str) -> Placement | None:
    starts = _occurrences(anchor.quote, text)
    if not starts:
        return None
    length = len(anchor.quote)
    best = max(
        starts,
        key=lambda s: (context_score(anchor, text, s, s + length), -abs(s - anchor.start)),
    )
    method: Method = "exact" if best == anchor.start else "moved"
    return Placement(best, best + length, method, context_score(anchor, text, best, best + length))


def _fuzzy(anchor: Anchor, text: str, *, threshold: float) -> Placement | None:
    """The approximate match of the quote, near its context or anywhere, whose own similarity
    and its context's are best together; None when none reaches ``threshold`` with its
    context matching to ``MIN_CONTEXT``."""
    windows = [(0, len(text))]
    around = fuzz.partial_ratio_alignment(anchor.prefix + anchor.quote + anchor.suffix, text)
    if around is not None:
        reach = len(anchor.quote)
        windows.insert(0, (max(0, around.dest_start - reach), min(len(text), around.dest_end + reach)))
    best: tuple[float, Placement] | None = None
    for low, high in windows:
        found = _fuzzy_within(anchor.quote, text, low, high, threshold=threshold)
        if found is None:
            continue
        context = context_score(anchor, text, found.start, found.end)
        if context >= MIN_CONTEXT and (best is None or found.score + context > best[0]):
            best = (found.score + context, found)
    return best[1] if best else None


def _fuzzy_within(quote: str, text: str, low: int, high: int, *, threshold: float) -> Placement | None:
    aligned = fuzz.partial_ratio_alignment(quote, text[low:high], score_cutoff=threshold * 0.8)
    if aligned is None:
        return None
    start, end = _refine_edges(quote, text, low + aligned.dest_start, low + aligned.dest_end)
    score = fuzz.ratio(quote, text[start:end])
    if score < threshold:
        return None
    return Placement(start, end, "fuzzy", score)


def _refine_edges(quote: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Move each edge of an approximate match to where the similarity to ``quote`` is highest."""
    reach = max(4, len(quote) // 4)
    start = max(
        range(max(0, start - reach), min(end, start + reach) + 1),
        key=lambda s: (fuzz.ratio(quote, text[s:end]), -abs(s - start)),
    )
    end = max(
        range(max(start + 1, end - reach), min(len(text), end + reach) + 1),
        key=lambda e: (fuzz.ratio(quote, text[start:e]), -abs(e - end)),
    )
    return start, end
