"""Post-processing steps that fix the small model's error classes on news (issue 14), each a
step of ``pipeline.postprocess`` that the evaluations switch on and off:

- ``clean``: spans trimmed of what is not the name — a trailing possessive apostrophe
  ("Keanu Reeves'"), unbalanced quotes and brackets ('"Happy Holidays', "Associated Cement
  Companies (ACC"), dashes and commas at either end ("Bob Allen Deal -"), a leading "a"/"an";
- ``join``: a name split in two is joined: "Swiss" + "Re", "Munich Re", "eBay" + "UK" (a
  company word after a name makes one organisation);
- ``corpus``: a name that recurs in several articles of the batch takes the type most of
  those articles give it, even against one article's own guess ("Blackburn", "Rangers");
- ``orphans``: a lone word taken for a person that no full name, title ("Mr"), role after it ("Shadrin, Director
  General") or Russian surname shape supports, and that no article of the batch writes with a given name, is dropped ("Blackburn",
  "Premiership", "Anfield" — clubs, leagues and grounds in sport reports);
- ``guard`` (used by ``alias_persons``): a family name is never spread as a person onto a name
  the model or the corpus calls an organisation ("Re" of "Munich Re", "Labour").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from . import names
from .pipeline import _ROLE_AFTER, HONORIFICS, NAME_LABELS, Span

_HONORIFIC_BEFORE = re.compile(rf"(?:\b(?:{'|'.join(HONORIFICS)}|Miss)\.?\s)$")
_COMPANY_WORDS = frozenset(
    "Re UK Inc Plc plc AG SA NV Ltd Corp Co Group Holdings International Europe Bank Motors Airways"
    .split()
)
_PAIRS = {"(": ")", "[": "]", "“": "”", '"': '"', "‘": "’"}
_LEADING = re.compile(r"^(?:(?:a|an)\s+|[-–—,;:.|/•»]+\s*)")
_TRAILING = re.compile(r"(?:\s*[-–—,;:|/•«]+|\s+(?:-|–|—)\s*(?:the|a|an)?)$")

CORPUS_ARTICLES = 3
"""A name in at least this many articles of a batch is voted on across articles."""
CORPUS_SHARE = 0.75
"""The share of those articles one type needs to win over an article's own label."""


def unbalanced(surface: str) -> tuple[int, int]:
    """How many characters to cut at the start and at the end for a quote or bracket that
    opens or closes nothing inside the span."""
    head = tail = 0
    for opening, closing in _PAIRS.items():
        if opening == closing:
            if surface.count(opening) % 2:
                if surface.startswith(opening):
                    head = max(head, 1)
                elif surface.endswith(opening):
                    tail = max(tail, 1)
            continue
        if surface.count(opening) > surface.count(closing):
            cut = surface.rfind(opening)
            tail = max(tail, len(surface) - cut) if cut > 0 else tail
            head = max(head, 1) if cut == 0 else head
        elif surface.count(closing) > surface.count(opening):
            if surface.endswith(closing):
                tail = max(tail, 1)
            elif surface.startswith(closing):
                head = max(head, 1)
    return head, tail


def clean_spans(text: str, spans: list[Span]) -> list[Span]:
    """Names trimmed of stray punctuation and words (see the module docstring); a span left
    with no capital letter is dropped."""
    out = []
    for span in spans:
        if span.label not in NAME_LABELS:
            out.append(span)
            continue
        start, end = span.start, span.end
        for _ in range(3):
            surface = text[start:end]
            head, tail = unbalanced(surface)
            lead = _LEADING.match(surface[head:])
            head += lead.end() if lead else 0
            trail = _TRAILING.search(surface[: len(surface) - tail])
            tail += len(surface) - tail - trail.start() if trail else 0
            if surface.endswith(("s'", "s’")) and not tail:
                tail = 1
            if not head and not tail:
                break
            start, end = start + head, end - tail
            start += len(text[start:end]) - len(text[start:end].lstrip())
            end -= len(text[start:end]) - len(text[start:end].rstrip())
            if start >= end:
                break
        surface = text[start:end]
        if start >= end or not any(c.isupper() for c in surface):
            continue
        out.append(span if (start, end) == (span.start, span.end)
                   else Span(start, end, span.label, " ".join(surface.split())))
    return out


