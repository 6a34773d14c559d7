"""A text file with a few stray NUL bytes: imported without them, and the report says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.import_history import report_text
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
