"""Corrections of entities: each shows at once, survives re-extraction and can be undone."""

from __future__ import annotations

import pytest

from desktop.core.entities import (
    aliases_of,
    always_treat,
    document_entities,
    entity_summary,
    extract_entities,
    find_entity,
    list_rules,
    mark_mention,
    merge_entities,
    never_treat,
    relabel_mention,
    remove_mention,
    remove_rule,
    rename_entity,
    split_alias,
)
from desktop.core.errors import InvalidInput, NotFound
from desktop.core.ingest import import_paths
from tests.conftest import SEEDS
from tests.core.helpers import add_article, add_embassy_articles, span

SECOND = "Andrei Rudskoy said the Chinese Embassy in Russia helped. Xi Jinping agreed."


@pytest.fixture
def db(library):
    return add_embassy_articles(library, SECOND)


def mentions(db, doc_id) -> set[tuple[str, str]]:
    return {(m["text"], m["label"]) for m in document_entities(db, doc_id)}


def mention_id(db, doc_id, text) -> int:
    return next(m["mention_id"] for m in document_entities(db, doc_id) if m["text"] == text)


def rerun(library) -> None:
    extract_entities(library, redo=True)


def test_marking_a_range_makes_a_user_entity_that_replaces_what_it_overlaps(library, db):
    start, end = span(db, library.first, "Chinese Embassy in Russia")
    change = mark_mention(db, library.first, start=start, end=end, label="ORG")
    found = document_entities(db, library.first)
    marked = {(m["text"], m["label"], m["origin"]) for m in found}
    assert ("Chinese Embassy in Russia", "ORG", "user") in marked
    assert not any(m["text"] in {"Chinese Embassy", "Russia"} and start <= m["start"] < end for m in found)
    assert change.doc_ids == (library.first,)


def test_a_marked_entity_persists_after_re_extraction(library, db):
    start, end = span(db, library.first, "Chinese Embassy in Russia")
    mark_mention(db, library.first, start=start, end=end, label="ORG")
    rerun(library)
    found = [(m["text"], m["start"]) for m in document_entities(db, library.first)]
    assert ("Chinese Embassy in Russia", start) in found
    assert not any(start <= s < end for t, s in found if t != "Chinese Embassy in Russia")


def test_undoing_a_mark_restores_the_model_mentions(library, db):
    before = document_entities(db, library.first)
    start, end = span(db, library.first, "Chinese Embassy in Russia")
    change = mark_mention(db, library.first, start=start, end=end, label="ORG")
    change.undo(db)
    assert document_entities(db, library.first) == before
    change.redo(db)
    assert ("Chinese Embassy in Russia", "ORG") in mentions(db, library.first)


def test_a_mark_outside_the_text_or_on_blanks_is_refused(library, db):
    with pytest.raises(InvalidInput):
        mark_mention(db, library.first, start=5, end=500, label="ORG")
    with pytest.raises(InvalidInput):
        mark_mention(db, library.first, start=12, end=13, label="ORG")
    with pytest.raises(NotFound):
        mark_mention(db, 999, start=0, end=3, label="ORG")


def test_a_relabelled_mention_keeps_its_new_type_after_re_extraction(library, db):
    relabel_mention(db, mention_id(db, library.first, "Moscow"), label="ORG")
    rerun(library)
    assert ("Moscow", "ORG") in mentions(db, library.first)
    assert ("Moscow", "GPE") not in mentions(db, library.first)


def test_a_removed_mention_stays_removed_after_re_extraction_and_comes_back_on_undo(library, db):
    change = remove_mention(db, mention_id(db, library.first, "Moscow"))
    assert "Moscow" not in {t for t, _ in mentions(db, library.first)}
    rerun(library)
    assert "Moscow" not in {t for t, _ in mentions(db, library.first)}
    change.undo(db)
    assert ("Moscow", "GPE") in mentions(db, library.first)


def test_an_always_rule_applies_to_every_article_now_and_to_later_imports(library, db):
    always_treat(db, "Chinese Embassy in Russia", label="ORG")
    for doc_id in (library.first, library.second):
        assert ("Chinese Embassy in Russia", "ORG") in mentions(db, doc_id)
    later = add_article(db, "Staff of the Chinese Embassy in Russia travelled.")
    extract_entities(library)
    assert ("Chinese Embassy in Russia", "ORG") in mentions(db, later)
    rerun(library)
    assert ("Chinese Embassy in Russia", "ORG") in mentions(db, library.first)


