"""The post-processing steps of the error classes: spans trimmed of stray punctuation and words,
split company names joined, lone words nothing supports dropped, corpus voting, and the alias
step never lending a name the batch calls an organisation."""

from __future__ import annotations

from desktop.core.entities.cleanup import clean_spans, corpus_labels, drop_orphans, join_split_names
from desktop.core.entities.pipeline import Span, alias_persons

from .entity_spans import shown, spans_of


def test_stray_punctuation_and_words_are_trimmed_from_names():
    text = ('Keanu Reeves\' film beat "Happy Holidays and Associated Cement Companies (ACC. '
            "Alan Milburn - the minister met a Bob Deans.")
    found = spans_of(text, ("Keanu Reeves'", "PERSON"), ('"Happy Holidays', "WORK_OF_ART"),
                     ("Associated Cement Companies (ACC", "ORG"), ("Alan Milburn - the", "PERSON"),
                     ("a Bob Deans", "PERSON"))
    assert shown(text, clean_spans(text, found)) == [
        ("Keanu Reeves", "PERSON"), ("Happy Holidays", "WORK_OF_ART"),
        ("Associated Cement Companies", "ORG"), ("Alan Milburn", "PERSON"), ("Bob Deans", "PERSON")]


def test_a_company_word_after_a_name_joins_it_into_one_organisation():
    text = "Swiss Re and Munich Re lost money; eBay UK did not."
    found = spans_of(text, ("Swiss", "NORP"), ("Re", "PERSON"), ("Munich Re", "PERSON"), ("eBay", "ORG"))
    assert shown(text, join_split_names(text, found)) == [
        ("Swiss Re", "ORG"), ("Munich Re", "ORG"), ("eBay UK", "ORG")]


def test_a_lone_word_person_that_nothing_supports_is_dropped():
    text = "Blackburn beat Rovers. Mr Glazer met Tony Blair and Blair said so. Shadrin, Director General, spoke."
    found = spans_of(text, ("Blackburn", "PERSON"), ("Glazer", "PERSON"), ("Tony Blair", "PERSON"),
                     ("Blair said", "PERSON"), ("Shadrin", "PERSON"))
    found[3] = Span(found[3].start, found[3].start + 5, "PERSON", "Blair")
    [kept] = drop_orphans([text], [found])
    assert [s.name for s in kept] == ["Glazer", "Tony Blair", "Blair", "Shadrin"]


def test_a_name_most_articles_give_one_type_takes_it_everywhere():
    docs = [[Span(0, 7, "ORG", "Rangers")] for _ in range(3)] + [[Span(0, 7, "PERSON", "Rangers")]]
    assert {s.label for spans in corpus_labels(docs) for s in spans} == {"ORG"}


def test_the_alias_step_lends_no_word_of_a_name_the_batch_calls_an_organisation():
    text = "Munich Re said profits rose. Re shares fell."
    found = spans_of(text, ("Munich Re", "PERSON"), ("Re shares", "ORG"))
    found[1] = Span(found[1].start, found[1].start + 2, "ORG", "Re")
    guarded = alias_persons(text, found, organisations=frozenset({"Munich Re"}))
    assert ("Re", "ORG") in shown(text, guarded)
    assert ("Re", "PERSON") in shown(text, alias_persons(text, found))
