"""Serving a library read-only with Datasette: its ``metadata.json`` and its command line.

``dossier publish`` writes the metadata: a title and description for the library,
titles, descriptions, column descriptions, facets, sort orders and row labels for
the tables a reader wants (articles, tags, entities and their mentions,
highlights), two canned queries (articles with a tag, articles mentioning an
entity), and every other table hidden — working tables such as ``search_log``,
the import history and entity rules, and any table a later version adds. The
full-text index needs no metadata: migration 0005 declares it the way Datasette
detects it. Datasette names a database after its file's stem, so the metadata is
keyed by that name and fits only the library it was written for.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlite_utils import Database

from desktop import __app_name__

from .errors import InvalidInput, LibraryUnavailable
from .library import Library, _wal_is_empty

SOURCE_PREFIX = f"{__app_name__} library"  # marks a metadata file that publish may overwrite

TABLES: dict[str, dict[str, Any]] = {  # column descriptions only where a reader could not guess
    "documents": {
        "title": "Articles",
        "description": "One row per article. The search box below searches titles, texts and notes.",
        "label_column": "title",
        "sort_desc": "published",
        "facets": ["source", "language"],
        "columns": {
            "published": "Publication date, YYYY-MM-DD; empty when unknown",
            "language": "Detected at import (ISO 639-1 code)",
            "path": "The file it was imported from, on the researcher's computer",
            "sha256": "Of the normalised text (of headline and text for the same text under another headline)",
            "notes": "What search reads besides title and text: the article's note, each highlight and its note",
            "title_key": "The title as Dossier sorts it: case folded in every script, ё as е, opening quotes left out",
            "source_key": "The outlet as Dossier sorts it, folded the same way",
        },
    },
    "tags": {
        "title": "Tags",
        "description": "Tags the researcher gave articles; a slash in a name nests it under another tag.",
        "label_column": "name",
        "sort": "name",
    },
    "document_tags": {
        "title": "Tagged articles",
        "description": "Which article carries which tag: facet by tag to count the articles of each.",
        "sort_desc": "added_at",
        "facets": ["tag_id"],
    },
    "entities": {
        "title": "Entities",
        "description": "People, organisations, places, dates, sums of money and other names found in the articles.",
        "label_column": "name",
        "sort": "name",
        "facets": ["label"],
        "columns": {"label": "Kind of entity, in spaCy / OntoNotes names (PERSON, ORG, GPE, …)",
                    "name": "Canonical name: one entity however the articles write it"},
    },
    "mentions": {
        "title": "Mentions",
        "description": "Each place an entity is named in an article.",
        "sort": "document_id",
        "facets": ["origin"],
        "columns": {"start": "Character offset in the article's text where the mention starts",
                    "end": "Character offset where it ends (exclusive)",
                    "origin": "Who found it: model, rule or user"},
    },
    "annotations": {
        "title": "Highlights and notes",
        "description": "Passages the researcher highlighted, with their notes.",
        "label_column": "quote",
        "sort_desc": "updated",
        "facets": ["colour"],
        "columns": {"prefix": "Text just before the passage, to find it again after a re-import",
                    "suffix": "Text just after the passage",
                    "orphaned": "1 when a re-import lost the passage"},
    },
}

QUERIES: dict[str, dict[str, str]] = {
    "articles_with_tag": {
        "title": "Articles with a tag",
        "description": "The articles carrying a tag, newest first.",
        "sql": "SELECT d.id, d.title, d.published, d.source, d.author FROM documents d "
               "JOIN document_tags dt ON dt.document_id = d.id JOIN tags t ON t.id = dt.tag_id "
               "WHERE t.name = :tag ORDER BY d.published DESC",
    },
    "articles_mentioning": {
        "title": "Articles mentioning an entity",
        "description": "The articles that name an entity (its canonical name), with how often.",
        "sql": "SELECT d.id, d.title, d.published, d.source, count(*) AS mentions FROM documents d "
               "JOIN mentions m ON m.document_id = d.id JOIN entities e ON e.id = m.entity_id "
               "WHERE e.name = :name GROUP BY d.id ORDER BY mentions DESC, d.published DESC",
    },
}


@dataclass(frozen=True)
class Publication:
    """What ``publish`` wrote and what the person should know about it."""

    metadata_path: Path | None  # None: written to a stream (``dossier publish --out -``)
    command: str
    written_back: bool  # False: changes still in the -wal file, which ``serve -i`` does not read


def database_name(library_path: Path) -> str:
    """The name Datasette gives the library (its file name without the extension)."""
    return library_path.stem


def serve_command(library_path: Path, metadata_path: Path | None) -> str:
    """The shell command that serves the library immutable (``-i``) with its metadata (``FILE``
    standing for the metadata file when it was written to a stream)."""
    metadata = "FILE" if metadata_path is None else shlex.quote(str(metadata_path.resolve()))
    return f"datasette serve -i {shlex.quote(str(library_path.resolve()))} -m {metadata}"


def _summary(db: Database) -> str:
    articles, sources, first, last = db.execute(
        "SELECT count(*), count(DISTINCT source), min(published), max(published) FROM documents"
    ).fetchone()
    summary = f"{articles} article{'s' if articles != 1 else ''}"
    if sources:
        summary += f" from {sources} source{'s' if sources != 1 else ''}"
    if first:
        summary += f", published {first} to {last}" if first != last else f", published {first}"
    return summary


def build_metadata(db: Database, library_path: Path, *, title: str | None = None,
                   description: str | None = None) -> dict[str, Any]:
    """Datasette's metadata for the library at ``library_path`` open as ``db``."""
    present = set(db.table_names()) | set(db.view_names())
    tables: dict[str, dict[str, Any]] = {name: dict(TABLES[name]) for name in TABLES if name in present}
    for name in sorted(present - TABLES.keys()):
        tables[name] = {"hidden": True}
    summary = description or (
        f"{_summary(db)}. A read-only copy of a {__app_name__} library: search the articles "
        "on the Articles page, facet them by source, language and tag.")
    heading = title or f"{library_path.stem} — {__app_name__}"
    return {
        "title": heading,
        "description": summary,
        "source": f"{SOURCE_PREFIX} {library_path.name}",
        "databases": {
            database_name(library_path): {
                "title": heading,
                "description": summary,
                "tables": tables,
                "queries": QUERIES,
            },
        },
    }


