"""The list's State and Language sorts read an index in order (migration 0023), in new libraries and
in those it upgrades, either way round, instead of sorting every article at each click."""

from __future__ import annotations

import pytest

from desktop.core.library import open_library
from desktop.core.search import Filters, _sorted_sql, query_plan, search_ids
from tests.core.helpers import add_article, library_before

INDEXES = {"state": "documents_state_order", "language": "documents_language_order"}


def plan(db, sort: str, *, descending: bool) -> str:
    sql, params = _sorted_sql(query_plan(db, "").compiled, Filters(), sort=sort, descending=descending)
    return " / ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", ["state", "language"])
def test_state_and_language_sorts_read_their_index_without_sorting(db, sort, descending):
    assert plan(db, sort, descending=descending) == f"SCAN d USING INDEX {INDEXES[sort]}"


def test_a_library_made_before_the_indexes_gets_them_and_sorts_as_before(tmp_path):
    path = tmp_path / "old.sqlite"
    with library_before(path, "0023_state_and_language_sort_indexes") as db:
        ids = [add_article(db, f"Text {n}.", language=language, starred=int(n == 2), read_state=state)
               for n, (language, state) in enumerate([("ru", "read"), (None, "unread"), ("zh", "read"),
                                                      ("en", "to_read")])]
    with open_library(path) as library:
        assert plan(library.db, "state", descending=False) == "SCAN d USING INDEX documents_state_order"
        assert search_ids(library.db, sort="state") == [ids[2], ids[3], ids[1], ids[0]]
        assert search_ids(library.db, sort="language") == [ids[2], ids[3], ids[0], ids[1]]
