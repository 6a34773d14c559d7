"""Tags (create, rename with children, recolour, merge, delete, pin, bulk apply) and reading states."""

from __future__ import annotations

import pytest

from desktop.core.errors import InvalidInput, NotFound
from desktop.core.tags import (
    add_tag,
    all_in_state,
    all_starred,
    create_tag,
    delete_tag,
    distinct_tag_labels,
    get_tag,
    list_tags,
    merge_tags,
    pin_tag,
    pinned_tags,
    read_state,
    recolour_tag,
    remove_tag,
    rename_tag,
    set_read_state,
    set_starred,
    tag_tree,
    tagged_documents,
)


def names(db) -> list[str]:
    return [t["name"] for t in list_tags(db)]


def test_created_tag_is_listed_with_no_articles(db):
    tag, _ = create_tag(db, "  Biomed ", colour="#00aa00")
    assert (tag["name"], tag["colour"], tag["count"]) == ("Biomed", "#00AA00", 0)
    assert names(db) == ["Biomed"]


def test_tag_name_taken_in_another_case_is_refused(db):
    create_tag(db, "Biomed")
    with pytest.raises(InvalidInput, match="already exists"):
        create_tag(db, "BIOMED")


@pytest.mark.parametrize("name", ["", "   ", "Biomed//Vaccines", "/Biomed"])
def test_empty_tag_name_or_level_is_refused(db, name):
    with pytest.raises(InvalidInput, match="empty"):
        create_tag(db, name)


def test_adding_a_tag_to_many_articles_creates_it_and_counts_them(db, seeds):
    add_tag(db, seeds[:3], "Biomed")
    assert get_tag(db, "biomed")["count"] == 3
    assert tagged_documents(db, "Biomed") == seeds[:3]


def test_adding_a_tag_again_changes_nothing(db, seeds):
    add_tag(db, seeds[:2], "Biomed")
    change = add_tag(db, seeds[:2], "biomed")
    assert get_tag(db, "Biomed")["count"] == 2
    assert not change.changed


def test_a_tag_in_russian_is_found_in_any_case_as_an_english_one_is(db, seeds):
    add_tag(db, seeds[:1], "Проект/Этап")
    add_tag(db, seeds[1:2], "проект/этап")
    assert names(db) == ["Проект/Этап"] and get_tag(db, "ПРОЕКТ/ЭТАП")["count"] == 2
    remove_tag(db, seeds[:2], "проект/ЭТАП")
    assert get_tag(db, "Проект/Этап")["count"] == 0
    with pytest.raises(InvalidInput, match="already exists"):
        create_tag(db, "ПРОЕКТ/этап")


def test_adding_a_tag_to_a_missing_article_is_not_found_and_changes_nothing(db, seeds):
    with pytest.raises(NotFound, match="999"):
        add_tag(db, [seeds[0], 999], "Biomed")
    assert names(db) == []


def test_removing_a_tag_from_some_articles_keeps_it_on_the_others(db, seeds):
    add_tag(db, seeds, "Biomed")
    remove_tag(db, seeds[:2], "BIOMED")
    assert tagged_documents(db, "Biomed") == seeds[2:]


def test_removing_an_unknown_tag_is_not_found(db, seeds):
    with pytest.raises(NotFound, match="No tag named 'Nope'"):
        remove_tag(db, seeds, "Nope")


def test_renaming_a_parent_renames_its_childrens_prefix(db, seeds):
    add_tag(db, [seeds[0]], "Science/Biomed")
    add_tag(db, [seeds[1]], "Science/Space/Lunar")
    create_tag(db, "Science")
    create_tag(db, "Sciences-unrelated")
    rename_tag(db, "science", "Research")
    assert names(db) == ["Research", "Research/Biomed", "Research/Space/Lunar", "Sciences-unrelated"]
    assert tagged_documents(db, "Research/Space/Lunar") == [seeds[1]]


