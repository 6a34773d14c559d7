"""A second Ctrl+C stops every long command at once (exit status 130) with one line saying what
was kept, as it stops an import; typed on a terminal, and sent within each command's job."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.helpers import run, type_ctrl_c_twice
from tests.conftest import SEEDS


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--no-entities", "--quiet")
    return path


@pytest.fixture
def sigint_restored():
    """Ctrl+C handled as before the test (a command stopped by a second Ctrl+C ignores more)."""
    handler = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, handler)


def _ctrl_c_twice(*_args, **_kwargs):
    """A job's batch during which Ctrl+C is pressed twice: the first sets the cancel token, the
    second interrupts it."""
    os.kill(os.getpid(), signal.SIGINT)
    os.kill(os.getpid(), signal.SIGINT)
    raise AssertionError("the second Ctrl+C did not interrupt the job")


@pytest.mark.parametrize("command, job, said", [
    (["extract"], "desktop.core.workflows.find_waiting_entities",
     "the entities found are kept; dossier extract finds the entities of 5 articles"),
    (["reindex"], "desktop.core.shadow_index.build_index",
     "5 of 5 articles indexed are kept; dossier reindex goes on from there"),
    (["detect-languages"], "desktop.core.language_fill.fill_languages",
     "0 of 0 articles looked at are kept; dossier detect-languages goes on from there"),
    (["stories", "--group"], "desktop.core.stories.group_library", "the articles grouped are kept"),
    (["adapt-model"], "desktop.core.entities.adapt.adapt_model",
     "the model in use is the packaged one; what it read again is kept"),
    (["backup"], "desktop.core.backups.backup_before", "no backup was made"),
    (["recover", "--out", "new.sqlite"], "desktop.core.recover.recover", "new.sqlite was not written"),
    (["export", "--format", "jsonl", "--out", "all.jsonl"], "desktop.core.export.export_results",
     "all.jsonl was not written"),
], ids=lambda value: value[0] if isinstance(value, list) else None)
def test_a_second_ctrl_c_says_what_the_command_kept(library, monkeypatch, capsys, sigint_restored,
                                                    command, job, said):
    from desktop.cli import main

    monkeypatch.setattr(job, _ctrl_c_twice)
    monkeypatch.chdir(library.parent)
    before = set(os.listdir(library.parent))
    assert main(["--library", str(library), *command]) == 130
    assert capsys.readouterr().err == f"dossier: interrupted: {said}\n"
    assert set(os.listdir(library.parent)) <= before | {"backups"}


def _count(library: Path, sql: str) -> int:
    with closing(sqlite3.connect(f"{library.as_uri()}?mode=ro", uri=True)) as connection:
        return connection.execute(sql).fetchone()[0]


def _said(shown: str) -> str:
    """The last line the terminal showed (after the progress line and the echoed ^C)."""
    return re.split(r"[\r\n]+", shown.strip())[-1]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """A library of 1,000 articles whose entities are still to find."""
    from tests.cli.test_cli_extract import _articles

    folder = tmp_path_factory.mktemp("articles")
    library = folder / "x.sqlite"
    run("--library", str(library), "import", str(_articles(folder / "files", 1_000)), "--no-entities", "--quiet")
    return library


def _typed_twice_in_time(*args: str, after: str) -> tuple[int, str, str]:
    """``type_ctrl_c_twice`` until the second Ctrl+C came before the first had stopped the command."""
    for _ in range(5):
        status, stdout, shown = type_ctrl_c_twice(*args, after=after, gap=0.02)
        if "interrupted:" in shown:
            break
    return status, stdout, shown


def test_ctrl_c_typed_twice_during_extract_says_which_articles_still_wait_for_their_entities(articles):
    status, stdout, shown = _typed_twice_in_time("--library", str(articles), "extract", after=r"Finding entities  [1-9]")
    assert (status, stdout) == (130, ""), shown
    found = re.fullmatch(r"dossier: interrupted: the entities found are kept; dossier extract finds the entities "
                         r"of ([\d,]+) articles", _said(shown))
    assert found, shown
    read = _count(articles, "SELECT count(*) FROM entity_extractions")
    assert 0 < read and int(found.group(1).replace(",", "")) == 1_000 - read


def test_ctrl_c_typed_twice_while_grouping_stories_says_how_many_are_left_and_the_command_that_groups_them(articles):
    status, stdout, shown = _typed_twice_in_time("--library", str(articles), "stories", "--rebuild", after="Grouping")
    assert (status, stdout) == (130, ""), shown
    left = _count(articles, "SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM story_signatures)")
    assert _said(shown) == (f"dossier: interrupted: the articles grouped are kept; {left:,} articles are not grouped "
                            "yet: dossier stories --group groups the others")
    grouped = run("--library", str(articles), "stories", "--group", "--quiet")
    assert "not grouped yet" not in grouped.stderr
