"""Did you mean: a search that finds nothing is offered the closest words the articles hold."""

from __future__ import annotations

import pytest

from desktop.core.search import search_ids
from desktop.core.spelling import edits_within, suggest_query
from tests.core.helpers import add_article

ARTICLES = [
    "The mobile phone market grew as Tony Blair spoke of mobile networks.",
    "Mobile operators and the government met in London about mobile roaming.",
    "The government said the mobile market and the Labour party would meet, Blair said.",
    "Москва и Пекин подписали соглашение; в Москве прошла встреча.",
    "В Москве учёные обсудили проект; Москва ждёт ответа.",
    "中国与俄罗斯签署合作协议。",
    "A single article mentions the mobil typo once.",
]


@pytest.fixture
def db(library):
    with library.db.atomic():
        for text in ARTICLES:
            add_article(library.db, text, title=text[:20])
    return library.db


def suggested(db, query: str, **filters) -> str | None:
    return suggest_query(db, query, finds=lambda q: bool(search_ids(db, q)))


@pytest.mark.parametrize(("query", "expected"), [
    ("mobiel", "mobile"),  # two neighbours swapped
    ("goverment", "government"),  # a letter left out
    ("Tony Bliar", "Tony Blair"),  # the typed capital kept
    ("MOBIEL", "MOBILE"),
    ("title:mobiel", "title:mobile"),  # the field name left as typed
    ("ombile phone", "mobile phone"),  # the first two letters swapped
    ("Моксва", "Москва"),  # Cyrillic too
    ('"mobiel phone"', '"mobile phone"'),  # inside a phrase
])
def test_a_misspelt_word_is_replaced_by_the_closest_word_the_articles_hold(db, query, expected):
    assert suggested(db, query) == expected


@pytest.mark.parametrize("query", [
    "mobile",  # held: nothing to correct
    "mob*",  # a prefix is left as typed
    "xqzzyv",  # nothing close
    "合做",  # Han characters are searched as strings
    "mobiel AND xqzzyv",  # a correction that still finds nothing is not offered
])
def test_no_suggestion_when_nothing_close_would_find_articles(db, query):
    assert suggested(db, query) is None


def test_a_word_only_one_article_holds_is_not_offered(db):
    """"mobil" (one article's typing mistake) is one edit from "mobjl", "mobile" two."""
    assert suggested(db, "mobjl") == "mobile"


def test_the_edit_count_stops_at_its_limit():
    assert edits_within("mobiel", "mobile", 2) == 1
    assert edits_within("kitten", "sitting", 2) is None
    assert edits_within("kitten", "sitting", 3) == 3
    assert edits_within("abc", "abc", 0) == 0
