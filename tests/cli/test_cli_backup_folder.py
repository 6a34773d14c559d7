"""A write command when the day's backup cannot be made (the backups folder is a file, or cannot
be written): the highlight is still made, and one line says why no backup was."""

from __future__ import annotations

import json

from tests.cli.helpers import run
from tests.conftest import SEEDS


def test_annotate_goes_on_without_the_days_backup_and_says_why(tmp_path):
    library = tmp_path / "library.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities")
    assert not (tmp_path / "backups").exists()  # an empty library had nothing to back up
    (tmp_path / "backups").write_text("not a folder", encoding="utf-8")
    done = run("--library", str(library), "annotate", "1", "--start", "0", "--end", "7", "--note", "kept", "--json")
    assert json.loads(done.stdout)["note"] == "kept"
    assert done.stderr.strip().splitlines() == [
        f"dossier: cannot back up {library}: {tmp_path / 'backups'} is a file, not a folder; "
        "the command goes on without the day's backup"]
