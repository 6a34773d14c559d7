"""Highlights, notes and re-anchoring: the ``annotations`` table and ``documents.note`` / ``notes``.

A highlight is a span of an article's text with a colour from ``PALETTE`` and an
optional note; it is stored as offsets *and* as its quote with prefix and suffix
(see ``desktop.core.anchoring``) so that it survives changes to the text.
``documents.notes`` is the searchable aggregate the full-text index covers as
column ``notes``: the article's own note, then every highlight's quote and note.
This module keeps it in step with every change it makes.

Editing functions commit one transaction each and return a ``HighlightChange`` for
the undo stack (``desktop.core.undo``): its undo and redo put the highlights they
restore back on their words when the article's text changed in between.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import uuid as uuidlib
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlite_utils import Database

from .anchoring import Anchor, locate, locate_exact, make_anchor
from .encoding import normalise_text
from .errors import InvalidInput, NotFound
from .ingest import word_count
from .library import CASEFOLD_SQL, Library, now_iso
from .palette import DEFAULT_COLOUR, PALETTE, colour_name
from .row_numbers import take_ids
from .undo import OnRows, RowChange, Scope, record_change

QUOTE_LABEL_LENGTH = 40
METADATA_FIELDS = ("title", "published", "source", "author", "url", "language", "path", "extra")

_COLUMNS = (
    'a.id, a.uuid, a.document_id, a.start, a."end", a.quote, a.prefix, a.suffix, '
    "a.note, a.colour, a.orphaned, a.created, a.updated"
)
_FIELDS = (
    "id", "uuid", "document_id", "start", "end", "quote", "prefix", "suffix",
    "note", "colour", "orphaned", "created", "updated",
)


class _Unset:
    """The type of ``UNSET``: an argument that was not given (None means "clear it")."""


UNSET: Any = _Unset()


def _row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    found = dict(zip(_FIELDS, row))
    found["orphaned"] = bool(found["orphaned"])
    found["colour_hex"] = PALETTE.get(found["colour"] or DEFAULT_COLOUR, PALETTE[DEFAULT_COLOUR])
    return found


def get_annotation(db: Database, annotation_id: int) -> dict[str, Any]:
    """One highlight as a dict (the fields of ``document_annotations``); raises NotFound."""
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM annotations a WHERE a.id = ?", [annotation_id]).fetchone()
    if row is None:
        raise NotFound(f"No highlight with id {annotation_id}.")
    return _row_dict(row)


def document_note(db: Database, doc_id: int) -> str | None:
    """The note on the document as a whole (None when it has none); raises NotFound."""
    row = db.conn.execute("SELECT note FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFound(f"No article with id {doc_id}.")
    return row[0]


def document_annotations(db: Database, doc_id: int) -> list[dict[str, Any]]:
    """A document's highlights in reading order; orphaned ones (flagged) come last."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM annotations a WHERE a.document_id = ? ORDER BY a.orphaned, a.start, a.id",
        [doc_id],
    )
    return [_row_dict(r) for r in rows]


