"""Finding a highlighted passage again after an article's text changed, on real article text."""

from __future__ import annotations

import pytest

from desktop.core.anchoring import CONTEXT, locate, locate_exact, make_anchor
from tests.conftest import CORPORA, SEEDS

BIOMED = (SEEDS / "000_971e70b93473d978.txt").read_text(encoding="utf-8")
HARBIN = (SEEDS / "002_923e814bdcd60de3.txt").read_text(encoding="utf-8")
BBC_PATH = CORPORA / "bbc" / "business" / "001.txt"
QUOTE = "made the remark at the II International Forum"


def anchor_on(text: str, quote: str, *, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_anchor(text, start, start + len(quote))


def test_anchor_keeps_quote_and_32_characters_of_context():
    anchor = anchor_on(BIOMED, QUOTE)
    assert anchor.quote == QUOTE
    assert len(anchor.prefix) == CONTEXT and len(anchor.suffix) == CONTEXT
    assert BIOMED[anchor.start - CONTEXT : anchor.end + CONTEXT] == anchor.prefix + QUOTE + anchor.suffix


def test_unchanged_text_places_the_passage_exactly_where_it_was():
    anchor = anchor_on(BIOMED, QUOTE)
    placed = locate(anchor, BIOMED)
    assert (placed.start, placed.end, placed.method) == (anchor.start, anchor.end, "exact")


def test_text_inserted_before_moves_the_passage_with_it():
    anchor = anchor_on(BIOMED, QUOTE)
    lead = "Editor's note: this report was updated with comments from the forum.\n\n"
    placed = locate(anchor, lead + BIOMED)
    assert placed.method == "moved"
    assert (placed.start, placed.end) == (anchor.start + len(lead), anchor.end + len(lead))


def test_a_word_changed_inside_the_quote_is_found_by_fuzzy_match():
    anchor = anchor_on(BIOMED, QUOTE)
    edited = "Updated.\n\n" + BIOMED.replace("made the remark", "made the comment")
    placed = locate(anchor, edited)
    assert placed.method == "fuzzy"
    assert edited[placed.start : placed.end] == "made the comment at the II International Forum"


def test_a_removed_passage_cannot_be_placed():
    sentence_start = BIOMED.index("Zhang Qiang, the secretary")
    sentence_end = BIOMED.index("\n", sentence_start)
    anchor = anchor_on(BIOMED, QUOTE)
    assert locate(anchor, BIOMED[:sentence_start] + BIOMED[sentence_end + 1 :]) is None


def test_repeated_quote_chooses_the_occurrence_whose_context_matches():
    quote = "China-Russia Roundtable on"
    first, second = anchor_on(HARBIN, quote), anchor_on(HARBIN, quote, occurrence=1)
    # Shift the text so that the first occurrence now sits exactly at the second's old offset.
    shifted = "x" * (second.start - first.start) + HARBIN
    placed = locate(second, shifted)
    assert shifted[placed.start - 20 : placed.start] == HARBIN[second.start - 20 : second.start]
    assert placed.start == second.start + (second.start - first.start)


def test_repeated_quote_in_a_bbc_article_survives_an_inserted_paragraph():
    text = BBC_PATH.read_text(encoding="utf-8")
    anchor = anchor_on(text, "TimeWarner", occurrence=3)
    changed = text.replace("\n\n", "\n\nTimeWarner shares rose in early trading.\n\n", 1)
    placed = locate(anchor, changed)
    assert changed[placed.start - 40 : placed.end + 40] == text[anchor.start - 40 : anchor.end + 40]


def test_exact_only_search_refuses_an_edited_quote():
    anchor = anchor_on(BIOMED, QUOTE)
    assert locate_exact(anchor, BIOMED.replace("made the remark", "made the comment")) is None


@pytest.mark.parametrize("quote", ["", "Forum"])
def test_empty_or_short_missing_quote_is_not_guessed(quote):
    anchor = make_anchor("The Forum opened.", 4, 4 + len(quote))
    assert locate(anchor, "Nothing related here at all.") is None
