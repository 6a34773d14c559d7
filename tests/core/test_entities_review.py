"""The Review entities table and the bulk corrections of selected entities: each one undoable
change that survives re-extraction."""

from __future__ import annotations

import pytest

from desktop.core.entities import document_entities, extract_entities, list_rules, merge_entities
from desktop.core.entities.review import (
    delete_entities,
    never_entities,
    relabel_entities,
    review_count,
    review_rows,
)
from desktop.core.entities.type_names import type_title
from desktop.core.errors import InvalidInput
from tests.core.helpers import add_article, add_embassy_articles

SECOND = "Andrei Rudskoy said the Chinese Embassy in Russia helped. Xi Jinping agreed in Moscow."


@pytest.fixture
def db(library):
    return add_embassy_articles(library, SECOND)


def entity_id(db, label: str, name: str) -> int:
    return db.conn.execute("SELECT id FROM entities WHERE label = ? AND name = ?", (label, name)).fetchone()[0]


def found(db, doc_id) -> set[tuple[str, str, str]]:
    return {(m["text"], m["label"], m["origin"]) for m in document_entities(db, doc_id)}


def every_mention(db, library) -> set[tuple[int, str, str, str]]:
    return {(doc, *m) for doc in (library.first, library.second) for m in found(db, doc)}


def test_the_table_lists_every_entity_with_its_articles_mentions_and_origin(db):
    rows = {(r["label"], r["name"]): r for r in review_rows(db)}
    moscow = rows[("GPE", "Moscow")]
    assert (moscow["documents"], moscow["mentions"], moscow["origin"]) == (2, 2, "model")
    assert review_count(db) == len(rows)


def test_the_table_is_filtered_by_typed_words_and_type_and_sorted_by_a_column(db):
    assert [r["name"] for r in review_rows(db, text="rud")] == ["Andrei Rudskoy"]
    assert review_count(db, text="rud") == 1
    assert {r["label"] for r in review_rows(db, label="GPE")} == {"GPE"}
    names = [r["name"] for r in review_rows(db, sort="name", descending=False)]
    assert names == sorted(names, key=str.casefold)
    with pytest.raises(InvalidInput):
        review_rows(db, sort="secret")


def test_the_type_column_sorts_by_the_type_names_it_shows(db):
    titles = [type_title(r["label"]) for r in review_rows(db, sort="label", descending=False)]
    assert len(set(titles)) > 2 and titles == sorted(titles, key=str.casefold)


def test_other_spellings_and_the_user_origin_show_in_the_table(db, library):
    merge_entities(db, [entity_id(db, "GPE", "Russia")], into=entity_id(db, "GPE", "Moscow"))
    relabel_entities(db, [entity_id(db, "GPE", "Moscow")], label="ORG")
    row = next(r for r in review_rows(db) if r["name"] == "Moscow")
    assert (row["label"], row["origin"], row["spellings"]) == ("ORG", "user", "Russia")


def test_changing_the_type_of_entities_keeps_on_re_extraction_and_undoes(db, library):
    before = every_mention(db, library)
    change = relabel_entities(db, [entity_id(db, "GPE", "Moscow")], label="ORG")
    assert change.label == "Change 'Moscow' to an organisation"  # what Edit ▸ Undo names, in words
    assert ("Moscow", "ORG", "user") in found(db, library.second)
    extract_entities(library, redo=True)
    assert ("Moscow", "ORG", "user") in found(db, library.first)
    assert not any(label == "GPE" and text == "Moscow" for _, text, label, _ in every_mention(db, library))
    after = every_mention(db, library)
    change.undo(db)
    assert every_mention(db, library) == before
    change.redo(db)
    assert every_mention(db, library) == after


def test_deleting_entities_removes_every_mention_for_good_and_undoes(db, library):
    before = every_mention(db, library)
    moscow = entity_id(db, "GPE", "Moscow")
    change = delete_entities(db, [moscow])
    assert "2 articles" in change.label
    assert not any(text == "Moscow" for _, text, _, _ in every_mention(db, library))
    extract_entities(library, redo=True)
    assert not any(text == "Moscow" for _, text, _, _ in every_mention(db, library))
    change.undo(db)
    assert every_mention(db, library) == before
    change.redo(db)
    assert every_mention(db, library) == before - {m for m in before if m[1] == "Moscow"}


def test_never_an_entity_adds_a_rule_for_each_spelling_that_holds_for_new_articles(db, library):
    change = never_entities(db, [entity_id(db, "GPE", "Moscow")])
    assert [(r.kind, r.text) for r in list_rules(db)] == [("never", "Moscow")]
    third = add_article(db, "Andrei Rudskoy flew to Moscow.")
    extract_entities(library)
    assert not any(text == "Moscow" for text, _, _ in found(db, third))
    change.undo(db)
    assert list_rules(db) == []


def test_changing_to_the_type_they_have_is_refused(db):
    with pytest.raises(InvalidInput, match="^The entities chosen are already of the type Place.$"):
        relabel_entities(db, [entity_id(db, "GPE", "Moscow")], label="GPE")


