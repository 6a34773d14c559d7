"""A person's corrections to the grouping of stories, as undoable operations.

"Not the same story" takes an article out of its story and records that it differs from
each of the story's other articles; "same story" puts two articles (and their stories) in
one and records it; "pin as original" makes an article its story's original. Corrections
live in ``story_corrections`` and ``story_originals``, which every regrouping reads
(``stories.group_documents``), so they survive a rebuild. Each operation runs in one
transaction and returns a ``StoryChange`` following the undo protocol of ``undo``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlite_utils import Database

from .changes import ChangeSet
from .errors import InvalidInput, NotFound
from .library import now_iso
from .stories import IN_JSON, _ids, _members, write_groups
from .undo import RowChange, Scope, plural, record_change


@dataclass(frozen=True)
class StoryChange:
    """An undoable correction of stories: the rows it changed and the articles whose story changed."""

    rows: RowChange
    affected: frozenset[int]

    @property
    def label(self) -> str:
        return self.rows.label

    @property
    def doc_ids(self) -> Collection[int]:
        return tuple(sorted(self.affected))

    @property
    def changes(self) -> ChangeSet:
        return ChangeSet.of(edited=self.affected)

    def undo(self, db: Database) -> None:
        self.rows.undo(db)

    def redo(self, db: Database) -> None:
        self.rows.redo(db)


def _story_of(db: Database, doc_id: int) -> set[int]:
    if db.conn.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is None:
        raise NotFound(f"No article with id {doc_id}.")
    members = _members(db.conn, [doc_id])
    return next(iter(members.values()), {doc_id})


def _title(db: Database, doc_id: int) -> str:
    title = db.conn.execute("SELECT title FROM documents WHERE id = ?", [doc_id]).fetchone()[0] or ""
    return title if len(title) <= 40 else title[:39] + "…"


def _correct(db: Database, *, kind: str, label: str, scope: set[int], operation: Callable[[], None]) -> StoryChange:
    params = (_ids(scope),)
    scopes = [
        Scope("story_members", f"document_id {IN_JSON}", params),
        Scope("story_corrections", f"a {IN_JSON} OR b {IN_JSON}", params * 2),
        Scope("story_originals", f"document_id {IN_JSON}", params),
    ]
    _, rows = record_change(db, kind=kind, label=label, doc_ids=sorted(scope), scopes=scopes, operation=operation)
    return StoryChange(rows, frozenset(scope))


def _record(db: Database, pairs: list[tuple[int, int]], kind: str) -> None:
    db.conn.executemany(
        "INSERT INTO story_corrections (a, b, kind, created) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (a, b) DO UPDATE SET kind = excluded.kind, created = excluded.created",
        [(min(a, b), max(a, b), kind, now_iso()) for a, b in pairs if a != b],
    )


def separate_story(db: Database, doc_id: int) -> StoryChange:
    """"Not the same story": article ``doc_id`` leaves its story, and stays out of it when regrouped."""
    members = _story_of(db, doc_id)
    if len(members) < 2:
        raise InvalidInput("This article has no other versions.")
    others = members - {doc_id}

    def operation() -> None:
        _record(db, [(doc_id, other) for other in others], "different")
        db.conn.execute("DELETE FROM story_originals WHERE document_id = ?", [doc_id])
        write_groups(db.conn, [{doc_id}, others])

    return _correct(db, kind="separate_story", label=f"Not the same story: '{_title(db, doc_id)}'",
                    scope=members, operation=operation)


def join_story(db: Database, doc_id: int, *other_ids: int) -> StoryChange:
    """"Same story": article ``doc_id``, the ``other_ids`` and their stories become one story, in
    one change (one Undo takes it all back)."""
    stories = [_story_of(db, doc_id)]
    for other_id in other_ids:
        if not any(other_id in story for story in stories):
            stories.append(_story_of(db, other_id))
    if len(stories) < 2:
        raise InvalidInput("These articles are already versions of one story.")
    joined = set().union(*stories)
    pairs = [(doc_id, other_id) for other_id in other_ids if other_id not in stories[0]]

    def operation() -> None:
        for n, story in enumerate(stories):
            for later in stories[n + 1:]:
                db.conn.execute(
                    f"DELETE FROM story_corrections WHERE kind = 'different' AND "
                    f"((a {IN_JSON} AND b {IN_JSON}) OR (a {IN_JSON} AND b {IN_JSON}))",
                    [_ids(story), _ids(later), _ids(later), _ids(story)],
                )
        _record(db, pairs, "same")
        write_groups(db.conn, [joined])

    others = f" and {plural(len(joined) - len(stories[0]), 'other article')}" if len(pairs) > 1 else ""
    return _correct(db, kind="join_story", label=f"Same story: '{_title(db, doc_id)}'{others}",
                    scope=joined, operation=operation)


def pin_original(db: Database, doc_id: int) -> StoryChange:
    """Make article ``doc_id`` the original of its story (what "Hide copies" keeps and diffs compare to)."""
    members = _story_of(db, doc_id)
    if len(members) < 2:
        raise InvalidInput("This article has no other versions.")

    def operation() -> None:
        db.conn.execute(f"DELETE FROM story_originals WHERE document_id {IN_JSON}", [_ids(members)])
        db.conn.execute("INSERT INTO story_originals (document_id, created) VALUES (?, ?)", [doc_id, now_iso()])
        write_groups(db.conn, [members])
        # logged for the facet index even when it was the original already (Hide copies keeps a pinned one)
        db.conn.execute(f"UPDATE story_members SET story = story WHERE document_id {IN_JSON}", [_ids(members)])

    return _correct(db, kind="pin_original", label=f"Pin '{_title(db, doc_id)}' as the original",
                    scope=members, operation=operation)
