"""Removing articles from the library, and taking a removal back even when the library has
changed since.

``remove_documents`` deletes articles with everything that hangs on them — tags, highlights,
notes, mentions and manual entity corrections — after an automatic backup, and returns a
``Removal`` for the undo stack. Its undo brings back what the person had, whatever happened
meanwhile (the writing itself is ``removal_restore``):

- an article that is in the library again — imported since from the same text (``sha256``), or
  from the same file (``path``; in an export of many, the record with the same identity, as an
  import tells them apart) — is not restored as a second copy: its highlights go onto the copy
  that is there, re-anchored by their quotes as a re-import does (kept, flagged not found in the
  text, when the passage is gone), and its note, tags, star, reading state and manual entity
  corrections join that copy's;
- any other article comes back as it was, under its own id — or a new one when an article
  imported since took that id; highlights and mentions never overwrite rows that took their
  ids either, and a tag or entity deleted since is made again.

Redo takes back exactly what that undo did (a copy imported since stays). When undo still cannot
restore, its message says that the removed articles are in the automatic backup and how to get
them back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .backups import backup_before, newest_backup
from .changes import Step
from .errors import InvalidInput, NotFound
from .import_updates import stored_keys
from .removal_restore import Placement, RestoreReport, restore_rows
from .undo import IN_IDS, OnRows, RowChange, Scope, id_list, plural, record_change

RESTORE_FROM_BACKUP = "File ▸ Restore from backup…, or dossier restore"


@dataclass(eq=False)
class Removal(OnRows):
    """The undo record of ``remove_documents`` (see the module docstring)."""

    rows: RowChange
    last_id: int
    backup: Path | None = None
    last_step: Step | None = None
    _undone: RowChange | None = field(default=None, repr=False)
    _report: RestoreReport | None = field(default=None, repr=False)

    def snapshot(self, table: str) -> list[dict[str, Any]]:
        """The rows of ``table`` as they were before the removal."""
        found = next((rows for rows in self.rows.before if rows.table == table), None)
        return [dict(zip(found.columns, row)) for row in found.rows] if found else []

    def undo(self, db: Database) -> None:
        """Bring the removed articles back (onto their copies imported since, if any), in one transaction."""
        try:
            with db.atomic():
                plan = plan_placements(db, self.snapshot("documents"), last_id=self.last_id)
                targets = [p.target for p in plan]
                self._report, self._undone = record_change(
                    db, kind="undo_remove_documents", label=self.label, doc_ids=targets,
                    scopes=_restore_scopes(self, targets), operation=lambda: restore_rows(db, self, plan),
                )
        except sqlite3.IntegrityError as err:
            raise InvalidInput(self.cannot("undo")) from err
        self.last_step = Step(self._undone.changes, self._report.summary(self.label))

    def redo(self, db: Database) -> None:
        """Take back what the latest undo did: restored articles go again, copies lose what it put on them."""
        if self._undone is None:
            raise InvalidInput(f"'{self.label}' was not undone: there is nothing to redo.")
        try:
            self._undone.undo(db)
        except InvalidInput as err:
            raise InvalidInput(f"Cannot redo '{self.label}': the library has changed since.") from err
        message = self._report.redo_summary(self.label) if self._report else None
        self.last_step = Step(self._undone.changes.reversed(), message)
        self._undone = None

    def cannot(self, verb: str) -> str:
        """The one line for an undo that cannot restore: where the removed articles are kept."""
        if self.backup is None:
            where = f"in the automatic backups ({RESTORE_FROM_BACKUP} FILE)"
        else:
            where = f"in the automatic backup {self.backup.name} ({RESTORE_FROM_BACKUP} {self.backup})"
        return (f"Cannot {verb} '{self.label}' because the library has changed since; the articles "
                f"with their highlights and notes are {where}.")


def _restore_scopes(removal: Removal, targets: list[int]) -> list[Scope]:
    """What undoing ``removal`` onto articles ``targets`` may write (for redo to take it back)."""
    inside = (id_list(targets),)
    tags = [t["name"] for t in removal.snapshot("tags")]
    entities = sorted({(e["label"], e["name"]) for e in removal.snapshot("entities")})
    imports = [row["id"] for row in removal.snapshot("imports")]
    return [
        Scope("tags", f"name {IN_IDS}", (id_list(tags),)),
        Scope("entities", "id IN (SELECT e.id FROM entities e, json_each(?) j "
              "WHERE e.label = json_extract(j.value, '$[0]') AND e.name = json_extract(j.value, '$[1]'))", (id_list(entities),)),
        Scope("documents", f"id {IN_IDS}", inside),
        Scope("document_tags", f"document_id {IN_IDS}", inside),
        Scope("annotations", f"document_id {IN_IDS}", inside),
        Scope("mentions", f"document_id {IN_IDS}", inside),
        Scope("removed_mentions", f"document_id {IN_IDS}", inside),
        Scope("entity_extractions", f"document_id {IN_IDS}", inside),
        Scope("imports", f"id {IN_IDS}", (id_list(imports),), columns=("document_id",)),
    ]


def plan_placements(db: Database, removed: Sequence[dict[str, Any]], *, last_id: int) -> list[Placement]:
    """Where each removed article goes back: onto its copy in the library (same text, or the same
    record of the same file imported after the removal, whose highest id was ``last_id``), else
    under its own id, else under a new one."""
    plan: list[Placement] = []
    claimed: set[int] = set()
    paths = [row["path"] for row in removed]
    next_id = max([db.conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0],
                   *(row["id"] for row in removed)]) + 1
    for row in removed:
        alone = paths.count(row["path"]) == 1
        copy = _present_copy(db, row, claimed=claimed, last_id=last_id, alone=alone)
        if copy is not None:
            claimed.add(copy)
            plan.append(Placement(row["id"], copy, onto_copy=True))
        elif db.conn.execute("SELECT 1 FROM documents WHERE id = ?", [row["id"]]).fetchone() is None:
            plan.append(Placement(row["id"], row["id"], onto_copy=False))
        else:
            plan.append(Placement(row["id"], next_id, onto_copy=False))
            next_id += 1
    return plan


def _present_copy(db: Database, row: dict[str, Any], *, claimed: set[int], last_id: int,
                  alone: bool) -> int | None:
    """The article in the library now that is the removed ``row`` imported again, if any."""
    same = db.conn.execute("SELECT id FROM documents WHERE sha256 = ?", [row["sha256"]]).fetchone()
    if same is not None:
        return same[0]
    if not row["path"]:
        return None
    candidates = [c for c in db.conn.execute(
        "SELECT id, title, url, extra FROM documents WHERE path = ? AND id > ? ORDER BY id DESC",
        [row["path"], last_id]) if c[0] not in claimed]
    keys = stored_keys(row["title"], row["url"], row["extra"])
    found = next((c[0] for c in candidates if stored_keys(*c[1:]) & keys), None)
    if found is not None:
        return found
    older = db.conn.execute("SELECT 1 FROM documents WHERE path = ? AND id <= ?",
                            [row["path"], last_id]).fetchone()
    return candidates[0][0] if len(candidates) == 1 and alone and older is None else None


def remove_documents(db: Database, ids: Sequence[int]) -> Removal:
    """Delete articles with their tags, highlights, notes, mentions and entity corrections;
    returns the ``Removal`` whose undo brings them back (see the module docstring).

    Raises InvalidInput for no ids, NotFound when none of ``ids`` exists.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise InvalidInput("No articles given to remove.")
    found = [r[0] for r in db.conn.execute(f"SELECT id FROM documents WHERE id {IN_IDS}", [id_list(ids)])]
    if not found:
        raise NotFound(f"No article with id {ids[0]}." if len(ids) == 1 else "None of these articles exist.")
    backup = backup_before(db, "remove articles") or newest_backup(db)
    params = (id_list(found),)
    inside = f"document_id {IN_IDS}"
    import_ids = id_list(r[0] for r in db.conn.execute(f"SELECT id FROM imports WHERE {inside}", params))
    scopes = [
        Scope("documents", f"id {IN_IDS}", params),
        Scope("tags", f"id IN (SELECT tag_id FROM document_tags WHERE {inside})", params, keep=True),
        Scope("entities", f"id IN (SELECT entity_id FROM mentions WHERE {inside})", params, keep=True),
        Scope("document_tags", inside, params),
        Scope("annotations", inside, params),
        Scope("mentions", inside, params),
        Scope("removed_mentions", inside, params),
        Scope("entity_extractions", inside, params),
        Scope("imports", f"id {IN_IDS}", (import_ids,), columns=("document_id",)),
    ]

    def delete() -> int:
        db.conn.execute(f"DELETE FROM documents WHERE id {IN_IDS}", params)
        return db.conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]

    last_id, rows = record_change(
        db, kind="remove_documents", label=f"Remove {plural(len(found), 'article')}",
        doc_ids=found, scopes=scopes, operation=delete,
    )
    return Removal(rows, last_id=last_id, backup=backup)

