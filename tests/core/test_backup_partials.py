"""A backup cut short by a killed process (its ``.partial`` copy, as large as the library) is removed
by a later backup once nothing has written to it for a while; one being written now is left alone."""

from __future__ import annotations

import os
import time

from desktop.core.backups import PARTIAL_STALE, backup_before, backups_folder, list_backups


def test_a_partial_backup_left_by_a_killed_process_goes_with_the_next_backup(library):
    folder = backups_folder(library.path)
    folder.mkdir()
    name = f"{library.path.stem}.20261207-162721.before-migration-0004_x{library.path.suffix}"
    dead = [folder / f"{name}.48eab3a3.partial", folder / f"{name}.48eab3a3.partial-journal"]
    live = folder / f"{name}.9f0c11aa.partial"
    for path in (*dead, live):
        path.write_bytes(b"x" * 1024)
    long_ago = time.time() - PARTIAL_STALE.total_seconds() - 60
    for path in dead:
        os.utime(path, (long_ago, long_ago))

    made = backup_before(library, "manual")

    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, live.name])
    assert [b.path for b in list_backups(library.path)] == [made]
