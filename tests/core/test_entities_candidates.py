"""Which entity another one most likely is: the ranking behind the merge picker."""

from __future__ import annotations

import pytest

from desktop.core.entities import Match, candidate_pool, clear_best, merge_candidates
from desktop.core.errors import NotFound
from tests.core.helpers import add_article


def entity(db, name: str, *, label: str = "PERSON", articles: int = 1) -> int:
    """An entity called ``name`` mentioned once in each of ``articles`` new articles; its id."""
    db.execute("INSERT INTO entities (label, name) VALUES (?, ?)", [label, name])
    entity_id = db.execute("SELECT id FROM entities WHERE label = ? AND name = ?", [label, name]).fetchone()[0]
    for number in range(articles):
        text = f"{name} spoke ({number})."
        doc_id = add_article(db, text, title=f"{name} {number}")
        db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin) '
                   "VALUES (?, ?, 0, ?, ?, 'model')", [doc_id, entity_id, len(name), name])
    db.conn.commit()
    return entity_id


def ranked_for(db, source: str, *others: str | tuple[str, int]):
    """The candidates for person ``source`` among the people ``others`` (a name, or a name and how
    many articles mention it)."""
    source_id = entity(db, source)
    for other in others:
        name, articles = (other, 1) if isinstance(other, str) else other
        entity(db, name, articles=articles)
    return merge_candidates(db, source_id)


def names(candidates) -> list[str]:
    return [candidate.name for candidate in candidates]


def test_a_surname_alone_ranks_the_full_name_first_and_preselects_it(db):
    blair = entity(db, "Blair")
    entity(db, "Gordon Brown", articles=5)
    entity(db, "Tony Blair")
    entity(db, "Blairgowrie", label="GPE")
    ranked = merge_candidates(db, blair)
    assert names(ranked) == ["Tony Blair", "Gordon Brown"]
    assert ranked[0].match == Match.CONTAINED and ranked[0].documents == 1
    assert clear_best(ranked).name == "Tony Blair"


def test_the_fuller_name_is_preselected_to_stay_whichever_way_the_merge_goes(db):
    tony = entity(db, "Tony Blair")
    blair = entity(db, "Blair")
    into_blair = merge_candidates(db, tony)
    assert names(into_blair) == ["Blair"]
    assert clear_best(into_blair) is None
    assert clear_best(into_blair, keep_candidate=False).name == "Blair"
    assert clear_best(merge_candidates(db, blair), keep_candidate=False) is None


def test_the_same_surname_with_another_first_name_ranks_high_but_is_not_preselected(db):
    ranked = ranked_for(db, "Mike Leigh", "Edward Leigh", ("Mike Mills", 2))
    assert names(ranked) == ["Edward Leigh", "Mike Mills"]
    assert (ranked[0].match, ranked[1].match) == (Match.FAMILY, Match.SHARED_WORD)
    assert clear_best(ranked) is None


def test_another_spelling_of_the_first_name_is_the_same_person(db):
    ranked = ranked_for(db, "Andrei Rudskoy", "Andrey Rudskoy", ("Andrei Denisov", 3))
    assert (ranked[0].name, ranked[0].match) == ("Andrey Rudskoy", Match.SURNAME)
    assert clear_best(ranked).name == "Andrey Rudskoy"


def test_two_people_of_the_same_surname_are_ranked_by_articles_and_neither_preselected(db):
    ranked = ranked_for(db, "Blair", "Cherie Blair", ("Tony Blair", 3))
    assert names(ranked) == ["Tony Blair", "Cherie Blair"]
    assert clear_best(ranked) is None


def test_an_initial_form_is_the_clear_match_of_the_full_name(db):
    ranked = ranked_for(db, "V. Putin", "Putin", "Vladimir Putin", ("Vladimir Zhirinovsky", 4))
    assert names(ranked)[:2] == ["Vladimir Putin", "Putin"]
    assert [c.match for c in ranked[:2]] == [Match.INITIALS, Match.CONTAINED]
    assert clear_best(ranked).name == "Vladimir Putin"


def test_a_family_name_offers_every_fuller_form_before_other_people(db):
    ranked = ranked_for(db, "Putin", ("Boris Johnson", 9), "V. Putin", ("Vladimir Putin", 2))
    assert names(ranked) == ["Vladimir Putin", "V. Putin", "Boris Johnson"]
    assert clear_best(ranked) is None


