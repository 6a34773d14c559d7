"""Article exports (.jsonl, .json, .csv): one article per record.

Each record's ``title``, ``text`` (or ``body``, ``content``; HTML there is read as
a browser shows it), ``date`` (or ``published``; a relative date such as "yesterday" dates
nothing), ``source``, ``author``, ``url`` and ``language`` fill the
article; every other field is kept in ``Article.extra``. Field names match
regardless of case. A record that cannot be used (a broken JSON line, a CSV
row with broken quoting, a record without text) becomes a problem naming its
line or row, and the good records still import. A file none of whose records
can be read is refused as a whole. A few stray NUL bytes in a file are removed, and noted
once for the file, as from a text file.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import ImportFailed
from ..encoding import decode_bytes
from ..sniff import FileKind
from . import Article, ParsedFile, contained, register

RECORDS_LIMIT_MB = 200
CSV_FIELD_LIMIT = 2**31 - 1
UNREADABLE_BEFORE_GIVING_UP = 50
TEXT_FIELDS = ("text", "body", "content")
FIELDS = {
    "text": TEXT_FIELDS,
    "date": ("date", "published"),
    "title": ("title",),
    "source": ("source",),
    "author": ("author",),
    "url": ("url",),
    "language": ("language", "lang"),
}
OPTIONAL_FIELDS = ("source", "author", "url", "language")
LIST_KEYS = ("articles", "documents", "records", "items", "data", "results", "entries")
CSV_DELIMITERS = ",;\t|"
NO_TEXT = "no text"
DATE_LANGUAGES = ["en", "ru", "zh"]

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
_HTML_MARKUP = re.compile(
    r"</(?:p|div|span|a|li|ul|ol|h[1-6]|td|tr|table|blockquote|strong|em|b|i|section|article|figure|script|style)\s*>"
    r"|<br\s*/?>",
    re.IGNORECASE,
)
_ACCEPTS = frozenset({FileKind.TEXT})
_NOTHING: tuple[str, Any] = ("", None)
Located = tuple[str, Any]


@register(".jsonl", ".ndjson")
@contained(accepts=_ACCEPTS, expected="a JSON Lines file", limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
def parse_jsonl(data: bytes, path: Path) -> ParsedFile:
    """One article per line of a JSON Lines file; broken lines are problems with their line number."""
    return _collect(_jsonl_records(decode_bytes(data)), expected="a JSON Lines file")


@register(".json")
@contained(accepts=_ACCEPTS, expected="a JSON file", limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
def parse_json(data: bytes, path: Path) -> ParsedFile:
    """One article per record of a JSON array, of the list inside a JSON object, or one object."""
    text = decode_bytes(data)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            where = f"at line {exc.lineno}, column {exc.colno}"
            raise ImportFailed(f"not valid JSON ({exc.msg} {where})") from exc
        return _collect(_jsonl_records(text), expected="a JSON file")
    return _collect(_json_records(value), expected="a JSON file")


@register(".csv", ".tsv")
@contained(accepts=_ACCEPTS, expected="a CSV file", limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
def parse_csv(data: bytes, path: Path) -> ParsedFile:
    """One article per row of a CSV file with a header row naming a text, body or content column."""
    return _collect(_csv_records(decode_bytes(data)), expected="a CSV file")


def iso_date(value: str) -> str | None:
    """``value`` as an ISO date (YYYY-MM-DD), or None when it names no day of a known month and year.

    ISO dates and times and English "5 March 2019" / "March 5, 2019" forms are
    read directly; anything else goes to dateparser in English, Russian or Chinese.
    """
    value = value.strip()
    if _ISO_DAY.match(value):
        return _checked_day(value[:10])
    return _date_in_words(value)


@functools.lru_cache(maxsize=4096)
def _checked_day(day: str) -> str | None:
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _date_in_words(value: str) -> str | None:
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
    import dateparser

    parsed = dateparser.parse(value, languages=DATE_LANGUAGES, settings=_DATEPARSER_SETTINGS)
    return parsed.date().isoformat() if parsed else None


def record_to_article(record: dict[str, Any]) -> Article | None:
    """The article a record describes, or None when it has no text."""
    plan = _plan(tuple(record))
    found = {name: _first(record, keys) for name, keys in plan.fields}
    text = _without_markup(found.get("text", _NOTHING)[0])
    if not text:
        return None
    date_value, date_key = found.get("date", _NOTHING)
    published = iso_date(date_value) if date_value else None
    extra = {str(key): record[key] for key in plan.others if record[key] not in (None, "")}
    if plan.alternatives or (date_value and published is None):
        used = {key for _, key in found.values()} - ({date_key} if published is None else set())
        unused = (key for key in plan.aliases if key not in used and _as_text(record[key]))
        extra.update((str(key), record[key]) for key in unused)
    optional = {name: found.get(name, _NOTHING)[0] or None for name in OPTIONAL_FIELDS}
    title = found.get("title", _NOTHING)[0]
    return Article(text=text, title=title, published=published, extra=extra, **optional)


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
        by_name.setdefault(str(key).strip().lower(), key)
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


def _first(record: dict[str, Any], keys: tuple[Any, ...]) -> tuple[str, Any]:
    """The first non-empty value among ``keys`` as text, and its key."""
    for key in keys:
        value = _as_text(record[key])
        if value:
            return value, key
    return "", None


def _without_markup(text: str) -> str:
    """The text a browser shows of a body a scraper stored as HTML; any other text as it is
    (a ticker in angle brackets, "<BAC>", is no markup)."""
    if not _HTML_MARKUP.search(text):
        return text
    from .html import visible_text

    return visible_text(text)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return "\n\n".join(item.strip() for item in value if item.strip())
    return ""


def _jsonl_records(text: str) -> Iterator[Located]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line {number}", _Unreadable(f"not valid JSON ({exc.msg})")
        except RecursionError:
            yield f"line {number}", _Unreadable("JSON nested too deeply")


def _json_records(value: Any) -> Iterator[Located]:
    if isinstance(value, dict):
        value = _record_list(value)
    if not isinstance(value, list):
        raise ImportFailed("JSON holds no articles (expected an array of objects, or an object with text)")
    for number, record in enumerate(value, 1):
        yield f"record {number}", record


def _record_list(value: dict[str, Any]) -> list[Any] | Any:
    """The list of records inside a JSON object, or the object itself when it is one article."""
    lowered = {str(key).lower(): item for key, item in value.items()}
    if any(name in lowered for name in TEXT_FIELDS):
        return [value]
    lists = [lowered[key] for key in LIST_KEYS if isinstance(lowered.get(key), list)]
    lists += [item for item in value.values() if isinstance(item, list)]
    return lists[0] if lists else value


def _csv_records(text: str) -> Iterator[Located]:
    # The csv module's default limit of 128 KB per field is smaller than some article bodies.
    csv.field_size_limit(CSV_FIELD_LIMIT)
    lines = io.StringIO(text, newline="").readlines()
    delimiter = _delimiter(lines)
    header = [name.strip() for name in next(csv.reader(lines[:1], delimiter=delimiter))]
    if not any(name.lower() in TEXT_FIELDS for name in header):
        raise ImportFailed("CSV has no text column (expected text, body or content)")
    for number, row in _csv_rows(lines, delimiter=delimiter, width=len(header)):
        yield f"row {number}", dict(zip(header, row)) if isinstance(row, list) else row


def _delimiter(lines: list[str]) -> str:
    """The delimiter named by an Excel ``sep=`` line (which is then dropped), else the header's commonest."""
    if lines and lines[0].lower().startswith("sep=") and len(lines[0].rstrip("\r\n")) == 5:
        return lines.pop(0)[4]
    if not lines:
        raise ImportFailed("CSV has no header row")
    return max(CSV_DELIMITERS, key=lines[0].count)


