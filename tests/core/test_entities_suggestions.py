"""Suggested corrections for the whole library: likely duplicates and likely mislabels, ranked,
accepted as merges, names in other scripts among them (by their romanised keys)."""

from __future__ import annotations

from desktop.core.entities import document_entities, entity_summary
from desktop.core.entities.name_keys import refresh_keys
from desktop.core.entities.name_links import link_names, name_suggestions, refuse_suggestion
from desktop.core.entities.suggestions import accept, suggestions
from tests.core.helpers import add_article, add_mention


def mention_in(db, label: str, name: str, articles: int) -> None:
    for n in range(articles):
        add_mention(db, add_article(db, f"{label} {name} story {n}"), label, name)


def pairs(db, **kwargs) -> list[tuple[str, str, str]]:
    return [(s.kind, s.source.name, s.target.name) for s in suggestions(db, **kwargs)]


def test_a_surname_alone_is_suggested_as_the_full_name_of_the_one_person_it_names(db):
    mention_in(db, "PERSON", "Tony Blair", 10)
    mention_in(db, "PERSON", "Blair", 3)
    assert pairs(db) == [("duplicate", "Blair", "Tony Blair")]


def test_a_surname_shared_by_two_people_mentioned_as_often_is_not_suggested(db):
    mention_in(db, "PERSON", "Tony Blair", 5)
    mention_in(db, "PERSON", "Cherie Blair", 4)
    mention_in(db, "PERSON", "Blair", 3)
    assert ("duplicate", "Blair", "Tony Blair") not in pairs(db)


def test_singular_and_plural_of_a_party_are_one_entity_the_commoner_kept(db):
    mention_in(db, "ORG", "Lib Dems", 6)
    mention_in(db, "ORG", "Lib Dem", 2)
    assert pairs(db) == [("duplicate", "Lib Dem", "Lib Dems")]


def test_a_surname_ending_in_s_is_no_plural_and_a_lower_case_spelling_is_never_kept(db):
    mention_in(db, "PERSON", "Holmes", 3)
    mention_in(db, "PERSON", "Holme", 1)
    mention_in(db, "ORG", "мид", 2)
    mention_in(db, "ORG", "МИД", 1)
    assert pairs(db) == [("duplicate", "мид", "МИД")]


def test_a_name_mostly_of_another_type_is_a_likely_mislabel(db):
    mention_in(db, "PERSON", "Mauresmo", 9)
    mention_in(db, "ORG", "Mauresmo", 2)
    assert pairs(db) == [("mislabel", "Mauresmo", "Mauresmo")]
    found = suggestions(db)[0]
    assert (found.source.label, found.target.label) == ("ORG", "PERSON")


def test_a_lone_word_that_is_one_persons_surname_is_a_likely_mislabel(db):
    mention_in(db, "PERSON", "Amelie Mauresmo", 9)
    mention_in(db, "ORG", "Mauresmo", 2)
    assert pairs(db) == [("mislabel", "Mauresmo", "Amelie Mauresmo")]


def test_suggestions_are_ranked_by_confidence_then_by_articles(db):
    mention_in(db, "PERSON", "Tony Blair", 10)
    mention_in(db, "PERSON", "Blair", 3)
    mention_in(db, "ORG", "Lib Dems", 6)
    mention_in(db, "ORG", "Lib Dem", 2)
    mention_in(db, "ORG", "Al-Qaeda", 6)
    mention_in(db, "ORG", "Al Qaeda", 4)
    assert pairs(db) == [("duplicate", "Al Qaeda", "Al-Qaeda"), ("duplicate", "Lib Dem", "Lib Dems"),
                         ("duplicate", "Blair", "Tony Blair")]


def test_accepting_merges_and_the_suggestion_is_gone(db):
    mention_in(db, "PERSON", "Tony Blair", 4)
    mention_in(db, "PERSON", "Blair", 2)
    change = accept(db, suggestions(db)[0])
    assert [(e["name"], e["documents"]) for e in entity_summary(db, label="PERSON")] == [("Tony Blair", 6)]
    assert suggestions(db) == []
    change.undo(db)
    assert pairs(db) == [("duplicate", "Blair", "Tony Blair")]


def test_a_skipped_suggestion_is_left_out(db):
    mention_in(db, "PERSON", "Tony Blair", 4)
    mention_in(db, "PERSON", "Blair", 2)
    assert suggestions(db, skipped=[suggestions(db)[0].key]) == []


def test_dates_and_sums_of_money_are_never_suggested(db):
    mention_in(db, "MONEY", "$5", 4)
    mention_in(db, "MONEY", "5", 2)
    mention_in(db, "DATE", "2005", 4)
    mention_in(db, "DATE", "2005s", 2)
    assert suggestions(db) == []


def test_names_in_other_scripts_with_one_romanised_key_are_suggested(db):
    mention_in(db, "ORG", "KGB", 4)
    mention_in(db, "ORG", "КГБ", 1)
    mention_in(db, "GPE", "Germany", 6)
    mention_in(db, "ORG", "Германия", 1)
    mention_in(db, "PERSON", "Lee", 3)  # a pinyin syllable meets too many short names: left out
    mention_in(db, "PERSON", "乐", 1)
    mention_in(db, "PERSON", "Washington", 2)  # one script, two types as often: two entities
    mention_in(db, "GPE", "Washington", 2)
    refresh_keys(db)  # what every extraction does
    found = {(s.source.name, s.target.name): (s.kind, s.reason) for s in suggestions(db)}
    assert found == {
        ("КГБ", "KGB"): ("duplicate", "a short name written alike in another script"),
        ("Германия", "Germany"): ("mislabel", "written alike in another script, GPE in 6 articles"),
    }


