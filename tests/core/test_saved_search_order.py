"""A saved search keeps its date range to the day and the sort order of its list (schema 0025); a
search saved before sort orders were kept still opens, in whatever order the list has."""

from __future__ import annotations

import pytest

from desktop.core.errors import InvalidInput
from desktop.core.filters import Filters
from desktop.core.library import open_library
from desktop.core.saved_searches import get_saved_search, list_saved_searches, save_search
from tests.core.helpers import library_before


def test_a_date_range_of_days_comes_back_as_saved(library):
    filters = Filters(date_from="2019-03-01", date_to="2019-03-15").to_json()
    saved, _ = save_search(library.db, name="Early March", query="", filters=filters)
    again = Filters.from_json(get_saved_search(library.db, saved.id).filters)
    assert (again.date_from, again.date_to) == ("2019-03-01", "2019-03-15")


def test_the_sort_column_and_direction_come_back_as_saved(library):
    saved, _ = save_search(library.db, name="Newest", query="vaccine", sort="published", descending=True)
    again = get_saved_search(library.db, saved.id)
    assert (again.sort, again.descending) == ("published", True)
    replaced, _ = save_search(library.db, name="Newest", query="vaccine", sort="title", replace=True)
    assert (replaced.sort, replaced.descending) == ("title", False)


def test_an_unknown_sort_order_is_refused(library):
    with pytest.raises(InvalidInput, match="not a sort order"):
        save_search(library.db, name="Odd", query="", sort="colour")
    assert list_saved_searches(library.db) == []


def test_a_search_saved_before_sort_orders_were_kept_opens_without_one(tmp_path):
    path = tmp_path / "older.sqlite"
    with library_before(path, "0025_saved_search_sort") as db:
        db.execute("INSERT INTO saved_searches (name, query, filters, created, updated) VALUES "
                   "('Harbin', 'Harbin', '{\"date_from\": \"2019-03-01\", \"date_to\": \"2019-03-15\"}', "
                   "'2026-11-21', '2026-11-21')")
    with open_library(path) as library:
        (saved,) = list_saved_searches(library.db)
        assert (saved.name, saved.query, saved.sort, saved.descending) == ("Harbin", "Harbin", None, False)
        assert Filters.from_json(saved.filters).date_to == "2019-03-15"
