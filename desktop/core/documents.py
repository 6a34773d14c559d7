"""Reading single documents, the library's document listing (what `show` and `list` print), and
where an article came from (its file, and its record in an export holding many)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .annotations import content_hash
from .encoding import normalise_text
from .errors import ImportFailed, NotFound
from .ingest import parse_file
from .tag_order import tag_sort_key
from .undo import plural

LIST_FIELDS = ("id", "title", "published", "source", "author", "path", "word_count", "language")


@dataclass
class Document:
    """One stored article with everything the reader shows."""

    id: int
    title: str
    text: str
    published: str | None
    source: str | None
    author: str | None
    url: str | None
    language: str | None
    path: str | None
    sha256: str
    imported_at: str
    word_count: int
    note: str | None = None
    starred: bool = False
    read_state: str = "unread"
    extra: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)

    def list_fields(self) -> dict[str, Any]:
        """The fields of ``list --json`` for this document."""
        row = {name: getattr(self, name) for name in LIST_FIELDS}
        row["tags"] = list(self.tags)
        return row

    def length(self) -> str:
        """How long the article is, as its readers count it: ``"1 word"``, ``"2,225 words"``, or the
        characters of a Chinese text (each Han character is counted as a word)."""
        return length_phrase(self.word_count, self.language)


def length_phrase(word_count: int, language: str | None) -> str:
    """``word_count`` in words, or in characters for a Chinese article (``language`` ``"zh"``)."""
    return plural(word_count, "character" if language == "zh" else "word")


def tags_of(db: Database, doc_ids: list[int]) -> dict[int, list[str]]:
    """Tag names of each document, sorted by name (``tag_sort_key``); documents without tags are absent."""
    if not doc_ids:
        return {}
    found: dict[int, list[str]] = {}
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.conn.execute(
            f"""SELECT dt.document_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
                WHERE dt.document_id IN ({marks})""",
            chunk,
        )
        for doc_id, name in rows:
            found.setdefault(doc_id, []).append(name)
    return {doc_id: sorted(names, key=tag_sort_key) for doc_id, names in found.items()}


_COLUMNS = (
    "id, title, text, published, source, author, url, language, path, sha256, "
    "imported_at, word_count, note, starred, read_state, extra"
)


def _from_row(row: tuple, tags: list[str]) -> Document:
    (doc_id, title, text, published, source, author, url, language, path, sha256,
     imported_at, word_count, note, starred, read_state, extra) = row
    return Document(
        id=doc_id, title=title, text=text, published=published, source=source, author=author,
        url=url, language=language, path=path, sha256=sha256, imported_at=imported_at,
        word_count=word_count, note=note, starred=bool(starred), read_state=read_state,
        extra=json.loads(extra) if extra else {}, tags=tags,
    )


def get_document(db: Database, doc_id: int) -> Document:
    """The document with id ``doc_id``; raises NotFound."""
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFound(f"No article with id {doc_id}.")
    return _from_row(row, tags_of(db, [doc_id]).get(doc_id, []))


def list_documents(db: Database, *, limit: int | None = None) -> list[dict[str, Any]]:
    """List fields of every document, newest published first (undated last), then by id."""
    sql = (
        "SELECT id, title, published, source, author, path, word_count, language FROM documents "
        "ORDER BY published IS NULL, published DESC, id"
    )
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = [dict(zip(LIST_FIELDS, r)) for r in db.conn.execute(sql, params)]
    tags = tags_of(db, [r["id"] for r in rows])
    for row in rows:
        row["tags"] = tags.get(row["id"], [])
    return rows


def languages_of(db: Database, doc_ids: list[int]) -> dict[int, str | None]:
    """The language (ISO 639-1) of each of ``doc_ids`` that exists, None where unknown."""
    found: dict[int, str | None] = {}
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(db.conn.execute(f"SELECT id, language FROM documents WHERE id IN ({marks})", chunk))
    return found


RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".csv", ".tsv"})
"""Files that hold many articles, one per record (see ``formats/records.py``)."""


@dataclass(frozen=True)
class RecordPlace:
    """Where an article sits in an export holding many: record ``number`` (from 1) of ``count``."""

    number: int
    count: int


def record_place(document: Document) -> RecordPlace | None:
    """The record of ``document`` in the export file it was imported from, found by reading the
    file again and matching the stored text; None for a file holding one article, a file that is
    gone or unreadable, or an export that no longer holds this text."""
    if not document.path or Path(document.path).suffix.lower() not in RECORD_SUFFIXES:
        return None
    try:
        articles = parse_file(Path(document.path)).articles
    except (ImportFailed, OSError):
        return None
    digests = [content_hash(normalise_text(article.text).strip()) for article in articles]
    if document.sha256 not in digests:
        return None
    return RecordPlace(digests.index(document.sha256) + 1, len(digests))
