"""Tags and reading states: the ``tags`` and ``document_tags`` tables, ``starred`` and ``read_state``.

Tags form a hierarchy through their names: ``Biomed/Vaccines`` is a child of
``Biomed`` (a parent need not exist as a tag itself; ``tag_tree`` shows it as an
implied node). Names are unique regardless of case. Renaming a tag renames its
children's prefixes. Up to nine tags are pinned to slots 1–9 for quick keys.

Every editing function commits one transaction and returns a ``Change`` for the
undo stack (``desktop.core.undo``). A rename or merge also makes the saved searches
naming the tag name it by its new name, in the same transaction (undone with it),
and its change set says which tags were renamed so open filters can follow.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from .annotations import PALETTE, colour_name
from .changes import ChangeSet, TagRename
from .errors import InvalidInput, NotFound
from .library import now_iso
from .saved_searches import SAVED_FILTERS, follow_tag_renames
from .tag_order import SEPARATOR, tag_sort_key
from .undo import IN_IDS, RowChange, Scope, id_list, plural, record_change

PIN_SLOTS = range(1, 10)
READ_STATES = ("unread", "to_read", "read")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")

TagRef = str | int
"""The saved searches' filters, which a rename or merge rewrites (and its undo restores)."""


@dataclass
class TagNode:
    """A node of the tag tree. ``id`` is None for a parent that exists only through its children.

    ``count``: articles with exactly this tag; ``total``: articles with it or any descendant.
    """

    name: str
    path: str
    id: int | None = None
    colour: str | None = None
    pinned: int | None = None
    count: int = 0
    total: int = 0
    children: list[TagNode] = field(default_factory=list)


def normalise_tag_name(name: str) -> str:
    """``name`` with spaces tidied around and inside each level; InvalidInput for an empty level."""
    levels = [" ".join(level.split()) for level in (name or "").split(SEPARATOR)]
    if not all(levels):
        raise InvalidInput(f"A tag name cannot be empty or have an empty level: '{name}'.")
    return SEPARATOR.join(levels)


def distinct_tag_labels(names: Iterable[str]) -> dict[str, str]:
    """How each tag reads where room is short, keyed by its casefolded name: the fewest last parts
    of its path that no other tag's path ends with — ``energy`` while it is the only tag of that
    name, ``project/energy`` beside ``topic/energy`` (or beside ``energy`` itself)."""
    paths = [name.split(SEPARATOR) for name in names]
    folded = [[part.casefold() for part in parts] for parts in paths]
    endings = Counter(tuple(parts[-size:]) for parts in folded for size in range(1, len(parts) + 1))
    labels: dict[str, str] = {}
    for parts, keys in zip(paths, folded):
        size = next(size for size in range(1, len(parts) + 1)
                    if size == len(parts) or endings[tuple(keys[-size:])] == 1)
        labels[SEPARATOR.join(keys)] = SEPARATOR.join(parts[-size:])
    return labels


def tag_colour(colour: str | None) -> str | None:
    """A tag colour as ``#RRGGBB`` from a hex value or a palette name; None clears it."""
    if colour is None:
        return None
    if _HEX.fullmatch(colour.strip()):
        return colour.strip().upper()
    return PALETTE[colour_name(colour)]


_TAG_COLUMNS = "t.id, t.name, t.colour, t.pinned, (SELECT count(*) FROM document_tags WHERE tag_id = t.id)"


def _tag_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(("id", "name", "colour", "pinned", "count"), row))


def find_tag(db: Database, tag: TagRef) -> dict[str, Any] | None:
    """The tag with this id or name (any case) as ``{id, name, colour, pinned, count}``, or None."""
    if isinstance(tag, int):
        row = db.conn.execute(f"SELECT {_TAG_COLUMNS} FROM tags t WHERE t.id = ?", [tag]).fetchone()
    else:
        name = normalise_tag_name(tag)
        row = db.conn.execute(f"SELECT {_TAG_COLUMNS} FROM tags t WHERE t.name = ?", [name]).fetchone()
        if row is None and not name.isascii():  # the column's NOCASE folds the case of ASCII letters only
            folded = name.casefold()
            same = [tag_id for tag_id, stored in db.conn.execute("SELECT id, name FROM tags")
                    if stored.casefold() == folded]
            if same:
                return find_tag(db, min(same))
    return _tag_dict(row) if row else None