def list_annotations(
    db: Database,
    *,
    colour: str | None = None,
    tag: str | None = None,
    text: str | None = None,
    doc_ids: list[int] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every highlight of the library with its article's title, source and date.

    Filters: ``colour`` (palette name), ``tag`` (articles with that tag or one of its
    children ``tag/...``), ``text`` (case-insensitive, in the quote or the note),
    ``doc_ids``. Ordered by article (newest first) then reading order; orphaned
    highlights are included with ``orphaned`` True.
    """
    where: list[str] = []
    params: list[Any] = []
    if colour is not None:
        where.append("a.colour = ?")
        params.append(colour_name(colour))
    if tag is not None:
        where.append(
            "a.document_id IN (SELECT dt.document_id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
            "WHERE t.name = ? OR lower(substr(t.name, 1, length(?) + 1)) = lower(?) || '/')"
        )
        params += [tag, tag, tag]
    if text:
        # SQLite's lower() knows ASCII letters only: other scripts ("заметка") are case-folded in Python
        lower = "lower" if text.isascii() else CASEFOLD_SQL
        if not text.isascii():
            db.conn.create_function(CASEFOLD_SQL, 1, str.casefold, deterministic=True)
        where.append(
            f"(instr({lower}(a.quote), {lower}(?)) > 0 OR instr({lower}(coalesce(a.note, '')), {lower}(?)) > 0)"
        )
        params += [text, text]
    if doc_ids is not None:
        where.append("a.document_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(doc_ids)))
    sql = (
        f"SELECT {_COLUMNS}, d.title, d.source, d.published FROM annotations a "
        "JOIN documents d ON d.id = a.document_id"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY d.published IS NULL, d.published DESC, d.id, a.orphaned, a.start, a.id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    listed = []
    for row in db.conn.execute(sql, params):
        found = _row_dict(row[: len(_FIELDS)])
        found["title"], found["source"], found["published"] = row[len(_FIELDS) :]
        listed.append(found)
    return listed


def refresh_notes(db: Database, doc_ids: list[int]) -> None:
    """Recompute ``documents.notes`` (note, then each highlight's quote and note) of ``doc_ids``."""
    for doc_id in doc_ids:
        row = db.conn.execute("SELECT note FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            continue
        db.conn.execute(
            "UPDATE documents SET notes = ? WHERE id = ?", [notes_of(db.conn, doc_id, row[0]), doc_id]
        )


def notes_of(conn: sqlite3.Connection, doc_id: int, note: str | None) -> str | None:
    """What ``documents.notes`` holds for an article with ``note`` and its highlights now."""
    parts = [note] if note else []
    for quote, highlight_note in conn.execute(
        "SELECT quote, note FROM annotations WHERE document_id = ? ORDER BY start, id", [doc_id]
    ):
        parts += [quote] + ([highlight_note] if highlight_note else [])
    return "\n".join(parts) or None


def _document_text(db: Database, doc_id: int) -> str:
    row = db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFound(f"No article with id {doc_id}.")
    return row[0]


_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def short_quote(quote: str, *, length: int = QUOTE_LABEL_LENGTH) -> str:
    """``quote`` on one line for a label, at most ``length`` characters ("…" ends a cut one):
    each run of white space one space, none between Chinese or Japanese characters or their
    punctuation (the line break between two Chinese paragraphs is no word space)."""
    flat = " ".join(_CJK_GAP.sub("", quote).split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    return note.strip() or None


@dataclass(frozen=True)
class HighlightChange(OnRows):
    """An edit of an article's highlights or note for the undo stack: the ``RowChange`` of its
    rows, whose undo and redo then place the article's highlights again in its current text and
    compute its searchable notes afresh (another window may have added highlights meanwhile).

    Between an edit and its undo the article may have been re-imported with changed text; a
    restored row still holds the offsets of the old text, and would mark other words. Placing
    them as a re-import does keeps each highlight on its quote (or flags it orphaned).
    """

    rows: RowChange
    doc_id: int

    def undo(self, db: Database) -> None:
        with db.atomic():
            self.rows.undo(db)
            self._place(db)

    def redo(self, db: Database) -> None:
        with db.atomic():
            self.rows.redo(db)
            self._place(db)

    def _place(self, db: Database) -> None:
        place_highlights(db, self.doc_id)


def _document_scopes(doc_id: int) -> list[Scope]:
    return [
        Scope("documents", "id = ?", (doc_id,), columns=("notes",)),
        Scope("annotations", "document_id = ?", (doc_id,)),
    ]


def store_annotation(
    db: Database,
    *,
    doc_id: int,
    anchor: Anchor,
    note: str | None,
    colour: str,
    uuid: str | None = None,
    created: str | None = None,
    updated: str | None = None,
    orphaned: bool = False,
    refresh: bool = True,
) -> int:
    """Insert one highlight row (``orphaned``: its passage is not in the text) and refresh the
    article's notes; returns its id. The caller owns the transaction and has validated the values.
    Without ``refresh`` the caller calls ``refresh_notes`` itself before it commits: a batch does
    it once per article, not once per highlight (each one re-indexes the article's notes).
    """
    stamp = now_iso()
    cursor = db.conn.execute(
        'INSERT INTO annotations (id, uuid, document_id, start, "end", quote, prefix, suffix, note, colour, '
        "orphaned, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [take_ids(db.conn, "annotations"), uuid or str(uuidlib.uuid4()), doc_id, anchor.start, anchor.end,
         anchor.quote, anchor.prefix, anchor.suffix, note, colour, int(orphaned), created or stamp,
         updated or created or stamp],
    )
    if refresh:
        refresh_notes(db, [doc_id])
    return cursor.lastrowid


def create_annotation(
    db: Database, doc_id: int, start: int, end: int, *, note: str | None = None, colour: str | None = None
) -> tuple[dict[str, Any], HighlightChange]:
    """Highlight ``text[start:end]`` of an article; returns the highlight and its Change.

    Raises NotFound for an unknown article, InvalidInput for offsets outside the
    text, an empty range or an unknown colour.
    """
    text = _document_text(db, doc_id)
    if not (0 <= start <= len(text) and 0 <= end <= len(text)):
        raise InvalidInput(f"start/end outside the article (0–{len(text)}).")
    if start >= end:
        raise InvalidInput("A highlight needs start before end (at least one character).")
    name = colour_name(colour)
    anchor = make_anchor(text, start, end)
    new_id, change = record_change(
        db, kind="create_annotation", label=f"Highlight '{short_quote(anchor.quote)}'", doc_ids=[doc_id],
        scopes=_document_scopes(doc_id),
        operation=lambda: store_annotation(
            db, doc_id=doc_id, anchor=anchor, note=_clean_note(note), colour=name
        ),
    )
    return get_annotation(db, new_id), HighlightChange(change, doc_id)


def update_annotation(
    db: Database, annotation_id: int, *, note: str | None = UNSET, colour: str | None = UNSET
) -> tuple[dict[str, Any], HighlightChange]:
    """Change a highlight's note and/or colour (an empty note clears it); returns it and its Change."""
    current = get_annotation(db, annotation_id)
    note = current["note"] if note is UNSET else _clean_note(note)
    colour = current["colour"] if colour is UNSET else colour_name(colour)
    doc_id = current["document_id"]

    def update() -> None:
        db.conn.execute(
            "UPDATE annotations SET note = ?, colour = ?, updated = ? WHERE id = ?",
            [note, colour, now_iso(), annotation_id],
        )
        refresh_notes(db, [doc_id])

    _, change = record_change(
        db, kind="update_annotation", label=f"Edit highlight '{short_quote(current['quote'])}'",
        doc_ids=[doc_id], scopes=_document_scopes(doc_id), operation=update,
    )
    return get_annotation(db, annotation_id), HighlightChange(change, doc_id)


def delete_annotation(db: Database, annotation_id: int) -> HighlightChange:
    """Delete a highlight (and its note); returns its Change. Raises NotFound."""
    current = get_annotation(db, annotation_id)
    doc_id = current["document_id"]

    def delete() -> None:
        db.conn.execute("DELETE FROM annotations WHERE id = ?", [annotation_id])
        refresh_notes(db, [doc_id])

    _, change = record_change(
        db, kind="delete_annotation", label=f"Delete highlight '{short_quote(current['quote'])}'",
        doc_ids=[doc_id], scopes=_document_scopes(doc_id), operation=delete,
    )
    return HighlightChange(change, doc_id)


def set_document_note(db: Database, doc_id: int, note: str | None) -> HighlightChange:
    """Set (or clear, with None or blank) an article's own note; returns its Change (whose undo
    and redo compute the article's searchable notes afresh, with highlights made since)."""
    _document_text(db, doc_id)
    note = _clean_note(note)

    def update() -> None:
        db.conn.execute("UPDATE documents SET note = ? WHERE id = ?", [note, doc_id])
        refresh_notes(db, [doc_id])

    _, change = record_change(
        db, kind="document_note", label="Edit article note" if note else "Clear article note",
        doc_ids=[doc_id], scopes=[Scope("documents", "id = ?", (doc_id,), columns=("note", "notes"))],
        operation=update,
    )
    return HighlightChange(change, doc_id)


@dataclass
class ReanchorReport:
    """What became of an article's highlights and mentions after its text changed.

    Highlight ids by outcome: ``exact`` (same place), ``moved`` (quote found
    elsewhere), ``fuzzy`` (approximate match; quote updated to the new text),
    ``orphaned`` (not placed: kept with their old offsets and flagged).
    ``mentions_dropped`` lists user/rule mentions whose text is gone.
    """

    doc_id: int
    exact: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    fuzzy: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)
    mentions_shifted: int = 0
    mentions_dropped: list[dict[str, Any]] = field(default_factory=list)
    model_mentions_removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _reanchor_annotations(
    db: Database, doc_id: int, new_text: str, report: ReanchorReport, *, misplaced_only: bool = False
) -> None:
    """Place the article's highlights in ``new_text``; with ``misplaced_only`` only those whose
    quote is not at their offsets (the others stay as they are)."""
    for row in document_annotations(db, doc_id):
        if misplaced_only and not row["orphaned"] and new_text[row["start"] : row["end"]] == row["quote"]:
            continue
        anchor = Anchor(row["start"], row["end"], row["quote"], row["prefix"], row["suffix"])
        placed = locate(anchor, new_text)
        if placed is None:
            report.orphaned.append(row["id"])
            if not row["orphaned"]:
                db.conn.execute("UPDATE annotations SET orphaned = 1, updated = ? WHERE id = ?",
                                [now_iso(), row["id"]])
            continue
        getattr(report, placed.method).append(row["id"])
        moved = make_anchor(new_text, placed.start, placed.end)
        if moved != anchor or row["orphaned"]:
            db.conn.execute(
                'UPDATE annotations SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
                "orphaned = 0, updated = ? WHERE id = ?",
                [moved.start, moved.end, moved.quote, moved.prefix, moved.suffix, now_iso(), row["id"]],
            )


def _reanchor_mentions(
    db: Database, doc_id: int, old_text: str, new_text: str, report: ReanchorReport
) -> None:
    report.model_mentions_removed = db.conn.execute(
        "DELETE FROM mentions WHERE document_id = ? AND origin = 'model'", [doc_id]
    ).rowcount
    kept = db.conn.execute(
        'SELECT id, start, "end", text FROM mentions WHERE document_id = ? ORDER BY start', [doc_id]
    ).fetchall()
    for mention_id, start, end, text in kept:
        anchor = make_anchor(old_text, start, end)
        if anchor.quote != text:
            anchor = Anchor(start, end, text)
        placed = locate_exact(anchor, new_text)
        if placed is None:
            db.conn.execute("DELETE FROM mentions WHERE id = ?", [mention_id])
            report.mentions_dropped.append({"id": mention_id, "text": text, "start": start, "end": end})
        else:
            db.conn.execute('UPDATE mentions SET start = ?, "end" = ? WHERE id = ?',
                            [placed.start, placed.end, mention_id])
            report.mentions_shifted += 1


def place_highlights(db: Database, doc_id: int) -> ReanchorReport:
    """Put an article's highlights whose quote is not at their offsets on their words, as a re-import
    does (those whose passage is gone stay, flagged orphaned); inside the caller's transaction."""
    report = ReanchorReport(doc_id)
    row = db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is not None:
        _reanchor_annotations(db, doc_id, row[0], report, misplaced_only=True)
        refresh_notes(db, [doc_id])
    return report


def reanchor_document(db: Database, doc_id: int, old_text: str, new_text: str) -> ReanchorReport:
    """Re-anchor an article's highlights and mentions from ``old_text`` to ``new_text``.

    For an article whose stored text is (or is being made) ``new_text``. Highlights
    are placed by ``anchoring.locate``; those that cannot be placed keep their old
    offsets and are flagged orphaned, never deleted. Model mentions are deleted
    (the caller re-runs entity extraction). User and rule mentions are moved to
    where their exact text is found again (the occurrence whose context in
    ``old_text`` matches best); those whose text is gone are deleted and listed in
    the report, since a mention must always match the text it points at.
    """
    report = ReanchorReport(doc_id)
    with db.atomic():
        _reanchor_annotations(db, doc_id, new_text, report)
        _reanchor_mentions(db, doc_id, old_text, new_text, report)
        refresh_notes(db, [doc_id])
    return report


def content_hash(text: str) -> str:
    """``documents.sha256`` as import computes it: hex SHA-256 of the stored (normalised) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replace_document_text(
    target: Library | Database, doc_id: int, new_text: str, **metadata: Any
) -> ReanchorReport:
    """Replace an article's text in place and re-anchor what points into it, in one transaction.

    The article keeps its id, tags and highlights; ``sha256``, ``word_count`` and
    ``modified_at`` are recomputed. ``metadata`` may also set any of
    ``METADATA_FIELDS``. Entity re-extraction is the caller's job (model mentions
    are deleted, see ``reanchor_document``). Raises NotFound, or InvalidInput for
    an empty text, an unknown field or a text another article already has.
    """
    db = target.db if isinstance(target, Library) else target
    unknown = sorted(set(metadata) - set(METADATA_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown article field: {', '.join(unknown)}.")
    text = normalise_text(new_text)
    if not text.strip():
        raise InvalidInput("The new text of an article cannot be empty.")
    old_text = _document_text(db, doc_id)
    digest = content_hash(text)
    twin = db.conn.execute(
        "SELECT id FROM documents WHERE sha256 = ? AND id != ?", [digest, doc_id]
    ).fetchone()
    if twin is not None:
        raise InvalidInput(f"Article {twin[0]} already has this text.")
    if "extra" in metadata and not isinstance(metadata["extra"], str):
        metadata["extra"] = json.dumps(metadata["extra"], ensure_ascii=False)
    values = {**metadata, "text": text, "sha256": digest, "word_count": word_count(text),
              "modified_at": now_iso()}
    with db.atomic():
        db.conn.execute(
            f"UPDATE documents SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            [*values.values(), doc_id],
        )
        return reanchor_document(db, doc_id, old_text, text)