def test_a_name_in_another_script_accepted_is_one_entity_and_a_refused_pair_is_not_offered(db):
    mention_in(db, "ORG", "KGB", 4)
    mention_in(db, "ORG", "КГБ", 1)
    mention_in(db, "GPE", "Germany", 6)
    mention_in(db, "ORG", "Германия", 1)
    refresh_keys(db)
    accept(db, next(s for s in suggestions(db) if s.source.name == "КГБ"))
    assert [(e["name"], e["documents"]) for e in entity_summary(db, label="ORG")] == [
        ("KGB", 5), ("Германия", 1)]
    germany = name_suggestions(db)[0]
    refuse_suggestion(db, germany.first.id, germany.second.id)
    assert link_names(db) is None and suggestions(db) == []


def test_accepting_a_mislabel_retypes_the_mentions(db):
    mention_in(db, "PERSON", "Mauresmo", 3)
    mention_in(db, "ORG", "Mauresmo", 1)
    accept(db, suggestions(db)[0])
    labels = {m["label"] for doc in range(1, 5) for m in document_entities(db, doc)}
    assert labels == {"PERSON"}


def test_a_name_that_runs_on_into_other_words_is_never_the_one_kept(db):
    mention_in(db, "PERSON", "John Prescott", 6)
    mention_in(db, "PERSON", "John Prescott - were", 1)
    mention_in(db, "PERSON", "George Bush", 4)
    mention_in(db, "PERSON", "George Bush-style", 1)
    assert sorted(pairs(db)) == [("duplicate", "George Bush-style", "George Bush"),
                                 ("duplicate", "John Prescott - were", "John Prescott")]


def test_a_full_name_with_lower_case_words_inside_is_kept_over_its_shorter_part(db):
    mention_in(db, "ORG", "Standards Board of England", 2)
    mention_in(db, "ORG", "Standards Board", 1)
    mention_in(db, "ORG", "Большой театр", 2)
    mention_in(db, "ORG", "Большой", 1)
    assert sorted(pairs(db)) == [("duplicate", "Standards Board", "Standards Board of England"),
                                 ("duplicate", "Большой", "Большой театр")]


def test_a_list_read_as_one_name_is_offered_no_member_and_a_place_with_its_state_still_pairs(db):
    mention_in(db, "ORG", "House of Commons", 6)
    mention_in(db, "ORG", "European Parliament", 4)
    mention_in(db, "ORG", "House of Commons, European Parliament", 1)
    mention_in(db, "PERSON", "Gordon Brown", 5)
    mention_in(db, "PERSON", "Blair", 4)
    mention_in(db, "PERSON", "Blair, Gordon Brown", 1)
    mention_in(db, "GPE", "Washington", 6)
    mention_in(db, "GPE", "Washington, D.C.", 2)
    assert pairs(db) == [("duplicate", "Washington, D.C.", "Washington")]


def test_a_full_name_is_kept_over_the_same_name_with_a_title_or_a_word_before_it(db):
    mention_in(db, "PERSON", "Paul Boateng", 4)
    mention_in(db, "PERSON", "Paul Boateng MP", 1)
    mention_in(db, "PERSON", "Stephen Pound", 3)
    mention_in(db, "PERSON", "Backbencher Stephen Pound", 1)
    mention_in(db, "PERSON", "Dave Prentis", 2)
    mention_in(db, "PERSON", "Unison Dave Prentis", 1)
    mention_in(db, "PERSON", "Ken Macdonald", 1)
    mention_in(db, "PERSON", "Ken Macdonald QC", 1)
    mention_in(db, "PERSON", "Peter Goldsmith", 1)
    mention_in(db, "PERSON", "Goldsmith", 6)
    assert sorted(pairs(db)) == [("duplicate", "Backbencher Stephen Pound", "Stephen Pound"),
                                 ("duplicate", "Goldsmith", "Peter Goldsmith"),
                                 ("duplicate", "Ken Macdonald QC", "Ken Macdonald"),
                                 ("duplicate", "Paul Boateng MP", "Paul Boateng"),
                                 ("duplicate", "Unison Dave Prentis", "Dave Prentis")]


def test_a_family_name_alone_is_kept_only_over_a_role_and_never_over_initials_or_another_surname(db):
    mention_in(db, "PERSON", "Bingham", 3)
    mention_in(db, "PERSON", "Lords Bingham", 1)
    mention_in(db, "PERSON", "Robinson", 7)
    mention_in(db, "PERSON", "J.W. Robinson", 1)
    mention_in(db, "PERSON", "James Miller", 14)
    mention_in(db, "PERSON", "James Miller-Day", 1)
    found = pairs(db)
    assert ("duplicate", "Lords Bingham", "Bingham") in found
    assert ("duplicate", "J.W. Robinson", "Robinson") not in found
    assert ("duplicate", "James Miller-Day", "James Miller") not in found
