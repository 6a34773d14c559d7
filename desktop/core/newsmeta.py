"""News metadata and boilerplate in plain article text: headline, date, outlet, byline, clean body.

Text copied from news sites carries the page around the article: breadcrumbs,
navigation menus, font-size widgets, "Related news" blocks, copyright footers.
``extract_news`` finds the headline among the lines above the first body
paragraph, reads the dateline and byline rows (and drops them from the body),
and removes page furniture while keeping every body line exactly as written.

Everything here is a regular expression or a line-shape rule; ``dateparser`` is
imported only for a labelled date ("Updated: …") that the patterns cannot read.
Fields the text does not give stay ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .formats import Article

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<{g}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
    re.compile(
        rf"\b{_MONTH.format(g='mon')}\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?P<d>\d{{1,2}}){_ORDINAL}\s+{_MONTH.format(g='mon')},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
    ),
)
_FOUR_DIGITS = re.compile(r"\d{4}")
_TIME = r"(?:[T\s]*\d{1,2}:\d{2}(?::\d{2})?)?"
_LEADING_DATE = re.compile(
    rf"^(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}"
    rf"|{_MONTH.format(g='m1')}\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"
    rf"|\d{{1,2}}{_ORDINAL}\s+{_MONTH.format(g='m2')},?\s+\d{{4}}){_TIME}\s*",
    re.IGNORECASE,
)

_LABELS = r"Updated|Published|Posted|Released|Date|Time|Source|From|Author|Editor|Reporter|By"
_LABEL = re.compile(rf"(?<![A-Za-z])(?P<label>{_LABELS})\s*[:：]\s*", re.IGNORECASE)
_LABEL_VALUE_END = re.compile(rf"\s*(?:\||$|(?<![A-Za-z])(?:{_LABELS})\s*[:：])", re.IGNORECASE)
_BYLINE = re.compile(
    r"^By\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|bin|al))*)"
    r"(?=\s*(?:\||,|$|\s+and\s|\s+in\s))"
)
_OUTLETS = (
    r"Xinhua(?:net)?|Reuters|AFP|AP|Associated Press|TASS|ITAR-TASS|RIA Novosti|Sputnik|Interfax"
    r"|China News Service|ECNS|CGTN|CCTV|Global Times|China Daily|People's Daily(?: Online)?"
    r"|Science and Technology Daily|China Science Daily|Rossiyskaya Gazeta|Kommersant|RT|BBC|UPI"
)
_OUTLET_AT_START = re.compile(rf"^(?P<outlet>{_OUTLETS})\b")
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?P<domain>(?:[a-z0-9-]+\.)+(?:com|net|org|cn|ru|gov|edu|info|int)(?:\.[a-z]{2})?)"
    r"(?![\w.-])"
)
_LEAD_AGENCY = re.compile(rf"^[A-Z][^()\n]{{0,80}}?\((?P<outlet>{_OUTLETS})\)\s*(?:--|—|–|-|:)")

_HOME_CRUMB = re.compile(r"^(?:Home|Homepage|Main page|Главная|首页)\s*(?:>|/|»|›|\|)", re.IGNORECASE)
_CRUMB_MARK = re.compile(" [>/»›] ")
_CRUMB_SEPARATOR = re.compile(r"\s+(?:>|»|›|/)\s+")
_WIDGET = re.compile(
    r"^[【\[]?\s*(?:Fonts?|Text|Font size|Size)\s*:\s*(?:A\s*[+-]?\s*)+(?:Print)?\s*[】\]]?$"
    r"|^(?:A\s*[+-]?\s*){3,}(?:Print)?$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:related (?:news|articles|stories|links)|more ?(?:photos?|videos?|top news|news|stories)"
    r"|most (?:popular|read|viewed|shared)(?: (?:news|stories|articles|today|this week|in \w+))?"
    r"|editor'?s'? (?:picks?|choice)|back to top\W*"
    r"|source link|print(?: this)?|share(?: this(?: article| story)?)?|e-?mail|recommended(?: for you)?"
    r"|read more|top stories|latest news|you may also like|also read|app download)$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_NUMBER_ONLY = re.compile(r"^[\d\W_]{1,8}$")
_FOOTER = re.compile(
    r"^(?:copyright\b|©|\(c\)\s)|all rights reserved|without (?:prior )?(?:written )?permission"
    r"|^reproduction\b|^(?:privacy policy|terms of (?:use|service))\b",
    re.IGNORECASE,
)
_SENTENCE_ENDS = frozenset(".!?…:;")
_CLOSING = "\"”’')]"
_TRAILING_DASH = re.compile(r"\s*[-–—]+\s*$")

TITLE_MIN_WORDS = 3
BODY_LINE_MIN_WORDS = 12
BODY_LINE_ANY_WORDS = 40
SENTENCE_MIN_WORDS = 4
SHORT_LINE_WORDS = 3
NAV_RUN_MIN_LINES = 4
META_MAX_WORDS = 30
FOOTER_MAX_CHARS = 300


@dataclass
class _Meta:
    """The metadata fields found so far; the first value found for a field wins."""

    published: str | None = None
    source: str | None = None
    author: str | None = None

    def fill(self, other: _Meta) -> None:
        """Take each field of ``other`` that this one lacks."""
        self.published = self.published or other.published
        self.source = self.source or other.source
        self.author = self.author or other.author


def extract_news(text: str) -> Article:
    """Headline, published date (ISO), outlet, byline and the cleaned body of one article's text.

    The body keeps every article line exactly; paragraphs are separated by one
    blank line and the headline is not repeated in it.
    """
    lines = [line.strip() for line in text.split("\n")]
    title_at = _title_index(lines, _first_body_line(lines))
    title = _TRAILING_DASH.sub("", lines[title_at]) if title_at >= 0 else ""
    body = lines[title_at + 1 :]
    header_end = _header_end(body, title=lines[title_at] if title_at >= 0 else None)
    meta = _Meta()
    for line in [*lines[: max(title_at, 0)], *body[:header_end]]:
        found = _meta_of(line)
        if found is not None:
            meta.fill(found)
    paragraphs = _paragraphs(strip_boilerplate(body[header_end:]))
    if paragraphs:
        meta.fill(_lead_meta(paragraphs[0]))
    return Article(
        text="\n\n".join(paragraphs),
        title=title,
        published=meta.published,
        source=meta.source,
        author=meta.author,
    )


def strip_boilerplate(lines: list[str]) -> list[str]:
    """Drop page furniture from stripped body lines: widgets, menus, navigation runs, the footer.

    Only whole lines that are never article sentences go; a copyright or
    reproduction notice is dropped only from the end of the text.
    """
    lines = [line for line in lines if not _is_junk(line)]
    lines = _drop_navigation_runs(lines)
    end = len(lines)
    while end and _is_tail_junk(lines[end - 1]):
        end -= 1
    return lines[:end]


def find_date(text: str) -> str | None:
    """The first full calendar date (day, month and year) in ``text`` as YYYY-MM-DD, or None."""
    if not _FOUR_DIGITS.search(text):
        return None
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _iso(match)
            if iso:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else int(groups["m"])
    try:
        day = dt.date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    return day.isoformat() if 1800 <= day.year <= 2200 else None


def _more_words_than(line: str, limit: int) -> bool:
    """Whether ``line`` has more than ``limit`` words (counting no further than needed)."""
    return len(line.split(None, limit)) > limit


def _is_short(line: str, words: int) -> bool:
    """A short line that is not a sentence: a menu item, a heading, a label."""
    return not _more_words_than(line, words) and not _ends_sentence(line)


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSING)[-1:] in _SENTENCE_ENDS


def _is_body_line(line: str) -> bool:
    """A line that can only be article text: long, or a sentence closed by a full stop.

    Headlines rarely end in a full stop, so a question or exclamation stays a
    headline candidate unless it is long.
    """
    count = len(line.split(None, BODY_LINE_ANY_WORDS))
    if count >= BODY_LINE_ANY_WORDS:
        return True
    if count >= BODY_LINE_MIN_WORDS and _ends_sentence(line):
        return True
    return count >= SENTENCE_MIN_WORDS and _ends_with_full_stop(line)


def _first_body_line(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if _is_body_line(line)), len(lines))


def _header_end(lines: list[str], *, title: str | None) -> int:
    """Where the body starts below the headline: after its dateline, byline, widget rows and repeats."""
    for index, line in enumerate(lines):
        if line and line != title and _meta_of(line) is None and not _is_head_junk(line):
            return index
    return len(lines)


def _title_index(lines: list[str], body_start: int) -> int:
    """The headline's line: the first line of several words above the body, else the last short one."""
    candidates = [
        i
        for i in range(body_start)
        if _could_be_title(lines[i]) and _meta_of(lines[i]) is None
    ]
    long_enough = [i for i in candidates if _more_words_than(lines[i], TITLE_MIN_WORDS - 1)]
    if long_enough:
        return long_enough[0]
    return candidates[-1] if candidates else -1


