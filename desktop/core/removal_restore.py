"""Writing removed articles back into the library for the undo of a removal (``removal.py``).

``restore_rows`` follows a plan of ``Placement``s: an article coming back as it was is inserted
with its rows (under the ids planned for it); an article whose copy was imported again since
has its highlights, note, tags, star, reading state and manual entity corrections joined to
that copy. Rows never overwrite rows that exist: a highlight or mention whose id another took
gets a new one, a highlight already in the library (same uuid) is not written twice, a tag or
entity deleted since is made again by its name. ``RestoreReport`` says what happened in
the words the window shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .anchoring import Anchor, locate_exact, make_anchor
from .annotations import place_highlights, refresh_notes
from .entities.corrections import take_range
from .entities.store import EntityResolver
from .stories import group_documents
from .row_numbers import NUMBERED, take_ids
from .undo import plural

if TYPE_CHECKING:
    from .removal import Removal

READ_STATES = ("unread", "to_read", "read")


@dataclass(frozen=True)
class Placement:
    """Where removed article ``old_id`` goes back: ``target`` is its own id, a new id, or with
    ``onto_copy`` the copy of it imported since."""

    old_id: int
    target: int
    onto_copy: bool


@dataclass
class Joined:
    """What was put on a copy imported again: highlights (and how many of them are not in its
    text), whether a note was, how many tags."""

    title: str
    highlights: int = 0
    not_found: int = 0
    note: bool = False
    tags: int = 0


@dataclass
class RestoreReport:
    """What undoing a removal did: articles back as they were, and what went onto copies."""

    restored: list[int] = field(default_factory=list)
    joined: list[Joined] = field(default_factory=list)

    def summary(self, label: str) -> str | None:
        """One sentence when some articles went onto copies imported since; None otherwise."""
        if not self.joined:
            return None
        held = _held(self.joined)
        if len(self.joined) == 1 and not self.restored:
            article = f"'{self.joined[0].title}' had been imported again" if self.joined[0].title else (
                "the article had been imported again")
            text = f"Undone: {label} — {article}, so {held} put on that copy"
        else:
            n = len(self.restored)
            back = f"{n} came back as {'it was' if n == 1 else 'they were'}; " if n else ""
            copies = "that copy" if len(self.joined) == 1 else "those copies"
            text = (f"Undone: {label} — {back}{len(self.joined)} had been imported again, "
                    f"so {held} put on {copies}")
        missing = sum(j.not_found for j in self.joined)
        if missing:
            text += (f" ({plural(missing, 'highlight')} whose words are no longer in the text "
                     f"{'is' if missing == 1 else 'are'} kept, marked not found)")
        return text + "."

    def redo_summary(self, label: str) -> str | None:
        """One sentence for redoing an undo that joined articles to copies; None otherwise."""
        if not self.joined:
            return None
        copies, stay = ("the copy", "it stays") if len(self.joined) == 1 else ("the copies", "they stay")
        return f"Redone: {label} — what Undo put on {copies} imported since was taken off again; {stay}."


def _held(joined: Sequence[Joined]) -> str:
    """"its 2 highlights, note and tag were" — what went onto copies, in words."""
    highlights = sum(j.highlights for j in joined)
    notes = sum(j.note for j in joined)
    tags = sum(j.tags for j in joined)
    one = len(joined) == 1

    def counted(n: int, noun: str) -> str:  # "its highlight", "its 2 highlights"
        return noun if one and n == 1 else plural(n, noun)

    parts = [counted(n, noun) for n, noun in ((highlights, "highlight"), (notes, "note"), (tags, "tag")) if n]
    owner = "its" if one else "their"
    if not parts:
        return f"{owner} star and reading state were"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{owner} {listed} were"


def restore_rows(db: Database, removal: Removal, plan: Sequence[Placement]) -> RestoreReport:
    """Write the rows ``removal`` took back as ``plan`` says; inside the caller's transaction."""
    report = RestoreReport()
    rows = _Rows(removal, plan)
    tags = _tag_ids(db, removal.snapshot("tags"))
    for placement in plan:
        if placement.onto_copy:
            report.joined.append(_join(db, rows, placement, tags))
        else:
            _bring_back(db, rows, placement, tags)
            report.restored.append(placement.target)
    _write_mentions(db, rows, plan)
    for row in removal.snapshot("imports"):
        target = rows.target(row["document_id"])
        db.conn.execute("UPDATE imports SET document_id = ? WHERE id = ? AND document_id IS NULL",
                        [target, row["id"]])
    back = [p.target for p in plan if not p.onto_copy]
    if back:
        group_documents(db.conn, back)
    refresh_notes(db, [p.target for p in plan])
    return report