def get_tag(db: Database, tag: TagRef) -> dict[str, Any]:
    """Like ``find_tag`` but raises NotFound."""
    found = find_tag(db, tag)
    if found is None:
        raise NotFound(f"No tag {tag}." if isinstance(tag, int) else f"No tag named '{tag}'.")
    return found


def list_tags(db: Database) -> list[dict[str, Any]]:
    """Every tag with its article count, sorted by name as ``tag_sort_key`` sorts (so children
    follow their parent)."""
    rows = db.conn.execute(f"SELECT {_TAG_COLUMNS} FROM tags t")
    return sorted((_tag_dict(r) for r in rows), key=lambda tag: tag_sort_key(tag["name"]))


def pinned_tags(db: Database) -> dict[int, dict[str, Any]]:
    """Pinned tags by slot (1–9)."""
    return {t["pinned"]: t for t in list_tags(db) if t["pinned"] is not None}


def _descendant_ids(db: Database, name: str, tags: Iterable[tuple[int, str]] | None = None) -> list[int]:
    """Ids of the tag ``name`` and of every tag under it, among ``tags`` (id, name) when the
    caller has them, else among the library's."""
    prefix = name.casefold() + SEPARATOR
    return [
        tag_id for tag_id, tag_name in (db.conn.execute("SELECT id, name FROM tags") if tags is None else tags)
        if tag_name.casefold() == name.casefold() or tag_name.casefold().startswith(prefix)
    ]


def _docs_of_tags(db: Database, tag_ids: Sequence[int]) -> list[int]:
    rows = db.conn.execute(
        f"SELECT DISTINCT document_id FROM document_tags WHERE tag_id {IN_IDS} ORDER BY document_id",
        [id_list(tag_ids)],
    )
    return [r[0] for r in rows]


def tagged_documents(db: Database, name: str, *, include_children: bool = True) -> list[int]:
    """Ids of the articles with tag ``name`` (and, by default, with any tag under it)."""
    if include_children:
        ids = _descendant_ids(db, normalise_tag_name(name))
    else:
        found = find_tag(db, name)
        ids = [found["id"]] if found else []
    return _docs_of_tags(db, ids)


def tag_tree(db: Database, tags: Sequence[dict[str, Any]] | None = None) -> list[TagNode]:
    """The tags as a forest of ``TagNode`` by their ``parent/child`` names, sorted by name;
    ``tags``: the ``list_tags`` rows when the caller has just read them."""
    roots: list[TagNode] = []
    nodes: dict[str, TagNode] = {}
    tags = list_tags(db) if tags is None else tags
    names = [(tag["id"], tag["name"]) for tag in tags]
    for tag in tags:
        levels = tag["name"].split(SEPARATOR)
        siblings = roots
        for depth in range(1, len(levels) + 1):
            path = SEPARATOR.join(levels[:depth])
            node = nodes.get(path.casefold())
            if node is None:
                node = nodes[path.casefold()] = TagNode(name=levels[depth - 1], path=path)
                siblings.append(node)
            siblings = node.children
        node.id, node.colour, node.pinned = tag["id"], tag["colour"], tag["pinned"]
        node.count = node.total = tag["count"]
    for node in nodes.values():
        if node.children:
            node.total = db.conn.execute(
                f"SELECT count(DISTINCT document_id) FROM document_tags WHERE tag_id {IN_IDS}",
                [id_list(_descendant_ids(db, node.path, names))],
            ).fetchone()[0]
    return roots


def _existing_documents(db: Database, doc_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        raise InvalidInput("No articles given.")
    found = {r[0] for r in db.conn.execute(f"SELECT id FROM documents WHERE id {IN_IDS}", [id_list(ids)])}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"No article with id {missing[0]}.")
    return ids


