"""Article exports (.jsonl, .json, .csv): one article per record.

Which fields of a record fill the article (its title, text, date, source, author, url
and language, under the many names scrapers and feeds give them) is
``record_fields``'s business; every other field is kept in ``Article.extra``. A record
that cannot be used (a broken JSON line, a CSV row with broken quoting, a record without
text) becomes a problem naming its line or row, and the good records still import. A
file none of whose records can be read is refused as a whole. A few stray NUL bytes in a
file are removed, and noted once for the file, as from a text file.

An import reads a record file in batches (``record_batches``): it hears how many bytes of the
file it has read after every batch and may stop between batches. The text is decoded a piece
at a time (``encoding.decoded_pieces``) and a JSON array is read a record at a time
(``json_text.JsonText``), so a large export starts at once and never becomes one tree of objects. A
JSON array broken in the middle keeps the records before the break: the break is a problem
naming the record it is in, and the records after it are not read (JSON cannot be picked up
again after a break).
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import ImportFailed
from ..encoding import Pieces, byte_within, decoded_pieces
from ..sniff import FileKind
from . import Article, ParsedFile, Parser, checked_bytes, contained, read_for, reading, register
from .json_text import BrokenJson, JsonText, placed
from .record_fields import has_text_field, record_to_article, why_no_text

RECORDS_LIMIT_MB = 200
CSV_FIELD_LIMIT = 2**31 - 1
UNREADABLE_BEFORE_GIVING_UP = 50
RECORDS_PER_BATCH = 1000  # records an import reads between two progress reports
LIST_KEYS = ("articles", "documents", "records", "items", "data", "results", "entries")
CSV_DELIMITERS = ",;\t|"

_ACCEPTS = frozenset({FileKind.TEXT})
Located = tuple[str, Any]  # where a record is ("line 12") and the record


@dataclass(frozen=True)
class _Source:
    """The records of a file, in order, each with the bytes of the file read up to its end, and
    the file's size in bytes (``total``)."""

    records: Iterator[tuple[Located, int]]
    total: int


@dataclass(frozen=True)
class RecordBatch:
    """Consecutive records of a file: what they made (``parsed``: articles and numbered problems,
    the file's notes on its first batch), how far the file has been read (``done`` of ``total``
    bytes) and how many of its records have been read so far (``records``)."""

    parsed: ParsedFile
    done: int
    total: int
    records: int


