"""Highlights, notes, the searchable notes column and re-anchoring when an article's text changes."""

from __future__ import annotations

import pytest

from desktop.core.annotations import (
    PALETTE,
    content_hash,
    create_annotation,
    delete_annotation,
    document_annotations,
    document_note,
    list_annotations,
    replace_document_text,
    set_document_note,
    update_annotation,
)
from desktop.core.errors import InvalidInput, NotFound
from desktop.core.tags import add_tag
from tests.core.helpers import SEED_FILES, span


def fts_notes(db, words: str) -> list[int]:
    rows = db.conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [f"notes:{words}"])
    return sorted(r[0] for r in rows)


def test_highlight_stores_the_exact_passage_with_the_default_colour(db, seeds):
    start, end = span(db, seeds[0], "Innovation requires openness")
    highlight, _ = create_annotation(db, seeds[0], start, end)
    assert highlight["quote"] == "Innovation requires openness"
    assert highlight["colour"] == "yellow" and highlight["colour_hex"] == PALETTE["yellow"]
    assert not highlight["orphaned"] and highlight["uuid"]


def test_palette_offers_eight_distinct_named_colours():
    assert len(PALETTE) == 8 and len(set(PALETTE.values())) == 8


def test_highlight_outside_the_article_is_refused_with_its_length(db, seeds):
    length = len(SEED_FILES[0].read_text(encoding="utf-8"))
    with pytest.raises(InvalidInput, match=f"start/end outside the article \\(0–{length}\\)"):
        create_annotation(db, seeds[0], 10, length + 5)


def test_empty_highlight_is_refused(db, seeds):
    with pytest.raises(InvalidInput, match="start before end"):
        create_annotation(db, seeds[0], 10, 10)


def test_highlight_on_a_missing_article_is_not_found(db):
    with pytest.raises(NotFound):
        create_annotation(db, 999, 0, 5)


def test_colour_is_accepted_by_name_in_any_spelling_or_by_hex(db, seeds):
    first, _ = create_annotation(db, seeds[0], 0, 4, colour="Sky-Blue")
    second, _ = create_annotation(db, seeds[0], 5, 9, colour=PALETTE["vermillion"].lower())
    assert (first["colour"], second["colour"]) == ("sky blue", "vermillion")


def test_colour_is_accepted_by_its_common_name(db, seeds):
    colours = [create_annotation(db, seeds[0], n * 5, n * 5 + 4, colour=name)[0]["colour"]
               for n, name in enumerate(("green", "Red", "purple", "gray"))]
    assert colours == ["bluish green", "vermillion", "reddish purple", "grey"]


def test_unknown_colour_is_refused_naming_the_choices(db, seeds):
    with pytest.raises(InvalidInput, match="yellow"):
        create_annotation(db, seeds[0], 0, 4, colour="magenta")


def test_document_highlights_are_listed_in_reading_order(db, seeds):
    for quote in ("Irina Ganus", "Zhang Qiang", "Andrei Rudskoy"):
        create_annotation(db, seeds[0], *span(db, seeds[0], quote))
    assert [a["quote"] for a in document_annotations(db, seeds[0])] == [
        "Zhang Qiang", "Andrei Rudskoy", "Irina Ganus"]


def test_editing_a_note_and_colour_keeps_the_passage(db, seeds):
    highlight, _ = create_annotation(db, seeds[0], *span(db, seeds[0], "Zhang Qiang"), note="embassy")
    edited, _ = update_annotation(db, highlight["id"], colour="blue")
    assert (edited["note"], edited["colour"], edited["quote"]) == ("embassy", "blue", "Zhang Qiang")
    cleared, _ = update_annotation(db, highlight["id"], note="  ")
    assert cleared["note"] is None


def test_deleted_highlight_is_gone(db, seeds):
    highlight, _ = create_annotation(db, seeds[0], 0, 4)
    delete_annotation(db, highlight["id"])
    assert document_annotations(db, seeds[0]) == []
    with pytest.raises(NotFound):
        delete_annotation(db, highlight["id"])


def test_highlight_note_is_searchable_in_the_notes_column(db, seeds):
    create_annotation(db, seeds[1], 0, 10, note="compare with the Skolkovo agreement")
    assert fts_notes(db, "skolkovo") == [seeds[1]]


def test_deleting_a_highlight_removes_its_note_from_search(db, seeds):
    highlight, _ = create_annotation(db, seeds[1], 0, 10, note="Skolkovo")
    delete_annotation(db, highlight["id"])
    assert fts_notes(db, "skolkovo") == []


def test_highlighted_quote_is_searchable_in_the_notes_column(db, seeds):
    create_annotation(db, seeds[0], *span(db, seeds[0], "Andrei Rudskoy"))
    assert fts_notes(db, "rudskoy") == [seeds[0]]


