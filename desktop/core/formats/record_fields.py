"""What the fields of one exported record mean: which names fill an article's title, text,
date, source, author, url and language, and how their values are read.

Scrapers and feeds name the same thing in many ways (``articleBody``, ``article_body``,
``Article Body``; ``pubDate``, ``published_at``, ``datePublished``; ``dc:creator``), so a
field name is compared without case, spaces, underscores, hyphens, dots or a namespace
prefix, and each article field takes the first non-empty of its names in ``FIELDS`` order (the
date: the first that reads as a date).
A ``description`` or ``summary`` fills the text only when no body field has any; a record with
no title takes the headline its text opens with, as a text file does.
A value may be an object: WordPress's ``{"rendered": "<p>…"}`` is read as the HTML it holds,
an author or outlet ``{"name": …}`` as its name, and a list of either as its items.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from .. import newsmeta_dates as dates
from .. import newsmeta_ru as ru
from ..encoding import without_character_references
from ..newsmeta import extract_news
from . import Article

TEXT_FIELDS = (
    "text", "body", "content", "articlebody", "articletext", "maintext", "fulltext", "contenttext", "contenthtml",
)
TEXT_FALLBACKS = ("description", "summary")
FIELDS = {
    "text": TEXT_FIELDS + TEXT_FALLBACKS,
    "date": (
        "date", "published", "publishedat", "datepublished", "pubdate", "publishdate", "publicationdate",
        "publishedtime", "dategmt",
    ),
    "title": ("title", "headline"),
    "source": ("source", "publisher", "sitename", "outlet"),
    "author": ("author", "byline", "creator", "authors"),
    "url": ("url", "link", "permalink", "canonicalurl"),
    "language": ("language", "lang", "inlanguage"),
}
OPTIONAL_FIELDS = ("source", "author", "url", "language")
TITLE_SHOWN_CHARS = 60
DATE_LANGUAGES = ["en", "ru", "zh"]

_SEPARATORS = re.compile(r"[\s_.\-]+")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DATE_FORMS = (
    (re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})\b"), ("day", "month", "year")),
    (re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b"), ("month", "day", "year")),
)
# a relative date ("yesterday", "вчера", "2 days ago") was relative to when the record was scraped,
# not to the import, and dates nothing
_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["year", "month"],
    "PREFER_DAY_OF_MONTH": "first",
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}
# "Опубликовано: ", "Date: " before a date only dateparser reads
_LEADING_LABEL = re.compile(r"^[^\W\d][^\d:：]{0,30}[:：]\s*")
_HTML_MARKUP = re.compile(
    r"</(?:p|div|span|a|li|ul|ol|h[1-6]|td|tr|table|blockquote|strong|em|b|i|section|article|figure|script|style)\s*>"
    r"|<br\s*/?>",
    re.IGNORECASE,
)
_NOTHING: tuple[str, Any] = ("", None)
_SPACES = re.compile(r"\s+")
_TITLE_SHOWN = re.compile(r" in “[^”]*”")
_JOINERS = {"text": "\n\n"}


def field_name(key: Any) -> str:
    """``key`` as ``FIELDS`` names it: "Published At", "published_at", "publishedAt" and
    "dc:publishedAt" are all "publishedat"."""
    name = str(key).strip().rsplit(":", 1)[-1]
    return _SEPARATORS.sub("", name).casefold()


def has_text_field(names: Any, *, fallbacks: bool = False) -> bool:
    """Whether any of ``names`` (record keys or CSV column names) is a body field, or with
    ``fallbacks`` a field that can stand in for one (a description)."""
    wanted = FIELDS["text"] if fallbacks else TEXT_FIELDS
    return any(field_name(name) in wanted for name in names)


def iso_date(value: str, *, day_first: bool = False) -> str | None:
    """``value`` as an ISO date (YYYY-MM-DD), or None when it names no day of a known month and year.

    ISO dates and times and English "5 March 2019" / "March 5, 2019" forms are read directly,
    then a full date anywhere in the value as news text writes it, behind a label too
    ("Опубликовано: 13.03.2019 10:22", "发布时间：2019-03-13", "来源：新华网 2019年3月13日"); a dotted
    date is day.month.year. Anything else goes to dateparser in English, Russian or Chinese,
    which reads a slash date month first unless ``day_first`` (a Russian record).
    """
    value = value.strip()
    if _ISO_DAY.match(value):
        return _checked_day(value[:10])
    return _date_in_words(value, day_first)


@functools.lru_cache(maxsize=4096)
def _checked_day(day: str) -> str | None:
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _date_in_words(value: str, day_first: bool) -> str | None:
    for pattern, order in _DATE_FORMS:
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, match.groups()))
            month = _MONTHS.get(parts["month"][:3].lower(), 0)
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
            except ValueError:
                return None
    if not value or len(value) > 64:
        return None
    found = dates.find_date(value) or dates.local_date(value)
    if found:
        return found
    import dateparser

    settings = dict(_DATEPARSER_SETTINGS, DATE_ORDER="DMY") if day_first else _DATEPARSER_SETTINGS
    parsed = dateparser.parse(_LEADING_LABEL.sub("", value), languages=DATE_LANGUAGES, settings=settings)
    return parsed.date().isoformat() if parsed else None


def why_no_text(record: dict[str, Any]) -> str:
    """The problem of a record ``record_to_article`` found no text in, for a person: its title
    (when it has one) and whether its text field is empty or missing."""
    fields = dict(_plan(tuple(record)).fields)
    text_keys = fields.get("text", ())
    why = f'the "{text_keys[0]}" field is empty' if text_keys else "the record has no text, body or content field"
    title = _SPACES.sub(" ", _first(record, fields.get("title", ()), joiner=", ")[0]).replace("”", '"')
    if len(title) > TITLE_SHOWN_CHARS:
        title = title[: TITLE_SHOWN_CHARS - 1].rstrip() + "…"
    return f"no text in “{title}” ({why})" if title else f"no text ({why})"


def problem_kind(problem: str) -> str:
    """``problem`` without the record's title ``why_no_text`` names, to count problems by kind."""
    return _TITLE_SHOWN.sub("", problem)


