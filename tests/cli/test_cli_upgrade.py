"""A command over a library written by Dossier 0.1.0 upgrades it and names, in one line on
stderr, the backup of it from before; the command's own output is as for any library."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.backups import list_backups
from tests.cli.helpers import run
from tests.core.test_upgrade import old_library  # noqa: F401  (the fixture)


def test_search_over_an_old_library_upgrades_it_and_names_its_backup(old_library: Path):  # noqa: F811
    result = run("--library", str(old_library), "search", "telescope", "--json", "--limit", "50")
    assert len(json.loads(result.stdout)) == 30
    backups = [b.path for b in list_backups(old_library) if b.is_migration]
    assert len(backups) == 1 and backups[0].exists()
    said = [line for line in result.stderr.splitlines() if "upgraded" in line]
    assert len(said) == 1 and said[0].startswith("dossier: upgraded old.db, written by an older Dossier, in ")
    assert said[0].endswith(f" steps; its backup from before: {backups[0]}")
    again = run("--library", str(old_library), "search", "telescope", "--json")
    assert "upgraded" not in again.stderr


def test_ctrl_c_during_the_upgrade_says_the_steps_done_are_kept(old_library: Path, monkeypatch, capsys):  # noqa: F811
    from desktop.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("desktop.core.library.open_library", interrupted)
    assert main(["--library", str(old_library), "search", "telescope"]) == 130
    assert capsys.readouterr().err == ("dossier: interrupted: the upgrade of old.db was stopped: the steps done "
                                       "are kept, and opening it again goes on from there\n")
