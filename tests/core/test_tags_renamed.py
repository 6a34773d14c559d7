"""What names a tag follows it when the tag is renamed or merged: saved searches and filters."""

from __future__ import annotations

from desktop.core.changes import TagRename
from desktop.core.filters import Filters
from desktop.core.saved_searches import list_saved_searches, save_search
from desktop.core.search import search_ids
from desktop.core.tags import add_tag, merge_tags, rename_tag
from desktop.core.undo import UndoLog


def saved_filters(db) -> dict[str, Filters]:
    return {s.name: Filters.from_json(s.filters) for s in list_saved_searches(db)}


def save(db, name: str, filters: Filters) -> None:
    save_search(db, name=name, query="", filters=filters.to_json())


def test_a_saved_search_naming_a_child_follows_its_renamed_parent_and_undo_puts_it_back(db, seeds):
    add_tag(db, seeds[:2], "biomed/forums")
    add_tag(db, [seeds[2]], "biomedicine")
    save(db, "Forums", Filters().including("tag", "biomed/forums").excluding("tag", "biomed"))
    save(db, "Other", Filters().including("tag", "biomedicine"))
    log = UndoLog()
    log.record(rename_tag(db, "biomed", "медицина"))
    renamed = saved_filters(db)
    assert renamed["Forums"] == Filters().including("tag", "медицина/forums").excluding("tag", "медицина")
    assert renamed["Other"] == Filters().including("tag", "biomedicine")
    assert sorted(search_ids(db, filters=renamed["Forums"].without("tag", "медицина"))) == seeds[:2]
    log.undo(db)
    assert saved_filters(db)["Forums"] == Filters().including("tag", "biomed/forums").excluding("tag", "biomed")


def test_a_saved_search_naming_a_merged_tag_names_the_target_and_undo_puts_it_back(db, seeds):
    add_tag(db, seeds[:2], "biomed/forums")
    add_tag(db, [seeds[2]], "health")
    save(db, "Forums", Filters().including("tag", "biomed/forums"))
    log = UndoLog()
    log.record(merge_tags(db, ["biomed/forums"], "health"))
    assert saved_filters(db)["Forums"] == Filters().including("tag", "health")
    log.undo(db)
    assert saved_filters(db)["Forums"] == Filters().including("tag", "biomed/forums")


def test_a_rename_says_which_tags_it_renamed_and_its_undo_the_way_back(db, seeds):
    add_tag(db, seeds[:2], "Biomed/Forums")
    change = rename_tag(db, "biomed", "Медицина")
    assert change.changes.tag_renames == (TagRename("Biomed", "Медицина"),)
    chosen = Filters().including("tag", "Biomed/Forums")
    moved = chosen.with_tags_renamed(change.changes.tag_renames)
    assert moved == Filters().including("tag", "Медицина/Forums")
    assert moved.with_tags_renamed(change.changes.reversed().tag_renames) == chosen


def test_a_merge_leaves_filters_on_the_sources_children_alone(db, seeds):
    add_tag(db, [seeds[0]], "biomed")
    add_tag(db, [seeds[1]], "biomed/forums")
    change = merge_tags(db, ["biomed"], "health")
    chosen = Filters().including("tag", "biomed").including("tag", "biomed/forums")
    assert chosen.with_tags_renamed(change.changes.tag_renames) == (
        Filters().including("tag", "health").including("tag", "biomed/forums"))
