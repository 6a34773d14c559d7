"""The post-processing steps of ``evidence``: names the article writes as places, and acronyms
it defines beside a name."""

from __future__ import annotations

from desktop.core.entities.evidence import acronym_names, placed_names
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


def test_an_acronym_defined_beside_a_name_takes_its_type_in_every_mention():
    text = ("Nerweyi of the Kurdistan Democratic Party ( KDP ) said KDP fighters fled. The FOMC ( Federal "
            "Open Market Committee ) met; the FOMC waits.")
    found = spans_of(text, ("Kurdistan Democratic Party", "ORG"), ("KDP", "GPE"),
                     ("Federal Open Market Committee", "ORG"))
    assert sorted(shown(text, acronym_names(text, found))) == [
        ("FOMC", "ORG"), ("FOMC", "ORG"), ("Federal Open Market Committee", "ORG"), ("KDP", "ORG"),
        ("KDP", "ORG"), ("Kurdistan Democratic Party", "ORG")]


def test_only_brackets_holding_the_names_initials_define_an_acronym():
    text = "Carrier Pre-Selection ( UK ) and Consumer Electronics Show ( CES ) and CES."
    found = spans_of(text, ("Carrier Pre-Selection", "ORG"), ("Consumer Electronics Show", "EVENT"))
    assert shown(text, acronym_names(text, found)) == [
        ("Carrier Pre-Selection", "ORG"), ("Consumer Electronics Show", "EVENT"), ("CES", "EVENT"),
        ("CES", "EVENT")]