def _could_be_title(line: str) -> bool:
    """A headline does not open with a lower-case word, nor end in one full stop like a sentence."""
    return bool(line) and not (
        _is_head_junk(line) or _opens_lower_case(line) or _ends_with_full_stop(line)
    )


def _ends_with_full_stop(line: str) -> bool:
    """Ends like a sentence: in one full stop that closes no abbreviation ("U.S."), not in capitals."""
    stripped = line.rstrip(_CLOSING)
    if not stripped.endswith(".") or stripped.endswith("..") or line.isupper():
        return False
    return "." not in stripped.rsplit(None, 1)[-1][:-1]


def _opens_lower_case(line: str) -> bool:
    first = line.split()[0]
    return first[0].isalpha() and first.islower()


def _is_head_junk(line: str) -> bool:
    """Furniture above the body: anything ``_is_junk`` finds, plus lone numbers and symbols."""
    return _is_junk(line) or bool(_NUMBER_ONLY.match(line))


def _is_junk(line: str) -> bool:
    """Page furniture recognisable from the line alone (never a sentence of an article)."""
    if not line:
        return False
    return bool(
        _FURNITURE.match(line)
        or _WIDGET.match(line)
        or _is_breadcrumb(line)
        or ("|" in line and _is_link_row(line))
    )


