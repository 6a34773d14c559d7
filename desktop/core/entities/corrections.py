"""User corrections of entities: mentions marked, relabelled or removed, library-wide rules,
and aliases (merge, rename, split).

Every function commits one transaction and returns a ``desktop.core.undo.RowChange``:
``label`` says what was done, ``doc_ids`` lists the articles whose highlights changed,
``undo(db)`` / ``redo(db)`` restore the rows before / after it. Corrections survive
re-extraction: user mentions are never replaced, a removed model mention is remembered
in ``removed_mentions``, rules live in ``entity_rules`` and aliases in ``entity_aliases``,
and the extraction job applies all of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from ..backups import backup_before
from ..errors import InvalidInput, NotFound
from ..library import now_iso
from ..row_numbers import take_ids
from ..saved_searches import SAVED_FILTERS, follow_value_renames
from ..undo import IN_IDS, RowChange, Scope, id_list, plural, record_change
from . import models_ru
from .languages import RUSSIAN, script_language
from .normalise import value_of
from .pipeline import Span
from .rules import ALWAYS, HAN, NEVER, Rule, load_rules, plan_mentions
from .store import EntityResolver, entity_name, write_mentions
from .type_names import a_type


def _document(db: Database, doc_id: int) -> tuple[str, str | None]:
    row = db.conn.execute("SELECT text, published FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"No article with id {doc_id}.")
    return row


def _mention(db: Database, mention_id: int) -> tuple[int, int, int]:
    row = db.conn.execute(
        'SELECT document_id, start, "end" FROM mentions WHERE id = ?', (mention_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"No entity mention with id {mention_id}.")
    return row


def _entity(db: Database, entity_id: int) -> tuple[str, str]:
    row = db.conn.execute("SELECT label, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"No entity with id {entity_id}.")
    return row


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput("An entity type cannot be empty.")
    return label


def _clean_name(name: str, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(f"{what} cannot be empty.")
    return name


def _document_scopes(doc_ids: Sequence[int], *, entity: tuple[str, str] | None = None) -> list[Scope]:
    """Rows a change to the mentions of ``doc_ids`` may touch; ``entity`` is the (label, name)
    of an entity the change may create."""
    params = (id_list(doc_ids),)
    scopes = [
        Scope("mentions", f"document_id {IN_IDS}", params),
        Scope("removed_mentions", f"document_id {IN_IDS}", params),
    ]
    if entity is not None:
        scopes.append(Scope("entities", "label = ? AND name = ?", entity))
    return scopes


TAKEN = "temp.dossier_taken_ranges"
OVERLAPPING = (
    f'SELECT m.id FROM {TAKEN} r JOIN mentions m '
    'ON m.document_id = r.document_id AND m.start < r."end" AND m."end" > r.start'
)


def mark_ranges(db: Database, ranges: Iterable[tuple[int, int, int]]) -> None:
    """Hold ``ranges`` — (document id, start, end) — in ``TAKEN`` for ``take_ranges`` and for
    the scopes of an undo step (``taken_scopes``); call it inside the write transaction."""
    db.conn.execute(
        f'CREATE TABLE IF NOT EXISTS {TAKEN} (document_id INTEGER NOT NULL, start INTEGER NOT NULL, '
        '"end" INTEGER NOT NULL)')
    db.conn.execute(f"CREATE INDEX IF NOT EXISTS {TAKEN}_document ON dossier_taken_ranges (document_id)")
    db.conn.execute(f"DELETE FROM {TAKEN}")
    db.conn.executemany(f'INSERT INTO {TAKEN} (document_id, start, "end") VALUES (?, ?, ?)', ranges)


def taken_scopes() -> list[Scope]:
    """The rows ``take_ranges`` and new mentions at the marked ranges change: the mentions and
    the removed mentions overlapping a range (not every mention of every article touched)."""
    removed = (
        f"rowid IN (SELECT x.rowid FROM {TAKEN} r JOIN removed_mentions x "
        'ON x.document_id = r.document_id AND x.start < r."end" AND x."end" > r.start)'
    )
    return [Scope("mentions", f"id IN ({OVERLAPPING})"), Scope("removed_mentions", removed)]


def take_ranges(db: Database) -> None:
    """Delete every mention overlapping a range of ``mark_ranges``; model and rule ones stay
    removed (set-wise: a correction of an entity named in 9,000 articles is three statements)."""
    db.conn.execute(
        'INSERT OR IGNORE INTO removed_mentions (document_id, start, "end", text, created) '
        f'SELECT document_id, start, "end", text, ? FROM mentions WHERE id IN ({OVERLAPPING}) '
        "AND origin <> 'user'",
        (now_iso(),),
    )
    db.conn.execute(f"DELETE FROM mentions WHERE id IN ({OVERLAPPING})")


def take_range(db: Database, *, doc_id: int, start: int, end: int) -> None:
    """Delete every mention overlapping [start, end); model and rule ones stay removed."""
    mark_ranges(db, [(doc_id, start, end)])
    take_ranges(db)


def _user_mention(db: Database, doc_id: int, start: int, end: int, label: str) -> tuple[str, str, str | None]:
    """(surface text, canonical name, value) of a user mention of ``text[start:end]``; a Russian
    name is named in the nominative, as the extraction names it."""
    text, published = _document(db, doc_id)
    surface = text[start:end]
    value = value_of(label, surface, published=published)
    name = " ".join(surface.split())
    if script_language(name) == RUSSIAN:
        name = models_ru.nominative(name, label)
    return surface, entity_name(label, name=name, value=value), value


def _add_user_mention(db: Database, *, doc_id: int, start: int, end: int, label: str) -> None:
    surface, name, value = _user_mention(db, doc_id, start, end, label)
    entity = EntityResolver(db).entity_id(label=label, name=name, surface=surface)
    db.conn.execute(
        'INSERT INTO mentions (id, document_id, entity_id, start, "end", text, origin, model, value) '
        "VALUES (?, ?, ?, ?, ?, ?, 'user', NULL, ?)",
        (take_ids(db.conn, "mentions"), doc_id, entity, start, end, surface, value),
    )


def _user_scopes(db: Database, doc_id: int, start: int, end: int, label: str) -> list[Scope]:
    _, name, _ = _user_mention(db, doc_id, start, end, label)
    return _document_scopes([doc_id], entity=(label, name))


def _set_user_mention(db: Database, doc_id: int, start: int, end: int, *, label: str,
                      kind: str, title: str) -> RowChange:
    """Make ``start:end`` of an article a user mention of ``label``, replacing what it overlaps."""

    def operation() -> None:
        take_range(db, doc_id=doc_id, start=start, end=end)
        _add_user_mention(db, doc_id=doc_id, start=start, end=end, label=label)

    _, change = record_change(
        db, kind=kind, label=title, doc_ids=[doc_id],
        scopes=_user_scopes(db, doc_id, start, end, label), operation=operation,
    )
    return change


def mark_mention(db: Database, doc_id: int, *, start: int, end: int, label: str) -> RowChange:
    """Mark ``text[start:end]`` of an article as an entity of type ``label`` (origin user).

    Surrounding blanks are left out of the range; mentions it overlaps are replaced.
    """
    label = _clean_label(label)
    text, _ = _document(db, doc_id)
    if not 0 <= start < end <= len(text):
        raise InvalidInput(f"The range {start}–{end} is outside the article (0–{len(text)}).")
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end -= len(text[start:end]) - len(text[start:end].rstrip())
    if start >= end:
        raise InvalidInput("The selected text is blank.")
    return _set_user_mention(db, doc_id, start, end, label=label, kind="mark_mention",
                             title=f"Mark '{text[start:end]}' as {a_type(label)}")


def relabel_mention(db: Database, mention_id: int, *, label: str) -> RowChange:
    """Change the type of one mention; it becomes a user mention that re-extraction keeps."""
    label = _clean_label(label)
    doc_id, start, end = _mention(db, mention_id)
    text, _ = _document(db, doc_id)
    return _set_user_mention(db, doc_id, start, end, label=label, kind="relabel_mention",
                             title=f"Change '{text[start:end]}' to {a_type(label)}")


def remove_mention(db: Database, mention_id: int) -> RowChange:
    """Remove one mention; a model or rule mention does not come back on re-extraction."""
    doc_id, start, end = _mention(db, mention_id)
    text, _ = _document(db, doc_id)

    def remove() -> None:
        db.conn.execute(
            'INSERT OR IGNORE INTO removed_mentions (document_id, start, "end", text, created) '
            "SELECT document_id, start, \"end\", text, ? FROM mentions WHERE id = ? AND origin <> 'user'",
            (now_iso(), mention_id),
        )
        db.conn.execute("DELETE FROM mentions WHERE id = ?", (mention_id,))

    _, change = record_change(
        db, kind="remove_mention", label=f"Remove the mark of '{text[start:end]}'",
        doc_ids=[doc_id], scopes=_document_scopes([doc_id]), operation=remove,
    )
    return change


def _documents_containing(db: Database, rule: Rule) -> list[int]:
    """Ids of the articles where ``rule`` matches (full-text index first, then the exact pattern).

    The index keeps a run of Han characters as one word, so Chinese rules scan the texts."""
    if HAN.search(rule.text):
        rows = db.conn.execute("SELECT id, text FROM documents WHERE instr(text, ?)", (rule.text,))
        return sorted(doc_id for doc_id, text in rows if rule.pattern.search(text))
    phrase = '"' + rule.text.replace('"', '""') + '"'
    try:
        rows = db.conn.execute(
            "SELECT d.id, d.text FROM documents_fts f JOIN documents d ON d.id = f.rowid "
            "WHERE documents_fts MATCH ?",
            (f"text : {phrase}",),
        ).fetchall()
    except sqlite3.OperationalError:  # nothing the index can search for, e.g. only punctuation
        rows = db.conn.execute("SELECT id, text FROM documents")
    return sorted(doc_id for doc_id, text in rows if rule.pattern.search(text))


def _model_spans(db: Database, doc_id: int) -> tuple[list[Span], str | None]:
    rows = db.conn.execute(
        'SELECT m.start, m."end", e.label, e.name, m.model FROM mentions m '
        "JOIN entities e ON e.id = m.entity_id WHERE m.document_id = ? AND m.origin = 'model'",
        (doc_id,),
    ).fetchall()
    model = next((r[4] for r in rows if r[4]), None)
    return [Span(s, e, label, name) for s, e, label, name, _ in rows], model


def _apply_rules_to(db: Database, doc_ids: Sequence[int]) -> None:
    """Re-plan the model and rule mentions of ``doc_ids`` under the current rules."""
    rules = load_rules(db)
    resolver = EntityResolver(db)
    for doc_id in doc_ids:
        text, published = _document(db, doc_id)
        spans, model = _model_spans(db, doc_id)
        write_mentions(
            db, resolver, doc_id=doc_id, text=text, published=published,
            planned=plan_mentions(text, spans, rules), model=model,
        )


def _add_rule(db: Database, *, kind: str, text: str, label: str, case_sensitive: bool) -> RowChange:
    text = _clean_name(text, "The text of a rule")
    probe = Rule(0, kind, text, label, case_sensitive)
    exists = db.conn.execute(
        "SELECT 1 FROM entity_rules WHERE kind = ? AND text = ? AND label = ? AND case_sensitive = ?",
        (kind, text, label, int(case_sensitive)),
    ).fetchone()
    if exists:
        raise InvalidInput(f"There is already a rule for '{text}'.")
    doc_ids = _documents_containing(db, probe)
    rule_where = "kind = ? AND text = ? AND label = ? AND case_sensitive = ?"
    rule_params = (kind, text, label, int(case_sensitive))

    def add() -> None:
        db.conn.execute(
            "INSERT INTO entity_rules (kind, text, label, case_sensitive, created) VALUES (?, ?, ?, ?, ?)",
            (*rule_params, now_iso()),
        )
        _apply_rules_to(db, doc_ids)

    what = f"Always treat '{text}' as {a_type(label)}" if kind == ALWAYS else f"Never treat '{text}' as an entity"
    _, change = record_change(
        db, kind=f"{kind}_rule", label=f"{what} ({plural(len(doc_ids), 'article')})",
        doc_ids=doc_ids,
        scopes=[
            Scope("entity_rules", rule_where, rule_params),
            *_document_scopes(doc_ids, entity=(label, text) if kind == ALWAYS else None),
        ],
        operation=add,
    )
    return change


def always_treat(db: Database, text: str, *, label: str, case_sensitive: bool = True) -> RowChange:
    """Rule: every occurrence of ``text`` (whole words) is an entity of type ``label``, in every
    article now and in every later import and re-extraction."""
    return _add_rule(db, kind=ALWAYS, text=text, label=_clean_label(label), case_sensitive=case_sensitive)


def never_treat(db: Database, text: str, *, case_sensitive: bool = True) -> RowChange:
    """Rule: the model's mentions whose text is exactly ``text`` are dropped, now and later."""
    return _add_rule(db, kind=NEVER, text=text, label="", case_sensitive=case_sensitive)