def create_tag(db: Database, name: str, *, colour: str | None = None) -> tuple[dict[str, Any], RowChange]:
    """Create a tag; InvalidInput if the name is empty or taken (in any case)."""
    name = normalise_tag_name(name)
    if find_tag(db, name):
        raise InvalidInput(f"A tag named '{name}' already exists.")
    hex_colour = tag_colour(colour)
    _, change = record_change(
        db, kind="create_tag", label=f"Create tag '{name}'", doc_ids=[],
        scopes=[Scope("tags", "name = ?", (name,))],
        operation=lambda: db.conn.execute(
            "INSERT INTO tags (name, colour, created) VALUES (?, ?, ?)", [name, hex_colour, now_iso()]
        ),
    )
    return get_tag(db, name), change


def rename_tag(db: Database, tag: TagRef, new_name: str) -> RowChange:
    """Rename a tag and the prefix of its children (``A/x`` → ``B/x``).

    ``tag`` may also be a parent that exists only through its children.

    InvalidInput when a new name is taken by a tag outside those renamed (merge instead).
    """
    found = get_tag(db, tag) if isinstance(tag, int) else find_tag(db, tag)
    old = found["name"] if found else normalise_tag_name(str(tag))
    new = normalise_tag_name(new_name)
    subtree = set(_descendant_ids(db, old))
    if not subtree:
        raise NotFound(f"No tag named '{old}'.")
    stored = {tag_id: name for tag_id, name in db.conn.execute("SELECT id, name FROM tags") if tag_id in subtree}
    old = stored[min(subtree)][:len(old)]  # spelt as the tags spell it (a parent named in another case)
    renamed = {tag_id: new + name[len(old):] for tag_id, name in stored.items()}
    for tag_id, name in renamed.items():
        clash = find_tag(db, name)
        if clash and clash["id"] not in renamed:
            raise InvalidInput(f"A tag named '{clash['name']}' already exists; merge the tags instead.")

    renames = (TagRename(old, new),)

    def rename() -> None:
        # Two steps so that names moving within the subtree never hit the UNIQUE constraint;
        # the interim names start with a space, which no normalised tag name does.
        for tag_id in renamed:
            db.conn.execute("UPDATE tags SET name = ? WHERE id = ?", [f" {tag_id}", tag_id])
        for tag_id, name in renamed.items():
            db.conn.execute("UPDATE tags SET name = ? WHERE id = ?", [name, tag_id])
        follow_tag_renames(db, renames)

    ids = tuple(renamed)
    _, change = record_change(
        db, kind="rename_tag", label=f"Rename tag '{old}' to '{new}'", doc_ids=_docs_of_tags(db, ids),
        scopes=[Scope("tags", f"id {IN_IDS}", (id_list(ids),), columns=("name",)), SAVED_FILTERS],
        operation=rename, declared=ChangeSet(tag_renames=renames),
    )
    return change


def recolour_tag(db: Database, tag: TagRef, colour: str | None) -> RowChange:
    """Set a tag's colour (``#RRGGBB`` or a palette name; None removes it)."""
    current = get_tag(db, tag)
    hex_colour = tag_colour(colour)
    _, change = record_change(
        db, kind="recolour_tag", label=f"Change colour of tag '{current['name']}'",
        doc_ids=_docs_of_tags(db, [current["id"]]),
        scopes=[Scope("tags", "id = ?", (current["id"],), columns=("colour",))],
        operation=lambda: db.conn.execute(
            "UPDATE tags SET colour = ? WHERE id = ?", [hex_colour, current["id"]]
        ),
    )
    return change


