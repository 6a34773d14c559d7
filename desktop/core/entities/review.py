"""Reviewing the entities of the whole library: the review table and the bulk corrections.

``review_rows`` reads the table of the Review entities view: every entity with mentions, its
type, in how many articles and how often it is mentioned, where its mentions come from (the
model, a rule, the user) and the other ways it is written; filtered by a typed text and a type,
sorted in SQL, read a page at a time (the counts from ``review_stats``, once per state of the
library). ``relabel_entities``, ``never_entities`` and
``delete_entities`` correct many selected entities at once, each as one undoable change built
on the same records as the one-mention corrections (user mentions, ``removed_mentions`` and
"never" rules), so they survive re-extraction; merging goes through ``merge_entities``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from ..errors import InvalidInput
from ..facets import like_escape
from ..row_numbers import take_ids
from ..library import now_iso
from ..undo import IN_IDS, RowChange, Scope, id_list, plural, record_change
from .candidates import fold
from .corrections import (
    _apply_rules_to, _clean_label, _document_scopes, _documents_containing, mark_ranges, take_ranges, taken_scopes,
)
from .normalise import value_of
from .review_stats import stats_source
from .rules import NEVER, Rule
from .store import EntityResolver
from .type_names import TYPE_NAMES, a_type, type_title

PAGE = 500
_TYPE_TITLE = ("(CASE e.label " + " ".join(f"WHEN '{label}' THEN '{title}'" for label, (title, _) in TYPE_NAMES.items())
               + " ELSE REPLACE(e.label, '_', ' ') END) COLLATE NOCASE")
"""A type's title as the table shows it ("Place" for GPE), so the Type column sorts as it reads."""
SORTS = {
    "name": "e.name COLLATE NOCASE",
    "label": _TYPE_TITLE,
    "documents": "s.documents",
    "mentions": "s.mentions",
    "origin": "origin_rank",
}
"""The columns the table sorts by, as SQL expressions."""
ORIGINS = ("model", "rule", "user")


FOLD_SQL = "dossier_review_fold"
"""The SQL function folding case (and accents) beyond ASCII, which SQLite's LIKE leaves alone."""


_BEYOND_ASCII = "GLOB '*[^ -~]*'"
"""A name with a character beyond printable ASCII: only those need folding in Python."""