def list_rules(db: Database) -> list[Rule]:
    """Every rule, oldest first."""
    return load_rules(db)


def remove_rule(db: Database, rule_id: int) -> RowChange:
    """Delete a rule. Its mentions go at once, and the articles it matched are queued for
    re-extraction (``extract_entities`` without ids reads them again) to get the model's back."""
    rule = next((r for r in load_rules(db) if r.id == rule_id), None)
    if rule is None:
        raise NotFound(f"No entity rule with id {rule_id}.")
    doc_ids = _documents_containing(db, rule)
    params = (id_list(doc_ids),)

    def remove() -> None:
        db.conn.execute("DELETE FROM entity_rules WHERE id = ?", (rule_id,))
        _apply_rules_to(db, doc_ids)
        db.conn.execute(f"DELETE FROM entity_extractions WHERE document_id {IN_IDS}", params)

    _, change = record_change(
        db, kind="remove_rule", label=f"Remove the rule for '{rule.text}'", doc_ids=doc_ids,
        scopes=[
            Scope("entity_rules", "id = ?", (rule_id,)),
            Scope("entity_extractions", f"document_id {IN_IDS}", params),
            *_document_scopes(doc_ids),
        ],
        operation=remove,
    )
    return change


def _doc_ids_of(db: Database, entity_ids: Sequence[int]) -> list[int]:
    return [r[0] for r in db.conn.execute(
        f"SELECT DISTINCT document_id FROM mentions WHERE entity_id {IN_IDS} ORDER BY document_id",
        (id_list(entity_ids),),
    )]


