"""`dossier export --out FILE [--force]`: what happens to the file named, its folder and its mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS

FORMATS = ["jsonl", "csv", "markdown", "annotations"]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("export") / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--no-entities", "--quiet")
    run("--library", str(path), "annotate", "1", "--start", "0", "--end", "20", "--note", "n")
    return str(path)


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_existing_file_is_refused_in_one_line_naming_it_and_force(library, tmp_path, fmt):
    out = tmp_path / "keep.txt"
    out.write_text("precious\n")
    result = run("--library", library, "export", "--format", fmt, "--out", str(out), check=1)
    assert result.stderr == (f"dossier: {out} exists; add --force to replace it, "
                             "or choose another file with --out\n")
    assert out.read_text() == "precious\n" and sorted(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("fmt", FORMATS)
def test_force_replaces_the_file_and_keeps_its_mode(library, tmp_path, fmt):
    out = tmp_path / "old.txt"
    out.write_text("precious\n")
    out.chmod(0o640)
    run("--library", library, "export", "--format", fmt, "--out", str(out), "--force")
    assert out.read_text(encoding="utf-8-sig") != "precious\n" and _mode(out) == 0o640
    assert sorted(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_file_gets_the_mode_the_umask_gives(library, tmp_path, fmt, umask_027):
    out = tmp_path / f"new.{fmt}"
    run("--library", library, "export", "--format", fmt, "--out", str(out))
    assert _mode(out) == 0o640


@pytest.mark.parametrize("where, message", [
    ("folder", "dossier export: {out} is a folder; --out takes the file to write; see dossier export --help\n"),
    ("missing", "dossier export: there is no folder {parent} to write x.csv in; see dossier export --help\n"),
], ids=["folder", "missing"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_folder_or_a_missing_folder_is_a_usage_error_and_nothing_is_written(
        library, tmp_path, fmt, where, message):
    out = tmp_path if where == "folder" else tmp_path / "no" / "x.csv"
    result = run("--library", library, "export", "--format", fmt, "--out", str(out), check=2)
    assert result.stderr == message.format(out=out, parent=out.parent)
    assert list(tmp_path.iterdir()) == []


def test_an_export_says_how_many_it_wrote_and_markdown_which_articles(tmp_path):
    from tests.conftest import SEEDS

    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(SEEDS), "--no-entities", "--quiet")
    run("--library", library, "annotate", "1", "--start", "0", "--end", "20")
    said = {fmt: run("--library", library, "export", "--format", fmt, "--out", str(tmp_path / f"out.{fmt}")).stdout
            for fmt in ("csv", "markdown", "annotations")}
    assert said == {
        "csv": f"wrote 5 articles to {tmp_path / 'out.csv'}\n",
        "markdown": f"wrote 1 article to {tmp_path / 'out.markdown'} (only articles with highlights or a note go "
                    "into Markdown)\n",
        "annotations": f"wrote 1 annotation to {tmp_path / 'out.annotations'}\n",
    }


@pytest.mark.parametrize("fmt, starts, count", [
    ("jsonl", '{"id": ', "wrote 5 articles"), ("csv", "id,title,", "wrote 5 articles"),
    ("markdown", "# Highlights and notes\n", "wrote 1 article"), ("annotations", "{\n", "wrote 1 annotation"),
])
def test_out_dash_writes_the_export_to_stdout_and_says_so_on_stderr(library, tmp_path, fmt, starts, count):
    result = run("--library", library, "export", "--format", fmt, "--out", "-", cwd=tmp_path)
    assert result.stdout.startswith(starts)  # CSV without the byte-order mark a spreadsheet file has
    assert result.stderr.startswith(f"dossier: {count} to stdout")
    assert list(tmp_path.iterdir()) == []


def test_out_dash_streams_the_same_articles_as_a_file(library, tmp_path):
    run("--library", library, "export", "--format", "jsonl", "--out", str(tmp_path / "a.jsonl"))
    piped = run("--library", library, "export", "--format", "jsonl", "--out", "-").stdout
    assert piped == (tmp_path / "a.jsonl").read_text(encoding="utf-8") and piped.count("\n") == 5
