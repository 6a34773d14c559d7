"""The post-processing steps of ``evidence``: names the article writes as places, and acronyms
it defines beside a name."""

from __future__ import annotations

from desktop.core.entities.evidence import placed_names
from desktop.core.entities.pipeline import Span

from .entity_spans import shown, spans_of


def test_a_name_written_as_a_place_is_one_in_every_mention_of_the_article():
    text = ("Kurds took the city of Arbil. Troops attacked Arbil. Farmers in Huize county and on the "
            "island of Spitzbergen were safe.")
    again = text.index("Arbil", text.index("attacked"))
    found = spans_of(text, ("Arbil", "ORG"), ("Huize", "ORG"), ("Spitzbergen", "PERSON"))
    found.insert(1, Span(again, again + len("Arbil"), "ORG", "Arbil"))
    assert shown(text, placed_names(text, found)) == [
        ("Arbil", "GPE"), ("Arbil", "GPE"), ("Huize", "GPE"), ("Spitzbergen", "LOC")]


def test_groups_languages_and_names_away_from_a_place_word_keep_their_type():
    text = "English county sides met the city of York and Arbil Group."
    found = spans_of(text, ("English", "LANGUAGE"), ("York", "GPE"), ("Arbil Group", "ORG"))
    assert placed_names(text, found) == found