def _set_alias(db: Database, *, label: str, name: str, entity_id: int) -> None:
    db.conn.execute(
        "INSERT INTO entity_aliases (label, name, entity_id) VALUES (?, ?, ?) "
        "ON CONFLICT (label, name) DO UPDATE SET entity_id = excluded.entity_id",
        (label, name, entity_id),
    )


def merge_entities(db: Database, entity_ids: Sequence[int], *, into: int) -> RowChange:
    """Merge entities into ``into``: their mentions and aliases move, their names become
    aliases of it ("President Xi", "Xi" → "Xi Jinping"), and they are deleted."""
    return merge_entity_groups(db, [(into, entity_ids)])


def merge_entity_groups(
    db: Database, groups: Sequence[tuple[int, Sequence[int]]], *, label: str | None = None,
    backup: bool = True,
) -> RowChange:
    """Merge several groups at once, each ``(into, entity_ids)`` as ``merge_entities`` does,
    in one transaction and one undo step (``label`` names it; ``backup`` backs up first)."""
    plan: list[tuple[int, str, dict[int, tuple[str, str]]]] = []
    for into, entity_ids in groups:
        target_label, target_name = _entity(db, into)
        sources = [i for i in dict.fromkeys(entity_ids) if i != into]
        if not sources:
            raise InvalidInput("Choose at least one other entity to merge.")
        plan.append((into, target_label, {i: _entity(db, i) for i in sources}))
    if not plan:
        raise InvalidInput("Choose at least one other entity to merge.")
    every = [i for into, _, named in plan for i in (into, *named)]
    if backup:
        backup_before(db, "merge entities")

    def merge() -> None:
        for into, target_label, named in plan:
            for source, (source_label, name) in named.items():
                db.conn.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (into, source))
                db.conn.execute("UPDATE entity_aliases SET entity_id = ? WHERE entity_id = ?", (into, source))
                _set_alias(db, label=source_label, name=name, entity_id=into)
                if source_label != target_label:
                    _set_alias(db, label=target_label, name=name, entity_id=into)
                db.conn.execute("DELETE FROM entities WHERE id = ?", (source,))
            follow_value_renames(db, f"entity:{target_label}", {
                name: _entity(db, into)[1] for source_label, name in named.values() if source_label == target_label})

    names = id_list(name for _, _, named in plan for _, name in named.values())
    if label is None:
        quoted = ", ".join(f"'{name}'" for _, name in plan[0][2].values())
        label = f"Merge {quoted} into '{_entity(db, plan[0][0])[1]}'"
    scopes = [
        Scope("entities", f"id {IN_IDS}", (id_list(every),)),
        Scope("mentions", f"entity_id {IN_IDS}", (id_list(every),), columns=("entity_id", "document_id")),
        Scope("entity_aliases", f"entity_id {IN_IDS} OR name {IN_IDS}", (id_list(every), names)),
        Scope("entity_keys", f"entity_id {IN_IDS}", (id_list(every),)),
        SAVED_FILTERS,
    ]
    _, change = record_change(
        db, kind="merge_entities", label=label,
        doc_ids=_doc_ids_of(db, every), scopes=scopes, operation=merge,
    )
    return change


