"""The import pipeline: files and folders in, whole documents and an import report out.

``import_paths`` finds the files, hands each one to the parser registered for its
suffix (``desktop.core.formats``), and stores the articles in batches: one
transaction per batch holds the documents (their full-text rows follow by
trigger) together with the ``imports`` rows saying what became of each file, so
an import that is cancelled or killed keeps every batch it committed and no
partial document. An article whose normalised text is already in the library,
or earlier in the same run, is a duplicate (``documents.sha256`` is unique).

Formats registered as isolated (HTML, PDF and Word) are parsed in the separate
process of ``desktop.core.isolation`` under a time limit per file; text and
record exports are parsed here. A parser's per-record problems are reported as failures of
``path:N`` when the problem reads ``"line N: reason"`` (or ``row N`` /
``record N``), else of the file. The open library's own files are never read
as articles.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from . import isolation
from .encoding import normalise_text
from .errors import Cancelled, ImportFailed, describe_os_error
from .formats import Article, ParsedFile, parser_for, runs_isolated, unsupported_reason
from .jobs import CancelToken, Progress, ProgressCallback
from .library import Library, now_iso

_PROBLEM_AT = re.compile(r"^(?:line|row|record)\s+(\d+)\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
PARSE_TIMEOUT = 60.0
_LIBRARY_FILE_ENDINGS = ("", "-wal", "-shm", "-journal")
_DOCUMENT_COLUMNS = "title, text, published, source, author, url, language, path, sha256, word_count, extra"


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


class _Outcome(NamedTuple):
    """What became of one article or file: the document row to store and its text digest, or a failure."""

    path: str
    digest: str = ""
    row: tuple[Any, ...] = ()
    reason: str | None = None


def _article_outcome(path: str, article: Article) -> _Outcome:
    """The outcome of one article: its ``documents`` row (less ``imported_at``) with the stored text's digest."""
    text = _normalise(article.text)
    if not text:
        return _Outcome(path, reason="no text")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    extra = json.dumps(article.extra, ensure_ascii=False) if article.extra else None
    row = (
        article.title.strip(), text, article.published, article.source, article.author, article.url,
        article.language, path, digest, word_count(text), extra,
    )
    return _Outcome(path, digest, row)


def collect_files(paths: Sequence[Path | str]) -> list[Path]:
    """Every file named or inside a named folder (recursively), absolute, normalised and sorted.

    Hidden files and folders inside a folder are skipped; a path that does not
    exist is kept so that the import reports it.
    """
    return [Path(name) for name in _collect_names(paths)]


def _collect_names(paths: Sequence[Path | str]) -> list[str]:
    """``collect_files`` as path names."""
    found: set[str] = set()
    for given in paths:
        name = os.path.abspath(os.path.expanduser(given))
        if os.path.isdir(name):
            found.update(_walk(name))
        else:
            found.add(name)
    return sorted(found, key=_path_order)


