"""Post-processing steps for the error classes the BBC tuning half showed after ``cleanup``;
each is a step of ``pipeline.postprocess`` that the evaluations switch on and off, kept because
it helped a held-out half too (README, *Named entities*):

- ``edges``: words that are not the name are cut from its ends: a scoreline or a number after
  a person ("Greg Rusedski 4", "Jiri Novak 7-5"), a scoreline after any name ("Turf Moor 0-2"),
  a small word after it ("Francesca Schiavone of"), a dash and a lower-case word ("Mark
  Lewis-Francis - runner"), a lower-case word before it ("physio Mark Davies");
- ``common``: a one-word name that the batch mostly writes in lower case is a common noun
  taken for a name ("Citizens"; "Premiership" stays, nobody writes it in lower case), and a
  capitalised common word before a person's full name is cut ("Prop Martin Castrogiovanni",
  "Backbencher Stephen Pound");
- ``descriptors``: lower-case words at the end of a name describe it and are cut ("Interfax news
  agency", "Sharqiyah province", "Stansted airport"), as are a date or a telephone code after a
  name ("Bosnia 1996-08-31", "Anthony Barker +48");
- ``prefixed``: a name that begins with a lower-case prefix ("pro-Chavez", "anti-Jewish",
  "non-EU") is no name;
- ``products``: a name the model calls an organisation or a place, written right after an
  organisation's possessive ("Apple's iPod", "Microsoft's Xbox"), is a product in every
  article of the batch;
- ``things``: a name the article writes after "the", "a" or a possessive and before a verb, a
  small word or punctuation ("the Mac Mini was", "his Mac Mini to") is no person there: its
  person mentions in that article are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .pipeline import NAME_LABELS, Span


def _span(text: str, start: int, end: int, label: str) -> Span:
    return Span(start, end, label, " ".join(text[start:end].split()))


_SMALL_WORDS = r"of|and|or|to|the|in|for|on|at|with|by|from|a|an|as|vs"
_SCORE = r"\d+-\d+(?:\s*\(\d+(?:-\d+)?\))?"
_PERSON_TAIL = re.compile(rf"(?:\s+(?:{_SCORE}|\d+))+$")
_NAME_TAIL = re.compile(rf"(?:\s+{_SCORE})+$|\s+(?:{_SMALL_WORDS})$|\s+[-–—]\s*[a-z]+$")
_PARTICLES = frozenset("de da di del della der den du dos das van von le la al el bin ben ibn ter ten".split())
_LOWER_HEAD = re.compile(r"[a-z][a-z'’-]*\s+(?=[A-Z])")


def trim_edges(text: str, spans: list[Span]) -> list[Span]:
    """Scorelines, numbers, small words and lower-case words cut from the ends of names (see
    the module docstring)."""
    out = []
    for span in spans:
        if span.label in NAME_LABELS:
            start, end = span.start, span.end
            surface = text[start:end]
            tail = (_PERSON_TAIL if span.label == "PERSON" else _NAME_TAIL).search(surface)
            if tail is None and span.label == "PERSON":
                tail = _NAME_TAIL.search(surface)
            if tail is not None and tail.start() > 0:
                end = start + tail.start()
            head = _LOWER_HEAD.match(text, start, end)
            if head is not None and head.group(0).split()[0] not in _PARTICLES:
                start = head.end()
            if (start, end) != (span.start, span.end):
                span = _span(text, start, end, span.label)
        out.append(span)
    return out


_DESCRIBED = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})
_DESCRIPTION = re.compile(r"(?:\s+[a-z][a-z-]*)+$")
_DATE_OR_PHONE = re.compile(r"\s+(?:\d{4}-\d\d-\d\d|\+\d+)$")


def trim_descriptors(text: str, spans: list[Span]) -> list[Span]:
    """Lower-case words that describe a name (an organisation, place, facility or group), and a
    date or a telephone code after any name, cut from the end of its span (see the module
    docstring); a span with no capital letter before them is left alone."""
    out = []
    for span in spans:
        if span.label in NAME_LABELS:
            surface = text[span.start:span.end]
            tail = _DATE_OR_PHONE.search(surface)
            if tail is None and span.label in _DESCRIBED:
                tail = _DESCRIPTION.search(surface)
            if tail is not None and any(c.isupper() for c in surface[:tail.start()]):
                span = _span(text, span.start, span.start + tail.start(), span.label)
        out.append(span)
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘'(\n-]\s*|\n\s*)$")
COMMON_SHARE = 2
"""A word written in lower case this many times as often as capitalised (away from the start
of a sentence) is a common word."""
COMMON_MIN = 3
"""... and at least this many times."""


def word_cases(texts: list[str]) -> tuple[Counter[str], Counter[str]]:
    """How often the batch writes each word in lower case, and capitalised away from the start
    of a sentence (keys in lower case)."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group(0)
            if word.islower():
                lower[word] += 1
            elif word[0].isupper() and not word.isupper() and \
                    not _SENTENCE_START.search(text, max(0, match.start() - 3), match.start()):
                capital[word.lower()] += 1
    return lower, capital


