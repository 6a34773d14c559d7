"""Files imported again: which stored article a changed file (or record) updates, and which
files a re-imported folder no longer holds.

An article remembers the file it came from (``documents.path``). When an import
reads that file again and finds a text the library does not hold, the new text
is a new version of an article stored from the same file, not a new article:

- a file holding one article, from which one article is stored, updates it;
- otherwise (an export of many records, or a file imported several times as new
  articles) each changed record updates the stored article of that file with
  the same identity: the record's ``id`` field, else its URL, else its title —
  the newest such article when several have it. A record that matches none is new.
  A record's number in its file is not part of its identity: scrapers insert and
  re-sort records, which renumbers them.

``update_article`` writes the new text and metadata in place through
``annotations.replace_document_text`` (highlights re-anchored, tags, notes and
reading state kept, model mentions dropped for the entity step to find again).
``missing_files`` lists the stored articles' files under a folder that are gone;
they are reported, never deleted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlite_utils import Database

from .formats import Article

if TYPE_CHECKING:
    from .annotations import ReanchorReport

Keys = frozenset[tuple[str, str]]
_OPTIONAL_FIELDS = ("published", "source", "author", "url", "language", "extra")


class ReadArticle(NamedTuple):
    """An article as an import read it: its file, its text's digest and its identity keys."""

    path: str
    digest: str
    keys: Keys


def record_keys(*, record_id: Any, url: str | None, title: str | None) -> Keys:
    """What identifies a record across versions of its file, strongest first: id, URL, title."""
    if record_id not in (None, ""):
        return frozenset({("id", str(record_id))})
    if url:
        return frozenset({("url", url)})
    return frozenset({("title", title.strip())}) if title and title.strip() else frozenset()


def article_keys(article: Article) -> Keys:
    """The identity keys of an article a parser read."""
    return record_keys(record_id=article.extra.get("id"), url=article.url, title=article.title)


def stored_keys(title: str | None, url: str | None, extra: str | None) -> Keys:
    """The identity keys of a stored article, from its ``title``, ``url`` and ``extra`` columns."""
    try:
        record = json.loads(extra) if extra else {}
    except ValueError:
        record = {}
    record_id = record.get("id") if isinstance(record, dict) else None
    return record_keys(record_id=record_id, url=url, title=title)


def new_metadata(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata an update writes: the title always, the other fields when the new version
    has them (a field the new version lacks keeps its stored value)."""
    metadata: dict[str, Any] = {"title": (fields.get("title") or "").strip()}
    metadata.update((name, fields[name]) for name in _OPTIONAL_FIELDS if fields.get(name))
    return metadata


@dataclass
class Claimed:
    """The articles one reading of files has stored or found so far, for a file stored in
    several batches (a record export): every article inserted since it began (ids from
    ``since`` on) and the stored ones it found unchanged or updated (``found``). No article read
    later updates one of them, and a later copy of one's text is a duplicate, not unchanged."""

    since: int
    found: set[int] = field(default_factory=set)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, int) and (doc_id >= self.since or doc_id in self.found)


def claims_from_now(conn: sqlite3.Connection) -> Claimed:
    """No article claimed yet: those inserted from now on will be."""
    return Claimed(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0])


def pair_changed(
    conn: sqlite3.Connection, read: Sequence[ReadArticle], stored_digests: Collection[str], *,
    claimed: Claimed | None = None,
) -> dict[str, int]:
    """The stored articles that articles just read update: article id by new text digest.

    ``read`` is every article read from some files (all of a file's articles,
    in file order, or those after the ``claimed`` ones, which nothing read now
    updates); ``stored_digests`` the digests the library holds already (those
    articles are unchanged). See the module docstring for the rules.
    """
    by_path: dict[str, list[ReadArticle]] = {}
    for item in read:
        by_path.setdefault(item.path, []).append(item)
    changed = {path: [item for item in items if item.digest not in stored_digests]
               for path, items in by_path.items()}
    stored = _stored_from(conn, [path for path, items in changed.items() if items], claimed)
    pairs: dict[str, int] = {}
    for path, rows in stored.items():
        pairs.update(_pair_file(rows, by_path[path], changed[path]))
    return pairs


def _stored_from(conn: sqlite3.Connection, paths: list[str],
                 claimed: Claimed | None) -> dict[str, list[tuple[Any, ...]]]:
    """The stored articles of each of ``paths`` but the ``claimed`` ones as (id, sha256, title,
    url, extra), newest first (those inserted by the reading are left out in the query: a file
    stored in many batches is not read back at each)."""
    rows = conn.execute(
        """SELECT path, id, sha256, title, url, extra FROM documents
           WHERE path IN (SELECT value FROM json_each(?)) AND id < ? ORDER BY id DESC""",
        [json.dumps(paths), claimed.since if claimed is not None else sys.maxsize],
    )
    stored: dict[str, list[tuple[Any, ...]]] = {}
    for path, *row in rows:
        if claimed is None or row[0] not in claimed.found:
            stored.setdefault(path, []).append(tuple(row))
    return stored


def _pair_file(
    stored: list[tuple[Any, ...]], items: list[ReadArticle], changed: list[ReadArticle]
) -> dict[str, int]:
    """Pair one file's changed articles with its stored articles whose text the file no longer holds."""
    present = {item.digest for item in items}
    free = {row[0]: stored_keys(*row[2:]) for row in stored if row[1] not in present}
    if len(stored) == 1 and len(items) == 1:
        return {changed[0].digest: stored[0][0]} if free else {}
    pairs: dict[str, int] = {}
    for item in changed:
        if item.digest in pairs:
            continue
        found = next((doc_id for doc_id, keys in free.items() if keys & item.keys), None)
        if found is not None:
            del free[found]
            pairs[item.digest] = found
    return pairs


def update_article(db: Database, doc_id: int, values: Mapping[str, Any]) -> ReanchorReport:
    """Write a new version of article ``doc_id`` (``values``: its ``documents`` columns as read)
    in place, re-anchoring its highlights; inside the caller's transaction when there is one."""
    # annotations imports ingest, which imports this module: import it when first needed.
    from .annotations import replace_document_text

    return replace_document_text(db, doc_id, values["text"], **new_metadata(values))


def missing_files(conn: sqlite3.Connection, folders: Sequence[str]) -> list[tuple[str, list[int]]]:
    """The files under ``folders`` that stored articles came from and that no longer exist,
    each with the ids of its articles (sorted by path)."""
    gone: dict[str, list[int]] = {}
    exists: dict[str, bool] = {}
    for folder in dict.fromkeys(os.path.join(folder, "") for folder in folders):
        after = folder[:-1] + chr(ord(folder[-1]) + 1)
        rows = conn.execute(
            "SELECT path, id FROM documents WHERE path >= ? AND path < ? ORDER BY path, id", [folder, after]
        )
        for path, doc_id in rows:
            if path not in exists:
                exists[path] = os.path.lexists(path)
            if not exists[path] and doc_id not in gone.get(path, ()):
                gone.setdefault(path, []).append(doc_id)
    return sorted(gone.items())
