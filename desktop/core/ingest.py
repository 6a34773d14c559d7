"""The import pipeline: files and folders in, whole documents and an import report out.

``import_paths`` finds the files, hands each one to the parser registered for its
suffix (``desktop.core.formats``), and stores the articles in batches: one
transaction per batch holds the documents (their full-text rows follow by
trigger) together with the ``imports`` rows saying what became of each file, so
an import that is cancelled or killed keeps every batch it committed and no
partial document. An article whose normalised text is already in the library,
or earlier in the same run, is a duplicate (``documents.sha256`` is unique).

A parser's per-record problems are reported as failures of ``path:N`` when the
problem reads ``"line N: reason"`` (or ``row N`` / ``record N``), else of the file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .encoding import normalise_text
from .errors import Cancelled, ImportFailed
from .formats import Article, ParsedFile, Parser, parser_for
from .jobs import CancelToken, Progress, ProgressCallback
from .library import Library, now_iso

log = logging.getLogger(__name__)

_PROBLEM_AT = re.compile(r"^(?:line|row|record)\s+(\d+)\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass
class ImportReport:
    """What one import run did: new document ids, duplicate paths, failures with their reasons."""

    run_id: int
    imported: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    total_files: int = 0

    def to_json(self) -> dict[str, Any]:
        """The shape ``dossier import --json`` prints."""
        return {
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "failed": [{"path": path, "error": reason} for path, reason in self.failed],
        }


@dataclass
class _Outcome:
    """One article to store, or one failure, from one file."""

    path: str
    article: Article | None = None
    reason: str | None = None


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Every file named or inside a named folder (recursively), absolute and sorted.

    Hidden files and folders inside a folder are skipped; a path that does not
    exist is kept so that the import reports it.
    """
    found: set[Path] = set()
    for given in paths:
        path = Path(given).expanduser().absolute()
        if path.is_dir():
            found.update(_walk(path))
        else:
            found.add(path)
    return sorted(found)


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (Path(root, name) for name in files if not name.startswith("."))


