"""The import pipeline: files and folders in, whole documents and an import report out.

``import_paths`` finds the files, hands each one to the parser registered for its
suffix (``desktop.core.formats``), and stores the articles in batches: one
transaction per batch holds the documents (their full-text rows follow by
trigger) together with the ``imports`` rows saying what became of each file (both
written by ``desktop.core.ingest_store``), so an import that is cancelled or killed
keeps every batch it committed and no partial document. A record export's records are
committed in batches as the file is read, so a cancel stops within it and keeps what was read.
An article whose normalised text is already in the library, stored from the same file, is
*unchanged* (a folder imported again, or a record export cancelled within and imported again);
one whose text is already in the library from another file, or earlier in the same run, under
the same headline is a duplicate (``documents.sha256`` is unique; the same text under another
headline is an article of its own, see ``retitled``).
A new text read from a file an article was stored from is that article's new
version: the article is updated in place in the batch's transaction (see
``import_updates``), unless the import is asked to keep both (``as_new``).
A run that finishes reports, for every folder it was given, the files stored
articles came from that the folder no longer holds (``missing``); they are
never deleted.
A run records the numbered list of its files when it starts and, with every
batch, how far it has read it, so ``resume_import`` can finish a run whose
process died or that was cancelled.

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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import isolation
from .encoding import normalise_text
from .errors import Cancelled, DiskFull, ImportFailed
from .facet_store import keep_saved
from .formats import Article, ParsedFile, parser_for, read_for, runs_isolated, unsupported_reason
from .formats.records import reads_in_batches, record_batches
from .import_files import (folder_failure, given_paths, is_folder_name, name_failure, names_in,
                           without_library_files)
from .import_history import RunOwner, claim_run, get_run, give_up_run, new_owner, release_owner, start_run
from .import_report import ImportReport, StoppedWithin
from .import_updates import Claimed, article_keys, claims_from_now
from .ingest_store import TEXT, Batch, Outcome, note_missing, store_batch
from .jobs import BYTES, CancelToken, Progress, ProgressCallback
from .language import article_language
from .busy import is_busy, retry_when_busy
from .library import Library, now_iso
from .library_messages import library_error
from .stories import group_documents
from .stories_ahead import SigningAhead
from .stories_bands import HeldBands
from .stories_signatures import Signature
from .textindex import parts_between_words

_PROBLEM_AT = re.compile(r"^(?:line|row|record)\s+(\d+)\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORDLESS = re.compile(r"[\W_]+")
PARSE_TIMEOUT = 60.0


def _article_outcome(path: str, article: Article, *, note: str | None = None) -> Outcome:
    """The outcome of one article: its ``documents`` row (less ``imported_at``) with the stored text's
    digest, and ``note`` on how its file was read."""
    text = _normalise(article.text)
    if not text:
        return Outcome(path, reason="no text")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    extra = json.dumps(article.extra, ensure_ascii=False) if article.extra else None
    row = (
        article.title.strip(), text, article.published, article.source, article.author, article.url,
        article_language(article.language, text), path, digest, word_count(text), extra,
    )
    return Outcome(path, digest, row, reason=note, keys=article_keys(article))


def import_paths(
    library: Library,
    paths: Sequence[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    batch_size: int = 2000,
    batch_seconds: float = 1.0,
    parse_timeout: float = PARSE_TIMEOUT,
    as_new: bool = False,
) -> ImportReport:
    """Import files and folders into ``library``; returns what was imported, updated, unchanged,
    duplicated, failed or is missing.

    Commits every ``batch_size`` files or ``batch_seconds``, whichever comes
    first (large transactions keep the full-text index fast to build; the time
    limit lets a window show new articles as they arrive); ``progress`` hears of each file; when
    ``cancel`` is set (or ``progress`` raises ``Cancelled``) the documents read so
    far are committed and the report says ``cancelled``; ``Cancelled`` is never raised.
    HTML, PDF and Word files are parsed in a separate process and fail with a
    time-limit reason when one takes longer than ``parse_timeout`` seconds. The
    library's own files are skipped when a folder holds them. A changed file updates the
    article stored from it, unless ``as_new`` (then both are kept); a finished run lists in
    ``missing`` the files of stored articles that a folder of ``paths`` no longer holds.
    """
    files, folders = given_paths(paths)
    names = without_library_files(library, names_in(files, folders))

    def start(owner: RunOwner) -> _Start:
        run_id = retry_when_busy(lambda: start_run(library.db, paths, names, owner))
        return _Start(run_id, list(enumerate(names, start=1)), folders)

    return _owned_run(
        library, start, progress=progress, cancel=cancel, batch_size=batch_size,
        batch_seconds=batch_seconds, parse_timeout=parse_timeout, as_new=as_new,
    )


def resume_import(
    library: Library,
    run_id: int,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    parse_timeout: float = PARSE_TIMEOUT,
    as_new: bool = False,
) -> ImportReport:
    """Finish the interrupted (or cancelled) import run ``run_id``: import the files it had not reached.

    The run goes on under this process: its totals grow and it finishes as
    any run does. The returned report holds what the resumed part did.
    Raises ``NotFound`` for an unknown run and ``InvalidInput`` for a run that
    finished, is still running, or did not record its files (older versions).
    Otherwise as ``import_paths`` (the folders whose missing files are reported are those
    the run names by absolute path).
    """

    def start(owner: RunOwner) -> _Start:
        files = retry_when_busy(lambda: claim_run(library.db, run_id, owner))
        named = [path for path in get_run(library.db, run_id).paths if os.path.isabs(path)]
        return _Start(run_id, files, given_paths(named)[1])

    return _owned_run(
        library, start, progress=progress, cancel=cancel, parse_timeout=parse_timeout, as_new=as_new
    )


class _Start(NamedTuple):
    """A run about to read its files: its id, the numbered files left to read, the folders given."""

    run_id: int
    files: list[tuple[int, str]]
    folders: list[str]


def _owned_run(
    library: Library,
    start: Callable[[RunOwner], _Start],
    *,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    batch_size: int = 2000,
    batch_seconds: float = 1.0,
    parse_timeout: float,
    as_new: bool,
) -> ImportReport:
    """Run an import as the owner of its run: ``start(owner)`` gives the run, its numbered files
    and its folders."""
    owner = new_owner()
    try:
        run = start(owner)
        return _import_files(
            library, ImportReport(run_id=run.run_id, total_files=len(run.files)), run.files,
            _Reading(as_new=as_new, folders=run.folders),
            progress=progress, cancel=cancel, batch_size=batch_size, batch_seconds=batch_seconds,
            parse_timeout=parse_timeout,
        )
    finally:
        release_owner(owner)


def _import_files(
    library: Library,
    report: ImportReport,
    files: list[tuple[int, str]],
    reading: _Reading,
    *,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    batch_size: int,
    batch_seconds: float,
    parse_timeout: float,
) -> ImportReport:
    """Read ``files`` (numbered in their run's list) into the run of ``report``, batch by batch.

    A record export is committed batch by batch too, and a cancel after one of its batches of
    records stops within it: what was read of it is stored, and the run's list of files still
    counts it as unread (``report.stopped_within`` says how far it came).
    """
    pending: list[Outcome] = []
    last_commit = time.monotonic()
    reached = files[0][0] - 1 if files else 0
    ahead = SigningAhead()  # story signatures of the texts read, made while the next files are read
    held = HeldBands(len(files))  # the library's band keys, when the run adds as many
    claimed = claims_from_now(library.db.conn)  # for a file committed in several batches

    def commit_due(files_done: int) -> bool:
        nonlocal last_commit
        if len(pending) < batch_size and time.monotonic() - last_commit < batch_seconds:
            return False
        _commit(library, report, pending, reading, files_done=files_done, signed=ahead.take(), held=held,
                claimed=claimed)
        pending.clear()
        last_commit = time.monotonic()
        return True

    try:
        for done, (seq, name) in enumerate(files, start=1):
            if cancel is not None and cancel.cancelled:
                report.cancelled = True
                break
            for part in _parts(name, timeout=parse_timeout):
                pending.extend(part.outcomes)
                ahead.add(outcome.row[TEXT] for outcome in part.outcomes if outcome.digest)
                if part.step is None:
                    continue
                within = part.step.done < part.step.total
                if not _going_on(progress, cancel, part.step):
                    report.cancelled = True
                    if within:
                        report.stopped_within = StoppedWithin(name, part.records, part.step.done,
                                                              part.step.total)
                    break
                if within:
                    commit_due(reached)
            if report.stopped_within is not None:
                break
            reached = seq
            if commit_due(reached):
                claimed.found.clear()
            if report.cancelled or not _going_on(progress, None, Progress(done, len(files), name)):
                report.cancelled = True
                break
        _commit(library, report, pending, reading, files_done=reached, finished=True, signed=ahead.take(),
                held=held, claimed=claimed)
    except BaseException:
        give_up_run(library.db, report.run_id)
        raise
    finally:
        ahead.close()
        isolation.stop_worker()
    _optimize(library)
    return report


def _optimize(library: Library) -> None:
    """Refresh SQLite's statistics and save the facet index (``facet_store.keep_saved``), unless
    another process is writing or the disk is full: the articles are stored, a later run does it."""
    try:
        library.db.execute("PRAGMA optimize")
        keep_saved(library.db.conn)
    except sqlite3.OperationalError as err:
        if not (is_busy(err) or isinstance(library_error(err, library.path), DiskFull)):
            raise


def _going_on(progress: ProgressCallback | None, cancel: CancelToken | None, step: Progress) -> bool:
    """Tell ``progress`` of a step; False when it asks to stop by raising ``Cancelled``, or
    ``cancel`` is set."""
    try:
        if progress is not None:
            progress(step)
    except Cancelled:
        return False
    return cancel is None or not cancel.cancelled


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
    return parser(read_for(parser, path), path)


class _Part(NamedTuple):
    """Outcomes read from a file: all of them, or a batch of a record export's records with how
    far the file has been read (``step``, in bytes) and how many of its records (``records``)."""

    outcomes: list[Outcome]
    step: Progress | None = None
    records: int = 0


def _parts(name: str, *, timeout: float) -> Iterator[_Part]:
    """Parse the file ``name`` into outcomes; a file that cannot be parsed (or a folder that could
    not be listed) is one failed outcome. A record export is read in batches of records
    (``_record_parts``), any other file at once."""
    if is_folder_name(name):
        yield _Part([Outcome(name, reason=folder_failure(name))])
    elif (unnamed := name_failure(name)) is not None:
        yield _Part([Outcome(name, reason=unnamed)])
    elif (parser := parser_for(Path(name))) is not None and reads_in_batches(parser):
        yield from _record_parts(name)
    else:
        try:
            parsed = parse_file(Path(name), timeout=timeout)
        except ImportFailed as err:
            yield _Part([Outcome(name, reason=str(err))])
            return
        yield _Part(_outcomes(name, parsed))


def _record_parts(name: str) -> Iterator[_Part]:
    """The outcomes of the record export ``name``, a batch of records at a time, each with how
    many bytes of the file have been read; a file refused (or found unreadable on the way) ends
    with its failure."""
    try:
        for batch in record_batches(Path(name)):
            step = Progress(batch.done, batch.total, name, unit=BYTES)
            yield _Part(_outcomes(name, batch.parsed), step, batch.records)
    except ImportFailed as err:
        yield _Part([Outcome(name, reason=str(err))])


def _outcomes(name: str, parsed: ParsedFile) -> list[Outcome]:
    note = "; ".join(parsed.notes) or None
    outcomes = [_article_outcome(name, article, note=note) for article in parsed.articles]
    for problem in parsed.problems:
        located = _PROBLEM_AT.match(problem)
        if located:
            outcomes.append(Outcome(f"{name}:{located.group(1)}", reason=located.group(2)))
        else:
            outcomes.append(Outcome(name, reason=problem))
    if not outcomes:
        outcomes.append(Outcome(name, reason="no articles found"))
    return outcomes


@dataclass(frozen=True)
class _Reading:
    """How a run treats what it reads: whether a changed file becomes a new article (``as_new``)
    rather than updating its stored one, and the folders whose missing files it reports."""

    as_new: bool = False
    folders: list[str] = field(default_factory=list)


def _commit(
    library: Library, report: ImportReport, outcomes: list[Outcome], reading: _Reading,
    *, files_done: int, finished: bool = False, signed: Mapping[str, Signature], held: HeldBands,
    claimed: Claimed,
) -> None:
    """Store one batch of outcomes, add it to the run's totals and note how far the run's file list
    has been read (``files_done``), in one transaction, grouping its articles with the story
    signatures already made of their texts (``signed``) and the band keys the run holds
    (``held``) and telling the articles of a file stored in earlier batches of the run
    (``claimed``, see ``store_batch``) from those stored before. A run that finishes
    uncancelled records the files missing from its folders and drops its file list (only a
    resume needs it).

    Another process writing to the library makes the batch wait; the whole
    transaction is tried again if the wait runs out, and ``report`` hears of
    the batch only once it is committed.
    """
    db = library.db
    complete = finished and not report.cancelled

    def store() -> Batch:
        now = now_iso()
        with db.atomic():
            batch = store_batch(db, report.run_id, outcomes, now=now, as_new=reading.as_new, claimed=claimed)
            group_documents(db.conn, batch.imported + batch.updated, signed_ahead=signed, held=held)
            if complete:
                note_missing(db.conn, batch, report.run_id, reading.folders, now=now)
            db.conn.executemany(
                "INSERT INTO imports (run_id, path, status, reason, document_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                batch.rows,
            )
            db.conn.execute(
                """UPDATE import_runs SET imported = imported + ?, updated = updated + ?,
                   unchanged = unchanged + ?, duplicates = duplicates + ?, failed = failed + ?,
                   missing = missing + ?, cancelled = ?, finished_at = ?, files_done = max(files_done, ?),
                   heartbeat_at = ?, stopped_within = ?
                   WHERE id = ?""",
                [
                    len(batch.imported),
                    len(batch.updated),
                    len(batch.unchanged),
                    len(batch.duplicates),
                    len(batch.failed),
                    len(batch.missing),
                    int(report.cancelled),
                    now if finished else None,
                    files_done,
                    now,
                    json.dumps(report.stopped_within.to_json()) if finished and report.stopped_within else None,
                    report.run_id,
                ],
            )
            if complete:
                db.conn.execute("DELETE FROM import_run_files WHERE run_id = ?", [report.run_id])
        return batch

    batch = retry_when_busy(store)
    claimed.found.update(batch.found)
    report.add(batch)


def word_count(text: str) -> int:
    """Words separated by spaces; each Chinese character counts as a word. A long text is counted
    a million characters at a time (its words at once held 200 MB for a 19 MB text)."""
    count = 0
    for part in parts_between_words(text, 1 << 20):
        runs = [] if part.isascii() else _CJK.findall(part)
        if runs:  # the characters, and the words between them ("128", "APEC"; not "，")
            count += sum(map(len, runs)) + sum(not _WORDLESS.fullmatch(w) for w in _CJK.sub(" ", part).split())
        else:
            count += len(part.split())
    return count


def _normalise(text: str) -> str:
    """The stored and hashed form: NFC, ``\\n`` line endings, no surrounding blank space."""
    return normalise_text(text).strip()