def test_article_note_is_searchable_and_can_be_cleared(db, seeds):
    set_document_note(db, seeds[2], "Harbin expo follow-up")
    assert fts_notes(db, "harbin") == [seeds[2]]
    set_document_note(db, seeds[2], None)
    assert fts_notes(db, "harbin") == []


def test_article_note_reads_back_and_a_missing_article_is_not_found(db, seeds):
    assert document_note(db, seeds[0]) is None
    set_document_note(db, seeds[0], "check the dates")
    assert document_note(db, seeds[0]) == "check the dates"
    with pytest.raises(NotFound):
        document_note(db, 999)


def test_library_listing_carries_article_title_source_and_date(db, seeds):
    create_annotation(db, seeds[3], 0, 12, note="alliance")
    [row] = list_annotations(db)
    assert (row["title"], row["source"], row["published"]) == (SEED_FILES[3].stem, "Xinhua", "2017-04-15")
    assert row["quote"] and row["note"] == "alliance"


def test_library_listing_filters_by_colour_text_and_tag_with_children(db, seeds):
    create_annotation(db, seeds[0], 0, 10, colour="blue", note="Embassy remark")
    create_annotation(db, seeds[1], 0, 10, colour="orange")
    add_tag(db, [seeds[0]], "Biomed/Forums")
    assert [r["document_id"] for r in list_annotations(db, colour="orange")] == [seeds[1]]
    assert [r["document_id"] for r in list_annotations(db, text="EMBASSY")] == [seeds[0]]
    assert [r["document_id"] for r in list_annotations(db, tag="biomed")] == [seeds[0]]


def test_library_listing_finds_words_of_other_scripts_in_any_case(db, seeds):
    from tests.core.helpers import add_article

    doc = add_article(db, "В Германии вступил в силу закон.", title="Закон")
    create_annotation(db, doc, 2, 10, note="Русская заметка")
    for typed in ("германии", "ГЕРМАНИИ", "русская", "Заметка"):
        assert [r["document_id"] for r in list_annotations(db, text=typed)] == [doc], typed


def replace_with_changes(db, doc_id: int) -> dict[str, int]:
    """Highlight four passages of seed 000, then rewrite its text so each meets a different fate."""
    ids = {}
    for name, quote in (("exact", "Innovation requires openness"),
                        ("moved", "St. Petersburg Polytechnic University opened a representative office"),
                        ("fuzzy", "made the remark at the II International Forum"),
                        ("orphaned", "The first Russian-Chinese biomedical forum was successfully held")):
        ids[name] = create_annotation(db, doc_id, *span(db, doc_id, quote), note=name)[0]["id"]
    text = SEED_FILES[0].read_text(encoding="utf-8")
    forum = text.index("The first Russian-Chinese biomedical forum")
    forum_end = text.index("\n", forum)
    office = text.index("St. Petersburg Polytechnic University opened")
    new_text = (text[:forum] + "Delegates toured the new laboratories.\n" + text[forum_end + 1 : office]
                + "A new paragraph.\n\n" + text[office:]).replace("made the remark", "made the comment")
    ids["report"] = replace_document_text(db, doc_id, new_text, title="Revised")
    return ids


def test_replacing_text_reanchors_each_highlight_by_its_fate(db, seeds):
    ids = replace_with_changes(db, seeds[0])
    report = ids["report"]
    assert (report.exact, report.moved, report.fuzzy, report.orphaned) == (
        [ids["exact"]], [ids["moved"]], [ids["fuzzy"]], [ids["orphaned"]])
    text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [seeds[0]]).fetchone()[0]
    placed = {a["id"]: a for a in document_annotations(db, seeds[0])}
    assert text[placed[ids["moved"]]["start"] : placed[ids["moved"]]["end"]].startswith("St. Petersburg")
    assert placed[ids["fuzzy"]]["quote"] == "made the comment at the II International Forum"


def test_orphaned_highlight_is_kept_flagged_with_its_old_offsets(db, seeds):
    before_start, before_end = span(db, seeds[0], "The first Russian-Chinese biomedical forum")
    ids = replace_with_changes(db, seeds[0])
    orphan = [a for a in document_annotations(db, seeds[0]) if a["id"] == ids["orphaned"]][0]
    assert orphan["orphaned"] and orphan["start"] == before_start
    assert orphan["quote"].startswith("The first Russian-Chinese")
    assert any(r["orphaned"] for r in list_annotations(db))


def test_replacing_text_keeps_id_and_tags_and_recomputes_the_hash(db, seeds):
    add_tag(db, [seeds[0]], "Biomed")
    replace_with_changes(db, seeds[0])
    row = db.conn.execute("SELECT title, text, sha256 FROM documents WHERE id = ?", [seeds[0]]).fetchone()
    assert row[0] == "Revised" and row[2] == content_hash(row[1])
    tagged = db.conn.execute("SELECT count(*) FROM document_tags WHERE document_id = ?", [seeds[0]])
    assert tagged.fetchone()[0] == 1