def import_paths(
    library: Library,
    paths: Sequence[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    batch_size: int = 2000,
    batch_seconds: float = 1.0,
) -> ImportReport:
    """Import files and folders into ``library``; returns what was imported, duplicated or failed.

    Commits every ``batch_size`` files or ``batch_seconds``, whichever comes
    first (large transactions keep the full-text index fast to build; the time
    limit lets a window show new articles as they arrive); ``progress`` hears of each file; when
    ``cancel`` is set (or ``progress`` raises ``Cancelled``) the documents read so
    far are committed and the report says ``cancelled``; ``Cancelled`` is never raised.
    """
    files = collect_files([Path(p) for p in paths])
    report = ImportReport(run_id=_start_run(library, paths), total_files=len(files))
    parsers: dict[str, Parser | None] = {}
    pending: list[_Outcome] = []
    last_commit = time.monotonic()
    for done, path in enumerate(files, start=1):
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            break
        pending.extend(_read(path, parsers))
        if len(pending) >= batch_size or time.monotonic() - last_commit >= batch_seconds:
            _commit(library, report, pending)
            pending = []
            last_commit = time.monotonic()
        if progress is not None and not _report_progress(progress, Progress(done, len(files), str(path))):
            report.cancelled = True
            break
    _commit(library, report, pending, finished=True)
    return report


def _report_progress(progress: ProgressCallback, step: Progress) -> bool:
    """Tell ``progress`` of a step; False when it asks to stop by raising ``Cancelled``."""
    try:
        progress(step)
    except Cancelled:
        return False
    return True


def _read(path: Path, parsers: dict[str, Parser | None]) -> list[_Outcome]:
    """Parse one file into outcomes; every way a file can fail becomes a failed outcome."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in parsers:
        parsers[suffix] = parser_for(path)
    parser = parsers[suffix]
    if parser is None:
        return [_Outcome(name, reason="unsupported type")]
    try:
        parsed = parser(path.read_bytes(), path)
    except OSError as err:
        return [_Outcome(name, reason=_os_reason(err))]
    except ImportFailed as err:
        return [_Outcome(name, reason=str(err))]
    except Exception as err:  # a parser bug must not stop the other files
        log.exception("parser failed on %s", path)
        return [_Outcome(name, reason=f"could not be read ({type(err).__name__}: {err})")]
    return _outcomes(name, parsed)


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a folder"
    return f"cannot be read: {err.strerror or err}"


def _outcomes(name: str, parsed: ParsedFile) -> list[_Outcome]:
    outcomes = [_Outcome(name, article=article) for article in parsed.articles]
    for problem in parsed.problems:
        located = _PROBLEM_AT.match(problem)
        if located:
            outcomes.append(_Outcome(f"{name}:{located.group(1)}", reason=located.group(2)))
        else:
            outcomes.append(_Outcome(name, reason=problem))
    if not outcomes:
        outcomes.append(_Outcome(name, reason="no articles found"))
    return outcomes


def _start_run(library: Library, paths: Sequence[Path | str]) -> int:
    cursor = library.db.execute(
        "INSERT INTO import_runs (started_at, paths) VALUES (?, ?)",
        [now_iso(), json.dumps([str(p) for p in paths])],
    )
    return cursor.lastrowid


def _commit(
    library: Library, report: ImportReport, outcomes: list[_Outcome], *, finished: bool = False
) -> None:
    """Store one batch of outcomes and the run's running totals in one transaction."""
    db = library.db
    now = now_iso()
    with db.atomic():
        for outcome in outcomes:
            _store(db.conn, report, outcome, now=now)
        db.conn.execute(
            """UPDATE import_runs SET imported = ?, duplicates = ?, failed = ?, cancelled = ?,
               finished_at = ? WHERE id = ?""",
            [
                len(report.imported),
                len(report.duplicates),
                len(report.failed),
                int(report.cancelled),
                now if finished else None,
                report.run_id,
            ],
        )


def _store(conn: sqlite3.Connection, report: ImportReport, outcome: _Outcome, *, now: str) -> None:
    """Insert one outcome's document (unless it fails or is a duplicate) and its ``imports`` row."""
    doc_id = None
    reason = outcome.reason
    text = _normalise(outcome.article.text) if outcome.article is not None else ""
    if outcome.article is None or not text:
        status, reason = "failed", reason or "no text"
        report.failed.append((outcome.path, reason))
    else:
        doc_id, is_new = _insert_document(conn, outcome.article, text, path=outcome.path, now=now)
        status = "imported" if is_new else "duplicate"
        if is_new:
            report.imported.append(doc_id)
        else:
            report.duplicates.append(outcome.path)
    conn.execute(
        "INSERT INTO imports (run_id, path, status, reason, document_id, at) VALUES (?, ?, ?, ?, ?, ?)",
        [report.run_id, outcome.path, status, reason, doc_id, now],
    )


def _insert_document(
    conn: sqlite3.Connection, article: Article, text: str, *, path: str, now: str
) -> tuple[int, bool]:
    """Insert one document; returns (its id, True) or (the id of the same text already stored, False)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cursor = conn.execute(
        """INSERT OR IGNORE INTO documents
           (title, text, published, source, author, url, language, path, sha256,
            imported_at, word_count, extra)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            article.title.strip(),
            text,
            article.published,
            article.source,
            article.author,
            article.url,
            article.language,
            path,
            digest,
            now,
            word_count(text),
            json.dumps(article.extra, ensure_ascii=False) if article.extra else None,
        ],
    )
    if cursor.rowcount:
        return cursor.lastrowid, True
    existing = conn.execute("SELECT id FROM documents WHERE sha256 = ?", [digest]).fetchone()
    return existing[0], False


def word_count(text: str) -> int:
    """Words separated by spaces; each Chinese character counts as a word."""
    count = len(text.split())
    if not text.isascii():
        for run in _CJK.findall(text):
            count += len(run) - 1
    return count


def _normalise(text: str) -> str:
    """The stored and hashed form: NFC, ``\\n`` line endings, no surrounding blank space."""
    return normalise_text(text).strip()
