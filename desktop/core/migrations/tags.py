"""Migrations of the tags: one tag per name in any case, in every script."""

from __future__ import annotations

from collections import defaultdict

from sqlite_utils import Database



def tags_one_per_name(db: Database) -> None:
    """Join the tags whose names differ only in the case of letters beyond ASCII ("Проект" and
    "проект", which the name column's NOCASE let in before tag names matched in any case in every
    script) into the first made of them, the one its name already finds: it gains every article
    of the others, their colour and pin where it has none, and saved searches name it instead.
    (The library is backed up before migrating; joining two tags has no other undo.)"""
    from ..changes import TagRename
    from ..saved_searches import follow_tag_renames
    from ..undo import IN_IDS, id_list

    same_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for tag_id, name in db.conn.execute("SELECT id, name FROM tags ORDER BY id").fetchall():
        same_name[name.casefold()].append((tag_id, name))
    renames: list[TagRename] = []
    for (kept, kept_name), *others in (tags for tags in same_name.values() if len(tags) > 1):
        joined = id_list([tag_id for tag_id, _ in others])
        looks = db.conn.execute(
            f"SELECT (SELECT colour FROM tags WHERE id {IN_IDS} AND colour IS NOT NULL ORDER BY id LIMIT 1), "
            f"(SELECT pinned FROM tags WHERE id {IN_IDS} AND pinned IS NOT NULL ORDER BY id LIMIT 1)",
            (joined, joined),
        ).fetchone()
        db.conn.execute(
            "INSERT OR IGNORE INTO document_tags (document_id, tag_id, added_at) "
            f"SELECT document_id, ?, min(added_at) FROM document_tags WHERE tag_id {IN_IDS} GROUP BY document_id",
            (kept, joined),
        )
        db.conn.execute(f"DELETE FROM document_tags WHERE tag_id {IN_IDS}", (joined,))
        db.conn.execute(f"DELETE FROM tags WHERE id {IN_IDS}", (joined,))
        db.conn.execute("UPDATE tags SET colour = coalesce(colour, ?), pinned = coalesce(pinned, ?) WHERE id = ?",
                        (*looks, kept))
        renames += [TagRename(name, kept_name, children=False) for _, name in others]
    if renames:
        follow_tag_renames(db, renames)
        db.conn.execute("INSERT INTO search_log (area, document_id) VALUES ('tags', NULL)")
