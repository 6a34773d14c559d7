"""Inputs that would take a laptop's memory: zip bombs, huge text files, parsers that grow without end."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from desktop.core import formats
from desktop.core.errors import ImportFailed
from desktop.core.formats import ParsedFile
from desktop.core.formats import docx as docx_format
from desktop.core.formats.text import TEXT_LIMIT_MB
from desktop.core.ingest import import_paths
from desktop.core.isolation import PARSER_MEMORY_LIMIT_MB, parse_with_limit
from desktop.core.sniff import MB

pytestmark = pytest.mark.usefixtures("no_worker_left")

CHUNK = 64 * MB


def zip_bomb_docx(path: Path, *, inflated_mb: int) -> Path:
    """A real Word document with one more part of ``inflated_mb`` MB of zeros: small on disk."""
    body = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("A joint laboratory opens in Tomsk.")
    document.save(body)
    with zipfile.ZipFile(body, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as part:
            zeros = bytes(MB)
            for _ in range(inflated_mb):
                part.write(zeros)
    path.write_bytes(body.getvalue())
    return path


def use_ever_more_memory(data: bytes, path: Path) -> ParsedFile:
    """A parser that grows without end (stopped at twice the worker's memory limit)."""
    held = [bytearray(CHUNK) for _ in range(2 * PARSER_MEMORY_LIMIT_MB * MB // CHUNK)]
    return ParsedFile([formats.Article(text=str(len(held)))])


def test_a_zip_bomb_docx_is_refused_with_the_limit_before_it_is_opened(tmp_path, monkeypatch):
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=docx_format.DOCX_UNPACKED_LIMIT_MB + 10)
    assert bomb.stat().st_size < MB
    monkeypatch.setattr(docx_format.docx, "Document", lambda *a: pytest.fail("the bomb was opened"))
    with pytest.raises(ImportFailed, match=f"^Word document unpacks to more than {docx_format.DOCX_UNPACKED_LIMIT_MB} MB"):
        docx_format.parse_docx(bomb.read_bytes(), bomb)


def test_a_docx_within_the_size_limit_but_inflating_like_a_bomb_is_refused(tmp_path):
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=docx_format.DOCX_RATIO_FROM_MB + 5)
    with pytest.raises(ImportFailed, match=f"more than the {docx_format.DOCX_RATIO_LIMIT}:1 limit"):
        docx_format.parse_docx(bomb.read_bytes(), bomb)


def test_importing_a_zip_bomb_reports_it_with_the_limit_and_imports_the_rest(library, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    zip_bomb_docx(folder / "bomb.docx", inflated_mb=docx_format.DOCX_UNPACKED_LIMIT_MB + 10)
    (folder / "good.txt").write_text("Lab\n\nA joint laboratory opens in Tomsk.", encoding="utf-8")
    report = import_paths(library, [folder])
    assert len(report.imported) == 1
    [(path, reason)] = report.failed
    assert Path(path).name == "bomb.docx" and f"{docx_format.DOCX_UNPACKED_LIMIT_MB} MB" in reason


def test_a_text_file_over_the_limit_is_reported_with_the_limit(library, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.write(b"Title\n\n")
        fh.truncate((TEXT_LIMIT_MB + 1) * MB)
    report = import_paths(library, [huge])
    assert report.imported == []
    assert report.failed == [
        (str(huge), f"file is {TEXT_LIMIT_MB + 1} MB — larger than the {TEXT_LIMIT_MB} MB limit for a text file")
    ]


def test_a_parser_that_grows_without_end_fails_its_file_with_the_memory_limit(tmp_path, monkeypatch):
    monkeypatch.setitem(formats._PARSERS, ".hog", use_ever_more_memory)
    hog = tmp_path / "a.hog"
    hog.write_bytes(b"x")
    with pytest.raises(ImportFailed, match=f"^the file needs more than the {PARSER_MEMORY_LIMIT_MB} MB of memory"):
        parse_with_limit(hog)
