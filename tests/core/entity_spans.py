"""Helpers for the entity post-processing tests: spans placed on a text, and spans shown."""

from __future__ import annotations

from desktop.core.entities.pipeline import Span


def spans_of(text: str, *found: tuple[str, str]) -> list[Span]:
    """A span at the first occurrence of each (quote, label)."""
    out = []
    for quote, label in found:
        start = text.index(quote)
        out.append(Span(start, start + len(quote), label, quote))
    return out


def shown(text: str, spans: list[Span]) -> list[tuple[str, str]]:
    """(surface, label) of each span."""
    return [(text[s.start:s.end], s.label) for s in spans]
