"""The record of past imports: runs (``import_runs``), their files (``imports``), retries, and
whether an unfinished run is still running.

Every import run leaves one ``import_runs`` row with its totals and one
``imports`` row per file (or per failed record of an export file, as
``path:N``), plus one per file gone from a re-imported folder (``missing``).
A duplicate's row names the article it duplicates, an update's the article it
updated, an unchanged file's (already in the library from that file) its article.
This module reads them for the import history and the import report: the runs
newest first, the files of a run (with the title of the article each names), the
files to try again after a failure, and the report as plain text for the clipboard.

A run that has not finished is *running* while the process that owns it
lives, else *interrupted* (killed, crashed, the laptop switched off). The run
row names its owner: process id, host name, boot id (Linux) and a token known
only to the owning process, plus a heartbeat written with every batch. On the
same host and boot the process is looked up (``os.kill(pid, 0)``; where that
is not available, on Windows, the heartbeat decides); a run of another host is
taken for dead when its heartbeat is older than ``STALE_AFTER``.
``mark_interrupted`` records what it finds, so the state outlives the check.

The run rows' ownership is written here too: ``start_run`` records a new run
with the numbered list of its files, ``claim_run`` hands an interrupted run to
a process that resumes it, ``give_up_run`` marks a run an error stopped.
``desktop.core.ingest`` writes the batches and the totals.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .errors import InvalidInput, NotFound
from .import_report import StoppedWithin, totals_line
from .library import now_iso

STATUSES = ("imported", "updated", "unchanged", "duplicate", "failed", "missing")
STALE_AFTER = dt.timedelta(minutes=10)
_RECORD = re.compile(r"^(?P<file>.+):(?P<number>\d+)$")
_BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


@dataclass(frozen=True)
class ImportRun:
    """One import run and its totals (articles imported, updated, files unchanged, duplicates,
    failures, missing files)."""

    id: int
    started_at: str
    finished_at: str | None
    paths: list[str]
    imported: int
    duplicates: int
    failed: int
    cancelled: bool
    running: bool = False
    updated: int = 0
    missing: int = 0
    unchanged: int = 0
    stopped_within: StoppedWithin | None = None

    @property
    def state(self) -> str:
        """The run's outcome in words: finished, cancelled, running, or interrupted (its process died)."""
        if self.cancelled:
            return "cancelled"
        if self.finished_at:
            return "finished"
        return "running" if self.running else "interrupted"

    def summary(self) -> str:
        """One line for a person: "412 imported, 3 duplicates, 2 failed", with "1 updated" and
        "40 unchanged" after the imported and "1 missing" at the end when the run updated articles,
        met files already in the library as they are or found files gone."""
        text = totals_line(imported=self.imported, updated=self.updated, unchanged=self.unchanged,
                           duplicates=self.duplicates, failed=self.failed, missing=self.missing)
        return text if self.state == "finished" else f"{text} ({self.state})"


