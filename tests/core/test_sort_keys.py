"""Sorting the list by title or by outlet ignores case in every script, keeps ё with е, and follows
titles and outlets as they change, in new libraries and in those migration 0022 upgrades."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.library import open_library
from desktop.core.search import search_ids
from desktop.core.changes import ChangeSet
from desktop.core.sort_keys import fill_missing_keys, keys_missing, sort_key
from tests.core.helpers import add_article, library_before

SORT_MIGRATION = "0022_sort_keys_in_every_script"
TITLES = ["ёлки в Москве", "Ель в парке", "арбуз", "Яблоко", "Бобр", "apple", "Zebra", "«Гнев»", "Éclair"]
ORDERED = ["apple", "Éclair", "Zebra", "арбуз", "Бобр", "«Гнев»", "ёлки в Москве", "Ель в парке", "Яблоко"]


def titled(db, titles: list[str], **fields) -> dict[int, str]:
    with db.atomic():
        return {add_article(db, f"Text {n}.", title=title, **fields): title for n, title in enumerate(titles)}


@pytest.mark.parametrize(("value", "key"), [
    ("Ёлка", "елка"), ("ДЕНЬ", "день"), ("Straße", "strasse"), ("Élysée", "elysee"), ("«День гнева»", "день гнева»"),
    ("Йошкар-Ола", "йошкар-ола"), ("新华社", "新华社"), (None, None),
])
def test_sort_key_folds_case_in_every_script_and_keeps_russian_letters_apart(value, key):
    assert sort_key(value) == key


def test_titles_sort_ignoring_case_in_every_script_with_yo_as_ye(db):
    ids = titled(db, TITLES)
    assert [ids[i] for i in search_ids(db, sort="title")] == ORDERED
    assert [ids[i] for i in search_ids(db, sort="title", descending=True)] == ORDERED[::-1]


def test_titles_of_matches_sort_the_same_way(db):
    ids = titled(db, TITLES)
    assert [ids[i] for i in search_ids(db, "text", sort="title")] == ORDERED


def test_outlets_sort_ignoring_case_in_every_script_and_articles_without_one_come_last(db):
    outlets = {}
    with db.atomic():
        for n, source in enumerate(["тасс", "Reuters", "РИА Новости", None, "bbc", "Интерфакс"]):
            outlets[add_article(db, f"Text {n}.", source=source)] = source
    assert [outlets[i] for i in search_ids(db, sort="source")] == \
        ["bbc", "Reuters", "Интерфакс", "РИА Новости", "тасс", None]
    assert [outlets[i] for i in search_ids(db, sort="source", descending=True)] == \
        ["тасс", "РИА Новости", "Интерфакс", "Reuters", "bbc", None]


def test_a_retitled_article_sorts_by_its_new_title(db):
    ids = titled(db, ["Арбуз", "Бобр"])
    first = min(ids)
    with db.atomic():
        db.execute("UPDATE documents SET title = 'ярмарка' WHERE id = ?", [first])
    assert search_ids(db, sort="title") == [max(ids), first]


def test_an_article_another_program_wrote_gets_its_keys_with_the_next_write(library):
    titled(library.db, ["Бобр"])
    other = sqlite3.connect(library.path)
    with other:
        other.execute("INSERT INTO documents (title, text, sha256, imported_at) VALUES ('арбуз', 'x', 'x', 'now')")
    other.close()
    with library.db.atomic():
        pass
    assert library.db.execute("SELECT title FROM documents ORDER BY title_key").fetchall() == [("арбуз",), ("Бобр",)]


def test_keys_another_program_left_out_are_found_and_filled_in_a_write_of_their_own(library):
    titled(library.db, ["Бобр"])
    assert not keys_missing(library.db.conn)
    other = sqlite3.connect(library.path)
    with other:
        other.execute("INSERT INTO documents (title, text, sha256, imported_at) VALUES ('арбуз', 'x', 'x', 'now')")
    other.close()
    assert keys_missing(library.db.conn)
    new = library.db.execute("SELECT max(id) FROM documents").fetchone()[0]
    assert fill_missing_keys(library.db.conn) == ChangeSet(edited=frozenset({new}))
    assert not keys_missing(library.db.conn)
    assert library.db.execute("SELECT title FROM documents ORDER BY title_key").fetchall() == [("арбуз",), ("Бобр",)]
    assert fill_missing_keys(library.db.conn) == ChangeSet()


def test_a_library_made_before_sort_keys_sorts_its_titles_and_outlets_in_every_script(tmp_path):
    path = tmp_path / "old.sqlite"
    with library_before(path, SORT_MIGRATION) as db:
        ids = {add_article(db, f"Text {n}.", title=title, source=title.upper()): title
               for n, title in enumerate(TITLES)}
    with open_library(path) as library:
        assert [ids[i] for i in search_ids(library.db, sort="title")] == ORDERED
        assert [ids[i] for i in search_ids(library.db, sort="source")] == ORDERED
        assert [ids[i] for i in search_ids(library.db, "text", sort="source")] == ORDERED
