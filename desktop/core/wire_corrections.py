"""Whether an article says it corrects an earlier version of itself, as agencies mark a corrected copy.

A wire's correction is marked at the top: "CORRECTED - …" or "(CORRECTED) - …", "CORRECTION - …",
"(Corrects paragraph 3 to show …)", in Russian "ИСПРАВЛЕНО" / "(исправлено …)" / "Исправленная версия",
in Chinese "更正" in the headline or opening the text. Only the headline and the opening of the text
are read, and only a mark where such notes stand (at the start, or in brackets), so an article
reporting that a government "corrects" its figures is not taken for one. *Hide copies* and
``--one-per-story`` keep the latest correction of a story (``stories.one_per_story`` and
``FacetIndex.one_per_story``).
"""

from __future__ import annotations

import re

OPENING = 400
"""Characters of the text read for the mark (the note opens the text or follows its first line)."""

_WORD = r"(?:corrected|correction|corrects|исправлено|исправление|исправленная версия)"
_MARK = re.compile(
    rf"^\W*{_WORD}\s*[-–—:)\]]"  # opening the headline or the text: "CORRECTED - …", "ИСПРАВЛЕНО: …"
    rf"|[(\[]\s*(?:corrects\b|{_WORD}\s*[)\]:])"  # "(Corrects paragraph 3 …)", "(CORRECTED)", "(исправлено: …)"
    r"|^[^\n]{0,80}更正",  # in a Chinese headline or first line: "更正：…", "…（更正）"
    re.IGNORECASE,
)


_STEMS = ("correct", "исправл", "更正")


def is_correction(title: str | None, text: str | None) -> bool:
    """Whether the article's headline or the opening of its text marks it as a correction."""
    return any(_marked(part) for part in (title or "", (text or "")[:OPENING]))


def _marked(part: str) -> bool:
    folded = part.lower()  # most texts hold none of the words: the pattern is searched in the others only
    return any(stem in folded for stem in _STEMS) and _MARK.search(part) is not None