def test_xi_goes_with_xi_jinping_and_a_title_is_not_part_of_the_name(db):
    xi = entity(db, "Xi")
    entity(db, "Xi Jinping", articles=2)
    entity(db, "Zhang Qiang", articles=6)
    assert names(merge_candidates(db, xi))[0] == "Xi Jinping"
    titled = entity(db, "President Xi")
    ranked = merge_candidates(db, titled)
    assert (ranked[0].name, ranked[0].match) == ("Xi", Match.ALIAS)


def test_a_name_left_over_from_page_navigation_sorts_last_and_is_never_preselected(db):
    leigh = entity(db, "Leigh")
    entity(db, "- Mike Leigh", articles=7)
    entity(db, "Mike Leigh -", articles=2)
    entity(db, "Anna Smirnova")
    ranked = merge_candidates(db, leigh)
    assert names(ranked) == ["Anna Smirnova", "- Mike Leigh", "Mike Leigh -"]
    assert ranked[-1].junk and ranked[-2].junk
    assert clear_best(ranked) is None


def test_a_known_alias_of_a_candidate_is_the_strongest_match(db):
    source = entity(db, "Tsar Vladimir")
    other = entity(db, "Vladimir Putin")
    entity(db, "Vladimir Zhirinovsky", articles=3)
    db.execute("INSERT INTO entity_aliases (label, name, entity_id) VALUES ('PERSON', 'Tsar Vladimir', ?)", [other])
    ranked = merge_candidates(db, source)
    assert (ranked[0].name, ranked[0].match) == ("Vladimir Putin", Match.ALIAS)


def test_the_same_type_comes_first_and_dates_are_never_offered_for_a_name(db):
    putin = entity(db, "Putin")
    entity(db, "Putin Foundation", label="ORG", articles=5)
    entity(db, "Vladimir Putin")
    entity(db, "Putin Day", label="DATE")
    entity(db, "Kremlin", label="ORG")
    ranked = merge_candidates(db, putin)
    assert [(c.name, c.label) for c in ranked] == [("Vladimir Putin", "PERSON"), ("Putin Foundation", "ORG")]


def test_typing_narrows_ignoring_case_and_accents_word_starts_before_substrings(db):
    source = entity(db, "Merkel")
    entity(db, "Ángela Merkel")
    entity(db, "Kapustin")
    entity(db, "Vladimir Putin")
    assert names(merge_candidates(db, source, text="ANGE")) == ["Ángela Merkel"]
    assert names(merge_candidates(db, source, text="pu")) == ["Vladimir Putin", "Kapustin"]
    assert names(merge_candidates(db, source, text="vlad pu")) == ["Vladimir Putin"]
    assert merge_candidates(db, source, text="zzz") == []


def test_typing_finds_a_candidate_by_an_alias(db):
    source = entity(db, "Putin")
    other = entity(db, "Vladimir Putin")
    entity(db, "Boris Johnson")
    db.execute("INSERT INTO entity_aliases (label, name, entity_id) VALUES ('PERSON', 'Volodya', ?)", [other])
    assert names(merge_candidates(db, source, text="volo")) == ["Vladimir Putin"]


def test_the_pool_is_read_once_and_limited_when_ranked(db):
    source = entity(db, "Ivan")
    for number in range(5):
        entity(db, f"Person {number}")
    pool = candidate_pool(db, source)
    assert len(pool) == 5
    assert len(pool.ranked(limit=2)) == 2
    assert len(pool.ranked("person", limit=None)) == 5


def test_an_unknown_entity_has_no_candidates(db):
    with pytest.raises(NotFound):
        merge_candidates(db, 999)


def test_a_likely_name_of_the_same_type_comes_before_a_closer_one_of_another_type(db):
    blair = entity(db, "Blair")
    entity(db, "Mr Blair", label="ORG")
    entity(db, "Tony Blair", articles=3)
    ranked = merge_candidates(db, blair)
    assert names(ranked)[:2] == ["Tony Blair", "Mr Blair"]
    assert ranked[1].match > ranked[0].match
    assert clear_best(ranked).name == "Tony Blair"
