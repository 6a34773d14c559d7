"""Opening a library written by Dossier 0.1.0 (schema after migration 0003): backed up, upgraded
step by step with progress, stoppable between steps, and whole after a kill in the middle of one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.core.backups import list_backups
from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from desktop.core.library import open_library
from desktop.core.schema import migrations
from desktop.core.upgrade import pending_steps, upgrade_message
from tests.core.helpers import add_article, library_before

RELEASED = "0004_resumable_import_runs"  # the first migration 0.1.0 did not have
NOTES = ("a note in «two» scripts 中文", None, "a third note")


@pytest.fixture
def old_library(tmp_path) -> Path:
    """A library as 0.1.0 wrote it: articles, a tag, a star and three highlights, two with notes."""
    path = tmp_path / "old.db"
    with library_before(path, RELEASED) as db:
        ids = [add_article(db, f"Article {n} about the Harbin observatory and its telescope.",
                           title=f"Harbin {n}") for n in range(30)]
        db.execute("INSERT INTO tags (name, created) VALUES ('astronomy', '2026-11-21')")
        db.execute("INSERT INTO document_tags (document_id, tag_id) SELECT id, 1 FROM documents")
        db.execute("UPDATE documents SET starred = 1, note = 'my own note' WHERE id = ?", [ids[0]])
        for n, note in enumerate(NOTES):
            db.execute(
                'INSERT INTO annotations (uuid, document_id, start, "end", quote, note, colour, created, '
                "updated) VALUES (?, ?, 0, 7, 'Article', ?, 'yellow', '2026-11-21', '2026-11-21')",
                [f"uuid-{n}", ids[n], note])
    return path


def annotations_of(db) -> list[tuple]:
    return db.execute(
        'SELECT uuid, document_id, start, "end", quote, note FROM annotations ORDER BY uuid').fetchall()


def applied(path: Path) -> list[str]:
    db = Database(path)
    try:
        return [m.name for m in migrations.applied(db)]
    finally:
        db.close()


def test_opening_an_old_library_reports_the_backup_and_every_step(old_library):
    steps = pending_steps(old_library)
    seen = []
    with open_library(old_library, progress=seen.append) as library:
        assert len(library.upgraded) == steps
        assert library.backup_path.exists()
        assert str(library.backup_path) in upgrade_message(library)
        assert [n for n, _ in library.db.execute("SELECT id, title_key FROM documents WHERE title_key IS NULL")] == []
        assert [row[5] for row in annotations_of(library.db)] == list(NOTES)
    stepped = [p for p in seen if p.unit == "steps"]
    assert [p.done for p in stepped] == list(range(steps + 1))
    assert stepped[0].message == f"Step 1 of {steps}: resumable import runs"
    assert any(p.unit == "MB" for p in seen)  # the backup's progress came first
    assert pending_steps(old_library) == 0


def test_an_upgrade_cancelled_between_steps_keeps_the_steps_done_and_goes_on_when_opened_again(old_library):
    cancel = CancelToken()

    def stop_at_the_third_step(progress):
        if progress.unit == "steps" and progress.done == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        open_library(old_library, progress=stop_at_the_third_step, cancel=cancel)
    done = applied(old_library)
    assert done[3:] == [RELEASED, "0005_fts_declared_for_datasette", "0006_import_updates_and_missing_files"]
    with open_library(old_library) as library:
        assert len(library.upgraded) == len(migrations._migrations) - len(done)
        assert len(annotations_of(library.db)) == 3
        assert [m.name for m in migrations.applied(library.db)] == [m.name for m in migrations._migrations]


KILLED_IN_STEP = """
import os, signal, sys
from desktop.core import schema
from desktop.core.library import open_library

step = next(m for m in schema.migrations._migrations if m.name == sys.argv[2])
body = step.fn

def killed_before_commit(db):
    body(db)
    os.kill(os.getpid(), signal.SIGKILL)

step.fn = killed_before_commit
open_library(sys.argv[1])
"""


@pytest.mark.parametrize("step", ["0005_fts_declared_for_datasette", "0022_sort_keys_in_every_script"])
def test_a_process_killed_inside_a_step_leaves_the_steps_before_it_and_every_note(old_library, step):
    before = Database(old_library)
    notes = annotations_of(before)
    before.close()
    run = subprocess.run([sys.executable, "-c", KILLED_IN_STEP, str(old_library), step],
                         cwd=Path(__file__).resolve().parents[2], env={**os.environ}, check=False)
    assert run.returncode == -signal.SIGKILL
    names = [m.name for m in migrations._migrations]
    assert applied(old_library) == names[:names.index(step)]
    with open_library(old_library) as library:
        assert annotations_of(library.db) == notes
        assert library.db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'harbin'"
                                  ).fetchone()[0] == 30
    assert [b.reason for b in list_backups(old_library)].count(f"before-migration-{step}") == 1