def merge_tags(db: Database, sources: Sequence[TagRef], target: TagRef) -> RowChange:
    """Give every article tagged with one of ``sources`` the tag ``target``, then delete the sources.

    ``target`` (a name) is created if it does not exist. Children of a source are
    left as they are. Raises NotFound for an unknown source.
    """
    names = {found["id"]: found["name"] for found in (get_tag(db, s) for s in sources)}
    existing = find_tag(db, target)
    target_name = existing["name"] if existing else normalise_tag_name(str(target))
    source_ids = tuple(i for i in names if not existing or i != existing["id"])
    if not source_ids:
        raise InvalidInput("Choose at least one tag to merge into another.")
    sources_param = id_list(source_ids)
    renames = tuple(TagRename(names[i], target_name, children=False) for i in source_ids)

    def merge() -> None:
        db.conn.execute(
            "INSERT OR IGNORE INTO tags (name, created) VALUES (?, ?)", [target_name, now_iso()]
        )
        target_id = db.conn.execute("SELECT id FROM tags WHERE name = ?", [target_name]).fetchone()[0]
        db.conn.execute(
            "INSERT OR IGNORE INTO document_tags (document_id, tag_id, added_at) "
            f"SELECT document_id, ?, added_at FROM document_tags WHERE tag_id {IN_IDS}",
            [target_id, sources_param],
        )
        db.conn.execute(f"DELETE FROM tags WHERE id {IN_IDS}", [sources_param])
        follow_tag_renames(db, renames)

    inside = f"id {IN_IDS} OR name = ?"
    params = (sources_param, target_name)
    _, change = record_change(
        db, kind="merge_tags",
        label=f"Merge {plural(len(source_ids), 'tag')} into '{target_name}'",
        doc_ids=_docs_of_tags(db, source_ids),
        scopes=[
            Scope("tags", inside, params),
            Scope("document_tags", f"tag_id IN (SELECT id FROM tags WHERE {inside}) "
                  f"OR tag_id {IN_IDS}", (*params, sources_param)),
            SAVED_FILTERS,
        ],
        operation=merge, declared=ChangeSet(tag_renames=renames),
    )
    return change


def delete_tag(db: Database, tag: TagRef) -> RowChange:
    """Delete a tag and remove it from its articles (its children are kept)."""
    current = get_tag(db, tag)
    tag_id = current["id"]
    _, change = record_change(
        db, kind="delete_tag", label=f"Delete tag '{current['name']}'", doc_ids=_docs_of_tags(db, [tag_id]),
        scopes=[Scope("tags", "id = ?", (tag_id,)), Scope("document_tags", "tag_id = ?", (tag_id,))],
        operation=lambda: db.conn.execute("DELETE FROM tags WHERE id = ?", [tag_id]),
    )
    return change


def add_tag(db: Database, doc_ids: Sequence[int], name: str) -> RowChange:
    """Tag articles with ``name``, creating the tag if needed. Raises NotFound for an unknown article."""
    ids = _existing_documents(db, doc_ids)
    existing = find_tag(db, name)
    name = existing["name"] if existing else normalise_tag_name(name)
    stamp = now_iso()

    def tag() -> None:
        db.conn.execute("INSERT OR IGNORE INTO tags (name, created) VALUES (?, ?)", [name, stamp])
        db.conn.execute(
            "INSERT OR IGNORE INTO document_tags (document_id, tag_id, added_at) "
            "SELECT ids.value, tags.id, ? FROM json_each(?) AS ids, tags WHERE tags.name = ?",
            [stamp, id_list(ids), name],
        )

    _, change = record_change(
        db, kind="add_tag", label=f"Add tag '{name}' to {plural(len(ids), 'article')}", doc_ids=ids,
        scopes=[
            Scope("tags", "name = ?", (name,)),
            Scope("document_tags", f"tag_id IN (SELECT id FROM tags WHERE name = ?) "
                  f"AND document_id {IN_IDS}", (name, id_list(ids))),
        ],
        operation=tag,
    )
    return change