def _csv_rows(
    lines: list[str], *, delimiter: str, width: int
) -> Iterator[tuple[int, list[str] | _Unreadable]]:
    """The data rows (numbered as in a spreadsheet, header = row 1), resuming after broken quoting.

    A quote that never closes swallows the lines after it; such a row is
    reported and reading starts again on the line after its first line.
    """
    row_number, start = 1, 1
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter, strict=True)
        first, broken = start, False
        try:
            for row in reader:
                row_number += 1
                broken = len(row) != width and start + reader.line_num - first > 1
                if broken:
                    break
                if len(row) > width:
                    yield row_number, _Unreadable(f"has {len(row)} fields, the header has {width}")
                elif row:
                    yield row_number, row
                first = start + reader.line_num
        except csv.Error:
            row_number, broken = row_number + 1, True
        if broken:
            yield row_number, _Unreadable(f"broken quoting from line {first + 1} — row skipped")
        start = first + 1 if broken else len(lines)


class _Unreadable(str):
    """A record that could not even be read (as opposed to one without text)."""


class _Collector:
    """Turns located records into articles and numbered problems, giving up on a file of junk."""

    def __init__(self, *, expected: str) -> None:
        self.expected = expected
        self.articles: list[Article] = []
        self.problems: list[str] = []
        self.unreadable = 0

    def add(self, where: str, record: Any) -> None:
        if isinstance(record, _Unreadable):
            self._unreadable(f"{where}: {record}")
        elif not isinstance(record, dict):
            self._unreadable(f"{where}: not a JSON object")
        else:
            article = record_to_article(record)
            if article is None:
                self.problems.append(f"{where}: {NO_TEXT}")
            else:
                self.articles.append(article)

    def result(self) -> ParsedFile:
        if not self.articles:
            raise ImportFailed(self._why_nothing())
        return ParsedFile(self.articles, self.problems)

    def _why_nothing(self) -> str:
        if not self.problems:
            return "the file holds no records"
        if not self.unreadable:
            return "no record has text (expected a text, body or content field)"
        return f"no record could be imported ({self.problems[0]})"

    def _unreadable(self, message: str) -> None:
        self.unreadable += 1
        self.problems.append(message)
        if not self.articles and self.unreadable >= UNREADABLE_BEFORE_GIVING_UP:
            first = self.problems[0]
            raise ImportFailed(f"not {self.expected}: none of the first records can be read ({first})")


def _collect(records: Iterable[Located], *, expected: str) -> ParsedFile:
    collector = _Collector(expected=expected)
    for where, record in records:
        collector.add(where, record)
    return collector.result()
