"""Short highlights of Chinese text found again after a one-character correction: four Han
characters say as much as a sentence's worth of Latin letters, so they are matched
approximately too, and still never put on other words."""

from __future__ import annotations

from desktop.core.anchoring import locate, make_anchor
from tests.conftest import CORPORA

TEXT = (CORPORA / "multilingual" / "zh" / "uner_gsdsimp_train_011.txt").read_text(encoding="utf-8")

def anchor_on(quote: str):
    start = TEXT.index(quote)
    return make_anchor(TEXT, start, start + len(quote))


def test_a_chinese_highlight_with_a_character_inserted_is_found_on_its_words():
    corrected = TEXT.replace("旨在提高公众", "旨在提高广大公众", 1)
    placed = locate(anchor_on("旨在提高公众"), corrected)
    assert corrected[placed.start : placed.end] == "旨在提高广大公众"


def test_a_chinese_highlight_with_a_character_corrected_is_found_on_its_words():
    corrected = TEXT.replace("12月1日是世界艾滋病日", "12月1日是世界爱滋病日", 1)  # the other spelling
    placed = locate(anchor_on("是世界艾滋病日"), corrected)
    assert corrected[placed.start : placed.end] == "是世界爱滋病日"


def test_a_chinese_highlight_whose_sentence_was_removed_is_not_placed():
    sentence = "12月1日是世界艾滋病日，这天旨在提高公众对HIV病毒引起的艾滋病在全球传播的意识。"
    assert locate(anchor_on("旨在提高公众"), TEXT.replace(sentence, "", 1)) is None