def rename_entity(db: Database, entity_id: int, *, name: str) -> RowChange:
    """Give an entity a new canonical name; the old one stays an alias so re-extraction finds it."""
    label, old = _entity(db, entity_id)
    name = _clean_name(name, "An entity's name")
    taken = db.conn.execute(
        "SELECT id FROM entities WHERE label = ? AND name = ? AND id <> ?", (label, name, entity_id)
    ).fetchone()
    if taken:
        raise InvalidInput(f"There is already {a_type(label)} named '{name}': merge the two instead.")

    def rename() -> None:
        db.conn.execute("UPDATE entities SET name = ? WHERE id = ?", (name, entity_id))
        db.conn.execute(
            "DELETE FROM entity_aliases WHERE label = ? AND name = ? AND entity_id = ?",
            (label, name, entity_id),
        )
        _set_alias(db, label=label, name=old, entity_id=entity_id)
        follow_value_renames(db, f"entity:{label}", {old: name})

    _, change = record_change(
        db, kind="rename_entity", label=f"Rename '{old}' to '{name}'",
        doc_ids=_doc_ids_of(db, [entity_id]),
        scopes=[
            Scope("entities", "id = ?", (entity_id,)),
            Scope("entity_aliases", "entity_id = ? OR (label = ? AND name IN (?, ?))",
                  (entity_id, label, old, name)),
            SAVED_FILTERS,
        ],
        operation=rename,
    )
    return change


