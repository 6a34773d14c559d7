"""Checking a library for damage: SQLite's integrity checks, the full-text index, orphan rows.

``quick_check`` is SQLite's ``PRAGMA quick_check`` (page structure and records, no
index-against-table comparison): what a write session runs before writing.
``verify_sound`` is that check with a memory: a file whose state (inode, size,
modification time of the file and its ``-wal``) is what it was when a write session
that had checked it closed is not read again, for up to a day, so that a thousand
``dossier tag`` commands do not read the whole file a thousand times; any other
change to the file (another program, a disk that flips bytes through a write) makes
the next write session check again.

``check_library`` is the thorough check behind ``dossier check`` and the window's
*Check library…*: ``PRAGMA integrity_check``; the full-text index against the articles
(each article indexed, nothing else indexed) and FTS5's own ``integrity-check`` of the
index; and rows whose article, entity or tag is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .library import Library
from .library_messages import damaged_error
from .paths import data_dir
from .undo import plural

MAX_PROBLEMS = 20
MEMORY_FILE = "checked-libraries.json"
RECHECK_AFTER = dt.timedelta(days=1)
REMEMBERED = 50

# (table, column, parent table) pairs the schema keeps in step without a foreign key.
_UNCHECKED_REFERENCES = (
    ("document_entities", "document_id", "documents"),
    ("document_entities", "entity_id", "entities"),
)


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's ``quick_check``: an empty list when the file is sound, else what is wrong."""
    try:
        rows = conn.execute(f"PRAGMA quick_check({MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as err:
        return [str(err)]
    return _problems(rows)


def _file_state(path: Path) -> list[int | None]:
    state: list[int | None] = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            st = part.stat()
        except OSError:
            st = None
        # An empty -wal is the same file as none: SQLite creates one on every open.
        state += [st.st_ino, st.st_size, st.st_mtime_ns] if st and st.st_size else [None] * 3
    return state


def _memory() -> dict[str, dict]:
    try:
        return json.loads((data_dir() / MEMORY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def verify_sound(library: Library) -> None:
    """Raise ``LibraryDamaged`` unless ``quick_check`` finds the library sound, or it was
    found sound within a day and the file is as the last checked write session left it."""
    if library.verified:
        return
    seen = _memory().get(str(library.path.resolve()))
    now = dt.datetime.now(dt.timezone.utc)
    if seen and seen.get("state") == _file_state(library.path):
        checked = dt.datetime.fromisoformat(seen["checked"])
        if now - checked < RECHECK_AFTER:
            library.verified, library.checked_at = True, checked
            return
    problems = quick_check(library.db.conn)
    if problems:
        raise damaged_error(library.path, problems[0])
    library.verified, library.checked_at = True, now


def remember_sound(library: Library) -> None:
    """After a checked write session closed: remember the file's state as sound."""
    if not library.verified or library.checked_at is None:
        return
    memory = _memory()
    memory[str(library.path.resolve())] = {
        "state": _file_state(library.path), "checked": library.checked_at.isoformat()}
    newest = sorted(memory.items(), key=lambda item: item[1]["checked"])[-REMEMBERED:]
    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / (MEMORY_FILE + ".partial")
        partial.write_text(json.dumps(dict(newest)), encoding="utf-8")
        partial.replace(folder / MEMORY_FILE)
    except OSError:
        pass  # the next write session checks the file again


def _problems(rows: list[tuple[str]]) -> list[str]:
    """SQLite's check result as one problem per line ("ok" alone: none)."""
    lines = [line.strip() for (text,) in rows for line in str(text).splitlines()]
    return [line for line in lines if line and line != "ok" and not line.startswith("***")]


@dataclass
class CheckReport:
    """What ``check_library`` found: problems by area (empty lists: all is well)."""

    integrity: list[str] = field(default_factory=list)
    full_text: list[str] = field(default_factory=list)
    orphans: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.full_text or self.orphans)

    def summary(self) -> str:
        """One line for a person: "no problems found" or what is wrong, area by area."""
        if self.ok:
            notes = f" ({'; '.join(self.notes)})" if self.notes else ""
            return ("No problems found: the file, the full-text index and the links between rows "
                    f"are sound{notes}.")
        parts = []
        if self.integrity:
            more = f" (and {len(self.integrity) - 1} more)" if len(self.integrity) > 1 else ""
            parts.append(f"the file is damaged: {self.integrity[0].rstrip('.')}{more}")
        if self.full_text:
            parts.append(f"the full-text index is out of step with the articles: {self.full_text[0]}")
        if self.orphans:
            rows = ", ".join(f"{count} in {table}" for table, count in sorted(self.orphans.items()))
            parts.append(f"rows point at missing articles, entities or tags ({rows})")
        return "Problems found: " + "; ".join(parts) + "."

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "integrity": self.integrity, "full_text": self.full_text,
                "orphans": self.orphans, "notes": self.notes}


def check_library(library: Library) -> CheckReport:
    """Check the whole library (a full read of the file, seconds at 100k articles)."""
    report = CheckReport()
    conn = library.db.conn
    try:
        report.integrity = _problems(conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall())
    except sqlite3.DatabaseError as err:
        report.integrity = [str(err)]
    if report.integrity:
        report.notes.append("the index and orphan checks were skipped on a damaged file")
        return report
    report.full_text = _full_text_problems(library)
    if library.read_only:
        report.notes.append("the full-text index was checked for missing and stray articles "
                            "only: the library is read-only")
    report.orphans = _orphans(conn)
    return report


def _full_text_problems(library: Library) -> list[str]:
    """Articles the full-text index lacks or holds without an article (its ``docsize``
    table has one row per indexed article), then FTS5's own ``integrity-check`` of the
    index (an INSERT to SQLite, so not on a read-only library)."""
    conn = library.db.conn
    problems = []
    for sql, what in (
        ("SELECT count(*) FROM documents WHERE id NOT IN (SELECT id FROM documents_fts_docsize)",
         "not in the index"),
        ("SELECT count(*) FROM documents_fts_docsize WHERE id NOT IN (SELECT id FROM documents)",
         "indexed without an article"),
    ):
        try:
            count = conn.execute(sql).fetchone()[0]
        except sqlite3.DatabaseError as err:
            return [str(err)]
        if count:
            problems.append(f"{plural(count, 'article')} {what}")
    if library.read_only:
        return problems
    try:
        with conn:
            conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as err:
        problems.append(str(err))
    return problems


def _orphans(conn: sqlite3.Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table, *_ in conn.execute("PRAGMA foreign_key_check").fetchall():
        counts[table] = counts.get(table, 0) + 1
    for table, column, parent in _UNCHECKED_REFERENCES:
        missing = conn.execute(
            f"SELECT count(*) FROM [{table}] WHERE [{column}] NOT IN (SELECT id FROM [{parent}])"
        ).fetchone()[0]
        if missing:
            counts[table] = counts.get(table, 0) + missing
    return counts
