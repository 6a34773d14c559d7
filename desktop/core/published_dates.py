"""Published dates read under older rules, and putting them right.

Dossier 0.1.0 could take a story's published date from an event the story tells of
("vanished … on 1 February 1995"). The current rules take it from a dateline or a
date line of the page only. ``DATE_RULES`` numbers those rules; a library records in
``meta.published_date_rules`` the rules its dates were read under (a new library: the
current ones). ``dates_outdated(db)`` says whether a library still holds dates read
under older rules; ``redate_outdated`` puts them right from the plain-text files the
articles were imported from, when those are still there and hold the same text, in
batches, resumable (``meta.published_dates_checked_after`` keeps how far it got), and
records the current rules when done. Dates no file backs up any more stay as they are.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from .changes import ChangeSet
from .formats import parser_for
from .jobs import CancelToken, Progress, ProgressCallback, no_progress

DATE_RULES = 2
"""1: Dossier 0.1.0 (any date in the text); 2: a dateline or a date line only."""
RULES_KEY = "published_date_rules"
CHECKED_KEY = "published_dates_checked_after"
REDATED_SUFFIXES = frozenset({".txt"})
BATCH = 200


def _meta(db: Database, key: str) -> str | None:
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def record_current_rules(db: Database) -> None:
    """Record that the library's dates are read under the current rules (a new library)."""
    db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [RULES_KEY, str(DATE_RULES)])
    db.conn.execute("DELETE FROM meta WHERE key = ?", [CHECKED_KEY])


def dates_outdated(db: Database) -> bool:
    """Whether the library holds published dates read under older rules than ``DATE_RULES``
    (only articles imported from a file with a date can be put right)."""
    recorded = _meta(db, RULES_KEY)
    if recorded is not None and recorded.isdigit() and int(recorded) >= DATE_RULES:
        return False
    return db.conn.execute(
        "SELECT 1 FROM documents WHERE published IS NOT NULL AND path IS NOT NULL LIMIT 1").fetchone() is not None


def _published_now(path: Path, text: str) -> tuple[bool, str | None]:
    """(True, the date the current rules read) when ``path`` still holds the article ``text``."""
    parser = parser_for(path)
    if parser is None or path.suffix.lower() not in REDATED_SUFFIXES:
        return False, None
    try:
        articles = parser(path.read_bytes(), path).articles
    except (OSError, ValueError):
        return False, None
    if len(articles) != 1 or articles[0].text != text:
        return False, None
    return True, articles[0].published


def redate_documents(db: Database, *, after: int = 0, progress: ProgressCallback | None = None,
                     cancel: CancelToken | None = None) -> ChangeSet:
    """Put right the published dates of the articles (id above ``after``) imported from
    plain-text files that are still there unchanged; returns the articles edited. Each batch
    is stored with how far the check got, so cancelling keeps what was done and the next
    call with ``after=checked_after(db)`` goes on from there."""
    report = progress or no_progress
    where = "published IS NOT NULL AND path IS NOT NULL AND id > ?"
    total = db.conn.execute(f"SELECT count(*) FROM documents WHERE {where}", [after]).fetchone()[0]
    edited: list[int] = []
    done = 0
    report(Progress(0, total, "Checking published dates", phase="checking published dates", unit="articles"))
    while True:  # a batch of texts at a time, never the whole library in memory
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = db.conn.execute(f"SELECT id, path, text, published FROM documents WHERE {where} "
                                "ORDER BY id LIMIT ?", [after, BATCH]).fetchall()
        if not batch:
            break
        fixes = []
        for doc_id, path, text, published in batch:
            same, now = _published_now(Path(path), text)
            if same and now != published:
                fixes.append((now, doc_id))
        after = batch[-1][0]
        with db.atomic():
            db.conn.executemany("UPDATE documents SET published = ? WHERE id = ?", fixes)
            db.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [CHECKED_KEY, str(after)])
        edited.extend(doc_id for _, doc_id in fixes)
        done += len(batch)
        report(Progress(done, max(total, done), f"Published dates checked in {done:,} of {total:,} articles",
                        phase="checking published dates", unit="articles"))
    return ChangeSet.of(edited=edited)


def checked_after(db: Database) -> int:
    """The id up to which an interrupted check got (0: from the start)."""
    value = _meta(db, CHECKED_KEY)
    return int(value) if value and value.isdigit() else 0


def redate_outdated(db: Database, *, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> ChangeSet:
    """Put right the dates read under older rules, from where an interrupted check stopped, then
    record the current rules; returns the articles edited (nothing when the dates are current)."""
    if not dates_outdated(db):
        return ChangeSet()
    changes = redate_documents(db, after=checked_after(db), progress=progress, cancel=cancel)
    with db.atomic():
        record_current_rules(db)
    return changes
