"""The post-processing steps of ``precision``: stray words and scorelines cut from the ends of
names, common and prefixed words taken for names dropped, an organisation's products labelled,
and things taken for people dropped."""

from __future__ import annotations

from desktop.core.entities.pipeline import ALL_STEPS, Span, postprocess
from desktop.core.entities.precision import (
    drop_common_words,
    drop_prefixed,
    drop_things,
    owned_products,
    trim_descriptors,
    trim_edges,
)

from .entity_spans import shown, spans_of


def test_scorelines_numbers_and_stray_words_are_cut_from_the_ends_of_names():
    text = ("Greg Rusedski 4 lost; Turf Moor 0-2 was quiet; Francesca Schiavone of Italy won; "
            "Mark Lewis-Francis - runner of the year; the physio Mark Davies said so.")
    found = spans_of(text, ("Greg Rusedski 4", "PERSON"), ("Turf Moor 0-2", "FAC"),
                     ("Francesca Schiavone of", "PERSON"), ("Mark Lewis-Francis - runner", "PERSON"),
                     ("physio Mark Davies", "PERSON"))
    assert shown(text, trim_edges(text, found)) == [
        ("Greg Rusedski", "PERSON"), ("Turf Moor", "FAC"), ("Francesca Schiavone", "PERSON"),
        ("Mark Lewis-Francis", "PERSON"), ("Mark Davies", "PERSON")]


def test_numbers_in_a_name_other_than_a_persons_stay_and_particles_are_no_stray_words():
    text = "BBC Radio 4 spoke to de Gaulle."
    found = spans_of(text, ("BBC Radio 4", "ORG"), ("de Gaulle", "PERSON"))
    assert shown(text, trim_edges(text, found)) == [("BBC Radio 4", "ORG"), ("de Gaulle", "PERSON")]


def test_lower_case_descriptions_dates_and_telephone_codes_are_cut_from_the_ends_of_names():
    text = ("the Interfax news agency said; militants in Sharqiyah province; landed at Stansted airport; "
            "MAHALA , Bosnia 1996-08-31 NATO said -- Anthony Barker +48 22 653 9700")
    found = spans_of(text, ("Interfax news agency", "ORG"), ("Sharqiyah province", "GPE"),
                     ("Stansted airport", "FAC"), ("Bosnia 1996-08-31", "GPE"),
                     ("Anthony Barker +48", "PERSON"))
    assert shown(text, trim_descriptors(text, found)) == [
        ("Interfax", "ORG"), ("Sharqiyah", "GPE"), ("Stansted", "FAC"), ("Bosnia", "GPE"),
        ("Anthony Barker", "PERSON")]


def test_lower_case_words_stay_in_persons_works_and_events_and_inside_names():
    text = "Ice Cold in Alex won; the Iraq war ended; Bank of England rose; Peter de Vries ran."
    found = spans_of(text, ("Ice Cold in Alex", "WORK_OF_ART"), ("Iraq war", "EVENT"),
                     ("Bank of England", "ORG"), ("Peter de Vries", "PERSON"))
    assert trim_descriptors(text, found) == found


def test_a_word_the_batch_mostly_writes_in_lower_case_is_no_name():
    texts = ["Citizens were angry. The citizens said the citizens lost, and citizens wept.",
             "Prop Martin Castrogiovanni scored; the prop and another prop and a third prop ran."]
    docs = [spans_of(texts[0], ("Citizens", "ORG")),
            spans_of(texts[1], ("Prop Martin Castrogiovanni", "PERSON"))]
    first, second = drop_common_words(texts, docs)
    assert first == []
    assert shown(texts[1], second) == [("Martin Castrogiovanni", "PERSON")]


def test_a_word_written_capitalised_inside_sentences_as_often_stays_a_name():
    text = "Brown spoke. We met Brown and Mr Brown again; a brown dog, a brown cat, a brown hat."
    [kept] = drop_common_words([text], [spans_of(text, ("Brown", "PERSON"))])
    assert shown(text, kept) == [("Brown", "PERSON")]


def test_a_name_written_as_a_thing_is_no_person_in_that_article():
    text = "Mac Mini sales rose. Apple said the Mac Mini is small. Mac Mini sales rose."
    found = [Span(m, m + 8, "PERSON", "Mac Mini") for m in (0, text.index("Mac", 5), text.rindex("Mac"))]
    assert drop_things(text, found) == []


def test_a_persons_name_before_a_noun_stays_a_person():
    text = "Clinton spoke. He met the Clinton campaign and a Rios rooting section."
    found = spans_of(text, ("Clinton", "PERSON"), ("Rios", "PERSON"))
    assert drop_things(text, found) == found


def test_the_pipeline_applies_the_steps_in_order():
    text = "Greg Rusedski 4 beat Henman. Then the Mac Mini was launched."
    found = spans_of(text, ("Greg Rusedski 4", "PERSON"), ("Henman", "PERSON"), ("Mac Mini", "PERSON"))
    [spans] = postprocess([text], [found], steps=ALL_STEPS)
    assert ("Greg Rusedski", "PERSON") in shown(text, spans)
    assert ("Mac Mini", "PERSON") not in shown(text, spans)


def test_a_name_after_an_organisations_possessive_is_its_product_in_every_article():
    texts = ["Microsoft's Xbox sold well.", "The Xbox 2 is coming; Microsoft said so."]
    docs = [spans_of(texts[0], ("Microsoft", "ORG"), ("Xbox", "ORG")),
            spans_of(texts[1], ("Xbox", "ORG"), ("Microsoft", "ORG"))]
    first, second = owned_products(texts, docs)
    assert shown(texts[0], first) == [("Microsoft", "ORG"), ("Xbox", "PRODUCT")]
    assert shown(texts[1], second) == [("Xbox", "PRODUCT"), ("Microsoft", "ORG")]


def test_a_person_after_an_organisations_possessive_stays_a_person():
    text = "Arsenal's Thierry Henry scored."
    found = spans_of(text, ("Arsenal", "ORG"), ("Thierry Henry", "PERSON"))
    assert owned_products([text], [found]) == [found]


def test_a_name_with_a_lower_case_prefix_is_no_name():
    text = "The pro-Chavez crowd and non-EU workers met Chavez."
    found = spans_of(text, ("pro-Chavez", "NORP"), ("non-EU", "NORP"), ("Chavez.", "PERSON"))
    assert shown(text, drop_prefixed(found)) == [("Chavez.", "PERSON")]
