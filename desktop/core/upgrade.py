"""Upgrading a library written by an older Dossier: its pending migrations, one step at a time.

Each migration runs in a transaction of its own and is recorded with it (sqlite-utils
``Migrations``), so an upgrade stopped between two steps, cancelled, or killed in the middle of
one leaves the library at the last step that committed: never half-migrated, and the next
opening goes on from there. ``apply_pending`` reports each step to ``progress`` before it runs,
and a long step's own progress (n of N articles, through ``migrations.report_progress``) while
it runs; ``cancel`` stops a step under way at once: its SQL is interrupted (SQLite's progress
handler) and its transaction rolled back. ``pending_steps`` tells, without writing, whether
opening a file will upgrade it, so a window can do that work away from its event loop;
``upgrade_message`` is what it says after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database, Migrations

from desktop import __app_name__

from .errors import Cancelled
from .jobs import CancelToken, Progress, ProgressCallback
from .library import Library
from .migrations import listening
from .schema import APPLICATION_ID, migrations

PHASE = "upgrading the library"
INTERRUPT_EVERY = 10_000
"""SQLite virtual-machine instructions between two looks at the cancel token (well under a
millisecond)."""


def pending_steps(path: Path) -> int:
    """How many migrations opening the library at ``path`` will apply (0 for a file that is
    current, missing, not a library or unreadable: opening it says why). Reads only."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError):
        return 0
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return 0
        return len(migrations.pending(Database(conn)))
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def step_name(name: str) -> str:
    """A migration's name as a person reads it: ``0005_fts_declared_for_datasette`` →
    ``fts declared for datasette``."""
    return name.partition("_")[2].replace("_", " ") or name


def apply_pending(db: Database, steps: Migrations = migrations, *, progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None) -> list[str]:
    """Apply the pending migrations of ``steps`` (the library's) in order, each committed with
    its record; returns their names. Raises ``Cancelled`` once ``cancel`` is set, between two
    steps or within one (whose work is then rolled back): the steps applied so far stay, the
    rest wait for the next opening."""
    pending = [migration.name for migration in steps.pending(db)]
    for done, name in enumerate(pending):
        stopped = Cancelled(f"The upgrade stopped after step {done} of {len(pending)}; "
                            "opening the library again goes on from there.")
        if cancel is not None and cancel.cancelled:
            raise stopped
        heading = f"Step {done + 1} of {len(pending)}: {step_name(name)}"
        if progress is not None:
            progress(Progress(done, len(pending), heading, phase=PHASE, unit="steps", even=False))
        later = pending[done + 1:done + 2]
        try:
            with _interruptible(db.conn, cancel), listening(_within_step(heading, progress, cancel)):
                steps.apply(db, stop_before=later or None)
        except (Cancelled, sqlite3.OperationalError):
            if cancel is None or not cancel.cancelled:
                raise
            raise stopped from None
    if progress is not None and pending:
        progress(Progress(len(pending), len(pending), "Upgraded", phase=PHASE, unit="steps", even=False))
    return pending


@contextmanager
def _interruptible(conn: sqlite3.Connection, cancel: CancelToken | None) -> Iterator[None]:
    """Within the block, a statement running on ``conn`` stops ("interrupted") within
    ``INTERRUPT_EVERY`` instructions once ``cancel`` is set, and so does every long one after it."""
    if cancel is None:
        yield
        return
    conn.set_progress_handler(lambda: cancel.cancelled, INTERRUPT_EVERY)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def _within_step(heading: str, progress: ProgressCallback | None,
                 cancel: CancelToken | None) -> Callable[[int, int], None]:
    """What a step's ``report_progress(done, total)`` does: show it under the step's heading,
    then raise ``Cancelled`` if the upgrade was cancelled."""
    phase = f"{PHASE}, {heading[0].lower()}{heading[1:]}"

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(Progress(done, total, f"{heading} ({done:,} of {total:,} articles)",
                              phase=phase, unit="articles"))
        if cancel is not None:
            cancel.raise_if_cancelled()

    return report


def upgrade_message(library: Library) -> str:
    """What the window and ``dossier`` say after opening ``library`` upgraded it: the steps, and
    where the backup of the library as it was lies; "" when opening did not upgrade it."""
    if not library.upgraded:
        return ""
    steps = len(library.upgraded)
    said = f"Upgraded {library.path.name}, written by an older {__app_name__}, in {steps} step{'s' * (steps != 1)}"
    if library.backup_path is None:
        return said + "."
    return f"{said}; its backup from before: {library.backup_path}"


def stopped_message(path: Path) -> str:
    """What the window and ``dossier`` say when the upgrade of the library at ``path`` was stopped:
    the steps done are kept, the next opening goes on, and where the backup from before lies."""
    from .backups import list_backups

    backup = next((b.path for b in list_backups(path) if b.is_migration), None)
    kept = f" Its backup from before: {backup}" if backup is not None else ""
    return (f"The upgrade of {path.name} was stopped: the steps done are kept, and "
            f"opening it again goes on from there.{kept}")