def record_to_article(record: dict[str, Any]) -> Article | None:
    """The article a record describes, or None when it has no text."""
    plan = _plan(tuple(record))
    found = {
        name: _first(record, keys, joiner=_JOINERS.get(name, ", ")) for name, keys in plan.fields if name != "date"
    }
    text = _without_markup(found.get("text", _NOTHING)[0])
    if not text:
        return None
    language = found.get("language", _NOTHING)[0]
    day_first = language.casefold().startswith("ru") if language else ru.is_russian(text)
    date_keys = dict(plan.fields).get("date", ())
    published, date_key = _published(record, date_keys, day_first=day_first)
    extra = {str(key): record[key] for key in plan.others if record[key] not in (None, "")}
    if plan.alternatives or (published is None and date_keys):
        used = {key for _, key in found.values()} | {date_key}
        unused = (key for key in plan.aliases if key not in used and _as_text(record[key]))
        extra.update((str(key), record[key]) for key in unused)
    optional = {name: found.get(name, _NOTHING)[0] or None for name in OPTIONAL_FIELDS}
    title = found.get("title", _NOTHING)[0]
    if not title:  # the text opens with its headline, as a text file's does
        headed = extract_news(text)
        title = headed.title
        if title and headed.text.strip():  # the body below it (all of it when that is all there is)
            text = headed.text
    return Article(text=text, title=title, published=published, extra=extra, **optional)


def _published(record: dict[str, Any], keys: tuple[Any, ...], *, day_first: bool) -> tuple[str | None, Any]:
    """The first of the date fields ``keys`` that reads as a date, as an ISO date, and its key."""
    for key in keys:
        value = _as_text(record[key])
        published = iso_date(value, day_first=day_first) if value else None
        if published:
            return published, key
    return None, None


@dataclass(frozen=True)
class _Plan:
    """Where an export's fields are, worked out once per set of field names.

    ``fields`` pairs each known field with the record keys that can fill it (in
    order of preference); ``alternatives`` says some field has more than one.
    """

    fields: tuple[tuple[str, tuple[Any, ...]], ...]
    aliases: tuple[Any, ...]
    others: tuple[Any, ...]
    alternatives: bool


@functools.lru_cache(maxsize=256)
def _plan(keys: tuple[Any, ...]) -> _Plan:
    by_name: dict[str, Any] = {}
    for key in keys:
        by_name.setdefault(field_name(key), key)
    fields = tuple(
        (name, found)
        for name, aliases in FIELDS.items()
        if (found := tuple(by_name[alias] for alias in aliases if alias in by_name))
    )
    known = tuple(key for _, found in fields for key in found)
    return _Plan(
        fields=fields,
        aliases=known,
        others=tuple(key for key in keys if key not in known),
        alternatives=any(len(found) > 1 for _, found in fields),
    )


def _first(record: dict[str, Any], keys: tuple[Any, ...], *, joiner: str) -> tuple[str, Any]:
    """The first non-empty value among ``keys`` as text (a list's items joined by ``joiner``), and its key."""
    for key in keys:
        value = _as_text(record[key], joiner=joiner)
        if value:
            return value, key
    return _NOTHING


def _without_markup(text: str) -> str:
    """The text a browser shows of a body a scraper stored as HTML; any other text with the
    character references a scraper left in it read as their characters, as in a text file
    ("AT&amp;T"; a ticker in angle brackets, "<BAC>", is no markup)."""
    if not _HTML_MARKUP.search(text):
        return without_character_references(text)
    from .html import visible_text

    return visible_text(text)


def _as_text(value: Any, *, joiner: str = "\n\n") -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        if isinstance(value.get("rendered"), str):
            from .html import visible_text

            return visible_text(value["rendered"]).strip()
        return _as_text(value["name"]) if isinstance(value.get("name"), str) else ""
    if isinstance(value, list) and value and all(isinstance(item, (str, dict)) for item in value):
        return joiner.join(item for item in map(_as_text, value) if item)
    return ""