def local_time(stamp: str) -> str:
    """A stored UTC time as the computer's local time, to the minute."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


@dataclass(frozen=True)
class ImportedFile:
    """What one run did with one file (or one record ``path:N`` of an export file), and the
    title of the article it names (imported, updated, unchanged, duplicated, or whose file is missing)."""

    path: str
    status: str
    reason: str | None
    document_id: int | None
    title: str | None = None

    def describe(self) -> str:
        """What became of the file, for a person: the reason, or the article it names."""
        article = f"article {self.document_id} “{self.title or 'untitled'}”" if self.document_id else ""
        if self.status == "duplicate":
            return f"duplicate of {article}" if article else "duplicate"
        if self.status == "unchanged":
            return f"unchanged, already in the library as {article}" if article else "unchanged"
        if self.status == "updated":
            return f"updated {article}" + (f" ({self.reason})" if self.reason else "")
        if self.status == "missing" and article:
            return f"{self.reason or 'no longer in the folder'} ({article})"
        if self.status == "imported" and self.reason:
            return f"{article} ({self.reason})"
        return self.reason or (article or "no reason recorded")


@dataclass(frozen=True)
class RunOwner:
    """The process that runs an import: what the run row stores to tell a live run from a dead one."""

    pid: int
    host: str
    boot_id: str
    token: str

    def columns(self) -> dict[str, Any]:
        """The ``import_runs`` columns that name this owner."""
        return {"pid": self.pid, "host": self.host, "boot_id": self.boot_id, "owner_token": self.token}


_OWNER_COLUMNS = "pid, host, boot_id, owner_token, heartbeat_at, interrupted_at"
_RUN_COLUMNS = (f"id, started_at, finished_at, paths, imported, duplicates, failed, cancelled, "
               f"{_OWNER_COLUMNS}, updated, missing, unchanged, stopped_within")
_OWNER_SLICE = slice(8, 8 + len(_OWNER_COLUMNS.split(", ")))
_ACTIVE_TOKENS: set[str] = set()  # the runs this process is importing right now


def new_owner() -> RunOwner:
    """An owner for a run this process starts (or resumes); it is alive until ``release_owner``."""
    owner = RunOwner(os.getpid(), socket.gethostname(), _boot_id(), uuid.uuid4().hex)
    _ACTIVE_TOKENS.add(owner.token)
    return owner


def release_owner(owner: RunOwner) -> None:
    """This process no longer runs the import ``owner`` named (it ended, or failed)."""
    _ACTIVE_TOKENS.discard(owner.token)


def _boot_id() -> str:
    try:
        return _BOOT_ID_FILE.read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _owner_alive(row: dict[str, Any], *, now: dt.datetime) -> bool:
    """Whether the process named in the run ``row`` (``_OWNER_COLUMNS``) is still importing."""
    if row["pid"] is None or row["interrupted_at"] is not None:
        return False
    if row["host"] != socket.gethostname() or os.name != "posix":
        beat = row["heartbeat_at"]
        return beat is not None and now - dt.datetime.fromisoformat(beat) < STALE_AFTER
    mine = _boot_id()
    if row["boot_id"] and mine and row["boot_id"] != mine:
        return False
    if row["pid"] == os.getpid():
        return row["owner_token"] in _ACTIVE_TOKENS
    return process_lives(row["pid"])


def process_lives(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (POSIX)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _run(row: tuple[Any, ...], *, now: dt.datetime) -> ImportRun:
    run_id, started, finished, paths, imported, duplicates, failed, cancelled = row[:8]
    try:
        named = [str(p) for p in json.loads(paths or "[]")]
    except ValueError:
        named = [str(paths)]
    owner = dict(zip(_OWNER_COLUMNS.split(", "), row[_OWNER_SLICE]))
    running = finished is None and not cancelled and _owner_alive(owner, now=now)
    updated, missing, unchanged, stopped = row[_OWNER_SLICE.stop:]
    within = StoppedWithin.from_json(json.loads(stopped)) if stopped and cancelled else None
    return ImportRun(run_id, started, finished, named, imported, duplicates, failed, bool(cancelled), running,
                     updated, missing, unchanged, within)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def mark_interrupted(db: Database) -> list[int]:
    """Record as interrupted every unfinished run whose process is gone; returns their ids.

    Call it inside a write transaction that then relies on the result (claiming a
    run to resume it), or on its own.
    """
    rows = db.conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM import_runs "
        "WHERE finished_at IS NULL AND cancelled = 0 AND interrupted_at IS NULL"
    ).fetchall()
    now = _now()
    dead = [row[0] for row in rows if not _run(row, now=now).running]
    if dead:
        with db.atomic():
            db.conn.execute(
                "UPDATE import_runs SET interrupted_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                [now_iso(), json.dumps(dead)],
            )
    return dead


def start_run(db: Database, paths: Sequence[Path | str], names: list[str], owner: RunOwner) -> int:
    """Record a new run of ``paths``, owned by ``owner``, with the numbered list of its files
    ``names`` (kept until the run finishes); returns its id. Dead runs are marked interrupted first."""
    with db.atomic():
        mark_interrupted(db)
        now = now_iso()
        run_id = db.conn.execute(
            """INSERT INTO import_runs (started_at, paths, heartbeat_at, pid, host, boot_id, owner_token)
               VALUES (:started, :paths, :started, :pid, :host, :boot_id, :owner_token)""",
            {"started": now, "paths": json.dumps([str(p) for p in paths]), **owner.columns()},
        ).lastrowid
        db.conn.executemany(
            "INSERT INTO import_run_files (run_id, seq, path) VALUES (?, ?, ?)",
            ((run_id, seq, name) for seq, name in enumerate(names, start=1)),
        )
    return run_id


def claim_run(db: Database, run_id: int, owner: RunOwner) -> list[tuple[int, str]]:
    """Make ``owner`` the owner of the interrupted or cancelled run ``run_id``; returns the numbered
    files it has yet to read. Raises ``InvalidInput`` for a run that finished, is still running,
    or did not record its files (runs of older versions)."""
    with db.atomic():
        mark_interrupted(db)
        run = get_run(db, run_id)
        if run.state == "finished":
            raise InvalidInput(f"Import run {run_id} has finished: there is nothing to resume.")
        if run.state == "running":
            raise InvalidInput(f"Import run {run_id} is still running.")
        files_done, listed = db.conn.execute(
            """SELECT files_done, (SELECT count(*) FROM import_run_files WHERE run_id = r.id)
               FROM import_runs AS r WHERE id = ?""",
            [run_id],
        ).fetchone()
        if not listed:
            raise InvalidInput(
                f"Import run {run_id} did not record its files; import its folders again "
                "(the articles already stored are recognised as unchanged)."
            )
        db.conn.execute(
            """UPDATE import_runs SET pid = :pid, host = :host, boot_id = :boot_id,
               owner_token = :owner_token, heartbeat_at = :now, interrupted_at = NULL, cancelled = 0,
               stopped_within = NULL
               WHERE id = :run_id""",
            {"now": now_iso(), "run_id": run_id, **owner.columns()},
        )
        return db.conn.execute(
            "SELECT seq, path FROM import_run_files WHERE run_id = ? AND seq > ? ORDER BY seq",
            [run_id, files_done],
        ).fetchall()


def give_up_run(db: Database, run_id: int) -> None:
    """Mark run ``run_id`` interrupted after an error stopped it (when the library can still be written)."""
    try:
        with db.atomic():
            db.conn.execute(
                "UPDATE import_runs SET interrupted_at = ? WHERE id = ? AND finished_at IS NULL",
                [now_iso(), run_id],
            )
    except sqlite3.Error:
        pass  # the run reads interrupted anyway once its owner is released


def list_runs(db: Database, *, limit: int = 500) -> list[ImportRun]:
    """The latest ``limit`` import runs, newest first."""
    rows = db.conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM import_runs ORDER BY id DESC LIMIT ?", [limit]
    )
    now = _now()
    return [_run(row, now=now) for row in rows]


def get_run(db: Database, run_id: int) -> ImportRun:
    """One import run; raises ``NotFound`` when there is no such run."""
    row = db.conn.execute(f"SELECT {_RUN_COLUMNS} FROM import_runs WHERE id = ?", [run_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no import run {run_id}.")
    return _run(row, now=_now())


def latest_run_id(db: Database) -> int:
    """The id of the newest import run, 0 when nothing was ever imported."""
    return db.conn.execute("SELECT coalesce(max(id), 0) FROM import_runs").fetchone()[0]


def own_run_after(db: Database, after_run: int) -> int | None:
    """The newest run newer than ``after_run`` that this process started; None when it started none."""
    return db.conn.execute("SELECT max(id) FROM import_runs WHERE id > ? AND pid = ?",
                           [after_run, os.getpid()]).fetchone()[0]


def recorded_since(db: Database, *, after_run: int) -> tuple[int, int]:
    """Files recorded by runs newer than ``after_run`` so far: (articles stored, updated, found
    unchanged or duplicate, failures). Read while an import runs, it counts what has been committed."""
    row = db.conn.execute(
        "SELECT total(status IN ('imported', 'updated', 'unchanged', 'duplicate')), total(status = 'failed') "
        "FROM imports WHERE run_id > ?",
        [after_run],
    ).fetchone()
    return int(row[0]), int(row[1])


def run_files(db: Database, run_id: int, *, status: str | None = None, noted: bool = False) -> list[ImportedFile]:
    """The files of run ``run_id`` in the order they were recorded, optionally of one ``status``
    and, with ``noted``, only those with a reason or note (an imported file's note)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Unknown import status {status!r}: use one of {', '.join(STATUSES)}.")
    get_run(db, run_id)
    rows = db.conn.execute(
        """SELECT i.path, i.status, i.reason, i.document_id, d.title
           FROM imports AS i LEFT JOIN documents AS d ON d.id = i.document_id
           WHERE i.run_id = ? AND (? IS NULL OR i.status = ?) AND (NOT ? OR i.reason IS NOT NULL)
           ORDER BY i.id""",
        [run_id, status, status, noted],
    )
    return [ImportedFile(*row) for row in rows]


def failed_paths(db: Database, run_id: int) -> list[Path]:
    """The files to import again to retry the failures of run ``run_id``, each once.

    A failed record ``export.jsonl:12`` is retried by importing ``export.jsonl``
    again (its good records are then unchanged).
    """
    files: dict[str, None] = {}
    for item in run_files(db, run_id, status="failed"):
        files.setdefault(source_file(item.path), None)
    return [Path(name) for name in files]


def source_file(recorded: str) -> str:
    """The file an ``imports`` path names: itself, or ``file`` for a record ``file:N``."""
    record = _RECORD.match(recorded)
    if record is None or Path(recorded).exists():
        return recorded
    return record.group("file")


def report_text(db: Database, run_id: int) -> str:
    """The report of run ``run_id`` as plain text: one line per failed, updated, duplicate or
    missing file and per file imported with a note, saying why or naming its article (the files
    already in the library as they are, unchanged, are counted in the summary, not listed)."""
    run = get_run(db, run_id)
    lines = [
        f"Import of {', '.join(run.paths) or '(nothing)'}",
        f"Started {run.started_at}, {run.state}" + (f": {run.stopped_within.describe()}" if run.stopped_within else ""),
        run.summary(),
    ]
    for status, heading in _REPORT_SECTIONS:
        files = run_files(db, run_id, status=status, noted=status == "imported")
        if files:
            lines.extend(["", heading])
            lines.extend(f"{item.path}: {item.describe()}" for item in files)
    return "\n".join(lines) + "\n"


_REPORT_SECTIONS = (
    ("failed", "Failed:"),
    ("imported", "Imported with a note:"),
    ("updated", "Updated in place:"),
    ("missing", "Missing (no longer in the folder; their articles are kept):"),
    ("duplicate", "Duplicates (another file's text, already in the library):"),
)