def split_alias(db: Database, entity_id: int, *, name: str) -> RowChange:
    """Undo a wrong merge: mentions written ``name`` (and the alias ``name``) leave the entity
    and form their own entity ``name`` again, also on re-extraction."""
    label, canonical = _entity(db, entity_id)
    name = _clean_name(name, "The name to split off")
    if name == canonical:
        raise InvalidInput(f"'{name}' is the entity's own name; split off one of its other names.")
    moving = [r[0] for r in db.conn.execute(
        "SELECT id FROM mentions WHERE entity_id = ? AND text = ?", (entity_id, name)
    )]
    aliased = db.conn.execute(
        "SELECT 1 FROM entity_aliases WHERE entity_id = ? AND name = ?", (entity_id, name)
    ).fetchone()
    if not moving and not aliased:
        raise InvalidInput(f"'{canonical}' is never written '{name}'.")

    def split() -> None:
        db.conn.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND name = ?", (entity_id, name))
        db.conn.execute("INSERT OR IGNORE INTO entities (id, label, name) VALUES (?, ?, ?)",
                        (take_ids(db.conn, "entities"), label, name))
        new_id = db.conn.execute(
            "SELECT id FROM entities WHERE label = ? AND name = ?", (label, name)
        ).fetchone()[0]
        db.conn.execute(
            f"UPDATE mentions SET entity_id = ? WHERE id {IN_IDS}", (new_id, id_list(moving))
        )
        _set_alias(db, label=label, name=name, entity_id=new_id)

    _, change = record_change(
        db, kind="split_alias", label=f"Split '{name}' from '{canonical}'",
        doc_ids=_doc_ids_of(db, [entity_id]),
        scopes=[
            Scope("entities", "label = ? AND name = ?", (label, name)),
            Scope("mentions", f"id {IN_IDS}", (id_list(moving),), columns=("entity_id", "document_id")),
            Scope("entity_aliases", "entity_id = ? OR (label = ? AND name = ?)", (entity_id, label, name)),
        ],
        operation=split,
    )
    return change