def test_a_rename_or_recolour_names_the_articles_carrying_the_tag_and_so_does_its_undo(db, seeds):
    add_tag(db, seeds[:2], "Biomed/Forums")
    add_tag(db, [seeds[2]], "Biomed")
    add_tag(db, [seeds[3]], "Health")
    renamed = rename_tag(db, "Biomed", "Медицина")
    assert renamed.changes.tagged == frozenset(seeds[:3]) and renamed.changes.tag_definitions
    assert renamed.changes.reversed().tagged == frozenset(seeds[:3])
    assert recolour_tag(db, "Health", "orange").changes.tagged == frozenset([seeds[3]])
    assert not create_tag(db, "Empty")[1].changes.tagged


def test_renaming_onto_an_existing_tag_is_refused(db):
    create_tag(db, "A")
    create_tag(db, "B")
    with pytest.raises(InvalidInput, match="merge"):
        rename_tag(db, "A", "b")


def test_renaming_only_the_case_is_allowed(db):
    create_tag(db, "biomed")
    rename_tag(db, "Biomed", "BioMed")
    assert names(db) == ["BioMed"]


def test_recolouring_accepts_a_palette_name(db):
    create_tag(db, "Biomed")
    recolour_tag(db, "Biomed", "bluish green")
    assert get_tag(db, "Biomed")["colour"] == "#009E73"


def test_merging_moves_every_article_to_the_target_and_deletes_the_sources(db, seeds):
    add_tag(db, seeds[:2], "Biomed")
    add_tag(db, seeds[1:4], "Bio-medicine")
    add_tag(db, [seeds[4]], "Health")
    merge_tags(db, ["Bio-medicine", "Health"], "Biomed")
    assert names(db) == ["Biomed"]
    assert tagged_documents(db, "Biomed") == seeds


def test_merging_into_a_new_name_creates_it(db, seeds):
    add_tag(db, seeds[:2], "Biomed")
    merge_tags(db, ["Biomed"], "Medicine")
    assert names(db) == ["Medicine"] and get_tag(db, "Medicine")["count"] == 2


def test_deleting_a_tag_untags_its_articles_and_keeps_its_children(db, seeds):
    add_tag(db, seeds, "Biomed")
    add_tag(db, [seeds[0]], "Biomed/Vaccines")
    delete_tag(db, "Biomed")
    assert names(db) == ["Biomed/Vaccines"]
    assert db.conn.execute("SELECT count(*) FROM document_tags").fetchone()[0] == 1


def test_tag_tree_nests_children_and_shows_implied_parents(db, seeds):
    add_tag(db, seeds[:2], "Science/Biomed")
    add_tag(db, seeds[1:3], "Science/Space")
    add_tag(db, [seeds[4]], "Policy")
    [policy, science] = tag_tree(db)
    assert (policy.name, policy.count, policy.children) == ("Policy", 1, [])
    assert science.id is None and science.count == 0 and science.total == 3
    assert [(c.name, c.path, c.count) for c in science.children] == [
        ("Biomed", "Science/Biomed", 2), ("Space", "Science/Space", 2)]


def test_pinning_to_a_taken_slot_unpins_the_previous_tag(db):
    create_tag(db, "Biomed")
    create_tag(db, "Space")
    pin_tag(db, "Biomed", 3)
    pin_tag(db, "Space", 3)
    assert {slot: t["name"] for slot, t in pinned_tags(db).items()} == {3: "Space"}
    assert get_tag(db, "Biomed")["pinned"] is None


@pytest.mark.parametrize("slot", [0, 10])
def test_pinning_outside_slots_one_to_nine_is_refused(db, slot):
    create_tag(db, "Biomed")
    with pytest.raises(InvalidInput, match="1 to 9"):
        pin_tag(db, "Biomed", slot)