def test_replacing_text_drops_model_mentions_and_moves_user_mentions(db, seeds):
    entity = db["entities"].insert({"label": "PERSON", "name": "Zhang Qiang"}).last_pk
    start, end = span(db, seeds[0], "Zhang Qiang")
    for origin in ("model", "user"):
        db["mentions"].insert({"document_id": seeds[0], "entity_id": entity, "start": start, "end": end,
                               "text": "Zhang Qiang", "origin": origin})
    text = SEED_FILES[0].read_text(encoding="utf-8")
    report = replace_document_text(db, seeds[0], "Lead paragraph.\n\n" + text)
    rows = db.conn.execute('SELECT origin, start, "end" FROM mentions').fetchall()
    assert rows == [("user", start + 17, end + 17)]
    assert (report.model_mentions_removed, report.mentions_shifted) == (1, 1)


def test_user_mention_whose_text_is_gone_is_dropped_and_listed(db, seeds):
    entity = db["entities"].insert({"label": "PERSON", "name": "Irina Ganus"}).last_pk
    start, end = span(db, seeds[0], "Irina Ganus")
    db["mentions"].insert({"document_id": seeds[0], "entity_id": entity, "start": start, "end": end,
                           "text": "Irina Ganus", "origin": "user"})
    text = SEED_FILES[0].read_text(encoding="utf-8")
    report = replace_document_text(db, seeds[0], text.replace("Irina Ganus", "a deputy chairman"))
    assert [m["text"] for m in report.mentions_dropped] == ["Irina Ganus"]


def test_replacing_with_another_articles_text_is_refused(db, seeds):
    with pytest.raises(InvalidInput, match=f"Article {seeds[1]} already has this text"):
        replace_document_text(db, seeds[0], SEED_FILES[1].read_text(encoding="utf-8"))


def test_replacing_with_an_unknown_field_is_refused(db, seeds):
    with pytest.raises(InvalidInput, match="Unknown article field: colour"):
        replace_document_text(db, seeds[0], "New text.", colour="red")


QUOTE = "Innovation requires openness"


def article_text(db, doc_id: int) -> str:
    return db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]


def test_undoing_a_note_edit_after_the_text_changed_keeps_the_highlight_on_its_words(db, seeds):
    text = article_text(db, seeds[0])
    start, _ = span(db, seeds[0], QUOTE)
    created, _ = create_annotation(db, seeds[0], start, start + len(QUOTE), note="first")
    _, edit = update_annotation(db, created["id"], note="second")
    replace_document_text(db, seeds[0], "Inserted lead paragraph.\n\n" + text)
    edit.undo(db)
    [restored] = document_annotations(db, seeds[0])
    new_text = article_text(db, seeds[0])
    assert restored["note"] == "first"
    assert new_text[restored["start"] : restored["end"]] == QUOTE


def test_undoing_a_deletion_after_the_text_changed_restores_the_highlight_on_its_words(db, seeds):
    text = article_text(db, seeds[0])
    start, _ = span(db, seeds[0], QUOTE)
    created, _ = create_annotation(db, seeds[0], start, start + len(QUOTE), note="keep")
    deletion = delete_annotation(db, created["id"])
    replace_document_text(db, seeds[0], "Inserted lead paragraph.\n\n" + text)
    deletion.undo(db)
    [restored] = document_annotations(db, seeds[0])
    new_text = article_text(db, seeds[0])
    assert (new_text[restored["start"] : restored["end"]], restored["note"]) == (QUOTE, "keep")


def test_redoing_a_highlight_after_its_passage_left_the_text_keeps_it_flagged_orphaned(db, seeds):
    text = article_text(db, seeds[0])
    start, _ = span(db, seeds[0], QUOTE)
    _, creation = create_annotation(db, seeds[0], start, start + len(QUOTE))
    creation.undo(db)
    replace_document_text(db, seeds[0], text.replace(QUOTE, "Closed doors"))
    creation.redo(db)
    [restored] = document_annotations(db, seeds[0])
    assert restored["orphaned"] and restored["quote"] == QUOTE


def test_a_short_quote_keeps_word_spaces_and_drops_line_breaks_between_chinese_characters():
    from desktop.core.annotations import short_quote

    assert short_quote("Moscow\n\nand  Beijing") == "Moscow and Beijing"
    assert short_quote("签署了协议。\n\n双方将\n建设") == "签署了协议。双方将建设"
    assert short_quote("合作 Harbin\n研究") == "合作 Harbin 研究"
    assert short_quote("a" * 50, length=10) == "a" * 9 + "…"
