"""Re-importing changed files: the articles' text is updated in place, not imported again.

``reimport_paths`` reads each file again with the parser import uses and,
for every article stored from that file (``documents.path``), replaces its
text and metadata through ``annotations.replace_document_text``: the article
keeps its id, tags, notes and reading state; its highlights are re-anchored
(those that cannot be placed are kept and reported as orphaned) and its model
mentions are dropped, so the caller re-runs entity extraction on
``ReimportReport.changed_ids``.

A file holding one article updates the one article stored from it. For an
export holding many, each stored article is matched to the record with the
same ``id`` field, else the same URL, else the same title
(``import_updates.record_keys``, the identity an import uses too); articles the file
no longer holds are left alone and listed as ``vanished``, records that were
never imported are only counted (``new_articles``: import the file for them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from .annotations import ReanchorReport, content_hash, replace_document_text
from .encoding import normalise_text
from .errors import Cancelled, ImportFailed, InvalidInput
from .formats import Article
from .import_updates import Keys, article_keys, new_metadata, stored_keys
from .ingest import parse_file
from .jobs import CancelToken, Progress, ProgressCallback, no_progress
from .library import Library
from .stories import group_documents

NOT_FROM_FILE = "was not imported from a file"


@dataclass
class ReimportReport:
    """What re-importing changed: updated articles (with their highlights' fate) and the rest."""

    updated: list[ReanchorReport] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    vanished: list[int] = field(default_factory=list)
    new_articles: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed_ids(self) -> list[int]:
        """The articles whose text changed (their entities need extracting again)."""
        return [item.doc_id for item in self.updated]

    @property
    def orphaned(self) -> list[int]:
        """Ids of the highlights that could not be placed in the new texts."""
        return [annotation for item in self.updated for annotation in item.orphaned]

    def summary(self) -> str:
        """One line for a person, e.g. "2 articles updated, 1 unchanged; 1 highlight could not be placed"."""
        parts = [f"{_count(len(self.updated), 'article')} updated"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged):,} unchanged")
        if self.vanished:
            parts.append(f"{len(self.vanished):,} no longer in their file")
        if self.new_articles:
            parts.append(f"{_count(self.new_articles, 'new article')} in the files, not imported")
        if self.failed:
            parts.append(f"{_count(len(self.failed), 'file')} could not be read")
        text = ", ".join(parts)
        if self.orphaned:
            text += f"; {_count(len(self.orphaned), 'highlight')} could not be placed in the new text"
        return text


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def documents_from(db: Database, path: Path | str) -> list[int]:
    """The ids of the articles imported from the file ``path``."""
    rows = db.conn.execute("SELECT id FROM documents WHERE path = ? ORDER BY id", [str(path)])
    return [row[0] for row in rows]


def source_paths(db: Database, doc_ids: Sequence[int]) -> tuple[list[str], list[int]]:
    """The distinct files ``doc_ids`` were imported from, and the ids that name no file."""
    rows = db.conn.execute(
        "SELECT id, path FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [json.dumps(list(doc_ids))],
    ).fetchall()
    paths = list(dict.fromkeys(path for _, path in rows if path))
    return paths, [doc_id for doc_id, path in rows if not path]


def reimport_documents(
    target: Library | Database,
    doc_ids: Sequence[int],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ReimportReport:
    """Re-import the files articles ``doc_ids`` came from (every article of those files is updated)."""
    db = target.db if isinstance(target, Library) else target
    paths, without = source_paths(db, doc_ids)
    report = reimport_paths(db, paths, progress=progress, cancel=cancel)
    report.failed.extend((f"article {doc_id}", NOT_FROM_FILE) for doc_id in without)
    return report


def reimport_paths(
    target: Library | Database,
    paths: Sequence[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ReimportReport:
    """Read ``paths`` again and update the articles stored from them; one transaction per article.

    A file that cannot be read, or from which nothing was imported, is listed in
    ``failed`` with its reason; the others go on. Raises ``Cancelled`` between
    files when ``cancel`` is set (updated articles stay updated).
    """
    db = target.db if isinstance(target, Library) else target
    report_progress = progress or no_progress
    report = ReimportReport()
    for done, path in enumerate(paths, start=1):
        if cancel is not None and cancel.cancelled:
            raise Cancelled("Re-import cancelled.")
        try:
            _reimport_file(db, Path(path), report)
        except (ImportFailed, InvalidInput) as err:
            report.failed.append((str(path), str(err)))
        report_progress(Progress(done, len(paths), str(path)))
    return report


def _reimport_file(db: Database, path: Path, report: ReimportReport) -> None:
    stored = documents_from(db, path)
    if not stored:
        raise ImportFailed("no article in the library was imported from this file")
    articles = _parse(path)
    pairs, vanished = _match(db, stored, articles)
    report.vanished.extend(vanished)
    report.new_articles += len(articles) - len(pairs)
    for doc_id, article in pairs:
        text = normalise_text(article.text).strip()
        if _stored_hash(db, doc_id) == content_hash(text):
            report.unchanged.append(doc_id)
        else:
            with db.atomic():
                report.updated.append(replace_document_text(db, doc_id, text, **new_metadata(vars(article))))
                group_documents(db.conn, [doc_id])


def _parse(path: Path) -> list[Article]:
    articles = [article for article in parse_file(path).articles if article.text.strip()]
    if not articles:
        raise ImportFailed("the file holds no article any more")
    return articles


def _stored_hash(db: Database, doc_id: int) -> str:
    return db.conn.execute("SELECT sha256 FROM documents WHERE id = ?", [doc_id]).fetchone()[0]


def _match(db: Database, stored: list[int], articles: list[Article]) -> tuple[list[tuple[int, Article]], list[int]]:
    """Pair stored articles with the file's articles: (pairs, stored ids left without one)."""
    if len(stored) == 1 and len(articles) == 1:
        return [(stored[0], articles[0])], []
    keys = {doc_id: _stored_keys(db, doc_id) for doc_id in stored}
    pairs: list[tuple[int, Article]] = []
    free = list(articles)
    for doc_id in stored:
        found = next((a for a in free if article_keys(a) & keys[doc_id]), None)
        if found is not None:
            free.remove(found)
            pairs.append((doc_id, found))
    paired = {doc_id for doc_id, _ in pairs}
    return pairs, [doc_id for doc_id in stored if doc_id not in paired]


def _stored_keys(db: Database, doc_id: int) -> Keys:
    row = db.conn.execute("SELECT title, url, extra FROM documents WHERE id = ?", [doc_id]).fetchone()
    return stored_keys(*row)
