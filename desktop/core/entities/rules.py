"""The user's library-wide entity rules: "always treat 'X' as TYPE" and "never treat 'X' as an entity".

A rule matches the exact surface form at word boundaries, case-sensitively
unless the rule says otherwise; Chinese has no spaces between words, so an edge of
the rule that is a Han character needs no boundary (长春 matches in 在长春市).
Rules are stored in ``entity_rules`` and applied to every extraction (``plan_mentions``)
as well as at once to the whole library when they are added
(``desktop.core.entities.corrections``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from sqlite_utils import Database

from .pipeline import Span

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
ALWAYS = "always"
NEVER = "never"


@dataclass(frozen=True)
class Rule:
    """One stored rule; ``label`` is empty for a "never" rule."""

    id: int
    kind: str
    text: str
    label: str
    case_sensitive: bool

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        flags = 0 if self.case_sensitive else re.IGNORECASE
        before = "" if HAN.match(self.text[:1]) else r"(?<!\w)"
        after = "" if HAN.match(self.text[-1:]) else r"(?!\w)"
        return re.compile(rf"{before}{re.escape(self.text)}{after}", flags)

    def matches(self, surface: str) -> bool:
        """True when ``surface`` is exactly this rule's text (under its case rule)."""
        return bool(self.pattern.fullmatch(surface))


def load_rules(db: Database) -> list[Rule]:
    """Every rule, oldest first."""
    rows = db.conn.execute(
        "SELECT id, kind, text, label, case_sensitive FROM entity_rules ORDER BY id"
    ).fetchall()
    return [Rule(i, kind, text, label, bool(cs)) for i, kind, text, label, cs in rows]


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in taken)


def plan_mentions(text: str, spans: list[Span], rules: list[Rule]) -> list[tuple[Span, str]]:
    """The model's ``spans`` after the rules, each with its origin (``model`` or ``rule``).

    "never" rules drop model spans whose surface they match; "always" rules add a span
    for every match, named as the rule is written, and win over model spans they overlap.
    """
    never = [r for r in rules if r.kind == NEVER]
    forced: list[Span] = []
    for rule in rules:
        if rule.kind != ALWAYS:
            continue
        for match in rule.pattern.finditer(text):
            span = Span(match.start(), match.end(), rule.label, rule.text)
            if not _overlaps(span, forced):
                forced.append(span)
    kept = [
        s for s in spans
        if not any(r.matches(text[s.start:s.end]) for r in never) and not _overlaps(s, forced)
    ]
    return [(s, "model") for s in kept] + [(s, "rule") for s in forced]