class _Rows:
    """The removal's snapshot rows, by the article they belong to."""

    def __init__(self, removal: Removal, plan: Sequence[Placement]) -> None:
        self.documents = {row["id"]: row for row in removal.snapshot("documents")}
        self.entities = {row["id"]: row for row in removal.snapshot("entities")}
        self._targets = {p.old_id: p.target for p in plan}
        self._of: dict[str, dict[int, list[dict[str, Any]]]] = {}
        for table in ("document_tags", "annotations", "mentions", "removed_mentions", "entity_extractions"):
            grouped: dict[int, list[dict[str, Any]]] = {}
            for row in removal.snapshot(table):
                grouped.setdefault(row["document_id"], []).append(row)
            self._of[table] = grouped

    def target(self, old_id: int | None) -> int | None:
        return self._targets.get(old_id) if old_id is not None else None

    def of(self, table: str, old_id: int) -> list[dict[str, Any]]:
        return self._of[table].get(old_id, [])


def _insert(db: Database, table: str, row: Mapping[str, Any], *, or_ignore: bool = False) -> int | None:
    """Insert ``row``, under a new ``id`` when another row has taken its own; returns the new row's id."""
    values = dict(row)
    if "id" in values and db.conn.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [values["id"]]).fetchone():
        del values["id"]
        if table in NUMBERED:
            values["id"] = take_ids(db.conn, table)
    columns = ", ".join(f'"{c}"' for c in values)
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    cursor = db.conn.execute(
        f"{verb} INTO [{table}] ({columns}) VALUES ({', '.join('?' * len(values))})", list(values.values()))
    return cursor.lastrowid if cursor.rowcount else None