def test_starring_and_reading_states_apply_to_many_articles(db, seeds):
    set_starred(db, seeds[:2], True)
    set_read_state(db, seeds[1:3], "to_read")
    rows = db.conn.execute("SELECT starred, read_state FROM documents ORDER BY id").fetchall()
    assert rows == [(1, "unread"), (1, "to_read"), (0, "to_read"), (0, "unread"), (0, "unread")]


def test_reading_state_of_one_article_reads_back_and_a_missing_one_is_not_found(db, seeds):
    set_read_state(db, [seeds[0]], "to_read")
    assert (read_state(db, seeds[0]), read_state(db, seeds[1])) == ("to_read", "unread")
    with pytest.raises(NotFound):
        read_state(db, 999)


def test_all_starred_and_all_in_state_need_every_article_and_at_least_one(db, seeds):
    set_starred(db, seeds[:2], True)
    set_read_state(db, seeds[:1], "read")
    assert all_starred(db, seeds[:2]) and not all_starred(db, seeds[:3]) and not all_starred(db, [])
    assert all_in_state(db, seeds[:1], "read") and not all_in_state(db, seeds[:2], "read")
    assert not all_in_state(db, [seeds[0], 999], "read")


def test_unknown_reading_state_is_refused(db, seeds):
    with pytest.raises(InvalidInput, match="to_read"):
        set_read_state(db, seeds, "skimmed")


def test_change_labels_say_what_was_done(db, seeds):
    assert add_tag(db, seeds[:3], "Biomed").label == "Add tag 'Biomed' to 3 articles"
    assert remove_tag(db, [seeds[0]], "biomed").label == "Remove tag 'Biomed' from 1 article"
    assert set_read_state(db, seeds[:2], "to_read").label == "Mark 2 articles to read"


def test_a_tag_reads_as_its_last_part_unless_another_tag_ends_the_same_way():
    labels = distinct_tag_labels(["project/energy", "topic/Energy", "energy", "Region/Arctic", "a/x/y", "b/x/y"])
    assert labels == {"project/energy": "project/energy", "topic/energy": "topic/Energy", "energy": "energy",
                      "region/arctic": "Arctic", "a/x/y": "a/x/y", "b/x/y": "b/x/y"}


def test_an_upgrade_joins_tags_whose_names_differ_only_in_cyrillic_case(tmp_path):
    """A library made when only ASCII case was folded may hold 'Проект' and 'проект': the
    upgrade makes them the one tag its name finds, losing no article, colour, pin or saved search."""
    from sqlite_utils import Database

    from desktop.core import schema
    from desktop.core.filters import Filters
    from desktop.core.saved_searches import list_saved_searches
    from tests.core.helpers import add_article

    db = Database(tmp_path / "old.sqlite")
    schema.migrations.apply(db, stop_before="0019_tags_one_per_name")
    both, lower_only = add_article(db, "Первый отчёт."), add_article(db, "Второй отчёт.")
    db.conn.executemany("INSERT INTO tags (id, name, colour, pinned, created) VALUES (?, ?, ?, ?, '2026-01-01')",
                        [(1, "Проект", None, None), (2, "проект", "#AA0000", 3), (3, "Другое", None, None)])
    db.conn.executemany("INSERT INTO document_tags (document_id, tag_id, added_at) VALUES (?, ?, '2026-01-02')",
                        [(both, 1), (both, 2), (lower_only, 2), (lower_only, 3)])
    db.conn.execute("INSERT INTO saved_searches (name, filters, created, updated) VALUES ('Отчёты', ?, '', '')",
                    [Filters().including("tag", "проект").to_json()])
    db.conn.commit()
    schema.migrations.apply(db)
    assert [(t["name"], t["count"], t["colour"], t["pinned"]) for t in list_tags(db)] == [
        ("Другое", 1, None, None), ("Проект", 2, "#AA0000", 3)]
    assert tagged_documents(db, "проект") == [both, lower_only]
    assert Filters.from_json(list_saved_searches(db)[0].filters).include["tag"] == {"Проект"}
