"""Article exports (.jsonl, .json, .csv): one article per record.

Which fields of a record fill the article (its title, text, date, source, author, url
and language, under the many names scrapers and feeds give them) is
``record_fields``'s business; every other field is kept in ``Article.extra``. A record
that cannot be used (a broken JSON line, a CSV row with broken quoting, a record without
text) becomes a problem naming its line or row, and the good records still import. A
file none of whose records can be read is refused as a whole. A few stray NUL bytes in a
file are removed, and noted once for the file, as from a text file.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import ImportFailed
from ..encoding import decode_bytes
from ..sniff import FileKind
from . import Article, ParsedFile, contained, register
from .record_fields import has_text_field, record_to_article, why_no_text

RECORDS_LIMIT_MB = 200
CSV_FIELD_LIMIT = 2**31 - 1
UNREADABLE_BEFORE_GIVING_UP = 50
LIST_KEYS = ("articles", "documents", "records", "items", "data", "results", "entries")
CSV_DELIMITERS = ",;\t|"

_ACCEPTS = frozenset({FileKind.TEXT})
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
    """The list of records inside a JSON object, or the object itself when it is one article.

    The records are a list of objects under a key of the object (``{"articles": […]}``) or
    under a key of an object it holds (``{"data": {"items": […]}}``); a list under a key that
    names records (``LIST_KEYS``) comes before any other.
    """
    if has_text_field(value):
        return [value]
    inner = [item for item in value.values() if isinstance(item, dict)]
    for holder in (value, *inner):
        lists = _lists(holder)
        objects = [found for found in lists if found and all(isinstance(item, dict) for item in found)]
        if objects:
            return objects[0]
    lists = _lists(value)
    return lists[0] if lists else value


def _lists(value: dict[str, Any]) -> list[list[Any]]:
    """The lists ``value`` holds, those under a key of ``LIST_KEYS`` first."""
    lowered = {str(key).lower(): item for key, item in value.items()}
    lists = [lowered[key] for key in LIST_KEYS if isinstance(lowered.get(key), list)]
    named = {id(found) for found in lists}
    return lists + [item for item in value.values() if isinstance(item, list) and id(item) not in named]


def _csv_records(text: str) -> Iterator[Located]:
    # The csv module's default limit of 128 KB per field is smaller than some article bodies.
    csv.field_size_limit(CSV_FIELD_LIMIT)
    lines = io.StringIO(text, newline="").readlines()
    delimiter = _delimiter(lines)
    header = [name.strip() for name in next(csv.reader(lines[:1], delimiter=delimiter))]
    if not has_text_field(header, fallbacks=True):
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
        self.empty_text: str | None = None  # the first record whose text field is there but empty

    def add(self, where: str, record: Any) -> None:
        if isinstance(record, _Unreadable):
            self._unreadable(f"{where}: {record}")
        elif not isinstance(record, dict):
            self._unreadable(f"{where}: not a JSON object")
        else:
            article = record_to_article(record)
            if article is None:
                self.problems.append(f"{where}: {why_no_text(record)}")
                if self.empty_text is None and has_text_field(record, fallbacks=True):
                    self.empty_text = self.problems[-1]
            else:
                self.articles.append(article)

    def result(self) -> ParsedFile:
        if not self.articles:
            raise ImportFailed(self._why_nothing())
        return ParsedFile(self.articles, self.problems)

    def _why_nothing(self) -> str:
        if not self.problems:
            return "the file holds no records"
        if not self.unreadable and self.empty_text:
            return f"no record has text ({self.empty_text})"
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