def test_each_correction_names_the_articles_it_touched_and_no_more(db, library):
    both = {library.first, library.second}
    moscow, russia = entity_id(db, "GPE", "Moscow"), entity_id(db, "GPE", "Russia")
    merged = merge_entities(db, [russia], into=moscow).changes
    assert (merged.entities, merged.entity_definitions, merged.unknown) == (frozenset(both), True, False)
    relabelled = relabel_entities(db, [moscow], label="ORG").changes
    assert (relabelled.entities, relabelled.unknown) == (frozenset(both), False)
    deleted = delete_entities(db, [entity_id(db, "ORG", "Moscow")]).changes
    assert (deleted.entities, deleted.membership) == (frozenset(both), False)


def test_typed_words_find_names_in_any_script_whatever_their_case(db):
    from desktop.core.entities import mark_mention

    text = "Реджеп Тайип Эрдоган прибыл в Анкару."
    doc = add_article(db, text, title="Визит")
    mark_mention(db, doc, start=0, end=len("Реджеп Тайип Эрдоган"), label="PERSON")
    for typed in ("эрдоган", "ЭРДОГАН", "тайип эрд", "Эрдоган"):
        assert [r["name"] for r in review_rows(db, text=typed)] == ["Реджеп Тайип Эрдоган"], typed
        assert review_count(db, text=typed) == 1


def test_a_word_typed_without_its_accents_finds_the_name_written_with_them(db):
    from desktop.core.entities import mark_mention

    text = "Recep Tayyip Erdoğan flew to Zürich."
    doc = add_article(db, text, title="Visit")
    mark_mention(db, doc, start=0, end=len("Recep Tayyip Erdoğan"), label="PERSON")
    mark_mention(db, doc, start=text.index("Zürich"), end=text.index("Zürich") + 6, label="GPE")
    for typed, name in (("erdogan", "Recep Tayyip Erdoğan"), ("ZURICH", "Zürich"), ("Zürich", "Zürich")):
        assert [r["name"] for r in review_rows(db, text=typed)] == [name], typed
    assert review_count(db, text="tayyip erdogan") == 1


def test_the_counts_follow_mentions_added_here_and_by_another_program(db, library):
    from desktop.core.library import open_library
    from tests.core.helpers import add_mention

    def moscow() -> tuple[int, int]:
        row = next(r for r in review_rows(db, text="moscow") if r["name"] == "Moscow")
        return row["documents"], row["mentions"]

    before = moscow()
    assert review_rows(db, text="moscow") == review_rows(db, text="moscow")  # read twice, the same
    add_mention(db, add_article(db, "Moscow again."), "GPE", "Moscow")
    assert moscow() == (before[0] + 1, before[1] + 1)
    with open_library(library.path) as other:  # the command line, a second window
        add_mention(other.db, add_article(other.db, "And Moscow once more."), "GPE", "Moscow")
    assert moscow() == (before[0] + 2, before[1] + 2)
    assert review_count(db, text="moscow") >= 1


def test_what_this_connection_corrects_is_counted_at_once_and_another_program_s_writes_in_the_background(
        db, library):
    from desktop.core.entities.review_stats import count_ticket, install_counts, is_stale, read_counts
    from desktop.core.library import open_library
    from tests.core.helpers import add_mention

    def moscow() -> tuple[int, int] | None:  # as a window reads it: never counting every mention
        row = next((r for r in review_rows(db, text="moscow", recount=False) if r["name"] == "Moscow"), None)
        return (row["documents"], row["mentions"]) if row else None

    assert moscow() is None and review_count(db, recount=False) == 0  # nothing counted yet
    before = next(r for r in review_rows(db, text="moscow") if r["name"] == "Moscow")
    before = before["documents"], before["mentions"]
    add_mention(db, add_article(db, "Moscow again."), "GPE", "Moscow")  # a correction made here
    assert moscow() == (before[0] + 1, before[1] + 1) and not is_stale(db)

    with open_library(library.path) as other:  # the command line, background extraction
        add_mention(other.db, add_article(other.db, "And Moscow once more."), "GPE", "Moscow")
    assert is_stale(db) and moscow() == (before[0] + 1, before[1] + 1)  # as it was, until counted

    ticket = count_ticket(db)
    with library.connect() as reader:  # the background's own connection
        rows = read_counts(reader.db)
    add_mention(db, add_article(db, "Moscow, a third time here."), "GPE", "Moscow")  # while it counted
    install_counts(db, ticket, rows)
    assert moscow() == (before[0] + 3, before[1] + 3) and not is_stale(db)
    with open_library(library.path) as other:  # reading the table left the library's write lock free
        add_article(other.db, "Written at once.")


def test_only_another_program_s_changes_of_mentions_make_the_counts_stale(db, library):
    """A tag, a new article without entities, the saved facet index: at 100,000 articles each
    stale table costs a count of every mention in the background."""
    from desktop.core.entities.review_stats import is_stale
    from desktop.core.library import open_library
    from desktop.core.tags import add_tag
    from tests.core.helpers import add_mention

    review_rows(db)
    with open_library(library.path) as other:
        add_tag(other.db, [library.first], "cooperation")
        add_article(other.db, "An article without a name.")
    assert not is_stale(db)
    with open_library(library.path) as other:
        add_mention(other.db, library.first, "GPE", "Harbin")
    assert is_stale(db)


def test_the_table_reads_on_a_library_whose_writes_are_stopped(db, library):
    expected = review_rows(db, text="moscow"), review_count(db, text="moscow")
    damaged = library.connect()
    damaged.stop_writes()  # a library found damaged: not even a temporary table is written
    try:
        assert (review_rows(damaged.db, text="moscow"), review_count(damaged.db, text="moscow")) == expected
    finally:
        damaged.close()
