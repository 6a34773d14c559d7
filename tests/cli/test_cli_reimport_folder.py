"""`dossier import` of a folder again: unchanged files told from duplicates, changed files updated,
gone files missing, --as-new."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

LAB = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday."
LAB_EDITED = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Tuesday."
DEAL = "Gas deal signed\n\nGazprom and CNPC signed a supply agreement in Beijing."


@pytest.fixture
def scraped(tmp_path) -> tuple[str, Path]:
    """A library holding a folder of two articles; the folder then changes: one file edited, one gone."""
    library, folder = str(tmp_path / "x.sqlite"), tmp_path / "scrape"
    folder.mkdir()
    (folder / "lab.txt").write_text(LAB, encoding="utf-8")
    (folder / "deal.txt").write_text(DEAL, encoding="utf-8")
    run("--library", library, "import", str(folder), "--no-entities", "--json")
    (folder / "lab.txt").write_text(LAB_EDITED, encoding="utf-8")
    (folder / "deal.txt").unlink()
    return library, folder


def _import(library: str, *args: str) -> dict:
    return json.loads(run("--library", library, "import", *args, "--no-entities", "--json").stdout)


def test_json_reports_the_edited_file_updated_and_the_gone_file_missing(scraped):
    library, folder = scraped
    assert _import(library, str(folder)) == {
        "imported": 0, "updated": 1, "unchanged": 0, "duplicates": 0, "failed": [],
        "missing": [str(folder / "deal.txt")],
    }
    listed = json.loads(run("--library", library, "list", "--json").stdout)
    assert len(listed) == 2
    texts = [json.loads(run("--library", library, "show", str(row["id"]), "--json").stdout)["text"]
             for row in listed]
    assert sorted(text.split()[-1] for text in texts) == ["Beijing.", "Tuesday."]


def test_as_new_imports_the_edited_file_as_a_second_article(scraped):
    library, folder = scraped
    report = _import(library, str(folder), "--as-new")
    assert (report["imported"], report["updated"]) == (1, 0)
    assert len(json.loads(run("--library", library, "list", "--json").stdout)) == 3


def test_text_report_lists_updated_and_missing_files(scraped):
    library, folder = scraped
    out = run("--library", library, "import", str(folder), "--no-entities").stdout
    assert out.splitlines() == [
        "0 imported, 1 updated, 0 duplicates, 0 failed",
        "missing: 1 file no longer in the folder (their articles are kept)",
        f"  missing: {folder / 'deal.txt'}",
    ]


def test_the_same_folder_again_prints_its_files_unchanged_and_a_copy_as_a_duplicate(tmp_path):
    library, folder = str(tmp_path / "x.sqlite"), tmp_path / "scrape"
    folder.mkdir()
    (folder / "lab.txt").write_text(LAB, encoding="utf-8")
    (folder / "deal.txt").write_text(DEAL, encoding="utf-8")
    first = run("--library", library, "import", str(folder), "--no-entities").stdout
    assert first.splitlines() == ["2 imported, 0 duplicates, 0 failed"]

    again = run("--library", library, "import", str(folder), "--no-entities").stdout
    assert again.splitlines() == ["0 imported, 2 unchanged, 0 duplicates, 0 failed"]

    (folder / "deal (copy).txt").write_text(DEAL, encoding="utf-8")
    copied = run("--library", library, "import", str(folder), "--no-entities").stdout
    assert copied.splitlines() == ["0 imported, 2 unchanged, 1 duplicate, 0 failed",
                                   f"  {folder / 'deal (copy).txt'}: duplicate of article 1 “Gas deal signed”"]
    runs = run("--library", library, "imports").stdout.splitlines()
    assert "0 imported, 2 unchanged, 1 duplicate, 0 failed" in runs[0]
    assert "0 imported, 2 unchanged, 0 duplicates, 0 failed" in runs[1]
