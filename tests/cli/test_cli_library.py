"""Which library a command may open or create, and dates checked when the command line is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS

NEEDS_A_LIBRARY = [
    ("list",),
    ("search", "China"),
    ("show", "1"),
    ("entities",),
    ("tag", "1", "--add", "x"),
    ("annotate", "1", "--start", "0", "--end", "5"),
]


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("command", NEEDS_A_LIBRARY, ids=lambda command: command[0])
def test_a_command_on_a_missing_library_fails_and_creates_nothing(tmp_path, command):
    missing = tmp_path / "no" / "such" / "lib.sqlite"
    result = run("--library", str(missing), *command, check=1)
    assert _one_line(result.stderr).startswith(f"dossier: no library at {missing}")
    assert list(tmp_path.iterdir()) == []


def test_export_from_a_missing_library_fails_and_writes_nothing(tmp_path):
    missing = tmp_path / "lib.sqlite"
    out = tmp_path / "out.jsonl"
    result = run("--library", str(missing), "export", "--format", "jsonl", "--out", str(out), check=1)
    assert _one_line(result.stderr).startswith(f"dossier: no library at {missing}")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_library_named_by_the_variable_is_not_created_either(tmp_path):
    missing = tmp_path / "lib.sqlite"
    result = run("list", env={"DOSSIER_LIBRARY": str(missing)}, check=1)
    assert _one_line(result.stderr).startswith(f"dossier: no library at {missing}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [*NEEDS_A_LIBRARY, ("import", str(SEEDS), "--no-entities")],
                         ids=lambda command: command[0])
def test_an_empty_library_file_is_named_as_one_and_left_empty(tmp_path, command):
    empty = tmp_path / "lib.sqlite"
    empty.write_bytes(b"")
    result = run("--library", str(empty), *command, check=1)
    assert _one_line(result.stderr) == f"dossier: {empty} is an empty file, not a Dossier library"
    assert empty.read_bytes() == b"" and list(tmp_path.iterdir()) == [empty]


def test_import_creates_no_folder_for_a_new_library(tmp_path):
    missing = tmp_path / "no" / "lib.sqlite"
    result = run("--library", str(missing), "import", str(SEEDS), "--no-entities", check=1)
    assert _one_line(result.stderr).startswith(f"dossier: no folder {missing.parent}")
    assert list(tmp_path.iterdir()) == []


def test_import_creates_a_new_library_in_an_existing_folder(tmp_path):
    new = tmp_path / "lib.sqlite"
    result = run("--library", str(new), "import", str(SEEDS), "--no-entities")
    assert result.stdout.startswith("5 imported") and new.exists()


def test_the_default_library_is_created_with_the_samples_by_a_read_command(dossier_home: Path):
    home = dossier_home / "fresh"
    result = run("list", env={"DOSSIER_HOME": str(home)})
    assert len(result.stdout.splitlines()) == 5
    assert (home / "library.sqlite").exists()


@pytest.mark.parametrize("option, value", [("--since", "yesterday"), ("--until", "garbage")])
def test_a_date_that_is_not_one_is_a_usage_error_naming_the_forms(tmp_path, option, value):
    result = run("--library", str(tmp_path / "lib.sqlite"), "search", "China", option, value, check=2)
    line = _one_line(result.stderr)
    assert line.startswith(f"dossier search: argument {option}: “{value}” is not a date")
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_library_name_is_refused_and_the_default_library_is_not_used(tmp_path, empty):
    home = tmp_path / "home"
    result = run("--library", empty, "list", env={"DOSSIER_HOME": str(home)}, check=2)
    assert result.stderr == ("dossier: argument --library: needs the library's file name (it was empty); "
                             "see dossier --help\n")
    assert not home.exists()


@pytest.mark.parametrize("command, name", [("backup", "b.sqlite"), ("recover", "new.sqlite")])
def test_a_copy_into_a_folder_that_does_not_exist_names_the_folder_and_makes_none(library_path, tmp_path,
                                                                                  command, name):
    """backup named the library instead of the folder; recover made the missing folders."""
    out = tmp_path / "no" / name
    result = run("--library", str(library_path), command, "--out", str(out), check=2)
    assert result.stderr == (f"dossier {command}: there is no folder {out.parent} to write {name} in; "
                             f"see dossier {command} --help\n")
    assert not out.parent.exists()


def test_an_empty_dossier_library_variable_means_the_default_library(tmp_path):
    home = tmp_path / "home"
    rows = run("list", "--json", env={"DOSSIER_HOME": str(home), "DOSSIER_LIBRARY": ""}).stdout
    assert len(json.loads(rows)) == 5 and (home / "library.sqlite").exists()