def test_an_always_rule_matches_whole_words_with_the_case_it_was_given(library, db):
    doc = add_article(db, "MOST said most of MOSTLY was fine.")
    always_treat(db, "MOST", label="ORG")
    assert {t for t, label in mentions(db, doc) if label == "ORG"} == {"MOST"}
    assert len([m for m in document_entities(db, doc) if m["text"] == "MOST"]) == 1


def test_a_never_rule_removes_a_form_everywhere_and_from_later_extractions(library, db):
    change = never_treat(db, "Andrei Rudskoy")
    for doc_id in (library.first, library.second):
        assert "Andrei Rudskoy" not in {t for t, _ in mentions(db, doc_id)}
    rerun(library)
    assert "Andrei Rudskoy" not in {t for t, _ in mentions(db, library.second)}
    change.undo(db)
    assert ("Andrei Rudskoy", "PERSON") in mentions(db, library.first)
    assert list_rules(db) == []


def test_removing_a_rule_takes_its_mentions_away(library, db):
    always_treat(db, "Chinese Embassy in Russia", label="ORG")
    [rule] = list_rules(db)
    remove_rule(db, rule.id)
    extract_entities(library)
    assert ("Chinese Embassy in Russia", "ORG") not in mentions(db, library.first)
    assert ("Chinese Embassy", "ORG") in mentions(db, library.first)


def test_a_duplicate_or_empty_rule_is_refused(db):
    never_treat(db, "Moscow")
    with pytest.raises(InvalidInput):
        never_treat(db, "Moscow")
    with pytest.raises(InvalidInput):
        always_treat(db, "  ", label="ORG")


def xi(db) -> tuple[int, int]:
    return find_entity(db, "PERSON", "Xi Jinping")["id"], find_entity(db, "PERSON", "Xi")["id"]


def test_merging_makes_one_canonical_entity_that_counts_every_mention(library, db):
    target, source = xi(db)
    merge_entities(db, [source], into=target)
    summary = {(r["label"], r["name"]): r["mentions"] for r in entity_summary(db, label="PERSON")}
    assert summary[("PERSON", "Xi Jinping")] == 2
    assert ("PERSON", "Xi") not in summary
    assert aliases_of(db, target) == ["Xi"]
    assert find_entity(db, "PERSON", "Xi")["id"] == target


def test_a_merge_survives_re_extraction_and_undo_restores_both_entities(library, db):
    target, source = xi(db)
    change = merge_entities(db, [source], into=target)
    rerun(library)
    names = {m["name"] for m in document_entities(db, library.second) if m["label"] == "PERSON"}
    assert "Xi" not in names and "Xi Jinping" in names
    change.undo(db)
    assert {r["name"] for r in entity_summary(db, label="PERSON")} >= {"Xi", "Xi Jinping"}


def test_renaming_changes_the_canonical_name_and_keeps_the_old_one_as_alias(library, db):
    target, _ = xi(db)
    rename_entity(db, target, name="Xi Jinping (China)")
    rerun(library)
    assert find_entity(db, "PERSON", "Xi Jinping")["name"] == "Xi Jinping (China)"
    assert "Xi Jinping (China)" in {r["name"] for r in entity_summary(db, label="PERSON")}
    with pytest.raises(InvalidInput):
        rename_entity(db, target, name="Andrei Rudskoy")


def test_splitting_a_wrong_merge_gives_the_name_its_own_entity_again(library, db):
    target, source = xi(db)
    merge_entities(db, [source], into=target)
    change = split_alias(db, target, name="Xi")
    summary = {r["name"]: r["mentions"] for r in entity_summary(db, label="PERSON")}
    assert summary["Xi"] == 1 and summary["Xi Jinping"] == 1
    rerun(library)
    assert {r["name"] for r in entity_summary(db, label="PERSON")} >= {"Xi", "Xi Jinping"}
    with pytest.raises(InvalidInput):
        split_alias(db, target, name="Nobody")
    assert change.label == "Split 'Xi' from 'Xi Jinping'"


