"""``--out -``: the commands writing one text file write it to stdout (export, publish); those writing
a SQLite library (backup, recover, and ``--library``) refuse it as a usage error and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--no-entities", "--quiet")
    return path


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


@pytest.mark.parametrize("command, said", [
    ("backup", "dossier backup: a backup is a SQLite file, which cannot be written to standard output; "
               "give a file name, e.g. --out backup.sqlite; see dossier backup --help\n"),
    ("recover", "dossier recover: the recovered library is a SQLite file, which cannot be written to standard "
                "output; give a file name, e.g. --out recovered.sqlite; see dossier recover --help\n"),
])
def test_a_library_file_to_stdout_is_refused_as_a_usage_error_and_nothing_is_written(library, command, said):
    before = _files(library.parent)
    result = run("--library", str(library), command, "--out", "-", check=2, cwd=library.parent)
    assert (result.stdout, result.stderr) == ("", said)
    assert _files(library.parent) == before


def test_a_library_named_dash_is_refused_as_a_usage_error_and_not_created(tmp_path):
    result = run("--library", "-", "import", str(SEEDS), "--no-entities", check=2, cwd=tmp_path)
    assert result.stderr == ("dossier: argument --library: a library is a SQLite file, which cannot be standard "
                             "input or output; give its file name; see dossier --help\n")
    assert _files(tmp_path) == set()


def test_publish_to_stdout_writes_the_metadata_there_and_says_how_to_serve_it(library):
    before = _files(library.parent)
    result = run("--library", str(library), "publish", "--out", "-", cwd=library.parent)
    assert _files(library.parent) == before
    run("--library", str(library), "publish", "--out", str(library.parent / "metadata.json"))
    assert json.loads(result.stdout) == json.loads((library.parent / "metadata.json").read_text(encoding="utf-8"))
    assert result.stderr == ("dossier: wrote Datasette's metadata to stdout; save it as FILE and serve the library "
                             f"read-only with: datasette serve -i {library.resolve()} -m FILE\n")
