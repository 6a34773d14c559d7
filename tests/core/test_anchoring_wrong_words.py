"""A highlight whose words were changed or removed is kept as not found rather than put on other
words: a near-miss elsewhere in the article, or the same word in another sentence, whose
surroundings do not match the highlight's."""

from __future__ import annotations

from desktop.core.anchoring import locate
from tests.conftest import CORPORA
from tests.core.test_anchoring import anchor_on

DEAL = "Rosatom and CNNC signed a deal on reactor blocks in Beijing on Tuesday. The deal covers four blocks."
BBC = (CORPORA / "bbc" / "business" / "001.txt").read_text(encoding="utf-8")


def test_a_corrected_phrase_is_not_put_on_a_look_alike_in_another_sentence():
    anchor = anchor_on(DEAL, "reactor blocks")
    corrected = DEAL.replace("reactor blocks", "reactor units")
    placed = locate(anchor, corrected)
    assert placed is None or corrected[placed.start : placed.end].startswith("reactor")


def test_a_name_whose_sentence_was_removed_is_not_moved_to_another_sentence_naming_it():
    anchor = anchor_on(BBC, "TimeWarner", occurrence=1)
    sentence = BBC[anchor.start : BBC.index(". ", anchor.start) + 2]
    assert sentence == "TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn. "
    assert locate(anchor, BBC.replace(sentence, "", 1)) is None


def test_a_word_corrected_inside_a_passage_is_still_found_on_its_own_words():
    anchor = anchor_on(BBC, "jumped 76% to $1.13bn")
    corrected = BBC.replace("jumped 76% to $1.13bn", "jumped 67% to $1.13bn", 1)
    placed = locate(anchor, corrected)
    assert corrected[placed.start : placed.end] == "jumped 67% to $1.13bn"
