"""Exports for use outside Dossier: a result list as CSV or JSONL, entities and one entity's
mentions as CSV, a Markdown digest.

Every export is written whole or not at all, with the mode a new file gets
(``desktop.core.replace_file``). CSV is UTF-8 with a byte-order mark, which
spreadsheet programs need to read non-ASCII names correctly, and a text cell that
a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) starts with
an apostrophe, so it shows as the text it is. (W3C annotation JSON-LD lives in
``desktop.core.webannotation``.)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from . import stories
from .annotations import list_annotations
from .documents import tags_of
from .entities.queries import entity_mentions
from .errors import InvalidInput
from .jobs import CancelToken, Progress, ProgressCallback, no_progress
from .markdown_text import inline, paragraphs
from .replace_file import replacing
from .undo import IN_IDS, id_list

RESULT_FIELDS = (
    "id", "title", "published", "source", "author", "url", "path", "language", "word_count",
    "starred", "read_state", "note", "tags", "highlights", "entities", "story", "text",
)
ENTITY_FIELDS = ("label", "name", "documents", "mentions")
MENTION_FIELDS = ("document_id", "title", "published", "start", "end", "left", "text", "right")
MENTION_CONTEXT = 60
FORMATS = ("jsonl", "csv")
BATCH = 500
CSV_ENCODING = "utf-8-sig"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cells(values: Iterable[Any]) -> list[Any]:
    """``values`` as CSV cells a spreadsheet shows as written: text it would take for a
    formula gets a leading apostrophe (the OWASP advice against CSV injection)."""
    return ["'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in values]


def _result_rows(db: Database, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Export rows of ``ids`` (at most one batch), in the order given; unknown ids are skipped."""
    rows = db.conn.execute(
        f"""SELECT d.id, d.title, d.published, d.source, d.author, d.url, d.path, d.language,
                   d.word_count, d.starred, d.read_state, d.note,
                   (SELECT count(*) FROM annotations a WHERE a.document_id = d.id),
                   (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.document_id = d.id),
                   d.text
            FROM documents d WHERE d.id {IN_IDS}""",
        [id_list(ids)],
    )
    fields = [f for f in RESULT_FIELDS if f not in ("tags", "story")]
    found = {r[0]: dict(zip(fields, r)) for r in rows}
    tags = tags_of(db, list(found))
    story_of = stories.story_ids(db.conn, list(found))
    for doc_id, row in found.items():
        row["story"] = story_of[doc_id]
        row["starred"] = bool(row["starred"])
        row["tags"] = tags.get(doc_id, [])
    return [{f: found[i][f] for f in RESULT_FIELDS} for i in ids if i in found]


def _write_result(stream: IO[str], writer: Any, row: dict[str, Any]) -> None:
    if writer is None:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        cells = {**row, "tags": "; ".join(row["tags"]), "starred": int(row["starred"])}
        writer.writerow(spreadsheet_cells(cells[f] for f in RESULT_FIELDS))