def _walk(folder: str) -> Iterable[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (os.path.join(root, name) for name in files if not name.startswith("."))


def _path_order(name: str) -> list[str]:
    """Sort key that orders path names as ``pathlib`` does: folder by folder."""
    return os.path.normcase(name).split(os.sep)


def import_paths(
    library: Library,
    paths: Sequence[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    batch_size: int = 2000,
    batch_seconds: float = 1.0,
    parse_timeout: float = PARSE_TIMEOUT,
) -> ImportReport:
    """Import files and folders into ``library``; returns what was imported, duplicated or failed.

    Commits every ``batch_size`` files or ``batch_seconds``, whichever comes
    first (large transactions keep the full-text index fast to build; the time
    limit lets a window show new articles as they arrive); ``progress`` hears of each file; when
    ``cancel`` is set (or ``progress`` raises ``Cancelled``) the documents read so
    far are committed and the report says ``cancelled``; ``Cancelled`` is never raised.
    HTML, PDF and Word files are parsed in a separate process and fail with a
    time-limit reason when one takes longer than ``parse_timeout`` seconds. The
    library's own files are skipped when a folder holds them.
    """
    names = _without_library_files(library, _collect_names(paths))
    report = ImportReport(run_id=_start_run(library, paths), total_files=len(names))
    pending: list[_Outcome] = []
    last_commit = time.monotonic()
    try:
        for done, name in enumerate(names, start=1):
            if cancel is not None and cancel.cancelled:
                report.cancelled = True
                break
            pending.extend(_read(name, timeout=parse_timeout))
            if len(pending) >= batch_size or time.monotonic() - last_commit >= batch_seconds:
                _commit(library, report, pending)
                pending = []
                last_commit = time.monotonic()
            if progress is not None and not _report_progress(progress, Progress(done, len(names), name)):
                report.cancelled = True
                break
    finally:
        isolation.stop_worker()
    _commit(library, report, pending, finished=True)
    library.db.execute("PRAGMA optimize")
    return report


def _without_library_files(library: Library, names: list[str]) -> list[str]:
    """``names`` less the library file itself and its journal files (``-wal``, ``-shm``, ``-journal``)."""
    own = os.path.realpath(library.path)
    own_names = {own + ending for ending in _LIBRARY_FILE_ENDINGS}
    start = os.path.basename(own)
    return [
        name for name in names
        if not (os.path.basename(name).startswith(start) and os.path.realpath(name) in own_names)
    ]


def _report_progress(progress: ProgressCallback, step: Progress) -> bool:
    """Tell ``progress`` of a step; False when it asks to stop by raising ``Cancelled``."""
    try:
        progress(step)
    except Cancelled:
        return False
    return True


def parse_file(path: Path, *, timeout: float = PARSE_TIMEOUT) -> ParsedFile:
    """Parse one file with the parser for its type; every failure is ``ImportFailed`` with a reason.

    Formats registered as isolated run in the worker process and are stopped
    after ``timeout`` seconds; text and records run here.
    """
    parser = parser_for(path)
    if parser is None:
        raise ImportFailed(unsupported_reason(path))
    if runs_isolated(parser):
        return isolation.parse_with_limit(path, timeout=timeout)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportFailed(describe_os_error(err)) from err
    return parser(data, path)


def _read(name: str, *, timeout: float) -> list[_Outcome]:
    """Parse the file ``name`` into outcomes; a file that cannot be parsed is one failed outcome."""
    try:
        parsed = parse_file(Path(name), timeout=timeout)
    except ImportFailed as err:
        return [_Outcome(name, reason=str(err))]
    return _outcomes(name, parsed)


def _outcomes(name: str, parsed: ParsedFile) -> list[_Outcome]:
    outcomes = [_article_outcome(name, article) for article in parsed.articles]
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
        db.conn.executemany(
            "INSERT INTO imports (run_id, path, status, reason, document_id, at) VALUES (?, ?, ?, ?, ?, ?)",
            _store(db.conn, report, outcomes, now=now),
        )
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


def _store(
    conn: sqlite3.Connection, report: ImportReport, outcomes: list[_Outcome], *, now: str
) -> list[tuple[Any, ...]]:
    """Insert the batch's new documents and note each outcome in ``report``; returns the ``imports`` rows.

    The first article with a text not yet in the library is imported; every
    other article with the same text is a duplicate of it.
    """
    ids = _stored_ids(conn, [outcome.digest for outcome in outcomes if outcome.digest])
    new: dict[str, tuple[Any, ...]] = {}
    for outcome in outcomes:
        if outcome.digest and outcome.digest not in ids and outcome.digest not in new:
            new[outcome.digest] = outcome.row
    ids.update(_insert_documents(conn, list(new.values()), now=now))
    rows = []
    for outcome in outcomes:
        doc_id = ids.get(outcome.digest)
        if not outcome.digest:
            status = "failed"
            report.failed.append((outcome.path, outcome.reason))
        elif new.pop(outcome.digest, None) is not None:
            status = "imported"
            report.imported.append(doc_id)
        else:
            status = "duplicate"
            report.duplicates.append(outcome.path)
        rows.append((report.run_id, outcome.path, status, outcome.reason, doc_id, now))
    return rows


def _stored_ids(conn: sqlite3.Connection, digests: list[str]) -> dict[str, int]:
    """The ids of the stored documents with any of these text digests, by digest."""
    found = conn.execute(
        "SELECT sha256, id FROM documents WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(digests)],
    )
    return dict(found.fetchall())


def _insert_documents(conn: sqlite3.Connection, rows: list[tuple[Any, ...]], *, now: str) -> dict[str, int]:
    """Insert documents imported at ``now`` in one statement, in order; returns their new ids by digest.

    The rows wait in a temporary table so that one statement inserts the whole
    batch: SQLite (3.40) writes the full-text index's pending terms to disk at
    every statement that fires the index trigger inside a transaction, so
    row-by-row inserts cost twice as much.
    """
    if not rows:
        return {}
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS import_batch ({_DOCUMENT_COLUMNS})")
    conn.executemany(f"INSERT INTO temp.import_batch VALUES ({', '.join('?' * len(rows[0]))})", rows)
    inserted = conn.execute(
        f"""INSERT INTO documents ({_DOCUMENT_COLUMNS}, imported_at)
            SELECT {_DOCUMENT_COLUMNS}, ? FROM temp.import_batch ORDER BY rowid
            RETURNING sha256, id""",
        [now],
    ).fetchall()
    conn.execute("DELETE FROM temp.import_batch")
    return dict(inserted)


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
