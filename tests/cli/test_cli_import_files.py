"""What `dossier import` makes of awkward folders and files: unreadable and linked folders,
text files with stray NUL bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import DOSSIER, TIMEOUT, run
from tests.core.helpers import linked_and_locked

# root reads every folder: drop the capabilities that let it, so that permissions count
AS_A_USER = (["setpriv", "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-dac_override,-dac_read_search"] if os.geteuid() == 0 else [])


def import_json(library: Path, *paths: Path) -> dict:
    result = subprocess.run(
        [*AS_A_USER, DOSSIER, "--library", str(library), "import", *map(str, paths), "--json"],
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def top(tmp_path) -> Path:
    """``linked_and_locked`` with ``top/locked`` at mode 000."""
    folder = linked_and_locked(tmp_path)
    (folder / "locked").chmod(0)
    yield folder
    (folder / "locked").chmod(0o755)


@pytest.mark.skipif(os.name != "posix" or (os.geteuid() == 0 and not shutil.which("setpriv")),
                    reason="needs POSIX permissions that bind the user running the tests")
def test_an_unreadable_folder_is_a_failure_and_a_linked_folder_is_imported(tmp_path, top):
    report = import_json(tmp_path / "lib.sqlite", top)
    assert report["imported"] == 3
    assert report["failed"] == [
        {"path": str(top / "locked") + os.sep, "error": "folder cannot be read: permission denied"}
    ]


def test_a_text_with_a_stray_nul_is_imported_and_the_report_says_it_was_removed(tmp_path):
    path = tmp_path / "stray.txt"
    text = ("Harbin and Tomsk sign a deal\n\nThe two universities will share a laboratory for new "
            "materials, and their students will spend a term in each other's city from next autumn.\n").encode()
    path.write_bytes(text[:60] + b"\x00" + text[60:])
    result = run("--library", str(tmp_path / "lib.sqlite"), "import", "--no-entities", str(path))
    assert result.stdout.splitlines() == [
        "1 imported, 0 duplicates, 0 failed",
        f"  note: {path}: 1 NUL byte removed",
    ]


def test_a_web_page_and_an_export_with_a_stray_nul_are_imported_and_the_report_says_so(tmp_path):
    page, export = tmp_path / "deal.html", tmp_path / "feed.jsonl"
    page.write_bytes(b"<html><body><article><h1>Deal signed</h1><p>Harbin and Tomsk will share a lab"
                     b"\x00oratory for new materials from next autumn, the two universities said.</p>"
                     b"</article></body></html>")
    export.write_bytes(b'{"title": "Forum", "text": "Doctors from Wuhan and Kazan met at a forum on bio\x00medicine '
                       b'and agreed to share their data."}\n')
    result = run("--library", str(tmp_path / "lib.sqlite"), "import", "--no-entities", str(page), str(export))
    assert result.stdout.splitlines() == [
        "2 imported, 0 duplicates, 0 failed",
        f"  note: {page}: 1 NUL byte removed",
        f"  note: {export}: 1 NUL byte removed",
    ]


def test_many_failures_are_listed_up_to_twenty_and_the_rest_counted_by_reason(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for n in range(25):
        (folder / f"empty{n:02}.txt").write_bytes(b"")
    (folder / "good.txt").write_text("Forum opens\n\nThe forum opened in Novosibirsk.", encoding="utf-8")
    out = run("--library", str(tmp_path / "l.sqlite"), "import", str(folder), "--no-entities").stdout
    lines = out.splitlines()
    assert lines[0] == "1 imported, 0 duplicates, 25 failed"
    assert sum(line.startswith("  failed: ") for line in lines) == 20
    assert "  … and 5 more failed: 5 empty file; import --json lists every file" in lines


@pytest.fixture
def unreadable(tmp_path) -> list[Path]:
    """An empty file and a binary file named .txt: two files no import can read."""
    empty, binary = tmp_path / "empty.txt", tmp_path / "photo.txt"
    empty.write_bytes(b"")
    binary.write_bytes(bytes(range(256)) * 8)
    return [empty, binary]


def test_an_import_where_every_file_fails_exits_1_with_one_line(tmp_path, unreadable):
    result = run("--library", str(tmp_path / "lib.sqlite"), "import", "--no-entities", *map(str, unreadable),
                 check=1)
    assert result.stdout.splitlines()[0] == "0 imported, 0 duplicates, 2 failed"
    assert result.stderr.splitlines() == ["dossier: nothing imported: 2 files failed"]


def test_an_import_where_every_file_fails_prints_its_json_report_and_exits_1(tmp_path, unreadable):
    result = run("--library", str(tmp_path / "lib.sqlite"), "import", "--no-entities", "--json",
                 *map(str, unreadable), check=1)
    report = json.loads(result.stdout)
    assert (report["imported"], sorted(item["path"] for item in report["failed"])) == (
        0, sorted(map(str, unreadable)))
    assert result.stderr.splitlines() == ["dossier: nothing imported: 2 files failed"]


def test_an_import_where_some_files_fail_exits_0(tmp_path, unreadable):
    good = tmp_path / "good.txt"
    good.write_text("Forum opens\n\nThe forum opened in Novosibirsk.", encoding="utf-8")
    run("--library", str(tmp_path / "lib.sqlite"), "import", "--no-entities", str(good), *map(str, unreadable))


def test_importing_an_empty_folder_says_no_files_were_found(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("--library", str(tmp_path / "x.sqlite"), "import", str(tmp_path / "empty"), check=0)
    assert result.stderr == f"dossier: no files found in {tmp_path / 'empty'}: nothing to import\n"
    assert result.stdout == "0 imported, 0 duplicates, 0 failed\n"