def remove_tag(db: Database, doc_ids: Sequence[int], name: str) -> RowChange:
    """Take tag ``name`` off articles (the tag itself stays).

    Raises NotFound for an unknown tag or article.
    """
    ids = _existing_documents(db, doc_ids)
    current = get_tag(db, name)
    params = (current["id"], id_list(ids))
    where = f"tag_id = ? AND document_id {IN_IDS}"
    _, change = record_change(
        db, kind="remove_tag",
        label=f"Remove tag '{current['name']}' from {plural(len(ids), 'article')}", doc_ids=ids,
        scopes=[Scope("document_tags", where, params)],
        operation=lambda: db.conn.execute(f"DELETE FROM document_tags WHERE {where}", params),
    )
    return change


def pin_tag(db: Database, tag: TagRef, slot: int | None) -> RowChange:
    """Pin a tag to slot 1–9 (the tag there before is unpinned); ``slot`` None unpins it."""
    if slot is not None and slot not in PIN_SLOTS:
        raise InvalidInput(f"Pinned slots are 1 to 9, not {slot}.")
    current = get_tag(db, tag)
    displaced = db.conn.execute("SELECT id FROM tags WHERE pinned = ?", [slot]).fetchall()
    ids = tuple(dict.fromkeys([current["id"], *(r[0] for r in displaced)]))

    def pin() -> None:
        db.conn.execute(f"UPDATE tags SET pinned = NULL WHERE id {IN_IDS}", [id_list(ids)])
        db.conn.execute("UPDATE tags SET pinned = ? WHERE id = ?", [slot, current["id"]])

    label = f"Pin tag '{current['name']}' to {slot}" if slot else f"Unpin tag '{current['name']}'"
    _, change = record_change(
        db, kind="pin_tag", label=label, doc_ids=[],
        scopes=[Scope("tags", f"id {IN_IDS}", (id_list(ids),), columns=("pinned",))],
        operation=pin,
    )
    return change


def read_state(db: Database, doc_id: int) -> str:
    """The reading state of an article (one of ``READ_STATES``); raises NotFound."""
    row = db.conn.execute("SELECT read_state FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFound(f"No article with id {doc_id}.")
    return row[0]


def all_starred(db: Database, ids: Sequence[int]) -> bool:
    """Whether there are ``ids`` and every one is a starred article."""
    return _all_with(db, ids, column="starred", value=1)


def all_in_state(db: Database, ids: Sequence[int], state: str) -> bool:
    """Whether there are ``ids`` and every one is an article in the reading ``state``."""
    return _all_with(db, ids, column="read_state", value=state)


def _all_with(db: Database, ids: Sequence[int], *, column: str, value: Any) -> bool:
    distinct = set(ids)
    found = db.conn.execute(
        f"SELECT count(*) FROM documents WHERE {column} = ? AND id {IN_IDS}", [value, id_list(distinct)]
    ).fetchone()[0]
    return bool(distinct) and found == len(distinct)


def set_starred(db: Database, ids: Sequence[int], starred: bool) -> RowChange:
    """Star or unstar articles."""
    ids = _existing_documents(db, ids)
    verb = "Star" if starred else "Unstar"
    return _set_column(db, ids, column="starred", value=int(starred),
                       label=f"{verb} {plural(len(ids), 'article')}")


def set_read_state(db: Database, ids: Sequence[int], state: str) -> RowChange:
    """Mark articles ``unread``, ``to_read`` or ``read``."""
    if state not in READ_STATES:
        raise InvalidInput(f"Unknown reading state '{state}': choose one of {', '.join(READ_STATES)}.")
    ids = _existing_documents(db, ids)
    return _set_column(db, ids, column="read_state", value=state,
                       label=f"Mark {plural(len(ids), 'article')} {state.replace('_', ' ')}")


def _set_column(db: Database, ids: list[int], *, column: str, value: Any, label: str) -> RowChange:
    where, listed = f"id {IN_IDS}", id_list(ids)
    _, change = record_change(
        db, kind=f"set_{column}", label=label, doc_ids=ids,
        scopes=[Scope("documents", where, (listed,), columns=(column,))],
        operation=lambda: db.conn.execute(
            f"UPDATE documents SET {column} = ? WHERE {where}", [value, listed]
        ),
    )
    return change
