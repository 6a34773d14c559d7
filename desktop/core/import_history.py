"""Reading the record of past imports: runs (``import_runs``), their files (``imports``), retries.

Every import run leaves one ``import_runs`` row with its totals and one
``imports`` row per file (or per failed record of an export file, as
``path:N``). This module reads them for the import history and the import
report: the runs newest first, the files of a run, the files to try again
after a failure, and the report as plain text for the clipboard.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .errors import InvalidInput, NotFound

STATUSES = ("imported", "duplicate", "failed")
_RECORD = re.compile(r"^(?P<file>.+):(?P<number>\d+)$")


@dataclass(frozen=True)
class ImportRun:
    """One import run and its totals (articles imported, duplicates, failures)."""

    id: int
    started_at: str
    finished_at: str | None
    paths: list[str]
    imported: int
    duplicates: int
    failed: int
    cancelled: bool

    @property
    def state(self) -> str:
        """The run's outcome in words: finished, cancelled or interrupted (never finished)."""
        if self.cancelled:
            return "cancelled"
        return "finished" if self.finished_at else "interrupted"

    def summary(self) -> str:
        """One line for a person: "412 imported, 3 duplicates, 2 failed"."""
        text = f"{self.imported:,} imported, {self.duplicates:,} duplicates, {self.failed:,} failed"
        return text if self.state == "finished" else f"{text} ({self.state})"


@dataclass(frozen=True)
class ImportedFile:
    """What one run did with one file (or one record ``path:N`` of an export file)."""

    path: str
    status: str
    reason: str | None
    document_id: int | None


_RUN_COLUMNS = "id, started_at, finished_at, paths, imported, duplicates, failed, cancelled"


def _run(row: tuple[Any, ...]) -> ImportRun:
    run_id, started, finished, paths, imported, duplicates, failed, cancelled = row
    try:
        named = [str(p) for p in json.loads(paths or "[]")]
    except ValueError:
        named = [str(paths)]
    return ImportRun(run_id, started, finished, named, imported, duplicates, failed, bool(cancelled))


def list_runs(db: Database, *, limit: int = 500) -> list[ImportRun]:
    """The latest ``limit`` import runs, newest first."""
    rows = db.conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM import_runs ORDER BY id DESC LIMIT ?", [limit]
    )
    return [_run(row) for row in rows]


def get_run(db: Database, run_id: int) -> ImportRun:
    """One import run; raises ``NotFound`` when there is no such run."""
    row = db.conn.execute(f"SELECT {_RUN_COLUMNS} FROM import_runs WHERE id = ?", [run_id]).fetchone()
    if row is None:
        raise NotFound(f"There is no import run {run_id}.")
    return _run(row)


def latest_run_id(db: Database) -> int:
    """The id of the newest import run, 0 when nothing was ever imported."""
    return db.conn.execute("SELECT coalesce(max(id), 0) FROM import_runs").fetchone()[0]


def recorded_since(db: Database, *, after_run: int) -> tuple[int, int]:
    """Files recorded by runs newer than ``after_run`` so far: (articles stored or found
    duplicate, failures). Read while an import runs, it counts what has been committed."""
    row = db.conn.execute(
        "SELECT count(*) - total(status = 'failed'), total(status = 'failed') FROM imports WHERE run_id > ?",
        [after_run],
    ).fetchone()
    return int(row[0]), int(row[1])


def run_files(db: Database, run_id: int, *, status: str | None = None) -> list[ImportedFile]:
    """The files of run ``run_id`` in the order they were recorded, optionally of one ``status``."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Unknown import status {status!r}: use one of {', '.join(STATUSES)}.")
    get_run(db, run_id)
    rows = db.conn.execute(
        """SELECT path, status, reason, document_id FROM imports
           WHERE run_id = ? AND (? IS NULL OR status = ?) ORDER BY id""",
        [run_id, status, status],
    )
    return [ImportedFile(*row) for row in rows]


def failed_paths(db: Database, run_id: int) -> list[Path]:
    """The files to import again to retry the failures of run ``run_id``, each once.

    A failed record ``export.jsonl:12`` is retried by importing ``export.jsonl``
    again (its good records are then duplicates).
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
    """The report of run ``run_id`` as plain text, one failed file per line with its reason."""
    run = get_run(db, run_id)
    lines = [
        f"Import of {', '.join(run.paths) or '(nothing)'}",
        f"Started {run.started_at}, {run.state}",
        run.summary(),
    ]
    failures = run_files(db, run_id, status="failed")
    if failures:
        lines.append("")
        lines.append("Failed:")
        lines.extend(f"{item.path}: {item.reason or 'no reason recorded'}" for item in failures)
    return "\n".join(lines) + "\n"
