"""Dates become ISO dates relative to the article, sums of money an amount and a currency."""

from __future__ import annotations

from desktop.core.entities.normalise import date_value, money_value, value_of


def test_a_weekday_is_the_day_before_publication_it_refers_to():
    assert date_value("Tuesday", published="2017-11-15") == "2017-11-14"


def test_a_full_date_a_month_and_a_year_keep_their_precision():
    assert date_value("June 15, 2017") == "2017-06-15"
    assert date_value("June 2017") == "2017-06"
    assert date_value("last year", published="2017-11-15") == "2016"


def test_relative_dates_without_a_publication_date_and_vague_ones_stay_unnormalised():
    assert date_value("Tuesday") is None
    assert date_value("the past few years", published="2017-11-15") is None
    assert date_value("the 1990s", published="2017-11-15") is None


def test_money_in_words_with_a_currency_becomes_amount_and_code():
    assert money_value("more than 1 million U.S. dollars") == "1000000 USD"
    assert money_value("$2.5 billion") == "2500000000 USD"
    assert money_value("5,000 rubles") == "5000 RUB"
    assert money_value("about 10 million Chinese yuan") == "10000000 CNY"


def test_a_number_without_a_currency_is_not_money():
    assert money_value("1 million") is None


def test_only_dates_and_money_get_a_value():
    assert value_of("PERSON", "Zhang Qiang") is None
    assert value_of("MONEY", "300 yuan") == "300 CNY"
