"""Normalised values of DATE and MONEY mentions: ISO dates and amount + currency.

``date_value("Tuesday", published="2017-11-15")`` is ``"2017-11-14"``; a month
gives ``YYYY-MM`` and a year ``YYYY``. Expressions relative to the article
("Tuesday", "last year") need its published date; without one only dates that
name a year are normalised. ``money_value("more than 1 million U.S. dollars")``
is ``"1000000 USD"``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

_CURRENCIES = (
    (r"(?:U\.?S\.?|American)\s+dollars?|US\$|U\.S\.\s?\$|\$|USD|dollars?|bucks", "USD"),
    (r"(?:Chinese\s+)?yuan|renminbi|RMB|CNY", "CNY"),
    (r"(?:Russian\s+)?r[ou]ubles?|RUB|RUR", "RUB"),
    (r"euros?|EUR|€", "EUR"),
    (r"(?:British\s+)?pounds?(?:\s+sterling)?|sterling|GBP|£|stg", "GBP"),
    (r"(?:Japanese\s+)?yen|JPY|¥", "JPY"),
    (r"(?:Hong\s+Kong\s+dollars?|HK\$|HKD)", "HKD"),
    (r"(?:Swiss\s+)?francs?|CHF", "CHF"),
    (r"rupees?|INR", "INR"),
)
_CURRENCY = "|".join(f"(?:{pattern})" for pattern, _ in _CURRENCIES)
_SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "mln": 10**6, "mn": 10**6, "m": 10**6,
    "billion": 10**9, "bln": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12,
}
_SCALE = r"(?:thousand|million|mln|mn|billion|bln|bn|trillion|tn|k|m|b)\b"
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_MONEY = re.compile(
    rf"(?P<pre>{_CURRENCY})?\s*(?P<num>{_NUMBER})\s*(?P<scale>{_SCALE})?\s*(?P<post>{_CURRENCY})?",
    re.IGNORECASE,
)
CURRENCY_AFTER = re.compile(rf"\s+(?:{_CURRENCY})(?!\w)", re.IGNORECASE)
"""A currency name right after a number, to extend a number span into a MONEY span."""


def _currency_code(word: str) -> str:
    for pattern, code in _CURRENCIES:
        if re.fullmatch(pattern, word.strip(), re.IGNORECASE):
            return code
    return word.strip().upper()


def parse_money(text: str) -> tuple[Decimal, str] | None:
    """(amount, ISO currency code) of a sum of money in ``text``, or None when it names no currency."""
    for match in _MONEY.finditer(text):
        currency = match.group("pre") or match.group("post")
        if not currency:
            continue
        try:
            amount = Decimal(match.group("num").replace(",", ""))
        except InvalidOperation:
            continue
        scale = match.group("scale")
        if scale:
            amount *= _SCALES[scale.lower()]
        return amount, _currency_code(currency)
    return None


def money_value(text: str) -> str | None:
    """``"<amount> <currency>"`` for a MONEY mention, e.g. ``"1000000 USD"``; None if unreadable."""
    parsed = parse_money(text)
    if parsed is None:
        return None
    amount, code = parsed
    return f"{format(amount.normalize(), 'f')} {code}"


_YEAR = re.compile(r"\b(1[5-9]\d\d|2[01]\d\d)\b")
_PERIOD_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


@functools.lru_cache(maxsize=64)
def _parser(base: str | None):
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    if base:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(base[:10])
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=4096)
def date_value(text: str, *, published: str | None = None) -> str | None:
    """ISO form of a DATE mention, relative to the article's ``published`` date; None if vague."""
    base = _valid_date(published)
    if base is None and not _YEAR.search(text):
        return None
    try:
        data = _parser(base).get_date_data(text)
    except (ValueError, OverflowError):
        return None
    if data.date_obj is None or data.period not in _PERIOD_FORMATS:
        return None
    return data.date_obj.strftime(_PERIOD_FORMATS[data.period])


def _valid_date(published: str | None) -> str | None:
    if not published:
        return None
    try:
        dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    return published[:10]


def value_of(label: str, text: str, *, published: str | None = None) -> str | None:
    """The normalised value stored with a mention: ISO date for DATE, amount + currency for MONEY."""
    if label == "DATE":
        return date_value(text, published=published)
    if label == "MONEY":
        return money_value(text)
    return None
