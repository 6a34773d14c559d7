"""The articles the date histogram leaves out for want of a date, counted over the current results."""

from __future__ import annotations

from desktop.core.filters import Filters
from desktop.core.search import date_histogram, undated_count
from tests.core.helpers import add_article


def _library(db) -> None:
    add_article(db, "Lunar station agreed in Moscow.", title="Station", source="Xinhua", published="2023-03-14")
    add_article(db, "Navigation talks in Beijing.", title="Navigation", source="ECNS", published="2022-05-19")
    add_article(db, "A memo with no date at all, kept by hand.", title="Memo", source="ECNS")
    add_article(db, "Another memo with no date, also kept by hand.", title="Memo 2", source="Blog")


def test_undated_articles_are_counted_beside_the_histogram(library):
    _library(library.db)
    assert undated_count(library.db) == 2
    assert sum(n for _, n in date_histogram(library.db)) + undated_count(library.db) == 4


def test_undated_articles_are_counted_within_the_filters_and_the_query(library):
    _library(library.db)
    assert undated_count(library.db, filters=Filters().including("source", "ECNS")) == 1
    assert undated_count(library.db, query="Another") == 1
    assert undated_count(library.db, query="Beijing") == 0
