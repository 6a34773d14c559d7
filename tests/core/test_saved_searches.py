"""Saved searches: save, list, reopen, rename, delete."""

from __future__ import annotations

import pytest

from desktop.core.errors import InvalidInput, NotFound
from desktop.core.saved_searches import (
    delete_saved_search,
    find_saved_search,
    get_saved_search,
    list_saved_searches,
    rename_saved_search,
    save_search,
)

FILTERS = '{"include": {"source": ["Xinhua"]}, "exclude": {}}'


def test_saved_search_reopens_with_its_query_and_filters(library):
    saved, _ = save_search(library.db, name="Biomedicine", query="vaccine", filters=FILTERS)
    again = get_saved_search(library.db, saved.id)
    assert (again.name, again.query, again.filters) == ("Biomedicine", "vaccine", FILTERS)


def test_saved_searches_are_listed_by_name_ignoring_case(library):
    for name in ("beta", "Alpha", "gamma"):
        save_search(library.db, name=name, query=name)
    assert [s.name for s in list_saved_searches(library.db)] == ["Alpha", "beta", "gamma"]


def test_saving_under_an_existing_name_is_refused_unless_replacing(library):
    save_search(library.db, name="Space", query="rocket")
    with pytest.raises(InvalidInput, match="already exists"):
        save_search(library.db, name="Space", query="satellite")
    replaced, _ = save_search(library.db, name="Space", query="satellite", replace=True)
    assert replaced.query == "satellite"
    assert len(list_saved_searches(library.db)) == 1


def test_the_search_a_name_would_replace_is_found_as_saving_spells_the_name(library):
    saved, _ = save_search(library.db, name="Space  race", query="rocket")
    assert find_saved_search(library.db, " Space race ") == saved
    assert find_saved_search(library.db, "Space") is None


def test_blank_name_is_refused(library):
    with pytest.raises(InvalidInput, match="needs a name"):
        save_search(library.db, name="   ", query="x")


def test_filters_that_are_not_json_are_refused(library):
    with pytest.raises(InvalidInput, match="not valid JSON"):
        save_search(library.db, name="x", query="x", filters="{broken")


def test_rename_changes_the_listed_name(library):
    saved, _ = save_search(library.db, name="Old", query="q")
    rename_saved_search(library.db, saved.id, name="  New   name ")
    assert [s.name for s in list_saved_searches(library.db)] == ["New name"]


def test_rename_onto_another_search_name_is_refused(library):
    save_search(library.db, name="One", query="1")
    two, _ = save_search(library.db, name="Two", query="2")
    with pytest.raises(InvalidInput, match="already exists"):
        rename_saved_search(library.db, two.id, name="One")


def test_delete_removes_the_search(library):
    saved, _ = save_search(library.db, name="Gone", query="q")
    delete_saved_search(library.db, saved.id)
    assert list_saved_searches(library.db) == []
    with pytest.raises(NotFound):
        delete_saved_search(library.db, saved.id)


def test_a_deleted_search_comes_back_with_undo_and_each_step_says_it_changed_saved_searches(library):
    from desktop.core.undo import UndoLog

    log = UndoLog()
    saved, change = save_search(library.db, name="Polar", query="station", filters=FILTERS)
    log.record(change)
    _, change = rename_saved_search(library.db, saved.id, name="Arctic")
    log.record(change)
    change = delete_saved_search(library.db, saved.id)
    log.record(change)
    assert change.label == "Delete saved search “Arctic”" and change.changes.saved_searches
    assert list_saved_searches(library.db) == []
    assert log.undo(library.db).changes.saved_searches
    back = list_saved_searches(library.db)
    assert [(s.id, s.name, s.query, s.filters) for s in back] == [(saved.id, "Arctic", "station", FILTERS)]
    log.undo(library.db)
    assert [s.name for s in list_saved_searches(library.db)] == ["Polar"]
    log.redo(library.db)
    log.redo(library.db)
    assert list_saved_searches(library.db) == []
