"""A Chinese man's name in a Russian article is named in the nominative whatever its case
("министра Ван Чжигана" → Ван Чжиган), and a name that may be a nominative stays as written."""

from __future__ import annotations

import pytest

from desktop.core.entities.models_ru import extract_ru
from desktop.core.entities.palladius import nominative_of_chinese_name


@pytest.mark.parametrize(("declined", "nominative"), [
    ("Ван Чжигана", "Ван Чжиган"),
    ("Ван Чжигану", "Ван Чжиган"),
    ("Чэнь Баошэном", "Чэнь Баошэн"),
    ("Ли Кэцяне", "Ли Кэцян"),
    ("Си Цзиньпина", "Си Цзиньпин"),
])
def test_a_declined_chinese_given_name_loses_its_case_ending(declined, nominative):
    assert nominative_of_chinese_name(declined) == nominative


@pytest.mark.parametrize("name", [
    "Ли На",          # a woman's name: Li Na, nominative
    "Чжан Лина",      # two syllables: Zhang Lina, or Zhang Lin declined; left as written
    "Ли Цяна",        # one-syllable given name (Natasha names this one itself)
    "Ван Гохуа",      # ends in a vowel: never declined
    "Ивана Петрова",  # a Russian name
    "Ван Чжиган",
    "Ван Чжиган Ли",
])
def test_a_name_that_may_be_a_nominative_stays_as_written(name):
    assert nominative_of_chinese_name(name) == name


def test_a_russian_article_names_chinese_ministers_in_the_nominative():
    text = ("Соглашение было подписано в присутствии министра науки и высшего образования РФ Валерия "
            "Фалькова и министра науки и технологий КНР Ван Чжигана. Котюков провел в Пекине переговоры "
            "с министром образования КНР Чэнь Баошэном.")
    people = {text[s.start:s.end]: s.name for s in extract_ru([text])[0] if s.label == "PERSON"}
    assert people["Ван Чжигана"] == "Ван Чжиган"
    assert people["Чэнь Баошэном"] == "Чэнь Баошэн"


@pytest.mark.parametrize(("sentence", "mention"), [
    ("О Ван Чжигане писали все газеты.", "Ван Чжигане"),
    ("К Ван Чжигану приехали коллеги из Москвы.", "Ван Чжигану"),
])
def test_a_preposition_opening_a_sentence_is_no_part_of_a_chinese_name(sentence, mention):
    people = [(sentence[s.start:s.end], s.name) for s in extract_ru([sentence])[0] if s.label == "PERSON"]
    assert people == [(mention, "Ван Чжиган")]
