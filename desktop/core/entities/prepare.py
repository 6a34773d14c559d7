"""What the entity model sees: each article's text rewritten before the model reads it, at the
same length, so every offset the model finds is an offset of the stored text.

Two steps of ``pipeline.STEPS`` happen here: ``boilerplate`` (navigation, sharing widgets and
copyright lines blanked out with spaces) and ``recase`` (ALL-CAPS headlines and datelines
re-cased from how the body spells the same words).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import groupby

PREPARE_STEPS = frozenset({"boilerplate", "recase"})

_JUNK = re.compile(
    r"(?i)(?:\bprint\b|\bshare (?:this|on)\b|app download|related (?:news|articles|stories)"
    r"|most (?:popular|read)|back to top|copyright|all rights reserved|editor'?s picks"
    r"|\bfonts?\s*:|privacy policy|contact us|about us|subscribe|follow us|click here"
    r"|read more|terms of use|\bupdated\s*:"
    r"|^\s*home\s*[>/»|])"
)
_MENU_MAX_WORDS = 3
_MENU_MIN_RUN = 5
_JUNK_MAX_WORDS = 14


def prepare_text(text: str, *, steps: frozenset[str] = PREPARE_STEPS) -> str:
    """The text the model sees: boilerplate lines blanked, ALL-CAPS lines re-cased, same length."""
    if "boilerplate" in steps:
        text = mask_boilerplate(text)
    if "recase" in steps:
        text = recase_caps(text)
    return text


def _word_count(line: str) -> int:
    return sum(1 for word in line.split() if any(c.isalpha() for c in word))


def _is_menu_line(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _MENU_MAX_WORDS
        and not any(ch.isdigit() for ch in line)
        and not line.isupper()
        and line.rstrip()[-1] not in ".!?:;\"”"
    )


def boilerplate_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that is navigation, sharing widgets or a copyright notice."""
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    junk = {
        (s, e) for s, e, line in lines
        if line.strip() and _word_count(line) <= _JUNK_MAX_WORDS and _JUNK.search(line)  # the cheap test first
    }
    filled = [(s, e, line) for s, e, line in lines if line.strip()]
    for is_menu, group in groupby(filled, key=lambda row: row[:2] in junk or _is_menu_line(row[2])):
        run = [row[:2] for row in group]
        if is_menu and len(run) >= _MENU_MIN_RUN:
            junk.update(run)
    return sorted(junk)


def mask_boilerplate(text: str) -> str:
    """``text`` with boilerplate lines replaced by spaces, so the model never sees them."""
    spans = boilerplate_lines(text)
    if not spans:
        return text
    parts, pos = [], 0
    for s, e in spans:
        parts.append(text[pos:s])
        parts.append(" " * (e - s))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_DATELINE = re.compile(r"\s*[A-Z][A-Z'’.-]+(?:\s[A-Z][A-Z'’.-]+)*(?=\s?,|\s+\(|\s+\d)")


def _is_caps(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _capitalise(word: str) -> str:
    if "." in word or len(word) <= 3:
        return word
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


def recase_caps(text: str) -> str:
    """ALL-CAPS lines (headlines, datelines) re-cased from how the body spells the same words."""
    body: dict[str, Counter[str]] = defaultdict(Counter)
    lines = text.split("\n")
    heads: dict[int, int] = {}
    for i, line in enumerate(lines):
        words = [w for w in _WORD.findall(line) if len(w) > 1]
        if len(words) >= 2 and sum(map(_is_caps, words)) >= 0.7 * len(words):
            heads[i] = len(line)
            continue
        dateline = _DATELINE.match(line)
        if dateline:
            heads[i] = dateline.end()
        for word in _WORD.findall(line, heads.get(i, 0)):
            body[word.lower()][word] += 1

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        if not _is_caps(word):
            return word
        forms = body.get(word.lower())
        new = forms.most_common(1)[0][0] if forms else _capitalise(word)
        return new if len(new) == len(word) else word

    for i, end in heads.items():
        lines[i] = _WORD.sub(recase, lines[i][:end]) + lines[i][end:]
    return "\n".join(lines)
