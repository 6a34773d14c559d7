"""Parsers run under a per-file time limit in a reused worker process; failures stay contained."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop.core import formats
from desktop.core.errors import ImportFailed
from desktop.core.ingest import parse_file
from desktop.core.formats import Article, ParsedFile, contained, isolated_suffixes
from desktop.core.isolation import parse_with_limit
from desktop.core.sniff import FileKind
from tests.core.helpers import hang_forever

pytestmark = pytest.mark.usefixtures("no_worker_left")

PAGE = b"<html><body><article><p>Harbin and Novosibirsk open a joint laboratory.</p></article></body></html>"


def crash_the_process(data: bytes, path: Path) -> ParsedFile:
    os._exit(3)


def report_process(data: bytes, path: Path) -> ParsedFile:
    return ParsedFile([Article(text=str(os.getpid()))])


@formats.register(isolated=True)
def report_process_isolated(data: bytes, path: Path) -> ParsedFile:
    """``report_process`` registered (for no suffix) as a format that runs in the worker."""
    return report_process(data, path)


@pytest.fixture
def test_parsers(monkeypatch):
    """Parsers for made-up suffixes that hang, crash or name the process they ran in."""
    parsers = {".hang": hang_forever, ".crash": crash_the_process, ".pid": report_process}
    for suffix, parser in parsers.items():
        monkeypatch.setitem(formats._PARSERS, suffix, parser)


def write(folder: Path, name: str, data: bytes = b"content") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def worker_pid(folder: Path) -> int:
    return int(parse_with_limit(write(folder, "probe.pid")).articles[0].text)


def test_file_parsed_in_the_worker_gives_the_same_article_as_in_process(tmp_path):
    path = write(tmp_path, "page.html", PAGE)
    assert parse_with_limit(path).articles == formats.parser_for(path)(PAGE, path).articles


def test_parser_refusal_reaches_the_caller_as_import_failed(tmp_path):
    with pytest.raises(ImportFailed, match="^not a PDF: the file is HTML$"):
        parse_with_limit(write(tmp_path, "page.pdf", PAGE))


def test_hanging_parser_is_stopped_at_the_time_limit(tmp_path, test_parsers):
    worker_pid(tmp_path)
    started = time.monotonic()
    with pytest.raises(ImportFailed, match="^parser took longer than 1 s — skipped$"):
        parse_with_limit(write(tmp_path, "stuck.hang"), timeout=1)
    assert time.monotonic() - started < 10


def test_worker_is_reused_across_files_and_replaced_after_a_timeout(tmp_path, test_parsers):
    first = worker_pid(tmp_path)
    assert worker_pid(tmp_path) == first
    with pytest.raises(ImportFailed):
        parse_with_limit(write(tmp_path, "stuck.hang"), timeout=0.5)
    assert worker_pid(tmp_path) not in (first, os.getpid())


def test_parser_that_kills_its_process_fails_that_file_only(tmp_path, test_parsers):
    with pytest.raises(ImportFailed, match="^the parser crashed on this file$"):
        parse_with_limit(write(tmp_path, "bad.crash"))
    assert "joint laboratory" in parse_with_limit(write(tmp_path, "page.html", PAGE)).articles[0].text


def test_missing_file_fails_with_a_plain_reason(tmp_path):
    with pytest.raises(ImportFailed, match="^file not found$"):
        parse_with_limit(tmp_path / "gone.html")


def test_unsupported_suffix_fails_naming_it(tmp_path):
    with pytest.raises(ImportFailed, match=r"^unsupported type \.xyz$"):
        parse_with_limit(write(tmp_path, "data.xyz"))


def test_complex_formats_are_isolated_and_text_and_records_are_not():
    assert {".pdf", ".docx", ".html", ".htm", ".xhtml"} <= isolated_suffixes()
    assert not {".txt", ".md", ".jsonl", ".json", ".csv"} & isolated_suffixes()


def test_a_format_is_parsed_in_the_worker_only_when_it_registered_as_isolated(tmp_path, monkeypatch):
    monkeypatch.setitem(formats._PARSERS, ".inworker", report_process_isolated)
    monkeypatch.setitem(formats._PARSERS, ".here", report_process)
    in_worker = int(parse_file(write(tmp_path, "a.inworker")).articles[0].text)
    here = int(parse_file(write(tmp_path, "a.here")).articles[0].text)
    assert here == os.getpid() != in_worker
    assert ".inworker" in isolated_suffixes() and ".here" not in isolated_suffixes()


def test_unexpected_exception_in_a_parser_becomes_a_one_line_import_failure(monkeypatch):
    monkeypatch.setattr(formats, "_PARSERS", dict(formats._PARSERS))

    @formats.register(".brokentest")
    @contained(accepts=frozenset({FileKind.TEXT}), expected="a test file", limit_mb=1)
    def broken(data: bytes, path: Path) -> ParsedFile:
        raise ValueError("bad offset 17\nTraceback details")

    with pytest.raises(ImportFailed, match=r"^could not read a test file: bad offset 17 \(ValueError\)$"):
        broken(b"some text", Path("x.test"))
