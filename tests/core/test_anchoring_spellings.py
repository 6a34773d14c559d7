"""A highlight found again when a re-issued article spells the same words another way, letter for
letter: ё written е (or back), a no-break space written as a space, typographic quotes and dashes
written plainly, full-width punctuation as ASCII."""

from __future__ import annotations

import pytest

from desktop.core.anchoring import locate, make_anchor
from tests.conftest import CORPORA

RUSSIAN = (CORPORA / "multilingual" / "ru" / "devset_factru_100.txt").read_text(encoding="utf-8")


def anchor_on(text: str, quote: str):
    start = text.index(quote)
    return make_anchor(text, start, start + len(quote))


def test_a_short_russian_highlight_is_found_when_its_yo_is_written_ye():
    anchor = anchor_on(RUSSIAN, "чёрного")
    reissued = "Обновлено.\n\n" + RUSSIAN.replace("ё", "е")
    placed = locate(anchor, reissued)
    assert reissued[placed.start : placed.end] == "черного"


@pytest.mark.parametrize(("before", "after"), [
    ("10\u00a0000 рублей", "10 000 рублей"),
    ("«Росатом»", "\"Росатом\""),
    ("1990\u20142000", "1990-2000"),
    ("北京，上海", "北京,上海"),
])
def test_a_short_highlight_is_found_in_the_other_spelling(before, after):
    text = f"В начале статьи. Здесь {before} и ещё немного текста после."
    placed = locate(anchor_on(text, before), "Исправлено. " + text.replace(before, after))
    assert placed is not None and placed.end - placed.start == len(after)


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u200f", "\ufeff"])
def test_a_short_highlight_is_found_when_the_new_text_has_an_invisible_character_inside_it(invisible):
    anchor = anchor_on(RUSSIAN, "чёрного")
    reissued = "Обновлено.\n\n" + RUSSIAN.replace("чёрного", f"чёр{invisible}ного", 1)
    placed = locate(anchor, reissued)
    assert reissued[placed.start : placed.end] == f"чёр{invisible}ного"


def test_a_highlight_made_on_a_text_with_a_soft_hyphen_is_found_in_the_text_without_it():
    text = RUSSIAN.replace("чёрного", "чёр\u00adного", 1)
    anchor = anchor_on(text, "чёр\u00adного")
    placed = locate(anchor, "Обновлено.\n\n" + RUSSIAN)
    assert placed is not None and placed.end - placed.start == len("чёрного")