def _tag_ids(db: Database, tags: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """The tag each removed tag id is now: the tag of its name, made again when there is none (its
    id may belong to a tag made since, so a tag is never found by id)."""
    found: dict[int, int] = {}
    for tag in tags:
        named = db.conn.execute("SELECT id FROM tags WHERE name = ?", [tag["name"]]).fetchone()
        found[tag["id"]] = named[0] if named else _insert(db, "tags", {**tag, "pinned": None})  # type: ignore[assignment]
    return found


def _bring_back(db: Database, rows: _Rows, placement: Placement, tags: Mapping[int, int]) -> None:
    """Insert a removed article as it was, under ``placement.target``, with its tags and highlights."""
    old, target = placement.old_id, placement.target
    _insert(db, "documents", {**rows.documents[old], "id": target})
    for row in rows.of("document_tags", old):
        _insert(db, "document_tags", {**row, "document_id": target, "tag_id": tags[row["tag_id"]]})
    _insert_highlights(db, rows.of("annotations", old), target)
    for table in ("removed_mentions", "entity_extractions"):
        for row in rows.of(table, old):
            _insert(db, table, {**row, "document_id": target}, or_ignore=True)


def _insert_highlights(db: Database, highlights: Iterable[Mapping[str, Any]], target: int) -> list[int]:
    """Insert highlights on article ``target`` (those whose uuid is in the library already are
    there); returns the ids of the rows written."""
    written = []
    for row in highlights:
        if db.conn.execute("SELECT 1 FROM annotations WHERE uuid = ?", [row["uuid"]]).fetchone() is None:
            written.append(_insert(db, "annotations", {**row, "document_id": target}))
    return [i for i in written if i is not None]


def _join(db: Database, rows: _Rows, placement: Placement, tags: Mapping[int, int]) -> Joined:
    """Put a removed article's highlights, note, tags, star and reading state on its copy."""
    old, target = rows.documents[placement.old_id], placement.target
    note, starred, state, title = db.conn.execute(
        "SELECT note, starred, read_state, title FROM documents WHERE id = ?", [target]).fetchone()
    joined = Joined(title=title or old["title"])
    if old["note"] and old["note"] not in (note or ""):
        joined.note = True
        note = f"{note}\n\n{old['note']}" if note else old["note"]
    if state == "unread" or READ_STATES.index(old["read_state"]) > READ_STATES.index(state):
        state = old["read_state"]
    db.conn.execute("UPDATE documents SET note = ?, starred = ?, read_state = ? WHERE id = ?",
                    [note, int(bool(starred) or bool(old["starred"])), state, target])
    for row in rows.of("document_tags", placement.old_id):
        written = _insert(db, "document_tags", {**row, "document_id": target,
                                                "tag_id": tags[row["tag_id"]]}, or_ignore=True)
        joined.tags += written is not None
    placed = _insert_highlights(db, rows.of("annotations", placement.old_id), target)
    joined.highlights = len(placed)
    joined.not_found = len(set(place_highlights(db, target).orphaned) & set(placed))
    return joined


def _write_mentions(db: Database, rows: _Rows, plan: Sequence[Placement]) -> None:
    """Mentions back on the articles restored as they were; on a copy, only the person's own
    corrections (user mentions, removed mentions) where their words are found in its text."""
    resolver = EntityResolver(db)
    for placement in plan:
        old_text = rows.documents[placement.old_id]["text"]
        new_text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [placement.target]).fetchone()[0]
        for row in rows.of("mentions", placement.old_id):
            if placement.onto_copy and row["origin"] != "user":
                continue
            span = _span_in(row, old_text, new_text) if placement.onto_copy else (row["start"], row["end"])
            if span is None:
                continue
            entity = _entity_id(db, resolver, rows.entities.get(row["entity_id"]), row)
            if placement.onto_copy:  # as marking the words did: what the model found there goes
                take_range(db, doc_id=placement.target, start=span[0], end=span[1])
            _insert(db, "mentions", {**row, "document_id": placement.target, "entity_id": entity,
                                     "start": span[0], "end": span[1]})
        if placement.onto_copy:
            for row in rows.of("removed_mentions", placement.old_id):
                span = _span_in(row, old_text, new_text)
                if span is not None:
                    db.conn.execute("DELETE FROM mentions WHERE document_id = ? AND start = ? AND \"end\" = ? "
                                    "AND origin <> 'user'", [placement.target, *span])
                    _insert(db, "removed_mentions", {**row, "document_id": placement.target,
                                                     "start": span[0], "end": span[1]}, or_ignore=True)


def _span_in(row: Mapping[str, Any], old_text: str, new_text: str) -> tuple[int, int] | None:
    """Where the words of a mention (or removed mention) of ``old_text`` are in ``new_text``."""
    anchor = make_anchor(old_text, row["start"], row["end"])
    if anchor.quote != row["text"]:
        anchor = Anchor(row["start"], row["end"], row["text"])
    placed = locate_exact(anchor, new_text)
    return (placed.start, placed.end) if placed is not None else None


def _entity_id(db: Database, resolver: EntityResolver, entity: Mapping[str, Any] | None,
               mention: Mapping[str, Any]) -> int:
    """The entity a restored mention points at: the same one if it is still there, else the one
    of its label and name now (made again when it was deleted since)."""
    if entity is None:
        return mention["entity_id"]
    same = db.conn.execute("SELECT 1 FROM entities WHERE id = ? AND label = ? AND name = ?",
                           [entity["id"], entity["label"], entity["name"]]).fetchone()
    if same is not None:
        return entity["id"]
    return resolver.entity_id(label=entity["label"], name=entity["name"], surface=mention["text"])
