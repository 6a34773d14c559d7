"""Post-processing steps that type a name by what the article writes beside it, each a step of
``pipeline.postprocess`` that the evaluations switch on and off (README, *Named entities*):

- ``places``: a name the article writes as a place ("the town of Chatelet", "the island of
  Spitzbergen", "Huize county") is a place in all its mentions there, whatever the model called
  it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .pipeline import NAME_LABELS, PLACE_LABELS, Span

_PLACE_BEFORE = re.compile(
    r"\b(?P<kind>city|town|village|province|county|state|district|port|island|region)\s+of\s$")
_PLACE_AFTER = re.compile(r"\s(?P<kind>city|town|village|province|county|district|island|region)\b")
_LAND = frozenset({"island", "region"})
_RETYPED = NAME_LABELS - PLACE_LABELS - {"LANGUAGE"}


def _place_kind(text: str, span: Span) -> str | None:
    found = _PLACE_BEFORE.search(text, max(0, span.start - 12), span.start) or _PLACE_AFTER.match(text, span.end)
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

