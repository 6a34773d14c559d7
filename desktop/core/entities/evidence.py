"""Post-processing steps that type a name by what the article writes beside it, each a step of
``pipeline.postprocess`` that the evaluations switch on and off (README, *Named entities*):

- ``places``: a name the article writes as a place ("the town of Chatelet", "the island of
  Spitzbergen", "Huize county") is a place in all its mentions there, whatever the model called
  it;
- ``acronyms``: an acronym defined in brackets beside a name ("Kurdistan Democratic Party
  ( KDP )", "the FOMC ( Federal Open Market Committee )") takes the name's type in all its
  mentions in the article, found by the model or not.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .pipeline import NAME_LABELS, PLACE_LABELS, Span, _untagged, _word_pattern

_PLACE_BEFORE = re.compile(
    r"\b(?P<kind>city|town|village|province|county|state|district|port|island|region)\s+of\s$")
_PLACE_AFTER = re.compile(r"\s(?P<kind>city|town|village|province|county|district|island|region)\b")
_LAND = frozenset({"island", "region"})
_RETYPED = NAME_LABELS - PLACE_LABELS - {"LANGUAGE"}


def _place_kind(text: str, span: Span) -> str | None:
    found = _PLACE_BEFORE.search(text, max(0, span.start - 12), span.start) \
        or _PLACE_AFTER.match(text, span.end)
    if found is None:
        return None
    return "LOC" if found.group("kind") in _LAND else "GPE"


def placed_names(text: str, spans: list[Span]) -> list[Span]:
    """Names the article writes as a place become one (an island or a region LOC, else GPE) in
    all their mentions there; names the model calls a place or a group keep their type."""
    places: dict[str, str] = {}
    for span in spans:
        if span.label in _RETYPED:
            kind = _place_kind(text, span)
            if kind is not None:
                places.setdefault(span.name, kind)
    return [replace(s, label=places[s.name]) if s.name in places and s.label in _RETYPED else s for s in spans]


_ACRONYM_AFTER = re.compile(r"\s?\(\s?(?P<acronym>[A-Z][A-Z&.]{1,9})\s?\)")
_ACRONYM_BEFORE = re.compile(r"\b(?P<acronym>[A-Z][A-Z&.]{1,9})\s?\(\s?$")
_CLOSING = re.compile(r"\s?\)")


def _stands_for(acronym: str, name: str) -> bool:
    """True when the acronym's letters are initials of the name's capitalised words, in order,
    from the first ("NAPM": National Association of Purchasing Management)."""
    letters = [c for c in acronym if c.isalpha()]
    initials = iter(w[0] for w in name.split(" ") if w[:1].isupper())
    return len(letters) >= 2 and next(initials, None) == letters[0] and all(c in initials for c in letters[1:])


def _defined(text: str, span: Span) -> str | None:
    after = _ACRONYM_AFTER.match(text, span.end)
    if after is not None:
        return after.group("acronym")
    before = _ACRONYM_BEFORE.search(text, max(0, span.start - 14), span.start)
    if before is not None and _CLOSING.match(text, span.end):
        return before.group("acronym")
    return None


def acronym_names(text: str, spans: list[Span]) -> list[Span]:
    """Acronyms the article defines in brackets beside a name of several words take its type in
    all their mentions, those the model missed added (see the module docstring)."""
    types: dict[str, str] = {}
    for span in spans:
        if span.label in NAME_LABELS and " " in span.name:
            acronym = _defined(text, span)
            if acronym is not None and _stands_for(acronym, span.name):
                types.setdefault(acronym, span.label)
    if not types:
        return spans
    out = [replace(s, label=types[s.name]) if s.name in types and s.label in NAME_LABELS else s for s in spans]
    out.extend(Span(m.start(), m.end(), types[m.group(0)], m.group(0))
               for m in _untagged(text, _word_pattern(types), out))
    return out
