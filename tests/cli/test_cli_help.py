"""Each command's --help: every option says what it does, and every example it shows runs as written."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.cli_help import EXAMPLES
from tests.cli.helpers import DOSSIER, TIMEOUT, run
from tests.conftest import SEEDS


def _help(command: str) -> str:
    return run(command, "--help").stdout


def _examples(command: str) -> list[str]:
    """The example command lines at the end of ``dossier COMMAND --help``."""
    shown = _help(command).split("\nexamples:\n", 1)[1]
    return [line.strip() for line in shown.splitlines() if line.strip().startswith("dossier ")]


def _commands() -> dict:
    import argparse

    from desktop.cli import _parser

    (commands,) = [action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction)]
    return commands.choices


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_option_of_every_command_says_what_it_does(command):
    silent = [action.dest for action in _commands()[command]._actions if not action.help]
    assert silent == []


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_commands_help_starts_with_what_it_does_within_80_columns(command):
    shown = run(command, "--help", env={"COLUMNS": "80"}).stdout
    description = shown.split("\n\n")[1]
    assert description.endswith(".") and description[0].isupper()
    assert max(len(line) for line in shown.splitlines()) <= 80, shown


def test_every_example_in_the_help_runs_on_the_sample_corpus(tmp_path):
    """In a folder with ``articles/`` (one sample article) and the default library, which a first
    command fills with the sample corpus, as a new user has them."""
    (tmp_path / "articles").mkdir()
    first = sorted(SEEDS.iterdir())[0]
    shutil.copy(first, tmp_path / "articles" / first.name)
    env = {**os.environ, "DOSSIER_HOME": str(tmp_path / "home")}
    env.pop("DOSSIER_LIBRARY", None)
    shown = [line for command in EXAMPLES for line in _examples(command)]
    assert len(shown) == sum(len(examples) for examples in EXAMPLES.values())
    for line in shown:
        result = subprocess.run([DOSSIER, *shlex.split(line)[1:]], cwd=tmp_path, env=env, capture_output=True,
                                text=True, timeout=TIMEOUT)
        assert result.returncode == 0, f"{line}: {result.stderr}"
        assert result.stdout.strip() or "--out" in line, f"{line} printed nothing: {result.stderr}"
