"""Automatic rolling backups: when they are made, how many are kept, restoring one."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from desktop.core import backups, schema
from desktop.core.backups import (
    backup_before,
    backup_daily,
    backups_folder,
    list_backups,
    prune,
    restore,
)
from desktop.core.entities.corrections import merge_entities
from desktop.core.errors import LibraryDamaged, NotALibrary, SchemaTooNew
from desktop.core.library import open_library
from desktop.core.removal import remove_documents
from desktop.core.webannotation import export_annotations
from desktop.core.webannotation_import import import_annotations
from tests.core.helpers import add_seeds
from tests.core.test_damage import build_library, flip_page_bytes, found_after_a_crash


def titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT title FROM documents ORDER BY id")]


def make_backup(library_path: Path, reason: str, when: dt.datetime) -> Path:
    folder = backups_folder(library_path)
    folder.mkdir(exist_ok=True)
    path = folder / f"{library_path.stem}.{when.strftime(backups.STAMP)}.{reason}{library_path.suffix}"
    shutil.copy(library_path, path)
    return path


def test_a_backup_is_a_consistent_copy_in_the_backups_folder(library):
    add_seeds(library.db)
    library.db.execute("UPDATE documents SET title = 'uncheckpointed' WHERE id = 1")
    target = backup_before(library, "merge entities")
    assert target.parent == library.path.parent / "backups"
    assert target.name.startswith("library.") and target.name.endswith(".before-merge-entities.sqlite")
    assert titles(target) == titles(library.path) and titles(target)[0] == "uncheckpointed"
    assert not target.with_name(target.name + "-wal").exists()


def test_the_daily_backup_is_made_at_most_once_a_day(library):
    assert backup_daily(library) is None  # an empty library has nothing to protect yet
    add_seeds(library.db)
    now = dt.datetime.now()
    first = backup_daily(library, now=now)
    assert first is not None
    assert backup_daily(library, now=now + dt.timedelta(hours=23)) is None
    assert backup_daily(library, now=now + dt.timedelta(hours=25)) is not None


def test_the_daily_backup_of_a_damaged_library_is_deleted_and_named(tmp_path):
    from tests.core.test_damage import build_library

    path = build_library(tmp_path / "library.sqlite")
    flip_page_bytes(path, btree="documents", seed=1)
    with open_library(path) as lib, pytest.raises(LibraryDamaged):
        backup_daily(lib)
    assert list_backups(path) == []


def test_pruning_keeps_seven_automatic_the_latest_per_migration_and_every_manual(library_path):
    start = dt.datetime(2026, 1, 1, 12)
    for day in range(10):
        make_backup(library_path, "daily", start + dt.timedelta(days=day))
    for n in range(3):
        make_backup(library_path, "before-migration-0004_x", start + dt.timedelta(hours=n))
    make_backup(library_path, "before-migration-0005_y", start)
    make_backup(library_path, "manual", start)
    prune(library_path)
    kept = list_backups(library_path)
    daily = [b.created.day for b in kept if b.reason == "daily"]
    assert daily == [10, 9, 8, 7, 6, 5, 4]
    migrations = [(b.reason, b.created.hour) for b in kept if b.is_migration]
    assert migrations == [("before-migration-0004_x", 14), ("before-migration-0005_y", 12)]
    assert [b.reason for b in kept if b.reason == "manual"] == ["manual"]


def test_a_pending_migration_backs_up_into_the_backups_folder(library_path, monkeypatch):
    added = schema.Migrations(schema.MIGRATION_SET)
    added._migrations.extend(schema.migrations._migrations)

    @added(name="9999_test_column")
    def _add_column(db):
        db.execute("ALTER TABLE documents ADD COLUMN test_column TEXT")

    monkeypatch.setattr("desktop.core.library.migrations", added)
    with open_library(library_path) as lib:
        assert lib.backup_path.parent == library_path.parent / "backups"
    assert [b.reason for b in list_backups(library_path)] == ["before-migration-9999_test_column"]


def test_bulk_operations_back_up_first(library, tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "UNDOABLE_INTERVAL", dt.timedelta(0))
    ids = add_seeds(library.db)
    a = library.db["entities"].insert({"label": "ORG", "name": "A"}).last_pk
    b = library.db["entities"].insert({"label": "ORG", "name": "B"}).last_pk
    merge_entities(library.db, [b], into=a)
    export_annotations(library.db, tmp_path / "notes.jsonld")
    import_annotations(library.db, tmp_path / "notes.jsonld")
    remove_documents(library.db, ids[:2])
    reasons = sorted(b.reason for b in list_backups(library.path))
    assert reasons == ["before-import-annotations", "before-merge-entities", "before-remove-articles"]


def test_a_merge_run_inside_its_own_transaction_backs_up_the_library_as_it_was_before(library):
    """The window's writer runs a large merge inside one transaction it can still cancel; the
    backup the merge makes first waited forever for that transaction."""
    add_seeds(library.db)
    a = library.db["entities"].insert({"label": "ORG", "name": "A"}).last_pk
    b = library.db["entities"].insert({"label": "ORG", "name": "B"}).last_pk
    done = threading.Event()

    def merge_in_one_transaction() -> None:
        with library.db.atomic():
            merge_entities(library.db, [b], into=a)
        done.set()

    threading.Thread(target=merge_in_one_transaction, daemon=True).start()
    assert done.wait(30), "the merge never ended: its backup waited for the merge's own transaction"
    backup = next(b.path for b in list_backups(library.path) if b.reason == "before-merge-entities")
    with closing(sqlite3.connect(backup)) as copy:
        assert {name for (name,) in copy.execute("SELECT name FROM entities")} == {"A", "B"}
    assert {name for (name,) in library.db.execute("SELECT name FROM entities")} == {"A"}


def test_merges_one_after_another_back_up_once_the_undo_history_holds_the_rest(library):
    """Accepting suggestion after suggestion does not copy the whole library each time."""
    add_seeds(library.db)
    ids = [library.db["entities"].insert({"label": "ORG", "name": name}).last_pk for name in "ABCD"]
    merge_entities(library.db, [ids[1]], into=ids[0])
    merge_entities(library.db, [ids[3]], into=ids[2])
    assert [b.reason for b in list_backups(library.path)] == ["before-merge-entities"]
    assert backup_before(library, "manual") is not None  # asked for: always made


def test_restore_puts_the_backup_back_and_keeps_the_current_file(library):
    add_seeds(library.db)
    saved = backup_before(library, "manual")
    library.db.execute("DELETE FROM documents")
    done = restore(library.path, saved)
    assert len(titles(library.path)) == 5
    assert library.document_count() == 5  # an open connection reads the restored pages
    assert titles(done.kept_as) == []


def test_restore_over_a_damaged_library_replaces_it(tmp_path):
    from tests.core.test_damage import build_library

    path = build_library(tmp_path / "library.sqlite")
    with open_library(path) as lib:
        saved = backup_before(lib, "manual")
    flip_page_bytes(path, btree="documents", seed=1)
    done = restore(path, saved)
    with open_library(path) as lib:
        assert lib.document_count() == 400
    assert done.kept_as.read_bytes() != path.read_bytes()


def test_a_damaged_library_restored_over_is_kept_as_damaged_and_never_the_newest_to_restore(tmp_path):
    """The damaged file kept before a restore read "before restore" and came first among the
    backups, so the hint to restore the newest backup named a file that restore refuses."""
    from desktop.core.backups import DAMAGED_REASON, list_backups, newest_backup
    from tests.core.test_damage import build_library

    path = build_library(tmp_path / "library.sqlite")
    with open_library(path) as lib:
        saved = backup_before(lib, "manual")
    flip_page_bytes(path, btree="documents", seed=1)
    done = restore(path, saved)
    newest = list_backups(path)[0]
    assert newest.path == done.kept_as and newest.reason == DAMAGED_REASON and newest.is_damaged
    with open_library(path) as lib:
        assert newest_backup(lib) == saved
    with pytest.raises(LibraryDamaged):
        restore(path, done.kept_as)


def test_a_damaged_library_kept_before_a_restore_is_never_pruned(tmp_path):
    from desktop.core.backups import DAMAGED_REASON, KEEP, prune

    path = tmp_path / "library.sqlite"
    with open_library(path):
        pass
    start = dt.datetime(2024, 1, 1)
    damaged = make_backup(path, DAMAGED_REASON, start)
    for day in range(1, KEEP + 3):
        make_backup(path, "daily", start + dt.timedelta(days=day))
    assert damaged not in prune(path) and damaged.exists()


def test_restore_refuses_what_is_not_an_intact_current_library(library_path, tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database")
    with pytest.raises(NotALibrary):
        restore(library_path, text)
    newer = tmp_path / "newer.sqlite"
    shutil.copy(library_path, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(SchemaTooNew):
        restore(library_path, newer)


def test_a_backup_holds_the_changes_still_only_in_the_wal(tmp_path):
    path = found_after_a_crash(build_library(tmp_path / "healthy.sqlite"), tmp_path, damaged=False)
    with open_library(path) as lib:
        saved = backup_before(lib, "manual")
    assert not saved.with_name(saved.name + "-wal").exists()
    with sqlite3.connect(saved) as conn:
        assert conn.execute("SELECT note FROM annotations WHERE note = 'my newest note'").fetchone()


def test_restore_over_a_damaged_library_keeps_the_changes_still_only_in_its_wal(tmp_path):
    """The damaged file was kept without its -wal: recover could no longer bring back the
    highlights saved since SQLite last wrote them into the file."""
    from desktop.core.recover import recover

    healthy = build_library(tmp_path / "healthy.sqlite")
    path = found_after_a_crash(healthy, tmp_path)
    wal = path.with_name("library.sqlite-wal").read_bytes()
    done = restore(path, healthy)
    assert done.kept_as.with_name(done.kept_as.name + "-wal").read_bytes() == wal
    recover(done.kept_as, tmp_path / "recovered.sqlite")
    with open_library(tmp_path / "recovered.sqlite") as lib:
        assert lib.db.execute("SELECT note FROM annotations WHERE note = 'my newest note'").fetchone()
    with open_library(path) as lib:
        assert lib.document_count() == 400


def test_a_restore_that_fails_leaves_the_damaged_library_and_its_wal_unwritten(tmp_path, monkeypatch):
    from tests.core.test_damage import sha256

    healthy = build_library(tmp_path / "healthy.sqlite")
    path = found_after_a_crash(healthy, tmp_path)
    wal = path.with_name("library.sqlite-wal")
    before = sha256(path), sha256(wal)

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desktop.core.backups.backup_to", full_disk)
    with pytest.raises(OSError):
        restore(path, healthy)
    assert (sha256(path), sha256(wal)) == before


def test_a_backup_reports_its_progress_in_steps_and_stops_when_cancelled_leaving_no_file(library, tmp_path,
                                                                                        monkeypatch):
    from desktop.core.backups import backup_to
    from desktop.core.errors import Cancelled
    from desktop.core.jobs import CancelToken

    add_seeds(library.db)
    page_size = library.db.conn.execute("PRAGMA page_size").fetchone()[0]
    pages = library.db.conn.execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setattr(backups, "STEP_BYTES", page_size * 4)
    out = tmp_path / "out"
    out.mkdir()
    steps = []
    backup_to(library.db.conn, out / "whole.sqlite", progress=steps.append)
    assert len(steps) == -(-pages // 4) and {step.unit for step in steps} == {"MB"}
    cancel = CancelToken()

    def cancel_after_the_first_step(step):
        cancel.cancel()

    with pytest.raises(Cancelled):
        backup_to(library.db.conn, out / "cut.sqlite", progress=cancel_after_the_first_step, cancel=cancel)
    assert [path.name for path in out.iterdir()] == ["whole.sqlite"]
