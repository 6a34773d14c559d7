"""Change sets: what a write to the library changed, in kinds and ids, for the views to refresh.

Every write operation of the core returns (or carries, on its undo record) a
``ChangeSet``; the window refreshes from it alone — a starred article repaints
one row and recounts the state facet, an import resets the list. Changes made
by another process (the command line, a second window) are read back from the
library's ``search_log`` table by ``outside_changes`` and arrive as the same
kind of object; tags renamed or merged are read from ``tag_rename_log``, which
every operation that declares ``tag_renames`` writes through ``log_tag_renames``
(``desktop/core/undo.py`` does it for an operation, its undo and its redo).

The kinds:

- ``added`` / ``removed``: articles that came into or left the library;
- ``edited``: articles whose title, text or metadata changed;
- ``reading``: articles whose reading state or star changed;
- ``tagged``: articles that gained or lost a tag;
- ``annotated``: articles whose highlights or notes changed;
- ``entities``: articles whose entity mentions changed;
- ``tag_definitions`` / ``entity_definitions``: tags or entities themselves
  (names, colours, labels, merges) changed, whichever articles carry them;
- ``saved_searches``: a saved search was saved, renamed or deleted (or put back by Undo);
- ``unknown``: something changed that no log names (all views refresh);
- ``tag_renames``: tags that go by another name now (``TagRename``, in the order they
  happened), so that what names a tag — the window's filters — can follow it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields, replace
from typing import Iterable, Sequence

from .facets import find_facet
from .library import read_snapshot

_ID_KINDS = ("added", "removed", "edited", "reading", "tagged", "annotated", "entities")
_FLAG_KINDS = ("tag_definitions", "entity_definitions", "saved_searches", "unknown")
READING_COLUMNS = frozenset({"read_state", "starred"})
NOTE_COLUMNS = frozenset({"note", "notes"})
UNTRACKED_TABLES = frozenset({"imports", "import_runs", "search_log"})


def _ids(values: Iterable[int] | None) -> frozenset[int]:
    return frozenset(int(v) for v in values or ())


@dataclass(frozen=True)
class TagRename:
    """Tag ``old`` is called ``new`` now; with ``children`` the tags under it follow it
    (``old/x`` is ``new/x``), as in a rename; a merge leaves them where they are."""

    old: str
    new: str
    children: bool = True

    def renamed(self, name: str) -> str:
        """What the tag ``name`` (any case) is called after this rename."""
        folded, old = name.casefold(), self.old.casefold()
        if folded == old:
            return self.new
        if self.children and folded.startswith(old + "/"):
            return self.new + name[len(self.old):]
        return name

    def reversed(self) -> TagRename:
        return TagRename(self.new, self.old, self.children)


def renamed_tags(names: Iterable[str], renames: Sequence[TagRename]) -> frozenset[str]:
    """``names`` of tags as they are called after ``renames``, applied in order."""
    out = frozenset(names)
    for rename in renames:
        out = frozenset(rename.renamed(name) for name in out)
    return out


@dataclass(frozen=True)
class ChangeSet:
    """What one operation (or an outside writer) changed; see the module docstring for the kinds."""

    added: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    edited: frozenset[int] = frozenset()
    reading: frozenset[int] = frozenset()
    tagged: frozenset[int] = frozenset()
    annotated: frozenset[int] = frozenset()
    entities: frozenset[int] = frozenset()
    tag_definitions: bool = False
    entity_definitions: bool = False
    saved_searches: bool = False
    unknown: bool = False
    tag_renames: tuple[TagRename, ...] = ()

    @classmethod
    def of(cls, **kinds: Iterable[int] | bool) -> ChangeSet:
        """``ChangeSet.of(tagged=[1, 2], tag_definitions=True)``: any iterable of ids per kind."""
        values = {k: (bool(v) if k in _FLAG_KINDS else _ids(v)) for k, v in kinds.items()}  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def everything(cls) -> ChangeSet:
        """A change nobody can name: every view refreshes all it shows."""
        return cls(unknown=True)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        merged = {f.name: getattr(self, f.name) | getattr(other, f.name)
                  for f in fields(self) if f.name != "tag_renames"}
        return ChangeSet(**merged, tag_renames=self.tag_renames + other.tag_renames)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def without(self, doc_ids: Iterable[int], renames: Sequence[TagRename] = ()) -> ChangeSet:
        """This change set with nothing said about articles ``doc_ids``, and less one of each
        of ``renames`` (a window's own change, which the log read back holds too)."""
        gone = _ids(doc_ids)
        left = list(self.tag_renames)
        for rename in renames:
            if rename in left:
                left.remove(rename)
        return replace(self, **{kind: getattr(self, kind) - gone for kind in _ID_KINDS},
                       tag_renames=tuple(left))

    def reversed(self) -> ChangeSet:
        """The change set of undoing this change: what was added is removed and the other way
        round, renamed tags take their old names back (the latest rename first)."""
        renames = tuple(rename.reversed() for rename in reversed(self.tag_renames))
        return replace(self, added=self.removed, removed=self.added, tag_renames=renames)

    @property
    def documents(self) -> frozenset[int]:
        """Every article named by the change, whatever happened to it."""
        out: frozenset[int] = frozenset()
        for kind in _ID_KINDS:
            out |= getattr(self, kind)
        return out

    @property
    def membership(self) -> bool:
        """True when the set of articles changed (or may have): the list and totals are recounted."""
        return bool(self.added or self.removed or self.unknown)

    @property
    def facet_areas(self) -> frozenset[str]:
        """Which facet areas need counting again: ``documents`` (source, author, year),
        ``state``, ``tags``, ``entities``; all four for a membership change."""
        if self.membership:
            return frozenset({"documents", "state", "tags", "entities"})
        areas = set()
        if self.edited:
            areas.add("documents")
        if self.reading:
            areas.add("state")
        if self.tagged or self.tag_definitions:
            areas.add("tags")
        if self.entities or self.entity_definitions:
            areas.add("entities")
        return frozenset(areas)

    def describe(self) -> str:
        """A short account for logs and tests: ``"added 3, tagged 2, tags"``."""
        parts = [f"{k} {len(getattr(self, k))}" for k in _ID_KINDS if getattr(self, k)]
        parts += [k for k in _FLAG_KINDS if getattr(self, k)]
        parts += [f"tag {r.old} → {r.new}" for r in self.tag_renames]
        return ", ".join(parts) or "nothing"


def facet_area(facet: str) -> str:
    """The area of ``ChangeSet.facet_areas`` whose changes make the counts of ``facet`` stale."""
    found = find_facet(facet)
    return found.area if found is not None else "entities"


def documents_columns_change(changed: Iterable[tuple[int, Iterable[str]]]) -> ChangeSet:
    """The change set of articles whose columns changed value: ``(doc_id, columns)`` pairs,
    read in one pass (an edit of every article of a large library is one change set, not one
    per article merged in turn)."""
    reading: set[int] = set()
    annotated: set[int] = set()
    edited: set[int] = set()
    for doc_id, columns in changed:
        columns = set(columns)
        if columns & READING_COLUMNS:
            reading.add(doc_id)
        if columns & NOTE_COLUMNS:
            annotated.add(doc_id)
        if columns - READING_COLUMNS - NOTE_COLUMNS:
            edited.add(doc_id)
    return ChangeSet.of(reading=reading, annotated=annotated, edited=edited)


_ARTICLE_TABLES = {
    "document_tags": "tagged",
    "annotations": "annotated",
    "mentions": "entities",
    "document_entities": "entities",
    "removed_mentions": "entities",
    "entity_extractions": "entities",
}
"""Tables of rows that belong to one article, and the kind of change a row of them is."""
_DEFINITION_TABLES = {
    "tags": "tag_definitions",
    "entities": "entity_definitions",
    "entity_aliases": "entity_definitions",
    "entity_keys": "entity_definitions",
    "entity_rules": "entity_definitions",
    "name_refusals": "entity_definitions",
    "saved_searches": "saved_searches",
}
"""Tables whose rows define things many articles carry, and the flag a change of them sets."""


def table_rows_change(table: str, rows: Iterable[dict[str, object]]) -> ChangeSet:
    """The change set of ``rows`` of ``table`` written or deleted (rows of ``mentions``, ``tags``…).

    Each row holds whichever of its columns are known; the articles a change names are the
    ``document_id`` values among them.
    """
    rows = list(rows)
    if not rows or table in UNTRACKED_TABLES:
        return ChangeSet()
    if table in _DEFINITION_TABLES:
        return ChangeSet.of(**{_DEFINITION_TABLES[table]: True})
    if table in _ARTICLE_TABLES:
        docs = {row["document_id"] for row in rows if isinstance(row.get("document_id"), int)}
        return ChangeSet.of(**{_ARTICLE_TABLES[table]: docs})
    return ChangeSet.everything()


@dataclass(frozen=True)
class Step:
    """What the latest undo or redo of a change did: its change set and, when the plain
    "Undone: …" would not say it, one sentence for the person."""

    changes: ChangeSet
    message: str | None = None


@dataclass
class LogPosition:
    """Where a reader of the library's change log stands: the last ``seq`` read, the
    highest article id known then (ids above it that appear are new articles) and the last
    tag rename read."""

    seq: int
    max_id: int
    renames: int = 0


def log_position(conn: sqlite3.Connection) -> LogPosition:
    """The current end of the change log, the highest article id and the last tag rename."""
    seq, max_id, renames = conn.execute(
        "SELECT (SELECT coalesce(max(seq), 0) FROM search_log), "
        "(SELECT coalesce(max(id), 0) FROM documents), "
        "(SELECT coalesce(max(seq), 0) FROM tag_rename_log)"
    ).fetchone()
    return LogPosition(seq, max_id, renames)


def log_tag_renames(conn: sqlite3.Connection, renames: Sequence[TagRename]) -> None:
    """Record ``renames`` in the library's log, within the caller's transaction."""
    conn.executemany("INSERT INTO tag_rename_log (old, new, children) VALUES (?, ?, ?)",
                     [(r.old, r.new, int(r.children)) for r in renames])


def reaches_back(conn: sqlite3.Connection, table: str, since: int, now: int) -> bool:
    """Whether the log ``table`` (trimmed to its latest entries) still holds all after ``since``."""
    if now == since:
        return True
    oldest = conn.execute(f"SELECT min(seq) FROM {table}").fetchone()[0]
    return oldest is not None and oldest <= since + 1 and now > since


def outside_changes(conn: sqlite3.Connection, since: LogPosition) -> tuple[ChangeSet, LogPosition]:
    """What the change log records after ``since``, as a change set, and the new position.

    When the log no longer reaches back to ``since`` (it keeps the latest
    10,000 or so entries) the change set is ``everything()``. Articles that
    no longer exist are ``removed``, those above the last known id ``added``,
    the others ``edited`` and ``reading`` (the log does not say which column changed).
    Tags renamed or merged are ``tag_renames``, in order (and ``tag_definitions``).
    """
    with read_snapshot(conn):
        now = log_position(conn)
        if now == since:
            return ChangeSet(), now
        renames = tuple(
            TagRename(old, new, bool(children)) for old, new, children in conn.execute(
                "SELECT old, new, children FROM tag_rename_log WHERE seq > ? ORDER BY seq", [since.renames])
        ) if reaches_back(conn, "tag_rename_log", since.renames, now.renames) else ()
        if not reaches_back(conn, "search_log", since.seq, now.seq):
            return replace(ChangeSet.everything(), tag_renames=renames), now
        rows = conn.execute(
            "SELECT l.area, l.document_id, d.id IS NOT NULL FROM search_log AS l "
            "LEFT JOIN documents AS d ON d.id = l.document_id WHERE l.seq > ?",
            [since.seq],
        ).fetchall()
    kinds: dict[str, set[int]] = {k: set() for k in _ID_KINDS}
    flags = {"tags": False, "entities": False}
    for area, doc_id, exists in rows:
        if doc_id is None:
            flags[area if area in flags else "tags"] = True
        elif not exists:
            kinds["removed"].add(doc_id)
        elif doc_id > since.max_id:
            kinds["added"].add(doc_id)
        elif area == "tags":
            kinds["tagged"].add(doc_id)
        elif area == "entities":
            kinds["entities"].add(doc_id)
        else:
            kinds["edited"].add(doc_id)  # the log does not say which column: a star or a title
            kinds["reading"].add(doc_id)
    kinds["removed"] -= kinds["added"]  # added and removed again: nothing to show
    for kind in ("edited", "reading", "tagged", "entities"):
        kinds[kind] -= kinds["added"] | kinds["removed"]
    change = ChangeSet(
        **{k: frozenset(v) for k, v in kinds.items()},
        tag_definitions=flags["tags"] or bool(renames), entity_definitions=flags["entities"],
        tag_renames=renames,
    )
    return change, now
