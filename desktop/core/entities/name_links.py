"""One entity written in several scripts: stored name keys, automatic merges and suggestions.

The keys (``romanise``, stored by ``name_keys``) are brought up to date before each use.
``link_names`` merges the entities whose keys agree and whose types match (Рудской, Rudskoi →
Rudskoy); it goes through ``merge_entity_groups``, so a merge is an ordinary one: the other
names become aliases ("also written") and survive re-extraction, Undo reverses it, and
*Split off a name* on the entity page takes a name back out for good: a name the person split
off (an alias of its own entity) is never merged automatically again.

``name_suggestions`` lists the pairs in two scripts the rules are unsure of: keys of three
letters or more that agree with different types (Германия as an organisation / Germany), short
keys in Cyrillic and Latin letters (КГБ / KGB), and a family name alone in one of these two and
a full name ending in it in the other (Путин / Vladimir Putin; not two full names sharing a first
or a family name: Борис Громов and Boris Johnson are two people). Short Han names are left out:
one or two pinyin syllables meet too many short names (乐 / Lee, 科恩 / Ken, 汉 / Abdul Qadeer
Khan, and 英 / 晋 among themselves). Look-alikes within one script are Review entities' to suggest.
``accept_suggestion`` merges a pair (an ordinary merge); ``refuse_suggestion`` records the
refusal in ``name_refusals`` by label and name, so it outlives re-extraction; both are undoable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from ..errors import InvalidInput, NotFound
from ..library import now_iso
from ..undo import RowChange, Scope, plural, record_change
from .corrections import merge_entities, merge_entity_groups
from .name_keys import keyed_labels_sql, refresh_keys
from .romanise import HAN, LATIN

MIN_AUTO_KEY = 4  # shorter keys ("li", "xi") are too common to merge on their own
MIN_FAMILY_KEY = 3
SAME_KEY_OTHER_TYPE = "written alike, different types"
SHORT_KEY = "short name written alike"
FAMILY_NAME = "same family name in another script"


@dataclass(frozen=True)
class KeyedEntity:
    """An entity with its keys and how many articles mention it."""

    id: int
    label: str
    name: str
    script: str
    key: str
    words: tuple[str, ...]
    documents: int


@dataclass(frozen=True)
class Suggestion:
    """Two entities that may be one (``first`` is the one a merge keeps), and why."""

    first: KeyedEntity
    second: KeyedEntity
    reason: str


def keyed_entities(db: Database, *, shared_keys: bool = False) -> list[KeyedEntity]:
    """Every entity with keys (names, not dates or sums), with its number of articles;
    with ``shared_keys`` only those whose key another entity has."""
    where, params = keyed_labels_sql()
    if shared_keys:
        where += " AND k.key IN (SELECT key FROM entity_keys GROUP BY key HAVING count(*) > 1)"
    rows = db.conn.execute(
        "SELECT e.id, e.label, e.name, k.script, k.key, k.words, "
        "(SELECT count(*) FROM document_entities de WHERE de.entity_id = e.id) "
        f"FROM entities e JOIN entity_keys k ON k.entity_id = e.id WHERE k.key <> '' AND {where}",
        params,
    ).fetchall()
    return [KeyedEntity(i, label, name, script, key, tuple(words.split()), docs)
            for i, label, name, script, key, words, docs in rows]


def _split_off(db: Database) -> set[int]:
    """Entities holding a name the person split off (an alias of the entity's own name)."""
    return {r[0] for r in db.conn.execute(
        "SELECT a.entity_id FROM entity_aliases a JOIN entities e "
        "ON e.id = a.entity_id AND e.name = a.name AND e.label = a.label"
    )}


def _refusals(db: Database) -> set[frozenset[tuple[str, str]]]:
    return {frozenset({(a, b), (c, d)}) for a, b, c, d in db.conn.execute(
        "SELECT label, name, other_label, other_name FROM name_refusals"
    )}


def _pair(a: KeyedEntity, b: KeyedEntity) -> frozenset[tuple[str, str]]:
    return frozenset({(a.label, a.name), (b.label, b.name)})


def _keeper_order(entity: KeyedEntity) -> tuple[bool, int, int]:
    """The entity a merge keeps comes first: a name in Latin letters, then the most articles."""
    return (entity.script != LATIN, -entity.documents, entity.id)


def automatic_groups(db: Database) -> list[list[KeyedEntity]]:
    """Groups of entities to merge automatically, the one to keep first in each: same type,
    same key of at least ``MIN_AUTO_KEY`` letters, no name the person split off, no refused pair."""
    split, refused = _split_off(db), _refusals(db)
    groups: dict[tuple[str, str], list[KeyedEntity]] = defaultdict(list)
    for entity in keyed_entities(db, shared_keys=True):
        if len(entity.key) >= MIN_AUTO_KEY and entity.id not in split:
            groups[entity.label, entity.key].append(entity)
    found = []
    for members in groups.values():
        members.sort(key=_keeper_order)
        keep = [members[0]]
        keep += [m for m in members[1:] if all(_pair(m, k) not in refused for k in keep)]
        if len(keep) > 1:
            found.append(keep)
    return found


def link_names(db: Database) -> RowChange | None:
    """Merge the entities that are one name in several scripts (see ``automatic_groups``);
    one undoable step, or None when there is nothing to merge."""
    refresh_keys(db)
    groups = automatic_groups(db)
    if not groups:
        return None
    merged = sum(len(group) - 1 for group in groups)
    return merge_entity_groups(
        db, [(group[0].id, [m.id for m in group[1:]]) for group in groups], backup=False,
        label=f"Merge {plural(merged, 'name')} written in other scripts",
    )


def name_suggestions(db: Database, *, limit: int | None = 500) -> list[Suggestion]:
    """Pairs that may be one entity but that no rule merges, most-mentioned first (the first
    ``limit``; all with None)."""
    entities = keyed_entities(db)
    split, refused = _split_off(db), _refusals(db)
    found: dict[frozenset[int], Suggestion] = {}

    def offer(a: KeyedEntity, b: KeyedEntity, reason: str) -> None:
        ids = frozenset({a.id, b.id})
        if len(ids) == 2 and ids not in found and _pair(a, b) not in refused:
            first, second = sorted((a, b), key=_keeper_order)
            found[ids] = Suggestion(first, second, reason)

    by_key: dict[str, list[KeyedEntity]] = defaultdict(list)
    by_family: dict[str, list[KeyedEntity]] = defaultdict(list)
    for entity in entities:
        by_key[entity.key].append(entity)
        if entity.label == "PERSON" and entity.script != HAN and entity.words \
                and len(entity.words[-1]) >= MIN_FAMILY_KEY:
            by_family[entity.words[-1]].append(entity)
    for members in by_key.values():
        for a, b in _pairs(members):
            if a.script == b.script or len(a.key) < MIN_FAMILY_KEY:
                continue  # one script's look-alikes are Review entities' to suggest
            if a.label != b.label:
                offer(a, b, SAME_KEY_OTHER_TYPE)
            elif a.id in split or b.id in split or HAN in (a.script, b.script):
                continue
            elif len(a.key) < MIN_AUTO_KEY:
                offer(a, b, SHORT_KEY)
    for members in by_family.values():
        if len(members) > 50:  # a family name this common says nothing
            continue
        for a, b in _pairs(members):
            if a.script != b.script and a.key != b.key and a.id not in split and b.id not in split \
                    and 1 in (len(a.words), len(b.words)):
                offer(a, b, FAMILY_NAME)
    ranked = sorted(found.values(), key=lambda s: (-(s.first.documents + s.second.documents),
                                                   s.first.name, s.second.name))
    return ranked if limit is None else ranked[:limit]


def _pairs(members: list[KeyedEntity]) -> Iterable[tuple[KeyedEntity, KeyedEntity]]:
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            yield a, b


def _named(db: Database, entity_id: int) -> tuple[str, str]:
    row = db.conn.execute("SELECT label, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"No entity with id {entity_id}.")
    return row


def accept_suggestion(db: Database, first: int, second: int) -> RowChange:
    """Merge ``second`` into ``first`` (an ordinary merge: undoable, split off again at will)."""
    return merge_entities(db, [second], into=first)


def refuse_suggestion(db: Database, first: int, second: int) -> RowChange:
    """Remember that ``first`` and ``second`` are different entities: neither the automatic
    merge nor the suggestions pair them again, also after re-extraction."""
    a, b = sorted([_named(db, first), _named(db, second)])
    if a == b:
        raise InvalidInput("Choose two different entities.")
    where = "label = ? AND name = ? AND other_label = ? AND other_name = ?"

    def refuse() -> None:
        db.conn.execute(
            "INSERT OR IGNORE INTO name_refusals (label, name, other_label, other_name, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (*a, *b, now_iso()),
        )

    _, change = record_change(
        db, kind="refuse_names", label=f"Keep '{a[1]}' and '{b[1]}' apart", doc_ids=[],
        scopes=[Scope("name_refusals", where, (*a, *b))], operation=refuse,
    )
    return change