def join_split_names(text: str, spans: list[Span]) -> list[Span]:
    """A company word right after a name, found as its own span or not, joins it into one
    organisation ("Swiss" + "Re", "Munich Re", "eBay UK")."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    out: list[Span] = []
    skip = -1
    for i, span in enumerate(ordered):
        if i == skip:
            continue
        if span.label in NAME_LABELS:
            following = ordered[i + 1] if i + 1 < len(ordered) else None
            if following is not None and following.start == span.end + 1 and text[span.end] == " " \
                    and following.name in _COMPANY_WORDS:
                out.append(Span(span.start, following.end, "ORG", f"{span.name} {following.name}"))
                skip = i + 1
                continue
            words = span.name.split(" ")
            if span.label == "PERSON" and len(words) >= 2 and words[-1] in _COMPANY_WORDS - {"UK", "Europe"}:
                span = replace(span, label="ORG")
            else:
                word = re.match(r" ([A-Z][A-Za-z]*)\b", text[span.end:span.end + 16])
                if word and word.group(1) in _COMPANY_WORDS and word.group(1) not in ("Co", "Group") \
                        and not any(s.start == span.end + 1 for s in ordered):
                    end = span.end + 1 + len(word.group(1))
                    span = Span(span.start, end, "ORG", f"{span.name} {word.group(1)}")
        out.append(span)
    return out


def drop_orphans(texts: list[str], docs: list[list[Span]]) -> list[list[Span]]:
    """Lone-word persons nothing supports are dropped (see the module docstring)."""
    written_full = {word for spans in docs for s in spans if s.label == "PERSON" and " " in s.name
                    for word in s.name.split(" ")}
    out = []
    for text, spans in zip(texts, docs):
        kept = []
        for span in spans:
            if span.label == "PERSON" and " " not in span.name and span.name not in written_full \
                    and not _HONORIFIC_BEFORE.search(text[max(0, span.start - 14):span.start]) \
                    and not _ROLE_AFTER.match(text, span.end) and not names.is_russian_surname(span.name):
                continue
            kept.append(span)
        out.append(kept)
    return out


def article_votes(docs: list[list[Span]]) -> dict[str, Counter[str]]:
    """For each name, in how many articles each type is its most frequent one."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for spans in docs:
        local: dict[str, Counter[str]] = defaultdict(Counter)
        for span in spans:
            if span.label in NAME_LABELS:
                local[span.name][span.label] += 1
        for name, counts in local.items():
            votes[name][counts.most_common(1)[0][0]] += 1
    return votes


def corpus_labels(docs: list[list[Span]]) -> list[list[Span]]:
    """Every mention of a name found in ``CORPUS_ARTICLES`` articles or more takes the type a
    ``CORPUS_SHARE`` majority of those articles gives it."""
    winners = {}
    for name, counts in article_votes(docs).items():
        total = sum(counts.values())
        label, count = counts.most_common(1)[0]
        if total >= CORPUS_ARTICLES and count >= CORPUS_SHARE * total:
            winners[name] = label
    return [[replace(s, label=winners[s.name]) if s.label in NAME_LABELS and s.name in winners
             and s.label != winners[s.name] else s for s in spans] for spans in docs]


def organisation_names(docs: list[list[Span]]) -> frozenset[str]:
    """Names the model calls an organisation more often than anything else across the batch."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for spans in docs:
        for span in spans:
            if span.label in NAME_LABELS:
                counts[span.name][span.label] += 1
    return frozenset(name for name, found in counts.items() if found.most_common(1)[0][0] == "ORG")