def test_a_rule_can_ignore_case_when_asked(library, db):
    doc = add_article(db, "MOST said most of MOSTLY was fine.")
    change = always_treat(db, "most", label="ORG", case_sensitive=False)
    assert sorted(t for t, label in mentions(db, doc) if label == "ORG") == ["MOST", "most"]
    assert {m["name"] for m in document_entities(db, doc) if m["label"] == "ORG"} == {"most"}
    assert change.doc_ids == (doc,)
    change.undo(db)
    assert "ORG" not in {label for _, label in mentions(db, doc)}
    assert db.conn.execute("SELECT count(*) FROM entities WHERE name = 'most'").fetchone()[0] == 0


def test_a_correction_survives_importing_the_same_articles_again(library):
    import_paths(library, [SEEDS])
    extract_entities(library)
    shadrin = next(
        m for (doc_id,) in library.db.conn.execute("SELECT id FROM documents")
        for m in document_entities(library.db, doc_id) if m["text"] == "Shadrin"
    )
    relabel_mention(library.db, shadrin["mention_id"], label="ORG")
    report = import_paths(library, [SEEDS])
    extract_entities(library)
    assert report.imported == [] and len(report.unchanged) == 5
    labels = {m["label"] for (doc_id,) in library.db.conn.execute("SELECT id FROM documents")
              for m in document_entities(library.db, doc_id) if m["text"] == "Shadrin"}
    assert labels == {"ORG"}


ENTITY_TABLES = ("entities", "mentions", "entity_aliases", "entity_keys", "removed_mentions", "entity_rules")


def entity_rows(db) -> dict[str, list[tuple]]:
    return {t: sorted(db.conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ENTITY_TABLES}


def merge_xi(db):
    target, source = xi(db)
    return merge_entities(db, [source], into=target)


CORRECTIONS = {  # (what is done first, the correction undone and redone)
    "merge": (None, merge_xi),
    "split after a merge": (merge_xi, lambda db: split_alias(db, xi(db)[0], name="Xi")),
    "rename": (None, lambda db: rename_entity(db, xi(db)[0], name="Xi Jinping (China)")),
}


@pytest.mark.parametrize("first, correct", CORRECTIONS.values(), ids=CORRECTIONS.keys())
def test_undo_and_redo_of_a_correction_alternate_between_the_same_rows(library, db, first, correct):
    if first is not None:
        first(db)
    before_rows = entity_rows(db)
    change = correct(db)
    after_rows = entity_rows(db)
    assert after_rows != before_rows
    for _ in range(2):
        change.undo(db)
        assert entity_rows(db) == before_rows
        change.redo(db)
        assert entity_rows(db) == after_rows


def people_of(db, doc_id) -> list[tuple[str, str]]:
    return sorted((m["text"], m["name"]) for m in document_entities(db, doc_id) if m["label"] == "PERSON")


def test_undoing_a_merge_after_an_extraction_leaves_the_entities_the_extraction_made(library, db):
    newest = db.conn.execute("SELECT id, label FROM entities ORDER BY id DESC LIMIT 1").fetchone()
    other = db.conn.execute("SELECT id FROM entities WHERE label = ? AND id <> ? LIMIT 1", newest[::-1]).fetchone()[0]
    change = merge_entities(db, [newest[0]], into=other)
    third = add_article(db, "Vladimir Putin met Angela Merkel in Sochi.", published="2017-11-17")
    extract_entities(library)
    extracted = people_of(db, third)
    assert ("Vladimir Putin", "Vladimir Putin") in extracted
    change.undo(db)
    assert people_of(db, third) == extracted  # the merged entity's number was not given to Putin
    assert find_entity(db, newest[1], db.conn.execute(
        "SELECT name FROM entities WHERE id = ?", [newest[0]]).fetchone()[0])["id"] == newest[0]


def test_undoing_a_removed_mention_after_an_extraction_leaves_the_mentions_it_made(library, db):
    newest, doc_id, text = db.conn.execute(
        "SELECT id, document_id, text FROM mentions ORDER BY id DESC LIMIT 1").fetchone()
    change = remove_mention(db, newest)
    third = add_article(db, "Vladimir Putin met Angela Merkel in Sochi.", published="2017-11-17")
    extract_entities(library)
    extracted = {(m["mention_id"], m["text"]) for m in document_entities(db, third)}
    change.undo(db)
    assert {(m["mention_id"], m["text"]) for m in document_entities(db, third)} == extracted
    assert (newest, text) in {(m["mention_id"], m["text"]) for m in document_entities(db, doc_id)}