def export_results(
    db: Database,
    ids: Sequence[int],
    fmt: str,
    out: Path | IO[str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    one_per_story: bool = False,
) -> int:
    """Write the articles ``ids`` (a result list, in its order) to ``out`` as ``jsonl`` or ``csv``.

    Each row has the article's metadata, its tags, its note, how many highlights
    and distinct entities it has, its story's id and its whole text (so a JSONL export imports
    into another library as the same articles); with ``one_per_story`` only one
    article of each story is written (its original when in the list, else the first).
    ``out`` is a file, or an open text stream (written as it goes, without the CSV file's
    byte-order mark). Returns the number of rows written. Raises InvalidInput for an unknown
    format, Cancelled when ``cancel`` is set.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown export format '{fmt}': choose jsonl or csv.")
    report = progress or no_progress
    if one_per_story:
        ids = stories.one_per_story(db.conn, ids)
    written = 0
    with replacing(out, encoding=CSV_ENCODING if fmt == "csv" else "utf-8") as stream:
        writer = csv.writer(stream) if fmt == "csv" else None
        if writer is not None:
            writer.writerow(RESULT_FIELDS)
        for start in range(0, len(ids), BATCH):
            if cancel is not None:
                cancel.raise_if_cancelled()
            for row in _result_rows(db, ids[start : start + BATCH]):
                _write_result(stream, writer, row)
                written += 1
            report(Progress(min(start + BATCH, len(ids)), len(ids), f"{written} articles written"))
    return written


def export_entities(
    db: Database, out: Path, *, label: str | None = None, doc_ids: Sequence[int] | None = None
) -> int:
    """Write entities as CSV (label, name, documents, mentions), most mentioned first.

    Optionally only one ``label`` and only mentions in ``doc_ids``. Returns the row count.
    """
    where, params = [], []
    if label is not None:
        where.append("e.label = ?")
        params.append(label)
    if doc_ids is not None:
        where.append("m.document_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(doc_ids)))
    rows = db.conn.execute(
        "SELECT e.label, e.name, count(DISTINCT m.document_id), count(*) "
        "FROM mentions m JOIN entities e ON e.id = m.entity_id"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " GROUP BY e.id ORDER BY count(*) DESC, e.label, e.name",
        params,
    ).fetchall()
    with replacing(out, encoding=CSV_ENCODING) as stream:
        writer = csv.writer(stream)
        writer.writerow(ENTITY_FIELDS)
        writer.writerows(spreadsheet_cells(row) for row in rows)
    return len(rows)


def export_mentions(db: Database, entity_id: int, out: Path) -> int:
    """Write every mention of the entity as CSV, in the words around it (``MENTION_FIELDS``),
    a batch at a time; returns how many. Raises NotFound when the entity is gone."""
    written = after = 0
    with replacing(out, encoding=CSV_ENCODING) as stream:
        writer = csv.writer(stream)
        writer.writerow(MENTION_FIELDS)
        while page := entity_mentions(db, entity_id, context=MENTION_CONTEXT, limit=BATCH, after=after):
            writer.writerows(spreadsheet_cells(line[f] for f in MENTION_FIELDS) for line in page)
            written += len(page)
            after = page[-1]["mention_id"]
    return written


def _blockquote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in paragraphs(text) or [""]]


def _article_heading(article: dict[str, Any], tags: list[str]) -> list[str]:
    lines = [f"## {inline(' '.join((article['title'] or 'Untitled').split()))}", ""]
    details = [inline(part) for part in (article["source"], article["published"]) if part]
    if details:
        lines += [f"*{' · '.join(details)}*", ""]
    if tags:
        lines += [f"Tags: {', '.join(inline(tag) for tag in tags)}", ""]
    if article["note"]:
        lines += [*paragraphs(article["note"]), ""]
    return lines


def _highlight(row: dict[str, Any]) -> list[str]:
    lines = [*_blockquote(row["quote"]), ""]
    if row["orphaned"]:
        lines += ["*(this passage is no longer in the article's current text)*", ""]
    if row["note"]:
        lines += [*paragraphs(row["note"]), ""]
    return lines


def _digest_articles(db: Database, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Headline, outlet, date and note of the articles ``ids`` (one batch), in that order."""
    rows = db.conn.execute(f"SELECT id, title, source, published, note FROM documents WHERE id {IN_IDS}",
                           [id_list(ids)])
    found = {r[0]: dict(zip(("id", "title", "source", "published", "note"), r)) for r in rows}
    return [found[i] for i in ids if i in found]


def _digest_part(db: Database, ids: Sequence[int], highlight_ids: Collection[int] | None) -> str:
    """The digest's sections of the articles ``ids`` (one batch), each starting with a blank line."""
    tags = tags_of(db, list(ids))
    highlights: dict[int, list[dict[str, Any]]] = {}
    for row in list_annotations(db, doc_ids=list(ids)):
        if highlight_ids is None or row["id"] in highlight_ids:
            highlights.setdefault(row["document_id"], []).append(row)
    lines: list[str] = []
    for article in _digest_articles(db, ids):
        lines += ["", *_article_heading(article, tags.get(article["id"], []))]
        for row in highlights.get(article["id"], []):
            lines += _highlight(row)
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def export_markdown(db: Database, out: Path | IO[str], *, doc_ids: Sequence[int] | None = None,
                    highlight_ids: Collection[int] | None = None, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> int:
    """Write highlights and notes as Markdown, grouped by article; returns the number of articles.

    Only the articles ``doc_ids`` when given, and only the highlights ``highlight_ids``
    (a filtered list of highlights) when given.
    Per article: the headline, source and date, tags and the article's note, then
    each highlight as a blockquote followed by its note, in reading order. Every text
    shows as typed, line breaks included (``desktop.core.markdown_text``).
    Articles without highlights or a note are left out. Written ``BATCH`` articles at a
    time with progress; raises Cancelled when ``cancel`` is set (nothing is written).
    """
    where = "(d.note IS NOT NULL OR EXISTS (SELECT 1 FROM annotations a WHERE a.document_id = d.id))"
    params: list[Any] = []
    if doc_ids is not None:
        where += " AND d.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(doc_ids)))
    ids = [r[0] for r in db.conn.execute(
        f"SELECT d.id FROM documents d WHERE {where} ORDER BY d.published IS NULL, d.published DESC, d.id",
        params,
    )]
    report = progress or no_progress
    with replacing(out) as stream:
        stream.write("# Highlights and notes\n")
        for start in range(0, len(ids), BATCH):
            if cancel is not None:
                cancel.raise_if_cancelled()
            stream.write(_digest_part(db, ids[start : start + BATCH], highlight_ids))
            done = min(start + BATCH, len(ids))
            report(Progress(done, len(ids), f"{done} articles written"))
    return len(ids)
