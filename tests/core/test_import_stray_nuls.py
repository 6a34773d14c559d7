"""A text file, a web page or an export with a few stray NUL bytes: imported without them, and the
report says so; binary bytes under those names are still refused."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from desktop.core.documents import get_document
from desktop.core.import_history import report_text, run_files
from desktop.core.ingest import import_paths

ARTICLE = ("Harbin and Tomsk sign a deal\n\nThe two universities will share a laboratory for new materials, "
           "and their students will spend a term in each other's city from next autumn.\n").encode()


@pytest.fixture
def stray(tmp_path) -> Path:
    """The article with one NUL byte inside it and NUL padding at its end."""
    path = tmp_path / "source" / "stray.txt"
    path.parent.mkdir()
    path.write_bytes(ARTICLE[:60] + b"\x00" + ARTICLE[60:] + b"\x00" * 511)
    return path


def test_a_text_with_stray_nuls_is_stored_with_the_words_of_its_clean_copy(library, stray, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_bytes(ARTICLE)
    first = import_paths(library, [clean])
    report = import_paths(library, [stray])
    assert (report.failed, report.duplicates) == ([], [str(stray)])
    assert len(first.imported) == 1


def test_the_report_and_the_history_say_how_many_nuls_were_removed(library, stray):
    report = import_paths(library, [stray])
    assert (len(report.imported), report.failed) == (1, [])
    assert report.notes == [(str(stray), "512 NUL bytes removed")]
    assert report.to_json()["notes"] == [{"path": str(stray), "note": "512 NUL bytes removed"}]
    text = report_text(library.db, report.run_id)
    assert "Imported with a note:" in text
    assert f"{stray}: article {report.imported[0]} “Harbin and Tomsk sign a deal” (512 NUL bytes removed)" in text


PAGE = ("<!doctype html><html lang='en'><head><title>Harbin and Tomsk sign a deal</title></head><body>"
        "<nav>Home | World | Science</nav><article><h1>Harbin and Tomsk sign a deal</h1>"
        "<p>The two universities will share a laboratory for new materials, and their students "
        "will spend a term in each other's city from next autumn.</p>"
        "<p>The first exchange starts in September with forty students from each side.</p>"
        "</article></body></html>").encode()


def test_an_html_page_with_a_stray_nul_in_its_body_imports_with_its_text_intact_and_a_note(library, tmp_path):
    page = tmp_path / "deal.html"
    at = PAGE.index(b"laboratory") + 4
    page.write_bytes(PAGE[:at] + b"\x00" + PAGE[at:])
    report = import_paths(library, [page])
    assert (len(report.imported), report.failed) == (1, [])
    text = get_document(library.db, report.imported[0]).text
    assert "share a laboratory for new materials" in text and "\x00" not in text
    assert "forty students from each side" in text
    assert report.notes == [(str(page), "1 NUL byte removed")]
    assert "(1 NUL byte removed)" in report_text(library.db, report.run_id)


def test_a_jsonl_export_with_a_stray_nul_imports_every_record_and_notes_the_file_once(library, tmp_path):
    export = tmp_path / "feed.jsonl"
    records = [
        b'{"id": 1, "title": "Deal", "text": "Harbin and Omsk sign a supply deal for Arctic gas."}',
        b'{"id": 2, "title": "Lab", "text": "A joint lab opens in Tomsk for polar research."}',
        b'{"id": 3, "title": "Forum", "text": "Doctors from Wuhan and Kazan met at a forum."}',
    ]
    data = b"\n".join(records) + b"\n"
    at = data.index(b"supply") + 3
    export.write_bytes(data[:at] + b"\x00" + data[at:])
    report = import_paths(library, [export])
    assert (len(report.imported), report.failed) == (3, [])
    assert get_document(library.db, report.imported[0]).text == "Harbin and Omsk sign a supply deal for Arctic gas."
    assert report.notes == [(str(export), "1 NUL byte removed")]
    assert len(run_files(library.db, report.run_id, status="imported", noted=True)) == 1


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("noise.html", random.Random(5).randbytes(20_000), "not an HTML page: the file is binary data"),
    ("picture.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x01" * 64 + PAGE,
     "not an HTML page: the file is an image"),
    ("noise.jsonl", random.Random(6).randbytes(20_000), "not a JSON Lines file: the file is binary data"),
])
def test_binary_bytes_named_as_a_page_or_an_export_are_still_refused(library, tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    report = import_paths(library, [path])
    assert (report.imported, report.failed, report.notes) == ([], [(str(path), reason)], [])