def _check_overwritable(out: Path) -> None:
    """Refuse to replace a file that ``publish`` did not write (a hand-made metadata file)."""
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give the metadata file's name with --out")
    if not out.exists():
        if not out.parent.is_dir():
            raise InvalidInput(f"no folder {out.parent} to write {out.name} in")
        return
    try:
        existing = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        existing = None
    if not (isinstance(existing, dict) and str(existing.get("source", "")).startswith(SOURCE_PREFIX)):
        raise InvalidInput(f"{out} exists and was not written by dossier publish; "
                           "remove it or choose another file with --out")


def write_back(library: Library) -> bool:
    """Move committed changes from the ``-wal`` file into the library file, where an
    immutable reader (``datasette serve -i``) sees them. False when they could not all
    be moved (a read-only library, or another process still reading them)."""
    if library.read_only:
        return _wal_is_empty(library.path)
    busy, logged, copied = library.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return busy == 0 and copied >= logged


def _metadata_text(library: Library, *, title: str | None, description: str | None) -> str:
    metadata = build_metadata(library.db, library.path, title=title, description=description)
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


def publish(library: Library, out: Path, *, title: str | None = None,
            description: str | None = None) -> Publication:
    """Write Datasette's metadata for ``library`` to ``out`` and return the serve command.

    Raises ``InvalidInput`` when ``out`` is a file ``publish`` did not write (it is
    left as it is) and ``LibraryUnavailable`` when it cannot be written.
    """
    _check_overwritable(out)
    text = _metadata_text(library, title=title, description=description)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        raise LibraryUnavailable(f"cannot write {out}: {err.strerror or err}") from err
    return Publication(
        metadata_path=out,
        command=serve_command(library.path, out),
        written_back=write_back(library),
    )


def publish_to_stream(library: Library, stream: TextIO, *, title: str | None = None,
                      description: str | None = None) -> Publication:
    """Write Datasette's metadata for ``library`` to ``stream`` (standard output) and return the
    serve command, ``FILE`` in it standing for the file the metadata is saved in."""
    stream.write(_metadata_text(library, title=title, description=description))
    return Publication(metadata_path=None, command=serve_command(library.path, None),
                       written_back=write_back(library))
