"""Dates in news text: full calendar dates in English, Russian and Chinese forms, as ISO days.

``find_date`` reads the first full date (day, month and year) of a text by looking only
around its plausible years; ``local_date`` the first Russian ("13 марта 2019 года") or
Chinese ("2019年3月13日") one; ``loose_date`` hands a labelled value the patterns cannot read to
``dateparser``. The patterns of a date line's opening (``LEADING_DATE`` and its kin) serve
``desktop.core.newsmeta``, which decides which lines are date lines.
"""

from __future__ import annotations

import datetime as dt
import re

from . import newsmeta_cjk as zh
from . import newsmeta_ru as ru

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH = (
    r"(?P<{g}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# What every month name in a date starts with, matched as the date patterns match it ("ſep" too).
_MONTH_START = re.compile("|".join(_MONTHS), re.IGNORECASE)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR_FIRST_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_DOTTED_DATE = re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")
_MONTH_NAME_DATES = (
    re.compile(
        rf"\b{MONTH.format(g='mon')}\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?P<d>\d{{1,2}}){_ORDINAL}\s+{MONTH.format(g='mon')},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
    ),
)
# Every date above holds its year as a run of exactly four digits; _iso accepts 1800-2200.
_YEAR = re.compile(r"(?:1[89]\d\d|2[01]\d\d|2200)(?<!\d{5})(?!\d)")
DATE_REACH_BEFORE_YEAR = 64  # "September 30th, " and the like: a date starts this close to its year
DATE_REACH_AFTER_YEAR = 7  # "-12-31" and the character after it
_TIME = r"(?:[T\s]*\d{1,2}:\d{2}(?::\d{2})?)?"
LEADING_DATE = re.compile(
    rf"^(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}"
    rf"|{MONTH.format(g='m1')}\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"
    rf"|\d{{1,2}}{_ORDINAL}\s+{MONTH.format(g='m2')},?\s+\d{{4}}){_TIME}\s*",
    re.IGNORECASE,
)


def _unnamed(pattern: str) -> str:
    """``pattern`` with its named groups made plain, to join it with another that names the same."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# Russian and Chinese dates are read only in the lines above the body, never in the lead.
_LOCAL_DATES = (re.compile(zh.DATE), re.compile(ru.DATE, re.IGNORECASE))
LOCAL_LEADING_DATE = re.compile(
    rf"^(?:(?:{ru.DATE_LABELS}|{zh.DATE_LABELS})\s*[:：]?\s*)?(?:\d{{1,2}}:\d{{2}},?\s*)?"
    rf"(?:{_unnamed(zh.DATE)}|{_unnamed(ru.DATE)})",
    re.IGNORECASE,
)
TIME_BEFORE_DOTTED_DATE = re.compile(r"^\d{1,2}:\d{2}\s+(?=\d{1,2}\.\d{1,2}\.\d{4})")
# The place a date line names before its date ("Moscow, 21 January 2005", "Москва, 13 марта 2019 года",
# "北京，2021年9月14日").
_PLACE_WORD = r"[^\W\d]+(?:[-'’.][^\W\d]*)*"
PLACE_BEFORE_DATE = re.compile(
    rf"^(?:(?-i:[A-ZА-ЯЁ]){_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}},\s+(?=\d|{_unnamed(MONTH.format(g='m'))}\s+\d)"
    r"|[\u4e00-\u9fff]{2,8}[，,]\s*(?=\d{4}\s*年))",
    re.IGNORECASE,
)
DATE_LABEL_WORD = re.compile(
    rf"^(?:(?:(?:First|Last)\s+)?(?:Published|Updated|Posted)(?:\s+on)?|{ru.DATE_LABELS})\s+(?=\d)", re.IGNORECASE
)


def find_date(text: str) -> str | None:
    """The first full calendar date (day, month and year) in ``text`` as YYYY-MM-DD, or None.

    Only the surroundings of each plausible year are read, so a long text costs
    one quick scan for four-digit numbers.
    """
    for year in _YEAR.finditer(text):
        found = _dates_around(text, year)
        if found:
            return min(found)[1]
    return None


def _date_patterns_for(text: str, year: re.Match[str], *, start: int) -> list[re.Pattern[str]]:
    """The date patterns that could hold ``year``, judged by the characters around it."""
    patterns = []
    if text[year.end() : year.end() + 1] in ("-", "/", "."):
        patterns.append(_YEAR_FIRST_DATE)
    before = text[year.start() - 1 : year.start()] if year.start() else ""
    if before == ".":
        patterns.append(_DOTTED_DATE)
    elif before.isspace() and _MONTH_START.search(text, start, year.start()):
        patterns.extend(_MONTH_NAME_DATES)
    return patterns


def _dates_around(text: str, year: re.Match[str]) -> list[tuple[int, str]]:
    """(position, ISO date) of each pattern's first valid date holding ``year`` or next to it."""
    start = max(year.start() - DATE_REACH_BEFORE_YEAR, 0)
    end = year.end() + DATE_REACH_AFTER_YEAR
    found: list[tuple[int, str]] = []
    for pattern in _date_patterns_for(text, year, start=start):
        for match in pattern.finditer(text, start, end):
            iso = _iso(match)
            if iso:
                found.append((match.start(), iso))
                break
    return found


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("mon"):
        month = _MONTHS[groups["mon"][:3].casefold()]
    elif groups.get("rmon"):
        month = ru.month_number(groups["rmon"])
    else:
        month = int(groups["m"])
    try:
        day = dt.date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    return day.isoformat() if 1800 <= day.year <= 2200 else None


def local_date(text: str) -> str | None:
    """The first Russian ("13 марта 2019 года") or Chinese ("2019年3月13日") date in ``text``."""
    found = [match for pattern in _LOCAL_DATES if (match := pattern.search(text))]
    for match in sorted(found, key=lambda match: match.start()):
        iso = _iso(match)
        if iso:
            return iso
    return None


def loose_date(value: str, *, day_first: bool = False) -> str | None:
    """A labelled date the patterns cannot read ("15 сентября 2017"), through dateparser; a slash
    date ("01/02/2018") is month first unless ``day_first`` (under a Russian label)."""
    import dateparser

    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    parsed = dateparser.parse(value[:60], settings=dict(settings, DATE_ORDER="DMY") if day_first else settings)
    return parsed.date().isoformat() if parsed else None
