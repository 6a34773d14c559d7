"""Every `dossier: …` line is written in one style: lower case first, no full stop at the end."""

from __future__ import annotations

import pytest

from desktop.cli_common import one_style
from tests.cli.helpers import run
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("style") / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--no-entities", "--quiet")
    return str(path)


def test_a_message_of_the_core_is_said_in_the_command_line_style(library):
    result = run("--library", library, "show", "9", check=1)
    assert result.stderr == "dossier: no article with id 9\n"


def test_two_sentences_of_the_core_become_one_line_joined_by_a_semicolon():
    assert one_style("The library x is damaged (malformed); nothing was written to it. Restore a backup.") == (
        "the library x is damaged (malformed); nothing was written to it; restore a backup")


@pytest.mark.parametrize("message, said", [
    ("PDF has no text layer.", "PDF has no text layer"),
    ("Dossier 2.0 wrote this file.", "Dossier 2.0 wrote this file"),
    ("--entity takes LABEL:NAME, e.g. PERSON:Zhang Qiang.", "--entity takes LABEL:NAME, e.g. PERSON:Zhang Qiang"),
    ("Import run 3 is still running.", "import run 3 is still running"),
    ("A tag named 'x' already exists.", "a tag named 'x' already exists"),
    ("Report.csv exists; add --force", "Report.csv exists; add --force"),
    ("nothing imported: 2 files failed", "nothing imported: 2 files failed"),
    ("No tag named 'Dr. Li'.", "no tag named 'Dr. Li'"),
], ids=["acronym", "name", "abbreviation", "sentence", "article", "file name", "already", "quoted"])
def test_one_style_keeps_names_acronyms_and_file_names(message, said):
    assert one_style(message) == said


@pytest.mark.parametrize("command", ["restore", "import-annotations"])
def test_a_file_that_cannot_be_read_is_named_with_its_reason_in_the_command_line_style(library, tmp_path, command):
    """The operating system's own words came in mid-line with a capital ("No such file or directory")."""
    missing, folder = tmp_path / "gone.jsonld", tmp_path
    assert run("--library", library, command, str(missing), check=1).stderr == (
        f"dossier: cannot read {missing}: file not found\n")
    assert run("--library", library, command, str(folder), check=1).stderr == (
        f"dossier: cannot read {folder}: is a folder\n")