def _where(db: Database, text: str, label: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause for ``text`` and ``label``. Words are compared without case or accents
    ("эрдоган" finds Эрдоган, "zurich" Zürich): SQLite's LIKE ignores the case of ASCII letters
    only, so a name with other characters is compared folded (in Python, those names alone)."""
    clauses, params = [], []
    if label:
        clauses.append("e.label = ?")
        params.append(label)
    if text.split():
        db.conn.create_function(FOLD_SQL, 1, fold, deterministic=True)
    for word in text.split():
        pattern = "%" + like_escape(fold(word)) + "%"
        matches = [f"({column} LIKE ? ESCAPE '\\' OR ({column} {_BEYOND_ASCII} "
                   f"AND {FOLD_SQL}({column}) LIKE ? ESCAPE '\\'))" for column in ("e.name", "a.name")]
        clauses.append(f"({matches[0]} OR EXISTS (SELECT 1 FROM entity_aliases a "
                       f"WHERE a.entity_id = e.id AND {matches[1]}))")
        params += [pattern] * 4
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def review_count(db: Database, *, text: str = "", label: str | None = None, recount: bool = True) -> int:
    """How many entities the table lists for ``text`` and ``label``; with ``recount`` False,
    from the counts as they are (0 before the first count: see ``review_stats``)."""
    stats = stats_source(db, recount=recount)
    if stats is None:
        return 0
    where, params = _where(db, text, label)
    return db.conn.execute(
        f"SELECT COUNT(*) FROM entities e JOIN {stats} s ON s.entity_id = e.id {where}", params
    ).fetchone()[0]


def _origin(row: dict[str, Any]) -> str:
    return ", ".join(origin for origin in ORIGINS if row.pop(origin))


def review_rows(db: Database, *, text: str = "", label: str | None = None, sort: str = "documents",
                descending: bool = True, limit: int = PAGE, offset: int = 0,
                recount: bool = True) -> list[dict[str, Any]]:
    """One page of the review table: entity_id, label, name, documents, mentions, origin
    ("model", "user", "model, user"…) and spellings (the other names, comma-separated).

    ``text`` keeps entities whose name or an alias contains every typed word (any case);
    ``sort`` is a key of ``SORTS``; ``recount`` as for ``review_count``. Raises InvalidInput
    for another sort."""
    if sort not in SORTS:
        raise InvalidInput(f"The entity table cannot be sorted by '{sort}'.")
    where, params = _where(db, text, label)
    direction = "DESC" if descending else "ASC"
    order = f"{SORTS[sort]} {direction}, s.documents DESC, e.name COLLATE NOCASE, e.id"
    origin = ("(CASE WHEN s.user THEN 4 ELSE 0 END + CASE WHEN s.rule THEN 2 ELSE 0 END "
              "+ CASE WHEN s.model THEN 1 ELSE 0 END)")
    stats = stats_source(db, recount=recount)
    if stats is None:
        return []
    cursor = db.conn.execute(
        "SELECT e.id AS entity_id, e.label, e.name, s.documents, s.mentions, "
        f"s.model > 0 AS model, s.rule > 0 AS rule, s.user > 0 AS user, {origin} AS origin_rank "
        f"FROM entities e JOIN {stats} s ON s.entity_id = e.id {where} "
        f"ORDER BY {order} "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    columns = [d[0] for d in cursor.description]
    rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    spellings = _spellings(db, [row["entity_id"] for row in rows], stats=stats)
    for row in rows:
        row.pop("origin_rank")
        row["origin"] = _origin(row)
        row["spellings"] = ", ".join(n for n in spellings.get(row["entity_id"], ()) if n != row["name"])
    return rows


def _spellings(db: Database, entity_ids: Sequence[int], *, stats: str) -> dict[int, list[str]]:
    """The aliases of ``entity_ids`` and the texts of their mentions (from ``stats``), by entity."""
    found: dict[int, list[str]] = {}
    for entity_id, name in db.conn.execute(
        f"SELECT entity_id, name FROM entity_aliases WHERE entity_id {IN_IDS} "
        f"UNION SELECT s.entity_id, t.value FROM {stats} s, json_each(s.texts) t "
        f"WHERE s.entity_id {IN_IDS} ORDER BY 1, 2",
        (id_list(entity_ids), id_list(entity_ids)),
    ):
        found.setdefault(entity_id, []).append(" ".join(name.split()))
    return {k: list(dict.fromkeys(v)) for k, v in found.items()}


def _entities(db: Database, entity_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    ids = list(dict.fromkeys(entity_ids))
    rows = {i: (label, name) for i, label, name in db.conn.execute(
        f"SELECT id, label, name FROM entities WHERE id {IN_IDS}", (id_list(ids),))}
    if not rows:
        raise InvalidInput("Choose at least one entity.")
    return {i: rows[i] for i in ids if i in rows}


def _mentions_of(db: Database, entity_ids: Sequence[int]) -> list[tuple[int, int, int, int, str]]:
    """(mention id, document id, start, end, text) of every mention of the entities."""
    return db.conn.execute(
        f'SELECT id, document_id, start, "end", text FROM mentions WHERE entity_id {IN_IDS} '
        "ORDER BY document_id, start",
        (id_list(entity_ids),),
    ).fetchall()


def _subject(named: dict[int, tuple[str, str]]) -> str:
    if len(named) == 1:
        return f"'{next(iter(named.values()))[1]}'"
    return f"{len(named)} entities"


def _docs(mentions: Sequence[tuple[int, int, int, int, str]]) -> list[int]:
    return sorted({doc_id for _, doc_id, *_ in mentions})


def relabel_entities(db: Database, entity_ids: Sequence[int], *, label: str) -> RowChange:
    """Give entities another type: each of their mentions becomes a user mention of ``label``
    under the entity's name (joining the entity of that type and name, or an alias of it), which
    re-extraction keeps, as when one mention's type is changed in the reader."""
    label = _clean_label(label)
    named = {i: v for i, v in _entities(db, entity_ids).items() if v[0] != label}
    if not named:
        raise InvalidInput(f"The entities chosen are already of the type {type_title(label)}.")
    mentions = _mentions_of(db, list(named))
    entity_of = dict(db.conn.execute(
        f"SELECT id, entity_id FROM mentions WHERE entity_id {IN_IDS}", (id_list(named),)).fetchall())
    doc_ids = _docs(mentions)
    texts = dict(db.conn.execute(
        f"SELECT id, published FROM documents WHERE id {IN_IDS}", (id_list(doc_ids),)).fetchall())

    def relabel() -> None:
        take_ranges(db)
        resolver = EntityResolver(db)
        rows = []
        for mention_id, doc_id, start, end, surface in mentions:
            name = named[entity_of[mention_id]][1]
            value = value_of(label, surface, published=texts[doc_id])
            entity = resolver.entity_id(label=label, name=value if value and label in ("DATE", "MONEY") else name,
                                        surface=surface)
            rows.append((doc_id, entity, start, end, surface, value))
        first = take_ids(db.conn, "mentions", len(rows))
        db.conn.executemany(
            'INSERT INTO mentions (id, document_id, entity_id, start, "end", text, origin, model, value) '
            "VALUES (?, ?, ?, ?, ?, ?, 'user', NULL, ?)",
            [(first + n, *row) for n, row in enumerate(rows)],
        )

    names = id_list(name for _, name in named.values())
    with db.atomic():
        mark_ranges(db, [(doc_id, start, end) for _, doc_id, start, end, _ in mentions])
        _, change = record_change(
            db, kind="relabel_entities", label=f"Change {_subject(named)} to {a_type(label)}", doc_ids=doc_ids,
            scopes=[*taken_scopes(), Scope("entities", f"label = ? AND name {IN_IDS}", (label, names))],
            operation=relabel,
        )
    return change


def _remove_mentions(db: Database, entity_ids: Sequence[int]) -> None:
    """Delete the entities' mentions; model and rule ones stay removed on re-extraction."""
    db.conn.execute(
        'INSERT OR IGNORE INTO removed_mentions (document_id, start, "end", text, created) '
        f"SELECT document_id, start, \"end\", text, ? FROM mentions WHERE entity_id {IN_IDS} "
        "AND origin <> 'user'",
        (now_iso(), id_list(entity_ids)),
    )
    db.conn.execute(f"DELETE FROM mentions WHERE entity_id {IN_IDS}", (id_list(entity_ids),))


def delete_entities(db: Database, entity_ids: Sequence[int]) -> RowChange:
    """Remove every mention of the entities, as removing each highlight in the reader does:
    re-extraction does not bring them back at the same places."""
    named = _entities(db, entity_ids)
    doc_ids = _docs(_mentions_of(db, list(named)))
    _, change = record_change(
        db, kind="delete_entities", label=f"Delete {_subject(named)} ({plural(len(doc_ids), 'article')})",
        doc_ids=doc_ids,
        scopes=[Scope("mentions", f"entity_id {IN_IDS}", (id_list(named),)), _document_scopes(doc_ids)[1]],
        operation=lambda: _remove_mentions(db, list(named)),
    )
    return change


def never_entities(db: Database, entity_ids: Sequence[int]) -> RowChange:
    """"Never an entity": a "never" rule for each way the entities are written (as "Never treat
    'X' as an entity" in the reader), applied to the whole library now and to every later
    extraction; their remaining mentions (marked by the user or a rule) are removed too."""
    named = _entities(db, entity_ids)
    mentions = _mentions_of(db, list(named))
    existing = {text for (text,) in db.conn.execute(
        "SELECT text FROM entity_rules WHERE kind = ? AND case_sensitive = 1", (NEVER,))}
    spellings = dict.fromkeys(" ".join(t.split()) for *_, t in mentions)
    new_texts = [t for t in spellings if t and t not in existing]
    doc_ids = sorted(set(_docs(mentions)).union(
        *(_documents_containing(db, Rule(0, NEVER, t, "", True)) for t in new_texts)))

    def never() -> None:
        stamp = now_iso()
        db.conn.executemany(
            "INSERT INTO entity_rules (kind, text, label, case_sensitive, created) VALUES (?, ?, '', 1, ?)",
            [(NEVER, text, stamp) for text in new_texts],
        )
        _apply_rules_to(db, doc_ids)
        _remove_mentions(db, list(named))

    _, change = record_change(
        db, kind="never_entities",
        label=f"Never treat {_subject(named)} as an entity ({plural(len(doc_ids), 'article')})",
        doc_ids=doc_ids,
        scopes=[Scope("entity_rules", f"kind = '{NEVER}' AND text {IN_IDS}", (id_list(new_texts),)),
                *_document_scopes(doc_ids)],
        operation=never,
    )
    return change
