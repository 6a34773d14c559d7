"""Two writers on one library: write transactions take the lock first, an import waits its turn."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from desktop.core.import_history import get_run
from desktop.core.ingest import import_paths


def _other_connection(library) -> sqlite3.Connection:
    return sqlite3.connect(library.path, timeout=0, isolation_level=None, check_same_thread=False)


def test_a_write_transaction_holds_the_write_lock_before_it_reads(library):
    other = _other_connection(library)
    try:
        with library.db.atomic():
            library.db.conn.execute("SELECT count(*) FROM documents").fetchone()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO tags (name, created) VALUES ('theirs', '')")
            library.db.conn.execute("INSERT INTO tags (name, created) VALUES ('ours', '')")
    finally:
        other.close()
    assert [r[0] for r in library.db.conn.execute("SELECT name FROM tags")] == ["ours"]


def test_an_import_batch_is_tried_again_when_another_writer_holds_the_library_too_long(library, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(f"Title {n}\n\nArticle number {n} about Tomsk.", encoding="utf-8")
    library.db.conn.execute("PRAGMA busy_timeout = 50")  # the wait runs out long before the other writer ends
    run_id = import_paths(library, []).run_id  # the run table exists and is not locked yet
    other = _other_connection(library)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.6, other.execute, args=("COMMIT",))
    release.start()
    try:
        started = time.monotonic()
        report = import_paths(library, [folder], batch_size=1)
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= 0.5
    assert len(report.imported) == 3 and report.failed == []
    assert get_run(library.db, report.run_id).imported == 3 and report.run_id == run_id + 1


def test_two_programs_making_the_same_backup_at_once_both_succeed(library):
    """The window's and a command's backup of the day fall in the same second: same file name."""
    from desktop.core.backups import backup_to
    from tests.core.helpers import add_article

    with library.db.atomic():
        for n in range(300):
            add_article(library.db, f"Article {n} about Tomsk. " * 40, title=f"Article {n}")
    target = library.path.parent / "backups" / "library.daily.sqlite"
    target.parent.mkdir()
    errors: list[BaseException] = []

    def back_up(start: threading.Barrier) -> None:
        conn = sqlite3.connect(library.path, check_same_thread=False)
        try:
            start.wait()
            backup_to(conn, target)
        except BaseException as err:  # noqa: BLE001 — what the test counts
            errors.append(err)
        finally:
            conn.close()

    for _ in range(5):
        start = threading.Barrier(4)
        threads = [threading.Thread(target=back_up, args=(start,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sqlite3.connect(target).execute("SELECT count(*) FROM documents").fetchone() == (300,)


def test_a_connections_lock_waiter_decides_how_its_writes_wait_for_another_writer(library):
    from desktop.core.errors import LibraryBusy
    from desktop.core.tags import create_tag, list_tags

    other = _other_connection(library)
    tries = []

    def waiter(conn, begin) -> None:  # tries without waiting, as the window's waiter does between repaints
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            for _ in range(3):
                tries.append(conn)
                try:
                    return begin()
                except sqlite3.OperationalError:
                    if len(tries) == 2:
                        other.rollback()
            raise LibraryBusy("gave up")
        finally:
            conn.execute(f"PRAGMA busy_timeout = {timeout}")

    library.db.conn.lock_waiter = waiter
    other.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    create_tag(library.db, "Biomed")  # held by the other writer twice, then free
    assert time.monotonic() - started < 1  # never the 10 s busy timeout
    assert tries == [library.db.conn] * 3 and [t["name"] for t in list_tags(library.db)] == ["Biomed"]
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(LibraryBusy):
        create_tag(library.db, "Space")
    other.rollback()
    other.close()
    assert [t["name"] for t in list_tags(library.db)] == ["Biomed"]
