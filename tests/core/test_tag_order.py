"""Tag names listed in the order a person expects in every script: case folded beyond ASCII, ё
with е, a child right after its parent; the same in the tag list, an article's tags, its row and
the sidebar's Tags section."""

from __future__ import annotations

from desktop.core.documents import tags_of
from desktop.core.facet_counts import facet_counts
from desktop.core.facets import UNTAGGED
from desktop.core.search import fetch_rows
from desktop.core.tag_order import tag_sort_key
from desktop.core.tags import add_tag, list_tags, tag_tree

EXPECTED = ["apple", "bio", "bio/x", "bio-x", "Zebra", "Авиация", "биология", "Биотех", "ежевика", "Ёлка",
            "Ель", "Яблоко"]
"""SQLite's NOCASE put every Cyrillic capital first (Авиация, Биотех, Ель, Ёлка…) and Ёлка after Яблоко."""


def test_the_sort_key_folds_case_in_every_script_and_sorts_yo_with_ye():
    assert sorted(reversed(EXPECTED), key=tag_sort_key) == EXPECTED
    assert sorted(["ёж", "еж", "Ёж"], key=tag_sort_key) == ["Ёж", "еж", "ёж"]  # alike once folded: as written


def test_the_library_lists_its_tags_in_that_order(db, seeds):
    for name in reversed(EXPECTED):
        add_tag(db, seeds[:1], name)
    assert [tag["name"] for tag in list_tags(db)] == EXPECTED
    assert [node.path for node in tag_tree(db)] == [n for n in EXPECTED if n != "bio/x"]


def test_an_articles_tags_are_listed_in_that_order(db, seeds):
    for name in reversed(EXPECTED):
        add_tag(db, seeds[:1], name)
    assert tags_of(db, seeds[:1])[seeds[0]] == EXPECTED
    assert fetch_rows(db, seeds[:1])[seeds[0]]["tags"] == EXPECTED  # the list's Tags column


def test_the_tag_facet_lists_tags_of_equal_counts_in_that_order(db, seeds):
    for name in reversed(EXPECTED):
        add_tag(db, seeds[:1], name)
    assert [name for name, _ in facet_counts(db, "tag")] == [UNTAGGED, *EXPECTED]  # 4 untagged, then 1 each