def _is_breadcrumb(line: str) -> bool:
    """``Home > Announcement Board``, ``World / Asia / China``: a path of section names."""
    if _HOME_CRUMB.match(line):
        return True
    if not _CRUMB_MARK.search(line):
        return False
    parts = _CRUMB_SEPARATOR.split(line)
    return len(parts) >= 3 and all(_is_short(part, 4) for part in parts)


def _is_link_row(line: str) -> bool:
    parts = [part.strip() for part in line.split("|")]
    return len(parts) >= 3 and all(_is_short(part, 4) for part in parts)


def _is_tail_junk(line: str) -> bool:
    return not line or (len(line) <= FOOTER_MAX_CHARS and bool(_FOOTER.search(line)))


def _drop_navigation_runs(lines: list[str]) -> list[str]:
    """Remove runs of consecutive one-to-three-word lines without figures (a menu pasted as text)."""
    kept: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if line and _is_short(line, SHORT_LINE_WORDS) and not _DIGIT.search(line):
            run.append(line)
            continue
        if len(run) < NAV_RUN_MIN_LINES:
            kept.extend(run)
        run = []
        kept.append(line)
    return kept[:-1]


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def _meta_of(line: str) -> _Meta | None:
    """Date, outlet and byline of a dateline or byline row; None for a line that is neither."""
    if not line or _more_words_than(line, META_MAX_WORDS):
        return None
    byline = _BYLINE.match(line)
    leading = _LEADING_DATE.match(line)
    labels = list(_LABEL.finditer(line))
    if not (byline or leading or labels):
        return None
    meta = _Meta(author=byline.group("name") if byline else None)
    for label in labels:
        meta.fill(_labelled(label.group("label").lower(), _label_value(line, label.end())))
    if leading:
        meta.fill(_Meta(published=find_date(leading.group(0))))
        meta.fill(_Meta(source=_outlet_at(line[leading.end():])))
    if "|" in line:
        for part in line.split("|"):
            meta.fill(_Meta(source=_outlet_at(part.strip())))
    meta.fill(_Meta(published=find_date(line)))
    return meta


def _label_value(line: str, start: int) -> str:
    end = _LABEL_VALUE_END.search(line, start)
    return line[start : end.start() if end else len(line)].strip()


def _labelled(label: str, value: str) -> _Meta:
    if not value:
        return _Meta()
    if label in ("source", "from"):
        return _Meta(source=value)
    if label in ("author", "reporter", "by"):
        return _Meta(author=value)
    if label == "editor":
        return _Meta()
    return _Meta(published=find_date(value) or _parse_loose_date(value))


def _outlet_at(text: str) -> str | None:
    outlet = _OUTLET_AT_START.match(text)
    if outlet:
        return outlet.group("outlet")
    domain = _DOMAIN.match(text)
    return domain.group("domain") if domain else None


def _lead_meta(lead: str) -> _Meta:
    """The first full date of the lead paragraph, and an agency dateline ("BEIJING (Xinhua) --")."""
    agency = _LEAD_AGENCY.match(lead)
    return _Meta(published=find_date(lead), source=agency.group("outlet") if agency else None)


def _parse_loose_date(value: str) -> str | None:
    """A labelled date the patterns cannot read ("15 сентября 2017"), through dateparser."""
    import dateparser

    parsed = dateparser.parse(
        value[:60], settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    return parsed.date().isoformat() if parsed else None
