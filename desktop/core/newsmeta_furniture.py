"""Page furniture in the lines of an article's text, and the line measures it is judged by.

``strip_boilerplate`` drops what a news page puts around an article: font-size widgets,
menu headings, breadcrumbs, rows of links, navigation menus pasted as text, "Related news"
blocks with the headlines under them and the copyright footer, keeping every body line as
written. ``is_head_junk`` tells the same furniture above a body (``newsmeta`` skips it when it
looks for the headline), and ``more_words_than``, ``word_count`` and ``ends_sentence`` measure
a line as both modules read it (Han text by characters, ``newsmeta_cjk``).
"""

from __future__ import annotations

import re

from . import newsmeta_cjk as zh
from . import newsmeta_ru as ru

_CRUMB_SEPARATOR = re.compile(r"\s+(?:>|»|›|/)\s+")
# A whole line of page furniture: a menu heading, a font-size widget, or a breadcrumb from "Home".
_FURNITURE_LINE = (
    r"(?:related (?:news|articles|stories|links)|more ?(?:photos?|videos?|top news|news|stories)"
    r"|most (?:popular|read|viewed|shared)(?: (?:news|stories|articles|today|this week|in \w+))?"
    r"|editor'?s'? (?:picks?|choice)|back to top\W*"
    r"|source link|print(?: this)?|share(?: this(?: article| story)?)?|e-?mail|recommended(?: for you)?"
    r"|read more|top stories|latest news|you may also like|also read|app download"
    r"|[【\[]?\s*(?:Fonts?|Text|Font size|Size)\s*:\s*(?:A\s*[+-]?\s*)+(?:Print)?\s*[】\]]?"
    r"|(?:A\s*[+-]?\s*){3,}(?:Print)?)$"
    r"|(?:Home|Homepage|Main page|Главная|首页)\s*(?:>|/|»|›|\|)"
    rf"|(?:{ru.FURNITURE}|{zh.FURNITURE})$"
)
_FURNITURE = re.compile(_FURNITURE_LINE, re.IGNORECASE)
# The heading of a block of links to other stories, alone on its line or before one link
# ("Читайте также: Путин призвал …"): the links under it are other stories' headlines.
_RELATED = re.compile(
    r"(?:related (?:news|articles|stories|links)|more (?:top news|news|stories)|read more|also read"
    rf"|you may also like|{ru.RELATED}|{zh.RELATED})\s*(?:[:：—–-]\s*(?P<link>.*))?$",
    re.IGNORECASE,
)
# The same lines inside a whole text framed by newlines (a quick look before going line by line).
_FURNITURE_IN_TEXT = re.compile(rf"\n(?:{_FURNITURE_LINE})", re.IGNORECASE | re.MULTILINE)
_CRUMB_MARK = re.compile(" [>/»›] ")
_NUMBER_ONLY = re.compile(r"^[\d\W_]{1,8}$")
_FOOTER = re.compile(
    r"^(?:copyright\b|©|\(c\)\s)|all rights reserved|without (?:prior )?(?:written )?permission"
    r"|^reproduction\b|^(?:privacy policy|terms of (?:use|service))\b",
    re.IGNORECASE,
)
_SENTENCE_ENDS = frozenset(".!?…:;" + zh.SENTENCE_ENDS)
CLOSING = "\"”’')]" + zh.CLOSING

SHORT_LINE_WORDS = 3
NAV_RUN_MIN_LINES = 4
FOOTER_MAX_CHARS = 300
RELATED_LINK_MAX_WORDS = 20  # a linked headline, not a sentence of the article

# One to three words without figures (a menu item, unless it closes a sentence).
_FEW_WORDS = re.compile(rf"[^\s\d]+(?:\s+[^\s\d]+){{0,{SHORT_LINE_WORDS - 1}}}")


def strip_boilerplate(lines: list[str], *, extracted: bool = False) -> list[str]:
    """Drop page furniture from stripped body lines: widgets, menus, navigation runs, the footer.

    Only whole lines that are never article sentences go; a copyright or
    reproduction notice is dropped only from the end of the text. A "Related news" or
    "Читайте также" heading goes with the headlines linked under it. Of a page's main text
    (``extracted``: menus already gone) only widget lines and the footer go, so that a list
    of short items or a table row ("Moscow | 12 | 15") of the article stays.
    """
    lines = _drop_related_links(lines)
    if extracted:
        lines = [line for line in lines if not (line and _FURNITURE.match(line))]
    else:
        if _may_hold_junk("\n".join(lines)):
            lines = [line for line in lines if not (line and _is_junk(line))]
        lines = _drop_navigation_runs(lines)
    end = len(lines)
    while end and _is_tail_junk(lines[end - 1]):
        end -= 1
    return lines[:end]


