"""What a newer Dossier must redo in a library made by an older one: the entities of articles
read under older post-processing rules, and the published dates an older version took from an
event the story tells of.

``mark_outdated(db)`` is the small hook for the extraction driver: it finds the articles whose
entities were found under rules older than ``pipeline.RULES_VERSION`` (each extraction records
the version in ``entity_extractions.model``, "… 3.8.0 rules 2") and removes their rows from
``entity_extractions``, so ``extract_entities`` without ids reads them again, in the background,
batch by batch, resumable (an article is marked done only when its batch is stored).
Corrections survive as on any re-extraction. It returns the ids marked; once they are read
again it marks nothing.

``redate_documents`` reads again the plain-text files articles were imported from, when they are
still there and hold the same text, and puts right the published date where the current rules
read another one (a date from a dateline or date line, never from an event in the story).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlite_utils import Database

from ..changes import ChangeSet
from ..formats import parser_for
from ..jobs import CancelToken, Progress, ProgressCallback, no_progress
from ..undo import IN_IDS, id_list
from .pipeline import RULES_VERSION

REDATED_SUFFIXES = frozenset({".txt"})
_RULES = re.compile(r" rules (\d+)$")


def rules_of(model: str) -> int | None:
    """The rules version an ``entity_extractions.model`` records; 1 for an English model recorded
    before versions were kept, None for a model these rules do not apply to."""
    found = _RULES.search(model)
    if found:
        return int(found.group(1))
    return 1 if model.startswith("en_") else None


def outdated_documents(db: Database) -> list[int]:
    """Articles whose entities were found under older rules than ``RULES_VERSION``."""
    return [doc_id for doc_id, model in db.conn.execute(
        "SELECT document_id, model FROM entity_extractions ORDER BY document_id")
        if (version := rules_of(model)) is not None and version < RULES_VERSION]


def mark_outdated(db: Database) -> list[int]:
    """Queue the articles read under older rules for re-extraction; returns their ids (see the
    module docstring)."""
    ids = outdated_documents(db)
    if ids:
        with db.atomic():
            db.conn.execute(f"DELETE FROM entity_extractions WHERE document_id {IN_IDS}", (id_list(ids),))
    return ids


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


def redate_documents(db: Database, *, progress: ProgressCallback | None = None,
                     cancel: CancelToken | None = None) -> ChangeSet:
    """Put right the published dates of articles imported from plain-text files that are still
    there unchanged; returns the articles edited. Cancelling keeps what was done."""
    report = progress or no_progress
    rows = db.conn.execute(
        "SELECT id, path, text, published FROM documents WHERE published IS NOT NULL AND path IS NOT NULL "
        "ORDER BY id").fetchall()
    edited = []
    report(Progress(0, len(rows), "Checking published dates"))
    for done, (doc_id, path, text, published) in enumerate(rows, 1):
        if cancel is not None:
            cancel.raise_if_cancelled()
        same, now = _published_now(Path(path), text)
        if same and now != published:
            with db.atomic():
                db.conn.execute("UPDATE documents SET published = ? WHERE id = ?", (now, doc_id))
            edited.append(doc_id)
        report(Progress(done, len(rows), f"Published dates checked in {done} of {len(rows)} articles"))
    return ChangeSet.of(edited=edited)
