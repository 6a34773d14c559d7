"""Whether two texts state their facts differently — a figure or a name put in place of another —
which tells notices cast in one mould from copies of one notice.

A bond issue, the Federal Reserve's day's operation or a bank's new prime rate is written from a
template: two such notices share most of their words and differ in the issuer, the amount, the
coupon, the date. Copies of one story do not change its facts; they drop a paragraph, add a byline
or a dateline, change a word here and there. The two texts are aligned word by word (``difflib``),
and each short stretch of one replaced by a stretch of the other (``BLOCK`` words or fewer each:
longer ones are a paragraph dropped beside an outlet's header, not a fact changed) that holds a
figure (or a number word) on both sides, or a capitalised word on both sides, that differ is a
*contradiction*. Two texts contradict each other when there is one, and the contradictions are
at least ``SHARE_OF_FACTS`` of the figures they state (the figures they share plus the
contradictions) and at least ``SHARE_OF_CHANGES`` of the stretches replaced — an edited copy
has many words replaced of which few are facts, a notice of another issue few replaced of which
most are. A text marked as a correction (``wire_corrections``) may change one figure.

The three values were chosen on the tuning halves of ``tests/bench/bench_stories.py``'s sets
(the template notices of ``tests/bench/stories_moulds.py`` among them) and measured on the others.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .wire_corrections import is_correction

BLOCK = 10
SHARE_OF_FACTS = 0.2
SHARE_OF_CHANGES = 0.5
MAX_TOKENS = 400
"""Texts longer than this (in words, figures and Han characters) are not compared: a notice cast
in a mould is short, and aligning two long texts word by word costs the square of their length."""
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]|\d+(?:[-/.,:]\d+)*|[^\W\d{_HAN}][^\W{_HAN}]*")
_FIGURE = re.compile(r"\d+(?:[-/.,:]\d+)*$")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "hundred half quarter один одна два две три четыре пять шесть семь восемь девять десять сто".split())


def _figure(token: str) -> bool:
    return _FIGURE.match(token) is not None or token.lower() in _NUMBER_WORDS


def _name(token: str) -> bool:
    return token[:1].isupper() and _FIGURE.match(token) is None


def _differ(ours: list[str], theirs: list[str], kind) -> bool:
    mine = {t.lower() for t in ours if kind(t)}
    other = {t.lower() for t in theirs if kind(t)}
    return bool(mine) and bool(other) and mine != other


def contradict(a: str, b: str) -> bool:
    """Whether texts ``a`` and ``b`` state different facts where they say the same thing (see the
    module docstring): notices of two issues cast in one mould do, copies of one notice do not."""
    if a == b:
        return False
    ours, theirs = _TOKEN.findall(a), _TOKEN.findall(b)
    if max(len(ours), len(theirs)) > MAX_TOKENS:
        return False
    matcher = SequenceMatcher(None, [t.lower() for t in ours], [t.lower() for t in theirs], autojunk=False)
    figures = names = agreeing = changes = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            agreeing += sum(1 for t in ours[i1:i2] if _figure(t))
        elif op == "replace" and i2 - i1 <= BLOCK and j2 - j1 <= BLOCK:
            changes += 1
            figures += _differ(ours[i1:i2], theirs[j1:j2], _figure)
            names += _differ(ours[i1:i2], theirs[j1:j2], _name)
    found = figures + names
    if names == 0 and (is_correction(None, a) or is_correction(None, b)):
        found = max(0, figures - 1)  # a correction changes a figure of the story it corrects
    return found >= 1 and found >= SHARE_OF_FACTS * (found + agreeing) and found >= SHARE_OF_CHANGES * changes