def is_head_junk(line: str) -> bool:
    """Furniture above the body: anything ``_is_junk`` finds, plus lone numbers and symbols."""
    return bool(line) and (_is_junk(line) or bool(_NUMBER_ONLY.match(line)))


def more_words_than(line: str, limit: int) -> bool:
    """Whether ``line`` has more than ``limit`` words (counting no further than needed).

    Han text is measured in characters (``zh.word_count``).
    """
    return word_count(line, limit) > limit


def word_count(line: str, limit: int) -> int:
    """The words of ``line``, counted up to ``limit`` and one more."""
    if zh.has_han(line):
        return min(zh.word_count(line), limit + 1)
    return len(line.split(None, limit))


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends in a sentence's closing mark (before any closing quote or bracket)."""
    return line.rstrip(CLOSING)[-1:] in _SENTENCE_ENDS


def _is_short(line: str, words: int) -> bool:
    """A short line that is not a sentence: a menu item, a heading, a label."""
    return not more_words_than(line, words) and not ends_sentence(line)


def _drop_related_links(lines: list[str]) -> list[str]:
    """Remove each heading of links to other stories with the headlines right under it (up to a
    blank line or a sentence), and a heading followed on its own line by one headline."""
    kept: list[str] = []
    in_links = False
    for line in lines:
        if in_links and line and _is_related_link(line):
            continue
        heading = _RELATED.match(line) if line else None
        in_links = heading is not None and not heading.group("link")
        if heading is None or not (in_links or _is_related_link(heading.group("link"))):
            kept.append(line)
    return kept


def _is_related_link(line: str) -> bool:
    return _is_short(line, RELATED_LINK_MAX_WORDS)


def _is_junk(line: str) -> bool:
    """Page furniture recognisable from the (non-empty) line alone, never a sentence of an article."""
    return bool(
        _FURNITURE.match(line)
        or (_CRUMB_MARK.search(line) and _is_short_parts(_CRUMB_SEPARATOR.split(line)))
        or ("|" in line and _is_short_parts([part.strip() for part in line.split("|")]))
    )


def _may_hold_junk(text: str) -> bool:
    """Whether any line of ``text`` could be junk: one quick look at the whole text."""
    return "|" in text or bool(_CRUMB_MARK.search(text) or _FURNITURE_IN_TEXT.search(f"\n{text}\n"))


def _is_short_parts(parts: list[str]) -> bool:
    """A breadcrumb (``World / Asia / China``) or a row of links: three or more short names."""
    return len(parts) >= 3 and all(_is_short(part, 4) for part in parts)


def _is_tail_junk(line: str) -> bool:
    return not line or (len(line) <= FOOTER_MAX_CHARS and bool(_FOOTER.search(line)))


def _is_menu_item(line: str) -> bool:
    """A line of a menu: one to three words without figures that does not close a sentence."""
    return bool(_FEW_WORDS.fullmatch(line)) and not ends_sentence(line)


def _drop_navigation_runs(lines: list[str]) -> list[str]:
    """Remove runs of consecutive one-to-three-word lines without figures (a menu pasted as text).

    Every run long enough to go holds one of every ``NAV_RUN_MIN_LINES``-th
    line, so only those lines are tried before a run is followed both ways.
    """
    dropped: set[int] = set()
    for probe in range(NAV_RUN_MIN_LINES - 1, len(lines), NAV_RUN_MIN_LINES):
        if probe in dropped or not _is_menu_item(lines[probe]):
            continue
        start, end = probe, probe + 1
        while start and _is_menu_item(lines[start - 1]):
            start -= 1
        while end < len(lines) and _is_menu_item(lines[end]):
            end += 1
        if end - start >= NAV_RUN_MIN_LINES:
            dropped.update(range(start, end))
    if not dropped:
        return lines
    return [line for index, line in enumerate(lines) if index not in dropped]