@register(".jsonl", ".ndjson")
@contained(accepts=_ACCEPTS, expected="a JSON Lines file", limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
def parse_jsonl(data: bytes, path: Path) -> ParsedFile:
    """One article per line of a JSON Lines file; broken lines are problems with their line number."""
    return _whole(_jsonl_source(data), expected="a JSON Lines file")


@register(".json")
@contained(accepts=_ACCEPTS, expected="a JSON file", limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
def parse_json(data: bytes, path: Path) -> ParsedFile:
    """One article per record of a JSON array, of the list inside a JSON object, or one object."""
    return _whole(_json_source(data), expected="a JSON file")


@register(".csv", ".tsv")
@contained(accepts=_ACCEPTS, expected="a CSV file", limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
def parse_csv(data: bytes, path: Path) -> ParsedFile:
    """One article per row of a CSV file with a header row naming a text, body or content column."""
    return _whole(_csv_source(data), expected="a CSV file")


def reads_in_batches(parser: Parser) -> bool:
    """Whether ``parser`` is that of a record export, which an import reads with ``record_batches``."""
    return any(parser is known for _, known in _SOURCES.values())


def record_batches(path: Path, *, size: int = RECORDS_PER_BATCH) -> Iterator[RecordBatch]:
    """The records of the export ``path`` in batches of ``size``: together the same articles,
    problems and notes as its parser makes, and the same ``ImportFailed`` for a file that
    cannot be imported (a file none of whose records has text yields nothing before it is
    refused)."""
    source, parser = _SOURCES[path.suffix.lower()]
    expected = parser.format_name  # type: ignore[attr-defined]
    with reading(expected):
        data, notes = checked_bytes(read_for(parser, path), accepts=_ACCEPTS, expected=expected,
                                    limit_mb=RECORDS_LIMIT_MB, stray_nuls=True)
        yield from _batches(source(data), expected=expected, size=size, notes=notes)


def _jsonl_source(data: bytes) -> _Source:
    return _Source(_jsonl_records(decoded_pieces(data)), len(data))


def _json_source(data: bytes) -> _Source:
    """A JSON array is read a record at a time, in pieces that need not end at a line break (an
    array written on one line is common); any other JSON (an object holding the records, one
    article, or JSON Lines in a .json file) is read whole."""
    total = len(data)
    text = JsonText(decoded_pieces(data, whole_lines=False))
    if text.next_char() == "[":
        return _Source(_array_records(text), total)
    whole = text.rest()
    try:
        value = json.loads(whole)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ImportFailed(f"not valid JSON ({placed(exc.msg, exc.lineno, exc.colno)})") from exc
        return _Source(_jsonl_records(iter([(whole, total)])), total)
    return _Source(((located, total) for located in _json_located(_json_records(value))), total)


def _jsonl_records(pieces: Pieces) -> Iterator[tuple[Located, int]]:
    number, start = 0, 0
    for text, end in pieces:
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        chars = 0
        for line in lines:
            number += 1
            chars += len(line) + 1
            if line.strip():
                yield (f"line {number}", _json_line(line)), byte_within(start, end, chars, len(text))
        start = end


def _json_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return _Unreadable(f"not valid JSON ({exc.msg})")
    except RecursionError:
        return _Unreadable("JSON nested too deeply")


def _array_records(text: JsonText) -> Iterator[tuple[Located, int]]:
    """The records of the JSON array the text starts with, read one at a time.

    A break before the first record refuses the file (``not valid JSON (…)``, as a broken file
    always was); a later one ends the records with a problem naming the record it is in."""
    number = 1
    text.pos += 1
    try:
        if text.next_char() == "]":
            text.pos += 1
        else:
            while True:
                text.next_char()
                yield (f"record {number}", text.value()), text.done
                number += 1
                after = text.next_char()
                if after not in (",", "]"):
                    raise text.broken("Expecting ',' delimiter")
                text.pos += 1
                if after == "]":
                    break
    except (BrokenJson, RecursionError) as exc:
        reason = f"not valid JSON ({exc})" if isinstance(exc, BrokenJson) else "JSON nested too deeply"
        if number == 1 and isinstance(exc, RecursionError):
            raise
        if number == 1:
            raise ImportFailed(reason) from exc
        yield (f"record {number}", _Unreadable(f"{reason}; the records after it were not read")), text.done
        return
    if text.next_char():
        yield ("after the last record", _Unreadable(f"not valid JSON ({text.broken('Extra data')})")), text.done


def _json_records(value: Any) -> list[Any]:
    if isinstance(value, dict):
        value = _record_list(value)
    if not isinstance(value, list):
        raise ImportFailed("JSON holds no articles (expected an array of objects, or an object with text)")
    return value


def _json_located(records: list[Any]) -> Iterator[Located]:
    for number, record in enumerate(records, 1):
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


def _csv_source(data: bytes) -> _Source:
    # The csv module's default limit of 128 KB per field is smaller than some article bodies.
    csv.field_size_limit(CSV_FIELD_LIMIT)
    lines: list[str] = []
    ends: list[tuple[int, int]] = []  # after each piece: the lines read and the bytes read
    for text, read in decoded_pieces(data):
        lines.extend(io.StringIO(text, newline="").readlines())
        ends.append((len(lines), read))
    dropped = len(lines)
    delimiter = _delimiter(lines)
    dropped -= len(lines)
    header = [name.strip() for name in next(csv.reader(lines[:1], delimiter=delimiter))]
    if not has_text_field(header, fallbacks=True):
        raise ImportFailed("CSV has no text column (expected text, body or content)")
    return _Source(_csv_records(lines, delimiter=delimiter, header=header, ends=ends, dropped=dropped), len(data))


def _csv_records(
    lines: list[str], *, delimiter: str, header: list[str], ends: list[tuple[int, int]], dropped: int
) -> Iterator[tuple[Located, int]]:
    """The rows of ``lines`` as records, each with the bytes read up to its end: ``ends`` says
    where each piece of the file ends, its lines counted as equally long (``dropped`` lines
    before ``lines`` were taken off their start)."""
    for number, row, read in _csv_rows(lines, delimiter=delimiter, width=len(header)):
        line = read + dropped
        piece = bisect.bisect_left(ends, (line, 0))
        first, start = ends[piece - 1] if piece else (0, 0)
        done = byte_within(start, ends[piece][1], line - first, ends[piece][0] - first)
        yield (f"row {number}", dict(zip(header, row)) if isinstance(row, list) else row), done


def _delimiter(lines: list[str]) -> str:
    """The delimiter named by an Excel ``sep=`` line (which is then dropped), else the header's commonest."""
    if lines and lines[0].lower().startswith("sep=") and len(lines[0].rstrip("\r\n")) == 5:
        return lines.pop(0)[4]
    if not lines:
        raise ImportFailed("CSV has no header row")
    return max(CSV_DELIMITERS, key=lines[0].count)


def _csv_rows(
    lines: list[str], *, delimiter: str, width: int
) -> Iterator[tuple[int, list[str] | _Unreadable, int]]:
    """The data rows (numbered as in a spreadsheet, header = row 1), resuming after broken quoting,
    each with the number of lines read up to its end.

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
                read = start + reader.line_num
                if len(row) > width:
                    yield row_number, _Unreadable(f"has {len(row)} fields, the header has {width}"), read
                elif row:
                    yield row_number, row, read
                first = read
        except csv.Error:
            row_number, broken = row_number + 1, True
        if broken:
            yield row_number, _Unreadable(f"broken quoting from line {first + 1} — row skipped"), first + 1
        start = first + 1 if broken else len(lines)


class _Unreadable(str):
    """A record that could not even be read (as opposed to one without text)."""


class _Collector:
    """Turns located records into articles and numbered problems, giving up on a file of junk.

    ``take`` hands over what the records added since the last ``take`` made; ``found`` says
    whether any record so far made an article.
    """

    def __init__(self, *, expected: str) -> None:
        self.expected = expected
        self.found = False
        self.articles: list[Article] = []
        self.problems: list[str] = []
        self.first_problem: str | None = None
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
                self._problem(f"{where}: {why_no_text(record)}")
                if self.empty_text is None and has_text_field(record, fallbacks=True):
                    self.empty_text = self.problems[-1]
            else:
                self.articles.append(article)
                self.found = True

    def take(self) -> ParsedFile:
        """What the records added since the last ``take`` made; refuses the file when no record
        has made an article."""
        if not self.found:
            raise ImportFailed(self._why_nothing())
        parsed = ParsedFile(self.articles, self.problems)
        self.articles, self.problems = [], []
        return parsed

    def _why_nothing(self) -> str:
        if self.first_problem is None:
            return "the file holds no records"
        if not self.unreadable and self.empty_text:
            return f"no record has text ({self.empty_text})"
        if not self.unreadable:
            return "no record has text (expected a text, body or content field)"
        return f"no record could be imported ({self.first_problem})"

    def _problem(self, message: str) -> None:
        self.problems.append(message)
        if self.first_problem is None:
            self.first_problem = message

    def _unreadable(self, message: str) -> None:
        self.unreadable += 1
        self._problem(message)
        if not self.found and self.unreadable >= UNREADABLE_BEFORE_GIVING_UP:
            raise ImportFailed(f"not {self.expected}: none of the first records can be read ({self.first_problem})")


def _batches(source: _Source, *, expected: str, size: int, notes: tuple[str, ...] = ()) -> Iterator[RecordBatch]:
    """``source``'s records in batches of ``size`` once one has made an article (until then they
    are held: a file without one is refused as a whole)."""
    collector = _Collector(expected=expected)
    held, records, first = 0, 0, True
    for (where, record), done in source.records:
        collector.add(where, record)
        held += 1
        records += 1
        if held >= size and collector.found:
            yield _batch(collector.take(), done, records, source, notes=notes if first else ())
            held, first = 0, False
    if held or first:
        yield _batch(collector.take(), source.total, records, source, notes=notes if first else ())


def _batch(parsed: ParsedFile, done: int, records: int, source: _Source, *, notes: tuple[str, ...]) -> RecordBatch:
    parsed.notes.extend(notes)
    return RecordBatch(parsed, min(done, source.total), source.total, records)


def _whole(source: _Source, *, expected: str) -> ParsedFile:
    """Every record of ``source`` as one ``ParsedFile``."""
    whole = ParsedFile([])
    for batch in _batches(source, expected=expected, size=sys.maxsize):
        whole.articles.extend(batch.parsed.articles)
        whole.problems.extend(batch.parsed.problems)
    return whole


_SOURCES: dict[str, tuple[Callable[[bytes], _Source], Parser]] = {
    ".jsonl": (_jsonl_source, parse_jsonl),
    ".ndjson": (_jsonl_source, parse_jsonl),
    ".json": (_json_source, parse_json),
    ".csv": (_csv_source, parse_csv),
    ".tsv": (_csv_source, parse_csv),
}