def _common(word: str, lower: Counter[str], capital: Counter[str]) -> bool:
    key = word.lower()
    return word[:1].isupper() and not word.isupper() and lower[key] >= COMMON_MIN \
        and lower[key] >= COMMON_SHARE * capital[key]


def drop_common_words(texts: list[str], docs: list[list[Span]]) -> list[list[Span]]:
    """One-word names the batch mostly writes in lower case dropped, and a capitalised common
    word cut from before a person's full name (see the module docstring)."""
    lower, capital = word_cases(texts)
    out = []
    for text, spans in zip(texts, docs):
        kept = []
        for span in spans:
            if span.label in NAME_LABELS:
                words = span.name.split(" ")
                if len(words) == 1 and _common(words[0], lower, capital):
                    continue
                if span.label == "PERSON" and len(words) >= 3 and _common(words[0], lower, capital) \
                        and text.startswith(words[0] + " ", span.start):
                    span = _span(text, span.start + len(words[0]) + 1, span.end, "PERSON")
            kept.append(span)
        out.append(kept)
    return out


_POSSESSIVE_BEFORE = re.compile(r"\s?['’]s\s$")


def _owned(text: str, spans: list[Span]) -> set[str]:
    ends = {s.end for s in spans if s.label == "ORG"}
    owned = set()
    for span in spans:
        if span.label in ("ORG", "GPE"):
            before = _POSSESSIVE_BEFORE.search(text, max(0, span.start - 4), span.start)
            if before is not None and before.start() in ends:
                owned.add(span.name)
    return owned


def owned_products(texts: list[str], docs: list[list[Span]]) -> list[list[Span]]:
    """A name the model calls an organisation or a place, written right after an organisation's
    possessive ("Apple's iPod", "Microsoft's Xbox"), is a product in every article of the batch."""
    owned = set().union(*(_owned(text, spans) for text, spans in zip(texts, docs)))
    return [[replace(s, label="PRODUCT") if s.name in owned and s.label in ("ORG", "GPE") else s
             for s in spans] for spans in docs]


_PREFIXED = re.compile(r"(?:pro|anti|non|ex|post|pre|mid|neo|pan)-")


def drop_prefixed(spans: list[Span]) -> list[Span]:
    """Names that begin with a lower-case prefix ("pro-Chavez", "anti-Jewish", "non-EU") are
    words about a name, not names."""
    return [s for s in spans if not (s.label in NAME_LABELS and _PREFIXED.match(s.name))]


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|my|your|our|their|this|new)\s$")
_NOUN_AFTER = re.compile(
    r"\s?(?:[.,;:!?)\"”]|['’]s\b|\s(?:is|was|are|were|has|had|have|will|would|can|could|and|or|to|of|in"
    r"|on|at|for|with|which|that|also|from|by)\b)")


def drop_things(text: str, spans: list[Span]) -> list[Span]:
    """Person mentions of a name the article writes as a thing, after a determiner and before
    a verb, a small word or punctuation ("the Mac Mini was", "his Mac Mini to"), are dropped; "the
    Clinton campaign" or "a Rios rooting section" use a person's name as a noun's modifier."""
    things = {text[s.start:s.end] for s in spans if s.label == "PERSON"
              and _DETERMINER_BEFORE.search(text, max(0, s.start - 7), s.start)
              and _NOUN_AFTER.match(text, s.end)}
    return [s for s in spans if not (s.label == "PERSON" and text[s.start:s.end] in things)]
